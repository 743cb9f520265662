"""`config`: see and change the config file; and the colour it chooses for this run's output."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ...configfile import config_path, dump
from ...render.output import Output
from ...settings import CONFIG_KEYS, ConfigView, config_view, set_config, unset_config
from ..options import JsonOpt

NOT_ENCRYPTED = (
    "The config file isn't encrypted: it holds settings, never your words, but anyone who can read your "
    "files can read it (a default tag's name, too)."
)
STILL_NOT_ENCRYPTED = "As before, the file isn't encrypted: settings only, never your words."


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
    made = not config_path(os.environ).exists()
    view = set_config(os.environ, key, value)
    out = Output()
    name = key.strip().lower().replace("-", "_")
    out.say(f"Saved {name} in {view.path}.", style="green")
    if name in view.overridden:
        out.say(f"{view.overridden[name]} is set in this shell, so it wins over the file for now.")
    out.say(NOT_ENCRYPTED if made else STILL_NOT_ENCRYPTED)  # the whole paragraph once, when the file is made
    for note in view.notes:
        out.say(note, style="yellow")


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
