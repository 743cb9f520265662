"""Milestones: moments worth marking ("first boundary held", "ninety days no contact"), every field sealed."""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import InvalidDate, InvalidInput, NotFound
from ..sealing.codec import tampered
from ..sealing.crypto import FieldCipher, InvalidCiphertext, field_ad
from ..storage.queries import storable

if TYPE_CHECKING:
    from .service import Journal

KINDS = ("boundary", "no-contact", "therapy", "first", "celebration", "other")
MAX_TEXT = 200
MAX_NOTE = 2000
_FIELDS = ("date", "kind", "text", "note", "created")


@dataclass(frozen=True)
class Milestone:
    id: int
    uuid: str
    date: date
    kind: str
    text: str
    note: str
    created: datetime


def check_kind(kind: str) -> str:
    cleaned = kind.strip().lower().replace("_", "-").replace(" ", "-")
    if cleaned == "nocontact":
        cleaned = "no-contact"
    if cleaned not in KINDS:
        raise InvalidInput(f"'{kind}' isn't a kind of milestone.", hint=f"Use one of: {', '.join(KINDS)}.")
    return cleaned


def check_text(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("A milestone needs a few words.", hint='For example: "First boundary held".')
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(
            f"Milestone text can be up to {MAX_TEXT} characters.", hint="Put the rest in --note."
        )
    return cleaned


def check_note(note: str) -> str:
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            f"A note can be up to {MAX_NOTE} characters.", hint="Keep the longer story in an entry."
        )
    return note.strip()


def check_day(day: date, today: date) -> date:
    if day > today:
        raise InvalidDate(f"{day} is in the future.", hint="Milestones mark something already reached.")
    return day


def seal(cipher: FieldCipher, milestone: Milestone, names: tuple[str, ...] = _FIELDS) -> dict[str, bytes]:
    """Seal a milestone's fields, each bound to its row."""
    sealed = {}
    for name in names:
        value = getattr(milestone, name)
        raw = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
        sealed[name] = cipher.seal_text(raw, field_ad("milestones", name, milestone.uuid))
    return sealed


def insert(con: sqlite3.Connection, cipher: FieldCipher, milestone: Milestone, keep_id: bool = False) -> int:
    sealed = seal(cipher, milestone)
    cursor = con.execute(
        "INSERT INTO milestones (id, uuid, date, kind, text, note, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (milestone.id if keep_id else None, milestone.uuid, *(sealed[n] for n in _FIELDS)),
    )
    return int(cursor.lastrowid or 0)


def open_row(cipher: FieldCipher, row: tuple[Any, ...]) -> Milestone:
    """Open a (id, uuid, date, kind, text, note, created) row; Tampered names the milestone if it fails."""
    milestone_id, milestone_uuid = int(row[0]), str(row[1])
    try:
        raw = {
            n: cipher.open_text(row[2 + i], field_ad("milestones", n, milestone_uuid))
            for i, n in enumerate(_FIELDS)
        }
        return Milestone(
            id=milestone_id,
            uuid=milestone_uuid,
            date=date.fromisoformat(raw["date"]),
            kind=raw["kind"],
            text=raw["text"],
            note=raw["note"],
            created=datetime.fromisoformat(raw["created"]),
        )
    except (InvalidCiphertext, ValueError, TypeError):
        raise tampered(milestone_id, "Milestone") from None


class MilestoneBook:
    """Milestone operations on one unlocked journal (reached as `journal.milestones`)."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def _open(self, row: tuple[Any, ...]) -> Milestone:
        return open_row(self.journal.cipher, row)

    def add(self, text: str, *, day: date | None = None, kind: str = "other", note: str = "") -> Milestone:
        now = self.journal.now()
        milestone = Milestone(
            id=0,
            uuid=str(uuidlib.uuid4()),
            date=check_day(day or now.date(), now.date()),
            kind=check_kind(kind),
            text=check_text(text),
            note=check_note(note),
            created=now,
        )
        with self.journal.store.write() as con:
            new_id = insert(con, self.journal.cipher, milestone)
        return replace(milestone, id=new_id)

    def all(self) -> list[Milestone]:
        """Every milestone, oldest first; raises Tampered naming the first that fails to open."""
        with self.journal.store.read() as con:
            rows = con.execute("SELECT id, uuid, date, kind, text, note, created FROM milestones").fetchall()
        return sorted((self._open(r) for r in rows), key=lambda m: (m.date, m.id))

    def get(self, milestone_id: int) -> Milestone:
        with self.journal.store.read() as con:
            return self._get(con, milestone_id)

    def _get(self, con: sqlite3.Connection, milestone_id: int) -> Milestone:
        row = None
        if storable(milestone_id):
            query = "SELECT id, uuid, date, kind, text, note, created FROM milestones WHERE id = ?"
            row = con.execute(query, (milestone_id,)).fetchone()
        if row is None:
            raise _no_milestone(milestone_id)
        return self._open(row)

    def edit(
        self,
        milestone_id: int,
        *,
        text: str | None = None,
        day: date | None = None,
        kind: str | None = None,
        note: str | None = None,
    ) -> Milestone:
        today = self.journal.now().date()
        with self.journal.store.write() as con:
            current = self._get(con, milestone_id)
            new = replace(
                current,
                text=current.text if text is None else check_text(text),
                date=current.date if day is None else check_day(day, today),
                kind=current.kind if kind is None else check_kind(kind),
                note=current.note if note is None else check_note(note),
            )
            sealed = seal(self.journal.cipher, new, ("date", "kind", "text", "note"))
            con.execute(
                "UPDATE milestones SET date = ?, kind = ?, text = ?, note = ? WHERE id = ?",
                (sealed["date"], sealed["kind"], sealed["text"], sealed["note"], milestone_id),
            )
        return new

    def delete(self, milestone_id: int) -> None:
        with self.journal.store.write() as con:
            deleted = storable(milestone_id) and (
                con.execute("DELETE FROM milestones WHERE id = ?", (milestone_id,)).rowcount > 0
            )
            if not deleted:
                raise _no_milestone(milestone_id)


def _no_milestone(milestone_id: int) -> NotFound:
    return NotFound(
        f"There's no milestone {milestone_id}.", hint="`recovery-journal milestone list` shows them."
    )
