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
    assert checks["history"] == "All 2 earlier versions open and check out."


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
