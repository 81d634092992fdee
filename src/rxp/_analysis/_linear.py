"""Whether a pattern can run on a linear-time automaton engine, and if not, why.

Automaton engines (RE2, Hyperscan, grep's DFA) match in time linear in the text whatever the
pattern, but only patterns without memory of what was matched and without control over the
backtracking: no backreferences, look-arounds, atomic groups, possessive quantifiers,
conditionals, recursion, fuzzy matching, verbs or the regex flavour's match-position
anchors (``\\G``, ``\\K``). Everything else (sets, anchors, word boundaries, bounded and lazy
repeats, groups, flags) an automaton can express. A pure fold over the AST.
"""

from __future__ import annotations

from .._syntax._ast import (
    Anchor,
    Atomic,
    Backref,
    Conditional,
    Fuzzy,
    Lookaround,
    NamedList,
    Node,
    Pattern,
    Recursion,
    Repeat,
    Verb,
    walk,
)
from .._syntax._record import value

__all__ = ["Obstacle", "backtracking_obstacle"]


@value
class Obstacle:
    """The first construct, in written order, that needs a backtracking engine."""

    node: Node
    reason: str  # a noun phrase: "a backreference (\\1)"


def _reason(node: Node) -> str | None:
    match node:
        case Backref(raw=raw):
            return f"a backreference ({raw})"
        case Lookaround(ahead=ahead, negated=negated):
            kind = ("negative " if negated else "") + ("look-ahead" if ahead else "look-behind")
            return f"a {kind}"
        case Atomic():
            return "an atomic group"
        case Repeat(greed="possessive", raw=raw):
            return f"a possessive quantifier ({raw})"
        case Conditional():
            return "a conditional group"
        case Recursion(raw=raw):
            return f"recursion ({raw})"
        case Fuzzy():
            return "fuzzy matching"
        case Verb(name=name):
            return f"the verb (*{name})"
        case NamedList(name=name):
            return f"a named list (\\L<{name}>)"
        case Anchor(kind="search_start" | "keep_out", raw=raw):
            return f"the anchor {raw}"
        case _:
            return None


def backtracking_obstacle(p: Pattern) -> Obstacle | None:
    """The first construct of ``p`` that only a backtracking engine can run, or None when
    ``p`` is in the linear-time subset."""
    best: Obstacle | None = None
    for node in walk(p):
        reason = _reason(node)
        if reason is not None and (best is None or node.span.start < best.node.span.start):
            best = Obstacle(node, reason)
    return best
