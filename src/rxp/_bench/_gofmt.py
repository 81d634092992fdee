"""The Go benchmark data format: writing result and configuration lines, and reading them.

Spec: https://go.googlesource.com/proposal/+/master/design/14313-benchmark-format.md, with
the reading rules of ``golang.org/x/perf/benchfmt`` (``reader.go``):

- a *configuration line* is ``key: value``; the key starts with a lowercase letter and has no
  space and no uppercase letter; one or more spaces or tabs follow the colon; an empty value
  deletes the key; a key's value holds for every result after it, until changed;
- a *result line* starts with ``Benchmark``; its fields are separated by runs of white space:
  the name (``Benchmark`` + rest, where a trailing ``-N`` is GOMAXPROCS), the iteration count
  (an integer), then one or more ``value unit`` pairs (value a float);
- a ``Unit`` line carries unit metadata; every other line is ignored.

Writing follows ``go test``'s own layout (``%8d`` iterations, Go's ``prettyPrint`` of
values), so ``benchstat`` reads it and people can align the columns by eye.
"""

from __future__ import annotations

import math
import os
import platform
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = [
    "ParsedResult",
    "Result",
    "SyntaxIssue",
    "format_result",
    "parse",
    "pretty_value",
    "system_config",
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
    goos = _GOOS.get(sys.platform, sys.platform.rstrip("0123456789"))
    machine = platform.machine().lower()
    config = [("goos", goos), ("goarch", _GOARCH.get(machine, machine))]
    cpu = _cpu_name()
    if cpu:
        config.append(("cpu", cpu))
    config.append(("python", f"{platform.python_implementation()} {platform.python_version()}"))
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
    keeps it, plus the configuration in force at that line."""

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
    line: int
    message: str


def _key_value(line: str) -> tuple[str, str] | None:
    if not line or not line[0].islower():
        return None
    key, colon, value = line.partition(":")
    if not colon or not key or any(ch.isspace() or ch.isupper() for ch in key):
        return None
    if value and value[0] not in " \t":
        return None
    return key, value.lstrip(" \t")


def _number(text: str) -> float:
    value = float(text)
    if text.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return value
    if not math.isfinite(value):
        raise ValueError("value out of range")
    return value


def parse(lines: Iterable[str]) -> Iterator[ParsedResult | SyntaxIssue]:
    """Read the Go benchmark format; yields results and, for malformed result lines,
    ``SyntaxIssue`` records (benchfmt treats those as non-fatal, and so do we)."""
    config: dict[str, str] = {}
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if line.startswith("Benchmark"):
            fields = line[len("Benchmark") :].split()
            if not line[len("Benchmark") :][:1].strip() and fields:
                fields = ["", *fields]  # ``Benchmark 10 1 ns/op``: the empty name
            yield _result_line(fields, number, config)
            continue
        fields = line.split()
        if fields[:1] == ["Unit"]:
            continue
        pair = _key_value(line)
        if pair is not None:
            key, value = pair
            if value:
                config[key] = value
            else:
                config.pop(key, None)


def _result_line(
    fields: list[str], number: int, config: dict[str, str]
) -> ParsedResult | SyntaxIssue:
    if len(fields) < 2:
        return SyntaxIssue(number, "missing iteration count")
    name, iters_text, rest = fields[0], fields[1], fields[2:]
    try:
        iters = int(iters_text)
    except ValueError:
        return SyntaxIssue(number, f"parsing iteration count: invalid syntax {iters_text!r}")
    if not rest:
        return SyntaxIssue(number, "missing measurements")
    values = []
    for i in range(0, len(rest), 2):
        try:
            value = _number(rest[i])
        except ValueError:
            return SyntaxIssue(number, f"parsing measurement: invalid syntax {rest[i]!r}")
        if i + 1 >= len(rest):
            return SyntaxIssue(number, "missing units")
        values.append((value, rest[i + 1]))
    return ParsedResult(name, iters, tuple(values), tuple(config.items()), number)
