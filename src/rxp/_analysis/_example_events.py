"""What the example writer produces and what steers it.

A ``Generated`` candidate is a text, the span its match should have, and the events that
wrote it, in order: which node wrote which characters (``Emitted``), where each iteration of
a repeat began and ended (``Iteration``), where an anchor or a negative look-around was
tested (``Assertion``). Near misses are read off those events. A ``Policy`` orders the
writer's choices; a ``Budget`` bounds its steps.
"""

from __future__ import annotations

from typing import NamedTuple

from .._syntax._ast import Anchor, Lookaround, Node, Repeat

__all__ = ["Assertion", "Budget", "Emitted", "Event", "Generated", "Iteration", "Policy"]


class Emitted(NamedTuple):
    """``text`` written at ``pos`` for ``node`` (a character leaf or a backreference).
    ``look``: the innermost positive look-around it was written for; ``fuzzy``: inside a
    fuzzy group (one edit there is tolerated, so near misses leave it alone)."""

    pos: int
    text: str
    node: Node
    look: Lookaround | None
    fuzzy: bool


class Iteration(NamedTuple):
    """A repeat's boundary: iteration ``nth`` (of ``times``) starts at ``pos``; ``nth ==
    times`` marks where the last one ends. ``visit`` tells apart visits of one repeat."""

    visit: int
    node: Repeat
    nth: int
    times: int
    pos: int
    fuzzy: bool


class Assertion(NamedTuple):
    """An anchor or a negative look-around, tested at ``pos``."""

    pos: int
    node: Anchor | Lookaround
    fuzzy: bool


Event = Emitted | Iteration | Assertion


class Generated(NamedTuple):
    """A candidate: the whole ``text``, the ``span`` its match should have, what wrote it."""

    text: str
    span: tuple[int, int]
    events: tuple[Event, ...]


class Policy(NamedTuple):
    """How choices are ordered: ``more`` repetitions above the minimum first (0: the
    minimum), the branch of every alternation tried first, and where the cycles of letters
    and digits start (``shift``: 0 writes ``abc``, ``123``)."""

    more: int = 0
    branch: int = 0
    shift: int = 0


class Budget:
    """Steps left for the writer; shared by the runs that should stop together."""

    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left
