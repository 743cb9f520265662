"""Portable records: a journal's entries, earlier versions, milestones and counters as plain JSON objects.

The same shapes go into backups (inside the encryption) and `export --format json` (outside it), and come back
through restore and `import json`. Reading is strict: a record that doesn't fit is refused, never guessed.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..care.plan import SafetyPlan
from ..domain.entry import Entry, Revision, check_mood, clean_prompt, clean_tags, clean_text, clean_title
from ..errors import InvalidInput, JournalError
from ..journal.counters import Counter, Run
from ..journal.milestones import KINDS, Milestone
from ..stages.record import StageRecord

FORMAT = 1


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def entry_record(entry: Entry, revisions: list[Revision]) -> dict[str, Any]:
    return {
        "type": "entry",
        "id": entry.id,
        "uuid": entry.uuid,
        "date": _iso(entry.date),
        "created": _iso(entry.created),
        "updated": _iso(entry.updated),
        "title": entry.title,
        "text": entry.text,
        "tags": list(entry.tags),
        "mood": entry.mood,
        "tender": entry.tender,
        "starred": entry.starred,
        "stage": None if entry.stage is None else entry.stage.to_json(),
        **({"prompt": entry.prompt} if entry.prompt else {}),
        "revisions": [
            {
                "uuid": r.uuid,
                "replaced": _iso(r.replaced),
                "date": _iso(r.date),
                "title": r.title,
                "text": r.text,
                "tags": list(r.tags),
                "mood": r.mood,
            }
            for r in revisions
        ],
    }


def milestone_record(m: Milestone) -> dict[str, Any]:
    return {
        "type": "milestone",
        "id": m.id,
        "uuid": m.uuid,
        "date": m.date.isoformat(),
        "kind": m.kind,
        "text": m.text,
        "note": m.note,
        "created": _iso(m.created),
    }


def counter_record(c: Counter) -> dict[str, Any]:
    return {
        "type": "counter",
        "id": c.id,
        "uuid": c.uuid,
        "name": c.name,
        "offered": list(c.offered),
        "runs": [
            {"start": r.start.isoformat(), "end": None if r.end is None else r.end.isoformat()}
            for r in c.runs
        ],
    }


# --- reading back ---------------------------------------------------------------------------------------


@dataclass
class Incoming:
    """Everything read from a backup or an import, checked, ready to restore or merge."""

    # A list, or for a big import read from its file, entries read afresh each time they are gone through.
    entries: Collection[tuple[Entry, list[Revision]]] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    counters: list[Counter] = field(default_factory=list)
    personal_model: dict[str, Any] | None = None
    safety_plan: dict[str, str] | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    tally: dict[str, int] | None = None  # entries and revisions counted, when they were checked, not kept
    # Each entry's id made from its date and words (jrnl's files carry none): an entry already in the journal
    # with the same moment, title and words is that entry, whatever id it was given there (merge.py).
    ids_derived: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "entries": len(self.entries) if self.tally is None else self.tally["entries"],
            "revisions": (
                sum(len(r) for _, r in self.entries) if self.tally is None else self.tally["revisions"]
            ),
            "milestones": len(self.milestones),
            "counters": len(self.counters),
        }


class BadRecord(ValueError):
    """A record that doesn't have the shape this version reads."""


def _uuid(value: Any) -> str:
    try:
        return str(uuidlib.UUID(str(value)))
    except ValueError:
        raise BadRecord("uuid") from None


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment


def read_entry(raw: dict[str, Any]) -> tuple[Entry, list[Revision]]:
    try:
        mood = raw.get("mood")
        entry = Entry(
            id=int(raw.get("id") or 0),
            uuid=_uuid(raw["uuid"]),
            date=_moment(raw["date"]),
            created=_moment(raw.get("created") or raw["date"]),
            updated=_moment(raw.get("updated") or raw.get("created") or raw["date"]),
            title=clean_title(str(raw.get("title") or "")),
            text=clean_text(str(raw["text"])),
            tags=clean_tags([str(t) for t in raw.get("tags") or []]),
            mood=check_mood(None if mood is None else int(mood)),
            tender=bool(raw.get("tender", False)),
            starred=bool(raw.get("starred", False)),
            stage=None if not raw.get("stage") else StageRecord.from_json(raw["stage"]),
            prompt=clean_prompt(str(raw["prompt"])) or None if raw.get("prompt") else None,
        )
        revisions = [
            Revision(
                number=n,
                uuid=_uuid(r["uuid"]),
                replaced=_moment(r["replaced"]),
                date=_moment(r["date"]),
                title=str(r.get("title") or ""),
                text=str(r["text"]),
                tags=tuple(str(t) for t in r.get("tags") or []),
                mood=None if r.get("mood") is None else int(r["mood"]),
            )
            for n, r in enumerate(raw.get("revisions") or [], start=1)
        ]
    except KeyError as exc:
        raise BadRecord(f"an entry is missing {exc.args[0]!r}") from None
    except JournalError as exc:  # a value this journal wouldn't accept from a person either
        # Named by kind only: the value itself (a tag, a title) is the person's words, never put in a message.
        raise BadRecord(f"a value in an entry doesn't fit: {_kind_of(exc)}") from None
    except (TypeError, ValueError, AttributeError):
        raise BadRecord("an entry has a value of the wrong kind (a date, a number or a list)") from None
    return entry, revisions


def _kind_of(exc: JournalError) -> str:
    """What didn't fit, in words that never quote the person's own (a tag's message would)."""
    if isinstance(exc, InvalidInput):
        return "a tag or the title can't be used as it is"
    return exc.message.rstrip(".")


def read_milestone(raw: dict[str, Any]) -> Milestone:
    try:
        kind = str(raw["kind"])
        if kind not in KINDS:
            raise BadRecord("kind")
        return Milestone(
            id=int(raw.get("id") or 0),
            uuid=_uuid(raw["uuid"]),
            date=date.fromisoformat(raw["date"]),
            kind=kind,
            text=str(raw["text"]),
            note=str(raw.get("note") or ""),
            created=_moment(raw.get("created") or raw["date"] + "T00:00:00"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRecord(f"milestone: {exc.__class__.__name__}") from None


def read_counter(raw: dict[str, Any]) -> Counter:
    try:
        runs = tuple(
            Run(
                start=date.fromisoformat(r["start"]),
                end=None if r.get("end") is None else date.fromisoformat(r["end"]),
            )
            for r in raw["runs"]
        )
        if not runs:
            raise BadRecord("runs")
        return Counter(
            id=int(raw.get("id") or 0),
            uuid=_uuid(raw["uuid"]),
            name=str(raw["name"]),
            runs=runs,
            offered=tuple(int(x) for x in raw.get("offered") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRecord(f"counter: {exc.__class__.__name__}") from None


def collect(records: list[dict[str, Any]] | Any, *, expect_end: bool, keep: bool = True) -> Incoming:
    """Check and gather records; with `expect_end`, the closing counts must match what was read.

    With `keep` false, each entry is checked as fully as when kept, then only counted (to verify a backup
    without holding its entries in memory).
    """
    kept: list[tuple[Entry, list[Revision]]] = []
    incoming = Incoming(entries=kept, tally=None if keep else {"entries": 0, "revisions": 0})
    seen: set[str] = set()
    ended: dict[str, int] | None = None
    for raw in records:
        if not isinstance(raw, dict):
            raise BadRecord("a record that isn't a JSON object")
        kind = raw.get("type")
        if ended is not None:
            raise BadRecord("records after the end")
        if kind == "backup":
            if int(raw.get("format", 0)) > FORMAT:
                raise BadRecord("newer format")
            incoming.meta = raw
        elif kind == "entry":
            try:
                entry, revisions = read_entry(raw)
            except BadRecord as exc:
                raise BadRecord(f"{exc} (entry {raw.get('uuid') or len(seen) + 1})") from None
            if entry.uuid in seen:
                raise BadRecord("the same entry appears twice")
            seen.add(entry.uuid)
            if incoming.tally is None:
                kept.append((entry, revisions))
            else:
                incoming.tally["entries"] += 1
                incoming.tally["revisions"] += len(revisions)
        elif kind == "milestone":
            incoming.milestones.append(read_milestone(raw))
        elif kind == "counter":
            incoming.counters.append(read_counter(raw))
        elif kind == "personal_model":
            incoming.personal_model = dict(raw.get("model") or {})
        elif kind == "safety_plan":
            try:
                incoming.safety_plan = SafetyPlan.from_json(raw.get("plan")).to_json()
            except ValueError:
                raise BadRecord("the safety plan isn't an object") from None
        elif kind == "end":
            ended = {str(k): int(v) for k, v in (raw.get("counts") or {}).items()}
        else:
            raise BadRecord(f"unknown record type {kind!r}")
    if expect_end and ended != incoming.counts():
        raise BadRecord("the closing counts don't match")
    return incoming


def refuse(what: str, reason: str) -> InvalidInput:
    return InvalidInput(
        f"{what} has a record this version can't read ({reason}).",
        hint="Nothing was changed. Check it's the right file.",
    )
