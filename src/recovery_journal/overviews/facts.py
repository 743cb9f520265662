"""What the overview views (timeline, progress, calendar) know of each entry, from the entry index.

The index gives each entry's date, stage, mood, tags and flags from one sealed chunk per 256 entries; the
words are opened only for recent entries, and only for progress's few word checks, so the views stay fast on
large journals. Entry text itself never leaves this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ..domain.search import fold
from ..journal.counters import Counter
from ..journal.milestones import Milestone
from ..sealing import codec
from ..sealing.crypto import InvalidCiphertext
from ..sealing.index import TENDER, Summaries
from ..stages.kinds import Stage
from ..storage import queries

if TYPE_CHECKING:
    from ..journal.service import Journal

BOUNDARY_WORDS = re.compile(r"boundar|said no|no contact|blocked")
SIGNAL_DAYS = 130  # progress compares the last two months with the two before (see progress.py)
ANXIETY_WORDS = re.compile(r"anxious|anxiety|panic|on edge|dread|eggshells|scared")


class Fact(NamedTuple):
    """What the overviews know about one entry (a named tuple: tens of thousands are made per view)."""

    id: int
    when: datetime
    day: date  # the calendar day of `when`, where it was written
    stage: Stage | None
    confidence: float
    mood: int | None
    tags: tuple[str, ...]
    tender: bool
    boundaries: bool = False  # mentions boundaries, saying no, no contact
    anxiety: bool = False  # mentions anxiety, panic, dread


@dataclass
class Snapshot:
    facts: list[Fact]
    milestones: list[Milestone]
    counters: list[Counter]
    today: date
    unreadable: list[int] = field(default_factory=list)
    summaries: Summaries | None = None  # what it was read from (the overview's support line reads it too)


def _mentions(text: str, words: re.Pattern[str]) -> bool:
    return words.search(fold(text)) is not None


def snapshot(journal: Journal, *, with_signals: bool = False) -> Snapshot:
    """Facts about every entry, oldest first, plus milestones and counters."""
    today = journal.now().date()
    found = journal.summaries()  # the entry index: one sealed chunk per 256 entries
    bad = list(found.unreadable)
    order = found.in_date_order()
    moments = found.moments()
    days = [moment.date() for moment in moments]
    texts: dict[int, str] = {}
    if with_signals:  # word signals only look at recent months, so only recent entries' words are opened
        recent = today - timedelta(days=SIGNAL_DAYS)
        texts = _texts(journal, [found.ids[i] for i in order if days[i] >= recent], bad)
    unopened = set(bad) - set(found.unreadable)  # words that didn't open: left out, as unreadable
    ids, stages, confidences, moods = found.ids, found.stages, found.confidences, found.moods
    tags, bits = found.tags, found.bits
    facts: list[Fact] = []
    for i in order:
        entry_id = ids[i]
        if entry_id in unopened:
            continue
        text = texts.get(entry_id, "")
        facts.append(
            Fact(
                entry_id,
                moments[i],
                days[i],
                stages[i],
                confidences[i],
                moods[i],
                tags[i],
                bool(bits[i] & TENDER),
                bool(text) and _mentions(text, BOUNDARY_WORDS),
                bool(text) and _mentions(text, ANXIETY_WORDS),
            )
        )
    return Snapshot(
        facts=facts,
        milestones=journal.milestones.all(),
        counters=journal.counters.all(),
        today=today,
        unreadable=sorted(set(bad)),
        summaries=found,
    )


def _texts(journal: Journal, ids: list[int], bad: list[int]) -> dict[int, str]:
    """The words of these entries (a few months' worth); those that don't open are added to `bad`."""
    found: dict[int, str] = {}
    with journal.store.read() as con:
        rows = queries.entries_by_id(con, ids, ("text",))
    for entry_id, entry_uuid, sealed in rows:
        try:
            found[int(entry_id)] = codec.open_field(journal.cipher, str(entry_uuid), "text", sealed)
        except InvalidCiphertext:
            bad.append(int(entry_id))
    return found
