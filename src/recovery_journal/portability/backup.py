"""Backups: create, verify and restore encrypted backup files, and keep a snapshot before a merge.

The file format is backupfile.py; the records are portable.py; applying them is merge.py.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import sqlite3
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Literal

from .. import __version__
from ..domain.entry import Entry, EntryFilter, Revision
from ..errors import (
    Damaged,
    JournalError,
    NotAJournal,
    NotFound,
    PassphraseProblem,
    StorageProblem,
    Tampered,
    WrongSecret,
)
from ..journal import opening
from ..journal.service import Journal
from ..paths import SNAPSHOT_TMP
from ..sealing import codec, vault
from ..sealing import passphrase as sources
from ..sealing.crypto import Argon2Params, InvalidCiphertext
from ..sealing.ledger import Ledger
from ..settings import Settings
from ..storage import migrations, queries
from ..storage.files import fsync_folder, os_error, secure_folder, sweep_unfinished
from . import backupfile, kinds, portable
from .merge import Guess, MergeReport, merge_into, restore_into_new
from .outfiles import check_target

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
    damaged: tuple[int, ...] = ()  # entries left out because they couldn't be opened
    recovery_code: bool = False  # the journal's recovery code opens it too


BATCH = 500  # entries opened at a time while a backup or an export is written


class Contents:
    """The entries a backup or an export carries, with their earlier versions, opened a batch at a time.

    Iterating it yields (entry, earlier versions) in order; the journal is never held in memory whole. An
    entry that won't open stops it, naming it (with `stopped` saying what that leaves, when entries were
    already handed out), unless `skip_damaged`: then it is left out and named in `damaged`, never dropped
    silently. An earlier version or a prompt that won't open is named the same way; its entry is carried.
    """

    def __init__(
        self,
        journal: Journal,
        wanted: EntryFilter | None = None,
        *,
        skip_damaged: bool = False,
        include_tender: bool = True,
        revisions: bool = True,
        size: int | None = None,
        stopped: str = "nothing was written",
    ) -> None:
        self.journal, self.wanted, self.size = journal, wanted, size or BATCH
        self.skip_damaged, self.include_tender, self.with_revisions = skip_damaged, include_tender, revisions
        self.stopped = stopped
        self.damaged: list[int] = []
        self.entries = 0  # handed out so far
        self.revisions = 0
        self.tender_left_out = 0

    def tender_count(self) -> int:
        """How many tender entries were left out (known once every entry has been read)."""
        return self.tender_left_out

    def __iter__(self) -> Iterator[tuple[Entry, list[Revision]]]:
        journal = self.journal
        prompts, bad_prompts = journal.prompts()
        with journal.store.read() as con:  # one view of the journal for every batch
            for listing in journal.entry_batches(self.wanted, self.size):
                ids = [e.id for e in listing.entries]
                damaged = set(listing.unreadable) | set(bad_prompts).intersection(ids)
                grouped = self._revisions(con, ids, damaged) if self.with_revisions else {}
                if damaged and not self.skip_damaged:
                    said = self.stopped if self.entries else "nothing was written"
                    raise Tampered(
                        f"{_entries(sorted(damaged))} couldn't be opened (damaged, or changed outside "
                        f"recovery-journal), so {said}.",
                        hint="Add --skip-damaged to carry everything else; `recovery-journal doctor` lists "
                        "what is damaged.",
                    )
                self.damaged += sorted(damaged)
                for entry in listing.entries:
                    if entry.tender and not self.include_tender:
                        self.tender_left_out += 1
                        continue
                    found = grouped.get(entry.id, [])
                    self.entries += 1
                    self.revisions += len(found)
                    yield (replace(entry, prompt=prompts[entry.id]) if entry.id in prompts else entry), found

    def _revisions(
        self, con: sqlite3.Connection, ids: list[int], damaged: set[int]
    ) -> dict[int, list[Revision]]:
        """These entries' earlier versions, oldest first; an entry with one that won't open is damaged."""
        grouped: dict[int, list[Revision]] = {}
        for _rid, ruuid, eid, euuid, sealed in queries.revisions_by_entry(con, ids):
            number = len(grouped.get(eid, [])) + 1
            try:
                revision = codec.open_snapshot(self.journal.cipher, number, ruuid, euuid, sealed)
            except InvalidCiphertext:
                damaged.add(eid)
                continue
            grouped.setdefault(eid, []).append(revision)
        return grouped


def contents(journal: Journal, wanted: EntryFilter | None = None, *, skip_damaged: bool = False) -> Contents:
    """Everything a backup carries (see Contents)."""
    return Contents(journal, wanted, skip_damaged=skip_damaged)


def _entries(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10])) + (" and more" if len(numbers) > 10 else "")
    return f"Entr{'y' if len(numbers) == 1 else 'ies'} {shown} (or an earlier version of it)"


def records(journal: Journal, found: Contents, progress: Progress | None = None) -> Iterator[dict[str, Any]]:
    """Everything in the journal as portable records, ending with the counts a reader checks."""
    with journal.store.read() as con:
        schema = migrations.current_version(con)
        generation = Ledger.generation(con)
        total = queries.entry_count(con)
    yield {
        "type": "backup",
        "format": portable.FORMAT,
        "created": journal.now().isoformat(timespec="seconds"),
        "journal_id": journal.keys.journal_id,
        "schema": schema,
        "app": __version__,
        "generation": generation,  # so a restore or a sync can tell when a journal went backwards
    }
    for entry, revisions in found:
        yield portable.entry_record(entry, revisions)
        if progress is not None and found.entries % 250 == 0:
            progress(found.entries, total)
    found_milestones = journal.milestones.all()
    found_counters = journal.counters.all()
    yield from (portable.milestone_record(m) for m in found_milestones)
    yield from (portable.counter_record(c) for c in found_counters)
    personal = journal.stages.personal()
    if personal.corrections:
        yield {"type": "personal_model", "model": personal.to_json()}
    plan = journal.care.plan()
    if plan is not None:
        yield {"type": "safety_plan", "plan": plan.to_json()}
    yield {
        "type": "end",
        "counts": {
            "entries": found.entries,
            "revisions": found.revisions,
            "milestones": len(found_milestones),
            "counters": len(found_counters),
        },
    }
    if progress is not None:
        progress(total, total)


def passphrase_from_file(path: Path) -> str:
    """The backup's passphrase from --passphrase-file."""
    return sources.read_file(path.expanduser(), "--passphrase-file")


def backup_passphrase(settings: Settings, given: Path | None, ask: Callable[[], str] | None) -> str:
    """--passphrase-file, else the usual passphrase sources, else asked."""
    if given is not None:
        return passphrase_from_file(given)
    found = sources.from_environment(settings.env)
    if found is not None:
        return found
    if ask is None:
        raise PassphraseProblem(
            "There's no terminal to ask for the backup's passphrase in.",
            hint="Use --passphrase-file, or set RECOVERY_JOURNAL_PASSPHRASE_FILE.",
        )
    return ask()


def read_trying(
    path: Path,
    given: Path | None,
    journal_passphrase: str,
    ask_older: Callable[[], str] | None,
    *,
    keep: Keep = "all",
) -> portable.Incoming:
    """The backup opens with --passphrase-file, or the journal's passphrase, or (asked) an older one."""
    if given is not None:
        return read(path, passphrase_from_file(given), keep=keep)
    try:
        return read(path, journal_passphrase, keep=keep)
    except WrongSecret:
        if ask_older is None:
            raise
        return read(path, ask_older(), keep=keep)


def check_file(path: Path) -> None:
    """Refuse a file that isn't a backup this version reads (or its header is damaged) before any passphrase
    is asked for it: typing one, and waiting for its key, would be for nothing."""
    with _opened(path) as handle:
        backupfile.check(handle)


def read_with_recovery_code(
    path: Path, settings: Settings, ask_code: opening.AskAgain | None, *, keep: Keep = "all"
) -> portable.Incoming:
    """The backup opened with the journal's recovery code: from the environment, or asked (a few tries).

    A backup without a recovery-code slot is said before the code is asked for.
    """
    with _opened(path) as handle:
        if not backupfile.has_recovery_slot(handle):
            raise backupfile.no_recovery_slot()
    return opening.with_recovery_code(
        settings, ask_code, lambda code: read(path, backupfile.RecoveryCode(code), keep=keep)
    )


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    """The backup file open for reading; a missing file, a folder or a read error in plain words, and a file
    an import reads (an export, jrnl, Day One) named, with the command that takes it."""
    try:
        with path.open("rb") as handle:
            try:
                yield handle
            except NotAJournal:
                kind = kinds.importable(path)
                if kind is None:
                    raise
                raise NotAJournal(
                    f"That file looks like {kind.what}, not a backup.",
                    hint=f"Nothing was changed. `recovery-journal import {kind.command} "
                    f"{shlex.quote(str(path))}` brings its entries in.",
                ) from None
    except FileNotFoundError:
        raise NotFound(f"There's no file at {path}.", hint="Check the path; nothing was changed.") from None
    except IsADirectoryError:
        raise NotAJournal(
            f"{path} is a folder, not a backup file.", hint="Give the backup file itself."
        ) from None
    except OSError as exc:
        raise os_error(exc, path) from None


# What reading a backup keeps of its entries: all of them (to merge); only their counts (to verify, and to
# check a backup just written); or their counts, then each entry again as it is gone through (to restore
# into a new journal: checked whole first, never held whole).
Keep = Literal["all", "counts", "reread"]


def read(path: Path, secret: backupfile.Secret, *, keep: Keep = "all") -> portable.Incoming:
    """Authenticate and decode a whole backup file; nothing is trusted until every byte has checked out.

    `secret` is the backup's passphrase, or the journal's recovery code (backupfile.RecoveryCode), or a key
    already derived for it (backupfile.Derived). See Keep: reading it again keeps the file key, so the key
    is derived once however often the entries are gone through.
    """
    seen = _identity(path)
    opened: list[backupfile.FileKey] = []
    with _opened(path) as handle:
        records = _from_the_file(backupfile.read(handle, secret, opened.append))
        try:
            if keep == "all":
                return portable.collect(list(records), expect_end=True)
            incoming = portable.collect(records, expect_end=True, keep=False)
            if keep == "reread":
                incoming.entries = _Reread(path, opened[0], seen, incoming.counts()["entries"])
            return incoming
        except _FileProblem as problem:  # the file itself: a wrong secret, damage, as backupfile says
            raise problem.error from None
        except (portable.BadRecord, JournalError) as exc:
            raise Damaged(
                f"This backup's contents don't check out ({exc}).",
                hint="The journal wasn't touched. Use another copy if you have one.",
            ) from None


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None  # _opened says what is wrong
    return found.st_ino, found.st_size, found.st_mtime_ns


class _Reread(Collection[tuple[Entry, list[Revision]]]):
    """A checked backup's entries, read (and authenticated) again from the file as they are gone through.

    If the file is not the one that was checked, it stops, and a restore leaves no journal behind.
    """

    def __init__(
        self, path: Path, secret: backupfile.FileKey, seen: tuple[int, int, int] | None, total: int
    ) -> None:
        self.path, self.secret, self.seen, self.total = path, secret, seen, total

    def __len__(self) -> int:
        return self.total

    def __contains__(self, item: object) -> bool:
        return any(item == pair for pair in self)

    def __iter__(self) -> Iterator[tuple[Entry, list[Revision]]]:
        if self.seen is None or _identity(self.path) != self.seen:
            raise Damaged(
                f"{self.path} changed while it was being read, so nothing was restored.",
                hint="Run it again once nothing is writing to the file.",
            )
        with _opened(self.path) as handle:
            for raw in backupfile.read(handle, self.secret):
                if raw.get("type") == "entry":
                    try:
                        yield portable.read_entry(raw)
                    except (portable.BadRecord, JournalError):  # it checked out a moment ago
                        raise Damaged(
                            f"{self.path} changed while it was being read, so nothing was restored.",
                            hint="Run it again once nothing is writing to the file.",
                        ) from None


class _FileProblem(Exception):
    """What reading the file raised, kept apart from what checking its records raises."""

    def __init__(self, error: JournalError) -> None:
        super().__init__(error.message)
        self.error = error


def _from_the_file(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    try:
        yield from records
    except JournalError as exc:
        raise _FileProblem(exc) from None


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


def code_opens_backups(journal: Journal) -> bool:
    """Whether backups made now open with the recovery code (not when the code is older than that)."""
    return _recovery_public(journal) is not None


def _recovery_public(journal: Journal) -> bytes | None:
    with journal.store.read() as con:
        return vault.recovery_public(con, journal.keys)


def create(
    journal: Journal,
    target: Path,
    passphrase: str,
    params: Argon2Params,
    *,
    force: bool = False,
    skip_damaged: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Write a backup file whole or not at all: temporary file, fsync, verify, rename, fsync the folder."""
    target = target.expanduser().absolute()
    check_target(journal.settings.paths.home, target, force=force)
    if target.is_dir():
        raise NotAJournal(
            f"{target} is a folder.", hint="Give a file name for the backup, e.g. journal.rjbackup"
        )
    vault.check_passphrase(passphrase)
    # Derived once, before anything is read: the same key writes the file and checks it, and nothing of the
    # journal is held while Argon2id holds its 64 MiB (not even SQLite's cache of the pages opening read).
    journal.store.release_memory()
    derived = backupfile.derive(passphrase, params)
    recovery_public = _recovery_public(journal)
    found = contents(journal, skip_damaged=skip_damaged)
    folder = target.parent
    sweep_unfinished(folder, f".{target.name}.partial-")
    tmp = folder / f".{target.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            backupfile.write(handle, derived, records(journal, found, progress), params, recovery_public)
            handle.flush()
            os.fsync(handle.fileno())
        checked = read(tmp, derived, keep="counts")
        tmp.replace(target)
        fsync_folder(folder)
    except OSError as exc:
        raise os_error(exc, folder) from None
    finally:
        with contextlib.suppress(OSError):  # absent, or on a disk that refuses even that
            tmp.unlink()
    return replace(
        summary_of(checked, target.stat().st_size),
        damaged=tuple(found.damaged),
        recovery_code=recovery_public is not None,
    )


def write_to(
    stream: Any, journal: Journal, passphrase: str, params: Argon2Params, *, skip_damaged: bool = False
) -> list[int]:
    """Write a backup to an already-open binary stream (stdout); the caller has refused a terminal.

    Returns the numbers of damaged entries left out (only with `skip_damaged`)."""
    vault.check_passphrase(passphrase)
    journal.store.release_memory()
    derived = backupfile.derive(passphrase, params)  # before anything is read (see create)
    recovery_public = _recovery_public(journal)
    found = Contents(
        journal,
        skip_damaged=skip_damaged,
        stopped="the backup stopped there: what went to stdout is incomplete, and won't open as a backup",
    )
    backupfile.write(stream, derived, records(journal, found), params, recovery_public)
    stream.flush()
    return found.damaged


def remove_snapshots(journal: Journal) -> int:
    """Delete the safety copies kept before merges; return how many. They hold the key slots of their
    time, so after a passphrase change they would still open with the old passphrase or recovery code."""
    folder = journal.settings.paths.snapshots
    copies = sorted(folder.glob("before-restore-*.db")) if folder.is_dir() else []
    for copy in copies:
        for part in (copy, copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
            part.unlink(missing_ok=True)
    return len(copies)


def snapshot(journal: Journal) -> Path:
    """Copy the journal file (still encrypted) aside before a merge, keeping the last few.

    Written under a temporary name and renamed when whole, so a kill never leaves half a copy looking whole.
    """
    folder = journal.settings.paths.snapshots
    secure_folder(folder)
    stamp = journal.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"before-restore-{stamp}-{secrets.token_hex(2)}.db"
    tmp = folder / f"{SNAPSHOT_TMP}{os.getpid()}-{secrets.token_hex(4)}.db"
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        target = sqlite3.connect(tmp)
        try:
            journal.store.con.backup(target)
        finally:
            target.close()
        tmp.replace(path)
        fsync_folder(folder)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageProblem(
            f"A safety copy couldn't be made before merging, so nothing changed ({exc}).",
            hint="Free some disk space and try again.",
        ) from None
    for old in sorted(folder.glob("before-restore-*.db"))[:-SNAPSHOTS_KEPT]:
        old.unlink(missing_ok=True)
    return path


def merge(
    journal: Journal,
    incoming: portable.Incoming,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge into the open journal in one transaction; a dry run works it all out, then rolls it back.

    A dry run gives new entries no stage: what it reports doesn't depend on them, and guessing is most of
    an import's time.
    """

    class _DryRun(Exception):
        pass

    report = MergeReport()
    try:
        from . import guessing  # with its worker processes: only for a merge or a restore

        with journal.store.write() as con, _guessing(journal, incoming, dry_run) as guess:
            entries = guessing.through(guess, incoming)
            report = merge_into(
                con,
                journal.cipher,
                entries,
                guess,
                journal.now(),
                progress,
                note=journal.index.note,
                settle=lambda: journal.settle_so_far(con),
            )
            if report.teaches and not dry_run:  # it reads every entry: only when there's something to learn
                journal.stages.rebuild_personal()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


@contextmanager
def _guessing(journal: Journal, incoming: portable.Incoming, dry_run: bool) -> Iterator[Guess]:
    """The journal's own guess (shipped and personal model), made ahead on other cores for many entries."""
    if dry_run:
        yield lambda text: None
        return
    try:
        personal = journal.stages.personal().to_json()
    except Tampered:  # guessed with the shared model alone, as journal.stages.guess does
        personal = None
    from . import guessing  # its worker processes only for a merge or a restore

    with guessing.guesser(incoming.entries, len(incoming.entries), journal.stages.guess, personal) as guess:
        yield guess


def stretch(passphrase: str, params: Argon2Params) -> vault.Stretched:
    """A new journal's passphrase, derived before a restore reads the backup (see vault.Stretched)."""
    return vault.stretch(passphrase, params)


def restore_new(
    settings: Settings,
    passphrase: str | vault.Stretched,
    incoming: portable.Incoming,
    progress: Progress | None = None,
) -> tuple[Journal, str, MergeReport]:
    """A new journal holding exactly the backup's contents, made whole or not at all."""
    from ..journal.stagebook import guess_stage
    from ..stages.model import shipped
    from ..stages.record import StageRecord
    from . import guessing

    reports: list[MergeReport] = []

    def fill(con: sqlite3.Connection, cipher: Any) -> None:
        model = shipped()

        def here(text: str) -> StageRecord:
            return guess_stage(model, text)

        with guessing.guesser(incoming.entries, len(incoming.entries), here, None) as guess:
            reports.append(restore_into_new(con, cipher, guessing.through(guess, incoming), guess, progress))

    journal, code = Journal.create(settings, passphrase, fill=fill)
    return journal, code, reports[0]
