"""Shared fixtures for konfig's tests: running konfig in-process (fast) and as a user does."""

from __future__ import annotations

import json
import os
import shutil
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


def check_jsonschema_invalid(schema: Path | str, files: list[str] | list[Path]) -> set[str]:
    """The files the peer, check-jsonschema, finds invalid (one run over all of them); it
    must read every file (no parse error)."""
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    done = subprocess.run(
        [exe, "--schemafile", str(schema), "-o", "json", *map(str, files)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert not report.get("parse_errors"), report["parse_errors"]
    return {error["filename"] for error in report["errors"]}


def konfig_invalid(schema: Path | str, files: list[str], *options: str) -> set[str]:
    """The files ``konfig validate --json`` finds invalid (one run over all of them)."""
    done = run_konfig("validate", *files, "--schema", str(schema), "--json", *options)
    assert done.returncode in (0, 1), done.stderr
    return {p["file"] for p in json.loads(done.stdout) if p["severity"] == "error"}
