"""The unlocked session, for the commands: hand an unlocked journal's key to an agent, ask how long, lock.

Opening through a session is opening.open_journal(session=True); the agent and its wire are agent/.
"""

from __future__ import annotations

from ..agent import client
from ..agent.client import Session as Session  # what `unlock` and `status` report
from ..errors import StorageProblem
from ..settings import Settings
from .service import Journal

IDLE = 15 * 60  # seconds unused before a session locks itself
LIFETIME = 60 * 60  # seconds a session lasts at most, unless `--for` says otherwise


def hold(journal: Journal, *, idle: float = IDLE, lifetime: float = LIFETIME) -> Session:
    """Keep this journal unlocked: an agent holds its key until `lifetime`, or `idle` seconds unused.

    Any earlier session of this journal ends first. Checked end to end: a command must be able to use it.
    """
    paths, env = journal.settings.paths, journal.settings.env
    try:
        with journal.store.read() as con:
            held = client.start(paths, env, journal.keys, con, idle=idle, lifetime=lifetime)
            client.keys(con, paths, env)
    except client.Unavailable as exc:
        client.end(paths, env)
        raise StorageProblem(
            f"The journal couldn't be kept unlocked: {exc}.",
            hint="Nothing changed; each command asks for your passphrase, as before.",
        ) from None
    return held


def status(settings: Settings) -> Session | None:
    """This journal's session, or None when it is locked."""
    return client.status(settings.paths, settings.env)


def lock(settings: Settings) -> bool | None:
    """End this journal's session; whether one was running (None: something there can't be confirmed gone)."""
    return client.end(settings.paths, settings.env)
