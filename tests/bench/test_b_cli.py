"""``rxp bench`` run as a user runs it, against what Go's ``go test -bench`` prints.

``b_parity/demo_test.go`` was run with Go 1.19 (``go test -cpu 2 -bench . -benchtime 10x``,
``GO111MODULE=off``); its stdout is ``b_parity/go1.19_output.txt``. ``b_parity/bench_demo.py``
is its Python twin. Numbers, name padding and file:line differ by nature; the sequence of
lines must not, except where rxp differs by design (docs/bench.md, "The output"):
``--- SKIP`` is always shown (Go shows it only with -v), and a benchmark that fails after
its first call gets its own line (Go leaves ``BenchmarkX-2   \\t`` before ``--- FAIL``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

from tests.helpers import run_rxp

PARITY = Path(__file__).parent / "b_parity"


def rxp(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_rxp(*args, cwd=cwd, text=True, timeout=timeout)


def shape(text: str) -> list[str]:
    """Lines with what changes by nature made equal: numbers, padding, file names."""
    out = []
    for line in text.splitlines():
        if line in ("exit status 1",) or re.match(r"(goos|goarch|pkg|cpu|python):", line):
            continue  # cmd/go's note; configuration lines differ by machine
        line = re.sub(r"^(Benchmark\S+)\s+\t--- FAIL", "--- FAIL", line)
        line = re.sub(r"^(\s+)\S+\.(go|py):\d+:", r"\1FILE:LINE:", line)
        line = re.sub(r"\d+(\.\d+)?", "0", line)
        line = re.sub(r"\s+", " ", line)
        out.append(line.replace("bench_demo", "demo"))
    return out


def test_the_twin_prints_what_go_printed(tmp_path: Path) -> None:
    """Go 1.19's own transcript is the oracle: logs under --- BENCH (repeated for each
    call, as Go's b.output accumulates over run1 and the timed run), --- FAIL of run1
    failures without the -N suffix and of later ones with it, a parent failed by its
    sub-benchmark, the FAIL trailer."""
    shutil.copy(PARITY / "bench_demo.py", tmp_path)
    done = rxp("bench", "bench_demo.py", "--cpu", "2", "--benchtime", "10x", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    ours = done.stdout
    skips = re.findall(r"--- SKIP: \S+\n(?:    .*\n)*", ours)
    assert skips == [
        "--- SKIP: BenchmarkSkip\n    bench_demo.py:23: not today\n",
        "--- SKIP: BenchmarkSkipf\n    bench_demo.py:27: skip 7\n",
        "--- SKIP: BenchmarkSub/skip\n    bench_demo.py:52: sub skip\n",
    ]
    for block in skips:
        ours = ours.replace(block, "")
    go = (PARITY / "go1.19_output.txt").read_text()
    assert shape(ours) == shape(go)
    assert "    bench_demo.py:16: multi\n        line 3\n" in done.stdout  # Go's indent
    assert "    bench_demo.py:17: from helper\n" in done.stdout  # b.helper() skipped


SUITE = textwrap.dedent(
    """
    import multiprocessing, os, sys, time

    TOTAL = multiprocessing.Value("q", 0)

    def body(pb):
        count = 0
        while pb.next():
            count += 1
        with TOTAL.get_lock():
            TOTAL.value += count

    def BenchmarkA(b):
        for _ in range(b.n):
            pass

    def BenchmarkB(b):
        b.fail()

    def BenchmarkC(b):
        for _ in range(b.n):
            pass

    def BenchmarkProcesses(b):
        b.set_parallelism(3)
        TOTAL.value = 0
        b.run_parallel(body, backend="process")
        if TOTAL.value != b.n:
            b.fatalf("pb.next() said yes %d times for b.n=%d", TOTAL.value, b.n)
        b.log("total", TOTAL.value)

    def BenchmarkClosure(b):
        b.run_parallel(lambda pb: None, backend="process")
    """
)


def test_failfast_stops_starting_benchmarks_after_the_first_failure(tmp_path: Path) -> None:
    (tmp_path / "bench_x.py").write_text(SUITE)
    args = ("bench", "bench_x.py", "--bench", "^Benchmark[ABC]$", "--benchtime", "1x", "--cpu", "1")
    done = rxp(*args, "--failfast", cwd=tmp_path)
    assert done.returncode == 1
    assert "BenchmarkA " in done.stdout and "--- FAIL: BenchmarkB\n" in done.stdout
    assert "BenchmarkC" not in done.stdout
    without = rxp(*args, cwd=tmp_path)
    assert without.returncode == 1 and "BenchmarkC " in without.stdout  # the rest still run


def test_shuffle_prints_its_seed_and_the_seed_repeats_the_order(tmp_path: Path) -> None:
    """Go's -shuffle: `-test.shuffle SEED` first, then the top-level benchmarks in the
    order that seed gives (math/rand's order is Go's own; ours is Python's)."""
    names = "".join(f"def Benchmark{c}(b):\n    pass\n" for c in "ABCDEFGH")
    (tmp_path / "bench_s.py").write_text(names)
    orders = []
    for seed in ("on", "5", "5"):
        done = rxp(
            "bench",
            "bench_s.py",
            "--benchtime",
            "1x",
            "--cpu",
            "1",
            "--shuffle",
            seed,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        first = done.stdout.splitlines()[0]
        assert re.fullmatch(r"-test\.shuffle \d+", first), first
        orders.append(re.findall(r"^Benchmark(\w)", done.stdout, re.M))
    assert orders[1] == orders[2] and sorted(orders[1]) == list("ABCDEFGH")
    assert orders[1] != list("ABCDEFGH")  # seed 5 moves them (a fixed, checked fact)
    off = rxp("bench", "bench_s.py", "--benchtime", "1x", "--cpu", "1", cwd=tmp_path)
    assert re.findall(r"^Benchmark(\w)", off.stdout, re.M) == list("ABCDEFGH")
    assert rxp("bench", "--shuffle", "maybe", cwd=tmp_path).returncode == 2


def test_timeout_panics_as_go_with_the_running_benchmark_and_thread_stacks(
    tmp_path: Path,
) -> None:
    """Go's alarm: `panic: test timed out after 3s`, what runs, every stack; status 2.
    What was printed before stays."""
    (tmp_path / "bench_t.py").write_text(
        "import time\n\ndef BenchmarkFast(b):\n    pass\n\n"
        "def BenchmarkHang(b):\n    b.run('inner', lambda b: time.sleep(60))\n"
    )
    done = rxp(
        "bench", "bench_t.py", "--benchtime", "1x", "--cpu", "1", "--timeout", "3s", cwd=tmp_path
    )
    assert done.returncode == 2
    assert re.search(r"^BenchmarkFast\s+\t\s+1\t", done.stdout, re.M)
    assert done.stdout.endswith("\n") and re.search(r"^FAIL\tbench_t\t\d+\.\d{3}s\n\Z",
                                                     done.stdout, re.M)  # fmt: skip
    assert done.stderr.startswith("panic: test timed out after 3s\nrunning benchmarks:\n")
    assert "\tBenchmarkHang/inner (" in done.stderr
    assert "line 7, in <lambda>" in done.stderr and "time.sleep(60)" in done.stderr
    assert rxp("bench", "--timeout", "soon", cwd=tmp_path).returncode == 2


def test_run_parallel_processes_share_exactly_b_n_iterations(tmp_path: Path) -> None:
    """Go's RunParallel: the workers' pb.Next() iterations add up to b.N exactly."""
    (tmp_path / "bench_x.py").write_text(SUITE)
    done = rxp("bench", "bench_x.py", "--bench", "Processes", "--benchtime", "37x",
               "--cpu", "2", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^BenchmarkProcesses-2\s+\t\s+37\t", done.stdout, re.M)
    assert "bench_x.py:30: total 37\n" in done.stdout


def test_an_unpicklable_process_body_fails_with_a_message_that_says_so(tmp_path: Path) -> None:
    (tmp_path / "bench_x.py").write_text(SUITE)
    done = rxp("bench", "bench_x.py", "--bench", "Closure", "--benchtime", "1x", cwd=tmp_path)
    assert done.returncode == 1
    assert "--- FAIL: BenchmarkClosure\n" in done.stdout
    assert "run_parallel(backend='process') needs a picklable body" in done.stdout


def test_json_prints_go_test_json_events(tmp_path: Path) -> None:
    """Every stdout line is an event, also for a file that does not load."""
    shutil.copy(PARITY / "bench_demo.py", tmp_path)
    (tmp_path / "bench_broken.py").write_text("def BenchmarkX(b:\n")
    broken = rxp("bench", "bench_broken.py", "bench_demo.py", "--bench", "Pass", "--json",
                 "--benchtime", "1x", cwd=tmp_path)  # fmt: skip
    assert broken.returncode == 1
    packages = [json.loads(line)["Package"] for line in broken.stdout.splitlines()]
    assert sorted(set(packages)) == ["bench_broken", "bench_demo"]
    done = rxp("bench", "bench_demo.py", "--bench", "Pass|Fatal", "--benchtime", "1x", "--cpu", "1",
               "--json", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert all(e["Package"] == "bench_demo" for e in events)
    text = "".join(e.get("Output", "") for e in events if e["Action"] == "output")
    assert "--- FAIL: BenchmarkFatal\n" in text and re.search(r"^BenchmarkPass\s", text, re.M)
    assert text.endswith("FAIL\n" + text.splitlines()[-1] + "\n")
    assert events[-1]["Action"] == "fail"
