"""Keys and key slots: create them, unlock with a passphrase or recovery code, rewrap, rotate.

Implements "Key slots" in docs/encryption.md. Prompts live in the CLI; this module only takes secrets in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
import uuid
from dataclasses import dataclass, field

from ..errors import Damaged, JournalError, PassphraseProblem, WrongSecret
from ..storage import queries
from . import crypto

FORMAT = "recovery-journal"
FORMAT_VERSION = "1"
SLOT_PASSPHRASE = "passphrase"  # noqa: S105 - the name of a key slot, not a secret
SLOT_RECOVERY = "recovery"
GENERATION_KEY = "key_generation"
UNSEEN_KEY = "recovery_code_unseen"
SLOTS_CHECK_KEY = "slots_check"
RECOVERY_PUBLIC_KEY = "recovery_public"

_DAMAGED_HINT = (
    "Nothing was changed. A backup of the journal can be restored; `recovery-journal doctor` says more."
)


@dataclass(frozen=True)
class Keys:
    """An unlocked journal's keys. Held in memory only, for one run."""

    journal_id: str
    data_key: bytes = field(repr=False)
    generation: int = 0  # meta.key_generation when these keys were unlocked; rotation adds one

    def fields(self) -> crypto.FieldCipher:
        return crypto.FieldCipher(crypto.record_key(self.data_key))


def check_passphrase(passphrase: str) -> str:
    """Refuse passphrases that cannot protect anything; return it unchanged otherwise."""
    if not passphrase or not passphrase.strip():
        raise PassphraseProblem(
            "An empty passphrase can't protect anything.",
            hint="Choose a few words only you would think of; a short sentence works well.",
        )
    return passphrase


def same_passphrase(one: str, other: str) -> bool:
    """Whether two passphrases open the same slot (compared as the slot sees them: NFC, UTF-8)."""
    return hmac.compare_digest(crypto.passphrase_bytes(one), crypto.passphrase_bytes(other))


@dataclass(frozen=True)
class Stretched:
    """A passphrase already put through Argon2id under a new salt, ready to become a passphrase slot.

    Deriving ahead lets a command do it while the process holds little (a restore, before it reads a whole
    backup), so Argon2id's 64 MiB never comes on top of what reading left behind.
    """

    salt: bytes = field(repr=False)
    params: crypto.Argon2Params
    kek: bytes = field(repr=False)


def stretch(passphrase: str, params: crypto.Argon2Params) -> Stretched:
    """The key-encryption key a new passphrase slot will use: a fresh salt, the given cost."""
    check_passphrase(passphrase)
    secret = crypto.passphrase_bytes(passphrase)
    salt = crypto.fresh_salt(secret, params)  # a new one, or the one drawn for it ahead (launch.py)
    return Stretched(salt, params, crypto.argon2id(secret, salt, params))


def initialise(
    con: sqlite3.Connection, passphrase: str | Stretched, params: crypto.Argon2Params
) -> tuple[Keys, str]:
    """Write the meta rows and both key slots of a new journal; return its keys and recovery code."""
    keys = Keys(journal_id=str(uuid.uuid4()), data_key=crypto.new_key())
    queries.put_meta(con, "format", FORMAT)
    queries.put_meta(con, "format_version", FORMAT_VERSION)
    queries.put_meta(con, "journal_id", keys.journal_id)
    set_passphrase(con, keys, passphrase, params)
    code = new_recovery_code(con, keys)
    return keys, code


def journal_id(con: sqlite3.Connection) -> str:
    jid = queries.meta_value(con, "journal_id")  # one value at a time: meta also holds the large sync state
    if queries.meta_value(con, "format") != FORMAT or jid is None:
        raise Damaged("The journal's identity record is missing or damaged.", hint=_DAMAGED_HINT)
    if queries.meta_value(con, "format_version") != FORMAT_VERSION:
        from ..errors import NewerVersion

        raise NewerVersion(
            "This journal uses a file format this recovery-journal doesn't know.",
            hint="Nothing was changed. Upgrade with `pip install --upgrade recovery-journal`.",
        )
    return jid


def generation(con: sqlite3.Connection) -> int:
    """How many times the data key has been rotated (meta.key_generation; absent until the first)."""
    raw = queries.meta_value(con, GENERATION_KEY) or "0"
    if not raw.isdigit() or len(raw) > 18:
        raise Damaged("The journal's key record is damaged.", hint=_DAMAGED_HINT)
    return int(raw)


def set_generation(con: sqlite3.Connection, value: int) -> None:
    queries.put_meta(con, GENERATION_KEY, str(value))


def recovery_code_unseen(con: sqlite3.Connection) -> bool:
    """Whether the newest recovery code may never have been shown (a command stopped before it could)."""
    return queries.meta_value(con, UNSEEN_KEY) == "1"


def mark_recovery_code_seen(con: sqlite3.Connection) -> None:
    queries.delete_meta(con, UNSEEN_KEY)


def record_slots_check(con: sqlite3.Connection, jid: str) -> None:
    """Note a checksum of the key slots and journal id, so damage reads as damage, not a wrong secret."""
    queries.put_meta(con, SLOTS_CHECK_KEY, _slots_digest(con, jid))


def slots_intact(con: sqlite3.Connection, jid: str) -> bool | None:
    """Whether the key slots and journal id are as last written; None for a journal that never noted it."""
    noted = queries.meta_value(con, SLOTS_CHECK_KEY)
    return None if noted is None else hmac.compare_digest(noted, _slots_digest(con, jid))


def _slots_digest(con: sqlite3.Connection, jid: str) -> str:
    digest = hashlib.sha256(b"recovery-journal/v1/slots-check\x1f" + jid.encode("utf-8"))
    for kind in (SLOT_PASSPHRASE, SLOT_RECOVERY):
        found = queries.key_slot(con, kind)
        kdf, salt, wrapped = found if found is not None else ("", b"", b"")
        for part in (kind.encode(), kdf.encode("utf-8"), salt, wrapped):
            digest.update(len(part).to_bytes(4, "big") + part)
    return digest.hexdigest()


def _damaged_or_wrong(con: sqlite3.Connection, jid: str, wrong: WrongSecret) -> JournalError:
    if slots_intact(con, jid) is False:
        return Damaged(
            "The journal's key record is damaged, so no passphrase or recovery code can open it as it is.",
            hint=_DAMAGED_HINT,
        )
    return wrong


def set_passphrase(
    con: sqlite3.Connection, keys: Keys, passphrase: str | Stretched, params: crypto.Argon2Params
) -> None:
    """(Re)write the passphrase slot: a fresh salt, the given cost (a Stretched one's own), the data key."""
    stretched = passphrase if isinstance(passphrase, Stretched) else stretch(passphrase, params)
    kdf = stretched.params.to_json()
    wrapped = crypto.wrap_key(
        stretched.kek, keys.data_key, crypto.slot_ad(keys.journal_id, SLOT_PASSPHRASE, kdf)
    )
    queries.put_key_slot(con, SLOT_PASSPHRASE, kdf, stretched.salt, wrapped)
    record_slots_check(con, keys.journal_id)


def new_recovery_code(con: sqlite3.Connection, keys: Keys) -> str:
    """Replace the recovery slot with a new single-use code; return the code to show once."""
    secret = crypto.new_recovery_secret()
    salt = crypto.new_salt()
    kdf = crypto.HKDF_RECOVERY_JSON
    wrapped = crypto.wrap_key(
        crypto.recovery_kek(secret, salt), keys.data_key, crypto.slot_ad(keys.journal_id, SLOT_RECOVERY, kdf)
    )
    queries.put_key_slot(con, SLOT_RECOVERY, kdf, salt, wrapped)
    record_slots_check(con, keys.journal_id)
    # So backups can be sealed to this code without the code being kept (docs/encryption.md).
    _, public = crypto.recovery_backup_keypair(secret)
    sealed = keys.fields().seal(public, _recovery_public_ad(keys.journal_id))
    queries.put_meta(con, RECOVERY_PUBLIC_KEY, base64.b64encode(sealed).decode("ascii"))
    queries.put_meta(con, UNSEEN_KEY, "1")  # until the code has been shown in full
    return crypto.format_recovery_code(secret)


def recovery_public(con: sqlite3.Connection, keys: Keys) -> bytes | None:
    """The public key backups are sealed to for the recovery code; None for a code older than that."""
    raw = queries.meta_value(con, RECOVERY_PUBLIC_KEY)
    if raw is None:
        return None
    try:
        sealed = base64.b64decode(raw, validate=True)
        public = keys.fields().open(sealed, _recovery_public_ad(keys.journal_id))
    except (ValueError, crypto.InvalidCiphertext):
        raise Damaged(
            "The journal's record of its recovery code for backups is damaged, so no backup was written.",
            hint="`recovery-journal passwd --new-recovery-code` makes a new code and record; "
            "`recovery-journal doctor` says more.",
        ) from None
    if len(public) != crypto.X25519_LEN:
        raise Damaged("The journal's record of its recovery code for backups is damaged.", hint=_DAMAGED_HINT)
    return public


def _recovery_public_ad(jid: str) -> bytes:
    return crypto.field_ad("meta", RECOVERY_PUBLIC_KEY, jid)


def read_recovery_code(code: str) -> bytes:
    """The secret in a typed recovery code; WrongSecret naming the group that is probably mistyped."""
    try:
        return crypto.parse_recovery_code(code)
    except crypto.InvalidRecoveryCode as exc:
        raise WrongSecret(*_typo_words(str(exc), exc.groups)) from None


def _typo_words(why: str, groups: tuple[int, ...]) -> tuple[str, str]:
    """The message and hint for a recovery code that doesn't read as one. Never repeats the code."""
    keep = "Check it against the copy you kept: eight groups of four, like 7KQ2-M9XA-..."
    if why.startswith("a recovery code has"):
        return "That doesn't read as a recovery code: it has 32 letters and digits.", keep
    named = " or ".join(f"group {g}" for g in groups)
    if why.startswith("a recovery code uses"):
        return (
            f"The recovery code's {named} has a character recovery codes don't use.",
            f"Check {named} against the copy you kept (groups are counted from the left).",
        )
    if 1 <= len(groups) <= 2:
        return (
            f"The recovery code's {named} looks mistyped.",
            f"Check {named} against the copy you kept (groups are counted from the left).",
        )
    return "That recovery code has a typo somewhere: its check letters don't match.", keep


def _slot(con: sqlite3.Connection, kind: str) -> tuple[str, crypto.Argon2Params | None, bytes, bytes]:
    found = queries.key_slot(con, kind)
    if found is None:
        raise Damaged(f"The journal's {kind} key slot is missing.", hint=_DAMAGED_HINT)
    kdf, salt, wrapped = found
    try:
        params = crypto.parse_kdf(kdf)
    except crypto.InvalidKdfParams:
        raise Damaged(
            f"The journal's {kind} key slot has settings this version won't use (damaged or edited).",
            hint=_DAMAGED_HINT,
        ) from None
    if len(salt) != crypto.SALT_LEN or len(wrapped) != crypto.WRAPPED_LEN:
        raise Damaged(f"The journal's {kind} key slot is damaged.", hint=_DAMAGED_HINT)
    expected_hkdf = kind == SLOT_RECOVERY
    if (params is None) != expected_hkdf:
        raise Damaged(f"The journal's {kind} key slot is damaged.", hint=_DAMAGED_HINT)
    return kdf, params, salt, wrapped


def passphrase_params(con: sqlite3.Connection) -> crypto.Argon2Params:
    return passphrase_salt(con)[1]


def passphrase_salt(con: sqlite3.Connection) -> tuple[bytes, crypto.Argon2Params]:
    """The salt and settings `unlock` derives the passphrase's key with; Damaged as `unlock` would be."""
    _, params, salt, _ = _slot(con, SLOT_PASSPHRASE)
    assert params is not None  # noqa: S101 - _slot checked the kind
    return salt, params


def unlock(con: sqlite3.Connection, passphrase: str) -> Keys:
    """Open the data key with the passphrase; WrongSecret if it does not unwrap."""
    jid = journal_id(con)
    kdf, params, salt, wrapped = _slot(con, SLOT_PASSPHRASE)
    assert params is not None  # noqa: S101 - _slot checked the kind
    if not passphrase.strip():
        raise PassphraseProblem(
            "The passphrase was empty, so the journal stayed locked.",
            hint="Type the passphrase you chose; if it comes from a file or a command, check it gives one.",
        )
    kek = crypto.argon2id(crypto.passphrase_bytes(passphrase), salt, params)
    try:
        data_key = crypto.unwrap_key(kek, wrapped, crypto.slot_ad(jid, SLOT_PASSPHRASE, kdf))
    except crypto.InvalidCiphertext:
        wrong = WrongSecret(
            "That passphrase didn't open this journal.",
            hint="Check Caps Lock and try again. If it's forgotten, "
            "`recovery-journal recover` opens the journal with your recovery code.",
        )
        raise _damaged_or_wrong(con, jid, wrong) from None
    return Keys(journal_id=jid, data_key=data_key, generation=generation(con))


def unlock_with_recovery_code(con: sqlite3.Connection, code: str) -> Keys:
    """Open the data key with a recovery code; WrongSecret for a typo or a code that does not fit."""
    jid = journal_id(con)
    secret = read_recovery_code(code)
    kdf, _, salt, wrapped = _slot(con, SLOT_RECOVERY)
    try:
        data_key = crypto.unwrap_key(
            crypto.recovery_kek(secret, salt), wrapped, crypto.slot_ad(jid, SLOT_RECOVERY, kdf)
        )
    except crypto.InvalidCiphertext:
        wrong = WrongSecret(
            "That recovery code didn't open this journal.",
            hint="Each code opens one journal, and is replaced once used. "
            "Check you have this journal's newest code.",
        )
        raise _damaged_or_wrong(con, jid, wrong) from None
    return Keys(journal_id=jid, data_key=data_key, generation=generation(con))
