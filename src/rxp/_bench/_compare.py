"""``rxp bench compare OLD NEW``: benchstat's comparison, for people without Go.

The output is meant to be byte-for-byte what ``benchstat OLD NEW`` (golang.org/x/perf,
default options) prints for the same files, so the two can be diffed:

- values are *tidied* first as benchfmt does (``ns/op`` -> ``sec/op`` x 1e-9, ``MB/s`` ->
  ``B/s`` x 1e6), one table per configuration (``pkg``) and unit, one row per benchmark;
- each cell is the median ``± x%`` (its 95 % confidence interval), each new cell the change
  of the medians with the U test's ``(p=... n=...)``, ``~`` when p > 0.05; the statistics
  are in :mod:`._benchmath` (benchstat's own rules, SciPy for the U distributions);
- one SI (or IEC for bytes) scale per row with 4 significant digits (``benchunit``), the
  ``geomean`` row (none for a column holding a value <= 0), and numbered footnotes for
  what benchstat warns about (too few samples, all samples equal, ...).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import _benchmath as bm
from ._gofmt import ParsedResult, tidy_unit
from ._texttab import Table

__all__ = ["Comparison", "Row", "compare", "render", "tidy_unit"]

Summary = bm.Summary


@dataclass(frozen=True, slots=True)
class Row:
    """One benchmark: the summaries of its samples in each file and, when it is in both,
    the U test of old against new."""

    name: str
    old: Summary | None
    new: Summary | None
    test: bm.UTest | None

    @property
    def p(self) -> float | None:
        """benchstat's p: 1 when the test cannot be made (every sample equal)."""
        if self.test is None:
            return None
        return 1.0 if self.test.p is None else self.test.p

    @property
    def significant(self) -> bool:
        return self.p is not None and self.p <= bm.ALPHA

    @property
    def change(self) -> float | None:
        """new / old - 1 of the medians when significant (None otherwise or when old = 0)."""
        if not self.significant or self.old is None or self.new is None:
            return None
        if self.old.center == self.new.center:
            return 0.0
        if self.old.center == 0:
            return None
        return self.new.center / self.old.center - 1.0


@dataclass(frozen=True, slots=True)
class Comparison:
    """One table: a unit (tidied, e.g. ``sec/op``) within one ``pkg``. ``geomean`` holds the
    geometric mean of each side's medians (None: a median <= 0, or no rows on that side);
    ``ratio`` the geometric mean of the per-row new/old ratios (None: an old median is 0)."""

    unit: str
    rows: tuple[Row, ...]
    geomean: tuple[float | None, float | None]
    ratio: float | None
    pkg: str = ""
    ratio_note: str | None = None

    @property
    def same_rows_as_base(self) -> bool:
        """False when some benchmark of OLD is missing from NEW (benchstat then warns that
        the geomeans may not be comparable)."""
        return all(r.new is not None for r in self.rows if r.old is not None)


def _is_binary(unit: str) -> bool:
    """benchunit ``ClassOf``: bytes in the numerator take IEC prefixes (Ki, Mi, ...)."""
    numerator = unit.split("/", 1)[0]
    tokens = numerator.replace("*", " ").replace("-", " ").split()
    return any(t in ("B", "MB", "bytes") for t in tokens)


Samples = dict[str, dict[str, dict[str, list[float]]]]


def _tidy(value: float, unit: str) -> tuple[float, str]:
    tidied, factor = tidy_unit(unit)
    if value * factor == value:  # benchfmt keeps the raw unit then (e.g. for 0)
        return value, unit
    return value * factor, tidied


def _samples(results: Iterable[ParsedResult]) -> Samples:
    """pkg -> tidied unit -> benchmark full name -> samples, in order of first appearance."""
    out: Samples = {}
    for result in results:
        pkg = dict(result.config).get("pkg", "")
        by_unit = out.setdefault(pkg, {})
        for raw, raw_unit in result.values:
            value, unit = _tidy(raw, raw_unit)
            by_unit.setdefault(unit, {}).setdefault(result.full_name, []).append(value)
    return out


def _row(name: str, a: list[float] | None, b: list[float] | None) -> Row:
    test = bm.u_test(a, b) if a and b else None
    return Row(name, bm.summarize(a) if a else None, bm.summarize(b) if b else None, test)


def _ratio(rows: Sequence[Row]) -> tuple[float | None, str | None]:
    """benchtab ``summarizeCol``: geomean of new/old per row (0/0 counts as 1); None with
    no note when an old median is 0, None with a note when a ratio is <= 0."""
    ratios = []
    for r in rows:
        if r.old is None or r.new is None:
            continue
        if r.old.center == r.new.center:
            ratios.append(1.0)
        elif r.old.center == 0:
            return None, None
        else:
            ratios.append(r.new.center / r.old.center)
    g = bm.geomean(ratios)
    return (None, "ratios must be >0 to compute geomean") if math.isnan(g) else (g, None)


def _geomean(values: list[float]) -> float | None:
    g = bm.geomean(values)
    return None if math.isnan(g) else g


def compare(old: Sequence[ParsedResult], new: Sequence[ParsedResult]) -> list[Comparison]:
    """One comparison per ``pkg`` and unit, one row per benchmark seen in either file.

    As benchproc orders keys: tables by (pkg, unit) and rows by name, each value ranked by
    where it is first seen over both files (OLD first), whatever table it was seen in."""
    old_pkgs, new_pkgs = _samples(old), _samples(new)
    pkgs: dict[str, None] = {}
    rank_unit: dict[str, int] = {}
    rank_name: dict[str, int] = {}
    for result in (*old, *new):
        pkgs.setdefault(dict(result.config).get("pkg", ""))
        rank_name.setdefault(result.full_name, len(rank_name))
        for value, unit in result.values:
            rank_unit.setdefault(_tidy(value, unit)[1], len(rank_unit))
    out = []
    for pkg in pkgs:
        old_units, new_units = old_pkgs.get(pkg, {}), new_pkgs.get(pkg, {})
        for unit in sorted({*old_units, *new_units}, key=rank_unit.__getitem__):
            olds, news = old_units.get(unit, {}), new_units.get(unit, {})
            names = sorted({*olds, *news}, key=rank_name.__getitem__)
            rows = tuple(_row(n, olds.get(n), news.get(n)) for n in names)
            geo = (
                _geomean([r.old.center for r in rows if r.old]),
                _geomean([r.new.center for r in rows if r.new]),
            )
            ratio, note = _ratio(rows)
            out.append(Comparison(unit, rows, geo, ratio, pkg, note))
    return out


# -- rendering (benchtab ``Table.ToText`` and benchunit's scaling) -----------------------------


@dataclass(frozen=True, slots=True)
class _Factor:
    factor: float
    prefix: str
    t100: float  # smallest value shown as 100.0 (1 decimal)
    t10: float
    t1: float


_SI = [
    _Factor(float(f"1e{e}"), p, float(f"99.995e{e}"), float(f"9.9995e{e}"), float(f".99995e{e}"))
    for e, p in zip(range(12, -10, -3), ["T", "G", "M", "k", "", "m", "µ", "n"], strict=True)
]
_IEC = [
    _Factor(
        2.0**e,
        p,
        float.fromhex(f"0x1.8ffae147ae148p{6 + e}"),
        float.fromhex(f"0x1.3ffbe76c8b439p{3 + e}"),
        float.fromhex(f"0x1.fff972474538fp{e - 1}"),
    )
    for e, p in zip(range(40, -10, -10), ["Ti", "Gi", "Mi", "Ki", ""], strict=True)
]
_SIGFIGS = [float(f"9.9995e{e}") for e in range(-1, -9, -1)]


def _scaler(values: Iterable[float], binary: bool) -> tuple[int, float, str]:
    """benchunit ``CommonScale``: (digits after the point, factor, prefix) giving the
    smallest non-zero value at least 4 significant digits."""
    smallest = min((abs(v) for v in values if v != 0), default=0.0)
    if smallest == 0:
        return 3, 1.0, ""
    factors = _IEC if binary else _SI
    for f in factors:
        if smallest >= f.t100:
            return 1, f.factor, f.prefix
        if smallest >= f.t10:
            return 2, f.factor, f.prefix
        if smallest >= f.t1:
            return 3, f.factor, f.prefix
    last = factors[-1]
    val = smallest / last.factor
    for i, thresh in enumerate(_SIGFIGS):
        if val >= thresh or i == len(_SIGFIGS) - 1:
            return i + 3, last.factor, last.prefix
    raise AssertionError("unreachable")


def _fmt(value: float, scale: tuple[int, float, str]) -> str:
    prec, factor, prefix = scale
    return f"{value / factor:.{prec}f}{prefix}"


def _delta(row: Row) -> str:
    """benchmath ``Comparison.FormatDelta``."""
    assert row.old is not None and row.new is not None
    if not row.significant:
        return "~"
    if row.old.center == row.new.center:
        return "0.00%"
    if row.old.center == 0:
        return "?"
    return f"{(row.new.center / row.old.center - 1.0) * 100.0:+.2f}%"


def _test_label(test: bm.UTest, p: float) -> str:
    """benchmath ``Comparison.String``."""
    head = f"p={p:.3f} " if p != 0 else ""
    n = f"n={test.n1}" if test.n1 == test.n2 else f"n={test.n1}+{test.n2}"
    return f"({head}{n})"


def _table(comparison: Comparison, labels: Sequence[str]) -> str:
    sides = [i for i in (0, 1) if any((r.old, r.new)[i] for r in comparison.rows)]
    notes: dict[str, int] = {}
    t = Table()

    def warn(*messages: str | None) -> None:
        marks = [_superscript(notes.setdefault(m, len(notes) + 1)) for m in messages if m]
        t.cell(" ".join(marks))

    def start(exp: int) -> int:
        return 1 if exp == 0 else 4 + (exp - 1) * 6

    edge = start(len(sides))
    t.row()
    for exp, side in enumerate(sides):
        t.col(start(exp)).span(start(exp + 1) - start(exp), labels[side], "center", " │ ")
    t.col(edge).cell("", margin=" │")
    t.row()
    for exp in range(len(sides)):
        t.col(start(exp)).span(3, comparison.unit, "center", " │ ")
        if exp > 0:
            t.span(3, "vs base", "left", "  ")
        for j in range(start(exp) + 1, t.cur_col):
            t.set_shrink(j)
    t.col(edge).cell("", margin=" │")

    binary = _is_binary(comparison.unit)
    need_ci = "need {} {} samples for confidence interval at level {}".format(
        *bm.samples_for_ci(), bm.CONFIDENCE
    )
    need_test = "need {} {} samples to detect a difference at alpha level {}".format(
        *bm.samples_for_test(), bm.ALPHA
    )
    for row in comparison.rows:
        t.row().cell(name_cell(row.name))
        cells = (row.old, row.new)
        scale = _scaler((c.center for c in cells if c is not None), binary)
        for exp, side in enumerate(sides):
            summary = cells[side]
            if summary is None:
                continue
            t.col(start(exp)).cell(_fmt(summary.center, scale), "right")
            t.cell(summary.pct_range(), "right", " ± ")
            warn(None if summary.bounded else need_ci)
            if exp > 0 and row.test is not None and (p := row.p) is not None:
                t.cell(_delta(row), "right").cell(_test_label(row.test, p))
                if row.test.p is None:
                    warn("all samples are equal")
                elif p > bm.ALPHA and max(row.test.n1, row.test.n2) < bm.samples_for_test()[1]:
                    warn(need_test)
                else:
                    warn()

    if len(comparison.rows) > 1:
        t.row().cell("geomean")
        for exp, side in enumerate(sides):
            g = comparison.geomean[side]
            if g is not None:
                t.col(start(exp)).cell(_fmt(g, _scaler([g], binary)), "right")
            messages: list[str | None] = []
            if exp > 0:
                t.col(start(exp) + 3)
                ratio = comparison.ratio
                t.cell("?" if ratio is None else f"{(ratio - 1) * 100:+.2f}%", "right")
                if not comparison.same_rows_as_base:
                    messages.append(
                        "benchmark set differs from baseline; geomeans may not be comparable"
                    )
            if g is None:
                messages.append("summaries must be >0 to compute geomean")
            if exp > 0:
                messages.append(comparison.ratio_note)
            t.col(start(exp + 1) - 1)
            warn(*messages)
    text = t.format()
    return text + "".join(f"{_superscript(i)} {m}\n" for m, i in notes.items())


def _superscript(i: int) -> str:
    return "".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[int(d)] for d in str(i))


def render(
    comparisons: Sequence[Comparison],
    old_label: str,
    new_label: str,
    config: Sequence[tuple[str, str]] = (),
) -> str:
    """benchstat's text output: before each table the configuration lines that changed
    (all of them before the first), tables separated by a blank line."""
    keys = [k for k, _ in config]
    if "pkg" not in keys and any(c.pkg for c in comparisons):
        keys.append("pkg")
    out: list[str] = []
    previous: dict[str, str] | None = None
    for i, comparison in enumerate(comparisons):
        if i > 0:
            out.append("\n")
        values = dict(config) | {"pkg": comparison.pkg}
        for key in keys:
            if previous is None or values.get(key) != previous.get(key):
                out.append(f"{key}: {values.get(key, '')}\n")
        previous = values
        out.append(_table(comparison, (old_label, new_label)))
    return "".join(out)


def name_cell(full_name: str) -> str:
    """benchstat drops the ``Benchmark`` prefix in its tables."""
    return full_name.removeprefix("Benchmark") or full_name
