"""The gentle check's patterns are compiled only for texts that could match them: the needles worked out for a
pattern must be in every string it matches, or a cry for help could be missed to save a few milliseconds."""

from __future__ import annotations

import itertools
import json
import re
from importlib import resources
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.care import gentle, needles

GENTLE_SOURCES = [lazy.source for lazy in gentle.BOOK.made]


def test_the_needles_file_is_what_the_patterns_give() -> None:
    written = resources.files("recovery_journal.care").joinpath(needles.NEEDLES_FILE).read_text("utf-8")
    shipped = json.loads(written)
    assert shipped == needles.table(GENTLE_SOURCES), "run: python -m recovery_journal.care.needles"
    # Nearly every pattern has needles, or there would be nothing to gain.
    assert sum(v is not None for v in shipped.values()) >= 0.9 * len(shipped)


def test_needles_of_known_shapes() -> None:
    assert needles.needles_for(r"\bkill myself\b") == ["kill myself"]
    assert needles.needles_for(r"\b(?:cut|burn) my arm") == ["burn my arm", "cut my arm"]
    assert needles.needles_for(r"\bend (?:it|things)?\b") == ["end "]
    assert needles.needles_for(r"\bscared\b[^.]{0,40}\bhe'll come\b") == ["he'll come"]
    assert needles.needles_for(r"\bi ?am safe") == ["i am safe", "iam safe"]
    assert needles.needles_for(r"\bsee blood\b|\bwant it to hurt\b") == ["see blood", "want it to hurt"]
    assert needles.needles_for(r"\b(?:a|i)\b") is None  # too short to be worth checking
    assert needles.needles_for(r"(?i)kill myself") is None  # case-blind: a plain substring test would miss
    assert needles.needles_for(r"\w+ing") == ["ing"]


# Small patterns over a tiny alphabet, so every string up to a length can be tried against each one.
_ATOMS = st.sampled_from(
    ["a", "b", "ab", "ba", " ", "c", "[ab]", ".", r"\b", "[^a]", r"\w", "(?!a)", "(?<=b)", "$", "^"]
)


@st.composite
def _patterns(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["atom", "atom", "group", "alt", "repeat"] if depth < 2 else ["atom"]))
        if kind == "atom":
            parts.append(draw(_ATOMS))
        elif kind == "group":
            parts.append(f"(?:{draw(_patterns(depth + 1))})")
        elif kind == "alt":
            parts.append(f"(?:{draw(_patterns(depth + 1))}|{draw(_patterns(depth + 1))})")
        else:
            low, high = draw(st.sampled_from([(0, 1), (1, 1), (1, 2), (0, 3), (2, 3)]))
            parts.append(f"(?:{draw(_patterns(depth + 1))}){{{low},{high}}}")
    return "".join(parts)


_STRINGS = ["".join(p) for n in range(7) for p in itertools.product("ab c", repeat=n)]


@settings(max_examples=300, deadline=None)
@given(source=_patterns())
def test_every_match_holds_a_needle(source: str) -> None:
    found = needles.needles_for(source, shortest=1)
    if found is None:
        return
    pattern = re.compile(source)
    for text in _STRINGS:
        if pattern.search(text) is not None:
            assert any(n in text for n in found), (source, found, text)


def _texts() -> list[str]:
    out = []
    for path in sorted((Path(__file__).parent / "fixtures" / "gentle").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = gentle.normalise(json.loads(line)["text"])
                out.append(text)
                out.extend(part for sentence in re.split(r"[.!?\n]", text) for part in sentence.split(","))
    return out


def test_a_lazy_pattern_finds_exactly_what_the_compiled_one_does() -> None:
    texts = _texts()
    assert len(texts) > 2000
    checked = 0
    for source in GENTLE_SOURCES:
        plain = re.compile(source)
        lazy = needles.Lazy(source, needles.needles_for(source))
        for text in texts:
            expected = [m.span() for m in plain.finditer(text)]
            assert [m.span() for m in lazy.finditer(text)] == expected, (source, text)
            found = lazy.search(text)
            assert (found.span() if found else None) == (expected[0] if expected else None)
            assert lazy.sub(" ", text) == plain.sub(" ", text)
            checked += bool(expected)
    assert checked > 500  # the corpus does reach the patterns


def test_a_pattern_is_not_compiled_for_a_text_without_its_needles() -> None:
    lazy = needles.Lazy(r"\bkill myself\b", ["kill myself"])
    assert lazy.search("a quiet walk by the river") is None
    assert lazy._compiled is None
    match = lazy.search("i want to kill myself")
    assert match is not None and match.group(0) == "kill myself"
    assert lazy._compiled is not None


def test_a_pattern_missing_from_the_file_is_compiled_and_used() -> None:
    book = needles.Book({})
    lazy = book(r"\bno reason to stay\b")
    assert lazy.needles is None
    assert lazy.search("there is no reason to stay") is not None
    assert book.made == [lazy]
