"""The journal's stage operations: guess at write time, explain, correct, relearn, review, and the journey.

Reached as `journal.stages`. The writer's word always wins: a stage they set is never replaced by a guess.

Every guess a journal makes comes through `guess_stage`: a save, opening (backfill), relearn, an import's
worker processes, a restore, and `stage guess`. It adds one rule to the classifier's reading: words that
plainly say the writer wants to die or is hurting themselves (care/gentle.plainly_self_harm) are never guessed
"recovery", the stage of rebuilding a life; the likelier of the other two is taken instead (see guess_stage).
It is checked only when the classifier leans to recovery. A guess made before the rule existed, or brought in
with its stage from an older file, stays as it was until `stage relearn`. docs/stages.md (step 7) says so.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from ..domain.entry import Entry
from ..errors import Tampered
from ..sealing import codec
from ..sealing.crypto import InvalidCiphertext, field_ad
from ..stages.kinds import Stage, StageGuess
from ..stages.record import StageRecord
from ..storage import queries

if TYPE_CHECKING:
    from ..stages.journey import Journey, Point
    from ..stages.model import Model
    from ..stages.personal import PersonalModel
    from .service import Journal

_PERSONAL_AD = ("personal_model", "model")

Progress = Callable[[int, int], None]  # (entries looked at, entries in all): every PROGRESS_EVERY, at the end
PROGRESS_EVERY = 50


class Relearned(NamedTuple):
    corrections: int
    reguessed: int
    changed: int
    skipped: tuple[int, ...] = ()  # entries that couldn't be opened, left as they were


class StageBook:
    """Stage operations on one unlocked journal."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._personal: PersonalModel | None = None

    # --- guessing ---------------------------------------------------------------------------------------

    def personal(self) -> PersonalModel:
        """The writer's personal model (empty until they correct a stage)."""
        from ..stages.personal import PersonalModel  # the classifier loads only when something is guessed

        if self._personal is None:
            with self.journal.store.read() as con:
                found = queries.personal_model(con)
            if found is None:
                self._personal = PersonalModel()
            else:
                model_uuid, sealed = found
                try:
                    raw = self.journal.cipher.open_json(sealed, field_ad(*_PERSONAL_AD, model_uuid))
                    self._personal = PersonalModel.from_json(raw)
                except (InvalidCiphertext, KeyError, TypeError, ValueError):
                    raise Tampered(
                        "The personal stage model couldn't be opened: it looks damaged (a disk or sync fault "
                        "can do this), or was changed outside recovery-journal.",
                        hint="`recovery-journal stage relearn` rebuilds it from your corrections.",
                    ) from None
                if self._personal.outdated:  # an older kind of model: learned again from the corrections
                    self._personal = self._learned()
                    if not (self.journal.store.read_only or self.journal.store.foreign):
                        self._keep(self._personal)
        return self._personal

    def guess(self, text: str) -> StageRecord:
        from ..stages.model import shipped
        from ..stages.personal import PersonalModel

        model = shipped()
        try:
            personal = self.personal()
        except Tampered:
            # A damaged personal model never stands between a person and their words: guess with the shared
            # model alone; `doctor` reports the damage and `stage relearn` rebuilds it.
            personal = PersonalModel()
        return guess_stage(model, text, personal)

    def backfill(self) -> int:
        """Fill in entries written before stages and flags existed: a stage guess, default flags."""
        if self.journal.store.read_only or self.journal.store.foreign:
            return 0  # shown as they are; filled in the next time the journal is opened where it can change
        with self.journal.store.read() as con:
            ids = queries.unfilled_ids(con)
        if not ids:
            return 0
        with self.journal.store.write() as con:
            for row in queries.entries_by_id(con, ids):
                if not self.journal.ledger.row_intact(con, "entries", int(row[0])):
                    continue  # changed outside: left as found, for doctor to name, never filled in over it
                entry = codec.open_entry(self.journal.cipher, row, queries.ENTRY_FIELDS)
                record = entry.stage or self.guess(entry.text)
                values = {"stage": record, "flags": (entry.tender, entry.starred)}
                queries.update_entry(
                    con, entry.id, codec.seal_fields(self.journal.cipher, entry.uuid, values)
                )
        return len(ids)

    # --- the writer's word ------------------------------------------------------------------------------

    def set(self, entry_id: int, stage: Stage | None) -> Entry:
        """Set an entry's stage and relearn the personal model; None hands the entry back to the model."""
        with self.journal.store.write() as con:
            entry = self.journal._load(con, entry_id)
            record = (
                None
                if stage is None
                else (entry.stage or self.guess(entry.text)).corrected(stage, self.journal.now())
            )
            queries.update_entry(
                con, entry_id, codec.seal_fields(self.journal.cipher, entry.uuid, {"stage": record})
            )
        self.rebuild_personal()
        if record is None:  # guessed afresh, without this entry's old correction in the personal model
            record = self.guess(entry.text)
            with self.journal.store.write() as con:
                sealed = codec.seal_fields(self.journal.cipher, entry.uuid, {"stage": record})
                queries.update_entry(con, entry_id, sealed)
        return replace(entry, stage=record)

    def rebuild_personal(self) -> PersonalModel:
        """Learn the personal model afresh from every entry whose stage the writer set."""
        personal = self._learned()
        self._keep(personal)
        self._personal = personal
        return personal

    def _learned(self) -> PersonalModel:
        from ..stages.personal import PersonalModel

        personal = PersonalModel()
        for entry in self._corrected():
            assert entry.stage is not None and entry.stage.stage is not None  # noqa: S101 - _corrected checks
            personal.learn(entry.text, entry.stage.stage)
        return personal

    def _keep(self, personal: PersonalModel) -> None:
        model_uuid = str(uuidlib.uuid4())
        sealed = self.journal.cipher.seal_json(personal.to_json(), field_ad(*_PERSONAL_AD, model_uuid))
        with self.journal.store.write() as con:
            queries.put_personal_model(con, model_uuid, sealed)

    def relearn(self, progress: Progress | None = None) -> Relearned:
        """Rebuild the personal model from all corrections; guess again every entry the writer didn't set.

        `progress`, if given, hears how far through the entries it is (for a bar on a terminal).
        """
        personal = self.rebuild_personal()
        changed = reguessed = 0
        skipped: list[int] = []
        with self.journal.store.write() as con:
            total = queries.entry_count(con)
            # A page of rows at a time: all 50,000 entries' sealed fields at once took relearn to 273 MiB.
            for done, row in enumerate(queries.entry_pages(con, queries.ENTRY_FIELDS)):
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total)
                try:
                    entry = codec.open_entry(self.journal.cipher, row, queries.ENTRY_FIELDS)
                except Tampered:
                    skipped.append(int(row[0]))  # damaged: left exactly as it is
                    continue
                if entry.stage is not None and entry.stage.by_writer:
                    continue
                record = self.guess(entry.text)
                reguessed += 1
                changed += entry.stage is None or entry.stage.stage != record.stage
                sealed = codec.seal_fields(self.journal.cipher, entry.uuid, {"stage": record})
                queries.update_entry(con, entry.id, sealed)
        if progress is not None:
            progress(total, total)
        return Relearned(
            corrections=personal.corrections, reguessed=reguessed, changed=changed, skipped=tuple(skipped)
        )

    # --- reading ----------------------------------------------------------------------------------------

    def explain(self, entry_id: int) -> Entry:
        entry = self.journal.entry(entry_id)
        return entry if entry.stage is not None else replace(entry, stage=self.guess(entry.text))

    def uncertain(self) -> list[Entry]:
        """Entries whose guessed stage is unsure or missing, oldest first; the writer's choices excluded.
        Read a batch at a time, so only the unsure ones are ever held together.

        An entry whose words plainly say the writer wanted to die or was hurting themselves is left out: a
        review of stages mustn't bring those words back unasked (`stage set` still changes its stage)."""
        from ..care.gentle import plainly_self_harm

        return [
            e
            for batch in self.journal.entry_batches()
            for e in batch.entries
            if (e.stage is None or _unsure(e.stage)) and plainly_self_harm(e.text) is None  # as guessed
        ]

    def points(self) -> tuple[list[Point], list[int]]:
        """Each entry's date and stage, from the entry index (fast on large journals); and the numbers of
        entries whose date or stage couldn't be opened, left out."""
        from ..stages.journey import Point  # the overviews', not every open's (backfill needs none of it)

        found = self.journal.summaries()
        moments, confidences, ids = found.moments(), found.confidences, found.ids
        points = [
            Point(moments[i], stage, confidences[i], ids[i])
            for i, stage in enumerate(found.stages)
            if stage is not None
        ]
        return points, sorted(found.unreadable)

    def journey(self) -> tuple[Journey, list[int]]:
        """The journal's stage over time, from every entry that has one; and the entries left out because
        their date or stage couldn't be opened."""
        from ..stages.journey import journey

        points, unreadable = self.points()
        return journey(points), unreadable

    def _corrected(self) -> Iterator[Entry]:
        """The entries whose stage the writer set, read a batch at a time (never the whole journal)."""
        for batch in self.journal.entry_batches():
            yield from (e for e in batch.entries if e.stage is not None and e.stage.by_writer)


def guess_stage(model: Model, text: str, personal: PersonalModel | None = None) -> StageRecord:
    """The stage guess `text` is stored with: the classifier's, never "recovery" for plainly painful words.

    Such words get the likelier of the other two stages at the probability the classifier gave it (recovery's
    share is left out, not shared out), marked unsure, and with no cues: the words it would quote are the
    painful ones, and they aren't why the stage was chosen."""
    from ..stages.model import classify_with

    found = classify_with(model, text, personal)
    if found.stage is Stage.RECOVERY and _plainly_in_pain(text):
        scores = {**found.scores, Stage.RECOVERY: 0.0}
        stage = max((Stage.RECOGNITION, Stage.ACCEPTANCE), key=lambda s: scores[s])  # recognition on a tie
        found = StageGuess(stage=stage, confidence=scores[stage], cues=(), scores=scores, uncertain=True)
    return StageRecord.from_model(found, model.name)


def _plainly_in_pain(text: str) -> bool:
    from ..care.gentle import plainly_self_harm  # its patterns load only for a guess that leans to recovery

    return plainly_self_harm(text) is not None


def _unsure(record: StageRecord) -> bool:
    return not record.by_writer and (record.guess.uncertain or record.stage is None)
