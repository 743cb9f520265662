"""Where a person is, and how they got here: the journal's stage over time, from its entries' stages.

One evening never moves "Right now". Each entry's stage joins a weighted moving picture (recent entries count
most; uncertain guesses count less), and the current stage changes only when another stage clearly leads that
picture (hysteresis) and has held on across time: at least `MOVE_ENTRIES` of its entries since the last entry
of the current stage written while that still led, the first and the latest at least `MOVE_HOURS` apart. The
journal's first day only settles where it starts. Movement back is recorded exactly like movement forward:
healing is not linear. The thresholds are explained in docs/stages.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .kinds import STAGES, Stage

HALF_LIFE = 4.0  # entries: an entry four entries back counts half as much as the newest
SWITCH_MARGIN = 0.12  # another stage must lead the current one by this share...
SWITCH_SHARE = 0.45  # ...and hold at least this much of the picture
MIN_WEIGHT = 0.35  # how much an uncertain guess still counts
MOVE_ENTRIES = 3  # a new stage needs at least this many of its own entries since it took the lead...
MOVE_HOURS = 24  # ...the first and the latest at least this far apart: more than one evening
FIRST_DAY_HOURS = 24  # entries this soon after the first one settle where the journal starts, never a move
TELL_ENTRIES = 5  # "Right now" is named only once this many entries have a stage...
TELL_SHARE = 0.4  # ...and the current stage holds at least this much of the picture


@dataclass(frozen=True)
class Point:
    """One entry's contribution: when, which stage, how sure."""

    when: datetime
    stage: Stage
    confidence: float = 1.0
    entry_id: int = 0


@dataclass
class Period:
    """A stretch of time with one current stage, and the mix of entry stages within it."""

    stage: Stage
    start: datetime
    end: datetime
    entries: int = 0
    mix: dict[Stage, int] = field(default_factory=lambda: {s: 0 for s in STAGES})

    @property
    def days(self) -> int:
        return max(0, (self.end.date() - self.start.date()).days)


@dataclass(frozen=True)
class Move:
    """A change of current stage; `forward` is towards recovery, otherwise it is a step back."""

    when: datetime
    source: Stage
    target: Stage

    @property
    def forward(self) -> bool:
        return STAGES.index(self.target) > STAGES.index(self.source)


@dataclass(frozen=True)
class Journey:
    periods: list[Period]
    moves: list[Move]
    shares: dict[Stage, float]  # the smoothed picture after the newest entry

    @property
    def current(self) -> Period | None:
        return self.periods[-1] if self.periods else None

    @property
    def enough_writing(self) -> bool:
        """Whether enough entries have a stage to say anything about where you are (the lean aside)."""
        return sum(p.entries for p in self.periods) >= TELL_ENTRIES

    @property
    def tells(self) -> bool:
        """Whether there is enough writing, leaning clearly enough, to say where you are right now."""
        current = self.current
        return current is not None and self.enough_writing and self.shares[current.stage] >= TELL_SHARE


def journey(points: Sequence[Point]) -> Journey:
    """Periods and moves from entries in any order (they are sorted by time)."""
    # One pass over every entry, so it is written for speed (50,000 entries in a few tenths of a second): the
    # three weights are plain numbers, and the entries of each stage since the current one last led are
    # counted rather than kept and searched. Every number is computed exactly as the plain reading would.
    ordered = sorted(points, key=lambda p: (p.when, p.entry_id))
    decay = 0.5 ** (1 / HALF_LIFE)
    slot = {stage: n for n, stage in enumerate(STAGES)}
    w0 = w1 = w2 = 0.0
    stages: list[Stage] = []  # each period's stage...
    members: list[list[Point]] = []  # ...and its entries
    moves: list[Move] = []
    # Of the entries since the last of the current stage's own while it led: how many of each stage, and the
    # first and latest of each.
    count = [0, 0, 0]
    first: list[Point | None] = [None, None, None]
    latest: list[Point | None] = [None, None, None]
    first_day = True
    day_one = timedelta(hours=FIRST_DAY_HOURS)
    move_span = timedelta(hours=MOVE_HOURS)
    current = -1  # the current stage's slot; -1 before the first entry
    for point in ordered:
        w0 *= decay
        w1 *= decay
        w2 *= decay
        own = slot[point.stage]
        confidence = point.confidence
        added = confidence if confidence > MIN_WEIGHT else MIN_WEIGHT  # max(MIN_WEIGHT, confidence)
        if own == 0:
            w0 += added
        elif own == 1:
            w1 += added
        else:
            w2 += added
        total = w0 + w1 + w2
        shares = (w0 / total, w1 / total, w2 / total)
        if current < 0:
            stages.append(point.stage)
            members.append([point])
            current = own
            continue
        # The stage with the largest share; on a tie the current one, else the first in STAGES order.
        leader = 0
        for n in (1, 2):
            if shares[n] > shares[leader] or (shares[n] == shares[leader] and n == current != leader):
                leader = n
        members[-1].append(point)
        if first_day:
            if point.when - ordered[0].when < day_one:
                stages[-1] = STAGES[leader]  # the first day settles where the journal starts; never a move
                current = leader
                continue
            first_day = False  # entries come in time order: every later one is past the first day too
        if leader == current and own == current:
            count = [0, 0, 0]
            first = [None, None, None]
            latest = [None, None, None]
        else:
            count[own] += 1
            if first[own] is None:
                first[own] = point
            latest[own] = point
        if leader == current:
            continue
        opened, newest = first[leader], latest[leader]
        if (
            shares[leader] >= SWITCH_SHARE
            and shares[leader] - shares[current] >= SWITCH_MARGIN
            and count[leader] >= MOVE_ENTRIES
            and opened is not None
            and newest is not None
            and newest.when - opened.when >= move_span
        ):
            # The new period starts where the new stage's run began, not at the entry that tipped it.
            start = members[-1].index(opened)
            members.append(members[-1][start:])
            del members[-2][start:]
            stages.append(STAGES[leader])
            moves.append(Move(when=opened.when, source=STAGES[current], target=STAGES[leader]))
            current = leader
            count = [0, 0, 0]
            first = [None, None, None]
            latest = [None, None, None]
    periods = [_period(stage, group) for stage, group in zip(stages, members, strict=True)]
    weights = {STAGES[0]: w0, STAGES[1]: w1, STAGES[2]: w2}
    total = sum(weights.values()) or 1.0
    return Journey(periods=periods, moves=moves, shares={s: w / total for s, w in weights.items()})


def _period(stage: Stage, group: list[Point]) -> Period:
    period = Period(stage=stage, start=group[0].when, end=group[-1].when, entries=len(group))
    for point in group:
        period.mix[point.stage] += 1
    return period
