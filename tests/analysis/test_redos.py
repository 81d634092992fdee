"""Catastrophic-backtracking hazards: known ReDoS patterns warn, everyday patterns do not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._analysis._redos import backtracking_warnings
from rxp._syntax._ast import Repeat, walk
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
    ("(?i)(A|a)+b", "(A|a)+"),  # the same letter under IGNORECASE
    ("(?:\\d|\\w)+$", "(?:\\d|\\w)+"),  # digits are word characters
]

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
    "[0-9]+(\\.[0-9]+){3}",
    "Failed password for (invalid user )?[^ ]+ from ([0-9.]+)",
    "^\\d{4}-\\d{2}-\\d{2}$",
    "(a|b)*c",
    "(a|ab)*c",
    "a+b+",
    "[a-z]+@[a-z]+\\.com",
    "\\w+=\\w+",
    "key=(\\S+)",
    "\\[(\\d+)\\]",
    '"[^"]*"',
    "^(\\d+\\.)*\\d+$",
    "(ab)*",
    "a++b",  # possessive: never gives back
    "(?>a+)+b",  # atomic: never gives back
    "(?i)(a|b)+c",
    "\\d+\\s+\\d+",
    "(\\w+)\\s(\\w+)",
    "^(?:[^,]*,){5}[^,]*$",
    "<([a-z]+)>.*?</\\1>",
]


@pytest.mark.parametrize(("pattern", "blamed"), EXPONENTIAL)
def test_known_exponential_patterns_warn(pattern: str, blamed: str) -> None:
    hazards = backtracking_warnings(parse(pattern))
    assert [(h.kind, h.span.slice(pattern)) for h in hazards] == [("exponential", blamed)]
    assert "exponential" in hazards[0].message


@pytest.mark.parametrize(("pattern", "blamed"), POLYNOMIAL)
def test_adjacent_overlapping_repeats_warn_polynomial(pattern: str, blamed: str) -> None:
    hazards = backtracking_warnings(parse(pattern))
    assert [(h.kind, h.span.slice(pattern)) for h in hazards] == [("polynomial", blamed)]


@pytest.mark.parametrize("pattern", SAFE)
def test_everyday_patterns_do_not_warn(pattern: str) -> None:
    assert backtracking_warnings(parse(pattern)) == ()


def test_flags_change_the_verdict() -> None:
    # \d and [0-9] only overlap Unicode digits like "٣" without ASCII; overlapping sets
    # under IGNORECASE only
    assert backtracking_warnings(parse("(?:[a-z]|[A-Z])+$")) == ()
    assert backtracking_warnings(parse("(?i)(?:[a-z]|[A-Z])+$"))[0].kind == "exponential"
    assert backtracking_warnings(parse("(?:\\d|\\u0663)+$"))[0].kind == "exponential"
    assert backtracking_warnings(parse("(?a)(?:\\d|\\u0663)+$")) == ()


def test_large_patterns_answer_quickly_without_crashing() -> None:
    pattern = "|".join(f"(\\w+{i})+" for i in range(400))
    assert isinstance(backtracking_warnings(parse(pattern)), tuple)


_pieces = st.sampled_from(
    ["a", "b", "\\d", "\\w", ".", "[ab]", "[^a]", "(?:x?)", "(?:ab)", "(?:\\b)"]
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


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_pieces, st.sampled_from(["", "?", "*", "+", "{2,}"])), min_size=1, max_size=6
    )
)
def test_a_choice_between_equals_under_a_repeat_is_exponential(
    parts: list[tuple[str, str]],
) -> None:
    """In ``(?:X|X)+`` every text X matches can be taken by either branch, on every
    iteration: exponential, exactly when X can match something non-empty."""
    inner = "".join(p + q for p, q in parts)
    hazards = backtracking_warnings(parse(f"(?:{inner}|{inner})+$"))
    if width(parse(inner)).max == 0:
        assert hazards == ()
    else:
        assert "exponential" in {h.kind for h in hazards}
