"""Sets of ASCII characters as 128-bit masks: what a leaf of the AST matches, for the
lowering to slots (``_slots``). ``\\d`` and ``[0-9]`` give the same set; under IGNORECASE a
letter brings its other case. Characters beyond ASCII are left out: the idioms are ASCII
shapes. A set that cannot be read (a script property, an unknown escape) is None.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import assert_never

from .._syntax._ast import (
    Class,
    ClassEscape,
    ClassItem,
    ClassRange,
    ClassSetOp,
    Literal,
    PosixClass,
    Property,
)

__all__ = [
    "ALL",
    "DIGITS",
    "HEX",
    "HEX_LOWER",
    "HEX_UPPER",
    "LETTERS",
    "LOWER",
    "NEWLINE",
    "SPACE",
    "UPPER",
    "WORD",
    "bits",
    "class_chars",
    "members",
    "span_bits",
    "swap_case",
]


@lru_cache(maxsize=512)
def bits(chars: str) -> int:
    """The set of the ASCII characters in ``chars``."""
    out = 0
    for ch in chars:
        if ord(ch) < 128:
            out |= 1 << ord(ch)
    return out


def span_bits(lo: str, hi: str) -> int:
    a, b = ord(lo), min(ord(hi), 127)
    return ((1 << (b + 1)) - (1 << a)) if a <= b else 0


def members(chars: int) -> str:
    """The characters of a set, in code-point order."""
    return "".join(chr(i) for i in range(128) if chars >> i & 1)


ALL = (1 << 128) - 1
DIGITS = span_bits("0", "9")
LOWER = span_bits("a", "z")
UPPER = span_bits("A", "Z")
LETTERS = LOWER | UPPER
HEX_LOWER = span_bits("a", "f")
HEX_UPPER = span_bits("A", "F")
HEX = DIGITS | HEX_LOWER | HEX_UPPER
WORD = LETTERS | DIGITS | bits("_")
SPACE = bits(" \t\n\r\f\v")
NEWLINE = bits("\n")

_POSIX = {
    "alpha": LETTERS,
    "digit": DIGITS,
    "alnum": LETTERS | DIGITS,
    "upper": UPPER,
    "lower": LOWER,
    "space": SPACE,
    "blank": bits(" \t"),
    "xdigit": HEX,
    "word": WORD,
    "punct": bits("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "cntrl": span_bits("\x00", "\x1f") | bits("\x7f"),
    "graph": span_bits("!", "~"),
    "print": span_bits(" ", "~"),
    "ascii": ALL,
}
_PROPERTY_ALIASES = {
    "alpha": "alpha",
    "alphabetic": "alpha",
    "digit": "digit",
    "alnum": "alnum",
    "upper": "upper",
    "uppercase": "upper",
    "lower": "lower",
    "lowercase": "lower",
    "space": "space",
    "whitespace": "space",
    "white_space": "space",
    "xdigit": "xdigit",
    "word": "word",
    "punct": "punct",
}


def swap_case(chars: int) -> int:
    return chars | ((chars & LOWER) >> 32) | ((chars & UPPER) << 32)


def _escape_chars(letter: str) -> int | None:
    base = {"d": DIGITS, "w": WORD, "s": SPACE}.get(letter.lower())
    if base is None:
        return None  # \h, \X and other regex-flavour escapes: not modelled
    return base if letter.islower() else ALL & ~base


def _property_chars(item: Property) -> int | None:
    name = (item.value if item.value is not None else item.name).replace(" ", "")
    key = name.lower().removeprefix("is")
    if key in _PROPERTY_ALIASES:
        found = _POSIX[_PROPERTY_ALIASES[key]]
    elif 1 <= len(name) <= 2 and name[0].isupper() and (item.value is None or len(name) <= 2):
        found = 0
        for code in range(128):
            if unicodedata.category(chr(code)).startswith(name):
                found |= 1 << code
        if not found and name not in ("Lo", "Lt", "Lm", "Mn", "Mc", "Me", "Co", "Cs", "Cn"):
            return None
    else:
        return None
    return ALL & ~found if item.negated else found


def class_chars(item: ClassItem, fold: bool) -> int | None:
    match item:
        case Literal(char=ch):
            return bits(ch) if ord(ch) < 128 else 0
        case ClassRange(start=lo, end=hi):
            return span_bits(lo.char, hi.char) if ord(lo.char) < 128 else 0
        case ClassEscape(letter=letter):
            return _escape_chars(letter)
        case Property():
            return _property_chars(item)
        case PosixClass(name=name, negated=negated):
            found = _POSIX.get(name.lower())
            if found is None:
                return None
            return ALL & ~found if negated else found
        case Class(items=items, negated=negated):
            union = _union(items, fold)
            if union is None:
                return None
            return ALL & ~union if negated else union
        case ClassSetOp(op=op, left=left, right=right):
            a, b = _union(left, fold), _union(right, fold)
            if a is None or b is None:
                return None
            return {"--": a & ~b, "&&": a & b, "||": a | b, "~~": a ^ b}[op]
        case _:
            assert_never(item)


def _union(items: tuple[ClassItem, ...], fold: bool) -> int | None:
    out = 0
    for item in items:
        found = class_chars(item, fold)
        if found is None:
            return None
        out |= found
    return swap_case(out) if fold else out
