"""A thread pool that never holds up the end of the process: the ``thread`` and ``asyncio``
backends' workers.

``concurrent.futures.ThreadPoolExecutor`` joins its threads when the interpreter exits,
and a worker inside a ``regex`` call (the GIL released, in C) finishes its whole block
before it looks at anything: with lines that run into the time budget, Ctrl-C would wait
for every line of every block in flight (46 s in issue 19). Here the workers are daemon
threads: the main thread stops waiting at once, and the process ends without them. The
work they drop is a pure function of its block (``_scan.scan_chunk``), so nothing is lost
but time.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

__all__ = ["DaemonPool"]

T = TypeVar("T")

_Task = tuple["Future[Any]", Callable[..., Any], tuple[Any, ...]]


class DaemonPool(Executor):
    """``workers`` daemon threads taking tasks in order from one queue."""

    def __init__(self, workers: int, name: str) -> None:
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True)
            for i in range(max(1, workers))
        ]
        for thread in self._threads:
            thread.start()
        self._closed = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if self._closed:
            raise RuntimeError("submit after shutdown")
        future: Future[T] = Future()
        call = fn if not kwargs else (lambda *a: fn(*a, **kwargs))
        self._tasks.put((future, call, args))
        return future

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            future, fn, args = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # the caller sees it through the future
                future.set_exception(exc)
            else:
                future.set_result(result)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking tasks; ``cancel_futures`` drops those not started; ``wait`` joins
        the workers (without it, a worker still running finishes, or dies with the
        process)."""
        self._closed = True
        if cancel_futures:
            while True:
                try:
                    task = self._tasks.get_nowait()
                except queue.Empty:
                    break
                if task is not None:
                    task[0].cancel()
        for _ in self._threads:
            self._tasks.put(None)
        if wait:
            for thread in self._threads:
                thread.join()
