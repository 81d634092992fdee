"""Slots (``_analysis._slots``) in words and in shape notation, for the intent summary
(``_intent``): ``\\d{3}`` is "3 digits" and ``DDD``, ``[^ ]+`` before a space is "anything up
to a space", ``[a-z]+`` is "a word of lowercase letters" and ``a…``.

Shape notation: ``D`` a digit, ``X`` a hex digit, ``A`` an uppercase letter, ``a`` a letter
(lowercase or either case), ``w`` a letter or digit (or word character), literal characters
other than letters and digits as themselves; ``DDD`` is exactly three, ``D[DD]`` one to
three, ``D…`` one or more and ``[D…]`` any number. Other sets (whitespace, ``.``) have none.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._analysis._ascii_sets import (
    ALL,
    DIGITS,
    HEX,
    LETTERS,
    LOWER,
    SPACE,
    UPPER,
    WORD,
    bits,
    members,
)
from .._analysis._slots import Item, Slot
from ._words import code as _code
from ._words import escaped

__all__ = [
    "CHAR_NAMES",
    "SHAPE_MAX",
    "char_words",
    "join",
    "listed",
    "literal_words",
    "shape",
    "slot_shape",
    "slot_words",
]

SHAPE_MAX = 24  # a longer shape is not shown

CHAR_NAMES = {
    "-": "a hyphen",
    ".": "a dot",
    ":": "a colon",
    ",": "a comma",
    ";": "a semicolon",
    "/": "a slash",
    " ": "a space",
    "\t": "a tab",
    "_": "an underscore",
    "\n": "a newline",
}

# set -> (one, many, shape letter); the first that equals the set wins
_SETS: tuple[tuple[int, str, str, str], ...] = (
    (DIGITS, "a digit", "digits", "D"),
    (HEX, "a hex digit", "hex digits", "X"),
    (DIGITS | bits("abcdef"), "a hex digit", "hex digits", "X"),
    (DIGITS | bits("ABCDEF"), "a hex digit", "hex digits", "X"),
    (LETTERS, "a letter", "letters", "a"),
    (LOWER, "a lowercase letter", "lowercase letters", "a"),
    (UPPER, "an uppercase letter", "uppercase letters", "A"),
    (LETTERS | DIGITS, "a letter or digit", "letters or digits", "w"),
    (UPPER | DIGITS, "an uppercase letter or digit", "uppercase letters or digits", "w"),
    (LOWER | DIGITS, "a lowercase letter or digit", "lowercase letters or digits", "w"),
    (WORD, "a word character", "word characters", "w"),
    (SPACE, "a whitespace character", "whitespace", ""),
    (bits(" \t"), "a space or tab", "spaces or tabs", ""),
    (ALL, "any character", "characters", ""),
    (ALL & ~bits("\n"), "any character", "characters", ""),
)


def code(text: str) -> str:
    """``text`` as inline code, invisible characters escaped (a newline reads `\\n`): a
    summary is one line."""
    return _code(escaped(text))


def literal_words(text: str) -> str:
    """Literal text: "a hyphen" for a named character (spaces around it aside), "2 spaces",
    or the text quoted, invisible characters escaped."""
    shown = text.strip(" ")
    if text in CHAR_NAMES:
        return CHAR_NAMES[text]
    if not shown:
        return f"{len(text)} spaces"
    if shown in CHAR_NAMES:
        return CHAR_NAMES[shown]
    return code(shown)


def _named(chars: int) -> tuple[str, str, str] | None:
    for known, one, many, letter in _SETS:
        if chars == known:
            return one, many, letter
    return None


def _excluded(chars: int) -> str | None:
    """The characters a broad negated set leaves out, when they are few."""
    left = members(ALL & ~chars)
    return left if 0 < len(left) <= 6 else None


def char_words(ch: str) -> str:
    """One character: its name ("a hyphen"), or quoted, an invisible one escaped (`\\n`)."""
    if ch in CHAR_NAMES:
        return CHAR_NAMES[ch]
    return code(ch)


def slot_words(s: Slot, nxt: Item | None) -> str:
    """A slot in words; ``nxt``, the item after it, lets a broad run read "anything up to
    a space"."""
    if s.text is not None:
        return literal_words(s.text)
    lo, hi = s.min, s.max
    named = _named(s.chars)
    left = _excluded(s.chars) if s.chars != ALL & ~bits("\n") else None  # "." is "anything"
    if left is not None or s.chars in (ALL, ALL & ~bits("\n")):
        return _broad_words(s, left, nxt)
    if named is None:
        few = members(s.chars)
        if len(few) == 1:  # a+, =?, ` {2,}`
            return _counted(char_words(few), "spaces" if few == " " else code(few), lo, hi)
        if len(few) <= 3:
            return _counted(join([char_words(c) for c in few], "or"), None, lo, hi)
        return _counted("a character from a set", "characters from a set", lo, hi)
    one, many, _ = named
    special = {
        LETTERS: "a word of letters",
        LOWER: "a word of lowercase letters",
        UPPER: "a word of uppercase letters",
        WORD: "a word",
        LETTERS | DIGITS: "a word",
        DIGITS: "a number",
        SPACE: "whitespace",
    }.get(s.chars)
    if hi is None and lo <= 1 and special is not None:
        return f"optional {special}" if lo == 0 and s.chars == SPACE else special
    return _counted(one, many, lo, hi)


def _broad_words(s: Slot, left: str | None, nxt: Item | None) -> str:
    """Any character (``.``), or all but a few (``[^"]``, ``\\S``)."""
    lo, hi = s.min, s.max
    follow = nxt.text[0] if isinstance(nxt, Slot) and nxt.text else None
    if hi is None and follow is not None and (left is None or follow in left):
        return f"anything up to {char_words(follow)}"
    if left is None:
        if hi is None:
            return "anything" if lo == 0 else "something"
        return _counted("any character", "characters", lo, hi)
    if set(left) == set(" \t\n\r\f\v"):
        if hi is None and lo <= 1:
            return "a run of non-space characters"
        return _counted("a non-space character", "non-space characters", lo, hi)
    but = join([char_words(c) for c in left], "or")
    return f"a character but {but}" if lo == hi == 1 else f"anything but {but}"


def _counted(one: str, many: str | None, lo: int, hi: int | None) -> str:
    plural = many or f"characters among {one}"
    if lo == hi:
        return one if lo == 1 else f"{lo} {plural}"
    if (lo, hi) == (0, 1):
        return f"optionally {one}"
    if hi is None:
        return {0: f"any number of {plural}", 1: f"one or more {plural}"}.get(
            lo, f"at least {lo} {plural}"
        )
    return f"{lo} to {hi} {plural}" if lo else f"up to {hi} {plural}"


def slot_shape(s: Slot) -> str | None:
    if s.text is not None:
        if any(c.isalnum() or c == "`" for c in s.text):
            return None
        return s.text
    named = _named(s.chars)
    letter = named[2] if named is not None else ""
    if not letter:
        return None
    lo, hi = s.min, s.max
    if hi is None:
        return letter * lo + "…" if lo >= 1 else f"[{letter}…]"
    if hi > 8:
        return None
    return letter * lo + (f"[{letter * (hi - lo)}]" if hi > lo else "")


def shape(items: Sequence[Item]) -> str | None:
    out = ""
    for item in items:
        if not isinstance(item, Slot):
            return None
        piece = slot_shape(item)
        if piece is None:
            return None
        out += piece
    return out if 0 < len(out) <= SHAPE_MAX else None


def join(items: list[str], word: str) -> str:
    if not word:
        return ", ".join(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def listed(items: list[str]) -> str:
    """ "A, B, then C"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])}, then {items[-1]}"
