"""rxp's Go-style benchmark harness (``rxp bench``).

``B`` is what a benchmark function receives (Go's ``testing.B``: timer, ``loop``, logs,
skip/fail, ``run``, ``run_parallel`` with ``PB``); ``Runner`` runs discovered benchmark
files and reports to a ``Reporter`` in the order ``go test -bench`` prints; ``_gofmt``
writes and reads the Go benchmark data format; ``_compare`` and ``_benchtab`` are benchstat
(any number of result files); ``_pyperf`` exports pyperf JSON.
"""

from __future__ import annotations

from ._b import PB, B, BenchTime, parse_benchtime, predict_n
from ._discover import BenchFile, Benchmark, benchmark_name, find_files, load
from ._gofmt import ParsedResult, Result, format_result, parse, system_config
from ._runner import Options, Reporter, Runner, benchmark_name_for_cpu
from ._select import Matcher

__all__ = [
    "PB",
    "B",
    "BenchFile",
    "BenchTime",
    "Benchmark",
    "Matcher",
    "Options",
    "ParsedResult",
    "Reporter",
    "Result",
    "Runner",
    "benchmark_name",
    "benchmark_name_for_cpu",
    "find_files",
    "format_result",
    "load",
    "parse",
    "parse_benchtime",
    "predict_n",
    "system_config",
]
