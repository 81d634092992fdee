"""The Go benchmark data format: writing result and configuration lines, and reading them.

Spec: https://go.googlesource.com/proposal/+/master/design/14313-benchmark-format.md, with
the reading rules of ``golang.org/x/perf/benchfmt`` (``reader.go``):

- a *configuration line* is ``key: value``; the key starts with a lowercase letter and has no
  space and no uppercase letter; one or more spaces or tabs follow the colon; an empty value
  deletes the key; a key's value holds for every result after it, until changed;
- a *result line* starts with ``Benchmark``; its fields are separated by runs of white space
  (Go's ``unicode.IsSpace``): the name (``Benchmark`` + rest, where a trailing ``-N`` is
  GOMAXPROCS), the iteration count (``strconv.Atoi``), then one or more ``value unit`` pairs
  (value as ``strconv.ParseFloat`` reads it);
- a ``Unit`` line carries unit metadata; every other line is ignored;
- a result line that breaks these rules is a *syntax error* of that line, which is skipped:
  not fatal. Lines that are not UTF-8 or longer than 64 KiB end the reading (fatal).

One rule is rxp's own: a value that is not a finite number (``NaN``, ``Inf``, or one that
overflows once its unit is tidied) is a syntax error of its line. benchfmt reads them, and
no statistic means anything with them (NaN is not even equal to itself, so it has no rank).

Writing follows ``go test``'s own layout (``%8d`` iterations, Go's ``prettyPrint`` of
values), so ``benchstat`` reads it and people can align the columns by eye.
"""

from __future__ import annotations

import io
import math
import os
import platform
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from ._benchunit import tidy_unit

__all__ = [
    "MAX_LINE",
    "ParsedResult",
    "Result",
    "ResultsFile",
    "SyntaxIssue",
    "format_result",
    "machine_config",
    "parse",
    "pretty_value",
    "read_results",
    "system_config",
    "tidy_unit",
]


@dataclass(frozen=True, slots=True)
class Result:
    """One measured run of one benchmark.

    ``name`` is the full name including the ``-N`` suffix; ``ns`` the total timed nanoseconds
    over ``n`` iterations; ``bytes`` the bytes per iteration (``set_bytes``); ``extra`` the
    metrics from ``report_metric``; ``memory`` the ``(bytes, allocs)`` per op of ``--benchmem``.
    """

    name: str
    pkg: str
    n: int
    ns: int
    bytes: int = 0
    extra: tuple[tuple[str, float], ...] = ()
    memory: tuple[int, int] | None = None

    @property
    def ns_per_op(self) -> float:
        extra = dict(self.extra)
        if "ns/op" in extra:
            return extra["ns/op"]
        return self.ns / self.n if self.n > 0 else 0.0

    @property
    def mb_per_s(self) -> float:
        extra = dict(self.extra)
        if "MB/s" in extra:
            return extra["MB/s"]
        if self.bytes <= 0 or self.ns <= 0 or self.n <= 0:
            return 0.0
        return (self.bytes * self.n / 1e6) / (self.ns / 1e9)

    def metrics(self) -> list[tuple[float, str]]:
        """The ``(value, unit)`` pairs of the line, in Go's order."""
        out: list[tuple[float, str]] = []
        if self.ns_per_op != 0:
            out.append((self.ns_per_op, "ns/op"))
        if self.mb_per_s != 0:
            out.append((self.mb_per_s, "MB/s"))
        builtin = {"ns/op", "MB/s", "B/op", "allocs/op"}
        out.extend((value, unit) for unit, value in sorted(self.extra) if unit not in builtin)
        if self.memory is not None:
            extra = dict(self.extra)
            out.append((extra.get("B/op", float(self.memory[0])), "B/op"))
            out.append((extra.get("allocs/op", float(self.memory[1])), "allocs/op"))
        return out


def pretty_value(x: float, unit: str) -> str:
    """Go's ``prettyPrint``: ten places before the point, four significant figures for
    small numbers, decimal points aligned."""
    y = abs(x)
    for limit, width, places in (
        (999.95, 10, 0),
        (99.995, 12, 1),
        (9.9995, 13, 2),
        (0.99995, 14, 3),
        (0.099995, 15, 4),
        (0.0099995, 16, 5),
        (0.00099995, 17, 6),
    ):
        if (y == 0 and places == 0) or y >= limit:
            return f"{x:{width}.{places}f} {unit}"
    return f"{x:18.7f} {unit}"


def format_result(result: Result, *, width: int = 0) -> str:
    """The result line, as ``go test -bench`` prints it (name padded to ``width``)."""
    parts = [f"{result.name:<{width}}", f"{result.n:8d}"]
    for value, unit in result.metrics():
        if unit == "MB/s":
            parts.append(f"{value:7.2f} MB/s")
        elif unit in ("B/op", "allocs/op"):
            parts.append(f"{int(value):8d} {unit}")
        else:
            parts.append(pretty_value(value, unit))
    return "\t".join(parts)


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Processor", "cpu model"):
                    return value.strip()
    except OSError:
        pass
    return platform.processor().strip()


_GOARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}
_GOARCH |= {"i386": "386", "i686": "386", "x86": "386", "armv7l": "arm", "ppc64le": "ppc64le"}
_GOOS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "cygwin": "windows"}


def system_config() -> list[tuple[str, str]]:
    """The configuration lines that describe this machine and interpreter, Go's keys first.
    Nothing that changes from run to run (date, commit, load) goes here, so two runs on one
    machine have identical configuration and ``benchstat`` compares them directly."""
    return machine_config(
        _GOOS.get(sys.platform, sys.platform.rstrip("0123456789")),
        platform.machine().lower(),
        _cpu_name(),
        f"{platform.python_implementation()} {platform.python_version()}",
    )


def machine_config(goos: str, machine: str, cpu: str, python: str) -> list[tuple[str, str]]:
    """A machine's configuration lines as rxp spells them (``goarch`` in Go's names, no
    ``cpu`` line when its name is unknown): this machine's, or one a pytest-benchmark file
    describes."""
    config = [("goos", goos), ("goarch", _GOARCH.get(machine, machine))]
    if cpu:
        config.append(("cpu", cpu))
    config.append(("python", python))
    return config


def default_cpu() -> int:
    """The default ``--cpu``: the CPUs this process may run on (Go's default GOMAXPROCS)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedResult:
    """A result line as read back: ``name`` without the ``Benchmark`` prefix as benchfmt
    keeps it, plus the configuration in force at that line. Every value is a finite number,
    and stays finite once its unit is tidied (``ns/op`` -> ``sec/op``, ``MB/s`` -> ``B/s``)."""

    name: str
    iters: int
    values: tuple[tuple[float, str], ...]
    config: tuple[tuple[str, str], ...] = field(default=())
    line: int = 0

    @property
    def full_name(self) -> str:
        return "Benchmark" + self.name


@dataclass(frozen=True, slots=True)
class SyntaxIssue:
    """A line the reader cannot use, at 1-based ``line``. benchfmt's syntax errors are not
    fatal (the line is skipped and reading goes on); a ``fatal`` issue (bytes that are not
    UTF-8) ends the reading, as an I/O error ends benchfmt's."""

    line: int
    message: str
    fatal: bool = False


@dataclass(frozen=True, slots=True)
class ResultsFile:
    """What ``read_results`` makes of a file: the results, the lines it skipped, and the
    fatal issue that stopped it, if one did (the results before it are kept)."""

    results: tuple[ParsedResult, ...]
    issues: tuple[SyntaxIssue, ...]
    error: SyntaxIssue | None = None


# Go's unicode.IsSpace, which benchfmt's splitField uses: Python's str.split() also splits at
# the ASCII separators \x1c-\x1f, which Go keeps inside a field.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACES = re.compile(f"[{_GO_SPACE}]+")
_FIELD = re.compile(f"[^{_GO_SPACE}]*")

# strconv.ParseFloat's syntax (Go's float literals, ASCII digits, ``_`` between digits) and
# strconv.Atoi's (an optional sign and decimal digits, no ``_``).
_DIGITS = r"[0-9](?:_?[0-9])*"
_HEX = r"[0-9a-fA-F](?:_?[0-9a-fA-F])*"
_DECIMAL = re.compile(
    rf"[+-]?(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][+-]?{_DIGITS})?"
)
_HEXFLOAT = re.compile(rf"[+-]?0[xX](?:_?{_HEX}(?:\.(?:{_HEX})?)?|\.{_HEX})[pP][+-]?{_DIGITS}")
_SPECIAL = re.compile(r"[+-]?(?:inf|infinity)|nan", re.IGNORECASE)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_INT64 = 1 << 63


class _BadNumber(ValueError):
    """Why a field is not a number benchfmt accepts (``invalid syntax``, ``value out of
    range``), or one rxp refuses (``not a finite number``)."""


def _number(text: str) -> float:
    """A measurement as benchfmt's ``atof`` reads it, refused unless finite: NaN and the
    infinities have no median, no rank and no ratio (benchstat reads them and prints noise)."""
    if _SPECIAL.fullmatch(text):
        raise _BadNumber("not a finite number")
    try:
        if _DECIMAL.fullmatch(text):
            value = float(text.replace("_", ""))
        elif _HEXFLOAT.fullmatch(text):
            value = float.fromhex(text.replace("_", ""))
        else:
            raise _BadNumber("invalid syntax")
    except OverflowError:
        raise _BadNumber("value out of range") from None
    if not math.isfinite(value):
        raise _BadNumber("value out of range")
    return value


def _iterations(text: str) -> int:
    """The iteration count as Go's ``strconv.Atoi`` reads it (64-bit)."""
    if not _INTEGER.fullmatch(text):
        raise _BadNumber("invalid syntax")
    value = int(text)
    if not -_INT64 <= value < _INT64:
        raise _BadNumber("value out of range")
    return value


def _key_value(line: str) -> tuple[str, str] | None:
    if not line or not line[0].islower():
        return None
    key, colon, value = line.partition(":")
    if not colon or not key or _SPACES.search(key) or any(ch.isupper() for ch in key):
        return None
    if value and value[0] not in " \t":
        return None
    return key, value.lstrip(" \t")


def parse(
    lines: Iterable[str], units: dict[tuple[str, str], str] | None = None
) -> Iterator[ParsedResult | SyntaxIssue]:
    """Read the Go benchmark format from lines (without their ends); yields results and,
    for malformed result and unit lines, ``SyntaxIssue`` records (benchfmt treats those as
    non-fatal, and so do we). ``units`` collects the unit metadata, ``(tidied unit, key) ->
    value``; pass the same dict for every file, as benchfmt keeps it across files."""
    config: list[tuple[str, str]] = []  # benchfmt's order: a deleted key swaps with the last
    metadata: dict[tuple[str, str], str] = {} if units is None else units
    for number, raw in enumerate(lines, 1):
        line = raw.removesuffix("\n").removesuffix("\r")
        if line.startswith("Benchmark"):
            if _FIELD.fullmatch(line):  # a name alone: ``go test -v`` announcing it, skipped
                continue
            yield _result_line(line[len("Benchmark") :], number, config)
            continue
        fields = _SPACES.split(line)
        if fields[0] == "Unit":
            yield from _unit_line([f for f in fields[1:] if f], number, metadata)
            continue
        pair = _key_value(line)
        if pair is not None:
            _set_config(config, *pair)


def _set_config(config: list[tuple[str, str]], key: str, value: str) -> None:
    """benchfmt's ``ensureConfig`` / ``deleteConfig``: a new key goes last, a deleted key's
    place is taken by the last one (the order benchstat's ``.config`` columns follow)."""
    pos = next((i for i, (k, _) in enumerate(config) if k == key), None)
    if value and pos is None:
        config.append((key, value))
    elif value and pos is not None:
        config[pos] = (key, value)
    elif pos is not None:
        config[pos] = config[-1]
        config.pop()


MAX_LINE = 64 * 1024
"""The longest line read, its newline included: benchstat's (``bufio.Scanner``'s) limit, so
a file rxp reads benchstat reads too, and a stream with no newline (``/dev/zero``) ends."""


def read_results(
    source: bytes | IO[bytes], units: dict[tuple[str, str], str] | None = None
) -> ResultsFile:
    """Read a whole results file as benchfmt's ``Reader`` does: lines end at ``\n`` (one
    ``\r`` before it is dropped, as ``bufio.ScanLines`` does); a line that is not UTF-8
    (benchfmt: "only utf-8 encoded files are supported") or longer than ``MAX_LINE``
    (``bufio.Scanner: token too long``) stops the reading with a fatal issue, so random
    bytes end it at once. ``source`` is read lazily, a line at a time."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    error: SyntaxIssue | None = None

    def lines() -> Iterator[str]:
        nonlocal error
        number = 0
        while piece := stream.readline(MAX_LINE + 1):
            number += 1
            if len(piece) > MAX_LINE:
                error = SyntaxIssue(number, f"line longer than {MAX_LINE} bytes", fatal=True)
                return
            try:
                yield piece.removesuffix(b"\n").removesuffix(b"\r").decode("utf-8")
            except UnicodeDecodeError as exc:
                message = f"not valid UTF-8 (byte {exc.start + 1} of the line)"
                error = SyntaxIssue(number, message, fatal=True)
                return

    results: list[ParsedResult] = []
    issues: list[SyntaxIssue] = []
    for record in parse(lines(), units):
        if isinstance(record, ParsedResult):
            results.append(record)
        else:
            issues.append(record)
    return ResultsFile(tuple(results), tuple(issues), error)


def _unit_line(
    fields: list[str], number: int, units: dict[tuple[str, str], str]
) -> Iterator[SyntaxIssue]:
    """benchfmt's ``Unit UNIT key=value ...``: metadata by tidied unit (``assume=exact``
    is what benchstat uses); a key set twice to different values is an error of the line."""
    if not fields:
        yield SyntaxIssue(number, "missing unit")
        return
    unit = fields[0]
    tidied = tidy_unit(unit)[0]
    for pair in fields[1:]:
        eq = pair.find("=")
        if eq <= 0:
            yield SyntaxIssue(number, "expected key=value")
            continue
        key, value = pair[:eq], pair[eq + 1 :]
        have = units.setdefault((tidied, key), value)
        if have != value:
            yield SyntaxIssue(number, f"metadata {key} of unit {unit} already set to {have}")


def _result_line(
    rest: str, number: int, config: list[tuple[str, str]]
) -> ParsedResult | SyntaxIssue:
    """The part of a result line after ``Benchmark``: benchfmt's ``parseBenchmarkLine``.
    The name is what precedes the first white space (possibly nothing)."""
    name_match = _FIELD.match(rest)
    assert name_match is not None  # ``[^...]*`` matches everywhere
    name = name_match.group()
    fields = [f for f in _SPACES.split(rest[name_match.end() :]) if f]
    if not fields:
        return SyntaxIssue(number, "missing iteration count")
    try:
        iters = _iterations(fields[0])
    except _BadNumber as exc:
        return SyntaxIssue(number, f"parsing iteration count: {exc} {fields[0]!r}")
    rest_fields = fields[1:]
    if not rest_fields:
        return SyntaxIssue(number, "missing measurements")
    values = []
    for i in range(0, len(rest_fields), 2):
        text = rest_fields[i]
        try:
            value = _number(text)
        except _BadNumber as exc:
            return SyntaxIssue(number, f"parsing measurement: {exc} {text!r}")
        if i + 1 >= len(rest_fields):
            return SyntaxIssue(number, "missing units")
        unit = rest_fields[i + 1]
        tidied, factor = tidy_unit(unit)
        if not math.isfinite(value * factor):
            message = f"parsing measurement: value out of range {text!r} (in {tidied})"
            return SyntaxIssue(number, message)
        values.append((value, unit))
    return ParsedResult(name, iters, tuple(values), tuple(config), number)
