"""A pattern in the syntax automaton engines read, with ``rxp stream``'s per-line semantics
baked in (a pure fold over the AST).

Lines are bytes and never contain ``\\n``; the pattern is compiled as a bytes pattern, so
``\\d \\w \\s \\b`` and ``-i`` are ASCII-only (``LC_ALL=C grep``). Printing from the AST,
not splicing the text, makes every difference between Python's syntax and PCRE's (the
dialect of Hyperscan and RE2) disappear: each set becomes an explicit list of byte ranges
(``[[:alpha:]]`` is a set of ``[ : a l p h`` in Python, a POSIX class in PCRE), the flags in
effect at each node are applied where they act (``-i`` as case pairs, ``(?s)`` on ``.``),
verbose whitespace and comments vanish, ``{,n}`` gets its 0, and a non-ASCII character
becomes its UTF-8 bytes. ``\\B`` is left to ``re`` (in Python before 3.14 it does not match
an empty string; in PCRE it does). Because a line holds no ``\\n``, ``\\n`` is taken out of
every set and ``\\A``/``\\Z``/``^``/``$`` all become ``^``/``$`` (compile with MULTILINE), so
running the result over a block of lines finds exactly the lines the pattern matches.

``automaton_pattern(p)`` returns the bytes, or None with no translation: the pattern needs
backtracking (``rxp._analysis._linear``), is of the regex flavour, uses the LOCALE flag, or
holds a literal newline (which can never match inside a line).
"""

from __future__ import annotations

from typing import assert_never

from .._analysis._linear import backtracking_obstacle
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
from .._syntax._flags import NodeFlags, flags_at
from ._lower import utf8

__all__ = ["automaton_pattern", "byte_set", "known_byte_set"]

_ALL = frozenset(range(256))
_NL = ord("\n")
_DIGITS = frozenset(range(ord("0"), ord("9") + 1))
_UPPER = frozenset(range(ord("A"), ord("Z") + 1))
_LOWER = frozenset(range(ord("a"), ord("z") + 1))
_WORD = _DIGITS | _UPPER | _LOWER | {ord("_")}
_SPACE = frozenset(b" \t\n\r\f\v")
_ESCAPES = {"d": _DIGITS, "w": _WORD, "s": _SPACE}


class _Untranslatable(Exception):
    pass


def _fold_case(members: frozenset[int]) -> frozenset[int]:
    swapped = {m ^ 0x20 for m in members if m in _UPPER or m in _LOWER}
    return members | swapped


def _escape_set(letter: str) -> frozenset[int]:
    base = _ESCAPES.get(letter.lower())
    if base is None:
        raise _Untranslatable
    return _ALL - base if letter.isupper() else base


def _char_byte(node: Literal) -> int:
    data = utf8(node.char)
    if len(data) != 1:
        raise _Untranslatable  # a multi-byte character inside a set (stream rejects these)
    return data[0]


def _item_set(item: ClassItem, fold: bool) -> frozenset[int]:
    match item:
        case Literal():
            members = frozenset({_char_byte(item)})
        case ClassRange(start=start, end=end):
            members = frozenset(range(_char_byte(start), _char_byte(end) + 1))
        case ClassEscape(letter=letter):
            return _escape_set(letter)
        case Class():
            return byte_set(item, fold)
        case Property() | PosixClass() | ClassSetOp():
            raise _Untranslatable
        case _:
            assert_never(item)
    return _fold_case(members) if fold else members


def byte_set(node: Class, fold: bool) -> frozenset[int]:
    """The bytes a set matches (``fold``: ASCII case-insensitively), ``\\n`` included."""
    members: frozenset[int] = frozenset()
    for item in node.items:
        members |= _item_set(item, fold)
    return _ALL - members if node.negated else members


def known_byte_set(node: Class) -> frozenset[int] | None:
    """``byte_set(node, fold=False)``, or None when a member's bytes are not known (a
    property, a POSIX class, a set operation)."""
    try:
        return byte_set(node, False)
    except _Untranslatable:
        return None


def _byte(b: int) -> str:
    """One byte as PCRE reads it, in a set or out: letters and digits as themselves."""
    return chr(b) if chr(b).isascii() and chr(b).isalnum() else f"\\x{b:02x}"


def _print_set(members: frozenset[int]) -> str:
    members = members - {_NL}
    if not members:
        raise _Untranslatable
    if len(members) == 1:
        return _byte(next(iter(members)))
    runs: list[str] = []
    ordered = sorted(members)
    start = prev = ordered[0]
    for m in [*ordered[1:], -1]:
        if m == prev + 1:
            prev = m
            continue
        runs.append(_byte(start) if start == prev else f"{_byte(start)}-{_byte(prev)}")
        start = prev = m
    return "[" + "".join(runs) + "]"


_SHORT = {(0, 1): "?", (0, None): "*", (1, None): "+"}


def _atom(text: str) -> bool:
    """Whether a quantifier can follow ``text`` without a group around it."""
    if len(text) == 1 or (len(text) == 4 and text.startswith("\\x")):
        return True
    return text.startswith("[") and text.endswith("]") and text.count("[") == 1


class _Printer:
    def __init__(self, p: Pattern, captures: bool) -> None:
        self.flags: NodeFlags = flags_at(p)
        self.captures = captures

    def fold(self, node: Node) -> bool:
        return "i" in self.flags.get(node, "")

    def group(self, node: Node) -> str:
        return "(?:" + self.print(node) + ")"

    def print(self, node: Node) -> str:
        match node:
            case Literal(char="\n"):
                raise _Untranslatable
            case Literal():
                data = utf8(node.char)
                if len(data) > 1:
                    return "(?:" + "".join(_byte(b) for b in data) + ")"
                members = frozenset(data)
                return _print_set(_fold_case(members) if self.fold(node) else members)
            case Dot():
                return "[^\\n]"
            case Class():
                return _print_set(byte_set(node, self.fold(node)))
            case ClassEscape(letter=letter):
                return _print_set(_escape_set(letter))
            case Anchor(kind=kind):
                return {
                    "line_start": "^",
                    "text_start": "^",
                    "line_end": "$",
                    "text_end": "$",
                    "word_boundary": "\\b",
                }.get(kind) or self.fail()  # \B: Python's never matches an empty line
            case Repeat(item=item, min=lo, max=hi, greed=greed):
                if hi == 0:
                    return ""
                lazy = "?" if greed == "lazy" and self.captures else ""
                bound = _SHORT.get((lo, hi)) or (f"{{{lo},}}" if hi is None else f"{{{lo},{hi}}}")
                inner = self.print(item)
                return (inner if _atom(inner) else f"(?:{inner})") + bound + lazy
            case Concat(items=items):
                return "".join(self.print(i) for i in items)
            case Alternation(branches=branches):
                return "(?:" + "|".join(self.print(b) for b in branches) + ")"
            case Capture(body=body):
                inner = self.print(body)
                return ("(" if self.captures else "(?:") + inner + ")"
            case NonCapture(body=body):
                return self.group(body)
            case Empty() | Comment() | Trivia() | InlineFlags():
                return ""
            case Pattern(body=body):
                return self.print(body)
            case (
                Property()
                | PosixClass()
                | ClassRange()
                | ClassSetOp()
                | Backref()
                | Recursion()
                | Verb()
                | NamedList()
                | Fuzzy()
                | Lookaround()
                | Atomic()
                | BranchReset()
                | Conditional()
            ):
                return self.fail()
            case _:
                assert_never(node)

    def fail(self) -> str:
        raise _Untranslatable


def automaton_pattern(p: Pattern, *, captures: bool = False) -> bytes | None:
    """``p`` in PCRE syntax with per-line semantics (see the module docstring), ASCII only,
    or None when it cannot be translated. ``captures`` keeps capturing groups (numbered as
    in ``p``) and lazy quantifiers, for an engine that reports spans."""
    if p.flavor != "re" or "L" in p.flags or backtracking_obstacle(p) is not None:
        return None
    if "L" in flags_at(p).get(p, ""):
        return None
    try:
        text = _Printer(p, captures).print(p)
    except _Untranslatable:
        return None
    return text.encode("ascii")
