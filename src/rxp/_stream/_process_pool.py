"""The process backend's ``multiprocessing`` pool, whose workers end quietly once their
parent is gone.

``| head`` ends the parent (SIGPIPE). The kernel closes the parent's end of the result pipe
a moment before it sends the workers their death signal (``_backends._die_with_parent``);
a worker that sends a result in that moment gets EPIPE (workers ignore SIGPIPE: see
``_backends._process_init``), and multiprocessing prints ``Process ForkPoolWorker-N:`` and
a traceback on the user's terminal (seen under load, with ``-n``). Here such a send ends
the worker at once and silently: nobody is left to read its result.

Its own module, imported only by the process backend: the classes must be importable by
name (the ``spawn`` start method pickles the queues), and ``multiprocessing.pool`` stays
out of the start-up of every other command.
"""

from __future__ import annotations

import multiprocessing.context
import multiprocessing.pool
import multiprocessing.queues
import os

__all__ = ["QuietPool"]


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


class QuietPool(multiprocessing.pool.Pool):
    """``multiprocessing.pool.Pool`` with ``Results`` as its result queue. ``_setup_queues``
    is the pool's own (CPython 3.11-3.13) hook for making its queues: overridden here, it
    makes the same queues but for the result queue's class."""

    def _setup_queues(self) -> None:
        super()._setup_queues()  # type: ignore[misc]
        self._outqueue = Results(ctx=self._ctx)  # type: ignore[attr-defined]
        self._quick_get = self._outqueue._reader.recv  # type: ignore[attr-defined]
