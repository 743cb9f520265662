"""Writing prompts for each stage, a milestone and a hard day (prompts.json, written for this project)."""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path

GROUPS = ("recognition", "acceptance", "recovery", "milestone", "hard_day")


@cache
def all_prompts() -> dict[str, tuple[str, ...]]:
    raw = json.loads(Path(__file__).with_name("prompts.json").read_text(encoding="utf-8"))
    return {group: tuple(raw[group]) for group in GROUPS}


def pick(group: str, rng: random.Random | None = None) -> str:
    """One prompt from a group, chosen at random (or by `rng`, for a repeatable choice)."""
    return (rng or random.Random()).choice(all_prompts()[group])  # noqa: S311 - a prompt, not a secret


def find_group(name: str) -> str | None:
    """A group from what someone typed: 'acceptance', 'Recovery', 'hard-day', 'hard day'."""
    cleaned = name.strip().lower().replace("-", "_").replace(" ", "_")
    return cleaned if cleaned in GROUPS else None
