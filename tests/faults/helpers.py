"""What every fault-injection test shares: rxp run from a shell script (so a test can close,
fill or redirect any file descriptor as a user's shell does), the one-line error check, and
signals sent to a running rxp with a check that no worker outlives it."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

from tests._forked import uncoloured

PY = shlex.quote(sys.executable)

PRELUDE = f"""
rxp() {{ {PY} -m rxp "$@"; }}
lograg() {{ {PY} -c 'import sys; from rxp.cli.lograg import main; sys.exit(main())' "$@"; }}
"""
"""Shell functions a script can call: ``rxp ARGS`` and ``lograg ARGS`` run this checkout's
code with this interpreter (coverage of subprocesses included)."""


def sh(
    script: str,
    *,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``script`` with bash (``set -o pipefail``, the ``rxp``/``lograg`` functions of
    ``PRELUDE`` defined), output captured, never raising on a non-zero exit."""
    environ = uncoloured()
    environ.update(env or {})
    return subprocess.run(
        ["bash", "-c", "set -o pipefail\n" + PRELUDE + script],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=timeout,
        env=environ,
    )


_ERROR = re.compile(r"^(rxp|lograg|rxp [a-z]+): error: \S.*$")


def one_error_line(stderr: bytes) -> str:
    """The message of ``stderr`` when it is exactly one ``PROG: error: ...`` line (valid
    UTF-8, no traceback); fails the test otherwise."""
    text = stderr.decode("utf-8")
    lines = text.splitlines()
    assert len(lines) == 1, f"expected one error line, got {text!r}"
    assert _ERROR.match(lines[0]), f"not an error line: {lines[0]!r}"
    assert "Traceback" not in text and "internal error" not in text, text
    return lines[0].split(": error: ", 1)[1]


class Interrupted(NamedTuple):
    status: int
    seconds: float
    stdout: bytes
    stderr: bytes


def _group_alive(pgid: int) -> list[int]:
    """Processes still in process group ``pgid`` (read from /proc)."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry))
    return alive


def interrupt(
    argv: list[str],
    *,
    after: float,
    sig: int = signal.SIGINT,
    cwd: Path | None = None,
    grace: float = 10.0,
) -> Interrupted:
    """Start ``python -m rxp ARGV`` in its own process group, send ``sig`` to the group (as a
    terminal's Ctrl-C does) ``after`` seconds later, and wait at most ``grace`` seconds.
    Fails the test if rxp is still running then, or if any process of its group (a worker)
    outlives it."""
    environ = uncoloured()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rxp", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=environ,
        start_new_session=True,
    )
    time.sleep(after)
    sent = time.monotonic()
    os.killpg(proc.pid, sig)
    try:
        out, err = proc.communicate(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"rxp {argv} still running {grace}s after signal {sig}") from None
    seconds = time.monotonic() - sent
    deadline = time.monotonic() + 5
    while (left := _group_alive(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    if left:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError(f"workers {left} outlived rxp {argv}")
    return Interrupted(proc.returncode, seconds, out, err)
