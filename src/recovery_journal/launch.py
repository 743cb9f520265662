"""The console command's first step: `--version` answered at once, the key derivation started, then the CLI.

Loading the command line (Typer and every command's options) takes longer than printing a version, so
`recovery-journal --version` (or `-V`) is answered before any of it is imported.

Start-up creates tens of thousands of objects (modules, classes, functions) and frees almost none, so the
cyclic garbage collector, left on, runs about fifty times while a command loads and finds next to nothing:
7 to 8 ms of a `list` or a `search`. It is off until the command line has been read; `cli.root` turns it
back on, with what was loaded set aside (`gc.freeze`) so that later collections in a long command don't walk
it again.

The passphrase's key is derived while the command line loads, for a command sure to need it (`ahead`).
Loading takes a `list` about 70 ms, and only then did the derivation begin: about 110 ms more. Argon2id lets
go of Python's lock while it works, so started first, on a thread of its own, it runs on a second core beside
the loading (crypto.argon2id_ahead). Only a guess is made, from the command's name, the passphrase's source
and the journal file's key slot: the unlock takes the result only when it asks for exactly the same
passphrase, salt and settings, and derives as always otherwise. So the guess decides nothing: it never
raises, prompts, writes, locks or creates a file, and at any doubt it starts nothing. Nor does it start when
- the passphrase is to be typed (the loading is long over by then), comes from
  RECOVERY_JOURNAL_PASSPHRASE_COMMAND (that command is run once, by the unlock), or from a file that isn't a
  regular file (a pipe gives its words once: to the unlock);
- an unlocked session is there to be asked (no key is derived at all);
- the journal file isn't one the unlock would open, or its key slot isn't, or a change to it is still in the
  write-ahead log (perhaps to the key slot itself);
- the command may not open the journal (--help anywhere, `init`, `support`, `doctor`, `stage guess`, ...).
The process is hardened (no core files, not dumpable) before the passphrase is read, as `cli.root` does.

An import with no journal there yet makes one (not with --dry-run), and its passphrase slot's key is derived
ahead the same way, with a salt drawn for it then (crypto.argon2id_ahead_fresh); making the slot takes that
salt and the key only for exactly that passphrase and cost (crypto.fresh_salt), else draws a salt of its own
as always. The import waits for it to end before reading its file (crypto.finish_ahead), so Argon2id's
64 MiB never sit on top of what the file's check holds: a 50,000-entry jrnl import peaked at 99.4 to 99.8 MiB
with the derivation after that check, and at 97.3 to 97.6 this way.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping, Sequence  # loaded with the interpreter already: `typing` is not

from . import __version__

VERSION_FLAGS = ("--version", "-V")
# Commands that open the journal with its passphrase whenever they run (with no session); for a group, the
# subcommands that do (None in it: the group run with none). Each is tested to.
NEEDS_KEY: dict[str, frozenset[str | None] | None] = {
    **dict.fromkeys(
        (
            "write", "list", "show", "edit", "delete", "history", "search", "tags", "timeline", "progress",
            "calendar", "on-this-day", "share", "export", "unlock",
        )
    ),
    "stage": frozenset({None, "show", "set", "relearn", "review"}),  # not `guess`: it reads no journal
    "milestone": frozenset({"add", "list", "edit", "delete"}),
    "counter": frozenset({"start", "list", "reset", "delete"}),
    "import": frozenset({"json", "jrnl", "dayone"}),
}  # fmt: skip
_JOURNAL = ("-j", "--journal")
# Of those, the commands that make a journal when there is none yet, its passphrase from the same source.
MAKES_JOURNAL = frozenset({"import"})


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:2] and sys.argv[1] in VERSION_FLAGS:
        sys.stdout.write(f"recovery-journal {__version__}\n")
        return
    gc.disable()  # until the command line has been read (see the module's docstring)
    ahead(sys.argv[1:], os.environ)
    from .cli import main as run

    run()


def ahead(argv: Sequence[str], env: Mapping[str, str]) -> bool:
    """Start deriving the key `argv` (the command line after the program's name) will unlock with, when it
    surely will; whether it was started."""
    if "--help" in argv or "-h" in argv:
        return False
    found = _command(argv)
    if found is None or found[0] not in NEEDS_KEY:
        return False
    subcommands = NEEDS_KEY[found[0]]
    if subcommands is not None and found[1] not in subcommands:
        return False
    try:
        return _ahead(found[2], env, creates=found[0] in MAKES_JOURNAL and "--dry-run" not in argv)
    except Exception:  # a guess only: whatever is wrong, the unlock meets it and says so
        return False


def _command(argv: Sequence[str]) -> tuple[str, str | None, str | None] | None:
    """The command's name, the word after it when that isn't an option (a group's subcommand), and the
    --journal given before it; None for anything less plain."""
    journal = None
    words = iter(argv)
    for word in words:
        if word in _JOURNAL:
            folder = next(words, None)
            if not folder:
                return None
            journal = folder
        elif word.startswith("--journal="):
            journal = word.removeprefix("--journal=")
        elif word.startswith("-"):
            return None
        else:
            after = next(words, None)
            return word, None if after is None or after.startswith("-") else after, journal
    return None


def _ahead(journal: str | None, env: Mapping[str, str], *, creates: bool = False) -> bool:
    # Only what this needs is loaded before the derivation starts: a millisecond here is one more at the end.
    import sqlite3
    import stat
    from contextlib import closing
    from pathlib import Path

    from .agent import wire
    from .paths import resolve_home
    from .sealing import passphrase as sources
    from .sealing.hardening import harden_process
    from .storage import store

    source = sources.source_name(env)
    if source is None or source == sources.PREFIX + sources.CURRENT[1]:  # typed, or a command's to run
        return False
    paths = resolve_home(None if journal is None else Path(journal), env)
    if os.path.lexists(wire.socket_path(paths, env)):  # an unlocked session (as agent.client.listening)
        return False
    from .sealing import crypto, vault

    salt: bytes | None = None  # None: a new journal's, drawn fresh (the key derived is its passphrase slot's)
    if creates and not any(os.path.lexists(path) for path in (paths.db, *paths.sidecars())):
        from .settings import kdf_for_new_slots

        params = kdf_for_new_slots(env)
    else:
        store.check_journal_file(paths.db)  # ours, or the unlock refuses it before deriving anything
        wal = paths.sidecars()[0]
        if wal.exists() and wal.stat().st_size:  # a change not yet in the file, perhaps to the key slot
            return False
        # Read as a file that doesn't change (immutable): no lock taken, no -wal or -shm made, no waiting.
        with closing(sqlite3.connect(f"{paths.db.as_uri()}?mode=ro&immutable=1", uri=True)) as con:
            salt, params = vault.passphrase_salt(con)  # checked as the unlock checks the slot
    if source == sources.PREFIX + sources.CURRENT[0] and not stat.S_ISREG(
        Path(env[source]).expanduser().stat().st_mode
    ):
        return False  # a pipe or a FIFO gives the passphrase once: to the unlock
    harden_process()  # as cli.root does, before any secret is read: no core file could hold it
    secret = sources.from_environment(env)
    if not secret or not secret.strip():
        return False
    if salt is None:
        return crypto.argon2id_ahead_fresh(crypto.passphrase_bytes(secret), params)
    return crypto.argon2id_ahead(crypto.passphrase_bytes(secret), salt, params)
