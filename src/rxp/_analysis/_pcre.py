"""A pattern in the syntax linear-time engines read (RE2, Hyperscan), with the semantics of
the text it will run on baked in (a pure fold over the AST).

Printing from the AST, not splicing the text, makes every difference between Python's
syntax and PCRE's (the dialect of Hyperscan and RE2) disappear: each set becomes an
explicit list of byte ranges (``[[:alpha:]]`` is a set of ``[ : a l p h`` in Python, a
POSIX class in PCRE), the flags in effect at each node are applied where they act (``-i``
as case pairs, ``(?s)`` on ``.``), verbose whitespace and comments vanish, ``{,n}`` gets
its 0. The result is compiled by RE2 in its LATIN-1 mode: one byte, one character.

Two readings of the same pattern:

- ``lines`` (``rxp stream``): lines are bytes and never contain ``\\n``; the pattern is a
  bytes pattern, so ``\\d \\w \\s \\b`` and ``-i`` are ASCII-only (``LC_ALL=C grep``) and
  a non-ASCII character becomes its UTF-8 bytes. ``\\n`` is taken out of every set and
  ``\\A``/``\\Z``/``^``/``$`` all become ``^``/``$`` (compile with MULTILINE), so running
  the result over a block of lines finds exactly the lines the pattern matches.
- ``text`` (``rxp test``, ``rxp parse --pattern``): a ``str`` pattern run on a subject
  known to be ASCII (``text_applies``), whole: ``^``/``$`` follow the MULTILINE flag where
  they stand, ``.`` the DOTALL flag, ``\\s`` takes ``\\x1c``-``\\x1f`` as ``re`` does for
  ``str`` (unless ASCII), capturing groups keep their numbers. On ASCII text Python's
  Unicode classes and case folding agree with these byte sets, so the answer is ``re``'s;
  a non-ASCII character in the pattern that could still match ASCII text under ``-i``
  (``ſ`` matches ``s``) makes the pattern untranslatable. Python's ``$`` without
  MULTILINE also matches before a final ``\\n``, which RE2 cannot say: such a pattern
  applies only to a subject that does not end with ``\\n``.

In both, ``\\B`` is left to ``re`` (in Python before 3.14 it does not match an empty
string; in PCRE it does), and, in ``text``, so is a capturing group inside a repeat whose
item can match empty (``(a|)+``: RE2 and ``re`` capture different iterations).

``automaton_pattern(p)`` returns the bytes, or None with no translation: the pattern needs
backtracking (``rxp._analysis._linear``), is of the regex flavour, uses the LOCALE flag, or
holds what the reading cannot say (a literal newline in ``lines``, which can never match
inside a line). ``positions(p)`` estimates the automaton's size, which decides whether
compiling it for Hyperscan is worth the time.
"""

from __future__ import annotations

from typing import Literal as L
from typing import NamedTuple, TypeAlias, assert_never

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
    walk,
)
from .._syntax._flags import NodeFlags, flags_at
from .._syntax._width import width
from .._trampoline import Step, run
from ._linear import backtracking_obstacle

__all__ = [
    "Reading",
    "TextForm",
    "automaton_pattern",
    "byte_class",
    "byte_set",
    "known_byte_set",
    "positions",
    "text_form",
]

Reading: TypeAlias = L["lines", "text"]

_ALL = frozenset(range(256))
_NL = ord("\n")
_DIGITS = frozenset(range(ord("0"), ord("9") + 1))
_UPPER = frozenset(range(ord("A"), ord("Z") + 1))
_LOWER = frozenset(range(ord("a"), ord("z") + 1))
_WORD = _DIGITS | _UPPER | _LOWER | {ord("_")}
_SPACE = frozenset(b" \t\n\r\f\v")
_STR_SPACE = _SPACE | frozenset(range(0x1C, 0x20))  # str.isspace() in ASCII: re's \s for str
_ESCAPES = {"d": _DIGITS, "w": _WORD, "s": _SPACE}


class _Untranslatable(Exception):
    pass


def _utf8(char: str) -> bytes:
    """A pattern character's bytes: its UTF-8 encoding, or for a byte that arrived
    undecodable in argv (``surrogateescape``), that byte itself."""
    try:
        return char.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return char.encode("utf-8", "surrogatepass")


def _fold_case(members: frozenset[int]) -> frozenset[int]:
    swapped = {m ^ 0x20 for m in members if m in _UPPER or m in _LOWER}
    return members | swapped


class _Sets:
    """Byte sets of set items, for one reading. In ``text``, a set is read over ASCII only
    (the subject has nothing else), with ``re``'s ``str`` meaning of ``\\s``."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading

    def escape(self, letter: str, ascii_only: bool) -> frozenset[int]:
        base = _ESCAPES.get(letter.lower())
        if base is None:
            raise _Untranslatable
        if base is _SPACE and self.reading == "text" and not ascii_only:
            base = _STR_SPACE
        return _ALL - base if letter.isupper() else base

    def char(self, node: Literal, fold: bool) -> frozenset[int]:
        """The byte a character in a set stands for (nothing, for a non-ASCII character
        that cannot match ASCII text)."""
        if self.reading == "text":
            if node.char.isascii():
                return frozenset({ord(node.char)})
            if fold:
                raise _Untranslatable  # it may fold to an ASCII letter (ſ, K)
            return frozenset()
        data = _utf8(node.char)
        if len(data) != 1:
            raise _Untranslatable  # a multi-byte character inside a set (stream rejects these)
        return frozenset(data)

    def range(self, node: ClassRange, fold: bool) -> frozenset[int]:
        if self.reading == "text":
            low, high = ord(node.start.char), ord(node.end.char)
            if high > 0x7F and fold:
                raise _Untranslatable
            return frozenset(range(low, min(high, 0x7F) + 1))
        return frozenset(
            range(min(self.char(node.start, fold)), max(self.char(node.end, fold)) + 1)
        )

    def item(self, item: ClassItem, fold: bool, ascii_only: bool) -> frozenset[int]:
        match item:
            case Literal():
                members = self.char(item, fold)
            case ClassRange():
                members = self.range(item, fold)
            case ClassEscape(letter=letter):
                return self.escape(letter, ascii_only)
            case Class():
                return self.of(item, fold, ascii_only)
            case Property() | PosixClass() | ClassSetOp():
                raise _Untranslatable
            case _:
                assert_never(item)
        return _fold_case(members) if fold else members

    def of(self, node: Class, fold: bool, ascii_only: bool = True) -> frozenset[int]:
        members: frozenset[int] = frozenset()
        for item in node.items:
            members |= self.item(item, fold, ascii_only)
        return _ALL - members if node.negated else members


def byte_set(node: Class, fold: bool) -> frozenset[int]:
    """The bytes a set matches in a line (``fold``: ASCII case-insensitively), ``\\n``
    included."""
    return _Sets("lines").of(node, fold)


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


def byte_class(members: frozenset[int]) -> str:
    """A non-empty set of bytes as a bracketed class of runs (``[0-9a-f\\x80-\\xff]``),
    which PCRE, RE2 and Python's ``re`` (on bytes or latin-1 text) read alike."""
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


def _print_set(members: frozenset[int]) -> str:
    if not members:
        raise _Untranslatable
    if len(members) == 1:
        return _byte(next(iter(members)))
    return byte_class(members)


_SHORT = {(0, 1): "?", (0, None): "*", (1, None): "+"}
_LINE_ANCHORS = {
    "line_start": "^",
    "text_start": "^",
    "line_end": "$",
    "text_end": "$",
    "word_boundary": "\\b",
}


def _atom(text: str) -> bool:
    """Whether a quantifier can follow ``text`` without a group around it."""
    if len(text) == 1 or (len(text) == 4 and text.startswith("\\x")):
        return True
    return text.startswith("[") and text.endswith("]") and text.count("[") == 1


class _Printer:
    def __init__(self, p: Pattern, reading: Reading, captures: bool, flags: NodeFlags) -> None:
        self.flags = flags
        self.reading = reading
        self.captures = captures or reading == "text"
        self.sets = _Sets(reading)
        self.dollar = False  # a `$` without MULTILINE (text): not before a final "\n"

    def has(self, node: Node, letter: str) -> bool:
        return letter in self.flags.get(node, "")

    def set_text(self, members: frozenset[int]) -> str:
        if self.reading == "lines":
            return _print_set(members - {_NL})
        # nothing in an ASCII subject (a non-ASCII character): a set that never matches
        return _print_set(members) if members else "[^\\x00-\\xff]"

    def anchor(self, node: Anchor) -> str:
        if self.reading == "lines":
            # \B: Python's never matches an empty line
            return _LINE_ANCHORS.get(node.kind) or self.fail()
        multiline = self.has(node, "m")
        match node.kind:
            case "line_start":
                return "(?m:^)" if multiline else "\\A"
            case "line_end":
                if multiline:
                    return "(?m:$)"
                self.dollar = True
                return "\\z"
            case "text_start":
                return "\\A"
            case "text_end":
                return "\\z"
            case "word_boundary":
                return "\\b"
            case _:
                return self.fail()

    def literal(self, node: Literal) -> str:
        char = node.char
        if char.isascii() and char.isalnum() and not (char.isalpha() and self.has(node, "i")):
            return char  # the common case, as _print_set would spell it
        if self.reading == "text":
            return self.set_text(self.folded(node))
        if node.char == "\n":
            raise _Untranslatable
        data = _utf8(node.char)
        if len(data) > 1:
            return "(?:" + "".join(_byte(b) for b in data) + ")"
        return self.set_text(self.folded(node))

    def folded(self, node: Literal) -> frozenset[int]:
        members = self.sets.char(node, self.has(node, "i"))
        return _fold_case(members) if self.has(node, "i") else members

    def repeat(self, node: Repeat, inner: str) -> str:
        lo, hi = node.min, node.max
        if hi == 0:
            return ""
        if self.reading == "text" and (hi is None or hi > 1) and _empty_capture(node):
            raise _Untranslatable
        lazy = "?" if node.greed == "lazy" and self.captures else ""
        bound = _SHORT.get((lo, hi)) or (f"{{{lo},}}" if hi is None else f"{{{lo},{hi}}}")
        return (inner if _atom(inner) else f"(?:{inner})") + bound + lazy

    def print(self, node: Node) -> Step[str]:
        match node:
            case Literal():
                return self.literal(node)
            case Dot():
                if self.reading == "text" and self.has(node, "s"):
                    return "[\\x00-\\xff]"
                return "[^\\n]"
            case Class():
                fold, ascii_only = self.has(node, "i"), self.has(node, "a")
                return self.set_text(self.sets.of(node, fold, ascii_only))
            case ClassEscape(letter=letter):
                return self.set_text(self.sets.escape(letter, self.has(node, "a")))
            case Anchor():
                return self.anchor(node)
            case Repeat(item=item):
                inner: str = yield self.print(item)
                return self.repeat(node, inner)
            case Concat(items=items):
                parts: list[str] = []
                for i in items:
                    parts.append((yield self.print(i)))
                return "".join(parts)
            case Alternation(branches=branches):
                texts: list[str] = []
                for b in branches:
                    texts.append((yield self.print(b)))
                return "(?:" + "|".join(texts) + ")"
            case Capture(body=body):
                body_text: str = yield self.print(body)
                return ("(" if self.captures else "(?:") + body_text + ")"
            case NonCapture(body=body):
                group_text: str = yield self.print(body)
                return "(?:" + group_text + ")"
            case Empty() | Comment() | Trivia() | InlineFlags():
                return ""
            case Pattern(body=body):
                whole: str = yield self.print(body)
                return whole
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


def _empty_capture(node: Repeat) -> bool:
    """Whether a capturing group sits in ``node``'s item and the item can match empty."""
    from .._syntax._width import width

    if not any(isinstance(n, Capture) for n in walk(node.item)):
        return False
    return width(node.item).min == 0


def _translatable(p: Pattern, flags: NodeFlags) -> bool:
    if p.flavor != "re" or "L" in p.flags or backtracking_obstacle(p) is not None:
        return False
    return "L" not in flags.get(p, "")


def automaton_pattern(
    p: Pattern, *, captures: bool = False, flags: NodeFlags | None = None
) -> bytes | None:
    """``p`` in PCRE syntax with per-line semantics (the ``lines`` reading), ASCII only,
    or None when it cannot be translated. ``captures`` keeps capturing groups (numbered as
    in ``p``) and lazy quantifiers, for an engine that reports spans. ``flags`` is
    ``flags_at(p)`` when the caller has it already."""
    table = flags if flags is not None else flags_at(p)
    if not _translatable(p, table) or (captures and nullable_loop(p)):
        return None
    try:
        text = run(_Printer(p, "lines", captures, table).print(p))
    except _Untranslatable:
        return None
    return text.encode("ascii")


class TextForm(NamedTuple):
    """``p`` for RE2 in the ``text`` reading: ``pattern`` (groups numbered as in ``p``),
    and ``dollar``: it holds a ``$`` without MULTILINE, so it does not apply to a subject
    ending with ``\\n``."""

    pattern: bytes
    dollar: bool

    def applies(self, subject: str) -> bool:
        """Whether RE2's answer on ``subject`` is ``re``'s."""
        return subject.isascii() and not (self.dollar and subject.endswith("\n"))


def text_form(p: Pattern) -> TextForm | None:
    """``p`` in the ``text`` reading (see the module docstring), or None."""
    table = flags_at(p)
    if not _translatable(p, table) or nullable_loop(p):
        return None
    printer = _Printer(p, "text", True, table)
    try:
        text = run(printer.print(p))
    except _Untranslatable:
        return None
    return TextForm(text.encode("ascii"), printer.dollar)


def positions(p: Pattern) -> int:
    """The number of character positions in ``p`` with every bounded repeat written out:
    what an automaton compiler such as Hyperscan builds states for (``a{100}`` is 100,
    ``(?:a{100}){100}`` 10,000, ``a+`` 1)."""

    def size(node: Node) -> Step[int]:
        match node:
            case Literal() | Dot() | Class() | ClassEscape():
                return 1
            case Repeat(item=item, min=lo, max=hi):
                inner: int = yield size(item)
                return inner * max(lo, hi or 0, 1)
            case _:
                total = 0
                for child in _children(node):
                    total += yield size(child)
                return total

    return run(size(p))


def nullable_loop(p: Pattern) -> bool:
    """Whether a repeat that may run more than once has a body that can match the empty
    string. Python's engine ends such a loop at an empty iteration and RE2 does not, so
    the two pick different matches though they agree on whether there is one
    (``(?:\\D*|1)*`` on ``:1``: ``re`` gives 0-1, RE2 0-2): RE2 may select lines for such a
    pattern, never give its spans."""
    stack: list[Node] = [p]
    while stack:
        node = stack.pop()
        loops = isinstance(node, Repeat) and (node.max is None or node.max > 1)
        if loops and width(node.item, p).min == 0:  # type: ignore[union-attr]
            return True
        stack.extend(_children(node))
    return False


def _children(node: Node) -> tuple[Node, ...]:
    from .._syntax._ast import children

    return children(node)
