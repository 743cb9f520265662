#!/usr/bin/env python3
"""Time sync (issue 17): a sync that brings in 1,000 new entries, and a sync with nothing new beside `list`.

    python bench/sync.py                      # a journal of 10,000 entries on two devices, 3 runs
    python bench/sync.py --size 1000 --new 1000 --runs 5

Two journal homes share one sync folder, as two devices would. "Brings in" is timed in-process on the
receiving device, with the key already derived, after the other device wrote the new entries and synced;
"nothing new" and `list --limit 10` are timed as whole processes (start-up, the key derivation, the work),
the way a person runs them, taking turns so that load coming and going on a shared machine falls on both
alike; then again in an unlocked session, without the key derivation that is most of either. Each figure is
the median. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import PASSPHRASE, ROOT, SHARED_GEN, build, entries

from recovery_journal.domain.entry import NewEntry
from recovery_journal.journal.service import Journal
from recovery_journal.paths import JournalPaths
from recovery_journal.settings import Settings
from recovery_journal.sync import engine, joining


def settings_for(home: Path) -> Settings:
    return Settings(paths=JournalPaths(home), scratch=home / "scratch")


def alternating(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, float]:
    """Median wall seconds of each whole-process command, run in turn, after one untimed round."""
    times: dict[str, list[float]] = {label: [] for label in commands}
    for attempt in range(runs + 1):
        for label, argv in commands.items():
            began = time.perf_counter()
            done = subprocess.run(argv, env=env, capture_output=True)
            elapsed = time.perf_counter() - began
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()}")
            if attempt:
                times[label].append(elapsed)
    return {label: statistics.median(taken) for label, taken in times.items()}


def in_a_session(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, float]:
    """As alternating, in an unlocked session (no key derivation); the session is ended after."""
    command = [sys.executable, "-m", "recovery_journal"]
    subprocess.run([*command, "unlock", "--for", "1h"], env=env, check=True, capture_output=True)
    unlocked = {k: v for k, v in env.items() if k != "RECOVERY_JOURNAL_PASSPHRASE"}
    unlocked["RECOVERY_JOURNAL_PASSPHRASE_COMMAND"] = "false"  # so a command that can't use it fails
    try:
        return alternating(commands, unlocked, runs)
    finally:
        subprocess.run([*command, "lock"], env=env, check=False, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="entries the journal holds before")
    parser.add_argument("--new", type=int, default=1_000, help="new entries each timed sync brings in")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (3 times this for whole processes)")
    args = parser.parse_args()
    os.environ.pop("RECOVERY_JOURNAL_TESTONLY_WEAK_KDF", None)
    with tempfile.TemporaryDirectory(prefix="rj-bench-sync-") as scratch:
        root = Path(scratch)
        # Each device notes where it lives beside the config file (sync/seat.py): keep that here too.
        os.environ["RECOVERY_JOURNAL_CONFIG"] = str(root / "config" / "config.toml")
        rows = entries(args.size + args.new * args.runs, SHARED_GEN)
        print(f"building {args.size} entries and two devices...", file=sys.stderr)
        build(root / "laptop", rows[: args.size])
        laptop = Journal.unlock(settings_for(root / "laptop"), PASSPHRASE)
        engine.setup(laptop, root / "Sync")
        found = joining.find_keys(root / "Sync", passphrase=PASSPHRASE)
        desktop, _ = joining.join(settings_for(root / "desktop"), root / "Sync", found, PASSPHRASE)
        brings_in = []
        for run in range(args.runs):
            start = args.size + run * args.new
            laptop.write_many(
                NewEntry(text=str(r["text"]), date=datetime.fromisoformat(str(r["date"])).astimezone())
                for r in rows[start : start + args.new]
            )
            engine.run(laptop)
            began = time.perf_counter()
            report = engine.run(desktop)
            brings_in.append(time.perf_counter() - began)
            if report.entries_added != args.new:
                raise SystemExit(f"expected {args.new} new entries, got {report.entries_added}")
        laptop.close()
        desktop.close()
        env = {
            **os.environ,
            "RECOVERY_JOURNAL_HOME": str(root / "desktop"),
            "RECOVERY_JOURNAL_PASSPHRASE": PASSPHRASE,
            "PYTHONPATH": str(ROOT / "src"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled bytecode, as an installed package has
        command = [sys.executable, "-m", "recovery_journal"]
        both = {"sync": [*command, "sync"], "list": [*command, "list", "--limit", "10"]}
        whole = alternating(both, env, args.runs * 3)
        session = in_a_session(both, env, args.runs * 3)
    total = args.size + args.new * args.runs
    print(
        f"| sync bringing in {args.new:,} new entries (in-process, after unlock) | "
        f"{statistics.median(brings_in):.2f} s |"
    )
    print(f"| `sync` with nothing new, {total:,} entries (whole process) | {whole['sync']:.2f} s |")
    print(f"| `list --limit 10`, {total:,} entries (whole process) | {whole['list']:.2f} s |")
    print(f"| `sync` with nothing new (whole process, unlocked session) | {session['sync']:.3f} s |")
    print(f"| `list --limit 10` (whole process, unlocked session) | {session['list']:.3f} s |")
    print(f"load average while measured: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
