"""The sample journal behind `recovery-journal demo`: a short built-in story, written through the service."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..domain.entry import EntryChanges
from ..journal.service import Clock, Journal, local_now
from ..paths import JournalPaths
from ..settings import Settings
from ..stages import Stage

PASSPHRASE = "a throwaway passphrase for the demo"  # noqa: S105 - shown to the person, opens only the demo


@dataclass(frozen=True)
class Sample:
    journal: Journal
    story: dict[str, Any]
    edited_id: int
    corrected: list[int]  # entries whose stage the writer set, where the model read them otherwise


def load_story() -> dict[str, Any]:
    text = Path(__file__).with_name("story.json").read_text(encoding="utf-8")
    story: dict[str, Any] = json.loads(text)
    return story


def _moment(now: datetime, days_ago: int, clock: str) -> datetime:
    hour, minute = (int(x) for x in clock.split(":"))
    return (now - timedelta(days=days_ago)).replace(hour=hour, minute=minute, second=0, microsecond=0)


def _fixed(moment: datetime) -> Clock:
    return lambda: moment


def build(home: Path, template: Settings, now: datetime | None = None) -> Sample:
    """Create a journal in `home` and write the sample story into it, dated back from `now`."""
    now = now or local_now()
    settings = Settings(
        paths=JournalPaths(home),
        scratch=template.scratch,
        lock_timeout=template.lock_timeout,
        kdf=template.kdf,
        env={},
    )
    story = load_story()
    journal, _code = Journal.create(settings, PASSPHRASE)
    journal.recovery_code_shown()  # a throwaway journal: its code is never needed
    written = []
    for item in story["entries"]:
        moment = _moment(now, item["days_ago"], item["time"])
        journal.now = _fixed(moment)
        written.append(
            journal.write(
                item["text"],
                title=item.get("title") or "",
                tags=item.get("tags", []),
                mood=item.get("mood"),
                date=moment,
                tender=bool(item.get("tender")),
            )
        )
    for item in story["milestones"]:
        journal.now = _fixed(_moment(now, item["days_ago"], "21:00"))
        day = (now - timedelta(days=item["days_ago"])).date()
        journal.milestones.add(item["text"], day=day, kind=item["kind"], note=item.get("note") or "")
    journal.now = _fixed(now)
    for item in story["counters"]:
        journal.counters.start(item["name"], (now - timedelta(days=item["start_days_ago"])).date())
        for days_ago in item["resets_days_ago"]:
            journal.counters.reset(item["name"], (now - timedelta(days=days_ago)).date())
    # One entry gets a second look a few days later, so `history` has something to show.
    target = written[len(written) // 3]
    journal.now = _fixed(target.date + timedelta(days=3))
    journal.edit(
        target.id,
        EntryChanges(
            text=target.text + "\n\nReading this back a few days later: "
            "I was kinder to myself than I felt at the time."
        ),
    )
    # The writer knows best: where the model read an entry differently, they set its stage themselves.
    corrected = []
    for entry, item in zip(written, story["entries"], strict=True):
        told = Stage(item["stage"])
        if entry.stage is None or entry.stage.stage is not told:
            journal.stages.set(entry.id, told)
            corrected.append(entry.id)
    journal.now = local_now
    return Sample(journal=journal, story=story, edited_id=target.id, corrected=corrected)


def grep_counts(paths: JournalPaths, words: list[str]) -> list[tuple[str, int]]:
    """What `grep -aic -e WORD... FILES` prints for the journal's files: each file, its lines with a word."""
    wanted = [w.lower().encode() for w in words]
    found = []
    for path in (p for p in [paths.db, *paths.sidecars()] if p.exists()):
        lines = path.read_bytes().split(b"\n")
        found.append((path.name, sum(1 for line in lines if any(w in line.lower() for w in wanted))))
    return found


def plaintext_hits(paths: JournalPaths, words: list[str]) -> dict[str, int]:
    """How often each word appears, as raw bytes, in the journal's files on disk."""
    blobs = [p.read_bytes() for p in [paths.db, *paths.sidecars()] if p.exists()]
    return {w: sum(b.lower().count(w.lower().encode()) for b in blobs) for w in words}
