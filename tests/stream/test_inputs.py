"""Which files `rxp stream` reads, and in what order, is GNU grep's: ``-r``/``-R``,
``--include``/``--exclude``/``--exclude-dir``, ``-s`` and ``--label`` give
``LC_ALL=C grep -E -a``'s bytes, exit status and messages on every backend; the name rules
are glibc's ``fnmatch`` (checked against the C library itself) under gnulib's
last-match-wins rule; and each input is opened once, read by ranges or as a stream as its
descriptor says."""

from __future__ import annotations

import ctypes
import locale
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rxp._stream._engine import _End, items_of
from rxp._stream._fnmatch import fnmatch
from rxp._stream._inputs import Input
from rxp._stream._source import Range, read_range, stream_blocks
from rxp._stream._walk import Walk, excluded, walk
from tests.stream.helpers import GREP, Result, grep, rxp

pytestmark = pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")

BACKENDS = ["sync", "thread", "asyncio", "process"]


# --- a tree to search -------------------------------------------------------------------------


def _tree(root: Path) -> Path:
    """Files of every kind a walk meets: nested directories, a dot file, an empty file, a
    last line without newline, a name that is not UTF-8, links to a file, to a directory
    and to nothing."""
    top = root / "tree"
    files = {
        "a.txt": b"foo a\nbar\n",
        "b.log": b"foo b\n",
        ".hidden": b"foo hidden\n",
        "sub/c.txt": b"no\nfoo c",
        "sub/deep/d.log": b"x\nfoo d\n",
        "sub/empty.txt": b"",
        "x/y/z.txt": b"foo z\n",
    }
    for name, data in files.items():
        path = top / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (top / os.fsdecode(b"n\xffme.txt")).write_bytes(b"foo raw\n")
    (top / "link.log").symlink_to("b.log")
    (top / "linkdir").symlink_to("sub")
    (top / "dangling").symlink_to("nowhere")
    return top


def _messages(stderr: str, prog: str) -> list[tuple[str, str]]:
    """stderr as (kind, text): grep's ``grep: A: warning: B`` and rxp's ``rxp: warning:
    A: B`` are the same warning; ``grep: A`` and ``rxp: error: A`` the same error."""
    found = []
    for line in stderr.splitlines():
        text = line.split(": ", 1)[1]
        if prog == "grep":
            name, sep, rest = text.partition(": warning: ")
            found.append(("warning", f"{name}: {rest}") if sep else ("error", text))
        else:
            kind, _, rest = text.partition(": ")
            found.append((kind, rest))
    return found


def _same(got: Result, expected: Result, what: object) -> None:
    assert (got.status, got.stdout) == (expected.status, expected.stdout), what
    assert _messages(got.stderr, "rxp") == _messages(expected.stderr, "grep"), what


CASES = [
    ["-r", "foo"],
    ["-r", "foo", "."],
    ["-rn", "foo", "sub", "a.txt"],
    ["-R", "foo"],
    ["-R", "foo", "linkdir", "link.log"],
    ["-r", "foo", "linkdir", "link.log", "dangling"],
    ["-r", "foo", "sub/", "sub//", "./sub"],
    ["-r", "foo", "a.txt"],
    ["-rH", "foo", "a.txt"],
    ["-rh", "foo"],
    ["-rc", "foo"],
    ["-r", "--include=*.log", "foo"],
    ["-r", "--exclude=*.log", "foo"],
    ["-r", "--exclude=a*", "--include=*.log", "foo"],
    ["-r", "--include=*.log", "--exclude=d*", "foo"],
    ["-r", "--exclude=d.log", "--include=*.log", "foo"],
    ["-r", "--include=[!a-c]*", "--include=.*", "foo"],
    ["-r", "--exclude-dir=sub", "foo"],
    ["-r", "--exclude-dir=deep/", "--exclude-dir=y", "foo"],
    ["-r", "--exclude-dir=sub", "foo", "sub"],
    ["--exclude-dir=sub", "foo", "sub", "a.txt"],
    ["--exclude=*.txt", "foo", "a.txt", "./a.txt", "b.log", "sub/c.txt"],
    ["--include=sub/c*", "foo", "a.txt", "sub/c.txt"],
    ["--exclude=sub", "foo", "sub/c.txt", "a.txt"],
    ["foo", "sub", "a.txt"],
    ["-c", "foo", "sub", "a.txt"],
    ["-s", "foo", "sub", "missing", "a.txt"],
    ["-rs", "foo", "missing", "dangling"],
    ["-Rs", "foo"],
    ["-r", "foo", "missing"],
    ["-rq", "foo", "missing", "a.txt"],
    ["-r", "-m", "1", "-A", "1", "foo"],
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_operands_and_walks_are_grep_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.chdir(_tree(tmp_path))
    how = ["--backend", backend, "--workers", "2", "--chunk-size", "3"]
    for options in CASES:
        expected = grep(options)
        got = rxp(["stream", *how, *options])
        _same(got, expected, (backend, options))


def test_a_directory_operand_without_r_is_an_error_with_its_count(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    got = rxp(["stream", "-c", "foo", str(top / "sub"), str(top / "a.txt")])
    assert got.status == 2
    assert got.stdout == f"{top}/sub:0\n{top}/a.txt:1\n".encode()
    assert got.stderr == f"rxp: error: {top}/sub: Is a directory\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_walks_skip_fifos_and_do_not_wait_for_their_writer(tmp_path: Path, backend: str) -> None:
    top = _tree(tmp_path)
    os.mkfifo(top / "sub" / "pipe")
    how = ["--backend", backend, "--workers", "2"]
    options = ["-r", "foo", str(top)]
    _same(rxp(["stream", *how, *options]), grep(options), backend)


def test_a_directory_that_links_back_to_itself_is_reported_not_entered(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    (top / "sub" / "deep" / "up").symlink_to("..")
    for options in (["-R", "foo", str(top)], ["-Rs", "foo", str(top)], ["-r", "foo", str(top)]):
        _same(rxp(["stream", *options]), grep(options), options)


# --- random trees and rules --------------------------------------------------------------------

NAMES = ["a.txt", "b.log", "ab", ".c", "d.txt", "[x]", "e*f"]
GLOBS = ["*.txt", "a*", "*b*", ".*", "?", "[ab]*", "[!a]*", "\\[x]", "e\\*f", "d", "sub*", "*/a*"]


@st.composite
def trees(draw: st.DrawFn) -> dict[str, bytes]:
    paths = draw(
        st.lists(
            st.tuples(st.sampled_from(["", "sub/", "sub/in/", "top/"]), st.sampled_from(NAMES)),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    return {d + n: draw(st.sampled_from([b"foo\n", b"no\n", b"foo", b""])) for d, n in paths}


rules = st.lists(
    st.tuples(st.sampled_from(["--include", "--exclude", "--exclude-dir"]), st.sampled_from(GLOBS)),
    max_size=4,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees(), given_rules=rules, operand=st.sampled_from([[], ["."], ["sub", "a.txt"]]))
def test_random_trees_and_rules_read_grep_s_files(
    tmp_path_factory: pytest.TempPathFactory,
    tree: dict[str, bytes],
    given_rules: list[tuple[str, str]],
    operand: list[str],
) -> None:
    top = tmp_path_factory.mktemp("walk")
    for name, data in tree.items():
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_bytes(data)
    options = ["-rc", *(f"{flag}={glob}" for flag, glob in given_rules), "foo", *operand]
    cwd = Path.cwd()
    os.chdir(top)
    try:
        _same(rxp(["stream", *options]), grep(options), options)
    finally:
        os.chdir(cwd)


# --- --label, and stdin among files, in a process (stdin) ----------------------------------


def _process(argv: list[str], stdin: bytes, cwd: Path) -> Result:
    done = subprocess.run(argv, input=stdin, capture_output=True, cwd=cwd, timeout=60, check=False)
    return Result(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_label_names_standard_input(tmp_path: Path, backend: str) -> None:
    top = _tree(tmp_path)
    env_grep = [GREP or "grep", "-E", "-a"]
    rxp_argv = [sys.executable, "-m", "rxp", "stream", "--backend", backend]
    for options in (
        ["--label=LBL", "-H", "foo"],
        ["--label", "in put", "-c", "foo", "-", "a.txt", "-"],
        ["-r", "--label=L", "--include=*.log", "foo", "-", "sub"],
        ["-n", "foo", "-"],
    ):
        expected = _process([*env_grep, *options], b"foo 1\nbar\nfoo 2", top)
        got = _process([*rxp_argv, *options], b"foo 1\nbar\nfoo 2", top)
        _same(got, expected, (backend, options))


# --- the name rules ---------------------------------------------------------------------------


@pytest.fixture
def c_locale() -> Iterator[None]:
    saved = locale.setlocale(locale.LC_ALL)
    locale.setlocale(locale.LC_ALL, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_ALL, saved)


_PIECES = [*b"ab[]!^-\\*?:=./z9 ", b"[:alpha:]", b"[:digit", b"[=a=]", b"[.a.]", b"[.ab.]"]
_PIECES += [b"[[:space:]]", b"[:bogus:]", b"[=", b"[.-.]"]
glob_texts = st.lists(
    st.sampled_from([p if isinstance(p, bytes) else bytes([p]) for p in _PIECES]), max_size=8
).map(b"".join)
name_texts = st.lists(st.sampled_from(list(b"ab[]-!^:=.z/\\ 9")), max_size=6).map(bytes)


@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(glob=glob_texts, name=name_texts)
def test_fnmatch_is_glibc_s(c_locale: None, glob: bytes, name: bytes) -> None:
    libc = ctypes.CDLL(None)
    libc.fnmatch.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
    assert fnmatch(glob, name) == (libc.fnmatch(glob, name, 0) == 0), (glob, name)


def test_the_last_matching_rule_decides_and_the_first_sets_the_default() -> None:
    include, exclude = True, False
    assert excluded(((include, "*.log"), (exclude, "a*")), b"a.log", anchored=True)
    assert not excluded(((exclude, "a*"), (include, "*.log")), b"a.log", anchored=True)
    assert excluded(((include, "*.log"),), b"b.txt", anchored=True)  # first is --include
    assert not excluded(((exclude, "*.log"),), b"b.txt", anchored=True)
    assert not excluded(((exclude, "a*"), (include, "*.log")), b"b.txt", anchored=True)
    # a command-line name matches by its whole or by what follows a "/"
    assert excluded(((exclude, "c*"),), b"sub/c.txt", anchored=False)
    assert not excluded(((exclude, "c*"),), b"sub/c.txt", anchored=True)
    assert excluded(((exclude, "sub"),), b"./sub", anchored=False)


def test_a_walk_keeps_the_implicit_dot_out_of_names(tmp_path: Path) -> None:
    top = _tree(tmp_path)
    info = os.stat(top)
    cwd = Path.cwd()
    os.chdir(top)
    try:
        found = list(walk(".", Walk(True, strip_dot=True), (info.st_dev, info.st_ino)))
    finally:
        os.chdir(cwd)
    names = {f.name for f in found}
    assert "a.txt" in names and "sub/deep/d.log" in names
    assert not any(n.startswith("./") for n in names)
    assert "link.log" not in names and "dangling" not in names  # -r leaves links alone


# --- sources: open once, read as the descriptor says ------------------------------------------


def test_a_stream_is_answered_line_by_line_and_a_long_line_joined_once() -> None:
    reads = [b"a\n", b"b", b"c\nd", b""]
    log: list[object] = []

    def read(size: int) -> bytes:
        log.append("read")
        return reads.pop(0)

    blocks = stream_blocks(read, 4)
    assert next(blocks) == (0, b"a\n") and log == ["read"]  # before the next read
    assert next(blocks) == (2, b"bc\n") and log == ["read"] * 3
    assert list(blocks) == [(5, b"d")]


def test_a_long_line_in_small_reads_takes_linear_time() -> None:
    # 16 MB in 4 kB reads: re-joining the partial line at each read would copy ~32 GB
    size, piece = 16 << 20, b"x" * 4096
    left = [size // len(piece)]

    def read(_: int) -> bytes:
        if left[0] == 0:
            return b""
        left[0] -= 1
        return piece if left[0] else piece + b"\n"

    import time

    started = time.monotonic()
    blocks = list(stream_blocks(read, 1 << 20))
    assert time.monotonic() - started < 10  # linear: a fraction of a second
    assert [len(b) for _, b in blocks] == [size + 1]


def test_a_file_that_grows_while_read_is_read_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "growing.log"
    path.write_bytes(b"one\ntwo\n")
    items = items_of([Input(str(path), str(path))], 4, lambda _: False)
    jobs: list[object] = []
    for item in items:
        jobs.append(item)
        if isinstance(item, Range) and item.end == item.size:  # the last range of the size seen
            with path.open("ab") as f:
                f.write(b"three\n")
    ranges = [read_range(j) for j in jobs if isinstance(j, Range)]
    tail = [j for j in jobs if isinstance(j, tuple) and not isinstance(j, Range)]
    assert b"".join(data for _, data in ranges) == b"one\ntwo\n"
    assert tail == [(8, b"three\n")]
    _close(jobs)


def test_a_file_that_shrinks_while_read_gives_what_is_left(tmp_path: Path) -> None:
    path = tmp_path / "shrinking.log"
    path.write_bytes(b"one\ntwo\nthree\n" * 100)
    items = items_of([Input(str(path), str(path))], 64, lambda _: False)
    jobs = list(items)
    path.write_bytes(b"one\n")  # truncated after the ranges were cut
    got = [read_range(j) for j in jobs if isinstance(j, Range)]
    assert b"".join(data for _, data in got) == b"one\n"
    _close(jobs)


def _close(items: list[object]) -> None:
    """Close the descriptors the markers carry, as a run does at each file's end."""
    for item in items:
        if isinstance(item, _End) and item.fd is not None:
            os.close(item.fd)
