"""The service layer without the CLI: writing, reading, editing, searching, keys, tampering."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recovery_journal.domain.entry import EntryChanges, EntryFilter
from recovery_journal.errors import (
    Damaged,
    EmptyEntry,
    InvalidInput,
    InvalidMood,
    NotFound,
    Tampered,
    TooLarge,
    WrongSecret,
)
from recovery_journal.journal.service import Journal
from recovery_journal.sealing import crypto
from recovery_journal.settings import Settings

from .conftest import PASSPHRASE

UTC = timezone.utc


def at(day: int, hour: int = 20) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


def test_written_entry_reads_back_with_every_field(journal: Journal) -> None:
    written = journal.write(
        "I noticed it again today.", title="Noticing", tags=["Therapy", "#sleep"], mood=4, date=at(3)
    )
    again = journal.entry(written.id)
    assert again == written
    assert (again.title, again.tags, again.mood, again.date) == ("Noticing", ("therapy", "sleep"), 4, at(3))


def test_ids_are_short_numbers_in_order_and_never_reused(journal: Journal) -> None:
    ids = [journal.write(f"entry {n}").id for n in range(3)]
    assert ids == [1, 2, 3]
    journal.delete(3)
    assert journal.write("another").id == 4


def test_listing_filters_sorts_and_limits(journal: Journal) -> None:
    for day, tag in [(5, "work"), (1, "family"), (9, "work"), (3, "")]:
        journal.write(f"day {day}", tags=[tag] if tag else [], date=at(day))
    assert [e.text for e in journal.entries().entries] == ["day 1", "day 3", "day 5", "day 9"]
    assert journal.entries(EntryFilter(newest_first=True)).entries[0].text == "day 9"
    assert [e.text for e in journal.entries(EntryFilter(limit=2)).entries] == ["day 5", "day 9"]
    ranged = journal.entries(EntryFilter(since=date(2026, 3, 3), until=date(2026, 3, 5))).entries
    assert [e.text for e in ranged] == ["day 3", "day 5"]
    assert [e.text for e in journal.entries(EntryFilter(tags=("work",))).entries] == ["day 5", "day 9"]
    assert journal.entries(EntryFilter(limit=0)).entries == []


def test_edit_keeps_the_earlier_version(journal: Journal) -> None:
    first = journal.write("What I first wrote.", mood=3, date=at(2))
    result = journal.edit(first.id, EntryChanges(text="What I wrote after.", mood=6))
    assert result.changed
    entry, revisions = journal.history(first.id)
    assert (entry.text, entry.mood, entry.revisions) == ("What I wrote after.", 6, 1)
    assert [(r.number, r.text, r.mood) for r in revisions] == [(1, "What I first wrote.", 3)]


def test_an_edit_that_changes_nothing_saves_nothing(journal: Journal) -> None:
    first = journal.write("Same words.")
    assert not journal.edit(first.id, EntryChanges(text="Same words.\n")).changed
    assert journal.history(first.id)[1] == []


def test_an_empty_edit_never_deletes(journal: Journal) -> None:
    first = journal.write("Keep me.")
    with pytest.raises(EmptyEntry):
        journal.edit(first.id, EntryChanges(text="   \n"))
    assert journal.entry(first.id).text == "Keep me."


def test_delete_removes_the_entry_and_its_history(journal: Journal) -> None:
    first = journal.write("one")
    journal.edit(first.id, EntryChanges(text="two"))
    journal.delete(first.id)
    with pytest.raises(NotFound):
        journal.entry(first.id)
    assert journal.store.con.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 0
    with pytest.raises(NotFound):
        journal.delete(first.id)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"])
def test_empty_entries_are_refused(journal: Journal, text: str) -> None:
    with pytest.raises(EmptyEntry):
        journal.write(text)
    assert journal.count() == 0


def test_oversized_entries_are_refused(journal: Journal) -> None:
    with pytest.raises(TooLarge):
        journal.write("x" * (1024 * 1024 + 1))
    assert journal.count() == 0


def test_mood_out_of_range_is_refused(journal: Journal) -> None:
    with pytest.raises(InvalidMood):
        journal.write("words", mood=11)


def test_search_ignores_case_and_unicode_form(journal: Journal) -> None:
    journal.write("Set a BOUNDARY with my sister at the café.", title="Sunday")
    journal.write("Nothing to see.", tags=["boundary-setting"])
    journal.write("cafe\u0301 again", date=at(1))
    hits = journal.search("boundary").hits
    assert [h.entry.text[:5] for h in hits] == ["Set a", "Nothi"]
    excerpt = hits[0].excerpts[0]
    start, end = excerpt.spans[0]
    assert excerpt.text[start:end] == "BOUNDARY"
    assert len(journal.search("CAFÉ").hits) == 2
    with pytest.raises(InvalidInput):
        journal.search("   ")


def test_tags_are_counted(journal: Journal) -> None:
    journal.write("a", tags=["work", "sleep"])
    journal.write("b", tags=["work"])
    assert journal.tags() == ([("work", 2), ("sleep", 1)], [])


def test_wrong_passphrase_is_refused(journal: Journal, settings: Settings) -> None:
    with pytest.raises(WrongSecret):
        Journal.unlock(settings, "not it")


def test_unlock_with_the_same_passphrase_in_another_unicode_form(settings: Settings) -> None:
    created, _ = Journal.create(settings, "caf\u00e9 au lait")
    created.write("hello")
    created.close()
    with Journal.unlock(settings, "cafe\u0301 au lait") as reopened:
        assert reopened.count() == 1


def test_passphrase_change_keeps_entries_and_recovery_code(settings: Settings) -> None:
    created, code = Journal.create(settings, PASSPHRASE)
    created.write("still here")
    created.access.change_passphrase("a new one")
    created.close()
    with pytest.raises(WrongSecret):
        Journal.unlock(settings, PASSPHRASE)
    with Journal.unlock(settings, "a new one") as reopened:
        assert reopened.entries().entries[0].text == "still here"
    Journal.unlock_with_recovery_code(settings, code).close()


def test_recovery_sets_a_new_passphrase_and_retires_the_code(settings: Settings) -> None:
    created, code = Journal.create(settings, PASSPHRASE)
    created.write("still here")
    created.close()
    with Journal.unlock_with_recovery_code(settings, code) as recovered:
        new_code = recovered.access.reset_after_recovery("fresh start")
    assert new_code != code
    with pytest.raises(WrongSecret):
        Journal.unlock_with_recovery_code(settings, code)
    with Journal.unlock(settings, "fresh start") as reopened:
        assert reopened.count() == 1
    Journal.unlock_with_recovery_code(settings, new_code).close()


def test_rotating_the_data_key_re_encrypts_everything(settings: Settings) -> None:
    created, old_code = Journal.create(settings, PASSPHRASE)
    first = created.write("before rotation", tags=["a"])
    created.edit(first.id, EntryChanges(text="edited before rotation"))
    before = created.store.con.execute("SELECT text, tags FROM entries").fetchone()
    old_key = created.keys.data_key
    count, new_code = created.access.rotate_data_key("rotated passphrase")
    after = created.store.con.execute("SELECT text, tags FROM entries").fetchone()
    created.close()
    assert count == 1 and before[0] != after[0] and before[1] != after[1]
    with Journal.unlock(settings, "rotated passphrase") as reopened:
        assert reopened.keys.data_key != old_key
        entry, revisions = reopened.history(first.id)
        assert (entry.text, revisions[0].text) == ("edited before rotation", "before rotation")
    with pytest.raises(WrongSecret):
        Journal.unlock_with_recovery_code(settings, old_code)
    Journal.unlock_with_recovery_code(settings, new_code).close()


def _raw(journal: Journal, column: str, entry_id: int) -> bytes:
    return bytes(
        journal.store.con.execute(f"SELECT {column} FROM entries WHERE id = ?", (entry_id,)).fetchone()[0]
    )


def _set(journal: Journal, column: str, entry_id: int, value: bytes) -> None:
    with journal.store.write() as con:
        con.execute(f"UPDATE entries SET {column} = ? WHERE id = ?", (value, entry_id))


@pytest.mark.parametrize("column", ["date", "title", "text", "tags", "mood", "created", "updated"])
def test_tampered_field_names_the_entry_and_spares_the_rest(journal: Journal, column: str) -> None:
    journal.write("one", date=at(1))
    victim = journal.write("two", date=at(2))
    journal.write("three", date=at(3))
    damaged = bytearray(_raw(journal, column, victim.id))
    damaged[-1] ^= 1
    _set(journal, column, victim.id, bytes(damaged))
    with pytest.raises(Tampered, match=f"Entry {victim.id} "):
        journal.entry(victim.id)
    listing = journal.entries()
    assert [e.text for e in listing.entries] == ["one", "three"]
    assert listing.unreadable == [victim.id]
    assert [h.entry.text for h in journal.search("e").hits] == ["one", "three"]


def test_ciphertext_swapped_between_rows_fails(journal: Journal) -> None:
    a = journal.write("entry A")
    b = journal.write("entry B")
    text_a, text_b = _raw(journal, "text", a.id), _raw(journal, "text", b.id)
    _set(journal, "text", a.id, text_b)
    _set(journal, "text", b.id, text_a)
    assert sorted(journal.entries().unreadable) == [a.id, b.id]


def test_ciphertext_moved_between_columns_fails(journal: Journal) -> None:
    a = journal.write("entry A", title="A title")
    _set(journal, "title", a.id, _raw(journal, "text", a.id))
    with pytest.raises(Tampered):
        journal.entry(a.id)


def test_revision_moved_to_another_entry_fails(journal: Journal) -> None:
    a = journal.write("A, first")
    b = journal.write("B, first")
    journal.edit(a.id, EntryChanges(text="A, second"))
    with journal.store.write() as con:
        con.execute("UPDATE revisions SET entry_id = ?", (b.id,))
    with pytest.raises(Tampered, match=f"entry {b.id}"):
        journal.history(b.id)


def test_nothing_sensitive_is_stored_in_the_clear(journal: Journal) -> None:
    journal.write("canaryword in the text", title="canarytitle", tags=["canarytag"], mood=7)
    journal.store.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = journal.settings.paths.db.read_bytes()
    for word in (b"canaryword", b"canarytitle", b"canarytag"):
        assert word not in raw


def test_slot_copied_from_another_journal_does_not_open(tmp_path: object, settings: Settings) -> None:
    created, _ = Journal.create(settings, PASSPHRASE)
    created.close()
    other = Settings.from_env(journal=settings.paths.home.parent / "other")
    second, _ = Journal.create(other, PASSPHRASE)
    slot = second.store.con.execute(
        "SELECT kdf, salt, wrapped FROM key_slots WHERE kind = 'passphrase'"
    ).fetchone()
    second.close()
    con = sqlite3.connect(settings.paths.db)
    con.execute("UPDATE key_slots SET kdf = ?, salt = ?, wrapped = ? WHERE kind = 'passphrase'", slot)
    con.commit()
    con.close()
    with pytest.raises(Damaged):  # the slots no longer match what this journal last wrote
        Journal.unlock(settings, PASSPHRASE)


@pytest.mark.slow
def test_real_default_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_TESTONLY_WEAK_KDF")
    real = Settings.from_env()
    assert real.kdf == crypto.DEFAULT_ARGON2
    created, _ = Journal.create(real, PASSPHRASE)
    created.close()
    with Journal.unlock(real, PASSPHRASE) as reopened:
        kdf = reopened.store.con.execute("SELECT kdf FROM key_slots WHERE kind = 'passphrase'").fetchone()[0]
    assert kdf == '{"alg":"argon2id","m":65536,"p":4,"t":3}'


_texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300).filter(
    lambda t: t.strip()
)


@given(
    text=_texts,
    title=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40),
    mood=st.none() | st.integers(1, 10),
    days=st.integers(0, 4000),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_entry_round_trips_through_the_store(
    journal: Journal, text: str, title: str, mood: int | None, days: int
) -> None:
    when = datetime(2014, 1, 1, 8, 30, tzinfo=UTC) + timedelta(days=days)
    written = journal.write(text, title=title, mood=mood, date=when)
    read = journal.entry(written.id)
    assert read.text == text.lstrip("\r\n").rstrip()
    assert (read.title, read.mood, read.date) == (" ".join(title.split()), mood, when)


def test_draft_numbers_stay_put_and_damaged_drafts_are_listed(journal: Journal) -> None:
    first = journal.drafts.keep("First kept words.", reason="test")
    second = journal.drafts.keep("Second kept words.", reason="test")
    third = journal.drafts.keep("Third kept words.", reason="test")
    assert (first.number, second.number, third.number) == (1, 2, 3)
    journal.drafts.discard(1)
    assert journal.drafts.get(3).text == "Third kept words.", "a message that said 'draft 3' still means it"
    assert third.path is not None
    third.path.write_bytes(third.path.read_bytes()[:-5])  # damaged
    listed = journal.drafts.all()
    assert [d.number for d in listed.drafts] == [2] and [n for n, _ in listed.unreadable] == [3]
    with pytest.raises(Tampered):
        journal.drafts.get(3)
    journal.drafts.discard(3)
    assert journal.drafts.all().unreadable == []
    assert journal.drafts.keep("Fourth.", reason="test").number == 3
