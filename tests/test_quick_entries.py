"""Quick entries and familiar habits: inline @tags and #tags, words on the command line, write's options,
and the line that says how to leave the editor."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_journal.commands import terminal as face
from recovery_journal.domain.entry import (
    _TAG_OK,
    MAX_TAG_CHARS,
    MAX_TAGS,
    clean_tags,
    inline_tags,
    with_inline_tags,
)
from recovery_journal.errors import ExitCode, UsageProblem
from recovery_journal.journal import editor
from recovery_journal.journal.service import Journal
from recovery_journal.settings import Settings

from .conftest import Cli, Ran


def doc(ran: Ran) -> dict[str, Any]:
    return json.loads(ran.stdout)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Held a #boundary today with @mum.", ("boundary", "mum")),
        ("#Therapy went well. #therapy again", ("therapy",)),
        ("A #self-care- evening", ("self-care",)),
        ("Wrote to me@example.org and first.last@home.net", ()),
        ("See https://example.org/page#section and www.site.net/@someone", ()),
        ("https://x.org/#/route ftp://host/#frag", ()),
        ("I was #1 in line, then #2. Then 3#4.", ()),
        ("# A heading\n## Another\nText", ()),
        ("I code in C# and F#; &#39;quoted&#39;", ()),
        ("Trailing punctuation: #grief, @sister! (#hope)", ("grief", "sister", "hope")),
        ("Unicode: #ärger #日記", ("ärger", "日記")),
        ("##double is a heading-ish mark, not a tag", ()),
        ("A trip to #İstanbul, then #İZMİR", ("istanbul", "izmir")),
        ("Composed or not: #a\u0308rger and #\u00e4rger", ("ärger",)),
    ],
)
def test_inline_tags_are_read_as_jrnl_does_without_emails_links_numbers_or_headings(
    text: str, tags: tuple[str, ...]
) -> None:
    assert inline_tags(text) == tags


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(), st.builds("{}{}".format, st.sampled_from("#@"), st.text()), st.just("#İ")),
        max_size=12,
    ).map(" ".join)
)
def test_inline_tags_are_always_usable_tags_and_never_raise(text: str) -> None:
    found = inline_tags(text)
    assert all(_TAG_OK.match(tag) and len(tag) <= MAX_TAG_CHARS for tag in found)
    assert clean_tags(found) == found, "the save re-checks tags: what the words bring must pass unchanged"
    merged = with_inline_tags(("given",), text)
    assert clean_tags(merged) == merged


def test_a_tag_given_with_a_dotted_capital_i_is_kept_plainly() -> None:
    assert clean_tags(["İstanbul", "#İzmir"]) == ("istanbul", "izmir")
    assert clean_tags(clean_tags(["İstanbul"])) == ("istanbul",)


def test_inline_tags_join_given_tags_and_stop_at_the_limit() -> None:
    assert with_inline_tags(("given",), "about #given and #more") == ("given", "more")
    many = " ".join(f"#t{i}" for i in range(MAX_TAGS + 5))
    assert len(with_inline_tags(("one",), many)) == MAX_TAGS
    assert inline_tags("#" + "a" * 60) == (), "too long to be a tag: left in the words only"


def test_a_new_entry_s_inline_tags_become_tags(journal: Journal) -> None:
    entry = journal.write("Saw @sam. #boundaries held.", tags=("therapy",))
    assert entry.tags == ("therapy", "sam", "boundaries")


def test_an_edit_adds_the_tags_its_new_words_bring(journal: Journal) -> None:
    from recovery_journal.domain.entry import EntryChanges

    entry = journal.write("Plain words.", tags=("kept",))
    edited = journal.edit(entry.id, EntryChanges(text="Plain words. #later")).entry
    assert edited.tags == ("kept", "later")
    retagged = journal.edit(entry.id, EntryChanges(tags=("other",))).entry
    assert retagged.tags == ("other",), "words that didn't change don't bring their tags back"


def test_words_never_stop_a_save_because_of_the_tags_in_them(journal: Journal) -> None:
    from recovery_journal.domain.entry import EntryChanges

    entry = journal.write("A trip to #İstanbul.")
    assert entry.tags == ("istanbul",)
    edited = journal.edit(entry.id, EntryChanges(text="Then #İzmir and #a\u0308\u0308b.")).entry
    assert edited.tags == ("istanbul", "izmir", "ä"), "a second dot can't join a tag: the words keep it"

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.one_of(st.text(), st.builds("#{}".format, st.text())), max_size=8).map(" ".join))
    def any_words(words: str) -> None:
        saved = journal.write("Words: " + words)
        assert saved.tags == inline_tags("Words: " + words)
        journal.edit(saved.id, EntryChanges(text="Again: " + words))

    any_words()


def test_a_piped_dotted_capital_i_tag_is_saved_and_never_quoted(cli: Cli, initialised: Ran) -> None:
    ran = cli("write", input="a trip to #İstanbul")
    assert ran.exit_code == 0, ran.stderr
    assert "stanbul" not in ran.stderr and "draft" not in ran.stderr
    assert doc(cli("show", "1", "--json"))["entry"]["tags"] == ["istanbul"]
    assert cli("drafts", "--json").exit_code == 0
    assert doc(cli("drafts", "--json"))["drafts"] == []


def test_the_setting_turns_inline_tags_off(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOVERY_JOURNAL_INLINE_TAGS", "0")
    with Journal.unlock(Settings.from_env(), "correct horse battery staple") as off:
        assert off.write("Just #words here.").tags == ()


def test_a_setting_that_is_not_on_or_off_is_refused_calmly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOVERY_JOURNAL_INLINE_TAGS", "maybe")
    with pytest.raises(UsageProblem) as caught:
        Settings.from_env()
    assert "1 (on) or 0 (off)" in caught.value.message and "@tags" in (caught.value.hint or "")


def test_piped_and_captured_words_bring_their_tags(cli: Cli, initialised: Ran) -> None:
    assert cli("write", input="A hard call with @dad. #boundaries").exit_code == 0
    assert doc(cli("show", "1", "--json"))["entry"]["tags"] == ["dad", "boundaries"]
    assert cli("capture", input="Quick one #night").exit_code == 0
    assert doc(cli("show", "2", "--json"))["entry"]["tags"] == ["night"]


def test_words_on_the_command_line_are_refused_with_a_way_out(cli: Cli, initialised: Ran) -> None:
    ran = cli("write", "Today", "was", "hard")
    assert ran.exit_code == ExitCode.USAGE
    assert "shell history" in ran.stderr and "Today" not in ran.stderr and "hard" not in ran.stderr
    assert "write --inline" in ran.stderr and "history -d" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 2, "one calm line and a hint"
    captured = cli("capture", "Today", "was", "hard")
    assert captured.exit_code == ExitCode.USAGE and "recovery-journal capture" in captured.stderr
    assert doc(cli("list", "--json"))["entries"] == []


def test_write_offers_what_a_new_entry_can_be_and_still_accepts_the_rest(cli: Cli, initialised: Ran) -> None:
    shown = cli("write", "--help", env={"COLUMNS": "120"}).stdout
    assert "--tender" in shown and "--star" in shown and "--inline" in shown
    assert "--not-tender" not in shown and "--unstar" not in shown
    edit_help = cli("edit", "--help", env={"COLUMNS": "120"}).stdout
    assert "--not-tender" in edit_help and "--unstar" in edit_help, "they apply where there is a mark to undo"
    assert cli("write", "--not-tender", "--unstar", input="As usual.").exit_code == 0
    entry = doc(cli("show", "1", "--json"))["entry"]
    assert (entry["tender"], entry["starred"]) == (False, False)
    both = cli("write", "--tender", "--not-tender", input="Which?")
    assert both.exit_code == ExitCode.USAGE


# --- how to leave the editor ----------------------------------------------------------------------


def _program(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(body)
    path.chmod(0o700)
    return path


WRITES = 'printf "Written in %s." "$(basename "$0")" > "$last"\n'
EDITOR_SCRIPT = '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "VIM - Vi IMproved 9.0"; exit 0; fi\n'
EDITOR_SCRIPT += "for last; do :; done\n" + WRITES


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(face, "can_ask_secret", lambda: True)


@pytest.mark.parametrize(
    ("program", "says"),
    [
        ("vim", "press i to write; to save and close, press Esc, then type :wq and Enter"),
        ("nano", "press Ctrl-X, then Y and Enter, to save and close"),
        ("gedit", "save the file and close the editor"),
    ],
)
def test_the_editor_is_introduced_with_how_to_save_and_leave_it(
    cli: Cli,
    initialised: Ran,
    at_a_terminal: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    program: str,
    says: str,
) -> None:
    _program(tmp_path / "bin", program, EDITOR_SCRIPT)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("EDITOR", program)
    ran = cli("write")
    assert ran.exit_code == 0, ran.stderr
    opening = next(line for line in ran.stderr.splitlines() if line.startswith("Opening"))
    assert program in opening and says in opening
    assert ran.stderr.index("Opening") < ran.stderr.index("Saved entry 1")


def test_a_newcomer_with_no_editor_set_is_told_how_to_leave_vi(
    cli: Cli, initialised: Ran, at_a_terminal: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No $VISUAL or $EDITOR, and vi (a vim) the only editor on PATH: the landing in bare vim is explained."""
    _program(tmp_path / "bin", "vi", EDITOR_SCRIPT)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert editor.editor_command({"PATH": str(tmp_path / "bin")})[0] == "vi"
    ran = cli("write")
    assert ran.exit_code == 0, ran.stderr
    assert ":wq" in ran.stderr and ":q!" in ran.stderr
