"""Output in line order without a global sort: keyed lines, sorted within partitions.

A global ``orderBy`` samples its input first, and here the input is the parse itself: it
would run twice. Instead each output line is prefixed with a fixed-width key (the file's
rank and the line number, which sort as bytes), each partition is sorted on its own (no
shuffle; its lines are nearly in order already), Spark writes one text file per partition,
and the driver merges the files (``merge``) as it copies them to stdout: every key is
unique, so the merged order is the order of the inputs' lines.

A key also carries what the summary counts (a record's format and whether it has an
error; whether a grep line is a selected line), so the driver never parses the JSON.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

__all__ = ["KEYED_SCHEMA", "key", "merge", "parse_keyed", "split"]

KEYED_SCHEMA = "keyed binary"
_WIDTH = 28  # 8 digits of rank, 20 of line


def key(rank: int, line: int) -> str:
    return f"{rank:08d}{line:020d}"


def split(keyed: bytes) -> tuple[bytes, bytes]:
    """A merged line as (what the summary counts, the output line)."""
    head, _, body = keyed.partition(b"\t")
    return head[_WIDTH:], body


def _parse_keyed(
    order: dict[str, int], batches: Iterable[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa

    for batch in batches:
        files = batch.column("_file").to_pylist()
        lines = batch.column("_line").to_pylist()
        texts = batch.column("json").to_pylist()
        formats = batch.column("_format").to_pylist()
        errors = batch.column("_error").to_pylist()
        keyed = [
            f"{key(order.get(f or '', 0), n)}{int(bad)}{fmt}\t{text}".encode()
            for f, n, text, fmt, bad in zip(files, lines, texts, formats, errors, strict=True)
        ]
        yield pa.RecordBatch.from_arrays([pa.array(keyed, pa.binary())], names=["keyed"])


def parse_keyed(records: DataFrame, order: dict[str, int]) -> DataFrame:
    """``rxp.spark.parse(as_json=True)``'s records as keyed lines, sorted per partition."""
    return records.mapInArrow(partial(_parse_keyed, order), KEYED_SCHEMA).sortWithinPartitions(
        "keyed"
    )


def merge(folder: Path) -> Iterator[bytes]:
    """The lines of Spark's part files in ``folder`` (each sorted), merged in key order,
    each without its newline."""
    parts = sorted(folder.glob("part-*"))
    handles = [path.open("rb") for path in parts]
    try:
        streams = [(line.rstrip(b"\n") for line in handle) for handle in handles]
        yield from streams[0] if len(streams) == 1 else heapq.merge(*streams)
    finally:
        for handle in handles:
            handle.close()


def _grep_keyed(
    order: dict[str, int],
    names: dict[str, str],
    style: tuple[str, bool, bool],
    batches: Iterable[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """Each selected line as ``rxp stream`` prints it: a ``--json`` match message, the
    line (``-o``: each match) with ``FILE:`` and ``N:`` as grep prefixes them."""
    import json

    import pyarrow as pa

    from .._stream._sinks import _data

    how, numbered, labelled = style
    for batch in batches:
        keyed: list[bytes] = []
        columns = zip(
            batch.column("_file").to_pylist(),
            batch.column("_line").to_pylist(),
            batch.column("_offset").to_pylist(),
            batch.column("value").to_pylist(),
            batch.column("submatches").to_pylist(),
            strict=True,
        )
        for file, line, offset, value, subs in columns:
            shown = names.get(file or "", file or "")
            head = key(order.get(file or "", 0), line)
            if how == "json":
                message = {
                    "type": "match",
                    "data": {
                        "path": _data(shown.encode("utf-8", "surrogateescape")),
                        "lines": _data(value + b"\n"),
                        "line_number": line,
                        "absolute_offset": offset,
                        "submatches": [_submatch(value, sub) for sub in subs],
                    },
                }
                text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
                keyed.append(f"{head}\t{text}".encode("utf-8", "surrogatepass"))
                continue
            prefix = (f"{shown}:" if labelled else "") + (f"{line}:" if numbered else "")
            pieces = [value[s["start"] : s["end"]] for s in subs] if how == "only" else [value]
            label = prefix.encode("utf-8", "surrogateescape")
            for n, piece in enumerate(pieces):
                keyed.append(b"%s%06d\t%s%s" % (head.encode(), n, label, piece))
        yield pa.RecordBatch.from_arrays([pa.array(keyed, pa.binary())], names=["keyed"])


def _submatch(value: bytes, sub: dict[str, object]) -> dict[str, object]:
    from .._stream._sinks import _data

    start, end = int(sub["start"]), int(sub["end"])  # type: ignore[call-overload]
    out: dict[str, object] = {"match": _data(value[start:end]), "start": start, "end": end}
    groups = sub["groups"]
    assert isinstance(groups, list)
    if groups:
        out["groups"] = {
            name: None
            if span is None
            else {
                **_data(value[span["start"] : span["end"]]),
                "start": span["start"],
                "end": span["end"],
            }
            for name, span in groups
        }
    return out


def grep_keyed(
    matches: DataFrame,
    order: dict[str, int],
    names: dict[str, str],
    how: str,
    numbered: bool,
    labelled: bool,
) -> DataFrame:
    """``rxp.spark.grep``'s rows as ``rxp stream`` prints them (``how``: "json", "lines"
    or "only"), keyed and sorted per partition."""
    job = partial(_grep_keyed, order, names, (how, numbered, labelled))
    return matches.mapInArrow(job, KEYED_SCHEMA).sortWithinPartitions("keyed")
