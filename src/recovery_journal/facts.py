"""One decrypting pass over the journal for the overview views (timeline, progress, calendar).

Opens only what those views need (date, stage, mood, tags, flags, and optionally a few word checks on the
text), so they stay fast on large journals. Entry text itself never leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from . import codec, queries
from .counters import Counter
from .crypto import InvalidCiphertext
from .milestones import Milestone
from .search import fold
from .stages.model import Stage

if TYPE_CHECKING:
    from .journal import Journal

BOUNDARY_WORDS = ("boundar", "said no", "no contact", "blocked")
ANXIETY_WORDS = ("anxious", "anxiety", "panic", "on edge", "dread", "eggshells", "scared")


@dataclass(frozen=True)
class Fact:
    """What the overviews know about one entry."""

    id: int
    when: datetime
    stage: Stage | None
    confidence: float
    mood: int | None
    tags: tuple[str, ...]
    tender: bool
    boundaries: bool = False  # mentions boundaries, saying no, no contact
    anxiety: bool = False  # mentions anxiety, panic, dread

    @property
    def day(self) -> date:
        return self.when.date()


@dataclass
class Snapshot:
    facts: list[Fact]
    milestones: list[Milestone]
    counters: list[Counter]
    today: date
    unreadable: list[int] = field(default_factory=list)


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    folded = fold(text)
    return any(w in folded for w in words)


def snapshot(journal: Journal, *, with_signals: bool = False) -> Snapshot:
    """Facts about every entry, oldest first, plus milestones and counters."""
    cipher = journal.cipher
    fields = ("date", "stage", "mood", "tags", "flags", *(("text",) if with_signals else ()))
    facts: list[Fact] = []
    bad: list[int] = []
    with journal.store.read() as con:
        rows = queries.entry_columns(con, fields)
    for row in rows:
        entry_id, entry_uuid = int(row[0]), str(row[1])
        try:
            values = {
                name: codec.open_field(cipher, entry_uuid, name, row[2 + i]) for i, name in enumerate(fields)
            }
        except InvalidCiphertext:
            bad.append(entry_id)
            continue
        record = values["stage"]
        text = values.get("text") or ""
        facts.append(
            Fact(
                id=entry_id,
                when=values["date"],
                stage=None if record is None else record.stage,
                confidence=0.0 if record is None else record.guess.confidence,
                mood=values["mood"],
                tags=values["tags"],
                tender=values["flags"][0],
                boundaries=with_signals and _mentions(text, BOUNDARY_WORDS),
                anxiety=with_signals and _mentions(text, ANXIETY_WORDS),
            )
        )
    facts.sort(key=lambda f: (f.when, f.id))
    return Snapshot(
        facts=facts,
        milestones=journal.milestones.all(),
        counters=journal.counters.all(),
        today=journal.now().date(),
        unreadable=sorted(bad),
    )
