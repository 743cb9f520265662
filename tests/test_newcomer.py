"""What a newcomer trying the tool found: words that read oddly, or said something untrue, each fixed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from recovery_journal.errors import ExitCode
from recovery_journal.journal.counters import Counter, Run
from recovery_journal.maintenance.doctor import Report
from recovery_journal.render import maintenance as view
from recovery_journal.render import marks

from .conftest import Cli, Ran


def test_a_quiet_milestone_is_not_marked_twice_in_one_line(cli: Cli, initialised: Ran) -> None:
    ran = cli("milestone", "add", "Court date", "--kind", "other")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stderr.count("Marked") == 1 and "to remember" in ran.stderr


def test_setting_a_stage_names_it_as_a_stage(cli: Cli, initialised: Ran) -> None:
    assert cli("write", input="A walk by the river.").exit_code == 0
    ran = cli("stage", "set", "1", "recovery")
    assert "Entry 1 is now in the recovery stage." in ran.stderr


def test_a_counter_on_its_first_day_says_when_the_first_round_comes() -> None:
    today = date(2026, 12, 4)
    fresh = Counter(1, "u", "No contact", (Run(today),))
    line = marks.counter_line(fresh, today)
    assert "0 days" not in line and "in 7 days" not in line
    assert line == "No contact: starting today, 4 Dec 2026. One week on 11 Dec 2026."
    later = Counter(1, "u", "No contact", (Run(today - timedelta(days=3)),))
    assert marks.counter_line(later, today) == "No contact: 3 days, since 1 Dec 2026. One week in 4 days."


def test_doctor_counts_like_a_person_and_ends_calmly_when_all_is_well(cli: Cli, initialised: Ran) -> None:
    cli("milestone", "add", "Blocked his number")
    cli("milestone", "add", "Said no")
    for n in (1, 2, 3):
        cli("write", input=f"Entry {n}.")
    ran = cli("doctor")
    assert ran.exit_code == 0, ran.stdout
    assert "Both milestones open and check out." in ran.stdout
    assert "All 3 entries open and check out." in ran.stdout
    assert "All 2" not in ran.stdout
    # tests make journals with weak key settings, which doctor notes: nothing wrong, one note
    assert ran.stdout.rstrip().splitlines()[-1] == view.WELL_WITH_NOTES
    well = Report()
    well.add("entries", "ok", "fine")
    assert view.report_lines(well)[-1] == "All is well: everything checks out."
    well.add("backup", "problem", "damaged", ExitCode.DAMAGED)
    assert view.closing(well) is None and view.report_lines(well)[-1].startswith("!")


def test_status_and_lock_without_a_journal_say_there_is_none_yet(cli: Cli, isolated: Path) -> None:
    for command in ("status", "lock"):
        ran = cli(command)
        assert ran.exit_code == 0
        assert "no journal" in ran.stderr and "recovery-journal init" in ran.stderr, command
        assert "locked" not in ran.stderr.replace("nothing to lock", ""), command


def test_an_empty_tag_is_refused_calmly_and_nothing_is_saved(cli: Cli, initialised: Ran) -> None:
    for empty in ("", "#", " , "):
        ran = cli("write", "--tag", empty, input="Words.")
        assert ran.exit_code == ExitCode.INVALID_INPUT, (empty, ran.stderr)
        assert "empty" in ran.stderr and "hint:" in ran.stderr and "Traceback" not in ran.stderr
    kept = cli("write", "--tag", "walks,", input="Words.")  # a trailing comma is fine
    assert "Saved entry 1 " in kept.stderr  # nothing was saved by the refused ones


def test_a_restored_new_journal_says_the_old_recovery_code_wont_open_it(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    cli("write", input="Words to keep.")
    target = tmp_path / "b.rjbackup"
    assert cli("backup", "create", str(target)).exit_code == 0
    restored = cli("backup", "restore", str(target), env={"RECOVERY_JOURNAL_HOME": str(tmp_path / "new")})
    assert restored.exit_code == 0
    assert "old journal's code won't open it" in restored.stderr


def test_config_set_explains_the_file_once_then_keeps_it_short(cli: Cli) -> None:
    first = cli("config", "set", "country", "GB")
    assert "anyone who can read your files can read it" in first.stderr
    again = cli("config", "set", "editor", "nano")
    assert again.exit_code == 0
    assert "anyone who can read" not in again.stderr and "isn't encrypted" in again.stderr
    assert again.stderr.count("\n") == 2  # saved, and the one short reminder
