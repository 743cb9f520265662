"""Reading the dates people type."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from recovery_journal.domain.dates import entry_moment, not_in_future, parse_day, parse_moment
from recovery_journal.errors import InvalidDate

# Wednesday 25 November 2026, 21:30, UTC+1
NOW = datetime(2026, 11, 25, 21, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 24)),
        ("Yesterday ", date(2026, 11, 24)),
        ("3 days ago", date(2026, 11, 22)),
        ("a week ago", date(2026, 11, 18)),
        ("two weeks ago", date(2026, 11, 11)),
        ("1 month ago", date(2026, 10, 25)),
        ("2 years ago", date(2024, 11, 25)),
        ("last week", date(2026, 11, 18)),
        ("last month", date(2026, 10, 25)),
        ("friday", date(2026, 11, 20)),
        ("last friday", date(2026, 11, 20)),
        ("wednesday", date(2026, 11, 25)),
        ("last wednesday", date(2026, 11, 18)),
        ("last mon", date(2026, 11, 23)),
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-3-1", date(2024, 3, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("March 3 2024", date(2024, 3, 3)),
        ("3 March", date(2026, 3, 3)),
    ],
)
def test_understood_dates(text: str, day: date) -> None:
    assert parse_day(text, NOW) == day


def test_a_date_alone_keeps_the_time_of_day_and_gets_an_offset() -> None:
    moment = parse_moment("2024-03-01", NOW)
    assert (moment.hour, moment.minute) == (21, 30) and moment.tzinfo is not None


def test_a_full_timestamp_is_kept() -> None:
    assert parse_moment("2024-03-01 08:15", NOW).replace(tzinfo=None) == datetime(2024, 3, 1, 8, 15)
    assert parse_moment("2024-03-01T08:15:00+05:00", NOW).utcoffset() == timedelta(hours=5)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2021-02-30", "February 2021 has 28 days"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("2024-13-01", "no month 13"),
        ("blah", "isn't a date"),
        ("", "empty"),
        ("purple days ago", "isn't a date"),
    ],
)
def test_impossible_dates_say_why(text: str, says: str) -> None:
    with pytest.raises(InvalidDate, match=says):
        parse_moment(text, NOW)


def test_future_dates_are_refused_for_entries() -> None:
    with pytest.raises(InvalidDate, match="future"):
        not_in_future(parse_moment("tomorrow", NOW), NOW)
    assert not_in_future(NOW, NOW) == NOW


def test_an_entry_moment_never_lies_in_the_future() -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
    with pytest.raises(InvalidDate):
        entry_moment("tomorrow", now)
    assert entry_moment("yesterday", now) == now - timedelta(days=1)


def test_an_edited_entry_given_a_day_keeps_its_own_time() -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
    written = datetime(2026, 1, 5, 21, 30, tzinfo=timezone.utc)
    moved = entry_moment("2026-03-01", now, keep_time_of=written)
    assert (moved.date(), moved.hour, moved.minute) == (date(2026, 3, 1), 21, 30)
    today_later = entry_moment("today", now, keep_time_of=written)  # 21:30 today hasn't come yet
    assert today_later == now


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
