"""How doctor's report and kept drafts look."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.entry import Draft
from ..journal.draftbook import DraftList
from ..maintenance.doctor import Check, Report
from .entries import iso, stamp, when
from .output import user_text

if TYPE_CHECKING:  # Rich itself loads when something is drawn: after the key derivation, not before it
    from rich.console import RenderableType
    from rich.table import Table

_MARK = {"ok": ("✓", "green"), "note": ("•", "yellow"), "problem": ("!", "bold yellow")}


ALL_WELL = "All is well: everything checks out."
WELL_WITH_NOTES = "Nothing is wrong; the notes above are there for when you have a moment."


def closing(report: Report) -> str | None:
    """The last line when nothing is wrong, so a calm report ends calmly; None when something needs care."""
    if any(check.status == "problem" for check in report.checks):
        return None
    return WELL_WITH_NOTES if any(check.status == "note" for check in report.checks) else ALL_WELL


def report_view(report: Report) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(overflow="fold")
    for check in report.checks:
        mark, style = _MARK[check.status]
        table.add_row(Text(mark, style=style), check.name, user_text(check.detail))
    last = closing(report)
    return table if last is None else Group(table, Text(""), Text(last, style="green"))


def report_lines(report: Report) -> list[str]:
    last = closing(report)
    return [f"{_MARK[c.status][0]} {c.name}: {c.detail}" for c in report.checks] + (
        [] if last is None else ["", last]
    )


def check_json(check: Check) -> dict[str, Any]:
    return {"name": check.name, "status": check.status, "detail": check.detail}


def _first_words(draft: Draft, width: int = 50) -> str:
    words = " ".join(draft.text.split())
    return words if len(words) <= width else words[: width - 1] + "…"


UNREADABLE = "(can't be opened: damaged, or kept by another journal)"


def drafts_table(listed: DraftList) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", style="bold")
    table.add_column("Kept", style="cyan", no_wrap=True)
    table.add_column("Begins", overflow="fold")
    table.add_column("Why", style="dim", overflow="fold")
    rows = [(d.number, d) for d in listed.drafts] + [(n, None) for n, _ in listed.unreadable]
    for number, draft in sorted(rows, key=lambda r: r[0]):
        if draft is None:
            table.add_row(str(number), "", Text(UNREADABLE, style="yellow"), "")
        else:
            table.add_row(
                str(number), when(draft.saved), user_text(_first_words(draft)), user_text(draft.reason)
            )
    return table


def drafts_lines(listed: DraftList) -> list[str]:
    rows = [(d.number, f"{stamp(d.saved)}  {_first_words(d)}") for d in listed.drafts]
    rows += [(n, UNREADABLE) for n, _ in listed.unreadable]
    return [f"{n:>3}  {line}" for n, line in sorted(rows)]


def draft_plain(number: int, draft: Draft) -> list[str]:
    head = f"Draft {number}  ·  kept {stamp(draft.saved)}  ·  {draft.reason}"
    note = (
        [
            "Not UTF-8: shown with \ufffd where a character couldn't be read; the words are kept exactly. "
            f"`recovery-journal drafts save {number} --encoding cp1252` reads them in your editor's encoding."
        ]
        if draft.raw is not None
        else []
    )
    return [head, *note, *([draft.title] if draft.title else []), "", draft.text]


def draft_json(number: int, draft: Draft) -> dict[str, Any]:
    return {
        "number": number,
        "uuid": draft.uuid,
        "saved": iso(draft.saved),
        "reason": draft.reason,
        "title": draft.title or None,
        "text": draft.text,
        "tags": list(draft.tags),
        "mood": draft.mood,
        "date": draft.date,
        "tender": draft.tender,
        "starred": draft.starred,
        "prompt": draft.prompt or None,
        "edits_entry": draft.entry_uuid,
        "not_utf8": draft.raw is not None,
    }
