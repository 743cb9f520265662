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
from typing import TYPE_CHECKING

import typer

from ..domain.dates import DateOrder
from ..errors import (
    Interrupted,
    InvalidEncoding,
    JournalError,
    PassphraseProblem,
    Tampered,
    TooLarge,
    UsageProblem,
)
from ..journal import opening
from ..journal.editor import Announce
from ..journal.service import Journal
from ..render.output import Output
from ..settings import Settings

if TYPE_CHECKING:
    from ..journal import composing  # loaded by the commands that write, not by every command


@dataclass
class AppState:
    """What the root command collected for its subcommands."""

    journal: Path | None = None


def settings(ctx: typer.Context) -> Settings:
    state = ctx.find_object(AppState) or AppState()
    return Settings.from_env(state.journal)


def date_order(ctx: typer.Context) -> DateOrder | None:
    """How this run reads a date like 01/12 (RECOVERY_JOURNAL_DATE_ORDER); None: it isn't guessed."""
    return settings(ctx).date_order


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


def hidden(label: str, *, allow_empty: bool = False) -> str:
    """Ask without echoing; with `allow_empty`, an empty answer comes back (so the reason can be said)."""
    default = "" if allow_empty else None
    return str(typer.prompt(label, hide_input=True, err=True, default=default, show_default=False))


def passphrase_prompt(label: str = "Passphrase") -> Callable[[], str] | None:
    """Asking for a passphrase once, or None when there is no terminal to ask in."""
    return (lambda: hidden(label)) if can_ask_secret() else None


def passphrase_tries(label: str = "Passphrase") -> opening.AskTry | None:
    """Asking for the passphrase; after a slip of the fingers, kindly, again."""
    if not can_ask_secret():
        return None

    first = _before_any_change(lambda: hidden(label))

    def ask(attempt: int) -> str:
        if attempt == 1:
            return first()
        # Not "before any change" now: the try before opened the journal's file, which may have upgraded it.
        Output().say("That didn't open it. Take your time, and try again.")
        return hidden(label)

    return ask


def _before_any_change(ask: Callable[[], str]) -> Callable[[], str]:
    """`ask` at a prompt that comes before the command has changed anything: stopping there says so."""

    def asking() -> str:
        try:
            return ask()
        except (KeyboardInterrupt, typer.Abort):
            raise Interrupted.stopped(before_any_change=True) from None

    return asking


# Shorter than this, a passphrase is offered a second thought (never refused: the choice is the person's).
SHORT_PASSPHRASE = 8
NEW_PASSPHRASE_TRIES = 5


def sounds_short(passphrase: str) -> bool:
    return len(passphrase.strip()) < SHORT_PASSPHRASE


def new_passphrase_prompt(
    label: str = "New passphrase", intro: str | None = None, current: str | None = None
) -> Callable[[], str] | None:
    """Asking for a new passphrase twice (after `intro`, if given), or None when there is no terminal.

    Whatever goes wrong (empty, the same as `current`, the two not matching) is said, and asked again; a
    short one gets a gentle word and the offer to choose again before it is confirmed.
    """
    if not can_ask_secret():
        return None

    def ask() -> str:
        out = Output()
        if intro:
            out.say(intro)
        for _ in range(NEW_PASSPHRASE_TRIES):
            first = hidden(label, allow_empty=True)
            try:
                opening.check_new_passphrase(first, current)
            except PassphraseProblem as problem:
                out.say(f"{problem.message} {problem.hint}")
                continue
            if sounds_short(first) and _choose_again(out):
                continue
            if hidden("Once more, to be sure", allow_empty=True) == first:
                return first
            out.say("The two didn't match. Let's begin again with the first; there's no hurry.")
        raise PassphraseProblem(
            "No new passphrase was settled on, so nothing was changed.",
            hint="Run the command again whenever you're ready; it's fine to take your time.",
        )

    return ask


def _choose_again(out: Output) -> bool:
    """Offer a longer passphrase; no (the default) keeps the one just typed."""
    out.say(
        "A short passphrase is easier for someone else to guess. A phrase of a few words is easier to "
        "remember and harder to guess. Keeping this one is fine too."
    )
    return yes_or_no("Choose a different one?")


_YES = {"y": True, "yes": True, "n": False, "no": False}


def yes_or_no(question: str, *, default: bool = False) -> bool:
    """Ask a yes-or-no question on stderr (Enter gives `default`); any other answer is asked again, calmly.

    Instead of typer.confirm, whose answer to a slip is Click's bare "Error: invalid input".
    """
    choices = "[Y/n]" if default else "[y/N]"
    while True:
        typed = str(typer.prompt(f"{question} {choices}", default="", show_default=False, err=True))
        answer = typed.strip().lower()
        if not answer:
            return default
        if answer in _YES:
            return _YES[answer]
        Output().say("Please answer y or n.")


def recovery_code_prompt() -> opening.AskAgain | None:
    """Asking for the recovery code (shown as it is typed), or None when stdin is not a terminal.

    After a try that didn't open, it says why (which group looks mistyped) before asking again.
    """
    if not stdin_is_terminal():
        return None

    def ask(reason: JournalError | None) -> str:
        if reason is None:
            Output().say("The code is replaced once it's used, so it's fine for it to show as you type.")
        else:
            Output().say(f"{reason.message} {reason.hint or ''} Take your time, and type it again.")
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


def ask_new_passphrase(current: Settings, passphrase_now: str | None = None) -> str:
    """A new passphrase for this journal: from the environment if configured, else asked twice.

    `passphrase_now` is the journal's passphrase, when known: the new one must differ from it.
    """
    return opening.new_passphrase(
        current, new_passphrase_prompt(current=passphrase_now), current=passphrase_now
    )


def create_journal(current: Settings, intro: str) -> opening.Created:
    """A new journal, its passphrase chosen now (asked after `intro`; nothing is made until it is settled)."""
    ask = new_passphrase_prompt("Choose a passphrase", intro)
    return opening.create_journal(current, None if ask is None else _before_any_change(ask))


def open_journal(ctx: typer.Context, out: Output, *, session: bool = True) -> Journal:
    """Unlock (with a session's key, else the passphrase); say if a crashed editor's words were kept."""
    return open_journal_with_passphrase(ctx, out, session=session).journal


def open_journal_with_passphrase(
    ctx: typer.Context, out: Output, label: str = "Passphrase", *, session: bool = False
) -> opening.Opened:
    """As open_journal, also giving the passphrase; without `session`, always asked (passwd, backups)."""
    tries = passphrase_tries(label)
    opened = opening.open_journal(settings(ctx), tries, rescued_teller(out), session=session)
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
    if opened.journal.settings.sync_after and not _syncing(ctx):
        opened.journal.after_change(_sync_after(out))
    if opened.foreign:
        out.say(
            f"This journal file holds something recovery-journal didn't put there ({opened.foreign[0]}), so "
            "it is open for reading only. `recovery-journal doctor` says more.",
            style="yellow",
        )
    return opened


def _syncing(ctx: typer.Context) -> bool:
    """Whether this is one of the `sync` commands, which sync (or stop syncing) themselves."""
    return "sync" in ctx.command_path.split()[1:]


def _sync_after(out: Output) -> Callable[[Journal], None]:
    """The quiet sync after a change (sync_after): it never fails the command; one calm line if it can't."""

    def then(journal: Journal) -> None:
        from ..sync import engine

        try:
            engine.run(journal)
        except JournalError as why:
            out.say(f"Saved here. Syncing afterwards didn't work this time: {why.message} {SYNC_LATER}")
        except Exception:  # the change is saved: a sync problem, even a bug, must never fail the command
            out.say(f"Saved here. Syncing afterwards didn't work this time. {SYNC_LATER}")

    return then


SYNC_LATER = "`recovery-journal sync` tries again."


UNSEEN_CODE = (
    "Your newest recovery code may never have been shown: a command stopped before it could show it. "
    "`recovery-journal passwd --new-recovery-code` gives you a new one."
)


def rescued_teller(out: Output) -> opening.Told:
    """Saying, as each is made, that a crashed editor's words were kept as a draft."""

    def told(number: int, detailed: bool) -> None:
        details = ", with their date, tags and other details" if detailed else ""
        out.say(
            "Words from an editor session that ended early were found and kept safe (encrypted) as a draft, "
            f"draft {number}{details}. "
            f"`recovery-journal drafts save {number}` saves it (or finishes the edit it was).",
            style="yellow",
        )

    return told


def _read_piped(limit: int, too_large: TooLarge, not_utf8: InvalidEncoding) -> str:
    """What came through the pipe, as text: at most `limit` bytes of UTF-8 (a leading BOM dropped)."""
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise too_large
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise not_utf8 from None


def read_stdin_text(limit: int, outcome: str = "nothing was saved") -> str:
    """Read the piped entry: refuse more than `limit` bytes or anything that isn't UTF-8."""
    return _read_piped(
        limit,
        TooLarge(
            f"The text piped in is over {limit // 1024 // 1024} MiB, the most one entry can hold.",
            hint="Split it into a few entries. Nothing was saved.",
        ),
        InvalidEncoding(
            f"The text piped in isn't UTF-8, so {outcome}.",
            hint="Save the file as UTF-8 first (most editors offer it under Save As or Encoding), "
            "then pipe it in again.",
        ),
    )


# A search or a milestone is a line of words; more than this piped in is not one.
PIPED_LINE_LIMIT = 64 * 1024


def read_piped_line(what: str) -> str:
    """One line piped in (a search, a milestone's words), stripped: kept out of `ps` and shell history.

    Empty when nothing came; more than one line is refused rather than half used. `what` names it in
    messages, which never quote it.
    """
    text = _read_piped(
        PIPED_LINE_LIMIT,
        TooLarge(
            f"The {what} piped in is over {PIPED_LINE_LIMIT // 1024} KiB; it is meant to be one line.",
            hint="Pipe in a single line of words.",
        ),
        InvalidEncoding(
            f"The {what} piped in isn't UTF-8.", hint="Save it as UTF-8 first, then pipe it in again."
        ),
    )
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        raise UsageProblem(
            f"The {what} piped in is {len(lines)} lines; it takes one.",
            hint="Pipe in a single line of words.",
        )
    return lines[0] if lines else ""


def refuse_words_on_command_line(words: list[str] | None, command: str = "write") -> None:
    """Words typed after the command: refused (shell history and `ps` show them), with how to undo that."""
    if words:
        instead = (
            "`recovery-journal write --inline` lets you type them safely instead."
            if command == "write"
            else f"`recovery-journal {command}` opens your editor instead, or pipe the words in."
        )
        raise UsageProblem(
            "Words on the command line stay in your shell history and show in the list of running "
            "programs, so they weren't saved.",
            hint=f"{instead} To take that line out of bash's history, run `history -d $((HISTCMD-1))` "
            "straight after (other shells differ).",
        )


_HOW_TO_LEAVE = {
    "vim": "Opening {name}: press i to write; to save and close, press Esc, then type :wq and Enter "
    "(:q! and Enter leaves without saving).",
    "nano": "Opening {name}: when you're done, press Ctrl-X, then Y and Enter, to save and close.",
    "other": "Opening {name}: when you're done, save the file and close the editor.",
}


def editor_hint(out: Output) -> Announce:
    """Saying, just before the editor opens, how to save and leave it."""

    def announce(name: str, kind: str) -> None:
        out.say(_HOW_TO_LEAVE.get(kind, _HOW_TO_LEAVE["other"]).format(name=name), style="dim")

    return announce


def typed_entry(out: Output) -> composing.ReadTyped:
    """Reading an entry typed at the terminal, line by line, until Ctrl-D on an empty line."""
    from ..journal import composing

    def read(no_editor: bool, prompt: str) -> composing.Typed:
        if no_editor:
            out.say("No text editor was found, so you can write here (setting $EDITOR chooses one).")
        if prompt:
            out.say(f"Prompt: {prompt}")
        out.say("Write your entry below. When you're done, press Ctrl-D on an empty line to save it.")
        lines: list[bytes] = []
        stopped = False
        try:
            while line := sys.stdin.buffer.readline():
                lines.append(line)
        except KeyboardInterrupt:  # Ctrl-C: what was typed so far is kept as a draft, not an entry
            stopped = True
        data = b"".join(lines)
        try:
            return composing.Typed(data.decode("utf-8").removeprefix("\ufeff"), stopped)
        except UnicodeDecodeError:
            return composing.Typed(data.decode("utf-8", errors="replace"), stopped, raw=data)

    return read


def left_out(ids: list[int]) -> None:
    """Entries that failed to open were left out of what was shown: say which, ending with exit code 9."""
    if not ids:
        return
    one = len(ids) == 1
    raise Tampered(
        f"{'Entry' if one else 'Entries'} {', '.join(str(i) for i in ids)} couldn't be opened (damaged, or "
        f"changed outside recovery-journal), so {'it is' if one else 'they are'} not included.",
        hint="Everything else is shown. `recovery-journal doctor` checks the whole journal.",
    )


BIG = 2000  # entries: below this, backups, restores and imports finish before a bar would be worth drawing


class Bar:
    """A Rich progress bar on stderr while many entries are worked through (a terminal only)."""

    def __init__(self, total: int, doing: str) -> None:
        from rich.progress import Progress

        self._progress = Progress(transient=True, console=Output().err)
        self._task = self._progress.add_task(doing, total=total)

    def __enter__(self) -> Bar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update_to(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=total)


def progress_bar(out: Output, entries: int, doing: str, *, at_least: int = BIG) -> Bar | None:
    """A bar while at least `at_least` entries are worked through, on a terminal; nothing on a pipe or with
    --json (the caller passes `bar.update_to` down as the progress callback, or None)."""
    return Bar(entries, doing) if entries >= at_least and out.err_terminal and not out.json_mode else None
