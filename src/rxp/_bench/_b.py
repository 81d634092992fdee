"""The ``b`` a benchmark function receives, and Go's calibration of ``b.n``.

This mirrors Go's ``testing.B`` (``src/testing/benchmark.go``): a benchmark is a function
``f(b)`` that does its work ``b.n`` times. The harness calls it with growing ``n`` until one
call lasts ``--benchtime``, predicting each next ``n`` with ``predict_n`` exactly as Go's
``predictN`` does (multiply before dividing, +20 %, at most 100x the last ``n``, at least one
more, never above 1e9). Current Go no longer rounds ``n`` to 1/2/3/5x10^k (older releases
did); neither do we.

Time comes from an injected clock (nanoseconds), so tests drive ``B`` with a fake clock.
Everything here is bookkeeping; the memory meter is ``_memory``, the log layout ``_log``,
``run_parallel`` ``_parallel``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import CodeType

from .._errors import RxpError
from ._log import Goexit, caller_frame, decorate, sprint, sprintf
from ._memory import MemoryMeter
from ._parallel import PB, grain_size, run_inline, run_parallel

__all__ = [
    "PB",
    "B",
    "BenchTime",
    "Clock",
    "SubRunner",
    "grow_n",
    "parse_benchtime",
    "predict_n",
]

Clock = Callable[[], int]
"""A monotonic clock in nanoseconds (``time.perf_counter_ns`` in real runs)."""

MAX_N = 1_000_000_000


@dataclass(frozen=True, slots=True)
class BenchTime:
    """``--benchtime``: either a duration (``seconds``) or a fixed count (``count``, from
    ``100x``). Exactly one of the two is set."""

    seconds: float | None = 1.0
    count: int | None = None

    def __str__(self) -> str:
        return f"{self.count}x" if self.count is not None else f"{self.seconds}s"


_UNIT_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 10**9}
_UNIT_NS |= {"m": 60 * 10**9, "h": 3600 * 10**9}
_DURATION_PART = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)")


def parse_benchtime(text: str) -> BenchTime:
    """Parse ``--benchtime`` as Go does: ``Nx`` (a positive count) or a Go duration such as
    ``1s``, ``500ms``, ``1.5s`` or ``1m30s``. Raises ``RxpError`` for anything else."""
    text = text.strip()
    if text.endswith("x"):
        digits = text[:-1]
        if not digits.isdigit() or int(digits) <= 0:
            raise RxpError(f"invalid --benchtime {text!r}: a count is a positive integer, as 100x")
        return BenchTime(seconds=None, count=int(digits))
    pos, total = 0, 0.0
    while pos < len(text):
        part = _DURATION_PART.match(text, pos)
        if part is None:
            break
        total += float(part.group(1)) * _UNIT_NS[part.group(2)]
        pos = part.end()
    if not text or pos != len(text) or total <= 0:
        raise RxpError(f"invalid --benchtime {text!r}: expected a duration (1s, 500ms) or Nx")
    return BenchTime(seconds=total / 1e9, count=None)


def predict_n(goal_ns: int, prev_iters: int, prev_ns: int, last: int) -> int:
    """Go's ``predictN``: the next iteration count aiming at ``goal_ns``, given that
    ``prev_iters`` iterations took ``prev_ns`` and the last count tried was ``last``."""
    prev_ns = max(prev_ns, 1)  # Go rounds a zero duration up to dodge dividing by zero
    n = goal_ns * prev_iters // prev_ns  # multiply first: fast benchmarks keep their precision
    n += n // 5
    n = min(n, 100 * last)
    n = max(n, last + 1)
    return min(n, MAX_N)


def grow_n(b: B, goal_ns: int) -> Iterator[int]:
    """Go's ``launch`` loop: while ``b``'s last call (with ``b.n``) lasted less than
    ``goal_ns``, and it neither failed nor skipped, the next ``n`` to call it with
    (``predict_n``, starting from 1). The caller makes each call before asking for the next."""
    n = 1
    while not b.failed() and not b.skipped() and b.duration_ns < goal_ns and n < MAX_N:
        n = predict_n(goal_ns, b.n, b.duration_ns, n)
        yield n


SubRunner = Callable[["B", str, Callable[["B"], object], "BenchTime | None"], bool]
"""How ``B.run`` hands a sub-benchmark to the harness: ``(parent, name, fn, benchtime) -> ok``."""


class B:
    """The benchmark state handed to every benchmark function (Go's ``testing.B``).

    Contract: ``n`` is the number of times to do the work; ``cpu`` is the ``--cpu`` value of
    this run (Go's GOMAXPROCS). The timer runs when the function is called; time spent
    between ``stop_timer()`` and ``start_timer()`` is not counted, and ``reset_timer()``
    forgets what was counted so far (and the reported metrics), as in Go. ``while
    b.loop():`` is the other way to write the loop (Go 1.24's ``for b.Loop()``).
    """

    def __init__(
        self,
        name: str,
        *,
        n: int = 1,
        cpu: int = 1,
        level: int = 0,
        clock: Clock = time.perf_counter_ns,
        sub_runner: SubRunner | None = None,
        measure_memory: bool = False,
        benchtime: BenchTime | None = None,
        parent: B | None = None,
        chatty: Callable[[str], object] | None = None,
    ) -> None:
        self._name = name
        self._chatty = chatty
        self.n = n
        self.cpu = cpu
        self.level = level
        self.bytes = 0
        self.extra: dict[str, float] = {}
        self.has_sub = False
        self.report_allocs_requested = False
        self.benchtime = benchtime or BenchTime()
        self._parent = parent
        self._clock = clock
        self._sub_runner = sub_runner
        self._timer_on = False
        self._start = 0
        self._duration = 0
        self._memory = MemoryMeter() if measure_memory else None
        self._cleanups: list[Callable[[], object]] = []
        self._mu = threading.Lock()
        self._failed = False
        self._failed_itself = False
        self._skipped = False
        self._finished = False
        self._output: list[str] = []
        self._helpers: set[CodeType] = set()
        self._loop_n = 0
        self._parallelism = 1
        self._previous_n = 0
        self._previous_ns = 0

    # -- timer control ------------------------------------------------------------------------

    def start_timer(self) -> None:
        """Start (or resume) timing; called by the harness before the function runs."""
        if not self._timer_on:
            self._start = self._clock()
            self._timer_on = True
            if self._memory is not None:  # last: the timer's own ints are not counted
                self._memory.start()

    def stop_timer(self) -> None:
        """Pause timing, e.g. around set-up work that should not count."""
        if self._timer_on:
            if self._memory is not None:  # first: the timer's own ints are not counted
                self._memory.stop()
            self._duration += self._clock() - self._start
            self._timer_on = False

    def reset_timer(self) -> None:
        """Zero the elapsed time, the memory counters and the reported metrics; whether the
        timer runs is unchanged."""
        self.extra.clear()
        if self._timer_on:
            self._start = self._clock()
        self._duration = 0
        if self._memory is not None:
            self._memory.reset(self._timer_on)

    def elapsed_ns(self) -> int:
        """The time counted so far, in nanoseconds (Go's ``b.Elapsed``)."""
        running = self._clock() - self._start if self._timer_on else 0
        return self._duration + running

    def elapsed(self) -> float:
        """The time counted so far, in seconds (Go's ``b.Elapsed``)."""
        return self.elapsed_ns() / 1e9

    # -- b.loop -------------------------------------------------------------------------------

    def loop(self) -> bool:
        """``while b.loop(): work()``: True while the benchmark should go on (Go 1.24's
        ``B.Loop``). The first call resets the timer, so set-up before the loop is never
        timed; the last stops it. The loop calibrates itself, in one call of the benchmark
        function: it runs until ``--benchtime`` is reached (or exactly N times for ``Nx``),
        and afterwards ``b.n`` is the number of iterations that ran."""
        if self._loop_n != 0 and self._loop_n < self.n:
            self._loop_n += 1
            return True
        return self._loop_slow_path()

    def _loop_slow_path(self) -> bool:
        if self._loop_n == 0:  # the first call: start counting from here
            self.n = 1
            self._loop_n = 1
            self.reset_timer()
            return True
        if not self._timer_on:  # as Go 1.25: the timer must run for the time to mean anything
            self.fatal("B.loop called with timer stopped")
        if self.benchtime.count is not None:
            if self.n < self.benchtime.count:
                self.n = self.benchtime.count
                self._loop_n += 1
                return True
            self.stop_timer()
            return False
        return self._stop_or_scale_loop()

    def _stop_or_scale_loop(self) -> bool:
        """Go's ``stopOrScaleBLoop``: stop once the time since the timer started reaches
        the bench time, else aim ``b.n`` at it with ``predict_n``."""
        elapsed = self._clock() - self._start
        goal_ns = int((self.benchtime.seconds or 0.0) * 1e9)
        if elapsed >= goal_ns:
            self.stop_timer()
            return False
        self.n = predict_n(goal_ns, self.n, elapsed, self.n)
        self._loop_n += 1
        return True

    @property
    def used_loop(self) -> bool:
        """Whether the last call used ``b.loop()`` (then it calibrated itself)."""
        return self._loop_n != 0

    # -- run_parallel -------------------------------------------------------------------------

    def set_parallelism(self, p: int) -> None:
        """``run_parallel`` will use ``p * b.cpu`` workers; ``p < 1`` changes nothing."""
        if p >= 1:
            self._parallelism = p

    def run_parallel(self, body: Callable[[PB], object], backend: str = "thread") -> None:
        """Run ``body(pb)`` in ``parallelism * b.cpu`` workers that share the ``b.n``
        iterations: each loops ``while pb.next():``. ``backend="thread"`` (Go's goroutines
        become threads) or ``"process"`` (for CPU-bound bodies; ``body`` must be picklable).
        Do not use the timer methods or ``run`` in the body."""
        if self.n == 0:
            return
        if self._memory is not None:  # the --benchmem probe: one worker its meter can see
            counter = run_inline(body, self.n)
        else:
            counter = run_parallel(
                body,
                workers=self._parallelism * self.cpu,
                grain=grain_size(self._previous_n, self._previous_ns),
                total=self.n,
                backend=backend,
            )
        if counter <= self.n and not self.failed():
            self.fatal("RunParallel: body exited without pb.Next() == false")

    # -- reporting ----------------------------------------------------------------------------

    def name(self) -> str:
        """The benchmark's full name, ``BenchmarkX/sub``, without the ``-N`` of ``--cpu``."""
        return self._name

    def set_bytes(self, n: int) -> None:
        """Bytes processed by one iteration; adds ``MB/s`` to the result."""
        self.bytes = n

    def report_metric(self, value: float, unit: str) -> None:
        """Add ``value unit`` to the result line (per-op units end in ``/op`` by convention).
        A unit the harness reports itself (``ns/op``, ``MB/s``, ``B/op``, ``allocs/op``) is
        overridden; ``ns/op`` set to 0 suppresses it, as in Go."""
        if not unit or any(ch.isspace() for ch in unit):
            raise ValueError(f"metric unit must be non-empty with no whitespace: {unit!r}")
        self.extra[unit] = float(value)

    def report_allocs(self) -> None:
        """Report B/op and allocs/op for this benchmark even without ``--benchmem``."""
        self.report_allocs_requested = True

    # -- logs, failing, skipping (Go's common) ------------------------------------------------

    def _record(self, text: str) -> None:
        line = decorate(text, caller_frame(self._helpers))
        if self._chatty is not None:  # -v: printed now, as Go's chatty logDepth prints it
            self._chatty(line)
            return
        with self._mu:
            self._output.append(line)

    def log(self, *args: object) -> None:
        """Record the arguments, separated by spaces, as ``file.py:LINE: text`` of the
        caller; shown under ``--- BENCH``/``--- FAIL`` (Go's ``Log``), or at once with
        ``-v`` (``chatty``)."""
        self._record(sprint(args))

    def logf(self, fmt: str, *args: object) -> None:
        """``log`` with ``fmt % args`` (Go's ``Logf``)."""
        self._record(sprintf(fmt, args))

    def helper(self) -> None:
        """Mark the calling function as a helper: its lines are not the ones logs name
        (Go's ``Helper``)."""
        import sys

        with self._mu:
            self._helpers.add(sys._getframe(1).f_code)

    def fail(self) -> None:
        """Mark the benchmark (and its parents) failed; it goes on running."""
        with self._mu:
            self._failed_itself = True
        self._mark_failed()

    def _mark_failed(self) -> None:
        with self._mu:
            self._failed = True
        if self._parent is not None:
            self._parent._mark_failed()

    def failed(self) -> bool:
        """Whether the benchmark has failed."""
        with self._mu:
            return self._failed

    @property
    def failed_itself(self) -> bool:
        """Failed by its own ``fail``, not only through a sub-benchmark."""
        return self._failed_itself

    def fail_now(self) -> None:
        """Mark the benchmark failed and end its function here (Go's ``FailNow``: its
        cleanups still run, and the run goes on with the next benchmark)."""
        self.fail()
        self._finished = True
        raise Goexit

    def error(self, *args: object) -> None:
        """``log`` then ``fail``."""
        self._record(sprint(args))
        self.fail()

    def errorf(self, fmt: str, *args: object) -> None:
        """``logf`` then ``fail``."""
        self._record(sprintf(fmt, args))
        self.fail()

    def fatal(self, *args: object) -> None:
        """``log`` then ``fail_now``."""
        self._record(sprint(args))
        self.fail_now()

    def fatalf(self, fmt: str, *args: object) -> None:
        """``logf`` then ``fail_now``."""
        self._record(sprintf(fmt, args))
        self.fail_now()

    def skip_now(self) -> None:
        """Mark the benchmark skipped and end its function here; it reports ``--- SKIP``
        and no result (a failure recorded before still fails it)."""
        with self._mu:
            self._skipped = True
        self._finished = True
        raise Goexit

    def skip(self, *args: object) -> None:
        """``log`` then ``skip_now``."""
        self._record(sprint(args))
        self.skip_now()

    def skipf(self, fmt: str, *args: object) -> None:
        """``logf`` then ``skip_now``."""
        self._record(sprintf(fmt, args))
        self.skip_now()

    def skipped(self) -> bool:
        """Whether the benchmark was skipped."""
        with self._mu:
            return self._skipped

    @property
    def output(self) -> str:
        """What the logs recorded so far, laid out as Go prints it."""
        with self._mu:
            return "".join(self._output)

    def cleanup(self, fn: Callable[[], object]) -> None:
        """Call ``fn`` when this call of the benchmark function has returned (or raised),
        untimed, the last registered first: Go's ``b.Cleanup``, which ``runN`` runs after
        every call. When one raises the others still run, and the first error fails the
        benchmark (chained to the function's own error, if it raised too)."""
        self._cleanups.append(fn)

    def run(self, name: str, fn: Callable[[B], object], *, benchtime: str | None = None) -> bool:
        """Run ``fn`` as the sub-benchmark ``<this name>/<name>``; returns False if it failed.
        A benchmark that calls ``run`` is not measured itself. ``benchtime`` (``"5x"``,
        ``"200ms"``) replaces ``--benchtime`` for this sub-benchmark and its own."""
        self.has_sub = True
        if self._sub_runner is None:
            raise RuntimeError("b.run needs the benchmark harness")
        own = parse_benchtime(benchtime) if benchtime is not None else None
        was_on = self._timer_on
        self.stop_timer()
        ok = self._sub_runner(self, name, fn, own)
        if was_on:
            self.start_timer()
        return ok

    # -- harness side -------------------------------------------------------------------------

    def add_output(self, text: str) -> None:
        """Append log text recorded elsewhere (the ``--benchmem`` probe's call)."""
        if text:
            with self._mu:
                self._output.append(text)

    @property
    def duration_ns(self) -> int:
        return self._duration

    @property
    def finished(self) -> bool:
        """Ended by ``skip_now``/``fail_now`` (or what calls them)."""
        return self._finished

    @property
    def memory(self) -> tuple[int, int] | None:
        """``(bytes, allocs)`` allocated per op while timed, if memory was measured."""
        if self._memory is None:
            return None
        n = max(self.n, 1)
        return (self._memory.bytes // n, self._memory.allocs // n)

    def run_n(self, fn: Callable[[B], object], n: int) -> None:
        """Call ``fn`` once with ``b.n = n``, timed from a fresh timer, then its cleanups
        (Go's ``runN``). Exceptions propagate with the timer stopped; one raised by a
        cleanup carries the function's own, if any, as its ``__context__``. ``Goexit``
        (``skip_now``/``fail_now``) ends the call as a return does."""
        self.n = n
        self._loop_n = 0
        self._parallelism = 1
        if self._memory is not None:
            self._memory.install()
        try:
            self.reset_timer()
            self.start_timer()
            try:
                fn(self)
            except Goexit:
                pass
            finally:
                self.stop_timer()
                self._run_cleanups()
        finally:
            if self._memory is not None:
                self._memory.uninstall()
        self._previous_n = n
        self._previous_ns = self._duration

    def _run_cleanups(self) -> None:
        error: BaseException | None = None
        while self._cleanups:
            fn = self._cleanups.pop()
            try:
                fn()
            except Goexit:
                pass
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # kept, raised once all have run
                error = error or exc
        if error is not None:
            raise error
