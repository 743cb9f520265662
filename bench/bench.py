#!/usr/bin/env python3
"""Time recovery-journal's everyday commands on journals of 1k and 10k entries.

    python bench/bench.py                       # sizes 1000,10000, 7 runs each, markdown to stdout
    python bench/bench.py --sizes 1000,10000,50000 --runs 5 --json out.json
    python bench/bench.py --gen ../shared/bench/gen_entries.py   # the entries jrnl is timed on

Each command runs as a whole process (interpreter start, imports, unlocking, the work), the way a person
runs it; the figure is the median wall time. The key derivation (Argon2id, 64 MiB, t=3, p=4) is timed on
its own, and "after unlock" figures time the same work in-process with the key already derived, so the cost
of the KDF is shown apart from everything else. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from recovery_journal.domain.entry import EntryFilter, NewEntry  # noqa: E402
from recovery_journal.journal.service import Journal  # noqa: E402
from recovery_journal.overviews import calendar, facts, progress, timeline  # noqa: E402
from recovery_journal.paths import JournalPaths  # noqa: E402
from recovery_journal.portability import backup  # noqa: E402
from recovery_journal.sealing.crypto import DEFAULT_ARGON2, argon2id, new_salt  # noqa: E402
from recovery_journal.settings import Settings  # noqa: E402

PASSPHRASE = "benchmark passphrase"
# ../shared beside the checkout, or beside the folder of worktrees it is one of
SHARED_GEN = next(
    (
        folder / "shared" / "bench" / "gen_entries.py"
        for folder in (ROOT.parent, ROOT.parent.parent)
        if (folder / "shared" / "bench" / "gen_entries.py").exists()
    ),
    ROOT.parent / "shared" / "bench" / "gen_entries.py",
)


ENTRY = b"A new entry for the benchmark."
# What each command is run with, whole-process: arguments, and what is piped in.
COMMANDS: dict[str, tuple[list[str], bytes | None]] = {
    "write": (["write"], ENTRY),
    "list --limit 10": (["list", "--limit", "10"], None),
    "search lighthouse": (["search", "lighthouse"], None),
    "search serenity": (["search", "serenity"], None),
    "tags": (["tags"], None),
    "stage": (["stage"], None),
    "timeline": (["timeline"], None),
    "progress": (["progress"], None),
    "calendar": (["calendar", "--year", "2025"], None),
}


def entries(count: int, gen: Path | None) -> list[dict[str, object]]:
    """The shared seeded generator's entries (what jrnl is timed on) when present, else a simple fallback."""
    if gen is not None and gen.exists():
        out = subprocess.run(
            [sys.executable, str(gen), "--count", str(count)], capture_output=True, check=True
        )
        return [json.loads(line) for line in out.stdout.decode().splitlines()]
    rng = random.Random(42)
    words = "today felt heavy but I walked by the sea and called a friend who listened".split()  # noqa: SIM905
    start = datetime(2021, 1, 1, 21, 0)
    rows = []
    for n in range(count):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(80, 120)))
        if rng.random() < 0.05:
            text += " serenity"
        if rng.random() < 0.005:
            text += " lighthouse"
        rows.append({"date": (start + timedelta(hours=5 * n)).isoformat(), "text": text, "tags": ["bench"]})
    return rows


def build(home: Path, rows: list[dict[str, object]]) -> None:
    settings = Settings(paths=JournalPaths(home), scratch=home / "scratch")
    journal, _ = Journal.create(settings, PASSPHRASE)
    with journal:
        journal.recovery_code_shown()  # as `init` does once it has shown it: no reminder on every command
        for start in range(0, len(rows), 2000):
            journal.write_many(
                NewEntry(
                    text=str(r["text"]),
                    tags=tuple(r.get("tags") or ()),  # type: ignore[arg-type]
                    date=datetime.fromisoformat(str(r["date"])).astimezone(),
                )
                for r in rows[start : start + 2000]
            )


def wall(argv: list[str], env: dict[str, str], runs: int, stdin: bytes | None = None) -> float:
    """Median wall seconds of a whole process, after one untimed warm-up run."""
    times = []
    for attempt in range(runs + 1):
        began = time.perf_counter()
        done = subprocess.run(argv, input=stdin, env=env, capture_output=True)
        elapsed = time.perf_counter() - began
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()}")
        if attempt:
            times.append(elapsed)
    return statistics.median(times)


# Runs the command as its child and reports the child's peak resident memory (ru_maxrss: KiB on Linux).
_PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def peak_mib(argv: list[str], env: dict[str, str], stdin: bytes | None = None) -> float:
    """Peak resident memory of one whole run of a command, in MiB (a separate, untimed run)."""
    done = subprocess.run([sys.executable, "-c", _PEAK, *argv], input=stdin, env=env, capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()}")
    return int(done.stderr.decode().split()[-1]) / 1024


def session_figures(
    command: list[str], env: dict[str, str], runs: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Whole-process times and peak memory (MiB) in an unlocked session: no key derivation (whose 64 MiB
    would hide the rest). A failed session fails loudly."""
    subprocess.run([*command, "unlock", "--for", "1h"], env=env, check=True, capture_output=True)
    unlocked = {k: v for k, v in env.items() if k != "RECOVERY_JOURNAL_PASSPHRASE"}
    unlocked["RECOVERY_JOURNAL_PASSPHRASE_COMMAND"] = "false"  # so a command that can't use it fails
    try:
        timed = {op: wall([*command, *argv], unlocked, runs, stdin) for op, (argv, stdin) in COMMANDS.items()}
        peaks = {op: peak_mib([*command, *argv], unlocked, stdin) for op, (argv, stdin) in COMMANDS.items()}
        return timed, peaks
    finally:
        subprocess.run([*command, "lock"], env=env, check=False, capture_output=True)


def inproc(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def backup_figures(journal: Journal, scratch: Path) -> dict[str, float]:
    """In-process seconds for backup create (with its read-back check), verify, and restore into a new one.

    Each includes one Argon2id derivation (two for create: writing, then checking).
    """
    target = scratch / "bench.rjbackup"
    began = time.perf_counter()
    backup.create(journal, target, PASSPHRASE, DEFAULT_ARGON2, force=True)
    created = time.perf_counter() - began
    began = time.perf_counter()
    incoming = backup.read(target, PASSPHRASE)
    verified = time.perf_counter() - began
    began = time.perf_counter()
    fresh = Settings(paths=JournalPaths(scratch / "restored"), scratch=scratch / "s")
    restored, _, _ = backup.restore_new(fresh, PASSPHRASE, incoming)
    restored.close()
    restored_s = time.perf_counter() - began
    return {
        "create": created,
        "verify": verified,
        "restore": restored_s,
        "bytes": float(target.stat().st_size),
    }


def classify_throughput(texts: list[str]) -> tuple[float, float]:
    """(entries per second, median milliseconds per entry) for the shipped stage model."""
    from recovery_journal.stages import classify

    classify(texts[0])  # load the model once, as a command does
    each = []
    began = time.perf_counter()
    for text in texts:
        start = time.perf_counter()
        classify(text)
        each.append(time.perf_counter() - start)
    total = time.perf_counter() - began
    return len(texts) / total, statistics.median(each) * 1000


def kdf_seconds(runs: int) -> float:
    salt = new_salt()
    return inproc(lambda: argon2id(b"benchmark passphrase", salt, DEFAULT_ARGON2), runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--gen", type=Path, default=SHARED_GEN, help="gen_entries.py (default: ../shared/bench)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--backup-sizes", default="10000", help="sizes at which to time backup create/verify/restore"
    )
    parser.add_argument(
        "--classify", type=int, default=10000, help="entries to classify for throughput (0: skip)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    args.backup_sizes = [int(s) for s in args.backup_sizes.split(",") if s]
    command = [sys.executable, "-m", "recovery_journal"]
    results: dict[str, object] = {"kdf_s": kdf_seconds(5), "sizes": {}}
    print(f"Argon2id (64 MiB, t=3, p=4), once per command: {results['kdf_s']:.3f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="rj-bench-") as scratch:
        for size in sizes:
            home = Path(scratch) / f"j{size}"
            print(f"building {size} entries...", file=sys.stderr)
            build(home, entries(size, args.gen))
            env = {
                **os.environ,
                "RECOVERY_JOURNAL_HOME": str(home),
                "RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE,
                "PYTHONPATH": str(ROOT / "src"),
            }
            env.pop("RECOVERY_JOURNAL_TESTONLY_WEAK_KDF", None)
            # An installed package has its bytecode compiled; without it every run recompiles every module
            # (about 0.1 s a command here), which no one who installed the tool pays.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            figures = {
                op: wall([*command, *argv], env, args.runs, stdin=stdin)
                for op, (argv, stdin) in COMMANDS.items()
            }
            results.setdefault("peak_mib", {})[size] = {  # type: ignore[union-attr]
                op: peak_mib([*command, *argv], env, stdin) for op, (argv, stdin) in COMMANDS.items()
            }
            session, session_peaks = session_figures(command, env, args.runs)
            results.setdefault("session", {})[size] = session  # type: ignore[union-attr]
            results.setdefault("session_peak_mib", {})[size] = session_peaks  # type: ignore[union-attr]
            settings = Settings(paths=JournalPaths(home), scratch=home / "scratch")
            with Journal.unlock(settings, PASSPHRASE) as journal:
                after = {
                    "write": inproc(lambda j=journal: j.write("After unlock."), args.runs),
                    "tags": inproc(lambda j=journal: j.tags(), args.runs),
                    "list --limit 10": inproc(lambda j=journal: j.entries(EntryFilter(limit=10)), args.runs),
                    "search lighthouse": inproc(lambda j=journal: j.search("lighthouse"), args.runs),
                    "search serenity": inproc(lambda j=journal: j.search("serenity"), args.runs),
                    "stage": inproc(lambda j=journal: j.stages.journey(), args.runs),
                    "timeline": inproc(lambda j=journal: timeline.build(facts.snapshot(j)), args.runs),
                    "progress": inproc(
                        lambda j=journal: progress.build(facts.snapshot(j, with_signals=True)), args.runs
                    ),
                    "calendar": inproc(
                        lambda j=journal: calendar.year_map(facts.snapshot(j), 2025), args.runs
                    ),
                }
                if size in args.backup_sizes:
                    results.setdefault("backup", {})[size] = backup_figures(journal, Path(scratch))  # type: ignore[union-attr]
            results["sizes"][size] = {"process": figures, "after_unlock": after}  # type: ignore[index]
    if args.classify:
        texts = [str(r["text"]) for r in entries(args.classify, args.gen)]
        rate, each_ms = classify_throughput(texts)
        results["classify"] = {"entries": len(texts), "per_second": rate, "median_ms": each_ms}
    print(table(results, sizes))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True))
    return 0


def table(results: dict[str, object], sizes: list[int]) -> str:
    per_size = results["sizes"]
    ops = list(per_size[sizes[0]]["process"])  # type: ignore[index]
    head = "| command | " + " | ".join(f"{s:,} entries (after unlock)" for s in sizes) + " |"
    lines = [head, "|---|" + "---|" * len(sizes)]
    for op in ops:
        cells = [
            f"{per_size[s]['process'][op]:.2f} s ({per_size[s]['after_unlock'][op] * 1000:.0f} ms)"  # type: ignore[index]
            for s in sizes
        ]
        lines.append(f"| `{op}` | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"Key derivation alone (Argon2id, 64 MiB, t=3, p=4): {results['kdf_s']:.2f} s per command.")
    for size, fig in (results.get("backup") or {}).items():  # type: ignore[attr-defined]
        lines.append(
            f"Backup at {size:,} entries ({fig['bytes'] / 1024 / 1024:.1f} MiB): "
            f"create {fig['create']:.2f} s "
            f"(with its read-back check), verify {fig['verify']:.2f} s, restore into a new journal "
            f"{fig['restore']:.2f} s; each includes the key derivation."
        )
    for size, fig in (results.get("session") or {}).items():  # type: ignore[attr-defined]
        timed = ", ".join(f"`{op}` {seconds:.2f} s" for op, seconds in fig.items())
        lines.append(f"In an unlocked session at {size:,} entries (no key derivation): {timed}.")
    for key, how in (("peak_mib", "with the key derivation"), ("session_peak_mib", "in an unlocked session")):
        for size, fig in (results.get(key) or {}).items():  # type: ignore[attr-defined]
            peaks = ", ".join(f"`{op}` {mib:.0f}" for op, mib in fig.items())
            lines.append(f"Peak memory (MiB) at {size:,} entries, {how}: {peaks}.")
    if "classify" in results:
        c = results["classify"]
        lines.append(
            f"Stage classification: {c['per_second']:,.0f} entries/s over {c['entries']:,} entries "  # type: ignore[index]
            f"(median {c['median_ms']:.2f} ms per entry)."  # type: ignore[index]
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
