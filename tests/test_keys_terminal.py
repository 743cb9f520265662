"""Passphrases and recovery codes typed in a real (pseudo-)terminal: slips are said and asked again."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .terminal_driver import drive
from .test_keys import names_group
from .test_terminal import _env

pty = pytest.importorskip("pty")

# (what the prompt says, what to type, whether the prompt hides what is typed)
Answer = tuple[str, str, bool]


def converse(args: list[str], answers: list[Answer], env: dict[str, str]) -> tuple[int, str]:
    """Run the command on a pty and answer each prompt once it shows, hidden ones only once echo is off."""
    return drive(args, list(answers), env)


def _opens(env: dict[str, str], passphrase: str) -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "recovery_journal", "list"],
        env={**env, "RECOVERY_JOURNAL_PASSPHRASE": passphrase},
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.mark.slow
def test_choosing_a_passphrase_in_a_real_terminal() -> None:
    env = _env()
    code, screen = converse(
        ["init"],
        [
            ("Choose a passphrase", "", True),  # empty: said, and asked again
            ("Choose a passphrase", "abc", True),  # short: a gentle word, and the offer
            ("Choose a different one?", "y", False),
            ("Choose a passphrase", "quiet river stones", True),
            ("Once more", "quiet river stone", True),  # a slip: said, and begun again
            ("Choose a passphrase", "quiet river stones", True),
            ("Once more", "quiet river stones", True),
        ],
        env,
    )
    assert code == 0, screen
    assert "An empty passphrase can't protect anything." in screen
    assert screen.index("A phrase of a few words") < screen.index("Once more"), "before confirming"
    assert "didn't match" in screen and "Traceback" not in screen
    assert "quiet river" not in screen and "abc" not in screen, "nothing typed is echoed"
    assert "every backup made from now on" in screen
    assert _opens(env, "quiet river stones")


@pytest.mark.slow
def test_passwd_and_recover_in_a_real_terminal() -> None:
    env = _env()
    made = subprocess.run(
        [sys.executable, "-m", "recovery_journal", "init"],
        env={**env, "RECOVERY_JOURNAL_PASSPHRASE": "the first words"},
        capture_output=True,
        text=True,
        check=True,
    )
    recovery = made.stdout.split("recovery code: ")[1].split()[0]
    code, screen = converse(
        ["passwd"],
        [
            ("Current passphrase", "the first words", True),
            ("New passphrase", "the first words", True),
            ("New passphrase", "the second words", True),
            ("Once more", "the second words", True),
        ],
        env,
    )
    assert code == 0, screen
    assert "already has" in screen and "Passphrase changed" in screen
    assert _opens(env, "the second words")
    typo = recovery[:11] + ("7" if recovery[11] != "7" else "8") + recovery[12:]  # group 3
    code, screen = converse(
        ["recover"],
        [
            ("Recovery code", typo, False),
            ("Recovery code", recovery, False),
            ("New passphrase", "the third words", True),
            ("Once more", "the third words", True),
        ],
        env,
    )
    assert code == 0, screen
    assert names_group(screen, 3) and "checksum" not in screen
    assert "That code opened the journal." in screen and "every backup made from now on" in screen
    assert _opens(env, "the third words")
