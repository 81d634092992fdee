"""The vocabulary the idiom rules are written in: predicates on slots (``_slots``) and
combinators over a lowered sequence.

A rule is ``rule(seq, i) -> end | None``: whether the items ``seq[i:end]`` spell something.
``one(pred)`` takes one slot, ``chain`` several parts in a row (zero-width marks between them
taken along), ``opt`` and ``many`` a part written out or as an optional or repeated group,
``alt`` the longest of several, and ``run_of`` as many items as pass a test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from ._ascii_sets import (
    DIGITS,
    HEX,
    LOWER,
    SPACE,
    UPPER,
    bits,
)
from ._slots import (
    Item,
    Loop,
    Mark,
    Seq,
    Slot,
    leaf_slots,
)

__all__ = [
    "HEX_LOWER",
    "HEX_UPPER",
    "PRINTABLE",
    "RUN_CAP",
    "Pred",
    "Rule",
    "alphabet",
    "alt",
    "cased",
    "chain",
    "digit_slot",
    "exactly",
    "hexfield",
    "item_at",
    "lit",
    "many",
    "no_space",
    "one",
    "opt",
    "run_of",
    "single",
    "single_any",
    "skip_marks",
    "slot_at",
    "slots_in",
    "whole",
    "within",
]

Rule: TypeAlias = Callable[[Seq, int], "int | None"]
Pred: TypeAlias = Callable[[Slot], bool]

HEX_LOWER = bits("abcdef")
HEX_UPPER = bits("ABCDEF")
PRINTABLE = sum(1 << c for c in range(32, 127))
# the longest run of items an idiom may hold (a written-out URL or path is a few dozen)
RUN_CAP = 256


# --- sets and slots --------------------------------------------------------------------------


def within(chars: int, allowed: int) -> bool:
    return chars & ~allowed == 0


def cased(chars: int, text: str) -> bool:
    """``chars`` is exactly the characters of ``text``, or those in either case."""
    return chars == bits(text) or chars == bits(text.lower() + text.upper())


def alphabet(chars: int) -> bool:
    """Holds a whole alphabet (a-z or A-Z): a letter class, not a few letters."""
    return chars & LOWER == LOWER or chars & UPPER == UPPER


def hexfield(s: Slot) -> bool:
    c = s.chars
    return (
        within(c, HEX)
        and c & DIGITS == DIGITS
        and (c & HEX_LOWER == HEX_LOWER or c & HEX_UPPER == HEX_UPPER)
    )


def digit_slot(s: Slot) -> bool:
    return within(s.chars, DIGITS)


def exactly(s: Slot, n: int) -> bool:
    return s.min == s.max == n


def item_at(seq: Seq, j: int) -> Item | None:
    return seq[j] if 0 <= j < len(seq) else None


def slot_at(seq: Seq, j: int) -> Slot | None:
    item = item_at(seq, j)
    return item if isinstance(item, Slot) else None


# --- combinators -----------------------------------------------------------------------------


def one(pred: Pred) -> Rule:
    def rule(seq: Seq, j: int) -> int | None:
        s = slot_at(seq, j)
        return j + 1 if s is not None and pred(s) else None

    return rule


def lit(text: str, lo: int = 1, hi: int = 1) -> Rule:
    return one(lambda s: cased(s.chars, text) and s.min == lo and s.max == hi)


def skip_marks(seq: Seq, j: int) -> int:
    while isinstance(item_at(seq, j), Mark):
        j += 1
    return j


def chain(*parts: Rule) -> Rule:
    """The parts one after another; zero-width marks between parts are taken along, those
    after the last part that consumed something are not."""

    def rule(seq: Seq, j: int) -> int | None:
        end = j
        for k, part in enumerate(parts):
            probe = skip_marks(seq, end) if k else end
            got = part(seq, probe)
            if got is None:
                return None
            if got > probe:
                end = got
        return end

    return rule


def whole(part: Rule, body: Seq) -> bool:
    return part(body, 0) == len(body)


def opt(part: Rule) -> Rule:
    """``part``, or an optional group ``(?:part)?`` holding exactly it, or nothing."""

    def rule(seq: Seq, j: int) -> int | None:
        got = part(seq, j)
        if got is not None:
            return got
        item = item_at(seq, j)
        if isinstance(item, Loop) and item.min == 0 and whole(part, item.body):
            return j + 1
        return j

    return rule


def many(part: Rule) -> Rule:
    """Any number of ``part`` written out, or as a repeated group ``(?:part)*``."""

    def rule(seq: Seq, j: int) -> int | None:
        while True:
            got = part(seq, j)
            if got is None or got <= j:
                item = item_at(seq, j)
                if isinstance(item, Loop) and whole(part, item.body):
                    j += 1
                    continue
                return j
            j = got

    return rule


def alt(*parts: Rule) -> Rule:
    def rule(seq: Seq, j: int) -> int | None:
        ends = [e for e in (p(seq, j) for p in parts) if e is not None]
        return max(ends) if ends else None

    return rule


def run_of(ok: Pred, marks: bool = False, opaque: bool = False) -> Callable[[Seq, int], int]:
    """How far items whose every slot passes ``ok`` go from ``j`` (structures included;
    with ``opaque``, structures may hold unmodelled parts, such as a non-ASCII letter).

    A run longer than ``RUN_CAP`` items is no idiom's: the scan tries the rules at every
    position, so an unbounded walk is quadratic in the pattern (800 copies of ``(a|b)c*``
    took 2 s in ``rxp explain``, 1,600 copies 32 s). Such a run counts as no run at all."""

    def rule(seq: Seq, j: int) -> int:
        start, stop = j, min(len(seq), j + RUN_CAP + 1)
        while j < stop:
            item = seq[j]
            if isinstance(item, Mark):
                if not marks:
                    break
            elif isinstance(item, Slot):
                if not ok(item):
                    break
            else:
                leaves = leaf_slots((item,), skip_opaque=opaque)
                if not leaves or not all(ok(s) for s in leaves):
                    break
            j += 1
        if j - start > RUN_CAP:
            return start
        while marks and j > 0 and isinstance(seq[j - 1], Mark):
            j -= 1
        return j

    return rule


def slots_in(seq: Seq, i: int, end: int) -> list[Slot]:
    return leaf_slots(seq[i:end]) or []


def single(ch: str) -> Pred:
    return lambda s: s.chars == bits(ch) and s.max == 1


def no_space(s: Slot) -> bool:
    return s.chars & SPACE == 0


def single_any(s: Slot) -> bool:
    """One character of (almost) any kind: ``.``."""
    return s.max == 1 and bin(s.chars).count("1") > 64
