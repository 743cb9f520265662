"""Reading other journals: jrnl (its plain-text journal and its exports) and recovery-journal's own export
(Day One is read in dayone.py, with the helpers here). Each becomes portable.Incoming, ready to merge.

Entries from tools without UUIDs get one derived from their date and words, so importing the same file twice
adds nothing the second time.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import stat
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, overload

from ..domain.entry import MAX_TAGS, MAX_TEXT_BYTES, Entry, Revision, clean_tags, inline_tags
from ..errors import (
    EmptyEntry,
    InvalidDate,
    InvalidEncoding,
    InvalidInput,
    JournalError,
    NewerVersion,
    NotAJournal,
    NotFound,
    TooLarge,
)
from ..sealing import crypto
from ..storage.files import os_error
from . import jrnlconfig, jrnltext, portable

if TYPE_CHECKING:
    from .dayone import Carried

MAX_FILE = 512 * 1024 * 1024
_NS = uuidlib.UUID("0e3c2a4b-8f61-4c1e-a1d5-6a0b9f3e7c21")
_JRNL_HEADER = re.compile(
    r"^(?:\[(?P<bracketed>[^\]]+)\]"
    r"|(?P<plain>\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?))"
    r" ?(?P<title>.*)$"
)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")


@dataclass(frozen=True)
class Imported:
    incoming: portable.Incoming
    skipped_empty: int = 0
    carried: Carried | None = None  # what was carried, adapted and left out, field by field (Day One)


def read_bounded(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:  # read with a bound: a device or pipe has no size to check first
            data = handle.read(MAX_FILE + 1)
        if len(data) > MAX_FILE:
            raise TooLarge(
                f"{path} is more than the {MAX_FILE // 1024 // 1024} MiB an import can take.",
                hint="Split it into smaller files.",
            )
        return data
    except FileNotFoundError:
        raise NotFound(f"There's no file at {path}.", hint="Check the path; nothing was changed.") from None
    except IsADirectoryError:
        raise NotAJournal(f"{path} is a folder.", hint="Give the exported file itself.") from None


def _text(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise _not_utf8(path) from None


def _not_utf8(path: Path) -> InvalidEncoding:
    return InvalidEncoding(f"{path} isn't UTF-8 text.", hint="Export it again as UTF-8; nothing was changed.")


def _not_json(path: Path) -> InvalidInput:
    return InvalidInput(
        f"{path} isn't a JSON file this can read.", hint="Check the file; nothing was changed."
    )


def parse_json(raw: bytes, path: Path) -> Any:
    try:
        return json.loads(_text(raw, path))
    except ValueError:
        raise _not_json(path) from None


def derived_uuid(kind: str, when: datetime, text: str) -> str:
    """str(uuid5(_NS, ...)) of the entry's kind, minute and words, made without a UUID object (an import
    makes one an entry): the same SHA-1, version and variant bits, and the same text."""
    named = _NS.bytes + _derived_from(kind, when, text).encode("utf-8")
    digest = bytearray(hashlib.sha1(named, usedforsecurity=False).digest()[:16])  # a uuid5 is a SHA-1
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    hexed = digest.hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def _counting_id(kind: str, when: datetime, text: str) -> str:
    """What tells entries apart as derived_uuid does, for a pass that only counts them: a 128-bit digest of
    the same words, about a tenth of the cost (a uuid5 was a third of counting 50,000 entries)."""
    return hashlib.blake2b(
        _derived_from(kind, when, text).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()


def _derived_from(kind: str, when: datetime, text: str) -> str:
    return f"{kind}\n{when.isoformat(timespec='minutes')}\n{text}"


def import_tags(tags: list[str]) -> tuple[str, ...]:
    """Other journals allow tags this one doesn't ("self care"): join words with '-', drop the rest, and keep
    every tag that can be kept rather than losing all of them for one."""
    kept: list[str] = []
    for raw in tags:
        tag = re.sub(r"[^\w\-.']+", "-", raw.strip().lstrip("@#").strip()).strip("-.'")
        try:
            kept.extend(clean_tags([tag]) if tag else ())
        except JournalError:
            continue
    return tuple(dict.fromkeys(kept))[:MAX_TAGS]


def _words_kept(when: datetime, text: str) -> str | None:
    """An incoming entry's words as kept, or None when it has none. Oversized text is refused (nothing is
    half-imported)."""
    cleaned = text.lstrip("\r\n").rstrip()
    if not cleaned.strip():
        return None
    if len(cleaned.encode("utf-8")) > MAX_TEXT_BYTES:
        raise TooLarge(
            f"An entry from {when:%Y-%m-%d} is over 1 MiB, more than one entry can hold.",
            hint="Nothing was imported. Split that entry in the source first.",
        )
    return cleaned


def make_entry(uuid: str, when: datetime, text: str, tags: list[str], starred: bool = False) -> Entry | None:
    """An incoming entry, or None when it's empty. Oversized text is refused (nothing is half-imported)."""
    cleaned = _words_kept(when, text)
    if cleaned is None:
        return None
    tag_set = import_tags(tags)
    return Entry(
        id=0,
        uuid=uuid,
        date=when,
        created=when,
        updated=when,
        title="",
        text=cleaned,
        tags=tag_set,
        mood=None,
        starred=starred,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def collect(entries: list[Entry | None]) -> Imported:
    kept = [e for e in entries if e is not None]
    unique: dict[str, Entry] = {}
    for entry in kept:  # the same entry twice in one file is one entry
        unique.setdefault(entry.uuid, entry)
    incoming = portable.Incoming(entries=[(e, []) for e in unique.values()], ids_derived=True)
    return Imported(incoming=incoming, skipped_empty=len(entries) - len(kept))


# --- jrnl -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """How to read one jrnl journal's headers and tags."""

    markdown: bool = False  # jrnl's `--export md`
    timeformat: str | None = None  # jrnl's own format for its headers, from its config
    dayfirst: bool | None = None
    tags: re.Pattern[str] | None = None  # jrnl's tagsymbols, when they aren't the usual @ and #
    ours: bool = False  # our own `export --format txt`, read back exactly (jrnltext.py)


def key_derived_first() -> None:
    """Before an import reads its file: let the key derivation started ahead end (launch.py), so that its
    64 MiB are gone before the file's entries come in (a 50,000-entry import peaked up to 5 MiB higher with
    both at once)."""
    crypto.finish_ahead()


def jrnl(path: Path, *, dayfirst: bool | None = None, config: Path | None = None) -> Imported:
    """jrnl's plain-text journal ("[date] title" lines), or its `--export json`, `md` or `txt`; or our own
    `export --format txt`, which says so on its first line and is read back exactly (jrnltext.py).

    jrnl's config (`config`, else where jrnl keeps it) gives the headers' date format and the tag symbols;
    `dayfirst` (from --dayfirst/--monthfirst) overrides the date order. Without either, numeric dates that
    read both ways are refused rather than guessed. A plain-text journal in a regular file is read as it is
    imported, never held whole (see Reread).
    """
    found = regular_file(path)
    raw = read_bounded(path) if found is None else _head(path)
    if raw.lstrip()[:1] == b"{":
        return _jrnl_json(parse_json(raw if found is None else read_bounded(path), path), path)
    if jrnltext.version(raw.split(b"\n", 1)[0].decode("utf-8", "replace")) is not None:
        ours = _Reading(ours=True)
        if found is not None:
            return _jrnl_file(path, found, ours)
        return _jrnl_text(_split(_text(raw, path)), path, ours)
    if raw.startswith(b"gAAAAA"):  # jrnl 2 and later seal a journal as one Fernet token
        raise InvalidInput(
            f"{path} looks encrypted (a jrnl encrypted journal).",
            hint="Decrypt it with jrnl first (jrnl --decrypt), or export it: jrnl --export json",
        )
    if b"\x00" in raw[:512]:  # jrnl 1's encrypted journals are bytes like these; so is any program or image
        raise InvalidInput(
            f"{path} isn't a text file, so it isn't a jrnl journal as it stands.",
            hint="If it's an encrypted jrnl journal, decrypt it with jrnl first (jrnl --decrypt), or export "
            "it: jrnl --export json",
        )
    told = jrnlconfig.settings_for(path, config or jrnlconfig.default_path())
    markdown = bool(_MD_YEAR.match(raw.lstrip().split(b"\n", 1)[0].decode("utf-8", "replace")))
    symbols = None if set(told.tagsymbols) == {"@", "#"} else told.tagsymbols
    reading = _Reading(
        markdown=markdown,
        timeformat=told.timeformat,
        dayfirst=dayfirst,
        tags=None
        if not symbols
        else re.compile(rf"(?<![\w&/{re.escape(symbols)}])[{re.escape(symbols)}]([^\W\d_][\w-]*)"),
    )
    if found is not None:
        lines: Callable[[], Iterable[str]] = lambda: _lines(path)  # noqa: E731
    else:
        text = _text(raw, path)
        lines = text.splitlines
    if reading.dayfirst is None:  # jrnl's config says, else the file's own dates, else they are refused
        ordered = jrnlconfig.format_is_dayfirst(told.timeformat) if told.timeformat else None
        if ordered is None:
            ordered = jrnlconfig.dayfirst_from(_header_dates(lines(), reading), path)
        reading = replace(reading, dayfirst=ordered)
    if found is not None:
        return _jrnl_file(path, found, reading)
    return _jrnl_text(lines(), path, reading)


_MD_YEAR = re.compile(r"^# \d{4}\s*$")
_MD_MONTH = re.compile(r"^## [^\W\d_]+\s*$")
_MD_HEADING = re.compile(r"^### (?P<header>\S.*)$")
_MD_NUMERIC_DATE = re.compile(
    r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm]\b)?)?"
)


def _header_dates(lines: Iterable[str], reading: _Reading) -> Iterator[str]:
    """The date part of every line that could be an entry's header (for the day-first check)."""
    for line in _source(lines, reading):
        match = _JRNL_HEADER.match(line)
        if match and match.group("bracketed"):
            yield match.group("bracketed")


def _source(lines: Iterable[str], reading: _Reading) -> Iterable[str]:
    return _from_markdown(lines) if reading.markdown else lines


def _from_markdown(lines: Iterable[str]) -> Iterator[str]:
    """jrnl's `--export md` as its plain-text journal: "### DATE Title" becomes "[DATE] Title".

    jrnl adds a year and a month heading, a blank line after each entry's heading, a line holding one space
    after each entry, and three levels to every heading in the words; each is undone here.
    """
    after_heading = False
    for line in lines:
        heading = _MD_HEADING.match(line)
        if _MD_YEAR.match(line) or _MD_MONTH.match(line) or line == " ":
            after_heading = False
            continue
        if heading is not None:
            header = heading.group("header")
            yield "[" + _split_md_header(header)
            after_heading = True
            continue
        if after_heading and not line.strip():
            after_heading = False
            continue
        after_heading = False
        yield re.sub(r"^####(#*) ", r"#\1 ", line)


def _split_md_header(header: str) -> str:
    """ "2024-03-01 09:00 Title" as "2024-03-01 09:00] Title": the longest first words that read as a date."""
    numeric = _MD_NUMERIC_DATE.match(header)
    if numeric is not None:  # jrnl's usual forms: read the date exactly, never the title's first word too
        return numeric.group().rstrip() + "] " + header[numeric.end() :].lstrip()
    words = header.split(" ")
    for n in range(min(len(words), 4), 0, -1):
        candidate = " ".join(words[:n])
        if any(c.isdigit() for c in candidate) and _jrnl_date(candidate, _Reading()) is not None:
            return candidate + "] " + " ".join(words[n:])
    return header + "]"


def regular_file(path: Path) -> tuple[int, int] | None:
    """(size, modification time) of a regular file an import can take; None for anything else."""
    try:
        found = path.stat()
    except OSError:
        return None  # _read says what is wrong, in plain words
    if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_FILE:
        return None
    return found.st_size, found.st_mtime_ns


def streamable(path: Path) -> tuple[int, int]:
    """regular_file() of a file an import reads as it goes; anything else is refused in words."""
    seen = regular_file(path)
    if seen is None:
        read_bounded(path)  # says plainly what is wrong: no such file, a folder, too large
        raise InvalidInput(f"{path} isn't a file an import can read.", hint="Give the exported file itself.")
    return seen


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(65536)
    except OSError:
        return read_bounded(path)  # says what is wrong, in plain words


Pairs = Callable[[], Iterator[tuple[Entry, list[Revision]]]]


class Reread(Sequence[tuple[Entry, list[Revision]]]):
    """A file's entries (jrnl text, our JSON export, Day One's), read afresh from the file each time they
    are gone through.

    The file was read once to check and count them; an import goes through them again (a dry run, then the
    merge), holding one at a time. If the file changes in between, the import stops and nothing is saved.
    """

    def __init__(self, path: Path, seen: tuple[int, int], count: int, read: Pairs) -> None:
        self.path, self.seen, self.total, self.read = path, seen, count, read

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> tuple[Entry, list[Revision]]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Entry, list[Revision]]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[Entry, list[Revision]] | list[tuple[Entry, list[Revision]]]:
        """Read the file as far as the entry asked for (imports go through them in order instead)."""
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += self.total
        found = next(itertools.islice(self, index, None), None) if index >= 0 else None
        if found is None:
            raise IndexError(index)
        return found

    def __iter__(self) -> Iterator[tuple[Entry, list[Revision]]]:
        if regular_file(self.path) != self.seen:
            raise InvalidInput(
                f"{self.path} changed while it was being imported, so nothing was imported.",
                hint="Run the import again once nothing is writing to it.",
            )
        yield from self.read()


def unique_pairs(entries: Iterable[Entry | None]) -> Iterator[tuple[Entry, list[Revision]]]:
    """Each entry once (the first, as collect() keeps it), empty ones (None) left out."""
    uuids: set[str] = set()
    for entry in entries:
        if entry is not None and entry.uuid not in uuids:  # the same entry twice in one file is one
            uuids.add(entry.uuid)
            yield entry, []


def _jrnl_pairs(path: Path, reading: _Reading) -> Iterator[tuple[Entry, list[Revision]]]:
    return unique_pairs(_entries(path, reading))


def _lines(path: Path, exact: bool = False) -> Iterator[str]:
    """The file's lines, as str.splitlines() would give them from the whole text (a BOM dropped).

    `exact` splits at "\n" only, as _split does, so a line separator inside the words (a form feed, U+2028)
    stays in them.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="\n" if exact else None) as handle:
            for line in handle:
                if exact:
                    yield line.removesuffix("\n")
                else:
                    yield from line.splitlines()
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except OSError as exc:
        raise os_error(exc, path) from None


def tally(ids: Iterable[str | None]) -> tuple[int, int]:
    """(distinct entries, empty ones) of a checking pass, from each entry's id (None for an empty one): the
    ids it counts with are gone when it returns."""
    uuids: set[str] = set()
    empty = 0
    for found in ids:
        if found is None:
            empty += 1
        else:
            uuids.add(found)
    return len(uuids), empty


def ids_of(entries: Iterable[Entry | None]) -> Iterator[str | None]:
    """Each entry's id, None for an empty one: what tally() counts."""
    return (None if entry is None else entry.uuid for entry in entries)


def checked(path: Path, seen: tuple[int, int], count: int, read: Pairs) -> Reread:
    """The entries a checking pass has been through, to be read again by the import, once that pass is over.

    Python keeps some of what the pass freed for reuse (its free lists), scattered over memory that could
    otherwise go back, and the journal opened next would settle into it. A full collection now lets it go
    first, so the key derivation's 64 MiB come on top of less (it releases what it can again just before;
    by then that memory is in use). `import json` of 50,000 entries: a peak of 102 MiB became 99.
    """
    crypto.release_free_memory()
    return Reread(path, seen, count, read)


def _split(text: str) -> list[str]:
    """The lines of our own text export: split at "\n" only, every other character kept in the words."""
    return text.removesuffix("\n").split("\n")


def _entries(path: Path, reading: _Reading) -> Iterator[Entry | None]:
    return _source_entries(_lines(path, exact=reading.ours), reading)


def _source_entries(lines: Iterable[str], reading: _Reading) -> Iterator[Entry | None]:
    return _own_entries(lines) if reading.ours else _jrnl_entries(lines, reading)


def _jrnl_file(path: Path, seen: tuple[int, int], reading: _Reading) -> Imported:
    """Check and count a jrnl file's entries, keeping only their ids: see Reread."""
    count, empty = tally(
        ids_of(_own_entries(_lines(path, exact=True))) if reading.ours else _jrnl_ids(_lines(path), reading)
    )
    if not count and not empty:
        raise _no_jrnl_entries(path)
    incoming = portable.Incoming(
        entries=checked(path, seen, count, lambda: _jrnl_pairs(path, reading)), ids_derived=True
    )
    return Imported(incoming=incoming, skipped_empty=empty)


# jrnl's own header dates ("2024-03-01 09:00"): read directly, the same moment dateutil would read.
_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?")


def _jrnl_date(text: str, reading: _Reading) -> datetime | None:
    if _PLAIN_DATE.fullmatch(text):
        try:
            return _aware(datetime.fromisoformat(text))
        except ValueError:  # a day or an hour that doesn't exist: as dateutil says, it isn't a date
            return None
    if reading.timeformat:
        try:
            return _aware(datetime.strptime(text, reading.timeformat))  # exactly as jrnl wrote it
        except ValueError:
            pass  # written under another format: read it as any date
    from dateutil import parser

    try:
        return _aware(parser.parse(text, dayfirst=bool(reading.dayfirst)))
    except (ValueError, OverflowError):
        return None


def _jrnl_text(lines: Iterable[str], path: Path, reading: _Reading) -> Imported:
    entries = list(_source_entries(lines, reading))
    if not entries:
        raise _no_jrnl_entries(path)
    return collect(entries)


def _no_jrnl_entries(path: Path) -> InvalidInput:
    return InvalidInput(
        f"No jrnl entries were found in {path}.",
        hint='jrnl entries start with a line like "[2024-03-01 09:00] Title".',
    )


def _no_such_day(said: str, line: int | None) -> InvalidDate:
    """A header in jrnl's own form whose day or time doesn't exist (2024-02-30): jrnl would read its line as
    words of the entry before, but it is an entry's start typed wrong, and merging the two would be silent."""
    what = "date and time" if _HAS_TIME.search(said) else "date"
    where = f"Line {line} looks like" if line is not None else "A heading looks like"
    return InvalidDate(
        f"{where} the start of an entry, but {said} isn't a real {what}, so nothing was imported.",
        hint="Correct that date in the file, then import it again.",
    )


def _jrnl_blocks(lines: Iterable[str], reading: _Reading) -> Iterator[tuple[datetime, list[str], bool]]:
    """Each entry of a jrnl text journal as its lines are read: its date, its lines (its title first) and
    whether it is starred."""
    current: tuple[datetime, list[str], bool] | None = None
    timed: bool | None = None  # whether this journal's headers carry a time, as jrnl's own do by default
    for number, line in enumerate(_source(lines, reading), 1):
        match = _JRNL_HEADER.match(line)
        if match is None:  # most lines: the words of the entry under way
            if current is not None:
                current[1].append(line)
            continue
        said = match.group("bracketed") or match.group("plain")
        when = _jrnl_date(said, reading)
        has_time = bool(_HAS_TIME.search(said or ""))
        if when is None and _PLAIN_DATE.fullmatch(said) and (timed is None or has_time == timed):
            raise _no_such_day(said, None if reading.markdown else number)
        if when is not None and timed is None:
            timed = has_time
        if when is not None and has_time == timed:  # a body line like "[2024-03-04] is..." stays
            if current is not None:
                yield current
            title = match.group("title").rstrip()
            starred = title.endswith(" *") or title == "*"
            current = (when, [title.removesuffix("*").rstrip()], starred)
        elif current is not None:
            current[1].append(line)
    if current is not None:
        yield current


def _jrnl_entries(lines: Iterable[str], reading: _Reading) -> Iterator[Entry | None]:
    """Each entry of a jrnl text journal as its lines are read (None for an empty one)."""
    for when, body_lines, starred in _jrnl_blocks(lines, reading):
        body = "\n".join(body_lines)
        uuid = derived_uuid("jrnl", when, body.strip())
        found_tags = inline_tags(body) if reading.tags is None else reading.tags.findall(body)
        yield make_entry(uuid, when, body, list(found_tags), starred)


def _jrnl_ids(lines: Iterable[str], reading: _Reading) -> Iterator[str | None]:
    """What tally() counts of a jrnl text journal, with less work than reading its entries: each one's
    stand-in id (_counting_id tells them apart as their own ids would; tags never make an entry empty, too
    large or another one), None for an empty one. An entry too large is refused here, before anything is
    written."""
    for when, body_lines, _starred in _jrnl_blocks(lines, reading):
        body = "\n".join(body_lines)
        yield None if _words_kept(when, body) is None else _counting_id("jrnl", when, body.strip())


def _own_entries(lines: Iterable[str]) -> Iterator[Entry | None]:
    """Our own text export's entries, exactly as they were: title, words, tags in order, star and date."""
    for found in jrnltext.blocks(lines):
        whole = found.title + "\n" + found.text if found.title else found.text
        uuid = derived_uuid("jrnl", found.when, whole.strip())  # as a plain jrnl reading would derive it
        entry = make_entry(uuid, found.when, found.text, list(found.tags), found.starred)
        if entry is None:
            yield None
            continue
        try:
            tags = clean_tags(found.tags)  # as they were; import_tags would trim a valid tag's last '-'
        except JournalError:  # a tag line changed by hand: keep what can be kept
            tags = entry.tags
        yield replace(entry, title=found.title, tags=tags)


def _jrnl_json(data: Any, path: Path) -> Imported:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise InvalidInput(f"{path} isn't a jrnl JSON export.", hint='It should have an "entries" list.')
    entries: list[Entry | None] = []
    for item in data["entries"]:
        try:
            when = _aware(datetime.fromisoformat(f"{item['date']}T{item.get('time') or '00:00'}"))
            title, body = str(item.get("title") or ""), str(item.get("body") or "")
            text = title + ("\n" + body if body.strip() else "")
            uuid = (
                str(uuidlib.UUID(item["uuid"]))
                if item.get("uuid")
                else derived_uuid("jrnl", when, text.strip())
            )
            entries.append(
                make_entry(
                    uuid, when, text, [str(t) for t in item.get("tags") or []], bool(item.get("starred"))
                )
            )
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(
                f"An entry in {path} doesn't look like jrnl's JSON.",
                hint="Nothing was imported. Export again with: jrnl --format json",
            ) from None
    return collect(entries)


# --- recovery-journal's own JSON export --------------------------------------------------------------------


def own_json(path: Path) -> Imported:
    """`recovery-journal export --format json`, read back exactly (UUIDs, revisions, stages, milestones).

    Read as it goes (jsonstream): once to check every record and count the entries, then again, an entry at
    a time, by the import itself; never the whole file, or every entry, at once."""
    seen = streamable(path)
    top = _own_top(path)  # first what the file is: an export, and not a newer one
    try:
        found = portable.collect(_own_records(path, top), expect_end=False, keep=False)
    except portable.BadRecord as exc:
        raise portable.refuse(str(path), str(exc)) from None
    except EmptyEntry:
        raise InvalidInput(f"{path} has an empty entry.", hint="Nothing was imported.") from None
    assert found.tally is not None  # noqa: S101 - keep=False counts
    entries = checked(path, seen, found.tally["entries"], lambda: _own_pairs(path))
    return Imported(incoming=replace(found, entries=entries, tally=None))


def json_members(
    path: Path,
    opened: Callable[[], AbstractContextManager[IO[str]]],
    streamed: tuple[str, ...],
    not_object: Callable[[], JournalError],
) -> Iterator[tuple[str, Any, bool]]:
    """jsonstream.members of the text `opened` gives (a file, or a file in a zip), its errors in words."""
    from . import jsonstream

    try:
        with opened() as handle:
            yield from jsonstream.members(handle, streamed)
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except jsonstream.NotAnObject:
        raise not_object() from None
    except ValueError:
        raise _not_json(path) from None
    except OSError as exc:
        raise os_error(exc, path) from None


def _own_json_members(path: Path, streamed: tuple[str, ...]) -> Iterator[tuple[str, Any, bool]]:
    return json_members(path, lambda: path.open(encoding="utf-8-sig"), streamed, lambda: _not_own_json(path))


def _not_own_json(path: Path) -> InvalidInput:
    return InvalidInput(
        f"{path} isn't a recovery-journal JSON export.",
        hint="For jrnl or Day One files use `import jrnl` or `import dayone`.",
    )


def _own_top(path: Path) -> dict[str, Any]:
    """The export's members other than its entries (read past, not kept), once it is known to be one."""
    top = {key: value for key, value, item in _own_json_members(path, ("entries",)) if not item}
    if top.get("format") != "recovery-journal-export":
        raise _not_own_json(path)
    try:
        newer = int(top.get("version", 0)) > portable.FORMAT
    except (TypeError, ValueError):
        raise portable.refuse(str(path), "'version' isn't a number") from None
    if newer:
        raise NewerVersion(
            f"{path} was exported by a newer recovery-journal.",
            hint="Upgrade with `pip install --upgrade recovery-journal`.",
        )
    return top


def _own_records(path: Path, top: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The export's records as collect() takes them: each entry as it is read, then the milestones,
    counters and plan from `top`."""
    for _key, value, item in _own_json_members(path, ("entries",)):
        if item:
            if not isinstance(value, dict):
                raise portable.BadRecord("'entries' should be a list of objects")
            yield {**value, "type": "entry"}
    if top.get("entries") not in (None, []):  # there, but not as a list
        raise portable.BadRecord("'entries' should be a list of objects")
    for key, kind in (("milestones", "milestone"), ("counters", "counter")):
        items = top.get(key) or []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise portable.BadRecord(f"'{key}' should be a list of objects")
        yield from ({**item, "type": kind} for item in items)
    if top.get("safety_plan") is not None:
        yield {"type": "safety_plan", "plan": top["safety_plan"]}


def _own_pairs(path: Path) -> Iterator[tuple[Entry, list[Revision]]]:
    """The export's entries again, one at a time (checked already: read as collect() read them)."""
    for _key, value, item in _own_json_members(path, ("entries",)):
        if item:
            yield portable.read_entry({**value, "type": "entry"})
