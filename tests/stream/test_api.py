"""``rxp.scan``: the same engine from Python; Python's ``re`` line by line is the oracle."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rxp

PATTERN = r"(?P<user>[a-z]+)@(?P<host>[a-z0-9.]+)|(x+)"
lines = st.lists(
    st.lists(st.sampled_from([b"ab", b"@", b"x", b"9.", b" ", b"\xff", b"\r"]), max_size=6).map(
        b"".join
    ),
    max_size=15,
)


def _oracle(pattern: str, content: list[bytes]) -> list[tuple[int, bytes, list[tuple[int, int]]]]:
    rx = re.compile(pattern.encode())
    return [
        (n, line, [m.span() for m in rx.finditer(line)])
        for n, line in enumerate(content, 1)
        if rx.search(line)
    ]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=lines, backend=st.sampled_from(["sync", "thread", "asyncio", "process"]))
def test_scan_a_path_like_re_line_by_line(
    tmp_path: Path, content: list[bytes], backend: str
) -> None:
    path = tmp_path / "api.log"
    path.write_bytes(b"\n".join(content) + (b"\n" if content else b""))
    found = list(rxp.scan(PATTERN, path, backend=backend, workers=2))  # type: ignore[arg-type]
    got = [(m.line_number, m.line, [(s.start, s.end) for s in m.submatches]) for m in found]
    assert got == _oracle(PATTERN, content)
    rx = re.compile(PATTERN.encode())
    for m in found:
        first = rx.search(m.line)
        assert first is not None
        sub = m.submatches[0]
        assert sub.groups == first.groups()
        assert sub.named == first.groupdict()


def test_sources_iterables_and_file_objects() -> None:
    text = ["root@web1 ok", "nothing", "alice@db.local\n"]
    found = list(rxp.scan(PATTERN, text))
    assert [(m.line_number, m.text) for m in found] == [(1, "root@web1 ok"), (3, "alice@db.local")]
    assert found[1].submatches[0].named == {"user": b"alice", "host": b"db.local"}
    stream = io.BytesIO(b"a@b\nzz\nc@d")
    assert [m.line for m in rxp.scan(PATTERN, stream)] == [b"a@b", b"c@d"]
    assert [m.line_number for m in rxp.scan("@", text, invert=True)] == [2]
    assert len(list(rxp.scan("@", text, max_count=1))) == 1


def test_errors_and_skipped_lines(tmp_path: Path) -> None:
    with pytest.raises(rxp.PatternError):
        next(rxp.scan("(", ["x"]))
    with pytest.raises(OSError):
        next(rxp.scan("x", tmp_path / "missing.log"))
    skipped: list[rxp.SkippedLine] = []
    evil = [b"aaa", b"a" * 40 + b"!", b"aaaa"]
    # the look-ahead keeps the pattern on the backtracking engine, under the budget
    found = list(rxp.scan(r"(?=a)(a|aa)+$", evil, timeout=0.2, on_timeout=skipped.append))
    assert [m.line_number for m in found] == [1, 3]
    assert [s.line_number for s in skipped] == [2]
    with pytest.warns(rxp.ScanTimeoutWarning):
        list(rxp.scan(r"(?=a)(a|aa)+$", evil, timeout=0.2))
