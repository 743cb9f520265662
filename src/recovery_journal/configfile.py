"""The config file: where it is, reading it (TOML), and changing one key while keeping the rest.

Only the file's form lives here: flat keys holding a string, a true/false or a list of strings. What each
key means, and how it ranks against the environment and the command line, is settings.py.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigProblem
from .paths import APP_NAME
from .storage.files import os_error, write_private

CONFIG_ENV = "RECOVERY_JOURNAL_CONFIG"
# Beside the config file: each syncing device's note of where it lives (sync/seat.py); no words, no keys.
DEVICE_NOTES = "sync-devices"
FILE_NAME = "config.toml"
MAX_BYTES = 64 * 1024  # a config file is a few lines; anything this big is something else

Kind = Literal["text", "switch", "words"]
Value = str | bool | tuple[str, ...]
# Keys that would hold a secret in a file that isn't encrypted: refused, and noted if found.
_SECRET = re.compile(r"pass(word|phrase)|secret|recovery.?code", re.IGNORECASE)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The config file: $RECOVERY_JOURNAL_CONFIG, else config.toml in the platform's config folder."""
    env = os.environ if env is None else env
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser().absolute()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / FILE_NAME


def is_secret(key: str) -> bool:
    """Whether a key names a passphrase or the like, which never belongs in a file that isn't encrypted."""
    return _SECRET.search(key) is not None


@dataclass(frozen=True)
class ConfigFile:
    """The file as read: its top-level values (nothing when it doesn't exist) and where each key is."""

    path: Path
    exists: bool = False
    values: Mapping[str, object] = field(default_factory=dict)
    text: str = ""

    def line_of(self, key: str) -> int | None:
        """The line a top-level key is set on, for messages that name it."""
        for number, line in enumerate(self.text.splitlines(), start=1):
            if _TABLE.match(line):
                return None
            if _assigns(line, key):
                return number
        return None

    def where(self, key: str) -> str:
        """`config.toml, line 3`-style words for a key, for messages."""
        line = self.line_of(key)
        return f"{self.path}, line {line}" if line else str(self.path)

    def check(self, key: str, kind: Kind) -> Value | None:
        """The value of `key` if it has the `kind` expected; None when unset; a calm error naming the line."""
        if key not in self.values:
            return None
        value = self.values[key]
        if kind == "switch" and isinstance(value, bool):
            return value
        if kind == "text" and isinstance(value, str):
            return value
        if kind == "words" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigProblem(
            f"In the config file {self.where(key)}, {key} should be {_EXPECTED[kind]}.",
            hint=f"For example: {key} = {_EXAMPLE[kind]}. Fix that line, or remove it to use the default.",
        )


_EXPECTED = {"switch": "true or false", "text": "text in quotes", "words": "a list of words in quotes"}
_EXAMPLE = {"switch": "true", "text": '"nano"', "words": '["therapy", "evening"]'}
_TABLE = re.compile(r"^\s*\[")


def _assigns(line: str, key: str) -> bool:
    """Whether `line` sets top-level `key` (bare or quoted)."""
    quoted = "|".join(re.escape(k) for k in (key, f'"{key}"', f"'{key}'"))
    return re.match(rf"^\s*(?:{quoted})\s*=", line) is not None


def read(path: Path) -> ConfigFile:
    """Read the config file at `path`; a missing one is empty. A mistake is a calm error naming the line."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return ConfigFile(path)
    except IsADirectoryError:
        raise ConfigProblem(
            f"The config file {path} is a folder, not a file.",
            hint="Point RECOVERY_JOURNAL_CONFIG at a file, or leave it unset to use the usual place.",
        ) from None
    except OSError as exc:
        raise ConfigProblem(
            f"The config file {path} couldn't be read ({os_error(exc, path).message.rstrip('.')}).",
            hint="Check that it belongs to you, or move it aside to use the defaults.",
        ) from None
    if len(data) > MAX_BYTES:
        raise ConfigProblem(
            f"The config file {path} is over {MAX_BYTES // 1024} KiB, far more than a config file holds.",
            hint="Check it is the right file (`recovery-journal config path`), or move it aside.",
        )
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigProblem(
            f"The config file {path}, line {line}, isn't UTF-8 text.",
            hint="Save it as UTF-8 (most editors offer it under Save As or Encoding).",
        ) from None
    return ConfigFile(path, True, _parse(text, path), text)


def loads(text: str) -> dict[str, Any]:
    """TOML text as a dict (TOMLDecodeError, a ValueError, when it isn't TOML); imported only when needed."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the same parser, published for 3.10 as tomli
        import tomli as tomllib
    return tomllib.loads(text)


def _parse(text: str, path: Path) -> dict[str, object]:
    try:
        return loads(text)
    except ValueError as exc:
        # tomllib's words name the mistake, never the value; its position ends them, "(at line 3, column 7)".
        reason = str(exc)
        found = _WHERE.search(reason)
        what = reason[: found.start()] if found else reason
        if found and found.group(1):
            place = f"on line {found.group(1)}"
        else:  # something opened (a bracket, a quote) and never closed
            place = f"at its end (line {max(len(text.splitlines()), 1)})"
        raise ConfigProblem(
            f"The config file {path} has a mistake {place}: {what[:1].lower()}{what[1:]}.",
            hint="Fix that line, or move the file aside to use the defaults "
            "(`recovery-journal config path` shows where it is).",
        ) from None


def unknown(config: ConfigFile, known: Mapping[str, Kind]) -> list[str]:
    """Calm notes on keys recovery-journal doesn't use: a typo, a newer version's key, or a secret."""
    notes = []
    for key in config.values:
        line = config.line_of(key)
        where = f" (line {line})" if line else ""
        if is_secret(key):
            notes.append(
                f"{key}{where} in the config file isn't used: the file isn't encrypted, so a passphrase "
                "never belongs there. Please remove it; RECOVERY_JOURNAL_PASSPHRASE_FILE keeps one safely."
            )
        elif key not in known:
            notes.append(
                f"{key}{where} in the config file isn't a setting recovery-journal knows; "
                "it is left as it is."
            )
    return notes


# --- writing: one key changed, everything else kept as the person wrote it -----------------------------


def dump(value: Value) -> str:
    """A value as TOML: a basic string, true/false, or an array of strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    return "[" + ", ".join(_string(v) for v in value) + "]"


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def bare(key: str) -> bool:
    """Whether `key` is written without quotes in TOML (the only keys this writes or removes)."""
    return _BARE_KEY.fullmatch(key) is not None


def with_value(text: str, key: str, value: Value | None) -> str:
    """`text` with top-level `key` set to `value` (or removed, for None), every other line kept as it was."""
    if not bare(key):
        raise ValueError(key)  # only our own keys are written, and they are all bare
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start, end = _span(lines, key)
    new = [] if value is None else [f"{key} = {dump(value)}\n"]
    if start is None:
        start = end = _top_end(lines)
        if new and start < len(lines) and _TABLE.match(lines[start]):
            new.append("\n")  # keep a blank line before the first [table], as people write it
    return "".join(lines[:start] + new + lines[end:])


def _top_end(lines: list[str]) -> int:
    """Where the top-level keys end: the first [table] header (skipping the blank lines before it)."""
    for index, line in enumerate(lines):
        if _TABLE.match(line) and _parses("".join(lines[:index])):
            while index > 0 and not lines[index - 1].strip():
                index -= 1
            return index
    return len(lines)


def _span(lines: list[str], key: str) -> tuple[int | None, int]:
    """The lines holding top-level `key`'s assignment (a value may run over several lines)."""
    for index, line in enumerate(lines):
        if _TABLE.match(line) and _parses("".join(lines[:index])):
            break
        if _assigns(line, key) and _parses("".join(lines[:index])):
            for end in range(index + 1, len(lines) + 1):
                if _parses("".join(lines[index:end])):
                    return index, end
    return None, 0


def _parses(text: str) -> bool:
    try:
        loads(text)
    except ValueError:
        return False
    return True


def write_value(config: ConfigFile, key: str, value: Value | None) -> ConfigFile:
    """Set (or, for None, remove) one key in the file, atomically and private (0600); return the new file."""
    text = with_value(config.text, key, value)
    values = _parse(text, config.path)
    before = {k: v for k, v in config.values.items() if k != key}
    after = {k: v for k, v in values.items() if k != key}
    expected = value if not isinstance(value, tuple) else list(value)
    if before != after or values.get(key) != expected:  # never write a file that says something else
        raise ConfigProblem(
            f"The config file {config.path} is laid out in a way this change can't be made safely, "
            "so it was left as it was.",
            hint=f"Edit it yourself: {key} = {dump(value) if value is not None else '(remove the line)'}",
        )
    target = (
        config.path.resolve() if config.path.is_symlink() else config.path
    )  # a linked dotfile stays linked
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, target.parent) from None
    write_private(target, text.encode("utf-8"))
    return ConfigFile(config.path, True, values, text)
