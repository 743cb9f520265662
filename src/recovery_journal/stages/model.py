"""The stage classifier: a naive Bayes model over words and word pairs, plus the cue lexicon, scored sentence
by sentence and combined; optionally adjusted by a personal model learned from the writer's corrections.

Pure standard library, deterministic, and explainable: every guess carries the cues that drove it.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import lexicon
from .kinds import STAGES as STAGES  # re-exported: model.Stage is how older code and tests name it
from .kinds import Stage as Stage
from .kinds import StageGuess as StageGuess
from .text import Sentence, features, is_function_word, sentences

if TYPE_CHECKING:
    from .personal import PersonalModel

MODEL_FILE = "model.json"
# 2: cue weights learned from the corpus, stored beside the word log-probabilities. 3: each feature's three
# log-probabilities as one "r,a,v" string, read into numbers only when a text uses that feature: parsing all
# ~57,000 numbers cost every classifying command ~20 ms, for the few dozen features one entry meets.
MODEL_FORMAT = 3


class Settings(NamedTuple):
    """How evidence is weighed; chosen by cross-validation on the training files (docs/stages.md)."""

    alpha: float = 0.25  # Laplace smoothing
    min_count: int = 2  # features seen fewer times in training are dropped
    temperature: float = 4.0  # words of evidence per unit of log-odds
    lexicon_scale: float = 0.1  # how much the cue lexicon counts beside the word model
    cue_prior: float = 6.0  # pseudo-entries backing a cue's listed stage, per unit of its strength
    looking_back: float = lexicon.LOOKING_BACK_WEIGHT
    sharpness: float = 2.5  # calibrates confidence: a 0.8 guess should be right about 8 times in 10
    uncertain_below: float = 0.6
    min_evidence: float = 2.0  # fewer telling words than this and no cue: "nothing fires"
    telling: float = 1.0  # a word is telling when its log-probability differs this much between stages


Vector = tuple[float, float, float]


@dataclass
class Model:
    """Log-probabilities of each feature under each stage, the stage priors, and the learned cue weights.

    `cues` maps a lexicon phrase to how far it moves each stage's log-odds (centred, so they sum to 0): the
    lexicon says which stage a phrase points to, and the corpus says how far to trust it.
    """

    name: str
    prior: dict[Stage, float]
    logp: Mapping[str, Vector]
    settings: Settings = field(default_factory=Settings)
    cues: dict[str, Vector] = field(default_factory=dict)
    _weighed: dict[str, _Weighed] | None = field(default=None, init=False, repr=False, compare=False)

    def weighed(self) -> dict[str, _Weighed]:
        """What classify_with needs of each feature met so far, worked out once per model instead of once per
        use; `weigh` adds a feature the first time it is met. Only the words a process meets are weighed:
        weighing all ~19,000 up front cost a one-entry `write` 0.12 s."""
        if self._weighed is None:
            self._weighed = {}
        return self._weighed

    def vocabulary(self) -> Container[str]:
        """The features the model knows, as a plain dict's keys: classify_with asks about some 40 words an
        entry that the model doesn't know, and a Mapping's own `in` is a Python call each time."""
        return self.logp.written if isinstance(self.logp, _Written) else self.logp

    def weigh(self, feature: str) -> _Weighed:
        """Weigh a feature the model knows (in `logp`), and keep it in `weighed()`."""
        known = self.weighed()[feature] = _weigh(self.logp[feature], self.settings)
        return known

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "name": self.name,
            "prior": {s.value: round(v, 6) for s, v in self.prior.items()},
            "settings": self.settings._asdict(),
            "cues": {c: [round(x, 4) for x in v] for c, v in sorted(self.cues.items())},
            "logp": {f: ",".join(repr(round(x, 5)) for x in v) for f, v in sorted(self.logp.items())},
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Model:
        if raw.get("format") != MODEL_FORMAT:
            raise ValueError("unknown stage-model format")
        return cls(
            name=str(raw["name"]),
            prior={Stage(k): float(v) for k, v in raw["prior"].items()},
            logp=_Written(raw["logp"]),
            settings=Settings(**raw["settings"]),
            cues={c: _vector(v) for c, v in raw.get("cues", {}).items()},
        )


# A feature's log-probabilities less their mean, whether it tells the stages apart, and how far it leans to
# each stage over the likelier of the other two (for the explanation).
_Weighed = tuple[float, float, float, bool, Vector]


def _weigh(logs: Vector, settings: Settings) -> _Weighed:
    """The same arithmetic classify_with did for every feature of every sentence, done once: results agree
    to the last bit."""
    mean = sum(logs) / 3
    gains = tuple(logs[b] - max(v for i, v in enumerate(logs) if i != b) for b in range(3))
    return (
        logs[0] - mean,
        logs[1] - mean,
        logs[2] - mean,
        max(logs) - min(logs) >= settings.telling,
        (gains[0], gains[1], gains[2]),
    )


def _vector(raw: Any) -> Vector:
    return (float(raw[0]), float(raw[1]), float(raw[2]))


class _Written(Mapping[str, Vector]):
    """A model file's log-probabilities, each read from its "r,a,v" text the first time it is asked for."""

    def __init__(self, written: dict[str, str]) -> None:
        self.written = written
        self._read: dict[str, Vector] = {}

    def __getitem__(self, feature: str) -> Vector:
        vector = self._read.get(feature)
        if vector is None:
            vector = self._read[feature] = _vector(self.written[feature].split(","))
        return vector

    def __contains__(self, feature: object) -> bool:
        return feature in self.written

    def __iter__(self) -> Iterator[str]:
        return iter(self.written)

    def __len__(self) -> int:
        return len(self.written)


def _centred(values: list[float]) -> Vector:
    mean = sum(values) / 3
    return (values[0] - mean, values[1] - mean, values[2] - mean)


Weights = defaultdict[str, float]


def _weights() -> Weights:
    return defaultdict(float)


def _weighted_features(parsed: list[Sentence], looking_back: float) -> Weights:
    counts = _weights()
    for sentence in parsed:
        weight = looking_back if sentence.looking_back else 1.0
        for feature in features(sentence):
            counts[feature] += weight
    return counts


def train(
    examples: Iterable[tuple[str, Stage]], settings: Settings | None = None, name: str = "seed"
) -> Model:
    """Fit the naive Bayes part on labelled texts. Deterministic for the same examples in the same order."""
    settings = settings or Settings()
    per_stage: dict[Stage, Weights] = {s: _weights() for s in STAGES}
    cue_hits: dict[Stage, Weights] = {s: _weights() for s in STAGES}
    docs: Counter[Stage] = Counter()
    for text, stage in examples:
        parsed = sentences(text)
        for feature, weight in _weighted_features(parsed, settings.looking_back).items():
            per_stage[stage][feature] += weight
        fired: Weights = _weights()
        for sentence in parsed:
            for hit in lexicon.match(sentence):
                fired[hit.cue.phrase] = max(fired[hit.cue.phrase], hit.weight / hit.cue.weight)
        for phrase, weight in fired.items():
            cue_hits[stage][phrase] += weight
        docs[stage] += 1
    totals = _weights()
    for counts in per_stage.values():
        for feature, weight in counts.items():
            totals[feature] += weight
    vocab = sorted(f for f, n in totals.items() if n >= settings.min_count)
    size = len(vocab)
    logp: dict[str, tuple[float, float, float]] = {}
    denominators = {s: sum(per_stage[s][f] for f in vocab) + settings.alpha * size for s in STAGES}
    for feature in vocab:
        r, a, v = (math.log((per_stage[s][feature] + settings.alpha) / denominators[s]) for s in STAGES)
        logp[feature] = (r, a, v)
    n_docs = sum(docs.values()) or 1
    prior = {s: math.log((docs[s] + 1) / (n_docs + len(STAGES))) for s in STAGES}
    return Model(name=name, prior=prior, logp=logp, settings=settings, cues=_cue_weights(cue_hits, settings))


def _cue_weights(hits: Mapping[Stage, Mapping[str, float]], settings: Settings) -> dict[str, Vector]:
    """Each cue's pull on the three stages: its listed stage as a prior, corrected by where it fired.

    A cue counts the entries it fired in per stage, plus `cue_prior` x its strength pseudo-entries for the
    stage the lexicon lists it under. A cue the corpus never saw keeps the lexicon's word; one the corpus
    contradicts (it fires as often elsewhere) fades toward zero or turns.
    """
    weights: dict[str, Vector] = {}
    for cue in lexicon.cues():
        counts = [
            hits[s].get(cue.phrase, 0.0)
            + (settings.cue_prior * cue.weight if s.value == cue.stage else 0.0)
            + settings.alpha
            for s in STAGES
        ]
        total = sum(counts)
        weights[cue.phrase] = _centred([math.log(c / total) for c in counts])
    return weights


def _softmax(values: list[float]) -> list[float]:
    top = max(values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def classify_with(model: Model, text: str, personal: PersonalModel | None = None) -> StageGuess:
    """Score each sentence, combine them into one guess, and say which cues drove it."""
    settings = model.settings
    weighed = model.weighed()
    known_features = model.vocabulary()
    parsed = sentences(text)
    nb0 = nb1 = nb2 = 0.0
    cue_scores = [0.0, 0.0, 0.0]
    evidence = 0.0  # known words, weighted
    telling = 0.0  # known words that tell the stages apart
    fired: list[Fired] = []
    where: dict[str, Sentence] = {}  # each known word's first sentence, to show it as written
    remember = where.setdefault
    for sentence in parsed:
        # A sentence about now (most) counts each word once: adding the value itself is exactly adding it
        # times 1.0, one multiplication fewer per word.
        whole = not sentence.looking_back
        weight = 1.0 if whole else settings.looking_back
        for feature in features(sentence):
            known = weighed.get(feature)
            if known is None:
                if feature not in known_features:
                    continue
                known = model.weigh(feature)
            apart, toward, away, tells, _lean = known
            evidence += weight
            if tells:
                telling += weight
            if whole:
                nb0 += apart
                nb1 += toward
                nb2 += away
            else:
                nb0 += weight * apart
                nb1 += weight * toward
                nb2 += weight * away
            remember(feature, sentence)
        for hit in lexicon.match(sentence):
            pull = model.cues.get(hit.cue.phrase)
            if pull is None:
                continue
            factor = settings.lexicon_scale * hit.weight / hit.cue.weight  # the looking-back discount
            for i in range(3):
                cue_scores[i] += factor * pull[i]
            fired.append((sentence, hit.at, hit.size, hit.cue.phrase, factor))
    mine = personal.pull(model, parsed) if personal is not None else None
    if not fired and telling < settings.min_evidence and (mine is None or not mine.any):
        return StageGuess(
            stage=None, confidence=0.0, cues=(), scores={s: 0.0 for s in STAGES}, uncertain=True
        )
    personal_shift = mine.shift if mine is not None else (0.0, 0.0, 0.0)
    # Naive Bayes log-odds grow with length; dividing by a temperature that grows with the square root of the
    # evidence keeps a long entry from sounding far surer than a short one saying the same thing.
    scale = settings.temperature * max(1.0, math.sqrt(evidence / settings.temperature))
    nb = (nb0, nb1, nb2)
    totals = [
        settings.sharpness * (model.prior[s] + nb[i] / scale + cue_scores[i] + personal_shift[i])
        for i, s in enumerate(STAGES)
    ]
    probabilities = [round(p, 4) for p in _softmax(totals)]  # as stored, so a guess reads back identical
    best = max(range(3), key=lambda i: probabilities[i])
    stage = STAGES[best]
    own = mine.words if mine is not None and personal_shift[best] > 0 else ()
    return StageGuess(
        stage=stage,
        confidence=probabilities[best],
        cues=_explain(model, best, fired, weighed, where, own),
        scores={s: probabilities[i] for i, s in enumerate(STAGES)},
        uncertain=probabilities[best] < settings.uncertain_below,
    )


# A lexicon cue that fired: the sentence, where its words are there (at, how many), the phrase, how much it
# counted.
Fired = tuple[Sentence, int, int, str, float]


def _phrase_as_written(sentence: Sentence, at: int, size: int) -> str | None:
    """A lexicon phrase as the writer wrote it there, or None when it holds no content word ("is it me")."""
    if all(is_function_word(w) for w in sentence.surface[at : at + size]):
        return None
    return sentence.written(at, size)


def _explain(
    model: Model,
    best: int,
    fired: list[Fired],
    weighed: Mapping[str, _Weighed],
    where: Mapping[str, Sentence],
    personal: tuple[str, ...],
    limit: int = 8,
) -> tuple[str, ...]:
    """The writer's own words that pulled toward the chosen stage: lexicon cues first, then the words the
    model leaned on most, then those a correction of theirs taught. Never a filler, never a negated word."""
    pulling: dict[str, float] = defaultdict(float)
    for sentence, at, size, phrase, factor in fired:
        if model.cues[phrase][best] > 0.3:  # only then is how it was written looked up
            written = _phrase_as_written(sentence, at, size)
            if written is not None:
                pulling[written] += model.cues[phrase][best] * factor
    cues = [p for p, _ in sorted(pulling.items(), key=lambda kv: (-kv[1], kv[0]))]
    # Only words leaning more than 0.7 are ever shown (never a mark such as __changed__): the rest are left
    # out before sorting, not after. The lean is the last part of what the model weighed for each.
    leaning = sorted(
        ((lean, f) for f in where if (lean := weighed[f][4][best]) > 0.7 and not f.startswith("__")),
        reverse=True,
    )
    words: list[str] = []
    for _gain, feature in leaning:
        if len(words) == 4:
            break
        sentence = where[feature]
        at = sentence.find(feature)
        cue = sentence.cue(at, feature.count(" ") + 1) if at >= 0 else None
        if cue is not None:
            words.append(cue)
    ordered: list[str] = []
    for cue in [*cues, *words, *personal]:
        # "boundary" adds nothing beside "held my boundary"
        if not any(f" {cue} " in f" {kept} " for kept in ordered):
            ordered.append(cue)
    return tuple(ordered[:limit])


@lru_cache(maxsize=1)
def shipped() -> Model:
    """The model trained on the seed corpus and shipped with the package (stages/model.json)."""
    # Read beside this module (as storage/schema.py reads its file): importlib.resources costs a save ~3 ms.
    raw = Path(__file__).with_name(MODEL_FILE).read_text(encoding="utf-8")
    return Model.from_json(json.loads(raw))


def classify(text: str) -> StageGuess:
    """Guess the healing stage of a piece of writing with the shipped model. Pure, offline, deterministic."""
    return classify_with(shipped(), text)
