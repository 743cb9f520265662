"""The key derived ahead, beside the command line's loading (launch.ahead, crypto.argon2id_ahead)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from recovery_journal import launch
from recovery_journal.agent import wire
from recovery_journal.errors import ExitCode
from recovery_journal.paths import resolve_home
from recovery_journal.sealing import crypto

from .conftest import PASSPHRASE, Cli, Ran

WEAK = crypto.Argon2Params(memory_kib=1024, iterations=1, lanes=1)
SALT = bytes(range(16))


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of the thread each key derivation ran on, in order."""
    ran: list[str] = []
    real = crypto._derive

    def counted(*args: object) -> bytes:
        ran.append(threading.current_thread().name)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(crypto, "_derive", counted)
    yield ran
    crypto._ahead.clear()  # a test that left one unclaimed doesn't hand it to the next


def _env() -> dict[str, str]:
    return dict(os.environ)


# One way to run each command that needs the key; each is checked to take the key derived ahead.
EXAMPLES = {
    "write": (["write", "--tag", "ahead"], "Words written after the key was derived ahead."),
    "list": (["list", "--limit", "3"], None),
    "show": (["show", "1"], None),
    "edit": (["edit", "1", "--mood", "6"], None),
    "delete": (["delete", "1", "--yes"], None),
    "history": (["history", "1"], None),
    "search": (["search", "first"], None),
    "tags": (["tags"], None),
    "timeline": (["timeline"], None),
    "progress": (["progress"], None),
    "calendar": (["calendar"], None),
    "on-this-day": (["on-this-day"], None),
    "share": (["share", "-o", "SHARED"], None),
    "export": (["export", "--format", "json"], None),
    "stage": (["stage"], None),
    "milestone": (["milestone", "list"], None),
    "counter": (["counter", "list"], None),
    "import": (["import", "jrnl", "JRNL"], None),
    "unlock": (["unlock", "--for", "1m"], None),
}


def test_every_command_named_has_an_example() -> None:
    assert set(EXAMPLES) == launch.NEEDS_KEY


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_command_named_takes_the_key_derived_ahead(
    name: str,
    cli: Cli,
    initialised: Ran,
    derivations: list[str],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    if name == "unlock":
        request.getfixturevalue("runtime")  # a socket's path must be short; the agent is ended after
    assert cli("write", input="The first entry, to have something to read.").exit_code == 0
    source = tmp_path / "journal.txt"
    source.write_text("[2024-03-01 09:00] From jrnl\nWords from another journal.\n", encoding="utf-8")
    argv, text = EXAMPLES[name]
    named = {"JRNL": str(source), "SHARED": str(tmp_path / "summary.md")}
    argv = [named.get(word, word) for word in argv]
    derivations.clear()
    assert launch.ahead(argv, _env())
    try:
        ran = cli(*argv, input=text)
        assert ran.exit_code == 0, ran.stderr
        # Derived once, on the thread started ahead, and taken: never derived a second time.
        assert derivations == ["recovery-journal-key"]
        assert crypto._ahead == []
    finally:
        if name == "unlock":
            cli("lock")


def test_a_wrong_passphrase_is_told_the_same_way(
    cli: Cli, initialised: Ran, derivations: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECOVERY_JOURNAL_PASSPHRASE", "not the passphrase")
    plain = cli("list")
    assert launch.ahead(["list"], _env())
    early = cli("list")
    assert (early.exit_code, early.stderr) == (plain.exit_code, plain.stderr)
    assert early.exit_code == ExitCode.WRONG_SECRET


@pytest.mark.parametrize(
    "argv",
    [
        ["init"],
        ["support"],
        ["list", "--help"],
        ["-h"],
        ["--journal"],
        ["--unknown", "list"],
        [],
    ],
)
def test_nothing_starts_for_a_command_that_may_not_need_the_key(
    argv: list[str], initialised: Ran, derivations: list[str]
) -> None:
    assert not launch.ahead(argv, _env())
    assert derivations == [] and crypto._ahead == []


def test_the_journal_named_before_the_command_is_the_one_read(
    cli: Cli, initialised: Ran, derivations: list[str], isolated: Path, tmp_path: Path
) -> None:
    other = tmp_path / "nothing here"
    assert not launch.ahead(["--journal", str(other), "list"], _env())
    assert not launch.ahead([f"--journal={other}", "list"], _env())
    assert launch.ahead(["-j", str(isolated), "list"], _env())
    assert cli("-j", str(isolated), "list").exit_code == 0
    assert derivations == ["recovery-journal-key"]


def test_nothing_starts_when_the_passphrase_is_typed_or_from_a_command(
    initialised: Ran, derivations: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    assert not launch.ahead(["list"], _env())
    monkeypatch.setenv("RECOVERY_JOURNAL_PASSPHRASE_COMMAND", "echo never-run")
    assert not launch.ahead(["list"], _env())
    monkeypatch.setenv("RECOVERY_JOURNAL_PASSPHRASE", PASSPHRASE)  # two sources: the unlock refuses it
    assert not launch.ahead(["list"], _env())
    assert derivations == []


def test_a_passphrase_file_is_read_ahead_too(
    cli: Cli, initialised: Ran, derivations: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    kept = tmp_path / "passphrase"
    kept.write_text(PASSPHRASE + "\n", encoding="utf-8")
    kept.chmod(0o600)
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    monkeypatch.setenv("RECOVERY_JOURNAL_PASSPHRASE_FILE", str(kept))
    assert launch.ahead(["list"], _env())
    assert cli("list").exit_code == 0
    assert derivations == ["recovery-journal-key"]


def test_nothing_starts_beside_an_unlocked_session(initialised: Ran, derivations: list[str]) -> None:
    socket = wire.socket_path(resolve_home(None, os.environ), os.environ)
    socket.parent.mkdir(parents=True, exist_ok=True)
    socket.touch()
    assert not launch.ahead(["list"], _env())
    assert derivations == []


def test_no_journal_or_a_damaged_one_starts_nothing_and_leaves_nothing(
    isolated: Path, derivations: list[str]
) -> None:
    assert not launch.ahead(["list"], _env())
    assert not isolated.exists()
    isolated.mkdir()
    db = resolve_home(None, os.environ).db
    db.write_bytes(b"SQLite format 3\x00" + bytes(200))
    assert not launch.ahead(["list"], _env())
    assert sorted(p.name for p in isolated.iterdir()) == [db.name]
    assert derivations == []


def test_reading_the_key_slot_ahead_makes_no_files(cli: Cli, initialised: Ran, isolated: Path) -> None:
    db = resolve_home(None, os.environ).db
    for sidecar in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        sidecar.unlink(missing_ok=True)
    before = sorted(p.name for p in isolated.iterdir())
    assert launch.ahead(["list"], _env())
    assert sorted(p.name for p in isolated.iterdir()) == before
    assert cli("list").exit_code == 0


def test_the_derivation_ahead_gives_what_argon2id_gives(derivations: list[str]) -> None:
    expected = crypto.argon2id(b"words", SALT, WEAK)
    assert crypto.argon2id_ahead(b"words", SALT, WEAK)
    assert not crypto.argon2id_ahead(b"other", SALT, WEAK), "one at a time"
    assert crypto.argon2id(b"words", SALT, WEAK) == expected
    assert derivations == ["MainThread", "recovery-journal-key"]


def test_other_inputs_derive_afresh(derivations: list[str]) -> None:
    assert crypto.argon2id_ahead(b"typed one way", SALT, WEAK)
    got = crypto.argon2id(b"typed another", SALT, WEAK)
    assert got == crypto._derive(b"typed another", SALT, WEAK, crypto.KEY_LEN, None, None)
    assert crypto._ahead == [], "taken or not, it is forgotten"
    other = crypto.Argon2Params(memory_kib=2048, iterations=1, lanes=1)
    assert crypto.argon2id_ahead(b"words", SALT, WEAK)
    assert crypto.argon2id(b"words", SALT, other) != crypto.argon2id(b"words", SALT, WEAK)
    assert crypto.argon2id_ahead(b"words", SALT, WEAK)
    assert crypto.argon2id(b"words", SALT, WEAK, secret=b"pepper") != crypto.argon2id(b"words", SALT, WEAK)


def test_a_derivation_ahead_that_failed_is_done_again(monkeypatch: pytest.MonkeyPatch) -> None:
    real = crypto._derive

    def failing_ahead(*args: object) -> bytes:
        if threading.current_thread().name == "recovery-journal-key":
            raise MemoryError
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(crypto, "_derive", failing_ahead)
    assert crypto.argon2id_ahead(b"words", SALT, WEAK)
    assert crypto.argon2id(b"words", SALT, WEAK) == real(b"words", SALT, WEAK, crypto.KEY_LEN, None, None)


# The console command, as run: the threads it derived keys on (the derivation ahead has one of its own).
LAUNCH_PROBE = """
import json, sys, threading
from recovery_journal.sealing import crypto
ran, real = [], crypto._derive
def counted(*args):
    ran.append(threading.current_thread().name)
    return real(*args)
crypto._derive = counted
sys.argv = ["recovery-journal", *json.loads(sys.argv[1])]
from recovery_journal.launch import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nRAN " + json.dumps(ran) + "\\n")
"""


@pytest.mark.parametrize(
    ("argv", "threads"),
    [(["list"], ["recovery-journal-key"]), (["tags", "--help"], []), (["support", "--sources"], [])],
)
def test_the_console_command_starts_it_as_it_loads(
    argv: list[str], threads: list[str], initialised: Ran
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH_PROBE, json.dumps(argv)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr[done.stderr.rindex("\nRAN ") + len("\nRAN ") :]) == threads
