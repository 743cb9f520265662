"""The journal's schema, declared with SQLModel: what migrations.py builds, row by row.

The everyday commands read and write through store.py and queries.py with the standard library's sqlite3,
because importing SQLModel (and pydantic and SQLAlchemy behind it) costs more than everything else a command
does after unlocking. This declaration is the readable reference for the tables; the test suite compares real
journals' schemas with it, and `doctor` with schema.json (this declaration written down, checked by a test),
so the migrations and this file cannot drift apart silently.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Integer, LargeBinary, String
from sqlmodel import Field, SQLModel

from .schema import differences


class Meta(SQLModel, table=True):
    """Plaintext facts about the file: format name, format version, the journal's random id."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class SchemaMigration(SQLModel, table=True):
    """One applied migration, by number and name."""

    __tablename__ = "schema_migrations"
    version: int = Field(primary_key=True)
    name: str


class KeySlot(SQLModel, table=True):
    """The data key wrapped under a key derived from a passphrase or a recovery code."""

    __tablename__ = "key_slots"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(unique=True)
    kdf: str
    salt: bytes
    wrapped: bytes


class EntryRow(SQLModel, table=True):
    """An entry: a short number and a UUID in the clear, every other field sealed."""

    __tablename__ = "entries"
    __table_args__ = {"sqlite_autoincrement": True}
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    date: bytes
    created: bytes
    updated: bytes
    title: bytes
    text: bytes
    tags: bytes
    mood: bytes
    stage: bytes | None = None  # sealed StageRecord; empty only until the journal is next opened
    flags: bytes | None = (
        None  # sealed {"tender": bool, "starred": bool}; empty means none, until next opened
    )


class MilestoneRow(SQLModel, table=True):
    """A milestone: every field sealed."""

    __tablename__ = "milestones"
    __table_args__ = {"sqlite_autoincrement": True}
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    date: bytes
    kind: bytes
    text: bytes
    note: bytes
    created: bytes


class CounterRow(SQLModel, table=True):
    """A counter of days since something: its name and its runs, sealed."""

    __tablename__ = "counters"
    __table_args__ = {"sqlite_autoincrement": True}
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    name: bytes
    state: bytes


class PersonalModelRow(SQLModel, table=True):
    """The writer's personal stage model, learned from their corrections, sealed as one value."""

    __tablename__ = "personal_model"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str
    model: bytes


class CareRow(SQLModel, table=True):
    """The person's safety plan and what the gentle check remembers (when it last offered), both sealed."""

    __tablename__ = "care"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str
    plan: bytes | None = None
    state: bytes | None = None


class EntryPromptRow(SQLModel, table=True):
    """The prompt an entry was written to, sealed; its id is the entry's, and it goes when the entry goes."""

    __tablename__ = "entry_prompts"
    id: int | None = Field(default=None, primary_key=True, foreign_key="entries.id", ondelete="CASCADE")
    uuid: str
    prompt: bytes


class RevisionRow(SQLModel, table=True):
    """An earlier version of an entry, sealed as one snapshot."""

    __tablename__ = "revisions"
    __table_args__ = {"sqlite_autoincrement": True}
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    entry_id: int = Field(foreign_key="entries.id", index=True, ondelete="CASCADE")
    snapshot: bytes


class EntryIndexRow(SQLModel, table=True):
    """The sealed entry index (docs/encryption.md): row 0 its head, row n the summaries of ids in chunk n."""

    __tablename__ = "entry_index"
    id: int | None = Field(default=None, primary_key=True)
    body: bytes


class EntryWordsRow(SQLModel, table=True):
    """The entry index's word blocks (docs/encryption.md): row n the sealed words of the ids in chunk n."""

    __tablename__ = "entry_words"
    id: int | None = Field(default=None, primary_key=True)
    body: bytes


class LedgerRow(SQLModel, table=True):
    """The integrity ledger: one keyed digest per row of the covered tables (docs/encryption.md)."""

    __tablename__ = "ledger"
    tbl: str = Field(primary_key=True)
    rid: int = Field(primary_key=True)
    digest: bytes


class IntegrityRow(SQLModel, table=True):
    """The ledger's sum, the generation counter, and the seal over both."""

    __tablename__ = "integrity"
    id: int | None = Field(default=None, primary_key=True)
    generation: int
    digest: bytes
    seal: bytes


def _affinity(column_type: object) -> str:
    column_type = getattr(column_type, "impl_instance", column_type)  # SQLModel's AutoString wraps String
    for kind, name in ((Integer, "INTEGER"), (LargeBinary, "BLOB"), (String, "TEXT")):
        if isinstance(column_type, kind):
            return name
    raise TypeError(f"no SQLite type for {column_type!r}")


def expected_columns() -> dict[str, dict[str, tuple[str, bool]]]:
    """table -> column -> (SQLite type, nullable), as declared above."""
    tables: dict[str, dict[str, tuple[str, bool]]] = {}
    for table in SQLModel.metadata.sorted_tables:
        tables[table.name] = {
            column.name: (_affinity(column.type), bool(column.nullable) and not column.primary_key)
            for column in table.columns
        }
    return tables


def schema_differences(con: sqlite3.Connection) -> list[str]:
    """How the database's tables differ from this declaration (schema.differences with the live models)."""
    return differences(con, expected_columns())
