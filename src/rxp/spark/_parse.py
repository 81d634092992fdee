"""``rxp.spark.parse``: rxp's records from a DataFrame of lines, as Arrow batches.

The records are exactly ``rxp parse``'s: each run of consecutive lines (``_runs``) goes
through the same reader the single process uses (``parse_lines``; journald's text with its
continuation lines; ``journalctl -o json`` entries), with ``_line`` counted from the run's
first line. Two shapes come out:

- JSON: a ``json`` column holding each record as ``rxp parse`` writes it, byte for byte
  (what ``--engine spark`` prints and writes as JSON Lines);
- columns: the fields as columns. Records of a format have no fixed fields, so a first
  pass collects every field's name and the kinds of its values, and the second builds the
  columns: a field whose values are all strings, all integers (64-bit), all finite
  floats or all booleans gets that type; any other field (objects, arrays, nulls, mixed
  kinds) holds each value's JSON text. A null column means the record has no such field,
  so nothing is dropped and each record comes back exactly (``records_of``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._errors import RxpError
from .._logparse._jsonl import encoder
from .._logparse._parallel import ParseSpec
from ._runs import Run, batched, rows, runs

if TYPE_CHECKING:
    import pyarrow as pa

    from .._logparse import Record

__all__ = [
    "JSON_SCHEMA",
    "Job",
    "Kind",
    "field_kinds",
    "json_batches",
    "kinds_of",
    "plan_of",
    "records_of",
    "typed",
]

JSON_SCHEMA = "_file string, _line long, _format string, _error boolean, json string"
Kind = str  # "string" | "long" | "double" | "boolean" | "json"
_ARROW = {"string": "string", "long": "int64", "double": "float64", "boolean": "bool_"}


@dataclass(frozen=True)
class Job:
    """What a Python worker needs (picklable): the reader, how the lines are read, which
    column holds them, and (the CLI, several files) each file's name for ``_file``."""

    spec: ParseSpec
    plan: str  # "lines", "journal" (continuation lines joined) or "journal_json"
    column: str = "value"
    names: dict[str, str] | None = None


def plan_of(spec: ParseSpec, head: bytes) -> str:
    """How the lines are read, from the start of the input (``_parallel.plan``'s choice);
    ``RxpError`` for the inputs a single process reads whole (export, json-pretty, a
    document format): they are not lines."""
    from .._logparse._api import _JSON_PRETTY
    from .._logparse._parallel import plan

    how = plan(spec, head)
    if how != "whole":
        return how
    body = head.lstrip(b"\n")
    if spec.format == "journal" and body[:1] == b"{" and not _JSON_PRETTY.match(body):
        return "journal_json"  # journalctl -o json: an entry a line
    raise RxpError(
        "the Spark engine reads lines: journalctl -o export, -o json-pretty and document "
        "formats are read whole (use journalctl -o json, or rxp parse without --engine spark)"
    )


def _line(record: Record) -> int:
    number = record["_line"]
    assert isinstance(number, int)
    return number


class _Lines(io.RawIOBase):
    """A run's lines as a binary stream (newlines put back), for journald's JSON reader."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self._lines = lines
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            line = next(self._lines, None)
            if line is None:
                return 0
            self._rest = line + b"\n"
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


def _run_records(job: Job, run: Run) -> Iterator[Record]:
    """The records of one run, as ``parse_stream`` gives them for these lines."""
    from .._logparse._api import _join_continuations, _journal_entries, _records, parse_lines

    values = (row.data for row in run.rows)
    shift = run.first - 1
    spec = job.spec
    if job.plan == "journal":
        from .._logparse._auto import parse_journal_text

        numbered = ((n + shift, text) for n, text in _join_continuations(values))
        yield from _records(parse_journal_text, "journal", numbered)
    elif job.plan == "journal_json":
        stream = io.BufferedReader(_Lines(values), 1 << 16)
        for record in _journal_entries(stream, export=False):
            record["_line"] = _line(record) + shift
            yield record
    else:
        yield from parse_lines(
            values,
            format=spec.format,
            pattern=spec.pattern,
            flavor=spec.flavor,
            start=run.first,
            timeout=spec.timeout,
            options=spec.options,
            patterns=spec.patterns,
        )


def _records(job: Job, batches: Iterable[pa.RecordBatch]) -> Iterator[tuple[str | None, Record]]:
    for run in runs(rows(batches, job.column)):
        for record in _run_records(job, run):
            yield run.file, record


def json_batches(job: Job, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``JSON_SCHEMA`` batches: each record's file, line, format, whether it has an error,
    and its JSON text (with ``_file``
    first when ``job.names`` labels the files, as ``rxp parse`` does for several)."""
    import pyarrow as pa

    encode = encoder()
    names = job.names

    def build(chunk: list[tuple[str | None, Record]]) -> pa.RecordBatch:
        texts = []
        for file, record in chunk:
            data = encode(record)
            if names is not None and file is not None:
                data = b'{"_file":' + encode(names.get(file, file)) + b"," + data[1:]
            texts.append(data.decode("utf-8"))
        return pa.RecordBatch.from_arrays(
            [
                pa.array([file for file, _ in chunk], pa.string()),
                pa.array([record["_line"] for _, record in chunk], pa.int64()),
                pa.array([str(record["_format"]) for _, record in chunk], pa.string()),
                pa.array(["_error" in record for _, record in chunk], pa.bool_()),
                pa.array(texts, pa.string()),
            ],
            names=["_file", "_line", "_format", "_error", "json"],
        )

    return batched(_records(job, batches), build)


def _kind(value: object) -> Kind:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long" if -(1 << 63) <= value < (1 << 63) else "json"
    if isinstance(value, float):
        return "double" if value - value == 0 else "json"
    return "string" if isinstance(value, str) else "json"


def field_kinds(job: Job, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The first pass: each field seen in this partition, its kind, and where it was first
    seen (file, line, place in the record), for the column order."""
    import pyarrow as pa

    seen: dict[str, tuple[Kind, str, int, int]] = {}
    for file, record in _records(job, batches):
        for place, (name, value) in enumerate(record.items()):
            kind = _kind(value)
            had = seen.get(name)
            if had is None:
                seen[name] = (kind, file or "", _line(record), place)
            elif had[0] != kind and had[0] != "json":
                seen[name] = ("json", *had[1:])
    items = list(seen.items())
    yield pa.RecordBatch.from_arrays(
        [
            pa.array([n for n, _ in items], pa.string()),
            pa.array([k for _, (k, *_) in items], pa.string()),
            pa.array([v[1] for _, v in items], pa.string()),
            pa.array([v[2] for _, v in items], pa.int64()),
            pa.array([v[3] for _, v in items], pa.int64()),
        ],
        names=["name", "kind", "file", "line", "place"],
    )


KINDS_SCHEMA = "name string, kind string, file string, line long, place long"


def merge_kinds(rows: Iterable[tuple[str, Kind, str, int, int]]) -> list[tuple[str, Kind]]:
    """The partitions' kinds as one list of columns, in the order fields first appear."""
    merged: dict[str, tuple[Kind, tuple[str, int, int]]] = {}
    for name, kind, file, line, place in rows:
        had = merged.get(name)
        if had is None:
            merged[name] = (kind, (file, line, place))
            continue
        where = min(had[1], (file, line, place))
        merged[name] = (had[0] if had[0] == kind else "json", where)
    first = ("_line", "_format")
    order = sorted(
        merged, key=lambda n: (n not in first, first.index(n) if n in first else 0, merged[n][1])
    )
    return [(name, merged[name][0]) for name in order]


def spark_type(kind: Kind) -> str:
    return {"string": "string", "long": "long", "double": "double", "boolean": "boolean"}.get(
        kind, "string"
    )


def typed(
    job: Job, fields: list[tuple[str, Kind]], keep_file: bool, batches: Iterable[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """The second pass: each record as a row of the ``fields`` columns (``_file`` first
    when ``keep_file``)."""
    import pyarrow as pa

    encode = encoder()
    types = [getattr(pa, _ARROW.get(kind, "string"))() for _, kind in fields]

    def build(chunk: list[tuple[str | None, Record]]) -> pa.RecordBatch:
        arrays = []
        names = []
        if keep_file:
            arrays.append(pa.array([file for file, _ in chunk], pa.string()))
            names.append("_file")
        for (name, kind), kind_type in zip(fields, types, strict=True):
            if kind == "json":
                column = [
                    None if name not in r else encode(r[name]).decode("utf-8") for _, r in chunk
                ]
            else:
                column = [r.get(name) for _, r in chunk]  # type: ignore[misc]
            arrays.append(pa.array(column, kind_type))
            names.append(name)
        return pa.RecordBatch.from_arrays(arrays, names=names)

    return batched(_records(job, batches), build)


def kinds_of(schema: Any) -> list[tuple[str, Kind]]:
    """The fields of ``parse``'s typed columns and their kinds, from the columns' metadata."""
    return [
        (field.name, str(field.metadata.get("rxp.kind", "string")))
        for field in schema.fields
        if field.name != "_file"
    ]


def records_of(row: dict[str, Any], fields: list[tuple[str, Kind]]) -> Record:
    """A typed row back as the record it was (fields in column order; ``_file`` left out)."""
    import json

    record: Record = {}
    for name, kind in fields:
        value = row.get(name)
        if value is None:
            continue
        record[name] = json.loads(value) if kind == "json" else value
    return record
