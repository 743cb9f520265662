"""How an unlocked session is told: until when, for how long unused, and the same as a JSON payload."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

LOCK_SOONER = "`recovery-journal lock` locks it sooner."


def at(when: datetime, now: datetime | None = None) -> str:
    """A time of day, with the day when it isn't today."""
    today = (now or datetime.now().astimezone()).date()
    return when.strftime("%H:%M") if when.date() == today else when.strftime("%a %d %b %H:%M")


def span(seconds: float) -> str:
    """A length of time in words: 90 seconds, 15 minutes, 1 hour 30 minutes."""
    whole = round(seconds)
    if whole < 120 and whole % 60:
        return _count(whole, "second")
    hours, minutes = divmod(whole // 60, 60)
    return " ".join(
        ([_count(hours, "hour")] if hours else []) + ([_count(minutes, "minute")] if minutes else [])
    )


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def unlocked_line(until: datetime, idle_until: datetime, idle_seconds: float) -> str:
    """What `unlock` says once the session has started."""
    if idle_until < until:
        return (
            f"Unlocked until {at(until)}, or until it has been unused for {span(idle_seconds)}. {LOCK_SOONER}"
        )
    return f"Unlocked until {at(until)}. {LOCK_SOONER}"


def no_journal_line(home: Path) -> str:
    """What `status` and `lock` say where there is no journal: nothing is locked, nothing is missing."""
    return (
        f"There's no journal at {home} yet, so there's nothing to lock. `recovery-journal init` starts one."
    )


def status_line(until: datetime | None, idle_until: datetime | None) -> str:
    """What `status` says: locked, or unlocked until when."""
    if until is None or idle_until is None:
        return (
            "The journal is locked: each command asks for your passphrase. "
            "`recovery-journal unlock` keeps it unlocked for a while."
        )
    if idle_until < until:
        return f"Unlocked until {at(until)}; left unused, it locks at {at(idle_until)}. {LOCK_SOONER}"
    return f"Unlocked until {at(until)}. {LOCK_SOONER}"


def session_json(
    until: datetime | None, idle_until: datetime | None, idle_seconds: float | None
) -> dict[str, Any]:
    """The JSON fields `unlock` and `status` share."""
    return {
        "unlocked": until is not None,
        "until": None if until is None else until.isoformat(timespec="seconds"),
        "idle_until": None if idle_until is None else idle_until.isoformat(timespec="seconds"),
        "idle_seconds": idle_seconds,
    }
