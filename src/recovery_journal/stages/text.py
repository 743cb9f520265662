"""Turning an entry into sentences and features: lower-cased, contractions opened, negation and tense marked.

Pure standard library. The same functions feed training (stages/train.py) and classification, so the two can
never disagree about what a word is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
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
# A word after a negator is 'not_' (not felt), or 'over_' when the clause says it ended ("not angry anymore",
# "no longer scared"); a feeling word that belongs to he, she or they is 'their_' (not the writer's).
MARKS = ("not_", "over_", "their_")
_CLAUSE_BREAK = re.compile(r"[,;:()\"]|\s[-–—]\s")
# Words that carry grammar rather than meaning. A cue shown to the writer is trimmed of these at either end,
# so the reasons given for a stage are never fillers such as "it was", "in that" or "there" (docs/stages.md).
FUNCTION_WORDS = frozenset(
    """
    a about above across after again against ago all almost along already also although always am among an
    and another any anyone anything anyway anywhere are around as at away back be became because become been
    before behind being below beside besides between beyond both but by can could did do does doing done down
    during each either else enough even ever every everyone everything far few for from further get gets
    getting got had has have having he her here hers herself him himself his how however i if in instead into
    is it its itself just least less let like lot lots many may maybe me might mine more most much must my
    myself near nearly neither never next no nobody none nor not nothing now of off often oh ok okay on once
    one ones only onto or other others otherwise our ours ourselves out over own per perhaps quite rather
    really same say says said see seem seemed seems several shall she should since so some somehow someone
    something sometimes somewhere soon still such than that the their theirs them themselves then there
    these they thing things this those though through thus till to today together tomorrow tonight too
    toward towards under until up upon us very was we well were what whatever when whenever where whether
    which while who whoever whole whom whose why will with within without would yeah yes yet you your yours
    yourself yourselves
    """.split()  # noqa: SIM905 - a list of 250 words reads better as text than as 250 quoted strings
)
# Where sentences end: spaces after . ! or ?, a line break, ; or •, and a bullet opening the text. Each piece
# is stripped, so the spaces before a break needn't be matched. That rule is _SENTENCE_END; _sentence_pieces
# cuts a text exactly where it would split it (a test checks), with a pattern that begins with one of a few
# characters, which the regular expression engine skips ahead to instead of trying every place (16 to 10 us
# an entry).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[\n;•]\s*|^\s*[-*]\s+")
_BREAK = re.compile(r"[.!?]\s+|[\n;•]\s*")  # the stop itself stays with its sentence
_OPENING_BULLET = re.compile(r"\s*[-*]\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_WORD_AND_GAPS = re.compile(f"({_WORD.pattern})")  # split: gap, word, gap, word, ..., gap; one pass for both
# Markers that a sentence looks back rather than describing now.
_LOOKING_BACK = re.compile(
    r"\b(used to|back then|at the time|back when|in those days|looking back|i remember|years? ago|"
    r"months ago|last year|when i was with|before i left|i would always|the old me|i once|"
    r"re-?read|read back|reading back|old entr(?:y|ies)|last (?:spring|summer|autumn|fall|winter)|"
    r"when i was (?:a kid|a child|little|young|\d+)|as a (?:kid|child|teenager)|in (?:19|20)\d\d)\b"
)
# The same phrases as a tree of their letters, without the \b before them (_looking_back checks that what it
# finds begins a word): the regex engine tries one way on at each letter instead of each of 23 phrases, and
# skips the letters none begins with. The same answer as _LOOKING_BACK, in about half the time.
_LOOKING_BACK_WORDS = re.compile(
    r"(?:a(?:t the time|s a (?:kid|child|teenager))"
    r"|b(?:ack (?:then|when)|efore i left)"
    r"|i(?: remember| would always| once|n those days|n (?:19|20)\d\d)"
    r"|l(?:ooking back|ast (?:year|spring|summer|autumn|fall|winter))"
    r"|months ago|old entr(?:y|ies)"
    r"|re(?:-?read|ad back|ading back)"
    r"|the old me|used to"
    r"|when i was (?:with|a kid|a child|little|young|\d+)"
    r"|years? ago"
    r")\b"
)
# Words in double quotes are someone's voice, often not the writer's now: they count like looking back.
_QUOTED = re.compile(r'("[^"\n]{1,600}")')
# Another person's feelings ("she is angry", "he cried") are theirs, not the writer's: marked 'their_'.
_OTHERS = frozenset({"he", "she", "they"})
_LINKING = frozenset(
    """
    is was are were be been being seems seemed looks looked sounds sounded gets got getting feels felt became
    becomes so very really just still always
    """.split()  # noqa: SIM905 - word lists read better as text
)
FEELINGS = frozenset(
    """
    angry furious livid fuming raging mad cross sad upset hurt heartbroken devastated ashamed guilty lonely
    numb miserable depressed disappointed embarrassed jealous scared afraid anxious exhausted tired broken
    crying cried sobbing sobbed wept grieving happy proud free calm excited confident strong relieved
    """.split()  # noqa: SIM905 - word lists read better as text
)
# Markers that something has changed: "not ... anymore", "no longer".
_CHANGED = re.compile(r"\b(any ?more|no longer|not any longer|these days|now i|i now)\b")
# The same phrases without the \b before them, which made the regex engine try every place in a sentence;
# _changed checks that what it finds begins a word instead: the same answer, about twice as fast.
_CHANGED_WORDS = re.compile(r"(?:any ?more|no longer|not any longer|these days|now i|i now)\b")

_SUFFIXES = ("ingly", "ings", "ing", "edly", "ed", "ies", "es", "ness", "ful", "ly", "s")


def _changed(raw: str) -> bool:
    """Whether _CHANGED is found in `raw`."""
    return _begins_a_word(_CHANGED_WORDS, raw)


def _looking_back(raw: str) -> bool:
    """Whether _LOOKING_BACK is found in `raw`."""
    return _begins_a_word(_LOOKING_BACK_WORDS, raw)


def _begins_a_word(words: re.Pattern[str], raw: str) -> bool:
    """Whether `words` (phrases each beginning with a word character) is found where a word begins."""
    found = words.search(raw)
    while found is not None:
        at = found.start()
        if at == 0 or not (raw[at - 1].isalnum() or raw[at - 1] == "_"):  # \b: no word character before
            return True
        found = words.search(raw, at + 1)
    return False


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
    """One sentence: its words (stemmed, negation-marked), and whether it looks back or notes a change.

    `spans` holds where each word was written in `text` (both words of an opened contraction share one), so a
    cue can be shown in the writer's own words. Only the few words shown ever need it, so it is worked out
    from `text` on first use, not for every sentence of every entry guessed. `pieces` (`text` as tokenising
    cut it: gap, word, gap, ..., gap), when given, shows words as written without working out `spans` at all.
    """

    text: str
    words: tuple[str, ...]
    surface: tuple[str, ...]
    looking_back: bool
    changed: bool
    pieces: list[str] = field(default_factory=list, repr=False, compare=False)

    @cached_property
    def spans(self) -> tuple[tuple[int, int], ...]:
        found = tuple(m.span() for m in _WORD.finditer(self.text))
        # as many words as tokens: no contraction was opened into two, so each token is where its word is
        return found if len(found) == len(self.surface) else _spans(self.text)

    def written(self, at: int, size: int = 1) -> str:
        """The text as written for words `at` to `at + size`: 'feel' stays 'feel', "don't" stays "don't"."""
        count = len(self.surface)
        if count and len(self.pieces) // 2 == count:  # each token a word as found (no contraction opened)
            if at < 0 or at + size > count or size < 1:
                return " ".join(self.surface[at : at + size])
            return "".join(self.pieces[2 * at + 1 : 2 * (at + size)])  # the words and the gaps between them
        if not self.spans or at < 0 or at + size > len(self.spans) or size < 1:
            return " ".join(self.surface[at : at + size])
        return self.text[self.spans[at][0] : self.spans[at + size - 1][1]]

    def find(self, feature: str) -> int:
        """Where a model feature (a stem or a pair of stems) first occurs, or -1."""
        parts = tuple(feature.split(" "))
        words, at = self.words, -1
        while True:  # each place its first word is (found in C), until the rest follows there too
            try:
                at = words.index(parts[0], at + 1)
            except ValueError:
                return -1
            if words[at : at + len(parts)] == parts:
                return at

    def shown(self, feature: str) -> str:
        """The words as written for a model feature (a stem or a pair of stems)."""
        at = self.find(feature)
        return self.written(at, len(feature.split(" "))) if at >= 0 else unmarked(feature)

    def cue(self, at: int, size: int) -> str | None:
        """Words `at` to `at + size` as a cue worth showing: the writer's own words, trimmed of function words
        at either end, never a negated word; None when nothing telling is left ("it was", "not sad")."""
        end = at + size
        if any(w.startswith(MARKS) for w in self.words[at:end]):
            return None
        while at < end and is_function_word(self.surface[at]):
            at += 1
        while end > at and is_function_word(self.surface[end - 1]):
            end -= 1
        return self.written(at, end - at) if end > at else None


def is_function_word(word: str) -> bool:
    """True for a word that carries grammar rather than meaning, and for bare numbers."""
    return word in FUNCTION_WORDS or word.isdigit()


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).translate(_QUOTES).lower()
    return text


def _opened(token: str) -> tuple[str, ...]:
    """One token with its contraction opened: "don't" is ("do", "not"), "she's" is ("she", "is")."""
    expanded = _CONTRACTIONS.get(token)
    if expanded:
        return tuple(expanded.split())
    if token.endswith("n't"):
        return (token[:-3], "not")
    if token.endswith("'s"):
        return (token[:-2],)
    return (token,)


# The few words with an apostrophe or a contraction's letters are looked up once; every other word is itself.
_OPENED = {token: _opened(token) for token in _CONTRACTIONS}


def _open_contractions(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        out.extend(_OPENED.get(token) or _opened(token))
    return out


def mark_negation(tokens: list[str], breaks: frozenset[int] = frozenset()) -> list[str]:
    """Prefix the few words after a negator, within its clause, with 'not_' (or 'over_' when the clause says
    the feeling ended), so 'not guilty', 'not angry anymore' and 'guilty' stay apart."""
    out: list[str] = []
    left = 0
    mark = "not_"
    for at, token in enumerate(tokens):
        if at in breaks:
            left = 0
        if token in NEGATORS:
            out.append(token)
            left = _NEGATION_SPAN
            mark = "over_" if _ended(tokens, at, breaks) else "not_"
        elif left:
            out.append(mark + token)
            left -= 1
        else:
            out.append(token)
    return out


def _ended(tokens: list[str], at: int, breaks: frozenset[int]) -> bool:
    """Whether the negator's clause says something stopped: 'anymore', 'any more', 'no longer'."""
    end = next((b for b in sorted(breaks) if b > at), len(tokens))
    clause = tokens[at + 1 : end]
    if tokens[at] == "no" and clause[:1] == ["longer"]:
        return True
    return "anymore" in clause or any(a == "any" and b == "more" for a, b in pairwise(clause))


def mark_others(tokens: list[str]) -> list[str]:
    """Prefix a feeling word that belongs to he, she or they with 'their_': 'she is their_angry'."""
    out = list(tokens)
    for at, token in enumerate(tokens):
        if token not in _OTHERS:
            continue
        ahead = at + 1
        while ahead < len(tokens) and ahead - at <= 3 and tokens[ahead] in _LINKING:
            ahead += 1
        if ahead < len(tokens) and unmarked(tokens[ahead]) in FEELINGS:
            out[ahead] = "their_" + unmarked(tokens[ahead])
    return out


def unmarked(word: str) -> str:
    """A word without its negation or other-person mark."""
    for prefix in MARKS:
        if word.startswith(prefix):
            return word[len(prefix) :]
    return word


def _marked(token: str) -> str:
    """A (possibly marked) token stemmed, remembered: a journal uses the same few thousand words again and
    again, and stemming each one afresh was a good part of guessing an entry's stage."""
    found = _MARKED.get(token)
    if found is None:
        found = _stemmed(token)
        if len(_MARKED) >= _MARKED_MOST:  # bounded: a huge import of odd words can't grow it without end
            _MARKED.clear()
        _MARKED[token] = found
    return found


def _stemmed(token: str) -> str:
    for prefix in MARKS:
        if token.startswith(prefix):
            return prefix + stem(token[len(prefix) :])
    return stem(token)


_MARKED: dict[str, str] = {}
_MARKED_MOST = 100_000


def words(text: str) -> list[str]:
    """Plain tokens of a normalised text, contractions opened, not stemmed or marked."""
    return _open_contractions(_WORD.findall(text))


def _tokens(raw: str) -> tuple[list[str], frozenset[int], list[str]]:
    """Tokens with contractions opened, which ones start a new clause, and `raw` cut into gaps and words."""
    split = _WORD_AND_GAPS.split(raw)
    found = split[1::2]
    gaps = split[::2]  # what lies before, between and after the words: gaps[k] just before found[k]
    if "'" not in raw and _OPENED.keys().isdisjoint(found):
        tokens = found  # nothing to open: each word is one token (most sentences)
        breaks = {k for k in range(1, len(found)) if gaps[k] != " " and _CLAUSE_BREAK.search(gaps[k])}
        return tokens, frozenset(breaks), split
    tokens = []
    breaks = set()
    for k, token in enumerate(found):
        # one space, by far the most usual gap, breaks nothing
        if k and gaps[k] != " " and _CLAUSE_BREAK.search(gaps[k]):
            breaks.add(len(tokens))
        opened = _OPENED.get(token)
        if opened is None and "'" not in token:
            tokens.append(token)
        else:
            tokens += opened or _opened(token)
    return tokens, frozenset(breaks), split


def _spans(raw: str) -> tuple[tuple[int, int], ...]:
    """Where each of _tokens' tokens was written in `raw` (an opened contraction's words share one)."""
    spans: list[tuple[int, int]] = []
    for found in _WORD.finditer(raw):
        token = found.group()
        opened = _OPENED.get(token)
        if opened is None and "'" not in token:
            spans.append(found.span())
        else:
            spans += [found.span()] * len(opened or _opened(token))
    return tuple(spans)


def _sentence_pieces(part: str) -> list[str]:
    """`_SENTENCE_END.split(part)`, found faster."""
    pieces: list[str] = []
    start = 0
    # The bullet is tried only where the split would try it: at the start, unless a break begins there.
    if part[:1] not in ("\n", ";", "•") and (bullet := _OPENING_BULLET.match(part)) is not None:
        pieces.append("")
        start = bullet.end()
    for found in _BREAK.finditer(part, start):
        at = found.start()
        pieces.append(part[start : at + 1 if part[at] in ".!?" else at])
        start = found.end()
    pieces.append(part[start:])
    return pieces


def sentences(text: str) -> list[Sentence]:
    """Split an entry into sentences ready for scoring."""
    result: list[Sentence] = []
    for part in _QUOTED.split(normalise(text)):
        quoted = part.startswith('"') and part.endswith('"') and len(part) > 1
        for raw in _sentence_pieces(part):
            raw = raw.strip()
            if not raw:
                continue
            tokens, breaks, pieces = _tokens(raw)
            if not tokens:
                continue
            # Most sentences hold no negator and no he, she or they: nothing to mark, no pass to make.
            shaped = tokens if NEGATORS.isdisjoint(tokens) else mark_negation(tokens, breaks)
            if not _OTHERS.isdisjoint(shaped):
                shaped = mark_others(shaped)
            known = _MARKED.get
            marked = [m if (m := known(t)) is not None else _marked(t) for t in shaped]
            result.append(
                Sentence(
                    text=raw,
                    words=tuple(marked),
                    surface=tuple(tokens),
                    looking_back=quoted or _looking_back(raw),
                    changed=_changed(raw),
                    pieces=pieces,
                )
            )
    return result


def features(sentence: Sentence) -> list[str]:
    """Unigrams and bigrams of a sentence, as the model sees them."""
    ws = sentence.words
    grams = list(ws)
    grams += map(" ".join, pairwise(ws))  # each pair joined in C: a third less than formatting each
    if sentence.looking_back:
        grams.append("__looking_back__")
    if sentence.changed:
        grams.append("__changed__")
    return grams
