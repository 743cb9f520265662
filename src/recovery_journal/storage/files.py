"""Files beside the database: private folders, files written whole or not at all, leftovers of killed runs.

Every failure comes back as the error a person can act on (`os_error`), never a bare OSError.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from ..errors import AlreadyExists, JournalError, NotFound, StorageProblem, UsageProblem
from ..paths import NEW_JOURNAL_TMP


def shown(path: Path, most: int = 120) -> str:
    """A path as a message shows it: whole, or its two ends around an ellipsis when it is very long."""
    text = str(path)
    return text if len(text) <= most else f"{text[: most // 2]}…{text[-most // 2 :]}"


def os_error(exc: OSError, where: Path) -> JournalError:
    """Turn a filesystem failure into the error a person can act on."""
    if exc.errno == errno.ENAMETOOLONG:
        return UsageProblem(
            f"The path {shown(where)} is longer than this system allows ({len(str(where))} characters).",
            hint="Choose a shorter path.",
        )
    path, where = where, Path(shown(where))
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return StorageProblem(f"The disk holding {where} is full.", hint="Free some space, then try again.")
    if exc.errno == errno.EROFS:
        return StorageProblem(
            f"{where} is on a read-only disk, so it can't be written to.",
            hint="Check how the disk is mounted, or choose a folder on another disk.",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StorageProblem(
            f"{where} isn't open to you: the system refused permission.",
            hint="Check that it and the folders above it belong to you (`ls -ld`), "
            "or point --journal at your own journal.",
        )
    if exc.errno == errno.ENOENT:
        if path.exists():  # a system folder (/proc/1) answers "no such file" to anything made in it
            return StorageProblem(
                f"{where} is there, but it can't be written to.",
                hint="Choose a folder of your own, or leave out --journal for the usual place.",
            )
        return NotFound(f"There's no folder at {where}.", hint="Check the path, or create the folder first.")
    if exc.errno == errno.ENOTDIR:
        return UsageProblem(
            f"Part of the path {where} is a file where a folder should be.", hint="Check the path."
        )
    return StorageProblem(f"The disk reported a problem with {where}.", hint="Check the disk and try again.")


# What a journal's own folder holds; a folder with anything else in it is someone's, not the journal's.
_JOURNAL_NAMES = ("journal.db", "journal.db-wal", "journal.db-shm", "drafts", "snapshots", "inbox")


def journal_only(home: Path) -> bool:
    """Whether `home` is your own folder with nothing but a journal in it (so its mode is ours to set)."""
    try:
        if hasattr(os, "getuid") and home.stat().st_uid != os.getuid():
            return False
        return all(p.name in _JOURNAL_NAMES or p.name.startswith(NEW_JOURNAL_TMP) for p in home.iterdir())
    except OSError:
        return False


def secure_home(home: Path) -> None:
    """Create the journal's folder 0700; tighten an existing one only if it holds nothing but a journal.

    `--journal /` run as root must never make / private: a folder with other things in it is left as it is
    (the journal's files inside are 0600 whatever the folder allows).
    """
    try:
        home.mkdir(mode=0o700, parents=True)
        return
    except FileExistsError:
        pass
    except OSError as exc:
        raise os_error(exc, home) from None
    try:
        if home.is_dir() and stat.S_IMODE(home.stat().st_mode) & 0o077 and journal_only(home):
            home.chmod(0o700)
    except OSError as exc:
        raise os_error(exc, home) from None


def secure_folder(path: Path) -> None:
    """Create a folder only its owner can enter, and tighten it if it is looser."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o700)
    except OSError as exc:
        raise os_error(exc, path) from None


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (best effort where the platform cannot)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte, or raise: os.write may write less than asked when a disk is nearly full."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, "no space left on device")
        view = view[written:]


def write_new(path: Path, data: bytes) -> None:
    """Create `path` (0600, never over a file already there) holding `data`, on the disk before returning."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes, *, overwrite: bool = True, tmp_prefix: str | None = None) -> None:
    """Write a file only its owner can read, whole or not at all (temporary file, fsync, rename).

    `tmp_prefix` names the temporary file so that one a killed process leaves is known and swept.
    """
    folder = path.parent
    if not overwrite and path.exists():
        raise AlreadyExists(
            f"{path} already exists.", hint="Nothing was written. Choose another name, or --force."
        )
    tmp = folder / (
        f"{tmp_prefix}{os.getpid()}-{secrets.token_hex(4)}"
        if tmp_prefix
        else f".{path.name}.{secrets.token_hex(4)}.tmp"
    )
    try:
        write_new(tmp, data)
        tmp.replace(path)
        fsync_folder(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise os_error(exc, folder) from None


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (ours, or someone's we may not signal)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_unfinished(folder: Path, prefix: str) -> None:
    """Remove files named `<prefix><pid>-...` (with their -wal/-shm) that a killed process left behind.

    They hold no plaintext (a new journal or backup is encrypted as it is written); they only take space.
    """
    if not folder.is_dir():
        return
    for path in folder.glob(f"{prefix}*"):
        pid = path.name.removeprefix(prefix).split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()
