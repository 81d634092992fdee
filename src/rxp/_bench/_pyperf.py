"""``--json FILE``: the results as a pyperf benchmark suite, for pyperf's own tools
(``python -m pyperf compare_to old.json new.json``, ``stats``, ``hist``).

Each benchmark becomes a ``pyperf.Benchmark`` named as on the Go line (with its ``-N``); each
``--count`` round becomes one ``pyperf.Run`` whose single value is the seconds per operation
of that round, with ``loops`` = ``b.n``. pyperf collects the system metadata (CPU model and
frequency, Python build, boot time, ...) once, and every run carries it, so pyperf can warn
when two suites come from different machines. pyperf is imported only when ``--json`` is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._errors import RxpError
from ._gofmt import Result

__all__ = ["write_suite"]


def write_suite(results: Sequence[Result], path: Path) -> int:
    """Write ``results`` (those with a time per op) to ``path``; returns the number of
    benchmarks written. Replaces an existing file."""
    try:
        pyperf: Any = importlib.import_module("pyperf")
    except ImportError:
        raise RxpError("--json needs pyperf: pip install 'rxp[bench]'") from None
    by_name: dict[str, list[Result]] = {}
    for result in results:
        if result.ns_per_op > 0:
            by_name.setdefault(result.name, []).append(result)
    if not by_name:
        raise RxpError("--json: no timed results to save")
    common: dict[str, object] | None = None
    benchmarks = []
    for name, rounds in by_name.items():
        runs = []
        for result in rounds:
            metadata: dict[str, object] = {
                "name": name,
                "unit": "second",
                "loops": result.n,
            }
            if common is None:
                probe = pyperf.Run([1.0], metadata={"name": "probe"}, collect_metadata=True)
                common = {
                    k: v for k, v in probe.get_metadata().items() if k not in ("name", "unit")
                }
            metadata = {**common, **metadata}
            runs.append(
                pyperf.Run([result.ns_per_op / 1e9], metadata=metadata, collect_metadata=False)
            )
        benchmarks.append(pyperf.Benchmark(runs))
    pyperf.BenchmarkSuite(benchmarks).dump(str(path), replace=True)
    return len(benchmarks)
