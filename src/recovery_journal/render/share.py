"""How a shared summary reads (Markdown, or HTML that prints cleanly), and the timeline saved as a picture.

The summary is plain text made from a Summary (overviews/summary.py) that was already redacted. Every colour a
picture (SVG or HTML) uses has at least 4.5:1 contrast with its background (WCAG AA for text); dim text gets a
plain grey that does too. Stages never rest on colour alone: each has its own shading (░ ▒ ▓, named in the
legend), and a picture carries a title and a description in words, read out in place of the drawing.
"""

from __future__ import annotations

import html

from rich.style import Style
from rich.terminal_theme import TerminalTheme
from rich.text import Span, Text

from ..domain.words import counted
from ..overviews.summary import FORMATS as FORMATS  # re-exported: the formats it makes
from ..overviews.summary import Summary
from ..overviews.timeline import Bucket, Timeline
from ..stages.kinds import STAGES
from .entries import tag_line, when
from .marks import day, days
from .overview import PICTURE_WIDTH, SHADE, recorded, timeline_lines, timeline_title

BACKGROUND = "#ffffff"
FOREGROUND = "#1f1f1f"
QUIET = "#595959"  # in place of dim text, which a picture would draw too faint to read
_PALETTE = [
    (31, 31, 31),  # black
    (176, 0, 32),  # red
    (26, 107, 43),  # green: recovery
    (122, 82, 0),  # yellow: milestones
    (29, 79, 163),  # blue
    (142, 42, 142),  # magenta: acceptance
    (0, 103, 122),  # cyan: recognition
    (77, 77, 77),  # white: on a white page, a dark grey
]
THEME = TerminalTheme((255, 255, 255), (31, 31, 31), _PALETTE, _PALETTE)

# Rich's own template without the window's coloured buttons or a font fetched from the web; TITLE and DESC
# are filled in after, escaped.
_SVG = (
    '<svg class="rich-terminal" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
    'role="img" aria-labelledby="picture-title picture-desc">\n'
    '<title id="picture-title">@@TITLE@@</title>\n<desc id="picture-desc">@@DESC@@</desc>\n'
    "<style>\n"
    ".{unique_id}-matrix {{ font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; "
    "font-size: {char_height}px; line-height: {line_height}px; font-variant-east-asian: full-width; }}\n"
    ".{unique_id}-title {{ font-size: 18px; font-weight: bold; font-family: sans-serif; }}\n"
    "{styles}\n</style>\n"
    '<defs>\n<clipPath id="{unique_id}-clip-terminal">\n'
    '<rect x="0" y="0" width="{terminal_width}" height="{terminal_height}" />\n</clipPath>\n'
    "{lines}\n</defs>\n"
    f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>\n'
    f'<text class="{{unique_id}}-title" x="9" y="28" fill="{FOREGROUND}">@@TITLE@@</text>\n'
    '<g transform="translate({terminal_x}, {terminal_y})" clip-path="url(#{unique_id}-clip-terminal)">\n'
    '{backgrounds}\n<g class="{unique_id}-matrix">\n{matrix}\n</g>\n</g>\n</svg>\n'
)


def _readable(style: str | Style) -> str | Style:
    parsed = Style.parse(style) if isinstance(style, str) else style
    return parsed + Style(dim=False, color=QUIET) if parsed.dim else style


def _for_picture(lines: list[Text]) -> list[Text]:
    """The same lines, with dim text given a grey that stays readable on the picture's page."""
    fitted = []
    for line in lines:
        copy = line.copy()
        copy.style = _readable(copy.style)
        copy.spans = [Span(s.start, s.end, _readable(s.style)) for s in copy.spans]
        fitted.append(copy)
    return fitted


def _percent(bucket: Bucket) -> str:
    total = sum(bucket.mix.values())
    return ", ".join(f"{stage.value} {bucket.mix[stage] / total:.0%}" for stage in STAGES)


def timeline_words(timeline: Timeline) -> list[str]:
    """The picture in words: what a screen reader says, and what the HTML shows beneath the drawing."""
    if timeline.empty:
        return ["Nothing to show in this time yet."]
    words = [
        f"{timeline_title(timeline)}. Each stage has its own shading as "
        "well as its colour: " + ", ".join(f"{SHADE[s]} {s.value}" for s in STAGES) + "."
    ]
    for bucket in timeline.buckets:
        parts = [f"{bucket.entries} entr{'y' if bucket.entries == 1 else 'ies'}"]
        if bucket.dominant is not None:
            parts.append(f"mostly {bucket.dominant.value} ({_percent(bucket)})")
        if bucket.mood is not None:
            parts.append(f"average mood {bucket.mood:.1f} of 10")
        if bucket.tender:
            parts.append(f"{bucket.tender} tender, folded away")
        parts += [f"milestone on {day(m.date)}: {m.text} ({m.kind})" for m in bucket.milestones]
        for move in bucket.moves:
            when = day(move.when.date())
            parts.append(
                f"moved into {move.target.value} on {when}"
                if move.forward
                else f"back into {move.target.value} for a while on {when}, part of healing"
            )
        words.append(f"{bucket.label}: " + "; ".join(parts) + ".")
    return words


def picture_svg(lines: list[Text], title: str, words: list[str]) -> str:
    """The picture as SVG, titled and described for screen readers, drawn on its own white page."""
    drawn = recorded(_for_picture(lines)).export_svg(theme=THEME, code_format=_SVG, unique_id="timeline")
    return drawn.replace("@@TITLE@@", html.escape(title)).replace("@@DESC@@", html.escape("\n".join(words)))


def picture_figure(lines: list[Text], title: str, words: list[str]) -> str:
    """The picture as an HTML figure: the drawing (hidden from screen readers), then the same in words."""
    drawn = recorded(_for_picture(lines)).export_html(theme=THEME, inline_styles=True, code_format="{code}")
    items = "\n".join(f"<li>{html.escape(w)}</li>" for w in words)
    return (
        '<figure class="picture" aria-labelledby="picture-title" aria-describedby="picture-desc">\n'
        f'<figcaption id="picture-title">{html.escape(title)}</figcaption>\n'
        f'<pre aria-hidden="true" style="color: {FOREGROUND}; background-color: {BACKGROUND}">{drawn}</pre>\n'
        f'<div id="picture-desc"><p>The picture in words:</p>\n<ul>\n{items}\n</ul></div>\n</figure>'
    )


def picture_page(lines: list[Text], title: str, words: list[str]) -> str:
    """The picture as a page of its own (timeline --html)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>body {{ color: {FOREGROUND}; background-color: {BACKGROUND}; font-family: sans-serif; }}\n"
        "pre { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; }</style>\n"
        f"</head>\n<body>\n{picture_figure(lines, title, words)}\n</body>\n</html>\n"
    )


OPENING = (
    "Chosen from a private journal, to share: only what was picked is here, and this copy isn't encrypted."
)


def _period(summary: Summary) -> str:
    """The days a summary covers: one day, or from one to another."""
    if summary.first == summary.last:
        return day(summary.first)
    return f"{day(summary.first)} to {day(summary.last)}"


def _stage_sentence(summary: Summary) -> str:
    counted = sum(summary.stage_counts.values())
    if not counted:
        return "No entries in this time had a healing stage."
    parts = [f"{stage.value} {n}" for stage, n in summary.stage_counts.items() if n]
    most = max(summary.stage_counts, key=lambda s: summary.stage_counts[s])
    sentence = f"Mostly {most.value} ({summary.stage_counts[most]} of {counted} entries: {', '.join(parts)})."
    unclear = summary.written - counted
    if unclear > 0:  # say why the counts add up to less than the entries written
        sentence += (
            f" The other {unclear} had no clear stage yet."
            if unclear > 1
            else " The other one had no clear stage yet."
        )
    # Read by a therapist or a group: say what the stages are, so a guess isn't taken for an assessment.
    return sentence + " The stages are the journal's reading of my words, or ones I set; not an assessment."


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
        parts.append(f"{entry.stage.stage.value} ({'set by me' if entry.stage.by_writer else 'guessed'})")
    return " · ".join(p for p in parts if p)


def markdown(summary: Summary) -> str:
    period = _period(summary)
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
.picture figcaption { font-weight: bold; }
.picture { margin: 1rem 0; }
.entry { border-top: 1px solid #ddd; margin-top: 1.5rem; }
.meta { color: #555; font-style: italic; }
blockquote { color: #555; border-left: 3px solid #ccc; margin-left: 0; padding-left: .8rem; }
.text { white-space: pre-wrap; }
@media print { body { margin: 0; max-width: none; } .entry { break-inside: avoid; } a { color: inherit; } }
"""


def _picture(summary: Summary) -> str:
    """The timeline as it looks on a terminal, colours inline, nothing fetched; and the same in words."""
    lines = timeline_lines(summary.timeline, PICTURE_WIDTH)
    return picture_figure(lines, "Timeline", timeline_words(summary.timeline))


def as_html(summary: Summary) -> str:
    e = html.escape
    period = _period(summary)
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
        _picture(summary),
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
        f"A summary of {_period(summary)} would hold:",
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
