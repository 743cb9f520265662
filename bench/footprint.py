#!/usr/bin/env python3
"""Start-up time, peak memory and import time: `--version`, `--help`, and the commands that carry everything.

    python bench/footprint.py                          # 50,000 entries, 10 runs of the start-up commands
    python bench/footprint.py --size 10000 --json out.json
    python bench/footprint.py --only "import jrnl (new journal)"   # one command (no journal built for it)
    python bench/footprint.py --workdir /tmp/fp50k      # keep the 50,000-entry journal; later runs reuse it

Each command runs as a whole process, the way a person runs it, with the real key derivation. Start-up figures
are medians of wall time after a warm-up run; the others are one run each, with the process's peak resident
memory (ru_maxrss, from wait4). The journal is built from the shared seeded generator's entries
(../shared/bench/gen_entries.py), and the same entries, written as a jrnl text journal, are what `import jrnl`
reads. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import PASSPHRASE, ROOT, SHARED_GEN, build, entries

COMMAND = [sys.executable, "-m", "recovery_journal"]
IMPORT = "import jrnl (new journal)"


# Started from a small process of its own: Linux counts the memory a child had before it started the command
# (a copy of its parent's) in its peak, and this script's own journal-building would show in every figure.
STARTER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nPEAK_KIB {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of one whole process; its output is thrown away."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", STARTER, *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    elapsed = time.perf_counter() - began
    errors, _, peak = done.stderr.decode().rpartition("\nPEAK_KIB ")
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {errors}")
    return elapsed, int(peak) / 1024


def median_wall(argv: list[str], env: dict[str, str], runs: int) -> float:
    measured(argv, env)  # warm the file cache
    return statistics.median(measured(argv, env)[0] for _ in range(runs))


def jrnl_text(rows: list[dict[str, object]]) -> str:
    """The entries as jrnl writes its plain-text journal: `[date] first sentence`, then the rest."""
    blocks = []
    for row in rows:
        title, _, body = str(row["text"]).partition(". ")
        when = datetime.fromisoformat(str(row["date"]))
        blocks.append(f"[{when:%Y-%m-%d %H:%M}] {title}.\n{body}\n")
    return "\n".join(blocks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--gen", type=Path, default=SHARED_GEN)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--only", action="append", help="run only this command (as named in the table)")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="build the journal here and keep it; a later run with the same --size reuses it (building "
        "50,000 entries takes about a minute)",
    )
    args = parser.parse_args()
    base = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE}
    base.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled bytecode, as an installed package has
    for name in ("RECOVERY_JOURNAL_TESTONLY_WEAK_KDF", "RECOVERY_JOURNAL_HOME"):
        base.pop(name, None)
    results: dict[str, object] = {
        "size": args.size,
        "--version": median_wall([*COMMAND, "--version"], base, args.runs),
        "--help": median_wall([*COMMAND, "--help"], base, args.runs),
    }
    print(f"--version {results['--version']:.3f} s, --help {results['--help']:.3f} s", file=sys.stderr)
    commands: dict[str, dict[str, float]] = {}
    kept = args.workdir / str(args.size) if args.workdir else None
    with contextlib.ExitStack() as stack:
        folder = kept or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rj-footprint-")))
        source = folder / "journal.txt"
        wanted = args.only != [IMPORT]  # the import makes its own journal
        if not source.exists() or (wanted and not (folder / "journal" / "journal.db").exists()):
            folder.mkdir(parents=True, exist_ok=True)
            rows = entries(args.size, args.gen)
            source.write_text(jrnl_text(rows), encoding="utf-8")
            if wanted:
                print(f"building {args.size} entries...", file=sys.stderr)
                build(folder / "journal", rows)
            del rows
        for made in ("restored", "imported", "b.rjbackup"):  # what the runs below make, fresh each time
            shutil.rmtree(folder / made, ignore_errors=True)
            (folder / made).unlink(missing_ok=True)
        env = {**base, "RECOVERY_JOURNAL_HOME": str(folder / "journal")}
        fresh = {**base, "RECOVERY_JOURNAL_NEW_PASSPHRASE": PASSPHRASE}
        kdf = (
            "from recovery_journal.sealing import crypto;"
            "crypto.argon2id(b'x', crypto.new_salt(), crypto.DEFAULT_ARGON2)"
        )
        runs = {
            "the key derivation alone (the floor)": ([sys.executable, "-c", kdf], env),
            "list --limit 10": ([*COMMAND, "list", "--limit", "10"], env),
            "export --format json": ([*COMMAND, "export", "--format", "json"], env),
            "export --format markdown": ([*COMMAND, "export", "--format", "markdown"], env),
            "export --format txt": ([*COMMAND, "export", "--format", "txt"], env),
            "backup create": ([*COMMAND, "backup", "create", str(folder / "b.rjbackup")], env),
            "backup verify": ([*COMMAND, "backup", "verify", str(folder / "b.rjbackup")], env),
            "backup restore (new journal)": (
                [*COMMAND, "backup", "restore", str(folder / "b.rjbackup")],
                {**fresh, "RECOVERY_JOURNAL_HOME": str(folder / "restored")},
            ),
            IMPORT: (
                [*COMMAND, "import", "jrnl", str(source)],
                {**fresh, "RECOVERY_JOURNAL_HOME": str(folder / "imported")},
            ),
        }
        for name, (argv, run_env) in runs.items():
            if args.only and name not in args.only:
                continue
            load = os.getloadavg()[0]  # the machine is shared: each figure says how busy it was
            seconds, peak = measured(argv, run_env)
            commands[name] = {"seconds": seconds, "peak_mib": peak, "load": load}
            print(f"{name}: {seconds:.2f} s, peak {peak:.0f} MiB (load average {load:.2f})", file=sys.stderr)
    results["commands"] = commands
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True))
    return 0


def table(results: dict[str, object]) -> str:
    lines = [
        f"`--version` {results['--version']:.3f} s, `--help` {results['--help']:.3f} s (medians).",
        "",
        f"| command at {results['size']:,} entries | wall | peak memory | load average |",
        "|---|---|---|---|",
    ]
    for name, fig in results["commands"].items():  # type: ignore[attr-defined]
        shown = name if name.startswith("the ") else f"`{name}`"
        lines.append(f"| {shown} | {fig['seconds']:.2f} s | {fig['peak_mib']:.0f} MiB | {fig['load']:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
