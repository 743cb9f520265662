"""A journal folder copied elsewhere must not sync as the device it was copied from (issue 17)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from recovery_journal.errors import AlreadyExists, ExitCode
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings
from recovery_journal.sync import engine, seat
from recovery_journal.sync.state import load, save

from .conftest import PASSPHRASE, Cli


def _copy(journal: Journal, to: Path) -> Journal:
    """Copy the journal's folder, as someone moving to a new machine would, and open the copy."""
    journal.close()
    shutil.copytree(journal.settings.paths.home, to)
    return Journal.unlock(Settings.from_env(to), PASSPHRASE)


def test_a_copied_journal_is_refused_and_the_original_syncs_on(tmp_path: Path) -> None:
    where = tmp_path / "Sync" / "journal"
    laptop, _code = Journal.create(Settings.from_env(tmp_path / "laptop"), PASSPHRASE)
    laptop.write("Written on the laptop.")
    engine.setup(laptop, where)
    copy = _copy(laptop, tmp_path / "new-machine")
    with copy:
        copy.write("Written on the copy.")
        before = sorted(p.name for p in (where / load_device(copy)).iterdir())
        with pytest.raises(AlreadyExists) as refused:
            engine.run(copy)
        assert refused.value.exit_code == ExitCode.ALREADY_EXISTS
        assert "sync leave" in (refused.value.hint or "") and "Written" not in refused.value.message
        assert sorted(p.name for p in (where / load_device(copy)).iterdir()) == before  # nothing written
        # The hint works: leave, then set up the same folder as a device of its own.
        engine.leave(copy)
        report = engine.setup(copy, where)
        assert report.device != load_device_of(tmp_path / "laptop")
    with Journal.unlock(Settings.from_env(tmp_path / "laptop"), PASSPHRASE) as original:
        engine.run(original)  # the copy leaving didn't take the original's note away
        texts = {e.text for e in original.entries().entries}
        assert texts == {"Written on the laptop.", "Written on the copy."}


def test_a_copy_on_another_machine_is_refused_even_at_the_same_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "Sync" / "journal"
    with Journal.create(Settings.from_env(tmp_path / "laptop"), PASSPHRASE)[0] as laptop:
        engine.setup(laptop, where)
        engine.run(laptop)
        monkeypatch.setattr(seat, "machine", lambda: "another machine")  # the same folder, another machine
        with pytest.raises(AlreadyExists):
            engine.run(laptop)


def test_a_state_from_before_notes_is_noted_at_its_next_sync(tmp_path: Path) -> None:
    where = tmp_path / "Sync" / "journal"
    settings = Settings.from_env(tmp_path / "laptop")
    with Journal.create(settings, PASSPHRASE)[0] as laptop:
        engine.setup(laptop, where)
        with laptop.store.write() as con:
            found = load(con, laptop.cipher, laptop.keys.journal_id)
            assert found is not None
            found.seated = False
            save(con, laptop.cipher, laptop.keys.journal_id, found)
        shutil.rmtree(settings.config.parent / seat.FOLDER)  # type: ignore[union-attr]
        engine.run(laptop)  # an older journal: noted now, not refused
        assert seat.holds(settings, laptop.keys.journal_id, found.device)
        engine.run(laptop)


def test_the_note_names_no_words_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    settings = Settings.from_env(tmp_path / "laptop")
    with Journal.create(settings, PASSPHRASE)[0] as laptop:
        laptop.write("A private sentence.")
        engine.setup(laptop, tmp_path / "Sync")
        notes = list((settings.config.parent / seat.FOLDER).iterdir())  # type: ignore[union-attr]
    assert len(notes) == 1 and notes[0].stat().st_mode & 0o077 == 0
    assert set(json.loads(notes[0].read_text())) == {"device", "format", "home", "journal", "machine"}
    assert "private" not in notes[0].read_text()


def test_the_cli_refuses_a_copy_calmly(tmp_path: Path, cli: Cli, initialised: object) -> None:
    assert cli("sync", "setup", str(tmp_path / "Sync")).exit_code == 0
    home = Settings.from_env().paths.home
    shutil.copytree(home, tmp_path / "copy")
    ran = cli("--journal", str(tmp_path / "copy"), "sync")
    assert ran.exit_code == ExitCode.ALREADY_EXISTS
    assert "copy" in ran.stderr and "sync leave" in ran.stderr and "Traceback" not in ran.stderr
    assert cli("sync").exit_code == 0


def load_device(journal: Journal) -> str:
    with journal.store.read() as con:
        found = load(con, journal.cipher, journal.keys.journal_id)
    assert found is not None
    return found.device


def load_device_of(home: Path) -> str:
    with Journal.unlock(Settings.from_env(home), PASSPHRASE) as journal:
        return load_device(journal)
