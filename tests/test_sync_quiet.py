"""A sync with nothing new looks at nothing it doesn't need (issue 17): no entry, milestone, counter or plan.

While the journal's ledger generation is the one a sync saved after finding everything sent, nothing in it
has changed since; any write moves the generation on, and the next sync looks at everything again.
What taking in notes without applying a file (a new device, a late copy left alone) is saved all the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings
from recovery_journal.sync import engine, joining, registers

from .conftest import PASSPHRASE, Cli
from .test_startup import loaded_by


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Journal, Journal]]:
    folder = tmp_path / "Sync"
    laptop, _code = Journal.create(Settings.from_env(tmp_path / "laptop"), PASSPHRASE)
    laptop.write("Written before sync was set up.")
    engine.setup(laptop, folder)
    found = joining.find_keys(folder, passphrase=PASSPHRASE)
    desktop, _report = joining.join(Settings.from_env(tmp_path / "desktop"), folder, found, PASSPHRASE)
    yield laptop, desktop
    laptop.close()
    desktop.close()


@pytest.fixture
def looks(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often a sync reads every entry's fingerprint, opens the shared values, or opens an entry."""
    counts = {"fingerprints": 0, "values": 0, "history": 0}

    def counted(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(engine, "fingerprints", counted("fingerprints", engine.fingerprints))
    monkeypatch.setattr(registers, "journal_values", counted("values", registers.journal_values))
    monkeypatch.setattr(Journal, "history", counted("history", Journal.history))
    return counts


def sync_both(pair: tuple[Journal, Journal]) -> None:
    for _ in range(2):
        for journal in pair:
            engine.run(journal)


def test_a_sync_with_nothing_new_opens_nothing(pair: tuple[Journal, Journal], looks: dict[str, int]) -> None:
    laptop, desktop = pair
    laptop.write("Something to carry.")
    laptop.milestones.add("Thirty days")
    sync_both(pair)
    looks.update(dict.fromkeys(looks, 0))
    report = engine.run(desktop)
    assert (report.files_applied, report.written, report.entries_sent) == (0, None, 0)
    assert looks == {"fingerprints": 0, "values": 0, "history": 0}


def test_after_a_quiet_sync_an_entry_written_here_is_still_sent(pair: tuple[Journal, Journal]) -> None:
    laptop, desktop = pair
    sync_both(pair)
    engine.run(desktop)
    desktop.write("Written after a sync with nothing new.")
    report = engine.run(desktop)
    assert report.entries_sent == 1 and report.written is not None
    assert engine.run(laptop).entries_added == 1


def test_after_a_quiet_sync_a_milestone_added_here_is_still_sent(
    pair: tuple[Journal, Journal], looks: dict[str, int]
) -> None:
    laptop, desktop = pair
    sync_both(pair)
    engine.run(desktop)
    desktop.milestones.add("Ninety days")
    looks.update(dict.fromkeys(looks, 0))
    assert engine.run(desktop).written is not None
    assert looks["values"] == 1
    engine.run(laptop)
    assert [m.text for m in laptop.milestones.all()] == ["Ninety days"]


def test_the_generation_saved_is_the_one_the_journal_has_after_the_save(
    pair: tuple[Journal, Journal],
) -> None:
    from recovery_journal.sync import state

    _laptop, desktop = pair
    desktop.write("Something to send.")
    assert engine.run(desktop).written is not None
    with desktop.store.read() as con:
        saved = state.load(con, desktop.cipher, desktop.keys.journal_id)
    assert saved is not None and saved.checked is not None
    assert saved.checked == desktop.generation()


def _saved(journal: Journal) -> Any:
    from recovery_journal.sync import state

    with journal.store.read() as con:
        return state.load(con, journal.cipher, journal.keys.journal_id)


def test_a_damaged_late_copy_is_remembered_and_not_opened_again(
    pair: tuple[Journal, Journal], monkeypatch: pytest.MonkeyPatch
) -> None:
    from recovery_journal.sync import changes

    laptop, desktop = pair
    laptop.write("Carried in file 2.")
    sync_both(pair)
    mine = engine._ensure(laptop)
    copy = Path(mine.folder) / mine.device / "2.sync-conflict-20260102-1.rjsync"
    copy.write_bytes(b"RJSYNC\x01not a real copy")  # arrives after file 2 was applied on the desktop
    report = engine.run(desktop)
    assert (report.files_applied, report.skipped) == (0, [])
    opened: list[int] = []
    real = changes.open_change

    def counted(*args: Any, **kwargs: Any) -> Any:
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(changes, "open_change", counted)
    state = _saved(desktop)
    again = engine.run(desktop)
    assert (again.files_applied, again.skipped) == (0, [])
    assert opened == []  # remembered by the sync that first found it, not tried on every sync
    assert _saved(desktop).sealed == engine._ensure(desktop).sealed
    assert state.copies != [] and _saved(desktop).copies == state.copies


def test_a_new_device_with_nothing_to_take_is_remembered(
    tmp_path: Path, pair: tuple[Journal, Journal]
) -> None:
    laptop, desktop = pair
    sync_both(pair)
    folder = Path(engine._ensure(laptop).folder)
    found = joining.find_keys(folder, passphrase=PASSPHRASE)
    tablet, _report = joining.join(Settings.from_env(tmp_path / "tablet"), folder, found, PASSPHRASE)
    try:
        device = engine._ensure(tablet).device
        assert engine.run(desktop).files_applied == 0  # the tablet's folder holds only its manifest
        assert device in _saved(desktop).applied
        quiet = _saved(desktop).sealed
        engine.run(desktop)
        assert _saved(desktop).sealed == quiet  # noted once: a sync after it has nothing new to save
    finally:
        tablet.close()


def test_a_change_sync_doesn_t_carry_is_looked_at_once(
    pair: tuple[Journal, Journal], looks: dict[str, int]
) -> None:
    _laptop, desktop = pair
    sync_both(pair)
    desktop.access.change_passphrase("a new passphrase for the desktop")  # in its manifest, in no change file
    looks.update(dict.fromkeys(looks, 0))
    assert engine.run(desktop).written is None
    assert looks["fingerprints"] == 1
    engine.run(desktop)
    assert looks["fingerprints"] == 1  # the first look was noted: nothing has changed here since


def test_a_sync_with_nothing_new_loads_only_what_it_uses(
    cli: Cli, initialised: object, tmp_path: Path
) -> None:
    assert cli("write", input="Carried once.").exit_code == 0
    assert cli("sync", "setup", str(tmp_path / "Sync")).exit_code == 0
    done, modules = loaded_by("sync")
    assert done.returncode == 0, done.stderr
    assert "nothing new" in done.stderr
    unused = tuple(f"recovery_journal.{name}" for name in ("sync.registers", "sync.joining", "portability"))
    assert not {m for m in modules if m.startswith(unused)}, "needed only when a change comes or goes"
