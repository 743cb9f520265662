"""The calendar view's data: for each day of a year, how many entries and which stage they mostly were in."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidDate
from ..stages.kinds import STAGES, Stage
from .facts import Snapshot


@dataclass(frozen=True)
class Day:
    day: date
    entries: int
    stage: Stage | None  # the stage most of the day's entries were in


def year_map(snapshot: Snapshot, year: int) -> list[Day]:
    """Every day of `year`, in order (days after today have no entries and are shown as ahead)."""
    if not 1900 <= year <= snapshot.today.year:
        raise InvalidDate(
            f"{year} isn't a year this journal can show.",
            hint=f"Choose a year from 1900 to {snapshot.today.year}.",
        )
    counts: Counter[date] = Counter()
    stages: dict[date, Counter[Stage]] = {}
    for fact in snapshot.facts:
        if fact.when.year != year:
            continue
        counts[fact.day] += 1
        if fact.stage is not None:
            stages.setdefault(fact.day, Counter())[fact.stage] += 1
    days = []
    cursor = date(year, 1, 1)
    while cursor.year == year:
        mix = stages.get(cursor)
        top = max(STAGES, key=lambda s: (mix[s], -STAGES.index(s))) if mix else None
        days.append(Day(day=cursor, entries=counts[cursor], stage=top))
        cursor += timedelta(days=1)
    return days
