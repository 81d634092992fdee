"""Reproduce the concurrency study in docs/concurrency.md with one command:

    RXP_BENCH_JOURNAL_MIB=32 python benchmarks/study.py --count 5

It runs ``rxp bench`` ``--count`` times over ``bench_stream.py`` (one op per case and
pass: ``--benchtime 1x``) and over ``bench_fetch.py``, saves the Go-format results under
``docs/concurrency/`` (benchstat and ``rxp bench compare`` read them), draws the SVG charts
with ``benchmarks/chart.py`` and rewrites the tables between the ``<!-- study:begin -->`` and
``<!-- study:end -->`` markers of ``docs/concurrency.md``. ``--skip-run`` redraws from the
saved results.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import chart
from rxp._bench import parse
from rxp._bench._gofmt import ParsedResult

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "concurrency"
DOC = ROOT / "docs" / "concurrency.md"
PATTERNS = ("literal-prefix", "inner-literal", "no-literal")


def run_bench(suite: str, extra: Sequence[str], out: Path, rounds: int) -> None:
    """``rounds`` whole passes over the suite, appended to one file: rounds of one case are
    spread over the run, so a burst of load from elsewhere hits several cases a little
    rather than one case in every round (``--count`` would run them back to back)."""
    command = [sys.executable, "-m", "rxp", "bench", f"benchmarks/{suite}", *extra]
    out.write_text("", encoding="utf-8")
    for i in range(rounds):
        print(
            f"+ [{i + 1}/{rounds}]", " ".join(command), ">>", out.relative_to(ROOT), file=sys.stderr
        )
        with out.open("a", encoding="utf-8") as f:
            subprocess.run(command, stdout=f, check=True, cwd=ROOT)


def load(path: Path) -> list[ParsedResult]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [r for r in parse(lines) if isinstance(r, ParsedResult)]


def medians(results: Sequence[ParsedResult], unit: str) -> dict[str, float]:
    samples: dict[str, list[float]] = {}
    for r in results:
        for value, u in r.values:
            if u == unit:
                samples.setdefault(r.full_name.rsplit("-", 1)[0], []).append(value)
    return {name: statistics.median(v) for name, v in samples.items()}


def stream_table(m: dict[str, float], prefix: str) -> list[str]:
    rows = sorted(
        {
            n.split("/pattern=")[0].removeprefix(prefix + "/")
            for n in m
            if n.startswith(prefix + "/")
        },
        key=lambda s: (
            ["sync", "thread", "asyncio", "process"].index(s.split("/")[0].split("=")[1]),
            s,
        ),
    )
    head = "| backend / workers | " + " | ".join(f"{p} MB/s (x sync)" for p in PATTERNS) + " |"
    lines = [head, "|---" * (len(PATTERNS) + 1) + "|"]
    for row in rows:
        cells = []
        for p in PATTERNS:
            value = m.get(f"{prefix}/{row}/pattern={p}")
            base = m.get(f"{prefix}/backend=sync/workers=1/pattern={p}")
            cells.append(
                "-"
                if value is None
                else f"{value:.0f} ({value / base:.2f}x)"
                if base
                else f"{value:.0f}"
            )
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return lines


def simple_table(
    m: dict[str, float], prefix: str, header: str, scale: float, fmt: str
) -> list[str]:
    lines = [f"| case | {header} |", "|---|---|"]
    for name, value in m.items():
        if name.startswith(prefix + "/"):
            lines.append(f"| {name.removeprefix(prefix + '/')} | {value * scale:{fmt}} |")
    return lines


def _load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def conditions(load_before: float, load_after: float) -> str:
    """The run's conditions, recorded when it ran (``--skip-run`` reuses them)."""
    mib = os.environ.get("RXP_BENCH_JOURNAL_MIB", "256")
    return (
        f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
        f"{platform.python_implementation()} {platform.python_version()}, journal {mib} MiB, "
        f"1-minute load average {load_before:.1f} before the run and {load_after:.1f} after"
    )


def tables(stream: list[ParsedResult], fetch: list[ParsedResult], measured: str) -> str:
    mb = medians(stream, "MB/s")
    ns = medians(stream, "ns/op")
    fetch_ns = medians(fetch, "ns/op")
    fetch_rps = medians(fetch, "req/s")
    parts = [
        f"_Measured: {measured}._",
        "",
        "**Count matching lines** (`BenchmarkStream`, MB/s, higher is better):",
        "",
        *stream_table(mb, "BenchmarkStream"),
        "",
        "**Extract matches and named groups** (`BenchmarkStreamExtract`, MB/s):",
        "",
        *stream_table(mb, "BenchmarkStreamExtract"),
        "",
        "**Backend start-up**, a one-line file (`BenchmarkStreamStartup`, ms per scan):",
        "",
        *simple_table(ns, "BenchmarkStreamStartup", "ms/op", 1e-6, ".2f"),
        "",
        "**Fetch 50 URLs** from a loopback server answering after 20 ms (`BenchmarkFetch`):",
        "",
        "| case | ms per 50 URLs | req/s |",
        "|---|---|---|",
        *(
            f"| {n.removeprefix('BenchmarkFetch/')} | {v * 1e-6:.0f} | {fetch_rps.get(n, 0):.0f} |"
            for n, v in fetch_ns.items()
        ),
    ]
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Reproduce docs/concurrency.md.")
    ap.add_argument("--count", type=int, default=5, help="rounds (whole passes) per suite")
    ap.add_argument("--skip-run", action="store_true", help="redraw from saved results")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    stream_txt, fetch_txt = OUT / "stream.txt", OUT / "fetch.txt"
    measured_txt = OUT / "conditions.txt"
    if not args.skip_run:
        before = _load()
        run_bench("bench_stream.py", ["--benchtime", "1x"], stream_txt, args.count)
        run_bench("bench_fetch.py", ["--benchtime", "1s"], fetch_txt, args.count)
        measured_txt.write_text(conditions(before, _load()) + "\n", encoding="utf-8")
    measured = measured_txt.read_text(encoding="utf-8").strip() if measured_txt.exists() else "?"
    stream, fetch = load(stream_txt), load(fetch_txt)
    mib = os.environ.get("RXP_BENCH_JOURNAL_MIB", "256")
    charts = [
        ("stream-count", r"^BenchmarkStream/", "MB/s", "pattern", f"Count, {mib} MiB journal"),
        ("stream-extract", r"^BenchmarkStreamExtract/", "MB/s", "pattern", f"Extract, {mib} MiB"),
        ("fetch", r"^BenchmarkFetch/", "req/s", "", "Fetch 50 URLs (20 ms server delay)"),
    ]
    for name, bench, unit, group, title in charts:
        items = chart.bars(stream + fetch, bench, unit, group)
        (OUT / f"{name}.svg").write_text(
            chart.render(items, unit=unit, title=title), encoding="utf-8"
        )
    text = DOC.read_text(encoding="utf-8")
    begin, end = "<!-- study:begin -->", "<!-- study:end -->"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        DOC.write_text(
            f"{head}{begin}\n{tables(stream, fetch, measured)}\n{end}{tail}", encoding="utf-8"
        )
    else:
        print(tables(stream, fetch, measured))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
