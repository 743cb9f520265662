"""stages.journey is written for speed; it must give exactly what its plain reading gives, for any entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.stages import journey as journey_module
from recovery_journal.stages.journey import (
    FIRST_DAY_HOURS,
    MIN_WEIGHT,
    MOVE_ENTRIES,
    MOVE_HOURS,
    SWITCH_MARGIN,
    SWITCH_SHARE,
    Journey,
    Move,
    Point,
    journey,
)
from recovery_journal.stages.kinds import STAGES, Stage

HALF_LIFE = journey_module.HALF_LIFE
START = datetime(2026, 1, 1, 21, 0, tzinfo=timezone.utc)


def plain_journey(points: Sequence[Point]) -> Journey:
    """journey() as it read before it was written for speed: the reference it must agree with."""
    ordered = sorted(points, key=lambda p: (p.when, p.entry_id))
    decay = 0.5 ** (1 / HALF_LIFE)
    weights = {s: 0.0 for s in STAGES}
    stages: list[Stage] = []  # each period's stage...
    members: list[list[Point]] = []  # ...and its entries
    moves: list[Move] = []
    since_lead: list[Point] = []  # entries since the last of the current stage's own, while it led
    for point in ordered:
        for stage in STAGES:
            weights[stage] *= decay
        weights[point.stage] += max(MIN_WEIGHT, point.confidence)
        total = sum(weights.values())
        shares = {s: w / total for s, w in weights.items()}
        current = stages[-1] if stages else None
        leader = max(STAGES, key=lambda s: (shares[s], s == current))
        if current is None:
            stages.append(point.stage)
            members.append([point])
            continue
        members[-1].append(point)
        if point.when - ordered[0].when < timedelta(hours=FIRST_DAY_HOURS):
            stages[-1] = leader  # the first day settles where the journal starts; it is never a move
            continue
        since_lead = [] if leader == current and point.stage == current else [*since_lead, point]
        if leader == current:
            continue
        theirs = [p for p in since_lead if p.stage == leader]
        if (
            shares[leader] >= SWITCH_SHARE
            and shares[leader] - shares[current] >= SWITCH_MARGIN
            and len(theirs) >= MOVE_ENTRIES
            and theirs[-1].when - theirs[0].when >= timedelta(hours=MOVE_HOURS)
        ):
            # The new period starts where the new stage's run began, not at the entry that tipped it.
            start = members[-1].index(theirs[0])
            members.append(members[-1][start:])
            del members[-2][start:]
            stages.append(leader)
            moves.append(Move(when=theirs[0].when, source=current, target=leader))
            since_lead = []
    periods = [journey_module._period(stage, group) for stage, group in zip(stages, members, strict=True)]
    total = sum(weights.values()) or 1.0
    return Journey(periods=periods, moves=moves, shares={s: w / total for s, w in weights.items()})


# Hours between entries: often within one evening (the first day, runs too short to move), sometimes days.
GAP = st.one_of(st.just(0.0), st.floats(min_value=0, max_value=6), st.floats(min_value=6, max_value=30 * 24))
CONFIDENCE = st.one_of(st.sampled_from([0.0, MIN_WEIGHT, 0.5, 1.0]), st.floats(min_value=0, max_value=1))
ENTRY = st.tuples(st.sampled_from(STAGES), CONFIDENCE, GAP, st.integers(min_value=0, max_value=3))


def built(raw: list[tuple[Stage, float, float, int]]) -> list[Point]:
    """Entries from (stage, confidence, hours since the last, entry number's step); numbers may repeat."""
    points, when, number = [], START, 0
    for stage, confidence, gap, step in raw:
        when += timedelta(hours=gap)
        number += step
        points.append(Point(when=when, stage=stage, confidence=confidence, entry_id=number))
    return points


@settings(max_examples=400, deadline=None)
@given(st.lists(ENTRY, max_size=60), st.randoms(use_true_random=False))
def test_the_fast_journey_is_the_plain_one(raw: list[tuple[Stage, float, float, int]], rng: object) -> None:
    points = built(raw)
    rng.shuffle(points)  # type: ignore[attr-defined]
    fast, plain = journey(points), plain_journey(points)
    assert fast == plain


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(STAGES), st.integers(min_value=1, max_value=40)), min_size=1, max_size=12
    )
)
def test_long_runs_that_move_agree_too(runs: list[tuple[Stage, int]]) -> None:
    """Runs of one stage, long enough to move the journey back and forth, many times over."""
    raw = [(stage, 0.9, 20.0, 1) for stage, length in runs for _ in range(length)]
    points = built(raw)
    fast, plain = journey(points), plain_journey(points)
    assert fast == plain
    assert len(fast.moves) == len(plain.moves)
