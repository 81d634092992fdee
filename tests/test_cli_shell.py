"""The process-wide CLI policies, checked as a user sees them: in a subprocess."""

from __future__ import annotations

import subprocess
import sys

import rxp


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rxp", *args], capture_output=True, text=True, timeout=60
    )


def test_version_matches_the_package() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.split() == ["rxp", rxp.__version__]


def test_unknown_option_is_one_line_with_status_2() -> None:
    done = run("--no-such-option")
    assert done.returncode == 2
    assert done.stderr.startswith("rxp: error: ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
