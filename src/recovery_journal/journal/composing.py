"""Writing and editing from the person's editor or a pipe, keeping their words when a save can't finish.

When saving fails after words were typed, they are sealed into a draft, or (if even that can't be written)
left in the private editor file; the error raised says which, and where.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..domain.dates import entry_moment
from ..domain.entry import Entry, EntryChanges
from ..errors import EditorFailed, EmptyEntry, Interrupted, JournalError, Locked, StorageProblem, TooLarge
from . import editor
from .service import EditResult, Journal

# A failed save is one of these; the words are then kept as a draft, or their location is given.
SAVE_FAILURES = (Locked, StorageProblem)


def write(
    journal: Journal,
    text: str | None,
    *,
    date: datetime | None = None,
    title: str = "",
    tags: tuple[str, ...] = (),
    mood: int | None = None,
    tender: bool = False,
    starred: bool = False,
) -> Entry:
    """Save a new entry from `text`, or from the editor when `text` is None."""
    details: dict[str, Any] = {
        "title": title,
        "tags": tags,
        "mood": mood,
        "tender": tender,
        "starred": starred,
    }
    draft_details = {**details, "date": _iso_or_none(date)}
    with _editing(journal, text is None) as session:
        if session is not None:
            text = _from_editor(session, journal, "", **draft_details)
        assert text is not None  # noqa: S101 - one of the two sources ran
        try:
            return journal.write(text, date=date, **details)
        except TooLarge as exc:
            raise (keep_unsaved(journal, exc, text, session, **draft_details) if session else exc) from None
        except SAVE_FAILURES as exc:
            raise keep_unsaved(journal, exc, text, session, **draft_details) from None


def edit(
    journal: Journal,
    entry_id: int,
    changes: EntryChanges,
    *,
    when: str | None = None,
    text: str | None = None,
    use_editor: bool = False,
) -> EditResult:
    """Change an entry: the details in `changes`, the date `when`, and new words from `text` or the editor."""
    before = journal.entry(entry_id)
    if when is not None:
        changes = replace(changes, date=entry_moment(when, journal.now(), keep_time_of=before.date))
    with _editing(journal, use_editor) as session:
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
            return journal.edit(entry_id, changes, seen_updated=before.updated)
        except SAVE_FAILURES as exc:
            if text is None:
                raise
            raise keep_unsaved(journal, exc, text, session, entry_uuid=before.uuid) from None


def keep_unsaved(
    journal: Journal,
    failure: JournalError,
    text: str,
    session: editor.Session | None,
    **details: Any,
) -> JournalError:
    """After a failed save: seal the words into a draft, or say exactly where they still are."""
    try:
        number = journal.keep_draft(text, reason=failure.message, **details).number
    except (JournalError, ValueError, OSError):
        if session is not None:
            where = session.keep()
            return type(failure)(
                f"{failure.message} Your words weren't saved, and are still in {where}",
                hint="Copy them somewhere safe. The next time the journal opens, they are sealed into an "
                "encrypted draft and that file is removed.",
            )
        return type(failure)(
            f"{failure.message} Nothing was saved.",
            hint="Your text is still wherever it was piped from; try again once this is solved.",
        )
    return type(failure)(
        f"{failure.message} Your words are kept safe (encrypted) as draft {number}.",
        hint=f"`recovery-journal drafts save {number}` saves it as an entry once this is solved.",
    )


@contextlib.contextmanager
def _editing(journal: Journal, wanted: bool) -> Iterator[editor.Session | None]:
    if not wanted:
        yield None
        return
    with editor.session(
        journal.settings.scratch, journal.settings.paths.tag, journal.settings.env
    ) as session:
        yield session


def _from_editor(session: editor.Session, journal: Journal, initial: str, **details: Any) -> str:
    """Run the editor; if it fails with words in the buffer, keep them as a draft before saying so."""
    edited = session.run(initial)
    if edited.ok:
        return edited.text
    if edited.interrupted:
        stopped = Interrupted("The editor was stopped (Ctrl-C), so this wasn't saved as an entry.")
        if edited.text.strip() and edited.text != initial:
            raise keep_unsaved(journal, stopped, edited.text, session, **details)
        raise Interrupted(
            "The editor was stopped (Ctrl-C). Nothing was changed.",
            hint="Run the command again whenever you like.",
        )
    failure = EditorFailed(f"The editor closed with an error (status {edited.status}).")
    if edited.text.strip() and edited.text != initial:
        raise keep_unsaved(journal, failure, edited.text, session, **details)
    raise EditorFailed(
        f"{failure.message} Nothing was changed.", hint="Check $VISUAL / $EDITOR and try again."
    )


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")
