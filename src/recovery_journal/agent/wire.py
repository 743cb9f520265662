"""The session's wire: its private folder, socket names, identity, frames, and who is at the other end.

Implements "Unlocked session" in docs/encryption.md. Only the standard library and paths.py, so the agent
process starts fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import struct
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..paths import JournalPaths, owned, scratch_root

if TYPE_CHECKING:  # the socket module is loaded only when a session is used: most commands have none
    import socket

MAGIC = b"RJAG"
VERSION = 1
MOST = 4096  # bytes of JSON in one frame
_HEADER = struct.Struct(">4sBI")
SOCKET_SUFFIX = ".sock"
# Longest socket path the platforms we run on take (sun_path is 108 bytes on Linux, 104 on macOS, with a NUL).
LONGEST_SOCKET_PATH = 103
_PEERCRED = struct.Struct("3i")  # Linux struct ucred: pid, uid, gid
_LOCAL_PEERCRED = 0x001  # macOS, at level SOL_LOCAL (0): struct xucred
_XUCRED_VERSION = 0


class Unavailable(Exception):
    """No session can be used, for the reason given. `unlock` says it; every other command quietly asks."""


class WireError(Exception):
    """A frame that isn't ours, or a connection that ended early."""


def folder(env: Mapping[str, str]) -> Path:
    """The sessions folder inside the per-user scratch folder (named, not created or checked)."""
    return scratch_root(env) / "sessions"


def socket_path(paths: JournalPaths, env: Mapping[str, str]) -> Path:
    """Where the agent for this journal listens: named by a hash of the journal file's real path."""
    real = os.path.realpath(paths.db)
    digest = hashlib.sha256(b"recovery-journal/v1/session\x1f" + os.fsencode(real)).hexdigest()[:16]
    return folder(env) / f"{digest}{SOCKET_SUFFIX}"


def identity(journal_id: str, generation: int, salts: Iterable[bytes]) -> str:
    """Which journal, under which keys: another passphrase, recovery code or data key gives another."""
    digest = hashlib.sha256(b"recovery-journal/v1/session-identity")
    for part in (journal_id.encode("utf-8"), str(generation).encode("ascii"), *salts):
        digest.update(len(part).to_bytes(4, "big") + part)
    return digest.hexdigest()


def file_of(path: Path) -> tuple[int, int]:
    """The (device, inode) of a file, which a replaced file doesn't keep."""
    found = path.stat()
    return found.st_dev, found.st_ino


def trusted(sock: Path) -> bool:
    """Whether this socket, and the two folders above it, are the person's own and private.

    Clients ask for the key only then, and the agent ends as soon as it stops being so: one check for both.
    """
    sessions = sock.parent
    return (
        owned(sessions.parent, stat.S_IFDIR) and owned(sessions, stat.S_IFDIR) and owned(sock, stat.S_IFSOCK)
    )


def ours(sock: Path) -> bool:
    """Whether this is a socket of the person's own (not a link), private or not: one they may ask to lock."""
    return owned(sock, stat.S_IFSOCK, closed=0)


def socket_file(sock: Path) -> tuple[int, int] | None:
    """The (device, inode) of the socket itself (not through a link), or None when nothing is there."""
    try:
        found = os.lstat(sock)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def prepare(sock: Path) -> None:
    """Make the scratch and sessions folders 0700 if they aren't there; refuse ones that aren't ours."""
    if len(os.fsencode(sock)) > LONGEST_SOCKET_PATH:
        raise Unavailable(f"the folder for it, {sock.parent}, has too long a path for a socket")
    for place in (sock.parent.parent, sock.parent):
        try:
            place.mkdir(0o700)
        except FileExistsError:
            pass
        except OSError as exc:
            raise Unavailable(f"its folder {place} couldn't be made ({exc.strerror})") from None
        try:
            found = os.lstat(place)
        except OSError as exc:
            raise Unavailable(f"its folder {place} couldn't be checked ({exc.strerror})") from None
        if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid():
            raise Unavailable(f"{place} isn't a folder of your own")
        if stat.S_IMODE(found.st_mode) & 0o077:  # ours, but looser than it should be
            try:
                place.chmod(0o700)
            except OSError as exc:
                raise Unavailable(f"{place} couldn't be made private ({exc.strerror})") from None


def remove_stale(sock: Path, seen: tuple[int, int] | None) -> None:
    """Remove a socket no agent answers on any more (one that was killed, or is silent), if it is ours and
    still the one `seen` before connecting: a new agent may have bound a new socket there meanwhile."""
    if seen is not None and ours(sock) and socket_file(sock) == seen:
        with contextlib.suppress(OSError):
            sock.unlink()


def listened_on(sock: Path) -> bool:
    """Whether something accepts connections at `sock` now (nothing is sent)."""
    import socket

    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.settimeout(0.2)
        probe.connect(os.fspath(sock))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def encode(message: Mapping[str, Any]) -> bytes:
    body = json.dumps(dict(message), sort_keys=True, separators=(",", ":")).encode("utf-8")
    if len(body) > MOST:
        raise WireError("message too long")
    return _HEADER.pack(MAGIC, VERSION, len(body)) + body


def decode_header(header: bytes) -> int:
    """The length of the body that follows a frame's header; WireError if it isn't our frame."""
    if len(header) != _HEADER.size:
        raise WireError("cut short")
    magic, version, length = _HEADER.unpack(header)
    if magic != MAGIC or version != VERSION or length > MOST:
        raise WireError("not a session frame")
    return int(length)


def decode_body(body: bytes) -> dict[str, Any]:
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise WireError("not JSON") from None
    if not isinstance(message, dict):
        raise WireError("not a JSON object")
    return message


def send(conn: socket.socket, message: Mapping[str, Any]) -> None:
    conn.sendall(encode(message))


def receive(conn: socket.socket) -> dict[str, Any]:
    """One frame from a socket (within its timeout); WireError if it isn't one."""
    length = decode_header(_exactly(conn.recv, _HEADER.size))
    return decode_body(_exactly(conn.recv, length))


def read_fd(fd: int) -> dict[str, Any]:
    """One frame from a pipe."""
    length = decode_header(_exactly(lambda n: os.read(fd, n), _HEADER.size))
    return decode_body(_exactly(lambda n: os.read(fd, n), length))


def _exactly(read: Any, count: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < count:
        chunk = read(count - len(chunks))
        if not chunk:
            raise WireError("cut short")
        chunks += chunk
    return bytes(chunks)


def uid_from_ucred(raw: bytes) -> int:
    """The uid in Linux's struct ucred (SO_PEERCRED)."""
    if len(raw) != _PEERCRED.size:
        raise Unavailable("the other process's user couldn't be read")
    return int(_PEERCRED.unpack(raw)[1])


def uid_from_xucred(raw: bytes) -> int:
    """The uid in macOS's struct xucred (LOCAL_PEERCRED): version, then uid."""
    if len(raw) < 8 or struct.unpack_from("=I", raw, 0)[0] != _XUCRED_VERSION:
        raise Unavailable("the other process's user couldn't be read")
    return int(struct.unpack_from("=I", raw, 4)[0])


def peer_uid(conn: socket.socket) -> int:
    """The user id of the process at the other end, from the kernel; Unavailable where it can't be read."""
    import socket

    try:
        if hasattr(socket, "SO_PEERCRED"):
            return uid_from_ucred(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size))
        if sys.platform == "darwin":
            return uid_from_xucred(conn.getsockopt(0, _LOCAL_PEERCRED, 76))
    except OSError:
        raise Unavailable("the other process's user couldn't be read") from None
    raise Unavailable("this system can't tell which user is at the other end of a socket")


def same_user(uid: int) -> bool:
    return uid == os.getuid()


def check_peer(conn: socket.socket) -> None:
    """Refuse a process of another user at the other end (or one whose user can't be read)."""
    if not same_user(peer_uid(conn)):
        raise Unavailable("another user's process is at the other end")
