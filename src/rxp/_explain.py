"""The explain fold: a parsed regex to plain English.

``explain(pattern)`` returns an ``Explanation``: a summary of facts (flags, anchoring, widths,
groups), a tree of rows (a slice of the pattern and one sentence each) and a one-sentence
brief. ``annotate(pattern)`` is the lower-level fold the JSON document uses: every AST node
paired with its sentence and the flags in effect there.

Contracts: every row's ``text`` is exactly ``pattern[span.start:span.end]``; every sentence
is non-empty; a child's span lies inside its parent's. Nothing here prints or reads input.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from . import _analysis as facts
from ._ast import Anchor, Comment, Concat, Flavor, InlineFlags, Node, Pattern, Span, Trivia
from ._explain_phrases import Ctx, inline
from ._explain_phrases import sentence as node_sentence
from ._explain_words import FLAG_WORDS
from ._flags import split_flags

__all__ = [
    "Annotated",
    "ExplainWarning",
    "ExplainedNode",
    "Explanation",
    "ExplanationRow",
    "ExplanationSummary",
    "GroupSummary",
    "annotate",
    "deep_recursion",
    "explain",
    "node_kind",
]


def node_kind(node: Node) -> str:
    """The snake_case kind of an AST node, as the JSON document names it: ``class_escape``."""
    name = type(node).__name__
    return "".join("_" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(name))


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainedNode:
    """One row of the explanation tree: the pattern slice at ``span``, what kind of
    construct it is (an AST node kind, or ``"text"`` for a run of literals merged into one
    row), the English ``sentence``, and the rows nested under it."""

    span: Span
    kind: str
    text: str
    sentence: str
    children: tuple[ExplainedNode, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplanationRow:
    """A tree row flattened for printing: ``depth`` 0 is the top level."""

    depth: int
    span: Span
    kind: str
    text: str
    sentence: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupSummary:
    """One capturing group: its number, name, span and slice; ``optional`` when the pattern
    can match without it participating; ``repeated`` when it sits under a quantifier that can
    run it more than once, so only the last iteration is captured."""

    index: int
    name: str | None
    span: Span
    text: str
    optional: bool
    repeated: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainWarning:
    """A hazard or lint finding about the pattern: ``kind`` is a short identifier."""

    span: Span
    kind: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplanationSummary:
    """Facts about the whole pattern. ``flags`` are the letters in effect for the whole
    pattern (those passed in plus global inline flags, with the implied ``u`` of ``str``
    patterns); ``anchored_start``/``anchored_end`` are ``"text"``, ``"line"`` or None;
    ``max_width`` is None when unbounded."""

    flavor: Flavor
    flags: str
    flag_words: tuple[str, ...]
    anchored_start: str | None
    anchored_end: str | None
    anchoring: str
    min_width: int
    max_width: int | None
    matches_empty: bool
    groups: tuple[GroupSummary, ...]
    group_names: dict[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Explanation:
    """What ``rxp explain`` shows: the summary, the tree (its root stands for the whole
    pattern; its children are the top-level rows), the brief and any warnings."""

    pattern: Pattern
    summary: ExplanationSummary
    tree: ExplainedNode
    brief: str
    warnings: tuple[ExplainWarning, ...]

    def text(self) -> str:
        """The explanation as ``rxp explain`` prints it without colour: the summary, then
        the aligned tree, then any warnings."""
        from ._render_explain import render_text

        return render_text(self)

    def document(self) -> dict[str, object]:
        """The versioned JSON document (see ``docs/explain-json.md``)."""
        from ._document import document_of

        return document_of(self)

    def rows(self) -> tuple[ExplanationRow, ...]:
        """The tree's rows below the root, parents before children, in written order."""
        out: list[ExplanationRow] = []
        stack = [(0, child) for child in reversed(self.tree.children)]
        while stack:
            depth, node = stack.pop()
            out.append(
                ExplanationRow(
                    depth=depth,
                    span=node.span,
                    kind=node.kind,
                    text=node.text,
                    sentence=node.sentence,
                )
            )
            stack.extend((depth + 1, c) for c in reversed(node.children))
        return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotated:
    """An AST node with the flags in effect at it and its sentence; ``children`` mirror
    ``rxp._ast.children(node)`` one for one."""

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
    from ._ast import children

    ctx = Ctx.root(pattern)

    def go(node: Node) -> Annotated:
        return Annotated(
            node=node,
            flags=ctx.at(node).flags,
            sentence=node_sentence(node, ctx),
            children=tuple(go(k) for k in children(node)),
        )

    return go(pattern)


def explain(pattern: str | Pattern, *, flavor: Flavor = "re", flags: str | int = 0) -> Explanation:
    """Explain ``pattern`` (text, parsed here with ``flavor`` and ``flags``, or an AST).

    Raises ``rxp.PatternError`` for an invalid pattern.
    """
    if isinstance(pattern, str):
        from ._parse import parse

        pattern = parse(pattern, flavor=flavor, flags=flags)
    from ._explain_tree import display_tree

    with deep_recursion():
        ctx = Ctx.root(pattern)
        summary = _summary(pattern, ctx)
        tree = display_tree(pattern, ctx)
        brief = _brief(pattern, ctx, summary)
        warnings = _warnings(pattern)
    return Explanation(pattern=pattern, summary=summary, tree=tree, brief=brief, warnings=warnings)


def _summary(pattern: Pattern, ctx: Ctx) -> ExplanationSummary:
    width = facts.width(pattern)
    anchoring = facts.anchoring(pattern)
    groups = tuple(
        GroupSummary(
            index=g.index,
            name=g.name,
            span=g.span,
            text=g.span.slice(pattern.text),
            optional=g.optional,
            repeated=g.repeated,
        )
        for g in facts.groups(pattern)
    )
    letters = split_flags(facts.global_flags(pattern))
    return ExplanationSummary(
        flavor=pattern.flavor,
        flags="".join(letters),
        flag_words=tuple(FLAG_WORDS.get(f, f) for f in letters),
        anchored_start=anchoring.start,
        anchored_end=anchoring.end,
        anchoring=_anchoring_sentence(anchoring.start, anchoring.end),
        min_width=width.min,
        max_width=width.max,
        matches_empty=facts.can_match_empty(pattern),
        groups=groups,
        group_names=facts.group_names(pattern),
    )


def _warnings(pattern: Pattern) -> tuple[ExplainWarning, ...]:
    from ._redos import backtracking_warnings

    return tuple(
        ExplainWarning(span=h.span, kind=h.kind, message=h.message)
        for h in backtracking_warnings(pattern)
    )


def _anchoring_sentence(start: str | None, end: str | None) -> str:
    where = {"text": "the text", "line": "a line"}
    if start is None and end is None:
        return "not anchored: a match can start and end anywhere"
    if start is not None and end is not None:
        if start == end:
            return f"anchored at the start and the end of {where[start]}"
        return f"anchored at the start of {where[start]} and the end of {where[end]}"
    if start is not None:
        return f"anchored at the start of {where[start]} only"
    assert end is not None
    return f"anchored at the end of {where[end]} only"


_BRIEF_LIMIT = 320


def _brief(pattern: Pattern, ctx: Ctx, summary: ExplanationSummary) -> str:
    """One sentence: what the whole pattern matches, shortened by nesting depth until it
    reads in one breath. Anchors that open or close the pattern become words around it."""
    body = pattern.body
    items = _no_trivia(list(body.items) if isinstance(body, Concat) else [body])
    start = _edge_anchor(items[0], ctx, first=True) if items else None
    end = _edge_anchor(items[-1], ctx, first=False) if len(items) > 1 else None
    core = items[(start is not None) : len(items) - (end is not None)]
    whole: Node | None = None
    if len(core) == 1:
        whole = core[0]
    elif core:
        whole = Concat(span=Span(core[0].span.start, core[-1].span.end), items=tuple(core))
    text = "the empty string"
    # A long pattern starts shallow: the deeper readings could only be longer.
    depths = (3, 2, 1, 0) if len(pattern.text) <= 400 else (0,)
    for depth in depths:
        if whole is None:
            break
        text = inline(whole, ctx, depth)
        if len(text) <= _BRIEF_LIMIT:
            break
    if len(text) > 2 * _BRIEF_LIMIT:
        cut = text.rfind(", then ", 0, _BRIEF_LIMIT)
        if cut > 0:
            text = text[:cut] + ", then more (see the full explanation)"
    place = {"text": "the text", "line": "a line"}
    if start and end and start == end:
        text = f"a whole {start}: {text}"
    elif start and end:
        text = f"{text}, from the start of {place[start]} to the end of {place[end]}"
    elif start:
        text = f"{text}, at the start of {place[start]}"
    elif end:
        text = f"{text}, at the end of {place[end]}"
    words = [w for w in summary.flag_words if not w.startswith(("Unicode", "version 0"))]
    extra = f" (flags: {'; '.join(words)})" if words else ""
    return f"Matches {text}{extra}."


def _no_trivia(items: list[Node]) -> list[Node]:
    return [i for i in items if not isinstance(i, Trivia | Comment | InlineFlags)]


def _edge_anchor(node: Node, ctx: Ctx, *, first: bool) -> str | None:
    if not isinstance(node, Anchor):
        return None
    multiline = "m" in ctx.at(node).flags
    kinds = ("line_start", "text_start") if first else ("line_end", "text_end")
    if node.kind not in kinds:
        return None
    if node.kind == kinds[0] and multiline:
        return "line"
    return "text"
