"""A line's matches, for ``-o``, colours and ``--json``: pure functions of compiled patterns
and bytes.

One pattern: its matches as ``finditer`` gives them (Python's leftmost-first rule), each
with its groups' spans (``subs``). Several patterns (``-e``, ``-f``): grep reports, at the
leftmost position where any of them matches, the longest of their matches there, and goes
on after it (a byte further after an empty match); ``longest_subs`` finds each position
with the patterns' alternation and measures every pattern anchored there. A pattern's
groups take their numbers in the alternation (``offsets``), so that ``--json`` shows
them by the names the user gave.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

__all__ = ["GroupSpan", "Sub", "longest_subs", "subs"]

GroupSpan: TypeAlias = tuple[int, int]
Sub: TypeAlias = tuple[int, int, tuple[GroupSpan, ...]]
"""One match in a line: start, end (byte offsets in the line) and each group's span
((-1, -1) when the group did not take part)."""


def subs(matches: Iterable[Any], shift: int, groups: int) -> tuple[Sub, ...]:
    """``matches`` (match objects) as ``Sub``s, ``shift`` taken off every offset, with the
    spans of groups 1 to ``groups``."""
    out: list[Sub] = []
    for mt in matches:
        spans: tuple[GroupSpan, ...] = ()
        if groups:
            spans = tuple(
                (-1, -1) if a < 0 else (a - shift, b - shift)
                for a, b in (mt.span(g) for g in range(1, groups + 1))
            )
        out.append((mt.start() - shift, mt.end() - shift, spans))
    return tuple(out)


def longest_subs(
    search: Callable[..., Any],
    anchored: Sequence[Callable[..., Any]],
    sizes: Sequence[int],
    offsets: Sequence[int],
    line: bytes,
    groups: int,
) -> tuple[Sub, ...]:
    """grep's matches of several patterns in ``line``: ``search`` is the alternation's,
    ``anchored[k]`` the ``match`` of pattern k alone, which has ``sizes[k]`` groups, the
    first being group ``offsets[k] + 1`` of the alternation; ``groups`` as in ``subs``."""
    out: list[Sub] = []
    pos = 0
    end = len(line)
    while pos <= end:
        first = search(line, pos)
        if first is None:
            break
        at = first.start()
        best, chosen = first, -1
        for k, match in enumerate(anchored):
            found = match(line, at)
            if found is not None and (chosen < 0 or found.end() > best.end()):
                best, chosen = found, k
        spans: tuple[GroupSpan, ...] = ()
        if groups and chosen < 0:
            spans = subs((best,), 0, groups)[0][2]
        elif groups:
            own = subs((best,), 0, sizes[chosen])[0][2]
            before = offsets[chosen]
            after = groups - before - len(own)
            spans = ((-1, -1),) * before + own + ((-1, -1),) * after
        stop = best.end()
        out.append((at, stop, spans))
        pos = stop if stop > at else at + 1
    return tuple(out)
