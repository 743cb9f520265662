"""The personal model: what the writer's corrections teach, kept as a memory of the entries they corrected.

A correction teaches about that entry and entries like it, and nothing else. Each corrected entry is kept as
its content words (never fillers such as "i", "not", "am"); a new text is compared with each of them, and only
one that shares enough telling words (a cosine similarity above `SIMILAR`, words weighted by how rare the seed
corpus finds them) pulls the guess toward the stage the writer chose, the more the closer it is. An entry that
resembles no correction is guessed exactly as the shared model guesses it. Measured in docs/stages.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .kinds import STAGES, Stage
from .model import Model
from .text import MARKS, Sentence, is_function_word, sentences

PERSONAL_FORMAT = 2  # 2: one memory per corrected entry (1 pooled word counts per stage, and is relearned)

SIMILAR = 0.3  # a correction speaks only for texts at least this similar to it (cosine, 0 to 1)...
PULL = 5.0  # ...with up to this much log-odds, reached by the corrected text itself
COMMON = 7.0  # a word the seed corpus sees once in e^7 (about 1,100) words or more often carries no weight
LOOKING_BACK = 0.3  # words in a sentence that looks back count this much, as in the shared model


class Memory(NamedTuple):
    """One corrected entry: the stage the writer chose and the content words it holds, counted."""

    stage: Stage
    counts: dict[str, float]


class Pull(NamedTuple):
    """What the corrections add to a guess: log-odds per stage, and the writer's words that carried them."""

    shift: tuple[float, float, float] = (0.0, 0.0, 0.0)
    words: tuple[str, ...] = ()  # as written in the text being guessed, the most telling first

    @property
    def any(self) -> bool:
        return any(self.shift)


def content(parsed: list[Sentence]) -> dict[str, float]:
    """The content words of a text (stemmed; a negated one stays apart, as 'not_sad'), counted."""
    counts: dict[str, float] = defaultdict(float)
    for sentence in parsed:
        weight = LOOKING_BACK if sentence.looking_back else 1.0
        for word, surface in zip(sentence.words, sentence.surface, strict=True):
            if not is_function_word(surface):
                counts[word] += weight
    return dict(counts)


@dataclass
class PersonalModel:
    """The entries the writer corrected, each remembered apart, so one correction cannot drown the rest."""

    memories: list[Memory] = field(default_factory=list)
    outdated: bool = False  # read from an older format: to be learned again from the corrections
    _index: _Index | None = field(default=None, repr=False, compare=False)

    @property
    def corrections(self) -> int:
        return len(self.memories)

    def learn(self, text: str, stage: Stage) -> None:
        self.memories.append(Memory(stage=stage, counts=content(sentences(text))))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": PERSONAL_FORMAT,
            "corrections": self.corrections,
            "memories": [
                {"stage": m.stage.value, "counts": {k: round(v, 3) for k, v in sorted(m.counts.items())}}
                for m in self.memories
            ],
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PersonalModel:
        if raw.get("format", 1) == 1 and "counts" in raw:
            return cls(outdated=True)  # pooled counts can't be taken apart: learned again from corrections
        if raw.get("format") != PERSONAL_FORMAT:
            raise ValueError("unknown personal-model format")
        return cls(
            memories=[
                Memory(stage=Stage(m["stage"]), counts={str(k): float(v) for k, v in m["counts"].items()})
                for m in raw.get("memories", [])
            ]
        )

    def pull(self, model: Model, parsed: list[Sentence]) -> Pull:
        """How far the corrections move the guess for this text, and which of its words carried it."""
        if not self.memories:
            return Pull()
        index = self._indexed(model)
        mine = index.weights.vector(content(parsed))
        if not mine:
            return Pull()
        shared: dict[int, float] = defaultdict(float)
        for word, weight in mine.items():
            for at, held in index.postings.get(word, ()):
                shared[at] += weight * held
        norm = math.sqrt(sum(v * v for v in mine.values()))
        shift = [0.0, 0.0, 0.0]
        carried: dict[str, float] = defaultdict(float)
        for at, dot in shared.items():
            similarity = dot / (norm * index.norms[at])
            if similarity < SIMILAR:
                continue
            strength = PULL * (similarity - SIMILAR) / (1 - SIMILAR)
            shift[STAGES.index(self.memories[at].stage)] += strength
            theirs = index.vectors[at]
            for word in mine.keys() & theirs.keys():
                carried[word] += strength * mine[word] * theirs[word]
        if not any(shift):
            return Pull()
        mean = sum(shift) / 3
        ranked = sorted(carried, key=lambda w: (-carried[w], w))
        return Pull(shift=(shift[0] - mean, shift[1] - mean, shift[2] - mean), words=_written(parsed, ranked))

    def _indexed(self, model: Model) -> _Index:
        """The memories as weighted vectors, indexed by word: built once per model, not once per guess."""
        if self._index is None or self._index.model is not model or self._index.size != len(self.memories):
            self._index = _Index(model, self.memories)
        return self._index


class _Weights:
    """Words weighted by how rare the seed corpus finds them: names and private words most, 'day' little."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.cache: dict[str, float] = {}

    def idf(self, word: str) -> float:
        known = self.cache.get(word)
        if known is None:
            logs = self.model.logp.get(word)
            rarest = -math.log(sum(math.exp(x) for x in logs) / 3) if logs is not None else 13.0
            known = self.cache[word] = max(0.0, rarest - COMMON)
        return known

    def vector(self, counts: Mapping[str, float]) -> dict[str, float]:
        out = {w: (1.0 + math.log1p(n)) * self.idf(w) for w, n in counts.items() if n > 0}
        return {w: v for w, v in out.items() if v > 0}


class _Index:
    """Each memory's weighted vector and length, and for each word the memories holding it."""

    def __init__(self, model: Model, memories: list[Memory]) -> None:
        self.model = model
        self.size = len(memories)
        self.weights = _Weights(model)
        self.vectors = [self.weights.vector(m.counts) for m in memories]
        self.norms = [math.sqrt(sum(v * v for v in vector.values())) for vector in self.vectors]
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for at, vector in enumerate(self.vectors):
            for word, weight in vector.items():
                self.postings[word].append((at, weight))


def _written(parsed: list[Sentence], ranked: list[str], limit: int = 3) -> tuple[str, ...]:
    """The first place each word was written, as the writer wrote it; negated words are never shown."""
    shown: list[str] = []
    for word in ranked:
        if word.startswith(MARKS):
            continue
        for sentence in parsed:
            at = sentence.find(word)
            if at >= 0:
                cue = sentence.cue(at, 1)
                if cue and cue not in shown:
                    shown.append(cue)
                break
        if len(shown) == limit:
            break
    return tuple(shown)
