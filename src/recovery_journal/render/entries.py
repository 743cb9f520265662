"""How entries, search hits, earlier versions and tags look: a Rich view and a plain one for each.

Rich is imported by the views that draw with it, so the plain lines (a pipe, a file) never load it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

from ..domain.entry import Entry, Revision
from ..domain.words import when as when  # re-exported: every view shows dates this way
from ..journal.service import Found, SearchHit, SearchResult
from .output import neutralise, user_text

SUMMARY_CHARS = 60


def stamp(moment: datetime) -> str:
    """A sortable date for plain output: 2026-11-25 21:04."""
    return f"{moment:%Y-%m-%d %H:%M}"


def summary(entry: Entry | Revision | Found, width: int = SUMMARY_CHARS) -> str:
    """The title, or the first words of the text when there is none."""
    source = entry.title or " ".join(entry.text.split())
    return source if len(source) <= width else source[: width - 1].rstrip() + "…"


def folded(entry_id: int) -> str:
    """What stands in for a tender entry's words wherever they would show unasked: where to open it."""
    return f"(a tender entry: `recovery-journal show {entry_id}` opens it)"


TENDER_MARK = "(tender)"


def label(entry: Entry, width: int = SUMMARY_CHARS) -> str:
    """How a list names an entry: its title, else its first words; a tender one by its title alone, marked.

    A title is the name the person gave the entry to find it again, so it stays; the words they marked as
    painful do not surface in a list (`show` opens them).
    """
    if not entry.tender:
        return summary(entry, width)
    return f"{TENDER_MARK} {summary(entry, width)}" if entry.title else folded(entry.id)


def described(entry: Entry) -> str:
    """An entry as a question about it (delete) names it: number, title or first words, and date.

    A tender entry is named by its title alone, as `list` names it; without one, its words stay folded.
    """
    if entry.title or not entry.tender:
        name = f"“{neutralise(summary(entry, 40))}”" + (" (tender)" if entry.tender else "")
    else:
        name = "a tender entry"
    return f"entry {entry.id}, {name}, from {when(entry.date)}"


def tag_line(tags: tuple[str, ...]) -> str:
    return " ".join(f"#{t}" for t in tags)


class _Packed:
    """Parts laid along a line and wrapped whole: a part that doesn't fit starts the next line, `indent` in.

    Rich would wrap at any space, splitting `★ starred` or pushing a tag to the margin; here each part (a
    date, a tag, a word of a title) stays in one piece, and later lines hang under the first.
    """

    def __init__(self, parts: list[tuple[str, Text]], indent: int) -> None:
        self.parts = parts  # (what goes before it when it follows on the same line, the part)
        self.indent = indent

    def __rich_console__(self, console: Any, options: Any) -> Any:
        from rich.text import Text

        width = options.max_width
        lines: list[Text] = []
        line = Text()
        for before, part in self.parts:
            if line.cell_len and line.cell_len + len(before) + part.cell_len > width:
                lines.append(line)
                line = Text(" " * self.indent)
                before = ""
            line.append(before)
            line.append_text(part)
        lines.append(line)
        for row in lines:
            row.rstrip()
            yield row  # a part wider than the whole line is left for Rich to fold


def _meta(entry: Entry | Revision) -> list[str]:
    parts = []
    if getattr(entry, "starred", False):
        parts.append("★ starred")
    if getattr(entry, "tender", False):
        parts.append("tender")
    if entry.mood is not None:
        parts.append(f"mood {entry.mood}/10")
    if entry.tags:
        parts.append(tag_line(entry.tags))
    return parts


# --- lists ----------------------------------------------------------------------------------------------


WIDE, NARROW = 100, 60


def entry_table(entries: list[Entry], width: int = 80, header: bool = True, fixed: bool = False) -> Table:
    """The list view, fitted to the terminal: fewer, shorter columns as it narrows. A long list comes as a
    table per batch: the header only over the first, and `fixed` column widths, so the batches line up."""
    from rich import box
    from rich.table import Table

    separate = width >= NARROW
    sizes: dict[str, int] = {}
    if fixed:  # room for the longest of each: entry 999999, "Wed 31 Dec 2025 23:59", a quarter for tags
        dated = 22 if width >= WIDE else (16 if separate else 10)
        sizes = {"number": 6, "moment": dated, "tags": max(12, width // 4), "mood": 4}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=fixed, show_header=header)
    table.add_column("#", justify="right", style="bold", no_wrap=True, width=sizes.get("number"))
    table.add_column("When", no_wrap=True, style="cyan", width=sizes.get("moment"))
    table.add_column("Entry", overflow="fold", ratio=1)
    if separate:
        table.add_column("Tags", style="magenta", overflow="fold", width=sizes.get("tags"))
        table.add_column("Mood", justify="right", no_wrap=True, width=sizes.get("mood"))
    for entry in entries:
        if width >= WIDE:
            moment = when(entry.date)
        else:
            moment = stamp(entry.date) if separate else f"{entry.date:%Y-%m-%d}"
        text = _label_text(entry)
        if not separate and entry.tags:  # a line of their own, so they can't run into the words
            text.append("\n").append_text(user_text(tag_line(entry.tags), style="magenta"))
        row: list[RenderableType] = [str(entry.id), moment, text]
        if separate:
            row += [user_text(tag_line(entry.tags)), "" if entry.mood is None else str(entry.mood)]
        table.add_row(*row)
    return table


def _label_text(entry: Entry) -> Text:
    """The list's label, with the tender mark in words (dimmed too, but never only a colour)."""
    from rich.text import Text

    text = Text("★ " if entry.starred else "")
    shown = label(entry)
    if entry.tender and entry.title:
        text.append(TENDER_MARK, style="dim").append(" ").append_text(
            user_text(shown[len(TENDER_MARK) + 1 :])
        )
    else:
        text.append_text(user_text(shown, style="dim" if entry.tender else ""))
    return text


def entry_lines(entries: list[Entry]) -> list[str]:
    lines = []
    for entry in entries:
        line = f"{entry.id:>4}  {stamp(entry.date)}  {'★ ' if entry.starred else ''}{label(entry)}"
        if entry.tags:
            line += "  " + tag_line(entry.tags)
        lines.append(line)
    return lines


# --- one entry ------------------------------------------------------------------------------------------


def _heading(entry: Entry) -> _Packed:
    from rich.text import Text

    parts = [("", Text(f"Entry {entry.id}", style="bold")), ("  ", Text(when(entry.date), style="cyan"))]
    for part in _meta(entry):
        if part.startswith("#"):  # each tag whole, the tags together after one dot
            tags = [Text(neutralise(tag), style="magenta") for tag in part.split(" ")]
            parts += [("  ·  ", tags[0]), *((" ", tag) for tag in tags[1:])]
        else:
            parts.append(("  ·  ", Text(neutralise(part))))
    return _Packed(parts, indent=2)


def entry_view(entry: Entry) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [_heading(entry)]
    if entry.title:
        parts.append(user_text(entry.title, style="bold"))
    if entry.prompt:
        parts += [Text(""), Text("Prompt: ", style="dim").append(user_text(entry.prompt, style="dim italic"))]
    parts += [Text(""), user_text(entry.text)]
    if entry.revisions:
        parts += [Text(""), Text(_edited_note(entry), style="dim")]
    return Group(*parts)


def entry_plain(entry: Entry) -> list[str]:
    lines = ["  ·  ".join([f"Entry {entry.id}", stamp(entry.date), *_meta(entry)])]
    if entry.title:
        lines.append(entry.title)
    if entry.prompt:
        lines += ["", f"Prompt: {entry.prompt}"]
    lines += ["", entry.text]
    if entry.revisions:
        lines += ["", _edited_note(entry)]
    return lines


def _edited_note(entry: Entry) -> str:
    times = "once" if entry.revisions == 1 else f"{entry.revisions} times"
    return f"Edited {times}; `recovery-journal history {entry.id}` shows the earlier words."


# --- search ---------------------------------------------------------------------------------------------


def _highlighted(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> Text:
    out = user_text(text)
    for start, end in spans:
        out.stylize("bold reverse", start, end)
    return out


def _excerpt_text(hit: SearchHit) -> list[RenderableType]:
    from rich.padding import Padding
    from rich.text import Text

    rows: list[RenderableType] = []
    for excerpt in hit.excerpts:
        line = Text()
        if excerpt.starts_mid:
            line.append("…")
        line.append_text(_highlighted(excerpt.text, excerpt.spans))
        if excerpt.ends_mid:
            line.append("…")
        rows.append(Padding(line, (0, 0, 0, 4)))  # wrapped lines keep the indent, under the heading
    return rows


def _excerpt_lines(hit: SearchHit) -> list[str]:
    """The excerpts as plain lines: the same words as the Rich view, without the highlighting."""
    return [
        "    " + ("…" if e.starts_mid else "") + neutralise(e.text) + ("…" if e.ends_mid else "")
        for e in hit.excerpts
    ]


def _folds(hit: SearchHit, include_tender: bool) -> bool:
    return hit.entry.tender and not include_tender


def search_view(result: SearchResult, include_tender: bool = False) -> RenderableType:
    """Each hit with its excerpts; a tender entry's excerpts fold away unless asked for."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[RenderableType] = []
    for hit in result.hits:
        pieces = [
            ("", Text(f"{hit.entry.id:>4}", style="bold")),
            ("  ", Text(when(hit.entry.date), style="cyan")),
        ]
        if hit.entry.starred:
            pieces.append(("  ", Text("★")))
        if hit.entry.title:
            words = _highlighted(hit.entry.title, hit.title_spans).split(" ")
            pieces += [("  ", words[0]), *((" ", word) for word in words[1:])]
        if hit.entry.tags:
            tags = [Text(neutralise(f"#{tag}"), style="magenta") for tag in hit.entry.tags]
            pieces += [("  ", tags[0]), *((" ", tag) for tag in tags[1:])]
        head = _Packed(pieces, indent=6)
        if _folds(hit, include_tender):
            parts += [head, Padding(Text(folded(hit.entry.id), style="dim"), (0, 0, 0, 4))]
        elif not hit.excerpts and not hit.entry.title:  # found by a tag alone: its first words, as `list`
            parts += [head, Padding(user_text(summary(hit.entry), style="dim"), (0, 0, 0, 4))]
        else:
            parts += [head, *_excerpt_text(hit)]
    return Group(*parts)


def search_lines(result: SearchResult, include_tender: bool = False) -> list[str]:
    lines = []
    for hit in result.hits:
        head = f"{hit.entry.id:>4}  {stamp(hit.entry.date)}" + ("  ★" if hit.entry.starred else "")
        if hit.entry.title:
            head += f"  {hit.entry.title}"
        if hit.entry.tags:
            head += "  " + tag_line(hit.entry.tags)
        lines.append(head)
        if _folds(hit, include_tender):
            lines.append("    " + folded(hit.entry.id))
            continue
        if not hit.excerpts and not hit.entry.title:  # found by a tag alone: its first words, as `list`
            lines.append("    " + neutralise(summary(hit.entry)))
        lines += _excerpt_lines(hit)
    return lines


# --- history --------------------------------------------------------------------------------------------


def history_view(entry: Entry, revisions: list[Revision]) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = []
    for revision in revisions:
        head = Text()
        head.append(f"Version {revision.number}", style="bold")
        head.append(f"  replaced {when(revision.replaced)}", style="dim")
        parts.append(head)
        if revision.title:
            parts.append(user_text(revision.title, style="bold"))
        meta = "  ·  ".join([when(revision.date), *_meta(revision)])
        parts += [user_text(meta, style="cyan"), user_text(revision.text), Text("")]
    parts += [Text(f"Now (version {len(revisions) + 1})", style="bold"), entry_view(entry)]
    return Group(*parts)


def history_plain(entry: Entry, revisions: list[Revision]) -> list[str]:
    lines: list[str] = []
    for revision in revisions:
        lines.append(f"Version {revision.number}  (replaced {stamp(revision.replaced)})")
        if revision.title:
            lines.append(revision.title)
        lines += ["  ·  ".join([stamp(revision.date), *_meta(revision)]), revision.text, ""]
    lines.append(f"Now (version {len(revisions) + 1})")
    return lines + entry_plain(entry)


# --- tags -----------------------------------------------------------------------------------------------


def tags_table(tags: list[tuple[str, int]]) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("Tag", style="magenta")
    table.add_column("Entries", justify="right")
    for tag, count in tags:
        table.add_row(user_text(f"#{tag}"), str(count))
    return table


def tags_lines(tags: list[tuple[str, int]]) -> list[str]:
    return [f"{count:>5}  #{tag}" for tag, count in tags]


# --- JSON -----------------------------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "uuid": entry.uuid,
        "date": iso(entry.date),
        "created": iso(entry.created),
        "updated": iso(entry.updated),
        "title": entry.title or None,
        "text": entry.text,
        "tags": list(entry.tags),
        "mood": entry.mood,
        "revisions": entry.revisions,
        "starred": entry.starred,
        "tender": entry.tender,
        "stage": None if entry.stage is None or entry.stage.stage is None else entry.stage.stage.value,
        "stage_confidence": None if entry.stage is None else round(entry.stage.guess.confidence, 4),
        "stage_source": None if entry.stage is None else entry.stage.source,
        **({"prompt": entry.prompt} if entry.prompt else {}),  # loaded with one entry (show), not in lists
    }


def revision_json(revision: Revision) -> dict[str, Any]:
    return {
        "version": revision.number,
        "uuid": revision.uuid,
        "replaced": iso(revision.replaced),
        "date": iso(revision.date),
        "title": revision.title or None,
        "text": revision.text,
        "tags": list(revision.tags),
        "mood": revision.mood,
    }


def hit_json(hit: SearchHit, include_tender: bool = False) -> dict[str, Any]:
    """A hit as JSON; a tender entry's words (text and excerpts) are left out unless asked for."""
    if not isinstance(hit.entry, Entry):
        raise TypeError("a search for JSON opens whole entries: search(..., whole=True)")
    doc = entry_json(hit.entry)
    doc["excerpts"] = [e.text for e in hit.excerpts]
    doc["folded"] = _folds(hit, include_tender)
    if doc["folded"]:
        doc.update(text=None, excerpts=[])
    return doc
