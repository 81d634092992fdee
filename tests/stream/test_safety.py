"""Catastrophic backtracking cannot hang `rxp stream`; Ctrl-C and `| head` end it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.stream.helpers import grep, rxp, rxp_process

EVIL = b"a" * 40 + b"!"  # (a+)+$ and (a|aa)+$ need ~2**40 steps to fail on it
# The look-ahead keeps these off the linear-time engine: only backtracking can run them.
NESTED = "(?=a)(a+)+$"
CHOICE = "(?=a)(a|aa)+$"


def _sigint_as_on_a_terminal() -> None:
    # A shell without job control starts background commands with SIGINT ignored, and a
    # process that inherits an ignored SIGINT rightly keeps ignoring it (grep does too). CI
    # may run the suite that way; Ctrl-C on a terminal reaches a default handler.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _evil_file(tmp: Path) -> Path:
    path = tmp / "evil.log"
    path.write_bytes(b"aaa\n" + EVIL + b"\nbbb\n" + EVIL + b"\naaaa\n")
    return path


@pytest.mark.parametrize("backend", ["sync", "process"])
def test_re_engine_lines_over_budget_are_reported_and_skipped(tmp_path: Path, backend: str) -> None:
    path = _evil_file(tmp_path)
    start = time.monotonic()
    done = rxp_process(
        ["stream", "-n", "--timeout", "0.2", "--backend", backend, NESTED, str(path)], timeout=60
    )
    assert time.monotonic() - start < 20
    assert done.stdout == b"1:aaa\n5:aaaa\n"
    err = done.stderr.decode()
    assert "warning" in err and "(a+)+" in err  # the ReDoS analysis warned before the scan
    assert "a look-ahead needs the backtracking engine" in err  # and said why it applies
    assert f"{path}:2: line skipped" in err and f"{path}:4: line skipped" in err
    assert "2 line(s) skipped" in err
    assert done.returncode == 0
    assert "Traceback" not in err


@pytest.mark.parametrize("backend", ["thread", "asyncio"])
def test_regex_engine_lines_over_budget_are_reported_and_skipped(
    tmp_path: Path, backend: str
) -> None:
    path = _evil_file(tmp_path)
    got = rxp(["stream", "-c", "--timeout", "0.2", "--backend", backend, CHOICE, str(path)])
    assert got.stdout == b"2\n"
    assert f"{path}:2: line skipped" in got.stderr and f"{path}:4: line skipped" in got.stderr
    assert got.status == 0


def test_nothing_found_but_lines_skipped_is_not_a_clean_no(tmp_path: Path) -> None:
    path = tmp_path / "only-evil.log"
    path.write_bytes(EVIL + b"\n")
    got = rxp(["stream", "--timeout", "0.1", CHOICE, str(path)])
    assert got.status == 2 and "1 line(s) skipped" in got.stderr


@pytest.mark.parametrize("backend", ["sync", "process", "thread", "asyncio"])
@pytest.mark.parametrize("options", [["-c"], ["-n"], ["-o"]])
def test_linear_patterns_are_answered_exactly_with_no_line_skipped(
    tmp_path: Path, backend: str, options: list[str]
) -> None:
    # (a+)+$ and (a|aa)+$ are in the linear-time subset: the automaton engine selects the
    # lines, so nothing is skipped, nothing waits for a budget and grep's answer comes out
    path = _evil_file(tmp_path)
    for pattern in ("(a+)+$", "(a|aa)+$"):
        start = time.monotonic()
        args = ["stream", *options, "--timeout", "5", "--backend", backend, pattern, str(path)]
        got = rxp(args)
        assert time.monotonic() - start < 5
        assert got.status == 0 and "skipped" not in got.stderr and "budget" not in got.stderr
        expected = grep([*options, pattern, str(path)])
        assert got.stdout == expected.stdout, pattern


def test_spans_of_a_matching_line_that_backtracks_come_from_the_linear_engine(
    tmp_path: Path,
) -> None:
    # the line matches ((a+)+$ takes the last aaaa), but re would first spend ~2**34 steps
    # failing at every earlier start: re runs out of its budget and RE2 gives the span
    path = tmp_path / "late.log"
    path.write_bytes(b"a" * 34 + b"!aaaa\n")
    got = rxp(["stream", "-o", "--timeout", "0.2", "(a+)+$", str(path)])
    assert (got.status, got.stdout, got.stderr) == (0, b"aaaa\n", "")


@pytest.mark.parametrize("backend", ["sync", "process", "thread"])
def test_ctrl_c_exits_130_without_traceback(backend: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxp", "stream", "--backend", backend, "needle"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_sigint_as_on_a_terminal,
    )
    assert proc.stdin is not None
    proc.stdin.write(b"hay\n" * 1000)
    proc.stdin.flush()
    time.sleep(1.5)  # started and blocked reading an endless stdin
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err


def test_ctrl_c_during_a_process_scan_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    path.write_bytes(b"x" * 60 + b"!\n" * 1 + (b"a" * 30 + b"!\n") * 200_000)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rxp",
            "stream",
            "--backend",
            "process",
            "-c",
            CHOICE,
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_sigint_as_on_a_terminal,
    )
    time.sleep(2.0)  # well inside the scan: every line backtracks until its budget runs out
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("numbers", [[], ["-n"]])
@pytest.mark.parametrize("backend", [[], ["--backend", "process"]])
def test_closed_pipe_ends_quietly_and_at_once(
    tmp_path: Path, numbers: list[str], backend: list[str]
) -> None:
    path = tmp_path / "big.log"
    path.write_bytes(b"match me\n" * 4_000_000)  # 36 MB
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxp", "stream", *backend, *numbers, "match", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read()
    proc.wait(timeout=30)
    assert first == (b"1:" if numbers else b"") + b"match me\n"
    assert err == b""
    assert proc.returncode in (0, -signal.SIGPIPE, 141)
    assert time.monotonic() - start < 15


def test_head_in_a_shell_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    path.write_bytes(b"x\n" * 2_000_000)
    command = f"{sys.executable} -m rxp stream --backend thread x {path} | head -n 2"
    done = subprocess.run(
        ["sh", "-c", command], capture_output=True, timeout=60, env={**os.environ}
    )
    assert done.stdout == b"x\nx\n"
    assert done.stderr == b""


@pytest.mark.parametrize("backend", ["sync", "thread"])
def test_counting_shortcuts_are_budgeted_too(tmp_path: Path, backend: str) -> None:
    # -c over an inner literal counts with a look-behind form, under the same budget:
    # whichever way the line is decided (in time, or skipped and reported), no hang
    path = tmp_path / "evil-foo.log"
    path.write_bytes(b"ab foo\n" + b"a" * 40 + b" foo\nab foo\n")
    start = time.monotonic()
    got = rxp(
        ["stream", "-c", "--timeout", "0.2", "--backend", backend, "(?=a)(a|aa)+b foo", str(path)]
    )
    assert time.monotonic() - start < 10
    assert got.stdout == b"2\n" and got.status == 0


def test_a_worker_whose_parent_is_gone_ends_quietly_on_its_next_result() -> None:
    """The race behind a rare ``Process ForkPoolWorker-2:`` on stderr after ``| head``: the
    parent's end of the result pipe closes before the workers' death signal arrives. A
    result sent then ends the worker with status 0 and nothing on stderr; in the parent,
    whose sends are the pool's own, the error still raises."""
    import multiprocessing

    from rxp._stream._process_pool import Results, settle_worker

    results = Results(ctx=multiprocessing.get_context("fork"))
    results._reader.close()  # type: ignore[attr-defined]  # the parent's end, gone
    err_read, err_write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.dup2(err_write, 2)
        # set up as a pool's worker is (SIGPIPE ignored): this process may have run rxp's
        # CLI in-process, which puts SIGPIPE back to its default for stdout, as grep
        settle_worker(parent)
        try:
            results.put(("job", 0, (True, "result")))
        except BaseException as exc:
            os.write(2, repr(exc).encode())
            os._exit(3)
        os._exit(4)  # put returned: the result went nowhere and the worker went on
    os.close(err_write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(err_read, "rb") as err:
        assert err.read() == b""
    assert os.waitstatus_to_exitcode(status) == 0
    # the parent ignores SIGPIPE as Python does by default (a CLI run in this process may
    # have put it back to its default): its own send to the closed pipe raises
    saved = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        with pytest.raises(BrokenPipeError):
            results.put("the pool's own sentinel")
    finally:
        signal.signal(signal.SIGPIPE, saved)
