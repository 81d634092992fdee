"""How a pattern is anchored: where every match must begin and end.

A fold from each end of the pattern over the paths a match can take: each path meets an
anchor first, consumes a character first, or gets through without either; only when every
path meets a start (or end) anchor is the pattern anchored there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal as L
from typing import TypeAlias, assert_never

from .._syntax._ast import (
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
)
from .._syntax._flags import flags_at
from .._syntax._record import value
from .._trampoline import Step, run

__all__ = ["Anchoring", "Where", "anchoring"]


Where: TypeAlias = L["text", "line"] | None


@value
class Anchoring:
    """Where every match must begin and end: at the start/end of the text, at a line
    boundary, or anywhere (None)."""

    start: Where
    end: Where


# A path through a node either meets an anchor first ("text"/"line"), consumes a
# character first ("consume"), or gets through without doing either ("pass").
_Outcomes: TypeAlias = frozenset[str]
_PASS: _Outcomes = frozenset({"pass"})
_CONSUME: _Outcomes = frozenset({"consume"})


def _lead(n: Node, flags: Mapping[Node, str], from_end: bool) -> Step[_Outcomes]:
    match n:
        case Anchor(kind=kind):
            multiline = "m" in flags.get(n, "")
            if kind == ("text_end" if from_end else "text_start"):
                return frozenset({"text"})
            if kind == ("line_end" if from_end else "line_start"):
                return frozenset({"line" if multiline else "text"})
            if kind == "keep_out":
                return _CONSUME  # the reported match starts after \K
            return _PASS
        case Empty() | Comment() | Trivia() | InlineFlags() | Lookaround() | Verb():
            return _PASS
        case Literal() | Dot() | ClassEscape() | Property() | PosixClass() | Class():
            return _CONSUME
        case ClassRange() | ClassSetOp():
            return _CONSUME
        case Backref() | Recursion() | NamedList() | Fuzzy():
            return _CONSUME | _PASS
        case Repeat(item=item, min=lo):
            inner: _Outcomes = yield _lead(item, flags, from_end)
            return inner | _PASS if lo == 0 else inner
        case Concat(items=items):
            seen: set[str] = set()
            for item in reversed(items) if from_end else items:
                got: _Outcomes = yield _lead(item, flags, from_end)
                seen |= got - _PASS
                if "pass" not in got:
                    return frozenset(seen)
            return frozenset(seen | _PASS)
        case Alternation(branches=branches):
            union: set[str] = set()
            for b in branches:
                union |= yield _lead(b, flags, from_end)
            return frozenset(union)
        case Capture(body=b) | NonCapture(body=b) | Atomic(body=b) | BranchReset(body=b):
            body: _Outcomes = yield _lead(b, flags, from_end)
            return body
        case Conditional(yes=yes, no=no):
            other: _Outcomes = _PASS if no is None else (yield _lead(no, flags, from_end))
            yes_side: _Outcomes = yield _lead(yes, flags, from_end)
            return yes_side | other
        case Pattern(body=b):
            whole: _Outcomes = yield _lead(b, flags, from_end)
            return whole
        case _:
            assert_never(n)


def _where(outcomes: _Outcomes) -> Where:
    if not outcomes or outcomes - {"text", "line"}:
        return None
    return "text" if outcomes == {"text"} else "line"


def anchoring(p: Pattern) -> Anchoring:
    """How every match is anchored: ``start`` is "text" when each match must begin at the
    start of the text (``\\A``, or ``^`` without MULTILINE, on every path), "line" when at
    a line start at least, None otherwise; ``end`` likewise with ``\\Z`` and ``$``."""
    flags = flags_at(p)
    start, end = run(_lead(p, flags, False)), run(_lead(p, flags, True))
    return Anchoring(_where(start), _where(end))
