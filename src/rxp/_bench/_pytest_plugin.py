"""A pytest plugin that runs Go-style ``bench_*.py`` files under pytest-benchmark.

    pytest -p rxp._bench._pytest_plugin --benchmark-only benchmarks/bench_core.py

(or ``pytest_plugins = ["rxp._bench._pytest_plugin"]`` in a ``conftest.py``). Loaded only
when asked for: it is not a ``pytest11`` entry point, so an installed rxp changes nothing
in anybody's test runs.

Each ``bench_*.py`` pytest meets is imported by rxp's own loader (``_discover.load``), so
pytest and ``rxp bench`` see the same benchmarks under the same names. Collecting calls
each benchmark once with ``b.n = 1``, as Go's ``run1`` does, to find its sub-benchmarks;
every leaf becomes one test item named as ``rxp bench`` names it
(``BenchmarkParse/pattern=heavy``), timed by pytest-benchmark's ``benchmark`` fixture.
A file's ``test_*`` functions are not collected: they belong in test files.

Running an item calls its top-level function again, and each ``b.run`` on the way down to
the leaf; the other branches are skipped, as ``rxp bench --bench`` skips them. So a
parent's set-up is live while its leaf is measured. At the leaf:

- ``b.n`` is calibrated with Go's ``predict_n`` until one call lasts pytest-benchmark's
  ``--benchmark-min-time`` (a *round*); the number of rounds is pytest-benchmark's own
  rule, ``max(--benchmark-min-rounds, ceil(--benchmark-max-time / one round))``, with the
  round's wall-clock time, set-up included, so the budget holds for benchmarks whose
  set-up is slow;
- ``benchmark.pedantic(rounds=...)`` runs the rounds, one call with ``b.n`` each, with B's
  timer divided by ``b.n`` as pytest-benchmark's clock: only the time B counts (after
  ``b.reset_timer()``, outside ``b.stop_timer()``) is measured, per operation, so
  pytest-benchmark's statistics are per operation. Its ``iterations`` stays 1 (a round is
  one call); ``b.n`` is kept in ``extra_info["rxp"]["n"]``. The loop of ``b.n`` inside the
  function amortises the timer's cost, which one call per iteration (pytest-benchmark's
  own calibration) cannot do;
- ``b.set_bytes`` and ``b.report_metric`` (per round) are kept in ``extra_info["rxp"]``, which
  ``rxp bench --from-pytest-benchmark`` turns back into ``MB/s`` and the metric's unit;
- a benchmark written with ``while b.loop():`` calibrates itself in its first call, toward
  ``--benchmark-min-time``; its rounds then run the loop exactly that many times;
  ``b.run_parallel`` shares each round's ``b.n`` between its workers as under ``rxp bench``.

``b.skip``/``skipf``/``skip_now`` make the item skipped (``pytest.skip``, the log as the
reason) and ``b.fail``/``error``/``fatal`` make it fail (``pytest.fail`` with the log), as
soon as the call that did it returns, wherever it is on the way to the leaf; an exception
fails it with its own traceback. ``b.run(..., benchtime=...)`` has no meaning here:
pytest-benchmark's options set the time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from ._b import B, BenchTime, grow_n
from ._discover import load
from ._select import Matcher

__all__ = ["BenchFileCollector", "pytest_collect_file"]

BenchFn = Callable[[B], object]
SubFn = Callable[[B, str, BenchFn, "BenchTime | None"], bool]


def _is_bench_file(path: Path) -> bool:
    return path.suffix == ".py" and path.name.startswith("bench_")


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(
    file_path: Path, parent: pytest.Collector
) -> Generator[None, list[Any], list[Any]]:
    """A ``bench_*.py`` is collected by this plugin alone: pytest's own ``Module`` for it
    (made when the file is named on the command line or matches ``python_files``) is
    dropped before it imports anything."""
    collected: list[Any] = yield
    if not _is_bench_file(file_path):
        return collected
    others = [node for node in collected if type(node) is not pytest.Module]
    return [*others, BenchFileCollector.from_parent(parent, path=file_path)]


class _Walk:
    """Names sub-benchmarks as the harness does (``Matcher.sub_name``: Go's rewriting and
    ``#01`` suffixes), one instance per call of a top-level benchmark."""

    def __init__(self) -> None:
        self._matcher = Matcher("")
        self._names: dict[int, str] = {}

    def new_b(self, name: str, level: int, sub_runner: SubFn) -> B:
        return B(name, level=level, sub_runner=sub_runner)

    def sub_name(self, parent: B, name: str) -> str:
        return self._matcher.sub_name(parent.name(), name)


def outcome(b: B) -> None:
    """Go's verdict on one call as pytest's: ``pytest.fail`` when ``b`` failed (its log as
    the message), ``pytest.skip`` when it skipped (its log as the reason)."""
    __tracebackhide__ = True
    log = b.output.rstrip("\n")
    if b.failed():
        pytest.fail(f"{b.name()} failed" + (f"\n{log}" if log else ""), pytrace=False)
    if b.skipped():
        pytest.skip(log.strip() or f"{b.name()} skipped")


def leaves(name: str, fn: BenchFn) -> list[str]:
    """The full names of the benchmarks ``fn`` measures: itself, or the leaves of its
    ``b.run`` tree, each found by calling it once with ``b.n = 1`` (Go's ``run1``). A
    benchmark that raises there is a leaf: running its item shows the failure."""
    walk = _Walk()
    found: list[str] = []

    def sub(parent: B, sub_name: str, sub_fn: BenchFn, _: BenchTime | None) -> bool:
        full = walk.sub_name(parent, sub_name)
        child = walk.new_b(full, parent.level + 1, sub)
        try:
            child.run_n(sub_fn, 1)
        except Exception:
            found.append(full)
            return False
        if not child.has_sub:  # a leaf; one that skipped or failed shows it when run
            found.append(full)
        return not child.failed()

    top = walk.new_b(name, 0, sub)
    try:
        top.run_n(fn, 1)
    except Exception:
        return found or [name]  # a failing parent fails its leaves' items when they run
    return found if top.has_sub else [name]


class _Clock:
    """pytest-benchmark's timer for one item: the time B has counted, divided by the
    round's ``b.n`` (seconds per operation). Made when the item is collected: the
    ``benchmark`` marker carries it to the fixture."""

    __name__ = "rxp_b_timer"  # what pytest-benchmark records as the timer's name

    def __init__(self) -> None:
        self.timed_ns = 0
        self.n = 1

    def __call__(self) -> float:
        return self.timed_ns / self.n / 1e9


class _Rounds:
    """``benchmark.pedantic``'s target for one leaf: each call is one round, the benchmark
    called with ``b.n = n``, which advances the clock by what B counted."""

    def __init__(self, b: B, fn: BenchFn, n: int, clock: _Clock) -> None:
        self.b, self.fn, self.n, self.clock = b, fn, n, clock
        self.metrics: list[dict[str, float]] = []

    def __call__(self) -> None:
        __tracebackhide__ = True
        self.b.run_n(self.fn, self.n)
        outcome(self.b)
        self.clock.timed_ns += self.b.duration_ns
        self.metrics.append(dict(self.b.extra))


def _option(config: pytest.Config, name: str, default: float) -> float:
    value = config.getoption(name, default)
    return float(value) if value is not None else default


def _no_sub(parent: B, name: str, fn: BenchFn, benchtime: BenchTime | None) -> bool:
    raise RuntimeError(
        f"b.run({name!r}) in a benchmark that did not call b.run when it was collected"
    )


def _measure(benchmark: Any, config: pytest.Config, fn: BenchFn, name: str, clock: _Clock) -> None:
    """Calibrate ``b.n`` as Go does toward one round of ``--benchmark-min-time``, then let
    pytest-benchmark run and record the rounds (see the module docstring)."""
    __tracebackhide__ = True
    goal_ns = max(1, int(_option(config, "benchmark_min_time", 5e-6) * 1e9))
    b = B(name, sub_runner=_no_sub, benchtime=BenchTime(goal_ns / 1e9))
    if not benchmark.enabled:  # --benchmark-disable: one call, as a smoke test
        b.benchtime = BenchTime(None, 1)
        benchmark.pedantic(b.run_n, args=(fn, 1))
        outcome(b)
        return
    max_ns = _option(config, "benchmark_max_time", 1.0) * 1e9
    min_rounds = int(_option(config, "benchmark_min_rounds", 5))

    def call(n: int) -> int:
        __tracebackhide__ = True
        start = time.perf_counter_ns()
        b.run_n(fn, n)
        wall = time.perf_counter_ns() - start
        outcome(b)
        return wall

    wall = call(1)  # Go's run1; with b.loop(), the loop calibrates itself here
    n = 1
    if b.used_loop:
        n = b.n
        b.benchtime = BenchTime(None, n)  # each round: the loop runs exactly n times
    if not b.used_loop:
        for n in grow_n(b, goal_ns):  # the last n is the calibrated one
            wall = call(n)
    wall = min(wall, call(n))  # a second look at a round's wall time: the first may meet a GC
    rounds = max(min_rounds, math.ceil(max_ns / max(wall, 1)))
    warmup = 0
    if config.getoption("benchmark_warmup", False):
        iterations = int(_option(config, "benchmark_warmup_iterations", 100_000))
        warmup = min(rounds, max(1, iterations // n))
    clock.n = n
    target = _Rounds(b, fn, n, clock)
    benchmark.pedantic(target, rounds=rounds, warmup_rounds=warmup)
    extra: dict[str, object] = {"n": n}
    if b.bytes:
        extra["bytes"] = b.bytes
    measured = target.metrics[-rounds:]
    if any(measured):
        extra["metrics"] = measured
    if extra:
        benchmark.extra_info["rxp"] = extra


def run_leaf(top: str, fn: BenchFn, leaf: str, measure: Callable[[BenchFn], None]) -> None:
    """Call the top-level benchmark ``top`` and the ``b.run`` calls that lead to ``leaf``
    (each with ``b.n = 1``), and ``measure`` the leaf's function where it is met. Branches
    off the way are not run. The first failure (or skip) below is raised once ``top``
    returns, as a failed sub-benchmark makes ``b.run`` return False in Go, not unwind its
    parent; then what ``top`` itself did (``outcome``)."""
    __tracebackhide__ = True
    if leaf == top:
        measure(fn)
        return
    walk = _Walk()
    failure: list[BaseException] = []
    reached = False

    def sub(parent: B, sub_name: str, sub_fn: BenchFn, _: BenchTime | None) -> bool:
        nonlocal reached
        full = walk.sub_name(parent, sub_name)
        if failure or not (full == leaf or leaf.startswith(full + "/")):
            return True
        try:
            if full == leaf:
                reached = True
                measure(sub_fn)
            else:
                between = walk.new_b(full, parent.level + 1, sub)
                between.run_n(sub_fn, 1)
                outcome(between)
        except (Exception, pytest.skip.Exception, pytest.fail.Exception) as exc:
            failure.append(exc)
            return False
        return True

    parent = walk.new_b(top, 0, sub)
    parent.run_n(fn, 1)
    if failure:
        raise failure[0]
    outcome(parent)
    if not reached:
        raise LookupError(f"{leaf}: not run by its parent any more (collected, then gone)")


class BenchFileCollector(pytest.File):
    """A ``bench_*.py`` file: one item per benchmark leaf, named as ``rxp bench`` names it."""

    def collect(self) -> Iterator[pytest.Item]:
        bench_file = load(self.path)
        for bench in bench_file.benchmarks:
            for leaf in leaves(bench.name, bench.fn):
                yield _item(self, bench.name, bench.fn, leaf)


def _item(parent: BenchFileCollector, top: str, fn: BenchFn, leaf: str) -> pytest.Item:
    clock = _Clock()

    def rxp_benchmark(benchmark: Any, request: pytest.FixtureRequest) -> None:
        __tracebackhide__ = True

        def measure(leaf_fn: BenchFn) -> None:
            __tracebackhide__ = True
            _measure(benchmark, request.config, leaf_fn, leaf, clock)

        run_leaf(top, fn, leaf, measure)

    item = pytest.Function.from_parent(parent, name=leaf, callobj=rxp_benchmark)
    item.add_marker(pytest.mark.benchmark(timer=clock))
    return item
