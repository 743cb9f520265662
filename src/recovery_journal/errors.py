"""The one error family: every failure a person can meet, with its words, hint and exit code."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

# Set to 1, an unexpected error also shows where it happened (file and line, never values).
DEBUG_ENV = "RECOVERY_JOURNAL_DEBUG"


class ExitCode(IntEnum):
    """Process exit codes; documented in README.md and docs/usage.md (a test keeps them in step)."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    NO_JOURNAL = 3
    ALREADY_EXISTS = 4
    WRONG_SECRET = 5
    PASSPHRASE_PROBLEM = 6
    NOT_A_JOURNAL = 7
    DAMAGED = 8
    TAMPERED = 9
    NEWER_VERSION = 10
    LOCKED = 11
    STORAGE = 12
    INVALID_DATE = 13
    INVALID_MOOD = 14
    EMPTY_ENTRY = 15
    INVALID_ENCODING = 16
    TOO_LARGE = 17
    NOT_FOUND = 18
    EDITOR_FAILED = 19
    INVALID_INPUT = 20
    KEY_CHANGED = 21
    INTERRUPTED = 130


# What each code means, as docs/usage.md says it (a test keeps the two in step); `help exit-codes` shows it.
MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: 'done (also: a question answered "no")',
    ExitCode.UNEXPECTED: "a bug; nothing already saved is affected",
    ExitCode.USAGE: (
        "a mistake in the command or the config file: an unknown option, a word where a number goes, "
        "entry text on the command line, two passphrase sources, an option where another option's value goes "
        "(`--title --star`)"
    ),
    ExitCode.NO_JOURNAL: "there's no journal at that location yet",
    ExitCode.ALREADY_EXISTS: (
        "`init` where a journal already is, or a backup, export or picture file that exists (without "
        "`--force`); `--force` never replaces a link, a pipe or a device"
    ),
    ExitCode.WRONG_SECRET: "the passphrase or recovery code didn't open the journal",
    ExitCode.PASSPHRASE_PROBLEM: (
        "no way to ask for the passphrase, an empty one, a mismatch, or a passphrase file/command that failed"
    ),
    ExitCode.NOT_A_JOURNAL: (
        "the file isn't a recovery-journal journal or backup (empty, foreign, another app's database), or"
        " `--journal` names a file instead of a folder"
    ),
    ExitCode.DAMAGED: "the journal file is damaged or cut short",
    ExitCode.TAMPERED: "an entry (named) failed authentication; the rest is still shown",
    ExitCode.NEWER_VERSION: "the journal was made by a newer recovery-journal",
    ExitCode.LOCKED: "the journal stayed busy in another window past the timeout",
    ExitCode.STORAGE: "the disk is full, read-only, or reported an error",
    ExitCode.INVALID_DATE: "a date that doesn't exist, isn't understood, or is in the future",
    ExitCode.INVALID_MOOD: "a mood outside 1 to 10",
    ExitCode.EMPTY_ENTRY: "the entry (or the edited text) was empty",
    ExitCode.INVALID_ENCODING: "text that isn't valid UTF-8",
    ExitCode.TOO_LARGE: "an entry over 1 MiB",
    ExitCode.NOT_FOUND: (
        "no entry, milestone, counter or draft by that number or name; no file or folder at that path"
    ),
    ExitCode.EDITOR_FAILED: "the editor couldn't start or closed with an error",
    ExitCode.INVALID_INPUT: "another value that can't be used: a tag, a title, a search with no words",
    ExitCode.KEY_CHANGED: (
        "another window re-encrypted the journal under a new key (`passwd --rotate-data-key`) while this "
        "one was open; nothing was saved under the old key"
    ),
    ExitCode.INTERRUPTED: "stopped with Ctrl-C",
}


class JournalError(Exception):
    """A failure with calm words for the person, a hint, and an exit code.

    Messages and hints never contain entry text or secrets: they are printed, and may be pasted into a bug
    report.
    """

    exit_code: ClassVar[ExitCode] = ExitCode.UNEXPECTED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageProblem(JournalError):
    exit_code = ExitCode.USAGE


class ConfigProblem(UsageProblem):
    """The config file can't be read or holds a value that can't be used; names the file and line."""


class NoJournal(JournalError):
    exit_code = ExitCode.NO_JOURNAL


class AlreadyExists(JournalError):
    exit_code = ExitCode.ALREADY_EXISTS


class WrongSecret(JournalError):
    exit_code = ExitCode.WRONG_SECRET


class PassphraseProblem(JournalError):
    exit_code = ExitCode.PASSPHRASE_PROBLEM


class NotAJournal(JournalError):
    exit_code = ExitCode.NOT_A_JOURNAL


class Damaged(JournalError):
    exit_code = ExitCode.DAMAGED


class Tampered(JournalError):
    """A sealed record failed authentication; names the entry so the rest stays usable."""

    exit_code = ExitCode.TAMPERED


class NewerVersion(JournalError):
    exit_code = ExitCode.NEWER_VERSION


class Locked(JournalError):
    exit_code = ExitCode.LOCKED


class StorageProblem(JournalError):
    exit_code = ExitCode.STORAGE


class InvalidDate(JournalError):
    exit_code = ExitCode.INVALID_DATE


class InvalidMood(JournalError):
    exit_code = ExitCode.INVALID_MOOD


class EmptyEntry(JournalError):
    exit_code = ExitCode.EMPTY_ENTRY


class InvalidEncoding(JournalError):
    exit_code = ExitCode.INVALID_ENCODING


class TooLarge(JournalError):
    exit_code = ExitCode.TOO_LARGE


class NotFound(JournalError):
    exit_code = ExitCode.NOT_FOUND


class EditorFailed(JournalError):
    exit_code = ExitCode.EDITOR_FAILED


class InvalidInput(JournalError):
    exit_code = ExitCode.INVALID_INPUT


class KeyChanged(JournalError):
    """Another window rotated the data key since this one unlocked: nothing may be sealed under the old."""

    exit_code = ExitCode.KEY_CHANGED


class Interrupted(JournalError):
    exit_code = ExitCode.INTERRUPTED

    @classmethod
    def stopped(cls, *, before_any_change: bool = False) -> Interrupted:
        """Ctrl-C or Ctrl-D: stopping changes nothing further. Where a command may already have changed
        something, that stays ("nothing more"); at a prompt before its first change, nothing at all was."""
        return cls(
            "Stopped. Nothing was changed." if before_any_change else "Stopped. Nothing more was changed."
        )
