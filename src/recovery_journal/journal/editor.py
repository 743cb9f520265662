"""Editing text in the person's own editor, without leaving plaintext behind.

The file lives in a fresh 0700 folder inside a per-user 0700 scratch folder (memory-backed where the system
has one), is created 0600, and the whole folder is removed when editing ends, even on error or Ctrl-C.
Beside it the command's details wait, sealed before the editor starts (DETAILS_NAME). Folders left by a
crash are found at the next start, so their words can be sealed into drafts with those details. The scratch
folder may sit in a shared place (/dev/shm, /tmp): nothing there is written or read unless it is ours, a real
folder (not a link) and private, so no one else can plant words to be kept as drafts.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import EditorFailed, StorageProblem
from ..paths import owned, yours
from ..sealing.passphrase import for_children
from ..storage.files import process_alive

FILE_NAME = "entry.md"
# The command's details, sealed: docs/encryption.md, "An editor session's details".
DETAILS_NAME = "details.rjdraft"
# nano saves what is in its buffer here when the terminal hangs up, or it is told to stop (SIGHUP, SIGTERM).
_NANO_RESCUE = FILE_NAME + ".save"
_FALLBACK_EDITORS = ("nano", "vim", "vi")
# Keep vim and neovim from writing swap, backup, undo or viminfo files with the text in them.
_VIM_PRIVATE = ["-n", "-i", "NONE", "--cmd", "set nobackup nowritebackup noundofile viminfo="]
# Names vim and neovim go by, directly or behind a link ("vi" is vim on most Linux systems).
_VIM_NAMES = re.compile(r"^(n?vim|[gmr]vim|r?view|vimdiff|vim\.[a-z0-9]+)$")
_NANO_NAMES = re.compile(r"^(r?nano|pico)$")

# Told, just before the editor opens, its program name and kind ("vim", "nano" or "other"), so the face can
# say how to save and leave it.
Announce = Callable[[str, str], None]


class Edited(NamedTuple):
    """What the buffer held when the editor closed, and how the editor exited."""

    text: str
    status: int
    raw: bytes | None = None  # the file's bytes, when they aren't UTF-8 (text then shows U+FFFD for them)
    hung_up: bool = False  # the terminal closed while the editor ran: the person never chose to save

    @property
    def ok(self) -> bool:
        return self.status == 0 and not self.hung_up

    @property
    def interrupted(self) -> bool:
        """The editor was stopped by Ctrl-C rather than closed."""
        return self.status in (-signal.SIGINT, 128 + signal.SIGINT)


class Leftover(NamedTuple):
    """An editor folder from a session that ended without cleaning up (a crash or a closed terminal)."""

    folder: Path
    text: str
    raw: bytes | None = None  # the file's bytes, when they aren't UTF-8

    @property
    def details(self) -> Path | None:
        """The command's details, sealed, if the session got as far as writing them (a file of ours)."""
        path = self.folder / DETAILS_NAME
        return path if owned(path, stat.S_IFREG, closed=0) else None

    def discard(self) -> bool:
        """Remove the folder; whether the words are gone (the folder removed, or left holding none)."""
        _remove(self.folder)
        return not os.path.lexists(self.folder) or _blank(_read_latest(self.folder, strict=True)[0])


def editor_command(env: Mapping[str, str], configured: str | None = None) -> list[str]:
    """$VISUAL, else $EDITOR, else the config file's editor, else the first of nano, vim, vi on PATH.

    vim gets privacy flags (no swap, backup or viminfo files holding the words).
    """
    return _editor(env, configured)[0]


def available(env: Mapping[str, str], configured: str | None = None) -> bool:
    """Whether there is an editor to open: named in $VISUAL, $EDITOR or the config, or nano, vim or vi."""
    named = any(env.get(name, "").strip() for name in ("VISUAL", "EDITOR")) or bool(
        (configured or "").strip()
    )
    return named or any(shutil.which(e, path=env.get("PATH")) for e in _FALLBACK_EDITORS)


def _editor(env: Mapping[str, str], configured: str | None = None) -> tuple[list[str], str]:
    """The editor's command line, and its kind: "vim", "nano" or "other" (for saying how to leave it)."""
    chosen = [(f"${name}", env.get(name, ""), f"export {name}=nano") for name in ("VISUAL", "EDITOR")]
    chosen.append(("config file's editor", configured or "", "recovery-journal config set editor nano"))
    for source, value, example in chosen:
        if value.strip():
            try:
                argv = shlex.split(value)
            except ValueError:
                raise EditorFailed(
                    f"The {source} can't be read as a command (a quote isn't closed).",
                    hint=f"Check it, for example: {example}",
                ) from None
            if argv:
                break
    else:
        found = next((e for e in _FALLBACK_EDITORS if shutil.which(e, path=env.get("PATH"))), None)
        if found is None:
            raise EditorFailed(
                "No text editor was found.",
                hint="Set $EDITOR (for example: export EDITOR=nano) or "
                "`recovery-journal config set editor nano`, "
                "or type the entry here: recovery-journal write --inline",
            )
        argv = [found]
    if _is_vim(argv[0], env):
        return [argv[0], *_VIM_PRIVATE, *argv[1:]], "vim"
    found = shutil.which(argv[0], path=env.get("PATH"))
    names = {Path(argv[0]).name, Path(os.path.realpath(found)).name if found else ""}
    return argv, "nano" if any(_NANO_NAMES.match(n) for n in names) else "other"


def _is_vim(program: str, env: Mapping[str, str]) -> bool:
    """Whether `program` is vim or neovim under any of their names, following links (vi -> vim.basic)."""
    found = shutil.which(program, path=env.get("PATH"))
    if found is None:
        return False
    real = Path(os.path.realpath(found)).name
    if _VIM_NAMES.match(real):
        return True
    # A binary called vi may be vim (macOS, some distributions) or a vi that keeps no history and knows none
    # of vim's flags (nvi, BSD vi; busybox shows up as "busybox" above): ask it.
    return real == "vi" and _says_vim(found)


def _says_vim(path: str) -> bool:
    """A binary installed under the name vi: is it vim? (Its --version says so.)"""
    try:
        done = subprocess.run(  # noqa: S603 - the person's own editor, asked only its version
            [path, "--version"],
            capture_output=True,
            timeout=2,
            check=False,
            stdin=subprocess.DEVNULL,
            env=for_children(os.environ),
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.stdout.startswith((b"VIM - Vi IMproved", b"NVIM"))


def private_root(root: Path) -> Path:
    """Create (or check) the per-user scratch folder: ours, not a symlink, 0700."""
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        unsafe = _unsafe(root)
    except OSError as exc:
        raise StorageProblem(
            f"A private folder for editing couldn't be made at {root}.",
            hint="Check the disk, or set XDG_RUNTIME_DIR to a private folder.",
        ) from exc
    if unsafe:
        raise StorageProblem(
            f"{root} {unsafe}, so it isn't safe for editing, and nothing was written there.",
            hint="Set XDG_RUNTIME_DIR to a folder only you can open; recovery-journal makes its own inside.",
        )
    return root


def _unsafe(root: Path) -> str | None:
    """Why `root` can't hold editor files, or None: it is ours, a real folder, and (now) 0700."""
    found = root.lstat()
    if stat.S_ISLNK(found.st_mode) or not stat.S_ISDIR(found.st_mode):
        return "isn't a plain folder"
    if not yours(found):
        return "belongs to another user account"
    if stat.S_IMODE(found.st_mode) & 0o077:  # ours, but looser than it should be
        root.chmod(0o700)
    return None


class Session:
    """One editing session: a private folder holding one file, removed when the session ends."""

    def __init__(self, folder: Path, env: Mapping[str, str], configured: str | None = None) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self.env = env
        self.configured = configured  # the config file's editor, for when $VISUAL and $EDITOR are unset
        self.kept = False

    def run(self, initial: str, announce: Announce | None = None) -> Edited:
        """Open the editor on `initial`; return what was in the buffer when it closed."""
        argv, kind = _editor(self.env, self.configured)
        if not self.path.exists():
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(initial)
        if announce is not None and shutil.which(argv[0], path=self.env.get("PATH")) is not None:
            announce(Path(argv[0]).name, kind)  # how to leave it, only for an editor that will open
        # Ctrl-C belongs to the editor now: ours only notes it. A caught signal (unlike an ignored one) is
        # reset for the editor when it starts, so an editor that doesn't handle Ctrl-C itself can be stopped.
        # A hang-up (the terminal closed) is noted too: we outlive it, so the words can be sealed at once.
        hangups: list[int] = []
        previous = signal.signal(signal.SIGINT, _note_interrupt)
        previous_hup = _catch_hangup(hangups)
        try:
            # The person's own editor, without the passphrase variables in its environment.
            status = subprocess.call([*argv, str(self.path)], env=for_children(os.environ))  # noqa: S603
        except OSError:
            raise EditorFailed(
                f"The editor '{argv[0]}' couldn't be started.",
                hint="Check $VISUAL / $EDITOR (or `recovery-journal config set editor nano`), or type the "
                "entry here instead: recovery-journal write --inline",
            ) from None
        finally:
            signal.signal(signal.SIGINT, previous)
            if previous_hup is not None:
                signal.signal(signal.SIGHUP, previous_hup)
        hung_up = bool(hangups) or status in (-signal.SIGHUP, 128 + signal.SIGHUP)
        text, raw = _read_latest(self.folder) if hung_up else _read(self.path)
        return Edited(text=text, status=status, raw=raw, hung_up=hung_up)

    def keep(self) -> Path:
        """Leave the file in place: the last resort when the words could be saved nowhere else."""
        self.kept = True
        return self.path


@contextlib.contextmanager
def session(root: Path, tag: str, env: Mapping[str, str], configured: str | None = None) -> Iterator[Session]:
    """A private editing session for the journal named by `tag`; cleaned up however it ends."""
    folder = Path(tempfile.mkdtemp(prefix=f"edit-{tag}-{os.getpid()}-", dir=private_root(root)))
    current = Session(folder, env, configured)
    try:
        yield current
    finally:
        if not current.kept:
            _remove(folder)


def _note_interrupt(signum: int, frame: object) -> None:
    """Ctrl-C while the editor runs: the editor decides what it means; we wait for it to close."""


def _catch_hangup(noted: list[int]) -> Any:
    """Note a hang-up instead of dying of it; the previous handler, or None where there is no SIGHUP."""
    if not hasattr(signal, "SIGHUP"):
        return None
    return signal.signal(signal.SIGHUP, lambda signum, frame: noted.append(signum))


def _read(path: Path, *, strict: bool = False) -> tuple[str, bytes | None]:
    """The file as text, and its bytes too when they aren't UTF-8 (so nothing is silently replaced).

    `strict` (for what a crash left): only a regular file of ours, never through a link.
    """
    try:
        raw = _read_ours(path) if strict else path.read_bytes()
    except FileNotFoundError:
        return "", None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace").removeprefix("\ufeff"), raw


def _read_ours(path: Path) -> bytes:
    """A regular file of ours, opened without following a link; FileNotFoundError for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:  # a link (ELOOP), or gone
        raise FileNotFoundError(path) from None
    with os.fdopen(fd, "rb") as handle:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode) or not yours(found):
            raise FileNotFoundError(path)
        return handle.read()


def _read_latest(folder: Path, *, strict: bool = False) -> tuple[str, bytes | None]:
    """After a hang-up or a crash: nano's rescue file if it left one (newer than its last save), else ours."""
    rescued = _read(folder / _NANO_RESCUE, strict=strict)
    return rescued if not _blank(rescued[0]) else _read(folder / FILE_NAME, strict=strict)


def _blank(text: str) -> bool:
    """No words: only spaces, or the zeros a removal that couldn't finish wrote over them."""
    return not text.replace("\0", "").strip()


def leftovers(root: Path, tag: str) -> list[Leftover]:
    """Editor folders of this journal whose process is gone; empty ones are removed on the spot.

    Only in a scratch folder that is ours and private, and only folders and files of ours, never through a
    link: anything else there was put by someone else, and is left alone.
    """
    try:
        if _unsafe(root):
            return []
    except OSError:  # not there (nothing to find), or can't be checked
        return []
    found: list[Leftover] = []
    for folder in root.glob(f"edit-{tag}-*"):
        parts = folder.name.split("-")
        if len(parts) < 4 or not parts[2].isdigit() or process_alive(int(parts[2])):
            continue
        if not owned(folder, stat.S_IFDIR, closed=0):
            continue
        text, raw = _read_latest(folder, strict=True)
        if not _blank(text):
            found.append(Leftover(folder=folder, text=text, raw=raw))
        else:
            _remove(folder)
    return found


def _remove(folder: Path) -> None:
    """Overwrite, then delete, every file in an editor folder (swap and backup files included)."""
    if not folder.exists():
        return
    for child in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if child.is_file() and not child.is_symlink():
                size = child.stat().st_size
                with child.open("r+b") as handle:
                    handle.write(b"\0" * size)
                    handle.flush()
                    os.fsync(handle.fileno())
    shutil.rmtree(folder, ignore_errors=True)
