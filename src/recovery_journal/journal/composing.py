"""Writing and editing from the person's editor, the terminal or a pipe, keeping their words when a save
can't finish.

The command's details are sealed beside the editor's file before it opens, so words a killed session leaves
are kept with them. When saving fails after words were typed, they are sealed into a draft with every detail,
or (if even that can't be written) left in the private editor file; the error raised says which, and where.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

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


class Typed(NamedTuple):
    """What was typed at the terminal, and whether it was stopped (Ctrl-C) rather than finished (Ctrl-D)."""

    text: str
    stopped: bool = False
    raw: bytes | None = None  # the bytes typed, when they aren't UTF-8


# Reads an entry typed at the terminal (the face's), told whether that's because no editor was found, and the
# prompt being written to ("" for none).
ReadTyped = Callable[[bool, str], Typed]


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
    announce: editor.Announce | None = None,
    typed: ReadTyped | None = None,
    inline: bool = False,
) -> Entry | None:
    """Save a new entry from `text`; when it is None, from the editor (showing `prompt` above the page), or
    from `typed` with `inline` or when there is no editor.

    None when the page was left empty (the editor closed on it, or Ctrl-D came first): a choice, not an error.
    The config file's default tags join `tags`; its `prompts` opens the editor on a prompt if none was asked.
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
    draft_details = {**details, "date": _iso_or_none(date), "prompt": prompt}
    if (
        text is None
        and typed is not None
        and (inline or not editor.available(journal.settings.env, journal.settings.editor))
    ):
        text = _from_terminal(journal, typed(not inline, prompt), **draft_details)
        if not text.strip():
            return None
        return _save_typed(journal, text, date, prompt, details, draft_details)
    with _editing(journal, text is None) as session:
        if session is not None:
            _seal_details(journal, session, **draft_details)
            page = prompt_page(prompt)
            text = without_prompt(_from_editor(session, journal, page, announce, **draft_details), prompt)
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


def _save_typed(
    journal: Journal,
    text: str,
    date: datetime | None,
    prompt: str,
    details: dict[str, Any],
    draft_details: dict[str, Any],
) -> Entry:
    """Save words typed at the terminal; they exist nowhere else, so a failure keeps them as a draft."""
    try:
        return journal.write(text, date=date, prompt=prompt, **details)
    except Exception as exc:
        raise keep_unsaved(journal, _failure(exc), text, None, typed=True, **draft_details) from exc


def _from_terminal(journal: Journal, got: Typed, **details: Any) -> str:
    """The typed words; stopped with words, or not UTF-8, they are kept as a draft before saying so."""
    if got.raw is not None:
        raise _not_utf8(journal, got.text, got.raw, None, **details)
    if not got.stopped:
        return got.text
    if got.text.strip():
        stopped = Interrupted("Stopped (Ctrl-C) before the end, so this wasn't saved as an entry.")
        raise keep_unsaved(journal, stopped, got.text, None, typed=True, **details)
    raise Interrupted("Stopped. Nothing was saved.", hint="Run the command again whenever you like.")


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
    announce: editor.Announce | None = None,
) -> EditResult:
    """Change an entry: the details in `changes`, the date `when`, and new words from `text` or the editor."""
    before = journal.entry(entry_id)
    if when is not None:
        order = journal.settings.date_order
        moment = entry_moment(when, journal.now(), keep_time_of=before.date, order=order)
        changes = replace(changes, date=moment)
    details = _edit_details(before, changes)
    with _editing(journal, use_editor) as session:
        if session is not None:
            _seal_details(journal, session, **details)
            text = _from_editor(session, journal, before.text + "\n", announce, **details)
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
            raise keep_unsaved(journal, _failure(exc), text, session, **details) from exc


def _edit_details(before: Entry, changes: EntryChanges) -> dict[str, Any]:
    """What a draft of this edit keeps: the entry as it is meant to become, its UUID, and what was asked."""
    return {
        "title": before.title if changes.title is None else changes.title,
        "tags": before.tags if changes.tags is None else changes.tags,
        "mood": None if changes.clear_mood else (before.mood if changes.mood is None else changes.mood),
        "date": _iso_or_none(before.date if changes.date is None else changes.date),
        "tender": before.tender if changes.tender is None else changes.tender,
        "starred": before.starred if changes.starred is None else changes.starred,
        "entry_uuid": before.uuid,
        "changes": replace(changes, text=None),
    }


def _seal_details(journal: Journal, session: editor.Session, **details: Any) -> None:
    """Before the editor opens: the details, sealed beside its file, for words a killed session leaves."""
    journal.drafts.seal_details(
        session.folder / editor.DETAILS_NAME, "an editor session ended before it was saved", **details
    )


def keep_unsaved(
    journal: Journal,
    failure: JournalError,
    text: str,
    session: editor.Session | None,
    typed: bool = False,
    **details: Any,
) -> JournalError:
    """After a failed save: seal the words into a draft, or say exactly where they still are.

    `typed`: the words were typed at the terminal (not piped), so they exist nowhere else.
    """
    kept = _keep(journal, text, session, failure.message, **details)
    return _told(failure, kept._replace(typed=typed))


class _Kept(NamedTuple):
    """Where unsaved words went: a sealed draft, the private editor file, or nowhere (piped or typed)."""

    draft: int | None = None
    path: Path | None = None
    typed: bool = False


def _keep(journal: Journal, text: str, session: editor.Session | None, reason: str, **details: Any) -> _Kept:
    try:
        return _Kept(draft=journal.drafts.keep(text, reason=reason, **details).number)
    except Exception:  # whatever stops the draft too, the editor's file is still there to keep
        return _Kept(path=session.keep()) if session is not None else _Kept()


def _told(failure: JournalError, kept: _Kept) -> JournalError:
    if kept.draft is not None:
        return type(failure)(
            f"{failure.message} Your words are kept safe (encrypted) as draft {kept.draft}.",
            hint=f"When you're ready, `recovery-journal drafts save {kept.draft}` saves it as an entry.",
        )
    if kept.path is not None:
        return type(failure)(
            f"{failure.message} Your words weren't saved, and are still in {kept.path}",
            hint="Copy them somewhere safe. The next time the journal opens, they are sealed into an "
            "encrypted draft and that file is removed.",
        )
    if kept.typed:
        return type(failure)(
            f"{failure.message} Nothing was saved, and a draft couldn't be kept either.",
            hint="Your words are still on the screen above: copy them somewhere safe before closing it.",
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


def _from_editor(
    session: editor.Session,
    journal: Journal,
    initial: str,
    announce: editor.Announce | None,
    **details: Any,
) -> str:
    """Run the editor; if it fails with words in the buffer, keep them as a draft before saying so."""
    edited = session.run(initial, announce)
    if edited.ok and edited.raw is not None:
        raise _not_utf8(journal, edited.text, edited.raw, session, **details)
    if edited.ok:
        return edited.text
    changed = edited.text.strip() and edited.text != initial
    if edited.hung_up:  # the terminal closed: the person never chose to save, so never an entry
        closed = Interrupted(
            "The terminal closed while the editor was open, so this wasn't saved as an entry."
        )
        if changed:
            raise keep_unsaved(journal, closed, edited.text, session, raw=edited.raw, **details)
        raise Interrupted(f"{closed.message} Nothing was changed.")
    if edited.interrupted:
        stopped = Interrupted("The editor was stopped (Ctrl-C), so this wasn't saved as an entry.")
        if changed:
            raise keep_unsaved(journal, stopped, edited.text, session, raw=edited.raw, **details)
        raise Interrupted(
            "The editor was stopped (Ctrl-C). Nothing was changed.",
            hint="Run the command again whenever you like.",
        )
    failure = EditorFailed(f"The editor closed with an error (status {edited.status}).")
    if changed:
        raise keep_unsaved(journal, failure, edited.text, session, raw=edited.raw, **details)
    raise EditorFailed(
        f"{failure.message} Nothing was changed.", hint="Check $VISUAL / $EDITOR and try again."
    )


def _not_utf8(
    journal: Journal, text: str, raw: bytes, session: editor.Session | None, **details: Any
) -> JournalError:
    """The words came as bytes that aren't UTF-8: keep them exactly, never with characters replaced."""
    source = "Your editor saved" if session is not None else "The terminal sent"
    failure = InvalidEncoding(f"{source} the words in an encoding other than UTF-8.")
    kept = _keep(journal, text, session, failure.message, raw=raw, **details)
    if kept.draft is None:
        return _told(failure, kept._replace(typed=session is None))
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
