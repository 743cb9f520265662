"""Round numbers worth a warm word: a counter's days, and milestones."""

from __future__ import annotations

ROUND_DAYS = (7, 30, 90, 100, 180, 365)


def is_round(days: int) -> bool:
    """7, 30, 90, 100, 180 and 365 days, and every whole year after."""
    return days in ROUND_DAYS or (days > 0 and days % 365 == 0)


def last_round(days: int) -> int | None:
    """The largest round number of days at or below `days`, if any."""
    if days >= 365:
        return days // 365 * 365
    below = [day for day in ROUND_DAYS if day <= days]
    return below[-1] if below else None


def spoken(days: int) -> str:
    """'7 days', '90 days', '1 year', '2 years'."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"
