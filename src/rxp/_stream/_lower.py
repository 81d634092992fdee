"""Lower a pattern so that whole-block matching gives per-line answers (a pure fold).

grep matches each line on its own, and a line never contains ``\\n``. Running the pattern
over a multi-megabyte block (with MULTILINE, so ``^``/``$`` hold at every line) is far
faster than a Python loop over lines, but ``[^ ]+``, ``\\s`` or ``(?s).`` could then run
across a newline and join two lines into one match. Because a line has no ``\\n``, taking
``\\n`` out of every construct changes nothing for per-line matching, and makes block
matching exact. ``block_pattern`` returns that rewritten pattern text, or None when the
pattern must be matched line by line: it refers to the whole text (``\\A``, ``\\Z``,
``\\G``, ``\\K``), changes what a line is (regex's ``w`` flag) or the search direction
(``r``), or holds a construct whose reach is unknown (fuzzy matching, named lists, verbs,
``\\X``-like escapes).

Edits are splices over the original text at node spans, so everything else is kept as
written; groups added are non-capturing, so group numbers and names are unchanged.
"""

from __future__ import annotations

from typing import assert_never

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
    children,
)
from .._syntax._flags import NodeFlags, flags_at

__all__ = [
    "block_pattern",
    "byte_spelling_edits",
    "bytes_pattern",
    "line_counting_pattern",
    "lowered_edits",
    "node_flags",
    "utf8",
]

_SAFE_ESCAPES = frozenset("Sdw")
_LOWERED_ESCAPES = {"s": r"[^\S\n]", "D": r"[^\d\n]", "W": r"[^\w\n]"}
_TEXT_ANCHORS = frozenset({"text_start", "text_end", "search_start", "keep_out"})
_NEVER = "(?!)"


class _Unsafe(Exception):
    """The pattern cannot be made newline-free by local edits."""


def _member(item: ClassItem) -> bool | None:
    """Whether ``\\n`` is in the set item: True, False, or None when unknown."""
    match item:
        case Literal(char=char):
            return char == "\n"
        case ClassRange(start=start, end=end):
            return start.char <= "\n" <= end.char
        case ClassEscape(letter=letter):
            if letter in _SAFE_ESCAPES:
                return False
            return True if letter in "sDW" else None
        case Class(negated=negated, items=items):
            inside = _any_member(items)
            return None if inside is None else inside != negated
        case Property() | PosixClass() | ClassSetOp():
            return None
        case _:
            assert_never(item)


def _any_member(items: tuple[ClassItem, ...]) -> bool | None:
    seen = [_member(i) for i in items]
    if any(s is True for s in seen):
        return True
    return False if all(s is False for s in seen) else None


def utf8(char: str) -> bytes:
    """The bytes a pattern character stands for: its UTF-8 encoding, or for a byte that
    arrived undecodable in argv (``surrogateescape``), that byte itself."""
    try:
        return char.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return char.encode("utf-8", "surrogatepass")


_last_flags: tuple[Pattern, NodeFlags] | None = None


def node_flags(p: Pattern) -> NodeFlags:
    """``flags_at(p)``, remembered for the last pattern (by identity): a plan reads the
    flags in a dozen folds over the same tree, and on a 100 kB pattern each ``flags_at``
    costs a fifth of a second."""
    global _last_flags
    last = _last_flags
    if last is not None and last[0] is p:
        return last[1]
    flags = flags_at(p)
    _last_flags = (p, flags)
    return flags


class _Lowering:
    def __init__(self, p: Pattern, *, newlines: bool = True, captures: bool = True) -> None:
        self.text = p.text
        self.flags = node_flags(p)
        self.edits: list[tuple[int, int, str]] = []
        self.newlines = newlines
        self.captures = captures

    def literal(self, node: Literal) -> None:
        if node.char == "\n" and self.newlines:
            self.replace(node, _NEVER)
        elif ord(node.char) > 0x7F:
            # a bytes pattern has no \u escapes, and a multi-byte character must stay one
            # unit under a quantifier: spell it as a group of byte escapes
            self.replace(node, "(?:" + "".join(f"\\x{b:02x}" for b in utf8(node.char)) + ")")

    def replace(self, node: Node, text: str) -> None:
        self.edits.append((node.span.start, node.span.end, text))

    def guard(self, node: Node) -> None:
        """Put a ``(?!\\n)`` in front of a one-character construct."""
        self.replace(node, "(?:(?!\\n)" + node.span.slice(self.text) + ")")

    def visit(self, root: Node) -> None:
        """Collect the edits for ``root``'s tree (with an explicit stack: patterns nest
        hundreds of groups deep, and the edits are sorted at the end anyway)."""
        stack = [root]
        while stack:
            stack.extend(self.step(stack.pop()))

    def step(self, node: Node) -> tuple[Node, ...]:
        """Edit ``node``; the children still to visit."""
        if isinstance(node, Literal):
            self.literal(node)
            return ()
        if not self.newlines:
            # sets are checked for non-ASCII elsewhere
            return () if isinstance(node, Class) else children(node)
        match node:
            case Literal():
                return ()
            case Dot():
                if "s" in self.flags.get(node, ""):
                    self.replace(node, r"[^\n]")
            case Class(negated=negated, items=items):
                inside = _any_member(items)
                if inside is not None and inside == negated:
                    return ()  # already excludes \n
                simple = negated and not any(isinstance(i, ClassSetOp) for i in items)
                if simple:  # [^ ] -> [^ \n]: still one set, as fast as before
                    end = node.span.end - 1
                    self.edits.append((end, end, r"\n"))
                else:
                    self.guard(node)
            case ClassEscape(letter=letter):
                if letter in _LOWERED_ESCAPES:
                    self.replace(node, _LOWERED_ESCAPES[letter])
                elif letter not in _SAFE_ESCAPES:
                    raise _Unsafe
            case Property() | PosixClass():
                self.guard(node)
            case Anchor(kind=kind):
                if kind in _TEXT_ANCHORS:
                    raise _Unsafe
            case InlineFlags(on=on) | NonCapture(on=on) if {"w", "r"} & set(on):
                raise _Unsafe
            case NamedList() | Fuzzy() | Verb():
                raise _Unsafe
            case (
                Empty()
                | Comment()
                | Trivia()
                | InlineFlags()
                | Backref()
                | Recursion()
                | ClassRange()
                | ClassSetOp()
            ):
                return ()
            case Capture(opener=opener, body=body) if not self.captures:
                start = node.span.start
                self.edits.append((start, start + len(opener), "(?:"))
                return (body,)
            case (
                Repeat()
                | Concat()
                | Alternation()
                | Capture()
                | NonCapture()
                | Lookaround()
                | Atomic()
                | BranchReset()
                | Conditional()
                | Pattern()
            ):
                return children(node)
            case _:
                assert_never(node)
        return ()

    def result(self) -> str:
        out: list[str] = []
        at = 0
        for start, end, text in sorted(self.edits, key=lambda e: (e[0], e[1])):
            out.append(self.text[at:start])
            out.append(text)
            at = end
        out.append(self.text[at:])
        return "".join(out)


def bytes_pattern(p: Pattern) -> str:
    """The pattern as a bytes pattern must be written: every non-ASCII character outside
    a set (including ``\\u``, ``\\N{...}`` escapes) becomes a group of byte escapes."""
    lowering = _Lowering(p, newlines=False)
    lowering.visit(p)
    return lowering.result()


def byte_spelling_edits(p: Pattern) -> list[tuple[int, int, str]]:
    """The edits (start, end, new text) that make ``bytes_pattern(p)`` of ``p.text``."""
    lowering = _Lowering(p, newlines=False)
    lowering.visit(p)
    return list(lowering.edits)


def block_pattern(p: Pattern) -> str | None:
    """The pattern text rewritten so no match can contain ``\\n``, or None when it has to be
    matched line by line (see the module docstring). Compile it with MULTILINE."""
    if {"w", "r"} & set(p.flags):
        return None
    lowering = _Lowering(p)
    try:
        lowering.visit(p)
    except _Unsafe:
        return None
    return lowering.result()


_GROUP_USERS = (Backref, Conditional, Recursion)


def line_counting_pattern(p: Pattern) -> str | None:
    """A pattern whose matches over a block are one per matching line: the newline-free
    pattern (groups made non-capturing, so ``findall`` builds no tuples) followed by the
    rest of the line and its newline. ``len(findall(block))`` then counts matching lines
    without a Python-level loop. None when ``block_pattern`` is None, a group is referred
    to (backreference, condition, recursion), or a match may be empty."""
    from .._syntax._ast import walk
    from .._syntax._width import can_match_empty

    if {"w", "r"} & set(p.flags) or any(isinstance(n, _GROUP_USERS) for n in walk(p)):
        return None
    if can_match_empty(p):  # an empty match right after a counted line would count twice
        return None
    lowering = _Lowering(p, captures=False)
    try:
        lowering.visit(p)
    except _Unsafe:
        return None
    text = lowering.result()
    # Global inline flags must stay at the very start; everything else goes in the group.
    first = p.body.branches[0] if isinstance(p.body, Alternation) else p.body
    lead = 0
    for item in first.items if isinstance(first, Concat) else (first,):
        if not isinstance(item, InlineFlags | Comment | Trivia):
            break
        lead = item.span.end
    shift = sum(len(new) - (end - start) for start, end, new in lowering.edits if end <= lead)
    cut = lead + shift
    verbose = "x" in node_flags(p).get(p, "")
    close = "\n)" if verbose else ")"  # a verbose-mode comment must not swallow the ")"
    return text[:cut] + "(?:" + text[cut:] + close + r"[^\n]*\n?"


def lowered_edits(p: Pattern) -> tuple[str, list[tuple[int, int, str]]] | None:
    """The newline-free text with groups made non-capturing, and the edits (original
    start, end, new text) that produced it; None under the same conditions as
    ``line_counting_pattern``."""
    from .._syntax._ast import walk

    if {"w", "r"} & set(p.flags) or any(isinstance(n, _GROUP_USERS) for n in walk(p)):
        return None
    lowering = _Lowering(p, captures=False)
    try:
        lowering.visit(p)
    except _Unsafe:
        return None
    return lowering.result(), list(lowering.edits)
