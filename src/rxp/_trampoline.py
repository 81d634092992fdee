"""Deep recursion without Python's recursion limit: folds written as generators.

A fold step is a generator that ``yield``s the step for a child and receives the child's
result back, and ``return``s its own. ``run`` drives the steps with an explicit stack, so a
fold over a tree of any depth (patterns nest hundreds of groups deep) uses constant Python
stack. Written this way a recursive fold keeps its natural shape::

    def size(node) -> Step[int]:
        total = 1
        for child in children(node):
            total += yield size(child)
        return total

    run(size(tree))
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeAlias, TypeVar

__all__ = ["Step", "run"]

T = TypeVar("T")

Step: TypeAlias = Generator[Any, Any, T]
"""A fold step: yields child steps, receives their results, returns a ``T``."""


def run(step: Step[T]) -> T:
    """Drive ``step`` and every step it yields to completion; its result."""
    stack: list[Step[Any]] = [step]
    value: Any = None
    while True:
        try:
            child = stack[-1].send(value)
        except StopIteration as done:
            stack.pop()
            if not stack:
                result: T = done.value
                return result
            value = done.value
            continue
        stack.append(child)
        value = None
