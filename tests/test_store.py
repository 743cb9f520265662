"""The database file: permissions, what is or isn't a journal, migrations, locks, full and read-only disks."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from recovery_journal.errors import (
    AlreadyExists,
    Damaged,
    ExitCode,
    Locked,
    NewerVersion,
    NoJournal,
    NotAJournal,
    StorageProblem,
)
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings
from recovery_journal.storage import files, migrations, models, schema, store

from .conftest import PASSPHRASE, Cli, Ran

FIXTURES = Path(__file__).parent / "fixtures"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_files_are_private_even_under_a_loose_umask(settings: Settings, loose_umask: None) -> None:
    created, _ = Journal.create(settings, PASSPHRASE)
    created.write("words")
    paths = settings.paths
    assert mode(paths.home) == 0o700
    assert mode(paths.db) == 0o600
    sidecars = [p for p in paths.sidecars() if p.exists()]
    assert sidecars, "WAL files exist while the journal is open"
    assert all(mode(p) == 0o600 for p in sidecars)
    created.close()


def test_opening_tightens_loosened_permissions(settings: Settings) -> None:
    Journal.create(settings, PASSPHRASE)[0].close()
    settings.paths.home.chmod(0o755)
    settings.paths.db.chmod(0o644)
    Journal.unlock(settings, PASSPHRASE).close()
    assert (mode(settings.paths.home), mode(settings.paths.db)) == (0o700, 0o600)


def test_no_journal_yet(settings: Settings) -> None:
    with pytest.raises(NoJournal):
        Journal.unlock(settings, PASSPHRASE)
    assert not settings.paths.home.exists(), "looking for a journal creates nothing"


def test_init_refuses_to_replace_a_journal(settings: Settings) -> None:
    Journal.create(settings, PASSPHRASE)[0].close()
    before = settings.paths.db.read_bytes()
    with pytest.raises(AlreadyExists):
        Journal.create(settings, "another")
    assert settings.paths.db.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"just some text, not a database at all" * 10,
        os.urandom(4096),
    ],
    ids=["zero-length", "text", "random"],
)
def test_foreign_files_are_not_a_journal_and_stay_untouched(settings: Settings, content: bytes) -> None:
    settings.paths.home.mkdir(parents=True)
    settings.paths.db.write_bytes(content)
    with pytest.raises(NotAJournal):
        Journal.unlock(settings, PASSPHRASE)
    assert settings.paths.db.read_bytes() == content
    assert not any(p.exists() for p in settings.paths.sidecars())


def test_another_apps_sqlite_database_is_not_a_journal(settings: Settings) -> None:
    settings.paths.home.mkdir(parents=True)
    con = sqlite3.connect(settings.paths.db)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()
    before = settings.paths.db.read_bytes()
    with pytest.raises(NotAJournal):
        Journal.unlock(settings, PASSPHRASE)
    assert settings.paths.db.read_bytes() == before


def _made(settings: Settings, entries: int = 40) -> bytes:
    created, _ = Journal.create(settings, PASSPHRASE)
    for n in range(entries):
        created.write(f"entry number {n} " * 40)
    created.close()
    return settings.paths.db.read_bytes()


@pytest.mark.parametrize("keep", [50, 4096, 0.5], ids=["inside-header", "first-page", "half"])
def test_truncated_journal_is_damaged(settings: Settings, keep: float) -> None:
    raw = _made(settings)
    cut = int(len(raw) * keep) if isinstance(keep, float) else keep
    settings.paths.db.write_bytes(raw[:cut])
    with pytest.raises(Damaged), Journal.unlock(settings, PASSPHRASE) as journal:
        journal.entries()


def test_corrupted_pages_are_damaged(settings: Settings) -> None:
    raw = bytearray(_made(settings))
    raw[4096:8192] = os.urandom(4096)
    settings.paths.db.write_bytes(bytes(raw))
    with pytest.raises((Damaged, NotAJournal)), Journal.unlock(settings, PASSPHRASE) as journal:
        journal.entries()


def test_journal_from_a_newer_version_is_refused_untouched(settings: Settings) -> None:
    Journal.create(settings, PASSPHRASE)[0].close()
    con = sqlite3.connect(settings.paths.db)
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (99, '0099_future')")
    con.commit()
    con.close()
    before = settings.paths.db.read_bytes()
    with pytest.raises(NewerVersion):
        Journal.unlock(settings, PASSPHRASE)
    assert settings.paths.db.read_bytes() == before


def test_blank_database_migrates_to_the_declared_schema(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "blank.db", isolation_level=None)
    applied = migrations.upgrade(con)
    assert applied == [name for name, _ in migrations.MIGRATIONS]
    assert migrations.current_version(con) == migrations.latest_version()
    assert models.schema_differences(con) == []
    assert migrations.upgrade(con) == []  # idempotent


def test_the_schema_doctor_reads_is_the_declared_one() -> None:
    """doctor compares with schema.json (no SQLModel in its process); it must say what models.py declares."""
    regenerate = "run: python -m recovery_journal.storage.schema"
    assert schema.expected_columns() == models.expected_columns(), regenerate


def test_the_schema_digest_is_what_the_migrations_build() -> None:
    regenerate = "run: python -m recovery_journal.storage.migrations"
    assert migrations.schema_digest(migrations.expected_objects()) == migrations.EXPECTED_DIGEST, regenerate


def test_a_journal_with_our_schema_opens_without_rebuilding_it(
    journal: Journal, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.close()

    def rebuilt() -> frozenset[migrations.SchemaObject]:
        raise AssertionError("the schema was rebuilt in memory to compare, though it is exactly ours")

    monkeypatch.setattr(migrations, "expected_objects", rebuilt)
    again = Journal.unlock(settings, PASSPHRASE)
    again.close()


def test_a_schema_changed_outside_is_still_described_exactly(journal: Journal, settings: Settings) -> None:
    journal.close()
    con = sqlite3.connect(settings.paths.db, isolation_level=None)
    con.execute("CREATE INDEX entries_by_mood ON entries(mood)")
    con.close()
    assert migrations.foreign_objects(sqlite3.connect(settings.paths.db)) == [
        "an index named 'entries_by_mood' that recovery-journal didn't make"
    ]


def test_each_migration_is_recorded_by_name(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "blank.db", isolation_level=None)
    migrations.upgrade(con)
    recorded = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert recorded == [(n, name) for n, (name, _) in enumerate(migrations.MIGRATIONS, start=1)]


def test_a_failing_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    con = sqlite3.connect(tmp_path / "blank.db", isolation_level=None)
    migrations.upgrade(con)

    def broken(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("9999_broken", broken)])
    with pytest.raises(RuntimeError):
        migrations.upgrade(con)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    assert migrations.current_version(con) == len(migrations.MIGRATIONS) - 1


def test_journal_made_by_version_0_1_opens_and_upgrades(tmp_path: Path) -> None:
    """A real journal written by the first release (schema 1) still opens, upgraded, every entry intact."""
    home = tmp_path / "old"
    shutil.copytree(FIXTURES / "journal-v1", home)
    old = Settings.from_env(journal=home)
    with Journal.unlock(old, "fixture passphrase") as journal:
        listing = journal.entries()
        _, revisions = journal.history(2)
        assert migrations.current_version(journal.store.con) == migrations.latest_version()
        assert models.schema_differences(journal.store.con) == []
    assert [e.text for e in listing.entries] == [
        "The first entry in the fixture journal.",
        "An entry that was edited once.",
        "A third entry, with a tag and a mood.",
    ]
    assert [r.text for r in revisions] == ["An entry before its edit."]
    assert listing.entries[2].tags == ("fixture",) and listing.entries[2].mood == 6


def test_busy_journal_past_the_timeout_is_locked_and_unchanged(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    Journal.create(settings, PASSPHRASE)[0].close()
    monkeypatch.setenv("RECOVERY_JOURNAL_LOCK_TIMEOUT", "0.2")
    other = sqlite3.connect(settings.paths.db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Journal.unlock(Settings.from_env(), PASSPHRASE) as journal, pytest.raises(Locked):
            journal.write("words")
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Journal.unlock(settings, PASSPHRASE) as journal:
        assert journal.count() == 0


def test_full_disk_is_a_storage_problem_and_changes_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    created, _ = Journal.create(settings, PASSPHRASE)
    created.write("already saved")
    pages = created.store.con.execute("PRAGMA page_count").fetchone()[0]
    created.close()
    # SQLite's own limit on the file's size: writes past it fail exactly as on a full disk (SQLITE_FULL).
    monkeypatch.setattr(store, "_PRAGMAS", (*store._PRAGMAS, f"PRAGMA max_page_count = {pages}"))
    with Journal.unlock(settings, PASSPHRASE) as journal:
        with pytest.raises(StorageProblem, match="full"):
            journal.write("a long entry " * 2000)
        assert [e.text for e in journal.entries().entries] == ["already saved"]


def test_read_only_journal_is_a_storage_problem(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    Journal.create(settings, PASSPHRASE)[0].close()
    monkeypatch.setattr(store, "_PRAGMAS", (*store._PRAGMAS, "PRAGMA query_only = ON"))
    with Journal.unlock(settings, PASSPHRASE) as journal:
        with pytest.raises(StorageProblem, match="read-only"):
            journal.write("words")
        assert journal.count() == 0


def test_interrupted_init_leaves_no_journal(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from recovery_journal.sealing import vault

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(vault, "new_recovery_code", crash)
    with pytest.raises(KeyboardInterrupt):
        Journal.create(settings, PASSPHRASE)
    assert not settings.paths.db.exists()
    assert list(settings.paths.home.iterdir()) == []


def test_sealed_sizes_do_not_tell_tender_or_corrected_entries_apart(journal: Journal) -> None:
    """Someone with the file can't pick out the painful entries, or the ones whose stage was corrected."""
    from recovery_journal.stages import Stage

    plain = journal.write("The grief came in waves today and I cried in the car.")
    tender = journal.write("The grief came in waves today and I cried in the car.", tender=True)
    corrected = journal.write("Signed up for the choir and held my boundary with him, so proud of myself.")
    journal.stages.set(corrected.id, Stage.ACCEPTANCE)
    sizes = dict(
        (row[0], row[1:])
        for row in journal.store.con.execute("SELECT id, length(flags), length(stage) FROM entries")
    )
    assert sizes[plain.id][0] == sizes[tender.id][0]
    assert sizes[plain.id][1] == sizes[tender.id][1] == sizes[corrected.id][1]


def test_a_read_only_journal_can_still_be_read(
    cli: Cli, initialised: Ran, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journal on a read-only backup drive (or a folder not yours to change) opens for reading."""
    cli("write", input="Words kept on an old drive.")
    cli("write", input="More words.")
    before = {p.name: p.read_bytes() for p in isolated.iterdir() if p.is_file()}
    monkeypatch.setattr(store, "writable", lambda paths: False)
    listed = cli("list")
    assert listed.exit_code == 0, listed.stderr
    assert "Words kept on an old drive." in listed.stdout
    assert cli("search", "drive").exit_code == 0
    assert cli("timeline").exit_code == 0
    refused = cli("write", input="New words.")
    assert refused.exit_code == ExitCode.STORAGE and "read-only" in refused.stderr
    assert "draft" in refused.stderr or "Nothing" in refused.stderr
    after = {p.name: p.read_bytes() for p in isolated.iterdir() if p.is_file()}
    assert after == before, "reading a read-only journal changes no file"


def test_files_a_killed_restore_or_backup_left_are_swept_next_time(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above the usual pid range: no such process
    leftovers = [tmp_path / f".journal.db.new-{dead}-abcd", tmp_path / f".journal.db.new-{dead}-abcd-wal"]
    running = tmp_path / f".journal.db.new-{os.getpid()}-beef"
    for path in [*leftovers, running]:
        path.write_bytes(b"encrypted, unfinished")
    files.sweep_unfinished(tmp_path, ".journal.db.new-")
    assert not any(p.exists() for p in leftovers)
    assert running.exists(), "a file another live process is still writing is left alone"


def _nearly_full_disk(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """os.write as on a nearly full disk: a short write while room lasts, then ENOSPC."""
    import errno

    real_write = os.write
    left = {"room": room}

    def write(fd: int, data: bytes) -> int:
        if left["room"] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[: left["room"]]))
        left["room"] -= n
        return n

    monkeypatch.setattr(os, "write", write)


def test_a_draft_that_does_not_fit_is_not_reported_as_kept(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short write must fail loudly: the caller then keeps the plain editor file instead of deleting it."""
    with monkeypatch.context() as patched:  # undo() would also lift the journal-home isolation
        _nearly_full_disk(patched, room=200)
        with pytest.raises(StorageProblem, match="full"):
            journal.drafts.keep("Words that must not be lost. " * 100, reason="test")
    assert journal.drafts.all().drafts == [] and journal.drafts.all().unreadable == []


def test_an_export_that_does_not_fit_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with monkeypatch.context() as patched:
        _nearly_full_disk(patched, room=100)
        with pytest.raises(StorageProblem, match="full"):
            files.write_private(folder / "export.json", b"x" * 10_000)
    assert list(folder.iterdir()) == []
