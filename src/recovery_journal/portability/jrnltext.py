"""`export --format txt`: jrnl's plain-text layout, written so that `import jrnl` reads it back exactly.

jrnl reads the file as its own journal (`jrnl --import`): a line `[2026-11-20 21:04] Title` starts an entry, a
trailing ` *` stars it, and `@tag` words are tags. jrnl has no titles of its own (its "title" is an entry's
first line), no seconds and no time zones, so a few things jrnl never sees are kept for the way back:

- a first line naming the file (jrnl skips anything before the first entry), so `import jrnl` knows it;
- one blank line before an entry, two before one with a title (jrnl drops blank lines around an entry's
  words; the words here never start or end with one): the header holds the title then, else the first line;
- seconds in the time when there are any (jrnl reads `[2026-11-20 21:04:37]` too); the time is this
  computer's local time, as jrnl's are;
- a last line `Tags: @one @two` with every tag in order (jrnl sees them as tags), also written, empty, when
  the words' own last line would read as one;
- a backslash before a line of the words that jrnl would take for a new entry (`[tomorrow] ...`), and after a
  header's words that end in `*`, which jrnl would take for a star; reading back takes one away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from ..domain.entry import MAX_TITLE_CHARS, Entry
from ..errors import NewerVersion

VERSION = 1
MARK = "recovery-journal txt export"
FIRST_LINE = (
    f"{MARK} {VERSION}, in jrnl's layout (not encrypted): `jrnl --import` reads it, and "
    "`recovery-journal import jrnl` reads it back whole."
)
_FIRST = re.compile(rf"^{re.escape(MARK)} (\d+)\b")
_HEADER = re.compile(r"^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d{6})?)?)\] (.*)$")
# What jrnl takes for a new entry: a bracketed date of more than six characters, then a space.
_LIKE_HEADER = re.compile(r"^(\\*)\[[^\]\n]{7,}\] ")
_TAG_LINE = re.compile(r"^Tags:((?: @[^\s@]+)*)$")
_STAR_AT_END = re.compile(r"\*\\*$")


@dataclass(frozen=True)
class Block:
    """One entry as the file holds it, read back."""

    when: datetime
    title: str
    text: str
    tags: tuple[str, ...]
    starred: bool


def version(first_line: str) -> int | None:
    """The layout's version when `first_line` is this export's own first line; None for any other file."""
    found = _FIRST.match(first_line.removeprefix("\ufeff"))
    if found is None:
        return None
    if int(found.group(1)) > VERSION:
        raise NewerVersion(
            "That text export was written by a newer recovery-journal.",
            hint="Upgrade with `pip install --upgrade recovery-journal`, or import its JSON export.",
        )
    return int(found.group(1))


def _stamp(moment: datetime) -> str:
    local = moment.astimezone()
    seconds = f":{local:%S}" if local.second or local.microsecond else ""
    return f"{local:%Y-%m-%d %H:%M}{seconds}" + (f".{local:%f}" if local.microsecond else "")


def block(entry: Entry) -> str:
    """One entry's lines: the header, the words, and the tag line when there is one."""
    first, _, rest = entry.text.partition("\n")
    head = entry.title or first
    if _STAR_AT_END.search(head):
        head += "\\"
    lines = (entry.text if entry.title else rest).split("\n") if (entry.title or rest) else []
    lines = [("\\" + line) if _LIKE_HEADER.match(line) else line for line in lines]
    if entry.tags or (lines and _TAG_LINE.match(lines[-1])):
        lines.append("Tags:" + "".join(f" @{tag}" for tag in entry.tags))
    header = f"[{_stamp(entry.date)}] {head}" + (" *" if entry.starred else "")
    return "\n".join([header, *lines])


def write(out: TextIO, entries: Iterable[Entry]) -> None:
    """The entries as they are read; nothing at all when there are none (jrnl would make one of the note)."""
    started = False
    for entry in entries:
        if not started:
            out.write(FIRST_LINE + "\n")
            started = True
        out.write(("\n\n" if entry.title else "\n") + block(entry) + "\n")


def blocks(lines: Iterable[str]) -> Iterator[Block]:
    """The entries of a file `write` made, from its lines (its first line included), as they are read."""
    source = iter(lines)
    first = next(source, "")
    crlf = first.endswith("\r")  # the file's line ends were changed to CRLF since: read past them
    blanks = 0
    current: tuple[datetime, str, bool, bool, list[str]] | None = None
    for read in source:
        line = read.removesuffix("\r") if crlf else read
        header = _HEADER.match(line)
        if header is not None:
            if current is not None:
                yield _close(*current)
            head, starred = _head(header.group(2))
            when = datetime.fromisoformat(header.group(1)).astimezone()
            current = (when, head, starred, blanks >= 2, [])
            blanks = 0
            continue
        blanks = blanks + 1 if line == "" else 0
        if current is not None:
            current[4].append(line)
    if current is not None:
        yield _close(*current)


def _head(words: str) -> tuple[str, bool]:
    starred = words.endswith(" *")
    if starred:
        words = words[:-2]
    if re.search(r"\*\\+$", words):
        words = words[:-1]
    return words, starred


def _close(when: datetime, head: str, starred: bool, titled: bool, body: list[str]) -> Block:
    while body and body[-1] == "":
        body.pop()  # the blank lines before the next entry
    tags: tuple[str, ...] = ()
    if body and (tag_line := _TAG_LINE.match(body[-1])) is not None:
        tags = tuple(word.removeprefix("@") for word in tag_line.group(1).split())
        body.pop()
    body = [line[1:] if _LIKE_HEADER.match(line) and line.startswith("\\") else line for line in body]
    if titled and head.strip() and len(head) <= MAX_TITLE_CHARS:
        return Block(when, head, "\n".join(body), tags, starred)
    return Block(when, "", "\n".join([head, *body]), tags, starred)
