"""Fuzzy constraints of the regex flavour (``{e<=1}``, ``{1<=e<=2,i<=1}``,
``{2i+2d+1s<=4}``, ``{e<=1:[a-z]}``), read as the ``regex`` package reads them.

``fuzzy(s)`` is called just after a ``{`` that did not make a quantifier; it returns None
when the braces hold no constraint (the ``{`` is then a literal), else the ``Constraint``
read: its limits and cost equation, typed, and the tokens of its test. Errors the package
raises while reading one (``bad fuzzy cost limit``, ``expected }``...) are raised with its
message and position.
"""

from __future__ import annotations

from lark import Token

from ._ast import FuzzyCost, FuzzyKind, FuzzyLimit, Span
from ._record import value
from ._regex_source import ALPHA, DIGITS, SPECIAL, Scanner

__all__ = ["Constraint", "fuzzy"]


@value
class Constraint:
    """A fuzzy constraint as read: ``limits`` in written order, the ``cost`` equation if
    any, and ``test``, the tokens of what follows ``:`` (empty when nothing does)."""

    limits: tuple[FuzzyLimit, ...]
    cost: FuzzyCost | None
    test: tuple[Token, ...]

    @property
    def allows_errors(self) -> bool:
        """False for a constraint that allows no error (``{e<=0}``, ``{i<=0,d<=0,s<=0}``):
        the package then ignores it."""
        ranges = {limit.kind: (limit.min, limit.max) for limit in self.limits}
        if ranges.get("e") == (0, 0):
            return False
        return (ranges.get("s"), ranges.get("i"), ranges.get("d")) != ((0, 0),) * 3


class _ParseError(Exception):
    """Not a fuzzy constraint after all (the package's ``ParseError``)."""


class _Reading:
    """What has been read so far inside the braces."""

    __slots__ = ("cost", "limits")

    def __init__(self) -> None:
        self.limits: list[FuzzyLimit] = []
        self.cost: FuzzyCost | None = None

    def named(self, ch: str) -> FuzzyKind:
        """``ch`` as a limit's kind; not a constraint if it is none, or already limited."""
        kind = _KINDS.get(ch)
        if kind is None or any(limit.kind == kind for limit in self.limits):
            raise _ParseError
        return kind


_KINDS: dict[str, FuzzyKind] = {"e": "e", "i": "i", "d": "d", "s": "s"}


def fuzzy(s: Scanner) -> Constraint | None:
    """From just after ``{``: the fuzzy constraint there, or None when this is none."""
    saved = s.pos
    reading = _Reading()
    try:
        _fuzzy_item(s, reading)
        while s.match(","):
            _fuzzy_item(s, reading)
    except _ParseError:
        s.pos = saved
        return None
    test: tuple[Token, ...] = ()
    if s.match(":"):
        test = _fuzzy_test(s)
    if not s.match("}"):
        raise s.error("expected }")
    return Constraint(tuple(reading.limits), reading.cost, test)


def _fuzzy_item(s: Scanner, reading: _Reading) -> None:
    saved = s.pos
    try:
        _cost_constraint(s, reading)
    except _ParseError:
        s.pos = saved
        _cost_equation(s, reading)


def _compare(s: Scanner) -> bool | None:
    if s.match("<="):
        return True
    if s.match("<"):
        return False
    return None


def _digits(s: Scanner) -> tuple[str, int]:
    """``s.get_while(DIGITS)``, and where the last digit ends (under VERBOSE the scanner
    also steps over the whitespace after it)."""
    out = []
    pos = end = s.pos
    while True:
        pos = s.skip(pos, s.ignore_space)
        if pos >= s.length or s.string[pos] not in DIGITS:
            break
        out.append(s.string[pos])
        pos += 1
        end = pos
    s.pos = pos
    return "".join(out), end


def _cost_limit(s: Scanner) -> tuple[int, int]:
    """A number, and where it ends."""
    at = s.pos
    digits, end = _digits(s)
    try:
        return int(digits), end
    except ValueError:  # no digits, or more than int() reads
        raise s.error("bad fuzzy cost limit", at) from None


def _cost_constraint(s: Scanner, reading: _Reading) -> None:
    saved = s.pos
    ch = s.get()
    start = s.pos - 1
    if ch and ch in ALPHA:
        kind = reading.named(ch)
        inclusive = _compare(s)
        if inclusive is None:
            reading.limits.append(FuzzyLimit(span=Span(start, s.pos), kind=kind, min=0, max=None))
            return
        at = s.pos
        cost, end = _cost_limit(s)
        if not inclusive:
            cost -= 1
        if not 0 <= cost <= 0xFFFFFFFF:
            raise s.error("bad fuzzy cost limit", at)
        reading.limits.append(FuzzyLimit(span=Span(start, end), kind=kind, min=0, max=cost))
    elif ch and ch in DIGITS:
        s.pos = saved
        low, _ = _cost_limit(s)
        low_inclusive = _compare(s)
        if low_inclusive is None:
            raise _ParseError
        kind = reading.named(s.get())
        high_inclusive = _compare(s)
        if high_inclusive is None:
            raise _ParseError
        at = s.pos
        high, end = _cost_limit(s)
        if not low_inclusive:
            low += 1
        if not high_inclusive:
            high -= 1
        if not 0 <= low <= high:
            raise s.error("bad fuzzy cost limit", at)
        reading.limits.append(FuzzyLimit(span=Span(start, end), kind=kind, min=low, max=high))
    else:
        raise _ParseError


def _cost_equation(s: Scanner, reading: _Reading) -> None:
    if reading.cost is not None:
        raise s.error("more than one cost equation")
    start = s.skip(s.pos, s.ignore_space)
    cost: dict[str, int] = {}
    _cost_term(s, cost)
    while s.match("+"):
        _cost_term(s, cost)
    inclusive = _compare(s)
    if inclusive is None:
        raise _ParseError
    digits, end = _digits(s)
    if not digits:
        raise _ParseError
    limit = int(digits) - (0 if inclusive else 1)
    if not 0 <= limit <= 0xFFFFFFFF:
        raise s.error("bad fuzzy cost limit")
    reading.cost = FuzzyCost(
        span=Span(start, end), i=cost.get("i"), d=cost.get("d"), s=cost.get("s"), max=limit
    )


def _cost_term(s: Scanner, cost: dict[str, int]) -> None:
    coefficient = s.get_while(DIGITS)
    ch = s.get()
    if not ch or ch not in "dis":
        raise _ParseError
    if ch in cost:
        raise s.error("repeated fuzzy cost")
    cost[ch] = int(coefficient or 1)


def _fuzzy_test(s: Scanner) -> tuple[Token, ...]:
    """The test after ``:``: its tokens, taken off the scanner's (the parser gets them
    from the ``Constraint``)."""
    saved = s.pos
    count = len(s.tokens)
    ch = s.get()
    at = s.pos - 1  # where ``ch`` stands: VERBOSE may have skipped whitespace before it
    if ch == "\\":
        s.emit(s.escape(at, False), at)
    elif ch == "[":
        s.charset(at, 0)
    elif not ch or (ch in SPECIAL and ch != "."):
        raise s.error("expected character set", saved)
    else:
        s.emit("DOT" if ch == "." else "CHAR", at)
    test = tuple(s.tokens[count:])
    del s.tokens[count:]
    return test
