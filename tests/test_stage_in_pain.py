"""Words of wanting to die are never guessed "recovery", and never brought back by a review of stages.

The classifier learned from everyday recovery writing and called "I don't want to be here anymore. I want to
die." recovery (62%). journal/stagebook.guess_stage reads such a guess once more; docs/stages.md (step 7)
says how.
"""

from __future__ import annotations

import glob
import json
import random
import re
import uuid as uuidlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from recovery_journal.care import gentle
from recovery_journal.journal.service import Journal
from recovery_journal.journal.stagebook import guess_stage
from recovery_journal.portability import guessing, importers
from recovery_journal.stages.model import Stage, classify_with, shipped

from .conftest import Cli, Ran

# Each of these the classifier alone guesses recovery (checked below, so a new model can't hide the rule).
IN_PAIN = [
    "I don't want to be here anymore. I want to die.",
    "Went for a walk this morning and sat by the river. I want to die. Nobody would even notice.",
    "Got my own place. Signed the lease today. I don't want to be alive anymore though.",
    "Finished the course and got the certificate. I feel suicidal tonight and I don't know why.",
    "I cut myself again tonight. Did the shopping first.",
]


@pytest.mark.parametrize("text", IN_PAIN)
def test_plainly_painful_words_are_never_guessed_recovery(text: str) -> None:
    model = shipped()
    alone = classify_with(model, text)
    assert alone.stage is Stage.RECOVERY  # what the classifier alone says
    guess = guess_stage(model, text).guess
    likelier = max((Stage.RECOGNITION, Stage.ACCEPTANCE), key=lambda s: alone.scores[s])
    assert guess.stage is likelier and guess.scores[Stage.RECOVERY] == 0.0
    # the classifier's own probability, not one made up by sharing recovery's out; unsure; quoting nothing
    assert guess.confidence == alone.scores[likelier] < 0.5 and guess.uncertain
    assert guess.scores[likelier] == alone.scores[likelier] and guess.cues == ()


@pytest.mark.parametrize(
    "text",
    [
        "I cried for the years I lost. I want to die.",
        "I keep replaying what he said. Was it my fault? I want to die.",
    ],
)
def test_painful_words_the_classifier_put_in_another_stage_stay_as_it_guessed(text: str) -> None:
    model = shipped()
    assert gentle.plainly_self_harm(text) is not None
    assert classify_with(model, text).stage is not Stage.RECOVERY
    assert guess_stage(model, text).guess == classify_with(model, text)


def test_a_guess_of_another_stage_is_left_as_the_classifier_made_it() -> None:
    model = shipped()
    text = "I keep replaying the argument, was it my fault? I want to die of embarrassment, honestly."
    assert guess_stage(model, text).guess == classify_with(model, text)
    proud = "Signed up for pottery and held my boundary with him. I laughed with a friend."
    assert guess_stage(model, proud).guess == classify_with(model, proud)
    assert classify_with(model, proud).stage is Stage.RECOVERY


SAID_PLAINLY = [
    "I want to die.",
    "i dont want to be alive anymore",
    "I don't want to live.",
    "Everyone would be better off without me.",
    "I've been having thoughts of suicide again.",
    "I burnt myself with the lighter again tonight.",
    "I keep wishing I'd die in my sleep.",
    "honestly i just wanna kms",
    "i want to\nkill myself",
    "Im feeling sucidal again tonight.",
    "I dont want to be here any more.",
    "I dont want to be here any\nmore.",
    "finally got my own flat lol\ni want to die",
    "Finished the course. I want to die, my whole life is a joke.",
    "Got the job offer today. i want to die and i have no one to talk about it with",
    "i want to kill\x1cmyself",
    "everyone would be better off without\x1cme",
    "I cut my arms again tonight.",
    "No one cares and I want to die.",
    "I don't know why I want to die.",
    "I'm ready to die.",
    "I don't see the point in living anymore.",
    "I think about suicide every day.",
    "Part of me wants to die.",
    "I want to die and I'm not kidding.",
    "I'd be better off dead.",
    "I took a handful of paracetamol an hour ago.",
    "I've taken 30 paracetamol. I don't want to be found.",
    "Nobody knows I took a handful of paracetamol an hour ago.",
    "I am ending it all.",
    "I've injected all my insulin.",
    "I'm ending it all with pills tonight.",
    "I've got the pills. I'm ending my life with them.",
    "I'm taking them now. All of them.",
    # a fourth review: the means, a place or a time after "with her" or "in"
    "I'm going to end my life with her pills.",
    "I'm ending my life in the woods tonight.",
    "I'm ending my life in a week.",
    "A year ago today my daughter died and I wish I was dead.",
    "My husband died in March. I want to end my life with him.",
    "I keep thinking about ending my life in the garden tonight",
    "I want to shoot myself",
    "I have it all planned for tonight. The rope is in the garage. I wrote to Mum. This is my last entry.",
]


@pytest.mark.parametrize("text", SAID_PLAINLY)
def test_what_counts_as_said_plainly(text: str) -> None:
    assert gentle.plainly_self_harm(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "I would never kill myself. I'm just so angry.",
        "Two years ago I wanted to die. Today I planted tomatoes.",
        "My friend told me she feels suicidal and I listened.",
        "That joke was so bad I wanted to die lol.",
        "The old me would have wanted to end it all after a day like today. I went for a run.",
        "In group we talked about suicidal thoughts and how common they are.",
        "I don't want to live with him ever again.",
        "Planned it, did it, home by 4.",
        "I picked the place, I picked the time, and I left when I wanted.",
        '"I want to die," she said, and laughed.',
        # good days that share the words
        "I'm taking my life back, one small step at a time.",
        "Today I decided to take my life back. Booked the pottery class.",
        "I cut myself again chopping onions, laughed it off and kept cooking.",
        "Hurt myself again at football, ankle's swollen but we won!",
        "I'm ready to die on this hill: no contact means no contact.",
        "When I'm ninety I hope to die in my own bed, surrounded by people who love me.",
        "I don't want to live that way ever again. Signed the lease on my own flat.",
        "I'm killing myself at the gym these days but I feel strong.",
        "Last winter I wanted to die. This spring I planted roses.",
        "Safety plan done. When I feel suicidal I will ring the crisis line.",
        "Therapy today: we worked on the urge to hurt myself and what triggers it.",
        # from a second review: recovery language, milestones, figures of speech, accidents
        "Big day. 90 days free of self-harm today! Mum took me out for cake.",
        "My urge to cut myself was a 2 out of 10 today, lowest ever.",
        "I was tempted to cut again tonight but I didn't, I went for a walk.",
        "Cut myself again today on the broken mug. Plaster on, moving on.",
        "I want to die my hair pink for the summer, new me, new flat!",
        "Wrote my safety plan: warning signs, suicidal thoughts, who to call.",
        "I'm ending my life as a people pleaser, starting today.",
        "Sometimes I think life isn't worth living without music, so I bought a guitar.",
        "Hanging myself a new shelf, well, hanging a shelf myself, first DIY project!",
        "I hope I never wake up to that alarm again, quit the night shift!",
        "I want to be dead honest with myself in this journal.",
        "My phone battery wants to die every afternoon but I'm thriving.",
        "Tomorrow I'm going to burn myself out if I'm not careful, so I said no to the extra shift.",
        "I think about suicide prevention a lot in my new job.",
        "Ending my life with him was the best decision I ever made.",
        "I'm going to end it all with him tonight, no more chances.",
        "I'm ending my life in London and moving back up north.",
        "Ending my life with them was hard but my parents were controlling.",
        "I'm ending it all today, the lease, the joint account, everything with his name on it.",
    ],
)
def test_what_does_not(text: str) -> None:
    assert gentle.plainly_self_harm(text) is None


def test_the_rule_changes_no_guess_in_the_seed_corpus() -> None:
    """So the accuracy docs/stages.md reports still holds: none of the 2,144 everyday entries is caught."""
    corpus = Path(gentle.__file__).parent.parent / "stages" / "corpus"
    files = sorted(glob.glob(str(corpus / "*.jsonl")))
    lines = [line for name in files for line in Path(name).read_text(encoding="utf-8").splitlines() if line]
    texts = [json.loads(line)["text"] for line in lines]
    assert len(texts) > 2000
    assert [t[:60] for t in texts if gentle.plainly_self_harm(t) is not None] == []


def test_the_quick_first_look_never_turns_away_words_the_phrases_would_find(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """gentle._might_say_plainly answers most texts without reading them closely; where the phrases say yes,
    it must too. Checked on every text of both corpora and on the examples here (its comment gives the
    reasoning phrase by phrase)."""
    folders = [
        Path(gentle.__file__).parent.parent / "stages" / "corpus",
        Path(__file__).parent / "fixtures" / "gentle",
    ]
    lines = [
        line
        for folder in folders
        for name in sorted(folder.glob("*.jsonl"))
        for line in name.read_text(encoding="utf-8").splitlines()
        if line
    ]
    texts = [json.loads(line)["text"] for line in lines] + IN_PAIN + SAID_PLAINLY
    quick = [gentle.plainly_self_harm(t) is not None for t in texts]
    monkeypatch.setattr(gentle, "_might_say_plainly", lambda text: True)
    close = [gentle.plainly_self_harm(t) is not None for t in texts]
    assert quick == close and sum(close) >= 40


def test_the_keys_as_one_pattern_are_found_exactly_where_the_keys_are() -> None:
    """_Keys answers key by key for a process's first texts, then with one_pattern: both must agree on every
    text, including those holding a key only as part of a longer one, or only its beginning."""
    keys = gentle._PLAIN_KEYS
    pattern = re.compile(gentle.one_pattern(keys))
    rng = random.Random(14)
    texts = [line.lower() for line in IN_PAIN + SAID_PLAINLY]
    for key in keys:
        texts += [key, f"x{key}y", key[:-1], key[1:], f"{key[:-1]} {key[-1]}", key[::-1]]
    pieces = [*keys, *(["a", " ", "the ", "my ", "s", "e", "ing ", "'", ".", "d", "o", "ie"] * 10)]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    texts += ["we watched the sunrise and walked home", "", "mg", "m g", "overdo", "tonight' s"]
    expected = [any(key in text for key in keys) for text in texts]
    assert [pattern.search(text) is not None for text in texts] == expected
    assert min(sum(expected), len(expected) - sum(expected)) > 900  # both answers well tried

    asking = gentle._Keys(keys)
    answers = [asking(text) for text in texts]
    assert asking.pattern is not None and answers == expected  # past the first few, the pattern answered


def test_an_import_guessed_on_other_cores_follows_the_rule_too() -> None:
    model = shipped()
    start = datetime(2025, 1, 1, 8, 0, tzinfo=timezone.utc)
    words = [*IN_PAIN, "Signed up for pottery and held my boundary with him. I laughed with a friend."]
    entries = []
    for n in range(40):
        entry = importers.make_entry(
            str(uuidlib.UUID(int=n + 1)), start + timedelta(hours=n), words[n % len(words)], []
        )
        assert entry is not None
        entries.append((entry, []))

    def here(text: str):  # type: ignore[no-untyped-def]
        return guess_stage(model, text)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(guessing, "LEAST", 10)
        with guessing.guesser(entries, len(entries), here, None, workers=2) as guess:
            assert isinstance(guess, guessing.Ahead)
            ahead = [guess(e.text) for e, _ in entries]
            assert not guess.broken
    assert ahead == [here(e.text) for e, _ in entries]
    assert [r.stage is Stage.RECOVERY for r in ahead[: len(IN_PAIN)]] == [False] * len(IN_PAIN)
    assert ahead[len(IN_PAIN)].stage is Stage.RECOVERY


def test_writing_it_stores_another_stage_and_a_review_leaves_it_out(journal: Journal) -> None:
    painful = journal.write(IN_PAIN[0])
    assert painful.stage is not None and painful.stage.stage is not Stage.RECOVERY
    assert painful.stage.guess.uncertain  # so only the rule keeps it out of the review
    unsure = journal.write("Tuesday. Bus was late. Rain again.")
    reviewed = [e.id for e in journal.stages.uncertain()]
    assert unsure.id in reviewed and painful.id not in reviewed


def test_from_the_command_line(cli: Cli, initialised: Ran) -> None:
    text = IN_PAIN[3]
    guessed = json.loads(cli("stage", "guess", "--json", input=text).stdout)
    assert guessed["stage"] in ("recognition", "acceptance") and guessed["scores"]["recovery"] == 0.0
    assert cli("write", input=text).exit_code == 0
    shown = json.loads(cli("stage", "show", "1", "--json").stdout)
    assert shown["stage"]["stage"] == guessed["stage"]
    assert json.loads(cli("stage", "review", "--json").stdout)["entries"] == []
    # The shares left add up to less than the whole; the person is told why, without naming their words.
    said = "Recovery isn't guessed for words like these"
    off = {"RECOVERY_JOURNAL_GENTLE_CHECKS": "0"}  # with the check on, no stage is shown for them at all
    assert "doesn't show a stage" in cli("stage", "show", "1").stdout
    assert (
        said in cli("stage", "show", "1", env=off).stdout and said in cli("stage", "guess", input=text).stdout
    )
    assert "Recovery     0%" not in cli("stage", "show", "1", env=off).stdout  # no shares that could read 0%
    # Not asked to sort these words into a stage; pointed to support, as after saving them.
    assert "tell it" not in cli("stage", "show", "1", env=off).stdout
    assert "recovery-journal support" in cli("stage", "show", "1", env=off).stdout
    assert said not in cli("stage", "guess", input="I finally said no to her and held my boundary.").stdout
    # The writer's word still wins.
    assert cli("stage", "set", "1", "recovery").exit_code == 0
    assert json.loads(cli("stage", "show", "1", "--json").stdout)["stage"]["stage"] == "recovery"
    assert said not in cli("stage", "show", "1").stdout
    assert "Your word stands" in cli("stage", "show", "1").stdout  # shown as the writer set it


def test_whatever_the_stage_rule_calls_plainly_painful_gets_a_line() -> None:
    """plainly_self_harm() reads phrases concern()'s broader cues don't hold; its yes never meets silence."""
    texts = [*SAID_PLAINLY, *IN_PAIN]
    assert [t for t in texts if gentle.plainly_self_harm(t) is not None and gentle.concern(t) is None] == []
