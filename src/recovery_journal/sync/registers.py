"""What travels as one value that the latest change wins: milestones, counters, the safety plan, the gentle
check's switch, and each entry's marks (tender, starred).

Every device keeps, per key, the digest and stamp of the value it last sent or took. A value that differs
from it was changed here, and goes out stamped with this device's clock (in UTC). A value coming in is taken
when its (stamp, digest) is later than the one known here, or, if the value was changed here too and not yet
sent, later than (now, this value's digest): the same comparison on every device, so all end with the same
value. A deletion is the value `None`, so deletions travel and a later edit wins over an earlier deletion.
Counters keep every run: the runs of the value that loses are added to the one that wins.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ..care.plan import SafetyPlan
from ..journal import counters, milestones
from ..sealing import codec
from ..sealing.codec import STATE_PADDED
from ..sealing.crypto import MIN_PADDED, FieldCipher, canonical_json, field_ad
from ..storage import queries

# portability/portable.py is imported in the functions that read or write a value: a sync with nothing new
# never needs it (issue 17).

Known = tuple[str, str]  # (digest, stamp) of the value last sent or taken; "" stamps sort before any time
MARKS = "marks:"


def digest(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()[:16]


GONE = digest(None)
UNMARKED = digest({"starred": False, "tender": False})


CHECKING = digest(True)


def known_of(key: str, known: dict[str, Known]) -> Known:
    """What this device last sent or took for `key`: marks start unmarked, the check on, the rest absent."""
    default = UNMARKED if key.startswith(MARKS) else CHECKING if key == "checks" else GONE
    return known.get(key, (default, ""))


def stamp(now: datetime, after: str = "") -> str:
    """`now` in UTC, but always later than `after`: a change made after seeing a value wins over it, even
    within one second or on a device whose clock is behind."""
    when = now.astimezone(timezone.utc)
    if after:
        when = max(when, datetime.fromisoformat(after) + timedelta(microseconds=1))
    return when.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Register:
    key: str  # "milestone:<uuid>", "counter:<uuid>", "plan", "checks" or "marks:<entry uuid>"
    stamp: str
    value: Any  # a plain JSON value; None when deleted

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "stamp": self.stamp, "value": self.value}

    @classmethod
    def from_json(cls, raw: Any) -> Register:
        from ..portability import portable

        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("key"), str)
            or not isinstance(raw.get("stamp"), str)
        ):
            raise portable.BadRecord("a shared value has the wrong shape")
        return cls(raw["key"], raw["stamp"], raw.get("value"))


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "id"}  # numbers differ from device to device


def _milestone_rows(con: sqlite3.Connection, cipher: FieldCipher) -> dict[str, milestones.Milestone]:
    rows = con.execute("SELECT id, uuid, date, kind, text, note, created FROM milestones").fetchall()
    return {str(r[1]): milestones.open_row(cipher, r) for r in rows}


def _counter_rows(con: sqlite3.Connection, cipher: FieldCipher) -> dict[str, counters.Counter]:
    rows = con.execute("SELECT id, uuid, name, state FROM counters").fetchall()
    return {str(r[1]): counters.open_row(cipher, r) for r in rows}


def _care(con: sqlite3.Connection, cipher: FieldCipher) -> tuple[Any, dict[str, Any]]:
    """(the plan or None, the gentle check's state) of this journal."""
    row = queries.care(con)
    if row is None:
        return None, {}
    plan = None if row[1] is None else cipher.open_json(row[1], field_ad("care", "plan", row[0]))
    state = None if row[2] is None else cipher.open_json(row[2], field_ad("care", "state", row[0]))
    return plan, state if isinstance(state, dict) else {}


def journal_values(con: sqlite3.Connection, cipher: FieldCipher) -> dict[str, Any]:
    """Every shared value of this journal but the marks, by key (deleted milestones and counters left out)."""
    from ..portability import portable

    found: dict[str, Any] = {}
    for m_uuid, milestone in _milestone_rows(con, cipher).items():
        found[f"milestone:{m_uuid}"] = _plain(portable.milestone_record(milestone))
    for c_uuid, counter in _counter_rows(con, cipher).items():
        found[f"counter:{c_uuid}"] = _plain(portable.counter_record(counter))
    plan, state = _care(con, cipher)
    found["plan"] = plan  # None when there is none, so a removed plan travels as a deletion
    found["checks"] = bool(state.get("checks", True))
    return found


def marks_value(tender: bool, starred: bool) -> dict[str, bool]:
    return {"starred": starred, "tender": tender}


def changed_here(values: dict[str, Any], known: dict[str, Known], now: datetime) -> list[Register]:
    """The values that differ from what was last sent or taken, stamped now; `known` is brought up to date.

    `values` holds the keys to look at (a key known but missing from it was deleted here).
    """
    out = []
    for key, value in values.items():
        before, after = known_of(key, known)
        if digest(value) != before:
            when = stamp(now, after)
            out.append(Register(key, when, value))
            known[key] = (digest(value), when)
    return out


def deleted_here(values: dict[str, Any], known: dict[str, Known], now: datetime) -> list[Register]:
    """Milestones and counters known here that are gone now: each a deletion to send."""
    gone = [
        key
        for key, (d, _s) in known.items()
        if key.startswith(("milestone:", "counter:")) and key not in values and d != GONE
    ]
    return changed_here(dict.fromkeys(gone), known, now)


def wins(incoming: Register, local: Any, known: dict[str, Known], now: datetime) -> bool:
    """Whether the incoming value should replace this journal's (see the module's docstring)."""
    theirs = (incoming.stamp, digest(incoming.value))
    mine_digest, mine_stamp = known_of(incoming.key, known)
    if digest(local) != mine_digest:  # changed here since, not yet sent: it goes out stamped about now
        return theirs > (stamp(now, mine_stamp), digest(local))
    return theirs > (mine_stamp, mine_digest)


def apply(
    con: sqlite3.Connection,
    cipher: FieldCipher,
    incoming: Register,
    known: dict[str, Known],
    now: datetime,
) -> bool:
    """Take one incoming value if it wins (in the caller's transaction); True when the journal changed."""
    key = incoming.key
    if key.startswith(MARKS):
        local = _marks(con, cipher, key[len(MARKS) :])
        if local is None:  # the entry isn't here (deleted, or not arrived): remember the latest marks
            _note(incoming, known)
            return False
    else:
        local = journal_values(con, cipher).get(key)
    if digest(local) == digest(incoming.value):  # the same value here already: only remember the later stamp
        _note(incoming, known)
        return False
    if not wins(incoming, local, known, now):
        if key.startswith("counter:") and local is not None and incoming.value is not None:
            merged = _with_runs(local, incoming.value)  # the other's runs join this one's history
            if merged != local:
                _write(con, cipher, key, merged)
                return True
        return False
    value = incoming.value
    if key.startswith("counter:") and local is not None and value is not None:
        value = _with_runs(value, local)
    _write(con, cipher, key, value)
    known[key] = (digest(incoming.value), incoming.stamp)  # a merged counter differs, so it goes out again
    return bool(value != local)


def _note(incoming: Register, known: dict[str, Known]) -> None:
    """Remember an incoming value as the one known here when it is later than what is known."""
    d, s = known_of(incoming.key, known)
    if (incoming.stamp, digest(incoming.value)) > (s, d):
        known[incoming.key] = (digest(incoming.value), incoming.stamp)


def _with_runs(winner: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The winning counter, with every ended run of the other it doesn't have, in order of their start."""
    runs = list(winner["runs"])
    ended = [r for r in runs if r.get("end") is not None]
    current = [r for r in runs if r.get("end") is None]
    for run in other["runs"]:
        if run.get("end") is not None and run not in ended and run["start"] not in [r["start"] for r in runs]:
            ended.append(run)
    ended.sort(key=lambda r: (r["start"], r["end"]))
    return {**winner, "runs": ended + current}


def _marks(con: sqlite3.Connection, cipher: FieldCipher, entry_uuid: str) -> dict[str, bool] | None:
    row = con.execute("SELECT id FROM entries WHERE uuid = ?", (entry_uuid,)).fetchone()
    if row is None:
        return None
    found = queries.entry_by_id(con, int(row[0]))
    if found is None:
        return None
    entry = codec.open_entry(cipher, found, queries.ENTRY_FIELDS)
    return marks_value(entry.tender, entry.starred)


def _write(con: sqlite3.Connection, cipher: FieldCipher, key: str, value: Any) -> None:
    from ..portability import portable

    kind, _, item = key.partition(":")
    if kind == "marks":
        entry_id = con.execute("SELECT id FROM entries WHERE uuid = ?", (item,)).fetchone()[0]
        flags = (bool(value["tender"]), bool(value["starred"]))
        queries.update_entry(con, int(entry_id), codec.seal_fields(cipher, item, {"flags": flags}))
    elif kind == "milestone":
        _put_milestone(con, cipher, item, value)
    elif kind == "counter":
        _put_counter(con, cipher, item, value)
    elif key == "plan":
        try:
            plan = None if value is None else SafetyPlan.from_json(value).to_json()
        except ValueError:
            raise portable.BadRecord("the safety plan isn't an object") from None
        _put_care(con, cipher, "plan", plan, MIN_PADDED)
    elif key == "checks":
        _plan, state = _care(con, cipher)
        switched = {"mood_offered": None, **state, "checks": value is True}
        _put_care(con, cipher, "state", switched, STATE_PADDED)
    else:
        raise portable.BadRecord("a shared value of a kind this version doesn't know")


def _put_milestone(con: sqlite3.Connection, cipher: FieldCipher, item: str, value: Any) -> None:
    """Change a milestone in place (its number here stays), add it, or remove it when `value` is None."""
    from ..portability import portable

    if value is None:
        con.execute("DELETE FROM milestones WHERE uuid = ?", (item,))
        return
    milestone = portable.read_milestone({**value, "uuid": item})
    sealed = milestones.seal(cipher, milestone)
    names = ("date", "kind", "text", "note", "created")
    updated = con.execute(
        "UPDATE milestones SET date = ?, kind = ?, text = ?, note = ?, created = ? WHERE uuid = ?",
        (*(sealed[n] for n in names), item),
    )
    if updated.rowcount == 0:
        milestones.insert(con, cipher, milestone)


def _put_counter(con: sqlite3.Connection, cipher: FieldCipher, item: str, value: Any) -> None:
    """Change a counter in place (its number here stays), add it, or remove it when `value` is None."""
    from ..portability import portable

    if value is None:
        con.execute("DELETE FROM counters WHERE uuid = ?", (item,))
        return
    counter = portable.read_counter({**value, "uuid": item})
    state = {
        "runs": [{"start": r.start.isoformat(), "end": r.end and r.end.isoformat()} for r in counter.runs],
        "offered": sorted(counter.offered),
    }
    updated = con.execute(
        "UPDATE counters SET name = ?, state = ? WHERE uuid = ?",
        (
            cipher.seal_text(counter.name, field_ad("counters", "name", item)),
            cipher.seal_json(state, field_ad("counters", "state", item)),
            item,
        ),
    )
    if updated.rowcount == 0:
        counters.insert(con, cipher, counter)


def _put_care(con: sqlite3.Connection, cipher: FieldCipher, column: str, value: Any, minimum: int) -> None:
    row = queries.care(con)
    row_uuid = row[0] if row is not None else str(uuidlib.uuid4())
    sealed = None if value is None else cipher.seal_json(value, field_ad("care", column, row_uuid), minimum)
    queries.put_care(con, row_uuid, column, sealed)
