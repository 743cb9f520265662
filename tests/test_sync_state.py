"""What a device remembers of its sync folder: a small head every sync opens, the per-entry part apart.

A sync with nothing new opens the head alone; a state saved as one record (format 1) is read and saved anew.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recovery_journal.domain.entry import EntryChanges
from recovery_journal.errors import Damaged, ExitCode
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings
from recovery_journal.sync import engine, joining, state

from .conftest import PASSPHRASE


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


def texts(journal: Journal) -> dict[str, str]:
    return {e.uuid: e.text for e in journal.entries().entries}


def meta(journal: Journal, key: str) -> str | None:
    with journal.store.read() as con:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def opened(journal: Journal, key: str) -> Any:
    raw = meta(journal, key)
    assert raw is not None
    return journal.cipher.open_json(base64.b64decode(raw), state._ad(journal.keys.journal_id, key))


def as_format_1(journal: Journal, change: Any = None) -> None:
    """Save the state as versions before the split did: one record holding the per-entry part too."""
    with journal.store.write() as con:
        found = state.load(con, journal.cipher, journal.keys.journal_id, whole=True)
        assert found is not None and found.per_entry is not None
        if change is not None:
            change(con, found)
        raw = {**found.head_json(), **found.per_entry.to_json(), "format": 1}
        del raw["part"]
        sealed = journal.cipher.seal_json(raw, state._ad(journal.keys.journal_id))
        con.execute(
            "UPDATE meta SET value = ? WHERE key = ?", (base64.b64encode(sealed).decode("ascii"), state.KEY)
        )
        con.execute("DELETE FROM meta WHERE key = ?", (state.PART_KEY,))


def test_the_head_holds_no_entry_and_names_the_part_saved_with_it(pair: tuple[Journal, Journal]) -> None:
    laptop, _desktop = pair
    laptop.write("A second entry.")
    engine.run(laptop)
    head, part = opened(laptop, state.KEY), opened(laptop, state.PART_KEY)
    assert head["format"] == part["format"] == state.FORMAT
    assert head["part"] == part["part"]
    assert not {"published", "registers", "tombstones"} & set(head)
    assert set(part["published"]) == set(texts(laptop))
    assert not set(texts(laptop)) & set(str(head))  # no entry's uuid in the head


def test_a_sync_with_nothing_new_opens_the_head_alone(
    pair: tuple[Journal, Journal], monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = pair
    laptop.write("Something to carry.")
    for journal in (laptop, desktop, laptop, desktop):
        engine.run(journal)
    parts: list[int] = []
    real = state.PerEntry.from_json

    def counted(raw: dict[str, Any]) -> state.PerEntry:
        parts.append(1)
        return real(raw)

    monkeypatch.setattr(state.PerEntry, "from_json", counted)
    part = meta(desktop, state.PART_KEY)
    assert engine.run(desktop).files_applied == 0
    assert parts == []
    laptop.write("Something new to take in.")
    engine.run(laptop)
    assert engine.run(desktop).entries_added == 1
    assert parts == [1, 1]  # the laptop's, to send; the desktop's, to take it in
    assert meta(desktop, state.PART_KEY) != part


def test_a_state_saved_as_one_record_syncs_on_and_is_saved_apart(pair: tuple[Journal, Journal]) -> None:
    laptop, desktop = pair
    shared = laptop.write("Synced before the upgrade.")
    for journal in (laptop, desktop):
        engine.run(journal)
    as_format_1(desktop)
    assert meta(desktop, state.PART_KEY) is None
    assert engine.status(desktop).to_send == 0  # read as it is
    report = engine.run(desktop)
    assert (report.entries_sent, report.written, report.files_applied) == (0, None, 0)  # nothing again
    assert opened(desktop, state.KEY)["format"] == state.FORMAT
    assert opened(desktop, state.PART_KEY)["part"] == opened(desktop, state.KEY)["part"]
    quiet = meta(desktop, state.KEY)
    engine.run(desktop)
    assert meta(desktop, state.KEY) == quiet  # saved once, then a sync with nothing new writes nothing
    on_desktop = {e.uuid: e.id for e in desktop.entries().entries}
    desktop.edit(on_desktop[shared.uuid], EntryChanges(text="Edited after the upgrade."))
    laptop.write("Written on the laptop after it.")
    for journal in (laptop, desktop, laptop):
        engine.run(journal)
    assert texts(laptop) == texts(desktop)
    assert texts(laptop)[shared.uuid] == "Edited after the upgrade."


def test_a_state_from_before_ledger_fingerprints_sends_nothing_again(pair: tuple[Journal, Journal]) -> None:
    laptop, _desktop = pair
    laptop.write("Sent once.")
    engine.run(laptop)

    def row_prints(con: Any, found: state.SyncState) -> None:  # as an older version made them
        prints = state._row_fingerprints(con)
        for entry_uuid, published in found.published.items():
            published.fingerprint = prints[entry_uuid][1]
        found.prints = 1

    as_format_1(laptop, row_prints)
    report = engine.run(laptop)
    assert (report.entries_sent, report.written) == (0, None)
    with laptop.store.read() as con:
        upgraded = state.load(con, laptop.cipher, laptop.keys.journal_id)
    assert upgraded is not None and upgraded.prints == state.PRINTS and not upgraded.upgraded


def test_a_part_from_another_save_is_damage_and_changes_nothing(pair: tuple[Journal, Journal]) -> None:
    laptop, desktop = pair
    earlier = meta(desktop, state.PART_KEY)
    laptop.write("Taken in after the part was saved.")
    engine.run(laptop)
    engine.run(desktop)
    before = texts(desktop)
    laptop.write("Waiting for the desktop.")
    engine.run(laptop)
    with desktop.store.write() as con:  # an earlier part put back beside the newer head
        con.execute("UPDATE meta SET value = ? WHERE key = ?", (earlier, state.PART_KEY))
    with pytest.raises(Damaged) as caught:
        engine.run(desktop)
    assert caught.value.exit_code == ExitCode.DAMAGED
    assert "sync leave" in (caught.value.hint or "")
    assert texts(desktop) == before
    with desktop.store.write() as con:
        con.execute("DELETE FROM meta WHERE key = ?", (state.PART_KEY,))
    with pytest.raises(Damaged):
        engine.status(desktop)
    where = Path(engine.leave(desktop) or "")  # the hint: leave, then set up the same folder again
    assert engine.setup(desktop, where).entries_added == 1
    assert texts(desktop) == texts(laptop)


def test_leaving_forgets_both_records(pair: tuple[Journal, Journal]) -> None:
    _laptop, desktop = pair
    engine.leave(desktop)
    assert meta(desktop, state.KEY) is None and meta(desktop, state.PART_KEY) is None


def test_a_damaged_head_is_forgotten_by_leave_as_its_hint_says(pair: tuple[Journal, Journal]) -> None:
    laptop, desktop = pair
    where = Path(str(engine.status(desktop).folder))
    with desktop.store.write() as con:
        con.execute("UPDATE meta SET value = ? WHERE key = ?", ("bm90IGEgc3RhdGU=", state.KEY))
    with pytest.raises(Damaged) as caught:
        engine.run(desktop)
    assert "sync leave" in (caught.value.hint or "")
    assert engine.leave(desktop) is None, "the folder it named couldn't be read, and it's forgotten anyway"
    assert meta(desktop, state.KEY) is None and meta(desktop, state.PART_KEY) is None
    engine.setup(desktop, where)
    assert texts(desktop) == texts(laptop)
