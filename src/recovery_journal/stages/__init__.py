"""Healing stages: an explainable, offline classifier, and the movement between stages over time.

Standard library only: imports nothing from the rest of recovery_journal.

>>> from recovery_journal.stages import classify
>>> guess = classify("Signed up for the pottery class I always wanted. Held my boundary with him too.")
>>> guess.stage.value, guess.cues[:2]
('recovery', ('signed up', 'pottery'))
"""

from .kinds import STAGES, Stage, StageGuess


def classify(text: str) -> StageGuess:
    """Guess the healing stage of a piece of writing with the shipped model (model.classify).

    The classifier (its lexicon, patterns and model file) loads here, on the first guess, so that code which
    only reads stages never pays for it.
    """
    from .model import classify as guess

    return guess(text)


__all__ = ["STAGES", "Stage", "StageGuess", "classify"]
