"""`rxp parse` as a user runs it: a subprocess, JSON Lines on stdout, the summary on stderr,
exit statuses, files and stdin, journald export and JSON entries."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._journal._codec import iter_export
from rxp._journal._generate import write_journal
from tests.helpers import run_rxp


def rxp(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return run_rxp("parse", *args, stdin=stdin, env={"NO_COLOR": "1"}, timeout=120)


def records(out: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.decode("utf-8").splitlines()]


MIXED = (
    b'level=info msg="started" port=8080\n'
    b'2024-01-15T00:00:01+0000 db01 worker[7]: {"level": "error", "job": 3}\n'
    b"<34>Oct 11 22:14:15 mymachine su: 'su root' failed\n"
    b'{"truncated": [1, 2\n'
    b"just words\n"
)


def test_stdin_gives_one_json_object_per_line_and_a_summary():
    result = rxp(stdin=MIXED)
    assert result.returncode == 0
    got = records(result.stdout)
    assert [r["_line"] for r in got] == [1, 2, 3, 4, 5]
    assert [r["_format"] for r in got] == ["logfmt", "journal+json", "syslog", "json", "text"]
    assert got[1]["job"] == 3 and got[1]["hostname"] == "db01"
    assert got[3]["_raw"] == '{"truncated": [1, 2'
    assert result.stderr.decode() == (
        "rxp parse: 5 records (logfmt 1, journal+json 1, syslog 1, json 1, text 1); 1 with errors\n"
    )


def test_strict_exits_1_when_a_record_failed_and_0_otherwise():
    assert rxp("--strict", "-q", stdin=MIXED).returncode == 1
    clean = rxp("--strict", "-q", stdin=b"a=1\nb=2\n")
    assert clean.returncode == 0 and clean.stderr == b""


def test_the_issue_pattern_example_end_to_end():
    pattern = r"^(?P<ts>\S+) (?P<ctx>\{.*?\}) (?P<msg>.*)$"
    result = rxp("--pattern", pattern, stdin=b'T1 {"a":"} x"} the tail\n')
    assert result.returncode == 0
    assert records(result.stdout) == [
        {
            "_line": 1,
            "_format": "pattern+fallback",
            "ts": "T1",
            "ctx": '{"a":"} x"}',
            "msg": "the tail",
        }
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "yml"], "rxp: error: unknown format 'yml' (choose from auto,"),
        (["--format", "kv", "--pattern", "(?P<a>x)"], "rxp: error: give --format or --pattern"),
        (["--pattern", "(?P<a>x"], "rxp: error: missing ), unterminated subpattern"),
    ],
)
def test_bad_requests_exit_2_with_one_line_and_no_output(args, message):
    result = rxp(*args, stdin=b"a=1\n")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().startswith(message)
    assert "Traceback" not in result.stderr.decode()


def test_files_are_labelled_and_a_missing_file_is_reported_without_stopping(tmp_path: Path):
    one = tmp_path / "one.log"
    one.write_bytes(b"a=1\n")
    two = tmp_path / "two.log"
    two.write_bytes(b"b=2\nc=3\n")
    result = rxp(str(one), str(tmp_path / "missing.log"), str(two))
    assert result.returncode == 2
    got = records(result.stdout)
    assert [(Path(str(r["_file"])).name, r["_line"]) for r in got] == [
        ("one.log", 1),
        ("two.log", 1),
        ("two.log", 2),
    ]
    assert "rxp: error: cannot read" in result.stderr.decode()


def test_non_utf8_bytes_are_an_error_record_not_a_crash():
    result = rxp("--format", "logfmt", stdin=b"user=jos\xe9 ok=1\n")
    assert result.returncode == 0
    [record] = records(result.stdout)
    assert record["_error"] == "invalid UTF-8 (byte 0xe9) at column 9"
    assert record["ok"] == "1"


def test_journal_export_and_json_forms_of_the_same_entries_give_the_same_records():
    export, as_json = io.BytesIO(), io.BytesIO()
    write_journal(export, size=60_000, form="export", seed=3)
    write_journal(as_json, size=60_000, form="json", seed=3)
    from_export = records(rxp("--format", "journal", stdin=export.getvalue()).stdout)
    from_json = records(rxp("--format", "journal", stdin=as_json.getvalue()).stdout)
    entries = list(iter_export(io.BytesIO(export.getvalue())))
    assert len(from_export) == len(entries) > 10
    assert from_export[0]["_line"] == 1
    assert [r["_line"] for r in from_export] == [e.line for e in entries]
    n = min(len(from_export), len(from_json))
    strip = lambda r: {k: v for k, v in r.items() if k != "_line"}  # noqa: E731
    assert [strip(r) for r in from_export[:n]] == [strip(r) for r in from_json[:n]]
    assert all(str(r["_format"]).startswith("journal") for r in from_export)
    assert all("MESSAGE" in r for r in from_export)


def test_auto_recognises_an_export_stream():
    export = io.BytesIO()
    write_journal(export, size=20_000, form="export", seed=4)
    got = records(rxp(stdin=export.getvalue()).stdout)
    assert got and all(str(r["_format"]).startswith("journal") for r in got)


def test_short_iso_journal_gives_one_record_per_line():
    journal = io.BytesIO()
    write_journal(journal, size=60_000, form="short-iso", seed=5)
    data = journal.getvalue()
    got = records(rxp("--strict", stdin=data).stdout)
    assert len(got) == data.count(b"\n")
    assert [r["_line"] for r in got] == list(range(1, len(got) + 1))


def test_journal_format_joins_continuation_lines_into_the_message_json_form_agrees():
    short, as_json = io.BytesIO(), io.BytesIO()
    write_journal(short, size=80_000, form="short-iso", seed=6)
    write_journal(as_json, size=80_000, form="json", seed=6)
    from_short = records(rxp("--format", "journal", stdin=short.getvalue()).stdout)
    entries = [json.loads(line) for line in as_json.getvalue().splitlines()]
    n = min(len(from_short), len(entries)) - 1  # the last short record may be cut by size
    assert n > 50
    assert any("\n" in str(r["message"]) for r in from_short[:n])  # tracebacks were joined
    assert [r["message"] for r in from_short[:n]] == [e["MESSAGE"] for e in entries[:n]]
    assert [r["hostname"] for r in from_short[:n]] == [e["_HOSTNAME"] for e in entries[:n]]
    lines = short.getvalue().split(b"\n")
    for record in from_short[:n]:  # _line points at the record's first line
        assert (
            lines[int(record["_line"]) - 1].decode().endswith(str(record["message"]).split("\n")[0])
        )


def test_auto_recognises_json_pretty_and_json_seq_streams():
    as_json = io.BytesIO()
    write_journal(as_json, size=20_000, form="json", seed=7)
    entries = [json.loads(line) for line in as_json.getvalue().splitlines()]
    pretty = "".join(json.dumps(e, indent=8) + "\n" for e in entries).encode()
    seq = b"".join(b"\x1e" + json.dumps(e).encode() + b"\n" for e in entries)
    for blob in (pretty, seq):
        got = records(rxp(stdin=blob).stdout)
        assert [r["MESSAGE"] for r in got] == [e["MESSAGE"] for e in entries]
        assert all(str(r["_format"]).startswith("journal") for r in got)
    starts = [r["_line"] for r in records(rxp(stdin=pretty).stdout)]
    assert starts[:2] == [1, 1 + pretty.decode().split("\n").index("}") + 1]


def test_progress_bar_only_when_stderr_is_a_terminal(tmp_path: Path):
    import pty

    big = tmp_path / "big.log"
    with big.open("wb") as out:
        write_journal(out, size=9 << 20, form="short-iso", seed=8)
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxp", "parse", str(big)],
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=120) == 0
    os.close(master)
    assert b"parsing" in seen and b"MB" in seen  # the bar, with bytes done / total
    assert b"rxp parse: " in seen
    piped = rxp(str(big))
    assert b"parsing" not in piped.stderr and b"\x1b[" not in piped.stderr


def test_an_infinite_number_is_written_as_null_so_every_line_stays_json() -> None:
    """`inf` read as a float (grok `:float`, nginx `excess`) has no JSON form: null, as
    Vector's serde_json writes it, never Python's `Infinity`."""
    from tests.helpers import run_rxp

    proc = run_rxp("parse", "-q", "--grok", "%{WORD:a} %{DATA:b:float}$", stdin=b"x inf\ny 2.5\n")
    assert proc.returncode == 0
    rows = [
        json.loads(line, parse_constant=lambda c: pytest.fail(c))
        for line in proc.stdout.splitlines()
    ]
    assert [r["b"] for r in rows] == [None, 2.5]


_any_text = st.text(st.characters(exclude_categories=()))  # lone surrogates too
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_any_text, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_any_text, _json_values, max_size=6))
def test_the_fast_record_encoder_writes_what_json_reads_back_as_the_reference(record) -> None:
    """orjson writes rxp parse's lines; `json` is the reference: every line is strict
    UTF-8 JSON (no NaN, no lone surrogate) and reads back as the reference's line does, for
    any record (big integers, non-finite floats, surrogates and control characters too)."""
    from rxp._logparse._jsonl import encoder, finite
    from rxp.cli._output import utf8_bytes

    line = encoder()(record)
    text = line.decode("utf-8")  # strict: a lone surrogate would fail here
    reference = utf8_bytes(json.dumps(finite(record), ensure_ascii=False, allow_nan=False))
    assert json.loads(text, parse_constant=pytest.fail) == json.loads(reference)
