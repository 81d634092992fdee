"""The values an explanation is made of: ``Explanation`` (what ``rxp.explain`` returns), its
summary, its tree of rows, its groups and its warnings. Plain frozen data; building them is
``_explain``'s job, printing them ``_render``'s and ``_document``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._syntax._ast import Flavor, Pattern, Span
from .._syntax._record import record

if TYPE_CHECKING:
    from .._analysis._examples import Example, NearMiss
    from .._analysis._idioms import Idiom
    from .._analysis._lints_core import Lint

__all__ = [
    "ExplainWarning",
    "ExplainedNode",
    "Explanation",
    "ExplanationRow",
    "ExplanationSummary",
    "GroupSummary",
]


@record
class ExplainedNode:
    """One row of the explanation tree: the pattern slice at ``span``, what kind of
    construct it is (an AST node kind, or ``"text"`` for a run of literals merged into one
    row), the English ``sentence``, and the rows nested under it."""

    span: Span
    kind: str
    text: str
    sentence: str
    children: tuple[ExplainedNode, ...] = ()


@record
class ExplanationRow:
    """A tree row flattened for printing: ``depth`` 0 is the top level."""

    depth: int
    span: Span
    kind: str
    text: str
    sentence: str


@record
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


@record
class ExplainWarning:
    """A catastrophic-backtracking hazard: ``kind`` is "exponential" or "polynomial",
    ``degree`` 2, 3, ... or "exponential"; ``attack`` (prefix, pump, suffix) is an input
    ``prefix + pump * n + suffix`` that the pattern rejects slowly, and ``verified`` says
    whether rxp saw the engine's time grow that way on it, within a small budget.
    ``search``: search's retry at every start offset is one of the loops (anchoring the
    pattern at the start lowers the degree by one)."""

    span: Span
    kind: str
    message: str
    degree: int | str = "exponential"
    attack: tuple[str, str, str] | None = None
    verified: bool = False
    search: bool = False


@record
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


@record
class Explanation:
    """What ``rxp explain`` shows: the summary of facts, the tree (its root stands for the
    whole pattern; its children are the top-level rows), any warnings, and the lints
    (``rxp._analysis._lints``: findings with a fix). ``intent`` is one sentence at the level
    of intent, naming the ``idioms`` recognised (``rxp._analysis._idioms``) and the shape of
    the rest (``_intent``); ``brief`` is ``intent`` as a sentence ("Matches ...."), which
    ``--brief`` prints; ``reading`` is the pattern read token by token in one sentence."""

    pattern: Pattern
    summary: ExplanationSummary
    tree: ExplainedNode
    brief: str
    reading: str
    warnings: tuple[ExplainWarning, ...]
    lints: tuple[Lint, ...] = ()
    intent: str = ""
    idioms: tuple[Idiom, ...] = ()
    examples: tuple[Example, ...] = ()
    near_misses: tuple[NearMiss, ...] = ()

    def text(self) -> str:
        """The explanation as ``rxp explain`` prints it without colour: the summary, then
        the aligned tree, then any warnings."""
        from ._render import render_text

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
