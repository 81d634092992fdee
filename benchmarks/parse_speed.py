"""Parse speed: rxp.parse against CPython's re._parser.parse on the same patterns.

Run: ``.venv/bin/python benchmarks/parse_speed.py``. Prints the median time per parse of a
~200-character log-line pattern (and a few others) for both, side by side in one process
(the machine is shared and noisy, so the ratio is the figure to read), and the ratio.
Target: a 200-character pattern parses well under 5 ms.
"""

from __future__ import annotations

import re._parser as re_parser
import statistics
import time
from collections.abc import Callable

from rxp import parse

PATTERNS = {
    "access log (211 chars)": (
        r"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - (?P<user>[\w.-]+|-) \[(?P<ts>[^\]]+)\] "
        r"\"(?P<method>GET|POST|PUT|DELETE) (?P<path>/[^\s?]*)(?:\?(?P<q>[^\s]*))? "
        r"HTTP/(?P<ver>1\.[01]|2)\" (?P<status>[1-5]\d\d) (?P<size>\d+|-)$"
    ),
    "verbose email (200 chars)": (
        "(?x)\n  ^(?P<local>[A-Za-z0-9._%+-]+)   # local part\n  @\n"
        "  (?P<domain>(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,})  # domain\n"
        "  (?:\\s*<(?P<tag>[^>]{0,40})>)?  # optional tag\n  $"
    ),
    "short": r"\d+-\d+",
}


def median_seconds(fn: Callable[[], object], rounds: int = 15, inner: int = 40) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - start) / inner)
    return statistics.median(samples)


def main() -> None:
    print(f"{'pattern':28} {'rxp.parse':>12} {'re._parser':>12} {'ratio':>7}")
    for name, pattern in PATTERNS.items():
        parse(pattern)  # load the grammar tables once
        ours = median_seconds(lambda p=pattern: parse(p))
        theirs = median_seconds(lambda p=pattern: re_parser.parse(p))
        print(f"{name:28} {ours * 1e3:10.3f}ms {theirs * 1e3:10.3f}ms {ours / theirs:6.1f}x")


if __name__ == "__main__":
    main()
