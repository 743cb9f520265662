"""Moving words in and out: encrypted backups (create, verify, restore), plain exports, and imports."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from ..domain.words import counted, when_saved
from ..errors import AlreadyExists, JournalError, UsageProblem
from ..journal.service import Journal
from ..portability import backup as backups
from ..portability import outfiles
from ..portability.merge import MergeReport
from ..portability.portable import Incoming
from ..render.output import Output
from ..settings import Settings
from . import terminal
from .options import DAY_WORDS, IncludeTenderOpt, JsonOpt, TagOpt

if TYPE_CHECKING:
    from ..portability import importers

backup_app = typer.Typer(
    help="Encrypted backups: one file that opens anywhere with its passphrase or the recovery code."
)
import_app = typer.Typer(help="Bring entries in from a recovery-journal JSON export, jrnl or Day One.")

FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="The backup file.")]
PassFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        metavar="FILE",
        show_default=False,
        help="Read the backup's passphrase from FILE instead of using the journal's.",
    ),
]
RecoveryCodeOpt = Annotated[
    bool,
    typer.Option(
        "--recovery-code",
        help="Open the backup with the journal's recovery code instead (asked, or from "
        "RECOVERY_JOURNAL_RECOVERY_CODE); it opens backups made while it was the journal's code.",
    ),
]
SkipDamagedOpt = Annotated[
    bool,
    typer.Option(
        "--skip-damaged",
        help="Carry everything that opens, leaving out (and naming) entries that can't be opened.",
    ),
]
OLD_CODE = (
    "Your recovery code is older than backups' recovery-code slot, so this backup opens with its passphrase "
    "only. `recovery-journal passwd --new-recovery-code` gives you a code that opens backups too."
)
NOT_ENCRYPTED = (
    "Note: this export is not encrypted. Keep it somewhere private, and delete it when you're done."
)


def _backup_passphrase(ctx: typer.Context, given: Path | None) -> str:
    return backups.backup_passphrase(
        terminal.settings(ctx), given, terminal.passphrase_prompt("Backup passphrase")
    )


def _read_backup(
    ctx: typer.Context, file: Path, given: Path | None, by_code: bool, *, keep: backups.Keep = "all"
) -> tuple[Incoming, str | None]:
    """The backup, opened with the recovery code (asked) or its passphrase; and the passphrase, if one.

    `keep` says what is kept of its entries (backups.Keep).
    """
    if by_code and given is not None:
        raise UsageProblem(
            "--recovery-code and --passphrase-file each open the backup; give one of them.",
            hint=f"recovery-journal backup verify {file} --recovery-code",
        )
    if by_code:
        incoming = backups.read_with_recovery_code(
            file, terminal.settings(ctx), terminal.recovery_code_prompt(), keep=keep
        )
        return incoming, None
    secret = _backup_passphrase(ctx, given)
    return backups.read(file, secret, keep=keep), secret


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KiB"


@backup_app.command("create")
def create(
    ctx: typer.Context,
    target: Annotated[
        Path, typer.Argument(metavar="FILE", help="Where to write the backup ('-' for stdout).")
    ],
    passphrase_file: PassFileOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    skip_damaged: SkipDamagedOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Write an encrypted backup of the whole journal to one file.

    Example: recovery-journal backup create ~/journal-2026-11.rjbackup
    """
    out = Output(as_json)
    to_stdout = str(target) == "-"
    if to_stdout and sys.stdout.isatty():
        raise UsageProblem(
            "A backup is binary, so it isn't written to the terminal.",
            hint="Give a file name, or redirect it: backup create - > journal.rjbackup",
        )
    opened = terminal.open_journal_with_passphrase(ctx, out)
    with opened.journal as journal:
        protect = backups.passphrase_from_file(passphrase_file) if passphrase_file else opened.passphrase
        if to_stdout:
            left_out = backups.write_to(
                sys.stdout.buffer, journal, protect, journal.settings.kdf, skip_damaged=skip_damaged
            )
            out.say("Backup written to stdout.")
            if not backups.code_opens_backups(journal):
                out.say(OLD_CODE)
            _say_left_out(out, left_out)
            return
        progress = terminal.progress_bar(out, journal.count(), "Backing up")
        with progress or contextlib.nullcontext():
            summary = backups.create(
                journal,
                target,
                protect,
                journal.settings.kdf,
                force=force,
                skip_damaged=skip_damaged,
                progress=progress.update_to if progress else None,
            )
    if as_json:
        out.document(
            "backup",
            file=str(target),
            entries=summary.entries,
            milestones=summary.milestones,
            counters=summary.counters,
            revisions=summary.revisions,
            bytes=summary.size,
            left_out_damaged=list(summary.damaged),
        )
        return
    out.say(
        f"Backed up {counted(summary.entries, 'entry')}, {counted(summary.milestones, 'milestone')} and "
        f"{counted(summary.counters, 'counter')} to {target} ({_size(summary.size)}), checked after writing.",
        style="green",
    )
    other = "the passphrase in " + str(passphrase_file) if passphrase_file else "the journal's passphrase"
    code = " or your recovery code" if summary.recovery_code else ""
    out.say(f"It opens with {other}{code}, on any computer: recovery-journal backup restore {target}")
    if not summary.recovery_code:
        out.say(OLD_CODE)
    _say_left_out(out, list(summary.damaged))


def _say_left_out(out: Output, damaged: list[int]) -> None:
    if damaged:
        out.say(
            f"Left out because they couldn't be opened: {_numbers(damaged)} "
            "(`recovery-journal doctor` says more)."
        )


def _numbers(numbers: list[int]) -> str:
    word = "entry" if len(numbers) == 1 else "entries"
    return f"{word} {', '.join(map(str, numbers))}"


@backup_app.command("verify")
def verify(
    ctx: typer.Context,
    file: FileArg,
    passphrase_file: PassFileOpt = None,
    recovery_code: RecoveryCodeOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Check a backup opens and is whole, without touching any journal.

    Example: recovery-journal backup verify ~/journal-2026-11.rjbackup
    """
    out = Output(as_json)
    backups.check_file(file)  # before a passphrase or the recovery code is asked for it
    incoming = _read_backup(ctx, file, passphrase_file, recovery_code, keep="counts")[0]
    summary = backups.summary_of(incoming, file.stat().st_size)
    if as_json:
        out.document(
            "backup-verify",
            file=str(file),
            ok=True,
            created=summary.created,
            entries=summary.entries,
            revisions=summary.revisions,
            milestones=summary.milestones,
            counters=summary.counters,
        )
        return
    out.say(
        f"The backup is whole and opens: {counted(summary.entries, 'entry')} "
        f"({counted(summary.revisions, 'earlier version')}), {counted(summary.milestones, 'milestone')}, "
        f"{counted(summary.counters, 'counter')}, "
        f"made {when_saved(summary.created)}.",
        style="green",
    )


@backup_app.command("restore")
def restore(
    ctx: typer.Context,
    file: FileArg,
    merge: Annotated[bool, typer.Option("--merge", help="Merge into the existing journal.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
    ] = False,
    passphrase_file: PassFileOpt = None,
    recovery_code: RecoveryCodeOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Restore a backup into a new journal, or --merge it into this one.

    A new journal opens with the backup's passphrase. Opened with --recovery-code, it gets a new passphrase,
    chosen now (or from RECOVERY_JOURNAL_NEW_PASSPHRASE_FILE, _COMMAND or RECOVERY_JOURNAL_NEW_PASSPHRASE).

    Example: recovery-journal backup restore ~/journal-2026-11.rjbackup --merge
    """
    out = Output(as_json)
    current = terminal.settings(ctx)
    exists = current.paths.db.exists()
    if exists and not merge:
        raise AlreadyExists(
            f"There's already a journal at {current.paths.home}.",
            hint="Add --merge to merge the backup into it (nothing is ever deleted), "
            "or use --journal FOLDER for a new one.",
        )
    backups.check_file(file)  # before the journal's passphrase, the backup's or a new one is asked for
    if exists:
        _restore_merging(ctx, out, file, dry_run, passphrase_file, recovery_code, as_json)
    else:
        _restore_new(ctx, out, current, file, dry_run, passphrase_file, recovery_code, as_json)


def _restore_new(
    ctx: typer.Context,
    out: Output,
    current: Settings,
    file: Path,
    dry_run: bool,
    passphrase_file: Path | None,
    recovery_code: bool,
    as_json: bool,
) -> None:
    """A backup restored into a new journal: checked whole, then restored entry by entry as read again."""
    stretched = None
    if recovery_code or dry_run:
        incoming, secret = _read_backup(ctx, file, passphrase_file, recovery_code, keep="reread")
    else:  # the new journal opens with this passphrase: its key is derived first, while little is held
        secret = _backup_passphrase(ctx, passphrase_file)
        stretched = backups.stretch(secret, current.kdf)
        incoming = backups.read(file, secret, keep="reread")
    if dry_run:
        _report(
            out,
            MergeReport(
                entries_added=len(incoming.entries),
                milestones_added=len(incoming.milestones),
                counters_added=len(incoming.counters),
            ),
            dry_run=True,
            as_json=as_json,
        )
        return
    chosen = secret is None  # opened with the recovery code: the new journal's passphrase is chosen now
    protect = stretched or terminal.ask_new_passphrase(current)
    progress = terminal.progress_bar(out, len(incoming.entries), "Restoring")
    with progress or contextlib.nullcontext():
        journal, code, report = backups.restore_new(
            current, protect, incoming, progress.update_to if progress else None
        )
    with journal:
        _report(out, report, dry_run=False, as_json=as_json, recovery_code=code)
        _show_code(out, journal, code, as_json)
    if not as_json:
        which = "the passphrase you just chose" if chosen else "the backup's passphrase"
        out.say(f"The new journal at {current.paths.home} opens with {which}.")
        out.say(
            "The recovery code above is new and belongs to this journal: the old journal's code won't "
            "open it, so keep this one somewhere safe."
        )


def _restore_merging(
    ctx: typer.Context,
    out: Output,
    file: Path,
    dry_run: bool,
    passphrase_file: Path | None,
    recovery_code: bool,
    as_json: bool,
) -> None:
    """A backup merged into this journal (nothing deleted, a safety copy first)."""
    opened = terminal.open_journal_with_passphrase(ctx, out)
    with opened.journal as journal:
        if recovery_code:  # checked whole, then read again as it is merged (never held whole)
            incoming = _read_backup(ctx, file, passphrase_file, True, keep="reread")[0]
        else:
            incoming = backups.read_trying(
                file, passphrase_file, opened.passphrase, terminal.older_backup_prompt(), keep="reread"
            )
        report = backups.merge(journal, incoming, dry_run=True)
        if dry_run or not report.changed:
            _report(out, report, dry_run=dry_run, as_json=as_json)
            return
        saved = backups.snapshot(journal)
        report = backups.merge(journal, incoming)
    _report(out, report, dry_run=False, as_json=as_json, snapshot=str(saved))


def _show_code(out: Output, journal: Journal, code: str, as_json: bool) -> None:
    """A new journal's recovery code: in the JSON document already, or shown now; then recorded as shown."""
    if as_json:
        sys.stdout.flush()
        journal.recovery_code_shown()
        return
    from .keys import show_recovery_code

    show_recovery_code(out, code, first=True, journal=journal)


def _report(
    out: Output,
    report: MergeReport,
    *,
    dry_run: bool,
    as_json: bool,
    snapshot: str | None = None,
    skipped: int = 0,
    recovery_code: str | None = None,
    kind: str = "restore",
    carried: dict[str, object] | None = None,
) -> None:
    if as_json:
        extra: dict[str, object] = {} if recovery_code is None else {"recovery_code": recovery_code}
        if carried is not None:
            extra["carried"] = carried
        out.document(
            kind,
            **extra,
            dry_run=dry_run,
            snapshot=snapshot,
            entries_added=report.entries_added,
            entries_updated=report.entries_updated,
            entries_unchanged=report.entries_unchanged,
            conflicts=report.conflicts,
            revisions_added=report.revisions_added,
            milestones_added=report.milestones_added,
            counters_added=report.counters_added,
            stages_taken=report.stages_taken,
            skipped_empty=skipped,
        )
        return
    added = [
        part
        for part in (
            counted(report.entries_added, "entry") if report.entries_added else "",
            counted(report.milestones_added, "milestone") if report.milestones_added else "",
            counted(report.counters_added, "counter") if report.counters_added else "",
        )
        if part
    ]
    line = f"{'Would add' if dry_run else 'Added'} {_join(added)}." if added else "Nothing new to add."
    if report.entries_updated:
        moved = "would move" if dry_run else "moved"
        line += f" {counted(report.entries_updated, 'entry')} {moved} to a newer version."
    if report.entries_unchanged:
        verb = "is" if report.entries_unchanged == 1 else "are"
        line += f" {counted(report.entries_unchanged, 'entry')} {verb} already here."
    out.say(line, style="green" if added and not dry_run else "")
    if report.conflicts:
        listed = ", ".join(map(str, report.conflicts))
        many = len(report.conflicts) > 1
        out.say(
            f"{'Entries' if many else 'Entry'} {listed} had been changed differently in both places; both "
            f"versions {'would be' if dry_run else 'are'} kept (see `recovery-journal history ID`)."
        )
    if report.milestones_differing or report.counters_differing:
        out.say("Some milestones or counters differ between the two; the ones here were kept as they are.")
    if skipped:
        verb = "would be" if dry_run else ("was" if skipped == 1 else "were")
        out.say(f"{counted(skipped, 'empty entry')} {verb} skipped.")
    if snapshot:
        out.say(f"A copy of the journal from just before is at {snapshot}.")
    if dry_run:
        out.say("Dry run: nothing was changed.")


# --- export and import ----------------------------------------------------------------------------------


def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="markdown, json or txt.")
    ] = "markdown",
    written_to: Annotated[
        str | None,  # a str: a Path would lose the trailing slash that names a folder
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            show_default=False,
            help="Write to FILE (readable only by you) instead of stdout ('-' is stdout). With markdown, "
            "a new or empty FOLDER (or a name ending in /) gets one note per entry.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="DAY", show_default=False, help=f"Entries from this day: {DAY_WORDS}."
        ),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", metavar="DAY", show_default=False, help="Entries up to this day.")
    ] = None,
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage", "-s", metavar="STAGE", show_default=False, help="Only this stage (repeatable)."
        ),
    ] = None,
    tag: TagOpt = None,
    include_tender: IncludeTenderOpt = False,
    skip_damaged: SkipDamagedOpt = False,
) -> None:
    """Export your entries as plain Markdown, JSON or text (not encrypted).

    Entries you marked as tender stay out unless you add --include-tender; the export says how many.
    Markdown into a folder gives one note per entry, with YAML front matter Obsidian reads.

    Example: recovery-journal export --format markdown -o journal.md
    """
    from ..render import exports
    from .reading import entry_filter

    if fmt not in exports.FORMATS:
        raise UsageProblem(f"'{fmt}' isn't an export format.", hint="Use --format markdown, json or txt.")
    wanted = entry_filter(since, until, None, tag, None, False, stage, terminal.date_order(ctx))
    output = None if written_to in (None, "-") else Path(str(written_to))
    folder = output is not None and outfiles.is_folder_target(str(written_to))
    home = terminal.settings(ctx).paths.home
    if output is not None and folder:
        if fmt != "markdown":
            raise UsageProblem(
                f"{output} is a folder; a {fmt} export is one file.",
                hint=f"Give a file name (-o journal.{fmt}), or use --format markdown for a folder of notes.",
            )
        outfiles.check_folder(home, output)
    elif output is not None:
        outfiles.check_target(home, output, force=force)
    out = Output()
    with terminal.open_journal(ctx, out) as journal:
        found = backups.Contents(
            journal,
            wanted,
            skip_damaged=skip_damaged,
            include_tender=include_tender,
            revisions=fmt == "json",
            stopped="the export stopped there: what came before it was written out, nothing after it",
        )
        whole = not (since or until or tag or stage)  # the safety plan goes only with the whole journal
        plan = journal.care.plan() if whole else None
        milestones = journal.milestones.all()

        def write(stream: TextIO) -> None:  # entries are written as they are read, never all held at once
            if fmt == "json":
                counters = journal.counters.all()
                exports.write_json(
                    stream, found, milestones, counters, journal.now(), plan, found.tender_count
                )
            elif fmt == "markdown":
                entries = (entry for entry, _ in found)
                exports.write_markdown(stream, entries, milestones, journal.now(), plan, found.tender_count)
            else:
                exports.write_text(stream, (entry for entry, _ in found))

        if output is not None and folder:
            entries = (entry for entry, _ in found)
            outfiles.write_folder(output, exports.notes(entries, milestones, plan))
            out.say(f"Exported {counted(found.entries, 'entry')} as notes in {output}.", style="green")
        elif output is not None:
            outfiles.write_streamed(output, write, overwrite=force)
            out.say(f"Exported {counted(found.entries, 'entry')} to {output}.", style="green")
        else:
            write(sys.stdout)
    tender = found.tender_left_out
    out.say(NOT_ENCRYPTED)
    if tender:
        out.say(exports.tender_note(tender))
    _say_left_out(out, found.damaged)


def _import(ctx: typer.Context, read: importers.Imported, dry_run: bool, as_json: bool) -> None:
    out = Output(as_json)
    current = terminal.settings(ctx)
    if not current.paths.db.exists() and dry_run:  # no journal yet: everything would be new
        incoming = read.incoming
        would = MergeReport(
            entries_added=len(incoming.entries),
            revisions_added=sum(len(r) for _, r in incoming.entries),
            milestones_added=len(incoming.milestones),
            counters_added=len(incoming.counters),
        )
        _imported(out, read, would, dry_run=True, as_json=as_json)
        if not as_json:
            out.say(f"There's no journal at {current.paths.home} yet; importing for real creates one.")
        return
    if not current.paths.db.exists():
        _import_into_new(current, read, out, as_json)
        return
    with terminal.open_journal(ctx, out) as journal:
        report = backups.merge(journal, read.incoming, dry_run=True)
        snapshot = None
        if report.changed and not dry_run:  # a safety copy only when something will change
            snapshot = str(backups.snapshot(journal))
            progress = terminal.progress_bar(out, len(read.incoming.entries), "Importing")
            with progress or contextlib.nullcontext():
                report = backups.merge(
                    journal, read.incoming, progress=progress.update_to if progress else None
                )
    _imported(out, read, report, dry_run=dry_run, as_json=as_json, snapshot=snapshot)
    if not as_json and report.entries_added and not dry_run:
        out.say(
            "Every new entry has been given a healing stage; `recovery-journal stage review` goes through "
            "the unsure ones."
        )


def _import_into_new(current: Settings, read: importers.Imported, out: Output, as_json: bool) -> None:
    """Moving from another journal with no journal here yet: create one, then bring everything in."""
    intro = f"There's no journal here yet, so one is created at {current.paths.home} for these entries."
    created = terminal.create_journal(current, intro)
    code = created.recovery_code
    with created.journal as journal:
        progress = terminal.progress_bar(out, len(read.incoming.entries), "Importing")
        step = progress.update_to if progress else None
        try:
            with progress or contextlib.nullcontext():
                report = backups.merge(journal, read.incoming, progress=step)
        except BaseException as exc:  # one transaction: nothing came in, so the new journal goes again
            if not journal.withdraw():
                raise
            if isinstance(exc, JournalError):
                raise type(exc)(
                    f"{exc.message} Nothing was imported, and the journal made for it was taken away again.",
                    hint=exc.hint,
                ) from None
            raise
        _imported(out, read, report, dry_run=False, as_json=as_json, recovery_code=code)
        _show_code(out, journal, code, as_json)
    if not as_json:
        out.say(
            "Every entry has been given a healing stage; `recovery-journal stage review` goes through the "
            "unsure ones."
        )


def _imported(
    out: Output,
    read: importers.Imported,
    report: MergeReport,
    *,
    dry_run: bool,
    as_json: bool,
    snapshot: str | None = None,
    recovery_code: str | None = None,
) -> None:
    """An import's summary: what was added, then what was carried, adapted and left out, per field."""
    carried = read.carried.to_json() if read.carried is not None else None
    _report(
        out,
        report,
        dry_run=dry_run,
        as_json=as_json,
        snapshot=snapshot,
        skipped=read.skipped_empty,
        recovery_code=recovery_code,
        kind="import",
        carried=carried,
    )
    if not as_json and read.carried is not None:
        from ..render import exports

        for line in exports.carried_lines(read.carried, dry_run=dry_run):
            out.say(line)


DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show what would be imported; change nothing.")]
ImportFile = Annotated[Path, typer.Argument(metavar="FILE", help="The file to import.")]


@import_app.command("json")
def import_json(
    ctx: typer.Context, file: ImportFile, dry_run: DryRunOpt = False, as_json: JsonOpt = False
) -> None:
    """Import a recovery-journal JSON export (entries, earlier versions, milestones, counters).

    Example: recovery-journal import json journal-export.json
    """
    from ..portability import importers

    importers.key_derived_first()
    _import(ctx, importers.own_json(file), dry_run, as_json)


@import_app.command("jrnl")
def import_jrnl(
    ctx: typer.Context,
    file: ImportFile,
    dayfirst: Annotated[
        bool | None,
        typer.Option(
            "--dayfirst/--monthfirst",
            show_default=False,
            help="Read dates like 05/03/2024 as 5 March (--dayfirst) or May 3 (--monthfirst). Without "
            "either, jrnl's timeformat decides, or dates only one order can read; others are refused.",
        ),
    ] = None,
    jrnl_config: Annotated[
        Path | None,
        typer.Option(
            "--jrnl-config",
            metavar="FILE",
            show_default=False,
            help="jrnl's config file, for its timeformat and tagsymbols (default: where jrnl keeps it).",
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a jrnl journal: its plain-text file, or jrnl --export json, md or txt.

    Example: recovery-journal import jrnl ~/.local/share/jrnl/journal.txt
    """
    from ..portability import importers

    importers.key_derived_first()
    _import(ctx, importers.jrnl(file, dayfirst=dayfirst, config=jrnl_config), dry_run, as_json)


@import_app.command("dayone")
def import_dayone(
    ctx: typer.Context, file: ImportFile, dry_run: DryRunOpt = False, as_json: JsonOpt = False
) -> None:
    """Import a Day One export (the JSON file, or the zip Day One makes).

    Example: recovery-journal import dayone "Day One Export.zip"
    """
    from ..portability import dayone, importers

    importers.key_derived_first()
    _import(ctx, dayone.read(file), dry_run, as_json)
