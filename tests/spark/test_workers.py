"""The functions Spark's Python workers run, called here on Arrow batches in this process
(Spark runs them in its own workers, out of coverage's sight): each gives the local
answer on its own, so a difference in a Spark test is Spark's plumbing, not the reader."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import rxp
from rxp._logparse._parallel import ParseSpec

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install -e '.[spark]'")

DATA = Path(__file__).parents[1] / "mine" / "data"
FILE = "file:/logs/ssh.log"


def _batches(data: bytes, size: int = 7, block: int = 1000) -> list[Any]:
    """``data``'s lines as Spark's reader hands them over: ``_file``, ``_block`` (a new
    block every ``block`` bytes of lines) and ``value``, ``size`` rows a batch, numbered
    by ``_lines._numbered`` from the blocks' first lines and offsets."""
    from rxp.spark._lines import _numbered

    lines = data.split(b"\n")[:-1]
    blocks, starts, where, line = [], {}, 0, 1
    for value in lines:
        key = (FILE, where // block * block)
        starts.setdefault(key, (line, where))
        blocks.append(key[1])
        where += len(value) + 1
        line += 1
    raw = [
        pa.RecordBatch.from_pydict(
            {
                "_file": [FILE] * len(lines[i : i + size]),
                "_block": blocks[i : i + size],
                "value": lines[i : i + size],
            },
            schema=pa.schema(
                [("_file", pa.string()), ("_block", pa.int64()), ("value", pa.binary())]
            ),
        )
        for i in range(0, len(lines), size)
    ]
    return list(_numbered(iter(raw), starts))


DATA_BYTES = (DATA / "OpenSSH.log").read_bytes() + b"bad \xff line\n"
BATCHES = _batches(DATA_BYTES)


def test_lines_are_numbered_with_their_offsets() -> None:
    rows = [r for b in BATCHES for r in b.to_pylist()]
    offsets = [0]
    for value in DATA_BYTES.split(b"\n")[:-2]:
        offsets.append(offsets[-1] + len(value) + 1)
    assert [r["_line"] for r in rows] == list(range(1, len(offsets) + 1))
    assert [r["_offset"] for r in rows] == offsets


def test_json_and_typed_batches_give_the_local_records() -> None:
    from rxp.spark._parse import Job, field_kinds, json_batches, merge_kinds, records_of, typed

    want = list(rxp.parse_lines(DATA_BYTES.split(b"\n")[:-1]))
    job = Job(ParseSpec(), "lines")
    got = [json.loads(t) for b in json_batches(job, BATCHES) for t in b.column("json").to_pylist()]
    assert got == want
    kinds = merge_kinds(tuple(r.values()) for b in field_kinds(job, BATCHES) for r in b.to_pylist())
    rows = [r for b in typed(job, kinds, True, BATCHES) for r in b.to_pylist()]
    assert [records_of(r, kinds) for r in rows] == want


def test_journal_text_and_json_runs_read_as_locally() -> None:
    from rxp.spark._parse import Job, json_batches, plan_of

    text = (
        b"2024-01-01T00:00:00+0000 host app[1]: first\n"
        b"                                       continued\n"
        b"2024-01-01T00:00:01+0000 host app[1]: second\n"
    )
    spec = ParseSpec(format="journal")
    assert plan_of(spec, text) == "journal"
    got = [
        json.loads(t)
        for b in json_batches(Job(spec, "journal"), _batches(text))
        for t in b.column("json").to_pylist()
    ]
    want = list(rxp.parse_stream(io.BytesIO(text), format="journal"))
    assert len(want) == 2  # the continuation joined its record
    assert got == want
    entries = b'{"__CURSOR":"c1","MESSAGE":"one","_PID":"1"}\n{"__CURSOR":"c2","MESSAGE":"two"}\n'
    assert plan_of(spec, entries) == "journal_json"
    got = [
        json.loads(t)
        for b in json_batches(Job(spec, "journal_json"), _batches(entries))
        for t in b.column("json").to_pylist()
    ]
    assert got == list(rxp.parse_stream(io.BytesIO(entries), format="journal"))
    with pytest.raises(rxp.RxpError, match="the Spark engine reads lines"):
        plan_of(ParseSpec(format="xml"), b"<a/>\n")


def test_grep_and_keyed_lines_as_rxp_stream_prints_them() -> None:
    from rxp.spark._grep import GrepJob, grep_batches
    from rxp.spark._ordered import _grep_keyed, _parse_keyed, split
    from rxp.spark._parse import Job, json_batches

    pattern = r"from (?P<ip>[\d.]+) port (?P<port>\d+)"
    matched = list(grep_batches(GrepJob(pattern), BATCHES))
    lines = [r["_line"] for b in matched for r in b.to_pylist()]
    want = [m.line_number for m in rxp.scan(pattern, DATA_BYTES.split(b"\n")[:-1])]
    assert lines == want
    printed = [
        split(k)[1]
        for b in _grep_keyed({FILE: 0}, {}, ("only", True, False), matched)
        for k in b.column("keyed").to_pylist()
    ]
    assert printed[0] == b"%d:%s" % (
        want[0],
        next(rxp.scan(pattern, DATA_BYTES.split(b"\n")[:-1])).submatches[0].text,
    )
    messages = [
        split(k)[1]
        for b in _grep_keyed({}, {FILE: "ssh.log"}, ("json", False, False), matched)
        for k in b.column("keyed").to_pylist()
    ]
    assert json.loads(messages[0])["data"]["submatches"][0]["groups"]["ip"]["text"]
    records = json_batches(Job(ParseSpec(), "lines"), BATCHES)
    keyed = [k for b in _parse_keyed({FILE: 0}, records) for k in b.column("keyed").to_pylist()]
    assert [split(k)[0][:1] for k in keyed].count(b"1") == 1  # the one bad line


def test_partial_miners_and_template_ids() -> None:
    from rxp.spark._mine import MineJob, merged, partial_miners, template_ids

    job = MineJob()
    partials = [r for b in partial_miners(job, BATCHES) for r in b.to_pylist()]
    miner = merged(((p["file"], p["line"]), p["state"]) for p in partials)
    whole = rxp.mine_lines(DATA_BYTES.decode("utf-8", "replace").splitlines(), format="auto")
    assert miner.templates()[0] == whole.templates
    ids = {c.key: c.template_id for c in miner.clusters}
    got = [t for b in template_ids(job, ids, BATCHES) for t in b.column("template").to_pylist()]
    assert tuple(got) == whole.assignments
