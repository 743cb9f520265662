"""The unlocked session: unlock, lock, status, and the agent that holds the key (docs/encryption.md).

Every agent a test starts is ended by the `runtime` fixture, whatever the test did.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery_journal.agent import client, wire
from recovery_journal.commands import terminal as face
from recovery_journal.domain import durations
from recovery_journal.errors import ExitCode, UsageProblem
from recovery_journal.render import session as told
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE, Cli, Ran, _pid_at

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_PEERCRED"), reason="sessions need SO_PEERCRED here")

NO_PASSPHRASE = {"RECOVERY_JOURNAL_PASSPHRASE": None}
WAIT = 30.0  # seconds to wait for an agent to end by itself before the test fails (not a speed target)


@pytest.fixture
def no_prompt(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A terminal whose passphrase prompt records that it was shown, and types nothing."""
    asked: list[str] = []

    def hidden(label: str) -> str:
        asked.append(label)
        raise AssertionError(f"asked for {label!r}")

    monkeypatch.setattr(face, "can_ask_secret", lambda: True)
    monkeypatch.setattr(face, "hidden", hidden)
    return asked


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face, "can_ask_secret", lambda: False)


def socket_of(settings: Settings) -> Path:
    return wire.socket_path(settings.paths, settings.env)


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


def unlock(cli: Cli, *args: str) -> Ran:
    ran = cli("unlock", *args)
    assert ran.exit_code == 0, ran.stderr
    return ran


def write(cli: Cli, text: str, *args: str) -> None:
    assert cli("write", *args, input=text).exit_code == 0


def test_unlock_then_list_needs_no_passphrase(
    cli: Cli, initialised: Ran, runtime: Path, no_prompt: list[str]
) -> None:
    write(cli, "A quiet morning.")
    ran = unlock(cli, "--for", "30m")
    assert "Unlocked until" in ran.stderr and "`recovery-journal lock` locks it sooner." in ran.stderr
    listed = cli("list", env=NO_PASSPHRASE)
    assert listed.exit_code == 0, listed.stderr
    assert "A quiet morning." in listed.stdout
    assert no_prompt == []
    sock = socket_of(Settings.from_env())
    assert wire.trusted(sock)
    assert (sock.stat().st_mode & 0o777) == 0o700 and (sock.parent.stat().st_mode & 0o777) == 0o700


def test_writing_in_a_session_saves_under_the_journal_key(
    cli: Cli, initialised: Ran, runtime: Path, no_prompt: list[str]
) -> None:
    unlock(cli)
    assert cli("write", input="Written while unlocked.", env=NO_PASSPHRASE).exit_code == 0
    assert cli("lock").exit_code == 0
    shown = cli("show", "1")  # with the passphrase: what the session saved opens with the real key
    assert shown.exit_code == 0 and "Written while unlocked." in shown.stdout


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc")
def test_the_agent_keeps_no_core_files_and_no_passphrase(cli: Cli, initialised: Ran, runtime: Path) -> None:
    unlock(cli)
    pid = _pid_at(socket_of(Settings.from_env()))
    assert pid is not None
    limits = Path(f"/proc/{pid}/limits").read_text()
    assert re.search(r"^Max core file size\s+0\s+0\s", limits, re.M), limits
    environ = Path(f"/proc/{pid}/environ").read_bytes()
    assert b"RECOVERY_JOURNAL_PASSPHRASE" not in environ and PASSPHRASE.encode() not in environ
    argv = Path(f"/proc/{pid}/cmdline").read_bytes()
    assert argv.split(b"\0")[1:3] == [b"-m", b"recovery_journal.agent.server"]


def test_status_says_until_when(cli: Cli, initialised: Ran, runtime: Path) -> None:
    locked = cli("status")
    assert locked.exit_code == 0 and "locked" in locked.stderr and "Unlocked" not in locked.stderr
    unlock(cli, "--for", "2h", "--idle", "10m")
    said = cli("status")
    assert (
        said.exit_code == 0 and "Unlocked until" in said.stderr and "left unused, it locks at" in said.stderr
    )
    doc = json.loads(cli("status", "--json").stdout)
    assert doc["kind"] == "status" and doc["unlocked"] is True and doc["idle_seconds"] == 600
    assert doc["until"] > doc["idle_until"]
    assert json.loads(cli("unlock", "--status", "--json").stdout)["unlocked"] is True


def test_lock_ends_it(cli: Cli, initialised: Ran, runtime: Path, no_terminal: None) -> None:
    unlock(cli)
    sock = socket_of(Settings.from_env())
    pid = _pid_at(sock)
    ran = cli("lock")
    assert ran.exit_code == 0 and "Locked." in ran.stderr
    assert not sock.exists()
    assert pid is not None
    needs = cli("list", env=NO_PASSPHRASE)
    assert needs.exit_code == ExitCode.PASSPHRASE_PROBLEM
    again = cli("lock", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["was_unlocked"] is False
    assert json.loads(cli("status", "--json").stdout)["unlocked"] is False


@pytest.mark.parametrize("option", ["--idle", "--for"])
def test_it_locks_itself_when_idle_or_out_of_time(
    cli: Cli, initialised: Ran, runtime: Path, no_terminal: None, option: str
) -> None:
    unlock(cli, option, "1s")
    sock = socket_of(Settings.from_env())
    wait_until(lambda: not sock.exists(), "the agent to lock itself")
    assert cli("list", env=NO_PASSPHRASE).exit_code == ExitCode.PASSPHRASE_PROBLEM
    assert "locked" in cli("status").stderr


def test_using_it_keeps_it_from_going_idle(cli: Cli, initialised: Ran, runtime: Path) -> None:
    unlock(cli, "--idle", "1h")
    before = json.loads(cli("status", "--json").stdout)["idle_until"]
    time.sleep(1.1)
    assert cli("list", env=NO_PASSPHRASE).exit_code == 0
    assert json.loads(cli("status", "--json").stdout)["idle_until"] > before


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("passwd",), {"RECOVERY_JOURNAL_NEW_PASSPHRASE": "a new passphrase"}),
        (("passwd", "--rotate-data-key"), {"RECOVERY_JOURNAL_NEW_PASSPHRASE": "a new passphrase"}),
        (("recover",), {"RECOVERY_JOURNAL_NEW_PASSPHRASE": "a new passphrase"}),
    ],
)
def test_a_changed_passphrase_or_key_ends_it(
    cli: Cli, runtime: Path, no_terminal: None, args: tuple[str, ...], env: dict[str, str]
) -> None:
    code = cli("init").stdout.split("Your recovery code: ")[1].split()[0]
    write(cli, "Before the change.")
    unlock(cli)
    sock = socket_of(Settings.from_env())
    if args[0] == "recover":
        env = {**env, "RECOVERY_JOURNAL_RECOVERY_CODE": code}
    changed = cli(*args, env=env)
    assert changed.exit_code == 0, changed.stderr
    assert not sock.exists()
    assert cli("list", env=NO_PASSPHRASE).exit_code == ExitCode.PASSPHRASE_PROBLEM
    shown = cli("show", "1", env={"RECOVERY_JOURNAL_PASSPHRASE": "a new passphrase"})
    assert "Before the change." in shown.stdout


def test_a_lost_lock_message_still_ends_it_at_the_next_request(
    cli: Cli, initialised: Ran, runtime: Path, no_terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agent checks the key slots' identity on every request: a passphrase changed elsewhere ends it."""
    unlock(cli)
    sock = socket_of(Settings.from_env())
    with monkeypatch.context() as patched:
        patched.setattr(client, "end", lambda *_: False)  # as if the lock message never arrived
        assert cli("passwd", env={"RECOVERY_JOURNAL_NEW_PASSPHRASE": "another one"}).exit_code == 0
    assert sock.exists()
    assert cli("list", env=NO_PASSPHRASE).exit_code == ExitCode.PASSPHRASE_PROBLEM
    wait_until(lambda: not sock.exists(), "the agent to end after a request for another identity")


def test_passwd_asks_for_the_current_passphrase_even_when_unlocked(
    cli: Cli, initialised: Ran, runtime: Path, no_terminal: None
) -> None:
    unlock(cli)
    ran = cli("passwd", env={**NO_PASSPHRASE, "RECOVERY_JOURNAL_NEW_PASSPHRASE": "taken over"})
    assert ran.exit_code == ExitCode.PASSPHRASE_PROBLEM
    assert cli("list", env=NO_PASSPHRASE).exit_code == 0  # nothing changed; the session goes on
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE}).exit_code == 0


def test_a_killed_agent_leaves_a_socket_that_is_passed_over_and_removed(
    cli: Cli, initialised: Ran, runtime: Path, no_terminal: None
) -> None:
    write(cli, "Still here.")
    unlock(cli)
    sock = socket_of(Settings.from_env())
    pid = _pid_at(sock)
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: _pid_at(sock) is None, "the killed agent to stop listening")
    assert sock.exists()  # a kill leaves no chance to clean up
    listed = cli("list")  # with the passphrase, as if there had never been a session
    assert listed.exit_code == 0 and "Still here." in listed.stdout and listed.stderr == ""
    assert not sock.exists()
    assert cli("list", env=NO_PASSPHRASE).exit_code == ExitCode.PASSPHRASE_PROBLEM
    assert "locked" in cli("status").stderr


def test_two_journals_have_two_sessions(
    cli: Cli, initialised: Ran, runtime: Path, tmp_path: Path, no_terminal: None
) -> None:
    other = tmp_path / "other"
    assert cli("--journal", str(other), "init").exit_code == 0
    write(cli, "In the first.")
    assert cli("--journal", str(other), "write", input="In the second.").exit_code == 0
    unlock(cli)
    assert cli("--journal", str(other), "unlock").exit_code == 0
    first, second = socket_of(Settings.from_env()), socket_of(Settings.from_env(other))
    assert first != second and _pid_at(first) != _pid_at(second)
    assert cli("lock").exit_code == 0
    assert cli("list", env=NO_PASSPHRASE).exit_code == ExitCode.PASSPHRASE_PROBLEM
    listed = cli("--journal", str(other), "list", env=NO_PASSPHRASE)
    assert (
        listed.exit_code == 0 and "In the second." in listed.stdout and "In the first." not in listed.stdout
    )


def test_one_journals_agent_never_opens_another(
    cli: Cli, initialised: Ran, runtime: Path, tmp_path: Path, no_terminal: None
) -> None:
    """Even asked directly, an agent gives its key only for the journal file and keys it was given."""
    other = tmp_path / "other"
    assert cli("--journal", str(other), "init").exit_code == 0
    unlock(cli)
    here, there = Settings.from_env(), Settings.from_env(other)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(2)
        conn.connect(str(socket_of(here)))
        wire.send(conn, {"op": "key", "identity": "0" * 64, "file": list(wire.file_of(there.paths.db))})
        assert wire.receive(conn) == {"ok": False}
    wait_until(lambda: not socket_of(here).exists(), "the agent to end after a request for another journal")


def test_a_replaced_journal_file_ends_it(
    cli: Cli, initialised: Ran, runtime: Path, isolated: Path, no_terminal: None
) -> None:
    write(cli, "The original.")
    unlock(cli)
    sock = socket_of(Settings.from_env())
    copy = isolated / "copy.db"
    shutil.copyfile(isolated / "journal.db", copy)
    copy.replace(isolated / "journal.db")  # same words, same keys, but another file
    wait_until(lambda: not sock.exists(), "the agent to notice the replaced file")
    assert cli("list", env=NO_PASSPHRASE).exit_code == ExitCode.PASSPHRASE_PROBLEM


@pytest.mark.parametrize(("opened", "mode"), [("sessions", 0o755), ("scratch", 0o750), ("socket", 0o777)])
def test_the_agent_ends_as_soon_as_clients_stop_trusting_it(
    cli: Cli, initialised: Ran, runtime: Path, no_terminal: None, opened: str, mode: int
) -> None:
    """One check for both sides: no `status` may say "locked" while an agent still holds the key."""
    unlock(cli)
    sock = socket_of(Settings.from_env())
    place = {"sessions": sock.parent, "scratch": sock.parent.parent, "socket": sock}[opened]
    place.chmod(mode)
    try:
        assert not wire.trusted(sock)
        assert cli("list", env=NO_PASSPHRASE).exit_code == ExitCode.PASSPHRASE_PROBLEM
        wait_until(lambda: _pid_at(sock) is None, f"the agent to end once its {opened} isn't private")
    finally:
        if opened != "socket":  # the agent removes its socket as it ends
            place.chmod(0o700)
    assert json.loads(cli("status", "--json").stdout)["unlocked"] is False
    assert cli("list", env=NO_PASSPHRASE).exit_code == ExitCode.PASSPHRASE_PROBLEM


NO_PID = 2**22 + 1  # above any pid_max: the `runtime` fixture's SIGKILL for a fake agent reaches no one


class _FakeAgent:
    """Listens where the agent would, its socket opened to others, and answers one request as it would."""

    def __init__(self, sock: Path) -> None:
        import threading

        wire.prepare(sock)
        sock.unlink(missing_ok=True)
        self.sock, self.asked = sock, list[str]()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(sock))
        self.listener.listen(1)
        sock.chmod(0o777)
        self.thread = threading.Thread(target=self._answer, daemon=True)
        self.thread.start()

    def _answer(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            op = wire.receive(conn)["op"]
            self.asked.append(op)
            reply = {"ok": True, "pid": NO_PID, "until": time.time() + 60, "idle_until": time.time() + 60}
            wire.send(conn, {**reply, "idle": 60} if op == "status" else {"ok": True})
        if op == "lock":
            self.sock.unlink()
        self.listener.close()


def test_lock_and_status_still_reach_an_agent_whose_socket_is_not_private(runtime: Path) -> None:
    settings = Settings.from_env()
    sock = socket_of(settings)
    agent = _FakeAgent(sock)
    assert not wire.trusted(sock)
    held = client.status(settings.paths, settings.env)
    assert held is not None and held.pid == NO_PID, 'not "locked" while it still holds the key'
    agent.thread.join(5)
    agent = _FakeAgent(sock)
    assert client.end(settings.paths, settings.env) is True
    agent.thread.join(5)
    assert agent.asked == ["lock"] and not sock.exists()


def test_lock_says_plainly_when_it_cannot_confirm(
    cli: Cli, initialised: Ran, runtime: Path, no_terminal: None
) -> None:
    sock = socket_of(Settings.from_env())
    wire.prepare(sock)
    sock.write_text("")  # not a socket of the person's own: it can't be asked, nor removed as stale
    ran = cli("lock", "--json")
    assert ran.exit_code == 0
    assert json.loads(ran.stdout)["was_unlocked"] is None and json.loads(ran.stdout)["locked"] is False
    said = cli("lock").stderr
    assert "couldn't be confirmed" in said and "already locked" not in said
    assert sock.exists()


def test_a_stale_socket_is_removed_but_never_a_new_agent_s(
    runtime: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client refused on a killed agent's socket doesn't remove the one a new `unlock` bound meanwhile."""
    settings = Settings.from_env()
    sock = socket_of(settings)
    wire.prepare(sock)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(sock))
    stale.close()  # as a killed agent leaves it: there, and no one listening
    fresh = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    real = socket.socket

    raced: list[bool] = []

    class Racing(real):  # type: ignore[misc, valid-type]
        def connect(self, address: object) -> None:
            try:
                super().connect(address)
            finally:  # refused on the old one; meanwhile a new agent takes the name
                if not raced:
                    raced.append(True)
                    sock.unlink()
                    fresh.bind(str(sock))
                    fresh.listen(1)

    with monkeypatch.context() as racing:
        racing.setattr(socket, "socket", Racing)
        assert client.status(settings.paths, settings.env) is None
    assert sock.exists(), "the new agent's socket stays"
    fresh.close()
    assert client.status(settings.paths, settings.env) is None
    assert not sock.exists(), "a socket no one listens on is removed"


def test_a_new_recovery_code_ends_it(cli: Cli, initialised: Ran, runtime: Path, no_terminal: None) -> None:
    unlock(cli)
    sock = socket_of(Settings.from_env())
    pid = _pid_at(sock)
    assert pid is not None
    assert cli("passwd", "--new-recovery-code").exit_code == 0
    assert not sock.exists() and _pid_at(sock) is None


def test_unlock_says_calmly_when_no_session_can_start(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    deep = tmp_path / ("a-folder-with-a-long-name-" * 4)
    deep.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    ran = cli("unlock")
    assert ran.exit_code == ExitCode.STORAGE
    assert ran.stderr.startswith("recovery-journal: The journal couldn't be kept unlocked: ")
    assert (
        "too long a path for a socket" in ran.stderr and "each command asks for your passphrase" in ran.stderr
    )
    assert "Traceback" not in ran.stderr and len(ran.stderr.strip().splitlines()) == 2
    assert cli("list").exit_code == 0


def test_a_bad_duration_is_a_usage_problem(cli: Cli, initialised: Ran, runtime: Path) -> None:
    for args in (["--for", "soon"], ["--idle", "0s"], ["--for", "25h"]):
        ran = cli("unlock", *args)
        assert ran.exit_code == ExitCode.USAGE, args
        assert "hint:" in ran.stderr and "Traceback" not in ran.stderr
    assert not list(runtime.glob("recovery-journal/sessions/*.sock"))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("15m", 900),
        ("1h", 3600),
        ("1h30m", 5400),
        (" 2H ", 7200),
        ("1m 30s", 90),
        ("24h", 86400),
    ],
)
def test_durations_read_as_people_write_them(text: str, seconds: float) -> None:
    assert durations.parse(text, "--for") == seconds


@pytest.mark.parametrize("text", ["", "15", "m", "1d", "-5m", "1.5h", "0s", "24h1s", "15 minutes"])
def test_durations_that_do_not_read(text: str) -> None:
    with pytest.raises(UsageProblem):
        durations.parse(text, "--for")


def test_spans_in_words() -> None:
    assert told.span(90) == "90 seconds"
    assert told.span(60) == "1 minute"
    assert told.span(900) == "15 minutes"
    assert told.span(5400) == "1 hour 30 minutes"


def _ucred(uid: int) -> bytes:
    return struct.pack("3i", 1234, uid, 1000)


class _FakePeer:
    """A connection whose kernel credentials say `uid`."""

    def __init__(self, uid: int) -> None:
        self.uid = uid

    def getsockopt(self, level: int, option: int, size: int) -> bytes:
        assert (level, option) == (socket.SOL_SOCKET, socket.SO_PEERCRED)
        return _ucred(self.uid)


def test_the_peer_check_refuses_another_user() -> None:
    wire.check_peer(_FakePeer(os.getuid()))  # type: ignore[arg-type]
    with pytest.raises(wire.Unavailable):
        wire.check_peer(_FakePeer(os.getuid() + 1))  # type: ignore[arg-type]
    with pytest.raises(wire.Unavailable):
        wire.uid_from_ucred(b"\x00" * 5)


def test_macos_credentials_read_the_uid() -> None:
    raw = struct.pack("=IIh", 0, 501, 1) + b"\x00" * 66
    assert wire.uid_from_xucred(raw) == 501
    with pytest.raises(wire.Unavailable):
        wire.uid_from_xucred(struct.pack("=II", 7, 501))  # a version we don't know


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another user")
def test_a_process_of_another_user_gets_nothing(
    initialised: Ran, runtime: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process of another user that reaches the socket gets nothing.

    It can reach it only once the folders or the socket are opened to others, and then a real agent ends
    within a second; so the agent's serving loop runs here, in a thread, told to keep trusting its socket.
    """
    import threading

    from recovery_journal.agent import server

    settings = Settings.from_env()
    sock = socket_of(settings)
    wire.prepare(sock)
    holding = server.Holding(
        key=bytearray(32),
        identity="i",
        file=wire.file_of(settings.paths.db),
        db=settings.paths.db,
        sock=sock,
        idle=60,
        lifetime=60,
    )
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(sock))
    listener.listen(8)
    listening = wire.socket_file(sock)
    assert listening is not None
    opened = [runtime, sock.parent.parent, sock.parent]
    for folder in opened:
        folder.chmod(0o711)
    sock.chmod(0o777)
    monkeypatch.setattr(wire, "trusted", lambda _sock: True)
    serving = threading.Thread(target=server.serve, args=(holding, listener, listening), daemon=True)
    serving.start()
    try:
        pid = os.fork()
        if pid == 0:  # the child: becomes nobody, connects, asks, reports what came back in its exit status
            status = 3
            try:
                os.setgid(65534)
                os.setuid(65534)
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                    conn.settimeout(5)
                    conn.connect(str(sock))
                    with contextlib.suppress(OSError):
                        conn.sendall(wire.encode({"op": "status"}))
                    try:
                        got = conn.recv(4096)
                    except ConnectionResetError:  # closed with our request unread
                        got = b""
                    status = 0 if got == b"" else 1
            except OSError:
                status = 2
            finally:
                os._exit(status)
        _, code = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(code) == 0  # connected, and the agent closed without a byte
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:  # its own user is still served
            conn.settimeout(5)
            conn.connect(str(sock))
            wire.send(conn, {"op": "status"})
            assert wire.receive(conn)["ok"] is True
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(5)
            conn.connect(str(sock))
            wire.send(conn, {"op": "lock"})
            assert wire.receive(conn)["ok"] is True
        serving.join(5)
        assert not serving.is_alive()
    finally:
        listener.close()
        for folder in opened:
            folder.chmod(0o700)


@given(st.dictionaries(st.text(max_size=20), st.one_of(st.integers(), st.text(max_size=50), st.none())))
def test_frames_round_trip(message: dict[str, object]) -> None:
    frame = wire.encode(message)
    assert wire.decode_body(frame[9:]) == message
    assert wire.decode_header(frame[:9]) == len(frame) - 9


def test_frames_that_are_not_ours_are_refused() -> None:
    good = wire.encode({"op": "status"})
    for bad_header in (
        b"XXXX" + good[4:9],
        good[:4] + b"\x02" + good[5:9],
        good[:5] + (5000).to_bytes(4, "big"),
    ):
        with pytest.raises(wire.WireError):
            wire.decode_header(bad_header)
    for bad_body in (b"[1]", b"\xff", b"{"):
        with pytest.raises(wire.WireError):
            wire.decode_body(bad_body)
    with pytest.raises(wire.WireError):
        wire.encode({"op": "x" * 5000})


@pytest.mark.slow
def test_in_a_real_terminal_unlock_asks_once_and_outlives_the_terminal(
    cli: Cli, initialised: Ran, runtime: Path
) -> None:
    """The passphrase is typed once; the agent keeps running after that terminal closes (its own session)."""
    from .test_terminal import _env, run_in_terminal

    write(cli, "Typed once.")
    code, screen = run_in_terminal(["unlock", "--for", "10m"], [("Passphrase", PASSPHRASE)], _env())
    assert code == 0, screen
    assert "Unlocked until" in screen
    code, screen = run_in_terminal(["list"], [], _env())  # a new terminal; nothing will be typed
    assert code == 0, screen
    assert "Passphrase" not in screen and "Typed once." in screen
