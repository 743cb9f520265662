"""Tender entries stay folded wherever they would surface unasked: list, search, export (never backups)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recovery_journal.domain.search import excerpts, hit_spans
from recovery_journal.journal.service import SearchHit, SearchResult
from recovery_journal.render import entries as view

from .conftest import Cli, Ran
from .test_render import entry, render

WORDS = "Zqxjv the night it all came back"  # a word no fold, mark or hint could contain


@pytest.fixture
def tender_journal(cli: Cli, initialised: Ran) -> Cli:
    """1: tender, untitled; 2: tender, titled; 3: an everyday entry. All three hold the word 'night'."""
    for args, text in (
        (("--tender", "--tag", "grief"), WORDS),
        (("--tender", "--title", "The hard one"), "Zqxjv again, another night."),
        ((), "A calm night, tea and a book."),
    ):
        assert cli("write", *args, input=text).exit_code == 0
    return cli


def test_list_marks_tender_entries_in_words_and_keeps_their_words_folded(tender_journal: Cli) -> None:
    listed = tender_journal("list")
    assert listed.exit_code == 0 and "Zqxjv" not in listed.stdout
    lines = listed.stdout.splitlines()
    assert "(a tender entry: `recovery-journal show 1` opens it)" in lines[0] and "#grief" in lines[0]
    assert "(tender) The hard one" in lines[1], "a title is the name given to find it again: it stays"
    assert "A calm night" in lines[2] and "tender" not in lines[2]


@pytest.mark.parametrize("width", [40, 80, 120])
def test_the_list_table_marks_tender_entries_at_every_width(width: int) -> None:
    shown = render(
        view.entry_table(
            [
                entry(WORDS, id=1, title="", tender=True),
                entry("Zqxjv too.", id=2, title="Named", tender=True, starred=True),
                entry("Plain words.", id=3, title=""),
            ],
            width,
        ),
        width,
    )
    flat = " ".join(shown.split())
    assert "Zqxjv" not in flat
    assert "(tender) Named" in flat and "★" in flat and "Plain words." in flat
    assert "tender entry" in flat and "show 1" in flat


def test_search_folds_the_excerpts_of_tender_entries_unless_asked(tender_journal: Cli) -> None:
    found = tender_journal("search", "night")
    assert found.exit_code == 0
    assert "Zqxjv" not in found.stdout
    assert "show 1` opens it" in found.stdout and "show 2` opens it" in found.stdout
    assert "The hard one" in found.stdout and "A calm night" in found.stdout
    asked = tender_journal("search", "night", "--include-tender")
    assert "Zqxjv the night" in asked.stdout and "Zqxjv again" in asked.stdout
    assert "opens it" not in asked.stdout


def test_search_json_leaves_the_words_of_tender_entries_out_unless_asked(tender_journal: Cli) -> None:
    hits = {h["id"]: h for h in json.loads(tender_journal("search", "night", "--json").stdout)["entries"]}
    assert "Zqxjv" not in json.dumps(hits)
    assert hits[1]["folded"] and hits[1]["text"] is None and hits[1]["excerpts"] == []
    assert not hits[3]["folded"] and hits[3]["excerpts"]
    asked = json.loads(tender_journal("search", "night", "--json", "--include-tender").stdout)["entries"]
    assert all(not h["folded"] for h in asked) and "Zqxjv" in json.dumps(asked)


def test_the_rich_search_view_folds_a_tender_hit() -> None:
    tender = entry(WORDS, id=7, title="", tender=True)
    result = SearchResult(
        "night", [SearchHit(tender, excerpts(tender.text, "night"), hit_spans(tender.title, "night"))]
    )
    assert "Zqxjv" not in render(view.search_view(result)) and "show 7" in render(view.search_view(result))
    assert "Zqxjv" in render(view.search_view(result, include_tender=True))


@pytest.mark.parametrize("fmt", ["markdown", "txt", "json"])
def test_export_leaves_tender_entries_out_and_says_how_many(tender_journal: Cli, fmt: str) -> None:
    ran = tender_journal("export", "--format", fmt)
    assert ran.exit_code == 0 and "Zqxjv" not in ran.stdout and "The hard one" not in ran.stdout
    assert "A calm night" in ran.stdout
    assert "2 entries you marked as tender were left out; --include-tender adds them." in ran.stderr
    if fmt == "json":
        assert json.loads(ran.stdout)["tender_left_out"] == 2
    asked = tender_journal("export", "--format", fmt, "--include-tender")
    assert asked.exit_code == 0 and "Zqxjv" in asked.stdout and "left out" not in asked.stderr
    if fmt == "json":
        assert json.loads(asked.stdout)["tender_left_out"] == 0


def test_an_export_with_tender_entries_reads_back_whole(tender_journal: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "all.json"
    target.parent.mkdir()
    assert tender_journal("export", "-f", "json", "--include-tender", "-o", str(target)).exit_code == 0
    other = tmp_path / "other"
    imported = tender_journal("--journal", str(other), "import", "json", str(target))
    assert imported.exit_code == 0, imported.stderr
    listed = json.loads(tender_journal("--journal", str(other), "list", "--json").stdout)["entries"]
    assert [e["tender"] for e in listed] == [True, True, False]


def test_a_backup_keeps_tender_entries(tender_journal: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "b.rjbackup"
    target.parent.mkdir()
    assert tender_journal("backup", "create", str(target)).exit_code == 0
    assert "3 entries" in tender_journal("backup", "verify", str(target)).stderr


def test_one_tender_entry_left_out_is_said_in_the_singular(cli: Cli, initialised: Ran) -> None:
    assert cli("write", "--tender", input="Zqxjv.").exit_code == 0
    ran = cli("export")
    assert "1 entry you marked as tender was left out; --include-tender adds it." in ran.stderr
