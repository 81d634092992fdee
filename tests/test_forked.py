"""The suite's ``run_rxp`` forks rxp from a warm interpreter (``tests/_forked.py``) instead of
starting Python for each run: it must answer as a fresh ``python -m rxp`` does, byte for
byte, or every CLI test would test the harness. The oracle is a fresh interpreter (not
traced by coverage: the forked run measures the same code)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_rxp

LOG = (
    "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=218.188.2.4\n"
    'level=info msg="user logged in" user=ann duration=12ms\n'
    '{"ts": "2024-01-02T03:04:05", "level": "warn", "msg": "disk \\u00e9"}\n'
    "caf\xe9 \xff not utf-8\n"
)

CASES = {
    "stream from stdin": (["stream", "-n", "-o", r"\w+ed\b"], True, {}),
    "stream -c, none found": (["stream", "-c", "zzz", "{log}"], False, {}),
    "stream --json": (["stream", "--json", "user", "{log}"], False, {}),
    "stream, a bad pattern": (["stream", "a(b", "{log}"], False, {}),
    "stream, a missing file": (["stream", "x", "{log}.missing"], False, {}),
    "parse in a zone": (["parse", "{log}"], False, {"TZ": "America/New_York"}),
    "parse from stdin": (["parse", "--format", "auto"], True, {"TZ": "UTC"}),
    "explain --json": (["explain", "--json", r"(?P<ip>\d+(\.\d+){3})"], False, {}),
    "explain, coloured": (["explain", r"^a+$"], False, {"FORCE_COLOR": "1"}),
    "test": (["test", r"(\w+)=(\w+)", "{log}"], False, {"NO_COLOR": "1"}),
    "mine": (["mine", "{log}"], False, {}),
    "usage error": (["stream", "--no-such-option"], False, {}),
    "help, narrow": (["parse", "--help"], False, {"COLUMNS": "60"}),
}


def _timeless(out: bytes) -> bytes:
    """``--json``'s elapsed times (as ripgrep's) differ from run to run."""
    return re.sub(rb'"(secs|nanos|human)":("[^"]*"|\d+)', rb'"\1":0', out)


@pytest.mark.parametrize("case", list(CASES))
def test_a_forked_run_answers_as_a_fresh_interpreter(case: str, tmp_path: Path) -> None:
    argv, piped, env = CASES[case]
    log = tmp_path / "app.log"
    log.write_bytes(LOG.encode("latin-1"))
    args = [a.replace("{log}", str(log)) for a in argv]
    stdin = log.read_bytes() if piped else None
    forked = run_rxp(*args, stdin=stdin, env=env, cwd=tmp_path)
    fresh = run_rxp(*args, stdin=stdin, env=env, cwd=tmp_path, fresh=True, traced=False)
    assert (forked.returncode, _timeless(forked.stdout), forked.stderr) == (
        fresh.returncode,
        _timeless(fresh.stdout),
        fresh.stderr,
    )
    assert forked.stdout or forked.stderr  # each case says something


def test_text_mode_decodes_as_subprocess_does(tmp_path: Path) -> None:
    log = tmp_path / "crlf.log"
    log.write_bytes(b"one\r\ntwo\r\n")
    forked = run_rxp("stream", "o", str(log), text=True)
    fresh = run_rxp("stream", "o", str(log), text=True, fresh=True, traced=False)
    assert forked.stdout == fresh.stdout == "one\ntwo\n"


def test_a_run_past_its_timeout_raises_as_subprocess_does(tmp_path: Path) -> None:
    fifo = tmp_path / "never"
    os.mkfifo(fifo)  # rxp waits for a writer that never comes
    with pytest.raises(subprocess.TimeoutExpired):
        run_rxp("stream", "x", str(fifo), timeout=1)
