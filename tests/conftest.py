"""Every test gets its own journal home, scratch folder and environment; none can touch real data."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recovery_journal.agent import wire
from recovery_journal.cli import app
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings

PASSPHRASE = "correct horse battery staple"
HELPERS = Path(__file__).parent / "helpers"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the journal home, the config file and the editor scratch folder into tmp_path; fast KDF.

    The config file is named but not made, so no test reads a real one (tests that want one write it).
    """
    for name in list(os.environ):
        if name.startswith("RECOVERY_JOURNAL_") or name in ("VISUAL", "EDITOR", "NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "journal"
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("RECOVERY_JOURNAL_HOME", str(home))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("RECOVERY_JOURNAL_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # where the default would be
    monkeypatch.setenv("RECOVERY_JOURNAL_TESTONLY_WEAK_KDF", "1")
    monkeypatch.setenv("RECOVERY_JOURNAL_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("RECOVERY_JOURNAL_LOCK_TIMEOUT", "2")
    return home


@pytest.fixture
def runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short runtime folder (socket paths are limited in length); every agent started in it ends after."""
    short = Path(tempfile.mkdtemp(prefix="rj-", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(short))
    yield short
    for sock in short.glob("recovery-journal/sessions/*.sock"):
        pid = _pid_at(sock)
        if pid is not None:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    shutil.rmtree(short, ignore_errors=True)


def _pid_at(sock: Path) -> int | None:
    """The pid of the agent listening at `sock`, asked directly."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(2)
            conn.connect(str(sock))
            wire.send(conn, {"op": "status"})
            return int(wire.receive(conn)["pid"])
    except (OSError, wire.WireError, KeyError, ValueError):
        return None


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture
def journal(settings: Settings) -> Iterator[Journal]:
    created, _code = Journal.create(settings, PASSPHRASE)
    with created:
        yield created


@dataclass
class Ran:
    exit_code: int
    stdout: str
    stderr: str


Cli = Callable[..., Ran]


@pytest.fixture
def cli() -> Cli:
    """Run the command in-process; stdout and stderr are kept apart."""

    def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Ran:
        result = CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def initialised(cli: Cli) -> Ran:
    ran = cli("init")
    assert ran.exit_code == 0, ran.stderr
    return ran


@pytest.fixture
def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Make $EDITOR a script that writes given text (and records what it saw) instead of a person typing."""

    def configure(
        text: str | None = None, status: int = 0, append: bool = False, raw: bytes | None = None
    ) -> Path:
        log = tmp_path / "editor-log.json"
        spec = tmp_path / "editor-spec.json"
        import json

        spec.write_text(
            json.dumps(
                {
                    "text": text,
                    "status": status,
                    "append": append,
                    "log": str(log),
                    "raw_hex": None if raw is None else raw.hex(),
                }
            )
        )
        monkeypatch.setenv("EDITOR", f"{sys.executable} {HELPERS / 'fake_editor.py'} {spec}")
        return log

    return configure


def damage_field(db: Path, table: str, column: str, where: str = "1 = 1", at: int = -1) -> None:
    """Flip one bit of a sealed value in the journal file, as a disk fault or a change made outside would."""
    con = sqlite3.connect(db)
    sealed = bytearray(con.execute(f"SELECT {column} FROM {table} WHERE {where}").fetchone()[0])
    sealed[at] ^= 1
    con.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (bytes(sealed),))
    con.commit()
    con.close()
