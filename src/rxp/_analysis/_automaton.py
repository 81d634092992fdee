"""The position automaton of a pattern, for the backtracking analysis (``_redos``).

Glushkov's construction: one state per character-consuming leaf, an edge from each state to
every state that can read the next character, and one edge per way the pattern can get
there, so ``(a+)+`` has two ``a -> a`` edges (the inner and the outer loop). Character sets
are bitsets over a sample alphabet (ASCII, the pattern's own characters, and a few
characters where Unicode classes and case folding differ).

Zero-width assertions become *guards* on the edges they stand between: a guard is a
condition on the character before and the character after (or the edge of the text), so
``\\s+$`` cannot go on after ``$``, ``\\b`` separates word from non-word characters and
``(?<!\\s)`` refuses to start inside a run of spaces. A guard is None (always true) or a
disjunction of clauses ``(before, at_start, after, at_end)``: the character before is in
the mask ``before`` (or, with ``at_start``, there is none), and likewise after. Longer
look-arounds are not modelled (always true).

Possessive repeats and atomic groups never give back what they matched, so each is one
state; one over a single set (``\\s++``, ``(?>\\w+)``) loops on itself and can only be left
on a character it cannot take. Repeats bounded above ``UNROLL`` count as unbounded (and are
recorded in ``bounded``); smaller bounds are unrolled (``X{0,2}`` as ``(X(X)?)?``).
"""

from __future__ import annotations

import unicodedata
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
from .._syntax._flags import flags_at
from .._syntax._record import value
from .._syntax._width import width
from .._trampoline import Step

__all__ = ["MAX_POSITIONS", "Automaton", "Clause", "Edge", "Guard", "TooBig", "conj", "holds"]

UNROLL = 10  # repeats bounded above this count as unbounded
MAX_POSITIONS = 2000
MAX_EDGES = 200_000
_MAX_WAYS = 64  # distinct guards on the empty ways through one piece
# Characters beyond ASCII where the classes differ (Unicode digits, spaces, case folds).
_SAMPLES = (
    "\x85\xa0\xb2\xb5\xdf\xe9\xc9\xff\u0130\u0131\u017f\u0416\u0436\u0663"
    "\u1680\u2028\u212a\u3000\u4e2d\U0001f600"
)

Clause: TypeAlias = tuple[int, bool, int, bool]  # before, at_start, after, at_end
Guard: TypeAlias = tuple[Clause, ...] | None  # None: always; (): never
Edge: TypeAlias = tuple[int, Guard, Node | None]  # target, guard, the repeat that loops


class TooBig(Exception):
    """The pattern is too big to analyse within budget."""

    pass


def conj(a: Guard, b: Guard) -> Guard:
    """Both guards at once (they stand between the same two characters)."""
    if a is None:
        return b
    if b is None:
        return a
    out = []
    for before, start, after, end in a:
        for before2, start2, after2, end2 in b:
            clause = (before & before2, start and start2, after & after2, end and end2)
            if (clause[0] or clause[1]) and (clause[2] or clause[3]) and clause not in out:
                out.append(clause)
    return tuple(out)


def holds(g: Guard, before: int | None, after: int | None) -> bool:
    """Whether ``g`` allows the character bits ``before`` and ``after`` (None: the edge of
    the text) on either side."""
    if g is None:
        return True
    for b, start, a, end in g:
        if (start if before is None else bool(b & before)) and (
            end if after is None else bool(a & after)
        ):
            return True
    return False


@value
class _Piece:
    """A part of the pattern: the guards of its ways through without reading anything
    (empty when it must read), and its first and last positions with the guards met
    before the first and after the last."""

    empty: tuple[Guard, ...]
    first: tuple[tuple[int, Guard], ...]
    last: tuple[tuple[int, Guard], ...]


_EMPTY = _Piece((None,), (), ())
_NEVER = _Piece((), (), ())


def _unique(items: list[tuple[int, Guard]]) -> tuple[tuple[int, Guard], ...]:
    return tuple(dict.fromkeys(items))


def _ways(guards: list[Guard]) -> tuple[Guard, ...]:
    found = tuple(dict.fromkeys(g for g in guards if g != ()))
    if len(found) > _MAX_WAYS:
        raise TooBig
    return found


class Automaton:
    """Glushkov position automaton with guards and edge multiplicity; masks are
    sample-char bitsets. ``out[s]`` lists the edges leaving position ``s`` (one per way:
    two entries to the same target are two paths); ``initial`` the positions a match can
    start with, ``final`` those it can end with (with guards), ``empty`` the guards of the
    ways to match the empty string."""

    def __init__(self, p: Pattern) -> None:
        self.p = p
        self.flags = flags_at(p)
        chars = {chr(c) for c in range(128)} | set(_SAMPLES)
        for node in walk(p):
            if isinstance(node, Literal):
                chars |= {node.char, node.char.lower(), node.char.upper()}
        self.alphabet = sorted(chars)
        self.full = (1 << len(self.alphabet)) - 1
        self.bit = {c: 1 << i for i, c in enumerate(self.alphabet)}
        self.folded: dict[str, int] = {}
        self.escapes: dict[tuple[str, bool], int] = {}
        self.newline = self.literal_mask("\n", False)
        self.masks: list[int] = []  # per position
        self.owner: list[Node] = []  # the leaf (or opaque repeat / atomic group) per position
        self.out: list[list[Edge]] = []
        self.swallows: dict[int, int] = {}  # looping opaque position -> what it takes
        self.bounded: set[int] = set()  # id() of repeats with a large finite bound
        self.initial: tuple[tuple[int, Guard], ...] = ()
        self.final: tuple[tuple[int, Guard], ...] = ()
        self.empty: tuple[Guard, ...] = ()
        self.edge_count = 0

    # --- character sets ----------------------------------------------------------------

    def mask_where(self, test: object) -> int:
        assert callable(test)
        bits = 0
        for i, ch in enumerate(self.alphabet):
            if test(ch):
                bits |= 1 << i
        return bits

    def literal_mask(self, ch: str, fold: bool) -> int:
        if not fold:
            return self.bit.get(ch, 0)
        if not self.folded:
            for i, c in enumerate(self.alphabet):
                key = c.lower()
                self.folded[key] = self.folded.get(key, 0) | 1 << i
        bits = self.folded.get(ch.lower(), 0)
        for variant in (ch, ch.upper(), ch.casefold()):
            bits |= self.bit.get(variant, 0)
        return bits

    def escape_mask(self, letter: str, ascii_only: bool) -> int:
        key = (letter, ascii_only)
        found = self.escapes.get(key)
        if found is None:
            found = self.escapes[key] = self._escape_mask(letter, ascii_only)
        return found

    def _escape_mask(self, letter: str, ascii_only: bool) -> int:
        base = letter.lower()
        if base == "d":
            bits = self.mask_where(lambda c: c.isdecimal() and (c.isascii() or not ascii_only))
        elif base == "w":
            bits = self.mask_where(
                lambda c: (c.isalnum() or c == "_") and (c.isascii() or not ascii_only)
            )
        elif base == "s":
            bits = self.mask_where(lambda c: c.isspace() and (c.isascii() or not ascii_only))
        else:
            return self.full  # \h, \X and friends (regex flavour): assume anything
        return bits if letter == base else self.full & ~bits

    def item_mask(self, item: ClassItem | Node, flags: str) -> int:
        fold = "i" in flags
        match item:
            case Literal(char=ch):
                return self.literal_mask(ch, fold)
            case ClassRange(start=lo, end=hi):
                bits = self.mask_where(lambda c: lo.char <= c <= hi.char)
                if fold:
                    bits |= self.mask_where(
                        lambda c: lo.char <= c.lower() <= hi.char or lo.char <= c.upper() <= hi.char
                    )
                return bits
            case ClassEscape(letter=letter):
                return self.escape_mask(letter, "a" in flags)
            case Class(negated=negated, items=items):
                bits = 0
                for sub in items:
                    bits |= self.item_mask(sub, flags)
                return self.full & ~bits if negated else bits
            case Property(name=name, value=value, negated=negated):
                category = (
                    value
                    if value is not None and name.lower() in ("gc", "general_category")
                    else name
                )
                if len(category) in (1, 2) and category[0].isupper():
                    bits = self.mask_where(lambda c: unicodedata.category(c).startswith(category))
                    return self.full & ~bits if negated else bits
                return self.full
            case Dot():
                return self.full if "s" in flags else self.full & ~self.newline
            case _:
                return self.full  # set operations, POSIX classes, backrefs: anything

    # --- guards ----------------------------------------------------------------------------

    def anchor_guard(self, n: Anchor) -> Guard:
        flags = self.flags.get(n, "")
        every, nl = self.full, self.newline
        word = self.escape_mask("w", "a" in flags)
        other = every & ~word
        match n.kind:
            case "text_start" | "search_start":
                return ((0, True, every, True),)
            case "line_start":
                return ((nl if "m" in flags else 0, True, every, True),)
            case "text_end":
                return ((every, True, 0, True),)
            case "line_end":
                return ((every, True, nl if "m" in flags else 0, True),)
            case "word_boundary":
                return ((word, False, other, True), (other, True, word, False))
            case "not_word_boundary":
                return ((word, False, word, False), (other, True, other, True))
            case "word_start":
                return ((other, True, word, False),)
            case "word_end":
                return ((word, False, other, True),)
            case "keep_out":
                return None
            case _:
                assert_never(n.kind)

    def look_guard(self, n: Lookaround) -> Guard:
        """A look-around at one character (``(?<!\\s)``, ``(?=[,;])``) as a guard; longer
        ones are not modelled."""
        body = n.body
        while isinstance(body, Capture | NonCapture):
            body = body.body
        leaves = body.branches if isinstance(body, Alternation) else (body,)
        bits = 0
        for leaf in leaves:
            if not isinstance(leaf, Literal | Dot | ClassEscape | Property | Class | PosixClass):
                return None
            bits |= self.item_mask(leaf, self.flags.get(leaf, ""))
        every = self.full
        side = (every & ~bits, True) if n.negated else (bits, False)
        if n.ahead:
            return ((every, True, side[0], side[1]),)
        return ((side[0], side[1], every, True),)

    # --- construction --------------------------------------------------------------------

    def position(self, owner: Node, mask: int) -> _Piece:
        if len(self.masks) >= MAX_POSITIONS:
            raise TooBig
        self.masks.append(mask)
        self.owner.append(owner)
        self.out.append([])
        i = len(self.masks) - 1
        return _Piece((), ((i, None),), ((i, None),))

    def link(
        self,
        sources: tuple[tuple[int, Guard], ...],
        targets: tuple[tuple[int, Guard], ...],
        origin: Node | None,
    ) -> None:
        self.edge_count += len(sources) * len(targets)
        if self.edge_count > MAX_EDGES:
            raise TooBig
        for s, before in sources:
            taken = self.swallows.get(s)
            leave: Guard = None if taken is None else ((self.full, True, ~taken & self.full, True),)
            for t, after in targets:
                g = conj(conj(before, after), leave)
                if g != ():
                    self.out[s].append((t, g, origin))

    def concat(self, a: _Piece, b: _Piece) -> _Piece:
        self.link(a.last, b.first, None)
        first = list(a.first)
        first += [(t, conj(e, g)) for e in a.empty for t, g in b.first]
        last = list(b.last)
        last += [(s, conj(g, e)) for s, g in a.last for e in b.empty]
        return _Piece(
            _ways([conj(x, y) for x in a.empty for y in b.empty]),
            _unique([x for x in first if x[1] != ()]),
            _unique([x for x in last if x[1] != ()]),
        )

    def build(self, n: Node) -> Step[_Piece]:
        piece: _Piece
        match n:
            case Literal() | Dot() | ClassEscape() | Property() | Class() | PosixClass():
                return self.position(n, self.item_mask(n, self.flags.get(n, "")))
            case ClassRange() | ClassSetOp() | Backref() | Recursion() | NamedList():
                return self.position(n, self.full)
            case Anchor():
                return _Piece((self.anchor_guard(n),), (), ())
            case Lookaround(ahead=True, body=body) if _loops(body):
                # the engine walks the body at every arrival here: a branch of its own that
                # leads nowhere, next to the way on
                inside: _Piece = yield self.build(body)
                return _Piece((self.look_guard(n),), inside.first, ())
            case Lookaround():
                return _Piece((self.look_guard(n),), (), ())
            case Verb(name=name):
                return _NEVER if name in ("FAIL", "F") else _EMPTY
            case Empty() | Comment() | Trivia() | InlineFlags():
                return _EMPTY
            case Concat(items=items):
                piece = _EMPTY
                for item in items:
                    piece = self.concat(piece, (yield self.build(item)))
                return piece
            case Alternation(branches=branches) if self.folds_to_set(n):
                bits = 0
                for b in branches:
                    bits |= self.item_mask(b, self.flags.get(b, ""))
                return self.position(n, bits)
            case Alternation(branches=branches) | BranchReset(body=Alternation(branches=branches)):
                parts: list[_Piece] = []
                for b in branches:
                    parts.append((yield self.build(b)))
                return _choice(parts)
            case Capture(body=b) | NonCapture(body=b) | BranchReset(body=b) | Fuzzy(item=b):
                piece = yield self.build(b)
                return piece
            case Conditional(yes=yes, no=no):
                when_yes: _Piece = yield self.build(yes)
                when_no: _Piece = _EMPTY if no is None else (yield self.build(no))
                return _choice([when_yes, when_no])
            case Atomic(body=b):
                return self.opaque(n, b)
            case Repeat():
                piece = yield self.repeat(n)
                return piece
            case Pattern(body=b):
                piece = yield self.build(b)
                self.initial, self.final, self.empty = piece.first, piece.last, piece.empty
                return piece
            case _:
                assert_never(n)

    def folds_to_set(self, n: Alternation) -> bool:
        """Whether the engine's parser turns ``n`` into one set: branches of one character
        each (a literal, a set that is not negated, a class escape), not all the same
        (``a|a`` keeps two ways through). ``regex`` does not under IGNORECASE."""
        texts = set()
        for b in n.branches:
            if not isinstance(b, Literal | ClassEscape) and not (
                isinstance(b, Class) and not b.negated
            ):
                return False
            texts.add(b.span.slice(self.p.text))
        return len(texts) > 1 and not (self.p.flavor == "regex" and "i" in self.flags.get(n, ""))

    def opaque(self, n: Node, body: Node) -> _Piece:
        """A part that never gives back what it matched: one step over its characters, or,
        for a run of one set (``\\s++``, ``(?>\\w+)``), a step that loops on itself."""
        bits = 0
        for leaf in walk(body):  # a class's own items only widen the union: harmless
            if isinstance(leaf, Literal | Dot | ClassEscape | Property | Class | PosixClass):
                bits |= self.item_mask(leaf, self.flags.get(leaf, ""))
        piece = self.position(n, bits or self.full)
        i = piece.first[0][0]
        run = _run_of_one_set(n)
        if run is not None:
            self.out[i].append((i, None, run))
            self.swallows[i] = self.masks[i]
        return _Piece((None,) if width(n, self.p).min == 0 else (), piece.first, piece.last)

    def repeat(self, n: Repeat) -> Step[_Piece]:
        if n.greed == "possessive":
            return self.opaque(n, n.item)
        if n.max is None or n.max > UNROLL:
            if n.max is not None:
                self.bounded.add(id(n))
            body: _Piece = yield self.build(n.item)  # X{m,} reads as X+: one copy, looped
            self.link(body.last, body.first, n)
            skip: tuple[Guard, ...] = (None,) if n.min == 0 else ()
            return _Piece(_ways(list(skip + body.empty)), body.first, body.last)
        piece = _EMPTY
        for _ in range(n.min):
            piece = self.concat(piece, (yield self.build(n.item)))
        optional = _EMPTY
        for _ in range(n.max - n.min):  # X{0,2} is (X(X)?)?, never X?X?
            inner: _Piece = yield self.build(n.item)
            chained = self.concat(inner, optional)
            optional = _Piece(_ways([None, *chained.empty]), chained.first, chained.last)
        return self.concat(piece, optional)


def _loops(n: Node) -> bool:
    """Whether ``n`` holds a repeat that can go on long (beyond ``UNROLL``)."""
    return any(isinstance(r, Repeat) and (r.max is None or r.max > UNROLL) for r in walk(n))


def _run_of_one_set(n: Node) -> Repeat | None:
    """The unbounded repeat of a single set that ``n`` (possessive or atomic) consists of."""
    inner: Node = n
    if isinstance(n, Repeat):
        single = n
    else:
        assert isinstance(n, Atomic)
        inner = n.body
        while isinstance(inner, Capture | NonCapture):
            inner = inner.body
        if not isinstance(inner, Repeat) or inner.greed == "lazy":
            return None
        single = inner
    if single.max is not None and single.max <= UNROLL:
        return None
    leaf = single.item
    while isinstance(leaf, Capture | NonCapture):
        leaf = leaf.body
    if isinstance(leaf, Literal | Dot | ClassEscape | Property | Class | PosixClass):
        return single
    return None


def _choice(parts: list[_Piece]) -> _Piece:
    return _Piece(
        _ways([g for x in parts for g in x.empty]),
        _unique([i for x in parts for i in x.first]),
        _unique([i for x in parts for i in x.last]),
    )
