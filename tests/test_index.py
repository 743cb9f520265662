"""The sealed entry index (docs/encryption.md, Entry index): in step with the rows after every kind of write,
never trusted when it isn't, and the same listing as reading every entry would give."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from recovery_journal.domain import search
from recovery_journal.domain.entry import EntryChanges, EntryFilter, NewEntry
from recovery_journal.journal.service import Journal
from recovery_journal.portability import backup
from recovery_journal.sealing import codec as codec_module
from recovery_journal.sealing import index as index_module
from recovery_journal.sealing.crypto import TESTONLY_WEAK_ARGON2
from recovery_journal.sealing.index import Summaries, same_summaries
from recovery_journal.sealing.ledger import Ledger
from recovery_journal.sealing.words import decode_block, encode_block
from recovery_journal.settings import Settings
from recovery_journal.stages.model import Stage
from recovery_journal.storage import queries

from .conftest import PASSPHRASE, Cli, Ran

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_CHUNK = 3  # so a handful of entries spans several chunks


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "CHUNK", SMALL_CHUNK)


def agrees(journal: Journal) -> Summaries:
    """The index is current, opens whole, says what a reading of every row says, and the ledger holds."""
    with journal.store.read() as con:
        indexed = journal.index.load(con, Ledger.generation(con))
        rows = journal.index.scan(con)
        clean = journal.ledger.verify(con).clean
    assert indexed is not None, "the index reflects the journal as it is"
    assert same_summaries(indexed, rows)
    assert clean, "the index rows are in the ledger like every other"
    words_agree(journal)
    return indexed


def words_agree(journal: Journal) -> None:
    """Every word block opens and holds exactly each entry's words as its own text field does."""
    with journal.store.read() as con:
        head = journal.index.head(con, Ledger.generation(con))
        assert head is not None
        assert set(head.words) == set(head.chunks), "a word block beside every chunk, and no other"
        rows = {int(row[0]): journal.index.words_of(row) for row in queries.each_entry(con, ("text",))}
        blocks: dict[int, bytes | None] = {}
        for number, digest in head.words.items():
            block = journal.index.word_block(con, number, digest)
            assert block is not None, f"word block {number} opens"
            blocks.update(block.entries())
    assert blocks == rows


def index_bodies(db: Path) -> dict[int, bytes]:
    con = sqlite3.connect(db)
    try:
        return {int(i): bytes(b) for i, b in con.execute("SELECT id, body FROM entry_index")}
    finally:
        con.close()


def outside(db: Path, sql: str, *args: object) -> None:
    """A change made to the file without recovery-journal (damage, or someone with the file)."""
    con = sqlite3.connect(db)
    con.execute(sql, args)
    con.commit()
    con.close()


def at(day: int, hour: int = 21, zone: timezone = timezone.utc) -> datetime:
    return datetime(2024, 3, 1, hour, tzinfo=zone) + timedelta(days=day)


# --- every kind of write keeps it in step -------------------------------------------------------------------


def test_write_edit_delete_and_stages_keep_the_index_in_step(journal: Journal) -> None:
    for n in range(8):
        journal.write(f"Entry {n}.", tags=[f"t{n % 3}"], date=at(-n), mood=n + 1, title=f"Title {n}")
    assert len(agrees(journal)) == 8
    journal.edit(2, EntryChanges(date=at(30), tags=("moved",), starred=True, tender=True))
    found = agrees(journal)
    i = found.ids.index(2)
    assert found.when(i) == at(30) and found.tags[i] == ("moved",) and found.starred(i) and found.tender(i)
    journal.delete(4)
    assert 4 not in agrees(journal).ids
    journal.stages.set(5, Stage.RECOVERY)
    found = agrees(journal)
    assert found.stages[found.ids.index(5)] is Stage.RECOVERY
    journal.stages.relearn()
    agrees(journal)
    journal.milestones.add("Held a boundary", kind="boundary", day=date(2024, 3, 1))  # no entry changed
    agrees(journal)


def test_import_merge_restore_and_a_new_key_keep_the_index_in_step(journal: Journal, tmp_path: Path) -> None:
    journal.write_many(NewEntry(text=f"Imported {n}.", date=at(n), tags=("imported",)) for n in range(7))
    agrees(journal)
    made = tmp_path / "one.rjbackup"
    backup.create(journal, made, PASSPHRASE, TESTONLY_WEAK_ARGON2)
    restored, _, _ = backup.restore_new(
        Settings.from_env(journal=tmp_path / "restored"), PASSPHRASE, backup.read(made, PASSPHRASE)
    )
    with restored:
        assert agrees(restored).ids == agrees(journal).ids
        restored.write("Only on the restored one.", date=at(-50))
        restored.edit(3, EntryChanges(text="Changed on the restored one."))
        other = tmp_path / "other.rjbackup"
        backup.create(restored, other, PASSPHRASE, TESTONLY_WEAK_ARGON2)
    journal.delete(1)
    backup.merge(journal, backup.read(other, PASSPHRASE))
    found = agrees(journal)
    assert found.ids == [2, 3, 4, 5, 6, 7, 8, 9], "the merge brings the deleted one and the new one back"
    journal.access.rotate_data_key("a new passphrase")
    assert agrees(journal).ids == found.ids


def test_drafts_and_quick_captures_keep_the_index_in_step(
    cli: Cli, initialised: Ran, settings: Settings
) -> None:
    assert cli("write", "--date", "2024-03-01", input="The first words.").exit_code == 0
    assert (
        cli(
            "capture", "--tag", "night", input="Captured late.", env={"RECOVERY_JOURNAL_PASSPHRASE": ""}
        ).exit_code
        == 0
    )
    with Journal.unlock(settings, PASSPHRASE) as journal:
        assert journal.fold_captures()[0] == 1
        found = agrees(journal)
        assert found.tags[found.ids.index(2)] == ("night",)
        kept = journal.drafts.keep(
            "Kept words.", reason="a test", tags=("kept",), date="2024-02-01T10:00:00+00:00"
        )
        journal.drafts.save(kept.number)
        found = agrees(journal)
        assert found.tags[-1] == ("kept",) and found.day(len(found) - 1) == date(2024, 2, 1)


def test_the_stage_backfill_of_an_old_journal_keeps_the_index_in_step(tmp_path: Path) -> None:
    """A journal from the first release opens, migrates, gets its index, and lists what it always did."""
    home = tmp_path / "old"
    shutil.copytree(FIXTURES / "journal-v1", home)
    with Journal.unlock(Settings.from_env(journal=home), "fixture passphrase") as journal:
        assert {"0006_entry_index", "0007_entry_words"} <= set(journal.store.upgraded)
        journal.stages.backfill()  # what opening does next: stages and flags for entries from before them
        found = agrees(journal)
        listed = journal.entries()
    assert found.ids == [1, 2, 3] and found.unreadable == []
    assert [e.text for e in listed.entries] == [
        "The first entry in the fixture journal.",
        "An entry that was edited once.",
        "A third entry, with a tag and a mood.",
    ]
    assert all(stage is not None for stage in found.stages)


def test_a_save_reseals_one_chunk_and_the_head(journal: Journal) -> None:
    for n in range(9):
        journal.write(f"Entry {n}.", date=at(n))
    before = index_bodies(journal.settings.paths.db)
    assert sorted(before) == [0, 1, 2, 3]
    journal.edit(5, EntryChanges(tags=("changed",)))
    after = index_bodies(journal.settings.paths.db)
    assert [n for n in before if before[n] != after[n]] == [0, 2]


def test_opening_finds_entries_to_fill_in_without_reading_every_row(journal: Journal) -> None:
    with journal.store.read() as con:
        plan = " ".join(
            str(row[-1])
            for row in con.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM entries WHERE stage IS NULL OR flags IS NULL"
            )
        )
    assert "entries_unfilled" in plan


def test_a_listing_inside_a_larger_write_sees_that_writes_own_entries(journal: Journal) -> None:
    """Until the write's last step the index hasn't taken its changes in, so the rows are read instead."""
    journal.write("Before.", date=at(0))
    with journal.store.write():
        journal.write("Inside the same transaction.", date=at(1))
        assert [e.text for e in journal.entries().entries] == ["Before.", "Inside the same transaction."]
    assert agrees(journal).ids == [1, 2]


# --- a failed save leaves index and rows agreeing ----------------------------------------------------------


def test_a_save_that_fails_at_the_last_moment_changes_neither_rows_nor_index(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        journal.write(f"Entry {n}.", date=at(n))
    before = index_bodies(journal.settings.paths.db)

    def fail(*_: object) -> None:
        raise OSError("the disk went away")

    with monkeypatch.context() as patched:
        patched.setattr(Ledger, "settle", fail)  # after the index took the change in, before COMMIT
        with pytest.raises(OSError):
            journal.write("Never saved.", date=at(-9))
        with pytest.raises(OSError):
            journal.delete(2)
    assert index_bodies(journal.settings.paths.db) == before
    assert agrees(journal).ids == [1, 2, 3, 4]


def test_a_save_that_fails_while_sealing_the_index_saves_nothing(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.write("Kept.", date=at(0))
    calls = []

    def flaky(con: sqlite3.Connection, row_id: int, body: bytes) -> None:
        calls.append(row_id)
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as patched:
        patched.setattr(queries, "put_index_row", flaky)
        with pytest.raises(Exception, match="disk"):
            journal.write("Not saved.", date=at(1))
    assert calls and journal.count() == 1
    agrees(journal)


# --- an index that isn't as sealed, or out of step, is never used -------------------------------------------


def test_a_damaged_chunk_is_not_used_and_is_built_again(journal: Journal) -> None:
    for n in range(7):
        journal.write(f"Entry {n}.", date=at(-n), tags=[f"t{n}"])
    db = journal.settings.paths.db
    body = bytearray(index_bodies(db)[2])
    body[30] ^= 0xFF
    outside(db, "UPDATE entry_index SET body = ? WHERE id = 2", bytes(body))
    with journal.store.read() as con:
        assert journal.index.load(con, Ledger.generation(con)) is None
    listed = journal.entries(EntryFilter(newest_first=True, limit=3))
    assert [e.id for e in listed.entries] == [1, 2, 3], "read from the rows meanwhile"
    with journal.store.read() as con:
        found = journal.index.load(con, Ledger.generation(con))
    assert found is not None and found.ids == list(range(1, 8)), "built again after that read"


def test_a_chunk_put_back_from_earlier_is_not_used(journal: Journal) -> None:
    for n in range(5):
        journal.write(f"Entry {n}.", date=at(n))
    db = journal.settings.paths.db
    earlier = index_bodies(db)[2]
    journal.edit(5, EntryChanges(date=at(-100)))  # entry 5 is in chunk 2
    outside(db, "UPDATE entry_index SET body = ? WHERE id = 2", earlier)
    with journal.store.read() as con:
        assert journal.index.load(con, Ledger.generation(con)) is None
    assert journal.entries(EntryFilter(limit=1)).entries[0].id == 4
    assert journal.entries().entries[0].id == 5, "the rows' order, not the old chunk's"


def test_a_whole_index_put_back_from_earlier_is_out_of_step(journal: Journal) -> None:
    for n in range(5):
        journal.write(f"Entry {n}.", date=at(n))
    db = journal.settings.paths.db
    earlier = index_bodies(db)
    journal.write("A later entry.", date=at(-30))
    outside(db, "DELETE FROM entry_index")
    for row_id, body in earlier.items():
        outside(db, "INSERT INTO entry_index (id, body) VALUES (?, ?)", row_id, body)
    with journal.store.read() as con:
        assert journal.index.load(con, Ledger.generation(con)) is None, "its head names an older generation"
    assert journal.entries().entries[0].text == "A later entry."


def test_doctor_names_a_changed_index_row_and_builds_it_again(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    for n in range(4):
        assert cli("write", "--date", f"2024-03-0{n + 1}", input=f"Entry {n}.").exit_code == 0
    db = isolated / "journal.db"
    body = bytearray(index_bodies(db)[1])
    body[40] ^= 0x01
    outside(db, "UPDATE entry_index SET body = ? WHERE id = 1", bytes(body))
    first = json.loads(cli("doctor", "--json").stdout)
    checks = {c["name"]: c for c in first["checks"]}
    assert checks["ledger"]["status"] == "problem" and "entry index part 1" in checks["ledger"]["detail"]
    assert checks["entry index"]["status"] == "note" and "built again" in checks["entry index"]["detail"]
    again = cli("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(again.stdout)["checks"]}
    assert again.exit_code == 0, again.stdout
    assert checks["entry index"]["status"] == checks["ledger"]["status"] == "ok"


def test_a_read_only_journal_with_no_index_is_read_from_its_rows(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        journal.write(f"Entry {n}.", date=at(-n))
    outside(journal.settings.paths.db, "DELETE FROM entry_index")
    monkeypatch.setattr(journal.store, "read_only", True)
    assert [e.id for e in journal.entries().entries] == [4, 3, 2, 1]
    assert journal.tags() == ([], [])
    assert index_bodies(journal.settings.paths.db) == {}, "nothing written to a read-only journal"


# --- index-backed listing is exactly a full decrypting scan -----------------------------------------------

ZONES = [timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
moments = st.builds(
    lambda d, z: d.replace(tzinfo=z),
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2060, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.sampled_from(ZONES),
)
tag_sets = st.lists(st.sampled_from(["sea", "sleep", "boundary", "work"]), max_size=2, unique=True)
words = st.sampled_from(["lighthouse", "serenity", "boundary", "tea"])


def naive(journal: Journal, wanted: EntryFilter) -> list[int]:
    """What a listing must give: every entry opened in full, filtered, sorted by date, limited."""
    with journal.store.read() as con:
        ids = [int(r[0]) for r in con.execute("SELECT id FROM entries")]
    entries = [journal.entry(i) for i in ids]
    kept = [
        e
        for e in entries
        if wanted.wants(e.date.date())
        and (not wanted.tags or set(e.tags) & set(wanted.tags))
        and (not wanted.starred or e.starred)
    ]
    kept.sort(key=lambda e: (e.date, e.id))
    if wanted.limit is not None:
        kept = kept[-wanted.limit :] if wanted.limit > 0 else []
    return [e.id for e in kept]


class IndexMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="rj-index-"))
        self.journal, _ = Journal.create(Settings.from_env(journal=self.folder / "j"), PASSPHRASE)

    def ids(self) -> list[int]:
        with self.journal.store.read() as con:
            return [int(r[0]) for r in con.execute("SELECT id FROM entries")]

    @rule(when=moments, tags=tag_sets, word=words, starred=st.booleans(), mood=st.none() | st.integers(1, 10))
    def write(self, when: datetime, tags: list[str], word: str, starred: bool, mood: int | None) -> None:
        self.journal.write(
            f"A day with {word}.", date=when, tags=tags, starred=starred, mood=mood, title=word
        )

    @rule(count=st.integers(1, 5), when=moments)
    def write_many(self, count: int, when: datetime) -> None:
        self.journal.write_many(
            NewEntry(text=f"Batch {n}.", date=when - timedelta(days=n)) for n in range(count)
        )

    @precondition(lambda self: self.ids())
    @rule(
        data=st.data(), when=st.none() | moments, tags=st.none() | tag_sets, starred=st.none() | st.booleans()
    )
    def edit(
        self, data: st.DataObject, when: datetime | None, tags: list[str] | None, starred: bool | None
    ) -> None:
        target = data.draw(st.sampled_from(self.ids()))
        changes = EntryChanges(date=when, tags=None if tags is None else tuple(tags), starred=starred)
        self.journal.edit(target, changes)

    @precondition(lambda self: self.ids())
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        self.journal.delete(data.draw(st.sampled_from(self.ids())))

    @precondition(lambda self: self.ids())
    @rule(data=st.data(), stage=st.sampled_from(list(Stage)))
    def set_stage(self, data: st.DataObject, stage: Stage) -> None:
        self.journal.stages.set(data.draw(st.sampled_from(self.ids())), stage)

    @invariant()
    def index_is_the_rows(self) -> None:
        agrees(self.journal)

    @rule(
        since=st.none() | st.dates(date(1950, 1, 1), date(2060, 1, 1)),
        span=st.integers(0, 20000),
        tag=st.none() | st.sampled_from(["sea", "work"]),
        starred=st.booleans(),
        limit=st.none() | st.integers(0, 6),
    )
    def listing_is_a_full_scan(
        self, since: date | None, span: int, tag: str | None, starred: bool, limit: int | None
    ) -> None:
        until = None if since is None else since + timedelta(days=span)
        wanted = EntryFilter(
            since=since, until=until, tags=(tag,) if tag else (), starred=starred, limit=limit
        )
        assert [e.id for e in self.journal.entries(wanted).entries] == naive(self.journal, wanted)

    @rule(word=words)
    def search_is_a_full_scan(self, word: str) -> None:
        found = {h.entry.id for h in self.journal.search(word).hits}
        entries = [self.journal.entry(i) for i in self.ids()]
        expected = {e.id for e in entries if word in e.text or word in e.title or word in e.tags}
        assert found == expected

    def teardown(self) -> None:
        self.journal.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def test_index_backed_listing_matches_a_full_decrypting_scan() -> None:
    run_state_machine_as_test(
        IndexMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_summaries_survive_the_extremes_of_the_calendar(journal: Journal) -> None:
    far = [
        datetime(1, 1, 1, 12, tzinfo=timezone(timedelta(hours=5))),
        datetime(9999, 12, 31, 1, tzinfo=timezone(timedelta(hours=-5))),
        datetime(1969, 12, 31, 23, 59, 59, tzinfo=timezone.utc),
    ]
    for when in far:
        journal.write("Far away in time.", date=when)
    found = agrees(journal)
    assert [found.when(i).isoformat() for i in range(3)] == [w.isoformat() for w in far]
    assert [found.day(i) for i in range(3)] == [w.date() for w in far]


# --- the word blocks search reads ---------------------------------------------------------------------------


def word_bodies(db: Path) -> dict[int, bytes]:
    con = sqlite3.connect(db)
    try:
        return {int(i): bytes(b) for i, b in con.execute("SELECT id, body FROM entry_words")}
    finally:
        con.close()


def searched(journal: Journal, query: str) -> list[int]:
    return sorted(h.entry.id for h in journal.search(query).hits)


def test_search_reads_one_word_block_per_chunk_not_every_entry(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(8):
        journal.write(f"Entry {n} by the {'lighthouse' if n % 3 == 0 else 'sea'}.", date=at(n))
    opened: list[str] = []
    real = index_module.EntryIndex.word_block

    def counting(self: index_module.EntryIndex, con: sqlite3.Connection, number: int, digest: str | None):  # type: ignore[no-untyped-def]
        opened.append(str(number))
        return real(self, con, number, digest)

    monkeypatch.setattr(index_module.EntryIndex, "word_block", counting)
    monkeypatch.setattr(
        "recovery_journal.sealing.codec.open_text", lambda *a: pytest.fail("an entry's text was opened")
    )
    assert searched(journal, "LIGHTHOUSE") == [1, 4, 7]
    assert opened == ["1", "2", "3"]


def test_a_search_only_shown_opens_just_the_words_and_shows_what_the_whole_entries_hold(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    zones = [timezone(timedelta(hours=h)) for h in (-7, 0, 5, 9)]
    for n in range(9):
        when = datetime(2025, 3, 1 + n, 8 + n, 30, tzinfo=zones[n % 4])
        journal.write(
            f"Day {n}: {'the lighthouse again' if n % 2 else 'a quiet walk'}.",
            date=when,
            title=f"Lighthouse notes {n}" if n == 4 else "",
            tags=("sea", "lighthouse") if n == 6 else ("walk",),
            tender=n == 3,
            starred=n == 5,
        )
    journal.edit(2, EntryChanges(text="Day 1: the harbour, not the lighthouse."))
    wanted = EntryFilter(newest_first=True)
    whole = journal.search("LIGHTHOUSE", wanted)
    opened: list[str] = []
    real_field, real_text = codec_module.open_field, codec_module.open_text
    monkeypatch.setattr(
        codec_module, "open_field", lambda c, u, name, v: opened.append(name) or real_field(c, u, name, v)
    )
    monkeypatch.setattr(
        codec_module, "open_text", lambda c, u, v: opened.append("text") or real_text(c, u, v)
    )
    shown = journal.search("LIGHTHOUSE", wanted, whole=False)
    assert opened == ["text"] * 6, "no field but the words is opened"
    # words (2, 4, 6, 8; 2 by its edit), a title (5), a tag (7); newest first
    assert [h.entry.id for h in shown.hits] == [h.entry.id for h in whole.hits] == [8, 7, 6, 5, 4, 2]
    for brief, full in zip(shown.hits, whole.hits, strict=True):
        for name in ("id", "date", "title", "tags", "tender", "starred", "text"):
            assert getattr(brief.entry, name) == getattr(full.entry, name), name
        assert brief.entry.date.utcoffset() == full.entry.date.utcoffset()
        assert brief.excerpts == full.excerpts and brief.title_spans == full.title_spans
    every = journal.search("walk", EntryFilter(limit=2), whole=False)  # the text or the tag: all nine
    assert [h.entry.id for h in every.hits] == [8, 9]


def test_a_search_only_shown_names_an_entry_whose_words_wont_open(journal: Journal) -> None:
    for n in range(4):
        journal.write(f"Entry {n} by the lighthouse.", date=at(n))
    with journal.store.read() as con:
        sealed = bytearray(queries.entries_by_id(con, [3], ("text",))[0][2])
    sealed[-1] ^= 0x01
    outside(journal.settings.paths.db, "UPDATE entries SET text = ? WHERE id = 3", bytes(sealed))
    shown = journal.search("lighthouse", whole=False)
    assert [h.entry.id for h in shown.hits] == [1, 2, 4]
    assert shown.unreadable == journal.search("lighthouse").unreadable == [3]


def test_an_edit_and_a_delete_change_what_search_finds(journal: Journal) -> None:
    for n in range(5):
        journal.write(f"Entry {n}, a day by the lighthouse.", date=at(n))
    journal.edit(2, EntryChanges(text="Entry 1, a day by the harbour."))
    journal.delete(4)
    assert searched(journal, "lighthouse") == [1, 3, 5]
    assert searched(journal, "harbour") == [2]
    agrees(journal)


def test_a_damaged_word_block_is_read_from_rows_and_built_again(journal: Journal) -> None:
    for n in range(7):
        journal.write(f"Entry {n}: {'serenity' if n % 2 else 'calm'}.", date=at(n))
    db = journal.settings.paths.db
    body = bytearray(word_bodies(db)[2])
    body[-3] ^= 0xFF
    outside(db, "UPDATE entry_words SET body = ? WHERE id = 2", bytes(body))
    assert searched(journal, "serenity") == [2, 4, 6], "the damaged chunk's entries read from their rows"
    assert word_bodies(db)[2] != bytes(body), "built again after that read"
    words_agree(journal)


def test_a_word_block_put_back_from_earlier_is_not_used(journal: Journal) -> None:
    for n in range(5):
        journal.write(f"Entry {n} by the lighthouse.", date=at(n))
    db = journal.settings.paths.db
    earlier = word_bodies(db)[2]
    journal.edit(5, EntryChanges(text="Entry 4 by the harbour."))  # entry 5 is in chunk 2
    outside(db, "UPDATE entry_words SET body = ? WHERE id = 2", earlier)
    assert searched(journal, "harbour") == [5], "the row's words, not the old block's"
    assert searched(journal, "lighthouse") == [1, 2, 3, 4]


def test_missing_word_blocks_are_read_from_rows(journal: Journal) -> None:
    for n in range(4):
        journal.write(f"Entry {n} by the lighthouse.", date=at(n), title="Straße" if n == 2 else "")
    outside(journal.settings.paths.db, "DELETE FROM entry_words")
    assert searched(journal, "lighthouse") == [1, 2, 3, 4]
    assert searched(journal, "STRASSE") == [3]
    words_agree(journal)


def test_a_head_from_before_the_word_blocks_is_out_of_step(journal: Journal) -> None:
    """An index built before word blocks (head format 1) isn't used: the rows are read, then it's rebuilt."""
    for n in range(4):
        journal.write(f"Entry {n} by the lighthouse.", date=at(n))
    old_head = {"chunk": SMALL_CHUNK, "chunks": {}, "format": 1}
    with journal.store.read() as con:
        old_head["generation"] = Ledger.generation(con)  # type: ignore[assignment]
    sealed = journal.index.cipher.seal_json(old_head, journal.index._ad(index_module.HEAD))
    outside(journal.settings.paths.db, "UPDATE entry_index SET body = ? WHERE id = 0", sealed)
    assert searched(journal, "lighthouse") == [1, 2, 3, 4]
    agrees(journal)


def test_a_word_block_says_nothing_the_rows_dont(journal: Journal) -> None:
    """Each entry's words take in a block exactly the padded size of its own sealed text field."""
    texts = ["a", "x" * 30, "y" * 31, "z" * 32, "Ünïcödé wörds " * 20, "plain words " * 300]
    for n, text in enumerate(texts):
        journal.write(text, date=at(n))
    overhead = 1 + 12 + 16  # version, nonce, tag
    with journal.store.read() as con:
        head = journal.index.head(con, Ledger.generation(con))
        assert head is not None
        sealed = {int(r[0]): len(r[2]) - overhead for r in queries.each_entry(con, ("text",))}
        for number, digest in head.words.items():
            block = journal.index.word_block(con, number, digest)
            assert block is not None
            assert len(block.body) == sum(sealed[i] for i in block.ids)


needles = st.text(alphabet=st.sampled_from("aAbß ﬁéE\u0301İı"), min_size=1, max_size=3)
block_texts = st.lists(st.text(alphabet=st.sampled_from("aAbBß ﬁéE\u0301İı.\n"), max_size=12), max_size=8)


@settings(max_examples=300, deadline=None)
@given(texts=block_texts, needle=needles)
def test_packed_matches_finds_what_folding_each_text_finds(texts: list[str], needle: str) -> None:
    folded = search.fold(needle)
    if not folded:
        return
    block = decode_block(encode_block({i + 1: t.encode() for i, t in enumerate(texts)}), 1, len(texts))
    found = search.packed_matches(block.body, block.starts, block.lengths, folded)
    assert [block.ids[i] for i in found] == [i + 1 for i, t in enumerate(texts) if folded in search.fold(t)]


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(alphabet=st.sampled_from("ab "), max_size=8), max_size=8), needle=needles)
def test_packed_matches_never_matches_across_two_entries(texts: list[str], needle: str) -> None:
    """All-ASCII blocks are searched whole: a hit spanning one entry's end and the next's start isn't one."""
    block = decode_block(encode_block({i + 1: t.encode() for i, t in enumerate(texts)}), 1, len(texts))
    for probe in ("ba", "b a", "ab", "a"):
        found = search.packed_matches(block.body, block.starts, block.lengths, probe)
        assert [block.ids[i] for i in found] == [i + 1 for i, t in enumerate(texts) if probe in t]


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-1],  # cut short
        lambda raw: raw + b"\x00",  # too long
        lambda raw: b"\x02" + raw[1:],  # a format this doesn't know
        lambda raw: raw[:5] + (99).to_bytes(8, "little") + raw[13:],  # an entry outside the chunk
    ],
)
def test_a_malformed_word_block_is_refused(damage: object) -> None:
    raw = encode_block({1: b"one", 2: b"two", 3: None})
    assert decode_block(raw, 1, 3).entries() == {1: b"one", 2: b"two", 3: None}
    with pytest.raises(ValueError):
        decode_block(damage(raw), 1, 3)  # type: ignore[operator]


def test_doctor_finds_a_word_block_that_differs_from_the_rows(journal: Journal) -> None:
    """A block that opens but doesn't hold what the rows say (made by a bug, say) is found and rebuilt."""
    for n in range(5):
        journal.write(f"Entry {n} by the lighthouse.", date=at(n))
    assert journal.check_index() == "ok"
    con = sqlite3.connect(journal.settings.paths.db)  # sealed with the key, as only a bug here could
    head = journal.index.head(con, Ledger.generation(con))
    assert head is not None
    wrong = {4: b"Entry 3 by the harbour.", 5: b"Entry 4 by the lighthouse.", 6: None}
    head.words[2] = journal.index._put_words(con, 2, wrong) or ""
    journal.index._put_head(con, head, Ledger.generation(con) or 0)
    con.commit()
    con.close()
    with journal.store.read() as con:
        assert not journal.index.words_agree(con, Ledger.generation(con))
    assert journal.check_index() == "rebuilt"
    words_agree(journal)
    assert searched(journal, "lighthouse") == [1, 2, 3, 4, 5]
