"""One decrypting pass over the journal for the overview views (timeline, progress, calendar).

Opens only what those views need (date, stage, mood, tags, flags, and optionally a few word checks on the
text), so they stay fast on large journals. Entry text itself never leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from ..domain.search import fold
from ..journal.counters import Counter
from ..journal.milestones import Milestone
from ..sealing import codec
from ..sealing.crypto import InvalidCiphertext
from ..stages.model import Stage
from ..storage import queries

if TYPE_CHECKING:
    from ..journal.service import Journal

BOUNDARY_WORDS = re.compile(r"boundar|said no|no contact|blocked")
SIGNAL_DAYS = 130  # progress compares the last two months with the two before (see progress.py)
ANXIETY_WORDS = re.compile(r"anxious|anxiety|panic|on edge|dread|eggshells|scared")


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


def _mentions(text: str, words: re.Pattern[str]) -> bool:
    return words.search(fold(text)) is not None


def snapshot(journal: Journal, *, with_signals: bool = False) -> Snapshot:
    """Facts about every entry, oldest first, plus milestones and counters."""
    cipher = journal.cipher
    today = journal.now().date()
    fields = ("date", "mood", "tags", "flags")
    facts: list[Fact] = []
    bad: list[int] = []
    with journal.store.read() as con:
        rows = queries.entry_columns(con, ("stage", "text", *fields))
    for row in rows:
        entry_id, entry_uuid = int(row[0]), str(row[1])
        try:
            stage, confidence = codec.open_stage_brief(cipher, entry_uuid, row[2])
            values = {
                name: codec.open_field(cipher, entry_uuid, name, row[4 + i]) for i, name in enumerate(fields)
            }
            # Word signals only look at recent months, so only recent entries' text is opened.
            recent = with_signals and (today - values["date"].date()).days <= SIGNAL_DAYS
            text = codec.open_field(cipher, entry_uuid, "text", row[3]) if recent else ""
        except InvalidCiphertext:
            bad.append(entry_id)
            continue
        facts.append(
            Fact(
                id=entry_id,
                when=values["date"],
                stage=stage,
                confidence=confidence,
                mood=values["mood"],
                tags=values["tags"],
                tender=values["flags"][0],
                boundaries=bool(text) and _mentions(text, BOUNDARY_WORDS),
                anxiety=bool(text) and _mentions(text, ANXIETY_WORDS),
            )
        )
    facts.sort(key=lambda f: (f.when, f.id))
    return Snapshot(
        facts=facts,
        milestones=journal.milestones.all(),
        counters=journal.counters.all(),
        today=today,
        unreadable=sorted(bad),
    )
