"""The timeline: periods (weeks, months or quarters) with the stage mix, entries, mood and milestones of each.

Pure: built from a facts.Snapshot. Movement between stages comes from stages.journey, so the timeline and
`recovery-journal stage` always tell the same story.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from ..errors import InvalidDate, InvalidInput
from ..journal.milestones import Milestone
from ..stages.journey import Journey, Move, Point, journey
from ..stages.kinds import STAGES, Stage
from .facts import Snapshot

By = Literal["week", "month", "quarter"]
BY_CHOICES: tuple[By, ...] = ("week", "month", "quarter")


@dataclass
class Bucket:
    start: date
    end: date  # inclusive
    by: By
    entries: int = 0
    tender: int = 0
    mix: dict[Stage, float] = field(default_factory=lambda: {s: 0.0 for s in STAGES})
    moods: list[int] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)

    @property
    def dominant(self) -> Stage | None:
        if not any(self.mix.values()):
            return None
        return max(STAGES, key=lambda s: self.mix[s])

    @property
    def mood(self) -> float | None:
        return sum(self.moods) / len(self.moods) if self.moods else None

    @property
    def label(self) -> str:
        if self.by == "week":
            return f"{self.start.day} {self.start:%b %Y}"
        if self.by == "month":
            return f"{self.start:%b %Y}"
        return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"


@dataclass
class Timeline:
    by: By
    buckets: list[Bucket]
    journey: Journey
    journal_empty: bool = True  # False when there are entries or milestones, just none in this range

    @property
    def empty(self) -> bool:
        return not any(b.entries or b.milestones for b in self.buckets)


def choose_by(span_days: int) -> By:
    """Weeks for about two months or less, months up to two years, quarters beyond."""
    if span_days <= 70:
        return "week"
    if span_days <= 730:
        return "month"
    return "quarter"


def period_start(day: date, by: By) -> date:
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _next_start(start: date, by: By) -> date:
    if by == "week":
        return start + timedelta(days=7)
    months = 1 if by == "month" else 3
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def build(
    snapshot: Snapshot, since: date | None = None, until: date | None = None, by: str | None = None
) -> Timeline:
    """Periods from `since` to `until` (defaults: the first entry or milestone, and today)."""
    if by is not None and by not in BY_CHOICES:
        raise InvalidInput(f"'{by}' isn't a period.", hint="Use --by week, month or quarter.")
    today = snapshot.today
    if since is not None and since > today:
        raise InvalidDate(f"{since} is still ahead.", hint="The timeline covers days already lived.")
    until = min(until or today, today)
    known = [f.day for f in snapshot.facts] + [m.date for m in snapshot.milestones]
    since = since or (min(known) if known else today)
    if since > until:
        raise InvalidDate(f"--from ({since}) comes after --to ({until}).", hint="Swap them round.")
    chosen: By = by or choose_by((until - since).days)
    buckets: list[Bucket] = []
    start = period_start(since, chosen)
    while start <= until:
        following = _next_start(start, chosen)
        buckets.append(Bucket(start=start, end=following - timedelta(days=1), by=chosen))
        start = following

    starts = [b.start for b in buckets]

    def bucket_for(day: date) -> Bucket | None:
        if not buckets or day < since or day > until:
            return None
        return buckets[bisect_right(starts, day) - 1]

    for fact in snapshot.facts:
        bucket = bucket_for(fact.day)
        if bucket is None:
            continue
        bucket.entries += 1
        bucket.tender += fact.tender
        if fact.stage is not None:
            bucket.mix[fact.stage] += max(0.35, fact.confidence)
        if fact.mood is not None:
            bucket.moods.append(fact.mood)
    for milestone in snapshot.milestones:
        bucket = bucket_for(milestone.date)
        if bucket is not None:
            bucket.milestones.append(milestone)
    points = [Point(f.when, f.stage, f.confidence, f.id) for f in snapshot.facts if f.stage is not None]
    whole = journey(points)
    for move in whole.moves:
        bucket = bucket_for(move.when.date())
        if bucket is not None:
            bucket.moves.append(move)
    return Timeline(by=chosen, buckets=buckets, journey=whole, journal_empty=not known)
