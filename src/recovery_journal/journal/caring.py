"""journal.care: the person's safety plan and the gentle check after a save, both sealed in the `care` row.

The plan is the person's own words (care/plan.py has its shape). The gentle check reads an entry just saved
(care/gentle.py) and remembers only the day it last offered support for a run of heavy moods, sealed, so that
offer comes at most once a day. Nothing the check finds is stored.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from ..care.plan import MAX_CHARS, SafetyPlan
from ..domain.entry import Entry
from ..errors import InvalidInput, JournalError, Tampered
from ..sealing.codec import STATE_PADDED, open_field
from ..sealing.crypto import MIN_PADDED, InvalidCiphertext, field_ad
from ..storage import queries

if TYPE_CHECKING:
    from ..sealing.index import Summaries
    from .service import Journal

Offer = Literal["words", "plain", "harmed", "danger", "mood"]

# The overviews lead with the way to support while an entry this recent calls for it. Of the entries dated
# in the last two days, the twelve dated latest are read (the entry index has every date): a few short entries
# written after a goodbye ("can't sleep", "3am") mustn't end it within minutes, and reading them costs an
# overview about 15 ms (fifty cost 45 ms). By date, not by when they were written: entries about earlier days
# written after it (catching up, or a whole other journal imported) never push such words out of sight.
RECENT_HOURS = 48
RECENT_MOST = 12
# An entry dated ahead (only an import brings one: `write` refuses it) is read for a day past now, where a
# clock set ahead could put words written now; one dated years ahead would otherwise lead every overview.
AHEAD_HOURS = 24


class CareBook:
    """journal.care: the safety plan, and whether to offer support after a save."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal

    # --- the safety plan --------------------------------------------------------------------------------

    def plan(self) -> SafetyPlan | None:
        """The person's safety plan, or None when they haven't written one."""
        with self._journal.store.read() as con:
            row = queries.care(con)
        if row is None or row[1] is None:
            return None
        opened = self._open(row[0], "plan", row[1])
        try:
            return SafetyPlan.from_json(opened)
        except ValueError:
            raise self._damaged("plan") from None

    def set_plan(self, plan: SafetyPlan) -> None:
        """Keep the plan (replacing the one before), sealed, in one transaction."""
        if plan.empty:
            raise InvalidInput(
                "The plan came back empty, so nothing was changed.",
                hint="Write a line or two under any heading; `support plan --delete` removes a plan.",
            )
        if sum(len(text) for text in plan.sections.values()) > MAX_CHARS:
            raise InvalidInput(
                f"A safety plan can hold up to {MAX_CHARS:,} characters.",
                hint="Keep it short enough to read in a hard moment; the longer story fits in an entry.",
            )
        self._put("plan", plan.to_json())

    def delete_plan(self) -> bool:
        """Remove the plan; False when there was none."""
        if self.plan() is None:
            return False
        with self._journal.store.write() as con:
            row = queries.care(con)
            if row is not None:
                queries.put_care(con, row[0], "plan", None)
        return True

    # --- prompts ------------------------------------------------------------------------------------------

    def choose_prompt(self, group: str) -> str:
        """A prompt from `group`; for "current", from the journal's stage now (recognition at first)."""
        if group == "current":
            now, _ = self._journal.stages.journey()
            group = now.current.stage.value if now.current is not None else "recognition"
        from ..care import prompts  # only when a prompt is asked for

        found = prompts.find_group(group)
        if found is None:
            raise InvalidInput(
                f"'{group}' isn't a kind of prompt.",
                hint="Use recognition, acceptance, recovery, milestone or hard-day, or --prompt alone.",
            )
        return prompts.pick(found)

    # --- the gentle check -------------------------------------------------------------------------------

    def after_save(self, entry: Entry, *, words: bool = True) -> Offer | None:
        """Whether to offer support after saving `entry`: its words, or (once a day) a run of heavy moods.

        Never raises: the entry is already saved, and nothing about the check may make it look otherwise.
        """
        try:
            return self._after_save(entry, words)
        except (JournalError, InvalidCiphertext, ValueError, OSError):
            return None

    def _after_save(self, entry: Entry, words: bool) -> Offer | None:
        from ..care import gentle  # its patterns take a moment to compile: only after a save

        try:
            state: dict[str, Any] | None = self._state()
        except (JournalError, InvalidCiphertext, ValueError, TypeError, OSError):
            state = None  # a note that can't be read never switches the check off: the words are still read
        if not self.checks_on({} if state is None else state):
            return None
        found = gentle.line_for(gentle.concern(f"{entry.title}\n{entry.text}")) if words else None
        if state is not None and not state:  # the note exists from the first check on: says nothing
            try:
                state = {"mood_offered": None}
                self._put("state", state)
            except JournalError:  # the care row was changed outside (doctor names it): left as found
                state = None
        if found is not None or state is None:  # without the note, the once-a-day mood line could repeat
            return found
        now = self._journal.now()
        if not gentle.heavy_stretch(self._recent_moods(), now):
            return None
        today = now.date().isoformat()
        if state.get("mood_offered") == today:
            return None
        self._put("state", {**state, "mood_offered": today})
        return "mood"

    def recent_support(self, found: Summaries | None = None) -> Offer | None:
        """The line the overviews (`stage`, `progress`, `timeline`) lead with while the newest entries' words
        call for it: of the entries dated in the last RECENT_HOURS, the RECENT_MOST dated latest, read as a
        save reads them. "danger" when one speaks of danger now or of harm under way, "plain" when one plainly
        speaks of wanting to die, of self-harm or of a goodbye, "words" for the rest that a save would answer;
        None otherwise, and when the check is off (a note that can't be read counts as on). Nothing is stored.
        Never raises: an overview is shown whatever happens here. `found`: the journal's summaries, when the
        overview has them already.
        """
        try:
            if not self._checking():
                return None
            now = self._journal.now()
            since, until = now - timedelta(hours=RECENT_HOURS), now + timedelta(hours=AHEAD_HOURS)
            ids = _dated_latest(self._journal.summaries() if found is None else found, since, until)
            cipher = self._journal.cipher
            with self._journal.store.read() as con:
                rows = queries.entries_by_id(con, ids, ("date", "title", "text"))
            texts = []
            for row in rows:
                try:
                    if open_field(cipher, str(row[1]), "date", row[2]) < since:
                        continue
                    texts.append(
                        f"{open_field(cipher, str(row[1]), 'title', row[3])}\n"
                        f"{open_field(cipher, str(row[1]), 'text', row[4])}"
                    )
                except InvalidCiphertext:
                    continue  # a damaged entry says so where it is opened; here it only doesn't count
            return _strongest_offer(texts)
        except (JournalError, InvalidCiphertext, ValueError, TypeError, OSError):
            return None

    def support_for(self, entry: Entry) -> Offer | None:
        """The line `stage show` gives an entry whose words a save would answer, in place of asking the writer
        to sort it; None when they wouldn't, or the check is off."""
        try:
            return _strongest_offer([f"{entry.title}\n{entry.text}"]) if self._checking() else None
        except (JournalError, InvalidCiphertext, ValueError, TypeError, OSError):
            return None

    def _checking(self) -> bool:
        """checks_on(), with a note that can't be read counting as on, as after a save: a damaged note never
        switches the check off."""
        try:
            return self.checks_on()
        except (JournalError, InvalidCiphertext, ValueError, TypeError, OSError):
            return self._journal.settings.gentle_checks is not False

    def checks_on(self, state: dict[str, Any] | None = None) -> bool:
        """Whether the check runs: RECOVERY_JOURNAL_GENTLE_CHECKS if set, else the journal's own setting."""
        if self._journal.settings.gentle_checks is not None:
            return self._journal.settings.gentle_checks
        return bool((self._state() if state is None else state).get("checks", True))

    def set_checks(self, on: bool) -> None:
        """Switch the gentle check on or off for this journal (kept sealed with its note)."""
        try:
            state = self._state()
        except Tampered:  # a damaged note is replaced: switching the check must always work
            state = {}
        self._put("state", {"mood_offered": None, **state, "checks": on})

    def _recent_moods(self) -> list[tuple[datetime, int | None]]:
        from ..care.gentle import HEAVY_WINDOW

        cipher = self._journal.cipher
        with self._journal.store.read() as con:
            ids = queries.latest_entry_ids(con, HEAVY_WINDOW)
            rows = queries.entries_by_id(con, ids, ("created", "mood"))
        moods = []
        for row in rows:
            try:
                created = open_field(cipher, str(row[1]), "created", row[2])
                mood = open_field(cipher, str(row[1]), "mood", row[3])
            except InvalidCiphertext:
                continue  # a damaged entry says so where it is opened; here it only doesn't count
            moods.append((created, mood))
        return moods

    # --- the sealed row ---------------------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        with self._journal.store.read() as con:
            row = queries.care(con)
        if row is None or row[2] is None:
            return {}
        found = self._open(row[0], "state", row[2])
        return found if isinstance(found, dict) else {}

    def _put(self, column: str, value: object) -> None:
        with self._journal.store.write() as con:
            row = queries.care(con)
            row_uuid = row[0] if row is not None else str(uuidlib.uuid4())
            minimum = STATE_PADDED if column == "state" else MIN_PADDED
            sealed = self._journal.cipher.seal_json(value, field_ad("care", column, row_uuid), minimum)
            queries.put_care(con, row_uuid, column, sealed)

    def _open(self, row_uuid: str, column: str, sealed: bytes) -> Any:
        try:
            return self._journal.cipher.open_json(sealed, field_ad("care", column, row_uuid))
        except (InvalidCiphertext, ValueError):
            raise self._damaged(column) from None

    @staticmethod
    def _damaged(column: str) -> Tampered:
        what = "safety plan" if column == "plan" else "gentle check's note"
        return Tampered(
            f"The {what} couldn't be opened: it looks damaged (a disk or sync fault can do this), or was "
            "changed outside recovery-journal.",
            hint="Your entries are sealed apart from it and still open. `recovery-journal doctor` says "
            "what is damaged; a backup holds a good copy.",
        )


def _strongest_offer(texts: list[str]) -> Offer | None:
    """The strongest line a save of these texts offered: "harmed" (an overdose taken), "danger", "plain", then
    "words"; None when none did."""
    from ..care import gentle

    offers = {gentle.line_for(gentle.concern(text)) for text in texts}
    return next((kind for kind in ("harmed", "danger", "plain", "words") if kind in offers), None)


def _dated_latest(found: Summaries, since: datetime, until: datetime) -> list[int]:
    """The ids of the RECENT_MOST entries dated latest, of those dated from `since` to `until`."""
    floor, ceiling = since.timestamp(), until.timestamp()
    epochs = found.epochs
    recent = sorted(
        (i for i, moment in enumerate(epochs) if floor <= moment <= ceiling), key=epochs.__getitem__
    )
    return [found.ids[i] for i in recent[-RECENT_MOST:]]
