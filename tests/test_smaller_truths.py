"""Small things said right: counts, dates, the first run, Click's words, the delete question, old habits."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from recovery_journal.domain.words import counted, when_saved
from recovery_journal.errors import ExitCode

from .conftest import Cli, Ran


def write(cli: Cli, text: str, *args: str) -> Ran:
    ran = cli("write", *args, input=text)
    assert ran.exit_code == 0, ran.stderr
    return ran


@pytest.mark.parametrize(
    ("n", "one", "many", "said"),
    [
        (1, "earlier version", None, "1 earlier version"),
        (2, "earlier version", None, "2 earlier versions"),
        (0, "entry", None, "0 entries"),
        (1, "entry", None, "1 entry"),
        (3, "day", None, "3 days"),
        (2, "person", "people", "2 people"),
    ],
)
def test_counts_agree_with_their_number(n: int, one: str, many: str | None, said: str) -> None:
    assert counted(n, one, many) == said


def test_doctor_counts_one_earlier_version_as_one(cli: Cli, initialised: Ran) -> None:
    write(cli, "First words.")
    assert cli("edit", "1", "--mood", "4").exit_code == 0
    checks = {c["name"]: c["detail"] for c in json.loads(cli("doctor", "--json").stdout)["checks"]}
    assert checks["history"] == "The one earlier version opens and checks out."
    assert "1 changes" not in checks["ledger"]
    assert cli("edit", "1", "--mood", "5").exit_code == 0
    checks = {c["name"]: c["detail"] for c in json.loads(cli("doctor", "--json").stdout)["checks"]}
    assert checks["history"] == "Both earlier versions open and check out."


def test_backup_verify_shows_the_date_like_everything_else(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    write(cli, "Kept safe.")
    target = tmp_path / "out" / "journal.rjbackup"
    target.parent.mkdir()
    assert cli("backup", "create", str(target)).exit_code == 0
    ran = cli("backup", "verify", str(target))
    assert ran.exit_code == 0
    assert "1 entry (0 earlier versions)" in ran.stderr
    made = re.search(r"made (.*)\.$", ran.stderr.strip())
    assert made is not None and "T" not in made.group(1) and "+" not in made.group(1)
    assert re.fullmatch(r"\w{3} \d{1,2} \w{3} \d{4} \d{2}:\d{2}", made.group(1)), made.group(1)
    created = json.loads(cli("backup", "verify", str(target), "--json").stdout)["created"]
    assert when_saved(created) == made.group(1)  # JSON keeps the exact ISO moment


def test_a_moment_that_does_not_read_is_said_calmly() -> None:
    assert when_saved(None) == when_saved("not a date") == "at a time it doesn't record"
    assert when_saved("2026-11-25T21:04:00") == "Wed 25 Nov 2026 21:04"


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from recovery_journal.commands import terminal as face

    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(face, "can_ask_secret", lambda: True)


@pytest.mark.parametrize(
    ("args", "text", "named"),
    [
        (("--title", "The call with Mum"), "Words.", "entry 1, “The call with Mum”, from "),
        ((), "Slept well for once.", "entry 1, “Slept well for once.”, from "),
        (("--tender", "--title", "Grief"), "Zqxjv.", "entry 1, “Grief” (tender), from "),
        (("--tender",), "Zqxjv hard words.", "entry 1, a tender entry, from "),
    ],
)
def test_the_delete_question_names_the_entry_as_list_does(
    cli: Cli, initialised: Ran, request: pytest.FixtureRequest, args: tuple[str, ...], text: str, named: str
) -> None:
    write(cli, text, *args)
    assert cli("edit", "1", "--mood", "3").exit_code == 0
    request.getfixturevalue("at_a_terminal")  # only now: writing at a terminal would open the editor
    kept = cli("delete", "1", input="n\n")
    assert kept.exit_code == 0 and f"Delete {named}" in kept.stderr
    assert "and its 1 earlier version?" in kept.stderr and "Zqxjv" not in kept.stderr


def test_the_milestone_delete_question_names_the_milestone(
    cli: Cli, initialised: Ran, request: pytest.FixtureRequest
) -> None:
    assert cli("milestone", "add", "First week of no contact").exit_code == 0
    request.getfixturevalue("at_a_terminal")
    kept = cli("milestone", "delete", "1", input="n\n")
    assert kept.exit_code == 0 and "Delete milestone 1, “First week of no contact”, from " in kept.stderr


def test_a_suggestion_ends_with_its_own_question_mark(cli: Cli, initialised: Ran) -> None:
    ran = cli("lst")
    assert ran.exit_code == ExitCode.USAGE
    assert "Did you mean 'list'?\n" in ran.stderr and "?." not in ran.stderr


@pytest.mark.parametrize(
    ("args", "meant"),
    [(["shwo", "3"], "show"), (["serach", "boundary"], "search"), (["backpu", "create", "x"], "backup")],
)
def test_a_mistyped_command_before_its_arguments_is_only_a_typo(
    cli: Cli, initialised: Ran, args: list[str], meant: str
) -> None:
    """Not the warning about words left in the shell's history, which would alarm someone who only slipped."""
    ran = cli(*args)
    assert ran.exit_code == ExitCode.USAGE
    assert f"Did you mean '{meant}'" in ran.stderr and "shell history" not in ran.stderr


def test_a_value_that_isnt_a_number_is_said_plainly(cli: Cli, initialised: Ran) -> None:
    """Click's "Invalid value for '--mood' / '-m'" reads like a verdict: the option and the reason do."""
    ran = cli("write", "--mood", "five", input="Words.")
    assert ran.exit_code == ExitCode.USAGE
    assert "--mood: 'five' isn't a whole number." in ran.stderr and "Invalid" not in ran.stderr
    limit = cli("list", "--limit", "abc")
    assert "--limit: 'abc' isn't a whole number." in limit.stderr and "range" not in limit.stderr


def test_an_unknown_command_with_an_entry_number_is_a_command_not_words(cli: Cli, initialised: Ran) -> None:
    ran = cli("read", "5")
    assert ran.exit_code == ExitCode.USAGE
    assert "'read' isn't a command here." in ran.stderr and "recovery-journal show 5" in ran.stderr
    assert "shell history" not in ran.stderr


def _every_command(app_group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in getattr(app_group, "commands", {}).items():
        found.append((*path, name))
        found += _every_command(command, (*path, name))
    return found


def test_usage_lines_carry_no_braces(cli: Cli) -> None:
    import typer

    from recovery_journal.cli import app

    assert "Usage: recovery-journal show [OPTIONS] ID\n" in cli("show", "--help").stdout
    assert "Usage: recovery-journal stage set [OPTIONS] ID STAGE\n" in cli("stage", "set", "--help").stdout
    commands = _every_command(typer.main.get_command(app))
    assert len(commands) > 30
    for path in commands:
        shown = cli(*path, "--help")
        assert shown.exit_code == 0 and "{" not in shown.stdout.split("\n\n")[0], path


def test_a_first_run_with_nothing_typed_says_to_start_with_init(cli: Cli, isolated: Path) -> None:
    ran = cli()
    assert ran.exit_code == 0 and ran.stdout == ""
    assert "There's no journal here yet" in ran.stderr
    for start in ("recovery-journal init", "recovery-journal demo", "recovery-journal support"):
        assert start in ran.stderr
    assert not isolated.exists(), "saying hello creates nothing"
    assert "Usage: recovery-journal" in cli("--help").stdout, "--help stays the help"


def test_with_a_journal_the_bare_command_shows_the_help(cli: Cli, initialised: Ran) -> None:
    ran = cli()
    assert ran.exit_code == 0 and "Usage: recovery-journal" in ran.stdout and "write" in ran.stdout


def _listed(ran: Ran) -> list[str]:
    assert ran.exit_code == 0, ran.stderr
    return [line.split()[0] for line in ran.stdout.splitlines()]


def test_jrnl_style_minus_n_lists_the_last_n(cli: Cli, initialised: Ran) -> None:
    for n in range(1, 5):
        write(cli, f"Day {n}, steady.")
    assert _listed(cli("list", "-2")) == ["3", "4"] == _listed(cli("list", "-n", "2"))
    assert _listed(cli("list", "-r", "-3")) == ["4", "3", "2"]
    found = cli("search", "-1", "steady", "--json")
    assert [e["id"] for e in json.loads(found.stdout)["entries"]] == [4]


def test_minus_j_after_the_command_points_to_journal_before_it(cli: Cli, initialised: Ran) -> None:
    for args in (("list", "-j", "/tmp/other"), ("list", "--journal", "/tmp/other")):
        ran = cli(*args)
        assert ran.exit_code == ExitCode.USAGE
        assert "hint: Name the journal before the command: recovery-journal --journal /tmp/other list" in (
            ran.stderr
        )


def test_list_takes_tags_as_jrnl_writes_them(cli: Cli, initialised: Ran) -> None:
    write(cli, "Said no, kindly.", "--tag", "boundaries")
    write(cli, "A walk.", "--tag", "walks")
    assert _listed(cli("list", "@boundaries")) == ["1"]
    assert _listed(cli("list", "#boundaries", "@walks")) == ["1", "2"]
    assert _listed(cli("list", "@walks", "--tag", "boundaries")) == ["1", "2"]
    stray = cli("list", "boundaries")
    assert stray.exit_code == ExitCode.USAGE
    assert "list @boundaries" in stray.stderr and "search WORD" in stray.stderr


def test_search_for_a_hashtag_finds_the_tagged_entries(cli: Cli, initialised: Ran) -> None:
    write(cli, "Said no, kindly.", "--tag", "boundaries")
    write(cli, "Nothing about that today.")
    for query in ("#boundaries", "@boundaries", "#Boundaries"):
        found = json.loads(cli("search", query, "--json").stdout)["entries"]
        assert [e["id"] for e in found] == [1], query
    assert json.loads(cli("search", "#walks", "--json").stdout)["entries"] == []


def _in_a_narrow_terminal(args: list[str], columns: int = 40) -> tuple[int, str]:
    """Run the command with a pty `columns` wide as its terminal (stdin, stdout and stderr), no $COLUMNS."""
    import fcntl
    import os
    import struct
    import subprocess
    import sys

    pty = pytest.importorskip("pty")
    termios = pytest.importorskip("termios")
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "dumb"
    proc = subprocess.Popen(
        [sys.executable, "-m", "recovery_journal", *args],
        stdin=side,
        stdout=side,
        stderr=side,
        env=env,
        start_new_session=True,
    )
    os.close(side)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the program closed the terminal: it has finished
            break
        if not chunk:
            break
        seen += chunk
    code = proc.wait(timeout=60)
    os.close(main)
    return code, seen.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.slow
def test_messages_wrap_between_words_at_the_terminal_width(cli: Cli, isolated: Path) -> None:
    code, first_run = _in_a_narrow_terminal([])
    assert code == 0 and "recovery-journal init" in first_run
    assert cli("init").exit_code == 0
    code, empty = _in_a_narrow_terminal(["list"])  # a message (Output.say)
    assert code == 0 and "No entries here yet" in empty
    code, mistake = _in_a_narrow_terminal(["list", "--bogus"])  # an error and its hint (cli.report)
    assert code == ExitCode.USAGE
    for shown in (first_run, empty, mistake):
        lines = [line for line in shown.splitlines() if line.strip()]
        assert len(lines) > 2 and all(len(line) <= 40 for line in lines), shown
        assert "recovery-journal" in " ".join(shown.split()), "words are never cut in two"
    assert mistake.splitlines()[1].startswith("  ") and "  hint: `recovery-journal list" in mistake


def test_share_dry_run_counts_one_entry_as_one(cli: Cli, initialised: Ran) -> None:
    write(cli, "One quiet day.")
    ran = cli("share", "--dry-run")
    assert ran.exit_code == 0 and "from 1 entry (counted; their words stay out)" in ran.stdout


@pytest.mark.parametrize(
    "args",
    [["Today", "I", "felt", "good."], ["Today I felt good."], ["I'm sad"]],
)
def test_an_entry_typed_after_the_bare_command_is_refused_as_write_refuses_it(
    cli: Cli, initialised: Ran, args: list[str]
) -> None:
    """jrnl's habit (`jrnl Today was hard`): the same care as `write Today was hard`, no word echoed."""
    ran = cli(*args)
    assert ran.exit_code == ExitCode.USAGE
    assert "shell history" in ran.stderr and "history -d" in ran.stderr and "write --inline" in ran.stderr
    assert "felt" not in ran.stderr and "sad" not in ran.stderr and "No such command" not in ran.stderr


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["@therapy"], "recovery-journal list @therapy"),
        (["new"], "recovery-journal write"),
        (["add"], "recovery-journal write"),
        (["-n", "3"], "recovery-journal list -n 3"),
    ],
)
def test_habits_from_other_journals_point_to_the_command_here(
    cli: Cli, initialised: Ran, args: list[str], hint: str
) -> None:
    ran = cli(*args)
    assert ran.exit_code == ExitCode.USAGE and hint in ran.stderr
    assert "No such" not in ran.stderr


def test_an_unknown_word_ending_in_a_stop_keeps_one_stop(cli: Cli, initialised: Ran) -> None:
    ran = cli("good.")
    assert ran.exit_code == ExitCode.USAGE and "'good.'" in ran.stderr and "'.." not in ran.stderr
    assert "'good.'." not in ran.stderr


def test_near_option_names_are_not_listed_as_click_lists_them(cli: Cli, initialised: Ran) -> None:
    ran = cli("list", "--short")
    assert ran.exit_code == ExitCode.USAGE and "--short" in ran.stderr
    assert "Possible options" not in ran.stderr


def test_a_terminal_that_says_zero_columns_still_gets_every_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """`stty cols 0` (or `script` under no terminal): messages keep their words, unwrapped."""
    from recovery_journal.render import output

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(output.os, "isatty", lambda fd: True)
    monkeypatch.setattr(output.os, "get_terminal_size", lambda fd=0: __import__("os").terminal_size((0, 0)))
    assert output.message_width() is None
    line = "Your journal is ready. `recovery-journal write` opens your editor for a first entry."
    assert output.fit(line, output.message_width()) == line
