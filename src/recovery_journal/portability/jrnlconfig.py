"""What jrnl's own config says about a journal file: the date format its headers use, and its tag symbols.

jrnl keeps them in jrnl.yaml (`timeformat`, `tagsymbols`, at the top or per journal). Only those few keys are
read, with a small reader for the YAML jrnl itself writes (block style, or a journal's `{journal: ...}`), so
no YAML library is needed. Also here: deciding whether a journal's dates are day-first, from the file itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput

DEFAULT_TAGSYMBOLS = "#@"
_KEY = re.compile(r"^(?P<indent> *)(?P<key>[\w.-]+):\s*(?P<value>.*?)\s*$")
_NUMERIC_DAY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class JrnlSettings:
    """How a jrnl journal was written: its header date format (when known) and its tag symbols."""

    timeformat: str | None = None
    tagsymbols: str = DEFAULT_TAGSYMBOLS
    source: Path | None = None  # the config these came from


def default_path() -> Path | None:
    """jrnl's config where jrnl looks for it: $XDG_CONFIG_HOME/jrnl/jrnl.yaml, else ~/.jrnl_config."""
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    for candidate in (Path(xdg) / "jrnl" / "jrnl.yaml", Path.home() / ".jrnl_config"):
        if candidate.is_file():
            return candidate
    return None


def _scalar(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value.split(" #", 1)[0].strip()


def _flow(value: str) -> dict[str, str]:
    """A journal written as `{journal: PATH, timeformat: '%d/%m/%Y %H:%M'}`."""
    found: dict[str, str] = {}
    for part in value.strip("{} ").split(","):
        key, _, item = part.partition(":")
        if key.strip():
            found[key.strip()] = _scalar(item.strip())
    return found


def parse(text: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(top-level keys, each journal's keys) from jrnl.yaml; a journal given as a bare path is {journal}."""
    top: dict[str, str] = {}
    journals: dict[str, dict[str, str]] = {}
    section: str | None = None
    journal: str | None = None
    journal_depth = 0
    for line in text.splitlines():
        match = _KEY.match(line)
        if match is None or line.lstrip().startswith("#"):
            continue
        depth, key, value = len(match["indent"]), match["key"], match["value"]
        if depth == 0:
            section, journal = key, None
            top[key] = _scalar(value)
        elif section != "journals":
            continue
        elif journal is None or depth <= journal_depth:
            journal, journal_depth = key, depth
            if value.startswith("{"):
                journals[key] = _flow(value)
            else:
                journals[key] = {"journal": _scalar(value)} if value else {}
        else:
            journals[journal][key] = _scalar(value)
    return top, journals


def _same_file(a: str, b: Path) -> bool:
    try:
        return Path(a).expanduser().resolve() == b.expanduser().resolve()
    except (OSError, RuntimeError):
        return False


def settings_for(journal_file: Path, config: Path | None) -> JrnlSettings:
    """What jrnl's config says about this file: its journal's own keys first, then the top-level ones.

    No config (or one that can't be read) says nothing: the file's own dates decide.
    """
    if config is None:
        return JrnlSettings()
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return JrnlSettings()
    top, journals = parse(text)
    own = next((keys for keys in journals.values() if _same_file(keys.get("journal", ""), journal_file)), {})
    timeformat = own.get("timeformat") or top.get("timeformat") or None
    symbols = own.get("tagsymbols") or top.get("tagsymbols") or DEFAULT_TAGSYMBOLS
    return JrnlSettings(timeformat=timeformat, tagsymbols=symbols, source=config)


def format_is_dayfirst(timeformat: str) -> bool | None:
    """Whether a strftime format puts the day before the month; None when it doesn't say (no numeric day and
    month, or the year first, as in jrnl's usual %Y-%m-%d)."""
    day, month, year = timeformat.find("%d"), timeformat.find("%m"), timeformat.find("%Y")
    if day < 0 or month < 0 or 0 <= year < min(day, month):
        return None
    return day < month


def dayfirst_from(dates: Iterable[str], path: Path) -> bool | None:
    """Whether the file's numeric dates (05/03/2024) are day-first, from dates only one order can read.

    None when no date is numeric both ways. Refused when the dates fit either order and none decides, or when
    some can only be day-first and others only month-first: guessing would put entries on the wrong days.
    """
    dayfirst: str | None = None  # the first date that can only be day-first (13/02/2024)
    monthfirst: str | None = None  # ... only month-first (02/13/2024)
    ambiguous: tuple[str, int, int] | None = None  # the first that reads both ways, and its two numbers
    for text in dates:
        match = _NUMERIC_DAY.match(text)
        if match is None:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            dayfirst = dayfirst or match.group(0).strip()
        elif second > 12 >= first:
            monthfirst = monthfirst or match.group(0).strip()
        elif ambiguous is None and first <= 12 and second <= 12 and first != second:
            ambiguous = (match.group(0).strip(), first, second)
    if dayfirst and monthfirst:
        raise InvalidInput(
            f"Some dates in {path} can only be day-first ({dayfirst}) and others only month-first "
            f"({monthfirst}), so nothing was imported.",
            hint="Check the file's dates; add --dayfirst or --monthfirst to say how to read them.",
        )
    if dayfirst or monthfirst:
        return dayfirst is not None
    if ambiguous is not None:
        text, first, second = ambiguous
        both = f"{first} {_MONTHS[second - 1]} or {second} {_MONTHS[first - 1]}" if first and second else None
        raise InvalidInput(
            f"The dates in {path} read two ways ({text} could be {both or 'day-first or month-first'}), so "
            "nothing was imported.",
            hint="Add --dayfirst or --monthfirst to say which; jrnl's timeformat in its config says too.",
        )
    return None
