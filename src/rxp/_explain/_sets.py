"""Character sets read aloud: ``[0-9]`` "a digit (0-9)", ``[^"\\]`` "any character except
`"` or `\\`", ``[[:alpha:]--[aeiou]]`` "a character among letters except `a` ...".

Part of the explain fold (``_sentences`` calls ``class_noun``); pure functions.
A set's member list is short ("word characters, `.` or `-`") because each member also gets a
row of its own under the set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, assert_never

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
from ._words import (
    Noun,
    char_name,
    char_noun,
    class_escape_noun,
    code,
    posix_noun,
    property_noun,
)

if TYPE_CHECKING:
    from ._sentences import Ctx

__all__ = ["class_noun", "join", "range_text", "setop_words"]


_NAMED_SETS: dict[frozenset[str], Noun] = {
    frozenset({"0-9"}): Noun("a digit (0-9)", "digits (0-9)"),
    frozenset({"a-z"}): Noun("a lowercase letter (a-z)", "lowercase letters (a-z)"),
    frozenset({"A-Z"}): Noun("an uppercase letter (A-Z)", "uppercase letters (A-Z)"),
    frozenset({"a-z", "A-Z"}): Noun("a letter (a-z, A-Z)", "letters (a-z, A-Z)"),
    frozenset({"a-z", "A-Z", "0-9"}): Noun(
        "a letter or digit (a-z, A-Z, 0-9)", "letters or digits (a-z, A-Z, 0-9)"
    ),
    frozenset({"0-9", "a-f"}): Noun(
        "a lowercase hex digit (0-9, a-f)", "lowercase hex digits (0-9, a-f)"
    ),
    frozenset({"0-9", "A-F"}): Noun(
        "an uppercase hex digit (0-9, A-F)", "uppercase hex digits (0-9, A-F)"
    ),
    frozenset({"0-9", "a-f", "A-F"}): Noun(
        "a hex digit (0-9, a-f, A-F)", "hex digits (0-9, a-f, A-F)"
    ),
    frozenset({"a-z", "A-Z", "0-9", "_"}): Noun(
        "a word character (a-z, A-Z, 0-9 or _)", "word characters (a-z, A-Z, 0-9 or _)"
    ),
}


def range_text(item: ClassRange) -> str:
    a, b = item.start.char, item.end.char
    if all(c.isascii() and c.isprintable() and c != " " for c in a + b):
        return f"{a}-{b}"
    return f"{_short(a)} to {_short(b)}"


def _short(ch: str) -> str:
    """A range end: the character itself where visible, and its code point unless ASCII."""
    point = f"U+{ord(ch):04X}"
    if ch.isprintable() and not ch.isspace():
        return ch if ch.isascii() else f"{ch} ({point})"
    return point


_SHORT_ESCAPES = {
    "d": "digits",
    "D": "non-digits",
    "w": "word characters",
    "W": "non-word characters",
    "s": "whitespace",
    "S": "non-whitespace",
}


def _item_words(item: ClassItem, ctx: Ctx) -> str:
    """A set member as a short list entry ("a-z", "`_`", "digits"): the member's own row
    below the set says the rest."""
    match item:
        case Literal(char=ch):
            return code(ch) if ch.isprintable() and not ch.isspace() else char_name(ch)
        case ClassRange():
            return range_text(item)
        case ClassEscape(letter=letter):
            if letter in _SHORT_ESCAPES:
                return _SHORT_ESCAPES[letter]
            found = class_escape_noun(letter, ascii_only=ctx.ascii_only)
            return found.many or found.one
        case Property(name=name, value=value, negated=negated):
            found = property_noun(name, value, negated=negated)
            return found.many or found.one
        case PosixClass(name=name, negated=negated):
            found = posix_noun(name, negated=negated)
            return found.many or found.one
        case Class(items=members, negated=negated):
            listed = join(tuple(_item_words(i, ctx) for i in members), "or")
            return f"anything but {listed}" if negated else listed
        case ClassSetOp():
            return f"({setop_words(item, ctx)})"
        case _:
            assert_never(item)


_SETOP_WORDS = {
    "--": "{left} except {right}",
    "&&": "{left} that are also {right}",
    "||": "{left} or {right}",
    "~~": "either {left} or {right} but not both",
}


def setop_words(item: ClassSetOp, ctx: Ctx) -> str:
    """A set operation as a plural phrase: "letters (POSIX alpha) except `a` or `e`"."""
    left = join(tuple(_item_words(i, ctx) for i in item.left), "or")
    right = join(tuple(_item_words(i, ctx) for i in item.right), "or")
    only = item.right[0] if len(item.right) == 1 else None
    if item.op == "&&" and isinstance(only, Class) and only.negated:
        listed = join(tuple(_item_words(i, ctx) for i in only.items), "or")
        return f"{left} that are not {listed}"
    return _SETOP_WORDS[item.op].format(left=left, right=right)


def join(parts: tuple[str, ...], word: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def class_noun(node: Class, ctx: Ctx) -> Noun:
    """A set as a noun, with a plural for quantifiers."""
    items = node.items
    case = " (ignoring case)" if ctx.ignore_case and _has_cased(items) else ""
    keys = frozenset(
        range_text(i) if isinstance(i, ClassRange) else (i.char if isinstance(i, Literal) else "")
        for i in items
    )
    if len(items) == 1 and isinstance(items[0], ClassSetOp):
        words = setop_words(items[0], ctx)
        if node.negated:
            return Noun(f"a character that is not among {words}", f"characters not among {words}")
        return Noun(f"a character among {words}", f"characters among {words}")
    if node.negated and _letters_idiom(items):
        if ctx.ascii_only:
            return Noun("a letter (a-z, A-Z)", "letters (a-z, A-Z)")
        return Noun(
            "a letter (any Unicode letter: a word character but not a digit or _)",
            "letters (Unicode letters: word characters but not digits or _)",
        )
    if not node.negated and "" not in keys and keys in _NAMED_SETS and len(keys) == len(items):
        found = _NAMED_SETS[keys]
        return Noun(found.one + case, (found.many or found.one) + case)
    if len(items) == 1 and not node.negated:
        only = items[0]
        if isinstance(only, Literal):
            return char_noun(only.char, ignore_case=ctx.ignore_case)
        if isinstance(only, ClassEscape):
            return class_escape_noun(only.letter, ascii_only=ctx.ascii_only)
        if isinstance(only, Property):
            return property_noun(only.name, only.value, negated=only.negated)
        if isinstance(only, PosixClass):
            return posix_noun(only.name, negated=only.negated)
    listed = join(tuple(_item_words(i, ctx) for i in items), "or")
    if not items:
        return Noun("nothing (an empty set never matches)")
    if node.negated:
        return Noun(f"any character except {listed}{case}", f"characters other than {listed}{case}")
    return Noun(f"a character from {listed}{case}", f"characters from {listed}{case}")


def _has_cased(items: tuple[ClassItem, ...]) -> bool:
    """Whether case-insensitive matching can change what the set matches."""
    for item in items:
        if isinstance(item, Literal) and item.char.lower() != item.char.upper():
            return True
        if isinstance(item, ClassRange):
            lo, hi = ord(item.start.char), ord(item.end.char)
            if any(chr(c).lower() != chr(c).upper() for c in range(lo, min(hi, lo + 512) + 1)):
                return True
        if isinstance(item, Class | ClassSetOp):
            return True
    return False


def _letters_idiom(items: tuple[ClassItem, ...]) -> bool:
    """``[^\\W\\d_]``: not a non-word character, not a digit, not ``_``: a letter."""
    words = {
        i.letter if isinstance(i, ClassEscape) else (i.char if isinstance(i, Literal) else "?")
        for i in items
    }
    return len(items) == 3 and words == {"W", "d", "_"}
