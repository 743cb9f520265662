"""Commands that look after the journal: doctor, an unlocked session (unlock, lock, status), drafts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..domain import durations
from ..errors import UsageProblem
from ..journal import session
from ..maintenance import doctor as checks
from ..render import maintenance as view
from ..render import session as told
from ..render.entries import entry_json
from ..render.output import Output
from ..settings import Settings
from . import terminal
from .options import JsonOpt, YesOpt

NumberArg = Annotated[int, typer.Argument(metavar="N", help="The draft's number (see `drafts`).")]


def doctor(
    ctx: typer.Context,
    backups: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[BACKUP]...", show_default=False, help="Backup files to check as well."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the journal: file, permissions, keys, every record, and any backups named.

    Example: recovery-journal doctor ~/journal-2026-11.rjbackup
    """
    out = Output(as_json)
    report = checks.examine(
        terminal.settings(ctx),
        backups or [],
        terminal.passphrase_tries(),
        terminal.passphrase_prompt(),
        terminal.rescued_teller(out),
    )
    if as_json:
        out.document(
            "doctor", checks=[view.check_json(c) for c in report.checks], exit_code=int(report.exit_code)
        )
    elif out.rich:
        out.show(view.report_view(report))
    else:
        out.lines(view.report_lines(report))
    if report.exit_code:
        raise typer.Exit(int(report.exit_code))


def unlock(
    ctx: typer.Context,
    lasting: Annotated[
        str,
        typer.Option(
            "--for", metavar="DURATION", help="How long it stays unlocked at most: 15m, 1h, 90s (up to 24h)."
        ),
    ] = "1h",
    idle: Annotated[
        str, typer.Option("--idle", metavar="DURATION", help="Lock sooner once unused this long.")
    ] = "15m",
    only_status: Annotated[bool, typer.Option("--status", help="Only say whether it is unlocked.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Keep the journal unlocked for a while, so commands don't ask for the passphrase.

    Until it locks, any program running as you can open the journal without the passphrase. It locks at the
    end of --for, after --idle unused, on `recovery-journal lock`, and when the passphrase changes.

    Example: recovery-journal unlock --for 30m
    """
    out = Output(as_json)
    if only_status:
        _status(out, terminal.settings(ctx))
        return
    lifetime, unused = durations.parse(lasting, "--for"), durations.parse(idle, "--idle")
    with terminal.open_journal(ctx, out, session=False) as journal:
        held = session.hold(journal, idle=unused, lifetime=lifetime)
    if as_json:
        out.document("unlock", **told.session_json(held.until, held.idle_until, held.idle_seconds))
    else:
        out.say(told.unlocked_line(held.until, held.idle_until, held.idle_seconds), style="green")


def lock(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Lock the journal now: commands ask for the passphrase again.

    Example: recovery-journal lock
    """
    out = Output(as_json)
    was = session.lock(terminal.settings(ctx))
    if as_json:
        out.document("lock", locked=was is not None, was_unlocked=was)
    elif was:
        out.say("Locked. The next command will ask for your passphrase.", style="green")
    elif not terminal.settings(ctx).paths.db.exists():
        out.say(told.no_journal_line(terminal.settings(ctx).paths.home))
    elif was is None:
        out.say(
            "Locking couldn't be confirmed: something that isn't your session is where it listens. "
            "A session ends itself within a second of noticing that; `recovery-journal status` shows it."
        )
    else:
        out.say("The journal was already locked.")


def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Say whether the journal is unlocked, and until when.

    Example: recovery-journal status
    """
    _status(Output(as_json), terminal.settings(ctx))


def _status(out: Output, settings: Settings) -> None:
    held = session.status(settings)
    until, idle_until = (None, None) if held is None else (held.until, held.idle_until)
    if out.json_mode:
        fields = told.session_json(until, idle_until, None if held is None else held.idle_seconds)
        out.document("status", journal=str(settings.paths.home), **fields)
    elif held is None and not settings.paths.db.exists():
        out.say(told.no_journal_line(settings.paths.home))
    else:
        out.say(told.status_line(until, idle_until))


drafts_app = typer.Typer(help="Words kept safe when a save couldn't finish.", no_args_is_help=False)


@drafts_app.callback(invoke_without_command=True)
def drafts(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the drafts kept when a save couldn't finish.

    Example: recovery-journal drafts
    """
    if ctx.invoked_subcommand is not None:
        return
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        kept = journal.drafts.all()
    if as_json:
        out.document(
            "drafts",
            drafts=[view.draft_json(d.number, d) for d in kept.drafts],
            unreadable=[n for n, _ in kept.unreadable],
        )
    elif not kept.drafts and not kept.unreadable:
        out.say("No drafts are waiting. Everything you wrote was saved.")
    elif out.rich:
        out.show(view.drafts_table(kept))
    else:
        out.lines(view.drafts_lines(kept))


@drafts_app.command("show")
def show_draft(ctx: typer.Context, number: NumberArg, as_json: JsonOpt = False) -> None:
    """Show a kept draft in full.

    Example: recovery-journal drafts show 1
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        draft = journal.drafts.get(number)
    if as_json:
        out.document("draft", draft=view.draft_json(number, draft))
    else:
        out.lines(view.draft_plain(number, draft))


@drafts_app.command("save")
def save_draft(
    ctx: typer.Context,
    number: NumberArg,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="ENCODING",
            show_default=False,
            help="For a draft your editor didn't save as UTF-8: the encoding it used (cp1252, latin-1...).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Save a kept draft as an entry (or finish the edit it came from).

    Example: recovery-journal drafts save 1
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        saved = journal.drafts.save(number, encoding)
    entry = saved.entry
    if as_json:
        out.document("entry", entry=entry_json(entry), edited=saved.edited, entry_gone=saved.entry_gone)
    elif saved.edited:
        out.say(
            f"Saved draft {number} as the new version of entry {entry.id}; the earlier one is in its "
            "history.",
            style="green",
        )
    elif saved.entry_gone:
        out.say(
            f"The entry draft {number} was editing has since been deleted, so it is saved as a new "
            f"entry, {entry.id}, keeping that entry's date and details.",
            style="green",
        )
    else:
        out.say(f"Saved draft {number} as entry {entry.id}.", style="green")


@drafts_app.command("discard")
def discard_draft(
    ctx: typer.Context,
    number: NumberArg,
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Delete a kept draft (asks first).

    Example: recovery-journal drafts discard 1
    """
    out = Output(as_json)
    if not yes and not terminal.stdin_is_terminal():
        raise UsageProblem(
            "Discarding asks first, and there's no terminal to ask in.",
            hint=f"If you're sure, add --yes: recovery-journal drafts discard {number} --yes",
        )
    with terminal.open_journal(ctx, out) as journal:
        journal.drafts.file(number)  # "no such draft" before asking
        if not yes and not terminal.yes_or_no(f"Discard draft {number}? This can't be undone."):
            out.say("Kept it.")
            if as_json:
                out.document("deleted", what="draft", number=number, deleted=False)
            return
        journal.drafts.discard(number)
    if as_json:
        out.document("deleted", what="draft", number=number, deleted=True)
    else:
        out.say(f"Discarded draft {number}.")
