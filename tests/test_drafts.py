"""Drafts keep every detail, whatever ends the session: the format, a killed or hung-up editor, and saving."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
import uuid as uuidlib
from datetime import datetime
from pathlib import Path

import pytest

from recovery_journal.domain.entry import EntryChanges
from recovery_journal.journal import composing, editor
from recovery_journal.journal.service import Journal
from recovery_journal.sealing import drafts as draft_files
from recovery_journal.sealing.crypto import InvalidCiphertext
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE, Cli, Ran

pty = pytest.importorskip("pty")


def _v1_blob(journal: Journal, payload: dict[str, object]) -> bytes:
    """A draft as version 1 wrote it: no prompt, no changes."""
    draft_uuid = str(uuidlib.uuid4())
    sealed = journal.cipher.seal_json(payload, draft_files._ad(journal.keys.journal_id, draft_uuid))
    return draft_files.MAGIC + bytes((1,)) + uuidlib.UUID(draft_uuid).bytes + sealed


def _place(journal: Journal, blob: bytes, number: int = 1) -> Path:
    folder = journal.settings.paths.drafts
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{number}{draft_files.SUFFIX}"
    path.write_bytes(blob)
    return path


def test_a_draft_keeps_every_detail_of_an_edit_sealed(journal: Journal) -> None:
    entry = journal.write("Before.", tags=("old",), mood=4, tender=True)
    asked = EntryChanges(
        tags=("new", "second"),
        clear_mood=True,
        starred=True,
        date=datetime.fromisoformat("2024-03-03T21:00+01:00"),
    )
    kept = journal.drafts.keep(
        "After, in the editor.",
        reason="test",
        title="A title",
        tags=("new", "second"),
        date="2024-03-03T21:00:00+01:00",
        tender=True,
        starred=True,
        entry_uuid=entry.uuid,
        changes=asked,
    )
    blob = kept.path.read_bytes() if kept.path else b""
    assert blob.startswith(b"RJDRAFT\x02")
    for secret in (b"After, in the editor", b"A title", b"second", b"2024-03-03"):
        assert secret not in blob, "the details are as private as the words"
    opened = journal.drafts.get(kept.number)
    assert opened.changes == asked
    assert (opened.title, opened.tags, opened.tender, opened.starred) == (
        "A title",
        ("new", "second"),
        True,
        True,
    )
    assert opened.entry_uuid == entry.uuid


def test_drafts_are_padded_so_their_size_says_little(journal: Journal) -> None:
    sizes = []
    for length in range(1, 16):
        kept = journal.drafts.keep("w" * length, reason="test", title="t" * length)
        assert kept.path is not None
        sizes.append(kept.path.stat().st_size)
    assert len(set(sizes)) < len(sizes) / 2, "unpadded, every length would show"


def test_a_version_1_draft_is_still_read_and_saved(journal: Journal) -> None:
    payload = {
        "text": "Kept by an older version.",
        "title": "Old",
        "tags": ["before"],
        "mood": 3,
        "date": "2024-01-02T08:00:00+00:00",
        "saved": "2024-01-02T08:05:00+00:00",
        "reason": "the journal was busy",
        "entry_uuid": None,
        "tender": True,
        "starred": False,
    }
    _place(journal, _v1_blob(journal, payload))
    draft = journal.drafts.get(1)
    assert (draft.prompt, draft.changes) == ("", None)
    saved = journal.drafts.save(1)
    assert not saved.edited and not saved.entry_gone
    entry = saved.entry
    assert (entry.text, entry.title, entry.tags, entry.mood, entry.tender) == (
        "Kept by an older version.",
        "Old",
        ("before",),
        3,
        True,
    )
    assert entry.date == datetime.fromisoformat("2024-01-02T08:00:00+00:00")


def test_a_version_1_edit_draft_finishes_the_edit_with_its_words(journal: Journal) -> None:
    entry = journal.write("First words.", tags=("kept",))
    payload = {"text": "Second words.", "saved": "2024-01-02T08:05:00+00:00", "reason": "busy"}
    _place(journal, _v1_blob(journal, {**payload, "entry_uuid": entry.uuid}))
    saved = journal.drafts.save(1)
    assert saved.edited and saved.entry.id == entry.id
    assert (saved.entry.text, saved.entry.tags) == ("Second words.", ("kept",))
    assert journal.count() == 1


def test_an_unknown_draft_version_is_refused(journal: Journal) -> None:
    kept = journal.drafts.keep("words", reason="test")
    assert kept.path is not None
    blob = bytearray(kept.path.read_bytes())
    blob[len(draft_files.MAGIC)] = 3
    kept.path.write_bytes(bytes(blob))
    with pytest.raises(InvalidCiphertext):
        draft_files.load(kept.path, journal.cipher, journal.keys.journal_id)


def test_saving_an_edit_draft_applies_only_what_was_asked(journal: Journal) -> None:
    entry = journal.write("Before.", tags=("old",), mood=4)
    journal.drafts.keep(
        "After.",
        reason="test",
        entry_uuid=entry.uuid,
        tags=("asked",),
        mood=4,
        changes=EntryChanges(tags=("asked",)),
    )
    journal.edit(entry.id, EntryChanges(mood=8))  # another window, meanwhile
    saved = journal.drafts.save(1)
    assert saved.edited and saved.entry.id == entry.id
    assert (saved.entry.text, saved.entry.tags, saved.entry.mood) == ("After.", ("asked",), 8)
    assert journal.count() == 1 and journal.entry(entry.id).revisions == 2


def test_an_edit_draft_whose_entry_was_deleted_becomes_a_new_entry_with_its_details(journal: Journal) -> None:
    entry = journal.write("Before.", tags=("old",), date=datetime.fromisoformat("2023-05-06T07:08:00+00:00"))
    journal.drafts.keep(
        "After.",
        reason="test",
        entry_uuid=entry.uuid,
        tags=("old",),
        date="2023-05-06T07:08:00+00:00",
        tender=True,
        changes=EntryChanges(tender=True),
    )
    journal.delete(entry.id)
    saved = journal.drafts.save(1)
    assert saved.entry_gone and not saved.edited
    assert (saved.entry.text, saved.entry.tags, saved.entry.tender) == ("After.", ("old",), True)
    assert saved.entry.date == datetime.fromisoformat("2023-05-06T07:08:00+00:00")


def test_the_cli_says_a_deleted_entry_s_draft_became_a_new_entry(cli: Cli, initialised: Ran) -> None:
    assert cli("write", input="Before.").exit_code == 0
    with Journal.unlock(Settings.from_env(), PASSPHRASE) as journal:
        entry = journal.entry(1)
        journal.drafts.keep("After.", reason="test", entry_uuid=entry.uuid, changes=EntryChanges())
    assert cli("delete", "1", "--yes").exit_code == 0
    ran = cli("drafts", "save", "1")
    assert ran.exit_code == 0, ran.stderr
    assert "deleted" in ran.stderr and "new entry, 2" in ran.stderr


def test_words_left_with_sealed_details_are_rescued_with_them(journal: Journal) -> None:
    entry = journal.write("Before.", tags=("old",))
    folder = editor.private_root(journal.settings.scratch) / f"edit-{journal.settings.paths.tag}-999999999-x"
    folder.mkdir(mode=0o700)
    details = composing._edit_details(entry, EntryChanges(tags=("new",), mood=2))
    journal.drafts.seal_details(folder / editor.DETAILS_NAME, "an editor session ended", **details)
    (folder / editor.FILE_NAME).write_text("After, before the power cut.")
    [left] = editor.leftovers(journal.settings.scratch, journal.settings.paths.tag)
    rescued, detailed = journal.drafts.rescue(left.text, left.raw, left.details)
    assert detailed
    assert (rescued.entry_uuid, rescued.tags, rescued.mood) == (entry.uuid, ("new",), 2)
    assert journal.drafts.save(rescued.number).edited


def test_details_that_do_not_open_still_let_the_words_be_kept(journal: Journal) -> None:
    folder = editor.private_root(journal.settings.scratch) / f"edit-{journal.settings.paths.tag}-999999999-y"
    folder.mkdir(mode=0o700)
    (folder / editor.DETAILS_NAME).write_bytes(b"RJDRAFT\x02" + b"\0" * 60)
    (folder / editor.FILE_NAME).write_text("Words only.")
    [left] = editor.leftovers(journal.settings.scratch, journal.settings.paths.tag)
    rescued, detailed = journal.drafts.rescue(left.text, left.raw, left.details)
    assert not detailed
    assert rescued.text == "Words only." and "couldn't be read" in rescued.reason


# --- for real: a terminal that closes, a process that is killed ---------------------------------------------


def _env(tmp_path: Path, script: str) -> dict[str, str]:
    program = tmp_path / "bin" / "slow-editor"
    program.parent.mkdir(exist_ok=True)
    program.write_text(script)
    program.chmod(0o700)
    return {**os.environ, "EDITOR": str(program), "TERM": "dumb", "MARK": str(tmp_path / "typed")}


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recovery_journal", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _in_terminal(args: list[str], env: dict[str, str], hang_up_when: Path | None) -> int:
    """Run in a pty; once `hang_up_when` exists, close the terminal as a closed window does (SIGHUP)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(sys.executable, [sys.executable, "-m", "recovery_journal", *args], env)  # noqa: S606
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                if not os.read(fd, 4096):
                    break
            except OSError:
                break
        if hang_up_when is not None and hang_up_when.exists():
            # The window closes: the terminal hangs up, and the shell passes SIGHUP to the running job.
            os.close(fd)
            fd = -1
            os.killpg(pid, signal.SIGHUP)
            break
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if fd != -1:
        os.close(fd)
    return os.waitstatus_to_exitcode(status)


def _drafts(env: dict[str, str]) -> list[dict[str, object]]:
    listed = _run("drafts", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    return list(json.loads(listed.stdout)["drafts"])


@pytest.mark.slow
def test_a_terminal_closed_mid_edit_keeps_the_words_and_every_detail(tmp_path: Path) -> None:
    env = _env(tmp_path, '#!/bin/sh\nprintf "New words for one." > "$1"\ntouch "$MARK"\nsleep 30\n')
    assert _run("init", env=env).returncode == 0
    dated = "2024-03-03 09:00"
    piped = subprocess.run(
        [sys.executable, "-m", "recovery_journal", "write", "--date", dated, "--tag", "before", "--tender"],
        input="Old words.",
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    _in_terminal(["edit", "1"], env, hang_up_when=tmp_path / "typed")
    # Sealed at once, by the process that outlived the hang-up: no plain words wait for the next open.
    assert not list((tmp_path / "runtime").rglob(editor.FILE_NAME))
    assert (Path(env["RECOVERY_JOURNAL_HOME"]) / "drafts" / "1.rjdraft").exists()
    [draft] = _drafts(env)
    assert draft["text"] == "New words for one."
    assert draft["edits_entry"] and draft["tags"] == ["before"] and draft["tender"]
    assert str(draft["date"]).startswith("2024-03-03T09:00")
    saved = _run("drafts", "save", "1", env=env)
    assert saved.returncode == 0 and "new version of entry 1" in saved.stderr, saved.stderr
    shown = json.loads(_run("show", "1", "--json", env=env).stdout)["entry"]
    assert (shown["text"], shown["tender"], shown["tags"]) == ("New words for one.", True, ["before"])
    assert shown["date"].startswith("2024-03-03T09:00")
    assert len(json.loads(_run("list", "--json", env=env).stdout)["entries"]) == 1, "not a duplicate"


@pytest.mark.slow
def test_a_killed_write_leaves_its_details_sealed_for_the_next_open(tmp_path: Path) -> None:
    env = _env(tmp_path, '#!/bin/sh\nprintf "Words before the crash." > "$1"\nkill -KILL $PPID\nsleep 1\n')
    assert _run("init", env=env).returncode == 0
    args = ["write", "--tag", "night", "--mood", "3", "--date", "2024-03-03 21:00", "--tender"]
    assert _in_terminal(args, env, None) == -signal.SIGKILL
    leftover = list((tmp_path / "runtime").rglob(editor.DETAILS_NAME))
    assert leftover, "the details were sealed beside the words before the editor opened"
    assert b"night" not in leftover[0].read_bytes()
    opened = _run("list", env=env)
    assert "kept safe (encrypted) as a draft" in opened.stderr and "drafts save 1" in opened.stderr
    [draft] = _drafts(env)
    assert (draft["text"], draft["tags"], draft["mood"], draft["tender"]) == (
        "Words before the crash.",
        ["night"],
        3,
        True,
    )
    assert str(draft["date"]).startswith("2024-03-03T21:00")
    assert _run("drafts", "save", "1", env=env).returncode == 0
    shown = json.loads(_run("show", "1", "--json", env=env).stdout)["entry"]
    assert shown["tender"] and shown["tags"] == ["night"] and shown["date"].startswith("2024-03-03T21:00")
