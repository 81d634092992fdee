"""What ``b.log`` and friends record, laid out as Go's ``testing`` package lays it out.

Go's ``common.decorate`` (``src/testing/testing.go``) prefixes a message with the file name
(the last path element only) and line of the caller, indents it by four spaces and every
further line of it by eight, and drops one trailing newline; ``frameSkip`` walks past the
frames of functions that called ``t.Helper()`` and never above the benchmark function
itself. ``trimOutput`` (``benchmark.go``) cuts the log of a benchmark that passed at ten
lines. ``SkipNow``/``FailNow`` end the benchmark with ``runtime.Goexit``; here that is the
private ``BaseException`` subclass ``Goexit``, so that a user's ``except Exception`` cannot
swallow it.
"""

from __future__ import annotations

import os
import sys
from types import CodeType, FrameType

__all__ = ["Goexit", "caller_frame", "decorate", "sprint", "sprintf", "trim_output"]

_BENCH_DIR = os.path.dirname(os.path.realpath(__file__))


class Goexit(BaseException):
    """Raised by ``skip_now``/``fail_now`` to end the benchmark function at once, as
    ``runtime.Goexit`` does; the runner catches it. Not an ``Exception``, so that
    ``except Exception`` in the benchmark does not stop it."""


def sprint(args: tuple[object, ...]) -> str:
    """Go's ``fmt.Sprintln`` as ``Log`` uses it: operands separated by one space."""
    return " ".join(str(a) for a in args) + "\n"


def sprintf(fmt: str, args: tuple[object, ...]) -> str:
    """``Logf``'s formatting, with Python's ``%`` operator (``%%`` is a literal ``%``)."""
    return fmt % args


def _harness(code: CodeType) -> bool:
    return os.path.dirname(os.path.realpath(code.co_filename)) == _BENCH_DIR


def caller_frame(helpers: set[CodeType]) -> FrameType | None:
    """The frame a message is attributed to: the first frame above the harness's own
    (``b.log`` and what it calls) that is not a function marked by ``b.helper()``; as Go's
    ``frameSkip``, the walk never goes above the benchmark function (a frame whose caller
    is the harness): a helper benchmark function is named itself."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and _harness(frame.f_code):
        frame = frame.f_back
    previous = None
    while frame is not None:
        if _harness(frame.f_code):
            return previous
        if frame.f_code not in helpers:
            return frame
        previous, frame = frame, frame.f_back
    return previous


def decorate(message: str, frame: FrameType | None) -> str:
    """Go's ``decorate``: ``    file.py:12: message``, later lines indented by eight."""
    if frame is None:
        where = "???:1"
    else:
        where = f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno or 1}"
    lines = message.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return f"    {where}: " + "\n        ".join(lines) + "\n"


def trim_output(output: str) -> str:
    """Go's ``trimOutput``: at most ten lines of a passing benchmark's log, then
    ``\\t... [output truncated]``."""
    count = 0
    for index, char in enumerate(output):
        if char == "\n":
            count += 1
            if count >= 10:
                return output[:index] + "\n\t... [output truncated]\n"
    return output
