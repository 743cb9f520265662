"""Moving in and out: exports other tools read (jrnl, Obsidian, JSON Schema) and imports that keep everything.

The jrnl files in fixtures/jrnl were written by jrnl 4.6 itself (fixtures/jrnl/README.md says how); the Day
One export is built here from Day One's documented JSON export format.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import jsonschema
import pytest

from recovery_journal.errors import ExitCode
from recovery_journal.portability import importers

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
    first, second = text.split("\n\n")[:2]
    assert first.splitlines()[0].endswith("] A boundary *"), "a star is jrnl's ' *' after the title"
    assert first.splitlines()[-1] == "@moving", "a tag the words don't carry follows them as an @tag"
    assert "@calm" in first and "@calm" not in first.splitlines()[-1], (
        "a tag already in the words isn't doubled"
    )
    assert not second.splitlines()[0].endswith("*") and second.splitlines()[-1] == "@family @self-care"
    source = tmp_path / "out.txt"
    source.write_text(text)
    back = [e for e, _ in importers.jrnl(source).incoming.entries]
    assert [(set(e.tags), e.starred) for e in back] == [
        ({"calm", "moving"}, True),
        ({"family", "self-care"}, False),
    ]


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
