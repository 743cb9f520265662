"""Stage mapping: the public classify(), cues with negation and tense, the writer's corrections, review."""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.commands import terminal as face
from recovery_journal.domain.entry import EntryChanges
from recovery_journal.errors import ExitCode
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings
from recovery_journal.stages import Stage, StageGuess, classify, lexicon
from recovery_journal.stages.text import MAX_CHARS, sentences

from .conftest import Cli, Ran

FIXTURES = Path(__file__).parent / "fixtures"


def cues_in(text: str) -> dict[str, float]:
    return {hit.cue.phrase: hit.weight for s in sentences(text) for hit in lexicon.match(s)}


# --- the public function ----------------------------------------------------------------------------------


def test_classify_returns_an_explained_guess() -> None:
    guess = classify("I signed up for the pottery class I always wanted, and I held my boundary with him.")
    assert isinstance(guess, StageGuess)
    assert guess.stage is Stage.RECOVERY and guess.stage.value == "recovery"
    assert 0.0 <= guess.confidence <= 1.0 and set(guess.scores) == set(Stage)
    assert abs(sum(guess.scores.values()) - 1.0) < 0.01
    assert "signed up" in guess.cues or "held my boundary" in guess.cues


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "asdf qwerty zxcv", "🌧️🌧️"])
def test_nothing_to_go_on_says_so_instead_of_picking_a_stage(text: str) -> None:
    guess = classify(text)
    assert guess.stage is None and guess.confidence == 0.0 and guess.uncertain


def test_huge_text_is_bounded() -> None:
    huge = "I keep wondering whether it is me. " * 100_000
    assert len(huge) > 10 * MAX_CHARS
    assert classify(huge).stage is Stage.RECOGNITION


@given(text=st.text(max_size=500))
@settings(max_examples=200, deadline=None)
def test_any_unicode_is_handled(text: str) -> None:
    guess = classify(text)
    assert guess.stage is None or guess.stage in Stage


@given(text=st.text(alphabet=string.ascii_letters + " .,!?'\n", max_size=300))
@settings(max_examples=100, deadline=None)
def test_classify_is_deterministic(text: str) -> None:
    assert classify(text) == classify(text)


# --- cues, negation and tense ------------------------------------------------------------------------------


def test_negated_cues_do_not_fire() -> None:
    assert "feel guilty" in cues_in("I feel guilty about all of it.")
    assert "feel guilty" not in cues_in("I don't feel guilty anymore.")
    assert "guilt" not in cues_in("No guilt today.")
    assert "proud of myself" in cues_in("I was proud of myself.")


def each_read_alone() -> dict[tuple[str, ...], lexicon.Cue]:
    index: dict[tuple[str, ...], lexicon.Cue] = {}
    for stage, by_weight in lexicon.CUES.items():
        for weight, phrases in by_weight.items():
            for phrase in phrases:
                parsed = sentences(phrase)
                if parsed and (parsed[0].words not in index or index[parsed[0].words].weight < weight):
                    index[parsed[0].words] = lexicon.Cue(phrase=phrase, stage=stage, weight=weight)
    return index


def test_the_cues_read_in_one_pass_are_the_cues_read_one_by_one() -> None:
    assert lexicon._index()[0] == each_read_alone()


def test_a_cue_that_is_not_one_sentence_cannot_shift_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    # "walked away. Free" is two sentences: read in one pass, every cue after it would get the wrong key.
    cues = {stage: dict(by_weight) for stage, by_weight in lexicon.CUES.items()}
    first_weight = next(iter(cues["recovery"]))
    cues["recovery"][first_weight] = ("walked away. free", *cues["recovery"][first_weight])
    monkeypatch.setattr(lexicon, "CUES", cues)
    lexicon._index.cache_clear()
    try:
        assert lexicon._index()[0] == each_read_alone()
    finally:
        lexicon._index.cache_clear()


def test_looking_back_discounts_a_cue() -> None:
    now = cues_in("I apologise for everything.")
    then = cues_in("I used to apologise for everything.")
    assert now["apologise"] > then["apologise"] > 0
    assert sentences("A year ago I didn't know the word gaslighting.")[0].looking_back


def test_a_mostly_recovery_entry_that_mentions_therapy_once_stays_recovery() -> None:
    text = (
        "Signed up for the evening pottery class and loved it. I've kept no contact for four months now. "
        "My new routine is working: up early, a run, breakfast I actually enjoy. Therapy was on Tuesday. "
        "I'm making plans for a weekend away with new friends, and I feel like myself again."
    )
    assert classify(text).stage is Stage.RECOVERY


def test_looking_back_from_recovery_is_not_recognition() -> None:
    text = (
        "Two years ago I didn't even know the word gaslighting and I used to apologise for everything. "
        "Today I taught the new members of the group how to hold a boundary, and I felt proud of myself."
    )
    assert classify(text).stage is Stage.RECOVERY


# --- stored stages, corrections, the personal model ---------------------------------------------------


def test_every_entry_gets_a_stage_when_written(journal: Journal) -> None:
    entry = journal.write("I cried for the years I lost. The grief comes in waves.")
    assert entry.stage is not None and entry.stage.source == "model"
    assert journal.entry(entry.id).stage == entry.stage
    assert entry.stage.stage is Stage.ACCEPTANCE


def test_the_writers_word_wins_and_is_kept_as_a_correction(journal: Journal) -> None:
    entry = journal.write("I cried for the years I lost. The grief comes in waves.")
    corrected = journal.stages.set(entry.id, Stage.RECOVERY)
    assert corrected.stage is not None and corrected.stage.by_writer
    assert corrected.stage.model_guess is not None and corrected.stage.model_guess.stage is Stage.ACCEPTANCE
    journal.stages.relearn()
    journal.edit(entry.id, EntryChanges(text="I cried again. More grief."))
    assert journal.entry(entry.id).stage.stage is Stage.RECOVERY  # type: ignore[union-attr]
    back = journal.stages.set(entry.id, None)
    assert back.stage is not None and not back.stage.by_writer


def test_corrections_change_later_guesses(journal: Journal) -> None:
    probe = "Kintsugi evening at the Halden studio again."
    assert journal.stages.guess(probe).stage is None  # words the seed model has never seen
    for text in ("Kintsugi at Halden tonight.", "Another Kintsugi evening, the Halden crowd is lovely."):
        entry = journal.write(text)
        journal.stages.set(entry.id, Stage.RECOVERY)
    later = journal.write(probe)
    assert later.stage is not None and later.stage.stage is Stage.RECOVERY
    assert any("kintsugi" in cue or "halden" in cue for cue in later.stage.guess.cues)
    assert journal.stages.personal().corrections == 2


def test_personal_model_is_stored_encrypted(journal: Journal) -> None:
    entry = journal.write("Zzyzzyva tonight with Morwenna.")
    journal.stages.set(entry.id, Stage.ACCEPTANCE)
    journal.store.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = journal.settings.paths.db.read_bytes()
    assert b"zzyzzyva" not in raw.lower() and b"morwenna" not in raw.lower()


def test_relearn_never_overrides_the_writer(journal: Journal) -> None:
    mine = journal.write("The grief is heavy and I cried all day.")
    journal.stages.set(mine.id, Stage.RECOGNITION)
    other = journal.write("Signed up for a choir and held my boundary.")
    done = journal.stages.relearn()
    assert done.corrections == 1 and done.reguessed == 1
    assert journal.entry(mine.id).stage.stage is Stage.RECOGNITION  # type: ignore[union-attr]
    assert journal.entry(other.id).stage.stage is Stage.RECOVERY  # type: ignore[union-attr]


def test_unsure_entries_are_listed_for_review(journal: Journal) -> None:
    clear = journal.write("Signed up for a choir, held my boundary, so proud of myself.")
    vague = journal.write("Tuesday. Bus was late.")
    unsure_ids = [e.id for e in journal.stages.uncertain()]
    assert vague.id in unsure_ids and clear.id not in unsure_ids


def test_older_journals_get_their_stages_when_opened(tmp_path: Path, cli: Cli) -> None:
    home = tmp_path / "old"
    shutil.copytree(FIXTURES / "journal-v1", home)
    ran = cli(
        "--journal", str(home), "list", "--json", env={"RECOVERY_JOURNAL_PASSPHRASE": "fixture passphrase"}
    )
    assert ran.exit_code == 0, ran.stderr
    assert all(e["stage_source"] == "model" for e in json.loads(ran.stdout)["entries"])
    with Journal.unlock(Settings.from_env(journal=home), "fixture passphrase") as journal:
        assert (
            journal.store.con.execute("SELECT COUNT(*) FROM entries WHERE stage IS NULL").fetchone()[0] == 0
        )


# --- the commands -----------------------------------------------------------------------------------------


def doc(ran: Ran) -> dict:
    return json.loads(ran.stdout)


def test_stage_commands_end_to_end(cli: Cli, initialised: Ran) -> None:
    cli("write", "--date", "2026-01-02", input="Is it me? He says I'm too sensitive and I doubt my memory.")
    cli("write", "--date", "2026-02-02", input="I cried for the years I lost; the grief comes in waves.")
    cli("write", "--date", "2026-03-02", input="Signed up for pottery and held my boundary. Proud of myself.")
    shown = doc(cli("stage", "show", "2", "--json"))
    assert shown["stage"]["stage"] == "acceptance" and shown["stage"]["cues"]
    assert [e["id"] for e in doc(cli("list", "--stage", "recovery", "--json"))["entries"]] == [3]
    assert [e["id"] for e in doc(cli("search", "the", "-s", "a", "--json"))["entries"]] == [2]
    assert cli("stage", "set", "2", "recognition").exit_code == 0
    assert doc(cli("list", "--on", "2026-02-02", "--json"))["entries"][0]["stage_source"] == "writer"
    overview = doc(cli("stage", "--json"))
    assert overview["current"] in ("recognition", "recovery") and overview["periods"]
    text = cli("stage").stdout  # three entries are too few to say where someone is
    assert "Not enough writing yet to tell where you are; that's fine." in text
    guessed = cli("stage", "guess", "--json", input="I finally said no to her and held my boundary.")
    assert doc(guessed)["stage"] == "recovery"
    assert cli("stage", "relearn").exit_code == 0


def test_stage_set_rejects_unknown_stages(cli: Cli, initialised: Ran) -> None:
    cli("write", input="words")
    ran = cli("stage", "set", "1", "denial")
    assert ran.exit_code == ExitCode.INVALID_INPUT and "isn't a stage" in ran.stderr


def test_stage_guess_needs_text(cli: Cli) -> None:
    assert cli("stage", "guess", input="  ").exit_code == ExitCode.INVALID_INPUT


def test_review_asks_and_applies(cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("write", input="Tuesday. Bus was late.")
    cli("write", input="Wednesday. Rain.")
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    ran = cli("stage", "review", input="a\n\n")
    assert ran.exit_code == 0 and "1 entry updated" in ran.stderr
    entries = doc(cli("list", "--json"))["entries"]
    assert entries[0]["stage"] == "acceptance" and entries[0]["stage_source"] == "writer"
    assert entries[1]["stage_source"] == "model"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("recognition", Stage.RECOGNITION),
        ("Recog", Stage.RECOGNITION),
        ("1", Stage.RECOGNITION),
        ("a", Stage.ACCEPTANCE),
        ("2", Stage.ACCEPTANCE),
        ("recov", Stage.RECOVERY),
        ("recovery", Stage.RECOVERY),
        ("3", Stage.RECOVERY),
    ],
)
def test_a_stage_can_be_named_any_unambiguous_way(typed: str, meant: Stage) -> None:
    from recovery_journal.commands.stage import parse_stage

    assert parse_stage(typed) is meant


@pytest.mark.parametrize("typed", ["r", "rec", "reco"])
def test_a_start_shared_by_two_stages_is_refused_not_guessed(cli: Cli, initialised: Ran, typed: str) -> None:
    cli("write", input="words")
    ran = cli("stage", "set", "1", typed)
    assert ran.exit_code == ExitCode.INVALID_INPUT
    assert "could be recognition or recovery" in ran.stderr
    assert cli("list", "--stage", typed).exit_code == ExitCode.INVALID_INPUT


def test_review_reads_the_whole_answer_and_asks_again_after_a_typo(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing 'recovery' must never set recognition, and a typo is not the end of the review."""
    cli("write", input="Tuesday. Bus was late.")
    cli("write", input="Wednesday. Rain.")
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    ran = cli("stage", "review", input="recovery\nx\n3\n")
    assert ran.exit_code == 0, ran.stderr
    assert "isn't a stage" in ran.stderr and "2 entries updated" in ran.stderr
    assert [e["stage"] for e in doc(cli("list", "--json"))["entries"]] == ["recovery", "recovery"]


def test_review_never_shows_the_words_of_a_tender_entry(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("write", "--tender", input="Tuesday. Bus was late. Zqxjv words.")
    listed = cli("stage", "review")  # no terminal: it lists them
    assert "Zqxjv" not in listed.stdout and "tender" in listed.stdout
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    asked = cli("stage", "review", input="\n")
    assert "Zqxjv" not in asked.stdout + asked.stderr


# --- the cues a person is shown ----------------------------------------------------------------------------

QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _shown_cues() -> list[tuple[str, str]]:
    from recovery_journal.stages import corpus

    examples = corpus.heldout() + corpus.training()[::6]
    return [(e.text, cue) for e in examples for cue in classify(e.text).cues]


def test_every_cue_shown_is_the_writers_own_words() -> None:
    """Never a word the writer didn't write ('feelings' for 'feel'), never a stem ('grie' for 'grieving')."""
    shown = _shown_cues()
    assert len(shown) > 1000
    for text, cue in shown:
        assert cue in text.translate(QUOTES).lower(), (cue, text[:80])


def test_no_cue_shown_is_a_filler() -> None:
    """'it was', 'in that', 'that on', 'there', 'and' once made up one cue in eight."""
    from recovery_journal.stages.text import is_function_word, words

    for text, cue in _shown_cues():
        assert not all(is_function_word(w) for w in words(cue)), (cue, text[:80])
    for cue in classify("It was in that moment, and there it was. That on top of it all, I cried.").cues:
        assert cue not in ("it was", "in that", "that on", "there", "and", "it")


@pytest.mark.parametrize(
    ("text", "feeling"),
    [
        ("I'm not sad. Not angry either. Just a quiet day at home.", "sad"),
        ("I'm not sad about him anymore, I signed up for a pottery class.", "sad"),
        ("I don't feel guilty for saying no to her.", "guilty"),
        ("Never ashamed of leaving. I'm not ashamed at all.", "ashamed"),
    ],
)
def test_a_negated_feeling_is_never_shown_as_evidence_for_it(text: str, feeling: str) -> None:
    guess = classify(text)
    for cue in guess.cues:
        if feeling in cue.split():
            assert any(n in cue for n in ("not", "n't", "never", "no ")), (cue, guess)


def test_a_cue_is_shown_as_written_not_as_the_lexicon_spells_it() -> None:
    guess = classify("I let myself feel it today. Feel all of it, the grief, the anger.")
    assert "feelings" not in guess.cues
    assert all(c in "i let myself feel it today. feel all of it, the grief, the anger." for c in guess.cues)


def test_json_before_the_subcommand_means_the_same_as_after_it(cli: Cli, initialised: Ran) -> None:
    """`stage --json guess` once printed the human view: --json was taken by `stage` and dropped."""
    text = "I finally said no to her and held my boundary."
    before = cli("stage", "--json", "guess", input=text)
    after = cli("stage", "guess", "--json", input=text)
    assert before.exit_code == 0 and doc(before) == doc(after) and doc(before)["stage"] == "recovery"
    cli("write", input="I cried for the years I lost; the grief comes in waves.")
    assert doc(cli("stage", "--json", "show", "1")) == doc(cli("stage", "show", "1", "--json"))
    reviewed = doc(cli("stage", "review", "--json"))["entries"]
    assert doc(cli("stage", "--json", "review"))["entries"] == reviewed


def test_set_and_relearn_print_one_json_document_before_or_after_the_subcommand(
    cli: Cli, initialised: Ran
) -> None:
    cli("write", input="I cried for the years I lost; the grief comes in waves.")
    cli("write", input="Is it me? He says I'm too sensitive and I doubt my memory.")
    ran = cli("stage", "set", "1", "recovery", "--json")
    assert ran.exit_code == 0, ran.stderr
    assert ran.stdout.count("\n") == 1 and ran.stdout == json.dumps(doc(ran), sort_keys=True) + "\n"
    set_doc = doc(ran)
    assert set_doc["version"] == 1 and set_doc["kind"] == "stage" and set_doc["id"] == 1
    assert set_doc["stage"]["source"] == "writer" and set_doc["stage"]["stage"] == "recovery"
    assert set_doc["stage"] == doc(cli("stage", "show", "1", "--json"))["stage"], "what was saved"
    back = doc(cli("stage", "--json", "set", "1", "auto"))
    assert (
        back["stage"]["source"] == "model"
        and back["stage"] == doc(cli("stage", "show", "1", "--json"))["stage"]
    )
    assert doc(cli("stage", "--json", "set", "2", "acc"))["stage"]["stage"] == "acceptance"

    after = cli("stage", "relearn", "--json")
    assert after.exit_code == 0, after.stderr
    relearned = doc(after)
    assert relearned == {
        "version": 1,
        "kind": "relearn",
        "corrections": 1,
        "reguessed": 1,  # entry 1; entry 2's stage is the writer's and stays
        "changed": relearned["changed"],
        "unreadable": [],
    }
    assert relearned["changed"] in (0, 1) and after.stdout.count("\n") == 1
    assert doc(cli("stage", "--json", "relearn")) == {**relearned, "changed": 0}, "nothing new to learn"
    assert doc(cli("stage", "show", "2", "--json"))["stage"]["source"] == "writer"


def test_json_after_a_mistake_is_still_a_calm_error_and_changes_nothing(cli: Cli, initialised: Ran) -> None:
    cli("write", input="I cried for the years I lost; the grief comes in waves.")
    ran = cli("stage", "--json", "set", "1", "rec")
    assert ran.exit_code == ExitCode.INVALID_INPUT and ran.stdout == ""
    assert "could be" in ran.stderr and "Traceback" not in ran.stderr
    assert doc(cli("stage", "show", "1", "--json"))["stage"]["source"] == "model"  # nothing changed


def test_relearn_tells_its_progress_through_the_callback(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recovery_journal.journal import stagebook

    for n in range(5):
        journal.write(f"Day {n}: I walked by the sea and felt calmer.")
    journal.stages.set(1, Stage.RECOVERY)
    journal.stages.relearn()  # settles what the correction changes
    before = journal.stages.relearn()
    monkeypatch.setattr(stagebook, "PROGRESS_EVERY", 2)
    heard: list[tuple[int, int]] = []
    told = journal.stages.relearn(lambda done, total: heard.append((done, total)))
    assert heard == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert told == before and told.reguessed == 4, "telling progress changes nothing it does"


# --- whose feelings, and when ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["I feel free.", "I feel strong today.", "I feel at peace.", "I'm not angry anymore, I just feel free"],
)
def test_short_positive_entries_read_as_recovery_not_acceptance(text: str) -> None:
    assert classify(text).stage is Stage.RECOVERY


def test_a_feeling_that_ended_is_apart_from_one_felt_and_one_denied() -> None:
    assert "over_angry" in sentences("I'm not angry anymore.")[0].words
    assert "over_scar" in sentences("No longer scared of him.")[0].words
    assert "not_angry" in sentences("I'm not angry.")[0].words
    assert "tired" in sentences("Not angry, just tired.")[0].words  # the comma ends the negation


def test_another_persons_feelings_are_theirs() -> None:
    assert sentences("She is angry.")[0].words == ("she", "is", "their_angry")
    assert "angry" not in cues_in("She is angry.") and "angry" in cues_in("I am angry.")
    guess = classify("She is angry. She was furious that I didn't come. I stayed calm and kept my plans.")
    assert guess.stage is Stage.RECOVERY and "angry" not in guess.cues and "furious" not in guess.cues


def test_quoted_voices_and_old_entries_count_as_looking_back() -> None:
    quoted = sentences(
        'At group a newcomer said "maybe I am overreacting" twice. I told her about my routine.'
    )
    assert [s.looking_back for s in quoted] == [False, True, False, False]
    assert sentences("Re-read my entry from March.")[0].looking_back
    assert sentences("When I was a kid I hid in the wardrobe.")[0].looking_back
    assert not sentences("I hid in the wardrobe.")[0].looking_back


@pytest.mark.slow
def test_a_big_relearn_shows_a_progress_bar_on_a_terminal_and_nothing_on_a_pipe(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    import subprocess
    import sys

    from recovery_journal.commands.stage import RELEARN_BAR

    from .conftest import PASSPHRASE
    from .terminal_driver import drive
    from .test_streaming import _jrnl_file
    from .test_terminal import _env

    imported = cli("import", "jrnl", str(_jrnl_file(tmp_path / "journal.txt", RELEARN_BAR)))
    assert imported.exit_code == 0, imported.stderr
    env = {**_env(), "TERM": "xterm", "RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE}
    code, screen = drive(["stage", "relearn"], [], env)
    assert code == 0, screen
    assert "Guessing again" in screen and "100%" in screen, "the bar is drawn and filled as it goes"
    assert f"guessed {RELEARN_BAR} entries again" in screen
    piped = subprocess.run(
        [sys.executable, "-m", "recovery_journal", "stage", "relearn"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert "Guessing again" not in piped.stderr and "\x1b" not in piped.stderr
    assert f"guessed {RELEARN_BAR} entries again" in piped.stderr
    code, screen = drive(["stage", "relearn", "--json"], [], env)
    assert code == 0 and "Guessing again" not in screen and '"kind": "relearn"' in screen
