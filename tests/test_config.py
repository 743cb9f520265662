"""The config file: read with tomllib, ranked below options and the environment, changed one key at a time."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery_journal import configfile
from recovery_journal.commands import terminal as face
from recovery_journal.errors import ConfigProblem, ExitCode
from recovery_journal.journal import editor
from recovery_journal.settings import CONFIG_KEYS, Settings

from .conftest import Cli, Ran


def config_file() -> Path:
    return Path(os.environ["RECOVERY_JOURNAL_CONFIG"])


def write_config(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the file's form: TOML read with the standard library, written by our own small serializer -----------

values = st.one_of(
    st.booleans(),
    st.text(),
    st.lists(st.text(), max_size=5).map(tuple),
)


@given(values)
def test_every_value_we_write_reads_back_the_same(value: configfile.Value) -> None:
    read = configfile.loads(f"key = {configfile.dump(value)}\n")["key"]
    assert (tuple(read) if isinstance(read, list) else read) == value


keys = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)


@given(st.dictionaries(keys, values, max_size=5), keys, st.one_of(st.none(), values), st.booleans())
def test_setting_one_key_keeps_every_other_key_and_table(
    others: dict[str, configfile.Value], key: str, value: configfile.Value | None, table: bool
) -> None:
    text = "# my settings\n" + "".join(f"{k} = {configfile.dump(v)}  # kept\n" for k, v in others.items())
    if table:
        text += '\n[elsewhere]\nkey = "not the top-level one"\n'
    changed = configfile.loads(configfile.with_value(text, key, value))
    expected = {k: list(v) if isinstance(v, tuple) else v for k, v in others.items()}
    if value is None:
        expected.pop(key, None)
    else:
        expected[key] = list(value) if isinstance(value, tuple) else value
    if table:
        expected["elsewhere"] = {"key": "not the top-level one"}
    assert changed == expected


def test_a_value_over_several_lines_is_replaced_whole_and_comments_stay() -> None:
    text = '# mine\neditor = "vim"\ndefault_tags = [\n  "a",\n  "b",\n]\ncountry = "GB"  # home\n'
    changed = configfile.with_value(text, "default_tags", ("c",))
    assert changed == '# mine\neditor = "vim"\ndefault_tags = ["c"]\ncountry = "GB"  # home\n'
    assert (
        configfile.with_value(changed, "default_tags", None)
        == '# mine\neditor = "vim"\ncountry = "GB"  # home\n'
    )


def test_a_new_key_goes_above_the_first_table_with_a_blank_line_kept() -> None:
    text = 'editor = "vim"\n\n[theirs]\nx = 1\n'
    assert (
        configfile.with_value(text, "prompts", True) == 'editor = "vim"\nprompts = true\n\n[theirs]\nx = 1\n'
    )


def test_a_missing_file_is_empty_and_changes_nothing(settings: Settings) -> None:
    assert not config_file().exists()
    assert settings.config == config_file()
    assert settings.default_tags == () and settings.editor is None and settings.inline_tags is True
    assert settings.colour == "auto" and settings.prompts is False and settings.date_order is None


def test_the_usual_place_is_the_platform_config_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("RECOVERY_JOURNAL_CONFIG")
    assert configfile.config_path() == tmp_path / "xdg-config" / "recovery-journal" / "config.toml"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('editor = "vim"\ncountry = \n', 2),
        ('editor = "vim"\n\n\neditor = "nano"\n', 4),
        ('editor = "vim"\ndefault_tags = ["a",\n', 2),  # never closed: said at its end
        ("prompts = true\nthis is not toml\n", 2),
    ],
)
def test_a_malformed_file_is_a_calm_error_naming_the_file_and_line(text: str, line: int) -> None:
    path = write_config(text)
    with pytest.raises(ConfigProblem) as raised:
        Settings.from_env()
    assert str(path) in raised.value.message and f"line {line}" in raised.value.message
    assert raised.value.exit_code == ExitCode.USAGE
    assert raised.value.hint and "config path" in raised.value.hint


def test_a_value_of_the_wrong_kind_names_its_line() -> None:
    write_config('editor = "vim"\n\nprompts = "yes please"\n')
    with pytest.raises(ConfigProblem, match="line 3, prompts should be true or false"):
        Settings.from_env()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('date_order = "sideways"\n', "dayfirst or monthfirst"),
        ('color = "purple"\n', "auto, always or never"),
        ('default_tags = ["two words"]\n', "tag that can't be used"),
    ],
)
def test_a_value_that_cant_be_used_names_its_line(text: str, words: str) -> None:
    write_config("# first\n" + text)
    with pytest.raises(ConfigProblem, match="line 2") as raised:
        Settings.from_env()
    assert words in raised.value.message


def test_text_that_isnt_utf8_names_its_line() -> None:
    config_file().parent.mkdir(parents=True)
    config_file().write_bytes(b'editor = "vim"\ncountry = "\xff"\n')
    with pytest.raises(ConfigProblem, match="line 2, isn't UTF-8"):
        Settings.from_env()


# --- what decides: option > environment > file > default ----------------------------------------------


FULL = """
editor = "nano -w"
default_tags = ["Evening", "#therapy"]
date_order = "day-first"
color = "never"
inline_tags = false
gentle_checks = false
prompts = true
country = "IE"
sync_after = true
"""


def test_every_key_reaches_the_settings() -> None:
    write_config(FULL)
    got = Settings.from_env()
    assert (got.editor, got.default_tags, got.date_order, got.colour) == (
        "nano -w",
        ("evening", "therapy"),
        "dayfirst",
        "never",
    )
    assert (got.inline_tags, got.gentle_checks, got.prompts, got.country) == (False, False, True, "IE")
    assert got.sync_after is True
    assert set(CONFIG_KEYS) == {line.split(" = ")[0] for line in FULL.strip().splitlines()}


def test_the_environment_wins_over_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(FULL)
    for name, value in [
        ("RECOVERY_JOURNAL_DATE_ORDER", "monthfirst"),
        ("RECOVERY_JOURNAL_INLINE_TAGS", "1"),
        ("RECOVERY_JOURNAL_GENTLE_CHECKS", "1"),
        ("RECOVERY_JOURNAL_COUNTRY", "GB"),
        ("FORCE_COLOR", "1"),
    ]:
        monkeypatch.setenv(name, value)
    got = Settings.from_env()
    assert (got.date_order, got.inline_tags, got.gentle_checks, got.country, got.colour) == (
        "monthfirst",
        True,
        True,
        "GB",
        "always",
    )
    monkeypatch.setenv("NO_COLOR", "1")
    assert Settings.from_env().colour == "never"


def test_the_editor_from_the_file_is_used_only_when_visual_and_editor_are_unset() -> None:
    assert editor.editor_command({"PATH": ""}, "nano -w") == ["nano", "-w"]
    assert editor.editor_command({"EDITOR": "ed", "PATH": ""}, "nano -w") == ["ed"]
    assert editor.editor_command({"VISUAL": "vis", "EDITOR": "ed", "PATH": ""}, "nano") == ["vis"]
    with pytest.raises(Exception, match="config file's editor can't be read"):
        editor.editor_command({"PATH": ""}, 'nano "unclosed')


# --- the commands -------------------------------------------------------------------------------------


def test_config_path_prints_where_the_file_is(cli: Cli) -> None:
    ran = cli("config", "path")
    assert ran.exit_code == 0 and ran.stdout == f"{config_file()}\n"
    assert "doesn't exist yet" in ran.stderr


def test_config_set_writes_a_private_file_and_says_it_is_not_encrypted(cli: Cli) -> None:
    ran = cli("config", "set", "editor", "code", "--wait")
    assert ran.exit_code == 0, ran.stderr
    assert "isn't encrypted" in ran.stderr and ran.stdout == ""
    assert stat.S_IMODE(config_file().stat().st_mode) == 0o600
    assert configfile.loads(config_file().read_text()) == {"editor": "code --wait"}
    assert cli("config", "set", "default_tags", "evening,", "Therapy").exit_code == 0
    assert cli("config", "set", "prompts", "on").exit_code == 0
    assert configfile.loads(config_file().read_text()) == {
        "editor": "code --wait",
        "default_tags": ["evening", "therapy"],
        "prompts": True,
    }
    assert [p.name for p in config_file().parent.iterdir()] == ["config.toml"]  # no temporary file left


def test_config_set_keeps_the_persons_own_lines(cli: Cli) -> None:
    write_config('# written by hand\ncountry = "GB"  # home\nmine = 3\n\n[their.table]\nx = [1, 2]\n')
    assert cli("config", "set", "country", "IE").exit_code == 0
    assert config_file().read_text() == (
        '# written by hand\ncountry = "IE"\nmine = 3\n\n[their.table]\nx = [1, 2]\n'
    )


def test_a_linked_config_file_stays_a_link(cli: Cli, tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "recovery-journal.toml"
    real.parent.mkdir()
    real.write_text('color = "never"\n')
    config_file().parent.mkdir(parents=True)
    config_file().symlink_to(real)
    assert cli("config", "set", "prompts", "off").exit_code == 0
    assert config_file().is_symlink()
    assert configfile.loads(real.read_text()) == {"color": "never", "prompts": False}


def test_config_show_says_what_is_set_and_what_the_environment_overrides(cli: Cli) -> None:
    write_config('country = "IE"\nshoe_size = 9\npassphrase = "hunter2"\n')
    ran = cli("config", "show", "--json", env={"RECOVERY_JOURNAL_COUNTRY": "GB"})
    assert ran.exit_code == 0, ran.stderr
    doc = json.loads(ran.stdout)
    assert doc["kind"] == "config" and doc["path"] == str(config_file()) and doc["exists"] is True
    assert doc["settings"] == {"country": "IE"}
    assert doc["overridden"] == {"country": "RECOVERY_JOURNAL_COUNTRY"}
    assert any("shoe_size (line 2)" in note for note in doc["notes"])
    assert any("passphrase (line 3)" in note and "isn't encrypted" in note for note in doc["notes"])
    assert "hunter2" not in ran.stdout + ran.stderr
    plain = cli("config")
    assert plain.exit_code == 0 and 'country = "IE"' in plain.stdout and "shoe_size" in plain.stderr


def test_unknown_keys_are_a_note_not_an_error(cli: Cli, initialised: Ran) -> None:
    write_config("future_setting = true\n")
    ran = cli("list")
    assert ran.exit_code == 0, ran.stderr
    changed = cli("config", "set", "prompts", "on")
    assert changed.exit_code == 0 and "future_setting (line 1)" in changed.stderr
    assert configfile.loads(config_file().read_text()) == {"future_setting": True, "prompts": True}


@pytest.mark.parametrize("key", ["passphrase", "recovery_code", "Password"])
def test_a_passphrase_is_refused_and_nothing_is_written(cli: Cli, key: str) -> None:
    ran = cli("config", "set", key, "hunter2")
    assert ran.exit_code == ExitCode.USAGE
    assert "never goes in the config file" in ran.stderr and "hunter2" not in ran.stderr
    assert not config_file().exists()


def test_config_set_refuses_an_unknown_key_or_value_and_leaves_the_file(cli: Cli) -> None:
    write_config('color = "never"\n')
    for args in (
        ["colr", "never"],
        ["color", "purple"],
        ["prompts", "maybe"],
        ["default_tags", "two words!"],
    ):
        ran = cli("config", "set", *args)
        assert ran.exit_code == ExitCode.USAGE, args
        assert ran.stderr.startswith("recovery-journal: ") and "Traceback" not in ran.stderr
    assert config_file().read_text() == 'color = "never"\n'


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["color", "blue"], "color is auto, always or never"),
        (["date_order", "sideways"], "date_order is dayfirst or monthfirst"),
        (["default_tags", "two!"], "The tag 'two!' can't be used"),
    ],
)
def test_config_set_speaks_of_the_value_given_not_the_file(cli: Cli, args: list[str], said: str) -> None:
    """The mistake was typed on the command line; the file still holds what it held."""
    ran = cli("config", "set", *args)
    assert ran.exit_code == ExitCode.USAGE
    assert said in ran.stderr and "nothing was changed" in ran.stderr.lower()
    assert "config file" not in ran.stderr and str(config_file()) not in ran.stderr
    assert not config_file().exists()
    if args[0] != "default_tags":
        assert f"recovery-journal config set {args[0]} " in ran.stderr  # the hint is a command, not TOML


def test_config_unset_removes_any_key(cli: Cli) -> None:
    write_config('color = "never"\npassphrase = "hunter2"\n')
    ran = cli("config", "unset", "passphrase")
    assert ran.exit_code == 0 and "Removed" in ran.stderr
    assert config_file().read_text() == 'color = "never"\n'
    again = cli("config", "unset", "passphrase")
    assert again.exit_code == 0 and "wasn't set" in again.stderr


def test_a_malformed_file_stops_commands_calmly_but_never_support(cli: Cli, initialised: Ran) -> None:
    path = write_config('editor = "vim"\ncolor = \n')
    ran = cli("list")
    assert ran.exit_code == ExitCode.USAGE and ran.stdout == ""
    first, hint = ran.stderr.splitlines()
    assert first == f"recovery-journal: The config file {path} has a mistake on line 2: invalid value."
    assert hint.startswith("  hint: Fix that line")
    assert (
        cli("config", "set", "prompts", "on").exit_code == ExitCode.USAGE
    )  # never rewrites what it can't read
    assert path.read_text() == 'editor = "vim"\ncolor = \n'
    support = cli("support", "--country", "GB")
    assert support.exit_code == 0 and "999" in support.stdout
    told = cli("support")
    assert told.exit_code == 0 and "line 2" in told.stderr and "shown with the usual settings" in told.stderr
    assert cli("config", "path").exit_code == 0 and cli("help", "files").exit_code == 0


# --- the settings at work -----------------------------------------------------------------------------


def test_default_tags_join_every_new_entry(cli: Cli, initialised: Ran) -> None:
    write_config('default_tags = ["evening"]\n')
    ran = cli("write", "--tag", "therapy", "--json", input="A calmer day.")
    assert ran.exit_code == 0, ran.stderr
    assert json.loads(ran.stdout)["entry"]["tags"] == ["therapy", "evening"]
    assert cli("capture", "--json", input="Captured quickly.").exit_code == 0
    listed = json.loads(cli("list", "--json").stdout)
    assert sorted(e["tags"] for e in listed["entries"]) == [["evening"], ["therapy", "evening"]]


def test_the_config_files_editor_opens_with_a_prompt_when_prompts_is_on(
    cli: Cli, initialised: Ran, fake_editor: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_editor("Written where the config file pointed.\n")
    command = os.environ["EDITOR"]
    monkeypatch.delenv("EDITOR")
    write_config(f"editor = {configfile.dump(command)}\nprompts = true\n")
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    ran = cli("write", "--json")
    assert ran.exit_code == 0, ran.stderr
    seen = json.loads(log.read_text())
    assert seen["initial"].startswith("> ")  # the page opened on a prompt
    entry = json.loads(ran.stdout)["entry"]
    assert entry["prompt"] and entry["prompt"] in seen["initial"]
    assert "Written where the config file pointed." in entry["text"]


def test_no_prompt_unless_prompts_is_on(
    cli: Cli, initialised: Ran, fake_editor: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_editor("Just words.\n")
    monkeypatch.setattr(face, "stdin_is_terminal", lambda: True)
    assert cli("write").exit_code == 0
    assert json.loads(log.read_text())["initial"] == ""


def test_gentle_checks_in_the_file_is_named_when_it_overrides_the_journal(cli: Cli, initialised: Ran) -> None:
    write_config("gentle_checks = false\n")
    ran = cli("support", "gentle")
    assert ran.exit_code == 0
    assert "off (set by the config file's gentle_checks)" in ran.stderr


@pytest.mark.parametrize(
    ("setting", "env", "coloured"),
    [
        ("always", {}, True),
        ("never", {}, False),
        ("auto", {}, False),  # CliRunner's streams aren't a terminal
        ("always", {"NO_COLOR": "1"}, False),
        ("never", {"FORCE_COLOR": "1"}, True),
    ],
)
def test_color_decides_how_messages_look_and_the_environment_wins(
    cli: Cli, setting: str, env: dict[str, str], coloured: bool
) -> None:
    write_config(f'color = "{setting}"\n')
    ran = cli("config", "set", "prompts", "on", env={"TERM": "xterm", **env})  # its first line is green
    assert ran.exit_code == 0
    assert ("\x1b[32m" in ran.stderr) is coloured


def test_colour_spelled_the_british_way_sets_color(cli: Cli, isolated: Path) -> None:
    ran = cli("config", "set", "colour", "never")
    assert ran.exit_code == 0, ran.stderr
    assert json.loads(cli("config", "show", "--json").stdout)["settings"]["color"] == "never"
    assert cli("config", "unset", "colour").exit_code == 0
    assert "color" not in json.loads(cli("config", "show", "--json").stdout)["settings"]


def test_a_mistyped_key_gets_the_nearest_one_suggested(cli: Cli, isolated: Path) -> None:
    ran = cli("config", "set", "editr", "vim")
    assert ran.exit_code == ExitCode.USAGE and "Did you mean 'editor'?" in ran.stderr
