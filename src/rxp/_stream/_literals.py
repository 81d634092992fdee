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
from .._trampoline import Step, run
from ._lower import node_flags, utf8

__all__ = [
    "Factor",
    "exact_texts",
    "lead_in",
    "literal_prefix",
    "literal_start",
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
    """``info`` of any node of one pattern: a fold with an explicit stack (patterns nest
    hundreds of groups deep) that remembers each node's answer by identity, so asking for
    every item of a long sequence costs the tree once."""

    def __init__(self, p: Pattern) -> None:
        self.pattern = p
        self.flags = node_flags(p)
        self.memo: dict[int, tuple[Node, _Info]] = {}

    def folded(self, node: Node) -> bool:
        return "i" in self.flags.get(node, "")

    def info(self, node: Node) -> _Info:
        known = self.memo.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        return run(self._info(node))

    def _info(self, node: Node) -> Step[_Info]:
        known = self.memo.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        result: _Info
        match node:
            case Literal(char=char):
                if self.folded(node) and char.lower() != char.upper():
                    result = _UNKNOWN
                else:
                    result = _Info(utf8(char), ())
            case Empty() | Anchor() | Comment() | Trivia() | InlineFlags() | Lookaround():
                result = _ZERO  # zero-width: the text matched around them is contiguous
            case Class(negated=False, items=(Literal() as only,)):
                result = yield self._info(only)
            case Concat(items=items):
                parts: list[_Info] = []
                for item in items:
                    parts.append((yield self._info(item)))
                result = _concat(parts)
            case Alternation(branches=branches):
                options: list[_Info] = []
                for branch in branches:
                    options.append((yield self._info(branch)))
                result = _alternation(options)
            case Capture(body=b) | NonCapture(body=b) | Atomic(body=b) | Pattern(body=b):
                result = yield self._info(b)
            case Repeat(item=item, min=lo, max=hi):
                inner: _Info = yield self._info(item)
                result = _repeat(inner, lo, hi)
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
                result = _UNKNOWN
            case _:
                assert_never(node)
        self.memo[id(node)] = (node, result)
        return result


_last: _Literals | None = None


def _folds(p: Pattern) -> _Literals:
    """The ``_Literals`` of ``p``, shared by the folds a plan asks of the same tree."""
    global _last
    if _last is None or _last.pattern is not p:
        _last = _Literals(p)
    return _last


def _repeat(inner: _Info, lo: int, hi: int | None) -> _Info:
    if lo == 0:
        return _UNKNOWN
    if inner.exact is not None and hi == lo and len(inner.exact) * lo <= 64:
        return _Info(inner.exact * lo, ())
    factors = inner.factors
    if inner.exact:
        factors = (*factors, frozenset({inner.exact}))
    return _Info(None, factors)


def _concat(parts: list[_Info]) -> _Info:
    factors: list[Factor] = []
    run: list[bytes] = []  # joined once: `+=` on bytes would be quadratic in a long literal
    exact = True
    for sub in parts:
        if sub.exact is not None:
            run.append(sub.exact)
            continue
        exact = False
        if any(run):
            factors.append(frozenset({b"".join(run)}))
        run = []
        factors.extend(sub.factors)
    if exact:
        return _Info(b"".join(run), ())
    if any(run):
        factors.append(frozenset({b"".join(run)}))
    return _Info(None, tuple(factors))


def _alternation(options: list[_Info]) -> _Info:
    alternatives: set[bytes] = set()
    for sub in options:
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


def literal_start(exacts: list[bytes | None], first: int, literal: bytes) -> int | None:
    """The first index ``k >= first`` where the exact texts from ``k`` on, joined up to
    the first None, start with ``literal``. Each run of exact texts is joined once and
    probed at each item's offset: linear in the pattern (a 10 kB literal pattern took
    seconds when every ``k`` joined its own run)."""
    k = 0
    while k < len(exacts):
        if exacts[k] is None:
            k += 1
            continue
        end = k
        while end < len(exacts) and exacts[end] is not None:
            end += 1
        parts = [e for e in exacts[k:end] if e is not None]
        joined = b"".join(parts)
        offset = 0
        for index, part in enumerate(parts, start=k):
            if index >= first and joined.startswith(literal, offset):
                return index
            offset += len(part)
        k = end
    return None


def required_factor(p: Pattern, *, ignore_case: bool = False) -> Factor | None:
    """The best set of literals one of which every match of ``p`` contains, or None.

    Under ``ignore_case`` (the caller's ``-i``) no literal is required: a byte search is
    case-sensitive."""
    if ignore_case:
        return None
    sub = _folds(p).info(p)
    if sub.exact is not None:
        return frozenset({sub.exact}) if sub.exact else None
    return _best(sub.factors)


def literal_prefix(p: Pattern, *, ignore_case: bool = False) -> bytes | None:
    """The literal every match starts with (under a leading Capture/NonCapture), or None."""
    if ignore_case:
        return None
    folds = _folds(p)
    node: Node = p.body
    while isinstance(node, Capture | NonCapture | Atomic):
        node = node.body
    prefix: list[bytes] = []
    for item in node.items if isinstance(node, Concat) else (node,):
        sub = folds.info(item)
        if sub.exact is None:
            break
        prefix.append(sub.exact)
    return b"".join(prefix) or None


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


def _node_bytes(root: Node) -> frozenset[int] | None:
    """Every byte ``root`` can consume (ASCII constructs only), or None when unknown or
    when it asserts something about its surroundings (anchors, look-arounds)."""
    out: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        match node:
            case Literal() | ClassEscape():
                found = _item_bytes(node)
            case Class(negated=negated, items=items):
                inner = _items_bytes(items)
                found = None if inner is None else (_ALL - inner if negated else inner)
            case Repeat(item=b) | Capture(body=b) | NonCapture(body=b, on="", off=""):
                stack.append(b)
                continue
            case Concat(items=parts) | Alternation(branches=parts):
                stack.extend(parts)
                continue
            case Empty() | Comment() | Trivia():
                continue
            case _:
                return None
        if found is None:
            return None
        out |= found
    return frozenset(out)


def lead_in(p: Pattern, literal: bytes, *, ignore_case: bool = False) -> bytes | None:
    """When the pattern is ``LEAD LITERAL REST`` at the top level and ``LEAD`` can only
    consume bytes of a known set, those bytes (as a ``bytes.rstrip`` argument), else None.

    A match then starts inside the run of such bytes just before the first occurrence of
    ``literal`` in the line, so the search can start there instead of at the line start
    (what RE2 calls a reverse-suffix scan, done with ``rstrip``)."""
    if ignore_case or any("i" in f for f in node_flags(p).values()):
        return None
    body = p.body
    if not isinstance(body, Concat):
        return None
    items = body.items
    at = literal_start(exact_texts(p, items), 0, literal)
    if not at:
        return None
    lead = items[:at]
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
    folds = _folds(p)
    return [folds.info(node).exact for node in nodes]
