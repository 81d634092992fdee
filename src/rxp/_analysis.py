"""Facts computed from the AST: widths and groups, and (from ``rxp._flags`` and
``rxp._anchoring``) the flags in effect and anchoring, all importable from here.

Pure folds over ``rxp._ast``; explain, stream and parse build on them. For the ``re``
flavour the numbers agree with Python's own: ``group_count(p) == re.compile(p).groups``,
``group_names(p) == re.compile(p).groupindex`` and ``width(p)`` equals what
``re._parser.parse(p).getwidth()`` reports (an unbounded maximum is ``None``; like ``re``,
lengths of ``2**64`` or more count as unbounded and minimums are capped there). The folds
run on ``rxp._trampoline``, so no nesting depth reaches Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import assert_never

from ._anchoring import Anchoring, anchoring
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
from ._flags import flag_set, flags_at, format_flags, global_flags, raw_flag_groups
from ._trampoline import Step, run

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


def _union(widths: Iterable[Width]) -> Width:
    lo: int | None = None
    hi: int | None = 0
    for w in widths:
        lo = w.min if lo is None else min(lo, w.min)
        hi = None if hi is None or w.max is None else max(hi, w.max)
    return _capped(lo or 0, hi)


class _Widths:
    """Memoised width fold over one tree; backrefs take their group's width."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.memo: dict[int, Width] = {}
        self.captures: dict[int, list[Capture]] = {}
        self.names: dict[str, int] = {}
        for node in walk(root):
            if isinstance(node, Capture):
                self.captures.setdefault(node.index, []).append(node)
                if node.name is not None:
                    self.names.setdefault(node.name, node.index)
        self.busy: set[int] = set()

    def width(self, node: Node) -> Width:
        found = self.memo.get(id(node))
        return found if found is not None else run(self.of(node))

    def group(self, target: int | str) -> Step[Width]:
        index = self.names.get(target) if isinstance(target, str) else target
        if index is None or index not in self.captures or index in self.busy:
            return _ANY  # unknown, or a group referring to itself (regex flavour)
        self.busy.add(index)
        widths = []
        for capture in self.captures[index]:
            widths.append((yield self.of(capture.body)))
        self.busy.discard(index)
        return _union(widths)

    def of(self, node: Node) -> Step[Width]:
        key = id(node)
        found = self.memo.get(key)
        if found is None:
            found = yield self.compute(node)
            if not self.busy:
                self.memo[key] = found
        return found

    def compute(self, node: Node) -> Step[Width]:
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
                referred: Width = yield self.group(target)
                return referred
            case Repeat(item=item, min=lo, max=hi):
                inner: Width = yield self.of(item)
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
                    w: Width = yield self.of(item)
                    total_lo += w.min
                    if w.max is None:
                        unbounded = True
                    else:
                        total_hi += w.max
                return _capped(total_lo, None if unbounded else total_hi)
            case Alternation(branches=branches):
                widths = []
                for b in branches:
                    widths.append((yield self.of(b)))
                return _union(widths)
            case Capture(body=b) | NonCapture(body=b) | Atomic(body=b) | BranchReset(body=b):
                body: Width = yield self.of(b)
                return body
            case Conditional(yes=yes, no=no):
                when_yes: Width = yield self.of(yes)
                if no is None:
                    return Width(0, when_yes.max)
                return _union((when_yes, (yield self.of(no))))
            case Pattern(body=b):
                whole: Width = yield self.of(b)
                return whole
            case _:
                assert_never(node)


_last: tuple[Node, _Widths] | None = None  # explain asks for every node of one pattern


def width(node: Node, within: Pattern | None = None) -> Width:
    """The shortest and longest text ``node`` can match.

    Backreferences take the width of the group they name, looked up in ``within`` (the
    whole pattern; defaults to ``node`` itself). Look-arounds, anchors and other zero-width
    constructs count 0; recursion, fuzzy matches and named lists are ``Width(0, None)``.
    """
    global _last
    root = within if within is not None else node
    cached = _last
    if cached is not None and cached[0] is root:
        folds = cached[1]
    else:
        folds = _Widths(root)
        _last = (root, folds)
    return folds.width(node)


def can_match_empty(p: Pattern) -> bool:
    """True when some match may be zero characters long (the minimum width is 0)."""
    return width(p).min == 0


# --- groups --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """A capturing group. ``optional``: the group can be unset after a successful match
    (inside ``?``/``*``, an alternation or conditional branch, a negative look-around).
    ``repeated``: inside a quantifier that can match more than once, so only the last
    iteration is captured (or, in the regex flavour, a name used twice captures twice).
    Several captures sharing a number (branch reset, reused names) give one
    ``GroupInfo`` with the first one's span."""

    index: int
    name: str | None
    span: Span
    optional: bool
    repeated: bool


def _occurrences(node: Node, optional: bool, repeated: bool) -> list[GroupInfo]:
    """Every capture under ``node`` with its own optional/repeated flags."""
    out: list[GroupInfo] = []
    todo: list[tuple[Node, bool, bool]] = [(node, optional, repeated)]
    while todo:
        n, opt, rep = todo.pop()
        match n:
            case Capture(body=body, index=index, name=name, span=span):
                out.append(GroupInfo(index, name, span, opt, rep))
                todo.append((body, opt, rep))
            case Repeat(item=item, min=lo, max=hi):
                todo.append((item, opt or lo == 0, rep or hi is None or hi > 1))
            case Alternation(branches=branches):
                todo.extend((b, True, rep) for b in branches)
            case Conditional(condition=cond, yes=yes, no=no):
                if isinstance(cond, Lookaround):
                    todo.append((cond, opt, rep))
                todo.append((yes, True, rep))
                if no is not None:
                    todo.append((no, True, rep))
            case Lookaround(body=body, negated=negated):
                todo.append((body, opt or negated, rep))
            case BranchReset(body=body):
                out.extend(_branch_reset(body, opt, rep))
            case _:
                todo.extend((child, opt, rep) for child in children(n))
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
            next((o.name for o in sorted(occs, key=lambda o: o.span) if o.name), None),
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
