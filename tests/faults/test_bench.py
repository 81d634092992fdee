"""Broken bench files and broken results files (issue 19, item 11, and its class).

``rxp bench``: a file that fails to import, and a benchmark that fails in any way (an
exception, ``sys.exit``, a cleanup, recursion, memory), is one ``--- FAIL: NAME`` block on
stdout with the user's frames only, indented as ``go test`` indents, and its file ends with
``go test``'s FAIL trailer; every other benchmark still runs and its result line is on stdout,
which carries only ``go test -bench``'s text (read with its grammar here, and by benchfmt's
reader, which must find the results and nothing else); what benchmarks print and the
``FAIL:`` summary are on stderr; the exit status is 1, as ``go test -bench`` exits on FAIL,
also with stderr unusable; 2 with stdout unusable (the summary still on stderr) and when
``--timeout`` expires; quiet 141 for a pipe with no reader; Ctrl-C stops the run with 130.

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
from rxp._bench import _benchmath, _benchtab, _compare, system_config
from rxp._bench._gofmt import ParsedResult, read_results, tidy_unit
from rxp.cli import run as run_cli
from tests.faults.helpers import PRELUDE, one_error_line, sh
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


TRAILER = re.compile(
    r"ok  \t(?P<ok>\S+)\t\d+\.\d{3}s|FAIL\t(?P<fail>\S+)\t\d+\.\d{3}s"
    r"|FAIL\t(?P<broken>\S+) \[build failed\]"
)
CONFIG = re.compile(r"[a-z][^\s:A-Z]*: \S.*")  # benchfmt's key: value, as rxp writes them
RESULT = re.compile(r"Benchmark\S+ *\t *\d+(\t *[-\d.e+]+ \S+)+")  # go test's layout
BLOCK = re.compile(r"--- (FAIL|SKIP|BENCH): (\S+)")


class Package:
    """One file's part of ``go test``'s text: its results, its ``--- FAIL`` blocks (name ->
    indented lines, in order) and how it ended (``ok``, ``fail``, ``broken``)."""

    def __init__(self) -> None:
        self.pkg = ""
        self.end = ""
        self.results: list[str] = []
        self.failed: dict[str, list[str]] = {}
        self.last = ""  # PASS or FAIL, the line before the trailer


class GoText:
    """stdout read with ``go test -bench``'s grammar: every line is a configuration or
    result line, a line of a ``--- FAIL/SKIP/BENCH`` block (indented, or empty between
    chained tracebacks) or a trailer; anything else fails the test (a benchmark's print
    that reached stdout, a traceback of rxp's). ``complete``: the text ends with a
    trailer."""

    def __init__(self, stdout: str, *, complete: bool = True) -> None:
        self.packages: list[Package] = []
        self.blocks: dict[str, list[str]] = {}  # --- FAIL blocks
        self.kinds: dict[str, str] = {}  # every block's name -> FAIL, SKIP or BENCH
        package, block = Package(), None
        for line in stdout.splitlines():
            if block is not None and (line.startswith("    ") or not line):
                block.append(line)
                continue
            block = None
            if match := BLOCK.fullmatch(line):
                assert match[2] not in self.kinds, f"{match[2]} reported twice"
                self.kinds[match[2]] = match[1]
                block = []
                if match[1] == "FAIL":
                    self.blocks[match[2]] = package.failed[match[2]] = block
            elif match := TRAILER.fullmatch(line):
                package.end = match.lastgroup or ""
                package.pkg = match[package.end]
                self.packages.append(package)
                package = Package()
            elif RESULT.fullmatch(line):
                package.results.append(line.split()[0])
            elif line in ("PASS", "FAIL"):
                package.last = line
            else:
                assert CONFIG.fullmatch(line), f"not go test output: {line!r}"
        self.results = [r for p in (*self.packages, package) for r in p.results]
        if complete:
            assert not package.results and not package.failed, "output after the last trailer"


class Run(GoText):
    """A finished run of ``rxp bench``: its status, stderr, and stdout as ``GoText``."""

    def __init__(self, root: Path, done: subprocess.CompletedProcess[str]) -> None:
        super().__init__(done.stdout)
        self.root = root
        self.status = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr


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


PRINTED = [
    "printed by print",
    "written to sys.__stdout__",
    "written to descriptor 1",
    "written by a child process",
]


def test_every_good_benchmark_ran_and_stdout_is_go_test_output(broken: Run) -> None:
    assert broken.status == 1, broken.stderr
    assert broken.results == RESULTS
    assert set(broken.kinds.values()) == {"FAIL"}
    # stderr: what the benchmarks printed, then the summary; no --- FAIL, no traceback
    summary = "FAIL: 8 benchmarks failed, 9 files failed to load"
    assert broken.stderr.splitlines() == [*PRINTED, summary]
    for printed in PRINTED:
        assert printed not in broken.stdout


def test_each_file_ends_as_go_test_ends_a_package(broken: Run) -> None:
    # ok for a file that passed (an empty one too), FAIL with its time for one whose
    # benchmarks failed, FAIL [build failed] for one that did not load, in the run's order
    ends = [(p.pkg, p.end, p.last) for p in broken.packages]
    assert ends == [
        ("suite/bench_a_good", "ok", "PASS"),
        ("suite/bench_empty", "ok", "PASS"),
        *[(path.removesuffix(".py"), "broken", "") for path in FAILED_FILES],
        ("suite/bench_zz_runtime", "fail", "FAIL"),
        (UNREADABLE, "broken", ""),
    ]
    for package in broken.packages:
        if package.end == "broken":  # the path's failure, and nothing else
            path = UNREADABLE if package.pkg == UNREADABLE else f"{package.pkg}.py"
            assert (list(package.failed), package.results) == ([path], [])


def test_every_failure_is_reported_once_under_its_file_and_counted(broken: Run) -> None:
    assert list(broken.blocks) == [*FAILED_FILES, *FAILED_BENCHMARKS, UNREADABLE]
    runtime = next(p for p in broken.packages if p.pkg == "suite/bench_zz_runtime")
    assert list(runtime.failed) == FAILED_BENCHMARKS
    assert broken.stderr.splitlines()[-1] == "FAIL: 8 benchmarks failed, 9 files failed to load"


def test_benchstat_reads_the_results_and_nothing_else(broken: Run, tmp_path: Path) -> None:
    # benchfmt's rules skip the --- blocks and the trailers: only the good results are
    # read, each under its own file's pkg, with no syntax issue; compare makes its table.
    read = read_results(broken.stdout.encode())
    assert read.error is None and not read.issues
    got = [(r.full_name, dict(r.config)["pkg"]) for r in read.results]
    assert got == [
        ("BenchmarkFirst", "suite/bench_a_good"),
        *[(name, "suite/bench_zz_runtime") for name in RESULTS[1:]],
    ]
    machine = dict(system_config())
    for result in read.results:
        assert {k: v for k, v in result.config if k != "pkg"} == machine
    (tmp_path / "run.txt").write_text(broken.stdout)
    done = run_rxp("bench", "compare", "run.txt", cwd=tmp_path, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = [line.split()[0] for line in done.stdout.splitlines() if line[:1].isupper()]
    for name in RESULTS:
        assert name.removeprefix("Benchmark") in rows, done.stdout
    for failed in FAILED_BENCHMARKS:
        assert failed.removeprefix("Benchmark") not in rows


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
    text = GoText((seen + out).decode(), complete=False)  # stopped mid-file: no trailer
    assert text.results == ["BenchmarkFast"]
    assert (text.packages, text.kinds) == ([], {})
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


FAILING = """\
import time

def BenchmarkBad(b):
    print("chatter")
    raise ValueError("boom")

def BenchmarkGood(b):
    for _ in range(b.n):
        pass

def BenchmarkHang(b):
    b.run("inner", lambda b: time.sleep(600))
"""
BAD_LINE = line_of(FAILING, "boom")
RUN_FAILING = "rxp bench --benchtime 1x --cpu 1 --bench 'Bad|Good' bench_failing.py"


def check_failing(stdout: bytes, root: Path) -> GoText:
    """The run of ``FAILING`` (in ``root``) on stdout: Bad's traceback, Good's result, the
    FAIL trailer."""
    text = GoText(stdout.decode())
    (package,) = text.packages
    assert (package.pkg, package.end, package.last) == ("bench_failing", "fail", "FAIL")
    assert text.results == ["BenchmarkGood"]
    assert list(text.kinds.items()) == [("BenchmarkBad", "FAIL")]
    block = "\n".join(text.blocks["BenchmarkBad"])
    assert re.findall(r'File "([^"]+)", line (\d+), in (\S+)', block) == [
        (str(root.resolve() / "bench_failing.py"), str(BAD_LINE), "BenchmarkBad")
    ]
    assert block.endswith("    ValueError: boom")
    return text


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_with_stderr_unusable_the_failure_and_the_results_still_reach_stdout(
    tmp_path: Path, redirect: str
) -> None:
    # Sending descriptor 1 to stderr during the run must not need a stderr; the failure
    # and the exit status do not depend on it either.
    (tmp_path / "bench_failing.py").write_text(FAILING)
    done = sh(f"{RUN_FAILING} {redirect}", cwd=tmp_path)
    assert done.returncode == 1
    check_failing(done.stdout, tmp_path)
    assert b"chatter" not in done.stdout


@pytest.mark.parametrize(
    ("redirect", "words"),
    [(">&-", "Bad file descriptor"), (">/dev/full", "No space left on device")],
)
def test_with_stdout_unusable_the_failure_is_still_said_on_stderr(
    tmp_path: Path, redirect: str, words: str
) -> None:
    # The --- FAIL block could not be written: the summary still says a benchmark failed,
    # before the write error and its status 2 (as every command fails on such a stdout).
    (tmp_path / "bench_failing.py").write_text(FAILING)
    done = sh(f"{RUN_FAILING} {redirect}", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "chatter",
        "FAIL: 1 benchmark failed",
        f"rxp: error: write error: {words}",
    ]


def test_with_stdout_a_pipe_with_no_reader_a_failing_run_ends_quietly(tmp_path: Path) -> None:
    (tmp_path / "bench_failing.py").write_text(FAILING)
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            ["bash", "-c", PRELUDE + RUN_FAILING],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            timeout=60,
        )
    finally:
        os.close(write)
    assert done.returncode == 141  # as the shell reports SIGPIPE
    assert done.stderr == b"chatter\n"  # the benchmark's own print; nothing of rxp's


def test_a_timeout_panics_on_stderr_and_ends_the_file_failed_with_status_2(
    tmp_path: Path,
) -> None:
    # Go's alarm: the panic, what runs and the stacks on stderr; stdout keeps what was
    # printed and gets the package's FAIL line (no PASS/FAIL line: the binary died).
    (tmp_path / "bench_failing.py").write_text(FAILING)
    done = run_rxp(
        "bench", "--benchtime", "1x", "--cpu", "1", "--timeout", "1s", "bench_failing.py",
        cwd=tmp_path, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    text = GoText(done.stdout)
    (package,) = text.packages
    assert (package.pkg, package.end, package.last) == ("bench_failing", "fail", "")
    assert text.results == ["BenchmarkGood"]
    assert list(text.kinds) == ["BenchmarkBad"]
    assert [r.full_name for r in read_results(done.stdout.encode()).results] == ["BenchmarkGood"]
    head = done.stderr.split("\n\n")[0].splitlines()
    assert head == [
        "chatter",
        "panic: test timed out after 1s",
        "running benchmarks:",
        "\tBenchmarkHang (1s)",
        "\tBenchmarkHang/inner (1s)",
    ]
    hang = line_of(FAILING, "time.sleep(600)")
    assert f'File "{tmp_path.resolve() / "bench_failing.py"}", line {hang}, in <lambda>' in (
        done.stderr
    )
    assert "FAIL:" not in done.stderr


INJECTING = """\
TEXT = "x\\nBenchmarkFake 1 1 ns/op\\ngoos: evil\\npkg: evil\\nok  \\tfake\\t0.1s\\n--- FAIL: Fake"

def BenchmarkLogs(b):
    b.log(TEXT)
    for _ in range(b.n):
        pass

def BenchmarkErrors(b):
    b.error(TEXT)

def BenchmarkRaises(b):
    raise ValueError(TEXT)

def BenchmarkSkips(b):
    b.skip(TEXT)

def BenchmarkNames(b):
    b.run("a\\nBenchmarkFake 1 1 ns/op", lambda b: b.fatal("x"))
    b.run("b\\ngoos: evil", lambda b: None)
"""


def test_what_a_benchmark_says_never_reads_as_a_result_or_configuration(
    tmp_path: Path,
) -> None:
    # Logs, errors, exception messages, skip reasons and sub-benchmark names holding
    # result, configuration, trailer and --- lines: benchstat's reader still finds only the
    # real results, under the real configuration, and the text keeps go test's grammar.
    (tmp_path / "bench_inject.py").write_text(INJECTING)
    done = run_rxp(
        "bench", "--benchtime", "1x", "--cpu", "1", "bench_inject.py",
        cwd=tmp_path, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    text = GoText(done.stdout)
    assert [(p.pkg, p.end) for p in text.packages] == [("bench_inject", "fail")]
    assert text.results == ["BenchmarkLogs", "BenchmarkNames/b_goos:_evil"]
    assert text.kinds == {
        "BenchmarkLogs": "BENCH",
        "BenchmarkErrors": "FAIL",
        "BenchmarkRaises": "FAIL",  # BenchmarkSkips: a skip is reported only with -v, as Go
        "BenchmarkNames/a_BenchmarkFake_1_1_ns/op": "FAIL",
        "BenchmarkNames": "FAIL",
    }
    read = read_results(done.stdout.encode())
    assert read.error is None and not read.issues
    assert [r.full_name for r in read.results] == text.results
    for result in read.results:
        assert dict(result.config) == {**dict(system_config()), "pkg": "bench_inject"}
    assert done.stderr.splitlines() == ["FAIL: 3 benchmarks failed"]  # a parent is not counted
    # -v prints every log as it is made, the skip reason and --- SKIP included, and each
    # name alone on a line (which benchfmt skips): still only the real results.
    verbose = run_rxp(
        "bench", "--benchtime", "1x", "--cpu", "1", "-v", "bench_inject.py",
        cwd=tmp_path, text=True, timeout=60,
    )  # fmt: skip
    assert verbose.returncode == 1 and "\n--- SKIP: BenchmarkSkips\n" in verbose.stdout
    read = read_results(verbose.stdout.encode())
    assert read.error is None and not read.issues
    assert [r.full_name for r in read.results] == text.results
    for result in read.results:
        assert dict(result.config) == {**dict(system_config()), "pkg": "bench_inject"}


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
