"""Small data told truly, narrow terminals, help that fits the window, a folder that refuses new files."""

from __future__ import annotations

import errno
import io
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rich.console import Console, RenderableType

from recovery_journal import reference
from recovery_journal.domain.entry import Entry
from recovery_journal.domain.search import excerpts
from recovery_journal.errors import StorageProblem
from recovery_journal.journal.service import SearchHit, SearchResult
from recovery_journal.render import entries as view
from recovery_journal.render import manual
from recovery_journal.settings import CONFIG_KEYS
from recovery_journal.storage.files import os_error

from .conftest import Cli

WHEN = datetime(2026, 11, 30, 21, 4, tzinfo=timezone.utc)

# --- help topics fit the terminal --------------------------------------------------------------------


def _config_rows() -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(name, key.meaning, key.example, key.env) for name, key in CONFIG_KEYS.items()]


@pytest.mark.parametrize("width", [40, 80])
def test_help_environment_and_config_fit_the_width_they_are_given(width: int) -> None:
    environment = manual.environment_lines(reference.ENVIRONMENT, width)
    config = manual.config_lines("/home/me/.config/recovery-journal/config.toml", _config_rows(), width)
    for line in environment + config:  # only a single word (the config file's path) may be wider
        assert len(line) <= width or " " not in line.strip(), line
    words = " ".join(" ".join(environment).split())
    for name, meaning in reference.ENVIRONMENT:
        assert name in words and " ".join(meaning.split()) in words  # nothing lost to the wrapping


def test_help_piped_keeps_its_hundred_columns(cli: Cli) -> None:
    ran = cli("help", "environment")
    assert ran.exit_code == 0
    lines = ran.stdout.splitlines()
    assert max(len(line) for line in lines) <= manual.WIDTH
    assert any(len(line) > 80 for line in lines)  # not squeezed to some terminal's width when piped
    assert re.search(r"^  RECOVERY_JOURNAL_HOME +the journal folder", ran.stdout, re.MULTILINE)


@pytest.mark.slow
def test_help_config_wraps_to_a_forty_column_terminal(tmp_path: Path) -> None:
    from .terminal_driver import drive

    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOVERY_JOURNAL_PASSPHRASE")}
    env.update(TERM="dumb", COLUMNS="40", RECOVERY_JOURNAL_CONFIG=str(tmp_path / "c.toml"))
    code, screen = drive(["help", "config"], [], env)
    assert code == 0
    lines = [line for line in screen.replace("\r", "").splitlines() if line.strip()]
    assert any("date_order" in line for line in lines)
    wide = [line for line in lines if len(line) > 40 and " " in line.strip()]  # a long path is one word
    assert wide == []


# --- a folder that is there but can't be written to ---------------------------------------------------


def test_a_folder_that_exists_but_refuses_new_files_isnt_called_missing(tmp_path: Path) -> None:
    there = os_error(OSError(errno.ENOENT, "No such file or directory"), tmp_path)
    assert isinstance(there, StorageProblem)
    assert there.message == f"{tmp_path} is there, but it can't be written to."
    assert "no folder" not in there.message
    missing = os_error(OSError(errno.ENOENT, "No such file or directory"), tmp_path / "gone")
    assert missing.message == f"There's no folder at {tmp_path / 'gone'}."


@pytest.mark.skipif(not Path("/proc/1").is_dir(), reason="needs Linux's /proc")
def test_init_in_proc_says_it_cant_be_written_to(cli: Cli) -> None:
    ran = cli("--journal", "/proc/1", "init")
    assert ran.exit_code != 0
    assert "There's no folder" not in ran.stderr
    assert "can't be written to" in ran.stderr or "isn't open to you" in ran.stderr


# --- entries at 40 and 80 columns ----------------------------------------------------------------------


def _render(thing: RenderableType, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, markup=False, highlight=False)
    console.print(thing)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _entry(**changes: object) -> Entry:
    base = dict(
        id=7, uuid="u", date=WHEN, created=WHEN, updated=WHEN, title="A walk by the river",
        text="Felt lighter. #walks", tags=("sam", "walks", "ruth"), mood=6, revisions=0,
    )  # fmt: skip
    base.update(changes)
    return Entry(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [40, 80])
def test_search_keeps_tags_and_snippets_indented_under_the_hit(width: int) -> None:
    text = "Talked with Ruth about the weekend and how the river path felt calmer than last time we went."
    hit = SearchHit(entry=_entry(text=text), excerpts=excerpts(text, "river"), title_spans=[])
    out = _render(view.search_view(SearchResult(query="river", hits=[hit])), width).splitlines()
    assert out[0].startswith("   7  ")
    assert all(line.startswith("      ") for line in out[1:] if "#" in line and line.strip())
    body = [line for line in out if "Ruth" in line or "calmer" in line]
    assert body and all(line.startswith("    ") for line in out[out.index(body[0]) :])
    assert "#sam" in " ".join(out) and "#ruth" in " ".join(out)
    assert all(len(line) <= width for line in out)


def test_a_hit_found_by_its_tag_alone_shows_its_first_words_and_star() -> None:
    """Nothing matched in the words, so no excerpt: the first words stand in, as `list` shows them."""
    hit = SearchHit(
        entry=_entry(title="", text="Quiet session, mostly listening.", starred=True),
        excerpts=[],
        title_spans=[],
    )
    result = SearchResult(query="@walks", hits=[hit])
    for out in (_render(view.search_view(result), 80), "\n".join(view.search_lines(result))):
        head, words = out.splitlines()[:2]
        assert "★" in head and "#walks" in head
        assert words.rstrip() == "    Quiet session, mostly listening."
    tender = SearchHit(entry=_entry(title="", text="Hard words.", tender=True), excerpts=[], title_spans=[])
    folded = "\n".join(view.search_lines(SearchResult(query="@walks", hits=[tender])))
    assert "Hard words" not in folded and "a tender entry" in folded


@pytest.mark.parametrize("width", [40, 80])
def test_show_keeps_the_star_with_its_word(width: int) -> None:
    out = _render(view.entry_view(_entry(starred=True, tags=("sam", "walks", "ruth", "therapy"))), width)
    assert "★ starred" in out
    assert "mood 6/10" in out
    for tag in ("#sam", "#walks", "#ruth", "#therapy"):
        assert tag in out
    heading = out.split("A walk by the river")[0].splitlines()
    assert all(line.startswith("  ") for line in heading[1:])  # later lines hang under "Entry 7"
    assert all(len(line) <= width for line in heading)


@pytest.mark.parametrize("width", [40, 80])
def test_list_keeps_the_tags_apart_from_the_words(width: int) -> None:
    rows = [_entry(title="", text="Felt a little lighter. #walks")]
    out = _render(view.entry_table(rows, width), width)
    assert "lighter. #walks  #sam" not in " ".join(out.split("\n"))
    if width < view.NARROW:  # no Tags column: the tags get a line of their own under the words
        assert not any("#sam" in line and "lighter" in line for line in out.splitlines())
    else:
        assert re.search(r"lighter\. #walks +#sam #walks #ruth +6", out)
    assert "#sam #walks #ruth" in out


# --- little data, told truly --------------------------------------------------------------------------


def test_three_everyday_entries_dont_name_a_stage(cli: Cli, initialised: object) -> None:
    from recovery_journal.stages.journey import TELL_ENTRIES

    everyday = ["Went to the shops and bought bread.", "Walked the dog in the park.", "Cleaned the kitchen."]
    for day, text in zip((1, 2, 3), everyday, strict=True):
        assert cli("write", "--date", f"2026-11-0{day} 20:00", input=text).exit_code == 0
    told = cli("stage")
    assert told.exit_code == 0
    assert "Not enough writing yet to tell where you are; that's fine." in told.stdout
    assert "Right now" not in told.stdout
    shown = json.loads(cli("stage", "--json").stdout)
    assert shown["enough_to_tell"] is False
    for day in range(4, 4 + TELL_ENTRIES):
        text = "I'm finally free. I've set boundaries and my life is mine again; I'm building something new."
        assert cli("write", "--date", f"2026-11-{day:02d} 20:00", input=text).exit_code == 0
    assert json.loads(cli("stage", "--json").stdout)["enough_to_tell"] is True
    assert "Right now" in cli("stage").stdout


def test_progress_calls_no_stage_now_before_there_is_enough_to_tell(cli: Cli, initialised: object) -> None:
    """Its "Stages" line and its "Now" line say the same: no "(now)" beside a stage while "Now" can't tell."""
    text = "I said no and held my boundary. I'm rebuilding my life; it feels like mine again."
    for day in (1, 2):
        assert cli("write", "--date", f"2026-11-0{day} 20:00", input=text).exit_code == 0
    told = cli("progress")
    assert told.exit_code == 0
    assert "Recovery" in told.stdout, "the stage the writing was in is still shown"
    assert "Not enough writing yet to tell where you are" in told.stdout and "(now)" not in told.stdout


def test_writing_spread_over_the_stages_is_not_called_too_little(cli: Cli, initialised: object) -> None:
    """Six entries, two in each stage in turn: there is writing enough, it just leads nowhere yet. Saying "not
    enough writing yet" to someone who wrote every day would be untrue, and a little discouraging."""
    stages = ["recognition", "acceptance", "recovery"] * 2
    for day, stage in enumerate(stages, start=1):
        written = cli("write", "--date", f"2026-11-{day:02d} 20:00", input="Wrote a little tonight.")
        assert written.exit_code == 0
        assert cli("stage", "set", str(day), stage).exit_code == 0
    shown = json.loads(cli("stage", "--json").stdout)
    assert shown["enough_to_tell"] is False
    for told in (" ".join(cli(command).stdout.split()) for command in ("stage", "progress")):
        assert "Not enough writing" not in told
        assert "moves between stages" in told and "normal part of healing" in told


def _five_entries_in_three_days(cli: Cli) -> None:
    texts: list[tuple[str | None, str]] = [
        ("2 days ago 9am", "I finally said no to her and held my boundary. Proud of myself."),
        ("2 days ago 8pm", "Signed up for pottery; my life feels like mine again."),
        ("yesterday 9am", "ok"),  # nothing to go on: no stage
        ("yesterday 8pm", "12345"),
        (None, "I held my boundary again and planned my week around what I want."),
    ]
    for when_, text in texts:  # the last one now
        assert cli("write", *(("--date", when_) if when_ else ()), input=text).exit_code == 0


def test_a_few_days_of_writing_give_one_rate_not_two(cli: Cli, initialised: object) -> None:
    _five_entries_in_three_days(cli)
    told = " ".join(cli("progress", env={"NO_COLOR": "1", "COLUMNS": "200"}).stdout.split())
    assert "5 entries in 3 days so far." in told
    assert "lately" not in told and "on average" not in told


def test_sparse_writing_is_told_in_months_and_spans_read_alike(cli: Cli, initialised: object) -> None:
    """Seven entries over three years: never "0.0 on average", and the same stretch named the same way by
    `progress` and `stage`."""
    for ago in ("3 years ago", "2 years ago", "400 days ago", "200 days ago", "100 days ago", "40 days ago"):
        assert cli("write", "--date", ago, input="Held my boundary and went for a walk.").exit_code == 0
    assert cli("write", "--date", "10 days ago", input="Held my boundary and went for a walk.").exit_code == 0
    progress = " ".join(cli("progress", env={"COLUMNS": "200"}).stdout.split())
    assert "0.0" not in progress
    assert "about 1.0 entries a month lately, fewer than one entry a month on average." in progress.lower()
    assert "Recovery 3 years" in progress and "3 years" in " ".join(cli("stage").stdout.split())
    assert "months" not in progress.split("Stages", 1)[1].split("Now", 1)[0]


def test_an_imported_entry_dated_ahead_is_not_writing_lately(
    cli: Cli, initialised: object, tmp_path: Path
) -> None:
    for ago in ("400 days ago", "300 days ago", "200 days ago", "100 days ago"):
        assert cli("write", "--date", ago, input="Held my boundary and went for a walk.").exit_code == 0
    ahead = tmp_path / "journal.txt"
    ahead.write_text("[2040-01-01 09:00] Later.\nA page dated ahead.\n", encoding="utf-8")
    assert cli("import", "jrnl", str(ahead)).exit_code == 0
    told = " ".join(cli("progress", env={"COLUMNS": "200"}).stdout.split())
    assert "fewer than one entry a month lately" in told.lower()


def test_one_week_of_timeline_is_named_as_that_week(cli: Cli, initialised: object) -> None:
    assert cli("write", "--date", "2026-11-30 09:00", input="A first page.").exit_code == 0
    assert cli("write", "--date", "2026-12-02 09:00", input="A second page.").exit_code == 0
    told = cli("timeline", "--from", "2026-11-30", "--to", "2026-12-03", "--by", "week").stdout
    assert told.splitlines()[0] == "Timeline for the week of 30 Nov 2026"
    assert "to 30 Nov 2026" not in told


def test_share_says_why_some_entries_are_not_in_the_stage_counts(
    cli: Cli, initialised: object, tmp_path: Path
) -> None:
    _five_entries_in_three_days(cli)
    target = tmp_path / "share.md"
    assert cli("share", "--from", "3 days ago", "-o", str(target)).exit_code == 0
    text = " ".join(target.read_text(encoding="utf-8").split())
    assert "5 entries" in text
    assert "of 3 entries" in text
    assert "The other 2 had no clear stage yet." in text
