"""Reading the dates people type."""

from __future__ import annotations

import json
import re
import time as clock
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.domain.dates import (
    DATE_ORDER_ENV,
    DATE_ORDERS,
    FORMS,
    PARTS,
    entry_moment,
    not_in_future,
    parse_day,
    parse_moment,
    read,
)
from recovery_journal.errors import ExitCode, InvalidDate, UsageProblem
from recovery_journal.settings import Settings

from .conftest import Cli, Ran

# Wednesday 25 November 2026, 21:30:17, UTC+1
NOW = datetime(2026, 11, 25, 21, 30, 17, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture(autouse=True)
def utc_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run as if the machine's zone is UTC, so no test depends on where it runs; restored afterwards."""
    monkeypatch.setenv("TZ", "UTC")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def at(month: int, day: int, hour: int, minute: int = 0, second: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=NOW.tzinfo)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 24)),
        ("Yesterday ", date(2026, 11, 24)),
        ("the day before yesterday", date(2026, 11, 23)),
        ("3 days ago", date(2026, 11, 22)),
        ("a couple of days ago", date(2026, 11, 23)),
        ("a week ago", date(2026, 11, 18)),
        ("two weeks ago", date(2026, 11, 11)),
        ("a fortnight ago", date(2026, 11, 11)),
        ("1 month ago", date(2026, 10, 25)),
        ("2 years ago", date(2024, 11, 25)),
        ("last week", date(2026, 11, 18)),
        ("last month", date(2026, 10, 25)),
        ("friday", date(2026, 11, 20)),
        ("last friday", date(2026, 11, 20)),
        ("on fri", date(2026, 11, 20)),
        ("wednesday", date(2026, 11, 25)),
        ("last wednesday", date(2026, 11, 18)),
        ("last mon", date(2026, 11, 23)),
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-3-1", date(2024, 3, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2024/12/01", date(2024, 12, 1)),
        ("March 3 2024", date(2024, 3, 3)),
        ("3 March", date(2026, 3, 3)),
        ("Mar 3rd", date(2026, 3, 3)),
        ("December 3", date(2025, 12, 3)),  # no year, and this year's is still ahead: last year's
        ("Feb 29", date(2024, 2, 29)),  # the most recent one there was
        ("13/12", date(2025, 12, 13)),
        ("12/13/2024", date(2024, 12, 13)),
        ("13.12.24", date(2024, 12, 13)),
        ("05/05", date(2026, 5, 5)),  # the same either way round
        ("yesterday 9pm", date(2026, 11, 24)),  # a range option given a time still means that day
        ("last night", date(2026, 11, 24)),
        ("an hour ago", date(2026, 11, 25)),
    ],
)
def test_understood_days(text: str, day: date) -> None:
    assert parse_day(text, NOW) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # every phrase issue 13 names, at Wednesday 25 November 2026 21:30:17
        ("March 3 9pm", at(3, 3, 21)),
        ("friday 9am", at(11, 20, 9)),  # the most recent Friday, not the next one
        ("yesterday 9pm", at(11, 24, 21)),
        ("last friday 9pm", at(11, 20, 21)),
        ("today 8am", at(11, 25, 8)),
        ("last night", at(11, 24, 21)),
        ("this morning", at(11, 25, 9)),
        ("tonight", at(11, 25, 21)),
        ("an hour ago", at(11, 25, 20, 30, 17)),
        ("2 days ago 9pm", at(11, 23, 21)),
        ("yesterday at 21:30", at(11, 24, 21, 30)),
        # and the ways around them people use
        ("9pm yesterday", at(11, 24, 21)),
        ("at 9pm on friday", at(11, 20, 21)),
        ("Yesterday, 9 p.m.", at(11, 24, 21)),
        ("yesterday morning", at(11, 24, 9)),
        ("friday night", at(11, 20, 21)),
        ("3 days ago in the afternoon", at(11, 22, 15)),
        ("this afternoon", at(11, 25, 15)),
        ("9:15am", at(11, 25, 9, 15)),
        ("noon", at(11, 25, 12)),
        ("yesterday midnight", at(11, 24, 0)),
        ("2024-03-01 9pm", at(3, 1, 21, year=2024)),
        ("2024-03-01 08:15", at(3, 1, 8, 15, year=2024)),
        ("Mar 3, 2024 at 9:30pm", at(3, 3, 21, 30, year=2024)),
        ("wednesday 9pm", at(11, 25, 21)),  # today's, as 21:00 has passed
        ("wednesday 10pm", at(11, 18, 22)),  # today's 22:00 hasn't come: last week's
        ("half an hour ago", at(11, 25, 21, 0, 17)),
        ("20 minutes ago", at(11, 25, 21, 10, 17)),
        ("now", NOW),
        ("just now", NOW),
        ("today", NOW),  # today with no time is now
        ("wednesday", NOW),
        ("yesterday", at(11, 24, 12)),  # another day with no time is midday: no hour guessed
        ("last friday", at(11, 20, 12)),
        ("2024-03-01", at(3, 1, 12, year=2024)),
    ],
)
def test_phrases_land_where_people_mean(text: str, expected: datetime) -> None:
    assert parse_moment(text, NOW) == expected
    assert entry_moment(text, NOW) == expected


def test_a_full_timestamp_is_kept() -> None:
    assert parse_moment("2024-03-01T08:15:00+05:00", NOW).utcoffset() == timedelta(hours=5)


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # said while that part of the day is going on, before its hour: now
        (at(11, 25, 19, 5), "tonight", at(11, 25, 19, 5)),
        (at(11, 25, 8, 10), "this morning", at(11, 25, 8, 10)),
        (at(11, 25, 4, 7), "this morning", at(11, 25, 4, 7)),  # up before dawn, it is already morning
        (at(11, 25, 2, 40), "tonight", at(11, 25, 2, 40)),  # still up at 02:40
        (at(11, 25, 13, 0), "this afternoon", at(11, 25, 13, 0)),
        # once its hour has passed, the hour
        (at(11, 25, 23, 45), "this morning", at(11, 25, 9)),
        (at(11, 25, 2, 40), "last night", at(11, 24, 21)),
    ],
)
def test_parts_of_the_day_get_sensible_hours(now: datetime, text: str, expected: datetime) -> None:
    assert entry_moment(text, now) == expected


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (at(11, 25, 15, 0), "tonight"),  # the evening hasn't begun: refused, not moved to now
        (at(11, 25, 7, 0), "today 8am"),
        (NOW, "9:31pm"),  # 43 seconds ahead is still ahead
        (NOW, "tomorrow"),
        (NOW, "tomorrow morning"),
        (NOW, "2999-01-01"),
    ],
)
def test_a_moment_still_to_come_is_refused_with_the_time_now(now: datetime, text: str) -> None:
    with pytest.raises(InvalidDate, match="hasn't come yet") as caught:
        entry_moment(text, now)
    assert f"it's {now:%Y-%m-%d %H:%M} now" in caught.value.message
    assert "Leave --date out" in caught.value.hint


def test_not_in_future_allows_now_itself() -> None:
    assert not_in_future(NOW, NOW) == NOW
    with pytest.raises(InvalidDate):
        not_in_future(NOW + timedelta(seconds=1), NOW)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2021-02-30", "February 2021 has 28 days"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("2024-13-01", "no month 13"),
        ("31/02", "February 2026 has 28 days"),
        ("13/14", "no month 14"),
        ("blah", "isn't a date"),
        ("fryday 9pm", "'fryday' isn't a date"),
        ("", "empty"),
        ("purple days ago", "isn't a date"),
        ("in 3 days", "isn't a date"),
        ("3", "isn't a date"),
        ("on", "isn't a date"),
        ("yesterday 25:00", "isn't on the clock"),
        ("13pm", "isn't on the clock"),
        ("1000000 days ago", "further from today than a calendar goes"),
        ("２０２４-01-01", "digits"),
    ],
)
def test_unreadable_dates_say_why_with_examples_that_work(text: str, says: str) -> None:
    with pytest.raises(InvalidDate, match=says) as caught:
        parse_moment(text, NOW)
    assert "\n" not in caught.value.message + caught.value.hint
    if "clock" not in says:  # every example in the hint is itself understood
        for example in ("yesterday 9pm", "last friday", "this morning", "2 days ago", "March 3"):
            assert f'"{example}"' in caught.value.hint
            parse_moment(example, NOW)


def test_times_in_the_hint_are_understood() -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_moment("9:75pm", NOW)
    for example in ("9pm", "9:30am", "21:30", "noon", "midnight"):
        assert example in caught.value.hint
        parse_moment(f"yesterday {example}", NOW)


def test_an_ambiguous_slashed_date_is_refused_naming_both_forms_and_the_setting() -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_day("01/12", NOW)
    assert "1 December or January 12" in caught.value.message
    hint = caught.value.hint
    assert '"1 Dec"' in hint and '"12 Jan"' in hint and "2026-12-01" in hint
    assert "config set date_order" in hint
    assert parse_day("1 Dec", NOW) == date(2025, 12, 1) and parse_day("2026-12-01", NOW) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "dayfirst", "monthfirst"),
    [
        ("01/12", date(2025, 12, 1), date(2026, 1, 12)),
        ("1/12/2024", date(2024, 12, 1), date(2024, 1, 12)),
        ("03.04.25", date(2025, 4, 3), date(2025, 3, 4)),
        ("13/12", date(2025, 12, 13), date(2025, 12, 13)),  # unambiguous whatever the setting
        ("12/13", date(2025, 12, 13), date(2025, 12, 13)),
    ],
)
def test_the_date_order_setting_reads_slashed_dates(text: str, dayfirst: date, monthfirst: date) -> None:
    assert parse_day(text, NOW, "dayfirst") == dayfirst
    assert parse_day(text, NOW, "monthfirst") == monthfirst


def test_an_edited_entry_given_a_day_keeps_its_own_time() -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
    written = datetime(2026, 1, 5, 21, 30, tzinfo=timezone.utc)
    moved = entry_moment("2026-03-01", now, keep_time_of=written)
    assert (moved.date(), moved.hour, moved.minute) == (date(2026, 3, 1), 21, 30)
    assert entry_moment("yesterday", now, keep_time_of=written) == datetime(
        2026, 3, 9, 21, 30, tzinfo=timezone.utc
    )
    today_later = entry_moment("today", now, keep_time_of=written)  # 21:30 today hasn't come yet
    assert today_later == now
    given = entry_moment("yesterday 8am", now, keep_time_of=written)  # a time said wins over the entry's
    assert given == datetime(2026, 3, 9, 8, 0, tzinfo=timezone.utc)


def test_a_typed_time_takes_the_offset_its_day_has_in_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/London")
    clock.tzset()
    winter_now = datetime(2026, 1, 20, 10, 0).astimezone()
    assert winter_now.utcoffset() == timedelta(0)
    summer = parse_moment("2025-07-01 9pm", winter_now)
    assert (summer.hour, summer.utcoffset()) == (21, timedelta(hours=1))  # British Summer Time that day
    assert parse_moment("yesterday 9pm", winter_now).utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 3 9pm", (3, 3, 21, 0, 0)),
        ("2024-03-01 9pm", (3, 1, 21, 0, 0)),
        ("March 3 21:00", (3, 3, 21, 0, 0)),
        ("March 3 9:30pm", (3, 3, 21, 30, 0)),
    ],
)
def test_a_time_of_day_given_leaves_no_minutes_from_now(text: str, expected: tuple[int, ...]) -> None:
    """Issue 13: "March 3 9pm" saved 21:31 because the current minute leaked in."""
    now = datetime(2026, 12, 5, 21, 31, 17, tzinfo=timezone.utc)
    moment = parse_moment(text, now)
    assert (moment.month, moment.day, moment.hour, moment.minute, moment.second) == expected


# --- the property: phrases from the grammar, at any reference time ----------------------------------------

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@dataclass(frozen=True)
class Phrase:
    """A generated phrase and what the grammar says it means."""

    text: str
    kind: str  # "now", "ago" (measured back from now), "this-part", or "day" (a day, maybe with a time)
    clock: time | None = None  # the time of day the phrase gave
    days_back: int | None = None  # for phrases naming a day a fixed count back
    weekday: int | None = None  # for a bare weekday: the most recent one
    back: timedelta | None = None  # for "an hour ago"
    part: str | None = None  # for "this morning", "tonight"


def _count(n: int) -> st.SearchStrategy[str]:
    words = [NUMBER_WORDS[n - 1]] if n <= len(NUMBER_WORDS) else []
    return st.sampled_from([str(n), *words, *(["a", "an"] if n == 1 else [])])


@st.composite
def clocks(draw: st.DrawFn) -> tuple[str, time]:
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    twelve, letter = hour % 12 or 12, "a" if hour < 12 else "p"
    half = draw(st.sampled_from([f"{letter}m", f" {letter}m", f"{letter}.m.", f" {letter}.m."]))
    forms = [f"{hour:02}:{minute:02}", f"{hour}:{minute:02}", f"{twelve}:{minute:02}{half}"]
    if minute == 0:
        forms.append(f"{twelve}{half}")
        forms += {12: ["noon", "midday"], 0: ["midnight"]}.get(hour, [])
    return draw(st.sampled_from(forms)), time(hour, minute)


@st.composite
def days(draw: st.DrawFn, now: datetime) -> Phrase:
    today = now.date()
    choice = draw(st.integers(0, 6))
    if choice == 0:
        text, back = draw(st.sampled_from([("today", 0), ("yesterday", 1), ("the day before yesterday", 2)]))
        return Phrase(text, "day", days_back=back)
    if choice == 1 and draw(st.booleans()):  # months and years: the day is checked in the table tests
        n = draw(st.integers(1, 24))
        return Phrase(f"{draw(_count(n))} {draw(st.sampled_from(['month', 'year']))}s ago", "day")
    if choice == 1:
        n = draw(st.integers(1, 400))
        unit = draw(st.sampled_from(["day", "week", "fortnight"]))
        plural = "s" if n > 1 or draw(st.booleans()) else ""
        back = n * {"day": 1, "week": 7, "fortnight": 14}[unit]
        return Phrase(f"{draw(_count(n))} {unit}{plural} ago", "day", days_back=back)
    if choice == 2:
        qualifier = draw(st.sampled_from(["", "on ", "this ", "last "]))
        i = draw(st.integers(0, 6))
        name = draw(st.sampled_from([WEEKDAYS[i], WEEKDAYS[i][:3]]))
        if qualifier == "last ":
            return Phrase(f"last {name}", "day", days_back=(today.weekday() - i) % 7 or 7)
        return Phrase(f"{qualifier}{name}", "day", weekday=i)
    back = draw(st.integers(0, 3000))
    day = today - timedelta(days=back)
    month = day.strftime("%B")
    if choice == 3:
        return Phrase(day.isoformat(), "day", days_back=back)
    if choice == 4:
        text = draw(st.sampled_from([f"{month} {day.day} {day.year}", f"{day.day} {month[:3]} {day.year}"]))
        return Phrase(text, "day", days_back=back)
    if choice == 5 and back < 365 and not (day.month == 2 and day.day == 29):
        return Phrase(
            draw(st.sampled_from([f"{month} {day.day}", f"{day.day} {month}"])), "day", days_back=back
        )
    if day.day > 12 or day.day == day.month:  # slashed, readable without the setting
        return Phrase(f"{day.day}/{day.month}/{day.year}", "day", days_back=back)
    return Phrase(f"{day.year}/{day.month:02}/{day.day:02}", "day", days_back=back)


@st.composite
def phrases(draw: st.DrawFn, now: datetime) -> Phrase:
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return Phrase(draw(st.sampled_from(["now", "just now", "right now", "Now"])), "now")
    if choice == 1:
        n, unit = draw(st.integers(1, 300)), draw(st.sampled_from(["minute", "hour"]))
        plural = "s" if n > 1 else ""
        back = timedelta(minutes=n) if unit == "minute" else timedelta(hours=n)
        return Phrase(f"{draw(_count(n))} {unit}{plural} ago", "ago", back=back)
    if choice == 2:
        part = draw(st.sampled_from(sorted(PARTS)))
        text = draw(st.sampled_from(["tonight", "this night"])) if part == "night" else f"this {part}"
        return Phrase(text, "this-part", clock=PARTS[part].at, part=part)
    if choice == 3:
        return Phrase("last night", "day", clock=PARTS["night"].at, days_back=1)
    day = draw(days(now))
    if choice == 4:
        return day
    if choice == 5:
        part = draw(st.sampled_from(sorted(PARTS)))
        return Phrase(f"{day.text}{draw(st.sampled_from([' ', ' in the ']))}{part}", "day", PARTS[part].at,
                      day.days_back, day.weekday)  # fmt: skip
    said, given = draw(clocks())
    if draw(st.booleans()):
        text = f"{day.text}{draw(st.sampled_from([' ', ' at ', ', ', ' around ']))}{said}"
    else:
        text = f"{draw(st.sampled_from(['', 'at ']))}{said} {draw(st.sampled_from(['', 'on ']))}{day.text}"
    return Phrase(text, "day", given, day.days_back, day.weekday)


@st.composite
def reference_times(draw: st.DrawFn) -> datetime:
    moment = draw(st.datetimes(datetime(2000, 1, 1), datetime(2090, 12, 31)))
    offset = timedelta(minutes=15 * draw(st.integers(-48, 56)))
    return moment.replace(microsecond=0, tzinfo=timezone(offset))


@settings(max_examples=600, deadline=None)
@given(data=st.data(), now=reference_times())
def test_every_phrase_lands_on_or_before_now_at_the_time_it_said(data: st.DataObject, now: datetime) -> None:
    """Issue 13: no phrase takes now's minute unless it says now or counts back from it; none lies ahead."""
    phrase = data.draw(phrases(now))
    reading = read(phrase.text, now)  # every phrase the grammar makes is understood
    moment = reading.moment
    assert parse_day(phrase.text, now) == moment.date()
    try:
        accepted = entry_moment(phrase.text, now)
    except InvalidDate as refused:  # refused only when it really lies ahead: later today, said so
        assert moment > now and "hasn't come yet" in refused.message
        wall_now = now.replace(tzinfo=None)
        if phrase.kind == "this-part":  # ...or a part of today that hasn't begun
            assert phrase.part is not None and wall_now.hour < PARTS[phrase.part].begins
            assert not (phrase.part == "night" and wall_now.hour < 5)
        else:
            assert phrase.days_back == 0 and phrase.clock is not None and phrase.clock > wall_now.time()
        return
    assert accepted == moment and accepted <= now and accepted.utcoffset() == now.utcoffset()

    wall = moment.replace(tzinfo=None)
    if phrase.kind == "now":
        assert moment == now
    elif phrase.kind == "ago":
        assert phrase.back is not None and moment == now - phrase.back
    elif phrase.kind == "this-part":  # its hour today, or now while that part of the day goes on
        assert phrase.clock is not None
        assert moment == now or wall == datetime.combine(now.date(), phrase.clock)
    elif phrase.clock is not None:  # the time of day is the one said, whole minutes: nothing from now
        assert wall.time() == phrase.clock
    elif moment.date() == now.date():  # today, no time said: now
        assert moment == now
    else:  # another day, no time said: midday
        assert wall.time() == time(12, 0)

    if phrase.days_back is not None:
        assert moment.date() == now.date() - timedelta(days=phrase.days_back)
    if phrase.weekday is not None:  # the most recent one: today's only if that time has come
        back = (now.date() - moment.date()).days
        assert moment.weekday() == phrase.weekday and 0 <= back <= 7
        said_time_has_come = phrase.clock is None or phrase.clock <= now.replace(tzinfo=None).time()
        assert back == (0 if said_time_has_come else 7) if moment.weekday() == now.weekday() else back < 7


# --- settings and the command line ----------------------------------------------------------------------


def test_the_date_order_comes_from_the_environment() -> None:
    assert Settings.from_env(env={}).date_order is None
    assert Settings.from_env(env={DATE_ORDER_ENV: "dayfirst"}).date_order == "dayfirst"
    assert Settings.from_env(env={DATE_ORDER_ENV: " Month-First "}).date_order == "monthfirst"
    with pytest.raises(UsageProblem, match="dayfirst") as caught:
        Settings.from_env(env={DATE_ORDER_ENV: "dmy"})
    assert "01/12" in caught.value.hint


def _doc(ran: Ran) -> dict[str, Any]:
    assert ran.exit_code == 0, ran.stderr
    return dict(json.loads(ran.stdout))


def _dates(cli: Cli, *args: str) -> list[str]:
    return [e["date"][:16] for e in _doc(cli("list", "--json", *args))["entries"]]


def test_write_yesterday_9pm_is_saved_at_21_00_the_day_before(cli: Cli, initialised: Ran) -> None:
    yesterday = (datetime.now() - timedelta(days=1)).date()
    assert cli("write", "--date", "yesterday 9pm", input="Words.").exit_code == 0
    assert _dates(cli) == [f"{yesterday.isoformat()}T21:00"]
    shown = cli("show", "1")
    assert f"{yesterday.isoformat()} 21:00" in shown.stdout
    assert f"{yesterday.isoformat()} 21:00" in cli("list").stdout


def test_the_issue_phrases_work_on_the_command_line(cli: Cli, initialised: Ran) -> None:
    for phrase in ("last friday 9pm", "2 days ago 9pm", "last night", "an hour ago", "friday 9am"):
        ran = cli("write", "--date", phrase, input="Words.")
        assert ran.exit_code == 0, (phrase, ran.stderr)
    assert len(_dates(cli)) == 5


def test_ranges_cover_the_whole_day_a_phrase_names(cli: Cli, initialised: Ran) -> None:
    assert cli("write", "--date", "yesterday 11:59pm", input="Late.").exit_code == 0
    assert cli("write", "--date", "yesterday 12:01am", input="Early.").exit_code == 0
    assert len(_dates(cli, "--to", "yesterday")) == 2
    assert len(_dates(cli, "--from", "yesterday 9pm")) == 2  # a time in a range option: still that day
    assert len(_dates(cli, "--on", "yesterday")) == 2
    assert _dates(cli, "--from", "today") == []


def test_an_ambiguous_date_is_one_calm_line_and_nothing_is_saved(cli: Cli, initialised: Ran) -> None:
    ran = cli("write", "--date", "01/12/2024", input="Words.")
    assert ran.exit_code == ExitCode.INVALID_DATE and ran.stdout == ""
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 2 and "1 December or January 12" in lines[0] and "date_order" in lines[1]
    assert _dates(cli) == []


@pytest.mark.parametrize(("order", "expected"), [("dayfirst", "2024-12-01"), ("monthfirst", "2024-01-12")])
def test_the_date_order_setting_reaches_every_date_option(
    cli: Cli, initialised: Ran, order: str, expected: str
) -> None:
    env = {DATE_ORDER_ENV: order}
    assert cli("write", "--date", "01/12/2024 9pm", input="Words.", env=env).exit_code == 0
    assert _dates(cli) == [f"{expected}T21:00"]
    assert cli("list", "--on", "01/12/2024").exit_code == ExitCode.INVALID_DATE  # without the setting...
    assert _doc(cli("list", "--json", "--on", "01/12/2024", env=env))["entries"]  # ...with it, read its way
    assert cli("edit", "1", "--date", "01/12/2024", env=env).exit_code == 0
    assert cli("milestone", "add", "Held a boundary", "--date", "01/12/2024", env=env).exit_code == 0
    milestone = _doc(cli("milestone", "list", "--json"))["milestones"][0]
    assert milestone["date"] == expected


def test_a_bad_date_order_setting_is_a_usage_problem(cli: Cli, initialised: Ran) -> None:
    ran = cli("list", env={DATE_ORDER_ENV: "sideways"})
    assert ran.exit_code == ExitCode.USAGE and "dayfirst" in ran.stderr


def test_help_dates_and_the_guide_offer_the_same_phrases(cli: Cli) -> None:
    """`help dates` (offline, with no docs/ installed) and docs/usage.md's Dates table list the same words."""
    guide = (Path(__file__).parent.parent / "docs" / "usage.md").read_text(encoding="utf-8")
    section = guide.split("\n## Dates\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    in_guide = [row.split(" | ")[0].removeprefix("| ").replace("`", "") for row in rows]
    assert in_guide == [typed for typed, _ in FORMS]
    shown = cli("help", "dates")
    assert shown.exit_code == 0
    for typed, _ in FORMS:
        assert typed in shown.stdout


def test_every_phrase_the_guide_offers_is_understood() -> None:
    """docs/usage.md's Dates table stays true: every phrase in it reads, except the one it says is refused."""
    guide = (Path(__file__).parent.parent / "docs" / "usage.md").read_text(encoding="utf-8")
    section = guide.split("\n## Dates\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    offered = [p for row in rows for p in re.findall(r"`([^`]+)`", row)]
    offered = [p for p in offered if p not in DATE_ORDERS and not p.startswith(("RECOVERY_", "--"))]
    assert len(offered) > 40
    for phrase in offered:
        if phrase == "01/12":
            with pytest.raises(InvalidDate, match="wasn't guessed"):
                read(phrase, NOW)
        else:
            read(phrase, NOW)
