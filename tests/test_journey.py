"""The stage over time: one entry never flips it, a sustained change does, and steps back are recorded."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from recovery_journal.stages.journey import FIRST_DAY_HOURS, MOVE_ENTRIES, MOVE_HOURS, Point, journey
from recovery_journal.stages.model import Stage

from .conftest import Cli, Ran

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
    assert not result.tells  # but one entry is too little to say so


def test_a_stage_is_told_only_with_enough_entries_leaning_clearly() -> None:
    from recovery_journal.stages.journey import TELL_ENTRIES

    assert not journey(points([A] * (TELL_ENTRIES - 1))).tells
    assert journey(points([A] * TELL_ENTRIES)).tells
    assert not journey(points([R, A, V, R, A, V])).tells  # enough entries, but no clear leaning


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

    trip = journey(points([V] * 5))  # five entries over twelve days, from 1 January
    lines = journey_lines(trip, today=(START + timedelta(days=60)).date())
    assert "since 1 January 2026 (2 months, 5 entries)" in lines[1]
    assert "today" not in " ".join(lines)


# --- steadiness: generated back-and-forth journeys ---------------------------------------------------------

STAGE = st.sampled_from([R, A, V])
JUDGING = ("fail", "setback", "worse", "regress", "behind", "relapse", "wrong", "should", "bad")


def _at(hours: float, stage: Stage, entry_id: int, confidence: float = 0.9) -> Point:
    return Point(when=START + timedelta(hours=hours), stage=stage, confidence=confidence, entry_id=entry_id)


@st.composite
def settled_then_one_evening(draw: st.DrawFn) -> tuple[Stage, list[Point]]:
    """Weeks in one stage, then one evening (up to six hours) of entries in another, then maybe back."""
    home = draw(STAGE)
    away = draw(STAGE.filter(lambda s: s != home))
    days = draw(st.integers(min_value=4, max_value=20))
    pts = [_at(48.0 * i, home, i + 1) for i in range(days)]
    evening = 48.0 * days + draw(st.floats(min_value=1, max_value=200))
    burst = draw(st.lists(st.floats(min_value=0, max_value=6), min_size=1, max_size=8))
    confidence = draw(st.floats(min_value=0.5, max_value=1.0))
    pts += [_at(evening + h, away, 100 + i, confidence) for i, h in enumerate(sorted(burst))]
    after = draw(st.integers(min_value=0, max_value=6))
    pts += [_at(evening + 24.0 * (i + 1), home, 200 + i) for i in range(after)]
    return home, pts


@given(settled_then_one_evening())
@settings(max_examples=150, deadline=None)
def test_one_hard_evening_never_moves_right_now(case: tuple[Stage, list[Point]]) -> None:
    home, pts = case
    result = journey(pts)
    assert [p.stage for p in result.periods] == [home] and result.moves == []


@given(
    home=STAGE,
    away=STAGE,
    before=st.integers(min_value=1, max_value=12),
    after=st.integers(min_value=MOVE_ENTRIES + 3, max_value=20),
    gap=st.floats(min_value=MOVE_HOURS / 2, max_value=24 * 7),
)
@settings(max_examples=150, deadline=None)
def test_a_sustained_change_moves_right_now_where_it_began(
    home: Stage, away: Stage, before: int, after: int, gap: float
) -> None:
    """Entries in a new stage over more than a day, and more of them than MOVE_ENTRIES, move it."""
    assume(home != away)
    start = FIRST_DAY_HOURS + 48.0 * before
    pts = [_at(48.0 * i, home, i + 1) for i in range(before)] + [_at(FIRST_DAY_HOURS + 1, home, 50)]
    pts += [_at(start + gap * i, away, 100 + i) for i in range(after)]
    result = journey(pts)
    assert [p.stage for p in result.periods] == [home, away]
    assert [(m.source, m.target) for m in result.moves] == [(home, away)]
    assert result.moves[0].when == result.periods[1].start == START + timedelta(hours=start)
    assert result.periods[1].mix[away] == after and result.periods[1].mix[home] == 0


@given(st.lists(st.tuples(STAGE, st.floats(min_value=0, max_value=23.9)), min_size=1, max_size=12))
@settings(max_examples=150, deadline=None)
def test_the_first_day_settles_where_the_journal_starts_and_is_never_a_step(
    first_day: list[tuple[Stage, float]],
) -> None:
    result = journey([_at(h, s, i + 1) for i, (s, h) in enumerate(first_day)])
    assert len(result.periods) == 1 and result.moves == []
    assert result.periods[0].entries == len(first_day)


@st.composite
def back_and_forth(draw: st.DrawFn) -> list[Point]:
    """Any life: runs of entries in one stage, each written minutes to weeks after the last."""
    pts: list[Point] = []
    hours = 0.0
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        stage = draw(STAGE)
        for _ in range(draw(st.integers(min_value=1, max_value=8))):
            pts.append(_at(hours, stage, len(pts) + 1, draw(st.floats(min_value=0.3, max_value=1.0))))
            hours += draw(st.sampled_from([0.2, 1.0, 3.0, 12.0, 26.0, 72.0, 24.0 * 9]))
    return pts


@given(back_and_forth())
@settings(max_examples=300, deadline=None)
def test_every_move_is_earned_over_time_and_told_without_judgement(pts: list[Point]) -> None:
    from recovery_journal.render.stages import journey_lines

    result = journey(pts)
    assert sum(p.entries for p in result.periods) == len(pts)
    assert len(result.moves) == len(result.periods) - 1
    first = min(p.when for p in pts)
    for move, before, after in zip(result.moves, result.periods[:-1], result.periods[1:], strict=True):
        assert (move.source, move.target, move.when) == (before.stage, after.stage, after.start)
        assert before.end < after.start and move.when - first >= timedelta(hours=FIRST_DAY_HOURS)
        theirs = sorted(p.when for p in pts if after.start <= p.when <= after.end and p.stage == after.stage)
        assert len(theirs) >= MOVE_ENTRIES and theirs[-1] - theirs[0] >= timedelta(hours=MOVE_HOURS)
    told = " ".join(journey_lines(result, (max(p.when for p in pts) + timedelta(days=3)).date())).lower()
    assert not any(word in told for word in JUDGING), told


def test_one_hard_evening_in_a_journal_leaves_right_now_where_it_was(cli: Cli, initialised: Ran) -> None:
    """The reported case: three entries in one evening flipped "Right now" to recognition."""
    steady = "Signed up for the pottery class, held my boundary, and I'm proud of myself."
    for day in range(1, 15, 2):
        assert cli("write", "--date", f"2026-03-{day:02d} 19:00", input=steady).exit_code == 0
    hard = "Is it me? Am I going crazy? He says I'm too sensitive and I doubt my own memory."
    for minute in ("21:05", "22:40", "23:55"):
        assert cli("write", "--date", f"2026-03-15 {minute}", input=hard).exit_code == 0
    shown = json.loads(cli("stage", "--json").stdout)
    assert shown["current"] == "recovery" and shown["moves"] == []
    for day in (16, 18):
        assert cli("write", "--date", f"2026-03-{day} 21:00", input=hard).exit_code == 0
    shown = json.loads(cli("stage", "--json").stdout)
    assert shown["current"] == "recognition"
    assert shown["moves"][0]["when"].startswith("2026-03-15T21:05")
    told = cli("stage").stdout
    assert "Moving back for a while is a normal part of healing." in told


def test_docs_state_the_thresholds_the_code_uses() -> None:
    from pathlib import Path

    from recovery_journal.stages import journey as module

    text = (Path(__file__).resolve().parent.parent / "docs" / "stages.md").read_text(encoding="utf-8")
    assert f"at least **{module.SWITCH_SHARE}** of the picture" in text
    assert f"by at least **{module.SWITCH_MARGIN}**" in text
    assert f"at least **{module.MOVE_ENTRIES}** entries" in text
    assert f"at least **{module.MOVE_HOURS} hours** apart" in text
    assert f"first **{module.FIRST_DAY_HOURS} hours**" in text
    assert f"`TELL_ENTRIES` | at least **{module.TELL_ENTRIES}** entries have a stage" in text
    assert f"`TELL_SHARE` | the current stage holds at least **{module.TELL_SHARE}** of the picture" in text


@pytest.mark.slow
def test_right_now_and_stage_json_guess_in_a_real_terminal(cli: Cli, initialised: Ran) -> None:
    from .conftest import PASSPHRASE
    from .test_terminal import _env, run_in_terminal

    steady = "Signed up for the pottery class, held my boundary, and I'm proud of myself."
    for day in range(1, 15, 2):
        cli("write", "--date", f"2026-03-{day:02d} 19:00", input=steady)
    for minute in ("21:05", "22:40", "23:55"):
        cli("write", "--date", f"2026-03-15 {minute}", input="Is it me? Am I going crazy? I doubt my memory.")
    code, screen = run_in_terminal(["stage"], [("Passphrase", PASSPHRASE)], _env())
    assert code == 0, screen
    assert "Right now: Recovery" in screen and "step" not in screen, screen
    piped = b"I held my boundary today."
    code, screen = run_in_terminal(["stage", "--json", "guess"], [], _env(), stdin=piped)
    assert code == 0, screen
    assert '"stage": "recovery"' in screen and "Because of" not in screen, screen
