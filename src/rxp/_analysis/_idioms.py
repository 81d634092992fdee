"""Common sub-patterns recognised by their structure: ``idioms(p)`` finds IPv4 addresses,
UUIDs, ISO dates, log levels and the rest of ``IDIOM_NAMES`` however they are spelled.

Recognition never compares pattern text. The pattern is lowered to slots (``_slots``:
``\\d`` and ``[0-9]`` are one set, ``(?:\\d{1,3}\\.){3}`` is unrolled, groups vanish), and each
rule in ``_idiom_rules`` reads that sequence by the character sets and counts of its slots.
``docs/idioms.md`` says what every name accepts.

Contract: the result lists each idiom once, in pattern order, and no two overlap: where
rules compete for the same items the one covering the most pattern text wins (an IPv4
address is not also four integers, an ISO date-time not also a date and a time). Every
``span`` is a self-contained piece of the pattern (whole groups, whole repeats) and
``text`` is the pattern's slice at it. The work is linear in the pattern and capped: past
``MAX_TRIES`` rule attempts the scan stops with what it has found.
"""

from __future__ import annotations

import bisect
from typing import TypeAlias

from .._syntax._ast import Concat, Node, Pattern, Span, children
from .._syntax._record import value
from ._idiom_rules import RULES, IdiomName
from ._slots import Choice, Item, Loop, Mark, Seq, Slot, item_width, lower_with_copies

__all__ = ["IDIOM_NAMES", "MAX_TRIES", "Idiom", "IdiomName", "idioms"]

IDIOM_NAMES: tuple[IdiomName, ...] = tuple(name for name, _, _ in RULES)
"""Every idiom name, most specific first (the order that breaks ties)."""

MAX_TRIES = 50_000


@value
class Idiom:
    """A recognised sub-pattern: its ``name`` (one of ``IDIOM_NAMES``), where it is in the
    pattern and the pattern text there (``text == span.slice(pattern.text)``)."""

    name: IdiomName
    span: Span
    text: str


_Candidate: TypeAlias = tuple[int, int, int, int, IdiomName, Span]


class _Scan:
    def __init__(self, p: Pattern) -> None:
        self.p = p
        self.tries = 0
        self.found: list[tuple[IdiomName, Span]] = []
        self.starts: dict[int, list[int]] = {}

    def widen(self, start: int, end: int) -> Span:
        """The smallest self-contained piece of the pattern around ``[start, end)``: a
        whole node, or a run of whole items of one concatenation."""
        node: Node = self.p
        while True:
            inner = self.child_around(node, start, end)
            if inner is None:
                break
            node = inner
        if isinstance(node, Concat):
            items = node.items
            starts = self.item_starts(node)
            first = max(bisect.bisect_right(starts, start) - 1, 0)
            while first + 1 < len(items) and items[first].span.end <= start:
                first += 1  # a zero-width item at the start
            last = bisect.bisect_left(starts, end) - 1
            return Span(items[first].span.start, items[last].span.end)
        return node.span

    def item_starts(self, node: Concat) -> list[int]:
        starts = self.starts.get(id(node))
        if starts is None:
            starts = self.starts[id(node)] = [k.span.start for k in node.items]
        return starts

    def child_around(self, node: Node, start: int, end: int) -> Node | None:
        kids = children(node)
        if isinstance(node, Concat):  # long: look the item up by where it starts
            at = bisect.bisect_right(self.item_starts(node), start) - 1
            kids = kids[at : at + 1] if at >= 0 else ()
        for kid in kids:
            if kid.span.start <= start and end <= kid.span.end:
                return kid
        return None

    def scan(self, seq: Seq) -> None:
        """Find the idioms in ``seq``, the largest first, then look inside what is left."""
        candidates: list[_Candidate] = []
        settled = len(seq)  # the rules ran at every position before this one
        for i, item in enumerate(seq):
            if isinstance(item, Mark) or (i and _inside_word(seq[i - 1], item)):
                continue
            if self.tries > MAX_TRIES:  # out of budget: keep what is settled
                settled = i
                break
            for rank, (name, rule, gate) in enumerate(RULES):
                if not gate(item):
                    continue
                self.tries += 1
                end = rule(seq, i)
                if end is None or end <= i:
                    continue
                while end < len(seq) and seq[end].span == seq[end - 1].span:
                    if item_width(seq[end])[0]:
                        break
                    end += 1  # an optional tail of the same unrolled repeat: (\d+\.?\b){4}
                span = self.widen(seq[i].span.start, max(x.span.end for x in seq[i:end]))
                if _alone(seq, i, end, span):
                    candidates.append((-len(span), rank, i, end, name, span))
        taken = [False] * len(seq)
        for _, _, i, end, name, span in sorted(candidates, key=lambda c: c[:3]):
            if not any(taken[i:end]):
                taken[i:end] = [True] * (end - i)
                self.found.append((name, span))
        for i, item in enumerate(seq[:settled]):
            if taken[i] or self.tries > MAX_TRIES:
                continue
            if isinstance(item, Choice):
                for branch in item.branches:
                    self.scan(branch)
            elif isinstance(item, Loop):
                self.scan(item.body)


def _inside_word(before: Item, item: Item) -> bool:
    """Whether ``item`` continues a literal word (no idiom starts inside ``Failed``)."""
    return (
        isinstance(before, Slot)
        and isinstance(item, Slot)
        and before.text is not None
        and item.text is not None
        and (before.text + item.text).isalnum()
    )


def _alone(seq: Seq, i: int, end: int, span: Span) -> bool:
    """Whether ``span`` holds no character-consuming item outside ``seq[i:end]`` (a group
    half inside the idiom, or another copy of an unrolled repeat, would spoil its text)."""

    def overlaps(k: int) -> bool:
        other = seq[k].span
        return other.start < span.end and span.start < other.end

    k = i - 1
    while k >= 0 and (isinstance(seq[k], Mark) or overlaps(k)):
        if not isinstance(seq[k], Mark):
            return False
        k -= 1
    k = end
    while k < len(seq) and (isinstance(seq[k], Mark) or overlaps(k)):
        if not isinstance(seq[k], Mark):
            return False
        k += 1
    return True


def idioms(p: Pattern) -> tuple[Idiom, ...]:
    """The idioms in ``p``, in pattern order, none overlapping (see the module docstring)."""
    seq, copies = lower_with_copies(p)
    scan = _Scan(p)
    scan.scan(seq)
    chosen = list(dict.fromkeys(scan.found))
    for body in copies:  # what lies inside one copy of an unrolled repeat
        start, end = min(x.span.start for x in body), max(x.span.end for x in body)
        if any(s.start <= start and end <= s.end for _, s in chosen):
            continue
        inner = _Scan(p)
        inner.tries = scan.tries
        inner.scan(body)
        scan.tries = inner.tries
        for name, span in inner.found:
            if all(span.end <= s.start or s.end <= span.start for _, s in chosen):
                chosen.append((name, span))
    chosen.sort(key=lambda found: found[1].start)
    return tuple(Idiom(name, span, span.slice(p.text)) for name, span in chosen)
