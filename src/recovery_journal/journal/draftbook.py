"""Drafts: words that couldn't be saved as an entry yet, each sealed in a file of its own until saved.

Reached as `journal.drafts`. A draft is made when a save fails, when an editor session ends before it was
saved (opening.py rescues its words), or when a safety plan can't be written; it keeps its number until it is
saved or discarded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..domain.entry import Draft, Entry, EntryChanges, clean_text
from ..errors import InvalidEncoding, InvalidInput, KeyChanged, NotFound, Tampered
from ..sealing import drafts as draft_files
from ..sealing.crypto import InvalidCiphertext

if TYPE_CHECKING:
    from .service import Journal


class SavedDraft(NamedTuple):
    """A draft saved: the entry it became, and whether it finished an edit or the edited entry was gone."""

    entry: Entry
    edited: bool = False  # a new version of the entry being edited
    entry_gone: bool = False  # it was an edit, but that entry had been deleted: saved as a new entry


@dataclass(frozen=True)
class DraftList:
    drafts: list[Draft]
    # (number, file) of drafts whose file doesn't open
    unreadable: list[tuple[int, Path]] = field(default_factory=list)


class DraftBook:
    """The drafts of one unlocked journal."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def keep(self, text: str, reason: str, **details: object) -> Draft:
        """Seal words that could not be saved into a draft file; it keeps its number until discarded."""
        draft = draft_files.new(text, reason, self.journal.now(), **details)
        self._check_key_now()
        journal = self.journal
        path = draft_files.save(journal.settings.paths.drafts, journal.cipher, journal.keys.journal_id, draft)
        try:
            self._check_key_now()  # a rotation that finished meanwhile would leave this draft unreadable
        except KeyChanged:
            path.unlink(missing_ok=True)
            raise
        return replace(draft, path=path, number=int(path.name.removesuffix(draft_files.SUFFIX)))

    def _check_key_now(self) -> None:
        with self.journal.store.read() as con:
            self.journal.check_key(con)

    def _open(self, path: Path) -> Draft:
        return draft_files.load(path, self.journal.cipher, self.journal.keys.journal_id)

    def all(self) -> DraftList:
        """Every kept draft, in number order, and the numbers and files of those that don't open."""
        kept: list[Draft] = []
        bad: list[tuple[int, Path]] = []
        for number, path in draft_files.numbered(self.journal.settings.paths.drafts):
            try:
                kept.append(self._open(path))
            except (InvalidCiphertext, OSError, ValueError):
                bad.append((number, path))
        return DraftList(drafts=kept, unreadable=bad)

    def get(self, number: int) -> Draft:
        """The draft with this number; Tampered if its file is there but can't be opened."""
        path = self.file(number)
        try:
            return self._open(path)
        except (InvalidCiphertext, OSError, ValueError):
            raise Tampered(
                f"Draft {number} couldn't be opened (damaged, or kept by another journal).",
                hint=f"`recovery-journal drafts discard {number}` removes it.",
            ) from None

    def seal_details(self, path: Path, reason: str, **details: object) -> None:
        """Seal a command's details (an empty draft) into `path`, before the editor opens."""
        draft = draft_files.new("", reason, self.journal.now(), **details)
        draft_files.write_beside(path, self.journal.cipher, self.journal.keys.journal_id, draft)

    def rescue(self, text: str, raw: bytes | None, details: Path | None) -> tuple[Draft, bool]:
        """Keep words an editor session left behind as a draft, with the details sealed beside them if any.

        Also says whether those details were there and could be read (and so are in the draft).
        """
        reason = "an editor session ended before it was saved"
        kept: Draft | None = None
        if details is not None:
            try:
                kept = self._open(details)
            except (InvalidCiphertext, OSError, ValueError):
                reason += " (its date, tags and other details couldn't be read)"
        if kept is None:
            return self.keep(text, reason=reason, raw=raw), False
        fields = {k: getattr(kept, k) for k in _DRAFT_DETAILS}
        return self.keep(text, reason=kept.reason, raw=raw, **fields), True

    def save(self, number: int, encoding: str | None = None) -> SavedDraft:
        """Turn a kept draft into an entry, or finish the edit it came from, then remove the draft.

        A draft whose words weren't UTF-8 is read in `encoding`, which must then be given. An edit whose
        entry was deleted meanwhile becomes a new entry with the details it was meant to have.
        """
        draft = self.get(number)
        text = _draft_text(draft, number, encoding)
        target = self.journal.id_for_uuid(draft.entry_uuid) if draft.entry_uuid else None
        if target is not None:
            asked = draft.changes or EntryChanges()
            entry = self.journal.edit(target, replace(asked, text=clean_text(text))).entry
        else:
            entry = self.journal.write(
                text,
                title=draft.title,
                tags=draft.tags,
                mood=draft.mood,
                date=self._draft_date(draft.date),
                tender=draft.tender,
                starred=draft.starred,
                prompt=draft.prompt,
            )
        self.discard(number)
        gone = draft.entry_uuid is not None and target is None
        return SavedDraft(entry, edited=target is not None, entry_gone=gone)

    def _draft_date(self, value: str | None) -> datetime | None:
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:  # written by hand into an early draft: read it as a typed date
            from ..domain.dates import parse_moment

            return parse_moment(value, self.journal.now())

    def file(self, number: int) -> Path:
        """The file of draft `number`, whether or not it opens; NotFound if there's none."""
        for n, path in draft_files.numbered(self.journal.settings.paths.drafts):
            if n == number:
                return path
        raise NotFound(
            f"There's no draft {number}.",
            hint="`recovery-journal drafts` lists the kept drafts and their numbers.",
        )

    def discard(self, number: int) -> None:
        """Remove a draft, including one whose file can't be opened."""
        self.file(number).unlink(missing_ok=True)


# What a draft carries besides its words: copied whole when words an editor left are rescued.
_DRAFT_DETAILS = ("title", "tags", "mood", "date", "entry_uuid", "tender", "starred", "prompt", "changes")


def _draft_text(draft: Draft, number: int, encoding: str | None) -> str:
    """A draft's words: as kept, or, when the editor didn't write UTF-8, its bytes read in `encoding`."""
    if draft.raw is None:
        return draft.text
    if encoding is None:
        raise InvalidEncoding(
            f"Draft {number} isn't UTF-8 (the editor used another encoding), so it isn't saved yet.",
            hint="Give the encoding your editor used: "
            f"recovery-journal drafts save {number} --encoding cp1252 (or latin-1...). Nothing is lost.",
        )
    try:
        return draft.raw.decode(encoding).removeprefix("\ufeff")
    except LookupError:
        raise InvalidInput(
            f"'{encoding}' isn't an encoding this knows.",
            hint="Common ones: cp1252, latin-1, utf-16, mac-roman. Nothing was changed.",
        ) from None
    except UnicodeDecodeError:
        raise InvalidEncoding(
            f"Draft {number} doesn't read as {encoding}.",
            hint="Try another encoding; `recovery-journal drafts show` shows it as best it can. "
            "Nothing was changed.",
        ) from None
