"""`sync_after`: a quiet sync after each command that changed the journal, never failing it (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path

from recovery_journal.settings import Settings

from .conftest import Cli
from .test_sync_cli import at, ok, texts

ON = {"RECOVERY_JOURNAL_SYNC_AFTER": "1"}


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.rjsync"))


def _two_devices(cli: Cli, tmp_path: Path) -> tuple[Path, Path, Path]:
    laptop, desktop, folder = tmp_path / "laptop", tmp_path / "desktop", tmp_path / "Sync"
    ok(cli, "init", env=at(laptop))
    ok(cli, "sync", "setup", str(folder), env=at(laptop))
    ok(cli, "sync", "join", str(folder), env=at(desktop))
    return laptop, desktop, folder


def test_a_change_is_sent_at_once_and_a_read_sends_nothing(cli: Cli, tmp_path: Path) -> None:
    laptop, desktop, folder = _two_devices(cli, tmp_path)
    before = _files(folder)
    ran = cli("write", input="Sent as soon as it was saved.", env=at(laptop, **ON))
    assert ran.exit_code == 0 and "Sent from this device" not in ran.stdout + ran.stderr  # quietly
    after = _files(folder)
    assert len(after) == len(before) + 1
    ok(cli, "list", env=at(laptop, **ON))
    assert _files(folder) == after  # nothing changed, nothing written
    ok(cli, "sync", env=at(desktop))
    assert texts(cli, desktop) == ["Sent as soon as it was saved."]


def test_off_by_default_and_on_from_the_config_file(cli: Cli, tmp_path: Path) -> None:
    laptop, _desktop, folder = _two_devices(cli, tmp_path)
    before = _files(folder)
    ok(cli, "write", input="Stays here until a sync.", env=at(laptop))
    assert _files(folder) == before
    ok(cli, "config", "set", "sync_after", "true")
    assert Settings.from_env(laptop).sync_after
    ok(cli, "write", input="Sent by the setting.", env=at(laptop))
    assert len(_files(folder)) == len(before) + 1
    off = cli("write", input="Not sent: the variable wins.", env=at(laptop, RECOVERY_JOURNAL_SYNC_AFTER="0"))
    assert off.exit_code == 0 and len(_files(folder)) == len(before) + 1


def test_a_sync_that_cant_run_never_fails_the_change(cli: Cli, tmp_path: Path) -> None:
    laptop, _desktop, folder = _two_devices(cli, tmp_path)
    shutil.rmtree(folder)  # a drive not connected just now
    ran = cli("write", input="Saved even so.", env=at(laptop, **ON))
    assert ran.exit_code == 0, ran.stderr
    lines = [line for line in ran.stderr.splitlines() if "Syncing afterwards" in line]
    assert len(lines) == 1 and "recovery-journal sync` tries again" in lines[0]
    assert "Saved even so" not in ran.stderr and "Traceback" not in ran.stderr
    assert texts(cli, laptop) == ["Saved even so."]


def test_the_sync_commands_dont_sync_again_after_themselves(cli: Cli, tmp_path: Path) -> None:
    laptop, _desktop, _folder = _two_devices(cli, tmp_path)
    ok(cli, "write", input="Waiting to be sent.", env=at(laptop))
    left = cli("sync", "leave", env=at(laptop, **ON))
    assert left.exit_code == 0 and "Syncing afterwards" not in left.stderr


def test_a_journal_not_set_up_to_sync_says_so_once_and_keeps_the_change(cli: Cli, tmp_path: Path) -> None:
    home = tmp_path / "alone"
    ok(cli, "init", env=at(home))
    ran = cli("write", input="Kept.", env=at(home, **ON))
    assert ran.exit_code == 0
    assert ran.stderr.count("Syncing afterwards") == 1 and "isn't set up to sync" in ran.stderr
    assert texts(cli, home) == ["Kept."]


def test_a_mistyped_switch_is_a_calm_usage_error(cli: Cli, tmp_path: Path) -> None:
    ran = cli("list", env={"RECOVERY_JOURNAL_SYNC_AFTER": "sometimes"})
    assert ran.exit_code == 2 and "RECOVERY_JOURNAL_SYNC_AFTER should be 1 (on) or 0 (off)" in ran.stderr
