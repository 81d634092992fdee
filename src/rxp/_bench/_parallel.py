"""``b.run_parallel(body)``: Go's ``RunParallel`` with threads or processes for goroutines.

As in Go (``RunParallel`` and ``PB.Next`` in ``src/testing/benchmark.go``): ``parallelism
* b.cpu`` workers each call ``body(pb)``, and loop ``while pb.next()``; the ``b.n``
iterations are handed out from one shared counter in grains of about 100 µs of work
(``1e5 * previous_n / previous_ns``, between 1 and 1e4), so that a fast worker takes more
grains than a slow one, and the last grain is cut so that exactly ``b.n`` iterations run in
all. A body that returns while ``pb.next()`` would still say True fails the benchmark.

``backend="thread"`` (the default) runs the workers as threads: right for bodies that wait
(I/O, sleeps, C code that releases the GIL). ``backend="process"`` runs them as processes,
for CPU-bound Python bodies the GIL would serialise; the counter is then shared memory, the
body must be picklable (a function defined at the top level of the benchmark file), and
what it changes stays in its process.
"""

from __future__ import annotations

import multiprocessing
import pickle
import threading
import traceback
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["PB", "grain_size", "run_parallel"]

BACKENDS = ("thread", "process")


class _Counter(Protocol):
    def add(self, n: int) -> int: ...


class _ThreadCounter:
    def __init__(self) -> None:
        self._value = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> int:
        with self._lock:
            self._value += n
            return self._value

    @property
    def value(self) -> int:
        return self._value


class _SharedCounter:
    """A counter in shared memory, for worker processes."""

    def __init__(self, shared: Any) -> None:
        self._shared = shared

    def add(self, n: int) -> int:
        with self._shared.get_lock():
            self._shared.value += n
            return int(self._shared.value)

    @property
    def value(self) -> int:
        return int(self._shared.value)


class PB:
    """What a ``run_parallel`` body receives: ``next()`` says whether to do one more
    iteration (Go's ``testing.PB``)."""

    def __init__(self, counter: _Counter, grain: int, total: int) -> None:
        self._counter = counter
        self._grain = grain
        self._total = total
        self._cache = 0

    def next(self) -> bool:
        """True while iterations remain: take the next one from this worker's grain, or a
        new grain from the shared counter."""
        if self._cache == 0:
            n = self._counter.add(self._grain)
            if n <= self._total:
                self._cache = self._grain
            elif n < self._total + self._grain:
                self._cache = self._total + self._grain - n
            else:
                return False
        self._cache -= 1
        return True


def grain_size(previous_n: int, previous_ns: int) -> int:
    """Go's grain: the iterations of about 100 µs by the previous run, in [1, 1e4]."""
    grain = 0
    if previous_n > 0 and previous_ns > 0:
        grain = 100_000 * previous_n // previous_ns
    return min(max(grain, 1), 10_000)


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"run_parallel: unknown backend {backend!r}; use 'thread' or 'process'")


def run_parallel(
    body: Callable[[PB], object], *, workers: int, grain: int, total: int, backend: str
) -> int:
    """Run ``body`` in ``workers`` workers sharing ``total`` iterations; return the final
    value of the shared counter (above ``total`` when every worker saw the end)."""
    _check_backend(backend)
    if backend == "process":
        return _run_processes(body, workers, grain, total)
    counter = _ThreadCounter()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            body(PB(counter, grain, total))
        except BaseException as exc:  # handed to the benchmark's thread, raised there
            errors.append(exc)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return counter.value


def run_inline(body: Callable[[PB], object], total: int) -> int:
    """One worker in the calling thread: what ``--benchmem``'s probe runs, so that its
    meter sees the body's allocations."""
    counter = _ThreadCounter()
    body(PB(counter, 1, total))
    return counter.value


class ParallelBodyError(Exception):
    """A worker process's body raised; the message carries its traceback."""


def _process_worker(body: Callable[[PB], object], shared: Any, grain: int, total: int,
                    results: Any) -> None:  # fmt: skip
    try:
        body(PB(_SharedCounter(shared), grain, total))
    except BaseException as exc:  # sent to the parent, which fails the benchmark
        results.put("".join(traceback.format_exception(exc)))
    else:
        results.put(None)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _collect(procs: list[Any], results: Any) -> list[str]:
    """Each worker's outcome (None, or its traceback), also for one that died without a
    word (``os._exit``, a signal), which would otherwise leave the parent waiting."""
    import queue

    failures: list[str] = []
    pending = len(procs)
    while pending:
        try:
            outcome = results.get(timeout=0.05)
        except queue.Empty:
            if all(not proc.is_alive() for proc in procs) and results.empty():
                codes = [proc.exitcode for proc in procs if proc.exitcode]
                status = codes[0] if codes else "?"
                failures.append(f"a worker process exited with status {status}\n")
                break
            continue
        pending -= 1
        if outcome is not None:
            failures.append(outcome)
    for proc in procs:
        proc.join()
    return failures


def _run_processes(body: Callable[[PB], object], workers: int, grain: int, total: int) -> int:
    try:
        pickle.dumps(body)
    except Exception as exc:
        raise TypeError(
            "run_parallel(backend='process') needs a picklable body, such as a function "
            f"defined at the top level of the benchmark file, not {body!r} ({exc})"
        ) from None
    ctx = _context()
    shared = ctx.Value("Q", 0)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_process_worker, args=(body, shared, grain, total, results))
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    failures = _collect(procs, results)
    if failures:
        raise ParallelBodyError("a run_parallel worker process failed:\n" + failures[0])
    return int(shared.value)
