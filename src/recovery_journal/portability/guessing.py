"""Stage guesses for a large import or restore, made ahead on the other cores while entries are written.

Guessing a stage is most of an import's time (about 0.7 ms an entry). For a few thousand entries or more, the
entries' words go, a few hundred at a time, to worker processes started fresh (spawn: they inherit no key, no
open journal and no thread) that guess with the same shipped model and the same personal model; the guesses
come back in order, through pipes in memory, never through a file. Only a few chunks are ever in flight, so a
large import holds no more than it did. A guess is the same whichever process makes it (stagebook.guess_stage
is pure); if the workers can't be used, or one of them dies (the system ran short of memory), the entries
not yet guessed are guessed here, the same way.

The merge keeps a core busy too, so there is one worker fewer than cores, and this process guesses as well:
the workers are sent only what they can start on next (two chunks each); whenever the next chunk's guesses
aren't back yet, this process guesses the farthest chunk read but not sent, instead of waiting. On two cores
(one worker) that made a 50,000-entry import a tenth faster than two workers sharing the cores with the
merge. (Nothing sent is ever taken back: a cancelled task can leave Python 3.11's pool unable to stop.)

The workers ignore Ctrl-C: the command hears it and stops them.

The entries are read once (`through`): the chunks sent to the workers are kept, in order, for the merge, so a
jrnl file is not parsed a second time just to find the words to send.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from typing import Any

from ..domain.entry import Entry, Revision
from ..stages.record import StageRecord
from .portable import Incoming

LEAST = 2000  # fewer new entries than this are guessed here: starting workers would cost more than it saves
CHUNK = 200  # entries a worker is given at a time
AHEAD = 4  # chunks read ahead for each process guessing (the workers and this one)
SENT = 2  # chunks sent to each worker at a time: the one it guesses, and the next
KEPT_MOST = 4000  # entries read ahead for the workers and kept for the merge, at most (a bound on memory)
Guess = Callable[[str], StageRecord]
Pair = tuple[Entry, list[Revision]]

_worker: tuple[Any, Any] | None = None  # in a worker: (the shipped model, the personal model or None)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start(personal: dict[str, Any] | None) -> None:
    from ..sealing.hardening import harden_process
    from ..stages.model import shipped
    from ..stages.personal import PersonalModel

    harden_process()  # a fresh process holding entries' words: no core files, no one attaching, as here
    # Ctrl-C reaches every process of the terminal's job: the command stops the workers itself, and a worker
    # interrupted mid-chunk would only print its stack.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker
    _worker = (shipped(), None if personal is None else PersonalModel.from_json(personal))


def _guess_chunk(texts: list[str]) -> list[tuple[bytes, StageRecord]]:
    from ..journal.stagebook import guess_stage

    if _worker is None:  # only ever called in a worker _start has set up
        _start(None)
    model, personal = _worker  # type: ignore[misc]
    return [(_digest(text), guess_stage(model, text, personal)) for text in texts]


def _ready() -> None:
    """A task that only makes a worker start (the pool starts one for each task it has no idle worker for)."""


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Chunk:
    """A chunk's words: sent to the workers, or guessed here."""

    __slots__ = ("guessed", "sent", "texts")

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.sent: Future[list[tuple[bytes, StageRecord]]] | None = None
        self.guessed: list[tuple[bytes, StageRecord]] | None = None

    def waiting(self) -> bool:
        """Sent, and its guesses not back yet."""
        return self.sent is not None and not self.sent.done()

    def guess_here(self, here: Guess) -> list[tuple[bytes, StageRecord]]:
        self.guessed = [(_digest(text), here(text)) for text in self.texts]
        return self.guessed

    def guesses(self, here: Guess) -> list[tuple[bytes, StageRecord]]:
        if self.sent is not None:
            return self.sent.result()
        return self.guessed if self.guessed is not None else self.guess_here(here)


class _Feed:
    """One pass over the entries: each chunk's words go to the workers as it is read, and, when the merge
    goes through them too (`kept`), the entries wait in order for it."""

    def __init__(
        self, pool: ProcessPoolExecutor, entries: Iterable[Pair], window: int, sending: int, here: Guess
    ) -> None:
        self.pool, self.source, self.window, self.here = pool, iter(entries), window, here
        self.sending = sending  # chunks with the workers at a time, at most
        self.pending: deque[_Chunk] = deque()
        self.kept: deque[Pair] | None = None  # None until the merge reads through `entries`
        self.ended = False
        self.stopped = False  # the workers can take no more: the rest are guessed here
        self.failed: BaseException | None = None  # reading the source failed: the merge must hear it

    def _read(self) -> bool:
        """Read the next chunk, sending the words of the entries without a stage to the workers."""
        if self.ended:
            return False
        texts: list[str] = []
        read = 0
        try:
            for pair in islice(self.source, CHUNK):
                read += 1
                if self.kept is not None:
                    self.kept.append(pair)
                if pair[0].stage is None:
                    texts.append(pair[0].text)
        except BaseException as exc:  # a file changed or unreadable: the merge stops with it, nothing saved
            self.ended, self.failed = True, exc
            raise
        if not read:
            self.ended = True
            return False
        if texts and not self.stopped:
            self.pending.append(_Chunk(texts))
            self._send()
        return True

    def _send(self) -> None:
        """Send the workers the first chunks not sent, as far as they have room."""
        with_workers = sum(1 for chunk in self.pending if chunk.sent is not None)
        for chunk in self.pending:
            if with_workers >= self.sending:
                return
            if chunk.sent is None and chunk.guessed is None:
                try:
                    chunk.sent = self.pool.submit(_guess_chunk, chunk.texts)
                except RuntimeError:  # a worker died (BrokenProcessPool is one): the rest are guessed here
                    self.stopped = True
                    return
                with_workers += 1

    def results(self) -> Iterator[tuple[bytes, StageRecord]]:
        """The guesses, in the entries' order, with a few chunks always in flight ahead."""
        while True:
            while len(self.pending) < self.window and len(self.kept or ()) < KEPT_MOST and self._read():
                pass
            if self.stopped and not any(chunk.sent is not None for chunk in self.pending):
                return  # what was sent has come back, and the workers take no more: guessed here from now
            if not self.pending and not self._read():
                return
            if self.pending:
                self._help()
                chunk = self.pending.popleft()
                self._send()  # its place with the workers goes to the next chunk
                yield from chunk.guesses(self.here)

    def _help(self) -> None:
        """While the next chunk is with a worker, guess here the farthest chunk not sent: the workers would
        reach it last."""
        head = self.pending[0]
        while head.waiting():
            for chunk in reversed(self.pending):
                if chunk.sent is None and chunk.guessed is None:
                    chunk.guess_here(self.here)
                    break
            else:
                return  # everything read is with the workers or guessed: the next guesses are on their way

    def entries(self) -> Iterator[Pair]:
        """The entries, in order, each read once: those the workers were sent first, then the rest."""
        kept = self.kept = deque() if self.kept is None else self.kept
        while True:
            if not kept:
                if self.failed is not None:
                    raise self.failed
                if not self._read():
                    return
                continue
            yield kept.popleft()


class _OnePass(Collection[Pair]):
    """The entries of an import as the merge reads them: through the feed, once."""

    def __init__(self, feed: _Feed, count: int) -> None:
        self.feed, self.count, self.used = feed, count, False
        feed.kept = deque()

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Pair]:
        if self.used:
            raise RuntimeError("an import's entries are read once")
        self.used = True
        return self.feed.entries()

    def __contains__(self, item: object) -> bool:
        raise TypeError("an import's entries are read once, in order")


class Ahead:
    """guess(text) for the entries' texts asked in their order (some skipped), guessed ahead by workers."""

    def __init__(self, feed: _Feed, here: Guess) -> None:
        self.feed, self.here = feed, here
        self.results = feed.results()
        self.broken = False

    @property
    def given_up(self) -> bool:
        """Whether the workers stopped (one failed or died), so the entries left are guessed here."""
        return self.broken or self.feed.stopped

    def __call__(self, text: str) -> StageRecord:
        wanted = _digest(text)
        while not self.broken:
            try:
                found = next(self.results, None)
            except Exception:  # a worker that failed or died: the rest are guessed here, the same way
                self.broken = True
                break
            if found is None:
                break
            if found[0] == wanted:
                return found[1]
        return self.here(text)


def through(guess: Callable[[str], StageRecord | None], incoming: Incoming) -> Incoming:
    """`incoming` with its entries read once, shared with the workers guessing ahead; as it was otherwise.

    A large jrnl import is read from its file as it goes; without this, the words sent to the workers and the
    entries merged were each read and parsed from it.
    """
    if not isinstance(guess, Ahead) or guess.feed.kept is not None:
        return incoming
    return replace(incoming, entries=_OnePass(guess.feed, len(incoming.entries)))


def _spawned(workers: int, personal: dict[str, Any] | None) -> ProcessPoolExecutor:
    """`workers` fresh processes (spawn: they inherit no key, no open journal and no thread), all starting."""
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(personal,))
    with _ctrl_c_ignored():  # each task it can't give an idle worker starts one, here and now
        for _ in range(workers):
            pool.submit(_ready)
    return pool


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Ctrl-C ignored for the moment the workers are started: a started process keeps that from its first
    instruction, so one still starting is not ended by it either (here it is heard again straight after)."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: _start ignores it as soon as the worker is up
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Send no more; a worker finishes the few chunks it has (a fraction of a second) and ends. (Nothing
    is cancelled: on Python 3.11 a cancelled task in a pool that then loses a worker leaves it unable to
    stop, python/cpython#107219.)"""
    pool.shutdown(wait=False)


@contextmanager
def guesser(
    entries: Iterable[Pair],
    count: int,
    here: Guess,
    personal: dict[str, Any] | None,
    *,
    workers: int | None = None,
) -> Iterator[Guess]:
    """A guess for `entries` (those with no stage, in order): on other cores when there are many, else `here`.

    `here` and `personal` must guess alike: `here` is stagebook.guess_stage(shipped(), text, the personal
    model of `personal`). `workers` defaults to one fewer than the cores (at most four). Leaving the block
    stops the workers. Pass the merge `through(guess, incoming)` so that the entries are read only once.
    """
    workers = min(cores(), 5) - 1 if workers is None else workers
    if count < LEAST or workers < 1:
        yield here
        return
    pool = _spawned(workers, personal)
    window = min(AHEAD * (workers + 1), KEPT_MOST // CHUNK)
    try:
        yield Ahead(_Feed(pool, entries, window, SENT * workers, here), here)
    finally:
        _stop(pool)
