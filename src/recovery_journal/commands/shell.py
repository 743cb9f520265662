"""Fitting the journal to your shell: the config file, completion scripts, and help that works offline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__, reference
from ..configfile import config_path, dump
from ..errors import MEANINGS, UsageProblem
from ..render import manual
from ..render.output import Output, reset_colour, use_colour
from ..settings import CONFIG_KEYS, ConfigView, colour, config_view, set_config, unset_config
from .options import JsonOpt
from .terminal import AppState

NOT_ENCRYPTED = (
    "The config file isn't encrypted: it holds settings, never your words, but anyone who can read your "
    "files can read it (a default tag's name, too)."
)


def fit_output(ctx: typer.Context) -> None:
    """Make this run's output use the colour chosen by NO_COLOR, FORCE_COLOR or the config file's color."""
    token = use_colour(colour(os.environ))
    ctx.call_on_close(lambda: reset_colour(token))


def enable_completion() -> None:
    """Answer the shells' completion requests in Typer's own protocol (the scripts `completion` prints).

    Typer registers its completion classes only when it adds its own --install-completion options, which
    would crowd every --help; this registers them without the options.
    """
    from typer._completion_classes import completion_init

    completion_init()


# --- config --------------------------------------------------------------------------------------------

config_app = typer.Typer(
    help="See or change the config file: your editor, default tags, colour, date order and more.",
    no_args_is_help=False,
)


@config_app.callback(invoke_without_command=True)
def config(ctx: typer.Context) -> None:
    """See or change the config file: your editor, default tags, colour, date order and more.

    Alone, it shows the file's settings, as `config show` does.
    """
    if ctx.invoked_subcommand is None:
        show()


@config_app.command("path")
def path() -> None:
    """Print where the config file is (RECOVERY_JOURNAL_CONFIG moves it).

    Example: recovery-journal config path
    """
    where = config_path()
    Output().lines([str(where)])
    if not where.exists():
        Output().say("It doesn't exist yet; `recovery-journal config set` makes it, or you can write it.")


@config_app.command("show")
def show(as_json: JsonOpt = False) -> None:
    """Show the config file's settings, and which the environment overrides now.

    Example: recovery-journal config show
    """
    out = Output(as_json)
    view = config_view()
    if as_json:
        out.document(
            "config",
            path=str(view.path),
            exists=view.exists,
            settings={k: list(v) if isinstance(v, tuple) else v for k, v in view.values.items()},
            overridden=view.overridden,
            notes=view.notes,
        )
        return
    _tell(out, view)


def _tell(out: Output, view: ConfigView) -> None:
    lines = [f"# {view.path}" + ("" if view.exists else " (not made yet)")]
    for name, value in view.values.items():
        winner = view.overridden.get(name)
        lines.append(f"{name} = {dump(value)}" + (f"  # {winner} is set, and wins for now" if winner else ""))
    unset = [name for name in CONFIG_KEYS if name not in view.values]
    if unset:
        lines.append(f"# not set (the defaults apply): {', '.join(unset)}")
    out.lines(lines)
    for note in view.notes:
        out.say(note, style="yellow")


ValueArg = Annotated[
    list[str],
    typer.Argument(metavar="VALUE...", help="The value; several words for default_tags.", show_default=False),
]


@config_app.command("set", context_settings={"ignore_unknown_options": True})
def set_command(
    key: Annotated[str, typer.Argument(metavar="KEY", help="A setting: see `recovery-journal help config`.")],
    value: ValueArg,
) -> None:
    """Set one setting in the config file, keeping everything else in it as it was.

    An editor may have arguments: recovery-journal config set editor code --wait

    Example: recovery-journal config set default_tags evening therapy
    """
    view = set_config(os.environ, key, value)
    out = Output()
    name = key.strip().lower().replace("-", "_")
    out.say(f"Saved {name} in {view.path}.", style="green")
    if name in view.overridden:
        out.say(f"{view.overridden[name]} is set in this shell, so it wins over the file for now.")
    out.say(NOT_ENCRYPTED)


@config_app.command("unset")
def unset_command(
    key: Annotated[str, typer.Argument(metavar="KEY", help="The setting to remove from the file.")],
) -> None:
    """Remove one setting from the config file, so its default applies again.

    Example: recovery-journal config unset color
    """
    view, removed = unset_config(os.environ, key)
    if removed:
        Output().say(f"Removed {key.strip()} from {view.path}; its default applies again.", style="green")
    else:
        Output().say(f"{key.strip()} wasn't set in {view.path}, so nothing was changed.")


# --- completion ----------------------------------------------------------------------------------------

SHELLS = ("bash", "zsh", "fish")


def completion(
    ctx: typer.Context,
    shell: Annotated[
        str,
        typer.Argument(
            metavar="SHELL",
            help="bash, zsh or fish.",
            show_default=False,
            autocompletion=lambda incomplete: [s for s in SHELLS if s.startswith(incomplete)],
        ),
    ],
) -> None:
    """Print the script that lets your shell complete recovery-journal's commands and options.

    Save it where your shell looks for completions, then open a new terminal:

      bash: recovery-journal completion bash > ~/.local/share/bash-completion/completions/recovery-journal

      zsh:  recovery-journal completion zsh > "${fpath[1]}/_recovery-journal"

      fish: recovery-journal completion fish > ~/.config/fish/completions/recovery-journal.fish

    Example: recovery-journal completion bash
    """
    from typer._completion_shared import get_completion_script

    chosen = shell.strip().lower()
    if chosen not in SHELLS:
        raise UsageProblem(f"'{shell}' isn't a shell this can complete in.", hint="Use bash, zsh or fish.")
    prog = ctx.find_root().info_name or "recovery-journal"
    variable = "_{}_COMPLETE".format(prog.replace("-", "_").upper())
    Output().lines([get_completion_script(prog_name=prog, complete_var=variable, shell=chosen)])


# --- help ----------------------------------------------------------------------------------------------

TOPICS = {
    "exit-codes": "what each exit code means",
    "environment": "the environment variables recovery-journal reads",
    "files": "where your journal, drafts, editor files and config file are",
    "config": "the config file and every setting it can hold",
    "man": "the whole manual as a man page: man <(recovery-journal help man)",
}


def _topic_names(incomplete: str) -> list[str]:
    return [name for name in TOPICS if name.startswith(incomplete)]


def help_command(
    ctx: typer.Context,
    topic: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[TOPIC | COMMAND]",
            help="exit-codes, environment, files, config or man; or a command, e.g. `help milestone add`.",
            show_default=False,
            autocompletion=_topic_names,
        ),
    ] = None,
) -> None:
    """Show help that works offline: exit codes, environment variables, files, the config file, a man page.

    Example: recovery-journal help exit-codes
    """
    out = Output()
    words = [w for w in (topic or []) if w.strip()]
    if not words:
        out.lines(manual.topics_lines(TOPICS))
    elif words == ["exit-codes"]:
        out.lines(manual.exit_code_lines(_exit_codes()))
    elif words == ["environment"]:
        out.lines(manual.environment_lines(reference.ENVIRONMENT))
    elif words == ["files"]:
        out.lines(manual.files_lines(reference.files(_journal(ctx))))
    elif words == ["config"]:
        out.lines(manual.config_lines(str(config_path()), _config_keys()))
    elif words == ["man"]:
        root = ctx.find_root()
        sections = {
            "Environment": reference.ENVIRONMENT,
            "Files": reference.files(_journal(ctx)),
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
