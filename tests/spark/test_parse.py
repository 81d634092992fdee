"""``rxp.spark.parse`` gives ``rxp parse``'s records: for every line format (on VRL's own
cases and a line no format reads), a pattern with groups, named patterns, ``auto`` on
mixed logs, and as typed columns too; the files cut into many small blocks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from rxp._logparse._formats import FORMAT_NAMES, build_parser, format_spec

from .helpers import by_line, lines_frame, local_records, spark_records

VRL = Path(__file__).parents[1] / "logparse" / "vrl"
LOGHUB = Path(__file__).parents[1] / "mine" / "data"
JUNK = "}{ this line is no format's ]] \\x"


def _cases(fmt: str) -> tuple[dict[str, Any], list[str]]:
    """The options and one-line inputs of the largest group of VRL's cases for ``fmt``
    that share their options (no options first)."""
    table = VRL / f"parse_{fmt}.json"
    if not table.exists():
        return {}, []
    groups: dict[str, list[str]] = {}
    for case in json.loads(table.read_text(encoding="utf-8"))["cases"]:
        text = case.get("input")
        if isinstance(text, str) and "\n" not in text and "\r" not in text:
            groups.setdefault(json.dumps(case.get("options") or {}, sort_keys=True), []).append(
                text
            )
    if not groups:
        return {}, []
    best = max(groups, key=lambda k: (k == "{}", len(groups[k])))
    return json.loads(best), groups[best]


def _line_formats() -> list[str]:
    names = []
    for name in FORMAT_NAMES:
        spec = format_spec(name)
        options, _ = _cases(name)
        if spec.name != name or name == "auto":
            continue  # an alias; auto has its own test
        try:
            document = build_parser(name, options)[1]
        except Exception:  # a format that needs options its VRL table does not give
            document = False
        if not document:
            names.append(name)
    return names


LINE_FORMATS = _line_formats()
GROK = "%{IPORHOST:client} %{USER:ident} %{USER:auth} \\[%{HTTPDATE:ts}\\] %{GREEDYDATA:rest}"
OPTIONS: dict[str, dict[str, Any]] = {"grok": {"pattern": GROK}}


def _same(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    def texts(records: list[dict[str, Any]]) -> Counter[str]:
        return Counter(json.dumps(r, sort_keys=True) for r in records)

    assert texts(ours) == texts(theirs)  # the same records, as multisets
    assert by_line(ours) == by_line(theirs)  # and the same on each line


def test_the_line_formats_are_every_format_but_the_documents() -> None:
    documents = {"xml", "yaml", "aws_cloudwatch_log_subscription_message"}
    assert (
        set(LINE_FORMATS)
        == {n for n in FORMAT_NAMES if format_spec(n).name == n and n != "auto"} - documents
    )


def _inputs(fmt: str) -> tuple[dict[str, Any], list[str]]:
    options, inputs = _cases(fmt)
    options = OPTIONS.get(fmt, options)
    if fmt == "grok" or not inputs:
        inputs = list((LOGHUB / "Apache.log").read_text().splitlines()[:20])
        inputs += ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326']
    return options, [*(inputs * (1 + 60 // len(inputs)))[:80], JUNK, ""]


def _by_file(jobs: dict[str, Any], batches: Any) -> Any:
    """Each file's lines parsed with its own format's job: the worker function of
    ``rxp.spark.parse(as_json=True)`` (``json_batches``), given each file's rows."""
    import pyarrow.compute as pc

    from rxp.spark._parse import json_batches

    for batch in batches:
        for file in set(batch.column("_file").to_pylist()):
            rows = batch.filter(pc.equal(batch.column("_file"), file))
            yield from json_batches(jobs[file], [rows])


@pytest.fixture(scope="module")
def every_format(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each line format's records, Spark's and the local ones, from one Spark job: every
    format's file is read with the others and parsed with its own format (a job costs
    about a second here, and a union of a plan per format scans every file per format)."""
    from functools import partial

    from rxp.spark._api import parse_spec
    from rxp.spark._lines import read_lines
    from rxp.spark._parse import JSON_SCHEMA, Job

    folder = tmp_path_factory.mktemp("formats")
    paths = {}
    for fmt in LINE_FORMATS:
        paths[fmt] = folder / f"{fmt}.log"
        paths[fmt].write_text("\n".join(_inputs(fmt)[1]) + "\n", encoding="utf-8")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "8192")
    try:
        lines, inputs = read_lines(spark, [str(p) for p in paths.values()])
        names = {str(p): f for f, p in paths.items()}
        fmt_of = {uri: names[name] for uri, name in inputs.names.items()}
        jobs = {
            uri: Job(parse_spec(fmt, options=_inputs(fmt)[0]), "lines")
            for uri, fmt in fmt_of.items()
        }
        rows = lines.mapInArrow(partial(_by_file, jobs), JSON_SCHEMA).collect()
    finally:
        spark.conf.set("spark.sql.files.maxPartitionBytes", "4096")
    ours: dict[str, list[dict[str, Any]]] = {fmt: [] for fmt in paths}
    for row in rows:
        ours[fmt_of[row["_file"]]].append(json.loads(row["json"]))
    return {
        fmt: (ours[fmt], local_records(path, format=fmt, options=_inputs(fmt)[0]))
        for fmt, path in paths.items()
    }


@pytest.mark.parametrize("fmt", LINE_FORMATS)
def test_every_line_format_gives_the_local_records(every_format: Any, fmt: str) -> None:
    ours, theirs = every_format[fmt]
    assert theirs
    _same(ours, theirs)


def test_bad_lines_keep_their_error(every_format: Any) -> None:
    # the line no format reads: most formats say why, and Spark's record says the same
    def junk(records: list[dict[str, Any]]) -> dict[str, Any]:
        return next(r for r in records if JUNK in str(r.get("_raw", "")))

    failed = [
        fmt
        for fmt, (_, theirs) in every_format.items()
        if any(JUNK in str(r.get("_raw", "")) for r in theirs)
    ]
    assert len(failed) > len(every_format) // 2
    for fmt in failed:
        assert junk(every_format[fmt][0]) == junk(every_format[fmt][1])


def test_auto_on_mixed_logs_and_bad_bytes(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "mixed.log"
    chunks = [(LOGHUB / f"{name}.log").read_bytes() for name in ("OpenSSH", "HDFS", "Linux")]
    chunks.append(b'{"level":"info","msg":"json line"}\nts=1 level=warn msg="logfmt"\n')
    chunks.append(b"bad \xff\xfe bytes\r\n\n")
    path.write_bytes(b"".join(chunks))
    theirs = local_records(path)
    assert any("invalid UTF-8" in str(r.get("_error")) for r in theirs)
    _same(spark_records(lines_frame(spark, path)), theirs)


def test_a_pattern_with_groups_and_named_patterns(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "ssh.log"
    path.write_bytes((LOGHUB / "OpenSSH.log").read_bytes())
    frame = lines_frame(spark, path)
    pattern = (
        r"^(?P<ts>\w+ +\d+ [\d:]+) (?P<host>\S+) (?P<prog>\w+)\[(?P<pid>\d+)\]: "
        r"Failed (?P<rest>.*)$"
    )
    _same(spark_records(frame, pattern=pattern), local_records(path, pattern=pattern))
    named = [
        ("failed", r"Failed password for (?P<user>\S+)"),
        ("invalid", r"Invalid user (?P<u>\S+)"),
    ]
    _same(spark_records(frame, patterns=named), local_records(path, patterns=named))


def test_typed_columns_give_back_every_record(spark: Any, tmp_path: Path) -> None:
    import rxp.spark
    from rxp.spark._parse import kinds_of, records_of

    path = tmp_path / "mixed.log"
    path.write_text(
        '{"a": 1, "b": [1, 2], "c": null}\n{"a": "x", "d": 1.5, "e": true}\n'
        "ts=1 level=warn msg=hello\n<13>Oct 11 22:14:15 host app: syslog\nnot { json\n",
        encoding="utf-8",
    )
    frame = rxp.spark.parse(lines_frame(spark, path))
    kinds = dict(frame.dtypes)
    assert kinds["_line"] == "bigint" and kinds["d"] == "double" and kinds["e"] == "boolean"
    assert kinds["a"] == "string"  # 1 and "x": mixed kinds, each value's JSON text
    rows = [row.asDict() for row in frame.collect()]
    records = [records_of(row, kinds_of(frame.schema)) for row in rows]
    _same(records, local_records(path))
