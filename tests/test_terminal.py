"""The real thing in a real (pseudo-)terminal: hidden prompts, the editor, and piped text beside a prompt."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import HELPERS

pty = pytest.importorskip("pty")
termios = pytest.importorskip("termios")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERY_JOURNAL_PASSPHRASE")}
    env.update(extra, TERM="dumb", COLUMNS="100")
    return env


def _echo_is_off(fd: int) -> bool:
    """True once the program has switched the terminal to hidden input (getpass turns ECHO off)."""
    try:
        return not termios.tcgetattr(fd)[3] & termios.ECHO
    except termios.error:
        return False


def run_in_terminal(
    args: list[str], answers: list[tuple[str, str]], env: dict[str, str], stdin: bytes | None = None
) -> tuple[int, str]:
    """Run the command with a pty as its terminal; when a prompt shows, type its answer, as a person would.

    A hidden prompt flushes what was typed before it turned echo off, so an answer is typed only once the
    prompt is on screen and the terminal no longer echoes. `stdin` feeds the command from a pipe instead.
    """
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, as in a real session
        if stdin is not None:
            read_end, write_end = os.pipe()
            os.write(write_end, stdin)
            os.close(write_end)
            os.dup2(read_end, 0)
        os.execvpe(sys.executable, [sys.executable, "-m", "recovery_journal", *args], env)  # noqa: S606
    seen = b""
    since_answer = b""
    pending = list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal: it has finished
                break
            if not chunk:
                break
            seen += chunk
            since_answer += chunk
        if pending and pending[0][0].encode() in since_answer and _echo_is_off(fd):
            os.write(fd, (pending.pop(0)[1] + "\n").encode())
            since_answer = b""
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")


@pytest.mark.slow
def test_init_and_write_in_a_real_terminal(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(
        '{"text": "Typed in a real editor session.", "status": 0, "append": false, "log": "%s"}'
        % (tmp_path / "log.json")
    )
    env = _env(EDITOR=f"{sys.executable} {HELPERS / 'fake_editor.py'} {spec}")
    code, screen = run_in_terminal(
        ["init"], [("Choose a passphrase", "my secret words"), ("Once more", "my secret words")], env
    )
    assert code == 0, screen
    assert "my secret words" not in screen, "the passphrase is never echoed"
    assert "recovery code" in screen.lower()
    code, screen = run_in_terminal(["write", "--tag", "pty"], [("Passphrase", "my secret words")], env)
    assert code == 0, screen
    assert "Saved entry 1" in screen
    code, screen = run_in_terminal(["list"], [("Passphrase", "my secret words")], env)
    assert code == 0, screen
    assert "Typed in a real editor session." in screen and "#pty" in screen
    slip = [("Passphrase", "wrong words"), ("Passphrase", "my secret words")]
    code, screen = run_in_terminal(["list"], slip, env)
    assert code == 0 and "try again" in screen, "a mistyped passphrase at the prompt gets another go"
    code, screen = run_in_terminal(["list"], [("Passphrase", "wrong words")] * 3, env)
    assert code == 5, screen
    assert "didn't open" in screen and "Traceback" not in screen


@pytest.mark.slow
def test_piped_text_with_the_passphrase_asked_on_the_terminal() -> None:
    """`echo ... | recovery-journal write`: text from the pipe, passphrase from the terminal, not mixed."""
    env = _env()
    subprocess.run(
        [sys.executable, "-m", "recovery_journal", "init"],
        env={**env, "RECOVERY_JOURNAL_PASSPHRASE": "pw"},
        check=True,
        capture_output=True,
    )
    code, screen = run_in_terminal(["write"], [("Passphrase", "pw")], env, stdin=b"Words from a pipe.\n")
    assert code == 0, screen
    listed = subprocess.run(
        [sys.executable, "-m", "recovery_journal", "list"],
        capture_output=True,
        text=True,
        env={**env, "RECOVERY_JOURNAL_PASSPHRASE": "pw"},
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert "Words from a pipe." in listed.stdout
