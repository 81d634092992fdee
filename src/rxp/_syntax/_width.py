"""How many characters a pattern can match: ``width(node)`` is the shortest and longest text.

The parser's own checks need it (a look-behind must have a fixed width, as CPython's
``re._parser`` computes with ``getwidth``), so it lives with the syntax. For the ``re`` flavour
``width(p)`` equals ``re._parser.parse(p).getwidth()`` (an unbounded maximum is ``None``; like
``re``, lengths of ``2**64`` or more count as unbounded and minimums are capped there). The
fold runs on ``rxp._trampoline``, so no nesting depth reaches Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal as Literal_
from typing import TypeAlias, assert_never

from .._trampoline import Step, run
from ._ast import (
    Alternation,
    Anchor,
    Atomic,
    Backref,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
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
from ._fuzzy_limits import allowance, fuzzy_width
from ._record import value

__all__ = ["MAXWIDTH", "Width", "can_match_empty", "width"]

MAXWIDTH = 1 << 64
"""Lengths at or above this are unbounded, as in CPython's ``re._parser.MAXWIDTH``."""


# --- widths --------------------------------------------------------------------------------


@value
class Width:
    """How many characters a node can match: ``min`` to ``max`` (None: unbounded)."""

    min: int
    max: int | None


_ZERO = Width(0, 0)
_ONE = Width(1, 1)
_ANY = Width(0, None)


def _capped(lo: int, hi: int | None) -> Width:
    return Width(min(lo, MAXWIDTH), None if hi is None or hi >= MAXWIDTH else hi)


def _union(widths: Iterable[Width]) -> Width:
    lo: int | None = None
    hi: int | None = 0
    for w in widths:
        lo = w.min if lo is None else min(lo, w.min)
        hi = None if hi is None or w.max is None else max(hi, w.max)
    return _capped(lo or 0, hi)


_Mode: TypeAlias = Literal_["fuzzy", "plain", "residual"]


class _Widths:
    """Memoised width fold over one tree; backrefs take their group's width.

    A fuzzy match needs two more folds of its item (``others``, made when first needed):
    ``plain`` ignores the fuzzy constraints nested in it, ``residual`` counts 0 for every
    character (as if deleted) but keeps the shortest match of each nested fuzzy match."""

    def __init__(self, root: Node, mode: _Mode = "fuzzy", shared: _Widths | None = None) -> None:
        self.root = root
        self.mode = mode
        self.memo: dict[int, Width] = {}
        self.busy: set[int] = set()
        self.captures: dict[int, list[Capture]] = {}
        self.names: dict[str, int] = {}
        self.others: dict[_Mode, _Widths] = {mode: self}
        if shared is not None:
            self.captures, self.names, self.others = shared.captures, shared.names, shared.others
            return
        for node in walk(root):
            if isinstance(node, Capture):
                self.captures.setdefault(node.index, []).append(node)
                if node.name is not None:
                    self.names.setdefault(node.name, node.index)

    def other(self, mode: _Mode) -> _Widths:
        found = self.others.get(mode)
        if found is None:
            found = _Widths(self.root, mode, self)
            self.others[mode] = found
        return found

    def width(self, node: Node) -> Width:
        found = self.memo.get(id(node))
        return found if found is not None else run(self.of(node))

    def group(self, target: int | str) -> Step[Width]:
        index = self.names.get(target) if isinstance(target, str) else target
        if index is None or index not in self.captures or index in self.busy:
            return _ANY  # unknown, or a group referring to itself (regex flavour)
        self.busy.add(index)
        widths = []
        for capture in self.captures[index]:
            widths.append((yield self.of(capture.body)))
        self.busy.discard(index)
        return _union(widths)

    def of(self, node: Node) -> Step[Width]:
        key = id(node)
        found = self.memo.get(key)
        if found is None:
            found = yield self.compute(node)
            if not self.busy:
                self.memo[key] = found
        return found

    def compute(self, node: Node) -> Step[Width]:
        match node:
            case Literal() | Dot() | ClassEscape() | Property() | PosixClass() | Class():
                return _ZERO if self.mode == "residual" else _ONE
            case ClassRange() | ClassSetOp():
                return _ZERO if self.mode == "residual" else _ONE
            case Empty() | Anchor() | Comment() | Trivia() | InlineFlags() | Lookaround() | Verb():
                return _ZERO
            case NamedList() | Recursion():
                return _ANY
            case Fuzzy(item=item):
                if self.mode == "residual":
                    matched: Width = yield self.other("fuzzy").of(node)
                    return Width(matched.min, None)
                fuzzed: Width = yield self.of(item)
                if self.mode == "plain":
                    return fuzzed
                plain: Width = yield self.other("plain").of(item)
                residual: Width = yield self.other("residual").of(item)
                allowed = allowance(node)
                span = (plain.min, plain.max)
                return _capped(*fuzzy_width(span, fuzzed.min, residual.min == 0, allowed))
            case Backref(target=target):
                referred: Width = yield self.group(target)
                return referred
            case Repeat(item=item, min=lo, max=hi):
                inner: Width = yield self.of(item)
                if hi is None:
                    top = None if inner.max != 0 else 0
                elif inner.max is None:
                    top = None if hi else 0
                else:
                    top = inner.max * hi
                return _capped(inner.min * lo, top)
            case Concat(items=items):
                total_lo, total_hi = 0, 0
                unbounded = False
                for item in items:
                    w: Width = yield self.of(item)
                    total_lo += w.min
                    if w.max is None:
                        unbounded = True
                    else:
                        total_hi += w.max
                return _capped(total_lo, None if unbounded else total_hi)
            case Alternation(branches=branches):
                widths = []
                for b in branches:
                    widths.append((yield self.of(b)))
                return _union(widths)
            case Capture(body=b) | NonCapture(body=b) | Atomic(body=b) | BranchReset(body=b):
                body: Width = yield self.of(b)
                return body
            case Conditional(yes=yes, no=no):
                when_yes: Width = yield self.of(yes)
                if no is None:
                    return Width(0, when_yes.max)
                return _union((when_yes, (yield self.of(no))))
            case Pattern(body=b):
                whole: Width = yield self.of(b)
                return whole
            case _:
                assert_never(node)


_last: tuple[Node, _Widths] | None = None  # explain asks for every node of one pattern


def width(node: Node, within: Pattern | None = None) -> Width:
    """The shortest and longest text ``node`` can match.

    Backreferences take the width of the group they name, looked up in ``within`` (the
    whole pattern; defaults to ``node`` itself). Look-arounds, anchors and other zero-width
    constructs count 0; recursion and named lists are ``Width(0, None)``. A fuzzy match is
    its item's width less the deletions and plus the insertions its constraint allows
    (``rxp._syntax._fuzzy_limits.fuzzy_width``).
    """
    global _last
    root = within if within is not None else node
    cached = _last
    if cached is not None and cached[0] is root:
        folds = cached[1]
    else:
        folds = _Widths(root)
        _last = (root, folds)
    return folds.width(node)


def can_match_empty(p: Pattern) -> bool:
    """True when some match may be zero characters long (the minimum width is 0)."""
    return width(p).min == 0
