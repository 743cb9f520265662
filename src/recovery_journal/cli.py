"""The `recovery-journal` command: the root app, its global options, and the one place errors are shown."""

from __future__ import annotations

import contextlib
import errno
import gc
import importlib
import os
import re
import sys
from collections.abc import Iterator, MutableMapping
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from . import __version__
from .errors import DEBUG_ENV, ExitCode, Interrupted, JournalError, StorageProblem, UsageProblem
from .render.output import fit, message_width, neutralise


def report(error: JournalError) -> None:
    """Print an error as two calm lines on stderr: what happened, and what to do (wrapped to a terminal)."""
    width = message_width()
    sys.stderr.write(fit(f"recovery-journal: {neutralise(error.message)}", width) + "\n")
    if error.hint:
        sys.stderr.write(fit(f"  hint: {neutralise(error.hint)}", width, indent=8) + "\n")


def report_unexpected(exc: BaseException) -> None:
    """A bug: say so without the exception's text or locals, which could hold entry words."""
    sys.stderr.write(
        "recovery-journal: Something unexpected went wrong, and the command stopped. "
        "Anything already saved is safe.\n"
        f"  hint: Please report it, mentioning '{type(exc).__name__}'. "
        f"{DEBUG_ENV}=1 adds where it happened (file and line only).\n"
    )
    if os.environ.get(DEBUG_ENV) == "1":
        import traceback

        for frame in traceback.extract_tb(exc.__traceback__):
            sys.stderr.write(f"    {frame.filename}:{frame.lineno} in {frame.name}\n")


# Click's words for a value it can't use, in plainer ones.
_PLAINER = (
    (re.compile(r"^Invalid value for '(-[\w-]+)'(?: / '-[\w-]+')?: "), r"\1: "),  # "--mood: 'five' isn't..."
    (re.compile(r"is not a valid int(eger)?( range)?"), "isn't a whole number"),
    (re.compile(r"is not in the range x>=(\d+)"), r"can't be less than \1"),
    (re.compile(r"is not a valid float"), "isn't a number"),
    (re.compile(r"\s*\(Possible options: [^)]*\)"), ""),  # a list of near names, rarely the one meant
)


def report_usage(exc: Exception, args: list[str]) -> None:
    """A mistake in the command line itself (an unknown option, a word where a number goes): two lines."""
    message = str(exc.format_message()).strip().rstrip(".")  # type: ignore[attr-defined]
    for pattern, plainer in _PLAINER:
        message = pattern.sub(plainer, message)
    context = getattr(exc, "ctx", None)
    where = context.command_path if context is not None else "recovery-journal"
    habit = _habit_from_elsewhere(message, args) if " " not in where else None
    if habit is not None:
        report(habit)
        return
    # "Did you mean 'list'?" ends itself, and so does "No such command 'good.'"
    ending = "" if message.endswith(("?", "!")) or message.rstrip("'\"").endswith(".") else "."
    report(UsageProblem(message + ending, hint=_habit_hint(exc, args, where)))


# What people used to other journals type first, and the command that does it here.
_WRITE_WORDS = frozenset({"new", "add", "compose", "entry", "journal", "jot"})


def _habit_from_elsewhere(message: str, args: list[str]) -> UsageProblem | None:
    """jrnl's `jrnl Today was hard`, `jrnl @tag`, `jrnl -n 3`, or `new`: said kindly, with the way here."""
    unknown = re.match(r"No such command (['\"])(.*?)\1(?:\.|$|\s)", message, re.DOTALL)
    if unknown is not None:
        word = unknown.group(2)
        words = [a for a in args if not a.startswith("-")]
        if word.startswith(("@", "#")) and " " not in word:
            return UsageProblem(
                f"'{word}' looks like a tag.",
                hint=f"To see the entries that carry it: recovery-journal list {word}",
            )
        if word.lower() in _WRITE_WORDS and len(words) == 1:
            return UsageProblem(
                "Writing an entry here is `write`.",
                hint="`recovery-journal write` opens your editor; `recovery-journal write --inline` lets you "
                "type here.",
            )
        # A command mistyped before its arguments ("shwo 3", "stag show 1") is only that: Click's "Did you
        # mean" says so, rather than a warning about words in the shell's history. Entry words (a quoted
        # sentence, or more than a command and its couple of arguments) are the jrnl habit.
        spaced = any(ch.isspace() for ch in word)  # a quoted sentence
        mistyped = "Did you mean" in message and not spaced and len(words) <= 3
        numbered = len(words) > 1 and all(w.isdigit() for w in words[1:])  # "read 5": a command, not words
        if numbered and not mistyped and not spaced:
            return UsageProblem(
                f"'{word}' isn't a command here.",
                hint=f"To open entry {words[1]}: recovery-journal show {words[1]}. "
                "`recovery-journal --help` lists every command.",
            )
        if not mistyped and (spaced or len(words) > 1):
            from .commands.terminal import refuse_words_on_command_line

            try:
                refuse_words_on_command_line(words)
            except UsageProblem as said:
                return said
    option = re.match(r"No such option: (-n|--limit|-\d+)\b", message)
    if option is not None:
        return UsageProblem(
            "How many to show goes with the command that shows them.",
            hint="For the last three entries: recovery-journal list -n 3",
        )
    return None


def _habit_hint(exc: Exception, args: list[str], where: str) -> str:
    """A hint for a habit from elsewhere (jrnl's `-j`, a journal option after the command), else the help."""
    option = getattr(exc, "option_name", None)
    if option in ("-j", "--journal") and " " in where:  # given after the command: it goes before
        after = args[args.index(option) + 1] if option in args[:-1] else "FOLDER"
        command = where.split(" ", 1)[1]
        return f"Name the journal before the command: recovery-journal --journal {after} {command}"
    return f"`{where} --help` shows what it takes."


def _first_run() -> bool:
    """No journal where this one would be (the default place, or $RECOVERY_JOURNAL_HOME)."""
    from .paths import resolve_home

    try:
        return not resolve_home().db.exists()
    except (JournalError, OSError):
        return False


FIRST_RUN = (
    "Welcome. There's no journal here yet.\n"
    "  Start with `recovery-journal init`: it sets your passphrase and makes your private journal.\n"
    "  `recovery-journal demo` shows what it does first, on a throwaway journal that is deleted after.\n"
    "  `recovery-journal support` shows people you can reach, any time, with or without a journal.\n"
    "  `recovery-journal --help` lists every command."
)


def _is_usage_error(exc: Exception) -> bool:
    """Typer's vendored Click raises these while reading the command line, before any command runs."""
    return hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)


_OUTPUT_FAILED = (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG)


def _output_failed() -> StorageProblem:
    return StorageProblem(
        "The output couldn't be written in full (the disk it goes to may be full).",
        hint="Free some space, or send it somewhere else, and run the command again.",
    )


# Options whose value may be left out, and what leaving it out means (Typer has no optional option values).
_OPTIONAL_VALUES = {"--prompt": "current"}


def _optional_values(args: list[str]) -> list[str]:
    """`write --prompt` alone means `--prompt current`: fill in the value where none follows."""
    filled: list[str] = []
    for index, arg in enumerate(args):
        filled.append(arg)
        if arg == "--":
            return filled + args[index + 1 :]
        following = args[index + 1] if index + 1 < len(args) else None
        if arg in _OPTIONAL_VALUES and (following is None or following.startswith("-")):
            filled.append(_OPTIONAL_VALUES[arg])
    return filled


# Typer wraps a required argument in braces on the usage line (`show [OPTIONS] {ID}`); people type `show 12`.
_BRACED = re.compile(r"\{([^{}\s]+)\}")


class JournalContext(typer.Context):
    """Help and usage as a person reads them: `show [OPTIONS] ID`, with no braces to copy by mistake."""

    def get_usage(self) -> str:
        return _BRACED.sub(r"\1", super().get_usage())

    def get_help(self) -> str:
        usage, gap, rest = super().get_help().partition("\n\n")  # the usage comes first, then a blank line
        return _BRACED.sub(r"\1", usage) + gap + rest


def _plain_usage(command: Any) -> None:
    """Give every command, however deep, the context that writes usage lines plainly."""
    command.context_class = JournalContext
    for sub in getattr(command, "commands", {}).values():
        _plain_usage(sub)


def _command_named(group: Any, args: list[str]) -> Any:
    """The command `args` name (descending into groups such as `milestone add`), or None."""
    command, given = None, iter(args)
    for arg in given:
        if arg in ("-j", "--journal"):
            next(given, None)  # the journal's folder, not a command
        elif not arg.startswith("-"):
            found = (command or group).commands.get(arg) if hasattr(command or group, "commands") else None
            if found is None:
                break
            command = found
            if not hasattr(command, "commands"):
                break
    return command


def _no_option_as_a_value(command: Any, args: list[str]) -> None:
    """Refuse an option given where another option's value should be (`write --title --prompt`).

    Click would take `--prompt` as the title and leave what follows as stray words: an entry titled
    "--prompt", or a misleading error. Said plainly instead, before anything is asked or opened.
    """
    if command is None or hasattr(command, "commands"):
        return
    options = {o for p in command.params for o in getattr(p, "opts", ())} | {"-h", "--help"}
    takes_value = _takes_value(command) - _OPTIONAL_VALUES.keys()  # `--prompt --json`: prompt for now, JSON
    for arg, following in pairwise(args):
        if arg == "--":
            return
        if arg in takes_value and following in options:
            raise UsageProblem(
                f"{arg} needs a value, but {following} came straight after it.",
                hint=f'Put its value after {arg} (e.g. {arg} "...") or leave it out. Nothing was changed.',
            )


def _takes_value(command: Any) -> set[str]:
    """The option names of `command` that are followed by a value."""
    return {o for p in command.params if not getattr(p, "is_flag", True) for o in p.opts}


def _limit_shorthand(command: Any, args: list[str]) -> list[str]:
    """jrnl's `-10` means the last ten: for a command with `--limit/-n`, read `-10` as `-n 10`."""
    if command is None or "-n" not in [o for p in getattr(command, "params", ()) for o in p.opts]:
        return args
    takes_value = _takes_value(command)
    read: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return read + args[index:]
        if re.fullmatch(r"-\d+", arg) and not (read and read[-1] in takes_value):
            read += ["-n", arg[1:]]
        else:
            read.append(arg)
    return read


class Lazy(NamedTuple):
    """A command loaded only when it runs or shows its own help: its module, its name there, its first line.

    The first line is the one `recovery-journal --help` lists, so that listing loads no command at all;
    tests/test_cli.py checks each against the command's own help.
    """

    module: str  # in recovery_journal.commands
    attribute: str  # a command function, or a Typer app for a group of commands
    summary: str
    settings: dict[str, Any] | None = None  # the command's context_settings


# Every command of the root, in the order --help lists them (commands first, then groups of commands).
# A command registered on `app` below (app.command / app.add_typer) works too, loaded with the CLI.
LAZY_COMMANDS: dict[str, Lazy] = {
    "init": Lazy(
        "keys", "init", "Create a new encrypted journal, with a recovery code for a forgotten passphrase."
    ),
    "write": Lazy(
        "writing",
        "write",
        "Write a new entry in your editor, typed here (--inline), or from text piped in.",
        {"allow_extra_args": True},
    ),
    "capture": Lazy(
        "writing",
        "capture",
        "Save words quickly, without your passphrase: sealed until you next open the journal.",
        {"allow_extra_args": True},
    ),
    "list": Lazy("reading", "list_entries", "List entries, oldest first."),
    "show": Lazy("reading", "show", "Show one entry in full."),
    "edit": Lazy("writing", "edit", "Change an entry; the earlier words are kept in its history."),
    "delete": Lazy("writing", "delete", "Delete an entry and its earlier versions, for good (asks first)."),
    "history": Lazy("reading", "history", "Show every earlier version of an entry, oldest first."),
    "search": Lazy("reading", "search_entries", "Find entries containing some words (case doesn't matter)."),
    "tags": Lazy("reading", "tags", "List your tags and how many entries carry each, most used first."),
    "timeline": Lazy(
        "overview",
        "timeline",
        "Show your story over time: stages, entries, mood and milestones by week, month or quarter.",
    ),
    "progress": Lazy(
        "overview",
        "progress",
        "Sum up how far you've come: stages, movement, writing rhythm, mood, counters, milestones.",
    ),
    "calendar": Lazy(
        "overview", "calendar", "Show a year of writing days, each coloured by the stage you were writing in."
    ),
    "on-this-day": Lazy(
        "overview",
        "on_this_day",
        "Show entries written on this day in earlier years, newest first (tender ones only if you ask).",
    ),
    "share": Lazy(
        "care",
        "share",
        "Write a summary of a period to share with a therapist or a group: only the entries you pick.",
    ),
    "prompts": Lazy(
        "care", "list_prompts", "List writing prompts for each stage, for a milestone and for a hard day."
    ),
    "export": Lazy(
        "portability", "export", "Export your entries as plain Markdown, JSON or text (not encrypted)."
    ),
    "passwd": Lazy("keys", "passwd", "Change your passphrase, or get a new recovery code."),
    "recover": Lazy("keys", "recover", "Set a new passphrase using your recovery code."),
    "unlock": Lazy(
        "maintenance",
        "unlock",
        "Keep the journal unlocked for a while, so commands don't ask for the passphrase.",
    ),
    "lock": Lazy("maintenance", "lock", "Lock the journal now: commands ask for the passphrase again."),
    "status": Lazy("maintenance", "status", "Say whether the journal is unlocked, and until when."),
    "doctor": Lazy(
        "maintenance",
        "doctor",
        "Check the journal: file, permissions, keys, every record, and any backups named.",
    ),
    "completion": Lazy(
        "shell.completion",
        "completion",
        "Print the script that lets your shell complete recovery-journal's commands and options.",
    ),
    "help": Lazy(
        "shell.topics",
        "help_command",
        "Show help that works offline: exit codes, environment variables, files, config file, man page.",
    ),
    "demo": Lazy(
        "demo", "demo", "Show what recovery-journal does, on a throwaway journal with a sample story."
    ),
    "support": Lazy(
        "care",
        "support_app",
        "People to reach and a moment to ground yourself, offline; your own safety plan.",
    ),
    "stage": Lazy("stage", "stage_app", "Healing stages: where your writing is, and how it has moved."),
    "milestone": Lazy(
        "marks", "milestone_app", "Moments worth marking: a boundary held, a first, a celebration."
    ),
    "counter": Lazy(
        "marks", "counter_app", 'Days since something ("no contact"), with every earlier run kept.'
    ),
    "backup": Lazy(
        "portability",
        "backup_app",
        "Encrypted backups: one file that opens anywhere with its passphrase or the recovery code.",
    ),
    "import": Lazy(
        "portability", "import_app", "Bring entries in from a recovery-journal JSON export, jrnl or Day One."
    ),
    "drafts": Lazy("maintenance", "drafts_app", "Words kept safe when a save couldn't finish."),
    "sync": Lazy(
        "sync.exchange", "sync_app", "One journal on several devices, through a folder a sync tool carries."
    ),
    "config": Lazy(
        "shell.config",
        "config_app",
        "See or change the config file: your editor, default tags, colour, date order and more.",
    ),
}


def load(name: str, lazy: Lazy) -> Any:
    """Import one command's module and build its command (or group) as Typer would have, with plain usage."""
    target = getattr(importlib.import_module(f"recovery_journal.commands.{lazy.module}"), lazy.attribute)
    holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name, context_settings=lazy.settings)(target)
    command = typer.main.get_group(holder).commands[name]
    _plain_usage(command)
    return command


class Commands(MutableMapping[str, Any]):
    """The root's commands: the lazy ones built on first use, beside any built with the CLI."""

    def __init__(self, built: MutableMapping[str, Any], lazy: dict[str, Lazy]) -> None:
        self._lazy = {name: entry for name, entry in lazy.items() if name not in built}
        self._built: dict[str, Any] = {}
        self._order = [*self._lazy, *built]
        self._built.update(built)

    def summary(self, name: str) -> str | None:
        """The line --help lists for a command not loaded yet (None once it is, or for one built eagerly)."""
        entry = self._lazy.get(name)
        return entry.summary if entry is not None and name not in self._built else None

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            entry = self._lazy[name]  # a KeyError for an unknown name, as a dict would raise
            self._built[name] = load(name, entry)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._order:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._order.remove(name)
        self._built.pop(name, None)
        self._lazy.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._order


class JournalGroup(TyperGroup):
    """The root group: every command runs inside this one error boundary."""

    context_class = JournalContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_usage(self)
        self.commands = Commands(self.commands, LAZY_COMMANDS)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        return list(self.commands)  # the names alone, in order: loading none of them

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        """The list in --help, from each lazy command's first line: showing the help loads no command."""
        commands: Commands = self.commands  # type: ignore[assignment]
        listed = []
        for name in self.list_commands(ctx):
            summary = commands.summary(name)
            command = TyperCommand(name=name, help=summary) if summary is not None else commands.get(name)
            if command is not None and not command.hidden:
                listed.append((name, command))
        if listed:
            limit = formatter.width - 6 - max(len(name) for name, _ in listed)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in listed])

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, standalone_mode: bool = True, **kwargs: Any
    ) -> Any:
        """Run the command line; usage mistakes are shown as calmly as any other error."""
        args = list(sys.argv[1:] if args is None else args)
        try:
            command = _command_named(self, args)  # once, for both readings below
            _no_option_as_a_value(command, args)
            args = _limit_shorthand(command, _optional_values(args))
            code = super().main(args, prog_name, standalone_mode=False, **kwargs)
        except JournalError as error:  # raised while reading options (e.g. a date that can't be read)
            report(error)
            code = int(error.exit_code)
        except typer.Abort:
            report(Interrupted.stopped())
            code = int(ExitCode.INTERRUPTED)
        except Exception as exc:
            if not _is_usage_error(exc):
                raise
            if type(exc).__name__ == "NoArgsIsHelpError" and not args and _first_run():
                width = message_width()
                sys.stderr.write(
                    "\n".join(fit(line, width, indent=4) for line in FIRST_RUN.split("\n")) + "\n"
                )
                code = int(ExitCode.OK)
            elif type(exc).__name__ == "NoArgsIsHelpError":  # bare `recovery-journal`: the help, kindly
                sys.stdout.write(str(exc.format_message()) + "\n")  # type: ignore[attr-defined]
                code = int(ExitCode.OK)
            else:
                report_usage(exc, args)
                code = int(ExitCode.USAGE)
        try:  # what is still buffered for stdout must arrive whole, or the person is told
            sys.stdout.flush()
        except OSError as exc:
            if exc.errno not in _OUTPUT_FAILED:
                raise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            report(_output_failed())
            code = int(ExitCode.STORAGE)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.TyperException):
            raise
        except JournalError as error:
            report(error)
            ctx.exit(int(error.exit_code))
        except (KeyboardInterrupt, typer.Abort):
            report(Interrupted.stopped())
            ctx.exit(int(ExitCode.INTERRUPTED))
        except BrokenPipeError:
            # The reader went away (e.g. `| head`); quietly stop writing.
            # Point stdout at /dev/null so the interpreter's final flush doesn't fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(int(ExitCode.OK))
        except OSError as exc:
            if exc.errno not in _OUTPUT_FAILED:
                report_unexpected(exc)
                ctx.exit(int(ExitCode.UNEXPECTED))
            report(_output_failed())
            ctx.exit(int(ExitCode.STORAGE))
        except Exception as exc:
            report_unexpected(exc)
            ctx.exit(int(ExitCode.UNEXPECTED))


app = typer.Typer(
    cls=JournalGroup,
    name="recovery-journal",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"recovery-journal {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    journal: Annotated[
        Path | None,
        typer.Option(
            "--journal",
            "-j",
            metavar="FOLDER",
            show_default=False,
            help="Use the journal in FOLDER (default: $RECOVERY_JOURNAL_HOME, else your data folder).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and stop."),
    ] = False,
) -> None:
    """A private, encrypted journal for the terminal, for healing at your own pace.

    In a hard moment, `recovery-journal support` shows people you can reach, any time, offline.

    Passphrases are asked for in the terminal, or read from RECOVERY_JOURNAL_PASSPHRASE_FILE,
    RECOVERY_JOURNAL_PASSPHRASE_COMMAND or RECOVERY_JOURNAL_PASSPHRASE (never from the command line).
    """
    if not gc.isenabled():  # launch.py turned collection off while start-up's objects loaded: set them aside
        gc.freeze()
        gc.enable()
    from .commands.terminal import AppState
    from .sealing.hardening import harden_process

    os.umask(0o077)  # anything this process creates is private to you
    harden_process()  # no core files holding keys or words; other programs can't attach
    ctx.obj = AppState(journal=journal)
    from .render.output import reset_colour, use_colour
    from .settings import colour

    token = use_colour(colour(os.environ))  # colour as NO_COLOR, FORCE_COLOR or the config file says
    ctx.call_on_close(lambda: reset_colour(token))


# Typer's completion protocol: the shell scripts set this to ask what can follow on a command line.
COMPLETE_ENV = "_RECOVERY_JOURNAL_COMPLETE"


def main() -> None:
    """Console-script entry point."""
    # A terminal that can't show a character (PYTHONIOENCODING=ascii, an old locale) gets an escape for
    # it, never a crash halfway through someone's words.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    if COMPLETE_ENV in os.environ:  # a shell asking what can follow (the scripts `completion` prints)
        from .commands.shell.completion import enable_completion

        enable_completion()
    app(prog_name="recovery-journal")
