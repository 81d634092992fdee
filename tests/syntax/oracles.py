"""The engines as oracles for the parser: what ``re`` says of a pattern (valid with these
groups, names and width, or rejected at this position), what rxp says, and whether the two
agree. Shared by the agreement and check tests.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from rxp._analysis._groups import group_count, group_names
from rxp._errors import PatternError
from rxp._syntax._parse import parse
from rxp._syntax._width import width

# re._parser.getwidth caps lengths at MAXWIDTH (2**64) in 3.11.7+; older 3.11 releases
# capped the maximum at MAXREPEAT. Either way a maximum at the cap means unbounded.
CAP = getattr(re._parser, "MAXWIDTH", re._constants.MAXREPEAT)  # type: ignore[attr-defined]
FLAG_BITS = {"": 0, "i": re.I, "u": re.U, "a": re.A, "m": re.M, "x": re.X, "s": re.S}


@dataclass(frozen=True)
class Accepted:
    groups: int
    names: dict[str, int]
    width: tuple[int, int | None]


@dataclass(frozen=True)
class Rejected:
    position: int | None  # None: re raised without a position (ValueError, OverflowError)
    message: str


Verdict = Accepted | Rejected


def by_re(pattern: str, flags: str = "") -> Verdict:
    bits = FLAG_BITS[flags]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compiled = re.compile(pattern, bits)
        except re.error as exc:
            return Rejected(exc.pos, exc.msg)
        except (OverflowError, ValueError) as exc:
            return Rejected(None, str(exc))
        lo, hi = re._parser.parse(pattern, bits).getwidth()  # type: ignore[attr-defined]
    return Accepted(
        compiled.groups, dict(compiled.groupindex), (min(lo, CAP), None if hi >= CAP else hi)
    )


def by_rxp(pattern: str, flags: str = "") -> Verdict:
    try:
        tree = parse(pattern, flavor="re", flags=flags)
    except PatternError as exc:
        return Rejected(exc.position, exc.message)
    w = width(tree)
    hi = None if w.max is None or w.max >= CAP else w.max
    return Accepted(group_count(tree), group_names(tree), (min(w.min, CAP), hi))


def agree(expected: Verdict, got: Verdict) -> bool:
    """Same verdict; the same position wherever re reports one; the same facts if valid."""
    match expected, got:
        case Accepted(), Accepted():
            return expected == got
        case Rejected(position=pos), Rejected(position=got_pos):
            return pos is None or pos == got_pos
        case _:
            return False


def by_regex(pattern: str, flags: str = "") -> Verdict:
    import regex

    bits = {"": 0, "i": regex.I, "x": regex.X, "a": regex.A, "V1": regex.V1}[flags]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compiled = regex.compile(pattern, bits)
        except regex.error as exc:
            return Rejected(exc.pos, exc.msg)
        except (OverflowError, ValueError, RecursionError) as exc:
            return Rejected(None, str(exc))
    return Accepted(compiled.groups, dict(compiled.groupindex), (0, None))


def by_rxp_regex(pattern: str, flags: str = "") -> Verdict:
    try:
        tree = parse(pattern, flavor="regex", flags=flags)
    except PatternError as exc:
        return Rejected(exc.position, exc.message)
    return Accepted(group_count(tree), group_names(tree), (0, None))  # regex reports no width
