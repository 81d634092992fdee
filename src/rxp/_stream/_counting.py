"""Count matching lines with the literal first: ``PREFIX LITERAL REST`` becomes
``(?<=PREFIX)LITERAL REST``, rest of line, newline (a pure fold).

For ``-c`` with a required inner literal, a Python loop over the candidate lines costs
about a microsecond per line. The ``regex`` package has variable-length look-behind and
searches a pattern that starts with a literal with a fast literal scan, so ``findall`` over
this form counts the matching lines in C: a line matches exactly when, at some occurrence
of the literal, ``PREFIX`` matches just before it and ``REST`` just after (the two parts
share nothing but the split point, as long as ``PREFIX`` holds no construct whose meaning
depends on the direction it is matched in: look-arounds, atomic groups, possessive repeats,
backreferences).
"""

from __future__ import annotations

from .._syntax._ast import (
    Anchor,
    Atomic,
    Backref,
    BranchReset,
    Comment,
    Concat,
    Conditional,
    Fuzzy,
    InlineFlags,
    Lookaround,
    NamedList,
    Node,
    Pattern,
    Recursion,
    Repeat,
    Trivia,
    Verb,
    walk,
)
from .._syntax._width import can_match_empty
from ._literals import exact_texts, literal_start
from ._lower import lowered_edits, node_flags

__all__ = ["behind_counting_pattern"]

_DIRECTIONAL = (
    Lookaround | Atomic | Backref | Recursion | Conditional | Fuzzy | Verb | NamedList | BranchReset
)
_BACKWARD_SAFE_ANCHORS = frozenset({"line_start", "word_boundary", "not_word_boundary"})


def _backward_safe(items: tuple[Node, ...]) -> bool:
    for item in items:
        for node in walk(item):
            if isinstance(node, _DIRECTIONAL):
                return False
            if isinstance(node, Repeat) and node.greed == "possessive":
                return False
            if isinstance(node, Anchor) and node.kind not in _BACKWARD_SAFE_ANCHORS:
                return False
    return True


def behind_counting_pattern(p: Pattern, literal: bytes) -> str | None:
    """The look-behind counting form of ``p`` for its required ``literal``, or None when
    ``p`` is not ``PREFIX LITERAL REST`` at the top level with a backward-safe, non-empty
    ``PREFIX`` (or cannot be lowered, or may match empty). Compile it with the ``regex``
    package and MULTILINE; ``len(findall(block))`` is the number of matching lines."""
    body = p.body
    if not isinstance(body, Concat) or can_match_empty(p):
        return None
    items = body.items
    lead = 0
    while lead < len(items) and isinstance(items[lead], InlineFlags | Comment | Trivia):
        lead += 1
    split = literal_start(exact_texts(p, items), lead + 1, literal)
    if split is None or not _backward_safe(items[lead:split]):
        return None
    lowered = lowered_edits(p)
    if lowered is None:
        return None
    text, edits = lowered

    def at(offset: int) -> int:
        return offset + sum(len(new) - (end - start) for start, end, new in edits if end <= offset)

    start = at(items[lead].span.start)
    cut = at(items[split].span.start)
    nl = "\n" if "x" in node_flags(p).get(p, "") else ""  # a verbose comment must not eat ")"
    return text[:start] + "(?<=" + text[start:cut] + nl + ")(?:" + text[cut:] + nl + r")[^\n]*\n?"
