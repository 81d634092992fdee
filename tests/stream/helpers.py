"""Shared helpers for the stream tests: run rxp in-process, run GNU grep as the oracle."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from typing import Any

GREP = shutil.which("grep")


@dataclass(frozen=True)
class Result:
    status: int
    stdout: bytes
    stderr: str


_COMMANDS: dict[int, Any] = {}


@contextmanager
def _cached_command() -> Iterator[None]:
    """Typer rebuilds the click command tree on every run (~50 ms); reuse it while
    a test calls rxp many times. Patched only for the duration of one call."""
    import typer.main

    original = typer.main.get_command

    def cached(app: Any) -> Any:
        found = _COMMANDS.get(id(app))
        if found is None:
            found = _COMMANDS[id(app)] = original(app)
        return found

    typer.main.get_command = cached
    try:
        yield
    finally:
        typer.main.get_command = original


def rxp(args: Sequence[str]) -> Result:
    """``rxp ARGS`` in this process (files only, no stdin), stdout captured as bytes."""
    from rxp.cli import run

    raw = io.BytesIO()
    wrapper = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    err = io.StringIO()
    saved = sys.stdout
    sys.stdout = wrapper
    try:
        with redirect_stderr(err), _cached_command():
            status = run(list(args))
        wrapper.flush()
    finally:
        sys.stdout = saved
    return Result(status, raw.getvalue(), err.getvalue())


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
    """``python -m rxp ARGS`` in a subprocess (what a user runs)."""
    return subprocess.run(
        [sys.executable, "-m", "rxp", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=timeout,
    )
