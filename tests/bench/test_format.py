"""The Go benchmark data format: what we write is what the spec's grammar (and benchfmt's
reader rules) accept, and the reader follows the spec.

Go's benchstat could not be installed here (no Go module proxy), so the oracle is a reader
written from the spec in this file, independent of ``rxp._bench._gofmt.parse``.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rxp._bench import Result, format_result, parse, system_config
from rxp._bench._gofmt import MAX_LINE, ParsedResult, SyntaxIssue, pretty_value, read_results

# The spec, 14313-benchmark-format.md: "key: value" with a key that begins with a lowercase
# letter and holds no space or uppercase letter; result lines "BenchmarkName iterations
# value unit [value unit...]" split on white space, an even number of fields, at least four,
# the name "Benchmark" followed by an uppercase letter or the end of the field.
SPEC_CONFIG = re.compile(r"^[a-z][^\sA-Z:]*:(?:[ \t]+.*)?$")


def spec_result(line: str) -> tuple[str, int, list[tuple[float, str]]] | None:
    fields = line.split()
    if not fields or not fields[0].startswith("Benchmark"):
        return None
    name = fields[0]
    rest = name[len("Benchmark") :]
    assert rest == "" or rest[0].isupper(), f"bad name {name!r}"
    assert len(fields) >= 4 and len(fields) % 2 == 0, f"bad field count in {line!r}"
    iterations = int(fields[1])
    pairs = [(float(fields[i]), fields[i + 1]) for i in range(2, len(fields), 2)]
    return name, iterations, pairs


def test_result_line_layout_is_go_tests() -> None:
    # From Go's BenchmarkResult.String: "%8d", then prettyPrint: >= 999.95 -> "%10.0f".
    result = Result(name="BenchmarkX-2", pkg="p", n=1000, ns=1_234_567)
    assert format_result(result) == "BenchmarkX-2\t    1000\t      1235 ns/op"


def test_mb_s_and_memory_layout() -> None:
    result = Result(name="BenchmarkX", pkg="p", n=10, ns=1000, bytes=100, memory=(64, 2))
    # 100 ns/op -> "%12.1f"; 100 B per 100 ns = 1000 MB/s -> "%7.2f"; memory "%8d".
    assert format_result(result) == (
        "BenchmarkX\t      10\t       100.0 ns/op\t1000.00 MB/s\t      64 B/op\t       2 allocs/op"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "         0 x"),
        (1234.4, "      1234 x"),
        (123.44, "       123.4 x"),
        (12.344, "        12.34 x"),
        (1.2344, "         1.234 x"),
        (0.12344, "         0.1234 x"),
        (0.0012344, "         0.001234 x"),
    ],
)
def test_pretty_value_matches_go_prettyprint(value: float, text: str) -> None:
    assert pretty_value(value, "x") == text


def test_config_lines_match_the_spec_and_hold_nothing_per_run() -> None:
    config = system_config()
    keys = [k for k, _ in config]
    assert keys[:2] == ["goos", "goarch"]
    for key, value in config:
        assert SPEC_CONFIG.match(f"{key}: {value}")
        assert not re.search(r"\d{4}-\d\d-\d\d|commit|date|time", f"{key}: {value}")
    assert system_config() == config


names = st.from_regex(
    r"Benchmark[A-Z][A-Za-z0-9]{0,8}(/[a-z]+=[a-z0-9]{1,5}){0,3}(-[0-9])?", fullmatch=True
)


@given(
    name=names,
    n=st.integers(1, 10**9),
    ns=st.integers(1, 10**12),
    nbytes=st.integers(0, 10**6),
    extra=st.dictionaries(
        st.from_regex(r"[a-z]{1,6}/op", fullmatch=True), st.floats(0.001, 1e6), max_size=2
    ),
    memory=st.none() | st.tuples(st.integers(0, 10**6), st.integers(0, 1000)),
)
def test_written_lines_parse_with_the_spec_and_our_reader(
    name: str, n: int, ns: int, nbytes: int, extra: dict[str, float], memory: tuple[int, int] | None
) -> None:
    result = Result(name, "p", n, ns, nbytes, tuple(extra.items()), memory)
    line = format_result(result, width=40)
    oracle = spec_result(line)
    assert oracle is not None
    spec_name, iterations, pairs = oracle
    assert (spec_name, iterations) == (name, n)
    assert [u for _, u in pairs] == [u for _, u in result.metrics()]
    for (got, _), (want, _) in zip(pairs, result.metrics(), strict=True):
        assert got == pytest.approx(want, rel=1e-3, abs=0.006)  # %7.2f MB/s
    (parsed,) = parse([line])
    assert isinstance(parsed, ParsedResult)
    assert (parsed.full_name, parsed.iters, list(parsed.values)) == (spec_name, n, pairs)


SPEC_EXAMPLE = """\
commit: 7cd9055
commit-time: 2016-02-11T13:25:45-0500
goos: darwin
goarch: amd64
cpu: Intel(R) Core(TM) i7-4980HQ CPU @ 2.80GHz
Some free text that is ignored.
BenchmarkDecodeDigits-8 	 200	 8153584 ns/op	 1.23 MB/s	 1000 B/op	 12 allocs/op
BenchmarkDecodeTwain-8  	     100	  21463433 ns/op	   2.54 MB/s
PASS
commit-time:
Header: ignored because of the uppercase letter
BenchmarkBad-8 	     abc	  1 ns/op
BenchmarkOdd 	     1	  1 ns/op 5
Benchmark 10 3.5 ns/op
"""


def test_reader_follows_the_spec_example() -> None:
    records = list(parse(SPEC_EXAMPLE.splitlines()))
    first, second, bad, odd, empty = records
    assert isinstance(first, ParsedResult) and isinstance(second, ParsedResult)
    assert first.name == "DecodeDigits-8"
    assert first.iters == 200
    assert first.values == (
        (8153584.0, "ns/op"),
        (1.23, "MB/s"),
        (1000.0, "B/op"),
        (12.0, "allocs/op"),
    )
    assert dict(first.config) == {
        "commit": "7cd9055",
        "commit-time": "2016-02-11T13:25:45-0500",
        "goos": "darwin",
        "goarch": "amd64",
        "cpu": "Intel(R) Core(TM) i7-4980HQ CPU @ 2.80GHz",
    }
    assert second.values == ((21463433.0, "ns/op"), (2.54, "MB/s"))
    assert isinstance(bad, SyntaxIssue) and "iteration count" in bad.message
    assert isinstance(odd, SyntaxIssue) and "missing units" in odd.message
    assert isinstance(empty, ParsedResult) and empty.name == "" and empty.iters == 10


def test_an_empty_value_deletes_the_key() -> None:
    text = "goos: linux\nBenchmarkA 1 1 ns/op\ngoos:\nBenchmarkB 1 1 ns/op\n"
    a, b = parse(text.splitlines())
    assert isinstance(a, ParsedResult) and isinstance(b, ParsedResult)
    assert dict(a.config) == {"goos": "linux"}
    assert dict(b.config) == {}


# -- reading as benchfmt reads ------------------------------------------------------------------

# benchfmt's own reader tests (golang.org/x/perf, benchfmt/reader_test.go, BSD licence): the
# "bad lines" input and the syntax errors Go's reader gives for it, line by line. rxp adds
# the offending field to a parsing message. (Line 13 of Go's case, a unit metadata conflict,
# is left out: rxp does not use unit metadata.) Line 2 ends with a space (``\x20``): a name
# alone, with nothing after it, is not an error but ``go test -v``'s announcement (below).
GO_BAD_LINES = """\
not a benchmark
BenchmarkTailingSpaceNoIter\x20
BenchmarkBadIter abc
BenchmarkHugeIter 9999999999999999999999999999999
BenchmarkMissingVal 100
BenchmarkBadVal 100 abc
BenchmarkMissingUnit 100 1
BenchmarkMissingUnit2 100 1 ns/op 2
also not a benchmark
Unit
Unit ns/op blah
Unit ns/op a=1
"""
GO_BAD_LINES_ERRORS = [
    (2, "missing iteration count"),
    (3, "parsing iteration count: invalid syntax"),
    (4, "parsing iteration count: value out of range"),
    (5, "missing measurements"),
    (6, "parsing measurement: invalid syntax"),
    (7, "missing units"),
    (8, "missing units"),
    (10, "missing unit"),
    (11, "expected key=value"),
]


def test_bad_lines_give_benchfmts_syntax_errors() -> None:
    read = read_results(GO_BAD_LINES.encode())
    assert read.results == () and read.error is None
    got = [(i.line, i.message) for i in read.issues]
    assert [line for line, _ in got] == [line for line, _ in GO_BAD_LINES_ERRORS]
    for (_, message), (_, go) in zip(got, GO_BAD_LINES_ERRORS, strict=True):
        assert message == go or message.startswith(go + " '"), (message, go)


def test_a_name_alone_is_go_test_vs_announcement_and_skipped() -> None:
    """benchfmt's "verbose" case: ``go test -v`` prints a benchmark's name alone on a line
    as it starts, and the reader ignores that line (a trailing space makes it a bad line,
    as in the "bad lines" case above)."""
    read = read_results(b"BenchmarkOne\nBenchmarkOne 100 1 ns/op\n")
    assert read.issues == () and [(r.name, r.iters) for r in read.results] == [("One", 100)]


def test_benchfmts_weird_lines_are_results() -> None:
    text = (
        "\nBenchmarkSpaces    1   1   ns/op\n"
        "BenchmarkHugeVal 1 9999999999999999999999999999999 ns/op\n"
        "BenchmarkEmSpace\u2003 1\u2003 1\u2003 ns/op\n"
    )
    read = read_results(text.encode())
    assert read.issues == ()
    assert [(r.name, r.iters, r.values) for r in read.results] == [
        ("Spaces", 1, ((1.0, "ns/op"),)),
        ("HugeVal", 1, ((9999999999999999999999999999999.0, "ns/op"),)),
        ("EmSpace", 1, ((1.0, "ns/op"),)),
    ]


def test_lines_end_at_newline_only_and_fields_split_at_gos_white_space() -> None:
    # \v, \f, U+2028 and U+0085 end a line for str.splitlines(), not for bufio.ScanLines: in
    # a field list they are white space, so the next "Benchmark" is read as a value. \x1c
    # is white space for str.split(), not for Go: it stays in the name.
    for sep in ("\v", "\f", "\u2028", "\x85"):
        read = read_results(f"BenchmarkA 1 1 x{sep}BenchmarkB 1 1 x\n".encode())
        assert read.results == ()
        assert [(i.line, i.message) for i in read.issues] == [
            (1, "parsing measurement: invalid syntax 'BenchmarkB'")
        ]
    (result,) = read_results(b"BenchmarkA\x1c 1 1 x\r\n").results
    assert result.name == "A\x1c" and result.values == ((1.0, "x"),)  # and no "\r" in the unit


@pytest.mark.parametrize(
    ("text", "value"),
    [("1_000", 1000.0), ("0x1p-2", 0.25), ("0X_1.8P1", 3.0), ("1e3", 1000.0), (".5", 0.5),
     ("5.", 5.0), ("+1", 1.0), ("-2.5E-1", -0.25), ("1e-400", 0.0), ("007", 7.0)],
)  # fmt: skip
def test_values_read_as_strconv_parsefloat(text: str, value: float) -> None:
    (result,) = read_results(f"BenchmarkA 1 {text} x\n".encode()).results
    assert result.values == ((value, "x"),)


@pytest.mark.parametrize(
    ("text", "why"),
    [("NaN", "not a finite number"), ("nan", "not a finite number"),
     ("inf", "not a finite number"), ("-Inf", "not a finite number"),
     ("+Infinity", "not a finite number"), ("-nan", "invalid syntax"),
     ("1e309", "value out of range"), ("-1e309", "value out of range"),
     ("0x1p2000", "value out of range"), ("\u0661", "invalid syntax"), ("1__0", "invalid syntax"),
     ("_1", "invalid syntax"), ("1_", "invalid syntax"), ("0x10", "invalid syntax"),
     ("1e", "invalid syntax"), ("--1", "invalid syntax"), ("ns/op", "invalid syntax")],
)  # fmt: skip
def test_values_that_are_not_finite_numbers_are_syntax_errors(text: str, why: str) -> None:
    read = read_results(f"BenchmarkA 1 1 x\nBenchmarkA 1 {text} x\n".encode())
    assert len(read.results) == 1  # the good line is kept
    assert [(i.line, i.message) for i in read.issues] == [
        (2, f"parsing measurement: {why} {text!r}")
    ]


def test_a_value_that_overflows_once_tidied_is_out_of_range() -> None:
    read = read_results(b"BenchmarkA 1 1e308 MB/s\nBenchmarkA 1 1e308 ns/op\n")
    assert [(i.line, i.message) for i in read.issues] == [
        (1, "parsing measurement: value out of range '1e308' (in B/s)")
    ]
    assert [r.values for r in read.results] == [((1e308, "ns/op"),)]  # 1e299 sec/op: finite


@pytest.mark.parametrize(
    ("text", "result"),
    [("+5", 5), ("-5", -5), ("9223372036854775807", 2**63 - 1),
     ("1_000", "invalid syntax"), ("\u0663", "invalid syntax"), ("5.0", "invalid syntax"),
     ("9223372036854775808", "value out of range")],
)  # fmt: skip
def test_iteration_counts_read_as_strconv_atoi(text: str, result: int | str) -> None:
    read = read_results(f"BenchmarkA {text} 1 x\n".encode())
    if isinstance(result, int):
        assert [r.iters for r in read.results] == [result]
    else:
        assert [i.message for i in read.issues] == [f"parsing iteration count: {result} {text!r}"]


def test_bytes_that_are_not_utf8_or_a_line_too_long_stop_the_reading() -> None:
    read = read_results(b"BenchmarkA 1 1 x\nBenchmarkB 1 \xff x\nBenchmarkC 1 1 x\n")
    assert [r.name for r in read.results] == ["A"]
    assert read.error == SyntaxIssue(2, "not valid UTF-8 (byte 14 of the line)", fatal=True)
    long_line = b"BenchmarkA 1 1 x\n" + b"x" * MAX_LINE + b"\nBenchmarkC 1 1 x\n"
    read = read_results(long_line)
    assert read.error == SyntaxIssue(2, f"line longer than {MAX_LINE} bytes", fatal=True)
    fits = b"x" * (MAX_LINE - 1) + b"\nBenchmarkC 1 1 x"  # the newline counts; EOF ends a line
    assert [r.name for r in read_results(fits).results] == ["C"]
