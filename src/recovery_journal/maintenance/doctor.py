"""Health checks for a journal: files and permissions, SQLite integrity, schema, keys, every sealed record."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..domain.words import counted, every, when_saved
from ..errors import Damaged, ExitCode, JournalError, WrongSecret
from ..journal import editor, opening
from ..journal.opening import Ask, AskTry, Told
from ..journal.service import Journal
from ..paths import NEW_JOURNAL_TMP, JournalPaths
from ..sealing import capture, codec, vault
from ..settings import Settings
from ..storage import queries
from ..storage.files import journal_only, os_error

Status = Literal["ok", "note", "problem"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    code: ExitCode = ExitCode.OK


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)

    def add(self, name: str, status: Status, detail: str, code: ExitCode = ExitCode.OK) -> None:
        self.checks.append(Check(name, status, detail, code))

    @property
    def exit_code(self) -> ExitCode:
        """The most serious problem's code; OK when there are only notes."""
        codes = [c.code for c in self.checks if c.status == "problem"]
        for worst in (ExitCode.DAMAGED, ExitCode.TAMPERED, ExitCode.STORAGE):
            if worst in codes:
                return worst
        return codes[0] if codes else ExitCode.OK


def examine(
    settings: Settings, backups: list[Path], ask: AskTry | None, ask_once: Ask | None, told: Told | None
) -> Report:
    """Check the journal and any backups named (`told` hears of drafts made from a crashed editor's words)."""
    report = Report()
    secret: str | None = None
    try:
        opening.require_journal(settings)
        permission_checks(settings.paths, report)
        opened = opening.open_journal(settings, ask, told)
    except Damaged as exc:  # a file SQLite can't read: say so as a finding, and what can still be done
        damaged_file_checks(settings.paths, exc, report)
    else:
        secret = opened.passphrase
        with opened.journal as journal:
            journal_checks(journal, report)
    for path in backups:
        secret = secret if secret is not None else opening.current_passphrase(settings, ask_once)
        backup_check(path, secret, report)
    return report


def permission_checks(paths: JournalPaths, report: Report) -> None:
    """Say where the journal is; report anyone-but-you access to it (run before opening tightens it)."""
    report.add("location", "ok", f"The journal is in {paths.home}.")
    loose: list[str] = []
    shared_home = False
    for path in [paths.home, paths.db, *paths.sidecars()]:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        except OSError as exc:  # not open to this user: opening says so, calmly
            raise os_error(exc, path) from None
        if mode & 0o077 and path == paths.home and not journal_only(path):
            shared_home = True  # someone's folder with other things in it: left as it is
        elif mode & 0o077:
            loose.append(f"{path.name} was {mode:o}")
    if shared_home:
        report.add(
            "folder",
            "note",
            f"{paths.home} holds other things too, so its permissions were left as they are; others may see "
            "that a journal is there, but the journal's own files are readable only by you.",
        )
    if loose:
        report.add(
            "permissions",
            "note",
            f"Others could read some files ({', '.join(loose)}); tightened to you-only.",
        )
    elif not shared_home:
        report.add("permissions", "ok", "Only you can read the journal folder and its files.")


def damaged_file_checks(paths: JournalPaths, problem: JournalError, report: Report) -> None:
    """A journal file SQLite can't read: the finding, and the ways back, without touching the file."""
    report.add("file", "problem", f"{problem.message} Nothing was changed.", ExitCode.DAMAGED)
    report.add(
        "what now",
        "note",
        "Keep this file as it is, and copy it somewhere safe. Your latest backup can be restored into a "
        f"new folder beside it: recovery-journal --journal {paths.home}-restored backup restore FILE",
    )


def journal_checks(journal: Journal, report: Report) -> None:
    if journal.store.full:
        report.add(
            "disk space",
            "problem",
            "The disk holding the journal is full: it opened for reading only, and nothing can be saved.",
            ExitCode.STORAGE,
        )
    con = journal.store.con
    with journal.store.read():
        result = [r[0] for r in con.execute("PRAGMA integrity_check")]
    if result == ["ok"]:
        report.add("integrity", "ok", "SQLite's integrity check passed.")
    else:
        report.add(
            "integrity", "problem", f"SQLite found {len(result)} problem(s) in the file.", ExitCode.DAMAGED
        )

    from ..storage import schema  # the declared schema as data: no SQLModel (42 MiB) in the process

    differences = journal.store.foreign + [
        d for d in schema.differences(con) if d not in journal.store.foreign
    ]
    if differences:
        report.add(
            "schema",
            "problem",
            "The file's tables differ from what this version makes: "
            + "; ".join(differences)
            + (
                ". It is open for reading only; a backup restored into a new folder is a clean copy."
                if journal.store.foreign
                else "."
            ),
            ExitCode.TAMPERED if journal.store.foreign else ExitCode.DAMAGED,
        )
    else:
        report.add("schema", "ok", "The tables are as this version expects.")

    if journal.recovery_code_unseen():
        report.add(
            "recovery code",
            "note",
            "The newest recovery code may never have been shown (a command stopped before it could), "
            "so there may be no working code. `recovery-journal passwd --new-recovery-code` gives a new one.",
        )

    with journal.store.read():
        recovery_slot = queries.key_slot(con, vault.SLOT_RECOVERY)
    if recovery_slot is None:
        report.add(
            "recovery code",
            "problem",
            "The recovery code's key slot is missing, so no recovery code opens the journal. "
            "`recovery-journal passwd --new-recovery-code` makes a new one.",
            ExitCode.TAMPERED,
        )

    with journal.store.read():
        params = vault.passphrase_params(con)
    if params.is_weak:
        report.add(
            "key settings",
            "note",
            f"The passphrase slot uses weak key settings (m={params.memory_kib} KiB, t={params.iterations}), "
            "as made for tests. `recovery-journal passwd` rewrites it with the strong defaults.",
        )
    else:
        report.add(
            "key settings",
            "ok",
            f"Argon2id with {params.memory_kib // 1024} MiB, {params.iterations} passes.",
        )

    _sealed_checks(journal, report)
    capture_checks(journal, report)
    ledger_checks(journal, report)
    index_checks(journal, report)

    kept = journal.drafts.all()
    if kept.unreadable:
        report.add(
            "drafts",
            "problem",
            f"{counted(len(kept.unreadable), 'draft')} couldn't be opened: "
            + ", ".join(str(n) for n, _ in kept.unreadable)
            + ". `recovery-journal drafts discard N` removes one.",
            ExitCode.TAMPERED,
        )
    elif kept.drafts:
        report.add(
            "drafts",
            "note",
            f"{counted(len(kept.drafts), 'kept draft')} {'is' if len(kept.drafts) == 1 else 'are'} waiting; "
            "`recovery-journal drafts` shows "
            f"{'it' if len(kept.drafts) == 1 else 'them'}.",
        )

    unfinished = leftover_files(journal.settings.paths.home)
    if unfinished:
        report.add(
            "unfinished files",
            "note",
            "A journal creation was interrupted and left "
            + ", ".join(p.name for p in unfinished)
            + "; it holds no entries and can be deleted.",
        )

    if editor.leftovers(journal.settings.scratch, journal.settings.paths.tag):
        report.add(
            "editor files",
            "note",
            f"An editor session left words behind in {journal.settings.scratch}. They become a sealed draft "
            "once the journal opens for writing and their folder there can be removed.",
        )


def capture_checks(journal: Journal, report: Report) -> None:
    """The capture key pair, and captures still in the inbox after the open (which brings in all it can)."""
    with journal.store.read() as con:
        whole = capture.key_pair_whole(con, journal.cipher, journal.keys.journal_id)
    left = [p.name for p in capture.waiting(journal.settings.paths.inbox)]
    if whole is False:
        report.add(
            "quick capture",
            "problem",
            "The quick-capture keys don't fit together: captures can't be opened, or were sealed to a key "
            f"that isn't this journal's. {counted(len(left), 'capture')} in the inbox "
            + ("is left as it is." if len(left) == 1 else "are left as they are."),
            ExitCode.TAMPERED,
        )
    elif left:
        report.add(
            "quick capture",
            "problem",
            f"{counted(len(left), 'quick capture')} in the inbox "
            + ("doesn't" if len(left) == 1 else "don't")
            + f" open (damaged, or made for another journal): {', '.join(left)}. "
            + ("It is left as it is." if len(left) == 1 else "They are left as they are."),
            ExitCode.DAMAGED,
        )
    elif whole:
        report.add("quick capture", "ok", "The quick-capture keys fit together; no captures are waiting.")


def index_checks(journal: Journal, report: Report) -> None:
    """The entry index (docs/encryption.md): the same as the entries say, or built again from them."""
    found = journal.check_index()
    if found == "ok":
        report.add("entry index", "ok", "The entry index agrees with every entry.")
    elif found == "rebuilt":
        report.add(
            "entry index",
            "note",
            "The entry index (what listing, search and the overviews read) was out of step with the "
            "entries, so it was built again from them. Nothing in your entries was changed.",
        )
    else:
        report.add(
            "entry index",
            "note",
            "The entry index (what listing, search and the overviews read) is out of step with the "
            "entries; until it is built again, they are read one by one, which is slower but complete. It "
            "is built again the next time the journal opens where it can be changed.",
        )


_LEDGER_NAMES = {
    "entries": "entry",
    "revisions": "earlier version",
    "milestones": "milestone",
    "counters": "counter",
    "key_slots": "key slot",
    "meta": "journal setting",
    "personal_model": "personal stage model",
    "entry_index": "entry index part",
    "entry_words": "search index part",
}


def _named(rows: list[tuple[str, int]]) -> str:
    return ", ".join(f"{_LEDGER_NAMES.get(t, t)} {i}" for t, i in rows[:12]) + (
        " and more" if len(rows) > 12 else ""
    )


def ledger_checks(journal: Journal, report: Report) -> None:
    """The integrity ledger: every record as last saved, none added, removed or put back."""
    with journal.store.read() as con:
        found = journal.ledger.verify(con)
        generation = journal.ledger.generation(con)
    if not found.present:
        report.add(
            "ledger",
            "problem",
            "The journal's integrity record is missing (removed outside recovery-journal, or a command "
            "stopped just after an upgrade), so removed or restored records can't be detected. A backup "
            "restored into a new folder starts a fresh one.",
            ExitCode.TAMPERED,
        )
        return
    if found.clean:
        report.add(
            "ledger",
            "ok",
            f"Every record is as it was last saved ({counted(generation or 0, 'change')} recorded).",
        )
        return
    problems = []
    if found.changed:
        problems.append(
            f"changed outside recovery-journal (an older version put back, or part removed): "
            f"{_named(found.changed)}"
        )
    if found.unknown:
        problems.append(f"added or put back outside recovery-journal: {_named(found.unknown)}")
    if found.missing:
        problems.append(f"removed outside recovery-journal: {_named(found.missing)}")
    if not (found.sum_ok and found.seal_ok):
        problems.append("records were added or removed outside recovery-journal in a way that hides which")
    report.add("ledger", "problem", "; ".join(problems).capitalize() + ".", ExitCode.TAMPERED)


def _sealed_checks(journal: Journal, report: Report) -> None:
    """Open every sealed value of every record: entries, earlier versions, milestones, counters, the model."""
    with journal.store.read() as con:
        bad = codec.unreadable(con, journal.cipher)
        totals = {t: int(con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in codec.SEALED_TABLES}  # noqa: S608
        revisions = int(con.execute("SELECT COUNT(*) FROM revisions").fetchone()[0])
    names = {"entries": "entry", "milestones": "milestone", "counters": "counter"}
    for table, one in names.items():
        label = table
        failed = sorted(set(bad.get(table, [])))
        if failed:
            report.add(
                label,
                "problem",
                f"{len(failed)} of {counted(totals[table], one)} couldn't be opened: "
                + ", ".join(map(str, failed))
                + ". The others are fine.",
                ExitCode.TAMPERED,
            )
        elif totals[table] == 1:
            report.add(label, "ok", f"The one {one} opens and checks out.")
        elif totals[table]:
            report.add(label, "ok", f"{every(totals[table], one)} open and check out.")
        elif table == "entries":
            report.add(label, "ok", "There are no entries yet, so there is nothing to check.")
    failed_history = sorted(set(bad.get("revisions", [])))
    if failed_history:
        report.add(
            "history",
            "problem",
            f"Earlier versions of {'entry' if len(failed_history) == 1 else 'entries'} "
            + ", ".join(map(str, failed_history))
            + " couldn't be opened.",
            ExitCode.TAMPERED,
        )
    elif revisions == 1:
        report.add("history", "ok", "The one earlier version opens and checks out.")
    elif revisions:
        report.add("history", "ok", f"{every(revisions, 'earlier version')} open and check out.")
    else:
        report.add(
            "history", "ok", "No entry has been edited yet, so there are no earlier versions to check."
        )
    if bad.get("personal_model"):
        report.add(
            "personal model",
            "problem",
            "Your personal stage model couldn't be opened; "
            "`recovery-journal stage relearn` rebuilds it from your corrections.",
            ExitCode.TAMPERED,
        )


def backup_check(path: Path, passphrase: str, report: Report) -> None:
    """Authenticate and decode a whole backup with the journal's current passphrase."""
    from ..portability import backup

    name = f"backup {path.name}"
    try:
        incoming = backup.read(path, passphrase)
    except WrongSecret:
        report.add(
            name,
            "note",
            "Doesn't open with the journal's current passphrase (it may be from before a "
            "change); `recovery-journal backup verify` can try another.",
        )
        return
    except JournalError as error:
        report.add(name, "problem", error.message, error.exit_code)
        return
    counts = incoming.counts()
    report.add(
        name,
        "ok",
        f"Opens and is whole: {counted(counts['entries'], 'entry')}, "
        f"made {when_saved(incoming.meta.get('created'))}.",
    )


def leftover_files(home: Path) -> list[Path]:
    """Temporary files a crash during `init` could leave in the journal folder."""
    return sorted(home.glob(f"{NEW_JOURNAL_TMP}*")) if home.is_dir() else []
