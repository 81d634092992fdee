"""benchstat's output: the text tables and CSV of ``benchtab.Tables``.

Text: before each table, the table-key values that changed since the previous table
(``goos: linux``...), then the header rows (one per column-key field, merged over runs of
equal values), the unit row with ``vs base``, a row per benchmark (one SI or IEC scale per
row, ``± x%``, footnote marks), the ``geomean`` row when there is more than one row, and the
numbered footnotes. CSV: the same cells with unscaled numbers (Go's ``%v``), and the
warnings on the second stream as ``A1``-style cell references.
"""

from __future__ import annotations

from ._benchproc import key_header
from ._benchunit import common_scale, go_float, is_binary, scale
from ._compare import Table, Tables
from ._texttab import Table as TextTable

__all__ = ["to_csv", "to_text"]


def _print_tables(tables: Tables, hdr: list[tuple[int, str]]) -> None:
    """benchtab ``printTables``: (table index, header line) pairs, blank lines included."""
    if not tables.tables:
        return
    fields = tables.keys[0].proj.flattened_fields()
    prev = None
    for i, key in enumerate(tables.keys):
        if i > 0:
            hdr.append((i, ""))
        for f in fields:
            if f.name == ".unit":
                continue
            val = key.get(f)
            if prev is None or val != prev.get(f):
                hdr.append((i, f"{f.name}: {val}"))
        prev = key


def to_text(tables: Tables) -> str:
    """``Tables.ToText`` without colour."""
    lines: list[tuple[int, str]] = []
    _print_tables(tables, lines)
    out: list[str] = []
    for i, table in enumerate(tables.tables):
        out.extend(line + "\n" for j, line in lines if j == i)
        out.append(_table_text(table))
    return "".join(out)


def _superscript(i: int) -> str:
    return "".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[int(d)] for d in str(i))


def _start(exp: int) -> int:
    """The first of a logical column's text columns: a label column, 3 for the first
    (centre, ``± CI``, notes) and 6 for the others (plus delta, ``(p=... n=...)``, notes)."""
    return 1 if exp == 0 else 1 + 3 + (exp - 1) * 6


def _table_text(t: Table) -> str:
    o = TextTable()
    notes: dict[str, int] = {}

    def warn(*groups: tuple[str, ...] | list[str]) -> None:
        marks = [_superscript(notes.setdefault(m, len(notes) + 1)) for g in groups for m in g]
        o.cell(" ".join(marks))

    edge = _start(len(t.cols) + 1)
    nodes = key_header(t.cols)
    while nodes:
        o.row()
        following = []
        for node in nodes:
            left, right = _start(node.start), _start(node.start + node.len)
            o.col(left).span(right - left, node.value, "center", " │ ")
            following.extend(node.children)
        o.col(edge).cell("", margin=" │")
        nodes = following
    o.row()
    for i in range(len(t.cols)):
        left = _start(i)
        o.col(left).span(3, t.unit, "center", " │ ")
        if i > 0:
            o.span(3, "vs base", "left", "  ")
        for j in range(left + 1, o.cur_col):
            o.set_shrink(j)
    o.col(edge).cell("", margin=" │")

    binary = is_binary(t.unit)
    for row in t.rows:
        o.row().cell(row.string_values())
        scaler = common_scale(t.row_centers(row), binary)
        for exp, col in enumerate(t.cols):
            cell = t.cell(row, col)
            if cell is None or cell.summary is None:
                continue
            o.col(_start(exp)).cell(scaler.format(cell.summary.center), "right")
            o.cell(cell.summary.pct_range(), "right", " ± ")
            warn(cell.sample_warnings, cell.summary.warnings)
            if exp > 0 and cell.baseline is not None and cell.comparison is not None:
                base = cell.baseline.summary
                assert base is not None
                o.cell(cell.comparison.format_delta(base.center, cell.summary.center), "right")
                o.cell(f"({cell.comparison})")
                warn(cell.comparison.warnings)
    if len(t.rows) > 1:
        o.row().cell("geomean")
        for exp, col in enumerate(t.cols):
            s = t.summaries.get(col)
            if s is None:
                continue
            if s.summary is not None:
                o.col(_start(exp)).cell(scale(s.summary, binary), "right")
            if exp > 0:
                o.col(_start(exp) + 3)
                if s.ratio is not None:
                    o.cell(f"{(s.ratio - 1) * 100:+.2f}%", "right")
                else:
                    o.cell("?")
            o.col(_start(exp + 1) - 1)
            warn(s.warnings)
    text = o.format()
    return text + "".join(f"{_superscript(i)} {m}\n" for m, i in notes.items())


# -- CSV ---------------------------------------------------------------------------------------


def _csv_field(s: str) -> str:
    """Go's ``encoding/csv``: quoted when it holds a comma, a quote, CR or LF, or starts
    with white space (and ``\\.``, as Go quotes it)."""
    if s == "":
        return s
    if s == "\\." or any(c in s for c in ',"\r\n') or s[0].isspace():
        return '"' + s.replace('"', '""') + '"'
    return s


def to_csv(tables: Tables) -> tuple[str, str]:
    """``Tables.ToCSV``: the CSV text and the warnings text (``B6: ...`` lines)."""
    rows: list[list[str]] = []
    warnings: list[str] = []
    lines: list[tuple[int, str]] = []
    _print_tables(tables, lines)
    for i, table in enumerate(tables.tables):
        rows.extend([line] for j, line in lines if j == i)
        _table_csv(table, rows, warnings)
    csv = "".join(",".join(map(_csv_field, r)) + "\n" for r in rows)
    return csv, "".join(warnings)


def _col_name(x: int) -> str:
    """benchtab's spreadsheet column label (as Go computes it: ``A``, ``B``, ... ``BA``)."""
    name = ""
    while x > 0:
        name = chr(ord("A") + x % 26) + name
        x //= 26
    return name or "A"


def _table_csv(t: Table, rows: list[list[str]], warnings: list[str]) -> None:
    def start(exp: int) -> int:
        return 1 if exp == 0 else 1 + 2 + (exp - 1) * 4

    row: list[str] = []

    def clear_to(col: int) -> None:
        row.extend([""] * (col - len(row)))

    def emit() -> None:
        rows.append(list(row))
        row.clear()

    def warn(msgs: tuple[str, ...] | list[str]) -> None:
        label = _col_name(len(row))
        warnings.extend(f"{label}{len(rows) + 1}: {m}\n" for m in msgs)

    for f in t.cols[0].proj.flattened_fields():
        for exp, key in enumerate(t.cols):
            clear_to(start(exp))
            row.append(key.get(f))
        clear_to(start(len(t.cols)))
        emit()
    for exp in range(len(t.cols)):
        clear_to(start(exp))
        row.extend([t.unit, "CI"])
        if exp > 0:
            row.extend(["vs base", "P"])
    emit()
    for rkey in t.rows:
        row.append(rkey.string_values())
        for exp, ckey in enumerate(t.cols):
            cell = t.cell(rkey, ckey)
            if cell is None or cell.summary is None:
                continue
            clear_to(start(exp))
            warn(cell.sample_warnings)
            warn(cell.summary.warnings)
            row.extend([go_float(cell.summary.center), cell.summary.pct_range()])
            if exp > 0 and cell.baseline is not None and cell.comparison is not None:
                warn(cell.comparison.warnings)
                base = cell.baseline.summary
                assert base is not None
                delta = cell.comparison.format_delta(base.center, cell.summary.center)
                row.extend([delta, str(cell.comparison)])
        emit()
    row.append("geomean")
    for exp, ckey in enumerate(t.cols):
        s = t.summaries.get(ckey)
        if s is None:
            continue
        clear_to(start(exp))
        warn(s.warnings)
        if s.summary is not None:
            row.append(go_float(s.summary))
        if exp > 0:
            clear_to(start(exp) + 2)
            row.append("?" if s.ratio is None else f"{(s.ratio - 1) * 100:+.2f}%")
    clear_to(start(len(t.cols)))
    emit()
