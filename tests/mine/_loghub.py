"""The committed loghub samples (``tests/mine/data``, see its README for the attribution),
read once for the miner's tests: each system's messages with their true event ids, and its
raw lines as a file gives them (line endings kept, so the miner's stripping is exercised)."""

from __future__ import annotations

import csv
import functools
import re
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
SYSTEMS = ("Apache", "HDFS", "HealthApp", "Linux", "OpenSSH", "Proxifier", "Spark", "Zookeeper")


@dataclass(frozen=True)
class Sample:
    """One system: ``messages`` (the Content column), ``events`` (its EventId, line by line)
    and ``raw`` (the lines of ``X.log`` with their line endings)."""

    system: str
    messages: tuple[str, ...]
    events: tuple[str, ...]
    raw: tuple[str, ...]


@functools.cache
def sample(system: str) -> Sample:
    with (DATA / f"{system}_content.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # split on "\n" only: str.splitlines would also cut at \x0b, \x1c, \u2028, ...
    text = (DATA / f"{system}.log").read_bytes().decode("utf-8")  # no newline translation
    raw = re.findall(r"[^\n]*\n|[^\n]+$", text)
    assert len(rows) == len(raw), system
    return Sample(
        system,
        tuple(r["Content"] for r in rows),
        tuple(r["EventId"] for r in rows),
        tuple(raw),
    )


def partition(labels: Sequence[Hashable]) -> frozenset[frozenset[int]]:
    """The groups of line indices that share a label: what two groupings are compared by
    when their labels (template ids) may differ."""
    groups: dict[Hashable, set[int]] = defaultdict(set)
    for i, label in enumerate(labels):
        groups[label].add(i)
    return frozenset(frozenset(g) for g in groups.values())


def grouping_accuracy(truth: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    """loghub's GA (``../shared/data/loghub/README.md``): a message is correct when its
    predicted group holds exactly the messages of its true group; GA is their share."""
    true_groups: dict[Hashable, set[int]] = defaultdict(set)
    found_groups: dict[Hashable, set[int]] = defaultdict(set)
    for i, (t, p) in enumerate(zip(truth, predicted, strict=True)):
        true_groups[t].add(i)
        found_groups[p].add(i)
    correct = sum(
        1 for t, p in zip(truth, predicted, strict=True) if true_groups[t] == found_groups[p]
    )
    return correct / len(truth)
