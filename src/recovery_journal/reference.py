"""What `help` tells offline: every environment variable and file, named from where each is defined.

The names come from the modules that read them, so the help can't drift from the code (a test checks that
every RECOVERY_JOURNAL_ name in the source is listed here).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .configfile import CONFIG_ENV, DEVICE_NOTES, config_path
from .configfile import FILE_NAME as CONFIG_FILE
from .domain.dates import DATE_ORDER_ENV
from .errors import DEBUG_ENV
from .paths import APP_NAME, HOME_ENV, SHARED_MEMORY, JournalPaths, resolve_home, scratch_root
from .sealing import passphrase
from .settings import (
    COUNTRY_ENV,
    DEFAULT_LOCK_TIMEOUT,
    GENTLE_CHECKS_ENV,
    INLINE_TAGS_ENV,
    LOCK_TIMEOUT_ENV,
    SYNC_AFTER_ENV,
    WEAK_KDF_ENV,
)

# The commands that choose a passphrase: besides passwd and recover, a journal made from the recovery code.
_CHOOSERS = "`passwd`, `recover`, and --recovery-code of `backup restore` and `sync join`"

ENVIRONMENT: tuple[tuple[str, str], ...] = (
    (HOME_ENV, "the journal folder (--journal wins over it)"),
    (CONFIG_ENV, "the config file to read, instead of config.toml in your config folder"),
    (passphrase.PREFIX + passphrase.CURRENT[0], "read the passphrase from this file (keep it 0600)"),
    (
        passphrase.PREFIX + passphrase.CURRENT[1],
        "run this command and use what it prints, e.g. `pass show journal`",
    ),
    (
        passphrase.PREFIX + passphrase.CURRENT[2],
        "the passphrase itself (other programs running as you may read it)",
    ),
    (passphrase.PREFIX + passphrase.NEW[0], f"{_CHOOSERS}: the new passphrase from this file"),
    (passphrase.PREFIX + passphrase.NEW[1], f"{_CHOOSERS}: the new passphrase from this command"),
    (passphrase.PREFIX + passphrase.NEW[2], f"{_CHOOSERS}: the new passphrase itself"),
    (
        passphrase.RECOVERY_CODE_ENV,
        "`recover`, and --recovery-code of `backup verify`, `backup restore` and `sync join`: "
        "the recovery code",
    ),
    (
        LOCK_TIMEOUT_ENV,
        f"seconds to wait when the journal is busy in another window (default {DEFAULT_LOCK_TIMEOUT:g})",
    ),
    (DATE_ORDER_ENV, "how 01/12 reads: dayfirst or monthfirst (wins over the config file's date_order)"),
    (COUNTRY_ENV, "the country `support` shows lines for (wins over the config file's country)"),
    (
        GENTLE_CHECKS_ENV,
        "1 or 0: the gentle check on or off (wins over the journal's setting and the config file)",
    ),
    (INLINE_TAGS_ENV, "1 or 0: @tag and #tag in your words become tags, or not (wins over the config file)"),
    (
        SYNC_AFTER_ENV,
        "1 or 0: sync quietly after each change, or not (wins over the config file's sync_after)",
    ),
    (DEBUG_ENV, "1 adds file and line numbers (never values) to an unexpected error"),
    (WEAK_KDF_ENV, "1 makes new key slots very weak so tests run fast; never for a real journal"),
    ("VISUAL", "your editor; may include arguments, e.g. `code --wait` (wins over the config file's editor)"),
    ("EDITOR", "your editor, when VISUAL is unset"),
    ("NO_COLOR", "no colour in output (wins over everything)"),
    ("FORCE_COLOR", "colour even when piped (wins over the config file's color)"),
    ("XDG_RUNTIME_DIR", "where editor files live while you write (memory-backed on most Linux systems)"),
    ("XDG_CONFIG_HOME", "the config folder on Linux (the config file is recovery-journal/config.toml in it)"),
    ("XDG_DATA_HOME", "the data folder on Linux (the journal is recovery-journal/ in it by default)"),
)


_HOLDS = {  # what each place holds, said once for `help files` and the man page
    "home": "your journal's folder, only yours to open (0700)",
    "db": "the journal: every entry and detail sealed (AES-256-GCM), keys wrapped by Argon2id",
    "sidecars": "SQLite's working files beside it, holding only sealed data",
    "drafts": "sealed drafts: words kept when a save couldn't finish",
    "inbox": "quick captures, sealed to the journal's public key until the next unlock",
    "snapshots": "encrypted copies of the journal made before an import merged into it",
    "scratch": "private editor files while you write (0600, memory-backed where possible), removed after",
    "config": "the config file: settings only, never entry text; it is not encrypted",
    "devices": (
        "for a journal that syncs: which device this is, and where its journal lives (no words, no keys)"
    ),
}


def files(journal: Path | None = None, env: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Every place recovery-journal keeps something for this run, as (path, what it holds).

    Worked out from the environment alone, without reading the config file, so it helps even when that
    file has a mistake in it.
    """
    env = os.environ if env is None else env
    paths = resolve_home(journal, env)
    config = config_path(env)
    return _rows(paths, str(scratch_root(env)), config, {})


def files_in_general() -> list[tuple[str, str]]:
    """Every place as the man page names it for anyone: where it is on Linux, and what moves it.

    The same on every computer, so the page built from it can ship with the package (man/recovery-journal.1).
    """
    data = JournalPaths(Path("~/.local/share") / APP_NAME)
    config = Path("~/.config") / APP_NAME / CONFIG_FILE
    mac = f"~/Library/Application Support/{APP_NAME}"
    return _rows(
        data,
        f"$XDG_RUNTIME_DIR/{APP_NAME}",
        config,
        {
            "home": f"--journal FOLDER or ${HOME_ENV} puts it elsewhere, $XDG_DATA_HOME stands in for "
            f"~/.local/share, and on macOS it is {mac}",
            "scratch": f"Without $XDG_RUNTIME_DIR, {SHARED_MEMORY}/{APP_NAME}-UID, else the system's "
            "temporary folder",
            "config": f"${CONFIG_ENV} names another, $XDG_CONFIG_HOME stands in for ~/.config, and on "
            f"macOS it is {mac}/{CONFIG_FILE}",
        },
    )


def _rows(paths: JournalPaths, scratch: str, config: Path, more: Mapping[str, str]) -> list[tuple[str, str]]:
    wal, shm = paths.sidecars()
    places = [
        ("home", str(paths.home)),
        ("db", str(paths.db)),
        ("sidecars", f"{wal}, {shm}"),
        ("drafts", str(paths.drafts)),
        ("inbox", str(paths.inbox)),
        ("snapshots", str(paths.snapshots)),
        ("scratch", scratch),
        ("config", str(config)),
        ("devices", str(config.parent / DEVICE_NOTES)),
    ]
    return [(path, ". ".join(filter(None, (_HOLDS[key], more.get(key))))) for key, path in places]
