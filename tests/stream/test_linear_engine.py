"""The linear-time engine selects exactly the lines Python's ``re`` selects.

The oracle is ``re`` itself, line by line, on the pattern as the user wrote it (bytes, as
``rxp stream`` matches). The translation (``_pcre``) and the Hyperscan selector are
checked together over generated patterns and blocks of generated lines, and RE2's spans
(used for a line over the budget) against ``re``'s.
"""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rxp._analysis._pcre import nullable_loop
from rxp._errors import PatternError
from rxp._stream._matcher import Matcher, MatcherSpec, compile_matcher
from rxp._syntax._ast import Literal, walk
from rxp._syntax._parse import parse
from rxp._syntax._width import can_match_empty
from tests.syntax.strategies import nested, patterns

_ATOMS = (
    ["a", "b", "ab", "A", "1", " ", ".", r"\.", r"\d", r"\D", r"\w", r"\W", r"\s", r"\S",
     "[ab]", "[^a]", "[a-c1]", "[^\\s]", "[[:alpha:]]", "[]a]", r"[\]]", "[-a]", "^", "$",
     r"\A", r"\Z", r"\b", r"\B", "", r"\x41", r"\t", "é", r"\u00e9", "(?i:a)", "(?s:.)",
     "(?x: a b )", "(?-i:b)", "x{,2}", "[\\x00-\\x1f]", "\\\\"]
)  # fmt: skip
_OPENERS = ("(", "(?:", "(?P<n>", "(?i:", "(?s:", "(?m:")
_QUANTIFIERS = ("", "", "*", "+", "?", "{2}", "{0,2}", "{,3}", "*?", "+?", "{1,}?")
LOG_PATTERNS = nested(
    _ATOMS, _OPENERS, _QUANTIFIERS, prefixes=("", "(?i)", "(?s)", "(?x)", "(?m)"), max_leaves=6
)
LINE_BYTES = b"aAbB1 \t\x0b.-_]:[\x00\xc3\xa9\xffxyz"
LINES = st.lists(
    st.binary(max_size=12).map(lambda b: bytes(LINE_BYTES[x % len(LINE_BYTES)] for x in b)),
    max_size=8,
)


def _matcher(pattern: str, ignore_case: bool = False) -> Matcher | None:
    spec = MatcherSpec(pattern, "re", 0, ignore_case, False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return compile_matcher(spec)
        except PatternError:
            return None  # rxp stream rejects it (non-ASCII in a set): nothing to select


def _escapes_beyond_ascii(pattern: str) -> bool:
    """Whether an escape in the (ASCII) pattern names a character beyond ASCII: ``\\xff``,
    ``\\377``. A bytes pattern reads it as one byte; rxp stream, as Python's ``str``
    pattern does, as the character, which it matches in UTF-8."""
    return any(
        isinstance(node, Literal) and not node.char.isascii() for node in walk(parse(pattern))
    )


def _oracle(pattern: str, ignore_case: bool, m: Matcher) -> re.Pattern[bytes]:
    """``re`` on the pattern as bytes; where a bytes pattern cannot say it (``\\u00e9``,
    ``\\xff``, a non-ASCII character, which must stay one unit under a quantifier), ``re``
    on rxp's bytes spelling of it (``(?:\\xc3\\xa9)``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flags = re.IGNORECASE if ignore_case else 0
        if pattern.isascii() and not _escapes_beyond_ascii(pattern):
            try:
                return re.compile(pattern.encode("ascii"), flags)
            except re.error:
                pass
        assert isinstance(m.line, re.Pattern)
        return m.line


def _selected(m: Matcher, lines: list[bytes], terminated: bool = True) -> list[int]:
    """The lines the selector picks in a block of ``lines``, as the scanner cuts them: each
    ends in "\n", but for the input's last line when it has none (``terminated`` False)."""
    assert m.selector is not None
    block = b"".join(line + b"\n" for line in lines)
    if not terminated:
        block = block[:-1]
    ends = m.selector.line_ends(block, len(block) - 1 if terminated else len(block))
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    line_ends = [s + len(line) for s, line in zip(starts, lines, strict=True)]
    return [line_ends.index(e) for e in ends]


def _check(pattern: str, lines: list[bytes], ignore_case: bool) -> None:
    m = _matcher(pattern, ignore_case)
    assume(m is not None and m.selector is not None)
    assert m is not None
    assume(lines)
    oracle = _oracle(pattern, ignore_case, m)
    expected = [i for i, line in enumerate(lines) if oracle.search(line) is not None]
    assert _selected(m, lines) == expected, (pattern, m.selector and m.selector.text)
    assert _selected(m, lines, terminated=False) == expected, pattern
    fallback = m.linear_spans()
    if fallback is None:  # RE2 is kept off patterns that can match empty, and off spans of
        # a loop whose body can (re ends it at an empty iteration, RE2 does not)
        tree = parse(pattern)
        assert oracle.search(b"") is not None or can_match_empty(tree) or nullable_loop(tree)
        return
    for line in lines:
        want = oracle.search(line)
        got = fallback.search(line)
        assert (want and want.span()) == (got and got.span()), (pattern, line)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LOG_PATTERNS, LINES, st.booleans())
def test_selection_agrees_with_re_on_log_like_patterns(
    pattern: str, lines: list[bytes], ignore_case: bool
) -> None:
    _check(pattern, lines, ignore_case)


@settings(
    max_examples=150,  # each compiles a Hyperscan database (the suite stays under 10 minutes)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(patterns("re"), LINES)
def test_selection_agrees_with_re_on_every_construct(pattern: str, lines: list[bytes]) -> None:
    _check(pattern, lines, False)


EVERYDAY = [
    r"Failed password for (invalid user )?\S+ from ([0-9.]+)",
    r"sshd\[[0-9]+\]: Accepted",
    r"[0-9]+(\.[0-9]+){3} port [0-9]+",
    r"(?i)error|warn(ing)?",
    r"^\S+ \S+ \S+\[\d+\]: (?P<msg>.*)$",
    r"\b\d{3}-\d{4}\b",
    r"(a+)+$",
    r"x{,3}y",
    r"(?x) a [[:alpha:]] # comment",
    r"\Aabc\Z",
]


@pytest.mark.parametrize("pattern", EVERYDAY)
def test_everyday_patterns_get_the_linear_engine(pattern: str) -> None:
    m = _matcher(pattern)
    assert m is not None and m.selector is not None and m.strategy == "automaton"
    assert m.obstacle is None


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(\w+) \1", "a backreference (\\1)"),
        (r"foo(?=bar)", "a look-ahead"),
        (r"(?<!x)y", "a negative look-behind"),
        (r"(?>a+)b", "an atomic group"),
        (r"a++", "a possessive quantifier (++)"),
        (r"(a)?(?(1)b|c)", "a conditional group"),
    ],
)
def test_patterns_that_need_backtracking_say_why(pattern: str, reason: str) -> None:
    m = _matcher(pattern)
    assert m is not None and m.selector is None and m.strategy != "automaton"
    assert m.obstacle == reason


@pytest.mark.parametrize("pattern", [r"[ab]$", r"[]a-a0-A]$", r"[ab]+$", r"x[ab]$", r"(a+)+$"])
def test_a_set_before_a_final_dollar_is_found_on_every_line(pattern: str) -> None:
    # Hyperscan 5.4 alone misses these (a set just before "$", MULTILINE): such patterns,
    # which it cannot take in the tail form, are selected by RE2
    lines = [b"x", b"x", b"", b"x", b"a" * 12, b"-b", b"ab]", b"xb"]
    m = _matcher(pattern)
    assert m is not None and m.selector is not None
    oracle = _oracle(pattern, False, m)
    expected = [i for i, line in enumerate(lines) if oracle.search(line) is not None]
    assert expected and _selected(m, lines) == expected


def test_a_match_that_ends_an_unterminated_input_is_found() -> None:
    # Hyperscan 5.4 alone finds nothing here; with the "\n" the selector adds, the last line
    lines = [b"", b"", b"", b"aaaaaba_b", b"aa a"]
    m = _matcher(" [ab]")
    assert m is not None and m.selector is not None and m.selector.engine == "hyperscan"
    assert _selected(m, lines, terminated=False) == [4]
    assert _selected(m, lines) == [4]
