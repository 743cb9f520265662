"""A large import guesses stages on other cores: the same stages and cues as guessing them one by one."""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
import uuid as uuidlib
from collections.abc import Collection, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from recovery_journal.domain.entry import Entry
from recovery_journal.errors import InvalidInput
from recovery_journal.journal.service import Journal
from recovery_journal.portability import backup, guessing, importers, merge, portable
from recovery_journal.stages.model import Stage, classify_with, shipped
from recovery_journal.stages.record import StageRecord

UTC = timezone.utc
WORDS = [
    "He said I was too sensitive and I believed him again.",
    "I keep replaying the argument, was it my fault?",
    "Today I held my boundary and said no without explaining.",
    "I signed up for pottery. I laughed with a friend.",
    "I miss who I was before. I cried for the years I lost.",
    "Nothing much happened; I walked to the shop.",
    "She twisted my words and I apologised for things I never did.",
    "I'm learning what gaslighting is, and the word fits.",
]


def _entries(count: int) -> list[tuple[Entry, list]]:  # type: ignore[type-arg]
    start = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    made = []
    for n in range(count):
        text = f"{WORDS[n % len(WORDS)]} {WORDS[(n * 3 + 1) % len(WORDS)]} Day {n}."
        entry = importers.make_entry(str(uuidlib.UUID(int=n + 1)), start + timedelta(hours=n), text, [])
        assert entry is not None
        made.append((entry, []))
    return made


def test_workers_guess_exactly_what_one_process_guesses() -> None:
    model = shipped()

    def here(text: str) -> StageRecord:
        return StageRecord.from_model(classify_with(model, text), model.name)

    entries = _entries(60)
    skipped = {3, 17, 40}  # asked for only some of them, in order, as a merge does for new entries
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(guessing, "LEAST", 10)
        with guessing.guesser(entries, len(entries), here, None, workers=2) as guess:
            assert isinstance(guess, guessing.Ahead)
            ahead = [guess(e.text) for n, (e, _) in enumerate(entries) if n not in skipped]
            assert not guess.broken
    alone = [here(e.text) for n, (e, _) in enumerate(entries) if n not in skipped]
    assert ahead == alone
    assert {r.stage for r in ahead} != {ahead[0].stage}  # the entries really differ


def test_few_entries_are_guessed_in_process() -> None:
    def here(text: str) -> StageRecord:
        raise AssertionError("not called")

    with guessing.guesser(_entries(5), 5, here, None, workers=2) as guess:
        assert guess is here


def test_an_import_on_other_cores_applies_the_personal_model_as_before(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    taught = journal.write("I signed up for pottery and said no to him, and it felt steady.")
    journal.stages.set(taught.id, Stage.RECOVERY)
    assert journal.stages.personal().corrections
    entries = _entries(40)
    monkeypatch.setattr(guessing, "LEAST", 10)
    asked_here: list[str] = []
    real_guess = journal.stages.guess
    monkeypatch.setattr(journal.stages, "guess", lambda text: asked_here.append(text) or real_guess(text))
    report = backup.merge(journal, portable.Incoming(entries=entries))
    assert report.entries_added == 40
    assert asked_here == []  # every one was guessed by the workers
    stored = {e.uuid: e for e in journal.entries().entries}
    for entry, _ in entries:
        assert stored[entry.uuid].stage == real_guess(entry.text)


class _Counted(Collection[tuple[Entry, list]]):  # type: ignore[type-arg]
    """Entries that count how often they are gone through, and can fail part way, as a changed file does."""

    def __init__(self, entries: list[tuple[Entry, list]], fail_at: int | None = None) -> None:  # type: ignore[type-arg]
        self.entries, self.fail_at, self.passes = entries, fail_at, 0

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, item: object) -> bool:
        return item in self.entries

    def __iter__(self) -> Iterator[tuple[Entry, list]]:  # type: ignore[type-arg]
        self.passes += 1
        for n, pair in enumerate(self.entries):
            if n == self.fail_at:
                raise InvalidInput("The file changed while it was being imported.", hint="Run it again.")
            yield pair


def test_a_large_import_reads_its_entries_once_and_guesses_them_as_one_process_would(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guessing, "LEAST", 10)
    monkeypatch.setattr(guessing, "CHUNK", 7)  # many chunks, and a merge batch that isn't a whole number
    monkeypatch.setattr(merge, "MERGE_BATCH", 25)
    entries = _Counted(_entries(130))
    report = backup.merge(journal, portable.Incoming(entries=entries))
    assert report.entries_added == 130
    assert entries.passes == 1  # the workers' words and the merge's entries came from one reading
    model = shipped()
    stored = {e.uuid: e for e in journal.entries().entries}
    for entry, _ in entries.entries:
        assert stored[entry.uuid].stage == StageRecord.from_model(
            classify_with(model, entry.text), model.name
        )


def test_a_source_failing_part_way_through_a_large_import_saves_nothing(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guessing, "LEAST", 10)
    monkeypatch.setattr(guessing, "CHUNK", 7)
    journal.write("Already here before the import.")
    entries = _Counted(_entries(80), fail_at=60)
    with pytest.raises(InvalidInput):
        backup.merge(journal, portable.Incoming(entries=entries))
    assert [e.text for e in journal.entries().entries] == ["Already here before the import."]


def _here(text: str) -> StageRecord:
    model = shipped()
    return StageRecord.from_model(classify_with(model, text), model.name)


def _worker_pids(guess: guessing.Ahead) -> list[int]:
    return list(guess.feed.pool._processes)  # the executor's own record of its processes


def _noticed_broken(guess: guessing.Ahead, within: float = 30.0) -> None:
    """Wait for the executor's own thread to notice a killed worker (it does so on its own time)."""
    deadline = time.monotonic() + within
    while not guess.feed.pool._broken:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "the pool never noticed its dead worker"
        time.sleep(0.01)


def test_a_worker_that_dies_leaves_the_rest_to_be_guessed_here_the_same_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The system may end a worker (short of memory): the import goes on, never waits for it forever."""
    monkeypatch.setattr(guessing, "LEAST", 10)
    monkeypatch.setattr(guessing, "CHUNK", 5)
    entries = _entries(80)
    with guessing.guesser(entries, len(entries), _here, None, workers=2) as guess:
        assert isinstance(guess, guessing.Ahead)
        first = [guess(e.text) for e, _ in entries[:5]]
        assert not guess.given_up
        os.kill(_worker_pids(guess)[0], signal.SIGKILL)
        _noticed_broken(guess)  # else this process may guess the rest before the pool hears of it
        rest = [guess(e.text) for e, _ in entries[5:]]
        assert guess.given_up, "the dead worker was noticed"
    assert first + rest == [_here(e.text) for e, _ in entries]


@contextmanager
def _as_from_a_terminal() -> Iterator[None]:
    """Ctrl-C heard and not blocked, as in a command run from a terminal (pytest run in the background has
    it ignored, and a started process would carry that on, whatever the code did)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def test_workers_leave_ctrl_c_to_the_command(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C reaches every process of the terminal's job; the workers carry on, printing nothing, and the
    command (which heard it too) stops them."""
    monkeypatch.setattr(guessing, "LEAST", 10)
    monkeypatch.setattr(guessing, "CHUNK", 5)
    entries = _entries(40)
    with _as_from_a_terminal(), guessing.guesser(entries, len(entries), _here, None, workers=2) as guess:
        assert isinstance(guess, guessing.Ahead)
        for pid in _worker_pids(guess):  # at once: ignored while they are still starting too
            os.kill(pid, signal.SIGINT)
        time.sleep(0.3)
        assert [guess(e.text) for e, _ in entries] == [_here(e.text) for e, _ in entries]
        assert not guess.given_up, "no worker was stopped by it"
    assert "KeyboardInterrupt" not in capfd.readouterr().err


class _SlowWorker:
    """A pool of one worker that takes its time (as one sharing a busy core does), in the order sent."""

    def __init__(self, guess: Any) -> None:
        self.guess, self.did, self.most = guess, list[str](), 0
        self.waiting: queue.Queue[tuple[Future[Any], list[str]] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def submit(self, fn: Any, texts: list[str]) -> Future[Any]:
        sent: Future[Any] = Future()
        self.waiting.put((sent, texts))
        self.most = max(self.most, self.waiting.qsize())
        return sent

    def _run(self) -> None:
        while (item := self.waiting.get()) is not None:
            sent, texts = item
            time.sleep(0.02)
            self.did += texts
            sent.set_result([(guessing._digest(text), self.guess(text)) for text in texts])

    def stop(self) -> None:
        self.waiting.put(None)
        self.thread.join()


def test_this_process_guesses_what_the_workers_have_not_been_sent_while_it_waits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each text is guessed once, by a worker or here, and the guesses come back in order: the workers are
    sent only what they can start on next, and what waits is guessed here (the farthest first)."""
    monkeypatch.setattr(guessing, "CHUNK", 5)
    entries = _entries(80)
    texts = [e.text for e, _ in entries]
    alone = {text: _here(text) for text in texts}
    worker = _SlowWorker(alone.__getitem__)
    here_did: list[str] = []

    def here(text: str) -> StageRecord:
        here_did.append(text)
        return alone[text]

    feed = guessing._Feed(worker, entries, 8, 2, here)  # type: ignore[arg-type]
    guess = guessing.Ahead(feed, here)
    try:
        assert [guess(text) for text in texts] == [alone[text] for text in texts]
    finally:
        worker.stop()
    assert here_did and worker.did, "both guessed some"
    assert sorted(here_did + worker.did) == sorted(texts), "each exactly once"
    assert worker.most <= 2, "never more sent than it can start on next"
    first_here = texts.index(here_did[0])
    assert first_here >= 3 * 5, "what it guesses first is far ahead of what the worker has"
