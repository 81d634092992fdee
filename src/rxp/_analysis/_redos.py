"""Catastrophic-backtracking hazards found statically, from the AST.

A backtracking engine (Python's ``re`` and ``regex``) is slow on a failing input exactly when
the pattern can match the same text along many paths. The pattern is turned into its
position automaton (``_automaton``: one state per character-consuming leaf, one
edge per way the pattern can pass from one to the next, so ``(a+)+`` has two ``a -> a``
edges), and two classic criteria from the theory of ambiguous automata (Weber and Seidl;
used for ReDoS by Weideman et al.) decide:

- *exponential*: a state with two different paths back to itself reading the same text
  (nested quantifiers over overlapping content ``(a+)+``, ``(a|a)*``, ``(\\w+\\s?)*``);
- *polynomial*: two different states ``p`` and ``q`` with loops ``p -> p``, ``p -> q``,
  ``q -> q`` all reading the same text (adjacent repeats over overlapping sets ``\\d+\\d+``,
  ``.*.*=.*``).

Possessive repeats and atomic groups never give back what they matched, so they count as a
single step. Repeats with a large upper bound count as unbounded (``(.*a){20}`` is as bad as
``(.*a)*``); small bounds are unrolled. The analysis is bounded in size: very large patterns
get no warning rather than a slow answer.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal as L
from typing import TypeVar

from .._syntax._ast import Class, ClassEscape, Dot, Literal, Pattern, Repeat, Span, walk
from .._trampoline import run
from ._automaton import MAX_POSITIONS, Automaton, TooBig, successors

__all__ = ["Hazard", "backtracking_warnings"]

_N = TypeVar("_N", bound=Hashable)

_MAX_STATES = 200_000


@dataclass(frozen=True, slots=True)
class Hazard:
    """A part of the pattern that can make a backtracking engine slow: ``kind`` is
    "exponential" or "polynomial" (time grows that way with the length of a failing
    input); ``message`` says why, in plain words."""

    span: Span
    kind: L["exponential", "polynomial"]
    message: str


def _sccs(nodes: list[_N], nexts: Mapping[_N, Sequence[_N]]) -> Iterator[list[_N]]:
    """Tarjan's strongly connected components, iteratively."""
    index: dict[_N, int] = {}
    low: dict[_N, int] = {}
    on_stack: set[_N] = set()
    stack: list[_N] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            succ = nexts.get(v, [])
            if i < len(succ):
                work.append((v, i + 1))
                w = succ[i]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                yield component


def _components(succ: list[list[tuple[int, int]]]) -> list[int]:
    """The strongly connected component of each position; -1 where a position is on no
    cycle (a path can only come back to a state inside its component)."""
    nexts = {i: [t for t, _ in out] for i, out in enumerate(succ)}
    comp = [-1] * len(succ)
    for n, members in enumerate(_sccs(list(range(len(succ))), nexts)):
        if len(members) > 1 or members[0] in nexts[members[0]]:
            for m in members:
                comp[m] = n
    return comp


def _exponential(
    auto: Automaton, succ: list[list[tuple[int, int]]], comp: list[int]
) -> list[Hazard]:
    """Per cyclic component: can two copies of the automaton leave one state together,
    part ways and meet again, reading the same text? Meeting in any state of the component
    is enough: from there both can walk back to the start along one path."""
    masks = auto.masks
    members: dict[int, list[int]] = {}
    for i, c in enumerate(comp):
        if c >= 0:
            members.setdefault(c, []).append(i)
    budget = _MAX_STATES * 4
    hazards = []
    for c, states in members.items():
        inside = set(states)
        if any(s in inside and t in inside and len(o) > 1 for (s, t), o in auto.edges.items()):
            hazards.append(_exponential_hazard(auto, inside))  # two edges, same step
            continue
        dead: set[tuple[int, int]] = set()  # parted pairs that never meet again
        found = False
        for s in states:
            starts = [
                (x, y)
                for x, _ in succ[s]
                for y, _ in succ[s]
                if x < y and x in inside and y in inside and masks[x] & masks[y]
            ]
            for start in starts:
                if start in dead:
                    continue
                todo, seen = [start], {start}
                while todo and not found:
                    x, y = todo.pop()
                    for tx, _ in succ[x]:
                        for ty, _ in succ[y]:
                            budget -= 1
                            if comp[tx] != c or comp[ty] != c or not masks[tx] & masks[ty]:
                                continue
                            if tx == ty:
                                found = True
                                break
                            pair = (tx, ty) if tx < ty else (ty, tx)
                            if pair not in seen and pair not in dead:
                                seen.add(pair)
                                todo.append(pair)
                        if found:
                            break
                    if budget <= 0:
                        raise TooBig
                if found:
                    break
                dead |= seen
            if found:
                break
        if found:
            hazards.append(_exponential_hazard(auto, inside))
    return hazards


def _exponential_hazard(auto: Automaton, states: set[int]) -> Hazard:
    loops = [
        o
        for (s, t), origins in auto.edges.items()
        if s in states and t in states
        for o in origins
        if isinstance(o, Repeat)
    ]
    outer = max(loops, key=lambda r: len(r.span)) if loops else auto.p
    text = outer.span.slice(auto.p.text)
    return Hazard(
        outer.span,
        "exponential",
        f"`{text}` can match the same text in many different ways (a repeat inside a "
        "repeat over overlapping characters): on a failing input, matching time can grow "
        "exponentially with its length",
    )


def _polynomial(
    auto: Automaton, succ: list[list[tuple[int, int]]], comp: list[int], skip: list[Span]
) -> list[Hazard]:
    masks = auto.masks
    loops = auto.loop_of

    def outside(i: int) -> bool:
        loop = loops[i]
        return loop is not None and not any(
            s.start <= loop.span.start and loop.span.end <= s.end for s in skip
        )

    cyclic = [i for i in range(len(masks)) if comp[i] >= 0 and outside(i)]
    reach = _reachability(succ)
    pair_succ: dict[tuple[int, int], list[tuple[int, int, int]]] = {}

    def joint(x: int, y: int) -> list[tuple[int, int, int]]:
        found = pair_succ.get((x, y))
        if found is None:
            found = pair_succ[(x, y)] = [
                (tx, ty, masks[tx] & masks[ty])
                for tx, _ in succ[x]
                for ty, _ in succ[y]
                if masks[tx] & masks[ty]
            ]
        return found

    budget = _MAX_STATES * 4  # steps of the triple search, over all candidate pairs
    found: list[tuple[int, int]] = []
    partnered: dict[int, int] = {}  # loops already known to pair up
    for p in cyclic:
        for q in cyclic:
            if comp[p] == comp[q] or q not in reach[p] or not masks[p] & masks[q]:
                continue
            if comp[p] in partnered:
                break  # one partner per loop is enough: overlapping findings merge
            start, goal = (p, p, q), (p, q, q)
            todo, seen = [start], {start}
            while todo and goal not in seen:
                x, y, z = todo.pop()
                for tx, ty, both in joint(x, y):
                    if comp[tx] != comp[p]:
                        continue
                    for tz, _ in succ[z]:
                        budget -= 1
                        if comp[tz] == comp[q] and both & masks[tz] and (tx, ty, tz) not in seen:
                            seen.add((tx, ty, tz))
                            todo.append((tx, ty, tz))
                if budget <= 0:
                    return _merge(auto, found)
            if goal in seen:
                found.append((p, q))
                partnered[comp[p]] = comp[q]
    return _merge(auto, found)


def _reachability(succ: list[list[tuple[int, int]]]) -> list[set[int]]:
    out = []
    for s in range(len(succ)):
        seen: set[int] = set()
        todo = [t for t, _ in succ[s]]
        while todo:
            v = todo.pop()
            if v not in seen:
                seen.add(v)
                todo.extend(t for t, _ in succ[v])
        out.append(seen)
    return out


def _merge(auto: Automaton, pairs: list[tuple[int, int]]) -> list[Hazard]:
    spans: list[tuple[Span, str, str]] = []
    for p, q in pairs:
        a, b = auto.loop_of[p], auto.loop_of[q]
        assert a is not None and b is not None
        span = Span(min(a.span.start, b.span.start), max(a.span.end, b.span.end))
        spans.append((span, a.span.slice(auto.p.text), b.span.slice(auto.p.text)))
    spans.sort(key=lambda s: (s[0].start, -s[0].end))
    merged: list[tuple[Span, str, str]] = []
    for span, first, second in spans:
        if merged and span.start < merged[-1][0].end:
            last = merged[-1]
            merged[-1] = (Span(last[0].start, max(last[0].end, span.end)), last[1], last[2])
        else:
            merged.append((span, first, second))
    return [
        Hazard(
            span,
            "polynomial",
            f"`{first}` and `{second}` can split the same text between them in many ways: "
            "on a failing input, matching time can grow polynomially with its length",
        )
        for span, first, second in merged
    ]


def backtracking_warnings(p: Pattern) -> tuple[Hazard, ...]:
    """The catastrophic-backtracking hazards in ``p``, in pattern order: at most one
    exponential hazard per nest of repeats, and polynomial ones outside those."""
    leaves = sum(isinstance(n, Literal | Dot | ClassEscape | Class) for n in walk(p))
    if leaves > MAX_POSITIONS:  # each becomes at least one state: too big to analyse
        return ()
    auto = Automaton(p)
    try:
        run(auto.build(p, None))
        succ = successors(auto)
        comp = _components(succ)
        exponential = _exponential(auto, succ, comp)
        polynomial = _polynomial(auto, succ, comp, [h.span for h in exponential])
    except (TooBig, RecursionError):
        return ()
    unique = {(h.span, h.kind): h for h in exponential + polynomial}
    return tuple(sorted(unique.values(), key=lambda h: (h.span.start, h.span.end)))
