"""``rxp parse --workers N``: the input is cut into chunks of whole lines that N processes
read; the records come out in input order, byte-identical to one worker, ``_line`` exact
across chunk boundaries; journald continuations stay joined (chunks align to record
boundaries); ``-o export`` is read by one worker; Ctrl-C leaves quietly."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import parse_stream
from rxp._errors import RxpError
from rxp._logparse._formats import FORMAT_NAMES, build_parser, format_spec
from rxp._logparse._options import read_options
from rxp._logparse._parallel import ParseSpec, chunk_records, chunks, plan
from tests._forked import uncoloured
from tests.helpers import run_rxp, rxp_here

MIXED = [
    b"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed",
    b"Jun 13 16:33:35 host sshd[12]: Accepted publickey for bob from 10.0.0.1 port 22",
    b'{"level":"info","msg":"hello","n":1}',
    b'level=warn msg="disk almost full" pct=93',
    b"I0101 00:00:00.000001       1 main.go:12] started",
    b"CEF:0|Security|threatmanager|1.0|100|worm stopped|10|src=10.0.0.1 dst=2.1.2.2",
    b"2024-01-15T10:00:00+0000 web1 app[42]: request done",
    b"              continued message line",
    b'2024-01-15T10:00:01+0000 web1 app[42]: {"broken": ',
    b"Outer{a=Inner{b=1}, c=[1, 2]}",
    b"plain text, nothing structured",
    b"\xff\xfe not utf-8",
    b"crlf line\r",
    b"",
]

lines = st.lists(st.sampled_from(MIXED), min_size=1, max_size=40)
SPECS = [
    ParseSpec("auto"),
    ParseSpec("journal"),
    ParseSpec("logfmt"),
    ParseSpec(pattern=r"^(?P<head>\S+) (?P<rest>.*)$"),
]


def _in_chunks(spec: ParseSpec, data: bytes, size: int) -> list[dict[str, object]]:
    how = plan(spec, data[:4096])
    if how == "whole":  # the command reads these in one worker, with parse_stream
        return _whole(spec, data)
    stream = io.BytesIO(data)
    out: list[dict[str, object]] = []
    for chunk in chunks(stream.read, how, size):
        out.extend(chunk_records(spec, chunk, how))
    return out


def _whole(spec: ParseSpec, data: bytes) -> list[dict[str, object]]:
    return list(parse_stream(io.BytesIO(data), format=spec.format, pattern=spec.pattern))


@settings(max_examples=80, deadline=None)
@given(lines, st.sampled_from(SPECS), st.integers(1, 300), st.booleans())
def test_chunks_give_the_records_of_the_whole_stream(picked, spec, size, final_newline):
    data = b"\n".join(picked) + (b"\n" if final_newline else b"")
    assert _in_chunks(spec, data, size) == _whole(spec, data)


def test_a_journal_continuation_never_starts_a_chunk():
    data = b"\n".join(
        [b"2024-01-15T10:00:00+0000 web1 app[42]: Traceback (most recent call last):"]
        + [b'                                         File "x.py", line %d' % i for i in range(50)]
        + [b"2024-01-15T10:00:01+0000 web1 app[42]: done"]
    )
    spec = ParseSpec("journal")
    how = plan(spec, data)
    assert how == "journal"
    pieces = list(chunks(io.BytesIO(data).read, how, 64))
    assert all(p.data.startswith(b"2024-") for p in pieces)
    records = _in_chunks(spec, data, 64)
    assert [r["_line"] for r in records] == [1, 52]
    assert str(records[0]["message"]).count("\n") == 50


def test_export_and_documents_are_not_cut():
    export = b"__CURSOR=s=1\n__REALTIME_TIMESTAMP=1\nMESSAGE=hi\n\n"
    assert plan(ParseSpec("auto"), export) == "whole"
    assert plan(ParseSpec("journal"), export) == "whole"
    assert plan(ParseSpec("auto"), b"a=1\n") == "lines"


# --- the command -------------------------------------------------------------------------


def _mixed_file(path: Path, count: int, seed: int = 0) -> Path:
    import random

    rng = random.Random(seed)
    path.write_bytes(b"\n".join(rng.choice(MIXED) for _ in range(count)) + b"\n")
    return path


SMALL_BLOCKS = {"RXP_PARSE_BLOCK": "1000"}


@pytest.mark.parametrize("workers", ["2", "3", "0"])
def test_workers_write_byte_identical_output_across_many_chunks(tmp_path, workers):
    a = _mixed_file(tmp_path / "a.log", 3000, seed=1)
    b = _mixed_file(tmp_path / "b.log", 500, seed=2)
    one = run_rxp("parse", str(a), str(b))
    many = run_rxp("parse", "--workers", workers, str(a), str(b), env=SMALL_BLOCKS)
    assert one.returncode == many.returncode == 0
    assert many.stdout == one.stdout
    assert many.stderr == one.stderr  # the summary counts agree too
    records = [json.loads(x) for x in many.stdout.splitlines()]
    assert [r["_line"] for r in records if r["_file"] == str(a)] == list(range(1, 3001))


@pytest.mark.parametrize("fmt", ["journal", "logfmt", "nested"])
def test_workers_agree_per_format_and_on_stdin(tmp_path, fmt):
    a = _mixed_file(tmp_path / "a.log", 1500, seed=3)
    one = run_rxp("parse", "--format", fmt, str(a))
    many = run_rxp("parse", "--format", fmt, "-j", "2", str(a), env=SMALL_BLOCKS)
    piped = run_rxp("parse", "--format", fmt, "-j", "2", stdin=a.read_bytes(), env=SMALL_BLOCKS)
    assert many.stdout == one.stdout == piped.stdout


def test_workers_pass_the_options_and_reject_the_same_bad_ones(tmp_path):
    a = _mixed_file(tmp_path / "a.log", 400, seed=4)  # some 40 blocks of 1,000 bytes
    bad_one = run_rxp("parse", "--format", "logfmt", "--option", "nope=1", str(a))
    bad_many = run_rxp("parse", "--format", "logfmt", "--option", "nope=1", "-j", "2", str(a))
    assert bad_one.returncode == bad_many.returncode == 2
    assert bad_one.stderr == bad_many.stderr
    # every format that has options: its defaults given explicitly reach the workers
    for name in FORMAT_NAMES:
        spec = format_spec(name)
        if spec.name != name or not spec.options:
            continue
        try:
            defaults = read_options(name, spec.options, {})
            build_parser(name, {})
        except RxpError:  # a required option (apache_log's format): no defaults to give
            continue
        if spec.document(defaults):
            continue
        opt = next((o for o in spec.options if o.default is not None), None)
        if opt is None:
            continue
        text = opt.default if isinstance(opt.default, str) else json.dumps(opt.default)
        given = ["--option", f"{opt.name}={text}"]
        one = rxp_here(["parse", "-q", "--format", name, *given, str(a)])  # in this process
        many = run_rxp("parse", "-q", "--format", name, *given, "-j", "2", str(a), env=SMALL_BLOCKS)
        assert one.status == many.returncode == 0, (name, many.stderr)
        assert many.stdout == one.stdout, name


def test_an_export_journal_is_read_by_one_worker_with_the_same_records(tmp_path):
    from rxp._journal._generate import write_journal

    buf = io.BytesIO()
    write_journal(buf, size=60_000, form="export", seed=5)
    path = tmp_path / "j.export"
    path.write_bytes(buf.getvalue())
    one = run_rxp("parse", str(path))
    many = run_rxp("parse", "-j", "2", str(path), env=SMALL_BLOCKS)
    assert one.returncode == 0 and many.stdout == one.stdout


def test_ctrl_c_exits_130_quietly_and_leaves_no_worker(tmp_path):
    big = _mixed_file(tmp_path / "big.log", 400_000, seed=6)
    env = uncoloured()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxp", "parse", "-j", "2", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own group, where SIGINT is not ignored
    )
    assert proc.stdout is not None
    proc.stdout.read(1 << 16)  # it is writing records: the workers run
    children = _children(proc.pid)
    assert len(children) >= 2
    os.killpg(proc.pid, signal.SIGINT)
    proc.stdout.read()
    assert proc.wait(timeout=30) == 130
    assert proc.stderr is not None
    assert b"Traceback" not in proc.stderr.read()
    deadline = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(c) for c in children)


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
