"""rxp on Spark: parse, grep and mine logs that outgrow one machine, with rxp's answers.

An optional part of rxp (``pip install 'rxp[spark]'``: pyspark, pyarrow, pandas), public
as a module of its own because ``import rxp`` never imports pyspark. Every function takes
a DataFrame of log lines (a string or binary column, ``value`` by default: what
``spark.read.text`` gives, or ``read_lines``, which also numbers the lines per file) and
runs rxp's own readers over it as Arrow batches (``mapInArrow``), so the answers are
those of ``rxp parse``, ``rxp stream`` and ``rxp mine`` on the same lines. See
``docs/spark.md``.

- ``session(master)``: a SparkSession that works from a plain virtual environment;
- ``read_lines(spark, paths)``: files (globs, ``s3a://``, ``hdfs://``) as numbered lines;
- ``parse(df, ...)``: records, as columns or as ``rxp parse``'s JSON text;
- ``grep(df, pattern, ...)``: the selected rows with their matches and groups;
- ``mine(df, ...)``: templates, merged from the partitions exactly, and each line's id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._api import SparkMining, grep, mine, parse
from ._session import session

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkMining", "grep", "mine", "parse", "read_lines", "session"]


def read_lines(spark: SparkSession, paths: Sequence[str]) -> DataFrame:
    """Every line of the files at ``paths`` (local paths, globs, or the URIs Spark reads:
    ``s3a://``, ``hdfs://``) as rows ``_file, _line, _offset, value``: ``_line`` and the
    byte ``_offset`` counted per file as ``rxp parse`` and ``rxp stream`` count them,
    ``value`` the line's bytes without its ``\\n`` (a ``\\r`` kept)."""
    from ._lines import read_lines as read

    return read(spark, paths)[0]
