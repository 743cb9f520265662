"""Three devices writing, editing, deleting and syncing in random orders: afterwards they agree, and nothing
acknowledged is lost (a Hypothesis state machine, issue 17)."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from recovery_journal.domain.entry import EntryChanges
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings
from recovery_journal.sync import engine, joining

from .conftest import PASSPHRASE
from .test_sync import contents

DEVICE = st.integers(min_value=0, max_value=2)


class ThreeDevices(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="rj-sync-machine-"))
        folder = self.root / "Sync"
        first, _ = Journal.create(Settings.from_env(self.root / "d0"), PASSPHRASE)
        engine.setup(first, folder)
        self.devices = [first]
        for n in (1, 2):
            found = joining.find_keys(folder, passphrase=PASSPHRASE)
            self.devices.append(
                joining.join(Settings.from_env(self.root / f"d{n}"), folder, found, PASSPHRASE)[0]
            )
        self.words = itertools.count()
        self.written: dict[str, int] = {}  # uuid of every entry ever written (acknowledged) -> its device
        self.deleted: set[str] = set()

    def _ids(self, device: int) -> dict[str, int]:
        return {e.uuid: e.id for e in self.devices[device].entries().entries}

    @rule(device=DEVICE)
    def write(self, device: int) -> None:
        self.written[self.devices[device].write(f"words {next(self.words)}").uuid] = device

    @precondition(lambda self: self.written)
    @rule(device=DEVICE, pick=st.integers(min_value=0))
    def edit(self, device: int, pick: int) -> None:
        ids = self._ids(device)
        if ids:
            uuid = sorted(ids)[pick % len(ids)]
            self.devices[device].edit(ids[uuid], EntryChanges(text=f"edit {next(self.words)}"))

    @precondition(lambda self: self.written)
    @rule(device=DEVICE, pick=st.integers(min_value=0))
    def delete(self, device: int, pick: int) -> None:
        ids = self._ids(device)
        if ids:
            uuid = sorted(ids)[pick % len(ids)]
            self.devices[device].delete(ids[uuid])
            self.deleted.add(uuid)

    @rule(device=DEVICE)
    def sync(self, device: int) -> None:
        assert engine.run(self.devices[device]).skipped == []

    @invariant()
    def nothing_written_vanishes_unless_someone_deleted_it(self) -> None:
        for entry_uuid, device in self.written.items():
            assert entry_uuid in self._ids(device) or entry_uuid in self.deleted

    def teardown(self) -> None:
        try:
            for _ in range(3):
                for journal in self.devices:
                    engine.run(journal)
            seen = [contents(j) for j in self.devices]
            assert seen[0] == seen[1] == seen[2]
            assert set(self.written) - set(seen[0]) <= self.deleted
            for journal in self.devices:
                assert engine.run(journal).written is None  # settled: nothing more to send
        finally:
            for journal in self.devices:
                journal.close()
            shutil.rmtree(self.root, ignore_errors=True)


ThreeDevices.TestCase.settings = settings(
    max_examples=25, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
)
TestThreeDevices = ThreeDevices.TestCase
