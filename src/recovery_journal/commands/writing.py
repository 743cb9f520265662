"""Commands that change entries: write, edit, delete."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

import typer

from ..domain.dates import entry_moment
from ..domain.entry import MAX_TEXT_BYTES, EntryChanges, check_mood, clean_tags, clean_title
from ..errors import Interrupted, JournalError, Tampered, UsageProblem
from ..journal import capturing, composing
from ..journal.service import local_now
from ..render.entries import described, entry_json, when
from ..render.output import Output
from . import terminal
from .options import (
    TENDER_HELP,
    DateOpt,
    JsonOpt,
    MoodOpt,
    PromptOpt,
    StarOpt,
    TagOpt,
    TenderOpt,
    TitleOpt,
    YesOpt,
)

# A new entry is not tender and not starred unless asked, so write and capture offer --tender and --star only;
# --not-tender and --unstar, which mean "as usual" there, are still accepted unlisted, so no script breaks.
NewTenderOpt = Annotated[
    bool,
    typer.Option(
        "--tender",
        help=TENDER_HELP,
    ),
]
NewStarOpt = Annotated[
    bool, typer.Option("--star", help="Star it, to find it again easily (list --starred).")
]
AsUsualTender = Annotated[bool, typer.Option("--not-tender", hidden=True)]
AsUsualStar = Annotated[bool, typer.Option("--unstar", hidden=True)]
InlineOpt = Annotated[
    bool,
    typer.Option(
        "--inline",
        "-i",
        help="Type the entry here in the terminal, not in an editor (Ctrl-D on an empty line saves it).",
    ),
]


def _moment(ctx: typer.Context, value: str | None) -> datetime | None:
    return None if value is None else entry_moment(value, local_now(), order=terminal.date_order(ctx))


def _new_entry_input(
    ctx: typer.Context, date: str | None, tag: list[str] | None, mood: int | None, title: str | None
) -> tuple[str, tuple[str, ...], int | None, datetime | None, str | None]:
    """What write and capture check first, before asking for anything: details, then any piped text."""
    terminal.refuse_words_on_command_line(ctx.args, ctx.info_name or "write")
    cleaned = clean_title(title or ""), clean_tags(tag or []), check_mood(mood)
    moment = _moment(ctx, date)  # a date that can't be read is said before asking for anything
    piped = not terminal.stdin_is_terminal()
    return (*cleaned, moment, terminal.read_stdin_text(MAX_TEXT_BYTES) if piped else None)


def write(
    ctx: typer.Context,
    date: DateOpt = None,
    tag: TagOpt = None,
    mood: MoodOpt = None,
    title: TitleOpt = None,
    tender: NewTenderOpt = False,
    star: NewStarOpt = False,
    prompt: PromptOpt = None,
    inline: InlineOpt = False,
    as_json: JsonOpt = False,
    _not_tender: AsUsualTender = False,
    _unstar: AsUsualStar = False,
) -> None:
    """Write a new entry in your editor, typed here (--inline), or from text piped in.

    @tags and #tags in the words become tags too (RECOVERY_JOURNAL_INLINE_TAGS=0 turns that off).

    Example: recovery-journal write --tag therapy --mood 6
    """
    title, tags, mood, moment, text = _new_entry_input(ctx, date, tag, mood, title)
    _one_of(tender, _not_tender, "--tender", "--not-tender")
    _one_of(star, _unstar, "--star", "--unstar")
    out = Output(as_json)
    with _unsaved_if_it_fails(text):
        opened = terminal.open_journal(ctx, out)  # the passphrase is asked before any words are typed
    with opened as journal:
        chosen = journal.care.choose_prompt(prompt) if prompt is not None else ""
        if chosen and text is not None and not as_json:
            out.say(f"Prompt: {chosen}")  # piped words were written without seeing it; it is kept with them
        entry = composing.write(
            journal,
            text,
            date=moment,
            title=title,
            tags=tags,
            mood=mood,
            tender=tender,
            starred=star,
            prompt=chosen,
            announce=terminal.editor_hint(out),
            typed=terminal.typed_entry(out) if text is None else None,
            inline=inline,
        )
        offered = journal.care.after_save(entry) if entry is not None else None
    if entry is None:  # the editor closed on an empty page: a choice, not an error
        if as_json:
            out.document("entry", entry=None, support_offered=False)
        else:
            out.say("Nothing written, nothing saved.")
        return
    if as_json:
        out.document("entry", entry=entry_json(entry), support_offered=offered is not None)
    else:
        out.say(f"Saved entry {entry.id} ({when(entry.date)}).", style="green")
    if offered is not None:
        _offer(out, offered)


@contextlib.contextmanager
def _unsaved_if_it_fails(text: str | None) -> Iterator[None]:
    """Piped words exist only in this process: if what follows fails, say plainly they weren't saved."""
    try:
        yield
    except JournalError as exc:
        if text is None or not text.strip():
            raise
        raise type(exc)(f"{exc.message} The text you piped in was not saved.", hint=exc.hint) from None


def _offer(out: Output, kind: str) -> None:
    """The calm line offering support after heavy words; the support lines it names load only then."""
    from ..render import care as care_view

    out.say(care_view.offer(kind))


def _one_of(flag: bool, as_usual: bool, name: str, other: str) -> None:
    if flag and as_usual:
        raise UsageProblem(f"{name} and {other} ask for different things.", hint="Use one of them.")


def capture(
    ctx: typer.Context,
    date: DateOpt = None,
    tag: TagOpt = None,
    mood: MoodOpt = None,
    title: TitleOpt = None,
    tender: NewTenderOpt = False,
    star: NewStarOpt = False,
    as_json: JsonOpt = False,
    _not_tender: AsUsualTender = False,
    _unstar: AsUsualStar = False,
) -> None:
    """Save words quickly, without your passphrase: sealed until you next open the journal.

    In a hard moment, typing a passphrase can be too much. What you capture can't be read by anyone,
    you included, until the journal is next opened with its passphrase; then it joins as an entry.

    Example: echo "Hard night. I'm safe now." | recovery-journal capture --mood 3
    """
    title, tags, mood, moment, text = _new_entry_input(ctx, date, tag, mood, title)
    _one_of(tender, _not_tender, "--tender", "--not-tender")
    _one_of(star, _unstar, "--star", "--unstar")
    out = Output(as_json)
    with _unsaved_if_it_fails(text):  # no journal yet, capture not set up, or the inbox can't be written
        kept = capturing.capture_entry(
            terminal.settings(ctx),
            text,
            title=title,
            tags=tags,
            mood=mood,
            date=moment,
            tender=tender,
            starred=star,
            announce=terminal.editor_hint(out),
        )
    if kept is None:  # the editor closed on an empty page: a choice, not an error
        if as_json:
            out.document("capture", file=None, support_offered=False)
        else:
            out.say("Nothing written, nothing kept.")
        return
    path, words = kept  # piped in or written in the editor: the gentle check reads them either way
    offered = capturing.gentle_offer(terminal.settings(ctx), words)
    if as_json:
        out.document("capture", file=str(path), support_offered=offered is not None)
    else:
        out.say(
            "Kept safe, sealed. It joins your journal the next time you open it with your passphrase.",
            style="green",
        )
    if offered is not None:
        _offer(out, offered)


def edit(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's number.")],
    date: DateOpt = None,
    tag: TagOpt = None,
    clear_tags: Annotated[bool, typer.Option("--clear-tags", help="Remove all tags.")] = False,
    mood: MoodOpt = None,
    clear_mood: Annotated[bool, typer.Option("--clear-mood", help="Remove the mood.")] = False,
    title: TitleOpt = None,
    tender: TenderOpt = None,
    star: StarOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an entry; the earlier words are kept in its history.

    With options, changes only those details; without, opens the text in your editor (or reads it piped in).

    Example: recovery-journal edit 12 --mood 7
    """
    if mood is not None and clear_mood:
        raise UsageProblem("--mood and --clear-mood ask for different things.", hint="Use one of them.")
    if tag and clear_tags:
        raise UsageProblem(
            "--tag already replaces the tags, so --clear-tags isn't needed with it.", hint="Use one of them."
        )
    changes = EntryChanges(
        title=None if title is None else clean_title(title),
        tags=() if clear_tags else (None if tag is None else clean_tags(tag)),
        mood=check_mood(mood),
        clear_mood=clear_mood,
        tender=tender,
        starred=star,
    )
    out = Output(as_json)
    details_only = not changes.is_empty() or date is not None
    piped = not terminal.stdin_is_terminal()
    # Piped text replaces the words; with options it comes along too, and an empty pipe then changes nothing.
    text = terminal.read_stdin_text(MAX_TEXT_BYTES, outcome="the entry was left as it was") if piped else None
    if details_only and text is not None and not text.strip():
        text = None
    with terminal.open_journal(ctx, out) as journal:
        result = composing.edit(
            journal,
            entry_id,
            changes,
            when=date,
            text=text,
            use_editor=not details_only and not piped,
            announce=terminal.editor_hint(out),
        )
        words_changed = text is not None or not details_only  # piped in, or the editor ran
        offered = journal.care.after_save(result.entry, words=words_changed) if result.changed else None
    if as_json:
        out.document(
            "entry",
            entry=entry_json(result.entry),
            changed=result.changed,
            support_offered=offered is not None,
        )
    elif not result.changed:
        out.say(f"No changes, so entry {entry_id} stays as it was.")
    else:
        out.say(f"Saved entry {entry_id}. The earlier version is kept in its history.", style="green")
        if result.changed_elsewhere:
            out.say("It had also changed in another window meanwhile; that version is in its history too.")
    if offered is not None:
        _offer(out, offered)


def _versions(count: int) -> str:
    return f" and its {count} earlier version{'s' if count != 1 else ''}" if count else ""


def delete(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's number.")],
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Delete an entry and its earlier versions, for good (asks first).

    Example: recovery-journal delete 12
    """
    out = Output(as_json)
    with terminal.open_journal(ctx, out) as journal:
        try:
            entry = journal.entry(entry_id)  # an entry that isn't there is said first, asking or not
            what = described(entry) + _versions(entry.revisions)
        except Tampered:  # a damaged entry can still be removed; only its number is known
            what = f"entry {entry_id} (it can't be opened, so its date isn't known)"
        if not yes and not terminal.stdin_is_terminal():
            raise UsageProblem(
                "Deleting asks first, and there's no terminal to ask in.",
                hint=f"If you're sure, add --yes: recovery-journal delete {entry_id} --yes",
            )
        if not yes:
            try:
                sure = terminal.yes_or_no(f"Delete {what}? This can't be undone.")
            except typer.Abort:
                raise Interrupted("Stopped. Nothing was deleted.") from None
            if not sure:
                out.say("Kept it. Nothing was deleted.")
                if as_json:
                    out.document("deleted", what="entry", id=entry_id, deleted=False)
                return
        journal.delete(entry_id)
    if as_json:
        out.document("deleted", what="entry", id=entry_id, deleted=True)
    else:
        out.say(f"Deleted entry {entry_id}.")
