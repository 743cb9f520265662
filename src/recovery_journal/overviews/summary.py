"""The summary `share` writes for a therapist or a peer group: a period's movement, and only what was picked.

`gather` reads the journal once (facts.snapshot, and the picked entries); `build` is pure. Redaction happens
here, once, over every piece of text the summary holds, before anything is rendered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from ..domain.entry import Entry, EntryFilter
from ..errors import NotFound
from ..journal.counters import Counter
from ..journal.milestones import Milestone
from ..stages.journey import Move
from ..stages.kinds import STAGES, Stage
from . import facts
from . import timeline as timeline_model
from .facts import Snapshot
from .timeline import Timeline

if TYPE_CHECKING:
    from ..journal.service import Journal

REDACTED = "[name withheld]"
FORMATS = ("markdown", "html")  # the files share writes (render/share.py makes them)


@dataclass(frozen=True)
class CounterLine:
    name: str
    days: int
    longest: int


@dataclass
class Summary:
    first: date
    last: date
    written: int  # entries written in the period (only counted; their words stay out unless picked)
    stage_counts: dict[Stage, int]
    moves: list[Move]
    timeline: Timeline
    milestones: list[Milestone]
    counters: list[CounterLine]
    entries: list[Entry]
    redactions: dict[str, int] = field(default_factory=dict)  # name -> times replaced


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def plain(text: str) -> str:
    """Text as redaction reads it: composed characters (NFC), straight apostrophes."""
    return unicodedata.normalize("NFC", text).translate(_QUOTES)


def name_pattern(name: str) -> re.Pattern[str]:
    """A whole word or phrase, any case, any spacing: 'Sam' matches "sam" and "Sam's", never "Samuel"."""
    phrase = r"\s+".join(re.escape(w) for w in plain(name).split())
    return re.compile(r"(?<!\w)" + phrase + r"(?!\w)", re.IGNORECASE)


def still_named(rendered: str, names: list[str]) -> list[str]:
    """The names still found in a finished summary (a last check before it is written)."""
    text = plain(rendered)
    return [name for name in names if name.strip() and name_pattern(name).search(text)]


def gather(
    journal: Journal,
    first: date | None,
    last: date,
    *,
    numbers: list[int],
    tags: tuple[str, ...],
    starred: bool,
    redact: list[str],
    counters: bool = False,
) -> Summary:
    """Everything a summary of `first`..`last` holds: entries only as picked (tender ones only by number)."""
    snapshot = facts.snapshot(journal)
    built = timeline_model.build(snapshot, first, last)
    known = [f.day for f in snapshot.facts] + [m.date for m in snapshot.milestones]
    start = first or min(known, default=last)
    picked = {n: journal.entry(n) for n in numbers}  # a number that isn't there says so, calmly
    wanted = ([EntryFilter(since=start, until=last, tags=tags)] if tags else []) + (
        [EntryFilter(since=start, until=last, starred=True)] if starred else []
    )
    for each in wanted:  # picked by a tag or by a star: either one picks an entry
        listing = journal.entries(each)
        picked.update({e.id: e for e in listing.entries if not e.tender and e.id not in picked})
    prompts, _ = journal.prompts()
    chosen = [replace(e, prompt=prompts.get(e.id)) for e in picked.values()]
    if not counters:  # "days since..." can be the most private line of all: only when asked for
        snapshot = replace(snapshot, counters=[])
    summary = build(snapshot, built, chosen, start, last, redact)
    if not summary.written and not summary.milestones and not summary.entries:
        raise NotFound(
            f"There's nothing between {summary.first} and {summary.last} to share.",
            hint="Choose a wider range with --from and --to, or pick entries with --entries.",
        )
    return summary


def build(
    snapshot: Snapshot,
    timeline: Timeline,
    picked: list[Entry],
    first: date,
    last: date,
    redact: list[str],
) -> Summary:
    in_range = [f for f in snapshot.facts if first <= f.day <= last]
    counts = {stage: sum(1 for f in in_range if f.stage == stage) for stage in STAGES}
    moves = [m for m in timeline.journey.moves if first <= m.when.date() <= last]
    summary = Summary(
        first=first,
        last=last,
        written=len(in_range),
        stage_counts=counts,
        moves=moves,
        timeline=timeline,
        milestones=[m for m in snapshot.milestones if first <= m.date <= last],
        counters=[_counter_line(c, snapshot.today) for c in snapshot.counters],
        entries=sorted(picked, key=lambda e: e.date),
    )
    return apply_redactions(summary, redact)


def _counter_line(counter: Counter, today: date) -> CounterLine:
    return CounterLine(counter.name, counter.days(today), counter.longest(today))


def apply_redactions(summary: Summary, names: list[str]) -> Summary:
    """Replace each name everywhere in the summary's text; count where each was found."""
    patterns = [(name, name_pattern(name)) for name in names if name.strip()]
    found = {name: 0 for name, _ in patterns}

    def clean(text: str, count: bool = True) -> str:
        text = plain(text)
        for name, pattern in patterns:
            text, hits = pattern.subn(REDACTED, text)
            if count:
                found[name] += hits
        return text

    summary.entries = [
        replace(
            e,
            title=clean(e.title),
            text=clean(e.text),
            tags=tuple(clean(t) for t in e.tags),
            prompt=None if e.prompt is None else clean(e.prompt),
        )
        for e in summary.entries
    ]
    summary.milestones = [replace(m, text=clean(m.text), note=clean(m.note)) for m in summary.milestones]
    summary.counters = [replace(c, name=clean(c.name)) for c in summary.counters]
    for bucket in summary.timeline.buckets:
        bucket.tender = 0  # the picture doesn't say how many tender entries there were
        # The same milestones again, for the picture: replaced, not counted twice.
        bucket.milestones = [
            replace(m, text=clean(m.text, False), note=clean(m.note, False)) for m in bucket.milestones
        ]
    summary.redactions = found
    return summary
