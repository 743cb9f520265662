"""The docs tell the truth about the code: every command documented, every exit code listed."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from recovery_journal import reference
from recovery_journal.cli import app
from recovery_journal.errors import ExitCode
from recovery_journal.sealing.passphrase import RECOVERY_CODE_ENV

ROOT = Path(__file__).resolve().parent.parent
USAGE = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, object]:
    """Every command path ("list", "drafts save", ...) with its click command object."""
    found: dict[str, object] = {}

    def walk(group: object, prefix: str) -> None:
        for name, command in getattr(group, "commands", {}).items():
            path = f"{prefix} {name}".strip()
            found[path] = command
            walk(command, path)

    walk(typer.main.get_command(app), "")
    return found


def test_every_command_has_help_with_an_example() -> None:
    for path, command in commands().items():
        help_text = getattr(command, "help", None) or ""
        assert help_text.strip(), f"{path} has no help"
        if not getattr(command, "commands", None):
            example = help_text.split("Example:", 1)[-1] if "Example:" in help_text else ""
            assert f"recovery-journal {path}" in example, f"{path} has no example"


def test_every_command_is_in_the_usage_guide() -> None:
    for path in commands():
        assert f"recovery-journal {path}" in USAGE, f"docs/usage.md lacks `recovery-journal {path}`"


def _options(command: object) -> set[str]:
    """Every long option a command reads, hidden ones too (an older name still works)."""
    params = getattr(command, "params", [])
    return {name for param in params for name in [*param.opts, *getattr(param, "secondary_opts", [])]}


def _named(words: list[str], known: dict[str, object]) -> tuple[str, list[str]] | None:
    """The longest command path the words start with, and the words after it."""
    for end in range(len(words), 0, -1):
        if " ".join(words[:end]) in known:
            return " ".join(words[:end]), words[end:]
    return None


def _option_mentions(known: dict[str, object]) -> list[tuple[str, str, str]]:
    """(command, option, where) for each option the guide gives a command: `list --on DAY` in a code span or
    an example, and "`--from` and `--to` of `list`, `search` and `export`" in prose."""
    found = []
    fence = re.compile(r"^ *```.*?^ *```", flags=re.M | re.S)
    examples = [
        re.sub(r"\s+#\s.*", "", line.strip()) for block in fence.findall(USAGE) for line in block.splitlines()
    ]
    text = " ".join(fence.sub("", USAGE).split())
    spans = [span.strip() for _, span in re.findall(r"(`+)(.+?)\1", text)]
    for span in [*spans, *(line for line in examples if line.startswith("recovery-journal "))]:
        named = _named(span.removeprefix("recovery-journal ").split(), known)
        if named is not None:
            found += [(named[0], word.split("=")[0], span) for word in named[1] if word.startswith("--")]
    for options, paths in re.findall(
        r"((?:`--[a-z-]+`(?:, | and )?)+) of ((?:`[a-z -]+`(?:, | and )?)+)", text
    ):
        for path in (path for path in re.findall(r"`([a-z -]+)`", paths) if path in known):
            found += [
                (path, option, f"{options} of {paths}") for option in re.findall(r"`(--[a-z-]+)`", options)
            ]
    return found


def test_every_option_the_guide_gives_a_command_is_one_it_takes() -> None:
    known = commands()
    for path, option, where in _option_mentions(known):
        command = known[path]
        if getattr(command, "context_settings", {}).get("ignore_unknown_options"):
            continue  # `config set editor code --wait`: the option is part of the value
        assert option in _options(command) | {"--help"}, f"docs/usage.md gives {path} {option}: {where}"


def test_the_guide_names_every_command_that_has_no_json() -> None:
    """The guide's opening says most commands take --json, then names the ones that don't."""
    opening = " ".join(USAGE.split("\n\n", 2)[1].split())
    assert "These don't take it:" in opening
    exceptions = opening.split("These don't take it:", 1)[1]
    known = commands()
    for path, command in known.items():
        runs_alone = not getattr(command, "commands", None) or path == "config"  # `config` alone shows
        if runs_alone and "--json" not in _options(command):
            assert f"`{path}`" in exceptions, f"docs/usage.md says {path} takes --json; it doesn't"
    for path in re.findall(r"`([a-z][a-z -]*)`", exceptions):
        if path in known and path != "config show":  # named as where that JSON is
            assert "--json" not in _options(known[path]), f"docs/usage.md says {path} has no --json"


def test_each_variable_has_one_row_in_the_guide() -> None:
    rows = re.findall(r"^\| `([A-Z_]+)` \|", USAGE, flags=re.M)
    assert [name for name in rows if rows.count(name) > 1] == []


def test_help_environment_names_every_command_that_reads_the_recovery_code() -> None:
    meaning = dict(reference.ENVIRONMENT)[RECOVERY_CODE_ENV]
    for path, command in commands().items():
        if "--recovery-code" in _options(command):
            assert f"`{path}`" in meaning, (
                f"help environment: {path} --recovery-code reads {RECOVERY_CODE_ENV}"
            )
    assert "`recover`" in meaning


def _table(text: str) -> dict[int, str]:
    return {int(code): rest for code, rest in re.findall(r"^\| (\d+) \| (.+) \|$", text, flags=re.M)}


def test_exit_codes_are_documented_in_the_guide_and_readme() -> None:
    usage = _table(USAGE)
    assert set(usage) == {int(c) for c in ExitCode}
    for code in ExitCode:
        assert usage[int(code)].startswith(f"{code.name} |"), f"docs/usage.md row for {int(code)}"
    assert set(_table(README)) == {int(c) for c in ExitCode}


def test_readme_opens_with_the_two_setup_commands() -> None:
    first_block = README.split("```")[1]
    assert "pip install . && recovery-journal demo" in first_block
    assert 'pip install -e ".[test]" && pytest' in first_block


def test_the_privacy_page_names_what_a_recovery_slot_and_a_passphrase_change_do_not_do() -> None:
    """Two limits a security review found unsaid: the code's backup slot proves no origin, and `passwd`
    doesn't revoke a data key taken from a session."""
    privacy = " ".join((ROOT / "docs" / "privacy.md").read_text(encoding="utf-8").split())
    encryption = " ".join((ROOT / "docs" / "encryption.md").read_text(encoding="utf-8").split())
    session = privacy.split("## An unlocked session", 1)[1].split(" ## ", 1)[0]
    assert "doesn't prove where the backup came from" in privacy
    assert "confidentiality, not origin" in encryption
    assert "--rotate-data-key" in session and "still opens the journal" in session
    assert "doesn't revoke a key already handed out" in encryption
