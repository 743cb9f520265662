"""The stage commands: where you are, why an entry has its stage, and telling the model it got one wrong."""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer

from ..domain.entry import MAX_TEXT_BYTES
from ..errors import InvalidInput
from ..render.output import Output
from ..stages.kinds import Stage
from . import terminal
from .options import JsonOpt

# The views (Rich, about 3 MiB) load after the journal is open, so the key derivation's 64 MiB
# comes on top of less (`stage` at 50,000 entries peaked at 99.6 MiB with them loaded first).

IdArg = Annotated[int, typer.Argument(metavar="ID", help="The entry's number (see `list`).")]
CHOICES = "recognition, acceptance or recovery (or 1, 2, 3)"
RELEARN_BAR = 500  # entries: relearn guesses each again, so its bar is worth drawing sooner than a backup's

stage_app = typer.Typer(help="Healing stages: where your writing is, and how it has moved.")
_JSON = "recovery_journal.stage.json"  # --json given before the subcommand: `stage --json guess`


def _wants_json(ctx: typer.Context, as_json: bool) -> bool:
    """--json before the subcommand (`stage --json show 3`) means the same as after it."""
    return as_json or bool(ctx.meta.get(_JSON))


def parse_stage(value: str, *, auto: bool = False) -> Stage | None:
    """A stage by name, by an unambiguous start of it ("acc", "recov"), or by number (1, 2, 3).

    With `auto`, also 'auto' (hand the entry back to the model), which returns None.
    """
    cleaned = value.strip().lower()
    if auto and cleaned in ("auto", "model"):
        return None
    if cleaned in ("1", "2", "3"):
        return list(Stage)[int(cleaned) - 1]
    matches = [stage for stage in Stage if cleaned and stage.value.startswith(cleaned)]
    if len(matches) == 1:
        return matches[0]
    also = "; or auto, to let the journal guess again" if auto else ""
    if len(matches) > 1:
        names = " or ".join(m.value for m in matches)
        raise InvalidInput(f"'{value}' could be {names}.", hint=f"Use one of: {CHOICES}{also}.")
    raise InvalidInput(f"'{value}' isn't a stage.", hint=f"Use one of: {CHOICES}{also}.")


@stage_app.callback(invoke_without_command=True)
def overview(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show where your writing is now, for how long, and how it has moved.

    Example: recovery-journal stage
    """
    if ctx.invoked_subcommand is not None:
        ctx.meta[_JSON] = as_json
        return
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        journey, unreadable = journal.stages.journey()
        today = journal.now().date()
        offered = None if as_json else journal.care.recent_support()
    from ..render import stages as view  # loaded late: see the top of this file
    from ..render.care import support_line

    if as_json:
        out.document("stage", **view.journey_json(journey), unreadable=unreadable)
    else:
        support = support_line(offered)
        out.view(view.journey_view(journey, today, support), view.journey_lines(journey, today, support))
    terminal.left_out(unreadable)


@stage_app.command("show")
def show(ctx: typer.Context, entry_id: IdArg, as_json: JsonOpt = False) -> None:
    """Explain an entry's stage: the cues behind it, every stage's score, how sure.

    Example: recovery-journal stage show 12
    """
    as_json = _wants_json(ctx, as_json)
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        entry = journal.stages.explain(entry_id)
        offered = None if as_json else journal.care.support_for(entry)
        lately = None if as_json or offered is not None else journal.care.recent_support()
    from ..render import stages as view  # loaded late: see the top of this file
    from ..render.care import support_line

    if as_json:
        out.document("stage", id=entry.id, stage=view.record_json(entry))
    else:
        support, recent = support_line(offered), support_line(lately)
        out.view(view.explain_view(entry, support, recent), view.explain_lines(entry, support, recent))


@stage_app.command("set")
def set_stage(
    ctx: typer.Context,
    entry_id: IdArg,
    stage: Annotated[
        str, typer.Argument(metavar="STAGE", help=f"{CHOICES}; auto lets the journal guess it again.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Set an entry's stage yourself; your word wins, and later guesses learn from it.

    Example: recovery-journal stage set 12 acceptance
    """
    as_json = _wants_json(ctx, as_json)
    chosen = parse_stage(stage, auto=True)
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        entry = journal.stages.set(entry_id, chosen)
    from ..render import stages as view  # loaded late: see the top of this file

    if as_json:
        out.document("stage", id=entry.id, stage=view.record_json(entry))
    elif chosen is None:
        label = "not clear" if entry.stage is None or entry.stage.stage is None else entry.stage.stage.value
        out.say(f"Entry {entry_id} is back to the journal's guess: {label}.")
    else:
        out.say(
            f"Entry {entry_id} is now in the {chosen.value} stage. "
            "Entries like it will lean that way from now on.",
            style="green",
        )


@stage_app.command("relearn")
def relearn(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Learn again from every stage you have set yourself, and guess the other entries again.

    Example: recovery-journal stage relearn
    """
    as_json = _wants_json(ctx, as_json)
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        bar = terminal.progress_bar(out, journal.count(), "Guessing again", at_least=RELEARN_BAR)
        with bar or contextlib.nullcontext():
            done = journal.stages.relearn(bar.update_to if bar else None)
    if as_json:
        out.document(
            "relearn",
            corrections=done.corrections,
            reguessed=done.reguessed,
            changed=done.changed,
            unreadable=list(done.skipped),
        )
        return
    out.say(
        f"Learned from {done.corrections} correction{'s' if done.corrections != 1 else ''}; "
        f"guessed {done.reguessed} entr{'y' if done.reguessed == 1 else 'ies'} again, "
        f"{done.changed} changed. Stages you set yourself stay as you set them."
    )
    if done.skipped:
        word = "entry" if len(done.skipped) == 1 else "entries"
        numbers = ", ".join(map(str, done.skipped))
        out.say(f"Left as they were, because they couldn't be opened: {word} {numbers}.")


@stage_app.command("guess")
def guess(
    ctx: typer.Context,
    personal: Annotated[
        bool, typer.Option("--personal", help="Include what your corrections taught (opens the journal).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Guess the stage of text read from stdin; nothing is stored.

    Example: echo "I finally said no to her." | recovery-journal stage guess
    """
    as_json = _wants_json(ctx, as_json)
    out = Output(as_json)
    if terminal.stdin_is_terminal():
        out.say("Type or paste the text, then press Ctrl-D.")
    text = terminal.read_stdin_text(MAX_TEXT_BYTES, outcome="it wasn't read")
    if not text.strip():
        raise InvalidInput(
            "There's no text to guess from.", hint="Pipe some in: echo '...' | recovery-journal stage guess"
        )
    if personal:
        with terminal.open_journal(ctx, out) as journal:
            result = journal.stages.guess(text).guess
    else:
        from ..journal.stagebook import guess_stage
        from ..stages.model import shipped

        result = guess_stage(shipped(), text).guess
    if as_json:
        out.document("guess", **result.to_json())
    else:
        from ..journal.capturing import gentle_offer
        from ..render import stages as view  # loaded late: see the top of this file
        from ..render.care import support_line

        out.view(view.guess_view(result), view.guess_lines(result))
        support = support_line(gentle_offer(terminal.settings(ctx), text))
        if support is not None:  # words a save would answer get its line here too, after the guess
            out.say(support)


@stage_app.command("review")
def review(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Go through entries whose stage is unsure and say which fits (each can be skipped).

    Example: recovery-journal stage review
    """
    as_json = _wants_json(ctx, as_json)
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        unsure = journal.stages.uncertain()
        from ..render import stages as view  # loaded late: see the top of this file

        if as_json or not terminal.stdin_is_terminal():
            listed = [{"id": e.id, "stage": view.record_json(e)} for e in unsure]
            if as_json:
                out.document("review", entries=listed)
            else:
                out.lines([f"{e.id:>4}  {e.date:%Y-%m-%d}  {view.summary_of(e)}" for e in unsure])
            return
        if not unsure:
            out.say("Every entry's stage is clear. Nothing to review.")
            return
        out.say(
            f"{len(unsure)} entr{'y is' if len(unsure) == 1 else 'ies are'} unsure. For each: "
            "1 = recognition, 2 = acceptance, 3 = recovery (or the name), Enter = skip, q = stop."
        )
        changed = 0
        for entry in unsure:
            out.view(view.review_view(entry), view.review_lines(entry))
            choice = _ask_stage(out)
            if choice == "stop":
                break
            if isinstance(choice, Stage):
                journal.stages.set(entry.id, choice)
                changed += 1
        out.say(
            f"Thank you. {changed} entr{'y' if changed == 1 else 'ies'} updated; the rest stay as they were."
        )


def _ask_stage(out: Output) -> Stage | str:
    """One review answer: a stage, "skip" (Enter) or "stop" (q); asks again, gently, after a typo."""
    while True:
        answer = str(typer.prompt("Which stage fits?", default="", show_default=False, err=True)).strip()
        if not answer:
            return "skip"
        if answer.lower() in ("q", "quit", "stop"):
            return "stop"
        try:
            chosen = parse_stage(answer)
        except InvalidInput as exc:
            out.say(f"{exc.message} Try 1, 2 or 3, Enter to skip, or q to stop.")
            continue
        assert chosen is not None  # noqa: S101 - 'auto' is not accepted here
        return chosen
