"""The SQL the journal runs: rows of ids and sealed bytes in, rows out. No keys, no plaintext."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

# Sealed columns of `entries`, in the order rows carry them after (id, uuid).
ENTRY_FIELDS: tuple[str, ...] = (
    "date",
    "created",
    "updated",
    "title",
    "text",
    "tags",
    "mood",
    "stage",
    "flags",
)

Row = tuple[Any, ...]

_CHUNK = 500


def _check_fields(fields: Iterable[str]) -> str:
    names = list(fields)
    unknown = set(names) - set(ENTRY_FIELDS)
    if unknown:  # column names go into SQL text, so only known names may pass
        raise ValueError(f"unknown entry fields: {sorted(unknown)}")
    return ", ".join(names)


def meta(con: sqlite3.Connection) -> dict[str, str]:
    return {str(k): str(v) for k, v in con.execute("SELECT key, value FROM meta")}


def meta_value(con: sqlite3.Connection, key: str) -> str | None:
    """One value of `meta`, without reading the others (the sync state can be large)."""
    row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put_meta(con: sqlite3.Connection, key: str, value: str) -> None:
    # An upsert, not OR REPLACE: REPLACE deletes the old row without telling the ledger's triggers.
    con.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def delete_meta(con: sqlite3.Connection, key: str) -> None:
    con.execute("DELETE FROM meta WHERE key = ?", (key,))


def key_slot(con: sqlite3.Connection, kind: str) -> tuple[str, bytes, bytes] | None:
    row = con.execute("SELECT kdf, salt, wrapped FROM key_slots WHERE kind = ?", (kind,)).fetchone()
    return None if row is None else (str(row[0]), bytes(row[1]), bytes(row[2]))


def put_key_slot(con: sqlite3.Connection, kind: str, kdf: str, salt: bytes, wrapped: bytes) -> None:
    con.execute(
        "INSERT INTO key_slots (kind, kdf, salt, wrapped) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(kind) DO UPDATE SET"
        " kdf = excluded.kdf, salt = excluded.salt, wrapped = excluded.wrapped",
        (kind, kdf, salt, wrapped),
    )


def entry_pages(con: sqlite3.Connection, fields: Sequence[str], size: int = 500) -> Iterator[Row]:
    """(id, uuid, *fields) for every entry in id order, a page at a time (see pages)."""
    return pages(con, "entries", _check_fields(fields).split(", "), size)


def pages(con: sqlite3.Connection, table: str, columns: Sequence[str], size: int = 500) -> Iterator[Row]:
    """(id, uuid, *columns) of every row of a covered table in id order, `size` rows read at a time: never
    the whole table at once (all of 50,000 entries' sealed fields took doctor to 189 MiB), and a page's rows
    may be updated once it has been read."""
    if not all(column.isidentifier() for column in columns):  # names go into SQL text
        raise ValueError(f"not column names: {columns}")
    sql = f"SELECT id, uuid, {', '.join(columns)} FROM {_covered(table)} WHERE id > ? ORDER BY id LIMIT ?"  # noqa: S608
    after = -1
    while True:
        page = con.execute(sql, (after, size)).fetchall()
        yield from page
        if len(page) < size:
            return
        after = int(page[-1][0])


def entries_by_id(
    con: sqlite3.Connection, ids: Sequence[int], fields: Sequence[str] = ENTRY_FIELDS
) -> list[Row]:
    """(id, uuid, *fields) for the given entry ids that exist."""
    columns = _check_fields(fields)
    rows: list[Row] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        rows += con.execute(
            f"SELECT id, uuid, {columns} FROM entries WHERE id IN ({marks})",  # noqa: S608
            chunk,
        ).fetchall()
    return rows


def storable(number: int) -> bool:
    """Whether a number someone typed can be a row id at all (SQLite ids are signed 64-bit)."""
    return 0 < number < 2**63


def entry_by_id(con: sqlite3.Connection, entry_id: int) -> Row | None:
    if not storable(entry_id):
        return None
    rows = entries_by_id(con, [entry_id])
    return rows[0] if rows else None


def insert_entry(
    con: sqlite3.Connection, uuid: str, sealed: dict[str, bytes | None], entry_id: int | None = None
) -> int:
    """Insert an entry; `entry_id` keeps a given number (a restore), otherwise the next one is used."""
    cursor = con.execute(_insert_entry_sql(tuple(sealed)), (entry_id, uuid, *sealed.values()))
    return int(cursor.lastrowid or 0)


@lru_cache(maxsize=16)
def _insert_entry_sql(fields: tuple[str, ...]) -> str:
    """The INSERT for these sealed fields, written once (an import inserts 50,000 rows with the same ones)."""
    marks = ",".join("?" * (len(fields) + 2))
    return f"INSERT INTO entries (id, uuid, {_check_fields(fields)}) VALUES ({marks})"  # noqa: S608


def update_entry(con: sqlite3.Connection, entry_id: int, sealed: dict[str, bytes | None]) -> None:
    _check_fields(sealed)
    assignments = ", ".join(f"{name} = ?" for name in sealed)
    con.execute(f"UPDATE entries SET {assignments} WHERE id = ?", (*sealed.values(), entry_id))  # noqa: S608


def delete_entry(con: sqlite3.Connection, entry_id: int) -> bool:
    if not storable(entry_id):
        return False
    return con.execute("DELETE FROM entries WHERE id = ?", (entry_id,)).rowcount > 0


def revision_counts(con: sqlite3.Connection, ids: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        query = f"SELECT entry_id, COUNT(*) FROM revisions WHERE entry_id IN ({marks}) GROUP BY entry_id"  # noqa: S608
        counts.update({int(e): int(n) for e, n in con.execute(query, chunk)})
    return counts


def revisions_of(con: sqlite3.Connection, entry_id: int) -> list[tuple[int, str, bytes]]:
    rows = con.execute(
        "SELECT id, uuid, snapshot FROM revisions WHERE entry_id = ? ORDER BY id", (entry_id,)
    ).fetchall()
    return [(int(i), str(u), bytes(s)) for i, u, s in rows]


def all_revisions(
    con: sqlite3.Connection, *, after: int = -1, limit: int = -1
) -> Iterator[tuple[int, str, int, str, bytes]]:
    """(revision id, revision uuid, entry id, entry uuid, snapshot) for every revision (numbered above
    `after`, at most `limit` of them; -1: no limit), in revision order."""
    for rid, ruuid, eid, euuid, snap in con.execute(
        "SELECT r.id, r.uuid, r.entry_id, e.uuid, r.snapshot"
        " FROM revisions r JOIN entries e ON e.id = r.entry_id WHERE r.id > ? ORDER BY r.id LIMIT ?",
        (after, limit),
    ):
        yield int(rid), str(ruuid), int(eid), str(euuid), bytes(snap)


def revisions_by_entry(
    con: sqlite3.Connection, ids: Sequence[int]
) -> Iterator[tuple[int, str, int, str, bytes]]:
    """(revision id, revision uuid, entry id, entry uuid, snapshot) for these entries, oldest first."""
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        for rid, ruuid, eid, euuid, snap in con.execute(
            "SELECT r.id, r.uuid, r.entry_id, e.uuid, r.snapshot FROM revisions r"  # noqa: S608
            f" JOIN entries e ON e.id = r.entry_id WHERE r.entry_id IN ({marks}) ORDER BY r.id",
            chunk,
        ):
            yield int(rid), str(ruuid), int(eid), str(euuid), bytes(snap)


def insert_revision(con: sqlite3.Connection, uuid: str, entry_id: int, snapshot: bytes) -> None:
    con.execute(
        "INSERT INTO revisions (uuid, entry_id, snapshot) VALUES (?, ?, ?)", (uuid, entry_id, snapshot)
    )


def update_revision(con: sqlite3.Connection, revision_id: int, snapshot: bytes) -> None:
    con.execute("UPDATE revisions SET snapshot = ? WHERE id = ?", (snapshot, revision_id))


def unfilled_ids(con: sqlite3.Connection) -> list[int]:
    """Entries written before stages and flags existed (filled in when the journal next opens)."""
    return [int(r[0]) for r in con.execute("SELECT id FROM entries WHERE stage IS NULL OR flags IS NULL")]


def personal_model(con: sqlite3.Connection) -> tuple[str, bytes] | None:
    row = con.execute("SELECT uuid, model FROM personal_model WHERE id = 1").fetchone()
    return None if row is None else (str(row[0]), bytes(row[1]))


def put_personal_model(con: sqlite3.Connection, uuid: str, sealed: bytes) -> None:
    con.execute(
        "INSERT INTO personal_model (id, uuid, model) VALUES (1, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET uuid = excluded.uuid, model = excluded.model",
        (uuid, sealed),
    )


def care(con: sqlite3.Connection) -> tuple[str, bytes | None, bytes | None] | None:
    """(uuid, sealed plan, sealed state) of the one care row, if there is one."""
    row = con.execute("SELECT uuid, plan, state FROM care WHERE id = 1").fetchone()
    if row is None:
        return None
    return str(row[0]), _blob(row[1]), _blob(row[2])


def _blob(value: object) -> bytes | None:
    """A sealed value as bytes. Text or a number put there from outside reads as bytes that won't open, so
    it is named as damaged where it is read, never a crash."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else str(value).encode()


def put_care(con: sqlite3.Connection, uuid: str, column: str, sealed: bytes | None) -> None:
    if column not in ("plan", "state"):  # column names go into SQL text, so only known names may pass
        raise ValueError(f"not a care column: {column}")
    con.execute(
        f"INSERT INTO care (id, uuid, {column}) VALUES (1, ?, ?)"  # noqa: S608
        f" ON CONFLICT(id) DO UPDATE SET {column} = excluded.{column}",
        (uuid, sealed),
    )


def entry_prompt(con: sqlite3.Connection, entry_id: int) -> bytes | None:
    row = con.execute("SELECT prompt FROM entry_prompts WHERE id = ?", (entry_id,)).fetchone()
    return None if row is None else bytes(row[0])


def all_entry_prompts(con: sqlite3.Connection) -> list[Row]:
    """(entry id, entry uuid, sealed prompt) for every entry written to a prompt."""
    return con.execute("SELECT id, uuid, prompt FROM entry_prompts").fetchall()


def put_entry_prompt(con: sqlite3.Connection, entry_id: int, uuid: str, sealed: bytes) -> None:
    con.execute(
        "INSERT INTO entry_prompts (id, uuid, prompt) VALUES (?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET uuid = excluded.uuid, prompt = excluded.prompt",
        (entry_id, uuid, sealed),
    )


def latest_entry_ids(con: sqlite3.Connection, count: int) -> list[int]:
    """The ids of the `count` entries written last (numbers follow the order of writing)."""
    return [int(r[0]) for r in con.execute("SELECT id FROM entries ORDER BY id DESC LIMIT ?", (count,))]


def entry_ids_by_uuid(con: sqlite3.Connection) -> dict[str, int]:
    """Every entry's number, by its UUID."""
    return {str(u): int(i) for i, u in con.execute("SELECT id, uuid FROM entries")}


def entry_count(con: sqlite3.Connection) -> int:
    return int(con.execute("SELECT COUNT(*) FROM entries").fetchone()[0])


def each_entry(con: sqlite3.Connection, fields: Sequence[str], since_id: int = 0) -> Iterator[Row]:
    """(id, uuid, *fields) for every entry, in id order, a row at a time (never the whole table at once)."""
    yield from con.execute(
        f"SELECT id, uuid, {_check_fields(fields)} FROM entries WHERE id > ? ORDER BY id",  # noqa: S608
        (since_id,),
    )


def entries_between(con: sqlite3.Connection, first: int, last: int, fields: Sequence[str]) -> list[Row]:
    """(id, uuid, *fields) for the entries numbered first..last."""
    return con.execute(
        f"SELECT id, uuid, {_check_fields(fields)} FROM entries WHERE id BETWEEN ? AND ? ORDER BY id",  # noqa: S608
        (first, last),
    ).fetchall()


# --- the entry index (docs/encryption.md): sealed chunks by number, 0 the head ------------------------------


def index_rows(con: sqlite3.Connection) -> dict[int, bytes]:
    return {int(i): bytes(b) for i, b in con.execute("SELECT id, body FROM entry_index")}


def index_row(con: sqlite3.Connection, row_id: int) -> bytes | None:
    row = con.execute("SELECT body FROM entry_index WHERE id = ?", (row_id,)).fetchone()
    return None if row is None else bytes(row[0])


def put_index_row(con: sqlite3.Connection, row_id: int, body: bytes) -> None:
    # An upsert, so the ledger's guard sees the update (REPLACE would delete without telling it).
    con.execute(
        "INSERT INTO entry_index (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
        (row_id, body),
    )


def delete_index_row(con: sqlite3.Connection, row_id: int) -> None:
    con.execute("DELETE FROM entry_index WHERE id = ?", (row_id,))


def clear_index(con: sqlite3.Connection) -> None:
    con.execute("DELETE FROM entry_index")


# --- the integrity ledger (docs/encryption.md): digests in, digests out ------------------------------------

# --- the entry index's word blocks (docs/encryption.md): sealed, numbered as the index's chunks ------------


def word_block(con: sqlite3.Connection, number: int) -> bytes | None:
    row = con.execute("SELECT body FROM entry_words WHERE id = ?", (number,)).fetchone()
    return None if row is None else bytes(row[0])


def put_word_block(con: sqlite3.Connection, number: int, body: bytes) -> None:
    con.execute(
        "INSERT INTO entry_words (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
        (number, body),
    )


def delete_word_block(con: sqlite3.Connection, number: int) -> None:
    con.execute("DELETE FROM entry_words WHERE id = ?", (number,))


def clear_word_blocks(con: sqlite3.Connection) -> None:
    con.execute("DELETE FROM entry_words")


# Tables whose rows the ledger covers, and nothing else may name a table in the SQL below.
LEDGER_TABLES: tuple[str, ...] = (
    "meta",
    "key_slots",
    "entries",
    "revisions",
    "personal_model",
    "milestones",
    "counters",
    "care",
    "entry_prompts",
    "entry_index",
    "entry_words",
)


# What the guard trigger raises when asked to change a row that isn't as the ledger recorded it.
TAMPERED_MARK = "rj-tampered"


def _covered(table: str) -> str:
    if table not in LEDGER_TABLES:  # table names go into SQL text, so only known names may pass
        raise ValueError(f"not a ledger table: {table}")
    return table


def watch_changes(con: sqlite3.Connection, digest: Callable[..., bytes]) -> None:
    """In this connection only: note every covered row a transaction touches, and guard every update.

    TEMP triggers live in the connection's temporary schema, never in the journal file. The guard refuses
    to change a row that isn't as the ledger recorded it ('rj-tampered'), so an ordinary save can never
    make a change made outside look like its own. `digest(table, rowid, *columns)` is the ledger's.
    """
    con.create_function("rj_digest", -1, digest, deterministic=True)
    # No key and no OR IGNORE: a trigger's conflict clause gives way to the outer statement's, so a
    # duplicate could fail an upsert. Duplicates are harmless here; touched() reads them once.
    con.execute("CREATE TEMP TABLE IF NOT EXISTS rj_touched (tbl TEXT NOT NULL, rid INTEGER NOT NULL)")
    # The guard below asks it about every row it updates: without an index, each ask read every row noted so
    # far, and re-sealing 50,000 entries (a key rotation) took 149 s.
    con.execute("CREATE INDEX IF NOT EXISTS temp.rj_touched_rows ON rj_touched (tbl, rid)")
    for table in LEDGER_TABLES:
        columns = ", ".join(f"OLD.{row[1]}" for row in con.execute(f"PRAGMA main.table_info({table})"))
        note_old = f"INSERT INTO rj_touched VALUES ('{table}', OLD.rowid);"  # noqa: S608
        note_new = f"INSERT INTO rj_touched VALUES ('{table}', NEW.rowid);"  # noqa: S608
        for event, body in (("INSERT", note_new), ("UPDATE", note_old + note_new), ("DELETE", note_old)):
            con.execute(
                f"CREATE TEMP TRIGGER IF NOT EXISTS rj_{table}_{event.lower()} AFTER {event} ON main.{table}"
                f" BEGIN {body} END"
            )
        # A row already changed in this transaction was checked the first time (or is new).
        recorded = f"(SELECT digest FROM main.ledger WHERE tbl = '{table}' AND rid = OLD.rowid)"  # noqa: S608
        fresh = f"EXISTS (SELECT 1 FROM rj_touched WHERE tbl = '{table}' AND rid = OLD.rowid)"  # noqa: S608
        guard = (
            f"CREATE TEMP TRIGGER IF NOT EXISTS rj_{table}_guard BEFORE UPDATE ON main.{table}"  # noqa: S608
            f" WHEN EXISTS (SELECT 1 FROM main.integrity) AND NOT {fresh}"
            f" BEGIN SELECT RAISE(ABORT, '{TAMPERED_MARK}')"
            f" WHERE coalesce({recorded}, x'') != rj_digest('{table}', OLD.rowid, {columns}); END"
        )
        con.execute(guard)


def touched(con: sqlite3.Connection) -> list[tuple[str, int]]:
    """The covered rows changed since the last call, and forget them."""
    try:
        rows = [(str(t), int(r)) for t, r in con.execute("SELECT DISTINCT tbl, rid FROM temp.rj_touched")]
    except sqlite3.OperationalError:  # not watching (no write in this connection yet)
        return []
    con.execute("DELETE FROM temp.rj_touched")
    return rows


def touching(con: sqlite3.Connection, table: str) -> bool:
    """Whether the transaction under way has changed a row of `table` that the ledger hasn't taken in yet."""
    try:
        found = con.execute("SELECT 1 FROM temp.rj_touched WHERE tbl = ? LIMIT 1", (_covered(table),))
        return found.fetchone() is not None
    except sqlite3.OperationalError:  # not watching (no write in this connection yet)
        return False


def forget_touched(con: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.OperationalError):
        con.execute("DELETE FROM temp.rj_touched")


def table_row(con: sqlite3.Connection, table: str, rowid: int) -> Row | None:
    """One covered row as (rowid, every column in table order), or None when it is gone."""
    row: Row | None = con.execute(
        f"SELECT rowid, * FROM {_covered(table)} WHERE rowid = ?",  # noqa: S608
        (rowid,),
    ).fetchone()
    return row


def table_rows(con: sqlite3.Connection, table: str) -> Iterator[Row]:
    yield from con.execute(f"SELECT rowid, * FROM {_covered(table)} ORDER BY rowid")  # noqa: S608


def table_rows_of(con: sqlite3.Connection, table: str, rowids: Sequence[int]) -> dict[int, Row]:
    """These covered rows as table_row gives them, by rowid (those gone are left out)."""
    marks = ",".join("?" * len(rowids))
    found = con.execute(f"SELECT rowid, * FROM {_covered(table)} WHERE rowid IN ({marks})", tuple(rowids))  # noqa: S608
    return {int(row[0]): row for row in found}


def ledger_digests_of(con: sqlite3.Connection, table: str, rowids: Sequence[int]) -> dict[int, bytes]:
    """The ledger's digests of these rows of `table`, by rowid (rows it holds none for are left out)."""
    marks = ",".join("?" * len(rowids))
    found = con.execute(
        f"SELECT rid, digest FROM ledger WHERE tbl = ? AND rid IN ({marks})",  # noqa: S608
        (table, *rowids),
    )
    return {int(rid): bytes(digest) for rid, digest in found}


def ledger_digest(con: sqlite3.Connection, table: str, rowid: int) -> bytes | None:
    row = con.execute("SELECT digest FROM ledger WHERE tbl = ? AND rid = ?", (table, rowid)).fetchone()
    return None if row is None else bytes(row[0])


def ledger_digests(con: sqlite3.Connection, table: str) -> Iterator[tuple[int, bytes]]:
    """(rowid, digest) of every row of `table` the ledger holds."""
    for rowid, digest in con.execute("SELECT rid, digest FROM ledger WHERE tbl = ?", (_covered(table),)):
        yield int(rowid), bytes(digest)


def entry_ledger_digests(con: sqlite3.Connection) -> Iterator[tuple[int, str, bytes | None]]:
    """(number, uuid, the ledger's digest of its row or None) of every entry, opening nothing."""
    rows = con.execute(
        "SELECT e.id, e.uuid, l.digest FROM entries AS e"
        " LEFT JOIN ledger AS l ON l.tbl = 'entries' AND l.rid = e.id"
    )
    for entry_id, entry_uuid, digest in rows:
        yield int(entry_id), str(entry_uuid), None if digest is None else bytes(digest)


def ledger_entries(con: sqlite3.Connection) -> Iterator[tuple[str, int, bytes]]:
    for table, rowid, digest in con.execute("SELECT tbl, rid, digest FROM ledger"):
        yield str(table), int(rowid), bytes(digest)


def put_ledger(con: sqlite3.Connection, table: str, rowid: int, digest: bytes) -> None:
    con.execute("INSERT OR REPLACE INTO ledger (tbl, rid, digest) VALUES (?, ?, ?)", (table, rowid, digest))


def put_ledgers(con: sqlite3.Connection, table: str, digests: Iterable[tuple[int, bytes]]) -> None:
    con.executemany(
        "INSERT OR REPLACE INTO ledger (tbl, rid, digest) VALUES (?, ?, ?)",
        ((table, rowid, digest) for rowid, digest in digests),
    )


def delete_ledgers(con: sqlite3.Connection, table: str, rowids: Iterable[int]) -> None:
    con.executemany("DELETE FROM ledger WHERE tbl = ? AND rid = ?", ((table, rowid) for rowid in rowids))


def clear_ledger(con: sqlite3.Connection) -> None:
    con.execute("DELETE FROM ledger")


def integrity(con: sqlite3.Connection) -> tuple[int, bytes, bytes] | None:
    """(generation, XOR of the ledger's digests, seal), or None when the journal has no ledger yet."""
    row = con.execute("SELECT generation, digest, seal FROM integrity WHERE id = 1").fetchone()
    return None if row is None else (int(row[0]), bytes(row[1]), bytes(row[2]))


def put_integrity(con: sqlite3.Connection, generation: int, digest: bytes, seal: bytes) -> None:
    con.execute(
        "INSERT OR REPLACE INTO integrity (id, generation, digest, seal) VALUES (1, ?, ?, ?)",
        (generation, digest, seal),
    )
