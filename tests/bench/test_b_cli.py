"""``rxp bench`` run as a user runs it: what has no Go twin to hold it to.

The output's shape against Go's own transcripts is ``test_go_twin.py``'s (``go/twin``);
here are the options and the Python-only parts of ``b``: ``--failfast``, ``--shuffle``,
``--timeout``, the process backend of ``b.run_parallel``, ``b.loop()`` and ``b.elapsed()``
(newer than the Go 1.19 that made the transcripts), ``--json`` for a file that fails to
load.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from pathlib import Path

from tests.helpers import run_rxp


def rxp(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_rxp(*args, cwd=cwd, text=True, timeout=timeout)


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

    def BenchmarkLoop(b):
        b.log("set-up, untimed")
        while b.loop():
            pass
        b.logf("n=%d elapsed>0=%s", b.n, b.elapsed() > 0)
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


def test_loop_calibrates_in_one_call_and_elapsed_is_what_it_timed(tmp_path: Path) -> None:
    """Go 1.24's b.Loop: with --benchtime Nx the loop runs N times in the first call, which
    is the result (so the logs of that one call only); b.elapsed() is Go 1.20's b.Elapsed."""
    (tmp_path / "bench_x.py").write_text(SUITE)
    done = rxp("bench", "bench_x.py", "--bench", "Loop", "--benchtime", "7x", "--cpu", "1",
               cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^BenchmarkLoop\s+\t\s+7\t", done.stdout, re.M)
    assert done.stdout.count("bench_x.py:36: set-up, untimed\n") == 1
    assert "bench_x.py:39: n=7 elapsed>0=True\n" in done.stdout


def test_json_events_for_a_file_that_does_not_load(tmp_path: Path) -> None:
    """Every stdout line is an event, also for a file that does not load: its own package."""
    (tmp_path / "bench_x.py").write_text(SUITE)
    (tmp_path / "bench_broken.py").write_text("def BenchmarkX(b:\n")
    done = rxp("bench", "bench_broken.py", "bench_x.py", "--bench", "^BenchmarkA$", "--json",
               "--benchtime", "1x", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted({e["Package"] for e in events}) == ["bench_broken", "bench_x"]
    broken = [e for e in events if e["Package"] == "bench_broken"]
    assert broken[-1]["Action"] == "fail" and "Test" not in broken[-1]
    text = "".join(e.get("Output", "") for e in broken if e["Action"] == "output")
    assert text.startswith("--- FAIL: bench_broken.py\n") and "SyntaxError" in text
    assert [e["Action"] for e in events if e["Package"] == "bench_x"][-1] == "pass"
