"""--pattern: named groups become fields; where the pattern cuts a nested value or fails,
the fallback walks the pattern's AST, keeps its separators and anchors, and reads the group
at that position as one balanced value."""

from __future__ import annotations

import json
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import PatternError, parse_line
from rxp._logparse._fallback import Segment, plan
from rxp._syntax._parse import parse

ISSUE = r"^(?P<ts>\S+) (?P<ctx>\{.*?\}) (?P<msg>.*)$"


def test_the_issue_example_reads_ctx_as_the_whole_object():
    record = parse_line('T1 {"a":"} x"} the tail', pattern=ISSUE)
    assert record == {
        "_line": 1,
        "_format": "pattern+fallback",
        "ts": "T1",
        "ctx": '{"a":"} x"}',
        "msg": "the tail",
    }
    assert json.loads(record["ctx"]) == {"a": "} x"}


def test_a_line_the_pattern_reads_cleanly_does_not_use_the_fallback():
    record = parse_line('T1 {"a":1} ok', pattern=ISSUE)
    assert record == {"_line": 1, "_format": "pattern", "ts": "T1", "ctx": '{"a":1}', "msg": "ok"}


def test_the_plan_keeps_separators_and_anchors_as_written():
    segments = plan(parse(ISSUE))
    assert segments is not None
    assert [(s.kind, s.text, s.source, s.name) for s in segments] == [
        ("start", "", "", None),
        ("regex", "", r"\S+", "ts"),
        ("literal", " ", "", None),
        ("regex", "", r"\{.*?\}", "ctx"),
        ("literal", " ", "", None),
        ("regex", "", ".*", "msg"),
        ("end", "", "", None),
    ]
    assert all(isinstance(s, Segment) for s in segments)


def test_a_pattern_that_fails_outright_is_rescued_when_a_group_holds_a_balanced_value():
    # [^\]]* cannot cross the inner ']' so the pattern as a whole fails to match.
    pattern = r"^(?P<level>\w+): (?P<tags>\[[^\]]*\]) -- (?P<rest>.+)$"
    record = parse_line('WARN: ["a]", "b"] -- disk almost full', pattern=pattern)
    assert record["_format"] == "pattern+fallback"
    assert (record["level"], record["tags"], record["rest"]) == (
        "WARN",
        '["a]", "b"]',
        "disk almost full",
    )


def test_unmatched_line_reports_the_column_and_keeps_groups_read_before_it():
    record = parse_line("T1 {} ", pattern=r"^(?P<ts>\S+) (?P<ctx>\{.*?\}) (?P<msg>\d+)$")
    assert record["ts"] == "T1" and record["ctx"] == "{}"
    assert record["_error"] == "group 'msg' does not match here at column 7"
    assert record["_format"] == "pattern+fallback"
    assert record["_raw"] == "T1 {} "


def test_missing_separator_is_named():
    record = parse_line("T1", pattern=ISSUE)
    assert record["_error"] == "expected ' ' at column 3"
    assert record["ts"] == "T1"


def test_unbalanced_value_in_the_fallback_is_an_error_with_its_column():
    record = parse_line('T1 {"a":"} x', pattern=ISSUE)  # a truncated object
    assert record["_error"] == "unterminated quoted string at column 9"
    assert (record["ts"], record["ctx"], record["msg"]) == ("T1", '{"a":"}', "x")


def test_optional_groups_that_did_not_take_part_are_left_out():
    record = parse_line("GET /x", pattern=r"^(?P<method>\w+) (?P<path>\S+)(?: (?P<proto>\S+))?$")
    assert record == {"_line": 1, "_format": "pattern", "method": "GET", "path": "/x"}


def test_inline_flags_apply_to_the_fallback_sub_patterns():
    pattern = r"(?i)^(?P<lvl>error|warn) (?P<ctx>\{.*?\})$"
    record = parse_line('ERROR {"k":"}"}', pattern=pattern)
    assert (record["lvl"], record["ctx"]) == ("ERROR", '{"k":"}"}')


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(", "missing ), unterminated subpattern"),
        (r"(\d+) (\w+)", "the pattern has no named groups"),
    ],
)
def test_bad_patterns_are_rejected_before_any_line(pattern, message):
    with pytest.raises(PatternError) as info:
        parse_line("x", pattern=pattern)
    assert info.value.message.startswith(message)


# --- the generalisation: separators and groups, each group a nested value -----------------

tricky = st.text(alphabet=string.ascii_letters + ' }{][")(\\|,:', max_size=8)
json_objects = st.dictionaries(
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=4),
    tricky | st.lists(tricky, max_size=2),
    max_size=3,
)
separators = st.sampled_from([" ", " | ", " -- ", "; ", " :: "])


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.tuples(json_objects, separators), min_size=1, max_size=4),
    st.text(alphabet=string.ascii_letters + " ", max_size=15),
)
def test_every_group_gets_its_whole_value_and_the_tail_follows_the_last_separator(parts, tail):
    line = ""
    pattern = "^"
    expect: dict[str, str] = {}
    for i, (obj, sep) in enumerate(parts):
        text = json.dumps(obj)
        line += text + sep
        pattern += rf"(?P<g{i}>\{{.*?\}}){re.escape(sep)}"
        expect[f"g{i}"] = text
    line += tail
    pattern += r"(?P<tail>.*)$"
    expect["tail"] = tail
    record = parse_line(line, pattern=pattern)
    assert "_error" not in record, record
    assert {k: v for k, v in record.items() if not k.startswith("_")} == expect
    for i, (obj, _) in enumerate(parts):
        assert json.loads(record[f"g{i}"]) == obj


def test_a_stray_quote_in_free_text_is_not_a_cut():
    record = parse_line('x he said "hi', pattern=r"^(?P<a>\S+) (?P<b>.*)$")
    assert record == {"_line": 1, "_format": "pattern", "a": "x", "b": 'he said "hi'}


def test_an_unanchored_pattern_is_walked_from_where_it_can_start():
    pattern = r"user=(?P<user>\w+) ctx=(?P<ctx>\{.*?\}) (?P<rest>\w+)"
    record = parse_line('2024 INFO user=bob ctx={"q":"} x"} done', pattern=pattern)
    assert record["_format"] == "pattern+fallback"
    assert (record["user"], record["ctx"], record["rest"]) == ("bob", '{"q":"} x"}', "done")


def test_the_regex_flavour_runs_on_the_regex_package_with_the_same_fallback():
    pattern = r"^(?<ts>\p{Lu}\d) (?<ctx>\{.*?\}) (?<msg>.*)$"
    record = parse_line('T1 {"a":"} x"} tail', pattern=pattern, flavor="regex")
    assert (record["_format"], record["ctx"], record["msg"]) == (
        "pattern+fallback",
        '{"a":"} x"}',
        "tail",
    )
    with pytest.raises(PatternError):
        parse_line("x", pattern=r"(?<ts>\S+)", flavor="re")  # re has no (?<name>...)


# --- quoted values: escapes, brackets inside, and embedded JSON (issue 16) ----------------

REQUEST = r'^(?P<ip>\S+) "(?P<req>[^"]*)" (?P<status>\d+)$'


def test_a_quoted_group_reads_past_an_escaped_quote():
    record = parse_line(r'1.2.3.4 "GET /a\"b HTTP/1.1" 200', pattern=REQUEST)
    assert record == {
        "_line": 1,
        "_format": "pattern+fallback",
        "ip": "1.2.3.4",
        "req": r"GET /a\"b HTTP/1.1",  # kept as written, as a capture is
        "status": "200",
    }


def test_an_unanchored_match_that_starts_at_an_escaped_quote_is_not_trusted():
    # re.search finds `"b"` (the escaped quote taken for an opening one); the walk reads
    # the first string whole
    record = parse_line(r'"GET /a\"b" tail', pattern=r'"(?P<req>[^"]*)" (?P<rest>.*)')
    assert (record["req"], record["rest"]) == (r"GET /a\"b", "tail")


def test_brackets_inside_quotes_do_not_count():
    pattern = r'^(?P<a>\S+) "(?P<q>[^"]*)" (?P<j>\{.*?\}) (?P<rest>.*)$'
    record = parse_line('x "a [b {" {"k": {"n": [1, "}"]}} end', pattern=pattern)
    assert (record["q"], record["j"], record["rest"]) == ("a [b {", '{"k": {"n": [1, "}"]}}', "end")
    assert record["_format"] == "pattern"


def test_a_line_that_does_not_escape_its_quotes_keeps_the_direct_match():
    record = parse_line('x "say "hi" now" end', pattern=r'^(?P<a>\S+) "(?P<q>.*)" (?P<b>\S+)$')
    assert (record["q"], record["b"], record["_format"]) == ('say "hi" now', "end", "pattern")


def test_an_unterminated_quoted_value_is_kept_whole_with_the_column():
    record = parse_line('1.2.3.4 "GET /a\\"b 200', pattern=REQUEST)
    assert record["_error"] == "unterminated quoted string at column 9"
    assert record["_raw"] == '1.2.3.4 "GET /a\\"b 200'
    assert record["ip"] == "1.2.3.4"


quoted_text = st.text(alphabet=string.ascii_letters + ' "\\{}[]()<>:,=', max_size=12)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-99, 99) | quoted_text,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(string.ascii_letters, min_size=1, max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
json_object = st.dictionaries(st.text(string.ascii_letters, min_size=1, max_size=3), json_value)
word = st.text(alphabet=string.ascii_letters + string.digits + "./-:", min_size=1, max_size=8)
field = st.one_of(
    st.tuples(st.just("quoted"), quoted_text),
    st.tuples(st.just("json"), json_object),
    st.tuples(st.just("word"), word),
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@settings(max_examples=150, deadline=None)
@given(st.lists(field, min_size=1, max_size=5), st.booleans())
def test_the_fallback_gives_back_every_generated_field(fields, anchored):
    rendered: list[str] = []
    groups: list[str] = []
    expect: dict[str, str] = {}
    for i, (kind, value) in enumerate(fields):
        name = f"g{i}"
        if kind == "quoted":
            assert isinstance(value, str)
            text = _escape(value)
            rendered.append(f'"{text}"')
            groups.append(f'"(?P<{name}>[^"]*)"')
        elif kind == "json":
            text = json.dumps(value)
            rendered.append(text)
            groups.append(rf"(?P<{name}>\{{.*?\}})")
        else:
            assert isinstance(value, str)
            text = value
            rendered.append(text)
            groups.append(rf"(?P<{name}>\S+)")
        expect[name] = text
    line = "start " + " ".join(rendered) + " end"
    pattern = (
        ("^start " if anchored else "start ")
        + " ".join(groups)
        + " end"
        + ("$" if anchored else "")
    )
    record = parse_line(line, pattern=pattern)
    assert "_error" not in record, (line, pattern, record)
    assert {k: v for k, v in record.items() if not k.startswith("_")} == expect
    for i, (kind, value) in enumerate(fields):
        if kind == "json":
            assert json.loads(record[f"g{i}"]) == value
        if kind == "quoted":
            assert json.loads(f'"{record[f"g{i}"]}"') == value  # the escapes, undone
