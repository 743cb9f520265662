"""Build the shipped stage model from the seed corpus.

    python -m recovery_journal.stages.train          # rewrite stages/model.json
    python -m recovery_journal.stages.train --check  # exit 1 if model.json differs from a fresh training

The held-out split is never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .corpus import training
from .model import MODEL_FILE, Model, Settings, train

MODEL_NAME = "seed-1"


def build(settings: Settings | None = None) -> Model:
    return train(((e.text, e.stage) for e in training()), settings or Settings(), name=MODEL_NAME)


def serialise(model: Model) -> str:
    return json.dumps(model.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    target = Path(__file__).with_name(MODEL_FILE)
    fresh = serialise(build())
    if args.check:
        same = target.exists() and target.read_text(encoding="utf-8") == fresh
        print("model.json is up to date" if same else "model.json differs from a fresh training")
        return 0 if same else 1
    target.write_text(fresh, encoding="utf-8")
    print(f"wrote {target} ({len(fresh) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
