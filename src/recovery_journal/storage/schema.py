"""The declared schema as plain data, so `doctor` can compare a journal with it without importing SQLModel.

`storage/models.py` declares the tables with SQLModel; `schema.json` is what `models.expected_columns()`
gives, written down. Importing SQLModel (pydantic and SQLAlchemy behind it) holds about 42 MiB, which took
`doctor` on a 50,000-entry journal past 100 MiB. A test checks the file against the declaration, so they
can't drift apart; `python -m recovery_journal.storage.schema` writes it again after a schema change.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

SCHEMA_FILE = Path(__file__).with_name("schema.json")
Columns = dict[str, dict[str, tuple[str, bool]]]  # table -> column -> (SQLite type, nullable)


def expected_columns() -> Columns:
    """The declared tables, as models.expected_columns() gives them."""
    raw = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return {
        table: {column: (str(kind), bool(nullable)) for column, (kind, nullable) in columns.items()}
        for table, columns in raw.items()
    }


def actual_columns(con: sqlite3.Connection) -> Columns:
    """table -> column -> (SQLite type, nullable), as the database has them."""
    tables: Columns = {}
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for name in names:
        if name.startswith("sqlite_"):
            continue
        info = con.execute(f'PRAGMA table_info("{name}")').fetchall()
        tables[name] = {row[1]: (str(row[2]).upper(), not row[3] and not row[5]) for row in info}
    return tables


def differences(con: sqlite3.Connection, expected: Columns | None = None) -> list[str]:
    """Plain descriptions of how the database's tables differ from the declared ones; empty if they match."""
    expected, actual = expected or expected_columns(), actual_columns(con)
    problems = [f"table {t} is missing" for t in sorted(set(expected) - set(actual))]
    problems += [f"table {t} is unexpected" for t in sorted(set(actual) - set(expected))]
    for table in sorted(set(expected) & set(actual)):
        want, have = expected[table], actual[table]
        problems += [f"{table}.{c} is missing" for c in sorted(set(want) - set(have))]
        problems += [f"{table}.{c} is unexpected" for c in sorted(set(have) - set(want))]
        problems += [
            f"{table}.{c} is {have[c]}, expected {want[c]}"
            for c in sorted(set(want) & set(have))
            if want[c] != have[c]
        ]
    return problems


def main() -> None:  # pragma: no cover - run by hand after a schema change
    from .models import expected_columns as declared

    SCHEMA_FILE.write_text(json.dumps(declared(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")


if __name__ == "__main__":  # pragma: no cover
    main()
