"""The cue lexicon: phrases that point to a stage, with how strongly, matched negation- and tense-aware.

Written from the project's source material on the three stages (see docs/stages.md). Phrases are matched on
the same stemmed, negation-marked words the model uses, so "I don't feel guilty" does not fire the cue
"feel guilty" (its words become 'not_feel not_guilty'), and a cue in a sentence that looks back ("I used to
...", "a year ago ...") counts for much less than one about now.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .text import Sentence, sentences

LOOKING_BACK_WEIGHT = 0.3
STRONG, MEDIUM, WEAK = 1.6, 0.9, 0.45

# stage -> weight -> phrases. A phrase is written as a person would write it.
CUES: dict[str, dict[float, tuple[str, ...]]] = {
    "recognition": {
        STRONG: (
            "gaslighting",
            "gaslit",
            "gaslighted",
            "gaslighter",
            "am i crazy",
            "am i going crazy",
            "is it me",
            "maybe it is me",
            "maybe i am overreacting",
            "am i overreacting",
            "too sensitive",
            "walking on eggshells",
            "walk on eggshells",
            "trauma bond",
            "trauma bonding",
            "love bombing",
            "love bombed",
            "hoovering",
            "darvo",
            "coercive control",
            "narcissist",
            "narcissistic",
            "narcissism",
            "is this abuse",
            "was it abuse",
            "is this normal",
            "was that normal",
            "red flags",
            "the pattern",
            "a pattern",
            "the cycle",
            "same cycle",
            "doubt myself",
            "doubting myself",
            "my memory",
            "did that really happen",
            "did i imagine",
            "am i imagining",
            "making it up",
            "silent treatment",
            "i started to see",
            "starting to see",
            "starting to notice",
            "i noticed",
            "just realised",
            "just realized",
            "it finally clicked",
            "the penny dropped",
            "something is wrong",
            "something is off",
            "what is wrong with me",
            "i can not trust my own",
            "twisted my words",
            "twists my words",
            "twisted it",
            "rewrote",
            "rewrites",
            "i wrote down what",
            "writing down what",
            "keeping notes",
        ),
        MEDIUM: (
            "manipulate",
            "manipulation",
            "manipulative",
            "controlling",
            "control",
            "confused",
            "confusing",
            "it makes no sense",
            "so confusing",
            "i keep wondering",
            "why does he",
            "why does she",
            "why do they",
            "every time i",
            "always my fault",
            "my fault",
            "blames me",
            "blamed me",
            "apologise",
            "apologize",
            "apologising",
            "apologizing",
            "i read",
            "article",
            "a book about",
            "podcast",
            "forum",
            "reddit",
            "the word for it",
            "there is a word",
            "learning about",
            "validated",
            "validation",
            "believed me",
            "she believed me",
            "he believed me",
            "someone believed me",
            "he said i",
            "she said i",
            "told me i was",
            "tells me i am",
            "crazy",
            "walking on",
            "tiptoe",
            "tiptoeing",
            "on edge",
            "his moods",
            "her moods",
            "mood swings",
            "jealous",
            "isolated me",
            "cut me off from",
            "checks my phone",
            "checked my phone",
            "money",
            "allowance",
            "was it really",
            "maybe i deserved",
            "i must have",
            "overreacting",
            "sensitive",
            "not normal",
            "unhealthy",
            "toxic",
            "abusive",
            "abuse",
            "explode",
            "exploded",
            "blow up",
            "blew up",
            "honeymoon",
            "sweet again",
            "nice again",
        ),
        WEAK: (
            "why",
            "confusion",
            "wonder",
            "figure out",
            "understand",
            "understanding",
            "realise",
            "realize",
            "notice",
            "noticing",
            "question",
            "questioning",
            "recognise",
            "recognize",
            "signs",
        ),
    },
    "acceptance": {
        STRONG: (
            "grief",
            "grieve",
            "grieving",
            "mourning",
            "mourn",
            "heartbroken",
            "heartbreak",
            "cried",
            "crying",
            "sobbed",
            "sobbing",
            "tears",
            "wept",
            "the lost years",
            "wasted years",
            "years i lost",
            "never apologise",
            "never apologize",
            "will never apologise",
            "will never apologize",
            "never get an apology",
            "no closure",
            "closure",
            "will never change",
            "is not going to change",
            "never going to change",
            "forgive myself",
            "forgiving myself",
            "let myself feel",
            "let myself cry",
            "letting myself feel",
            "feel it",
            "sit with it",
            "sat with",
            "numb",
            "so angry",
            "rage",
            "furious",
            "ashamed",
            "shame",
            "guilt",
            "the person i thought",
            "who i thought he was",
            "who i thought she was",
            "it was not my fault",
            "not my fault",
            "support group",
            "the group",
            "my therapist said",
            "in therapy",
            "therapy today",
            "session today",
        ),
        MEDIUM: (
            "sad",
            "sadness",
            "grieved",
            "angry",
            "anger",
            "hurt",
            "hurts",
            "pain",
            "painful",
            "loss",
            "lost",
            "miss him",
            "miss her",
            "miss them",
            "missing him",
            "missing her",
            "lonely",
            "loneliness",
            "empty",
            "trigger",
            "triggered",
            "flashback",
            "flashbacks",
            "nightmare",
            "nightmares",
            "bad day",
            "hard day",
            "exhausted",
            "broke down",
            "fell apart",
            "accept",
            "accepting",
            "acceptance",
            "letting go",
            "let go",
            "it is over",
            "mother i needed",
            "father i needed",
            "never had",
            "i wanted so badly",
            "wish things",
            "wish it had",
            "therapist",
            "therapy",
            "counsellor",
            "counselor",
            "session",
            "regret",
            "embarrassed",
            "blame myself",
            "feel guilty",
            "process",
            "processing",
        ),
        WEAK: ("tired", "heavy", "hard", "difficult", "upset", "alone", "ache", "feel", "felt"),
    },
    "recovery": {
        STRONG: (
            "held my boundary",
            "held the boundary",
            "kept my boundary",
            "set a boundary",
            "boundaries",
            "boundary",
            "no contact",
            "grey rock",
            "gray rock",
            "blocked his number",
            "blocked her number",
            "blocked him",
            "blocked her",
            "said no",
            "i said no",
            "proud of myself",
            "so proud",
            "i am proud",
            "new routine",
            "my routine",
            "signed up",
            "enrolled",
            "new job",
            "promotion",
            "my own place",
            "my own flat",
            "my own apartment",
            "moved into",
            "i trust myself",
            "trust my gut",
            "trusting myself",
            "self care",
            "self-care",
            "feel like myself",
            "myself again",
            "the old me back",
            "who i am now",
            "i am free",
            "feel free",
            "freedom",
            "helping others",
            "help someone",
            "volunteer",
            "volunteering",
            "mentor",
            "mentoring",
            "rebuilding",
            "rebuild",
            "new friends",
            "a new friend",
            "healthy relationship",
            "my plans",
            "making plans",
            "goals",
            "my goal",
            "i deserve",
            "did not reply",
            "did not respond",
            "did not answer",
            "deleted his",
            "deleted her",
            "no longer",
            "do not need his",
            "do not need her",
            "my life now",
            "joy",
            "laughed",
        ),
        MEDIUM: (
            "class",
            "course",
            "pottery",
            "painting",
            "choir",
            "garden",
            "gardening",
            "yoga",
            "gym",
            "run",
            "running",
            "ran",
            "hike",
            "hiking",
            "swim",
            "swimming",
            "cook",
            "cooked",
            "baked",
            "hobby",
            "learning to",
            "started",
            "starting",
            "new",
            "plan",
            "plans",
            "future",
            "excited",
            "looking forward",
            "confident",
            "confidence",
            "strong",
            "stronger",
            "peace",
            "at peace",
            "feel safe",
            "feel strong",
            "free",
            "peaceful",
            "calm",
            "happy",
            "happier",
            "lighter",
            "grateful",
            "gratitude",
            "celebrate",
            "celebrated",
            "treated myself",
            "for myself",
            "my own",
            "independent",
            "choose",
            "chose",
            "decided",
            "decision",
            "promise to myself",
            "took myself",
            "weekend away",
            "trip",
            "holiday",
            "friends",
            "laugh",
            "smile",
            "smiled",
        ),
        WEAK: ("today i", "myself", "better", "good", "enjoy", "enjoyed", "fun", "bright", "sunny"),
    },
}


class Cue(NamedTuple):
    phrase: str
    stage: str
    weight: float


class Hit(NamedTuple):
    """A cue that fired in a sentence, with the weight it counted for there and where it was written."""

    cue: Cue
    weight: float
    at: int = 0  # the position of its first word in the sentence
    size: int = 1  # how many words it spans there


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, ...], Cue], int]:
    """Cues keyed by their stemmed word sequence; a phrase listed twice keeps its strongest weight."""
    index: dict[tuple[str, ...], Cue] = {}
    listed = [
        (stage, weight, p)
        for stage, by_weight in CUES.items()
        for weight, ps in by_weight.items()
        for p in ps
    ]
    # One line each, read in one pass: half the time of reading each phrase alone (2 ms of every save). A
    # phrase that isn't one sentence would misalign the lines, so then each is read alone.
    together = sentences("\n".join(phrase for _, _, phrase in listed))
    if len(together) == len(listed):
        keys = [sentence.words for sentence in together]
    else:
        keys = [parsed[0].words if (parsed := sentences(phrase)) else () for _, _, phrase in listed]
    for (stage, weight, phrase), key in zip(listed, keys, strict=True):
        known = index.get(key)
        if key and (known is None or known.weight < weight):
            index[key] = Cue(phrase=phrase, stage=stage, weight=weight)
    longest = max(len(k) for k in index)
    return index, longest


@lru_cache(maxsize=1)
def _starts() -> dict[str, tuple[int, ...]]:
    """For each word a cue starts with, the lengths of the cues starting with it, longest first."""
    sizes: dict[str, set[int]] = {}
    for key in _index()[0]:
        sizes.setdefault(key[0], set()).add(len(key))
    return {word: tuple(sorted(found, reverse=True)) for word, found in sizes.items()}


def match(sentence: Sentence) -> list[Hit]:
    """Cues in one sentence, longest match first at each position, without overlaps."""
    index = _index()[0]
    starts = _starts()
    words = sentence.words
    count = len(words)
    factor = LOOKING_BACK_WEIGHT if sentence.looking_back else 1.0
    hits: list[Hit] = []
    at = 0
    while at < count:
        # Only the lengths of cues that start with this word are tried (most words start none), longest first.
        for size in starts.get(words[at], ()):
            if size > count - at:
                continue
            cue = index.get(words[at : at + size])
            if cue is not None:
                hits.append(Hit(cue=cue, weight=cue.weight * factor, at=at, size=size))
                at += size
                break
        else:
            at += 1
    return hits


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """Every cue once, in a fixed order (the strongest listing of a phrase written twice)."""
    return tuple(sorted(_index()[0].values(), key=lambda c: c.phrase))
