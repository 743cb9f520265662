"""Backups, restore and merge, exports and imports: every field comes back, and every damage is refused."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import uuid as uuidlib
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recovery_journal.domain.entry import EntryChanges
from recovery_journal.errors import (
    AlreadyExists,
    Damaged,
    ExitCode,
    InvalidInput,
    NewerVersion,
    NotAJournal,
    PassphraseProblem,
    StorageProblem,
    WrongSecret,
)
from recovery_journal.journal.service import Journal
from recovery_journal.portability import backup, backupfile, dayone, importers
from recovery_journal.sealing import crypto
from recovery_journal.settings import Settings
from recovery_journal.stages.model import Stage

from .conftest import PASSPHRASE, Cli, Ran
from .test_keys import names_group

FIXTURES = Path(__file__).parent / "fixtures"
WEAK = crypto.TESTONLY_WEAK_ARGON2
UTC = timezone.utc


def fill(journal: Journal) -> None:
    first = journal.write(
        "Is it me? He says I'm too sensitive.",
        tags=["family"],
        mood=3,
        date=datetime(2026, 3, 1, 21, 0, tzinfo=UTC),
    )
    journal.edit(first.id, EntryChanges(text="Is it me? He says I'm too sensitive. I wrote it down."))
    journal.write("I cried for the years I lost.", title="Grief", tender=True)
    third = journal.write("Signed up for pottery and held my boundary.", mood=8)
    journal.stages.set(third.id, Stage.RECOVERY)
    journal.milestones.add("First boundary held", day=date(2026, 3, 5), kind="boundary", note="Said no.")
    journal.counters.start("no contact", date(2026, 2, 1))
    journal.counters.reset("no contact", date(2026, 3, 1))


def everything(journal: Journal) -> list[dict]:  # type: ignore[type-arg]
    """Every record of a journal, without the numbers that may legitimately differ."""
    out = []
    for record in backup.records(journal, backup.contents(journal)):
        if record["type"] == "backup":
            continue
        out.append(record)
    return out


@pytest.fixture
def made(journal: Journal, tmp_path: Path) -> Path:
    fill(journal)
    target = tmp_path / "journal.rjbackup"
    backup.create(journal, target, PASSPHRASE, WEAK)
    return target


# --- round trips ------------------------------------------------------------------------------------------


def test_restore_into_a_new_journal_reproduces_every_field(
    journal: Journal, made: Path, tmp_path: Path
) -> None:
    other = Settings.from_env(journal=tmp_path / "elsewhere")
    restored, code, report = backup.restore_new(other, PASSPHRASE, backup.read(made, PASSPHRASE))
    assert report.entries_added == 3 and report.milestones_added == 1 and report.counters_added == 1
    assert everything(restored) == everything(journal)
    assert restored.stages.personal().corrections == 1
    restored.close()
    Journal.unlock_with_recovery_code(other, code).close()


def test_restoring_twice_adds_nothing(journal: Journal, made: Path) -> None:
    before = everything(journal)
    report = backup.merge(journal, backup.read(made, PASSPHRASE))
    assert not report.changed and report.entries_unchanged == 3
    assert everything(journal) == before


def test_merge_adds_new_keeps_local_and_never_deletes(journal: Journal, made: Path, tmp_path: Path) -> None:
    other = Settings.from_env(journal=tmp_path / "laptop")
    laptop, _, _ = backup.restore_new(other, PASSPHRASE, backup.read(made, PASSPHRASE))
    laptop.write("Written on the laptop only.")
    journal.write("Written on the desktop only.")
    laptop.edit(
        3, EntryChanges(text="Signed up for pottery, held my boundary, and went again.")
    )  # a newer version
    laptop.edit(1, EntryChanges(text="Laptop words for entry one."))
    journal.edit(1, EntryChanges(text="Desktop words for entry one."))  # changed differently on both sides
    target = tmp_path / "laptop.rjbackup"
    backup.create(laptop, target, PASSPHRASE, WEAK)
    report = backup.merge(journal, backup.read(target, PASSPHRASE))
    texts = [e.text for e in journal.entries().entries]
    assert "Written on the desktop only." in texts and "Written on the laptop only." in texts
    assert report.entries_added == 1 and report.entries_updated == 1 and report.conflicts == [1]
    assert journal.entry(3).text.endswith("went again.")
    entry, history = journal.history(1)
    assert entry.text == "Desktop words for entry one."
    assert "Laptop words for entry one." in [r.text for r in history]
    assert not backup.merge(journal, backup.read(target, PASSPHRASE)).changed, "idempotent"


def test_an_edit_made_on_one_side_only_fast_forwards_with_one_history(
    journal: Journal, made: Path, tmp_path: Path
) -> None:
    """Two machines restored from one backup: an edit on the laptop arrives once, and histories converge."""
    laptop, _, _ = backup.restore_new(
        Settings.from_env(journal=tmp_path / "laptop"), PASSPHRASE, backup.read(made, PASSPHRASE)
    )
    desktop, _, _ = backup.restore_new(
        Settings.from_env(journal=tmp_path / "desktop"), PASSPHRASE, backup.read(made, PASSPHRASE)
    )
    before = desktop.entry(2).text
    laptop.edit(2, EntryChanges(text="Edited on the laptop, once."))
    target = tmp_path / "laptop.rjbackup"
    backup.create(laptop, target, PASSPHRASE, WEAK)
    report = backup.merge(desktop, backup.read(target, PASSPHRASE))
    assert report.entries_updated == 1 and report.conflicts == []
    entry, history = desktop.history(2)
    assert entry.text == "Edited on the laptop, once."
    assert [r.text for r in history] == [before], "the old words are kept once, not twice"
    assert [r.uuid for r in history] == [r.uuid for r in laptop.history(2)[1]]


def test_dry_run_changes_nothing(journal: Journal, tmp_path: Path) -> None:
    other = Settings.from_env(journal=tmp_path / "other")
    source, _ = Journal.create(other, PASSPHRASE)
    source.write("Only in the other journal.")
    target = tmp_path / "other.rjbackup"
    backup.create(source, target, PASSPHRASE, WEAK)
    report = backup.merge(journal, backup.read(target, PASSPHRASE), dry_run=True)
    assert report.entries_added == 1 and journal.count() == 0


_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200).filter(
    lambda t: t.strip()
)


@given(
    items=st.lists(
        st.tuples(
            _text,
            st.none() | st.integers(1, 10),
            st.lists(st.sampled_from(["work", "sleep", "family"]), max_size=2),
            st.booleans(),
            st.integers(0, 2000),
            st.lists(_text, max_size=2),
        ),
        min_size=1,
        max_size=6,
    ),
    milestone=st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
    ).filter(lambda t: t.strip()),
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_journal_round_trips_through_a_backup(
    tmp_path_factory: pytest.TempPathFactory,
    items: list,  # type: ignore[type-arg]
    milestone: str,
) -> None:
    root = tmp_path_factory.mktemp("prop")
    source, _ = Journal.create(Settings.from_env(journal=root / "a"), PASSPHRASE)
    for text, mood, tags, tender, days, edits in items:
        entry = source.write(
            text,
            mood=mood,
            tags=tags,
            tender=tender,
            date=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(days=days),
        )
        for edit in edits:
            source.edit(entry.id, EntryChanges(text=edit))
    source.milestones.add(milestone, day=date(2021, 1, 1), kind="first")
    source.counters.start("a counter", date(2021, 1, 1))
    target = root / "b.rjbackup"
    backup.create(source, target, PASSPHRASE, WEAK)
    restored, _, _ = backup.restore_new(
        Settings.from_env(journal=root / "c"), PASSPHRASE, backup.read(target, PASSPHRASE)
    )
    assert everything(restored) == everything(source)
    source.close()
    restored.close()


# --- damage of every kind is refused ------------------------------------------------------------


def _records(raw: bytes, passphrase: str = PASSPHRASE) -> list[dict]:  # type: ignore[type-arg]
    return list(backupfile.read(io.BytesIO(raw), passphrase))


@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_flipped_bit_is_refused(made: Path, position: int, bit: int) -> None:
    raw = bytearray(made.read_bytes())
    raw[position % len(raw)] ^= 1 << bit
    with pytest.raises((Damaged, WrongSecret, NotAJournal, NewerVersion)):
        _records(bytes(raw))


def _big_backup(journal: Journal, tmp_path: Path) -> bytes:
    for n in range(150):
        journal.write(os.urandom(1500).hex() + f" entry {n}")  # barely compressible, so several chunks
    target = tmp_path / "big.rjbackup"
    backup.create(journal, target, PASSPHRASE, WEAK)
    return target.read_bytes()


def _chunk_bounds(raw: bytes) -> tuple[int, int]:
    header_len = int.from_bytes(raw[9:13], "big")
    start = 13 + header_len + 32
    return start, backupfile.CHUNK + backupfile.TAG


def test_truncation_reordering_duplication_and_trailing_bytes(journal: Journal, tmp_path: Path) -> None:
    raw = _big_backup(journal, tmp_path)
    start, size = _chunk_bounds(raw)
    assert len(raw) > start + 2 * size, "the payload spans several chunks"
    chunks = [raw[i : i + size] for i in range(start, len(raw), size)]
    cases = {
        "cut at a chunk boundary": raw[: start + size],
        "cut mid-chunk": raw[: start + size + 100],
        "cut inside the header": raw[: start - 10],
        "chunks swapped": raw[:start] + chunks[1] + chunks[0] + b"".join(chunks[2:]),
        "a chunk duplicated": raw[:start] + chunks[0] + chunks[0] + b"".join(chunks[1:]),
        "trailing bytes": raw + b"extra",
        "trailing chunk": raw + chunks[0],
    }
    for name, damaged in cases.items():
        with pytest.raises(Damaged) as caught:
            _records(damaged)
        assert caught.value.exit_code == ExitCode.DAMAGED, name
    with pytest.raises(Damaged, match="cut short"):
        _records(raw[: start + size])
    with pytest.raises(Damaged, match="added to"):
        _records(raw + b"\x00" * 50)


def test_header_edits_and_wrong_passphrase(made: Path) -> None:
    raw = made.read_bytes()
    with pytest.raises(WrongSecret):
        _records(raw, "not the passphrase")
    assert raw[8] == backupfile.VERSION == 2
    newer = raw[:8] + bytes([backupfile.VERSION + 1]) + raw[9:]
    with pytest.raises(NewerVersion):
        _records(newer)
    with pytest.raises(Damaged):
        _records(raw[:8] + bytes([0]) + raw[9:])
    edited_kdf = (
        raw.replace(b'"t\\":1', b'"t\\":2') if b'"t\\":1' in raw else raw.replace(b'\\"t\\":1', b'\\"t\\":2')
    )
    assert edited_kdf != raw
    with pytest.raises((WrongSecret, Damaged)):
        _records(edited_kdf)


def test_absurd_kdf_parameters_are_refused_before_deriving(
    made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = made.read_bytes()
    header_len = int.from_bytes(raw[9:13], "big")
    header = json.loads(raw[13 : 13 + header_len])
    header["kdf"] = '{"alg":"argon2id","m":4194304,"p":4,"t":3}'
    new_header = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    edited = raw[:9] + len(new_header).to_bytes(4, "big") + new_header + raw[13 + header_len :]

    def never(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("derived a key from absurd parameters")

    monkeypatch.setattr(crypto, "argon2id", never)
    with pytest.raises(Damaged, match="key settings"):
        _records(edited)


@pytest.mark.parametrize(
    "content",
    [b"", os.urandom(3000), b"RJBACK", b"not a backup at all"],
    ids=["zero-byte", "random", "short-magic", "text"],
)
def test_foreign_and_empty_files_are_refused(content: bytes) -> None:
    with pytest.raises((NotAJournal, Damaged)):
        _records(content)


def test_a_file_that_is_no_backup_is_said_before_any_passphrase_is_asked_for(
    cli: Cli, initialised: Ran, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path
) -> None:
    """No passphrase typed (or derived) for a file that was never a backup: with none to be had at all, the
    file is still what is told, for every way of opening it."""
    notes = tmp_path / "notes.md"
    notes.write_text("# Just notes\n\nNothing an import reads.\n")
    monkeypatch.delenv("RECOVERY_JOURNAL_PASSPHRASE")
    fresh = str(tmp_path / "new home")
    for args in (
        ["backup", "verify", str(notes)],
        ["backup", "verify", str(notes), "--recovery-code"],
        ["backup", "restore", str(notes), "--merge"],
        ["--journal", fresh, "backup", "restore", str(notes)],
        ["--journal", fresh, "backup", "restore", str(notes), "--recovery-code"],
    ):
        ran = cli(*args)
        assert ran.exit_code == ExitCode.NOT_A_JOURNAL, (args, ran.stderr)
        assert "isn't a recovery-journal backup" in ran.stderr and "passphrase" not in ran.stderr, args


def test_an_export_given_as_a_backup_is_named_with_the_command_that_takes_it(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    """One of the files an import reads, handed to `backup`: said what it is, and `import ...` named."""
    assert cli("write", input="Words to carry.").exit_code == 0
    for form in ("json", "txt"):
        assert cli("export", "--format", form, "-o", str(tmp_path / f"out.{form}")).exit_code == 0
    day_one = tmp_path / "Journal.json"
    day_one.write_text(json.dumps(DAYONE))
    zipped = tmp_path / "dayone export.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("Journal.json", json.dumps(DAYONE))
    jrnl = FIXTURES / "jrnl"
    for file, what, command in [
        (tmp_path / "out.json", "a recovery-journal JSON export", f"import json {tmp_path / 'out.json'}"),
        (tmp_path / "out.txt", "a recovery-journal text export", "import jrnl"),
        (jrnl / "jrnl-journal.txt", "a jrnl journal", "import jrnl"),
        (jrnl / "jrnl-export.json", "a jrnl export", "import jrnl"),
        (jrnl / "jrnl-export.md", "a jrnl export", "import jrnl"),
        (day_one, "a Day One export", "import dayone"),
        (zipped, "a Day One export", f"import dayone '{zipped}'"),  # quoted, to be pasted as it is
    ]:
        for args in (["restore", "--merge"], ["verify"]):
            ran = cli("backup", *args, str(file))
            assert ran.exit_code == ExitCode.NOT_A_JOURNAL, (file, ran.stderr)
            assert f"That file looks like {what}, not a backup." in ran.stderr, ran.stderr
            assert f"recovery-journal {command}" in ran.stderr and "Nothing was changed" in ran.stderr
    other = tmp_path / "notes.md"
    other.write_text("# Just notes\n\nNothing an import reads.\n")
    ran = cli("backup", "verify", str(other))
    assert ran.exit_code == ExitCode.NOT_A_JOURNAL and "isn't a recovery-journal backup" in ran.stderr
    assert "import" not in ran.stderr


def test_golden_backup_from_version_0_1_stays_readable() -> None:
    incoming = backup.read(FIXTURES / "backup-v1.rjbackup", "fixture passphrase")
    assert incoming.counts() == {"entries": 3, "revisions": 1, "milestones": 1, "counters": 1}
    texts = [e.text for e, _ in incoming.entries]
    assert texts == [
        "Is it me? He says I'm too sensitive.",
        "I cried for the years I lost. Then I slept.",
        "Signed up for pottery and held my boundary.",
    ]
    grief, revisions = incoming.entries[1]
    assert (
        grief.title == "Grief"
        and grief.tender
        and [r.text for r in revisions] == ["I cried for the years I lost."]
    )
    assert incoming.entries[2][0].stage is not None and incoming.entries[2][0].stage.by_writer
    assert incoming.milestones[0].text == "First boundary held" and incoming.counters[0].name == "no contact"


# --- writing safely -----------------------------------------------------------------------------------------


def test_create_refuses_to_overwrite_and_leaves_no_partial_file(journal: Journal, made: Path) -> None:
    before = made.read_bytes()
    with pytest.raises(AlreadyExists):
        backup.create(journal, made, PASSPHRASE, WEAK)
    assert made.read_bytes() == before
    backup.create(journal, made, PASSPHRASE, WEAK, force=True)
    assert [p.name for p in made.parent.iterdir() if ".partial" in p.name] == []
    assert made.stat().st_mode & 0o077 == 0


def test_full_disk_while_writing_leaves_nothing_behind(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.write("words")
    real_write = backupfile.write

    def full_disk(out: object, *args: object, **kwargs: object) -> None:
        real_write(out, *args, **kwargs)  # type: ignore[arg-type]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backupfile, "write", full_disk)
    with pytest.raises(StorageProblem, match="full"):
        backup.create(journal, tmp_path / "b.rjbackup", PASSPHRASE, WEAK)
    assert list(tmp_path.glob("*b.rjbackup*")) == []


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from recovery_journal.portability import backup
    from recovery_journal.storage import queries
    from recovery_journal.journal.service import Journal
    from recovery_journal.settings import Settings

    real = queries.insert_entry
    count = 0

    def insert_then_die(*args, **kwargs):
        global count
        count += 1
        if count == 25:
            os.kill(os.getpid(), signal.SIGKILL)  # a kill -9 in the middle of the restore's transaction
        return real(*args, **kwargs)

    queries.insert_entry = insert_then_die
    with Journal.unlock(Settings.from_env(), sys.argv[2]) as journal:
        backup.merge(journal, backup.read(Path(sys.argv[1]), sys.argv[2]))
    """
)


@pytest.mark.slow
def test_kill_9_during_a_merge_leaves_the_journal_as_it_was(journal: Journal, tmp_path: Path) -> None:
    other = Settings.from_env(journal=tmp_path / "other")
    source, _ = Journal.create(other, PASSPHRASE)
    for n in range(60):
        source.write(f"entry {n} from the other journal")
    target = tmp_path / "other.rjbackup"
    backup.create(source, target, PASSPHRASE, WEAK)
    journal.write("mine")
    before = everything(journal)
    journal.close()
    done = subprocess.run([sys.executable, "-c", KILLER, str(target), PASSPHRASE], env=os.environ.copy())
    assert done.returncode == -signal.SIGKILL
    with Journal.unlock(Settings.from_env(), PASSPHRASE) as reopened:
        assert everything(reopened) == before
        assert reopened.store.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- exports and imports ----------------------------------------------------------------------------------


def test_json_export_round_trips_through_import(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    cli("write", "--tag", "work", "--mood", "4", "--title", "A day", input="Words with ünïcödé and [markup].")
    cli("edit", "1", input="Changed words.")
    cli("milestone", "add", "First boundary held", "--kind", "boundary")
    exported = cli("export", "--format", "json", "-o", str(tmp_path / "out.json"))
    assert exported.exit_code == 0 and "not encrypted" in exported.stderr
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["format"] == "recovery-journal-export" and data["version"] == 1
    assert data["entries"][0]["revisions"][0]["text"] == "Words with ünïcödé and [markup]."
    fresh = tmp_path / "fresh"
    env = {"RECOVERY_JOURNAL_HOME": str(fresh)}
    assert cli("init", env=env).exit_code == 0
    assert cli("import", "json", str(tmp_path / "out.json"), env=env).exit_code == 0
    again = json.loads(cli("export", "--format", "json", env=env).stdout)
    strip = lambda doc: [{k: v for k, v in e.items() if k not in ("id",)} for e in doc["entries"]]  # noqa: E731
    assert strip(again) == strip(data) and again["milestones"] == data["milestones"]
    assert "Nothing new to add" in cli("import", "json", str(tmp_path / "out.json"), env=env).stderr


def test_import_json_reads_the_export_as_it_goes_and_notices_a_change_between_readings(
    cli: Cli, initialised: Ran, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never the whole file at once (a 50,000-entry export took 307 MiB): no whole-file parse, and the
    entries read again, one at a time, by the import itself, from a file that must not have changed."""
    for n in range(5):
        cli("write", "--date", f"2025-02-0{n + 1}", input=f"Entry {n}, exported.")
    assert cli("export", "--format", "json", "-o", str(tmp_path / "out.json")).exit_code == 0
    monkeypatch.setattr(importers, "parse_json", lambda *a: pytest.fail("parsed the whole file"))
    fresh = {"RECOVERY_JOURNAL_HOME": str(tmp_path / "fresh")}
    assert cli("init", env=fresh).exit_code == 0
    ran = cli("import", "json", "--json", str(tmp_path / "out.json"), env=fresh)
    assert ran.exit_code == 0 and json.loads(ran.stdout)["entries_added"] == 5
    read = importers.own_json(tmp_path / "out.json")
    assert len(read.incoming.entries) == 5
    (tmp_path / "out.json").write_text((tmp_path / "out.json").read_text().replace("exported", "changed!"))
    with pytest.raises(InvalidInput, match="changed while it was being imported"):
        list(read.incoming.entries)


def test_markdown_and_text_exports(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    cli("write", "--title", "Morning", "--tag", "sleep", input="Slept through the night.")
    markdown = cli("export").stdout
    assert "## " in markdown and "Morning" in markdown and "Slept through the night." in markdown
    assert "not encrypted" in markdown
    text = cli("export", "--format", "txt").stdout
    assert text.startswith("recovery-journal txt export") and "] Morning\nSlept through the night." in text
    assert cli("export", "--format", "pdf").exit_code == ExitCode.USAGE
    target = tmp_path / "x.md"
    target.write_text("mine")
    assert cli("export", "-o", str(target)).exit_code == ExitCode.ALREADY_EXISTS
    assert target.read_text() == "mine"


JRNL_TEXT = """[2019-01-02 01:26:11 AM] Long shift at work and I am more tired than I expected.
Named a new @trigger today. He twisted my words again and I doubted my memory.

[2019-01-02 09:18 PM] Held my boundary tonight. *
Signed up for the pottery class. @boundaries

2019-01-05 08:00 An old-style jrnl entry without brackets.
"""


def test_import_jrnl_text_and_json(tmp_path: Path, journal: Journal) -> None:
    source = tmp_path / "journal.txt"
    source.write_text(JRNL_TEXT)
    read = importers.jrnl(source)
    entries = [e for e, _ in read.incoming.entries]
    assert [e.date.date() for e in entries] == [date(2019, 1, 2), date(2019, 1, 2), date(2019, 1, 5)]
    assert entries[0].tags == ("trigger",) and entries[1].starred and not entries[0].starred
    assert entries[0].text.startswith("Long shift at work") and "doubted my memory" in entries[0].text
    assert importers.jrnl(source).incoming.entries[0][0].uuid == entries[0].uuid, (
        "the same file gives the same ids"
    )
    report = backup.merge(journal, read.incoming)
    assert report.entries_added == 3
    assert all(e.stage is not None for e in journal.entries().entries), "every imported entry gets a stage"
    assert not backup.merge(journal, importers.jrnl(source).incoming).changed
    exported = tmp_path / "jrnl.json"
    exported.write_text(
        json.dumps(
            {
                "tags": {"@x": 1},
                "entries": [
                    {
                        "title": "A title.",
                        "body": "The body @x.",
                        "date": "2020-05-01",
                        "time": "09:30",
                        "tags": ["@x"],
                        "starred": True,
                    }
                ],
            }
        )
    )
    ((entry, _),) = importers.jrnl(exported).incoming.entries
    assert entry.text == "A title.\nThe body @x." and entry.tags == ("x",) and entry.starred
    encrypted = tmp_path / "enc.txt"
    encrypted.write_bytes(b"gAAAAABh" + os.urandom(64))
    with pytest.raises(Exception, match="encrypted"):
        importers.jrnl(encrypted)


DAYONE = {
    "metadata": {"version": "1.0"},
    "entries": [
        {
            "uuid": "81F0F3CA693F484792F76359E9E2ACE8",
            "creationDate": "2017-12-25T03:04:32Z",
            "timeZone": "Asia/Bangkok",
            "text": "A day in the caf\u00e9\\.\n\n"
            "![](dayone-moment://68D729369ED84A8B91B5D348E4592EFE)\n\nStill here\\!",
            "tags": ["Travel"],
            "starred": True,
        },
        {"uuid": "12F0F3CA693F484792F76359E9E2ACE8", "creationDate": "2018-01-01T10:00:00Z", "text": "   "},
    ],
}


def test_import_day_one_json_and_zip(tmp_path: Path, journal: Journal) -> None:
    plain = tmp_path / "Journal.json"
    plain.write_text(json.dumps(DAYONE))
    read = dayone.read(plain)
    ((entry, _),) = read.incoming.entries
    assert read.skipped_empty == 1
    assert entry.uuid == "81f0f3ca-693f-4847-92f7-6359e9e2ace8"
    assert entry.date.isoformat() == "2017-12-25T10:04:32+07:00"
    assert entry.text == "A day in the café.\n\n[photo]\n\nStill here!"
    assert entry.tags == ("travel", "journal") and entry.starred, "the journal's name is a tag"
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Journal.json", json.dumps(DAYONE))
        z.writestr("photos/x.jpeg", b"\xff\xd8")
    assert dayone.read(archive).incoming.entries[0][0] == entry
    backup.merge(journal, read.incoming)
    assert not backup.merge(journal, dayone.read(archive).incoming).changed


def test_imported_tags_this_journal_cant_hold_as_they_are_are_adapted_not_dropped(tmp_path: Path) -> None:
    source = tmp_path / "Journal.json"
    one = {**DAYONE["entries"][0], "tags": ["Walks", "self care", "100%!"]}  # type: ignore[dict-item]
    source.write_text(json.dumps({"metadata": {}, "entries": [one]}))
    ((entry, _),) = dayone.read(source).incoming.entries
    assert entry.tags == ("walks", "self-care", "100", "journal")


def test_a_bracketed_date_inside_a_jrnl_body_does_not_start_an_entry(tmp_path: Path) -> None:
    source = tmp_path / "journal.txt"
    source.write_text(
        "[2024-03-01 09:00] Planning the move.\n"
        "[2024-03-04] is when I go, and I'm ready.\n\n"
        "[2024-03-02 21:30] Packed the books.\n"
    )
    entries = [e for e, _ in importers.jrnl(source).incoming.entries]
    assert len(entries) == 2
    assert "[2024-03-04] is when I go" in entries[0].text


def test_backup_commands(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    cli("write", input="Words to keep.")
    target = tmp_path / "b.rjbackup"
    made = cli("backup", "create", str(target))
    assert made.exit_code == 0 and "Backed up 1 entry" in made.stderr
    assert cli("backup", "create", str(target)).exit_code == ExitCode.ALREADY_EXISTS
    verified = cli("backup", "verify", str(target), "--json")
    assert json.loads(verified.stdout)["entries"] == 1
    wrong = cli("backup", "verify", str(target), env={"RECOVERY_JOURNAL_PASSPHRASE": "nope"})
    assert wrong.exit_code == ExitCode.WRONG_SECRET
    assert cli("backup", "restore", str(target)).exit_code == ExitCode.ALREADY_EXISTS
    merged = cli("backup", "restore", str(target), "--merge")
    assert merged.exit_code == 0 and "already here" in merged.stderr
    fresh = {"RECOVERY_JOURNAL_HOME": str(tmp_path / "new")}
    restored = cli("backup", "restore", str(target), env=fresh)
    assert restored.exit_code == 0 and "recovery code" in restored.stdout.lower()
    assert "Words to keep." in cli("show", "1", env=fresh).stdout
    other_pass = tmp_path / "pass"
    other_pass.write_text("a different passphrase\n")
    separate = tmp_path / "sep.rjbackup"
    assert cli("backup", "create", str(separate), "--passphrase-file", str(other_pass)).exit_code == 0
    assert cli("backup", "verify", str(separate)).exit_code == ExitCode.WRONG_SECRET
    assert cli("backup", "verify", str(separate), "--passphrase-file", str(other_pass)).exit_code == 0
    damaged = tmp_path / "damaged.rjbackup"
    damaged.write_bytes(target.read_bytes()[:-5])
    doctor = cli("doctor", str(target), str(damaged))
    assert doctor.exit_code == ExitCode.DAMAGED and "b.rjbackup" in doctor.stdout


def test_a_passphrase_change_removes_safety_copies_the_old_passphrase_opens(
    cli: Cli, initialised: Ran, isolated: Path, tmp_path: Path
) -> None:
    cli("write", input="One.")
    target = tmp_path / "b.rjbackup"
    assert cli("backup", "create", str(target)).exit_code == 0
    cli("delete", "1", "--yes")
    assert cli("backup", "restore", str(target), "--merge").exit_code == 0
    assert list((isolated / "snapshots").glob("*.db"))
    changed = cli("passwd", env={"RECOVERY_JOURNAL_NEW_PASSPHRASE": "a brand new passphrase"})
    assert changed.exit_code == 0, changed.stderr
    assert "safety copy" in changed.stderr and "removed" in changed.stderr
    assert list((isolated / "snapshots").glob("*")) == []


def test_a_backup_is_never_protected_by_an_empty_passphrase(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-passphrase"
    empty.write_text("   \n")
    target = tmp_path / "b.rjbackup"
    ran = cli("backup", "create", str(target), "--passphrase-file", str(empty))
    assert ran.exit_code == ExitCode.PASSPHRASE_PROBLEM and not target.exists()
    assert "empty passphrase" in ran.stderr


def test_a_backup_onto_a_read_only_disk_is_a_calm_storage_error(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setattr(Path, "unlink", refuse)  # even the clean-up is refused on such a disk
    with pytest.raises(StorageProblem, match="read-only"):
        backup.create(journal, tmp_path / "b.rjbackup", PASSPHRASE, journal.settings.kdf)


def test_moving_from_jrnl_is_one_command_even_with_no_journal_yet(
    cli: Cli, tmp_path: Path, isolated: Path
) -> None:
    source = tmp_path / "journal.txt"
    source.write_text(JRNL_TEXT)
    moved = cli("import", "jrnl", str(source), env={"RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE})
    assert moved.exit_code == 0, moved.stderr
    assert (isolated / "journal.db").exists() and "recovery code" in (moved.stdout + moved.stderr).lower()
    assert len(json.loads(cli("list", "--json").stdout)["entries"]) == 3


@pytest.mark.parametrize("failure", ["storage", "interrupted"])
def test_an_import_that_fails_into_a_new_journal_takes_that_empty_journal_away(
    cli: Cli, tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    source = tmp_path / "journal.txt"
    source.write_text(JRNL_TEXT)
    env = {"RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE}
    real_merge = backup.merge

    def failing(journal: Journal, *args: Any, **kwargs: Any) -> object:
        real_merge(journal, *args, **kwargs)  # all of it, in its one transaction...
        if failure == "storage":  # ...which then fails to commit (a full disk)
            raise StorageProblem("The journal couldn't be saved: the disk is full.", hint="Free some space.")
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(backup, "merge", lambda journal, *a, **k: _rolled_back(journal, failing, *a, **k))
        ran = cli("import", "jrnl", str(source), env=env)
    if failure == "storage":
        assert ran.exit_code == ExitCode.STORAGE, ran.stderr
        assert "Nothing was imported, and the journal made for it was taken away again." in ran.stderr
    else:
        assert ran.exit_code == ExitCode.INTERRUPTED and "Stopped." in ran.stderr
    assert "Traceback" not in ran.stderr and "recovery code:" not in ran.stdout.lower()
    assert not (isolated / "journal.db").exists()
    assert not [p for p in isolated.iterdir() if p.name.startswith("journal.db")]
    again = cli("import", "jrnl", str(source), env=env)  # the same command works as if never tried
    assert again.exit_code == 0, again.stderr
    assert len(json.loads(cli("list", "--json").stdout)["entries"]) == 3


def _rolled_back(journal: Journal, merge: Callable[..., object], *args: Any, **kwargs: Any) -> object:
    """`merge` inside a write transaction that is rolled back when it raises, as a failed commit would be."""
    with journal.store.write():
        return merge(journal, *args, **kwargs)


def test_a_failed_import_keeps_a_journal_that_holds_entries(cli: Cli, initialised: Ran) -> None:
    assert cli("write", input="Already here.").exit_code == 0
    settings = Settings.from_env(Path(os.environ["RECOVERY_JOURNAL_HOME"]))
    journal = Journal.unlock(settings, PASSPHRASE)
    assert journal.withdraw() is False  # it holds an entry: never taken away
    assert settings.paths.db.exists()
    assert cli("list", "--json").exit_code == 0


def _one(**fields: object) -> dict[str, object]:
    """An exported entry, with some fields changed (None leaves one out)."""
    entry = {"uuid": str(uuidlib.uuid4()), "date": "2024-01-01T09:00:00+00:00", "text": "Words.", **fields}
    return {k: v for k, v in entry.items() if v is not None}


@pytest.mark.parametrize(
    ("document", "code", "words"),
    [
        ({"entries": ["x"]}, ExitCode.INVALID_INPUT, "list of objects"),
        ({"entries": [_one(text=None)]}, ExitCode.INVALID_INPUT, "missing 'text'"),
        ({"entries": [_one(mood=42)]}, ExitCode.INVALID_INPUT, "Mood is a number"),
        ({"version": 99, "entries": []}, ExitCode.NEWER_VERSION, "newer"),
    ],
)
def test_import_json_names_what_is_wrong_in_words(
    cli: Cli, initialised: Ran, tmp_path: Path, document: dict[str, object], code: ExitCode, words: str
) -> None:
    source = tmp_path / "export.json"
    source.write_text(json.dumps({"format": "recovery-journal-export", "version": 1, **document}))
    ran = cli("import", "json", str(source))
    assert ran.exit_code == code, ran.stderr
    assert words in ran.stderr and "Error" not in ran.stderr and "Traceback" not in ran.stderr


def test_an_import_error_never_quotes_the_persons_own_words(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    source = tmp_path / "export.json"
    entry = _one(tags=["what he did to me in march!"])
    source.write_text(json.dumps({"format": "recovery-journal-export", "version": 1, "entries": [entry]}))
    ran = cli("import", "json", str(source))
    assert ran.exit_code == ExitCode.INVALID_INPUT and "a tag" in ran.stderr
    assert "march" not in ran.stderr + ran.stdout


def test_import_of_a_file_that_isnt_utf8_is_an_encoding_error(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    source = tmp_path / "export.json"
    source.write_bytes(b'{"format": "caf\xe9"}')
    assert cli("import", "json", str(source)).exit_code == ExitCode.INVALID_ENCODING


# --- the recovery code opens backups (format 2) -------------------------------------------------------------


def _new_code(journal: Journal) -> str:
    code = journal.access.new_recovery_code()
    journal.recovery_code_shown()
    return code


def _header_of(raw: bytes) -> tuple[dict, int]:  # type: ignore[type-arg]
    size = int.from_bytes(raw[9:13], "big")
    return json.loads(raw[13 : 13 + size]), size


def test_the_recovery_code_opens_a_new_backup_and_only_its_own(journal: Journal, tmp_path: Path) -> None:
    fill(journal)
    code = _new_code(journal)
    first = tmp_path / "first.rjbackup"
    assert backup.create(journal, first, PASSPHRASE, WEAK).recovery_code
    by_code = backup.read(first, backupfile.RecoveryCode(code.lower().replace("-", " ")))
    assert by_code.counts() == backup.read(first, PASSPHRASE).counts()
    assert [e.text for e, _ in by_code.entries] == [e.text for e in journal.entries().entries]
    newer_code = _new_code(journal)
    second = tmp_path / "second.rjbackup"
    backup.create(journal, second, PASSPHRASE, WEAK)
    assert backup.read(first, backupfile.RecoveryCode(code)).counts() == by_code.counts(), "kept its code"
    with pytest.raises(WrongSecret, match="doesn't open this backup"):
        backup.read(second, backupfile.RecoveryCode(code))
    with pytest.raises(WrongSecret, match="doesn't open this backup"):
        backup.read(first, backupfile.RecoveryCode(newer_code))
    assert backup.read(second, backupfile.RecoveryCode(newer_code)).counts() == by_code.counts()


def test_a_backup_never_carries_a_key_that_opens_the_journal(journal: Journal, tmp_path: Path) -> None:
    """The slot holds the backup's own key, sealed to the code's public key: not the journal's data key."""
    code = _new_code(journal)
    made = tmp_path / "b.rjbackup"
    backup.create(journal, made, PASSPHRASE, WEAK)
    header, _ = _header_of(made.read_bytes())
    slot = bytes.fromhex(header["recovery"])
    private, _public = crypto.recovery_backup_keypair(crypto.parse_recovery_code(code))
    sealed = slot[16:]
    opened = crypto.open_sealed_to(
        private,
        sealed,
        crypto.SEP.join(
            [b"recovery-journal/v2/backup-recovery", header["kdf"].encode(), header["salt"].encode()]
        ),
        info=b"recovery-journal/v2/backup-recovery",
    )
    assert len(opened) == 32 and opened != journal.keys.data_key
    assert journal.keys.data_key.hex() not in made.read_bytes().hex()


def test_a_tampered_recovery_slot_is_named(journal: Journal, tmp_path: Path) -> None:
    fill(journal)
    code = _new_code(journal)
    made = tmp_path / "b.rjbackup"
    backup.create(journal, made, PASSPHRASE, WEAK)
    raw = made.read_bytes()
    header, size = _header_of(raw)
    slot = bytearray.fromhex(header["recovery"])
    slot[-5] ^= 0x01  # inside the sealed file key
    header["recovery"] = slot.hex()
    new_header = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    assert len(new_header) == size
    tampered = tmp_path / "tampered.rjbackup"
    tampered.write_bytes(raw[:13] + new_header + raw[13 + size :])
    with pytest.raises(Damaged, match="recovery-code slot was changed"):
        backup.read(tampered, backupfile.RecoveryCode(code))
    with pytest.raises(Damaged, match="header was changed"):  # the passphrase still notices the edit
        backup.read(tampered, PASSPHRASE)


def _with_header(raw: bytes, header: dict, version: int | None = None) -> bytes:  # type: ignore[type-arg]
    """The backup with another header (and version byte), its length field set to match."""
    _, size = _header_of(raw)
    new = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    start = raw[:8] + bytes([raw[8] if version is None else version])
    return start + len(new).to_bytes(4, "big") + new + raw[13 + size :]


def _backup_with_header(
    journal: Journal, tmp_path: Path, change: Callable[[dict[str, Any]], object], version: int | None = None
) -> Path:
    """A new backup of `journal` whose header `change` has altered (and its version byte, if given)."""
    made = tmp_path / "b.rjbackup"
    backup.create(journal, made, PASSPHRASE, WEAK)
    raw = made.read_bytes()
    header, _ = _header_of(raw)
    change(header)
    altered = tmp_path / "altered.rjbackup"
    altered.write_bytes(_with_header(raw, header, version))
    return altered


@pytest.mark.parametrize("how", ["downgraded", "nulled"])
def test_a_removed_recovery_slot_is_said_to_be_possibly_removed(
    journal: Journal, tmp_path: Path, how: str
) -> None:
    code = _new_code(journal)

    def strip(header: dict[str, Any]) -> None:
        if how == "downgraded":
            del header["recovery"]
        else:
            header["recovery"] = None

    changed = _backup_with_header(journal, tmp_path, strip, 1 if how == "downgraded" else None)
    with pytest.raises(PassphraseProblem, match="no recovery-code slot") as caught:
        backup.read(changed, backupfile.RecoveryCode(code))
    assert "or its slot was removed" in caught.value.message


@pytest.mark.parametrize("slot", ["", "00" * 10, "00" * 60])
def test_an_empty_or_cut_recovery_slot_is_damaged_not_the_wrong_code(
    journal: Journal, tmp_path: Path, slot: str
) -> None:
    code = _new_code(journal)
    cut = _backup_with_header(journal, tmp_path, lambda header: header.update(recovery=slot))
    with pytest.raises(Damaged, match="recovery-code slot"):
        backup.read(cut, backupfile.RecoveryCode(code))


def test_a_version_1_backup_still_opens_by_passphrase_and_says_the_code_cant(
    cli: Cli, initialised: Ran
) -> None:
    old = FIXTURES / "backup-v1.rjbackup"
    assert old.read_bytes()[8] == 1
    assert backup.read(old, "fixture passphrase").counts()["entries"] == 3
    with pytest.raises(PassphraseProblem, match="no recovery-code slot"):
        backup.read(old, backupfile.RecoveryCode("0000-0000-0000-0000-0000-0000-0000-0000"))
    verified = cli("backup", "verify", str(old), env={"RECOVERY_JOURNAL_PASSPHRASE": "fixture passphrase"})
    assert verified.exit_code == 0 and "3 entries" in verified.stderr
    by_code = cli(
        "backup",
        "verify",
        str(old),
        "--recovery-code",
        env={"RECOVERY_JOURNAL_RECOVERY_CODE": "0000-0000-0000-0000-0000-0000-0000-0000"},
    )
    assert (
        by_code.exit_code == ExitCode.PASSPHRASE_PROBLEM and "only its passphrase opens it" in by_code.stderr
    )


def test_verify_and_restore_with_the_recovery_code(cli: Cli, isolated: Path, tmp_path: Path) -> None:
    made = cli("init")
    code = made.stdout.split("recovery code: ")[1].split()[0]
    assert cli("write", input="Kept through a lost passphrase.").exit_code == 0
    target = tmp_path / "b.rjbackup"
    created = cli("backup", "create", str(target))
    assert created.exit_code == 0 and "or your recovery code" in created.stderr
    by_code = {"RECOVERY_JOURNAL_RECOVERY_CODE": code}
    verified = cli("backup", "verify", str(target), "--recovery-code", "--json", env=by_code)
    assert verified.exit_code == 0 and json.loads(verified.stdout)["entries"] == 1
    typo = code[:16] + ("7" if code[16] != "7" else "8") + code[17:]  # inside group 4
    mistyped = cli(
        "backup", "verify", str(target), "--recovery-code", env={"RECOVERY_JOURNAL_RECOVERY_CODE": typo}
    )
    assert mistyped.exit_code == ExitCode.WRONG_SECRET and names_group(mistyped.stderr, 4)
    both = cli("backup", "verify", str(target), "--recovery-code", "--passphrase-file", str(target))
    assert both.exit_code == ExitCode.USAGE
    elsewhere = tmp_path / "elsewhere"
    restored = cli(
        "--journal",
        str(elsewhere),
        "backup",
        "restore",
        str(target),
        "--recovery-code",
        env={**by_code, "RECOVERY_JOURNAL_NEW_PASSPHRASE": "chosen after the loss"},
    )
    assert restored.exit_code == 0, restored.stderr
    assert "opens with the passphrase you just chose" in restored.stderr
    listed = cli(
        "--journal",
        str(elsewhere),
        "list",
        "--json",
        env={"RECOVERY_JOURNAL_PASSPHRASE": "chosen after the loss"},
    )
    assert [e["text"] for e in json.loads(listed.stdout)["entries"]] == ["Kept through a lost passphrase."]
    merged = cli("backup", "restore", str(target), "--merge", "--recovery-code", "--dry-run", env=by_code)
    assert merged.exit_code == 0, merged.stderr


def test_a_journal_whose_code_is_older_than_backup_slots_says_how_to_get_one(
    cli: Cli, tmp_path: Path
) -> None:
    old = tmp_path / "old"
    shutil.copytree(FIXTURES / "journal-v1", old)
    fixture_pass = {"RECOVERY_JOURNAL_PASSPHRASE": "fixture passphrase"}
    target = tmp_path / "b.rjbackup"
    created = cli("--journal", str(old), "backup", "create", str(target), env=fixture_pass)
    assert created.exit_code == 0, created.stderr
    assert "passphrase only" in created.stderr and "passwd --new-recovery-code" in created.stderr
    header, _ = _header_of(target.read_bytes())
    assert header["recovery"] is None
    fresh = cli("--journal", str(old), "passwd", "--new-recovery-code", env=fixture_pass)
    code = fresh.stdout.split("recovery code: ")[1].split()[0]
    again = tmp_path / "again.rjbackup"
    assert (
        "or your recovery code"
        in cli("--journal", str(old), "backup", "create", str(again), env=fixture_pass).stderr
    )
    assert backup.read(again, backupfile.RecoveryCode(code)).counts()["entries"] == 3


# --- one key derivation per passphrase and salt (issue 14: Argon2id holds 64 MiB while it runs) ------------


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The salts Argon2id is run with from now on, in order."""
    salts: list[bytes] = []
    real = crypto.argon2id

    def counted(password: bytes, salt: bytes, params: crypto.Argon2Params) -> bytes:
        salts.append(salt)
        return real(password, salt, params)

    monkeypatch.setattr(crypto, "argon2id", counted)
    return salts


def test_a_backup_is_written_and_checked_with_one_derivation(
    journal: Journal, tmp_path: Path, derivations: list[bytes]
) -> None:
    fill(journal)
    target = tmp_path / "b.rjbackup"
    summary = backup.create(journal, target, PASSPHRASE, WEAK)
    assert len(derivations) == 1 and summary.entries == 3
    assert derivations[0].hex() in target.read_bytes()[:4096].decode(errors="replace")  # the file's own salt
    derivations.clear()
    # a passphrase still opens it
    assert backup.read(target, PASSPHRASE, keep="counts").counts()["entries"] == 3
    assert len(derivations) == 1


def test_a_backup_read_again_and_again_derives_its_key_once(
    journal: Journal, made: Path, tmp_path: Path, derivations: list[bytes]
) -> None:
    incoming = backup.read(made, PASSPHRASE, keep="reread")
    first = [entry.uuid for entry, _ in incoming.entries]
    assert [entry.uuid for entry, _ in incoming.entries] == first and len(first) == 3
    assert len(derivations) == 1
    report = backup.merge(journal, incoming, dry_run=True)
    assert report.entries_unchanged == 3 and len(derivations) == 1
    other = Settings.from_env(journal=tmp_path / "elsewhere")
    restored, _, added = backup.restore_new(other, PASSPHRASE, backup.read(made, PASSPHRASE, keep="reread"))
    assert added.entries_added == 3
    assert len(derivations) == 3  # this read's, and the new journal's own salt: never the backup's again
    assert len(set(derivations)) == 2
    assert everything(restored) == everything(journal)
    restored.close()


def test_a_kept_file_key_opens_only_the_file_it_came_from(
    journal: Journal, made: Path, tmp_path: Path
) -> None:
    kept: list[backupfile.FileKey] = []
    with made.open("rb") as handle:
        opened = list(backupfile.read(handle, PASSPHRASE, kept.append))
    assert len(kept) == 1
    with made.open("rb") as handle:
        assert list(backupfile.read(handle, kept[0])) == opened
    other = tmp_path / "other.rjbackup"
    backup.create(journal, other, PASSPHRASE, WEAK)
    with other.open("rb") as handle, pytest.raises(Damaged, match="changed while it was being read"):
        list(backupfile.read(handle, kept[0]))
    derived = backupfile.derive(PASSPHRASE, WEAK)
    with made.open("rb") as handle, pytest.raises(WrongSecret):
        list(backupfile.read(handle, derived))


def test_day_one_is_read_as_it_goes_and_refuses_what_isnt_an_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never the whole file at once: checked and counted on one reading, brought in on another, from a file
    that must not have changed; what isn't a Day One export is named as such, calmly."""
    monkeypatch.setattr(importers, "parse_json", lambda *a: pytest.fail("parsed the whole file"))
    plain = tmp_path / "Journal.json"
    plain.write_text(json.dumps(DAYONE))
    read = dayone.read(plain)
    assert len(read.incoming.entries) == 1 and read.skipped_empty == 1
    assert [e.uuid for e, _ in read.incoming.entries] == ["81f0f3ca-693f-4847-92f7-6359e9e2ace8"] * 1
    assert read.carried is not None and read.carried.to_json()["fields"]
    plain.write_text(json.dumps(DAYONE) + " ")
    with pytest.raises(InvalidInput, match="changed while it was being imported"):
        list(read.incoming.entries)
    for document in ([1, 2], {"metadata": {}}, {"entries": {"a": 1}}):
        plain.write_text(json.dumps(document))
        with pytest.raises(InvalidInput, match="isn't a Day One export"):
            dayone.read(plain)
    plain.write_text('{"entries": [{"uuid": ')
    with pytest.raises(InvalidInput, match="isn't a JSON file"):
        dayone.read(plain)
    empty = tmp_path / "photos-only.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("photos/x.jpeg", b"\xff\xd8")
    assert len(dayone.read(empty).incoming.entries) == 0
