"""Closed, full and broken standard streams, and files rxp is told to write, for every
command (issue 19, items 4, 5, 6 and 12): the answers of ``rxp.cli._output``.

The oracle is GNU grep's behaviour: a failed write of stdout is one line
``PROG: error: write error: <strerror>`` and exit 2 (only when something was written: grep
-q with a closed stdout exits 0), a reader that goes away ends the process quietly (SIGPIPE),
a diagnostic that cannot be written changes nothing (the status is the work's), and a closed
stdin reads as ``(standard input): Bad file descriptor``. Every JSON document rxp prints is
strict UTF-8 with no lone surrogate, whatever bytes came in.

The matrix (every command under every fault) runs in children forked from one warm
interpreter (``_forked``); the issue's own command lines run as real processes from a shell.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rxp.cli import _output
from tests._forked import Driver, Ran

from .helpers import one_error_line, sh

GOOD = b"foo bar\nbaz\nfoo2\n"

OLD = b"goos: linux\npkg: p\nBenchmarkA-2 \t 100\t 1000 ns/op\nBenchmarkA-2 \t 100\t 1100 ns/op\n"
NEW = b"goos: linux\npkg: p\nBenchmarkA-2 \t 100\t 900 ns/op\nBenchmarkA-2 \t 100\t 950 ns/op\n"

TINY_BENCH = """\
def BenchmarkParent(b):  # the first results are written from inside the user's b.run
    b.run("one", tiny)
    b.run("two", tiny)


def BenchmarkTiny(b):
    tiny(b)


def tiny(b):
    for _ in range(b.n):
        pass
"""

SIGPIPE = 128 + signal.SIGPIPE

# One xdist worker runs this module: the matrix (every command under every fault, some 200
# runs) is a module fixture, and each worker that ran one of its tests would build it again.
pytestmark = pytest.mark.xdist_group("faults-outputs")


class Command(NamedTuple):
    ok: list[str]  # a run that succeeds and writes to stdout
    error: list[str]  # a run that fails on its input (exit 2)
    stdin: list[str] | None  # a run that reads stdin, or None


PROCESS = ["rxp", "stream", "--backend", "process", "--workers", "2"]
COMMANDS: dict[str, Command] = {
    "stream": Command(
        ["rxp", "stream", "foo", "good.log"],
        ["rxp", "stream", "foo", "missing.log"],
        ["rxp", "stream", "foo"],
    ),
    # the process workers write stdout themselves (``_process_pool.Turn``), a job each line
    "stream, process workers": Command(
        [*PROCESS, "--chunk-size", "4", "-n", "o", "good.log"],
        [*PROCESS, "-n", "foo", "missing.log"],
        [*PROCESS, "--chunk-size", "4", "-n", "o"],
    ),
    "stream --json": Command(
        ["rxp", "stream", "--json", "foo", "good.log"],
        ["rxp", "stream", "--json", "foo", "missing.log"],
        ["rxp", "stream", "--json", "foo", "-"],
    ),
    "stream --journal": Command(
        ["rxp", "stream", "--journal", "export", "hi", "j.export"],
        ["rxp", "stream", "--journal", "export", "x", "missing.log"],
        ["rxp", "stream", "--journal", "export", "x"],
    ),
    "explain": Command(
        ["rxp", "explain", "a+"], ["rxp", "explain", "("], ["rxp", "explain", "-f", "-"]
    ),
    "explain --json": Command(
        ["rxp", "explain", "--json", "a+"],
        ["rxp", "explain", "--json", "("],
        ["rxp", "explain", "--json", "-f", "-"],
    ),
    "test": Command(["rxp", "test", "a", "abc"], ["rxp", "test", "(", "abc"], ["rxp", "test", "a"]),
    "parse": Command(
        ["rxp", "parse", "good.log"], ["rxp", "parse", "missing.log"], ["rxp", "parse"]
    ),
    "mine": Command(["rxp", "mine", "good.log"], ["rxp", "mine", "missing.log"], ["rxp", "mine"]),
    "mine --json": Command(
        ["rxp", "mine", "--json", "--lines", "good.log"],
        ["rxp", "mine", "--json", "missing.log"],
        ["rxp", "mine", "--json", "-"],
    ),
    "bench": Command(
        ["rxp", "bench", "--benchtime", "1x", "bench_tiny.py"],
        ["rxp", "bench", "--benchtime", "1x", "missing.py"],
        None,
    ),
    "bench compare": Command(
        ["rxp", "bench", "compare", "old.txt", "new.txt"],
        ["rxp", "bench", "compare", "old.txt", "missing.txt"],
        None,
    ),
    "bench gen-journal": Command(
        ["rxp", "bench", "gen-journal", "--size", "1KiB"],
        ["rxp", "bench", "gen-journal", "--size", "1KiB", "-o", "/nope/x"],
        None,
    ),
    "--help": Command(["rxp", "--help"], ["rxp", "--nope"], None),
    "lograg": Command(["lograg", "good.log", "foo"], ["lograg", "missing.log", "foo"], None),
}

# fault -> (which of a command's runs, its stdin, stdout, stderr)
FAULTS: dict[str, tuple[str, str, str, str]] = {
    "plain": ("ok", "null", "capture", "capture"),
    "error": ("error", "null", "capture", "capture"),
    "stdout closed": ("ok", "null", "closed", "capture"),
    "stdout full": ("ok", "null", "full", "capture"),
    "stdout a pipe with no reader": ("ok", "null", "broken-pipe", "capture"),
    "stderr closed": ("ok", "null", "capture", "closed"),
    "stderr full": ("ok", "null", "capture", "full"),
    "error, stderr closed": ("error", "null", "capture", "closed"),
    "error, stderr full": ("error", "null", "capture", "full"),
    "error, stdout closed": ("error", "null", "closed", "capture"),
    "stdin closed": ("ok", "closed", "capture", "capture"),
    "every stream closed": ("ok", "closed", "closed", "closed"),
    "reading a closed stdin": ("stdin", "closed", "capture", "capture"),
}


def _files(folder: Path) -> None:
    (folder / "good.log").write_bytes(GOOD)
    (folder / "j.export").write_bytes(b"__REALTIME_TIMESTAMP=1705276800000000\nMESSAGE=hi\n\n")
    (folder / "old.txt").write_bytes(OLD)
    (folder / "new.txt").write_bytes(NEW)
    (folder / "bench_tiny.py").write_text(TINY_BENCH)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("outputs")
    _files(made)
    return made


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    forked = Driver(tmp_path_factory.mktemp("driver"))
    yield forked
    forked.close()


@pytest.fixture(scope="module")
def matrix(driver: Driver, folder: Path) -> dict[tuple[str, str], Ran]:
    """Every command under every fault."""
    results = {}
    for name, command in COMMANDS.items():
        for fault, (which, stdin, stdout, stderr) in FAULTS.items():
            argv = getattr(command, which)
            if argv is not None:
                results[name, fault] = driver.run(
                    argv, cwd=folder, stdin=stdin, stdout=stdout, stderr=stderr
                )
    return results


def _same(name: str, out: bytes) -> bytes:
    """``out`` with what changes from run to run (timings) made equal."""
    if name in ("bench", "stream --json"):
        return re.sub(rb"\s+", b" ", re.sub(rb"\d+(\.\d+)?", b"0", out))
    return out


def _cases(*faults: str) -> list[tuple[str, str]]:
    return [
        (name, fault)
        for name, command in COMMANDS.items()
        for fault in faults
        if getattr(command, FAULTS[fault][0]) is not None
    ]


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_works_and_fails_as_the_matrix_expects(
    name: str, matrix: dict[tuple[str, str], Ran]
) -> None:
    plain, error = matrix[name, "plain"], matrix[name, "error"]
    assert plain.status == 0, plain.stderr
    assert plain.stdout
    assert error.status == 2, error.stderr
    if name == "explain --json":  # the error is a document on stdout
        assert "error" in json.loads(error.stdout)
    else:
        assert re.match(rb"(rxp|lograg): error: ", error.stderr), error.stderr
    assert b"Traceback" not in plain.stderr + error.stderr


@pytest.mark.parametrize(("name", "fault"), _cases("stdout closed", "stdout full"))
def test_a_stdout_that_cannot_be_written_is_one_line_and_exit_2(
    name: str, fault: str, matrix: dict[tuple[str, str], Ran]
) -> None:
    ran = matrix[name, fault]
    words = "Bad file descriptor" if fault == "stdout closed" else "No space left on device"
    assert ran.status == 2, ran.stderr
    prog = "lograg" if name == "lograg" else "rxp"
    assert one_error_line(ran.stderr) == f"write error: {words}"
    assert ran.stderr.startswith(prog.encode())


@pytest.mark.parametrize("name", COMMANDS)
def test_a_reader_that_went_away_ends_the_command_quietly(
    name: str, matrix: dict[tuple[str, str], Ran]
) -> None:
    ran = matrix[name, "stdout a pipe with no reader"]
    assert ran.status == SIGPIPE
    assert ran.stderr == b""  # no traceback, no "Exception ignored ... BrokenPipeError"


@pytest.mark.parametrize(("name", "fault"), _cases("stderr closed", "stderr full"))
def test_a_diagnostic_that_cannot_be_written_changes_nothing(
    name: str, fault: str, matrix: dict[tuple[str, str], Ran]
) -> None:
    plain, ran = matrix[name, "plain"], matrix[name, fault]
    assert ran.status == plain.status == 0
    assert _same(name, ran.stdout) == _same(name, plain.stdout)  # nothing lost
    assert ran.stderr == b""


@pytest.mark.parametrize(
    ("name", "fault"),
    _cases("error, stderr closed", "error, stderr full", "error, stdout closed"),
)
def test_an_error_is_exit_2_whether_or_not_it_can_be_reported(
    name: str, fault: str, matrix: dict[tuple[str, str], Ran]
) -> None:
    error, ran = matrix[name, "error"], matrix[name, fault]
    assert ran.status == 2
    if fault == "error, stdout closed":  # stderr works: the error, and the write error
        # if the command had output due (--json: its error document, or a summary)
        lines = ran.stderr.decode().splitlines()
        assert lines[: len(error.stderr.splitlines())] == error.stderr.decode().splitlines()
        prog = "lograg" if name == "lograg" else "rxp"
        assert lines[len(error.stderr.splitlines()) :] == (
            [f"{prog}: error: write error: Bad file descriptor"] if error.stdout else []
        )
    else:
        assert ran.stderr == b""
        assert _same(name, ran.stdout) == _same(name, error.stdout)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_closed_stdin_is_no_matter_to_a_command_that_does_not_read_it(
    name: str, matrix: dict[tuple[str, str], Ran]
) -> None:
    plain, ran = matrix[name, "plain"], matrix[name, "stdin closed"]
    assert ran.status == plain.status, ran.stderr
    assert _same(name, ran.stdout) == _same(name, plain.stdout)
    assert ran.stderr == plain.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_with_every_stream_closed_the_status_still_tells(
    name: str, matrix: dict[tuple[str, str], Ran]
) -> None:
    assert matrix[name, "every stream closed"].status == 2  # output was due: a write error


@pytest.mark.parametrize(("name", "fault"), _cases("reading a closed stdin"))
def test_reading_a_closed_stdin_is_grep_s_message_and_exit_2(
    name: str, fault: str, matrix: dict[tuple[str, str], Ran]
) -> None:
    ran = matrix[name, fault]
    assert ran.status == 2, ran.stderr
    if name == "parse":  # the error line, then the summary that counts the file
        first, summary = ran.stderr.decode().splitlines()
        assert first == "rxp: error: cannot read (standard input): Bad file descriptor"
        assert summary.endswith("1 file(s) could not be read")
    elif name == "explain --json":  # the error document, on stdout
        error = json.loads(ran.stdout)["error"]["message"]
        assert error == "(standard input): Bad file descriptor"
    elif name == "stream --json":  # stdin keeps its JSON name (ripgrep's) in the message
        assert one_error_line(ran.stderr) == "<stdin>: Bad file descriptor"
    else:
        assert one_error_line(ran.stderr) == "(standard input): Bad file descriptor"


def test_as_grep_nothing_written_is_no_write_error(driver: Driver, folder: Path) -> None:
    quiet = driver.run(["rxp", "stream", "-q", "foo", "good.log"], cwd=folder, stdout="closed")
    none = driver.run(["rxp", "stream", "zzz", "good.log"], cwd=folder, stdout="full")
    count = driver.run(["rxp", "stream", "-c", "zzz", "good.log"], cwd=folder, stdout="closed")
    assert (quiet.status, quiet.stderr) == (0, b"")
    assert (none.status, none.stderr) == (1, b"")
    assert count.status == 2  # "0" is output: grep -c says the same
    assert one_error_line(count.stderr) == "write error: Bad file descriptor"


@pytest.mark.parametrize(
    "argv",
    [
        ["rxp", "stream", "foo", "big.log"],
        ["rxp", "stream", "--json", "foo", "big.log"],
        ["rxp", "stream", "--backend", "process", "--workers", "2", "-n", "foo", "big.log"],
        ["rxp", "stream", "--backend", "thread", "--workers", "2", "-n", "foo", "big.log"],
        ["rxp", "stream", "--backend", "asyncio", "--workers", "2", "-n", "foo", "big.log"],
        ["rxp", "parse", "big.log"],
        ["rxp", "parse", "--workers", "2", "big.log"],  # the workers write stdout themselves
        ["rxp", "mine", "--json", "--lines", "big.log"],
        ["rxp", "bench", "gen-journal", "--size", "2MiB"],
        ["rxp", "explain", "(a)" * 3000],
        ["rxp", "test", "o", "line foo " * 3000],
        ["lograg", "big.log", "foo"],
    ],
    ids=lambda argv: " ".join(a[:12] for a in argv[:5]),
)
def test_a_pipe_closed_during_a_large_output_is_a_quiet_exit(
    argv: list[str], driver: Driver, folder: Path
) -> None:
    big = folder / "big.log"
    if not big.exists():
        big.write_bytes(b"".join(b"line %d foo\n" % i for i in range(60000)))
    ran = driver.run(argv, cwd=folder, stdout="head:10")
    assert ran.status == SIGPIPE, ran.stderr
    assert len(ran.stdout) == 10
    assert ran.stderr == b""  # nothing from Python at exit either


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["rxp", "bench", "gen-journal", "--size", "1KiB", "-o", "/nope/x"],
            "cannot write '/nope/x': No such file or directory",
        ),
        (
            ["rxp", "bench", "gen-journal", "--size", "1MiB", "-o", "/dev/full"],
            "cannot write '/dev/full': No space left on device",
        ),
        (
            ["rxp", "bench", "gen-journal", "--size", "1KiB", "-o", "."],
            "cannot write '.': Is a directory",
        ),
        (
            ["rxp", "bench", "--benchtime", "1x", "--pyperf", "/nope/x.json", "bench_tiny.py"],
            "cannot write '/nope/x.json': No such file or directory",
        ),
        (
            ["rxp", "bench", "--benchtime", "1x", "--pyperf", "good.log/x", "bench_tiny.py"],
            "cannot write 'good.log/x': Not a directory",
        ),
        (
            ["rxp", "explain", "--svg", "/nope/x.svg", "a"],
            "cannot write '/nope/x.svg': No such file or directory",
        ),
    ],
)
def test_a_file_rxp_cannot_write_is_named_with_the_os_words(
    argv: list[str], message: str, driver: Driver, folder: Path
) -> None:
    ran = driver.run(argv, cwd=folder)
    assert ran.status == 2
    assert one_error_line(ran.stderr) == message
    assert ran.stdout == b""  # --json: checked before any benchmark ran


# --- the issue's command lines, as real processes ----------------------------------------------


@pytest.mark.parametrize(
    ("script", "status", "message"),
    [
        ("rxp explain a >&-", 2, "write error: Bad file descriptor"),
        ("rxp stream foo good.log > /dev/full", 2, "write error: No space left on device"),
        ("rxp stream foo 0<&-", 2, "(standard input): Bad file descriptor"),
        ("rxp stream foo missing.txt 2>&-", 2, None),
        ("rxp parse good.log 2>/dev/full >/dev/null", 0, None),
        ("rxp parse good.log > /dev/full", 2, "write error: No space left on device"),
        ("rxp parse -j 2 good.log > /dev/full", 2, "write error: No space left on device"),
        ("rxp parse -j 2 good.log >&-", 2, "write error: Bad file descriptor"),
        ("lograg good.log foo >&- 2>&-", 2, None),
    ],
)
def test_the_issue_s_command_lines(
    script: str, status: int, message: str | None, folder: Path
) -> None:
    done = sh(script, cwd=folder)
    assert done.returncode == status, done.stderr
    if message is None:
        assert done.stderr == b""
    else:
        assert one_error_line(done.stderr) == message


def test_python_s_exit_finds_nothing_left_to_flush_after_a_closed_pipe(folder: Path) -> None:
    """A shell that ignores SIGPIPE cannot make rxp ignore it (rxp restores the default),
    so the output is still cut quietly: no "Exception ignored ... BrokenPipeError"."""
    (folder / "big2.log").write_bytes(b"".join(b"line %d foo\n" % i for i in range(30000)))
    done = sh("trap '' PIPE; rxp stream foo big2.log | head -c 5", cwd=folder)
    assert done.returncode == SIGPIPE
    assert done.stdout == b"line "
    assert done.stderr == b""


# --- every JSON document is strict UTF-8 -------------------------------------------------------


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _documents(out: bytes, lines: bool) -> list[object]:
    """The JSON documents of ``out``, which must be strict UTF-8 holding valid Unicode."""
    text = out.decode("utf-8")  # strict: raises on any invalid byte
    docs = [json.loads(line) for line in text.splitlines()] if lines else [json.loads(text)]
    for doc in docs:
        for string in _strings(doc):
            string.encode("utf-8")  # raises on a lone surrogate (from a \udXXX escape)
    return docs


NAMES = st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b)
ARGV = st.binary(max_size=16).filter(lambda b: b"\0" not in b).map(os.fsdecode)
LINES = st.lists(
    st.one_of(
        st.binary(max_size=24),
        st.sampled_from([b'{"m":"\\ud800"}', b'{"\\udcff":"\\udfff x"}', b"k=\xff\xfe v=\xed"]),
    ),
    max_size=5,
).map(b"\n".join)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


def _fresh(folder: Path, name: bytes, data: bytes) -> Path:
    """A new file called ``name`` (any bytes) holding ``data``, in a folder of its own."""
    home = folder / f"case-{len(list(folder.iterdir()))}"
    home.mkdir()
    path = home / os.fsdecode(b"n-" + name)
    path.write_bytes(data)
    return path


@FAST
@given(name=NAMES, data=LINES)
def test_parse_json_lines_are_strict_utf8_whatever_the_bytes(
    name: bytes, data: bytes, driver: Driver, folder: Path
) -> None:
    odd = _fresh(folder, name, data)
    ran = driver.run(["rxp", "parse", str(odd), "good.log"], cwd=folder)
    assert ran.status == 0, ran.stderr
    records = _documents(ran.stdout, lines=True)
    assert len(records) >= 3  # nothing dropped: good.log's three lines at least
    for record in records:
        assert isinstance(record, dict)
        if record["_file"] != "good.log":
            raw = base64.b64decode(record.get("_file_bytes", "")) or record["_file"].encode()
            assert raw == os.fsencode(odd)  # the name, exactly, when it is not UTF-8


@FAST
@given(name=NAMES, data=st.binary(max_size=64))
def test_stream_json_is_strict_utf8_whatever_the_bytes(
    name: bytes, data: bytes, driver: Driver, folder: Path
) -> None:
    odd = _fresh(folder, name, data)
    ran = driver.run(["rxp", "stream", "--json", "(?P<g>.)", str(odd)], cwd=folder)
    _documents(ran.stdout, lines=True)


@FAST
@given(pattern=ARGV, stdin=st.binary(max_size=16))
def test_explain_json_is_strict_utf8_whatever_the_bytes(
    pattern: str, stdin: bytes, driver: Driver, folder: Path
) -> None:
    ran = driver.run(["rxp", "explain", "--json", "--", pattern], cwd=folder)
    _documents(ran.stdout, lines=False)
    source = _fresh(folder, b"stdin", stdin)
    ran = driver.run(["rxp", "explain", "--json", "-f", "-"], cwd=folder, stdin=f"file:{source}")
    _documents(ran.stdout, lines=False)


@FAST
@given(subject=ARGV, stdin=st.binary(max_size=16))
def test_test_json_is_strict_utf8_whatever_the_bytes(
    subject: str, stdin: bytes, driver: Driver, folder: Path
) -> None:
    ran = driver.run(["rxp", "test", "--json", "--", "(?P<a>.)(.)?", subject], cwd=folder)
    (doc,) = _documents(ran.stdout, lines=True)
    assert isinstance(doc, dict)
    assert doc["subjects"][0]["text"] == _output.utf8_bytes(subject).decode("utf-8")
    source = _fresh(folder, b"stdin", stdin)
    ran = driver.run(["rxp", "test", "--json", "(?P<a>.)(.)?"], cwd=folder, stdin=f"file:{source}")
    _documents(ran.stdout, lines=True)


def test_json_from_a_process_is_strict_utf8(folder: Path) -> None:
    """The same through a real process: an undecodable file name, invalid bytes and
    lone-surrogate escapes in the input, an undecodable argv."""
    (folder / os.fsdecode(b"bad\xffname.log")).write_bytes(b'a=1\n{"x":"\\ud800"}\nb\xff=2\n')
    done = sh(
        "rxp parse $'bad\\xffname.log' good.log\n"
        "rxp stream --json '(?P<g>.)' $'bad\\xffname.log'\n"
        "rxp test --json a $'a\\xffb'\n"
        "printf 'a\\xff' | rxp test --json a\n",
        cwd=folder,
    )
    assert len(_documents(done.stdout, lines=True)) > 8
    for script in ("rxp explain --json $'x\\xffy'", "printf 'x\\xffy' | rxp explain --json -f -"):
        _documents(sh(script, cwd=folder).stdout, lines=False)


# --- the module itself ------------------------------------------------------------------------


@given(st.text())
def test_utf8_bytes_is_the_text_itself_or_u_fffd_in_place_of_each_lone_surrogate(
    text: str,
) -> None:
    out = _output.utf8_bytes(text).decode("utf-8")
    assert len(out) == len(text)  # offsets counted in code points still hold
    for before, after in zip(text, out, strict=True):
        assert after == (before if not "\ud800" <= before <= "\udfff" else "\ufffd")


def test_a_broken_pipe_is_quiet_and_the_stream_then_discards() -> None:
    read, write = os.pipe()
    os.close(read)
    raw = _output._Fd(write, diagnostics=False)
    try:
        with pytest.raises(_output.WriteError) as caught:
            raw.write(b"x")  # pytest's process ignores SIGPIPE, as Python does
        err = io.StringIO()
        saved, sys.stderr = sys.stderr, err
        try:
            assert _output.write_failed(caught.value, "rxp") == 141
        finally:
            sys.stderr = saved
        assert err.getvalue() == ""
        assert raw.write(b"more") == 4  # dead: nothing left to fail at exit
    finally:
        os.close(write)


def test_text_echoes_undecodable_bytes_and_never_fails_on_other_surrogates() -> None:
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8", errors="rxp-echo")
    text.write(os.fsdecode(b"a\xffb") + "\ud800")
    text.flush()
    assert buffer.getvalue() == b"a\xffb\xef\xbf\xbd"
