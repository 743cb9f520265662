"""Sync itself: set up, exchange changes, say what is waiting, join from the folder, leave.

Every journal write goes through the merge rules (portability/merge.py) and the service; applying one change
file is one transaction, and the sync state changes in the same transaction as the journal.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.entry import Entry, Revision
from ..errors import AlreadyExists, Damaged, InvalidInput, NotFound, Tampered
from ..journal.service import Journal
from ..sealing import codec
from ..storage import queries
from . import changes, folder, seat
from .state import (
    Applied,
    Published,
    SyncState,
    fingerprints,
    forget,
    load,
    open_part,
    save,
    version_digest,
    versions,
)

if TYPE_CHECKING:  # imported where a change is taken in or sent: a sync with nothing new never needs them
    from ..portability import merge, portable
    from . import registers


@dataclass(frozen=True)
class Skipped:
    """A file left for next time, and why (never anything it holds)."""

    device: str
    name: str
    why: str


@dataclass
class SyncReport:
    folder: Path
    device: str
    files_applied: int = 0
    entries_added: int = 0
    entries_updated: int = 0
    entries_removed: int = 0
    conflicts: int = 0
    others_changed: int = 0  # milestones, counters, the safety plan, the gentle check, marks
    written: int | None = None  # the number of the change file this sync wrote
    entries_sent: int = 0
    deletions_sent: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    not_sent: list[int] = field(default_factory=list)  # entries here that couldn't be opened


@dataclass(frozen=True)
class DeviceStatus:
    device: str
    this_device: bool
    last_synced: str | None  # that device's own clock, shown only
    written: int  # change files that device has written, as far as this device can see
    applied: int  # of those, applied here
    waiting: int  # present in the folder and not yet applied here
    readable: bool = True  # its manifest opened


@dataclass(frozen=True)
class Status:
    folder: Path
    device: str
    to_send: int  # entries changed or deleted here since the last change file
    devices: list[DeviceStatus]


def _ensure(journal: Journal, known: SyncState | None = None) -> SyncState:
    with journal.store.read() as con:
        found = load(con, journal.cipher, journal.keys.journal_id, known=known)
    if found is None:
        raise _not_set_up()
    return found


def _not_set_up() -> NotFound:
    return NotFound(
        "This journal isn't set up to sync yet.",
        hint="On the first device: recovery-journal sync setup FOLDER; on another: "
        "recovery-journal sync join FOLDER.",
    )


def setup(journal: Journal, where: Path) -> SyncReport:
    """Make this device's folder in `where` and write everything as its first change file."""
    where = where.expanduser().absolute()
    with journal.store.read() as con:
        already = load(con, journal.cipher, journal.keys.journal_id)
    if already is not None:
        raise AlreadyExists(
            f"This journal already syncs through {already.folder}.",
            hint="`recovery-journal sync` exchanges changes; `recovery-journal sync leave` stops syncing.",
        )
    home = journal.settings.paths.home.absolute()
    if where == home or home in where.parents or where in home.parents:
        raise InvalidInput(
            "The sync folder can't be the journal's own folder, inside it, or around it.",
            hint="Choose a folder your sync tool carries, e.g. ~/Sync/journal. Nothing was changed.",
        )
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        from ..storage.files import os_error

        raise os_error(exc, where) from None
    _check_same_journal(journal, where)
    fresh = SyncState(folder=str(where), device=folder.new_device_id(), seated=True)
    seat.take(journal.settings, journal.keys.journal_id, fresh.device)
    with journal.store.write() as con:
        save(con, journal.cipher, journal.keys.journal_id, fresh)
    return run(journal)


def _check_same_journal(journal: Journal, where: Path) -> None:
    """Refuse a folder another journal syncs through: its files would never open here."""
    for listing in folder.devices(where):
        data = folder.read(listing.manifest) if listing.manifest else None
        if data is None:
            continue
        try:
            header, _ = changes.read_manifest_header(data, listing.device)
        except changes.Unreadable:
            continue
        if header.journal_id != journal.keys.journal_id:
            raise InvalidInput(
                f"{where} already holds another journal's sync files.",
                hint="Choose an empty folder for this journal; to bring this device into that journal, use "
                "`recovery-journal sync join` with a new journal home.",
            )


def leave(journal: Journal) -> str | None:
    """Stop syncing on this device; the folder is left as it is. Returns the folder it synced through, or None
    when the record of it was damaged (forgotten all the same, as the damage message says it will be)."""
    try:
        found: SyncState | None = _ensure(journal)
    except Damaged:
        found = None
    with journal.store.write() as con:
        forget(con)
    if found is None:
        return None
    seat.give_up(journal.settings, journal.keys.journal_id, found.device)
    return found.folder


def run(journal: Journal) -> SyncReport:
    """Take in the other devices' new change files, then write this device's own changes."""
    first = _ensure(journal)
    _seated(journal, first)
    with folder.exclusive(Path(first.folder) / first.device, journal.settings.lock_timeout):
        return _run(journal, first)


def _seated(journal: Journal, found: SyncState) -> None:
    """Refuse a copy of this journal that would write as the same device; note where a device lives.

    A sync state from before such notes were kept gets one now, unless a note names another place for it.
    """
    settings, journal_id = journal.settings, journal.keys.journal_id
    if found.seated or seat.noted(settings, found.device):
        seat.check(settings, journal_id, found.device)
    if found.seated:
        return
    seat.take(settings, journal_id, found.device)
    found.seated = True
    with journal.store.write() as con:
        save(con, journal.cipher, journal_id, found)


def _run(journal: Journal, first: SyncState) -> SyncReport:
    found = _ensure(journal, first)  # read again under the lock: another sync may have just finished
    where = Path(found.folder)
    report = SyncReport(folder=where, device=found.device)
    cipher = changes.sync_cipher(journal.keys.data_key)
    remote: dict[str, tuple[Any, ...]] = {}  # per entry: its state as another device sent it, this run
    head = _head(found)
    for listing in folder.devices(where):
        _take_in(journal, found, cipher, listing, report, remote)
    _send(journal, found, cipher, report, remote, head=head)
    return report


def _head(found: SyncState) -> dict[str, Any]:
    """The head of the state as it is saved, but for the time of the last sync.

    Taking in may change it without applying a file (a device seen, a late copy left alone): it is saved then.
    """
    return {k: v for k, v in found.head_json().items() if k != "synced"}


def _open_part(journal: Journal, found: SyncState) -> None:
    with journal.store.read() as con:
        open_part(con, journal.cipher, journal.keys.journal_id, found)


def _take_in(
    journal: Journal,
    found: SyncState,
    cipher: Any,
    listing: folder.Listing,
    report: SyncReport,
    remote: dict[str, tuple[Any, ...]],
) -> None:
    """Apply one device's change files not yet applied, in the order of their numbers.

    This device's own folder counts too, for files beyond what it remembers writing (a crash between
    writing a file and noting it, or a journal put back from a copy): applying them again adds nothing.
    """
    own = listing.device == found.device
    applied = found.applied.setdefault(listing.device, Applied()) if not own else None
    if applied is not None:
        _late_copies(journal, found, cipher, listing, applied, report, remote)
    for seq in sorted(listing.changes):
        if (own and seq <= found.seq) or (applied is not None and applied.has(seq)):
            continue
        paths = [listing.changes[seq], *listing.copies.get(seq, [])]
        seen: list[bytes] = []
        opened: list[changes.Change] = []
        for path in paths:
            data = folder.read(path)
            if data is None:
                report.skipped.append(Skipped(listing.device, path.name, "it couldn't be read just now"))
                continue
            if data in seen:  # a "conflicted copy" with the same bytes: nothing new
                continue
            seen.append(data)
            try:
                opened.append(changes.open_change(cipher, journal.keys.journal_id, listing.device, seq, data))
            except changes.Unreadable as why:
                report.skipped.append(Skipped(listing.device, path.name, str(why)))
        from ..portability import portable

        for change in opened:
            try:
                _apply(journal, found, change, report, remote, seq=seq, own=own)
            except portable.BadRecord as why:
                report.skipped.append(
                    Skipped(listing.device, folder.change_name(seq), f"a record in it doesn't fit ({why})")
                )


def _late_copies(
    journal: Journal,
    found: SyncState,
    cipher: Any,
    listing: folder.Listing,
    applied: Applied,
    report: SyncReport,
    remote: dict[str, tuple[Any, ...]],
) -> None:
    """A "conflicted copy" of a number already applied: applied too if it differs and authenticates.

    Merging is idempotent, so applying it adds only what it holds that the journal doesn't. A copy the same
    as what was applied, or one that doesn't authenticate, is remembered (by a digest) and left alone.
    """
    for seq, paths in sorted(listing.copies.items()):
        if not applied.has(seq):
            continue  # taken with its number below
        for path in paths:
            data = folder.read(path)
            if data is None:
                continue
            digest = hashlib.sha256(data).hexdigest()[:32]
            if digest in found.copies or data == folder.read(listing.changes.get(seq, path)):
                continue
            from ..portability import portable

            try:
                change = changes.open_change(cipher, journal.keys.journal_id, listing.device, seq, data)
            except changes.Unreadable:
                found.copies.append(digest)  # not a real copy of that file: nothing to take from it
                continue
            try:
                _apply(journal, found, change, report, remote, seq=seq, own=False, copy=digest)
            except portable.BadRecord as why:
                report.skipped.append(
                    Skipped(listing.device, path.name, f"a record in it doesn't fit ({why})")
                )


def _state_of(entry: Entry, revisions: list[Revision]) -> tuple[Any, ...]:
    return (version_digest(entry), tuple(versions(entry, revisions)), entry.tender, entry.starred)


def _prefer(theirs: Entry, mine: Entry) -> bool:
    """Both changed: the version every device shows is the later `updated`, ties by digest; both are kept."""

    def rank(e: Entry) -> tuple[str, str]:
        return (e.updated.astimezone(timezone.utc).isoformat(), version_digest(e))

    return rank(theirs) > rank(mine)


def _apply(
    journal: Journal,
    found: SyncState,
    change: changes.Change,
    report: SyncReport,
    remote: dict[str, tuple[Any, ...]],
    *,
    seq: int,
    own: bool,
    copy: str | None = None,
) -> None:
    from ..portability import portable
    from . import registers

    _open_part(journal, found)
    incoming = portable.collect(change.records, expect_end=False)
    kept = []
    for entry, revisions in incoming.entries:
        remote[entry.uuid] = _state_of(entry, revisions)
        known = found.tombstones.get(entry.uuid)
        if known is not None and version_digest(entry) in known:
            continue  # deleted here (or by another device) at this very version: it stays deleted
        kept.append((entry, revisions))
    incoming.entries = kept
    shared = [registers.Register.from_json(raw) for raw in change.registers]
    now = journal.now()
    before = (dict(found.registers), dict(found.tombstones), dict(found.published))
    try:
        if copy is not None:
            found.copies.append(copy)  # saved with the rest in the file's transaction
        taken, result, removed = _apply_one(journal, found, change, incoming, shared, now, seq=seq, own=own)
    except BaseException:  # the transaction was rolled back: so is what this device remembers
        found.registers, found.tombstones, found.published = before
        if copy is not None:
            found.copies.remove(copy)
        raise
    report.files_applied += 1
    report.entries_added += result.entries_added
    report.entries_updated += result.entries_updated
    report.conflicts += len(result.conflicts)
    report.entries_removed += removed
    report.others_changed += result.milestones_added + result.counters_added + taken


def _apply_one(
    journal: Journal,
    found: SyncState,
    change: changes.Change,
    incoming: portable.Incoming,
    shared: list[registers.Register],
    now: datetime,
    *,
    seq: int,
    own: bool,
) -> tuple[int, merge.MergeReport, int]:
    """One change file in one transaction: entries, deletions, shared values, and the state that notes it."""
    from ..portability import merge
    from . import registers

    with journal.store.write() as con:
        _note_new_marks(con, found, incoming.entries)
        result = merge.merge_into(
            con, journal.cipher, incoming, journal.stages.guess, now, prefer=_prefer, keep_marks=True
        )
        removed = _remove(journal, found, change.tombstones)
        taken = sum(registers.apply(con, journal.cipher, r, found.registers, now) for r in shared)
        if result.teaches or removed:  # it reads every entry: only when a writer's stage may come or go
            journal.stages.rebuild_personal()
        if own:
            found.seq = max(found.seq, seq)
        else:
            found.applied.setdefault(change.device, Applied()).add(seq)
        save(con, journal.cipher, journal.keys.journal_id, found)
    return taken, result, removed


def _note_new_marks(con: Any, found: SyncState, incoming: Any) -> None:
    """An entry arriving marked was marked elsewhere, not here: its marks are known, never sent as new."""
    from . import registers

    marked = [e for e, _ in incoming if e.tender or e.starred]
    for entry in marked:
        key = registers.MARKS + entry.uuid
        here = con.execute("SELECT 1 FROM entries WHERE uuid = ?", (entry.uuid,)).fetchone()
        if key not in found.registers and here is None:
            found.registers[key] = (registers.digest(registers.marks_value(entry.tender, entry.starred)), "")


def _remove(journal: Journal, found: SyncState, tombstones: dict[str, list[str]]) -> int:
    """Apply deletions made elsewhere; one never removes a version the deleting device didn't know."""
    from ..portability import merge

    removed = 0
    con = journal.store.con
    for entry_uuid, known in tombstones.items():
        found_id = con.execute("SELECT id FROM entries WHERE uuid = ?", (entry_uuid,)).fetchone()
        row = None if found_id is None else queries.entry_by_id(con, int(found_id[0]))
        merged = sorted(set(known) | set(found.tombstones.get(entry_uuid, [])))
        if row is None:
            found.tombstones[entry_uuid] = merged
            continue
        current = codec.open_entry(journal.cipher, row, queries.ENTRY_FIELDS)
        if version_digest(current) in known:
            merge.remove_entry(con, entry_uuid)
            found.tombstones[entry_uuid] = merged
            found.published.pop(entry_uuid, None)
            removed += 1
        else:  # edited here since: the edit stays, and goes out again so the deleting device gets it back
            found.published.pop(entry_uuid, None)
    return removed


def _send(
    journal: Journal,
    found: SyncState,
    cipher: Any,
    report: SyncReport,
    remote: dict[str, tuple[Any, ...]],
    *,
    head: dict[str, Any],
) -> None:
    """Write one change file with what changed here since the last, then the manifest, then remember it.

    With nothing new either way, nothing is written: the folder and the journal stay as they are (the time
    this device last synced is refreshed at most once an hour, or whenever its manifest is out of date).
    `head` is the state's head as the sync found it: whatever changed it since is saved with the rest.
    """
    unchanged = not remote and _unchanged_since(journal, found.checked)
    if not unchanged:  # else nothing changed here since a sync found it all sent: nothing to look at
        _look(journal, found, cipher, report, remote)
    changed = found.upgraded or report.files_applied > 0 or _head(found) != head or found.part_changed()
    if not changed and not unchanged:  # looked and found it all sent: noted, so the next sync needn't look
        with journal.store.read() as con:
            changed = found.checked != (None if report.not_sent else _upcoming(journal, con))
    now = journal.now()
    if changed or _stale(found.synced, now):
        found.synced = now.isoformat(timespec="seconds")
        _write_manifest(journal, found, cipher)
        with journal.store.write() as con:
            # Everything here is sent now (but entries that couldn't be opened: those are looked at again).
            found.checked = None if report.not_sent else _upcoming(journal, con)
            save(con, journal.cipher, journal.keys.journal_id, found)
        found.upgraded = False
    else:
        _write_manifest(journal, found, cipher, unless_same=True)


def _look(
    journal: Journal,
    found: SyncState,
    cipher: Any,
    report: SyncReport,
    remote: dict[str, tuple[Any, ...]],
) -> None:
    """Find what changed here since the last change file, by fingerprint and by value; write it as the next.

    Entries exactly as another device sent them this run are left out: that device has them.
    """
    from . import registers

    with journal.store.read() as con:
        now_prints = fingerprints(con)
        open_part(con, journal.cipher, journal.keys.journal_id, found)
    records: list[dict[str, Any]] = []
    marks: dict[str, Any] = {}
    published: dict[str, Published] = {}
    for entry_uuid, (entry_id, print_) in sorted(now_prints.items(), key=lambda kv: kv[1][0]):
        before = found.published.get(entry_uuid)
        if before is not None and before.fingerprint == print_:
            continue
        try:
            entry, revisions = journal.history(entry_id)
        except Tampered:
            report.not_sent.append(entry_id)
            continue
        published[entry_uuid] = Published(print_, versions(entry, revisions))
        marks[registers.MARKS + entry_uuid] = registers.marks_value(entry.tender, entry.starred)
        if remote.get(entry_uuid) != _state_of(entry, revisions):
            from ..portability import portable

            records.append(portable.entry_record(entry, revisions))
    tombstones = {u: p.versions for u, p in found.published.items() if u not in now_prints}
    with journal.store.read() as con:
        values = registers.journal_values(con, journal.cipher)
    known = dict(found.registers)
    for entry_uuid in tombstones:
        known.pop(registers.MARKS + entry_uuid, None)
    now = journal.now()
    shared = registers.changed_here({**values, **marks}, known, now)
    shared += registers.deleted_here(values, known, now)
    report.entries_sent = len(records)
    report.deletions_sent = len(tombstones)
    if records or tombstones or shared:
        seq = found.seq + 1
        change = changes.Change(found.device, seq, records, tombstones, [r.to_json() for r in shared])
        target = Path(found.folder) / found.device / folder.change_name(seq)
        folder.publish(target, changes.seal_change(cipher, journal.keys.journal_id, change), replace=False)
        found.seq = seq
        report.written = seq
    found.published.update(published)
    for entry_uuid in tombstones:
        found.published.pop(entry_uuid, None)
        found.tombstones[entry_uuid] = sorted(
            set(tombstones[entry_uuid]) | set(found.tombstones.get(entry_uuid, []))
        )
    found.registers = known


def _unchanged_since(journal: Journal, checked: int | None) -> bool:
    """Whether the journal is as it was when a sync saved `checked`: its ledger generation is the same.

    Every write moves the generation on, but only while the ledger's seal verifies; without one, look.
    """
    if checked is None:
        return False
    with journal.store.read() as con:
        return _upcoming(journal, con) == checked + 1


def _upcoming(journal: Journal, con: Any) -> int | None:
    """The generation this write transaction will leave, if its ledger moves on; else None."""
    generation, upcoming = journal.ledger.generation(con), journal.ledger.upcoming(con)
    return upcoming if generation is not None and upcoming == generation + 1 else None


FRESH = timedelta(hours=1)  # how long a sync with nothing new leaves "last synced" as it was


def _stale(synced: str | None, now: datetime) -> bool:
    if synced is None:
        return True
    try:
        return not timedelta(0) <= now - datetime.fromisoformat(synced) < FRESH
    except (ValueError, TypeError):  # unreadable, or a time without a zone: refresh it
        return True


def _write_manifest(journal: Journal, found: SyncState, cipher: Any, *, unless_same: bool = False) -> None:
    """Write this device's manifest; with `unless_same`, only if the one there says something else.

    A passphrase or recovery code changed here changes the slots it carries, so it is written again then.
    """
    from ..sealing import vault

    with journal.store.read() as con:
        slots = {kind: queries.key_slot(con, kind) for kind in (vault.SLOT_PASSPHRASE, vault.SLOT_RECOVERY)}
        recovery_public = queries.meta_value(con, vault.RECOVERY_PUBLIC_KEY)
    header = changes.ManifestHeader(
        journal_id=journal.keys.journal_id,
        device=found.device,
        generation=journal.keys.generation,
        slots={kind: changes.Slot(*slot) for kind, slot in slots.items() if slot is not None},
    )
    body = {
        "format": changes.FORMAT,
        "seq": found.seq,
        "synced": found.synced,
        "recovery_public": recovery_public,
    }
    target = Path(found.folder) / found.device / folder.MANIFEST
    sealed = changes.seal_manifest(cipher, header, body)
    if unless_same and _same_manifest(cipher, target, sealed, found.device, body):
        return
    folder.publish(target, sealed, replace=True)


def _same_manifest(cipher: Any, target: Path, sealed: bytes, device: str, body: dict[str, Any]) -> bool:
    there = folder.read(target)
    if there is None:
        return False
    try:
        header, rest = changes.read_manifest_header(there, device)
        mine, _ = changes.read_manifest_header(sealed, device)
        return header.raw == mine.raw and changes.open_manifest_body(cipher, header, rest) == body
    except changes.Unreadable:
        return False


def status(journal: Journal) -> Status:
    """What is waiting each way, and when each device last synced (by its own clock)."""
    with journal.store.read() as con:
        found = load(con, journal.cipher, journal.keys.journal_id, whole=True)
        now_prints = fingerprints(con)
    if found is None:
        raise _not_set_up()
    where = Path(found.folder)
    cipher = changes.sync_cipher(journal.keys.data_key)
    to_send = sum(
        1
        for u, (_i, p) in now_prints.items()
        if (found.published.get(u) is None or found.published[u].fingerprint != p)
    ) + sum(1 for u in found.published if u not in now_prints)
    shown: list[DeviceStatus] = []
    for listing in folder.devices(where):
        body: dict[str, Any] = {}
        readable = True
        data = folder.read(listing.manifest) if listing.manifest else None
        try:
            if data is None:
                raise changes.Unreadable("no manifest")
            header, sealed = changes.read_manifest_header(data, listing.device)
            body = changes.open_manifest_body(cipher, header, sealed)
        except changes.Unreadable:
            readable = False
        own = listing.device == found.device
        written = max([int(body.get("seq") or 0), *listing.changes.keys()], default=0)
        applied = found.seq if own else found.applied.get(listing.device, Applied()).upto
        waiting = (
            0
            if own
            else sum(1 for s in listing.changes if not found.applied.get(listing.device, Applied()).has(s))
        )
        shown.append(
            DeviceStatus(
                device=listing.device,
                this_device=own,
                last_synced=body.get("synced"),
                written=written,
                applied=applied,
                waiting=waiting,
                readable=readable,
            )
        )
    return Status(folder=where, device=found.device, to_send=to_send, devices=shown)
