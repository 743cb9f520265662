"""Lengths of time as people type them (15m, 1h, 1h30m, 90s), for how long a session stays unlocked."""

from __future__ import annotations

import re

from ..errors import UsageProblem

LONGEST = 24 * 60 * 60  # seconds: the most a session may be asked to last
_DURATION = re.compile(r"(?:(\d{1,5})h)?(?:(\d{1,7})m)?(?:(\d{1,9})s)?")


def parse(text: str, option: str) -> float:
    """Seconds in a length of time like 15m, 1h, 1h30m or 90s, from 1 second to 24 hours."""
    found = _DURATION.fullmatch(text.strip().lower().replace(" ", ""))
    if not text.strip() or found is None or not any(found.groups()):
        raise UsageProblem(
            f"{option} takes a length of time, like 15m, 1h, 1h30m or 90s.",
            hint="h is hours, m minutes, s seconds.",
        )
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if not 1 <= total <= LONGEST:
        raise UsageProblem(
            f"{option} can be anything from 1 second to 24 hours.",
            hint="For longer, run `recovery-journal unlock` again when it locks.",
        )
    return float(total)
