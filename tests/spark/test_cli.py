"""``--engine spark`` prints what the command prints without it, and a user without Java
or without the extra gets one error line saying what to install.

The Spark runs call ``rxp.cli.run`` in this process, on the tests' one session (a
subprocess would start a JVM of its own, seconds each); the local runs are ``python -m
rxp``, as users run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rxp.cli import run
from tests.helpers import run_rxp

DATA = Path(__file__).parents[1] / "mine" / "data"


def _spark_run(capsys: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes]:
    status = run(list(args))
    captured = capsys.readouterr()
    assert status in (0, 1), captured.err
    return status, captured.out


@pytest.fixture
def logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    for name in ("OpenSSH", "HDFS"):
        (tmp_path / f"{name}.log").write_bytes((DATA / f"{name}.log").read_bytes())
    return ["OpenSSH.log", "HDFS.log"]


def test_parse_prints_the_local_records_in_line_order(
    spark: Any, logs: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    status, out = _spark_run(capsysbinary, "parse", "-q", "--engine", "spark", *logs)
    local = run_rxp("parse", "-q", *logs, cwd=Path.cwd())
    assert (status, out) == (0, local.stdout)  # two files: _file first, files in order


def test_stream_json_prints_the_local_match_messages(
    spark: Any, logs: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    pattern = r"from (?P<ip>[\d.]+) port (?P<port>\d+)"
    status, out = _spark_run(
        capsysbinary, "stream", "--engine", "spark", "--json", pattern, logs[0]
    )
    local = run_rxp("stream", "--json", pattern, logs[0], cwd=Path.cwd())
    matches = [line for line in local.stdout.splitlines(True) if b'"type":"match"' in line]
    assert (status, out) == (0, b"".join(matches))
    status, out = _spark_run(
        capsysbinary, "stream", "--engine", "spark", "-n", "-o", pattern, *logs
    )
    assert (status, out) == (0, run_rxp("stream", "-n", "-o", pattern, *logs).stdout)


def test_mine_prints_the_local_templates(
    spark: Any, logs: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    status, out = _spark_run(capsysbinary, "mine", "--json", "--engine", "spark", *logs)
    assert (status, out) == (0, run_rxp("mine", "--json", *logs).stdout)


def test_parse_out_parquet_holds_the_records(
    spark: Any, logs: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    import rxp
    from rxp.spark._parse import kinds_of, records_of

    status, _ = _spark_run(
        capsysbinary, "parse", "-q", "--engine", "spark", logs[0], "--out", "r.parquet"
    )
    assert status == 0
    frame = spark.read.parquet(str(Path("r.parquet").absolute()))
    got = [records_of(row.asDict(), kinds_of(frame.schema)) for row in frame.collect()]
    with open(logs[0], "rb") as stream:
        want = list(rxp.parse_stream(stream))
    assert sorted(got, key=lambda r: int(r["_line"])) == want


@pytest.mark.parametrize(
    "hidden", [("pyspark",), ("pyarrow", "pandas"), ("pyspark", "pyarrow", "pandas")]
)
def test_a_missing_extra_is_one_line_saying_what_to_install(
    tmp_path: Path, hidden: tuple[str, ...]
) -> None:
    """Whichever of the extra's modules are missing (the README's install has none of them,
    .ci/run's has all three), the one line names exactly those."""
    code = (
        "import importlib.util, sys\n"
        "for name in ('pyspark', 'pyarrow', 'pandas'):\n"
        f"    if name in {hidden!r}: sys.modules[name] = None\n"
        "    elif importlib.util.find_spec(name) is None: sys.modules[name] = sys\n"
        "from rxp.cli import main\n"
        "sys.exit(main(['parse', '--engine', 'spark', 'x.log']))\n"
    )
    import os

    import rxp

    env = {**os.environ, "PYTHONPATH": str(Path(rxp.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert done.returncode == 2
    needs = ", ".join(hidden)
    assert done.stderr == f"rxp: error: the Spark engine needs {needs}: pip install 'rxp[spark]'\n"


def test_missing_java_is_one_line_saying_what_to_install(tmp_path: Path) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]'")
    (tmp_path / "x.log").write_text("a line\n")
    done = run_rxp(
        "mine",
        "--engine",
        "spark",
        "x.log",
        env={"JAVA_HOME": str(tmp_path)},
        cwd=tmp_path,
        text=True,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("rxp: error: the Spark engine needs Java 17 or later")
    assert "openjdk-17-jre-headless" in done.stderr


def test_spark_options_need_the_spark_engine(logs: list[str]) -> None:
    done = run_rxp("parse", "--out", "x", logs[0], text=True)
    assert (done.returncode, done.stderr) == (2, "rxp: error: --out goes with --engine spark\n")
    done = run_rxp("stream", "--engine", "spark", "-c", "x", logs[0], text=True)
    assert (done.returncode, done.stderr) == (2, "rxp: error: -c does not go with --engine spark\n")
