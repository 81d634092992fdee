"""Sources: where blocks of whole lines come from.

A regular file is cut into nominal byte ranges; whoever scans a range (any thread or
process) turns it into whole lines by the rule "a line belongs to the range holding its
first byte": both ends move forward to the next line start, found with small ``pread``
calls, and then the block is read with one ``pread``. Neighbouring ranges agree on their
common edge, so every line is scanned exactly once, and a line of many MB is read whole by
the one range it starts in. Streams (stdin, pipes, file objects) are read in order and cut
after their last newline, the remainder carried into the next block. Lines end in "\\n",
or in NUL (``sep``, for ``-z``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

__all__ = [
    "CHUNK",
    "Range",
    "line_start_at",
    "lines_blocks",
    "ranges",
    "read_range",
    "stream_blocks",
]

CHUNK = 4 << 20
"""Nominal block size: large enough to amortise a Python call, small enough that a process
stays far below 64 MB."""

_PROBE = 64 << 10


class Range(NamedTuple):
    """A nominal byte range ``[start, end)`` of the file at ``path`` of size ``size``,
    whose lines end in ``sep``."""

    path: str
    start: int
    end: int
    size: int
    sep: bytes = b"\n"


def ranges(
    path: str,
    end: int,
    chunk: int = CHUNK,
    *,
    first: int = 0,
    size: int | None = None,
    sep: bytes = b"\n",
) -> Iterator[Range]:
    """Nominal ranges covering ``[first, end)`` of a file of ``size`` bytes (default:
    ``end``), in order."""
    total = end if size is None else size
    for start in range(first, end, chunk):
        yield Range(path, start, min(start + chunk, end), total, sep)


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


def read_range(r: Range) -> tuple[int, bytes]:
    """The whole lines that start in ``r``: (absolute offset, bytes)."""
    fd = os.open(r.path, os.O_RDONLY)
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
        os.close(fd)


def stream_blocks(
    read: Callable[[int], bytes], chunk: int = CHUNK, sep: bytes = b"\n"
) -> Iterator[tuple[int, bytes]]:
    """Blocks of whole lines from ``read(n)`` (which returns b"" at the end), in order,
    each with its absolute offset. A block is yielded as soon as a read completes a line,
    so a slow pipe (``tail -f``) is answered line by line."""
    carry = b""
    base = 0
    while True:
        data = read(chunk)
        if not data:
            if carry:
                yield base, carry
            return
        if carry:
            data = carry + data
        cut = data.rfind(sep) + 1
        if cut == 0:
            carry = data
            continue
        if cut == len(data):
            carry = b""
            yield base, data
        else:
            carry = data[cut:]
            yield base, data[:cut]
        base += cut


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
