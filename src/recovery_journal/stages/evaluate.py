"""Measuring the classifier: accuracy, macro-F1 and a confusion matrix; k-fold cross-validation for tuning.

python -m recovery_journal.stages.evaluate            # held-out figures for the shipped model
python -m recovery_journal.stages.evaluate --cv 5     # cross-validation on the training files only
python -m recovery_journal.stages.evaluate --lowo     # leave-one-writer-out: each training file in turn
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from .corpus import Example, files, heldout, read, training
from .model import STAGES, Model, Settings, Stage, classify_with, shipped, train


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    confusion: dict[Stage, dict[str, int]]  # true stage -> predicted ("none" when nothing fired) -> count
    total: int

    def table(self) -> str:
        head = "| true \\ guessed | " + " | ".join(s.value for s in STAGES) + " | none |"
        rows = [head, "|---|---|---|---|---|"]
        for truth in STAGES:
            cells = [str(self.confusion[truth].get(s.value, 0)) for s in STAGES]
            rows.append(
                f"| {truth.value} | " + " | ".join(cells) + f" | {self.confusion[truth].get('none', 0)} |"
            )
        return "\n".join(rows)


def score(pairs: Sequence[tuple[Stage, Stage | None]]) -> Scores:
    """Figures from (true stage, guessed stage) pairs; a None guess counts as wrong."""
    confusion: dict[Stage, dict[str, int]] = {s: {} for s in STAGES}
    for truth, got in pairs:
        key = "none" if got is None else got.value
        confusion[truth][key] = confusion[truth].get(key, 0) + 1
    correct = sum(confusion[s].get(s.value, 0) for s in STAGES)
    f1s = []
    for stage in STAGES:
        tp = confusion[stage].get(stage.value, 0)
        predicted = sum(confusion[t].get(stage.value, 0) for t in STAGES)
        actual = sum(confusion[stage].values())
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    total = len(pairs)
    return Scores(
        accuracy=correct / total if total else 0.0, macro_f1=sum(f1s) / 3, confusion=confusion, total=total
    )


def evaluate(model: Model, examples: Sequence[Example]) -> Scores:
    return score([(e.stage, classify_with(model, e.text).stage) for e in examples])


def cross_validate(examples: Sequence[Example], settings: Settings, folds: int = 5) -> Scores:
    """Train on k-1 folds, test on the k-th, pooled. Touches only the examples given (never the held-out)."""
    pairs: list[tuple[Stage, Stage | None]] = []
    for k in range(folds):
        model = train(((e.text, e.stage) for i, e in enumerate(examples) if i % folds != k), settings)
        pairs += [
            (e.stage, classify_with(model, e.text).stage) for i, e in enumerate(examples) if i % folds == k
        ]
    return score(pairs)


def leave_one_writer_out(settings: Settings) -> list[tuple[Example, float, Stage | None]]:
    """Each training file guessed by a model trained on the others: the better guide to a new writer."""
    names = [n for n in files() if n.startswith("train-")]
    out: list[tuple[Example, float, Stage | None]] = []
    for name in names:
        model = train(((e.text, e.stage) for other in names if other != name for e in read(other)), settings)
        for example in read(name):
            guess = classify_with(model, example.text)
            out.append((example, guess.confidence, guess.stage))
    return out


def calibration(guessed: Sequence[tuple[Example, float, Stage | None]]) -> str:
    """How often guesses were right, by confidence band and by length."""
    bands = [(0.0, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
    lines = []
    for low, high in bands:
        inside = [(e, got) for e, c, got in guessed if low <= c < high]
        if inside:
            right = sum(got == e.stage for e, got in inside) / len(inside)
            lines.append(f"confidence {low:.1f} to {min(high, 1.0):.1f}: {right:.1%} right of {len(inside)}")
    for label, low, high in (("short (<30 words)", 0, 30), ("medium", 30, 150), ("long (150+)", 150, 10**9)):
        inside = [(e, got) for e, _, got in guessed if low <= len(e.text.split()) < high]
        if inside:
            right = sum(got == e.stage for e, got in inside) / len(inside)
            lines.append(f"{label}: {right:.3f} of {len(inside)}")
    contexts = sorted({e.context for e, _, _ in guessed})
    by_context = []
    for context in contexts:
        inside = [(e, got) for e, _, got in guessed if e.context == context]
        by_context.append(f"{context} {sum(got == e.stage for e, got in inside) / len(inside):.3f}")
    lines.append("by context: " + ", ".join(by_context))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", type=int, help="k-fold cross-validation on the training files instead")
    parser.add_argument("--lowo", action="store_true", help="leave-one-writer-out on the training files")
    args = parser.parse_args()
    if args.lowo:
        guessed = leave_one_writer_out(shipped().settings)
        result = score([(e.stage, got) for e, _, got in guessed])
        print(
            f"leave-one-writer-out on {result.total} training entries: accuracy {result.accuracy:.3f}, "
            f"macro-F1 {result.macro_f1:.3f}\n\n{result.table()}\n\n{calibration(guessed)}"
        )
        return 0
    if args.cv:
        result = cross_validate(training(), shipped().settings, args.cv)
        label = f"{args.cv}-fold cross-validation on {result.total} training entries"
    else:
        result = evaluate(shipped(), heldout())
        label = f"held-out split, {result.total} entries never trained on"
    print(f"{label}: accuracy {result.accuracy:.3f}, macro-F1 {result.macro_f1:.3f}\n\n{result.table()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
