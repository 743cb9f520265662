"""The gentle check on a labelled corpus: train its learned weights, and measure recall and false alarms.

    python bench/gentle.py train                      # writes src/recovery_journal/care/gentle_model.json
    python bench/gentle.py measure FILE.jsonl [--show-misses]

Each corpus line is {"text", "label": "self_harm" | "danger" | "none", "kind"}. Training uses the two
development sets (tests/fixtures/gentle/dev.jsonl, dev2.jsonl) and the reviews' sentences (reviews.jsonl,
whose "kind" is "crisis" or "everyday"); the held-out sets (heldout*.jsonl, each written by someone who never
saw the others) are only ever measured. A concern of any kind counts as "offered support".

`train` writes two sets of weights: gentle_model.json (a crisis of any kind, or not) and gentle_danger.json
(for what the first reads as heavy: danger from someone else, or not), the second trained on the development
sets, dev3.jsonl too (danger said obliquely, and its words in everyday writing: only danger and "none" in it),
and the stage corpus's everyday training entries, so that writing about what he said and did isn't read as a
call for the emergency number.
The figures in docs/care.md come from this script.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from recovery_journal.care import gentle

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "gentle"
MODEL = ROOT / "src" / "recovery_journal" / "care" / "gentle_model.json"
DANGER_MODEL = MODEL.with_name("gentle_danger.json")  # read only for what the first weights find heavy
# Of the hard negatives, cross-validated: a calm line too many costs less than a missed one. 0.05,
# with the weights summed over sqrt(n), gave 36% false alarms on everyday entries (docs/care.md). With the
# reviews' everyday sentences among them (written to sound like a crisis, harder than most), 0.12 gives the
# held-out set and everyday entries the false alarms 0.08 gave before (0.10 and 0.09), and more recall.
TARGET_FALSE_ALARMS = 0.12
# The second weights (below) decide between the thank-you line and the emergency one for what the first read
# as heavy. Their negatives include the stage corpus's everyday entries (recognition is full of what he said
# and did, and none of it calls for 999), so the share is of a much larger, gentler pool: 0.03 of it kept
# every everyday set at one new emergency line or none (docs/care.md); 0.04 added a few, 0.02 lost recall.
TARGET_DANGER_FALSE_ALARMS = 0.03
STAGE_CORPUS = ROOT / "src" / "recovery_journal" / "stages" / "corpus"


def load(path: Path) -> list[dict[str, str]]:
    """A labelled set; a stage corpus file (no "label": everyday entries, none of them a crisis) reads as
    "none" throughout, to measure how often an ordinary entry would get the line."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"label": "none", "kind": f"everyday {row.get('stage', '')}", **row} for row in rows]


def crisis(row: dict[str, str]) -> bool:
    return row["label"] != "none"


def danger(row: dict[str, str]) -> bool:
    return row["label"] == "danger"


def fit(rows: list[dict[str, str]], positive: Callable[[dict[str, str]], bool] = crisis) -> dict[str, object]:
    """Naive Bayes log-odds per feature (present/absent), smoothed; features seen once are left out."""
    seen: dict[int, Counter[str]] = {0: Counter(), 1: Counter()}
    docs: Counter[int] = Counter()
    for row in rows:
        label = int(positive(row))
        docs[label] += 1
        seen[label].update(set(gentle.features(row["text"])))
    weights = {}
    for feature in set(seen[0]) | set(seen[1]):
        if seen[0][feature] + seen[1][feature] < 2:
            continue
        odds = math.log(
            ((seen[1][feature] + 0.5) / (docs[1] + 1)) / ((seen[0][feature] + 0.5) / (docs[0] + 1))
        )
        if abs(odds) >= 0.2:
            weights[feature] = round(odds, 3)
    return {
        "version": 2,  # 2: weights averaged over an entry's features (gentle.weigh); 1 divided by sqrt(n)
        "prior": round(math.log(docs[1] / docs[0]), 3),
        "threshold": 0.0,
        "weights": weights,
    }


def offered(row: dict[str, str], model: dict[str, object] | None) -> bool:
    if model is None:
        return gentle.concern(row["text"]) is not None
    score, _ = gentle.weigh(row["text"], model)  # type: ignore[arg-type]
    return score > float(model["threshold"])  # type: ignore[arg-type]


def rates(rows: list[dict[str, str]], model: dict[str, object] | None) -> tuple[float, float]:
    positives = [r for r in rows if r["label"] != "none"]
    negatives = [r for r in rows if r["label"] == "none"]
    recall = sum(offered(r, model) for r in positives) / max(1, len(positives))
    false_alarms = sum(offered(r, model) for r in negatives) / max(1, len(negatives))
    return recall, false_alarms


# Reviews kept as guards only (tests/test_gentle.py), never trained on: review18 judged the danger weights,
# and training on it would tune them to the review that found their faults.
GUARD_ONLY = frozenset({"review18"})


def reviews() -> list[dict[str, str]]:
    """The reviews' sentences as training rows: a crisis one a positive, an everyday one a hard negative."""
    text = (CORPUS / "reviews.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    rows = [r for r in rows if r["review"] not in GUARD_ONLY]
    return [
        {"text": r["text"], "label": "self_harm" if r["kind"] == "crisis" else "none", "kind": r["review"]}
        for r in rows
    ]


def everyday() -> list[dict[str, str]]:
    """The stage corpus's training entries (never its held-out ones), all everyday writing: negatives."""
    rows: list[dict[str, str]] = []
    for path in sorted(STAGE_CORPUS.glob("train-*.jsonl")):
        rows += [{"text": r["text"], "label": "none", "kind": "everyday"} for r in load(path)]
    return rows


def cross_validated(
    rows: list[dict[str, str]], positive: Callable[[dict[str, str]], bool], target: float
) -> tuple[float, float]:
    """The threshold that leaves `target` of the negatives above it, out of fold, and the recall it gives."""
    rows = list(rows)
    random.Random(7).shuffle(rows)
    folds = 5
    scored: list[tuple[float, bool]] = []  # (learned score, is a positive) for every row, out of fold
    for fold in range(folds):
        held = rows[fold::folds]
        model = fit([r for i, r in enumerate(rows) if i % folds != fold], positive)
        scored += [(gentle.weigh(r["text"], model)[0], positive(r)) for r in held]
    negatives = sorted((s for s, pos in scored if not pos), reverse=True)
    threshold = negatives[int(len(negatives) * target)]
    positives = [s for s, pos in scored if pos]
    return threshold, sum(s > threshold for s in positives) / len(positives)


def development(*names: str) -> list[dict[str, str]]:
    """The development sets: dev.jsonl and dev2.jsonl, and the others named."""
    return [row for name in ("dev", "dev2", *names) for row in load(CORPUS / f"{name}.jsonl")]


def train() -> None:
    rows = development() + reviews()
    threshold, recall = cross_validated(rows, crisis, TARGET_FALSE_ALARMS)
    random.Random(7).shuffle(rows)  # the order the shipped model was first fitted in
    model = fit(rows)
    model["threshold"] = round(threshold, 3)
    # Danger apart from the rest: the development sets (their danger entries the positives) and the stage
    # corpus's everyday entries. The reviews' sentences aren't labelled danger or self-harm, so they sit out.
    # dev3.jsonl (danger said obliquely, its words in everyday writing; 7 December 2026) trains these only:
    # among the first weights' negatives, its heavy everyday entries cost self-harm entries any line at all.
    apart = development("dev3") + everyday()
    danger_threshold, danger_recall = cross_validated(apart, danger, TARGET_DANGER_FALSE_ALARMS)
    random.Random(7).shuffle(apart)
    second = fit(apart, danger)
    second["threshold"] = round(danger_threshold, 3)
    second["version"] = 1
    for path, weights in ((MODEL, model), (DANGER_MODEL, second)):
        path.write_text(json.dumps(weights, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"trained on {len(rows)} entries, {len(model['weights'])} weights; threshold {threshold:.3f}")  # type: ignore[arg-type]
    print(
        f"cross-validated, learned weights alone: recall {recall:.2f}, false alarms <= {TARGET_FALSE_ALARMS}"
    )
    count = len(second["weights"])  # type: ignore[arg-type]
    print(
        f"danger apart: {len(apart)} entries, {count} weights; threshold {danger_threshold:.3f}; "
        f"cross-validated recall {danger_recall:.2f}, false alarms <= {TARGET_DANGER_FALSE_ALARMS}"
    )


def line(row: dict[str, str]) -> str | None:
    """The line a save of this entry would give (gentle.line_for)."""
    return gentle.line_for(gentle.concern(row["text"]))


def measure(path: Path, show: bool) -> None:
    rows = load(path)
    recall, false_alarms = rates(rows, None)
    if all(r["label"] == "none" for r in rows):  # everyday entries: only false alarms can be measured
        print(f"{path.name}: {len(rows)} entries, none a crisis; false alarms {false_alarms:.2f}")
    else:
        for label in ("self_harm", "danger"):
            some = [r for r in rows if r["label"] == label]
            caught = sum(offered(r, None) for r in some)
            print(f"  recall {label}: {caught}/{len(some)} = {caught / max(1, len(some)):.2f}")
        danger_rows = [r for r in rows if r["label"] == "danger"]
        told = sum(line(r) == "danger" for r in danger_rows)
        share = told / max(1, len(danger_rows))
        print(f"  danger given the emergency line: {told}/{len(danger_rows)} = {share:.2f}")
        print(f"{path.name}: {len(rows)} entries; recall {recall:.2f}, false alarms {false_alarms:.2f}")
    negatives = [r for r in rows if r["label"] == "none"]
    alarming = sum(line(r) in ("danger", "harmed") for r in negatives)
    share = alarming / max(1, len(negatives))
    print(f"  emergency line where there's no crisis: {alarming}/{len(negatives)} = {share:.3f}")
    if show:
        for row in rows:
            found = gentle.concern(row["text"])
            if (found is not None) != (row["label"] != "none"):
                what = "MISS" if found is None else "FALSE"
                print(
                    f"{what} [{row['label']}/{row['kind']}] {row['text'][:150]!r}"
                    + (f" <- {found}" if found else "")
                )


if __name__ == "__main__":
    if sys.argv[1:2] == ["train"]:
        train()
    else:
        measure(
            Path(sys.argv[2] if sys.argv[1:2] == ["measure"] else sys.argv[1]), "--show-misses" in sys.argv
        )
