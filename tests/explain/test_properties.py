"""Properties of the explain fold and the JSON document over generated patterns: every
node is explained, every slice is exact, spans nest, and the facts agree with Python's re."""

from __future__ import annotations

import itertools
import json
import re
import re._parser as re_parser  # type: ignore[import-not-found, unused-ignore]
import warnings

from hypothesis import HealthCheck, given, settings

from rxp._explain._explain import explain, explain_document
from tests.syntax.strategies import flagged_patterns, patterns

# 60 examples a property: explain runs the engine on each pattern, and the suite's time is
# budgeted (under 10 minutes with coverage on two cores)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def re_width(pattern: str, flags: int = 0) -> dict[str, int | None]:
    lo, hi = re_parser.parse(pattern, flags).getwidth()
    return {"min": lo, "max": None if hi >= re_parser.MAXWIDTH else hi}


def re_flags(letters: str) -> int:
    bits = 0
    for letter in letters:
        bits |= getattr(re, letter.upper())
    return bits


@SETTINGS
@given(flagged_patterns())
def test_every_row_is_an_exact_slice_with_a_sentence(case: tuple[str, str]) -> None:
    pattern, flags = case
    result = explain(pattern, flags=flags)
    for row in result.rows():
        assert row.sentence.strip(), row
        assert row.text == pattern[row.span.start : row.span.end]
    # children lie inside their parents
    stack = [result.tree]
    while stack:
        node = stack.pop()
        for child in node.children:
            assert node.span.start <= child.span.start <= child.span.end <= node.span.end
            stack.append(child)
    assert result.brief.startswith("Matches ") and result.brief.endswith(".")


def _check_ast(node: dict[str, object], pattern: str, outer: tuple[int, int]) -> int:
    start, end = node["span"]  # type: ignore[misc]
    assert outer[0] <= start <= end <= outer[1]
    assert node["text"] == pattern[start:end]
    assert isinstance(node["explanation"], str) and node["explanation"].strip()
    assert isinstance(node["kind"], str)
    count = 1
    for child in node["children"]:  # type: ignore[attr-defined]
        count += _check_ast(child, pattern, (start, end))
    return count


@SETTINGS
@given(flagged_patterns())
def test_json_document_loads_and_its_ast_nests(case: tuple[str, str]) -> None:
    pattern, flags = case
    doc = json.loads(json.dumps(explain_document(pattern, flags=flags)))
    assert doc["schema_version"] == "2.0"
    assert doc["pattern"] == pattern
    assert _check_ast(doc["ast"], pattern, (0, len(pattern))) >= 2


@SETTINGS
@given(flagged_patterns())
def test_groups_names_and_width_agree_with_re(case: tuple[str, str]) -> None:
    pattern, flags = case
    with warnings.catch_warnings():  # re's FutureWarnings ("possible set union") are noise here
        warnings.simplefilter("ignore")
        compiled = re.compile(pattern, re_flags(flags))
        width = re_width(pattern, re_flags(flags))
    doc = explain_document(pattern, flags=flags)
    assert doc["groups"] == compiled.groups
    assert doc["group_names"] == dict(compiled.groupindex)
    assert doc["width"] == width


@SETTINGS
@given(patterns())
def test_rows_cover_the_pattern_left_to_right(pattern: str) -> None:
    top = [row for row in explain(pattern).rows() if row.depth == 0]
    assert [r.span.start for r in top] == sorted(r.span.start for r in top)
    for before, after in itertools.pairwise(top):
        assert before.span.end <= after.span.start


@SETTINGS
@given(patterns("regex"))
def test_regex_flavour_every_node_is_explained(pattern: str) -> None:
    result = explain(pattern, flavor="regex")
    for row in result.rows():
        assert row.sentence.strip()
        assert row.text == pattern[row.span.start : row.span.end]
    doc = json.loads(json.dumps(explain_document(pattern, flavor="regex")))
    assert doc["flavor"] == "regex"
    assert _check_ast(doc["ast"], pattern, (0, len(pattern))) >= 2
