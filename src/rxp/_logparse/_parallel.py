"""``rxp parse --workers N``: cutting an input into chunks whose records can be read apart.

The core of the parallel parse, with no processes in it (the pool lives at the edge, in
``cli/parse.py``): ``chunks`` cuts a binary stream into blocks of whole lines, each with the
number of its first line, and ``chunk_records`` reads one block into exactly the records
``parse_stream`` gives those lines, ``_line`` numbers included. So N workers that each run
``chunk_records`` on their blocks, with the results written in block order, give output
byte-identical to one worker.

Which inputs may be cut (``plan``, decided from the start of the stream as ``parse_stream``
decides how to read it):

- line formats (``auto``, ``logfmt``, ``--pattern``, ``--patterns``, ...): any newline is a
  boundary;
- ``journal`` on ``short*`` text: a record can span lines (an indented continuation joins
  the record above it), so a block ends only just before a line that is itself a journald
  record, where the joining would have cut anyway: the blocks align to record boundaries;
- ``journalctl -o export`` / ``-o json-pretty`` / ``-o json-seq`` (an entry over many lines)
  and document formats (``xml``, ``yaml``: the whole input is one record): not cut; these
  are read by one worker, as ``parse_stream`` reads them.

Memory stays flat: a block is about ``size`` bytes (a longer line makes a longer block),
and the caller keeps a bounded window of blocks in flight.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Literal, TypeAlias, cast

from .._syntax._ast import Flavor
from ._api import (
    _EXPORT_FIELD,
    _EXPORT_START,
    _JSON_PRETTY,
    _join_continuations,
    _Prefixed,
    _records,
    parse_lines,
)
from ._api import _parser as _build_parser
from ._options import Options
from ._records import Record

__all__ = [
    "BLOCK",
    "Chunk",
    "ParseSpec",
    "Plan",
    "chunk_records",
    "chunks",
    "plan",
    "rejoin",
]

BLOCK = 4 << 20
"""Bytes per block: large enough that a worker's per-block cost (a pickled job, a parser
looked up) vanishes, small enough that N workers' windows of blocks stay a few dozen MB."""

Plan: TypeAlias = Literal["lines", "journal", "whole"]


@dataclass(frozen=True)
class ParseSpec:
    """What a worker needs to build its parser (picklable: names and texts, no objects)."""

    format: str = "auto"
    pattern: str | None = None
    flavor: Flavor = "re"
    timeout: float = 1.0
    options: Options = field(default_factory=dict)
    patterns: tuple[tuple[str, str], ...] | None = None  # --patterns FILE's (name, regex)


@dataclass(frozen=True)
class Chunk:
    """Whole lines of one input: ``data`` ends with a newline (but for the input's last
    line), ``first_line`` is the 1-based number of its first line in that input."""

    first_line: int
    data: bytes


def plan(spec: ParseSpec, head: bytes) -> Plan:
    """How an input that starts with ``head`` may be cut (see the module docstring)."""
    _, document = _build_parser(
        spec.format, spec.pattern, spec.flavor, spec.timeout, spec.options, spec.patterns
    )
    if document:
        return "whole"
    if spec.pattern is None and spec.patterns is None and spec.format in ("journal", "auto"):
        body = head.lstrip(b"\n")
        if _EXPORT_START.match(body) or (spec.format == "journal" and _EXPORT_FIELD.match(body)):
            return "whole"
        if (spec.format == "journal" and body[:1] in (b"{", b"\x1e")) or _JSON_PRETTY.match(body):
            return "whole"
    if spec.pattern is None and spec.format == "journal":
        return "journal"
    return "lines"


def _is_record_start(line: bytes) -> bool:
    from ._journal import parse_journal_line

    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return parse_journal_line(text.removesuffix("\n").removesuffix("\r")) is not None


def chunks(read: Callable[[int], bytes], plan: Plan, size: int = BLOCK) -> Iterator[Chunk]:
    """Blocks of whole lines from ``read(n)`` (``b""`` at the end), in order, each about
    ``size`` bytes, with the number of its first line. Under ``journal`` a block ends just
    before a line that is a journald record (the continuation rule; see the docstring).
    Linear in the input: a line longer than a read is kept in parts until it ends, and each
    newline is counted once."""
    line = 1
    parts: list[bytes] = []  # bytes read but not yet in a block
    while True:
        data = read(size)
        if not data:
            if parts:
                yield Chunk(line, b"".join(parts))
            return
        parts.append(data)
        if b"\n" not in data:
            continue
        buffer = b"".join(parts) if len(parts) > 1 else data
        cut = _cut(buffer, plan)
        parts = [buffer[cut:]] if cut < len(buffer) else []
        if cut > 0:
            block = buffer[:cut]
            yield Chunk(line, block)
            line += block.count(b"\n")


def _cut(buffer: bytes, plan: Plan) -> int:
    """Where a block may end in ``buffer`` (0: not yet): after its last newline, or under
    ``journal`` before the last line that starts a record."""
    end = buffer.rfind(b"\n") + 1
    if plan != "journal" or end == 0:
        return end
    # walk back over whole lines until one starts a record: the block ends before it
    stop = end
    while stop > 0:
        start = buffer.rfind(b"\n", 0, stop - 1) + 1
        if start > 0 and _is_record_start(buffer[start:stop]):
            return start
        stop = start
    return 0


def chunk_records(spec: ParseSpec, chunk: Chunk, plan: Plan = "lines") -> Iterator[Record]:
    """The records of ``chunk``'s lines, exactly as ``parse_stream`` gives them for these
    lines of the input (``_line`` counted from ``chunk.first_line``)."""
    items = chunk.data.split(b"\n")  # each record strips its newline: none to keep
    if items[-1] == b"":
        items.pop()
    if plan == "journal":
        from ._auto import parse_journal_text

        shift = chunk.first_line - 1
        numbered = ((n + shift, text) for n, text in _join_continuations(items))
        return _records(parse_journal_text, "journal", numbered)
    return parse_lines(
        items,
        format=spec.format,
        pattern=spec.pattern,
        flavor=spec.flavor,
        start=chunk.first_line,
        timeout=spec.timeout,
        options=spec.options,
        patterns=spec.patterns,
    )


def rejoin(head: bytes, stream: BinaryIO) -> BinaryIO:
    """``head`` (read off the start of ``stream`` to choose a plan) put back in front of
    the rest of ``stream``, for the inputs read whole by one worker."""
    return cast(BinaryIO, io.BufferedReader(_Prefixed(head, stream), 1 << 16))
