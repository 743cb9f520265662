"""Plain exports: Markdown, JSON and text. Unencrypted on purpose, for people who want their words out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, TextIO

from ..care.plan import SafetyPlan
from ..domain.entry import Entry, Revision
from ..domain.words import counted
from ..journal.counters import Counter
from ..journal.milestones import Milestone
from ..portability import jrnltext
from ..portability.dayone import MEDIA, Carried
from ..portability.portable import FORMAT, counter_record, entry_record, milestone_record
from .entries import tag_line, when

FORMATS = ("markdown", "json", "txt")


def _strip_type(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != "type"}


def tender_note(count: int) -> str:
    """What an export says about the tender entries it left out (never which ones, or their words)."""
    return (
        f"{counted(count, 'entry', 'entries')} you marked as tender "
        f"{'was' if count == 1 else 'were'} left out; --include-tender adds "
        f"{'it' if count == 1 else 'them'}."
    )


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def write_json(
    out: TextIO,
    entries: Iterable[tuple[Entry, list[Revision]]],
    milestones: list[Milestone],
    counters: list[Counter],
    exported: datetime,
    plan: SafetyPlan | None = None,
    tender_left_out: Callable[[], int] = lambda: 0,
) -> None:
    """The documented export shape (docs/usage.md), read back by `import json`, written as it is read.

    Compact JSON with one entry a line, keys sorted; `tender_left_out` is asked once the entries are out.
    """
    out.write(f'{{"counters":{_compact([_strip_type(counter_record(c)) for c in counters])},"entries":[')
    separator = "\n"
    for entry, revisions in entries:
        out.write(separator + _compact(_strip_type(entry_record(entry, revisions))))
        separator = ",\n"
    out.write(f'\n],"exported":{_compact(exported.isoformat(timespec="seconds"))}')
    marks = _compact([_strip_type(milestone_record(m)) for m in milestones])
    out.write(f',"format":"recovery-journal-export","milestones":{marks}')
    if plan is not None:
        out.write(f',"safety_plan":{_compact(plan.to_json())}')
    out.write(f',"tender_left_out":{tender_left_out()},"version":{FORMAT}}}\n')


def write_markdown(
    out: TextIO,
    entries: Iterable[Entry],
    milestones: list[Milestone],
    exported: datetime,
    plan: SafetyPlan | None = None,
    tender_left_out: Callable[[], int] = lambda: 0,
) -> None:
    """The entries as Markdown, written as they are read; a note on tender entries left out follows them."""
    out.write(
        f"# Journal\n\n_Exported from recovery-journal on {when(exported)}. This file is not encrypted._\n"
    )
    for entry in entries:
        lines = ["", f"## {when(entry.date)}" + (f": {entry.title}" if entry.title else ""), ""]
        details = [
            part
            for part in (
                tag_line(entry.tags),
                "" if entry.mood is None else f"mood {entry.mood}/10",
                "" if entry.stage is None or entry.stage.stage is None else entry.stage.stage.value,
            )
            if part
        ]
        if details:
            lines += ["_" + " · ".join(details) + "_", ""]
        if entry.prompt:
            lines += [f"> {entry.prompt}", ""]
        lines += [entry.text, "", "---"]
        out.write("\n".join(lines) + "\n")
    lines = [""]
    left_out = tender_left_out()
    if left_out:
        lines += [f"_{tender_note(left_out)}_", ""]
    if milestones:
        lines += ["## Milestones", ""]
        lines += [
            f"- {m.date}: {m.text} ({m.kind})" + (f"  \n  {m.note}" if m.note else "") for m in milestones
        ]
        lines.append("")
    if plan is not None:
        lines += ["## My safety plan", ""]
        for heading, text in plan.filled():
            lines += [f"### {heading}", "", text, ""]
    out.write("\n".join(lines))


def write_text(out: TextIO, entries: Iterable[Entry]) -> None:
    """jrnl's plain-text layout: `jrnl --import` reads it, `import jrnl` reads it back exactly (jrnltext)."""
    jrnltext.write(out, entries)


def _yaml(value: Any) -> str:
    """A YAML value: JSON's own form is YAML too (strings double-quoted, lists in brackets)."""
    return json.dumps(value, ensure_ascii=False)


def note(entry: Entry) -> str:
    """One entry as a Markdown note: YAML front matter Obsidian and static-site tools read, then the words.

    Tags go in the front matter's `tags` list, which Obsidian takes as the note's tags; a star and a tender
    mark are kept as `starred` and `tender`.
    """
    matter = {
        "date": entry.date.isoformat(timespec="seconds"),
        "title": entry.title,
        "tags": list(entry.tags),
        "mood": entry.mood,
        "stage": None if entry.stage is None or entry.stage.stage is None else entry.stage.stage.value,
        "starred": entry.starred,
        "tender": entry.tender,
        "uuid": entry.uuid,
    }
    lines = ["---", *(f"{key}: {'null' if v is None else _yaml(v)}" for key, v in matter.items()), "---", ""]
    if entry.title:
        lines += [f"# {entry.title}", ""]
    if entry.prompt:
        lines += [f"> {entry.prompt}", ""]
    return "\n".join(lines) + "\n" + entry.text.rstrip("\n") + "\n"


_UNSAFE_NAME = re.compile(r"[^\w\-]+")


def note_name(entry: Entry, taken: set[str]) -> str:
    """A file name for the entry's note: its date and time, then its title's words, never one already taken.

    Sorted by name, the notes are in date order.
    """
    words = _UNSAFE_NAME.sub("-", entry.title.lower()).strip("-_")[:48].rstrip("-_")
    stem = f"{entry.date:%Y-%m-%d-%H%M}" + (f"-{words}" if words else "")
    name, n = f"{stem}.md", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.md"
    taken.add(name)
    return name


def notes(
    entries: Iterable[Entry], milestones: list[Milestone], plan: SafetyPlan | None
) -> Iterator[tuple[str, str]]:
    """(file name, text) for a folder of notes: one per entry as it is read, then milestones and the plan."""
    taken = {"milestones.md", "safety-plan.md"}
    for entry in entries:
        yield note_name(entry, taken), note(entry)
    if milestones:
        lines = ["# Milestones", ""]
        lines += [
            f"- {m.date}: {m.text} ({m.kind})" + (f"  \n  {m.note}" if m.note else "") for m in milestones
        ]
        yield "milestones.md", "\n".join(lines) + "\n"
    if plan is not None:
        lines = ["# My safety plan", ""]
        for heading, text in plan.filled():
            lines += [f"## {heading}", "", text, ""]
        yield "safety-plan.md", "\n".join(lines)


_FIELD_WORDS = {
    "text": "words",
    "creationDate": "dates",
    "modifiedDate": "when entries were last changed",
    "tags": "tags",
    "starred": "stars",
    "isPinned": "pinned entries as starred",
    "isAllDay": "all-day entries at midday on their day",
    "title": "first-line headings as titles",
    "journal": "the journal's name as a tag",
    "location": "locations as a line at the end of the words",
    "weather": "the weather as a line at the end of the words",
}
LISTED = 10  # entries whose attachments are named one by one; --json names them all


def _media_words(counts: dict[str, int]) -> str:
    parts = [counted(n, MEDIA[key][0], MEDIA[key][1]) for key, n in counts.items() if key in MEDIA]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def carried_lines(carried: Carried, *, dry_run: bool) -> list[str]:
    """An import's field-by-field account, in plain words: carried, adapted, left out, and attachments."""
    kept, adapted, left = [], [], []
    for name, counts in carried.fields.items():
        words = _FIELD_WORDS.get(name, name)
        if counts["carried"] and name not in MEDIA:
            kept.append(words)
        if counts["adapted"]:
            adapted.append(words)
        if counts["left_out"] and name not in MEDIA:
            left.append(words)
    lines = []
    if kept:
        lines.append(f"{'Would carry' if dry_run else 'Carried'}: {', '.join(kept)}.")
    if adapted:
        kept_as = "Would keep" if dry_run else "Kept"
        lines.append(f"{kept_as}, in this journal's own way: {', '.join(adapted)}.")
    if left:
        lines.append(f"Left out (this journal has no place for them): {', '.join(left)}.")
    if carried.attachments:
        lines.append(
            "This journal doesn't hold photos, recordings or PDFs, so these stay in "
            f"{carried.archive} (the entries say where each one was):"
        )
        for moment, _uuid, media in carried.attachments[:LISTED]:
            lines.append(f"  the entry of {when(moment)}: {_media_words(media)}")
        more = len(carried.attachments) - LISTED
        if more > 0:
            lines.append(f"  and {counted(more, 'more entry', 'more entries')} (--json lists every one).")
    return lines
