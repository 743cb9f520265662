"""Where a person is, and how they got here: the journal's stage over time, from its entries' stages.

One entry never flips the current stage. Each entry's stage joins a weighted moving picture (recent entries
count most; uncertain guesses count less), and the current stage changes only when another stage clearly
leads that picture (hysteresis). Movement back is recorded exactly like movement forward: healing is not
linear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .model import STAGES, Stage

HALF_LIFE = 4.0  # entries: an entry four entries back counts half as much as the newest
SWITCH_MARGIN = 0.12  # another stage must lead the current one by this share...
SWITCH_SHARE = 0.45  # ...and hold at least this much of the picture
MIN_WEIGHT = 0.35  # how much an uncertain guess still counts


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


def journey(points: Sequence[Point]) -> Journey:
    """Periods and moves from entries in any order (they are sorted by time)."""
    ordered = sorted(points, key=lambda p: (p.when, p.entry_id))
    decay = 0.5 ** (1 / HALF_LIFE)
    weights = {s: 0.0 for s in STAGES}
    periods: list[Period] = []
    moves: list[Move] = []
    current: Stage | None = None
    for point in ordered:
        for stage in STAGES:
            weights[stage] *= decay
        weights[point.stage] += max(MIN_WEIGHT, point.confidence)
        total = sum(weights.values())
        shares = {s: w / total for s, w in weights.items()}
        leader = max(STAGES, key=lambda s: (shares[s], s == current))
        if current is None:
            current = point.stage
            periods.append(Period(stage=current, start=point.when, end=point.when))
        elif (
            leader != current
            and shares[leader] >= SWITCH_SHARE
            and shares[leader] - shares[current] >= SWITCH_MARGIN
        ):
            moves.append(Move(when=point.when, source=current, target=leader))
            periods[-1].end = point.when
            current = leader
            periods.append(Period(stage=current, start=point.when, end=point.when))
        period = periods[-1]
        period.end = point.when
        period.entries += 1
        period.mix[point.stage] += 1
    total = sum(weights.values()) or 1.0
    return Journey(periods=periods, moves=moves, shares={s: w / total for s, w in weights.items()})
