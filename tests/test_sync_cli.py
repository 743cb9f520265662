"""The sync commands as people run them, the canary scan over a sync folder, and docs/sync.md's git recipe."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import Cli
from .test_canary import CANARY, leaks

GIT = shutil.which("git") or "git"


def at(home: Path, **more: str) -> dict[str, str]:
    return {"RECOVERY_JOURNAL_HOME": str(home), **more}


def ok(cli: Cli, *args: str, **kwargs: object) -> str:
    ran = cli(*args, **kwargs)
    assert ran.exit_code == 0, (args, ran.stderr)
    return ran.stdout + ran.stderr


def texts(cli: Cli, home: Path) -> list[str]:
    listed = json.loads(cli("list", "--json", env=at(home)).stdout)
    return sorted(e["text"] for e in listed["entries"])


def test_setup_join_sync_and_status_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    laptop, desktop, folder = tmp_path / "laptop", tmp_path / "desktop", tmp_path / "Sync"
    ok(cli, "init", env=at(laptop))
    ok(cli, "write", input="On the laptop.", env=at(laptop))
    said = ok(cli, "sync", "setup", str(folder), env=at(laptop))
    assert "Sent from this device: 1 entry." in said and "sync join" in said
    joined = cli("sync", "join", str(folder), "--json", env=at(desktop))
    assert joined.exit_code == 0, joined.stderr
    document = json.loads(joined.stdout)
    assert document["entries_added"] == 1 and document["skipped"] == []
    ok(cli, "write", input="On the desktop.", env=at(desktop))
    ok(cli, "sync", env=at(desktop))
    ok(cli, "sync", env=at(laptop))
    assert texts(cli, laptop) == texts(cli, desktop) == ["On the desktop.", "On the laptop."]
    calm = ok(cli, "sync", env=at(laptop))
    assert "Everything is in step" in calm
    status = json.loads(cli("sync", "status", "--json", env=at(laptop)).stdout)
    assert status["to_send"] == 0
    assert sorted(d["this_device"] for d in status["devices"]) == [False, True]
    assert all(d["waiting"] == 0 and d["last_synced"] for d in status["devices"])


def test_sync_before_setup_and_join_over_a_journal_are_calm_refusals(cli: Cli, tmp_path: Path) -> None:
    home = tmp_path / "journal"
    ok(cli, "init", env=at(home))
    before = cli("sync", env=at(home))
    assert before.exit_code == 18 and "isn't set up to sync yet" in before.stderr
    assert "Traceback" not in before.stderr
    over = cli("sync", "join", str(tmp_path / "Sync"), env=at(home))
    assert over.exit_code == 4, over.stderr
    empty = cli("sync", "join", str(tmp_path / "Nothing"), env=at(tmp_path / "new"))
    assert empty.exit_code == 18 and "isn't there" in empty.stderr


def test_a_wrong_passphrase_joins_nothing(cli: Cli, tmp_path: Path) -> None:
    ok(cli, "init", env=at(tmp_path / "a"))
    ok(cli, "sync", "setup", str(tmp_path / "Sync"), env=at(tmp_path / "a"))
    wrong = cli(
        "sync", "join", str(tmp_path / "Sync"), env=at(tmp_path / "b", RECOVERY_JOURNAL_PASSPHRASE="no")
    )
    assert wrong.exit_code == 5 and "didn't open the journal in the sync folder" in wrong.stderr
    assert not (tmp_path / "b" / "journal.db").exists()


def test_join_reads_the_recovery_code_and_new_passphrase_from_the_environment(
    cli: Cli, tmp_path: Path
) -> None:
    """As `help environment` says: no terminal needed for `sync join --recovery-code`."""
    laptop, phone, folder = tmp_path / "laptop", tmp_path / "phone", tmp_path / "Sync"
    code = ok(cli, "init", env=at(laptop)).split("recovery code: ")[1].split()[0]
    ok(cli, "write", input="Reached with the code.", env=at(laptop))
    ok(cli, "sync", "setup", str(folder), env=at(laptop))
    chosen = "chosen on the phone"
    by_code = at(
        phone,
        RECOVERY_JOURNAL_PASSPHRASE="forgotten",
        RECOVERY_JOURNAL_RECOVERY_CODE=code,
        RECOVERY_JOURNAL_NEW_PASSPHRASE=chosen,
    )
    ok(cli, "sync", "join", str(folder), "--recovery-code", env=by_code)
    listed = cli("list", "--json", env=at(phone, RECOVERY_JOURNAL_PASSPHRASE=chosen))
    assert [e["text"] for e in json.loads(listed.stdout)["entries"]] == ["Reached with the code."]


def test_rotating_the_key_is_refused_until_this_device_leaves(cli: Cli, tmp_path: Path) -> None:
    home = tmp_path / "a"
    ok(cli, "init", env=at(home))
    ok(cli, "sync", "setup", str(tmp_path / "Sync"), env=at(home))
    rotate = ("passwd", "--rotate-data-key")
    refused = cli(*rotate, env=at(home, RECOVERY_JOURNAL_NEW_PASSPHRASE="another one"))
    assert refused.exit_code == 20 and "sync leave" in refused.stderr
    ok(cli, "sync", "leave", env=at(home))
    ok(cli, *rotate, env=at(home, RECOVERY_JOURNAL_NEW_PASSPHRASE="another one"))


def test_canary_never_reaches_the_sync_folder(cli: Cli, tmp_path: Path) -> None:
    laptop, desktop, folder = tmp_path / "laptop", tmp_path / "desktop", tmp_path / "Sync"
    ok(cli, "init", env=at(laptop))
    ok(cli, "write", "--title", f"{CANARY} title", "--tag", CANARY, input=f"Words {CANARY}.", env=at(laptop))
    ok(cli, "milestone", "add", f"{CANARY} milestone", "--note", CANARY, env=at(laptop))
    ok(cli, "counter", "start", f"no {CANARY}", env=at(laptop))
    ok(cli, "support", "plan", input=f"## People I can ask for help\n{CANARY}\n", env=at(laptop))
    ok(cli, "sync", "setup", str(folder), env=at(laptop))
    ok(cli, "sync", "join", str(folder), env=at(desktop))
    ok(cli, "edit", "1", "--title", f"Edited {CANARY}", env=at(desktop))
    ok(cli, "sync", env=at(desktop))
    ok(cli, "sync", env=at(laptop))
    ok(cli, "delete", "1", "--yes", env=at(laptop))
    ok(cli, "sync", env=at(laptop))
    ok(cli, "sync", "status", env=at(desktop))
    assert len(list(folder.rglob("*.rjsync"))) >= 5
    assert leaks(folder, set()) == []
    assert leaks(tmp_path, set()) == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git isn't installed")
def test_the_git_recipe_in_docs_sync_md_works_end_to_end(cli: Cli, tmp_path: Path) -> None:
    """Two devices, one bare repository, exactly the commands docs/sync.md gives."""
    remote = tmp_path / "journal.git"
    one, two = tmp_path / "one-sync", tmp_path / "two-sync"
    ident = ["-c", "user.name=Me", "-c", "user.email=me@example.invalid"]

    def git(where: Path, *args: str) -> None:
        subprocess.run([GIT, *ident, *args], cwd=where, check=True, capture_output=True)

    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(tmp_path, "clone", "-q", str(remote), str(one))
    ok(cli, "init", env=at(tmp_path / "a"))
    ok(cli, "write", input="Carried by git.", env=at(tmp_path / "a"))
    ok(cli, "sync", "setup", str(one), env=at(tmp_path / "a"))
    git(one, "add", "-A")
    git(one, "commit", "-qm", "sync")
    git(one, "push", "-q", "origin", "HEAD")
    git(tmp_path, "clone", "-q", str(remote), str(two))
    ok(cli, "sync", "join", str(two), env=at(tmp_path / "b"))
    ok(cli, "write", input="Back the other way.", env=at(tmp_path / "b"))
    for where, home in ((two, tmp_path / "b"), (one, tmp_path / "a")):
        git(where, "pull", "-q", "--no-rebase", "origin", "HEAD")
        ok(cli, "sync", env=at(home))
        git(where, "add", "-A")
        git(where, "commit", "-qm", "sync")
        git(where, "push", "-q", "origin", "HEAD")
    assert (
        texts(cli, tmp_path / "a") == texts(cli, tmp_path / "b") == ["Back the other way.", "Carried by git."]
    )
