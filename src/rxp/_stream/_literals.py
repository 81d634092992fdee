"""What the scanner may assume about a pattern, read from its AST (pure folds).

- ``required_factor(p)``: a set of byte strings one of which every match contains (the
  prefilter: a block without any of them cannot match, ``bytes.find`` jumps to candidates).
- ``literal_prefix(p)``: whether every match begins with a fixed literal (the engine's own
  prefix search is then faster than a Python-level candidate loop).

Every fold is conservative: an unknown construct never yields a literal and always "can
match a newline". Literals are the UTF-8 bytes of the characters as the pattern spells them.
"""

from __future__ import annotations

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
)
from .._syntax._flags import flags_at
from ._lower import utf8

__all__ = [
    "Factor",
    "exact_texts",
    "lead_in",
    "literal_prefix",
    "required_factor",
]

Factor = frozenset[bytes]
"""Alternative literals: every match contains at least one of them."""

_MAX_ALTERNATIVES = 8
# Bytes that are everywhere in logs make poor prefilters; rarer bytes weigh more.
_COMMON = frozenset(b" 0123456789:.-/=etaoinsrETAOINS[]")


@dataclass(frozen=True, slots=True)
class _Info:
    exact: bytes | None  # the node always matches exactly these bytes
    factors: tuple[Factor, ...]  # each factor: one of its strings is in every match


_UNKNOWN = _Info(None, ())
_ZERO = _Info(b"", ())


def _score(factor: Factor) -> int:
    return min(sum(1 if b in _COMMON else 3 for b in lit) for lit in factor)


def _best(factors: tuple[Factor, ...]) -> Factor | None:
    usable = [f for f in factors if f and all(f)]
    return max(usable, key=_score, default=None)


class _Literals:
    def __init__(self, p: Pattern) -> None:
        self.flags = flags_at(p)

    def folded(self, node: Node) -> bool:
        return "i" in self.flags.get(node, "")

    def info(self, node: Node) -> _Info:
        match node:
            case Literal(char=char):
                if self.folded(node) and char.lower() != char.upper():
                    return _UNKNOWN
                return _Info(utf8(char), ())
            case Empty() | Anchor() | Comment() | Trivia() | InlineFlags() | Lookaround():
                return _ZERO  # zero-width: the text matched around them is contiguous
            case Class(negated=False, items=(Literal() as only,)):
                return self.info(only)
            case Concat(items=items):
                return self._concat(items)
            case Alternation(branches=branches):
                return self._alternation(branches)
            case Capture(body=b) | NonCapture(body=b) | Atomic(body=b):
                return self.info(b)
            case Repeat(item=item, min=lo, max=hi):
                inner = self.info(item)
                if lo == 0:
                    return _UNKNOWN
                if inner.exact is not None and hi == lo and len(inner.exact) * lo <= 64:
                    return _Info(inner.exact * lo, ())
                factors = inner.factors
                if inner.exact:
                    factors = (*factors, frozenset({inner.exact}))
                return _Info(None, factors)
            case Pattern(body=b):
                return self.info(b)
            case (
                Dot()
                | Class()
                | ClassEscape()
                | Property()
                | PosixClass()
                | ClassRange()
                | ClassSetOp()
                | Backref()
                | Recursion()
                | Verb()
                | NamedList()
                | Fuzzy()
                | BranchReset()
                | Conditional()
            ):
                return _UNKNOWN
            case _:
                assert_never(node)

    def _concat(self, items: tuple[Node, ...]) -> _Info:
        factors: list[Factor] = []
        run = b""
        exact = True
        for item in items:
            sub = self.info(item)
            if sub.exact is not None:
                run += sub.exact
                continue
            exact = False
            if run:
                factors.append(frozenset({run}))
            run = b""
            factors.extend(sub.factors)
        if exact:
            return _Info(run, ())
        if run:
            factors.append(frozenset({run}))
        return _Info(None, tuple(factors))

    def _alternation(self, branches: tuple[Node, ...]) -> _Info:
        alternatives: set[bytes] = set()
        for branch in branches:
            sub = self.info(branch)
            if sub.exact is not None:
                if not sub.exact:
                    return _UNKNOWN
                alternatives.add(sub.exact)
                continue
            best = _best(sub.factors)
            if best is None:
                return _UNKNOWN
            alternatives |= best
        if len(alternatives) > _MAX_ALTERNATIVES:
            return _UNKNOWN
        return _Info(None, (frozenset(alternatives),))


def required_factor(p: Pattern, *, ignore_case: bool = False) -> Factor | None:
    """The best set of literals one of which every match of ``p`` contains, or None.

    Under ``ignore_case`` (the caller's ``-i``) no literal is required: a byte search is
    case-sensitive."""
    if ignore_case:
        return None
    sub = _Literals(p).info(p)
    if sub.exact is not None:
        return frozenset({sub.exact}) if sub.exact else None
    return _best(sub.factors)


def literal_prefix(p: Pattern, *, ignore_case: bool = False) -> bytes | None:
    """The literal every match starts with (under a leading Capture/NonCapture), or None."""
    if ignore_case:
        return None
    folds = _Literals(p)
    node: Node = p.body
    while isinstance(node, Capture | NonCapture | Atomic):
        node = node.body
    prefix = b""
    for item in node.items if isinstance(node, Concat) else (node,):
        sub = folds.info(item)
        if sub.exact is None:
            break
        prefix += sub.exact
    return prefix or None


# --- the bytes that can stand before the literal ---------------------------------------------

_ALL = frozenset(range(256))
_DIGITS = frozenset(b"0123456789")
_WORD = frozenset(b"0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SPACE = frozenset(b" \t\n\r\f\v")
_ESCAPE_SETS = {
    "d": _DIGITS,
    "D": _ALL - _DIGITS,
    "w": _WORD,
    "W": _ALL - _WORD,
    "s": _SPACE,
    "S": _ALL - _SPACE,
}


def _item_bytes(item: ClassItem) -> frozenset[int] | None:
    match item:
        case Literal(char=char):
            return frozenset(char.encode("ascii")) if ord(char) < 128 else None
        case ClassRange(start=start, end=end):
            if ord(end.char) > 127:
                return None
            return frozenset(range(ord(start.char), ord(end.char) + 1))
        case ClassEscape(letter=letter):
            return _ESCAPE_SETS.get(letter)
        case Class(negated=negated, items=items):
            inner = _items_bytes(items)
            return None if inner is None else (_ALL - inner if negated else inner)
        case Property() | PosixClass() | ClassSetOp():
            return None
        case _:
            assert_never(item)


def _items_bytes(items: tuple[ClassItem, ...]) -> frozenset[int] | None:
    out: set[int] = set()
    for item in items:
        found = _item_bytes(item)
        if found is None:
            return None
        out |= found
    return frozenset(out)


def _node_bytes(node: Node) -> frozenset[int] | None:
    """Every byte ``node`` can consume (ASCII constructs only), or None when unknown or
    when it asserts something about its surroundings (anchors, look-arounds)."""
    match node:
        case Literal() | ClassEscape():
            return _item_bytes(node)
        case Class(negated=negated, items=items):
            inner = _items_bytes(items)
            return None if inner is None else (_ALL - inner if negated else inner)
        case Repeat(item=b) | Capture(body=b) | NonCapture(body=b, on="", off=""):
            return _node_bytes(b)
        case Concat(items=parts) | Alternation(branches=parts):
            out: set[int] = set()
            for part in parts:
                found = _node_bytes(part)
                if found is None:
                    return None
                out |= found
            return frozenset(out)
        case Empty() | Comment() | Trivia():
            return frozenset()
        case _:
            return None


def lead_in(p: Pattern, literal: bytes, *, ignore_case: bool = False) -> bytes | None:
    """When the pattern is ``LEAD LITERAL REST`` at the top level and ``LEAD`` can only
    consume bytes of a known set, those bytes (as a ``bytes.rstrip`` argument), else None.

    A match then starts inside the run of such bytes just before the first occurrence of
    ``literal`` in the line, so the search can start there instead of at the line start
    (what RE2 calls a reverse-suffix scan, done with ``rstrip``)."""
    if ignore_case or any("i" in f for f in flags_at(p).values()):
        return None
    body = p.body
    if not isinstance(body, Concat):
        return None
    folds = _Literals(p)
    lead: list[Node] = []
    items = body.items
    for at, item in enumerate(items):
        run = b""
        for follower in items[at:]:
            exact = folds.info(follower).exact
            if exact is None:
                break
            run += exact
            if run.startswith(literal):
                break
        if run.startswith(literal):
            break
        lead.append(item)
    else:
        return None
    if not lead:
        return None
    allowed: set[int] = set()
    for item in lead:
        found = _node_bytes(item)
        if found is None:
            return None
        allowed |= found
    allowed.discard(0x0A)
    if len(allowed) > 128:
        return None
    return bytes(sorted(allowed))


def exact_texts(p: Pattern, nodes: tuple[Node, ...]) -> list[bytes | None]:
    """For each of ``nodes`` (inside ``p``): the bytes it always matches, or None."""
    folds = _Literals(p)
    return [folds.info(node).exact for node in nodes]
