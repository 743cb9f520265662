"""Support lines by country, from lines.json: each checked twice, with its source and the date.

Nothing here reaches the network. The country comes from what the person says, else the locale.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

KINDS = ("crisis", "abuse", "mental-health", "directory")
EU_MEMBERS = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()  # noqa: SIM905
)
ALIASES = {"UK": "GB", "EL": "GR"}
_LOCALE = re.compile(r"^[A-Za-z]{2,3}[_-]([A-Za-z]{2})\b")


@dataclass(frozen=True)
class Line:
    organisation: str
    purpose: str
    source: str
    checked: str
    kind: str = "crisis"
    call: str | None = None
    text: str | None = None
    web: str | None = None
    hours: str | None = None


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    emergency: str | None
    lines: tuple[Line, ...]
    find_help: tuple[Line, ...]
    emergency_source: str | None = None
    emergency_checked: str | None = None
    emergency_note: str | None = None  # where the number doesn't reach everyone, said plainly


@dataclass(frozen=True)
class Directory:
    countries: dict[str, Country]
    international: tuple[Line, ...]


def _line(raw: Mapping[str, Any]) -> Line:
    fields = ("organisation", "purpose", "source", "checked", "kind", "call", "text", "web", "hours")
    return Line(**{name: raw[name] for name in fields if name in raw})


@cache
def directory() -> Directory:
    raw = json.loads(Path(__file__).with_name("lines.json").read_text(encoding="utf-8"))
    countries = {}
    for code, entry in raw["countries"].items():
        emergency = entry.get("emergency") or {}
        countries[code] = Country(
            code=code,
            name=entry["name"],
            emergency=emergency.get("number"),
            emergency_source=emergency.get("source"),
            emergency_checked=emergency.get("checked"),
            emergency_note=emergency.get("note"),
            lines=tuple(_line(line) for line in entry.get("lines", ())),
            find_help=tuple(_line(line) for line in entry.get("find_help", ())),
        )
    return Directory(countries, tuple(_line(line) for line in raw.get("international", ())))


def normalise(code: str) -> str:
    cleaned = code.strip().upper()
    return ALIASES.get(cleaned, cleaned)


def from_locale(env: Mapping[str, str]) -> str | None:
    """The country of the locale (LC_ALL, LC_MESSAGES, LANG: 'en_GB.UTF-8' is GB); None for C or POSIX."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = _LOCALE.match(env.get(name) or "")
        if found:  # "C.UTF-8" names no country: look at the next one
            return normalise(found.group(1))
    return None


def for_country(code: str) -> Country | None:
    """The lines for a country; an EU member without its own gets the EU-wide numbers."""
    code = normalise(code)
    known = directory().countries
    if code in known and code in EU_MEMBERS and "EU" in known:
        own = known[code]
        calls = {line.call for line in own.lines}
        extra = tuple(line for line in known["EU"].lines if line.call not in calls)
        return replace(own, lines=own.lines + extra)
    if code in known:
        return known[code]
    if code in EU_MEMBERS and "EU" in known:
        return known["EU"]
    return None


# Three-letter codes for the countries here (ISO 3166-1 alpha-3), so "USA" or "GBR" find them too.
_ALPHA3 = {
    "USA": "US",
    "GBR": "GB",
    "CAN": "CA",
    "AUS": "AU",
    "IRL": "IE",
    "NZL": "NZ",
    "DEU": "DE",
    "FRA": "FR",
    "NLD": "NL",
    "ZAF": "ZA",
}
_NAMES = {
    "america": "US",
    "united states of america": "US",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "britain": "GB",
    "great britain": "GB",
    "holland": "NL",
    "europe": "EU",
}


def resolve(given: str) -> str | None:
    """A country from what someone typed: a two- or three-letter code, or its name; None when unknown."""
    cleaned = " ".join(given.strip().split())
    if re.fullmatch(r"[A-Za-z]{2}", cleaned):
        return normalise(cleaned)
    if cleaned.upper() in _ALPHA3:
        return _ALPHA3[cleaned.upper()]
    low = cleaned.lower().removeprefix("the ")
    for code, country in directory().countries.items():
        if country.name.lower() == low:
            return code
    return _NAMES.get(low)


def is_country_code(code: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z]{2}", code.strip()))
