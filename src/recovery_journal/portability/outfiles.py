"""Files written out at a person's request: backups, exports and pictures of the overviews.

Never inside the journal's own folder, never over a file unless asked, readable only by their owner, and
written whole or not at all.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from ..errors import AlreadyExists, UsageProblem
from ..storage.files import fsync_folder, os_error, write_private


def check_outside(home: Path, target: Path) -> None:
    """Refuse to write a backup, export or picture into the journal's own folder (or over its file)."""
    try:
        inside = target.expanduser().resolve().is_relative_to(home.resolve())
    except OSError:
        inside = False
    if inside:
        raise UsageProblem(
            f"{target} is inside the journal's own folder, so nothing was written there.",
            hint="Choose a place outside it; that folder holds only the encrypted journal.",
        )


def check_target(home: Path, target: Path, *, force: bool) -> None:
    """Refuse a target before any work: the journal's folder, or a file that exists (unless forced)."""
    check_outside(home, target)
    try:
        found = target.expanduser().lstat()
    except OSError:
        found = None
    if found is not None and not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        raise AlreadyExists(  # --force replaces a file, never a link, a pipe or a device
            f"{target} is a link, a pipe or a device, not a plain file, so it was left alone.",
            hint="Choose a plain file name.",
        )
    if target.expanduser().exists() and not force:
        raise AlreadyExists(
            f"{target} already exists, so it was left alone.",
            hint="Choose another name, or add --force to replace it.",
        )


def write_text(target: Path, text: str, *, overwrite: bool) -> None:
    """Write `text` to `target` as UTF-8, private to its owner, whole or not at all."""
    write_private(target.expanduser(), text.encode("utf-8"), overwrite=overwrite)


def write_streamed(target: Path, write: Callable[[TextIO], None], *, overwrite: bool) -> None:
    """Write text to `target` as `write` produces it: UTF-8, private to its owner, whole or not at all.

    It goes to a temporary file beside the target, renamed into place only once `write` has finished and the
    bytes are on disk; if anything stops it (an entry that won't open, a full disk), the partial file is
    removed and the target is left as it was.
    """
    path = target.expanduser()
    folder = path.parent
    if not overwrite and path.exists():
        raise AlreadyExists(
            f"{path} already exists.", hint="Nothing was written. Choose another name, or --force."
        )
    tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with io.open(fd, "w", encoding="utf-8", newline="") as stream:  # noqa: UP020 (an fd, not a path)
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.replace(path)
        fsync_folder(folder)
    except OSError as exc:
        raise os_error(exc, folder) from None
    finally:
        with contextlib.suppress(OSError):  # gone once renamed; a partial one is never left behind
            tmp.unlink()


def is_folder_target(target: str) -> bool:
    """Whether `-o` names a folder: one that exists, or a name ending in a slash."""
    return target.endswith(("/", os.sep)) or Path(target).expanduser().is_dir()


def check_folder(home: Path, target: Path) -> None:
    """Refuse a folder target before any work: the journal's folder, or a folder that already holds files.

    Nothing is ever written over or beside files already there, even with --force: an export folder is new,
    or empty.
    """
    check_outside(home, target)
    path = target.expanduser()
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise AlreadyExists(
            f"{target} is there already and isn't a folder, so it was left alone.",
            hint="Give a new folder's name for a folder of notes, or a file name for one file.",
        )
    try:
        holds = path.is_dir() and any(path.iterdir())
    except OSError as exc:
        raise os_error(exc, path) from None
    if holds:
        raise AlreadyExists(
            f"{target} already has files in it, so nothing was written there.",
            hint="Give a new or empty folder; the notes are never mixed with other files.",
        )


def write_folder(target: Path, files: Iterable[tuple[str, str]]) -> int:
    """Write (name, text) files into a new folder at `target`, as they come; return how many were written.

    The folder (0700) and its files (0600) are readable only by their owner. They are written into a
    temporary folder beside the target, which takes the target's name only once every file is written and on
    disk; if anything stops it, the temporary folder is removed and the target is left as it was.
    """
    path = target.expanduser()
    parent = path.parent
    tmp = parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    written = 0
    try:
        tmp.mkdir(mode=0o700)
        for name, text in files:
            fd = os.open(tmp / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with io.open(fd, "w", encoding="utf-8", newline="") as stream:  # noqa: UP020 (an fd, not a path)
                stream.write(text)
            written += 1
        os.sync()  # one flush of every file, rather than one fsync each for tens of thousands
        if path.is_dir():
            path.rmdir()  # empty, as check_folder found it: the new folder takes its place
        tmp.rename(path)
        fsync_folder(parent)
    except OSError as exc:
        raise os_error(exc, parent) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return written
