"""Catastrophic-backtracking hazards: known ReDoS patterns warn, everyday patterns do not.

The literature's cases are stated for matching the whole input (``fullmatch``); under
search semantics (the default) most of them always find a match somewhere, while many
everyday unanchored patterns are quadratic through search's retry at every offset.
Attacks and their verification on the engine are in ``test_redos_attacks.py``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._analysis._redos import backtracking_warnings
from rxp._syntax._ast import Flavor, Repeat, walk
from rxp._syntax._parse import parse
from rxp._syntax._width import width

# From the ReDoS literature: OWASP's "Regular expression Denial of Service" page, Davis et
# al. "The impact of regular expression denial of service" (2018), Weideman et al.
# "Analyzing matching time behavior of backtracking regular expression matchers" (2016),
# and the Cloudflare 2019 outage report (".*.*=.*"). The span is the part to blame.
EXPONENTIAL = [
    ("(a+)+", "(a+)+"),
    ("(a*)*", "(a*)*"),
    ("(a|a)*", "(a|a)*"),
    ("(a|aa)+", "(a|aa)+"),
    ("(a|a?)+", "(a|a?)+"),
    ("^(a+)+$", "(a+)+"),
    ("([a-zA-Z]+)*", "([a-zA-Z]+)*"),
    ("(\\w+\\s?)*", "(\\w+\\s?)*"),
    ("^(\\w+\\s?)*$", "(\\w+\\s?)*"),
    ("(\\d+)*$", "(\\d+)*"),
    ("(x+x+)+y", "(x+x+)+"),
    ("(.*a){20}", "(.*a){20}"),
    ("(.*){1,32000}[bc]", "(.*){1,32000}"),
    ("^(([a-z])+.)+[A-Z]([a-z])+$", "(([a-z])+.)+"),
    ("(\\s*,\\s*)*x", "(\\s*,\\s*)*"),
    ("((ab)*|a)*c", "((ab)*|a)*"),
    (
        "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}"
        "(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
        "(([\\-.]|[_]+)?([a-zA-Z0-9]+))*",
    ),
    ("(?i)(A|aa)+", "(A|aa)+"),  # the same letter under IGNORECASE
    ("(?:\\d|\\w_?)+", "(?:\\d|\\w_?)+"),  # digits are word characters
]

# The engines' parsers fold an alternation of single characters into one set: no choice
# is left to backtrack into (``a|a`` stays two ways: the parser factors the ``a`` out).
FOLDED = ["(?i)(A|a)+b", "(?:\\d|\\w)+$", "(?:[a-z]|[A-Z])+$", "(a|[ab])+$"]

POLYNOMIAL = [
    ("\\d+\\d+", "\\d+\\d+"),
    (".*.*=.*", ".*.*=.*"),
    ("\\s*#?\\s*$", "\\s*#?\\s*"),
    ("a*b?a*c", "a*b?a*"),
    ("\\w+\\d+x", "\\w+\\d+"),
    ("^.*a.*a.*b$", ".*a.*a.*"),
]

SAFE = [
    "^[^ ]+ [^ ]+ sshd",
    "Failed password for (invalid user )?[^ ]+ from ([0-9.]+)",
    "^\\d{4}-\\d{2}-\\d{2}$",
    "key=(\\S+)",
    "\\[(\\d+)\\]",
    '"[^"]*"',
    "^(\\d+\\.)*\\d+$",
    "(ab)*",
    "^(?:[^,]*,){5}[^,]*$",
    "^a++b",  # possessive: never gives back
    "^(?>a+)+b",  # atomic: never gives back
    "(?<![a-z])[a-z]+@",  # cannot start inside a run of letters
]

# Linear from any one start, but search starts again at every offset of a long run that
# the first repeat takes: quadratic, and only through the retry (``match`` is linear).
SEARCH_QUADRATIC = [
    "[0-9]+(\\.[0-9]+){3}",
    "(a|b)*c",
    "(a|ab)*c",
    "a+b+",
    "[a-z]+@[a-z]+\\.com",
    "\\w+=\\w+",
    "a++b",
    "(?>a+)+b",
    "(?i)(a|b)+c",
    "\\d+\\s+\\d+",
    "(\\w+)\\s(\\w+)",
    "<([a-z]+)>.*?</\\1>",  # each "<a>" of "<a>a<a>a<a>a..." starts a scan to the end
]


@pytest.mark.parametrize(("pattern", "blamed"), EXPONENTIAL)
def test_known_exponential_patterns_warn(pattern: str, blamed: str) -> None:
    hazards = backtracking_warnings(parse(pattern), semantics="fullmatch")
    assert [(h.kind, h.span.slice(pattern)) for h in hazards] == [("exponential", blamed)]
    assert "exponential" in hazards[0].message


@pytest.mark.parametrize(("pattern", "blamed"), POLYNOMIAL)
def test_adjacent_overlapping_repeats_warn_polynomial(pattern: str, blamed: str) -> None:
    hazards = backtracking_warnings(parse(pattern), semantics="fullmatch")
    assert [(h.kind, h.span.slice(pattern)) for h in hazards] == [("polynomial", blamed)]


@pytest.mark.parametrize("pattern", SAFE)
def test_everyday_patterns_do_not_warn(pattern: str) -> None:
    assert backtracking_warnings(parse(pattern)) == ()


@pytest.mark.parametrize("pattern", SEARCH_QUADRATIC)
def test_a_leading_repeat_is_quadratic_through_search_only(pattern: str) -> None:
    tree = parse(pattern)
    assert [(h.degree, h.search) for h in backtracking_warnings(tree)] == [(2, True)]
    assert backtracking_warnings(tree, semantics="match") == ()


@pytest.mark.parametrize("pattern", FOLDED)
def test_a_choice_of_single_characters_is_one_set(pattern: str) -> None:
    hazards = backtracking_warnings(parse(pattern), semantics="fullmatch")
    assert "exponential" not in {h.kind for h in hazards}


def test_flags_change_the_verdict() -> None:
    # \d and "٣" overlap without ASCII only; [a-z] and [A-Z] under IGNORECASE only, and
    # then in the regex flavour only (re folds the choice into one set)
    def kinds(pattern: str, flavor: Flavor = "re") -> set[str]:
        tree = parse(pattern, flavor=flavor)
        return {h.kind for h in backtracking_warnings(tree, semantics="fullmatch")}

    assert kinds("(?:\\d|\\u0663b?)+") == {"exponential"}
    assert kinds("(?a)(?:\\d|\\u0663b?)+") == set()
    assert kinds("(?:[a-z]|[A-Z])+", "regex") == set()
    assert kinds("(?i)(?:[a-z]|[A-Z])+", "regex") == {"exponential"}
    assert kinds("(?i)(?:[a-z]|[A-Z])+") == set()


def test_large_patterns_answer_quickly_without_crashing() -> None:
    pattern = "|".join(f"(\\w+{i})+" for i in range(400))
    assert isinstance(backtracking_warnings(parse(pattern)), tuple)


# No piece reads a newline, so a text can always fail (with a newline at the end).
_pieces = st.sampled_from(
    ["a", "b", "\\d", "\\w", ".", "[ab]", "[^a\\n]", "(?:x?)", "(?:ab)", "(?:\\b)"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_pieces, st.sampled_from(["", "?", "{2}", "{1,3}", "{3}"])),
        min_size=1,
        max_size=8,
    )
)
def test_no_loop_no_hazard(parts: list[tuple[str, str]]) -> None:
    """Without a repeat that can go on (or nearly), no path can come back to itself."""
    tree = parse("".join(p + q for p, q in parts))
    assert all(r.max is not None and r.max <= 10 for r in walk(tree) if isinstance(r, Repeat))
    assert backtracking_warnings(tree) == ()


# Without anchors: ``(?:a\\b|a\\b)+`` cannot go round twice (no boundary between two
# a's), and ``(?:\\Ba|\\Ba)+`` cannot start a text.
_unguarded = st.sampled_from(
    ["a", "b", "\\d", "\\w", ".", "[ab]", "[^a\\n]", "(?:x?)", "(?:ab)", "(?:)"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_unguarded, st.sampled_from(["", "?", "*", "+", "{2,}"])),
        min_size=1,
        max_size=6,
    )
)
def test_a_choice_between_equals_under_a_repeat_is_exponential(
    parts: list[tuple[str, str]],
) -> None:
    """In ``(?:X|X)+`` every text X matches can be taken by either branch, on every
    iteration: exponential, exactly when X can match something non-empty (matching the
    whole text, which a final newline makes fail)."""
    inner = "".join(p + q for p, q in parts)
    hazards = backtracking_warnings(parse(f"(?:{inner}|{inner})+"), semantics="fullmatch")
    if width(parse(inner)).max == 0:
        assert hazards == ()
    else:
        assert "exponential" in {h.kind for h in hazards}
