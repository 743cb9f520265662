"""Settings read from the environment and the config file once, at the edge, and passed down.

What decides, first to last: a command-line option, then an environment variable, then the config file
(configfile.py reads it), then the default.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

from . import configfile
from .configfile import ConfigFile, Kind, Value
from .domain.dates import DATE_ORDER_ENV, DATE_ORDERS, DateOrder
from .domain.entry import clean_tags
from .errors import ConfigProblem, JournalError, UsageProblem
from .paths import JournalPaths, resolve_home, scratch_root
from .sealing.crypto import DEFAULT_ARGON2, TESTONLY_WEAK_ARGON2, Argon2Params

LOCK_TIMEOUT_ENV = "RECOVERY_JOURNAL_LOCK_TIMEOUT"
WEAK_KDF_ENV = "RECOVERY_JOURNAL_TESTONLY_WEAK_KDF"
DEFAULT_LOCK_TIMEOUT = 10.0
GENTLE_CHECKS_ENV = "RECOVERY_JOURNAL_GENTLE_CHECKS"
COUNTRY_ENV = "RECOVERY_JOURNAL_COUNTRY"
INLINE_TAGS_ENV = "RECOVERY_JOURNAL_INLINE_TAGS"
SYNC_AFTER_ENV = "RECOVERY_JOURNAL_SYNC_AFTER"
_INLINE_TAGS_HINT = "Unset it to use the config file's inline_tags; without one, @tags and #tags become tags."

Colour = Literal["auto", "always", "never"]
COLOURS: tuple[Colour, ...] = ("auto", "always", "never")


def kdf_for_new_slots(env: Mapping[str, str]) -> Argon2Params:
    """The key derivation's cost for a passphrase slot made now (a new journal's, or a changed passphrase)."""
    return TESTONLY_WEAK_ARGON2 if env.get(WEAK_KDF_ENV) == "1" else DEFAULT_ARGON2


@dataclass(frozen=True)
class Settings:
    """Everything the environment and the config file decide about one run."""

    paths: JournalPaths
    scratch: Path
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    kdf: Argon2Params = DEFAULT_ARGON2
    gentle_checks: bool | None = (
        None  # RECOVERY_JOURNAL_GENTLE_CHECKS; None: the journal's own setting decides
    )
    country: str | None = None  # for `support`: RECOVERY_JOURNAL_COUNTRY, else the locale's
    date_order: DateOrder | None = None  # how 01/12 reads; None: such dates are refused, not guessed
    editor: str | None = None  # the config file's editor, used when $VISUAL and $EDITOR are unset
    default_tags: tuple[str, ...] = ()  # added to every new entry (write, capture)
    inline_tags: bool = True  # whether @tag and #tag in an entry's words become tags
    prompts: bool = False  # whether `write` opens the editor on a prompt for your stage
    colour: Colour = "auto"
    sync_after: bool = False  # sync quietly after each command that changed the journal (when sync is set up)
    config: Path | None = None  # the config file this run read (it may not exist)
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, journal: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        config = configfile.read(configfile.config_path(env))
        kept = from_file(config)
        inline = _switch(env, INLINE_TAGS_ENV, _INLINE_TAGS_HINT)
        return cls(
            paths=resolve_home(journal, env),
            scratch=scratch_root(env),
            lock_timeout=_lock_timeout(env),
            kdf=kdf_for_new_slots(env),
            gentle_checks=_first(_switch(env, GENTLE_CHECKS_ENV), kept.get("gentle_checks")),
            country=(env.get(COUNTRY_ENV) or "").strip() or _text(kept.get("country")),
            date_order=_date_order(env) or _order(kept.get("date_order")),
            editor=_text(kept.get("editor")),
            default_tags=_words(kept.get("default_tags")),
            inline_tags=_first(inline, kept.get("inline_tags")) is not False,
            prompts=_first(kept.get("prompts")) is True,
            colour=colour(env, kept),
            sync_after=_first(
                _switch(
                    env,
                    SYNC_AFTER_ENV,
                    "Unset it to use the config file's sync_after; without one, "
                    "`recovery-journal sync` is yours to run.",
                ),
                kept.get("sync_after"),
            )
            is True,
            config=config.path,
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


# The words a switch takes, the same in an environment variable and in `config set`.
_ON_OFF = dict.fromkeys(("1", "on", "yes", "true"), True) | dict.fromkeys(("0", "off", "no", "false"), False)


def _switch(
    env: Mapping[str, str],
    name: str,
    unset: str = "Unset it to use the journal's own setting (`recovery-journal support gentle`).",
) -> bool | None:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return None
    if raw in _ON_OFF:
        return _ON_OFF[raw]
    raise UsageProblem(
        f"{name} should be 1 (on) or 0 (off).",
        hint=unset,
    )


# --- the config file: what each key means, checked as it is read ---------------------------------------


class ConfigKey(NamedTuple):
    """One key the config file may hold: its kind, what it does, and the variables that win over it."""

    kind: Kind
    meaning: str
    example: str
    env: tuple[str, ...] = ()


CONFIG_KEYS: dict[str, ConfigKey] = {
    "editor": ConfigKey(
        "text", "the editor to write in when $VISUAL and $EDITOR are unset", '"nano"', ("VISUAL", "EDITOR")
    ),
    "default_tags": ConfigKey("words", "tags added to every new entry (write and capture)", '["journal"]'),
    "date_order": ConfigKey(
        "text", "how a date like 01/12 reads: dayfirst or monthfirst", '"dayfirst"', (DATE_ORDER_ENV,)
    ),
    "color": ConfigKey(
        "text", "colour in output: auto, always or never", '"never"', ("NO_COLOR", "FORCE_COLOR")
    ),
    "inline_tags": ConfigKey(
        "switch", "whether @tag and #tag in your words become tags", "false", (INLINE_TAGS_ENV,)
    ),
    "gentle_checks": ConfigKey(
        "switch", "the calm line offered after a heavy entry", "false", (GENTLE_CHECKS_ENV,)
    ),
    "prompts": ConfigKey("switch", "`write` opens your editor on a prompt for your stage", "true"),
    "country": ConfigKey("text", "the country `support` shows lines for", '"GB"', (COUNTRY_ENV,)),
    "sync_after": ConfigKey(
        "switch",
        "sync quietly after each change (once `sync setup` or `sync join` is done)",
        "true",
        (SYNC_AFTER_ENV,),
    ),
}
_KINDS = {name: key.kind for name, key in CONFIG_KEYS.items()}


def from_file(config: ConfigFile) -> dict[str, Value]:
    """The config file's known keys, each checked; a value that can't be used is an error naming its line."""
    kept: dict[str, Value] = {}
    for name, key in CONFIG_KEYS.items():
        value = config.check(name, key.kind)
        if value is not None:
            kept[name] = _checked(name, value, config.where(name))
    return kept


def _checked(name: str, value: Value, where: str | None) -> Value:
    """A value in the form the setting uses (tags cleaned, an order or colour spelled one way).

    `where` is the config file and line it was read at; None when it was typed after `config set`, so a
    mistake is said of the value given, not of a file that still holds what it held.
    """

    def one_of(choices: str) -> ConfigProblem:
        example = CONFIG_KEYS[name].example
        if where is None:
            return ConfigProblem(
                f"{name} is {choices}, so nothing was changed.",
                hint=f"For example: recovery-journal config set {name} {example.strip(chr(34))}",
            )
        return ConfigProblem(
            f"In the config file {where}, {name} should be {choices}.",
            hint=f"For example: {name} = {example}",
        )

    if name == "default_tags":
        try:
            return clean_tags(value)  # type: ignore[arg-type]
        except JournalError as exc:
            if where is None:
                raise ConfigProblem(f"{exc.message} Nothing was changed.", hint=exc.hint) from None
            raise ConfigProblem(
                f"In the config file {where}, {name} holds a tag that can't be used ({exc.message}).",
                hint=exc.hint or "",
            ) from None
    if name == "date_order":
        order = _order(_squash(str(value)))
        if order is None:
            raise one_of("dayfirst or monthfirst")
        return order
    if name == "color":
        chosen = str(value).strip().lower().replace("colour", "color")
        if chosen not in COLOURS:
            raise one_of("auto, always or never")
        return chosen
    if isinstance(value, str):
        return value.strip()
    return value


def _squash(raw: str) -> str:
    return raw.strip().lower().replace("-", "").replace("_", "").replace(" ", "")


def _order(value: Value | None) -> DateOrder | None:
    return next((o for o in DATE_ORDERS if o == value), None)


def _text(value: Value | None) -> str | None:
    return value if isinstance(value, str) and value else None


def _words(value: Value | None) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _first(*choices: Value | None) -> bool | None:
    """The first switch that is set, in the order given (the environment's before the file's)."""
    return next((c for c in choices if isinstance(c, bool)), None)


def colour(env: Mapping[str, str], kept: Mapping[str, Value] | None = None) -> Colour:
    """Colour in output: NO_COLOR, then FORCE_COLOR, then the config file's `color`, else auto.

    With `kept` None the file is read here, and never fails: a config mistake is told by the command that
    reads its settings, while how its words look stays the default.
    """
    if env.get("NO_COLOR"):
        return "never"
    if env.get("FORCE_COLOR"):
        return "always"
    if kept is None:
        try:
            kept = from_file(configfile.read(configfile.config_path(env)))
        except JournalError:
            kept = {}
    chosen = kept.get("color")
    return next((c for c in COLOURS if c == chosen), "auto")


def configured_country(env: Mapping[str, str]) -> str | None:
    """The config file's country, for `support` (it reads nothing else: a stray setting can't stop it)."""
    return _text(from_file(configfile.read(configfile.config_path(env))).get("country"))


class ConfigView(NamedTuple):
    """What `config show` and `config set` report: the file, its settings, and what overrides them now."""

    path: Path
    exists: bool
    values: dict[str, Value]  # the known keys the file sets, as they are used
    overridden: dict[str, str]  # key -> the environment variable that wins over it in this shell
    notes: list[str]  # keys in the file that aren't used (a typo, a newer version's, a passphrase)


def config_view(env: Mapping[str, str] | None = None) -> ConfigView:
    """The config file as this run reads it."""
    env = os.environ if env is None else env
    return _view(configfile.read(configfile.config_path(env)), env)


def _view(config: ConfigFile, env: Mapping[str, str]) -> ConfigView:
    values = from_file(config)
    overridden = {}
    for name, key in CONFIG_KEYS.items():
        winner = next((var for var in key.env if env.get(var)), None)
        if winner is not None:
            overridden[name] = winner
    return ConfigView(config.path, config.exists, values, overridden, configfile.unknown(config, _KINDS))


def set_config(env: Mapping[str, str], name: str, words: list[str]) -> ConfigView:
    """Set one key in the config file from the words given; every other line is kept as it was."""
    if configfile.is_secret(name):
        raise ConfigProblem(
            "A passphrase never goes in the config file: the file isn't encrypted, so anyone who can read "
            "your files could read it. Nothing was changed.",
            hint="RECOVERY_JOURNAL_PASSPHRASE_FILE (a file only you can read) or "
            "RECOVERY_JOURNAL_PASSPHRASE_COMMAND (a password manager) keeps it safe; "
            "`recovery-journal help environment` says more.",
        )
    name = _key_name(name)
    key = CONFIG_KEYS.get(name)
    if key is None:
        near = difflib.get_close_matches(name, CONFIG_KEYS, n=1, cutoff=0.6)
        raise ConfigProblem(
            f"'{name}' isn't a setting the config file holds, so nothing was changed."
            + (f" Did you mean '{near[0]}'?" if near else ""),
            hint=f"The settings are {', '.join(CONFIG_KEYS)}; "
            "`recovery-journal help config` says what each does.",
        )
    config = configfile.read(configfile.config_path(env))
    value = _checked(name, _from_words(name, key, words), None)
    return _view(configfile.write_value(config, name, value), env)


# Spellings people reach for, and the key they mean.
_KEY_SPELLINGS = {"colour": "color"}


def _key_name(name: str) -> str:
    """A key as typed (`Date-Order`, `colour`) as the file spells it (`date_order`, `color`)."""
    squashed = name.strip().lower().replace("-", "_")
    return _KEY_SPELLINGS.get(squashed, squashed)


def unset_config(env: Mapping[str, str], name: str) -> tuple[ConfigView, bool]:
    """Remove one key from the config file (any key: a typo or a passphrase too); whether it was there."""
    config = configfile.read(configfile.config_path(env))
    for written in (name.strip(), _key_name(name)):
        if written in config.values and configfile.bare(written):
            return _view(configfile.write_value(config, written, None), env), True
    return _view(config, env), False


def _from_words(name: str, key: ConfigKey, words: list[str]) -> Value:
    """A value typed on the command line, in the kind the key holds."""
    if key.kind == "words":
        return tuple(part.strip() for word in words for part in word.split(",") if part.strip())
    joined = " ".join(words).strip()
    if key.kind == "text":
        if not joined:
            raise ConfigProblem(
                f"{name} needs a value, so nothing was changed.",
                hint=f"For example: recovery-journal config set {name} {key.example.strip(chr(34))}",
            )
        return joined
    switch = joined.lower()
    if switch in _ON_OFF:
        return _ON_OFF[switch]
    raise ConfigProblem(
        f"{name} is on or off, so nothing was changed.",
        hint=f"For example: recovery-journal config set {name} off",
    )
