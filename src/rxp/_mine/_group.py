"""Fine clusters (lines with the same reduced tokens) grouped into templates.

The method is Brain's (Yu et al., "Brain: Log Parsing with Bidirectional Parallel Tree",
IEEE TSC 2023), on the reduced tokens of ``_tokens`` and weighted by how many lines each fine
cluster holds:

1. Clusters of one length are compared position by position. Every (position, token) pair
   has a frequency: the lines of that length with that token there.
2. A cluster's *root* is the set of its tokens that share the frequency most of its tokens
   have (the longest common pattern; a tie goes to the higher frequency). Clusters with the
   same root start as one group: a root is what the lines of one event have in common.
3. In a group, a position outside the root is a variable when a value there is masked or
   more than ``CONSTANT_VALUES`` distinct values occur there; otherwise each value is a
   constant and splits the group (``for admin`` and ``for root`` are two events, the way
   loghub's labels read them), except after a word that announces a variable (``user``).
   The first token is never a variable (its masked parts are):
   log messages open with the name of what they report.
4. Templates whose constants are the same, in the same order, once their variables are
   left out, are one template: a variable that is sometimes absent (an empty user name, an
   optional ``(1.2 KB)``) does not make a second event.

Nothing here depends on the order of the input, so mining in pieces and merging the counts
gives the same templates as mining the whole.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Final

from ._tokens import VAR

__all__ = ["CONSTANT_VALUES", "NAMED_BY", "group", "merge_skeletons", "skeleton"]

CONSTANT_VALUES: Final = 3
"""The most distinct values a position may take and still be constant (Brain's threshold)."""

NAMED_BY: Final = frozenset({"user", "User", "USER"})
"""Words that announce a variable: what follows them varies even when few values occur."""

Tokens = tuple[str, ...]


def group(counts: Mapping[Tokens, int]) -> dict[Tokens, Tokens]:
    """Steps 1-3: each key's template, its tokens with ``VAR`` where the template varies.

    ``merge_skeletons`` then says which of these templates are one event (step 4).
    """
    by_length: dict[int, list[Tokens]] = defaultdict(list)
    for key in counts:
        by_length[len(key)].append(key)
    template: dict[Tokens, Tokens] = {}
    for keys in by_length.values():
        template.update(_group_length(keys, counts))
    return template


def _group_length(keys: Sequence[Tokens], counts: Mapping[Tokens, int]) -> dict[Tokens, Tokens]:
    freq: Counter[tuple[int, str]] = Counter()
    for key in keys:
        weight = counts[key]
        for pair in enumerate(key):
            freq[pair] += weight
    roots: dict[tuple[tuple[int, str], ...], list[Tokens]] = defaultdict(list)
    for key in keys:
        roots[_root(key, freq)].append(key)
    out: dict[Tokens, Tokens] = {}
    for root, members in roots.items():
        for part in _split(members, {i for i, _ in root}):
            shape = _template(part)
            for key in part:
                out[key] = shape
    return out


def _root(key: Tokens, freq: Counter[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """``key``'s longest common pattern: the (position, token) pairs of its modal frequency."""
    if not key:
        return ()
    values = [freq[pair] for pair in enumerate(key)]
    tally = Counter(values)
    mode = max(tally.items(), key=lambda item: (item[1], item[0]))[0]
    return tuple(pair for pair, v in zip(enumerate(key), values, strict=True) if v == mode)


def _split(members: list[Tokens], root: set[int]) -> list[list[Tokens]]:
    """Step 3: a group cut by each position whose few values are constants."""
    parts = [members]
    for i in range(len(members[0])):
        if i in root:
            continue  # one token there for every member
        values = {key[i] for key in members}
        if i > 0 and (
            len(values) > CONSTANT_VALUES
            or any(VAR in v for v in values)
            or (len(values) > 1 and any(key[i - 1] in NAMED_BY for key in members))
        ):
            continue
        split: list[list[Tokens]] = []
        for part in parts:
            by: dict[str, list[Tokens]] = defaultdict(list)
            for key in part:
                by[key[i]].append(key)
            split.extend(by.values())
        parts = split
    return parts


def _template(part: list[Tokens]) -> Tokens:
    first = part[0]
    return tuple(
        token if all(key[i] == token for key in part) else VAR for i, token in enumerate(first)
    )


def merge_skeletons(template: Mapping[Tokens, Tokens]) -> dict[Tokens, Tokens]:
    """Step 4: each key's event, named by its template's constants in order (its skeleton)."""
    return {key: skeleton(shape) for key, shape in template.items()}


def skeleton(shape: Tokens) -> Tokens:
    """A template's constant tokens in order, a repeated one once."""
    kept = [token for token in shape if token != VAR]
    return tuple(t for i, t in enumerate(kept) if i == 0 or kept[i - 1] != t)
