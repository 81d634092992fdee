"""Fuzzy constraints of the regex flavour (``{e<=1}``, ``{1<=e<=2,i<=1}``,
``{2i+2d+1s<=4}``, ``{e<=1:[a-z]}``), read as the ``regex`` package reads them.

``fuzzy(s)`` is called just after a ``{`` that did not make a quantifier; it returns None
when the braces hold no constraint (the ``{`` is then a literal), True for a constraint that
allows errors and False for one that allows none (the package then ignores it). Errors the
package raises while reading one (``bad fuzzy cost limit``, ``expected }``...) are raised
with its message and position.
"""

from __future__ import annotations

from ._regex_source import ALPHA, DIGITS, SPECIAL, Scanner

__all__ = ["fuzzy"]


class _ParseError(Exception):
    """Not a fuzzy constraint after all (the package's ``ParseError``)."""


def fuzzy(s: Scanner) -> bool | None:
    """From just after ``{``: a fuzzy constraint; True when it allows errors, False when
    it does not (regex then ignores it), None when this is no constraint at all."""
    saved = s.pos
    constraints: dict[str, tuple[int, int | None] | dict[str, int]] = {}
    try:
        _fuzzy_item(s, constraints)
        while s.match(","):
            _fuzzy_item(s, constraints)
    except _ParseError:
        s.pos = saved
        return None
    if s.match(":"):
        _fuzzy_test(s)
    if not s.match("}"):
        raise s.error("expected }")
    if constraints.get("e") == (0, 0):
        return False
    return (constraints.get("s"), constraints.get("i"), constraints.get("d")) != ((0, 0),) * 3


def _fuzzy_item(
    s: Scanner, constraints: dict[str, tuple[int, int | None] | dict[str, int]]
) -> None:
    saved = s.pos
    try:
        _cost_constraint(s, constraints)
    except _ParseError:
        s.pos = saved
        _cost_equation(s, constraints)


def _compare(s: Scanner) -> bool | None:
    if s.match("<="):
        return True
    if s.match("<"):
        return False
    return None


def _cost_limit(s: Scanner) -> int:
    at = s.pos
    digits = s.get_while(DIGITS)
    try:
        return int(digits)
    except ValueError:  # no digits, or more than int() reads
        raise s.error("bad fuzzy cost limit", at) from None


def _constraint(constraints: dict[str, tuple[int, int | None] | dict[str, int]], ch: str) -> str:
    if ch not in "deis" or not ch or ch in constraints:
        raise _ParseError
    return ch


def _cost_constraint(
    s: Scanner, constraints: dict[str, tuple[int, int | None] | dict[str, int]]
) -> None:
    saved = s.pos
    ch = s.get()
    if ch and ch in ALPHA:
        name = _constraint(constraints, ch)
        inclusive = _compare(s)
        if inclusive is None:
            constraints[name] = (0, None)
            return
        at = s.pos
        cost = _cost_limit(s)
        if not inclusive:
            cost -= 1
        if not 0 <= cost <= 0xFFFFFFFF:
            raise s.error("bad fuzzy cost limit", at)
        constraints[name] = (0, cost)
    elif ch and ch in DIGITS:
        s.pos = saved
        low = _cost_limit(s)
        low_inclusive = _compare(s)
        if low_inclusive is None:
            raise _ParseError
        name = _constraint(constraints, s.get())
        high_inclusive = _compare(s)
        if high_inclusive is None:
            raise _ParseError
        at = s.pos
        high = _cost_limit(s)
        if not low_inclusive:
            low += 1
        if not high_inclusive:
            high -= 1
        if not 0 <= low <= high:
            raise s.error("bad fuzzy cost limit", at)
        constraints[name] = (low, high)
    else:
        raise _ParseError


def _cost_equation(
    s: Scanner, constraints: dict[str, tuple[int, int | None] | dict[str, int]]
) -> None:
    if "cost" in constraints:
        raise s.error("more than one cost equation")
    cost: dict[str, int] = {}
    _cost_term(s, cost)
    while s.match("+"):
        _cost_term(s, cost)
    inclusive = _compare(s)
    if inclusive is None:
        raise _ParseError
    digits = s.get_while(DIGITS)
    if not digits:
        raise _ParseError
    limit = int(digits) - (0 if inclusive else 1)
    if not 0 <= limit <= 0xFFFFFFFF:
        raise s.error("bad fuzzy cost limit")
    constraints["cost"] = cost


def _cost_term(s: Scanner, cost: dict[str, int]) -> None:
    coefficient = s.get_while(DIGITS)
    ch = s.get()
    if not ch or ch not in "dis":
        raise _ParseError
    if ch in cost:
        raise s.error("repeated fuzzy cost")
    cost[ch] = int(coefficient or 1)


def _fuzzy_test(s: Scanner) -> None:
    saved = s.pos
    count = len(s.tokens)
    ch = s.get()
    if ch == "\\":
        s.escape(saved, False)
    elif ch == "[":
        s.charset(saved, 0)
    elif not ch or (ch in SPECIAL and ch != "."):
        raise s.error("expected character set", saved)
    del s.tokens[count:]
