"""The journal's operations: the one service the commands call. No prompts, no printing, no exits."""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..agent import client as session
from ..domain import search
from ..domain.entry import (
    Entry,
    EntryChanges,
    EntryFilter,
    NewEntry,
    Revision,
    check_mood,
    clean_prompt,
    clean_tags,
    clean_text,
    clean_title,
    leave_out_tender,
    with_inline_tags,
)
from ..errors import InvalidInput, JournalError, KeyChanged, NotFound, Tampered
from ..sealing import capture, codec, crypto, vault
from ..sealing.crypto import InvalidCiphertext
from ..sealing.index import EntryIndex, Summaries, chunk_span, same_summaries
from ..sealing.ledger import Ledger
from ..settings import Settings
from ..storage import queries
from ..storage.store import Store
from .draftbook import DraftBook

if TYPE_CHECKING:
    from .access import AccessBook
    from .caring import CareBook
    from .counters import CounterBook
    from .milestones import MilestoneBook
    from .stagebook import StageBook

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


@dataclass(frozen=True)
class Listing:
    """Entries that opened, in order, and the ids of any that did not."""

    entries: list[Entry]
    unreadable: list[int] = field(default_factory=list)


class Found(NamedTuple):
    """What a search shows of an entry: its summary from the entry index, and its words. Opening one field
    instead of nine made `search serenity` at 50,000 entries (2,500 hits) about 0.1 s quicker."""

    id: int
    date: datetime
    title: str
    tags: tuple[str, ...]
    tender: bool
    starred: bool
    text: str


class SearchHit(NamedTuple):
    """An entry a search found (whole, or as Found when only shown), and where the words are in it."""

    entry: Entry | Found
    excerpts: list[search.Excerpt]
    title_spans: list[tuple[int, int]]


@dataclass(frozen=True)
class SearchResult:
    """The hits of one search, in the order asked for, and the entries that wouldn't open."""

    query: str
    hits: list[SearchHit]
    unreadable: list[int] = field(default_factory=list)


class EditResult(NamedTuple):
    entry: Entry
    changed: bool
    changed_elsewhere: bool = False


class Journal:
    """An unlocked journal. Every change is one transaction."""

    def __init__(
        self, store: Store, keys: vault.Keys, settings: Settings, clock: Clock | None = None
    ) -> None:
        self.store = store
        self.keys = keys
        self.settings = settings
        self.cipher = keys.fields()
        self.now: Clock = clock or local_now
        self.ledger = Ledger(keys.data_key, keys.journal_id)
        self.index = EntryIndex(self.cipher, keys.journal_id)
        self._index_stale = False  # a read found the index out of step with the rows: build it again
        store.before_write = self._before_write
        store.before_commit = self._settle
        self._after_change: Callable[[Journal], None] | None = None
        self._changes_seen = 0

    # The books a command may turn to, each loaded on first use: reading entries needs none of them.

    @cached_property
    def stages(self) -> StageBook:
        from .stagebook import StageBook

        return StageBook(self)

    @cached_property
    def milestones(self) -> MilestoneBook:
        from .milestones import MilestoneBook

        return MilestoneBook(self)

    @cached_property
    def counters(self) -> CounterBook:
        from .counters import CounterBook

        return CounterBook(self)

    @cached_property
    def care(self) -> CareBook:
        from .caring import CareBook

        return CareBook(self)

    @cached_property
    def drafts(self) -> DraftBook:
        # Its module loads with this one (not on first use like the others): it keeps the words when a save
        # fails, and a module that couldn't be loaded by then (the package upgraded under a running editor)
        # would lose them.
        return DraftBook(self)

    @cached_property
    def access(self) -> AccessBook:
        from .access import AccessBook

        return AccessBook(self)

    # --- opening and keys -------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        settings: Settings,
        passphrase: str | vault.Stretched,
        clock: Clock | None = None,
        fill: Callable[[sqlite3.Connection, crypto.FieldCipher], None] | None = None,
    ) -> tuple[Journal, str]:
        """Make a new journal; return it and its recovery code (to be shown once).

        `passphrase` may come already stretched (vault.stretch). `fill` writes initial contents (a restore)
        inside the same transaction: the journal appears whole.
        """
        if isinstance(passphrase, str):
            vault.check_passphrase(passphrase)
        made: dict[str, tuple[vault.Keys, str]] = {}

        def build(con: sqlite3.Connection) -> None:
            made["keys"] = vault.initialise(con, passphrase, settings.kdf)
            keys = made["keys"][0]
            if fill is not None:
                fill(con, keys.fields())
            capture.set_up(con, keys.fields(), keys.journal_id)
            EntryIndex(keys.fields(), keys.journal_id).rebuild(con, Ledger.establishing(con))
            Ledger(keys.data_key, keys.journal_id).establish(con)

        store = Store.create(settings.paths, settings.lock_timeout, build)
        keys, code = made["keys"]
        return cls(store, keys, settings, clock), code

    @classmethod
    def unlock(cls, settings: Settings, passphrase: str, clock: Clock | None = None) -> Journal:
        return cls._unlocked(settings, lambda con: vault.unlock(con, passphrase), clock)

    @classmethod
    def unlock_with_recovery_code(cls, settings: Settings, code: str, clock: Clock | None = None) -> Journal:
        return cls._unlocked(settings, lambda con: vault.unlock_with_recovery_code(con, code), clock)

    @classmethod
    def resume(cls, settings: Settings, clock: Clock | None = None) -> Journal | None:
        """Open with the key an unlocked session holds (docs/encryption.md); None when none can be used."""
        if not session.listening(settings.paths, settings.env):
            return None
        try:
            return cls._unlocked(settings, lambda con: session.keys(con, settings.paths, settings.env), clock)
        except session.Unavailable:
            return None

    @classmethod
    def _unlocked(
        cls, settings: Settings, unlock: Callable[[sqlite3.Connection], vault.Keys], clock: Clock | None
    ) -> Journal:
        store = Store.open(settings.paths, settings.lock_timeout)
        try:
            with store.read() as con:
                keys = unlock(con)
                noted = vault.slots_intact(con, keys.journal_id) is not None
            journal = cls(store, keys, settings, clock)
            if not store.read_only and not store.foreign:
                if not noted:  # a journal from before the slots checksum
                    with store.write() as con:
                        vault.record_slots_check(con, keys.journal_id)
                if "0004_integrity" in store.upgraded:  # the ledger begins in the run that adds its tables
                    with store.write() as con:
                        journal.ledger.establish(con)
                with store.read() as con:
                    ready = capture.public_key(con) is not None
                if not ready:  # a journal from before quick capture
                    with store.write() as con:
                        capture.set_up(con, journal.cipher, keys.journal_id)
                with store.read() as con:  # the head alone: one row, whatever the journal's size
                    journal._index_stale = not journal.index.fresh(con, Ledger.generation(con))
                journal._mend_index()  # a journal from before the index, or one changed outside
        except BaseException:
            store.close()
            raise
        return journal

    def close(self) -> None:
        self.store.close()

    def withdraw(self) -> bool:
        """Close, and take the journal away again if it holds no entries (one just made for an import that
        then failed); False when it was kept."""
        return self.store.withdraw()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        try:
            if kind is None and self._after_change is not None and self._changed():
                self._after_change(self)
        finally:
            self.close()

    def _changed(self) -> bool:
        try:
            return self.store.con.total_changes != self._changes_seen
        except sqlite3.Error:  # already closed inside the block: nothing more to do with it
            return False

    def after_change(self, then: Callable[[Journal], None]) -> None:
        """Call `then` on leaving the `with` block, if it ended well and the journal was changed since now.

        For work a change should be followed by (a sync, by a setting), decided above the service.
        """
        self._after_change = then
        self._changes_seen = self.store.con.total_changes

    def fold_captures(self) -> tuple[int, list[str]]:
        """Bring quick captures from the inbox into the journal: (entries added, captures that didn't open).

        Each capture becomes an entry with the capture's UUID, all in one transaction; files are removed
        after it commits. One already in the journal (a crash between the two) is only removed.
        """
        waiting = capture.waiting(self.settings.paths.inbox)
        if not waiting or self.store.read_only or self.store.foreign:
            return 0, []
        with self.store.read() as con:
            try:
                private = capture.private_key(con, self.cipher, self.keys.journal_id)
            except InvalidCiphertext:
                raise Tampered(
                    f"The key that opens quick captures is damaged, so {len(waiting)} waiting "
                    f"capture{'' if len(waiting) == 1 else 's'} can't join the journal yet.",
                    hint=f"They stay sealed in {self.settings.paths.inbox}. "
                    "`recovery-journal doctor` shows what else it finds.",
                ) from None
        done: list[Path] = []
        fresh: list[NewEntry] = []
        unreadable: list[str] = []
        for path in waiting:
            try:
                c = capture.load(path, private, self.keys.journal_id)
                new = NewEntry(
                    text=clean_text(c.text),
                    title=clean_title(c.title),
                    tags=clean_tags(c.tags),
                    mood=check_mood(c.mood),
                    date=datetime.fromisoformat(c.date) if c.date else c.captured,
                    tender=c.tender,
                    starred=c.starred,
                    uuid=c.uuid,
                )
            except (InvalidCiphertext, OSError, ValueError, JournalError):
                unreadable.append(path.name)  # left in place, named; never stops the others
                continue
            done.append(path)
            if self.id_for_uuid(c.uuid) is None and all(n.uuid != c.uuid for n in fresh):
                fresh.append(new)
        if fresh:
            self.write_many(fresh)
        for path in done:
            path.unlink(missing_ok=True)
        return len(fresh), unreadable

    def recovery_code_unseen(self) -> bool:
        """Whether the newest recovery code may never have been shown (a command stopped before it could)."""
        with self.store.read() as con:
            return vault.recovery_code_unseen(con)

    def recovery_code_shown(self) -> None:
        """Record that the newest recovery code has been shown in full."""
        if self.store.read_only:
            return
        with self.store.write() as con:
            vault.mark_recovery_code_seen(con)

    def _before_write(self, con: sqlite3.Connection) -> None:
        self.check_key(con)
        queries.watch_changes(con, lambda table, *row: self.ledger.digest(table, row))

    def settle_so_far(self, con: sqlite3.Connection) -> None:
        """Inside a long write transaction (an import), let the index and the ledger take in what it has
        written so far, so what they hold for it stays small; its end settles the rest, as always. Nothing is
        seen outside until the transaction commits, and a rollback takes all of it back.

        Only while the ledger holds: a ledger whose seal doesn't verify takes nothing in, and the rows this
        transaction touched must stay noted as its own until the end, as without this step."""
        if not con.in_transaction:
            raise RuntimeError("settle_so_far is for the write transaction under way")
        if self.ledger.holds(con):
            self._settle(con)

    def _settle(self, con: sqlite3.Connection) -> None:
        """Last in every write transaction: the entry index, then the ledger, take in the rows it touched.

        Every change of any record moves the ledger's generation on, so the index head is sealed again with
        the generation about to be recorded; an index that names another one is out of step, and not used.
        """
        touched = queries.touched(con)
        if touched or self._index_stale:
            generation, upcoming = Ledger.generation(con), self.ledger.upcoming(con)
            if self._index_stale and upcoming is not None:
                self.index.rebuild(con, upcoming)
                self._index_stale = False  # should this roll back, the next read finds it out of step again
            else:
                changed = [rid for table, rid in touched if table == "entries"]
                self.index.refresh(con, changed, generation, upcoming)
            touched = list(dict.fromkeys([*touched, *queries.touched(con)]))
        self.ledger.settle(con, touched)

    def _mend_index(self) -> None:
        """Build the entry index again from the rows when a read found it out of step; never waits for it.

        The rows were read instead meanwhile, so nothing depends on this: a journal busy in another window,
        or one that can't be written, is simply mended another time.
        """
        if not self._index_stale or self.store.read_only or self.store.foreign or self.store.full:
            return
        if self.store.con.in_transaction:
            return  # inside a write: its own last step (_settle) builds the index, as the flag says
        try:
            with self.store.write(wait=False):
                pass  # _settle rebuilds it, last in the transaction, with the generation it will have
        except JournalError:
            return
        self._index_stale = False

    def generation(self) -> int | None:
        """How many changes the integrity ledger has seen (None for a journal without one)."""
        with self.store.read() as con:
            return Ledger.generation(con)

    def use_keys(
        self, keys: vault.Keys, cipher: crypto.FieldCipher, ledger: Ledger, index: EntryIndex
    ) -> None:
        """Seal, check and index with a new data key from now on (a key rotation has committed)."""
        self.keys, self.cipher, self.ledger, self.index = keys, cipher, ledger, index

    def index_rebuilt(self) -> None:
        """The write under way has just built the index again: its last step needn't build it twice."""
        self._index_stale = False

    def check_key(self, con: sqlite3.Connection) -> None:
        """In every write transaction, under the lock: is this window's key still the journal's?"""
        if vault.generation(con) != self.keys.generation:
            raise KeyChanged(
                "The journal was re-encrypted under a new key in another window, so this window can't save "
                "to it any more.",
                hint="Run the command again; it opens the journal with its current passphrase.",
            )

    # --- writing ----------------------------------------------------------------------------------------

    def write(
        self,
        text: str,
        *,
        title: str = "",
        tags: Iterable[str] = (),
        mood: int | None = None,
        date: datetime | None = None,
        tender: bool = False,
        starred: bool = False,
        prompt: str = "",
    ) -> Entry:
        """Save a new entry in one transaction (with the prompt it was written to, if any).

        The words' own @tags and #tags join `tags`, unless the settings turn that off.
        """
        tags = tuple(tags)
        new = NewEntry(
            text=text,
            title=title,
            tags=with_inline_tags(tags, text) if self.settings.inline_tags else tags,
            mood=mood,
            date=date,
            tender=tender,
            starred=starred,
            prompt=prompt,
        )
        return self.write_many([new])[0]

    def write_many(self, new_entries: Iterable[NewEntry]) -> list[Entry]:
        """Save several entries in one transaction: all of them, or (on any error) none."""
        now = self.now()
        prepared = []
        for new in new_entries:
            text = clean_text(new.text)
            prepared.append(
                Entry(
                    id=0,
                    uuid=new.uuid or str(uuidlib.uuid4()),
                    date=new.date or now,
                    created=now,
                    updated=now,
                    title=clean_title(new.title),
                    text=text,
                    tags=clean_tags(new.tags),
                    mood=check_mood(new.mood),
                    stage=self.stages.guess(text),
                    tender=new.tender,
                    starred=new.starred,
                    prompt=clean_prompt(new.prompt) or None,
                )
            )
        sealed = [codec.seal_fields(self.cipher, e.uuid, codec.entry_values(e)) for e in prepared]
        with self.store.write() as con:
            ids = [queries.insert_entry(con, e.uuid, s) for e, s in zip(prepared, sealed, strict=True)]
            for entry, entry_id in zip(prepared, ids, strict=True):
                if entry.prompt:
                    queries.put_entry_prompt(
                        con, entry_id, entry.uuid, codec.seal_prompt(self.cipher, entry.uuid, entry.prompt)
                    )
        return [replace(e, id=i) for e, i in zip(prepared, ids, strict=True)]

    def edit(
        self, entry_id: int, changes: EntryChanges, *, seen_updated: datetime | None = None
    ) -> EditResult:
        """Apply changes, keeping the previous version as a revision. Nothing changes if nothing differs."""
        now = self.now()
        with self.store.write() as con:
            current = self._load(con, entry_id)
            new = _apply(current, changes)
            if new.text != current.text and self.settings.inline_tags:  # new words may bring new #tags
                new = replace(new, tags=with_inline_tags(new.tags, new.text))
            if codec.entry_values(new) == codec.entry_values(current):
                return EditResult(entry=current, changed=False)
            if new.text != current.text and not (current.stage and current.stage.by_writer):
                new = replace(new, stage=self.stages.guess(new.text))
            revision_uuid = str(uuidlib.uuid4())
            queries.insert_revision(
                con, revision_uuid, entry_id, codec.seal_snapshot(self.cipher, revision_uuid, current, now)
            )
            new = replace(new, updated=now, revisions=current.revisions + 1)
            differing = {
                k: v for k, v in codec.entry_values(new).items() if codec.entry_values(current)[k] != v
            }
            differing["updated"] = now
            queries.update_entry(con, entry_id, codec.seal_fields(self.cipher, current.uuid, differing))
        elsewhere = seen_updated is not None and current.updated != seen_updated
        return EditResult(entry=new, changed=True, changed_elsewhere=elsewhere)

    def delete(self, entry_id: int) -> None:
        """Remove an entry and its earlier versions for good."""
        with self.store.write() as con:
            if not queries.delete_entry(con, entry_id):
                raise _not_found(entry_id)

    # --- reading ----------------------------------------------------------------------------------------

    def entry(self, entry_id: int) -> Entry:
        with self.store.read() as con:
            return self._load(con, entry_id)

    def prompts(self) -> tuple[dict[int, str], list[int]]:
        """The prompt of every entry written to one, by entry number; and those whose prompt won't open."""
        found: dict[int, str] = {}
        damaged: list[int] = []
        with self.store.read() as con:
            rows = queries.all_entry_prompts(con)
        for entry_id, entry_uuid, sealed in rows:
            try:
                found[int(entry_id)] = codec.open_prompt(self.cipher, str(entry_uuid), bytes(sealed))
            except InvalidCiphertext:
                damaged.append(int(entry_id))
        return found, damaged

    def history(self, entry_id: int) -> tuple[Entry, list[Revision]]:
        """The entry and every earlier version of it, oldest first."""
        with self.store.read() as con:
            entry = self._load(con, entry_id)
            rows = queries.revisions_of(con, entry_id)
        revisions = []
        for number, (_rid, ruuid, sealed) in enumerate(rows, start=1):
            try:
                revisions.append(codec.open_snapshot(self.cipher, number, ruuid, entry.uuid, sealed))
            except InvalidCiphertext:
                raise Tampered(
                    f"Version {number} of entry {entry_id} couldn't be opened: it was changed outside "
                    "recovery-journal, or damaged.",
                    hint=codec.TAMPERED_HINT,
                ) from None
        return entry, revisions

    def entries(self, wanted: EntryFilter | None = None) -> Listing:
        """Entries matching the filter, oldest first (or newest first), opening only what is shown."""
        wanted = wanted or EntryFilter()
        with self.store.read() as con:
            found = self._summaries(con)
            listing = self._select(con, found, range(len(found)), wanted)
        self._mend_index()
        return listing

    def summaries(self) -> Summaries:
        """Every entry's date, mood, tags, stage and flags: from the entry index, or the rows if it's off."""
        with self.store.read() as con:
            found = self._summaries(con)
        self._mend_index()
        return found

    def check_index(self) -> str:
        """Compare the entry index with a reading of every entry's row; build it again when they differ.

        Returns "ok", "rebuilt", or "differs" (it differs and couldn't be built again now: read-only, busy).
        """
        with self.store.read() as con:
            indexed = self.index.load(con, Ledger.generation(con))
            rows = self.index.scan(con)
            words = indexed is not None and self.index.words_agree(con, Ledger.generation(con))
        if indexed is not None and words and same_summaries(indexed, rows):
            return "ok"
        self._index_stale = True
        self._mend_index()
        return "differs" if self._index_stale else "rebuilt"

    def entry_batches(self, wanted: EntryFilter | None = None, size: int = 500) -> Iterator[Listing]:
        """The entries `entries(wanted)` lists, opened `size` at a time, from one consistent view.

        For exports and backups: the whole journal is never held in memory at once. Entries that won't open
        are named in the batch they belong to (those whose date won't open, in the first).
        """
        wanted = wanted or EntryFilter()
        with self.store.read() as con:
            found = self._summaries(con)
            ids = self._choose(found, range(len(found)), wanted)
            bad = list(found.unreadable)
            del found
            for start in range(0, max(len(ids), 1), size):
                opened = self._open(con, ids[start : start + size], bad)
                yield Listing(entries=opened, unreadable=sorted(set(bad)))
                bad = []
        self._mend_index()

    def search(self, query: str, wanted: EntryFilter | None = None, *, whole: bool = True) -> SearchResult:
        """Entries whose text, title or tags contain `query`, ignoring case: whole entries, or (`whole=False`,
        enough to show them) each as Found, with only its words opened."""
        wanted = wanted or EntryFilter()
        needle = search.fold(query.strip())
        if not needle:
            raise InvalidInput(
                "There's nothing to search for.",
                hint="Give a word or phrase: recovery-journal search boundary",
            )
        tagged = search.as_tag(query)  # '#boundaries' also finds the entries tagged boundaries
        bad: list[int] = []
        fold = search.fold
        with self.store.read() as con:
            found = self._summaries(con)
            # Title and tags come from the index (each different tag folded once), the words from its word
            # blocks: one sealed block per 256 entries.
            # (At 50,000 entries each pass over every entry costs milliseconds: the tags are gathered in C,
            # and the entries are gone through for tags only when some tag matched, as most searches don't.)
            tags = set(chain.from_iterable(found.tags))
            wanted_tags = {tag for tag in tags if needle in (folded := fold(tag)) or folded == tagged}
            found_in = {i for i, title in enumerate(found.titles) if title and needle in fold(title)}
            if wanted_tags:
                found_in.update(
                    i for i, tags in enumerate(found.tags) if tags and not wanted_tags.isdisjoint(tags)
                )
            for entry_id in self._with_words(con, found, needle, bad):
                i = bisect_left(found.ids, entry_id)
                if (
                    i < len(found.ids) and found.ids[i] == entry_id
                ):  # else its summary didn't open: unreadable
                    found_in.add(i)
            if whole:
                listing = self._select(con, found, sorted(found_in), wanted, bad)
                entries: list[Entry] | list[Found] = listing.entries
                unreadable = listing.unreadable
            else:
                entries = self._found(con, found, self._choose(found, sorted(found_in), wanted), bad)
                unreadable = sorted({*found.unreadable, *bad})
        self._mend_index()
        hits = [
            SearchHit(
                entry=e,
                excerpts=search.excerpts(e.text, query.strip()),
                title_spans=search.hit_spans(e.title, query.strip()),
            )
            for e in entries
        ]
        return SearchResult(query=query.strip(), hits=hits, unreadable=unreadable)

    def _found(
        self, con: sqlite3.Connection, found: Summaries, ids: list[int], bad: list[int]
    ) -> list[Found]:
        """These entries, in this order, as a search shows them: the summary, and the text field opened."""
        texts: dict[int, str] = {}
        for entry_id, entry_uuid, sealed in queries.entries_by_id(con, ids, ("text",)):
            try:
                texts[int(entry_id)] = codec.open_text(self.cipher, entry_uuid, sealed)
            except InvalidCiphertext:
                bad.append(int(entry_id))
        shown = []
        titles, tags = found.titles, found.tags
        for entry_id in ids:
            if entry_id not in texts:
                continue
            i = bisect_left(found.ids, entry_id)
            shown.append(
                Found(
                    id=entry_id,
                    date=found.when(i),
                    title=titles[i],
                    tags=tags[i],
                    tender=found.tender(i),
                    starred=found.starred(i),
                    text=texts[entry_id],
                )
            )
        return shown

    def _with_words(
        self, con: sqlite3.Connection, found: Summaries, needle: str, bad: list[int]
    ) -> list[int]:
        """The entries whose words contain `needle` (folded): from the index's word blocks, one sealed block
        per chunk, or, for any block not as sealed (or all, when the summaries came from the rows), from the
        entries' own text fields. Entries whose words won't open go to `bad`."""
        head = self.index.head(con, Ledger.generation(con)) if found.from_index else None
        if head is None:
            return self._words_in_rows(con, needle, bad)
        matched: list[int] = []
        for number in sorted(head.chunks):  # the chunks the summaries were read from
            block = self.index.word_block(con, number, head.words.get(number))
            if block is None:  # not as sealed: this chunk's entries are read from their rows, and it's mended
                self._index_stale = True
                matched += self._words_in_rows(con, needle, bad, number)
                continue
            positions = search.packed_matches(block.body, block.starts, block.lengths, needle)
            matched += [block.ids[i] for i in positions]
            bad += block.unreadable
        return matched

    def _words_in_rows(
        self, con: sqlite3.Connection, needle: str, bad: list[int], chunk: int = 0
    ) -> list[int]:
        """Entries (all, or one index chunk's) whose own text field holds `needle`, opened one by one."""
        matched: list[int] = []
        fold = search.fold
        first, last = (1, None) if not chunk else chunk_span(chunk)
        for entry_id, entry_uuid, sealed in queries.each_entry(con, ("text",), since_id=first - 1):
            if last is not None and entry_id > last:
                break
            try:
                text = codec.open_text(self.cipher, entry_uuid, sealed)
            except InvalidCiphertext:
                bad.append(int(entry_id))
                continue
            if needle in fold(text):
                matched.append(int(entry_id))
        return matched

    def on_this_day(self, day: date, *, include_tender: bool = False) -> tuple[list[Entry], int, list[int]]:
        """Entries from this month and day in earlier years, newest first; tender ones only when asked.

        Returns (entries, tender entries left out, unreadable ids). On 28 February of a year without a 29th,
        entries from 29 February are included too.
        """
        wanted = {(day.month, day.day)}
        if (day.month, day.day) == (2, 28) and not _leap(day.year):
            wanted.add((2, 29))
        with self.store.read() as con:
            found = self._summaries(con)
            days = [found.day(i) for i in range(len(found))]
            chosen = [i for i, d in enumerate(days) if (d.month, d.day) in wanted and d.year < day.year]
            listing = self._select(con, found, chosen, EntryFilter(newest_first=True))
        self._mend_index()
        shown, folded = leave_out_tender(listing.entries, include_tender)
        return shown, folded, listing.unreadable

    def tags(self) -> tuple[list[tuple[str, int]], list[int]]:
        """Every tag with how many entries carry it, most used first; and unreadable entry ids."""
        found = self.summaries()
        counts = Counter(chain.from_iterable(found.tags))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), sorted(found.unreadable)

    def count(self) -> int:
        with self.store.read() as con:
            return queries.entry_count(con)

    # --- internals --------------------------------------------------------------------------------------

    def _load(self, con: sqlite3.Connection, entry_id: int) -> Entry:
        row = queries.entry_by_id(con, entry_id)
        if row is None:
            raise _not_found(entry_id)
        if not self.ledger.row_intact(con, "entries", entry_id):
            raise Tampered(
                f"Entry {entry_id} isn't as it was last saved: it may be an older copy put back by a sync or "
                "backup tool, or damaged, or changed outside recovery-journal.",
                hint=codec.TAMPERED_HINT,
            )
        count = queries.revision_counts(con, [entry_id]).get(entry_id, 0)
        entry = codec.open_entry(self.cipher, row, queries.ENTRY_FIELDS, count)
        sealed_prompt = queries.entry_prompt(con, entry_id)
        if sealed_prompt is None:
            return entry
        try:
            return replace(entry, prompt=codec.open_prompt(self.cipher, entry.uuid, sealed_prompt))
        except InvalidCiphertext:
            raise codec.tampered(entry_id, "The prompt of entry") from None

    def id_for_uuid(self, entry_uuid: str) -> int | None:
        with self.store.read() as con:
            row = con.execute("SELECT id FROM entries WHERE uuid = ?", (entry_uuid,)).fetchone()
        return None if row is None else int(row[0])

    def _summaries(self, con: sqlite3.Connection) -> Summaries:
        """The entry index when it reflects the journal as it is; else the rows themselves (and mend it)."""
        if queries.touching(con, "entries"):  # inside a write that changed entries: not in the index yet
            return self.index.scan(con)
        found = self.index.load(con, Ledger.generation(con))
        if found is None:
            self._index_stale = True
            found = self.index.scan(con)
        return found

    def _select(
        self,
        con: sqlite3.Connection,
        found: Summaries,
        chosen: Iterable[int],
        wanted: EntryFilter,
        bad: Iterable[int] = (),
    ) -> Listing:
        """Open the entries at the `chosen` positions of `found` that the filter wants, in date order."""
        unreadable = [*found.unreadable, *bad]
        opened = self._open(con, self._choose(found, chosen, wanted), unreadable)
        # The order the rows themselves give, should the index ever be behind them.
        entries = sorted(opened, key=lambda e: (e.date, e.id), reverse=wanted.newest_first)
        return Listing(entries=entries, unreadable=sorted(set(unreadable)))

    @staticmethod
    def _choose(found: Summaries, chosen: Iterable[int], wanted: EntryFilter) -> list[int]:
        """The ids of the entries at the `chosen` positions of `found` that the filter keeps, in shown order.

        `chosen` is in ascending order, as positions follow entry numbers.
        """
        if wanted.since is not None or wanted.until is not None:
            first = -1 if wanted.since is None else wanted.since.toordinal()
            last = date.max.toordinal() if wanted.until is None else wanted.until.toordinal()
            chosen = [i for i in chosen if first <= found.day_number(i) <= last]
        if wanted.tags:
            asked = set(wanted.tags)
            chosen = [i for i in chosen if asked.intersection(found.tags[i])]
        if wanted.stages:
            chosen = [i for i in chosen if (s := found.stages[i]) is not None and s.value in wanted.stages]
        if wanted.starred:
            chosen = [i for i in chosen if found.starred(i)]
        order = found.in_date_order(chosen)
        if wanted.limit is not None:
            order = order[-wanted.limit :] if wanted.limit > 0 else []
        ids = [found.ids[i] for i in order]
        return ids[::-1] if wanted.newest_first else ids

    def _open(self, con: sqlite3.Connection, ids: list[int], bad: list[int]) -> list[Entry]:
        """These entries opened, in this order; those that won't open go to bad."""
        counts = queries.revision_counts(con, ids)
        opened: dict[int, Entry] = {}
        for row in queries.entries_by_id(con, ids):
            entry_id = int(row[0])
            try:
                opened[entry_id] = codec.open_entry(
                    self.cipher, row, queries.ENTRY_FIELDS, counts.get(entry_id, 0)
                )
            except Tampered:
                bad.append(entry_id)
        return [opened[i] for i in ids if i in opened]


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _not_found(entry_id: int) -> NotFound:
    return NotFound(
        f"There's no entry {entry_id}.",
        hint="`recovery-journal list` shows the entries and their numbers.",
    )


def _apply(entry: Entry, changes: EntryChanges) -> Entry:
    return replace(
        entry,
        text=entry.text if changes.text is None else clean_text(changes.text),
        title=entry.title if changes.title is None else clean_title(changes.title),
        tags=entry.tags if changes.tags is None else clean_tags(changes.tags),
        mood=None
        if changes.clear_mood
        else (entry.mood if changes.mood is None else check_mood(changes.mood)),
        date=entry.date if changes.date is None else changes.date,
        tender=entry.tender if changes.tender is None else changes.tender,
        starred=entry.starred if changes.starred is None else changes.starred,
    )
