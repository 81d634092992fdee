"""`rxp stream -c` beside `grep -P -c` and awk, in one run: start-up and throughput.

Usage: python benchmarks/vs_grep_awk.py [--journal-mib N] [--runs N] [--rounds N]

Start-up: each tool counts one pattern in a ten-line file, ``--rounds`` times, interleaved
(after one warm-up run each), so machine noise hits them alike. Throughput: each tool counts
the lines of a deterministic journal in short-iso form (``rxp._journal._generate``, cached
under benchmarks/.cache as ``stream_vs_grep.py`` caches it) of ``--journal-mib`` MiB that
match each pattern, round-robin, ``--runs`` times. Every figure is a median; "(Nx)" is
``tool_time / grep_time``: 1.00x is as fast as grep, 2.00x takes twice as long. A bare
``python -c pass`` runs with the start-up rounds, as the floor of any Python tool. Counting (``-c``,
awk's ``n++``) keeps the cost of printing the same for every tool; each count is checked
against grep's, and a disagreement fails the run (exit 1).

The commands, as a user types them (grep and awk in the C locale, as rxp reads bytes):

    rxp stream -c RE FILE
    LC_ALL=C grep -P -c RE FILE
    LC_ALL=C awk '/RE/{n++} END{print n+0}' FILE

The patterns are written in the common subset of Python's re, PCRE and POSIX ERE, with no
`{m,n}` (mawk before 20200717 reads `{3}` as text) and no `\\d`, `\\S` (not ERE), so each
tool runs the same text. The output is a markdown table, pasted into docs/rxp-vs-grep-awk.md.
The machine may be shared: only the ratios, measured side by side, carry over.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PATTERNS = {
    "literal": "Failed password",
    "sshd regex with groups": (
        "Failed password for (invalid user )?([^ ]+) from ([0-9.]+) port ([0-9]+)"
    ),
    "IPv4 address, no literal": r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+",
}
STARTUP_PATTERN = "Failed password"
TOOLS = ("grep -P", "rxp stream", "awk")


def rxp_command() -> list[str]:
    """rxp as a user runs it: the venv's script, not ``python -m`` through runpy."""
    script = Path(sys.executable).with_name("rxp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rxp"]


def awk_name() -> str:
    """Which awk ``awk`` is, with its version: mawk answers ``-W version``, gawk and
    BusyBox ``--version``."""
    for flag in ("-W", "--version"):
        argv = ["awk", flag, "version"] if flag == "-W" else ["awk", flag]
        done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        first = (done.stdout or done.stderr).strip().splitlines()
        if done.returncode == 0 and first:
            return first[0].split(",")[0]
    return "awk (unknown version)"


def commands(pattern: str, path: str) -> dict[str, list[str]]:
    if "/" in pattern or "{" in pattern:
        raise ValueError(f"{pattern!r}: no '/' (awk's delimiter) or '{{' (old mawk) here")
    return {
        "grep -P": ["grep", "-P", "-c", pattern, path],
        "rxp stream": [*rxp_command(), "stream", "-c", pattern, path],
        "awk": ["awk", f"/{pattern}/{{n++}} END{{print n+0}}", path],
    }


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    """Wall-clock seconds of one run of ``argv`` and its output (the count)."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"{argv[0]} failed with status {done.returncode}")
    return elapsed, done.stdout.strip()


def measure(
    argvs: dict[str, list[str]], env: dict[str, str], runs: int
) -> tuple[dict[str, float], dict[str, bytes]]:
    """Medians of ``runs`` interleaved rounds, and each tool's (last) count."""
    times: dict[str, list[float]] = {name: [] for name in argvs}
    counts: dict[str, bytes] = {}
    for _ in range(runs):
        for name, argv in argvs.items():
            seconds, counts[name] = timed(argv, env)
            times[name].append(seconds)
    return {name: statistics.median(t) for name, t in times.items()}, counts


def check(label: str, counts: dict[str, bytes]) -> int:
    """How many tools disagree with grep's count (each reported on stderr)."""
    bad = 0
    for name, count in counts.items():
        if count != counts["grep -P"]:
            print(f"!! {label}: {name} counted {count!r}, grep -P {counts['grep -P']!r}",
                  file=sys.stderr)  # fmt: skip
            bad += 1
    return bad


def cell(seconds: float, grep: float, unit: float, digits: int) -> str:
    value = f"{seconds * unit:.{digits}f}"
    ratio = seconds / grep
    return value if seconds == grep else f"{value} ({ratio:.{0 if ratio >= 10 else 2}f}x)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journal-mib", type=int, default=256, help="journal size (1 GiB: 1024)")
    parser.add_argument("--runs", type=int, default=5, help="throughput runs per tool")
    parser.add_argument("--rounds", type=int, default=20, help="start-up runs per tool")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="default: $RXP_BENCH_CACHE, else ./benchmarks/.cache",
    )
    args = parser.parse_args()

    from rxp._journal._generate import ensure_journal

    journal = ensure_journal(args.journal_mib << 20, "short-iso", cache_dir=args.cache_dir)
    # C locale: grep and awk read bytes, as rxp stream does; bytecode kept, as installed
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["LC_ALL"] = "C"
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.log"
        with journal.open("rb") as source:
            tiny.write_bytes(b"".join(source.readline() for _ in range(10)))
        argvs = commands(STARTUP_PATTERN, str(tiny))
        argvs["python -c pass"] = [sys.executable, "-c", "pass"]
        measure(argvs, env, 1)  # warm-up: page cache, .pyc files, rxp's plan cache
        startup, counts = measure(argvs, env, args.rounds)
        counts.pop("python -c pass")
        bad += check("start-up", counts)
    rows = [
        "| start-up, 10-line file (ms) | "
        + " | ".join(cell(startup[t], startup["grep -P"], 1000, 1) for t in TOOLS)
        + " |"
    ]
    for label, pattern in PATTERNS.items():
        argvs = commands(pattern, str(journal))
        timed(argvs["grep -P"], env)  # the journal into the page cache
        medians, counts = measure(argvs, env, args.runs)
        bad += check(label, counts)
        seconds = " | ".join(cell(medians[t], medians["grep -P"], 1, 2) for t in TOOLS)
        rows.append(f"| {label}: `{pattern}` (s) | {seconds} |")

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = sum(1 for _ in journal.open("rb"))
    print(f"{args.journal_mib} MiB journal ({lines} lines), {os.cpu_count()} CPUs, load "
          f"average {load}; medians of {args.rounds} start-up rounds and {args.runs} "
          f"throughput runs; (Nx) = time relative to grep -P; `python -c pass` "
          f"{startup['python -c pass'] * 1000:.1f} ms\n")  # fmt: skip
    grep_version = subprocess.run(["grep", "--version"], capture_output=True, text=True)
    print(f"| | {grep_version.stdout.splitlines()[0]} -P | rxp stream (Python "
          f"{platform.python_version()}) | {awk_name()} |")  # fmt: skip
    print("|---|---:|---:|---:|")
    print("\n".join(rows))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
