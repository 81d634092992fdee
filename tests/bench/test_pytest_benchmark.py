"""pytest-benchmark interop: its saved runs in Go format, and bench files run under pytest.

Oracles: pytest-benchmark's own JSON (its per-round ``data`` and the statistics it computed
from them) for the converter, rxp's reader of the Go format for what the converter writes,
and real pytest runs of the fixture adapter read back by ``rxp bench compare``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rxp._bench._gofmt import ParsedResult, read_results
from rxp._bench._pytest_benchmark import convert, go_name
from rxp._errors import RxpError
from tests.helpers import run_rxp

HERE = Path(__file__).parent / "pytest_benchmark"
REPO = Path(__file__).parents[2]
PLUGIN = "rxp._bench._pytest_plugin"


def rxp(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_rxp(*args, cwd=cwd, text=True, timeout=120)


def read_back(text: str) -> list[ParsedResult]:
    read = read_results(text.encode())
    assert read.issues == () and read.error is None
    return list(read.results)


def sec_per_op(result: ParsedResult) -> float:
    (value,) = [v for v, unit in result.values if unit == "ns/op"]
    return value / 1e9


# -- the converter ----------------------------------------------------------------------------


def test_every_round_is_one_line_with_pytest_benchmarks_own_numbers() -> None:
    document = json.loads((HERE / "with_data.json").read_text())
    results = read_back("\n".join(convert(document, "with_data.json").lines))
    assert len(results) == sum(b["stats"]["rounds"] for b in document["benchmarks"])
    for bench in document["benchmarks"]:
        name = go_name(bench["name"], bench["fullname"], bench["params"])
        mine = [r for r in results if r.full_name == name]
        stats = bench["stats"]
        assert [r.iters for r in mine] == [stats["iterations"]] * stats["rounds"]
        samples = [sec_per_op(r) for r in mine]
        # Go's format prints four significant figures: that is the only difference
        for got, want in zip(samples, stats["data"], strict=True):
            assert got == pytest.approx(want, rel=5e-4)
        assert statistics.median(samples) == pytest.approx(stats["median"], rel=5e-4)
        assert min(samples) == pytest.approx(stats["min"], rel=5e-4)


def test_names_configuration_and_groups() -> None:
    document = json.loads((HERE / "with_data.json").read_text())
    results = read_back("\n".join(convert(document, "with_data.json").lines))
    names = list(dict.fromkeys(r.full_name for r in results))
    assert names == [
        "BenchmarkBuild/kind=list/size=1",
        "BenchmarkBuild/kind=list/size=8",
        "BenchmarkBuild/kind=tuple/size=1",
        "BenchmarkBuild/kind=tuple/size=8",
        "BenchmarkJoinWords",
        "BenchmarkParser_SplitLine",
    ]
    config = {r.full_name: dict(r.config) for r in results}
    build = config["BenchmarkBuild/kind=list/size=1"]
    assert build == {
        "goos": "linux",
        "goarch": "amd64",
        "pkg": "tests/bench/pytest_benchmark/fixture_source",
        "cpu": "Intel(R) Xeon(R) Processor",
        "python": "CPython 3.11.7",
        "commit": "2e67ee51fbeb20b650177c39f4af716a45d8f491-dirty",
    }
    assert config["BenchmarkJoinWords"] == {**build, "group": "strings"}
    assert config["BenchmarkParser_SplitLine"] == build  # the group is over


@pytest.mark.parametrize(
    ("name", "fullname", "params", "expected"),
    [
        ("test_parse_line", "t.py::test_parse_line", None, "BenchmarkParseLine"),
        ("test_x[a b-1]", "t.py::test_x[a b-1]", {"s": "a b", "n": 1}, "BenchmarkX/s=a_b/n=1"),
        ("test_x[p/q]", "t.py::test_x[p/q]", None, "BenchmarkX/p_q"),
        ("test_m", "t.py::TestOuter::TestInner::test_m", None, "BenchmarkOuter_Inner_M"),
        (
            "BenchmarkParse/pattern=x",
            "b.py::BenchmarkParse/pattern=x",
            None,
            "BenchmarkParse/pattern=x",
        ),
        ("test_flag[True]", "t.py::test_flag[True]", {"on": True}, "BenchmarkFlag/on=true"),
    ],
)
def test_go_names(
    name: str, fullname: str, params: dict[str, object] | None, expected: str
) -> None:
    assert go_name(name, fullname, params) == expected


def test_a_run_saved_without_data_is_one_line_per_benchmark_and_a_warning() -> None:
    document = json.loads((HERE / "0001_nodata.json").read_text())
    converted = convert(document, "0001_nodata.json")
    results = read_back("\n".join(converted.lines))
    assert len(results) == len(document["benchmarks"])
    for bench, result in zip(document["benchmarks"], results, strict=True):
        stats = bench["stats"]
        assert result.iters == stats["rounds"] * stats["iterations"]
        assert sec_per_op(result) == pytest.approx(stats["mean"], rel=5e-4)
    (warning,) = converted.warnings
    assert "--benchmark-save-data" in warning and "6 benchmarks" in warning


def test_several_files_make_one_stream_that_keeps_machines_apart() -> None:
    out = rxp(
        "bench",
        "--from-pytest-benchmark",
        str(HERE / "with_data.json"),
        str(HERE / "0001_baseline.json"),
    )
    assert out.returncode == 0, out.stderr
    results = read_back(out.stdout)
    pkgs = {dict(r.config)["pkg"] for r in results}
    assert pkgs == {
        "tests/bench/pytest_benchmark/fixture_source",
        "benchmarks/micro/test_core_micro",
    }
    baseline = [r for r in results if dict(r.config)["pkg"].startswith("benchmarks/")]
    assert [r.full_name for r in baseline] == [
        "BenchmarkParse/name=literal-prefix",
        "BenchmarkParse/name=inner-literal",
    ]
    assert "saved without per-round data" in out.stderr


def test_a_folder_is_pytest_benchmarks_storage(tmp_path: Path) -> None:
    storage = tmp_path / ".benchmarks" / "Linux-CPython-3.11-64bit"
    storage.mkdir(parents=True)
    for n in (1, 2):
        (storage / f"000{n}_run.json").write_text((HERE / "with_data.json").read_text())
    out = rxp("bench", "--from-pytest-benchmark", cwd=tmp_path)  # .benchmarks by default
    assert out.returncode == 0, out.stderr
    assert len(read_back(out.stdout)) == 2 * 36


number = st.floats(min_value=0, max_value=10, allow_nan=False, allow_infinity=False)


@given(
    rounds=st.lists(st.lists(number, min_size=1, max_size=8), min_size=1, max_size=4),
    iterations=st.integers(1, 10**6),
)
def test_any_run_reads_back_without_issues(rounds: list[list[float]], iterations: int) -> None:
    document = {
        "machine_info": {"system": "Linux", "machine": "aarch64", "python_implementation": "PyPy"},
        "commit_info": {"id": "unversioned"},
        "benchmarks": [
            {
                "name": f"test_b[{i}]",
                "fullname": f"t.py::test_b[{i}]",
                "params": {"i": i},
                "stats": {"data": data, "iterations": iterations},
            }
            for i, data in enumerate(rounds)
        ],
    }
    results = read_back("\n".join(convert(document, "doc").lines))
    assert len(results) == sum(map(len, rounds))
    assert all(dict(r.config)["goarch"] == "arm64" and r.iters == iterations for r in results)
    flat = [x for data in rounds for x in data]
    for result, want in zip(results, flat, strict=True):
        assert sec_per_op(result) == pytest.approx(want, rel=5e-4, abs=1e-12)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file or directory"),
        (b"Benchmark 1 2 ns/op\n", "not JSON"),
        (b"\xff\xfe\x00", "not JSON"),
        (b'{"benchmarks": 3}', 'not a pytest-benchmark file (no "benchmarks" list)'),
        (b"[1, 2]", "not a pytest-benchmark file (the document: expected an object)"),
        (b'{"benchmarks": []}', "no benchmarks in it"),
        (
            b'{"benchmarks": [{"name": "t", "stats": {"data": [1, "x"]}}]}',
            "benchmarks[0].stats.data[1]: expected a number of seconds",
        ),
        (
            b'{"benchmarks": [{"name": "t", "stats": {"data": [NaN]}}]}',
            "not a finite, non-negative time",
        ),
    ],
)
def test_bad_input_is_one_error_line(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "run.json"
    if content is not None:
        path.write_bytes(content)
    out = rxp("bench", "--from-pytest-benchmark", str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.startswith("rxp: error: ") and out.stderr.count("\n") == 1
    assert message in out.stderr


def test_convert_raises_rxp_error_not_a_traceback() -> None:
    with pytest.raises(RxpError, match="expected a positive integer"):
        convert({"benchmarks": [{"name": "t", "stats": {"iterations": 0, "mean": 1}}]}, "x")


# -- the fixture adapter: real pytest runs ----------------------------------------------------

SUITE = textwrap.dedent(
    """
    import os
    import time

    def BenchmarkJoin(b):
        parts = ["x"] * 50
        b.set_bytes(50)
        for _ in range(b.n):
            "".join(parts)

    def bench_sub_cases(b):
        data = list(range(64))
        for size in (1, 8):
            b.run(f"size={size}", lambda b: [sum(data[:size]) for _ in range(b.n)])

    def BenchmarkSetup(b):
        time.sleep(0.002)  # untimed: the timer is reset below
        b.reset_timer()
        for _ in range(b.n):
            pass
        b.report_metric(3, "things/op")

    def BenchmarkParent(b):
        # fails under pytest_run (below), not under rxp bench: a failure that waited for
        # b.n > 1 never came when a loaded host made the first call outlast the 20 us goal
        b.run("broken", lambda b: 1 / 0 if os.environ.get("RXP_DEMO_BREAK") else None)

    def test_not_collected():
        raise AssertionError("a bench file's test functions are not collected")
    """
)

TINY = ["--benchmark-min-time=0.00002", "--benchmark-max-time=0.002", "--benchmark-min-rounds=6"]


def pytest_run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    (cwd / "pytest.ini").write_text("[pytest]\n")  # not the project's addopts
    # a pytest of its own: not a worker of the suite's xdist (pytest-benchmark would see
    # PYTEST_XDIST_WORKER and turn itself off)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    env = {k: v for k, v in env.items() if k not in ("PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(REPO / "src")
    env["RXP_DEMO_BREAK"] = "1"  # SUITE's BenchmarkParent/broken fails here
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            "pytest.ini",
            "-p",
            PLUGIN,
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_bench_file_runs_under_pytest_benchmark_and_back_to_benchstat(tmp_path: Path) -> None:
    (tmp_path / "bench_demo.py").write_text(SUITE)
    run = pytest_run(
        "--benchmark-only", "bench_demo.py", *TINY, "--benchmark-json=run.json", "-v", cwd=tmp_path
    )
    assert run.returncode == 1, run.stdout + run.stderr  # BenchmarkParent/broken failed
    assert "bench_demo.py::BenchmarkParent/broken FAILED" in run.stdout
    assert "ZeroDivisionError" in run.stdout
    items = [
        "BenchmarkJoin",
        "BenchmarkSubCases/size=1",
        "BenchmarkSubCases/size=8",
        "BenchmarkSetup",
    ]
    for item in items:
        assert f"bench_demo.py::{item} PASSED" in run.stdout
    assert "1 failed, 4 passed" in run.stdout
    document = json.loads((tmp_path / "run.json").read_text())
    benches = {b["name"]: b for b in document["benchmarks"]}
    assert list(benches) == items
    setup = benches["BenchmarkSetup"]
    assert setup["options"]["timer"] == "rxp_b_timer"
    assert setup["stats"]["max"] < 0.002  # the 2 ms sleep before b.reset_timer is not timed
    assert setup["extra_info"]["rxp"]["metrics"] == [{"things/op": 3.0}] * setup["stats"]["rounds"]
    join_extra = benches["BenchmarkJoin"]["extra_info"]["rxp"]
    assert join_extra["bytes"] == 50 and join_extra["n"] >= 1

    # the same names under rxp bench
    native = rxp("bench", "--cpu", "1", "--benchtime", "1x", "bench_demo.py", cwd=tmp_path)
    # (there the broken leaf does not fail)
    assert [r.full_name for r in read_back(native.stdout)] == [*items, "BenchmarkParent/broken"]

    converted = rxp("bench", "--from-pytest-benchmark", "run.json", cwd=tmp_path)
    assert converted.returncode == 0 and converted.stderr == ""
    results = read_back(converted.stdout)
    assert list(dict.fromkeys(r.full_name for r in results)) == items
    for r in results:
        assert r.iters == benches[r.full_name]["extra_info"]["rxp"]["n"]
        assert dict(r.config)["pkg"] == "bench_demo"
    join = [r for r in results if r.name == "Join"]
    assert all(unit in {"ns/op", "MB/s"} for r in join for _, unit in r.values)
    assert all(("things/op" in {u for _, u in r.values}) for r in results if r.name == "Setup")

    (tmp_path / "new.txt").write_text(converted.stdout)
    compare = rxp("bench", "compare", "new.txt", "new.txt", cwd=tmp_path)
    assert compare.returncode == 0, compare.stderr
    for row in ("Join", "SubCases/size=1", "SubCases/size=8", "Setup", "geomean"):
        assert row in compare.stdout


def test_the_repository_bench_core_serves_both_tools(tmp_path: Path) -> None:
    bench = str(REPO / "benchmarks" / "bench_core.py")
    run = pytest_run(
        "--benchmark-only",
        bench,
        "-k",
        "ExplainTree and heavy",
        *TINY,
        "--benchmark-json=core.json",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed, 17 deselected" in run.stdout
    converted = rxp("bench", "--from-pytest-benchmark", "core.json", cwd=tmp_path)
    results = read_back(converted.stdout)
    assert {r.full_name for r in results} == {"BenchmarkExplainTree/pattern=heavy"}
    native = rxp(
        "bench",
        "--cpu",
        "1",
        "--benchtime",
        "1x",
        "--bench",
        "ExplainTree/heavy",
        bench,
        cwd=tmp_path,
    )
    assert [r.full_name for r in read_back(native.stdout)] == ["BenchmarkExplainTree/pattern=heavy"]


GO_WAYS = textwrap.dedent(
    """
    import threading, time

    def BenchmarkSkips(b):
        b.skip("no", "network")

    def BenchmarkFatals(b):
        b.fatalf("broken %d", 3)
        raise AssertionError("fatalf ends the function")

    def BenchmarkFailsLate(b):
        if b.n > 1:
            b.error("late")

    def BenchmarkTree(b):
        b.run("skipped", lambda b: b.skip_now())
        b.run("ok", lambda b: [None for _ in range(b.n)])

    def BenchmarkLoop(b):
        time.sleep(0.002)  # set-up before b.loop() is never timed
        count = 0
        while b.loop():
            count += 1
        b.report_metric(count, "loops")

    def BenchmarkParallel(b):
        calls, lock = [0], threading.Lock()

        def body(pb):
            while pb.next():
                with lock:
                    calls[0] += 1

        b.set_parallelism(2)
        b.run_parallel(body)
        b.report_metric(calls[0], "calls")
    """
)


def test_go_verdicts_loop_and_run_parallel_under_the_plugin(tmp_path: Path) -> None:
    """b.skip* is pytest's skip of the item (the log its reason), b.fail/error/fatal its
    failure (the log its message), also in a sub-benchmark or a later call; b.loop()
    calibrates itself and each round runs the loop b.n times; run_parallel's workers share
    each round's b.n."""
    (tmp_path / "bench_ways.py").write_text(GO_WAYS)
    run = pytest_run("--benchmark-only", "bench_ways.py", *TINY, "--benchmark-json=run.json",
                     "-v", "-rs", cwd=tmp_path)  # fmt: skip
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    for item, verdict in [
        ("BenchmarkSkips", "SKIPPED"),
        ("BenchmarkFatals", "FAILED"),
        ("BenchmarkFailsLate", "FAILED"),
        ("BenchmarkTree/skipped", "SKIPPED"),
        ("BenchmarkTree/ok", "PASSED"),
        ("BenchmarkLoop", "PASSED"),
        ("BenchmarkParallel", "PASSED"),
    ]:
        assert f"bench_ways.py::{item} {verdict}" in out, item
    assert "bench_ways.py:5: no network" in out  # the skip's reason, with Go's file:line
    assert "BenchmarkFatals failed\n    bench_ways.py:8: broken 3" in out
    assert "AssertionError" not in out
    assert "BenchmarkFailsLate failed\n    bench_ways.py:13: late" in out
    assert "2 failed, 3 passed, 2 skipped" in out
    benches = {b["name"]: b for b in json.loads((tmp_path / "run.json").read_text())["benchmarks"]}
    assert set(benches) == {"BenchmarkTree/ok", "BenchmarkLoop", "BenchmarkParallel"}
    for name, unit in (("BenchmarkLoop", "loops"), ("BenchmarkParallel", "calls")):
        extra = benches[name]["extra_info"]["rxp"]
        assert extra["metrics"] == [{unit: extra["n"]}] * benches[name]["stats"]["rounds"]
    assert benches["BenchmarkLoop"]["stats"]["max"] < 0.002  # the sleep is not timed


def test_the_plugin_is_not_loaded_unless_asked_for() -> None:
    probe = "import sys, rxp._bench, rxp.cli; print('rxp._bench._pytest_plugin' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert out.stdout.strip() == "False"
    pyproject = (REPO / "pyproject.toml").read_text()
    assert "pytest11" not in pyproject
