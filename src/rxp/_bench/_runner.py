"""Run benchmarks as ``go test -bench`` does, and report each event to a ``Reporter``.

For each selected benchmark the function is first called once with ``b.n = 1`` (Go's
``run1``): if it calls ``b.run`` it is a parent and is not measured itself; its
sub-benchmarks are run, recursively, the same way. A leaf is then measured once per
``--cpu`` value and ``--count`` round: ``b.n`` grows until a call lasts ``--benchtime``
(see ``_b.predict_n``), or is fixed by ``--benchtime Nx``. With ``--benchmem`` one extra,
untimed pass with ``b.n = 1`` under ``tracemalloc`` measures memory (tracing slows code
several times, so it never overlaps a timed pass).

A benchmark that raises is reported through ``Reporter.failed`` with its traceback and
yields no result; the run goes on with the next benchmark and ends failed.
"""

from __future__ import annotations

import gc
import time
import traceback
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ._b import B, BenchTime, Clock, predict_n
from ._discover import BenchFile
from ._gofmt import Result
from ._select import Matcher

__all__ = ["Options", "Reporter", "Runner", "benchmark_name_for_cpu"]

BenchFn = Callable[[B], object]


@dataclass(frozen=True, slots=True)
class Options:
    benchtime: BenchTime = field(default_factory=BenchTime)
    count: int = 1
    cpus: tuple[int, ...] = (1,)
    pattern: str = "."
    benchmem: bool = False


class Reporter(Protocol):
    """Where the runner's events go: results to stdout, the rest to stderr (in the CLI)."""

    def progress(self, name: str, round_: int, rounds: int, n: int) -> None: ...
    def result(self, result: Result) -> None: ...
    def failed(self, name: str, details: str) -> None: ...


def benchmark_name_for_cpu(name: str, cpu: int) -> str:
    """Go's ``benchmarkName``: ``-N`` is appended unless N is 1."""
    return name if cpu == 1 else f"{name}-{cpu}"


@dataclass(slots=True)
class Runner:
    """One harness run over benchmark files; ``failures`` counts the benchmarks that failed."""

    options: Options
    reporter: Reporter
    clock: Clock = time.perf_counter_ns
    failures: int = 0
    results: list[Result] = field(default_factory=list)
    _matcher: Matcher = field(init=False)
    _pkg: str = field(init=False, default="")

    def __post_init__(self) -> None:
        self._matcher = Matcher(self.options.pattern)

    # -- entry points -------------------------------------------------------------------------

    def run_file(self, bench_file: BenchFile) -> None:
        self._pkg = bench_file.pkg
        for bench in bench_file.benchmarks:
            ok, partial = self._matcher.matches(bench.name)
            if ok:
                self._run_benchmark(bench.name, bench.fn, level=0, partial=partial)

    def report_import_failure(self, path: str, exc: BaseException) -> None:
        self._fail(path, exc)

    # -- one benchmark ------------------------------------------------------------------------

    def _new_b(self, name: str, level: int, cpu: int, *, memory: bool = False) -> B:
        return B(
            name,
            cpu=cpu,
            level=level,
            clock=self.clock,
            sub_runner=self._run_sub,
            measure_memory=memory,
        )

    def _run_sub(self, parent: B, name: str, fn: BenchFn) -> bool:
        full = self._matcher.sub_name(parent.name, name)
        ok, partial = self._matcher.matches(full)
        if not ok:
            return True
        return self._run_benchmark(full, fn, level=parent.level + 1, partial=partial)

    def _fail(self, name: str, exc: BaseException) -> bool:
        self.failures += 1
        self.reporter.failed(name, _user_traceback(exc))
        return False

    def _run_benchmark(self, name: str, fn: BenchFn, *, level: int, partial: bool) -> bool:
        cpus = self.options.cpus
        first = self._new_b(name, level, cpus[0])
        self.reporter.progress(name, 1, len(cpus) * self.options.count, 1)
        try:
            first.run_n(fn, 1)  # Go's run1: also discovers sub-benchmarks
        except Exception as exc:  # as Go's run1, before any -N suffix is known
            return self._fail(name, exc)
        if first.has_sub or partial:
            return not first.failed
        rounds = len(cpus) * self.options.count
        round_ = 0
        for cpu in cpus:
            for _ in range(self.options.count):
                round_ += 1
                full = benchmark_name_for_cpu(name, cpu)
                b = first if round_ == 1 else self._new_b(name, level, cpu)
                try:
                    if round_ > 1:
                        self.reporter.progress(full, round_, rounds, 1)
                        b.run_n(fn, 1)
                    self._launch(b, fn, full, round_, rounds)
                    memory = self._measure_memory(name, level, cpu, fn, b)
                except Exception as exc:
                    return self._fail(full, exc)
                result = Result(
                    name=full,
                    pkg=self._pkg,
                    n=b.n,
                    ns=b.duration_ns,
                    bytes=b.bytes,
                    extra=tuple(b.extra.items()),
                    memory=memory,
                )
                self.results.append(result)
                self.reporter.result(result)
        return True

    def _launch(self, b: B, fn: BenchFn, full: str, round_: int, rounds: int) -> None:
        """Go's ``launch``: grow ``b.n`` until a run lasts the bench time."""
        benchtime = self.options.benchtime
        if benchtime.count is not None:
            if benchtime.count > 1:
                self.reporter.progress(full, round_, rounds, benchtime.count)
                self._run_n(b, fn, benchtime.count)
            return
        goal_ns = int((benchtime.seconds or 0.0) * 1e9)
        n = 1
        while b.duration_ns < goal_ns and n < 1_000_000_000:
            last = n
            n = predict_n(goal_ns, b.n, b.duration_ns, last)
            self.reporter.progress(full, round_, rounds, n)
            self._run_n(b, fn, n)

    @staticmethod
    def _run_n(b: B, fn: BenchFn, n: int) -> None:
        gc.collect()  # as Go's runtime.GC(): start each run without the last one's garbage
        b.run_n(fn, n)

    def _measure_memory(
        self, name: str, level: int, cpu: int, fn: BenchFn, timed: B
    ) -> tuple[int, int] | None:
        if not (self.options.benchmem or timed.report_allocs_requested):
            return None
        probe = self._new_b(name, level, cpu, memory=True)
        already = tracemalloc.is_tracing()
        if not already:
            tracemalloc.start()
        try:
            gc.collect()
            probe.run_n(fn, 1)
        finally:
            if not already:
                tracemalloc.stop()
        return probe.memory


_HERE = str(Path(__file__).resolve().parent)


def _user_traceback(exc: BaseException) -> str:
    """The traceback from the first frame outside the harness: the benchmark's own."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(_HERE):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))


def run_files(
    files: Sequence[BenchFile], options: Options, reporter: Reporter
) -> Runner:  # pragma: no cover - convenience for library users
    runner = Runner(options, reporter)
    for bench_file in files:
        runner.run_file(bench_file)
    return runner
