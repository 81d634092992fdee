"""Properties of the parser on generated patterns: lossless printing, exact spans, and
accept/reject plus error position agreeing with Python's ``re`` on token soup."""

from __future__ import annotations

import re
import warnings

from hypothesis import HealthCheck, given, settings

from rxp import PatternError, parse, unparse
from rxp._syntax._ast import walk
from tests.syntax.strategies import flagged_patterns, patterns, token_soup

_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(patterns())
def test_printing_the_ast_gives_back_the_pattern(pattern: str) -> None:
    assert unparse(parse(pattern)) == pattern


@_SETTINGS
@given(flagged_patterns())
def test_flags_argument_changes_tokenising_but_stays_lossless(case: tuple[str, str]) -> None:
    pattern, flags = case
    tree = parse(pattern, flags=flags)
    assert unparse(tree) == pattern
    assert set(tree.flags) == set(flags)


@_SETTINGS
@given(patterns())
def test_every_span_is_exactly_the_text_of_its_node(pattern: str) -> None:
    for node in walk(parse(pattern)):
        assert node.span.slice(pattern) == unparse(node)


def _re(pattern: str) -> tuple[str, int | None] | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(pattern)
        except re.error as exc:
            return exc.msg, exc.pos
        except (OverflowError, RecursionError) as exc:
            return str(exc), None
    return None


def _rxp(pattern: str) -> tuple[str, int | None] | None:
    try:
        tree = parse(pattern)
    except PatternError as exc:
        return exc.message, exc.position
    assert unparse(tree) == pattern
    return None


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(token_soup())
def test_token_soup_agrees_with_re_on_acceptance_and_position(pattern: str) -> None:
    want, got = _re(pattern), _rxp(pattern)
    assert (want is None) == (got is None), (want, got)
    if want is not None and got is not None and want[1] is not None:
        assert want[1] == got[1], (want, got)
