"""The one error family: every failure a person can meet, with its words, hint and exit code."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


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
