"""Micro-benchmarks of rxp's core under pytest-benchmark, compared against a saved baseline.

Not part of the test suite (``testpaths = ["tests"]``, and ``--benchmark-disable`` is in the
default options). Run and compare, as docs/bench.md shows:

    pytest benchmarks/micro --benchmark-enable --benchmark-storage=benchmarks/micro/.baselines \\
        --benchmark-compare=0001 --benchmark-compare-fail=median:25%
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import rxp
from rxp._stream._matcher import MatcherSpec, compile_matcher
from rxp._syntax._parse import parse

PATTERNS = {
    "literal-prefix": r"Failed password for (invalid user )?[^ ]+ from ([0-9.]+)",
    "inner-literal": r"^[^ ]+ [^ ]+ sshd\[[0-9]+\]: Failed password",
    "no-literal": r"[0-9]+(\.[0-9]+){3} port [0-9]+",
    "named-groups": r"(?P<user>[a-z_][a-z0-9_-]{0,31})@(?P<host>[\w.-]+):(?P<port>\d{1,5})",
}
LINES = [
    b"2024-01-15T00:00:01+0000 web01 sshd[58040]: Failed password for invalid user guest "
    b"from 185.53.25.248 port 2317 ssh2\n",
    b"2024-01-15T00:00:01+0000 db01 CRON[42626]: (root) CMD (cd / && run-parts --report "
    b"/etc/cron.hourly)\n",
    b"2024-01-15T00:00:01+0000 web01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=109.228.110.211 "
    b"DST=198.51.100.175 LEN=40 PROTO=TCP SPT=26317 DPT=6379\n",
] * 100

ids = list(PATTERNS)


@pytest.mark.parametrize("name", ids)
def test_parse(benchmark: BenchmarkFixture, name: str) -> None:
    tree = benchmark(parse, PATTERNS[name])
    assert tree is not None


@pytest.mark.parametrize("name", ids)
def test_explain(benchmark: BenchmarkFixture, name: str) -> None:
    explanation = benchmark(rxp.explain, PATTERNS[name])
    assert explanation is not None


@pytest.mark.parametrize("name", ids)
def test_match_300_lines(benchmark: BenchmarkFixture, name: str) -> None:
    search = compile_matcher(MatcherSpec(PATTERNS[name])).line.search

    def run() -> int:
        return sum(1 for line in LINES if search(line))

    assert benchmark(run) == sum(1 for line in LINES if search(line))
