"""What an entry remembers about its stage: the guess, who decided it, and what the model had thought."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from .kinds import Stage, StageGuess

MODEL = "model"
WRITER = "writer"


class StageRecord(NamedTuple):
    """The stage an entry carries. The writer's word, when given, always wins over the model's guess."""

    guess: StageGuess
    source: str = MODEL
    model: str = ""
    model_guess: StageGuess | None = None
    set_at: datetime | None = None

    @property
    def stage(self) -> Stage | None:
        return self.guess.stage

    @property
    def by_writer(self) -> bool:
        return self.source == WRITER

    @classmethod
    def from_model(cls, guess: StageGuess, model: str) -> StageRecord:
        return cls(guess=guess, source=MODEL, model=model)

    def corrected(self, stage: Stage, when: datetime) -> StageRecord:
        """The writer's choice, keeping what the model had guessed."""
        chosen = StageGuess(
            stage=stage,
            confidence=1.0,
            cues=(),
            scores={s: float(s == stage) for s in Stage},
            uncertain=False,
        )
        original = self.model_guess if self.by_writer else self.guess
        return StageRecord(guess=chosen, source=WRITER, model=self.model, model_guess=original, set_at=when)

    def to_json(self) -> dict[str, Any]:
        return {
            "guess": self.guess.to_json(),
            "source": self.source,
            "model": self.model,
            "model_guess": None if self.model_guess is None else self.model_guess.to_json(),
            "set_at": None if self.set_at is None else self.set_at.isoformat(timespec="seconds"),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> StageRecord:
        return cls(
            guess=StageGuess.from_json(raw["guess"]),
            source=str(raw["source"]),
            model=str(raw.get("model", "")),
            model_guess=None if raw.get("model_guess") is None else StageGuess.from_json(raw["model_guess"]),
            set_at=None if raw.get("set_at") is None else datetime.fromisoformat(raw["set_at"]),
        )
