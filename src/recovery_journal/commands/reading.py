"""Commands that read entries: list, show, history, search, tags."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any

import typer

from ..domain.dates import DateOrder, parse_day
from ..domain.entry import EntryFilter, clean_tags
from ..errors import InvalidDate, InvalidInput, UsageProblem
from ..journal.service import Listing, local_now
from ..render import entries as view
from ..render.output import Output
from . import terminal
from .options import DAY_WORDS, IncludeTenderOpt, JsonOpt, LimitOpt, TagOpt, most_recent

FromOpt = Annotated[
    str | None,
    typer.Option("--from", metavar="DAY", help=f"From this day on: {DAY_WORDS}.", show_default=False),
]
ToOpt = Annotated[
    str | None,
    typer.Option(
        "--to", metavar="DAY", help="Up to and including this day (same words as --from).", show_default=False
    ),
]
OnOpt = Annotated[str | None, typer.Option("--on", metavar="DAY", help="Just this day.", show_default=False)]
ReverseOpt = Annotated[bool, typer.Option("--reverse", "-r", help="Newest first.")]
StarredOpt = Annotated[bool, typer.Option("--starred", help="Only starred entries.")]
StageOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--stage",
        "-s",
        metavar="STAGE",
        help="Only entries in this stage; repeat for more.",
        show_default=False,
    ),
]
IdArg = Annotated[int, typer.Argument(metavar="ID", help="The entry's number (see `list`).")]


def entry_filter(
    since: str | None,
    until: str | None,
    on: str | None,
    tags: list[str] | None,
    limit: int | None,
    newest_first: bool,
    stages: list[str] | None = None,
    order: DateOrder | None = None,
) -> EntryFilter:
    """The entries the --from/--to/--on/--tag/--stage/--limit options ask for (export shares it)."""
    now = local_now()
    if on is not None and (since or until):
        raise InvalidInput(
            "--on picks one day, so it can't be combined with --from or --to.",
            hint="Use --on alone, or --from and --to for a range.",
        )
    start, end = on or since, on or until
    first = parse_day(start, now, order) if start else None
    last = parse_day(end, now, order) if end else None
    if first and last and first > last:
        raise InvalidDate(f"--from ({first}) comes after --to ({last}).", hint="Swap them round.")
    chosen = []
    if stages:  # the stage commands' module loads their views (and Rich): only when a stage is asked for
        from .stage import parse_stage

        chosen = [parse_stage(s) for s in stages]
    return EntryFilter(
        since=first,
        until=last,
        tags=clean_tags(tags or []),
        stages=tuple(s.value for s in chosen if s is not None),
        limit=limit,
        newest_first=newest_first,
    )


def list_entries(
    ctx: typer.Context,
    tagged: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[@TAG]...",
            help="Only entries with this tag, written @boundaries or #boundaries (the same as --tag).",
            show_default=False,
        ),
    ] = None,
    since: FromOpt = None,
    until: ToOpt = None,
    on: OnOpt = None,
    tag: TagOpt = None,
    stage: StageOpt = None,
    limit: LimitOpt = None,
    reverse: ReverseOpt = False,
    starred: StarredOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List entries, oldest first.

    Example: recovery-journal list --from "last month" @therapy
    """
    if any(not word.startswith(("@", "#")) for word in tagged or []):
        raise UsageProblem(
            "list takes only options, and tags written as @tag.",
            hint="For a tag: recovery-journal list @boundaries; to find words: recovery-journal search WORD",
        )
    tags = [*(tag or []), *(tagged or [])]
    order = terminal.date_order(ctx)
    wanted = replace(entry_filter(since, until, on, tags, limit, reverse, stage, order), starred=starred)
    out = Output(as_json)
    # A few hundred entries at a time, written as they open: a list of 50,000 never holds them all.
    with terminal.open_journal(ctx, out) as journal:
        batches = journal.entry_batches(wanted)
        shown, unreadable = _list_json(out, batches) if as_json else _list_shown(out, batches)
    if not shown and not as_json:
        out.say(
            "No entries here yet. When you're ready, `recovery-journal write` opens your editor."
            if wanted == EntryFilter(newest_first=reverse)
            else "No entries match that."
        )
    terminal.left_out(unreadable)


def _list_json(out: Output, batches: Iterator[Listing]) -> tuple[int, list[int]]:
    """`list --json`, an entry at a time: (entries written, those that didn't open)."""
    unreadable: list[int] = []
    shown = 0

    def each() -> Iterator[dict[str, Any]]:
        nonlocal shown
        for batch in batches:
            unreadable.extend(batch.unreadable)
            shown += len(batch.entries)
            yield from (view.entry_json(e) for e in batch.entries)

    out.document_streamed("entries", "entries", each(), lambda: {"unreadable": sorted(set(unreadable))})
    return shown, sorted(set(unreadable))


def _list_shown(out: Output, batches: Iterator[Listing]) -> tuple[int, list[int]]:
    """The list as lines or a table, a batch at a time: one batch, one table as ever; more, a table each,
    the header over the first and the columns fixed so they line up."""
    unreadable: list[int] = []
    shown = 0
    current, following = next(batches, None), next(batches, None)  # a second batch? then they line up
    fixed = following is not None
    while current is not None:
        unreadable += current.unreadable
        if current.entries and out.rich:
            out.show(view.entry_table(current.entries, out.out.width, header=not shown, fixed=fixed))
        elif current.entries:
            out.lines(view.entry_lines(current.entries))
        shown += len(current.entries)
        current = following
        following = next(batches, None) if current is not None else None
    return shown, sorted(set(unreadable))


def show(ctx: typer.Context, entry_id: IdArg, as_json: JsonOpt = False) -> None:
    """Show one entry in full.

    Example: recovery-journal show 12
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        entry = journal.entry(entry_id)
    if as_json:
        out.document("entry", entry=view.entry_json(entry))
    elif out.rich:
        out.show(view.entry_view(entry))
    else:
        out.lines(view.entry_plain(entry))


def history(
    ctx: typer.Context,
    entry_id: IdArg,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=0,
            metavar="N",
            help="Only the N most recent earlier versions.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show every earlier version of an entry, oldest first.

    Example: recovery-journal history 12 -n 3
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        entry, every = journal.history(entry_id)
    revisions = most_recent(every, limit)
    if as_json:
        out.document(
            "history", entry=view.entry_json(entry), revisions=[view.revision_json(r) for r in revisions]
        )
        return
    if not every:
        out.say(f"Entry {entry_id} hasn't been changed since it was written.")
    if out.rich:
        out.show(view.history_view(entry, revisions))
    else:
        out.lines(view.history_plain(entry, revisions))


def search_entries(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TEXT",
            help="What to look for; asked for, or read from a pipe, if left out.",
            show_default=False,
        ),
    ] = None,
    since: FromOpt = None,
    until: ToOpt = None,
    on: OnOpt = None,
    tag: TagOpt = None,
    stage: StageOpt = None,
    limit: LimitOpt = None,
    reverse: ReverseOpt = False,
    starred: StarredOpt = False,
    include_tender: IncludeTenderOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Find entries containing some words (case doesn't matter).

    Leave TEXT out to be asked for it, or pipe it in (one line), so it stays out of your shell history.
    The words of entries marked tender stay folded unless you add --include-tender.

    Example: recovery-journal search boundary --from 2024-01-01
    """
    order = terminal.date_order(ctx)
    wanted = replace(entry_filter(since, until, on, tag, limit, reverse, stage, order), starred=starred)
    out = Output(as_json)
    if words:
        query = " ".join(words)
    elif terminal.stdin_is_terminal():
        query = str(typer.prompt("Search for", err=True))
    else:
        query = terminal.read_piped_line("search")
    if not query.strip():
        raise InvalidInput(
            "There's nothing to search for.",
            hint="Give a word or phrase: recovery-journal search boundary (or pipe it in)",
        )
    with terminal.open_journal(ctx, out) as journal:
        result = journal.search(query, wanted, whole=as_json)  # shown, the summary and words are enough
    if as_json:
        out.document(
            "search",
            query=result.query,
            entries=[view.hit_json(h, include_tender) for h in result.hits],
            unreadable=result.unreadable,
        )
    elif not result.hits:
        out.say("No entries contain that.")
    elif out.rich:
        out.show(view.search_view(result, include_tender))
    else:
        out.lines(view.search_lines(result, include_tender))
    terminal.left_out(result.unreadable)


def tags(
    ctx: typer.Context,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=0, metavar="N", help="Only the N most used.", show_default=False),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List your tags and how many entries carry each, most used first.

    Example: recovery-journal tags -n 5
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        every, unreadable = journal.tags()
    counted = every if limit is None else every[:limit]
    if as_json:
        out.document("tags", tags=[{"tag": t, "entries": n} for t, n in counted], unreadable=unreadable)
    elif not every:
        out.say("No tags yet. Add some with --tag when you write.")
    elif out.rich:
        out.show(view.tags_table(counted))
    else:
        out.lines(view.tags_lines(counted))
    terminal.left_out(unreadable)
