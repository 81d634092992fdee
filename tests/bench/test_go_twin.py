"""``rxp bench`` on bench_twin.py prints what ``go test -bench`` prints on its Go twin.

``go/twin/`` holds twin_test.go, its Python twin bench_twin.py, and three transcripts Go 1.19.8
made of the Go file (see go/README.md): plain text, ``-v`` and ``-json``. Both files are run
with ``-benchtime 10x -cpu 1,2`` (and ``-v``, ``--json``) and the outputs are held to the
same *shape*: the same sequence of line kinds, benchmark names (with their ``-N`` suffixes)
and units, the same ``--- SKIP/FAIL/BENCH:`` reports, the same log messages (and their
continuation lines) in the same order, each with a ``file:line:`` prefix that names the same
statement in its own source, the same ``PASS``/``FAIL`` and ``ok``/``FAIL pkg`` trailers;
for ``--json``, the same sequence of (Action, Test) pairs. What must differ is normalised
away: the numbers, the padding, the file names and line numbers, the package and the time,
configuration lines (``goos:``, ``cpu:``, rxp's ``python:``), and ``exit status 1``, which
the go command prints about its child process. One difference is rxp's on purpose and
normalised in Go's text (see ``_go_quirk`` and docs/bench.md, "The output"). As ``go test``
prints all of it on stdout, rxp's stdout is what is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pytest

from tests.helpers import run_rxp

TWIN = Path(__file__).parent / "go" / "twin"
GO_SOURCE = TWIN / "twin_test.go"
PY_SOURCE = TWIN / "bench_twin.py"
ARGS = ("--benchtime", "10x", "--cpu", "1,2")

Token = tuple[str, ...]

_CONFIG = re.compile(r"[a-z][^\s:]*: .*")
_RESULT = re.compile(r"(Benchmark\S*)\s+(\d+)((?:\s+\S+ \S+)*)\s*")
_METRIC = re.compile(r"\s+([-+.\deE]+|NaN|[-+]?Inf) (\S+)")
_ANNOUNCE = re.compile(r"Benchmark\S*")
_REPORT = re.compile(r"(\s*)--- (PASS|FAIL|SKIP|BENCH): (\S+)(?: \([\d.]+s\))?")
_LOG = re.compile(r"(\s+)([^\s:/]+\.(?:go|py)):(\d+): (.*)")
_SUMMARY = re.compile(r"(ok  |FAIL)\t\S+\t(?:\d+\.\d+s|\(cached\))")
_CONTINUED = re.compile(r" {8}(\S.*)")
_FAILED_LATE = re.compile(r"(Benchmark\S*)\s+\t(--- FAIL: \1)")


def statement(line: str) -> str:
    """A source line as both languages write it: no spaces, no underscores, lower case, so
    ``logHere(b, "hello")`` and ``_log_here(b, "hello")`` are the same statement."""
    return re.sub(r"[\s_]", "", line).lower().rstrip(";")


def sources(*paths: Path) -> dict[str, list[str]]:
    return {p.name: p.read_text(encoding="utf-8").splitlines() for p in paths}


def normalise(text: str, source: Mapping[str, Sequence[str]]) -> list[Token]:
    """The shape of ``go test -bench`` output: one token per line that both tools print."""
    tokens: list[Token] = []
    for line in text.splitlines():
        tokens.extend(_token(_go_quirk(line), source))
    return tokens


def _go_quirk(line: str) -> str:
    """The one difference kept on purpose (docs/bench.md, "The output"). Without ``-v``, Go
    prints a benchmark's padded name before measuring it, so one that fails after its first
    call (b.N = 1) leaves ``BenchmarkX-2   \t--- FAIL: BenchmarkX-2`` on one line, which
    benchfmt (benchstat's reader) takes for a result line and rejects as a syntax error;
    rxp prints the ``--- FAIL`` line alone. Only that line is rewritten, to rxp's form."""
    m = _FAILED_LATE.fullmatch(line)
    return m.group(2) if m else line


def _token(line: str, source: Mapping[str, Sequence[str]]) -> Iterable[Token]:
    if line in ("PASS", "FAIL"):
        return [("trailer", line)]
    if m := _SUMMARY.fullmatch(line):
        return [("summary", m.group(1))]
    if line.startswith("exit status "):
        return []
    if m := _RESULT.fullmatch(line):
        units = tuple(u for _, u in _METRIC.findall(m.group(3)))
        return [("result", m.group(1), *units)]
    if _ANNOUNCE.fullmatch(line):
        return [("announce", line)]
    if m := _REPORT.fullmatch(line):
        return [("report", m.group(1), m.group(2), m.group(3))]
    if m := _LOG.fullmatch(line):
        indent, file, number, message = m.groups()
        lines = source.get(file, ())
        n = int(number)
        named = statement(lines[n - 1]) if 0 < n <= len(lines) else f"?{file}:{n}"
        return [("log", indent, message, named)]
    if m := _CONTINUED.fullmatch(line):
        return [("continued", m.group(1))]
    if _CONFIG.fullmatch(line):
        return []
    return [("other", line)]


def json_events(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def pairs(events: Iterable[dict[str, object]]) -> list[tuple[str, str]]:
    """(Action, Test) with neighbouring output events of one test counted once: where an
    output line is cut into events depends on when the bytes were read, in Go as here."""
    out: list[tuple[str, str]] = []
    for e in events:
        pair = (str(e["Action"]), str(e.get("Test", "")))
        if not (pair[0] == "output" and out and out[-1] == pair):
            out.append(pair)
    return out


def output_text(events: Iterable[dict[str, object]]) -> str:
    return "".join(str(e["Output"]) for e in events if e["Action"] == "output")


GO = sources(GO_SOURCE)
BOTH = sources(GO_SOURCE, PY_SOURCE)
GO_TEXT = (TWIN / "go-test-bench.txt").read_text(encoding="utf-8")
GO_VERBOSE = (TWIN / "go-test-bench-v.txt").read_text(encoding="utf-8")
GO_JSON = json_events((TWIN / "go-test-bench.json").read_text(encoding="utf-8"))


# -- the normaliser, checked on Go's transcripts ---------------------------------------------------


def test_the_transcripts_are_gos_with_every_line_understood() -> None:
    for text in (GO_TEXT, GO_VERBOSE, output_text(GO_JSON)):
        tokens = normalise(text, GO)
        assert not [t for t in tokens if t[0] == "other"]
        assert not [t for t in tokens if t[0] == "log" and t[3].startswith("?")]
        assert tokens[-2:] == [("trailer", "FAIL"), ("summary", "FAIL")]


def test_two_go_runs_have_one_shape() -> None:
    """The -json run's text is the -v text of another run: numbers and times differ, the
    shape does not."""
    assert normalise(output_text(GO_JSON), GO) == normalise(GO_VERBOSE, GO)
    assert output_text(GO_JSON) != GO_VERBOSE


def test_the_shape_keeps_what_go_prints() -> None:
    shape = normalise(GO_TEXT, GO)
    results = [t[1] for t in shape if t[0] == "result"]
    assert results[:4] == [
        "BenchmarkPlain",
        "BenchmarkPlain-2",
        "BenchmarkMetrics",
        "BenchmarkMetrics-2",
    ]
    assert "BenchmarkSub/large-2" in results and "BenchmarkSub" not in results
    assert (
        "result",
        "BenchmarkMetrics",
        "ns/op",
        "MB/s",
        "widgets/op",
        "B/op",
        "allocs/op",
    ) in shape
    assert ("report", "", "FAIL", "BenchmarkFatal") in shape
    assert ("report", "", "BENCH", "BenchmarkLog-2") in shape
    assert ("report", "", "FAIL", "BenchmarkFailLate-2") in shape  # rxp's form of Go's line
    assert ("report", "", "FAIL", "BenchmarkTree") in shape  # failed by its sub-benchmark
    assert ("continued", "line 3") in shape
    assert not [t for t in shape if t[0] == "report" and t[2] == "SKIP"]  # only with -v
    assert not [t for t in shape if t[0] == "log" and t[2] == "parent log"]  # only with -v
    helper = [t for t in shape if t[0] == "log" and t[2] == "helper says hello"]
    assert {t[3] for t in helper} == {statement('logHere(b, "hello")')}  # the caller's line


def test_the_verbose_shape_keeps_what_go_prints_with_v() -> None:
    """-v: names announced before the run, logs before the result, --- SKIP, no --- BENCH."""
    shape = normalise(GO_VERBOSE, GO)
    assert shape[:2] == [("announce", "BenchmarkPlain"), ("result", "BenchmarkPlain", "ns/op")]
    skip = shape.index(("report", "", "SKIP", "BenchmarkSkip"))
    assert shape[skip - 2 : skip] == [
        ("announce", "BenchmarkSkip"),
        ("log", "    ", "skip reason", statement('b.Skip("skip", "reason")')),
    ]
    assert ("announce", "BenchmarkSub/skipped") in shape
    assert [t for t in shape if t[0] == "log" and t[2] == "parent log"]
    assert not [t for t in shape if t[0] == "report" and t[2] == "BENCH"]


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.replace("BenchmarkPlain-2 ", "BenchmarkPlain-4 "),
        lambda s: s.replace("widgets/op", "gadgets/op"),
        lambda s: s.replace("--- BENCH: BenchmarkName\n", ""),
        lambda s: s.replace("fatalf 1", "fatalf 2"),
        lambda s: s.replace("twin_test.go:43:", "twin_test.go:44:"),
        lambda s: s.replace("twin_test.go:43:", "twin_test:43:"),
        lambda s: s.replace("    twin_test.go:91", "\ttwin_test.go:91"),
        lambda s: s.replace("        line 3", "       line 3"),
        lambda s: s.replace("BenchmarkFailLate     \t--- FAIL", "BenchmarkFailLate     \t--- SKIP"),
        lambda s: s.replace("BenchmarkFailLate     \t--- FAIL", "BenchmarkFailLate     \t10"),
        lambda s: s.replace("FAIL\ttwin\t", "ok  \ttwin\t"),
        lambda s: s.replace("FAIL\ttwin\t", "FAIL twin "),
        lambda s: s.replace("\nFAIL\n", "\nPASS\n"),
        lambda s: s + "a stray line\n",
    ],
)
def test_the_normaliser_sees_a_change_of_shape(change: object) -> None:
    assert callable(change)
    changed = change(GO_TEXT)
    assert changed != GO_TEXT
    assert normalise(changed, GO) != normalise(GO_TEXT, GO)


def _as_python(text: str) -> str:
    """Go's transcript as rxp would print it for the twin: every `twin_test.go:N:` moved to
    the line of bench_twin.py with the same statement, another package, a python: line."""
    python_line = {statement(s): i for i, s in enumerate(BOTH[PY_SOURCE.name], 1)}

    def move(m: re.Match[str]) -> str:
        go_statement = statement(BOTH[GO_SOURCE.name][int(m.group(1)) - 1])
        return f"bench_twin.py:{python_line[go_statement]}:"

    text = re.sub(r"twin_test\.go:(\d+):", move, text)
    text = text.replace("pkg: twin\n", "pkg: tests/bench/go/twin\npython: 3.11.2 CPython\n")
    return re.sub(r"(?m)^FAIL\ttwin\t\S+$", "FAIL\ttests/bench/go/twin\t0.500s", text)


def test_every_go_log_statement_has_its_python_twin_line() -> None:
    """Each statement Go's transcripts name has a line in bench_twin.py written alike, so a
    right rxp output normalises to Go's shape (and the `exit status` line is Go's alone)."""
    python_text = _as_python(GO_TEXT).replace("exit status 1\n", "")
    assert "bench_twin.py:" in python_text and "twin_test.go" not in python_text
    assert normalise(python_text, BOTH) == normalise(GO_TEXT, BOTH)


def test_json_pairs_of_go_itself() -> None:
    start = pairs(GO_JSON)
    assert start[-1] == ("fail", "")
    assert ("skip", "BenchmarkSub/skipped") in start and ("fail", "BenchmarkFatal") in start


# -- rxp against Go (needs rxp bench's testing.B parity and --json) ------------------------


def test_rxp_bench_text_has_the_shape_of_go_test_bench() -> None:
    done = run_rxp("bench", str(PY_SOURCE), *ARGS, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert normalise(done.stdout, BOTH) == normalise(GO_TEXT, BOTH), done.stdout


def test_rxp_bench_v_has_the_shape_of_go_test_bench_v() -> None:
    done = run_rxp("bench", str(PY_SOURCE), *ARGS, "-v", text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert normalise(done.stdout, BOTH) == normalise(GO_VERBOSE, BOTH), done.stdout


def test_rxp_bench_json_has_the_events_of_go_test_json() -> None:
    """Go 1.19 has no `start` event (Go 1.20 added it); rxp follows the newer converter."""
    done = run_rxp("bench", str(PY_SOURCE), *ARGS, "--json", text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    events = json_events(done.stdout)
    assert all("Time" in e and e.get("Package") for e in events)
    assert pairs(events) == [("start", ""), *pairs(GO_JSON)]
    assert normalise(output_text(events), BOTH) == normalise(output_text(GO_JSON), BOTH)
