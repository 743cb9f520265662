"""Plain exports: Markdown, JSON and text. Unencrypted on purpose, for people who want their words out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..care.plan import SafetyPlan
from ..domain.entry import Entry, Revision
from ..domain.words import counted
from ..journal.counters import Counter
from ..journal.milestones import Milestone
from ..portability.portable import FORMAT, counter_record, entry_record, milestone_record
from .entries import stamp, tag_line, when

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


def as_json(
    entries: list[tuple[Entry, list[Revision]]],
    milestones: list[Milestone],
    counters: list[Counter],
    exported: datetime,
    plan: SafetyPlan | None = None,
    tender_left_out: int = 0,
) -> str:
    """The documented export shape (docs/usage.md), read back by `import json`."""
    document: dict[str, Any] = {
        "format": "recovery-journal-export",
        "version": FORMAT,
        "exported": exported.isoformat(timespec="seconds"),
        "entries": [_strip_type(entry_record(e, r)) for e, r in entries],
        "milestones": [_strip_type(milestone_record(m)) for m in milestones],
        "counters": [_strip_type(counter_record(c)) for c in counters],
        "tender_left_out": tender_left_out,
    }
    if plan is not None:
        document["safety_plan"] = plan.to_json()
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def as_markdown(
    entries: list[Entry],
    milestones: list[Milestone],
    exported: datetime,
    plan: SafetyPlan | None = None,
    tender_left_out: int = 0,
) -> str:
    lines = [
        "# Journal",
        "",
        f"_Exported from recovery-journal on {when(exported)}. This file is not encrypted._",
        "",
    ]
    if tender_left_out:
        lines += [f"_{tender_note(tender_left_out)}_", ""]
    for entry in entries:
        heading = f"## {when(entry.date)}"
        if entry.title:
            heading += f": {entry.title}"
        lines += [heading, ""]
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
        lines += [entry.text, "", "---", ""]
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
    return "\n".join(lines)


def as_text(entries: list[Entry]) -> str:
    """jrnl's plain-text layout, so the export also reads back with `import jrnl` (or into jrnl itself)."""
    blocks = []
    for entry in entries:
        first, _, rest = entry.text.partition("\n")
        header = f"[{stamp(entry.date)}] {entry.title or first}"
        body = entry.text if entry.title else rest
        blocks.append(header + ("\n" + body if body.strip() else ""))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
