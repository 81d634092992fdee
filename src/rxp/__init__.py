"""rxp: a regex workbench and grammar-based log parsing engine.

The public API lives here; the modules behind it are private (``rxp._parse``, ...).
Keep ``__all__`` sorted: ``tests/test_public_api.py`` checks the public surface.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from ._ast import (
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
from ._errors import PatternError, RxpError, error_document
from ._unparse import unparse

if TYPE_CHECKING:
    from ._analysis import (
        Anchoring,
        Width,
        anchoring,
        can_match_empty,
        flags_at,
        global_flags,
        group_count,
        group_names,
        groups,
        width,
    )
    from ._document import SCHEMA_VERSION, explain_document, to_json
    from ._explain import (
        ExplainedNode,
        ExplainWarning,
        Explanation,
        ExplanationRow,
        ExplanationSummary,
        GroupSummary,
        explain,
    )
    from ._logparse import parse_line, parse_lines, parse_stream
    from ._match import (
        GroupInfo,
        GroupResult,
        MatchReport,
        MatchResult,
        SubjectMatches,
        find_matches,
    )
    from ._parse import parse
    from ._redos import Hazard, backtracking_warnings
    from ._stream._api import LineMatch, ScanTimeoutWarning, SkippedLine, Submatch, scan

# Imported on first use, so ``import rxp`` stays cheap for commands that do not need them
# (``parse`` pulls in lark).
_LAZY = {
    "Anchoring": "._analysis",
    "Width": "._analysis",
    "anchoring": "._analysis",
    "can_match_empty": "._analysis",
    "flags_at": "._analysis",
    "global_flags": "._analysis",
    "group_count": "._analysis",
    "group_names": "._analysis",
    "groups": "._analysis",
    "width": "._analysis",
    "Hazard": "._redos",
    "backtracking_warnings": "._redos",
    "parse": "._parse",
    "SCHEMA_VERSION": "._document",
    "explain_document": "._document",
    "to_json": "._document",
    "ExplainWarning": "._explain",
    "ExplainedNode": "._explain",
    "Explanation": "._explain",
    "GroupSummary": "._explain",
    "ExplanationRow": "._explain",
    "ExplanationSummary": "._explain",
    "explain": "._explain",
    "parse_line": "._logparse",
    "parse_lines": "._logparse",
    "parse_stream": "._logparse",
    "GroupInfo": "._match",
    "GroupResult": "._match",
    "MatchReport": "._match",
    "MatchResult": "._match",
    "SubjectMatches": "._match",
    "find_matches": "._match",
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
    "parse",
    "parse_line",
    "parse_lines",
    "parse_stream",
    "scan",
    "to_json",
    "unparse",
    "width",
]
