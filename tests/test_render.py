"""Rich output rendered to a fixed-width, colourless console and read back as text."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType

from recovery_journal.domain.entry import Entry, Revision
from recovery_journal.domain.search import excerpts, hit_spans
from recovery_journal.journal.service import SearchHit, SearchResult
from recovery_journal.render import entries as view
from recovery_journal.render.output import Output, neutralise, user_text

WHEN = datetime(2026, 11, 20, 21, 4, tzinfo=timezone.utc)


def render(thing: RenderableType, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, markup=False, highlight=False)
    console.print(thing)
    return console.file.getvalue()  # type: ignore[attr-defined]


def entry(text: str = "Body text.", **changes: object) -> Entry:
    base = dict(
        id=12,
        uuid="u",
        date=WHEN,
        created=WHEN,
        updated=WHEN,
        title="A title",
        text=text,
        tags=("therapy", "sleep"),
        mood=6,
        revisions=0,
    )
    base.update(changes)
    return Entry(**base)  # type: ignore[arg-type]


def test_list_table_shows_number_date_title_tags_and_mood() -> None:
    rows = [entry(), entry(id=13, title="", text="No title, so the first words show.")]
    out = render(view.entry_table(rows, width=120), width=120)
    assert "Fri 20 Nov 2026 21:04" in out
    assert "A title" in out and "#therapy #sleep" in out
    assert "No title, so the first words show." in out
    assert [line.split()[0] for line in out.splitlines()[2:4]] == ["12", "13"]
    assert "2026-11-20 21:04" in render(view.entry_table(rows, width=80))


def test_markup_in_user_text_prints_literally_everywhere() -> None:
    sneaky = entry(title="[red]title[/red]", text="[bold]x[/bold] [link=http://e.x]y[/link]", tags=("[b]",))
    for out in (render(view.entry_table([sneaky])), render(view.entry_view(sneaky))):
        assert "[red]title[/red]" in out
    assert "[bold]x[/bold] [link=http://e.x]y[/link]" in render(view.entry_view(sneaky))


def test_control_sequences_are_shown_not_obeyed() -> None:
    out = render(view.entry_view(entry(text="clear \x1b[2J bell \x07 cr \r end")))
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out
    assert "␛[2J" in out and "␇" in out and "␍" in out
    assert neutralise("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    assert neutralise("c1 \x9b") == "c1 \\x9b"


def test_entry_view_mentions_earlier_versions() -> None:
    out = render(view.entry_view(entry(revisions=2)))
    assert "Edited 2 times" in out and "history 12" in out


def test_search_hits_show_excerpts_around_the_words() -> None:
    text = "Long before. " * 10 + "Today I held a boundary with him. " + "After. " * 10
    hit = SearchHit(entry=entry(text=text), excerpts=excerpts(text, "BOUNDARY"), title_spans=[])
    out = render(view.search_view(SearchResult(query="BOUNDARY", hits=[hit])))
    assert "held a boundary with him" in out and "…" in out
    assert "\n".join(view.search_lines(SearchResult(query="x", hits=[hit]))).count("boundary") == 1


def test_hit_spans_map_back_through_unicode_folding() -> None:
    text = "Straße and CAFÉ and cafe\u0301"
    assert [text[a:b] for a, b in hit_spans(text, "café")] == ["CAFÉ", "cafe\u0301"]
    assert [text[a:b] for a, b in hit_spans(text, "STRASSE")] == ["Straße"]


def test_history_view_shows_each_version_then_now() -> None:
    old = Revision(
        number=1, uuid="r", replaced=WHEN, date=WHEN, title="", text="What I wrote first.", tags=(), mood=None
    )
    out = render(view.history_view(entry(text="What it says now.", revisions=1), [old]))
    assert out.index("Version 1") < out.index("What I wrote first.") < out.index("Now (version 2)")
    assert "What it says now." in out


def test_narrow_terminal_still_shows_everything() -> None:
    long_title = entry(title="A fairly long title that will need to wrap")
    out = render(view.entry_table([long_title], width=40), width=40)
    assert "2026-11-20" in out and "12" in out and "#therapy" in out
    assert "wrap" in out.replace("\n", " ")
    assert max(len(line) for line in out.splitlines()) <= 40


def test_user_text_has_no_style_of_its_own() -> None:
    assert user_text("[bold]x").plain == "[bold]x" and not user_text("[bold]x").spans


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(), max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def _written(write: Callable[[], None]) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        write()
    return buffer.getvalue()


@settings(max_examples=200, deadline=None)
@given(items=st.lists(_VALUES, max_size=5), unreadable=st.lists(st.integers(1, 99), max_size=3))
def test_a_streamed_document_is_the_whole_one(items: list[object], unreadable: list[int]) -> None:
    out = Output(json_mode=True)
    whole = _written(lambda: out.document("entries", entries=items, unreadable=unreadable))
    streamed = _written(
        lambda: out.document_streamed("entries", "entries", iter(items), lambda: {"unreadable": unreadable})
    )
    assert streamed == whole
    json.loads(whole)


def test_a_streamed_document_refuses_a_key_that_would_sort_after_the_list() -> None:
    with pytest.raises(ValueError, match="sort after"):
        Output(json_mode=True).document_streamed("x", "zebra", iter([]), dict)
    with pytest.raises(ValueError, match="sort after"), contextlib.redirect_stdout(io.StringIO()):
        Output(json_mode=True).document_streamed("x", "entries", iter([1]), lambda: {"aardvark": 1})


def test_a_long_lists_tables_line_up_batch_after_batch() -> None:
    """Each batch of a long list is its own table; with fixed columns their tags and moods start in the same
    place whatever the words, numbers and dates in each."""
    first = [entry("Short.", id=7, tags=("a",), mood=3), entry("A much longer first line here.", id=8)]
    second = [entry("x", id=123456, tags=("walks", "sea"), mood=10, date=datetime(2025, 12, 31, 23, 59))]
    drawn = [
        render(view.entry_table(batch, 100, header=not n, fixed=True), width=100)
        for n, batch in enumerate((first, second))
    ]
    assert "When" in drawn[0] and "When" not in drawn[1], "the header over the first batch only"
    rows = [line for text in drawn for line in text.splitlines() if "#" in line and "When" not in line]
    starts = {line.index("#") for line in rows}
    assert len(starts) == 1, starts
