"""Sealed drafts: words that could not be saved as an entry, kept encrypted until the person decides.

File format: "Drafts" in docs/encryption.md.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import os
import secrets
import uuid as uuidlib
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.entry import Draft, EntryChanges
from ..paths import DRAFT_TMP
from ..storage.files import fsync_folder, os_error, secure_folder, write_all, write_new
from .crypto import FieldCipher, InvalidCiphertext, field_ad

MAGIC = b"RJDRAFT"
VERSION = 2  # 2 adds `prompt` and, for an edit, `changes`; version 1 drafts are still read
READS = (1, 2)
SUFFIX = ".rjdraft"


def _ad(journal_id: str, draft_uuid: str) -> bytes:
    return field_ad("drafts", "content", journal_id, draft_uuid)


def _blob(cipher: FieldCipher, journal_id: str, draft: Draft) -> bytes:
    payload = {
        "text": draft.text,
        "title": draft.title,
        "tags": list(draft.tags),
        "mood": draft.mood,
        "date": draft.date,
        "saved": draft.saved.isoformat(timespec="seconds"),
        "reason": draft.reason,
        "entry_uuid": draft.entry_uuid,
        "tender": draft.tender,
        "starred": draft.starred,
        "prompt": draft.prompt,
        "changes": None if draft.changes is None else _changes_json(draft.changes),
    }
    if draft.raw is not None:
        payload["raw"] = base64.b64encode(draft.raw).decode("ascii")
    sealed = cipher.seal_json(payload, _ad(journal_id, draft.uuid))
    return MAGIC + bytes((VERSION,)) + uuidlib.UUID(draft.uuid).bytes + sealed


def _changes_json(changes: EntryChanges) -> dict[str, Any]:
    return {
        "title": changes.title,
        "tags": None if changes.tags is None else list(changes.tags),
        "mood": changes.mood,
        "clear_mood": changes.clear_mood,
        "date": None if changes.date is None else changes.date.isoformat(timespec="seconds"),
        "tender": changes.tender,
        "starred": changes.starred,
    }


def _changes(raw: Any) -> EntryChanges | None:
    if raw is None:
        return None
    return EntryChanges(
        title=None if raw["title"] is None else str(raw["title"]),
        tags=None if raw["tags"] is None else tuple(str(t) for t in raw["tags"]),
        mood=None if raw["mood"] is None else int(raw["mood"]),
        clear_mood=bool(raw["clear_mood"]),
        date=None if raw["date"] is None else datetime.fromisoformat(raw["date"]),
        tender=None if raw["tender"] is None else bool(raw["tender"]),
        starred=None if raw["starred"] is None else bool(raw["starred"]),
    )


def save(folder: Path, cipher: FieldCipher, journal_id: str, draft: Draft) -> Path:
    """Seal a draft into its own file, written whole or not at all."""
    blob = _blob(cipher, journal_id, draft)
    secure_folder(folder)
    tmp = folder / f"{DRAFT_TMP}{os.getpid()}-{draft.uuid}-{secrets.token_hex(4)}.tmp"
    try:
        write_new(tmp, blob)
        if tmp.read_bytes() != blob:  # read back before anyone deletes the plain words this replaces
            raise OSError(errno.EIO, "the draft did not read back as written")
        number = max([n for n, _ in numbered(folder)], default=0) + 1
        while True:  # claim the next free number; a link never replaces a file, so two windows can't collide
            final = folder / f"{number}{SUFFIX}"
            try:
                os.link(tmp, final)
                break
            except FileExistsError:
                number += 1
        tmp.unlink()
        fsync_folder(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error(exc, folder) from None
    return final


def replace(path: Path, cipher: FieldCipher, journal_id: str, draft: Draft) -> None:
    """Re-seal a draft in place (a key rotation): a temporary file, then renamed over its number."""
    blob = _blob(cipher, journal_id, draft)
    tmp = path.with_name(f"{DRAFT_TMP}{os.getpid()}-{draft.uuid}-{secrets.token_hex(4)}.tmp")
    try:
        write_new(tmp, blob)
        tmp.replace(path)
        fsync_folder(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error(exc, path.parent) from None


def load(path: Path, cipher: FieldCipher, journal_id: str) -> Draft:
    """Open one draft file (either version); InvalidCiphertext if it is damaged, foreign or edited."""
    blob = path.read_bytes()
    header = len(MAGIC) + 1 + 16
    if len(blob) < header or not blob.startswith(MAGIC) or blob[len(MAGIC)] not in READS:
        raise InvalidCiphertext("not a draft of a known version")
    draft_uuid = str(uuidlib.UUID(bytes=blob[len(MAGIC) + 1 : header]))
    raw: Any = cipher.open_json(blob[header:], _ad(journal_id, draft_uuid))
    stem = path.name.removesuffix(SUFFIX)
    try:
        return Draft(
            uuid=draft_uuid,
            text=str(raw["text"]),
            saved=datetime.fromisoformat(raw["saved"]),
            reason=str(raw["reason"]),
            title=str(raw.get("title") or ""),
            tags=tuple(str(t) for t in raw.get("tags") or ()),
            mood=raw.get("mood"),
            date=raw.get("date"),
            entry_uuid=raw.get("entry_uuid"),
            tender=bool(raw.get("tender", False)),
            starred=bool(raw.get("starred", False)),
            prompt=str(raw.get("prompt") or ""),
            changes=_changes(raw.get("changes")),
            raw=None if raw.get("raw") is None else base64.b64decode(raw["raw"], validate=True),
            path=path,
            number=int(stem) if stem.isdigit() else 0,
        )
    except (KeyError, TypeError, ValueError) as exc:  # binascii.Error is a ValueError
        raise InvalidCiphertext("draft does not decode") from exc


def write_beside(path: Path, cipher: FieldCipher, journal_id: str, draft: Draft) -> None:
    """Seal a draft into `path`, a new file (an editor session's details, in its private folder)."""
    blob = _blob(cipher, journal_id, draft)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise os_error(exc, path.parent) from None
    try:
        try:
            write_all(fd, blob)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()  # half a file would only fail to open later
        raise os_error(exc, path.parent) from None


def numbered(folder: Path) -> list[tuple[int, Path]]:
    """Every draft file with its number (from its name, `N.rjdraft`), in order."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        stem = path.name.removesuffix(SUFFIX)
        if path.name.endswith(SUFFIX) and stem.isdigit():
            found.append((int(stem), path))
    return sorted(found)


def new(text: str, reason: str, now: datetime, **details: Any) -> Draft:
    return Draft(uuid=str(uuidlib.uuid4()), text=text, saved=now, reason=reason, **details)
