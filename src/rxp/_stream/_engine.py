"""The search loop: sources -> backend (matching) -> window -> printer, in input order.

``search`` drives a whole ``rxp stream`` run over several inputs and reports what happened
(found, errors, skipped lines); it writes only through the printer and the callbacks it is
given, so the CLI shell owns stdout and stderr. Unreadable inputs are reported through
``on_error`` and the others still scanned, as grep does.

Each file comes opened from ``_inputs.sources`` (the one place inputs are opened); its
descriptor decides how it is read (byte ranges or a stream) and is closed once its last
block is done.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from functools import partial
from typing import NamedTuple

from .._errors import os_reason
from ._backends import Backend, Direct, Job, choose_backend, run_jobs
from ._hits import as_bytes
from ._inputs import PLAIN, Failed, Input, input_sizes, owned, sources
from ._matcher import MatcherSpec
from ._scan import ChunkOut, ScanOptions
from ._sinks import FileStats, Printer, Window
from ._source import CHUNK, Opened, Range, line_number_at, ranges, stream_blocks
from ._walk import Walk

__all__ = ["Outcome", "items_of", "plan", "scanned", "search", "workers_write"]

STDIN_NAME = "(standard input)"


class Outcome(NamedTuple):
    found: bool
    errors: int
    timeouts: int


# Markers travel with the jobs through the backends, which tell them from jobs (a Range or a
# (offset, bytes) tuple) by type: plain classes, not tuples.
class _Begin:
    __slots__ = ("fd", "index", "name")

    def __init__(self, index: int, name: str, fd: int | None) -> None:
        self.index = index
        self.name = name
        self.fd = fd


class _End:
    __slots__ = ("fd", "index")

    def __init__(self, index: int, fd: int | None) -> None:
        self.index = index
        self.fd = fd


_Marker = _Begin | _End | Failed


def plan(
    inputs: Sequence[Input], backend: Backend | None, workers: int | None
) -> tuple[Backend, int]:
    """The backend and worker count: as asked, else chosen from the input sizes."""
    if backend is None:
        return choose_backend(input_sizes(inputs), workers)
    return backend, workers if workers is not None else (1 if backend == "sync" else 2)


def _stream(
    read: Callable[[int], bytes], chunk: int, sep: bytes = b"\n", start: int = 0
) -> Iterator[Job | Failed]:
    """The blocks of a stream, then (if reading fails) the failure, in its place."""
    try:
        yield from stream_blocks(read, chunk, sep, start=start)
    except OSError as exc:
        yield Failed("", os_reason(exc), cause=exc)


def items_of(
    inputs: Iterable[Input],
    chunk: int,
    finished: Callable[[int], bool],
    how: Walk = PLAIN,
    output: tuple[int, int] | None = None,
    open_fds: set[int] | None = None,
    sep: bytes = b"\n",
) -> Generator[Job | _Marker, None, None]:
    """The jobs and markers of every file, in order; stops producing a file's ranges once
    ``finished(index)`` says its output is complete (``-m``, ``-l``); lines end in ``sep``.
    A file's descriptor travels in its ``_End`` marker, and is added to ``open_fds`` as it
    is opened: the consumer of the results closes it at ``_End`` (its jobs are done by
    then), or at the end of the run (``scanned``)."""
    index = -1
    for found in sources(inputs, how, output):
        if isinstance(found, Failed):
            yield found
            continue
        index += 1
        opened = found.opened
        fd = owned(opened)
        if fd is not None and open_fds is not None:
            open_fds.add(fd)
        yield _Begin(index, found.name, fd)
        items: Iterable[Job | Failed]
        if found.blocks is not None:
            items = _blocks(found.blocks)
        else:
            assert opened is not None
            items = _file_items(opened, found.path or "", chunk, index, finished, sep)
        for item in items:
            if isinstance(item, Failed):
                item.name = found.name
            yield item
        yield _End(index, fd)


def _blocks(blocks: Iterable[tuple[int, bytes]]) -> Iterator[Job | Failed]:
    try:
        yield from blocks
    except OSError as exc:
        yield Failed("", os_reason(exc), cause=exc)


def _file_items(
    opened: Opened,
    path: str,
    chunk: int,
    index: int,
    finished: Callable[[int], bool],
    sep: bytes = b"\n",
) -> Iterator[Job | Failed]:
    """A regular file's ranges up to the size it had when opened, then whatever was
    written after that (a growing log; a /proc file, whose size reads as 0) as a stream,
    as grep reads to the end; anything else as a stream from where it stands."""
    fd = opened.fd
    size = opened.size
    if size is None:
        yield from _stream(partial(os.read, fd), chunk, sep)
        return
    for job in ranges(path, size, chunk, sep=sep, fd=fd):
        if finished(index):
            return
        yield job
    if finished(index):
        return
    try:
        os.lseek(fd, size, os.SEEK_SET)
    except OSError as exc:
        yield Failed("", os_reason(exc))
        return
    yield from _stream(partial(os.read, fd), chunk, sep, size)


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
        direct: Direct | None = None,
    ) -> None:
        self.write: Callable[[bytes], object] = write or (lambda data: None)
        self.direct = direct
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
        self.fd: int | None = None
        self.base = 0
        self.done = False
        self.index = -1
        self.sep = b"\n"

    def finished(self, index: int) -> bool:
        return self.done and index == self.index

    def begin(self, item: _Begin) -> None:
        self.index = item.index
        self.stats = FileStats(item.name)
        self.fd = item.fd
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
                elif self.fd is not None:
                    number = line_number_at(self.fd, offset, self.sep)
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
        """Lines the worker rendered as bare text: prefixed here with names/numbers
        (none left when the worker wrote them itself: ``Direct``)."""
        assert out.text is not None
        if out.failed is not None and self.direct is not None:
            self.direct.failed(*out.failed)
        rendered = getattr(self.printer, "rendered", None)
        if rendered is None:
            self.window.raw(as_bytes(out.text), out.selected, self.write)
            return
        self.window.count += out.selected
        self.window.printed_any = self.window.printed_any or out.selected > 0
        rendered(out.text, out.rows, self.base + 1, out.numbered)

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


def scanned(
    spec: MatcherSpec,
    options: ScanOptions,
    inputs: Iterable[Input],
    finished: Callable[[int], bool],
    *,
    backend: Backend,
    workers: int,
    chunk: int = CHUNK,
    how: Walk = PLAIN,
    output: tuple[int, int] | None = None,
    direct: Direct | None = None,
) -> Generator[ChunkOut | _Marker, None, None]:
    """The results of every file's jobs and the markers, in input order; each file's
    descriptor closed once its ``_End`` has passed (its jobs are done then), the others
    (files opened ahead, for the jobs in flight) when the consumer stops early (``-m``,
    ``-q``, a closed pipe) or an error ends the run."""
    open_fds: set[int] = set()
    sep = options.eol
    items = items_of(inputs, chunk, finished, how, output, open_fds, sep)
    results: Iterator[ChunkOut | _Marker] = run_jobs(spec, options, items, backend, workers, direct)
    try:
        for item in results:
            yield item
            if isinstance(item, _End) and item.fd is not None:
                open_fds.discard(item.fd)
                os.close(item.fd)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        items.close()
        for fd in open_fds:
            os.close(fd)


def _numbers_only(printer: Printer) -> bool:
    """Whether the printer prefixes each selected line with its number and nothing else
    (grep ``-n`` on one file), which the process backend's workers can do themselves."""
    style = getattr(printer, "style", None)
    if style is None:
        return False
    listing = style.listing is not None
    return bool(style.numbers) and not (style.names or style.count or style.quiet or listing)


def workers_write(printer: Printer, options: ScanOptions, backend: Backend) -> bool:
    """Whether the process backend's workers may write the lines they render to stdout
    themselves (``search``'s ``direct``): the printer would write them as they are, plain
    output with no name before them, numbered by the workers or not at all."""
    style = getattr(printer, "style", None)
    if backend != "process" or style is None or not options.plain:
        return False
    return _numbers_only(printer) or not (style.names or style.numbers)


def search(
    spec: MatcherSpec,
    options: ScanOptions,
    inputs: Iterable[Input],
    printer: Printer,
    window: Window,
    *,
    backend: Backend,
    workers: int,
    on_error: Callable[[str, str], None],
    on_timeout: Callable[[str, int, int], None],
    on_warning: Callable[[str, str], None] | None = None,
    quiet: bool = False,
    chunk: int = CHUNK,
    write: Callable[[bytes], object] | None = None,
    how: Walk = PLAIN,
    output: tuple[int, int] | None = None,
    direct: Direct | None = None,
) -> Outcome:
    """Scan ``inputs`` in order and feed ``window``/``printer``. ``quiet`` stops at the
    first selected line (``-q``). With ``options.plain`` the workers render the selected
    lines themselves and ``write`` receives those bytes. ``how`` says how directories are
    walked and names skipped; ``output``: see ``sources``. ``on_warning`` hears of what
    grep reports without calling it an error (a directory loop). ``direct``: stdout's
    descriptor, which the process backend's workers may write the lines they render to
    themselves, in order (``_backends.Direct``), when ``workers_write`` allows it."""
    if options.plain and _numbers_only(printer):
        options = options._replace(numbered=True)  # see _backends._Chain
    if not workers_write(printer, options, backend):
        direct = None
    run = _Run(printer, window, options, on_error, on_timeout, quiet, write, direct)
    if options.max_count == 0:
        return Outcome(False, 0, 0)
    run.sep = options.eol
    results = scanned(
        spec,
        options,
        inputs,
        run.finished,
        backend=backend,
        workers=workers,
        chunk=chunk,
        how=how,
        output=output,
        direct=direct,
    )
    try:
        for item in results:
            if isinstance(item, ChunkOut):
                if not run.chunk(item):
                    break
            elif isinstance(item, _Begin):
                run.begin(item)
            elif isinstance(item, _End):
                run.end()
            elif isinstance(item, Failed):
                if item.warning:
                    if on_warning is not None:
                        on_warning(item.name, item.message)
                    continue
                run.errors += 1
                on_error(item.name, item.message)
            elif isinstance(item, Range | tuple):  # pragma: no cover - jobs become results
                raise AssertionError("unscanned job")
    finally:
        results.close()
    return Outcome(run.found, run.errors, run.timeouts)
