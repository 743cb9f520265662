#!/usr/bin/env python3
"""Instructions a command runs, counted by valgrind's callgrind: a figure that doesn't move with the machine.

    python bench/instructions.py --journal J -- list --limit 10
    python bench/instructions.py --journal J --src /tmp/before/src --src src -- search lighthouse
    printf 'A walk.' | python bench/instructions.py --journal J --stdin - -- write

A wall clock on a shared virtual machine moves by 10 to 40% from one minute to the next, which hides the
5 ms a start-up change is worth; the count of instructions a whole process runs moves by about 0.1%. So a
change to start-up is judged here first, old and new source trees side by side, and by the clock in
`side_by_side.py` after. The journal should be unlocked first (`recovery-journal unlock`), or the count is
mostly the key derivation; `RECOVERY_JOURNAL_PASSPHRASE_COMMAND=false` is set, so a command that can't use
the session fails rather than asking. Each run is about 50 times slower than the command alone.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def count(src: Path, journal: Path, args: list[str], stdin: bytes | None) -> int:
    """Instructions run by `recovery-journal ARGS` with the package imported from `src`."""
    env = dict(os.environ, PYTHONPATH=str(src), RECOVERY_JOURNAL_HOME=str(journal))
    env["RECOVERY_JOURNAL_PASSPHRASE_COMMAND"] = "false"
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package runs compiled bytecode
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True)
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run(
        [*valgrind, sys.executable, "-m", "recovery_journal", *args],
        input=stdin,
        env=env,
        capture_output=True,
        check=False,
    )
    found = re.search(rb"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{src}: exit {done.returncode}\n{done.stderr.decode(errors='replace')[-800:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--journal", type=Path, required=True, help="an unlocked journal folder")
    parser.add_argument("--src", type=Path, action="append", help="a source tree's src/ (default: this one)")
    parser.add_argument("--stdin", help="a file to pipe in ('-' for this script's own input)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind isn't installed (apt install valgrind)")
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    stdin = None
    if args.stdin == "-":
        stdin = sys.stdin.buffer.read()
    elif args.stdin:
        stdin = Path(args.stdin).read_bytes()
    for src in args.src or [ROOT / "src"]:
        print(f"{count(src, args.journal, command, stdin) / 1e6:9.1f} M  {src}")


if __name__ == "__main__":
    main()
