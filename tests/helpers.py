"""Helpers every test folder shares: running rxp as a user does, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Literal, overload

_COLOUR = ("NO_COLOR", "FORCE_COLOR")


@overload
def run_rxp(
    *args: str,
    stdin: bytes | None = ...,
    env: dict[str, str] | None = ...,
    cwd: Path | None = ...,
    timeout: float = ...,
    text: Literal[False] = ...,
) -> subprocess.CompletedProcess[bytes]: ...
@overload
def run_rxp(
    *args: str,
    stdin: str | None = ...,
    env: dict[str, str] | None = ...,
    cwd: Path | None = ...,
    timeout: float = ...,
    text: Literal[True],
) -> subprocess.CompletedProcess[str]: ...
def run_rxp(
    *args: str,
    stdin: str | bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
    text: bool = False,
) -> subprocess.CompletedProcess[str] | subprocess.CompletedProcess[bytes]:
    """``python -m rxp ARGS`` with this interpreter, output captured, never raising on a
    non-zero exit. The colour variables of the caller's environment are dropped, so only
    ``env`` decides them."""
    environ = {k: v for k, v in os.environ.items() if k not in _COLOUR}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "rxp", *args],
        input=stdin,
        capture_output=True,
        text=text,
        env=environ,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
