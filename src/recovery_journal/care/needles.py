"""Patterns compiled only when a text could match them.

Compiling the gentle check's ~170 patterns cost every `write` about 45 ms, most of it for patterns that could
never match the entry in hand. Each pattern here carries its *needles*: a few plain strings, worked out from
the pattern itself, such that anything the pattern matches contains at least one of them. A text holding none
of them cannot match, so the pattern is not compiled and the answer (no match) is the same as compiling it
would have given. That is the whole promise: the needles decide only *whether to compile*, never what matches.

The needles come from `needles_for` (which reads the pattern with Python's own regex parser) and are kept in
`gentle_needles.json`, because parsing them at start-up would cost what compiling does. A test re-derives the
file from the patterns and fails on any drift; a pattern missing from the file is simply compiled when used.
Regenerate the file with `python -m recovery_journal.care.needles`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

NEEDLES_FILE = "gentle_needles.json"
_MOST = 64  # the largest set of alternatives worth spelling out; beyond it a span stops growing
_SHORTEST = 3  # needles shorter than this are in nearly every text: such a pattern is compiled when used


class Lazy:
    """A regular expression compiled the first time a text holding one of its needles is searched."""

    __slots__ = ("_compiled", "needles", "source")

    def __init__(self, source: str, needles: Sequence[str] | None) -> None:
        self.source = source
        self.needles = tuple(needles) if needles is not None else None
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled

    def could_match(self, text: str) -> bool:
        """False only when no match can be in `text` (nor in any part of it): it holds none of the needles."""
        return self.needles is None or any(needle in text for needle in self.needles)

    def _for(self, text: str) -> re.Pattern[str] | None:
        return self.compiled if self.could_match(text) else None

    def search(self, text: str) -> re.Match[str] | None:
        pattern = self._for(text)
        return pattern.search(text) if pattern is not None else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern = self._for(text)
        return pattern.finditer(text) if pattern is not None else iter(())

    def sub(self, replacement: str, text: str) -> str:
        pattern = self._for(text)
        return pattern.sub(replacement, text) if pattern is not None else text

    def __repr__(self) -> str:
        return f"Lazy({self.source!r})"


class Book:
    """The needles of a module's patterns, read once from its JSON file (pattern source: needles or null)."""

    def __init__(self, table: dict[str, list[str] | None]) -> None:
        self._table = table
        self.made: list[Lazy] = []

    def __call__(self, source: str) -> Lazy:
        lazy = Lazy(source, self._table.get(source))
        self.made.append(lazy)
        return lazy


# --- working the needles out (tests and the generator only: this is the slow part) ----------------------


def _parser() -> Any:
    try:
        from re import _parser as parser  # type: ignore[attr-defined]  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as parser
    return parser


def needles_for(source: str, shortest: int = _SHORTEST) -> list[str] | None:
    """Plain strings at least one of which is in every match of `source`; None when there are none worth
    checking (a needle shorter than `shortest` characters, or a construct this does not read)."""
    parser = _parser()
    parsed = parser.parse(source)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _required(parsed.data, parser)
    if found is None or min(len(n) for n in found) < max(shortest, 1):
        return None
    # A needle holding a shorter one adds nothing to "is any of them in the text?"
    return sorted(n for n in found if not any(other != n and other in n for other in found))


def _product(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > _MOST:
        return None
    return frozenset(a + b for a, b in itertools.product(left, right))


def _exact(items: Iterable[tuple[Any, Any]], parser: Any) -> frozenset[str] | None:
    """Every string a sequence can match, when that is a short list; None otherwise."""
    whole: frozenset[str] | None = frozenset({""})
    for item in items:
        one = _exact_item(item, parser)
        if one is None or whole is None:
            return None
        whole = _product(whole, one)
    return whole


def _exact_item(item: tuple[Any, Any], parser: Any) -> frozenset[str] | None:
    op, av = item
    c = parser
    if op is c.LITERAL:
        return frozenset({chr(av)})
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return frozenset({""})  # zero width: constrains where, adds no characters
    if op is c.SUBPATTERN:
        if av[1] or av[2]:  # flags switched on or off inside the group
            return None
        return _exact(av[3].data, parser)
    if op is c.BRANCH:
        union = _union(av[1], lambda data: _exact(data, parser))
        return union if union is not None and len(union) <= _MOST else None
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[1] <= 1:
        inner = _exact(av[2].data, parser)
        if inner is None:
            return None
        return inner | {""} if av[0] == 0 else inner
    if op is c.IN and av and all(o is c.LITERAL for o, _ in av):
        return frozenset(chr(v) for _, v in av)
    return None


def _union(branches: Iterable[Any], each: Callable[[Any], frozenset[str] | None]) -> frozenset[str] | None:
    """Every branch's strings together; None when any branch has none."""
    union: set[str] = set()
    for branch in branches:
        one = each(branch.data)
        if one is None:
            return None
        union |= one
    return frozenset(union)


def _required(items: Sequence[tuple[Any, Any]], parser: Any) -> frozenset[str] | None:
    """A set of strings one of which every match of the sequence contains: the most telling of the
    candidates (its shortest member the longest), or None."""
    candidates: list[frozenset[str]] = []
    span: frozenset[str] = frozenset({""})  # every string the run of exact items so far can match

    def close() -> None:
        if "" not in span:
            candidates.append(span)

    for item in items:
        one = _exact_item(item, parser)
        if one is not None:
            grown = _product(span, one)
            if grown is not None:
                span = grown
                continue
            close()
            span = one
            continue
        close()
        span = frozenset({""})
        inner = _required_item(item, parser)
        if inner is not None:
            candidates.append(inner)
    close()
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(len(n) for n in s), -len(s)))


def _required_item(item: tuple[Any, Any], parser: Any) -> frozenset[str] | None:
    op, av = item
    c = parser
    if op is c.SUBPATTERN:
        return None if av[1] or av[2] else _required(av[3].data, parser)
    if op is c.BRANCH:
        return _union(av[1], lambda data: _required(data, parser))
    names = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")  # the last is Python 3.11+
    repeats = tuple(getattr(c, name) for name in names if hasattr(c, name))
    if op in repeats and av[0] >= 1:
        return _required(av[2].data, parser)
    if hasattr(c, "ATOMIC_GROUP") and op is c.ATOMIC_GROUP:
        return _required(av.data, parser)
    return None


def table(sources: Iterable[str]) -> dict[str, list[str] | None]:
    """The needles file's contents for these pattern sources."""
    return {source: needles_for(source) for source in sorted(set(sources))}


def main() -> None:  # pragma: no cover - run by hand when the gentle patterns change
    import json
    from pathlib import Path

    from . import gentle

    path = Path(__file__).with_name(NEEDLES_FILE)
    contents = table(lazy.source for lazy in gentle.BOOK.made)
    path.write_text(json.dumps(contents, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(contents)} patterns)")


if __name__ == "__main__":  # pragma: no cover
    main()
