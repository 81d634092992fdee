"""Facts computed from the AST: widths, groups, flags in effect, anchoring.

Pure folds over ``rxp._ast``; explain, stream and parse build on them. For the ``re``
flavour the numbers agree with Python's own: ``group_count(p) == re.compile(p).groups``,
``group_names(p) == re.compile(p).groupindex`` and ``width(p)`` equals what
``re._parser.parse(p).getwidth()`` reports (an unbounded maximum is ``None``; like ``re``,
lengths of ``2**64`` or more count as unbounded and minimums are capped there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal as L
from typing import TypeAlias, assert_never

from ._ast import (
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
    children,
    walk,
)

__all__ = [
    "MAXWIDTH",
    "Anchoring",
    "GroupInfo",
    "Width",
    "anchoring",
    "can_match_empty",
    "flag_set",
    "flags_at",
    "format_flags",
    "global_flags",
    "group_count",
    "group_names",
    "groups",
    "raw_flag_groups",
    "width",
]

MAXWIDTH = 1 << 64
"""Lengths at or above this are unbounded, as in CPython's ``re._parser.MAXWIDTH``."""

_RE_ORDER = "aiLmsux"
_GLOBAL = frozenset({"V0", "V1", "b", "e", "p", "r"})  # regex: global wherever written
_REGEX_ORDER = "abefiLmprsuwx"


# --- widths --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Width:
    """How many characters a node can match: ``min`` to ``max`` (None: unbounded)."""

    min: int
    max: int | None


_ZERO = Width(0, 0)
_ONE = Width(1, 1)
_ANY = Width(0, None)


def _capped(lo: int, hi: int | None) -> Width:
    return Width(min(lo, MAXWIDTH), None if hi is None or hi >= MAXWIDTH else hi)


class _Widths:
    """Memoised width fold over one tree; backrefs take their group's width."""

    def __init__(self, root: Node) -> None:
        self.memo: dict[int, Width] = {}
        self.captures: dict[int, list[Capture]] = {}
        self.names: dict[str, int] = {}
        for node in walk(root):
            if isinstance(node, Capture):
                self.captures.setdefault(node.index, []).append(node)
                if node.name is not None:
                    self.names.setdefault(node.name, node.index)
        self.busy: set[int] = set()

    def group(self, target: int | str) -> Width:
        index = self.names.get(target) if isinstance(target, str) else target
        if index is None or index not in self.captures or index in self.busy:
            return _ANY  # unknown, or a group referring to itself (regex flavour)
        self.busy.add(index)
        try:
            return _union(self.of(c.body) for c in self.captures[index])
        finally:
            self.busy.discard(index)

    def of(self, node: Node) -> Width:
        key = id(node)
        found = self.memo.get(key)
        if found is None:
            found = self.compute(node)
            if not self.busy:
                self.memo[key] = found
        return found

    def compute(self, node: Node) -> Width:
        match node:
            case Literal() | Dot() | ClassEscape() | Property() | PosixClass() | Class():
                return _ONE
            case ClassRange() | ClassSetOp():
                return _ONE
            case Empty() | Anchor() | Comment() | Trivia() | InlineFlags() | Lookaround() | Verb():
                return _ZERO
            case NamedList() | Recursion() | Fuzzy():
                return _ANY
            case Backref(target=target):
                return self.group(target)
            case Repeat(item=item, min=lo, max=hi):
                inner = self.of(item)
                if hi is None:
                    top = None if inner.max != 0 else 0
                elif inner.max is None:
                    top = None if hi else 0
                else:
                    top = inner.max * hi
                return _capped(inner.min * lo, top)
            case Concat(items=items):
                total_lo, total_hi = 0, 0
                unbounded = False
                for item in items:
                    w = self.of(item)
                    total_lo += w.min
                    if w.max is None:
                        unbounded = True
                    else:
                        total_hi += w.max
                return _capped(total_lo, None if unbounded else total_hi)
            case Alternation(branches=branches):
                return _union(self.of(b) for b in branches)
            case Capture(body=b) | NonCapture(body=b) | Atomic(body=b) | BranchReset(body=b):
                return self.of(b)
            case Conditional(yes=yes, no=no):
                if no is None:
                    return Width(0, self.of(yes).max)
                return _union((self.of(yes), self.of(no)))
            case Pattern(body=b):
                return self.of(b)
            case _:
                assert_never(node)


def _union(widths: Iterable[Width]) -> Width:
    lo: int | None = None
    hi: int | None = 0
    for w in widths:
        lo = w.min if lo is None else min(lo, w.min)
        hi = None if hi is None or w.max is None else max(hi, w.max)
    return _capped(lo or 0, hi)


def width(node: Node, within: Pattern | None = None) -> Width:
    """The shortest and longest text ``node`` can match.

    Backreferences take the width of the group they name, looked up in ``within`` (the
    whole pattern; defaults to ``node`` itself). Look-arounds, anchors and other zero-width
    constructs count 0; recursion, fuzzy matches and named lists are ``Width(0, None)``.
    """
    return _Widths(within if within is not None else node).of(node)


def can_match_empty(p: Pattern) -> bool:
    """True when some match may be zero characters long (the minimum width is 0)."""
    return width(p).min == 0


# --- groups --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """A capturing group. ``optional``: the group can be unset after a successful match
    (inside ``?``/``*``, an alternation or conditional branch, a negative look-around).
    ``repeated``: inside a quantifier that can match more than once, so only the last
    iteration is captured. Several captures sharing a number (branch reset, duplicate
    names in the regex flavour) give one ``GroupInfo`` with the first one's span."""

    index: int
    name: str | None
    span: Span
    optional: bool
    repeated: bool


def _occurrences(node: Node, optional: bool, repeated: bool) -> list[GroupInfo]:
    out: list[GroupInfo] = []

    def visit(n: Node, opt: bool, rep: bool) -> None:
        match n:
            case Capture(body=body, index=index, name=name, span=span):
                out.append(GroupInfo(index, name, span, opt, rep))
                visit(body, opt, rep)
            case Repeat(item=item, min=lo, max=hi):
                visit(item, opt or lo == 0, rep or hi is None or hi > 1)
            case Alternation(branches=branches):
                for b in branches:
                    visit(b, True, rep)
            case Conditional(condition=cond, yes=yes, no=no):
                if isinstance(cond, Lookaround):
                    visit(cond, opt, rep)
                visit(yes, True, rep)
                if no is not None:
                    visit(no, True, rep)
            case Lookaround(body=body, negated=negated):
                visit(body, opt or negated, rep)
            case BranchReset(body=body):
                out.extend(_branch_reset(body, opt, rep))
            case _:
                for child in children(n):
                    visit(child, opt, rep)

    visit(node, optional, repeated)
    return out


def _branch_reset(body: Node, optional: bool, repeated: bool) -> list[GroupInfo]:
    branches = body.branches if isinstance(body, Alternation) else (body,)
    per_branch = [_merge(_occurrences(b, False, repeated), b) for b in branches]
    merged: dict[int, GroupInfo] = {}
    for infos in per_branch:
        for info in infos:
            merged.setdefault(info.index, info)
    out = []
    for index, first in sorted(merged.items()):
        present = [next((i for i in infos if i.index == index), None) for infos in per_branch]
        always = all(i is not None and not i.optional for i in present)
        out.append(
            GroupInfo(
                index,
                next((i.name for i in present if i is not None and i.name), None),
                first.span,
                optional or not always,
                any(i is not None and i.repeated for i in present),
            )
        )
    return out


def _merge(occurrences: list[GroupInfo], root: Node) -> list[GroupInfo]:
    by_index: dict[int, list[GroupInfo]] = {}
    for occ in occurrences:
        by_index.setdefault(occ.index, []).append(occ)
    return [
        GroupInfo(
            index,
            next((o.name for o in occs if o.name is not None), None),
            min(occs, key=lambda o: o.span).span,
            all(o.optional for o in occs),
            any(o.repeated for o in occs) or (len(occs) > 1 and _together(occs, root)),
        )
        for index, occs in sorted(by_index.items())
    ]


def _together(occs: list[GroupInfo], root: Node) -> bool:
    """Whether two captures of one number (a name used twice, regex flavour) can both run
    in one match, so only the last is seen: yes unless every pair sits in different
    branches of one alternation or conditional."""
    choices: list[tuple[Span, ...]] = []
    for n in walk(root):
        if isinstance(n, Alternation):
            choices.append(tuple(b.span for b in n.branches))
        elif isinstance(n, Conditional) and n.no is not None:
            choices.append((n.yes.span, n.no.span))

    def branch(spans: tuple[Span, ...], at: Span) -> int | None:
        inside = (i for i, s in enumerate(spans) if s.start <= at.start and at.end <= s.end)
        return next(inside, None)

    def exclusive(a: GroupInfo, b: GroupInfo) -> bool:
        for spans in choices:
            i, j = branch(spans, a.span), branch(spans, b.span)
            if i is not None and j is not None and i != j:
                return True
        return False

    return any(not exclusive(a, b) for a in occs for b in occs if a is not b)


def groups(p: Pattern) -> tuple[GroupInfo, ...]:
    """The capturing groups, one per group number, ordered by number."""
    return tuple(_merge(_occurrences(p.body, False, False), p.body))


def group_count(p: Pattern) -> int:
    """The number of capturing groups (``re.compile(p).groups``)."""
    return max((n.index for n in walk(p) if isinstance(n, Capture)), default=0)


def group_names(p: Pattern) -> dict[str, int]:
    """Group name to number (``re.compile(p).groupindex``), in order of definition."""
    names: dict[str, int] = {}
    for n in walk(p):
        if isinstance(n, Capture) and n.name is not None:
            names.setdefault(n.name, n.index)
    return names


# --- flags ---------------------------------------------------------------------------------

FlagSet: TypeAlias = frozenset[str]


def flag_set(letters: str) -> FlagSet:
    """The flags in a letter string; ``V0``/``V1`` are single flags."""
    out: set[str] = set()
    i = 0
    while i < len(letters):
        if letters[i] == "V" and i + 1 < len(letters):
            out.add(letters[i : i + 2])
            i += 2
        else:
            out.add(letters[i])
            i += 1
    return frozenset(out)


def _with(flags: FlagSet, on: str, off: str) -> FlagSet:
    added = flag_set(on)
    if added & {"V0", "V1"}:
        flags = flags - {"V0", "V1"}
    return (flags | added) - flag_set(off)


def format_flags(flags: Iterable[str], flavor: str) -> str:
    """Flag letters in canonical order (``aiLmsux``; in the regex flavour ``abefiLmprsuwx``
    then the version), with the string-pattern defaults made explicit: ``u`` unless ``a`` or
    ``L`` is on, and ``V0`` unless ``V1`` in the regex flavour."""
    present = set(flags)
    if not present & {"a", "L"}:
        present.add("u")
    order = _RE_ORDER if flavor == "re" else _REGEX_ORDER
    text = "".join(ch for ch in order if ch in present)
    if flavor == "regex":
        text += "V1" if "V1" in present else "V0"
    return text


def _leading_flags(p: Pattern) -> FlagSet:
    """Caller flags plus the inline ``(?flags)`` that open the pattern, and in the regex
    flavour the global ones (versions, ``b e p r``) written anywhere: regex restarts the
    parse with those on from the start."""
    flags = flag_set(p.flags)
    if p.flavor == "regex":
        for node in walk(p):
            groups: list[tuple[str, str]] = []
            if isinstance(node, InlineFlags | NonCapture):
                groups.append((node.on, node.off))
            elif isinstance(node, Repeat | Fuzzy):
                groups += [(on, off) for _, on, off in raw_flag_groups(node.raw, 0)]
            for on, _ in groups:
                flags = _with(flags, "".join(f for f in sorted(flag_set(on) & _GLOBAL)), "")
    body = p.body
    first = body.branches[0] if isinstance(body, Alternation) else body
    items = first.items if isinstance(first, Concat) else (first,)
    for item in items:
        if isinstance(item, InlineFlags):
            flags = _with(flags, item.on, item.off)
        elif not isinstance(item, Comment | Trivia):
            break
    return flags


def raw_flag_groups(raw: str, offset: int) -> list[tuple[Span, str, str]]:
    """The positional ``(?flags)`` groups written between an item and its quantifier
    (the parser keeps them in ``Repeat.raw`` / ``Fuzzy.raw``, where the engine skips them
    to find the item the quantifier applies to): ``(span, on, off)`` each, ``offset`` being
    where ``raw`` starts in the pattern."""
    out = []
    at = raw.find("(?")
    while at >= 0:
        close = raw.find(")", at)
        text = raw[at + 2 : close] if close > 0 else ""
        on, _, off = text.partition("-")
        if close > 0 and (on + off).isalnum():
            out.append((Span(offset + at, offset + close + 1), on, off))
        at = raw.find("(?", at + 2)
    return out


def global_flags(p: Pattern) -> str:
    """The flags in effect for the whole pattern: the caller's plus the leading inline
    flags, as canonical letters (see ``format_flags``)."""
    return format_flags(_leading_flags(p), p.flavor)


def flags_at(p: Pattern) -> dict[Node, str]:
    """The flags in effect at every node (canonical letters). Scoped groups ``(?i-s:...)``
    change them for their body; an inline ``(?i)`` later in the pattern (regex flavour)
    changes them from there to the end of the enclosing group, across ``|``."""
    out: dict[Node, str] = {}
    names: dict[FlagSet, str] = {}

    def name(flags: FlagSet) -> str:
        text = names.get(flags)
        if text is None:
            text = names[flags] = format_flags(flags, p.flavor)
        return text

    def visit(n: Node, flags: FlagSet) -> FlagSet:
        """Record ``n`` and return the flags in effect after it in its group."""
        out[n] = name(flags)
        match n:
            case InlineFlags(on=on, off=off):
                return _with(flags, on, off)
            case Concat(items=items):
                for item in items:
                    flags = visit(item, flags)
                return flags
            case Alternation(branches=branches):
                for b in branches:
                    flags = visit(b, flags)
                return flags
            case NonCapture(body=body, on=on, off=off):
                visit(body, _with(flags, on, off))
                return flags
            case Repeat(item=item, raw=raw, span=span) | Fuzzy(item=item, raw=raw, span=span):
                flags = visit(item, flags)
                for _, on, off in raw_flag_groups(raw, span.end - len(raw)):
                    flags = _with(flags, on, off)
                return flags
            case _:
                for child in children(n):
                    visit(child, flags)
                return flags

    visit(p, _leading_flags(p))
    return out


# --- anchoring -----------------------------------------------------------------------------

Where: TypeAlias = L["text", "line"] | None


@dataclass(frozen=True, slots=True)
class Anchoring:
    """Where every match must begin and end: at the start/end of the text, at a line
    boundary, or anywhere (None)."""

    start: Where
    end: Where


# A path through a node either meets an anchor first ("text"/"line"), consumes a
# character first ("consume"), or gets through without doing either ("pass").
_Outcomes: TypeAlias = frozenset[str]
_PASS: _Outcomes = frozenset({"pass"})
_CONSUME: _Outcomes = frozenset({"consume"})


def _lead(n: Node, flags: dict[Node, str], from_end: bool) -> _Outcomes:
    match n:
        case Anchor(kind=kind):
            multiline = "m" in flags.get(n, "")
            if kind == ("text_end" if from_end else "text_start"):
                return frozenset({"text"})
            if kind == ("line_end" if from_end else "line_start"):
                return frozenset({"line" if multiline else "text"})
            if kind == "keep_out":
                return _CONSUME  # the reported match starts after \K
            return _PASS
        case Empty() | Comment() | Trivia() | InlineFlags() | Lookaround() | Verb():
            return _PASS
        case Literal() | Dot() | ClassEscape() | Property() | PosixClass() | Class():
            return _CONSUME
        case ClassRange() | ClassSetOp():
            return _CONSUME
        case Backref() | Recursion() | NamedList() | Fuzzy():
            return _CONSUME | _PASS
        case Repeat(item=item, min=lo):
            inner = _lead(item, flags, from_end)
            return inner | _PASS if lo == 0 else inner
        case Concat(items=items):
            seen: set[str] = set()
            for item in reversed(items) if from_end else items:
                got = _lead(item, flags, from_end)
                seen |= got - _PASS
                if "pass" not in got:
                    return frozenset(seen)
            return frozenset(seen | _PASS)
        case Alternation(branches=branches):
            return frozenset().union(*(_lead(b, flags, from_end) for b in branches))
        case Capture(body=b) | NonCapture(body=b) | Atomic(body=b) | BranchReset(body=b):
            return _lead(b, flags, from_end)
        case Conditional(yes=yes, no=no):
            other = _PASS if no is None else _lead(no, flags, from_end)
            return _lead(yes, flags, from_end) | other
        case Pattern(body=b):
            return _lead(b, flags, from_end)
        case _:
            assert_never(n)


def _where(outcomes: _Outcomes) -> Where:
    if not outcomes or outcomes - {"text", "line"}:
        return None
    return "text" if outcomes == {"text"} else "line"


def anchoring(p: Pattern) -> Anchoring:
    """How every match is anchored: ``start`` is "text" when each match must begin at the
    start of the text (``\\A``, or ``^`` without MULTILINE, on every path), "line" when at
    a line start at least, None otherwise; ``end`` likewise with ``\\Z`` and ``$``."""
    flags = flags_at(p)
    return Anchoring(_where(_lead(p, flags, False)), _where(_lead(p, flags, True)))
