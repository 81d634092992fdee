"""Selecting matching lines with Hyperscan: one SIMD scan of a whole block, in linear time,
with the GIL released (so threads scan blocks in parallel).

The pattern comes from ``rxp._analysis._pcre`` (per-line semantics, no ``\\n`` in any
match), so a match over the block never joins two lines. Compiled as ``(?:P)[^\\n]*$``
with MULTILINE, every match ends at the end of its line, and Hyperscan reports each end
offset once: one report per matching line, in order. Several patterns (grep's ``-e``,
``-f``) are compiled as one database of one expression each, which Hyperscan compiles
several times faster than their alternation (a line any of them matches may then be
reported once per pattern). Hyperscan refuses ``$`` inside a pattern ("embedded end
anchors"); such a pattern is selected by RE2 (see ``compile_selector``), as is one too
large for Hyperscan to compile quickly. Nothing here decides *whether* a pattern may use a
linear-time engine; ``_plan`` does, from the AST.
"""

from __future__ import annotations

import threading
from typing import Any, Final, Protocol

from .._analysis._budget import compile_re2

__all__ = ["HYPERSCAN_POSITIONS", "LineSelector", "Selector", "compile_re2", "compile_selector"]

HYPERSCAN_POSITIONS: Final = 1000
"""The largest automaton (``rxp._analysis._pcre.positions``) compiled for Hyperscan. Its
compile time grows faster than the pattern: a 1,000-character literal takes ~0.1 s, 5,000
~1.2 s, 10,000 ~7 s, and ``(?:a{100}){100}`` ~10 s, while RE2 compiles any of them in
milliseconds; a larger pattern is selected by RE2 (slower per match, and long patterns
rarely match often)."""


class LineSelector(Protocol):
    """Finds the matching lines of a block in linear time."""

    engine: str  # "hyperscan" or "re2", for --explain-plan
    text: bytes  # the expression compiled

    def line_ends(self, buf: bytes, end: int) -> list[int]: ...


class Selector:
    """A compiled Hyperscan database that finds the matching lines of a block."""

    engine = "hyperscan"

    def __init__(self, database: Any, module: Any, text: bytes, several: bool = False) -> None:
        self._db = database
        self._hs = module
        self.text = text  # the expression compiled, for --explain-plan
        self._several = several  # one expression per pattern: a line may come more than once
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
        # An input's last line without "\n" gets one: Hyperscan 5.4 can miss a match that ends
        # the data (``\x20[ab][^\n]*$`` finds nothing in "\n\n\naaaaaba_b\naa a", and finds
        # the line once the "\n" is there). A copy of the last block of an input only.
        if end >= len(buf):
            self._db.scan(buf + b"\n", match_event_handler=on_match, scratch=self._scratch())
        else:
            with memoryview(buf) as view:
                self._db.scan(
                    view[: end + 1], match_event_handler=on_match, scratch=self._scratch()
                )
        if self._several:
            ends = sorted(set(ends))
        if ends and ends[-1] > end:
            ends.pop()
        return ends


class _Re2Selector:
    """The same answer from RE2, one ``search`` per matching line, for a pattern Hyperscan
    cannot take in the ``(?:P)[^\\n]*$`` form (one with a ``$`` inside): RE2 is linear
    time too, and reads ``$`` (MULTILINE) as the end of any line."""

    engine = "re2"

    def __init__(self, compiled: Any, text: bytes) -> None:
        self._search = compiled.search
        self.text = text

    def line_ends(self, buf: bytes, end: int) -> list[int]:
        """As ``Selector.line_ends``."""
        lines: list[int] = []
        search, find = self._search, buf.find
        pos = 0
        while pos <= end:
            found = search(buf, pos, end)
            if found is None:
                break
            e = find(b"\n", found.start(), end)
            e = end if e < 0 else e
            lines.append(e)
            pos = e + 1
        return lines


def _compile(module: Any, *expressions: bytes) -> Any:
    database = module.Database(mode=module.HS_MODE_BLOCK)
    flags = module.HS_FLAG_MULTILINE | module.HS_FLAG_ALLOWEMPTY
    count = len(expressions)
    database.compile(
        expressions=list(expressions), ids=list(range(count)), elements=count, flags=[flags] * count
    )
    return database


def _re2_selector(expression: bytes) -> _Re2Selector | None:
    text = b"(?m)" + expression
    compiled = compile_re2(text)
    return _Re2Selector(compiled, text) if compiled is not None else None


def compile_selector(
    expression: bytes, parts: tuple[bytes, ...] = (), positions: int = 0
) -> LineSelector | None:
    """A selector for ``expression`` (from ``rxp._analysis._pcre``, an automaton of
    ``positions``), or None when neither Hyperscan nor RE2 is installed or takes the
    expression. ``parts``, when given, are the alternatives ``expression`` is made of
    (several patterns), for Hyperscan to compile one by one. Beyond
    ``HYPERSCAN_POSITIONS``, RE2 selects.

    Hyperscan takes ``(?:P)[^\\n]*$``. It refuses a ``$`` inside a pattern, and P alone
    is no way out: Hyperscan 5.4 misses matches of a set before a final ``$`` in MULTILINE
    mode (``[ab]$`` finds nothing in ``x\\nx\\nx\\nx\\naaaaaaaaaaaa\\n``; 501 of 2,000 random
    blocks wrong across seven such patterns, SOM_LEFTMOST does not cure it), so RE2 selects
    for such a pattern instead."""
    if positions > HYPERSCAN_POSITIONS:
        return _re2_selector(expression)
    try:
        import hyperscan
    except ImportError:
        return _re2_selector(expression)
    if parts:
        tails = [b"(?:" + part + b")[^\\n]*$" for part in parts]
        try:
            return Selector(_compile(hyperscan, *tails), hyperscan, b"\n".join(tails), True)
        except hyperscan.error:
            pass
    tailed = b"(?:" + expression + b")[^\\n]*$"
    try:
        return Selector(_compile(hyperscan, tailed), hyperscan, tailed)
    except hyperscan.error:
        return _re2_selector(expression)
