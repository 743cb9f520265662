"""Passphrases from the environment, for automation: a file, a command, or a variable. Never argv.

Interactive prompting lives in the CLI; this module only reads the non-interactive sources.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..errors import PassphraseProblem, UsageProblem

PREFIX = "RECOVERY_JOURNAL_"
CURRENT = ("PASSPHRASE_FILE", "PASSPHRASE_COMMAND", "PASSPHRASE")
NEW = ("NEW_PASSPHRASE_FILE", "NEW_PASSPHRASE_COMMAND", "NEW_PASSPHRASE")
RECOVERY_CODE_ENV = PREFIX + "RECOVERY_CODE"
COMMAND_TIMEOUT = 120
MAX_BYTES = 64 * 1024  # a passphrase file or command prints at most this: /dev/zero is not a passphrase
# Every variable that can carry a secret, or say where one is: kept from the editor and any other child.
SECRET_VARS = frozenset(PREFIX + n for n in (*CURRENT, *NEW, "RECOVERY_CODE"))


def for_children(env: Mapping[str, str]) -> dict[str, str]:
    """The environment for a program this starts (the editor, a passphrase command): no secrets in it."""
    return {k: v for k, v in env.items() if k not in SECRET_VARS}


def loose_file(env: Mapping[str, str]) -> str | None:
    """A passphrase file others can read, named for a warning; None when there is none."""
    for name in (PREFIX + CURRENT[0], PREFIX + NEW[0]):
        if env.get(name):
            path = Path(env[name]).expanduser()
            try:
                if path.stat().st_mode & 0o077:
                    return str(path)
            except OSError:
                continue
    return None


def source_name(env: Mapping[str, str], names: tuple[str, str, str] = CURRENT) -> str | None:
    """The variable the passphrase comes from (None when none is set): the one from_environment reads."""
    file_var, command_var, value_var = (PREFIX + n for n in names)
    # An empty file or command variable means "not set"; an empty passphrase variable is an empty passphrase.
    chosen = [name for name in (file_var, command_var) if env.get(name)] + [
        n for n in (value_var,) if n in env
    ]
    if len(chosen) > 1:
        raise UsageProblem(
            f"More than one passphrase source is set ({', '.join(chosen)}).",
            hint="Keep just one of them, so it's clear which passphrase is meant.",
        )
    return chosen[0] if chosen else None


def from_environment(env: Mapping[str, str], names: tuple[str, str, str] = CURRENT) -> str | None:
    """The passphrase from the one configured source, or None when none is set."""
    name = source_name(env, names)
    if name is None:
        return None
    file_var, command_var, _ = (PREFIX + n for n in names)
    if name == file_var:
        return read_file(Path(env[name]).expanduser(), name)
    if name == command_var:
        return _from_command(env[name], name)
    return env[name]


def _strip_newline(value: str) -> str:
    if value.endswith("\r\n"):
        return value[:-2]
    return value[:-1] if value.endswith("\n") else value


def read_file(path: Path, var: str) -> str:
    """A passphrase from a file (one trailing newline dropped); `var` names where the path came from."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise PassphraseProblem(
                f"The passphrase file {path} is far longer than a passphrase.",
                hint=f"Point {var} at a file holding just the passphrase.",
            )
        return _strip_newline(data.decode("utf-8"))
    except FileNotFoundError:
        raise PassphraseProblem(
            f"The passphrase file named by {var} doesn't exist: {path}",
            hint=f"Check the path, or remove {var} from your environment to be asked instead.",
        ) from None
    except UnicodeDecodeError:
        raise PassphraseProblem(
            f"The passphrase file {path} isn't UTF-8 text.", hint="Save it as UTF-8 and try again."
        ) from None
    except OSError:
        raise PassphraseProblem(
            f"The passphrase file {path} couldn't be read.", hint="Check it exists and belongs to you."
        ) from None


def _from_command(command: str, var: str) -> str:
    import shlex  # here: most commands never run one, and loading these costs start-up about 4 ms
    import subprocess

    try:
        argv = shlex.split(command)
    except ValueError:
        argv = []
    if not argv:
        raise PassphraseProblem(f"{var} isn't a command that can be run.", hint="Check its quoting.")
    try:
        done = subprocess.run(  # noqa: S603 - the person's own configured command
            argv,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=COMMAND_TIMEOUT,
            check=False,
            env=for_children(os.environ),
        )
    except FileNotFoundError:
        raise PassphraseProblem(
            f"The passphrase command '{argv[0]}' wasn't found.", hint=f"Check {var}."
        ) from None
    except (OSError, subprocess.TimeoutExpired):
        raise PassphraseProblem(
            f"The passphrase command '{argv[0]}' didn't finish.", hint=f"Check {var}."
        ) from None
    if done.returncode != 0:
        raise PassphraseProblem(
            f"The passphrase command '{argv[0]}' stopped with status {done.returncode}.",
            hint=f"Run it by hand to see why, or check {var}.",
        )
    if len(done.stdout) > MAX_BYTES:
        raise PassphraseProblem(
            f"The passphrase command '{argv[0]}' printed far more than a passphrase.", hint=f"Check {var}."
        )
    try:
        return _strip_newline(done.stdout.decode("utf-8"))
    except UnicodeDecodeError:
        raise PassphraseProblem(
            f"The passphrase command '{argv[0]}' didn't print UTF-8 text.", hint=f"Check {var}."
        ) from None
