"""The seed corpus, in the source tree only (not the wheel): labelled training entries, a held-out split."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from .kinds import Stage

HELDOUT = "heldout.jsonl"


@dataclass(frozen=True)
class Example:
    id: str
    stage: Stage
    context: str
    text: str


def read(name: str) -> list[Example]:
    """The labelled entries of one corpus file."""
    raw = resources.files(__package__).joinpath("corpus").joinpath(name).read_text(encoding="utf-8")
    out = []
    for line in raw.splitlines():
        if line.strip():
            item = json.loads(line)
            out.append(
                Example(id=item["id"], stage=Stage(item["stage"]), context=item["context"], text=item["text"])
            )
    return out


def files() -> list[str]:
    folder = resources.files(__package__).joinpath("corpus")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".jsonl"))


def training() -> list[Example]:
    """Every labelled entry the shipped model learns from (train-*.jsonl), in a fixed order."""
    return [e for name in files() if name.startswith("train-") for e in read(name)]


def heldout() -> list[Example]:
    """Entries never trained on, written separately, used only to measure the model."""
    return read(HELDOUT)
