"""Pure cryptography for the format in docs/encryption.md: bytes and keys in, bytes out.

Nothing here touches the database, the filesystem or the terminal.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import json
import os
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_LEN = 32
NONCE_LEN = 12
SALT_LEN = 16
TAG_LEN = 16
WRAPPED_LEN = NONCE_LEN + KEY_LEN + TAG_LEN
SEALED_VERSION = 1
MIN_PADDED = 32
SEP = b"\x1f"


class InvalidCiphertext(Exception):
    """Authentication failed, or the bytes are not a sealed value of a known version."""


class InvalidKdfParams(ValueError):
    """KDF parameters are unknown or out of bounds; refused before any derivation."""


# --- key derivation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost parameters: memory in KiB, passes, lanes."""

    memory_kib: int = 65536
    iterations: int = 3
    lanes: int = 4

    # A file names its own key settings, so a hostile one could ask for gigabytes and minutes before any
    # passphrase is even checked. Nothing this tool writes comes near these bounds; the total work is capped
    # at four times the defaults (about a second), whatever mix of memory and passes a file asks for.
    MAX_MEMORY_KIB = 256 * 1024
    MAX_ITERATIONS = 10
    MAX_LANES = 16
    MAX_WORK = 4 * 65536 * 3  # memory (KiB) x passes

    def to_json(self) -> str:
        return canonical_json(
            {"alg": "argon2id", "m": self.memory_kib, "t": self.iterations, "p": self.lanes}
        )

    @property
    def is_weak(self) -> bool:
        """True when weaker than the defaults (RFC 9106's second recommended option)."""
        return self.memory_kib < DEFAULT_ARGON2.memory_kib or self.iterations < DEFAULT_ARGON2.iterations

    def check(self) -> None:
        """Raise InvalidKdfParams unless every parameter is within the spec's bounds."""
        for value in (self.memory_kib, self.iterations, self.lanes):
            if type(value) is not int:
                raise InvalidKdfParams("Argon2id parameters must be integers")
        if not 1 <= self.lanes <= self.MAX_LANES:
            raise InvalidKdfParams("Argon2id lanes out of bounds")
        if not 1 <= self.iterations <= self.MAX_ITERATIONS:
            raise InvalidKdfParams("Argon2id passes out of bounds")
        if not 8 * self.lanes <= self.memory_kib <= self.MAX_MEMORY_KIB:
            raise InvalidKdfParams("Argon2id memory out of bounds")
        if self.memory_kib * self.iterations > self.MAX_WORK:
            raise InvalidKdfParams("Argon2id work out of bounds")


DEFAULT_ARGON2 = Argon2Params()
TESTONLY_WEAK_ARGON2 = Argon2Params(memory_kib=8, iterations=1, lanes=1)
HKDF_RECOVERY_JSON = '{"alg":"hkdf-sha256"}'


def parse_kdf(kdf_json: str) -> Argon2Params | None:
    """Parse a slot's KDF description: Argon2Params, or None for HKDF. Bounds are checked here."""
    try:
        raw = json.loads(kdf_json)
    except (ValueError, TypeError) as exc:
        raise InvalidKdfParams("KDF description is not JSON") from exc
    if not isinstance(raw, dict):
        raise InvalidKdfParams("KDF description is not an object")
    alg = raw.get("alg")
    if alg == "hkdf-sha256" and set(raw) == {"alg"}:
        return None
    if alg == "argon2id" and set(raw) == {"alg", "m", "t", "p"}:
        params = Argon2Params(memory_kib=raw["m"], iterations=raw["t"], lanes=raw["p"])
        params.check()
        return params
    raise InvalidKdfParams("unknown key derivation")


def argon2id(
    password: bytes,
    salt: bytes,
    params: Argon2Params,
    *,
    length: int = KEY_LEN,
    secret: bytes | None = None,
    ad: bytes | None = None,
) -> bytes:
    """Derive `length` bytes with Argon2id (RFC 9106, version 0x13); taken from `argon2id_ahead` when that
    was started with exactly these inputs."""
    params.check()
    if len(salt) < 8:
        raise InvalidKdfParams("salt too short")
    ahead = _taken_ahead(_inputs(password, salt, params, length, secret, ad))
    if ahead is not None:
        return ahead
    if params.memory_kib >= RELEASE_BEFORE_KIB and _has_held_more_than(RELEASE_ABOVE_KIB):
        release_free_memory()
    return _derive(password, salt, params, length, secret, ad)


def _derive(
    password: bytes, salt: bytes, params: Argon2Params, length: int, secret: bytes | None, ad: bytes | None
) -> bytes:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(
        salt=salt,
        length=length,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
        ad=ad,
        secret=secret,
    )
    return kdf.derive(password)


# At most one derivation started ahead: (its inputs, its thread, what it gave). See argon2id_ahead.
_ahead: list[tuple[tuple[bytes, ...], Any, list[bytes]]] = []
_fresh: list[bytes] = []  # the salt of the derivation started ahead, when it was drawn for a new slot


def argon2id_ahead(password: bytes, salt: bytes, params: Argon2Params) -> bool:
    """Start deriving what argon2id(password, salt, params) gives, on a thread of its own; False if one is
    already under way.

    Argon2id lets go of Python's lock while it works, so it runs on another core beside whatever the process
    does next. The next call to argon2id waits for it and takes its result when its inputs are exactly these,
    and otherwise derives as always; either way the result is given once, then forgotten here.
    """
    import threading

    params.check()
    if _ahead or len(salt) < 8:
        return False
    given: list[bytes] = []

    def run() -> None:
        with contextlib.suppress(Exception):  # anything amiss: argon2id derives again, and says what failed
            given.append(_derive(password, salt, params, KEY_LEN, None, None))

    # Not a daemon: the interpreter must not shut down around a derivation still running outside its lock.
    thread = threading.Thread(target=run, name="recovery-journal-key")
    thread.start()  # first: a thread that couldn't start is never waited for
    _ahead.append((_inputs(password, salt, params, KEY_LEN, None, None), thread, given))
    return True


def finish_ahead() -> None:
    """Wait for a derivation started ahead to end; what it gave stays for the argon2id that takes it.

    A command about to hold much in memory (an import reading its file) lets Argon2id's 64 MiB go first,
    rather than have them on top of what it reads."""
    if _ahead:
        _ahead[-1][1].join()


def argon2id_ahead_fresh(password: bytes, params: Argon2Params) -> bool:
    """argon2id_ahead with a salt drawn now, for the passphrase slot of a journal about to be made:
    `fresh_salt` gives that salt to the slot (once), and the slot's derivation then takes what was started."""
    salt = new_salt()
    if not argon2id_ahead(password, salt, params):
        return False
    _fresh.append(salt)
    return True


def fresh_salt(password: bytes, params: Argon2Params) -> bytes:
    """The salt for a new passphrase slot: the one a derivation was started ahead with for this passphrase
    and cost (argon2id_ahead_fresh: drawn for it and given out once), else a new one. Never the salt of an
    existing slot: only a salt drawn as fresh is ever given again."""
    salt = _fresh.pop() if _fresh else None
    if salt is None or not _ahead:
        return new_salt()
    started = _ahead[-1][0]
    wanted = _inputs(password, salt, params, KEY_LEN, None, None)
    if len(started) != len(wanted) or not all(map(hmac.compare_digest, started, wanted)):
        return new_salt()
    return salt


def _inputs(
    password: bytes, salt: bytes, params: Argon2Params, length: int, secret: bytes | None, ad: bytes | None
) -> tuple[bytes, ...]:
    optional = [b"" if part is None else b"=" + part for part in (secret, ad)]  # None and b"" stay apart
    return password, salt, params.to_json().encode("ascii"), b"%d" % length, *optional


def _taken_ahead(inputs: tuple[bytes, ...]) -> bytes | None:
    """The derivation started ahead, waited for, if it was started with these inputs; forgotten either way
    (one started with others finishes unwaited for, and nothing takes it)."""
    if not _ahead:
        return None
    started, thread, given = _ahead.pop()
    _fresh.clear()  # a fresh salt goes with its derivation
    if len(started) != len(inputs) or not all(map(hmac.compare_digest, started, inputs)):
        return None
    thread.join()
    return given[0] if given else None


# A derivation taking at least this much memory starts from a heap given back what it no longer uses, once
# the process has held more than its start-up needs (the interpreter and modules: about 32 MiB). Before that
# there is next to nothing to give back (0.1 to 0.2 MiB), and collecting would cost every command about 6 ms.
RELEASE_BEFORE_KIB = 1024
RELEASE_ABOVE_KIB = 36 * 1024


def _has_held_more_than(kib: int) -> bool:
    """Whether the process's peak resident memory so far is over `kib`; True where it can't be told."""
    try:
        import resource
    except ImportError:  # not a Unix: always release
        return True
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (peak // 1024 if sys.platform == "darwin" else peak) > kib  # bytes on macOS, KiB elsewhere


def release_free_memory() -> None:
    """Collect garbage, and hand the heap's free pages back to the system (glibc's malloc_trim); best effort.

    Argon2id's memory comes on top of whatever the process holds, so its peak is lower when what the process
    has finished with is gone first: after reading a whole backup, about 8 MiB of freed but kept heap.
    """
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has no malloc_trim): as it is
            import ctypes

            ctypes.CDLL(None).malloc_trim(0)


def passphrase_bytes(passphrase: str) -> bytes:
    """NFC-normalise and UTF-8 encode, so the same passphrase typed elsewhere gives the same bytes."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def hkdf_sha256(ikm: bytes, *, info: bytes, salt: bytes | None = None, length: int = KEY_LEN) -> bytes:
    """Derive `length` bytes with HKDF-SHA256 (RFC 5869)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def new_key() -> bytes:
    return os.urandom(KEY_LEN)


def new_salt() -> bytes:
    return os.urandom(SALT_LEN)


def record_key(data_key: bytes) -> bytes:
    """The key every sealed field uses, separated from the data key by HKDF."""
    return hkdf_sha256(data_key, info=b"recovery-journal/v1/records")


def ledger_key(data_key: bytes) -> bytes:
    """The key of the integrity ledger's digests and seal, separated from the data key by HKDF."""
    return hkdf_sha256(data_key, info=b"recovery-journal/v1/ledger")


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    return hmac.digest(key, data, "sha256")  # the one-shot form: the same digest, without an HMAC object


# --- key wrapping -----------------------------------------------------------------------------------------


def wrap_key(kek: bytes, key: bytes, ad: bytes) -> bytes:
    """Encrypt a key under a key-encryption key: nonce || ciphertext || tag."""
    nonce = os.urandom(NONCE_LEN)
    return nonce + AESGCM(kek).encrypt(nonce, key, ad)


def unwrap_key(kek: bytes, wrapped: bytes, ad: bytes) -> bytes:
    """Reverse wrap_key; raise InvalidCiphertext if the KEK or the associated data is wrong."""
    if len(wrapped) != WRAPPED_LEN:
        raise InvalidCiphertext("wrapped key has the wrong length")
    try:
        return AESGCM(kek).decrypt(wrapped[:NONCE_LEN], wrapped[NONCE_LEN:], ad)
    except InvalidTag as exc:
        raise InvalidCiphertext("key did not unwrap") from exc


def slot_ad(journal_id: str, kind: str, kdf_json: str) -> bytes:
    return SEP.join([b"recovery-journal/v1/key-slot", journal_id.encode(), kind.encode(), kdf_json.encode()])


# --- sealed fields ----------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _ad_prefix(table: str, column: str) -> bytes:
    return SEP.join([b"rj1", table.encode(), column.encode()]) + SEP


def field_ad(table: str, column: str, *ids: str) -> bytes:
    """Associated data binding a sealed value to its table, column and row ids."""
    return _ad_prefix(table, column) + SEP.join([i.encode() for i in ids])


def padme(length: int) -> int:
    """Round a length up as the Padmé scheme does (leaks O(log log L) bits, at most ~12% overhead)."""
    if length < 2:
        return length
    exponent = length.bit_length() - 1
    low_bits = exponent - exponent.bit_length()
    mask = (1 << low_bits) - 1
    return (length + mask) & ~mask


def pad(plaintext: bytes, minimum: int = MIN_PADDED) -> bytes:
    """Padmé padding after a 0x80 marker, to at least `minimum` bytes (fields whose size would say too much
    ask for more: a stage record's cues, a flag's true/false)."""
    size = max(minimum, padme(len(plaintext) + 1))
    return plaintext + b"\x80" + b"\x00" * (size - len(plaintext) - 1)


def unpad(padded: bytes) -> bytes:
    stripped = padded.rstrip(b"\x00")  # the 0x80 marker stops this before any zeros of the plaintext
    if not stripped.endswith(b"\x80"):
        raise InvalidCiphertext("bad padding")
    return stripped[:-1]


_VERSION_BYTE = bytes((SEALED_VERSION,))  # made once: an import seals nine values an entry


class FieldCipher:
    """Seals and opens field values with the record key (docs/encryption.md, "Sealed fields")."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, ad: bytes, minimum: int = MIN_PADDED) -> bytes:
        nonce = os.urandom(NONCE_LEN)
        return _VERSION_BYTE + nonce + self._aead.encrypt(nonce, pad(plaintext, minimum), ad)

    def open(self, sealed: bytes, ad: bytes) -> bytes:
        if not isinstance(sealed, bytes) or len(sealed) < 1 + NONCE_LEN + TAG_LEN:
            raise InvalidCiphertext("sealed value is too short")
        if sealed[0] != SEALED_VERSION:
            raise InvalidCiphertext("unknown sealed-value version")
        try:
            padded = self._aead.decrypt(sealed[1 : 1 + NONCE_LEN], sealed[1 + NONCE_LEN :], ad)
        except InvalidTag as exc:
            raise InvalidCiphertext("authentication failed") from exc
        return unpad(padded)

    def seal_text(self, value: str, ad: bytes) -> bytes:
        return self.seal(value.encode("utf-8"), ad)

    def open_text(self, sealed: bytes, ad: bytes) -> str:
        try:
            return self.open(sealed, ad).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidCiphertext("sealed text is not UTF-8") from exc

    def seal_json(self, value: Any, ad: bytes, minimum: int = MIN_PADDED) -> bytes:
        return self.seal(canonical_json(value).encode("utf-8"), ad, minimum)

    def open_json(self, sealed: bytes, ad: bytes) -> Any:
        try:
            return json.loads(self.open_text(sealed, ad))
        except ValueError as exc:
            raise InvalidCiphertext("sealed value is not JSON") from exc


# json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False), without making a new
# encoder for every value (a fifth of writing a stage record out).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


# --- recovery codes ---------------------------------------------------------------------------------------

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_READ = {c: i for i, c in enumerate(_CROCKFORD)} | {"O": 0, "I": 1, "L": 1}
RECOVERY_SECRET_LEN = 18
_RECOVERY_CHECK_LEN = 2
RECOVERY_CODE_CHARS = (RECOVERY_SECRET_LEN + _RECOVERY_CHECK_LEN) * 8 // 5
RECOVERY_GROUP = 4


class InvalidRecoveryCode(ValueError):
    """The code is malformed or fails its checksum (a typo), as opposed to a wrong code.

    `groups` names the groups of four (counted from 1) that are probably mistyped, when that can be told.
    """

    def __init__(self, why: str, groups: tuple[int, ...] = ()) -> None:
        super().__init__(why)
        self.groups = groups


def new_recovery_secret() -> bytes:
    return os.urandom(RECOVERY_SECRET_LEN)


def format_recovery_code(secret: bytes) -> str:
    """Render a secret as 8 groups of 4 Crockford base32 characters, with a 16-bit checksum inside."""
    raw = secret + hashlib.sha256(secret).digest()[:_RECOVERY_CHECK_LEN]
    number = int.from_bytes(raw, "big")
    chars = [_CROCKFORD[(number >> shift) & 31] for shift in range(len(raw) * 8 - 5, -1, -5)]
    code = "".join(chars)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def parse_recovery_code(code: str) -> bytes:
    """Read a recovery code forgivingly (case, spaces, hyphens, O/I/L) and return its secret.

    A code that fails its checksum raises InvalidRecoveryCode naming the groups that are probably mistyped.
    """
    cleaned = "".join(ch for ch in code.upper() if ch not in " -\t\n")
    if len(cleaned) != RECOVERY_CODE_CHARS:
        raise InvalidRecoveryCode("a recovery code has 32 letters and digits")
    for index, ch in enumerate(cleaned):
        if ch not in _CROCKFORD_READ:
            raise InvalidRecoveryCode(
                "a recovery code uses only digits and the letters it was printed with",
                groups=(index // RECOVERY_GROUP + 1,),
            )
    secret = _checked_secret(cleaned)
    if secret is None:
        raise InvalidRecoveryCode("the code's checksum does not match", groups=_likely_typos(cleaned))
    return secret


def _checked_secret(cleaned: str) -> bytes | None:
    """The secret of a well-formed code, or None when its checksum does not match."""
    number = 0
    for ch in cleaned:
        number = (number << 5) | _CROCKFORD_READ[ch]
    raw = number.to_bytes(RECOVERY_SECRET_LEN + _RECOVERY_CHECK_LEN, "big")
    secret, check = raw[:RECOVERY_SECRET_LEN], raw[RECOVERY_SECRET_LEN:]
    return secret if hashlib.sha256(secret).digest()[:_RECOVERY_CHECK_LEN] == check else None


def _likely_typos(cleaned: str) -> tuple[int, ...]:
    """Groups (1-8) where one changed character or one swap of neighbours makes the checksum match.

    Only the groups are told, never the guessed code: with a 16-bit checksum a guess is sometimes wrong.
    """
    found = []
    for start in range(0, RECOVERY_CODE_CHARS, RECOVERY_GROUP):
        group = range(start, start + RECOVERY_GROUP)
        swaps = [cleaned[:i] + cleaned[i + 1] + cleaned[i] + cleaned[i + 2 :] for i in group[:-1]]
        changes = (cleaned[:i] + ch + cleaned[i + 1 :] for i in group for ch in _CROCKFORD)
        if any(_checked_secret(c) is not None for c in (*swaps, *changes) if c != cleaned):
            found.append(start // RECOVERY_GROUP + 1)
    return tuple(found)


def recovery_backup_keypair(secret: bytes) -> tuple[bytes, bytes]:
    """The key pair a recovery code gives for opening backups: (private, public), never stored privately."""
    private = hkdf_sha256(secret, info=b"recovery-journal/v1/recovery-backups")
    return private, public_of(private)


def recovery_kek(secret: bytes, salt: bytes) -> bytes:
    return hkdf_sha256(secret, salt=salt, info=b"recovery-journal/v1/recovery-code")


# --- sealing to a public key (quick capture) ----------------------------------------------------------------

X25519_LEN = 32


def capture_keypair() -> tuple[bytes, bytes]:
    """A new X25519 key pair as raw bytes: (private, public)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    return _raw_private(private), _raw_public(private.public_key())


CAPTURE_INFO = b"recovery-journal/v1/capture"


def seal_to(public: bytes, plaintext: bytes, ad: bytes, info: bytes = CAPTURE_INFO) -> bytes:
    """Seal for the holder of `public`'s private key only: ephemeral_public || nonce || AES-GCM (padded)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    key = _sealing_key(shared, ephemeral_public, public, info)
    nonce = os.urandom(NONCE_LEN)
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, pad(plaintext), ad)


def open_sealed_to(private: bytes, sealed: bytes, ad: bytes, info: bytes = CAPTURE_INFO) -> bytes:
    """Open what seal_to sealed for this private key; InvalidCiphertext for anything else."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

    if len(sealed) < X25519_LEN + NONCE_LEN + TAG_LEN:
        raise InvalidCiphertext("sealed value is too short")
    ephemeral_public, nonce = sealed[:X25519_LEN], sealed[X25519_LEN : X25519_LEN + NONCE_LEN]
    try:
        mine = X25519PrivateKey.from_private_bytes(private)
        shared = mine.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _sealing_key(shared, ephemeral_public, _raw_public(mine.public_key()), info)
        padded = AESGCM(key).decrypt(nonce, sealed[X25519_LEN + NONCE_LEN :], ad)
    except (InvalidTag, ValueError) as exc:
        raise InvalidCiphertext("does not open") from exc
    return unpad(padded)


def public_of(private: bytes) -> bytes:
    """The X25519 public key that belongs to a private key."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    return _raw_public(X25519PrivateKey.from_private_bytes(private).public_key())


def _sealing_key(shared: bytes, ephemeral_public: bytes, public: bytes, info: bytes) -> bytes:
    return hkdf_sha256(shared, info=info, salt=ephemeral_public + public)


def _raw_private(key: object) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(  # type: ignore[attr-defined, no-any-return]
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _raw_public(key: object) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)  # type: ignore[attr-defined, no-any-return]
