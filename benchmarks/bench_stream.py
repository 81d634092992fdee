"""The CPU-bound side of the concurrency study: one scan of a journal, four schedulers.

``rxp stream`` runs over the cached seeded journal (``RXP_BENCH_JOURNAL_MIB``, default 256,
``short-iso`` form) with each backend (``sync``, ``thread``, ``asyncio``, ``process``) and
1, 2 and 4 workers (``sync`` has no workers: it runs once, as ``workers=1``), for three
pattern classes that decide how much of the work a literal prefilter can skip:

- ``literal-prefix``: the match starts with a literal (``Failed password for``);
- ``inner-literal``: the literal sits after a variable-width start (``sshd[...]: Failed``);
- ``no-literal``: nothing to search for first; the regex engine reads every byte.

``BenchmarkStream`` counts matching lines (``rxp stream -c``); ``BenchmarkStreamExtract``
also collects every match's span and named groups (what ``-o``/``--json`` print). An op is
one scan of the whole file through ``rxp._stream``'s own ``run_jobs`` (the matcher, blocks
and backends ``rxp stream`` uses; printing excluded), in this process, so interpreter
start-up is not in the numbers; a backend's own start-up (a thread pool, an event loop, the
forked worker processes) is, once per op, and ``BenchmarkStreamStartup`` isolates it on a
one-line file. Every op's count is checked against ``sync``: the backends must agree.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from pathlib import Path

from _corpus import journal
from rxp._bench import B

PATTERNS = {
    "literal-prefix": r"Failed password for (?P<invalid>invalid user )?(?P<user>[^ ]+) "
    r"from (?P<ip>[0-9.]+)",
    "inner-literal": r"^[^ ]+ (?P<host>[^ ]+) sshd\[(?P<pid>[0-9]+)\]: Failed password",
    "no-literal": r"(?P<ip>[0-9]+(?:\.[0-9]+){3}) port (?P<port>[0-9]+)",
}
BACKENDS = ("sync", "thread", "asyncio", "process")
WORKERS = (1, 2, 4)


def _scanner(pattern: str, backend: str, workers: int, mode: str) -> Callable[[Path], int]:
    """One op: scan the file as ``rxp stream`` does (same matcher, same backends, same
    blocks), minus printing; returns the number of selected lines."""
    from rxp._stream._backends import run_jobs
    from rxp._stream._matcher import MatcherSpec
    from rxp._stream._scan import ChunkOut, ScanOptions
    from rxp._stream._source import ranges

    spec = MatcherSpec(pattern)
    extract = mode == "extract"
    options = ScanOptions(count_only=not extract, spans=extract, groups=extract)

    def scan(path: Path) -> int:
        size = path.stat().st_size
        selected = 0
        for out in run_jobs(spec, options, ranges(str(path), size), backend, workers):  # type: ignore[arg-type]
            assert isinstance(out, ChunkOut)
            selected += out.selected
        return selected

    return scan


def _configurations() -> list[tuple[str, int]]:
    return [("sync", 1)] + [(b, w) for b in BACKENDS if b != "sync" for w in WORKERS]


@functools.cache
def _expected(path: Path, pattern: str) -> int:
    """The reference count: ``sync``, computed once per file and pattern."""
    return _scanner(pattern, "sync", 1, "count")(path)


def _scan(path: Path, pattern: str, backend: str, workers: int, mode: str) -> Callable[[B], None]:
    scan = _scanner(pattern, backend, workers, mode)
    expected = _expected(path, pattern)

    def bench(b: B) -> None:
        b.set_bytes(path.stat().st_size)
        for _ in range(b.n):
            got = scan(path)
            if got != expected:
                raise RuntimeError(f"{backend} selected {got} lines, sync {expected}")
        b.report_metric(expected, "lines/op")

    return bench


def _study(b: B, mode: str) -> None:
    path = journal("short-iso")
    for backend, workers in _configurations():
        for name, pattern in PATTERNS.items():
            b.run(
                f"backend={backend}/workers={workers}/pattern={name}",
                _scan(path, pattern, backend, workers, mode),
            )


def BenchmarkStream(b: B) -> None:
    """Count matching lines: the scan itself."""
    _study(b, "count")


def BenchmarkStreamExtract(b: B) -> None:
    """Print every match with its named groups as JSON Lines (to /dev/null)."""
    _study(b, "extract")


def BenchmarkStreamStartup(b: B) -> None:
    """The same scan of a one-line file: the fixed cost of each backend (event loop, thread
    pool, or forking the worker processes) that every op above includes once."""
    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "one.log"
        tiny.write_bytes(
            b"2024-01-15T00:00:00+0000 web01 sshd[1]: Failed password for x from 1.2.3.4\n"
        )
        for backend, workers in _configurations():
            scan = _scanner(PATTERNS["literal-prefix"], backend, workers, "count")

            def bench(b: B, scan: Callable[[Path], int] = scan) -> None:
                for _ in range(b.n):
                    scan(tiny)

            b.run(f"backend={backend}/workers={workers}", bench)
