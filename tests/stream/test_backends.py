"""Every backend, worker count and block size gives grep's bytes, in input order.

Tiny blocks (a few bytes) put block boundaries everywhere: inside context windows, between
a match and its trailing context, inside ``-m`` drains, so merging across blocks is tested.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stream.helpers import GREP, grep, rxp, rxp_process

pytestmark = pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")

PATTERNS = [("a", "a"), ("[0-9]+", "[0-9]+"), ("^b", "^b"), ("[^a ]+ x", "[^a ]+ x"), ("x*", "x*")]
PIECES = [b"a", b"b", b"x", b" ", b"1", b"\r", b"\xff", b"ab x"]
lines = st.lists(st.sampled_from(PIECES), max_size=5).map(b"".join)
files = st.tuples(st.lists(lines, max_size=30), st.booleans()).map(
    lambda t: b"\n".join(t[0]) + (b"\n" if t[1] and t[0] else b"")
)
options = st.lists(
    st.sampled_from(
        [["-n"], ["-c"], ["-o"], ["-v"], ["-A", "1"], ["-B", "2"], ["-C", "1"], ["-m", "2"]]
    ),
    max_size=3,
).map(lambda groups: [a for g in groups for a in g])


def _check(
    tmp: Path,
    contents: list[bytes],
    pair: tuple[str, str],
    opts: list[str],
    how: list[str],
    forked: bool = False,
) -> None:
    """rxp's status and stdout against grep's; ``forked``: rxp in a process of its own,
    with a real stdout (a pipe), not this process's buffer."""
    paths = []
    for i, data in enumerate(contents):
        path = tmp / f"f{i}.log"
        path.write_bytes(data)
        paths.append(str(path))
    python, ere = pair
    expected = grep([*opts, "-e", ere, *paths])
    argv = ["stream", *how, *opts, "--", python, *paths]
    got = rxp_process(argv) if forked else rxp(argv)
    status = got.returncode if isinstance(got, subprocess.CompletedProcess) else got.status
    assert (status, got.stdout) == (expected.status, expected.stdout), (how, opts)


@pytest.mark.parametrize("backend", ["sync", "thread", "asyncio"])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    pair=st.sampled_from(PATTERNS),
    opts=options,
    workers=st.integers(1, 3),
    chunk=st.sampled_from([1, 2, 5, 17, 4096]),
)
def test_in_process_backends_match_grep(
    tmp_path: Path,
    backend: str,
    contents: list[bytes],
    pair: tuple[str, str],
    opts: list[str],
    workers: int,
    chunk: int,
) -> None:
    how = ["--backend", backend, "--workers", str(workers), "--chunk-size", str(chunk)]
    _check(tmp_path, contents, pair, opts, how)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    pair=st.sampled_from(PATTERNS),
    opts=options,
    chunk=st.sampled_from([1, 3, 16]),
)
def test_process_backend_matches_grep(
    tmp_path: Path, contents: list[bytes], pair: tuple[str, str], opts: list[str], chunk: int
) -> None:
    how = ["--backend", "process", "--workers", "2", "--chunk-size", str(chunk)]
    _check(tmp_path, contents, pair, opts, how)


def test_long_line_across_many_blocks(tmp_path: Path) -> None:
    data = b"a\n" + b"x" * 100_000 + b"needle\nb needle\n" + b"y" * 50_000
    for backend in ("sync", "thread", "process"):
        how = ["--backend", backend, "--workers", "2", "--chunk-size", "4096"]
        _check(tmp_path, [data], ("needle", "needle"), ["-n", "-C", "1"], how)
        _check(tmp_path, [data], ("needle", "needle"), ["-c"], how)


@pytest.mark.parametrize("backend", ["sync", "process"])
def test_shares_larger_than_a_block(tmp_path: Path, backend: str) -> None:
    # -c/-q hand each worker a share of many blocks (and so does a --chunk-size over a
    # block); its blocks' results are merged, line numbers included
    row = b"2024-01-15T00:00:%02d host sshd[1]: Failed password for root from 10.0.0.%d\n"
    data = b"".join(row % (i % 60, i % 250) for i in range(120_000)) + b"tail 10.0.0.1"
    how = ["--backend", backend, "--workers", "2", "--chunk-size", str(6 << 20)]
    for opts in (["-c"], ["-c", "-v"], ["-c", "-m", "5"], ["-q"], ["-n"], []):
        _check(tmp_path, [data], ("10\\.0\\.0\\.1[0-9]", "10\\.0\\.0\\.1[0-9]"), opts, how)


@pytest.mark.parametrize("pattern", ["needle", "need(?=le)"], ids=["linear", "backtracking"])
@pytest.mark.parametrize("sep", [b"\n", b"\0"], ids=["lines", "-z"])
def test_process_workers_number_their_own_lines_in_order(
    tmp_path: Path, pattern: str, sep: bytes
) -> None:
    """Plain ``-n`` on one input: each worker numbers its own lines, from the count the
    jobs before it passed along (``_backends._Chain``); over blocks of a few dozen bytes,
    read by ranges or from stdin, the numbers are grep's."""
    rows = [b"%d %s" % (i, b"needle" if i % 7 in (0, 3) else b"hay") for i in range(3000)]
    path = tmp_path / "big.log"
    path.write_bytes(sep.join(rows) + sep)
    zero = ["-z"] if sep == b"\0" else []
    expected = grep(["-n", *zero, "-e", "need(le)", str(path)])
    assert expected.status == 0 and expected.stdout.count(sep) == 858
    how = ["--backend", "process", "--workers", "3", "--chunk-size", "97"]
    got = rxp(["stream", *how, "-n", *zero, "--", pattern, str(path)])
    assert (got.status, got.stdout) == (0, expected.stdout)
    piped = rxp_process(["stream", *how, "-n", *zero, "--", pattern], stdin=path.read_bytes())
    assert (piped.returncode, piped.stdout) == (0, expected.stdout)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    contents=st.lists(files, min_size=1, max_size=2),
    pair=st.sampled_from(PATTERNS),
    opts=st.sampled_from([[], ["-n"], ["-h"], ["-h", "-n"], ["-n", "-z"], ["-c"]]),
    chunk=st.sampled_from([1, 7, 64]),
)
def test_process_workers_write_stdout_themselves_in_input_order(
    tmp_path: Path, contents: list[bytes], pair: tuple[str, str], opts: list[str], chunk: int
) -> None:
    """With a real stdout (a pipe here), each worker writes the lines it rendered there
    itself when its job's turn has come, and the parent writes the jobs that finished
    early (``_process_pool.Turn``): over blocks of a few bytes, grep's bytes in order."""
    how = ["--backend", "process", "--workers", "2", "--chunk-size", str(chunk)]
    _check(tmp_path, contents, pair, opts, how, forked=True)


@pytest.mark.parametrize("opts", [["-n"], []], ids=["-n", "plain"])
def test_process_workers_append_to_a_file_after_what_it_held(
    tmp_path: Path, opts: list[str]
) -> None:
    """stdout a file opened for appending (``>>``), already holding text, and a shell's
    line before rxp's: the workers' writes go after both, in order, as grep's would."""
    rows = [b"%d %s" % (i, b"needle" if i % 5 == 1 else b"hay") for i in range(4000)]
    path = tmp_path / "big.log"
    path.write_bytes(b"\n".join(rows) + b"\n")
    expected = grep([*opts, "-e", "needle", str(path)])
    out = tmp_path / "out.txt"
    out.write_bytes(b"held\n")
    how = ["--backend", "process", "--workers", "2", "--chunk-size", "300"]
    script = 'echo before; "$@"'
    argv = [sys.executable, "-m", "rxp", "stream", *how, *opts, "needle", str(path)]
    with out.open("ab") as sink:
        done = subprocess.run(["sh", "-c", script, "sh", *argv], stdout=sink, check=False)
    assert done.returncode == 0
    assert out.read_bytes() == b"held\nbefore\n" + expected.stdout
