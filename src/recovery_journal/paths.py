"""Where a journal lives: the one function that decides, and the names inside the journal home."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "RECOVERY_JOURNAL_HOME"
# Temporary names inside the journal home, each followed by the writing process's id, so what a killed
# process left (encrypted, but taking space) is known as such and swept at the next open.
NEW_JOURNAL_TMP = ".journal.db.new-"
DRAFT_TMP = ".draft-"
SNAPSHOT_TMP = ".snapshot-"
CAPTURE_TMP = ".capture-"
APP_NAME = "recovery-journal"


@dataclass(frozen=True)
class JournalPaths:
    """The files of one journal, all inside its home folder."""

    home: Path

    @property
    def db(self) -> Path:
        return self.home / "journal.db"

    @property
    def drafts(self) -> Path:
        return self.home / "drafts"

    @property
    def inbox(self) -> Path:
        """Quick captures waiting for the next unlock, each sealed to the journal's public key."""
        return self.home / "inbox"

    @property
    def snapshots(self) -> Path:
        """Safety copies of the journal made before a merge (encrypted, as the journal was then)."""
        return self.home / "snapshots"

    @property
    def tag(self) -> str:
        """A short name for this journal in shared places (editor files), derived from its location."""
        return hashlib.sha256(str(self.home).encode("utf-8", "surrogateescape")).hexdigest()[:12]

    def unfinished(self) -> list[tuple[Path, str]]:
        """(folder, name prefix) of every temporary file a killed process could leave in this journal."""
        return [
            (self.home, NEW_JOURNAL_TMP),
            (self.drafts, DRAFT_TMP),
            (self.snapshots, SNAPSHOT_TMP),
            (self.inbox, CAPTURE_TMP),
        ]

    def sidecars(self) -> list[Path]:
        """SQLite's WAL and shared-memory files beside the database."""
        return [self.db.with_name(self.db.name + suffix) for suffix in ("-wal", "-shm")]


def resolve_home(explicit: Path | None = None, env: Mapping[str, str] | None = None) -> JournalPaths:
    """Pick the journal home: --journal, else $RECOVERY_JOURNAL_HOME, else the platform's data folder."""
    env = os.environ if env is None else env
    if explicit is not None:
        home = explicit
    elif env.get(HOME_ENV):
        home = Path(env[HOME_ENV])
    else:
        from platformdirs import user_data_path

        home = user_data_path(APP_NAME, appauthor=False)
    return JournalPaths(home.expanduser().absolute())


def scratch_root(env: Mapping[str, str] | None = None) -> Path:
    """A per-user base folder for editor files, in memory-backed storage where the system has it.

    $XDG_RUNTIME_DIR is a per-user tmpfs on most Linux systems; /dev/shm is memory-backed on Linux too.
    Elsewhere we fall back to the system temp folder, and docs/privacy.md says so.
    """
    env = os.environ if env is None else env
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir() and os.access(runtime, os.W_OK):
        return Path(runtime) / APP_NAME
    uid = os.getuid() if hasattr(os, "getuid") else 0
    shm = Path("/dev/shm")  # noqa: S108 - memory-backed, and we make a private 0700 folder inside
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / f"{APP_NAME}-{uid}"
    return Path(tempfile.gettempdir()) / f"{APP_NAME}-{uid}"
