"""Bringing entries in: a restore into a new journal, or a merge into an existing one (restores and imports).

A merge matches entries by UUID, never deletes, and is idempotent: applying the same records twice adds
nothing. When the same entry was changed differently on both sides, both versions are kept (the incoming one
joins the entry's history) and the entry is listed as a conflict. Everything happens inside the caller's one
transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ..domain.entry import Entry, Revision
from ..journal import counters, milestones
from ..sealing import codec
from ..sealing.crypto import FieldCipher, InvalidCiphertext, field_ad
from ..stages.record import StageRecord
from ..storage import queries
from .portable import Incoming

Guess = Callable[[str], StageRecord | None]
Progress = Callable[[int, int], None]  # (entries done, entries in all), every PROGRESS_EVERY entries
PROGRESS_EVERY = 250
# The entry index's note(): an entry just inserted, summarised from its values rather than opened again.
Note = Callable[[int, Entry, StageRecord | None, dict[str, bytes | None]], None]
MERGE_BATCH = 500  # incoming entries matched against this journal's at a time
# Entries added between two settles (see merge_into): what the index remembers of the entries it hasn't taken
# in yet (a few KB each: summary, words, sealed values) stays this small instead of growing with the import.
SETTLE_EVERY = 2048


def _told(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(done, total)


# For sync: given (theirs, mine) changed differently on both sides, whether theirs should be shown as current.
Prefer = Callable[[Entry, Entry], bool]
_CONFLICT_NS = uuidlib.UUID("5c7e1f0e-6f0a-4a53-9b65-3d1f5b0f2a77")


@dataclass
class MergeReport:
    entries_added: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    conflicts: list[int] = field(default_factory=list)
    revisions_added: int = 0
    milestones_added: int = 0
    milestones_differing: list[int] = field(default_factory=list)
    counters_added: int = 0
    counters_differing: list[str] = field(default_factory=list)
    stages_taken: int = 0
    plan_taken: bool = False
    plan_differing: bool = False  # both sides have a safety plan and they differ: this journal's is kept
    writer_stages_added: int = 0  # new entries with a stage their writer set: lessons for the personal model

    @property
    def teaches(self) -> bool:
        """Whether the personal stage model could learn anything new from what changed."""
        return bool(self.writer_stages_added or self.stages_taken or self.entries_updated or self.conflicts)

    @property
    def changed(self) -> bool:
        return bool(
            self.entries_added
            or self.entries_updated
            or self.conflicts
            or self.revisions_added
            or self.milestones_added
            or self.counters_added
            or self.stages_taken
            or self.plan_taken
        )


def _content(item: Entry | Revision) -> tuple[Any, ...]:
    return (item.date.isoformat(timespec="seconds"), item.title, item.text, tuple(item.tags), item.mood)


def _same(item: Entry | Revision) -> tuple[Any, ...]:
    """What makes two versions the same words: tags compare as a set (jrnl's txt and json order them apart).

    _content, not this, names a kept version (_conflict_uuid), so those names stay as every device made them.
    """
    return (item.date.isoformat(timespec="seconds"), item.title, item.text, frozenset(item.tags), item.mood)


def _as_entry(revision: Revision, entry_uuid: str) -> Entry:
    return Entry(
        id=0,
        uuid=entry_uuid,
        date=revision.date,
        created=revision.replaced,
        updated=revision.replaced,
        title=revision.title,
        text=revision.text,
        tags=revision.tags,
        mood=revision.mood,
    )


def _add_revision(
    con: sqlite3.Connection,
    cipher: FieldCipher,
    entry_id: int,
    entry_uuid: str,
    revision_uuid: str,
    content: Entry,
    replaced: datetime,
) -> None:
    snapshot = codec.seal_snapshot(cipher, revision_uuid, replace(content, uuid=entry_uuid), replaced)
    queries.insert_revision(con, revision_uuid, entry_id, snapshot)


def _insert_entry(
    con: sqlite3.Connection,
    cipher: FieldCipher,
    entry: Entry,
    revisions: list[Revision],
    guess: Guess,
    keep_id: bool,
    note: Note | None = None,
) -> int:
    values = codec.entry_values(entry)
    if entry.stage is None:  # the guess goes into its values, not into a copy of the whole entry
        values["stage"] = guess(entry.text)
    sealed = codec.seal_fields(cipher, entry.uuid, values)
    entry_id = queries.insert_entry(con, entry.uuid, sealed, entry.id if keep_id and entry.id else None)
    if note is not None:
        note(entry_id, entry, values["stage"], sealed)
    if entry.prompt:
        queries.put_entry_prompt(
            con, entry_id, entry.uuid, codec.seal_prompt(cipher, entry.uuid, entry.prompt)
        )
    for revision in revisions:
        _add_revision(
            con,
            cipher,
            entry_id,
            entry.uuid,
            revision.uuid,
            _as_entry(revision, entry.uuid),
            revision.replaced,
        )
    return entry_id


def restore_into_new(
    con: sqlite3.Connection,
    cipher: FieldCipher,
    incoming: Incoming,
    guess: Guess,
    progress: Progress | None = None,
) -> MergeReport:
    """Fill a brand-new journal, keeping entry and milestone numbers as they were."""
    report = MergeReport()
    total = len(incoming.entries)
    for done, (entry, revisions) in enumerate(incoming.entries, start=1):
        _insert_entry(con, cipher, entry, revisions, guess, keep_id=True)
        report.entries_added += 1
        report.revisions_added += len(revisions)
        _told(progress, done, total)
    for milestone in incoming.milestones:
        milestones.insert(con, cipher, milestone, keep_id=True)
        report.milestones_added += 1
    for counter in incoming.counters:
        counters.insert(con, cipher, counter, keep_id=True)
        report.counters_added += 1
    if incoming.personal_model is not None:
        model_uuid = str(uuidlib.uuid4())
        sealed = cipher.seal_json(incoming.personal_model, field_ad("personal_model", "model", model_uuid))
        queries.put_personal_model(con, model_uuid, sealed)
    _merge_plan(con, cipher, incoming, report)
    return report


def _merge_plan(
    con: sqlite3.Connection, cipher: FieldCipher, incoming: Incoming, report: MergeReport
) -> None:
    """Take the incoming safety plan when this journal has none; if both differ, keep this one and say so."""
    if incoming.safety_plan is None:
        return
    row = queries.care(con)
    if row is not None and row[1] is not None:
        mine = cipher.open_json(row[1], field_ad("care", "plan", row[0]))
        report.plan_differing = mine != incoming.safety_plan
        return
    row_uuid = row[0] if row is not None else str(uuidlib.uuid4())
    queries.put_care(
        con, row_uuid, "plan", cipher.seal_json(incoming.safety_plan, field_ad("care", "plan", row_uuid))
    )
    report.plan_taken = True


def _opened(
    con: sqlite3.Connection, cipher: FieldCipher, ids: list[int]
) -> dict[str, tuple[Entry, list[Revision]]]:
    """These entries of this journal with their earlier versions, by UUID."""
    found: dict[str, tuple[Entry, list[Revision]]] = {}
    for row in queries.entries_by_id(con, ids, queries.ENTRY_FIELDS):
        entry = codec.open_entry(cipher, row, queries.ENTRY_FIELDS)
        found[entry.uuid] = (entry, [])
    for _rid, ruuid, _eid, euuid, sealed in queries.revisions_by_entry(con, ids):
        earlier = found[euuid][1]
        earlier.append(codec.open_snapshot(cipher, len(earlier) + 1, ruuid, euuid, sealed))
    return found


def _batches(entries: Iterable[tuple[Entry, list[Revision]]]) -> Iterator[list[tuple[Entry, list[Revision]]]]:
    batch: list[tuple[Entry, list[Revision]]] = []
    for pair in entries:
        batch.append(pair)
        if len(batch) == MERGE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def merge_into(
    con: sqlite3.Connection,
    cipher: FieldCipher,
    incoming: Incoming,
    guess: Guess,
    now: datetime,
    progress: Progress | None = None,
    prefer: Prefer | None = None,
    keep_marks: bool = False,
    note: Note | None = None,
    settle: Callable[[], None] | None = None,
) -> MergeReport:
    """Merge records into an existing journal by UUID. Never deletes; idempotent.

    Where both sides changed an entry differently, both versions are kept and this journal's stays current,
    unless `prefer` (sync: the same choice on every device) says theirs should be. An entry marked tender or
    starred on either side stays marked, unless `keep_marks` (sync, which decides marks itself) leaves this
    journal's marks of an entry it has as they are. `note` (the journal's index) hears each entry added, and
    `settle` (the journal's index and ledger taking in what is written so far, inside the same transaction)
    is called every SETTLE_EVERY entries added.
    """
    report = MergeReport()
    # This journal's entries are known by UUID; only those an incoming entry matches are opened, a batch at
    # a time, so neither side is held whole.
    local = queries.entry_ids_by_uuid(con)
    same = _SameEntries(con, cipher) if incoming.ids_derived and local else None
    total = len(incoming.entries)
    done = 0
    for batch in _batches(incoming.entries):
        matched = _opened(con, cipher, [local[e.uuid] for e, _ in batch if e.uuid in local])
        for entry, revisions in batch:
            _told(progress, done, total)
            done += 1
            found = matched.get(entry.uuid)
            if found is None and same is not None and same.here(entry):
                report.entries_unchanged += 1  # as it was: what the text can't carry (mood, stage...) stays
                continue
            if found is None:
                _insert_entry(con, cipher, entry, revisions, guess, keep_id=False, note=note)
                report.writer_stages_added += entry.stage is not None and entry.stage.by_writer
                report.entries_added += 1
                report.revisions_added += len(revisions)
                if settle is not None and report.entries_added % SETTLE_EVERY == 0:
                    settle()
                continue
            _merge_entry(con, cipher, found, entry, revisions, now, report, prefer, keep_marks)
    _told(progress, total, total)
    known_milestones = {m.uuid: m for m in _all_milestones(con, cipher)}
    for milestone in incoming.milestones:
        mine = known_milestones.get(milestone.uuid)
        if mine is None:
            milestones.insert(con, cipher, milestone)
            report.milestones_added += 1
        elif (mine.date, mine.kind, mine.text, mine.note) != (
            milestone.date,
            milestone.kind,
            milestone.text,
            milestone.note,
        ):
            report.milestones_differing.append(mine.id)
    known_counters = {c.uuid: c for c in _all_counters(con, cipher)}
    for counter in incoming.counters:
        existing = known_counters.get(counter.uuid)
        if existing is None:
            counters.insert(con, cipher, counter)
            report.counters_added += 1
        elif existing.runs != counter.runs:
            report.counters_differing.append(existing.name)
    _merge_plan(con, cipher, incoming, report)
    return report


class _SameEntries:
    """This journal's entries by moment, for an import whose ids were made from each entry's date and words.

    Our own `export --format txt` coming back carries no ids: an entry here with the same moment, title and
    words is the same entry, not a new one. The moment is the same instant, or the same wall-clock time as the
    entry here was written in: the txt layout keeps local time without its offset, so read on a computer in
    another time zone (or in the hour clocks go back twice) the instant moves, and the time as written
    doesn't. The dates are opened once, on the first entry no id matched; then only the title and words of
    the entries at that moment.
    """

    def __init__(self, con: sqlite3.Connection, cipher: FieldCipher) -> None:
        self.con, self.cipher = con, cipher
        self._instants: dict[float, list[int]] = {}
        self._walls: dict[datetime, list[int]] = {}  # the time as written, in the entry's own offset
        self._read = False

    def _read_dates(self) -> None:
        for entry_id, entry_uuid, sealed in queries.each_entry(self.con, ("date",)):
            try:
                when: datetime = codec.open_field(self.cipher, entry_uuid, "date", sealed)
            except InvalidCiphertext:
                continue  # damaged: matched by nothing, as before
            self._instants.setdefault(when.timestamp(), []).append(int(entry_id))
            self._walls.setdefault(when.replace(tzinfo=None), []).append(int(entry_id))
        self._read = True

    def here(self, entry: Entry) -> bool:
        if not self._read:
            self._read_dates()
        ids = {
            *self._instants.get(entry.date.timestamp(), ()),
            *self._walls.get(entry.date.replace(tzinfo=None), ()),
        }
        for row in queries.entries_by_id(self.con, sorted(ids), ("title", "text")):
            entry_uuid = str(row[1])
            try:
                title = codec.open_field(self.cipher, entry_uuid, "title", row[2])
                text = codec.open_field(self.cipher, entry_uuid, "text", row[3])
            except InvalidCiphertext:
                continue  # damaged: not this entry, as far as anyone can tell
            if (title, text) == (entry.title, entry.text):
                return True
        return False


def _merge_entry(
    con: sqlite3.Connection,
    cipher: FieldCipher,
    found: tuple[Entry, list[Revision]],
    entry: Entry,
    revisions: list[Revision],
    now: datetime,
    report: MergeReport,
    prefer: Prefer | None = None,
    keep_marks: bool = False,
) -> None:
    mine, my_revisions = found
    known_revision_uuids = {r.uuid for r in my_revisions}
    my_history = {_same(r) for r in my_revisions}
    for revision in revisions:  # their history joins mine, once (the same words are never kept twice)
        if revision.uuid not in known_revision_uuids and _same(revision) not in my_history:
            _add_revision(
                con,
                cipher,
                mine.id,
                mine.uuid,
                revision.uuid,
                _as_entry(revision, mine.uuid),
                revision.replaced,
            )
            known_revision_uuids.add(revision.uuid)
            my_history.add(_same(revision))
            report.revisions_added += 1
    theirs, ours = _same(entry), _same(mine)
    their_history = {_same(r) for r in revisions}
    updates: dict[str, object] = {}
    if (
        entry.stage is not None
        and entry.stage.by_writer
        and not (mine.stage is not None and mine.stage.by_writer)
    ):
        updates["stage"] = entry.stage
        report.stages_taken += 1
    if not keep_marks and (entry.tender or mine.tender, entry.starred or mine.starred) != (
        mine.tender,
        mine.starred,
    ):
        updates["flags"] = (entry.tender or mine.tender, entry.starred or mine.starred)
    if theirs == ours or theirs in my_history:
        report.entries_unchanged += 1
    elif ours in their_history or (prefer is not None and prefer(entry, mine)):
        # They have my version in their history, so theirs is newer; or (sync) both changed it and theirs is
        # the one every device shows: mine joins the history either way.
        if ours not in their_history:
            report.conflicts.append(mine.id)
        if ours not in my_history:  # usually their history, merged in above, already holds my version
            _add_revision(
                con, cipher, mine.id, mine.uuid, _conflict_uuid(mine.uuid, _content(mine)), mine, now
            )
        updates.update(
            date=entry.date,
            updated=entry.updated,
            title=entry.title,
            text=entry.text,
            tags=entry.tags,
            mood=entry.mood,
        )
        if "stage" not in updates and not (mine.stage is not None and mine.stage.by_writer):
            updates["stage"] = entry.stage  # None is filled in with a fresh guess when the journal next opens
        report.entries_updated += 1
    else:  # changed differently on both sides: keep mine current, keep theirs in the history
        revision_uuid = _conflict_uuid(entry.uuid, _content(entry))
        if revision_uuid not in known_revision_uuids:
            _add_revision(con, cipher, mine.id, mine.uuid, revision_uuid, entry, entry.updated)
            report.revisions_added += 1
        report.conflicts.append(mine.id)
    if updates:
        queries.update_entry(con, mine.id, codec.seal_fields(cipher, mine.uuid, updates))


def _conflict_uuid(entry_uuid: str, content: tuple[Any, ...]) -> str:
    """The same on every side for the same words, so a version kept twice is recognised as one."""
    digest = hashlib.sha256(repr(content).encode()).hexdigest()
    return str(uuidlib.uuid5(_CONFLICT_NS, f"{entry_uuid}:{digest}"))


def remove_entry(con: sqlite3.Connection, entry_uuid: str) -> bool:
    """Delete an entry and its earlier versions by UUID (a deletion another device made); False if absent."""
    row = con.execute("SELECT id FROM entries WHERE uuid = ?", (entry_uuid,)).fetchone()
    return row is not None and queries.delete_entry(con, int(row[0]))


def _all_milestones(con: sqlite3.Connection, cipher: FieldCipher) -> list[milestones.Milestone]:
    rows = con.execute("SELECT id, uuid, date, kind, text, note, created FROM milestones").fetchall()
    return [milestones.open_row(cipher, r) for r in rows]


def _all_counters(con: sqlite3.Connection, cipher: FieldCipher) -> list[counters.Counter]:
    rows = con.execute("SELECT id, uuid, name, state FROM counters").fetchall()
    return [counters.open_row(cipher, r) for r in rows]
