#!/usr/bin/env python3
"""Issue 14's targets from one run beside jrnl 4.6: every figure bench/README.md quotes for them.

    python bench/side_by_side.py                                  # 1k, 10k and 50k; takes 30 minutes or more
    python bench/side_by_side.py --sizes 1000,10000 --runs 5 --json figures.json

Uses ../shared/bench/jrnl_baseline.py for everything on jrnl's side (its virtualenv, its encrypted journals
written by jrnl's own code, and its timing harness: fresh processes, round robin, medians, peak memory from
wait4), with its workdir (--workdir, default $JRNL_BENCH_DIR or the system temp folder's jrnl-bench; `setup`
builds it when missing). Our journals are built once from the same seeded entries and kept under
<workdir>/recovery-journal/. Three tables:

1. key derived every command (real Argon2id), each pair alternated with jrnl: add, last 10, search, range;
2. in an unlocked session (`unlock`, then no passphrase): write, list, show, search, tags and the overviews;
3. `--version` and `--help`.

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import PASSPHRASE, SHARED_GEN, build, entries

sys.path.insert(0, str(SHARED_GEN.parent))
import jrnl_baseline as jb

OURS = [sys.executable, "-m", "recovery_journal"]

# (what, our arguments, jrnl's operation in jrnl_baseline.OPS)
PAIRS = [
    ("add one entry", ["write"], "add"),
    ("the last 10", ["list", "--limit", "10"], "last10"),
    (f"search (`{jb.SEARCH_WORD}`)", ["search", jb.SEARCH_WORD], "search"),
    ("date range", ["list", "--from", jb.RANGE[0], "--to", jb.RANGE[1]], "range"),
]
SESSION = [
    ("write (piped)", ["write"]),
    ("list --limit 10", ["list", "--limit", "10"]),
    ("show 5", ["show", "5"]),
    ("search lighthouse", ["search", "lighthouse"]),
    ("search serenity", ["search", "serenity"]),
    ("tags", ["tags"]),
    ("stage", ["stage"]),
    ("timeline", ["timeline"]),
    ("progress", ["progress"]),
    ("calendar --year 2025", ["calendar", "--year", "2025"]),
]


def command(args: list[str]) -> list[str]:
    """Our command as a process; `write` gets its words through a pipe (jrnl's add, as arguments)."""
    if args[:1] == ["write"]:
        line = " ".join([*OURS, *args])
        return ["sh", "-c", f"printf '%s' '{jb.ADD_TEXT}' | {line}"]
    return [*OURS, *args]


def our_journal(workdir: Path, size: int) -> Path:
    home = workdir / "recovery-journal" / f"j{size}"
    if not (home / "built").exists():
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        print(f"building our {size:,}-entry journal...", file=sys.stderr, flush=True)
        build(home, entries(size, SHARED_GEN))
        (home / "built").write_text("ok\n")
    return home


def environment(paths: jb.Paths, home: Path, session: bool) -> dict[str, str]:
    env: dict[str, str] = paths.env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package runs compiled bytecode
    env.pop("RECOVERY_JOURNAL_TESTONLY_WEAK_KDF", None)
    env["RECOVERY_JOURNAL_HOME"] = str(home)
    if session:
        env["RECOVERY_JOURNAL_PASSPHRASE_COMMAND"] = "false"  # a command that can't use the session fails
    else:
        env["RECOVERY_JOURNAL_PASSPHRASE"] = PASSPHRASE
    return env


def pairs(paths: jb.Paths, workdir: Path, size: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    home = our_journal(workdir, size)
    env = environment(paths, home, session=False)
    jrnl_file = f"enc-{size}.txt"

    def restore() -> None:
        shutil.copyfile(paths.pristine / jrnl_file, paths.journals / jrnl_file)

    rows = []
    for what, ours, op in PAIRS:
        cmds = [command(ours), [paths.jrnl, *jb.OPS[op](f"e{size}")]]
        befores = [None, restore] if op == "add" else None
        a, b = jb.bench_set(cmds, env, args.runs, 1, befores, args.slow_s, args.slow_runs)
        restore()
        if set(a["exit_codes"]) != {0} or set(b["exit_codes"]) != {0}:
            raise SystemExit(f"{what} at {size}: exit codes {a['exit_codes']} and {b['exit_codes']}")
        rows.append(
            {
                "size": size,
                "what": what,
                "ours_s": a["wall_median"],
                "jrnl_s": b["wall_median"],
                "ratio": b["first_over_this"],  # median over rounds of ours / jrnl
                "ours_peak_mib": a["peak_mib_median"],
                "runs": a["runs"],
            }
        )
        print(f"  {size:>6} {what:<24} {a['wall_median']:.3f} s vs {b['wall_median']:.3f} s", file=sys.stderr)
    return rows


def session(paths: jb.Paths, workdir: Path, size: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    home = our_journal(workdir, size)
    unlock = environment(paths, home, session=False)
    subprocess.run([*OURS, "unlock"], env=unlock, check=True, capture_output=True)
    env = environment(paths, home, session=True)
    rows = []
    try:
        for what, ours in SESSION:
            (r,) = jb.bench_set([command(ours)], env, args.session_runs, 1)
            if set(r["exit_codes"]) != {0}:
                raise SystemExit(f"{what} at {size} in a session: exit codes {r['exit_codes']}")
            rows.append(
                {"size": size, "what": what, "wall_s": r["wall_median"], "peak_mib": r["peak_mib_median"]}
            )
            print(f"  session {size:>6} {what:<22} {r['wall_median']:.3f} s", file=sys.stderr)
    finally:
        subprocess.run([*OURS, "lock"], env=env, capture_output=True)
    return rows


def start_up(paths: jb.Paths, args: argparse.Namespace) -> list[dict[str, Any]]:
    env = environment(paths, paths.wd, session=True)
    rows = []
    for flag in ("--version", "--help"):
        (r,) = jb.bench_set([[*OURS, flag]], env, args.session_runs, 1)
        rows.append({"what": flag, "wall_s": r["wall_median"], "peak_mib": r["peak_mib_median"]})
    return rows


def table(report: dict[str, Any]) -> str:
    sizes = sorted({r["size"] for r in report["pairs"]})
    out = [
        f"load average {report['load_start']:.2f} at start, {report['load_end']:.2f} at end; "
        f"{os.cpu_count()} CPUs",
        "",
        "| what | " + " | ".join(f"{n:,}" for n in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for what, _, _ in PAIRS:
        cells = []
        for n in sizes:
            r = next(r for r in report["pairs"] if r["size"] == n and r["what"] == what)
            cells.append(
                f"{r['ours_s']:.2f} s vs {r['jrnl_s']:.2f} s: **{r['ratio']:.3f}** ({1 / r['ratio']:.1f}x)"
            )
        out.append(f"| {what} | " + " | ".join(cells) + " |")
    if report["session"]:
        sizes = sorted({r["size"] for r in report["session"]})
        out += [
            "",
            "| in a session | " + " | ".join(f"{n:,}" for n in sizes) + " |",
            "|---|" + "---|" * len(sizes),
        ]
        for what, _ in SESSION:
            cells = [
                f"{r['wall_s']:.3f} s"
                for n in sizes
                for r in report["session"]
                if r["size"] == n and r["what"] == what
            ]
            out.append(f"| `{what}` | " + " | ".join(cells) + " |")
    out += [""] + [f"- `{r['what']}`: {r['wall_s'] * 1000:.0f} ms" for r in report["start_up"]]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--workdir", default=os.environ.get("JRNL_BENCH_DIR", str(Path(tempfile.gettempdir()) / "jrnl-bench"))
    )
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--session-sizes", default="10000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--session-runs", type=int, default=7)
    parser.add_argument("--slow-s", type=float, default=20.0)
    parser.add_argument("--slow-runs", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    paths = jb.Paths(args.workdir)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if not Path(paths.jrnl).exists() or not all((paths.pristine / f"enc-{n}.txt").exists() for n in sizes):
        jb.setup(paths, sizes, False, jb.JRNL_SPEC)
    workdir = Path(args.workdir)
    report: dict[str, Any] = {"load_start": os.getloadavg()[0], "pairs": [], "session": []}
    for size in sizes:
        report["pairs"] += pairs(paths, workdir, size, args)
    for size in [int(s) for s in args.session_sizes.split(",") if s]:
        report["session"] += session(paths, workdir, size, args)
    report["start_up"] = start_up(paths, args)
    report["load_end"] = os.getloadavg()[0]
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    print(table(report))


if __name__ == "__main__":
    main()
