"""Reading a large JSON object's members as they come, an array's items one at a time, never the whole file.

`import json` of a 50,000-entry export held the parsed file, and every entry made from it, at once: 307 MiB.
`members` goes through the top-level object instead, with the standard library's decoder for each value,
and hands back the items of the arrays it is asked to stream one by one; a file that isn't one JSON object
(or is cut short, or has anything after it) raises ValueError, as json.loads would.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import IO, Any

CHUNK = 1 << 20  # characters read at a time
_WHITESPACE = " \t\n\r"


class _Reader:
    def __init__(self, source: IO[str]) -> None:
        self.source, self.text, self.at, self.ended = source, "", 0, False
        self.decode = json.JSONDecoder().raw_decode

    def _more(self) -> bool:
        if self.ended:
            return False
        chunk = self.source.read(CHUNK)
        if not chunk:
            self.ended = True
            return False
        self.text = self.text[self.at :] + chunk  # what was read is let go
        self.at = 0
        return True

    def peek(self) -> str:
        """The next character that isn't whitespace ("" at the end), without taking it."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in _WHITESPACE:
                self.at += 1
            if self.at < len(self.text):
                return self.text[self.at]
            if not self._more():
                return ""

    def take(self, expected: str) -> None:
        if self.peek() != expected:
            raise ValueError(f"expected {expected!r}")
        self.at += 1

    def value(self) -> Any:
        """One whole JSON value from here (read further until it is complete)."""
        self.peek()
        while True:
            try:
                found, end = self.decode(self.text, self.at)
            except json.JSONDecodeError:
                if self._more():
                    continue
                raise ValueError("not JSON, or cut short") from None
            if _may_go_on(found, self.text, end) and self._more():
                continue  # a number at the edge of what was read ("12", "0.") may go on: read on
            self.at = end
            return found


_NUMBER_GOES_ON = frozenset("0123456789.eE+-")


def _may_go_on(found: Any, text: str, end: int) -> bool:
    """Whether a number decoded up to `end` could still be longer: all that was read after it could be more
    of it (nothing at all, or digits, a point, an exponent)."""
    if isinstance(found, bool) or not isinstance(found, (int, float)):
        return False
    return all(char in _NUMBER_GOES_ON for char in text[end:])


class NotAnObject(ValueError):
    """The file is JSON, or begins like it, but its top level isn't an object."""


def members(source: IO[str], streamed: Collection[str] = ()) -> Iterator[tuple[str, Any, bool]]:
    """(key, value, False) for each member of the top-level object, in file order; for a key in `streamed`
    whose value is an array, (key, [], False) to say so, then (key, item, True) for each of its items."""
    read = _Reader(source)
    if read.peek() != "{":
        raise NotAnObject("the top level isn't an object")
    read.take("{")
    if read.peek() == "}":
        read.take("}")
    else:
        while True:
            key = read.value()
            if not isinstance(key, str):
                raise ValueError("an object's key isn't a string")
            read.take(":")
            if key in streamed and read.peek() == "[":
                yield key, [], False
                read.take("[")
                if read.peek() == "]":
                    read.take("]")
                else:
                    while True:
                        yield key, read.value(), True
                        if read.peek() == "]":
                            read.take("]")
                            break
                        read.take(",")
            else:
                yield key, read.value(), False
            if read.peek() == "}":
                read.take("}")
                break
            read.take(",")
    if read.peek() != "":
        raise ValueError("more after the JSON object")
