"""Where a sync device lives: a small note outside the journal, so a copy of the journal can't write as it.

A journal folder copied to another machine (or another place on this one) carries this device's sync state,
device id and all. Were both copies to sync, they would write the same numbered change files in one device
folder, and one would overwrite the other's. So each device notes, beside the config file, which journal home
(and which machine) it belongs to; a journal whose note is missing or names another place is refused before
it writes (docs/encryption.md, "Sync folder").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from ..configfile import DEVICE_NOTES, config_path
from ..errors import AlreadyExists
from ..settings import Settings
from ..storage.files import os_error, secure_folder, write_private

FOLDER = DEVICE_NOTES
FORMAT = 1
MACHINE_IDS = (Path("/etc/machine-id"), Path("/var/lib/dbus/machine-id"))


def machine(places: tuple[Path, ...] = MACHINE_IDS) -> str:
    """A digest of this machine's id where the system has one (Linux), else "" (the note alone decides)."""
    for place in places:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            found = place.read_text("ascii").strip()
            if found:
                return hashlib.sha256(b"recovery-journal/v1/machine\x1f" + found.encode()).hexdigest()[:32]
    return ""


def _folder(settings: Settings) -> Path:
    config = settings.config if settings.config is not None else config_path(settings.env or None)
    return config.parent / FOLDER


def _note(settings: Settings, device: str) -> Path:
    return _folder(settings) / f"{device}.json"


def _here(settings: Settings, journal_id: str, device: str) -> dict[str, object]:
    return {
        "format": FORMAT,
        "journal": journal_id,
        "device": device,
        "home": str(settings.paths.home.resolve()),
        "machine": machine(),
    }


def take(settings: Settings, journal_id: str, device: str) -> None:
    """Note that `device` of this journal lives in this journal home, on this machine."""
    where = _folder(settings)
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, where) from None
    secure_folder(where)
    data = json.dumps(_here(settings, journal_id, device), sort_keys=True).encode() + b"\n"
    write_private(_note(settings, device), data)


def noted(settings: Settings, device: str) -> bool:
    """Whether any note for `device` is kept on this machine."""
    return _note(settings, device).exists()


def holds(settings: Settings, journal_id: str, device: str) -> bool:
    """Whether the note says `device` lives here: in this journal home, on this machine."""
    try:
        found = json.loads(_note(settings, device).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and found == _here(settings, journal_id, device)


def check(settings: Settings, journal_id: str, device: str) -> None:
    """Refuse a journal that is a copy of a syncing device (or one moved from where it synced)."""
    if holds(settings, journal_id, device):
        return
    raise AlreadyExists(
        f"This journal looks like a copy of one that syncs as device {device} from another place, so it "
        "didn't sync: two copies writing as one device could overwrite each other's changes.",
        hint="To sync this copy as a device of its own: `recovery-journal sync leave`, then "
        "`recovery-journal sync setup FOLDER` with the same folder (or `sync join FOLDER` into a new journal "
        "home). Nothing was changed.",
    )


def give_up(settings: Settings, journal_id: str, device: str) -> None:
    """Forget the note, but only if it names this journal home: a copy leaving keeps the original's."""
    if holds(settings, journal_id, device):
        with contextlib.suppress(OSError):
            _note(settings, device).unlink()
