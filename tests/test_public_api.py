"""The public surface of ``import rxp``, as httpx checks its own: ``__all__`` lists exactly
the public names, sorted as ruff sorts it, and every listed name resolves (lazy ones too)."""

from __future__ import annotations

import subprocess
import sys

import rxp

EXPECTED = {
    # the AST
    "Alternation",
    "Anchor",
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
    "Flavor",
    "Fuzzy",
    "InlineFlags",
    "Literal",
    "Lookaround",
    "NamedList",
    "Node",
    "NonCapture",
    "Pattern",
    "PosixClass",
    "Property",
    "Recursion",
    "Repeat",
    "Span",
    "Trivia",
    "Verb",
    # parsing and errors
    "PatternError",
    "RxpError",
    "error_document",
    "parse",
    "unparse",
    # facts about a pattern
    "Anchoring",
    "Hazard",
    "Width",
    "anchoring",
    "backtracking_warnings",
    "can_match_empty",
    "flags_at",
    "global_flags",
    "group_count",
    "group_names",
    "groups",
    "width",
    # explain
    "ExplainWarning",
    "ExplainedNode",
    "Explanation",
    "ExplanationRow",
    "ExplanationSummary",
    "GroupSummary",
    "SCHEMA_VERSION",
    "explain",
    "explain_document",
    "to_json",
    # test / stream
    "GroupInfo",
    "GroupResult",
    "MatchReport",
    "MatchResult",
    "SubjectMatches",
    "find_matches",
    "LineMatch",
    "ScanTimeoutWarning",
    "SkippedLine",
    "Submatch",
    "scan",
    # log parsing
    "parse_line",
    "parse_lines",
    "parse_stream",
    # log templates
    "Mining",
    "Template",
    "mine_lines",
    "__version__",
}


def _ruff_order(names: list[str]) -> list[str]:
    # RUF022's isort-style order: SCREAMING_CASE, then CamelCase, then the rest.
    def key(name: str) -> tuple[int, str]:
        if name.isupper() and len(name) > 1:
            return (0, name)
        if name[:1].isupper():
            return (1, name)
        return (2, name)

    return sorted(names, key=key)


def test_all_is_exactly_the_public_surface() -> None:
    assert set(rxp.__all__) == EXPECTED


def test_all_is_sorted_and_has_no_duplicates() -> None:
    assert rxp.__all__ == _ruff_order(list(rxp.__all__))
    assert len(set(rxp.__all__)) == len(rxp.__all__)


def test_every_public_name_resolves() -> None:
    for name in rxp.__all__:
        assert getattr(rxp, name) is not None, name


def test_public_names_outside_all_are_private_or_modules() -> None:
    public = {n for n in dir(rxp) if not n.startswith("_")}
    import types

    stray = {
        n for n in public - set(rxp.__all__) if not isinstance(getattr(rxp, n), types.ModuleType)
    }
    assert stray <= {"annotations", "TYPE_CHECKING"}, stray


def test_importing_rxp_stays_cheap() -> None:
    heavy = "('lark', 'rich', 'typer', 'pydantic')"
    code = f"import sys, rxp; print(sorted(m for m in {heavy} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stdout
