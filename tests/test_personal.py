"""The personal model: a correction fixes its entry and entries like it, and leaves every other guess be."""

from __future__ import annotations

import random

import pytest

from recovery_journal.journal.service import Journal
from recovery_journal.sealing.crypto import field_ad
from recovery_journal.stages import Stage, corpus
from recovery_journal.stages.model import classify_with, shipped
from recovery_journal.stages.personal import PersonalModel, content
from recovery_journal.stages.text import sentences
from recovery_journal.storage import queries


def _guesses(examples: list[corpus.Example], personal: PersonalModel | None = None) -> list[Stage | None]:
    return [classify_with(shipped(), e.text, personal).stage for e in examples]


@pytest.mark.slow
@pytest.mark.parametrize("order", [0, 1, 2])
def test_correcting_held_out_entries_one_by_one_never_lowers_accuracy(order: int) -> None:
    """The simulation behind docs/stages.md: each wrong guess corrected in turn, in three orders."""
    examples = corpus.heldout()
    before = _guesses(examples)
    wrong = [i for i, (got, e) in enumerate(zip(before, examples, strict=True)) if got != e.stage]
    assert wrong, "the held-out split has no wrong guess to correct"
    if order:
        random.Random(order).shuffle(wrong)
    personal = PersonalModel()
    right = sum(got == e.stage for got, e in zip(before, examples, strict=True))
    for i in wrong:
        personal.learn(examples[i].text, examples[i].stage)
        now = _guesses(examples, personal)
        now_right = sum(got == e.stage for got, e in zip(now, examples, strict=True))
        assert now_right >= right, f"correcting {examples[i].id} lowered accuracy"
        assert now[i] == examples[i].stage, f"correcting {examples[i].id} did not fix it"
        broken = [e.id for b, n, e in zip(before, now, examples, strict=True) if b == e.stage != n]
        assert broken == [], f"correcting {examples[i].id} broke right guesses: {broken}"
        right = now_right


def test_a_correction_leaves_texts_unlike_it_exactly_as_the_shared_model_guesses() -> None:
    personal = PersonalModel()
    personal.learn("I cried for the years I lost with him. The grief is so heavy.", Stage.RECOVERY)
    examples = [e for e in corpus.training() if e.id.startswith("a-")]
    moved = 0
    for e in examples:
        shared = classify_with(shipped(), e.text)
        mine = classify_with(shipped(), e.text, personal)
        if personal.pull(shipped(), sentences(e.text)).any:
            moved += 1
        else:
            assert mine == shared, e.id
    assert moved < len(examples) // 10  # one short correction speaks for a few entries at most


def test_function_words_teach_nothing() -> None:
    """The old model learned pulls from "i", "not", "am"; fillers are never remembered now."""
    assert content(sentences("I am not. It was that, and there it is, so I was.")) == {}
    personal = PersonalModel()
    personal.learn("I am not sure it was me. I am, though.", Stage.RECOGNITION)
    assert not personal.pull(shipped(), sentences("I am not going to do that, it was not me.")).any


def test_a_correction_fixes_its_entry_and_a_similar_one_in_the_writers_words() -> None:
    text = "Grief group at Thornfield Hall tonight. Wrenna talked me through the photos and I cried."
    alike = "Back at Thornfield Hall, Wrenna again. Looked at old photos with her, and I smiled a bit."
    personal = PersonalModel()
    personal.learn(text, Stage.RECOVERY)
    assert classify_with(shipped(), text, personal).stage is Stage.RECOVERY
    guess = classify_with(shipped(), alike, personal)
    assert guess.stage is Stage.RECOVERY
    shown = [c for c in guess.cues if c in ("thornfield", "wrenna", "hall", "photos")]
    assert shown and all(c in alike.lower() for c in shown)


def test_an_older_personal_model_is_learned_again_from_the_corrections(journal: Journal) -> None:
    entry = journal.write("Kintsugi at Halden tonight.")
    journal.stages.set(entry.id, Stage.RECOVERY)
    old = {"format": 1, "corrections": 1, "counts": {"recovery": {"i": 3.0, "not": 2.0, "am": 2.0}}}
    sealed = journal.cipher.seal_json(old, field_ad("personal_model", "model", "old-uuid"))
    with journal.store.write() as con:
        queries.put_personal_model(con, "old-uuid", sealed)
    journal.stages._personal = None
    personal = journal.stages.personal()
    assert personal.corrections == 1 and not personal.outdated
    assert personal.memories[0].stage is Stage.RECOVERY and "kintsugi" in personal.memories[0].counts
    with journal.store.read() as con:
        found = queries.personal_model(con)
    assert found is not None and found[0] != "old-uuid"  # kept in the new form


def test_relearn_changes_only_what_the_corrections_warrant(journal: Journal) -> None:
    """Two corrections once re-told a whole history; now the other guesses stay as they were."""
    texts = [e.text for e in corpus.heldout()[:24]]
    written = [journal.write(t) for t in texts]
    before = {e.id: e.stage.stage for e in written if e.stage is not None}
    corrected = {written[0].id: Stage.RECOVERY, written[1].id: Stage.RECOGNITION}
    for entry_id, stage in corrected.items():
        if before[entry_id] is stage:
            stage = Stage.ACCEPTANCE
        journal.stages.set(entry_id, stage)
    done = journal.stages.relearn()
    assert done.corrections == 2 and done.reguessed == len(texts) - 2
    personal = journal.stages.personal()
    for entry in written[2:]:
        after = journal.entry(entry.id).stage
        assert after is not None
        if not personal.pull(shipped(), sentences(entry.text)).any:
            assert after.stage is before[entry.id], entry.id
    assert done.changed <= 2


def test_relearn_and_review_read_the_journal_a_batch_at_a_time(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither holds every entry at once (at 50,000 entries that was 273 MiB): they go through entry_batches
    and pages of rows, never the whole-journal reading."""
    texts = [e.text for e in corpus.heldout()[:12]]
    written = [journal.write(t) for t in texts]
    journal.stages.set(written[0].id, Stage.RECOVERY)
    unsure = [e.id for e in journal.stages.uncertain()]
    monkeypatch.setattr(Journal, "entries", lambda *a, **k: pytest.fail("read every entry at once"))
    monkeypatch.setattr(queries, "entry_columns", lambda *a: pytest.fail("fetched every row"), raising=False)
    assert [e.id for e in journal.stages.uncertain()] == unsure
    done = journal.stages.relearn()
    assert done.corrections == 1 and done.reguessed == len(texts) - 1
