"""Plain exports: Markdown, JSON and text. Unencrypted on purpose, for people who want their words out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TextIO

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
    """jrnl's plain-text layout, so the export also reads back with `import jrnl` (or into jrnl itself)."""
    separator = ""
    for entry in entries:
        first, _, rest = entry.text.partition("\n")
        header = f"[{stamp(entry.date)}] {entry.title or first}"
        body = entry.text if entry.title else rest
        out.write(separator + header + ("\n" + body if body.strip() else ""))
        separator = "\n\n"
    if separator:
        out.write("\n")
