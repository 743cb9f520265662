"""Sync through a folder: three journal homes sharing one folder, as three devices would (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recovery_journal.domain.entry import EntryChanges
from recovery_journal.errors import InvalidInput, WrongSecret
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings
from recovery_journal.sync import engine, joining

from .conftest import PASSPHRASE


def contents(journal: Journal) -> dict[str, tuple[str, frozenset[str]]]:
    """Per entry uuid: its current words and the set of every version's words (what a person would see)."""
    found = {}
    for entry in journal.entries().entries:
        _, revisions = journal.history(entry.id)
        found[entry.uuid] = (entry.text, frozenset([entry.text, *(r.text for r in revisions)]))
    return found


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Sync" / "journal"


@pytest.fixture
def devices(tmp_path: Path, folder: Path) -> Iterator[list[Journal]]:
    """Three devices: the first sets up sync, the other two join through the folder."""
    first, _code = Journal.create(Settings.from_env(tmp_path / "laptop"), PASSPHRASE)
    first.write("Written before sync was set up.")
    engine.setup(first, folder)
    opened = [first]
    for name in ("desktop", "tablet"):
        found = joining.find_keys(folder, passphrase=PASSPHRASE)
        journal, _report = joining.join(Settings.from_env(tmp_path / name), folder, found, PASSPHRASE)
        opened.append(journal)
    yield opened
    for journal in opened:
        journal.close()


def sync_all(devices: list[Journal], rounds: int = 2) -> None:
    for _ in range(rounds):
        for journal in devices:
            engine.run(journal)


def test_a_joined_device_holds_what_the_first_had(devices: list[Journal]) -> None:
    laptop, desktop, tablet = devices
    assert contents(desktop) == contents(laptop) == contents(tablet)
    assert [e.text for e in desktop.entries().entries] == ["Written before sync was set up."]
    assert desktop.keys.journal_id == laptop.keys.journal_id


def test_writes_edits_and_deletes_reach_every_device(devices: list[Journal]) -> None:
    laptop, desktop, tablet = devices
    laptop.write("From the laptop.")
    kept = desktop.write("From the desktop, to be edited.")
    gone = tablet.write("From the tablet, to be deleted.")
    sync_all(devices)
    desktop.edit(kept.id, EntryChanges(text="Edited on the desktop."))
    on_laptop = {e.uuid: e.id for e in laptop.entries().entries}
    laptop.delete(on_laptop[gone.uuid])
    sync_all(devices)
    assert contents(laptop) == contents(desktop) == contents(tablet)
    texts = {text for text, _ in contents(tablet).values()}
    assert "Edited on the desktop." in texts
    assert "From the tablet, to be deleted." not in texts
    assert len(texts) == 3


def test_conflicting_edits_keep_both_and_every_device_agrees(devices: list[Journal]) -> None:
    laptop, desktop, _tablet = devices
    shared = laptop.write("The first words.")
    sync_all(devices)
    ids = [{e.uuid: e.id for e in d.entries().entries}[shared.uuid] for d in devices]
    laptop.edit(ids[0], EntryChanges(text="Changed on the laptop."))
    desktop.edit(ids[1], EntryChanges(text="Changed on the desktop."))
    sync_all(devices, rounds=3)
    seen = [contents(d)[shared.uuid] for d in devices]
    assert seen[0] == seen[1] == seen[2]
    assert {"Changed on the laptop.", "Changed on the desktop.", "The first words."} <= seen[0][1]


def test_syncing_again_adds_nothing(devices: list[Journal]) -> None:
    laptop, desktop, _tablet = devices
    laptop.write("Once.")
    sync_all(devices)
    before = contents(desktop)
    again = engine.run(desktop)
    assert again.written is None and again.files_applied == 0
    assert contents(desktop) == before


def test_an_edit_on_one_device_wins_over_a_deletion_it_never_saw(devices: list[Journal]) -> None:
    laptop, desktop, _tablet = devices
    shared = laptop.write("Keep me, maybe.")
    sync_all(devices)
    on = [{e.uuid: e.id for e in d.entries().entries}[shared.uuid] for d in devices]
    laptop.delete(on[0])
    desktop.edit(on[1], EntryChanges(text="I still want this."))
    sync_all(devices, rounds=3)
    for journal in devices:
        assert contents(journal)[shared.uuid][0] == "I still want this."


def test_damaged_and_stray_files_are_skipped_named_and_retried(devices: list[Journal], folder: Path) -> None:
    laptop, desktop, _tablet = devices
    laptop.write("Arrives in one piece later.")
    report = engine.run(laptop)
    own = folder / laptop_device(laptop) / f"{report.written}.rjsync"
    whole = own.read_bytes()
    own.write_bytes(whole[: len(whole) // 2])  # a sync tool still copying it
    (own.parent / ".syncthing.9.rjsync.tmp").write_bytes(b"half")
    (own.parent / "9.rjsync.partial").write_bytes(b"half")
    before = contents(desktop)
    cut = engine.run(desktop)
    assert [s.name for s in cut.skipped] == [own.name]
    assert contents(desktop) == before  # it changed nothing
    own.write_bytes(whole)
    later = engine.run(desktop)
    assert later.skipped == [] and later.entries_added == 1


def test_a_renamed_or_moved_file_does_not_authenticate(devices: list[Journal], folder: Path) -> None:
    laptop, desktop, _tablet = devices
    laptop.write("Only under its own name.")
    written = engine.run(laptop).written
    source = folder / laptop_device(laptop) / f"{written}.rjsync"
    moved = folder / engine.status(desktop).device / "1000.rjsync"
    moved.write_bytes(source.read_bytes())
    source.rename(source.with_name(f"{written + 1}.rjsync"))
    report = engine.run(desktop)
    assert report.entries_added == 0
    assert {s.name for s in report.skipped} == {f"{written + 1}.rjsync", "1000.rjsync"}


def test_a_conflicted_copy_with_the_same_bytes_is_ignored(devices: list[Journal], folder: Path) -> None:
    laptop, desktop, _tablet = devices
    laptop.write("Copied by a sync tool.")
    written = engine.run(laptop).written
    source = folder / laptop_device(laptop) / f"{written}.rjsync"
    (source.parent / f"{written} (conflicted copy 2026-01-02).rjsync").write_bytes(source.read_bytes())
    (source.parent / f"{written}.sync-conflict-20260102-XYZ.rjsync").write_bytes(b"not whole")
    report = engine.run(desktop)
    assert report.entries_added == 1
    assert [s.name for s in report.skipped] == [f"{written}.sync-conflict-20260102-XYZ.rjsync"]


def test_join_refuses_a_wrong_passphrase_and_opens_with_the_recovery_code(
    tmp_path: Path, folder: Path
) -> None:
    first, code = Journal.create(Settings.from_env(tmp_path / "laptop"), PASSPHRASE)
    with first:
        first.write("Reached with the code.")
        engine.setup(first, folder)
    with pytest.raises(WrongSecret):
        joining.find_keys(folder, passphrase="not the one")
    found = joining.find_keys(folder, code=code)
    joined, _ = joining.join(Settings.from_env(tmp_path / "phone"), folder, found, "a new passphrase here")
    with joined:
        assert [e.text for e in joined.entries().entries] == ["Reached with the code."]
    again = Journal.unlock_with_recovery_code(Settings.from_env(tmp_path / "phone"), code)
    again.close()


def test_key_rotation_is_refused_while_syncing(devices: list[Journal]) -> None:
    with pytest.raises(InvalidInput, match="syncs with other devices"):
        devices[0].access.rotate_data_key("another passphrase")


def laptop_device(journal: Journal) -> str:
    return engine.status(journal).device


def test_a_second_sync_at_once_waits_for_the_first(devices: list[Journal]) -> None:
    import threading
    import time

    from recovery_journal.sync import folder as sync_folder

    laptop, desktop, _tablet = devices
    desktop.write("Written while the laptop was syncing.")
    engine.run(desktop)
    state = engine._ensure(laptop)
    held = threading.Event()

    def first_sync() -> None:
        with sync_folder.exclusive(Path(state.folder) / state.device, 5):
            held.set()
            time.sleep(0.5)

    other = threading.Thread(target=first_sync)
    other.start()
    held.wait()
    report = engine.run(laptop)  # waits for the lock, then syncs as usual
    other.join()
    assert report.entries_added == 1


def test_a_sync_that_can_t_get_the_lock_says_so_calmly(devices: list[Journal]) -> None:
    from recovery_journal.errors import Locked
    from recovery_journal.sync import folder as sync_folder

    laptop = devices[0]
    state = engine._ensure(laptop)
    laptop.write("Not yet sent.")
    with sync_folder.exclusive(Path(state.folder) / state.device, 5), pytest.raises(Locked) as caught:
        engine.run(laptop)  # the test settings wait 2 seconds
    assert "already running" in caught.value.message
    assert engine._ensure(laptop).seq == state.seq  # nothing was written
    assert engine.run(laptop).written == state.seq + 1


def test_a_conflicted_copy_arriving_after_its_number_was_applied_is_taken_too(devices: list[Journal]) -> None:
    from recovery_journal.portability import portable
    from recovery_journal.sync import changes

    laptop, desktop, _tablet = devices
    state = engine._ensure(laptop)
    engine.run(desktop)  # the laptop's file 1 is applied there
    other = laptop.write("Only in a conflicted copy of file 1.")
    entry, revisions = laptop.history(other.id)
    cipher = changes.sync_cipher(laptop.keys.data_key)
    copy = changes.seal_change(
        cipher,
        laptop.keys.journal_id,
        changes.Change(state.device, 1, [portable.entry_record(entry, revisions)]),
    )
    device_folder = Path(state.folder) / state.device
    (device_folder / "1 (conflicted copy 2026-01-02).rjsync").write_bytes(copy)
    (device_folder / "1.sync-conflict-20260102-1.rjsync").write_bytes(b"RJSYNC\x01not a real copy")
    (device_folder / "1.sync-conflict-20260102-2.rjsync").write_bytes(
        (device_folder / "1.rjsync").read_bytes()
    )
    report = engine.run(desktop)
    assert report.entries_added == 1 and report.skipped == []
    assert other.uuid in contents(desktop)
    again = engine.run(desktop)
    assert again.files_applied == 0 and again.entries_added == 0


def test_restoring_a_backup_after_syncing_loses_and_doubles_nothing(
    devices: list[Journal], tmp_path: Path
) -> None:
    from recovery_journal.portability import backup
    from recovery_journal.sealing import crypto

    laptop, desktop, _tablet = devices
    early = laptop.write("In the backup, then edited.")
    laptop.write("In the backup, unchanged.")
    sync_all(devices)
    made = tmp_path / "before.rjbackup"
    backup.create(laptop, made, PASSPHRASE, crypto.TESTONLY_WEAK_ARGON2)
    desktop.edit(
        {e.uuid: e.id for e in desktop.entries().entries}[early.uuid], EntryChanges(text="Edited later.")
    )
    desktop.write("After the backup.")
    sync_all(devices)
    backup.merge(laptop, backup.read(made, PASSPHRASE))  # put back on the laptop, over what sync brought
    sync_all(devices)
    # A new device joins and restores the same backup into its journal, as docs/sync.md says to.
    found = joining.find_keys(Path(engine._ensure(laptop).folder), passphrase=PASSPHRASE)
    where = Path(engine._ensure(laptop).folder)
    phone, _ = joining.join(Settings.from_env(tmp_path / "phone"), where, found, PASSPHRASE)
    try:
        backup.merge(phone, backup.read(made, PASSPHRASE))
        everyone = [*devices, phone]
        sync_all(everyone)
        seen = [contents(j) for j in everyone]
        assert seen[0] == seen[1] == seen[2] == seen[3]
        for journal in everyone:
            uuids = [e.uuid for e in journal.entries().entries]
            assert len(uuids) == len(set(uuids)) == 4  # one before sync, two in the backup, one after
        current = {text for text, _ in seen[0].values()}
        assert {"Edited later.", "In the backup, unchanged.", "After the backup."} <= current
        assert "In the backup, then edited." in seen[0][early.uuid][1]  # kept in its history
    finally:
        phone.close()


def test_a_join_that_stops_halfway_is_completed_by_the_next_sync(
    devices: list[Journal], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop, _tablet = devices
    laptop.write("Second file from the laptop.")
    engine.run(laptop)
    desktop.write("From the desktop.")
    engine.run(desktop)
    where = Path(engine._ensure(laptop).folder)
    applied = []
    real = engine._apply_one

    def stops_after_one(*args: object, **kwargs: object) -> object:
        if applied:
            raise KeyboardInterrupt  # the person closed the laptop lid
        applied.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_apply_one", stops_after_one)
    home = Settings.from_env(tmp_path / "phone")
    with pytest.raises(KeyboardInterrupt):
        joining.join(home, where, joining.find_keys(where, passphrase=PASSPHRASE), PASSPHRASE)
    monkeypatch.setattr(engine, "_apply_one", real)
    phone = Journal.unlock(home, PASSPHRASE)
    try:
        assert len(phone.entries().entries) == 1  # the first file, whole
        engine.run(phone)
        engine.run(laptop)
        assert contents(phone) == contents(laptop)
        assert len(contents(phone)) == 3
    finally:
        phone.close()


def _folder_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _saved_state(journal: Journal) -> str:
    with journal.store.read() as con:
        return str(con.execute("SELECT value FROM meta WHERE key = 'sync_state'").fetchone()[0])


def test_a_sync_with_nothing_new_writes_nothing(devices: list[Journal], folder: Path) -> None:
    laptop, desktop, _tablet = devices
    laptop.write("Something to carry.")
    sync_all(devices)
    files, state = _folder_files(folder), _saved_state(desktop)
    report = engine.run(desktop)
    assert (report.files_applied, report.written) == (0, None)
    assert _folder_files(folder) == files  # no change file, and the manifest left as it was
    assert _saved_state(desktop) == state
    desktop.write("Now something new.")
    assert engine.run(desktop).written is not None
    assert _saved_state(desktop) != state


def test_a_passphrase_changed_here_reaches_the_folder_with_nothing_else_new(
    devices: list[Journal], folder: Path, tmp_path: Path
) -> None:
    laptop = devices[0]
    sync_all(devices)
    laptop.access.change_passphrase("a different passphrase for the laptop")
    assert engine.run(laptop).written is None
    found = joining.find_keys(folder, passphrase="a different passphrase for the laptop")
    assert found.keys.journal_id == laptop.keys.journal_id
