"""A large import guesses stages on other cores: the same stages and cues as guessing them one by one."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid as uuidlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from recovery_journal.domain.entry import Entry
from recovery_journal.errors import InvalidInput
from recovery_journal.journal.service import Journal
from recovery_journal.portability import backup, guessing, importers, merge, portable
from recovery_journal.stages.model import Stage, classify_with, shipped
from recovery_journal.stages.personal import PersonalModel
from recovery_journal.stages.record import StageRecord

from .conftest import Cli

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


def _corrected() -> dict[str, Any]:
    personal = PersonalModel()
    personal.learn(WORDS[0], Stage.RECOVERY)
    return personal.to_json()


def test_workers_started_ahead_are_taken_up_by_the_import_or_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guessing, "LEAST", 10)
    entries = _entries(30)
    workers = min(guessing.cores(), 4)
    if workers < 2:
        pytest.skip("one core: nothing is guessed on others")
    with guessing.started_ahead(0):  # a small file: nothing started
        assert guessing._waiting is None
    with guessing.started_ahead(10 * guessing.AN_ENTRY):
        assert guessing._waiting is not None
        started = guessing._waiting[0]
        with guessing.guesser(entries, len(entries), _here, _corrected(), workers=workers) as guess:
            assert isinstance(guess, guessing.Ahead)
            assert guess.feed.pool is not started, "workers with no personal model can't guess with one"
        with guessing.guesser(entries, len(entries), _here, None, workers=workers) as guess:
            assert isinstance(guess, guessing.Ahead)
            assert guess.feed.pool is started
            assert [guess(e.text) for e, _ in entries] == [_here(e.text) for e, _ in entries]
        assert guessing._waiting is None
    with guessing.started_ahead(10 * guessing.AN_ENTRY):
        unused = guessing._waiting[0] if guessing._waiting else None
    assert unused is not None and guessing._waiting is None
    with pytest.raises(RuntimeError):  # stopped on leaving: it takes no more work
        unused.submit(guessing._ready)


def test_a_large_import_or_restore_starts_its_workers_once_while_reading_and_guesses_as_here(
    cli: Cli, tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers are started before the file is counted and the journal made, then used by the merge:
    never a second set. The stages are the ones guessed in this process."""
    monkeypatch.setattr(guessing, "LEAST", 30)
    monkeypatch.setattr(guessing, "AN_ENTRY", 16)  # so that this small file is likely large enough
    entries = _entries(45)
    started: list[tuple[Any, ...]] = []
    counted_after: list[int] = []
    real_spawned, real_tally = guessing._spawned, importers.tally
    monkeypatch.setattr(guessing, "_spawned", lambda *a: started.append(a) or real_spawned(*a))
    monkeypatch.setattr(
        importers, "tally", lambda *a, **k: counted_after.append(len(started)) or real_tally(*a, **k)
    )
    source = tmp_path / "journal.txt"
    source.write_text(
        "".join(f"[{e.date:%Y-%m-%d %H:%M}] {e.text}\n\n" for e, _ in entries), encoding="utf-8"
    )
    ran = cli("import", "jrnl", str(source))
    assert ran.exit_code == 0, ran.stderr
    workers = min(guessing.cores(), 4)
    if workers < 2:
        assert started == []
        return
    assert started == [(workers, None)], "started once, ahead, and taken up"
    assert counted_after and counted_after[0] == 1, "started before the file was counted"
    listed = json.loads(cli("list", "--json", "--limit", "100").stdout)["entries"]
    guessed = {e["text"].strip(): e["stage"] for e in listed}
    assert len(guessed) == 45
    for entry, _ in entries[::7]:
        stage = _here(entry.text).stage
        assert guessed[entry.text] == (stage.value if stage else None)
    backup_file = tmp_path / "all.rjbackup"
    assert cli("backup", "create", str(backup_file)).exit_code == 0
    started.clear()
    monkeypatch.setattr(guessing, "AN_ENTRY", 1)  # the backup is compressed
    read_after: list[int] = []
    real_read = backup.read
    monkeypatch.setattr(backup, "read", lambda *a, **k: read_after.append(len(started)) or real_read(*a, **k))
    restored = cli("--journal", str(tmp_path / "again"), "backup", "restore", str(backup_file))
    assert restored.exit_code == 0, restored.stderr
    assert started == [(workers, None)] and read_after[0] == 1, "a restore starts them before reading too"
