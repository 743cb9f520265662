"""How milestones and counters look. Counters are told without shame: every run counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..journal.counters import Counter, Run, next_round, round_label
from ..journal.milestones import Milestone
from .output import neutralise, user_text

if TYPE_CHECKING:  # Rich itself loads when a table is drawn: after the key derivation, not before it
    from rich.console import RenderableType
    from rich.table import Table

KIND_MARK = {
    "boundary": "◆",
    "no-contact": "◇",
    "therapy": "○",
    "first": "★",
    "celebration": "✦",
    "other": "•",
}


def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def described(m: Milestone) -> str:
    """A milestone as a question about it (delete) names it: number, its first words, and its day."""
    text = " ".join(m.text.split())
    text = text if len(text) <= 40 else text[:39].rstrip() + "…"
    return f"milestone {m.id}, “{neutralise(text)}”, from {day(m.date)}"


def days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


# --- milestones -----------------------------------------------------------------------------------------


def milestones_table(milestones: list[Milestone]) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", style="bold", no_wrap=True)
    table.add_column("When", style="cyan", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Milestone", overflow="fold")
    for m in milestones:
        text = user_text(m.text, style="bold")
        if m.note:
            text.append("\n")
            text.append_text(user_text(m.note, style="dim"))
        table.add_row(str(m.id), day(m.date), f"{KIND_MARK[m.kind]} {m.kind}", text)
    return table


def milestones_lines(milestones: list[Milestone]) -> list[str]:
    lines = []
    for m in milestones:
        lines.append(f"{m.id:>4}  {m.date}  {m.kind:<11}  {m.text}")
        if m.note:
            lines.append(f"      {' '.join(m.note.split())}")
    return lines


def milestone_json(m: Milestone) -> dict[str, Any]:
    return {
        "id": m.id,
        "uuid": m.uuid,
        "date": m.date.isoformat(),
        "kind": m.kind,
        "text": m.text,
        "note": m.note or None,
        "created": m.created.isoformat(timespec="seconds"),
    }


# --- counters -------------------------------------------------------------------------------------------


TABLE_WIDTH = 72  # below this the counters table would squeeze names and days out of sight


def counter_line(counter: Counter, today: date) -> str:
    """One calm sentence: how long this run has been, what's next, what came before."""
    now = counter.days(today)
    ahead = next_round(now)
    if now == 0:  # "0 days ... One week in 7 days" says nothing: name the day it starts and the day ahead
        start = counter.current.start
        reached = start + timedelta(days=ahead)
        line = (
            f"{counter.name}: starting {'today, ' if start <= today else ''}{day(start)}. "
            f"{round_label(ahead).capitalize()} on {day(reached)}."
        )
    else:
        line = (
            f"{counter.name}: {days(now)}, since {day(counter.current.start)}. "
            f"{round_label(ahead).capitalize()} in {days(ahead - now)}."
        )
    if len(counter.runs) > 1:
        line += f" Longest run {days(counter.longest(today))}; {days(counter.total(today))} in all."
    return line


def counters_view(counters: list[Counter], today: date, width: int) -> RenderableType:
    """A table where there is room for its six columns; otherwise one sentence per counter."""
    from rich.console import Group

    if width >= TABLE_WIDTH:
        return counters_table(counters, today)
    return Group(*(user_text(counter_line(c, today)) for c in counters))


def counters_table(counters: list[Counter], today: date) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Counter", style="bold", overflow="fold")
    table.add_column("Days", justify="right", style="green", no_wrap=True)
    table.add_column("Since", style="cyan", no_wrap=True)
    table.add_column("Next", no_wrap=True)
    table.add_column("Longest", justify="right", no_wrap=True)
    table.add_column("All runs", justify="right", no_wrap=True)
    for c in counters:
        now = c.days(today)
        ahead = next_round(now)
        table.add_row(
            user_text(c.name),
            str(now),
            day(c.current.start),
            f"{round_label(ahead)} (in {days(ahead - now)})",
            str(c.longest(today)),
            f"{c.total(today)} ({len(c.runs)})",
        )
    return table


def counters_lines(counters: list[Counter], today: date) -> list[str]:
    return [counter_line(c, today) for c in counters]


def counter_json(c: Counter, today: date) -> dict[str, Any]:
    now = c.days(today)
    return {
        "id": c.id,
        "name": c.name,
        "days": now,
        "since": c.current.start.isoformat(),
        "next_round": next_round(now),
        "longest": c.longest(today),
        "total": c.total(today),
        "runs": [
            {
                "start": r.start.isoformat(),
                "end": None if r.end is None else r.end.isoformat(),
                "days": r.days(today),
            }
            for r in c.runs
        ],
    }


# A warm word for a milestone marked, chosen by its number so the same one reads the same each time.
CELEBRATIONS = (
    "That's worth celebrating.",
    "You got here. That matters.",
    "A step worth remembering.",
    "Take a moment with that, if you like.",
    "Well worth marking.",
)


def celebration(number: int, kind: str = "celebration") -> str:
    """A warm word; for a milestone of kind "other" (a court date, a funeral) a quiet one."""
    if kind == "other":
        return "Kept, to remember."
    return CELEBRATIONS[number % len(CELEBRATIONS)]


def reset_message(counter: Counter, ended: Run, today: date) -> str:
    """Said when a run ends: the days before still count, and so does starting again."""
    before = ended.days(today)
    if not before:
        since = day(counter.current.start)
        return f"'{counter.name}' begins again from {since}. Starting again takes courage."
    return (
        f"A new run of '{counter.name}' starts {day(counter.current.start)}. "
        f"The {days(before)} before it still count: they stay in your history, "
        f"and your longest run is {days(counter.longest(today))}. Starting again takes courage."
    )
