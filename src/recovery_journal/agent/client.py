"""Talking to a journal's session agent: start one, ask it for the key, ask how long it lasts, end it.

Implements "Unlocked session" in docs/encryption.md. Asking never fails loudly: any problem is `Unavailable`,
and the journal is opened with the passphrase as if there were no session.
"""

from __future__ import annotations

import base64
import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import JournalError
from ..paths import JournalPaths
from ..sealing import capture, crypto, vault
from ..sealing.passphrase import for_children
from ..storage import queries
from . import wire
from .wire import Unavailable as Unavailable  # what callers catch

ASK_TIMEOUT = 0.2  # seconds: a session that doesn't answer at once is passed over for the passphrase
ENDING_TIMEOUT = 2.0  # seconds for an agent told to lock to remove its socket (it checks each second)
START_TIMEOUT = 10.0  # seconds for a new agent to say it is listening


class Session(NamedTuple):
    """An agent holding a journal's key: until when at most, and until when if left unused."""

    until: datetime
    idle_until: datetime
    idle_seconds: float
    pid: int


def listening(paths: JournalPaths, env: Mapping[str, str]) -> bool:
    """Whether a socket for this journal is there to ask (cheap: no journal opened, nothing created)."""
    return os.path.lexists(wire.socket_path(paths, env))


def identity_of(con: sqlite3.Connection) -> str:
    """The journal's identity as it is now: its id, key generation and both key slots' salts."""
    salts = []
    for kind in (vault.SLOT_PASSPHRASE, vault.SLOT_RECOVERY):
        slot = queries.key_slot(con, kind)
        salts.append(b"" if slot is None else slot[1])
    return wire.identity(vault.journal_id(con), vault.generation(con), salts)


def keys(con: sqlite3.Connection, paths: JournalPaths, env: Mapping[str, str]) -> vault.Keys:
    """The journal's keys from its session agent; Unavailable for any reason not to use it."""
    try:
        file = wire.file_of(paths.db)
        jid = vault.journal_id(con)
        ask = {"op": "key", "identity": identity_of(con), "file": list(file)}
        generation = vault.generation(con)
    except (OSError, sqlite3.Error, JournalError):
        raise Unavailable("the journal's identity couldn't be read") from None
    reply = _ask(paths, env, ask)
    try:
        data_key = base64.b64decode(str(reply["key"]), validate=True)
    except (KeyError, ValueError):
        raise Unavailable("the agent's answer doesn't read") from None
    found = vault.Keys(journal_id=jid, data_key=data_key, generation=generation)
    try:  # the key must open what only this journal's key opens, before anything is sealed with it
        capture.private_key(con, found.fields(), jid)
    except (crypto.InvalidCiphertext, ValueError):
        raise Unavailable("the agent's key doesn't open this journal") from None
    return found


def status(paths: JournalPaths, env: Mapping[str, str]) -> Session | None:
    """The session for this journal, or None when it is locked.

    An agent whose socket or folders stopped being private is still asked (it is ending, but holds the key
    until it notices): saying "locked" then would not be true.
    """
    try:
        reply = _ask(paths, env, {"op": "status"}, loose=True)
        return Session(
            until=_when(reply["until"]),
            idle_until=_when(reply["idle_until"]),
            idle_seconds=float(reply["idle"]),
            pid=int(reply["pid"]),
        )
    except (Unavailable, KeyError, TypeError, ValueError):
        return None


def end(paths: JournalPaths, env: Mapping[str, str]) -> bool | None:
    """End this journal's session if there is one. Never raises.

    True when one was running and has ended, False when none was, None when it can't be confirmed: something
    is at the socket's place that couldn't be asked to lock, nor removed. An agent whose socket or folders
    stopped being private is asked all the same, as long as the socket is the person's own. An agent that
    doesn't answer is locked out anyway: its socket is removed, so nothing can reach it, and it ends itself
    within a second of noticing.
    """
    sock = wire.socket_path(paths, env)
    seen = wire.socket_file(sock)
    if seen is None:
        return False
    try:
        _ask(paths, env, {"op": "lock"}, loose=True)
    except Unavailable:
        wire.remove_stale(sock, seen)  # a killed agent's socket, or a silent one's: nothing reaches it now
        return None if wire.socket_file(sock) == seen else False
    _until_removed(sock, seen)
    return True


def _until_removed(sock: Path, seen: tuple[int, int]) -> None:
    """Wait (briefly) for an agent told to lock to remove its socket, so "locked" is true when it is said."""
    waited = 0.0
    while wire.socket_file(sock) == seen and waited < ENDING_TIMEOUT:
        time.sleep(0.01)
        waited += 0.01


def start(
    paths: JournalPaths,
    env: Mapping[str, str],
    held: vault.Keys,
    con: sqlite3.Connection,
    *,
    idle: float,
    lifetime: float,
) -> Session:
    """Start an agent holding `held` for this journal (ending any earlier one); Unavailable if it can't."""
    sock = wire.socket_path(paths, env)
    wire.prepare(sock)
    end(paths, env)
    if os.path.lexists(sock):
        raise Unavailable(f"something that isn't yours is in the way at {sock}")
    try:
        hold = {
            "op": "hold",
            "key": base64.b64encode(held.data_key).decode("ascii"),
            "identity": identity_of(con),
            "file": list(wire.file_of(paths.db)),
            "db": os.path.realpath(paths.db),
            "socket": os.fspath(sock),
            "idle": idle,
            "lifetime": lifetime,
        }
    except (OSError, sqlite3.Error):
        raise Unavailable("the journal's identity couldn't be read") from None
    reply = _spawn(hold, env)
    try:
        return Session(
            until=_when(reply["until"]),
            idle_until=_when(reply["idle_until"]),
            idle_seconds=idle,
            pid=int(reply["pid"]),
        )
    except (KeyError, TypeError, ValueError):
        raise Unavailable("the agent's answer didn't read") from None


def _spawn(hold: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """Run the agent, hand it the key through a pipe, and wait for it to say it is listening."""
    import select
    import subprocess

    try:
        agent = subprocess.Popen(  # this same Python, running our own module
            [sys.executable, "-m", "recovery_journal.agent.server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd="/",
            env=for_children(env),
            start_new_session=True,  # not ended with the terminal that started it, nor by its Ctrl-C
            close_fds=True,
        )
    except OSError as exc:
        raise Unavailable(f"its process couldn't start ({exc.strerror})") from None
    assert agent.stdin is not None and agent.stdout is not None  # noqa: S101 - both asked for above
    try:
        with contextlib.suppress(BrokenPipeError):
            agent.stdin.write(wire.encode(hold))
        with contextlib.suppress(OSError):
            agent.stdin.close()
        ready, _, _ = select.select([agent.stdout], [], [], START_TIMEOUT)
        if not ready:
            raise Unavailable("its process didn't say it was ready")
        try:
            reply = wire.read_fd(agent.stdout.fileno())
        except wire.WireError:
            raise Unavailable("its process stopped before it was ready") from None
    finally:
        agent.stdout.close()
        try:
            agent.wait(timeout=START_TIMEOUT)  # the first of its two forks; the agent itself lives on
        except subprocess.TimeoutExpired:
            agent.kill()
            agent.wait()
    if reply.get("ok") is not True:
        raise Unavailable("its process didn't start")
    return reply


def _ask(
    paths: JournalPaths, env: Mapping[str, str], request: dict[str, Any], *, loose: bool = False
) -> dict[str, Any]:
    """One request to this journal's agent, and its reply; Unavailable for any problem (a dead agent's socket
    is removed).

    `loose` (only for requests that carry and bring back nothing secret: status, lock) asks through a socket
    of the person's own even when it, or a folder above it, is no longer private. The agent's user is checked
    before anything is sent, whichever socket is found there.
    """
    import socket  # here, not above: commands with no session never need it

    sock = wire.socket_path(paths, env)
    if not (wire.trusted(sock) or (loose and wire.ours(sock))):
        raise Unavailable("no private session socket")
    seen = wire.socket_file(sock)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(ASK_TIMEOUT)
        try:
            conn.connect(os.fspath(sock))
        except (ConnectionRefusedError, FileNotFoundError):
            # An agent that was killed left it. A new `unlock` may have put its own there since, even under
            # the same inode number (file systems reuse them at once), so one that listens now stays.
            if not wire.listened_on(sock):
                wire.remove_stale(sock, seen)
            raise Unavailable("no agent is listening") from None
        wire.check_peer(conn)
        wire.send(conn, request)
        reply = wire.receive(conn)
    except (OSError, wire.WireError):
        raise Unavailable("the agent didn't answer") from None
    finally:
        conn.close()
    if reply.get("ok") is not True:
        raise Unavailable("the agent refused")
    return reply


def _when(epoch: Any) -> datetime:
    return datetime.fromtimestamp(float(epoch)).astimezone()
