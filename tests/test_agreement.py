"""rxp's parser and checks agree with Python's ``re`` (and ``regex``) on what is valid,
where an invalid pattern goes wrong, and on the facts explain reports.

The oracles are the engines themselves: ``re.compile`` / ``regex.compile`` for validity and
``re.error.pos``, ``.groups``, ``.groupindex`` and ``re._parser.parse(p).getwidth()``.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rxp._analysis._groups import group_count, group_names
from rxp._errors import PatternError
from rxp._syntax._parse import parse
from rxp._syntax._width import width

# re._parser.getwidth caps lengths at MAXWIDTH (2**64) in 3.11.7+; older 3.11 releases
# capped the maximum at MAXREPEAT. Either way a maximum at the cap means unbounded.
_CAP = getattr(re._parser, "MAXWIDTH", re._constants.MAXREPEAT)  # type: ignore[attr-defined]
_FLAG_BITS = {"": 0, "i": re.I, "u": re.U, "a": re.A, "m": re.M, "x": re.X, "s": re.S}


@dataclass(frozen=True)
class Accepted:
    groups: int
    names: dict[str, int]
    width: tuple[int, int | None]


@dataclass(frozen=True)
class Rejected:
    position: int | None  # None: re raised without a position (ValueError, OverflowError)
    message: str


Verdict = Accepted | Rejected


def by_re(pattern: str, flags: str = "") -> Verdict:
    bits = _FLAG_BITS[flags]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compiled = re.compile(pattern, bits)
        except re.error as exc:
            return Rejected(exc.pos, exc.msg)
        except (OverflowError, ValueError) as exc:
            return Rejected(None, str(exc))
        lo, hi = re._parser.parse(pattern, bits).getwidth()  # type: ignore[attr-defined]
    return Accepted(
        compiled.groups, dict(compiled.groupindex), (min(lo, _CAP), None if hi >= _CAP else hi)
    )


def by_rxp(pattern: str, flags: str = "") -> Verdict:
    try:
        tree = parse(pattern, flavor="re", flags=flags)
    except PatternError as exc:
        return Rejected(exc.position, exc.message)
    w = width(tree)
    hi = None if w.max is None or w.max >= _CAP else w.max
    return Accepted(group_count(tree), group_names(tree), (min(w.min, _CAP), hi))


def agree(expected: Verdict, got: Verdict) -> bool:
    """Same verdict; the same position wherever re reports one; the same facts if valid."""
    match expected, got:
        case Accepted(), Accepted():
            return expected == got
        case Rejected(position=pos), Rejected(position=got_pos):
            return pos is None or pos == got_pos
        case _:
            return False


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


# --- structured soup: well-formed syntax, random semantics ----------------------------------
# Balanced groups with random names, references, look-behinds and conditions, so that most
# patterns parse and the semantic checks and the facts (groups, names, width) get exercised.

_atoms = st.sampled_from(
    ["a", "b", ".", r"\d", r"\w", "[ab]", "[^a]", "^", "$", r"\b", r"\A", r"\Z", "",
     r"\1", r"\2", r"\3", "(?P=n)", "(?P=m)", r"\x41", "(?#c)"]
)  # fmt: skip
_quants = st.sampled_from(["", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "{3,2}"])
_openers = st.sampled_from(
    ["(", "(?:", "(?P<n>", "(?P<m>", "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?i:", "(?-i:",
     "(?(1)", "(?(2)", "(?(n)", "(?(3)"]
)  # fmt: skip


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    seq = st.lists(children, min_size=1, max_size=3).map("".join)
    alt = st.lists(children, min_size=2, max_size=3).map("|".join)
    group = st.tuples(_openers, st.one_of(seq, alt), _quants).map(lambda t: f"{t[0]}{t[1]}){t[2]}")
    return st.one_of(seq, alt, group)


structured = st.tuples(
    st.sampled_from(["", "(?i)", "(?a)", "(?x)"]),
    st.recursive(st.tuples(_atoms, _quants).map("".join), _extend, max_leaves=8),
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured, st.sampled_from(["", "i", "u", "a"]))
def test_agreement_with_re_on_structured_soup(pattern: str, flags: str) -> None:
    expected, got = by_re(pattern, flags), by_rxp(pattern, flags)
    assert agree(expected, got), (pattern, flags, expected, got)


# --- the regex flavour, against regex.compile ---------------------------------------------


def by_regex(pattern: str, flags: str = "") -> Verdict:
    import regex

    bits = {"": 0, "i": regex.I, "x": regex.X, "a": regex.A, "V1": regex.V1}[flags]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compiled = regex.compile(pattern, bits)
        except regex.error as exc:
            return Rejected(exc.pos, exc.msg)
        except (OverflowError, ValueError, RecursionError) as exc:
            return Rejected(None, str(exc))
    return Accepted(compiled.groups, dict(compiled.groupindex), (0, None))


def by_rxp_regex(pattern: str, flags: str = "") -> Verdict:
    try:
        tree = parse(pattern, flavor="regex", flags=flags)
    except PatternError as exc:
        return Rejected(exc.position, exc.message)
    return Accepted(group_count(tree), group_names(tree), (0, None))  # regex reports no width


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


_regex_atoms = st.sampled_from(
    ["a", "b", ".", r"\d", "[ab]", "", r"\1", r"\2", "(?P=n)", r"\g<m>", "(?1)", "(?2)",
     "(?&n)", "(?R)", "(?+1)", "(?-1)", r"\p{L}", "(?i)", "(?-i)"]
)  # fmt: skip
_regex_openers = st.sampled_from(
    ["(", "(?:", "(?P<n>", "(?<m>", "(?|", "(?=", "(?<=", "(?<!", "(?>", "(?(1)", "(?(n)",
     "(?(DEFINE)", "(?(?=a)", "(?i:"]
)  # fmt: skip


def _regex_extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    seq = st.lists(children, min_size=1, max_size=3).map("".join)
    alt = st.lists(children, min_size=2, max_size=3).map("|".join)
    group = st.tuples(_regex_openers, st.one_of(seq, alt), _quants).map(
        lambda t: f"{t[0]}{t[1]}){t[2]}"
    )
    return st.one_of(seq, alt, group)


regex_structured = st.recursive(
    st.tuples(_regex_atoms, _quants).map("".join), _regex_extend, max_leaves=8
)


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
            expected = _re_letters(re.compile(pattern, _FLAG_BITS[flags]).flags)
        assert set(global_flags(parse(pattern, flags=flags))) == expected, pattern
        checked += 1
    assert checked > 300
