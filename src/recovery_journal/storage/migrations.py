"""Ordered, named schema migrations, each applied in its own transaction and recorded in the journal.

Add a migration by appending a function to MIGRATIONS; never edit or reorder one that has shipped.
models.py declares the schema these produce, and a test keeps the two in step.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable

Migration = Callable[[sqlite3.Connection], None]


class NewerSchema(Exception):
    """The journal records migrations this version does not know."""


def m0001_initial(con: sqlite3.Connection) -> None:
    """Meta, key slots, entries and their revisions: everything sealed except ids."""
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
    con.execute(
        "CREATE TABLE key_slots ("
        " id INTEGER PRIMARY KEY,"
        " kind TEXT NOT NULL UNIQUE,"
        " kdf TEXT NOT NULL,"
        " salt BLOB NOT NULL,"
        " wrapped BLOB NOT NULL)"
    )
    con.execute(
        "CREATE TABLE entries ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " uuid TEXT NOT NULL UNIQUE,"
        " date BLOB NOT NULL,"
        " created BLOB NOT NULL,"
        " updated BLOB NOT NULL,"
        " title BLOB NOT NULL,"
        " text BLOB NOT NULL,"
        " tags BLOB NOT NULL,"
        " mood BLOB NOT NULL)"
    )
    con.execute(
        "CREATE TABLE revisions ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " uuid TEXT NOT NULL UNIQUE,"
        " entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
        " snapshot BLOB NOT NULL)"
    )
    con.execute("CREATE INDEX revisions_entry_id ON revisions(entry_id)")


def m0002_stages(con: sqlite3.Connection) -> None:
    """A sealed stage per entry (filled in when the journal next opens) and the writer's personal model."""
    con.execute("ALTER TABLE entries ADD COLUMN stage BLOB")
    con.execute(
        "CREATE TABLE personal_model"
        " (id INTEGER PRIMARY KEY CHECK (id = 1), uuid TEXT NOT NULL, model BLOB NOT NULL)"
    )


def m0003_milestones_counters_flags(con: sqlite3.Connection) -> None:
    """Milestones and counters, every field sealed; per-entry flags (tender, starred) as one sealed value."""
    con.execute("ALTER TABLE entries ADD COLUMN flags BLOB")
    con.execute(
        "CREATE TABLE milestones ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " uuid TEXT NOT NULL UNIQUE,"
        " date BLOB NOT NULL,"
        " kind BLOB NOT NULL,"
        " text BLOB NOT NULL,"
        " note BLOB NOT NULL,"
        " created BLOB NOT NULL)"
    )
    con.execute(
        "CREATE TABLE counters ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " uuid TEXT NOT NULL UNIQUE,"
        " name BLOB NOT NULL,"
        " state BLOB NOT NULL)"
    )


def m0004_integrity(con: sqlite3.Connection) -> None:
    """The integrity ledger: a keyed digest per row, and their sealed sum (docs/encryption.md)."""
    con.execute(
        "CREATE TABLE ledger (tbl TEXT NOT NULL, rid INTEGER NOT NULL, digest BLOB NOT NULL,"
        " PRIMARY KEY (tbl, rid)) WITHOUT ROWID"
    )
    con.execute(
        "CREATE TABLE integrity (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL,"
        " digest BLOB NOT NULL, seal BLOB NOT NULL)"
    )


def m0005_care(con: sqlite3.Connection) -> None:
    """The safety plan and the gentle check's memory (one sealed row); the prompt an entry was written to."""
    con.execute(
        "CREATE TABLE care (id INTEGER PRIMARY KEY CHECK (id = 1), uuid TEXT NOT NULL, plan BLOB, state BLOB)"
    )
    con.execute(
        "CREATE TABLE entry_prompts (id INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,"
        " uuid TEXT NOT NULL, prompt BLOB NOT NULL)"
    )


def m0006_entry_index(con: sqlite3.Connection) -> None:
    """The sealed entry index (built when the journal is next unlocked); entries to fill in, found fast."""
    con.execute("CREATE TABLE entry_index (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
    # Only entries from before stages and flags: opening no longer reads every row to find them. It says
    # nothing new: whether those columns are NULL is visible in the rows themselves.
    con.execute("CREATE INDEX entries_unfilled ON entries (id) WHERE stage IS NULL OR flags IS NULL")


def m0007_entry_words(con: sqlite3.Connection) -> None:
    """The entry index's word blocks, for search (built when the journal is next unlocked)."""
    con.execute("CREATE TABLE entry_words (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")


MIGRATIONS: list[tuple[str, Migration]] = [
    ("0001_initial", m0001_initial),
    ("0002_stages", m0002_stages),
    ("0003_milestones_counters_flags", m0003_milestones_counters_flags),
    ("0004_integrity", m0004_integrity),
    ("0005_care", m0005_care),
    ("0006_entry_index", m0006_entry_index),
    ("0007_entry_words", m0007_entry_words),
]


# One schema object as SQLite records it: (type, name, table, CREATE statement with spaces collapsed).
SchemaObject = tuple[str, str, str, str]
_KINDS = {"table": "a table", "index": "an index", "trigger": "a trigger", "view": "a view"}
_expected: frozenset[SchemaObject] | None = None


def schema_objects(con: sqlite3.Connection) -> set[SchemaObject]:
    """Every table, index, trigger and view in the file, leaving out SQLite's own (named sqlite_...)."""
    rows = con.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!'"
    )
    return {(str(k), str(n), str(t), " ".join(str(s or "").split())) for k, n, t, s in rows}


def expected_objects() -> frozenset[SchemaObject]:
    """What the migrations build, exactly: they are run once on an empty in-memory database to find out."""
    global _expected
    if _expected is None:
        blank = sqlite3.connect(":memory:", isolation_level=None)
        try:
            upgrade(blank)
            _expected = frozenset(schema_objects(blank))
        finally:
            blank.close()
    return _expected


# schema_digest(expected_objects()): a journal whose schema is exactly ours (nearly always) is known to be so
# without running every migration on an in-memory database (2 ms of each command that opens the journal).
# A test keeps it true; after adding a migration, `python -m recovery_journal.storage.migrations` prints it.
EXPECTED_DIGEST = "4dd8c283551d76d0fdfcffa452c349994cf587bc6fa475cd91357072210c0555"


def schema_digest(objects: Iterable[SchemaObject]) -> str:
    return hashlib.sha256(repr(sorted(objects)).encode()).hexdigest()


def foreign_objects(con: sqlite3.Connection) -> list[str]:
    """How the file's schema differs from what the migrations build, in words; empty when it is exactly ours.

    A trigger or view someone added could make later saves vanish or change, so anything extra counts.
    """
    have = schema_objects(con)
    if schema_digest(have) == EXPECTED_DIGEST:
        return []
    want = expected_objects()  # another SQLite may record the same schema in other words: compare exactly
    ours = {(kind, name) for kind, name, _, _ in want}
    present = {(kind, name) for kind, name, _, _ in have}
    found = []
    for kind, name, _, _ in sorted(have - want):
        what = _KINDS.get(kind, kind)
        if (kind, name) in ours:
            found.append(f"{what} '{name}' changed outside recovery-journal")
        else:
            found.append(f"{what} named '{name}' that recovery-journal didn't make")
    found += [f"{_KINDS.get(k, k)} '{n}' missing" for k, n in sorted(ours - present)]
    return found


def latest_version() -> int:
    return len(MIGRATIONS)


def current_version(con: sqlite3.Connection) -> int | None:
    """The highest applied migration; 0 for a blank database, None when it is some other database."""
    tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return 0
    if "schema_migrations" not in tables:
        return None
    row = con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def upgrade(con: sqlite3.Connection, target: int | None = None) -> list[str]:
    """Apply every pending migration up to `target` (default: all), one transaction each."""
    target = latest_version() if target is None else target
    version = current_version(con)
    if version is None:
        raise sqlite3.DatabaseError("file is not a database")
    if version > latest_version():
        raise NewerSchema(version)
    applied: list[str] = []
    for number, (name, migrate) in enumerate(MIGRATIONS, start=1):
        if number <= version or number > target:
            continue
        con.execute("BEGIN IMMEDIATE")
        try:
            if number == 1:
                con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations"
                    " (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL)"
                )
            # Re-check inside the lock: another process may have migrated while we waited.
            if (current_version(con) or 0) >= number:
                con.execute("ROLLBACK")
                continue
            migrate(con)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (number, name))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


if __name__ == "__main__":  # pragma: no cover - run by hand after adding a migration
    print(f'EXPECTED_DIGEST = "{schema_digest(expected_objects())}"')
