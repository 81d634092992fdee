"""Broken bench files and broken results files (issue 19, item 11, and its class).

``rxp bench``: a file that fails to import, and a benchmark that fails in any way (an
exception, ``sys.exit``, a cleanup, recursion, memory), is one ``--- FAIL: NAME`` block with
the user's frames only, indented as ``go test`` indents; every other benchmark still runs
and its result line is on stdout, which carries nothing else; the exit status is 1, as
``go test -bench`` exits on FAIL; Ctrl-C still stops the run with 130.

``rxp bench compare``: every broken input is a table or one ``rxp: error: FILE[:LINE]: ...``
line with status 2 (a line benchstat cannot use is its syntax error, named by file and line),
never a hang or a traceback. The oracle for line numbers and messages is benchfmt's reader
(tests/bench/test_format.py holds its own test cases); for tracebacks, Python's ``compile``.
"""

from __future__ import annotations

import math
import os
import random
import re
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rxp
from rxp._bench import _benchmath, _benchtab, _compare
from rxp._bench._gofmt import ParsedResult, read_results, tidy_unit
from rxp.cli import run as run_cli
from tests.faults.helpers import one_error_line, sh
from tests.helpers import run_rxp

RXP_PACKAGE = str(Path(rxp.__file__).resolve().parent)


@contextmanager
def finishes_within(seconds: float) -> Iterator[None]:
    """Fail instead of hanging: an in-process call that loops for ever is interrupted."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- rxp bench: broken bench files --------------------------------------------------------------

RUNTIME = """\
import os, subprocess, sys

def BenchmarkExit(b):
    sys.exit(3)

def BenchmarkAfterExit(b):
    for _ in range(b.n):
        pass

def BenchmarkExitBuiltin(b):
    exit()

def BenchmarkCleanupRaises(b):
    b.cleanup(lambda: 1 / 0)
    for _ in range(b.n):
        pass

def BenchmarkCleanupExits(b):
    b.cleanup(lambda: sys.exit("bye"))

def BenchmarkBodyAndCleanup(b):
    def tidy():
        raise KeyError("cleanup")
    b.cleanup(tidy)
    raise ValueError("body")

def deeper(n):
    return deeper(n + 1)

def BenchmarkRecursion(b):
    deeper(0)

def BenchmarkMemory(b):
    bytearray(1 << 62)

class Panic(BaseException):
    pass

def BenchmarkBaseException(b):
    raise Panic("not an Exception")

def BenchmarkPrints(b):
    if b.n == 1:
        print("printed by print")
        sys.__stdout__.write("written to sys.__stdout__\\n")
        sys.__stdout__.flush()
        os.write(1, b"written to descriptor 1\\n")
        subprocess.run(["echo", "written by a child process"], check=True)
    for _ in range(b.n):
        pass

def BenchmarkIgnoresN(b):
    pass

def BenchmarkLast(b):
    for _ in range(b.n):
        pass
"""

BROKEN: dict[str, bytes] = {
    "bench_a_good.py": b"def BenchmarkFirst(b):\n    for _ in range(b.n):\n        pass\n",
    "bench_empty.py": b"",
    "bench_exit_import.py": b"import sys\nsys.exit(4)\n",
    "bench_import.py": b"import no_such_module_rxp_faults\n",
    "bench_indent.py": b"def BenchmarkX(b):\n        pass\n    x = 1\n",
    "bench_name.py": b"def BenchmarkX(b):\n    pass\n\nundefined_name\n",
    "bench_not_utf8.py": b"def BenchmarkX(b):\n    pass\n\xff\xfe = 1\n",
    "bench_nul.py": b"x = 1\x00\n",
    "bench_raises.py": b"def setup():\n    raise RuntimeError('setup failed')\n\nsetup()\n",
    "bench_syntax.py": b"def BenchmarkX(b):\n    x = (1 +\n",
    "bench_zz_runtime.py": RUNTIME.encode(),
}
UNREADABLE = "/proc/self/mem"  # a regular file whose read fails (EIO), even for root

RESULTS = [
    "BenchmarkFirst",
    "BenchmarkAfterExit",
    "BenchmarkPrints",
    "BenchmarkIgnoresN",
    "BenchmarkLast",
]
FAILED_FILES = [
    "suite/bench_exit_import.py",
    "suite/bench_import.py",
    "suite/bench_indent.py",
    "suite/bench_name.py",
    "suite/bench_not_utf8.py",
    "suite/bench_nul.py",
    "suite/bench_raises.py",
    "suite/bench_syntax.py",
]
FAILED_BENCHMARKS = [
    "BenchmarkExit",
    "BenchmarkExitBuiltin",
    "BenchmarkCleanupRaises",
    "BenchmarkCleanupExits",
    "BenchmarkBodyAndCleanup",
    "BenchmarkRecursion",
    "BenchmarkMemory",
    "BenchmarkBaseException",
]


class Run:
    """A finished run, its stderr split into ``--- FAIL`` blocks (name -> indented lines)."""

    def __init__(self, root: Path, done: subprocess.CompletedProcess[str]) -> None:
        self.root = root
        self.status = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr
        self.blocks: dict[str, list[str]] = {}
        name = None
        for line in done.stderr.splitlines():
            if line.startswith("--- FAIL: "):
                name = line.removeprefix("--- FAIL: ")
                assert name not in self.blocks, f"{name} failed twice"
                self.blocks[name] = []
            elif name is not None and (line.startswith("    ") or not line):
                self.blocks[name].append(line)
            else:
                name = None


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One run over every broken file (and the good ones between them), so each case below
    is checked in the same run in which the others failed."""
    root = tmp_path_factory.mktemp("bench")
    suite = root / "suite"
    suite.mkdir()
    for name, data in BROKEN.items():
        (suite / name).write_bytes(data)
    (suite / "bench_folder.py").mkdir()  # a folder with a bench name is not a bench file
    done = run_rxp(
        "bench", "--benchtime", "20ms", "--cpu", "1", "suite", UNREADABLE,
        cwd=root, text=True, timeout=120,
    )  # fmt: skip
    return Run(root.resolve(), done)


def test_every_good_benchmark_ran_and_stdout_is_results_only(broken: Run) -> None:
    assert broken.status == 1, broken.stderr
    names = [line.split()[0] for line in broken.stdout.splitlines() if line.startswith("Bench")]
    assert names == RESULTS
    for line in broken.stdout.splitlines():
        assert line.startswith("Benchmark") or re.fullmatch(r"[a-z]+: \S.*", line), line
    for printed in ("printed by print", "sys.__stdout__", "descriptor 1", "child process"):
        assert printed in broken.stderr
        assert printed not in broken.stdout


def test_every_failure_is_reported_once_and_counted(broken: Run) -> None:
    assert list(broken.blocks) == [*FAILED_FILES, *FAILED_BENCHMARKS, UNREADABLE]
    assert broken.stderr.splitlines()[-1] == "FAIL: 8 benchmarks failed, 9 files failed to load"


def test_failures_show_only_the_users_frames_indented_as_go(broken: Run) -> None:
    for name, lines in broken.blocks.items():
        assert lines and lines[0].strip(), name
        text = "\n".join(lines)
        assert RXP_PACKAGE not in text and "<frozen importlib" not in text, text
        assert "site-packages" not in text, text
        assert all(line.startswith("    ") or not line for line in lines), text


def test_a_benchmark_that_ignores_b_n_runs_to_gos_limit(broken: Run) -> None:
    # Go grows n until a call lasts --benchtime or n reaches 1e9, as here.
    line = next(x for x in broken.stdout.splitlines() if x.startswith("BenchmarkIgnoresN"))
    assert line.split()[1] == "1000000000"


def details(broken: Run, name: str) -> str:
    return "\n".join(line.removeprefix("    ") for line in broken.blocks[name])


def line_of(source: str, text: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), 1) if text in line)


@pytest.mark.parametrize("name", ["bench_syntax.py", "bench_indent.py", "bench_not_utf8.py"])
def test_a_syntax_error_is_file_line_col_and_pythons_caret(broken: Run, name: str) -> None:
    path = f"suite/{name}"
    with pytest.raises(SyntaxError) as caught:
        compile(BROKEN[name], os.path.abspath(path), "exec")  # the oracle: Python itself
    exc = caught.value
    python = traceback.format_exception_only(type(exc), exc)
    head, *source = details(broken, path).splitlines()
    assert head == f"{path}:{exc.lineno}:{exc.offset}: {python[-1].rstrip()}"
    assert source == [line.rstrip("\n") for line in python[1:-1]]  # source line and caret


def test_null_bytes_in_a_file_are_pythons_syntax_error(broken: Run) -> None:
    with pytest.raises(SyntaxError) as caught:
        compile(BROKEN["bench_nul.py"], "bench_nul.py", "exec")
    assert f"SyntaxError: {caught.value.msg}" in details(broken, "suite/bench_nul.py")


@pytest.mark.parametrize(
    ("name", "frames", "last"),
    [
        ("bench_import.py", ["<module>"], "ModuleNotFoundError: No module named "
         "'no_such_module_rxp_faults'"),
        ("bench_name.py", ["<module>"], "NameError: name 'undefined_name' is not defined"),
        ("bench_raises.py", ["<module>", "setup"], "RuntimeError: setup failed"),
    ],
)  # fmt: skip
def test_an_error_in_module_code_is_the_users_traceback(
    broken: Run, name: str, frames: list[str], last: str
) -> None:
    text = details(broken, f"suite/{name}")
    assert text.startswith("Traceback (most recent call last):\n")
    seen = re.findall(r'File "([^"]+)", line \d+, in (\S+)', text)
    assert seen == [(str(broken.root / "suite" / name), f) for f in frames]
    assert text.splitlines()[-1] == last


def test_sys_exit_at_import_names_the_call(broken: Run) -> None:
    assert details(broken, "suite/bench_exit_import.py") == (
        "suite/bench_exit_import.py:2: module called sys.exit(4) during import"
    )


def test_an_unreadable_file_fails_alone(broken: Run) -> None:
    assert details(broken, UNREADABLE) == "cannot read: input/output error"


@pytest.mark.parametrize(
    ("name", "call", "message"),
    [("BenchmarkExit", "sys.exit(3)", "benchmark called sys.exit(3)"),
     ("BenchmarkExitBuiltin", "exit()", "benchmark called sys.exit()"),
     ("BenchmarkCleanupExits", 'sys.exit("bye")', "benchmark called sys.exit('bye')")],
)  # fmt: skip
def test_sys_exit_in_a_benchmark_is_a_failure_at_the_call(
    broken: Run, name: str, call: str, message: str
) -> None:
    where = line_of(RUNTIME, call)
    assert details(broken, name) == f"suite/bench_zz_runtime.py:{where}: {message}"


@pytest.mark.parametrize(
    ("name", "functions", "last"),
    [("BenchmarkCleanupRaises", ["<lambda>"], "ZeroDivisionError: division by zero"),
     ("BenchmarkRecursion", ["BenchmarkRecursion", "deeper", "deeper", "deeper"],
      "RecursionError: maximum recursion depth exceeded"),
     ("BenchmarkMemory", ["BenchmarkMemory"], "MemoryError"),
     ("BenchmarkBaseException", ["BenchmarkBaseException"], "Panic: not an Exception")],
)  # fmt: skip
def test_a_raising_benchmark_is_its_traceback(
    broken: Run, name: str, functions: list[str], last: str
) -> None:
    text = details(broken, name)
    assert re.findall(r'File "[^"]+", line \d+, in (\S+)', text) == functions
    assert text.splitlines()[-1].endswith(last)


def test_a_raising_cleanup_is_chained_to_the_benchmarks_error(broken: Run) -> None:
    body, cleanup = details(broken, "BenchmarkBodyAndCleanup").split(
        "During handling of the above exception, another exception occurred:"
    )
    assert body.rstrip().endswith("ValueError: body")
    assert re.findall(r"in (\S+)\n", cleanup) == ["tidy"]
    assert cleanup.rstrip().endswith("KeyError: 'cleanup'")


def test_ctrl_c_stops_the_run_with_130_and_keeps_the_results(tmp_path: Path) -> None:
    (tmp_path / "bench_forever.py").write_text(
        "def BenchmarkFast(b):\n    for _ in range(b.n):\n        pass\n\n"
        "def BenchmarkForever(b):\n    while True:\n        pass\n\n"
        "def BenchmarkNever(b):\n    pass\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxp", "bench", "--benchtime", "1x", "--cpu", "1", "."],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        start_new_session=True,
    )
    assert proc.stdout is not None
    try:
        seen = b""
        while b"BenchmarkFast" not in seen:  # the first result is out: Forever is running
            line = proc.stdout.readline()
            assert line, "rxp ended before its first result"
            seen += line
        time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 130
    stdout = (seen + out).decode()
    assert [x.split()[0] for x in stdout.splitlines() if x.startswith("Bench")] == ["BenchmarkFast"]
    assert b"Traceback" not in err and b"FAIL" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["/dev/null"], "/dev/null: not a regular file or a directory"),
     (["no/such/bench_file.py"], "no/such/bench_file.py: no such file or directory")],
)  # fmt: skip
def test_a_path_that_is_not_a_file_or_folder_is_a_usage_error(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(["bench", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert one_error_line(captured.err.encode()) == message


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "bench_fifo.py")
    done = run_rxp("bench", "bench_fifo.py", cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == "bench_fifo.py: not a regular file or a directory"


def test_with_stderr_closed_the_results_still_reach_stdout(tmp_path: Path) -> None:
    # Sending descriptor 1 to stderr during the run must not need a stderr.
    (tmp_path / "bench_ok.py").write_text(
        "def BenchmarkOk(b):\n    print('chatter')\n    for _ in range(b.n):\n        pass\n"
    )
    done = sh("rxp bench --benchtime 1x --cpu 1 bench_ok.py 2>&-", cwd=tmp_path)
    assert done.returncode == 0
    assert [line.split()[0] for line in done.stdout.decode().splitlines()][-1] == "BenchmarkOk"
    assert b"chatter" not in done.stdout


# -- rxp bench compare: broken results files ----------------------------------------------------

GOOD = "".join(f"BenchmarkA-2 100 {v} ns/op\n" for v in (5, 6, 5, 7, 5, 6)).encode()


def compare(
    tmp_path: Path, old: bytes | None, capsys: pytest.CaptureFixture[str], new: bytes = GOOD
) -> tuple[int, str, str]:
    """``rxp bench compare old.txt new.txt`` in process (``old`` None: no such file)."""
    if old is not None:
        (tmp_path / "old.txt").write_bytes(old)
    (tmp_path / "new.txt").write_bytes(new)
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        with finishes_within(30):
            status = run_cli(["bench", "compare", "old.txt", "new.txt"])
    finally:
        os.chdir(here)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("old", "message"),
    [
        (b"BenchmarkA 100 NaN ns/op\n",
         "old.txt:1: parsing measurement: not a finite number 'NaN'; no benchmark results"),
        (b"BenchmarkA 100 inf ns/op\nBenchmarkA 100 -Inf ns/op\nBenchmarkA 100 +Infinity x\n",
         "old.txt:1: parsing measurement: not a finite number 'inf'; no benchmark results "
         "(2 more bad lines)"),
        (b"BenchmarkA 100 1e309 ns/op\n",
         "old.txt:1: parsing measurement: value out of range '1e309'; no benchmark results"),
        (b"BenchmarkA 100 1e308 MB/s\n", "old.txt:1: parsing measurement: value out of range "
         "'1e308' (in B/s); no benchmark results"),
        (b"BenchmarkA 100 ns/op\n",
         "old.txt:1: parsing measurement: invalid syntax 'ns/op'; no benchmark results"),
        (b"BenchmarkA 100 5\n", "old.txt:1: missing units; no benchmark results"),
        (b"BenchmarkA 10", "old.txt:1: missing measurements; no benchmark results"),
        (b"", "old.txt: no benchmark results"),
        (b"goos: linux\npkg: x\nPASS\n", "old.txt: no benchmark results"),
        (b"\x00\x01\x02 Benchmark\x00\n\x00", "old.txt: no benchmark results"),
        (b"\xff\xfe\x00binary", "old.txt:1: not valid UTF-8 (byte 1 of the line)"),
        (GOOD + b"BenchmarkA-2 100 caf\xe9 ns/op\n" + GOOD,
         "old.txt:7: not valid UTF-8 (byte 21 of the line)"),
        (GOOD + b"x" * 70_000, "old.txt:7: line longer than 65536 bytes"),
        (None, "old.txt: no such file or directory"),
    ],
)  # fmt: skip
def test_a_results_file_benchstat_cannot_use_is_one_error_line(
    tmp_path: Path, old: bytes | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = compare(tmp_path, old, capsys)
    assert status == 2
    assert out == ""
    assert one_error_line(err.encode()) == message


def test_a_folder_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "old.txt").mkdir()
    status, out, err = compare(tmp_path, None, capsys)
    assert (status, out) == (2, "")
    assert one_error_line(err.encode()) == "old.txt: is a directory"


def test_bad_lines_among_good_ones_are_warnings_and_lose_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As benchstat: a syntax error is "file:line: message" on stderr and the table is made
    # from every other line. Seven good values around a NaN, a truncated last line.
    old = (
        b"BenchmarkA-2 100 9 ns/op\nBenchmarkA-2 100 NaN ns/op\n"
        + b"".join(f"BenchmarkA-2 100 {v} ns/op\n".encode() for v in (9, 8, 9, 9, 8, 9))
        + b"BenchmarkA-2 10"
    )
    status, out, err = compare(tmp_path, old, capsys)
    assert status == 0
    assert err.splitlines() == [
        "old.txt:2: parsing measurement: not a finite number 'NaN'",
        "old.txt:9: missing measurements",
    ]
    (row,) = [line for line in out.splitlines() if line.startswith("A-2")]
    assert "n=7+6" in row  # the seven good values of old.txt, all six of new.txt
    assert "-38.89%" in row  # medians 9 -> 5.5


@pytest.mark.parametrize(
    "values",
    [["-5", "-4", "-6"], ["0", "0", "0"], ["1e308", "1e308", "1e307"], ["0", "-1", "1"]],
)
def test_negative_zero_and_huge_values_give_a_table(
    tmp_path: Path, values: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    old = "".join(f"BenchmarkA-2 100 {v} ns/op\n" for v in values).encode()
    status, out, err = compare(tmp_path, old, capsys)
    assert (status, err) == (0, "")
    assert re.search(r"^A-2 ", out, re.MULTILINE)


def test_the_issues_nan_command_answers_at_once(tmp_path: Path) -> None:
    # Issue 19, item 11, as a user runs it (it used to spin for ever).
    done = sh(
        "printf 'BenchmarkA 100 NaN ns/op\\n' > nan.txt\n"
        "printf 'BenchmarkA 100 5 ns/op\\n' > ok.txt\n"
        "rxp bench compare nan.txt ok.txt\n",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (
        "nan.txt:1: parsing measurement: not a finite number 'NaN'; no benchmark results"
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_ends_at_its_first_bad_line(device: str, tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_bytes(GOOD)
    done = run_rxp("bench", "compare", device, "ok.txt", cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert re.fullmatch(
        rf"{device}:\d+: (line longer than 65536 bytes|not valid UTF-8 \(byte \d+ of the line\))",
        one_error_line(done.stderr),
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_random_bytes_in_a_subprocess_are_a_table_or_one_error_line(
    seed: int, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    junk = bytes(rng.choice(b"Benchmark 0123456789.eE+-x/op\n\t\xff") for _ in range(4000))
    (tmp_path / "junk.txt").write_bytes(junk)
    (tmp_path / "ok.txt").write_bytes(GOOD)
    done = run_rxp("bench", "compare", "junk.txt", "ok.txt", cwd=tmp_path, timeout=60)
    assert done.returncode in (0, 2)
    assert b"Traceback" not in done.stderr
    if done.returncode == 2:
        one_error_line(done.stderr)


# -- properties: the reader and the statistics on anything ---------------------------------------

VALUES = st.one_of(
    st.integers(0, 10_000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["NaN", "-Inf", "+Infinity", "1e309", "1e308", "-0", "0x1p-2", "1_0", "x"]),
)
UNITS = st.sampled_from(["ns/op", "MB/s", "B/op", "allocs/op", "sec/op", "x", ""])
SPACES = st.sampled_from([" ", "\t", "  ", "\u2003", "\x0b", "\x1c", "\r", ""])
RESULT_LINES = st.builds(
    lambda name, iters, pairs, space: space.join([name, iters, *(f"{v} {u}" for v, u in pairs)]),
    st.sampled_from(["BenchmarkA", "BenchmarkA-2", "BenchmarkB/x=1", "Benchmark", "Benchmarka"]),
    st.one_of(st.integers(-5, 10**6).map(str), st.sampled_from(["", "x", "1.5", "99" * 20])),
    st.lists(st.tuples(VALUES, UNITS), max_size=3),
    SPACES,
)
OTHER_LINES = st.one_of(
    st.sampled_from(["pkg: a", "pkg: b", "pkg:", "goos: linux", "Unit ns/op a=1", "Unit", "PASS"]),
    st.text(max_size=20),
)
GOOD_LINES = st.builds(
    lambda name, iters, pairs: f"{name}\t{iters}\t" + "\t".join(f"{v} {u}" for v, u in pairs),
    st.sampled_from(["BenchmarkA", "BenchmarkA-2", "BenchmarkB/x=1"]),
    st.integers(1, 10**6),
    st.lists(
        st.tuples(
            st.integers(0, 100) | st.floats(-1e6, 1e6).map(repr),
            st.sampled_from(["ns/op", "MB/s", "B/op", "x"]),
        ),
        min_size=1,
        max_size=3,
    ),
)
TEXT_FILES = st.builds(
    lambda lines, cut: "\n".join(lines).encode()[:cut],
    st.lists(st.one_of(GOOD_LINES, GOOD_LINES, RESULT_LINES, OTHER_LINES), max_size=15),
    st.none() | st.none() | st.integers(0, 2000),
)
FILES = st.one_of(TEXT_FILES, TEXT_FILES, TEXT_FILES, st.binary(max_size=400))
"""Results files as a benchmark run, an editor or a disk may leave them: result lines with
any value (NaN, Inf, overflow), unit or iteration count, odd white space, configuration and
unit lines, text, a cut anywhere; and plain random bytes."""


def check_read(data: bytes) -> list[ParsedResult]:
    with finishes_within(10):
        read = read_results(data)
    lines = data.count(b"\n") + 1
    for issue in (*read.issues, *([read.error] if read.error else [])):
        assert 1 <= issue.line <= lines
    for result in read.results:
        for value, unit in result.values:
            assert math.isfinite(value) and math.isfinite(value * tidy_unit(unit)[1])
    return list(read.results)


@settings(max_examples=300, deadline=None)
@given(FILES)
def test_any_bytes_read_without_raising_or_hanging(data: bytes) -> None:
    check_read(data)


COMPARABLE = st.builds(lambda first, rest: first.encode() + b"\n" + rest, GOOD_LINES, FILES)
"""A file with at least one result, so that the statistics always run."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(COMPARABLE, COMPARABLE)
def test_any_two_files_compare_without_raising_or_hanging(old: bytes, new: bytes) -> None:
    old_results, new_results = check_read(old), check_read(new)
    with finishes_within(20):
        read = [_compare.to_bresult(r, "old.txt") for r in old_results]
        read += [_compare.to_bresult(r, "new.txt") for r in new_results]
        text = _benchtab.to_text(_compare.build(read, _compare.parse_options()))
    assert "A" in text or "B/x=1" in text
    assert text.encode("utf-8")


SAMPLES = st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(SAMPLES, SAMPLES)
def test_the_u_test_ranks_every_sample_whatever_it_is(x1: list[float], x2: list[float]) -> None:
    # NaN equals nothing, itself included: the ranking used to wait for it to for ever.
    with finishes_within(10):
        u1, ties = _benchmath._ranks(x1, x2)
        _benchmath.summarize(x1)
    assert sum(ties) == len(x1) + len(x2)
    if all(map(math.isfinite, x1 + x2)):
        assert 0 <= u1 <= len(x1) * len(x2)
