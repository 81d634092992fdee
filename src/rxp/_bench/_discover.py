"""Find benchmark files and the benchmark functions in them.

A benchmark file is ``bench_*.py`` (a directory is searched, not recursively, as ``go test``
takes one package per directory). In it, a benchmark is a module-level function taking ``b``
whose name is ``Benchmark`` followed by nothing or by a character that is not a lowercase
letter (Go's rule: ``BenchmarkParse``, ``Benchmark_x``; not ``Benchmarking``), or
``bench_snake_case``, reported as ``BenchmarkSnakeCase``. Functions keep their order of
definition in the file.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .._errors import RxpError

__all__ = ["BenchFile", "Benchmark", "benchmark_name", "find_files", "load", "pkg_name"]

BenchFn = Callable[..., object]


@dataclass(frozen=True, slots=True)
class Benchmark:
    name: str
    fn: BenchFn


@dataclass(frozen=True, slots=True)
class BenchFile:
    """One benchmark file: ``pkg`` is its path without ``.py``, as shown on the ``pkg:`` line."""

    path: Path
    pkg: str
    benchmarks: tuple[Benchmark, ...]


def benchmark_name(attr: str) -> str | None:
    """The Go-style name of a module attribute, or None if it is not a benchmark."""
    if attr.startswith("Benchmark"):
        rest = attr[len("Benchmark") :]
        return attr if not rest or not rest[0].islower() else None
    if attr.startswith("bench_") and len(attr) > len("bench_"):
        words = [w for w in attr[len("bench_") :].split("_") if w]
        return "Benchmark" + "".join(w[:1].upper() + w[1:] for w in words)
    return None


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The benchmark files named by ``paths`` (files as given, directories searched).
    A path that does not exist, or is neither a regular file nor a directory (a FIFO, a
    device), is a usage error. Whether a file can be read and imported is found out when
    it is loaded: that failure is the file's alone, as a build failure in ``go test``."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("bench_*.py") if p.is_file()))
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise RxpError(f"{path_text(path)}: not a regular file or a directory")
        else:
            raise RxpError(f"{path_text(path)}: no such file or directory")
    unique: dict[Path, None] = dict.fromkeys(found)
    return list(unique)


def path_text(path: Path) -> str:
    """A path as valid text (the bytes of a non-UTF-8 name become U+FFFD): it is shown on
    stdout (``pkg:``) and stderr."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def pkg_name(path: Path) -> str:
    """The ``pkg:`` of a benchmark file, as Go names a package by its path: relative to the
    working folder when inside it, without ``.py``."""
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        rel = path
    return path_text(rel.with_suffix(""))


def _import(path: Path) -> ModuleType:
    """Run ``path`` as a module, whatever its suffix (a file named on the command line is
    Python source). A module that fails to import leaves nothing behind in ``sys.modules``
    or ``sys.path``."""
    name = f"_rxp_bench_{abs(hash(path.resolve()))}_{path.stem}"
    # An absolute file name, so tracebacks find the source even if a benchmark changes folder.
    loader = importlib.machinery.SourceFileLoader(name, str(path.resolve()))
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    assert spec is not None  # given a loader, a spec is always made
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    # The file's folder goes first on sys.path so a suite can import its helper modules.
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)
    try:
        loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        if folder in sys.path:  # the module may have changed sys.path itself
            sys.path.remove(folder)
    return module


def _benchmarks(module: ModuleType) -> Iterator[Benchmark]:
    for attr, value in vars(module).items():
        name = benchmark_name(attr)
        if name is None or not callable(value):
            continue
        if getattr(value, "__module__", None) != module.__name__:
            continue  # imported from elsewhere: it belongs to that file
        yield Benchmark(name, value)


def load(path: Path) -> BenchFile:
    """Import ``path`` and collect its benchmarks. Whatever the import raises (OSError,
    SyntaxError, an error of the module's code, SystemExit) propagates to the caller,
    which reports the file as failed."""
    module = _import(path)
    return BenchFile(path, pkg_name(path), tuple(_benchmarks(module)))
