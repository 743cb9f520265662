"""Exports and backups are written as they are read, a batch of entries at a time, and say the same."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from recovery_journal.errors import ExitCode, InvalidInput, WrongSecret
from recovery_journal.journal.service import Journal
from recovery_journal.portability import backup, importers

from .conftest import PASSPHRASE, Cli, Ran


@pytest.fixture
def written(cli: Cli, initialised: Ran) -> Cli:
    """Seven entries (so a batch of two leaves a part batch): an edit, a tender one, a prompt, a milestone."""
    for n in range(1, 8):
        args = ["--title", f"Day {n}", "--tag", "walk", "--mood", str(n)] if n % 2 else []
        if n == 4:
            args += ["--tender"]
        ran = cli("write", *args, input=f"Words of day {n}.\nA second line with ünïcödé.")
        assert ran.exit_code == 0, ran.stderr
    assert cli("edit", "3", input="Day three, changed.").exit_code == 0
    assert cli("write", "--prompt", "current", input="Answered a prompt.").exit_code == 0
    assert cli("milestone", "add", "First walk alone", "--kind", "first").exit_code == 0
    return cli


def _same_apart_from_the_time(fmt: str, one: str, other: str) -> None:
    if fmt == "json":
        first, second = json.loads(one), json.loads(other)
        first.pop("exported"), second.pop("exported")
        assert first == second
    elif fmt == "markdown":  # the third line says when it was exported
        assert one.split("\n")[3:] == other.split("\n")[3:]
    else:
        assert one == other


@pytest.mark.parametrize("fmt", ["json", "markdown", "txt"])
@pytest.mark.parametrize("tender", [[], ["--include-tender"]])
def test_an_export_in_small_batches_says_what_one_batch_says(
    written: Cli, monkeypatch: pytest.MonkeyPatch, fmt: str, tender: list[str]
) -> None:
    whole = written("export", "--format", fmt, *tender)
    monkeypatch.setattr(backup, "BATCH", 2)
    batched = written("export", "--format", fmt, *tender)
    assert whole.exit_code == batched.exit_code == 0, batched.stderr
    _same_apart_from_the_time(fmt, whole.stdout, batched.stdout)
    assert whole.stderr == batched.stderr
    assert (
        "Day 1" in batched.stdout or "Words of day 1" in batched.stdout
    ) and "Answered a prompt" in batched.stdout
    assert ("Words of day 4" in batched.stdout) == bool(tender)


def test_the_json_export_is_compact_one_entry_a_line_and_complete(written: Cli) -> None:
    ran = written("export", "--format", "json")
    lines = ran.stdout.splitlines()
    data = json.loads(ran.stdout)
    assert len(lines) == len(data["entries"]) + 2, "an opening line, one line per entry, a closing line"
    assert [e["id"] for e in data["entries"]] == [1, 2, 3, 5, 6, 7, 8], "the tender entry 4 stays out"
    assert data["tender_left_out"] == 1 and data["milestones"][0]["text"] == "First walk alone"
    assert data["entries"][2]["revisions"][0]["text"].startswith("Words of day 3")
    assert data["entries"][-1]["prompt"] and ": " not in lines[0] and lines[1].startswith('{"created":')


def test_the_markdown_export_says_after_the_entries_how_many_tender_ones_stayed_out(written: Cli) -> None:
    markdown = written("export").stdout
    note = markdown.index("1 entry you marked as tender was left out")
    assert markdown.rindex("Answered a prompt") < note < markdown.index("## Milestones")


def _damage(home: Path, entry_id: int) -> None:
    con = sqlite3.connect(home / "journal.db")
    blob = bytearray(con.execute("SELECT text FROM entries WHERE id = ?", (entry_id,)).fetchone()[0])
    blob[20] ^= 0xFF
    con.execute("UPDATE entries SET text = ? WHERE id = ?", (bytes(blob), entry_id))
    con.commit()
    con.close()


def test_damage_in_a_later_batch_stops_a_piped_export_and_says_what_went_out(
    written: Cli, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "BATCH", 2)
    _damage(isolated, 6)
    ran = written("export", "--format", "txt")
    assert ran.exit_code == ExitCode.TAMPERED and "Traceback" not in ran.stderr
    assert "Entry 6" in ran.stderr and "the export stopped there" in ran.stderr
    assert "Words of day 1" in ran.stdout and "Words of day 7" not in ran.stdout
    skipped = written("export", "--format", "txt", "--skip-damaged")
    assert skipped.exit_code == 0 and "Words of day 7" in skipped.stdout and "entry 6" in skipped.stderr


def test_damage_in_a_later_batch_leaves_no_export_file_and_no_partial_one(
    written: Cli, isolated: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(backup, "BATCH", 2)
    _damage(isolated, 6)
    folder = tmp_path / "out"
    folder.mkdir()
    for fmt in ("json", "markdown", "txt"):
        ran = written("export", "--format", fmt, "-o", str(folder / f"export.{fmt}"))
        assert ran.exit_code == ExitCode.TAMPERED and "Entry 6" in ran.stderr
        assert list(folder.iterdir()) == [], "nothing written, not even a temporary file"
    made = written("backup", "create", str(folder / "b.rjbackup"))
    assert made.exit_code == ExitCode.TAMPERED and "nothing was written" in made.stderr
    assert list(folder.iterdir()) == []


def test_a_backup_written_in_batches_restores_whole(
    written: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(backup, "BATCH", 3)
    target = tmp_path / "b.rjbackup"
    made = written("backup", "create", str(target))
    assert made.exit_code == 0 and "Backed up 8 entries, 1 milestone" in made.stderr
    verified = written("backup", "verify", str(target), "--json")
    assert json.loads(verified.stdout)["entries"] == 8 and json.loads(verified.stdout)["revisions"] == 1
    fresh = {"RECOVERY_JOURNAL_HOME": str(tmp_path / "fresh")}
    assert written("backup", "restore", str(target), env=fresh).exit_code == 0
    before = written("export", "--format", "json", "--include-tender").stdout
    after = written("export", "--format", "json", "--include-tender", env=fresh).stdout
    _same_apart_from_the_time("json", before, after)


def test_checking_a_backup_counts_its_entries_without_keeping_them(written: Cli, tmp_path: Path) -> None:
    target = tmp_path / "b.rjbackup"
    assert written("backup", "create", str(target)).exit_code == 0
    checked = backup.read(target, PASSPHRASE, keep="counts")
    kept = backup.read(target, PASSPHRASE)
    assert checked.entries == [] and len(kept.entries) == 8
    assert checked.counts() == kept.counts() and checked.meta == kept.meta
    with pytest.raises(WrongSecret):  # a wrong passphrase is still said as one, not as damage
        backup.read(target, "not the passphrase", keep="counts")
    reread = backup.read(target, PASSPHRASE, keep="reread")
    assert len(reread.entries) == 8 and list(reread.entries) == kept.entries, "the same entries, read again"
    assert reread.counts() == kept.counts() and reread.milestones == kept.milestones


def _jrnl_file(path: Path, count: int) -> Path:
    days = [
        f"[2020-{1 + n // 28 % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}] Day {n}."
        for n in range(count)
    ]
    path.write_text("\n\n".join(f"{day}\nI walked by the sea and felt calmer.\n" for day in days))
    return path


@pytest.mark.slow
def test_a_big_import_shows_a_progress_bar_on_a_terminal_and_nothing_on_a_pipe(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from .test_terminal import _env, run_in_terminal

    source = _jrnl_file(tmp_path / "journal.txt", 2000)
    code, screen = run_in_terminal(
        ["import", "jrnl", str(source)],
        [],
        {**_env(), "TERM": "xterm", "RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE},
    )
    assert code == 0, screen
    assert "Importing" in screen and "Added 2000 entries" in screen
    again = _jrnl_file(tmp_path / "more.txt", 2100)  # 100 new ones, 2000 already here
    piped = subprocess.run(
        [sys.executable, "-m", "recovery_journal", "import", "jrnl", str(again)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert "Importing" not in piped.stderr and "\x1b" not in piped.stderr
    assert "Added 100 entries" in piped.stderr and "2000 entries are already here" in piped.stderr


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-01 09:00",
        "2024-03-01 23:59:59",
        "2024-03-01",
        "2024-02-30 10:00",
        "2023-02-29",
        "2024-03-01 24:00",
    ],
)
def test_jrnl_dates_read_directly_are_the_moments_dateutil_reads(text: str) -> None:
    from dateutil import parser

    try:
        expected = parser.parse(text).astimezone()
    except (ValueError, OverflowError):
        expected = None
    assert importers._jrnl_date(text, importers._Reading()) == expected


TRICKY_JRNL = (
    "\ufeff[2021-03-01 09:00] A title line.\r\nSecond line\u2028a separator inside.\r\n\r\n"
    "[2021-03-01 10:00]  \n\n"  # an empty entry: skipped, and counted as skipped
    "[2021-03-02 11:30] Twice. *\nThe same entry twice is one.\n\n"
    "[2021-03-02 11:30] Twice. *\nThe same entry twice is one.\n\n"
    "[2021-03-03 12:00] Last, with no newline at the end @walk"
)


def test_a_jrnl_file_read_as_it_is_imported_gives_what_reading_it_whole_gives(tmp_path: Path) -> None:
    source = tmp_path / "journal.txt"
    source.write_bytes(TRICKY_JRNL.encode("utf-8"))
    streamed = importers.jrnl(source)
    whole = importers._jrnl_text(
        TRICKY_JRNL.removeprefix("\ufeff").splitlines(), source, importers._Reading()
    )
    assert isinstance(streamed.incoming.entries, importers.Reread), "a regular file is read as it goes"
    assert list(streamed.incoming.entries) == list(whole.incoming.entries)
    assert len(streamed.incoming.entries) == 3 and streamed.skipped_empty == whole.skipped_empty == 1
    assert streamed.incoming.entries[-1][0].tags == ("walk",) and streamed.incoming.entries[1][0].starred


def test_a_jrnl_file_that_changes_during_the_import_imports_nothing(tmp_path: Path, journal: Journal) -> None:
    source = _jrnl_file(tmp_path / "journal.txt", 30)
    read = importers.jrnl(source)
    with source.open("a") as more:
        more.write("\n[2021-05-05 10:00] Written meanwhile.\n")
    with pytest.raises(InvalidInput, match="changed while it was being imported"):
        backup.merge(journal, read.incoming)
    assert journal.count() == 0
    assert backup.merge(journal, importers.jrnl(source).incoming).entries_added == 31


def test_merging_a_stage_the_writer_set_teaches_the_personal_model(journal: Journal, tmp_path: Path) -> None:
    from recovery_journal.settings import Settings
    from recovery_journal.stages.model import Stage

    entry = journal.write("Held my boundary today and it felt steady.")
    journal.stages.set(entry.id, Stage.RECOVERY)
    target = tmp_path / "b.rjbackup"
    assert backup.create(journal, target, PASSPHRASE, journal.settings.kdf).entries == 1
    other_settings = Settings.from_env(journal=tmp_path / "other")
    other, _ = Journal.create(other_settings, PASSPHRASE)
    with other:
        plain = _jrnl_file(tmp_path / "journal.txt", 3)
        assert backup.merge(other, importers.jrnl(plain).incoming).entries_added == 3
        assert other.stages.personal().corrections == 0, "guessed stages teach nothing"
        report = backup.merge(other, backup.read(target, PASSPHRASE))
        assert report.writer_stages_added == 1 and report.teaches
        assert other.stages.personal().corrections == 1


def test_a_backup_replaced_while_it_is_restored_leaves_no_journal(written: Cli, tmp_path: Path) -> None:
    from recovery_journal.errors import Damaged
    from recovery_journal.settings import Settings

    target, other = tmp_path / "b.rjbackup", tmp_path / "other.rjbackup"
    assert written("backup", "create", str(target)).exit_code == 0
    assert written("write", input="One more.").exit_code == 0
    assert written("backup", "create", str(other)).exit_code == 0
    incoming = backup.read(target, PASSPHRASE, keep="reread")
    other.replace(target)  # a valid backup, with the same passphrase, but not the one that was checked
    fresh = Settings.from_env(journal=tmp_path / "fresh")
    with pytest.raises(Damaged, match="changed while it was being read"):
        backup.restore_new(fresh, PASSPHRASE, incoming)
    assert not (tmp_path / "fresh" / "journal.db").exists()


def test_a_backup_to_stdout_that_meets_damage_later_says_what_went_out_is_incomplete(
    written: Cli, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "BATCH", 2)
    _damage(isolated, 6)
    ran = written("backup", "create", "-")
    assert ran.exit_code == ExitCode.TAMPERED and "Entry 6" in ran.stderr
    assert "incomplete" in ran.stderr and "won't open as a backup" in ran.stderr
    assert "Backup written" not in ran.stderr


def test_a_merge_in_small_batches_matches_every_entry_as_one_batch_does(
    written: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from recovery_journal.portability import merge

    old, new = tmp_path / "old.rjbackup", tmp_path / "new.rjbackup"
    assert written("backup", "create", str(old)).exit_code == 0
    assert written("edit", "2", input="Day two, rewritten later.").exit_code == 0
    assert written("edit", "6", input="Day six, rewritten later.").exit_code == 0
    assert written("write", input="A newer entry.").exit_code == 0
    assert written("backup", "create", str(new)).exit_code == 0
    reports = []
    for batch, place in ((500, "whole"), (2, "batched")):
        monkeypatch.setattr(merge, "MERGE_BATCH", batch)
        env = {"RECOVERY_JOURNAL_HOME": str(tmp_path / place)}
        assert written("backup", "restore", str(old), env=env).exit_code == 0
        ran = written("backup", "restore", str(new), "--merge", "--json", env=env)
        assert ran.exit_code == 0, ran.stderr
        reports.append({k: v for k, v in json.loads(ran.stdout).items() if k != "snapshot"})
        exported = written("export", "--format", "txt", "--include-tender", env=env).stdout
        assert "Day six, rewritten later." in exported and "A newer entry." in exported
    assert reports[0] == reports[1]
    assert (reports[1]["entries_added"], reports[1]["entries_updated"], reports[1]["entries_unchanged"]) == (
        1,
        2,
        6,
    )
