"""What a command loads before it starts: only what it uses (speed is measured in bench/, never here)."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from recovery_journal import __version__
from recovery_journal.cli import LAZY_COMMANDS, app

from .conftest import Cli

# Run the command as a person does, then say which of the package's modules (and which libraries) it loaded.
PROBE = """
import json, sys
sys.argv = ["recovery-journal", *json.loads(sys.argv[1])]
from recovery_journal.launch import main
code = 0
try:
    main()
except SystemExit as stop:
    code = stop.code if isinstance(stop.code, int) else 1
sys.stdout.flush()
watched = (
    "recovery_journal", "typer", "rich", "cryptography", "sqlmodel", "sqlalchemy", "pydantic", "importlib"
)
loaded = sorted(name for name in sys.modules if name.split(".")[0] in watched)
sys.stderr.write("\\nLOADED " + json.dumps(loaded) + "\\n")
sys.exit(code)
"""


def loaded_by(*args: str, stdin: str = "") -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `recovery-journal ARGS` in a fresh interpreter, piped; its result and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        input=stdin,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    marker = done.stderr.rindex("\nLOADED ")
    modules = set(json.loads(done.stderr[marker + len("\nLOADED ") :]))
    done.stderr = done.stderr[:marker]
    return done, modules


def commands_in(modules: set[str]) -> set[str]:
    return {name for name in modules if name.startswith("recovery_journal.commands.")}


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_the_version_is_told_without_loading_the_command_line(flag: str) -> None:
    done, modules = loaded_by(flag)
    assert done.returncode == 0 and done.stdout == f"recovery-journal {__version__}\n"
    assert not any(name.split(".")[0] == "typer" for name in modules), "Typer isn't needed for a version"
    assert "recovery_journal.cli" not in modules


def test_the_version_after_a_global_option_still_works(cli: Cli) -> None:
    ran = cli("--journal", "somewhere", "-V")
    assert ran.exit_code == 0 and ran.stdout == f"recovery-journal {__version__}\n"


def test_the_help_lists_every_command_without_loading_any() -> None:
    done, modules = loaded_by("--help")
    assert done.returncode == 0
    for name in LAZY_COMMANDS:
        assert f"\n  {name} " in done.stdout, name
    assert "List entries, oldest first." in done.stdout
    assert commands_in(modules) == set(), "the list in --help comes from cli.LAZY_COMMANDS"
    assert not any(name.split(".")[0] == "rich" for name in modules), "plain help needs no Rich"
    assert not any(name.split(".")[0] == "cryptography" for name in modules), "help opens no journal"
    assert "recovery_journal.settings" not in modules, "help reads no settings (render/output.py's type)"


def test_each_listed_line_is_the_commands_own_first_line() -> None:
    """cli.LAZY_COMMANDS repeats each command's first line for --help: it must say what the command says."""
    built = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert set(LAZY_COMMANDS) <= set(built)
    for name, lazy in LAZY_COMMANDS.items():
        own = inspect.cleandoc(built[name].help or "").split("\n\n")[0]
        assert lazy.summary == own, f"cli.LAZY_COMMANDS['{name}'] differs from the command's help"


def test_a_command_loads_only_its_own_module(isolated: object) -> None:
    done, modules = loaded_by("tags")
    assert done.returncode == 3, done.stderr  # no journal here yet: said calmly
    assert commands_in(modules) == {
        "recovery_journal.commands.reading",
        "recovery_journal.commands.terminal",
        "recovery_journal.commands.options",
    }


# Whether the garbage collector is on once a command has run, and how much start-up set aside for it.
GC_PROBE = """
import gc, json, sys
sys.argv = ["recovery-journal", *json.loads(sys.argv[1])]
from recovery_journal.launch import main
try:
    main()
except SystemExit:
    pass
print(json.dumps([gc.isenabled(), gc.get_freeze_count()]))
"""


def test_collection_is_off_while_a_command_loads_and_on_while_it_runs(initialised: object) -> None:
    # Off for start-up (it frees almost nothing), but never left off: a long import or export needs it.
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, json.dumps(["tags"])], capture_output=True, text=True, check=False
    )
    enabled, frozen = json.loads(done.stdout.splitlines()[-1])
    assert enabled, done.stderr
    assert frozen > 10_000, "start-up's objects should be set aside, so later collections skip them"


def test_the_cli_used_in_process_leaves_collection_as_it_found_it(cli: Cli, initialised: object) -> None:
    import gc

    before = gc.get_freeze_count()
    assert cli("tags").exit_code == 0
    assert gc.isenabled() and gc.get_freeze_count() == before  # nothing of a caller's is frozen for good


def test_an_unknown_command_is_still_a_calm_usage_error(cli: Cli) -> None:
    ran = cli("lsit")
    assert ran.exit_code == 2 and "Traceback" not in ran.stderr
    assert "lsit" in ran.stderr and "list" in ran.stderr


def test_piped_reading_and_exporting_never_load_rich(cli: Cli, initialised: object) -> None:
    assert cli("write", "--tag", "walk", input="A calm walk by the lighthouse.").exit_code == 0
    for args in (["list"], ["show", "1"], ["search", "lighthouse"], ["tags"], ["export", "--format", "txt"]):
        done, modules = loaded_by(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert "lighthouse" in done.stdout or "walk" in done.stdout, args
        assert not any(name.split(".")[0] == "rich" for name in modules), f"{args} loaded Rich on a pipe"


CLASSIFIER = {
    "recovery_journal.stages.model",
    "recovery_journal.stages.lexicon",
    "recovery_journal.stages.text",
}


def test_a_piped_save_never_loads_rich(initialised: object) -> None:
    done, modules = loaded_by("write", stdin="Walked to the harbour and back.")
    assert done.returncode == 0, done.stderr
    assert "Saved entry 1" in done.stderr
    assert not any(name.split(".")[0] == "rich" for name in modules), "a piped save loaded Rich"
    assert modules >= CLASSIFIER, "a save guesses the stage, so it loads the classifier"
    assert "recovery_journal.care.lines" not in modules, "calm words offer no support lines to load"
    # What keeps the words when a save fails is loaded before they are at stake: a module loaded only then
    # could be missing (the package upgraded under a running editor), and the words lost with it.
    assert "recovery_journal.journal.draftbook" in modules
    # The stage model and the gentle check read their files directly: importlib.resources costs ~3 ms.
    assert "importlib.resources" not in modules


def test_reading_stages_loads_no_classifier(cli: Cli, initialised: object) -> None:
    assert cli("write", "--tag", "walk", input="A calm walk by the lighthouse.").exit_code == 0
    for args in (["list"], ["show", "1"], ["search", "lighthouse"], ["tags"], ["calendar"], ["timeline"]):
        done, modules = loaded_by(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert not CLASSIFIER & modules, f"{args} loaded the stage classifier without guessing anything"


# What reading entries never needs: the other books of a journal, the overviews' journey, the writing code.
NOT_FOR_READING = {
    "recovery_journal.journal.counters",
    "recovery_journal.journal.milestones",
    "recovery_journal.journal.caring",
    "recovery_journal.care.plan",
    "recovery_journal.stages.journey",
    "recovery_journal.journal.composing",
    "recovery_journal.portability.backup",
}


def test_reading_loads_only_the_journal_it_reads(cli: Cli, initialised: object) -> None:
    assert cli("write", "--tag", "walk", input="A calm walk by the lighthouse.").exit_code == 0
    for args in (["list"], ["show", "1"], ["search", "lighthouse"], ["tags"]):
        done, modules = loaded_by(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert "lighthouse" in done.stdout or "walk" in done.stdout, args
        assert not NOT_FOR_READING & modules, f"{args} loaded {sorted(NOT_FOR_READING & modules)}"


def test_the_overviews_still_load_the_journey_they_draw(cli: Cli, initialised: object) -> None:
    assert cli("write", input="A calm walk by the lighthouse.").exit_code == 0
    done, modules = loaded_by("stage")
    assert done.returncode == 0, done.stderr
    assert "recovery_journal.stages.journey" in modules


def test_a_backup_loads_no_importer_and_no_worker_processes(
    cli: Cli, initialised: object, tmp_path: Path
) -> None:
    assert cli("write", input="Kept in the backup.").exit_code == 0
    done, modules = loaded_by("backup", "create", str(tmp_path / "b.rjbackup"))
    assert done.returncode == 0, done.stderr
    unneeded = {
        "recovery_journal.portability.importers",
        "recovery_journal.portability.dayone",
        "recovery_journal.portability.guessing",
        "recovery_journal.render.exports",
    }
    assert not unneeded & modules, f"backup create loaded {sorted(unneeded & modules)}"


def test_doctor_compares_the_schema_without_loading_sqlmodel(initialised: object) -> None:
    done, modules = loaded_by("doctor")
    assert done.returncode == 0, done.stderr
    assert "tables are as this version expects" in done.stdout
    heavy = {name.split(".")[0] for name in modules} & {"sqlmodel", "sqlalchemy", "pydantic"}
    assert not heavy, f"doctor loaded {sorted(heavy)} (about 42 MiB)"


# Run a command with the key derivation watched: was Rich already loaded when it began?
RICH_AT_DERIVATION = """
import json, sys
from recovery_journal.sealing import crypto
real = crypto.argon2id
seen = []
def watched(*args, **kwargs):
    seen.append(any(name.split(".")[0] == "rich" for name in sys.modules))
    return real(*args, **kwargs)
crypto.argon2id = watched
sys.argv = ["recovery-journal", *json.loads(sys.argv[1])]
from recovery_journal.launch import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nSEEN " + json.dumps(seen) + "\\n")
"""


@pytest.mark.parametrize(
    "args",
    [
        ["timeline"],
        ["progress"],
        ["calendar"],
        ["stage"],
        ["on-this-day"],
        ["milestone", "list"],
        ["counter", "list"],
        ["drafts"],
        ["doctor"],
        ["share", "--dry-run"],
    ],
)
def test_these_load_rich_only_after_the_key_derivation(args: list[str], initialised: object) -> None:
    """The key derivation's 64 MiB comes on top of what the process holds: Rich (3 MiB) waits for it."""
    done = subprocess.run(
        [sys.executable, "-c", RICH_AT_DERIVATION, json.dumps(args)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    seen = json.loads(done.stderr[done.stderr.rindex("\nSEEN ") + len("\nSEEN ") :])
    assert seen == [False], (args, seen, done.stderr)
