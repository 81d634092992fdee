"""Shared fixtures for konfig's tests: running konfig in-process (fast) and as a user does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from konfig.cli import main

SRC = str(Path(__file__).resolve().parents[2] / "src")


class Run:
    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def konfig(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """``konfig(*argv)``: run konfig's main in this process, return status and output."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)

    def run(*argv: str) -> Run:
        status = main(list(argv))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


def run_konfig(
    *argv: str, cwd: Path | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """konfig as a user runs it: ``python -m konfig`` in a child process."""
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "konfig", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=60,
        **kwargs,
    )


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)
