"""The stage over time: one entry never flips it, a sustained change does, and steps back are recorded."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from recovery_journal.stages.journey import Point, journey
from recovery_journal.stages.model import Stage

R, A, V = Stage.RECOGNITION, Stage.ACCEPTANCE, Stage.RECOVERY
START = datetime(2026, 1, 1, 21, 0, tzinfo=timezone.utc)


def points(sequence: list[Stage], confidence: float = 0.9, every_days: int = 3) -> list[Point]:
    return [
        Point(when=START + timedelta(days=every_days * i), stage=s, confidence=confidence, entry_id=i + 1)
        for i, s in enumerate(sequence)
    ]


def test_no_entries_no_journey() -> None:
    result = journey([])
    assert result.current is None and result.moves == []


def test_a_single_entry_sets_the_stage() -> None:
    result = journey(points([A]))
    assert result.current is not None and result.current.stage == A and result.moves == []


def test_one_stray_entry_does_not_flip_the_stage() -> None:
    result = journey(points([R, R, R, R, A, R, R]))
    assert [p.stage for p in result.periods] == [R]
    assert result.periods[0].mix == {R: 6, A: 1, V: 0}


def test_a_sustained_change_moves_forward() -> None:
    result = journey(points([R] * 5 + [A] * 5))
    assert [p.stage for p in result.periods] == [R, A]
    assert len(result.moves) == 1 and result.moves[0].forward
    assert result.moves[0].when > points([R] * 5)[-1].when


def test_moving_back_is_recorded_as_a_step_back() -> None:
    result = journey(points([R] * 4 + [A] * 5 + [V] * 6 + [A] * 6))
    assert [p.stage for p in result.periods] == [R, A, V, A]
    assert [m.forward for m in result.moves] == [True, True, False]


def test_every_entry_belongs_to_exactly_one_period() -> None:
    rng = random.Random(7)
    sequence = [rng.choice([R, A, V]) for _ in range(20)] + [V] * 20 + [rng.choice([R, A]) for _ in range(20)]
    result = journey(points(sequence))
    assert len(result.periods) > 1
    assert sum(p.entries for p in result.periods) == 60
    assert sum(sum(p.mix.values()) for p in result.periods) == 60
    for before, after in zip(result.periods, result.periods[1:], strict=False):
        assert before.stage != after.stage and before.end <= after.start


def test_order_of_input_does_not_matter() -> None:
    given = points([R] * 4 + [A] * 6 + [V] * 5)
    shuffled = given[:]
    random.Random(3).shuffle(shuffled)
    assert journey(shuffled) == journey(given)


def test_unsure_guesses_count_for_less() -> None:
    sure = points([R] * 6) + [Point(START + timedelta(days=40 + i), A, 0.95, 100 + i) for i in range(2)]
    unsure = points([R] * 6) + [Point(START + timedelta(days=40 + i), A, 0.2, 100 + i) for i in range(2)]
    assert journey(sure).shares[A] > journey(unsure).shares[A]
    assert journey(unsure).current.stage == R  # type: ignore[union-attr]


def test_time_in_the_current_stage_runs_to_today_not_to_the_last_entry() -> None:
    from recovery_journal.render.stages import journey_lines

    trip = journey(points([V, V, V]))  # three entries over six days, from 1 January
    lines = journey_lines(trip, today=(START + timedelta(days=60)).date())
    assert "since 1 January 2026 (2 months, 3 entries)" in lines[1]
    assert "today" not in " ".join(lines)
