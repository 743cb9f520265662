"""Process hygiene and hostile input: no leaks to core files or child programs, nothing ending in exit 1."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from recovery_journal.commands import terminal as face
from recovery_journal.domain.dates import parse_moment
from recovery_journal.errors import ExitCode, InvalidDate
from recovery_journal.render.output import neutralise

from .conftest import PASSPHRASE, Cli, Ran

NOW = datetime(2026, 11, 25, 21, 30, tzinfo=timezone.utc)


def test_the_process_keeps_keys_out_of_core_files() -> None:
    probe = (
        "import ctypes, resource\n"
        "from recovery_journal.sealing.hardening import harden_process\n"
        "harden_process()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE)[0], ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))\n"
    )
    if not sys.platform.startswith("linux"):
        pytest.skip("prctl is Linux's")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "0"]  # no core size, not dumpable


@pytest.mark.parametrize("text", ["1000000 days ago", "99999 years ago", "２０２４-０３-０１", "９ days ago"])
def test_dates_past_the_calendar_or_in_other_digits_are_calm_date_errors(text: str) -> None:
    with pytest.raises(InvalidDate):
        parse_moment(text, NOW)


def test_a_date_past_the_calendar_is_exit_13_not_a_crash(cli: Cli, initialised: Ran) -> None:
    ran = cli("list", "--from", "1000000 days ago")
    assert ran.exit_code == ExitCode.INVALID_DATE and "calendar" in ran.stderr


def test_an_editor_setting_with_an_open_quote_is_an_editor_error(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    monkeypatch.setenv("EDITOR", "vim '")
    ran = cli("write")
    assert ran.exit_code == ExitCode.EDITOR_FAILED and "quote" in ran.stderr


def test_a_path_too_long_for_the_system_is_said_briefly(cli: Cli, tmp_path: Path) -> None:
    ran = cli("--journal", str(tmp_path / ("a" * 5000)), "list")
    assert ran.exit_code == ExitCode.USAGE and "longer than this system allows" in ran.stderr
    assert len(ran.stderr) < 600


def test_a_terminal_that_cannot_show_a_character_gets_an_escape(isolated: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    run = [sys.executable, "-m", "recovery_journal"]
    subprocess.run([*run, "init"], env=env, capture_output=True, check=True, stdin=subprocess.DEVNULL)
    subprocess.run(
        [*run, "write", "--title", "café ☕"], env=env, input=b"words", capture_output=True, check=True
    )
    listed = subprocess.run([*run, "list"], env=env, capture_output=True, stdin=subprocess.DEVNULL)
    assert listed.returncode == 0 and b"caf\\xe9" in listed.stdout


def test_dev_zero_is_neither_a_passphrase_nor_an_import(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    monkeypatch.setenv("RECOVERY_JOURNAL_PASSPHRASE_FILE", "/dev/zero")
    ran = cli("list")
    assert ran.exit_code == ExitCode.PASSPHRASE_PROBLEM and "far longer" in ran.stderr


def test_a_passphrase_file_others_can_read_gets_a_warning(
    cli: Cli, initialised: Ran, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE)
    secret.chmod(0o644)
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    monkeypatch.setenv("RECOVERY_JOURNAL_PASSPHRASE_FILE", str(secret))
    warned = cli("list")
    assert warned.exit_code == 0 and "can be read by others" in warned.stderr and "chmod 600" in warned.stderr
    secret.chmod(0o600)
    assert "can be read by others" not in cli("list").stderr


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u009b", "\u009c"])
def test_bidi_and_c1_controls_are_shown_harmlessly(cli: Cli, initialised: Ran, char: str) -> None:
    assert char not in neutralise(f"a{char}b")
    assert cli("write", "--title", f"before{char}after", input="words").exit_code == 0
    listed = cli("list")
    assert char not in listed.stdout and "before" in listed.stdout
    as_json = cli("show", "1", "--json")
    assert char not in as_json.stdout  # escaped as \\uXXXX, which any JSON reader turns back
    assert json.loads(as_json.stdout)["entry"]["title"] == f"before{char}after"


def test_right_to_left_marks_are_left_for_the_writers_who_need_them() -> None:
    assert neutralise("שלום\u200fworld") == "שלום\u200fworld"


def test_force_never_replaces_a_link_a_pipe_or_a_device(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "somewhere-else")
    for target in (fifo, link):
        ran = cli("export", "-o", str(target), "--force")
        assert ran.exit_code == ExitCode.ALREADY_EXISTS and "not a plain file" in ran.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and link.is_symlink()


def test_init_never_changes_a_folder_that_holds_other_things(cli: Cli, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    (shared / "someone-elses-file").write_text("x")
    assert cli("--journal", str(shared), "init").exit_code == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "journal.db").stat().st_mode) == 0o600
    own = tmp_path / "own"
    own.mkdir(mode=0o755)
    own.chmod(0o755)
    assert cli("--journal", str(own), "init").exit_code == 0
    assert stat.S_IMODE(own.stat().st_mode) == 0o700  # an empty folder given for the journal is the journal's


def test_what_a_killed_process_left_half_written_is_swept_at_the_next_open(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    gone = 2**22 + 12345  # no such process
    leftovers = [
        isolated / f".journal.db.new-{gone}-abcd",
        isolated / "drafts" / f".draft-{gone}-x-abcd.tmp",
        isolated / "snapshots" / f".snapshot-{gone}-abcd.db",
        isolated / "inbox" / f".capture-{gone}-abcd",
    ]
    live = isolated / "drafts" / f".draft-{os.getpid()}-x-abcd.tmp"  # a process still at work: left alone
    for path in [*leftovers, live]:
        path.parent.mkdir(exist_ok=True, mode=0o700)
        path.write_bytes(b"sealed bytes")
    assert cli("list").exit_code == 0
    assert [p for p in leftovers if p.exists()] == [] and live.exists()


@pytest.mark.parametrize("command", [("init",), ("list",), ("capture",), ("doctor",)])
def test_a_home_folder_that_is_not_open_to_you_is_said_calmly(
    cli: Cli, isolated: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """Someone else's folder (EACCES); tests may run as root, which permissions don't stop: stat refuses."""
    if command != ("init",):
        assert cli("init").exit_code == 0
    real_stat = Path.stat

    def refused(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        if self == isolated or isolated in self.parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", refused)
    ran = cli(*command, input="words")
    assert ran.exit_code == ExitCode.STORAGE, ran.stderr
    assert "isn't open to you" in ran.stderr and "Traceback" not in ran.stderr
    assert "written" not in ran.stderr
