"""The scanning core: one newline-aligned block of bytes in, the lines a printer needs out.

``scan_chunk`` is a pure function of (matcher, options, bytes, offset): every backend calls
it on the same blocks, so their outputs are identical. A block holds whole lines only (the
last one may lack its ``\\n`` at the end of the input); lines never include the ``\\n``.

Time budget: the fast path runs the whole block under one budget; when it runs out, the
block is redone line by line, each line under its own budget, and the lines that still run
out are reported in ``ChunkOut.timeouts`` and skipped (neither selected nor counted). With
the ``re`` engine the budget is a SIGALRM interval timer (``re`` checks for signals while it
matches; ``rxp._analysis._budget.Alarm``, shared with ``rxp test`` and ``rxp parse``), so
that only works in a process's main thread; the ``regex`` engine takes a ``timeout=`` on
every call and works anywhere.
"""

from __future__ import annotations

import contextlib
from collections import deque
from contextlib import nullcontext
from typing import NamedTuple

from .._analysis._budget import Alarm, Expired, budget_of
from ._hits import (
    Cut,
    Hit,
    as_bytes,
    block_count,
    block_hits,
    candidate_hits,
    line_rows,
    line_starts,
    render,
    render_ends,
)
from ._hyperscan import LineSelector
from ._matcher import Compiled, Matcher, MatchLike
from ._spans import Sub, longest_subs
from ._spans import subs as _subs

__all__ = ["NUL_SWAP", "ChunkOut", "Line", "ScanOptions", "Sub", "scan_chunk", "total_lines"]

_UNLIMITED = 1 << 62

NUL_SWAP = bytes.maketrans(b"\n\x00", b"\x00\n")
"""``-z``: lines end in NUL. The scanner swaps NUL and "\n" in a block, scans it as lines
that end in "\n", and swaps them back in the lines it returns (the pattern was swapped
the same way: ``_patterns``)."""


class Line(NamedTuple):
    """A line a printer may need: a selected line, or a context candidate."""

    row: int  # 0-based index of the line within its chunk; -1 when lines are not counted
    offset: int  # absolute byte offset of its first byte
    text: bytes  # without the "\n"
    selected: bool
    subs: tuple[Sub, ...]  # its matches, when the options ask for spans


class ScanOptions(NamedTuple):
    """What to compute. ``before``/``after`` are context sizes; ``count_only`` asks for the
    number of selected lines only; ``spans``/``groups`` for match positions; ``numbers``
    for line indexes; ``timeout`` is each line's budget in seconds (0: none)."""

    invert: bool = False
    max_count: int | None = None
    before: int = 0
    after: int = 0
    count_only: bool = False
    spans: bool = False
    groups: bool = False
    numbers: bool = False
    timeout: float = 1.0
    plain: bool = False  # render selected lines as bare text (ChunkOut.text, .rows)
    null_data: bool = False  # lines end in NUL (-z; see NUL_SWAP)
    numbered: bool = False  # plain -n of one file: process workers number the lines

    @property
    def eol(self) -> bytes:
        """What ends a line: NUL under ``null_data``, else a newline."""
        return b"\x00" if self.null_data else b"\n"


class ChunkOut:
    """What one block yields. ``selected`` counts selected lines (at most ``max_count``);
    ``timeouts`` holds (line index or -1, absolute offset) of lines skipped for time.
    ``unterminated``: the last line has no "\\n" (end of input). With ``ScanOptions.plain``,
    ``text`` holds the selected lines, each + "\\n" (or, to be numbered, a ``Cut`` of the
    block, within a process only), and ``rows`` their rows in the chunk
    (with numbers); ``numbered``: the numbers are on the lines already (``rows`` None);
    ``failed``: a process worker wrote ``text`` to stdout itself (``text`` is then empty)
    and that write failed (errno, reason).
    (A plain class: ``dataclasses`` costs ``rxp stream`` a tenth of its
    start-up.)"""

    __slots__ = (
        "failed",
        "lines",
        "newlines",
        "numbered",
        "rows",
        "selected",
        "size",
        "start",
        "text",
        "timeouts",
        "unterminated",
    )

    def __init__(
        self,
        start: int,
        size: int,
        unterminated: bool = False,
        newlines: int | None = None,
        selected: int = 0,
        lines: list[Line] | None = None,
        text: bytes | None = None,
        rows: list[int] | None = None,
        timeouts: list[tuple[int, int]] | None = None,
    ) -> None:
        self.start = start
        self.size = size
        self.unterminated = unterminated
        self.newlines = newlines
        self.selected = selected
        self.lines: list[Line] = [] if lines is None else lines
        self.text: bytes | Cut | None = text
        self.rows = rows
        self.timeouts: list[tuple[int, int]] = [] if timeouts is None else timeouts
        self.numbered = False
        self.failed: tuple[int | None, str] | None = None


def total_lines(buf: bytes) -> int:
    """How many lines ``buf`` holds (a last line without ``\\n`` counts)."""
    if not buf:
        return 0
    return buf.count(b"\n") + (0 if buf.endswith(b"\n") else 1)


class _Run:
    """One chunk's matching, under one budget (fast) or one budget per line (fallback)."""

    def __init__(self, m: Matcher, o: ScanOptions, buf: bytes, alarm: bool) -> None:
        self.m = m
        self.o = o
        self.buf = buf
        self.alarm: Alarm | None = Alarm() if alarm else None
        self.end = len(buf) - 1 if buf.endswith(b"\n") else len(buf)
        self.groups = m.groups if o.groups else 0
        budget = budget_of(o.timeout)
        self.budget = budget
        self.compiled: Compiled = m.block if m.block is not None else m.line
        self.search = m.searcher(self.compiled, budget)
        self.finditer = m.iterator(self.compiled, budget)
        self.line_search = m.searcher(m.line, budget)
        self.line_finditer = m.iterator(m.line, budget)
        self.several = bool(m.branches) and o.spans

    def limit(self) -> int:
        o = self.o
        if o.max_count is not None and not o.invert and not (o.before or o.after):
            return o.max_count
        return _UNLIMITED

    def count(self) -> int | None:
        """The number of matching lines, when a counting loop can give it directly."""
        m, o = self.m, self.o
        if not o.count_only or o.invert or o.before or o.after or m.strategy == "lines":
            return None
        buf, end = self.buf, self.end
        if m.factor and not any(lit in buf for lit in m.factor):
            return 0
        if m.strategy == "block":
            limit = self.limit()
            if m.counter is not None and limit == _UNLIMITED:
                return len(m.lister(m.counter, self.budget)(buf, 0, end))
            return block_count(self.search, buf, end, limit)
        assert m.literal is not None
        if m.behind is not None and self.limit() == _UNLIMITED:
            # under SIGALRM the regex package is interrupted like re; its own timeout= check
            # would cost a quarter of the time
            budget = None if self.alarm is not None else self.budget
            return len(m.lister(m.behind, budget, "regex")(buf, 0, end))
        found = candidate_hits(self.search, buf, end, m.literal, m.lead, self.limit(), True)
        assert isinstance(found, int)
        return found

    def fast(self) -> tuple[list[Hit], dict[int, tuple[Sub, ...]]]:
        m, buf, end = self.m, self.buf, self.end
        if m.factor and not any(lit in buf for lit in m.factor):
            return [], {}
        limit = self.limit()
        hits: list[Hit]
        if m.strategy == "block":
            hits = block_hits(self.search, buf, end, limit)
        elif m.strategy == "candidates":
            assert m.literal is not None
            found = candidate_hits(self.search, buf, end, m.literal, m.lead, limit, False)
            assert isinstance(found, list)
            hits = found
        else:
            hits = []
            search = self.line_search
            for s, e in line_starts(buf, end, m.literal):
                if search(buf[s:e]) is not None:
                    hits.append((s, e))
                    if len(hits) >= limit:
                        break
        subs: dict[int, tuple[Sub, ...]] = {}
        if self.o.spans:
            for s, e in hits:
                subs[s] = self._line_subs(s, e)
        return hits, subs

    def _line_subs(self, s: int, e: int) -> tuple[Sub, ...]:
        if self.m.block is not None and not self.several:
            return _subs(self.finditer(self.buf, s, e), s, self.groups)
        return self._spans(self.buf[s:e])

    def _spans(self, line: bytes) -> tuple[Sub, ...]:
        """The matches in ``line`` (see ``_spans``: one pattern, or several)."""
        if not self.several:
            return _subs(self.line_finditer(line), 0, self.groups)
        m = self.m
        anchored = [m.anchored(b, self.budget) for b in m.branches]
        sizes = [b.groups for b in m.branches]
        return longest_subs(self.line_search, anchored, sizes, m.offsets, line, self.groups)

    def per_line(self) -> tuple[list[Hit] | int, dict[int, tuple[Sub, ...]], list[int]]:
        hits: list[Hit] = []
        subs: dict[int, tuple[Sub, ...]] = {}
        late: list[int] = []
        limit = self.limit()
        budget = self.budget or 0.0
        search = self.line_search
        for s, e in line_starts(self.buf, self.end, self.m.literal):
            line = self.buf[s:e]
            try:
                with self._armed(budget):
                    found: MatchLike | None = search(line)
                    if found is not None and self.o.spans:
                        subs[s] = self._spans(line)
            except (Expired, TimeoutError):
                late.append(s)
                continue
            if found is not None:
                hits.append((s, e))
                if len(hits) >= limit:
                    break
        return hits, subs, late

    def automaton(self) -> tuple[list[Hit] | int, dict[int, tuple[Sub, ...]], list[int]]:
        """Lines selected in linear time (never late); spans from the backtracking engine
        under the per-line budget, or from RE2 for a line over it."""
        m, o, buf = self.m, self.o, self.buf
        assert m.selector is not None
        ends = m.selector.line_ends(buf, self.end)
        limit = self.limit()
        if o.count_only and not (o.invert or o.before or o.after):
            return min(len(ends), limit), {}, []
        rfind = buf.rfind
        hits = [(rfind(b"\n", 0, e) + 1, e) for e in (ends if limit >= len(ends) else ends[:limit])]
        subs: dict[int, tuple[Sub, ...]] = {}
        late: list[int] = []
        if o.spans:
            kept: list[Hit] = []
            for s, e in hits:
                found = self._budgeted_subs(s, e)
                if found is None:
                    late.append(s)
                else:
                    subs[s] = found
                    kept.append((s, e))
            hits = kept
        return hits, subs, late

    def _budgeted_subs(self, s: int, e: int) -> tuple[Sub, ...] | None:
        """A selected line's matches, or None when they take longer than the budget and no
        linear-time engine can give them (the line is then reported as skipped)."""
        try:
            with self._armed(self.budget or 0.0):
                return self._line_subs(s, e)
        except (Expired, TimeoutError):
            fallback = self.m.linear_spans()
            if fallback is None:
                return None
            return _subs(fallback.finditer(self.buf[s:e]), 0, self.groups)

    def _armed(self, seconds: float) -> contextlib.AbstractContextManager[None]:
        """With SIGALRM as the budget (``alarm``), the timer runs for ``seconds`` inside the
        block and is always stopped after it; otherwise nothing (``regex`` has ``timeout=``)."""
        return self.alarm.armed(seconds) if self.alarm is not None else nullcontext()

    def _alarm_handler(self) -> contextlib.AbstractContextManager[None]:
        """SIGALRM raises ``Expired`` for the duration of a run (``alarm`` only)."""
        return self.alarm.installed() if self.alarm is not None else nullcontext()

    def run(self) -> tuple[list[Hit] | int, dict[int, tuple[Sub, ...]], list[int]]:
        """(hits or, for a plain count, their number; spans by line start; late lines).
        The fast path runs under one budget for the block; when it runs out, the block is
        redone line by line. Lines the automaton selects are never late."""
        with self._alarm_handler():
            if self.m.selector is not None:
                return self.automaton()
            try:
                with self._armed(max(2 * (self.budget or 0.0), 0.5)):
                    return self._fast_or_count()
            except (Expired, TimeoutError):
                return self.per_line()

    def _fast_or_count(self) -> tuple[list[Hit] | int, dict[int, tuple[Sub, ...]], list[int]]:
        counted = self.count()
        if counted is not None:
            return counted, {}, []
        hits, subs = self.fast()
        return hits, subs, []


def scan_chunk(m: Matcher, o: ScanOptions, buf: bytes, base: int, *, alarm: bool) -> ChunkOut:
    """Scan ``buf`` (whole lines starting at absolute offset ``base``). ``alarm`` says the
    ``re`` engine's budget may use SIGALRM (main thread only); pass False for ``regex``."""
    if not o.null_data:
        return _scan_chunk(m, o, buf, base, alarm)
    out = _scan_chunk(m, o, buf.translate(NUL_SWAP), base, alarm)
    out.lines = [line._replace(text=line.text.translate(NUL_SWAP)) for line in out.lines]
    if out.text is not None:
        out.text = as_bytes(out.text).translate(NUL_SWAP)
    return out


def _scan_chunk(m: Matcher, o: ScanOptions, buf: bytes, base: int, alarm: bool) -> ChunkOut:
    out = ChunkOut(start=base, size=len(buf), unterminated=bool(buf) and not buf.endswith(b"\n"))
    if not buf:
        out.newlines = 0
        return out
    if m.selector is not None and o.plain and not (o.invert or o.before or o.after or o.spans):
        _selected_text(out, m.selector, o, buf)
        return out
    run = _Run(m, o, buf, alarm and m.engine == "re" and budget_of(o.timeout) is not None)
    found, subs, late = run.run()
    if isinstance(found, int):
        out.selected = found if o.max_count is None else min(found, o.max_count)
        if o.numbers:
            out.newlines = buf.count(b"\n")
        return out
    hits = found
    counter = _Counter(buf) if o.numbers else None
    if late:
        late_counter = _Counter(buf) if o.numbers else None
        out.timeouts = [(late_counter.index(s) if late_counter else -1, base + s) for s in late]
    if o.invert or o.before or o.after or o.count_only:
        if o.numbers:
            out.newlines = buf.count(b"\n")
        if o.invert or o.before or o.after:
            _walk(out, o, buf, base, hits, subs, set(late))
        else:
            out.selected = len(hits) if o.max_count is None else min(len(hits), o.max_count)
        return out
    if o.max_count is not None:
        hits = hits[: o.max_count]
    out.selected = len(hits)
    if o.plain:
        out.text = render(buf, hits)
        if counter is not None:
            out.rows = counter.rows(hits)
            out.newlines = counter.total()
        return out
    index = counter.index if counter else (lambda s: -1)
    out.lines = [Line(index(s), base + s, buf[s:e], True, subs.get(s, ())) for s, e in hits]
    if counter is not None:
        out.newlines = counter.total()
    return out


def _selected_text(out: ChunkOut, selector: LineSelector, o: ScanOptions, buf: bytes) -> None:
    """The plain output of a linear-time selection (no spans, no context): the selected
    lines as text, with their rows under ``-n``, and nothing per line in Python."""
    end = len(buf) - 1 if buf.endswith(b"\n") else len(buf)
    ends = selector.line_ends(buf, end)
    if o.max_count is not None:
        ends = ends[: o.max_count]
    out.selected = len(ends)
    if o.count_only:
        if o.numbers:
            out.newlines = buf.count(b"\n")
        return
    # numbered where the first line's number is known: cut out and numbered in one pass
    out.text = Cut(buf, ends) if o.numbered and o.numbers else render_ends(buf, ends)
    if o.numbers:
        rows = out.rows = line_rows(buf, ends)
        out.newlines = rows[-1] + buf.count(b"\n", ends[-1]) if ends else buf.count(b"\n")


class _Counter:
    """Line indexes of increasing offsets, counting newlines incrementally."""

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.at = 0
        self.lines = 0

    def index(self, offset: int) -> int:
        self.lines += self.buf.count(b"\n", self.at, offset)
        self.at = offset
        return self.lines

    def total(self) -> int:
        """The newlines of the whole block (those before the last offset are counted)."""
        return self.lines + self.buf.count(b"\n", self.at)

    def rows(self, hits: list[Hit]) -> list[int]:
        """``[self.index(s) for s, _ in hits]``, in one loop (the ``-n`` hot path)."""
        count = self.buf.count
        at, lines = self.at, self.lines
        out: list[int] = []
        add = out.append
        for s, _ in hits:
            lines += count(b"\n", at, s)
            at = s
            add(lines)
        self.at, self.lines = at, lines
        return out


def _walk(
    out: ChunkOut,
    o: ScanOptions,
    buf: bytes,
    base: int,
    hits: list[Hit],
    subs: dict[int, tuple[Sub, ...]],
    late: set[int],
) -> None:
    """Every line in order: select (with ``-v`` the non-matching ones), and keep the
    context candidates a printer may need, including the first ``after`` and last
    ``before`` lines of the chunk, which may be context of matches in neighbouring chunks."""
    matching = {s for s, _ in hits}
    before: deque[Line] = deque(maxlen=o.before or None) if o.before else deque(maxlen=0)
    lines: list[Line] = []
    selected = 0
    after_left = o.after  # the chunk's first lines may follow a match in the previous chunk
    cap = o.max_count if o.max_count is not None else _UNLIMITED
    keep = not o.count_only
    find = buf.find
    n = len(buf)
    pos = 0
    index = 0
    while pos < n:
        e = find(b"\n", pos)
        e = n if e < 0 else e
        hit = pos in matching
        chosen = hit != o.invert and pos not in late
        if selected >= cap:
            if after_left <= 0:
                break
            chosen = False
        if chosen:
            selected += 1
            if keep:
                lines.extend(before)
                before.clear()
                lines.append(Line(index, base + pos, buf[pos:e], True, subs.get(pos, ())))
            after_left = o.after
        elif keep:
            line = Line(index, base + pos, buf[pos:e], False, subs.get(pos, ()))
            if after_left > 0:
                lines.append(line)
                after_left -= 1
            elif o.before:
                before.append(line)
        elif selected >= cap:
            break
        pos = e + 1
        index += 1
    lines.extend(before)
    out.selected = selected
    out.lines = lines if keep else []
