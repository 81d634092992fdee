"""``find_matches`` against Python's engines, and the renderers' marks against the spans."""

from __future__ import annotations

import json
import re

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._errors import PatternError, RxpError
from rxp._match._render import render_lines, render_text, report_document
from rxp._match._report import find_matches

PATTERNS = [
    r"a",
    r"a*",
    r"(a)|(b)",
    r"(?P<word>\w+)(?:-(?P<tail>\d+))?",
    r"(a|ab)(c|bcd)?(d*)",
    r"^\w+$",
    r"\b",
    r"(x)?y",
    r"(?i)AB",
    r"[ab]{2,3}?",
    r"(?=(a+))a",
    r"(?s).+",
    r"\d+(\.\d+){1,3}",
]
FLAGS = ["", "i", "m", "s", "im", "a", "x"]
subjects = st.text(alphabet="abAB xy-1.2\n_cd", max_size=24)


def engine_flags(letters: str, module: object) -> int:
    names = {"a": "A", "i": "I", "m": "M", "s": "S", "x": "X"}
    return sum(int(getattr(module, names[c])) for c in letters)


def expected(pattern: str, flags: int, text: str, module: object, full: bool) -> list[object]:
    compiled = module.compile(pattern, flags)  # type: ignore[attr-defined]
    hits = [compiled.fullmatch(text)] if full else list(compiled.finditer(text))
    out = []
    for m in hits:
        if m is None:
            continue
        groups = [
            (None, None) if m.span(i)[0] < 0 else (m.span(i), m.group(i))
            for i in range(1, compiled.groups + 1)
        ]
        out.append((m.span(), m.group(), groups))
    return out


def observed(pattern: str, letters: str, text: str, flavor: str, full: bool) -> list[object]:
    report = find_matches(pattern, text, flavor=flavor, flags=letters, fullmatch=full)  # type: ignore[arg-type]
    (subject,) = report.subjects
    return [(m.span, m.text, [(g.span, g.value) for g in m.groups]) for m in subject.matches]


@given(st.sampled_from(PATTERNS), st.sampled_from(FLAGS), subjects, st.booleans())
@settings(max_examples=300, deadline=None)
def test_matches_are_those_of_re(pattern: str, letters: str, text: str, full: bool) -> None:
    want = expected(pattern, engine_flags(letters, re), text, re, full)
    assert observed(pattern, letters, text, "re", full) == want


@given(
    st.sampled_from([*PATTERNS, r"\p{Lu}+", r"(?<n>a)(?&n)?", r"(?:ab){e<=1}"]),
    st.sampled_from(FLAGS),
    subjects,
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_matches_are_those_of_regex(pattern: str, letters: str, text: str, full: bool) -> None:
    flags = engine_flags(letters, regex) | regex.V0
    want = expected(pattern, flags, text, regex, full)
    assert observed(pattern, letters, text, "regex", full) == want


def test_groups_numbers_names_and_unset() -> None:
    report = find_matches(r"(?P<user>\w+)@(\w+)(x)?", ["alice@example bob@host", "none"])
    assert [(g.number, g.name) for g in report.groups] == [(1, "user"), (2, None), (3, None)]
    first = report.subjects[0].matches[0]
    assert first.span == (0, 13) and first.text == "alice@example"
    assert [(g.span, g.value, g.is_set) for g in first.groups] == [
        ((0, 5), "alice", True),
        ((6, 13), "example", True),
        (None, None, False),
    ]
    assert report.subjects[1].matches == ()
    assert report.matched and report.match_count == 2
    assert not find_matches("z", "abc").matched


def test_invalid_patterns_and_flags() -> None:
    with pytest.raises(PatternError) as caught:
        find_matches("a(b", "x")
    with pytest.raises(re.error) as engine:
        re.compile("a(b")
    assert caught.value.position == engine.value.pos == 1
    with pytest.raises(PatternError) as caught_regex:
        find_matches("a[b", "x", flavor="regex")
    assert caught_regex.value.pattern == "a[b"
    with pytest.raises(RxpError, match="unknown flag"):
        find_matches("a", "a", flags="q")


@given(st.sampled_from(PATTERNS), st.text(alphabet="ab xy-1", max_size=30))
@settings(max_examples=200, deadline=None)
def test_plain_marker_line_covers_exactly_the_matched_characters(pattern: str, text: str) -> None:
    """Single-line ASCII subjects: the marker line's non-blank cells are the matched
    characters, alternating ^ and ~ from match to match, | for an empty match."""
    report = find_matches(pattern, text)
    lines = render_text(report).splitlines()
    matches = report.subjects[0].matches
    if not matches:
        assert lines == ["no match", "  " + text]
        return
    marks = lines[2][2:].ljust(len(text) + 1)
    for m in matches:
        want = "^" if m.number % 2 else "~"
        if m.start == m.end:
            covered = [m.start]
            assert marks[m.start] in "|^~"
        else:
            covered = list(range(m.start, m.end))
            assert all(marks[i] == want for i in covered)
    taken = {i for m in matches for i in (range(m.start, m.end) if m.end > m.start else [m.start])}
    assert all(marks[i] == " " for i in range(len(text) + 1) if i not in taken)


def test_marks_for_multiline_wide_and_tab_subjects() -> None:
    text = render_text(find_matches(r"b\nc|中|\t", "ab\ncd 中\te"))
    assert text.splitlines()[:6] == [
        "3 matches",
        "  ab",
        "   ^^",  # the match covers the newline: one mark past the end of the line
        "   1",
        "  cd 中→e",
        "  ^  ~~^",
    ]


def test_colour_lines_alternate_styles_and_show_empty_matches() -> None:
    (line, *_) = render_lines(find_matches(r"a|(?=b)", "aab"), colour=True)[1:]
    styled = [(t, s) for t, s in line if s]
    assert [t for t, _ in styled] == ["a", "a", "│"]
    assert styled[0][1] != styled[1][1]


def test_json_document_shape() -> None:
    doc = report_document(find_matches(r"(a)|(?P<b>b)", ["ab", "x"], flags="i"))
    assert json.loads(json.dumps(doc)) == doc
    assert doc["version"] == 1 and doc["flags"] == "i" and doc["mode"] == "search"
    assert doc["groups"] == [{"number": 1, "name": None}, {"number": 2, "name": "b"}]
    first, second = doc["subjects"]  # type: ignore[misc]
    assert second == {"number": 2, "text": "x", "timed_out": False, "matches": []}
    assert first["matches"][1] == {
        "number": 2,
        "span": [1, 2],
        "text": "b",
        "groups": [
            {"number": 1, "name": None, "span": None, "value": None},
            {"number": 2, "name": "b", "span": [1, 2], "value": "b"},
        ],
    }


def test_public_api_exports_the_matcher() -> None:
    import rxp

    report = rxp.find_matches(r"(?P<n>\d+)", ["a 12 b 3"], flags="a")
    assert isinstance(report, rxp.MatchReport)
    assert [m.groups[0] for m in report.subjects[0].matches] == [
        rxp.GroupResult(1, "n", (2, 4), "12"),
        rxp.GroupResult(1, "n", (7, 8), "3"),
    ]
    assert {"find_matches", "MatchReport", "MatchResult", "GroupResult", "GroupInfo",
            "SubjectMatches"} <= set(rxp.__all__)  # fmt: skip
