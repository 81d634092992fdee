"""The functions of ``rxp.spark``: DataFrames of log lines in, rxp's answers out.

Every function here runs on the driver and only builds Spark plans (and runs the small
jobs a plan needs: the start of the input to choose how to read it, the fields' kinds, the
partial miners); the work on the lines is ``mapInArrow`` over ``_parse``, ``_grep`` and
``_mine``'s functions, a Python call per Arrow batch, never one per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from .._errors import RxpError
from ._session import require

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from .._logparse import JSONValue
    from .._logparse._parallel import ParseSpec
    from .._mine import Template
    from .._mine._miner import Miner
    from .._syntax._ast import Flavor
    from ._parse import Job

__all__ = ["SparkMining", "grep", "job_for", "mine", "parse", "parse_spec", "with_lines"]


def with_lines(df: DataFrame) -> DataFrame:
    """``df`` with a ``_line`` column: its own (``read_lines`` numbers lines per file), or
    ``monotonically_increasing_id() + 1``: unique and rising in row order, not consecutive."""
    if "_line" in df.columns:
        return df
    from pyspark.sql import functions as F

    return df.withColumn("_line", F.monotonically_increasing_id() + 1)


def parse_spec(
    format: str = "auto",
    pattern: str | None = None,
    grok: str | None = None,
    options: Mapping[str, JSONValue] | None = None,
    patterns: Sequence[tuple[str, str]] | None = None,
    flavor: Flavor = "re",
    timeout: float = 1.0,
) -> ParseSpec:
    """The reader's description, checked here on the driver (an unknown format or option,
    an invalid pattern raise ``RxpError`` before any job runs)."""
    from .._logparse._api import line_parser
    from .._logparse._parallel import ParseSpec

    opts = dict(options or {})
    if grok is not None:
        if format not in ("auto", "grok"):
            raise RxpError("give a format or grok, not both")
        format, opts["pattern"] = "grok", grok
    named = tuple(patterns) if patterns is not None else None
    line_parser(format, pattern, flavor, timeout, opts, named)
    return ParseSpec(format, pattern, flavor, timeout, opts, named)


def _head(df: DataFrame, column: str) -> bytes:
    """The first lines of ``df``, for choosing how to read it (as ``--workers`` does)."""
    data = []
    for row in df.select(column).limit(16).collect():
        value = row[0]
        data.append(value.encode() if isinstance(value, str) else bytes(value or b""))
    return b"".join(line + b"\n" for line in data)


def job_for(
    df: DataFrame, spec: ParseSpec, column: str, names: dict[str, str] | None = None
) -> Job:
    """What the workers run for ``spec`` over ``df``: how its lines are read is chosen
    from its first lines (journald's forms under ``auto`` and ``journal``), as
    ``rxp parse --workers`` chooses; ``RxpError`` for an input that is not lines."""
    from ._parse import Job, plan_of

    reads_head = (
        spec.pattern is None and spec.patterns is None and spec.format in ("auto", "journal")
    )
    head = _head(df, column) if reads_head else b""
    return Job(spec, plan_of(spec, head), column, names)


def parse(
    df: DataFrame,
    column: str = "value",
    *,
    format: str = "auto",
    pattern: str | None = None,
    grok: str | None = None,
    options: Mapping[str, JSONValue] | None = None,
    patterns: Sequence[tuple[str, str]] | None = None,
    flavor: Flavor = "re",
    timeout: float = 1.0,
    as_json: bool = False,
) -> DataFrame:
    """rxp's records of the lines in ``df[column]`` (string or binary), as ``rxp parse``
    gives them with the same ``format``/``pattern``/``grok``/``options``/``patterns``.

    ``_line`` is ``df``'s own ``_line`` column when it has one (``read_lines`` numbers
    lines per file), else a unique rising number; ``_file`` is kept when ``df`` has it.
    With ``as_json`` the result is ``_file, _line, _format, _error`` (a boolean) and
    ``json``: each record's JSON text exactly
    as ``rxp parse`` writes it (one pass). Otherwise each field is a column (``_line``,
    ``_format`` first, the rest in the order they first appear): a field whose values
    all have one JSON kind is a string, long, double or boolean column; objects, arrays,
    nulls and fields of mixed kinds hold each value's JSON text (the column's metadata
    says which: ``{"rxp.kind": "json"}``); null means the record has no such field.
    Finding the fields costs a first pass over the input."""
    require()
    spec = parse_spec(format, pattern, grok, options, patterns, flavor, timeout)
    df = with_lines(df)
    job = job_for(df, spec, column)
    from ._parse import (
        JSON_SCHEMA,
        KINDS_SCHEMA,
        field_kinds,
        json_batches,
        merge_kinds,
        spark_type,
        typed,
    )

    if as_json:
        return df.mapInArrow(partial(json_batches, job), JSON_SCHEMA)
    kinds = df.mapInArrow(partial(field_kinds, job), KINDS_SCHEMA).collect()
    fields = merge_kinds(tuple(row) for row in kinds) or [("_line", "long"), ("_format", "string")]
    keep = "_file" in df.columns
    schema = ", ".join(f"`{n.replace('`', '``')}` {spark_type(k)}" for n, k in fields)
    if keep:
        schema = "`_file` string, " + schema
    frame = df.mapInArrow(partial(typed, job, fields, keep), schema)
    from pyspark.sql import functions as F

    # each column says how it holds its field (``rxp.spark._parse.records_of`` reads it)
    columns = [F.col("_file")] if keep else []
    columns += [
        F.col(f"`{name.replace('`', '``')}`").alias(name, metadata={"rxp.kind": kind})
        for name, kind in fields
    ]
    return frame.select(*columns)


def grep(
    df: DataFrame,
    pattern: str,
    column: str = "value",
    *,
    flavor: Flavor = "re",
    ignore_case: bool = False,
    fixed_strings: bool = False,
    invert: bool = False,
    timeout: float = 1.0,
) -> DataFrame:
    """The rows of ``df`` whose ``column`` ``pattern`` selects, as ``rxp stream`` selects
    lines (the same engines and per-line time budget: a line over it is not selected),
    with every column kept and ``submatches`` added: per match its text, byte ``start``
    and ``end`` in the line and its named ``groups`` (text and span, or null), as
    ``rxp stream --json`` shows them. Text that is not UTF-8 is shown with U+FFFD."""
    require()
    from .._stream._matcher import MatcherSpec, compile_matcher
    from ._grep import SUBMATCHES, GrepJob, grep_batches

    compile_matcher(MatcherSpec(pattern, flavor, 0, ignore_case, fixed_strings), "re")  # fail here
    job = GrepJob(pattern, column, flavor, ignore_case, fixed_strings, invert, timeout)
    df = with_lines(df)
    fields = ", ".join(
        f"`{f.name.replace('`', '``')}` {f.dataType.simpleString()}" for f in df.schema.fields
    )
    return df.mapInArrow(partial(grep_batches, job), f"{fields}, submatches {SUBMATCHES}")


@dataclass(frozen=True)
class SparkMining:
    """``mine``'s answer: the templates (as ``rxp.mine_lines`` gives them), the merged
    miner (``rxp mine --state`` saves one), and ``lines``, the input with each line's
    template id in a ``template`` column (computed when read)."""

    templates: tuple[Template, ...]
    miner: Miner
    lines: DataFrame
    count: int  # the lines mined


def partial_states(df: DataFrame, column: str, format: str) -> list[Any]:
    from ._mine import PARTIALS_SCHEMA, MineJob, partial_miners

    if format not in ("auto", "message"):
        raise RxpError(f"unknown format {format!r} (choose message or auto)")
    job = MineJob(column, format)
    return list(with_lines(df).mapInArrow(partial(partial_miners, job), PARTIALS_SCHEMA).collect())


def mine(
    df: DataFrame,
    column: str = "value",
    *,
    format: str = "auto",
    order: Mapping[str, int] | None = None,
    state: Miner | None = None,
) -> SparkMining:
    """Templates of the lines in ``df[column]``: each partition mined apart, the partial
    miners merged in line order (by ``_file``, ranked by ``order`` when given, then
    ``_line``), which gives exactly the templates, ids and examples of mining the whole
    input in one pass (``rxp.mine_lines``; ``format`` as there: ``"auto"`` takes a raw
    line's header off). ``state``: a miner to extend (``rxp mine --state``)."""
    require()
    from ._mine import MineJob, merged, template_ids

    df = with_lines(df)
    ranks = dict(order or {})
    partials = partial_states(df, column, format)
    keyed = [
        ((ranks.get(p["file"] or "", 0), p["file"] or "", p["line"]), p["state"]) for p in partials
    ]
    miner = merged(keyed, state)
    templates, _ = miner.templates()
    ids = {cluster.key: cluster.template_id for cluster in miner.clusters}
    fields = ", ".join(
        f"`{f.name.replace('`', '``')}` {f.dataType.simpleString()}" for f in df.schema.fields
    )
    lines = df.mapInArrow(
        partial(template_ids, MineJob(column, format), ids), f"{fields}, template string"
    )
    return SparkMining(templates, miner, lines, sum(int(p["lines"]) for p in partials))
