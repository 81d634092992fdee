"""Arrow batches in, runs of consecutive lines out, and records back into batches.

A partition holds lines in file order, a block after a block; a *run* is a stretch of one
file's consecutive lines (``_line`` counting up by one). What reads lines with memory of
the lines before (journald's continuation lines, a miner) reads one run at a time, so a
partition boundary or a second file starts afresh exactly where a local run would too.
Everything here is lazy: a partition streams through in batches.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["BATCH", "Row", "Run", "batched", "rows", "runs"]

BATCH = 4096
"""Records per output batch: Arrow's per-batch costs vanish, a batch stays small."""


@dataclass(frozen=True, slots=True)
class Row:
    file: str | None
    line: int
    data: bytes
    extra: tuple[Any, ...]  # the input's other columns, for the operations that keep them


@dataclass(frozen=True, slots=True)
class Run:
    file: str | None
    first: int
    rows: Iterator[Row]


def rows(batches: Iterable[pa.RecordBatch], column: str, keep: Sequence[str] = ()) -> Iterator[Row]:
    """Every row of ``batches``: ``_file`` (or None), ``_line``, the ``column`` as bytes
    (a string column encoded as UTF-8) and the ``keep`` columns' values."""
    for batch in batches:
        names = batch.schema.names
        count = batch.num_rows
        files = batch.column("_file").to_pylist() if "_file" in names else [None] * count
        lines = batch.column("_line").to_pylist()
        values = batch.column(column).to_pylist()
        kept = [batch.column(name).to_pylist() for name in keep]
        extras = list(zip(*kept, strict=True)) if kept else [()] * count
        for file, line, value, extra in zip(files, lines, values, extras, strict=True):
            if value is None:
                value = b""
            elif isinstance(value, str):
                value = value.encode("utf-8", "surrogatepass")
            yield Row(file, line, value, extra)


def runs(stream: Iterator[Row]) -> Iterator[Run]:
    """``stream`` cut into runs of one file's consecutive lines (each consumed in turn)."""
    current: str | None = None
    expected = -1
    number = 0

    def key(row: Row) -> int:
        nonlocal current, expected, number
        if row.file != current or row.line != expected:
            number += 1
        current, expected = row.file, row.line + 1
        return number

    for _, group in itertools.groupby(stream, key):
        first = next(group)
        yield Run(first.file, first.line, itertools.chain([first], group))  # noqa: B031 (consumed once, in turn)


def batched(
    items: Iterable[Any], build: Callable[[list[Any]], pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """``items`` ``BATCH`` at a time, each list made a batch by ``build``."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, BATCH)):
        yield build(chunk)
