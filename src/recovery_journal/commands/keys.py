"""Commands for the journal's keys: init, passwd, recover."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ..journal import opening
from ..journal.service import Journal
from ..portability.backup import remove_snapshots
from ..render.output import Output
from . import terminal
from .options import JsonOpt


def show_recovery_code(out: Output, code: str, *, first: bool, journal: Journal) -> None:
    """Show the code; only once it has reached stdout in full is it recorded as shown (docs/encryption.md)."""
    from ..render.keys import show_recovery_code as show  # Rich's Panel, loaded only when a code is shown

    show(out, code, first=first)
    sys.stdout.flush()
    journal.recovery_code_shown()


def code_document(out: Output, kind: str, opened: Journal, code: str | None, **payload: object) -> None:
    """The --json result of a command that may issue a recovery code: recorded as shown once on stdout."""
    out.document(kind, recovery_code=code, **payload)
    if code is not None:
        sys.stdout.flush()
        opened.recovery_code_shown()


def init(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Create a new encrypted journal, with a recovery code for a forgotten passphrase.

    Example: recovery-journal init
    """
    current = terminal.settings(ctx)
    out = Output(as_json)
    created = terminal.create_journal(current, f"Creating a journal at {current.paths.home}")
    code, secret = created.recovery_code, created.passphrase
    if not created.asked and terminal.sounds_short(secret):  # the prompt offers this before confirming
        out.say(
            "A longer passphrase is harder to guess; a few unrelated words work well. "
            "`recovery-journal passwd` changes it any time."
        )
    with created.journal as journal:
        if as_json:
            code_document(
                out, "init", journal, code, journal=str(current.paths.home), weak_kdf=current.kdf.is_weak
            )
            return
        show_recovery_code(out, code, first=True, journal=journal)
    if current.kdf.is_weak:
        out.say(
            "Note: this journal uses the test-only weak key settings (RECOVERY_JOURNAL_TESTONLY_WEAK_KDF).",
            style="yellow",
        )
    out.say(
        f"Your journal is ready at {current.paths.home}. `recovery-journal write` opens your editor "
        "for a first entry.",
        style="green",
    )


def passwd(
    ctx: typer.Context,
    rotate_data_key: Annotated[
        bool,
        typer.Option(
            "--rotate-data-key",
            help="Also re-encrypt every entry under a new key and issue a new recovery code, "
            "for when the old passphrase may be known to someone.",
        ),
    ] = False,
    new_recovery_code: Annotated[
        bool,
        typer.Option(
            "--new-recovery-code",
            help="Replace the recovery code with a new one, shown once (the passphrase stays as it is, "
            "unless --rotate-data-key is given too).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Change your passphrase, or get a new recovery code.

    Without a terminal, the new passphrase comes from RECOVERY_JOURNAL_NEW_PASSPHRASE_FILE,
    RECOVERY_JOURNAL_NEW_PASSPHRASE_COMMAND or RECOVERY_JOURNAL_NEW_PASSPHRASE.

    Example: recovery-journal passwd
    """
    out = Output(as_json)
    opened = terminal.open_journal_with_passphrase(ctx, out, label="Current passphrase")
    with opened.journal as journal:
        if new_recovery_code and not rotate_data_key:
            code = journal.access.new_recovery_code()
            if as_json:
                code_document(out, "passwd", journal, code, **_changed(False, None, 0))
                return
            show_recovery_code(out, code, first=False, journal=journal)
            out.say("Your passphrase is as it was.", style="green")
            return
        secret = terminal.ask_new_passphrase(journal.settings, opened.passphrase)
        if not rotate_data_key:
            journal.access.change_passphrase(secret)
            removed = remove_snapshots(journal)
            if as_json:
                code_document(out, "passwd", journal, None, **_changed(True, None, removed))
                return
            out.say("Passphrase changed. Your recovery code still works.", style="green")
            _say_removed(out, removed)
            return
        count, code = journal.access.rotate_data_key(secret)
        removed = remove_snapshots(journal)
        if as_json:
            code_document(out, "passwd", journal, code, **_changed(True, count, removed))
        else:
            show_recovery_code(out, code, first=False, journal=journal)
    if as_json:
        out.say(OLD_COPIES)
        return
    out.say(
        f"Re-encrypted {count} entr{'y' if count == 1 else 'ies'} under a new key, with the new passphrase.",
        style="green",
    )
    _say_removed(out, removed)
    out.say(OLD_COPIES)


# Said after the data key is rotated, with --json too: it is what the person has left to do.
OLD_COPIES = (
    "Backups or copies made before now still open with the old passphrase or the old recovery code; "
    "make a fresh backup and delete the old ones if that matters."
)


def _changed(passphrase: bool, reencrypted: int | None, removed: int) -> dict[str, object]:
    """What passwd --json reports besides the code: what changed, and the safety copies removed."""
    return {
        "passphrase_changed": passphrase,
        "data_key_rotated": reencrypted is not None,
        "entries_reencrypted": reencrypted,
        "safety_copies_removed": removed,
    }


def _say_removed(out: Output, removed: int) -> None:
    if removed:
        copies = "safety copy" if removed == 1 else "safety copies"
        out.say(
            f"The {removed} {copies} kept before earlier merges would still have opened with the old "
            f"passphrase, so {'it was' if removed == 1 else 'they were'} removed."
        )


def recover(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Set a new passphrase using your recovery code.

    The recovery code opens the journal, and every backup made while it was the journal's code
    (`backup restore FILE --recovery-code`). Without a terminal, the code comes from
    RECOVERY_JOURNAL_RECOVERY_CODE.

    Example: recovery-journal recover
    """
    out = Output(as_json)
    current = terminal.settings(ctx)
    with opening.open_with_recovery_code(current, terminal.recovery_code_prompt()) as journal:
        out.say("That code opened the journal.", style="green")
        secret = terminal.ask_new_passphrase(current)
        new_code = journal.access.reset_after_recovery(secret)
        removed = remove_snapshots(journal)
        if as_json:
            code_document(out, "recover", journal, new_code, safety_copies_removed=removed)
            return
        show_recovery_code(out, new_code, first=False, journal=journal)
    _say_removed(out, removed)
    out.say(
        "Your new passphrase is set. The code you used no longer opens the journal; it still opens the "
        "backups made before today, and the new code opens the journal and every backup made from now on.",
        style="green",
    )
