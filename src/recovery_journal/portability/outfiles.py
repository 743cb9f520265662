"""Files written out at a person's request: backups, exports and pictures of the overviews.

Never inside the journal's own folder, never over a file unless asked, readable only by their owner, and
written whole or not at all.
"""

from __future__ import annotations

import stat
from pathlib import Path

from ..errors import AlreadyExists, UsageProblem
from ..storage.files import write_private


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
