"""Settings read from the environment once, at the edge, and passed down to everything that needs them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .domain.dates import DATE_ORDER_ENV, DATE_ORDERS, DateOrder
from .errors import UsageProblem
from .paths import JournalPaths, resolve_home, scratch_root
from .sealing.crypto import DEFAULT_ARGON2, TESTONLY_WEAK_ARGON2, Argon2Params

LOCK_TIMEOUT_ENV = "RECOVERY_JOURNAL_LOCK_TIMEOUT"
WEAK_KDF_ENV = "RECOVERY_JOURNAL_TESTONLY_WEAK_KDF"
DEFAULT_LOCK_TIMEOUT = 10.0
GENTLE_CHECKS_ENV = "RECOVERY_JOURNAL_GENTLE_CHECKS"
COUNTRY_ENV = "RECOVERY_JOURNAL_COUNTRY"
INLINE_TAGS_ENV = "RECOVERY_JOURNAL_INLINE_TAGS"
_INLINE_TAGS_HINT = "Unset it to have @tags and #tags in your words become tags (the default)."


@dataclass(frozen=True)
class Settings:
    """Everything the environment decides about one run."""

    paths: JournalPaths
    scratch: Path
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    kdf: Argon2Params = DEFAULT_ARGON2
    gentle_checks: bool | None = (
        None  # RECOVERY_JOURNAL_GENTLE_CHECKS; None: the journal's own setting decides
    )
    country: str | None = None  # for `support`: RECOVERY_JOURNAL_COUNTRY, else the locale's
    date_order: DateOrder | None = None  # how 01/12 reads; None: such dates are refused, not guessed
    inline_tags: bool = True  # RECOVERY_JOURNAL_INLINE_TAGS: @tag and #tag in the words become tags
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, journal: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            paths=resolve_home(journal, env),
            scratch=scratch_root(env),
            lock_timeout=_lock_timeout(env),
            kdf=TESTONLY_WEAK_ARGON2 if env.get(WEAK_KDF_ENV) == "1" else DEFAULT_ARGON2,
            gentle_checks=_switch(env, GENTLE_CHECKS_ENV),
            country=(env.get(COUNTRY_ENV) or "").strip() or None,
            date_order=_date_order(env),
            inline_tags=_switch(env, INLINE_TAGS_ENV, _INLINE_TAGS_HINT) is not False,
            env=env,
        )


def _lock_timeout(env: Mapping[str, str]) -> float:
    raw = env.get(LOCK_TIMEOUT_ENV)
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise UsageProblem(
            f"{LOCK_TIMEOUT_ENV} should be a number of seconds between 0 and 3600.",
            hint=f"Unset it to wait the default {DEFAULT_LOCK_TIMEOUT:g} seconds.",
        )
    return value


def _date_order(env: Mapping[str, str]) -> DateOrder | None:
    raw = (env.get(DATE_ORDER_ENV) or "").strip().lower().replace("-", "").replace("_", "").replace(" ", "")
    if not raw:
        return None
    for order in DATE_ORDERS:
        if raw == order:
            return order
    raise UsageProblem(
        f"{DATE_ORDER_ENV} should be dayfirst (01/12 is 1 December) or monthfirst (January 12).",
        hint="Unset it, and dates like 01/12 are never guessed: you are asked to write them another way.",
    )


def _switch(
    env: Mapping[str, str],
    name: str,
    unset: str = "Unset it to use the journal's own setting (`recovery-journal support gentle`).",
) -> bool | None:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return None
    if raw in ("1", "on", "yes", "true"):
        return True
    if raw in ("0", "off", "no", "false"):
        return False
    raise UsageProblem(f"{name} should be 1 (on) or 0 (off).", hint=unset)
