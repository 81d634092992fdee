"""The Python twin of twin_test.go: the same benchmarks, one per testing.B method, in rxp's
style (snake_case methods, ``b.name()`` and ``b.failed()`` as methods, ``%`` formats for
the ``*f`` methods).

``tests/bench/test_go_twin.py`` runs this file with ``rxp bench --benchtime 10x --cpu 1,2``
and holds its output to the shape of Go's transcripts next to it. Each call that logs sits
on a line of its own, written as the Go line is (up to case, underscores and spacing), so
the test can check that a ``file:line:`` prefix names the statement Go's names.
``b.loop()`` and ``b.elapsed()`` are left out: Go 1.19, which made the transcripts, has
neither (Go 1.24 and 1.20 added them).
"""

from __future__ import annotations

from rxp._bench import B

sink = 0


def work(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


def _log_here(b: B, what: str) -> None:
    """A helper: its log line names the caller's line, not this one."""
    b.helper()
    b.log("helper says", what)


def BenchmarkPlain(b: B) -> None:
    global sink
    for _ in range(b.n):
        sink = work(8)


def BenchmarkMetrics(b: B) -> None:
    global sink
    b.report_allocs()
    b.set_bytes(64)
    for _ in range(b.n):
        sink = work(8)
    b.report_metric(3, "widgets/op")


def BenchmarkLog(b: B) -> None:
    global sink
    b.log("log", "message")
    b.logf("logf %d", 42)
    _log_here(b, "hello")
    for _ in range(b.n):
        sink = work(8)


def BenchmarkLines(b: B) -> None:
    """A message of two lines: the second is indented by eight spaces."""
    global sink
    b.logf("multi\nline %d", 3)
    for _ in range(b.n):
        sink = work(8)


def BenchmarkName(b: B) -> None:
    global sink
    b.logf("name is %s", b.name())
    for _ in range(b.n):
        sink = work(8)


def BenchmarkCleanup(b: B) -> None:
    global sink

    def reset() -> None:
        global sink
        sink = 0

    b.cleanup(reset)
    for _ in range(b.n):
        sink = work(8)


def BenchmarkSkip(b: B) -> None:
    b.skip("skip", "reason")


def BenchmarkSkipf(b: B) -> None:
    b.skipf("skipf %d", 7)


def BenchmarkSkipNow(b: B) -> None:
    b.skip_now()


def BenchmarkFatal(b: B) -> None:
    b.log("before fatal")
    b.fatal("fatal", "error")


def BenchmarkFatalf(b: B) -> None:
    b.fatalf("fatalf %d", 1)


def BenchmarkFailNow(b: B) -> None:
    b.fail_now()


def BenchmarkError(b: B) -> None:
    global sink
    b.error("error", "message")
    for _ in range(b.n):
        sink = work(8)


def BenchmarkErrorf(b: B) -> None:
    global sink
    b.errorf("errorf %d", 2)
    for _ in range(b.n):
        sink = work(8)


def BenchmarkFail(b: B) -> None:
    global sink
    if not b.failed():
        b.log("not failed before Fail")
    b.fail()
    if b.failed():
        b.log("failed after Fail")
    for _ in range(b.n):
        sink = work(8)


def BenchmarkFailLate(b: B) -> None:
    """Passes its first call (b.n = 1) and fails the measured one."""
    if b.n > 1:
        b.fatalf("late n=%d", 5)


def BenchmarkSub(b: B) -> None:
    """Its own log is printed only with -v: a parent that passes has no report."""
    b.log("parent log")
    for size in ("small", "large"):

        def sub(b: B, size: str = size) -> None:
            global sink
            n = 64 if size == "large" else 8
            for _ in range(b.n):
                sink = work(n)

        b.run(size, sub)

    def skipped(b: B) -> None:
        b.skip("not today")

    b.run("skipped", skipped)


def BenchmarkTree(b: B) -> None:
    """Fails through its sub-benchmark: its own log comes under its --- FAIL."""
    b.log("tree log")

    def fail(b: B) -> None:
        b.error("sub fail")

    b.run("fail", fail)

    def log(b: B) -> None:
        global sink
        b.log("sub log")
        for _ in range(b.n):
            sink = work(8)

    b.run("log", log)


def BenchmarkParallel(b: B) -> None:
    total = [0]
    b.set_parallelism(2)

    def body(pb: object) -> None:
        while pb.next():  # type: ignore[attr-defined]
            total[0] += work(8)

    b.run_parallel(body)


def BenchmarkTimer(b: B) -> None:
    global sink
    b.stop_timer()
    sink = work(64)
    b.start_timer()
    b.reset_timer()
    for _ in range(b.n):
        sink = work(8)
