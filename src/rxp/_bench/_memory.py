"""``--benchmem``: how many blocks and bytes one operation allocates, never a net change.

Go reports ``runtime.MemStats.Mallocs`` and ``TotalAlloc`` deltas: cumulative counts of
allocations and allocated bytes, which only grow. CPython has no such counter: both
``sys.getallocatedblocks()`` (pymalloc's blocks in use) and ``tracemalloc``'s traced
memory are *net* figures, which fall when the operation frees memory (so the old net
allocs/op could be negative). This meter makes them cumulative by sampling them before
every bytecode instruction of the operation (a ``sys.settrace`` hook with
``f_trace_opcodes``) and adding up only the increases:

- **allocs/op**: the sum, over the instructions, of the increase in allocated blocks across
  each instruction; an instruction that allocated memory outside pymalloc (a block over
  512 bytes, which ``getallocatedblocks`` does not see) but no small block counts one;
- **B/op**: the sum of the increases of the memory traced by ``tracemalloc``.

Both are lower bounds of Go's figures (memory allocated and freed within one instruction,
inside one C call, is not seen), never negative (a sum of non-negative terms), and grow
with every object an operation creates, whether it keeps it or not. The frame object that
tracing itself makes for each Python call is subtracted at the call; the samples' own
integers are allocated after one reading and before the next, so they cancel.
"""

from __future__ import annotations

import os
import sys
import tracemalloc
from types import FrameType
from typing import Any

__all__ = ["MemoryMeter"]

_GENERATOR_FLAGS = 0x20 | 0x80 | 0x200  # CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR
_BIG = 1 << 40
_HERE = os.path.dirname(os.path.realpath(__file__))
_HARNESS_FILES = frozenset(
    os.path.join(folder, name)
    for folder in (_HERE, os.path.dirname(os.path.abspath(__file__)))
    for name in ("_b.py", "_memory.py", "_parallel.py", "_log.py")
)


class MemoryMeter:
    """Counts while ``start()``...``stop()`` brackets timed code; ``allocs`` and
    ``bytes`` are the totals over every bracket since the last ``reset``. ``install`` and
    ``uninstall`` wrap the whole untimed probe call (tracemalloc and the trace hook)."""

    def __init__(self) -> None:
        # [blocks at last sample, traced bytes at last sample, allocs, bytes, counting];
        # the samples start as large ints so that replacing one frees what it allocates
        # (a small int is a shared constant, and replacing it would leave one block more).
        self._st: list[Any] = [_BIG + 1, _BIG + 2, 0, 0, False]
        self._old_trace: Any = None
        self._started_tracemalloc = False

    @property
    def allocs(self) -> int:
        return int(self._st[2])

    @property
    def bytes(self) -> int:
        return int(self._st[3])

    def install(self) -> None:
        if not tracemalloc.is_tracing():
            tracemalloc.start()
            self._started_tracemalloc = True
        self._old_trace = sys.gettrace()
        sys.settrace(self._make_tracer())

    def uninstall(self) -> None:
        sys.settrace(self._old_trace)
        if self._started_tracemalloc:
            tracemalloc.stop()
            self._started_tracemalloc = False

    def _make_tracer(self) -> Any:
        st = self._st
        blocks = sys.getallocatedblocks
        traced = tracemalloc.get_traced_memory

        def tracer(frame: FrameType, event: str, arg: object) -> Any:
            code = frame.f_code
            own = code.co_filename in _HARNESS_FILES  # traced by its caller's samples
            if not st[4]:
                return None if own else tracer
            d = blocks() - st[0]
            t = traced()[0] - st[1]
            if event == "call":
                frame.f_trace_opcodes = True
                if not code.co_flags & _GENERATOR_FLAGS or frame.f_lasti < 0:
                    d -= 1  # the frame object tracing made for this call
                    t -= sys.getsizeof(frame)
            # the accounting of ``stop``, inlined: this runs before every instruction of
            # the operation, and a call here would cost a frame each time
            if d > 0:
                st[2] += d
            elif t > 0:
                st[2] += 1
            if t > 0:
                st[3] += t
            del d, t
            st[1] = traced()[0]
            st[0] = blocks()
            return None if own else tracer

        return tracer

    def start(self) -> None:
        st = self._st
        st[1] = tracemalloc.get_traced_memory()[0]
        st[0] = sys.getallocatedblocks()
        st[4] = True

    def stop(self) -> None:
        st = self._st
        if not st[4]:
            return
        d = sys.getallocatedblocks() - st[0]
        t = tracemalloc.get_traced_memory()[0] - st[1]
        if d > 0:
            st[2] += d
        elif t > 0:
            st[2] += 1
        if t > 0:
            st[3] += t
        st[4] = False

    def reset(self, running: bool) -> None:
        self._st[2] = 0
        self._st[3] = 0
        if running:
            self.start()
