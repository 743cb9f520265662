"""Between opened entries and sealed rows: each field sealed alone, bound to its table, column and row."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from ..domain.entry import Entry, Revision
from ..errors import Tampered
from ..stages.kinds import Stage
from ..stages.record import StageRecord
from ..storage.queries import all_revisions as queries_all_revisions
from ..storage.queries import pages as queries_pages
from .crypto import MIN_PADDED, FieldCipher, InvalidCiphertext, canonical_json, field_ad

# Padded sizes for fields whose length would otherwise say something: how many cues a stage has or whether the
# writer corrected it, and whether an entry is tender (true is one byte shorter than false).
STAGE_PADDED = 768
FLAGS_PADDED = 64
# One size for every prompt (the list is public, so a length could say which it was), and for the gentle
# check's note (its size would say whether the check was ever switched).
PROMPT_PADDED = 512
STATE_PADDED = 128
_PADDED = {
    ("entries", "stage"): STAGE_PADDED,
    ("entries", "flags"): FLAGS_PADDED,
    ("entry_prompts", "prompt"): PROMPT_PADDED,
    ("care", "state"): STATE_PADDED,
}

TAMPERED_HINT = (
    "Every entry is sealed on its own, so the others still open. `recovery-journal doctor` lists every "
    "affected record; a backup holds a good copy."
)

RESEAL_HINT = (
    "Keep a backup of the rest first (`recovery-journal backup create FILE --skip-damaged`), then delete "
    "what is damaged (`recovery-journal doctor` lists it) and try again."
)


def tampered(entry_id: int, what: str = "Entry") -> Tampered:
    return Tampered(
        f"{what} {entry_id} couldn't be opened: it looks damaged (a disk or sync fault can do this), or was "
        "changed outside recovery-journal.",
        hint=TAMPERED_HINT,
    )


_MOMENTS = ("date", "created", "updated")


def _encode(field: str, value: Any) -> bytes:
    if field in _MOMENTS:
        return bytes(value.isoformat(timespec="seconds"), "utf-8")
    if field in ("title", "text"):
        return bytes(value, "utf-8")
    if field == "mood":
        return b"" if value is None else str(value).encode()
    raise ValueError(field)


def entry_values(entry: Entry) -> dict[str, Any]:
    """An entry's sealed columns and their values, as seal_fields takes them."""
    return {
        "date": entry.date,
        "created": entry.created,
        "updated": entry.updated,
        "title": entry.title,
        "text": entry.text,
        "tags": entry.tags,
        "mood": entry.mood,
        "stage": entry.stage,
        "flags": (entry.tender, entry.starred),
    }


# The four ways flags read, as seal_json writes them: worked out once, not for every entry of an import.
_FLAGS_JSON = {
    (tender, starred): canonical_json({"tender": tender, "starred": starred}).encode("utf-8")
    for tender in (False, True)
    for starred in (False, True)
}


@lru_cache(maxsize=256)
def _tags_json(tags: tuple[str, ...]) -> bytes:
    """Tags as seal_json writes them; a journal uses the same few sets again and again."""
    return canonical_json(list(tags)).encode("utf-8")


def seal_fields(cipher: FieldCipher, uuid: str, values: dict[str, Any]) -> dict[str, bytes | None]:
    """Seal the given entry fields of the entry `uuid` (a stage not yet known stays NULL)."""
    sealed: dict[str, bytes | None] = {}
    moment: tuple[Any, bytes] | None = None  # the last date written out: a new entry's three are one
    for name, value in values.items():
        ad = field_ad("entries", name, uuid)
        if name == "stage":
            sealed[name] = None if value is None else cipher.seal_json(value.to_json(), ad, STAGE_PADDED)
        elif name == "flags":
            sealed[name] = cipher.seal(_FLAGS_JSON[bool(value[0]), bool(value[1])], ad, FLAGS_PADDED)
        elif name == "tags":
            sealed[name] = cipher.seal(_tags_json(tuple(value)), ad)
        elif name in _MOMENTS:
            if moment is None or moment[0] is not value:
                moment = (value, _encode(name, value))
            sealed[name] = cipher.seal(moment[1], ad)
        else:
            sealed[name] = cipher.seal(_encode(name, value), ad)
    return sealed


def open_field(cipher: FieldCipher, uuid: str, name: str, sealed: object) -> Any:
    """Open one sealed entry field; InvalidCiphertext if it fails authentication or does not decode."""
    if name == "stage" and sealed is None:
        return None
    if name == "flags" and sealed is None:
        return (False, False)
    if not isinstance(sealed, bytes):
        raise InvalidCiphertext("not a sealed value")
    ad = field_ad("entries", name, uuid)
    if name == "stage":
        try:
            return StageRecord.from_json(cipher.open_json(sealed, ad))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidCiphertext("stage does not decode") from exc
    if name == "flags":
        flags = cipher.open_json(sealed, ad)
        if not isinstance(flags, dict):
            raise InvalidCiphertext("flags are not an object")
        return (bool(flags.get("tender")), bool(flags.get("starred")))
    if name == "tags":
        tags = cipher.open_json(sealed, ad)
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise InvalidCiphertext("tags are not a list of text")
        return tuple(tags)
    raw = cipher.open(sealed, ad)
    try:
        if name in _MOMENTS:
            moment = datetime.fromisoformat(raw.decode("ascii"))
            if moment.tzinfo is None:
                raise ValueError("no offset")
            return moment
        if name in ("title", "text"):
            return raw.decode("utf-8")
        if name == "mood":
            return int(raw) if raw else None
    except ValueError as exc:
        raise InvalidCiphertext(f"{name} does not decode") from exc
    raise ValueError(name)


_TEXT_AD = field_ad("entries", "text")


def open_text(cipher: FieldCipher, uuid: str, sealed: object) -> str:
    """An entry's words, as open_field(..., "text", ...) gives them, with less work per entry (search)."""
    if not isinstance(sealed, bytes):
        raise InvalidCiphertext("not a sealed value")
    try:
        return cipher.open(sealed, _TEXT_AD + uuid.encode()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidCiphertext("text does not decode") from exc


def open_words(cipher: FieldCipher, uuid: str, sealed: object) -> bytes:
    """An entry's words as the UTF-8 its text field holds (the word blocks keep them so)."""
    if not isinstance(sealed, bytes):
        raise InvalidCiphertext("not a sealed value")
    raw = cipher.open(sealed, _TEXT_AD + uuid.encode())
    if not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidCiphertext("text does not decode") from exc
    return raw


def open_stage_brief(cipher: FieldCipher, uuid: str, sealed: object) -> tuple[Stage | None, float]:
    """Just the stage and its confidence, without building the whole record (the overviews' fast path)."""
    if sealed is None:
        return None, 0.0
    if not isinstance(sealed, bytes):
        raise InvalidCiphertext("not a sealed value")
    raw = cipher.open_json(sealed, field_ad("entries", "stage", uuid))
    try:
        guess = raw["guess"]
        return (None if guess["stage"] is None else Stage(guess["stage"])), float(guess["confidence"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidCiphertext("stage does not decode") from exc


def open_entry(cipher: FieldCipher, row: Sequence[Any], fields: Sequence[str], revisions: int = 0) -> Entry:
    """Open a full entry row (id, uuid, *fields); Tampered names the entry if any field fails."""
    entry_id, uuid = int(row[0]), str(row[1])
    try:
        values = {name: open_field(cipher, uuid, name, row[2 + i]) for i, name in enumerate(fields)}
    except InvalidCiphertext:
        raise tampered(entry_id) from None
    tender, starred = values.pop("flags", (False, False))
    return Entry(id=entry_id, uuid=uuid, revisions=revisions, tender=tender, starred=starred, **values)


def seal_prompt(cipher: FieldCipher, entry_uuid: str, prompt: str) -> bytes:
    return cipher.seal(prompt.encode("utf-8"), field_ad("entry_prompts", "prompt", entry_uuid), PROMPT_PADDED)


def open_prompt(cipher: FieldCipher, entry_uuid: str, sealed: bytes) -> str:
    return cipher.open_text(sealed, field_ad("entry_prompts", "prompt", entry_uuid))


def snapshot_ad(revision_uuid: str, entry_uuid: str) -> bytes:
    return field_ad("revisions", "snapshot", revision_uuid, entry_uuid)


def seal_snapshot(cipher: FieldCipher, revision_uuid: str, entry: Entry, replaced: datetime) -> bytes:
    """Seal how an entry looked before a change."""
    snapshot = {
        "date": entry.date.isoformat(timespec="seconds"),
        "title": entry.title,
        "text": entry.text,
        "tags": list(entry.tags),
        "mood": entry.mood,
        "replaced": replaced.isoformat(timespec="seconds"),
    }
    return cipher.seal_json(snapshot, snapshot_ad(revision_uuid, entry.uuid))


def open_snapshot(
    cipher: FieldCipher, number: int, revision_uuid: str, entry_uuid: str, sealed: bytes
) -> Revision:
    """Open an earlier version; InvalidCiphertext if it fails authentication or is malformed."""
    raw = cipher.open_json(sealed, snapshot_ad(revision_uuid, entry_uuid))
    try:
        mood = raw["mood"]
        if mood is not None and not isinstance(mood, int):
            raise TypeError("mood")
        return Revision(
            number=number,
            uuid=revision_uuid,
            replaced=datetime.fromisoformat(raw["replaced"]),
            date=datetime.fromisoformat(raw["date"]),
            title=str(raw["title"]),
            text=str(raw["text"]),
            tags=tuple(str(t) for t in raw["tags"]),
            mood=mood,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidCiphertext("snapshot does not decode") from exc


# Every table whose columns are sealed with ad = (table, column, row uuid); revisions are sealed differently.
SEALED_TABLES: dict[str, tuple[str, ...]] = {
    "entries": ("date", "created", "updated", "title", "text", "tags", "mood", "stage", "flags"),
    "milestones": ("date", "kind", "text", "note", "created"),
    "counters": ("name", "state"),
    "personal_model": ("model",),
    "care": ("plan", "state"),
    "entry_prompts": ("prompt",),
}
# Sealed columns that may be empty (NULL): a stage not yet guessed, flags from before they existed, no plan.
NULLABLE = {("entries", "stage"), ("entries", "flags"), ("care", "plan"), ("care", "state")}


_PAGE = 500  # rows read at a time by _rows and _revisions


def _rows(con: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """(id, uuid, *columns) of every row in id order, a page at a time (queries.pages)."""
    return queries_pages(con, table, columns, _PAGE)


def _revisions(con: sqlite3.Connection) -> Iterator[tuple[int, str, int, str, bytes]]:
    """Every earlier version (as queries.all_revisions gives them), a page at a time, like _rows."""
    after = -1
    while True:
        page = list(queries_all_revisions(con, after=after, limit=_PAGE))
        yield from page
        if len(page) < _PAGE:
            return
        after = page[-1][0]


def reseal_all(con: sqlite3.Connection, old: FieldCipher, new: FieldCipher) -> int:
    """Re-encrypt every sealed value under a new key, inside the caller's transaction; return rows done.

    Raises Tampered (naming the record) if anything fails to open, so the caller's transaction rolls back.
    """
    done = 0
    for table, columns in SEALED_TABLES.items():
        for row in _rows(con, table, columns):
            row_id, row_uuid = int(row[0]), str(row[1])
            values: dict[str, bytes | None] = {}
            for column, sealed in zip(columns, row[2:], strict=True):
                if sealed is None:
                    values[column] = None
                    continue
                ad = field_ad(table, column, row_uuid)
                try:
                    plain = old.open(bytes(sealed), ad)
                    values[column] = new.seal(plain, ad, _PADDED.get((table, column), MIN_PADDED))
                except InvalidCiphertext:
                    raise Tampered(
                        f"{_label(table)} {row_id} couldn't be opened, so nothing was re-encrypted.",
                        hint=RESEAL_HINT,
                    ) from None
            assignments = ", ".join(f"{c} = ?" for c in columns)
            con.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*values.values(), row_id))  # noqa: S608
            done += 1
    for rid, ruuid, eid, euuid, sealed_snapshot in _revisions(con):
        ad = snapshot_ad(ruuid, euuid)
        try:
            raw = old.open(sealed_snapshot, ad)
        except InvalidCiphertext:
            raise Tampered(
                f"An earlier version of entry {eid} couldn't be opened, so nothing was re-encrypted.",
                hint=RESEAL_HINT,
            ) from None
        con.execute("UPDATE revisions SET snapshot = ? WHERE id = ?", (new.seal(raw, ad), rid))
    return done


def unreadable(con: sqlite3.Connection, cipher: FieldCipher) -> dict[str, list[int]]:
    """Every record that fails to open, by table (revisions listed by their entry's number)."""
    bad: dict[str, list[int]] = {}
    for table, columns in SEALED_TABLES.items():
        for row in _rows(con, table, columns):
            for column, sealed in zip(columns, row[2:], strict=True):
                if sealed is None and (table, column) in NULLABLE:
                    continue
                try:
                    if table == "entries":
                        open_field(cipher, str(row[1]), column, sealed)
                    else:
                        cipher.open(bytes(sealed), field_ad(table, column, str(row[1])))
                except (InvalidCiphertext, TypeError):
                    bad.setdefault(table, []).append(int(row[0]))
                    break
    for _rid, ruuid, eid, euuid, sealed_snapshot in queries_all_revisions(con):
        try:
            open_snapshot(cipher, 0, ruuid, euuid, sealed_snapshot)
        except InvalidCiphertext:
            bad.setdefault("revisions", []).append(eid)
    return bad


def _label(table: str) -> str:
    return {"entries": "Entry", "milestones": "Milestone", "counters": "Counter"}.get(table, "A record of")
