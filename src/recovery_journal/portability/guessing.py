"""Stage guesses for a large import or restore, made ahead on the other cores while entries are written.

Guessing a stage is most of an import's time (about 0.7 ms an entry). For a few thousand entries or more, the
entries' words go, a few hundred at a time, to worker processes started fresh (spawn: they inherit no key, no
open journal and no thread) that guess with the same shipped model and the same personal model; the guesses
come back in order, through pipes in memory, never through a file. Only a few chunks are ever in flight, so a
large import holds no more than it did. A guess is the same whichever process makes it (classify_with is
pure); if the workers can't be used, the entry is guessed here as before.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..domain.entry import Entry, Revision
from ..stages.record import StageRecord

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

LEAST = 2000  # fewer new entries than this are guessed here: starting workers would cost more than it saves
CHUNK = 200  # entries a worker is given at a time
Guess = Callable[[str], StageRecord]

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
    global _worker
    _worker = (shipped(), None if personal is None else PersonalModel.from_json(personal))


def _guess_chunk(texts: list[str]) -> list[tuple[bytes, StageRecord]]:
    from ..stages.model import classify_with

    if _worker is None:  # only ever called in a worker _start has set up
        _start(None)
    model, personal = _worker  # type: ignore[misc]
    return [
        (_digest(text), StageRecord.from_model(classify_with(model, text, personal), model.name))
        for text in texts
    ]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Ahead:
    """guess(text) for the entries' texts asked in their order (some skipped), guessed ahead by workers."""

    def __init__(self, results: Iterator[tuple[bytes, StageRecord]], here: Guess) -> None:
        self.results, self.here = results, here
        self.broken = False

    def __call__(self, text: str) -> StageRecord:
        wanted = _digest(text)
        while not self.broken:
            try:
                found = next(self.results, None)
            except Exception:  # a worker that failed: the rest are guessed here, the same way
                self.broken = True
                break
            if found is None:
                break
            if found[0] == wanted:
                return found[1]
        return self.here(text)


@contextmanager
def guesser(
    entries: Iterable[tuple[Entry, list[Revision]]],
    count: int,
    here: Guess,
    personal: dict[str, Any] | None,
    *,
    workers: int | None = None,
) -> Iterator[Guess]:
    """A guess for `entries` (those with no stage, in order): on other cores when there are many, else `here`.

    `here` and `personal` must guess alike: `here` is classify_with(shipped(), text, the personal model of
    `personal`). Leaving the block stops the workers.
    """
    workers = min(cores(), 4) if workers is None else workers
    if count < LEAST or workers < 2:
        yield here
        return
    texts = (entry.text for entry, _ in entries if entry.stage is None)
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start, initargs=(personal,)) as pool:
        yield Ahead(_in_order(pool, texts, 2 * workers), here)


def _in_order(pool: Any, texts: Iterator[str], window: int) -> Iterator[tuple[bytes, StageRecord]]:
    pending: deque[AsyncResult[list[tuple[bytes, StageRecord]]]] = deque()
    while True:
        chunk = list(islice(texts, CHUNK))
        if chunk:
            pending.append(pool.apply_async(_guess_chunk, (chunk,)))
        if not pending:
            return
        if len(pending) >= window or not chunk:
            yield from pending.popleft().get()
