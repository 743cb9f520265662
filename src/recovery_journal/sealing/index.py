"""The entry index: every entry's date, mood, tags, stage, flags and title, sealed in chunks of 256 numbers,
and beside each chunk a block of the same entries' words (for search).

Listing, tags, search and the overviews open one sealed chunk per 256 entries instead of several fields of
every entry (docs/encryption.md, Entry index). It is never trusted over the rows: its head names the ledger
generation it reflects and the digest of every chunk and word block, and when anything doesn't match, the
rows are read instead and the index is built again from them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from itertools import groupby
from typing import Any

from ..domain.entry import Entry
from ..stages.kinds import Stage
from ..stages.record import StageRecord
from ..storage import queries
from . import codec
from .crypto import NONCE_LEN, TAG_LEN, FieldCipher, InvalidCiphertext, canonical_json, field_ad
from .words import WordBlock, decode_block, encode_block

FORMAT = 1  # a chunk's leading byte
HEAD_FORMAT = 2  # the head's "format": 2 names the word blocks too
CHUNK = 256  # entry numbers per chunk: a save re-seals one chunk, not the whole index (bench/README.md)
HEAD = 0  # the row holding the head; chunk n (1, 2, ...) holds the entries numbered CHUNK*(n-1)+1 .. CHUNK*n
SUMMARY_FIELDS = ("date", "title", "tags", "mood", "stage", "flags")

# An entry's flags, one bit each.
TENDER, STARRED, BY_WRITER, UNCERTAIN = 1, 2, 4, 8

_NO_MOOD = -(2**63)
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH.replace(tzinfo=timezone.utc)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_DAY = 86400
_ZONES: dict[int, timezone] = {0: timezone.utc}

# One entry's summary: id, epoch seconds, UTC offset seconds, mood, stage, confidence, bits, tags, title.
Record = tuple[int, int, int, int | None, Stage | None, float, int, tuple[str, ...], str]


def chunk_of(entry_id: int) -> int:
    """The chunk holding an entry number."""
    return (entry_id - 1) // CHUNK + 1


def chunk_span(number: int) -> tuple[int, int]:
    """The first and last entry numbers chunk `number` holds."""
    return CHUNK * (number - 1) + 1, CHUNK * number


def _zone(offset: int) -> timezone:
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(timedelta(seconds=offset))
    return zone


class Summaries:
    """Every readable entry's summary, in columns (position i is one entry), in order of entry number.

    Tags and titles are decoded the first time they are asked for: a plain listing never needs them.
    """

    def __init__(self, *, from_index: bool = False) -> None:
        self.ids: list[int] = []
        self.epochs: list[int] = []  # the entry's moment, seconds since 1970 (UTC)
        self.offsets: list[int] = []  # the UTC offset it is written in, seconds
        self.moods: list[int | None] = []
        self.stages: list[Stage | None] = []
        self.confidences: list[float] = []
        self.bits: list[int] = []
        self.unreadable: list[int] = []  # entries whose summarised fields don't open
        self.from_index = from_index  # False: read from the rows, because the index couldn't be used
        self._tags: list[tuple[str, ...]] = []
        self._titles: list[str] = []
        self._words: list[tuple[bytes, int]] = []  # chunks' undecoded tags and titles, and how many entries

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def tags(self) -> list[tuple[str, ...]]:
        self._decode_words()
        return self._tags

    @property
    def titles(self) -> list[str]:
        self._decode_words()
        return self._titles

    def _decode_words(self) -> None:
        for raw, n in self._words:
            words = json.loads(raw)  # sealed and checked with the chunk it came in
            self._tags += map(tuple, words["tags"])
            self._titles += words["titles"]
            if len(words["tags"]) != n or len(words["titles"]) != n:
                raise ValueError("entry index columns differ in length")
        self._words = []

    def when(self, i: int) -> datetime:
        """Entry i's date, in the offset it was written in."""
        offset = self.offsets[i]
        zone = _ZONES.get(offset) or _zone(offset)
        try:
            return datetime.fromtimestamp(self.epochs[i], zone)
        except (OverflowError, OSError, ValueError):  # near year 1 or 9999, where the platform gives up
            return (_EPOCH + timedelta(seconds=self.epochs[i] + offset)).replace(tzinfo=zone)

    def moments(self) -> list[datetime]:
        """Every entry's date, as when() gives them, made in one go (the overviews want them all)."""
        make = datetime.fromtimestamp
        try:
            return [
                make(t, _ZONES.get(o) or _zone(o)) for t, o in zip(self.epochs, self.offsets, strict=True)
            ]
        except (OverflowError, OSError, ValueError):
            return [self.when(i) for i in range(len(self.ids))]

    def in_date_order(self, positions: Iterable[int] | None = None) -> list[int]:
        """Positions (all, or those given in ascending order) sorted by date, then by entry number."""
        # Positions follow entry numbers, and a sort by date alone keeps their order among equal dates.
        return sorted(range(len(self.ids)) if positions is None else positions, key=self.epochs.__getitem__)

    def day_number(self, i: int) -> int:
        """Entry i's calendar day where it was written, as a proleptic Gregorian ordinal."""
        return (self.epochs[i] + self.offsets[i]) // _DAY + _EPOCH_ORDINAL

    def day(self, i: int) -> date:
        return date.fromordinal(self.day_number(i))

    def tender(self, i: int) -> bool:
        return bool(self.bits[i] & TENDER)

    def starred(self, i: int) -> bool:
        return bool(self.bits[i] & STARRED)

    def records(self) -> Iterator[Record]:
        columns = (self.ids, self.epochs, self.offsets, self.moods, self.stages, self.confidences)
        yield from zip(*columns, self.bits, self.tags, self.titles, strict=True)

    def add(self, record: Record) -> None:
        self._decode_words()
        self.ids.append(record[0])
        self.epochs.append(record[1])
        self.offsets.append(record[2])
        self.moods.append(record[3])
        self.stages.append(record[4])
        self.confidences.append(record[5])
        self.bits.append(record[6])
        self._tags.append(record[7])
        self._titles.append(record[8])


def same_summaries(a: Summaries, b: Summaries) -> bool:
    """Whether two readings hold exactly the same summaries and the same unreadable entries."""
    return sorted(a.unreadable) == sorted(b.unreadable) and list(a.records()) == list(b.records())


# --- one chunk's bytes --------------------------------------------------------------------------------------

_COLUMNS = (("q", 8), ("q", 8), ("i", 4), ("q", 8), ("B", 1), ("d", 8), ("B", 1))


def encode_chunk(records: list[Record], unreadable: Iterable[int]) -> bytes:
    """A chunk's plaintext: fixed-size columns, the unreadable, then JSON for the words (encryption.md)."""
    n = len(records)
    names = [s.value for s in Stage]
    bad = sorted(unreadable)
    stage_names = canonical_json(names).encode("utf-8")
    words = canonical_json({"tags": [list(r[7]) for r in records], "titles": [r[8] for r in records]})
    return b"".join(
        (
            struct.pack("<BI", FORMAT, n),
            struct.pack(f"<{n}q", *[r[0] for r in records]),
            struct.pack(f"<{n}q", *[r[1] for r in records]),
            struct.pack(f"<{n}i", *[r[2] for r in records]),
            struct.pack(f"<{n}q", *[_NO_MOOD if r[3] is None else r[3] for r in records]),
            struct.pack(f"<{n}B", *[0 if r[4] is None else names.index(r[4].value) + 1 for r in records]),
            struct.pack(f"<{n}d", *[r[5] for r in records]),
            struct.pack(f"<{n}B", *[r[6] for r in records]),
            struct.pack(f"<I{len(bad)}q", len(bad), *bad),
            struct.pack("<I", len(stage_names)),
            stage_names,
            words.encode("utf-8"),
        )
    )


def decode_chunk(raw: bytes, number: int, into: Summaries) -> None:
    """Append a chunk's summaries to `into`; ValueError when it isn't a well-formed chunk `number`."""
    try:
        version, n = struct.unpack_from("<BI", raw)
        if version != FORMAT:
            raise ValueError("unknown entry index format")
        at = 5
        columns: list[tuple[Any, ...]] = []
        for code, size in _COLUMNS:
            columns.append(struct.unpack_from(f"<{n}{code}", raw, at))
            at += n * size
        (count,) = struct.unpack_from("<I", raw, at)
        unreadable = struct.unpack_from(f"<{count}q", raw, at + 4)
        at += 4 + 8 * count
        (size,) = struct.unpack_from("<I", raw, at)
        names = [None, *(Stage(name) for name in json.loads(raw[at + 4 : at + 4 + size]))]
        words = raw[at + 4 + size :]
        ids = columns[0]
        every = sorted((*ids, *unreadable))
        if every and (chunk_of(every[0]) != number or chunk_of(every[-1]) != number):
            raise ValueError("an entry outside its chunk")
        if list(ids) != sorted(ids) or len(set(every)) != len(every):
            raise ValueError("entries out of order")
        stages = [names[code] for code in columns[4]]
    except (struct.error, KeyError, TypeError, IndexError, UnicodeDecodeError) as exc:
        raise ValueError("not an entry index chunk") from exc
    into.ids += ids
    into.epochs += columns[1]
    into.offsets += columns[2]
    into.moods += [None if m == _NO_MOOD else m for m in columns[3]]
    into.stages += stages
    into.confidences += columns[5]
    into.bits += columns[6]
    into.unreadable += unreadable
    into._words.append((words, n))


def _digest(sealed: bytes) -> str:
    """Which sealing this is: its nonce and tag, hashed. Only the key holder makes a sealed value that opens,
    each with a fresh random nonce, so nonce and tag name one sealing, without hashing every byte of it."""
    return hashlib.sha256(sealed[: 1 + NONCE_LEN] + sealed[-TAG_LEN:]).hexdigest()


@dataclass
class Head:
    """What the index head names: each chunk's digest and each word block's, by number."""

    chunks: dict[int, str]
    words: dict[int, str]


def _record(entry_id: int, opened: list[Any]) -> Record:
    """One entry's summary from its fields as they open: date, title, tags, mood, the stage or None (stage,
    confidence, by the writer, uncertain), flags."""
    when, title, tags, mood, record, (tender, starred) = opened
    offset = when.utcoffset()
    bits = TENDER * tender | STARRED * starred
    stage, confidence = None, 0.0
    if record is not None:
        stage, confidence, by_writer, uncertain = record
        bits |= BY_WRITER * by_writer | UNCERTAIN * uncertain
    seconds = (when - _EPOCH_UTC) // timedelta(seconds=1)
    return entry_id, seconds, int(offset.total_seconds()), mood, stage, confidence, bits, tags, title


# --- the index of one journal -------------------------------------------------------------------------------


class EntryIndex:
    """The entry index of one journal, sealed with its record key."""

    def __init__(self, cipher: FieldCipher, journal_id: str) -> None:
        self.cipher = cipher
        self._journal_id = journal_id
        # Entries written in the transaction under way, summarised from their own values (note()).
        # Each holds the sealed values it was written with (an import settles every 2,048 entries, so these
        # stay few): a row holding exactly those bytes is the one noted.
        self._noted: dict[int, tuple[tuple[bytes | None, ...], Record, bytes]] = {}

    def _ad(self, row_id: int) -> bytes:
        return field_ad("entry_index", "body", self._journal_id, str(row_id))

    def _words_ad(self, number: int) -> bytes:
        return field_ad("entry_words", "body", self._journal_id, str(number))

    # --- summarising rows -------------------------------------------------------------------------------

    def words_of(self, row: queries.Row) -> bytes | None:
        """An entry row's (id, uuid, ..., text) words as UTF-8; None when they won't open."""
        try:
            return codec.open_words(self.cipher, str(row[1]), row[-1])
        except InvalidCiphertext:
            return None

    def summarise(self, row: queries.Row) -> Record | None:
        """One entry row (id, uuid, *SUMMARY_FIELDS) as a record; None when any of those fields won't open."""
        entry_id, uuid = int(row[0]), str(row[1])
        try:
            fields = zip(SUMMARY_FIELDS, row[2:], strict=True)
            opened = [codec.open_field(self.cipher, uuid, name, value) for name, value in fields]
        except InvalidCiphertext:
            return None
        record: StageRecord | None = opened[4]
        if record is not None:
            guess = record.guess
            opened[4] = (guess.stage, float(guess.confidence), record.by_writer, bool(guess.uncertain))
        return _record(entry_id, opened)

    def note(
        self, entry_id: int, entry: Entry, stage: StageRecord | None, sealed: dict[str, bytes | None]
    ) -> None:
        """Remember an entry just written in this transaction, with `stage` (its own or the one guessed for
        it), and the sealed fields it was written with.

        When the index takes the transaction in, a row still holding exactly those sealed bytes (each has its
        own random nonce, so any later change shows) is summarised from these values, read as the row would
        read back, instead of opening six fields again: a large import opened every field it had just sealed.
        """
        summary = None
        if stage is not None:
            guess = stage.guess  # as its sealed JSON reads back: the confidence to 4 places
            confidence = float(round(guess.confidence, 4))
            summary = (guess.stage, confidence, stage.by_writer, bool(guess.uncertain))
        opened = [
            datetime.fromisoformat(entry.date.isoformat(timespec="seconds")),  # as codec stores it
            entry.title,
            tuple(entry.tags),
            entry.mood,
            summary,
            (bool(entry.tender), bool(entry.starred)),
        ]
        written = tuple(sealed[f] for f in (*SUMMARY_FIELDS, "text"))
        self._noted[entry_id] = (written, _record(entry_id, opened), entry.text.encode("utf-8"))

    def _opened(self, row: queries.Row) -> tuple[Record | None, bytes | None]:
        """summarise() and words_of() of a row (id, uuid, *SUMMARY_FIELDS, text), from note() when the row
        holds just what was noted."""
        noted = self._noted.pop(int(row[0]), None)
        if noted is not None and noted[0] == tuple(row[2:]):
            return noted[1], noted[2]
        return self.summarise(row[:-1]), self.words_of(row)

    def scan(self, con: sqlite3.Connection) -> Summaries:
        """Every entry's summary read from the rows themselves (when the index can't be used)."""
        found = Summaries()
        for row in queries.each_entry(con, SUMMARY_FIELDS):
            record = self.summarise(row)
            if record is None:
                found.unreadable.append(int(row[0]))
            else:
                found.add(record)
        return found

    # --- reading ----------------------------------------------------------------------------------------

    def _head(self, sealed: bytes | None, generation: int | None) -> Head | None:
        """The chunks and word blocks the head names, with their digests, if it reflects `generation`."""
        if sealed is None or generation is None:
            return None
        try:
            head = self.cipher.open_json(sealed, self._ad(HEAD))
            if head["format"] != HEAD_FORMAT or head["chunk"] != CHUNK or head["generation"] != generation:
                return None
            return Head(
                {int(number): str(digest) for number, digest in head["chunks"].items()},
                {int(number): str(digest) for number, digest in head["words"].items()},
            )
        except (InvalidCiphertext, KeyError, TypeError, ValueError, AttributeError):
            return None

    def fresh(self, con: sqlite3.Connection, generation: int | None) -> bool:
        """Whether the head opens and reflects the journal as it is (chunks are checked as they're read)."""
        return self._head(queries.index_row(con, HEAD), generation) is not None

    def load(self, con: sqlite3.Connection, generation: int | None) -> Summaries | None:
        """Every summary, when the index is whole and reflects exactly `generation`; None otherwise."""
        rows = queries.index_rows(con)
        head = self._head(rows.pop(HEAD, None), generation)
        if head is None or set(rows) != set(head.chunks):
            return None
        found = Summaries(from_index=True)
        for number in sorted(head.chunks):
            sealed = rows[number]
            if not hmac.compare_digest(_digest(sealed), head.chunks[number]):
                return None
            try:
                decode_chunk(self.cipher.open(sealed, self._ad(number)), number, found)
            except (InvalidCiphertext, ValueError):
                return None
        return found

    def head(self, con: sqlite3.Connection, generation: int | None) -> Head | None:
        """The chunks and word blocks the head names, when it reflects `generation`; None otherwise."""
        return self._head(queries.index_row(con, HEAD), generation)

    def word_block(self, con: sqlite3.Connection, number: int, digest: str | None) -> WordBlock | None:
        """Word block `number`, if it is there and as sealed (an empty one when the head names none)."""
        sealed = queries.word_block(con, number)
        if digest is None:
            return WordBlock((), (), (), b"", ()) if sealed is None else None
        if sealed is None or not hmac.compare_digest(_digest(sealed), digest):
            return None
        try:
            return decode_block(self.cipher.open(sealed, self._words_ad(number)), *chunk_span(number))
        except (InvalidCiphertext, ValueError):
            return None

    def words_agree(self, con: sqlite3.Connection, generation: int | None) -> bool:
        """Whether every word block opens and holds each entry's words exactly as its text field does.

        Compared a chunk at a time, so `doctor` never holds every entry's words at once.
        """
        head = self.head(con, generation)
        if head is None or set(head.words) != set(head.chunks):
            return False
        seen: set[int] = set()
        by_chunk = groupby(queries.each_entry(con, ("text",)), key=lambda row: chunk_of(int(row[0])))
        for number, rows in by_chunk:
            block = self.word_block(con, number, head.words.get(number))
            if block is None or block.entries() != {int(row[0]): self.words_of(row) for row in rows}:
                return False
            seen.add(number)
        return seen == set(head.words)

    # --- writing (inside the caller's write transaction) ------------------------------------------------

    def _put_head(self, con: sqlite3.Connection, head: Head, generation: int) -> None:
        sealed = {
            "format": HEAD_FORMAT,
            "chunk": CHUNK,
            "generation": generation,
            "chunks": {str(n): d for n, d in sorted(head.chunks.items())},
            "words": {str(n): d for n, d in sorted(head.words.items())},
        }
        queries.put_index_row(con, HEAD, self.cipher.seal_json(sealed, self._ad(HEAD)))

    def _put_words(self, con: sqlite3.Connection, number: int, part: dict[int, bytes | None]) -> str | None:
        """Seal and store one word block (or remove it when empty); its digest, or None when removed."""
        if not part:
            queries.delete_word_block(con, number)
            return None
        sealed = self.cipher.seal(encode_block(part), self._words_ad(number))
        queries.put_word_block(con, number, sealed)
        return _digest(sealed)

    def _put_both(
        self,
        con: sqlite3.Connection,
        head: Head,
        number: int,
        part: dict[int, Record | None],
        words: dict[int, bytes | None],
    ) -> None:
        """Seal chunk `number` and its word block, and note their digests in `head`."""
        for digests, digest in (
            (head.chunks, self._put_chunk(con, number, part)),
            (head.words, self._put_words(con, number, words)),
        ):
            if digest is None:
                digests.pop(number, None)
            else:
                digests[number] = digest

    def _put_chunk(self, con: sqlite3.Connection, number: int, part: dict[int, Record | None]) -> str | None:
        """Seal and store one chunk (or remove it when empty); its digest, or None when removed."""
        if not part:
            queries.delete_index_row(con, number)
            return None
        records = [r for _, r in sorted(part.items()) if r is not None]
        unreadable = [i for i, r in part.items() if r is None]
        sealed = self.cipher.seal(encode_chunk(records, unreadable), self._ad(number))
        queries.put_index_row(con, number, sealed)
        return _digest(sealed)

    def rebuild(self, con: sqlite3.Connection, generation: int) -> None:
        """Write the whole index afresh from the rows, reflecting `generation`."""
        queries.clear_index(con)
        queries.clear_word_blocks(con)
        head = Head({}, {})
        number, part, words = 0, dict[int, Record | None](), dict[int, bytes | None]()
        for row in queries.each_entry(con, (*SUMMARY_FIELDS, "text")):
            entry_id = int(row[0])
            if chunk_of(entry_id) != number and part:
                self._put_both(con, head, number, part, words)
                part, words = {}, {}
            number = chunk_of(entry_id)
            part[entry_id], words[entry_id] = self._opened(row)
        if part:
            self._put_both(con, head, number, part, words)
        self._put_head(con, head, generation)
        self._noted.clear()

    def refresh(
        self, con: sqlite3.Connection, changed: Iterable[int], generation: int | None, upcoming: int | None
    ) -> None:
        """Take in the entries a transaction changed, and name the generation the ledger is about to record.

        `generation` is the ledger's before this transaction, `upcoming` what it will be after. The index is
        built afresh instead when it doesn't reflect `generation`, or a chunk it would change isn't as sealed.
        """
        if upcoming is None:
            self._noted.clear()
            return  # no ledger: nothing to bind the index to, so it stays unused and the rows are read
        head = self._head(queries.index_row(con, HEAD), generation)
        if head is None:
            self.rebuild(con, upcoming)
            return
        by_chunk: dict[int, set[int]] = {}
        for entry_id in changed:
            by_chunk.setdefault(chunk_of(entry_id), set()).add(entry_id)
        for number, ids in sorted(by_chunk.items()):
            part = self._chunk(con, number, head.chunks.get(number))
            block = self.word_block(con, number, head.words.get(number))
            if part is None or block is None:
                self.rebuild(con, upcoming)
                return
            words = block.entries()
            for entry_id in ids:
                part.pop(entry_id, None)
                words.pop(entry_id, None)
            for row in queries.entries_by_id(con, sorted(ids), (*SUMMARY_FIELDS, "text")):
                part[int(row[0])], words[int(row[0])] = self._opened(row)
            self._put_both(con, head, number, part, words)
        self._put_head(con, head, upcoming)
        self._noted.clear()

    def _chunk(
        self, con: sqlite3.Connection, number: int, digest: str | None
    ) -> dict[int, Record | None] | None:
        """One chunk's records by entry number ({} for a chunk not yet made); None if it isn't as sealed."""
        sealed = queries.index_row(con, number)
        if digest is None:
            return {} if sealed is None else None
        if sealed is None or not hmac.compare_digest(_digest(sealed), digest):
            return None
        found = Summaries()
        try:
            decode_chunk(self.cipher.open(sealed, self._ad(number)), number, found)
        except (InvalidCiphertext, ValueError):
            return None
        part: dict[int, Record | None] = {r[0]: r for r in found.records()}
        part.update(dict.fromkeys(found.unreadable))
        return part
