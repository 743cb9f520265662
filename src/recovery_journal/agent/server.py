"""The session agent: holds one journal's data key in memory and gives it only to the same user's processes.

Started by `unlock` as `python -m recovery_journal.agent.server`, told what to hold through its stdin pipe,
detached once listening. It ends on `lock`, when idle or out of time, and when the journal is replaced
("Unlocked session" in docs/encryption.md). It never touches the journal itself, and imports little, so it
starts fast and holds nothing but the key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import os
import signal
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sealing.hardening import harden_process, lock_memory, wipe
from . import wire

TICK = 1.0  # seconds between checks that the journal file and the socket are still the ones served


class _Stop(Exception):
    """A signal asked the agent to end."""


@dataclass
class Holding:
    """What the agent holds, and until when."""

    key: bytearray = field(repr=False)
    identity: str
    file: tuple[int, int]
    db: Path
    sock: Path
    idle: float
    lifetime: float
    started: float = field(default_factory=time.monotonic)
    last_use: float = field(default_factory=time.monotonic)

    def deadline(self) -> float:
        """The monotonic time it ends: at its lifetime, or sooner once unused for `idle` seconds."""
        return min(self.started + self.lifetime, self.last_use + self.idle)

    def times(self) -> dict[str, float]:
        """Its deadlines as wall-clock times, for `status`."""
        now, wall = time.monotonic(), time.time()
        return {
            "until": round(wall + self.started + self.lifetime - now, 3),
            "idle_until": round(wall + self.last_use + self.idle - now, 3),
        }


def holding_from(message: dict[str, Any]) -> Holding:
    """The hand-over frame, checked; WireError if anything in it is missing or malformed."""
    try:
        key = bytearray(base64.b64decode(str(message["key"]), validate=True))
        holding = Holding(
            key=key,
            identity=str(message["identity"]),
            file=(int(message["file"][0]), int(message["file"][1])),
            db=Path(str(message["db"])),
            sock=Path(str(message["socket"])),
            idle=float(message["idle"]),
            lifetime=float(message["lifetime"]),
        )
    except (KeyError, IndexError, TypeError, ValueError, binascii.Error):
        raise wire.WireError("a hand-over that doesn't read") from None
    if message.get("op") != "hold" or len(key) != 32 or holding.idle <= 0 or holding.lifetime <= 0:
        raise wire.WireError("a hand-over that doesn't read")
    return holding


def still_serving(holding: Holding, listening: tuple[int, int]) -> bool:
    """Whether the journal file is the one unlocked, and the socket still ours and private.

    Private as clients judge it (wire.trusted): a client that won't use the session must not find it still
    holding the key.
    """
    try:
        same = wire.file_of(holding.db) == holding.file and wire.socket_file(holding.sock) == listening
    except OSError:
        return False
    return same and wire.trusted(holding.sock)


def answer(
    holding: Holding, request: dict[str, Any], listening: tuple[int, int]
) -> tuple[dict[str, Any], bool]:
    """The reply to one request from a process of the same user, and whether the agent ends after it."""
    op = request.get("op")
    if op == "key":
        asked = str(request.get("identity", ""))
        file = request.get("file")
        same = (
            hmac.compare_digest(asked.encode(), holding.identity.encode())
            and isinstance(file, list)
            and tuple(file) == holding.file
            and still_serving(holding, listening)
        )
        if not same:  # another journal, or this one under other keys: the key it holds is no longer wanted
            return {"ok": False}, True
        holding.last_use = time.monotonic()
        key = base64.b64encode(bytes(holding.key)).decode("ascii")
        return {"ok": True, "key": key, **holding.times()}, False
    if op == "status":
        return {"ok": True, "pid": os.getpid(), "idle": holding.idle, **holding.times()}, False
    if op == "lock":
        return {"ok": True}, True
    raise wire.WireError("an unknown request")


def serve(holding: Holding, listener: socket.socket, listening: tuple[int, int]) -> None:
    """Answer requests until locked, idle, out of time, or the journal or socket is replaced."""
    while True:
        left = holding.deadline() - time.monotonic()
        if left <= 0 or not still_serving(holding, listening):
            return
        listener.settimeout(min(TICK, left))
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(TICK)
            try:
                wire.check_peer(conn)  # before reading a byte: another user gets nothing at all
                reply, ends = answer(holding, wire.receive(conn), listening)
                wire.send(conn, reply)
            except (wire.Unavailable, wire.WireError, OSError):
                continue
        if ends:
            return


def _stop(_signum: int, _frame: object) -> None:
    raise _Stop


def _detach() -> None:
    """Leave the starting command behind: a second fork, so the agent never regains a terminal."""
    if os.fork() > 0:
        os._exit(0)  # noqa: TID251 - the intermediate process of a double fork ends here, by design
    os.chdir("/")


def _quiet_stdio() -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if null > 2:
        os.close(null)


def main() -> None:
    """Take what to hold from stdin, listen, say so on stdout, detach, and serve."""
    harden_process()
    os.umask(0o077)
    try:
        holding = holding_from(wire.read_fd(0))
    except (wire.WireError, OSError):
        return
    lock_memory(holding.key)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listening: tuple[int, int] | None = None
    try:
        try:
            listener.bind(os.fspath(holding.sock))
            listening = wire.socket_file(holding.sock)
            listener.listen(8)
        except OSError:
            return  # the starting command reads no reply, and says the session couldn't start
        if listening is None:
            return
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, _stop)
        _detach()
        with contextlib.suppress(OSError):
            os.write(1, wire.encode({"ok": True, "pid": os.getpid(), **holding.times()}))
        _quiet_stdio()
        with contextlib.suppress(_Stop):
            serve(holding, listener, listening)
    finally:
        wipe(holding.key)
        listener.close()
        with contextlib.suppress(OSError):  # unless another agent has since bound a new socket there
            if listening is not None and wire.socket_file(holding.sock) == listening:
                holding.sock.unlink()


if __name__ == "__main__":
    main()
