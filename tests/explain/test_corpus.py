"""The JSON document's facts against Python's own, over CPython's regex test corpus
(``Lib/test/re_tests.py``): for every pattern ``re`` accepts, ``groups``, ``group_names`` and
``width`` equal ``re.compile(p).groups``, ``.groupindex`` and ``re._parser`` ``getwidth()``."""

from __future__ import annotations

import json
import re
import re._parser as re_parser  # type: ignore[import-not-found, unused-ignore]
import warnings

import pytest

from rxp._explain._explain import explain_document

try:
    import test.re_tests as re_tests  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # pragma: no cover - a Python built without its test package
    re_tests = None


def _valid_patterns() -> list[str]:
    if re_tests is None:
        return []
    out: list[str] = []
    for case in re_tests.tests:
        pattern = case[0]
        if len(case) > 2 and case[2] == re_tests.SYNTAX_ERROR:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                re.compile(pattern)
            except re.error:
                continue
        if pattern not in out:
            out.append(pattern)
    return out


CORPUS = _valid_patterns()


def test_the_corpus_is_there() -> None:
    if re_tests is None:
        pytest.fail("test.re_tests is missing: install the Python test package")
    assert len(CORPUS) > 250  # 286 distinct valid patterns in CPython 3.11


def test_document_facts_equal_re_on_the_whole_corpus() -> None:
    disagreements = []
    for pattern in CORPUS:
        compiled = re.compile(pattern)
        lo, hi = re_parser.parse(pattern).getwidth()
        expected = {
            "groups": compiled.groups,
            "group_names": dict(compiled.groupindex),
            "width": {"min": lo, "max": None if hi >= re_parser.MAXWIDTH else hi},
        }
        doc = json.loads(json.dumps(explain_document(pattern)))
        got = {key: doc[key] for key in expected}
        if got != expected:
            disagreements.append((pattern, got, expected))
    assert disagreements == []
