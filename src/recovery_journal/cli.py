"""The `recovery-journal` command: the root app, its global options, and the one place errors are shown."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__
from .commands import care, demo, keys, maintenance, marks, overview, portability, reading, stage, writing
from .commands.shell import completion, config, topics
from .commands.sync import exchange
from .errors import ExitCode, Interrupted, JournalError, StorageProblem, UsageProblem
from .paths import resolve_home
from .render.output import fit, message_width, neutralise
from .sealing.hardening import harden_process
from .settings import DEBUG_ENV


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
    (re.compile(r"is not a valid int(eger)?"), "isn't a whole number"),
    (re.compile(r"is not in the range x>=(\d+)"), r"can't be less than \1"),
    (re.compile(r"is not a valid float"), "isn't a number"),
)


def report_usage(exc: Exception, args: list[str]) -> None:
    """A mistake in the command line itself (an unknown option, a word where a number goes): two lines."""
    message = str(exc.format_message()).strip().rstrip(".")  # type: ignore[attr-defined]
    for pattern, plainer in _PLAINER:
        message = pattern.sub(plainer, message)
    context = getattr(exc, "ctx", None)
    where = context.command_path if context is not None else "recovery-journal"
    ending = "" if message.endswith(("?", "!")) else "."  # "Did you mean 'list'?" ends itself
    report(UsageProblem(message + ending, hint=_habit_hint(exc, args, where)))


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


def _limit_shorthand(group: Any, args: list[str]) -> list[str]:
    """jrnl's `-10` means the last ten: for a command with `--limit/-n`, read `-10` as `-n 10`."""
    command, given = None, iter(args)
    for arg in given:
        if arg in ("-j", "--journal"):
            next(given, None)  # the journal's folder, not a command
        elif not arg.startswith("-"):
            command = group.commands.get(arg)
            break
    if command is None or "-n" not in [o for p in command.params for o in p.opts]:
        return args
    takes_value = {o for p in command.params if not getattr(p, "is_flag", True) for o in p.opts}
    read: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return read + args[index:]
        if re.fullmatch(r"-\d+", arg) and not (read and read[-1] in takes_value):
            read += ["-n", arg[1:]]
        else:
            read.append(arg)
    return read


class JournalGroup(TyperGroup):
    """The root group: every command runs inside this one error boundary."""

    context_class = JournalContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_usage(self)

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, standalone_mode: bool = True, **kwargs: Any
    ) -> Any:
        """Run the command line; usage mistakes are shown as calmly as any other error."""
        args = _limit_shorthand(self, _optional_values(list(sys.argv[1:] if args is None else args)))
        try:
            code = super().main(args, prog_name, standalone_mode=False, **kwargs)
        except JournalError as error:  # raised while reading options (e.g. a date that can't be read)
            report(error)
            code = int(error.exit_code)
        except typer.Abort:
            report(Interrupted("Stopped. Nothing more was changed."))
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
            report(Interrupted("Stopped. Nothing more was changed."))
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
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and stop.")
    ] = False,
) -> None:
    """A private, encrypted journal for the terminal, for healing at your own pace.

    In a hard moment, `recovery-journal support` shows people you can reach, any time, offline.

    Passphrases are asked for in the terminal, or read from RECOVERY_JOURNAL_PASSPHRASE_FILE,
    RECOVERY_JOURNAL_PASSPHRASE_COMMAND or RECOVERY_JOURNAL_PASSPHRASE (never from the command line).
    """
    from .commands.terminal import AppState

    os.umask(0o077)  # anything this process creates is private to you
    harden_process()  # no core files holding keys or words; other programs can't attach
    ctx.obj = AppState(journal=journal)
    config.fit_output(ctx)  # colour as NO_COLOR, FORCE_COLOR or the config file says


app.command("init")(keys.init)
app.command("write", context_settings={"allow_extra_args": True})(writing.write)
app.command("capture", context_settings={"allow_extra_args": True})(writing.capture)
app.add_typer(care.support_app, name="support")
app.command("list")(reading.list_entries)
app.command("show")(reading.show)
app.command("edit")(writing.edit)
app.command("delete")(writing.delete)
app.command("history")(reading.history)
app.command("search")(reading.search_entries)
app.command("tags")(reading.tags)
app.add_typer(stage.stage_app, name="stage")
app.add_typer(marks.milestone_app, name="milestone")
app.add_typer(marks.counter_app, name="counter")
app.command("timeline")(overview.timeline)
app.command("progress")(overview.progress)
app.command("calendar")(overview.calendar)
app.command("on-this-day")(overview.on_this_day)
app.command("share")(care.share)
app.command("prompts")(care.list_prompts)
app.add_typer(portability.backup_app, name="backup")
app.command("export")(portability.export)
app.add_typer(portability.import_app, name="import")
app.command("passwd")(keys.passwd)
app.command("recover")(keys.recover)
app.command("unlock")(maintenance.unlock)
app.command("lock")(maintenance.lock)
app.command("status")(maintenance.status)
app.command("doctor")(maintenance.doctor)
app.add_typer(maintenance.drafts_app, name="drafts")
app.add_typer(exchange.sync_app, name="sync")
app.command("demo")(demo.demo)
app.add_typer(config.config_app, name="config")
app.command("completion")(completion.completion)
app.command("help")(topics.help_command)
completion.enable_completion()  # `completion` prints the scripts; this answers them, without crowding --help


def main() -> None:
    """Console-script entry point."""
    # A terminal that can't show a character (PYTHONIOENCODING=ascii, an old locale) gets an escape for
    # it, never a crash halfway through someone's words.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    app(prog_name="recovery-journal")
