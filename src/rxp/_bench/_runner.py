"""Run benchmarks as ``go test -bench`` does, and report each event to a ``Reporter``.

For each selected benchmark the function is first called once with ``b.n = 1`` (Go's
``run1``): if it calls ``b.run`` it is a parent and is not measured itself; its
sub-benchmarks are run, recursively, the same way. A leaf is then measured once per
``--cpu`` value and ``--count`` round: ``b.n`` grows until a call lasts ``--benchtime``
(see ``_b.predict_n``), or is fixed by ``--benchtime Nx``; each sub-benchmark calibrates on
its own, with the full bench time. A benchmark that uses ``b.loop()`` calibrates itself in
that first call, which is then its result (Go 1.24's ``launch``). With ``--benchmem`` one
extra, untimed pass with ``b.n = 1`` under the allocation meter (``_memory``) measures
memory (tracing slows code many times, so it never overlaps a timed pass).

A benchmark that fails is reported through ``Reporter.failed`` and yields no result; the
run goes on with the next benchmark (and the next round of this one, as Go's
``processBench``) and ends failed. Failing is ``b.fail``/``error``/``fatal`` (Go's),
or raising anything but ``KeyboardInterrupt`` (Ctrl-C still stops the whole run): an
exception, in the function or in one of its ``b.cleanup`` functions, or ``SystemExit``
(``sys.exit``, ``exit()``), which in Go would end the test binary and is reported as
``--- FAIL`` by ``go test``. A parent fails with its sub-benchmark, as in Go. A file that
fails to import fails the same way, under its path. ``os._exit`` ends the process at once:
nothing in it can catch that. A benchmark that passed shows its logs after its result as
``--- BENCH``; one that skipped, and a parent's own logs, show nothing, as in Go.

``Options.verbose`` is Go's ``-test.v`` (its ``chatty`` printer): each benchmark's name is
announced on a line of its own before its first call, logs are printed the moment they are
made (so before the result line, and never as ``--- BENCH``), and a skipped benchmark ends
with ``--- SKIP: name``.

What is reported is what the user can act on: the traceback from the first frame that is
not rxp's own or importlib's (a ``SyntaxError`` as ``file:line:col:`` with Python's caret,
``sys.exit`` as the place that called it).
"""

from __future__ import annotations

import gc
import os
import random
import sysconfig
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .._errors import os_reason
from ._b import B, BenchTime, Clock, grow_n
from ._discover import BenchFile, load, path_text, pkg_name
from ._gofmt import Result
from ._log import trim_output
from ._select import Matcher

__all__ = ["Options", "Reporter", "Runner", "benchmark_name_for_cpu", "describe_failure"]

BenchFn = Callable[[B], object]
_WARM_UP_BELOW_NS = 1_000_000


@dataclass(frozen=True, slots=True)
class Options:
    benchtime: BenchTime = field(default_factory=BenchTime)
    count: int = 1
    cpus: tuple[int, ...] = (1,)
    pattern: str = "."
    benchmem: bool = False
    failfast: bool = False
    shuffle: int | None = None  # the seed of --shuffle, None for off
    verbose: bool = False  # Go's -test.v: see the module docstring


class Reporter(Protocol):
    """Where the runner's events go, in the order ``go test -bench`` prints them."""

    def progress(self, name: str, round_: int, rounds: int, n: int) -> None: ...
    def result(self, result: Result) -> None: ...
    def failed(self, name: str, details: str) -> None:
        """``--- FAIL: name``; ``details`` (already indented) is what goes under it: the
        benchmark's log, then its traceback if it raised."""

    def skipped(self, name: str, output: str) -> None:
        """``--- SKIP: name`` and the benchmark's log (only with ``verbose``)."""

    def logged(self, name: str, output: str) -> None:
        """``--- BENCH: name`` and the log of a benchmark that passed."""

    def announce(self, name: str) -> None:
        """With ``verbose``: ``name`` on a line of its own, before the benchmark runs."""

    def streamed(self, text: str) -> None:
        """With ``verbose``: a log line (``    file.py:12: message``) as it is made."""

    def file_start(self, pkg: str, shuffle: int | None) -> None: ...
    def file_done(self, pkg: str, ok: bool, seconds: float, *, broken: bool = False) -> None:
        """The trailer of one file: ``PASS``/``ok`` or ``FAIL``; ``broken`` when the file
        did not load."""


def benchmark_name_for_cpu(name: str, cpu: int) -> str:
    """Go's ``benchmarkName``: ``-N`` is appended unless N is 1."""
    return name if cpu == 1 else f"{name}-{cpu}"


def _indent(text: str) -> str:
    lines = text.splitlines(keepends=True)
    out = "".join(f"    {line}" if line.strip() else line for line in lines)
    return out if not out or out.endswith("\n") else out + "\n"


@dataclass(slots=True)
class Runner:
    """One harness run over benchmark files; ``failures`` counts the benchmarks that failed
    (on their own, not only through a sub-benchmark), ``broken_files`` the files that
    failed to import, ``skips`` the benchmarks that skipped. ``running`` names what runs
    now, with its start (``time.monotonic``), for ``--timeout``'s report."""

    options: Options
    reporter: Reporter
    clock: Clock = time.perf_counter_ns
    failures: int = 0
    broken_files: int = 0
    skips: int = 0
    results: list[Result] = field(default_factory=list)
    running: dict[str, float] = field(default_factory=dict)
    _matcher: Matcher = field(init=False)
    _pkg: str = field(init=False, default="")
    _stop: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self._matcher = Matcher(self.options.pattern)

    # -- entry points -------------------------------------------------------------------------

    def run_file(self, bench_file: BenchFile) -> None:
        """Run the file's benchmarks (shuffled by ``--shuffle``'s seed, as Go's
        ``-shuffle`` shuffles each test binary's list), then report its trailer."""
        self._pkg = bench_file.pkg
        began, failures = time.perf_counter(), self.failures
        self.reporter.file_start(bench_file.pkg, self.options.shuffle)
        benchmarks = list(bench_file.benchmarks)
        if self.options.shuffle is not None:
            random.Random(self.options.shuffle).shuffle(benchmarks)
        for bench in benchmarks:
            if self._stop:
                break
            ok, partial = self._matcher.matches(bench.name)
            if ok:
                self._run_benchmark(bench.name, bench.fn, level=0, partial=partial)
        ok = self.failures == failures
        self.reporter.file_done(bench_file.pkg, ok, time.perf_counter() - began)

    def load_file(self, path: Path) -> BenchFile | None:
        """Import ``path`` and collect its benchmarks; if that fails, report ``--- FAIL``
        under the path and return None (the run goes on with the next file)."""
        try:
            return load(path)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a failure: see the module docstring
            self.broken_files += 1
            self.reporter.file_start(pkg_name(path), None)
            self.reporter.failed(path_text(path), _indent(describe_failure(exc, "module")))
            self.reporter.file_done(pkg_name(path), False, 0.0, broken=True)
            if self.options.failfast:
                self._stop = True
            return None

    @property
    def stopped(self) -> bool:
        """``--failfast`` stopped the run after a failure."""
        return self._stop

    # -- one benchmark ------------------------------------------------------------------------

    def _new_b(
        self,
        name: str,
        level: int,
        cpu: int,
        benchtime: BenchTime,
        parent: B | None,
        *,
        memory: bool = False,
    ) -> B:
        chatty = self.reporter.streamed if self.options.verbose and not memory else None
        return B(
            name,
            cpu=cpu,
            level=level,
            clock=self.clock,
            sub_runner=self._run_sub,
            measure_memory=memory,
            benchtime=benchtime,
            parent=parent,
            chatty=chatty,
        )

    def _run_sub(self, parent: B, name: str, fn: BenchFn, benchtime: BenchTime | None) -> bool:
        if self._stop:
            return True
        full = self._matcher.sub_name(parent.name(), name)
        ok, partial = self._matcher.matches(full)
        if not ok:
            return True
        return self._run_benchmark(
            full,
            fn,
            level=parent.level + 1,
            partial=partial,
            parent=parent,
            benchtime=benchtime or parent.benchtime,
        )

    def _fail(self, name: str, b: B, exc: BaseException | None) -> bool:
        """Report ``--- FAIL``: the log, then the traceback of what was raised."""
        if exc is not None or b.failed_itself or not b.has_sub:
            self.failures += 1
        details = b.output
        if exc is not None:
            details += _indent(describe_failure(exc, "benchmark"))
        self.reporter.failed(name, details)
        if self.options.failfast:
            self._stop = True
        return False

    def _call(self, b: B, fn: BenchFn, n: int) -> BaseException | None:
        """``b.run_n(fn, n)``; what it raised (Ctrl-C apart), or None."""
        try:
            b.run_n(fn, n)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a failure: see the module docstring
            return exc
        return None

    def _run_benchmark(
        self,
        name: str,
        fn: BenchFn,
        *,
        level: int,
        partial: bool,
        parent: B | None = None,
        benchtime: BenchTime | None = None,
    ) -> bool:
        benchtime = benchtime or self.options.benchtime
        cpus = self.options.cpus
        rounds = len(cpus) * self.options.count
        self.running[name] = time.monotonic()
        if self.options.verbose:
            self.reporter.announce(name)
        try:
            first = self._new_b(name, level, cpus[0], benchtime, parent)
            self.reporter.progress(name, 1, rounds, 1)
            exc = self._call(first, fn, 1)  # Go's run1: also discovers sub-benchmarks
            if exc is not None or first.failed():
                return self._fail(name, first, exc)  # before any -N suffix is known, as Go
            if first.has_sub or partial or first.skipped():
                self._report_log(name, first)
                return True
            return self._rounds(name, fn, first, parent)
        finally:
            self.running.pop(name, None)

    def _report_log(self, name: str, b: B) -> None:
        """The end of a benchmark that gives no result (a parent, a skip): Go's ``run1``
        prints it only when chatty, and then its logs are already out."""
        if b.skipped():
            self.skips += 1
        if self.options.verbose and (b.output or b.finished):
            tag = self.reporter.skipped if b.skipped() else self.reporter.logged
            tag(name, trim_output(b.output))

    def _rounds(self, name: str, fn: BenchFn, first: B, parent: B | None) -> bool:
        """Go's ``processBench``: one measurement per ``--cpu`` value and ``--count``
        round; a round that fails is reported and the others still run."""
        cpus = self.options.cpus
        rounds = len(cpus) * self.options.count
        ok, round_ = True, 0
        memory: tuple[int, int] | None = None
        for cpu in cpus:
            for _ in range(self.options.count):
                round_ += 1
                full = benchmark_name_for_cpu(name, cpu)
                b = first
                if round_ > 1:
                    b = self._new_b(name, first.level, cpu, first.benchtime, parent)
                    self.reporter.progress(full, round_, rounds, 1)
                    exc = self._call(b, fn, 1)
                    if exc is not None or b.failed():
                        ok = self._fail(name, b, exc)
                        continue
                    if b.skipped():
                        self._report_log(name, b)
                        return ok
                exc = self._launch(b, fn, full, round_, rounds)
                if exc is None and not b.failed():
                    memory, exc = self._measure_memory(fn, b)
                if exc is not None or b.failed():
                    ok = self._fail(full, b, exc)
                    if self._stop:
                        return ok
                    continue
                if b.skipped():
                    self._report_log(full, b)
                    return ok
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
                if b.output:
                    self.reporter.logged(full, trim_output(b.output))
        return ok

    def _launch(
        self, b: B, fn: BenchFn, full: str, round_: int, rounds: int
    ) -> BaseException | None:
        """Go's ``launch``: grow ``b.n`` until a run lasts the bench time. A benchmark
        that used ``b.loop()`` calibrated itself in its first call, which is its result."""
        if b.used_loop:
            return None
        benchtime = b.benchtime
        if benchtime.count is not None:
            if benchtime.count > 1:
                self.reporter.progress(full, round_, rounds, benchtime.count)
                return self._run_n(b, fn, benchtime.count)
            return None
        for n in grow_n(b, int((benchtime.seconds or 0.0) * 1e9)):
            self.reporter.progress(full, round_, rounds, n)
            exc = self._run_n(b, fn, n)
            if exc is not None:
                return exc
        return None

    def _run_n(self, b: B, fn: BenchFn, n: int) -> BaseException | None:
        gc.collect()  # as Go's runtime.GC(): start each run without the last one's garbage
        return self._call(b, fn, n)

    def _measure_memory(
        self, fn: BenchFn, timed: B
    ) -> tuple[tuple[int, int] | None, BaseException | None]:
        """An extra untimed call with ``b.n = 1`` (``b.loop()`` runs once) under the
        allocation meter (``_memory``), when ``--benchmem`` or ``b.report_allocs()``. For an
        operation under a millisecond it is made twice and the second measured: a code
        object's first traced run builds line tables and caches that would count as a few
        allocations; for a slower one (tracing slows it many times) they are noise."""
        if not (self.options.benchmem or timed.report_allocs_requested):
            return None, None
        exc: BaseException | None = None
        cheap = timed.duration_ns < _WARM_UP_BELOW_NS * max(timed.n, 1)
        for _ in range(2 if cheap else 1):  # a first call warms what a first traced run makes
            probe = self._new_b(
                timed.name(), timed.level, timed.cpu, BenchTime(None, 1), None, memory=True
            )
            gc.collect()
            exc = self._call(probe, fn, 1)
            if exc is not None or probe.failed() or probe.skipped():
                break
        if exc is None and probe.failed():
            timed.fail()
        if self.options.verbose and probe.output:  # the probe is one more call of the round's
            self.reporter.streamed(probe.output)
        else:
            timed.add_output(probe.output)
        return probe.memory, exc


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
        return f"cannot read{name}: {os_reason(exc, lower=True)}\n"
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
