"""The `sync` commands: collect input, call the sync service, hand the result to words.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ...journal import opening
from ...render.output import Output
from ...sync import engine
from .. import terminal
from ..options import JsonOpt
from . import words

FolderArg = Annotated[
    Path,
    typer.Argument(metavar="FOLDER", help="A folder your sync tool carries (Syncthing, Dropbox, git...)."),
]

sync_app = typer.Typer(
    help="One journal on several devices, through a folder a sync tool carries.", no_args_is_help=False
)


@sync_app.callback(invoke_without_command=True)
def sync(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Exchange changes with your other devices through the sync folder.

    Example: recovery-journal sync
    """
    if ctx.invoked_subcommand is not None:
        return
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        report = engine.run(journal)
    _show(out, "sync", report)


@sync_app.command("setup")
def setup(ctx: typer.Context, where: FolderArg, as_json: JsonOpt = False) -> None:
    """Start syncing this journal through FOLDER (on the first device).

    Example: recovery-journal sync setup ~/Sync/journal
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        report = engine.setup(journal, where)
    _show(out, "sync", report)
    if not as_json:
        out.say(
            "On another device: recovery-journal sync join FOLDER, with this journal's passphrase or "
            "recovery code."
        )


@sync_app.command("join")
def join(
    ctx: typer.Context,
    where: FolderArg,
    recovery_code: Annotated[
        bool,
        typer.Option("--recovery-code", help="Open it with the recovery code, then choose a passphrase."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Make this device's copy of a journal from its sync folder.

    Example: recovery-journal sync join ~/Sync/journal
    """
    from ...sync import joining  # only here: every other sync command runs without it

    out = Output(as_json)
    settings = terminal.settings(ctx)
    joining.check_home(settings)
    if recovery_code:
        found = opening.with_recovery_code(
            settings, terminal.recovery_code_prompt(), lambda code: joining.find_keys(where, code=code)
        )
        passphrase = terminal.ask_new_passphrase(settings)
    else:
        passphrase = opening.current_passphrase(settings, terminal.passphrase_prompt())
        found = joining.find_keys(where, passphrase=passphrase)
    journal, report = joining.join(settings, where, found, passphrase)
    journal.close()
    _show(out, "sync", report)
    if not as_json:
        out.say(
            f"This device now has the journal, at {settings.paths.home}. The recovery code you keep opens "
            "it here too.",
            style="green",
        )


@sync_app.command("status")
def status(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Say what is waiting each way, and when each device last synced.

    Example: recovery-journal sync status
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        found = engine.status(journal)
    if as_json:
        out.document("sync_status", **words.status_json(found))
    else:
        out.lines(words.status_lines(found))


@sync_app.command("leave")
def leave(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Stop syncing on this device; the folder and the other devices are left as they are.

    Example: recovery-journal sync leave
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        where = engine.leave(journal)
    if as_json:
        out.document("sync_leave", folder=where)
    else:
        through = f" through {where}" if where else ""
        out.say(f"This device no longer syncs{through}. Your journal here is as it was.")


def _show(out: Output, kind: str, report: engine.SyncReport) -> None:
    if out.json_mode:
        out.document(kind, **words.report_json(report))
    else:
        for line in words.report_lines(report):
            out.say(line)
