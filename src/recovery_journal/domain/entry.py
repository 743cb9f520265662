"""What an entry is, what a change to one is, the limits every entry keeps, and a draft waiting to be one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..errors import EmptyEntry, InvalidEncoding, InvalidInput, InvalidMood, TooLarge
from ..stages.record import StageRecord

MAX_TEXT_BYTES = 1024 * 1024
MAX_TITLE_CHARS = 200
MAX_TAGS = 20
MAX_TAG_CHARS = 40
MOOD_MIN, MOOD_MAX = 1, 10

_TAG_OK = re.compile(r"^[\w][\w\-.']*$")


@dataclass(frozen=True)
class Entry:
    """One journal entry, opened."""

    id: int
    uuid: str
    date: datetime
    created: datetime
    updated: datetime
    title: str
    text: str
    tags: tuple[str, ...]
    mood: int | None
    revisions: int = 0
    stage: StageRecord | None = None
    tender: bool = False  # painful: never resurfaced unasked, collapsed in timelines
    starred: bool = False
    prompt: str | None = None  # the prompt it was written to; loaded for one entry at a time (show)


@dataclass(frozen=True)
class Revision:
    """An earlier version of an entry, as it was before a change."""

    number: int
    uuid: str
    replaced: datetime
    date: datetime
    title: str
    text: str
    tags: tuple[str, ...]
    mood: int | None


@dataclass(frozen=True)
class NewEntry:
    """An entry to be written; checked by the service when it is written."""

    text: str
    title: str = ""
    tags: tuple[str, ...] = ()
    mood: int | None = None
    date: datetime | None = None
    tender: bool = False
    starred: bool = False
    uuid: str | None = None  # given for a quick capture, so folding it in twice can't make two entries
    prompt: str = ""  # the prompt it was written to, kept beside it (sealed), never part of its text


@dataclass(frozen=True)
class EntryChanges:
    """Validated new values for an entry; None means "leave as it is"."""

    text: str | None = None
    title: str | None = None
    tags: tuple[str, ...] | None = None
    mood: int | None = None
    clear_mood: bool = False
    date: datetime | None = None
    tender: bool | None = None
    starred: bool | None = None

    def is_empty(self) -> bool:
        values = (self.text, self.title, self.tags, self.mood, self.date, self.tender, self.starred)
        return all(v is None for v in values) and not self.clear_mood


@dataclass(frozen=True)
class EntryFilter:
    """Which entries a listing or search wants."""

    since: date | None = None
    until: date | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    stages: tuple[str, ...] = field(default_factory=tuple)
    starred: bool = False  # only starred entries
    limit: int | None = None
    newest_first: bool = False

    def wants(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


def leave_out_tender(entries: list[Entry], include: bool) -> tuple[list[Entry], int]:
    """The entries to bring back: tender ones only when asked for; and how many were left out."""
    kept = [e for e in entries if include or not e.tender]
    return kept, len(entries) - len(kept)


def _check_encodable(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidEncoding(
            f"The {what} has bytes that aren't valid UTF-8 text, so nothing was saved.",
            hint="Save it as UTF-8 (most editors offer this under 'Save with encoding') and try again.",
        ) from None


def clean_text(text: str) -> str:
    """Trim blank lines around the entry and trailing spaces at its end; refuse empty or oversized text."""
    _check_encodable(text, "entry")
    cleaned = text.lstrip("\r\n").rstrip()
    if not cleaned.strip():
        raise EmptyEntry(
            "The entry was empty, so nothing was saved.",
            hint="Whenever you like: a few words in your editor, or typed (recovery-journal write --inline).",
        )
    size = len(cleaned.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        raise TooLarge(
            f"That entry is {size / 1024 / 1024:.1f} MiB; "
            f"one entry can hold up to {MAX_TEXT_BYTES // 1024 // 1024} MiB.",
            hint="Split it into a few entries.",
        )
    return cleaned


MAX_PROMPT_CHARS = 500


def clean_prompt(prompt: str) -> str:
    _check_encodable(prompt, "prompt")
    cleaned = " ".join(prompt.split())
    if len(cleaned) > MAX_PROMPT_CHARS:
        raise InvalidInput(
            f"A prompt can be up to {MAX_PROMPT_CHARS} characters.", hint="Put the rest in the entry itself."
        )
    return cleaned


def clean_title(title: str) -> str:
    _check_encodable(title, "title")
    cleaned = " ".join(title.split())
    if len(cleaned) > MAX_TITLE_CHARS:
        raise InvalidInput(
            f"That title is {len(cleaned)} characters; titles can be up to {MAX_TITLE_CHARS}.",
            hint="Keep the title short and put the rest in the entry.",
        )
    return cleaned


def _tag_form(tag: str) -> str:
    """The one spelling a tag is kept in: composed (NFC) and lower-case.

    Lower-casing the Turkish "İ" gives "i" plus a combining dot, which no tag may hold (and the dotted
    capital means a plain "i" there), so the dot goes.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", tag).lower().replace("i\u0307", "i"))


def clean_tags(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Lower-case, drop a leading # or @, keep first-seen order without repeats; refuse a tag with no word."""
    seen: dict[str, None] = {}
    for raw in tags:
        _check_encodable(raw, "tag")
        if not raw.replace(",", "").strip().lstrip("#@").strip():  # --tag "" would otherwise pass unnoticed
            raise InvalidInput(
                "A tag needs a word, and this one is empty.",
                hint="Give it one, like --tag walks, or leave the tag out.",
            )
        for part in raw.split(","):
            tag = _tag_form(part.strip().lstrip("#@").strip())
            if not tag:
                continue
            if len(tag) > MAX_TAG_CHARS or not _TAG_OK.match(tag):
                raise InvalidInput(
                    f"The tag '{tag[:MAX_TAG_CHARS]}' can't be used as it is.",
                    hint=f"Tags are single words up to {MAX_TAG_CHARS} characters: letters, digits, - _ . '",
                )
            seen[tag] = None
    if len(seen) > MAX_TAGS:
        raise InvalidInput(
            f"An entry can have up to {MAX_TAGS} tags.", hint="Keep the ones that matter most."
        )
    return tuple(seen)


# @tag and #tag as jrnl writes them: a letter first, so "#1" is a number, and "# Title" (a space after the
# mark) is a Markdown heading; nothing word-like, @, #, & or / just before, so emails (me@home.org), "C#",
# "&#39;" and paths (site.org/@name) aren't tags either. Links are taken out first.
# (The mark is matched first and what lies before it looked at after: the same matches as putting the look
# behind first, found several times faster, since the search can then skip to the next @ or #.)
_INLINE_TAG = re.compile(r"[@#](?<![\w@#&/].)([^\W\d_][\w-]*)")
_LINK = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+", re.IGNORECASE)


def inline_tags(text: str) -> tuple[str, ...]:
    """The @tag and #tag words in the text, lower-cased, first-seen order, each usable as a tag.

    Never raises: a word that can't be a tag as it stands stays in the words only, so the person's own text
    can never stop a save (nor be quoted back in an error).
    """
    words = unicodedata.normalize("NFC", text)
    if "://" in words or "www." in words.lower():  # a link can't be there otherwise; most entries hold none
        words = _LINK.sub(" ", words)
    found = (_tag_form(tag.rstrip("-")) for tag in _INLINE_TAG.findall(words))
    return tuple(dict.fromkeys(tag for tag in found if len(tag) <= MAX_TAG_CHARS and _TAG_OK.match(tag)))


def with_inline_tags(tags: tuple[str, ...], text: str) -> tuple[str, ...]:
    """`tags`, then the words' own @tags and #tags, up to the limit (the words keep the rest)."""
    merged = dict.fromkeys(clean_tags(tags))
    for tag in inline_tags(text):
        if len(merged) >= MAX_TAGS:
            break
        merged[tag] = None
    return tuple(merged)


def check_mood(mood: int | None) -> int | None:
    if mood is not None and not MOOD_MIN <= mood <= MOOD_MAX:
        raise InvalidMood(
            f"Mood is a number from {MOOD_MIN} to {MOOD_MAX}; {mood} is outside that.",
            hint=f"{MOOD_MIN} is the heaviest day, {MOOD_MAX} the lightest. Leave --mood out to skip it.",
        )
    return mood


@dataclass(frozen=True)
class Draft:
    """Words kept safe after a save could not finish, with every detail they were meant to be saved with.

    title ... starred are the entry as it is meant to be saved (for an edit: the entry with the changes asked
    for applied, so it can be written whole if the entry was deleted meanwhile); for an edit, `entry_uuid`
    names the entry and `changes` holds only what the command asked to change besides the words.
    """

    uuid: str
    text: str
    saved: datetime
    reason: str
    title: str = ""
    tags: tuple[str, ...] = ()
    mood: int | None = None
    date: str | None = None
    entry_uuid: str | None = None
    tender: bool = False
    starred: bool = False
    prompt: str = ""  # the writing prompt a new entry was written to
    changes: EntryChanges | None = None  # for an edit: the details asked to change (never `text`)
    raw: bytes | None = None  # the words exactly as the editor wrote them, when that wasn't UTF-8
    path: Path | None = field(default=None, compare=False)
    number: int = field(default=0, compare=False)  # stable: it stays the draft's number until discarded
