"""`recovery-journal demo`: the whole tour on a throwaway journal, which leaves nothing behind."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from recovery_journal.demo import sample
from recovery_journal.stages import classify

from .conftest import Cli


def _demo_homes() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("recovery-journal-demo-*"))


def test_demo_tours_the_main_job_and_removes_its_journal(cli: Cli, isolated: Path) -> None:
    before = _demo_homes()
    ran = cli("demo")
    assert ran.exit_code == 0, ran.stderr
    for heading in (
        "The latest entries",
        "One entry in full",
        "Searching",
        "Where you are",
        "Why an entry got its stage",
        "The story over time",
        "How far you've come",
        "Days since",
        "Edits keep the earlier words",
        "What someone who copies the file sees",
    ):
        assert heading in ran.stdout, heading
    assert "no contact:" in ran.stdout
    assert "Thirty days no contact" in ran.stdout  # a milestone, marked on the timeline
    assert "$ grep -aic -e " in ran.stdout and "journal.db:0" in ran.stdout
    assert "is in the files on disk" in ran.stdout and "Found in the files" not in ran.stdout
    assert "Traceback" not in ran.stdout + ran.stderr
    assert not isolated.exists(), "the demo never touches the person's own journal"
    assert _demo_homes() == before, "the throwaway journal is removed"


def test_demo_keep_leaves_a_journal_that_opens(cli: Cli, tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    ran = cli("demo", "--keep", str(kept))
    assert ran.exit_code == 0, ran.stderr
    assert sample.PASSPHRASE in ran.stderr
    env = {"RECOVERY_JOURNAL_PASSPHRASE": sample.PASSPHRASE}
    listed = cli("--journal", str(kept), "milestone", "list", env=env)
    assert listed.exit_code == 0, listed.stderr
    assert "First therapy session" in listed.stdout
    again = cli("demo", "--keep", str(kept))
    assert again.exit_code == 4
    assert "already a journal" in again.stderr


def test_the_sample_story_mostly_reads_as_its_writer_labelled_it() -> None:
    """The story is not in the corpus: a model that stopped generalising would fail here first."""
    story = sample.load_story()["entries"]
    matching = sum(classify(item["text"]).stage == item["stage"] for item in story)
    assert matching >= 0.7 * len(story), f"{matching} of {len(story)}"


def test_where_the_model_differs_the_demo_writer_sets_the_stage(cli: Cli, tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    assert cli("demo", "--keep", str(kept)).exit_code == 0
    env = {"RECOVERY_JOURNAL_PASSPHRASE": sample.PASSPHRASE}
    listed = json.loads(cli("--journal", str(kept), "list", "--json", env=env).stdout)["entries"]
    story = sample.load_story()["entries"]
    assert [e["stage"] for e in listed] == [item["stage"] for item in story]
    assert any(e["stage_source"] == "writer" for e in listed)
