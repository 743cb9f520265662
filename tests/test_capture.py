"""Quick capture: words sealed without the passphrase, joining the journal at the next unlocked open."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import uuid as uuidlib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from recovery_journal.commands import terminal as face
from recovery_journal.errors import ExitCode, StorageProblem
from recovery_journal.journal import capturing
from recovery_journal.journal.service import Journal
from recovery_journal.sealing import capture
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE, Cli, Ran

FIXTURES = Path(__file__).parent / "fixtures"
CANARY = "Qvzxcapturecanary"


def no_passphrase(isolated: Path) -> dict[str, str]:
    """An environment in which any attempt to unlock fails: capture must not need it."""
    return {"RECOVERY_JOURNAL_PASSPHRASE": "", "RECOVERY_JOURNAL_PASSPHRASE_FILE": str(isolated / "absent")}


def leaks(root: Path, word: str) -> list[Path]:
    forms = [f.encode(enc) for f in (word, word.lower()) for enc in ("utf-8", "utf-16-le")]
    return [p for p in root.rglob("*") if p.is_file() and any(f in p.read_bytes() for f in forms)]


def waiting(isolated: Path) -> list[Path]:
    return sorted((isolated / "inbox").glob("*.rjcapture"))


def entries(cli: Cli) -> list[dict[str, object]]:
    ran = cli("list", "--json")
    assert ran.exit_code == 0, ran.stderr
    return list(json.loads(ran.stdout)["entries"])


def test_capture_needs_no_passphrase_and_joins_with_every_detail(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    ran = cli(
        *("capture", "--mood", "2", "--tag", "night", "--title", "Hard night"),
        *("--tender", "--star", "--date", "2024-03-01 21:30"),
        input=f"Couldn't sleep. {CANARY}.",
        env=no_passphrase(isolated),
    )
    assert ran.exit_code == 0, ran.stderr
    assert "joins your journal" in ran.stderr
    assert cli("list", env=no_passphrase(isolated)).exit_code != 0  # this environment really can't unlock
    [sealed] = waiting(isolated)
    assert CANARY.encode() not in sealed.read_bytes()
    shown = json.loads(cli("show", "1", "--json").stdout)["entry"]  # unlocking brings it in
    assert waiting(isolated) == []
    assert shown["text"] == f"Couldn't sleep. {CANARY}."
    assert (shown["title"], shown["tags"], shown["mood"], shown["tender"]) == (
        "Hard night",
        ["night"],
        2,
        True,
    )
    assert shown["date"].startswith("2024-03-01T21:30")
    assert shown["uuid"] == sealed.name.removesuffix(".rjcapture")
    assert shown["stage"] in ("recognition", "acceptance", "recovery")  # mapped like any entry
    assert cli("doctor").exit_code == 0


def test_a_capture_seen_twice_is_saved_once(cli: Cli, initialised: Ran, isolated: Path) -> None:
    """A crash between saving the entry and removing the file: the file is back; the entry isn't doubled."""
    assert cli("capture", input="Only once.", env=no_passphrase(isolated)).exit_code == 0
    [sealed] = waiting(isolated)
    kept = sealed.read_bytes()
    assert len(entries(cli)) == 1
    sealed.write_bytes(kept)
    sealed.with_name("copy.rjcapture").write_bytes(kept)  # and a sync tool's duplicate of it
    assert [e["text"] for e in entries(cli)] == ["Only once."]
    assert waiting(isolated) == []


def test_a_capture_that_does_not_open_is_named_and_left_while_the_rest_join(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    for text in ("First.", "Second."):
        assert cli("capture", input=text, env=no_passphrase(isolated)).exit_code == 0
    first, second = waiting(isolated)
    damaged = bytearray(first.read_bytes())
    damaged[-5] ^= 0x01
    first.write_bytes(bytes(damaged))
    ran = cli("list", "--json")
    assert ran.exit_code == 0
    assert [e["text"] for e in json.loads(ran.stdout)["entries"]] != []
    assert first.name in ran.stderr and "1 entry written with quick capture has joined" in ran.stderr
    assert first.exists() and not second.exists()
    assert cli("list").exit_code == 0 and first.exists()  # never removed, never stops the others


def test_captures_from_another_journal_or_forged_fields_do_not_join(
    cli: Cli, initialised: Ran, isolated: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    assert cli("--journal", str(other), "init").exit_code == 0
    assert cli("--journal", str(other), "capture", input="Not for this journal.").exit_code == 0
    [foreign] = sorted((other / "inbox").glob("*.rjcapture"))
    (isolated / "inbox").mkdir(mode=0o700, exist_ok=True)
    shutil.copy(foreign, isolated / "inbox" / foreign.name)
    # Anyone who can read the file has the public key: a capture made with it must still hold valid fields.
    con = sqlite3.connect(isolated / "journal.db")
    public = capture.public_key(con)
    journal_id = str(con.execute("SELECT value FROM meta WHERE key = 'journal_id'").fetchone()[0])
    con.close()
    assert public is not None
    forged = capture.Captured(
        uuid=str(uuidlib.uuid4()), text="Forged.", captured=datetime.now(timezone.utc), mood=99
    )
    forged_path = capture.save(isolated / "inbox", public, journal_id, forged)
    ran = cli("list", "--json")
    assert json.loads(ran.stdout)["entries"] == []
    assert foreign.name in ran.stderr and forged_path.name in ran.stderr
    assert (isolated / "inbox" / foreign.name).exists() and forged_path.exists()


def test_capture_without_a_journal_or_before_it_is_set_up_says_what_to_do(
    cli: Cli, isolated: Path, tmp_path: Path
) -> None:
    ran = cli("capture", input="words", env=no_passphrase(isolated))
    assert ran.exit_code == ExitCode.NO_JOURNAL and "Traceback" not in ran.stderr
    old = tmp_path / "old"
    shutil.copytree(FIXTURES / "journal-v1", old)  # a journal from before quick capture
    ran = cli("--journal", str(old), "capture", input="words", env=no_passphrase(isolated))
    assert ran.exit_code == ExitCode.INVALID_INPUT
    assert "Open it once with your passphrase" in ran.stderr
    assert not list(old.glob("inbox/*"))
    fixture_pass = {"RECOVERY_JOURNAL_PASSPHRASE": "fixture passphrase"}
    assert cli("--journal", str(old), "list", env=fixture_pass).exit_code == 0
    assert (
        cli("--journal", str(old), "capture", input="Now it can.", env=no_passphrase(isolated)).exit_code == 0
    )
    ran = cli("--journal", str(old), "list", "--json", env=fixture_pass)
    assert "Now it can." in [e["text"] for e in json.loads(ran.stdout)["entries"]]
    assert cli("--journal", str(old), "doctor", env=fixture_pass).exit_code == 0


def test_piped_words_that_could_not_be_captured_are_said_to_be_unsaved(
    cli: Cli, isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Capture is for hard moments: words that weren't kept are said to be unsaved, once, as `write` says."""
    unsaved = "The text you piped in was not saved."
    ran = cli("capture", input="Hard night.", env=no_passphrase(isolated))
    assert ran.exit_code == ExitCode.NO_JOURNAL and unsaved in ran.stderr
    old = tmp_path / "old"
    shutil.copytree(FIXTURES / "journal-v1", old)  # quick capture not set up yet
    ran = cli("--journal", str(old), "capture", input="Hard night.", env=no_passphrase(isolated))
    assert ran.exit_code == ExitCode.INVALID_INPUT and unsaved in ran.stderr
    assert cli("init").exit_code == 0

    def full(*args: object) -> None:
        raise StorageProblem("The disk is full.", hint="Free some space, then try again.")

    monkeypatch.setattr(capture, "save", full)
    ran = cli("capture", input="Hard night.", env=no_passphrase(isolated))
    assert ran.exit_code == ExitCode.STORAGE
    assert ran.stderr.count("not saved") == 1 and unsaved in ran.stderr and "Free some space" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_captures_waiting_through_a_key_rotation_still_open(settings: Settings) -> None:
    Journal.create(settings, PASSPHRASE)[0].close()
    before, words = capturing.capture_entry(settings, "Before the rotation.") or pytest.fail("not kept")
    assert words == "Before the rotation."
    with Journal.unlock(settings, PASSPHRASE) as journal:  # a window open while the capture waits
        _count, _code = journal.access.rotate_data_key("another passphrase")
    after, _ = capturing.capture_entry(settings, "After the rotation.", mood=7) or pytest.fail("not kept")
    assert before.exists() and after.exists()
    with Journal.unlock(settings, "another passphrase") as journal:
        assert journal.fold_captures() == (2, [])
        listed = journal.entries().entries
        assert sorted(e.text for e in listed) == ["After the rotation.", "Before the rotation."]
    assert not before.exists() and not after.exists()


def test_capture_from_the_editor_and_as_json(
    cli: Cli,
    initialised: Ran,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_editor: Callable[..., Path],
) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    fake_editor("Typed in the editor, no passphrase asked.")
    ran = cli("capture", "--json", env=no_passphrase(isolated))
    assert ran.exit_code == 0, ran.stderr
    doc = json.loads(ran.stdout)
    assert doc["kind"] == "capture" and Path(doc["file"]).exists()
    fake_editor("")
    ran = cli("capture", env=no_passphrase(isolated))
    assert ran.exit_code == 0 and "Nothing written" in ran.stderr and len(waiting(isolated)) == 1
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: False)
    assert [e["text"] for e in entries(cli)] == ["Typed in the editor, no passphrase asked."]


def test_nothing_captured_reaches_disk_in_plaintext(
    cli: Cli, initialised: Ran, isolated: Path, tmp_path: Path
) -> None:
    ran = cli(
        "capture", "--title", CANARY, "--tag", CANARY, input=f"{CANARY} body", env=no_passphrase(isolated)
    )
    assert ran.exit_code == 0
    assert leaks(tmp_path, CANARY) == []  # waiting in the inbox
    assert len(entries(cli)) == 1
    assert leaks(tmp_path, CANARY) == []  # and once it has joined


def test_doctor_checks_the_capture_keys_and_names_captures_that_do_not_open(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    ran = cli("doctor")
    assert ran.exit_code == 0 and "quick-capture keys fit together" in ran.stdout
    assert cli("capture", input="Will be damaged.", env=no_passphrase(isolated)).exit_code == 0
    [sealed] = waiting(isolated)
    sealed.write_bytes(sealed.read_bytes()[:-1])
    ran = cli("doctor")
    assert ran.exit_code == ExitCode.DAMAGED and sealed.name in ran.stdout
    # Someone who can write the folder swaps in a public key of their own: doctor shows it.
    sealed.unlink()
    con = sqlite3.connect(isolated / "journal.db")
    con.execute("UPDATE meta SET value = ? WHERE key = 'capture_public'", ("A" * 43 + "=",))
    con.commit()
    con.close()
    ran = cli("doctor")
    assert ran.exit_code == ExitCode.TAMPERED
    assert "quick-capture keys don't fit together" in ran.stdout


# A process killed at a chosen point: `point` names the call that never returns.
KILLED_AT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    point = sys.argv[1]
    real = getattr(Path, point)
    def die(self, *args, **kwargs):
        if self.name.endswith(".rjcapture") or self.name.startswith(".capture-"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, *args, **kwargs)
    setattr(Path, point, die)
    from recovery_journal.cli import main
    sys.argv = ["recovery-journal", *sys.argv[2:]]
    main()
    """
)


def killed(point: str, *args: str, text: str = "") -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_AT, point, *args],
        input=text.encode(),
        env=os.environ.copy(),
        check=False,
    )
    assert done.returncode == -signal.SIGKILL


def test_a_capture_killed_before_it_is_whole_leaves_nothing_half_done(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    killed("replace", "capture", text="Killed before the rename.")  # written and flushed, never renamed
    [half] = list((isolated / "inbox").iterdir())
    assert half.name.startswith(".capture-") and waiting(isolated) == []
    assert entries(cli) == []  # nothing was said to be kept, and nothing half-made joins
    assert list((isolated / "inbox").iterdir()) == []  # the dead process's file is swept


def test_an_open_killed_between_saving_captures_and_removing_them_saves_each_once(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    for n in range(3):
        assert cli("capture", input=f"Capture {n}.", env=no_passphrase(isolated)).exit_code == 0
    killed("unlink", "list")  # the entries are committed; the first file's removal never happens
    assert len(waiting(isolated)) == 3
    assert sorted(e["text"] for e in entries(cli)) == ["Capture 0.", "Capture 1.", "Capture 2."]
    assert waiting(isolated) == []
    assert cli("doctor").exit_code == 0
