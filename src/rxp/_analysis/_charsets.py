"""What a one-character construct matches, as far as the lints can be sure of it.

A set is explicit code-point ranges plus symbolic escapes (``\\d \\w \\s`` and their
negations, in the engine's Unicode meaning), or else opaque: a property, a POSIX class, a V1
set operation, a negated mix, known only by its text (two opaque sets are the same when
their texts are). Under the ASCII flag the escapes are explicit ranges.

Every answer is conservative: ``covers`` and ``disjoint`` say True only when it is certain,
so a fix built on them never changes what a pattern matches. Case-insensitive matching only
widens each member of a set by its case variants, so a set covered without case folding is
still covered with it; ``disjoint`` is not asked under IGNORECASE.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .._syntax._ast import (
    Class,
    ClassEscape,
    ClassRange,
    ClassSetOp,
    Dot,
    Flavor,
    Literal,
    Node,
    PosixClass,
    Property,
)
from .._syntax._record import value
from .._syntax._unparse import unparse

__all__ = ["MAX_CHAR", "CharSet", "Chars"]

MAX_CHAR = 0x10FFFF
_SCAN_LIMIT = 4096  # the most characters tested one by one against an escape

Ranges = tuple[tuple[int, int], ...]

_ASCII: dict[str, Ranges] = {
    "d": ((0x30, 0x39),),
    "w": ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
    "s": ((0x09, 0x0D), (0x20, 0x20)),
}
_COMPLEMENT = {"d": "D", "w": "W", "s": "S", "D": "d", "W": "w", "S": "s"}
# Which escapes contain which (the same in both engines: digits are word characters, white
# space is neither, so every negation contains the escapes it excludes nothing of).
_WITHIN = {
    "d": frozenset("dwS"),
    "w": frozenset("wS"),
    "s": frozenset("sWD"),
    "D": frozenset("D"),
    "W": frozenset("WD"),
    "S": frozenset("S"),
}


@value
class CharSet:
    """Characters: the union of ``ranges`` (sorted, disjoint, inclusive code points) and
    the escapes in ``classes``; or, when ``opaque`` is set, something not modelled whose
    text is ``opaque`` (then both are empty)."""

    ranges: Ranges = ()
    classes: frozenset[str] = frozenset()
    opaque: str | None = None

    def size(self) -> int | None:
        """How many characters, when the set is explicit ranges only."""
        if self.classes or self.opaque is not None:
            return None
        return sum(hi - lo + 1 for lo, hi in self.ranges)


def merge(ranges: Iterable[tuple[int, int]]) -> Ranges:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def _complement(ranges: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    at = 0
    for lo, hi in ranges:
        if lo > at:
            out.append((at, lo - 1))
        at = hi + 1
    if at <= MAX_CHAR:
        out.append((at, MAX_CHAR))
    return tuple(out)


def _subtract(ranges: Ranges, minus: Ranges) -> Ranges:
    return _intersect(ranges, _complement(minus))


def _intersect(a: Ranges, b: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def union(sets: Sequence[CharSet]) -> CharSet:
    """The union of explicit or symbolic sets; opaque if any part is."""
    for s in sets:
        if s.opaque is not None:
            return CharSet(opaque="|".join(x.opaque or "" for x in sets))
    classes = frozenset().union(*(s.classes for s in sets))
    return CharSet(merge(r for s in sets for r in s.ranges), classes)


class Chars:
    """The character sets of one pattern's leaves, for its flavour."""

    def __init__(self, flavor: Flavor, *, opaque: bool = False) -> None:
        self.flavor = flavor
        self.opaque = opaque  # every set known by its text alone (full case folding)

    # --- membership ----------------------------------------------------------------------

    def member(self, ch: str, letter: str) -> bool | None:
        """Whether escape ``\\letter`` (Unicode meaning) matches ``ch``; None if unknown."""
        base = letter.lower()
        if self.flavor == "re":
            found = (
                ch.isdecimal()
                if base == "d"
                else (ch.isalnum() or ch == "_")
                if base == "w"
                else ch.isspace()
            )
        elif ord(ch) < 128:  # regex: its ASCII part is the ASCII-flag set
            found = any(lo <= ord(ch) <= hi for lo, hi in _ASCII[base])
        else:
            return None
        return found if letter == base else not found

    def _all(self, ranges: Ranges, letter: str, want: bool) -> bool:
        """Every character of ``ranges`` is (``want``) or is not in ``\\letter``."""
        if sum(hi - lo + 1 for lo, hi in ranges) > _SCAN_LIMIT:
            return False
        return all(
            self.member(chr(c), letter) is want for lo, hi in ranges for c in range(lo, hi + 1)
        )

    # --- questions -----------------------------------------------------------------------

    def covers(self, parts: Sequence[CharSet], small: CharSet) -> bool:
        """Certainly every character of ``small`` is in one of ``parts``."""
        if small.opaque is not None:
            return any(p.opaque == small.opaque for p in parts)
        whole = union([p for p in parts if p.opaque is None])
        classes = whole.classes
        if any(_COMPLEMENT[c] in classes for c in classes) or whole.ranges == ((0, MAX_CHAR),):
            return True
        if not all(_WITHIN[c] & classes for c in small.classes):
            return False
        rest = _subtract(small.ranges, whole.ranges)
        if not rest:
            return True
        if sum(hi - lo + 1 for lo, hi in rest) > _SCAN_LIMIT:
            return False
        return all(
            any(self.member(chr(c), k) for k in classes)
            for lo, hi in rest
            for c in range(lo, hi + 1)
        )

    def disjoint(self, a: CharSet, b: CharSet) -> bool:
        """Certainly no character is in both ``a`` and ``b``."""
        if a.opaque is not None or b.opaque is not None:
            return False
        if _intersect(a.ranges, b.ranges):
            return False
        if not all(_COMPLEMENT[y] in _WITHIN[x] for x in a.classes for y in b.classes):
            return False
        return all(self._all(a.ranges, k, False) for k in b.classes) and all(
            self._all(b.ranges, k, False) for k in a.classes
        )

    def all_word(self, s: CharSet) -> bool:
        """Every character of ``s`` is a word character."""
        return self.covers([CharSet(classes=frozenset("w"))], s)

    def no_word(self, s: CharSet) -> bool:
        """No character of ``s`` is a word character."""
        return self.covers([CharSet(classes=frozenset("W"))], s)

    # --- the sets of nodes ---------------------------------------------------------------

    def escape(self, letter: str, flags: str) -> CharSet:
        if letter.lower() not in _ASCII:
            return CharSet(opaque="\\" + letter)
        if "L" in flags:
            return CharSet(opaque="\\" + letter)  # locale-dependent: bytes patterns only
        if "a" in flags:
            ranges = _ASCII[letter.lower()]
            return CharSet(ranges if letter.islower() else _complement(ranges))
        return CharSet(classes=frozenset(letter))

    def of(self, node: Node, flags: str) -> CharSet | None:
        """The characters a one-character construct matches (a literal, ``.``, an escape,
        a set, a range inside a set), or None when ``node`` is not one."""
        found = self._of(node, flags)
        if found is not None and self.opaque and found.opaque is None:
            return CharSet(opaque=unparse(node))
        return found

    def _of(self, node: Node, flags: str) -> CharSet | None:
        match node:
            case Literal(char=ch):
                return CharSet(((ord(ch), ord(ch)),))
            case ClassRange(start=lo, end=hi):
                return CharSet(((ord(lo.char), ord(hi.char)),))
            case ClassEscape(letter=letter):
                return self.escape(letter, flags)
            case Dot():
                if self.flavor == "regex" and "w" in flags:
                    return CharSet(opaque=".")  # WORD: any line separator ends a line
                if "s" in flags:
                    return CharSet(((0, MAX_CHAR),))
                return CharSet(((0, 9), (11, MAX_CHAR)))
            case Property() | PosixClass() | ClassSetOp():
                return CharSet(opaque=unparse(node))
            case Class(negated=negated, items=items):
                parts = [self._of(item, flags) for item in items]
                known = [p for p in parts if p is not None]
                whole = union(known)
                if not negated:
                    return whole
                if whole.opaque is None and not whole.classes:
                    return CharSet(_complement(whole.ranges))
                if whole.opaque is None and not whole.ranges and len(whole.classes) == 1:
                    return CharSet(classes=frozenset(_COMPLEMENT[c] for c in whole.classes))
                return CharSet(opaque=unparse(node))
            case _:
                return None
