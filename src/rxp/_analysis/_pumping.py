"""Pumping the automaton: the words on which a backtracking engine is slow, and how slow.

For a pump word ``w``, ``pump`` builds the transfer graph of the ``Machine``: an edge
``s -> t`` for each path from ``s`` to ``t`` reading ``w``. The number of paths through
``w * n`` grows exponentially when a strongly connected component of that graph has two
ways round (Weber and Seidl's EDA), and otherwise as ``n ** (k - 1)``, ``k`` being the most
cyclic components one path passes through (IDA); walking each path costs up to ``n``
steps, so the engine's time on a failing text grows as ``n ** k``: the *degree* (search's
retry is one of the loops). Candidate pumps are single characters (``hot`` filters them)
and the witnesses of two product searches: two copies of the automaton parting and meeting
again (``exponential_witness``), three copies chaining two loops (``chain_witness``).
``tails`` finds the suffixes that make the text fail.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal as L
from typing import TypeAlias

from .._syntax._record import value
from ._automaton import holds
from ._machine import Machine, sccs

__all__ = [
    "Pumped",
    "chain_witness",
    "exponential_witness",
    "hot",
    "lead",
    "pump",
    "tails",
]

_Pair: TypeAlias = tuple[int, int, int]  # two states and the bit of the last character
_Quad: TypeAlias = tuple[int, int, int, int]  # three states and the bit of the last character


@value
class Pumped:
    """What pumping ``w`` after ``u`` does: ``degree`` (2, 3, ... or "exponential"; 1 is
    linear), the components of the transfer graph to blame (positions only, in path
    order), whether search's retry is one of them, and every state the pumping reaches."""

    degree: int | L["exponential"]
    blamed: tuple[frozenset[int], ...]
    scan: bool
    reached: frozenset[int]


def exponential_witness(m: Machine, component: set[int]) -> tuple[int, list[int]] | None:
    """A state of ``component`` and a word on which two different paths lead from it
    back to it, or None."""
    masks = m.masks
    for s in sorted(component):
        edges = [(t, g) for t, g, _ in m.out[s] if t in component]
        for before in m.kinds(masks[s]):
            parent: dict[_Pair, tuple[_Pair, int] | None] = {}
            first: dict[_Pair, int] = {}
            todo: list[_Pair] = []

            for i, (t1, g1) in enumerate(edges):
                for t2, g2 in edges[i + 1 :]:
                    both = masks[t1] & masks[t2]
                    for bit in m.kinds(both):
                        key = (min(t1, t2), max(t1, t2), bit)
                        if key in parent or not holds(g1, before, bit):
                            continue
                        if not holds(g2, before, bit):
                            continue
                        parent[key] = None
                        first[key] = m.nice(both & m.class_of(bit))
                        if t1 == t2 and (found := _met(m, parent, first, key, s, component)):
                            return found
                        todo.append(key)
            for key in todo:
                x, y, bit = key
                m.spend(len(m.out[x]) * len(m.out[y]))
                for tx, gx, _ in m.out[x]:
                    if tx not in component:
                        continue
                    for ty, gy, _ in m.out[y]:
                        both = masks[tx] & masks[ty]
                        if ty not in component or not both:
                            continue
                        for nbit in m.kinds(both):
                            nxt = (min(tx, ty), max(tx, ty), nbit)
                            if nxt in parent or not holds(gx, bit, nbit):
                                continue
                            if not holds(gy, bit, nbit):
                                continue
                            parent[nxt] = (key, m.nice(both & m.class_of(nbit)))
                            if tx == ty and (found := _met(m, parent, first, nxt, s, component)):
                                return found
                            todo.append(nxt)
    return None


def _met(
    m: Machine,
    parent: dict[_Pair, tuple[_Pair, int] | None],
    first: dict[_Pair, int],
    key: _Pair,
    s: int,
    component: set[int],
) -> tuple[int, list[int]] | None:
    """The two copies meet at ``key``: ``s`` and the word of the way round, or None
    when the meeting state cannot get back to ``s``."""
    word: list[int] = []
    node = key
    while (step := parent[node]) is not None:
        node, ch = step
        word.append(ch)
    word.append(first[node])
    back = m.path({key[0]: key[2]}, {s}, component)
    return None if back is None else (s, word[::-1] + back)


def chain_witness(m: Machine, p: int, q: int, comp: list[int]) -> list[int] | None:
    """A word on which ``p`` loops, leads to ``q``, and ``q`` loops, or None."""
    masks = m.masks
    parent: dict[_Quad, tuple[_Quad, int] | None] = {}
    todo: list[_Quad] = []
    for bit in m.kinds(masks[p] & masks[q]):
        parent[(p, p, q, bit)] = None
        todo.append((p, p, q, bit))
    for key in todo:
        x, y, z, bit = key
        if (x, y, z) == (p, q, q) and parent[key] is not None:
            word = []
            node = key
            while (step := parent[node]) is not None:
                node, ch = step
                word.append(ch)
            return word[::-1]
        m.spend(len(m.out[x]) * len(m.out[y]))
        for tx, gx, _ in m.out[x]:
            if comp[tx] != comp[p]:
                continue
            for ty, gy, _ in m.out[y]:
                both = masks[tx] & masks[ty]
                if not both:
                    continue
                for tz, gz, _ in m.out[z]:
                    every = both & masks[tz]
                    if comp[tz] != comp[q] or not every:
                        continue
                    for nbit in m.kinds(every):
                        nxt = (tx, ty, tz, nbit)
                        if (
                            nxt not in parent
                            and holds(gx, bit, nbit)
                            and holds(gy, bit, nbit)
                            and holds(gz, bit, nbit)
                        ):
                            parent[nxt] = (key, m.nice(every & m.class_of(nbit)))
                            todo.append(nxt)
    return None


def hot(m: Machine, ch: int) -> set[int]:
    """The states on which a run of ``ch`` alone could be slow, a cheap filter before
    ``pump``: the loops that read ``ch`` and lie on a chain of two such loops (search's
    retry counts) or have two ways round, in the graph of the states reading ``ch``."""
    bit = 1 << ch
    nodes = [s for s, mask in enumerate(m.masks) if mask & bit]
    m.spend(len(nodes))
    nexts: dict[int, list[int]] = {}
    for s in nodes:
        nexts[s] = [t for t, g, _ in m.out[s] if m.masks[t] & bit and holds(g, bit, bit)]
    down: dict[int, int] = {}  # component -> most loops on a path from it
    comp_of: dict[int, int] = {}
    parts: list[list[int]] = []
    weights: list[int] = []
    hot: set[int] = set()
    for n, part in enumerate(sccs(nodes, nexts)):
        inside = set(part)
        parts.append(part)
        for s in part:
            comp_of[s] = n
        if any(sum(1 for t in nexts[s] if t in inside) > 1 for s in part):
            hot |= inside  # two ways round: exponential
        cyclic = any(t in inside for s in part for t in nexts[s])
        weights.append(1 if cyclic and m.grows(inside) else 0)
        after = [down[comp_of[t]] for s in part for t in nexts[s] if comp_of[t] != n]
        down[n] = weights[n] + max(after, default=0)
    up = [weights[n] for n in range(len(parts))]  # most loops on a path to it
    for n in reversed(range(len(parts))):  # components in topological order
        for s in parts[n]:
            for t in nexts[s]:
                k = comp_of[t]
                if k != n:
                    up[k] = max(up[k], up[n] + weights[k])
    for n, part in enumerate(parts):
        if weights[n] and up[n] + down[n] - weights[n] >= 2:
            hot |= set(part)
    return hot


# --- pumping ---------------------------------------------------------------------------


def _not_last_newline(m: Machine, config: dict[int, int], before: int | None, ch: int) -> list[int]:
    """``[ch]``, or when ``ch`` is a newline that a ``$`` could take for the end of
    the text (``$`` also matches before a final newline), ``ch`` and one more."""
    if not m.auto.newline >> ch & 1 or not m.accepts(list(config), before, None):
        return [ch]
    return [ch, next(c for c in m.killer_reps if not m.auto.newline >> c & 1)]


def lead(m: Machine) -> list[int] | None:
    """A character no match can start with (or end at): after it, only search's
    retry is alive. Put before a pump, it keeps anchored alternatives from matching
    the run (``^\\s+|\\s+$``)."""
    if m.scan < 0:
        return None
    return _kill(m, {m.start: 1}, None, 1)


def pump(m: Machine, u: Sequence[int], w: Sequence[int]) -> Pumped | None:
    """The transfer graph of ``w`` after ``u``, read for its degree; None when the
    text ``u + w * n`` would match (no attack with this pump)."""
    config = m.read({m.start: 1}, None, u)
    if not config:
        return None
    config = m.read(config, 1 << u[-1] if u else None, w)
    if not config:
        return None
    last = 1 << w[-1]
    rows: dict[int, dict[int, int]] = {}
    todo = list(config)
    while todo:
        s = todo.pop()
        if s in rows:
            continue
        row = m.read({s: 1}, last, w)
        if row is None:
            return None
        rows[s] = row
        todo.extend(t for t in row if t not in rows)
    return _degree(m, rows)


def _degree(m: Machine, rows: dict[int, dict[int, int]]) -> Pumped:
    nodes = sorted(rows)
    nexts = {s: sorted(rows[s]) for s in nodes}
    best: dict[int, tuple[int, list[int]]] = {}  # component -> (weight, chain)
    comp_of: dict[int, int] = {}
    exponential: list[frozenset[int]] = []
    members: list[list[int]] = []
    for n, component in enumerate(sccs(nodes, nexts)):
        members.append(component)
        inside = set(component)
        for s in component:
            comp_of[s] = n
        cyclic = any(t in inside for s in component for t in rows[s])
        if any(sum(k for t, k in rows[s].items() if t in inside) > 1 for s in component):
            exponential.append(frozenset(inside))
        weight = 1 if cyclic and m.grows(inside) else 0
        after = [best[comp_of[t]] for s in component for t in rows[s] if comp_of[t] != n]
        tail = max(after, key=lambda x: x[0], default=(0, []))
        best[n] = (weight + tail[0], ([n] if weight else []) + tail[1])
    reached = frozenset(nodes)
    if exponential:
        blamed = tuple(frozenset(s for s in c if s < len(m.auto.masks)) for c in exponential)
        return Pumped("exponential", blamed, False, reached)
    degree, chain = max(best.values(), key=lambda x: x[0])
    positions = len(m.auto.masks)
    blamed = tuple(frozenset(s for s in members[c] if s < positions) for c in chain)
    scan = any(m.scan in members[c] for c in chain)
    return Pumped(degree, tuple(b for b in blamed if b), scan, reached)


def tails(m: Machine, pumped: Pumped, w: Sequence[int]) -> list[list[int]]:
    """Suffixes to try after the pumps, most likely to make the text fail first: a
    few characters that leave no match attempt alive and end none (search's retry
    goes on past them, but later starts are the engine's to check), the end of the
    text, and the first followed by the shortest way the blamed part could have
    ended a match (so an engine that first looks for a required literal still runs)."""
    config = {s: 1 for s in pumped.reached if s != m.scan}
    before = 1 << w[-1]
    out: list[list[int]] = []
    killer = _kill(m, config, before, 3)
    if killer is not None:
        out.append(killer)
    if not m.accepts(list(config), before, None):
        out.insert(1 if killer is not None and len(killer) == 1 else 0, [])
    if out and out[0] and pumped.blamed:
        ends = {s for s in range(len(m.finals)) if m.finals[s]}
        finish = m.path({s: before for s in pumped.blamed[-1]}, ends, None)
        if finish:
            out.append(out[0] + finish)
    return out


def _kill(m: Machine, config: dict[int, int], before: int | None, depth: int) -> list[int] | None:
    """The shortest word (up to ``depth`` characters, the most readable) after which
    no state of ``config`` is alive, ending no match on the way."""
    taken = 0
    for s in config:
        for t, _, _ in m.out[s]:
            if t != m.scan:
                taken |= m.masks[t]
    alive: list[tuple[int, dict[int, int]]] = []
    for ch in m.killer_reps:
        bit = 1 << ch
        if m.accepts(list(config), before, bit):
            continue
        if not bit & taken:
            return _not_last_newline(m, config, before, ch)
        nxt = m.advance(config, before, ch)
        nxt.pop(m.scan, None)
        if not nxt:
            return _not_last_newline(m, config, before, ch)
        if len(alive) < depth:
            alive.append((ch, nxt))
    if depth > 1:
        for ch, nxt in alive:
            rest = _kill(m, nxt, 1 << ch, depth - 1)
            if rest is not None:
                return [ch, *rest]
    return None
