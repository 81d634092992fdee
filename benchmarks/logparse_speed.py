"""Throughput of ``rxp parse --format auto`` on a mixed journal, next to a naive baseline.

Input: helper ``rxp._journal._generate``'s seeded short-iso journal (sshd, kernel UFW kv lines,
systemd, cron, logfmt and JSON application messages, multi-line tracebacks). Three ways to
read every line, interleaved in the same run so machine noise hits them alike:

- ``rxp auto``: ``rxp.parse_lines(lines, format="auto")`` (fast paths first, Lark only for
  nested values that are not JSON);
- ``rxp auto + JSON out``: the same plus the JSON Lines encoding the CLI writes;
- ``naive lark``: one Lark LALR parse per line (``grammars/nested.lark``), what "a grammar
  for every line" costs.

Prints the median lines/s of ``--repeat`` runs for each, and the ratio. Target (issue 4):
at least 50,000 lines/s for ``rxp auto`` on one core.

    .venv/bin/python benchmarks/logparse_speed.py [--size 4000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import time
from collections.abc import Callable

import lark

from rxp import parse_lines
from rxp._grammar import load_grammar
from rxp._journal._generate import write_journal


def _auto(lines: list[str]) -> int:
    n = 0
    for _ in parse_lines(lines, format="auto"):
        n += 1
    return n


def _auto_json(lines: list[str]) -> int:
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    n = 0
    for record in parse_lines(lines, format="auto"):
        encode(record)
        n += 1
    return n


def _naive_lark(lines: list[str]) -> int:
    parser = load_grammar("nested", parser="lalr")
    n = 0
    for line in lines:
        with contextlib.suppress(lark.exceptions.LarkError):
            parser.parse(line)
        n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=4_000_000, help="journal size in bytes")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    buf = io.BytesIO()
    write_journal(buf, size=args.size, form="short-iso", seed=args.seed)
    lines = buf.getvalue().decode("utf-8").splitlines()
    naive_lines = lines[: max(1, len(lines) // 8)]  # the baseline is slow: a sample suffices

    cases: dict[str, tuple[Callable[[list[str]], int], list[str]]] = {
        "rxp auto": (_auto, lines),
        "rxp auto + JSON out": (_auto_json, lines),
        "naive lark (every line)": (_naive_lark, naive_lines),
    }
    for fn, sample in cases.values():  # warm caches (grammar tables, regexes)
        fn(sample[:200])
    rates: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, (fn, sample) in cases.items():
            start = time.perf_counter()
            count = fn(sample)
            rates[name].append(count / (time.perf_counter() - start))

    print(
        f"mixed short-iso journal: {len(lines):,} lines ({args.size:,} bytes), "
        f"median of {args.repeat} runs, one core"
    )
    base = statistics.median(rates["naive lark (every line)"])
    for name, values in rates.items():
        med = statistics.median(values)
        print(f"  {name:<26} {med:>10,.0f} lines/s   x{med / base:5.1f} vs naive lark")
    target = statistics.median(rates["rxp auto"])
    print(f"target >= 50,000 lines/s: {'met' if target >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
