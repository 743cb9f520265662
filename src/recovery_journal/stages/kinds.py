"""What a stage is, and a guess at one: plain values the rest of the package reads without the classifier.

Kept apart from model.py so that reading stages (listing, the index, the overviews) doesn't load the
classifier's lexicon and patterns; only guessing does.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, NamedTuple


class Stage(str, Enum):
    """The three healing stages, in the order people usually meet them (though healing is not linear)."""

    RECOGNITION = "recognition"
    ACCEPTANCE = "acceptance"
    RECOVERY = "recovery"

    @property
    def label(self) -> str:
        return self.value.capitalize()


STAGES: tuple[Stage, ...] = tuple(Stage)
_BY_NAME: dict[str, Stage] = {stage.value: stage for stage in Stage}  # Stage(name), without Enum's call cost


def _stage(name: Any) -> Stage:
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise ValueError(f"{name!r} is not a stage") from None


class StageGuess(NamedTuple):
    """A stage for a piece of writing, with how sure, why, and the score of every stage.

    `stage` is None when nothing in the text points anywhere (then `confidence` is 0).
    """

    stage: Stage | None
    confidence: float
    cues: tuple[str, ...]
    scores: dict[Stage, float]
    uncertain: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": None if self.stage is None else self.stage.value,
            "confidence": round(self.confidence, 4),
            "cues": list(self.cues),
            "scores": {s.value: round(v, 4) for s, v in self.scores.items()},
            "uncertain": self.uncertain,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> StageGuess:
        stage = raw.get("stage")
        return cls(
            stage=None if stage is None else _stage(stage),
            confidence=float(raw["confidence"]),
            cues=tuple(str(c) for c in raw.get("cues", ())),
            scores={_stage(k): float(v) for k, v in raw.get("scores", {}).items()},
            uncertain=bool(raw.get("uncertain", True)),
        )
