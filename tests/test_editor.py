"""Writing and editing in $EDITOR: private files, cleaned up always, words never lost."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from recovery_journal.commands import terminal as face
from recovery_journal.errors import ExitCode, StorageProblem
from recovery_journal.journal import editor
from recovery_journal.sealing import drafts as drafts_module

from .conftest import Cli, Ran

Editor = Callable[..., Path]


@pytest.fixture(autouse=True)
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(face, "can_ask_secret", lambda: True)


def runtime(tmp_path: Path) -> Path:
    return tmp_path / "runtime" / "recovery-journal"


def doc(ran: Ran) -> dict:
    return json.loads(ran.stdout)


def test_write_in_the_editor_uses_private_files_and_removes_them(
    cli: Cli, initialised: Ran, fake_editor: Editor, tmp_path: Path
) -> None:
    log = fake_editor("Written in my editor.\n")
    ran = cli("write", "--tag", "editor")
    assert ran.exit_code == 0, ran.stderr
    seen = json.loads(log.read_text())
    assert (seen["file_mode"], seen["dir_mode"], seen["root_mode"]) == (0o600, 0o700, 0o700)
    assert seen["initial"] == ""
    assert seen["secrets_seen"] == [], "the editor never sees the passphrase variables"
    assert Path(seen["path"]).is_relative_to(runtime(tmp_path))
    assert list(runtime(tmp_path).iterdir()) == [], "session folder, file and swap file are all gone"
    entry = doc(cli("show", "1", "--json"))["entry"]
    assert (entry["text"], entry["tags"]) == ("Written in my editor.", ["editor"])


def test_an_emptied_buffer_saves_nothing(cli: Cli, initialised: Ran, fake_editor: Editor) -> None:
    """Closing the editor on an empty page is a choice, not an error (issue 13)."""
    fake_editor("   \n")
    ran = cli("write")
    assert ran.exit_code == 0 and "Nothing written, nothing saved." in ran.stderr
    assert doc(cli("list", "--json"))["entries"] == []


def test_edit_opens_the_current_text_and_keeps_history(
    cli: Cli, initialised: Ran, fake_editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: False)
    cli("write", input="The first version.")
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    log = fake_editor(" Added later.", append=True)
    assert cli("edit", "1").exit_code == 0
    assert json.loads(log.read_text())["initial"] == "The first version.\n"
    history = doc(cli("history", "1", "--json"))
    assert history["entry"]["text"] == "The first version.\n Added later."
    assert [r["text"] for r in history["revisions"]] == ["The first version."]


def test_an_unchanged_or_emptied_edit_changes_nothing(
    cli: Cli, initialised: Ran, fake_editor: Editor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: False)
    cli("write", input="Leave me be.")
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    fake_editor(None)  # closes without touching the file
    unchanged = cli("edit", "1")
    assert unchanged.exit_code == 0 and "No changes" in unchanged.stderr
    fake_editor("")
    emptied = cli("edit", "1")
    assert emptied.exit_code == ExitCode.EMPTY_ENTRY and "never deletes" in emptied.stderr
    assert doc(cli("history", "1", "--json"))["revisions"] == []


def test_editor_failure_keeps_the_words_as_a_draft(
    cli: Cli, initialised: Ran, fake_editor: Editor, tmp_path: Path
) -> None:
    fake_editor("Words typed before the editor crashed.", status=3)
    ran = cli("write", "--mood", "5")
    assert ran.exit_code == ExitCode.EDITOR_FAILED
    assert "draft 1" in ran.stderr and "crashed" not in ran.stderr
    assert list(runtime(tmp_path).iterdir()) == []
    kept = doc(cli("drafts", "--json"))["drafts"]
    assert [(d["text"], d["mood"]) for d in kept] == [("Words typed before the editor crashed.", 5)]
    assert cli("drafts", "save", "1").exit_code == 0
    assert doc(cli("show", "1", "--json"))["entry"]["mood"] == 5


def test_editor_that_cannot_start(cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "/nonexistent/editor")
    ran = cli("write")
    assert ran.exit_code == ExitCode.EDITOR_FAILED and "couldn't be started" in ran.stderr


def test_words_left_by_a_crashed_session_are_sealed_into_a_draft(
    cli: Cli, initialised: Ran, tmp_path: Path, isolated: Path
) -> None:
    from recovery_journal.paths import JournalPaths

    tag = JournalPaths(isolated).tag
    root = runtime(tmp_path)
    root.mkdir(mode=0o700, exist_ok=True)
    dead = root / f"edit-{tag}-999999999-abc123"
    dead.mkdir(mode=0o700)
    (dead / "entry.md").write_text("Words from before the power cut.")
    other_journal = root / "edit-0123456789ab-999999999-zzz"
    other_journal.mkdir(mode=0o700)
    (other_journal / "entry.md").write_text("Another journal's words.")
    ran = cli("list")
    assert "kept safe (encrypted) as a draft" in ran.stderr
    assert not dead.exists()
    assert other_journal.exists(), "another journal's leftovers are not taken"
    assert [d["text"] for d in doc(cli("drafts", "--json"))["drafts"]] == ["Words from before the power cut."]


def test_when_nothing_else_works_the_editor_file_is_kept_and_named(
    cli: Cli,
    initialised: Ran,
    fake_editor: Editor,
    tmp_path: Path,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    fake_editor("Irreplaceable words.")
    monkeypatch.setenv("RECOVERY_JOURNAL_LOCK_TIMEOUT", "0.1")

    def disk_full(*args: object, **kwargs: object) -> Path:
        raise StorageProblem("The disk is full.")

    monkeypatch.setattr(drafts_module, "save", disk_full)
    other = sqlite3.connect(isolated / "journal.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        ran = cli("write")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ran.exit_code == ExitCode.LOCKED
    kept = Path(ran.stderr.split("are still in ")[1].split()[0].rstrip("."))
    assert kept.read_text() == "Irreplaceable words."
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_vim_is_told_not_to_write_swap_undo_or_viminfo(tmp_path: Path) -> None:
    fake_vim = tmp_path / "bin" / "vim"
    fake_vim.parent.mkdir()
    fake_vim.write_text("#!/bin/sh\n")
    fake_vim.chmod(0o755)
    argv = editor.editor_command({"EDITOR": "vim -p", "PATH": str(fake_vim.parent)})
    assert argv[0] == "vim" and argv[-1] == "-p"
    assert {"-n", "NONE"} <= set(argv) and any("noundofile" in a for a in argv)


def test_scratch_folder_owned_by_someone_else_is_refused(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root to make a folder owned by another user")
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o700)
    os.chown(shared, 12345, 12345)
    with pytest.raises(StorageProblem, match="someone else"):
        editor.private_root(shared)


def _program(folder: Path, name: str, body: str = "#!/bin/sh\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(body)
    path.chmod(0o755)
    return path


def test_vim_behind_the_name_vi_gets_the_privacy_flags_too(tmp_path: Path) -> None:
    """Debian's vi is a link to vim.basic: the flags follow the link, not the name typed."""
    real = _program(tmp_path / "real", "vim.basic")
    links = tmp_path / "bin"
    links.mkdir()
    (links / "vi").symlink_to(real)
    argv = editor.editor_command({"EDITOR": "vi", "PATH": str(links)})
    assert argv[0] == "vi" and "-n" in argv and "NONE" in argv


def test_a_vi_binary_that_says_it_is_vim_gets_the_flags(tmp_path: Path) -> None:
    _program(tmp_path / "bin", "vi", "#!/bin/sh\necho 'VIM - Vi IMproved 9.0'\n")
    assert "-n" in editor.editor_command({"EDITOR": "vi", "PATH": str(tmp_path / "bin")})


def test_a_vi_that_is_not_vim_is_run_as_it_is(tmp_path: Path) -> None:
    """nvi and BSD vi keep no history files and would refuse vim's flags."""
    _program(tmp_path / "bin", "vi", "#!/bin/sh\necho 'Version 1.81.6'\n")
    assert editor.editor_command({"EDITOR": "vi", "PATH": str(tmp_path / "bin")}) == ["vi"]


def test_ctrl_c_stops_an_editor_and_saves_nothing_as_an_entry(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The editor gets the default Ctrl-C (ours only waits); a stopped editor's buffer becomes a draft."""
    stops = _program(
        tmp_path / "bin",
        "stops",
        '#!/bin/sh\nprintf "Half a thought" > "$1"\nkill -INT $$\nsleep 5\n',
    )
    monkeypatch.setenv("EDITOR", str(stops))
    ran = cli("write")
    assert ran.exit_code == ExitCode.INTERRUPTED, ran.stderr
    assert "stopped" in ran.stderr and "draft 1" in ran.stderr
    assert "Half a thought" not in cli("list").stdout
    assert "Half a thought" in cli("drafts", "show", "1").stdout
