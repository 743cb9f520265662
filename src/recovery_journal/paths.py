"""Where a journal lives: the one function that decides, the names inside the journal home, and the scratch
folder in shared places, used only when it is the person's own."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

HOME_ENV = "RECOVERY_JOURNAL_HOME"
# Temporary names inside the journal home, each followed by the writing process's id, so what a killed
# process left (encrypted, but taking space) is known as such and swept at the next open.
NEW_JOURNAL_TMP = ".journal.db.new-"
DRAFT_TMP = ".draft-"
SNAPSHOT_TMP = ".snapshot-"
CAPTURE_TMP = ".capture-"
APP_NAME = "recovery-journal"
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 - memory-backed; only a private 0700 folder of ours is used inside


class JournalPaths(NamedTuple):
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
    """A per-user base folder for editor files and sessions, in memory-backed storage where the system has it.

    $XDG_RUNTIME_DIR is a per-user tmpfs on most Linux systems; /dev/shm is memory-backed on Linux too.
    Elsewhere we fall back to the system temp folder, and docs/privacy.md says so. In the shared places,
    another user can take the name first: a place is passed over unless it is free, or already a real
    folder of ours. When every place is taken, the last is named, and using it is refused (journal/editor.py).
    """
    place = Path()
    for place in _places(os.environ if env is None else env):
        if _free_or_ours(place):
            break
    return place


def _places(env: Mapping[str, str]) -> Iterator[Path]:
    """scratch_root's places, best first; the system temp folder (and `tempfile`) only when it comes to it."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir() and os.access(runtime, os.W_OK):
        yield Path(runtime) / APP_NAME
    shm = SHARED_MEMORY
    if shm.is_dir() and os.access(shm, os.W_OK):
        yield shm / f"{APP_NAME}-{uid}"
    import tempfile

    yield Path(tempfile.gettempdir()) / f"{APP_NAME}-{uid}"


def _free_or_ours(place: Path) -> bool:
    try:
        os.lstat(place)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return owned(place, stat.S_IFDIR, closed=0)


def yours(found: os.stat_result) -> bool:
    """Whether what `found` describes belongs to the user running this."""
    return not hasattr(os, "getuid") or found.st_uid == os.getuid()


def owned(path: Path, kind: int, closed: int = 0o077) -> bool:
    """Whether `path` is itself (not a link) of `kind` (stat.S_IFDIR...), ours, without the `closed` bits.

    What another user could have put in a shared place (/dev/shm, /tmp) is trusted only when this holds.
    """
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_IFMT(found.st_mode) == kind and yours(found) and not stat.S_IMODE(found.st_mode) & closed
