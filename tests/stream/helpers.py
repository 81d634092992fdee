"""Shared helpers for the stream tests: run rxp in-process (``tests.helpers.rxp_here``),
run GNU grep as the oracle."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence

from tests.helpers import Result, run_rxp
from tests.helpers import rxp_here as rxp

__all__ = ["GREP", "Result", "grep", "rxp", "rxp_process"]

GREP = shutil.which("grep")


def grep(args: Sequence[str]) -> Result:
    """``LC_ALL=C grep -E -a ARGS``: the byte-for-byte oracle."""
    assert GREP is not None
    env = {**os.environ, "LC_ALL": "C"}
    env.pop("GREP_COLORS", None)
    env.pop("GREP_COLOR", None)
    done = subprocess.run(
        [GREP, "-E", "-a", *args], capture_output=True, env=env, check=False, timeout=30
    )
    return Result(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


def rxp_process(
    args: Sequence[str], stdin: bytes | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """``python -m rxp ARGS`` in a process of its own (``tests.helpers.run_rxp``)."""
    return run_rxp(*args, stdin=stdin, timeout=timeout)
