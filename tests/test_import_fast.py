"""What issue 14 changed to make a large import fast gives exactly what the plainer code gave."""

from __future__ import annotations

import re
import unicodedata
import uuid as uuidlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.domain import entry as domain
from recovery_journal.domain.entry import Entry, Revision
from recovery_journal.journal.service import Journal
from recovery_journal.portability import backup, importers, merge, portable
from recovery_journal.sealing import codec
from recovery_journal.sealing.index import Summaries
from recovery_journal.sealing.ledger import Ledger
from recovery_journal.stages import Stage, StageGuess
from recovery_journal.stages.record import StageRecord
from recovery_journal.storage import queries

# inline_tags as it was before: the look-behind first, and every text through the link pattern.
_OLD_TAG = re.compile(r"(?<![\w@#&/])[@#]([^\W\d_][\w-]*)")


def _old_inline_tags(text: str) -> tuple[str, ...]:
    words = domain._LINK.sub(" ", unicodedata.normalize("NFC", text))
    found = (domain._tag_form(tag.rstrip("-")) for tag in _OLD_TAG.findall(words))
    return tuple(
        dict.fromkeys(t for t in found if len(t) <= domain.MAX_TAG_CHARS and domain._TAG_OK.match(t))
    )


_TAGGY = st.text(alphabet=st.sampled_from("@#&/:. aAéİı_-1\nwW") | st.characters(), max_size=40)
_LINKY = st.sampled_from(["www.", "WwW.", "http://x", "://", "@walks", "#grief"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_TAGGY | _LINKY, max_size=6))
def test_inline_tags_finds_what_it_found_before(parts: list[str]) -> None:
    text = "".join(parts)
    assert domain.inline_tags(text) == _old_inline_tags(text)


def _view(found: Summaries | None) -> tuple[object, ...]:
    assert found is not None
    return (found.ids, found.epochs, found.offsets, found.moods, found.stages, found.confidences, found.bits)


def _varied(count: int) -> list[tuple[Entry, list[Revision]]]:
    """Entries whose summaries read back differently from how they were given, unless read as the rows are:
    microseconds, odd offsets, over-precise confidences, the writer's stages, marks, moods and tags."""
    zones = [
        timezone.utc,
        timezone(timedelta(hours=-9, minutes=-30)),
        timezone(timedelta(hours=5, minutes=45)),
    ]
    made = []
    for n in range(count):
        guess = StageGuess(
            stage=list(Stage)[n % 3],
            confidence=0.123456789 + n / 1000,
            cues=("held my boundary",),
            scores={s: 1 / 3 + n / 7000 for s in Stage},
            uncertain=n % 4 == 0,
        )
        record = StageRecord(guess=guess, source="writer" if n % 5 == 0 else "model", model="seed")
        when = datetime(1969 + n % 60, 1 + n % 12, 1 + n % 28, n % 24, n % 60, n % 60, 999_999, zones[n % 3])
        entry = Entry(
            id=0,
            uuid=str(uuidlib.UUID(int=n + 1)),
            date=when,
            created=when,
            updated=when,
            title=f"Title {n}" if n % 2 else "",
            text=f"Entry {n}: I held my boundary today.",
            tags=("walks", f"t{n % 7}") if n % 3 else (),
            mood=None if n % 6 == 0 else 1 + n % 10,
            stage=None if n % 7 == 0 else record,
            tender=n % 2 == 0,
            starred=n % 3 == 0,
        )
        made.append((entry, list[Revision]()))
    return made


def test_an_import_indexes_its_entries_as_the_rows_read_back(journal: Journal) -> None:
    journal.write("One entry already here, so the import merges.")
    backup.merge(journal, portable.Incoming(entries=_varied(300)))
    with journal.store.read() as con:
        loaded = journal.index.load(con, Ledger.generation(con))
        scanned = journal.index.scan(con)  # every summary opened from the rows themselves
    assert loaded is not None and len(loaded) == 301
    assert _view(loaded) == _view(scanned)
    assert (loaded.tags, loaded.titles) == (scanned.tags, scanned.titles)
    with journal.store.read() as con:
        assert journal.index.words_agree(con, Ledger.generation(con)), "word blocks as the rows read back"


def test_an_entry_changed_after_it_was_noted_is_indexed_as_changed(journal: Journal) -> None:
    incoming = portable.Incoming(entries=_varied(20))
    with journal.store.write() as con:
        merge.merge_into(
            con, journal.cipher, incoming, lambda text: None, journal.now(), note=journal.index.note
        )
        (entry_uuid, entry_id), (other_uuid, other_id) = list(queries.entry_ids_by_uuid(con).items())[:2]
        changed = {"title": "Changed in the same transaction", "mood": 9}
        queries.update_entry(con, entry_id, codec.seal_fields(journal.cipher, entry_uuid, changed))
        words_only = {"text": "Words changed too."}  # the summary fields as noted: only the words differ
        queries.update_entry(con, other_id, codec.seal_fields(journal.cipher, other_uuid, words_only))
    with journal.store.read() as con:
        loaded = journal.index.load(con, Ledger.generation(con))
        scanned = journal.index.scan(con)
    assert loaded is not None
    assert _view(loaded) == _view(scanned)
    assert (loaded.tags, loaded.titles) == (scanned.tags, scanned.titles)
    assert "Changed in the same transaction" in loaded.titles
    with journal.store.read() as con:
        assert journal.index.words_agree(con, Ledger.generation(con)), "the changed words, not the noted"
    assert [h.entry.id for h in journal.search("Words changed too").hits] == [other_id]


def test_a_long_import_settles_as_it_goes_and_ends_as_one_import_would(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the index holds for entries it hasn't taken in stays bounded: the index and the ledger take in
    each SETTLE_EVERY entries inside the same transaction, and the end is what a settle at the end gives."""
    monkeypatch.setattr(merge, "SETTLE_EVERY", 7)
    monkeypatch.setattr("recovery_journal.sealing.index.CHUNK", 5)  # settles fall inside chunks too
    journal.write("One entry already here, so the import merges.")
    most = 0
    note = journal.index.note

    def counting(
        entry_id: int, entry: Entry, stage: StageRecord | None, sealed: dict[str, bytes | None]
    ) -> None:
        nonlocal most
        note(entry_id, entry, stage, sealed)
        most = max(most, len(journal.index._noted))

    monkeypatch.setattr(journal.index, "note", counting)
    before = journal.generation()
    report = backup.merge(journal, portable.Incoming(entries=_varied(40)))
    assert report.entries_added == 40
    assert most == 7, "never more than SETTLE_EVERY entries waiting"
    assert journal.generation() == (before or 0) + 40 // 7 + 1
    with journal.store.read() as con:
        loaded = journal.index.load(con, Ledger.generation(con))
        scanned = journal.index.scan(con)
        assert journal.ledger.verify(con).clean
        assert journal.index.words_agree(con, Ledger.generation(con))
    assert loaded is not None and len(loaded) == 41
    assert _view(loaded) == _view(scanned) and (loaded.tags, loaded.titles) == (scanned.tags, scanned.titles)


def test_a_long_import_that_fails_after_settling_leaves_nothing(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge, "SETTLE_EVERY", 4)
    journal.write("Already here.")
    with journal.store.read() as con:
        rows_before = {t: list(queries.table_rows(con, t)) for t in queries.LEDGER_TABLES}
    generation = journal.generation()

    def failing(pairs: list[tuple[Entry, list[Revision]]]) -> Iterator[tuple[Entry, list[Revision]]]:
        yield from pairs[:13]  # three settles have run
        raise OSError("the disk went away")

    class Entries(list[tuple[Entry, list[Revision]]]):
        def __iter__(self) -> Iterator[tuple[Entry, list[Revision]]]:
            return failing(list(super().__iter__()))

    with pytest.raises(OSError):
        backup.merge(journal, portable.Incoming(entries=Entries(_varied(20))))
    assert journal.generation() == generation
    with journal.store.read() as con:
        assert {t: list(queries.table_rows(con, t)) for t in queries.LEDGER_TABLES} == rows_before
        assert journal.ledger.verify(con).clean
    assert [e.text for e in journal.entries().entries] == ["Already here."]


def test_an_import_settles_only_at_its_end_while_the_ledger_seal_is_broken(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger that doesn't verify takes nothing in, so the rows the import touched stay noted as its own
    until the end, exactly as before settling as it goes."""
    monkeypatch.setattr(merge, "SETTLE_EVERY", 2)
    journal.write("Already here.")
    settles: list[int] = []  # the settles on the way (the store calls the one at the end itself)
    real = journal._settle
    monkeypatch.setattr(journal, "_settle", lambda con: settles.append(1) or real(con))
    fresh = _varied(10)
    backup.merge(journal, portable.Incoming(entries=fresh[:5]))
    assert len(settles) == 5 // 2, "settled as it went"
    with journal.store.write() as con:  # break the seal, as damage or someone with the file might
        con.execute("UPDATE integrity SET seal = zeroblob(32) WHERE id = 1")
    settles.clear()
    with journal.store.read() as con:
        before = queries.integrity(con)
    report = backup.merge(journal, portable.Incoming(entries=fresh[5:]))
    assert report.entries_added == 5
    assert settles == [], "only at the end, where the ledger takes nothing in"
    with journal.store.read() as con:
        assert queries.integrity(con) == before


def test_a_row_digest_is_the_one_journals_already_hold() -> None:
    """Every journal's ledger holds digests made the way Ledger.digest makes them: a faster way of making one
    must give the same bytes, or every journal written before would read as changed. Recorded at bfe0359,
    before the digest was sped up, for a row holding every kind of value SQLite gives back."""
    ledger = Ledger(bytes(range(32)), "journal-1")
    row = (7, 7, "c0ffee00-uuid", b"\x01sealed", b"", None, 3, -2, True, 1.5, "caf\u00e9 \ud800")
    row += (bytearray(b"xy"), memoryview(b"mv"))
    assert ledger.digest("entries", row).hex() == (
        "1c5d81034ec82ffdfa73bf6bf21969aeb16cdc5fe6bcc590de351e18d8db9291"
    )
    assert ledger.digest("milestones", (1, None)).hex() == (
        "2deed00f2584971fba821ba76277cbe723f25e42f0122a802e186242dba4a991"
    )


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["jrnl", "dayone", "json"]), st.datetimes(timezones=st.timezones()), st.text())
def test_an_imported_entry_is_named_as_uuid5_names_it(kind: str, when: datetime, text: str) -> None:
    """Importing a file again finds its entries by these names: they must stay exactly uuid5's."""
    expected = str(uuidlib.uuid5(importers._NS, importers._derived_from(kind, when, text)))
    assert importers.derived_uuid(kind, when, text) == expected
