"""The key derived ahead, beside the command line's loading (launch.ahead, crypto.argon2id_ahead)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from recovery_journal import launch
from recovery_journal.agent import wire
from recovery_journal.errors import ExitCode
from recovery_journal.paths import resolve_home
from recovery_journal.sealing import crypto, vault

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
    crypto._fresh.clear()


def _env() -> dict[str, str]:
    return dict(os.environ)


# One way to run each command (and subcommand) that needs the key; each must take the key derived ahead.
EXAMPLES: dict[tuple[str, str | None], tuple[list[str], str | None]] = {
    ("write", None): (["write", "--tag", "ahead"], "Words written after the key was derived ahead."),
    ("list", None): (["list", "--limit", "3"], None),
    ("show", None): (["show", "1"], None),
    ("edit", None): (["edit", "1", "--mood", "6"], None),
    ("delete", None): (["delete", "1", "--yes"], None),
    ("history", None): (["history", "1"], None),
    ("search", None): (["search", "first"], None),
    ("tags", None): (["tags"], None),
    ("timeline", None): (["timeline"], None),
    ("progress", None): (["progress"], None),
    ("calendar", None): (["calendar"], None),
    ("on-this-day", None): (["on-this-day"], None),
    ("share", None): (["share", "-o", "SHARED"], None),
    ("export", None): (["export", "--format", "json"], None),
    ("unlock", None): (["unlock", "--for", "1m"], None),
    ("stage", None): (["stage"], None),
    ("stage", "show"): (["stage", "show", "1"], None),
    ("stage", "set"): (["stage", "set", "1", "acceptance"], None),
    ("stage", "relearn"): (["stage", "relearn"], None),
    ("stage", "review"): (["stage", "review", "--json"], None),
    ("milestone", "add"): (["milestone", "add", "First boundary held"], None),
    ("milestone", "list"): (["milestone", "list"], None),
    ("milestone", "edit"): (["milestone", "edit", "1", "--note", "Still holding."], None),
    ("milestone", "delete"): (["milestone", "delete", "1", "--yes"], None),
    ("counter", "start"): (["counter", "start", "walks"], None),
    ("counter", "list"): (["counter", "list"], None),
    ("counter", "reset"): (["counter", "reset", "no contact"], None),
    ("counter", "delete"): (["counter", "delete", "no contact", "--yes"], None),
    ("import", "jrnl"): (["import", "jrnl", "JRNL"], None),
    ("import", "json"): (["import", "json", "EXPORTED"], None),
    ("import", "dayone"): (["import", "dayone", "DAYONE"], None),
}


def test_every_command_named_has_an_example() -> None:
    named = {(command, sub) for command, subs in launch.NEEDS_KEY.items() for sub in (subs or {None})}
    assert set(EXAMPLES) == named


@pytest.mark.parametrize("named", sorted(EXAMPLES, key=str))
def test_each_command_named_takes_the_key_derived_ahead(
    named: tuple[str, str | None],
    cli: Cli,
    initialised: Ran,
    derivations: list[str],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    if named == ("unlock", None):
        request.getfixturevalue("runtime")  # a socket's path must be short; the agent is ended after
    assert cli("write", input="The first entry, to have something to read.").exit_code == 0
    assert cli("milestone", "add", "Said no").exit_code == 0
    assert cli("counter", "start", "no contact").exit_code == 0
    files = {
        "JRNL": tmp_path / "journal.txt",
        "EXPORTED": tmp_path / "export.json",
        "DAYONE": tmp_path / "dayone.json",
        "SHARED": tmp_path / "summary.md",
    }
    files["JRNL"].write_text("[2024-03-01 09:00] From jrnl\nWords from another journal.\n", encoding="utf-8")
    files["EXPORTED"].write_text(cli("export", "--format", "json").stdout, encoding="utf-8")
    files["DAYONE"].write_text(
        json.dumps(
            {"entries": [{"uuid": "A" * 32, "creationDate": "2024-03-02T09:00:00Z", "text": "Day One."}]}
        ),
        encoding="utf-8",
    )
    argv, text = EXAMPLES[named]
    argv = [str(files[word]) if word in files else word for word in argv]
    derivations.clear()
    assert launch.ahead(argv, _env())
    try:
        ran = cli(*argv, input=text)
        assert ran.exit_code == 0, ran.stderr
        # Derived once, on the thread started ahead, and taken: never derived a second time.
        assert derivations == ["recovery-journal-key"]
        assert crypto._ahead == []
    finally:
        if named == ("unlock", None):
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
        ["stage", "guess"],
        ["milestone"],
        ["import", "--dry-run"],
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


def _slot_salt(isolated: Path) -> bytes:
    with closing(sqlite3.connect(resolve_home(None, os.environ).db)) as con:
        return vault.passphrase_salt(con)[0]


@pytest.mark.parametrize("kind", ["jrnl", "dayone"])
def test_an_import_that_makes_the_journal_takes_its_key_derived_ahead(
    kind: str, cli: Cli, isolated: Path, derivations: list[str], tmp_path: Path
) -> None:
    """No journal yet: the new one's passphrase slot is derived ahead, with a salt drawn for it then."""
    source = tmp_path / "from-elsewhere"
    if kind == "jrnl":
        source.write_text("[2024-03-01 09:00] From jrnl\nWords from another journal.\n", encoding="utf-8")
    else:
        entry = {"uuid": "B" * 32, "creationDate": "2024-03-02T09:00:00Z", "text": "Day One."}
        source.write_text(json.dumps({"entries": [entry]}), encoding="utf-8")
    assert launch.ahead(["import", kind, str(source)], _env())
    assert len(crypto._fresh) == 1
    drawn = crypto._fresh[0]
    ran = cli("import", kind, str(source))
    assert ran.exit_code == 0, ran.stderr
    assert derivations == ["recovery-journal-key"]  # derived once, ahead, and taken
    assert crypto._ahead == [] and crypto._fresh == []
    assert _slot_salt(isolated) == drawn  # the slot was made with the salt the key was derived with
    assert cli("list").exit_code == 0  # and it opens with the passphrase, as any journal does
    assert derivations == ["recovery-journal-key", "MainThread"]


def test_an_import_into_no_journal_starts_nothing_when_it_only_looks(
    isolated: Path, derivations: list[str], tmp_path: Path
) -> None:
    source = tmp_path / "journal.txt"
    source.write_text("[2024-03-01 09:00] From jrnl\nWords.\n", encoding="utf-8")
    assert not launch.ahead(["import", "jrnl", str(source), "--dry-run"], _env())
    assert not launch.ahead(["list"], _env()), "only a command that makes a journal derives for a new one"
    assert derivations == [] and not isolated.exists()


def test_a_salt_is_given_again_only_when_drawn_fresh_for_that_passphrase(derivations: list[str]) -> None:
    assert crypto.argon2id_ahead(b"words", SALT, WEAK)  # an existing slot's salt: never a new slot's
    assert crypto.fresh_salt(b"words", WEAK) != SALT
    crypto.argon2id(b"words", SALT, WEAK)
    assert crypto.argon2id_ahead_fresh(b"words", WEAK)
    drawn = crypto._fresh[0]
    assert crypto.fresh_salt(b"other words", WEAK) != drawn, "another passphrase: a salt of its own"
    assert crypto.fresh_salt(b"words", WEAK) != drawn, "given out (or passed over) once only"
    crypto._ahead.clear()
    assert crypto.argon2id_ahead_fresh(b"words", WEAK)
    drawn = crypto._fresh[0]
    other = crypto.Argon2Params(memory_kib=2048, iterations=1, lanes=1)
    assert crypto.fresh_salt(b"words", other) != drawn, "another cost: a salt of its own"
    crypto._ahead.clear()
    assert crypto.argon2id_ahead_fresh(b"words", WEAK)
    drawn = crypto._fresh[0]
    assert crypto.fresh_salt(b"words", WEAK) == drawn
    assert crypto.argon2id(b"words", drawn, WEAK) == crypto._derive(
        b"words", drawn, WEAK, crypto.KEY_LEN, None, None
    )
    assert derivations.count("recovery-journal-key") == 4 and crypto._fresh == []


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


def test_a_passphrase_that_can_be_read_once_is_left_to_the_unlock(
    initialised: Ran, derivations: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A pipe (<(...), /dev/stdin, a FIFO) gives its words once: read ahead, the unlock would find it empty,
    # or, with no one writing to it yet, wait for ever.
    fifo = tmp_path / "passphrase"
    os.mkfifo(fifo)
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    monkeypatch.setenv("RECOVERY_JOURNAL_PASSPHRASE_FILE", str(fifo))
    started: list[bool] = []
    worker = threading.Thread(target=lambda: started.append(launch.ahead(["list"], _env())), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert started == [False], "nothing read from the pipe, nothing started"
    assert derivations == []


def test_a_key_slot_the_unlock_would_refuse_starts_nothing(
    initialised: Ran, derivations: list[str], isolated: Path
) -> None:
    import sqlite3

    db = resolve_home(None, os.environ).db
    with sqlite3.connect(db) as con:
        con.execute("UPDATE key_slots SET salt = ? WHERE kind = 'passphrase'", (b"8 bytes!",))
    assert not launch.ahead(["list"], _env())
    assert derivations == []


def test_a_change_still_in_the_write_ahead_log_starts_nothing(
    initialised: Ran, derivations: list[str]
) -> None:
    # The key slot may have changed there (a `passwd` while another window reads): no guess from the file.
    db = resolve_home(None, os.environ).db
    wal = db.with_name(db.name + "-wal")
    wal.write_bytes(b"\x37\x7f\x06\x82" + bytes(60))
    try:
        assert not launch.ahead(["list"], _env())
    finally:
        wal.unlink()
    assert derivations == []


def test_a_thread_that_cannot_start_leaves_the_unlock_as_it_was(
    cli: Cli, initialised: Ran, derivations: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    with monkeypatch.context() as patched:
        patched.setattr(threading.Thread, "start", refused)
        assert not launch.ahead(["list"], _env())
    assert crypto._ahead == []
    assert cli("list").exit_code == 0
    assert derivations == ["MainThread"]


def test_a_derivation_still_running_is_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    real = crypto._derive

    def slow(*args: object) -> bytes:
        if threading.current_thread().name == "recovery-journal-key":
            time.sleep(0.3)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(crypto, "_derive", slow)
    assert crypto.argon2id_ahead(b"words", SALT, WEAK)
    assert crypto.argon2id(b"words", SALT, WEAK) == real(b"words", SALT, WEAK, crypto.KEY_LEN, None, None)


def test_an_import_reads_its_file_only_once_the_derivation_ahead_has_ended(
    cli: Cli, isolated: Path, derivations: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Argon2id's 64 MiB are let go before the file's entries come in, not held on top of them."""
    from recovery_journal.portability import importers

    real_derive, real_jrnl = crypto._derive, importers.jrnl

    def slow(*args: object) -> bytes:
        time.sleep(0.3)
        return real_derive(*args)  # type: ignore[arg-type]

    running_when_read: list[bool] = []

    def reading(*args: object, **kwargs: object) -> object:
        running_when_read.append(any(thread.is_alive() for _, thread, _ in crypto._ahead))
        return real_jrnl(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(crypto, "_derive", slow)
    monkeypatch.setattr(importers, "jrnl", reading)
    source = tmp_path / "journal.txt"
    source.write_text("[2024-03-01 09:00] From jrnl\nWords from another journal.\n", encoding="utf-8")
    assert launch.ahead(["import", "jrnl", str(source)], _env())
    assert cli("import", "jrnl", str(source)).exit_code == 0
    assert running_when_read == [False]
    assert crypto._ahead == [], "and what it gave was still taken"


@pytest.mark.parametrize(
    ("length", "secret", "ad"),
    [(16, None, None), (32, None, b"another use"), (32, None, b""), (32, b"", None)],
)
def test_any_other_input_derives_afresh(
    length: int, secret: bytes | None, ad: bytes | None, derivations: list[str]
) -> None:
    assert crypto.argon2id_ahead(b"words", SALT, WEAK)
    got = crypto.argon2id(b"words", SALT, WEAK, length=length, secret=secret, ad=ad)
    assert derivations[-1] == "MainThread"
    assert got == crypto._derive(b"words", SALT, WEAK, length, secret, ad)


# Whether the process is hardened (no core files, not dumpable) by the time the passphrase is read ahead.
HARDENED_PROBE = """
import json, os, resource, sys
from recovery_journal import launch
from recovery_journal.sealing import passphrase
seen = []
real = passphrase.from_environment
def watched(env, *args):
    import ctypes
    seen.append([resource.getrlimit(resource.RLIMIT_CORE)[1], ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)])
    return real(env, *args)
passphrase.from_environment = watched
started = launch.ahead(["list"], os.environ)
print(json.dumps([started, seen]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_GET_DUMPABLE) is Linux's")
def test_the_passphrase_is_read_ahead_only_in_a_hardened_process(initialised: Ran) -> None:
    done = subprocess.run(
        [sys.executable, "-c", HARDENED_PROBE], capture_output=True, text=True, check=False, env=_env()
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, [[0, 0]]]  # hard limit on core files 0; not dumpable
