"""What the package promises about itself: dependency floors that are tested, typing, and a lean wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from packaging.version import Version  # pytest's own dependency

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, published for 3.10 (the test extra brings it)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "recovery_journal"


def project() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data


def floors() -> dict[str, str]:
    """Each runtime dependency and the oldest version pyproject.toml allows."""
    found = {}
    for requirement in project()["project"]["dependencies"]:
        match = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][^,;\s]*)", requirement)
        assert match, f"{requirement!r} has no floor: give it one that .ci/lowest can test"
        found[match.group(1).lower()] = match.group(2)
    return found


def test_the_lowest_check_pins_every_dependency_to_its_floor() -> None:
    pinned = {}
    for line in (ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pinned[name.strip().lower()] = version.strip()
    as_versions = {n: Version(v) for n, v in floors().items()}
    assert {n: Version(v) for n, v in pinned.items()} == as_versions, (
        "floors and .ci/lowest.txt drifted apart"
    )
    script = (ROOT / ".ci" / "lowest").read_text(encoding="utf-8")
    assert "-c .ci/lowest.txt" in script and "pytest" in script


def test_typer_floor_has_the_exception_the_error_boundary_needs() -> None:
    """cli.py lets typer.TyperException through; without it every usage error becomes a traceback."""
    import typer

    assert "typer.TyperException" in (PACKAGE / "cli.py").read_text(encoding="utf-8")
    assert hasattr(typer, "TyperException")
    assert Version(floors()["typer"]) >= Version("0.27.2"), "typer.TyperException came in typer 0.27.2"


def test_the_package_is_typed_and_names_the_pythons_it_is_tested_on() -> None:
    assert (PACKAGE / "py.typed").is_file()
    meta = project()["project"]
    classifiers = set(meta["classifiers"])
    assert "Typing :: Typed" in classifiers
    oldest = int(meta["requires-python"].removeprefix(">=3."))
    assert oldest == 10
    for minor in range(oldest, 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers


def test_the_model_classifies_without_its_training_corpus(tmp_path: Path) -> None:
    """The wheel leaves stages/corpus out; what runs must not need it."""
    assert (
        "src/recovery_journal/stages/corpus"
        in project()["tool"]["hatch"]["build"]["targets"]["wheel"]["exclude"]
    )
    copy = tmp_path / "recovery_journal"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.rmtree(copy / "stages" / "corpus")
    probe = (
        "import recovery_journal.stages.model as m, recovery_journal.cli;"
        f"assert m.__file__.startswith({str(tmp_path)!r});"
        "print(m.classify('I keep doubting my memory. Is it me? He says I am too sensitive.').stage.value)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in {"recognition", "acceptance", "recovery"}


def test_the_wheel_installs_the_man_page_where_man_looks() -> None:
    """`man recovery-journal` works after `pip install`: man finds <prefix>/share/man beside <prefix>/bin."""
    build = project()["tool"]["hatch"]["build"]["targets"]
    shared = build["wheel"]["shared-data"]
    assert shared == {"man/recovery-journal.1": "share/man/man1/recovery-journal.1"}
    assert (ROOT / "man" / "recovery-journal.1").is_file()
    assert "man" in build["sdist"]["include"], "the source distribution carries it too, to build the wheel"
