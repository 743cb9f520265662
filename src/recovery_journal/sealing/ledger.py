"""The integrity ledger: a keyed digest of every row, and their sealed sum (encryption.md, Integrity ledger).

It shows what sealed fields alone can't: a record removed, put back, rolled back, renumbered or NULLed.
"""

from __future__ import annotations

import hmac
import sqlite3
import struct
from dataclasses import dataclass, field
from functools import lru_cache

from ..storage import queries
from . import crypto

DIGEST_LEN = 32
_ZERO = bytes(DIGEST_LEN)
SETTLE_BATCH = 400  # rows read in one query when settling: under SQLite's oldest limit of 999 values a query


@dataclass(frozen=True)
class Findings:
    """What a full check of the ledger found; `present` is False for a journal without one."""

    present: bool = True
    changed: list[tuple[str, int]] = field(default_factory=list)  # digest differs from the ledger's
    unknown: list[tuple[str, int]] = field(default_factory=list)  # a row the ledger doesn't know
    missing: list[tuple[str, int]] = field(default_factory=list)  # a ledger entry whose row is gone
    sum_ok: bool = True  # the ledger's digests still add up to the sealed sum
    seal_ok: bool = True

    @property
    def clean(self) -> bool:
        return (
            self.present
            and not (self.changed or self.unknown or self.missing)
            and self.sum_ok
            and self.seal_ok
        )


class Ledger:
    """The ledger of one journal, under the ledger key its data key gives."""

    def __init__(self, data_key: bytes, journal_id: str) -> None:
        self._key = crypto.ledger_key(data_key)
        self._journal_id = journal_id.encode("utf-8")

    def digest(self, table: str, row: queries.Row) -> bytes:
        """The keyed digest of one row: (rowid, every column in table order)."""
        parts = [_head(table), _ROWID(int(row[0]))]
        parts += map(_value, row[1:])
        return crypto.hmac_sha256(self._key, b"".join(parts))

    def seal(self, generation: int, total: bytes) -> bytes:
        message = b"rj1-integrity\x1f" + self._journal_id + b"\x1f" + struct.pack(">q", generation) + total
        return crypto.hmac_sha256(self._key, message)

    def establish(self, con: sqlite3.Connection) -> None:
        """(Re)write the whole ledger from the rows as they are, inside the caller's transaction."""
        found = queries.integrity(con)
        generation = 0 if found is None else found[0] + 1
        queries.clear_ledger(con)
        total = _ZERO
        for table in queries.LEDGER_TABLES:
            for row in queries.table_rows(con, table):
                digest = self.digest(table, row)
                queries.put_ledger(con, table, int(row[0]), digest)
                total = _xor(total, digest)
        queries.put_integrity(con, generation, total, self.seal(generation, total))
        queries.forget_touched(con)

    def holds(self, con: sqlite3.Connection) -> bool:
        """Whether there is a ledger and its sum still verifies against its seal (settle takes changes in)."""
        found = queries.integrity(con)
        return found is not None and hmac.compare_digest(found[2], self.seal(found[0], found[1]))

    def settle(self, con: sqlite3.Connection, touched: list[tuple[str, int]]) -> None:
        """Bring the ledger up to date with the rows a transaction touched; one more generation.

        A sum whose seal doesn't verify is left alone, never re-sealed: that would hide what changed it.
        """
        found = queries.integrity(con)
        if found is None or not touched:
            return
        generation, total, seal = found
        if not hmac.compare_digest(seal, self.seal(generation, total)):
            return
        # A few hundred rows at a time (an import settles thousands): their recorded digests and the rows as
        # they are now, each read in one query, and the new digests written in one statement.
        by_table: dict[str, list[int]] = {}
        for table, rowid in touched:
            by_table.setdefault(table, []).append(rowid)
        for table, rowids in by_table.items():
            for at in range(0, len(rowids), SETTLE_BATCH):
                some = rowids[at : at + SETTLE_BATCH]
                recorded = queries.ledger_digests_of(con, table, some)
                rows = queries.table_rows_of(con, table, some)
                digests: list[tuple[int, bytes]] = []
                for rowid in some:
                    old = recorded.get(rowid)
                    if old is not None:
                        total = _xor(total, old)
                    row = rows.get(rowid)
                    if row is not None:
                        digest = self.digest(table, row)
                        digests.append((rowid, digest))
                        total = _xor(total, digest)
                queries.delete_ledgers(con, table, [r for r in some if r not in rows])
                queries.put_ledgers(con, table, digests)
        queries.put_integrity(con, generation + 1, total, self.seal(generation + 1, total))

    def row_intact(self, con: sqlite3.Connection, table: str, rowid: int) -> bool:
        """Whether one row is as the ledger last recorded it (True for a journal without a ledger)."""
        if queries.integrity(con) is None:
            return True
        row = queries.table_row(con, table, rowid)
        noted = queries.ledger_digest(con, table, rowid)
        if row is None or noted is None:
            return row is None and noted is None
        return hmac.compare_digest(noted, self.digest(table, row))

    def verify(self, con: sqlite3.Connection) -> Findings:
        """Recompute every digest and check the ledger, its sum and the seal."""
        found = queries.integrity(con)
        if found is None:
            return Findings(present=False)
        generation, total, seal = found
        noted = {(t, r): d for t, r, d in queries.ledger_entries(con)}
        changed, unknown, seen = [], [], set()
        for table in queries.LEDGER_TABLES:
            for row in queries.table_rows(con, table):
                key = (table, int(row[0]))
                seen.add(key)
                if key not in noted:
                    unknown.append(key)
                elif not hmac.compare_digest(noted[key], self.digest(table, row)):
                    changed.append(key)
        missing = sorted(set(noted) - seen)
        recomputed = _ZERO
        for digest in noted.values():
            recomputed = _xor(recomputed, digest)
        return Findings(
            changed=changed,
            unknown=unknown,
            missing=missing,
            sum_ok=hmac.compare_digest(recomputed, total),
            seal_ok=hmac.compare_digest(seal, self.seal(generation, total)),
        )

    @staticmethod
    def generation(con: sqlite3.Connection) -> int | None:
        found = queries.integrity(con)
        return None if found is None else found[0]

    def upcoming(self, con: sqlite3.Connection) -> int | None:
        """The generation settle() will record for a transaction that changed something (None: no ledger)."""
        found = queries.integrity(con)
        if found is None:
            return None
        generation, total, seal = found
        return generation + 1 if hmac.compare_digest(seal, self.seal(generation, total)) else generation

    @staticmethod
    def establishing(con: sqlite3.Connection) -> int:
        """The generation establish() will record."""
        found = queries.integrity(con)
        return 0 if found is None else found[0] + 1


@lru_cache(maxsize=16)
def _head(table: str) -> bytes:
    return b"rj1-ledger\x1f" + table.encode("utf-8") + b"\x1f"


_ROWID = struct.Struct(">q").pack
_LENGTH = struct.Struct(">I").pack


def _value(value: object) -> bytes:
    if value.__class__ is bytes:  # a sealed field, as most columns are: asked about first
        return b"\x03" + _LENGTH(len(value)) + value
    if value is None:
        return b"\x00"
    if isinstance(value, bool | int):
        return b"\x01" + struct.pack(">q", int(value))
    if isinstance(value, float):
        return b"\x04" + struct.pack(">d", value)
    if isinstance(value, str):
        raw = value.encode("utf-8", "surrogatepass")
        return b"\x02" + struct.pack(">I", len(raw)) + raw
    blob: bytes = bytes(value)  # type: ignore[call-overload]
    return b"\x03" + struct.pack(">I", len(blob)) + blob


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(DIGEST_LEN, "big")
