"""The block-matching shortcuts change nothing: the lines found over whole blocks (with the
newline-free lowering, prefilter literals and reverse-suffix starts) are exactly the lines
where Python's ``re`` finds a match line by line; the folds are sound."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._stream._literals import lead_in, literal_prefix, required_factor
from rxp._stream._lower import block_pattern
from rxp._stream._matcher import MatcherSpec, compile_matcher
from rxp._stream._scan import ScanOptions, scan_chunk
from rxp._syntax._parse import parse

ATOMS = [
    "a", "b", "x", " ", ",", r"\s", r"\S", r"\d", r"\D", r"\w", r"\W", ".", "(?s:.)", "[^ ]",
    "[^a]", r"[\s,]", r"[^\n]", r"\n", "[a-b]", "^", "$", r"\b", r"\.", "1", "(?=a)",
    "(?<=a)", "(?<! )", "[.0-9]", "ab", "foo",
]  # fmt: skip


@st.composite
def patterns(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 5 if depth < 2 else 1))
    if kind <= 1:
        return draw(st.sampled_from(ATOMS))
    if kind == 2:
        return draw(patterns(depth + 1)) + draw(patterns(depth + 1))
    if kind == 3:
        return "(" + draw(patterns(depth + 1)) + "|" + draw(patterns(depth + 1)) + ")"
    if kind == 4:
        item = draw(patterns(depth + 1))
        return "(?:" + item + ")" + draw(st.sampled_from(["*", "+", "?", "{2}", "+?"]))
    return draw(patterns(depth + 1)) + draw(st.sampled_from(["foo", " 1.2", "ab"]))


texts = st.lists(st.text(alphabet="ab x,\t1.\r\nfo", max_size=12), max_size=12).map(
    lambda parts: "".join(parts).encode()
)


def _per_line(pattern: str, data: bytes) -> list[int]:
    rx = re.compile(pattern.encode())
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    if not data:
        lines = []
    return [i for i, line in enumerate(lines) if rx.search(line)]


@settings(max_examples=400, deadline=None)
@given(pattern=patterns(), data=texts)
def test_block_scan_finds_exactly_the_lines_per_line_search_finds(
    pattern: str, data: bytes
) -> None:
    try:
        re.compile(pattern)
    except re.error:
        return
    matcher = compile_matcher(MatcherSpec(pattern), "re")
    out = scan_chunk(matcher, ScanOptions(numbers=True), data, 0, alarm=False)
    assert [line.row for line in out.lines] == _per_line(pattern, data), matcher.strategy
    counted = scan_chunk(matcher, ScanOptions(count_only=True), data, 0, alarm=False)
    assert counted.selected == len(_per_line(pattern, data))


@settings(max_examples=300, deadline=None)
@given(pattern=patterns(), data=texts)
def test_literal_folds_are_sound(pattern: str, data: bytes) -> None:
    try:
        tree = parse(pattern)
    except Exception:
        return
    rx = re.compile(pattern.encode())
    factor = required_factor(tree)
    prefix = literal_prefix(tree)
    for line in data.split(b"\n"):
        for m in rx.finditer(line):
            if factor is not None:
                assert any(lit in m.group() for lit in factor), (factor, m.group())
            if prefix is not None:
                assert m.group().startswith(prefix)


def test_lowering_takes_newline_out_of_every_construct() -> None:
    assert block_pattern(parse(r"for [^ ]+ from")) == r"for [^ \n]+ from"
    assert block_pattern(parse(r"a\sb")) == r"a[^\S\n]b"
    assert block_pattern(parse(r"(?s)a.b")) == r"(?s)a[^\n]b"
    assert block_pattern(parse(r"x[\s,]z")) == r"x(?:(?!\n)[\s,])z"
    assert block_pattern(parse(r"a\nb")) == r"a(?!)b"
    assert block_pattern(parse(r"[^\n]+")) == r"[^\n]+"
    assert block_pattern(parse(r"\Afoo")) is None  # refers to the whole text: line by line


def test_literals_of_the_benchmark_patterns() -> None:
    p1 = parse(r"Failed password for (invalid user )?[^ ]+ from ([0-9.]+)")
    assert required_factor(p1) == {b"Failed password for "}
    assert literal_prefix(p1) == b"Failed password for "
    p2 = parse(r"^[^ ]+ [^ ]+ sshd\[[0-9]+\]: Failed password")
    assert required_factor(p2) == {b"]: Failed password"}
    p3 = parse(r"[0-9]+(\.[0-9]+){3} port [0-9]+")
    assert required_factor(p3) == {b" port "}
    assert lead_in(p3, b" port ") == b".0123456789"
    assert required_factor(parse("error|warn(ing)?")) == {b"error", b"warn"}
    assert required_factor(parse("(?i)error")) is None
    assert required_factor(parse("a*")) is None


REGEX_ATOMS = [*ATOMS, r"\p{L}", r"\P{L}", "(?>a+)", "a++", "[[:alpha:]]", "[[:space:]]", r"\K"]


@st.composite
def regex_patterns(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 4 if depth < 2 else 1))
    if kind <= 1:
        return draw(st.sampled_from(REGEX_ATOMS))
    if kind == 2:
        return draw(regex_patterns(depth + 1)) + draw(regex_patterns(depth + 1))
    if kind == 3:
        return "(" + draw(regex_patterns(depth + 1)) + "|" + draw(regex_patterns(depth + 1)) + ")"
    return "(?:" + draw(regex_patterns(depth + 1)) + ")" + draw(st.sampled_from(["*", "+", "?"]))


@settings(max_examples=200, deadline=None)
@given(pattern=regex_patterns(), data=texts)
def test_regex_flavour_block_scan_agrees_with_the_regex_package(pattern: str, data: bytes) -> None:
    import regex

    try:
        rx = regex.compile(pattern.encode())
    except regex.error:
        return
    matcher = compile_matcher(MatcherSpec(pattern, "regex"), "regex")
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    expected = [i for i, line in enumerate(lines if data else []) if rx.search(line)]
    out = scan_chunk(matcher, ScanOptions(numbers=True), data, 0, alarm=False)
    assert [line.row for line in out.lines] == expected, matcher.strategy
    counted = scan_chunk(matcher, ScanOptions(count_only=True), data, 0, alarm=False)
    assert counted.selected == len(expected)
