"""``rxp.scan``: the stream engine for Python callers (a service scanning logs).

The same matcher, time budget and backends as ``rxp stream``; instead of printing, it
yields one ``LineMatch`` per selected line, lazily, in input order. Closing the iterator
early stops the workers.
"""

from __future__ import annotations

import errno
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from .._syntax._ast import Flavor
from ._backends import Backend
from ._engine import scanned
from ._inputs import Failed, Input
from ._matcher import MatcherSpec, compile_matcher
from ._scan import ChunkOut, Line, ScanOptions
from ._source import lines_blocks, open_input, stream_blocks

__all__ = ["LineMatch", "ScanTimeoutWarning", "SkippedLine", "Submatch", "scan"]

Source = str | os.PathLike[str] | BinaryIO | Iterable[bytes] | Iterable[str]


@dataclass(frozen=True, slots=True)
class Submatch:
    """One match in a line: byte offsets in the line, the matched bytes, and every
    group (numbered from 1; None when it did not take part) with its span, and by name."""

    start: int
    end: int
    text: bytes
    groups: tuple[bytes | None, ...]
    spans: tuple[tuple[int, int] | None, ...]
    named: Mapping[str, bytes | None]


@dataclass(frozen=True, slots=True)
class LineMatch:
    """A selected line: its 1-based number, byte offset in the input, the line's bytes
    (without its newline) and its matches (none for a line selected by ``invert``)."""

    path: str | None
    line_number: int
    offset: int
    line: bytes
    submatches: tuple[Submatch, ...]

    @property
    def text(self) -> str:
        """The line decoded as UTF-8 (invalid bytes replaced)."""
        return self.line.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class SkippedLine:
    """A line whose match ran out of its time budget and was skipped."""

    path: str | None
    line_number: int
    offset: int


class ScanTimeoutWarning(RuntimeWarning):
    """Issued for a skipped line when ``scan`` is given no ``on_timeout`` callback."""


def _input(source: Source) -> Input:
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        return Input(path, path)
    read = getattr(source, "read", None)
    if callable(read):
        name = getattr(source, "name", None)
        return Input(name if isinstance(name, str) else "<stream>", None, stream_blocks(read))
    lines: Iterable[bytes | str] = source
    return Input("<lines>", None, lines_blocks(lines))


def _match(line: Line, names: Mapping[str, int]) -> tuple[Submatch, ...]:
    out = []
    text = line.text
    for start, end, spans in line.subs:
        groups = tuple(None if s < 0 else text[s:e] for s, e in spans)
        out.append(
            Submatch(
                start=start,
                end=end,
                text=text[start:end],
                groups=groups,
                spans=tuple(None if s < 0 else (s, e) for s, e in spans),
                named={name: groups[index - 1] for name, index in names.items()},
            )
        )
    return tuple(out)


def scan(
    pattern: str,
    source: Source,
    *,
    flavor: Flavor = "re",
    flags: int = 0,
    ignore_case: bool = False,
    fixed_strings: bool = False,
    invert: bool = False,
    max_count: int | None = None,
    timeout: float = 1.0,
    backend: Backend = "sync",
    workers: int | None = None,
    on_timeout: Callable[[SkippedLine], None] | None = None,
) -> Iterator[LineMatch]:
    """Yield the lines of ``source`` that ``pattern`` matches (or, with ``invert``, does
    not match), as grep selects them, in order.

    ``source`` is a path, a binary file object, or an iterable of lines (bytes, or str
    encoded as UTF-8; one trailing newline per item is optional). The pattern is compiled
    as a bytes pattern from its UTF-8 encoding (ASCII ``\\w``/``\\d``/``\\s``/``-i``), with
    ``flags`` from ``re`` (``re.IGNORECASE``...). Each line's match gets ``timeout`` seconds
    (0: unlimited); a line over budget is skipped and passed to ``on_timeout`` (default: a
    ``ScanTimeoutWarning``). Raises ``PatternError`` for an invalid pattern and ``OSError``
    for an unreadable path, before yielding anything.
    """
    spec = MatcherSpec(pattern, flavor, flags, ignore_case, fixed_strings)
    matcher = compile_matcher(spec, "re")
    item = _input(source)
    if item.path is not None:  # opened here, once, so that OSError comes before any line
        opened = open_input(item.path)
        if opened.is_dir:
            os.close(opened.fd)
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), item.path)
        item = item._replace(opened=opened)
        if max_count == 0:
            os.close(opened.fd)
    if max_count == 0:
        return
    options = ScanOptions(
        invert=invert, max_count=max_count, spans=True, groups=True, numbers=True, timeout=timeout
    )
    results = scanned(spec, options, [item], lambda _: False, backend=backend, workers=workers or 1)
    path = item.path if item.path is not None else None
    base = 0
    count = 0
    try:
        for out in results:
            if isinstance(out, Failed) and out.cause is not None:
                raise out.cause
            if not isinstance(out, ChunkOut):
                continue
            for row, offset in out.timeouts:
                number = base + row + 1  # ``numbers`` is on: every row is known
                skipped = SkippedLine(path, number, offset)
                if on_timeout is not None:
                    on_timeout(skipped)
                else:
                    warnings.warn(
                        f"line {number} skipped: matching took over {timeout:g}s",
                        ScanTimeoutWarning,
                        stacklevel=2,
                    )
            for line in out.lines:
                if not line.selected:
                    continue
                yield LineMatch(
                    path, base + line.row + 1, line.offset, line.text, _match(line, matcher.names)
                )
                count += 1
                if max_count is not None and count >= max_count:
                    return
            base += out.newlines or 0
    finally:
        results.close()
