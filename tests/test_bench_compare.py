"""``rxp bench compare``: benchstat's statistics on synthetic result files."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from rxp._bench import _compare, parse
from rxp._bench._gofmt import ParsedResult


def results(text: str) -> list[ParsedResult]:
    return [r for r in parse(text.splitlines()) if isinstance(r, ParsedResult)]


def lines(name: str, values: list[float], unit: str = "ns/op") -> str:
    return "".join(f"{name}-2\t1000\t{v} {unit}\n" for v in values)


OLD = [100.0, 101.0, 99.0, 100.5, 100.2, 99.8]
NEW = [80.0, 81.0, 79.0, 80.5, 80.2, 79.8]


def test_a_clear_difference_is_significant_with_the_exact_p_value() -> None:
    (table,) = _compare.compare(
        results(lines("BenchmarkX", OLD)), results(lines("BenchmarkX", NEW))
    )
    (row,) = table.rows
    # Complete separation of 6 vs 6 samples: exact two-sided p = 2 / C(12, 6).
    assert row.p == pytest.approx(2 / math.comb(12, 6))
    assert row.significant
    assert row.change == pytest.approx((80.1 - 100.1) / 100.1)
    assert row.old is not None and row.old.median == pytest.approx(100.1)


def test_identical_samples_are_not_significant() -> None:
    (table,) = _compare.compare(
        results(lines("BenchmarkX", OLD)), results(lines("BenchmarkX", OLD))
    )
    (row,) = table.rows
    assert row.p == pytest.approx(1.0)
    assert not row.significant
    assert row.change is None


def test_the_median_ci_is_the_order_statistic_interval() -> None:
    # With 6 samples the distribution-free 95% interval of the median is [min, max].
    summary = _compare.summarize(OLD)
    assert (summary.low, summary.high) == (min(OLD), max(OLD))
    assert math.isinf(_compare.summarize(OLD[:5]).spread)


def test_benchmarks_only_in_one_file_are_listed_without_a_test() -> None:
    tables = _compare.compare(
        results(lines("BenchmarkA", OLD) + lines("BenchmarkGone", OLD)),
        results(lines("BenchmarkA", NEW) + lines("BenchmarkNew", NEW)),
    )
    (table,) = tables
    rows = {r.name: r for r in table.rows}
    assert set(rows) == {"BenchmarkA-2", "BenchmarkGone-2", "BenchmarkNew-2"}
    assert rows["BenchmarkGone-2"].new is None and rows["BenchmarkGone-2"].p is None
    assert rows["BenchmarkNew-2"].old is None


def run_compare(tmp_path: Path, old: str, new: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "old.txt").write_text("goos: linux\n" + old)
    (tmp_path / "new.txt").write_text("goos: linux\n" + new)
    return subprocess.run(
        [sys.executable, "-m", "rxp", "bench", "compare", "old.txt", "new.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )


def test_cli_compare_prints_the_change_and_p(tmp_path: Path) -> None:
    old = lines("BenchmarkX", OLD) + lines("BenchmarkY", OLD, "MB/s")
    new = lines("BenchmarkX", NEW) + lines("BenchmarkY", OLD, "MB/s")
    done = run_compare(tmp_path, old, new)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("goos: linux\n")
    x_row = next(line for line in out.splitlines() if line.startswith("X-2"))
    assert "-19.98% (p=0.002 n=6)" in x_row
    assert "100.1n" in x_row and "80.1n" in x_row  # sec/op with SI prefixes, as benchstat
    y_row = next(line for line in out.splitlines() if line.startswith("Y-2"))
    assert "~ (p=1.000 n=6)" in y_row
    assert "sec/op" in out and "MB/s" in out


def test_cli_compare_of_a_file_without_results_is_an_error(tmp_path: Path) -> None:
    done = run_compare(tmp_path, "nothing here\n", lines("BenchmarkX", NEW))
    assert done.returncode == 2
    assert done.stderr.startswith("rxp: error: ")
    assert "no benchmark results" in done.stderr


def test_the_same_name_in_two_packages_is_two_rows() -> None:
    text_old = "pkg: a\n" + lines("BenchmarkX", OLD) + "pkg: b\n" + lines("BenchmarkX", NEW)
    text_new = "pkg: a\n" + lines("BenchmarkX", OLD) + "pkg: b\n" + lines("BenchmarkX", OLD)
    tables = _compare.compare(results(text_old), results(text_new))
    assert [(t.pkg, t.unit) for t in tables] == [("a", "ns/op"), ("b", "ns/op")]
    a, b = tables
    assert not a.rows[0].significant
    assert b.rows[0].significant and b.rows[0].change is not None and b.rows[0].change > 0.2
    text = _compare.render(tables, "old", "new")
    assert text.index("pkg: a") < text.index("pkg: b")
