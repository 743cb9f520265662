"""What several commands need: settings, asking for secrets, opening the journal, keeping unsaved words."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import (
    InvalidEncoding,
    JournalError,
    Locked,
    PassphraseProblem,
    StorageProblem,
    Tampered,
    TooLarge,
    UsageProblem,
    WrongSecret,
)
from ..journal import editor
from ..journal.service import Journal
from ..render.output import Output
from ..sealing import passphrase
from ..settings import Settings
from ..storage.store import check_journal_file

DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        metavar="WHEN",
        help='When it is about: 2024-03-01, "yesterday", "3 days ago", "last friday".',
        show_default=False,
    ),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", metavar="TAG", help="A tag; repeat for more.", show_default=False),
]
MoodOpt = Annotated[
    int | None,
    typer.Option(
        "--mood",
        "-m",
        metavar="1-10",
        help="How the day felt, 1 (heaviest) to 10 (lightest).",
        show_default=False,
    ),
]
TitleOpt = Annotated[
    str | None, typer.Option("--title", metavar="TITLE", help="A short title.", show_default=False)
]
StarOpt = Annotated[
    bool | None,
    typer.Option(
        "--star/--unstar", help="Star it, to find it again easily (list --starred).", show_default=False
    ),
]
TenderOpt = Annotated[
    bool | None,
    typer.Option(
        "--tender/--not-tender",
        help="Mark as painful: never brought back unasked (on-this-day), shown folded in timelines.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as one JSON document on stdout.")]

# A failed save is one of these; the words are then kept as a draft, or their location is given.
SAVE_FAILURES = (Locked, StorageProblem)


@dataclass
class AppState:
    """What the root command collected for its subcommands."""

    journal: Path | None = None


def settings(ctx: typer.Context) -> Settings:
    state = ctx.find_object(AppState) or AppState()
    return Settings.from_env(state.journal)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def can_ask_secret() -> bool:
    """A hidden prompt needs a terminal: stdin, or /dev/tty when stdin carries the entry."""
    if stdin_is_terminal():
        return True
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def _no_terminal(what: str, env_hint: str) -> PassphraseProblem:
    return PassphraseProblem(
        f"There's no terminal to ask for the {what} in.",
        hint=f"Run this in a terminal, or set {env_hint} (docs/usage.md lists each way).",
    )


def ask_passphrase(env: Any) -> str:
    """The current passphrase: from the environment if configured, else a hidden prompt."""
    found = passphrase.from_environment(env)
    if found is not None:
        return found
    if not can_ask_secret():
        raise _no_terminal("passphrase", "RECOVERY_JOURNAL_PASSPHRASE_FILE or _PASSPHRASE_COMMAND")
    return str(typer.prompt("Passphrase", hide_input=True, err=True))


def ask_new_passphrase(
    env: Any,
    names: tuple[str, str, str] = passphrase.NEW,
    label: str = "New passphrase",
    intro: str | None = None,
) -> str:
    """A new passphrase: from the environment if configured, else asked twice (after `intro`, if given)."""
    found = passphrase.from_environment(env, names)
    if found is not None:
        return found
    if not can_ask_secret():
        raise _no_terminal("new passphrase", f"{passphrase.PREFIX}{names[0]}")
    if intro:
        Output().say(intro)
    first = str(typer.prompt(label, hide_input=True, err=True))
    second = str(typer.prompt("Once more, to be sure", hide_input=True, err=True))
    if first != second:
        raise PassphraseProblem(
            "The two passphrases didn't match, so nothing was changed.",
            hint="Try again, slowly; it's fine to take your time.",
        )
    return first


def create_journal(current: Settings, intro: str) -> tuple[Journal, str, str]:
    """A new journal, passphrase chosen now (after `intro`): (open journal, recovery code, passphrase)."""
    secret = ask_new_passphrase(current.env, passphrase.CURRENT, label="Choose a passphrase", intro=intro)
    journal, code = Journal.create(current, secret)
    return journal, code, secret


def open_journal(ctx: typer.Context, out: Output) -> Journal:
    """Ask for the passphrase and unlock; then seal any words a crashed editor left behind."""
    return open_journal_with_passphrase(ctx, out)[0]


def open_journal_with_passphrase(ctx: typer.Context, out: Output) -> tuple[Journal, str]:
    """As open_journal, also returning the passphrase (a backup is protected by it by default)."""
    current = settings(ctx)
    check_journal_file(current.paths.db)  # "no journal yet" before asking for anything
    journal, secret = _unlock(current)
    try:
        rescue_leftovers(journal, out)
        journal.stages.backfill()
    except BaseException:
        journal.close()
        raise
    return journal, secret


PROMPT_TRIES = 3


def _unlock(current: Settings) -> tuple[Journal, str]:
    """Unlock with the passphrase; typed at a prompt, a slip of the fingers gets another try or two."""
    found = passphrase.from_environment(current.env)  # a command is run once, never twice
    if found is not None:
        return Journal.unlock(current, found), found
    for attempt in range(1, PROMPT_TRIES + 1):
        secret = ask_passphrase(current.env)
        try:
            return Journal.unlock(current, secret), secret
        except (WrongSecret, PassphraseProblem):
            if attempt == PROMPT_TRIES:
                raise
            Output().say("That didn't open it. Take your time, and try again.")
    raise AssertionError("unreachable")  # pragma: no cover


def rescue_leftovers(journal: Journal, out: Output) -> None:
    if journal.store.read_only:
        return  # no drafts can be written there; the words wait in the private folder for a writable open
    for leftover in editor.leftovers(journal.settings.scratch, journal.settings.paths.tag):
        journal.keep_draft(leftover.text, reason="an editor session ended before it was saved")
        leftover.discard()
        out.say(
            "Words from an editor session that ended early were found and kept safe (encrypted) as a draft. "
            "`recovery-journal drafts` shows them.",
            style="yellow",
        )


def read_stdin_text(limit: int, outcome: str = "nothing was saved") -> str:
    """Read the piped entry: refuse more than `limit` bytes or anything that isn't UTF-8."""
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(
            f"The text piped in is over {limit // 1024 // 1024} MiB, the most one entry can hold.",
            hint="Split it into a few entries. Nothing was saved.",
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise InvalidEncoding(
            f"The text piped in isn't UTF-8, so {outcome}.",
            hint="Save the file as UTF-8 first (most editors offer it under Save As or Encoding), "
            "then pipe it in again.",
        ) from None


def keep_unsaved(
    journal: Journal,
    failure: JournalError,
    text: str,
    session: editor.Session | None,
    **details: Any,
) -> JournalError:
    """After a failed save: seal the words into a draft, or say exactly where they still are."""
    try:
        number = journal.keep_draft(text, reason=failure.message, **details).number
    except (JournalError, ValueError, OSError):
        if session is not None:
            where = session.keep()
            return type(failure)(
                f"{failure.message} Your words weren't saved, and are still in {where}",
                hint="Copy them somewhere safe. The next time the journal opens, they are sealed into an "
                "encrypted draft and that file is removed.",
            )
        return type(failure)(
            f"{failure.message} Nothing was saved.",
            hint="Your text is still wherever it was piped from; try again once this is solved.",
        )
    return type(failure)(
        f"{failure.message} Your words are kept safe (encrypted) as draft {number}.",
        hint=f"`recovery-journal drafts save {number}` saves it as an entry once this is solved.",
    )


def refuse_words_on_command_line(words: list[str] | None) -> None:
    if words:
        raise UsageProblem(
            "Entry text on the command line would stay in your shell history, so it isn't accepted.",
            hint="Run `recovery-journal write` to open your editor, or pipe it in: "
            "recovery-journal write < note.txt",
        )


def iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def left_out(ids: list[int]) -> None:
    """Entries that failed to open were left out of what was shown: say which, ending with exit code 9."""
    if not ids:
        return
    one = len(ids) == 1
    raise Tampered(
        f"{'Entry' if one else 'Entries'} {', '.join(str(i) for i in ids)} couldn't be opened (changed "
        f"outside recovery-journal, or damaged), so {'it is' if one else 'they are'} not included.",
        hint="Everything else is shown. `recovery-journal doctor` checks the whole journal.",
    )
