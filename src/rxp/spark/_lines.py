"""Log files as a DataFrame of numbered lines: what ``rxp parse FILE`` sees, read by Spark.

Spark's text reader splits a file into blocks and loses line numbers; rxp's records carry
them (``_line``), and ``rxp stream --json`` carries byte offsets. So the lines are counted
in two steps: the JVM counts each block's lines and bytes (``_metadata.file_block_start``
names the block; no Python), the driver sums the counts into each block's first line and
offset, and a vectorised Arrow pass numbers the lines of each block from there. Within a
block Spark reads lines in file order, so the numbers are exactly those of the file.

Lines are split on ``\\n`` alone and kept as bytes (``value`` is binary): a ``\\r`` and
bytes that are not UTF-8 reach rxp's readers as they do locally.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._errors import RxpError

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["LINES_SCHEMA", "Inputs", "absolute", "display_name", "read_lines"]

LINES_SCHEMA = "_file string, _line long, _offset long, value binary"


@dataclass(frozen=True)
class Inputs:
    """What the driver knows of the files read: their order and the names to show."""

    order: dict[str, int]  # Spark's file path -> rank (the order rxp reads them locally)
    names: dict[str, str]  # Spark's file path -> the name given on the command line


def display_name(path: str, given: Sequence[str]) -> str:
    """How a file Spark read is named in output: the argument that named it, when one did
    (``logs/a.log``, as local output shows it), else its local path or its URI."""
    local = _local(path)
    for name in given:
        literal = "://" not in name and not glob.has_magic(name)
        if literal and local is not None and os.path.abspath(name) == local:
            return name
    return local if local is not None else path


def _local(path: str) -> str | None:
    """The local path of Spark's ``file:`` URI (percent-escapes undone), else None."""
    if not path.startswith("file:"):
        return None
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(path).path)


def absolute(path: str) -> str:
    """``path`` for the JVM: a relative local path is the caller's, and the JVM's working
    directory may be another (a URI, ``s3a://...``, stays as it is)."""
    return path if ":" in path.split("/", 1)[0] else os.path.abspath(path)


def _ranked(paths: Sequence[str], given: Sequence[str]) -> dict[str, int]:
    """Files in the order the arguments name them (a glob's matches sorted, as a shell's)."""

    def key(path: str) -> tuple[int, str]:
        local = _local(path)
        for index, name in enumerate(given):
            literal = "://" not in name and not glob.has_magic(name)
            if literal and local is not None and os.path.abspath(name) == local:
                return (index, path)
        return (len(given), path)

    return {path: rank for rank, path in enumerate(sorted(paths, key=key))}


def read_lines(spark: SparkSession, paths: Sequence[str]) -> tuple[DataFrame, Inputs]:
    """Every line of the files (paths, globs or URIs Spark's readers take: ``s3a://``,
    ``hdfs://``, local) as rows ``_file, _line, _offset, value``, numbered per file as
    ``rxp parse`` numbers them; and what ``Inputs`` the driver knows of them. Raises
    ``RxpError`` when a path matches no file."""
    from pyspark.errors import AnalysisException
    from pyspark.sql import functions as F

    where = [absolute(p) for p in paths]
    try:
        raw = spark.read.text(where, lineSep="\n").select(
            F.col("_metadata.file_path").alias("_file"),
            F.col("_metadata.file_block_start").alias("_block"),
            F.col("value").cast("binary").alias("value"),
        )
        counts = (
            raw.groupBy("_file", "_block")
            .agg(F.count("*").alias("lines"), F.sum(F.length("value") + 1).alias("bytes"))
            .collect()
        )
    except AnalysisException as exc:
        reason = str(exc).strip().splitlines()[0]
        raise RxpError(f"cannot read {', '.join(paths)}: {reason}") from None
    starts: dict[tuple[str, int], tuple[int, int]] = {}
    running: dict[str, tuple[int, int]] = {}
    for row in sorted(counts, key=lambda r: (r["_file"], r["_block"])):
        line, offset = running.get(row["_file"], (1, 0))
        starts[(row["_file"], row["_block"])] = (line, offset)
        running[row["_file"]] = (line + row["lines"], offset + (row["bytes"] or 0))
    files = sorted(running)
    inputs = Inputs(_ranked(files, paths), {f: display_name(f, paths) for f in files})

    def number(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return _numbered(batches, starts)

    return raw.mapInArrow(number, LINES_SCHEMA), inputs


def _numbered(
    batches: Iterator[pa.RecordBatch], starts: dict[tuple[str, int], tuple[int, int]]
) -> Iterator[pa.RecordBatch]:
    """Each batch's lines with their numbers and offsets: a block's lines arrive in order,
    possibly over several batches, so each block's next line and offset are carried on."""
    import pyarrow as pa
    import pyarrow.compute as pc

    carried: dict[tuple[str, int], tuple[int, int]] = {}
    for batch in batches:
        files = batch.column("_file")
        blocks = batch.column("_block")
        values = batch.column("value")
        if batch.num_rows == 0:
            continue
        # runs of rows of one block (a partition holds whole blocks, one after another)
        keys = list(zip(files.to_pylist(), blocks.to_pylist(), strict=True))
        lines: list[pa.Array] = []
        offsets: list[pa.Array] = []
        begin = 0
        for end in range(1, len(keys) + 1):
            if end < len(keys) and keys[end] == keys[begin]:
                continue
            key = keys[begin]
            line, offset = carried.get(key) or starts[key]
            count = end - begin
            sizes = pc.add(pc.binary_length(values.slice(begin, count)), 1).cast(pa.int64())
            ends = pc.cumulative_sum(sizes)
            offsets.append(pc.add(pc.subtract(ends, sizes), offset))
            lines.append(pa.array(range(line, line + count), pa.int64()))
            total = ends[-1].as_py() if count else 0
            carried[key] = (line + count, offset + total)
            begin = end
        yield pa.RecordBatch.from_arrays(
            [files, pa.concat_arrays(lines), pa.concat_arrays(offsets), values],
            names=["_file", "_line", "_offset", "value"],
        )
