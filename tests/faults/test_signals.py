"""Ctrl-C (SIGINT to the process group) and SIGTERM end rxp at once on every backend, while
its workers are deep inside lines that run into the time budget, and leave no worker behind
(issue 19, item 7: the thread and asyncio backends used to wait ~46 s for the lines in
flight).

Each run is signalled a second after it starts, on a file whose every line makes the
backtracking engine run out of its budget (40 lines, 20 s of work or more), so a prompt
exit can only come from the signal. ``interrupt`` fails the test when rxp outlives the
signal by ``grace`` seconds or any process of its group survives it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.helpers import interrupt

# The look-ahead keeps the pattern off the linear-time engines: every line backtracks
# until its budget runs out (a second, by default).
HOSTILE = "(?=a)(a|aa)+$"
BACKENDS = ["sync", "thread", "asyncio", "process"]
GRACE = 5.0  # seconds rxp may take to go, far above a prompt exit and far below 20 s
PROMPT = 3.0


@pytest.fixture(autouse=True)
def _sigint_reaches_rxp() -> Iterator[None]:
    """A shell without job control starts background commands with SIGINT ignored, and a
    child inherits that (and rightly keeps ignoring it, as grep does). CI may run the suite
    that way; a user's Ctrl-C on a terminal reaches a default handler."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("signals") / "hostile.log"
    path.write_bytes((b"a" * 30 + b"!\n") * 40)
    return path


def _clean(stderr: bytes) -> None:
    """Nothing on stderr but rxp's warnings (the pattern's hazard): no traceback, no
    'Exception ignored' from a thread."""
    text = stderr.decode()
    assert "Traceback" not in text and "Exception" not in text, text
    for line in text.splitlines():
        assert line.startswith("rxp: warning: "), text


@pytest.mark.parametrize("backend", BACKENDS)
def test_ctrl_c_ends_every_backend_at_once_with_130(hostile_file: Path, backend: str) -> None:
    argv = ["stream", "--backend", backend, "--workers", "2", "-c", HOSTILE, str(hostile_file)]
    done = interrupt(argv, after=1.0, sig=signal.SIGINT, grace=GRACE)
    assert done.status == 130
    assert done.seconds < PROMPT
    assert done.stdout == b""  # the count was never finished, so never printed
    _clean(done.stderr)


@pytest.mark.parametrize("backend", BACKENDS)
def test_sigterm_ends_every_backend_at_once(hostile_file: Path, backend: str) -> None:
    argv = ["stream", "--backend", backend, "--workers", "2", "-c", HOSTILE, str(hostile_file)]
    done = interrupt(argv, after=1.0, sig=signal.SIGTERM, grace=GRACE)
    # as grep: SIGTERM's default action, so a shell sees 143 (128 + 15)
    assert done.status == -signal.SIGTERM
    assert done.seconds < PROMPT
    _clean(done.stderr)


@pytest.mark.parametrize("backend", ["thread", "asyncio"])
def test_ctrl_c_does_not_wait_for_a_line_without_budget(hostile_file: Path, backend: str) -> None:
    # --timeout 0: a worker thread may be inside one regex call for ever; rxp must not wait
    argv = ["stream", "--backend", backend, "--timeout", "0", "-c", HOSTILE, str(hostile_file)]
    done = interrupt(argv, after=1.0, sig=signal.SIGINT, grace=GRACE)
    assert done.status == 130
    assert done.seconds < PROMPT
    _clean(done.stderr)


def test_sigterm_to_the_parent_alone_takes_the_workers_with_it(hostile_file: Path) -> None:
    """``kill PID`` (not the group): the process backend's workers must not outlive it."""
    argv = ["stream", "--backend", "process", "--workers", "2", "-c", HOSTILE, str(hostile_file)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxp", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + GRACE
        while not (workers := _children(proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)  # started, planned, forked
        assert workers, "the process backend started no worker"
        time.sleep(0.5)  # at work
        os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=GRACE)
        deadline = time.monotonic() + GRACE
        while (left := [w for w in workers if _alive(w)]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not left, f"workers {left} outlived rxp"
        assert proc.returncode == -signal.SIGTERM
        _clean(err)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


@pytest.mark.parametrize(
    "argv",
    [
        ["test", "--timeout", "0", HOSTILE, "a" * 40 + "!"],
        ["parse", "-q", "--timeout", "0", "-p", "^(?P<x>" + HOSTILE + ")"],
    ],
    ids=["test", "parse"],
)
def test_ctrl_c_ends_test_and_parse_inside_a_match(argv: list[str], hostile_file: Path) -> None:
    if argv[0] == "parse":
        argv = [*argv, str(hostile_file)]
    done = interrupt(argv, after=1.0, sig=signal.SIGINT, grace=GRACE)
    assert done.status == 130
    assert done.seconds < PROMPT
    _clean(done.stderr)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
