"""Selecting matching lines with Hyperscan: one SIMD scan of a whole block, in linear time,
with the GIL released (so threads scan blocks in parallel).

The pattern comes from ``_pcre`` (per-line semantics, no ``\\n`` in any match), so a
match over the block never joins two lines. Compiled as ``(?:P)[^\\n]*$`` with MULTILINE,
every match ends at the end of its line, and Hyperscan reports each end offset once: one
report per matching line, in order. Hyperscan refuses ``$`` inside a pattern ("embedded
end anchors"), so a pattern that has one is compiled as ``P`` alone and its reports (one per
match end) are mapped to their lines. Nothing here decides *whether* a pattern may use
Hyperscan; ``_matcher`` does, from the AST.
"""

from __future__ import annotations

import threading
from typing import Any

__all__ = ["Selector", "compile_selector"]


class Selector:
    """A compiled Hyperscan database that finds the matching lines of a block."""

    def __init__(self, database: Any, module: Any, tail: bool, text: bytes) -> None:
        self._db = database
        self._hs = module
        self._tail = tail
        self.text = text  # the expression compiled, for --explain-plan
        self._local = threading.local()

    def _scratch(self) -> Any:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._hs.Scratch(self._db)
        return scratch

    def line_ends(self, buf: bytes, end: int) -> list[int]:
        """The end (index of the ``\\n``, or ``end``) of every line of ``buf[:end]`` that
        the pattern matches, ascending and without repeats."""
        ends: list[int] = []
        add = ends.append

        def on_match(_id: int, _start: int, stop: int, _flags: int, _ctx: object) -> None:
            add(stop)

        # The line ending at ``end`` keeps its "\n": a "^" matches after an internal "\n" only,
        # and the last line of a block may be empty. A match ending after it is no line's.
        with memoryview(buf) as view:
            self._db.scan(view[: end + 1], match_event_handler=on_match, scratch=self._scratch())
        if ends and ends[-1] > end:
            ends.pop()
        if self._tail:
            return ends
        lines: list[int] = []
        find = buf.find
        last = -1
        for stop in ends:
            if stop <= last:
                continue
            e = find(b"\n", stop, end)
            last = end if e < 0 else e
            lines.append(last)
        return lines


def _compile(module: Any, expression: bytes) -> Any:
    database = module.Database(mode=module.HS_MODE_BLOCK)
    flags = module.HS_FLAG_MULTILINE | module.HS_FLAG_ALLOWEMPTY
    database.compile(expressions=[expression], ids=[0], elements=1, flags=[flags])
    return database


def compile_selector(expression: bytes) -> Selector | None:
    """A selector for ``expression`` (from ``_pcre``), or None when Hyperscan is not
    installed or does not take the expression (too large, a construct it lacks)."""
    try:
        import hyperscan
    except ImportError:
        return None
    tailed = b"(?:" + expression + b")[^\\n]*$"
    for text, tail in ((tailed, True), (expression, False)):
        try:
            return Selector(_compile(hyperscan, text), hyperscan, tail, text)
        except hyperscan.error:
            continue
    return None
