"""journald decoding and rendering: round trips, malformed input, and journalctl as oracle."""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._errors import RxpError
from rxp._journal._codec import (
    JournalEntry,
    format_export,
    format_json,
    format_short,
    iter_export,
    iter_json,
    parse_short_line,
)
from rxp._journal._text import ShortMode, format_bytes, is_printable, strip_tab_ansi

REMOTE = Path("/lib/systemd/systemd-journal-remote")
JOURNALCTL = shutil.which("journalctl")
needs_oracle = pytest.mark.skipif(
    "CI" not in os.environ and not (REMOTE.exists() and JOURNALCTL),
    reason="systemd-journal-remote and journalctl needed",
)

names = st.from_regex(r"[A-Z_][A-Z0-9_]{0,12}", fullmatch=True)
values = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=40).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"", b"\n", b"a\n\nb", b"\x00\n\n\x00", b"x=y", b"\n\n\n"]),
)
entries = st.lists(
    st.lists(st.tuples(names, values), min_size=1, max_size=6).map(tuple), max_size=6
)


def export_bytes(fields: tuple[tuple[str, bytes], ...]) -> bytes:
    return format_export(JournalEntry(fields))


def binary(name: str, value: bytes) -> bytes:
    return name.encode() + b"\n" + struct.pack("<Q", len(value)) + value + b"\n"


@given(entries, st.sampled_from([1, 3, 8, 64, 1 << 20]))
@settings(max_examples=150, deadline=None)
def test_export_round_trip_at_any_block_boundary(
    batch: list[tuple[tuple[str, bytes], ...]], block: int
) -> None:
    data = b"".join(export_bytes(fields) for fields in batch)
    decoded = list(iter_export(io.BytesIO(data), block_size=block))
    assert [e.fields for e in decoded] == batch
    assert all(e.error is None for e in decoded)
    assert b"\n".join(e.raw for e in decoded) + (b"\n" if decoded else b"") == data
    # Every entry's raw bytes sit at the line it reports.
    for entry in decoded:
        before = data.split(b"\n")[entry.line - 1 :]
        assert b"\n".join(before).startswith(entry.raw)


@given(entries)
@settings(max_examples=100, deadline=None)
def test_json_round_trip(batch: list[tuple[tuple[str, bytes], ...]]) -> None:
    data = b"".join(format_json(JournalEntry(fields)) for fields in batch)
    decoded = list(iter_json(io.BytesIO(data)))
    for entry, fields in zip(decoded, batch, strict=True):
        # JSON groups a repeated name; the multiset of fields survives.
        assert Counter(entry.fields) == Counter(fields)
        assert entry.error is None


def test_binary_fields_with_nul_and_newlines() -> None:
    data = (
        b"__REALTIME_TIMESTAMP=1705314225000000\n"
        + binary("MESSAGE", b"line one\n\nline\x00three\n")
        + b"_PID=7\n\nA=1\n\n"
    )
    first, second = iter_export(io.BytesIO(data))
    assert first.get("MESSAGE") == b"line one\n\nline\x00three\n"
    assert first.get("_PID") == b"7"
    assert (first.line, second.line) == (1, 9)
    assert second.fields == (("A", b"1"),)


def test_repeated_fields_get_first_last_all() -> None:
    (entry,) = iter_export(io.BytesIO(b"M=a\nM=b\nM=c\n"))
    assert (entry.get("M"), entry.last("M"), entry.get_all("M")) == (b"a", b"c", [b"a", b"b", b"c"])
    assert entry.get("X") is None


def test_plain_text_is_a_broken_entry_not_a_crash() -> None:
    data = b"A=1\n\nthis is not export\nmore\n\nB=2\n"
    got = list(iter_export(io.BytesIO(data)))
    assert [e.fields for e in got] == [(("A", b"1"),), (), (("B", b"2"),)]
    assert got[1].error is not None and got[1].error.startswith("line 3:")
    assert got[1].raw == b"this is not export\nmore\n"
    assert [e.line for e in got] == [1, 3, 6]
    with pytest.raises(RxpError, match="line 3"):
        list(iter_export(io.BytesIO(data), strict=True))


@pytest.mark.parametrize(
    "tail, problem",
    [
        (b"MESSAGE\n\x05\x00", "truncated before its length"),
        (b"MESSAGE\n" + struct.pack("<Q", 10) + b"short", "truncated"),
        (b"MESSAGE\n" + struct.pack("<Q", 2) + b"abX\nC=1\n", "not followed by a newline"),
        (b"MESSAGE\n" + struct.pack("<Q", 1 << 62), "implausible"),
        (b"A=1", "without newline"),
    ],
)
def test_malformed_binary_fields_are_reported_with_their_bytes(tail: bytes, problem: str) -> None:
    data = b"X=1\n\nY=2\n" + tail
    got = list(iter_export(io.BytesIO(data)))
    assert got[0].error is None
    broken = got[-1]
    assert broken.error is not None and problem in broken.error
    assert broken.fields[:1] == (("Y", b"2"),)
    assert data.endswith(broken.raw.rstrip(b"\n")) or broken.raw in data
    assert b"".join(e.raw for e in got).replace(b"\n", b"") == data.replace(b"\n", b"")


def test_json_nulls_are_listed_as_omitted_and_bad_lines_flagged() -> None:
    data = b'{"MESSAGE":null,"A":"x","B":[104,105],"C":["p",[0,1]]}\n\nnot json\n[1]\n'
    first, bad, notobj = iter_json(io.BytesIO(data))
    assert first.fields == (("A", b"x"), ("B", b"hi"), ("C", b"p"), ("C", b"\x00\x01"))
    assert first.omitted == ("MESSAGE",)
    assert bad.error is not None and bad.error.startswith("line 3: invalid JSON")
    assert bad.raw == b"not json\n" and notobj.line == 4
    with pytest.raises(RxpError):
        list(iter_json(io.BytesIO(data), strict=True))


def test_json_seq_and_pretty_forms() -> None:
    seq = b'\x1e{"A":"1"}\n\x1e{"A":"2"}\n'
    pretty = b'{\n\t"A" : "1",\n\t"B" : "x"\n}\n{\n\t"A" : "2"\n}\n'
    assert [e.get("A") for e in iter_json(io.BytesIO(seq))] == [b"1", b"2"]
    got = list(iter_json(io.BytesIO(pretty)))
    assert [(e.get("A"), e.line) for e in got] == [(b"1", 1), (b"2", 5)]


def test_short_iso_by_hand_from_the_systemd_docs_shape() -> None:
    entry = JournalEntry(
        (
            ("__REALTIME_TIMESTAMP", b"1705314225123456"),
            ("_HOSTNAME", b"web01"),
            ("SYSLOG_IDENTIFIER", b"sshd"),
            ("_PID", b"1234"),
            ("MESSAGE", b"Failed password for root from 203.0.113.7 port 52344 ssh2"),
        )
    )
    assert format_short(entry) == (
        b"2024-01-15T10:23:45+0000 web01 sshd[1234]: "
        b"Failed password for root from 203.0.113.7 port 52344 ssh2\n"
    )
    tb = JournalEntry(
        (("__REALTIME_TIMESTAMP", b"1705314225000000"), ("_COMM", b"py"),
         ("MESSAGE", b"Traceback:\n  File x\nValueError\n"))
    )  # fmt: skip
    assert format_short(tb) == (
        b"2024-01-15T10:23:45+0000 py: Traceback:\n"
        + b" " * 29
        + b"  File x\n"
        + b" " * 29
        + b"ValueError\n"
    )
    assert format_short(JournalEntry((("__REALTIME_TIMESTAMP", b"1"),))) == b""
    with pytest.raises(RxpError, match="__REALTIME_TIMESTAMP"):
        format_short(JournalEntry((("MESSAGE", b"x"),)))


def test_helpers_match_systemd() -> None:
    assert [format_bytes(n) for n in (0, 1023, 1024, 1536, 5 << 20, (5 << 20) + (300 << 10))] == [
        "0B", "1023B", "1.0K", "1.5K", "5.0M", "5.2M",
    ]  # fmt: skip
    assert strip_tab_ansi(b"a\tb\x1b[1;31mred\x1b[0m\x1b]8;;x\x07y\x1b[2J") == (
        b"a        bred" + b"y\x1b[2J"
    )
    assert is_printable(b"tab\tnew\nline") and not is_printable(b"cr\r")
    assert not is_printable("\u0085".encode()) and not is_printable("\ufffe".encode())
    assert not is_printable(b"\xff") and not is_printable(b"a\nb", newline=False)


def test_parse_short_line_forms() -> None:
    assert parse_short_line("2024-01-15T10:23:45+0000 web01 sshd[1234]: Failed: x y") == {
        "timestamp": "2024-01-15T10:23:45+0000",
        "hostname": "web01",
        "appname": "sshd",
        "procid": 1234,
        "message": "Failed: x y",
    }
    assert parse_short_line("Jan 05 10:23:45.000012 h kernel: [UFW BLOCK] IN=eth0") == {
        "timestamp": "Jan 05 10:23:45.000012",
        "hostname": "h",
        "appname": "kernel",
        "message": "[UFW BLOCK] IN=eth0",
    }
    full = parse_short_line("Mon 2024-01-15 10:23:45 UTC h CRON[9]: (root) CMD (x)\n")
    assert full is not None and full["timestamp"] == "Mon 2024-01-15 10:23:45 UTC"
    assert parse_short_line("2024-01-15T10:23:45+0000 unknown: a: b") == {
        "timestamp": "2024-01-15T10:23:45+0000",
        "appname": "unknown",
        "message": "a: b",
    }
    assert parse_short_line("                     File x") is None
    assert parse_short_line("-- Boot 0123 --") is None


# --- journalctl as the oracle --------------------------------------------------------------

EDGE_CASES = [
    b"MESSAGE=\n",
    binary("MESSAGE", b"trailing\n"),
    binary("MESSAGE", b"two\n\nblank"),
    b"MESSAGE=tab\there\n",
    b"MESSAGE=tab\there\rcr\n",
    b"MESSAGE=ctl\x01x\n",
    b"MESSAGE=bad\xff utf\n",
    b"_HOSTNAME=" + b"h" * 299 + b"\nMESSAGE=longhost\n",
    b"_HOSTNAME=" + b"h" * 300 + b"\nMESSAGE=toolonghost\n",
    b"_HOSTNAME=h\nMESSAGE=noident\n",
    b"_HOSTNAME=h\nSYSLOG_IDENTIFIER=id\nSYSLOG_PID=5\n_PID=6\nMESSAGE=both pids\n",
    b"_HOSTNAME=h\n_COMM=comm\nSYSLOG_PID=5\nMESSAGE=comm and fake pid\n",
    b"_HOSTNAME=h\nSYSLOG_IDENTIFIER=id\n_SOURCE_REALTIME_TIMESTAMP=1600000000000000\nMESSAGE=src\n",
    b"_HOSTNAME=h\nSYSLOG_IDENTIFIER=id\n_SOURCE_REALTIME_TIMESTAMP=0\nMESSAGE=srczero\n",
    b"_HOSTNAME=h\nSYSLOG_IDENTIFIER=id\n_PID=1\n",
    "_HOSTNAME=h\nSYSLOG_IDENTIFIER=id\nMESSAGE=été café\n".encode(),
    b"_HOSTNAME=h\xff\nSYSLOG_IDENTIFIER=i d\n_PID=abc\nMESSAGE=weird\n",
    binary("MESSAGE", b"x" * 5000),
    binary("MESSAGE", b"x" * 5000 + b"\x01"),
    b"SYSLOG_IDENTIFIER=id\nMESSAGE=\x1b[31mred\x1b[0m and \x1b]8;;u\x07link\n",
    b"SYSLOG_IDENTIFIER=id\nMESSAGE=\xc2\x85nel\n",
    b"SYSLOG_IDENTIFIER=id\nMESSAGE=first\nMESSAGE=second\n",
]


def edge_export() -> bytes:
    out = []
    for i, case in enumerate(EDGE_CASES):
        stamp = b"__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n" % (
            1705314225000000 + i * 1000001,
            1000 + i,
        )
        out.append(stamp + b"_BOOT_ID=0123456789abcdef0123456789abcdef\n" + case + b"\n")
    return b"".join(out)


def to_journal(export: bytes, tmp_path: Path) -> Path:
    source = tmp_path / "in.export"
    source.write_bytes(export)
    target = tmp_path / "out.journal"
    subprocess.run([str(REMOTE), "-o", str(target), str(source)], check=True, capture_output=True)
    return target


def journalctl(path: Path, *args: str) -> bytes:
    assert JOURNALCTL is not None
    command = [JOURNALCTL, "--file", str(path), "--utc", "--no-pager", *args]
    return subprocess.run(command, check=True, capture_output=True, env={"TZ": "UTC"}).stdout


@needs_oracle
@pytest.mark.parametrize(
    "mode", ["short", "short-iso", "short-iso-precise", "short-precise", "short-full", "short-unix"]
)
def test_short_forms_equal_journalctl(tmp_path: Path, mode: ShortMode) -> None:
    path = to_journal(edge_export(), tmp_path)
    exported = list(iter_export(io.BytesIO(journalctl(path, "-o", "export"))))
    assert len(exported) == len(EDGE_CASES)
    mine = b"".join(format_short(e, mode) for e in exported)
    assert mine.decode("utf-8", "replace") == journalctl(path, "-o", mode).decode(
        "utf-8", "replace"
    )
    # Our own export of the edge cases renders the same, before journald saw it.
    direct = list(iter_export(io.BytesIO(edge_export())))
    assert b"".join(format_short(e, mode) for e in direct) == mine


@needs_oracle
def test_export_and_json_agree_with_journalctl(tmp_path: Path) -> None:
    path = to_journal(edge_export(), tmp_path)
    real_export = journalctl(path, "-o", "export")
    exported = list(iter_export(io.BytesIO(real_export)))
    assert b"".join(format_export(e) for e in exported) == real_export
    for show_all in (True, False):
        args = ["-o", "json", "--all"] if show_all else ["-o", "json"]
        lines = journalctl(path, *args).splitlines()
        decoded = list(iter_json(io.BytesIO(b"\n".join(lines))))
        for ours, theirs, line in zip(exported, decoded, lines, strict=True):
            assert json.loads(format_json(ours, show_all=show_all)) == json.loads(line)
            dropped = Counter((n, v) for n, v in ours.fields if n in theirs.omitted)
            assert Counter(theirs.fields) + dropped == Counter(ours.fields)


@needs_oracle
def test_parse_short_line_reads_journalctl_output(tmp_path: Path) -> None:
    path = to_journal(edge_export(), tmp_path)
    for mode in ("short", "short-iso", "short-precise", "short-full"):
        for raw in journalctl(path, "-o", mode).decode("utf-8", "replace").splitlines():
            record = parse_short_line(raw)
            if raw.startswith(" "):
                assert record is None
            else:
                assert record is not None, raw
                assert raw.endswith(str(record["message"]))


def test_text_without_blank_lines_is_cut_in_bounded_broken_pieces() -> None:
    """A big plain-text file read as export: every byte is reported, in broken entries of
    at most about 1 MiB each, with their line numbers."""
    line = b"Jan 15 10:23:45 host sshd[1]: Failed password for root from 1.2.3.4\n"
    data = line * 40_000  # 2.7 MB, no blank line
    got = list(iter_export(io.BytesIO(data), block_size=4096))
    assert len(got) >= 3 and all(e.error for e in got)
    assert b"".join(e.raw for e in got) == data
    assert max(len(e.raw) for e in got) <= (1 << 20) + len(line)
    assert got[1].line == 1 + got[0].raw.count(b"\n")
