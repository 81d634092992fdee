"""The explain fold: a parsed regex to plain English.

``explain(pattern)`` returns an ``Explanation``: a summary of facts (flags, anchoring, widths,
groups), a tree of rows (a slice of the pattern and one sentence each, ``_tree``) and a
one-sentence brief. ``explain_document(pattern)`` is the same explanation as the versioned JSON
document (``_document``).

Contracts: every row's ``text`` is exactly ``pattern[span.start:span.end]``; every sentence
is non-empty; a child's span lies inside its parent's. Nothing here prints or reads input.
"""

from __future__ import annotations

from .._analysis._anchoring import anchoring
from .._analysis._groups import group_names, groups
from .._syntax._ast import Anchor, Comment, Concat, Flavor, InlineFlags, Node, Pattern, Span, Trivia
from .._syntax._flags import global_flags, split_flags
from .._syntax._width import can_match_empty, width
from ._annotate import deep_recursion
from ._document import Json, document_of
from ._model import ExplainWarning, Explanation, ExplanationSummary, GroupSummary
from ._sentences import Ctx, inline
from ._words import FLAG_WORDS

__all__ = ["explain", "explain_document"]


def explain(pattern: str | Pattern, *, flavor: Flavor = "re", flags: str | int = 0) -> Explanation:
    """Explain ``pattern`` (text, parsed here with ``flavor`` and ``flags``, or an AST).

    Raises ``rxp.PatternError`` for an invalid pattern.
    """
    if isinstance(pattern, str):
        from .._syntax._parse import parse

        pattern = parse(pattern, flavor=flavor, flags=flags)
    from ._tree import display_tree

    with deep_recursion():
        ctx = Ctx.root(pattern)
        summary = _summary(pattern, ctx)
        tree = display_tree(pattern, ctx)
        reading = _brief(pattern, ctx, summary)
        warnings = _warnings(pattern)
    from .._analysis._examples import examples, near_misses
    from .._analysis._idioms import idioms
    from .._analysis._lints import lints
    from ._intent import summary as intent_of

    hazardous = bool(warnings)  # every warning is a backtracking hazard
    matching = examples(pattern, hazardous=hazardous)
    missing = near_misses(pattern, hazardous=hazardous)
    found = idioms(pattern)
    intent = intent_of(pattern, found, matching[0].text if matching else None)
    return Explanation(
        pattern=pattern,
        summary=summary,
        tree=tree,
        brief=f"Matches {intent}.",
        reading=reading,
        warnings=warnings,
        lints=lints(pattern),
        intent=intent,
        idioms=found,
        examples=matching,
        near_misses=missing,
    )


def explain_document(
    pattern: str | Pattern, *, flavor: Flavor = "re", flags: str | int = 0
) -> Json:
    """The versioned JSON document for ``pattern`` (see ``docs/explain-json.md``).

    Raises ``rxp.PatternError`` for an invalid pattern; ``rxp.error_document`` gives the
    matching ``{"error": ...}`` form.
    """
    return document_of(explain(pattern, flavor=flavor, flags=flags))


def _summary(pattern: Pattern, ctx: Ctx) -> ExplanationSummary:
    extent = width(pattern)
    anchored = anchoring(pattern)
    captures = tuple(
        GroupSummary(
            index=g.index,
            name=g.name,
            span=g.span,
            text=g.span.slice(pattern.text),
            optional=g.optional,
            repeated=g.repeated,
        )
        for g in groups(pattern)
    )
    letters = split_flags(global_flags(pattern))
    return ExplanationSummary(
        flavor=pattern.flavor,
        flags="".join(letters),
        flag_words=tuple(FLAG_WORDS.get(f, f) for f in letters),
        anchored_start=anchored.start,
        anchored_end=anchored.end,
        anchoring=_anchoring_sentence(anchored.start, anchored.end),
        min_width=extent.min,
        max_width=extent.max,
        matches_empty=can_match_empty(pattern),
        groups=captures,
        group_names=group_names(pattern),
    )


def _warnings(pattern: Pattern) -> tuple[ExplainWarning, ...]:
    from .._analysis._redos import backtracking_warnings, verify

    out: list[ExplainWarning] = []
    for rank, h in enumerate(backtracking_warnings(pattern)):
        attack = h.attack
        # the engine confirms each attack before it is reported as verified: a small budget
        # each, for the first few (a pattern with more hazards has made its point)
        proven = attack is not None and rank < _VERIFIED_HAZARDS and verify(pattern, h, budget=0.1)
        out.append(
            ExplainWarning(
                span=h.span,
                kind=h.kind,
                message=h.message,
                degree=h.degree,
                attack=None if attack is None else (attack.prefix, attack.pump, attack.suffix),
                verified=proven,
                search=h.search,
            )
        )
    return tuple(out)


_VERIFIED_HAZARDS = 3


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
