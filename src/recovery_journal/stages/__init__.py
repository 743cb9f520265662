"""Healing stages: an explainable, offline classifier, and the movement between stages over time.

Standard library only: imports nothing from the rest of recovery_journal.

>>> from recovery_journal.stages import classify
>>> guess = classify("Signed up for the pottery class I always wanted. Held my boundary with him too.")
>>> guess.stage.value, guess.cues[:2]
('recovery', ('signed up', 'pottery'))
"""

from .model import STAGES, Stage, StageGuess, classify

__all__ = ["STAGES", "Stage", "StageGuess", "classify"]
