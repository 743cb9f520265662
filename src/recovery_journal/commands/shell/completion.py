"""`completion`: the scripts that let bash, zsh and fish complete commands, in Typer's own protocol."""

from __future__ import annotations

from typing import Annotated

import typer

from ...errors import UsageProblem
from ...render.output import Output


def enable_completion() -> None:
    """Answer the shells' completion requests in Typer's own protocol (the scripts `completion` prints).

    Typer registers its completion classes only when it adds its own --install-completion options, which
    would crowd every --help; this registers them without the options.
    """
    from typer._completion_classes import completion_init

    completion_init()


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

    \b
    recovery-journal completion bash > ~/.local/share/bash-completion/completions/recovery-journal
    recovery-journal completion zsh > "${fpath[1]}/_recovery-journal"
    recovery-journal completion fish > ~/.config/fish/completions/recovery-journal.fish

    Example: recovery-journal completion bash
    """
    from typer._completion_shared import get_completion_script

    chosen = shell.strip().lower()
    if chosen not in SHELLS:
        raise UsageProblem(f"'{shell}' isn't a shell this can complete in.", hint="Use bash, zsh or fish.")
    prog = ctx.find_root().info_name or "recovery-journal"
    variable = "_{}_COMPLETE".format(prog.replace("-", "_").upper())
    Output().lines([get_completion_script(prog_name=prog, complete_var=variable, shell=chosen)])
