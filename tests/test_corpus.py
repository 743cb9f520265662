"""The seed corpus and the shipped model: well-formed, a held-out split kept apart, honest figures in docs."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from recovery_journal.stages import Stage, corpus
from recovery_journal.stages.evaluate import evaluate
from recovery_journal.stages.model import shipped
from recovery_journal.stages.train import build, serialise

DOCS = Path(__file__).resolve().parent.parent / "docs" / "stages.md"
CONTEXTS = {"partner", "parent", "friend", "workplace", "sibling", "other"}
NEAR_COPY = 0.4  # share of the shorter text's word triples found in the other


def _raw(name: str) -> list[dict[str, str]]:
    folder = resources.files("recovery_journal.stages").joinpath("corpus")
    lines = folder.joinpath(name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _triples(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def test_every_corpus_line_is_well_formed_and_ids_are_unique() -> None:
    seen: set[str] = set()
    for name in corpus.files():
        prefix = None
        for item in _raw(name):
            assert set(item) == {"id", "stage", "context", "text"}, (name, item.get("id"))
            assert item["id"] not in seen, item["id"]
            seen.add(item["id"])
            prefix = prefix or item["id"].split("-")[0]
            assert item["id"].startswith(prefix + "-"), (name, item["id"])
            assert item["stage"] in {s.value for s in Stage}
            assert item["context"] in CONTEXTS, item["id"]
            assert item["text"].strip() == item["text"] and item["text"], item["id"]


def test_training_has_at_least_150_entries_per_stage_and_a_separate_held_out_split() -> None:
    counts = Counter(e.stage for e in corpus.training())
    assert min(counts[s] for s in Stage) >= 150, counts
    held = Counter(e.stage for e in corpus.heldout())
    assert min(held[s] for s in Stage) >= 50, held
    assert corpus.HELDOUT not in [n for n in corpus.files() if n.startswith("train-")]


def test_held_out_entries_are_not_copies_of_training_entries() -> None:
    """A held-out entry that paraphrases a training one would flatter the figures."""
    training = [(e.id, _triples(e.text)) for e in corpus.training()]
    for held in corpus.heldout():
        mine = _triples(held.text)
        for other_id, theirs in training:
            shared = len(mine & theirs) / min(len(mine), len(theirs))
            assert shared < NEAR_COPY, f"{held.id} is close to {other_id} ({shared:.2f})"


@pytest.mark.slow
def test_the_shipped_model_is_exactly_what_the_corpus_trains() -> None:
    """model.json is rebuilt from the training files: never edited by hand, never fitted to the held-out."""
    shipped_text = resources.files("recovery_journal.stages").joinpath("model.json").read_text("utf-8")
    assert serialise(build()) == shipped_text, "run: python -m recovery_journal.stages.train"


def test_held_out_accuracy_and_macro_f1_are_at_least_085() -> None:
    scores = evaluate(shipped(), corpus.heldout())
    assert scores.accuracy >= 0.85, scores.table()
    assert scores.macro_f1 >= 0.85, scores.table()


def test_docs_report_the_held_out_figures_as_they_are() -> None:
    scores = evaluate(shipped(), corpus.heldout())
    text = DOCS.read_text(encoding="utf-8")
    assert f"accuracy **{scores.accuracy:.3f}**" in text
    assert f"macro-F1 **{scores.macro_f1:.3f}**" in text
    assert scores.table() in text


def test_the_examples_in_the_docs_run_as_shown() -> None:
    import doctest

    import recovery_journal.stages

    assert doctest.testmod(recovery_journal.stages, raise_on_error=False).failed == 0
    parser = doctest.DocTestParser()
    test = parser.get_doctest(DOCS.read_text(encoding="utf-8"), {}, "docs/stages.md", str(DOCS), 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


@pytest.mark.slow
def test_docs_report_the_leave_one_writer_out_figures_as_they_are() -> None:
    from recovery_journal.stages.evaluate import leave_one_writer_out, score

    guessed = leave_one_writer_out(shipped().settings)
    scores = score([(e.stage, got) for e, _, got in guessed])
    text = DOCS.read_text(encoding="utf-8")
    assert f"({len(guessed):,} training entries, each guessed by a model that never saw" in text
    assert f"accuracy {scores.accuracy:.3f}, macro-F1 {scores.macro_f1:.3f}" in text
    assert scores.table() in text
