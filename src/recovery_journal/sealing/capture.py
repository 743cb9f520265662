"""Quick capture: words sealed to the journal's public key, without the passphrase, into its inbox.

Implements "Quick capture" in docs/encryption.md. Only the journal's private key (itself sealed under the data
key) opens a capture, so not even the person who just wrote it can read it back until they unlock.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import uuid as uuidlib
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from ..paths import CAPTURE_TMP
from ..storage import queries
from ..storage.files import secure_folder, write_private
from .crypto import (
    FieldCipher,
    InvalidCiphertext,
    capture_keypair,
    field_ad,
    open_sealed_to,
    public_of,
    seal_to,
)

MAGIC = b"RJCAPTURE"
VERSION = 1
SUFFIX = ".rjcapture"
PUBLIC_KEY = "capture_public"
PRIVATE_KEY = "capture_private"
_HEADER = len(MAGIC) + 1 + 16


class Captured(NamedTuple):
    """One capture's contents, opened."""

    uuid: str
    text: str
    captured: datetime
    title: str = ""
    tags: tuple[str, ...] = ()
    mood: int | None = None
    date: str | None = None  # when it is about, as given (ISO 8601); None means when it was captured
    tender: bool = False
    starred: bool = False


def set_up(con: sqlite3.Connection, cipher: FieldCipher, journal_id: str) -> None:
    """Make the journal's capture key pair, unless it has one; inside the caller's transaction."""
    if public_key(con) is not None:
        return
    private, public = capture_keypair()
    queries.put_meta(con, PUBLIC_KEY, base64.b64encode(public).decode("ascii"))
    sealed = cipher.seal(private, _private_ad(journal_id))
    queries.put_meta(con, PRIVATE_KEY, base64.b64encode(sealed).decode("ascii"))


def public_key(con: sqlite3.Connection) -> bytes | None:
    raw = queries.meta_value(con, PUBLIC_KEY)
    if raw is None:
        return None
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError:
        return None
    return key if len(key) == 32 else None


def private_key(con: sqlite3.Connection, cipher: FieldCipher, journal_id: str) -> bytes:
    """The capture private key; InvalidCiphertext if it is missing or doesn't open."""
    raw = queries.meta_value(con, PRIVATE_KEY)
    if raw is None:
        raise InvalidCiphertext("no capture key")
    try:
        return cipher.open(base64.b64decode(raw, validate=True), _private_ad(journal_id))
    except ValueError as exc:
        raise InvalidCiphertext("capture key does not decode") from exc


def key_pair_whole(con: sqlite3.Connection, cipher: FieldCipher, journal_id: str) -> bool | None:
    """Whether the sealed private key opens and belongs to the public one; None for a journal without them."""
    public = public_key(con)
    if public is None and queries.meta_value(con, PRIVATE_KEY) is None:
        return None
    try:
        return public is not None and public_of(private_key(con, cipher, journal_id)) == public
    except (InvalidCiphertext, ValueError):
        return False


def reseal_private(con: sqlite3.Connection, old: FieldCipher, new: FieldCipher, journal_id: str) -> None:
    """Re-seal the capture private key under a new data key (a rotation); the key pair itself stays."""
    if queries.meta_value(con, PRIVATE_KEY) is None:
        return
    private = private_key(con, old, journal_id)
    sealed = new.seal(private, _private_ad(journal_id))
    queries.put_meta(con, PRIVATE_KEY, base64.b64encode(sealed).decode("ascii"))


def save(folder: Path, public: bytes, journal_id: str, captured: Captured) -> Path:
    """Seal a capture into the inbox, written whole or not at all."""
    payload = {
        "text": captured.text,
        "title": captured.title,
        "tags": list(captured.tags),
        "mood": captured.mood,
        "date": captured.date,
        "tender": captured.tender,
        "starred": captured.starred,
        "captured": captured.captured.isoformat(timespec="seconds"),
    }
    plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    blob = (
        MAGIC
        + bytes((VERSION,))
        + uuidlib.UUID(captured.uuid).bytes
        + seal_to(public, plaintext, _ad(journal_id, captured.uuid))
    )
    secure_folder(folder)
    final = folder / f"{captured.uuid}{SUFFIX}"
    write_private(final, blob, tmp_prefix=CAPTURE_TMP)
    return final


def load(path: Path, private: bytes, journal_id: str) -> Captured:
    """Open one capture; InvalidCiphertext if it is damaged, foreign or edited."""
    blob = path.read_bytes()
    if len(blob) < _HEADER or not blob.startswith(MAGIC) or blob[len(MAGIC)] != VERSION:
        raise InvalidCiphertext("not a capture of a known version")
    capture_uuid = str(uuidlib.UUID(bytes=blob[len(MAGIC) + 1 : _HEADER]))
    opened = open_sealed_to(private, blob[_HEADER:], _ad(journal_id, capture_uuid))
    try:
        raw: Any = json.loads(opened)
        mood = raw.get("mood")
        if mood is not None and (type(mood) is not int or not 1 <= mood <= 10):
            raise ValueError("mood out of range")
        date = raw.get("date")
        if date is not None:
            _aware(date)  # anyone with the public key can write a capture: check every field
        return Captured(
            uuid=capture_uuid,
            text=str(raw["text"]),
            captured=_aware(raw["captured"]),
            title=str(raw.get("title") or ""),
            tags=tuple(str(t) for t in raw.get("tags") or ()),
            mood=mood,
            date=date,
            tender=bool(raw.get("tender", False)),
            starred=bool(raw.get("starred", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidCiphertext("capture does not decode") from exc


def waiting(folder: Path) -> list[Path]:
    """The captures in the inbox, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: (p.stat().st_mtime, p.name))


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a capture's times carry their offset")
    return moment


def _ad(journal_id: str, capture_uuid: str) -> bytes:
    return b"rj1-capture\x1f" + journal_id.encode("utf-8") + b"\x1f" + capture_uuid.encode("ascii")


def _private_ad(journal_id: str) -> bytes:
    return field_ad("meta", PRIVATE_KEY, journal_id)
