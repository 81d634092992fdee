"""Spark scaling: ``rxp parse --engine spark`` against ``rxp parse --workers`` on one machine.

Run: ``.venv/bin/python benchmarks/spark_scaling.py [--sizes 1,4] [--out FILE]`` (needs
``pip install -e '.[spark]'`` and Java 17). For each generated journal (short-iso text,
``rxp._journal._generate``, cached under ``benchmarks/.cache`` or ``$RXP_BENCH_CACHE``;
sizes in GiB), it times, as a user runs them from the shell:

- ``rxp parse --workers N FILE > /dev/null`` for N = 1 and 2 (the single-process command
  and its process pool);
- ``rxp parse --engine spark --master local[N] FILE --out DIR`` for N = 1 and 2 executor
  cores (JSON Lines part files: Spark's usual output, written as the local run writes its
  records), and Spark's start-up overhead: the same command on a one-line file (the JVM,
  the session, the first Python worker, a job).

Lines per second count every line of the input over the whole run (start-up included);
the last column takes the start-up off, what a long job on a warm cluster sees. The
numbers go to stdout as a Markdown table (``--out`` also writes it to FILE). Each run is
timed once: a 1 GiB run takes minutes, and the machine's noise is larger than a second
run would remove.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GIB = 1 << 30


def _lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            count += block.count(b"\n")
    return count


def _timed(args: list[str], stdout: int | None = subprocess.DEVNULL) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "rxp", *args], stdout=stdout, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"rxp {' '.join(args)}: exit {done.returncode}: {done.stderr.decode()}")
    return elapsed


def _spark(path: Path, cores: int) -> float:
    with tempfile.TemporaryDirectory(prefix="rxp-spark-bench-") as folder:
        out = str(Path(folder) / "out")
        return _timed(
            [
                "parse",
                "-q",
                "--engine",
                "spark",
                "--master",
                f"local[{cores}]",
                str(path),
                "--out",
                out,
            ]
        )


def startup(cores: int) -> float:
    """Seconds ``--engine spark`` takes for a one-line file: its fixed cost."""
    with tempfile.TemporaryDirectory(prefix="rxp-spark-bench-") as folder:
        tiny = Path(folder) / "one.log"
        tiny.write_text("2024-01-01T00:00:00+0000 host app[1]: hello\n")
        return _spark(tiny, cores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4", help="journal sizes in GiB (default 1,4)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--only", choices=("local", "spark"), help="run only these (a 4 GiB run is long)"
    )
    args = parser.parse_args()
    from rxp._journal._generate import ensure_journal

    rows = [
        "| input | lines | run | seconds | lines/s | lines/s after start-up |",
        "|---|---:|---|---:|---:|---:|",
    ]
    overhead = {cores: startup(cores) for cores in (1, 2)}
    for cores, seconds in overhead.items():
        rows.append(f"| one line | 1 | spark local[{cores}] (start-up) | {seconds:.1f} | | |")
        print(rows[-1], flush=True)
    for size in (float(s) for s in args.sizes.split(",")):
        path = ensure_journal(int(size * GIB), "short-iso")
        lines = _lines(path)
        label = f"{size:g} GiB journal"
        for workers in (1, 2) if args.only != "spark" else ():
            seconds = _timed(["parse", "-q", "--workers", str(workers), str(path)])
            rate = lines / seconds
            rows.append(
                f"| {label} | {lines:,} | rxp parse --workers {workers} | "
                f"{seconds:.1f} | {rate:,.0f} | {rate:,.0f} |"
            )
            print(rows[-1], flush=True)
        for cores in (1, 2) if args.only != "local" else ():
            seconds = _spark(path, cores)
            warm = lines / max(seconds - overhead[cores], 1e-9)
            rows.append(
                f"| {label} | {lines:,} | --engine spark local[{cores}] | "
                f"{seconds:.1f} | {lines / seconds:,.0f} | {warm:,.0f} |"
            )
            print(rows[-1], flush=True)
    table = "\n".join(rows) + "\n"
    print(f"\n{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end\n")
    print(table)
    if args.out is not None:
        args.out.write_text(table)


if __name__ == "__main__":
    main()
