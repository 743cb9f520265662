"""How stages look: an entry's stage explained, a guess, and the journey so far, in calm words."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..domain.entry import Entry
from ..stages.journey import Journey
from ..stages.kinds import STAGES, Stage, StageGuess
from .care import SUPPORT_NOTE
from .entries import folded, when
from .output import user_text

COLOURS = {Stage.RECOGNITION: "cyan", Stage.ACCEPTANCE: "magenta", Stage.RECOVERY: "green"}
MEANING = {
    Stage.RECOGNITION: "noticing and naming what happened",
    Stage.ACCEPTANCE: "feeling and processing it",
    Stage.RECOVERY: "rebuilding your life and yourself",
}
HELPS = {
    Stage.RECOGNITION: "learning about these patterns, and people who believe you",
    Stage.ACCEPTANCE: "therapy, support groups, and room for the feelings",
    Stage.RECOVERY: "self-care, and boundaries you keep for yourself",
}
BAR = 20


def stage_text(stage: Stage | None) -> Text:
    if stage is None:
        return Text("not clear yet", style="dim")
    return Text(stage.label, style=f"bold {COLOURS[stage]}")


def span(days: int) -> str:
    """A stretch of time as the overviews say it: days, weeks, months, then years."""
    if days < 1:
        return "under a day"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 60:
        return f"{days // 7} weeks"
    if days < 730:
        return f"{round(days / 30.4)} months"
    return f"{days / 365:.1f} years".replace(".0 ", " ")


def _bars(scores: dict[Stage, float]) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for stage in STAGES:
        share = scores.get(stage, 0.0)
        filled = round(share * BAR)
        table.add_row(
            stage.label, Text("█" * filled + "·" * (BAR - filled), style=COLOURS[stage]), f"{share:.0%}"
        )
    return table


LEFT_OUT = "Recovery isn't guessed for words like these; the other two are as the journal read them."
NOT_SHOWN = "The journal doesn't show a stage for words like these."


def recovery_left_out(guess: StageGuess) -> bool:
    """A guess whose words plainly spoke of wanting to die or of self-harm (journal/stagebook.guess_stage):
    recovery's share was taken out, so the shares left add up to less than the whole."""
    shares = sum(guess.scores.get(s, 0.0) for s in STAGES)
    return guess.stage is not None and guess.scores.get(Stage.RECOVERY) == 0.0 and shares < 0.99


def guess_lines(guess: StageGuess) -> list[str]:
    if guess.stage is None:
        return ["Nothing in this text points to a stage yet."]
    sure = "not sure" if guess.uncertain else f"{guess.confidence:.0%} sure"
    lines = [f"{guess.stage.label} ({sure}): {MEANING[guess.stage]}"]
    if guess.cues:
        lines.append("Because of: " + ", ".join(f"“{c}”" for c in guess.cues))
    if recovery_left_out(guess):  # no shares: what is left of them can be 0%, 0%, 0%, which reads as broken
        return [*lines, LEFT_OUT]
    lines += [f"  {s.label:<12} {guess.scores.get(s, 0.0):.0%}" for s in STAGES]
    return lines


def guess_view(guess: StageGuess) -> RenderableType:
    if guess.stage is None:
        return Text("Nothing in this text points to a stage yet.")
    head = stage_text(guess.stage)
    head.append(f"  {'not sure' if guess.uncertain else f'{guess.confidence:.0%} sure'}", style="dim")
    head.append(f"  ·  {MEANING[guess.stage]}")
    parts: list[RenderableType] = [head]
    if guess.cues:
        cues = Text("Because of: ", style="dim")
        cues.append_text(user_text(", ".join(f"“{c}”" for c in guess.cues)))
        parts.append(cues)
    if recovery_left_out(guess):  # as in guess_lines: the note instead of shares
        parts.append(Text(LEFT_OUT, style="dim"))
    else:
        parts.append(_bars(guess.scores))
    return Group(*parts)


def _source_note(entry: Entry, recent: str | None = None) -> str | None:
    """The note under an entry's stage: the writer's own choice; else, for words the stage rule caught, the
    way to support; else an unsure guess's invitation, unless words written lately call for support
    (`recent`): then that line, and no one is asked to sort anything."""
    record = entry.stage
    if record is None:
        return None
    if record.by_writer:
        earlier = record.model_guess
        guessed = (
            ""
            if earlier is None or earlier.stage is None
            else f" (the journal had guessed {earlier.stage.value})"
        )
        return f"You set this stage yourself{guessed}. Your word stands."
    if recovery_left_out(record.guess):
        # words that plainly speak of wanting to die aren't handed back to be sorted (stage review leaves
        # them out too): the way to support is shown instead, as after saving them
        return SUPPORT_NOTE
    if record.guess.uncertain and recent is not None:
        return recent
    if record.guess.uncertain:
        return (
            f"The journal isn't sure about this one. If you'd like, tell it: "
            f"recovery-journal stage set {entry.id} recognition|acceptance|recovery"
        )
    return None


def explain_view(entry: Entry, support: str | None = None, recent: str | None = None) -> RenderableType:
    assert entry.stage is not None  # noqa: S101 - the service fills it in before explaining
    head = Text(f"Entry {entry.id}  ", style="bold")
    head.append(when(entry.date), style="cyan")
    if support is not None and not entry.stage.by_writer:
        # words a save would answer aren't read back as a stage, nor quoted as its cues (a stage the writer
        # set is theirs, and shown as it is)
        return Group(head, Text(NOT_SHOWN), Text(support, style="bold"))
    parts: list[RenderableType] = [head, guess_view(entry.stage.guess)]
    note = _source_note(entry, recent)
    if note:
        parts.append(Text(note, style="dim"))
    if support is not None:  # a stage the writer set, shown as set, and the way to support after it
        parts.append(Text(support, style="bold"))
    return Group(*parts)


def explain_lines(entry: Entry, support: str | None = None, recent: str | None = None) -> list[str]:
    assert entry.stage is not None  # noqa: S101 - the service fills it in before explaining
    if support is not None and not entry.stage.by_writer:  # as explain_view
        return [f"Entry {entry.id}  {when(entry.date)}", NOT_SHOWN, support]
    lines = [f"Entry {entry.id}  {when(entry.date)}", *guess_lines(entry.stage.guess)]
    note = _source_note(entry, recent)
    lines = [*lines, note] if note else lines
    return [*lines, support] if support is not None else lines


def summary_of(entry: Entry) -> str:
    from .entries import summary

    return folded(entry.id) if entry.tender else summary(entry)


def review_lines(entry: Entry) -> list[str]:
    guess = entry.stage.guess if entry.stage is not None else None
    excerpt = " ".join(entry.text.split())
    excerpt = excerpt if len(excerpt) <= 400 else excerpt[:399] + "…"
    if entry.tender:  # never resurfaced unasked, here either
        excerpt = folded(entry.id)
    lines = ["", f"Entry {entry.id}  {when(entry.date)}", excerpt]
    if guess is not None and guess.stage is not None:
        lines.append(
            f"The journal's guess leans {guess.stage.value} ({guess.confidence:.0%}), but it isn't sure."
        )
    return lines


def review_view(entry: Entry) -> RenderableType:
    lines = review_lines(entry)
    parts: list[RenderableType] = [Text(""), Text(lines[1], style="bold"), user_text(lines[2])]
    if len(lines) > 3:
        parts.append(Text(lines[3], style="dim"))
    return Group(*parts)


def record_json(entry: Entry) -> dict[str, Any] | None:
    record = entry.stage
    if record is None:
        return None
    return {
        **record.guess.to_json(),
        "source": record.source,
        "model_guess": None if record.model_guess is None else record.model_guess.to_json(),
    }


# --- the journey ----------------------------------------------------------------------------------------


def not_named_yet(journey: Journey, supporting: bool = False) -> str:
    """Why no stage is named as "now": too few entries yet, or writing that moves between stages.

    Beside the way to support (`supporting`) it says only that: "a normal part of healing" next to it could
    read as if what was just written were."""
    if journey.enough_writing:
        moving = "Your writing lately moves between stages, so none is named as where you are right now."
        return moving if supporting else f"{moving} That's a normal part of healing."
    return "Not enough writing yet to tell where you are; that's fine."


def journey_lines(journey: Journey, today: date, support: str | None = None) -> list[str]:
    """Where you are and how you got here, in words; the same text on a terminal and in a pipe.

    `support`, when the newest entries' words call for it (journal/caring.py), comes first, in place of what
    is often helpful in the stage: "self-care and boundaries" is no answer to a goodbye."""
    lines = _journey_lines(journey, today, support is not None)
    return [support, "", *lines] if support is not None else lines


def _journey_lines(journey: Journey, today: date, supporting: bool) -> list[str]:
    current = journey.current
    if current is None:
        return [
            "There are no entries with a stage yet. Once you've written a few, this shows where your "
            "writing is and how it has moved."
        ]
    if not journey.tells:
        return [
            not_named_yet(journey, supporting),
            "As you keep writing, this will show where your writing is and how it has moved.",
        ]
    lines = [
        f"Right now your writing is mostly in {current.stage.value}: {MEANING[current.stage]}.",
        f"That has been so since {current.start.day} {current.start:%B %Y} "
        f"({_since(current.start.date(), today)}, "
        f"{current.entries} entr{'y' if current.entries == 1 else 'ies'}).",
    ]
    if not supporting:
        lines.append(f"Often helpful here: {HELPS[current.stage]}.")
    if len(journey.periods) > 1:
        lines.append("")
        lines.append("How it has moved:")
        for period in journey.periods:
            days = (today - period.start.date()).days if period is current else period.days
            lines.append(
                f"  {period.start.day:>2} {period.start:%b %Y}  {period.stage.label:<12} "
                f"{span(days):>11}, "
                f"{period.entries} entr{'y' if period.entries == 1 else 'ies'}"
            )
        back = sum(not m.forward for m in journey.moves)
        forward = len(journey.moves) - back
        lines.append("")
        steps_back = f"{back} step{'s' if back != 1 else ''} back"
        summary = f"{forward} step{'s' if forward != 1 else ''} forward"
        if back:
            summary = f"{summary} and {steps_back}" if forward else steps_back  # never "0 steps forward"
            lines.append(f"{summary}. Moving back for a while is a normal part of healing.")
        else:
            lines.append(f"{summary}.")
    return lines


def _since(start: date, today: date) -> str:
    days = (today - start).days
    return "today" if days < 1 else span(days)


def journey_view(journey: Journey, today: date, support: str | None = None) -> RenderableType:
    current = journey.current
    if current is None or not journey.tells:
        return Text("\n".join(journey_lines(journey, today, support)))
    head = Text("Right now: ")
    head.append_text(stage_text(current.stage))
    head.append(f"  ·  {MEANING[current.stage]}")
    rest = _journey_lines(journey, today, support is not None)[1:]
    view = Group(head, Text("\n".join(rest)), _bars(journey.shares))
    return view if support is None else Group(Text(support, style="bold"), Text(""), view)


def journey_json(journey: Journey) -> dict[str, Any]:
    return {
        "current": None if journey.current is None else journey.current.stage.value,
        "enough_to_tell": journey.tells,  # False: too little writing, or too unclear, to name "Right now"
        "since": None if journey.current is None else journey.current.start.isoformat(timespec="seconds"),
        "shares": {s.value: round(v, 4) for s, v in journey.shares.items()},
        "periods": [
            {
                "stage": p.stage.value,
                "start": p.start.isoformat(timespec="seconds"),
                "end": p.end.isoformat(timespec="seconds"),
                "entries": p.entries,
                "mix": {s.value: n for s, n in p.mix.items()},
            }
            for p in journey.periods
        ],
        "moves": [
            {
                "when": m.when.isoformat(timespec="seconds"),
                "from": m.source.value,
                "to": m.target.value,
                "forward": m.forward,
            }
            for m in journey.moves
        ],
    }
