"""What keeps a command's peak memory low (measured in bench/footprint.py, never here): a passphrase stretched
ahead of time makes the same slot, a large derivation starts from a collected heap, the store hands back its
cache, and a restore derives the new journal's key before it reads the backup."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from recovery_journal.errors import WrongSecret
from recovery_journal.journal.service import Journal
from recovery_journal.sealing import crypto, vault
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE, Cli


def test_a_journal_made_from_a_stretched_passphrase_opens_with_that_passphrase(settings: Settings) -> None:
    stretched = vault.stretch(PASSPHRASE, settings.kdf)
    made, _code = Journal.create(settings, stretched)
    with made:
        made.write("Made from a passphrase stretched ahead.")
    with Journal.unlock(settings, PASSPHRASE) as opened:
        assert opened.entries().entries[0].text == "Made from a passphrase stretched ahead."
    with pytest.raises(WrongSecret):
        Journal.unlock(settings, PASSPHRASE + " not")


def test_each_stretch_takes_a_new_salt_and_keeps_its_cost(settings: Settings) -> None:
    one, two = vault.stretch(PASSPHRASE, settings.kdf), vault.stretch(PASSPHRASE, settings.kdf)
    assert one.salt != two.salt and one.kek != two.kek
    assert one.params == settings.kdf
    assert PASSPHRASE not in repr(one) and one.kek.hex() not in repr(one)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _derive_beside_garbage(memory_kib: int) -> tuple[bool, bytes]:
    """Derive a key while an unreachable cycle waits; whether the cycle was collected first, and the key."""
    gc.disable()  # only the release may collect it
    try:
        cycle = _Cycle()
        gone = weakref.ref(cycle)
        del cycle
        assert gone() is not None
        params = crypto.Argon2Params(memory_kib=memory_kib, iterations=1, lanes=1)
        key = crypto.argon2id(b"words", b"sixteen byte slt", params)
        return gone() is None, key
    finally:
        gc.enable()


def test_a_large_derivation_first_collects_what_the_process_has_finished_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held: list[int] = []
    monkeypatch.setattr(crypto, "_has_held_more_than", lambda kib: held.append(kib) or True)
    collected, key = _derive_beside_garbage(crypto.RELEASE_BEFORE_KIB)
    assert collected, "the cycle was still held while Argon2id took its memory"
    assert held == [crypto.RELEASE_ABOVE_KIB]
    params = crypto.Argon2Params(memory_kib=crypto.RELEASE_BEFORE_KIB, iterations=1, lanes=1)
    assert key == crypto.argon2id(b"words", b"sixteen byte slt", params)  # the release changes no key


def test_a_process_that_has_held_only_its_start_up_skips_the_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(crypto, "_has_held_more_than", lambda kib: False)
    collected, _key = _derive_beside_garbage(crypto.RELEASE_BEFORE_KIB)
    assert not collected  # nothing much to give back yet: the ~6 ms a collection costs are saved


def test_the_peak_so_far_is_read_from_the_process() -> None:
    assert crypto._has_held_more_than(1024)  # a test process has held more than 1 MiB
    assert not crypto._has_held_more_than(1024 * 1024 * 1024)  # and less than 1 TiB


def test_the_store_hands_back_its_cache_and_reads_on(journal: Journal) -> None:
    journal.write("Still here after the cache is handed back.")
    journal.store.release_memory()
    assert journal.entries().entries[0].text == "Still here after the cache is handed back."


def test_a_restore_derives_the_new_journals_key_before_reading_the_backup(
    cli: Cli, initialised: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("write", input="Kept through the restore.").exit_code == 0
    made = tmp_path / "b.rjbackup"
    assert cli("backup", "create", str(made)).exit_code == 0
    order: list[str] = []
    real_stretch, real_argon2id = vault.stretch, crypto.argon2id

    def stretch(passphrase: str, params: crypto.Argon2Params) -> vault.Stretched:
        order.append("stretch")
        return real_stretch(passphrase, params)

    def argon2id(*args: object, **kwargs: object) -> bytes:
        order.append("derive")
        return real_argon2id(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vault, "stretch", stretch)
    monkeypatch.setattr(crypto, "argon2id", argon2id)
    ran = cli("--journal", str(tmp_path / "restored"), "backup", "restore", str(made))
    assert ran.exit_code == 0, ran.stderr
    # the new journal's key first (stretch, its derivation), then the backup's: none after reading it
    assert order == ["stretch", "derive", "derive"]
    monkeypatch.undo()
    settings = Settings.from_env(tmp_path / "restored")
    with Journal.unlock(settings, PASSPHRASE) as restored:
        assert [e.text for e in restored.entries().entries] == ["Kept through the restore."]
