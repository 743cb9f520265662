"""Fitting the shell: completion scripts that really complete, and help that is printed from the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from recovery_journal import __version__
from recovery_journal.cli import app
from recovery_journal.errors import MEANINGS, ExitCode
from recovery_journal.sealing import passphrase
from recovery_journal.settings import CONFIG_KEYS

from .conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "recovery_journal"


# --- completion ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_for_each_shell(cli: Cli, shell: str) -> None:
    ran = cli("completion", shell)
    assert ran.exit_code == 0, ran.stderr
    assert "recovery-journal" in ran.stdout and "_RECOVERY_JOURNAL_COMPLETE" in ran.stdout
    assert f"complete_{shell}" in ran.stdout


def test_completion_refuses_a_shell_it_cant_serve(cli: Cli) -> None:
    ran = cli("completion", "tcsh")
    assert ran.exit_code == ExitCode.USAGE and ran.stdout == ""
    assert "Use bash, zsh or fish." in ran.stderr


def test_the_completion_options_dont_crowd_the_help(cli: Cli) -> None:
    ran = cli("--help")
    assert "completion" in ran.stdout
    assert "--install-completion" not in ran.stdout and "--show-completion" not in ran.stdout


def _complete(cli: Cli, shell: str, words: str) -> list[str]:
    """Ask the real program for completions, the way the printed script for `shell` asks."""
    script = cli("completion", shell).stdout
    instruction = re.search(r"_RECOVERY_JOURNAL_COMPLETE=(\w+)", script)
    assert instruction is not None, script
    env = {**os.environ, "_RECOVERY_JOURNAL_COMPLETE": instruction.group(1)}
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words, _TYPER_COMPLETE_FISH_ACTION="get-args")
    done = subprocess.run(
        [sys.executable, "-m", "recovery_journal"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return re.findall(r"[\w-]+", done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_partial_command_completes(cli: Cli, shell: str) -> None:
    assert "config" in _complete(cli, shell, "recovery-journal conf")
    assert "completion" in _complete(cli, shell, "recovery-journal comp")


@pytest.mark.slow
def test_subcommands_and_help_topics_complete(cli: Cli) -> None:
    assert {"path", "show", "set", "unset"} <= set(_complete(cli, "bash", "recovery-journal config "))
    assert "exit-codes" in _complete(cli, "bash", "recovery-journal help ex")
    assert "zsh" in _complete(cli, "bash", "recovery-journal completion z")


# --- help topics, from the real sources ---------------------------------------------------------------


def test_help_alone_lists_the_topics(cli: Cli) -> None:
    ran = cli("help")
    assert ran.exit_code == 0
    for topic in ("exit-codes", "environment", "files", "config", "man"):
        assert topic in ran.stdout


def test_help_exit_codes_names_every_code_with_its_meaning(cli: Cli) -> None:
    ran = cli("help", "exit-codes")
    assert ran.exit_code == 0
    for code in ExitCode:
        row = re.search(rf"^\s+{int(code)}\s+{code.name}\s+(.+)$", ran.stdout, re.MULTILINE)
        assert row is not None, code
        assert MEANINGS[code].startswith(row.group(1).strip())


def test_every_exit_code_means_what_the_guide_says() -> None:
    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| \d+ \| ([A-Z_]+) \| (.+) \|$", usage, flags=re.M))
    assert {code.name: MEANINGS[code] for code in ExitCode} == rows


def _variables_in_source() -> set[str]:
    found = set()
    # A leading underscore marks the shells' completion protocol (_RECOVERY_JOURNAL_COMPLETE), not a setting.
    setting = re.compile(r"(?<![A-Z_])RECOVERY_JOURNAL_[A-Z_]*[A-Z]")
    for path in SOURCE.rglob("*.py"):
        found |= set(setting.findall(path.read_text(encoding="utf-8")))
    return found


def test_help_environment_names_every_variable_the_code_reads(cli: Cli) -> None:
    ran = cli("help", "environment")
    assert ran.exit_code == 0
    named = set(re.findall(r"^\s+([A-Z_]+)", ran.stdout, re.MULTILINE))
    found = _variables_in_source() | set(passphrase.SECRET_VARS)
    assert len(found) > 15  # the search itself works
    assert found - named == set()
    for key in CONFIG_KEYS.values():
        assert set(key.env) <= named


def test_help_files_shows_where_things_are_for_this_run(cli: Cli, isolated: Path) -> None:
    ran = cli("help", "files")
    assert ran.exit_code == 0
    for path in (
        isolated,
        isolated / "journal.db",
        isolated / "drafts",
        os.environ["RECOVERY_JOURNAL_CONFIG"],
    ):
        assert f"  {path}\n" in ran.stdout
    other = cli("--journal", str(isolated.parent / "elsewhere"), "help", "files")
    assert f"  {isolated.parent / 'elsewhere' / 'journal.db'}\n" in other.stdout


def test_help_config_explains_every_key(cli: Cli) -> None:
    ran = cli("help", "config")
    assert ran.exit_code == 0 and os.environ["RECOVERY_JOURNAL_CONFIG"] in ran.stdout
    assert "not encrypted" in ran.stdout
    for name in CONFIG_KEYS:
        assert re.search(rf"^\s+{name}\s", ran.stdout, re.MULTILINE), name


def test_help_for_a_command_is_its_own_help(cli: Cli) -> None:
    ran = cli("help", "milestone", "add")
    assert ran.exit_code == 0
    assert ran.stdout == cli("milestone", "add", "--help").stdout


def test_help_for_something_unknown_is_a_calm_usage_error(cli: Cli) -> None:
    ran = cli("help", "milestone", "nonsense")
    assert ran.exit_code == ExitCode.USAGE and ran.stdout == ""
    assert "'milestone nonsense' isn't a help topic or a command." in ran.stderr


# --- the man page -------------------------------------------------------------------------------------


def _command_paths() -> list[str]:
    found: list[str] = []

    def walk(group: object, prefix: str) -> None:
        for name, command in getattr(group, "commands", {}).items():
            found.append(f"{prefix} {name}".strip())
            walk(command, found[-1])

    walk(typer.main.get_command(app), "")
    return found


def test_the_man_page_covers_every_command_exit_code_and_variable(cli: Cli) -> None:
    ran = cli("help", "man")
    assert ran.exit_code == 0
    page = ran.stdout
    assert page.startswith(".TH RECOVERY-JOURNAL 1 ")
    sections = re.findall(r'^\.SS "(.+?)"$', page, re.MULTILINE)
    for path in _command_paths():
        heading = f"recovery-journal {path}".replace("-", "\\-")
        assert any(s == heading or s.startswith(heading + " ") for s in sections), path
    for title in (
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "COMMANDS",
        "ENVIRONMENT",
        "FILES",
        "EXIT STATUS",
    ):
        assert f"\n.SH {title}\n" in page
    for code in ExitCode:
        assert f"\\fB{int(code)}\\fR\n{code.name}:" in page
    assert all(
        not line.startswith((".", "'")) or re.match(r"^\.(TH|SH|SS|PP|TP|B|nf|fi)( |$)", line)
        for line in page.splitlines()
    )


MAN_PAGE = ROOT / "man" / "recovery-journal.1"
REGENERATE = "recovery-journal help man > man/recovery-journal.1"


def test_the_shipped_man_page_is_the_one_the_commands_make(cli: Cli) -> None:
    """The package installs man/recovery-journal.1 (pyproject.toml): it must say what --help says."""
    made = cli("help", "man").stdout
    assert MAN_PAGE.is_file(), f"there is no man page to ship; make it with: {REGENERATE}"
    shipped = MAN_PAGE.read_text(encoding="utf-8")
    assert shipped == made, f"man/recovery-journal.1 and the commands disagree; regenerate with: {REGENERATE}"


def test_the_man_page_is_the_same_on_every_computer_and_every_day(
    cli: Cli, isolated: Path, tmp_path: Path
) -> None:
    page = cli("help", "man").stdout
    config = tmp_path / "elsewhere.toml"
    config.write_text('date_order = "dayfirst"\neditor = "nano"\n')
    other = {
        "RECOVERY_JOURNAL_HOME": str(tmp_path / "other-home"),
        "RECOVERY_JOURNAL_CONFIG": str(config),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "COLUMNS": "40",
        "TZ": "Pacific/Kiritimati",  # a day ahead of most of the world
    }
    assert cli("--journal", str(tmp_path / "j"), "help", "man", env=other).stdout == page
    assert str(isolated) not in page and str(tmp_path) not in page, "no path of the computer it was made on"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page.splitlines()[0]), "no date: the version says which it is"
    assert '"recovery-journal ' + __version__ + '"' in page.splitlines()[0]
    files = page.split("\n.SH FILES\n", 1)[1].split("\n.SH ", 1)[0]
    for place in ("~/.local/share/recovery\\-journal/journal.db", "~/.config/recovery\\-journal/config.toml"):
        assert f"\\fB{place}\\fR" in files
    assert "RECOVERY_JOURNAL_HOME" in files and "macOS" in files, "it says what moves each place"


GROFF = shutil.which("groff")


@pytest.mark.skipif(GROFF is None, reason="groff isn't installed")
def test_the_man_page_is_roff_that_groff_reads_without_warnings(cli: Cli) -> None:
    page = cli("help", "man").stdout
    every_but_line_breaks = ["-ww", "-Wbreak"]  # a long variable name can't always be fitted to a line
    done = subprocess.run(
        [str(GROFF), "-man", "-Tutf8", *every_but_line_breaks, "-z"],
        input=page,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
