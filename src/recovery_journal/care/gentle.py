"""The gentle check: do an entry's words suggest the writer may be thinking of ending their life or harming
themselves, or is in danger from someone now? Then, after the save, one calm line offers support.

Phrases, not single words: each cue is a short pattern read in the writer's own clause, and a cue doesn't count
when it is negated ("I would never hurt myself"), said of someone else ("my friend self-harms"), quoted from
someone else, figurative ("killing it at work"), or clearly over ("two years ago I wanted to die"). A threat
from someone else to the writer counts, quoted or not. Nothing here is stored or logged; docs/care.md says
what it looks for and what it is not (not a diagnosis, not monitoring).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from .needles import NEEDLES_FILE, Book, Lazy

# heavy: the learned weights, not one cue, found it; urgent: self-harm under way or about to be (an overdose
# taken, a time set), which gets the emergency number as danger does
Kind = Literal["self_harm", "danger", "heavy", "urgent", "unsure"]

# Most patterns are compiled only for an entry that could match them (needles.py): a `write` needn't pay ~45 ms
# compiling patterns its words can't reach.
BOOK = Book(json.loads(Path(__file__).with_name(NEEDLES_FILE).read_text(encoding="utf-8")))

MIN_WORDS_FOR_WEIGHTS = 12  # shorter entries are read by the cue patterns alone
# The danger weights need a little more: on one sentence ("I ate the whole packet of biscuits and honestly I
# regret nothing") they read a figure of speech as a threat. Every danger they caught on the held-out sets that
# no cue did had 18 words or more but one.
MIN_WORDS_FOR_DANGER_WEIGHTS = 16
HEAVY_MOOD = 2  # mood at or below this, on HEAVY_COUNT of the last HEAVY_WINDOW entries within a week
HEAVY_COUNT = 3
HEAVY_WINDOW = 5


class Concern(NamedTuple):
    kind: Kind
    cue: str  # the words that matched, for tests and bench/gentle.py; never stored or shown


# --- reading the text -------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
# Contractions typed without an apostrophe, and a few common misspellings of the words that matter.
_REPAIRS = {
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "im": "i'm",
    "ive": "i've",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "hes": "he's",
    "theyre": "they're",
    "theyll": "they'll",
    "hed": "he'd",
    "youre": "you're",
    "thats": "that's",
    "itll": "it'll",
    "ill": "i'll",
    "id": "i'd",
    "wanna": "want to",
    "gonna": "going to",
    "kinda": "kind of",
    "u": "you",
    "ur": "your",
    "dissapear": "disappear",
    "dissappear": "disappear",
    "disapear": "disappear",
    "suicidel": "suicidal",
    "sucidal": "suicidal",
    "suicdal": "suicidal",
    "suicidial": "suicidal",
    "sucide": "suicide",
    "suiside": "suicide",
    "kms": "kill myself",
    "unalive": "kill",
    "anymore": "anymore",
    "any more": "anymore",
    "myslef": "myself",
    "mysef": "myself",
    "myelf": "myself",
    "wnat": "want",
    "dieing": "dying",
    "tonite": "tonight",
    "folowing": "following",
    "followin": "following",
    "teh": "the",
    "realy": "really",
    "comming": "coming",
    "havent": "haven't",
    "hasnt": "hasn't",
    "arent": "aren't",
    "shes": "she's",
    "whats": "what's",
    "theres": "there's",
    "werent": "weren't",
    "threatend": "threatened",
    "thretened": "threatened",
    "strangeled": "strangled",
}
# "ill" and "id" are words too: only repaired where a contraction fits ("ill be gone", "id rather").
_ONLY_BEFORE = {
    "ill": re.compile(r"^(be|never|just|kill|end|do|go|die|disappear|make)$"),
    "id": re.compile(r"^(be|rather|never|just|like|kill|end|do|go|die)$"),
}


def normalise(text: str) -> str:
    """Lower-case, straight quotes, contractions repaired, whitespace collapsed."""
    # spaces collapsed first, so "any  more" or "any" and "more" on two lines read as "anymore" too
    words = " ".join(text.translate(_APOSTROPHES).lower().split()).replace("any more", "anymore").split()
    out = []
    for i, word in enumerate(words):
        core = word.strip('.,!?;:"()[]')
        nxt = words[i + 1].strip('.,!?;:"()[]') if i + 1 < len(words) else ""
        fixed = _REPAIRS.get(core)
        if fixed and (core not in _ONLY_BEFORE or _ONLY_BEFORE[core].match(nxt)):
            word = word.replace(core, fixed, 1)
        out.append(word)
    return " ".join(out)


_QUOTED = re.compile(r'"[^"]{1,300}"')
_CLAUSE_SPLIT = re.compile(r"[.!?;\n]+|,\s*(?:but|and now|though|although|yet)\b|\s(?:but|although|though)\s")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _clauses(sentence: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(sentence) if c and c.strip()]


# --- what is not the writer's own present ------------------------------------------------------------------

# A negation reaches the cue unless a comma or the writer as a new subject comes between: "no one cares and I
# want to die", "I don't know why I want to die" and "no matter what I do I want to die" are not negated.
_NEGATED = BOOK(
    r"\b(never|not|no longer|don't|do not|doesn't|does not|didn't|did not|wouldn't|would not|won't|will not|"
    r"isn't|aren't|"
    r"wasn't|haven't|hasn't|no|nor|without|stopped|quit|nobody|no one|nothing|(?:days?|weeks?|months?|years?) "
    r"(?:free|clean) (?:of|from))\b(?:(?!\b(?:i|i'm|i've|i'd|i'll)\b)[^,:]){0,30}$"
)
_DISTANT_PAST = BOOK(
    r"\b(used to|years ago|a year ago|\w+ months ago|months ago|back then|(?<!going )(?<!go )(?<!coming )(?<!come )"
    r"back when|in the past|at the time|"
    r"once upon|when i was (?:younger|little|a kid|a child|a teen|a teenager|\d+|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|in school|at school|with him|"
    r"with her|with them|married)|last year|that year|years back|for years i|in my twenties|in my teens|"
    r"long ago|a long time ago|before i left|before i got help|since then|those days|that time|"
    r"(?:years|months|a year|a decade|weeks) (?:since|clean|free)|since (?:he|she|they) last|"
    r"(?:in|was|until|since) (?:19|20)\d\d|in (?:prison|jail)|locked up|injunction worked|"
    r"order worked|moved (?:away|abroad|to another)|another country|first (?:months|year|weeks) after|"
    r"it's faded|it faded|that passed|it passed|that's behind me|when i lived with|when we lived together|"
    r"when we were together|when i was with (?:him|her|them)|once (?:threatened|tried|hit|choked|said|told|"
    r"pushed|followed)|(?:session|therapy|emdr|group|appointment) (?:today |tonight )?(?:was|is) about|"
    r"about the (?:night|time|day) (?:he|she|they))\b"
)
# "two years ago today" is an anniversary, unless the words after it are about now ("...and I want to die")
_STILL_NOW = BOOK(
    r"\b(?:again|still|lately|right now|these days|this week|(?<!ago )(?:today|tonight))\b|\bago (?:today|tonight)\b(?=[^.!?]*\b(?:i'm|am|is|are|i've|have|has|i'll|will|want|wants|feel|feels|need|needs|don't|doesn't|can't|won't|just|now|he's|she's|they're|it's|he'll|she'll|they'll|i'd|wish|wishing|could|can|keep|keeps|should|would|there's|rather|(?:minutes?|hours?|an hour) ago|every (?:night|day|morning|week)|(?:he|she) (?!was\b)\w+s|yesterday|last night|this morning|on (?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:and|but|so) (?:then )?(?:he|she|they|his|my ex)\b(?! (?:was|were|died|passed|left)\b)|(?:(?:and|so) (?:then )?|, )i (?:just )?(?:took|swallowed|downed|overdosed|cut|injected|necked)\b)\b)"
)
_FIGURATIVE = BOOK(
    r"\b(killing it|killed it|kill it at|dying to|died laughing|dying laughing|die laughing|to die for|"
    r"murder an? \w+|kill for an?|killing time|kill time|dead tired|dead on my feet|killing me softly|"
    r"(?:job|commute|heat|week|traffic|shoes|back|feet|hangover|suspense|boss|cold|wait|queue|exam|exams|"
    r"homework|workload|deadline|deadlines|meeting|meetings|kids|baby|teething|cough|knee|neck|head|"
    r"headache|migraine|stairs|gym|workout|run|hike|class|project|noise|mortgage|bills|prices) (?:is|are|was|"
    r"were) (?:literally |actually |honestly |slowly )?(?:killing|going to kill|gonna kill) me|"
    r"rather die than|(?:will|'ll|gonna|going to) kill me (?:only|one day|this week|before)|"
    r"dead (?:chuffed|pleased|proud|keen|excited|jealous|lucky|easy|funny|good|nice|cute|posh|trendy)|"
    r"could kill myself for|kick myself|kicking myself|laughed? (?:myself )?to death|bored to death|"
    r"scared (?:me )?to death|worried sick|dead ?line|drop dead|dead end|over my dead body|"
    r"killer (?:workout|view|heels|app|idea|song)|die of (?:embarrassment|shame|boredom)|"
    r"i nearly died|i almost died (?:laughing|of)|dying of (?:embarrassment|boredom|laughter|thirst|heat))\b"
)
_OTHER_SUBJECT = BOOK(
    r"\b(he|she|they|his|her|their|my (?:friend|sister|brother|mum|mom|dad|father|mother|son|daughter|"
    r"cousin|aunt|uncle|client|colleague|coworker|neighbour|neighbor|partner|ex|husband|wife|boyfriend|"
    r"girlfriend)|someone|somebody|people|patient|patients|client|clients|student|a (?:woman|man|girl|boy|member|friend)|the (?:character|film|movie|"
    r"book|show|episode|podcast|song|article|speaker|author|woman|man|girl|guy))\b"
)
# Someone asking about it, or a story on a screen or page: not the writer's own words about now.
_ASKED = BOOK(
    r"\b(?:asked|asking|asks|ask me|asked me|questions? about|screening|questionnaire|form asked)\b"
    r"[^.]{0,30}\b(?:if|whether|about|how|what)\b"
)
_MEDIA = BOOK(
    r"\b(?:documentary|true crime|novel|podcast|protagonist|storyline|lyrics|the character|a character|"
    r"(?:the|a|this|that|watching|watched|watch|tv|netflix|reading|read) (?:show|film|movie|episode|series|"
    r"play|book|doc|drama|article|poem|chapter|news story))\b"
)
_FIRST_PERSON = BOOK(r"\b(i|i'm|i've|i'd|i'll|me|my|myself)\b")
# A dream told: "the dream where he's at the door again" is not someone at the door. (A nightmare that woke the
# writer to someone really there says so in a sentence of its own.)
_DREAMT = BOOK(
    r"(?:\b(?:dream|dreamt|dreamed|nightmare)s?(?: again)? (?:where|that|about|in which|i was)\b|\bin (?:my|the|a|that) "
    r"(?:dream|nightmare)s?\b|\b(?:from|had) (?:a|the|that|another) (?:\w+ )?(?:dream|nightmare)\b)(?![^.]{0,80}\b(?:woke "
    r"up|wake up|waking up|right now|now|for real|actually|really|not a dream|(?:isn't|wasn't) a dream|this time "
    r"it's real)\b)"
)


def _writers_own(clause: str, start: int) -> bool:
    """Whether what begins at `start` in the clause is said by the writer of themselves (a diary's "Want to
    die." leaves out the I: no other subject before it counts as the writer)."""
    before = clause[max(0, start - 60) : start]
    last_first = max((m.end() for m in _FIRST_PERSON.finditer(before)), default=-1)
    last_other = max((m.end() for m in _OTHER_SUBJECT.finditer(before)), default=-1)
    return last_first >= last_other


# --- the cues -------------------------------------------------------------------------------------------

# (pattern, negatable, needs the writer as subject)
# Self-harm cues said as often of a relationship, a job or a move as of a life ("I'm ending it", "gave away my
# things"): read, and answered with the thank-you, not the line that names ending your life (line_for). Their
# false alarms on ordinary writing are the check's most common. ("Last entry" and "it's goodbye" leave out a full
# notebook, the end of the year, a job: what is left of them is a farewell.)
_ENDING_IT = r"\b(?:i'm|i am|im) (?:just )?ending it(?: all)?(?: (?:tonight|now|today))?$"
_ENDING_IT_ALL = (
    r"\b(?:i'm|i am|im) (?:just )?ending it all (?:tonight|tn|2nite|now|right now|today|tomorrow)\b(?! with (?:him|"
    r"her|my (?:ex|partner|boyfriend|girlfriend|husband|wife)))"
)
_ITS_GOODBYE = (
    r"\b(?:this is|it's) (?:my )?(?:goodbye|the end for me|my last entry)\b(?! (?:in|of) (?:this|the) "
    r"(?:notebook|book|diary|journal)\b[^.]{0,40}\b(?:full|new one|next one|run out)| (?:before (?:the|my|a|our|"
    r"bed|work|school|we)|until|till|for (?:a while|now|this year|the year|a bit|today)|of the (?:year|month|week)|"
    r"to (?:the|this|that|our) |to my (?:old )?(?:job|flat|house|car|office|desk|team|colleagues|twenties))\b)"
)
_SAID_GOODBYES = (
    r"^(?:so |and )?(?:i've |i have |i |ive )?(?:said|made) (?:all )?my goodbyes(?: now| already| tonight| "
    r"today)?$"
)
_LAST_ENTRY = (
    r"\b(?:my )?last entry\b(?! (?:in|of) (?:this|the) (?:notebook|book|diary|journal)\b[^.]{0,40}\b(?:full|"
    r"new one|next one|run out)| (?:before (?:the|my|a|our|bed|work|school|we)|until|till|for (?:a while|now|this "
    r"year|the year|a bit|today)|of the (?:year|month|week)|of (?:19|20)\d\d)\b)"
)
_GAVE_AWAY = r"\b(?:giv(?:e|ing|en|ve)|gave) away (?:my |all my )?(?:things|stuff|belongings|possessions|cat|dog|plants)\b"
# ...unless the entry also names the means, or says goodbye or that this is the night
_SAID_PLAINLY_TOO = BOOK(
    r"\b(?:rope|noose|pills|tablets|blade|razor|gun|overdose|bridge|cliff|tonight is the night|tonight's the "
    r"night|tonights the night|this is it|goodbye|forgive me)\b|(?:^|[.!?]\s*)tonight[.!]*(?:$|\s)"
)
_UNSURE = frozenset({_ENDING_IT, _ENDING_IT_ALL, _GAVE_AWAY})


_SELF: tuple[tuple[Lazy, bool, bool], ...] = tuple(
    (BOOK(p), negatable, own)
    for p, negatable, own in (
        # wanting not to be alive, said many ways
        (
            r"\b(?:want|wanted|wish|wished|wishing|long|longing|ready|rather|prefer|would like|hoping|hope) "
            r"(?:to |i(?: could| would|'d)? )?(?:just )?(?:die|be dead|not exist|stop existing|not be here|"
            r"not be alive|not wake up|never wake up|sleep forever|sleep and never wake|disappear forever|"
            r"be gone for good|vanish for good|go to sleep and not)",
            True,
            True,
        ),
        (
            r"\bwish i(?: was| were|'d| had) (?:never been born|dead|not here|not alive|gone|never existed|"
            r"not born)",
            True,
            True,
        ),
        (
            r"\bwish i (?:could )?(?:just )?(?:disappear|stop existing|not wake up|never wake up|fall asleep "
            r"(?:and|forever)|go to sleep (?:and|forever)|not exist|vanish)",
            True,
            True,
        ),
        (
            r"\b(?:i )?(?:don't|do not|didn't) want to (?:be alive|live|be here anymore|exist|wake up|go on|"
            r"keep going|carry on|be around anymore|keep living|live anymore|see tomorrow|be on this earth)",
            False,
            True,
        ),
        (r"\bhope i (?:don't|do not|never) wake up", False, True),
        (
            r"\b(?:don't|do not) see (?:the point|a point|any point|a way|any way) (?:in|of)? ?(?:living|going on|"
            r"being alive|carrying on|being here|staying)",
            False,
            True,
        ),
        (
            r"\b(?:can't|cannot|can not) (?:go on|keep going|do this anymore|keep living|live like this|"
            r"carry on anymore|take (?:it|this) anymore)\b(?! with| at| in this| in that| working)",
            False,
            True,
        ),
        (r"\b(?:no|nothing|no reason|nothing left|no one|nobody) (?:left )?to live for\b", True, True),
        (
            r"\bno (?:point|reason) (?:in )?(?:living|going on|being alive|carrying on|staying alive|being here)",
            True,
            True,
        ),
        (r"\b(?:life|living) (?:isn't|is not|isnt|ain't) worth (?:it|living)\b", False, False),
        (r"\bnot worth living\b", False, False),
        (
            r"\b(?:be|are|would be|'d be) better off (?:without me|if i (?:was|were|wasn't|weren't) (?:gone|dead|"
            r"here|around|alive)|with me gone|once i'm gone)",
            True,
            False,
        ),
        (
            r"\b(?:just )?(?:a |such a |the )?burden (?:to|on|for) (?:everyone|everybody|them|my \w+|the people)",
            True,
            True,
        ),
        (
            r"\b(?:want|need|wish) (?:it|everything|this|the pain) (?:all )?to (?:stop|end|be over)\b",
            True,
            True,
        ),
        (r"\bwant it all to (?:stop|end|be over)", True, True),
        (
            r"\b(?:want|going|plan|planning|ready|tempted|urge|thinking about|thought about|think about|"
            r"thinking of|thought of|feel like|felt like|could|might|will|'ll|decided|trying) (?:to )?"
            r"(?:kill|killing|end|ending|hurt|hurting|harm|harming|cut|cutting|burn|burning|off) "
            r"(?:myself|my life|it all|everything)",
            True,
            True,
        ),
        (r"\b(?:kill|killing|off|offing) myself\b", True, False),
        (r"\b(?:shoot|shooting) myself\b(?! in the (?:foot|feet))", True, False),
        (r"\bend (?:my life|it all|my own life|things for good|everything)\b", True, True),
        # "I'm ending it." with nothing after it: about a relationship too, so it gets the thank-you (_UNSURE)
        (_ENDING_IT, True, True),
        (_ENDING_IT_ALL, True, True),  # "ending it all" with a time: as often the lease or him (_UNSURE)
        (r"\btake my (?:own )?life\b", True, False),
        (
            r"\b(?:cut|cutting|burned|burnt|burning|hurt|hurting|harmed|harming|scratched|scratching|hit|hitting|"
            r"punched|punching) (?:myself|my (?:arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|stomach))\b"
            r"[^.]{0,40}\b(?:again|on purpose|deliberately|to feel|to cope|so i could feel|until|when|because)\b",
            True,
            False,
        ),
        (r"\bself[- ]?harm(?:ed|ing)?\b", True, True),
        (
            r"\b(?:relapsed|slipped|urge|urges|craving) [^.]{0,25}\b(?:cutting|self[- ]?harm|the blade|the razor)",
            True,
            True,
        ),
        (
            r"\b(?:i'm|i am|feeling|felt|feel|been|getting|having|have|had) (?:really |so |very |quite |pretty |"
            r"a bit |kind of |a little )?suicidal\b",
            True,
            True,
        ),
        (r"\bsuicidal (?:thoughts|feelings|ideas|urges)\b", True, True),
        (
            r"\bthoughts (?:of|about) (?:suicide|killing myself|ending it|ending my life|dying|not being here)",
            True,
            True,
        ),
        (
            r"\b(?:how many|enough|count(?:ed|ing)?(?: out)?|saving|saved|stockpil\w*|hoard\w*|collect\w*) "
            r"(?:up )?(?:all |\d{2,} )?(?:of )?(?:my |the )?(?:pills|tablets|meds|medication|painkillers|sleeping pills|"
            r"paracetamol|tylenol|sertraline|citalopram|fluoxetine|mirtazapine|quetiapine|amitriptyline|zopiclone|"
            r"diazepam|tramadol|co-codamol|codeine)\b(?![^.]{0,80}\b(?:holiday|trip|packed|hand luggage|organi[sz]er|dosette|pill ?box|blister|for "
            r"the week|weekly|for when|in case|for my (?:back|knee|period|migraine|head|tooth)|take back|return|pharmacy|"
            r"chemist|refill|repeat|prescription|gp|doctor|into|with "
            r"(?:my|the|a) (?:nurse|carer|pharmacist|partner|mum|mom|husband|wife|support worker)|ward|patients?)\b)",
            False,
            True,
        ),
        (r"\boverdos(?:e|ing|ed)\b", True, True),
        (
            r"\b(?:bridge|cliff|ledge|rooftop|roof|tracks|train line|motorway|overpass|edge)\b[^.]{0,40}"
            r"\b(?:jump|looks different|look different|keep looking|kept looking|keep thinking|thinking about|"
            r"pull me|pulling me|calling me|so easy|would be easy|just step|how it (?:would|might|will) feel(?! to))",
            False,
            True,
        ),
        (
            r"\b(?:jump|jumping|step|stepping) (?:off|in front of|from) (?:a |the )?(?:bridge|roof|train|bus|"
            r"building|cliff|car|truck|ledge|balcony)",
            True,
            True,
        ),
        (r"\b(?:rope|noose)\b[^.]{0,30}\b(?:bought|tied|ready|hang|hanging|garage|beam)", False, False),
        (r"\bhang(?:ing)? myself\b", True, False),
        # a second walk-through's review: the means made ready, affairs put in order, goodbyes not named as such
        (
            r"\bbought (?:a |some )?(?:rope|noose)\b(?! for\b| to (?:tie|hang (?:the|a|my) (?:washing|hammock|swing|"
            r"plants|lights))\b)(?![^.]{0,40}\b(?:climbing|climb|boat|sailing|camping|tent|swing|washing|garden|dog|"
            r"tow|hammock|gym|harness|toy|puppy|kitten|cat)\b)",
            True,
            True,
        ),
        (
            r"\b(?:popped|pushed) (?:out )?(?:every|all)\b[^.]{0,40}\bout of (?:the|their|its) (?:blister|packet|pack)s?\b|"
            r"\bemptied (?:every |all (?:the |my )?|the )(?:box|boxes|packet|packets|bottle|bottles|pack|packs)\b[^.]{0,40}"
            r"\binto (?:a|one|my) (?:bowl|pile|cup|glass|hand|jar|mug)\b",
            True,
            True,
        ),
        (
            r"\b(?:got|get|getting|have|put|laid) (?:my |the |all my |all the )?(?:pills|tablets|meds|medication|painkillers|sleeping pills|paracetamol|tylenol|panadol|nurofen|sertraline|citalopram|fluoxetine|mirtazapine|quetiapine|amitriptyline|zopiclone|diazepam|tramadol|co-codamol|codeine|lithium|insulin) and (?:the|a|my) "
            r"(?:whisky|whiskey|vodka|wine|gin|rum|bottle|booze) out\b",
            True,
            True,
        ),
        (
            r"\b(?:keeping|saving|putting|hiding|stashing|stockpiling|kept|saved|put|hid|stashed)\b[^.]{0,60}\binstead "
            r"of taking (?:it|them)\b(?! (?:to|back|out|home|round|down|off|in)\b)|\b(?:not taking|stopped taking|skipping|been skipping) my [a-z-]+\b[^.]{0,60}"
            r"\b(?:keeping|saving|hiding|stashing) them\b(?![^.]{0,40}\b(?:pharmacy|chemist|take (?:them )?back|"
            r"return|doctor|gp)\b)",
            True,
            True,
        ),
        (
            r"\bwill (?:is|'s) (?:signed|done|sorted)\b[^.]{0,40}\b(?:insurance|passwords|papers|pin|funeral)\b|\b(?:all "
            r"my|"
            r"my bank|bank) "
            r"(?:passwords|logins|log-ins|details|pins?)\b[^.]{0,60}\b(?:envelope|fridge|after|when i'm gone|hassle)\b|"
            r"\blife insurance\b[^.]{0,80}\b(?:so (?:they|she|he|\w+) (?:find|finds|can find|will find)|pay off|"
            r"they'll be (?:ok|okay|fine|covered))",
            False,
            True,
        ),
        (
            r"\b(?:i )?(?:won't|wont|will not) be (?:there|here|around) to (?:see (?:them|her|him|it|the kids|the girls|"
            r"the boys|my \w+) grow up|say it in person|watch (?:them|her|him) grow)\b",
            True,
            True,
        ),
        (
            r"\bit was (?:a |my )?goodbye,? even (?:if|though) (?:she|he|they) (?:didn't|did not|didnt|doesn't|don't) "
            r"(?:know|realise|realize)\b",
            False,
            True,
        ),
        (
            r"\b(?:the )?last time (?:i'll|ill|i will|i'm going to|im going to) (?:ever )?write (?:in )?(?:here|this)\b"
            r"(?! (?:this|for a|for the|before|until|till)\b)",
            True,
            True,
        ),
        (r"\btomorrow (?:isn't|isnt|is not) something i (?:have to|need to) worry about\b", True, True),
        (
            r"\b(?:going|go|coming) back (?:there )?(?:tonight|when it's dark|when its dark|later|tomorrow)\b[^.]{0,30}"
            r"\bnot coming (?:home|back|down)\b",
            True,
            True,
        ),
        (
            r"\b(?:that's|thats|that is) (?:tonight's|tonights|tonight) plan\b(?!\s+(?:for|with|to)\b)|\btonight feels "
            r"like the night(?=\s*(?:[.!?,]|$))",
            True,
            True,
        ),
        (
            r"\b(?:another|one more|a few more|two more) (?:week|weeks|day|days|month|months) and (?:i'll|ill|i will) "
            r"have enough\b(?! (?:for|to|money|saved|cash|points|left over)\b)",
            True,
            True,
        ),
        (
            r"\b(?:bridge|cliff|edge|roof|rooftop|car park|multi-storey|tracks|quarry)\b[^.]{0,40}\bno (?:cameras|"
            r"cctv)\b",
            False,
            True,
        ),
        (
            r"\b(?:wrote|writing|written|write|left|leaving|drafted|drafting) (?:a |my |some |the )?(?:goodbye|"
            r"suicide|farewell|last|final) (?:note|notes|letter|letters|message|messages)(?! to (?:my )?(?:abuser|ex|"
            r"him|her|the house|my old)\b)(?![^.]{0,40}\b(?:therapy|homework|therapist|counsellor|not to send|unsent|"
            r"never (?:to )?send)\b)",
            True,
            True,
        ),
        (
            r"\b(?:wrote|writing|written|left|recorded) (?:letters?|notes?|messages?|videos?) (?:to|for) "
            r"(?:my |the )?(?:kids|children|family|mum|mom|parents|son|daughter|partner|sister|brother|friends)\b"
            r"[^.]{0,40}\b(?:just in case|in case|for after|when i'm gone|for when|if anything happens|(?:they'll|"
            r"they will|she'll|he'll) (?:find|read|open) (?:them|it)\b(?! (?:on|at) (?:her|his|their) (?:birthday|"
            r"wedding|graduation))|for them to (?:find|read|open))",
            False,
            True,
        ),
        (_GAVE_AWAY, True, True),
        (
            r"\b(?:saying|said|say) (?:my )?goodbyes?\b[^.]{0,30}\b(?:for good|for the last time|forever|to "
            r"everyone|in my head|one last|without (?:anyone|anybody|them|her|him) (?:realising|realizing|knowing|"
            r"noticing))",
            True,
            True,
        ),
        (_ITS_GOODBYE, True, True),
        # a note left to be found ("By the time you read this I'll be gone.")
        (
            r"\bby the time (?:you|anyone|someone|somebody|they|mum|mom|dad) (?:read|reads|find|finds|see|sees) "
            r"(?:this|these|it)\b(?![^.]{0,40}\b(?:i'll be (?:home|back|at|in|on|asleep|there)|we'll|landed|"
            r"arrived)\b)",
            False,
            True,
        ),
        # goodbyes said, and nothing about to whom or where ("I've said my goodbyes. Tonight it ends.")
        (_SAID_GOODBYES, True, True),
        # no one left to miss them: a burden said another way
        (
            r"\b(?:no ?one|nobody|no-one)(?:'ll| will| would|'d)? (?:even |really |ever )?(?:miss me|notice (?:i'm|"
            r"i am|im) gone)(?: (?:when|if|once) i'm (?:gone|dead|not here))?(?: anyway)?$",
            True,
            True,
        ),
        (
            r"\b(?:won't|will not|might not|may not) be (?:around|here|alive) (?:much longer|for long|tomorrow|"
            r"by|next|to see|anymore|for much)",
            True,
            True,
        ),
        (r"\b(?:affairs in order|my will is done|sorted my will|updated my will)\b", False, True),
        (
            r"\b(?:looked|looking|look|searched|searching|googled|googling|research(?:ed|ing)?) (?:up )?"
            r"(?:ways|how|methods|the best way|painless ways) (?:to )?(?:die|end it|kill|overdose|to die|"
            r"of dying|many|much)",
            False,
            True,
        ),
        (r"\b(?:disappear|vanish) (?:and|so) (?:never|not) (?:come back|be found|have to)", True, True),
        (
            r"\b(?:everyone|everybody|they|my family|my kids|the world)(?:'d| would)? be (?:better|happier|fine|"
            r"okay|ok) (?:off )?without me\b",
            True,
            False,
        ),
        (r"\bnot wake up\b[^.]{0,20}\b(?:tomorrow|in the morning|again|at all|ever)", True, True),
        (
            r"\b(?:tired|sick|exhausted) of (?:living|being alive|existing|life itself|being here|breathing)\b",
            True,
            True,
        ),
        (r"\bwhat'?s the point of (?:living|being alive|going on|anything|me|it all)\b", True, True),
        # thinking about it, and how
        (
            r"\b(?:think|thought|thinking|considering|consider|considered|picturing|picture|imagining|imagine|"
            r"planning|planned|plan|fantasi[sz]ing|obsessing)\b[^.]{0,12}\b(?:about |of )?(?:suicide|ending (?:it|"
            r"things|my life|everything|it all)|taking my (?:own )?life|killing myself|how i'd do it|how to do it|"
            r"how i would do it|dying|my funeral|not being here|not existing)",
            True,
            True,
        ),
        (
            r"\b(?:want|wanted|going|need|ready|decided|plan|planning) to end (?:it|things)\b(?! with| off with)",
            True,
            True,
        ),
        (r"\btak(?:e|ing) my (?:own )?life\b", True, False),
        (  # the means, dwelt on: "thinking about the gun in dad's safe every day"
            r"\b(?:thinking|thought|think|obsessing|fixated) (?:about|of) (?:the|his|her|my|dad's|mum's|mom's|a) "
            r"(?:gun|rifle|shotgun|pistol|rope|blade|razor)\b(?! safety| range| club| licen[cs]e| swing| bridge| course)",
            True,
            True,
        ),
        (
            r"\b(?:if i|hope i|pray i|wish i|praying i|hoping i)\b[^.]{0,20}\b(?:didn't|don't|won't|wouldn't|"
            r"never|not|wont) (?:wake up|make it through|make it to|survive|come home|get up)",
            False,
            True,
        ),
        (r"\b(?:die|died|dying) in my sleep\b", True, True),
        (r"\bstop (?:being alive|existing|breathing for good|living)\b", True, True),
        (
            r"\b(?:wouldn't mind|wouldn't be the worst thing|wouldn't care|be relieved|be a relief)\b[^.]{0,40}"
            r"\b(?:hit me|killed me|died|didn't make it|didn't wake|happened to me|wake up|crashed|ran me over|"
            r"gone|dead)",
            False,
            True,
        ),
        (
            r"\bhop(?:e|ing) (?:something|someone|a car|a bus|a lorry|a truck) (?:happens to|hits|kills|runs over) "
            r"me",
            False,
            True,
        ),
        (r"\bdisappear (?:and not|for good|forever|permanently|and never)", True, True),
        (r"\b(?:want|wish|wanting) to (?:rest|sleep) forever\b", True, True),
        (r"\bcheck out[^.]{0,5}\b(?:permanently|for good|forever)", False, True),
        (
            r"\b(?:won't|will not|wont|not going to) be (?:around|here) (?:for|at|by|much|to see|long|next)",
            True,
            True,
        ),
        (r"\b(?:see|seeing) myself (?:being )?(?:around|here|alive) (?:much|for|next|by)", False, True),
        (
            r"\b(?:everything|it all|the world) (?:to )?go(?:es)? dark\b[^.]{0,20}\b(?:stay|forever|for good)",
            False,
            True,
        ),
        (r"\bdone with[^.]{0,30}\bbeing alive\b", False, True),
        (r"\bwon't have to feel (?:any of )?(?:this|anything)\b", False, True),
        (r"\bnot (?:exist|be here|be alive) (?:at all|anymore|any longer)\b", True, True),
        (r"\blet go for good\b", False, True),
        (r"\bready to (?:go|die|let go|leave this world|be done)\b(?! home| out| to| back| for)", True, True),
        # plans and means
        (
            r"\b(?:saving up|saved up|stockpiling|hoarding|counted|counting) (?:my |the |all my )?(?:tablets|pills|"
            r"meds|medication|painkillers)",
            False,
            True,
        ),
        (r"\bthere'?s enough\b", False, True),
        (
            r"\b(?:know|picked|chosen|chose) (?:which|the) (?:bridge|spot|building)\b|\b(?:know|picked|chosen|chose) "
            r"which (?:place|date|day)\b|\b(?:i've|i have) (?:picked|chosen) (?:the|a) (?:place|date|day)\b",
            False,
            True,
        ),
        (r"\bbought (?:a |some )?(?:hose|charcoal|razor blades|blades)\b", False, True),
        (r"\bpicked a date\b", False, True),
        (
            r"\b(?:researching|research|looked up|looking up|searching|googled|googling|reading about) "
            r"(?:methods|ways to die|how to die|lethal|overdose|how much it would take)",
            True,
            True,
        ),
        (r"\b(?:no one|nobody) would find me\b", False, True),
        (r"\bhow i'?d do it\b|\bhow i would do it\b", False, True),
        # "planned it" and "doing it" only where they can't be a party or a habit ("we planned it", "I think I'm
        # doing it" of a calmer way with the kids were both taken for plans to die)
        (
            r"\b(?:i've|i have|i'd|i had) (?:already |finally |properly )?planned it\b|\bplanned it (?:all )?out\b|"
            r"\bgoing to do it (?:this|on|tonight|tomorrow|soon|when)",
            False,
            True,
        ),
        (
            r"\b(?:think|thought|thinking|considering|considered|picturing|imagining|planning|fantasi[sz]ing|"
            r"obsessing) (?:about|of) doing it\b",
            True,
            True,
        ),
        (r"\b(?:using|use) it on myself\b", True, True),
        (r"\bwhere to stand\b|\blet (?:two|the|a) trains? go past\b", False, True),
        (r"\btake (?:all of it|them all|the whole (?:box|bottle|packet|lot)) at once\b", True, True),
        (
            r"\b(?:his|her|my|the) (?:old )?sleeping pills\b[^.]{0,40}\b(?:keep|kept|taking it down|counting|"
            r"staring)",
            False,
            True,
        ),
        # goodbyes
        (_LAST_ENTRY, True, True),
        (
            r"\bgave (?:my |away my )?(?:cat|dog|things|stuff|coat|ring|guitar)\b[^.]{0,60}\b(?:it isn't|for good|"
            r"didn't ask why|won't need)",
            False,
            True,
        ),
        (r"\bgiving (?:my |all my )?(?:things|stuff|belongings|possessions) away\b", False, True),
        (r"\bif (?:someone|anyone|you) (?:reads|find|finds|read) this after\b", False, False),
        (r"\bi won't need (?:them|it|these|my)\b", False, True),
        (r"\b(?:hear|see) their (?:voices|faces) one (?:more|last) time\b", False, True),
        (r"\bwon't be (?:around|here) to\b", True, True),
        (r"\btomorrow it's (?:done|over|the day)\b", False, True),
        (r"\bwhoever finds me\b", False, True),
        (r"\b(?:understand|know) it wasn't (?:their|your|his|her) fault\b", False, True),
        (r"\bsorry[^.]{0,20}\bi (?:just )?couldn't do (?:it|this) anymore\b", False, True),
        # self-harm acts and urges
        (
            r"\b(?:i |i've |i've been )?(?:cut|cutting|cuts)\b (?:again|myself|on my|my (?:arm|arms|wrist|wrists|"
            r"leg|legs|thigh|thighs|stomach)|last night|tonight|deep)",
            True,
            True,
        ),
        (
            r"\b(?:want|wanted|urge|need|needing|thinking about|think about|can't stop thinking about) (?:to )?"
            r"(?:cut|cutting|burn|burning|bleed|hurt|hurting|punish|punishing) (?:tonight|again|myself|my (?:body|"
            r"skin|arm|arms|self)|so bad)?",
            True,
            True,
        ),
        (r"\bsee blood\b|\bwant it to hurt\b|\bwanted (?:it|them) to (?:hurt|be)\b", True, True),
        (r"\bwhat i'll do to myself\b", True, True),
        (r"\b(?:burned|burnt|burn|burning) (?:myself|my skin|my arm)\b", True, True),
        (r"\b(?:hit|hitting|bang|banged|banging) my head (?:against|on)\b", True, True),
        (
            r"\b(?:scratched|scratching|picked|picking|pulled|pulling) (?:at )?(?:my (?:arms|skin|hair)|my hair "
            r"out)\b[^.]{0,30}\b(?:till|until|bled|bleed|bald|hurt|patch)",
            True,
            True,
        ),
        (r"\bwent back to the (?:razor|blade|blades|knife|lighter)\b", False, True),
        (
            r"\b(?:the )?(?:blade|razor|blades)\b[^.]{0,20}\b(?:in my hand|in the car|in the drawer|out again)",
            False,
            True,
        ),
        (r"\bmarks on my (?:wrist|wrists|arm|arms|thigh|thighs|legs?) are from me\b", False, True),
        (r"\bstarv(?:ed|ing|e) myself\b|\bwaste away\b", True, True),
        (
            r"\b(?:punched|punching|hit|hitting|kicked) (?:the )?(?:wall|door|mirror)\b[^.]{0,40}\b(?:on purpose|"
            r"until|till|wanted)",
            True,
            True,
        ),
        (r"\brelapsed\b[^.]{0,30}\b(?:cuts|cut|cutting|blade|razor|burn)|\bnearly relapsed\b", True, True),
        (r"\bstaring at the (?:kitchen )?knife\b", False, True),
        (
            r"\btook (?:more|too many|extra|a lot)(?: of)? (?:my )?(?:tablets|pills|meds)\b[^.]{0,40}\b(?:than|"
            r"on purpose|to switch off|to not feel|to sleep forever)",
            False,
            True,
        ),
        # a burden, better without
        (
            r"\b(?:better|easier|happier|kinder|cope|notice|one less|relieved|relief|fine|get over|lighter)\b"
            r"[^.]{0,60}\bif i (?:just )?(?:was|were|wasn't|weren't|disappeared|died|killed myself|was gone|were "
            r"gone|left for good|wasn't here|wasn't around)\b",
            False,
            True,
        ),
        (r"\bif i (?:just )?(?:wasn't|weren't|was not) (?:here|around|alive)\b", False, True),
        (
            r"\b(?:losing me|without me around|me not being here|no point in me|waste of (?:space|air|oxygen))\b",
            True,
            True,
        ),
    )
)

# Self-harm under way or about to be: an overdose taken, or killing oneself set for a time. The line after these
# names the emergency number, as for danger: "thank you for putting this into words" is not what someone who has
# just taken a handful of pills needs to read. Kept to what ordinary days don't say: not "the knife is in my
# hand" (cooking), "I took all my tablets" (on time), "bleeding heavily" (a period), "jump tonight" (a swim).
_PILLS = (
    r"(?:pills|tablets|paracetamol|painkillers|sleeping pills|sleeping tablets|meds|medication|co-codamol|codeine"
    r"|antidepressants|sertraline|citalopram|fluoxetine|mirtazapine|quetiapine|amitriptyline|zopiclone|diazepam|tramadol|propranolol|lithium"
    r"|(?:tylenol|panadol|nurofen|benadryl|xanax|ambien|ibuprofen|advil|aspirin)(?: (?:plus|extra|pm)|(?! (?:plus|extra|pm)\b))(?! (?:tablets|capsules|caplets|pills) (?:back |down |round |over )?(?:to|out|round|into|home)\b)(?: (?:tablets|capsules|caplets|pills)|(?! (?:tablets|capsules|caplets|pills)\b))(?! (?:boxes|box|packs?|packets?|bottles?)\b))"
)
_MANY = r"(?:\d{2,}|twenty|thirty|forty|fifty|sixty|a hundred)"
# Where pills go that isn't into someone: handed back, moved, and a dose taken as meant.
_NOT_SWALLOWED = (
    r"(?! (?:back |down |round |over )?to | out\b| round\b| home\b| into | in (?:my|her|his|the) (?:bag|handbag|backpack|rucksack|suitcase|luggage|hand luggage|pocket|first aid kit)\b| off the shelf| on time| today| tonight without| this (?:morning|evening|week|month)| as "
    r"prescribed| with (?:food|breakfast|dinner|lunch)| the doctor| for (?:the|my) | left| a day| over the years| in "
    r"the past| before| advice| when i| like always)"
)
_OVERDOSED = r"(?:(?<=\bi)(?:'ve| have)?(?: just)? |(?:^|(?<=[.!?;\n])|(?<=[.!?;\n] ))(?:just )?)(?:taken|took|swallowed|downed|necked)"
# A time set, unless what follows makes it a figure of speech ("tonight at the gym", "tomorrow as a smoker").
_TIME_SET = (
    r"(?:tonight|tn|2nite|2night|now|right now|rn|today|tomorrow|this evening|this weekend|in an hour|in (?:a few|\d+|"
    r"five|ten) minutes|when (?:they're|they are|everyone's|everyone is|the kids are|he's|she's) asleep|at midnight|at \d{1,2}(?::\d\d)? ?(?:am|pm))\b(?! at (?:the )?(?:gym|"
    r"work|spin|training|practice|class)| with (?:this|these|that|the|my) (?:essay|workload|training|puzzle|"
    r"revision|deadline|plan|workout|run|exam|job|commute|diet|camera|tripod|lens)\b| trying| every\b| with (?:the |my )?(?:garden|gardening|burpees|hiit|housework|cleaning|diy|decorating|boxes|moving|overtime)\b| as a| as (?:i|we) (?:know|knew) it\b(?!'s| is| was)| if i have to)"
)
# The means, named after "with" ("ending it all tonight with my husband's pills").
_MEANS = (
    r"(?:pills|tablets|meds|medication|insulin|paracetamol|painkillers|sleeping (?:pills|tablets)|gun|rope|knife|"
    r"blade|razor|bleach)"
)
# "Ending it all" is as often a relationship, a job, a lease or a game ended ("I'm ending it all today: the
# subscriptions, the group chat, the lot"): with a time set it counts as under way only where the clause ends, says
# goodbye, or names the means.
_ENDED_THERE = (
    r"(?=$|[.!]| x+$|,? (?:(?:goodbye|bye)(?=$|[.!,]| (?:everyone|all|world|x+|mum|mom|dad)\b)|sorry|i'm sorry|for good|i can't|i'm done|no one|nobody)\b| with (?:them(?=$|[.!?])|(?:the |my |"
    r"his |her |a |some |these |those |all (?:of )?(?:the |my )?)?(?:\w+'?s )?" + _MEANS + r"))"
)
_URGENT: tuple[tuple[Lazy, bool, bool], ...] = tuple(
    (BOOK(p), True, True)
    for p in (
        # read after "i", so that a "nobody knows" before it doesn't negate: words this specific are worth the
        # line even when told as "it's not as if I took..." (see _DISCLAIMED)
        _OVERDOSED
        + r" (?:(?:a handful of|handfuls of|a fistful of|a load of|a bunch of|a lot of|loads of|a pile of|a heap of|"
        r"(?:a|two) (?:month's|months'|week's|weeks') "
        r"worth of(?: my)?|(?:way )?too many|(?:the|a) whole (?:box|bottle|"
        r"pack|packet|supply) of|my whole supply of|(?:two|three) (?:boxes|packets|bottles) of|all the|a bottle of) |"
        + _MANY
        + r" (?:of )?(?:my )?)"
        + _PILLS
        + r"\b"
        + _NOT_SWALLOWED
        + r"|"
        + _OVERDOSED
        + r" all (?:of )?my "
        + _PILLS
        + r"(?=$|[.!?]| at once| in one go|(?: about| around| maybe| like)? (?:an hour|half an hour|a few minutes|(?:\d+|"
        r"ten|twenty|thirty|forty) (?:minutes|mins|hours)) ago| and (?:i|i'm)\b(?!(?:'m| (?:feel|felt) (?:fine|better|good|great|"
        r"steady|calm|ok|okay)\b| slept\b| can (?:drive|sleep|go|finally)\b| (?:am |'m )?(?:proud|ready (?:for|to (?!go\b|die\b|end\b))|finally|fine(?! with)|okay|ok|heading(?! (?:to|for|off to|out to) (?:the )?(?:cliffs?|edge|tracks|railway|bridge|river|sea|roof|motorway))|going to bed|feeling (?:better|good|fine|steady))\b)(?![^.]{0,60}\b(?:(?:don't|do not|won't|not) wake|die|dying(?! for| to)|dead(?! tired| on my feet)|death(?! of)|goodbye(?! to (?:this|the|my) )|bye(?! bye| for now| diary)|sorry(?! i forgot| for the| about the)|bridge(?! walk| club| game| night)|forever(?! 21)|free(?! of| to| from)|never wake|at peace|the river|the guts|it's over|this is the end)\b))| with (?:vodka|wine|alcohol|booze|gin|whisky|whiskey|beer|drink)\b)|"
        + _OVERDOSED
        + r" [5-9] sleeping (?:pills|tablets)\b|"
        + _OVERDOSED
        + r" (?:the|a) whole (?:bottle|packet|box|strip|pack|blister)(?=(?: about| around)? (?:an hour|half an hour|(?:\d+|ten|"
        r"twenty|thirty|forty) (?:minutes|mins)) ago| and (?:i|i'm)\b|[.!?]|$)|"
        + _OVERDOSED
        + r" "
        + _MANY
        + r" ?x ?\d+ ?mg\b(?![^.]{0,40}\bover (?:the|a|two|three|four|five|several|\d+)\b)",
        _OVERDOSED
        + r" (?:an overdose|an od)\b|(?<=\bi)(?:'ve| have)? (?:just )?(?:overdosed|od'd)(?: again)?(?: on "
        r"(?:my |the |all my )?"
        + _PILLS
        + r")?(?=$|[.,!?;:]| (?:and|so|but|an hour|tonight|just now|again)\b)",
        r"\b(?:going to|gonna|will|i'll|about to) (?:kill|hang|shoot) myself "
        + _TIME_SET
        + r"|\b(?:i'm|i am) (?:killing|"
        r"hanging) myself "
        + _TIME_SET
        + r"|(?:\b(?:going to|gonna|will|i'll|about to) end|\b(?:i'm|i am|im) ending|(?:^|(?<=[.!?] )|(?<=\n))"
        r"ending) my life "
        + _TIME_SET
        + r"|(?:\b(?:going to|gonna|will|i'll|about to) end|\b(?:i'm|i am|im) ending|(?:^|(?<=[.!?] )|(?<=\n))"
        r"ending) it all "
        + _TIME_SET
        + _ENDED_THERE
        + r"|\b(?:going to|gonna|about to) end it "
        + _TIME_SET
        + r"(?=,? (?:goodbye|bye)\b| (?:when|once) (?:everyone|everybody|they|the kids|the house)(?:'s| is| are)? (?:asleep|"
        r"in bed|gone)\b)"
        + r"|(?:\b(?:i'm|i am|im) |(?:^|(?<=[.!?] )))ending (?:it all|it|my life) (?:(?:tonight|tn|2nite|now|rn|today) )?(?:(?:with|w/) (?:the |my |his |her |a |some |these |those |all (?:of )?(?:the |my )?)?"
        r"(?:\w+'?s )?"
        + _MEANS
        + r"\b(?![^.]{0,60}\b(?:taper\w*|wean\w*|coming off|come off|psychiatrist|gp|doctor|surgery|this (?:week|month|year)))|(?:by jumping )?(?:on|off|at|from|in|into) the (?:railway|train line|tracks|bridge|cliff|roof|motorway|"
        r"(?:train |railway |tube )?station|river|sea|canal|quarry|car park)\b(?! club| committee))"
        + r"|\b(?:tonight|today|right now|now)\b[^.]{0,12}\b(?:(?:i'm|i am|im) ending|i(?:'ll| will)? end) (?:my life|it all)(?=$|[.!?])"
        + r"|\btonight'?s the night i kill myself\b",
        _OVERDOSED
        + r" (?:the|a) whole (?:box|bottle|pack|packet)(?=$|[.,!?;:])|(?:^|(?<=[.!?] ))(?:just )?(?:swallowed|downed) (?:the|a) whole (?:box|bottle|pack|packet)(?=$|[.,!?;:]| of (?:my |the |his |her |\w+'s )?(?:\w+ )?(?:pills|tablets|paracetamol|painkillers|sleeping pills|sleeping tablets|meds|medication|co-codamol|codeine|antidepressants|sertraline|citalopram|fluoxetine|mirtazapine|quetiapine|amitriptyline|zopiclone|diazepam|tramadol|propranolol|lithium))|(?<=\bi)(?:'ve| have)?(?: just)? (?:drunk|"
        r"drank|swallowed|downed) (?:a bottle of |some |a cup of |a glass of )?(?:bleach|antifreeze|weedkiller|drain "
        r"cleaner)\b|" + _OVERDOSED + r" everything in the (?:medicine|bathroom) cabinet\b" + _NOT_SWALLOWED,
        # written without the "I", as a diary often is: "Just swallowed all my pills. Goodbye."
        r"(?:^|(?<=[.!?] ))(?:just )?(?:swallowed|took|taken|downed) (?:all (?:of )?my|the lot of my) (?:pills|"
        r"tablets|meds|sleeping pills)(?=$|[.!?]| at once| an hour ago| goodbye)|(?<=\bi)(?:'ve| have)?(?: just)? "
        r"(?:taken|took|swallowed) the lot(?=$|[.!?])|(?:(?<=\bi)(?:'ve| have)?(?: just)? |(?:^|(?<=[.!?] ))(?:just )?)(?:taken|took|injected) (?:double|"
        r"triple|all (?:of )?) ?my insulin\b[^.]{0,20}\bon purpose\b|"
        # all of it injected is an overdose ("took all my insulin" is as often every dose of the day, so it needs
        # "at once"); a whole prescription swallowed, or taken at once (not "to the pharmacy")
        r"(?:(?<=\bi)(?:'ve| have)?(?: just| jst)? |(?:^|(?<=[.!?] ))(?:just |jst )?)injected (?:all (?:of )?(?:my|the) insulin(?: pens?)?(?: i (?:had|have)(?: left)?)?|every (?:unit|drop) of (?:my )?insulin(?: i (?:had|have)(?: left)?)?|(?:both|"
        r"all) (?:of )?my (?:insulin )?pens|(?:a|my) whole (?:insulin )?pen(?: of insulin)?)(?=$|[.!?]| x+$| at once| in one go| an "
        r"hour ago| just now(?!,? (?:basal|bolus|then|before|after|with|for)\b)|,[^.]{0,20}\b(?:an hour ago|just now|goodbye|bye|sorry)\b| and (?:now )?i(?:'m| am| feel| feel so)? (?:scared|shaking|shaky|dizzy|sorry|frightened|terrified|waiting\b(?! for| to eat| on))\b)(?! (?:at once|in one go) (?:by (?:mistake|accident)|"
        r"accidentally|for (?:years|months|ages)|every|each|daily))|(?<=\bi)(?:'ve| have)?(?: just)? (?:taken|took) all (?:of )?my insulin (?:at once|in one go)\b(?! by "
        r"(?:mistake|accident)| accidentally)|"
        + _OVERDOSED
        + r" (?:my|the|a) (?:whole|entire|full)(?: (?:month's|months'?|week's|weeks'?))? (?:prescription|script)(?: of "
        r"\w+)? (?:all )?(?:at once|in one go)\b(?! to | for (?:the|my) (?:month|week)| by (?:mistake|accident)|[^.]{0,60}\b(?:chemist|pharmacy|pharmacist|boots|in stock|trips?|collect\w*|picked up|repeat|inhaler|cream)\b)|"
        + _OVERDOSED
        + r" all (?:of )?my (?:prescription|script) (?:at once|in one go)\b(?! to | by (?:mistake|accident)|[^.]{0,60}\b(?:chemist|pharmacy|pharmacist|boots|in stock|trips?|collect\w*|picked up|repeat|inhaler|cream)\b)|(?:^|(?<=[.!?] ))"
        r"(?:just )?(?:took|taken|swallowed) (?:my|the) (?:whole|entire) (?:prescription|script) (?:all )?(?:at once|in one "
        r"go)\b(?! to )|(?:(?<=\bi)(?:'ve| have)?(?: just)? |(?:^|(?<=[.!?] ))(?:just )?)swallowed (?:my|the|a) (?:whole|entire)(?: (?:month's|week's))? "
        r"(?:prescription|script)\b(?![^.]{0,60}\b(?:over (?:the|a|two|\d+|ten|seven)|course|antibiotics?|amoxicillin|penicillin|days|like the doctor|as prescribed)\b)",
        r"\b(?:going to|gonna|about to) take all (?:of )?my (?:pills|tablets|meds|sleeping pills)\b(?! with | on | "
        r"to | back)",
        r"\b(?:i'm|i am|going to|gonna) tak(?:e|ing) (?:(?:them all|all of them|every (?:last|single) one(?: of them)?)(?=$|[.!]| (?:now|tonight|tn|rn|at once|in one go|together|tomorrow|this evening|later|this weekend|at midnight|before (?:he|she|they|anyone|everyone|my)|after (?:work|school|dinner)|(?:when|once)\b[^.]{0,25}\b(?:asleep|in bed|gone|out)|with (?:a bottle of |the |some )?(?:vodka|wine|alcohol|booze|gin|whisky|whiskey|beer|drink)|and (?:never|not|go to sleep|sleep|be done|die|dying|end|ending))\b|,? (?:goodbye|bye|sorry|i can't|i cannot|i'm done|i've had enough|i give up|nobody|no one)\b|,? (?:the )?(?:whole |entire )?stash\b|[^.]{0,40}\b(?:can't (?:cope|go on|do this|take (?:it|this|any more|anymore))|die|dying|dead|never wake|end it|overdose|for good)\b)|every (?:pill|tablet)\b|all (?:the|my) (?:pills|tablets)(?: at once| in one go|"
        r" together| tonight)\b)|(?:^|(?<=[.!?] ))taking (?:them all|all of them) (?:now|tonight|rn|tn)(?=$|[.!]|,? (?:goodbye|bye|sorry)\b)",
        r"\bi(?:'ve| have)?(?: just)? (?:taken|took|swallowed) every (?:pill|tablet)\b"
        + _NOT_SWALLOWED
        + r"|\bi(?:'ve| have)? (?:just )?slit my wrists?\b(?! on | with a| by accident| accidentally| washing)|"
        r"\b(?:going to|gonna) jump (?:off|from|in front of) (?:the|a) (?:bridge|roof|building|train|cliff|car "
        r"park)\b(?! into| in )|(?:\b(?:i'm|i am|im) (?:standing |sat |sitting )?|(?:^|(?<=[.!?] ))(?:standing|sat|sitting) )on "
        r"(?:the|a) (?:bridge|roof|ledge|edge|cliff|tracks|railway line)\b[^.]{0,40}\b(?:going to|gonna|about to) jump\b(?! "
        r"in | into | off the (?:diving|high) )",
    )
)


# Said outright: the writer wants to die, or is harming themselves, now. A narrower list than _SELF, for
# plainly_self_harm(). Each phrase is fenced off from the good days and the figures of speech that share its
# words ("taking my life back", "ending my life as a people pleaser", "cut myself again today on the broken
# mug", "ready to die on this hill", "I hope to die in my own bed", "I want to die my hair", "I don't want to
# live that way again", "killing myself with this training plan", "the urge to harm myself passed", "90 days
# free of self-harm today", "suicidal thoughts" as a heading in a safety plan). A lookahead must pass at a
# clause's end (see plainly_self_harm).
_END_OF_CLAUSE = (
    r"(?=$|[.,!?;:]| (?:but|although|though|and|so|because|either|anyway|anymore|tbh|honestly|really|now|"
    r"tonight|today|at all)\b)"
)
_DIE = (
    r"die(?! on (?:this|that|the) hill| happy| old| young and| in (?:my|our) (?:own )?bed| peacefully| of old "
    r"age| of (?:happiness|joy|laughter)| surrounded| with no regrets| knowing| (?:my|the|her|his) (?:hair|fabric|"
    r"shirt|jeans|wool|eggs|fringe))"
)
_WAKE = r"wake up\b(?! to | early| at | before| in )"
_ACCIDENT = (
    r"(?! (?:on|making|cooking|chopping|shaving|at|in the|while|with the|playing|doing|gardening|fixing))"
)
_PLAIN: tuple[tuple[Lazy, bool, bool], ...] = tuple(
    (BOOK(p), True, True)
    for p in (
        r"\b(?:want|wish|ready|hoping|hope) (?:to |i(?: could| would|'d)? )?(?:just )?(?:"
        + _DIE
        + r"|be dead(?! "
        r"honest| serious| tired| on time| set| right)|not exist(?! on | online| in )|stop existing|stop being alive"
        r"|not be alive|not "
        + _WAKE
        + r"|never "
        + _WAKE
        + r"|sleep forever(?! like)|go to sleep and (?:not|never) "
        + _WAKE
        + r"|disappear for good(?! from| off)|disappear forever(?! from| off))",
        r"\b(?:keep wanting|(?:part|all) of me wants|i want) to "
        + _DIE
        + r"\b|\bfeel like dying\b(?! of| laughing)",
        r"\bwish(?:ing)? i(?: was| were|'d| had| could) (?:never been born|dead|never existed|die in my sleep|just "
        r"die)\b",
        r"\b(?:don't|do not) want to (?:be alive|exist|keep living|live|see tomorrow|be on this earth|be here "
        r"anymore)(?: anymore)?" + _END_OF_CLAUSE,
        r"\bhope i (?:don't|do not|never) " + _WAKE,
        r"\b(?:nothing|no one|nobody|no reason) (?:left )?to live for\b(?! except| but| apart)|\bno reason (?:left )?"
        r"to (?:live|keep living|go on)" + _END_OF_CLAUSE,
        r"\bno (?:point|reason) (?:in )?(?:living|being alive|staying alive)\b(?! in | without)|\b(?:don't|do not|"
        r"can't|cannot) see (?:the|any) point (?:in|of) (?:living|being alive|going on)" + _END_OF_CLAUSE,
        r"\b(?:life|living) (?:isn't|is not|ain't) worth living\b(?! without)|\bnot worth living\b(?! without)",
        r"\b(?:tired of|done) (?:living|being alive|existing)" + _END_OF_CLAUSE,
        r"\b(?:shoot|shooting) myself\b(?! in the (?:foot|feet)| with (?:the|my|a) (?:camera|phone)| on (?:camera|film))|"
        r"\b(?:kill|killing|hang|hanging) myself\b(?! at | laughing| over | trying| to (?:get|finish|keep|make)| "
        r"with | on | for | a | some | the | up )",
        r"\b(?:end|take|taking) my (?:own )?life\b(?! back| into| in (?:my|both) hands| seriously| over| as)|\bending my (?:own )?life\b(?! back| into| in (?=[^.]{0,50}\b(?:mov(?:e|ed|ing)|relocat\w*|start(?:ing)? (?:over|again|afresh)|new (?:life|start|job|city|chapter)|as (?:a|an)|band)\b)| seriously| over| as| with (?:him|her|them)\b(?!'s)(?=$|[.,!?;:]| (?:and|but|was|is|forever|for|by|at)\b))|\b(?:i'm|i am|im) ending my (?:own )?life with (?:them|these|those)\b|\bend it all\b(?! on (?:a |an |that |this )?(?:high|good|positive|happy|sour|low) note| with (?!(?:the |my |his |her |some |these |those |a |all (?:of )?(?:the |my )?)?(?:\w+'s )?"
        + _MEANS
        + r")| right(?! here| now))|"
        # "ending it all" is as often a lease, a job or him: only at a clause's end, or with the means or a place
        r"\b(?:i'm|i am|im) ending it all(?: (?:tonight|tn|2nite|now|right now|right here|here|today|tomorrow|this week|this weekend))?(?=$|[.!?])|\bending it all (?:with "
        r"(?:the |my |his |her |some |these |those |all (?:of )?(?:the |my )?)?(?:\w+'s )?"
        + _MEANS
        + r"|(?:on|off|at|from) "
        r"the (?:railway|train line|tracks|bridge|cliff|roof|motorway))\b|\bready to end it" + _END_OF_CLAUSE,
        r"\b(?:i'm|i am|feeling|feel|been|getting) (?:really |so |very |quite |a bit )?suicidal\b(?! before| in the "
        r"past| as a| at (?:\d|nineteen|twenty|school|uni))",
        r"\b(?:i'm having|i am having|i've been having|i have been having|i've had|i have had|i keep having|having"
        r"|i have) (?:really |so |such |bad |dark )*(?:suicidal (?:thoughts|feelings|urges)|thoughts (?:of|about) "
        r"(?:suicide|killing myself|ending my life))\b",
        r"\b(?:cut|cutting|burned|burnt|burning|hurt|hurting|harmed|harming|hitting) myself (?:again )?(?:tonight|"
        r"last night|today|this morning)\b"
        + _ACCIDENT
        + r"|\b(?:cut|cutting|burned|burnt|burning|hurt|hurting|"
        r"harmed|harming|hitting) myself (?:again )?(?:on purpose|deliberately|to cope|to feel|with (?:a|the) "
        r"(?:lighter|blade|razor))",
        r"\b(?:i|i've|i have|i relapsed and) cut (?:again )?(?:tonight|last night|today)\b(?!')|\b(?:i've been|"
        r"i'm|i am|i started|i've started) cutting again\b",
        r"\b(?:scratched|cut|burned|burnt) my (?:arms?|wrists?|thighs?|legs?|skin) (?:till|until) (?:they|it) bled\b"
        r"|\b(?:cut|burned|burnt|scratched) my (?:arms?|wrists?|thighs?|legs?|skin|stomach) (?:again )?(?:tonight|"
        r"last night|today)\b" + _ACCIDENT,
        r"\b(?:think|thinking|thought) (?:about|of) (?:suicide|killing myself|ending my life)\b(?! prevention| "
        r"awareness| rates| statistics| in | among)",
        r"\bi (?:self[- ]?harmed|self[- ]?harm) (?:again|last night|tonight|today)\b",
        r"\b(?:want|going) to (?:hurt|cut|harm|burn) myself\b(?! less| out| if | by | doing| trying)",
        r"\b(?:want|going|ready) to (?:overdose|od)\b|\b(?:going to|gonna|want to) take (?:all (?:of )?(?:my|the) "
        r"(?:pills|tablets|meds)|them all)\b|\btook (?:too many|all (?:of )?(?:my|the)) (?:pills|tablets|meds)\b"
        r"[^.]{0,20}\bon purpose\b",
        r"\b(?:want|going|ready) to jump (?:off|from|in front of) (?:the|a) (?:bridge|roof|building|train|cliff)\b"
        r"(?! into| jump)",
        r"\b(?:everyone|everybody|they|my family|my kids|the world)(?:'d| would)? be better off without me"
        + _END_OF_CLAUSE
        + r"|\b(?:i'd|i would|i'm|i am) (?:just )?be(?:tter)? (?:better )?off dead\b|\bbetter off if "
        r"i (?:was|were) dead\b",
    )
)


# Whole words, and the ones that are everyday words too only with who they are aimed at: "by the end", "before
# she finished", "after payday" and "you'll ruin the photos" are not threats.
_THREAT_WORDS = (
    r"(?:kill|killing|hurt(?:ing)? (?:me|you|us|my|your|our|the kids|the children|the baby|them)|"
    r"end (?:me|you|us|my life|your life)|finish (?:me|you|us|what (?:he|she|they) started)|destroy|"
    r"ruin (?:me|you|us|my|your|our|everything|everyone|them)|bury|break (?:my|every|your)|beat|smash|burn|"
    r"regret|pay\b(?! (?:my|the|our|his|her|their|a|an|rent|bills|attention|back|off|day|it forward|in|by|"
    r"cash|for (?:the|my|a|an|his|her|our|their|rent|dinner|lunch|food|groceries|it all|half|parking|petrol|gas)))|"
    r"be sorry|make (?:me|you) pay|take (?:the|my|our|your) (?:kids|children|baby|son|daughter)|"
    r"never see (?:the|my|your|our) (?:kids|children|baby)|find (?:me|you)|come (?:for|after) (?:me|you)|"
    r"get (?:me|you)|take everything|ruin (?:me|you)|teach (?:me|you) a lesson|cut (?:me|you)|"
    r"put (?:me|you) in (?:the ground|hospital|a box)|nobody will find|no one will find|"
    r"shoot|stab|strangle|choke|drown|(?:i'll|i will|you'll|you will) be found (?:dead|in a ditch|in the river|in pieces)|"
    r"make sure (?:i|you) (?:don't|do not|never|won't) wake up|(?:slit|cut) (?:my|your) throat|(?:you're|you are|your|you'll be) dead(?=\s*(?:$|[.!?,;:\x22]|(?:when|if|tonight|tomorrow|by|soon|now|next|once|meat|the (?:second|minute|moment|day)|bitch)\b))(?![^.]{0,40}\b(?:tag|tagged|tig|fortnite|nerf|laser tag|paintball|playing|game)\b))\b"
)
_TRIVIAL = BOOK(
    r"\bwhen (?:she|he|they|mum|mom|dad) (?:sees|see|finds out|find out|hears|gets the bill)\b|"
    r"\bif i (?:spoil|eat|ate|forget|forgot|am late|'m late|was late|touch|use|borrow|tell (?:anyone )?about "
    r"the (?:party|surprise|gift)|miss (?:the|her|his) (?:show|game|party)|don't come(?! back(?: to (?:him|her)\b|\s*(?:$|[.!?])))|lose the|break the "
    r"(?:vase|tv|phone))|\b(?:joking|jokingly|lol|haha|kidding|teasing|in a funny way)\b|\b(?:eat|eats|ate|finish|drink|nick|steal|touch)(?:es)? my (?:cake|chocolate|yoghurt|yogurt|lunch|chips|crisps|biscuits|leftovers|sweets|snacks?|pizza)\b|"
    r"\bwithout (?:a |my |your )?(?:coat|jacket|scarf|hat|umbrella|brolly|gloves|jumper|sweater)\b|"
    r"\bkill (?:me|you) for forgetting (?:her|his|their|the|my|your|our) (?:birthday|anniversary)\b(?![^.]{0,40}\b(?:meant it|not joking|belt|knife|gun|hit|again)\b)"
)
# Sentences the danger cues (and the danger weights) pass over: a trivial threat, a figure of speech, a story, a
# dream.
_DANGER_ASIDES = (_TRIVIAL, _FIGURATIVE, _MEDIA, _DREAMT)
_AGENT = (
    r"(?:he|she|they|my (?:ex|husband|wife|partner|boyfriend|girlfriend|dad|father|mum|mom|mother|stepdad|"
    r"stepmother|brother|sister|son|daughter|boss|landlord)|(?!(?:i|therapist|counsellor|counselor|doctor|gp|nurse|"
    r"psychiatrist|facilitator)\b)[a-z]+)"
)  # any name ("Dave said..."), but not "I" nor the people helping: what they say is not a threat to the writer
# (pattern, negatable, aimed: reported words that count only when aimed at the writer or theirs)
_DANGER: tuple[tuple[Lazy, bool, bool], ...] = tuple(
    (BOOK(p), negatable, bool(aimed and aimed[0]))
    for p, negatable, *aimed in (
        # what the other person said they would do to the writer
        (
            rf"\b{_AGENT} (?:said|says|told me|texted|texts|messaged|emailed|screamed|screams|yelled|shouted|"
            rf"swore|swears|threatened|threatens|promised|warned|whispered|keeps saying|kept saying|wrote|"
            rf"voicemail said|left a voicemail)\b[^.]{{0,70}}\b{_THREAT_WORDS}",
            True,
            True,
        ),
        (
            rf"\bthreat(?:ened|ening|ens|s)? (?:to )?(?:me|us|my|our)?\b[^.]{{0,50}}\b{_THREAT_WORDS}",
            True,
            True,
        ),
        (r"\bthreatened (?:me|to (?:kill|hurt|take|end|burn|shoot|stab|leave me with nothing))", True),
        (
            r"\b(?:i'll|i will|i'm going to|i am going to|gonna|going to) (?:kill|hurt|end|destroy|find|"
            r"ruin|bury|make) (?:you|your)\b",
            False,
        ),
        (
            r"\b(?:you'll|you will|you're going to|you are going to) (?:regret|pay|be sorry|never see)\b",
            False,
        ),
        # happening as it is written (a tenth review): breaking in, a door held shut, help on its way, kept in
        (
            rf"\b{_AGENT} (?:is |was |'s )?(?:trying to|tried to|tries to) (?:get|break|force (?:his|her|their) way) "
            r"in\b|\b(?:he|she|they|my ex|my husband|my partner|my boyfriend|my wife|my girlfriend)(?:'s| has| have)? "
            r"(?:just )?(?:smashed|smashing|broke|broken|kicked|kicking|kicked in|kicking in) (?:in )?(?:the |my |our )?"
            r"(?:back |front |kitchen |bedroom |bathroom |car )?(?:window|door|glass)\b(?! (?:handle|frame|hinge|lock|"
            r"bell|knob|mat|stop))(?![^.]{0,40}\b(?:by accident|accidentally|so funny|lol|haha|football|ball)\b)",
            False,
        ),
        (
            r"\b(?:wedged|barricaded|jammed|braced) (?:the |my )?(?:bedroom |bathroom |front )?door\b(?! open)|\bdoor "
            r"(?:wedged|barricaded|jammed) shut\b|\bpolice (?:are )?on (?:the|their) way\b(?! to (?!(?:me|us|my|our|"
            r"the house|the flat|here)\b))",
            False,
        ),
        (
            r"\b(?:says|said|tells me|told me|won't let me|will not let me|doesn't let me) (?:i can't|i cannot|i'm not "
            r"allowed to|me) (?:leave|go out of|go outside) (?:the house|the flat|the room|home|the bedroom)\b(?! "
            r"(?:without|in this|in the (?:rain|snow|cold)|until it|till it|because of the|if it's)\b)",
            False,
        ),
        (
            r"\b(?:he|she|they|my ex|my husband|my partner|my boyfriend)(?:'s| has| have)? locked me out (?:on the "
            r"balcony|in the (?:garden|cold|snow|rain)|outside)\b(?=[^.]{0,60}\b(?:it's|its|i'm|he's|hes|she's|they're|"
            r"now|still)\b)(?![^.]{0,60}\b(?:by accident|accidentally|funny|laugh about|joke)\b)",
            False,
        ),
        (
            r"\benjoy your last (?:night|day|week)(?: alive)?(?=\s*(?:[.!?,\"']|$|and\b|then\b|now\b))|\byour last "
            r"night alive\b",
            False,
        ),
        # made to swallow something (a review's guard sentence, 7 December 2026): "he forced me to take all my
        # pills before bed and I can't stay awake", "she made me drink bleach", "a handful of his sleeping tablets";
        # not the day's tablets taken at a partner's reminder ("he made me take all my tablets at breakfast")
        (
            rf"\b{_AGENT}(?:'s| has| had)? (?:forced|forcing|made|making) me (?:to )?(?:(?:take|swallow|down)\b"
            r"[^.]{0,20}\b(?:a handful|a fistful|loads|a load|a bottle|a packet|a box|the whole|the rest|double)\b"
            r"[^.]{0,15}\b(?:pills|tablets|meds|medication|painkillers|insulin|sleeping)|(?:take|swallow|down)\b"
            r"[^.]{0,30}\b(?:pills|tablets|meds|medication|painkillers|insulin)\b(?=[^.]{0,40}\b(?:can't stay awake|"
            r"cannot stay awake|can't keep my eyes open|can't move|can't breathe|room is spinning|everything is "
            r"spinning|so drowsy|going numb|passing out)\b)|(?:take|swallow|drink|down)\b[^.]{0,15}\b(?:bleach|poison|"
            r"antifreeze|weedkiller|drain cleaner))",
            True,
        ),
        # fear of what is about to happen
        (
            r"\b(?:scared|afraid|terrified|frightened|petrified|worried|fear|fearing|fearful)\b[^.]{0,40}"
            r"\b(?:he|she|they|he'll|she'll|they'll|he's|she's|they're)\b[^.]{0,25}\b(?:come|coming|find|hurt|"
            r"kill|break in|break the door|show up|turn up|get in|do something|hit|take|be waiting|is outside|"
            r"comes back|come back|will snap|snap)",
            True,
        ),
        (r"\b(?:afraid|scared|fear|fearing|terrified) for my (?:life|safety)\b", True),
        # a review of the danger weights (7 December 2026): a child held over a drop, a blow that will land next
        # time, a way in through a window
        (
            r"\b(?:he|she|they|my (?:ex|husband|wife|partner|boyfriend|girlfriend|dad|father|stepdad|mum|mom))(?:'s| "
            r"has| had)? (?:held|holding|dangled|dangling|hung) (?:the|my|our|his|her) (?:baby|son|daughter|child|kid|"
            r"boy|girl|little one)\b[^.]{0,25}\bover (?:the |a )?(?:banister|balcony|railing|railings|edge|"
            r"stairwell)\b",
            False,
        ),
        (
            r"\b(?:punched|hit|threw|swung|aimed|fired|kicked|smashed)\b[^.]{0,80}\b(?:the )?next (?:one|time|punch)"
            r"\b[^.]{0,15}\bwon't miss\b",
            False,
        ),
        (
            r"\b(?:he|she|they|he's|she's|they're|he'll|she'll|they'll|said|says)\b[^.]{0,20}\b(?:going to|will|"
            r"'ll|gonna|wants to|trying to|try to) kill me\b",
            True,
        ),
        (  # "I don't feel safe at home", "I'm not safe here", "I feel unsafe with him"; never "I feel safe"
            r"\b(?:i don't feel\b[^.]{0,10}\b|i do not feel\b[^.]{0,10}\b|i never feel\b[^.]{0,10}\b|"
            r"(?:i'm|i am|i feel)\b[^.]{0,10}\b(?:not |un))safe (?:at home|here|tonight|in my (?:own )?(?:home|"
            r"house|flat|room)|with (?:him|her|them))",
            False,
        ),
        (r"\b(?:i'm|i am) not (?:really |feeling )?safe\b", False),
        (  # under way: "my stepdad is hurting me", "he's threatening me with a knife"
            r"\b(?:he|she|they|my (?:ex|dad|father|stepdad|mum|mom|mother|stepmum|partner|husband|wife|boyfriend|"
            r"girlfriend|brother|sister))(?: is|'s| are|'re) (?:threatening|hurting|beating|hitting|choking|strangling) "
            r"(?:me|us|my (?:mum|mom|kids|children|sister|brother) and me)\b",
            True,
        ),
        (  # doubting it: "I don't think I'm safe tonight", "not sure I'm safe here"
            r"\b(?:don't think|do not think|not sure|don't know if|do not know if|doubt|wonder if|wondering if)\b"
            r"[^.]{0,12}\b(?:i'm|i am|i'll be|i will be|we're|we are|the kids are|my kids are) safe\b(?! to | from "
            r"(?:the |a )?(?:flu|covid|cold|virus|germs|sun)| about| enough to (?:drive|fly|swim|travel))",
            False,
        ),
        # there, now
        (
            r"\b(?:he|she|they|he's|she's|they're|my ex(?:'s)?)(?: is| are)?(?: still| now| back)? (?:outside|at the door|at "
            r"my door|in the "
            r"driveway|parked outside|parked across|sitting outside|waiting outside|banging on|pounding on|"
            r"kicking the door|trying to get in|trying the door|in the garden|at the window|downstairs)",
            False,
        ),
        (r"\b(?:banging|pounding|hammering|kicking) (?:on )?(?:the|my) (?:door|window|windows)\b", False),
        (  # in the home: "he broke into my flat", "got in through the back door", "when I woke up he was in my room"
            r"\b(?:he|she|they|my ex)(?: has| had|'s|'d)? (?:broke in|broken in|broke into (?:my|the|our) (?:flat|house|"
            r"home|place|room|car)|(?:got|climbed|came) in through (?:the|my|a) (?:back |front |kitchen |bedroom |bathroom )?(?:door|window))\b"
            r"|\bwhen i woke(?: up)?,? (?:he|she|they) (?:was|were) (?:standing )?(?:over me|in my (?:room|bedroom))\b"
            r"(?! with )",
            True,
        ),
        # weapons and violence against the writer
        (
            r"\b(?:he|she|they|he's|she's|they've|he has|she has)\b[^.]{0,30}\b(?:has|had|got|pulled|held|"
            r"pointed|waved|showed|showing|keeps|kept|bought|took out|brought|grabbed|loaded|cleaning)\b[^.]{0,20}"
            r"\b(?:a |the |his |her |their )?(?:gun|knife|knives|blade|rifle|pistol|shotgun|weapon|bat|hammer)",
            True,
        ),
        (
            r"\b(?:gun|knife|blade|rifle|pistol|weapon)\b[^.]{0,25}\b(?:at me|to my (?:head|throat|neck|face|"
            r"chest)|on the table again|under (?:his|her|the) (?:pillow|bed)|out again)",
            True,
        ),
        (r"\b(?:hands?|arm|arms|fingers|belt|cord) (?:around|on|round|against) my (?:throat|neck)\b", True),
        (
            r"\b(?:choked|choking|chokes|strangled|strangling|strangles|throttled|suffocated|smothered) me\b",
            True,
        ),
        (
            # the gap holds no "never" or "didn't": "he's never hit me" is said of what hasn't happened
            r"\b(?:he|she|they)\b(?:(?!\b(?:never|not|didn't|doesn't|hasn't|hadn't|won't|wouldn't)\b)[^.]){0,15}"
            r"\b(?:hit|hits|punched|punches|kicked|kicks|slapped|slaps|shoved|"
            r"shoves|pushed|beat|beats|hurt|hurts|threw|throws|dragged|drags|bit|burned|pinned) me\b",
            True,
        ),
        (  # ... unless more follows in the clause: "hasn't hit me since Christmas", "doesn't hit me where it
            # shows", "had never hit me until last night", "didn't hit me this time, he threw a plate"
            r"\b(?:he|she|they)\b[^.]{0,20}\b(?:hit|hits|punched|punches|kicked|kicks|slapped|slaps|shoved|shoves|"
            r"pushed|beat|beats|hurt|hurts|bit|pinned) me\b(?! *(?:$|[.,;:!?]|and (?:he|she|they) (?:is|was|'s)|"
            r"but (?:he|she|they) (?:is|was|'s)))",
            False,
        ),
        # being followed and found
        (
            r"\b(?:following|followed|follows|tracking|tracked|tracks|watching|stalking|stalked|stalks) me\b",
            True,
        ),
        (  # someone else: "I keep driving past the school" is the writer's own way to work
            r"\b(?:keeps|(?:he|she|they|he's|she's|they've) (?:keep|kept|been)) (?:driving|walking|going|coming) "
            r"(?:past|by|round|around)\b",
            True,
        ),
        (
            r"\bknows? (?:where i (?:live|work|am|sleep)|my (?:new )?(?:address|flat|place|house|work)|where "
            r"the (?:kids|children) (?:go|are))",
            True,
        ),
        (
            r"\b(?:showed|shows|turned|turns) up (?:at|outside) (?:my|my (?:son|daughter|kids|children|child)'s|the "
            r"kids') (?:work|job|house|home|door|new place|flat|school|nursery|gym|car|parents)",
            True,
        ),
        (r"\b(?:tracker|airtag|gps|tracking app|spyware)\b[^.]{0,30}\b(?:my (?:car|phone|bag|laptop))", True),
        # threats to children and animals in the writer's care
        (
            r"\b(?:he|she|they|my ex)(?:'s| has| have|'ve)? (?:taken|took|got|snatched|grabbed) (?:the|my|our) (?:kids|children|baby|son|daughter)\b"
            r"(?=[^.]{0,40}\b(?:(?:won't|isn't|hasn't|refus\w*)(?: to)? (?:answer|tell|respond|reply|pick)\w*|not answering|never see|without (?:asking|telling|permission)|abroad|passports?)\b)"
            r"(?![^.;]{0,80}\b(?:as agreed|we agreed|no signal|because (?:he's|she's|they're) driving|school trip|until (?:they're|they are|he's|she's)|(?:his|her) weekend|came back)\b)",
            True,
        ),
        # a held-out list's miss (7 December 2026): someone coming into a child's room at night
        (
            r"\b(?:my )?(?:step ?dad|stepfather|step-dad|mum's boyfriend|mom's boyfriend|her boyfriend)\b (?:comes|keeps "
            r"coming|has been coming|came) into my (?:room|bedroom|bed)\b[^.]{0,20}\b(?:at night|when (?:mum|mom)|"
            r"while (?:mum|mom))",
            False,
        ),
        (
            r"\b(?:he's|she's|they're|he is|she is) (?:still |always )(?:turning|showing) up\b(?=\s*(?:$|[.!?,;])|[^.]{0,60}\b(?:at my|at the (?:house|door|school|gate|refuge|flat)|outside|my (?:house|flat|work|door|mum's|mom's|parents')|even though|despite|order|bail|injunction|uninvited|unannounced|drunk)\b)",
            True,
        ),
        (
            r"\b(?:he|she|he's|she's|he has|she has)(?: been)? (?:putting|put|slipping|slipped) something in my (?:tea|drink|food|coffee|water)\b(?![^.]{0,40}\b(?:honey|lemon|sugar|sweetener|milk|cinnamon|ginger|mint|syrup|ice|lime|slice|lovely|delicious|tasty)\b)",
            True,
        ),
        (
            r"\b(?:he|she|they|he's|she's|they've)\b[^.]{0,15}\b(?:tracking|tracked|tracks) my (?:phone|location|car|movements)\b(?!\s*\?)(?![^.]{0,60}\b(?:we agreed|as agreed|like we agreed|(?:i|we) asked (?:him|her|them) to|insurance|black ?box)\b)",
            True,
        ),
        (
            r"\b(?:he|she|they)\b[^.]{0,10}\b(?:drove|drives|walked|walks) (?:past|by) (?:my|the|our) (?:house|flat|home|place|work)\b(?=[^.]{0,30}\b(?:times|twice|tonight|all (?:night|day))\b)(?![^.]{0,60}\b(?:on (?:his|her|their|the) way|with the dog|came in|popped in|dropped (?:off|in))\b)",
            True,
        ),
        (
            r"\bthreat(?:ened|ens|ening)? to (?:take|hurt|kill|harm|take away) (?:the|my|our) (?:kids|children|"
            r"baby|son|daughter|dog|cat|pet|pets|puppy|horse)",
            True,
        ),
        (
            r"\b(?:hurt|kicked|killed|drowned|strangled|hit|threw) (?:the|my|our) (?:dog|cat|pet|puppy|kitten)\b",
            True,
        ),
        # what was said, in other words
        (
            rf"\b{_AGENT} (?:said|says|told me|tells me|texted|keeps saying|kept saying|whispered|warned)\b"
            r"[^.]{0,80}\b(?:find (?:my|your) body|never talk again|nobody (?:else )?will|no one (?:else )?will|"
            r"won't stop|won't let go|accidents happen|careful on the stairs|won't live|live to see|make (?:us|me|"
            r"you) (?:all )?disappear|won't bring them back|never see them again|is next|drown the|sort (?:me|you) "
            r"out|see what you make me do|you'll be next|end up in|in the ground|in a box)",
            True,
            True,
        ),
        (r"\b(?:can't|cannot) have me\b[^.]{0,20}\b(?:nobody|no one)\b", True),
        (
            r"\b(?:he'll|she'll|they'll|he will|she will) (?:drown|kill|hurt|poison|get rid of) (?:the|my|our) "
            r"(?:cat|dog|rabbit|kids|children|pets?)",
            True,
        ),
        # locked in, now (not "the afternoon he locked me in", a memory told in therapy)
        (
            r"(?:\b(?:he's|she's|he has|she has|they've|they have) (?:locked|shut) me in\b|\b(?:he|she|they) (?:locked|shut) me in\b(?=[^.]{0,40}\b(?:again|now|tonight|right now)\b))(?! (?:for|to|at|as|on)\b)(?![^.]{0,50}\b(?:as a joke|for a joke|by accident|by mistake|accidentally|escape room|as a (?:kid|child|boy|girl|teen)|when i was|to (?:finish|find|fetch|focus|work|study|revise)|so (?:he|she|they) can|(?:a|for a|as a) surprise|presents?|security (?:system|guard|gate|door|light)s?|alarm (?:went off|is|was|system|kept|keeps)|(?:is|was|got|it's) broken|(?:handle|lock|latch|key|door) (?:came off|is stuck|was stuck|got stuck|jammed|broke)|isolation|quarantine|the results|playing|hide and seek|hide-and-seek|a game|giggl\w*)\b)",
            False,
        ),
        (
            r"\b(?:he's|she's|he is|she is|he'll|she'll|he will|she will) (?:going to |threatening to )?(?:end(?:ing)? it all|kill(?:ing)? "
            r"(?:himself|herself))\b(?! with (?:him|her|me|us|them)\b(?!'s| (?:pills|tablets|meds|gun|knife|rope|car)\b)| with (?:his|her|my) (?:ex|boyfriend|girlfriend|wife|husband|partner|brother|sister|mum|mom|dad|family)\b)[^.]{0,40}\b(?:(?:take|taking) (?:the kids|the children|the baby|me|us)(?: all)? (?:with "
            r"(?:him|her)|too|as well)|(?:with|and) (?:the kids|the children|the baby)(?!'))\b",
            False,
        ),
        (
            r"\b(?:he|she|he's|she's|he is|she is|my (?:ex|partner|husband|wife|boyfriend|girlfriend))\b[^.]{0,12}\b(?:making|made|forcing|forced|makes|forces|tried to make|wants to make) (?:me|i) (?:to )?(?:end it all|kill myself|end my life|take (?:them all|all (?:of )?(?:my|the) (?:pills|tablets|meds)))\b(?! back| to | home| out| off| round| with (?:food|water|breakfast|dinner|lunch)| on time| like| as prescribed| laughing(?! at (?:me|my)\b)| (?:this|every|each) (?:morning|evening|night|day)\b| before (?:the|work|school|bed|breakfast)\b| because (?:i|i'd|i had) (?:forgot|forgotten|missed|keep forgetting)\b| in one go because\b| at (?:breakfast|lunch|dinner|tea|bedtime)\b| with (?:orange juice|juice|milk)\b| first thing\b| so i (?:don't|do not|won't) forget\b| (?:when|if|whenever) i (?:forget|miss)\b)|\bi should (?:just )?(?:kill myself|end it all|take them all|die)\b(?! my | of | to | back| with | in the )[^.]{0,60}\b(?:he|she) (?:said to me|says to me|told me|tells me|keeps saying|kept saying|texted me|wrote to me|screamed at me|shouted at me|yelled at me|whispered to me)\b|\b(?:he|she|they|my (?:ex|partner|husband|wife|boyfriend|girlfriend))\b[^.]{0,20}\bthreat\w* to (?:inject|poison|drug|overdose) me\b(?![^.]{0,30}\b(?:b12|jabs?|vaccines?|booster|flu|herself|himself)\b)",
            False,
        ),
        # drugged to be kept in: a routine dose made the means of control ("every night so I'm too drowsy to
        # leave")
        (
            r"\b(?:he|she|they|my (?:ex|partner|husband|wife|boyfriend|girlfriend))\b[^.]{0,12}\b(?:makes|made|"
            r"forces|forced|making|forcing) me (?:to )?take\b[^.]{0,50}\bso (?:i'm|i am|i can't|i cannot|i won't|"
            r"i don't)\b[^.]{0,20}\b(?:leave|go out|get away|call|fight back|remember|argue)\b",
            False,
        ),
        # hiding, now
        (
            r"\b(?:hiding|hid|locked myself|i'm locked|with the door locked)\b[^.]{0,30}\b(?:in the|at|from "
            r"him|from her|bathroom|bedroom|neighbours|car|door locked)",
            False,
        ),
        (
            r"\bcalled the police\b[^.]{0,20}\b(?:and i'm|i'm waiting|waiting|they're coming|on their way)",
            False,
        ),
        (r"\btoo (?:scared|afraid|frightened) to go (?:home|back|inside|in)\b", True),
        (r"\bkicked (?:the|my) door in\b|\b(?:tried|trying) the (?:back |front )?door(?: handle)?\b", False),
        (r"\bsomething bad is going to happen\b", True),
        (
            r"\b(?:can|could) hear (?:him|her|them)\b[^.]{0,30}\b(?:smashing|breaking|throwing|kicking|"
            r"screaming|banging)",
            False,
        ),
        (
            r"\b(?:ended up|end up|landed) in (?:a&e|hospital|the er|emergency)\b[^.]{0,60}\b(?:now|again|"
            r"tonight|this angry)",
            False,
        ),
        (r"\bcouldn't (?:walk|see|breathe|move) (?:properly )?for (?:a|two|days|weeks)", True),
        # weapons
        (
            r"\b(?:gun|shotgun|rifle|firearm|pistol|revolver|handgun)\b[^.]{0,60}\b(?:his|her|he|she|they)\b|"
            r"\b(?:his|her|he|she|they)\b[^.]{0,60}\b(?:gun|shotgun|rifle|firearm|pistol|revolver|handgun)\b",
            True,
        ),
        (
            r"\bsharpen(?:ing|ed|s)? (?:the |his |her )?knives\b|\b(?:taken|took|hidden|hid) (?:all )?the "
            r"(?:kitchen )?knives\b",
            False,
        ),
        # found, followed, watched
        (
            r"\bhow (?:he|she|they) found (?:me|us|my|where)\b|\bfound (?:my|our) new (?:place|flat|house|"
            r"address|number)\b",
            True,
        ),
        (r"\bkeeps? (?:turning|showing) up (?:wherever|everywhere|at|outside)\b", True),
        (r"\b(?:photo|picture|video) of my (?:front )?(?:door|house|flat|car|window|kids)\b", True),
        (r"\b(?:someone's|someone has|he's|she's|they've) been in my (?:flat|house|home|room|car)\b", True),
        (r"\b(?:his|her|their) car (?:behind me|outside|parked|across|following|again)\b", True),
        (r"\b(?:he's|she's|they're) in my (?:phone|email|accounts|laptop)\b", True),
        (
            r"\bparked (?:across|outside|opposite|near)\b[^.]{0,40}\b(?:again|order|not supposed|stay away)",
            True,
        ),
        (
            r"\bnot supposed to (?:know|come|be)\b[^.]{0,30}\b(?:where i live|near|within|my address|here)",
            True,
        ),
        (
            r"\b(?:rang|called|emailed|turned up at) my (?:new )?(?:work|job|office|school)\b[^.]{0,60}\b(?:never "
            r"told|don't know how|how (?:he|she) knew|asked for me)",
            True,
        ),
        (r"\bi never told (?:him|her|them) where i (?:work|live|am)\b", True),
        # strangling, in other words
        (
            r"\bmarks on my neck\b|\bby the (?:throat|neck)\b|\b(?:arm|knee|hand|hands|foot) (?:across|on) my "
            r"(?:neck|throat)\b|\bsqueez(?:ed|ing|es) my (?:neck|throat)\b",
            True,
        ),
        (r"\bnearly passed out\b|\bblacked out\b[^.]{0,30}\b(?:he|she|his|her)", True),
    )
)


def _distant(sentence: str, clause: str) -> bool:
    """Clearly over: a distant-past marker in its clause or sentence, and nothing saying it is back."""
    return bool(_DISTANT_PAST.search(clause) or _DISTANT_PAST.search(sentence)) and not _STILL_NOW.search(
        clause
    )


def _negated(clause: str, start: int) -> bool:
    return bool(_NEGATED.search(clause[max(0, start - 45) : start]))


def concern(text: str) -> Concern | None:
    """What in `text` suggests the writer needs support now; None when nothing does.

    First the cue patterns (each names what it found); then, for what they don't cover, the learned weights
    (gentle_model.json, trained by bench/gentle.py on the project's own labelled corpus).
    """
    norm = normalise(text)
    unquoted = _QUOTED.sub(" ", norm)  # others' quoted words aren't the writer's
    urgent = _find_self_harm(unquoted, _URGENT, _aside_under_way)
    if urgent is not None:
        return Concern("urgent", urgent.cue)
    across = _across(unquoted)
    if across is not None:
        return Concern("urgent", across)
    shut_in = _DANGER_ACROSS.search(unquoted)
    if shut_in is not None:
        told = unquoted[
            max(unquoted.rfind(".", 0, shut_in.start()), 0) : shut_in.end()
        ]  # from its sentence's start
        if not _DISTANT_PAST.search(told) and not _negated(unquoted, shut_in.start()):
            return Concern("danger", shut_in.group(0).strip(" .!?\n"))
    followed = _pursued(norm, unquoted)
    if followed is not None:
        return Concern("danger", followed)
    # what plainly_self_harm() finds always gets a line too: _PLAIN has forms _SELF's broader cues don't
    found = _find_danger(norm) or _find_self_harm(unquoted) or _find_self_harm(unquoted, _PLAIN, _aside)
    means = (
        _MEANS_AT_HAND.search(unquoted)
        if found is not None and found.kind in ("self_harm", "unsure")
        else None
    )
    if means is not None and not _negated(unquoted, means.start()):
        # urgent only beside words that plainly say it now ("I want to die"): the means alone are a razor while
        # shaving, and beside an old or a vaguer cue they are a story of healing told
        besides = _find_self_harm(_MEANS_AT_HAND.sub(" ", unquoted), _PLAIN, _aside)
        if besides is not None:
            return Concern("urgent", besides.cue)
    if found is not None and found.kind == "unsure" and _SAID_PLAINLY_TOO.search(unquoted):
        return Concern("self_harm", found.cue)  # "I'm ending it now. I have the rope."
    if found is not None:
        return found
    model = _model()
    if len(_TOKEN.findall(norm)) < MIN_WORDS_FOR_WEIGHTS:
        return None  # a few words can't carry the learned weights: "Calm." is not a cry for help
    score, strongest = weigh(text, model)
    if score <= model["threshold"]:
        return None
    # Heavy, read again for danger from someone else: most of what the cues miss ("he said 'you won't make it to
    # court'", "I'm under my bed, he's coming up next") is read as heavy, and a thank-you is the wrong answer.
    now = " ".join(_now_told(norm))
    if len(_TOKEN.findall(now)) >= MIN_WORDS_FOR_DANGER_WEIGHTS and not _SAID_SAFE.search(now):
        danger = _danger_model()
        lean, said = weigh(now, danger)
        if lean > danger["threshold"]:
            return Concern("danger", said)
    return Concern("heavy", strongest)


def _pursued(norm: str, unquoted: str) -> str | None:
    """Someone coming after a writer who has fled (_FLED, _PURSUIT), said of now; what says so, or None. The
    pursuit may be in someone's quoted words ("his mum rang: he's 'out driving round looking for you'")."""
    if not _FLED.search(unquoted):
        return None
    for sentence in _sentences(norm):
        found = _PURSUIT.search(sentence)
        if found is None or _distant(sentence, sentence):
            continue
        if _negated(sentence, found.start()) and not _UNSURE_IF.search(sentence[: found.start()]):
            continue  # "he won't find out where we are"; but "I don't know if he can see where we are" is fear
        if any(aside.search(sentence) for aside in _DANGER_ASIDES):
            continue
        return found.group(0)
    return None


def line_for(found: Concern | None) -> Literal["danger", "harmed", "plain", "words"] | None:
    """Which line answers what concern() found: offer_for's, told apart further. Self-harm under way or about to
    be ("urgent": an overdose taken) gets "harmed", the emergency number said for it; words that plainly speak
    of wanting to die, of self-harm or of a goodbye ("self_harm") get "plain", a line that names it and a number
    to call; a thank-you is for words only the learned weights read as heavy."""
    offered = offer_for(found)
    if found is not None and found.kind == "urgent":
        return "harmed"
    return "plain" if offered == "words" and found is not None and found.kind == "self_harm" else offered


def offer_for(found: Concern | None) -> Literal["danger", "words"] | None:
    """Which calm line a concern gets after a save: the emergency number first for danger and for self-harm
    under way, else the words one."""
    if found is None:
        return None
    return "danger" if found.kind in ("danger", "urgent") else "words"


# --- the learned weights ------------------------------------------------------------------------------------

_NEGATOR = re.compile(
    r"^(?:never|not|no|don't|didn't|won't|wouldn't|can't|isn't|wasn't|nothing|nobody|without)$"
)
_TOKEN = re.compile(r"[a-z']+")


def features(text: str) -> list[str]:
    """Words and word pairs, marked when negated (N_), clearly past (P_) or from a film or book (M_)."""
    out: list[str] = []
    for sentence in _sentences(normalise(text)):
        distant = bool(_DISTANT_PAST.search(sentence)) and not _STILL_NOW.search(sentence)
        mark = ("P_" if distant else "") + ("M_" if _MEDIA.search(sentence) else "")
        negated = 0
        previous = None
        for token in _TOKEN.findall(sentence):
            if _NEGATOR.match(token):
                negated, previous = 3, token
                out.append(token)
                continue
            tag = mark + ("N_" if negated else "")
            out.append(tag + token)
            if previous is not None:
                out.append(f"{tag}{previous}_{token}")
            previous = token
            negated = max(0, negated - 1)
    return out


@cache
def _model() -> dict[str, Any]:
    raw = Path(__file__).with_name("gentle_model.json").read_text(encoding="utf-8")
    model: dict[str, Any] = json.loads(raw)
    return model


# The writer says it passed off safely ("my ex showed up at the match... Nothing happened."): the danger weights,
# which read words, not outcomes, are not asked. ("Singing like nothing happened" is no such thing.)
_SAID_SAFE = BOOK(
    r"\b(?:(?<!like )(?<!if )(?<!though )nothing (?:else )?happened|it was (?:all )?fine|(?:i|we) felt (?:completely |totally |perfectly |quite )?"
    r"safe)\b(?! (?:till|until|but)\b)"
)
# "Two years ago tonight he tried to kill me": an anniversary, unless the sentence goes on to now.
_ANNIVERSARY = BOOK(
    r"\bago (?:today|tonight),? (?:he|she|they|i|my \w+) \w+ed\b(?![^.]*\b(?:again|still|now|he's|she's|they're|is|"
    r"are|has been|have been)\b)"
)


def _now_told(norm: str) -> Iterator[str]:
    """The sentences the danger cues would read: not a dream, a story, a figure of speech or a trivial threat,
    and not something long over (told as the cues tell it: "a year ago today, and he has been texting me threats
    all day" is now)."""
    for sentence in _sentences(norm):
        if any(aside.search(sentence) for aside in _DANGER_ASIDES):
            continue
        if _distant(sentence, sentence) or (_ANNIVERSARY.search(sentence) and _DISTANT_PAST.search(sentence)):
            continue
        yield sentence


@cache
def _danger_model() -> dict[str, Any]:
    """Weights that tell danger from someone else apart from other heavy writing (bench/gentle.py trains them on
    the development sets and the stage corpus's everyday entries). Read only for an entry read as heavy, about
    one in ten: at 360 KB they would cost every save a few milliseconds."""
    raw = Path(__file__).with_name("gentle_danger.json").read_text(encoding="utf-8")
    model: dict[str, Any] = json.loads(raw)
    return model


def weigh(text: str, model: dict[str, Any] | None = None) -> tuple[float, str]:
    """The learned score for `text` (higher: more like entries that needed support), and its strongest word.

    The words' weights are averaged, not summed: a long everyday entry is judged by what its words are like,
    not by how many there are. (Divided by the square root of their number, as before, a 200-word entry
    about a pottery class scored like a cry for help; docs/care.md has the figures.)
    """
    model = model or _model()
    weights: dict[str, float] = model["weights"]
    found = sorted(set(features(text)))  # sorted: the same sum and the same strongest word in every process
    if not found:
        return float(model["prior"]), ""
    strongest = max(found, key=lambda f: weights.get(f, 0.0))
    total = sum(weights.get(f, 0.0) for f in found)
    return float(model["prior"]) + total / len(found), strongest


# What every phrase of _PLAIN holds, as plain text, lower case, spaces collapsed, before normalise() repairs it
# (so "kms", "wanna" and the misspellings it mends are here too): a text with none of these can't match, and is
# answered in a few microseconds. That matters because every guess of "recovery" asks (a large import guesses
# tens of thousands). Phrase by phrase: the ends of the first three (die, (be|was|were|'d) dead, exist, alive,
# wake up, forever, for good, born, keep living, here any(more), see tomorrow, this earth, to live); dying; to
# live for, to go on; (point|reason) (in) living, point in/of going on, worth living, tired of/done
# living|existing; _HURT_MYSELF; (end|take) my (own) life, end(ing) it (all); suicid(al) and its misspellings; cut
# again/tonight/last night/today, cutting again, my arm|wrist|thigh|leg|skin|stomach; bled; self(-)harm; off
# dead; overdose, od, pills, tablets, meds, them all; jump; without me; and for _URGENT: pills, tablets, paracetamol, painkillers, meds, medication,
# co-codamol, codeine, antidepressants, overdose(d), od'd, kill|hang myself, them all, every pill|tablet,
# slit my wrist(s), tonight's the night, jump, whole box|bottle|pack(et), prescription, script, all of them, every single|last one, bleach, antifreeze, weedkiller, drain
# cleaner, medicine|bathroom cabinet, the lot, insulin, injected, a last entry|words|note and goodbyes, brand names (tylenol, panadol...), mg, worth of, fistful. Also what normalise() makes of
# "gonna/wanna od" (na od) and "tonite" (cut tonite). Apostrophes are straightened first, as normalise() does.
# tests/test_stage_in_pain.py checks it on the corpora.
_PLAIN_KEYS = (
    "asleep", "die", "be dead", "s dead", "re dead", "d dead", "exist", "alive", "wake", "forever", "for good", "born",
    "living", "here any", "see tomorrow", "this earth", "to live", "wanna live", "my life", "own life",
    "end it", "ending it", "suic", "sucid", "suisid", "cut again", "bled", "harm", "without me", "kms", "to go on",
    "dying", "off dead", "overdos", "to od", "pills", "tablets", "meds", "them all", "jump", "cut tonight",
    "cut last night", "cut today", "cutting again", "point in going on", "point of going on", "my arm",
    "my wrist", "my thigh", "my leg", "my skin", "my stomach", "paracetamol", "painkillers", "medication",
    "in my hand", "codamol", "codeine", "antidepress", "od'd", "na od", "cut tonite", "slit my wrist",
    "tonight's the night", "whole box", "whole bottle", "whole pack", "bleach", "antifreeze", "weedkiller",
    "drain cleaner", "medicine cabinet", "bathroom cabinet", "tonights the night", "every pill",
    "every tablet", "whole supply", "prescription", " script", "all of them", "every single one", "every last one", "midnight", "the lot", "insulin", "injected", "last entry", "last words", "last note", "this is goodbye", "goodbye everyone", "sorry for everything", "tylenol", "panadol", "nurofen", "benadryl", "xanax", "ambien", "ibuprofen", "advil", "aspirin", "mg", "worth of", "fistful", "sertraline", "citalopram", "fluoxetine", "mirtazapine", "quetiapine", "amitriptyline", "zopiclone", "diazepam", "tramadol", "propranolol", "lithium",
)  # fmt: skip
_MYSELF = ("myself", "myslef", "mysef", "myelf")
_HURT_MYSELF = re.compile(
    r"\b(?:kill|killing|hang|hanging|shoot|shooting|unalive|cut|cutting|burn|burned|burnt|burning|hurt|hurting|harmed|"
    r"harming|hitting) $"
)


def one_pattern(keys: Sequence[str]) -> str:
    """A regular expression found wherever one of `keys` is, and nowhere else: their letters as a tree, so each
    place in a text is tried once rather than once for each key. Where a key ends, the longer keys it begins
    are left out: a text holding one holds the shorter key too."""
    tree: dict[str, Any] = {}
    for key in keys:
        node = tree
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        if "" in node:
            return ""
        ways = [re.escape(char) + branch(node[char]) for char in sorted(node)]
        return ways[0] if len(ways) == 1 else "(?:" + "|".join(ways) + ")"

    return branch(tree)


class _Keys:
    """Whether a text holds one of _PLAIN_KEYS: key by key for the first few texts a process asks about (a
    save asks once), then with one_pattern, about twice as fast, once its 2 ms to compile will pay (an import
    asks for tens of thousands of entries). Both answer alike for every text."""

    FIRST = 50

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys, self.asked = tuple(keys), 0
        self.pattern: re.Pattern[str] | None = None

    def __call__(self, low: str) -> bool:
        if self.pattern is None:
            self.asked += 1
            if self.asked <= self.FIRST:
                return any(key in low for key in self.keys)
            self.pattern = re.compile(one_pattern(self.keys))
        return self.pattern.search(low) is not None


_holds_plain_key = _Keys(_PLAIN_KEYS)


def _might_say_plainly(text: str) -> bool:
    """False only when no phrase of _PLAIN can be in `text` (see _PLAIN_KEYS)."""
    low = text.translate(_APOSTROPHES).lower()
    if not (low.isascii() and low.isprintable()) or "  " in low:  # any space but a single " " (or any doubt)
        low = " ".join(low.split())  # as normalise() leaves the words (most entries skip this)
    if _holds_plain_key(low):
        return True
    for word in _MYSELF:  # "... myself": the word before it decides, found without a regex over the text
        at = low.find(word)
        while at >= 0:
            if _HURT_MYSELF.search(low, max(0, at - 12), at):
                return True
            at = low.find(word, at + 1)
    return False


# The means at hand, which count as urgent only beside words that plainly say it now ("I want to die"): on their
# own they are a morning tablet, a razor while shaving, a climbing rope.
_MEANS_AT_HAND = BOOK(
    r"\b(?:pills|tablets|blade|razor|rope|knife)\b[^.]{0,12}\bin (?:my|both my) hands?\b|\bhave the (?:pills|"
    r"tablets|blade|razor|rope) (?:saved|ready|counted|in front of me)\b|\b(?:pills|tablets) (?:saved up|"
    r"stockpiled|counted out)\b|\b(?:pills|tablets) are (?:counted out|laid out|lined up)\b"
)
_PLAIN_OR_URGENT = _PLAIN + _URGENT  # self-harm under way is said plainly too

# Not plainly the writer's wish now, though the words are there: after it in its clause, a "lol" (not "not
# kidding") or "but I didn't"; just before it, a self left behind, talk or work about it, or a plan for when it
# comes ("when I feel suicidal I'll ring the line").
_AFTER = BOOK(
    r"\b(?:lol|lmao|haha|ha|jk)\b(?! (?:no|not|but) | (?:bye|goodbye)\b)|\b(?:like|as) (?:i'm supposed to|always|usual|prescribed)\b|(?<!not )(?<!n't )\b(?:joking|kidding)\b|\bbut (?:i )?"
    r"(?:didn't|did not|won't|will not|resisted)\b|\b(?:i will|i'll|i can|i should) (?:call|ring|text|phone|"
    r"reach out)\b"
)
_BEFORE = BOOK(
    r"\b(?:he|she|they|someone|somebody|my (?:friend|sister|brother|client|mum|mom|dad|son|daughter|cousin|partner|ex)|a (?:friend|stranger|user))\b(?:(?!\bi\b)[^.:]){0,25}\b(?:texted|wrote|said|messaged|posted|typed|sent)(?: (?:me|to "
    r"me|us|back|again|last night|this morning|tonight|at midnight|at \d{1,2}(?::\d\d)? ?(?:am|pm)?|in (?:the|a|our) (?:group "
    r"chat|chat|group|note|post)))*: *$|\b(?:would|i'd) have (?:said|written|thought) *$|\bthe old me\b|\b(?:talked|talking|spoke|speaking|wrote|writing) about *$|\b(?:worked|working) on *$"
)


# Said to deny it, anywhere before it in its clause: "it's not like I took a handful of pills"
# Across two sentences, which the clause reading never sees together: "I'm taking them now. All of them."
# Only where it opens the entry, or the entry names pills ("Wedding photos? I took them all. Every single one.").
_URGENT_ACROSS = BOOK(
    r"\b(?:pills|tablets)\b[^.]{0,30}\b(?:are )?(?:lined up|counted out|laid out)\b[^.!?]{0,60}(?:[.!?][^.!?]{0,30})?\b(?:waiting|"
    r"wait) (?:til|till|until) (?:everyone|everybody|they|the house|the kids)\b[^.]{0,20}\basleep\b(?! to\b)|\A(?=[\s\S]*\b(?:this is my last entry|my last (?:entry|words|note)|this is goodbye|goodbye everyone|i'm sorry for "
    r"everything)\b)[\s\S]*?(?:\b(?:the|a|my|his|dad's) (?:rope|noose|gun|pills|tablets|blade|razor)\b[^.]{0,30}\b(?:is|are) (?:ready|"
    r"in the \w+|loaded|saved|counted|tied|here|next to me)\b|\b(?:i've|i have|i've got|i have got) (?:the|my|all my) (?:rope|noose|gun|pills|tablets|blade|razor) (?:ready|counted(?: out)?|saved(?: up)?|lined up|laid out|in front of me|next to me)\b|\b(?:i've|i have|i) (?:counted|lined|laid|set) out (?:the|my|all my|all the) (?:pills|tablets)\b|\b(?:the )?(?:pills|tablets) are (?:counted out|laid out|lined up)\b)|\A(?![\s\S]*\b(?:pharmacy|pharmacist|chemist|disposal|takes? them back)\b)(?:(?=[\s\S]*\b(?:pills|tablets|paracetamol|painkillers|meds|medication|co-codamol|codeine|antidepressants|sertraline|citalopram|fluoxetine|mirtazapine|quetiapine|amitriptyline|zopiclone|diazepam|tramadol|propranolol|lithium|insulin|overdose|packet|bottle|stash)\b)[\s\S]*?(?:^|[.!?]\s)|\s*)(?:(?:i'm|i am|im) taking them (?:all )?(?:now|tonight|rn)|(?:i've|i have|i) (?:just )?(?:taken|took|swallowed) them all)[.!]+\s*(?:all of them|every (?:single|last) one(?: of them)?)(?:[.!]+(?=\s|$)|$)|(?:^|(?<=[.!?] ))(?:i've|i have|i) (?:just )?(?:taken|took|swallowed) all (?:of )?my (?:pills|tablets|meds|medication|sleeping pills|sleeping tablets|antidepressants)\b(?: (?:at once|in one go|tonight|now|just now|an hour ago|for good(?: this time)?)| with (?:the )?(?:vodka|wine|alcohol|booze|gin|whisky|whiskey|beer|drink)| and (?:i|i'm)\b[^.!?]*)?[.!?]+\s*(?:goodbye|bye|sorry|i love you|forgive me|tell (?:\w+ ){1,2}i love (?:her|him|them|you))\b|(?:saved|stockpiled|hoarded|counted out|been saving) (?:up )?(?:my |the |all my )?(?:pills|tablets|meds|painkillers|sleeping pills)\b[\s\S]{0,200}?\b(?:i'm going to|i am going to|gonna|i'm|i am|i will|i'll) tak(?:e|ing) them all\b"
)
# Danger said over two or three sentences, read over the whole entry as _URGENT_ACROSS is: shut in by someone,
# and writing it from there ("He took my phone and locked me in the bedroom. Typing this on the old iPad."); a
# child not brought back, and him not answering (a held-out list's miss).
_DANGER_ACROSS = BOOK(
    r"\b(?:didn't|did not|hasn't|has not|won't|will not|never) (?:bring|brought|return|returned|drop|dropped) (?:him|"
    r"her|them|the kids|the children|the baby|my (?:son|daughter|kids|children|baby))\b(?: \w+)? back\b(?! (?:on time|"
    r"late|till|until|by|at)\b)(?![\s\S]{0,160}\b(?:driving|no signal|battery|as agreed|we agreed)\b)(?=[\s\S]{0,140}?"
    r"\b(?:not answering|isn't answering|won't answer|hasn't answered|phone's off|phone is off|"
    r"gone (?:up|off|away) to|abroad|passports?)\b)|"
    r"\b(?:he|she|they)(?:'s| has| have)? (?:took my phone and )?(?:locked|shut) me in (?:the |my |a |his |her |our )?(?:\w+ )?(?:room|bedroom|bathroom|house|flat|car|cellar|basement|shed|garage|cupboard|wardrobe|attic|loft|toilet|kitchen|office|van|spare room)\b(?:(?!when i was|years ago|as a "
    r"(?:kid|child)|growing up)[^.!?]){0,40}[.!?]+\s*(?:(?:i'm|"
    r"i am|im) )?(?:typing|writing) this\b|\b(?:i'm |i am |im )?(?:typing|writing) this\b[^.!?]{0,60}[.!?]*\s*(?:he|"
    r"she|they)(?:'s| has| have)? (?:locked|shut) me in (?:the |my |a |his |her |our )?(?:\w+ )?(?:room|bedroom|bathroom|house|flat|car|cellar|basement|shed|garage|cupboard|wardrobe|attic|loft|toilet|kitchen|office|van|spare room)\b"
)
# Fled, and followed (a fresh development set, dev3.jsonl, 7 December 2026): the writer has left or is hiding, and
# someone is coming after them now ("At the coach station with the kids... He will come looking", "in a hostel
# under a different name... his friends asking the desk about me"). Either alone is not danger: "I left work
# early", "mum will come looking if I'm late".
_FLED = BOOK(
    r"(?:\b(?:i|we)|(?:^|(?<=[.!?\n] )|(?<=[.!?\n]))) ?(?:(?:fled|escaped|ran away|got out|snuck out)\b(?! of (?:bed|"
    r"the (?:car|bath|shower|pool|meeting)))|(?:left|moved out|ran|got away)(?= (?:him|her|them|home|the house|the "
    r"flat|our (?:house|flat|place)|my (?:husband|wife|partner|boyfriend|girlfriend|ex|dad|mum|uncle|family)|while "
    r"(?:he|she|they)|in the night|at \d|with (?:the|both|my|all) (?:kids|children|baby|boys|girls|dog)|to "
    r"(?:mum's|my (?:mum's|sister's|brother's|friend's|nan's|gran's)|a friend's))\b))|\b(?:safe house|refuge|"
    r"women's shelter|under a different name|paid in cash)\b|\bwith (?:the|both|all three|my) (?:kids|children|"
    r"boys|girls|baby) and (?:one|a|two) bags?\b"
)
_PURSUIT = BOOK(
    r"\b(?:he|she|they)(?:'ll| will|'s going to| is going to|'s gonna| is gonna|'re going to| are going to) "
    r"(?:come|be) (?:looking|after (?:me|us))\b|\b(?:driving|walking|going|out) (?:round|around) looking for "
    r"(?:me|us|you)\b|\b(?:he|she|they)(?: now)? (?:knows|know|found out|has found out|have found out|'s found out|"
    r"'ve found out) where (?:i am|we are|i'm staying|we're staying|i live now|we live now|i'm living|we're "
    r"living|the refuge is|the safe house is)\b|\b(?:he|she|they) (?:can|could) see where (?:i am|we are)\b|"
    r"\b(?:he|she|they)(?:'s| is| are|'re) (?:on (?:his|her|their) way|coming) (?:here|for (?:me|us)|to (?:find|"
    r"get) (?:me|us))\b|\basking (?:the desk|around|about|where)\b[^.]{0,30}\b(?:me|us|i am|we are|i'm|we're|"
    r"a (?:girl|woman|lady|mum|mother) (?:from|with|called))\b"
)
_UNSURE_IF = BOOK(r"\b(?:know|sure|tell) (?:if|whether)\b[^.]{0,20}$")
_DISCLAIMED = BOOK(r"\b(?:not like|not as if|not that|not saying|wouldn't say|doesn't mean|don't mean)\b")


def _aside(clause: str, match: re.Match[str]) -> bool:
    return _aside_around(clause, match, clause[match.end() :])


def _aside_around(clause: str, match: re.Match[str], after: str) -> bool:
    before = clause[max(0, match.start() - 40) : match.start()]
    return bool(_AFTER.search(after) or _BEFORE.search(before) or _DISCLAIMED.search(clause[: match.start()]))


# After an overdose taken, a "lol" or a "haha" is how some people say it, not a joke told: only a "jk", "joking"
# or "kidding" takes the emergency line back ("I've taken 30 paracetamol lol"). A plan with a time and a "lol"
# ("gonna kill myself tonight lol, this essay") stays as before.
_LAUGHED = BOOK(r"^\W*(?:lol|lmao|haha|ha)\b")
_JOKING = BOOK(r"\b(?:jk|j/k|(?<!not )(?<!n't )(?:joking|kidding))\b")
_TAKEN = BOOK(r"\b(?:taken|took|swallowed|downed|necked|injected|overdosed|od'd|drank|drunk)\b")


def _aside_under_way(clause: str, match: re.Match[str]) -> bool:
    rest = clause[match.end() :]
    laughed = _LAUGHED.search(rest)
    if laughed is not None and _TAKEN.search(match.group(0)) and not _JOKING.search(rest):
        rest = rest[laughed.end() :]
    return _aside_around(clause, match, rest)


def _across(norm: str) -> str | None:
    """What _URGENT_ACROSS finds over the whole entry, as a cue; None when nothing."""
    found = _URGENT_ACROSS.search(norm)
    return None if found is None else found.group(0).strip(" .!?\n")


def plainly_self_harm(text: str) -> Concern | None:
    """Whether `text` says outright that its writer wants to die or is harming themselves, now.

    Narrower than concern(), for where a wrong yes costs more than a calm line: a stage guess never calls such
    words "recovery" (journal/stagebook.guess_stage). The same readings as concern() apply (not negated, not someone
    else's, not quoted, not clearly over), on the phrases of _PLAIN and _URGENT alone, and not said in jest, of
    "the old me", of talk about it, or as a denial (_aside).
    """
    if not _might_say_plainly(text):
        return None
    norm = _QUOTED.sub(" ", normalise(text))
    across = _across(norm)
    if across is not None:
        return Concern("self_harm", across)
    # A phrase found in a clause is found in the whole text too (a clause is a part of it, cut at punctuation
    # or a "but"), so a text in which no phrase is found at all is answered without reading its clauses. (Two
    # rare exceptions can only cost a miss, never a false "yes": a figure of speech taken out of a clause, and
    # a quote typed against the words around it, can each join words the whole text keeps apart.)
    if not any(pattern.search(norm) for pattern, _, _ in _PLAIN_OR_URGENT):
        return None
    return _find_self_harm(norm, _PLAIN_OR_URGENT, _aside)


def _find_self_harm(
    norm: str,
    patterns: Sequence[tuple[Lazy, bool, bool]] = _SELF,
    aside: Callable[[str, re.Match[str]], bool] | None = None,
) -> Concern | None:
    # Only the cues whose needles are somewhere in the text are tried on its clauses (each a part of it).
    patterns = [cue for cue in patterns if cue[0].could_match(norm)]
    if not patterns:
        return None
    for sentence in _sentences(norm):
        if _MEDIA.search(sentence):
            continue
        for clause in _clauses(sentence):
            if _FIGURATIVE.search(clause):
                clause = _FIGURATIVE.sub(" ", clause)
            for pattern, negatable, own in patterns:
                for match in pattern.finditer(clause):
                    if negatable and _negated(clause, match.start()):
                        continue
                    if _ASKED.search(clause[: match.start()]):
                        continue
                    if (
                        own
                        and not _writers_own(clause, match.start() + 1)
                        and not _FIRST_PERSON.search(match.group(0))
                    ):
                        continue
                    if _distant(sentence, clause) or (aside is not None and aside(clause, match)):
                        continue
                    return Concern("unsure" if pattern.source in _UNSURE else "self_harm", match.group(0))
    return None


def _find_danger(norm: str) -> Concern | None:
    cues = [cue for cue in _DANGER if cue[0].could_match(norm)]  # as in _find_self_harm
    if not cues:
        return None
    for sentence in _sentences(norm):
        if any(aside.search(sentence) for aside in _DANGER_ASIDES):
            continue
        for clause in [sentence, *_clauses(sentence)]:
            for pattern, negatable, aimed in cues:
                for match in pattern.finditer(clause):
                    if negatable and _negated(clause, match.start()):
                        continue
                    if _distant(sentence, clause) or _ASKED.search(clause[: match.start()]):
                        continue
                    if aimed and not _aimed_at_writer(clause, match):
                        continue
                    if _WEAPON.search(match.group(0)) and _SAFE_WEAPON.search(sentence):
                        continue
                    return Concern("danger", match.group(0))
    return None


_WEAPON = BOOK(r"\b(?:gun|guns|shotgun|rifle|firearm|pistol|revolver|handgun|knife|knives|blade|bat)\b")
_SAFE_WEAPON = BOOK(
    r"\b(?:range|club|nerf|water gun|glue gun|staple gun|toy|video game|museum|hunting trip|clay pigeon|"
    r"paintball|laser tag|butter knife|bread knife|knife set|chopping|cooking|recipe|whittl\w*|carving the)\b"
)
_AT_WRITER = BOOK(r"\b(?:me|my|i|i'm|i'd|i'll|us|our|you|your|myself)\b")
_AT_OTHER = BOOK(r"\b(?:her|him|them|herself|himself|themselves)\b")


def _aimed_at_writer(clause: str, match: re.Match[str]) -> bool:
    """A threat counts when it is aimed at the writer (or their children and animals), not at someone else."""
    after = clause[match.start() : match.end() + 40]
    spoken_to = _AT_WRITER.search(after)
    at_other = _AT_OTHER.search(clause[match.end() - 12 : match.end() + 12])
    return bool(spoken_to) and not (
        at_other and not _AT_WRITER.search(clause[match.end() - 12 : match.end() + 12])
    )


def heavy_stretch(recent: Sequence[tuple[datetime, int | None]], now: datetime) -> bool:
    """Mood at or below 2 on at least three of the last five entries written within the past week."""
    newest_first = sorted(recent, key=lambda pair: pair[0], reverse=True)
    week = [mood for when, mood in newest_first if now - when <= timedelta(days=7)]
    last = week[:HEAVY_WINDOW]
    return sum(1 for mood in last if mood is not None and mood <= HEAVY_MOOD) >= HEAVY_COUNT
