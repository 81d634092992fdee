"""Sources: where blocks of whole lines come from, and the one place an input is opened.

``open_input`` opens a path once and asks the descriptor (``fstat``) what it is: a regular
file of known size is cut into byte ranges, anything else (a FIFO, a device, a file of
``/proc`` or ``/sys`` whose size reads as 0) is read as a stream. Opening twice would lose
a FIFO's data to the first open and could read another file than the one checked.

A regular file is cut into nominal byte ranges; whoever scans a range (any thread or
process) turns it into whole lines by the rule "a line belongs to the range holding its
first byte": both ends move forward to the next line start, found with small ``pread``
calls, and then the block is read with one ``pread``. Neighbouring ranges agree on their
common edge, so every line is scanned exactly once, and a line of many MB is read whole by
the one range it starts in. A range carries the descriptor of the process that opened the
file; a worker process reads it through ``/proc/PID/fd``, so it reads the very file that
was opened. Bytes written past the size seen at opening are read on as a stream, as grep
reads to the end of the file. Streams (stdin, pipes, file objects) are read in order and
cut after their last newline, the partial line carried into the next block. Lines end in
"\\n", or in NUL (``sep``, for ``-z``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

__all__ = [
    "CHUNK",
    "Opened",
    "Range",
    "line_number_at",
    "line_start_at",
    "lines_blocks",
    "open_input",
    "ranges",
    "read_range",
    "stream_blocks",
]

CHUNK = 4 << 20
"""Nominal block size: large enough to amortise a Python call, small enough that a process
stays far below 64 MB."""

_PROBE = 64 << 10


class Opened(NamedTuple):
    """An input opened once: its descriptor (at least 3, so that it never stands in for a
    closed stdin), what ``fstat`` says it is, and for a regular file the size it had then
    (``None``: read it as a stream from the start)."""

    fd: int
    mode: int
    size: int | None
    device: tuple[int, int]  # (st_dev, st_ino): which file it is

    @property
    def is_dir(self) -> bool:
        return stat.S_ISDIR(self.mode)

    @property
    def is_device(self) -> bool:
        """A FIFO, socket or device: what grep leaves alone when it meets one in a walk."""
        m = self.mode
        return stat.S_ISCHR(m) or stat.S_ISBLK(m) or stat.S_ISFIFO(m) or stat.S_ISSOCK(m)


def open_input(path: str, *, follow: bool = True, nonblock: bool = False) -> Opened:
    """Open ``path`` for reading, once; raises ``OSError``. ``follow=False`` refuses a
    symbolic link (``ELOOP``); ``nonblock`` keeps opening a FIFO from waiting for a writer
    (a walk skips FIFOs, and must not hang on one). Regular files with a size are read by
    ranges; an empty size (procfs, sysfs, a file still being written) means a stream."""
    flags = os.O_RDONLY | getattr(os, "O_NOCTTY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    if nonblock:
        flags |= getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        if fd < 3:  # stdin, stdout or stderr was closed: keep that number free (grep's fd-safer)
            import fcntl

            low, fd = fd, fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
            os.close(low)
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    size = info.st_size if stat.S_ISREG(info.st_mode) and info.st_size > 0 else None
    return Opened(fd, info.st_mode, size, (info.st_dev, info.st_ino))


class Range(NamedTuple):
    """A nominal byte range ``[start, end)`` of the file at ``path`` of size ``size``,
    whose lines end in ``sep``; ``fd``, when not -1, is that file already open in process
    ``owner``."""

    path: str
    start: int
    end: int
    size: int
    sep: bytes = b"\n"
    fd: int = -1
    owner: int = 0


def ranges(
    path: str,
    end: int,
    chunk: int = CHUNK,
    *,
    first: int = 0,
    size: int | None = None,
    sep: bytes = b"\n",
    fd: int = -1,
    owner: int = 0,
) -> Iterator[Range]:
    """Nominal ranges covering ``[first, end)`` of a file of ``size`` bytes (default:
    ``end``), in order; ``fd`` open in process ``owner`` (default: this one)."""
    total = end if size is None else size
    if fd >= 0 and not owner:
        owner = os.getpid()
    for start in range(first, end, chunk):
        yield Range(path, start, min(start + chunk, end), total, sep, fd, owner)


def line_start_at(fd: int, pos: int, size: int, sep: bytes = b"\n") -> int:
    """The first line start at or after ``pos`` (``size`` when there is none)."""
    if pos <= 0:
        return 0
    if pos >= size:
        return size
    at = pos - 1
    while at < size:
        probe = os.pread(fd, _PROBE, at)
        if not probe:
            return size
        i = probe.find(sep)
        if i >= 0:
            return min(at + i + 1, size)
        at += len(probe)
    return size


def _descriptor(r: Range) -> tuple[int, bool]:
    """A descriptor to read ``r`` with, and whether the caller must close it."""
    if r.fd >= 0:
        if r.owner == os.getpid():
            return r.fd, False
        try:  # a worker process: the file its parent opened, not whatever the path is now
            return os.open(f"/proc/{r.owner}/fd/{r.fd}", os.O_RDONLY), True
        except OSError:
            pass
    return os.open(r.path, os.O_RDONLY), True


def read_range(r: Range) -> tuple[int, bytes]:
    """The whole lines that start in ``r``: (absolute offset, bytes). A file that shrank
    since its size was taken gives what is left."""
    fd, close = _descriptor(r)
    try:
        start = line_start_at(fd, r.start, r.size, r.sep)
        end = line_start_at(fd, r.end, r.size, r.sep) if r.end < r.size else r.size
        if end <= start:
            return start, b""
        parts: list[bytes] = []
        at = start
        while at < end:  # pread may return less than asked for very large lines
            got = os.pread(fd, end - at, at)
            if not got:
                break
            parts.append(got)
            at += len(got)
        return start, parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        if close:
            os.close(fd)


def line_number_at(fd: int, offset: int, sep: bytes = b"\n") -> int:
    """The 1-based number of the line starting at ``offset`` of the file open as ``fd``
    (read with ``pread`` up to it); -1 when it cannot be read again (a stream)."""
    count = 0
    at = 0
    try:
        while at < offset:
            block = os.pread(fd, min(offset - at, CHUNK), at)
            if not block:
                break
            count += block.count(sep)
            at += len(block)
    except OSError:
        return -1
    return count + 1


def stream_blocks(
    read: Callable[[int], bytes], chunk: int = CHUNK, sep: bytes = b"\n", *, start: int = 0
) -> Iterator[tuple[int, bytes]]:
    """Blocks of whole lines from ``read(n)`` (which returns b"" at the end), in order,
    each with its absolute offset (the first byte read is at ``start``). A block is
    yielded as soon as a read completes a line, so a slow pipe (``tail -f``) is answered
    line by line. A line longer than a read is kept as a list of its parts until its
    newline arrives and joined once: time stays linear in the line's length."""
    parts: list[bytes] = []  # the partial line so far (no newline in any part)
    base = start
    while True:
        data = read(chunk)
        if not data:
            if parts:
                yield base, b"".join(parts)
            return
        cut = data.rfind(sep) + 1
        if cut == 0:
            parts.append(data)
            continue
        if parts:
            parts.append(data[:cut] if cut < len(data) else data)
            block = b"".join(parts)
            parts = []
        else:
            block = data[:cut] if cut < len(data) else data
        if cut < len(data):
            parts.append(data[cut:])
        yield base, block
        base += len(block)


def lines_blocks(lines: Iterable[bytes | str], batch: int = 1 << 20) -> Iterator[tuple[int, bytes]]:
    """Blocks from an iterable of lines (bytes, or str encoded as UTF-8). One trailing
    ``\\n`` (or ``\\r\\n``'s ``\\n``) of an item ends it; an item holding more newlines
    counts as several lines."""
    parts: list[bytes] = []
    size = 0
    base = 0
    for item in lines:
        data = item.encode("utf-8", "surrogateescape") if isinstance(item, str) else bytes(item)
        if not data.endswith(b"\n"):
            data += b"\n"
        parts.append(data)
        size += len(data)
        if size >= batch:
            yield base, b"".join(parts)
            base += size
            parts, size = [], 0
    if parts:
        yield base, b"".join(parts)
