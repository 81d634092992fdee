"""Every AST node paired with its sentence and the flags in effect there: the node-level fold
behind ``rxp explain --json`` (``annotate``), and the naming and recursion room it needs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .._syntax._ast import Node, Pattern, children
from ._sentences import Ctx
from ._sentences import sentence as node_sentence

__all__ = ["Annotated", "annotate", "deep_recursion", "node_kind"]


def node_kind(node: Node) -> str:
    """The snake_case kind of an AST node, as the JSON document names it: ``class_escape``."""
    name = type(node).__name__
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotated:
    """An AST node with the flags in effect at it and its sentence; ``children`` mirror
    ``rxp._syntax._ast.children(node)`` one for one."""

    node: Node
    flags: frozenset[str]
    sentence: str
    children: tuple[Annotated, ...]


@contextmanager
def deep_recursion(limit: int = 20_000) -> Iterator[None]:
    """Room for the folds' recursion on the deepest tree the parser accepts (its nesting
    limit times a few frames per level), restored afterwards."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def annotate(pattern: Pattern) -> Annotated:
    """Pair every node of ``pattern`` with its sentence (the fold behind ``--json``)."""
    ctx = Ctx.root(pattern)

    def go(node: Node) -> Annotated:
        return Annotated(
            node=node,
            flags=ctx.at(node).flags,
            sentence=node_sentence(node, ctx),
            children=tuple(go(k) for k in children(node)),
        )

    return go(pattern)
