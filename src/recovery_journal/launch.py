"""The console command's first step: `--version` answered at once, anything else handed to the whole CLI.

Loading the command line (Typer and every command's options) takes longer than printing a version, so
`recovery-journal --version` (or `-V`) is answered before any of it is imported.
"""

from __future__ import annotations

import sys

from . import __version__

VERSION_FLAGS = ("--version", "-V")


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:2] and sys.argv[1] in VERSION_FLAGS:
        sys.stdout.write(f"recovery-journal {__version__}\n")
        return
    from .cli import main as run

    run()
