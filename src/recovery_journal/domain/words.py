"""How counts and moments read in what the person is told: "1 earlier version", "Tue 25 Nov 2026 21:04"."""

from __future__ import annotations

from datetime import datetime


def counted(n: int, one: str, many: str | None = None) -> str:
    """`n` things, the word agreeing with the number: 1 entry, 2 entries, 0 earlier versions."""
    if n == 1:
        return f"1 {one}"
    if many is None:
        many = one[:-1] + "ies" if one.endswith("y") and one[-2:-1] not in "aeiou" else one + "s"
    return f"{n} {many}"


def every(n: int, one: str, many: str | None = None) -> str:
    """All of `n` things, as said aloud: "The one milestone", "Both milestones", "All 3 milestones"."""
    if n == 1:
        return f"The one {one}"
    plural = counted(n, one, many).split(" ", 1)[1]
    return f"Both {plural}" if n == 2 else f"All {n} {plural}"


def when(moment: datetime) -> str:
    """A calm, unambiguous date: Tue 25 Nov 2026 21:04."""
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M}"


def when_saved(iso: str | None) -> str:
    """A moment recorded as ISO 8601 text (a backup's making), as `when` shows it, in local time."""
    try:
        moment = datetime.fromisoformat(iso or "")
    except ValueError:
        return "at a time it doesn't record"
    return when(moment.astimezone() if moment.tzinfo else moment)
