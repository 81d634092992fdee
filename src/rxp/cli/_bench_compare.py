"""``rxp bench compare [flags] [label=]FILE...``: benchstat v2 on the command line.

The I/O edge of ``_bench._compare``: reads each input (``-`` is stdin; ``label=path`` names
its column), warns about the lines benchstat would skip (``file:line: message`` on stderr),
drops what ``-filter`` rejects, and prints the tables as text or CSV (CSV's warnings on
stderr as benchstat prints them). Errors in the flags or the inputs are one
``rxp: error: ...`` (benchstat itself prints ``benchstat: ...`` and exits 0).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .._errors import PatternError, RxpError, os_reason

if TYPE_CHECKING:
    from .._bench._compare import Options
    from .._bench._gofmt import ParsedResult, SyntaxIssue

__all__ = ["CompareFlags", "inputs", "run_compare"]


@dataclass(frozen=True, slots=True)
class CompareFlags:
    table: str = ".config"
    row: str = ".fullname"
    col: str = ".file"
    ignore: str = ""
    filter: str = "*"
    confidence: float = 0.95
    alpha: float = 0.05
    format: str = "text"


@dataclass(frozen=True, slots=True)
class Input:
    """One argument: where to read and the ``.file`` value (benchfmt ``Files``)."""

    path: str
    label: str


def inputs(args: Sequence[str]) -> list[Input]:
    """benchfmt ``Files``: ``label=path`` or ``path``; a path given twice without a label
    becomes ``path#0``, ``path#1``, ... so the columns stay apart."""
    parsed: list[tuple[str, str, bool]] = []
    count: dict[str, int] = {}
    for arg in args:
        label, eq, path = arg.partition("=")
        if eq:
            parsed.append((path, label, True))
        else:
            parsed.append((arg, arg, False))
            count[arg] = count.get(arg, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for path, label, labelled in parsed:
        if not labelled and count[path] > 1:
            label = f"{path}#{seen.get(path, 0)}"
            seen[path] = seen.get(path, 0) + 1
        out.append(Input(path, label))
    return out


def _options(flags: CompareFlags) -> Options:
    from .._bench._benchparse import ExprSyntaxError
    from .._bench._compare import parse_options

    try:
        return parse_options(flags.table, flags.row, flags.col, flags.ignore, flags.filter)
    except ExprSyntaxError as exc:
        message = f"parsing {exc.flag}: syntax error: {exc.msg}"
        raise PatternError(message, pattern=exc.query, span=(exc.off, exc.off + 1)) from None


def run_compare(args: Sequence[str], flags: CompareFlags, out: IO[str], err: IO[str]) -> None:
    """Read ``args`` and write the comparison; raises ``RxpError`` for bad flags or input."""
    from .._bench import _benchtab
    from .._bench._benchproc import BResult
    from .._bench._compare import build, to_bresult
    from .._bench._discover import path_text
    from .._bench._gofmt import ParsedResult

    if not 0 <= flags.alpha <= 1:
        raise RxpError("-alpha must be in range [0, 1]")
    if not 0 <= flags.confidence <= 1:
        raise RxpError("-confidence must be in range [0, 1]")
    if flags.format not in ("text", "csv"):
        raise RxpError("-format must be text or csv")
    options = _options(flags)
    units: dict[tuple[str, str], str] = {}
    kept: list[BResult] = []
    for given in inputs(args):
        read = _read(given.path, units)
        for record in read:
            if not isinstance(record, ParsedResult):
                err.write(f"{path_text(Path(given.path))}:{record.line}: {record.message}\n")
                continue
            result = options.filter.apply(to_bresult(record, given.label))
            if result is not None:
                kept.append(result)
    tables = build(kept, options, units, confidence=flags.confidence, alpha=flags.alpha)
    if flags.format == "csv":
        text, warnings = _benchtab.to_csv(tables)
        out.write(text)
        err.write(warnings)
    else:
        out.write(_benchtab.to_text(tables))


def _read(path: str, units: dict[tuple[str, str], str]) -> list[ParsedResult | SyntaxIssue]:
    """The results and syntax issues of one input in line order, or one ``rxp: error:``
    (unreadable, a fatal line, or no usable result at all)."""
    from .._bench._discover import path_text
    from .._bench._gofmt import read_results

    name = path_text(Path(path))
    try:
        if path == "-":
            read = read_results(sys.stdin.buffer, units)
        else:
            with open(path, "rb") as f:
                read = read_results(f, units)
    except OSError as exc:
        raise RxpError(f"{name}: {os_reason(exc, lower=True)}") from None
    if read.error is not None:
        raise RxpError(f"{name}:{read.error.line}: {read.error.message}")
    if not read.results:
        if not read.issues:
            raise RxpError(f"{name}: no benchmark results")
        first, more = read.issues[0], len(read.issues) - 1
        others = f" ({more} more bad line{'s' if more > 1 else ''})" if more else ""
        raise RxpError(f"{name}:{first.line}: {first.message}; no benchmark results{others}")
    records: list[ParsedResult | SyntaxIssue] = [*read.results, *read.issues]
    return sorted(records, key=lambda r: r.line)
