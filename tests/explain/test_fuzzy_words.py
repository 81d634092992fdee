"""Fuzzy constraints (regex flavour) in words, in the JSON document and through the CLI:
the sentence names what the parsed limits allow, with their numbers, and the facts
(width, empty match) are the engine's."""

from __future__ import annotations

import json
import warnings

import pytest
import regex
from hypothesis import HealthCheck, given, settings

from rxp import explain_document
from rxp._syntax._ast import Fuzzy, walk
from rxp._syntax._parse import parse
from tests.helpers import run_rxp
from tests.syntax.strategies import fuzzy_constraints

NOUNS = {"e": "error", "i": "insertion", "d": "deletion", "s": "substitution"}


def fuzzy_row(doc: dict[str, object]) -> dict[str, object]:
    stack = [doc["ast"]]
    while stack:
        node = stack.pop()
        assert isinstance(node, dict)
        if node["kind"] == "fuzzy":
            return node
        stack.extend(node["children"])
    raise AssertionError("no fuzzy node")


def says(pattern: str) -> str:
    explanation = fuzzy_row(explain_document(parse(pattern, flavor="regex")))["explanation"]
    assert isinstance(explanation, str)
    return explanation


@pytest.mark.parametrize(
    ("pattern", "words"),
    [  # the sentences issue 11 asks for
        ("(?:abc){e<=1}", "allowing at most one error (insertion, deletion or substitution)"),
        ("(?:abc){i<=2,d<=1}", "allowing up to 2 insertions and at most 1 deletion"),
        (
            "(?:abc){2i+2d+1s<=4}",
            "with errors costing 2 per insertion, 2 per deletion and 1 per substitution, "
            "at most 4 in total",
        ),
        ("(?:abc){e}", "allowing any number of errors"),
        ("(?:abc){e<=1:[a-z]}", "inserted or substituted character must be a lowercase letter"),
    ],
)
def test_the_sentences_the_issue_asks_for(pattern: str, words: str) -> None:
    assert words in says(pattern)


def mentions(sentence: str, n: int, kind: str) -> bool:
    return str(n) in sentence or (n == 1 and kind == "e" and "one" in sentence)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzy_constraints())
def test_every_constraint_is_said_with_its_numbers(braces: str) -> None:
    pattern = "(?:abc)" + braces
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            regex.compile(pattern)
        except regex.error:
            return
    tree = parse(pattern, flavor="regex")
    node = next((n for n in walk(tree) if isinstance(n, Fuzzy)), None)
    if node is None:
        return
    doc = explain_document(tree)
    row = fuzzy_row(doc)
    sentence = str(row["explanation"])
    assert "{" not in sentence and "<" not in sentence, sentence  # words, not the syntax
    by_kind = [lim for lim in node.limits if lim.kind != "e"]
    for limit in node.limits:
        if limit.kind == "e" and by_kind:
            continue  # said only where it limits more than the kinds' own limits do
        assert NOUNS[limit.kind] in sentence, sentence
        if limit.max is not None and limit.max > 0:
            assert mentions(sentence, limit.max, limit.kind), (limit, sentence)
        if limit.min > 0:
            assert mentions(sentence, limit.min, limit.kind), (limit, sentence)
    if node.cost is not None:
        for kind in "ids":
            cost = getattr(node.cost, kind)
            if cost is not None:
                assert f"{cost} per {NOUNS[kind]}" in sentence, sentence
        assert f"at most {node.cost.max} in total" in sentence, sentence
    if node.test is not None:
        test_row = row["children"][-1]  # type: ignore[index]
        assert test_row["span"] == [node.test.span.start, node.test.span.end]
        assert test_row["explanation"] in sentence
    json.dumps(doc)  # every new field is JSON-ready


def test_the_json_document_holds_the_typed_constraint() -> None:
    pattern = "(?:abc){1<=e<=2,i<3,2i+1d<=4:[a-z]}"
    row = fuzzy_row(explain_document(parse(pattern, flavor="regex")))
    assert row["limits"] == [
        {"span": [8, 15], "kind": "e", "min": 1, "max": 2},
        {"span": [16, 19], "kind": "i", "min": 0, "max": 2},
    ]
    assert pattern[8:15] == "1<=e<=2" and pattern[16:19] == "i<3"
    assert row["cost"] == {"span": [20, 28], "i": 2, "d": 1, "s": None, "max": 4}
    assert pattern[20:28] == "2i+1d<=4"
    children = row["children"]
    assert isinstance(children, list)
    assert [child["kind"] for child in children] == ["non_capture", "class"]


def test_explain_json_reports_what_the_engine_matches() -> None:
    pattern = "(?:abc){e<=1}"
    done = run_rxp("explain", "--flavor", "regex", "--json", pattern, text=True)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    compiled = regex.compile(pattern)
    assert doc["matches_empty"] == (compiled.fullmatch("") is not None) == False  # noqa: E712
    low, high = doc["width"]["min"], doc["width"]["max"]
    for text in ("", "a", "ab", "abc", "abcd", "abcde", "xbc", "bc", "xabcx"):
        if compiled.fullmatch(text) is not None:
            assert low <= len(text) <= high, text
    assert compiled.fullmatch("ab") and compiled.fullmatch("abcd")  # both ends are reached
    assert (low, high) == (2, 4)
    assert "allowing at most one error" in doc["reading"] + json.dumps(doc["rows"])
