"""Grok, groks and regex formats against oracles: pygrok (the peer, same definitions) on the
same lines, Python's ``re`` on the expanded pattern, and generated field values rendered
through a grok expression and read back."""

from __future__ import annotations

import json
import re
import string
import sys
from pathlib import Path

import pygrok
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import RxpError, parse_line
from rxp._logparse._grok import grok_parser, groks_parser, regex_parser
from rxp._logparse._records import LineError
from rxp._syntax._grok import compile_grok, library, read_definitions
from tests.helpers import run_rxp
from tests.logparse.helpers import fields

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from grok_vs_pygrok import apache_lines

SETTINGS = settings(max_examples=100, deadline=None)


# --- pygrok, the peer ------------------------------------------------------------------------

PEER_CASES = [
    ("%{COMBINEDAPACHELOG}", apache_lines(300, seed=3)),
    (
        "%{SYSLOGBASE} %{GREEDYDATA:message}",
        [
            "Jun  8 11:22:33 myhost sshd[123]: Accepted password for bob",
            "Dec 24 01:02:03 10.0.0.1 kernel: oops",
            "Mar 15 23:59:59 web-1.example.org cron[7]: (root) CMD (true)",
        ],
    ),
    (
        "%{IP:client} %{WORD:method} %{URIPATHPARAM:request} %{NUMBER:bytes:int} "
        "%{NUMBER:duration:float}",
        ["55.3.244.1 GET /index.html 15824 0.043", "::1 POST /a?b=c 0 1.5"],
    ),
]


@pytest.mark.parametrize(("expression", "lines"), PEER_CASES, ids=lambda x: str(x)[:24])
def test_pygrok_gives_the_same_fields(expression: str, lines: list[str]) -> None:
    peer = pygrok.Grok(expression, custom_patterns=dict(library()))
    parse = grok_parser(expression)
    for line in lines:
        theirs = {k: v for k, v in peer.match(line).items() if v is not None}
        ours, _ = parse(line)
        assert ours == theirs, line


# --- re on the expanded text ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["COMBINEDAPACHELOG", "SYSLOGLINE", "HTTPD_ERRORLOG", "URI"])
def test_the_expansion_is_one_re_pattern_whose_groups_are_the_fields(name: str) -> None:
    grok = compile_grok("%{" + name + "}")
    assert grok.flavor == "re"
    compiled = re.compile(grok.text)
    assert set(compiled.groupindex) == {f.group for f in grok.fields}
    assert "%{" not in grok.text


def test_every_library_definition_compiles_but_the_one_python_rejects() -> None:
    failing = []
    for name in library():
        try:
            compile_grok("%{" + name + "}")
        except RxpError:
            failing.append(name)
    assert failing == ["SHOREWALL"]  # `.?*`: a quantifier on a quantifier


@given(st.text(alphabet="ab .-", max_size=30))
@SETTINGS
def test_grok_agrees_with_re_search_on_the_expansion(line: str) -> None:
    expression = "%{WORD:w}(?:-%{INT:n:int})? %{DATA:rest}$"
    grok = compile_grok(expression)
    match = re.search(grok.text, line)
    record = parse_line(line, format="grok", options={"pattern": expression})
    if match is None:
        assert "_error" in record
        return
    want: dict[str, object] = {k: v for k, v in match.groupdict().items() if v is not None}
    if "n" in want:
        want["n"] = int(str(want["n"]))
    assert fields(record) == want


# --- round trips: values rendered through an expression read back ---------------------------

words = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=12)
ints = st.integers(min_value=-(10**12), max_value=10**12)
ipv4 = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))


@given(words, ints, ipv4, st.text(alphabet=string.printable.strip() + " ", max_size=40))
@SETTINGS
def test_rendered_fields_parse_back(word: str, n: int, ip: str, rest: str) -> None:
    expression = "%{WORD:[user][name]} n=%{INT:n:int} from %{IP:client.ip} %{GREEDYDATA:rest}"
    line = f"{word} n={n} from {ip} {rest}"
    record = parse_line(line, format="grok", options={"pattern": expression})
    want = {"user": {"name": word}, "n": n, "client.ip": ip, "rest": rest}
    assert fields(record) == want


@given(st.lists(words, min_size=2, max_size=4))
@SETTINGS
def test_a_field_captured_twice_is_an_array(values: list[str]) -> None:
    expression = " ".join("%{WORD:w}" for _ in values)
    record = parse_line(" ".join(values), format="grok", options={"pattern": expression})
    assert fields(record) == {"w": values}


# --- the expander --------------------------------------------------------------------------


def test_custom_definitions_nest_and_win_over_the_library() -> None:
    table = read_definitions("# mine\nINT \\d{3}\nPAIR %{INT:a:int}/%{INT:b}\n\n")
    parse = grok_parser("%{PAIR}", "INT \\d{3}\nPAIR %{INT:a:int}/%{INT:b}")
    assert table == {"INT": "\\d{3}", "PAIR": "%{INT:a:int}/%{INT:b}"}
    assert parse("x 123/456 12/34")[0] == {"a": 123, "b": "456"}


def test_oniguruma_spellings_are_translated() -> None:
    grok = compile_grok(r"(?m)(?<id>\h{4}).*\z", {})
    assert grok.flavor == "re"
    assert [(f.group, f.field) for f in grok.fields] == [("id", "id")]
    assert re.fullmatch(grok.text, "beef\nmore")
    # a flag in mid-pattern: Python's re refuses it there, the regex package takes it
    assert compile_grok(r"x(?m).", {}).flavor == "regex"


def test_a_plain_group_in_a_definition_does_not_capture() -> None:
    grok = compile_grok("%{HOSTNAME:h}")  # HOSTNAME ends with (\.?|\b)
    assert re.compile(grok.text).groups == 1


def test_atomic_groups_and_lookbehind_stay() -> None:
    grok = compile_grok("%{BASE10NUM:n}")
    assert "(?>" in grok.text and "(?<!" in grok.text
    assert grok_parser("%{BASE10NUM:n:float}")("x 2.5")[0] == {"n": 2.5}


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("%{NOG}", "could not be found"),
        ("%{A}", "refer to themselves"),
        ("%{WORD", None),
        ("(%{WORD}", "invalid regex"),
    ],
)
def test_bad_expressions_are_bad_requests(expression: str, words: str | None) -> None:
    defs = "A %{B}\nB x%{A}"
    if words is None:  # an unclosed reference is literal text, as in Logstash
        assert grok_parser(expression, defs)("%{WORD")[0] == {}
        return
    with pytest.raises(RxpError, match=words):
        grok_parser(expression, defs)


def test_no_match_is_an_error_record_with_the_line() -> None:
    record = parse_line("nothing here", format="grok", options={"pattern": "%{IP:ip}"})
    assert record["_raw"] == "nothing here" and "grok" in str(record["_error"])


# --- groks ---------------------------------------------------------------------------------


def test_groks_filters_and_nested_paths() -> None:
    parse = groks_parser(
        [
            '%{word:a.b:uppercase} %{number:n:scale(10)} %{notSpace:x:nullIf("-")} '
            "%{integerExt:big} %{data:j:json}"
        ]
    )
    record, _ = parse('hi 2.5 - 1e3 {"k": [1, 2]}')
    assert record == {"a": {"b": "HI"}, "n": 25, "big": 1000, "j": {"k": [1, 2]}}


def test_groks_matches_the_whole_line_and_tries_rules_in_order() -> None:
    parse = groks_parser(["%{word:w}", "%{word:w} %{integer:n}"])
    assert parse("abc 12")[0] == {"w": "abc", "n": 12}
    with pytest.raises(LineError):
        parse("abc 12 more")


def test_groks_bad_requests() -> None:
    with pytest.raises(RxpError, match="could not be found"):
        groks_parser(["%{NOG}"])  # VRL's invalid_grok
    with pytest.raises(RxpError, match="invalid argument"):
        groks_parser(["%{word:w}"], {"TEST": 3})  # VRL's error3
    with pytest.raises(RxpError, match="not supported"):
        groks_parser(['%{date("yyyy"):d}'])
    with pytest.raises(RxpError, match="unknown filter"):
        groks_parser(["%{word:w:frobnicate}"])


# --- regex ---------------------------------------------------------------------------------


@given(st.text(alphabet="ab-", max_size=12))
@SETTINGS
def test_regex_agrees_with_re(line: str) -> None:
    pattern = r"(?P<x>a+)(-(?P<y>b+))?"
    match = re.search(pattern, line)
    try:
        record, _ = regex_parser(pattern, numeric_groups=True)(line)
    except LineError:
        assert match is None
        return
    assert match is not None
    matched = [g for g in (match.group(0), *match.groups()) if g is not None]
    want: dict[str, object] = {str(i): g for i, g in enumerate(matched)}
    want.update(match.groupdict())  # an unmatched named group is null
    assert record == want


def test_regex_takes_the_regex_flavour_when_re_cannot() -> None:
    record, _ = regex_parser(r"(?<w>\p{Lu}\w+)")("say Hello")
    assert record == {"w": "Hello"}


# --- the command line ----------------------------------------------------------------------


def test_cli_grok_with_custom_patterns(tmp_path: Path) -> None:
    patterns = tmp_path / "patterns"
    patterns.write_text("PAIR %{INT:a:int}-%{INT:b:int}\n", encoding="utf-8")
    proc = run_rxp(
        "parse", "-q", "--grok", "%{WORD:w} %{PAIR}", "--grok-patterns", str(patterns),
        stdin="x 1-2\nnope\n", text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert fields(first) == {"w": "x", "a": 1, "b": 2}
    assert second["_error"].startswith("unable to parse input with grok pattern")


def test_cli_unknown_grok_name_is_a_usage_error() -> None:
    proc = run_rxp("parse", "--grok", "%{NOG}", stdin="x\n", text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "NOG" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--grok", "^(?<x>(.+)+)é$"],
        ["--format", "regex", "--option", "pattern=^(?P<x>(.+)+)é$"],
        ["--format", "groks", "--option", 'patterns=["%{regex(\\"(.+)+é\\"):x}"]'],
    ],
    ids=["grok", "regex", "groks"],
)
def test_a_hostile_user_pattern_costs_one_line_its_budget_not_the_run(args: list[str]) -> None:
    """A catastrophic pattern on a line RE2 cannot answer exactly (not ASCII) gets the
    --timeout budget: that line becomes an error record, the next line is still read."""
    from tests.helpers import run_rxp

    lines = "é" * 30 + "!\n" + "ééé\n"
    proc = run_rxp("parse", "--timeout", "0.2", *args, stdin=lines.encode(), timeout=30)
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["_line"] for r in records] == [1, 2]
    assert records[0]["_error"].startswith("matching took over 0.2s")
    assert "_error" not in records[1]
    assert b"1 line(s) not read" in proc.stderr
