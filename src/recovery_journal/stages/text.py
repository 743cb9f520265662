"""Turning an entry into sentences and features: lower-cased, contractions opened, negation and tense marked.

Pure standard library. The same functions feed training (stages/train.py) and classification, so the two can
never disagree about what a word is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

MAX_CHARS = 20_000  # classify at most this much of an entry: bounded time on huge text

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_CONTRACTIONS = {
    "don't": "do not",
    "dont": "do not",
    "doesn't": "does not",
    "doesnt": "does not",
    "didn't": "did not",
    "didnt": "did not",
    "isn't": "is not",
    "isnt": "is not",
    "wasn't": "was not",
    "wasnt": "was not",
    "aren't": "are not",
    "arent": "are not",
    "weren't": "were not",
    "werent": "were not",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "won't": "will not",
    "wouldn't": "would not",
    "wouldnt": "would not",
    "couldn't": "could not",
    "couldnt": "could not",
    "shouldn't": "should not",
    "shouldnt": "should not",
    "haven't": "have not",
    "havent": "have not",
    "hasn't": "has not",
    "hasnt": "has not",
    "hadn't": "had not",
    "hadnt": "had not",
    "ain't": "is not",
    "i'm": "i am",
    "im": "i am",
    "i've": "i have",
    "ive": "i have",
    "i'd": "i would",
    "i'll": "i will",
    "it's": "it is",
    "he's": "he is",
    "she's": "she is",
    "they're": "they are",
    "we're": "we are",
    "you're": "you are",
    "that's": "that is",
    "there's": "there is",
    "what's": "what is",
    "let's": "let us",
}
NEGATORS = frozenset(
    {"not", "no", "never", "nothing", "nobody", "none", "nor", "neither", "without", "hardly"}
)
_NEGATION_SPAN = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|\s*[;•]\s*|(?:^|\n)\s*[-*]\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Markers that a sentence looks back rather than describing now.
_LOOKING_BACK = re.compile(
    r"\b(used to|back then|at the time|back when|in those days|looking back|i remember|years? ago|"
    r"months ago|last year|when i was with|before i left|i would always|the old me|i once)\b"
)
# Markers that something has changed: "not ... anymore", "no longer".
_CHANGED = re.compile(r"\b(any ?more|no longer|not any longer|these days|now i|i now)\b")

_SUFFIXES = ("ingly", "ings", "ing", "edly", "ed", "ies", "es", "ness", "ful", "ly", "s")


def stem(word: str) -> str:
    """A light, conservative suffix stripper: enough that 'grieving' and 'grieved' meet."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            root = word[: -len(suffix)]
            if suffix == "ies":
                return root + "y"
            if len(root) > 4 and root[-1] == root[-2] and root[-1] not in "ls":
                return root[:-1]  # 'stopped' -> 'stop'
            return root
    return word


@dataclass(frozen=True)
class Sentence:
    """One sentence: its words (stemmed, negation-marked), and whether it looks back or notes a change."""

    text: str
    words: tuple[str, ...]
    surface: tuple[str, ...]
    looking_back: bool
    changed: bool

    def shown(self, feature: str) -> str:
        """The words as written for a model feature (a stem or a pair of stems)."""
        parts = feature.split(" ")
        for at in range(len(self.words) - len(parts) + 1):
            if self.words[at : at + len(parts)] == tuple(parts):
                return " ".join(self.surface[at : at + len(parts)])
        return feature.removeprefix("not_")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).translate(_QUOTES).lower()
    return text


def _open_contractions(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        expanded = _CONTRACTIONS.get(token)
        if expanded:
            out.extend(expanded.split())
        elif token.endswith("n't"):
            out.extend([token[:-3], "not"])
        elif token.endswith("'s"):
            out.append(token[:-2])
        else:
            out.append(token)
    return out


def mark_negation(tokens: list[str]) -> list[str]:
    """Prefix the few words after a negator with 'not_', so 'not guilty' and 'guilty' stay apart."""
    out: list[str] = []
    left = 0
    for token in tokens:
        if token in NEGATORS:
            out.append(token)
            left = _NEGATION_SPAN
        elif left:
            out.append("not_" + token)
            left -= 1
        else:
            out.append(token)
    return out


def words(text: str) -> list[str]:
    """Plain tokens of a normalised text, contractions opened, not stemmed or marked."""
    return _open_contractions(_WORD.findall(text))


def sentences(text: str) -> list[Sentence]:
    """Split an entry into sentences ready for scoring."""
    result: list[Sentence] = []
    for raw in _SENTENCE_END.split(normalise(text)):
        raw = raw.strip()
        if not raw:
            continue
        tokens = words(raw)
        if not tokens:
            continue
        marked = [("not_" + stem(t[4:])) if t.startswith("not_") else stem(t) for t in mark_negation(tokens)]
        result.append(
            Sentence(
                text=raw,
                words=tuple(marked),
                surface=tuple(tokens),
                looking_back=bool(_LOOKING_BACK.search(raw)),
                changed=bool(_CHANGED.search(raw)),
            )
        )
    return result


def features(sentence: Sentence) -> list[str]:
    """Unigrams and bigrams of a sentence, as the model sees them."""
    ws = sentence.words
    grams = list(ws)
    grams += [f"{a} {b}" for a, b in pairwise(ws)]
    if sentence.looking_back:
        grams.append("__looking_back__")
    if sentence.changed:
        grams.append("__changed__")
    return grams
