"""The sync folder on disk: one folder per device, its numbered change files, and names to leave alone.

A device writes only inside its own folder, each file whole or not at all (a temporary name, fsync, rename).
What a sync tool does to files (temporary names, conflicted copies, a folder missing for a while) is expected.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Locked, NotFound
from ..storage.files import fsync_folder, os_error, write_new

SUFFIX = ".rjsync"
MANIFEST = "manifest" + SUFFIX
LOCK = ".lock"  # a dot-name: never read as a sync file, and harmless if a sync tool carries it
_DEVICE = re.compile(r"^[0-9a-f]{16}$")
_CHANGE = re.compile(r"^([1-9][0-9]{0,17})\.rjsync$")
_COPY = re.compile(
    r"^([1-9][0-9]{0,17})\D.*\.rjsync$"
)  # "3 (conflicted copy ...).rjsync", "3.sync-conflict-..."


def new_device_id() -> str:
    return secrets.token_hex(8)


def considered(name: str) -> bool:
    """Whether a file name is ours to read: temporary names of sync tools and editors never are."""
    return name.endswith(SUFFIX) and not name.startswith((".", "~"))


@dataclass
class Listing:
    """One device folder as found now: its numbered files and any other copies of those numbers."""

    device: str
    path: Path
    changes: dict[int, Path] = field(default_factory=dict)
    copies: dict[int, list[Path]] = field(default_factory=dict)
    manifest: Path | None = None


def _missing(folder: Path) -> NotFound:
    return NotFound(
        f"The sync folder {folder} isn't there.",
        hint="If it's on a drive or a mount, connect it; nothing was changed.",
    )


def devices(folder: Path) -> list[Listing]:
    """Every device folder under `folder` (in a stable order), with what each holds now."""
    try:
        children = sorted(p for p in folder.iterdir() if _DEVICE.match(p.name) and p.is_dir())
    except FileNotFoundError:
        raise _missing(folder) from None
    except OSError as exc:
        raise os_error(exc, folder) from None
    return [_listing(p) for p in children]


def _listing(path: Path) -> Listing:
    found = Listing(device=path.name, path=path)
    try:
        names = sorted(p.name for p in path.iterdir())
    except OSError:  # a device folder that vanished or can't be read for now: it waits for next time
        return found
    for name in names:
        if not considered(name):
            continue
        if name == MANIFEST:
            found.manifest = path / name
        elif match := _CHANGE.match(name):
            found.changes[int(match.group(1))] = path / name
        elif match := _COPY.match(name):
            found.copies.setdefault(int(match.group(1)), []).append(path / name)
    return found


def change_name(seq: int) -> str:
    return f"{seq}{SUFFIX}"


def read(path: Path) -> bytes | None:
    """A file's bytes, or None when it is gone or can't be read just now (a sync tool moving it)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def publish(path: Path, data: bytes, *, replace: bool) -> None:
    """Write a file in our own device folder whole: a dot-name the readers skip, fsync, then rename.

    Change files are never replaced (`replace=False` refuses an existing one); the manifest is.
    """
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_new(tmp, data)
        if replace:
            tmp.replace(path)
        else:
            _link(tmp, path)
        fsync_folder(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error(exc, folder) from None


def _link(tmp: Path, path: Path) -> None:
    """Put `tmp` at `path` without ever replacing a file there (a hard link where the disk has them)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a mount without hard links (some network and FAT disks): check, then rename
        if path.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        tmp.replace(path)
        return
    tmp.unlink()


@contextlib.contextmanager
def exclusive(device_folder: Path, timeout: float) -> Iterator[None]:
    """Hold this device's sync lock: a second sync of the same journal waits up to `timeout` seconds for it.

    Two syncs at once would both write the next change file; the second would find the number taken.
    """
    try:
        import fcntl
    except ImportError:  # no advisory locks here (Windows): one sync at a time is left to the person
        yield
        return
    try:
        device_folder.mkdir(mode=0o700, exist_ok=True)  # never the sync folder itself: a missing drive
        fd = os.open(device_folder / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    except FileNotFoundError:
        raise _missing(device_folder.parent) from None
    except OSError as exc:
        raise os_error(exc, device_folder) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Locked(
                        "A sync of this journal is already running, so this one didn't start.",
                        hint="Let it finish; running `recovery-journal sync` again after it is fine. "
                        "Nothing was changed.",
                    ) from None
                time.sleep(0.05)
            except OSError:  # a disk without locks (some network mounts): go on as before
                break
        yield
    finally:
        os.close(fd)
