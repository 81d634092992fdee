"""The ``multiprocessing`` pools of ``rxp stream --backend process`` and ``rxp parse
--workers``: how they fork, how a worker is set up, and how a pool is stopped at once.

- ``context``: fork on Linux (the workers start with the parent's imports), the platform's
  default elsewhere.
- ``settle_worker``: the parent handles Ctrl-C and closed pipes. A worker ignores both
  signals (one killed by SIGPIPE while holding the result queue's lock would hang its
  siblings) and, on Linux, dies with its parent (``| head`` kills the parent with SIGPIPE,
  which leaves it no time to stop its pool).
- ``QuietPool``: the kernel closes a dead parent's end of the result pipe a moment before
  it sends the workers their death signal; a worker that sends a result in that moment
  gets EPIPE, and multiprocessing would print ``Process ForkPoolWorker-N:`` and a traceback
  on the user's terminal (seen under load, with ``-n``). Here that send ends the worker at
  once and silently: nobody is left to read its result.
- ``Turn``: the workers write their outputs to stdout themselves, in input order.
- ``kill``: stop at once (Ctrl-C, ``-m``/``-q`` satisfied, an error, a closed stdout).

Its own module, imported only when a pool is made: the classes must be importable by name
(the ``spawn`` start method pickles the queues), and ``multiprocessing.pool`` stays out of
every command's start-up.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.pool
import multiprocessing.queues
import os
import signal
import sys
import threading

from .._errors import os_reason

__all__ = ["QuietPool", "Turn", "context", "kill", "settle_worker"]


def context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def settle_worker(parent: int) -> None:
    """A worker's signals, first thing in its initializer (see the module's docstring).
    SIGINT is unblocked too: ``rxp stream`` forks with it blocked, so that a Ctrl-C
    between the fork and here waits, and is then ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform.startswith("linux"):
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before the death signal was armed
            os._exit(0)


class Results(multiprocessing.queues.SimpleQueue):  # type: ignore[type-arg]
    """The pool's result queue: a worker's send to a parent that is gone ends the worker."""

    def __init__(self, *, ctx: multiprocessing.context.BaseContext) -> None:
        super().__init__(ctx=ctx)
        self.owner = os.getpid()  # the parent's sends (the pool's own sentinels) still raise

    def put(self, obj: object) -> None:
        try:
            super().put(obj)
        except (BrokenPipeError, ConnectionResetError):
            if os.getpid() == self.owner:
                raise
            os._exit(0)


class Turn:
    """Which job's output is written next, shared by the parent and its workers: a job's
    worker writes its output to the shared stdout itself in its turn; one that is not
    its job's turn (soon enough) goes to the parent, which writes it after the jobs
    before it, flushes, and passes the turn on. -1 once a worker's write failed: nothing
    more is written."""

    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self.next = context.RawValue("q", 0)
        self.changed = context.Condition()

    def start(self, seq: int) -> None:
        with self.changed:
            self.next.value = seq
            self.changed.notify_all()

    def passed(self, seq: int) -> None:
        """The parent wrote job ``seq``'s output: the next one's worker may write."""
        with self.changed:
            if self.next.value == seq:
                self.next.value = seq + 1
                self.changed.notify_all()

    def write_if_next(
        self, seq: int, fd: int, data: bytes | memoryview, wait: float = 0.0
    ) -> tuple[bool, tuple[int | None, str] | None]:
        """Write ``data`` to ``fd`` if job ``seq`` is the next, or becomes it within
        ``wait`` seconds: (whether it was written, the failure: errno and reason)."""
        turn = self.next
        with self.changed:
            if wait > 0:
                self.changed.wait_for(lambda: turn.value in (seq, -1), wait)
            if turn.value != seq:
                return False, None
        failure: tuple[int | None, str] | None = None
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(fd, view) :]
        except OSError as exc:
            failure = (exc.errno, os_reason(exc))
        with self.changed:
            turn.value = -1 if failure else seq + 1
            self.changed.notify_all()
        return True, failure


class QuietPool(multiprocessing.pool.Pool):
    """``multiprocessing.pool.Pool`` with ``Results`` as its result queue. ``_setup_queues``
    is the pool's own (CPython 3.11-3.13) hook for making its queues: overridden here, it
    makes the same queues but for the result queue's class."""

    def _setup_queues(self) -> None:
        super()._setup_queues()  # type: ignore[misc]
        self._outqueue = Results(ctx=self._ctx)  # type: ignore[attr-defined]
        self._quick_get = self._outqueue._reader.recv  # type: ignore[attr-defined]


def kill(pool: multiprocessing.pool.Pool) -> None:
    """Stop ``pool`` at once. ``Pool.terminate`` would wait for the task queue's lock,
    which a worker idle in ``get()`` holds for ever once it is killed; so kill the workers
    and drop the pool's finaliser instead (its threads are daemons). First, as
    ``Pool._terminate_pool`` does, tell the worker-handler thread to stop: otherwise it sees
    the killed workers, starts new ones while the interpreter shuts down, and prints a
    traceback from its thread (seen on Python 3.12 under load)."""
    # The pool's task thread may still be writing a job to the workers about to die: with
    # SIGPIPE at its default (set for stdout, as grep) that write would kill this process
    # with no 130 and no clean-up. Ignored, it fails with EPIPE, which the pool's thread
    # catches, and a later write to a closed stdout is still the quiet 141 (cli/_output).
    if hasattr(signal, "SIGPIPE") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    handler = getattr(pool, "_worker_handler", None)
    if handler is not None:
        handler._state = multiprocessing.pool.TERMINATE
    workers = list(getattr(pool, "_pool", []))
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join(timeout=1)
    finalizer = getattr(pool, "_terminate", None)
    if finalizer is not None:
        finalizer.cancel()
