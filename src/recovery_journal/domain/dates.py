"""Reading the dates people type: ISO dates, "yesterday", "3 days ago", "last friday", "March 3"."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from ..errors import InvalidDate

HINT = 'Dates look like 2024-03-01 or 2024-03-01 21:30, or "today", "yesterday", "3 days ago", "last friday".'

_WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)} | {
    name[:3]: i for i, name in enumerate(calendar.day_name)
}
_WEEKDAYS = {k.lower(): v for k, v in _WEEKDAYS.items()}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# ASCII digits only: "２０２４" (fullwidth) is not a year, though Python's int() would read it as one.
_AGO = re.compile(r"^(\d+|[a-z]+)\s+(day|week|fortnight|month|year)s?\s+ago$", re.ASCII)
_WEEKDAY = re.compile(r"^(?:(last|this|on)\s+)?([a-z]+)$")
_LAST_UNIT = re.compile(r"^last\s+(week|month|year)$")
# A time of day in the text: "9pm", "9 am", "21:30", "9:30pm"; the parts it leaves out are zero, not now's.
_TIME_GIVEN = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)\b|\b\d{1,2}:\d{2}\b", re.I | re.ASCII
)
_ISO_LIKE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$", re.ASCII)


def _months_back(moment: datetime, months: int) -> datetime:
    from dateutil.relativedelta import relativedelta

    return moment - relativedelta(months=months)


def parse_moment(text: str, now: datetime) -> datetime:
    """Read a date or date-time; parts not given (time, year) come from `now`. Returns an aware datetime."""
    raw = " ".join(text.strip().split())
    if any(ch.isdigit() and not ch.isascii() for ch in raw):
        raise InvalidDate(f"'{raw}' has digits this doesn't read in a date.", hint="Use 0-9. " + HINT)
    try:
        return _parse_moment(raw, now)
    except (OverflowError, ValueError):  # "1000000 days ago": past the ends of the calendar
        raise InvalidDate(f"'{raw}' is further from today than a calendar goes.", hint=HINT) from None


def _parse_moment(raw: str, now: datetime) -> datetime:
    s = raw.lower()
    if not s:
        raise InvalidDate("The date was empty.", hint=HINT)
    if s in ("now", "today"):
        return now
    if s == "yesterday":
        return now - timedelta(days=1)
    if s == "tomorrow":
        return now + timedelta(days=1)

    if m := _AGO.match(s):
        count_word, unit = m.groups()
        count = int(count_word) if count_word.isdigit() else _NUMBERS.get(count_word)
        if count is None:
            raise InvalidDate(f"'{raw}' isn't a date this understands.", hint=HINT)
        if unit == "day":
            return now - timedelta(days=count)
        if unit == "week":
            return now - timedelta(weeks=count)
        if unit == "fortnight":
            return now - timedelta(weeks=2 * count)
        return _months_back(now, count * (12 if unit == "year" else 1))

    if m := _LAST_UNIT.match(s):
        unit = m.group(1)
        if unit == "week":
            return now - timedelta(weeks=1)
        return _months_back(now, 12 if unit == "year" else 1)

    if (m := _WEEKDAY.match(s)) and m.group(2) in _WEEKDAYS:
        qualifier, day_name = m.groups()
        back = (now.weekday() - _WEEKDAYS[day_name]) % 7
        if qualifier == "last" and back == 0:
            back = 7
        return now - timedelta(days=back)

    if m := _ISO_LIKE.match(s):
        year, month, day = (int(g) for g in m.groups())
        _check_calendar(raw, year, month, day)
        try:
            parsed = datetime.fromisoformat(raw.replace("t", "T"))
        except ValueError:
            parsed = None
        if parsed is not None:
            if len(raw) <= 10:  # a date alone keeps the current time of day
                parsed = datetime.combine(parsed.date(), now.timetz().replace(tzinfo=None))
            return _aware(parsed)

    return _aware(_dateutil(raw, now))


def parse_day(text: str, now: datetime) -> date:
    """Read a calendar day for --from / --to / --on."""
    return parse_moment(text, now).date()


def not_in_future(moment: datetime, now: datetime) -> datetime:
    """Entries are about today or earlier; refuse a date ahead of now."""
    if moment - now > timedelta(minutes=1):
        raise InvalidDate(
            f"{moment:%Y-%m-%d %H:%M} is in the future.",
            hint="Entries can be dated today or any day before. Leave --date out to use now.",
        )
    return moment


def entry_moment(value: str, now: datetime, keep_time_of: datetime | None = None) -> datetime:
    """When an entry is about, from --date; for an edit, a day given without a time keeps the entry's time."""
    reference = now
    if keep_time_of is not None and value.strip().lower() != "now":
        reference = now.replace(
            hour=keep_time_of.hour, minute=keep_time_of.minute, second=keep_time_of.second, microsecond=0
        )
    moment = parse_moment(value, reference)
    if keep_time_of is not None and moment > now and moment.date() == now.date():
        moment = now  # today, at a time of day not reached yet: now is as late as an entry can be
    return not_in_future(moment, now)


def _check_calendar(raw: str, year: int, month: int, day: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidDate(f"{raw} isn't a date on the calendar: there's no month {month}.", hint=HINT)
    if not 1 <= year <= 9999:
        raise InvalidDate(f"{raw} isn't a date this can use.", hint=HINT)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise InvalidDate(
            f"{raw} isn't a date on the calendar: {calendar.month_name[month]} {year} has {days} days.",
            hint=HINT,
        )


def _dateutil(raw: str, now: datetime) -> datetime:
    from dateutil import parser

    default = now.replace(tzinfo=None)
    if _TIME_GIVEN.search(raw):  # "March 3 9pm" is 21:00, never 21:<this minute>
        default = default.replace(minute=0, second=0, microsecond=0)
    try:
        parsed = parser.parse(raw, default=default, fuzzy=False)
    except (ValueError, OverflowError):
        raise InvalidDate(f"'{raw}' isn't a date this understands.", hint=HINT) from None
    if parsed.tzinfo is None and parsed.year < 1:
        raise InvalidDate(f"'{raw}' isn't a date this can use.", hint=HINT)
    return parsed


def _aware(moment: datetime) -> datetime:
    """Attach the local UTC offset in force on that date, unless the text gave one."""
    if moment.tzinfo is not None:
        return moment
    try:
        return moment.astimezone()
    except (OverflowError, OSError, ValueError):
        raise InvalidDate(f"{moment:%Y-%m-%d} is too far from today to use.", hint=HINT) from None
