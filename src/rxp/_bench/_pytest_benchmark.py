"""pytest-benchmark's saved runs in the Go benchmark format, so benchstat reads them.

pytest-benchmark writes one JSON document per run (``--benchmark-json FILE``, or
``--benchmark-save`` into ``.benchmarks/<machine>/NNNN_<name>.json``): ``machine_info``,
``commit_info`` and a ``benchmarks`` list, each with its ``stats``. ``stats.data`` holds one
time per round, in seconds *per iteration* (pytest-benchmark divides a round's time by its
``iterations`` before storing it); it is there with ``--benchmark-json`` and with
``--benchmark-save-data``, and missing from a plain ``--benchmark-save``.

The mapping (see docs/bench.md, "pytest-benchmark"):

- one round is one Go result line: ``iterations`` as the count, ``data[i]`` as ``ns/op``; a
  run saved without ``data`` gives one line, the mean over all its rounds' iterations, and a
  warning: statistics need samples, and none are made up;
- ``machine_info`` and ``commit_info`` become configuration lines (``goos``, ``goarch``,
  ``cpu``, ``python`` spelled as ``rxp bench`` spells them, then ``commit``), ``pkg`` is the
  test's file without ``.py`` and ``group`` the benchmark's pytest-benchmark group, so
  benchstat keeps machines, commits, files and groups apart (a table per group, as
  pytest-benchmark prints them);
- names follow rxp's discovery: ``test_parse_line`` is ``BenchmarkParseLine`` (as
  ``bench_parse_line`` would be), a method ``TestParser::test_line`` is
  ``BenchmarkParser_Line`` (Go's ``T_M`` convention), parameters are sub-benchmark keys
  (``test_x[a-1]`` with ``params`` ``{"s": "a", "n": 1}`` is ``BenchmarkX/s=a/n=1``), and a
  name that already starts with ``Benchmark`` (the fixture adapter's) is kept;
- what the adapter records in ``extra_info["rxp"]`` comes back: ``n`` (its rounds are one
  call with ``b.n = n``) as the iteration count, ``bytes`` (``b.set_bytes``) as ``MB/s``,
  ``metrics`` (``b.report_metric``, per round) as the metric's unit.

``convert`` is pure (a parsed document in, lines out); ``convert_paths`` reads the files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._errors import RxpError, os_reason
from ._discover import benchmark_name, path_text
from ._gofmt import Result, format_result, machine_config, pretty_value
from ._select import rewrite

__all__ = ["Conversion", "convert", "convert_paths", "go_name"]


@dataclass(frozen=True, slots=True)
class Conversion:
    """Go benchmark format ``lines`` (no line ends) and the ``warnings`` to show on stderr."""

    lines: tuple[str, ...]
    warnings: tuple[str, ...]


class _Bad(ValueError):
    """Where in the document something is not what pytest-benchmark writes."""


# -- names ------------------------------------------------------------------------------------


def _camel(words: str) -> str:
    name = benchmark_name("bench_" + words)
    return (name or "Benchmark")[len("Benchmark") :]


def _part(text: str) -> str:
    """One level of a Go name: white space as ``_`` (Go's rewrite), and no ``/``, which
    would start another level."""
    return rewrite(text).replace("/", "_")


def _value(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def go_name(name: str, fullname: str, params: Mapping[str, object] | None) -> str:
    """The Go benchmark name of a pytest-benchmark benchmark (see the module docstring)."""
    if name.startswith("Benchmark"):
        return rewrite(name)
    base, bracket, param = name.partition("[")
    base = base.removeprefix("test_").removeprefix("test")
    classes = fullname.split("::")[1:-1]  # between the file and the test
    words = [_part(cls.removeprefix("Test") or cls) for cls in classes]
    out = "Benchmark" + "_".join([*words, _camel(base) if base else "Test"])
    if params:
        out += "".join(f"/{_part(str(k))}={_part(_value(v))}" for k, v in params.items())
    elif bracket:
        out += "/" + _part(param.removesuffix("]"))
    return out


# -- configuration ----------------------------------------------------------------------------


def _text(value: object) -> str:
    """A configuration value on one line (a value ends at the line's end)."""
    return " ".join(str(value).split()) if value is not None else ""


def _machine_config(machine: Mapping[str, object]) -> list[tuple[str, str]]:
    system = _text(machine.get("system")).lower()
    arch = _text(machine.get("machine")).lower()
    cpu_info = machine.get("cpu")
    cpu = _text(cpu_info.get("brand_raw")) if isinstance(cpu_info, Mapping) else ""
    cpu = cpu or _text(machine.get("processor"))
    impl = _text(machine.get("python_implementation"))
    version = _text(machine.get("python_version"))
    return machine_config(system, arch, cpu, f"{impl} {version}".strip())


def _commit(commit: Mapping[str, object]) -> str:
    """The commit id, ``-dirty`` appended as ``git describe --dirty`` does."""
    ident = _text(commit.get("id"))
    if ident in ("", "unversioned", "unknown"):
        return ""
    return ident + ("-dirty" if commit.get("dirty") is True else "")


def _pkg(fullname: str) -> str:
    path = fullname.split("::", 1)[0]
    return _text(path.removesuffix(".py"))


# -- results ----------------------------------------------------------------------------------


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise _Bad(f"{where}: expected an object")
    return value


def _seconds(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(f"{where}: expected a number of seconds")
    if not math.isfinite(value) or value < 0:
        raise _Bad(f"{where}: not a finite, non-negative time ({value!r})")
    return float(value)


def _count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _Bad(f"{where}: expected a positive integer")
    return value


def _line(name: str, iters: int, sec_per_op: float, size: object, metrics: object) -> str:
    """One result line: ``iters`` iterations at ``sec_per_op``, with ``MB/s`` if ``size``
    (bytes per op) is known and the ``metrics`` of this round (``{unit: value}``)."""
    ns_per_op = sec_per_op * 1e9
    per_op_bytes = size if isinstance(size, int) and not isinstance(size, bool) else 0
    extra: dict[str, float] = {"ns/op": ns_per_op}
    if isinstance(metrics, Mapping):
        for unit, value in metrics.items():
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and math.isfinite(value) and unit and unit.split() == [unit]:
                extra[unit] = float(value)
    total_ns = round(ns_per_op * iters)
    result = Result(name, "", iters, total_ns, per_op_bytes, tuple(extra.items()))
    line = format_result(result)
    if ns_per_op == 0:  # measured as 0 (a coarse timer): Go's format would drop it
        name_field, iters_field, *rest = line.split("\t")
        line = "\t".join([name_field, iters_field, pretty_value(0.0, "ns/op"), *rest])
    return line


@dataclass(frozen=True, slots=True)
class _Bench:
    name: str
    config: tuple[tuple[str, str], ...]
    lines: tuple[str, ...]
    sampled: bool


def _benchmark(raw: object, where: str, shared: Sequence[tuple[str, str]]) -> _Bench | None:
    bench = _mapping(raw, where)
    name, fullname = bench.get("name"), bench.get("fullname", "")
    if not isinstance(name, str) or not isinstance(fullname, str):
        raise _Bad(f"{where}: no benchmark name")
    params = bench.get("params")
    go = go_name(name, fullname, params if isinstance(params, Mapping) else None)
    stats = _mapping(bench.get("stats"), f"{where}.stats")
    iters = _count(stats.get("iterations", 1), f"{where}.stats.iterations")
    extra_info = bench.get("extra_info")
    ours = extra_info.get("rxp") if isinstance(extra_info, Mapping) else None
    extras: Mapping[str, object] = ours if isinstance(ours, Mapping) else {}
    size, per_round = extras.get("bytes"), extras.get("metrics")
    if "n" in extras:  # the adapter's rounds: one call each, with b.n = n
        iters = _count(extras["n"], f"{where}.extra_info.rxp.n")
    config = (
        *shared[:2],
        ("pkg", _pkg(fullname)),
        *shared[2:],
        ("group", _text(bench.get("group"))),
    )
    data = stats.get("data")
    if data is None:
        mean = _seconds(stats.get("mean"), f"{where}.stats.mean")
        rounds = _count(stats.get("rounds", 1), f"{where}.stats.rounds")
        line = _line(go, iters * rounds, mean, size, None)
        return _Bench(go, config, (line,), sampled=False)
    if not isinstance(data, list):
        raise _Bad(f"{where}.stats.data: expected a list of times")
    if not data:
        return None
    if not (isinstance(per_round, list) and len(per_round) == len(data)):
        per_round = [None] * len(data)
    lines = []
    for i, (value, metrics) in enumerate(zip(data, per_round, strict=True)):
        sec = _seconds(value, f"{where}.stats.data[{i}]")
        lines.append(_line(go, iters, sec, size, metrics))
    return _Bench(go, config, tuple(lines), sampled=True)


def _config_lines(wanted: Sequence[tuple[str, str]], current: dict[str, str]) -> Iterator[str]:
    """The lines that turn the configuration in force (``current``, updated) into
    ``wanted``: changed keys are written, keys that must go are written with no value
    (which deletes them, in benchfmt's reading)."""
    target = {k: v for k, v in wanted if v}
    for key in [k for k in current if k not in target]:
        del current[key]
        yield f"{key}:"
    for key, value in target.items():
        if current.get(key) != value:
            current[key] = value
            yield f"{key}: {value}"


def convert(document: object, source: str, current: dict[str, str] | None = None) -> Conversion:
    """One pytest-benchmark document as Go benchmark lines. ``source`` names it in messages;
    ``current`` is the configuration in force before it (updated), so several documents
    make one stream. Raises ``RxpError`` if the document is not pytest-benchmark's."""
    current = {} if current is None else current
    try:
        doc = _mapping(document, "the document")
        benchmarks = doc.get("benchmarks")
        if not isinstance(benchmarks, list):
            raise _Bad('no "benchmarks" list')
        machine = doc.get("machine_info")
        commit = doc.get("commit_info")
        shared = _machine_config(machine if isinstance(machine, Mapping) else {})
        shared.append(("commit", _commit(commit if isinstance(commit, Mapping) else {})))
        converted = [_benchmark(b, f"benchmarks[{i}]", shared) for i, b in enumerate(benchmarks)]
    except _Bad as exc:
        raise RxpError(f"{source}: not a pytest-benchmark file ({exc})") from None
    if not benchmarks:
        raise RxpError(f"{source}: no benchmarks in it")
    lines: list[str] = []
    warnings: list[str] = []
    unsampled = []
    for bench in converted:
        if bench is None:
            continue
        lines.extend(_config_lines(bench.config, current))
        lines.extend(bench.lines)
        if not bench.sampled:
            unsampled.append(bench.name)
    if unsampled:
        warnings.append(
            f"{source}: saved without per-round data (pytest-benchmark's --benchmark-save "
            f"without --benchmark-save-data): {len(unsampled)} benchmark"
            f"{'s' if len(unsampled) > 1 else ''} written as one line, the mean of all "
            "rounds; benchstat needs several samples for intervals and p-values: save "
            "with --benchmark-json or --benchmark-save-data"
        )
    return Conversion(_aligned(lines), tuple(warnings))


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; a folder (a ``.benchmarks`` storage) gives its ``*.json`` files,
    recursively, in name order (pytest-benchmark numbers its saves ``0001_``, ``0002_``)."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not found:
                raise RxpError(f"{path_text(path)}: no pytest-benchmark .json files in it")
            yield from found
        else:
            yield path


def _aligned(lines: Sequence[str]) -> tuple[str, ...]:
    """Result names padded to one width, as ``go test`` aligns its columns."""
    names = [line.split("\t", 1)[0].rstrip() for line in lines if line.startswith("Benchmark")]
    width = max(map(len, names), default=0) + 1
    out = []
    for line in lines:
        if line.startswith("Benchmark"):
            name, rest = line.split("\t", 1)
            line = f"{name.rstrip():<{width}}\t{rest}"
        out.append(line)
    return tuple(out)


def convert_paths(paths: Iterable[Path]) -> Conversion:
    """Read and convert pytest-benchmark files (or folders of them) into one stream."""
    lines: list[str] = []
    warnings: list[str] = []
    current: dict[str, str] = {}
    for path in _files(paths):
        name = path_text(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RxpError(f"{name}: {os_reason(exc, lower=True)}") from None
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RxpError(f"{name}: not JSON ({exc})") from None
        except RecursionError:
            raise RxpError(f"{name}: not a pytest-benchmark file (nested too deeply)") from None
        part = convert(document, name, current)
        lines.extend(part.lines)
        warnings.extend(part.warnings)
    if not lines:
        raise RxpError("no pytest-benchmark results to convert")
    return Conversion(_aligned(lines), tuple(warnings))
