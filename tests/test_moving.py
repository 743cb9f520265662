"""Moving in and out: exports other tools read (jrnl, Obsidian, JSON Schema) and imports that keep everything.

The jrnl files in fixtures/jrnl were written by jrnl 4.6 itself (fixtures/jrnl/README.md says how); the Day
One export is built here from Day One's documented JSON export format.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from recovery_journal.domain.entry import Entry
from recovery_journal.errors import ExitCode, TooLarge
from recovery_journal.portability import importers, jrnltext
from recovery_journal.render import exports

from .conftest import Cli, Ran

JRNL = Path(__file__).parent / "fixtures" / "jrnl"
SCHEMA = Path(importers.__file__).parent / "export.schema.json"


def _filled(cli: Cli) -> None:
    cli("write", "--title", "A boundary", "--tag", "moving", "--mood", "4", input="Said no, calmly. @calm")
    cli("write", "--tag", "family", "--tag", "self-care", input="A quiet morning.\nCoffee by the window.")
    cli("write", "--tender", input="The hardest night.")
    assert cli("edit", "1", "--star").exit_code == 0
    cli("milestone", "add", "First boundary held", "--kind", "boundary")


# --- exports ---------------------------------------------------------------------------------------------


def test_export_to_dash_writes_to_stdout_not_a_file_named_dash(
    cli: Cli, initialised: Ran, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _filled(cli)
    monkeypatch.chdir(tmp_path)
    ran = cli("export", "--format", "txt", "-o", "-")
    assert ran.exit_code == 0, ran.stderr
    assert "Said no, calmly." in ran.stdout and not (tmp_path / "-").exists()


def test_txt_export_keeps_tags_and_stars_in_jrnls_own_form(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    _filled(cli)
    text = cli("export", "--format", "txt").stdout
    note, first, second = text.split("\n\n\n")[0], *text.split("\n\n\n")[1].split("\n\n")
    assert note.startswith(jrnltext.MARK) and "not encrypted" in note, "the first line, which jrnl skips"
    assert first.splitlines()[0].endswith("] A boundary *"), "a star is jrnl's ' *' after the title"
    assert first.splitlines()[1] == "Said no, calmly. @calm", "a titled entry's words start below it"
    assert first.splitlines()[-1] == "Tags: @moving @calm", "every tag, in order, as jrnl's @tags"
    assert not second.splitlines()[0].endswith("*")
    assert second.splitlines()[0].endswith("] A quiet morning."), "no title: the first line heads it"
    assert second.splitlines()[-1] == "Tags: @family @self-care"
    source = tmp_path / "out.txt"
    source.write_text(text)
    back = [e for e, _ in importers.jrnl(source).incoming.entries]
    assert [(e.title, e.tags, e.starred) for e in back] == [
        ("A boundary", ("moving", "calm"), True),
        ("", ("family", "self-care"), False),
    ]


# Entries that test every rule of the text layout: a title (one ending in a star, too), tags in the words and
# not, stars, paragraphs, a first line alone in its paragraph, lines jrnl would take for a new entry or a tag
# line, words that aren't English or even Latin, and a time with seconds.
ROUND_TRIP = [
    ("2024-03-01 09:00", ["--title", "A boundary", "--tag", "moving", "--star"],
     "Said no, calmly. @calm\n\nThen a walk — ça va, 心 🌱, مرحبا.\n\n\nTwo blank lines before this."),
    ("2024-03-02 21:30:15", [],
     "Hard day.\n\nI cried, and that was allowed. #tears in the middle\n[tomorrow] call the GP\n"
     "[2024-03-02 10:00] not a new entry\n\\[2024-03-03 11:00] a backslash of my own\nTags: @fake"),
    ("2024-03-03 08:15", ["--star"], "One line, wow *"),
    ("2024-03-04 12:00", ["--title", "Füße *"], "  Indented first line  \nÆØÅ — Ελληνικά — 日本語"),
    # Written with inline tags off (RECOVERY_JOURNAL_INLINE_TAGS=0): @words that aren't the entry's tags.
    ("2024-03-05 07:45", ["--tag", "x-", "--no-inline-tags"], "Tags: @looks-like-a-tag-line"),
    ("2024-03-06 07:45", ["--no-inline-tags"], "Words, no tags.\nTags: @not-a-tag"),
]  # fmt: skip


def _entries_of(cli: Cli, journal: Path | None = None) -> list[tuple[object, ...]]:
    where = ["--journal", str(journal)] if journal else []
    document = json.loads(cli(*where, "export", "--format", "json").stdout)
    return [
        (datetime.fromisoformat(e["date"]), e["title"], e["text"], tuple(e["tags"]), e["starred"])
        for e in document["entries"]
    ]


def test_a_txt_export_imports_back_exactly(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    for when, options, words in ROUND_TRIP:
        env = {"RECOVERY_JOURNAL_INLINE_TAGS": "0"} if "--no-inline-tags" in options else None
        given = [o for o in options if o != "--no-inline-tags"]
        assert cli("write", "--date", when, *given, input=words, env=env).exit_code == 0
    written = _entries_of(cli)
    assert written[1][0].second == 15 and "@fake" in written[1][2]  # the cases are what they say
    assert [w[3] for w in written[4:]] == [("x-",), ()]
    exported = tmp_path / "journal.txt"
    assert cli("export", "--format", "txt", "-o", str(exported)).exit_code == 0
    fresh = tmp_path / "fresh"
    ran = cli("--journal", str(fresh), "import", "jrnl", str(exported), "--json")
    assert ran.exit_code == 0, ran.stderr
    assert json.loads(ran.stdout)["entries_added"] == len(ROUND_TRIP)
    back = _entries_of(cli, fresh)
    for before, after in zip(written, back, strict=True):
        for name, was, now in zip(("date", "title", "text", "tags", "starred"), before, after, strict=True):
            assert was == now, f"{name} changed on the way back: {was!r} became {now!r}"
    again = cli("--journal", str(fresh), "import", "jrnl", str(exported), "--json")
    assert json.loads(again.stdout)["entries_unchanged"] == len(ROUND_TRIP), "twice adds nothing"
    home = cli("import", "jrnl", str(exported), "--json")  # back into the journal it came from
    assert home.exit_code == 0, home.stderr
    assert json.loads(home.stdout)["entries_added"] == 0, "its own entries, though the text carries no ids"
    assert json.loads(home.stdout)["entries_unchanged"] == len(ROUND_TRIP)
    assert len(_entries_of(cli)) == len(ROUND_TRIP)


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set this machine's time zone for the test (TZ, then tzset); the real one comes back afterwards."""

    def move(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield move
    monkeypatch.undo()
    time.tzset()


def test_a_txt_export_comes_home_in_another_zone_and_in_the_hour_clocks_go_back(
    cli: Cli, initialised: Ran, tmp_path: Path, zone: Callable[[str], None]
) -> None:
    """The layout keeps local time without its offset: read elsewhere the instant moves, the time as written
    doesn't. Both 01:30s of the night New York's clocks went back, too."""
    zone("America/New_York")
    for offset, words in (("-04:00", "The first half past one."), ("-05:00", "The second half past one.")):
        assert cli("write", "--date", f"2025-11-02T01:30:00{offset}", input=words).exit_code == 0
    assert cli("write", "--date", "2025-06-01 08:00", input="A June morning.").exit_code == 0
    exported = tmp_path / "journal.txt"
    assert cli("export", "--format", "txt", "-o", str(exported)).exit_code == 0
    for where in ("America/New_York", "Europe/London"):
        zone(where)
        ran = cli("import", "jrnl", str(exported), "--json")
        assert ran.exit_code == 0, ran.stderr
        assert json.loads(ran.stdout)["entries_added"] == 0, f"its own entries came back as new in {where}"
    assert len(_entries_of(cli)) == 3


def test_a_damaged_entry_is_matched_by_nothing_and_its_words_come_back(
    cli: Cli, initialised: Ran, isolated: Path, tmp_path: Path
) -> None:
    for day, words in ((1, "A quiet walk."), (2, "Tea with my sister.")):
        assert cli("write", "--date", f"2025-03-0{day} 09:30", input=words).exit_code == 0
    exported = tmp_path / "journal.txt"
    assert cli("export", "--format", "txt", "-o", str(exported)).exit_code == 0
    with sqlite3.connect(isolated / "journal.db") as con:  # damage on disk: one byte of entry 2's words
        sealed = bytearray(con.execute("SELECT text FROM entries WHERE id = 2").fetchone()[0])
        sealed[-3] ^= 0x01
        con.execute("UPDATE entries SET text = ? WHERE id = 2", (bytes(sealed),))
    con.close()
    ran = cli("import", "jrnl", str(exported), "--json")
    assert ran.exit_code == 0, ran.stderr
    assert (json.loads(ran.stdout)["entries_added"], json.loads(ran.stdout)["entries_unchanged"]) == (1, 1)


def test_an_entry_at_the_same_moment_with_other_words_is_still_new(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    """Only the same moment, title and words make an entry from a text file the one already here."""
    assert cli("write", "--date", "2025-03-01 09:30", input="Coffee with Sam. It went well.").exit_code == 0
    exported = tmp_path / "journal.txt"
    assert cli("export", "--format", "txt", "-o", str(exported)).exit_code == 0
    with exported.open("a", encoding="utf-8") as more:
        more.write("\n[2025-03-01 09:30] Coffee with Sam. It went badly.\n")
    ran = cli("import", "jrnl", str(exported), "--json")
    assert ran.exit_code == 0, ran.stderr
    assert (json.loads(ran.stdout)["entries_added"], json.loads(ran.stdout)["entries_unchanged"]) == (1, 1)
    words = [f"{e[1]} {e[2]}" for e in _entries_of(cli)]
    assert len(words) == 2 and any("badly" in w for w in words) and any("well" in w for w in words)


_TAGS = st.lists(st.from_regex(r"[a-zéüß心][a-z0-9éü心\-.'_]{0,8}", fullmatch=True), max_size=4, unique=True)
_LINE = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\n"), max_size=20),
    st.sampled_from(["", "Tags: @a", "Tags:", "[2024-01-01 10:00] x", "\\[tomorrow] y", "wow *", "*\\"]),
)


@given(
    title=st.one_of(st.just(""), st.text(st.characters(blacklist_categories=["Cs", "Zs", "Cc"]), min_size=1,
                                         max_size=12).map(lambda t: t + " *" if len(t) % 2 else t)),
    lines=st.lists(_LINE, min_size=1, max_size=6),
    tags=_TAGS,
    starred=st.booleans(),
    seconds=st.integers(min_value=0, max_value=59),
)  # fmt: skip
@settings(max_examples=300, deadline=None)
def test_the_txt_layout_reads_back_whatever_the_words(
    title: str, lines: list[str], tags: list[str], starred: bool, seconds: int
) -> None:
    words = "\n".join(lines).lstrip("\r\n").rstrip()
    assume(words.strip())
    title = " ".join(title.split())
    entry = Entry(
        id=1, uuid="u", date=datetime(2024, 3, 1, 9, 0, seconds).astimezone(), created=datetime.now(),
        updated=datetime.now(), title=title, text=words, tags=tuple(tags), mood=None, starred=starred,
    )  # fmt: skip
    out = io.StringIO()
    other = replace(entry, date=entry.date.replace(minute=1), title="", starred=not starred)
    exports.write_text(out, [entry, other])
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "export.txt"
        source.write_text(out.getvalue(), encoding="utf-8", newline="")
        read = [e for e, _ in importers.jrnl(source).incoming.entries]
        pipe = Path(folder) / "pipe"  # not a regular file: read whole, not streamed
        os.mkfifo(pipe)
        feeding = threading.Thread(target=lambda: pipe.write_text(out.getvalue(), encoding="utf-8"))
        feeding.start()
        piped = [e for e, _ in importers.jrnl(pipe).incoming.entries]
        feeding.join()
    expected = [
        (entry.date, title, words, tuple(tags), starred),
        (other.date, "", words, tuple(tags), not starred),
    ]
    assert [(e.date, e.title, e.text, e.tags, e.starred) for e in read] == expected
    assert [(e.date, e.title, e.text, e.tags, e.starred) for e in piped] == expected


def _for_jrnl() -> list[Entry]:
    """The entries of fixtures/jrnl/ours-export.txt, which jrnl 4.6 read into ours-read-by-jrnl.json."""

    def entry(when: str, title: str, text: str, tags: tuple[str, ...], starred: bool) -> Entry:
        moment = datetime.fromisoformat(when).astimezone()  # local time, as the file says it
        return Entry(1, "u", moment, moment, moment, title, text, tags, None, starred=starred)

    return [
        entry("2024-03-01 09:00", "A boundary", "Said no, calmly. @calm\n\nThen a walk — ça va, 心 🌱.",
              ("moving", "calm"), True),
        entry("2024-03-02 21:30:15", "", "Hard day.\n\nI cried.\n[tomorrow] call the GP\n"
              "[2024-03-02 10:00] not a new entry", ("tears",), False),
        entry("2024-03-03 08:15", "", "One line, wow *", ("self-care",), False),
        entry("2024-03-04 12:00", "Füße *", "Ελληνικά, 日本語.", (), True),
    ]  # fmt: skip


def test_jrnl_reads_our_txt_export_as_one_entry_each_with_its_tags_and_star() -> None:
    out = io.StringIO()
    exports.write_text(out, _for_jrnl())
    assert out.getvalue() == (JRNL / "ours-export.txt").read_text(encoding="utf-8"), (
        "the txt layout changed: make ours-export.txt and jrnl's reading of it again (fixtures/jrnl/)"
    )
    read = json.loads((JRNL / "ours-read-by-jrnl.json").read_text(encoding="utf-8"))["entries"]
    assert len(read) == len(_for_jrnl()), "jrnl took no line of the words for a new entry"
    for ours, theirs in zip(_for_jrnl(), read, strict=True):
        assert (theirs["date"], theirs["time"]) == (f"{ours.date:%Y-%m-%d}", f"{ours.date:%H:%M}")
        assert theirs["starred"] == ours.starred
        assert {t.removeprefix("@") for t in theirs["tags"]} == set(ours.tags)
        jrnl_words = theirs["title"] + "\n" + theirs["body"]
        for line in (ours.title + "\n" + ours.text).strip().splitlines():
            assert line.removesuffix(" *").strip() in jrnl_words.replace("\\", "")


def test_markdown_into_a_folder_writes_one_private_note_per_entry(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    _filled(cli)
    folder = tmp_path / "notes"
    ran = cli("export", "-o", f"{folder}/", "--include-tender")
    assert ran.exit_code == 0, ran.stderr
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 4 and "milestones.md" in names
    assert all(stat.S_IMODE((folder / n).stat().st_mode) == 0o600 for n in names)
    notes = [(folder / n).read_text() for n in names if n != "milestones.md"]
    boundary = next(n for n in notes if "A boundary" in n)
    matter, _, body = boundary.removeprefix("---\n").partition("\n---\n")
    fields = dict(line.split(": ", 1) for line in matter.splitlines())
    assert json.loads(fields["tags"]) == ["moving", "calm"] and fields["starred"] == "true"
    assert fields["mood"] == "4" and json.loads(fields["title"]) == "A boundary"
    assert json.loads(fields["stage"]) in ("recognition", "acceptance", "recovery")
    assert "# A boundary" in body and "Said no, calmly. @calm" in body
    tender = next(n for n in notes if "The hardest night." in n)
    assert "tender: true" in tender and "starred: false" in tender
    assert not list(tmp_path.glob(".notes.*")), "no temporary folder is left behind"


def test_a_folder_export_leaves_tender_entries_out_and_never_mixes_with_other_files(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    _filled(cli)
    empty = tmp_path / "empty"
    empty.mkdir()
    ran = cli("export", "-o", str(empty))
    assert ran.exit_code == 0 and "left out" in ran.stderr
    assert not any("hardest" in p.read_text() for p in empty.iterdir())
    assert len(list(empty.glob("2*.md"))) == 2
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "mine.txt").write_text("mine")
    refused = cli("export", "-o", str(busy), "--force")
    assert refused.exit_code == ExitCode.ALREADY_EXISTS and "Traceback" not in refused.stderr
    assert [p.name for p in busy.iterdir()] == ["mine.txt"]
    assert cli("export", "--format", "json", "-o", f"{tmp_path / 'new'}/").exit_code == ExitCode.USAGE
    assert cli("export", "-o", str(tmp_path / "one.md")).exit_code == 0
    assert (tmp_path / "one.md").is_file(), "-o FILE stays one file"


def test_json_export_matches_the_schema_that_ships_with_the_package(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    _filled(cli)
    cli("edit", "2", input="A quiet morning, changed.")
    cli("counter", "start", "no contact")
    cli("stage", "set", "1", "recovery")
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    document = json.loads(cli("export", "--format", "json", "--include-tender").stdout)
    assert not list(validator.iter_errors(document))
    assert document["entries"][1]["revisions"] and document["counters"]
    broken = {**document, "entries": [{**document["entries"][0], "mood": 11}]}
    assert list(validator.iter_errors(broken)), "the schema can fail: a mood out of range is refused"
    unknown = {**document, "surprise": 1}
    assert list(validator.iter_errors(unknown))


# --- imports from jrnl -------------------------------------------------------------------------------------


def _fields(read: importers.Imported) -> list[tuple[object, ...]]:
    return [
        (e.date.strftime("%Y-%m-%d %H:%M"), e.text, frozenset(e.tags), e.starred)
        for e, _ in read.incoming.entries
    ]


def test_jrnl_txt_json_and_md_exports_read_the_same_entries_field_by_field() -> None:
    journal = _fields(importers.jrnl(JRNL / "jrnl-journal.txt"))
    assert journal == _fields(importers.jrnl(JRNL / "jrnl-export.txt"))
    assert journal == _fields(importers.jrnl(JRNL / "jrnl-export.json"))
    assert [(d, t, g) for d, t, g, _ in journal] == [
        (d, t, g) for d, t, g, _ in _fields(importers.jrnl(JRNL / "jrnl-export.md"))
    ], "jrnl's markdown export keeps everything but the star"
    assert journal[0] == (
        "2024-03-01 09:00",
        "Planning the move.\nI wrote down what I need @moving @family",
        frozenset({"moving", "family"}),
        False,
    )
    assert journal[1][3] and journal[2][1].endswith("Nothing happened, and that was good.")


def test_the_same_jrnl_journal_as_txt_after_json_changes_nothing(cli: Cli, initialised: Ran) -> None:
    first = cli("import", "jrnl", str(JRNL / "jrnl-export.json"), "--json")
    assert json.loads(first.stdout)["entries_added"] == 3
    again = json.loads(cli("import", "jrnl", str(JRNL / "jrnl-journal.txt"), "--json").stdout)
    assert again["kind"] == "import", "an import reports itself as one"
    assert (again["entries_added"], again["entries_updated"], again["conflicts"]) == (0, 0, [])
    assert again["entries_unchanged"] == 3 and again["revisions_added"] == 0, "tag order isn't an edit"


def test_a_jrnl_entry_too_large_is_refused_before_anything_is_written(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    """The checking pass (importers._jrnl_ids) refuses it, as reading the entry would: nothing comes in, and
    the words aren't quoted back."""
    source = tmp_path / "journal.txt"
    huge = "private words " * 80_000  # about 1.1 MB
    one = "[2024-03-01 09:00] One.\nFine.\n\n"
    source.write_text(f"{one}[2024-03-02 09:00] Two.\n{huge}\n", encoding="utf-8")
    refused = cli("import", "jrnl", str(source))
    assert refused.exit_code == ExitCode.TOO_LARGE and "over 1 MiB" in refused.stderr
    assert "private words" not in refused.stderr + refused.stdout and "Traceback" not in refused.stderr
    assert json.loads(cli("list", "--json").stdout)["entries"] == [], "nothing was imported"
    with pytest.raises(TooLarge):
        importers.tally(importers._jrnl_ids(importers._lines(source), importers._Reading()))
    source.write_text(f"{one}[2024-03-02 09:00]\n\n{one}", encoding="utf-8")  # the same one twice, one empty
    assert importers.tally(importers._jrnl_ids(importers._lines(source), importers._Reading())) == (1, 1)


def test_a_day_first_jrnl_journal_lands_on_the_right_days(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    source = JRNL / "jrnl-dayfirst.txt"
    days = [e.date.date().isoformat() for e, _ in importers.jrnl(source).incoming.entries]
    assert days == ["2024-03-05", "2024-03-20"], "20/03 can only be day-first, so 05/03 is 5 March"
    only_ambiguous = tmp_path / "journal.txt"
    only_ambiguous.write_text("[05/03/2024 09:00] One.\nWords.\n\n[04/02/2024 10:00] Two.\nMore words.\n")
    refused = cli("import", "jrnl", str(only_ambiguous))
    assert refused.exit_code == ExitCode.INVALID_INPUT and "--dayfirst" in refused.stderr
    assert "(05/03/2024 could be 5 March or 3 May)" in refused.stderr, "the file's own date, both ways"
    assert "Words" not in refused.stderr and "Traceback" not in refused.stderr
    listed = lambda: json.loads(cli("list", "--json").stdout)["entries"]  # noqa: E731
    assert listed() == [], "nothing was imported"
    ran = cli("import", "jrnl", str(only_ambiguous), "--dayfirst")
    assert ran.exit_code == 0, ran.stderr
    assert sorted(e["date"][:10] for e in listed()) == ["2024-02-04", "2024-03-05"]
    month = importers.jrnl(only_ambiguous, dayfirst=False).incoming.entries
    assert [e.date.date().isoformat() for e, _ in month] == ["2024-05-03", "2024-04-02"]


def test_dates_that_disagree_are_named_from_the_file(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    mixed = tmp_path / "journal.txt"
    mixed.write_text("[20/03/2024 09:00] One.\nWords.\n\n[03/25/2024 10:00] Two.\nMore words.\n")
    refused = cli("import", "jrnl", str(mixed))
    assert refused.exit_code == ExitCode.INVALID_INPUT
    assert "only be day-first (20/03/2024) and others only month-first (03/25/2024)" in refused.stderr


def test_an_entry_start_with_a_day_that_does_not_exist_is_refused_by_its_line(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    """Never run silently into the entry before it (as jrnl reads it), which would join two entries."""
    source = tmp_path / "journal.txt"
    source.write_text(
        "[2024-02-01 09:00] Good.\nWords one.\n\n[2024-02-30 10:00] Typed by hand.\nWords two.\n"
    )
    refused = cli("import", "jrnl", str(source))
    assert refused.exit_code == ExitCode.INVALID_DATE
    assert "Line 4 looks like the start of an entry, but 2024-02-30 10:00 isn't a real" in refused.stderr
    assert "Words" not in refused.stderr and json.loads(cli("list", "--json").stdout)["entries"] == []
    source.write_text("[2024-13-45 09:00] Only this.\nWords.\n")
    alone = cli("import", "jrnl", str(source), "--dry-run")
    assert alone.exit_code == ExitCode.INVALID_DATE and "Line 1 " in alone.stderr, "not 'no entries found'"
    # Within an entry's words, a date of the other kind (no time) is words, as before, whatever its day.
    source.write_text("[2024-02-01 09:00] Good.\nOn the day:\n[2024-02-30] I wrote this.\n")
    kept = cli("import", "jrnl", str(source))
    assert kept.exit_code == 0, kept.stderr
    ((entry,),) = [json.loads(cli("list", "--json").stdout)["entries"]]
    assert "[2024-02-30] I wrote this." in cli("show", str(entry["id"])).stdout


def test_an_encrypted_jrnl_journal_and_any_other_binary_file_are_told_apart(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    sealed = tmp_path / "journal.txt"
    sealed.write_bytes(b"gAAAAABl" + b"x" * 200)  # a Fernet token, as jrnl 2+ writes an encrypted journal
    told = cli("import", "jrnl", str(sealed))
    assert told.exit_code == ExitCode.INVALID_INPUT and "looks encrypted" in told.stderr
    program = tmp_path / "picture.png"
    program.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    other = cli("import", "jrnl", str(program))
    assert other.exit_code == ExitCode.INVALID_INPUT
    assert "isn't a text file" in other.stderr and "looks encrypted" not in other.stderr


def test_jrnls_own_config_says_how_its_dates_and_tags_read(tmp_path: Path) -> None:
    folder = tmp_path / "jrnl-data"
    folder.mkdir()
    source = folder / "dayfirst.txt"
    source.write_text("[05/03/2024 09:00] One.\nWords +calm #notatag.\n")
    config = tmp_path / "jrnl.yaml"
    config.write_text(
        (JRNL / "jrnl-config.yaml").read_text().replace("JOURNAL_FOLDER", str(folder))
        .replace("tagsymbols: '@'", "tagsymbols: '+'")
    )  # fmt: skip
    ((entry, _),) = importers.jrnl(source, config=config).incoming.entries
    assert entry.date.date().isoformat() == "2024-03-05", "the journal's own timeformat is day-first"
    assert entry.tags == ("calm",), "only jrnl's tag symbols make tags"
    xdg = tmp_path / "xdg-config" / "jrnl"  # where the conftest's XDG_CONFIG_HOME points jrnl
    xdg.mkdir(parents=True)
    (xdg / "jrnl.yaml").write_text(config.read_text())
    ((found, _),) = importers.jrnl(source).incoming.entries
    assert found.date == entry.date, "jrnl's config is found where jrnl keeps it"


def test_import_dry_run_works_before_a_journal_exists(cli: Cli, isolated: Path) -> None:
    ran = cli("import", "jrnl", str(JRNL / "jrnl-journal.txt"), "--dry-run", "--json")
    assert ran.exit_code == 0, ran.stderr
    report = json.loads(ran.stdout)
    assert report["kind"] == "import" and report["dry_run"] and report["entries_added"] == 3
    assert not isolated.exists() or not (isolated / "journal.db").exists()
    said = cli("import", "jrnl", str(JRNL / "jrnl-journal.txt"), "--dry-run")
    assert "Would add 3 entries" in said.stderr and "no journal" in said.stderr


# --- imports from Day One ----------------------------------------------------------------------------------


DAYONE_ENTRY = {
    "uuid": "81F0F3CA693F484792F76359E9E2ACE8",
    "creationDate": "2023-12-25T03:04:32Z",
    "modifiedDate": "2023-12-26T08:00:00Z",
    "timeZone": "Europe/London",
    "text": "# Christmas on my own\\!\n\nIt was quiet, and mine.\n\n"
    "![](dayone-moment://68D729369ED84A8B91B5D348E4592EFE)\n\n"
    "![](dayone-moment:/audio/7A1B2C3D4E5F40718293A4B5C6D7E8F9)\n\n"
    "![](dayone-moment:/video/0A1B2C3D4E5F40718293A4B5C6D7E8F9)\n\n"
    "![](dayone-moment:/pdfAttachment/1A1B2C3D4E5F40718293A4B5C6D7E8F9)",
    "richText": "{}",
    "tags": ["Holidays", "self care"],
    "starred": True,
    "isPinned": False,
    "creationDevice": "Phone",
    "location": {
        "placeName": "Hampstead Heath",
        "localityName": "London",
        "country": "United Kingdom",
        "latitude": 51.5608,
        "longitude": -0.1629,
    },
    "weather": {"conditionsDescription": "Light Rain", "temperatureCelsius": 6.4},
    "photos": [{"identifier": "68D729369ED84A8B91B5D348E4592EFE", "md5": "a" * 32, "type": "jpeg"}],
    "audios": [{"identifier": "7A1B2C3D4E5F40718293A4B5C6D7E8F9", "md5": "b" * 32, "type": "m4a"}],
    "videos": [{"identifier": "0A1B2C3D4E5F40718293A4B5C6D7E8F9", "md5": "c" * 32, "type": "mov"}],
    "pdfAttachments": [{"identifier": "1A1B2C3D4E5F40718293A4B5C6D7E8F9", "md5": "d" * 32, "type": "pdf"}],
    "userActivity": {"stepCount": 4000},
}


def _dayone_zip(tmp_path: Path) -> Path:
    archive = tmp_path / "Day One Export.zip"
    plain = {
        "uuid": "12F0F3CA693F484792F76359E9E2ACE8",
        "creationDate": "2024-01-02T10:00:00Z",
        "text": "Hi.",
    }
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "Recovery.json", json.dumps({"metadata": {"version": "1.0"}, "entries": [DAYONE_ENTRY, plain]})
        )
        z.writestr("photos/" + "a" * 32 + ".jpeg", b"\xff\xd8")
        z.writestr("audios/" + "b" * 32 + ".m4a", b"\x00")
    return archive


def test_day_one_keeps_every_field_it_can_and_says_what_it_left(tmp_path: Path) -> None:
    from recovery_journal.portability import dayone

    read = dayone.read(_dayone_zip(tmp_path))
    entry = read.incoming.entries[0][0]
    assert entry.title == "Christmas on my own!", "a first-line # heading is the title"
    assert entry.date.isoformat() == "2023-12-25T03:04:32+00:00"
    assert entry.updated.isoformat() == "2023-12-26T08:00:00+00:00", "modifiedDate is kept"
    assert entry.tags == ("holidays", "self-care", "recovery"), "the journal's name is a tag"
    assert entry.starred
    for said in ("[photo]", "[audio recording]", "[video]", "[PDF]"):
        assert said in entry.text
    assert entry.text.startswith("It was quiet, and mine.")
    assert "Location: Hampstead Heath, London, United Kingdom (51.56080, -0.16290)" in entry.text
    assert entry.text.endswith("Weather: Light Rain, 6 °C")
    assert read.carried is not None
    report = read.carried.to_json()
    fields = report["fields"]
    assert fields["modifiedDate"]["carried"] == 1 and fields["location"]["adapted"] == 1
    assert fields["tags"]["adapted"] == 1 and fields["title"]["adapted"] == 1
    assert fields["photos"]["left_out"] == 1 and fields["userActivity"]["left_out"] == 1
    assert "richText" not in fields and "creationDevice" not in fields
    (attached,) = report["attachments_left_out"]
    assert attached["uuid"] == "81f0f3ca-693f-4847-92f7-6359e9e2ace8"
    assert {k: attached[k] for k in ("photos", "audios", "videos", "pdfAttachments")} == dict.fromkeys(
        ("photos", "audios", "videos", "pdfAttachments"), 1
    )


def test_day_one_import_summary_names_what_was_carried_and_left(
    cli: Cli, initialised: Ran, tmp_path: Path
) -> None:
    archive = _dayone_zip(tmp_path)
    ran = cli("import", "dayone", str(archive))
    assert ran.exit_code == 0, ran.stderr
    assert "Added 2 entries" in ran.stderr and "modifiedDate" not in ran.stderr
    assert "locations as a line at the end of the words" in ran.stderr
    assert "1 photo, 1 audio recording, 1 video and 1 PDF" in ran.stderr and str(archive) in ran.stderr
    assert "It was quiet" not in ran.stderr, "the summary never quotes the words"
    again = json.loads(cli("import", "dayone", str(archive), "--json").stdout)
    assert again["kind"] == "import" and again["entries_unchanged"] == 2
    assert again["carried"]["fields"]["weather"]["adapted"] == 1
    assert again["carried"]["attachments_left_out"][0]["photos"] == 1
    shown = cli("show", "1").stdout
    assert "Christmas on my own!" in shown and "Hampstead Heath" in shown


def _dayone_json(tmp_path: Path, *entries: dict[str, object]) -> Path:
    source = tmp_path / "Journal.json"
    source.write_text(json.dumps({"metadata": {"version": "1.0"}, "entries": list(entries)}))
    return source


def test_day_one_pins_become_stars_and_are_counted(tmp_path: Path) -> None:
    from recovery_journal.portability import dayone

    base = {"creationDate": "2024-01-02T10:00:00Z", "timeZone": "Europe/London"}
    source = _dayone_json(
        tmp_path,
        {**base, "uuid": "A" * 32, "text": "Pinned only.", "isPinned": True, "starred": False},
        {**base, "uuid": "B" * 32, "text": "Pinned and starred.", "isPinned": True, "starred": True},
        {**base, "uuid": "C" * 32, "text": "Neither.", "isPinned": False, "starred": False},
    )
    read = dayone.read(source)
    starred = {e.text: e.starred for e, _ in read.incoming.entries}
    assert starred == {"Pinned only.": True, "Pinned and starred.": True, "Neither.": False}
    assert read.carried is not None
    fields = read.carried.to_json()["fields"]
    assert fields["isPinned"]["adapted"] == 2 and fields["isPinned"]["left_out"] == 0
    assert "star" in fields["isPinned"]["how"]
    assert fields["starred"]["carried"] == 1, "a pin isn't counted as a star Day One had"


def test_day_one_all_day_entries_sit_at_midday_on_their_own_day(tmp_path: Path) -> None:
    from recovery_journal.portability import dayone

    # 23:30 on 9 February in New York is already the 10th in UTC: the entry's own day is the 9th.
    base = {"creationDate": "2024-02-10T04:30:00Z", "timeZone": "America/New_York"}
    source = _dayone_json(
        tmp_path,
        {**base, "uuid": "D" * 32, "text": "A whole day.", "isAllDay": True},
        {**base, "uuid": "E" * 32, "text": "At a time.", "isAllDay": False},
    )
    read = dayone.read(source)
    dates = {e.text: e.date for e, _ in read.incoming.entries}
    assert dates["A whole day."].isoformat() == "2024-02-09T12:00:00-05:00"
    assert dates["At a time."].isoformat() == "2024-02-09T23:30:00-05:00", "only all-day entries move"
    assert read.carried is not None
    fields = read.carried.to_json()["fields"]
    assert fields["isAllDay"] == {
        "carried": 0,
        "adapted": 1,
        "left_out": 0,
        "how": dayone.HOW["isAllDay"],
    }


def test_day_one_summary_names_pins_and_all_day_entries(cli: Cli, initialised: Ran, tmp_path: Path) -> None:
    source = _dayone_json(
        tmp_path,
        {**DAYONE_ENTRY, "starred": False, "isPinned": True, "isAllDay": True},
    )
    ran = cli("import", "dayone", str(source))
    assert ran.exit_code == 0, ran.stderr
    said = ran.stderr.splitlines()
    kept = next(line for line in said if line.startswith("Kept, in this journal's own way"))
    assert "pinned entries as starred" in kept and "all-day entries at midday on their day" in kept
    assert "isPinned" not in ran.stderr and "isAllDay" not in ran.stderr, "never left out by their raw names"
    listed = json.loads(cli("list", "--starred", "--json").stdout)
    assert len(listed["entries"]) == 1
    report = json.loads(cli("import", "dayone", str(source), "--dry-run", "--json").stdout)
    fields = report["carried"]["fields"]
    assert fields["isPinned"]["adapted"] == 1 and fields["isAllDay"]["adapted"] == 1
