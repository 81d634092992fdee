"""Sinks: what becomes of the selected lines. They only format; they never match.

``Window`` applies grep's context rules to the ordered stream of lines the scanner keeps
(selected lines and context candidates, numbered): before/after context, merged when they
overlap, a ``--`` separator between groups that are not adjacent (also across files),
``-m`` stopping after NUM selected lines but still printing the trailing context (in
which later matches show as context, as grep does). It calls a printer's ``match``,
``context`` and ``separator``. ``GrepPrinter`` writes GNU grep's bytes (plain, or grep's
own ``--color=always`` escapes; with ``-l``/``-L`` only file names); ``JsonPrinter``
writes ripgrep's ``--json`` messages.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple, Protocol

from ._hits import Cut, as_bytes, numbered_text
from ._scan import Line, Sub

__all__ = ["FileStats", "GrepPrinter", "GrepStyle", "JsonPrinter", "Printer", "Window"]

Write = Callable[[bytes], object]


class Printer(Protocol):
    def begin(self, name: str) -> None: ...
    def match(self, number: int, line: Line, terminated: bool) -> None: ...
    def context(self, number: int, line: Line, terminated: bool) -> None: ...
    def separator(self) -> None: ...
    def end(self, stats: FileStats) -> None: ...


class FileStats:
    """Per-file counts for ``-c``, JSON ``end`` messages and the summary. (A plain class:
    ``dataclasses`` costs ``rxp stream`` a tenth of its start-up.)"""

    __slots__ = ("bytes_searched", "matches", "name", "selected", "started", "timeouts")

    def __init__(
        self,
        name: str,
        selected: int = 0,
        matches: int = 0,
        bytes_searched: int = 0,
        timeouts: int = 0,
        started: float | None = None,
    ) -> None:
        self.name = name
        self.selected = selected
        self.matches = matches
        self.bytes_searched = bytes_searched
        self.timeouts = timeouts
        self.started = time.perf_counter() if started is None else started


class Window:
    """grep's context state machine over one run (several files)."""

    def __init__(
        self,
        printer: Printer,
        *,
        before: int = 0,
        after: int = 0,
        max_count: int | None = None,
        separators: bool = False,
        passthru: bool = False,
    ) -> None:
        self.printer = printer
        self.before = before
        self.after = after
        self.cap = max_count
        self.separators = separators
        self.passthru = passthru
        self.printed_any = False
        self.begin_file()

    def begin_file(self) -> None:
        self.count = 0
        self.last: int | None = None
        self.after_left = 0
        self.pending: deque[tuple[int, Line, bool]] = deque(maxlen=self.before or 1)

    def _emit(self, number: int, line: Line, terminated: bool, selected: bool) -> None:
        if self.separators and self.printed_any and (self.last is None or number != self.last + 1):
            self.printer.separator()
        if selected:
            self.printer.match(number, line, terminated)
        else:
            self.printer.context(number, line, terminated)
        self.last = number
        self.printed_any = True

    def raw(self, text: bytes, selected: int, write: Write) -> None:
        """Selected lines already rendered as bare grep output (no names, numbers,
        context or cap): pass them through and count them."""
        if text:
            write(text)
            self.printed_any = True
        self.count += selected

    def offer(self, number: int, line: Line, terminated: bool) -> bool:
        """Take the next kept line; False once this file needs no more lines."""
        if self.cap is not None and self.count >= self.cap:
            if self.after_left > 0 and self.last is not None and number == self.last + 1:
                self._emit(number, line, terminated, False)
                self.after_left -= 1
            return self.after_left > 0
        if line.selected:
            if self.before:
                low = number - self.before
                for n, held, term in self.pending:
                    if n >= low and (self.last is None or n > self.last):
                        self._emit(n, held, term, False)
                self.pending.clear()
            self._emit(number, line, terminated, True)
            self.count += 1
            self.after_left = self.after
            return self.cap is None or self.count < self.cap or self.after > 0
        if self.passthru or (
            self.after_left > 0 and self.last is not None and number == self.last + 1
        ):
            self._emit(number, line, terminated, False)
            self.after_left -= 1
        elif self.before:
            self.pending.append((number, line, terminated))
        return True


# --- grep's bytes ---------------------------------------------------------------------------


class GrepStyle(NamedTuple):
    """grep's output options. ``color`` uses grep's default GREP_COLORS escapes. ``listing``
    prints only the names of the files with (``-l``: True) or without (``-L``: False) a
    selected line; ``null`` ends a file name with NUL (``-Z``), ``eol`` ends a line (NUL
    with ``-z``); ``offsets`` prints each line's (or ``-o`` match's) byte offset (``-b``)."""

    names: bool = False
    numbers: bool = False
    only_matching: bool = False
    count: bool = False  # type: ignore[assignment]  # the field shadows tuple.count
    invert: bool = False
    color: bool = False
    quiet: bool = False
    listing: bool | None = None
    null: bool = False
    eol: bytes = b"\n"
    offsets: bool = False


_MATCH = b"\x1b[01;31m\x1b[K"
_END = b"\x1b[m\x1b[K"
_NAME = b"\x1b[35m\x1b[K"
_NUMBER = b"\x1b[32m\x1b[K"
_SEP = b"\x1b[36m\x1b[K"


class GrepPrinter:
    """Writes exactly what ``LC_ALL=C grep -a`` writes for the same options."""

    def __init__(self, write: Write, style: GrepStyle) -> None:
        self.write = write
        self.style = style
        self.name = b""

    def begin(self, name: str) -> None:
        self.name = name.encode("utf-8", "surrogateescape")

    def _sep(self, mark: bytes) -> bytes:
        return _SEP + mark + _END if self.style.color else mark

    def _named(self, mark: bytes) -> bytes:
        """The file name and what follows it: ``mark``, or NUL with ``-Z``."""
        s = self.style
        name = _NAME + self.name + _END if s.color else self.name
        return name + (b"\0" if s.null else self._sep(mark))

    def _prefix(self, number: int, mark: bytes, offset: int = 0) -> bytes:
        s = self.style
        parts: list[bytes] = []
        if s.names:
            parts.append(self._named(mark))
        if s.numbers:
            digits = str(number).encode()
            parts.append(_NUMBER + digits + _END if s.color else digits)
            parts.append(self._sep(mark))
        if s.offsets:
            digits = str(offset).encode()
            parts.append(_NUMBER + digits + _END if s.color else digits)
            parts.append(self._sep(mark))
        return b"".join(parts)

    def _highlight(self, text: bytes, subs: tuple[Sub, ...]) -> bytes:
        parts: list[bytes] = []
        at = 0
        for start, end, _ in subs:
            if end <= start or start < at:
                continue
            parts += (text[at:start], _MATCH, text[start:end], _END)
            at = end
        parts.append(text[at:])
        return b"".join(parts)

    def _line(self, number: int, line: Line, mark: bytes, matching: bool) -> None:
        """One printed line. ``matching`` (grep: selected XOR -v) says whether its matches
        are shown: highlighted, or with ``-o`` printed one per line."""
        s = self.style
        if s.count or s.quiet or s.listing is not None:
            return
        if s.only_matching:
            if not matching:
                return
            out: list[bytes] = []
            for start, end, _ in line.subs:
                if end > start:
                    prefix = self._prefix(number, mark, line.offset + start)
                    text = line.text[start:end]
                    out += (prefix, _MATCH + text + _END if s.color else text, s.eol)
            if out:
                self.write(b"".join(out))
            return
        text = line.text
        if s.color and matching:
            text = self._highlight(text, line.subs)
        self.write(self._prefix(number, mark, line.offset) + text + s.eol)

    def match(self, number: int, line: Line, terminated: bool) -> None:
        self._line(number, line, b":", not self.style.invert)

    def rendered(
        self, text: bytes | Cut, rows: list[int] | None, first: int, numbered: bool = False
    ) -> None:
        """Selected lines a worker rendered as bare text, or cut out of their block here
        (``rows``: their line numbers minus ``first``, given when ``-n`` asks), prefixed
        in one go; ``numbered``: the worker put the numbers on them itself (one file: no
        names)."""
        s = self.style
        if s.count or s.quiet or s.listing is not None:
            return
        head = self._named(b":") if s.names else b""
        if s.numbers and rows is not None and not numbered:
            if rows:
                self.write(numbered_text(text, rows, first, s.eol, head))
            return
        text = as_bytes(text)
        if not text:
            return
        if numbered or not s.names:
            self.write(text)
            return
        lines = text.split(s.eol)
        lines.pop()
        self.write(b"".join([head + line + s.eol for line in lines]))

    def context(self, number: int, line: Line, terminated: bool) -> None:
        self._line(number, line, b"-", self.style.invert)

    def separator(self) -> None:
        if not self.style.count and self.style.listing is None:
            self.write(self._sep(b"--") + b"\n")

    def end(self, stats: FileStats) -> None:
        s = self.style
        if s.quiet:
            return
        if s.listing is not None:
            if (stats.selected > 0) == s.listing:
                name = _NAME + self.name + _END if s.color else self.name
                self.write(name + (b"\0" if s.null else b"\n"))
        elif s.count:
            head = self._named(b":") if s.names else b""
            self.write(head + str(stats.selected).encode() + b"\n")


# --- ripgrep's JSON Lines ----------------------------------------------------------------------


def _data(raw: bytes) -> dict[str, str]:
    """ripgrep's arbitrary data: ``{"text": ...}`` when UTF-8, else base64 ``bytes``."""
    try:
        return {"text": raw.decode("utf-8")}
    except UnicodeDecodeError:
        import base64  # rare: only for bytes that are not UTF-8

        return {"bytes": base64.b64encode(raw).decode("ascii")}


def _elapsed(seconds: float) -> dict[str, object]:
    whole = int(seconds)
    return {
        "secs": whole,
        "nanos": int((seconds - whole) * 1e9),
        "human": f"{seconds:.6f}s",
    }


class JsonPrinter:
    """ripgrep's ``--json`` messages (begin, match, context, end, summary); each submatch
    also carries the match's named groups (``groups``: name -> data with start/end, or
    null when the group did not take part). ``names`` maps each name to its group number,
    or lists (name, number) pairs where a name may have several groups (several patterns,
    ``-e``): the first that took part shows. ``eol`` ends a line (NUL with ``-z``)."""

    def __init__(
        self,
        write: Write,
        names: Mapping[str, int] | Iterable[tuple[str, int]],
        eol: bytes = b"\n",
    ) -> None:
        import json  # here, so that the plain grep output never pays for importing it

        self._dumps = json.dumps
        self.write = write
        self.eol = eol
        pairs = names.items() if isinstance(names, Mapping) else names
        self.names: dict[str, list[int]] = {}
        for name, index in pairs:
            self.names.setdefault(name, []).append(index)
        self.path: dict[str, str] = {}
        self.started = time.perf_counter()
        self.printed = 0
        self.totals: dict[str, int] = {
            "searches": 0,
            "searches_with_match": 0,
            "bytes_searched": 0,
            "bytes_printed": 0,
            "matched_lines": 0,
            "matches": 0,
            "timeouts": 0,
        }

    def _emit(self, kind: str, data: dict[str, object]) -> None:
        raw = (
            self._dumps({"type": kind, "data": data}, ensure_ascii=False, separators=(",", ":"))
            + "\n"
        ).encode("utf-8", "surrogateescape")
        self.printed += len(raw)
        self.write(raw)

    def begin(self, name: str) -> None:
        self.path = _data(name.encode("utf-8", "surrogateescape"))
        self.printed = 0
        self._emit("begin", {"path": self.path})

    def _line(self, kind: str, number: int, line: Line, terminated: bool) -> None:
        text = line.text + (self.eol if terminated else b"")
        submatches = []
        for start, end, groups in line.subs:
            sub: dict[str, object] = {
                "match": _data(line.text[start:end]),
                "start": start,
                "end": end,
            }
            if self.names:
                named: dict[str, object] = {}
                for name, indexes in self.names.items():
                    gs, ge = -1, -1
                    for index in indexes:
                        gs, ge = groups[index - 1] if index - 1 < len(groups) else (-1, -1)
                        if gs >= 0:
                            break
                    named[name] = (
                        None if gs < 0 else {**_data(line.text[gs:ge]), "start": gs, "end": ge}
                    )
                sub["groups"] = named
            submatches.append(sub)
        self._emit(
            kind,
            {
                "path": self.path,
                "lines": _data(text),
                "line_number": number,
                "absolute_offset": line.offset,
                "submatches": submatches if kind == "match" else [],
            },
        )

    def match(self, number: int, line: Line, terminated: bool) -> None:
        self._line("match", number, line, terminated)

    def context(self, number: int, line: Line, terminated: bool) -> None:
        self._line("context", number, line, terminated)

    def separator(self) -> None:
        return None

    def end(self, stats: FileStats) -> None:
        elapsed = time.perf_counter() - stats.started
        file_stats = {
            "elapsed": _elapsed(elapsed),
            "searches": 1,
            "searches_with_match": int(stats.selected > 0),
            "bytes_searched": stats.bytes_searched,
            "bytes_printed": self.printed,
            "matched_lines": stats.selected,
            "matches": stats.matches,
            "timeouts": stats.timeouts,
        }
        for key in self.totals:
            value = file_stats[key]
            assert isinstance(value, int)
            self.totals[key] += value
        self._emit("end", {"path": self.path, "binary_offset": None, "stats": file_stats})

    def summary(self) -> None:
        elapsed = time.perf_counter() - self.started
        stats: dict[str, object] = {"elapsed": _elapsed(elapsed), **self.totals}
        self._emit("summary", {"elapsed_total": _elapsed(elapsed), "stats": stats})
