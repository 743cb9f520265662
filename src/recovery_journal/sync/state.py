"""What a device remembers about its sync folder, sealed in `meta` (docs/encryption.md): a small head in
`sync_state` that every sync opens, and the per-entry part in `sync_entries`, opened only when a change is
taken in or looked for.

Also the two digests the state is made of: an entry's fingerprint (from its sealed rows, opening nothing) and
a version's digest (from its words and details, the same on every device).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..domain.entry import Entry, Revision
from ..errors import Damaged
from ..sealing.crypto import FieldCipher, InvalidCiphertext, canonical_json, field_ad
from ..storage import queries

KEY = "sync_state"  # the head; journal/access.py refuses a key rotation while it is set
PART_KEY = "sync_entries"  # the per-entry part
FORMAT = 2  # 1: one record holding the per-entry part too (still read, and saved as 2)
PRINTS = 2  # how fingerprints are made: 2 from the ledger's keyed row digests; before, from the rows


@dataclass
class Applied:
    """Which of one device's change files are applied: all up to `upto`, and `also` these later ones."""

    upto: int = 0
    also: set[int] = field(default_factory=set)

    def has(self, seq: int) -> bool:
        return seq <= self.upto or seq in self.also

    def add(self, seq: int) -> None:
        self.also.add(seq)
        while self.upto + 1 in self.also:
            self.upto += 1
            self.also.discard(self.upto)


@dataclass
class Published:
    fingerprint: str
    versions: list[str]


@dataclass
class PerEntry:
    """The part of the state that grows with the journal: what was sent of each entry, and each value."""

    published: dict[str, Published] = field(default_factory=dict)
    registers: dict[str, tuple[str, str]] = field(default_factory=dict)  # registers.py
    tombstones: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A copy sharing nothing with this part, so it can be compared with the part changed later."""
        return {
            "published": {u: {"f": p.fingerprint, "v": list(p.versions)} for u, p in self.published.items()},
            "registers": {k: list(v) for k, v in self.registers.items()},
            "tombstones": {u: list(v) for u, v in self.tombstones.items()},
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> PerEntry:
        return cls(
            published={
                str(u): Published(str(p["f"]), [str(v) for v in p["v"]]) for u, p in raw["published"].items()
            },
            registers={str(k): (str(v[0]), str(v[1])) for k, v in raw.get("registers", {}).items()},
            tombstones={str(u): [str(v) for v in k] for u, k in raw["tombstones"].items()},
        )


@dataclass
class SyncState:
    folder: str
    device: str
    seq: int = 0
    applied: dict[str, Applied] = field(default_factory=dict)
    copies: list[str] = field(default_factory=list)  # digests of late "conflicted copies" already handled
    synced: str | None = None
    prints: int = PRINTS
    seated: bool = False  # this device's note outside the journal is written (seat.py)
    # The ledger generation this state was saved at by a sync that found everything here sent: while the
    # journal's generation is still this, nothing in it has changed since, and sync skips looking.
    checked: int | None = None
    # The per-entry part: None until opened (open_part). A new state has an empty one.
    per_entry: PerEntry | None = field(default_factory=PerEntry, compare=False, repr=False)
    part: str | None = None  # the id of the per-entry record saved with this head
    upgraded: bool = field(default=False, compare=False)  # changed when loaded: to be saved again
    sealed: str | None = field(default=None, compare=False, repr=False)  # the head as last loaded or saved
    # The per-entry part as last opened or saved (to_json's shape): written again only when it differs.
    part_saved: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def published(self) -> dict[str, Published]:
        return self._opened().published

    @published.setter
    def published(self, value: dict[str, Published]) -> None:
        self._opened().published = value

    @property
    def registers(self) -> dict[str, tuple[str, str]]:
        return self._opened().registers

    @registers.setter
    def registers(self, value: dict[str, tuple[str, str]]) -> None:
        self._opened().registers = value

    @property
    def tombstones(self) -> dict[str, list[str]]:
        return self._opened().tombstones

    @tombstones.setter
    def tombstones(self, value: dict[str, list[str]]) -> None:
        self._opened().tombstones = value

    def _opened(self) -> PerEntry:
        if self.per_entry is None:  # a mistake in the code, never in the journal: open_part first
            raise RuntimeError("the sync state's per-entry part isn't open")
        return self.per_entry

    def head_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "folder": self.folder,
            "device": self.device,
            "seq": self.seq,
            "applied": {d: {"upto": a.upto, "also": sorted(a.also)} for d, a in self.applied.items()},
            "copies": list(self.copies),
            "synced": self.synced,
            "prints": self.prints,
            "seated": self.seated,
            "checked": self.checked,
            "part": self.part,
        }

    def part_changed(self) -> bool:
        """Whether the per-entry part is open and differs from the record saved."""
        return self.per_entry is not None and self.per_entry.to_json() != self.part_saved

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SyncState:
        """The head (of either format); its per-entry part is left unopened."""
        return cls(
            folder=str(raw["folder"]),
            device=str(raw["device"]),
            seq=int(raw["seq"]),
            applied={
                str(d): Applied(int(a["upto"]), {int(s) for s in a["also"]})
                for d, a in raw["applied"].items()
            },
            copies=[str(c) for c in raw.get("copies", [])],
            synced=raw.get("synced"),
            prints=int(raw.get("prints", 1)),
            seated=raw.get("seated") is True,
            checked=_generation(raw.get("checked")),
            per_entry=None,
            part=None if raw.get("part") is None else str(raw["part"]),
        )


def _generation(raw: Any) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def _ad(journal_id: str, key: str = KEY) -> bytes:
    return field_ad("meta", key, journal_id)


def _damaged() -> Damaged:
    return Damaged(
        "This journal's record of its sync folder is damaged, so nothing was synced.",
        hint="`recovery-journal sync leave` forgets it (the folder stays as it is); then "
        "`recovery-journal sync setup FOLDER` starts again. Nothing in the journal was changed.",
    )


def _open(cipher: FieldCipher, raw: str, journal_id: str, key: str) -> dict[str, Any]:
    found = cipher.open_json(base64.b64decode(raw, validate=True), _ad(journal_id, key))
    if not isinstance(found, dict):
        raise ValueError("not an object")
    return found


def load(
    con: sqlite3.Connection,
    cipher: FieldCipher,
    journal_id: str,
    *,
    known: SyncState | None = None,
    whole: bool = False,
) -> SyncState | None:
    """This device's sync state; None when sync isn't set up here. Its per-entry part only with `whole`.

    `known`, a state loaded or saved before, is itself the answer while no one has saved another since (the
    sealed head is as it was then, and names the per-entry record saved with it).
    """
    raw = queries.meta_value(con, KEY)
    if raw is None:
        return None
    if known is not None and known.sealed == raw:
        state = known
    else:
        try:
            found = _open(cipher, raw, journal_id, KEY)
            version = found.get("format")
            if version not in (1, FORMAT):
                raise ValueError("format")
            state = SyncState.from_json(found)
            if version == 1:  # the per-entry part is in this same record: saved apart from now on
                state.per_entry, state.part, state.upgraded = PerEntry.from_json(found), None, True
        except (ValueError, KeyError, TypeError, AttributeError, InvalidCiphertext):
            raise _damaged() from None
        state.sealed = raw
        if state.prints < PRINTS:
            open_part(con, cipher, journal_id, state)
            _upgrade_prints(con, state)
    if whole:
        open_part(con, cipher, journal_id, state)
    return state


def open_part(con: sqlite3.Connection, cipher: FieldCipher, journal_id: str, state: SyncState) -> None:
    """Open the state's per-entry part (once): the record its head names, or it is damaged."""
    if state.per_entry is not None:
        return
    raw = queries.meta_value(con, PART_KEY)
    try:
        if raw is None or state.part is None:
            raise ValueError("missing")
        found = _open(cipher, raw, journal_id, PART_KEY)
        if found.get("format") != FORMAT or found.get("part") != state.part:
            raise ValueError("not the part this head was saved with")
        per_entry = PerEntry.from_json(found)
        # As saved, in the shape to_json gives (not made again from the part: 10k entries take milliseconds).
        saved = {k: found[k] for k in ("published", "registers", "tombstones")}
    except (ValueError, KeyError, TypeError, AttributeError, InvalidCiphertext):
        raise _damaged() from None
    state.per_entry, state.part_saved = per_entry, saved


def _upgrade_prints(con: sqlite3.Connection, state: SyncState) -> None:
    """Carry fingerprints made the old way over to the new: an entry unchanged since stays unchanged."""
    old, new = _row_fingerprints(con), fingerprints(con)
    for entry_uuid, published in state.published.items():
        if entry_uuid in old and entry_uuid in new and old[entry_uuid][1] == published.fingerprint:
            published.fingerprint = new[entry_uuid][1]
    state.prints = PRINTS
    state.upgraded = True


def save(con: sqlite3.Connection, cipher: FieldCipher, journal_id: str, found: SyncState) -> None:
    """Save the head, and the per-entry part if it was opened and changed (with a new id the head names)."""
    if found.per_entry is not None:
        document = found.per_entry.to_json()
        if document != found.part_saved:
            part = secrets.token_hex(8)
            sealed = cipher.seal_json({**document, "format": FORMAT, "part": part}, _ad(journal_id, PART_KEY))
            queries.put_meta(con, PART_KEY, base64.b64encode(sealed).decode("ascii"))
            found.part, found.part_saved = part, document
    head = base64.b64encode(cipher.seal_json(found.head_json(), _ad(journal_id))).decode("ascii")
    queries.put_meta(con, KEY, head)
    found.sealed = head  # should the transaction roll back, the head differs and is opened again


def forget(con: sqlite3.Connection) -> None:
    queries.delete_meta(con, KEY)
    queries.delete_meta(con, PART_KEY)


def version_digest(item: Entry | Revision) -> str:
    """The same on every device for the same words and details (never the time it was saved)."""
    content = [item.date.isoformat(timespec="seconds"), item.title, item.text, list(item.tags), item.mood]
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()[:16]


def versions(entry: Entry, revisions: list[Revision]) -> list[str]:
    return sorted({version_digest(entry), *(version_digest(r) for r in revisions)})


def fingerprints(con: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Per entry uuid: (entry number, a digest that changes whenever it is saved), opening nothing.

    Made from the integrity ledger's keyed digest of the entry's row and of its prompt's (kept up to date in
    every write transaction), and its revisions' ids; a row the ledger doesn't hold yet is digested itself.
    """
    revisions = _revisions(con)
    prompts = dict(queries.ledger_digests(con, "entry_prompts"))
    found: dict[str, tuple[int, str]] = {}
    for entry_id, entry_uuid, noted in queries.entry_ledger_digests(con):
        if noted is None:
            row = con.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
            noted = repr(tuple(row)).encode()
        digest = hashlib.sha256(noted)
        digest.update(repr(revisions.get(entry_id, [])).encode())
        digest.update(prompts.get(entry_id, b""))
        found[entry_uuid] = (entry_id, digest.hexdigest()[:32])
    return found


def _revisions(con: sqlite3.Connection) -> dict[int, list[str]]:
    revisions: dict[int, list[str]] = {}
    for entry_id, revision_uuid in con.execute("SELECT entry_id, uuid FROM revisions ORDER BY id"):
        revisions.setdefault(int(entry_id), []).append(str(revision_uuid))
    return revisions


def _row_fingerprints(con: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """Fingerprints as sync states before PRINTS 2 hold them: a digest of the sealed rows themselves."""
    revisions = _revisions(con)
    prompts = {int(i): bytes(p) for i, p in con.execute("SELECT id, prompt FROM entry_prompts")}
    found: dict[str, tuple[int, str]] = {}
    for row in con.execute("SELECT * FROM entries"):
        digest = hashlib.sha256(repr(tuple(row)).encode())
        entry_id = int(row[0])
        digest.update(repr(revisions.get(entry_id, [])).encode())
        digest.update(prompts.get(entry_id, b""))
        found[str(row[1])] = (entry_id, digest.hexdigest()[:32])
    return found
