"""Milestones, counters and the overview views: timeline, progress, calendar, on-this-day."""

from __future__ import annotations

import io
import json
import xml.dom.minidom
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.console import Console, Group

from recovery_journal.errors import AlreadyExists, ExitCode, InvalidDate, InvalidInput
from recovery_journal.journal.counters import next_round, round_label, round_numbers
from recovery_journal.journal.service import Journal
from recovery_journal.overviews import facts, progress, timeline
from recovery_journal.overviews.calendar import year_map
from recovery_journal.render import overview as view
from recovery_journal.render.stages import journey_lines
from recovery_journal.settings import Settings
from recovery_journal.stages.model import Stage

from .conftest import PASSPHRASE, Cli, Ran

UTC = timezone.utc
TODAY = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)


@pytest.fixture
def fixed(settings: Settings) -> Journal:
    journal, _ = Journal.create(settings, PASSPHRASE, clock=lambda: TODAY)
    return journal


def ago(days: int) -> datetime:
    return TODAY - timedelta(days=days)


def render(lines: list, width: int = 80, colour: bool = False) -> str:  # type: ignore[type-arg]
    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="truecolor" if colour else None,
        force_terminal=colour,
        markup=False,
        highlight=False,
    )
    console.print(Group(*lines))
    return console.file.getvalue()  # type: ignore[attr-defined]


def story(journal: Journal) -> None:
    """Three months in recognition, then acceptance, then recovery, with moods rising."""
    for n in range(6):
        journal.write(
            "He says I'm too sensitive. Is it me? I keep doubting my memory.", date=ago(150 - n * 5), mood=3
        )
    for n in range(6):
        journal.write(
            "I cried for the years I lost. The grief comes in waves.", date=ago(100 - n * 5), mood=4
        )
    for n in range(6):
        journal.write(
            "Signed up for pottery and held my boundary. So proud of myself.", date=ago(40 - n * 5), mood=7
        )
    journal.write(
        "He twisted my words again and I doubted myself. I don't want to see this again.",
        date=ago(365),
        tender=True,
    )


# --- milestones -------------------------------------------------------------------------------------------


def test_milestones_round_trip_and_validate(fixed: Journal) -> None:
    first = fixed.milestones.add(
        "First boundary held", day=date(2026, 10, 2), kind="boundary", note="Said no."
    )
    fixed.milestones.add("Ninety days no contact", kind="No Contact")
    assert [(m.text, m.kind) for m in fixed.milestones.all()] == [
        ("First boundary held", "boundary"),
        ("Ninety days no contact", "no-contact"),
    ]
    fixed.milestones.edit(first.id, text="First boundary kept", kind="first")
    assert fixed.milestones.get(first.id).text == "First boundary kept"
    with pytest.raises(InvalidDate):
        fixed.milestones.add("Not yet", day=date(2027, 1, 1))
    with pytest.raises(InvalidInput):
        fixed.milestones.add("Odd", kind="party")
    with pytest.raises(InvalidInput):
        fixed.milestones.add("   ")
    fixed.milestones.delete(first.id)
    assert len(fixed.milestones.all()) == 1


def test_milestone_commands(cli: Cli, initialised: Ran) -> None:
    added = cli(
        "milestone", "add", "First therapy session", "--kind", "therapy", "--date", "yesterday", "--json"
    )
    assert added.exit_code == 0 and json.loads(added.stdout)["milestone"]["kind"] == "therapy"
    listed = cli("milestone", "list")
    assert "First therapy session" in listed.stdout
    assert cli("milestone", "edit", "1", "--note", "It was hard and good.").exit_code == 0
    assert cli("milestone", "add", "Tomorrow", "--date", "tomorrow").exit_code == ExitCode.INVALID_DATE
    assert cli("milestone", "delete", "1", "--yes").exit_code == 0
    assert "No milestones yet" in cli("milestone", "list").stderr


# --- counters ---------------------------------------------------------------------------------------------


def test_round_numbers() -> None:
    assert round_numbers(400) == [7, 30, 60, 90, 100, 180, 365]  # issue 12: 100 days is worth a word too
    assert round_numbers(800)[-1] == 730
    assert [next_round(n) for n in (0, 7, 95, 100, 364, 365, 800)] == [7, 30, 100, 180, 365, 730, 1095]
    assert [round_label(n) for n in (7, 30, 365, 730)] == ["one week", "30 days", "one year", "2 years"]


def test_counter_runs_are_kept_and_never_erased(fixed: Journal) -> None:
    counter = fixed.counters.start("no contact", date(2026, 8, 1))
    assert counter.offered == (7, 30, 60, 90, 100), "rounds passed before the counter existed aren't offered"
    counter, ended = fixed.counters.reset("No Contact", date(2026, 10, 1))
    assert ended.days(TODAY.date()) == 61
    assert counter.days(TODAY.date()) == 55 and counter.longest(TODAY.date()) == 61
    assert counter.total(TODAY.date()) == 116 and len(counter.runs) == 2
    assert counter.due_rounds(TODAY.date()) == [7, 30]
    fixed.counters.mark_offered(counter, [7, 30])
    assert fixed.counters.find("no contact").due_rounds(TODAY.date()) == []
    with pytest.raises(AlreadyExists):
        fixed.counters.start("NO CONTACT", date(2026, 11, 1))
    with pytest.raises(InvalidDate):
        fixed.counters.reset("no contact", date(2026, 9, 1))
    with pytest.raises(InvalidDate):
        fixed.counters.start("future", date(2027, 1, 1))


def test_counter_commands_speak_kindly(cli: Cli, initialised: Ran) -> None:
    started = cli("counter", "start", "no contact", "--since", "40 days ago")
    assert started.exit_code == 0 and "40 days" in started.stderr
    reset = cli("counter", "reset", "no contact", "--date", "10 days ago")
    assert reset.exit_code == 0 and "still count" in reset.stderr
    assert not any(word in reset.stderr.lower() for word in ("fail", "broke", "lost", "relapse"))
    listed = cli("counter", "list", "--json")
    runs = json.loads(listed.stdout)["counters"][0]["runs"]
    assert [r["days"] for r in runs] == [30, 10]
    offered = cli("counter", "list")
    assert "You've reached one week of no contact" in offered.stderr
    assert "You've reached" not in cli("counter", "list").stderr, "each round is offered once"


# --- timeline ---------------------------------------------------------------------------------------------


def test_timeline_chooses_its_periods() -> None:
    assert [timeline.choose_by(n) for n in (30, 70, 71, 730, 731)] == [
        "week",
        "week",
        "month",
        "month",
        "quarter",
    ]


def test_timeline_tells_the_story(fixed: Journal) -> None:
    story(fixed)
    fixed.milestones.add("First boundary held", day=ago(30).date(), kind="boundary")
    built = timeline.build(facts.snapshot(fixed), since=ago(160).date(), by="month")
    assert built.by == "month" and sum(b.entries for b in built.buckets) == 18
    dominant = [b.dominant for b in built.buckets if b.entries]
    assert dominant[0] is Stage.RECOGNITION and dominant[-1] is Stage.RECOVERY
    assert [m.target for b in built.buckets for m in b.moves] == [Stage.ACCEPTANCE, Stage.RECOVERY]
    out = render(view.timeline_lines(built, 80))
    assert "First boundary held" in out and "moved into acceptance" in out and "mood" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_timeline_fits_40_columns_and_reads_without_colour(fixed: Journal) -> None:
    story(fixed)
    built = timeline.build(facts.snapshot(fixed))
    narrow = render(view.timeline_lines(built, 40), width=40)
    assert max(len(line) for line in narrow.splitlines()) <= 40
    for shade in ("░", "▒", "▓"):
        assert shade in narrow, "stages are told apart by shade, not only by colour"
    assert "\x1b[" in render(view.timeline_lines(built, 80), colour=True)


@pytest.mark.parametrize("width", [40, 50, 64, 80, 120])
def test_every_timeline_line_fits_its_width_without_wrapping(fixed: Journal, width: int) -> None:
    """Measured before any console wraps them: rows, moves and legend all fit (milestone names may not)."""
    story(fixed)
    built = timeline.build(facts.snapshot(fixed), by="month")
    lines = view.timeline_lines(built, width)
    milestones = {m.text for b in built.buckets for m in b.milestones}
    for line in lines:
        if not any(name in line.plain for name in milestones):
            assert len(line.plain) <= width, (width, line.plain)


def test_timeline_folds_tender_entries(fixed: Journal) -> None:
    story(fixed)
    built = timeline.build(facts.snapshot(fixed), by="month")
    out = render(view.timeline_lines(built, 100), width=100)
    assert "(1 tender)" in out and "don't want to see" not in out


def test_empty_journal_gets_a_kind_empty_state(fixed: Journal) -> None:
    built = timeline.build(facts.snapshot(fixed))
    assert built.empty and "Nothing to show yet" in render(view.timeline_lines(built, 80))
    assert "There's no hurry" in render(view.progress_lines(progress.build(facts.snapshot(fixed))))


def test_timeline_refuses_a_start_in_the_future(fixed: Journal) -> None:
    with pytest.raises(InvalidDate, match="still ahead"):
        timeline.build(facts.snapshot(fixed), since=date(2027, 1, 1))
    with pytest.raises(InvalidInput):
        timeline.build(facts.snapshot(fixed), by="fortnight")


def test_timeline_command_json_plain_and_pictures(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    for days_back, text in (
        (50, "Is it me? He twists my words."),
        (20, "I cried; the grief is heavy."),
        (2, "Held my boundary and signed up for choir."),
    ):
        cli("write", "--date", f"{days_back} days ago", input=text)
    data = json.loads(cli("timeline", "--json").stdout)
    assert data["kind"] == "timeline" and data["by"] == "week"
    assert sum(p["entries"] for p in data["periods"]) == 3
    plain = cli("timeline", env={"NO_COLOR": "1"})
    assert plain.exit_code == 0 and "\x1b[" not in plain.stdout and "░" in plain.stdout
    svg, html = tmp_path / "t.svg", tmp_path / "t.html"
    pictured = cli("timeline", "--svg", str(svg), "--html", str(html))
    assert pictured.exit_code == 0 and "isn't encrypted" in pictured.stderr
    xml.dom.minidom.parseString(svg.read_bytes())  # noqa: S318 - our own output; parses as a valid SVG
    assert 'url("http' not in svg.read_text() and "https://" not in html.read_text()
    assert svg.stat().st_mode & 0o077 == 0
    assert cli("timeline", "--from", "in 3 days").exit_code == ExitCode.INVALID_DATE


# --- progress, calendar, on-this-day ------------------------------------------------------------------------


def test_streaks() -> None:
    today = date(2026, 11, 25)
    days = {today - timedelta(days=n) for n in (1, 2, 3, 10, 11)}
    assert progress.streaks(days, today) == (3, 3)
    assert progress.streaks(set(), today) == (0, 0)


def test_progress_sums_up_and_notices_gently(fixed: Journal) -> None:
    story(fixed)
    fixed.counters.start("no contact", ago(45).date())
    summary = progress.build(facts.snapshot(fixed, with_signals=True))
    assert summary.entries == 19 and summary.journey.current.stage is Stage.RECOVERY  # type: ignore[union-attr]
    assert summary.forward == 2 and summary.back == 0
    assert summary.mood_recent == 7.0
    assert [s.key for s in summary.signals] == ["boundaries"]
    out = render(view.progress_lines(summary), width=100)
    assert "no contact: 45 days" in out and "Recovery" in out and "Boundaries" in out


def test_boundaries_noticed_in_a_first_month_claim_no_before(fixed: Journal) -> None:
    recent = ("Said no to him.", "Held my boundary at work.", "No contact, day ten.", "A walk.")
    for n, text in enumerate(recent):
        fixed.write(text, date=ago(20 - n))
    [only] = progress.build(facts.snapshot(fixed, with_signals=True)).signals
    assert only.text == "Boundaries, saying no or no contact came up in 3 of your last 4 entries."
    for n in range(4):  # months earlier, writing with no boundary in it: now there is a before
        fixed.write("Quiet day at home.", date=ago(100 - n))
    [again] = progress.build(facts.snapshot(fixed, with_signals=True)).signals
    assert again.text.endswith("in 3 of your last 4 entries, more often than before.")


def test_a_step_back_alone_is_told_without_zero_steps_forward(fixed: Journal) -> None:
    for n in range(6):
        fixed.write("Signed up for pottery and held my boundary. So proud of myself.", date=ago(60 - n * 3))
    for n in range(6):
        fixed.write("I cried for the years I lost. The grief comes in waves.", date=ago(20 - n * 3))
    summary = progress.build(facts.snapshot(fixed))
    assert (summary.forward, summary.back) == (0, 1)
    out = render(view.progress_lines(summary), width=100)
    assert "1 step back; going back for a while is part of healing." in out and "0 steps" not in out
    told = "\n".join(journey_lines(summary.journey, TODAY.date()))
    assert "1 step back. Moving back for a while is a normal part of healing." in told
    assert "0 steps" not in told


def test_calendar_marks_writing_days_by_stage(fixed: Journal) -> None:
    story(fixed)
    days = year_map(facts.snapshot(fixed), 2026)
    assert len(days) == 365 and sum(d.entries for d in days) == 18
    assert {d.stage for d in days if d.entries} == {Stage.RECOGNITION, Stage.ACCEPTANCE, Stage.RECOVERY}
    for width in (80, 40):
        out = render(view.calendar_lines(days, TODAY.date(), width), width=width)
        assert "18 days with writing" in out and max(len(line) for line in out.splitlines()) <= width
    with pytest.raises(InvalidDate):
        year_map(facts.snapshot(fixed), 2030)


def test_on_this_day_leaves_tender_entries_folded(fixed: Journal) -> None:
    story(fixed)
    fixed.write("A good day, a year ago.", date=ago(365))
    shown, folded, _ = fixed.on_this_day(TODAY.date())
    assert [e.text for e in shown] == ["A good day, a year ago."] and folded == 1
    shown, folded, _ = fixed.on_this_day(TODAY.date(), include_tender=True)
    assert len(shown) == 2 and folded == 0


def test_on_this_day_includes_29_february_on_the_28th(fixed: Journal) -> None:
    fixed.write("Leap day entry.", date=datetime(2024, 2, 29, 12, tzinfo=UTC))
    assert [e.text for e in fixed.on_this_day(date(2026, 2, 28))[0]] == ["Leap day entry."]
    assert fixed.on_this_day(date(2026, 3, 1))[0] == []


def test_overview_commands_run(cli: Cli, initialised: Ran) -> None:
    cli("write", "--tender", "--date", "365 days ago", input="Something painful.")
    cli("write", input="Signed up for choir.")
    for command in (["progress"], ["calendar"], ["progress", "--json"], ["calendar", "--json"]):
        assert cli(*command).exit_code == 0, command
    today = cli("on-this-day")
    assert today.exit_code == 0 and "painful" not in today.stdout and "tender" in today.stderr
    assert "painful" in cli("on-this-day", "--include-tender").stdout


def test_calendar_year_zero_is_refused_not_silently_this_year(cli: Cli, initialised: Ran) -> None:
    ran = cli("calendar", "--year", "0")
    assert ran.exit_code == ExitCode.INVALID_DATE and "from 1900 to" in ran.stderr


def test_pictures_are_not_replaced_without_force(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    cli("write", input="Signed up for pottery and held my boundary.")
    picture = tmp_path / "timeline.svg"
    picture.write_text("mine")
    refused = cli("timeline", "--svg", str(picture))
    assert refused.exit_code == ExitCode.ALREADY_EXISTS and picture.read_text() == "mine"
    assert refused.stdout == "", "nothing is shown or done before the refusal"
    assert cli("timeline", "--svg", str(picture), "--force").exit_code == 0
    assert picture.read_text().startswith("<svg")


def test_counters_on_a_narrow_terminal_keep_the_name_and_the_days(fixed: Journal) -> None:
    from recovery_journal.render import marks

    fixed.counters.start("no contact with my brother", TODAY.date() - timedelta(days=2526))
    counters = fixed.counters.all()
    console = Console(width=40, file=io.StringIO(), color_system=None, force_terminal=False)
    console.print(marks.counters_view(counters, TODAY.date(), 40))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "no contact with my brother" in " ".join(out.split()) and "2526 days" in out


def test_a_reset_on_the_day_a_run_began_adds_no_empty_run(cli: Cli, initialised: Ran) -> None:
    assert cli("counter", "start", "no contact").exit_code == 0
    again = cli("counter", "reset", "no contact")
    assert again.exit_code == 0 and "0 days" not in again.stderr and "begins again" in again.stderr
    listed = json.loads(cli("counter", "list", "--json").stdout)["counters"][0]
    assert len(listed["runs"]) == 1


def test_an_empty_range_in_a_full_journal_says_so_rather_than_welcoming(fixed: Journal) -> None:
    story(fixed)
    built = timeline.build(facts.snapshot(fixed), date(2020, 1, 1), date(2020, 2, 1))
    out = render(view.timeline_lines(built, 80))
    assert "No entries or milestones between" in out and "As you write" not in out
