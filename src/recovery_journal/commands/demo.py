"""The demo command: the main job, shown on a throwaway journal."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from ..errors import AlreadyExists
from ..render.output import Output
from . import terminal

if TYPE_CHECKING:
    from ..demo.sample import Sample
    from ..journal.service import Journal

SEARCH_WORD = "boundary"


def demo(
    ctx: typer.Context,
    keep: Annotated[
        Path | None,
        typer.Option(
            "--keep",
            metavar="DIR",
            show_default=False,
            help="Keep the demo journal in DIR to look around afterwards.",
        ),
    ] = None,
) -> None:
    """Show what recovery-journal does, on a throwaway journal with a sample story.

    Example: recovery-journal demo
    """
    from ..demo import sample  # the story and its builder load only when the demo runs

    out = Output()
    if keep is not None and (keep / "journal.db").exists():
        raise AlreadyExists(f"There's already a journal in {keep}.", hint="Pick an empty folder for --keep.")
    home = keep if keep is not None else Path(tempfile.mkdtemp(prefix="recovery-journal-demo-"))
    try:
        built = sample.build(home, terminal.settings(ctx))
        with built.journal as journal:
            _tour(out, journal, built)
    finally:
        if keep is None:
            shutil.rmtree(home, ignore_errors=True)
    if keep is not None:
        out.say(
            f"The demo journal is kept in {keep}. Look around with:\n"
            f"  RECOVERY_JOURNAL_PASSPHRASE='{sample.PASSPHRASE}' recovery-journal --journal {keep} list"
        )
    else:
        out.say("The demo journal has been removed. Nothing touched your own journal.")


def _section(out: Output, title: str, command: str) -> None:
    from rich.rule import Rule
    from rich.text import Text

    if out.rich:
        out.show(Text(""))
        out.show(Rule(Text(title, style="bold"), align="left"))
        out.show(Text(f"$ {command}", style="dim"))
    else:
        out.lines(["", f"== {title}", f"$ {command}"])


def _tour(out: Output, journal: Journal, built: Sample) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from ..demo import sample
    from ..domain.entry import EntryFilter
    from ..render import entries as view

    count = journal.count()
    intro = (
        f"This is a throwaway journal holding a short sample story: {count} entries over about six months, "
        "written by someone leaving a controlling relationship. Nothing here touches your own journal."
    )
    out.view(Panel(Text(intro), title="recovery-journal demo", expand=False), [intro])

    _section(out, "The latest entries", "recovery-journal list --limit 6")
    latest = journal.entries(EntryFilter(limit=6)).entries
    out.view(view.entry_table(latest, out.out.width), view.entry_lines(latest))

    shown = latest[-1]
    _section(out, "One entry in full", f"recovery-journal show {shown.id}")
    out.view(view.entry_view(shown), view.entry_plain(shown))

    _section(out, "Searching, with the words highlighted", f"recovery-journal search {SEARCH_WORD}")
    found = journal.search(SEARCH_WORD, EntryFilter(limit=4))
    out.view(view.search_view(found), view.search_lines(found))

    _stages_tour(out, journal, built)

    entry, revisions = journal.history(built.edited_id)
    _section(out, "Edits keep the earlier words", f"recovery-journal history {entry.id}")
    out.view(view.history_view(entry, revisions), view.history_plain(entry, revisions))

    counted, _ = journal.tags()
    _section(out, "Tags", "recovery-journal tags")
    out.view(view.tags_table(counted[:8]), view.tags_lines(counted[:8]))

    words = [SEARCH_WORD, *[t for t, _ in counted[:3]]]
    counts = sample.grep_counts(journal.settings.paths, words)
    patterns = " ".join(f"-e {w}" for w in words)
    files = " ".join(name for name, _ in counts)
    _section(out, "What someone who copies the file sees", f"grep -aic {patterns} {files}")
    report = [f"{name}:{n}" for name, n in counts]  # as grep prints it: lines holding any of the words
    hits = sample.plaintext_hits(journal.settings.paths, words)
    quoted = ", ".join(f"'{w}'" for w in words)
    report.append(
        f"None of {quoted} is in the files on disk."
        if not any(hits.values())
        else f"Found in the files on disk: {', '.join(w for w, n in hits.items() if n)}."
    )
    report.append(
        "Every entry, title, tag, mood and date is encrypted; only entry numbers and counts are not."
    )
    out.lines(report)

    _section(out, "Your own journal", "recovery-journal init")
    out.lines(
        [
            "`recovery-journal init` creates your journal and a recovery code; "
            "`recovery-journal write` opens your editor. Go at your own pace."
        ]
    )


def _stages_tour(out: Output, journal: Journal, built: Sample) -> None:
    """The healing-stage views: where the writer is, why one entry got its stage, and the story over time."""
    from rich.console import Group

    from ..overviews import facts, progress, timeline
    from ..render import marks
    from ..render import overview as overview_view
    from ..render import stages as stage_view

    def lines(texts: list[Text]) -> None:
        out.view(Group(*texts), [t.plain for t in texts])

    _section(out, "Where you are, and how you have moved", "recovery-journal stage")
    trip, _ = journal.stages.journey()
    today = journal.now().date()
    out.view(stage_view.journey_view(trip, today), stage_view.journey_lines(trip, today))
    numbers = ", ".join(map(str, built.corrected))
    out.lines(
        [
            "",
            "Each entry's stage was guessed as it was written; the writer set "
            f"{len(built.corrected)} of them differently ({numbers}) with "
            "`recovery-journal stage set ID STAGE`. Their word always wins.",
        ]
    )

    explained = journal.stages.explain(journal.count())
    _section(out, "Why an entry got its stage", f"recovery-journal stage show {explained.id}")
    out.view(stage_view.explain_view(explained), stage_view.explain_lines(explained))

    snapshot = facts.snapshot(journal, with_signals=True)
    _section(out, "The story over time", "recovery-journal timeline")
    lines(overview_view.timeline_lines(timeline.build(snapshot, None, None, None), out.out.width))

    _section(out, "How far you've come", "recovery-journal progress")
    summary = progress.build(snapshot)
    out.view(overview_view.progress_view(summary), [t.plain for t in overview_view.progress_lines(summary)])

    counters = journal.counters.all()
    _section(out, "Days since", "recovery-journal counter list")
    out.view(marks.counters_view(counters, today, out.out.width), marks.counters_lines(counters, today))
