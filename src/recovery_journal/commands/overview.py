"""The overview commands: timeline, progress, calendar, on-this-day. Each reads the entry index once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..domain.dates import parse_day
from ..errors import Tampered
from ..journal.service import local_now
from ..overviews import facts
from ..overviews import progress as progress_model
from ..overviews import timeline as timeline_model
from ..overviews.calendar import year_map
from ..portability import outfiles
from ..render import entries as entry_view
from ..render.output import Output
from . import terminal
from .options import DAY_WORDS, IncludeTenderOpt, JsonOpt, LimitOpt

if TYPE_CHECKING:
    from rich.text import Text

    from ..overviews.timeline import Timeline

# The views (Rich, about 3.5 MiB) load after the journal is open: the key derivation's 64 MiB then comes on
# top of less, and a 50,000-entry timeline peaked at 100.2 MiB with them loaded first, 97 without.

FromOpt = Annotated[
    str | None,
    typer.Option("--from", metavar="DAY", show_default=False, help=f"Start on this day: {DAY_WORDS}."),
]
ToOpt = Annotated[
    str | None, typer.Option("--to", metavar="DAY", show_default=False, help="End on this day.")
]
SvgOpt = Annotated[
    Path | None,
    typer.Option(
        "--svg", metavar="FILE", show_default=False, dir_okay=False, help="Also save the picture as SVG."
    ),
]
HtmlOpt = Annotated[
    Path | None,
    typer.Option(
        "--html", metavar="FILE", show_default=False, dir_okay=False, help="Also save the picture as HTML."
    ),
]
TITLE = "recovery-journal timeline"


def _show(out: Output, lines: list[Text]) -> None:
    if out.rich:
        from rich.console import Group

        out.show(Group(*lines))
    else:
        out.lines([line.plain for line in lines])


def _check_pictures(home: Path, force: bool, *paths: Path | None) -> None:
    """Before any work: never into the journal's folder, and never over a file without --force."""
    for path in paths:
        if path is not None:
            outfiles.check_target(home, path, force=force)


def _save_picture(
    out: Output, lines: list[Text], svg: Path | None, html: Path | None, built: Timeline
) -> None:
    """Save the picture as SVG or HTML, titled and told in words for screen readers, written privately."""
    from ..render import share as picture

    words = picture.timeline_words(built)
    for path, kind in ((svg, "svg"), (html, "html")):
        if path is None:
            continue
        saved = (
            picture.picture_svg(lines, TITLE, words)
            if kind == "svg"
            else picture.picture_page(lines, TITLE, words)
        )
        outfiles.write_text(path, saved, overwrite=True)
        out.say(
            f"Saved the picture to {path}. It isn't encrypted: it shows stages, counts and milestone names."
        )


def timeline(
    ctx: typer.Context,
    since: FromOpt = None,
    until: ToOpt = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="PERIOD",
            show_default=False,
            help="week, month or quarter (default: chosen from the range).",
        ),
    ] = None,
    svg: SvgOpt = None,
    html: HtmlOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a picture file that exists.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show your story over time: stages, entries, mood and milestones by week, month or quarter.

    Also --svg FILE / --html FILE to save the picture.

    Example: recovery-journal timeline --from "6 months ago"
    """
    _check_pictures(terminal.settings(ctx).paths.home, force, svg, html)
    now = local_now()
    order = terminal.date_order(ctx)
    first = parse_day(since, now, order) if since else None
    last = parse_day(until, now, order) if until else None
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        snapshot = facts.snapshot(journal)
        built = timeline_model.build(snapshot, first, last, by)
        offered = None if as_json else journal.care.recent_support(snapshot.summaries)
    from rich.text import Text

    from ..render import overview as view
    from ..render.care import support_line

    if as_json:
        out.document("timeline", **view.timeline_json(built), unreadable=snapshot.unreadable)
    else:
        support = support_line(offered)
        lead = [] if support is None else [Text(support, style="bold"), Text("")]
        _show(out, [*lead, *view.timeline_lines(built, out.out.width)])  # the picture files: as they were
        _save_picture(out, view.timeline_lines(built, view.PICTURE_WIDTH), svg, html, built)
    terminal.left_out(snapshot.unreadable)


def progress(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Sum up how far you've come: stages, movement, writing rhythm, mood, counters, milestones.

    Example: recovery-journal progress
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        snapshot = facts.snapshot(journal, with_signals=True)
        summary = progress_model.build(snapshot)
        offered = None if as_json else journal.care.recent_support(snapshot.summaries)
    from ..render import overview as view
    from ..render.care import support_line

    if as_json:
        out.document("progress", **view.progress_json(summary), unreadable=snapshot.unreadable)
    else:
        support = support_line(offered)
        lines = view.progress_lines(summary, support)
        out.view(view.progress_view(summary, support), [line.plain for line in lines])
    terminal.left_out(snapshot.unreadable)


def calendar(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", metavar="YEAR", show_default=False, help="Which year (default this year)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a year of writing days, each coloured by the stage you were writing in.

    Example: recovery-journal calendar --year 2025
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        snapshot = facts.snapshot(journal)
    days = year_map(snapshot, snapshot.today.year if year is None else year)
    from ..render import overview as view

    if as_json:
        out.document("calendar", **view.calendar_json(days), unreadable=snapshot.unreadable)
    else:
        _show(out, view.calendar_lines(days, snapshot.today, out.out.width))
    terminal.left_out(snapshot.unreadable)


def on_this_day(
    ctx: typer.Context,
    when: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", metavar="DAY", show_default=False, help=f"Another day than today: {DAY_WORDS}."
        ),
    ] = None,
    include_tender: IncludeTenderOpt = False,
    limit: LimitOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show entries written on this day in earlier years, newest first (tender ones only if you ask).

    Example: recovery-journal on-this-day -n 3
    """
    day = parse_day(when, local_now(), terminal.date_order(ctx)) if when else local_now().date()
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        every, folded, unreadable = journal.on_this_day(day, include_tender=include_tender)
    entries = every if limit is None else every[:limit]  # newest first, so the most recent N
    if as_json:
        out.document(
            "on-this-day",
            date=day.isoformat(),
            entries=[entry_view.entry_json(e) for e in entries],
            tender_not_shown=folded,
            unreadable=unreadable,
        )
        return
    if not every:
        out.say(f"Nothing from {day.day} {day:%B} in earlier years." + _folded(folded))
        return
    from rich.console import Group
    from rich.text import Text

    for entry in entries:
        years = day.year - entry.date.year
        heading = Text(f"{years} year{'s' if years != 1 else ''} ago", style="bold")
        out.view(
            Group(Text(""), heading, entry_view.entry_view(entry)),
            ["", heading.plain, *entry_view.entry_plain(entry)],
        )
    if folded:
        out.say(_folded(folded).strip())
    if unreadable:
        raise Tampered(
            f"Entries {', '.join(map(str, unreadable))} couldn't be opened, so they aren't shown.",
            hint="`recovery-journal doctor` checks the journal.",
        )


def _folded(count: int) -> str:
    if not count:
        return ""
    return (
        f" {count} tender entr{'y' if count == 1 else 'ies'} from this day stay{'s' if count == 1 else ''} "
        f"folded away; --include-tender shows {'it' if count == 1 else 'them'}."
    )
