"""The real thing in a real (pseudo-)terminal: hidden prompts, the editor, and piped text beside a prompt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HELPERS
from .terminal_driver import drive

pty = pytest.importorskip("pty")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERY_JOURNAL_PASSPHRASE")}
    env.update(extra, TERM="dumb", COLUMNS="100")
    return env


def run_in_terminal(
    args: list[str], answers: list[tuple[str, str]], env: dict[str, str], stdin: bytes | None = None
) -> tuple[int, str]:
    """Run the command with a pty as its terminal; answer each (hidden) prompt once it shows, as people do.

    `stdin` feeds the command from a pipe instead.
    """
    return drive(args, [(prompt, answer, True) for prompt, answer in answers], env, stdin)


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
