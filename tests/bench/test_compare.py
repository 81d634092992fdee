"""``rxp bench compare``: benchstat's numbers, checked against benchstat itself.

Oracles: outputs of the real Go ``benchstat`` (golang.org/x/perf, rebuilt offline and run on
the fixtures below; the upstream usage example with its p=0.446 tied row), go-moremath's
``QuantileCI`` orders, the values benchstat printed for the rows where rxp used to disagree
(/tmp/benchstat-evidence.txt), SciPy's exact permutation distribution, and combinatorics.
None of the expected values comes from rxp's own output.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._bench import _assume, _benchmath, _benchtab, _compare, parse
from rxp._bench._gofmt import ParsedResult


def results(text: str, units: dict[tuple[str, str], str] | None = None) -> list[ParsedResult]:
    return [r for r in parse(text.splitlines(), units) if isinstance(r, ParsedResult)]


def lines(name: str, values: list[float], unit: str = "ns/op") -> str:
    return "".join(f"{name}-2\t1000\t{v} {unit}\n" for v in values)


def tables(*files: tuple[str, str], **flags: str) -> _compare.Tables:
    """``rxp bench compare`` of ``(label, text)`` files, in process, default projections."""
    options = _compare.parse_options(**flags)
    units: dict[tuple[str, str], str] = {}
    read = [_compare.to_bresult(r, label) for label, text in files for r in results(text, units)]
    return _compare.build(read, options, units)


def render(old: str, new: str, old_label: str = "old.txt", new_label: str = "new.txt") -> str:
    return _benchtab.to_text(tables((old_label, old), (new_label, new)))


def only_pair(old: str, new: str) -> tuple[_compare.Cell, _compare.Cell]:
    """The two cells of a one-row, two-column comparison."""
    (table,) = tables(("old.txt", old), ("new.txt", new)).tables
    (row,) = table.rows
    base, other = (table.cell(row, col) for col in table.cols)
    assert base is not None and other is not None
    return base, other


# -- whole tables, byte for byte against benchstat ---------------------------------------------

# The example of benchstat's documentation (cmd/benchstat/testdata/old.txt and new.txt).
DOC_OLD = """\
goos: linux
goarch: amd64
pkg: golang.org/x/perf/cmd/benchstat/testdata
BenchmarkEncode/format=json-48 690848 1726 ns/op
BenchmarkEncode/format=json-48 684861 1723 ns/op
BenchmarkEncode/format=json-48 693285 1707 ns/op
BenchmarkEncode/format=json-48 677692 1707 ns/op
BenchmarkEncode/format=json-48 692130 1713 ns/op
BenchmarkEncode/format=json-48 684164 1729 ns/op
BenchmarkEncode/format=json-48 682500 1736 ns/op
BenchmarkEncode/format=json-48 677509 1707 ns/op
BenchmarkEncode/format=json-48 687295 1705 ns/op
BenchmarkEncode/format=json-48 695533 1774 ns/op
BenchmarkEncode/format=gob-48 372699 3069 ns/op
BenchmarkEncode/format=gob-48 394740 3075 ns/op
BenchmarkEncode/format=gob-48 391335 3069 ns/op
BenchmarkEncode/format=gob-48 383588 3067 ns/op
BenchmarkEncode/format=gob-48 385885 3207 ns/op
BenchmarkEncode/format=gob-48 389970 3064 ns/op
BenchmarkEncode/format=gob-48 393361 3064 ns/op
BenchmarkEncode/format=gob-48 393882 3058 ns/op
BenchmarkEncode/format=gob-48 396171 3059 ns/op
BenchmarkEncode/format=gob-48 397812 3062 ns/op
"""
DOC_NEW = """\
goos: linux
goarch: amd64
pkg: golang.org/x/perf/cmd/benchstat/testdata
BenchmarkEncode/format=json-48 714387 1423 ns/op
BenchmarkEncode/format=json-48 845445 1416 ns/op
BenchmarkEncode/format=json-48 815714 1411 ns/op
BenchmarkEncode/format=json-48 828824 1413 ns/op
BenchmarkEncode/format=json-48 834070 1412 ns/op
BenchmarkEncode/format=json-48 828123 1426 ns/op
BenchmarkEncode/format=json-48 834493 1422 ns/op
BenchmarkEncode/format=json-48 838406 1424 ns/op
BenchmarkEncode/format=json-48 836227 1447 ns/op
BenchmarkEncode/format=json-48 830835 1425 ns/op
BenchmarkEncode/format=gob-48 394441 3075 ns/op
BenchmarkEncode/format=gob-48 393207 3065 ns/op
BenchmarkEncode/format=gob-48 392374 3059 ns/op
BenchmarkEncode/format=gob-48 396037 3065 ns/op
BenchmarkEncode/format=gob-48 393255 3060 ns/op
BenchmarkEncode/format=gob-48 382629 3081 ns/op
BenchmarkEncode/format=gob-48 389558 3186 ns/op
BenchmarkEncode/format=gob-48 392668 3135 ns/op
BenchmarkEncode/format=gob-48 392313 3087 ns/op
BenchmarkEncode/format=gob-48 394274 3062 ns/op
"""
# `benchstat old.txt new.txt` on them.
DOC_BENCHSTAT = """\
goos: linux
goarch: amd64
pkg: golang.org/x/perf/cmd/benchstat/testdata
                      │   old.txt   │               new.txt               │
                      │   sec/op    │   sec/op     vs base                │
Encode/format=json-48   1.718µ ± 1%   1.423µ ± 1%  -17.20% (p=0.000 n=10)
Encode/format=gob-48    3.066µ ± 0%   3.070µ ± 2%        ~ (p=0.446 n=10)
geomean                 2.295µ        2.090µ        -8.94%
"""

# Part of two `rxp bench --count 6 --benchmem` runs: MB/s quantised to 0.01 (ties), allocs/op
# nearly constant, B/op constant (every sample equal), zero allocs (no geomean).
RUN_OLD = """\
goos: linux
goarch: amd64
pkg: benchmarks/bench_core
cpu: Intel(R) Xeon(R) Processor
python: CPython 3.11.7
BenchmarkParse/pattern=literal-prefix-2 126 578445 ns/op 0.10 MB/s 24614 B/op 53 allocs/op
BenchmarkParse/pattern=literal-prefix-2 100 772167 ns/op 0.07 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 138 414258 ns/op 0.14 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 128 445554 ns/op 0.13 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 100 777266 ns/op 0.07 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 100 820880 ns/op 0.07 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=inner-literal-2 100 676198 ns/op 0.07 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 100 650068 ns/op 0.07 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 193 308251 ns/op 0.14 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 189 312914 ns/op 0.14 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 195 310321 ns/op 0.14 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 184 312776 ns/op 0.14 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=no-literal-2 248 224652 ns/op 0.14 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 266 224420 ns/op 0.14 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 254 229008 ns/op 0.14 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 236 236493 ns/op 0.13 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 262 224380 ns/op 0.14 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 262 226304 ns/op 0.14 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=named-groups-2 226 261678 ns/op 0.26 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 229 264043 ns/op 0.26 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 220 265556 ns/op 0.26 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 217 262705 ns/op 0.26 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 220 262634 ns/op 0.26 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 226 268995 ns/op 0.25 MB/s 19185 B/op 64 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 33194044 ns/op 47.15 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 33640488 ns/op 46.52 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32495189 ns/op 48.16 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32275042 ns/op 48.49 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32062024 ns/op 48.81 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32099960 ns/op 48.76 MB/s 1374 B/op 0 allocs/op
"""
RUN_NEW = """\
goos: linux
goarch: amd64
pkg: benchmarks/bench_core
cpu: Intel(R) Xeon(R) Processor
python: CPython 3.11.7
BenchmarkParse/pattern=literal-prefix-2 142 419342 ns/op 0.13 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 145 412407 ns/op 0.14 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 145 421406 ns/op 0.13 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 144 411279 ns/op 0.14 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 144 421775 ns/op 0.13 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=literal-prefix-2 139 425831 ns/op 0.13 MB/s 24614 B/op 54 allocs/op
BenchmarkParse/pattern=inner-literal-2 170 348709 ns/op 0.13 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 174 318768 ns/op 0.14 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 192 316322 ns/op 0.14 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 188 322718 ns/op 0.14 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 180 331342 ns/op 0.13 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=inner-literal-2 171 332254 ns/op 0.13 MB/s 18580 B/op 51 allocs/op
BenchmarkParse/pattern=no-literal-2 240 249151 ns/op 0.12 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 242 247158 ns/op 0.13 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 242 247228 ns/op 0.13 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 259 240227 ns/op 0.13 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 244 254619 ns/op 0.12 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=no-literal-2 260 227378 ns/op 0.14 MB/s 17430 B/op 61 allocs/op
BenchmarkParse/pattern=named-groups-2 222 269105 ns/op 0.25 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 223 260488 ns/op 0.26 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 222 267125 ns/op 0.25 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 218 270841 ns/op 0.25 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 218 275277 ns/op 0.25 MB/s 19185 B/op 64 allocs/op
BenchmarkParse/pattern=named-groups-2 216 271125 ns/op 0.25 MB/s 19185 B/op 64 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32752663 ns/op 47.79 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32165544 ns/op 48.66 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32032744 ns/op 48.86 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32248722 ns/op 48.53 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32708887 ns/op 47.85 MB/s 1374 B/op 0 allocs/op
BenchmarkMatch/pattern=no-literal-2 2 32150468 ns/op 48.68 MB/s 1374 B/op 0 allocs/op
"""
# `benchstat old.txt new.txt` on them.
RUN_BENCHSTAT = """\
goos: linux
goarch: amd64
pkg: benchmarks/bench_core
cpu: Intel(R) Xeon(R) Processor
python: CPython 3.11.7
                               │   old2.txt    │              new2.txt              │
                               │    sec/op     │   sec/op     vs base               │
Parse/pattern=literal-prefix-2   675.3µ ±  39%   420.4µ ± 2%  -37.75% (p=0.026 n=6)
Parse/pattern=inner-literal-2    312.8µ ± 116%   327.0µ ± 7%        ~ (p=0.394 n=6)
Parse/pattern=no-literal-2       225.5µ ±   5%   247.2µ ± 8%   +9.63% (p=0.009 n=6)
Parse/pattern=named-groups-2     263.4µ ±   2%   270.0µ ± 4%        ~ (p=0.093 n=6)
Match/pattern=no-literal-2       32.39m ±   4%   32.21m ± 2%        ~ (p=0.589 n=6)
geomean                          835.2µ          783.6µ        -6.17%

                               │   old2.txt    │              new2.txt               │
                               │      B/s      │      B/s       vs base              │
Parse/pattern=literal-prefix-2   83.01Ki ± 65%   126.95Ki ± 8%       ~ (p=0.076 n=6)
Parse/pattern=inner-literal-2    136.7Ki ± 50%    131.8Ki ± 4%       ~ (p=1.000 n=6)
Parse/pattern=no-literal-2       136.7Ki ±  7%    127.0Ki ± 8%       ~ (p=0.054 n=6)
Parse/pattern=named-groups-2     253.9Ki ±  4%    244.1Ki ± 4%       ~ (p=0.080 n=6)
Match/pattern=no-literal-2       46.09Mi ±  4%    46.34Mi ± 2%       ~ (p=0.589 n=6)
geomean                          450.7Ki          476.7Ki       +5.78%

                               │   old2.txt   │               new2.txt               │
                               │     B/op     │     B/op      vs base                │
Parse/pattern=literal-prefix-2   24.04Ki ± 0%   24.04Ki ± 0%       ~ (p=1.000 n=6) ¹
Parse/pattern=inner-literal-2    18.14Ki ± 0%   18.14Ki ± 0%       ~ (p=1.000 n=6) ¹
Parse/pattern=no-literal-2       17.02Ki ± 0%   17.02Ki ± 0%       ~ (p=1.000 n=6) ¹
Parse/pattern=named-groups-2     18.74Ki ± 0%   18.74Ki ± 0%       ~ (p=1.000 n=6) ¹
Match/pattern=no-literal-2       1.342Ki ± 0%   1.342Ki ± 0%       ~ (p=1.000 n=6) ¹
geomean                          11.33Ki        11.33Ki       +0.00%
¹ all samples are equal

                               │   old2.txt   │              new2.txt              │
                               │  allocs/op   │ allocs/op   vs base                │
Parse/pattern=literal-prefix-2   54.00 ± 2%     54.00 ± 0%       ~ (p=1.000 n=6)
Parse/pattern=inner-literal-2    51.00 ± 0%     51.00 ± 0%       ~ (p=1.000 n=6) ¹
Parse/pattern=no-literal-2       61.00 ± 0%     61.00 ± 0%       ~ (p=1.000 n=6) ¹
Parse/pattern=named-groups-2     64.00 ± 0%     64.00 ± 0%       ~ (p=1.000 n=6) ¹
Match/pattern=no-literal-2       0.000 ± 0%     0.000 ± 0%       ~ (p=1.000 n=6) ¹
geomean                                     ²               +0.00%               ²
¹ all samples are equal
² summaries must be >0 to compute geomean
"""


def lcg_values(seed: int, n: int, base: int, spread: int, step: int = 1) -> list[int]:
    """Deterministic pseudo-random integers in [base, base + spread), multiples of step."""
    out, x = [], seed
    for _ in range(n):
        x = (1103515245 * x + 12345) % 2**31
        out.append(base + (x % spread) // step * step)
    return out


CASES = [  # name, n_old, n_new, old base, new base, spread, step (step > 1 makes ties)
    ("N8", 8, 8, 1000, 1010, 40, 1),
    ("N11", 11, 11, 1000, 1030, 200, 1),
    ("N24", 24, 24, 5000, 5000, 900, 1),
    ("Ties25", 25, 25, 2000, 2010, 50, 10),
    ("Ties26", 26, 26, 2000, 2010, 50, 10),
    ("Exact50", 50, 50, 10**6, 10**6 + 4000, 10**5, 1),
    ("Approx51", 51, 51, 10**6, 10**6 + 4000, 10**5, 1),
    ("Mixed8x11", 8, 11, 300, 290, 30, 1),
]


def files() -> tuple[str, str]:
    old, new = [], []
    for i, (name, n_old, n_new, b_old, b_new, spread, step) in enumerate(CASES):
        old += [
            f"Benchmark{name} 1 {v} ns/op\n"
            for v in lcg_values(2 * i + 1, n_old, b_old, spread, step)
        ]
        new += [
            f"Benchmark{name} 1 {v} ns/op\n"
            for v in lcg_values(2 * i + 2, n_new, b_new, spread, step)
        ]
    return "".join(old), "".join(new)


# `benchstat old.txt new.txt` on files().
SIZES_BENCHSTAT = """\
          │   old.txt   │               new.txt                │
          │   sec/op    │   sec/op     vs base                 │
N8          1.023µ ± 2%   1.038µ ± 2%  +1.42% (p=0.040 n=8)
N11         1.095µ ± 7%   1.140µ ± 9%       ~ (p=0.217 n=11)
N24         5.445µ ± 3%   5.361µ ± 3%       ~ (p=0.318 n=24)
Ties25      2.020µ ± 0%   2.030µ ± 0%  +0.50% (p=0.006 n=25)
Ties26      2.020µ ± 0%   2.030µ ± 1%  +0.50% (p=0.001 n=26)
Exact50     1.047m ± 1%   1.049m ± 1%       ~ (p=0.948 n=50)
Approx51    1.051m ± 2%   1.057m ± 1%       ~ (p=0.630 n=51)
Mixed8x11   312.5n ± 4%   301.0n ± 3%  -3.68% (p=0.022 n=8+11)
geomean     7.355µ        7.372µ       +0.23%
"""


def test_the_documentation_example_matches_benchstat(tmp_path: Path) -> None:
    """Includes the tied gob row: p=0.446 (SciPy's normal approximation said 0.449)."""
    (tmp_path / "old.txt").write_text(DOC_OLD)
    (tmp_path / "new.txt").write_text(DOC_NEW)
    done = subprocess.run(
        [sys.executable, "-m", "rxp", "bench", "compare", "old.txt", "new.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == DOC_BENCHSTAT


def test_ties_equal_samples_and_zero_geomeans_match_benchstat() -> None:
    assert render(RUN_OLD, RUN_NEW, "old2.txt", "new2.txt") == RUN_BENCHSTAT


def test_sample_sizes_from_8_to_51_match_benchstat() -> None:
    """CI order statistics at n = 8, 11, 24; exact U with ties at 25, normal approximation at
    26; exact U without ties at 50, approximation at 51; unequal sizes."""
    old, new = files()
    assert render(old, new) == SIZES_BENCHSTAT


def quirk_files() -> tuple[str, str]:
    """Rows first seen in another table, a 0 MB/s sample, 52 separated samples a side."""
    old, new = [], []
    old += [f"BenchmarkA 1 {100 + i} ns/op\n" for i in range(6)]
    old += [f"BenchmarkB 1 {7000 + 10 * i} B/op\n" for i in range(6)]
    for i in range(6):
        new.append(f"BenchmarkB 1 {7100 + 10 * i} B/op\n")
        new.append(f"BenchmarkA 1 {90 + i} ns/op\t{0 if i == 0 else 5} MB/s\t{2 + i} B/op\n")
    for i in range(52):
        old.append(f"BenchmarkC 1 {2000 + i} ns/op\n")
        new.append(f"BenchmarkC 1 {1000 + i} ns/op\n")
    return "".join(old), "".join(new)


# `benchstat old.txt new.txt` on quirk_files(): rows ordered by where a name is first seen in
# either file; benchfmt leaves a 0 MB/s in its own MB/s table (0 x 1e6 == 0); p rounds to 0
# in the far tail (no "p="); cells overflowing the "vs base" columns push the edge right.
QUIRKS_BENCHSTAT = """\
        │   old.txt    │              new.txt               │
        │    sec/op    │   sec/op     vs base               │
A         102.50n ± 2%   92.50n ± 3%   -9.76% (p=0.002 n=6)
C          2.026µ ± 0%   1.026µ ± 1%  -49.37% (n=52)
geomean    455.6n        308.0n       -32.41%

        │   old.txt    │               new.txt               │
        │     B/op     │     B/op       vs base              │
A                          4.500 ± 56%
B         6.860Ki ± 0%   6.958Ki ±  0%  +1.42% (p=0.002 n=6)
geomean   6.860Ki          179.1        +1.42%

  │   new.txt   │
  │    MB/s     │
A   0.000 ± ∞ ¹
¹ need >= 6 samples for confidence interval at level 0.95

  │    new.txt    │
  │      B/s      │
A   4.768Mi ± ∞ ¹
¹ need >= 6 samples for confidence interval at level 0.95
"""


def test_benchstats_ordering_and_rounding_quirks_are_kept() -> None:
    old, new = quirk_files()
    assert render(old, new) == QUIRKS_BENCHSTAT


def test_disjoint_benchmark_sets_match_benchstat_with_its_overflowing_header() -> None:
    old = "".join(f"BenchmarkX 1 {60 + i} B/op\n" for i in range(6))
    new = "".join(f"BenchmarkY 1 {9000 + i} B/op\n" for i in range(6))
    assert render(old, new) == (  # benchstat's output for the same files
        "        │  old.txt   │       new.txt       │\n"
        "        │    B/op    │     B/op      vs base   │\n"
        "X         62.50 ± 4%\n"
        "Y                      8.792Ki ± 0%\n"
        "geomean   62.50        8.792Ki       ? ¹ ²\n"
        "¹ benchmark set differs from baseline; geomeans may not be comparable\n"
        "² ratios must be >0 to compute geomean\n"
    )


# -- the statistics one by one -----------------------------------------------------------------

# go-moremath QuantileCI(n, 0.5, 0.95) -> (LoOrder, HiOrder), printed by the Go code.
MOREMATH_MEDIAN_CI = {
    2: (0, 3),
    3: (0, 4),
    4: (0, 5),
    5: (0, 5),
    6: (1, 6),
    7: (1, 7),
    8: (1, 7),
    9: (2, 8),
    10: (2, 9),
    11: (2, 9),
    12: (3, 10),
    13: (3, 11),
    14: (3, 11),
    15: (4, 12),
    16: (4, 12),
    17: (5, 13),
    18: (5, 14),
    19: (5, 14),
    20: (6, 15),
    21: (6, 16),
    22: (6, 16),
    23: (7, 17),
    24: (8, 18),
    25: (8, 18),
    26: (8, 19),
    27: (8, 19),
    28: (9, 20),
    29: (9, 20),
    30: (10, 21),
    31: (10, 22),
    32: (10, 22),
    33: (11, 23),
    34: (11, 23),
    35: (12, 24),
    36: (12, 24),
    37: (13, 25),
    38: (13, 26),
    39: (13, 26),
    40: (14, 27),
    41: (14, 27),
    42: (15, 28),
    43: (15, 29),
    44: (15, 29),
    45: (16, 30),
    46: (16, 30),
    47: (17, 31),
    48: (17, 31),
    49: (18, 32),
    50: (18, 32),
    51: (19, 33),
    52: (19, 34),
    53: (19, 34),
    54: (20, 35),
    55: (20, 35),
    56: (21, 36),
    57: (21, 36),
    58: (22, 37),
    59: (22, 38),
    60: (22, 38),
}


def test_median_ci_orders_are_moremaths() -> None:
    ours = {n: _benchmath.median_ci_orders(n)[:2] for n in MOREMATH_MEDIAN_CI}
    assert ours == MOREMATH_MEDIAN_CI
    # The cases where SciPy's quantile_test interval differed (benchstat-evidence, part 8).
    assert ours[8] == (1, 7) and ours[11] == (2, 9) and ours[24] == (8, 18)


def test_the_median_ci_bounds_are_those_order_statistics() -> None:
    xs = [float(v) for v in (13, 2, 8, 5, 21, 1, 34, 3)]  # n = 8: [x(1), x(7)]
    summary = _benchmath.summarize(xs)
    assert (summary.lo, summary.center, summary.hi) == (1.0, 6.5, 21.0)
    assert summary.pct_range() == f"{100 * max(21 / 6.5 - 1, 1 - 1 / 6.5):.0f}%"
    few = _benchmath.summarize(xs[:5])
    assert math.isinf(few.lo) and few.pct_range() == "∞"


# Rows where rxp's verdict used to flip (benchstat-evidence, part 7): MB/s quantised to 0.01.
FLIPPED = [
    ([0.07, 0.07, 0.14, 0.07, 0.08, 0.14], [0.14] * 6, "0.061"),
    ([0.14, 0.14, 0.14, 0.13, 0.14, 0.14], [0.12, 0.13, 0.13, 0.13, 0.12, 0.14], "0.054"),
    ([0.26, 0.26, 0.26, 0.26, 0.26, 0.25], [0.25, 0.26, 0.25, 0.25, 0.25, 0.25], "0.080"),
    ([53.0, 54.0, 54.0, 54.0, 54.0, 54.0], [54.0] * 6, "1.000"),
]


@pytest.mark.parametrize(("old", "new", "p"), FLIPPED)
def test_tied_samples_get_benchstats_exact_p(old: list[float], new: list[float], p: str) -> None:
    _, cell = only_pair(lines("BenchmarkX", old, "MB/s"), lines("BenchmarkX", new, "MB/s"))
    assert cell.comparison is not None and f"{cell.comparison.p:.3f}" == p
    assert cell.comparison.format_delta(1.0, 2.0) == "~"


def u1(x: list[int], y: list[int]) -> float:
    return sum(1.0 if a > b else 0.5 if a == b else 0.0 for a in x for b in y)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=2, max_size=6),
    st.lists(st.integers(0, 3), min_size=2, max_size=6),
)
def test_the_tied_u_distribution_counts_every_arrangement(x: list[int], y: list[int]) -> None:
    """moremath's tie-aware counting against SciPy's exact permutation distribution, at the
    observed U1 (a point of U1's support; below the support see the next test)."""
    stats = pytest.importorskip("scipy.stats")
    if len(set(x + y)) == 1:
        return
    pooled = sorted(x + y)
    ties = [pooled.count(v) for v in sorted(set(pooled))]
    u_obs = u1(x, y)
    res = stats.permutation_test(
        (x, y), lambda a, b: u1(list(a), list(b)), permutation_type="independent",
        n_resamples=10**6, vectorized=False, alternative="less",
    )  # fmt: skip
    total = math.comb(len(x) + len(y), len(x))
    assert len(res.null_distribution) == total  # exact: every split enumerated
    expected = sum(1 for u in res.null_distribution if u <= u_obs + 1e-9)
    assert _benchmath.tied_u_count(round(2 * u_obs), len(x), tuple(ties)) == expected


def test_benchstats_p_above_1_for_a_u_below_the_tied_support_is_kept() -> None:
    """moremath evaluates CDF(min(U1, U2)); with ties U2 may lie below U1's support and its
    count then is not 0: for these samples Go's MannWhitneyUTest returns p = 1.2 and 0.8
    (printed by the Go code), and benchstat prints them as they are."""
    assert _benchmath.u_test([0, 1], [0, 0, 0]).p == pytest.approx(1.2)
    assert _benchmath.u_test([0, 0, 0], [0, 1]).p == pytest.approx(0.8)


def test_complete_separation_has_the_exact_p_value() -> None:
    old = [100.0, 101.0, 99.0, 100.5, 100.2, 99.8]
    new = [80.0, 81.0, 79.0, 80.5, 80.2, 79.8]
    (table,) = tables(("old", lines("BenchmarkX", old)), ("new", lines("BenchmarkX", new))).tables
    base, cell = only_pair(lines("BenchmarkX", old), lines("BenchmarkX", new))
    assert cell.comparison is not None and base.summary is not None and cell.summary is not None
    assert cell.comparison.p == pytest.approx(2 / math.comb(12, 6))  # 2 of the C(12, 6) splits
    delta = cell.comparison.format_delta(base.summary.center, cell.summary.center)
    assert delta == f"{(80.1 / 100.1 - 1) * 100:+.2f}%"
    assert table.unit == "sec/op"  # tidied as benchstat does: x 1e-9
    assert base.summary.center == pytest.approx(100.1e-9)


def test_p_equal_to_alpha_is_significant() -> None:
    """benchmath prints ``~`` only when p > alpha."""
    at_alpha = _assume.Comparison(0.05, 6, 6, 0.05)
    above = _assume.Comparison(0.0500001, 6, 6, 0.05)
    assert at_alpha.format_delta(1.0, 2.0) == "+100.00%"
    assert above.format_delta(1.0, 2.0) == "~"


def test_equal_constants_have_p_1_and_a_note() -> None:
    old = lines("BenchmarkX", [7.0] * 6) + lines("BenchmarkY", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert render(old, old) == (  # benchstat's output for the same files
        "        │   old.txt    │               new.txt                │\n"
        "        │    sec/op    │    sec/op     vs base                │\n"
        "X-2       7.000n ±  0%   7.000n ±  0%       ~ (p=1.000 n=6) ¹\n"
        "Y-2       3.500n ± 71%   3.500n ± 71%       ~ (p=1.000 n=6)\n"
        "geomean   4.950n         4.950n        +0.00%\n"
        "¹ all samples are equal\n"
    )


def test_a_zero_median_leaves_that_geomean_out_with_a_note() -> None:
    old = lines("BenchmarkA", [0.0] * 6, "allocs/op") + lines("BenchmarkB", [4.0] * 6, "allocs/op")
    (table,) = tables(("old", old), ("new", old)).tables
    first, second = (table.summaries[col] for col in table.cols)
    assert (first.summary, second.summary) == (None, None)
    assert second.ratio == 1.0  # 0/0 counts as an unchanged row
    assert render(old, old, "zold.txt", "znew.txt") == (  # benchstat's output
        "        │   zold.txt   │              znew.txt              │\n"
        "        │  allocs/op   │ allocs/op   vs base                │\n"
        "A-2       0.000 ± 0%     0.000 ± 0%       ~ (p=1.000 n=6) ¹\n"
        "B-2       4.000 ± 0%     4.000 ± 0%       ~ (p=1.000 n=6) ¹\n"
        "geomean              ²               +0.00%               ²\n"
        "¹ all samples are equal\n"
        "² summaries must be >0 to compute geomean\n"
    )


def test_benchmarks_only_in_one_file_are_listed_without_a_test() -> None:
    old = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    (table,) = tables(
        ("old", lines("BenchmarkA", old) + lines("BenchmarkGone", old)),
        ("new", lines("BenchmarkA", old) + lines("BenchmarkNew", old)),
    ).tables
    rows = {r.string_values(): r for r in table.rows}
    assert list(rows) == ["A-2", "Gone-2", "New-2"]
    base, new = table.cols
    assert table.cell(rows["Gone-2"], new) is None
    assert table.cell(rows["New-2"], base) is None
    new_cell = table.cell(rows["New-2"], new)
    assert new_cell is not None and new_cell.comparison is None
    assert table.summaries[new].warnings == [
        "benchmark set differs from baseline; geomeans may not be comparable"
    ]


def test_the_same_name_in_two_packages_is_two_tables() -> None:
    a = [100.0, 101.0, 99.0, 100.5, 100.2, 99.8]
    b = [80.0, 81.0, 79.0, 80.5, 80.2, 79.8]
    text_old = "pkg: a\n" + lines("BenchmarkX", a) + "pkg: b\n" + lines("BenchmarkX", b)
    text_new = "pkg: a\n" + lines("BenchmarkX", a) + "pkg: b\n" + lines("BenchmarkX", a)
    got = tables(("old", text_old), ("new", text_new))
    assert [str(k) for k in got.keys] == ["pkg:a .unit:sec/op", "pkg:b .unit:sec/op"]
    for table, delta in zip(got.tables, ("~", "+24.97%"), strict=True):
        (row,) = table.rows
        base, cell = (table.cell(row, col) for col in table.cols)
        assert base and base.summary and cell and cell.summary and cell.comparison
        assert cell.comparison.format_delta(base.summary.center, cell.summary.center) == delta
    text = render(text_old, text_new)
    assert text.startswith("pkg: a\n") and "\n\npkg: b\n" in text


def test_cli_compare_of_a_file_without_results_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("nothing here\n")
    (tmp_path / "new.txt").write_text(lines("BenchmarkX", [1.0] * 6))
    done = subprocess.run(
        [sys.executable, "-m", "rxp", "bench", "compare", "old.txt", "new.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("rxp: error: ")
    assert "no benchmark results" in done.stderr


def test_files_with_different_configuration_are_separate_tables_sorted_as_benchstat() -> None:
    # Go's benchstat on these two files (z1.txt with note zz, z2.txt with note aa): the
    # .config values sort as strings, not by first appearance.
    got = _benchtab.to_text(
        tables(
            ("z1.txt", "note: zz\nBenchmarkA 1 1 ns/op\n"),
            ("z2.txt", "note: aa\nBenchmarkA 1 2 ns/op\n"),
        )
    )
    assert got == (
        "note: aa\n"
        "  │    z2.txt    │\n"
        "  │    sec/op    │\n"
        "A   2.000n ± ∞ ¹\n"
        "¹ need >= 6 samples for confidence interval at level 0.95\n"
        "\n"
        "note: zz\n"
        "  │    z1.txt    │\n"
        "  │    sec/op    │\n"
        "A   1.000n ± ∞ ¹\n"
        "¹ need >= 6 samples for confidence interval at level 0.95\n"
    )


def test_any_number_of_files_compare_with_the_first(tmp_path: Path) -> None:
    old = [100.0, 101.0, 99.0, 100.5, 100.2, 99.8]
    for name, scale in (("a.txt", 1.0), ("b.txt", 0.8), ("c.txt", 1.0)):
        (tmp_path / name).write_text(lines("BenchmarkX", [v * scale for v in old]))
    done = subprocess.run(
        [sys.executable, "-m", "rxp", "bench", "compare", "A=a.txt", "B=b.txt", "c.txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    head, _, row = done.stdout.splitlines()
    assert [h.strip() for h in head.split("│") if h.strip()] == ["A", "B", "c.txt"]
    assert "-20.00% (p=0.002 n=6)" in row and "~ (p=1.000 n=6)" in row
