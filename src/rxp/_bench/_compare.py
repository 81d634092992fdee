"""``rxp bench compare OLD NEW``: benchstat's comparison, for people without Go.

Per benchmark and unit, as ``benchstat`` does it (golang.org/x/perf/cmd/benchstat):

- the centre is the **median** of the samples (one sample per ``--count`` round);
- the spread is a distribution-free **95 % confidence interval of the median**, from order
  statistics (``scipy.stats.quantile_test(...).confidence_interval``), shown as ``± x%``, the
  larger distance from the median to a bound; it needs at least 6 samples (``± ∞`` below);
- the difference is tested with the two-sided **Mann-Whitney U test**
  (``scipy.stats.mannwhitneyu``, exact for small samples without ties) at alpha = 0.05; a
  change is printed only when p < alpha, otherwise ``~``. Three samples a side can never
  reach p < 0.05: use ``--count 6`` or more (benchstat advises 10).

The statistics come from SciPy (imported only here, only when comparing), not from code of
our own.
"""

from __future__ import annotations

import importlib
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import RxpError
from ._gofmt import ParsedResult

__all__ = ["Comparison", "Row", "Summary", "compare", "render", "summarize"]

ALPHA = 0.05
CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Summary:
    """The median of ``n`` samples and its confidence interval ``[low, high]`` (NaN when
    there are too few samples for one)."""

    median: float
    low: float
    high: float
    n: int

    @property
    def spread(self) -> float:
        """The ``± x`` as a fraction of the median (inf when unknown)."""
        if math.isnan(self.low) or math.isnan(self.high):
            return math.inf
        if self.median == 0:
            return 0.0 if self.low == self.high == 0 else math.inf
        return max(self.median - self.low, self.high - self.median) / abs(self.median)


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    old: Summary | None
    new: Summary | None
    p: float | None
    change: float | None  # (new - old) / old of the medians; None unless significant

    @property
    def significant(self) -> bool:
        return self.p is not None and self.p < ALPHA


@dataclass(frozen=True, slots=True)
class Comparison:
    """One table: a unit within one ``pkg`` (benchstat splits tables by configuration too)."""

    unit: str
    rows: tuple[Row, ...]
    geomean: tuple[float, float] | None  # (old, new) geometric means of the medians
    pkg: str = ""


def _scipy_stats() -> Any:
    try:
        stats = importlib.import_module("scipy.stats")
    except ImportError:
        raise RxpError(
            "rxp bench compare needs SciPy for its statistics: pip install 'rxp[bench]'"
        ) from None
    return stats


def summarize(values: Sequence[float]) -> Summary:
    """Median and its 95 % order-statistic confidence interval."""
    median = statistics.median(values)
    low = high = math.nan
    if len(set(values)) == 1:
        low = high = median
    elif len(values) >= 2:
        stats = _scipy_stats()
        ci = stats.quantile_test(list(values), q=median, p=0.5).confidence_interval(CONFIDENCE)
        low, high = float(ci.low), float(ci.high)
    return Summary(median, low, high, len(values))


def _p_value(old: Sequence[float], new: Sequence[float]) -> float:
    if set(old) == set(new) and len(set(old)) == 1:
        return 1.0  # identical constants: no evidence of any difference
    stats = _scipy_stats()
    return float(stats.mannwhitneyu(list(old), list(new), alternative="two-sided").pvalue)


Samples = dict[str, dict[str, dict[str, list[float]]]]


def _samples(results: Iterable[ParsedResult]) -> Samples:
    """pkg -> unit -> benchmark full name -> samples, in order of first appearance."""
    out: Samples = {}
    for result in results:
        pkg = dict(result.config).get("pkg", "")
        by_unit = out.setdefault(pkg, {})
        for value, unit in result.values:
            by_unit.setdefault(unit, {}).setdefault(result.full_name, []).append(value)
    return out


def _row(name: str, a: list[float] | None, b: list[float] | None) -> Row:
    sa = summarize(a) if a else None
    sb = summarize(b) if b else None
    p = change = None
    if a and b and sa is not None and sb is not None:
        p = _p_value(a, b)
        if p < ALPHA and sa.median != 0:
            change = (sb.median - sa.median) / abs(sa.median)
    return Row(name, sa, sb, p, change)


def compare(old: Sequence[ParsedResult], new: Sequence[ParsedResult]) -> list[Comparison]:
    """One comparison per ``pkg`` and unit, one row per benchmark seen in either file."""
    old_pkgs, new_pkgs = _samples(old), _samples(new)
    out = []
    for pkg in dict.fromkeys([*old_pkgs, *new_pkgs]):
        old_units, new_units = old_pkgs.get(pkg, {}), new_pkgs.get(pkg, {})
        for unit in dict.fromkeys([*old_units, *new_units]):
            olds, news = old_units.get(unit, {}), new_units.get(unit, {})
            rows = [_row(n, olds.get(n), news.get(n)) for n in dict.fromkeys([*olds, *news])]
            both = [r for r in rows if r.old and r.new and r.old.median > 0 and r.new.median > 0]
            geo = None
            if len(both) >= 2:
                geo = (
                    statistics.geometric_mean(r.old.median for r in both if r.old),
                    statistics.geometric_mean(r.new.median for r in both if r.new),
                )
            out.append(Comparison(unit, tuple(rows), geo, pkg))
    return out


# -- rendering --------------------------------------------------------------------------------

_PREFIXES = [(1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]


def _display_unit(unit: str) -> tuple[str, float]:
    """benchstat shows ``ns/op`` as ``sec/op``; the factor converts a value to it."""
    if unit == "ns/op":
        return "sec/op", 1e-9
    return unit, 1.0


def _si(x: float) -> str:
    if x == 0 or not math.isfinite(x):
        return f"{x:.4g}"
    for scale, prefix in _PREFIXES:
        if abs(x) >= scale * 0.9995:
            return f"{x / scale:.4g}{prefix}"
    return f"{x / 1e-9:.4g}n"


def _cell(summary: Summary | None, factor: float) -> str:
    if summary is None:
        return "-"
    spread = summary.spread
    pct = "∞" if math.isinf(spread) else f"{spread * 100:.0f}%"
    return f"{_si(summary.median * factor)} ± {pct}"


def _delta(row: Row) -> str:
    if row.p is None or row.old is None or row.new is None:
        return ""
    n = f"n={row.old.n}" if row.old.n == row.new.n else f"n={row.old.n}+{row.new.n}"
    if row.change is None:
        return f"~ (p={row.p:.3f} {n})"
    return f"{row.change * 100:+.2f}% (p={row.p:.3f} {n})"


def render(
    comparisons: Sequence[Comparison],
    old_label: str,
    new_label: str,
    config: Sequence[tuple[str, str]] = (),
) -> str:
    """A plain-text table per unit, in benchstat's layout."""
    lines = [f"{k}: {v}" for k, v in config if k != "pkg"]
    pkg: str | None = None
    for comparison in comparisons:
        if lines:
            lines.append("")
        if comparison.pkg != pkg:
            pkg = comparison.pkg
            if pkg:
                lines.append(f"pkg: {pkg}")
        unit, factor = _display_unit(comparison.unit)
        table = [
            [name_cell(r.name), _cell(r.old, factor), _cell(r.new, factor), _delta(r)]
            for r in comparison.rows
        ]
        if comparison.geomean is not None:
            old_g, new_g = comparison.geomean
            change = (new_g - old_g) / old_g if old_g else 0.0
            table.append(
                ["geomean", _si(old_g * factor), _si(new_g * factor), f"{change * 100:+.2f}%"]
            )
        head = [["", old_label, new_label, ""], ["", unit, unit, "vs base"]]
        widths = [max(len(r[i]) for r in head + table) for i in range(4)]
        for row in head + table:
            cells = [row[0].ljust(widths[0])] + [
                c.ljust(w) for c, w in zip(row[1:], widths[1:], strict=True)
            ]
            lines.append("  ".join(cells).rstrip())
    notes = _notes(comparisons)
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(lines) + "\n"


def name_cell(full_name: str) -> str:
    """benchstat drops the ``Benchmark`` prefix in its tables."""
    return full_name.removeprefix("Benchmark") or full_name


def _notes(comparisons: Sequence[Comparison]) -> list[str]:
    small_ci = small_test = False
    for comparison in comparisons:
        for row in comparison.rows:
            for s in (row.old, row.new):
                if s is not None and math.isinf(s.spread):
                    small_ci = True
            if row.old and row.new and min(row.old.n, row.new.n) < 4:
                small_test = True
    notes = []
    if small_ci:
        notes.append("note: need >= 6 samples for a confidence interval at level 0.95")
    if small_test:
        notes.append("note: need >= 4 samples to detect a difference at alpha level 0.05")
    return notes
