"""Reading the dates people type: "yesterday 9pm", "last friday", "this morning", "March 3", "2024-03-01"."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta
from typing import Literal, NamedTuple

from ..errors import InvalidDate

DateOrder = Literal["dayfirst", "monthfirst"]
DATE_ORDERS: tuple[DateOrder, ...] = ("dayfirst", "monthfirst")
DATE_ORDER_ENV = "RECOVERY_JOURNAL_DATE_ORDER"

HINT = (
    'Try "yesterday 9pm", "last friday", "this morning", "2 days ago", "March 3" or 2024-03-01 21:30 '
    "(more: recovery-journal help dates)."
)

# What a person can type, as `recovery-journal help dates` shows it; docs/usage.md's Dates table says the same
# (tests/test_dates.py keeps the two in step, and reads every example).
FORMS: tuple[tuple[str, str], ...] = (
    ("now, just now, right now", "this minute"),
    ("today, yesterday, the day before yesterday", "that day"),
    (
        "3 days ago, two weeks ago, a fortnight ago, a couple of days ago, 6 months ago, a year ago",
        "that many back from today; last week, last month, last year are one back",
    ),
    (
        "friday, on fri, this friday",
        "the most recent Friday: today, if today is Friday and the time has come",
    ),
    ("last friday", "the Friday before today, a week ago if today is Friday"),
    ("2024-03-01, 2024/03/01", "that day (year first is never ambiguous)"),
    ("March 3, 3 March 2024, Mar 3rd", "that day; without a year, the most recent March 3"),
    ("13/12, 12/13/2024, 13.12.24", "a slashed or dotted date whose day is over 12 reads only one way"),
    (
        "01/12",
        "could be 1 December or January 12, so it isn't guessed: write 1 Dec or 2026-12-01, or set "
        "date_order (recovery-journal config set date_order dayfirst)",
    ),
    (
        "9pm, 9:30 pm, 9 a.m., 21:30, noon, midnight",
        "a time today; with a day, before or after it: yesterday 9pm, 9pm on friday, 2024-03-01 21:30; "
        "minutes not given are :00",
    ),
    (
        "yesterday morning, friday night, 3 days ago in the afternoon",
        "a part of that day, at the hours below",
    ),
    ("last night", "21:00 yesterday"),
    (
        "this morning, this afternoon, this evening, tonight",
        "that part of today; said while it is going on but before its hour, now",
    ),
    ("an hour ago, 20 minutes ago, half an hour ago", "counted back from now, to the minute"),
)
TIME_HINT = "Times look like 9pm, 9:30am, 21:30, noon or midnight."

MIDDAY = time(12, 0)  # a day named without a time: some time that day, no hour guessed
NOW_WORDS = frozenset({"now", "just now", "right now"})


class Part(NamedTuple):
    """A part of the day: the hour it stands for, and the hours during which "this <part>" is now."""

    at: time
    begins: int
    ends: int


# "last night" is 21:00 the day before; "this morning" 09:00 today; "tonight" 21:00 today. Said while that
# part of the day is going on but before its hour ("tonight" at 19:00), it means now.
PARTS = {
    "morning": Part(time(9), 0, 12),  # up at 4am, "this morning" is now
    "afternoon": Part(time(15), 12, 17),
    "evening": Part(time(19), 17, 24),
    "night": Part(time(21), 17, 24),
}
PARTS_SAID = (
    "The parts of the day: morning 09:00 (going on until 12:00), afternoon 15:00 (12:00-17:00), "
    "evening 19:00 and night 21:00 (from 17:00, and until 05:00 for tonight). A day with no time of day "
    "is dated midday; today alone is now. --from, --to and --on mean the whole day a phrase names. A "
    "moment still to come is refused, never moved; leave --date out to date it now."
)

_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS |= {name[:3]: i for name, i in list(_WEEKDAYS.items())}
_WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_NUMBERS = {"a": 1, "an": 1, "a couple of": 2, "couple of": 2} | {
    word: i
    for i, word in enumerate(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), 1
    )
}
_COUNT = r"(\d+|a couple of|couple of|[a-z]+)"
# The patterns stay text until a date is read: `re` compiles each on first use and keeps it, so the many
# commands that read no date don't pay for compiling them at start-up.
# (?a), ASCII digits only: "２０２４" (fullwidth) is not a year, though Python's int() would read it as one.
_CLOCK_AGO = rf"(?a)^(?:{_COUNT}|half an)\s+(minute|min|hour|hr)s?\s+ago$"
_DAYS_AGO = rf"(?a)^{_COUNT}\s+(day|week|fortnight|month|year)s?\s+ago$"
_LAST_UNIT = r"^last\s+(week|month|year)$"
_WEEKDAY = r"^(?:(last|this|on|past)\s+)?([a-z]+)$"
_CLOCK = (
    r"(?:(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<half>am|pm|a\.m\.|p\.m\.)"
    r"|(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?|(?P<word>noon|midday|midnight))"
)
_TIME_LAST = rf"(?a)^(?P<day>.*?)(?:^|\s+)(?:(?:at|around|about)\s+)?{_CLOCK}$"
_TIME_FIRST = rf"(?a)^(?:(?:at|around|about)\s+)?{_CLOCK}(?:\s+(?:on\s+)?(?P<day>.+))?$"
_PART = r"^(?P<day>.+?)\s+(?:in\s+the\s+)?(?P<part>morning|afternoon|evening|night)$"
_THIS_PART = r"^(?:this\s+(?P<part>morning|afternoon|evening|night)|(?P<tonight>tonight))$"
_ISO_LIKE = r"(?a)^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$"
_ISO_DAY = r"(?a)^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"
_NUMERIC_DAY = r"(?a)^(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?$"
_MONTH_NAME = r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?=\W|\d|$)"


class Reading(NamedTuple):
    """What a phrase said: the moment, and whether it named a time of day (or measured back from now)."""

    moment: datetime
    time_said: bool


def parse_moment(text: str, now: datetime, order: DateOrder | None = None) -> datetime:
    """Read a date or date-time, relative to `now` (aware); `order` reads 01/12. Returns an aware datetime."""
    return read(text, now, order).moment


def parse_day(text: str, now: datetime, order: DateOrder | None = None) -> date:
    """Read a calendar day for --from / --to / --on: a phrase naming a day means all of that day."""
    return read(text, now, order).moment.date()


def read(text: str, now: datetime, order: DateOrder | None = None) -> Reading:
    """Read what someone typed; every form is listed under "Dates" in docs/usage.md."""
    raw = " ".join(text.strip().split())
    if any(ch.isdigit() and not ch.isascii() for ch in raw):
        raise InvalidDate(f"'{raw}' has digits this doesn't read in a date.", hint="Use 0-9. " + HINT)
    try:
        return _read(raw, now, order)
    except (OverflowError, ValueError):  # "1000000 days ago": past the ends of the calendar
        raise InvalidDate(f"'{raw}' is further from today than a calendar goes.", hint=HINT) from None


def not_in_future(moment: datetime, now: datetime) -> datetime:
    """Entries are about now or earlier; refuse a moment still to come, rather than quietly moving it."""
    if moment > now:
        raise InvalidDate(
            f"{moment:%Y-%m-%d %H:%M} hasn't come yet (it's {now:%Y-%m-%d %H:%M} now).",
            hint="An entry can be dated now or earlier. Leave --date out to use now.",
        )
    return moment


def entry_moment(
    value: str, now: datetime, keep_time_of: datetime | None = None, order: DateOrder | None = None
) -> datetime:
    """When an entry is about, from --date; for an edit, a day given without a time keeps the entry's time."""
    reading = read(value, now, order)
    moment = reading.moment
    if keep_time_of is not None and not reading.time_said:
        moment = _at(moment.date(), keep_time_of.time().replace(microsecond=0), now)
        if moment > now and moment.date() == now.date():
            moment = now  # today, at a time of day not reached yet: now is as late as an entry can be
    return not_in_future(moment, now)


def _read(raw: str, now: datetime, order: DateOrder | None) -> Reading:
    s = " ".join(raw.lower().replace(",", " ").split())
    if not s:
        raise InvalidDate("The date was empty.", hint=HINT)
    if s in NOW_WORDS:
        return Reading(now, True)
    if m := re.match(_CLOCK_AGO, s):
        count, unit = m.groups()
        minutes = 30 if count is None else _count(count, raw) * (60 if unit in ("hour", "hr") else 1)
        return Reading(now - timedelta(minutes=minutes), True)
    if (iso := _iso_moment(raw, s, now)) is not None:
        return iso

    if m := re.match(_THIS_PART, s):
        return Reading(_this_part(PARTS[m.group("part") or "night"], now), True)
    if s == "last night":
        return Reading(_at(now.date() - timedelta(days=1), PARTS["night"].at, now), True)
    if m := re.match(_PART, s):
        day, rolls = _day(m.group("day"), now, order)
        return Reading(_roll(day, PARTS[m.group("part")].at, now, rolls), True)

    split = re.match(_TIME_LAST, s) or re.match(_TIME_FIRST, s)
    if split is not None:
        clock = _clock(split, raw)
        day, rolls = _day(split.group("day") or "today", now, order)
        return Reading(_roll(day, clock, now, rolls), True)
    day, _rolls = _day(s, now, order)
    if day == now.date():
        return Reading(now, False)  # today, with no time said: now
    return Reading(_at(day, MIDDAY, now), False)


def _iso_moment(raw: str, s: str, now: datetime) -> Reading | None:
    """2024-03-01, 2024-03-01 21:30, 2024-03-01T21:30:00+05:00; None if it isn't one."""
    if not (m := re.match(_ISO_LIKE, s)):
        return None
    _check_calendar(raw, *(int(g) for g in m.groups()))
    if len(s) <= 10:
        return None  # a day alone: read below, like any other day
    try:
        parsed = datetime.fromisoformat(raw.replace("t", "T"))
    except ValueError:
        return None  # "2024-03-01 9pm": the day, then a time in words
    if parsed.tzinfo is not None:
        return Reading(parsed, True)
    return Reading(_at(parsed.date(), parsed.time(), now), True)


def _this_part(part: Part, now: datetime) -> datetime:
    """This morning, this evening, tonight: the part's hour today, or now while it's going on."""
    moment = _at(now.date(), part.at, now)
    going_on = part.begins <= now.hour < part.ends or (part is PARTS["night"] and now.hour < 5)
    return now if moment > now and going_on else moment


def _roll(day: date, clock: time, now: datetime, rolls: bool) -> datetime:
    """A weekday means the most recent one: today's only if that time has come."""
    moment = _at(day, clock, now)
    if rolls and moment > now:
        return _at(day - timedelta(days=7), clock, now)
    return moment


def _day(text: str, now: datetime, order: DateOrder | None) -> tuple[date, bool]:
    """The calendar day a phrase names, and whether it is a weekday that may step back a week."""
    today = now.date()
    if text == "today":
        return today, False
    if text == "yesterday":
        return today - timedelta(days=1), False
    if text == "the day before yesterday":
        return today - timedelta(days=2), False
    if text == "tomorrow":
        return today + timedelta(days=1), False
    if m := re.match(_DAYS_AGO, text):
        return _back(today, _count(m.group(1), text), m.group(2)), False
    if m := re.match(_LAST_UNIT, text):
        return _back(today, 1, m.group(1)), False
    if (m := re.match(_WEEKDAY, text)) and m.group(2) in _WEEKDAYS:
        qualifier, name = m.groups()
        back = (today.weekday() - _WEEKDAYS[name]) % 7
        if qualifier == "last" and back == 0:
            return today - timedelta(days=7), False
        return today - timedelta(days=back), back == 0
    if m := re.match(_ISO_DAY, text):
        year, month, day = (int(g) for g in m.groups())
        _check_calendar(text, year, month, day)
        return date(year, month, day), False
    if m := re.match(_NUMERIC_DAY, text):
        return _numeric_day(text, m, today, order), False
    if re.search(_MONTH_NAME, text):
        return _named_day(text, today), False
    raise InvalidDate(f"'{text}' isn't a date this understands.", hint=HINT)


def _numeric_day(text: str, m: re.Match[str], today: date, order: DateOrder | None) -> date:
    """01/12, 13/12/2026, 12/13/26: day and month by their sizes, else by the setting, never by a guess."""
    first, second = int(m.group(1)), int(m.group(3))
    if first > 12 or (order == "dayfirst" and second <= 12):
        day, month = first, second
    elif second > 12 or order == "monthfirst" or first == second:
        day, month = second, first
    else:
        year = m.group(4) if m.group(4) and len(m.group(4)) == 4 else str(today.year)
        raise InvalidDate(
            f"'{text}' could be {first} {calendar.month_name[second]} or "
            f"{calendar.month_name[first]} {second}, so it wasn't guessed.",
            hint=f'Write "{first} {calendar.month_abbr[second]}" or "{second} {calendar.month_abbr[first]}" '
            f"(or {year}-{second:02}-{first:02}), or choose an order once: "
            "`recovery-journal config set date_order dayfirst` (or monthfirst).",
        )
    if m.group(4) is None:
        return _most_recent(text, month, day, today)
    year = int(m.group(4))
    if len(m.group(4)) == 2:  # the year in this century, or the one before if that would be ahead
        year += today.year // 100 * 100
        year -= 100 if year > today.year else 0
    _check_calendar(text, year, month, day)
    return date(year, month, day)


def _named_day(text: str, today: date) -> date:
    """March 3, 3 March 2024, Mar 3rd: dateutil reads it; without a year, the most recent one."""
    from dateutil import parser

    try:  # two leap years as defaults show whether a year was given, and let "Feb 29" through
        first = parser.parse(text, default=datetime(2000, 1, 1), fuzzy=False)
        second = parser.parse(text, default=datetime(2004, 1, 1, 12, 34, 56), fuzzy=False)
    except (ValueError, OverflowError):
        raise InvalidDate(f"'{text}' isn't a date this understands.", hint=HINT) from None
    if first.time() == second.time():  # a time hidden in the day ("March 3 2100"?): not read as a day
        raise InvalidDate(f"'{text}' isn't a date this understands.", hint=HINT)
    if first.year != second.year:
        return _most_recent(text, first.month, first.day, today)
    return first.date()


def _most_recent(text: str, month: int, day: int, today: date) -> date:
    """A day and month without a year: this year's, or the latest year before it when that is still ahead."""
    if not 1 <= month <= 12:
        raise InvalidDate(f"{text} isn't a date on the calendar: there's no month {month}.", hint=HINT)
    for year in range(today.year, today.year - 9, -1):
        if day <= calendar.monthrange(year, month)[1] and date(year, month, day) <= today:
            return date(year, month, day)
    _check_calendar(text, today.year, month, day)  # says why: no such day in that month
    raise InvalidDate(f"'{text}' isn't a date this understands.", hint=HINT)


def _back(today: date, count: int, unit: str) -> date:
    if unit == "day":
        return today - timedelta(days=count)
    if unit in ("week", "fortnight"):
        return today - timedelta(weeks=count * (2 if unit == "fortnight" else 1))
    from dateutil.relativedelta import relativedelta

    return today - relativedelta(months=count * (12 if unit == "year" else 1))


def _count(word: str, raw: str) -> int:
    count = int(word) if word.isdigit() else _NUMBERS.get(word)
    if count is None:
        raise InvalidDate(f"'{raw}' isn't a date this understands.", hint=HINT)
    return count


def _clock(m: re.Match[str], raw: str) -> time:
    """The time of day a phrase gave; the parts it leaves out are zero, never now's."""
    word = m.group("word")
    if word:
        return time(0) if word == "midnight" else time(12)
    if m.group("half"):
        hour, minute, second = int(m.group("h")), int(m.group("m") or 0), 0
        if not 1 <= hour <= 12:
            raise InvalidDate(f"'{raw}' has a time of day that isn't on the clock.", hint=TIME_HINT)
        hour = hour % 12 + (12 if m.group("half").startswith("p") else 0)
    else:
        hour, minute, second = int(m.group("H")), int(m.group("M")), int(m.group("S") or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidDate(f"'{raw}' has a time of day that isn't on the clock.", hint=TIME_HINT)
    return time(hour, minute, second)


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


def _at(day: date, clock: time, now: datetime) -> datetime:
    """A wall-clock time typed here: in the local zone with the offset it has on that day (summer time
    included), unless `now` is in another offset than the local one, which is then kept."""
    naive = datetime.combine(day, clock)
    try:
        if now.tzinfo is None or now.utcoffset() == now.astimezone().utcoffset():
            return naive.astimezone()
        return naive.replace(tzinfo=now.tzinfo)
    except (OverflowError, OSError, ValueError):
        raise InvalidDate(f"{naive:%Y-%m-%d} is too far from today to use.", hint=HINT) from None
