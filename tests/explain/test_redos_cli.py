"""Backtracking hazards where users see them: ``rxp explain --json`` warnings."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_rxp


def explain_json(pattern: str) -> dict[str, object]:
    done = run_rxp("explain", "--json", "--", pattern, text=True)
    assert done.returncode == 0, done.stderr
    document: dict[str, object] = json.loads(done.stdout)
    return document


@pytest.mark.parametrize(
    ("pattern", "kind", "span"),
    [("^(\\w+\\s?)*$", "exponential", [1, 10]), ("x\\d+\\d+y", "polynomial", [1, 7])],
)
def test_explain_json_carries_the_hazard(pattern: str, kind: str, span: list[int]) -> None:
    warnings = explain_json(pattern)["warnings"]
    assert isinstance(warnings, list)
    assert [(w["kind"], w["span"]) for w in warnings] == [(kind, span)]


def test_explain_json_has_no_warning_for_an_everyday_pattern() -> None:
    pattern = "Failed password for (invalid user )?[^ ]+ from ([0-9.]+)"
    assert explain_json(pattern)["warnings"] == []
