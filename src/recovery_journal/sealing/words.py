"""The entry index's word blocks: the words of the entries in one chunk, kept together for search.

Search reads one sealed block per 256 entry numbers instead of one sealed field per entry
(docs/encryption.md, Entry index). Each entry's words are padded inside the block to the size their own
sealed field is padded to, so a block's size says nothing the rows don't already say.
"""

from __future__ import annotations

import struct
from operator import add, le
from typing import NamedTuple

from .crypto import MIN_PADDED, padme

FORMAT = 1


class WordBlock(NamedTuple):
    """One chunk's words: entry i's UTF-8 words are body[starts[i] : starts[i] + lengths[i]]."""

    ids: tuple[int, ...]
    starts: tuple[int, ...]
    lengths: tuple[int, ...]
    body: bytes
    unreadable: tuple[int, ...]

    def words(self, i: int) -> bytes:
        return self.body[self.starts[i] : self.starts[i] + self.lengths[i]]

    def entries(self) -> dict[int, bytes | None]:
        """Every entry's words by entry number; None for those whose words didn't open."""
        found: dict[int, bytes | None] = {entry_id: self.words(i) for i, entry_id in enumerate(self.ids)}
        found.update(dict.fromkeys(self.unreadable))
        return found


def encode_block(part: dict[int, bytes | None]) -> bytes:
    """A block's plaintext from each entry's UTF-8 words by entry number (None: they didn't open)."""
    ids = sorted(i for i, words in part.items() if words is not None)
    bad = sorted(i for i, words in part.items() if words is None)
    texts = [part[i] or b"" for i in ids]
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += slot(len(text))
    n = len(ids)
    return b"".join(
        (
            struct.pack("<BI", FORMAT, n),
            struct.pack(f"<{n}q", *ids),
            struct.pack(f"<{n}I", *starts),
            struct.pack(f"<{n}I", *[len(t) for t in texts]),
            struct.pack(f"<I{len(bad)}q", len(bad), *bad),
            *(t + bytes(slot(len(t)) - len(t)) for t in texts),
        )
    )


def decode_block(raw: bytes, first: int, last: int) -> WordBlock:
    """A block for the entries numbered first..last; ValueError when it isn't a well-formed one."""
    try:
        version, n = struct.unpack_from("<BI", raw)
        if version != FORMAT:
            raise ValueError("unknown word block format")
        ids = struct.unpack_from(f"<{n}q", raw, 5)
        starts = struct.unpack_from(f"<{n}I", raw, 5 + 8 * n)
        lengths = struct.unpack_from(f"<{n}I", raw, 5 + 12 * n)
        at = 5 + 16 * n
        (count,) = struct.unpack_from("<I", raw, at)
        unreadable = struct.unpack_from(f"<{count}q", raw, at + 4)
        at += 4 + 8 * count
    except struct.error as exc:
        raise ValueError("not a word block") from exc
    every = sorted((*ids, *unreadable))
    if every and (every[0] < first or every[-1] > last):
        raise ValueError("an entry outside its chunk")
    if list(ids) != sorted(ids) or len(set(every)) != len(every):
        raise ValueError("entries out of order")
    body = raw[at:]
    # Each text ends before the next begins, and the last one's slot ends the block.
    ends = list(map(add, starts, lengths))
    if not all(map(le, ends, starts[1:])):
        raise ValueError("word block texts overlap")
    if len(body) != (starts[-1] + slot(lengths[-1]) if n else 0):
        raise ValueError("word block is cut short or too long")
    return WordBlock(tuple(ids), tuple(starts), tuple(lengths), body, tuple(unreadable))


def slot(length: int) -> int:
    """The bytes an entry's words of this length take in a block: what its own sealed field is padded to."""
    return max(MIN_PADDED, padme(length + 1))
