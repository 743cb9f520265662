"""Two terminals writing at once: every entry of both is kept (jrnl loses some)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from recovery_journal.journal.service import Journal
    from recovery_journal.settings import Settings

    name, count, barrier = sys.argv[1], int(sys.argv[2]), Path(sys.argv[4])
    with Journal.unlock(Settings.from_env(), sys.argv[3]) as journal:
        (barrier / f"ready-{name}").touch()
        while not (barrier / "go").exists():  # start both at the same moment
            time.sleep(0.005)
        for n in range(count):
            journal.write(f"{name} entry {n}", tags=[name])
    """
)


@pytest.mark.slow
def test_two_processes_writing_200_entries_each_lose_none(settings: Settings, tmp_path: Path) -> None:
    Journal.create(settings, PASSPHRASE)[0].close()
    env = {**os.environ, "RECOVERY_JOURNAL_LOCK_TIMEOUT": "30"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, "200", PASSPHRASE, str(tmp_path)],
            env=env,
            stderr=subprocess.PIPE,
        )
        for name in ("left", "right")
    ]
    deadline = time.monotonic() + 60
    while (
        not all((tmp_path / f"ready-{n}").exists() for n in ("left", "right")) and time.monotonic() < deadline
    ):
        time.sleep(0.01)
    (tmp_path / "go").touch()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    with Journal.unlock(settings, PASSPHRASE) as journal:
        listing = journal.entries()
        texts = {e.text for e in listing.entries}
        ids = [e.id for e in listing.entries]
    assert listing.unreadable == []
    assert len(texts) == 400
    assert texts == {f"{side} entry {n}" for side in ("left", "right") for n in range(200)}
    assert sorted(ids) == list(range(1, 401))
