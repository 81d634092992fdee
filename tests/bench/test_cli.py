"""``rxp bench`` as a user runs it: in a subprocess, with stdout checked line by line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rxp._bench import parse
from rxp._bench._gofmt import ParsedResult, SyntaxIssue
from tests.helpers import run_rxp

SUITE = textwrap.dedent(
    """
    def BenchmarkJoin(b):
        parts = ["x"] * 50
        b.set_bytes(50)
        for _ in range(b.n):
            "".join(parts)

    def bench_sub_cases(b):
        for size in (1, 8):
            b.run(f"size={size}", lambda b: [str(i) for i in range(b.n * size)])

    def BenchmarkChatty(b):
        print("a benchmark that prints")
        for _ in range(b.n):
            pass
    """
)

FAILING = textwrap.dedent(
    """
    def BenchmarkFine(b):
        for _ in range(b.n):
            pass

    def BenchmarkBroken(b):
        raise RuntimeError("this benchmark is broken")
    """
)


def rxp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_rxp(*args, cwd=cwd, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "bench_demo.py").write_text(SUITE)
    (tmp_path / "benchmarks" / "helper.py").write_text("def BenchmarkNotAFile(b): pass\n")
    return tmp_path


GO_TEXT = re.compile(
    r"--- (FAIL|SKIP|BENCH): \S+|    .*|\t\.\.\. \[output truncated\]|PASS|FAIL"
    r"|ok  \t\S+\t\d+\.\d{3}s|FAIL\t\S+\t\d+\.\d{3}s|FAIL\t\S+ \[build failed\]"
    r"|-test\.shuffle -?\d+"
)


def check_pure_go_format(stdout: str) -> list[ParsedResult]:
    """Every stdout line is one ``go test -bench`` prints: a configuration or result line
    (read by benchfmt's rules with no syntax issue), a ``--- FAIL/SKIP/BENCH`` block with
    its indented log, or a trailer; none of them reads as a configuration line."""
    for line in stdout.splitlines():
        if line.startswith("Benchmark"):
            continue
        if GO_TEXT.fullmatch(line):
            assert not re.match(r"[a-z][^\s:A-Z]*:", line), line  # benchfmt would take it
            continue
        assert line.split(":")[0].islower() and ": " in line, f"not Go format: {line!r}"
    records = list(parse(stdout.splitlines()))
    assert not [r for r in records if isinstance(r, SyntaxIssue)]
    return [r for r in records if isinstance(r, ParsedResult)]


def test_bench_with_no_arguments_runs_benchmarks_folder(project: Path) -> None:
    done = rxp("bench", "--benchtime", "5x", "--cpu", "1,2", cwd=project)
    assert done.returncode == 0, done.stderr
    results = check_pure_go_format(done.stdout)
    assert [r.full_name for r in results] == [
        "BenchmarkJoin",
        "BenchmarkJoin-2",
        "BenchmarkSubCases/size=1",
        "BenchmarkSubCases/size=1-2",
        "BenchmarkSubCases/size=8",
        "BenchmarkSubCases/size=8-2",
        "BenchmarkChatty",
        "BenchmarkChatty-2",
    ]
    assert all(r.iters == 5 for r in results)
    assert dict(results[0].values)  # has ns/op
    assert [u for _, u in results[0].values] == ["ns/op", "MB/s"]
    config = dict(results[0].config)
    assert config["pkg"] == "benchmarks/bench_demo"
    assert {"goos", "goarch", "pkg"} <= set(config)
    assert "a benchmark that prints" in done.stderr
    assert "a benchmark that prints" not in done.stdout


def test_bench_with_a_path_and_selection(project: Path) -> None:
    done = rxp("bench", "benchmarks/", "--bench", "Sub/size=8", "--benchtime", "3x", cwd=project)
    assert done.returncode == 0, done.stderr
    names = [r.full_name.rsplit("-", 1)[0] for r in check_pure_go_format(done.stdout)]
    assert names == ["BenchmarkSubCases/size=8"]


def test_v_output_reads_as_the_same_results(project: Path) -> None:
    """-v adds each benchmark's name alone on a line, which benchfmt skips (its special
    case for ``go test -v``), so benchstat reads the same results with no syntax issue."""
    plain = rxp("bench", "--benchtime", "2x", "--cpu", "1,2", cwd=project)
    verbose = rxp("bench", "--benchtime", "2x", "--cpu", "1,2", "-v", cwd=project)
    assert plain.returncode == verbose.returncode == 0, verbose.stderr
    announced = [
        line for line in verbose.stdout.splitlines() if re.fullmatch(r"Benchmark\S*", line)
    ]
    assert announced == ["BenchmarkJoin", "BenchmarkSubCases", "BenchmarkSubCases/size=1",
                         "BenchmarkSubCases/size=8", "BenchmarkChatty"]  # fmt: skip
    names = [r.full_name for r in check_pure_go_format(verbose.stdout)]
    assert names == [r.full_name for r in check_pure_go_format(plain.stdout)]
    assert len(names) == 8


def test_progress_goes_to_stderr_only(project: Path) -> None:
    done = rxp("bench", "--benchtime", "2x", "--progress", "--cpu", "1", cwd=project)
    assert done.returncode == 0, done.stderr
    check_pure_go_format(done.stdout)
    assert "bench: BenchmarkJoin  round 1/1  n=2" in done.stderr
    assert "round" not in done.stdout


def test_a_raising_benchmark_fails_the_run_with_its_traceback(tmp_path: Path) -> None:
    (tmp_path / "bench_failing.py").write_text(FAILING)
    done = rxp("bench", "bench_failing.py", "--benchtime", "2x", "--cpu", "1", cwd=tmp_path)
    assert done.returncode == 1
    names = [r.full_name for r in check_pure_go_format(done.stdout)]
    assert names == ["BenchmarkFine"]
    # As go test: the failure on stdout, under --- FAIL, indented; no result line.
    assert "--- FAIL: BenchmarkBroken\n    Traceback (most recent call last)" in done.stdout
    assert "    RuntimeError: this benchmark is broken\n" in done.stdout
    assert done.stdout.endswith("FAIL\nFAIL\tbench_failing\t" + done.stdout[-7:])
    assert "FAIL: 1 benchmark failed" in done.stderr  # still seen when stdout is a file


def test_usage_errors_are_one_line_and_status_2(project: Path) -> None:
    for args in (["--benchtime", "soon"], ["--cpu", "0"], ["--bench", "("], ["no/such/dir"]):
        done = rxp("bench", *args, cwd=project)
        assert done.returncode == 2, args
        assert done.stderr.startswith("rxp: error: "), args
        assert "Traceback" not in done.stderr


def test_sub_commands_are_not_taken_for_paths(project: Path) -> None:
    # gen-journal is reached (its own option validation answers), not read as a path.
    done = rxp("bench", "gen-journal", "--size", "1GiB", "--form", "bogus", cwd=project)
    assert done.returncode == 2
    assert "invalid --form 'bogus'" in done.stderr
    done = rxp("bench", "gen-journal", "--size", "lots", cwd=project)
    assert "invalid size 'lots'" in done.stderr


def test_pyperf_suite_is_read_by_pyperf_compare_to(project: Path) -> None:
    for name in ("a.json", "b.json"):
        done = rxp(
            "bench", "--benchtime", "20x", "--count", "3", "--cpu", "1", "--bench", "Join|Sub",
            "--pyperf", name, cwd=project,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    suite = json.loads((project / "a.json").read_text())
    names = [b["metadata"]["name"] for b in suite["benchmarks"]]
    assert names == ["BenchmarkJoin", "BenchmarkSubCases/size=1", "BenchmarkSubCases/size=8"]
    compared = subprocess.run(
        [sys.executable, "-m", "pyperf", "compare_to", "a.json", "b.json", "--table"],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=120,
    )
    assert compared.returncode == 0, compared.stderr
    assert "BenchmarkJoin" in compared.stdout


def test_gen_journal_is_seeded_sized_and_deterministic(tmp_path: Path) -> None:
    args = ("bench", "gen-journal", "--size", "64KiB", "--form", "json", "--seed", "7")
    first = rxp(*args, "-o", "a.json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(
        [sys.executable, "-m", "rxp", *args], capture_output=True, cwd=tmp_path, timeout=120
    )
    data = (tmp_path / "a.json").read_bytes()
    assert data == second.stdout  # -o FILE and stdout agree, and the seed fixes the bytes
    assert 60 * 1024 < len(data) <= 64 * 1024
    entries = [json.loads(line) for line in data.splitlines()]
    assert all("__CURSOR" in e and "MESSAGE" in e for e in entries)
    other = rxp(
        "bench", "gen-journal", "--size", "64KiB", "--form", "json", "--seed", "8", cwd=tmp_path
    )
    assert other.stdout.encode() != data


def test_on_a_terminal_progress_goes_to_stderr_and_stdout_stays_go_format(project: Path) -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "rxp", "bench", "--benchtime", "2x", "--cpu", "1"],
            stdout=subprocess.PIPE,
            stderr=follower,
            cwd=project,
            timeout=120,
        )
        os.close(follower)
        follower = -1
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: everything was read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)
    assert done.returncode == 0
    assert b"bench: BenchmarkJoin  round 1/1" in seen
    assert b"\x1b[K" in seen  # the status line is redrawn in place
    check_pure_go_format(done.stdout.decode())
    assert b"round" not in done.stdout


def test_a_file_that_fails_to_import_fails_the_run_but_not_the_others(project: Path) -> None:
    (project / "benchmarks" / "bench_broken.py").write_text("import no_such_module_here\n")
    done = rxp("bench", "--benchtime", "1x", "--cpu", "1", "--bench", "Join", cwd=project)
    assert done.returncode == 1
    assert [r.full_name for r in check_pure_go_format(done.stdout)] == ["BenchmarkJoin"]
    assert "--- FAIL: benchmarks/bench_broken.py" in done.stdout
    assert "FAIL\tbenchmarks/bench_broken [build failed]\n" in done.stdout
    assert "    ModuleNotFoundError: No module named 'no_such_module_here'" in done.stdout
