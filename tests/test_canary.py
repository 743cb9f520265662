"""A unique word goes through every command; it must never appear in any file the tool leaves on disk."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from recovery_journal.commands import terminal as face
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE, Cli

CANARY = "Zqxjvkcanary"


def leaks(root: Path, skip: set[Path]) -> list[str]:
    """Every file under root holding the canary, in any case, as UTF-8 or UTF-16."""
    forms = {CANARY, CANARY.lower(), CANARY.upper()}
    needles = [f.encode(enc) for f in forms for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    found = []
    for path in root.rglob("*"):
        if path.is_file() and path not in skip:
            data = path.read_bytes()
            if any(n in data for n in needles):
                found.append(str(path.relative_to(root)))
    return found


def test_canary_never_reaches_disk(
    cli: Cli,
    tmp_path: Path,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_editor: Callable[..., Path],
) -> None:
    def run(*args: str, **kwargs: object) -> None:
        ran = cli(*args, **kwargs)
        assert ran.exit_code == 0, (args, ran.stderr)

    run("init")
    run("write", "--title", f"{CANARY} title", "--tag", CANARY, "--mood", "3", input=f"Piped {CANARY} text.")
    run("write", "--date", "3 days ago", input=f"Second {CANARY}.")
    run("edit", "1", "--title", f"New {CANARY} title", "--tag", f"{CANARY}2")
    run("search", CANARY)
    run("list", "--tag", CANARY.lower())
    run("show", "1")
    run("history", "1")
    run("tags")
    run("support", "plan", input=f"## People I can ask for help\n{CANARY} 07700 900123\n")
    run("write", "--prompt", "hard-day", input=f"Under a prompt, {CANARY}.")
    run("share", "--entries", "1", "--dry-run")
    run(
        "capture",
        "--tag",
        CANARY,
        input=f"Captured {CANARY}, no passphrase.",
        env={"RECOVERY_JOURNAL_PASSPHRASE": ""},
    )
    assert leaks(isolated, set()) == []  # waiting, sealed, in the inbox
    run("doctor")  # opens the journal: the capture joins

    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(face, "can_ask_secret", lambda: True)
    log = fake_editor(f"Written in the editor: {CANARY}.")
    run("write")
    fake_editor(f" And edited: {CANARY}.", append=True)
    run("edit", "2")
    fake_editor(f"A crash with {CANARY} in the buffer.", status=1)
    assert cli("write").exit_code != 0  # kept as a sealed draft
    run("drafts")
    run("drafts", "show", "1")
    run("drafts", "save", "1")
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: False)

    # While a connection is open, the WAL holds the latest writes: scan it then too.
    with Journal.unlock(Settings.from_env(), PASSPHRASE) as journal:
        journal.write(f"Held open {CANARY}.")
        assert any(p.exists() for p in journal.settings.paths.sidecars())
        assert leaks(isolated, set()) == []

    run("passwd", env={"RECOVERY_JOURNAL_NEW_PASSPHRASE": "second"})
    run(
        "passwd",
        "--rotate-data-key",
        env={"RECOVERY_JOURNAL_PASSPHRASE": "second", "RECOVERY_JOURNAL_NEW_PASSPHRASE": "third"},
    )
    run("delete", "2", "--yes", env={"RECOVERY_JOURNAL_PASSPHRASE": "third"})

    # The entry index holds the canary title and tags, sealed, in the file scanned here.
    con = sqlite3.connect(isolated / "journal.db")
    assert con.execute("SELECT COUNT(*) FROM entry_index").fetchone()[0] >= 2
    con.close()
    test_files = {log, tmp_path / "editor-spec.json"}
    assert leaks(tmp_path, test_files) == []
    assert leaks(tmp_path / "runtime", set()) == []


def test_deleted_words_are_overwritten_not_just_unlinked(cli: Cli, isolated: Path) -> None:
    """secure_delete: the deleted entry's ciphertext does not linger in free pages."""
    cli("init")
    cli("write", input=f"To be deleted {CANARY} " * 50)
    con = sqlite3.connect(isolated / "journal.db")
    sealed = bytes(con.execute("SELECT text FROM entries WHERE id = 1").fetchone()[0])
    con.close()
    assert cli("delete", "1", "--yes").exit_code == 0
    raw = (isolated / "journal.db").read_bytes()
    assert sealed[13:60] not in raw
    assert json.loads(cli("list", "--json").stdout)["entries"] == []


def test_canary_in_milestones_counters_stages_and_backups_never_reaches_disk(
    cli: Cli, tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Later features write their own rows, a personal model, snapshots and backup files: scan them all."""

    def run(*args: str, **kwargs: object) -> None:
        ran = cli(*args, **kwargs)
        assert ran.exit_code == 0, (args, ran.stderr)

    run("init")
    run("write", "--tender", input=f"A {CANARY} day at the studio, and I held my boundary.")
    run("write", input=f"Another {CANARY} evening; so proud of myself.")
    run("stage", "set", "1", "recovery")  # teaches the personal model the canary word
    run("stage", "relearn")
    run("stage", "show", "2")
    run("milestone", "add", f"First {CANARY} boundary", "--kind", "boundary", "--note", f"{CANARY} note")
    run("milestone", "edit", "1", "--text", f"Held {CANARY}")
    run("counter", "start", f"no {CANARY} contact", "--since", "10 days ago")
    run("counter", "reset", f"no {CANARY} contact")
    for view in ("timeline", "progress", "calendar", "on-this-day", "counter", "milestone"):
        run(*view.split(), *(["list"] if view in ("counter", "milestone") else []))
    backups = tmp_path / "backups"
    backups.mkdir()
    run("backup", "create", str(backups / "one.rjbackup"))
    run("backup", "verify", str(backups / "one.rjbackup"))
    run("write", input=f"Written after the backup, {CANARY}.")
    run("delete", "2", "--yes")
    run("backup", "restore", str(backups / "one.rjbackup"), "--merge")  # brings 2 back, after a snapshot
    assert list((isolated / "snapshots").glob("*.db")), "the merge kept its safety copy"
    run("doctor", str(backups / "one.rjbackup"))
    assert leaks(isolated, set()) == []
    assert leaks(backups, set()) == []
    assert leaks(tmp_path / "runtime", set()) == []
