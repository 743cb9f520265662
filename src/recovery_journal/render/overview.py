"""The overview views: timeline, progress, calendar and on-this-day.

Each view is built as lines of Rich Text; on a terminal they are printed with colour, when piped their plain
text is printed, and --svg / --html record the same picture. Stages are told apart by shade as well as colour
(░ recognition, ▒ acceptance, ▓ recovery), so the picture reads without colour too.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..domain.words import counted
from ..journal.counters import next_round, round_label
from ..overviews.calendar import Day
from ..overviews.progress import RECENT_DAYS, Progress
from ..overviews.timeline import Bucket, Timeline
from ..stages.kinds import STAGES, Stage
from .marks import KIND_MARK, day, days
from .output import user_text
from .stages import COLOURS, MEANING, not_named_yet, span

SHADE = {Stage.RECOGNITION: "░", Stage.ACCEPTANCE: "▒", Stage.RECOVERY: "▓"}
NARROW = 60


def legend(narrow: bool = False) -> Text:
    text = Text("" if narrow else "  ")
    for i, stage in enumerate(STAGES):
        text.append(SHADE[stage] * (1 if narrow else 2), style=COLOURS[stage])
        text.append(f" {stage.value}" + ("" if i == len(STAGES) - 1 else " " if narrow else "   "))
    return text


def _band(bucket: Bucket, width: int) -> Text:
    total = sum(bucket.mix.values())
    if not total:
        return Text("·" * width, style="dim")
    cells: list[Stage] = []
    for stage in STAGES:  # each stage gets cells in proportion; rounding errors go to the dominant one
        cells += [stage] * int(bucket.mix[stage] / total * width)
    cells += [bucket.dominant or STAGES[0]] * (width - len(cells))
    band = Text()
    for stage in STAGES:
        band.append(SHADE[stage] * cells.count(stage), style=COLOURS[stage])
    return band


def _arrow(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return " "
    if now - before >= 0.5:
        return "↗"
    if before - now >= 0.5:
        return "↘"
    return "→"


def timeline_lines(timeline: Timeline, width: int) -> list[Text]:
    """One row per period, with milestones and moves beneath; fits `width` columns (40 and up)."""
    if timeline.empty and not timeline.journal_empty:
        first, last = timeline.buckets[0], timeline.buckets[-1]
        return [Text(f"No entries or milestones between {day(first.start)} and {day(last.end)}.")]
    if timeline.empty:
        return [
            Text(
                "Nothing to show yet. As you write, this fills with your weeks and months: the stages your "
                "entries were in, how many, your mood, and the milestones you mark."
            )
        ]
    label_width = max(len(b.label) for b in timeline.buckets)
    # What sits right of the band: the stage (11), the count (" 12 entries"), the mood, the folded note.
    right = 2 + 11 + 12
    if any(b.mood is not None for b in timeline.buckets):
        right += 12
    if any(b.tender for b in timeline.buckets):
        right += 12
    narrow = width - label_width - 2 - right < 12  # no room for a useful band beside all that: counts only
    if narrow:
        right = 4
    band_width = max(8, min(40, width - label_width - 2 - right))
    short_moves = width < 80
    lines = [Text(timeline_title(timeline), style="bold")]
    previous_mood: float | None = None
    for bucket in timeline.buckets:
        row = Text(f"{bucket.label:<{label_width}}  ")
        row.append_text(_band(bucket, band_width))
        if narrow:
            row.append(f" {bucket.entries:>3}")
        else:
            stage = bucket.dominant
            row.append(f"  {stage.label if stage else '':<11}", style=COLOURS[stage] if stage else "")
            row.append(f" {bucket.entries:>3} entr{'y ' if bucket.entries == 1 else 'ies'}")
            if bucket.mood is not None:
                row.append(f"  mood {bucket.mood:.1f} {_arrow(bucket.mood, previous_mood)}")
            if bucket.tender:
                row.append(f"  ({bucket.tender} tender)", style="dim")
        lines.append(row)
        if bucket.mood is not None:
            previous_mood = bucket.mood
        indent = "  " if short_moves else " " * (label_width + 2)
        for milestone in bucket.milestones:
            mark = Text(f"{indent}{KIND_MARK[milestone.kind]} {day(milestone.date)}  ", style="yellow")
            mark.append_text(user_text(milestone.text))
            lines.append(mark)
        for move in bucket.moves:
            when = day(move.when.date())
            if move.forward:
                words = f"→ {'into' if short_moves else 'moved into'} {move.target.value}, {when}"
            elif short_moves:
                words = f"↺ back to {move.target.value}, {when}"
            else:
                words = f"↺ back into {move.target.value} for a while, {when}: part of healing"
            lines.append(Text(f"{indent}{words}", style=COLOURS[move.target]))
    lines.append(legend(narrow))
    return lines


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    return {
        "by": timeline.by,
        "periods": [
            {
                "start": b.start.isoformat(),
                "end": b.end.isoformat(),
                "label": b.label,
                "entries": b.entries,
                "tender": b.tender,
                "stage": None if b.dominant is None else b.dominant.value,
                "mix": {s.value: round(v, 3) for s, v in b.mix.items()},
                "mood": None if b.mood is None else round(b.mood, 2),
                "milestones": [
                    {"id": m.id, "date": m.date.isoformat(), "kind": m.kind, "text": m.text}
                    for m in b.milestones
                ],
                "moves": [
                    {
                        "when": m.when.isoformat(timespec="seconds"),
                        "from": m.source.value,
                        "to": m.target.value,
                        "forward": m.forward,
                    }
                    for m in b.moves
                ],
            }
            for b in timeline.buckets
        ],
    }


# --- progress -------------------------------------------------------------------------------------------


def timeline_title(timeline: Timeline) -> str:
    """What the timeline covers: from one period to another, or the one period there is."""
    first, last = timeline.buckets[0], timeline.buckets[-1]
    if first is last:
        return (
            f"Timeline for {first.label}"
            if timeline.by == "quarter"
            else f"Timeline for the {timeline.by} of {first.label}"
        )
    return f"Timeline by {timeline.by}, {first.label} to {last.label}"


def _rate(p: Progress) -> str:
    """How often you write, over a span long enough to mean it: one young journal's days aren't two rates."""
    if p.days_written < 7:
        return f"{counted(p.entries, 'entry')} in {days(p.days_written)} so far."
    if p.days_written <= RECENT_DAYS:
        return f"{_often(p.per_week_overall).capitalize()} so far."
    if _often(p.per_week_recent).endswith("week") and _often(p.per_week_overall).endswith("week"):
        return f"About {p.per_week_recent:.1f} entries a week lately, {p.per_week_overall:.1f} on average."
    return f"{_often(p.per_week_recent).capitalize()} lately, {_often(p.per_week_overall)} on average."


def _often(per_week: float) -> str:
    """How often, in a unit that reads: a week, or a month when it's under one a week (not "0.0 a week")."""
    if per_week >= 0.95:
        return f"about {per_week:.1f} entries a week"
    per_month = per_week * 365.25 / 7 / 12
    if per_month >= 0.95:
        return f"about {per_month:.1f} entries a month"
    return "fewer than one entry a month"


def progress_lines(p: Progress, support: str | None = None) -> list[Text]:
    """The summary as lines: a heading, then one labelled line per topic (the same words as the view).

    `support`, when the newest entries' words call for it (journal/caring.py), comes first, as in `stage` and
    `timeline`; then no stage is named (not where the writer is now, nor their weeks in each) and no mood."""
    heading, rows = _progress_rows(p, support is not None)
    if not rows:
        return [heading]
    lines = [heading, Text("")]
    if support is not None:
        lines = [Text(support, style="bold"), Text(""), *lines]
    for label, body in rows:
        line = Text(f"{label:<12}", style="bold")
        line.append_text(body)
        lines.append(line)
    return lines


def progress_view(p: Progress, support: str | None = None) -> RenderableType:
    """The summary on a terminal: labels in a column, each topic wrapping beside its label."""
    heading, rows = _progress_rows(p, support is not None)
    if not rows:
        return heading
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True, min_width=11)
    grid.add_column(overflow="fold")
    for label, body in rows:
        grid.add_row(label, body)
    if support is not None:
        return Group(Text(support, style="bold"), Text(""), heading, Text(""), grid)
    return Group(heading, Text(""), grid)


def _progress_rows(p: Progress, supporting: bool = False) -> tuple[Text, list[tuple[str, Text]]]:
    if not p.entries:
        return Text("Your progress shows here once you've written a little. There's no hurry."), []
    assert p.first is not None  # noqa: S101 - there are entries
    heading = Text(
        f"Your progress since {day(p.first)}: {p.entries} entr{'y' if p.entries == 1 else 'ies'} "
        f"over {span((p.today - p.first).days + 1)}.",
        style="bold",
    )
    rows: list[tuple[str, Text]] = []

    def row(label: str, body: Text | str) -> None:
        rows.append((label, body if isinstance(body, Text) else Text(body)))

    current = p.journey.current
    # beside the way to support, no stage named: not "Now: recovery", nor "Acceptance 2 days"
    if not supporting:
        stages = Text()
        for stage in STAGES:
            if p.days_in_stage[stage]:
                if len(stages):
                    stages.append(" · ")
                stages.append(stage.label, style=COLOURS[stage])
                stages.append(f" {span(p.days_in_stage[stage])}")
                if current is not None and p.journey.tells and current.stage is stage:
                    stages.append(" (now)")  # as "Now" says below
        row("Stages", stages)
        if current is not None and p.journey.tells:
            row("Now", f"{current.stage.value}: {MEANING[current.stage]}.")
        elif current is not None:
            row("Now", not_named_yet(p.journey))
        if p.journey.moves:
            # never "0 steps forward": someone whose only move was back hears of that move alone
            said = [f"{p.forward} step{'s' if p.forward != 1 else ''} forward"] if p.forward else []
            if p.back:
                back = "back" if p.forward else f"step{'s' if p.back != 1 else ''} back"
                said.append(f"{p.back} {back}; going back for a while is part of healing")
            movement = ", ".join(said)
            row("Movement", movement + ".")
    rhythm = f"{p.current_streak}-day streak" if p.current_streak else "No streak right now, and that's fine"
    rhythm += f" (longest {days(p.longest_streak)}). " + _rate(p)
    row("Writing", rhythm)
    if p.mood_recent is not None and not supporting:  # nor a mood of 1.0 out of 10 read back then
        mood = f"{p.mood_recent:.1f} out of 10 over the last month"
        if p.mood_before is not None:
            if p.mood_recent - p.mood_before >= 0.5:
                mood += f", up from {p.mood_before:.1f} the month before"
            elif p.mood_before - p.mood_recent >= 0.5:
                mood += f", from {p.mood_before:.1f} the month before. Harder stretches come and go"
            else:
                mood += ", much as the month before"
        row("Mood", mood + ".")
    for counter in p.counters:
        now, ahead = counter.days(p.today), next_round(counter.days(p.today))
        row(
            "Counter", user_text(f"{counter.name}: {days(now)}; {round_label(ahead)} in {days(ahead - now)}.")
        )
    if p.milestones_this_year:
        names = ", ".join(f"{m.text} ({day(m.date)})" for m in p.milestones_this_year[-3:])
        row(
            "Milestones",
            user_text(
                f"{len(p.milestones_this_month)} this month, {len(p.milestones_this_year)} this year: {names}"
            ),
        )
    for signal in p.signals:
        row("Noticed", signal.text)
    return heading, rows


def progress_json(p: Progress) -> dict[str, Any]:
    return {
        "entries": p.entries,
        "first": None if p.first is None else p.first.isoformat(),
        "current_stage": None if p.journey.current is None else p.journey.current.stage.value,
        "days_in_stage": {s.value: n for s, n in p.days_in_stage.items()},
        "moves": {"forward": p.forward, "back": p.back},
        "streak": {"current": p.current_streak, "longest": p.longest_streak},
        "entries_per_week": {"recent": round(p.per_week_recent, 2), "overall": round(p.per_week_overall, 2)},
        "mood": {
            "recent": None if p.mood_recent is None else round(p.mood_recent, 2),
            "before": None if p.mood_before is None else round(p.mood_before, 2),
        },
        "counters": [{"name": c.name, "days": c.days(p.today)} for c in p.counters],
        "milestones": {"this_month": len(p.milestones_this_month), "this_year": len(p.milestones_this_year)},
        "signals": [{"key": s.key, "text": s.text} for s in p.signals],
    }


# --- calendar -------------------------------------------------------------------------------------------


def calendar_lines(days_of_year: list[Day], today: date, width: int) -> list[Text]:
    """A year of writing days: a column per week, a row per weekday; split in two halves when narrow."""
    year = days_of_year[0].day.year
    lines = [Text(f"Writing days in {year}", style="bold")]
    written = sum(1 for d in days_of_year if d.entries)
    halves = (
        [days_of_year]
        if width >= 62
        else [[d for d in days_of_year if d.day.month <= 6], [d for d in days_of_year if d.day.month > 6]]
    )
    for half in halves:
        start = half[0].day - timedelta(days=half[0].day.weekday())
        weeks = (half[-1].day - start).days // 7 + 1
        grid: dict[tuple[int, int], Day] = {((d.day - start).days // 7, d.day.weekday()): d for d in half}
        header = [" "] * weeks
        for d in half:
            if (d.day.day <= 7 and d.day.weekday() == 0) or d.day == half[0].day:
                col = (d.day - start).days // 7
                label = f"{d.day:%b}"
                if all(header[c] == " " for c in range(col, min(weeks, col + 4))):
                    for i, ch in enumerate(label):
                        if col + i < weeks:
                            header[col + i] = ch
        lines.append(Text("     " + "".join(header), style="dim"))
        for weekday, name in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun")):
            row = Text(f"{name:<4} ", style="dim")
            for week in range(weeks):
                cell = grid.get((week, weekday))
                if cell is None or cell.day > today:
                    row.append(" ")
                elif cell.stage is not None:
                    row.append(SHADE[cell.stage], style=COLOURS[cell.stage])
                elif cell.entries:
                    row.append("■", style="white")
                else:
                    row.append("·", style="dim")
            lines.append(row)
        lines.append(Text(""))
    lines.append(
        Text(
            f"{written} day{'s' if written != 1 else ''} with writing.  "
            f"{SHADE[Stage.RECOGNITION]} recognition  {SHADE[Stage.ACCEPTANCE]} acceptance  "
            f"{SHADE[Stage.RECOVERY]} recovery  "
            + ("■ stage not clear  " if any(d.entries and d.stage is None for d in days_of_year) else "")
            + "· no entry"
        )
    )
    return lines


def calendar_json(days_of_year: list[Day]) -> dict[str, Any]:
    return {
        "year": days_of_year[0].day.year,
        "days": [
            {"date": d.day.isoformat(), "entries": d.entries, "stage": d.stage.value if d.stage else None}
            for d in days_of_year
            if d.entries
        ],
    }


PICTURE_WIDTH = 100


def recorded(lines: list[Text], width: int = PICTURE_WIDTH) -> Console:
    """A console that has drawn `lines` off-screen, ready to export as SVG or HTML."""
    recorder = Console(
        record=True,
        width=width,
        force_terminal=True,
        color_system="truecolor",
        file=io.StringIO(),
        markup=False,
        highlight=False,
    )
    recorder.print(Group(*lines))
    return recorder
