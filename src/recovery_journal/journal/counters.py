"""Counters of days since something ("no contact"), with every earlier run kept. A reset never erases.

Each counter is a sealed name and a sealed state: its runs (start, end) and the round numbers already offered
as milestones in the current run.
"""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..domain.search import fold
from ..errors import AlreadyExists, InvalidDate, InvalidInput, NotFound
from ..sealing.codec import tampered
from ..sealing.crypto import FieldCipher, InvalidCiphertext, field_ad

if TYPE_CHECKING:
    from .service import Journal

ROUNDS = (7, 30, 60, 90, 100, 180, 365)
MAX_NAME = 60


def round_numbers(up_to: int) -> list[int]:
    """7, 30, 60, 90, 100, 180, 365, then every year, up to and including `up_to` days."""
    found = [r for r in ROUNDS if r <= up_to]
    year = 730
    while year <= up_to:
        found.append(year)
        year += 365
    return found


def next_round(days: int) -> int:
    """The next round number after `days`."""
    for candidate in ROUNDS:
        if candidate > days:
            return candidate
    return 365 * (days // 365 + 1)


def round_label(days: int) -> str:
    if days == 7:
        return "one week"
    if days % 365 == 0:
        years = days // 365
        return "one year" if years == 1 else f"{years} years"
    return f"{days} days"


@dataclass(frozen=True)
class Run:
    start: date
    end: date | None = None  # None: still going

    def days(self, today: date) -> int:
        return max(0, ((self.end or today) - self.start).days)


@dataclass(frozen=True)
class Counter:
    id: int
    uuid: str
    name: str
    runs: tuple[Run, ...]
    offered: tuple[int, ...] = ()  # round numbers already offered as milestones in the current run

    @property
    def current(self) -> Run:
        return self.runs[-1]

    def days(self, today: date) -> int:
        return self.current.days(today)

    def longest(self, today: date) -> int:
        return max(run.days(today) for run in self.runs)

    def total(self, today: date) -> int:
        return sum(run.days(today) for run in self.runs)

    def due_rounds(self, today: date) -> list[int]:
        """Round numbers reached in the current run and not offered yet."""
        # Only above the highest already offered: a round added in a later version isn't offered late.
        highest = max(self.offered, default=0)
        return [r for r in round_numbers(self.days(today)) if r > highest]


@dataclass
class _State:
    runs: list[Run] = field(default_factory=list)
    offered: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": [
                {"start": r.start.isoformat(), "end": None if r.end is None else r.end.isoformat()}
                for r in self.runs
            ],
            "offered": sorted(self.offered),
        }


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput(
            "A counter needs a name.", hint='For example: recovery-journal counter start "no contact"'
        )
    if len(cleaned) > MAX_NAME:
        raise InvalidInput(
            f"Counter names can be up to {MAX_NAME} characters.", hint="A few words is plenty."
        )
    return cleaned


def open_row(cipher: FieldCipher, row: tuple[Any, ...]) -> Counter:
    """Open a (id, uuid, name, state) row; Tampered names the counter if it fails."""
    counter_id, counter_uuid, name, state = int(row[0]), str(row[1]), row[2], row[3]
    try:
        raw = cipher.open_json(state, field_ad("counters", "state", counter_uuid))
        return Counter(
            id=counter_id,
            uuid=counter_uuid,
            name=cipher.open_text(name, field_ad("counters", "name", counter_uuid)),
            runs=tuple(
                Run(
                    start=date.fromisoformat(r["start"]),
                    end=None if r["end"] is None else date.fromisoformat(r["end"]),
                )
                for r in raw["runs"]
            ),
            offered=tuple(int(x) for x in raw.get("offered", ())),
        )
    except (InvalidCiphertext, KeyError, TypeError, ValueError):
        raise tampered(counter_id, "Counter") from None


def insert(con: sqlite3.Connection, cipher: FieldCipher, counter: Counter, keep_id: bool = False) -> int:
    state = _State(runs=list(counter.runs), offered=list(counter.offered))
    cursor = con.execute(
        "INSERT INTO counters (id, uuid, name, state) VALUES (?, ?, ?, ?)",
        (
            counter.id if keep_id else None,
            counter.uuid,
            cipher.seal_text(counter.name, field_ad("counters", "name", counter.uuid)),
            cipher.seal_json(state.to_json(), field_ad("counters", "state", counter.uuid)),
        ),
    )
    return int(cursor.lastrowid or 0)


class CounterBook:
    """Counter operations on one unlocked journal (reached as `journal.counters`)."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def _open(self, row: tuple[Any, ...]) -> Counter:
        return open_row(self.journal.cipher, row)

    def _save(self, counter: Counter) -> None:
        state = _State(runs=list(counter.runs), offered=list(counter.offered))
        sealed = self.journal.cipher.seal_json(state.to_json(), field_ad("counters", "state", counter.uuid))
        with self.journal.store.write() as con:
            con.execute("UPDATE counters SET state = ? WHERE id = ?", (sealed, counter.id))

    def all(self) -> list[Counter]:
        with self.journal.store.read() as con:
            rows = con.execute("SELECT id, uuid, name, state FROM counters ORDER BY id").fetchall()
        return [self._open(r) for r in rows]

    def find(self, name: str) -> Counter:
        wanted = fold(check_name(name))
        for counter in self.all():
            if fold(counter.name) == wanted:
                return counter
        raise NotFound(
            f"There's no counter called '{name}'.", hint="`recovery-journal counter list` shows them."
        )

    def start(self, name: str, since: date) -> Counter:
        name = check_name(name)
        today = self.journal.now().date()
        if since > today:
            raise InvalidDate(
                f"{since} is in the future.", hint="A counter starts today or on a day already gone."
            )
        if any(fold(c.name) == fold(name) for c in self.all()):
            raise AlreadyExists(
                f"There's already a counter called '{name}'.",
                hint=f'To begin a new run: recovery-journal counter reset "{name}"',
            )
        counter_uuid = str(uuidlib.uuid4())
        cipher = self.journal.cipher
        run = Run(start=since)
        # Rounds already passed when a counter is started late are not "reached since the last run".
        offered = round_numbers(run.days(today))
        state = _State(runs=[run], offered=offered)
        with self.journal.store.write() as con:
            cursor = con.execute(
                "INSERT INTO counters (uuid, name, state) VALUES (?, ?, ?)",
                (
                    counter_uuid,
                    cipher.seal_text(name, field_ad("counters", "name", counter_uuid)),
                    cipher.seal_json(state.to_json(), field_ad("counters", "state", counter_uuid)),
                ),
            )
        return Counter(
            id=int(cursor.lastrowid or 0), uuid=counter_uuid, name=name, runs=(run,), offered=tuple(offered)
        )

    def reset(self, name: str, on: date) -> tuple[Counter, Run]:
        """End the current run on `on` and begin a new one; the earlier run stays in the history."""
        counter = self.find(name)
        today = self.journal.now().date()
        if on > today:
            raise InvalidDate(
                f"{on} is in the future.", hint="A reset happens today or on a day already gone."
            )
        if on < counter.current.start:
            raise InvalidDate(
                f"{on} is before this run began ({counter.current.start}).",
                hint="Choose a day on or after the start of the current run.",
            )
        ended = Run(start=counter.current.start, end=on)
        if on == counter.current.start:  # the run began that same day: nothing to close, it simply goes on
            return counter, ended
        updated = Counter(
            id=counter.id,
            uuid=counter.uuid,
            name=counter.name,
            runs=(*counter.runs[:-1], ended, Run(start=on)),
            offered=(),
        )
        self._save(updated)
        return updated, ended

    def mark_offered(self, counter: Counter, rounds: list[int]) -> Counter:
        updated = Counter(
            id=counter.id,
            uuid=counter.uuid,
            name=counter.name,
            runs=counter.runs,
            offered=tuple(sorted({*counter.offered, *rounds})),
        )
        self._save(updated)
        return updated

    def delete(self, name: str) -> Counter:
        counter = self.find(name)
        with self.journal.store.write() as con:
            con.execute("DELETE FROM counters WHERE id = ?", (counter.id,))
        return counter
