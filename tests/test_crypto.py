"""The crypto checklist: round trips, fresh salts and nonces, wrong keys, tampering, truncation, versions."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.sealing import crypto

KEY = bytes(range(32))
AD = crypto.field_ad("entries", "text", "8a1c3f9e-0000-4000-8000-000000000001")


@given(
    plaintext=st.binary(max_size=5000),
    table=st.sampled_from(["entries", "revisions"]),
    column=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
    row=st.uuids(),
)
def test_sealed_field_round_trips(plaintext: bytes, table: str, column: str, row: object) -> None:
    cipher = crypto.FieldCipher(KEY)
    ad = crypto.field_ad(table, column, str(row))
    assert cipher.open(cipher.seal(plaintext, ad), ad) == plaintext


@given(text=st.text(max_size=2000))
def test_unicode_text_round_trips_exactly(text: str) -> None:
    cipher = crypto.FieldCipher(KEY)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates are refused before sealing (see test_entry_validation)
    assert cipher.open_text(cipher.seal_text(text, AD), AD) == text


def test_every_seal_uses_a_fresh_nonce() -> None:
    cipher = crypto.FieldCipher(KEY)
    nonces = {cipher.seal(b"same words", AD)[1:13] for _ in range(500)}
    assert len(nonces) == 500


def test_every_salt_and_key_is_fresh() -> None:
    assert len({crypto.new_salt() for _ in range(200)}) == 200
    assert len({crypto.new_key() for _ in range(200)}) == 200


def test_wrong_key_fails() -> None:
    sealed = crypto.FieldCipher(KEY).seal(b"words", AD)
    with pytest.raises(crypto.InvalidCiphertext):
        crypto.FieldCipher(bytes(32)).open(sealed, AD)


@pytest.mark.parametrize(
    "other",
    [
        crypto.field_ad("entries", "title", "8a1c3f9e-0000-4000-8000-000000000001"),  # another column
        crypto.field_ad("entries", "text", "8a1c3f9e-0000-4000-8000-000000000002"),  # another row
        crypto.field_ad("revisions", "text", "8a1c3f9e-0000-4000-8000-000000000001"),  # another table
    ],
)
def test_ciphertext_moved_elsewhere_fails(other: bytes) -> None:
    cipher = crypto.FieldCipher(KEY)
    with pytest.raises(crypto.InvalidCiphertext):
        cipher.open(cipher.seal(b"words", AD), other)


def test_every_flipped_bit_is_detected() -> None:
    cipher = crypto.FieldCipher(KEY)
    sealed = cipher.seal(b"a short entry", AD)
    for index in range(len(sealed)):
        for bit in (1, 0x80):
            damaged = bytearray(sealed)
            damaged[index] ^= bit
            with pytest.raises(crypto.InvalidCiphertext):
                cipher.open(bytes(damaged), AD)


def test_truncated_and_extended_values_fail() -> None:
    cipher = crypto.FieldCipher(KEY)
    sealed = cipher.seal(b"a short entry", AD)
    for cut in range(len(sealed)):
        with pytest.raises(crypto.InvalidCiphertext):
            cipher.open(sealed[:cut], AD)
    with pytest.raises(crypto.InvalidCiphertext):
        cipher.open(sealed + b"\x00", AD)


def test_unknown_sealed_version_is_refused() -> None:
    cipher = crypto.FieldCipher(KEY)
    sealed = bytearray(cipher.seal(b"words", AD))
    sealed[0] = 2
    with pytest.raises(crypto.InvalidCiphertext, match="version"):
        cipher.open(bytes(sealed), AD)


@given(length=st.integers(min_value=0, max_value=200_000))
@settings(max_examples=300)
def test_padding_hides_small_differences_and_is_bounded(length: int) -> None:
    padded = len(crypto.pad(b"x" * length))
    assert padded >= max(crypto.MIN_PADDED, length + 1)
    assert padded <= max(crypto.MIN_PADDED, (length + 1) * 1.13)
    assert crypto.unpad(crypto.pad(b"y" * length)) == b"y" * length


def test_short_values_share_one_length() -> None:
    cipher = crypto.FieldCipher(KEY)
    assert {len(cipher.seal(b"x" * n, AD)) for n in range(0, 31)} == {1 + 12 + 32 + 16}


def test_padme_rounds_as_specified() -> None:
    # L=9: E=3, S=2, one low bit cleared -> 10. L=100: E=6, S=3, three bits -> 104. L=1000: E=9 -> 1024.
    assert [crypto.padme(n) for n in (1, 2, 9, 100, 1000)] == [1, 2, 10, 104, 1024]


def test_key_wrap_round_trip_and_binding() -> None:
    kek, key = crypto.new_key(), crypto.new_key()
    ad = crypto.slot_ad("journal-1", "passphrase", '{"alg":"argon2id","m":8,"p":1,"t":1}')
    wrapped = crypto.wrap_key(kek, key, ad)
    assert len(wrapped) == crypto.WRAPPED_LEN
    assert crypto.unwrap_key(kek, wrapped, ad) == key
    for other in (
        crypto.slot_ad("journal-2", "passphrase", "{}"),
        crypto.slot_ad("journal-1", "recovery", "{}"),
    ):
        with pytest.raises(crypto.InvalidCiphertext):
            crypto.unwrap_key(kek, wrapped, other)
    with pytest.raises(crypto.InvalidCiphertext):
        crypto.unwrap_key(crypto.new_key(), wrapped, ad)


def test_argon2id_matches_rfc_9106_test_vector() -> None:
    """RFC 9106 section 5.3: Argon2id, t=3, m=32 KiB, p=4, with secret and associated data."""
    tag = crypto.argon2id(
        b"\x01" * 32,
        b"\x02" * 16,
        crypto.Argon2Params(memory_kib=32, iterations=3, lanes=4),
        length=32,
        secret=b"\x03" * 8,
        ad=b"\x04" * 12,
    )
    assert tag.hex() == "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"


def test_passphrases_are_nfc_normalised() -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert crypto.passphrase_bytes(composed) == crypto.passphrase_bytes(decomposed)


@pytest.mark.parametrize(
    "kdf",
    [
        '{"alg":"argon2id","m":4194304,"p":4,"t":3}',  # 4 GiB: absurd, refused before deriving
        '{"alg":"argon2id","m":65536,"p":4,"t":100000}',
        '{"alg":"argon2id","m":65536,"p":0,"t":3}',
        '{"alg":"argon2id","m":4,"p":1,"t":1}',
        '{"alg":"argon2id","m":"65536","p":4,"t":3}',
        '{"alg":"argon2id","m":65536,"p":4}',
        '{"alg":"argon2id","m":65536,"p":4,"t":3,"extra":1}',
        '{"alg":"scrypt"}',
        "not json",
        "[]",
    ],
)
def test_out_of_bounds_kdf_parameters_are_refused(kdf: str) -> None:
    with pytest.raises(crypto.InvalidKdfParams):
        crypto.parse_kdf(kdf)


def test_default_kdf_parameters_parse_back() -> None:
    assert crypto.parse_kdf(crypto.DEFAULT_ARGON2.to_json()) == crypto.DEFAULT_ARGON2
    assert crypto.parse_kdf(crypto.HKDF_RECOVERY_JSON) is None
    assert not crypto.DEFAULT_ARGON2.is_weak and crypto.TESTONLY_WEAK_ARGON2.is_weak


@given(secret=st.binary(min_size=18, max_size=18))
def test_recovery_codes_round_trip(secret: bytes) -> None:
    code = crypto.format_recovery_code(secret)
    assert len(code) == 39 and code.count("-") == 7
    assert crypto.parse_recovery_code(code) == secret
    assert crypto.parse_recovery_code(code.lower().replace("-", " ")) == secret


def test_recovery_code_reading_forgives_confusable_letters() -> None:
    secret = bytes(18)
    code = crypto.format_recovery_code(secret)
    assert "0" in code
    assert crypto.parse_recovery_code(code.replace("0", "O")) == secret


def test_recovery_code_typo_is_caught_by_the_checksum() -> None:
    code = crypto.format_recovery_code(hashlib.sha256(b"seed").digest()[:18])
    first = code[0]
    typo = ("1" if first != "1" else "2") + code[1:]
    with pytest.raises(crypto.InvalidRecoveryCode, match="checksum"):
        crypto.parse_recovery_code(typo)
    with pytest.raises(crypto.InvalidRecoveryCode):
        crypto.parse_recovery_code(code[:-1])
    with pytest.raises(crypto.InvalidRecoveryCode):
        crypto.parse_recovery_code(code[:-1] + "U")
