"""``--engine spark``: the shell of ``rxp parse``, ``rxp stream`` and ``rxp mine`` on Spark.

The commands hand over what they checked (the reader, the pattern, the miner's format);
here the session starts (``rxp.spark``'s, which turns a missing extra or Java into one
error line), the files are read by Spark, and the answer is written: to ``--out`` by Spark
(a directory of part files: JSON Lines, or Parquet for a path ending in ``.parquet``), or,
on a local master, merged in line order onto stdout, where it equals the command's own
output without ``--engine spark``.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import RxpError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from .._logparse._parallel import ParseSpec
    from .._mine._miner import Miner
    from ..spark._api import SparkMining
    from ..spark._lines import Inputs
    from ._stream_run import Request

__all__ = ["ENGINES", "check", "grep_files", "mine_files", "parse_files", "stream_request"]

ENGINES = ("local", "spark")


def check(engine: str, master: str | None, out: str | None, files: list[str]) -> bool:
    """Whether the command runs on Spark; ``RxpError`` for options that need the other
    engine, or Spark without files."""
    if engine not in ENGINES:
        raise RxpError(f"unknown engine {engine!r} (choose local or spark)")
    if engine == "local":
        for name, value in (("--master", master), ("--out", out)):
            if value is not None:
                raise RxpError(f"{name} goes with --engine spark")
        return False
    if not files or "-" in files:
        raise RxpError("--engine spark reads files (paths, globs or URIs), not standard input")
    if out is None and master is not None and not master.startswith("local"):
        raise RxpError(f"on {master}, give --out: stdout is written only on a local master")
    return True


@contextlib.contextmanager
def _spark_errors() -> Iterator[None]:
    """A failed Spark job as one error line (its first), never a JVM stack trace."""
    try:
        yield
    except RxpError:
        raise
    except Exception as exc:
        module = type(exc).__module__ or ""
        if not module.startswith(("pyspark", "py4j")):
            raise
        text = str(exc).strip()
        first = next((line for line in text.splitlines() if line.strip()), type(exc).__name__)
        raise RxpError(f"the Spark job failed: {first.strip()}") from None


def _start(files: list[str], master: str | None) -> tuple[SparkSession, DataFrame, Inputs]:
    from ..spark._lines import read_lines
    from ..spark._session import session

    spark = session(master or "local[*]", "rxp")
    lines, inputs = read_lines(spark, files)
    return spark, lines, inputs


def _merged_stdout(keyed: DataFrame) -> Iterator[bytes]:
    """``keyed`` written by Spark to a temporary folder, merged back in line order."""
    from pyspark.sql import functions as F

    from ..spark._ordered import merge

    with tempfile.TemporaryDirectory(prefix="rxp-spark-") as folder:
        target = Path(folder) / "out"
        keyed.select(F.col("keyed").cast("string")).write.text(target.as_uri())
        yield from merge(target)


def parse_files(
    files: list[str], spec: ParseSpec, master: str | None, out: str | None, counted: bool = True
) -> tuple[int, Counter[str], int]:
    """``rxp parse --engine spark``: the records written; (records, per format, errors),
    which for ``--out`` cost a pass over what was written (skipped unless ``counted``)."""
    from ..spark._api import job_for
    from ..spark._lines import absolute
    from ..spark._ordered import parse_keyed, split

    formats: Counter[str] = Counter()
    total = errors = 0
    out = None if out is None else absolute(out)
    with _spark_errors():
        spark, lines, inputs = _start(files, master)
        names = inputs.names if len(inputs.order) > 1 else None
        if out is not None:
            return _parse_out(spark, lines, spec, out, names, counted)
        job = job_for(lines, spec, "value", names)
        from functools import partial

        from ..spark._parse import JSON_SCHEMA, json_batches

        records = lines.mapInArrow(partial(json_batches, job), JSON_SCHEMA)
        write = sys.stdout.buffer.write
        for line in _merged_stdout(parse_keyed(records, inputs.order)):
            info, body = split(line)
            write(body + b"\n")
            total += 1
            errors += info[:1] == b"1"
            formats[info[1:].decode()] += 1
    sys.stdout.buffer.flush()
    return total, formats, errors


def _parse_out(
    spark: SparkSession, lines: DataFrame, spec: ParseSpec, out: str, names: Any, counted: bool
) -> tuple[int, Counter[str], int]:
    """Records to ``out`` (Parquet for ``.parquet``, else JSON Lines), then counted there."""
    from pyspark.sql import functions as F

    from ..spark._api import parse

    common: dict[str, Any] = {
        "format": spec.format,
        "pattern": spec.pattern,
        "options": spec.options,
        "patterns": spec.patterns,
        "flavor": spec.flavor,
        "timeout": spec.timeout,
    }
    counts: list[Any]
    if out.rstrip("/").endswith(".parquet"):
        frame = parse(lines, **common)
        frame.write.parquet(out)
        if not counted:
            return 0, Counter(), 0
        written = spark.read.parquet(out)
        error = F.col("_error").isNotNull() if "_error" in written.columns else F.lit(False)
        counts = written.groupBy("_format").agg(F.count("*"), F.sum(error.cast("long"))).collect()
    else:
        from functools import partial

        from ..spark._api import job_for
        from ..spark._parse import JSON_SCHEMA, json_batches

        job = job_for(lines, spec, "value", names)
        records = lines.mapInArrow(partial(json_batches, job), JSON_SCHEMA)
        records.select("json").write.text(out)
        if not counted:
            return 0, Counter(), 0
        text = spark.read.text(out)
        fmt = F.get_json_object("value", "$._format")
        bad = F.get_json_object("value", "$._error").isNotNull().cast("long")
        counts = text.groupBy(fmt).agg(F.count("*"), F.sum(bad)).collect()
    formats: Counter[str] = Counter({str(row[0]): int(row[1]) for row in counts})
    return sum(formats.values()), formats, sum(int(row[2] or 0) for row in counts)


def grep_files(
    files: list[str],
    pattern: str,
    master: str | None,
    out: str | None,
    *,
    flavor: str,
    ignore_case: bool,
    fixed_strings: bool,
    invert: bool,
    timeout: float,
    how: str,
    numbered: bool,
    labelled: bool | None,
) -> int:
    """``rxp stream --engine spark``: the selected lines (``how``: "json" match messages,
    "lines", or "only" the matches) on stdout in line order, or the matching rows with
    their ``submatches`` to ``--out``; grep's exit status."""
    from ..spark import grep
    from ..spark._lines import absolute
    from ..spark._ordered import grep_keyed, split

    found = 0
    out = None if out is None else absolute(out)
    with _spark_errors():
        spark, lines, inputs = _start(files, master)
        dialect: Any = "regex" if flavor == "regex" else "re"
        matches = grep(
            lines,
            pattern,
            flavor=dialect,
            ignore_case=ignore_case,
            fixed_strings=fixed_strings,
            invert=invert,
            timeout=timeout,
        )
        if out is not None:
            if out.rstrip("/").endswith(".parquet"):
                matches.write.parquet(out)
            else:
                matches.write.json(out)
            return 0 if spark.read.text(out).limit(1).count() else 1
        label = labelled if labelled is not None else len(inputs.order) > 1
        keyed = grep_keyed(matches, inputs.order, inputs.names, how, numbered, label)
        write = sys.stdout.buffer.write
        for line in _merged_stdout(keyed):
            write(split(line)[1] + b"\n")
            found += 1
    sys.stdout.buffer.flush()
    return 0 if found else 1


def mine_files(files: list[str], format: str, master: str | None, state: Miner) -> SparkMining:
    """``rxp mine --engine spark``: the files mined on Spark into ``state`` (a new miner,
    or the one ``--state`` loaded), exactly as one pass over them would."""
    from ..spark import mine

    with _spark_errors():
        _, lines, inputs = _start(files, master)
        return mine(lines, format=format, order=inputs.order, state=state)


_STREAM_ONLY_LOCAL = (
    ("count", "-c"),
    ("max_count", "-m"),
    ("quiet", "-q"),
    ("after", "-A"),
    ("before", "-B"),
    ("passthru", "--passthru"),
    ("journal", "--journal"),
    ("backend", "--backend"),
    ("workers", "--workers"),
    ("chunk", "--chunk-size"),
    ("explain_plan", "--explain-plan"),
    ("word_regexp", "-w"),
    ("line_regexp", "-x"),
    ("regexp", "-e"),
    ("pattern_file", "-f"),
    ("list_files", "-l/-L"),
    ("byte_offset", "-b"),
    ("null_data", "-z"),
    ("null", "-Z"),
    ("recursive", "-r"),
    ("file_globs", "--include/--exclude"),
    ("exclude_dir", "--exclude-dir"),
    ("label", "--label"),
)


def stream_request(req: Request) -> int:
    """``rxp stream --engine spark``: PATTERN over FILEs, printed as ``rxp stream`` prints
    (lines, ``-n``, ``-H``/``-h``, ``-o``, ``--json``'s match messages) or to ``--out``."""
    default = type(req)(pattern=None, files=[])
    for field, spelling in _STREAM_ONLY_LOCAL:
        if getattr(req, field) != getattr(default, field):
            raise RxpError(f"{spelling} does not go with --engine spark")
    check(req.engine, req.master, req.out, req.files)
    assert req.pattern is not None
    how = "json" if req.as_json else "only" if req.only_matching else "lines"
    return grep_files(
        req.files,
        req.pattern,
        req.master,
        req.out,
        flavor=req.flavor,
        ignore_case=req.ignore_case,
        fixed_strings=req.fixed_strings,
        invert=req.invert,
        timeout=req.timeout,
        how=how,
        numbered=req.line_number,
        labelled=req.with_filename,
    )
