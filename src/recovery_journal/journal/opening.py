"""Opening a journal: find it, check the file, get the passphrase, unlock, and keep what a crash left behind.

Passphrases come from the environment (sealing/passphrase.py) or from an `ask` callable the face layer passes
in; `ask` is None when there is no terminal to ask in. Nothing here prompts or prints: what the person should
hear about (words rescued from a crashed editor) comes back as data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import JournalError, PassphraseProblem, WrongSecret
from ..sealing import passphrase as sources
from ..sealing import vault
from ..settings import Settings
from ..storage.store import check_journal_file, check_new_home
from . import editor
from .service import Journal

# Asks once; raises (e.g. typer.Abort on Ctrl-C) rather than return nothing.
Ask = Callable[[], str]
# Asks for the passphrase, told which try this is (1, 2, 3) so it can say "try again" kindly.
AskTry = Callable[[int], str]
# Asks again, told why the last try didn't open (None on the first), so it can say what to check.
AskAgain = Callable[[JournalError | None], str]
# Told the number of each draft made from a crashed editor's words, as soon as it is made, and whether the
# command's details (date, tags...) were found with them and kept too.
Told = Callable[[int, bool], None]
T = TypeVar("T")

PROMPT_TRIES = 3


@dataclass(frozen=True)
class Opened:
    """An unlocked journal, the passphrase that opened it, and drafts made from a crashed editor's words."""

    journal: Journal
    secret: str | None = field(repr=False)  # None when an unlocked session opened it
    rescued: list[int] = field(default_factory=list)
    recovery_code_unseen: bool = False  # a command stopped before showing the newest recovery code
    foreign: list[str] = field(default_factory=list)  # schema objects someone else put in the file
    loose_passphrase_file: str | None = None  # a passphrase file others on this computer can read
    captured: int = 0  # quick captures that joined the journal as this one opened
    captures_unopened: list[str] = field(default_factory=list)  # inbox files that didn't open
    captures_waiting: str | None = None  # why waiting captures couldn't join this time

    @property
    def passphrase(self) -> str:
        """The passphrase that opened it; only open_journal(session=False) promises there is one."""
        if self.secret is None:
            raise PassphraseProblem(
                "This needs your passphrase itself, which an unlocked session doesn't keep.",
                hint="`recovery-journal lock` locks the journal; then run this again.",
            )
        return self.secret


@dataclass(frozen=True)
class Created:
    """A new journal, its recovery code (to be shown once), and the passphrase it was created with."""

    journal: Journal
    recovery_code: str = field(repr=False)
    passphrase: str = field(repr=False)
    asked: bool = False  # chosen at the prompt (which already offered to choose a longer one)


def require_journal(settings: Settings) -> None:
    """Refuse early, before asking for anything, when there is no journal file (or not one of ours)."""
    check_journal_file(settings.paths.db)


def open_journal(
    settings: Settings, ask: AskTry | None, told: Told | None = None, *, session: bool = False
) -> Opened:
    """Unlock the journal; then seal any words a crashed editor left behind, and give new entries a stage.

    With `session`, the key an unlocked session holds is used if there is one, and no passphrase is asked.
    """
    require_journal(settings)  # "no journal yet" before asking for anything
    resumed = Journal.resume(settings) if session else None
    journal, secret = (resumed, None) if resumed is not None else _unlock(settings, ask)
    try:
        rescued = _rescue_leftovers(journal, told)
        captured, unopened, waiting = 0, list[str](), None
        try:
            captured, unopened = journal.fold_captures()
        except JournalError as exc:  # they wait, sealed, for the next open; the command goes on
            waiting = exc.message
        journal.stages.backfill()
        unseen = journal.recovery_code_unseen()
    except BaseException:
        journal.close()
        raise
    return Opened(
        journal=journal,
        secret=secret,
        rescued=rescued,
        recovery_code_unseen=unseen,
        foreign=journal.store.foreign,
        loose_passphrase_file=sources.loose_file(settings.env),
        captured=captured,
        captures_unopened=unopened,
        captures_waiting=waiting,
    )


def current_passphrase(settings: Settings, ask: Ask | None) -> str:
    """The journal's passphrase: from the environment if configured, else asked."""
    found = sources.from_environment(settings.env)
    if found is not None:
        return found
    if ask is None:
        raise _no_terminal("passphrase", "RECOVERY_JOURNAL_PASSPHRASE_FILE or _PASSPHRASE_COMMAND")
    return ask()


def new_passphrase(
    settings: Settings, ask: Ask | None, names: tuple[str, str, str] = sources.NEW, current: str | None = None
) -> str:
    """A new passphrase: from the environment variables `names` if configured, else asked.

    It is refused when empty, or the same as `current` (the journal's passphrase now, when known); the
    prompt re-asks itself, so only a passphrase from the environment ends the command here.
    """
    return _new_passphrase(settings, ask, names, current)[0]


def check_new_passphrase(new: str, current: str | None = None) -> None:
    """PassphraseProblem for a new passphrase that can't be used (empty, or the one the journal has)."""
    vault.check_passphrase(new)
    if current is not None and vault.same_passphrase(new, current):
        raise PassphraseProblem(
            "That's the passphrase the journal already has.",
            hint="Choose a different one; nothing has been changed.",
        )


def _new_passphrase(
    settings: Settings, ask: Ask | None, names: tuple[str, str, str], current: str | None
) -> tuple[str, bool]:
    """The new passphrase and whether it was asked (the environment's is read once: a command runs once)."""
    found = sources.from_environment(settings.env, names)
    if found is not None:
        secret, asked = found, False
    elif ask is None:
        raise _no_terminal("new passphrase", f"{sources.PREFIX}{names[0]}")
    else:
        secret, asked = ask(), True
    check_new_passphrase(secret, current)
    return secret, asked


def create_journal(settings: Settings, ask_new: Ask | None) -> Created:
    """Create a journal with a passphrase chosen now; refuse an occupied home before asking."""
    check_new_home(settings.paths)
    secret, asked = _new_passphrase(settings, ask_new, sources.CURRENT, None)
    journal, code = Journal.create(settings, secret)
    return Created(journal=journal, recovery_code=code, passphrase=secret, asked=asked)


def open_with_recovery_code(settings: Settings, ask_code: AskAgain | None) -> Journal:
    """Unlock with the recovery code, from the environment or asked."""
    require_journal(settings)
    return with_recovery_code(
        settings, ask_code, lambda code: Journal.unlock_with_recovery_code(settings, code)
    )


def with_recovery_code(settings: Settings, ask_code: AskAgain | None, use: Callable[[str], T]) -> T:
    """`use` the recovery code: from the environment once, or typed, a few tries with the reason each time.

    A typo or a code that doesn't fit gets another try on a terminal; anything else (damage) ends at once.
    """
    code = settings.env.get(sources.RECOVERY_CODE_ENV)
    if code:
        return use(code)
    if ask_code is None:
        raise PassphraseProblem(
            "There's no terminal to ask for the recovery code in.",
            hint=f"Run this in a terminal, or set {sources.RECOVERY_CODE_ENV}.",
        )
    reason: JournalError | None = None
    for attempt in range(1, PROMPT_TRIES + 1):
        try:
            return use(ask_code(reason))
        except WrongSecret as exc:
            if attempt == PROMPT_TRIES:
                raise
            reason = exc
    raise AssertionError("unreachable")  # pragma: no cover


def _unlock(settings: Settings, ask: AskTry | None) -> tuple[Journal, str]:
    """Unlock with the passphrase; typed at a prompt, a slip of the fingers gets another try or two."""
    found = sources.from_environment(settings.env)  # a command is run once, never twice
    if found is not None:
        try:
            return Journal.unlock(settings, found), found
        except WrongSecret as wrong:  # not a slip at the keyboard: say where it came from
            raise WrongSecret(
                wrong.message,
                hint=f"It came from {sources.source_name(settings.env)}: check that it gives this journal's "
                "passphrase. If it's forgotten, `recovery-journal recover` opens the journal with your "
                "recovery code.",
            ) from None
    if ask is None:
        raise _no_terminal("passphrase", "RECOVERY_JOURNAL_PASSPHRASE_FILE or _PASSPHRASE_COMMAND")
    for attempt in range(1, PROMPT_TRIES + 1):
        secret = ask(attempt)
        try:
            return Journal.unlock(settings, secret), secret
        except (WrongSecret, PassphraseProblem):
            if attempt == PROMPT_TRIES:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _rescue_leftovers(journal: Journal, told: Told | None) -> list[int]:
    """Seal words editor sessions left into drafts, with the details sealed beside them; return numbers."""
    if journal.store.read_only:
        return []  # no drafts can be written there; the words wait in the private folder for a writable open
    rescued = []
    for leftover in editor.leftovers(journal.settings.scratch, journal.settings.paths.tag):
        draft, detailed = journal.drafts.rescue(leftover.text, leftover.raw, leftover.details)
        number = draft.number
        if not leftover.discard():
            # The words are still in a folder that couldn't be removed: a draft now would be made again on
            # every open. They wait there (doctor names them) until it can be.
            journal.drafts.discard(number)
            continue
        rescued.append(number)
        if told is not None:  # said at once, so a later failure can't hide it
            told(number, detailed)
    return rescued


def _no_terminal(what: str, env_hint: str) -> PassphraseProblem:
    return PassphraseProblem(
        f"There's no terminal to ask for the {what} in.",
        hint=f"Run this in a terminal, or set {env_hint} (`recovery-journal help environment` lists each "
        "way).",
    )
