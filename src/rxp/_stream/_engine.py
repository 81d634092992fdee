"""The search loop: sources -> backend (matching) -> window -> printer, in input order.

``search`` drives a whole ``rxp stream`` run over several inputs and reports what happened
(found, errors, skipped lines); it writes only through the printer and the callbacks it is
given, so the CLI shell owns stdout and stderr. Unreadable inputs are reported through
``on_error`` and the others still scanned, as grep does.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from ._backends import Backend, Job, choose_backend, run_jobs
from ._matcher import MatcherSpec
from ._scan import ChunkOut, ScanOptions
from ._sinks import FileStats, Printer, Window
from ._source import CHUNK, Range, ranges, stream_blocks

__all__ = ["Input", "Outcome", "items_of", "line_number_at", "plan", "search"]

STDIN_NAME = "(standard input)"


class Input(NamedTuple):
    """One input: a path, or (``path`` None) a stream of ``blocks`` of whole lines with
    their offsets, e.g. ``stream_blocks(read)`` for stdin. ``name`` is what output shows."""

    name: str
    path: str | None = None
    blocks: Iterable[tuple[int, bytes]] | None = None


class Outcome(NamedTuple):
    found: bool
    errors: int
    timeouts: int


# Markers travel with the jobs through the backends, which tell them from jobs (a Range or a
# (offset, bytes) tuple) by type: plain classes, not tuples.
class _Begin:
    __slots__ = ("index", "name", "path")

    def __init__(self, index: int, name: str, path: str | None) -> None:
        self.index = index
        self.name = name
        self.path = path


class _End:
    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


class _Failed:
    __slots__ = ("message", "name")

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message


_Marker = _Begin | _End | _Failed


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _check_file(path: str) -> tuple[int | None, str | None]:
    """(size, None) for a readable regular file, (None, None) for a readable stream-like
    file (a FIFO, /dev/stdin), (None, message) when it cannot be read."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return None, "Is a directory"
        with open(path, "rb"):
            pass
    except OSError as exc:
        return None, _describe(exc)
    if stat.S_ISREG(info.st_mode):
        return info.st_size, None
    return None, None


def plan(
    inputs: Sequence[Input], backend: Backend | None, workers: int | None
) -> tuple[Backend, int]:
    """The backend and worker count: as asked, else chosen from the input sizes."""
    sizes = []
    for item in inputs:
        size = _check_file(item.path)[0] if item.path is not None else None
        sizes.append(size)
    if backend is None:
        return choose_backend(sizes, workers)
    return backend, workers if workers is not None else (1 if backend == "sync" else 2)


def items_of(
    inputs: Sequence[Input], chunk: int, finished: Callable[[int], bool], sep: bytes = b"\n"
) -> Iterator[Job | _Marker]:
    """The jobs and markers of every input, in order; stops producing a file's ranges once
    ``finished(index)`` says its output is complete (``-m``, ``-l``). Lines end in ``sep``."""
    for index, item in enumerate(inputs):
        if item.path is None:
            assert item.blocks is not None
            yield _Begin(index, item.name, None)
            yield from item.blocks
            yield _End(index)
            continue
        size, problem = _check_file(item.path)
        if problem is not None:
            yield _Failed(item.name, problem)
            continue
        yield _Begin(index, item.name, item.path)
        if size is None:  # a FIFO or device: read it as a stream
            with open(item.path, "rb", buffering=0) as stream:
                yield from stream_blocks(stream.read, chunk, sep)
        else:
            for job in ranges(item.path, size, chunk, sep=sep):
                if finished(index):
                    break
                yield job
        yield _End(index)


def line_number_at(path: str, offset: int, sep: bytes = b"\n") -> int:
    """The 1-based number of the line starting at ``offset`` (reads the file up to it)."""
    count = 0
    with open(path, "rb") as f:
        left = offset
        while left > 0:
            block = f.read(min(left, CHUNK))
            if not block:
                break
            count += block.count(sep)
            left -= len(block)
    return count + 1


class _Run:
    def __init__(
        self,
        printer: Printer,
        window: Window,
        options: ScanOptions,
        on_error: Callable[[str, str], None],
        on_timeout: Callable[[str, int, int], None],
        quiet: bool,
        write: Callable[[bytes], object] | None,
    ) -> None:
        self.write: Callable[[bytes], object] = write or (lambda data: None)
        self.printer = printer
        self.window = window
        self.o = options
        self.on_error = on_error
        self.on_timeout = on_timeout
        self.quiet = quiet
        self.found = False
        self.errors = 0
        self.timeouts = 0
        self.stats = FileStats("")
        self.path: str | None = None
        self.base = 0
        self.done = False
        self.index = -1
        self.sep = b"\n"

    def finished(self, index: int) -> bool:
        return self.done and index == self.index

    def begin(self, item: _Begin) -> None:
        self.index = item.index
        self.stats = FileStats(item.name)
        self.path = item.path
        self.base = 0
        self.done = False
        self.window.begin_file()
        self.printer.begin(item.name)

    def end(self) -> None:
        if not self.o.count_only:
            self.stats.selected = self.window.count
        self.found = self.found or self.stats.selected > 0
        self.printer.end(self.stats)

    def chunk(self, out: ChunkOut) -> bool:
        """Take one chunk's result; False when the whole run can stop (``-q``)."""
        stats = self.stats
        stats.bytes_searched += out.size
        if out.timeouts:
            for index, offset in out.timeouts:
                if index >= 0:
                    number = self.base + index + 1
                elif self.path is not None:
                    number = line_number_at(self.path, offset, self.sep)
                else:
                    number = -1
                self.timeouts += 1
                stats.timeouts += 1
                self.on_timeout(stats.name, number, offset)
        if not self.done:
            if self.o.count_only:
                cap = self.o.max_count
                stats.selected += out.selected
                if cap is not None and stats.selected >= cap:
                    stats.selected = cap
                    self.done = True
            elif out.text is not None:
                self._text(out)
            else:
                self._lines(out)
        self.base += out.newlines or 0
        if self.quiet and (stats.selected or self.window.count):
            self.found = True
            return False
        return True

    def _text(self, out: ChunkOut) -> None:
        """Lines the worker rendered as bare text: prefixed here with names/numbers."""
        assert out.text is not None
        rendered = getattr(self.printer, "rendered", None)
        if rendered is None:
            self.window.raw(out.text, out.selected, self.write)
            return
        self.window.count += out.selected
        self.window.printed_any = self.window.printed_any or out.selected > 0
        rendered(out.text, out.rows, self.base + 1)

    def _lines(self, out: ChunkOut) -> None:
        stop = out.start + out.size
        offer = self.window.offer
        for line in out.lines:
            terminated = not out.unterminated or line.offset + len(line.text) < stop
            if line.selected:
                self.stats.matches += len(line.subs)
            if not offer(self.base + line.row + 1, line, terminated):
                self.done = True
                return


def search(
    spec: MatcherSpec,
    options: ScanOptions,
    inputs: Sequence[Input],
    printer: Printer,
    window: Window,
    *,
    backend: Backend,
    workers: int,
    on_error: Callable[[str, str], None],
    on_timeout: Callable[[str, int, int], None],
    quiet: bool = False,
    chunk: int = CHUNK,
    write: Callable[[bytes], object] | None = None,
) -> Outcome:
    """Scan ``inputs`` in order and feed ``window``/``printer``. ``quiet`` stops at the
    first selected line (``-q``). With ``options.plain`` the workers render the selected
    lines themselves and ``write`` receives those bytes."""
    run = _Run(printer, window, options, on_error, on_timeout, quiet, write)
    if options.max_count == 0:
        return Outcome(False, 0, 0)
    sep = b"\x00" if options.null_data else b"\n"
    run.sep = sep
    items = items_of(inputs, chunk, run.finished, sep)
    results = run_jobs(spec, options, items, backend, workers)
    try:
        for item in results:
            if isinstance(item, ChunkOut):
                if not run.chunk(item):
                    break
            elif isinstance(item, _Begin):
                run.begin(item)
            elif isinstance(item, _End):
                run.end()
            elif isinstance(item, _Failed):
                run.errors += 1
                on_error(item.name, item.message)
            elif isinstance(item, Range | tuple):  # pragma: no cover - jobs become results
                raise AssertionError("unscanned job")
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    return Outcome(run.found, run.errors, run.timeouts)
