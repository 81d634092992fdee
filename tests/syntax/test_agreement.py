"""rxp's parser and checks agree with Python's ``re`` (and ``regex``) on what is valid,
where an invalid pattern goes wrong, and on the facts explain reports.

The oracles are the engines themselves: ``re.compile`` / ``regex.compile`` for validity and
``re.error.pos``, ``.groups``, ``.groupindex`` and ``re._parser.parse(p).getwidth()``.
"""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rxp._syntax._parse import parse
from tests.syntax.oracles import (
    FLAG_BITS,
    Accepted,
    Rejected,
    agree,
    by_re,
    by_regex,
    by_rxp,
    by_rxp_regex,
)
from tests.syntax.strategies import regex_structured, structured

# --- CPython's own regex test suite ------------------------------------------------------


def corpus() -> list[str]:
    from test import re_tests  # type: ignore[import-not-found]

    patterns: list[str] = [case[0] for case in re_tests.tests]
    return patterns


def test_the_corpus_is_the_whole_cpython_suite() -> None:
    patterns = corpus()
    assert len(patterns) == 403
    # both directions are exercised: valid patterns and SYNTAX_ERROR cases
    verdicts = [by_re(p) for p in patterns]
    assert sum(isinstance(v, Rejected) for v in verdicts) > 20
    assert sum(isinstance(v, Accepted) for v in verdicts) > 300


@pytest.mark.parametrize("flags", ["", "i", "u"])  # the flag variants test_re runs
def test_agreement_with_re_on_the_cpython_corpus(flags: str) -> None:
    mismatches = []
    for pattern in corpus():
        expected, got = by_re(pattern, flags), by_rxp(pattern, flags)
        if not agree(expected, got):
            mismatches.append((pattern, expected, got))
    assert mismatches == []


# --- token soup --------------------------------------------------------------------------

TOKENS = [
    *"abx,01<>=:-^$.|| #\n{}[]",
    "(", "(", ")", ")", "(?", "(?P", "(?P<n>", "(?P<m>", "(?P<1>", "(?P=n)", "(?P=m)",
    r"\1", r"\2", r"\11", "(?<=", "(?<!", "(?=", "(?!", "(?(1)", "(?(2)", "(?(n)", "(?(0)",
    "[^", "{2,3}", "{3,2}", "{,2}", "{2}", "{2,}", "{99999999999}", "{4294967295}", "*", "+",
    "?", "+?", "*+", "??", "(?i)", "(?x)", "(?a)", "(?u)", "(?L)", "(?m)", "(?s)", "(?i-s:", "(?t)",
    "(?-a:", "(?a:", "(?u-i:", "(?i-i:", "(?:", "(?>", "(?#c)", r"\d", r"\w", r"\s", r"\b",
    r"\B", r"\A", r"\Z", r"\q", r"\x4", r"\x41", r"\u00e9", r"\U0001F600", r"\N{EM DASH}",
    r"\N{NOPE}", r"\0", r"\07", r"\777", "\\\\", "\\", "\x00",
]  # fmt: skip

soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup, st.sampled_from(["", "i", "x", "a", "u", "m"]))
def test_agreement_with_re_on_token_soup(pattern: str, flags: str) -> None:
    expected, got = by_re(pattern, flags), by_rxp(pattern, flags)
    assert agree(expected, got), (pattern, flags, expected, got)


@pytest.mark.parametrize(
    "pattern",
    [
        # each of these once disagreed, or sits on a boundary re draws
        r"a{4294967294}",
        r"a{4294967295}",
        r"a{0,4294967294}",
        r"(?:a{4294967294}){4294967294}",
        r"((a{4294967294}){4294967294}){2}",
        r"(?:)*",
        r"(a)|\1",
        r"(?<=(a))\1",
        r"(a)(?<=\1)",
        r"(?<=a(?(1)b|c))(x)",
        r"(?(1)a|b)",
        r"(?x) a  b # c",
    ],
)
def test_agreement_with_re_on_edge_cases(pattern: str) -> None:
    expected, got = by_re(pattern), by_rxp(pattern)
    assert agree(expected, got), (expected, got)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured, st.sampled_from(["", "i", "u", "a"]))
def test_agreement_with_re_on_structured_soup(pattern: str, flags: str) -> None:
    expected, got = by_re(pattern, flags), by_rxp(pattern, flags)
    assert agree(expected, got), (pattern, flags, expected, got)


# --- the regex flavour, against regex.compile ---------------------------------------------


@pytest.mark.parametrize("flags", ["", "i", "V1"])
def test_agreement_with_regex_on_the_cpython_corpus(flags: str) -> None:
    mismatches = []
    for pattern in corpus():
        expected, got = by_regex(pattern, flags), by_rxp_regex(pattern, flags)
        if not agree(expected, got):
            mismatches.append((pattern, expected, got))
    assert mismatches == []


REGEX_TOKENS = [
    *"ab,01<>=-^$.|| #\n{}[]",
    "(", "(", ")", ")", "(?P<n>", "(?<m>", "(?'n'", "(?P=n)", r"\g<1>", r"\g<n>", r"\1",
    r"\2", "(?<=", "(?<!", "(?=", "(?!", "(?(1)", "(?(2)", "(?(n)", "(?(DEFINE)", "(?(0)",
    "[^", "{2,3}", "{3,2}", "{2}", "*", "+", "?", "+?", "*+", "(?i)", "(?x)", "(?a)", "(?u)",
    "(?L)", "(?-i)", "(?V1)", "(?V0)", "(?b)", "(?e)", "(?r)", "(?p)", "(?w)", "(?f)",
    "(?i-s:", "(?:", "(?>", "(?#c)", r"\d", r"\w", r"\b", r"\A", r"\Z", r"\q", r"\x41",
    r"\p{L}", r"\P{N}", r"\pL", r"\p{Foo}", "[[:alpha:]]", "[[:^digit:]]", "{e<=1}",
    "{i<=1,d<=1}", "{e}", "(?|", "(?R)", "(?1)", "(?2)", "(?&n)", "(?&m)", "(?+1)", "(?-1)",
    "(?P>n)", r"\G", r"\K", r"\m", r"\M", "(*SKIP)", "(*FAIL)", "(*PRUNE)", "(*F)", "--",
    "&&", "~~", r"\L<w>", "\\\\", "\\",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(REGEX_TOKENS), min_size=1, max_size=12).map("".join),
    st.sampled_from(["", "i", "x", "V1", "a"]),
)
def test_agreement_with_regex_on_token_soup(pattern: str, flags: str) -> None:
    expected, got = by_regex(pattern, flags), by_rxp_regex(pattern, flags)
    assert agree(expected, got), (pattern, flags, expected, got)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regex_structured, st.sampled_from(["", "V1"]))
def test_agreement_with_regex_on_structured_soup(pattern: str, flags: str) -> None:
    expected, got = by_regex(pattern, flags), by_rxp_regex(pattern, flags)
    assert agree(expected, got), (pattern, flags, expected, got)


@pytest.mark.parametrize(
    "pattern",
    [
        # each of these once disagreed, or sits on a boundary regex draws
        r"(?P<n>(?P<n>\d{2,}))?(?1)",  # a name reused inside itself: a private group
        r"(?P<n>(?P<n>b|a|(?-1)?\2*)*)",
        r"(?|(a)|(b))(?1)",  # a number two groups share: ambiguous call
        r"(?P<a>x)(?P<a>y)(?1)",
        r"(?(1))",  # an empty conditional is dropped before its group is checked
        r"(?(1)(?#c)|(?i))",
        r"(?(1)\b)",
        r"[[:alpha:]](?V1){e<=1}(?V0)",  # flags between an item and its quantifier
        r"(?a)x(?u)",
        r"(?a)x(?u)(?-a)",
        r"x(?a)y",
        r"(x(?a)y)(?u)",
        r"(?<=a+)b",  # variable-width look-behind is fine in regex
        r"\g<x>(?P<x>a)",  # forward references are fine in regex
        r"(a)(?&x)",
        r"(a)(?2)",
        r"(a)(?(DEFINE)b)",
    ],
)
def test_agreement_with_regex_on_edge_cases(pattern: str) -> None:
    expected, got = by_regex(pattern), by_rxp_regex(pattern)
    assert agree(expected, got), (expected, got)


def _re_letters(bits: int) -> set[str]:
    table = {"a": re.A, "i": re.I, "L": re.L, "m": re.M, "s": re.S, "u": re.U, "x": re.X}
    return {letter for letter, bit in table.items() if bits & bit}


@pytest.mark.parametrize("flags", ["", "i", "a", "x"])
def test_global_flags_are_re_compiled_flags(flags: str) -> None:
    from rxp._syntax._flags import global_flags

    checked = 0
    for pattern in [*corpus(), "(?s)(?m)a", "(?#c)(?x) a", "(?a)\\w", "(?i)(?u)x"]:
        verdict = by_re(pattern, flags)
        if isinstance(verdict, Rejected):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = _re_letters(re.compile(pattern, FLAG_BITS[flags]).flags)
        assert set(global_flags(parse(pattern, flags=flags))) == expected, pattern
        checked += 1
    assert checked > 300
