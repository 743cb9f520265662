"""Writing without an editor, in a real (pseudo-)terminal: the passphrase first, then the words."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .terminal_driver import drive
from .test_terminal import _env

pty = pytest.importorskip("pty")

PW = "pw for typing"


def _session(args: list[str], env: dict[str, str], steps: list[tuple[str, bytes]]) -> tuple[int, str]:
    """Run in a pty; each step waits for its text on screen, then types its bytes (the passphrase once the
    terminal stops echoing, as a person would), a moment after, so the program has reached its read."""
    return drive(args, [(wait, typed, wait == "Passphrase") for wait, typed in steps], env, settle=0.1)


def _init(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "recovery_journal", "init"],
        env={**env, "RECOVERY_JOURNAL_PASSPHRASE": PW},
        check=True,
        capture_output=True,
    )


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recovery_journal", *args],
        env={**env, "RECOVERY_JOURNAL_PASSPHRASE": PW},
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _no_editor(tmp_path: Path) -> dict[str, str]:
    empty = tmp_path / "no-editors"
    empty.mkdir()
    env = _env(PATH=str(empty))
    env.pop("EDITOR", None)
    env.pop("VISUAL", None)
    return env


WRITE_HERE = "Ctrl-D on an empty line"


@pytest.mark.slow
def test_write_inline_asks_the_passphrase_first_then_reads_the_words(tmp_path: Path) -> None:
    env = _env(EDITOR="/nonexistent/editor/never/opened")
    _init(env)
    steps = [("Passphrase", f"{PW}\n".encode()), (WRITE_HERE, b"Typed here, line one.\nAnd two.\n\x04")]
    code, screen = _session(["write", "--inline", "--mood", "6"], env, steps)
    assert code == 0, screen
    assert screen.index("Passphrase") < screen.index(WRITE_HERE), "the passphrase is asked before any words"
    assert PW not in screen
    shown = json.loads(_cli(env, "show", "1", "--json").stdout)["entry"]
    assert (shown["text"], shown["mood"]) == ("Typed here, line one.\nAnd two.", 6)


@pytest.mark.slow
def test_with_no_editor_at_all_the_entry_is_typed_in_the_terminal(tmp_path: Path) -> None:
    env = _no_editor(tmp_path)
    _init(env)
    steps = [("Passphrase", f"{PW}\n".encode()), (WRITE_HERE, b"No editor, still written.\n\x04")]
    code, screen = _session(["write"], env, steps)
    assert code == 0, screen
    assert "No text editor was found" in screen and "Saved entry 1" in screen
    assert screen.index("Passphrase") < screen.index(WRITE_HERE)
    assert "No editor, still written." in _cli(env, "list").stdout


@pytest.mark.slow
def test_ctrl_d_straight_away_is_a_choice_not_an_error(tmp_path: Path) -> None:
    env = _no_editor(tmp_path)
    _init(env)
    code, screen = _session(
        ["write", "--inline"], env, [("Passphrase", f"{PW}\n".encode()), (WRITE_HERE, b"\x04")]
    )
    assert code == 0 and "Nothing written, nothing saved." in screen, screen


@pytest.mark.slow
def test_ctrl_c_while_typing_keeps_the_lines_as_a_draft(tmp_path: Path) -> None:
    env = _no_editor(tmp_path)
    _init(env)
    steps = [("Passphrase", f"{PW}\n".encode()), (WRITE_HERE, b"A first line, kept.\n"), ("kept.", b"\x03")]
    code, screen = _session(["write", "--inline", "--tag", "night"], env, steps)
    assert code == 130, (code, screen)
    assert "draft 1" in screen and "Traceback" not in screen
    [draft] = json.loads(_cli(env, "drafts", "--json").stdout)["drafts"]
    assert (draft["text"], draft["tags"]) == ("A first line, kept.\n", ["night"])
    assert json.loads(_cli(env, "list", "--json").stdout)["entries"] == []
