"""Fuzzy constraints (regex flavour) parsed into typed limits, and the widths that follow,
with the regex package as the oracle: its own constraint reader (``parse_fuzzy``), the
defaults it fills in (``Fuzzy.__init__``) and what ``regex.fullmatch`` accepts."""

from __future__ import annotations

import copy
import warnings
from typing import Any

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from regex import _regex_core as core

from rxp._errors import PatternError
from rxp._syntax._ast import Class, ClassEscape, Dot, Fuzzy, Literal, Pattern, Property, walk
from rxp._syntax._fuzzy_limits import allowance
from rxp._syntax._parse import parse
from rxp._syntax._unparse import unparse
from rxp._syntax._width import can_match_empty, width
from tests.syntax.oracles import agree, by_regex, by_rxp_regex
from tests.syntax.strategies import fuzzy_constraints

FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def engine_reads(braces: str) -> dict[str, Any] | None:
    """What regex's own reader makes of a constraint ``{...}``; None: not a constraint."""
    source = core.Source(braces)
    constraints: dict[str, Any] | None = core.parse_fuzzy(source, core.Info(0), source.get(), 0)
    return constraints


def engine_completes(constraints: dict[str, Any]) -> dict[str, Any]:
    """The constraint with the engine's defaults filled in."""
    completed: dict[str, Any] = core.Fuzzy(None, copy.deepcopy(constraints)).constraints
    return completed


def the_fuzzy(tree: Pattern) -> Fuzzy | None:
    return next((n for n in walk(tree) if isinstance(n, Fuzzy)), None)


def compiles(pattern: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            regex.compile(pattern)
        except regex.error:
            return False
    return True


# --- the typed constraint is what regex reads --------------------------------------------


@FAST
@given(fuzzy_constraints())
def test_limits_cost_and_test_are_what_regex_reads(braces: str) -> None:
    pattern = "(?:abc)" + braces
    verdict = by_regex(pattern)
    assert agree(verdict, by_rxp_regex(pattern)), (pattern, verdict, by_rxp_regex(pattern))
    if not compiles(pattern):
        return
    tree = parse(pattern, flavor="regex")
    assert unparse(tree) == pattern
    node = the_fuzzy(tree)
    read = engine_reads(braces)
    if read is None:  # not a constraint: the brace is a literal
        assert node is None
        return
    if node is None:  # a constraint that allows no error: regex ignores it, so does rxp
        done = engine_completes(read)
        assert done["e"][1] == 0 or all(done[k] == (0, 0) for k in "ids"), (pattern, done)
        return
    assert {lim.kind: (lim.min, lim.max) for lim in node.limits} == {
        k: v for k, v in read.items() if k in "eids"
    }
    if node.cost is None:
        assert "cost" not in read
    else:
        written = {k: getattr(node.cost, k) for k in "ids" if getattr(node.cost, k) is not None}
        assert {**written, "max": node.cost.max} == read["cost"]
    assert (node.test is not None) == ("test" in read)
    for limit in node.limits:  # each span is the limit as written
        text = limit.span.slice(pattern)
        assert limit.kind in text and text[0] in limit.kind + "0123456789"
        assert text[-1] in limit.kind + "0123456789"


@FAST
@given(fuzzy_constraints())
def test_the_defaults_are_the_engines(braces: str) -> None:
    pattern = "(?:abc)" + braces
    if not compiles(pattern):
        return
    node = the_fuzzy(parse(pattern, flavor="regex"))
    read = engine_reads(braces)
    if node is None or read is None:
        return
    done = engine_completes(read)
    got = allowance(node)
    assert (got.insertions, got.deletions, got.substitutions, got.errors) == (
        done["i"],
        done["d"],
        done["s"],
        done["e"],
    )
    cost = done["cost"]
    assert (got.insertion_cost, got.deletion_cost, got.substitution_cost) == (
        cost["i"],
        cost["d"],
        cost["s"],
    )
    assert got.max_cost == cost["max"]


@pytest.mark.parametrize(
    ("pattern", "kind"),
    [
        (r"a{e<=1:[a-z]}", Class),
        (r"a{e<=1:\d}", ClassEscape),
        (r"a{e<=1:\p{L}}", Property),
        (r"a{e<=1:.}", Dot),
        (r"a{e<=1:\x41}", Literal),
        (r"a{e<=1:}}", Literal),
        ("(?x)a{ e <= 1 : [ b ] }", Class),
        (r"(?V1)a{e<=1:[[a-z]--[q]]}", Class),
    ],
)
def test_the_test_is_a_node_at_its_place(pattern: str, kind: type) -> None:
    assert compiles(pattern)
    tree = parse(pattern, flavor="regex")
    node = the_fuzzy(tree)
    assert node is not None and node.test is not None and isinstance(node.test, kind)
    assert unparse(tree) == pattern
    span = node.test.span
    assert span.slice(pattern) in node.raw and not pattern[span.start].isspace()
    assert pattern[span.end :].lstrip().startswith("}")


@pytest.mark.parametrize(
    "pattern", [r"a{e<=1:\b}", r"a{e<=1:\9}", r"(a)b{e<=1:\1}", r"a{e<=1:\X}", r"a{e<=1:\G}"]
)
def test_a_test_regex_cannot_compile_is_rejected(pattern: str) -> None:
    with pytest.raises(RuntimeError, match="invalid RE code"):
        regex.compile(pattern)
    with pytest.raises(PatternError):
        parse(pattern, flavor="regex")


def test_a_set_in_the_test_is_not_read_as_flags() -> None:
    tree = parse(r"a{e<=1:[(?i)]}b", flavor="regex")
    assert compiles(tree.text) and regex.fullmatch(tree.text, "aB") is None
    from rxp._syntax._flags import flags_at

    assert all("i" not in flags for flags in flags_at(tree).values())


# --- widths: every fuzzy match has a length within them ----------------------------------

# Items whose lengths run without a gap from their minimum to their maximum (the width
# fold knows only the two ends; see ``fuzzy_width``), each with texts it matches. No
# unbounded repeat: with deletions alone unlimited, ``regex.fullmatch("(?:a+b){d}", "ab")``
# runs out of memory (regex 2026.12.2).
ITEMS = {
    "a": ["a"],
    "(?:abc)": ["abc"],
    "(?:abcd)": ["abcd"],
    "(?:ab|c)": ["ab", "c"],
    "[ab]": ["a", "b"],
    "(?:ab?c)": ["ac", "abc"],
    "(?:)": [""],
    "(?:a{2,3})": ["aa", "aaa"],
    "(?:a{1,3}b)": ["ab", "aaab"],
    "(a|bc)": ["a", "bc"],
    "(?:x(?:ab){e<=1}y)": ["xaby", "xay", "xabcy"],
}


@st.composite
def edited(draw: st.DrawFn, texts: list[str]) -> str:
    """One of ``texts`` with a few random insertions, deletions and substitutions."""
    text = list(draw(st.sampled_from(texts)))
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from("ids"))
        at = draw(st.integers(0, len(text)))
        ch = draw(st.sampled_from("abcxy5"))
        if op == "i":
            text.insert(at, ch)
        elif text:
            at = min(at, len(text) - 1)
            if op == "d":
                del text[at]
            else:
                text[at] = ch
    return "".join(text)


@st.composite
def fuzzy_cases(draw: st.DrawFn) -> tuple[str, list[str]]:
    item = draw(st.sampled_from(sorted(ITEMS)))
    pattern = item + draw(fuzzy_constraints())
    texts = draw(st.lists(edited(ITEMS[item]), min_size=5, max_size=25))
    return pattern, texts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzy_cases())
def test_width_and_empty_match_agree_with_the_engine(case: tuple[str, list[str]]) -> None:
    pattern, texts = case
    if not compiles(pattern):
        return
    tree = parse(pattern, flavor="regex")
    w = width(tree)
    compiled = regex.compile(pattern)
    assert can_match_empty(tree) == (compiled.fullmatch("") is not None), (pattern, w)
    for text in texts:
        if compiled.fullmatch(text) is not None:
            assert w.min <= len(text), (pattern, text, w)
            assert w.max is None or len(text) <= w.max, (pattern, text, w)


@FAST
@given(fuzzy_constraints())
def test_the_width_is_reached_where_nothing_forces_an_error(braces: str) -> None:
    """With no minimum and no test, a literal item gives the exact width: dropping its
    last characters reaches the minimum, adding to it the maximum."""
    pattern = "(?:abcd)" + braces
    if not compiles(pattern):
        return
    tree = parse(pattern, flavor="regex")
    node = the_fuzzy(tree)
    if node is None or node.test is not None or any(lim.min for lim in node.limits):
        return
    w = width(tree)
    assert regex.fullmatch(pattern, "abcd"[: w.min]) is not None, (pattern, w)
    if w.max is not None:
        assert regex.fullmatch(pattern, "abcd" + "x" * (w.max - 4)) is not None, (pattern, w)
    else:
        assert regex.fullmatch(pattern, "abcd" + "x" * 12) is not None, pattern


@pytest.mark.parametrize(
    ("pattern", "shortest", "longest"),
    [
        (r"(?:abc){e<=1}", "ab", "abcd"),
        (r"(?:abc){e}", "", None),
        (r"(?:abc){i<=2,d<=1}", "ab", "abcde"),
        (r"(?:abc){2i+2d+1s<=4}", "a", "abcde"),
        (r"(?:abc){1<=e<=3,i<2}", "abcd", "abcd"),
        (r"(?:abc){1<=i<=2,d<=3}", "d", "abcde"),
        (r"(?:x(?:ab){e<=1}y){d<=3}", "b", "xaby"),
        (r"(?:x(?:ab){e<=2}y){d<=4}", "", "xaby"),
    ],
)
def test_widths_worked_by_hand(pattern: str, shortest: str, longest: str | None) -> None:
    """Worked out from the regex documentation; the engine matches the shortest and longest
    texts, and the empty string exactly when the shortest is empty."""
    w = width(parse(pattern, flavor="regex"))
    assert (w.min, w.max) == (len(shortest), None if longest is None else len(longest))
    assert regex.fullmatch(pattern, shortest) is not None
    assert longest is None or regex.fullmatch(pattern, longest) is not None
    assert (shortest == "") == (regex.fullmatch(pattern, "") is not None)
