"""What opens the journal: a new passphrase, a new recovery code, a new data key (every entry sealed again).

Reached as `journal.access`. Each change ends any unlocked session: a change of keys is a moment to ask again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..agent import client as session
from ..errors import InvalidInput, Tampered
from ..sealing import capture, codec, crypto, vault
from ..sealing import drafts as draft_files
from ..sealing.crypto import InvalidCiphertext
from ..sealing.index import EntryIndex
from ..sealing.ledger import Ledger
from ..storage import queries

if TYPE_CHECKING:
    from .service import Journal

SYNC_STATE_KEY = "sync_state"  # set while the journal syncs through a folder (sync/state.py)


class AccessBook:
    """Passphrase, recovery code and data key changes on one unlocked journal."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def change_passphrase(self, new_passphrase: str) -> None:
        """Rewrap the data key under a new passphrase; no entry is touched."""
        journal = self.journal
        with journal.store.write() as con:
            vault.set_passphrase(con, journal.keys, new_passphrase, journal.settings.kdf)
        self._end_session()

    def reset_after_recovery(self, new_passphrase: str) -> str:
        """Set a new passphrase and replace the used recovery code; return the new code."""
        journal = self.journal
        with journal.store.write() as con:
            vault.set_passphrase(con, journal.keys, new_passphrase, journal.settings.kdf)
            code = vault.new_recovery_code(con, journal.keys)
        self._end_session()
        return code

    def new_recovery_code(self) -> str:
        """Replace the recovery code (the passphrase stays); return the new code, to be shown once."""
        with self.journal.store.write() as con:
            code = vault.new_recovery_code(con, self.journal.keys)
        self._end_session()
        return code

    def rotate_data_key(self, new_passphrase: str) -> tuple[int, str]:
        """Re-encrypt everything under a new data key; return (entries re-sealed, new recovery code).

        Other windows notice the new key generation at their next write and save nothing under the old key;
        drafts they kept while this ran are re-sealed under the new key once it is in place.
        """
        journal = self.journal
        vault.check_passphrase(new_passphrase)
        # The new passphrase's key derivation first: its 64 MiB then comes on top of a small process, not one
        # that has just re-sealed every entry (a rotation at 50,000 entries peaked at 109 MiB), and the write
        # lock isn't held while it runs.
        stretched = vault.stretch(new_passphrase, journal.settings.kdf)
        old = journal.keys
        new_keys = vault.Keys(
            journal_id=old.journal_id, data_key=crypto.new_key(), generation=old.generation + 1
        )
        new_cipher = new_keys.fields()
        with journal.store.write() as con:
            if SYNC_STATE_KEY in queries.meta(con):  # the other devices hold the old key (encryption.md)
                raise InvalidInput(
                    "This journal syncs with other devices, and they would be left unable to read it under a "
                    "new key, so the key wasn't rotated.",
                    hint="`recovery-journal sync leave` stops syncing here first; then rotate, set up sync "
                    "with a new folder, and join the other devices to it. A passphrase can change any time.",
                )
            if not journal.ledger.verify(con).clean and queries.integrity(con) is not None:
                raise Tampered(
                    "Something in the journal looks damaged, or was changed outside recovery-journal, and "
                    "re-encrypting would hide it, so nothing was re-encrypted.",
                    hint=codec.RESEAL_HINT,
                )
            drafts = draft_files.numbered(journal.settings.paths.drafts)  # under the lock: none added unseen
            if drafts:
                raise InvalidInput(
                    "There are kept drafts; rotating the key would leave them unreadable.",
                    hint="Save or discard them first (`recovery-journal drafts`), then rotate.",
                )
            count = queries.entry_count(con)
            old_cipher = journal.cipher
            codec.reseal_all(con, old_cipher, new_cipher)
            capture.reseal_private(con, old_cipher, new_cipher, old.journal_id)
            vault.set_passphrase(con, new_keys, stretched, journal.settings.kdf)
            vault.set_generation(con, new_keys.generation)
            code = vault.new_recovery_code(con, new_keys)
            new_index = EntryIndex(new_cipher, new_keys.journal_id)
            new_index.rebuild(con, Ledger.establishing(con))
            journal.index_rebuilt()  # so the write's end, with the old key still in hand, doesn't build it
            new_ledger = Ledger(new_keys.data_key, new_keys.journal_id)
            new_ledger.establish(con)  # every digest is keyed by the data key, so all are new
        self._end_session()
        journal.use_keys(new_keys, new_cipher, new_ledger, new_index)
        self._reseal_late_drafts(old_cipher)
        return count, code

    def _reseal_late_drafts(self, old_cipher: crypto.FieldCipher) -> None:
        """Drafts another window kept under the old key while the rotation ran: re-seal them under the new."""
        journal = self.journal
        for _number, path in draft_files.numbered(journal.settings.paths.drafts):
            try:
                draft = draft_files.load(path, old_cipher, journal.keys.journal_id)
            except (InvalidCiphertext, OSError, ValueError):
                continue  # already under the new key, or not ours to mend
            draft_files.replace(path, journal.cipher, journal.keys.journal_id, draft)

    def _end_session(self) -> None:
        session.end(self.journal.settings.paths, self.journal.settings.env)
