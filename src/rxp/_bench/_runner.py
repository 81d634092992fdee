"""Run benchmarks as ``go test -bench`` does, and report each event to a ``Reporter``.

For each selected benchmark the function is first called once with ``b.n = 1`` (Go's
``run1``): if it calls ``b.run`` it is a parent and is not measured itself; its
sub-benchmarks are run, recursively, the same way. A leaf is then measured once per
``--cpu`` value and ``--count`` round: ``b.n`` grows until a call lasts ``--benchtime``
(see ``_b.predict_n``), or is fixed by ``--benchtime Nx``. With ``--benchmem`` one extra,
untimed pass with ``b.n = 1`` under ``tracemalloc`` measures memory (tracing slows code
several times, so it never overlaps a timed pass).

A benchmark that fails is reported through ``Reporter.failed`` and yields no result; the
run goes on with the next benchmark and ends failed. Failing is raising anything but
``KeyboardInterrupt`` (Ctrl-C still stops the whole run): an exception, in the function or
in one of its ``b.cleanup`` functions, or ``SystemExit`` (``sys.exit``, ``exit()``), which
in Go would end the test binary and is reported as ``--- FAIL`` by ``go test``. A file that
fails to import fails the same way, under its path. ``os._exit`` ends the process at once:
nothing in it can catch that.

What is reported is what the user can act on: the traceback from the first frame that is
not rxp's own or importlib's (a ``SyntaxError`` as ``file:line:col:`` with Python's caret,
``sys.exit`` as the place that called it).
"""

from __future__ import annotations

import gc
import os
import sysconfig
import time
import traceback
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .._errors import os_reason
from ._b import B, BenchTime, Clock, predict_n
from ._discover import BenchFile, load, path_text
from ._gofmt import Result
from ._select import Matcher

__all__ = ["Options", "Reporter", "Runner", "benchmark_name_for_cpu", "describe_failure"]

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
    def failed(self, name: str, details: str) -> None:
        """``name`` (a benchmark, or a file that failed to import) failed; ``details`` is
        what to show under ``--- FAIL: name``, one or more lines."""


def benchmark_name_for_cpu(name: str, cpu: int) -> str:
    """Go's ``benchmarkName``: ``-N`` is appended unless N is 1."""
    return name if cpu == 1 else f"{name}-{cpu}"


@dataclass(slots=True)
class Runner:
    """One harness run over benchmark files; ``failures`` counts the benchmarks that failed,
    ``broken_files`` the files that failed to import."""

    options: Options
    reporter: Reporter
    clock: Clock = time.perf_counter_ns
    failures: int = 0
    broken_files: int = 0
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

    def load_file(self, path: Path) -> BenchFile | None:
        """Import ``path`` and collect its benchmarks; if that fails, report ``--- FAIL``
        under the path and return None (the run goes on with the next file)."""
        try:
            return load(path)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a failure: see the module docstring
            self.broken_files += 1
            self.reporter.failed(path_text(path), describe_failure(exc, "module"))
            return None

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
        self.reporter.failed(name, describe_failure(exc, "benchmark"))
        return False

    def _run_benchmark(self, name: str, fn: BenchFn, *, level: int, partial: bool) -> bool:
        cpus = self.options.cpus
        first = self._new_b(name, level, cpus[0])
        self.reporter.progress(name, 1, len(cpus) * self.options.count, 1)
        try:
            first.run_n(fn, 1)  # Go's run1: also discovers sub-benchmarks
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # as Go's run1, before any -N suffix is known
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
                if round_ > 1:
                    self.reporter.progress(full, round_, rounds, 1)
                try:
                    if round_ > 1:
                        b.run_n(fn, 1)
                    self._launch(b, fn, full, round_, rounds)
                    memory = self._measure_memory(name, level, cpu, fn, b)
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:  # a failure: see the module docstring
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


# -- what a failure shows ----------------------------------------------------------------------

_RXP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
_STDLIB = os.path.realpath(sysconfig.get_paths()["stdlib"])


def _inside(filename: str, folder: str) -> bool:
    real = os.path.realpath(filename)
    return real == folder or real.startswith(folder + os.sep)


def _harness_frame(frame: traceback.FrameSummary) -> bool:
    """A frame of rxp's (the CLI, the harness) or of importlib's machinery."""
    return frame.filename.startswith("<frozen importlib") or _inside(frame.filename, _RXP)


def _trim(exc: traceback.TracebackException, seen: set[int]) -> None:
    """Drop the harness frames that lead to the user's code from ``exc`` and every
    exception chained to it (frames below the user's, rxp's library included, stay)."""
    if id(exc) in seen:
        return
    seen.add(id(exc))
    frames = list(exc.stack)
    start = 0
    while start < len(frames) and _harness_frame(frames[start]):
        start += 1
    exc.stack = traceback.StackSummary.from_list(frames[start:])
    for chained in (exc.__cause__, exc.__context__, *(exc.exceptions or ())):
        if chained is not None:
            _trim(chained, seen)


def _relative(filename: str) -> str:
    """A file name as Go shows one in a message: relative to the working folder when
    inside it."""
    try:
        return os.path.relpath(filename) if _inside(filename, os.getcwd()) else filename
    except ValueError:  # another drive (Windows)
        return filename


def describe_failure(exc: BaseException, subject: str) -> str:
    """What to show under ``--- FAIL``: the user's traceback (``subject`` is who failed:
    ``benchmark``, ``module``). ``sys.exit`` is one line, ``file:line: benchmark called
    sys.exit(3)``; a ``SyntaxError`` met while compiling a file (no frame of the user's)
    starts with ``file:line:col:`` before Python's source line and caret."""
    report = traceback.TracebackException.from_exception(exc)
    _trim(report, set())
    if isinstance(exc, SystemExit):
        code = "" if exc.code is None else repr(exc.code)
        user = [f for f in report.stack if _users(f.filename)] or report.stack
        where = f"{_relative(user[-1].filename)}:{user[-1].lineno}: " if user else ""
        during = " during import" if subject == "module" else ""
        return f"{where}{subject} called sys.exit({code}){during}\n"
    if report.stack:
        return "".join(report.format())
    if isinstance(exc, SyntaxError) and report.lineno is not None:
        only = list(report.format_exception_only())
        col = f":{report.offset}" if report.offset else ""
        where = f"{_relative(report.filename or '<unknown>')}:{report.lineno}{col}"
        return f"{where}: {only[-1]}" + "".join(only[1:-1])
    if isinstance(exc, OSError) and subject == "module":  # the file could not be read
        name = f" {_relative(str(exc.filename))}" if exc.filename is not None else ""
        reason = os_reason(exc)
        return f"cannot read{name}: {reason[:1].lower()}{reason[1:]}\n"
    return "".join(report.format())


def _users(filename: str) -> bool:
    """A frame of the user's: neither the standard library's (``exit()`` is
    ``_sitebuiltins``) nor a frozen or generated module's (``<frozen ...>``, ``<string>``)."""
    return not filename.startswith("<") and not _inside(filename, _STDLIB)


def run_files(
    files: Sequence[BenchFile], options: Options, reporter: Reporter
) -> Runner:  # pragma: no cover - convenience for library users
    runner = Runner(options, reporter)
    for bench_file in files:
        runner.run_file(bench_file)
    return runner
