"""The console command's first step: `--version` answered at once, anything else handed to the whole CLI.

Loading the command line (Typer and every command's options) takes longer than printing a version, so
`recovery-journal --version` (or `-V`) is answered before any of it is imported.

Start-up creates tens of thousands of objects (modules, classes, functions) and frees almost none, so the
cyclic garbage collector, left on, runs about fifty times while a command loads and finds next to nothing:
7 to 8 ms of a `list` or a `search`. It is off until the command line has been read; `cli.root` turns it
back on, with what was loaded set aside (`gc.freeze`) so that later collections in a long command don't walk
it again.
"""

from __future__ import annotations

import gc
import sys

from . import __version__

VERSION_FLAGS = ("--version", "-V")


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:2] and sys.argv[1] in VERSION_FLAGS:
        sys.stdout.write(f"recovery-journal {__version__}\n")
        return
    gc.disable()  # until the command line has been read (see the module's docstring)
    from .cli import main as run

    run()
