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
from recovery_journal.paths import JournalPaths
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
    assert "with their date" not in ran.stderr, "there were no details beside the words"
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
    with pytest.raises(StorageProblem, match="another user account"):
        editor.private_root(shared)


# --- a scratch folder in a shared place (/dev/shm, /tmp) that someone else got to first -----------------


def _someone_elses(path: Path) -> None:
    """Give `path` to another user, as one who made it first would have it (needs root to arrange)."""
    if os.getuid() != 0:
        pytest.skip("needs root to make a folder owned by another user")
    os.chown(path, 12345, 12345, follow_symlinks=False)


def _planted(place: Path, tag: str, suffix: str = "x") -> Path:
    """What another user could leave: an abandoned-looking editor folder of this journal, with words in it."""
    folder = place / f"edit-{tag}-999999999-{suffix}"
    folder.mkdir(parents=True)
    (folder / "entry.md").write_text("Planted words.")
    return folder


@pytest.mark.parametrize("how", ["link", "owner"])
def test_a_scratch_folder_taken_by_someone_else_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    from recovery_journal import paths

    monkeypatch.setattr(paths, "SHARED_MEMORY", tmp_path / "shm")
    (tmp_path / "shm").mkdir()
    env = {"XDG_RUNTIME_DIR": str(tmp_path / "runtime")}
    assert paths.scratch_root(env) == runtime(tmp_path), "free: it is used"
    if how == "link":
        elsewhere = tmp_path / "theirs"
        elsewhere.mkdir(mode=0o777)
        runtime(tmp_path).symlink_to(elsewhere)
    else:
        runtime(tmp_path).mkdir(mode=0o777)
        _someone_elses(runtime(tmp_path))
    chosen = paths.scratch_root(env)
    assert chosen == tmp_path / "shm" / f"recovery-journal-{os.getuid()}"
    (tmp_path / "shm" / chosen.name).symlink_to(tmp_path)
    assert paths.scratch_root(env).parent != tmp_path / "shm", "taken there too: the temp folder is next"


@pytest.mark.parametrize("how", ["link", "owner"])
def test_editor_files_are_never_written_in_a_folder_that_is_not_ours(tmp_path: Path, how: str) -> None:
    root = tmp_path / "root"
    if how == "link":
        (tmp_path / "theirs").mkdir(mode=0o777)
        root.symlink_to(tmp_path / "theirs")
    else:
        root.mkdir(mode=0o777)
        _someone_elses(root)
    with pytest.raises(StorageProblem) as refused, editor.session(root, "abc", {}):
        pytest.fail("no session may start there")
    assert "nothing was written there" in refused.value.message
    assert "XDG_RUNTIME_DIR" in (refused.value.hint or "")
    assert list((tmp_path / "theirs" if how == "link" else root).iterdir()) == []


@pytest.mark.parametrize("how", ["link", "owner"])
def test_words_planted_in_a_scratch_folder_that_is_not_ours_are_left_alone(tmp_path: Path, how: str) -> None:
    root = tmp_path / "root"
    if how == "link":
        planted = _planted(tmp_path / "theirs", "abc")
        root.symlink_to(tmp_path / "theirs")
    else:
        planted = _planted(root, "abc")
        root.chmod(0o777)
        _someone_elses(root)
    assert editor.leftovers(root, "abc") == []
    assert (planted / "entry.md").read_text() == "Planted words.", "not ours to read, nor to remove"


def test_only_our_own_folders_and_files_are_taken_as_leftovers(tmp_path: Path) -> None:
    root = editor.private_root(tmp_path / "root")
    linked = _planted(tmp_path / "theirs", "abc")
    (root / linked.name).symlink_to(linked)
    through_link = root / "edit-abc-999999999-y"
    through_link.mkdir(mode=0o700)
    (through_link / "entry.md").symlink_to(linked / "entry.md")
    (through_link / "entry.md.save").symlink_to(linked / "entry.md")
    assert editor.leftovers(root, "abc") == []
    assert (linked / "entry.md").read_text() == "Planted words."
    if os.getuid() == 0:
        foreign = _planted(root, "abc", "z")
        _someone_elses(foreign)
        assert editor.leftovers(root, "abc") == [] and foreign.exists()
    ours = _planted(root, "abc", "w")
    [found] = editor.leftovers(root, "abc")
    assert (found.folder, found.text, found.details) == (ours, "Planted words.", None)
    (ours / editor.DETAILS_NAME).symlink_to(linked / "entry.md")
    assert editor.leftovers(root, "abc")[0].details is None, "details through a link aren't ours to read"


def test_planted_words_never_become_drafts(
    cli: Cli, initialised: Ran, tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from recovery_journal import paths

    monkeypatch.setattr(paths, "SHARED_MEMORY", tmp_path / "no-shm")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    planted = _planted(tmp_path / "theirs", JournalPaths(isolated).tag)
    runtime(tmp_path).symlink_to(tmp_path / "theirs")
    (tmp_path / "tmp" / f"recovery-journal-{os.getuid()}").symlink_to(tmp_path / "theirs")
    for _ in range(2):
        ran = cli("list")
        assert ran.exit_code == 0 and "draft" not in ran.stderr
    assert doc(cli("drafts", "--json"))["drafts"] == []
    assert (planted / "entry.md").exists()


def test_a_rescue_counts_only_once_the_folder_is_gone(
    cli: Cli, initialised: Ran, tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = editor.private_root(runtime(tmp_path))
    left = _planted(root, JournalPaths(isolated).tag)
    with monkeypatch.context() as stuck:
        stuck.setattr(editor, "_remove", lambda folder: None)
        for _ in range(2):
            ran = cli("list")
            assert ran.exit_code == 0 and "draft" not in ran.stderr
        assert doc(cli("drafts", "--json"))["drafts"] == [], "no copy each time it is seen"
    assert (left / "entry.md").read_text() == "Planted words.", "they wait where they were"
    ran = cli("list")
    assert "kept safe (encrypted) as a draft, draft 1." in ran.stderr and not left.exists()
    assert [d["text"] for d in doc(cli("drafts", "--json"))["drafts"]] == ["Planted words."]


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


def test_the_rescue_mentions_details_only_when_they_were_there(
    cli: Cli, initialised: Ran, tmp_path: Path, isolated: Path
) -> None:
    from recovery_journal.journal.service import Journal
    from recovery_journal.settings import Settings

    from .conftest import PASSPHRASE

    left = _planted(editor.private_root(runtime(tmp_path)), JournalPaths(isolated).tag)
    with Journal.unlock(Settings.from_env(), PASSPHRASE) as journal:
        journal.drafts.seal_details(left / editor.DETAILS_NAME, "an editor session ended", tags=("kept",))
    ran = cli("list")
    assert "draft 1, with their date, tags and other details." in ran.stderr
    assert doc(cli("drafts", "--json"))["drafts"][0]["tags"] == ["kept"]
