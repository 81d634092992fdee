"""The harness core with a fake clock: Go's calibration, timer control, naming, selection,
failures. No assertion here depends on the real clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rxp._bench import (
    B,
    BenchFile,
    Benchmark,
    BenchTime,
    Options,
    Result,
    Runner,
    benchmark_name,
    parse_benchtime,
    predict_n,
)
from rxp._bench._select import split_pattern
from rxp._bench._size import format_size, parse_size
from rxp._errors import RxpError


class FakeClock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now

    def advance(self, ns: int) -> None:
        self.now += ns


class Collect:
    def __init__(self) -> None:
        self.results: list[Result] = []
        self.failures: list[tuple[str, str]] = []
        self.progress_events: list[tuple[str, int, int, int]] = []
        self.skips: list[tuple[str, str]] = []
        self.logs: list[tuple[str, str]] = []
        self.events: list[tuple[str, str]] = []  # -v's announce and streamed, in order
        self.files: list[tuple[object, ...]] = []

    def progress(self, name: str, round_: int, rounds: int, n: int) -> None:
        self.progress_events.append((name, round_, rounds, n))

    def result(self, result: Result) -> None:
        self.results.append(result)

    def failed(self, name: str, details: str) -> None:
        self.failures.append((name, details))

    def skipped(self, name: str, output: str) -> None:
        self.skips.append((name, output))

    def logged(self, name: str, output: str) -> None:
        self.logs.append((name, output))

    def announce(self, name: str) -> None:
        self.events.append(("announce", name))

    def streamed(self, text: str) -> None:
        self.events.append(("streamed", text))

    def file_start(self, pkg: str, shuffle: int | None) -> None:
        self.files.append(("start", pkg, shuffle))

    def file_done(self, pkg: str, ok: bool, seconds: float, *, broken: bool = False) -> None:
        self.files.append(("done", pkg, ok, broken))


def run(
    *benchmarks: tuple[str, Callable[[B], object]],
    clock: FakeClock | None = None,
    **options: object,
) -> tuple[Runner, Collect]:
    reporter = Collect()
    opts = Options(**options)  # type: ignore[arg-type]
    runner = Runner(opts, reporter, clock=clock or FakeClock())
    bench_file = BenchFile(
        Path("bench_x.py"), "bench_x", tuple(Benchmark(n, f) for n, f in benchmarks)
    )
    runner.run_file(bench_file)
    return runner, reporter


def costing(clock: FakeClock, ns_per_op: int, seen: list[int]) -> Callable[[B], None]:
    def bench(b: B) -> None:
        seen.append(b.n)
        clock.advance(b.n * ns_per_op)

    return bench


# -- calibration ------------------------------------------------------------------------------


def test_n_grows_as_go_does_for_a_microsecond_op() -> None:
    # By hand from Go's predictN: 1e9*1/1000 = 1e6, +20% = 1.2e6, capped at 100x the last.
    clock, seen = FakeClock(), []
    _, out = run(("BenchmarkX", costing(clock, 1000, seen)), clock=clock)
    assert seen == [1, 100, 10_000, 1_000_000]
    assert [(r.n, r.ns) for r in out.results] == [(1_000_000, 1_000_000_000)]


def test_n_is_not_rounded_to_1_2_3_5_as_old_go_did() -> None:
    # 3 µs/op: the last step predicts 1e9*1e4/3e7 = 333333, +20% = 399999 (kept as is).
    clock, seen = FakeClock(), []
    run(("BenchmarkX", costing(clock, 3000, seen)), clock=clock)
    assert seen == [1, 100, 10_000, 399_999]


def test_a_zero_duration_run_grows_100x_until_the_1e9_cap() -> None:
    clock, seen = FakeClock(), []
    run(("BenchmarkX", costing(clock, 0, seen)), clock=clock)
    assert seen == [1, 100, 10_000, 1_000_000, 100_000_000, 1_000_000_000]


def test_a_slow_op_runs_once() -> None:
    clock, seen = FakeClock(), []
    run(("BenchmarkX", costing(clock, 2_000_000_000, seen)), clock=clock)
    assert seen == [1]


def test_benchtime_nx_fixes_n() -> None:
    clock, seen = FakeClock(), []
    _, out = run(
        ("BenchmarkX", costing(clock, 1000, seen)), clock=clock, benchtime=BenchTime(None, 100)
    )
    assert seen == [1, 100]
    assert out.results[0].n == 100


def test_benchtime_1x_reuses_the_first_run() -> None:
    clock, seen = FakeClock(), []
    _, out = run(
        ("BenchmarkX", costing(clock, 1000, seen)), clock=clock, benchtime=BenchTime(None, 1)
    )
    assert seen == [1]
    assert out.results[0].n == 1


@given(
    goal=st.integers(1, 10**11),
    prev_iters=st.integers(1, 10**9),
    prev_ns=st.integers(0, 10**12),
    last=st.integers(1, 10**9),
)
def test_predict_n_bounds(goal: int, prev_iters: int, prev_ns: int, last: int) -> None:
    n = predict_n(goal, prev_iters, prev_ns, last)
    assert n <= 10**9
    assert n >= min(last + 1, 10**9)
    assert n <= max(100 * last, last + 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1s", BenchTime(1.0, None)),
        ("500ms", BenchTime(0.5, None)),
        ("1m30s", BenchTime(90.0, None)),
        ("1.5s", BenchTime(1.5, None)),
        ("100x", BenchTime(None, 100)),
    ],
)
def test_parse_benchtime(text: str, expected: BenchTime) -> None:
    assert parse_benchtime(text) == expected


@pytest.mark.parametrize("text", ["", "0x", "-1s", "1", "fast", "0s", "x", "1sx"])
def test_parse_benchtime_rejects(text: str) -> None:
    with pytest.raises(RxpError):
        parse_benchtime(text)


# -- timer control ----------------------------------------------------------------------------


def test_stopped_time_is_not_counted() -> None:
    clock = FakeClock()

    def bench(b: B) -> None:
        b.stop_timer()
        clock.advance(5_000_000)  # set-up that must not count
        b.start_timer()
        clock.advance(b.n * 250)
        b.stop_timer()
        clock.advance(9_999)  # tear-down

    _, out = run(("BenchmarkX", bench), clock=clock, benchtime=BenchTime(None, 40))
    assert out.results[0].ns == 40 * 250
    assert out.results[0].ns_per_op == 250


def test_reset_timer_forgets_earlier_time_and_metrics() -> None:
    clock = FakeClock()

    def bench(b: B) -> None:
        clock.advance(123_456)
        b.report_metric(7, "junk/op")
        b.reset_timer()
        clock.advance(b.n * 10)

    _, out = run(("BenchmarkX", bench), clock=clock, benchtime=BenchTime(None, 10))
    assert out.results[0].ns == 100
    assert dict(out.results[0].extra) == {}


def test_b_directly_with_a_fake_clock() -> None:
    clock = FakeClock()
    b = B("BenchmarkX", clock=clock)
    b.start_timer()
    clock.advance(10)
    b.stop_timer()
    clock.advance(1000)
    b.start_timer()
    clock.advance(5)
    assert b.elapsed_ns() == 15
    b.reset_timer()
    clock.advance(2)
    assert b.elapsed_ns() == 2


def test_set_bytes_and_report_metric() -> None:
    clock = FakeClock()

    def bench(b: B) -> None:
        b.set_bytes(1000)
        clock.advance(b.n * 1000)  # 1000 bytes per µs = 1000 MB/s
        b.report_metric(3.5, "matches/op")

    _, out = run(("BenchmarkX", bench), clock=clock, benchtime=BenchTime(None, 10))
    assert out.results[0].mb_per_s == pytest.approx(1000.0)
    assert out.results[0].metrics() == [
        (1000.0, "ns/op"),
        (pytest.approx(1000.0), "MB/s"),
        (3.5, "matches/op"),
    ]


def test_report_metric_rejects_units_with_spaces() -> None:
    with pytest.raises(ValueError):
        B("BenchmarkX").report_metric(1, "per op")


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attr", "name"),
    [
        ("BenchmarkParse", "BenchmarkParse"),
        ("Benchmark", "Benchmark"),
        ("Benchmark_x", "Benchmark_x"),
        ("Benchmarking", None),
        ("bench_parse_simple", "BenchmarkParseSimple"),
        ("bench_", None),
        ("helper", None),
    ],
)
def test_benchmark_names(attr: str, name: str | None) -> None:
    assert benchmark_name(attr) == name


def leaf(clock: FakeClock) -> Callable[[B], None]:
    return lambda b: clock.advance(b.n)


def test_sub_benchmarks_are_named_parent_slash_name_and_the_parent_is_not_reported() -> None:
    clock = FakeClock()

    def parent(b: B) -> None:
        b.run("size=10", leaf(clock))
        b.run("two words", leaf(clock))
        b.run("size=10", leaf(clock))
        b.run("", leaf(clock))

    _, out = run(("BenchmarkP", parent), clock=clock, benchtime=BenchTime(None, 2))
    assert [r.name for r in out.results] == [
        "BenchmarkP/size=10",
        "BenchmarkP/two_words",
        "BenchmarkP/size=10#01",
        "BenchmarkP/#00",
    ]


def test_cpu_values_suffix_the_name_except_1_and_reach_b_cpu() -> None:
    clock, cpus = FakeClock(), []

    def bench(b: B) -> None:
        cpus.append(b.cpu)
        clock.advance(b.n)

    _, out = run(("BenchmarkX", bench), clock=clock, benchtime=BenchTime(None, 3), cpus=(1, 2, 4))
    assert [r.name for r in out.results] == ["BenchmarkX", "BenchmarkX-2", "BenchmarkX-4"]
    assert set(cpus) == {1, 2, 4}


def test_count_repeats_each_cpu_value() -> None:
    clock = FakeClock()
    _, out = run(
        ("BenchmarkX", leaf(clock)), clock=clock, benchtime=BenchTime(None, 3), cpus=(1, 2), count=2
    )
    assert [r.name for r in out.results] == ["BenchmarkX"] * 2 + ["BenchmarkX-2"] * 2


# -- selection --------------------------------------------------------------------------------


def tree(clock: FakeClock) -> list[tuple[str, Callable[[B], object]]]:
    def stream(b: B) -> None:
        for backend in ("sync", "thread"):
            b.run(
                f"backend={backend}", lambda b: [b.run(f"workers={w}", leaf(clock)) for w in (1, 2)]
            )

    return [
        ("BenchmarkStream", stream),
        ("BenchmarkParse", leaf(clock)),
        ("BenchmarkParseFast", leaf(clock)),
    ]


@pytest.mark.parametrize(
    ("pattern", "names"),
    [
        ("Parse$", ["BenchmarkParse"]),
        ("Parse", ["BenchmarkParse", "BenchmarkParseFast"]),
        (
            "Stream/sync",
            ["BenchmarkStream/backend=sync/workers=1", "BenchmarkStream/backend=sync/workers=2"],
        ),
        (
            "Stream//workers=2",
            ["BenchmarkStream/backend=sync/workers=2", "BenchmarkStream/backend=thread/workers=2"],
        ),
        (
            "Fast|Stream/thread/=1",
            ["BenchmarkStream/backend=thread/workers=1", "BenchmarkParseFast"],
        ),
        ("Parse/deeper", []),  # a partial match of a leaf reports nothing
        ("Nothing", []),
    ],
)
def test_bench_regex_selects_with_go_semantics(pattern: str, names: list[str]) -> None:
    clock = FakeClock()
    _, out = run(*tree(clock), clock=clock, benchtime=BenchTime(None, 1), pattern=pattern)
    assert [r.name for r in out.results] == names


def test_split_pattern_ignores_slashes_in_brackets_and_groups() -> None:
    assert split_pattern("a/b") == [["a", "b"]]
    assert split_pattern("a[/]b/(x/y)") == [["a[/]b", "(x/y)"]]
    assert split_pattern("a|b/c") == [["a"], ["b", "c"]]
    assert split_pattern(r"a\/b") == [[r"a\/b"]]


def test_invalid_bench_regex_is_an_rxp_error() -> None:
    with pytest.raises(RxpError, match="invalid --bench"):
        run(("BenchmarkX", lambda b: None), pattern="(")


# -- failures ---------------------------------------------------------------------------------


def test_a_raising_benchmark_fails_with_its_traceback_and_no_result() -> None:
    clock = FakeClock()

    def boom(b: B) -> None:
        if b.n > 1:
            raise ZeroDivisionError("late failure")
        clock.advance(10)

    runner, out = run(
        ("BenchmarkBoom", boom),
        ("BenchmarkOk", leaf(clock)),
        clock=clock,
        benchtime=BenchTime(None, 5),
    )
    assert runner.failures == 1
    assert [r.name for r in out.results] == ["BenchmarkOk"]
    ((name, details),) = out.failures
    assert name == "BenchmarkBoom"
    assert "ZeroDivisionError: late failure" in details
    assert "in boom" in details


def test_a_failing_sub_benchmark_fails_the_run_but_not_its_siblings() -> None:
    clock = FakeClock()

    def parent(b: B) -> None:
        b.run("bad", lambda b: 1 / 0)
        b.run("good", leaf(clock))

    runner, out = run(("BenchmarkP", parent), clock=clock, benchtime=BenchTime(None, 2))
    assert runner.failures == 1
    assert [r.name for r in out.results] == ["BenchmarkP/good"]
    assert out.failures[0][0] == "BenchmarkP/bad"


def test_benchmem_reports_memory_held_while_timed() -> None:
    def bench(b: B) -> None:
        b.stop_timer()
        setup = bytearray(4_000_000)  # untimed: must not count
        b.start_timer()
        for _ in range(b.n):
            work = bytearray(100_000)
        del setup, work

    _, out = run(("BenchmarkX", bench), benchtime=BenchTime(None, 3), benchmem=True)
    memory = out.results[0].memory
    assert memory is not None
    assert 100_000 <= memory[0] < 1_000_000
    assert [u for _, u in out.results[0].metrics()][-2:] == ["B/op", "allocs/op"]


@pytest.mark.parametrize(
    ("text", "size"),
    [("256MiB", 256 << 20), ("1GiB", 1 << 30), ("10MB", 10_000_000), ("4096", 4096),
     ("1.5KiB", 1536), ("2gb", 2_000_000_000)],
)  # fmt: skip
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "0MiB", "lots", "1 parsec", "-5MB", "MiB"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(RxpError, match="invalid size"):
        parse_size(text)


@given(st.integers(1, 1 << 42))
def test_format_size_round_trips(size: int) -> None:
    assert parse_size(format_size(size)) == size


# -- b.cleanup and what counts as a failure ----------------------------------------------------


def test_cleanups_run_after_every_call_last_first_and_untimed() -> None:
    clock = FakeClock()
    events: list[str] = []

    def bench(b: B) -> None:
        b.cleanup(lambda: events.append(f"first n={b.n}"))
        b.cleanup(lambda: (events.append(f"second n={b.n}"), clock.advance(10**9)))
        events.append(f"body n={b.n}")
        clock.advance(b.n * 100)

    _, out = run(("BenchmarkX", bench), clock=clock, benchtime=BenchTime(None, 3))
    # Go's runN: the cleanups run after each call (run1 with n=1, then n=3), last first.
    assert events == [
        "body n=1", "second n=1", "first n=1",
        "body n=3", "second n=3", "first n=3",
    ]  # fmt: skip
    assert out.results[0].ns == 300  # the cleanup's second is not timed


def test_a_raising_cleanup_fails_the_benchmark_after_the_others_ran() -> None:
    ran: list[int] = []

    def bench(b: B) -> None:
        b.cleanup(lambda: ran.append(1))
        b.cleanup(lambda: 1 / 0)
        b.cleanup(lambda: ran.append(3))

    runner, out = run(("BenchmarkX", bench), ("BenchmarkY", lambda b: None))
    assert ran == [3, 1]
    assert runner.failures == 1
    assert [r.name for r in out.results] == ["BenchmarkY"]
    ((name, details),) = out.failures
    assert name == "BenchmarkX" and details.endswith("ZeroDivisionError: division by zero\n")


def test_the_error_of_a_cleanup_is_chained_to_the_error_of_the_body() -> None:
    def bench(b: B) -> None:
        def tidy() -> None:
            raise KeyError("cleanup")

        b.cleanup(tidy)
        raise ValueError("body")

    _, out = run(("BenchmarkX", bench))
    ((_, details),) = out.failures
    body, cleanup = details.split("During handling of the above exception")
    assert "ValueError: body" in body and "KeyError: 'cleanup'" in cleanup


@pytest.mark.parametrize(
    ("exit_with", "message"),
    [(3, "benchmark called sys.exit(3)"), (None, "benchmark called sys.exit()"),
     ("bye", "benchmark called sys.exit('bye')")],
)  # fmt: skip
def test_sys_exit_in_a_benchmark_is_a_failure_and_the_run_goes_on(
    exit_with: object, message: str
) -> None:
    import sys

    def bench(b: B) -> None:
        sys.exit(exit_with)

    def in_cleanup(b: B) -> None:
        b.cleanup(lambda: sys.exit(exit_with))

    runner, out = run(
        ("BenchmarkExit", bench),
        ("BenchmarkCleanup", in_cleanup),
        ("BenchmarkAfter", lambda b: None),
    )
    assert runner.failures == 2
    assert [r.name for r in out.results] == ["BenchmarkAfter"]
    for name, details in out.failures:
        assert details.endswith(f": {message}\n"), (name, details)
        assert details.split(":", 1)[0].endswith("test_harness.py"), details  # the call
    assert [name for name, _ in out.failures] == ["BenchmarkExit", "BenchmarkCleanup"]


def test_any_base_exception_fails_the_benchmark_but_ctrl_c_stops_the_run() -> None:
    class Panic(BaseException):
        pass

    def panics(b: B) -> None:
        raise Panic("not an Exception")

    def interrupted(b: B) -> None:
        raise KeyboardInterrupt

    after: list[int] = []
    runner, out = run(("BenchmarkPanic", panics), ("BenchmarkAfter", lambda b: None))
    assert runner.failures == 1 and [r.name for r in out.results] == ["BenchmarkAfter"]
    assert "Panic: not an Exception" in out.failures[0][1]
    with pytest.raises(KeyboardInterrupt):
        run(("BenchmarkCtrlC", interrupted), ("BenchmarkAfter", lambda b: after.append(b.n)))
    assert after == []


def test_failure_details_start_at_the_users_frame() -> None:
    def helper() -> None:
        raise RuntimeError("deep")

    def bench(b: B) -> None:
        helper()

    _, out = run(("BenchmarkX", bench))
    ((_, details),) = out.failures
    frames = [line for line in details.splitlines() if line.lstrip().startswith('File "')]
    assert [f.rsplit(" in ", 1)[1] for f in frames] == ["bench", "helper"]
    assert "rxp/_bench" not in details and "<frozen" not in details
