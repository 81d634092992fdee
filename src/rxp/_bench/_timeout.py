"""``--timeout``: Go's ``-timeout`` duration and the report of a run that outlived it.

Go's alarm (``startAlarm`` in ``src/testing/testing.go``) panics with ``test timed out
after 5s``, lists what is running (Go 1.20+: ``running tests:`` and ``\\tName (5s)``), and
the runtime dumps every goroutine's stack; the test binary exits with status 2. Here the
goroutines are the Python threads, each shown as ``faulthandler`` would, innermost call
last (as a traceback reads).
"""

from __future__ import annotations

import sys
import threading
import traceback
from types import FrameType

from .._errors import RxpError
from ._b import parse_benchtime

__all__ = ["format_duration", "parse_timeout", "timeout_report"]


def parse_timeout(text: str) -> float:
    """``--timeout``'s seconds: a Go duration (``10m``, ``90s``, ``1h30m``); ``0`` disables
    it (returns 0.0)."""
    if text.strip() in ("0", "0s"):
        return 0.0
    try:
        parsed = parse_benchtime(text)
    except RxpError:
        parsed = None
    if parsed is None or parsed.seconds is None:
        raise RxpError(f"invalid --timeout {text!r}: expected a duration (10m, 30s) or 0")
    return parsed.seconds


def format_duration(seconds: float) -> str:
    """Go's ``time.Duration.String`` for whole and fractional seconds: ``5s``, ``1m30s``,
    ``1.5s``, ``10m0s``."""
    if seconds < 60:
        return f"{seconds:g}s"
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    head = f"{hours}h{minutes}m" if hours else f"{minutes}m"
    return f"{head}{rest:g}s"


def timeout_report(timeout: float, running: dict[str, float], now: float) -> str:
    """The panic text: the timeout, what runs (with how long), every thread's stack."""
    lines = [f"panic: test timed out after {format_duration(timeout)}\n"]
    if running:
        lines.append("running benchmarks:\n")
        for name, began in running.items():
            lines.append(f"\t{name} ({format_duration(round(now - began))})\n")
    frames: dict[int, FrameType] = sys._current_frames()
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    for ident, frame in frames.items():
        if ident == threading.get_ident():
            continue  # the alarm's own thread
        lines.append(f"\nthread {ident} [{names.get(ident, 'unknown')}]:\n")
        lines.extend(traceback.format_stack(frame))
    return "".join(lines)
