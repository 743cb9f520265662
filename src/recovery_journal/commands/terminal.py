"""What commands share with the terminal: the journal chosen on the command line, prompts, piped text.

Opening a journal is journal/opening.py; this module only supplies the prompts it may use and says what
it found.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import typer

from ..errors import InvalidEncoding, PassphraseProblem, Tampered, TooLarge, UsageProblem
from ..journal import opening
from ..journal.service import Journal
from ..render.output import Output
from ..settings import Settings


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


def hidden(label: str) -> str:
    return str(typer.prompt(label, hide_input=True, err=True))


def passphrase_prompt(label: str = "Passphrase") -> Callable[[], str] | None:
    """Asking for a passphrase once, or None when there is no terminal to ask in."""
    return (lambda: hidden(label)) if can_ask_secret() else None


def passphrase_tries() -> opening.AskTry | None:
    """Asking for the passphrase; after a slip of the fingers, kindly, again."""
    if not can_ask_secret():
        return None

    def ask(attempt: int) -> str:
        if attempt > 1:
            Output().say("That didn't open it. Take your time, and try again.")
        return hidden("Passphrase")

    return ask


def new_passphrase_prompt(
    label: str = "New passphrase", intro: str | None = None
) -> Callable[[], str] | None:
    """Asking for a new passphrase twice (after `intro`, if given), or None when there is no terminal."""
    if not can_ask_secret():
        return None

    def ask() -> str:
        if intro:
            Output().say(intro)
        first = hidden(label)
        second = hidden("Once more, to be sure")
        if first != second:
            raise PassphraseProblem(
                "The two passphrases didn't match, so nothing was changed.",
                hint="Try again, slowly; it's fine to take your time.",
            )
        return first

    return ask


def recovery_code_prompt() -> Callable[[], str] | None:
    """Asking for the recovery code (shown as it is typed), or None when stdin is not a terminal."""
    if not stdin_is_terminal():
        return None

    def ask() -> str:
        Output().say("The code is replaced once it's used, so it's fine for it to show as you type.")
        return str(typer.prompt("Recovery code", err=True))

    return ask


def older_backup_prompt() -> Callable[[], str] | None:
    """Asking for a backup's own passphrase when the journal's doesn't open it (a terminal only)."""
    if not can_ask_secret() or not stdin_is_terminal():
        return None

    def ask() -> str:
        Output().say(
            "The journal's passphrase doesn't open this backup; it may have been made with an older one."
        )
        return hidden("Backup passphrase")

    return ask


def ask_new_passphrase(current: Settings) -> str:
    """A new passphrase for this journal: from the environment if configured, else asked twice."""
    return opening.new_passphrase(current, new_passphrase_prompt())


def create_journal(current: Settings, intro: str) -> opening.Created:
    """A new journal, its passphrase chosen now (asked after `intro`)."""
    return opening.create_journal(current, new_passphrase_prompt("Choose a passphrase", intro))


# Commands that change the journal's keys prove the passphrase first, even while it is unlocked.
PASSPHRASE_FIRST = frozenset({"passwd"})


def open_journal(ctx: typer.Context, out: Output, *, session: bool = True) -> Journal:
    """Unlock (with a session's key, else the passphrase); say if a crashed editor's words were kept."""
    use = session and (ctx.command.name or "") not in PASSPHRASE_FIRST
    return open_journal_with_passphrase(ctx, out, session=use).journal


def open_journal_with_passphrase(ctx: typer.Context, out: Output, *, session: bool = False) -> opening.Opened:
    """As open_journal, also giving the passphrase (a backup is protected by it by default)."""
    opened = opening.open_journal(settings(ctx), passphrase_tries(), rescued_teller(out), session=session)
    if opened.recovery_code_unseen:
        out.say(UNSEEN_CODE, style="yellow")
    if opened.captured:
        one = opened.captured == 1
        out.say(
            f"{opened.captured} entr{'y' if one else 'ies'} written with quick capture "
            f"{'has' if one else 'have'} joined your journal.",
            style="green",
        )
    if opened.captures_unopened:
        out.say(
            f"Quick captures that didn't open were left in the inbox: {', '.join(opened.captures_unopened)} "
            "(damaged, or made for another journal).",
            style="yellow",
        )
    if opened.captures_waiting:
        out.say(
            "Quick captures are waiting, sealed, and will join the journal next time "
            f"({opened.captures_waiting})",
            style="yellow",
        )
    if opened.loose_passphrase_file:
        out.say(
            f"The passphrase file {opened.loose_passphrase_file} can be read by others on this computer; "
            f"`chmod 600 {opened.loose_passphrase_file}` makes it yours alone.",
            style="yellow",
        )
    if opened.foreign:
        out.say(
            f"This journal file holds something recovery-journal didn't put there ({opened.foreign[0]}), so "
            "it is open for reading only. `recovery-journal doctor` says more.",
            style="yellow",
        )
    return opened


UNSEEN_CODE = (
    "Your newest recovery code may never have been shown: a command stopped before it could show it. "
    "`recovery-journal passwd --new-recovery-code` gives you a new one."
)


def rescued_teller(out: Output) -> opening.Told:
    """Saying, as each is made, that a crashed editor's words were kept as a draft."""

    def told(_number: int) -> None:
        out.say(
            "Words from an editor session that ended early were found and kept safe (encrypted) as a draft. "
            "`recovery-journal drafts` shows them.",
            style="yellow",
        )

    return told


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


def refuse_words_on_command_line(words: list[str] | None) -> None:
    if words:
        raise UsageProblem(
            "Entry text on the command line would stay in your shell history, so it isn't accepted.",
            hint="Run `recovery-journal write` to open your editor, or pipe it in: "
            "recovery-journal write < note.txt",
        )


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
