"""Commands that change entries: write, edit, delete."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Annotated

import typer

from ..domain.dates import not_in_future, parse_moment
from ..domain.entry import MAX_TEXT_BYTES, EntryChanges, check_mood, clean_tags, clean_title
from ..errors import EditorFailed, EmptyEntry, Interrupted, Tampered, TooLarge, UsageProblem
from ..journal import editor
from ..journal.service import Journal, local_now
from ..render.entries import entry_json, when
from ..render.output import Output
from . import _shared
from ._shared import DateOpt, JsonOpt, MoodOpt, StarOpt, TagOpt, TenderOpt, TitleOpt


def _date(value: str | None, keep_time_of: datetime | None = None) -> datetime | None:
    """A --date value; for an edit, a day given without a time keeps the entry's own time of day."""
    if value is None:
        return None
    now = local_now()
    reference = now
    if keep_time_of is not None and value.strip().lower() != "now":
        reference = now.replace(
            hour=keep_time_of.hour, minute=keep_time_of.minute, second=keep_time_of.second, microsecond=0
        )
    moment = parse_moment(value, reference)
    if keep_time_of is not None and moment > now and moment.date() == now.date():
        moment = now  # today, at a time of day not reached yet: now is as late as an entry can be
    return not_in_future(moment, now)


@contextlib.contextmanager
def _maybe_session(journal: Journal, wanted: bool) -> Iterator[editor.Session | None]:
    if not wanted:
        yield None
        return
    with editor.session(
        journal.settings.scratch, journal.settings.paths.tag, journal.settings.env
    ) as session:
        yield session


def _from_editor(session: editor.Session, journal: Journal, initial: str, **details: object) -> str:
    """Run the editor; if it fails with words in the buffer, keep them as a draft before saying so."""
    edited = session.run(initial)
    if edited.ok:
        return edited.text
    if edited.interrupted:
        stopped = Interrupted("The editor was stopped (Ctrl-C), so this wasn't saved as an entry.")
        if edited.text.strip() and edited.text != initial:
            raise _shared.keep_unsaved(journal, stopped, edited.text, session, **details)
        raise Interrupted(
            "The editor was stopped (Ctrl-C). Nothing was changed.",
            hint="Run the command again whenever you like.",
        )
    failure = EditorFailed(f"The editor closed with an error (status {edited.status}).")
    if edited.text.strip() and edited.text != initial:
        raise _shared.keep_unsaved(journal, failure, edited.text, session, **details)
    raise EditorFailed(
        f"{failure.message} Nothing was changed.", hint="Check $VISUAL / $EDITOR and try again."
    )


def write(
    ctx: typer.Context,
    date: DateOpt = None,
    tag: TagOpt = None,
    mood: MoodOpt = None,
    title: TitleOpt = None,
    tender: TenderOpt = None,
    star: StarOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write a new entry in your editor, or from text piped in.

    Example: recovery-journal write --tag therapy --mood 6
    """
    _shared.refuse_words_on_command_line(ctx.args)
    details = {
        "title": clean_title(title or ""),
        "tags": clean_tags(tag or []),
        "mood": check_mood(mood),
        "tender": bool(tender),
        "starred": bool(star),
    }
    moment = _date(date)
    out = Output(as_json)
    piped = not _shared.stdin_is_terminal()
    text = _shared.read_stdin_text(MAX_TEXT_BYTES) if piped else None
    with _shared.open_journal(ctx, out) as journal, _maybe_session(journal, not piped) as session:
        draft_details = {**details, "date": _shared.iso_or_none(moment)}
        if session is not None:
            text = _from_editor(session, journal, "", **draft_details)
        assert text is not None  # noqa: S101 - one of the two sources ran
        try:
            entry = journal.write(text, date=moment, **details)  # type: ignore[arg-type]
        except TooLarge as exc:
            raise (
                _shared.keep_unsaved(journal, exc, text, session, **draft_details) if session else exc
            ) from None
        except _shared.SAVE_FAILURES as exc:
            raise _shared.keep_unsaved(journal, exc, text, session, **draft_details) from None
    if as_json:
        out.document("entry", entry=entry_json(entry))
    else:
        out.say(f"Saved entry {entry.id} ({when(entry.date)}).", style="green")


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
    piped = not _shared.stdin_is_terminal()
    # Piped text replaces the words; with options it comes along too, and an empty pipe then changes nothing.
    text = _shared.read_stdin_text(MAX_TEXT_BYTES, outcome="the entry was left as it was") if piped else None
    if details_only and text is not None and not text.strip():
        text = None
    with _shared.open_journal(ctx, out) as journal:
        before = journal.entry(entry_id)
        if date is not None:
            changes = replace(changes, date=_date(date, keep_time_of=before.date))
        with _maybe_session(journal, not details_only and not piped) as session:
            if session is not None:
                text = _from_editor(session, journal, before.text + "\n", entry_uuid=before.uuid)
            if text is not None:
                if not text.strip():
                    raise EmptyEntry(
                        f"The text came back empty, so entry {entry_id} was left as it was.",
                        hint="An empty edit never deletes. To remove the entry: "
                        f"recovery-journal delete {entry_id}",
                    )
                changes = replace(changes, text=text)
            try:
                result = journal.edit(entry_id, changes, seen_updated=before.updated)
            except _shared.SAVE_FAILURES as exc:
                if text is None:
                    raise
                raise _shared.keep_unsaved(journal, exc, text, session, entry_uuid=before.uuid) from None
    if as_json:
        out.document("entry", entry=entry_json(result.entry), changed=result.changed)
    elif not result.changed:
        out.say(f"No changes, so entry {entry_id} stays as it was.")
    else:
        out.say(f"Saved entry {entry_id}. The earlier version is kept in its history.", style="green")
        if result.changed_elsewhere:
            out.say("It had also changed in another window meanwhile; that version is in its history too.")


def _versions(count: int) -> str:
    return f" and its {count} earlier version{'s' if count != 1 else ''}" if count else ""


def delete(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ID", help="The entry's number.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Don't ask first.")] = False,
) -> None:
    """Delete an entry and its earlier versions, for good (asks first).

    Example: recovery-journal delete 12
    """
    out = Output()
    if not yes and not _shared.stdin_is_terminal():
        raise UsageProblem(
            "Deleting asks first, and there's no terminal to ask in.",
            hint=f"If you're sure, add --yes: recovery-journal delete {entry_id} --yes",
        )
    with _shared.open_journal(ctx, out) as journal:
        try:
            entry = journal.entry(entry_id)
            what = f"entry {entry_id} from {when(entry.date)}" + _versions(entry.revisions)
        except Tampered:  # a damaged entry can still be removed; only its number is known
            what = f"entry {entry_id} (it can't be opened, so its date isn't known)"
        if not yes:
            try:
                sure = typer.confirm(f"Delete {what}? This can't be undone.", default=False, err=True)
            except typer.Abort:
                raise Interrupted("Stopped. Nothing was deleted.") from None
            if not sure:
                out.say("Kept it. Nothing was deleted.")
                return
        journal.delete(entry_id)
    out.say(f"Deleted entry {entry_id}.")
