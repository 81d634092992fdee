"""The patterns ``_patterns.grep_forms`` makes mean what grep's options say, with Python's
``re`` as the oracle: several patterns select a string when any of them matches it, ``-x``
when one matches all of it, ``-w`` when one matches a part with non-word bytes or an edge
on both sides, and ``-z``'s swapped pattern finds on swapped bytes what the pattern finds
on the original ones."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._errors import PatternError
from rxp._stream._patterns import grep_forms
from rxp._stream._scan import NUL_SWAP
from rxp._syntax._parse import parse

# patterns with groups, names, backreferences, conditions, flags and verbose comments: the
# parts that must survive being put side by side
POOL = [
    "a",
    "b+",
    "(a)\\1",
    "(?P<x>[ab])(?P=x)",
    "(?P<x>b)-(?P=x)",
    "(a)?(?(1)b|-)",
    "(?i)A b",
    "(?s)a.b",
    "(?x) a  b  # a comment",
    "(?x)(?P<x> a ) (?P=x)  # two a's",
    "[^a ]+",
    "a|ab",
    "",
    "\\w-\\w",
    "(?:a|b)(b)\\1",
]
texts = st.text(alphabet="ab -_A\n", max_size=8)
WORD = re.compile("[0-9A-Za-z_]")


def _forms(patterns: list[str], **options: bool) -> str:
    return grep_forms([parse(p, flavor="re") for p in patterns], **options).text


def _word_at(s: str, i: int) -> bool:
    return 0 <= i < len(s) and WORD.match(s[i]) is not None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=4), texts)
def test_several_patterns_select_what_any_of_them_selects(patterns: list[str], s: str) -> None:
    combined = re.compile(_forms(patterns))
    assert bool(combined.search(s)) == any(re.search(p, s) for p in patterns)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=3), texts)
def test_line_regexp_is_a_whole_match_of_any(patterns: list[str], s: str) -> None:
    line = s.replace("\n", "")  # a line holds no newline
    combined = re.compile(_forms(patterns, lines=True))
    assert bool(combined.search(line)) == any(re.fullmatch(p, line) for p in patterns)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=3), texts)
def test_word_regexp_is_a_match_between_non_word_bytes(patterns: list[str], s: str) -> None:
    line = s.replace("\n", "")
    combined = re.compile(_forms(patterns, words=True))
    expected = any(
        re.fullmatch(p, line[i:j]) and not _word_at(line, i - 1) and not _word_at(line, j)
        for p in patterns
        for i in range(len(line) + 1)
        for j in range(i, len(line) + 1)
    )
    assert bool(combined.search(line)) == expected


SWAP_POOL = ["a.b", "a\\nb", "[^a]+", "a\\sb", "\\S+", "[\\x00-\\x09]", "[\\n ]", "\\x00", "b\\Z"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SWAP_POOL), st.text(alphabet="ab \n", max_size=8))
def test_null_data_swaps_the_pattern_with_the_bytes(pattern: str, s: str) -> None:
    # In a NUL-terminated line a newline is an ordinary byte: "." matches it too
    swapped = re.compile(_forms([pattern], null_data=True).encode())
    data = s.encode().translate(NUL_SWAP)
    found = swapped.search(data)
    expected = re.search(pattern.encode(), s.encode(), re.DOTALL)
    assert (found and found.span()) == (expected and expected.span())


def test_names_and_numbers_are_kept_apart_and_labelled() -> None:
    forms = grep_forms(
        [parse(p, flavor="re") for p in ["(?P<n>a)(b)\\2", "(?P<n>c)(?P=n)", "(?i)(d)\\1"]]
    )
    compiled = re.compile(forms.text)
    assert forms.labels == (("n", 1), ("n", 3))
    assert forms.offsets == (0, 2, 3)
    assert compiled.groups == 4
    assert compiled.fullmatch("abb") and compiled.fullmatch("cc") and compiled.fullmatch("dD")
    assert not compiled.fullmatch("abB")  # (?i) belongs to the third pattern only
    assert len(forms.branches) == 3


@pytest.mark.parametrize(
    ("patterns", "message"),
    [
        (["(?V1)a", "b"], "the global flag V1 cannot be limited to one pattern"),
        (["a", "(?R)?b"], "a recursion into the whole pattern"),
    ],
)
def test_what_cannot_be_combined_is_an_error(patterns: list[str], message: str) -> None:
    with pytest.raises(PatternError, match=re.escape(message)):
        grep_forms([parse(p, flavor="regex") for p in patterns])


def test_null_data_refuses_what_it_cannot_swap() -> None:
    with pytest.raises(PatternError, match="-z"):
        grep_forms([parse("\\p{L}", flavor="regex")], null_data=True)
