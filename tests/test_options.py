"""Options that read alike everywhere: --since, -n, --on/--starred/--reverse, --json on changes, pipes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from recovery_journal.commands import terminal as face
from recovery_journal.domain.entry import EntryChanges
from recovery_journal.errors import ExitCode
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE, Cli, Ran


def doc(ran: Ran, kind: str) -> dict[str, Any]:
    assert ran.exit_code == 0, ran.stderr
    data: dict[str, Any] = json.loads(ran.stdout)
    assert data["version"] == 1 and data["kind"] == kind
    assert ran.stdout == json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n", "one sorted document"
    return data


@pytest.fixture
def at_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(face, "can_ask_secret", lambda: True)


# --- counters: --since everywhere, --date still heard ---------------------------------------------------


def test_counters_take_since_and_still_hear_the_older_date(cli: Cli, initialised: Ran) -> None:
    started = doc(cli("counter", "start", "no contact", "--since", "2024-03-01", "--json"), "counter")
    assert started["counter"]["since"] == "2024-03-01" and started["counter"]["name"] == "no contact"
    assert cli("counter", "start", "walks", "-d", "2024-04-01").exit_code == 0
    reset = doc(cli("counter", "reset", "no contact", "--since", "2024-05-01", "--json"), "counter")
    assert reset["counter"]["since"] == "2024-05-01" and len(reset["counter"]["runs"]) == 2
    assert cli("counter", "reset", "walks", "--date", "2024-06-01").exit_code == 0  # as scripts wrote it
    walks = [c for c in doc(cli("counter", "list", "--json"), "counters")["counters"] if c["name"] == "walks"]
    assert walks[0]["since"] == "2024-06-01"
    for command in ("start", "reset"):
        shown = cli("counter", command, "--help").stdout
        assert "--since" in shown and "--date" not in shown, "one name shown; the other still works"


def test_since_and_date_that_disagree_are_refused(cli: Cli, initialised: Ran) -> None:
    ran = cli("counter", "start", "x", "--since", "2024-03-01", "--date", "2024-03-02")
    assert ran.exit_code == ExitCode.USAGE and "same option" in ran.stderr
    assert doc(cli("counter", "list", "--json"), "counters")["counters"] == []


def test_counter_delete_reports_in_json(cli: Cli, initialised: Ran) -> None:
    assert cli("counter", "start", "no contact").exit_code == 0
    assert cli("counter", "delete", "no contact", "--json").exit_code == ExitCode.USAGE, "asks, or --yes"
    gone = doc(cli("counter", "delete", "no contact", "--yes", "--json"), "deleted")
    assert gone["what"] == "counter" and gone["name"] == "no contact" and gone["deleted"] is True
    assert doc(cli("counter", "list", "--json"), "counters")["counters"] == []


# --- search reads like list -----------------------------------------------------------------------------


@pytest.fixture
def three(cli: Cli, initialised: Ran) -> None:
    for args, text in (
        (
            (
                "--date",
                "2024-03-01",
            ),
            "A boundary, held.",
        ),
        (("--date", "2024-03-02", "--star"), "Another boundary, and I'm proud."),
        (
            (
                "--date",
                "2024-03-03",
            ),
            "A quiet boundary day.",
        ),
    ):
        assert cli("write", *args, input=text).exit_code == 0


def ids(ran: Ran, kind: str) -> list[int]:
    return [e["id"] for e in doc(ran, kind)["entries"]]


def test_search_takes_on_starred_and_reverse_like_list(cli: Cli, three: None) -> None:
    assert ids(cli("search", "boundary", "--json"), "search") == [1, 2, 3]
    assert ids(cli("search", "boundary", "--reverse", "--json"), "search") == [3, 2, 1]
    assert ids(cli("search", "boundary", "--starred", "--json"), "search") == [2]
    assert ids(cli("search", "boundary", "--on", "2024-03-03", "--json"), "search") == [3]
    assert ids(cli("search", "boundary", "-r", "-n", "2", "--json"), "search") == [3, 2]
    for flags in (("--on",), ("--starred",), ("--reverse",)):
        assert flags[0] in cli("list", "--help").stdout and flags[0] in cli("search", "--help").stdout
    mixed = cli("search", "boundary", "--on", "2024-03-03", "--from", "2024-03-01")
    assert mixed.exit_code == ExitCode.INVALID_INPUT and "--on picks one day" in mixed.stderr


def test_search_reads_its_words_from_a_pipe(cli: Cli, three: None) -> None:
    found = doc(cli("search", "--json", input="  proud \n"), "search")
    assert found["query"] == "proud" and [e["id"] for e in found["entries"]] == [2]
    two = cli("search", input="proud\nquiet\n")
    assert two.exit_code == ExitCode.USAGE and "2 lines" in two.stderr
    assert "proud" not in two.stderr and "quiet" not in two.stderr, "messages never repeat the words"
    empty = cli("search", input="")
    assert empty.exit_code == ExitCode.INVALID_INPUT and "nothing to search for" in empty.stderr


# --- -n on history, tags, milestone list, on-this-day ---------------------------------------------------


def test_limit_on_history_tags_milestones_and_on_this_day(cli: Cli, initialised: Ran) -> None:
    assert cli("write", "--tag", "a", "--tag", "b", input="First words.").exit_code == 0
    for n in range(3):
        assert cli("edit", "1", input=f"Version {n + 2}.").exit_code == 0
    assert cli("write", "--tag", "a", input="More.").exit_code == 0
    revisions = doc(cli("history", "1", "-n", "2", "--json"), "history")["revisions"]
    every = doc(cli("history", "1", "--json"), "history")["revisions"]
    assert len(every) == 3 and revisions == every[-2:], "the two most recent earlier versions"
    assert [t["tag"] for t in doc(cli("tags", "-n", "1", "--json"), "tags")["tags"]] == ["a"]
    assert "2" in cli("tags").stdout and cli("tags", "-1").stdout.count("\n") == 1
    for n in range(3):
        assert cli("milestone", "add", f"Step {n}", "--date", f"2024-0{n + 1}-01").exit_code == 0
    shown = doc(cli("milestone", "list", "-n", "2", "--json"), "milestones")["milestones"]
    assert [m["text"] for m in shown] == ["Step 1", "Step 2"]
    assert "No milestones yet" not in cli("milestone", "list", "-n", "0").stderr
    for year in (2021, 2022, 2023):
        assert cli("write", "--date", f"{year}-05-04", input=f"In {year}.").exit_code == 0
    recent = doc(cli("on-this-day", "--date", "2024-05-04", "-n", "2", "--json"), "on-this-day")
    assert [e["date"][:4] for e in recent["entries"]] == ["2023", "2022"]


# --- --json on every change -----------------------------------------------------------------------------


def test_delete_answers_in_json_and_still_asks_first(cli: Cli, three: None) -> None:
    refused = cli("delete", "1", "--json")
    assert refused.exit_code == ExitCode.USAGE and refused.stdout == "" and "--yes" in refused.stderr
    gone = doc(cli("delete", "1", "--yes", "--json"), "deleted")
    assert gone == {"version": 1, "kind": "deleted", "what": "entry", "id": 1, "deleted": True}
    assert ids(cli("list", "--json"), "entries") == [2, 3]


def test_delete_in_json_at_a_terminal_says_what_was_kept(cli: Cli, three: None, at_terminal: None) -> None:
    ran = cli("delete", "2", "--json", input="n\n")
    # CliRunner echoes what was typed onto stdout (a terminal shows it itself): the document is the last line.
    kept = json.loads(ran.stdout.splitlines()[-1])
    assert ran.exit_code == 0 and kept["kind"] == "deleted" and kept["deleted"] is False
    assert "Nothing was deleted" in ran.stderr
    assert ids(cli("list", "--json"), "entries") == [1, 2, 3]


def test_milestone_add_from_a_pipe_edit_and_delete_in_json(cli: Cli, initialised: Ran) -> None:
    added = doc(
        cli("milestone", "add", "--kind", "boundary", "--json", input="Said no, kindly.\n"), "milestone"
    )
    assert added["milestone"]["text"] == "Said no, kindly." and added["milestone"]["kind"] == "boundary"
    assert cli("milestone", "add", input="").exit_code == ExitCode.USAGE
    edited = doc(cli("milestone", "edit", "1", "--note", "It held.", "--json"), "milestone")
    assert edited["milestone"]["note"] == "It held." and edited["milestone"]["text"] == "Said no, kindly."
    assert cli("milestone", "delete", "1", "--json").exit_code == ExitCode.USAGE
    gone = doc(cli("milestone", "delete", "1", "--yes", "--json"), "deleted")
    assert gone["what"] == "milestone" and gone["id"] == 1 and gone["deleted"] is True
    assert doc(cli("milestone", "list", "--json"), "milestones")["milestones"] == []


def test_drafts_show_and_discard_in_json(cli: Cli, initialised: Ran) -> None:
    with Journal.unlock(Settings.from_env(), PASSPHRASE) as journal:
        journal.drafts.keep("Kept words.", reason="test", tags=("safe",), changes=EntryChanges())
    shown = doc(cli("drafts", "show", "1", "--json"), "draft")
    assert shown["draft"]["text"] == "Kept words." and shown["draft"]["tags"] == ["safe"]
    assert cli("drafts", "discard", "1", "--json").exit_code == ExitCode.USAGE
    gone = doc(cli("drafts", "discard", "1", "--yes", "--json"), "deleted")
    assert gone == {"version": 1, "kind": "deleted", "what": "draft", "number": 1, "deleted": True}
    assert doc(cli("drafts", "--json"), "drafts")["drafts"] == []


def test_passwd_and_recover_answer_in_json(cli: Cli, isolated: object) -> None:
    code = doc(cli("init", "--json"), "init")["recovery_code"]
    changed = doc(cli("passwd", "--json", env={"RECOVERY_JOURNAL_NEW_PASSPHRASE": "new words"}), "passwd")
    assert changed["passphrase_changed"] is True and changed["recovery_code"] is None
    assert changed["data_key_rotated"] is False
    env = {"RECOVERY_JOURNAL_PASSPHRASE": "new words", "RECOVERY_JOURNAL_NEW_PASSPHRASE": "newer words"}
    ran = cli("passwd", "--rotate-data-key", "--json", env=env)
    rotated = doc(ran, "passwd")
    assert rotated["data_key_rotated"] is True and rotated["entries_reencrypted"] == 0
    assert rotated["recovery_code"] and rotated["recovery_code"] != code
    assert "still open with the old passphrase" in ran.stderr, "what is left to do is still said"
    fresh = doc(
        cli(
            "recover",
            "--json",
            env={
                "RECOVERY_JOURNAL_RECOVERY_CODE": rotated["recovery_code"],
                "RECOVERY_JOURNAL_NEW_PASSPHRASE": "at last",
            },
        ),
        "recover",
    )
    assert fresh["recovery_code"] not in (None, code, rotated["recovery_code"])
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "at last"}).exit_code == 0
    only_code = doc(
        cli("passwd", "--new-recovery-code", "--json", env={"RECOVERY_JOURNAL_PASSPHRASE": "at last"}),
        "passwd",
    )
    assert only_code["passphrase_changed"] is False and only_code["recovery_code"]
