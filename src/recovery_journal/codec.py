"""Between opened entries and sealed rows: each field sealed alone, bound to its table, column and row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .crypto import FieldCipher, InvalidCiphertext, field_ad
from .entry import Entry, Revision
from .errors import Tampered
from .stages.record import StageRecord

TAMPERED_HINT = (
    "The other entries are fine. `recovery-journal doctor` lists every affected record; "
    "a backup holds a good copy."
)


def tampered(entry_id: int, what: str = "Entry") -> Tampered:
    return Tampered(
        f"{what} {entry_id} couldn't be opened: it was changed outside recovery-journal, or damaged.",
        hint=TAMPERED_HINT,
    )


def _encode(field: str, value: Any) -> bytes:
    if field in ("date", "created", "updated"):
        return bytes(value.isoformat(timespec="seconds"), "utf-8")
    if field in ("title", "text"):
        return bytes(value, "utf-8")
    if field == "mood":
        return b"" if value is None else str(value).encode()
    raise ValueError(field)


def seal_fields(cipher: FieldCipher, uuid: str, values: dict[str, Any]) -> dict[str, bytes | None]:
    """Seal the given entry fields of the entry `uuid` (a stage not yet known stays NULL)."""
    sealed: dict[str, bytes | None] = {}
    for name, value in values.items():
        ad = field_ad("entries", name, uuid)
        if name == "stage":
            sealed[name] = None if value is None else cipher.seal_json(value.to_json(), ad)
        elif name == "tags":
            sealed[name] = cipher.seal_json(list(value), ad)
        else:
            sealed[name] = cipher.seal(_encode(name, value), ad)
    return sealed


def open_field(cipher: FieldCipher, uuid: str, name: str, sealed: object) -> Any:
    """Open one sealed entry field; InvalidCiphertext if it fails authentication or does not decode."""
    if name == "stage" and sealed is None:
        return None
    if not isinstance(sealed, bytes):
        raise InvalidCiphertext("not a sealed value")
    ad = field_ad("entries", name, uuid)
    if name == "stage":
        try:
            return StageRecord.from_json(cipher.open_json(sealed, ad))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidCiphertext("stage does not decode") from exc
    if name == "tags":
        tags = cipher.open_json(sealed, ad)
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise InvalidCiphertext("tags are not a list of text")
        return tuple(tags)
    raw = cipher.open(sealed, ad)
    try:
        if name in ("date", "created", "updated"):
            moment = datetime.fromisoformat(raw.decode("ascii"))
            if moment.tzinfo is None:
                raise ValueError("no offset")
            return moment
        if name in ("title", "text"):
            return raw.decode("utf-8")
        if name == "mood":
            return int(raw) if raw else None
    except ValueError as exc:
        raise InvalidCiphertext(f"{name} does not decode") from exc
    raise ValueError(name)


def open_entry(cipher: FieldCipher, row: Sequence[Any], fields: Sequence[str], revisions: int = 0) -> Entry:
    """Open a full entry row (id, uuid, *fields); Tampered names the entry if any field fails."""
    entry_id, uuid = int(row[0]), str(row[1])
    try:
        values = {name: open_field(cipher, uuid, name, row[2 + i]) for i, name in enumerate(fields)}
    except InvalidCiphertext:
        raise tampered(entry_id) from None
    return Entry(id=entry_id, uuid=uuid, revisions=revisions, **values)


def snapshot_ad(revision_uuid: str, entry_uuid: str) -> bytes:
    return field_ad("revisions", "snapshot", revision_uuid, entry_uuid)


def seal_snapshot(cipher: FieldCipher, revision_uuid: str, entry: Entry, replaced: datetime) -> bytes:
    """Seal how an entry looked before a change."""
    snapshot = {
        "date": entry.date.isoformat(timespec="seconds"),
        "title": entry.title,
        "text": entry.text,
        "tags": list(entry.tags),
        "mood": entry.mood,
        "replaced": replaced.isoformat(timespec="seconds"),
    }
    return cipher.seal_json(snapshot, snapshot_ad(revision_uuid, entry.uuid))


def open_snapshot(
    cipher: FieldCipher, number: int, revision_uuid: str, entry_uuid: str, sealed: bytes
) -> Revision:
    """Open an earlier version; InvalidCiphertext if it fails authentication or is malformed."""
    raw = cipher.open_json(sealed, snapshot_ad(revision_uuid, entry_uuid))
    try:
        mood = raw["mood"]
        if mood is not None and not isinstance(mood, int):
            raise TypeError("mood")
        return Revision(
            number=number,
            uuid=revision_uuid,
            replaced=datetime.fromisoformat(raw["replaced"]),
            date=datetime.fromisoformat(raw["date"]),
            title=str(raw["title"]),
            text=str(raw["text"]),
            tags=tuple(str(t) for t in raw["tags"]),
            mood=mood,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidCiphertext("snapshot does not decode") from exc
