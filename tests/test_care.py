"""Care for the person: support offline, the sealed safety plan, prompts, the gentle check after a save."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from recovery_journal.care import gentle, lines, plan, prompts
from recovery_journal.commands import terminal as face
from recovery_journal.errors import ExitCode
from recovery_journal.journal.draftbook import DraftBook
from recovery_journal.render import care as view

from .conftest import Cli, Ran, damage_field

CANARY = "Wqzplancanary"
NO_JOURNAL_ENV = {"RECOVERY_JOURNAL_PASSPHRASE": "", "LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""}
PLAN_PAGE = f"""## Signs that a hard time may be starting
Not sleeping; replaying old arguments.
## People I can ask for help
Sam {CANARY} 07700 900123
## My reasons to keep going
My dog, and the garden in spring.
"""


def doc(ran: Ran) -> dict[str, object]:
    assert ran.exit_code == 0, ran.stderr
    return dict(json.loads(ran.stdout))


# --- support: offline, no journal -----------------------------------------------------------------------


def test_support_works_with_no_journal_and_no_passphrase(cli: Cli, isolated: Path) -> None:
    ran = cli("support", "--country", "GB", env=NO_JOURNAL_ENV)
    assert ran.exit_code == 0, ran.stderr
    assert "call 999" in ran.stdout and "116 123" in ran.stdout and "0808 2000 247" in ran.stdout
    assert "ground yourself" in ran.stdout and "Finding a therapist" in ran.stdout
    assert not isolated.exists()  # nothing was created to show it


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "988"),
        ({"LC_ALL": "en_AU.UTF-8", "LANG": "en_GB.UTF-8"}, "13 11 14"),  # LC_ALL wins
        ({"LANG": "C", "RECOVERY_JOURNAL_COUNTRY": "ie"}, "1800 341 900"),  # the setting wins over the locale
    ],
)
def test_the_country_comes_from_the_setting_or_the_locale(
    cli: Cli, env: dict[str, str], expected: str
) -> None:
    ran = cli("support", env={"LC_ALL": "", "LC_MESSAGES": "", **env})
    assert ran.exit_code == 0 and expected in ran.stdout


def test_without_a_known_country_support_still_helps(cli: Cli) -> None:
    plain = cli("support", env=NO_JOURNAL_ENV)
    assert plain.exit_code == 0
    assert "your local emergency number" in plain.stdout and "112" in plain.stdout
    assert "findahelpline.com" in plain.stdout
    unknown = cli("support", "--country", "ZZ", env=NO_JOURNAL_ENV)
    assert unknown.exit_code == 0 and "no checked lines for ZZ" in unknown.stdout
    eu = cli("support", "--country", "PT", env=NO_JOURNAL_ENV)  # an EU member without its own entry
    assert eu.exit_code == 0 and "call 112" in eu.stdout and "116 123" in eu.stdout


def test_a_country_given_any_way_still_finds_help(cli: Cli) -> None:
    for given, expected in (
        ("USA", "988"),
        ("united kingdom", "116 123"),
        ("GBR", "call 999"),
        ("uk", "call 999"),
    ):
        ran = cli("support", "--country", given, env=NO_JOURNAL_ENV)
        assert ran.exit_code == 0 and expected in ran.stdout, given
    unknown = cli("support", "--country", "Narnia", env=NO_JOURNAL_ENV)
    assert unknown.exit_code == 0 and "no checked lines for Narnia" in unknown.stdout  # help, never an error
    assert "findahelpline.com" in unknown.stdout
    german = cli("support", "--country", "DE", env=NO_JOURNAL_ENV)
    assert "116 016" in german.stdout and "116 123" in german.stdout  # its own lines, and the EU-wide one


def test_with_no_country_known_the_page_still_has_lines_for_someone_being_hurt(cli: Cli) -> None:
    """The danger line sends people here; without a country it once listed only crisis lines."""
    ran = cli("support", env=NO_JOURNAL_ENV)
    assert "If someone is hurting or frightening you" in ran.stdout
    directory = lines.directory()
    for code in ("GB", "US", "AU"):
        abuse = next(line for line in directory.countries[code].lines if line.kind == "abuse" and line.call)
        assert f"call {abuse.call}" in ran.stdout, code


def test_a_malformed_unrelated_setting_never_hides_the_numbers(cli: Cli) -> None:
    env = {
        **NO_JOURNAL_ENV,
        "RECOVERY_JOURNAL_GENTLE_CHECKS": "maybe",
        "RECOVERY_JOURNAL_LOCK_TIMEOUT": "abc",
    }
    ran = cli("support", "--country", "GB", env=env)
    assert ran.exit_code == 0 and "call 999" in ran.stdout
    located = cli("support", env={**NO_JOURNAL_ENV, "LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"})
    assert "call 999" in located.stdout  # a locale naming no country gives way to the next


def test_support_all_and_json_carry_every_line_with_its_source(cli: Cli) -> None:
    every = cli("support", "--all", env=NO_JOURNAL_ENV)
    assert every.exit_code == 0
    for code in lines.directory().countries:
        assert f"({code})" in every.stdout
    found = doc(cli("support", "--all", "--json", env=NO_JOURNAL_ENV))
    rows = [line for c in found["countries"] for line in (*c["lines"], *c["find_help"])]  # type: ignore[union-attr]
    assert rows and all(line["source"].startswith("http") and line["checked"] for line in rows)
    sourced = cli("support", "--country", "NZ", "--sources", env=NO_JOURNAL_ENV)
    assert "checked 2026-12-05 against https://" in sourced.stdout


def test_every_support_line_has_a_source_a_date_and_a_way_to_reach_it() -> None:
    raw = json.loads((Path(lines.__file__).parent / "lines.json").read_text(encoding="utf-8"))
    assert raw["version"] == 1
    countries = raw["countries"]
    assert {"US", "GB", "CA", "AU", "IE", "NZ", "EU"} <= set(countries)
    for code, country in countries.items():
        assert re.fullmatch(r"[A-Z]{2}", code) and country["name"]
        emergency = country["emergency"]
        assert emergency["number"] and emergency["source"].startswith("http"), code
        date.fromisoformat(emergency["checked"])
        for line in [*country.get("lines", []), *country.get("find_help", [])]:
            assert line["organisation"] and line["purpose"], (code, line)
            assert line["source"].startswith(("http://", "https://")), (code, line["organisation"])
            assert date.fromisoformat(line["checked"]) <= date(2026, 12, 5), (code, line["organisation"])
            assert line.get("call") or line.get("text") or line.get("web"), (code, line["organisation"])
            assert line.get("kind", "crisis") in lines.KINDS
    for line in raw["international"]:
        assert line["source"].startswith("http") and date.fromisoformat(line["checked"])
    # The lines the issue names, each as its organisation publishes it.
    by_call = {(c, line.get("call")) for c, country in countries.items() for line in country.get("lines", [])}
    for expected in [("US", "988"), ("US", "1-800-799-7233"), ("US", "800-950-6264"), ("GB", "116 123")]:
        assert expected in by_call
    assert ("GB", "0808 2000 247") in by_call and countries["GB"]["emergency"]["number"] == "999"
    assert countries["US"]["emergency"]["number"] == "911" and countries["EU"]["emergency"]["number"] == "112"


def test_locale_reading() -> None:
    assert lines.from_locale({"LANG": "en_GB.UTF-8"}) == "GB"
    assert lines.from_locale({"LANG": "C.UTF-8"}) is None
    assert lines.from_locale({"LANG": "POSIX"}) is None
    assert lines.from_locale({"LC_ALL": "C.UTF-8", "LANG": "en_IE.UTF-8"}) == "IE"
    assert lines.from_locale({"LC_ALL": "de_DE@euro", "LANG": "en_US"}) == "DE"
    assert lines.from_locale({}) is None
    assert lines.normalise(" uk ") == "GB"


# --- the safety plan ------------------------------------------------------------------------------------


def test_the_safety_plan_page_round_trips_and_drops_its_hints() -> None:
    kept = plan.read_page(
        plan.page(None).replace("## My reasons to keep going\n", "## My reasons to keep going\nMy kids\n")
    )
    assert kept.sections["reasons"] == "My kids" and not any("> " in text for text in kept.sections.values())
    again = plan.read_page(plan.page(kept))
    assert again == kept
    assert plan.read_page("words before any heading").sections["warning_signs"] == "words before any heading"
    assert plan.read_page(plan.page(None)).empty


def test_a_plan_piped_in_is_sealed_shown_and_removed(cli: Cli, initialised: Ran, isolated: Path) -> None:
    saved = cli("support", "plan", input=PLAN_PAGE)
    assert saved.exit_code == 0, saved.stderr
    assert CANARY.encode() not in (isolated / "journal.db").read_bytes()
    shown = doc(cli("support", "plan", "--show", "--json"))["plan"]
    assert shown["people"] == f"Sam {CANARY} 07700 900123"  # type: ignore[index]
    assert shown["reasons"] == "My dog, and the garden in spring."  # type: ignore[index]
    with_plan = cli("support", "--plan", "--country", "GB")
    assert "call 999" in with_plan.stdout and "My dog, and the garden in spring." in with_plan.stdout
    assert cli("doctor").exit_code == 0
    assert cli("support", "plan", "--delete", "--yes").exit_code == 0
    assert doc(cli("support", "plan", "--show", "--json"))["plan"] is None


def test_an_empty_plan_changes_nothing(cli: Cli, initialised: Ran) -> None:
    assert cli("support", "plan", input=PLAN_PAGE).exit_code == 0
    ran = cli("support", "plan", input=plan.page(None))
    assert ran.exit_code == ExitCode.INVALID_INPUT and "nothing was changed" in ran.stderr
    assert doc(cli("support", "plan", "--show", "--json"))["plan"]["reasons"]  # type: ignore[index]


def test_no_terminal_and_nothing_piped_says_so(cli: Cli, initialised: Ran) -> None:
    ran = cli("support", "plan", input="")
    assert ran.exit_code == ExitCode.USAGE and "no terminal to open your editor" in ran.stderr


def test_the_plan_is_written_in_the_editor(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch, fake_editor: Callable[..., Path]
) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    log = fake_editor("\n## Things I can do on my own to feel a little better\nA hot shower.\n", append=True)
    assert cli("support", "plan").exit_code == 0
    assert "## People I can ask for help" in json.loads(log.read_text())["initial"]
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: False)
    assert doc(cli("support", "plan", "--show", "--json"))["plan"]["coping"] == "A hot shower."  # type: ignore[index]


def test_support_offers_the_plan_only_when_asked_and_never_without_a_journal(cli: Cli) -> None:
    ran = cli("support", "--plan", env=NO_JOURNAL_ENV)
    assert ran.exit_code == 0 and "your local emergency number" in ran.stdout  # no journal: just the lines


def test_the_plan_travels_in_backups_exports_and_merges(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    assert cli("support", "plan", input=PLAN_PAGE).exit_code == 0
    backup = tmp_path / "b.rjbackup"
    assert cli("backup", "create", str(backup)).exit_code == 0
    restored = tmp_path / "restored"
    assert cli("--journal", str(restored), "backup", "restore", str(backup)).exit_code == 0
    got = doc(cli("--journal", str(restored), "support", "plan", "--show", "--json"))["plan"]
    assert got["people"] == f"Sam {CANARY} 07700 900123"  # type: ignore[index]
    exported = tmp_path / "e.json"
    assert cli("export", "--format", "json", "-o", str(exported)).exit_code == 0
    assert json.loads(exported.read_text())["safety_plan"]["reasons"] == "My dog, and the garden in spring."
    fresh = tmp_path / "fresh"
    assert cli("--journal", str(fresh), "init").exit_code == 0
    assert cli("--journal", str(fresh), "import", "json", str(exported)).exit_code == 0
    assert doc(cli("--journal", str(fresh), "support", "plan", "--show", "--json"))["plan"]["reasons"]  # type: ignore[index]
    # A journal with its own plan keeps it when merging someone else's.
    other = tmp_path / "other"
    assert cli("--journal", str(other), "init").exit_code == 0
    assert (
        cli(
            "--journal", str(other), "support", "plan", input="## My reasons to keep going\nMine.\n"
        ).exit_code
        == 0
    )
    assert cli("--journal", str(other), "import", "json", str(exported)).exit_code == 0
    mine = doc(cli("--journal", str(other), "support", "plan", "--show", "--json"))["plan"]
    assert mine["reasons"] == "Mine." and mine["people"] == ""  # type: ignore[index]


def test_a_damaged_plan_is_named_not_a_crash(cli: Cli, initialised: Ran, isolated: Path) -> None:
    assert cli("support", "plan", input=PLAN_PAGE).exit_code == 0
    damage_field(isolated / "journal.db", "care", "plan", at=-3)
    ran = cli("support", "plan", "--show")
    assert ran.exit_code == ExitCode.TAMPERED and "safety plan couldn't be opened" in ran.stderr
    assert cli("doctor").exit_code == ExitCode.TAMPERED
    # ... and the gentle check still reads what is written after it
    wrote = cli("write", "--json", input="I want to die. I have the pills in my hand.")
    assert wrote.exit_code == 0 and doc(wrote)["support_offered"] is True


# --- prompts ---------------------------------------------------------------------------------------------


def test_there_are_enough_kind_prompts_for_each_stage() -> None:
    every = prompts.all_prompts()
    for stage in ("recognition", "acceptance", "recovery"):
        assert len(every[stage]) >= 25
    assert len(every["milestone"]) >= 10 and len(every["hard_day"]) >= 10
    flat = [p for group in every.values() for p in group]
    assert len(flat) == len(set(flat))
    for prompt in flat:
        low = prompt.lower()
        assert len(prompt) <= 200 and "why didn't you" not in low and "should" not in low.split()
        assert "narcissist" not in low and "abuser" not in low


def test_prompts_command_lists_them_and_refuses_an_unknown_kind(cli: Cli) -> None:
    ran = cli("prompts", "hard-day", env=NO_JOURNAL_ENV)
    assert ran.exit_code == 0 and ran.stdout.count("\n") >= 10
    listed = doc(cli("prompts", "--json", env=NO_JOURNAL_ENV))["prompts"]
    assert set(listed) == set(prompts.GROUPS)  # type: ignore[arg-type]
    wrong = cli("prompts", "happiness", env=NO_JOURNAL_ENV)
    assert wrong.exit_code == ExitCode.INVALID_INPUT and "isn't a kind of prompt" in wrong.stderr


def test_a_prompt_is_kept_beside_the_entry_never_in_its_text(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch, fake_editor: Callable[..., Path]
) -> None:
    piped = doc(cli("write", "--prompt", "acceptance", "--json", input="Some words."))["entry"]
    assert piped["text"] == "Some words." and piped["prompt"] in prompts.all_prompts()["acceptance"]  # type: ignore[index]
    shown = cli("show", "1")
    assert f"Prompt: {piped['prompt']}" in shown.stdout  # type: ignore[index]
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    log = fake_editor("Written under the prompt.", append=True)
    assert cli("write", "--prompt").exit_code == 0  # alone: the stage the journal is in now
    opened_on = json.loads(log.read_text())["initial"]
    assert opened_on.startswith("> ") and "isn't saved in your entry" in opened_on
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: False)
    second = doc(cli("show", "2", "--json"))["entry"]
    assert second["text"] == "Written under the prompt."  # type: ignore[index]
    assert second["prompt"] and second["prompt"] in opened_on  # type: ignore[index]
    assert "prompt" not in doc(cli("list", "--json"))["entries"][0]  # type: ignore[index]
    wrong = cli("write", "--prompt", "sunshine", input="x")
    assert wrong.exit_code == ExitCode.INVALID_INPUT and "isn't a kind of prompt" in wrong.stderr


def test_prompts_travel_in_backups_and_exports(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    written = doc(cli("write", "--prompt", "recovery", "--json", input="Words."))["entry"]
    backup = tmp_path / "b.rjbackup"
    assert cli("backup", "create", str(backup)).exit_code == 0
    restored = tmp_path / "r"
    assert cli("--journal", str(restored), "backup", "restore", str(backup)).exit_code == 0
    assert doc(cli("--journal", str(restored), "show", "1", "--json"))["entry"]["prompt"] == written["prompt"]  # type: ignore[index]
    md = tmp_path / "e.md"
    assert cli("export", "-o", str(md)).exit_code == 0
    assert f"> {written['prompt']}" in md.read_text()  # type: ignore[index]


def test_the_plan_and_prompts_never_reach_disk_in_plaintext(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    assert cli("support", "plan", input=PLAN_PAGE).exit_code == 0
    assert cli("write", "--prompt", "hard-day", input=f"{CANARY} under a prompt").exit_code == 0
    written_prompts = prompts.all_prompts()["hard_day"]
    needles = [CANARY.encode(), CANARY.lower().encode()] + [p.encode() for p in written_prompts]
    leaked = [p for p in tmp_path.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]
    assert leaked == []


# --- the gentle check ------------------------------------------------------------------------------------


# A goodbye no cue names: only the learned weights read it (and not as danger from someone else).
LIGHTER = (
    "I feel so light tonight. After months of this it's like a weight has lifted. "
    "I won't have to do tomorrow."
)


def test_heavy_words_get_one_calm_line_after_the_save(cli: Cli, initialised: Ran) -> None:
    plainly = "I can't stop shaking. I don't want to be here anymore. I want it all to stop."
    ran = cli("write", "--mood", "1", "--json", input=plainly)
    assert doc(ran)["support_offered"] is True
    assert "recovery-journal support" in ran.stderr and ran.stderr.count("\n") == 1
    # Words that plainly say it get a line that names it, as a condition, and a way to reach someone now:
    # a goodbye isn't thanked.
    said = "If you're thinking of hurting yourself or ending your life, you don't have to face it alone"
    assert said in ran.stderr and "Thank you" not in ran.stderr
    gb = cli("write", input=plainly, env={"RECOVERY_JOURNAL_COUNTRY": "GB"})
    assert "you can call 116 123 (Samaritans), any time." in gb.stderr
    us = cli("write", input=plainly, env={"RECOVERY_JOURNAL_COUNTRY": "US"})  # the same number takes texts
    assert "you can call or text 988 (Suicide & Crisis Lifeline), any time." in us.stderr
    fr = cli("write", input=plainly, env={"RECOVERY_JOURNAL_COUNTRY": "FR"})  # "3114 – numéro national ..."
    assert "you can call 3114 (numéro national de prévention du suicide), any time." in fr.stderr
    # With no country known, a number for each place `support` names (9-8-8 in Canada is 988), not none.
    nowhere = cli("write", input=plainly, env={"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""})
    assert (
        "you can call 988 in the US and Canada, 116 123 in the UK, 13 11 14 in Australia or 1737 in New "
        "Zealand, any time. `recovery-journal support` has more." in nowhere.stderr
    )
    # Words only the learned weights read as heavy get a thank-you, and are never told what they were: the
    # check also speaks after some ordinary days.
    heavy = LIGHTER
    ran = cli("write", "--json", input=heavy)
    assert doc(ran)["support_offered"] is True
    assert "Thank you for putting this into words." in ran.stderr and "heavy" not in ran.stderr
    danger = cli("write", input="He said he'd kill me if I left. I'm scared he'll come tonight.")
    assert "Saved entry 7" in danger.stderr and "recovery-journal support" in danger.stderr
    for safe in ("Killing it at work today!", "Dying to see her on Friday.", "I would never hurt myself."):
        ran = cli("write", "--json", input=safe)
        assert doc(ran)["support_offered"] is False and "support" not in ran.stderr


def test_an_edit_into_heavy_words_is_checked_too(cli: Cli, initialised: Ran) -> None:
    assert cli("write", input="An ordinary day.").exit_code == 0
    ran = cli("edit", "1", "--json", input="I wish I could go to sleep and not wake up.")
    assert doc(ran)["support_offered"] is True


def test_the_gentle_check_can_be_switched_off(cli: Cli, initialised: Ran) -> None:
    ran = cli("write", "--json", input="I want to die.", env={"RECOVERY_JOURNAL_GENTLE_CHECKS": "0"})
    assert doc(ran)["support_offered"] is False and "support" not in ran.stderr
    bad = cli("write", input="x", env={"RECOVERY_JOURNAL_GENTLE_CHECKS": "maybe"})
    assert bad.exit_code == ExitCode.USAGE


def test_a_run_of_heavy_moods_gets_the_line_at_most_once_a_day(cli: Cli, initialised: Ran) -> None:
    offered = []
    for n in range(5):
        ran = cli("write", "--mood", "2", "--json", input=f"Tired, day {n}.")
        offered.append(doc(ran)["support_offered"])
    assert offered == [False, False, True, False, False]
    light = cli("write", "--mood", "8", "--json", input="A better day.")
    assert doc(light)["support_offered"] is False


def test_nothing_about_the_check_is_stored_unsealed(cli: Cli, initialised: Ran, isolated: Path) -> None:
    for n in range(3):
        cli("write", "--mood", "1", input=f"Heavy {n}.")
    con = sqlite3.connect(isolated / "journal.db")
    state = con.execute("SELECT state FROM care").fetchone()[0]
    con.close()
    assert (
        b"mood_offered" not in bytes(state) and b"mood_offered" not in (isolated / "journal.db").read_bytes()
    )


def test_docs_care_md_lists_every_line_as_the_data_has_it() -> None:
    care_md = (Path(__file__).resolve().parent.parent / "docs" / "care.md").read_text(encoding="utf-8")
    directory = lines.directory()
    for country in directory.countries.values():
        assert f"({country.code})" in care_md and (country.emergency or "") in care_md
        for line in (*country.lines, *country.find_help):
            assert line.organisation in care_md and line.source in care_md, line.organisation
            assert line.call is None or f"call {line.call}" in care_md, line.organisation


def test_a_milestone_and_a_round_number_get_a_warm_word(cli: Cli, initialised: Ran) -> None:
    ran = cli("milestone", "add", "First boundary held", "--kind", "boundary")
    assert ran.exit_code == 0 and "Marked milestone 1" in ran.stderr
    assert any(word in ran.stderr for word in ("celebrat", "matters", "remembering", "moment", "marking"))
    assert cli("counter", "start", "no contact", "--since", "200 days ago").exit_code == 0
    reset = cli("counter", "reset", "no contact", "--date", "100 days ago")  # a new run, 100 days long now
    assert "courage" in reset.stderr and "fail" not in reset.stderr.lower()
    shown = cli("counter", "list")
    assert "You've reached 100 days of no contact. That's worth celebrating." in shown.stderr


# --- share ----------------------------------------------------------------------------------------------


@pytest.fixture
def lived(cli: Cli, initialised: Ran) -> None:
    for args, text in (
        (("--tag", "therapy", "--mood", "4"), "Talked about Alex in group. It helped to say it out loud."),
        (("--star", "--mood", "6"), "A good walk. alex's name didn't come up once."),
        (("--tender", "--tag", "therapy", "--mood", "2"), f"The night with ALEX. {CANARY}"),
        (
            (
                "--mood",
                "5",
            ),
            "Ordinary day, nothing to share.",
        ),
    ):
        assert cli("write", *args, input=text).exit_code == 0
    assert cli("milestone", "add", "Told Alex no", "--kind", "boundary").exit_code == 0


def test_share_holds_only_what_was_picked_and_redacts_every_mention(
    cli: Cli, lived: None, tmp_path: Path
) -> None:
    target = tmp_path / "for-my-therapist.md"
    ran = cli("share", "--tag", "therapy", "--starred", "--redact", "alex", "-o", str(target))
    assert ran.exit_code == 0, ran.stderr
    assert "isn't encrypted" in ran.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("_Chosen from a private journal")
    assert "Talked about [name withheld] in group" in text and "[name withheld]'s name" in text
    assert "Told [name withheld] no" in text
    assert "alex" not in text.lower()
    assert CANARY not in text, "a tender entry is never picked by tag"
    assert "Ordinary day" not in text, "entries not picked stay out"
    assert "## How the stages moved" in text and "## Mood over time" in text and "## Milestones" in text
    # Read by a therapist: a guessed stage is said to be one, never passed off as an assessment.
    assert "The stages are the journal's reading of my words, or ones I set; not an assessment." in text
    assert re.search(r"(recognition|acceptance|recovery) \((guessed|set by me)\)", text)
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    named = tmp_path / "with-tender.md"
    assert cli("share", "--entries", "3", "-o", str(named)).exit_code == 0
    assert CANARY in named.read_text(encoding="utf-8"), "named by number, a tender entry is included"


def test_share_includes_an_entry_named_by_number_even_outside_the_period(
    cli: Cli, lived: None, tmp_path: Path
) -> None:
    old = ("--date", "2025-01-10", "--tag", "therapy")
    assert cli("write", *old, input="Named, from long ago.").exit_code == 0  # entry 5
    assert cli("write", *old, input="Tagged, from long ago, not named.").exit_code == 0  # entry 6
    target = tmp_path / "s.md"
    ran = cli("share", "--from", "7 days ago", "--tag", "therapy", "--entries", "5", "-o", str(target))
    assert ran.exit_code == 0, ran.stderr
    text = target.read_text(encoding="utf-8")
    assert "Named, from long ago." in text and "Talked about Alex in group" in text
    assert "Tagged, from long ago" not in text, "a tag picks only within the period"


def test_share_html_embeds_the_timeline_and_fetches_nothing(cli: Cli, lived: None, tmp_path: Path) -> None:
    target = tmp_path / "summary.html"
    assert (
        cli("share", "--entries", "1", "--format", "html", "--redact", "Alex", "-o", str(target)).exit_code
        == 0
    )
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page and '<pre aria-hidden="true"' in page
    assert "Timeline for the week of" in page and "Talked about [name withheld] in group" in page
    assert "The picture in words" in page and "Told [name withheld] no (boundary)" in page
    assert "alex" not in page.lower(), "the picture's words are redacted like the rest"
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_share_refuses_calmly_and_writes_nothing(cli: Cli, lived: None, tmp_path: Path) -> None:
    target = tmp_path / "s.md"
    typo = cli("share", "--entries", "1", "--redact", "Alxe", "-o", str(target))
    assert typo.exit_code == ExitCode.INVALID_INPUT and "'Alxe' doesn't appear" in typo.stderr
    empty = cli("share", "--from", "2020-01-01", "--to", "2020-02-01", "-o", str(target))
    assert empty.exit_code == ExitCode.NOT_FOUND and "nothing between" in empty.stderr
    assert cli("share", "--entries", "99", "-o", str(target)).exit_code == ExitCode.NOT_FOUND
    assert cli("share", "--entries", "1,x", "-o", str(target)).exit_code == ExitCode.USAGE
    assert cli("share", "--entries", "1").exit_code == ExitCode.USAGE  # where to?
    assert not target.exists()
    target.write_text("mine")
    exists = cli("share", "--entries", "1", "-o", str(target))
    assert exists.exit_code == ExitCode.ALREADY_EXISTS and target.read_text() == "mine"
    assert cli("share", "--entries", "1", "-o", str(target), "--force").exit_code == 0


def test_share_dry_run_lists_and_writes_nothing(cli: Cli, lived: None, tmp_path: Path) -> None:
    ran = cli("share", "--dry-run", "--starred", "--entries", "3", "--redact", "alex")
    assert ran.exit_code == 0
    assert "the words of 2 entries you picked" in ran.stdout and "(tender)" in ran.stdout
    assert "'alex' replaced" in ran.stdout
    assert list(tmp_path.glob("*.md")) == []


def test_the_gentle_check_is_switched_off_and_on_for_the_journal(cli: Cli, initialised: Ran) -> None:
    assert "is on" in cli("support", "gentle").stderr
    off = cli("support", "gentle", "off")
    assert off.exit_code == 0 and "is off" in off.stderr and "always there" in off.stderr
    ran = cli("write", "--json", input="I want to die.")
    assert doc(ran)["support_offered"] is False
    forced = cli("write", "--json", input="I want to die.", env={"RECOVERY_JOURNAL_GENTLE_CHECKS": "1"})
    assert doc(forced)["support_offered"] is True  # the environment wins over the journal's setting
    assert cli("support", "gentle", "on").exit_code == 0
    assert doc(cli("write", "--json", input="I want to die."))["support_offered"] is True
    assert cli("support", "gentle", "maybe").exit_code == ExitCode.USAGE


def test_a_damaged_gentle_note_never_makes_a_saved_entry_look_unsaved(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    assert cli("write", input="First.").exit_code == 0
    damage_field(isolated / "journal.db", "care", "state", at=-3)
    ran = cli("write", "--json", input="I want to die.")
    assert ran.exit_code == 0 and doc(ran)["entry"]["id"] == 2  # type: ignore[index]
    # A damaged note never switches the check off: the words are still read (it once offered nothing).
    assert doc(ran)["support_offered"] is True and "recovery-journal support" in ran.stderr
    # The ledger lets no save paper over a change made outside (doctor names it); the check is still
    # switched off for a shell by the environment, and the command says calmly why it can't save.
    off = cli("support", "gentle", "off")
    assert off.exit_code == ExitCode.TAMPERED and "Traceback" not in off.stderr
    quiet = cli("write", "--json", input="I want to die.", env={"RECOVERY_JOURNAL_GENTLE_CHECKS": "0"})
    assert quiet.exit_code == 0 and doc(quiet)["support_offered"] is False


def test_text_put_in_the_care_row_from_outside_never_hides_the_line_or_says_the_save_failed(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    assert cli("write", input="First.").exit_code == 0
    con = sqlite3.connect(isolated / "journal.db")
    con.execute("UPDATE care SET state = 'x'")
    con.commit()
    con.close()
    ran = cli("write", "--json", input="I want to die.")
    assert ran.exit_code == 0 and doc(ran)["support_offered"] is True
    assert cli("support", "plan", "--show").exit_code in (0, ExitCode.TAMPERED)  # never a crash


def test_danger_gets_its_own_line_and_a_details_edit_is_not_rechecked(cli: Cli, initialised: Ran) -> None:
    ran = cli("write", input="He's parked outside again. He said he'd kill me if I left.")
    assert ran.stderr.index("Saved entry 1") < ran.stderr.index("If you're not safe right now")
    taken = cli(
        "write", input="I took a handful of paracetamol an hour ago. I don't know why I'm writing this."
    )
    # harm under way: what to do, and that an overdose can feel like nothing at first
    assert "If you've taken something or hurt yourself, or think" in taken.stderr
    assert "Thank you" not in taken.stderr
    assert "now, even if you feel all right." in taken.stderr
    us = cli(
        "write",
        input="I took all of my sleeping pills about an hour ago.",
        env={"RECOVERY_JOURNAL_COUNTRY": "US"},
    )
    assert "or think you might, call 911 now, even if you feel all right." in us.stderr
    detail = cli("edit", "1", "--star", "--json")
    assert doc(detail)["support_offered"] is False


@pytest.mark.parametrize("text", ["Calm.", "There was rain.", "Look, I am fine.", "Is there any milk left?"])
def test_short_ordinary_entries_get_no_line(cli: Cli, initialised: Ran, text: str) -> None:
    assert doc(cli("write", "--json", input=text))["support_offered"] is False


def test_redaction_catches_names_however_they_are_written(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    decomposed = "Zoe\u0308"
    text = f"O\u2019Brien rang. {decomposed} came round. Mary\nAnn too."
    assert cli("write", input=text).exit_code == 0
    target = tmp_path / "s.html"
    ran = cli(
        *("share", "--entries", "1", "--format", "html", "-o", str(target)),
        *("--redact", "O'Brien", "--redact", "Zo\u00eb", "--redact", "Mary Ann"),
    )
    assert ran.exit_code == 0, ran.stderr
    page = target.read_text(encoding="utf-8")
    assert "Brien" not in page and "Zo" not in page.split("<body>")[1] and "Mary" not in page


def test_counters_are_shared_only_when_asked(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    assert cli("write", input="A day.").exit_code == 0
    assert cli("counter", "start", "days since I self-harmed", "--since", "20 days ago").exit_code == 0
    plain_share = tmp_path / "a.md"
    assert cli("share", "--entries", "1", "-o", str(plain_share)).exit_code == 0
    assert "self-harmed" not in plain_share.read_text(encoding="utf-8")
    listed = cli("share", "--entries", "1", "--counters", "--dry-run")
    assert "counter: days since I self-harmed" in listed.stdout


def test_a_prompt_line_anywhere_in_the_page_stays_out_of_the_entry(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch, fake_editor: Callable[..., Path]
) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    fake_editor("Written below.", append=True)
    assert cli("write", "--prompt", "recovery").exit_code == 0
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: False)
    shown = doc(cli("show", "1", "--json"))["entry"]
    assert shown["text"] == "Written below." and ">" not in shown["text"]  # type: ignore[index]


@pytest.fixture
def plan_in_a_failing_editor(monkeypatch: pytest.MonkeyPatch, fake_editor: Callable[..., Path]) -> None:
    """At a terminal, an editor that adds a name and number to the plan, then exits with an error."""
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    fake_editor(f"\n## People I can ask for help\n{CANARY}\n", append=True, status=1)


def test_a_plan_typed_into_a_failing_editor_is_sealed_at_once(
    cli: Cli, initialised: Ran, plan_in_a_failing_editor: None, tmp_path: Path
) -> None:
    ran = cli("support", "plan")
    assert ran.exit_code == ExitCode.EDITOR_FAILED and "kept safe (encrypted) as draft 1" in ran.stderr
    leaked = [p for p in tmp_path.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
    assert [p.name for p in leaked] == ["editor-spec.json"]  # only the test's own instructions


def test_filtered_exports_leave_the_plan_out(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    assert cli("support", "plan", input=PLAN_PAGE).exit_code == 0
    assert cli("write", "--tag", "garden", input="Tomatoes.").exit_code == 0
    some = tmp_path / "some.json"
    assert cli("export", "--format", "json", "--tag", "garden", "-o", str(some)).exit_code == 0
    assert "safety_plan" not in json.loads(some.read_text())


def test_capture_gets_the_gentle_check_too(cli: Cli, initialised: Ran) -> None:
    ran = cli(
        "capture", "--json", input="I don't want to be here anymore.", env={"RECOVERY_JOURNAL_PASSPHRASE": ""}
    )
    assert doc(ran)["support_offered"] is True and "recovery-journal support" in ran.stderr
    plain_ran = cli("capture", "--json", input="Bought bread.", env={"RECOVERY_JOURNAL_PASSPHRASE": ""})
    assert doc(plain_ran)["support_offered"] is False
    no_journal = cli("--journal", "/nonexistent-rj", "support", "--plan", env=NO_JOURNAL_ENV)
    assert no_journal.exit_code == 0 and "no safety plan to show" in no_journal.stderr


def test_a_capture_in_danger_gets_the_emergency_line_as_a_save_does(cli: Cli, initialised: Ran) -> None:
    """Quick capture is for exactly these moments: the same line as `write`, the emergency number first."""
    words = "He is outside my door right now and he said he will kill me."
    ran = cli("capture", input=words, env={"RECOVERY_JOURNAL_PASSPHRASE": ""})
    assert ran.exit_code == 0, ran.stderr
    assert "If you're not safe right now" in ran.stderr and "recovery-journal support" in ran.stderr
    heavy = cli("capture", input="I don't want to be here anymore.", env={"RECOVERY_JOURNAL_PASSPHRASE": ""})
    assert "If you're not safe right now" not in heavy.stderr and "recovery-journal support" in heavy.stderr


def test_capture_through_the_editor_gets_the_gentle_check_too(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch, fake_editor: Callable[..., Path]
) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    fake_editor("I can't do this anymore. I want it all to stop.")
    ran = cli("capture", "--json", env={"RECOVERY_JOURNAL_PASSPHRASE": ""})
    assert ran.exit_code == 0, ran.stderr
    assert doc(ran)["support_offered"] is True and "recovery-journal support" in ran.stderr
    fake_editor("Planted the tomatoes and had tea in the garden.")
    calm = cli("capture", "--json", env={"RECOVERY_JOURNAL_PASSPHRASE": ""})
    assert doc(calm)["support_offered"] is False and "support" not in calm.stderr


def test_closing_the_editor_under_a_prompt_without_writing_saves_nothing(
    cli: Cli, initialised: Ran, monkeypatch: pytest.MonkeyPatch, fake_editor: Callable[..., Path]
) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    fake_editor("", append=True)  # the page is left as it opened: only the prompt lines
    ran = cli("write", "--prompt", "hard-day")
    assert ran.exit_code == 0 and "Nothing written, nothing saved." in ran.stderr
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: False)
    assert doc(cli("list", "--json"))["entries"] == []


def _numbers_in(text: str) -> set[str]:
    return {m.strip() for m in re.findall(r"(?<![\w/.-])\d[\d -]*\d(?![\w/.])", text) if len(m.strip()) >= 3}


def test_without_a_country_support_names_only_checked_numbers_and_real_examples(cli: Cli) -> None:
    ran = cli("support", env=NO_JOURNAL_ENV)
    assert ran.exit_code == 0
    raw = json.loads(
        resources.files("recovery_journal.care").joinpath("lines.json").read_text(encoding="utf-8")
    )
    checked = {c["emergency"]["number"] for c in raw["countries"].values() if c.get("emergency")}
    checked |= {
        line[key]
        for c in raw["countries"].values()
        for line in c.get("lines", [])
        for key in ("call", "text")
        if line.get(key)
    }
    shown = _numbers_in(ran.stdout.replace("2026-12-05", ""))
    assert {"112", "911", "999", "000", "988", "116 123"} <= shown  # something to call, not only a website
    for number in shown:  # every number on the page is one lines.json holds, with its source
        assert any(number in known for known in checked), number
    assert "--country XX" not in ran.stdout
    assert "recovery-journal support --country GB" in ran.stdout
    assert "recovery-journal config set country GB" in ran.stdout


def test_the_line_after_a_frightening_entry_names_the_known_emergency_number(
    cli: Cli, initialised: Ran
) -> None:
    frightened = "He said he'd kill me if I left. I'm scared he'll come tonight."
    unknown = {"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""}
    nowhere = cli("write", input=frightened, env=unknown)
    # someone hiding needs a number: the places support names, each from lines.json
    assert "call your local emergency number (112 across the European Union, 911 in the US" in nowhere.stderr
    by_setting = cli("write", input=frightened, env={**unknown, "RECOVERY_JOURNAL_COUNTRY": "GB"})
    assert "call 999." in by_setting.stderr and "local emergency number" not in by_setting.stderr
    assert cli("config", "set", "country", "AU").exit_code == 0
    by_config = cli("write", input=frightened, env=unknown)
    assert "call 000." in by_config.stderr
    irish = cli("write", input=frightened, env={**unknown, "RECOVERY_JOURNAL_COUNTRY": "IE"})
    assert "call 999 or 112." in irish.stderr


@pytest.mark.parametrize("width", [40, 80])
def test_support_on_a_terminal_keeps_its_indents_and_hours_together(width: int) -> None:
    from rich.console import Console

    directory = lines.directory()
    rows = view.support_lines(lines.for_country("GB"), "GB", directory)
    console = Console(file=io.StringIO(), width=width, color_system=None, markup=False, highlight=False)
    console.print(view.rows_view(rows, width))
    shown = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert all(len(line) <= width for line in shown)
    section = False
    for before, line in zip(["", *shown], shown, strict=False):
        if line and not line.startswith(" ") and not section:
            section = line.startswith(("Someone", "If someone", "Finding"))
            continue
        if not line:
            section = False
        elif section and len(before) < width:  # only an address wider than the screen may fold to the margin
            assert line.startswith("  "), line
    assert any(line.strip().endswith("Fri 6pm to Mon 6am") for line in shown)  # the hours kept as one
    for url in ("https://www.samaritans.org/", "https://www.breathingspace.scot/"):
        assert any(url in line and line.startswith("    ") for line in shown)


def test_an_option_where_a_value_should_be_is_refused_and_nothing_is_saved(
    cli: Cli, initialised: Ran
) -> None:
    for args in (("--title", "--prompt"), ("--tag", "--star"), ("-t", "--prompt", "recovery")):
        ran = cli("write", *args, input="Words that must not be lost quietly.")
        assert ran.exit_code == ExitCode.USAGE, ran.stderr
        first = ran.stderr.splitlines()[0]
        assert f"{args[0]} needs a value, but {args[1]} came straight after it." in first
        assert "Nothing was changed." in ran.stderr and "Traceback" not in ran.stderr
    assert doc(cli("list", "--json"))["entries"] == []
    kept = doc(cli("write", "--title", "Mine", "--prompt", "--json", input="Some words."))["entry"]
    assert kept["title"] == "Mine" and kept["prompt"]  # type: ignore[index]
    refused = cli("milestone", "edit", "1", "--text", "--json")  # groups' commands are read the same way
    assert refused.exit_code == ExitCode.USAGE and "--text needs a value" in refused.stderr


def test_a_plan_from_a_failing_editor_stays_in_its_file_when_no_draft_can_be_made(
    cli: Cli,
    initialised: Ran,
    plan_in_a_failing_editor: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Whatever stops the draft (not only a journal error), the words are kept where the editor left them."""

    def cannot_keep(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the draft book is unavailable")

    monkeypatch.setattr(DraftBook, "keep", cannot_keep)
    ran = cli("support", "plan")
    assert ran.exit_code == ExitCode.EDITOR_FAILED, ran.stderr
    assert "What you typed is still in" in ran.stderr and CANARY not in ran.stderr
    kept = [p for p in tmp_path.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
    assert sorted(p.name for p in kept) != ["editor-spec.json"], "the words were lost"
    assert all(p.name == "editor-spec.json" or p.stat().st_mode & 0o077 == 0 for p in kept)


# --- the overviews and `stage show` while the newest words call for support ------------------------------

_SETTLED = (
    "I held my boundary with my sister and went for a long walk. I'm proud of the life I'm rebuilding.",
    "Self-care day: yoga, a proper meal, and I said no without guilt. I feel more like myself.",
    "A good therapy session. I'm learning who I am again and planning a trip for myself in spring.",
    "I kept my boundaries at work and cooked for friends. Rebuilding, slowly, and it feels like mine.",
    "Rested, ran in the park and booked a class I've wanted for years. My life starts to feel like mine.",
)
_GOODBYE = "I can't do this anymore. Everyone would be better off without me. This is my last entry."
_FRIGHTENED = "He's outside banging on the door. He said he'd kill me if I left. I'm hiding in the bathroom."


def _settled(cli: Cli) -> None:
    for n, text in enumerate(_SETTLED):
        assert cli("write", "--date", f"{n + 1} days ago", input=text).exit_code == 0
    assert "Often helpful here" in cli("stage").stdout  # a clear stage, with its usual advice


def test_stage_and_progress_lead_with_support_after_words_that_call_for_it(
    cli: Cli, initialised: Ran
) -> None:
    _settled(cli)
    assert "recovery-journal support" not in cli("progress").stdout
    assert cli("write", input=_GOODBYE).exit_code == 0
    stage = cli("stage").stdout
    assert stage.startswith("If you're thinking of hurting yourself or ending your life")
    # "self-care and boundaries" is no answer to a goodbye: the stage's advice gives way to the line
    assert "Often helpful here" not in stage and "Right now your writing" in stage
    progress = cli("progress").stdout.splitlines()
    assert progress[0].startswith("If you're thinking of") and progress[2].startswith("Your progress since")
    # beside it, no stage named (not where the writer is now, nor their days in each) and no mood read back
    assert not any(line.startswith(("Now", "Stages", "Movement", "Mood")) for line in progress)
    assert cli("timeline").stdout.startswith("If you're thinking of hurting yourself")
    # the documents scripts read are unchanged
    assert (
        "support" not in cli("stage", "--json").stdout and "support" not in cli("progress", "--json").stdout
    )


def test_danger_in_the_newest_words_names_the_emergency_number(cli: Cli, initialised: Ran) -> None:
    _settled(cli)
    assert cli("write", input=_FRIGHTENED).exit_code == 0
    gb = {"RECOVERY_JOURNAL_COUNTRY": "GB"}
    assert cli("stage", env=gb).stdout.startswith("If you're not safe right now, call 999.")
    assert "If you're not safe right now, call 999." in cli("progress", env=gb).stdout


def test_the_overviews_say_it_only_while_the_words_are_recent_and_the_check_is_on(
    cli: Cli, initialised: Ran
) -> None:
    _settled(cli)
    assert (
        cli("write", "--date", "3 days ago", input=_GOODBYE).exit_code == 0
    )  # dated before the last two days
    assert "recovery-journal support" not in cli("stage").stdout
    assert cli("write", input=_GOODBYE).exit_code == 0
    assert "recovery-journal support" in cli("stage").stdout
    off = {"RECOVERY_JOURNAL_GENTLE_CHECKS": "0"}
    assert "recovery-journal support" not in cli("stage", env=off).stdout
    assert "Often helpful here" in cli("stage", env=off).stdout
    for text in ("can't sleep", "3am", "still awake", "the birds have started", "cold tea"):
        assert cli("write", input=text).exit_code == 0  # a few short entries after it don't end the two days
    assert "recovery-journal support" in cli("stage").stdout


def test_entries_written_after_it_about_other_days_never_hide_the_line(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    """The newest words are the newest by their date, not the last written: catching up on past days, or
    bringing a whole other journal in, after such words mustn't push them out of sight."""
    _settled(cli)
    assert cli("write", input=_GOODBYE).exit_code == 0
    for n in range(14):  # more than the overviews read: each about a day before the last two
        assert cli("write", "--date", f"{n + 3} days ago", input=_SETTLED[n % 5]).exit_code == 0
    assert cli("stage").stdout.startswith("If you're thinking of hurting yourself or ending your life")
    older = tmp_path / "journal.txt"
    older.write_text(
        "\n".join(f"[2023-01-{day:02d} 09:00] A day.\n{_SETTLED[day % 5]}\n" for day in range(1, 29)),
        encoding="utf-8",
    )
    assert cli("import", "jrnl", str(older)).exit_code == 0
    assert cli("progress").stdout.startswith("If you're thinking of hurting yourself or ending your life")
    assert cli("timeline").stdout.startswith("If you're thinking of hurting yourself or ending your life")


def test_words_dated_years_ahead_never_lead_the_overviews(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    """Only an import brings an entry dated ahead; it isn't the newest words for the years until then."""
    _settled(cli)
    ahead = tmp_path / "journal.txt"
    ahead.write_text(f"[2040-01-01 09:00] Later.\n{_GOODBYE}\n", encoding="utf-8")
    assert cli("import", "jrnl", str(ahead)).exit_code == 0
    assert "recovery-journal support" not in cli("stage").stdout


def test_words_only_the_learned_weights_read_as_heavy_get_the_line_too(cli: Cli, initialised: Ran) -> None:
    _settled(cli)
    assert gentle.offer_for(gentle.concern(LIGHTER)) == "words"  # no cue names it: the learned weights do
    assert cli("write", input=LIGHTER).exit_code == 0
    assert cli("stage").stdout.startswith("If today is heavy")


def test_stage_show_points_to_support_instead_of_asking_to_sort_such_words(
    cli: Cli, initialised: Ran
) -> None:
    assert cli("write", input="I have the pills counted out on the table. " + _GOODBYE).exit_code == 0
    shown = cli("stage", "show", "1", env={"RECOVERY_JOURNAL_COUNTRY": "GB"}).stdout
    assert "If you've taken something or hurt yourself, or think you might, call 999 now" in shown
    assert "doesn't show a stage for words like these" in shown
    # not read back as a stage, not quoted back as its reasons, not handed back to be sorted
    assert "%" not in shown and "Because of" not in shown and "tell it" not in shown
    assert json.loads(cli("stage", "show", "1", "--json").stdout)["stage"]["cues"] is not None
    assert cli("write", input=_SETTLED[0]).exit_code == 0
    assert "recovery-journal support" not in cli("stage", "show", "2").stdout


def test_a_damaged_gentle_note_never_hides_the_line_in_the_overviews(
    cli: Cli, initialised: Ran, isolated: Path
) -> None:
    _settled(cli)
    assert cli("write", input=_GOODBYE).exit_code == 0
    damage_field(isolated / "journal.db", "care", "state")
    assert "hurting yourself or ending your life" in cli("stage").stdout
    assert "Often helpful here" not in cli("stage").stdout


def test_stage_show_of_a_stage_set_by_the_writer_keeps_the_line_after_it(cli: Cli, initialised: Ran) -> None:
    assert cli("write", input=_GOODBYE).exit_code == 0
    assert cli("stage", "set", "1", "acceptance").exit_code == 0
    shown = cli("stage", "show", "1").stdout
    assert "Your word stands" in shown and "Acceptance" in shown
    assert shown.rstrip().endswith("1737 in New Zealand, any time. `recovery-journal support` has more.")


def test_stage_guess_gives_the_line_a_save_would(cli: Cli) -> None:
    ran = cli(
        "stage",
        "guess",
        input="I took a handful of paracetamol an hour ago.",
        env={"RECOVERY_JOURNAL_COUNTRY": "GB"},
    )
    assert "or think you might, call 999 now" in ran.stderr
    assert "recovery-journal support" not in cli("stage", "guess", input="I held my boundary today.").stderr


def test_the_support_page_suggests_another_country_than_its_own(cli: Cli) -> None:
    assert "--country GB`, say" in cli("support", env={"RECOVERY_JOURNAL_COUNTRY": "US"}).stdout
    assert "--country US`, say" in cli("support", env={"RECOVERY_JOURNAL_COUNTRY": "GB"}).stdout


def test_stage_show_asks_no_one_to_sort_an_entry_in_the_two_days_after_such_words(
    cli: Cli, initialised: Ran
) -> None:
    assert cli("write", input="The bus was late again.").exit_code == 0
    assert (
        "tell it" in cli("stage", "show", "1").stdout
    )  # an unsure guess, on an ordinary day: the invitation
    assert cli("write", input=_GOODBYE).exit_code == 0
    shown = cli("stage", "show", "1").stdout
    assert "tell it" not in shown and "ending your life" in shown
