"""`help`: exit codes, environment variables, files, the config file and a man page, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ... import __version__, reference
from ...configfile import config_path
from ...errors import MEANINGS, UsageProblem
from ...render.output import Output, page_width
from ...settings import CONFIG_KEYS
from ..terminal import AppState

TOPICS = {
    "dates": "what you can type for a date: yesterday 9pm, last friday, 3 days ago...",
    "exit-codes": "what each exit code means",
    "environment": "the environment variables recovery-journal reads",
    "files": "where your journal, drafts, editor files and config file are",
    "config": "the config file and every setting it can hold",
    "man": "the whole manual as a man page (installed with the package: man recovery-journal)",
}


def _topic_names(incomplete: str) -> list[str]:
    return [name for name in TOPICS if name.startswith(incomplete)]


def help_command(
    ctx: typer.Context,
    topic: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TOPIC | COMMAND]",
            help="dates, exit-codes, environment, files, config, man; or a command: `help milestone add`.",
            show_default=False,
            autocompletion=_topic_names,
        ),
    ] = None,
) -> None:
    """Show help that works offline: exit codes, environment variables, files, config file, man page.

    Example: recovery-journal help exit-codes
    """
    from ...render import manual  # only when help is asked for

    out = Output()
    width = manual.fit(page_width())  # wrapped to the terminal; 100 columns when piped
    words = [w for w in (topic or []) if w.strip()]
    if not words:
        out.lines(manual.topics_lines(TOPICS, width))
    elif words == ["dates"]:
        from ...domain import dates

        out.lines(manual.dates_lines(dates.FORMS, dates.PARTS_SAID, width))
    elif words == ["exit-codes"]:
        out.lines(manual.exit_code_lines(_exit_codes(), width))
    elif words == ["environment"]:
        out.lines(manual.environment_lines(reference.ENVIRONMENT, width))
    elif words == ["files"]:
        out.lines(manual.files_lines(reference.files(_journal(ctx)), width))
    elif words == ["config"]:
        out.lines(manual.config_lines(str(config_path()), _config_keys(), width))
    elif words == ["man"]:
        root = ctx.find_root()
        sections = {
            "Environment": reference.ENVIRONMENT,
            "Files": reference.files_in_general(),  # the page is the same everywhere: it ships
            "Exit status": [
                (str(code), f"{name}: {meaning}") for code, (name, meaning) in _exit_codes().items()
            ],
        }
        Output().lines([manual.manpage(root.command, root, __version__, sections).rstrip("\n")])
    else:
        out.lines([_command_help(ctx, words)])


def _exit_codes() -> dict[int, tuple[str, str]]:
    return {int(code): (code.name, meaning) for code, meaning in MEANINGS.items()}


def _config_keys() -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(name, key.meaning, key.example, key.env) for name, key in CONFIG_KEYS.items()]


def _journal(ctx: typer.Context) -> Path | None:
    state = ctx.find_object(AppState) or AppState()
    return state.journal


def _command_help(ctx: typer.Context, words: list[str]) -> str:
    """One command's --help, found by its words (`milestone add`)."""
    current = ctx.find_root()
    command = current.command
    for word in words:
        found = getattr(command, "commands", {}).get(word)
        if found is None or getattr(found, "hidden", False):
            raise UsageProblem(
                f"'{' '.join(words)}' isn't a help topic or a command.",
                hint="`recovery-journal help` lists the topics; `recovery-journal --help` the commands.",
            )
        current = typer.Context(found, info_name=word, parent=current)
        command = found
    return str(command.get_help(current))
