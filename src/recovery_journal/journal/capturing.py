"""Quick capture: save words in a hard moment without the passphrase (sealing/capture.py has the format).

The words are sealed to the journal's public key and wait in its inbox; the next unlocked command brings them
in (Journal.fold_captures). Nothing here can read them back.
"""

from __future__ import annotations

import contextlib
import uuid as uuidlib
from datetime import datetime
from pathlib import Path
from typing import Literal

from ..domain.entry import clean_tags, clean_text, with_inline_tags
from ..errors import EditorFailed, EmptyEntry, Interrupted, InvalidInput, JournalError
from ..sealing import capture, vault
from ..settings import Settings
from ..storage.store import Store
from . import editor, opening
from .service import local_now


def gentle_offer(settings: Settings, text: str) -> Literal["danger", "harmed", "plain", "words"] | None:
    """The gentle check for words just captured (no key, so the journal's own on/off isn't known: on):
    which calm line to offer, the emergency number first when the words say danger; None for none."""
    if settings.gentle_checks is False:
        return None
    from ..care import gentle

    return gentle.line_for(gentle.concern(text))


def capture_entry(
    settings: Settings,
    text: str | None,
    *,
    title: str = "",
    tags: tuple[str, ...] = (),
    mood: int | None = None,
    date: datetime | None = None,
    tender: bool = False,
    starred: bool = False,
    announce: editor.Announce | None = None,
) -> tuple[Path, str] | None:
    """Seal an entry into the inbox, from `text` or (when None) the editor; return the capture's file and
    the words kept (for the gentle check, which reads them in memory whichever way they came).

    None when the editor was closed on an empty page (nothing is kept, and that is not an error)."""
    public, journal_id = _public_key(settings)
    session = (
        editor.session(settings.scratch, settings.paths.tag, settings.env, settings.editor)
        if text is None
        else None
    )
    with session or contextlib.nullcontext() as s:
        if s is not None:
            text = _from_editor(s, announce)
        assert text is not None  # noqa: S101 - one of the two sources ran
        if not text.strip():
            if s is not None:  # the editor closed on an empty page: a choice, not an error
                return None
            raise EmptyEntry("Nothing written, so nothing was kept.")
        captured = capture.Captured(
            uuid=str(uuidlib.uuid4()),
            text=clean_text(text),
            captured=local_now(),
            title=title,
            tags=clean_tags(  # the config file's default tags join every new entry
                (*(with_inline_tags(tags, text) if settings.inline_tags else tags), *settings.default_tags)
            ),
            mood=mood,
            date=None if date is None else date.isoformat(timespec="seconds"),
            tender=tender,
            starred=starred,
        )
        try:
            return capture.save(settings.paths.inbox, public, journal_id, captured), captured.text
        except JournalError as exc:
            if s is None:  # words given, not typed here: the caller says what became of them
                raise
            where = s.keep()
            raise type(exc)(
                f"{exc.message} Your words weren't kept, and are still in {where}",
                hint="Copy them somewhere safe. The next time the journal opens, they are sealed into an "
                "encrypted draft and that file is removed.",
            ) from None


def _public_key(settings: Settings) -> tuple[bytes, str]:
    opening.require_journal(settings)
    store = Store.peek(settings.paths, settings.lock_timeout)  # a journal waiting to upgrade stays as it is
    try:
        with store.read() as con:
            public, journal_id = capture.public_key(con), vault.journal_id(con)
    finally:
        store.close()
    if public is None:
        raise InvalidInput(
            "Quick capture isn't set up for this journal yet.",
            hint="Open it once with your passphrase (`recovery-journal list` will do); after that, "
            "capture works without it.",
        )
    return public, journal_id


def _from_editor(session: editor.Session, announce: editor.Announce | None) -> str:
    edited = session.run("", announce)
    if edited.ok and edited.raw is None:
        return edited.text
    if edited.text.strip():
        where = session.keep()  # no key here to seal a draft with: the file waits for the next open
        raise EditorFailed(
            "The editor didn't close cleanly"
            + (" (its text isn't UTF-8)" if edited.ok else "")
            + f", so this wasn't captured. Your words are still in {where}",
            hint="The next time the journal opens, they are sealed into an encrypted draft.",
        )
    if edited.interrupted:
        raise Interrupted("The editor was stopped (Ctrl-C). Nothing was kept.")
    raise EditorFailed(
        f"The editor closed with an error (status {edited.status}). Nothing was kept.",
        hint="Check $VISUAL / $EDITOR and try again.",
    )
