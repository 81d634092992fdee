"""``b``'s Go methods, in process, with a fake clock where time matters. Each test names
the Go source it holds rxp to (``src/testing/benchmark.go``, ``testing.go``)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._bench import B, BenchTime
from rxp._bench._b import predict_n
from rxp._bench._log import Goexit, decorate, trim_output
from rxp._bench._parallel import PB, grain_size, run_parallel
from tests.bench.test_harness import FakeClock, run

# -- skip, fail, log ----------------------------------------------------------------------------


def test_skip_ends_the_function_at_once_and_reports_skip_without_a_result() -> None:
    """Go's Skip = Log + SkipNow; SkipNow ends the function by runtime.Goexit."""
    after: list[str] = []

    def bench(b: B) -> None:
        b.skip("no", "network")
        after.append("ran on")

    runner, out = run(("BenchmarkS", bench), ("BenchmarkOk", lambda b: None))
    assert after == [] and runner.failures == 0 and runner.skips == 1
    assert [r.name for r in out.results] == ["BenchmarkOk"]
    assert out.skips == [] and out.logs == [] and out.events == []  # Go: only with -v


def test_verbose_announces_streams_logs_and_reports_skip_as_go_chatty() -> None:
    """Go's -test.v (chatty): the name before run1, logs printed as made, ``--- SKIP``
    after them with nothing under it, and a passing benchmark's logs never as --- BENCH."""

    def skip(b: B) -> None:
        b.skip("no", "network")

    def logs(b: B) -> None:
        b.log("hi")

    runner, out = run(
        ("BenchmarkS", skip),
        ("BenchmarkL", logs),
        verbose=True,
        count=2,
        benchtime=BenchTime(None, 3),
    )
    assert runner.skips == 1 and out.skips == [("BenchmarkS", "")] and out.logs == []
    assert [kind for kind, _ in out.events] == ["announce", "streamed"] + ["announce"] + [
        "streamed"
    ] * 4  # BenchmarkL: run1 and the measured call, in each of two rounds
    assert out.events[1][1].endswith(": no network\n") and "test_b_api.py:" in out.events[1][1]
    assert [r.name for r in out.results] == ["BenchmarkL", "BenchmarkL"]


def test_a_users_except_exception_does_not_swallow_fatal_or_skip() -> None:
    """runtime.Goexit cannot be recovered; here Goexit is a BaseException."""
    assert not issubclass(Goexit, Exception)
    caught: list[BaseException] = []

    def bench(b: B) -> None:
        try:
            b.fatalf("bad %d", 3)
        except Exception as exc:
            caught.append(exc)

    runner, out = run(("BenchmarkF", bench))
    assert caught == [] and runner.failures == 1
    ((name, details),) = out.failures
    assert name == "BenchmarkF" and details.endswith(": bad 3\n") and "Traceback" not in details


def test_error_fails_but_the_function_goes_on_and_failed_says_so() -> None:
    """Go's Error = Log + Fail; Fail does not stop the function; Failed reports it."""
    seen: list[bool] = []

    def bench(b: B) -> None:
        seen.append(b.failed())
        b.error("first")
        seen.append(b.failed())
        b.errorf("second %s", "x")

    _, out = run(("BenchmarkE", bench), ("BenchmarkNext", lambda b: None))
    assert seen == [False, True]
    ((_, details),) = out.failures
    assert [line.split(": ", 1)[1] for line in details.splitlines()] == ["first", "second x"]
    assert [r.name for r in out.results] == ["BenchmarkNext"]  # the run goes on


def test_fail_now_runs_cleanups_and_fail_propagates_to_the_parent() -> None:
    """Go's Fail marks the parent failed too (c.parent.Fail()); processBench/run1 print
    the parent's --- FAIL after the child's."""
    cleaned: list[str] = []

    def child(b: B) -> None:
        b.cleanup(lambda: cleaned.append("cleanup"))
        b.fail_now()

    def parent(b: B) -> None:
        assert b.run("child", child) is False
        assert b.failed()

    runner, out = run(("BenchmarkP", parent))
    assert cleaned == ["cleanup"]
    assert [name for name, _ in out.failures] == ["BenchmarkP/child", "BenchmarkP"]
    assert runner.failures == 1  # the parent failed only through its child


def test_failing_in_a_later_round_names_it_with_its_cpu_suffix_and_other_rounds_run() -> None:
    """processBench: a failed round prints --- FAIL: Name-N and `continue`s."""

    def bench(b: B) -> None:
        if b.n > 1 and b.cpu == 2:
            b.fatal("cpu 2")

    _, out = run(("BenchmarkX", bench), benchtime=BenchTime(None, 3), cpus=(1, 2, 4))
    assert [name for name, _ in out.failures] == ["BenchmarkX-2"]
    assert [r.name for r in out.results] == ["BenchmarkX", "BenchmarkX-4"]


def test_log_names_the_callers_line_and_helper_skips_helpers() -> None:
    """decorate: basename:line of the caller; frameSkip passes functions that called
    Helper, but not above the benchmark function."""

    def assert_small(b: B, x: int) -> None:
        b.helper()
        if x > 1:
            b.errorf("too big: %d", x)

    def bench(b: B) -> None:
        b.log("plain")
        line = bench.__code__.co_firstlineno + 3
        assert_small(b, 5)
        b.helper()  # the benchmark function itself as a helper: still named
        b.log("self")
        b.add_output(f"{line}\n")

    _, out = run(("BenchmarkL", bench))
    ((_, details),) = out.failures
    first, second, third, line = details.splitlines()
    assert first == f"    test_b_api.py:{int(line) - 2}: plain"
    assert second == f"    test_b_api.py:{line}: too big: 5"
    assert third == f"    test_b_api.py:{int(line) + 2}: self"


def test_decorate_indents_as_go() -> None:
    """decorate: 4 spaces, `file:line: `, later lines 8 spaces, one final newline dropped;
    Log's Sprintln makes `b.skip()` an empty message, as Go prints it."""
    assert decorate("a\nb\n", None) == "    ???:1: a\n        b\n"
    assert decorate("\n", None) == "    ???:1: \n"
    assert decorate("x\n\n", None) == "    ???:1: x\n        \n"


def test_trim_output_keeps_ten_lines_as_go() -> None:
    text = "".join(f"    l{i}\n" for i in range(12))
    assert trim_output(text) == "".join(f"    l{i}\n" for i in range(10))[:-1] + (
        "\n\t... [output truncated]\n"
    )
    assert trim_output("    one\n") == "    one\n"


def test_passing_benchmark_logs_come_after_its_result_trimmed() -> None:
    def bench(b: B) -> None:
        for i in range(6):
            b.log(i)

    _, out = run(("BenchmarkX", bench), benchtime=BenchTime(None, 2))
    ((name, log),) = out.logs
    assert name == "BenchmarkX" and log.endswith("\t... [output truncated]\n")
    assert len(log.splitlines()) == 11  # run1's 6 and the timed call's, cut at 10


def test_name_and_elapsed() -> None:
    """B.Name is the full name without the -N suffix; Elapsed counts timed time."""
    clock, seen = FakeClock(), []

    def parent(b: B) -> None:
        def child(b: B) -> None:
            clock.advance(1_500_000_000)
            seen.append((b.name(), b.elapsed(), b.elapsed_ns()))

        b.run("c d", child)

    run(("BenchmarkP", parent), clock=clock, benchtime=BenchTime(None, 1), cpus=(2,))
    assert seen == [("BenchmarkP/c_d", 1.5, 1_500_000_000)]


# -- b.loop ---------------------------------------------------------------------------------------


def test_loop_calibrates_itself_in_one_call_as_go_1_24() -> None:
    """Loop/loopSlowPath/stopOrScaleBLoop: b.N from predictN(goal, N, elapsed, N) while
    the time since the timer started is below benchtime; one call of the function."""
    clock, calls, set_up = FakeClock(), [], []

    def bench(b: B) -> None:
        calls.append(b.n)
        clock.advance(5_000_000_000)  # set-up: never timed
        set_up.append(b.elapsed_ns())
        while b.loop():
            clock.advance(1000)
        clock.advance(7_000_000_000)  # after the loop: the timer is stopped

    _, out = run(("BenchmarkL", bench), clock=clock)
    assert calls == [1] and set_up == [5_000_000_000]
    expected, elapsed = 1, 1000
    ns = [expected]
    while elapsed < 10**9:
        expected = predict_n(10**9, expected, elapsed, expected)
        elapsed = expected * 1000
        ns.append(expected)
    ((result,),) = [out.results]
    assert (result.n, result.ns) == (ns[-1], ns[-1] * 1000)
    assert ns[:4] == [1, 100, 10_000, 1_000_000]


def test_loop_with_benchtime_nx_runs_exactly_n_times() -> None:
    """loopSlowPath's fixed-count case: b.N = benchTime.n once, then stop."""
    clock, iterations = FakeClock(), []

    def bench(b: B) -> None:
        count = 0
        while b.loop():
            count += 1
            clock.advance(10)
        iterations.append((count, b.n))

    _, out = run(("BenchmarkL", bench), clock=clock, benchtime=BenchTime(None, 7), count=2)
    assert iterations == [(7, 7), (7, 7)]  # one call per round, each exactly 7
    assert [(r.n, r.ns) for r in out.results] == [(7, 70), (7, 70)]


def test_loop_with_the_timer_stopped_fails() -> None:
    def bench(b: B) -> None:
        while b.loop():
            b.stop_timer()

    runner, out = run(("BenchmarkL", bench))
    assert runner.failures == 1 and "B.loop called with timer stopped" in out.failures[0][1]


# -- benchtime per sub-benchmark ----------------------------------------------------------------


def test_every_sub_benchmark_calibrates_with_the_full_benchtime() -> None:
    """B.Run gives each sub its own launch with b.benchTime (Go: sub.benchTime =
    b.benchTime); b.run(..., benchtime=) overrides it for one sub and its own subs."""
    clock: FakeClock = FakeClock()
    seen: dict[str, list[int]] = {}

    def leaf(key: str) -> Callable[[B], None]:
        def fn(b: B) -> None:
            seen.setdefault(key, []).append(b.n)
            clock.advance(b.n * 1000)

        return fn

    def parent(b: B) -> None:
        b.run("a", leaf("a"))
        b.run("b", leaf("b"))
        b.run("slow", lambda b: b.run("inner", leaf("inner")), benchtime="5x")

    _, out = run(("BenchmarkP", parent), clock=clock)
    assert seen["a"] == seen["b"] == [1, 100, 10_000, 1_000_000]
    assert seen["inner"] == [1, 5]
    assert [r.n for r in out.results] == [1_000_000, 1_000_000, 5]


# -- run_parallel --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(total=st.integers(1, 5000), grain=st.integers(1, 10_000), workers=st.integers(1, 6))
def test_pb_next_hands_out_exactly_b_n_iterations(total: int, grain: int, workers: int) -> None:
    """PB.Next: grains from one counter, the last cut so that the sum is b.N."""
    counts: list[int] = []
    lock = threading.Lock()

    def body(pb: PB) -> None:
        count = 0
        while pb.next():
            count += 1
        with lock:
            counts.append(count)

    final = run_parallel(body, workers=workers, grain=grain, total=total, backend="thread")
    assert sum(counts) == total and len(counts) == workers
    assert final > total  # every worker saw the end


def test_grain_is_about_100_microseconds_of_the_previous_run() -> None:
    """RunParallel: grain = 1e5 * previousN / previousDuration, in [1, 1e4]."""
    assert grain_size(0, 0) == 1
    assert grain_size(1000, 10_000_000) == 10  # 10 µs/op: 10 per 100 µs
    assert grain_size(10**9, 1) == 10_000
    assert grain_size(1, 10**9) == 1


def test_run_parallel_uses_parallelism_times_cpu_threads_and_shares_b_n() -> None:
    """RunParallel: numProcs = b.parallelism * GOMAXPROCS goroutines, each calling body
    once; SetParallelism ignores p < 1."""
    workers: list[int] = []
    totals: list[int] = []
    lock = threading.Lock()

    def bench(b: B) -> None:
        b.set_parallelism(3)
        b.set_parallelism(0)  # ignored, as Go's p < 1
        done, calls = [0], [0]

        def body(pb: PB) -> None:
            with lock:
                calls[0] += 1
            while pb.next():
                with lock:
                    done[0] += 1

        b.run_parallel(body)
        totals.append(done[0] - b.n)
        workers.append(calls[0])

    run(("BenchmarkP", bench), benchtime=BenchTime(None, 50), cpus=(2,))
    assert totals == [0, 0] and workers == [6, 6]  # run1 (n=1) and the 50x call


def test_a_body_that_stops_early_fails_as_go() -> None:
    def bench(b: B) -> None:
        b.run_parallel(lambda pb: None)

    _, out = run(("BenchmarkP", bench))
    assert "RunParallel: body exited without pb.Next() == false" in out.failures[0][1]


def test_run_parallel_rejects_an_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown backend"):
        run_parallel(lambda pb: None, workers=1, grain=1, total=1, backend="fiber")
