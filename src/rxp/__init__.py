"""rxp: a regex workbench and grammar-based log parsing engine.

The public API lives here; the packages behind it are private (``rxp._syntax``,
``rxp._explain``, ...; ``docs/architecture.md`` maps them).
Keep ``__all__`` sorted: ``tests/test_public_api.py`` checks the public surface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._cache import VERSION as __version__
from ._errors import PatternError, RxpError, error_document

if TYPE_CHECKING:
    from ._analysis._anchoring import Anchoring, anchoring
    from ._analysis._groups import group_count, group_names, groups
    from ._analysis._redos import Hazard, backtracking_warnings
    from ._explain._document import SCHEMA_VERSION, to_json
    from ._explain._explain import explain, explain_document
    from ._explain._model import (
        ExplainedNode,
        ExplainWarning,
        Explanation,
        ExplanationRow,
        ExplanationSummary,
        GroupSummary,
    )
    from ._logparse import parse_line, parse_lines, parse_stream
    from ._match._report import (
        GroupInfo,
        GroupResult,
        MatchReport,
        MatchResult,
        SubjectMatches,
        find_matches,
    )
    from ._mine import Mining, Template, mine_lines
    from ._stream._api import LineMatch, ScanTimeoutWarning, SkippedLine, Submatch, scan
    from ._syntax._ast import (
        Alternation,
        Anchor,
        Atomic,
        Backref,
        BranchReset,
        Capture,
        Class,
        ClassEscape,
        ClassRange,
        ClassSetOp,
        Comment,
        Concat,
        Conditional,
        Dot,
        Empty,
        Flavor,
        Fuzzy,
        InlineFlags,
        Literal,
        Lookaround,
        NamedList,
        Node,
        NonCapture,
        Pattern,
        PosixClass,
        Property,
        Recursion,
        Repeat,
        Span,
        Trivia,
        Verb,
    )
    from ._syntax._flags import flags_at, global_flags
    from ._syntax._parse import parse
    from ._syntax._unparse import unparse
    from ._syntax._width import Width, can_match_empty, width

# Imported on first use, so ``import rxp`` stays cheap for commands that do not need them
# (``parse`` pulls in lark; even the AST's classes take ~17 ms to define, and a cached
# ``rxp stream`` run never needs them).
_LAZY = {
    "Alternation": "._syntax._ast",
    "Anchor": "._syntax._ast",
    "Atomic": "._syntax._ast",
    "Backref": "._syntax._ast",
    "BranchReset": "._syntax._ast",
    "Capture": "._syntax._ast",
    "Class": "._syntax._ast",
    "ClassEscape": "._syntax._ast",
    "ClassRange": "._syntax._ast",
    "ClassSetOp": "._syntax._ast",
    "Comment": "._syntax._ast",
    "Concat": "._syntax._ast",
    "Conditional": "._syntax._ast",
    "Dot": "._syntax._ast",
    "Empty": "._syntax._ast",
    "Flavor": "._syntax._ast",
    "Fuzzy": "._syntax._ast",
    "InlineFlags": "._syntax._ast",
    "Literal": "._syntax._ast",
    "Lookaround": "._syntax._ast",
    "NamedList": "._syntax._ast",
    "Node": "._syntax._ast",
    "NonCapture": "._syntax._ast",
    "Pattern": "._syntax._ast",
    "PosixClass": "._syntax._ast",
    "Property": "._syntax._ast",
    "Recursion": "._syntax._ast",
    "Repeat": "._syntax._ast",
    "Span": "._syntax._ast",
    "Trivia": "._syntax._ast",
    "Verb": "._syntax._ast",
    "unparse": "._syntax._unparse",
    "Anchoring": "._analysis._anchoring",
    "Width": "._syntax._width",
    "anchoring": "._analysis._anchoring",
    "can_match_empty": "._syntax._width",
    "flags_at": "._syntax._flags",
    "global_flags": "._syntax._flags",
    "group_count": "._analysis._groups",
    "group_names": "._analysis._groups",
    "groups": "._analysis._groups",
    "width": "._syntax._width",
    "Hazard": "._analysis._redos",
    "backtracking_warnings": "._analysis._redos",
    "parse": "._syntax._parse",
    "SCHEMA_VERSION": "._explain._document",
    "explain_document": "._explain._explain",
    "to_json": "._explain._document",
    "ExplainWarning": "._explain._model",
    "ExplainedNode": "._explain._model",
    "Explanation": "._explain._model",
    "GroupSummary": "._explain._model",
    "ExplanationRow": "._explain._model",
    "ExplanationSummary": "._explain._model",
    "explain": "._explain._explain",
    "Mining": "._mine",
    "Template": "._mine",
    "mine_lines": "._mine",
    "parse_line": "._logparse",
    "parse_lines": "._logparse",
    "parse_stream": "._logparse",
    "GroupInfo": "._match._report",
    "GroupResult": "._match._report",
    "MatchReport": "._match._report",
    "MatchResult": "._match._report",
    "SubjectMatches": "._match._report",
    "find_matches": "._match._report",
    "LineMatch": "._stream._api",
    "ScanTimeoutWarning": "._stream._api",
    "SkippedLine": "._stream._api",
    "Submatch": "._stream._api",
    "scan": "._stream._api",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rxp' has no attribute {name!r}")
    import importlib

    value: object = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "SCHEMA_VERSION",
    "Alternation",
    "Anchor",
    "Anchoring",
    "Atomic",
    "Backref",
    "BranchReset",
    "Capture",
    "Class",
    "ClassEscape",
    "ClassRange",
    "ClassSetOp",
    "Comment",
    "Concat",
    "Conditional",
    "Dot",
    "Empty",
    "ExplainWarning",
    "ExplainedNode",
    "Explanation",
    "ExplanationRow",
    "ExplanationSummary",
    "Flavor",
    "Fuzzy",
    "GroupInfo",
    "GroupResult",
    "GroupSummary",
    "Hazard",
    "InlineFlags",
    "LineMatch",
    "Literal",
    "Lookaround",
    "MatchReport",
    "MatchResult",
    "Mining",
    "NamedList",
    "Node",
    "NonCapture",
    "Pattern",
    "PatternError",
    "PosixClass",
    "Property",
    "Recursion",
    "Repeat",
    "RxpError",
    "ScanTimeoutWarning",
    "SkippedLine",
    "Span",
    "SubjectMatches",
    "Submatch",
    "Template",
    "Trivia",
    "Verb",
    "Width",
    "__version__",
    "anchoring",
    "backtracking_warnings",
    "can_match_empty",
    "error_document",
    "explain",
    "explain_document",
    "find_matches",
    "flags_at",
    "global_flags",
    "group_count",
    "group_names",
    "groups",
    "mine_lines",
    "parse",
    "parse_line",
    "parse_lines",
    "parse_stream",
    "scan",
    "to_json",
    "unparse",
    "width",
]
