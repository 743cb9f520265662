"""How a shared summary reads: Markdown, or HTML with the timeline picture that prints cleanly.

Everything here is plain text made from a Summary (overviews/summary.py) that was already redacted.
"""

from __future__ import annotations

import html

from ..domain.words import counted
from ..overviews.summary import Summary
from .entries import tag_line, when
from .marks import day, days
from .overview import PICTURE_WIDTH, recorded, timeline_lines

FORMATS = ("markdown", "html")
OPENING = (
    "Chosen from a private journal, to share: only what was picked is here, and this copy isn't encrypted."
)


def _stage_sentence(summary: Summary) -> str:
    counted = sum(summary.stage_counts.values())
    if not counted:
        return "No entries in this time had a healing stage."
    parts = [f"{stage.value} {n}" for stage, n in summary.stage_counts.items() if n]
    most = max(summary.stage_counts, key=lambda s: summary.stage_counts[s])
    return f"Mostly {most.value} ({summary.stage_counts[most]} of {counted} entries: {', '.join(parts)})."


def _move_line(summary: Summary, index: int) -> str:
    move = summary.moves[index]
    if move.forward:
        return f"{day(move.when.date())}: moved from {move.source.value} to {move.target.value}."
    return (
        f"{day(move.when.date())}: back to {move.target.value} for a while, "
        "which is part of healing, not a step off it."
    )


def _entry_meta(summary: Summary, index: int) -> str:
    entry = summary.entries[index]
    parts = [tag_line(entry.tags)]
    if entry.mood is not None:
        parts.append(f"mood {entry.mood}/10")
    if entry.stage is not None and entry.stage.stage is not None:
        parts.append(entry.stage.stage.value)
    return " · ".join(p for p in parts if p)


def markdown(summary: Summary) -> str:
    period = f"{day(summary.first)} to {day(summary.last)}"
    lines = [f"_{OPENING}_", "", f"# My healing journey, {period}", ""]
    lines += [f"{summary.written} entr{'y' if summary.written == 1 else 'ies'} written in this time.", ""]
    lines += ["## How the stages moved", "", _stage_sentence(summary), ""]
    lines += [f"- {_move_line(summary, i)}" for i in range(len(summary.moves))] or ["- No change of stage."]
    lines.append("")
    moods = [b for b in summary.timeline.buckets if b.mood is not None]
    if moods:
        lines += ["## Mood over time", "", "| period | entries | average mood (1-10) |", "|---|---|---|"]
        lines += [f"| {b.label} | {b.entries} | {b.mood:.1f} |" for b in moods]
        lines.append("")
    if summary.milestones:
        lines += ["## Milestones", ""]
        lines += [
            f"- {day(m.date)}: {m.text} ({m.kind})" + (f". {m.note}" if m.note else "")
            for m in summary.milestones
        ]
        lines.append("")
    if summary.counters:
        lines += ["## Counters", ""]
        lines += [
            f"- {c.name}: {days(c.days)} so far (longest run {days(c.longest)})" for c in summary.counters
        ]
        lines.append("")
    if summary.entries:
        lines += ["## Entries I chose to share", ""]
        for i, entry in enumerate(summary.entries):
            lines += [f"### {when(entry.date)}" + (f": {entry.title}" if entry.title else ""), ""]
            meta = _entry_meta(summary, i)
            if meta:
                lines += [f"_{meta}_", ""]
            if entry.prompt:
                lines += [f"> {entry.prompt}", ""]
            lines += [entry.text, ""]
    return "\n".join(lines).rstrip() + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
.opening { font-style: italic; color: #555; border-bottom: 1px solid #ccc; padding-bottom: .5rem; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: .2rem .6rem; text-align: left; }
.picture pre { font-size: 11px; line-height: 1.2; overflow-x: auto; }
.entry { border-top: 1px solid #ddd; margin-top: 1.5rem; }
.meta { color: #555; font-style: italic; }
blockquote { color: #555; border-left: 3px solid #ccc; margin-left: 0; padding-left: .8rem; }
.text { white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } .entry { break-inside: avoid; } a { color: inherit; } }
"""


def _picture(summary: Summary) -> str:
    """The timeline as it looks on a terminal, colours inline, no fonts or scripts fetched from anywhere."""
    recorder = recorded(timeline_lines(summary.timeline, PICTURE_WIDTH))
    return str(recorder.export_html(inline_styles=True, code_format="<pre>{code}</pre>"))


def as_html(summary: Summary) -> str:
    e = html.escape
    period = f"{day(summary.first)} to {day(summary.last)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>My healing journey, {e(period)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<p class="opening">{e(OPENING)}</p>',
        f"<h1>My healing journey, {e(period)}</h1>",
        f"<p>{summary.written} entr{'y' if summary.written == 1 else 'ies'} written in this time.</p>",
        "<h2>How the stages moved</h2>",
        f"<p>{e(_stage_sentence(summary))}</p>",
        "<ul>",
        *[f"<li>{e(_move_line(summary, i))}</li>" for i in range(len(summary.moves))],
        *(["<li>No change of stage.</li>"] if not summary.moves else []),
        "</ul>",
        f'<div class="picture">{_picture(summary)}</div>',
    ]
    moods = [b for b in summary.timeline.buckets if b.mood is not None]
    if moods:
        parts += [
            "<h2>Mood over time</h2>",
            "<table><tr><th>period</th><th>entries</th><th>average mood</th></tr>",
        ]
        parts += [f"<tr><td>{e(b.label)}</td><td>{b.entries}</td><td>{b.mood:.1f}</td></tr>" for b in moods]
        parts.append("</table>")
    if summary.milestones:
        parts += ["<h2>Milestones</h2>", "<ul>"]
        parts += [
            f"<li>{e(day(m.date))}: {e(m.text)} ({e(m.kind)})"
            + (f". {e(m.note)}" if m.note else "")
            + "</li>"
            for m in summary.milestones
        ]
        parts.append("</ul>")
    if summary.counters:
        parts += ["<h2>Counters</h2>", "<ul>"]
        parts += [
            f"<li>{e(c.name)}: {days(c.days)} so far (longest run {days(c.longest)})</li>"
            for c in summary.counters
        ]
        parts.append("</ul>")
    if summary.entries:
        parts.append("<h2>Entries I chose to share</h2>")
        for i, entry in enumerate(summary.entries):
            title = e(when(entry.date)) + (f": {e(entry.title)}" if entry.title else "")
            parts += ['<div class="entry">', f"<h3>{title}</h3>"]
            meta = _entry_meta(summary, i)
            if meta:
                parts.append(f'<p class="meta">{e(meta)}</p>')
            if entry.prompt:
                parts.append(f"<blockquote>{e(entry.prompt)}</blockquote>")
            parts += [f'<div class="text">{e(entry.text)}</div>', "</div>"]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def contents_lines(summary: Summary) -> list[str]:
    """What `share --dry-run` lists: what the file would hold, without writing it."""
    lines = [
        f"A summary of {day(summary.first)} to {day(summary.last)} would hold:",
        f"  how the stages moved and mood over time, from {counted(summary.written, 'entry')} "
        "(counted; their words stay out)",
    ]
    lines += [f"  milestone: {day(m.date)} {m.text}" for m in summary.milestones]
    lines += [f"  counter: {c.name}" for c in summary.counters] or [
        "  no counters (add them with --counters)"
    ]
    if summary.entries:
        lines.append(
            f"  the words of {len(summary.entries)} entr{'y' if len(summary.entries) == 1 else 'ies'} "
            "you picked:"
        )
        lines += [
            f"    {entry.id}  {when(entry.date)}"
            + (f"  {entry.title}" if entry.title else "")
            + ("  (tender)" if entry.tender else "")
            for entry in summary.entries
        ]
    else:
        lines.append("  no entry's words (pick some with --entries, --tag or --starred)")
    for name, hits in summary.redactions.items():
        lines.append(f"  {name!r} replaced {hits} time{'s' if hits != 1 else ''}")
    return lines
