"""Finding words in opened entries: case- and Unicode-form-insensitive matching, and excerpts around hits."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

CONTEXT_CHARS = 40
MAX_EXCERPTS = 3


class Excerpt(NamedTuple):
    """A short piece of an entry around one or more hits; spans index into `text`."""

    text: str
    spans: tuple[tuple[int, int], ...]
    starts_mid: bool
    ends_mid: bool


def fold(value: str) -> str:
    """The form both the query and the text are compared in."""
    if value.isascii():
        return value.lower()
    return unicodedata.normalize("NFKD", value).casefold()


def packed_matches(body: bytes, starts: Sequence[int], lengths: Sequence[int], needle: str) -> list[int]:
    """Which texts packed in `body` contain `needle` (folded), as fold() would find: text i is the UTF-8
    body[starts[i] : starts[i] + lengths[i]], starts ascending, and anything between texts is never matched.
    """
    ascii_needle = needle.encode("ascii") if needle.isascii() else None
    if body.isascii():  # most journals: one lowering and a find per hit, instead of a fold per entry
        return [] if ascii_needle is None else _ascii_matches(body.lower(), starts, lengths, ascii_needle)
    found = []
    for i, (start, length) in enumerate(zip(starts, lengths, strict=True)):
        text = body[start : start + length]
        if text.isascii():
            if ascii_needle is not None and ascii_needle in text.lower():
                found.append(i)
        elif needle in fold(text.decode("utf-8")):
            found.append(i)
    return found


def _ascii_matches(hay: bytes, starts: Sequence[int], lengths: Sequence[int], needle: bytes) -> list[int]:
    found: list[int] = []
    at = hay.find(needle)
    while at >= 0:
        i = bisect_right(starts, at) - 1
        if i >= 0 and at + len(needle) <= starts[i] + lengths[i]:
            found.append(i)
            if i + 1 == len(starts):
                break
            at = hay.find(needle, starts[i + 1])  # one hit is enough for an entry
        else:
            at = hay.find(needle, at + 1)
    return found


def as_tag(query: str) -> str | None:
    """A query written as a tag, '#boundaries' or '@boundaries' (jrnl's way), as the folded tag; else None."""
    word = query.strip()
    if word[:1] not in ("#", "@") or len(word.split()) != 1 or not word[1:].strip("#@"):
        return None
    return fold(word.lstrip("#@"))


def _fold_with_origin(text: str) -> tuple[str, list[int] | None]:
    if text.isascii():
        return text.lower(), None
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKD", char).casefold()
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


def hit_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the query occurs in `text`, as (start, end) indexes into the original text."""
    needle = fold(query)
    if not needle:
        return []
    folded, origin = _fold_with_origin(text)
    spans: list[tuple[int, int]] = []
    at = folded.find(needle)
    while at >= 0:
        end = at + len(needle)
        if origin is None:
            spans.append((at, end))
        else:
            spans.append((origin[at], origin[end - 1] + 1))
        at = folded.find(needle, end)
    return spans


def excerpts(
    text: str, query: str, *, context: int = CONTEXT_CHARS, limit: int = MAX_EXCERPTS
) -> list[Excerpt]:
    """Up to `limit` excerpts around the hits, whitespace collapsed, near hits sharing one excerpt."""
    spans = hit_spans(text, query)
    windows: list[list[tuple[int, int]]] = []
    for span in spans:
        if windows and span[0] - windows[-1][-1][1] <= 2 * context:
            windows[-1].append(span)
        else:
            windows.append([span])
    result: list[Excerpt] = []
    for group in windows[:limit]:
        start = _snap_left(text, max(0, group[0][0] - context))
        end = _snap_right(text, min(len(text), group[-1][1] + context))
        result.append(_build(text, start, end, group))
    return result


def _snap_left(text: str, at: int) -> int:
    if at == 0:
        return 0
    space = text.find(" ", at, at + 15)
    return space + 1 if space >= 0 else at


def _snap_right(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", max(0, at - 15), at)
    return space if space > 0 else at


def _squash(piece: str) -> str:
    squashed = " ".join(piece.split())
    if piece[:1].isspace() and squashed:
        squashed = " " + squashed
    if piece[-1:].isspace() and squashed:
        squashed += " "
    return squashed or (" " if piece else "")


def _build(text: str, start: int, end: int, group: list[tuple[int, int]]) -> Excerpt:
    out = ""
    spans: list[tuple[int, int]] = []
    cursor = start
    for hit_start, hit_end in group:
        out += _squash(text[cursor:hit_start])
        if not spans:
            out = out.lstrip()
        begin = len(out)
        out += " ".join(text[hit_start:hit_end].split())
        spans.append((begin, len(out)))
        cursor = hit_end
    out += _squash(text[cursor:end]).rstrip()
    return Excerpt(text=out, spans=tuple(spans), starts_mid=start > 0, ends_mid=end < len(text))
