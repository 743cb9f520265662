"""The progress summary: time in each stage, movement, writing rhythm, mood, counters, milestones, and the
gentle signals the source material names (boundaries set, less anxiety), shown only where the data holds them.

Pure: built from a facts.Snapshot (taken with signals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..journal.counters import Counter
from ..journal.milestones import Milestone
from ..stages.journey import Journey, Point, journey
from ..stages.kinds import STAGES, Stage
from .facts import Fact, Snapshot

RECENT_DAYS = 30
SIGNAL_WINDOW = 60
MIN_FOR_TREND = 3  # entries with a mood in each window before a trend is worth mentioning


@dataclass(frozen=True)
class Signal:
    """A gentle observation the data supports, e.g. boundaries mentioned more often lately."""

    key: str
    text: str


@dataclass
class Progress:
    today: date
    entries: int
    first: date | None
    journey: Journey
    days_in_stage: dict[Stage, int]
    current_streak: int
    longest_streak: int
    per_week_recent: float
    per_week_overall: float
    mood_recent: float | None
    mood_before: float | None
    counters: list[Counter]
    milestones_this_month: list[Milestone]
    milestones_this_year: list[Milestone]
    signals: list[Signal] = field(default_factory=list)

    @property
    def days_written(self) -> int:
        """Days from the first entry to today, both counted: how long the rates are taken over."""
        return (self.today - self.first).days + 1 if self.first else 0

    @property
    def forward(self) -> int:
        return sum(m.forward for m in self.journey.moves)

    @property
    def back(self) -> int:
        return sum(not m.forward for m in self.journey.moves)


def streaks(days: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive writing days; the current one may end today or yesterday."""
    longest = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in days else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    return current, longest


def _days_in_stage(trip: Journey, today: date) -> dict[Stage, int]:
    totals = {s: 0 for s in STAGES}
    for i, period in enumerate(trip.periods):
        end = trip.periods[i + 1].start.date() if i + 1 < len(trip.periods) else today
        totals[period.stage] += max(1, (end - period.start.date()).days)
    return totals


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if len(values) >= MIN_FOR_TREND else None


def _rate(facts: list[Fact], start: date, end: date, key: str) -> tuple[int, int]:
    window = [f for f in facts if start <= f.day < end]
    return sum(getattr(f, key) for f in window), len(window)


def _signals(facts: list[Fact], today: date) -> list[Signal]:
    """Only what the entries show: more boundaries lately, fewer mentions of anxiety. Never a judgement."""
    found: list[Signal] = []
    recent_start = today - timedelta(days=SIGNAL_WINDOW)
    earlier_start = recent_start - timedelta(days=SIGNAL_WINDOW)
    b_now, n_now = _rate(facts, recent_start, today + timedelta(days=1), "boundaries")
    b_then, n_then = _rate(facts, earlier_start, recent_start, "boundaries")
    if n_now >= 3 and b_now >= 2 and (n_then == 0 or b_now / n_now > b_then / n_then):
        # "more often than before" only where there was a before: a first month of writing has none
        than_before = ", more often than before" if n_then else ""
        found.append(
            Signal(
                "boundaries",
                f"Boundaries, saying no or no contact came up in {b_now} of your "
                f"last {n_now} entries{than_before}.",
            )
        )
    a_now, _ = _rate(facts, recent_start, today + timedelta(days=1), "anxiety")
    a_then, _ = _rate(facts, earlier_start, recent_start, "anxiety")
    if n_then >= 3 and n_now >= 3 and a_then >= 2 and a_now / n_now < a_then / n_then * 0.75:
        found.append(
            Signal(
                "anxiety",
                "Anxiety and dread come up less often in your recent entries than in the two months before.",
            )
        )
    return found


def build(snapshot: Snapshot) -> Progress:
    facts, today = snapshot.facts, snapshot.today
    trip = journey([Point(f.when, f.stage, f.confidence, f.id) for f in facts if f.stage is not None])
    writing_days = {f.day for f in facts}
    current, longest = streaks(writing_days, today)
    first = min(writing_days) if writing_days else None
    recent_start = today - timedelta(days=RECENT_DAYS)
    recent = [f for f in facts if recent_start < f.day <= today]  # not one dated ahead (only imports are)
    before = [f for f in facts if recent_start - timedelta(days=RECENT_DAYS) < f.day <= recent_start]
    age = (today - first).days + 1 if first else 0
    weeks_overall = max(1.0, age / 7)
    weeks_recent = max(1.0, min(RECENT_DAYS, age) / 7)  # a young journal's "lately" is its whole life
    return Progress(
        today=today,
        entries=len(facts),
        first=first,
        journey=trip,
        days_in_stage=_days_in_stage(trip, today),
        current_streak=current,
        longest_streak=longest,
        per_week_recent=len(recent) / weeks_recent,
        per_week_overall=len(facts) / weeks_overall,
        mood_recent=_mean([f.mood for f in recent if f.mood is not None]),
        mood_before=_mean([f.mood for f in before if f.mood is not None]),
        counters=snapshot.counters,
        milestones_this_month=[
            m for m in snapshot.milestones if (m.date.year, m.date.month) == (today.year, today.month)
        ],
        milestones_this_year=[m for m in snapshot.milestones if m.date.year == today.year],
        signals=_signals(facts, today),
    )
