"""The layer rules of docs/architecture.md, held by import-linter (contracts in pyproject.toml) and ruff.

A wrong import fails here with import-linter's own explanation: which contract, which module, which line.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "recovery_journal"
# Where the terminal may be used: asking, printing, ending the process.
FACE = ("cli.py", "commands", "render")
MOST_MODULES_IN_A_FOLDER = 12
BUILTINS = {"input", "exit", "quit"}


def _lint_imports() -> str:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
        "lint-imports"
    )
    assert found, "import-linter is missing: pip install -e '.[test]' brings it"
    return found


def _run_contracts(package_parent: Path, *contract_ids: str) -> subprocess.CompletedProcess[str]:
    """Run import-linter with this project's contracts on the package found in `package_parent`."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    args = [_lint_imports(), "--no-cache", *[a for c in contract_ids for a in ("--contract", c)]]
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def test_every_layer_contract_holds() -> None:
    done = _run_contracts(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    declared = (ROOT / "pyproject.toml").read_text(encoding="utf-8").count("[[tool.importlinter.contracts]]")
    kept = re.search(r"Contracts: (\d+) kept, 0 broken\.", done.stdout)
    assert kept is not None and int(kept.group(1)) == declared >= 6, done.stdout


# One wrong import for each contract: the contract must catch it, by name.
WRONG_IMPORTS = [
    ("layers", "overviews/facts.py", "from ..render import output"),
    ("layers", "storage/queries.py", "from ..sealing import crypto"),
    ("layers", "overviews/facts.py", "from ..portability import portable"),  # siblings stay apart
    ("layers", "stages/model.py", "from ..domain import entry"),
    ("crypto-pure", "sealing/crypto.py", "from ..storage import queries"),
    ("crypto-pure", "sealing/crypto.py", "from . import codec"),
    ("no-terminal-below-commands", "journal/service.py", "import rich"),
    ("no-terminal-below-commands", "storage/store.py", "import typer"),
    ("stages-alone", "stages/text.py", "from ..errors import JournalError"),
    ("care-alone", "care/gentle.py", "from ..settings import Settings"),
    ("render-plain-data", "render/entries.py", "from ..storage import queries"),
    ("commands-through-the-service", "commands/keys.py", "from ..sealing import passphrase"),
]


@pytest.mark.parametrize(("contract", "module", "line"), WRONG_IMPORTS)
def test_a_wrong_import_breaks_its_contract(tmp_path: Path, contract: str, module: str, line: str) -> None:
    copy = tmp_path / "recovery_journal"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("corpus", "*.json", "__pycache__"))
    with (copy / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{line}  # a wrong import, for this test\n")
    done = _run_contracts(tmp_path, contract)
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout
    wrong = module.removesuffix(".py").replace("/", ".")
    assert f"recovery_journal.{wrong}" in done.stdout


def _face(path: Path) -> bool:
    return path.relative_to(PACKAGE).parts[0] in FACE


def test_nothing_below_the_face_asks_or_ends_the_process() -> None:
    """input() reads the terminal and exit()/SystemExit end the process; ruff can't ban builtins."""
    found = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in PACKAGE.rglob("*.py")
        if not _face(path) and path.name not in ("train.py", "evaluate.py")  # developer tools, run as scripts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BUILTINS)
        or (isinstance(node, ast.Name) and node.id == "SystemExit")
    ]
    assert found == []


def test_a_module_in_no_layer_breaks_the_layer_contract(tmp_path: Path) -> None:
    copy = tmp_path / "recovery_journal"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("corpus", "*.json", "__pycache__"))
    (copy / "stray.py").write_text('"""A module nobody placed."""\n', encoding="utf-8")
    done = _run_contracts(tmp_path, "layers")
    assert done.returncode != 0 and "recovery_journal.stray" in done.stdout


def test_each_folder_is_a_small_room_that_says_what_it_holds_and_may_import() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        folder = init.parent
        if folder == PACKAGE:
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        prose = [
            line for line in doc.splitlines() if line.strip() and not line.lstrip().startswith((">>>", "("))
        ]
        assert len(prose) >= 2, f"{folder.name}/__init__.py: say in two lines what it holds and may import"
        assert any("import" in line for line in prose), f"{folder.name}/__init__.py: say what it may import"
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= MOST_MODULES_IN_A_FOLDER, f"{folder.name}/ has {len(modules)} modules"


def test_the_map_in_architecture_md_names_every_folder_and_module() -> None:
    """docs/architecture.md is the map a newcomer reads first; it must match the tree."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if path.name in ("__init__.py", "__main__.py"):
            if path.name == "__init__.py" and path.parent != PACKAGE and f"{relative.parent}/" not in text:
                missing.append(f"{relative.parent}/")
            continue
        if not re.search(rf"(^|\s){re.escape(path.name)}(\s|,|$)", text, re.MULTILINE):
            missing.append(str(relative))
    assert missing == []
