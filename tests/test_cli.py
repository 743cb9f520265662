"""The command line through CliRunner: stdout, stderr and exit codes checked separately."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from recovery_journal.commands import terminal as face
from recovery_journal.errors import ExitCode
from recovery_journal.journal.service import Journal

from .conftest import PASSPHRASE, Cli, Ran, damage_field


def write(cli: Cli, text: str, *args: str) -> Ran:
    return cli("write", *args, input=text)


def doc(ran: Ran) -> dict:
    return json.loads(ran.stdout)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as if a person is at a terminal (CliRunner feeds prompts from `input`)."""
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(face, "can_ask_secret", lambda: True)


def test_init_shows_a_recovery_code_once(cli: Cli, isolated: Path) -> None:
    ran = cli("init")
    assert ran.exit_code == 0
    assert "Your recovery code:" in ran.stdout
    assert "Your journal is ready" in ran.stderr
    assert (isolated / "journal.db").exists()


def test_init_asks_twice_and_asks_again_after_a_mismatch(
    cli: Cli, terminal: None, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    ran = cli("init", input="first try\nsecond try\nsame words\nsame words\n")
    assert ran.exit_code == 0, ran.stderr
    assert "didn't match" in ran.stderr and "begin again" in ran.stderr
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "same words"}).exit_code == 0
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "first try"}).exit_code == ExitCode.WRONG_SECRET


def test_init_gives_up_calmly_when_no_passphrase_is_settled(
    cli: Cli, terminal: None, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    ran = cli("init", input="first words\nother words\n" * 5 + "never typed\n")
    assert ran.exit_code == ExitCode.PASSPHRASE_PROBLEM
    assert "nothing was changed" in ran.stderr and "Traceback" not in ran.stderr
    assert not (isolated / "journal.db").exists()


def test_write_list_show_round_trip(cli: Cli, initialised: Ran) -> None:
    ran = write(
        cli, "Today I noticed the pattern again.\n", "--tag", "therapy", "--mood", "4", "--title", "Noticing"
    )
    assert ran.exit_code == 0 and ran.stdout == ""
    assert "Saved entry 1" in ran.stderr
    listed = cli("list")
    assert listed.exit_code == 0
    assert "Noticing" in listed.stdout and "#therapy" in listed.stdout
    shown = cli("show", "1")
    assert "Today I noticed the pattern again." in shown.stdout and "mood 4/10" in shown.stdout


def test_json_output_is_one_versioned_document(cli: Cli, initialised: Ran) -> None:
    write(cli, "First.", "--date", "2024-03-01")
    write(cli, "Second.", "--tag", "work")
    listed = doc(cli("list", "--json"))
    assert listed["version"] == 1 and listed["kind"] == "entries"
    assert [e["text"] for e in listed["entries"]] == ["First.", "Second."]
    assert listed["entries"][0]["date"].startswith("2024-03-01T")
    assert set(listed["entries"][1]) >= {"id", "uuid", "date", "title", "text", "tags", "mood", "revisions"}
    written = doc(cli("write", "--json", input="Third."))
    assert written["entry"]["id"] == 3
    assert doc(cli("show", "3", "--json"))["entry"]["text"] == "Third."
    assert doc(cli("tags", "--json"))["tags"] == [{"entries": 1, "tag": "work"}]


def test_list_filters(cli: Cli, initialised: Ran) -> None:
    write(cli, "Old one.", "--date", "2024-01-10")
    write(cli, "Middle.", "--date", "2024-02-10", "--tag", "work")
    write(cli, "Recent.", "--date", "2024-03-10")
    texts = lambda *args: [e["text"] for e in doc(cli("list", "--json", *args))["entries"]]  # noqa: E731
    assert texts("--from", "2024-02-01") == ["Middle.", "Recent."]
    assert texts("--to", "2024-02-10") == ["Old one.", "Middle."]
    assert texts("--on", "2024-02-10") == ["Middle."]
    assert texts("--tag", "work") == ["Middle."]
    assert texts("--limit", "1") == ["Recent."]
    assert texts("--reverse") == ["Recent.", "Middle.", "Old one."]


def test_search_finds_and_highlights(cli: Cli, initialised: Ran) -> None:
    write(cli, "I held a Boundary with my mother today and the world didn't end.")
    write(cli, "Quiet day.")
    ran = cli("search", "boundary")
    assert ran.exit_code == 0
    assert "Boundary with my mother" in ran.stdout and "Quiet" not in ran.stdout
    assert doc(cli("search", "BOUNDARY", "--json"))["entries"][0]["id"] == 1
    assert "No entries contain that" in cli("search", "lighthouse").stderr


def test_edit_history_and_delete(cli: Cli, initialised: Ran) -> None:
    write(cli, "First words.")
    assert cli("edit", "1", input="Second words.").exit_code == 0
    assert cli("edit", "1", "--mood", "8").exit_code == 0
    history = doc(cli("history", "1", "--json"))
    assert [r["text"] for r in history["revisions"]] == ["First words.", "Second words."]
    assert history["entry"]["mood"] == 8
    assert "First words." in cli("history", "1").stdout
    assert cli("delete", "1", "--yes").exit_code == 0
    assert cli("show", "1").exit_code == ExitCode.NOT_FOUND


def test_delete_asks_first(cli: Cli, initialised: Ran, request: pytest.FixtureRequest) -> None:
    write(cli, "Keep or not.")
    request.getfixturevalue("terminal")
    kept = cli("delete", "1", input="n\n")
    assert kept.exit_code == 0 and "Nothing was deleted" in kept.stderr
    assert cli("show", "1").exit_code == 0
    assert cli("delete", "1", input="y\n").exit_code == 0
    assert cli("show", "1").exit_code == ExitCode.NOT_FOUND


def test_a_slip_at_a_yes_or_no_question_is_asked_again_calmly(
    cli: Cli, initialised: Ran, request: pytest.FixtureRequest
) -> None:
    write(cli, "Keep or not.")
    request.getfixturevalue("terminal")
    kept = cli("delete", "1", input="maybe\nn\n")
    assert kept.exit_code == 0 and "Nothing was deleted" in kept.stderr
    assert "Please answer y or n." in kept.stderr and "Error" not in kept.stderr
    assert cli("show", "1").exit_code == 0
    commands = Path(face.__file__).parent  # every question asked goes through the one helper that does this
    assert [p.name for p in commands.rglob("*.py") if "typer.confirm(" in p.read_text(encoding="utf-8")] == []


def test_delete_without_a_terminal_needs_yes(cli: Cli, initialised: Ran) -> None:
    write(cli, "Keep me.")
    ran = cli("delete", "1")
    assert ran.exit_code == ExitCode.USAGE and "--yes" in ran.stderr
    assert cli("show", "1").exit_code == 0


def test_deleting_an_entry_that_is_not_there_says_so_before_asking(cli: Cli, initialised: Ran) -> None:
    """Without a terminal as with one: 'there's no entry 6' is the truth, not 'there's no terminal'."""
    ran = cli("delete", "6")
    assert ran.exit_code == ExitCode.NOT_FOUND and "--yes" not in ran.stderr


def test_entry_words_on_the_command_line_are_refused(cli: Cli, initialised: Ran) -> None:
    ran = cli("write", "my", "private", "words")
    assert ran.exit_code == ExitCode.USAGE
    assert "shell history" in ran.stderr and "private" not in ran.stderr
    assert doc(cli("list", "--json"))["entries"] == []


def _one_line_error(ran: Ran, code: ExitCode) -> None:
    assert ran.exit_code == code, ran.stderr
    lines = ran.stderr.strip().splitlines()
    assert lines[0].startswith("recovery-journal: ") and lines[-1].startswith("  hint: ")
    assert len(lines) == 2
    assert "Traceback" not in ran.stderr and ran.stdout == ""


@pytest.mark.parametrize(
    ("args", "stdin", "code"),
    [
        (("--date", "2021-02-30"), "words", ExitCode.INVALID_DATE),
        (("--date", "blah"), "words", ExitCode.INVALID_DATE),
        (("--date", "2999-01-01"), "words", ExitCode.INVALID_DATE),
        (("--mood", "11"), "words", ExitCode.INVALID_MOOD),
        (("--mood", "0"), "words", ExitCode.INVALID_MOOD),
        ((), "", ExitCode.EMPTY_ENTRY),
        ((), "  \n\n ", ExitCode.EMPTY_ENTRY),
        ((), b"caf\xe9 latin-1 bytes", ExitCode.INVALID_ENCODING),
        ((), "x" * (1024 * 1024 + 1), ExitCode.TOO_LARGE),
        (("--tag", "not a tag"), "words", ExitCode.INVALID_INPUT),
    ],
    ids=[
        "feb-30",
        "blah",
        "future",
        "mood-11",
        "mood-0",
        "empty",
        "blank",
        "latin-1",
        "too-large",
        "bad-tag",
    ],
)
def test_bad_input_is_one_calm_line_and_saves_nothing(
    cli: Cli, initialised: Ran, args: tuple[str, ...], stdin: str | bytes, code: ExitCode
) -> None:
    _one_line_error(cli("write", *args, input=stdin), code)
    assert doc(cli("list", "--json"))["entries"] == []


def test_invalid_date_says_why(cli: Cli, initialised: Ran) -> None:
    ran = cli("write", "--date", "2021-02-30", input="words")
    assert "February 2021 has 28 days" in ran.stderr


def test_wrong_passphrase(cli: Cli, initialised: Ran) -> None:
    _one_line_error(cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "wrong"}), ExitCode.WRONG_SECRET)


def test_no_journal_yet(cli: Cli) -> None:
    _one_line_error(cli("list"), ExitCode.NO_JOURNAL)


def test_no_passphrase_source_without_a_terminal(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    monkeypatch.setattr(face, "can_ask_secret", lambda: False)
    _one_line_error(cli("list"), ExitCode.PASSPHRASE_PROBLEM)


def test_two_passphrase_sources_are_ambiguous(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    _one_line_error(cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE_FILE": str(secret)}), ExitCode.USAGE)


def test_passphrase_file_and_command(
    cli: Cli, initialised: Ran, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    secret = tmp_path / "pass"
    secret.write_text(PASSPHRASE + "\n")
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE_FILE": str(secret)}).exit_code == 0
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE_COMMAND": f"cat {secret}"}).exit_code == 0
    _one_line_error(
        cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE_COMMAND": "false"}), ExitCode.PASSPHRASE_PROBLEM
    )


def test_empty_passphrase_is_refused(cli: Cli) -> None:
    _one_line_error(cli("init", env={"RECOVERY_JOURNAL_PASSPHRASE": ""}), ExitCode.PASSPHRASE_PROBLEM)


def test_not_a_journal(cli: Cli, isolated: Path) -> None:
    isolated.mkdir()
    (isolated / "journal.db").write_bytes(b"")
    _one_line_error(cli("list"), ExitCode.NOT_A_JOURNAL)


def _three_entries_the_second_damaged(cli: Cli, isolated: Path, column: str = "text") -> None:
    """Write "one", "two", "three", then flip a byte of entry 2's sealed `column`, as damage on disk would."""
    for text in ("one", "two", "three"):
        write(cli, text)
    con = sqlite3.connect(isolated / "journal.db")
    blob = bytearray(con.execute(f"SELECT {column} FROM entries WHERE id = 2").fetchone()[0])
    blob[20] ^= 0xFF
    con.execute(f"UPDATE entries SET {column} = ? WHERE id = 2", (bytes(blob),))
    con.commit()
    con.close()


def test_tampered_entry_is_named_and_the_rest_still_listed(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    _three_entries_the_second_damaged(cli, isolated)
    listed = cli("list")
    assert listed.exit_code == ExitCode.TAMPERED
    assert "one" in listed.stdout and "three" in listed.stdout
    assert "Entry 2 couldn't be opened" in listed.stderr
    _one_line_error(cli("show", "2"), ExitCode.TAMPERED)
    assert cli("show", "3").exit_code == 0
    doctor = cli("doctor")
    assert doctor.exit_code == ExitCode.TAMPERED and "2" in doctor.stdout


def test_a_damaged_entry_does_not_trap_the_rest(
    cli: Cli, initialised: Ran, isolated: Path, tmp_path: Path
) -> None:
    """Backups and exports name it and, if asked, carry the rest; it can be deleted; relearn goes on."""
    _three_entries_the_second_damaged(cli, isolated)
    target = tmp_path / "rest.rjbackup"
    refused = cli("backup", "create", str(target))
    _one_line_error(refused, ExitCode.TAMPERED)
    assert "Entry 2" in refused.stderr and "--skip-damaged" in refused.stderr and not target.exists()
    made = cli("backup", "create", str(target), "--skip-damaged")
    assert made.exit_code == 0, made.stderr
    assert "Backed up 2 entries" in made.stderr and "Left out" in made.stderr and "entry 2" in made.stderr
    assert cli("backup", "verify", str(target)).exit_code == 0
    _one_line_error(cli("export", "--format", "txt"), ExitCode.TAMPERED)
    exported = cli("export", "--format", "txt", "--skip-damaged")
    assert exported.exit_code == 0 and "one" in exported.stdout and "three" in exported.stdout
    assert "entry 2" in exported.stderr
    relearned = cli("stage", "relearn")
    assert relearned.exit_code == 0 and "entry 2" in relearned.stderr
    rotate = cli("passwd", "--rotate-data-key", env={"RECOVERY_JOURNAL_NEW_PASSPHRASE": "a new passphrase"})
    assert rotate.exit_code == ExitCode.TAMPERED and "--skip-damaged" in rotate.stderr
    deleted = cli("delete", "2", "--yes")
    assert deleted.exit_code == 0, deleted.stderr
    assert cli("list").exit_code == 0
    assert cli("backup", "create", str(tmp_path / "whole.rjbackup")).exit_code == 0


def test_locked_journal_keeps_the_words_as_a_draft(
    cli: Cli, initialised: Ran, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECOVERY_JOURNAL_LOCK_TIMEOUT", "0.2")
    other = sqlite3.connect(isolated / "journal.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        ran = cli("write", input="Words that must not be lost.")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ran.exit_code == ExitCode.LOCKED
    assert "kept safe (encrypted) as draft 1" in ran.stderr
    assert "Words that must not be lost" not in ran.stderr
    drafts = doc(cli("drafts", "--json"))["drafts"]
    assert [d["text"] for d in drafts] == ["Words that must not be lost."]
    saved = cli("drafts", "save", "1")
    assert saved.exit_code == 0 and "entry 1" in saved.stderr
    assert [e["text"] for e in doc(cli("list", "--json"))["entries"]] == ["Words that must not be lost."]
    assert doc(cli("drafts", "--json"))["drafts"] == []


def test_passwd_and_rotation(cli: Cli, initialised: Ran) -> None:
    write(cli, "Still mine.")
    ran = cli("passwd", env={"RECOVERY_JOURNAL_NEW_PASSPHRASE": "second passphrase"})
    assert ran.exit_code == 0 and "recovery code still works" in ran.stderr
    assert cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "second passphrase"}).exit_code == 0
    rotated = cli(
        "passwd",
        "--rotate-data-key",
        env={
            "RECOVERY_JOURNAL_PASSPHRASE": "second passphrase",
            "RECOVERY_JOURNAL_NEW_PASSPHRASE": "third passphrase",
        },
    )
    assert rotated.exit_code == 0
    assert "new recovery code" in rotated.stdout.lower() and "old passphrase" in rotated.stderr
    shown = cli("show", "1", env={"RECOVERY_JOURNAL_PASSPHRASE": "third passphrase"})
    assert "Still mine." in shown.stdout


def test_recover_with_the_code(cli: Cli, isolated: Path) -> None:
    code = cli("init").stdout.split("Your recovery code: ")[1].split()[0]
    write(cli, "Safe.")
    wrong = cli(
        "recover",
        env={
            "RECOVERY_JOURNAL_RECOVERY_CODE": "0000-0000-0000-0000-0000-0000-0000-0000",
            "RECOVERY_JOURNAL_NEW_PASSPHRASE": "new",
        },
    )
    _one_line_error(wrong, ExitCode.WRONG_SECRET)
    ran = cli(
        "recover",
        env={
            "RECOVERY_JOURNAL_RECOVERY_CODE": code.lower(),
            "RECOVERY_JOURNAL_NEW_PASSPHRASE": "brand new passphrase",
        },
    )
    assert ran.exit_code == 0 and "new recovery code" in ran.stdout.lower()
    assert "Safe." in cli("show", "1", env={"RECOVERY_JOURNAL_PASSPHRASE": "brand new passphrase"}).stdout
    again = cli(
        "recover", env={"RECOVERY_JOURNAL_RECOVERY_CODE": code, "RECOVERY_JOURNAL_NEW_PASSPHRASE": "x"}
    )
    assert again.exit_code == ExitCode.WRONG_SECRET


def test_doctor_on_a_healthy_journal(cli: Cli, initialised: Ran) -> None:
    write(cli, "Fine.")
    ran = cli("doctor", "--json")
    assert ran.exit_code == 0
    checks = {c["name"]: c["status"] for c in doc(ran)["checks"]}
    assert checks["integrity"] == checks["entries"] == checks["schema"] == "ok"
    assert checks["key settings"] == "note"  # the test-only weak KDF is flagged


@pytest.mark.parametrize(
    "args",
    [
        ("show", "abc"),
        ("show",),
        ("show", "1", "--yes"),
        ("write", "--mood", "x"),
        ("list", "-n", "-1"),
        ("frobnicate",),
        ("stage", "set", "1"),
    ],
)
def test_command_line_mistakes_are_two_calm_lines_too(
    cli: Cli, initialised: Ran, args: tuple[str, ...]
) -> None:
    ran = cli(*args)
    _one_line_error(ran, ExitCode.USAGE)
    assert "--help` shows what it takes" in ran.stderr and "Usage:" not in ran.stderr


def test_bare_command_shows_the_help(cli: Cli, initialised: Ran) -> None:  # no journal: test_smaller_truths
    ran = cli()
    assert ran.exit_code == 0 and "Usage: recovery-journal" in ran.stdout and "write" in ran.stdout


HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "args",
    [
        ("show", HUGE),
        ("edit", HUGE, "--mood", "3"),
        ("history", HUGE),
        ("delete", HUGE, "--yes"),
        ("stage", "show", HUGE),
        ("milestone", "delete", HUGE, "--yes"),
    ],
)
def test_a_number_too_big_for_any_entry_is_simply_not_there(
    cli: Cli, initialised: Ran, args: tuple[str, ...]
) -> None:
    ran = cli(*args)
    _one_line_error(ran, ExitCode.NOT_FOUND)
    assert "There's no" in ran.stderr


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_doctor_reports_a_damaged_file_and_the_way_back(
    cli: Cli, initialised: Ran, isolated: Path, keep: float
) -> None:
    for n in range(40):
        write(cli, f"Entry {n}. " + "words " * 300)
    checkpoint = sqlite3.connect(isolated / "journal.db")
    checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpoint.close()
    db = isolated / "journal.db"
    db.write_bytes(db.read_bytes()[: int(db.stat().st_size * keep)])
    listed = cli("list")
    assert listed.exit_code == ExitCode.DAMAGED and "doctor" in listed.stderr
    ran = cli("doctor", "--json")
    assert ran.exit_code == ExitCode.DAMAGED
    checks = {c["name"]: c for c in doc(ran)["checks"]}
    assert checks["file"]["status"] == "problem" and "damaged" in checks["file"]["detail"]
    assert "backup restore" in checks["what now"]["detail"]
    assert "Traceback" not in ran.stderr


def test_markup_and_control_sequences_print_literally(cli: Cli, initialised: Ran) -> None:
    text = "[bold]not bold[/] [link=https://example.com]x[/link] \x1b[2J cleared?"
    write(cli, text)
    shown = cli("show", "1").stdout
    assert "[bold]not bold[/]" in shown and "[link=https://example.com]" in shown
    assert "\x1b" not in shown and "␛[2J" in shown
    assert doc(cli("show", "1", "--json"))["entry"]["text"] == text


def test_version_and_help(cli: Cli) -> None:
    assert cli("--version").stdout.startswith("recovery-journal ")
    assert "write" in cli("--help").stdout


def test_edit_takes_piped_words_and_options_together(cli: Cli, initialised: Ran) -> None:
    write(cli, "First words.", "--mood", "3")
    ran = cli("edit", "1", "--mood", "6", input="Better words.")
    assert ran.exit_code == 0, ran.stderr
    entry = doc(cli("show", "1", "--json"))["entry"]
    assert entry["text"] == "Better words." and entry["mood"] == 6
    only_mood = cli("edit", "1", "--mood", "7", input="")  # an empty pipe with options: just the options
    assert only_mood.exit_code == 0
    assert doc(cli("show", "1", "--json"))["entry"]["text"] == "Better words."


def test_edit_refuses_tag_with_clear_tags_rather_than_dropping_one(cli: Cli, initialised: Ran) -> None:
    write(cli, "Words.", "--tag", "old")
    _one_line_error(cli("edit", "1", "--tag", "new", "--clear-tags"), ExitCode.USAGE)
    assert doc(cli("show", "1", "--json"))["entry"]["tags"] == ["old"]


def test_edit_date_alone_keeps_the_time_of_day(cli: Cli, initialised: Ran) -> None:
    write(cli, "Words.", "--date", "2026-03-04 21:15")
    assert cli("edit", "1", "--date", "2026-03-02").exit_code == 0
    assert doc(cli("show", "1", "--json"))["entry"]["date"].startswith("2026-03-02T21:15")


def test_init_over_a_file_that_is_not_a_journal_says_so(cli: Cli, isolated: Path) -> None:
    isolated.mkdir()
    (isolated / "journal.db").write_bytes(b"")
    ran = cli("init")
    _one_line_error(ran, ExitCode.NOT_A_JOURNAL)
    assert "already a journal" not in ran.stderr
    assert (isolated / "journal.db").read_bytes() == b""


def test_path_mistakes_name_the_mistake_not_the_disk(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    missing = cli("backup", "create", str(tmp_path / "no" / "such" / "folder" / "x.rjbackup"))
    _one_line_error(missing, ExitCode.NOT_FOUND)
    assert "There's no folder" in missing.stderr and "disk" not in missing.stderr
    a_file = tmp_path / "plain.txt"
    a_file.write_text("hello")
    _one_line_error(cli("--journal", str(a_file), "list"), ExitCode.NOT_A_JOURNAL)
    _one_line_error(cli("--journal", str(a_file), "init"), ExitCode.NOT_A_JOURNAL)
    _one_line_error(cli("backup", "verify", str(tmp_path / "absent.rjbackup")), ExitCode.NOT_FOUND)


def test_output_to_a_full_disk_is_a_storage_error_not_a_bug(cli: Cli, initialised: Ran) -> None:
    """`export > /dev/full`: the person learns the output is incomplete, calmly, with exit 12."""
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    write(cli, "Words to export.")
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "recovery_journal", "export", "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == ExitCode.STORAGE, done.stderr
    assert "couldn't be written in full" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "markdown", "-o", "{home}/journal.db", "--force"),
        ("backup", "create", "{home}/journal.db", "--force"),
        ("backup", "create", "{home}/drafts/b.rjbackup"),
        ("timeline", "--svg", "{home}/picture.svg"),
    ],
)
def test_nothing_is_written_into_the_journals_own_folder(
    cli: Cli, initialised: Ran, isolated: Path, args: tuple[str, ...]
) -> None:
    """An export there would put plain text beside the encrypted journal, or replace the journal itself."""
    write(cli, "Words.")
    before = (isolated / "journal.db").read_bytes()
    _one_line_error(cli(*(a.format(home=isolated) for a in args)), ExitCode.USAGE)
    assert (isolated / "journal.db").read_bytes() == before
    assert not (isolated / "picture.svg").exists()


def test_confirmations_quoting_the_persons_words_never_pass_control_sequences(
    cli: Cli, initialised: Ran
) -> None:
    added = cli("milestone", "add", "Held it \x1b[2J together", "--kind", "boundary")
    started = cli("counter", "start", "no \x1b[2J contact")
    for ran in (added, started):
        assert ran.exit_code == 0, ran.stderr
        assert "\x1b" not in ran.stderr + ran.stdout and "␛[2J" in ran.stderr + ran.stdout


@pytest.mark.parametrize("view", ["timeline", "progress", "calendar", "stage"])
def test_overviews_say_when_an_entry_was_left_out(
    cli: Cli, initialised: Ran, isolated: Path, view: str
) -> None:
    """The overviews read the entry index, which names the entries whose summary didn't open when it was
    built from the rows; an index out of step with the rows (here: gone) is built again at the next open."""
    _three_entries_the_second_damaged(cli, isolated, column="date")
    con = sqlite3.connect(isolated / "journal.db")
    con.execute("DELETE FROM entry_index")
    con.commit()
    con.close()
    ran = cli(view)
    assert ran.exit_code == ExitCode.TAMPERED and "Entry 2 couldn't be opened" in ran.stderr
    assert ran.stdout, "the rest is still shown"


def test_starred_entries_are_shown_found_and_changed(cli: Cli, initialised: Ran) -> None:
    write(cli, "A day to remember.", "--star")
    write(cli, "An ordinary day.")
    assert "★" in cli("list").stdout and "★ starred" in cli("show", "1").stdout
    only = doc(cli("list", "--starred", "--json"))["entries"]
    assert [e["id"] for e in only] == [1] and only[0]["starred"] is True
    assert cli("edit", "2", "--star").exit_code == 0 and cli("edit", "1", "--unstar").exit_code == 0
    assert [e["id"] for e in doc(cli("list", "--starred", "--json"))["entries"]] == [2]


def test_piped_words_that_could_not_be_saved_are_said_to_be_unsaved(cli: Cli, initialised: Ran) -> None:
    """Issue 13: `cat | write` then a wrong passphrase must not leave the person thinking it was kept."""
    ran = cli("write", input="Words I typed into cat.", env={"RECOVERY_JOURNAL_PASSPHRASE": "not it"})
    assert ran.exit_code == ExitCode.WRONG_SECRET
    assert "The text you piped in was not saved." in ran.stderr and "Traceback" not in ran.stderr


def test_a_wrong_passphrase_from_the_environment_names_where_it_came_from(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    """Not "check Caps Lock": nothing was typed. The variable is named, never the passphrase it gave."""
    ran = cli("list", env={"RECOVERY_JOURNAL_PASSPHRASE": "not it at all"})
    assert ran.exit_code == ExitCode.WRONG_SECRET
    assert "It came from RECOVERY_JOURNAL_PASSPHRASE" in ran.stderr and "Caps Lock" not in ran.stderr
    assert "not it at all" not in ran.stderr
    held = tmp_path / "held"
    held.write_text("also not it\n", encoding="utf-8")
    held.chmod(0o600)
    from_file = cli(
        "list", env={"RECOVERY_JOURNAL_PASSPHRASE": None, "RECOVERY_JOURNAL_PASSPHRASE_FILE": str(held)}
    )
    assert from_file.exit_code == ExitCode.WRONG_SECRET
    assert "It came from RECOVERY_JOURNAL_PASSPHRASE_FILE" in from_file.stderr


def test_list_writes_a_long_journal_a_batch_at_a_time_and_says_the_same(
    cli: Cli, initialised: Ran, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three entries a batch: every entry once, in order, as lines and as one JSON document; a damaged one
    named at the end."""
    for n in range(8):
        assert cli("write", "--date", f"2025-01-0{n + 1}", "--tag", "walk", input=f"Walk {n}.").exit_code == 0
    real = Journal.entry_batches
    batches: list[int] = []

    def small(self: Journal, wanted: object = None, size: int = 3) -> object:
        for batch in real(self, wanted, 3):  # type: ignore[arg-type]
            batches.append(len(batch.entries))
            yield batch

    monkeypatch.setattr(Journal, "entry_batches", small)
    lines = cli("list")
    assert lines.exit_code == 0 and batches == [3, 3, 2], "written as the batches opened"
    assert [line.split()[0] for line in lines.stdout.splitlines()] == [str(n) for n in range(1, 9)]
    doc = json.loads(cli("list", "--json", "--reverse").stdout)
    assert [e["text"] for e in doc["entries"]] == [f"Walk {n}." for n in reversed(range(8))]
    assert doc["unreadable"] == [] and doc["kind"] == "entries"
    damage_field(isolated / "journal.db", "entries", "text", "id = 5")
    damaged = cli("list", "--json")
    assert damaged.exit_code == ExitCode.TAMPERED
    doc = json.loads(damaged.stdout)
    assert [e["id"] for e in doc["entries"]] == [1, 2, 3, 4, 6, 7, 8] and doc["unreadable"] == [5]
    assert "Entry 5 couldn't be opened" in damaged.stderr
