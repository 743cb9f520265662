"""The gentle check: meaning, not single words; measured on labelled corpora, one of them never tuned on."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from recovery_journal.care import gentle

CORPUS = Path(__file__).parent / "fixtures" / "gentle"


@pytest.mark.parametrize(
    "text",
    [
        "I can't stop shaking. I don't want to be here anymore. I want it all to stop.",
        "I wish I could just not wake up.",
        "i wish i could just not wake up tbh",
        "dont want to be here anymore",
        "Everyone would be better off without me.",
        "I've been saving up my tablets. There's enough now.",
        "I cut again last night. First time in months.",
        "Wrote letters to my kids tonight, just in case.",
        "He said he'd kill me if I left.",
        "I'm scared he'll come tonight.",
        "He put his hands around my throat again last night.",
        "She knows my new address and keeps driving past.",
        '"If you leave, you\'ll never see the kids again," he told me.',
        "I don't feel safe at home tonight.",
        "I feel unsafe with him since the weekend.",
        "He said he would end me if I told anyone.",
        "He hit me again when I got home.",
        "He said I'd pay for this when he gets back.",
        "I've planned it. Tomorrow, when the flat is empty.",
        "I keep thinking about doing it tonight.",
        "I know which bridge.",
        "He keeps driving past my flat at night.",
        "Dave said he'd hurt me if I went to the police.",
        # said in ways a first mending of the danger cues dropped (found in review)
        "I don't think I'm safe tonight.",
        "I'm not sure I'm safe here.",
        "He said I'd pay.",
        "He says he'll ruin everything I have.",
        "He hasn't hit me since Christmas.",
        "He doesn't hit me where it shows.",
        "He told me he'd finish what he started if I went to the police.",
        "Ex turned up at my daughter's school today pretending he was on the pickup list.",
        "I keep thinking about the gun in dad's safe.",
        # a negation before the writer's next clause once cancelled these (second review)
        "No one cares and I want to die.",
        "I don't know why I want to die.",
        "No matter what I do I want to die.",
        "I'm not okay and I want to die.",
        "Nobody would notice if I killed myself.",
        "He said I'd pay dearly.",
        "He hasn't hit me in weeks but I know it's coming.",
        "He had never hit me until last night.",
        "He got in through the back door last night while I was asleep. He was standing in the bedroom.",
        "He broke into my flat last night.",
        "I want to be free from him and end my life.",
        "He's free from prison now and following me again.",
        "My stepdad is hurting me and I can't get out.",
        "He's threatening me with a knife.",
    ],
)
def test_words_that_need_support_are_noticed(text: str) -> None:
    assert gentle.concern(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "Killing it at work today!",
        "Dying to see her on Friday.",
        "I would never hurt myself. I'm angry, that's all.",
        "I'm not suicidal, just exhausted.",
        "Mum died a year ago today. I miss her so much.",
        "Two years ago I wanted to die. Today I planted tomatoes.",
        "My friend told me she self-harms and I listened.",
        "The film was about a woman who wanted to die; it was beautifully made.",
        "He used to threaten me. Now he lives in another country and I feel safe.",
        "She gives me the silent treatment when I say no.",
        "I'm so tired and lonely tonight, but I made soup and called my sister.",
    ],
)
def test_figurative_negated_past_and_others_words_are_not(text: str) -> None:
    assert gentle.concern(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I feel safe in my own home. Changed the locks, hung the pictures.",
        "I don't know if it's abuse. He's never hit me. He's a brilliant dad.",
        "He didn't hit me. I keep writing that sentence.",
        "I made the trifle Mum always said I'd ruin, and it was perfect.",
        "She said I'd made her feel stupid, and by the end of it I was the one apologising.",
        "My manager said take the afternoon before I'd even finished explaining.",
        "He said I could pay my own rent if I wanted to be an adult.",
        "The coach sulked because I said my shoulder hurt.",
        "Had the dream where he's at the door again, except this time I said no and shut it.",
        "I keep driving past the school on the way to Mum's.",
        "Not sure I'm safe to drive yet with this ankle.",
        "He said I'd pay the bills this month and I'd do the shopping.",
    ],
)
def test_everyday_words_are_not_taken_for_danger(text: str) -> None:
    """Words the danger cues once read as a threat: "If you're not safe right now, call 999" after any of
    these would frighten the person it means to help."""
    found = gentle.concern(text)
    assert found is None or found.kind != "danger", found


@pytest.mark.parametrize(
    "text",
    [
        "Went to my nephew's christening and left before my brother got drunk. Planned it, did it, home by 4",
        "I knelt down and asked what was wrong. What kind of mum do I want to be? I think I'm doing it.",
        "Met my brother for coffee, on my terms. I picked the place, the cafe with the good scones.",
        "We planned it the way we wanted, and it was lovely.",
    ],
)
def test_everyday_plans_are_not_taken_for_plans_to_die(text: str) -> None:
    """Cues the self-harm patterns once found in ordinary, proud days (from the stage corpus)."""
    found = gentle.concern(text)
    assert found is None or found.kind != "self_harm", found


def _load(name: str) -> list[dict[str, str]]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _rates(rows: list[dict[str, str]]) -> tuple[float, float]:
    positives = [r for r in rows if r["label"] != "none"]
    negatives = [r for r in rows if r["label"] == "none"]
    recall = sum(gentle.concern(r["text"]) is not None for r in positives) / len(positives)
    false_alarms = sum(gentle.concern(r["text"]) is not None for r in negatives) / len(negatives)
    return recall, false_alarms


def test_the_corpora_are_labelled_as_documented() -> None:
    for name in ("dev.jsonl", "dev2.jsonl", "heldout.jsonl", "heldout2.jsonl"):
        rows = _load(name)
        assert {r["label"] for r in rows} == {"self_harm", "danger", "none"}
        assert sum(r["label"] == "none" for r in rows) >= len(rows) // 3  # hard negatives are most of it
    for name in ("heldout3.jsonl", "dev3.jsonl", "heldout4.jsonl"):  # danger and its near misses only
        rows = _load(name)
        assert {r["label"] for r in rows} == {"danger", "none"}
        assert sum(r["label"] == "none" for r in rows) >= len(rows) // 3


def test_on_the_development_sets_it_catches_nearly_all_and_rarely_alarms() -> None:
    for name in ("dev.jsonl", "dev2.jsonl"):
        recall, false_alarms = _rates(_load(name))
        assert recall >= 0.88 and false_alarms <= 0.04, (name, recall, false_alarms)


def test_on_the_held_out_set_it_stays_where_docs_care_md_says() -> None:
    """By someone who never saw the other sets, never trained on: docs/care.md reports 0.83 and 0.11."""
    recall, false_alarms = _rates(_load("heldout.jsonl"))
    assert recall >= 0.78 and false_alarms <= 0.12, (recall, false_alarms)


def _emergency_rates(rows: list[dict[str, str]]) -> tuple[float, float]:
    """Of the danger entries, the share given the emergency line; of the rest (none a crisis), the same."""
    danger = [r for r in rows if r["label"] == "danger"]
    calm = [r for r in rows if r["label"] == "none"]
    told = sum(_line(r["text"]) == "danger" for r in danger) / len(danger)
    alarmed = sum(_line(r["text"]) in ("danger", "harmed") for r in calm) / len(calm)
    return told, alarmed


def _line(text: str) -> str | None:
    return gentle.line_for(gentle.concern(text))


def test_danger_on_the_held_out_sets_gets_the_emergency_line_not_a_thank_you() -> None:
    """Half of it got "Thank you for putting this into words" until the second weights (docs/care.md):
    heldout 0.51, heldout2 0.48, heldout3 (danger and its near misses only) 0.32. Then 0.83, 0.80 and 0.66;
    with dev3 among their training (oblique danger), 0.85, 0.80 and 0.74, and heldout4 (only ever measured,
    oblique danger and its near misses) 0.29 before, 0.49 after. heldout3's near misses, written to fool, got
    the emergency line 2 times in 90 before and 3 after ("I still hold my breath" at keys in the door)."""
    for name, least, most in (
        ("heldout.jsonl", 0.8, 0.03),
        ("heldout2.jsonl", 0.76, 0.03),
        ("heldout3.jsonl", 0.7, 3 / 90),
        ("heldout4.jsonl", 0.45, 2 / 65),
    ):
        told, alarmed = _emergency_rates(_load(name))
        assert told >= least and alarmed <= most, (name, told, alarmed)


@pytest.mark.parametrize(
    "text",
    [
        "He hasn't said a word since I told him I'm leaving on Friday. He just keeps sitting in the hall by "
        "the front door.",
        "Dad has the belt out again tonight. He said he's coming up after the news. I'm under my bed with "
        "my little brother.",
        "He moved the knives block into the bedroom today and didn't say why. I'm sleeping in my clothes "
        "with my shoes on.",
        "He found out about the solicitor. He's been drinking since lunch and keeps saying we'll talk when "
        "the kids are in bed.",
        "Got home and all my clothes were cut up on the bed. He's at the pub. He'll be back at closing.",
        "He keeps telling me accidents happen on this road at night. I drive home from my shift at 11.",
    ],
)
def test_danger_no_cue_names_is_read_by_the_second_weights(text: str) -> None:
    assert gentle._find_danger(gentle.normalise(text)) is None  # no cue: it is the weights that read it
    assert gentle.line_for(gentle.concern(text)) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "Had the dream again where he's at the door, banging and shouting that he'll kill me.",
        "Two years ago tonight he tried to kill me and she, my neighbour, called the police.",
        "He said he'd be dead chuffed if I came to the wedding.",
        "He says I can't leave the house without a coat in this weather.",
    ],
)
def test_the_second_weights_pass_over_what_the_danger_cues_do(text: str) -> None:
    # a dream, an anniversary, a figure of speech, a trivial care: not someone to be kept safe from now
    assert gentle.line_for(gentle.concern(text)) != "danger"


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        # a review of the danger weights: a child held over a drop, a blow promised, a way in
        ("He held the baby over the banister to make me beg. I'm frightened for both of us tonight.", True),
        ("My ex held the baby over the balcony railing and laughed when I screamed.", True),
        ("He punched the wall right next to my head and said the next one won't miss.", True),
        ("He climbed in through the kitchen window while I was out and left the ring on my pillow.", True),
        # ... and what they must not read so
        ("Held my daughter over the water at the lido so she could touch it with her toes.", False),
        ("Dad held my little brother over the balcony rail so he could see the fireworks.", False),
        ("Practised penalties with Sam. The next one won't miss, he said, and it didn't.", False),
        ("I'm scared for the kids tonight, the storm is meant to be bad and the roof leaks.", False),
        ("Mum said she was going to kill me for forgetting her birthday. She was laughing.", False),
        ("He said he'll kill me for forgetting his birthday and he meant it.", True),
        # said to have passed off safely, the weights aren't asked; "like nothing happened" is no such thing
        (
            "My ex showed up at my son's football match and stood by the fence the whole second half. He "
            "ignored me. Lots of other parents around. Nothing happened.",
            False,
        ),
        (
            "Can't breathe right. He sat on my chest for I don't know how long. Now he's in the shower "
            "singing like nothing happened. My throat hurts to swallow.",
            True,
        ),
        # made to swallow something now; not the day's tablets taken at someone's reminder
        ("He forced me to take all my pills before bed and I can't stay awake.", True),
        ("She made me drink bleach and laughed.", True),
        ("he made me swallow a handful of his sleeping tablets and now he's locked the door", True),
        ("He made me take all my tablets at breakfast.", False),
        ("My girlfriend forced me to take all my tablets this morning, I'd forgotten.", False),
        ("Mum made me take my antibiotics even though they tasted awful.", False),
        # fled, and followed now (dev3.jsonl); either alone is not danger
        (
            "Got out at 5am with the kids. We're at the services on the M1. He'll come looking.",
            True,
        ),
        ("In the refuge since Monday. His sister texted that he knows where I am now.", True),
        (
            "We left with the baby and one bag. I don't know if he can see where we are on the shared iPad.",
            True,
        ),
        (
            "Left work early. Mum will come looking if I'm late.",
            False,
        ),
        ("We left the party at ten. Dad is on his way here to pick us up.", False),
        ("Left my phone at home all day and Dad was driving around looking for me in a panic.", False),
        ("I left him three years ago. He still doesn't know where I live now and he never will.", False),
        ("Years ago, when I fled, he'd drive around looking for me. Tonight I'm making soup.", False),
    ],
)
def test_a_review_of_the_danger_weights(text: str, danger: bool) -> None:
    assert (_line(text) == "danger") is danger


def test_the_danger_weights_load_only_for_heavy_words() -> None:
    gentle._danger_model.cache_clear()
    assert gentle.concern("We planted tomatoes and laughed all afternoon in the sun, then had soup.") is None
    assert gentle._danger_model.cache_info().currsize == 0  # 360 KB no ordinary save should pay for
    model = gentle._danger_model()
    assert model["version"] == 1 and len(model["weights"]) > 1000 and "threshold" in model


def test_heavy_moods_count_only_within_a_week() -> None:
    now = datetime(2026, 12, 5, 21, 0, tzinfo=timezone.utc)
    recent = [(now - timedelta(days=d), m) for d, m in ((0, 2), (1, 1), (2, 2), (3, 7), (4, None))]
    assert gentle.heavy_stretch(recent, now)
    old = [(now - timedelta(days=8 + d), 1) for d in range(5)]
    assert not gentle.heavy_stretch(old, now)
    assert not gentle.heavy_stretch([(now, 2), (now - timedelta(days=1), 2), (now, 5)], now)


def test_the_learned_weights_ship_with_the_package() -> None:
    model = json.loads((Path(gentle.__file__).parent / "gentle_model.json").read_text(encoding="utf-8"))
    assert model["version"] == 2 and len(model["weights"]) > 500
    score, strongest = gentle.weigh("I keep looking at the pills and thinking nobody would miss me")
    assert strongest and score > gentle.weigh("We planted tomatoes and laughed all afternoon")[0]


def test_everyday_entries_rarely_get_the_line() -> None:
    """The stage corpus's held-out entries: ordinary recovery writing, hard days included, none written as a
    crisis. Before the learned weights were averaged (gentle.weigh), 36% of them got the line, a pottery class
    among them; docs/care.md gives the figure now."""
    stage_entries = Path(gentle.__file__).parent.parent / "stages" / "corpus" / "heldout.jsonl"
    rows = [json.loads(line) for line in stage_entries.read_text(encoding="utf-8").splitlines() if line]
    alarms = sum(gentle.concern(row["text"]) is not None for row in rows) / len(rows)
    assert alarms <= 0.11, alarms
    # the emergency line, above all, stays for what calls for it: recognition is full of what he said and did
    emergency = sum(_line(r["text"]) in ("danger", "harmed") for r in rows) / len(rows)
    assert emergency <= 0.02, emergency


@pytest.mark.parametrize(
    "text",
    [
        "I took a handful of paracetamol an hour ago. I don't know why I'm writing this.",
        "I want to die. I have the pills in my hand right now.",
        "I want to die. I have the pills saved up.",
        "I'm going to kill myself tonight.",
        "I've just overdosed.",
        "Nobody knows I took a handful of paracetamol an hour ago.",
        "I've taken 30 paracetamol. I don't want to be found.",
        "I slit my wrists.",
        "I've taken all my pills.",
        "I just swallowed a bottle of pills.",
        "I swallowed the whole packet.",
        "I took 9 sleeping tablets.",
        "I drank bleach.",
        "I'm going to end my life tonight.",
        "Just swallowed all my pills. Goodbye.",
        "I've taken the lot. All of them.",
        "I took a month's worth of my meds.",
        "I took double my insulin on purpose.",
        "I'm going to hang myself tonight with the dog lead.",
        # short words a review found still got no line at all
        "I've injected all my insulin.",
        "I just took my whole prescription at once.",
        "I'm ending it all tonight.",
        "Ending it all tonight. Goodbye.",
        "I'm ending my life tonight.",
        "I am going to end it all tonight.",
        # from the review of those: the means or a place named, text-speak, no "I", someone else's pills
        "I'm ending it all on the bridge tonight.",
        "im ending it all 2nite",
        "Tonight I'm ending it all.",
        "I'm ending it all tonight with my husband's pills.",
        "I've saved up the tablets. I'm ending it all tonight with them.",
        "I've injected both my insulin pens.",
        "Injected all my insulin. Goodbye.",
        "Took my whole prescription at once. Sorry.",
        "I've swallowed my entire prescription.",
        "Taking all of them now. Goodbye.",
        "I am going to take every pill in this house tonight.",
        # a second review's own sentences
        "I've injected all the insulin I had.",
        "I just took the whole pack. All of it.",
        "I've downed all my tablets with vodka",
        "I'm ending it all tonight, nobody will miss me.",
        "I'm going to end it all when everyone's asleep.",
        "ending it all at the train station tonight",
        "I've just taken the whole pack of sertraline",
        "I just injected all my insulin and I'm scared",
        # across two sentences, which no clause holds together
        "I'm taking them now. All of them.",
        "I've taken them all. Every single one.",
        # a third review: an age, an anniversary with now after it, the writer's own words sent, a laugh
        "At 22 I've just taken 30 paracetamol.",
        "He left a year ago today and I've taken all my pills.",
        "My sister messaged and I sent: I'm ending it all tonight.",
        "I've taken 30 paracetamol lol",
        # a fourth review: what the third round's readings had weakened
        "I'm going to take them all tomorrow.",
        "I'm taking them all, I can't do this anymore.",
        "I've taken all my pills and I'm ready to die.",
        "I've taken all my pills and I'm going to bed. Goodbye.",
        "My mum said fine: I'm taking them all now.",
        # a fifth review
        "I've saved my pills for weeks. I'm going to take them all on Friday.",
        "I've taken all my tablets and I'm ready to go now.",
        "I've taken all my pills and I'm going to bed, I hope I don't wake up.",
        "I've taken all my pills for good this time. Forgive me.",
        "The GP said no again: I'm ending it all tonight.",
        # a sixth review: long entries, other means
        "I'm going to shoot myself tonight, the gun is in the closet",
        "standing on the bridge now and I'm going to jump",
        "I've taken all my tablets and I'm heading to the cliffs",
        "A year ago today I moved into this flat, I swallowed fifty tablets",
        "I'm taking all of them, the whole stash, once the kids are asleep tonight",
        # a seventh review: brand names, no "I", a dose written as a sum
        "I've taken 30 Tylenol.",
        "took all my xanax. goodbye.",
        "took 12 x 500mg",
        # a walk-through of the whole tool: the means ready in a last entry; "end it" and a goodbye
        "I have it all planned for tonight. The rope is in the garage. This is my last entry.",
        "cant do this anymore. going to end it tonight when everyone is asleep. goodbye",
        # a second walk-through: the means ready, said with "I have", in a last entry or a goodbye
        "I cant do this anymore. I have the pills counted out. This is my last entry.",
        "This is my last entry. I've got the tablets lined up next to the bed.",
        "I have the pills counted out. Goodbye everyone.",
    ],
)
def test_self_harm_under_way_gets_the_emergency_number_as_danger_does(text: str) -> None:
    """These once got "Thank you for putting this into words", the line a haircut could get."""
    assert gentle.offer_for(gentle.concern(text)) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "I took my meds this morning and went for a walk.",
        "Two years ago I overdosed. Today I ran 5k.",
        "My sister took a handful of pills last year and I sat with her in A&E.",
        "I'm going to end it tonight with him. I've had enough of the lies.",
        "I'm going to do it tonight: the first chapter of the course essay.",
        # from a review of the first list of these cues: what ordinary days say
        "Chopping onions for dinner, the knife is in my hand and I feel calm for once.",
        "The pills are in my hand, taking my morning antidepressant like always.",
        "My period came and I'm bleeding heavily, hot water bottle and a film.",
        "I have the pills ready for tomorrow's trip, packed the night before like a grown-up.",
        "I took all my tablets on time today, the nurse will be pleased.",
        "I've taken all my medication today and the new dose seems to help.",
        "I took all the pills the doctor gave me for the infection, the course is finished.",
        "I'm going to kill myself tonight at the gym, leg day.",
        "I have the rope ready for the climbing trip this weekend.",
        "He got in at midnight after his shift.",
        "She let herself in to feed the cat.",
        "I had 12 tablets left so I ordered the repeat prescription.",
        "Grandad took too many painkillers by accident once, so I now sort his meds.",
        "Tonight's the night I do it, asking her to marry me!",
        "I'm killing myself tonight with this essay.",
        "Honestly I'll kill myself tomorrow if I have to sit through another meeting.",
        "I've been suicidal before. Nosebleed today, blood everywhere, laughed it off.",
        "I want to die some days. I don't have the pills saved up anymore, I gave them to my sister.",
        "It's not like I took a handful of pills, I'm fine.",
        "When I woke up he was in my room with a coffee and a card.",
        "I've taken a lot of medication over the years but today I feel clear.",
        "Period pain is awful, bleeding heavily, I feel like I want to die.",
        "I took all my tablets back to the pharmacy, I don't trust myself with a stash.",
        "I took 20 tablets down to the chemist to hand them in.",
        "I took everything in the medicine cabinet out and binned what was expired.",
        "I'm going to take all my meds tonight, like I'm supposed to, the evening ones.",
        "I'm going to end my life tomorrow as a smoker, quit day!",
        "My therapist said I'm going to end my life as a victim and start living as a survivor.",
        "I took 6 tablets at breakfast like always, the transplant meds.",
        "Took all my pills this morning with breakfast.",
        "I took the lot to the tip.",
        "Gonna kill myself tomorrow with this workout plan.",
        "As a nurse I've taken all the meds round by 9 and handed them out.",
        "Six months free of self-harm today. I bought myself flowers.",
        "I took all my insulin today like always.",
        "I've used all my insulin, need to ring the pharmacy.",
        "I finally took my whole prescription of antibiotics, course finished.",
        "I took the whole box of chocolates at once, oops.",
        "I'm going to end it all tonight with him, no more chances.",
        "I'm ending it with him tonight.",
        # from the review: a lease, a job, a game ended; insulin as prescribed or by mistake; the pharmacy
        "I'm ending it all today: the subscriptions, the group chat, the lot.",
        "Ending it all tonight, the game I mean, final level.",
        "I'm going to end it all tomorrow, handing in my notice and telling them exactly why.",
        "Ending it all now, no more contact with his family, no more checking his Instagram.",
        "I took all my insulin.",
        "I've injected all my insulin and I'm heading to bed.",
        "I took all my insulin at once by mistake, the nurse said eat something and check my sugars.",
        "I took my whole prescription at once to the pharmacy so I don't have to go back.",
        "I'm taking them all to the tip tomorrow, every bag of his stuff.",
        # from the second review: anniversaries, someone else's words, a taper, a routine, the chemist
        "Three years ago today I injected all my insulin. Today I baked a cake.",
        "Five years ago today I took my whole prescription at once. I'm so glad I'm still here.",
        "My friend texted me at 2am: im ending it all tonight. I rang the police for her and she's safe now.",
        "I'm ending it all with my sleeping tablets this month, weaning off slowly with the GP.",
        "Injected all my insulin and now I'm having my dinner.",
        "I took my whole prescription at once, the chemist finally had everything in stock.",
        "I'm taking them all swimming on Saturday, all three kids.",
        "Session today was about the afternoon he locked me in the car. I cried, then I felt lighter.",
        "hosted game night, 5 ppl came, nobody tiptoed round anyone. me included :)",
        "I'm taking them now. All of them are coming to the party.",
        "Three exams done. I have taken them all, every single one, and passed!",
        # the third review's everyday sentences for the new danger cues
        "They've locked me in for another two years on the mortgage.",
        "I set an alarm to make sure I take all my meds.",
        "I should die my hair red, she said.",
        "My son threatened to poison me with his first curry.",
        "Wedding photos? I took them all. Every single one.",
        "I took all my lithium and I slept well.",
        "She's ending it all with me, says we're done.",
        "I took a handful of paracetamol lol jk it was vitamins",
        "My wife makes me take all my tablets every morning.",
        "She made me kill myself laughing at the pub.",
        "They've locked me in the office again, the security system is broken.",
        "She's ending it all with him and taking the kids with her to her mum's.",
        # the fifth review's: a goodbye to hay fever, a diary, a city; a stuck lock; a routine at breakfast
        "I took all my pills this morning. Bye bye hay fever!",
        "I took all my meds with breakfast. Sorry diary, short entry today.",
        "I took all my medication before the flight. Bye London, hello Lisbon!",
        "She's locked me in the loft again, the door handle came off.",
        "He made me take all my tablets at breakfast.",
        "My girlfriend makes me take all my meds so I don't forget.",
        # the sixth review's
        "Just downed a whole pack of Jaffa Cakes",
        "I'm killing myself at 6am every day with burpees",
        "Injected all of my insulin just now, basal and bolus, then had porridge",
        "They shut me in the utility room again while playing hide and seek",
        "I shot myself in the foot at work again lol",
        "I took 28 sertraline home from the pharmacy, month's supply.",
        "Took two Panadol for my headache and had a nap.",
        "took 2 x 500mg paracetamol for the headache",
        # an eighth review: banter, handovers, agreed apps, a cup of tea
        "My sister texted: you're dead meat if you eat my cake.",
        "He took the kids to his mum's, not answering because he's driving.",
        "She tracks my phone like we agreed, since the stalking stopped.",
        "I'm going to end it tonight when he gets home, I'm done with the lies.",
        "The rope is in the garage for the climbing trip. Last entry before the holiday!",
        "He's been putting something in my tea, it's honey, and I love it.",
        "I have my pills ready for the week in the organiser. Last entry before the holiday!",
    ],
)
def test_everyday_and_past_words_do_not_get_the_emergency_number(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) != "danger"


@pytest.mark.parametrize(
    "text",
    [
        "Six months free of self-harm today. I bought myself flowers.",
        "Today I'm 100 days free from self-harm.",
    ],
)
def test_a_milestone_of_healing_gets_no_line(text: str) -> None:
    assert gentle.concern(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Tonight is the night. I'm ending it.",
        "This is it, I'm ending it.",
        "I am ending it all.",
        "I'm ending my life.",
        "Part of me wants to die.",
        "I'd be better off dead.",
    ],
)
def test_short_words_of_ending_it_get_a_line(text: str) -> None:
    """Each once saved with no line at all ("I'm ending my life." among them)."""
    assert gentle.offer_for(gentle.concern(text)) is not None


@pytest.mark.parametrize(
    "text",
    [
        "I'm ending it with him tonight.",
        "Tonight is the night. I'm ending it with him.",
        "I'm ending it here for today, bed.",
        "I'm ending it early, the film was awful.",
        "I'm ending it all on a high note with a cake.",
        "Ending my life with him was the best decision I ever made.",
    ],
)
def test_ending_a_relationship_or_an_evening_gets_no_line(text: str) -> None:
    assert gentle.concern(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "He took my whole prescription and flushed it, now he's locked me in the bedroom.",
        "she locked me in the bedroom again and took my phone",
        "He said if I leave he's ending it all tonight and taking the kids with him.",
        "He's making me take all my pills in front of him so I'm 'calm'.",
        "He threatened to inject me with all his insulin if I try to leave.",
        "Married at 19 and now he's threatening me with a knife.",
        "He's outside my flat at 19 Mill Road banging on the door.",
        "A year ago today he strangled me and he's back tonight.",
        "He texted: you're dead tonight.",
        "He's still outside. I can see his car.",
        "he said he'd slit my throat if I leave",
        "He took the kids an hour ago and isn't answering.",
        "He says if I leave I'll be found in a ditch.",
        "He said next time he'll make sure I don't wake up.",
        "I left him a year ago today and he turned up at my work with a knife.",
        "I left him two years ago right now he is outside my door.",
    ],
)
def test_being_locked_in_or_pushed_to_overdose_is_danger(text: str) -> None:
    found = gentle.concern(text)
    assert found is not None and found.kind == "danger", found


_STRENGTH = {None: 0, "words": 1, "danger": 2}


def test_the_reviews_sentences_keep_what_they_were_given() -> None:
    """1,599 sentences eleven reviewers wrote on 7 Dec 2026 (reviews.jsonl: a guard, not a measure).

    A crisis sentence never gets a weaker line than it has now, nor loses the stage rule; an everyday one
    without the emergency line doesn't gain it. A change that means to trade one for another updates the file
    and says why.
    """
    rows = _load("reviews.jsonl")
    assert len(rows) > 1150
    weaker, lost, alarmed = [], [], []
    for row in rows:
        found = gentle.offer_for(gentle.concern(row["text"]))
        if row["kind"] == "crisis":
            if _STRENGTH[found] < _STRENGTH[row["offer"]]:
                weaker.append(row["text"][:80])
            if row["plainly"] and gentle.plainly_self_harm(row["text"]) is None:
                lost.append(row["text"][:80])
        elif found == "danger" and row["offer"] != "danger":
            alarmed.append(row["text"][:80])
    assert (weaker, lost, alarmed) == ([], [], [])


@pytest.mark.parametrize(
    "text",
    [
        # a second walk-through's review: farewells and preparations not named as such
        "Wrote letters to the kids tonight, they'll find them when they need to.",
        "I've said my goodbyes. Tonight it ends.",
        "said my goodbyes today without anyone realising thats what i was doing",
        "Nobody will miss me.",
        "everything is sorted now. will is signed, insurance papers are on the kitchen table",
        "wrote down all my bank logins and stuck them to the fridge so tom doesnt have the hassle after",
        "hugged my mum extra long today. it was goodbye even if she didnt know it",
        "this is the last time ill write in here. thank you for listening when nobody else did",
        "i wont be there to see the girls grow up",
        # the means made ready
        "Counted out 40 of my sertraline tonight. I'm done.",
        "bought a rope today. didnt feel anything at the till.",
        "popped every single one of my amitriptyline out of the blister packs",
        "emptied every box of nurofen and panadol in the house into a bowl",
        "ive got my zopiclone and the whisky out. this is it",
        "been putting my lithium aside for ages instead of taking it",
        "went to the bridge today to see how it would feel",
        "im going back when its dark and im not coming down",
        "amitriptyline, the whole strip plus the new box i picked up today. thats tonights plan. sorry",
        "another week and ill have enough",
        "found the spot on the bridge where theres no cameras that side. saturday",
    ],
)
def test_quiet_preparations_and_the_means_made_ready_get_a_line_that_names_it(text: str) -> None:
    assert gentle.line_for(gentle.concern(text)) in ("plain", "danger")


@pytest.mark.parametrize(
    "text",
    [
        "He took my phone and locked me in the bedroom. Typing this on the old iPad.",
        "This is my last entry. I've counted out the pills, all of them, they're on the table next to me.",
    ],
)
def test_shut_in_now_and_the_pills_counted_in_a_last_entry_get_the_emergency_line(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        # a tenth review, written as it happens
        "my ex smashed the back window trying to get in. im in the bedroom, the door wedged shut",
        "police on the way i hope",
        "hes taken my phone and my bank card and says i cant leave the house til i learn some respect",
        "he locked me out on the balcony in a tshirt and its minus 2",
        'latest one just says "enjoy your last night"',
        "pills are lined up on the desk next to the letter. just waiting til everyone in the house is asleep",
    ],
)
def test_danger_and_harm_written_as_they_happen_get_the_emergency_line(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "Had the dream again where he's at the door, banging and shouting that he'll kill me.",
        "dreamt i was back in that house and he had the knife. my therapist says these dreams will ease off",
        "Counted out my tablets into the weekly organiser.",
        "counted out 28 sertraline for the holiday and packed them in my hand luggage with the prescription",
        "this is my last entry in this notebook, its full. starting a new one tomorrow",
        "wrote a goodbye letter to my abuser for therapy homework, not to send",
        "bought a rope and harness for the climbing wall",
        "Said my goodbyes at the airport. Tonight it ends, the long distance bit.",
        "The final season airs tonight. Tonight it ends.",
        "Nobody will miss me at the meeting tomorrow, so I am skipping it.",
        # a memory, however it is written down now
        "she locked me in the shed for a whole afternoon when I was nine. Typing this so there's a record.",
        "She locked me in the shed when I was nine. Typing this so there's a record.",
        "I thought about the night he locked me out in the rain in my school uniform.",
        "Back when it was dark all winter I hated the walk home.",
    ],
)
def test_dreams_organisers_notebooks_and_homework_get_no_emergency_line_nor_the_named_one(text: str) -> None:
    assert gentle.line_for(gentle.concern(text)) not in ("plain", "danger")


@pytest.mark.parametrize(
    "text",
    [
        # a code review of the session's cues: waking into danger is not a dream told
        "Had a bad dream, woke up and he's downstairs smashing things and screaming he'll kill me.",
        "Having a nightmare of a week, he said he'd kill me if I leave.",
        "He's ruined every dream she had and now he's threatening to kill me.",
    ],
)
def test_a_dream_word_beside_danger_now_hides_nothing(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "Years ago he locked me in the cellar for a weekend. Writing this is part of my therapy homework.",
        "They locked me in for another year on the lease. Writing this down so I remember to budget.",
        "I'm writing this for my therapist: when I was eight, he locked me in the cupboard.",
        "Tablets ready for tomorrow. Waiting until the kids are asleep to wrap their presents.",
        "Wedged the door open with a chair so the cat could come in.",
        "Police on their way to the match, traffic was awful.",
        "Enjoy your last night in Paris!",
        "He says I can't leave the house without a coat in this weather.",
        "My husband broke the door handle again, so funny.",
        "They locked me out on the balcony by accident, it's funny now.",
    ],
)
def test_the_session_cues_leave_ordinary_and_past_sentences_without_the_emergency_line(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) != "danger"


@pytest.mark.parametrize(
    "text",
    [
        "Bought a rope toy for the puppy today",
        "Signed my will today with the solicitor, feels very adult.",
        "Another week and I'll have enough for the deposit.",
        "Tonight feels like the night I finally sleep properly.",
        "Saved the painkillers for when my back goes.",
        "The bridge was beautiful, I wondered how it would feel to paint it.",
        "Keeping the receipts instead of taking them to the tip.",
        # said of a job, a year or him as often as of a life: the thank-you at most (kind "unsure")
        "It's goodbye to the old job tomorrow, excited",
        "Last entry of the year!",
        "I'm ending it.",
    ],
)
def test_ordinary_sentences_never_get_the_line_that_names_ending_your_life(text: str) -> None:
    assert gentle.line_for(gentle.concern(text)) not in ("plain", "danger")


@pytest.mark.parametrize(
    "text",
    ["I've been saving my tablets for weeks and there are 60 left.", "This is my last entry before I go."],
)
def test_the_session_exclusions_keep_these_crises(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) is not None


@pytest.mark.parametrize(
    "text",
    [
        # the second held-out list's two danger misses, mended after it was measured
        "Tyler's dad didn't bring him back from the weekend visit. It's 10pm. He's not answering and his "
        "mate says they've gone up to Queensland.",
        "My stepdad comes into my room at night when Mum's on nights. Mum's on nights all this week.",
    ],
)
def test_a_child_not_brought_back_or_visited_at_night_gets_the_emergency_line(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "He didn't bring her back till 7, annoying, traffic.",
        "Dad didn't bring them back on time again. Not answering my texts because he was driving.",
        "Years ago he never brought the kids back and wasn't answering. Now we have an order.",
    ],
)
def test_a_late_handover_is_not_danger(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) != "danger"


@pytest.mark.parametrize(
    "text",
    [
        # a final walk-through
        "I took all of my sleeping pills about an hour ago.",
        "I swallowed the whole bottle an hour ago",
        "I took a bunch of pills",
        "My ex is outside right now. His car is across the road.",
    ],
)
def test_an_overdose_said_another_way_and_an_ex_outside_get_the_emergency_number(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) == "danger"


def test_a_note_left_to_be_found_gets_the_named_line() -> None:
    assert gentle.line_for(gentle.concern("By the time you read this I'll be gone. I'm sorry.")) == "plain"
    assert gentle.concern("By the time you read this I'll be in Spain!") is None


def test_harm_under_way_is_told_apart_from_danger_from_someone_else() -> None:
    assert gentle.line_for(gentle.concern("I took a handful of paracetamol an hour ago.")) == "harmed"
    assert gentle.line_for(gentle.concern("He said he'd kill me if I left. He's outside.")) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "I drank the whole bottle of water an hour ago",
        "I took a lot of photos today",
        "My husband is outside mowing.",
    ],
)
def test_a_bottle_of_water_photos_and_a_husband_mowing_are_not_danger(text: str) -> None:
    assert gentle.offer_for(gentle.concern(text)) != "danger"
