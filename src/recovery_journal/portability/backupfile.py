"""The backup file format ("Backup files" in docs/encryption.md): a header, then a STREAM of AES-GCM chunks.

Writing streams records through zlib into fixed-size chunks; reading authenticates every chunk, in order, and
refuses truncation, reordering and trailing bytes. Errors are JournalErrors with calm words.

A backup opens with its passphrase, or (from version 2) with the journal's recovery code of the time, through
the recovery-code slot: the file key sealed to the public key the code derives (sealing/vault.py writes it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import Damaged, NewerVersion, NotAJournal, PassphraseProblem, WrongSecret
from ..sealing import crypto, vault

MAGIC = b"RJBACKUP"
VERSION = 2  # 2 added the recovery-code slot; 1 is still read
_FIELDS = {1: {"kdf", "salt", "wrapped", "chunk"}, 2: {"kdf", "salt", "wrapped", "chunk", "recovery"}}
_RECOVERY_INFO = b"recovery-journal/v2/backup-recovery"
_CHECK_LEN = 16
# The least a slot can be: the check, then the file key sealed to the code's public key (ephemeral public key,
# nonce, the key itself, padded, and the tag).
_SLOT_LEAST = _CHECK_LEN + crypto.X25519_LEN + crypto.NONCE_LEN + crypto.KEY_LEN + crypto.TAG_LEN
CHUNK = 64 * 1024
TAG = 16
MAX_HEADER = 64 * 1024
_PREFIX = len(MAGIC) + 1 + 4

_DAMAGED_HINT = (
    "The backup can't be trusted as it is; use another copy if you have one. The journal wasn't touched."
)


@dataclass(frozen=True)
class RecoveryCode:
    """Open a backup with the journal's recovery code (as typed) rather than a passphrase."""

    code: str = field(repr=False)


@dataclass(frozen=True)
class Derived:
    """A passphrase's key for one salt and key settings, derived once (Argon2id holds 64 MiB while it runs).

    A backup is written and then checked with the same one, so its key is derived once, not twice.
    """

    salt: bytes
    kdf: str
    kek: bytes = field(repr=False)


def derive(passphrase: str, params: crypto.Argon2Params) -> Derived:
    """The key a new backup is sealed with, under a new salt."""
    salt = crypto.new_salt()
    return Derived(salt, params.to_json(), crypto.argon2id(crypto.passphrase_bytes(passphrase), salt, params))


@dataclass(frozen=True)
class FileKey:
    """A backup's file key, kept from reading it once, so reading the same file again derives nothing.

    It opens only a file whose header is byte for byte the one it came from.
    """

    header: bytes = field(repr=False)
    key: bytes = field(repr=False)


Secret = str | RecoveryCode | Derived | FileKey


def _damaged(why: str) -> Damaged:
    return Damaged(f"This backup is damaged: {why}.", hint=_DAMAGED_HINT)


def _recovery_ad(kdf: str, salt_hex: str) -> bytes:
    return crypto.SEP.join([_RECOVERY_INFO, kdf.encode(), salt_hex.encode()])


def _recovery_check(public: bytes, ephemeral_public: bytes) -> bytes:
    """Tells a code from another time from a damaged slot, without linking two backups to each other."""
    return crypto.hmac_sha256(public, _RECOVERY_INFO + b"-check" + crypto.SEP + ephemeral_public)[:_CHECK_LEN]


def _recovery_slot(public: bytes, file_key: bytes, kdf: str, salt_hex: str) -> str:
    sealed = crypto.seal_to(public, file_key, _recovery_ad(kdf, salt_hex), info=_RECOVERY_INFO)
    return (_recovery_check(public, sealed[: crypto.X25519_LEN]) + sealed).hex()


def _key_ad(kdf: str, salt_hex: str) -> bytes:
    return crypto.SEP.join([b"recovery-journal/v1/backup-key", kdf.encode(), salt_hex.encode()])


def _subkeys(file_key: bytes) -> tuple[bytes, bytes]:
    header = crypto.hkdf_sha256(file_key, info=b"recovery-journal/v1/backup-header")
    payload = crypto.hkdf_sha256(file_key, info=b"recovery-journal/v1/backup-payload")
    return header, payload


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def write(
    out: BinaryIO,
    secret: str | Derived,
    records: Iterable[dict[str, Any]],
    params: crypto.Argon2Params,
    recovery_public: bytes | None = None,
) -> None:
    """Write a whole backup of `records` to `out`; with `recovery_public`, the recovery code opens it too.

    `secret` is the passphrase, or its key already derived (derive(); then `params` are the ones it used).
    """
    derived = secret if isinstance(secret, Derived) else derive(secret, params)
    salt, kdf, kek = derived.salt, derived.kdf, derived.kek
    file_key = crypto.new_key()
    header = crypto.canonical_json(
        {
            "kdf": kdf,
            "salt": salt.hex(),
            "chunk": CHUNK,
            "wrapped": crypto.wrap_key(kek, file_key, _key_ad(kdf, salt.hex())).hex(),
            "recovery": None
            if recovery_public is None
            else _recovery_slot(recovery_public, file_key, kdf, salt.hex()),
        }
    ).encode()
    header_key, payload_key = _subkeys(file_key)
    prefix = MAGIC + bytes((VERSION,)) + len(header).to_bytes(4, "big") + header
    out.write(prefix + hmac.new(header_key, prefix, hashlib.sha256).digest())
    aead = AESGCM(payload_key)
    squeeze = zlib.compressobj(6)
    pending = b""
    counter = 0
    for record in records:
        pending += squeeze.compress((json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode())
        while len(pending) > CHUNK:  # keep at least one byte back: the final chunk must not be empty
            out.write(aead.encrypt(_nonce(counter, False), pending[:CHUNK], None))
            pending = pending[CHUNK:]
            counter += 1
    pending += squeeze.flush()
    while len(pending) > CHUNK:
        out.write(aead.encrypt(_nonce(counter, False), pending[:CHUNK], None))
        pending = pending[CHUNK:]
        counter += 1
    out.write(aead.encrypt(_nonce(counter, True), pending, None))


def _header(data: BinaryIO) -> tuple[bytes, dict[str, Any]]:
    prefix = data.read(_PREFIX)
    if not prefix:
        raise NotAJournal(
            "That file is empty, so it isn't a backup.", hint="Check the file name; nothing was changed."
        )
    if not prefix.startswith(MAGIC[: len(prefix)]) or len(prefix) < len(MAGIC):
        raise NotAJournal(
            "That file isn't a recovery-journal backup.", hint="Check the file name; nothing was changed."
        )
    if len(prefix) < _PREFIX:
        raise _damaged("it ends inside its header")
    version = prefix[len(MAGIC)]
    if version > VERSION:
        raise NewerVersion(
            "This backup was made by a newer recovery-journal than this one.",
            hint="Upgrade with `pip install --upgrade recovery-journal`, then try again.",
        )
    if version not in _FIELDS:
        raise _damaged(f"it claims format version {version}, which has never existed")
    size = int.from_bytes(prefix[-4:], "big")
    if not 0 < size <= MAX_HEADER:
        raise _damaged("its header length is impossible")
    raw = data.read(size)
    if len(raw) != size:
        raise _damaged("it ends inside its header")
    try:
        header = json.loads(raw)
    except ValueError:
        raise _damaged("its header isn't readable") from None
    if not isinstance(header, dict) or set(header) != _FIELDS[version]:
        raise _damaged("its header has the wrong fields")
    return prefix + raw, header


def check(data: BinaryIO) -> None:
    """That `data` begins as a backup this version reads: its header whole; NotAJournal, NewerVersion or
    Damaged as reading it would say."""
    _header(data)


def has_recovery_slot(data: BinaryIO) -> bool:
    """Whether the recovery code can open this backup (version 2, from a journal whose code allows it)."""
    return _header(data)[1].get("recovery") is not None


def no_recovery_slot() -> PassphraseProblem:
    return PassphraseProblem(
        "This backup has no recovery-code slot (it was made before backups carried one, or while the "
        "journal's code was older than that, or its slot was removed), so only its passphrase opens it.",
        hint="Give the passphrase the journal had when the backup was made, or --passphrase-file.",
    )


def read(
    data: BinaryIO, secret: Secret, opened: Callable[[FileKey], None] | None = None
) -> Iterator[dict[str, Any]]:
    """Yield the backup's records, authenticating as it goes; raises on any damage, at the point it is met.

    `secret` is the backup's passphrase, or the journal's recovery code, or a key already derived for this
    file's salt (Derived), or its file key from an earlier read (FileKey); `opened`, if given, is handed the
    file key once the header checks out, to read the same file again without deriving. Callers that must not
    act on a partly read backup collect every record first.
    """
    prefix, header = _header(data)
    if isinstance(secret, FileKey):
        if not hmac.compare_digest(secret.header, prefix):
            raise Damaged(
                "This backup changed while it was being read, so nothing was restored.",
                hint="Run it again once nothing is writing to the file.",
            )
        yield from _opened(data, prefix, secret.key, opened)
        return
    try:
        params = crypto.parse_kdf(str(header["kdf"]))
        salt = bytes.fromhex(str(header["salt"]))
        wrapped = bytes.fromhex(str(header["wrapped"]))
    except (crypto.InvalidKdfParams, ValueError):
        raise _damaged("its key settings are invalid or out of bounds") from None
    if params is None or len(salt) != crypto.SALT_LEN or header["chunk"] != CHUNK:
        raise _damaged("its key settings are invalid or out of bounds")
    if isinstance(secret, RecoveryCode):
        file_key = _open_recovery_slot(header, secret)
    else:
        if isinstance(secret, Derived):
            if (secret.salt, secret.kdf) != (salt, str(header["kdf"])):
                raise WrongSecret(  # only ever given for the file it was derived for
                    "That key wasn't derived for this backup.", hint="Open it with its passphrase."
                )
            kek = secret.kek
        else:
            kek = crypto.argon2id(crypto.passphrase_bytes(secret), salt, params)
        try:
            file_key = crypto.unwrap_key(kek, wrapped, _key_ad(str(header["kdf"]), str(header["salt"])))
        except crypto.InvalidCiphertext:
            also = (
                " The journal's recovery code opens it too: add --recovery-code."
                if header.get("recovery")
                else ""
            )
            raise WrongSecret(
                "That passphrase didn't open this backup.",
                hint="Backups open with the passphrase the journal had when the backup was made, "
                f"or the one given with --passphrase-file.{also}",
            ) from None
    yield from _opened(data, prefix, file_key, opened)


def _opened(
    data: BinaryIO, prefix: bytes, file_key: bytes, opened: Callable[[FileKey], None] | None
) -> Iterator[dict[str, Any]]:
    header_key, payload_key = _subkeys(file_key)
    expected = hmac.new(header_key, prefix, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, data.read(32)):
        raise _damaged("its header was changed")
    if opened is not None:
        opened(FileKey(prefix, file_key))
    yield from _records(_chunks(data, AESGCM(payload_key)))


def _open_recovery_slot(header: dict[str, Any], given: RecoveryCode) -> bytes:
    """The file key from the recovery-code slot; tells a code from another time from a damaged slot."""
    if header.get("recovery") is None:
        raise no_recovery_slot()
    try:
        slot = bytes.fromhex(str(header["recovery"]))
    except ValueError:
        raise _damaged("its recovery-code slot isn't readable") from None
    if len(slot) < _SLOT_LEAST:  # emptied or cut short: damage, not a code from another time
        raise _damaged("its recovery-code slot isn't whole")
    private, public = crypto.recovery_backup_keypair(vault.read_recovery_code(given.code))
    check, sealed = slot[:_CHECK_LEN], slot[_CHECK_LEN:]
    if not hmac.compare_digest(check, _recovery_check(public, sealed[: crypto.X25519_LEN])):
        raise WrongSecret(
            "That recovery code doesn't open this backup.",
            hint="A backup opens with the recovery code the journal had when the backup was made, "
            "or with its passphrase.",
        )
    try:
        file_key = crypto.open_sealed_to(
            private, sealed, _recovery_ad(str(header["kdf"]), str(header["salt"])), info=_RECOVERY_INFO
        )
    except crypto.InvalidCiphertext:
        raise _damaged("its recovery-code slot was changed, so the code can't open it") from None
    if len(file_key) != crypto.KEY_LEN:
        raise _damaged("its recovery-code slot was changed, so the code can't open it")
    return file_key


def _chunks(data: BinaryIO, aead: AESGCM) -> Iterator[bytes]:
    counter = 0
    current = data.read(CHUNK + TAG)
    while True:
        following = data.read(CHUNK + TAG)
        last = not following
        if len(current) < TAG:
            raise _damaged("it is cut short")
        try:
            yield aead.decrypt(_nonce(counter, last), current, None)
        except InvalidTag:
            raise _damaged(_why(aead, counter, current, last)) from None
        if last:
            return
        counter += 1
        current = following


def _why(aead: AESGCM, counter: int, chunk: bytes, last: bool) -> str:
    """Tell a cut-short or over-long file from a changed one, for a clearer message."""
    try:
        aead.decrypt(_nonce(counter, not last), chunk, None)
    except InvalidTag:
        return "a part of it was changed, reordered, cut off or added to"
    return "it is cut short" if last else "there are extra bytes after its end"


def _records(chunks: Iterator[bytes]) -> Iterator[dict[str, Any]]:
    unzip = zlib.decompressobj()
    buffered = b""
    for chunk in chunks:
        try:
            buffered += unzip.decompress(chunk)
        except zlib.error:
            raise _damaged("its contents don't decompress") from None
        *lines, buffered = buffered.split(b"\n")
        for line in lines:
            yield _record(line)
    if not unzip.eof or unzip.unused_data:
        raise _damaged("its contents end unexpectedly")
    if buffered.strip():
        yield _record(buffered)


def _record(line: bytes) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError:
        raise _damaged("a record in it isn't readable") from None
    if not isinstance(record, dict) or "type" not in record:
        raise _damaged("a record in it has no type")
    return record
