"""Joining a journal from its sync folder: the key from a manifest's slots, then a journal made around it.

The new journal keeps the journal's id, data key and key generation; its passphrase slot is its own, its
recovery slot the manifest's (docs/encryption.md, "Joining").
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Damaged, NotFound, WrongSecret
from ..journal.service import Journal
from ..sealing import capture, crypto, vault
from ..sealing.ledger import Ledger
from ..settings import Settings
from ..storage import queries
from ..storage.store import Store, check_new_home
from . import changes, engine, folder, seat
from .state import SyncState, save


@dataclass(frozen=True)
class Found:
    """What a manifest gave: the journal's keys, and its slots and record to copy."""

    keys: vault.Keys
    header: changes.ManifestHeader
    body: dict[str, Any]


def check_home(settings: Settings) -> None:
    """Refuse, before asking for anything, a home that already holds a journal."""
    check_new_home(settings.paths)


def _manifests(where: Path) -> list[tuple[changes.ManifestHeader, bytes]]:
    found = []
    for listing in folder.devices(where):
        data = folder.read(listing.manifest) if listing.manifest else None
        if data is None:
            continue
        try:
            found.append(changes.read_manifest_header(data, listing.device))
        except changes.Unreadable:
            continue
    if not found:
        raise NotFound(
            f"There's no journal in the sync folder {where} yet (or its files haven't arrived).",
            hint="On the device that has the journal, run `recovery-journal sync setup FOLDER` first, "
            "and let your sync tool carry the folder here.",
        )
    return found


def _unwrap(header: changes.ManifestHeader, kind: str, kek_for: Any) -> bytes | None:
    slot = header.slots.get(kind)
    if slot is None or len(slot.salt) != crypto.SALT_LEN or len(slot.wrapped) != crypto.WRAPPED_LEN:
        return None
    try:
        kek = kek_for(slot)
        return crypto.unwrap_key(kek, slot.wrapped, crypto.slot_ad(header.journal_id, kind, slot.kdf))
    except (crypto.InvalidCiphertext, crypto.InvalidKdfParams, ValueError):
        return None


def find_keys(where: Path, *, passphrase: str | None = None, code: str | None = None) -> Found:
    """Open the folder's journal with a passphrase (any device's, as it last synced) or a recovery code."""
    where = where.expanduser().absolute()
    headers = _manifests(where)
    if code is not None:
        secret = vault.read_recovery_code(code)  # a typo is named before anything is tried

        def kek_for(slot: changes.Slot) -> bytes:
            return crypto.recovery_kek(secret, slot.salt)

        kind = vault.SLOT_RECOVERY
    else:
        vault.check_passphrase(passphrase or "")

        def kek_for(slot: changes.Slot) -> bytes:
            params = crypto.parse_kdf(slot.kdf)
            if params is None:
                raise ValueError("not a passphrase slot")
            return crypto.argon2id(crypto.passphrase_bytes(passphrase or ""), slot.salt, params)

        kind = vault.SLOT_PASSPHRASE
    for header, sealed in headers:
        data_key = _unwrap(header, kind, kek_for)
        if data_key is None:
            continue
        try:
            body = changes.open_manifest_body(changes.sync_cipher(data_key), header, sealed)
        except changes.Unreadable:
            raise Damaged(
                f"The sync file {header.device}/{folder.MANIFEST} opened, but its contents don't check out.",
                hint="Sync once more on that device, then try again here. Nothing was changed.",
            ) from None
        keys = vault.Keys(journal_id=header.journal_id, data_key=data_key, generation=header.generation)
        return Found(keys=keys, header=header, body=body)
    what = "recovery code" if code is not None else "passphrase"
    raise WrongSecret(
        f"That {what} didn't open the journal in the sync folder.",
        hint="It opens with the passphrase, or the recovery code, a device had when it last synced there.",
    )


def join(settings: Settings, where: Path, found: Found, passphrase: str) -> tuple[Journal, engine.SyncReport]:
    """Make this device's journal from the folder (keys first, whole), then take in every change file."""
    where = where.expanduser().absolute()
    check_new_home(settings.paths)
    vault.check_passphrase(passphrase)
    keys = found.keys
    recovery = found.header.slots.get(vault.SLOT_RECOVERY)
    if recovery is None:
        raise Damaged(
            "The sync folder's record of the recovery code is missing, so this device can't join yet.",
            hint="Sync once more on another device, then try again. Nothing was changed.",
        )

    device = folder.new_device_id()

    def build(con: sqlite3.Connection) -> None:
        queries.put_meta(con, "format", vault.FORMAT)
        queries.put_meta(con, "format_version", vault.FORMAT_VERSION)
        queries.put_meta(con, "journal_id", keys.journal_id)
        if keys.generation:
            vault.set_generation(con, keys.generation)
        vault.set_passphrase(con, keys, passphrase, settings.kdf)
        queries.put_key_slot(con, vault.SLOT_RECOVERY, recovery.kdf, recovery.salt, recovery.wrapped)
        vault.record_slots_check(con, keys.journal_id)
        recovery_public = found.body.get("recovery_public")
        if isinstance(recovery_public, str):
            queries.put_meta(con, vault.RECOVERY_PUBLIC_KEY, recovery_public)
        capture.set_up(con, keys.fields(), keys.journal_id)
        seat.take(settings, keys.journal_id, device)
        save(con, keys.fields(), keys.journal_id, SyncState(folder=str(where), device=device, seated=True))
        Ledger(keys.data_key, keys.journal_id).establish(con)

    store = Store.create(settings.paths, settings.lock_timeout, build)
    journal = Journal(store, keys, settings)
    try:
        return journal, engine.run(journal)
    except BaseException:
        journal.close()
        raise
