"""Lints with fixes: mistakes and needless complications in a pattern, each with the whole
corrected pattern where a mechanical fix exists.

Rule ids follow eslint-plugin-regexp where the rule exists there (``no-dupe-disjunctions``,
``prefer-plus-quantifier``, ...); ``docs/lints.md`` lists every rule. The rules live by
family: ``_lints_classes`` (sets and escapes), ``_lints_quantifiers``, ``_lints_groups``
(groups, alternatives, assertions, inline flags); ``_lints_core`` holds the shared context
and checks every fix. This module walks the tree once and hands each node to them.

When a lint's ``changes_meaning`` is False its fix finds exactly the same matches, spans and
groups, on every text, under ``search``, ``match`` and ``finditer`` (a lazy quantifier that
ends the pattern also matters to ``fullmatch``; ``no-lazy-ends`` says so). Cost: one walk,
linear in the pattern, with the pairwise rules and the checking of fixes on budgets, so a
huge pattern gets its lints quickly and, past the budget, fewer fixes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice

from .._syntax._ast import (
    Alternation,
    Anchor,
    Atomic,
    BranchReset,
    Capture,
    Class,
    InlineFlags,
    Literal,
    Lookaround,
    Node,
    NonCapture,
    Pattern,
    Repeat,
)
from ._lints_classes import class_lints, literal_lints
from ._lints_core import MAX_LINTS, Ctx, Lint
from ._lints_groups import node_lints
from ._lints_quantifiers import repeat_lints

__all__ = ["Lint", "lints"]

_Rule = Callable[[Ctx, Node], Iterable[Lint | None]]
_RULES: dict[type, tuple[_Rule, ...]] = {
    Class: (class_lints,),
    Literal: (literal_lints,),
    Repeat: (repeat_lints,),
    **dict.fromkeys(
        (Alternation, Capture, Atomic, BranchReset, NonCapture, Anchor, Lookaround, InlineFlags),
        (node_lints,),
    ),
}


def lints(pattern: Pattern) -> tuple[Lint, ...]:
    """The lints of ``pattern`` in pattern order (by span, then rule id), at most
    ``MAX_LINTS``. Pure: the same pattern always gives the same lints."""
    ctx = Ctx(pattern)
    found: list[Lint] = []
    for node in ctx.nodes:
        for rule in _RULES.get(type(node), ()):
            room = MAX_LINTS - len(found)
            found.extend(islice((f for f in rule(ctx, node) if f is not None), room))
        if len(found) >= MAX_LINTS:
            break
    unique = {(f.span, f.id): f for f in found}
    ordered = sorted(unique.values(), key=lambda f: (f.span.start, f.span.end, f.id))
    return tuple(ordered)
