"""The position automaton of a pattern, for the backtracking analysis (``_redos``).

Glushkov's construction: one state per character-consuming leaf, an edge from each state to
every state that can read the next character, and one edge per way the pattern can get
there, so ``(a+)+`` has two ``a -> a`` edges (the inner and the outer loop). Character sets
are bitsets over a sample alphabet (ASCII, the pattern's own characters, and a few
characters where Unicode classes and case folding differ). Possessive repeats and atomic
groups never give back what they matched, so each is one state. Repeats bounded above
``UNROLL`` count as unbounded; smaller bounds are unrolled (``X{0,2}`` as ``(X(X)?)?``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import assert_never

from .._syntax._ast import (
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
    Trivia,
    Verb,
    walk,
)
from .._syntax._flags import flags_at
from .._syntax._width import width
from .._trampoline import Step

__all__ = ["MAX_POSITIONS", "Automaton", "TooBig", "successors"]

UNROLL = 10  # repeats bounded above this count as unbounded
MAX_POSITIONS = 2000
# Characters beyond ASCII where the classes differ (Unicode digits, spaces, case folds).
_SAMPLES = (
    "\x85\xa0\xb2\xb5\xdf\xe9\xc9\xff\u0130\u0131\u017f\u0416\u0436\u0663"
    "\u1680\u2028\u212a\u3000\u4e2d\U0001f600"
)


class TooBig(Exception):
    """The pattern is too big to analyse within budget."""

    pass


@dataclass(frozen=True, slots=True)
class _Piece:
    nullable: bool
    first: tuple[int, ...]
    last: tuple[int, ...]


_EMPTY = _Piece(True, (), ())


class Automaton:
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
        if len(self.masks) >= MAX_POSITIONS:
            raise TooBig
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
        if n.max is None or n.max > UNROLL:
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


def successors(auto: Automaton) -> list[list[tuple[int, int]]]:
    """Per position: (target, multiplicity)."""
    succ: list[list[tuple[int, int]]] = [[] for _ in auto.masks]
    for (s, t), origins in auto.edges.items():
        succ[s].append((t, len(origins)))
    return succ
