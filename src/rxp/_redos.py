"""Catastrophic-backtracking hazards found statically, from the AST.

A backtracking engine (Python's ``re`` and ``regex``) is slow on a failing input exactly when
the pattern can match the same text along many paths. The pattern is turned into its
position automaton (Glushkov's construction: one state per character-consuming leaf, with
one edge per way the pattern can pass from one to the next, so ``(a+)+`` has two ``a -> a``
edges), character classes are compared on a sample alphabet, and two classic criteria from
the theory of ambiguous automata (Weber and Seidl; used for ReDoS by Weideman et al.) decide:

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

import unicodedata
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal as L
from typing import TypeVar, assert_never

from ._analysis import flags_at, width
from ._ast import (
    Alternation,
    Anchor,
    Atomic,
    Backref,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
    ClassItem,
    ClassRange,
    ClassSetOp,
    Comment,
    Concat,
    Conditional,
    Dot,
    Empty,
    Fuzzy,
    InlineFlags,
    Literal,
    Lookaround,
    NamedList,
    Node,
    NonCapture,
    Pattern,
    PosixClass,
    Property,
    Recursion,
    Repeat,
    Span,
    Trivia,
    Verb,
    walk,
)
from ._trampoline import Step, run

__all__ = ["Hazard", "backtracking_warnings"]

_N = TypeVar("_N", bound=Hashable)

_UNROLL = 10  # repeats bounded above this count as unbounded
_MAX_POSITIONS = 2000
_MAX_STATES = 200_000
# Characters beyond ASCII where the classes differ (Unicode digits, spaces, case folds).
_SAMPLES = (
    "\x85\xa0\xb2\xb5\xdf\xe9\xc9\xff\u0130\u0131\u017f\u0416\u0436\u0663"
    "\u1680\u2028\u212a\u3000\u4e2d\U0001f600"
)


@dataclass(frozen=True, slots=True)
class Hazard:
    """A part of the pattern that can make a backtracking engine slow: ``kind`` is
    "exponential" or "polynomial" (time grows that way with the length of a failing
    input); ``message`` says why, in plain words."""

    span: Span
    kind: L["exponential", "polynomial"]
    message: str


class _TooBig(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Piece:
    nullable: bool
    first: tuple[int, ...]
    last: tuple[int, ...]


_EMPTY = _Piece(True, (), ())


class _Automaton:
    """Glushkov position automaton with edge multiplicity; masks are sample-char bitsets."""

    def __init__(self, p: Pattern) -> None:
        self.p = p
        self.flags = flags_at(p)
        chars = {chr(c) for c in range(128)} | set(_SAMPLES)
        for node in walk(p):
            if isinstance(node, Literal):
                chars |= {node.char, node.char.lower(), node.char.upper()}
        self.alphabet = sorted(chars)
        self.full = (1 << len(self.alphabet)) - 1
        self.masks: list[int] = []  # per position
        self.owner: list[Node] = []  # the leaf (or opaque repeat / atomic group) per position
        self.edges: dict[tuple[int, int], list[Node | None]] = {}
        self.loop_of: list[Repeat | None] = []  # innermost unbounded repeat around a position
        self.loops: list[Repeat] = []

    # --- character sets ----------------------------------------------------------------

    def mask_where(self, test: object) -> int:
        assert callable(test)
        bits = 0
        for i, ch in enumerate(self.alphabet):
            if test(ch):
                bits |= 1 << i
        return bits

    def literal_mask(self, ch: str, fold: bool) -> int:
        if fold:
            variants = {ch, ch.lower(), ch.upper(), ch.casefold()}
            return self.mask_where(lambda c: c in variants or c.lower() == ch.lower())
        return self.mask_where(lambda c: c == ch)

    def escape_mask(self, letter: str, ascii_only: bool) -> int:
        base = letter.lower()
        if base == "d":
            bits = self.mask_where(lambda c: c.isdecimal() and (c.isascii() or not ascii_only))
        elif base == "w":
            bits = self.mask_where(
                lambda c: (c.isalnum() or c == "_") and (c.isascii() or not ascii_only)
            )
        elif base == "s":
            bits = self.mask_where(lambda c: c.isspace() and (c.isascii() or not ascii_only))
        else:
            return self.full  # \h, \X and friends (regex flavour): assume anything
        return bits if letter == base else self.full & ~bits

    def item_mask(self, item: ClassItem | Node, flags: str) -> int:
        fold = "i" in flags
        match item:
            case Literal(char=ch):
                return self.literal_mask(ch, fold)
            case ClassRange(start=lo, end=hi):
                bits = self.mask_where(lambda c: lo.char <= c <= hi.char)
                if fold:
                    bits |= self.mask_where(
                        lambda c: lo.char <= c.lower() <= hi.char or lo.char <= c.upper() <= hi.char
                    )
                return bits
            case ClassEscape(letter=letter):
                return self.escape_mask(letter, "a" in flags)
            case Class(negated=negated, items=items):
                bits = 0
                for sub in items:
                    bits |= self.item_mask(sub, flags)
                return self.full & ~bits if negated else bits
            case Property(name=name, value=value, negated=negated):
                category = (
                    value
                    if value is not None and name.lower() in ("gc", "general_category")
                    else name
                )
                if len(category) in (1, 2) and category[0].isupper():
                    bits = self.mask_where(lambda c: unicodedata.category(c).startswith(category))
                    return self.full & ~bits if negated else bits
                return self.full
            case Dot():
                return self.full if "s" in flags else self.full & ~self.literal_mask("\n", False)
            case _:
                return self.full  # set operations, POSIX classes, backrefs: anything

    # --- construction --------------------------------------------------------------------

    def position(self, owner: Node, mask: int, loop: Repeat | None) -> _Piece:
        if len(self.masks) >= _MAX_POSITIONS:
            raise _TooBig
        self.masks.append(mask)
        self.owner.append(owner)
        self.loop_of.append(loop)
        i = len(self.masks) - 1
        return _Piece(False, (i,), (i,))

    def link(self, sources: tuple[int, ...], targets: tuple[int, ...], origin: Node | None) -> None:
        for s in sources:
            for t in targets:
                self.edges.setdefault((s, t), []).append(origin)

    def concat(self, a: _Piece, b: _Piece) -> _Piece:
        self.link(a.last, b.first, None)
        return _Piece(
            a.nullable and b.nullable,
            a.first + b.first if a.nullable else a.first,
            b.last + a.last if b.nullable else b.last,
        )

    def build(self, n: Node, loop: Repeat | None) -> Step[_Piece]:
        piece: _Piece
        match n:
            case Literal() | Dot() | ClassEscape() | Property() | Class() | PosixClass():
                return self.position(n, self.item_mask(n, self.flags.get(n, "")), loop)
            case ClassRange() | ClassSetOp() | Backref() | Recursion() | NamedList():
                return self.position(n, self.full, loop)
            case Empty() | Anchor() | Lookaround() | Comment() | Trivia() | InlineFlags() | Verb():
                return _EMPTY
            case Concat(items=items):
                piece = _EMPTY
                for item in items:
                    piece = self.concat(piece, (yield self.build(item, loop)))
                return piece
            case Alternation(branches=branches) | BranchReset(body=Alternation(branches=branches)):
                parts: list[_Piece] = []
                for b in branches:
                    parts.append((yield self.build(b, loop)))
                return _choice(parts)
            case Capture(body=b) | NonCapture(body=b) | BranchReset(body=b) | Fuzzy(item=b):
                piece = yield self.build(b, loop)
                return piece
            case Conditional(yes=yes, no=no):
                when_yes: _Piece = yield self.build(yes, loop)
                when_no: _Piece = _EMPTY if no is None else (yield self.build(no, loop))
                return _choice([when_yes, when_no])
            case Atomic(body=b):
                return self.opaque(n, b, loop)
            case Repeat():
                piece = yield self.repeat(n, loop)
                return piece
            case Pattern(body=b):
                piece = yield self.build(b, loop)
                return piece
            case _:
                assert_never(n)

    def opaque(self, n: Node, body: Node, loop: Repeat | None) -> _Piece:
        """A part that never gives back what it matched: one step over its characters."""
        bits = 0
        for leaf in walk(body):  # a class's own items only widen the union: harmless
            if isinstance(leaf, Literal | Dot | ClassEscape | Property | Class | PosixClass):
                bits |= self.item_mask(leaf, self.flags.get(leaf, ""))
        piece = self.position(n, bits or self.full, loop)
        return _Piece(width(body, self.p).min == 0, piece.first, piece.last)

    def repeat(self, n: Repeat, loop: Repeat | None) -> Step[_Piece]:
        if n.greed == "possessive":
            return self.opaque(n, n.item, loop)
        if n.max is None or n.max > _UNROLL:
            self.loops.append(n)
            body: _Piece = yield self.build(n.item, n)  # X{m,} reads as X+: one copy, looped
            self.link(body.last, body.first, n)
            return _Piece(body.nullable or n.min == 0, body.first, body.last)
        piece = _EMPTY
        for _ in range(n.min):
            piece = self.concat(piece, (yield self.build(n.item, loop)))
        optional = _EMPTY
        for _ in range(n.max - n.min):  # X{0,2} is (X(X)?)?, never X?X?
            inner: _Piece = yield self.build(n.item, loop)
            chained = self.concat(inner, optional)
            optional = _Piece(True, chained.first, chained.last)
        return self.concat(piece, optional)


def _choice(parts: list[_Piece]) -> _Piece:
    return _Piece(
        any(x.nullable for x in parts),
        tuple(i for x in parts for i in x.first),
        tuple(i for x in parts for i in x.last),
    )


def _successors(auto: _Automaton) -> list[list[tuple[int, int]]]:
    """Per position: (target, multiplicity)."""
    succ: list[list[tuple[int, int]]] = [[] for _ in auto.masks]
    for (s, t), origins in auto.edges.items():
        succ[s].append((t, len(origins)))
    return succ


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
    auto: _Automaton, succ: list[list[tuple[int, int]]], comp: list[int]
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
                        raise _TooBig
                if found:
                    break
                dead |= seen
            if found:
                break
        if found:
            hazards.append(_exponential_hazard(auto, inside))
    return hazards


def _exponential_hazard(auto: _Automaton, states: set[int]) -> Hazard:
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
    auto: _Automaton, succ: list[list[tuple[int, int]]], comp: list[int], skip: list[Span]
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


def _merge(auto: _Automaton, pairs: list[tuple[int, int]]) -> list[Hazard]:
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
    if leaves > _MAX_POSITIONS:  # each becomes at least one state: too big to analyse
        return ()
    auto = _Automaton(p)
    try:
        run(auto.build(p, None))
        succ = _successors(auto)
        comp = _components(succ)
        exponential = _exponential(auto, succ, comp)
        polynomial = _polynomial(auto, succ, comp, [h.span for h in exponential])
    except (_TooBig, RecursionError):
        return ()
    unique = {(h.span, h.kind): h for h in exponential + polynomial}
    return tuple(sorted(unique.values(), key=lambda h: (h.span.start, h.span.end)))
