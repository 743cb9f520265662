"""A large import guesses stages on other cores: the same stages and cues as guessing them one by one."""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime, timedelta, timezone

import pytest

from recovery_journal.domain.entry import Entry
from recovery_journal.journal.service import Journal
from recovery_journal.portability import backup, guessing, importers, portable
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
