"""The miner: lines in one pass, fine clusters kept, templates and their ids on demand.

A line's shape (``_tokens``: its tokens, each variable marked by its idiom) names its
*fine cluster*; the miner keeps, for each, how many lines it holds and its first few lines.
That is all the state there is, so memory grows with the number of distinct token shapes a
log has, not with its lines. ``templates`` groups the fine clusters (``_group``) and gives
each template an id that stays: a template keeps the id most of its lines had before (from
an earlier call, or from a state file), and a new one takes the next number.
"""

from __future__ import annotations

from collections import Counter
from typing import Final

from ._group import group, skeleton
from ._model import Template
from ._regex import template_regex
from ._tokens import Tokenizer, grouping_key

__all__ = ["EXAMPLES", "Cluster", "Miner"]

EXAMPLES: Final = 3
"""Lines kept per fine cluster: the examples of a template, and what its regex is checked on."""


class Cluster:
    """The lines of one token shape: how many, the first few, the template they joined."""

    __slots__ = ("count", "examples", "index", "key", "template_id")

    def __init__(self, key: tuple[str, ...], count: int = 0) -> None:
        self.index = -1
        self.key = key
        self.count = count
        self.examples: list[str] = []
        self.template_id = ""


class Miner:
    """Streams messages into fine clusters; ``templates()`` gives the templates so far."""

    __slots__ = ("_by_key", "_tokenize", "clusters", "next_id")

    def __init__(self) -> None:
        self.clusters: list[Cluster] = []
        self.next_id = 1
        self._by_key: dict[tuple[str, ...], Cluster] = {}
        self._tokenize = Tokenizer()

    def add(self, message: str) -> int:
        """Count ``message``; the index of its fine cluster (``templates`` maps it)."""
        key = self._tokenize(message)
        cluster = self._by_key.get(key)
        if cluster is None:
            cluster = self._by_key[key] = Cluster(key)
            cluster.index = len(self.clusters)
            self.clusters.append(cluster)
        cluster.count += 1
        if len(cluster.examples) < EXAMPLES:
            cluster.examples.append(message)
        return cluster.index

    def restore(self, cluster: Cluster) -> None:
        """Take a cluster back from a saved state (its lines counted, its id kept)."""
        existing = self._by_key.get(cluster.key)
        if existing is not None:
            existing.count += cluster.count
            existing.examples = (existing.examples + cluster.examples)[:EXAMPLES]
            existing.template_id = existing.template_id or cluster.template_id
            return
        self._by_key[cluster.key] = cluster
        cluster.index = len(self.clusters)
        self.clusters.append(cluster)

    def merge(self, other: Miner) -> None:
        """Take in ``other``'s lines as if they came after this miner's: counts summed per
        shape, the first ``EXAMPLES`` lines kept, shapes new to this miner after its own.
        The clusters are all the state and grouping depends on their counts alone, so the
        miners of consecutive parts of an input, merged in order, are the miner of the
        whole input (``rxp.spark.mine`` mines partitions apart and merges them)."""
        for cluster in other.clusters:
            copy = Cluster(cluster.key, cluster.count)
            copy.examples = list(cluster.examples)
            copy.template_id = cluster.template_id
            self.restore(copy)

    def templates(self) -> tuple[tuple[Template, ...], list[str]]:
        """The templates by count, and each fine cluster's template id (by index)."""
        keys = {c.key: grouping_key(c.key) for c in self.clusters}
        counts: Counter[tuple[str, ...]] = Counter()
        for cluster in self.clusters:
            counts[keys[cluster.key]] += cluster.count
        own = group(counts)
        members: dict[tuple[str, ...], list[Cluster]] = {}
        for cluster in self.clusters:
            members.setdefault(skeleton(own[keys[cluster.key]]), []).append(cluster)
        ordered = sorted(members.items(), key=lambda kv: -sum(c.count for c in kv[1]))
        taken: set[str] = set()
        out: list[Template] = []
        for _, clusters in ordered:
            template_id = self._id_for(clusters, taken)
            for cluster in clusters:
                cluster.template_id = template_id
            largest = max(clusters, key=lambda c: c.count)
            built = template_regex(
                own[keys[largest.key]], largest.examples[0], [c.examples[0] for c in clusters]
            )
            lines = [line for c in clusters for line in c.examples]
            out.append(
                Template(
                    id=template_id,
                    template=built.text,
                    regex=built.regex,
                    groups=built.groups,
                    count=sum(c.count for c in clusters),
                    examples=tuple(lines[:EXAMPLES]),
                )
            )
        return tuple(out), [c.template_id for c in self.clusters]

    def _id_for(self, clusters: list[Cluster], taken: set[str]) -> str:
        votes: Counter[str] = Counter()
        for cluster in clusters:
            if cluster.template_id:
                votes[cluster.template_id] += cluster.count
        for candidate, _ in votes.most_common():
            if candidate not in taken:
                taken.add(candidate)
                return candidate
        template_id = f"T{self.next_id}"
        self.next_id += 1
        taken.add(template_id)
        return template_id
