"""The safety plan's shape (after the Stanley-Brown Safety Planning Intervention) and its editor page.

The plan is the person's own words under seven headings. This module only turns a page into sections and
back; the journal seals and keeps it (journal/caring.py).
"""

from __future__ import annotations

from dataclasses import dataclass

# (key, heading, a gentle hint shown in the editor and never saved)
SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "warning_signs",
        "Signs that a hard time may be starting",
        "Thoughts, feelings, situations you notice first.",
    ),
    (
        "coping",
        "Things I can do on my own to feel a little better",
        "Small things count: a walk, music, a shower.",
    ),
    ("calming", "People and places that help me feel calmer", "Somewhere to go, or someone to be around."),
    ("people", "People I can ask for help", "Names and numbers of people you trust."),
    ("professionals", "Professionals and services I can contact", "A therapist, a doctor, a helpline."),
    ("safe_space", "Making my space safer", "What would make things around you safer right now."),
    ("reasons", "My reasons to keep going", "People, hopes, things that matter to you."),
)
KEYS = tuple(key for key, _, _ in SECTIONS)
MAX_CHARS = 20_000
_HINT = "> "


@dataclass(frozen=True)
class SafetyPlan:
    """Each section's text, by key; a missing key is an empty section."""

    sections: dict[str, str]

    @property
    def empty(self) -> bool:
        return not any(text.strip() for text in self.sections.values())

    def filled(self) -> list[tuple[str, str]]:
        """(heading, text) for each section with something in it, in the plan's order."""
        return [
            (heading, self.sections[key])
            for key, heading, _ in SECTIONS
            if self.sections.get(key, "").strip()
        ]

    def to_json(self) -> dict[str, str]:
        return {key: self.sections.get(key, "") for key in KEYS}

    @classmethod
    def from_json(cls, raw: object) -> SafetyPlan:
        if not isinstance(raw, dict):
            raise ValueError("a safety plan is an object")
        return cls({key: str(raw.get(key) or "") for key in KEYS})


def page(plan: SafetyPlan | None) -> str:
    """The editor page: each heading, its hint (lines starting '> ' are never kept), and what is there now."""
    parts = [
        "> Your safety plan: for a hard moment, in your own words. Fill in what feels right; skip the rest.",
        "> Lines starting with '> ' are hints and aren't kept.",
        "",
    ]
    for key, heading, hint in SECTIONS:
        current = "" if plan is None else plan.sections.get(key, "").strip()
        parts += [f"## {heading}", f"{_HINT}{hint}", current, ""]
    return "\n".join(parts)


def read_page(text: str) -> SafetyPlan:
    """The plan from an edited page: text under each known heading, hints dropped (text above all headings
    goes to the first section, so nothing typed is lost)."""
    by_heading = {heading.lower(): key for key, heading, _ in SECTIONS}
    found: dict[str, list[str]] = {key: [] for key in KEYS}
    current = KEYS[0]
    for line in text.splitlines():
        if line.startswith(_HINT.rstrip()):
            continue
        if line.startswith("## ") and line[3:].strip().lower() in by_heading:
            current = by_heading[line[3:].strip().lower()]
            continue
        found[current].append(line.rstrip())
    return SafetyPlan({key: "\n".join(lines).strip() for key, lines in found.items()})
