"""Writing and editing from the person's editor or a pipe, keeping their words when a save can't finish.

When saving fails after words were typed, they are sealed into a draft, or (if even that can't be written)
left in the private editor file; the error raised says which, and where.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.dates import entry_moment
from ..domain.entry import Entry, EntryChanges, clean_tags
from ..errors import (
    EditorFailed,
    EmptyEntry,
    Interrupted,
    InvalidEncoding,
    JournalError,
    TooLarge,
)
from . import editor
from .service import EditResult, Journal


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
    prompt: str = "",
) -> Entry | None:
    """Save a new entry from `text`, or from the editor when `text` is None (showing `prompt` above it).

    None when the editor was closed on an empty page: a choice, not an error; nothing is saved. The config
    file's default tags join `tags`; its `prompts` opens the editor on a prompt when none was asked for.
    """
    if not prompt and text is None and journal.settings.prompts:
        prompt = journal.care.choose_prompt("current")
    details: dict[str, Any] = {
        "title": title,
        "tags": clean_tags((*tags, *journal.settings.default_tags)),
        "mood": mood,
        "tender": tender,
        "starred": starred,
    }
    draft_details = {**details, "date": _iso_or_none(date)}
    with _editing(journal, text is None) as session:
        if session is not None:
            text = without_prompt(
                _from_editor(session, journal, prompt_page(prompt), **draft_details), prompt
            )
            if not text.strip():
                return None
        assert text is not None  # noqa: S101 - one of the two sources ran
        try:
            return journal.write(text, date=date, prompt=prompt, **details)
        except Exception as exc:
            # Piped text too big is still wherever it came from; anything else keeps the words first.
            if not text.strip() or (session is None and isinstance(exc, TooLarge)):
                raise
            raise keep_unsaved(journal, _failure(exc), text, session, **draft_details) from exc


_PROMPT_NOTE = (
    "> (The prompt above isn't saved in your entry. Write below, as much or as little as you like.)"
)


def prompt_page(prompt: str) -> str:
    """What the editor opens on: the prompt as a quoted line above the writing space, or nothing."""
    return f"> {prompt}\n{_PROMPT_NOTE}\n\n" if prompt else ""


def without_prompt(text: str, prompt: str) -> str:
    """The entry's words without the prompt lines the page began with (they are kept beside it instead)."""
    if not prompt:
        return text
    ours = {f"> {prompt}", f">{prompt}", _PROMPT_NOTE}
    kept = [line for line in text.split("\n") if line.strip() not in ours]
    return "\n".join(kept).strip("\n")


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
        order = journal.settings.date_order
        moment = entry_moment(when, journal.now(), keep_time_of=before.date, order=order)
        changes = replace(changes, date=moment)
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
        except Exception as exc:
            if text is None or (session is None and isinstance(exc, TooLarge)):
                raise  # details only (nothing typed), or piped text that is still where it came from
            raise keep_unsaved(journal, _failure(exc), text, session, entry_uuid=before.uuid) from exc


def keep_unsaved(
    journal: Journal,
    failure: JournalError,
    text: str,
    session: editor.Session | None,
    **details: Any,
) -> JournalError:
    """After a failed save: seal the words into a draft, or say exactly where they still are."""
    return _told(failure, _keep(journal, text, session, failure.message, **details))


@dataclass(frozen=True)
class _Kept:
    """Where unsaved words went: a sealed draft, the private editor file, or nowhere (they were piped)."""

    draft: int | None = None
    path: Path | None = None


def _keep(journal: Journal, text: str, session: editor.Session | None, reason: str, **details: Any) -> _Kept:
    try:
        return _Kept(draft=journal.keep_draft(text, reason=reason, **details).number)
    except Exception:  # whatever stops the draft too, the editor's file is still there to keep
        return _Kept(path=session.keep()) if session is not None else _Kept()


def _told(failure: JournalError, kept: _Kept) -> JournalError:
    if kept.draft is not None:
        return type(failure)(
            f"{failure.message} Your words are kept safe (encrypted) as draft {kept.draft}.",
            hint=f"`recovery-journal drafts save {kept.draft}` saves it as an entry once this is solved.",
        )
    if kept.path is not None:
        return type(failure)(
            f"{failure.message} Your words weren't saved, and are still in {kept.path}",
            hint="Copy them somewhere safe. The next time the journal opens, they are sealed into an "
            "encrypted draft and that file is removed.",
        )
    return type(failure)(
        f"{failure.message} Nothing was saved.",
        hint="Your text is still wherever it was piped from; try again once this is solved.",
    )


@contextlib.contextmanager
def _editing(journal: Journal, wanted: bool) -> Iterator[editor.Session | None]:
    if not wanted:
        yield None
        return
    current = journal.settings
    with editor.session(current.scratch, current.paths.tag, current.env, current.editor) as session:
        yield session


def _from_editor(session: editor.Session, journal: Journal, initial: str, **details: Any) -> str:
    """Run the editor; if it fails with words in the buffer, keep them as a draft before saying so."""
    edited = session.run(initial)
    if edited.ok and edited.raw is not None:
        raise _not_utf8(journal, edited.text, edited.raw, session, **details)
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


def _not_utf8(
    journal: Journal, text: str, raw: bytes, session: editor.Session, **details: Any
) -> JournalError:
    """The editor saved bytes that aren't UTF-8: keep them exactly, never with characters replaced."""
    failure = InvalidEncoding("Your editor saved the words in an encoding other than UTF-8.")
    kept = _keep(journal, text, session, failure.message, raw=raw, **details)
    if kept.draft is None:
        return _told(failure, kept)
    return InvalidEncoding(
        f"{failure.message} They aren't an entry yet, and are kept safe (encrypted), exactly as written, "
        f"as draft {kept.draft}.",
        hint=f"`recovery-journal drafts save {kept.draft} --encoding cp1252` saves them, read in your "
        "editor's encoding (cp1252, latin-1...). Setting the editor to UTF-8 avoids this next time.",
    )


def _failure(exc: Exception) -> JournalError:
    """What stopped the save, as a calm error; a bug is named by its type only (its text could hold words)."""
    if isinstance(exc, JournalError):
        return exc
    return JournalError(
        f"Something unexpected went wrong while saving ({type(exc).__name__}; please report it).",
    )


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")
