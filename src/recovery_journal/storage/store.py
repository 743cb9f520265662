"""SQLite storage: file checks, one connection, explicit transactions, and SQLite failures in plain words.

Uses the standard library's sqlite3 directly: importing SQLModel costs more than everything else a command
does after the key derivation, so it stays off the everyday path (see models.py and docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import (
    AlreadyExists,
    Damaged,
    JournalError,
    Locked,
    NewerVersion,
    NoJournal,
    NotAJournal,
    StorageProblem,
    Tampered,
)
from ..paths import NEW_JOURNAL_TMP, JournalPaths
from . import migrations, queries
from .files import fsync_folder, os_error, secure_home, sweep_unfinished

APPLICATION_ID = 0x524A4E4C  # "RJNL"
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_LEN = 100

_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA trusted_schema = OFF",
    "PRAGMA cell_size_check = ON",
    "PRAGMA journal_size_limit = 1048576",
)

FOREIGN_HINT = (
    "Reading still works. Make a backup (`recovery-journal backup create FILE`) and restore it into a new "
    "folder for a clean journal; `recovery-journal doctor` lists what was found."
)
_DAMAGED_HINT = "`recovery-journal doctor` says what can still be done; a backup holds a good copy."


def check_journal_file(db: Path) -> None:
    """Refuse anything that is not a recovery-journal database, without opening or changing it."""
    try:
        with db.open("rb") as handle:
            header = handle.read(HEADER_LEN)
    except FileNotFoundError:
        raise NoJournal(
            f"There's no journal at {db.parent} yet.",
            hint="Create one with `recovery-journal init`, or point --journal at the folder that has yours.",
        ) from None
    except IsADirectoryError:
        raise NotAJournal(f"{db} is a folder, not a journal file.") from None
    except NotADirectoryError:
        raise NotAJournal(
            f"{db.parent} is a file; --journal takes the folder that holds a journal.",
            hint="Nothing was changed. Point --journal at a folder.",
        ) from None
    except OSError as exc:
        raise os_error(exc, db) from None
    if len(header) < HEADER_LEN and header and SQLITE_MAGIC.startswith(header[: len(SQLITE_MAGIC)]):
        raise Damaged(
            f"The journal file at {db} is cut short (only {len(header)} bytes).", hint=_DAMAGED_HINT
        )
    if len(header) < HEADER_LEN or not header.startswith(SQLITE_MAGIC):
        raise NotAJournal(
            f"{db} isn't a recovery-journal file" + (" (it's empty)." if not header else "."),
            hint="Nothing was changed. Point --journal at the folder that holds your journal.",
        )
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise NotAJournal(
            f"{db} is a database, but not one made by recovery-journal.",
            hint="Nothing was changed. Point --journal at the folder that holds your journal.",
        )


def writable(paths: JournalPaths) -> bool:
    """Whether the journal's folder and file can be changed (not a read-only disk or someone else's)."""
    return os.access(paths.home, os.W_OK) and os.access(paths.db, os.W_OK)


def check_new_home(paths: JournalPaths) -> None:
    """Refuse to create a journal where one (or some other file) already is, before asking for anything."""
    try:
        _check_new_home(paths)
    except OSError as exc:  # a folder on the way that isn't open to this user
        raise os_error(exc, paths.home) from None


def _check_new_home(paths: JournalPaths) -> None:
    if paths.home.exists() and not paths.home.is_dir():
        raise NotAJournal(
            f"{paths.home} is a file; --journal takes a folder to keep the journal in.",
            hint="Nothing was changed. Give a folder that doesn't exist yet, or an empty one.",
        )
    if paths.db.exists():
        check_journal_file(paths.db)  # a file that is not a journal says so, not "already a journal"
        raise AlreadyExists(
            f"There's already a journal at {paths.home}.",
            hint="Nothing was changed. Use --journal FOLDER to keep a second journal elsewhere.",
        )


def translate(exc: sqlite3.Error, *, timeout: float = 0.0, where: Path | None = None) -> JournalError:
    """Turn a SQLite failure into the error a person can act on."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    place = f" at {where}" if where else ""
    if primary in (5, 6) or "locked" in text or "busy" in text:
        return Locked(
            f"The journal is busy in another window, and stayed busy for {timeout:g} seconds.",
            hint="Let the other recovery-journal finish, then try again "
            "(RECOVERY_JOURNAL_LOCK_TIMEOUT sets how long to wait).",
        )
    if primary == 13 or "disk is full" in text:
        return StorageProblem(
            f"The disk{place} is full, so the journal couldn't be saved.",
            hint="Free some space, then try again. Nothing already saved was touched.",
        )
    if primary == 8 or "readonly" in text or "read-only" in text:
        return StorageProblem(
            f"The journal{place} can't be written to right now (read-only).",
            hint="Check the disk isn't mounted read-only and the folder belongs to you.",
        )
    if primary == 11 or "malformed" in text:
        return Damaged(f"The journal file{place} is damaged and can't be read as it is.", hint=_DAMAGED_HINT)
    if primary == 26 or "not a database" in text:
        return NotAJournal(f"The file{place} isn't a recovery-journal file.", hint="Nothing was changed.")
    return StorageProblem(
        f"The disk reported a problem with the journal{place}.",
        hint="Check the disk and try again; `recovery-journal doctor` checks the journal.",
    )


def _incomplete(paths: JournalPaths) -> NotAJournal:
    return NotAJournal(
        f"{paths.db} isn't a complete recovery-journal file.",
        hint="Nothing was changed. `recovery-journal doctor` looks closer.",
    )


def _newer() -> NewerVersion:
    return NewerVersion(
        "This journal was made by a newer recovery-journal than this one.",
        hint="Nothing was changed. Upgrade with `pip install --upgrade recovery-journal`.",
    )


def tighten(paths: JournalPaths) -> None:
    """Make the journal folder 0700 (when it is only the journal's) and its files 0600, whatever the umask."""
    secure_home(paths.home)
    for file in [paths.db, *paths.sidecars()]:
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE(file.stat().st_mode) & 0o077:
                file.chmod(0o600)


def _connect(db: Path, timeout: float, read_only: bool = False, full: bool = False) -> sqlite3.Connection:
    mode = "mode=rw"
    wal = db.with_name(db.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    if read_only:
        # Nothing can change a file on a read-only disk, so SQLite may skip its locks, unless a write-ahead
        # log was left behind (a journal copied while open): then it must read that too.
        mode = "mode=ro" if pending else "mode=ro&immutable=1"
    con = sqlite3.connect(f"{db.absolute().as_uri()}?{mode}", uri=True, timeout=timeout, isolation_level=None)
    if full and pending:
        # A full disk can't grow the shared-memory file a write-ahead log needs; exclusive mode keeps that
        # index in this process's memory instead (other windows wait while this one reads).
        con.execute("PRAGMA locking_mode = EXCLUSIVE")
    for pragma in _PRAGMAS:
        con.execute(pragma)
    return con


def disk_full(folder: Path) -> bool:
    """Whether the disk holding `folder` has (next to) no room left."""
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < 64 * 1024


class Store:
    """An open journal database. Writes go through `write()`, reads through `read()`."""

    def __init__(
        self, con: sqlite3.Connection, paths: JournalPaths, timeout: float, read_only: bool = False
    ) -> None:
        self.con = con
        self.paths = paths
        self.timeout = timeout
        self.read_only = read_only  # a read-only disk or folder: reading works, any write is refused
        # Run first in every write transaction, under the lock; raising aborts the write (the journal
        # service checks here that its key is still the journal's: docs/encryption.md, key_generation).
        self.before_write: Callable[[sqlite3.Connection], None] | None = None
        # Run last in every write transaction, just before COMMIT (the service settles its ledger here).
        self.before_commit: Callable[[sqlite3.Connection], None] | None = None
        self.upgraded: list[str] = []  # the migrations this open applied
        self.full = False  # opened for reading only because the disk is full
        # Schema objects someone else added or changed (a trigger could make saves vanish): reading still
        # works, writing is refused. Filled in by open().
        self.foreign: list[str] = []

    def release_memory(self) -> None:
        """Hand back SQLite's page cache (up to 2 MiB; it fills again as pages are read): before a key
        derivation, whose 64 MiB come on top of whatever the process holds."""
        with contextlib.suppress(sqlite3.Error):
            self.con.execute("PRAGMA shrink_memory")

    @classmethod
    def create(
        cls, paths: JournalPaths, timeout: float, build: Callable[[sqlite3.Connection], None]
    ) -> Store:
        """Build a new journal in a temporary file and move it into place whole, or not at all."""
        check_new_home(paths)
        secure_home(paths.home)
        sweep_unfinished(paths.home, NEW_JOURNAL_TMP)
        tmp = paths.home / f"{NEW_JOURNAL_TMP}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            con = _connect(tmp, timeout)
            try:
                con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                con.execute("PRAGMA journal_mode = WAL")
                migrations.upgrade(con)
                con.execute("BEGIN IMMEDIATE")
                build(con)
                con.execute("COMMIT")
            finally:
                con.close()
            _publish(tmp, paths.db)
        except sqlite3.Error as exc:
            raise translate(exc, timeout=timeout, where=paths.home) from None
        except OSError as exc:
            raise os_error(exc, paths.home) from None
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        return cls.open(paths, timeout)

    @classmethod
    def open(cls, paths: JournalPaths, timeout: float) -> Store:
        """Open an existing journal, upgrading its schema if this version knows newer migrations."""
        try:
            return cls._open(paths, timeout)
        except OSError as exc:  # its folder or file isn't open to this user
            raise os_error(exc, paths.home) from None

    @classmethod
    def _open(cls, paths: JournalPaths, timeout: float) -> Store:
        if paths.home.exists() and not paths.home.is_dir():
            raise NotAJournal(f"{paths.home} is a file; --journal takes the folder that holds a journal.")
        check_journal_file(paths.db)
        read_only = not writable(paths)
        if not read_only and disk_full(paths.home):
            return cls._open_full(paths, timeout)
        if not read_only:
            tighten(paths)
        con: sqlite3.Connection | None = None
        try:
            con = _connect(paths.db, timeout, read_only)
            version = migrations.current_version(con)
            if version is None:
                raise _incomplete(paths)
            if read_only and version < migrations.latest_version():
                raise StorageProblem(
                    f"The journal at {paths.home} needs a small upgrade to open, and it's read-only.",
                    hint="Copy the journal folder somewhere you can write, and open the copy.",
                )
            upgraded: list[str] = []
            if not read_only:
                upgraded = migrations.upgrade(con)
                tighten(paths)
                for folder, prefix in paths.unfinished():  # what a killed process left half-written
                    sweep_unfinished(folder, prefix)
            foreign = migrations.foreign_objects(con)
        except sqlite3.Error as exc:
            if con is not None:
                con.close()
            if not read_only and disk_full(paths.home):  # the disk filled up as it opened
                return cls._open_full(paths, timeout)
            raise translate(exc, timeout=timeout, where=paths.home) from None
        except migrations.NewerSchema:
            if con is not None:
                con.close()
            raise _newer() from None
        except JournalError:
            if con is not None:
                con.close()
            raise
        store = cls(con, paths, timeout, read_only)
        store.foreign, store.upgraded = foreign, upgraded
        return store

    @classmethod
    def peek(cls, paths: JournalPaths, timeout: float) -> Store:
        """Open only to read, changing nothing: no upgrade, no sweep, no permissions (for quick capture).

        Unlike a read-only disk's open, it keeps SQLite's locks, so it sees what other windows commit.
        """
        check_journal_file(paths.db)
        con: sqlite3.Connection | None = None
        try:
            uri = f"{paths.db.absolute().as_uri()}?mode=ro"
            con = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
            for pragma in _PRAGMAS:
                con.execute(pragma)
            version = migrations.current_version(con)
            if version is None:
                raise _incomplete(paths)
            if version > migrations.latest_version():
                raise _newer()
        except sqlite3.Error as exc:
            if con is not None:
                con.close()
            raise translate(exc, timeout=timeout, where=paths.home) from None
        except JournalError:
            if con is not None:
                con.close()
            raise
        return cls(con, paths, timeout, read_only=True)

    @classmethod
    def _open_full(cls, paths: JournalPaths, timeout: float) -> Store:
        """On a full disk: open for reading only, so list, show, export and backups to another disk work."""
        con: sqlite3.Connection | None = None
        try:
            con = _connect(paths.db, timeout, read_only=True, full=True)
            if migrations.current_version(con) != migrations.latest_version():
                raise StorageProblem(
                    f"The disk holding the journal at {paths.home} is full, and the journal needs a small "
                    "upgrade to open.",
                    hint="Free some space, then try again. Nothing was changed.",
                )
            foreign = migrations.foreign_objects(con)
        except sqlite3.Error as exc:
            if con is not None:
                con.close()
            raise translate(exc, timeout=timeout, where=paths.home) from None
        except JournalError:
            if con is not None:
                con.close()
            raise
        store = cls(con, paths, timeout, read_only=True)
        store.foreign, store.full = foreign, True
        return store

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.con.close()

    def withdraw(self) -> bool:
        """Close, and take away the journal file if it holds no entries: for one this process has just made,
        when what it was made for failed (an import into it). False, keeping it, if it has any entry."""
        try:
            with self.read() as con:
                empty = queries.entry_count(con) == 0
        except JournalError:
            empty = False  # unreadable now: keep it rather than guess
        self.close()
        if not empty:
            return False
        for made in (self.paths.db, *self.paths.sidecars()):
            try:
                made.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                return False
        for folder in (self.paths.drafts, self.paths.inbox, self.paths.snapshots):
            with contextlib.suppress(OSError):  # only if empty: never anything someone put there
                folder.rmdir()
        return True

    @contextlib.contextmanager
    def write(self, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside is saved together, or nothing is.

        Inside another write it joins that one, so a larger operation (a restore) stays a single transaction.
        With `wait` False, a journal busy in another window is Locked at once (for work that can wait).
        """
        if self.con.in_transaction:
            yield self.con
            return
        if self.full:
            raise StorageProblem(
                f"The disk holding the journal at {self.paths.home} is full, so nothing can be saved to it.",
                hint="Reading still works. Free some space, then try again.",
            )
        if self.read_only:
            raise StorageProblem(
                f"The journal at {self.paths.home} is on a read-only disk or folder, so it can only be read.",
                hint="Reading works as usual. To change it, copy the journal folder somewhere you can write.",
            )
        if self.foreign:
            raise Tampered(
                "The journal file holds something recovery-journal didn't put there "
                f"({self.foreign[0]}), so nothing is written to it.",
                hint=FOREIGN_HINT,
            )
        try:
            if not wait:
                self.con.execute("PRAGMA busy_timeout = 0")
            self.con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, timeout=0 if not wait else self.timeout, where=self.paths.home) from None
        finally:
            if not wait:
                with contextlib.suppress(sqlite3.Error):
                    self.con.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        try:
            if self.before_write is not None:
                self.before_write(self.con)
            yield self.con
            if self.before_commit is not None:
                self.before_commit(self.con)
            self.con.execute("COMMIT")
            # Copy the change into the database file itself now, so a write-ahead log lost or damaged
            # later (a kill, a sync tool copying journal.db alone) can't take an acknowledged save with it.
            # PASSIVE never waits for other windows; what they still read is copied by their own writes.
            with contextlib.suppress(sqlite3.Error):
                self.con.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.con.execute("ROLLBACK")
            if isinstance(exc, sqlite3.IntegrityError) and queries.TAMPERED_MARK in str(exc):
                raise Tampered(
                    "A record this would change isn't as it was last saved (it was changed outside "
                    "recovery-journal), so nothing was changed.",
                    hint="`recovery-journal doctor` names it; a backup holds a good copy.",
                ) from None
            if isinstance(exc, sqlite3.Error):
                raise translate(exc, timeout=self.timeout, where=self.paths.home) from None
            raise

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read with one consistent view of the journal (inside a write, it simply joins that write)."""
        if self.con.in_transaction:
            yield self.con
            return
        try:
            self.con.execute("BEGIN")
            yield self.con
        except sqlite3.Error as exc:
            raise translate(exc, timeout=self.timeout, where=self.paths.home) from None
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.con.execute("COMMIT")


def _publish(tmp: Path, final: Path) -> None:
    """Move a finished file into place without ever replacing an existing journal."""
    try:
        os.link(tmp, final)
    except FileExistsError:
        raise AlreadyExists(
            f"There's already a journal at {final.parent}.", hint="Nothing was changed."
        ) from None
    except OSError:
        if final.exists():
            raise AlreadyExists(f"There's already a journal at {final.parent}.") from None
        tmp.replace(final)
    fsync_folder(final.parent)
