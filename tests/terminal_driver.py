"""Driving the command in a real pseudo-terminal, as a person would: wait for a prompt, then type."""

from __future__ import annotations

import os
import select
import signal
import sys
import time

import pytest

pty = pytest.importorskip("pty")
termios = pytest.importorskip("termios")

# (text to wait for on screen, what to type: a str is followed by Enter, bytes are typed as they are,
#  whether the prompt hides what is typed: if so, type only once the terminal stops echoing)
Step = tuple[str, "str | bytes", bool]


def echo_is_off(fd: int) -> bool:
    """True once the program has switched the terminal to hidden input (getpass turns ECHO off)."""
    try:
        return not termios.tcgetattr(fd)[3] & termios.ECHO
    except termios.error:
        return False


def drive(
    args: list[str],
    steps: list[Step],
    env: dict[str, str],
    stdin: bytes | None = None,
    settle: float = 0.0,
) -> tuple[int, str]:
    """Run `recovery-journal ARGS` with a pty as its terminal, taking each step once its text shows.

    A hidden prompt flushes what was typed before it turned echo off, so its answer waits for echo to go.
    `stdin` feeds the command from a pipe instead of the terminal; `settle` waits that long before typing,
    for a program that reads the terminal a moment after it prints.
    """
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, as in a real session
        # Ctrl-C as a person's terminal delivers it, however pytest was started: from a shell's background
        # job SIGINT is ignored, and an ignored signal stays ignored across exec.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        if stdin is not None:
            read_end, write_end = os.pipe()
            os.write(write_end, stdin)
            os.close(write_end)
            os.dup2(read_end, 0)
        os.execvpe(sys.executable, [sys.executable, "-m", "recovery_journal", *args], env)  # noqa: S606
    seen = since = b""
    pending = list(steps)
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
            since += chunk
        if pending and pending[0][0].encode() in since and (not pending[0][2] or echo_is_off(fd)):
            typed = pending.pop(0)[1]
            time.sleep(settle)
            os.write(fd, typed if isinstance(typed, bytes) else (typed + "\n").encode())
            since = b""
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")
