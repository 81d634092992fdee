"""``rxp bench compare`` against Go's benchstat, byte for byte, on benchstat's own data.

Oracles (tests/bench/benchstat/README.md): the golden files of ``cmd/benchstat/main_test.go``
run with the same arguments from the same folder; the ``$ benchstat`` examples of
``cmd/benchstat/main.go``'s documentation, found as ``doc_test.go`` finds them; and outputs
of Go's benchstat for more argument lists (``extra/``). Each runs in a subprocess, as a user
runs it, and both stdout and stderr must be the files' bytes.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import rxp

DATA = Path(__file__).parent / "benchstat"
SRC = str(Path(rxp.__file__).resolve().parent.parent)

# cmd/benchstat/main_test.go: (golden name, arguments), in Go's order.
MAIN_TEST = [
    ("csvOldNew", ["-format", "csv", "old.txt", "new.txt"]),  # TestCSV
    ("csvErrors", ["-format", "csv", "-row", ".name", "new.txt"]),
    ("crcOldNew", ["crc-old.txt", "crc-new.txt"]),  # TestCRC
    ("crcIgnore", ["-ignore", "note", "crc-old.txt", "crc-new.txt"]),
    ("crcSizeVsPoly", ["-filter", "/align:0", "-row", "/size", "-col", "/poly", "crc-new.txt"]),
    ("units", ["-col", "note", "units.txt"]),  # TestUnits
    ("zero", ["-col", "note", "zero.txt"]),  # TestZero
    ("smallSample", ["-col", "note", "smallSample.txt"]),  # TestSmallSample
    ("issue19565", ["-col", "note", "issue19565.txt"]),  # TestIssue19565
    ("issue19634", ["-col", "note", "issue19634.txt"]),  # TestIssue19634
]


def rxp_compare(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "rxp", "bench", "compare", *args],
        cwd=DATA,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def golden(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""  # main_test.go: missing means empty


@pytest.mark.parametrize(("name", "args"), MAIN_TEST, ids=[n for n, _ in MAIN_TEST])
def test_benchstats_main_test_cases(name: str, args: list[str]) -> None:
    done = rxp_compare(args)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode() == golden(DATA / f"{name}.stdout").decode()
    assert done.stderr.decode() == golden(DATA / f"{name}.stderr").decode()


def doc_tests() -> list[tuple[list[str], str]]:
    """doc_test.go's ``parseDocTests`` over main.go's package comment."""
    comment = re.match(
        r"(?s)(?:.*?\n)?((?://[^\n]*\n)+)package main", DATA.joinpath("main.go").read_text()
    )
    assert comment is not None
    doc = "".join(
        line[3:] if line.startswith("// ") else line[2:]
        for line in comment.group(1).splitlines(True)
    )
    tests = []
    for m in re.finditer(r"(?m)^[ \t]+\$ benchstat (.*)\n((?:\t.*\n|\n)+)", doc):
        want = m.group(2).rstrip("\n") + "\n"
        want = want[1:].replace("\n\t", "\n")
        tests.append((shlex.split(m.group(1)), want))
    return tests


DOC_TESTS = doc_tests()


def test_the_documentation_holds_its_examples() -> None:
    assert len(DOC_TESTS) == 8  # the eight "$ benchstat" blocks of main.go


@pytest.mark.parametrize(("args", "want"), DOC_TESTS, ids=[" ".join(a) for a, _ in DOC_TESTS])
def test_benchstats_documentation_examples(args: list[str], want: str) -> None:
    done = rxp_compare(args)
    assert (done.returncode, done.stderr.decode()) == (0, "")
    assert done.stdout.decode() == want


def extra_cases() -> list[tuple[str, list[str]]]:
    cases = []
    for line in DATA.joinpath("extra", "cases.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, args = line.split("|", 1)
            cases.append((name, shlex.split(args)))
    return cases


EXTRA = extra_cases()


@pytest.mark.parametrize(("name", "args"), EXTRA, ids=[n for n, _ in EXTRA])
def test_more_cases_recorded_from_benchstat(name: str, args: list[str]) -> None:
    done = rxp_compare(args)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode() == golden(DATA / "extra" / f"{name}.stdout").decode()
    assert done.stderr.decode() == golden(DATA / "extra" / f"{name}.stderr").decode()
