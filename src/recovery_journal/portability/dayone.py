"""Reading a Day One export (its JSON file, or the zip it comes in), keeping every field it can.

What is relied on from Day One's JSON export format (docs/usage.md says the same): a document per journal,
named after the journal (`Journal.json` in the zip), with `entries[]` each holding `uuid`, `creationDate`,
`modifiedDate`, `timeZone`, `text` (Markdown, with Day One's backslash escapes and `dayone-moment:` links for
media), `tags`, `starred`, `isPinned`, `isAllDay`, `location{placeName, localityName, country, latitude,
longitude}`, `weather{conditionsDescription, temperatureCelsius}`, and `photos[]`, `audios[]`, `videos[]`,
`pdfAttachments[]` (each with `identifier`, and the file's `md5` and `type`; the files sit in the zip under
photos/, audios/, videos/ and pdfs/).

This journal has no place for a location, the weather, a pin, an all-day entry or attachments, so: a
location and the weather become a short line at the end of the words (sealed like every word); the journal's
name becomes a tag; a first-line `# heading` becomes the title; a pinned entry is starred; an all-day entry is
put at midday on its day, as a date typed without a time is; attachments are not carried, and each entry's are
named in the summary (`Carried`), with the place in the export where they still are.
"""

from __future__ import annotations

import io
import re
import uuid as uuidlib
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timezone
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ..domain.entry import MAX_TITLE_CHARS, Entry
from ..errors import InvalidInput, TooLarge
from ..storage.files import os_error
from . import importers, portable

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MOMENT = re.compile(r"!\[[^\]]*\]\(dayone-moment:/*(?:(?P<kind>audio|video|pdfAttachment)/)?[^)]*\)")
_HEADING = re.compile(r"^#\s+(?P<title>\S.*?)\s*#*\s*$")
MEDIA = {  # Day One's list, the word for one and for several, and the folder the files are in
    "photos": ("photo", "photos", "photos"),
    "audios": ("audio recording", "audio recordings", "audios"),
    "videos": ("video", "videos", "videos"),
    "pdfAttachments": ("PDF", "PDFs", "pdfs"),
}
_MARK = {None: "[photo]", "audio": "[audio recording]", "video": "[video]", "pdfAttachment": "[PDF]"}
# Fields every entry has that need no place here: the words are in `text`, the device is not the person's.
_NOT_NEEDED = {"richText", "creationDevice", "creationDeviceType", "creationDeviceModel", "creationOSName",
               "creationOSVersion", "editingTime", "duration"}  # fmt: skip
_USED = {"uuid", "creationDate", "modifiedDate", "timeZone", "text", "tags", "starred", "isPinned",
         "isAllDay", "location", "weather", *MEDIA}  # fmt: skip
MIDDAY = time(12)  # where a day without a time is put, as domain/dates.py puts a date typed without one

HOW = {
    "text": "carried as the entry's words",
    "creationDate": "carried as the entry's date, in its own time zone",
    "modifiedDate": "carried as when the entry was last changed",
    "tags": "carried as tags (changed to fit where a tag had spaces or symbols)",
    "starred": "carried as a star",
    "isPinned": "a pinned entry is starred, this journal's way of finding it again",
    "isAllDay": "an all-day entry is placed at midday on its day, as a date typed without a time is",
    "title": "a first line '# heading' became the entry's title",
    "journal": "the journal's name became a tag",
    "location": "kept as a 'Location:' line at the end of the words",
    "weather": "kept as a 'Weather:' line at the end of the words",
}


@dataclass
class Carried:
    """What an import carried, adapted and left out, field by field, and the attachments it couldn't carry."""

    fields: dict[str, Counter[str]] = field(default_factory=dict)  # field -> {carried|adapted|left_out: n}
    attachments: list[tuple[datetime, str, dict[str, int]]] = field(
        default_factory=list
    )  # when, uuid, counts
    archive: str = ""  # where the attachments still are

    def count(self, name: str, how: str) -> None:
        self.fields.setdefault(name, Counter())[how] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "fields": {
                name: {
                    "carried": c["carried"],
                    "adapted": c["adapted"],
                    "left_out": c["left_out"],
                    "how": HOW.get(name, "left out: this journal has no place for it"),
                }
                for name, c in sorted(self.fields.items())
            },
            "attachments_left_out": [
                {"date": when.isoformat(timespec="seconds"), "uuid": uuid, **counts}
                for when, uuid, counts in self.attachments
            ],
            "attachments_are_in": self.archive,
        }


def read(path: Path) -> importers.Imported:
    """A Day One JSON export, or the zip Day One exports it in (every journal file inside is read).

    Read as it goes (jsonstream): once to check every entry, count them and tally what is carried, then
    again, an entry at a time, by the import itself; never every entry at once."""
    seen = importers.streamable(path)
    documents = _documents(path)
    carried = Carried(archive=str(path))
    each = (_entry(item, path, journal, carried) for journal, item in _items(path, documents))
    count, empty = importers.tally(importers.ids_of(each))
    entries = importers.checked(path, seen, count, lambda: _pairs(path, documents))
    return importers.Imported(
        incoming=portable.Incoming(entries=entries), skipped_empty=empty, carried=carried
    )


def _documents(path: Path) -> list[str] | None:
    """The journal files in a Day One zip (their size checked first), or None for a plain JSON file."""
    try:
        with path.open("rb") as handle:
            if handle.read(2) != b"PK":
                return None
    except OSError as exc:
        raise os_error(exc, path) from None
    try:
        with zipfile.ZipFile(path) as archive:
            names, inside = [], 0
            for info in archive.infolist():
                name = info.filename
                if name.lower().endswith(".json") and "/" not in name.strip("/"):
                    inside += info.file_size
                    if inside > importers.MAX_FILE:  # what it says it unpacks to, checked first
                        raise TooLarge(
                            f"{path} unpacks to more than the {importers.MAX_FILE >> 20} MiB an import "
                            "can take.",
                            hint="Export fewer journals at a time.",
                        )
                    names.append(name)
            return names
    except zipfile.BadZipFile:
        raise _not_zip(path) from None


def _items(path: Path, documents: list[str] | None) -> Iterator[tuple[str, Any]]:
    """(journal name, entry item) for every entry of every journal file, read as they come."""
    sources: list[tuple[str, Callable[[], AbstractContextManager[IO[str]]]]] = (
        [(path.name, lambda: path.open(encoding="utf-8-sig"))]
        if documents is None
        else [(name, _in_zip(path, name)) for name in documents]
    )
    for name, opened in sources:
        journal = PurePosixPath(name).stem
        listed = False
        try:
            for key, value, item in importers.json_members(
                path, opened, ("entries",), lambda: _not_day_one(path)
            ):
                if key != "entries":
                    continue
                if item:
                    yield journal, value
                elif value == []:
                    listed = True  # the list begins; its items follow
                else:
                    raise _not_day_one(path)
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise _not_zip(path) from None
        if not listed:
            raise _not_day_one(path)


def _in_zip(path: Path, name: str) -> Callable[[], AbstractContextManager[IO[str]]]:
    @contextmanager
    def opened() -> Iterator[IO[str]]:
        with zipfile.ZipFile(path) as archive, archive.open(name) as member:
            yield io.TextIOWrapper(member, encoding="utf-8-sig")

    return opened


def _pairs(path: Path, documents: list[str] | None) -> Iterator[tuple[Entry, list[Any]]]:
    """The entries again, one at a time, as `importers.collect` would keep them (the first of any twice)."""
    uncounted = Carried(archive=str(path))  # tallied on the first reading
    yield from importers.unique_pairs(
        _entry(item, path, journal, uncounted) for journal, item in _items(path, documents)
    )


def _not_day_one(path: Path) -> InvalidInput:
    return InvalidInput(f"{path} isn't a Day One export.", hint='It should have an "entries" list.')


def _not_zip(path: Path) -> InvalidInput:
    return InvalidInput(f"{path} isn't a zip file this can read.", hint="Export again from Day One.")


def _moment(value: Any, zone: Any) -> datetime:
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if zone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return moment.astimezone(ZoneInfo(str(zone)))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return moment.astimezone()


def _midday(moment: datetime) -> datetime:
    """Midday on the moment's day, in its zone; the moment itself when midday hasn't come yet."""
    noon = datetime.combine(moment.date(), MIDDAY, tzinfo=moment.tzinfo)
    return noon if noon <= datetime.now(timezone.utc) else moment


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def location_line(location: Any) -> str:
    """'Location: Café Pushkin, Moscow, Russia (55.76382, 37.60503)', from the parts Day One gave."""
    if not isinstance(location, dict):
        return ""
    names = [str(location[k]).strip() for k in ("placeName", "localityName", "country") if location.get(k)]
    where = ", ".join(dict.fromkeys(n for n in names if n))
    lat, lon = _number(location.get("latitude")), _number(location.get("longitude"))
    at = f"({lat:.5f}, {lon:.5f})" if lat is not None and lon is not None else ""
    line = " ".join(part for part in (where, at) if part)
    return f"Location: {line}" if line else ""


def weather_line(weather: Any) -> str:
    """'Weather: Partly cloudy, 14 °C', from the parts Day One gave."""
    if not isinstance(weather, dict):
        return ""
    parts = [str(weather.get("conditionsDescription") or "").strip()]
    celsius = _number(weather.get("temperatureCelsius"))
    if celsius is not None:
        parts.append(f"{celsius:.0f} °C")
    line = ", ".join(p for p in parts if p)
    return f"Weather: {line}" if line else ""


def _media(item: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key in MEDIA:
        found = item.get(key)
        if isinstance(found, list) and found:
            counts[key] = len(found)
    return counts


def _entry(item: Any, path: Path, journal: str, carried: Carried) -> Entry | None:
    try:
        if not isinstance(item, dict):
            raise TypeError
        created = _moment(item["creationDate"], item.get("timeZone"))
        if item.get("isAllDay") is True:
            created = _midday(created)
        modified = created
        if item.get("modifiedDate"):
            modified = max(created, _moment(item["modifiedDate"], item.get("timeZone")))
        text = _MOMENT.sub(lambda m: _MARK[m.group("kind")], str(item.get("text") or ""))
        text = _ESCAPE.sub(r"\1", text)
        title = ""
        first, _, rest = text.lstrip("\r\n").partition("\n")
        heading = _HEADING.match(first)
        if heading and len(" ".join(heading.group("title").split())) <= MAX_TITLE_CHARS:
            title, text = " ".join(heading.group("title").split()), rest
        extra = [
            line for line in (location_line(item.get("location")), weather_line(item.get("weather"))) if line
        ]
        raw_uuid = str(item.get("uuid") or "")
        uuid = (
            str(uuidlib.UUID(raw_uuid))
            if raw_uuid
            else importers.derived_uuid("dayone", created, text.strip())
        )
        tags = [str(t) for t in item.get("tags") or []]
        body = text.rstrip() + ("\n\n" + "\n".join(extra) if extra and text.strip() else "\n".join(extra))
        starred = bool(item.get("starred")) or item.get("isPinned") is True
        entry = importers.make_entry(uuid, created, body, [*tags, journal], starred)
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(
            f"An entry in {path} doesn't look like Day One's export.",
            hint="Nothing was imported. Export again from Day One as JSON.",
        ) from None
    if entry is None:
        return None
    _tally(carried, item, entry, title, tags, journal)
    media = _media(item)
    if media:
        carried.attachments.append((created, uuid, media))
    return replace(entry, title=title, updated=modified)


def _tally(
    carried: Carried, item: dict[str, Any], entry: Entry, title: str, tags: list[str], journal: str
) -> None:
    carried.count("text", "carried")
    carried.count("creationDate", "carried")
    if item.get("modifiedDate"):
        carried.count("modifiedDate", "carried")
    if tags:
        kept = importers.import_tags(tags)
        carried.count("tags", "carried" if list(kept) == [t.lower() for t in tags] else "adapted")
    if item.get("starred"):
        carried.count("starred", "carried")
    for flag in ("isPinned", "isAllDay"):  # counted only where set, as a star is
        if item.get(flag) is True:
            carried.count(flag, "adapted")
    if title:
        carried.count("title", "adapted")
    if journal:
        carried.count("journal", "adapted" if importers.import_tags([journal]) else "left_out")
    for name, line in (
        ("location", location_line(item.get("location"))),
        ("weather", weather_line(item.get("weather"))),
    ):
        if item.get(name) is not None:
            carried.count(name, "adapted" if line else "left_out")
    for key in MEDIA:
        if item.get(key):
            carried.count(key, "left_out")
    for key in item:
        if key not in _USED and key not in _NOT_NEEDED:
            carried.count(str(key)[:40], "left_out")
