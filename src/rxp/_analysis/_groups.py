"""The capturing groups of a pattern: their numbers, names, and whether each can be unset
or repeated. For the ``re`` flavour ``group_count(p) == re.compile(p).groups`` and
``group_names(p) == re.compile(p).groupindex``.
"""

from __future__ import annotations

from .._syntax._ast import (
    Alternation,
    BranchReset,
    Capture,
    Conditional,
    Lookaround,
    Node,
    Pattern,
    Repeat,
    Span,
    children,
    walk,
)
from .._syntax._record import value

__all__ = ["GroupInfo", "group_count", "group_names", "groups"]


@value
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
