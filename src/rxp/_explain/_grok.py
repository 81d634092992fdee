"""``rxp explain --grok``: the expanded regex explained, each grok reference named where it
was used.

The expansion is ``rxp._syntax._grok``'s; its ``uses`` give the span each ``%{NAME:field}``
became. The tree row for that span (or, where the tree folds a quantifier into the row of
what it repeats, the row that starts there and holds it) has its sentence prefixed with the
reference as written: ``%{SYSLOGTIMESTAMP:timestamp}: a group captured as ...``. Everything
else is ``explain``'s: the same summary, groups, warnings and lints.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._syntax._ast import Span
from .._syntax._grok import Grok, compile_grok
from .._syntax._record import replace
from ._explain import explain
from ._model import ExplainedNode, Explanation

__all__ = ["explain_grok", "label_uses"]


def explain_grok(expression: str, definitions: Mapping[str, str] | None = None) -> Explanation:
    """Explain the grok ``expression`` (standard library plus ``definitions``). Raises
    ``RxpError`` for an unknown name or an expansion no engine accepts."""
    grok = compile_grok(expression, definitions)
    return label_uses(explain(grok.pattern), grok)


def _row_spans(tree: ExplainedNode) -> list[Span]:
    spans: list[Span] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        spans.append(node.span)
        stack.extend(node.children)
    return spans


def label_uses(result: Explanation, grok: Grok) -> Explanation:
    """``result`` with each reference's row saying which reference it is."""
    spans = _row_spans(result.tree)
    labels: dict[Span, list[str]] = {}
    for use in grok.uses:
        holding = [s for s in spans if s.start == use.span.start and s.end >= use.span.end]
        if holding:
            target = min(holding, key=lambda s: s.end)
            labels.setdefault(target, []).append(use.ref.text)

    done: set[Span] = set()

    def relabel(node: ExplainedNode) -> ExplainedNode:
        names = None
        if node is not result.tree and node.span in labels and node.span not in done:
            done.add(node.span)  # the outermost row of a span, not a child that repeats it
            names = labels[node.span]
        kids = tuple(relabel(child) for child in node.children)
        if not names:
            return replace(node, children=kids) if kids != node.children else node
        # references nested to the same span were recorded inner first: outermost first
        said = ", ".join(reversed(names)) + ": " + node.sentence
        return replace(node, sentence=said, children=kids)

    return replace(result, tree=relabel(result.tree))
