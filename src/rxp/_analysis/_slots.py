"""A pattern lowered to *slots*: runs of characters from one set, so that different spellings
of the same thing look the same to the idiom recogniser (``_idioms``) and to the intent
summary.

``lower(p)`` turns the AST into a ``Seq`` of items:

- ``Slot(chars, min, max)``: ``min`` to ``max`` characters, each from the ASCII set ``chars``
  (a 128-bit mask); ``text`` is the literal string when the slot is one (``abc``, ``404``).
- ``Choice``: an alternation that does not collapse into a slot; ``Loop``: a repeated
  sequence that is neither one slot nor unrolled; ``Mark``: a zero-width assertion;
  ``Opaque``: what the lowering does not model (backreferences, recursion, non-ASCII
  properties, fuzzy matching, conditionals, anything nested too deep).

The lowering normalises: groups (capturing or not) vanish into their parent's sequence;
``\\d`` and ``[0-9]`` are the same set; case-insensitive letters carry both cases; adjacent
slots over the same set merge (``xxx`` is ``x{3}``, ``\\d\\d?`` is ``\\d{1,2}``), and so do
adjacent digit-only slots (``[01]?\\d`` is ``\\d{1,2}``) and hex-digit slots (``4[0-9a-f]{3}``);
an alternation of single slots over digits, hex digits or single characters collapses
(``25[0-5]|2[0-4]\\d|1?\\d?\\d`` is ``\\d{1,3}``); a group repeated a small fixed number of
times is unrolled (``(?:\\d+\\.){3}`` is written out three times). The result accepts a
superset of what the pattern accepts; it is meant for recognising shapes, not for matching.

Every item keeps the span it came from (for an unrolled copy: the whole repeat), so a range
of items maps back to the text of the pattern. Lowering is linear in the pattern and bounded:
past ``MAX_DEPTH`` nested groups or ``MAX_ITEMS`` items the rest becomes ``Opaque``.
"""

from __future__ import annotations

from typing import TypeAlias, assert_never

from .._syntax._ast import (
    Alternation,
    Anchor,
    Atomic,
    Backref,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
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
    Span,
    Trivia,
    Verb,
)
from .._syntax._flags import FlagSet, flag_set, global_flags
from .._syntax._record import replace, value
from .._syntax._width import width
from ._ascii_sets import (
    ALL,
    DIGITS,
    HEX,
    HEX_LOWER,
    HEX_UPPER,
    NEWLINE,
    bits,
    class_chars,
    swap_case,
)

__all__ = [
    "MAX_ITEMS",
    "Choice",
    "Item",
    "Loop",
    "Mark",
    "Opaque",
    "Seq",
    "Slot",
    "item_width",
    "leaf_slots",
    "lower",
    "lower_with_copies",
]

MAX_DEPTH = 60
MAX_ITEMS = 20_000
UNROLL = 8  # a group repeated at most this many times is written out


# --- the lowered form ----------------------------------------------------------------------


@value
class Slot:
    """``min`` to ``max`` (None: unbounded) characters from ``chars``, a non-empty ASCII
    set. ``text`` is the literal string matched when the slot is one fixed string."""

    span: Span
    chars: int
    min: int
    max: int | None
    text: str | None = None


@value
class Choice:
    """An alternation that did not collapse into a slot: two or more branches."""

    span: Span
    branches: tuple[Seq, ...]


@value
class Loop:
    """``body`` matched ``min`` to ``max`` times (None: unbounded); never a single slot."""

    span: Span
    body: Seq
    min: int
    max: int | None


@value
class Mark:
    """A zero-width assertion: an anchor's kind (``line_start``, ``word_boundary``, ...),
    ``lookahead``/``lookbehind`` (``not_`` in front when negated), or ``other``."""

    span: Span
    kind: str


@value
class Opaque:
    """Something the lowering does not model, ``min`` to ``max`` characters wide."""

    span: Span
    min: int
    max: int | None


Item: TypeAlias = Slot | Choice | Loop | Mark | Opaque
Seq: TypeAlias = tuple[Item, ...]


def item_width(item: Item) -> tuple[int, int | None]:
    """The shortest and longest text an item matches."""
    match item:
        case Slot(min=lo, max=hi) | Opaque(min=lo, max=hi):
            return lo, hi
        case Mark():
            return 0, 0
        case Choice(branches=branches):
            widths = [_seq_width(b) for b in branches]
            top = [w[1] for w in widths]
            return min(w[0] for w in widths), (
                None if any(t is None for t in top) else max(t for t in top if t is not None)
            )
        case Loop(body=body, min=lo, max=hi):
            inner = _seq_width(body)
            if inner[1] == 0:
                return 0, 0
            return inner[0] * lo, (None if hi is None or inner[1] is None else inner[1] * hi)
        case _:
            assert_never(item)


def _seq_width(seq: Seq) -> tuple[int, int | None]:
    lo, hi = 0, 0
    unbounded = False
    for item in seq:
        a, b = item_width(item)
        lo += a
        if b is None:
            unbounded = True
        else:
            hi += b
    return lo, None if unbounded else hi


def leaf_slots(seq: Seq, *, skip_opaque: bool = False) -> list[Slot] | None:
    """Every slot inside ``seq`` (in branches and loop bodies too), or None when it holds
    an ``Opaque`` item (unless ``skip_opaque``: then those are left out)."""
    out: list[Slot] = []
    todo = list(reversed(seq))
    while todo:
        item = todo.pop()
        match item:
            case Slot():
                out.append(item)
            case Choice(branches=branches):
                for b in reversed(branches):
                    todo.extend(reversed(b))
            case Loop(body=body):
                todo.extend(reversed(body))
            case Mark():
                pass
            case Opaque():
                if not skip_opaque:
                    return None
            case _:
                assert_never(item)
    return out


# --- lowering ----------------------------------------------------------------------------------


def _mergeable(a: int, b: int) -> bool:
    both = a | b
    if a == b or both & ~DIGITS == 0:
        return True
    return (
        both & ~HEX == 0
        and both & DIGITS == DIGITS
        and (both & HEX_LOWER == HEX_LOWER or both & HEX_UPPER == HEX_UPPER)
    )


def _join(out: list[Item], item: Item) -> None:
    """Append ``item``, merging it into a slot before it where the sets allow."""
    last = out[-1] if out else None
    if isinstance(last, Slot) and isinstance(item, Slot) and _mergeable(last.chars, item.chars):
        text = None if last.text is None or item.text is None else last.text + item.text
        out[-1] = Slot(
            Span(min(last.span.start, item.span.start), max(last.span.end, item.span.end)),
            last.chars | item.chars,
            last.min + item.min,
            None if last.max is None or item.max is None else last.max + item.max,
            text,
        )
    elif not (isinstance(item, Slot) and item.max == 0):
        out.append(item)


def _collapse(span: Span, branches: list[list[Item]]) -> Item:
    """An alternation as one slot where every branch is one slot (or empty) over digits,
    hex digits or single characters; otherwise a ``Choice``."""
    slots = [b[0] for b in branches if len(b) == 1 and isinstance(b[0], Slot)]
    empties = sum(1 for b in branches if not b)
    if slots and len(slots) + empties == len(branches):
        union = 0
        for s in slots:
            union |= s.chars
        single = all(s.min == s.max == 1 for s in slots)
        if single or all(_mergeable(union, s.chars) for s in slots):
            top = [s.max for s in slots]
            return Slot(
                span,
                union,
                0 if empties else min(s.min for s in slots),
                None if any(t is None for t in top) else max(t for t in top if t is not None),
            )
    return Choice(span, tuple(tuple(b) for b in branches))


def _respan(item: Item, span: Span) -> Item:
    return replace(item, span=span)


class _Lowering:
    def __init__(self, p: Pattern) -> None:
        self.p = p
        self.made = 0
        self.unrolled: list[Seq] = []

    def opaque(self, node: Node) -> Opaque:
        extent = width(node, self.p)
        return Opaque(node.span, extent.min, extent.max)

    def seq(self, node: Node, depth: int, flags: FlagSet) -> list[Item]:
        """``node`` lowered, under ``flags`` (only ``i`` and ``s`` matter here)."""
        self.made += 1
        if depth > MAX_DEPTH or self.made > MAX_ITEMS:
            return [self.opaque(node)]
        match node:
            case Literal() | Dot() | ClassEscape() | Class() | Property() | PosixClass():
                return [self.leaf(node, flags)]
            case ClassRange() | ClassSetOp():
                return [self.leaf(node, flags)]
            case Empty() | Comment() | Trivia() | InlineFlags() | Verb():
                return []
            case Anchor(kind=kind):
                return [Mark(node.span, kind)]
            case Lookaround(ahead=ahead, negated=negated):
                way = ("not_" if negated else "") + ("lookahead" if ahead else "lookbehind")
                return [Mark(node.span, way)]
            case Concat(items=items):
                out: list[Item] = []
                for part in items:
                    if isinstance(part, InlineFlags):  # regex flavour: to the end of the group
                        flags = (flags | flag_set(part.on)) - flag_set(part.off)
                    for item in self.seq(part, depth + 1, flags):
                        _join(out, item)
                return out
            case NonCapture(body=b, on=on, off=off):
                return self.seq(b, depth + 1, (flags | flag_set(on)) - flag_set(off))
            case Capture(body=b) | Atomic(body=b) | BranchReset(body=b) | Pattern(body=b):
                return self.seq(b, depth + 1, flags)
            case Alternation(branches=branches):
                lowered = [self.seq(b, depth + 1, flags) for b in branches]
                return [_collapse(node.span, lowered)]
            case Repeat():
                return self.repeat(node, depth, flags)
            case Backref() | Recursion() | NamedList() | Fuzzy() | Conditional():
                return [self.opaque(node)]
            case _:
                assert_never(node)

    def leaf(self, node: Node, flags: FlagSet) -> Item:
        fold = "i" in flags
        chars: int | None
        text: str | None = None
        if isinstance(node, Dot):
            chars = ALL if "s" in flags else ALL & ~NEWLINE
        elif isinstance(node, Literal):
            if ord(node.char) >= 128:
                return Opaque(node.span, 1, 1)
            chars = swap_case(bits(node.char)) if fold else bits(node.char)
            text = node.char
        elif isinstance(node, Class | ClassEscape | Property | PosixClass | ClassRange):
            chars = class_chars(node, fold)
        else:
            chars = None
        if not chars:
            return Opaque(node.span, 1, 1)
        return Slot(node.span, chars, 1, 1, text)

    def repeat(self, node: Repeat, depth: int, flags: FlagSet) -> list[Item]:
        inner = self.seq(node.item, depth + 1, flags)
        lo, hi = node.min, node.max
        if not inner or hi == 0:
            return []
        if len(inner) == 1 and isinstance(inner[0], Slot):
            s = inner[0]
            text = s.text * lo if s.text is not None and lo == hi and lo <= 64 else None
            top = None if hi is None or s.max is None else s.max * hi
            return [Slot(node.span, s.chars, s.min * lo, top, text)]
        if lo >= 1 and hi is not None and hi <= UNROLL and len(inner) * hi + self.made <= MAX_ITEMS:
            self.made += len(inner) * hi
            self.unrolled.append(tuple(inner))
            out: list[Item] = []
            copy = [_respan(i, node.span) for i in inner]
            for _ in range(lo):
                for item in copy:
                    _join(out, item)
            if hi > lo:
                out.append(Loop(node.span, tuple(inner), 0, hi - lo))
            return out
        return [Loop(node.span, tuple(inner), lo, hi)]


def lower(p: Pattern) -> Seq:
    """The pattern as a sequence of slots and structures (see the module docstring)."""
    return lower_with_copies(p)[0]


def lower_with_copies(p: Pattern) -> tuple[Seq, tuple[Seq, ...]]:
    """``lower(p)``, and the body of every repeat it unrolled, once, with the spans it was
    written with (an unrolled copy carries the whole repeat's span, so something found
    inside one copy is found here instead)."""
    lowering = _Lowering(p)
    seq = tuple(lowering.seq(p.body, 0, flag_set(global_flags(p))))
    return seq, tuple(lowering.unrolled)
