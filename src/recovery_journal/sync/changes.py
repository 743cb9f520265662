"""The sync folder's file formats ("Sync folder" in docs/encryption.md): change files and manifests.

Pure functions over bytes and keys: sealing, opening and checking; nothing here touches a file or a journal.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from ..sealing import crypto

CHANGE_MAGIC = b"RJSYNC"
MANIFEST_MAGIC = b"RJSYNCM"
VERSION = 1
FORMAT = 1
_SYNC_INFO = b"recovery-journal/v1/sync"
_CHANGE_AD = b"recovery-journal/v1/sync-change"
_MANIFEST_AD = b"recovery-journal/v1/sync-manifest"
MAX_HEADER = 16 * 1024
MAX_INFLATED = 512 * 1024 * 1024  # far beyond any journal; stops a crafted file from filling memory
_HEADER_KEYS = {"journal_id", "device", "generation", "slots"}
_SLOT_KEYS = {"kdf", "salt", "wrapped"}


class Unreadable(ValueError):
    """A sync file that isn't whole, isn't ours, or doesn't authenticate; the reason never holds content."""


class Newer(Unreadable):
    """A sync file written by a newer recovery-journal."""


def sync_cipher(data_key: bytes) -> crypto.FieldCipher:
    return crypto.FieldCipher(crypto.hkdf_sha256(data_key, info=_SYNC_INFO))


def change_ad(journal_id: str, device: str, seq: int) -> bytes:
    return crypto.SEP.join([_CHANGE_AD, journal_id.encode(), device.encode(), str(seq).encode()])


@dataclass
class Change:
    """What one change file carries: portable records (as in backups) and tombstones of deleted entries."""

    device: str
    seq: int
    records: list[dict[str, Any]] = field(default_factory=list)
    tombstones: dict[str, list[str]] = field(default_factory=dict)  # entry uuid -> version digests known
    registers: list[dict[str, Any]] = field(default_factory=list)  # latest wins: registers.py


def seal_change(cipher: crypto.FieldCipher, journal_id: str, change: Change) -> bytes:
    document = {
        "type": "sync-change",
        "format": FORMAT,
        "device": change.device,
        "seq": change.seq,
        "records": change.records,
        "tombstones": [{"uuid": u, "known": sorted(k)} for u, k in sorted(change.tombstones.items())],
        "registers": change.registers,
    }
    packed = zlib.compress(json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8"), 6)
    sealed = cipher.seal(packed, change_ad(journal_id, change.device, change.seq))
    return CHANGE_MAGIC + bytes((VERSION,)) + sealed


def open_change(cipher: crypto.FieldCipher, journal_id: str, device: str, seq: int, data: bytes) -> Change:
    """Authenticate and decode a whole change file named `<seq>.rjsync` in `device`'s folder."""
    if not data.startswith(CHANGE_MAGIC) or data.startswith(MANIFEST_MAGIC):
        raise Unreadable("it isn't a change file" if data else "it is empty")
    if len(data) <= len(CHANGE_MAGIC):
        raise Unreadable("it is cut short")
    version = data[len(CHANGE_MAGIC)]
    if version > VERSION:
        raise Newer("it was written by a newer recovery-journal")
    if version != VERSION:
        raise Unreadable("its version never existed")
    try:
        packed = cipher.open(data[len(CHANGE_MAGIC) + 1 :], change_ad(journal_id, device, seq))
    except crypto.InvalidCiphertext:
        raise Unreadable("it doesn't authenticate (cut short, damaged, changed or renamed)") from None
    document = _inflate(packed)
    if not isinstance(document, dict) or document.get("type") != "sync-change":
        raise Unreadable("its contents aren't a change")
    if int(document.get("format", 0)) > FORMAT:
        raise Newer("it was written by a newer recovery-journal")
    if document.get("device") != device or document.get("seq") != seq:
        raise Unreadable("it names another device or number than its own")
    records, stones = document.get("records"), document.get("tombstones")
    registers = document.get("registers", [])
    if not isinstance(records, list) or not isinstance(stones, list) or not isinstance(registers, list):
        raise Unreadable("its contents have the wrong shape")
    tombstones: dict[str, list[str]] = {}
    for stone in stones:
        if not isinstance(stone, dict) or not isinstance(stone.get("known"), list):
            raise Unreadable("a deletion in it has the wrong shape")
        tombstones[str(stone.get("uuid"))] = [str(k) for k in stone["known"]]
    return Change(device=device, seq=seq, records=records, tombstones=tombstones, registers=registers)


def _inflate(packed: bytes) -> Any:
    unzip = zlib.decompressobj()
    try:
        raw = unzip.decompress(packed, MAX_INFLATED)
    except zlib.error:
        raise Unreadable("its contents don't decompress") from None
    if unzip.unconsumed_tail or not unzip.eof:
        raise Unreadable("its contents are too large or end early")
    try:
        return json.loads(raw)
    except ValueError:
        raise Unreadable("its contents aren't readable") from None


@dataclass(frozen=True)
class Slot:
    kdf: str
    salt: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, str]:
        return {"kdf": self.kdf, "salt": self.salt.hex(), "wrapped": self.wrapped.hex()}


@dataclass(frozen=True)
class ManifestHeader:
    """The part of a manifest a joining device reads before it has a key."""

    journal_id: str
    device: str
    generation: int
    slots: dict[str, Slot]
    raw: bytes = b""  # the header's exact bytes, which the body's associated data binds


def _manifest_ad(journal_id: str, device: str, header: bytes) -> bytes:
    digest = hashlib.sha256(header).hexdigest().encode()
    return crypto.SEP.join([_MANIFEST_AD, journal_id.encode(), device.encode(), digest])


def seal_manifest(cipher: crypto.FieldCipher, header: ManifestHeader, body: dict[str, Any]) -> bytes:
    raw = crypto.canonical_json(
        {
            "journal_id": header.journal_id,
            "device": header.device,
            "generation": header.generation,
            "slots": {kind: slot.to_json() for kind, slot in header.slots.items()},
        }
    ).encode("utf-8")
    sealed = cipher.seal_json(body, _manifest_ad(header.journal_id, header.device, raw))
    return MANIFEST_MAGIC + bytes((VERSION,)) + len(raw).to_bytes(4, "big") + raw + sealed


def read_manifest_header(data: bytes, device: str) -> tuple[ManifestHeader, bytes]:
    """The header (checked for shape, not yet authenticated) and the sealed body after it."""
    start = len(MANIFEST_MAGIC) + 5
    if not data.startswith(MANIFEST_MAGIC) or len(data) < start:
        raise Unreadable("it isn't a whole manifest")
    if data[len(MANIFEST_MAGIC)] > VERSION:
        raise Newer("it was written by a newer recovery-journal")
    size = int.from_bytes(data[start - 4 : start], "big")
    if not 0 < size <= MAX_HEADER or len(data) < start + size:
        raise Unreadable("its header is cut short or impossible")
    raw = data[start : start + size]
    try:
        found = json.loads(raw)
        slots = {
            str(kind): Slot(str(s["kdf"]), bytes.fromhex(s["salt"]), bytes.fromhex(s["wrapped"]))
            for kind, s in found["slots"].items()
            if isinstance(s, dict) and set(s) == _SLOT_KEYS
        }
        header = ManifestHeader(
            journal_id=str(found["journal_id"]),
            device=str(found["device"]),
            generation=int(found["generation"]),
            slots=slots,
            raw=raw,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Unreadable("its header isn't readable") from None
    if set(found) != _HEADER_KEYS or header.device != device:
        raise Unreadable("its header has the wrong fields, or names another device")
    return header, data[start + size :]


def open_manifest_body(cipher: crypto.FieldCipher, header: ManifestHeader, sealed: bytes) -> dict[str, Any]:
    try:
        body = cipher.open_json(sealed, _manifest_ad(header.journal_id, header.device, header.raw))
    except crypto.InvalidCiphertext:
        raise Unreadable("it doesn't authenticate (damaged, changed, or from another journal)") from None
    if not isinstance(body, dict):
        raise Unreadable("its contents have the wrong shape")
    return body
