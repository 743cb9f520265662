"""What a file given as a backup is when it isn't one, but is a file an import reads: our JSON or text export,
jrnl's journal or exports, or Day One's; known by its first and last bytes, never read whole.

It only names the command that takes the file; the importers still check everything when it is imported.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

from ..errors import JournalError
from . import jrnltext

LOOK = 64 * 1024  # read from each end: our export's "format" comes after its entries
_OURS = re.compile(rb'"format"\s*:\s*"recovery-journal-export"')
_JRNL_HEADER = re.compile(rb"\[[^\]\n]*\d{1,2}:\d{2}[^\]\n]*\] ")  # [2024-03-01 09:00] Title
_JRNL_MD = re.compile(rb"# \d{4}\s*\n[\s\S]*\n### ")  # jrnl --export md: a year, a month, then entries


class Kind(NamedTuple):
    """A file an import takes: what it is, in words, and the `import` subcommand that reads it."""

    what: str
    command: str


OWN_JSON = Kind("a recovery-journal JSON export", "json")
OWN_TEXT = Kind("a recovery-journal text export", "jrnl")
JRNL = Kind("a jrnl journal", "jrnl")
JRNL_EXPORT = Kind("a jrnl export", "jrnl")
DAY_ONE = Kind("a Day One export", "dayone")


def importable(path: Path) -> Kind | None:
    """The kind of import file `path` recognisably is; None for any other file, or one that can't be read."""
    try:
        with path.open("rb") as handle:
            head = handle.read(LOOK)
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(size - LOOK, len(head)))
            tail = handle.read(LOOK)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):
        return _zipped(path)
    both_ends = head + tail if size <= 2 * LOOK else head + b"\0" + tail  # never a match across the gap
    return _kind(head.removeprefix(b"\xef\xbb\xbf").lstrip(), both_ends)


def _kind(start: bytes, both_ends: bytes) -> Kind | None:
    if start.startswith(b"{"):
        if _OURS.search(both_ends):
            return OWN_JSON
        if b'"creationDate"' in start:
            return DAY_ONE
        if b'"entries"' in start and b'"body"' in start:
            return JRNL_EXPORT
        return None
    try:
        ours = jrnltext.version(start.split(b"\n", 1)[0].decode("utf-8", "replace")) is not None
    except JournalError:  # a newer recovery-journal's text export: still ours
        ours = True
    if ours:
        return OWN_TEXT
    if _JRNL_HEADER.match(start):
        return JRNL
    if _JRNL_MD.match(start):
        return JRNL_EXPORT
    return None


def _zipped(path: Path) -> Kind | None:
    """Day One's zip: a journal file at its top level holding Day One's entries."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = info.filename
                if name.lower().endswith(".json") and "/" not in name.strip("/"):
                    with archive.open(info) as member:
                        if b'"creationDate"' in member.read(LOOK):
                            return DAY_ONE
    except (OSError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return None  # encrypted, damaged or of a kind zipfile can't open: not one an import reads either
    return None
