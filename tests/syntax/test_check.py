"""Semantic checks: rxp rejects what ``re`` rejects, at the position ``re`` reports."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import HealthCheck, given, settings

from rxp._errors import PatternError
from rxp._syntax._ast import (
    Backref,
    Capture,
    Concat,
    InlineFlags,
    Literal,
    Node,
    NonCapture,
    Pattern,
    Span,
)
from rxp._syntax._check import check
from rxp._syntax._parse import parse
from rxp._syntax._record import replace
from tests.syntax.oracles import Rejected, by_re
from tests.syntax.strategies import structured


def re_verdict(pattern: str, flags: int = 0) -> int | bool | None:
    """True when re accepts; else the error position (None when re gives none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(pattern, flags)
        except re.error as exc:
            return exc.pos
        except (OverflowError, ValueError):
            return None
    return True


POST_PARSE_CASES = [
    # look-behind width is checked when re compiles
    r"(?<=a+)b",
    r"(?<=a|bc)d",
    r"(?<!a{1,2})",
    r"(?<=(?(1)a|bc))(x)",
    r"(a)(?<=\1)b",
    r"(ab|c)(?<=x\1)",
    r"(?<=a{3})b",
    r"(?<=(?=aaa)a)",
    r"(?<=\b)a",
    # conditions naming a later or missing group are checked after parsing
    r"(?(1)a|b)",
    r"(?(2)a)(b)",
    r"(?(1)a)(b)",
    r"(a)(?(2)b)(c)(?(3)d)",
    r"(?(+1)a)(b)",
    r"(?( 1 )a)(b)",
    # the deprecated TEMPLATE flag forbids repeats, checked when compiling
    r"(?t)a*",
    r"(?t)a{0}",
    r"(?t)(?<=a+)b*",
    r"(?t)b*?(?<=a+)",
    r"(?t)(?i:a*+)",
    r"(?t)ab",
    # flags from the caller meet the inline ones
    r"(?a)x",
    r"(?u)x",
    r"(?L)x",
]


@pytest.mark.parametrize("pattern", POST_PARSE_CASES)
@pytest.mark.parametrize("flags", [0, re.A, re.U, re.I])
def test_rxp_rejects_exactly_where_re_does(pattern: str, flags: int) -> None:
    letters = "".join(ch for ch, bit in (("a", re.A), ("u", re.U), ("i", re.I)) if flags & bit)
    expected = re_verdict(pattern, flags)
    try:
        parse(pattern, flavor="re", flags=letters)
    except PatternError as exc:
        assert expected is not True, f"rxp rejects {pattern!r}: {exc}"
        if expected is not None:
            assert exc.position == expected
    else:
        assert expected is True, f"rxp accepts {pattern!r}, re rejects at {expected}"


def test_look_behind_error_points_at_the_look_behind() -> None:
    with pytest.raises(PatternError) as info:
        parse("ab(?<=x+)c")
    assert info.value.message == "look-behind requires fixed-width pattern"
    assert info.value.span == (2, 9)


def test_forward_condition_reports_the_first_bad_number_where_re_does() -> None:
    with pytest.raises(re.error) as expected:
        re.compile("(?(3)a)(?(2)b)(c)")
    with pytest.raises(PatternError) as info:
        parse("(?(3)a)(?(2)b)(c)")
    assert (info.value.position, info.value.message) == (expected.value.pos, expected.value.msg)


# --- trees the scanner would already reject: check() stands on its own ---------------------


def tree(text: str, body: Node, flags: str = "") -> Pattern:
    return Pattern(span=Span(0, len(text)), text=text, flavor="re", flags=flags, body=body)


def lit(ch: str, at: int) -> Literal:
    return Literal(span=Span(at, at + 1), char=ch, raw=ch, kind="plain")


def expect_like_re(p: Pattern) -> None:
    with pytest.raises(re.error) as expected:
        re.compile(p.text)
    with pytest.raises(PatternError) as got:
        check(p)
    assert got.value.position == expected.value.pos
    assert got.value.message == expected.value.msg


def test_check_alone_catches_a_redefined_name() -> None:
    text = "(?P<a>x)(?P<a>y)"
    first = Capture(span=Span(0, 8), body=lit("x", 6), index=1, name="a", opener="(?P<a>")
    second = Capture(span=Span(8, 16), body=lit("y", 14), index=2, name="a", opener="(?P<a>")
    expect_like_re(tree(text, Concat(span=Span(0, 16), items=(first, second))))


def test_check_alone_catches_references_to_open_and_missing_groups() -> None:
    text = "(a\\1)"
    inner = Concat(
        span=Span(1, 4), items=(lit("a", 1), Backref(span=Span(2, 4), target=1, raw="\\1"))
    )
    expect_like_re(tree(text, Capture(span=Span(0, 5), body=inner, index=1, name=None, opener="(")))
    text = "(a)\\2"
    group = Capture(span=Span(0, 3), body=lit("a", 1), index=1, name=None, opener="(")
    expect_like_re(
        tree(
            text,
            Concat(span=Span(0, 5), items=(group, Backref(span=Span(3, 5), target=2, raw="\\2"))),
        )
    )


def test_check_alone_catches_flag_mistakes() -> None:
    text = "a(?i)"
    flags = InlineFlags(span=Span(1, 5), on="i", off="")
    expect_like_re(tree(text, Concat(span=Span(0, 5), items=(lit("a", 0), flags))))
    text = "(?i-i:a)"
    expect_like_re(tree(text, NonCapture(span=Span(0, 8), body=lit("a", 6), on="i", off="i")))
    text = "(?-a:a)"
    expect_like_re(tree(text, NonCapture(span=Span(0, 7), body=lit("a", 5), on="", off="a")))


# --- check() alone, on trees the regex flavour parses: re's verdict, re's position ----------
# The regex flavour accepts much that re rejects for semantic reasons (names used twice,
# references to open or later groups, variable-width look-behind...). Relabelled as re
# trees, they put check() itself, not the scanner's early checks, against re.

_CHECK_MESSAGES = (
    "redefinition of group name",
    "bad character in group name",
    "missing group name",
    "unknown group name",
    "cannot refer to",
    "invalid group reference",
    "bad group number",
    "conditional backref",
    "the repetition number is too large",
    "min repeat greater than max repeat",
    "nothing to repeat",
    "multiple repeat",
    "bad inline flags",
    "global flags not at the start",
    "cannot use LOCALE",
    "ASCII and UNICODE",
    "look-behind requires",
    "looks too much behind",
    "internal: unsupported template",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured)
def test_check_alone_agrees_with_re_on_relabelled_regex_trees(pattern: str) -> None:
    try:
        tree = parse(pattern, flavor="regex", flags="V1")
    except PatternError:
        return
    expected = by_re(pattern)
    try:
        check(replace(tree, flavor="re", flags=""))
    except PatternError as exc:
        assert isinstance(expected, Rejected), (pattern, exc)
        if expected.position is not None:
            assert exc.position == expected.position, (pattern, expected, exc)
    else:
        if isinstance(expected, Rejected):
            # only syntax re reads differently from regex may pass check() unnoticed
            assert not expected.message.startswith(_CHECK_MESSAGES), (pattern, expected)
