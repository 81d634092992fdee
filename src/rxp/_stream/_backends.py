"""Backends: how the same chunk work is scheduled. They differ in nothing else.

Every backend takes an ordered stream of items (chunk jobs, and markers that only need to
keep their place, such as "file begins") and yields the results in the same order, with at
most a small window of jobs in flight, so memory stays bounded whatever the input size.

- ``sync``: in the calling thread (the ``re`` engine, budget by SIGALRM when that thread
  is the main thread, else the ``regex`` engine).
- ``thread``: a thread pool running the ``regex`` engine, which releases the GIL.
- ``asyncio``: an event loop dispatching to a thread pool (the ``regex`` engine).
- ``process``: a pool of forked processes, each running the ``re`` engine in its main
  thread (budget by SIGALRM), reading its own byte ranges with ``pread``.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Literal, NamedTuple, NoReturn, TypeAlias, TypeVar

from .._analysis._budget import alarm_usable
from ._hits import as_bytes, numbered_text
from ._matcher import Engine, Matcher, MatcherSpec, compile_matcher
from ._scan import ChunkOut, ScanOptions, scan_chunk
from ._source import CHUNK, Range, ranges, read_range

if TYPE_CHECKING:
    import concurrent.futures
    import multiprocessing.context
    import multiprocessing.pool

    from ._process_pool import Turn

# asyncio, concurrent.futures and multiprocessing are imported where used: a plain
# `rxp stream` over stdin or a small file should not pay for them at start-up.

__all__ = ["BACKENDS", "Backend", "Direct", "Job", "choose_backend", "run_jobs", "run_one"]

Backend: TypeAlias = Literal["sync", "thread", "asyncio", "process"]
BACKENDS: tuple[Backend, ...] = ("sync", "thread", "asyncio", "process")
Job: TypeAlias = Range | tuple[int, bytes]
M = TypeVar("M")

_BIG_FILE = 32 << 20


class Direct(NamedTuple):
    """Where process workers may write rendered lines themselves: stdout's descriptor;
    how the parent empties what it has buffered for that descriptor; and how a worker's
    failed write (errno, reason) is reported: it raises what a failed write of the
    parent's own would."""

    fd: int
    flush: Callable[[], object]
    failed: Callable[[int | None, str], NoReturn]


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def idle_cores() -> float:
    """Cores not already busy: the core count minus the 1-minute load average."""
    cores = cpu_count()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    return cores - load


def choose_backend(sizes: Iterable[int | None], workers: int | None) -> tuple[Backend, int]:
    """The default: processes when there is at least one large regular file (``None``
    stands for a stream) and more than one core to run them on, the calling thread
    otherwise. Without ``workers``, as many processes as idle cores, plus one (a
    process per busy core only adds scheduling cost), at most the core count and 8."""
    cores = cpu_count()
    if workers is None:
        workers = max(1, min(cores, 8, int(idle_cores() + 1.5)))
    total = sum(s for s in sizes if s is not None)
    if workers > 1 and cores > 1 and total >= _BIG_FILE:
        return "process", workers
    return "sync", 1


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def run_one(spec: MatcherSpec, options: ScanOptions, job: Job, engine: Engine) -> ChunkOut:
    """Read (when ``job`` is a range) and scan one chunk. A range larger than a block
    (``-c``/``-q`` hand each worker a large share of the file, to keep inter-process
    traffic negligible) is read and scanned block by block, and the results merged."""
    matcher = compile_matcher(spec, engine)
    alarm = engine == "re" and alarm_usable()
    if isinstance(job, Range) and job.end - job.start > CHUNK:
        return _run_large(matcher, options, job, alarm)
    base, data = read_range(job) if isinstance(job, Range) else job
    return scan_chunk(matcher, options, data, base, alarm=alarm)


def _run_large(matcher: Matcher, options: ScanOptions, job: Range, alarm: bool) -> ChunkOut:
    total: ChunkOut | None = None
    cap = options.max_count
    first, size, sep = job.start, job.size, job.sep
    parts = ranges(
        job.path, job.end, CHUNK, first=first, size=size, sep=sep, fd=job.fd, owner=job.owner
    )
    for part in parts:
        base, data = read_range(part)
        out = scan_chunk(matcher, options, data, base, alarm=alarm)
        if total is None:
            total = out
            if cap is not None and total.selected >= cap:
                break
            continue
        lines_before = total.newlines or 0
        total.size += out.size
        total.unterminated = out.unterminated
        total.selected += out.selected
        if options.max_count is not None:
            total.selected = min(total.selected, options.max_count)
        total.timeouts += [(r + lines_before if r >= 0 else r, o) for r, o in out.timeouts]
        total.lines += [line._replace(row=line.row + lines_before) for line in out.lines]
        if total.rows is not None and out.rows is not None:
            total.rows += [row + lines_before for row in out.rows]
        if total.newlines is not None and out.newlines is not None:
            total.newlines += out.newlines
        if total.text is not None and out.text is not None:
            total.text = as_bytes(total.text) + as_bytes(out.text)
        if options.max_count is not None and total.selected >= options.max_count:
            break
    assert total is not None
    return total


def _process_job(args: tuple[MatcherSpec, ScanOptions, Job, int, int | None]) -> ChunkOut:
    """One job in a worker. Under ``options.numbered`` (plain ``-n`` output) the worker
    also puts the line numbers on its lines: ``_Chain`` tells it how many lines the jobs
    before it in its input held. With ``fd`` (stdout, for output printed as the worker
    renders it), the worker then writes its lines there itself when its job is the next
    to be written (``Turn``), so the parent neither receives nor writes those bytes."""
    spec, options, job, seq, fd = args
    try:
        out = run_one(spec, options, job, "re")
    except BaseException:
        if options.numbered:
            _CHAIN.abort()
        raise
    if options.numbered:
        first = (job.start if isinstance(job, Range) else job[0]) == 0
        base = _CHAIN.base_of(seq, first, out.newlines or 0)
        if base is not None and out.text is not None and out.rows is not None:
            out.text = numbered_text(out.text, out.rows, base + 1, options.eol)
            out.rows = None
            out.numbered = True
    if out.text is not None:
        out.text = as_bytes(out.text)  # a Cut holds its whole block: only its lines leave
    if fd is not None and out.text is not None and (out.numbered or not options.numbered):
        written, out.failed = _TURN.write_if_next(seq, fd, out.text, _TURN_WAIT)
        if written:
            out.text = b""
    return out


class _Chain:
    """The number of lines before each job of the process pool, passed from job to job in
    input order: a worker waits for the job before its own to say where it ended (a few
    microseconds after that job was scanned: long before its own scan is done), then says
    where its own ends. Jobs are taken from the pool's queue in order, so the job waited
    for is always running; a job that fails breaks the chain (-1), and the jobs after it
    then leave their numbering to the parent, as without the chain."""

    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self.seq = context.RawValue("q", 0)  # the job whose turn it is, or -1
        self.lines = context.RawValue("q", 0)  # lines before that job in its input
        self.changed = context.Condition()

    def base_of(self, seq: int, first: bool, newlines: int) -> int | None:
        """Lines before job ``seq`` (none when it is the ``first`` of its input), whose
        own ``newlines`` are then passed on; None once the chain is broken."""
        turn, lines = self.seq, self.lines
        with self.changed:
            self.changed.wait_for(lambda: turn.value in (seq, -1))
            if turn.value == -1:
                return None
            base = 0 if first else lines.value
            lines.value = base + newlines
            turn.value = seq + 1
            self.changed.notify_all()
        return base

    def abort(self) -> None:
        with self.changed:
            self.seq.value = -1
            self.changed.notify_all()


# How long a worker waits for its job's turn to write before it hands its lines to the
# parent: the job before it is usually a few milliseconds from done, and the parent's copy
# takes time from the second core (printing -n over 1 GiB in 1 MiB jobs: 1.6 s with this
# wait, 1.8 s without; in the 4 MiB jobs used now, no difference measured either way).
_TURN_WAIT = 0.05
_CHAIN: _Chain  # a worker's, from _process_init
_TURN: Turn  # a worker's, from _process_init


def _process_init(parent: int, chain: _Chain, turn: Turn) -> None:
    from ._process_pool import settle_worker

    settle_worker(parent)
    global _CHAIN, _TURN
    _CHAIN = chain
    _TURN = turn


def _ordered(
    items: Iterable[Job | M],
    submit: Callable[[Job], Callable[[], ChunkOut]],
    window: int,
) -> Iterator[ChunkOut | M]:
    """Submit jobs keeping at most ``window`` in flight; yield results (and markers) in
    the order of ``items``."""
    pending: deque[tuple[bool, object]] = deque()
    flying = 0
    source = iter(items)
    exhausted = False
    while True:
        while not exhausted and flying < window:
            try:
                item = next(source)
            except StopIteration:
                exhausted = True
                break
            if isinstance(item, Range | tuple):
                pending.append((True, submit(item)))
                flying += 1
            else:
                pending.append((False, item))
        if not pending:
            return
        is_job, value = pending.popleft()
        if is_job:
            flying -= 1
            wait: Callable[[], ChunkOut] = value  # type: ignore[assignment]
            yield wait()
        else:
            yield value  # type: ignore[misc]


def run_jobs(
    spec: MatcherSpec,
    options: ScanOptions,
    items: Iterable[Job | M],
    backend: Backend,
    workers: int,
    direct: Direct | None = None,
) -> Iterator[ChunkOut | M]:
    """Scan every job of ``items`` with ``backend``; results and markers in input order.
    Closing the iterator early (``-m``, ``-q``, a closed pipe) stops the workers.
    ``direct``: the process workers write the rendered text of each result (``text``)
    to this descriptor themselves, in order; the consumer writes what reaches it
    (a result finished before its turn) with its own writer, which ``direct.flush``
    empties."""
    workers = max(1, workers)
    window = 2 * workers + 1
    if backend == "sync":
        engine: Engine = "re" if _in_main_thread() else "regex"
        for item in items:
            if isinstance(item, Range | tuple):
                yield run_one(spec, options, item, engine)
            else:
                yield item
        return
    if backend in ("thread", "asyncio"):
        # compiled here, in the main thread, once for every worker (the lru_cache is
        # shared): a deep pattern needs more recursion than with_room can safely lend a
        # thread while others run
        compile_matcher(spec, "regex")
    if backend == "thread":
        pool = _daemon_pool(workers, "rxp-scan")

        def submit_thread(job: Job) -> Callable[[], ChunkOut]:
            return pool.submit(run_one, spec, options, job, "regex").result

        finished = False
        try:
            yield from _ordered(items, submit_thread, window)
            finished = True
        finally:
            pool.shutdown(wait=finished, cancel_futures=True)
        return
    if backend == "asyncio":
        yield from _run_asyncio(spec, options, items, workers, window)
        return
    if backend == "process":
        yield from _run_processes(spec, options, items, workers, window, direct)
        return
    raise ValueError(f"unknown backend {backend!r}")


def _run_asyncio(
    spec: MatcherSpec,
    options: ScanOptions,
    items: Iterable[Job | M],
    workers: int,
    window: int,
) -> Iterator[ChunkOut | M]:
    import asyncio

    loop = asyncio.new_event_loop()
    pool = _daemon_pool(workers, "rxp-async")
    finished = False
    try:

        def submit_async(job: Job) -> Callable[[], ChunkOut]:
            future: asyncio.Future[ChunkOut] = loop.run_in_executor(
                pool, run_one, spec, options, job, "regex"
            )
            return lambda: loop.run_until_complete(future)

        yield from _ordered(items, submit_async, window)
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)
        loop.close()


def _daemon_pool(workers: int, name: str) -> concurrent.futures.Executor:
    """A pool of daemon threads (see ``_pool.DaemonPool``), imported on first use."""
    from ._pool import DaemonPool

    return DaemonPool(workers, name)


def _new_pool(workers: int) -> tuple[multiprocessing.pool.Pool, Turn]:
    """The worker pool, forked with SIGINT blocked. A Ctrl-C that reached a worker between
    its fork and ``_process_init`` would find the parent's KeyboardInterrupt handler there
    and end it with a traceback on stderr (and a dead worker leaves the pool writing to a
    pipe no one reads: see ``_process_pool.kill``). Blocked, the signal waits: a worker
    discards it once it ignores SIGINT, and the parent takes it as KeyboardInterrupt once
    the pool exists, then stops the pool. With the pool, the ``Turn`` its workers share."""
    masking = hasattr(signal, "pthread_sigmask")
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if masking else None
    try:
        from ._process_pool import QuietPool, Turn, context

        ctx = context()
        turn = Turn(ctx)
        pool = QuietPool(workers, _process_init, (os.getpid(), _Chain(ctx), turn), context=ctx)
        return pool, turn
    finally:
        if before is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _run_processes(
    spec: MatcherSpec,
    options: ScanOptions,
    items: Iterable[Job | M],
    workers: int,
    window: int,
    direct: Direct | None,
) -> Iterator[ChunkOut | M]:
    pool, turn = _new_pool(workers)
    finished = False
    submitted = 0
    fd = None
    if direct is not None:
        direct.flush()  # what the parent holds goes before the workers' lines
        fd = direct.fd
    try:

        def submit_process(job: Job) -> Callable[[], ChunkOut]:
            # a range is read by the worker itself; a stream block travels to it
            nonlocal submitted
            result = pool.apply_async(_process_job, ((spec, options, job, submitted, fd),))
            submitted += 1
            return result.get

        if direct is None:
            yield from _ordered(items, submit_process, window)
        else:
            seq = 0
            for item in _ordered(items, submit_process, window):
                yield item
                if isinstance(item, ChunkOut):
                    # written by the consumer (unless its worker wrote it): on the
                    # descriptor before the next job's worker may write
                    direct.flush()
                    turn.passed(seq)
                    seq += 1
        finished = True
    finally:
        if finished:
            pool.close()
            pool.join()
        else:
            from ._process_pool import kill

            kill(pool)
