"""Backups: create, verify and restore encrypted backup files, and keep a snapshot before a merge.

The file format is backupfile.py; the records are portable.py; applying them is merge.py.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__, backupfile, codec, migrations, portable, queries
from .crypto import Argon2Params, InvalidCiphertext
from .entry import Revision
from .errors import AlreadyExists, Damaged, JournalError, NotAJournal, StorageProblem
from .journal import Journal
from .merge import MergeReport, merge_into, restore_into_new
from .settings import Settings
from .store import fsync_folder, os_error, secure_folder

Progress = Callable[[int, int], None]
SNAPSHOTS_KEPT = 5


@dataclass(frozen=True)
class Summary:
    entries: int
    revisions: int
    milestones: int
    counters: int
    size: int = 0
    created: str | None = None


def _revisions_by_entry(journal: Journal) -> dict[int, list[Revision]]:
    grouped: dict[int, list[Revision]] = {}
    with journal.store.read() as con:
        rows = sorted(queries.all_revisions(con))
    for rid, ruuid, eid, euuid, sealed in rows:
        del rid
        number = len(grouped.get(eid, [])) + 1
        try:
            revision = codec.open_snapshot(journal.cipher, number, ruuid, euuid, sealed)
        except InvalidCiphertext:
            raise codec.tampered(eid, "An earlier version of entry") from None
        grouped.setdefault(eid, []).append(revision)
    return grouped


def records(journal: Journal, progress: Progress | None = None) -> Iterator[dict[str, Any]]:
    """Everything in the journal as portable records, ending with the counts a reader checks."""
    listing = journal.entries()
    if listing.unreadable:
        raise codec.tampered(listing.unreadable[0])
    revisions = _revisions_by_entry(journal)
    with journal.store.read() as con:
        schema = migrations.current_version(con)
    yield {
        "type": "backup",
        "format": portable.FORMAT,
        "created": journal.now().isoformat(timespec="seconds"),
        "journal_id": journal.keys.journal_id,
        "schema": schema,
        "app": __version__,
    }
    total = len(listing.entries)
    for done, entry in enumerate(listing.entries, start=1):
        yield portable.entry_record(entry, revisions.get(entry.id, []))
        if progress is not None and done % 250 == 0:
            progress(done, total)
    found_milestones = journal.milestones.all()
    found_counters = journal.counters.all()
    yield from (portable.milestone_record(m) for m in found_milestones)
    yield from (portable.counter_record(c) for c in found_counters)
    personal = journal.stages.personal()
    if personal.corrections:
        yield {"type": "personal_model", "model": personal.to_json()}
    yield {
        "type": "end",
        "counts": {
            "entries": total,
            "revisions": sum(len(r) for r in revisions.values()),
            "milestones": len(found_milestones),
            "counters": len(found_counters),
        },
    }
    if progress is not None:
        progress(total, total)


def read(path: Path, passphrase: str) -> portable.Incoming:
    """Authenticate and decode a whole backup file; nothing is trusted until every byte has checked out."""
    try:
        with path.open("rb") as handle:
            raw_records = list(backupfile.read(handle, passphrase))
    except FileNotFoundError:
        raise NotAJournal(
            f"There's no file at {path}.", hint="Check the path; nothing was changed."
        ) from None
    except IsADirectoryError:
        raise NotAJournal(
            f"{path} is a folder, not a backup file.", hint="Give the backup file itself."
        ) from None
    except OSError as exc:
        raise os_error(exc, path) from None
    try:
        return portable.collect(raw_records, expect_end=True)
    except (portable.BadRecord, JournalError) as exc:
        raise Damaged(
            f"This backup's contents don't check out ({exc}).",
            hint="The journal wasn't touched. Use another copy if you have one.",
        ) from None


def summary_of(incoming: portable.Incoming, size: int = 0) -> Summary:
    counts = incoming.counts()
    return Summary(
        entries=counts["entries"],
        revisions=counts["revisions"],
        milestones=counts["milestones"],
        counters=counts["counters"],
        size=size,
        created=incoming.meta.get("created"),
    )


def create(
    journal: Journal,
    target: Path,
    passphrase: str,
    params: Argon2Params,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Write a backup file whole or not at all: temporary file, fsync, verify, rename, fsync the folder."""
    target = target.expanduser().absolute()
    if target.exists() and not force:
        raise AlreadyExists(
            f"{target} already exists, so it was left alone.",
            hint="Choose another name, or add --force to replace it.",
        )
    if target.is_dir():
        raise NotAJournal(
            f"{target} is a folder.", hint="Give a file name for the backup, e.g. journal.rjbackup"
        )
    folder = target.parent
    tmp = folder / f".{target.name}.{secrets.token_hex(4)}.partial"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            backupfile.write(handle, passphrase, records(journal, progress), params)
            handle.flush()
            os.fsync(handle.fileno())
        checked = read(tmp, passphrase)
        tmp.replace(target)
        fsync_folder(folder)
    except OSError as exc:
        raise os_error(exc, folder) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return summary_of(checked, target.stat().st_size)


def write_to(stream: Any, journal: Journal, passphrase: str, params: Argon2Params) -> None:
    """Write a backup to an already-open binary stream (stdout); the caller has refused a terminal."""
    backupfile.write(stream, passphrase, records(journal), params)
    stream.flush()


def snapshot(journal: Journal) -> Path:
    """Copy the journal file (still encrypted) aside before a merge, keeping the last few."""
    folder = journal.settings.paths.home / "snapshots"
    secure_folder(folder)
    stamp = journal.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"before-restore-{stamp}-{secrets.token_hex(2)}.db"
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        target = sqlite3.connect(path)
        try:
            journal.store.con.backup(target)
        finally:
            target.close()
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            path.unlink()
        raise StorageProblem(
            f"A safety copy couldn't be made before merging, so nothing changed ({exc}).",
            hint="Free some disk space and try again.",
        ) from None
    for old in sorted(folder.glob("before-restore-*.db"))[:-SNAPSHOTS_KEPT]:
        old.unlink(missing_ok=True)
    return path


def merge(journal: Journal, incoming: portable.Incoming, *, dry_run: bool = False) -> MergeReport:
    """Merge into the open journal in one transaction; a dry run works it all out, then rolls it back."""

    class _DryRun(Exception):
        pass

    report = MergeReport()
    try:
        with journal.store.write() as con:
            report = merge_into(
                con, journal.cipher, incoming, lambda text: journal.stages.guess(text), journal.now()
            )
            if report.changed and not dry_run:
                journal.stages.rebuild_personal()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def restore_new(
    settings: Settings, passphrase: str, incoming: portable.Incoming
) -> tuple[Journal, str, MergeReport]:
    """A new journal holding exactly the backup's contents, made whole or not at all."""
    from .stages.model import shipped
    from .stages.record import StageRecord

    reports: list[MergeReport] = []

    def fill(con: sqlite3.Connection, cipher: Any) -> None:
        model = shipped()

        def guess(text: str) -> StageRecord:
            from .stages.model import classify_with

            return StageRecord.from_model(classify_with(model, text), model.name)

        reports.append(restore_into_new(con, cipher, incoming, guess))

    journal, code = Journal.create(settings, passphrase, fill=fill)
    return journal, code, reports[0]
