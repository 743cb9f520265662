"""Milestones and counters: the moments worth marking, and the days since something."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import typer

from ..domain.dates import parse_day
from ..errors import UsageProblem
from ..journal.counters import Counter, round_label
from ..journal.milestones import KINDS
from ..journal.service import Journal, local_now
from ..render import marks as view
from ..render.output import Output, neutralise
from . import terminal
from .options import DAY_WORDS, JsonOpt, LimitOpt, SinceAliasOpt, SinceOpt, YesOpt, either, most_recent

milestone_app = typer.Typer(help="Moments worth marking: a boundary held, a first, a celebration.")
counter_app = typer.Typer(help='Days since something ("no contact"), with every earlier run kept.')

WhenOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        metavar="DAY",
        show_default=False,
        help=f"When (default today): {DAY_WORDS}.",
    ),
]
KindOpt = Annotated[
    str | None,
    typer.Option("--kind", "-k", metavar="KIND", show_default=False, help=f"One of: {', '.join(KINDS)}."),
]
NoteOpt = Annotated[
    str | None,
    typer.Option("--note", metavar="TEXT", show_default=False, help="A longer note to keep with it."),
]
IdArg = Annotated[int, typer.Argument(metavar="ID", help="The milestone's number (see `milestone list`).")]
NameArg = Annotated[str, typer.Argument(metavar="NAME", help='The counter\'s name, e.g. "no contact".')]


def _day(ctx: typer.Context, value: str | None) -> date | None:
    return None if value is None else parse_day(value, local_now(), terminal.date_order(ctx))


# --- milestones -----------------------------------------------------------------------------------------


@milestone_app.command("add")
def milestone_add(
    ctx: typer.Context,
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="TEXT",
            show_default=False,
            help="What you reached; asked for, or read from a pipe (one line), if left out.",
        ),
    ] = None,
    when: WhenOpt = None,
    kind: KindOpt = None,
    note: NoteOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark a milestone.

    Example: recovery-journal milestone add "First boundary held" --kind boundary
    """
    day = _day(ctx, when)
    out = Output(as_json)
    if text is None and terminal.stdin_is_terminal():
        text = str(typer.prompt("What did you reach", err=True))
    elif text is None:
        text = terminal.read_piped_line("milestone")
        if not text:
            raise UsageProblem(
                "A milestone needs a few words.",
                hint='recovery-journal milestone add "Said no", or pipe the words in',
            )
    with terminal.open_journal(ctx, out) as journal:
        milestone = journal.milestones.add(text, day=day, kind=kind or "other", note=note or "")
    if as_json:
        out.document("milestone", milestone=view.milestone_json(milestone))
    else:
        out.say(
            f"Marked milestone {milestone.id}: {milestone.text} ({view.day(milestone.date)}). "
            f"{view.celebration(milestone.id, milestone.kind)}",
            style="green",
        )


@milestone_app.command("list")
def milestone_list(ctx: typer.Context, limit: LimitOpt = None, as_json: JsonOpt = False) -> None:
    """List your milestones, oldest first.

    Example: recovery-journal milestone list -n 5
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        every = journal.milestones.all()
    milestones = most_recent(every, limit)
    if as_json:
        out.document("milestones", milestones=[view.milestone_json(m) for m in milestones])
    elif not every:
        out.say('No milestones yet. When something feels worth marking: recovery-journal milestone add "..."')
    else:
        out.view(view.milestones_table(milestones), view.milestones_lines(milestones))


@milestone_app.command("edit")
def milestone_edit(
    ctx: typer.Context,
    milestone_id: IdArg,
    text: Annotated[
        str | None, typer.Option("--text", metavar="TEXT", show_default=False, help="New words for it.")
    ] = None,
    when: Annotated[
        str | None,
        typer.Option("--date", "-d", metavar="DAY", show_default=False, help=f"A new day: {DAY_WORDS}."),
    ] = None,
    kind: KindOpt = None,
    note: NoteOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a milestone's words, date, kind or note.

    Example: recovery-journal milestone edit 3 --date 2024-05-01
    """
    day = _day(ctx, when)
    if text is None and day is None and kind is None and note is None:
        raise UsageProblem("Nothing to change.", hint="Give --text, --date, --kind or --note.")
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        milestone = journal.milestones.edit(milestone_id, text=text, day=day, kind=kind, note=note)
    if as_json:
        out.document("milestone", milestone=view.milestone_json(milestone))
    else:
        out.say(f"Saved milestone {milestone_id}.", style="green")


@milestone_app.command("delete")
def milestone_delete(
    ctx: typer.Context, milestone_id: IdArg, yes: YesOpt = False, as_json: JsonOpt = False
) -> None:
    """Delete a milestone (asks first).

    Example: recovery-journal milestone delete 3
    """
    out = Output(as_json)
    if not yes and not terminal.stdin_is_terminal():
        raise UsageProblem(
            "Deleting asks first, and there's no terminal to ask in.",
            hint=f"If you're sure: recovery-journal milestone delete {milestone_id} --yes",
        )
    with terminal.open_journal(ctx, out) as journal:
        milestone = journal.milestones.get(milestone_id)
        if not yes and not terminal.yes_or_no(f"Delete {view.described(milestone)}?"):
            out.say("Kept it. Nothing was deleted.")
            if as_json:
                out.document("deleted", what="milestone", id=milestone_id, deleted=False)
            return
        journal.milestones.delete(milestone_id)
    if as_json:
        out.document("deleted", what="milestone", id=milestone_id, deleted=True)
    else:
        out.say(f"Deleted milestone {milestone_id}.")


# --- counters -------------------------------------------------------------------------------------------


def offer_rounds(journal: Journal, counter: Counter, out: Output, today: date) -> None:
    """Round numbers reached since the last run began are offered as milestones, once each."""
    due = counter.due_rounds(today)
    if not due:
        return
    label = f"{round_label(due[-1]).capitalize()} of {counter.name}"
    if terminal.stdin_is_terminal() and not out.json_mode:
        if terminal.yes_or_no(
            f"You've reached {round_label(due[-1])} of {counter.name}. That's worth celebrating. "
            "Mark it as a milestone?",
            default=True,
        ):
            kind = "no-contact" if "contact" in counter.name.lower() else "celebration"
            reached = counter.current.start + timedelta(days=due[-1])
            milestone = journal.milestones.add(label, day=reached, kind=kind)
            out.say(
                f"Marked milestone {milestone.id}: {milestone.text}. "
                f"{view.celebration(milestone.id, milestone.kind)}",
                style="green",
            )
    else:
        out.say(
            f"You've reached {round_label(due[-1])} of {counter.name}. That's worth celebrating. To mark it "
            f'as a milestone: recovery-journal milestone add "{label}"'
        )
    journal.counters.mark_offered(counter, due)


@counter_app.command("start")
def counter_start(
    ctx: typer.Context,
    name: NameArg,
    since: SinceOpt = None,
    as_json: JsonOpt = False,
    _date: SinceAliasOpt = None,
) -> None:
    """Start counting the days since something.

    Example: recovery-journal counter start "no contact" --since 2024-03-01
    """
    today = local_now().date()
    began = _day(ctx, either(since, _date, "--since", "--date")) or today
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        counter = journal.counters.start(name, began)
    if as_json:
        out.document("counter", counter=view.counter_json(counter, today))
    else:
        out.say(view.counter_line(counter, today), style="green")


@counter_app.command("list")
def counter_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show every counter: days so far, the next round number, earlier runs.

    Example: recovery-journal counter list
    """
    today = local_now().date()
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        counters = journal.counters.all()
        if as_json:
            out.document("counters", counters=[view.counter_json(c, today) for c in counters])
            return
        if not counters:
            out.say('No counters yet. To start one: recovery-journal counter start "no contact"')
            return
        out.view(view.counters_view(counters, today, out.out.width), view.counters_lines(counters, today))
        for counter in counters:
            offer_rounds(journal, counter, out, today)


@counter_app.command("reset")
def counter_reset(
    ctx: typer.Context,
    name: NameArg,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DAY",
            show_default=False,
            help=f"When the new run begins (default today): {DAY_WORDS}.",
        ),
    ] = None,
    as_json: JsonOpt = False,
    _date: SinceAliasOpt = None,
) -> None:
    """Begin a new run; the earlier one stays in the history.

    Example: recovery-journal counter reset "no contact" --since yesterday
    """
    today = local_now().date()
    on = _day(ctx, either(since, _date, "--since", "--date")) or today
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        counter, ended = journal.counters.reset(name, on)
    if as_json:
        out.document("counter", counter=view.counter_json(counter, today))
    else:
        out.say(view.reset_message(counter, ended, today))


@counter_app.command("delete")
def counter_delete(
    ctx: typer.Context,
    name: NameArg,
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Delete a counter and all its runs (asks first).

    Example: recovery-journal counter delete "no contact"
    """
    out = Output(as_json)
    if not yes and not terminal.stdin_is_terminal():
        raise UsageProblem(
            "Deleting asks first, and there's no terminal to ask in.",
            hint=f'If you\'re sure: recovery-journal counter delete "{name}" --yes',
        )
    with terminal.open_journal(ctx, out) as journal:
        counter = journal.counters.find(name)
        if not yes and not terminal.yes_or_no(
            f"Delete the counter '{neutralise(counter.name)}' and its history?"
        ):
            out.say("Kept it. Nothing was deleted.")
            if as_json:
                out.document("deleted", what="counter", id=counter.id, name=counter.name, deleted=False)
            return
        journal.counters.delete(name)
    if as_json:
        out.document("deleted", what="counter", id=counter.id, name=counter.name, deleted=True)
    else:
        out.say(f"Deleted the counter '{counter.name}'.")
