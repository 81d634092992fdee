"""Hostile lines: one unbalanced line of 1 MB and of 4 MB, through ``--format nested`` and
the ``--pattern`` fallback, next to ``json.loads`` on a balanced JSON line of the same size.

Each shape is a line a broken or malicious producer can write: a megabyte of ``{``, a value
opened and never closed (shallow, or holding many small values, or JSON-like), JSON openers
nested past the depth limit, quotes that never close. Before issue 16, ``--format nested``
took 7.5 s on the first 1 MB shape (every token fed to the LALR parser before it saw the
end). Time should grow linearly from 1 MB to 4 MB (x4) and stay well under a second at
1 MB. Medians of ``--repeat`` runs, one core, ``rxp.parse_line`` (no process start-up).

    .venv/bin/python benchmarks/nested_hostile.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from rxp import parse_line

MB = 1 << 20
PATTERNS = {
    "pattern ^..$": r"^(?P<ts>\S+) (?P<ctx>\{.*?\}) (?P<msg>.*)$",
    "pattern unanchored": r"(?P<ts>\S+) (?P<ctx>\{.*?\}) (?P<msg>.*)$",
}


def shapes(size: int) -> dict[str, str]:
    return {
        "openers {{{{": "{" * size,
        "open shallow {a=1, ...": "{" + "a=1, " * (size // 5),
        "open with [x] [x] ...": "{" + "[x] " * (size // 4),
        'open JSON-like {"a": 1}, ...': '{"k": [' + '{"a": 1}, ' * (size // 10),
        "deep JSON openers": 'T1 {"a":' + '{"a":' * (size // 5),
        "quotes never closed": "T1 {" + '"\\"' * (size // 3),
    }


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for pattern in PATTERNS.values():
        parse_line("warm up", pattern=pattern)
    sizes = (MB, 4 * MB)
    print(f"seconds per line, median of {args.repeat}; x = 4 MB time / 1 MB time (linear: ~4)")
    print(f"{'':<30} {'reader':<20} {'1 MB':>8} {'4 MB':>8} {'x':>6}")
    worst = 0.0
    for name in shapes(MB):
        readers: dict[str, Callable[[str], object]] = {
            "--format nested": lambda line: parse_line(line, format="nested"),
        }
        for label, pattern in PATTERNS.items():
            readers[label] = lambda line, p=pattern: parse_line(line, pattern=p)
        for reader, fn in readers.items():
            row = []
            for size in sizes:
                line = shapes(size)[name]
                record = fn(line)
                assert isinstance(record, dict) and record["_line"] == 1
                row.append(_median(lambda fn=fn, line=line: fn(line), args.repeat))
            worst = max(worst, row[0])
            print(f"{name:<30} {reader:<20} {row[0]:8.3f} {row[1]:8.3f} {row[1] / row[0]:6.1f}")
    for size in sizes:
        balanced = json.dumps({"k": [{"a": 1}] * (size // 10)})
        took = _median(lambda b=balanced: json.loads(b), args.repeat)
        print(
            f"{'balanced JSON line':<30} {'json.loads':<20} {'':>8} {'':>8}   {size // MB} MB: {took:.3f}"  # noqa: E501
        )
    print(
        f"slowest 1 MB line: {worst:.3f} s (target: well under 1 s) -> {'met' if worst < 0.5 else 'NOT met'}"  # noqa: E501
    )


if __name__ == "__main__":
    main()
