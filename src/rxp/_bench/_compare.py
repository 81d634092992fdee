"""``rxp bench compare``: benchstat v2's tables (``cmd/benchstat/internal/benchtab``).

The results of every input are projected three ways: into a table (``-table``, by default
``.config``, every file configuration key, then the unit), a row (``-row``, by default
``.fullname``) and a column (``-col``, by default ``.file``). Inputs whose configuration
differs land in different tables, never in one cell. Each cell holds the values of one unit;
it is summarised by its median and confidence interval (or, for ``assume=exact`` units, its
mode and range), and every cell after the first column is compared with the first column of
its row (Mann-Whitney U test; ``~`` unless p <= alpha). The last row is the geomean of each
column, and of each column's ratios to the first one. A cell mixing results that differ in
some key no projection keeps (the *residue*) gets a "benchmarks vary in ..." warning.

:func:`build` does the grouping and the statistics; ``_benchtab`` prints text and CSV.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import _assume
from . import _benchmath as bm
from ._benchparse import ExprSyntaxError
from ._benchproc import (
    BResult,
    Filter,
    Key,
    Projection,
    ProjectionParser,
    Value,
    non_singular_fields,
    sort_keys,
)
from ._benchunit import tidy, tidy_unit
from ._gofmt import ParsedResult

__all__ = [
    "Cell",
    "ColumnSummary",
    "Options",
    "Table",
    "Tables",
    "build",
    "parse_options",
    "to_bresult",
]


@dataclass(frozen=True, slots=True)
class Options:
    """The parsed flags: projections (sharing one parser), the filter, the residue."""

    table: Projection
    row: Projection
    col: Projection
    residue: Projection
    filter: Filter


def parse_options(
    table: str = ".config", row: str = ".fullname", col: str = ".file", ignore: str = "",
    filter: str = "*",
) -> Options:  # fmt: skip
    """Parse benchstat's ``-table``, ``-row``, ``-col``, ``-ignore`` and ``-filter``; raises
    ``ExprSyntaxError`` with ``flag`` set to the flag whose expression is wrong."""
    try:
        flt = Filter(filter)
    except ExprSyntaxError as exc:
        exc.flag = "-filter"
        raise
    parser = ProjectionParser()
    projections = []
    for flag, query in (("-table", table), ("-row", row), ("-col", col), ("-ignore", ignore)):
        try:
            if flag == "-table":
                projections.append(parser.parse_with_unit(query, flt))
            else:
                projections.append(parser.parse(query, flt))
        except ExprSyntaxError as exc:
            exc.flag = flag
            raise
    return Options(projections[0], projections[1], projections[2], parser.residue(), flt)


def to_bresult(parsed: ParsedResult, label: str) -> BResult:
    """A result as benchproc sees it: values tidied (the unit kept as written when tidying
    leaves the value unchanged, as benchfmt does, so ``0 ns/op`` stays ``ns/op``), and
    ``.file`` first among the configuration, as benchfmt's ``Files`` sets it."""
    values = []
    for raw, unit in parsed.values:
        value, tidied = tidy(raw, unit)
        values.append(Value(raw, unit) if value == raw else Value(value, tidied, unit))
    config = ((".file", label, False), *((k, v, True) for k, v in parsed.config))
    return BResult(parsed.name, config, tuple(values))


@dataclass(slots=True)
class Cell:
    """The values of one (row, column) and what is said of them."""

    values: list[float]
    residues: dict[Key, None] = field(default_factory=dict)
    summary: bm.Summary | None = None
    sample_warnings: tuple[str, ...] = ()
    baseline: Cell | None = None
    comparison: _assume.Comparison | None = None


@dataclass(slots=True)
class ColumnSummary:
    """The geomean row's cell for one column: the geomean of its centres and of its
    ratios to the first column, each None when it cannot be computed."""

    summary: float | None = None
    ratio: float | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    """One table: a unit, its sorted rows and columns, the cells that exist."""

    unit: str
    exact: bool
    rows: list[Key]
    cols: list[Key]
    cells: dict[tuple[Key, Key], Cell]
    summaries: dict[Key, ColumnSummary] = field(default_factory=dict)

    def row_centers(self, row: Key) -> list[float]:
        return [c.summary.center for col in self.cols if (c := self.cell(row, col)) and c.summary]

    def cell(self, row: Key, col: Key) -> Cell | None:
        return self.cells.get((row, col))


@dataclass(frozen=True, slots=True)
class Tables:
    """The tables in order, each with its table key (which ends with ``.unit``)."""

    tables: list[Table]
    keys: list[Key]


def build(
    results: Iterable[BResult],
    options: Options,
    units: Mapping[tuple[str, str], str] | None = None,
    *,
    confidence: float = bm.CONFIDENCE,
    alpha: float = bm.ALPHA,
) -> Tables:
    """benchtab's ``Builder``: every (already filtered) result into its tables' cells,
    then the statistics. ``units`` is the unit metadata, ``(tidied unit, key) -> value``."""
    raw: dict[Key, dict[tuple[Key, Key], Cell]] = {}
    seen: dict[Key, tuple[dict[Key, None], dict[Key, None]]] = {}
    for r in results:
        table_keys = options.table.project_values(r)
        row, col = options.row.project(r), options.col.project(r)
        residue = options.residue.project(r)
        for value, tkey in zip(r.values, table_keys, strict=True):
            cells = raw.setdefault(tkey, {})
            rows, cols = seen.setdefault(tkey, ({}, {}))
            cell = cells.get((row, col))
            if cell is None:
                cell = cells[(row, col)] = Cell([])
                rows.setdefault(row)
                cols.setdefault(col)
            cell.values.append(value.value)
            cell.residues.setdefault(residue)
    unit_field = options.table.unit_field
    assert unit_field is not None
    meta = units or {}
    tables = []
    keys = sort_keys(list(raw))
    for tkey in keys:
        unit = tkey.get(unit_field)
        exact = meta.get((tidy_unit(unit)[0], "assume")) == "exact"
        rows, cols = seen[tkey]
        table = Table(unit, exact, sort_keys(list(rows)), sort_keys(list(cols)), raw[tkey])
        _summarize_cells(table, confidence, alpha)
        _summarize_columns(table)
        tables.append(table)
    return Tables(tables, keys)


def _summarize_cells(table: Table, confidence: float, alpha: float) -> None:
    base = table.cols[0]
    for cell in table.cells.values():
        cell.summary = _assume.summarize_cell(cell.values, table.exact, confidence)
    for (row, col), cell in table.cells.items():
        if col != base:
            cell.baseline = table.cell(row, base)
        if cell.baseline is not None:
            cell.comparison = _assume.compare_samples(
                cell.baseline.values, cell.values, table.exact, alpha
            )
        varying = non_singular_fields(sort_keys(list(cell.residues)))
        if varying:
            cell.sample_warnings = ("benchmarks vary in " + ", ".join(f.name for f in varying),)


def _summarize_columns(table: Table) -> None:
    """benchtab ``summarizeCol``: the geomean of the ratios (not the ratio of geomeans), a
    warning when a column's benchmarks are not the first column's."""
    base = table.cols[0]
    n_base = sum(1 for row in table.rows if table.cell(row, base))
    for i, col in enumerate(table.cols):
        s = table.summaries[col] = ColumnSummary()
        centers, ratios, bad_ratio = [], [], False
        for row in table.rows:
            cell = table.cell(row, col)
            if cell is None or cell.summary is None:
                continue
            centers.append(cell.summary.center)
            if cell.baseline is not None and cell.baseline.summary is not None:
                a, b = cell.summary.center, cell.baseline.summary.center
                if a == b:
                    ratios.append(1.0)
                elif b == 0:
                    bad_ratio = True
                    ratios.append(0.0)
                else:
                    ratios.append(a / b)
        if i > 0 and n_base != len(ratios):
            s.warnings.append("benchmark set differs from baseline; geomeans may not be comparable")
        gm = bm.geomean(centers)
        if math.isnan(gm):
            s.warnings.append("summaries must be >0 to compute geomean")
        else:
            s.summary = gm
        if i > 0 and not bad_ratio:
            gm = bm.geomean(ratios)
            if math.isnan(gm):
                s.warnings.append("ratios must be >0 to compute geomean")
            else:
                s.ratio = gm
