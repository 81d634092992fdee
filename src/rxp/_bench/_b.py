"""The ``b`` a benchmark function receives, and Go's calibration of ``b.n``.

This mirrors Go's ``testing.B`` (``src/testing/benchmark.go``): a benchmark is a function
``f(b)`` that does its work ``b.n`` times. The harness calls it with growing ``n`` until one
call lasts ``--benchtime``, predicting each next ``n`` with ``predict_n`` exactly as Go's
``predictN`` does (multiply before dividing, +20 %, at most 100x the last ``n``, at least one
more, never above 1e9). Current Go no longer rounds ``n`` to 1/2/3/5x10^k (older releases
did); neither do we.

Time comes from an injected clock (nanoseconds), so tests drive ``B`` with a fake clock.
Everything here is pure bookkeeping except the optional memory meter (``tracemalloc``).
"""

from __future__ import annotations

import re
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from .._errors import RxpError

__all__ = [
    "B",
    "BenchTime",
    "Clock",
    "SubRunner",
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


SubRunner = Callable[["B", str, Callable[["B"], object]], bool]
"""How ``B.run`` hands a sub-benchmark to the harness: ``(parent, name, fn) -> ok``."""


class _MemoryMeter:
    """What ``--benchmem`` measures while the timer runs (see docs/bench.md):
    the peak of memory traced by ``tracemalloc`` above its level when the timer started
    (bytes), and the net change in CPython's allocated blocks (``sys.getallocatedblocks``)."""

    def __init__(self) -> None:
        self.peak_bytes = 0
        self.net_blocks = 0
        self._start_bytes = 0
        self._start_blocks = 0

    def start(self) -> None:
        tracemalloc.reset_peak()
        self._start_bytes = tracemalloc.get_traced_memory()[0]
        self._start_blocks = sys.getallocatedblocks()

    def stop(self) -> None:
        blocks = sys.getallocatedblocks()
        peak = tracemalloc.get_traced_memory()[1]
        self.peak_bytes = max(self.peak_bytes, peak - self._start_bytes)
        self.net_blocks += blocks - self._start_blocks

    def reset(self, running: bool) -> None:
        self.peak_bytes = 0
        self.net_blocks = 0
        if running:
            self.start()


class B:
    """The benchmark state handed to every benchmark function.

    Contract: ``n`` is the number of times to do the work; ``cpu`` is the ``--cpu`` value of
    this run (Go's GOMAXPROCS). The timer runs when the function is called; time spent
    between ``stop_timer()`` and ``start_timer()`` is not counted, and ``reset_timer()``
    forgets what was counted so far (and the reported metrics), as in Go.
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
    ) -> None:
        self.name = name
        self.n = n
        self.cpu = cpu
        self.level = level
        self.bytes = 0
        self.extra: dict[str, float] = {}
        self.has_sub = False
        self.failed = False
        self.report_allocs_requested = False
        self._clock = clock
        self._sub_runner = sub_runner
        self._timer_on = False
        self._start = 0
        self._duration = 0
        self._memory = _MemoryMeter() if measure_memory else None
        self._cleanups: list[Callable[[], object]] = []

    # -- timer control ------------------------------------------------------------------------

    def start_timer(self) -> None:
        """Start (or resume) timing; called by the harness before the function runs."""
        if not self._timer_on:
            if self._memory is not None:
                self._memory.start()
            self._start = self._clock()
            self._timer_on = True

    def stop_timer(self) -> None:
        """Pause timing, e.g. around set-up work that should not count."""
        if self._timer_on:
            self._duration += self._clock() - self._start
            if self._memory is not None:
                self._memory.stop()
            self._timer_on = False

    def reset_timer(self) -> None:
        """Zero the elapsed time, the memory counters and the reported metrics; whether the
        timer runs is unchanged."""
        self.extra.clear()
        if self._memory is not None:
            self._memory.reset(self._timer_on)
        if self._timer_on:
            self._start = self._clock()
        self._duration = 0

    def elapsed_ns(self) -> int:
        """The time counted so far, in nanoseconds (Go's ``b.Elapsed``)."""
        running = self._clock() - self._start if self._timer_on else 0
        return self._duration + running

    # -- reporting ----------------------------------------------------------------------------

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

    def cleanup(self, fn: Callable[[], object]) -> None:
        """Call ``fn`` when this call of the benchmark function has returned (or raised),
        untimed, the last registered first: Go's ``b.Cleanup``, which ``runN`` runs after
        every call. When one raises the others still run, and the first error fails the
        benchmark (chained to the function's own error, if it raised too)."""
        self._cleanups.append(fn)

    def run(self, name: str, fn: Callable[[B], object]) -> bool:
        """Run ``fn`` as the sub-benchmark ``<this name>/<name>``; returns False if it failed.
        A benchmark that calls ``run`` is not measured itself."""
        self.has_sub = True
        if self._sub_runner is None:
            raise RuntimeError("b.run needs the benchmark harness")
        was_on = self._timer_on
        self.stop_timer()
        ok = self._sub_runner(self, name, fn)
        if was_on:
            self.start_timer()
        if not ok:
            self.failed = True
        return ok

    # -- harness side -------------------------------------------------------------------------

    @property
    def duration_ns(self) -> int:
        return self._duration

    @property
    def memory(self) -> tuple[int, int] | None:
        """``(peak bytes, net blocks)`` measured while timed, if memory was measured."""
        if self._memory is None:
            return None
        return (self._memory.peak_bytes, self._memory.net_blocks)

    def run_n(self, fn: Callable[[B], object], n: int) -> None:
        """Call ``fn`` once with ``b.n = n``, timed from a fresh timer, then its cleanups
        (Go's ``runN``). Exceptions propagate with the timer stopped; one raised by a
        cleanup carries the function's own, if any, as its ``__context__``."""
        self.n = n
        self.reset_timer()
        self.start_timer()
        try:
            fn(self)
        finally:
            self.stop_timer()
            self._run_cleanups()

    def _run_cleanups(self) -> None:
        error: BaseException | None = None
        while self._cleanups:
            fn = self._cleanups.pop()
            try:
                fn()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # kept, raised once all have run
                error = error or exc
        if error is not None:
            raise error
