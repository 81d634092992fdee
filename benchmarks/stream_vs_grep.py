"""`rxp stream -c` against `LC_ALL=C grep -E -c`, ripgrep and a naive Python loop, side by side.

Usage: python benchmarks/stream_vs_grep.py [--size MB] [--runs N] [--naive all|none|noliteral]

A deterministic sshd-heavy journal in short-iso form (``rxp._journal._generate``, cached under
benchmarks/.cache) of ``--size`` MB is scanned by each command in turn, round-robin, ``--runs``
times; the table gives median wall times, speed relative to grep (``grep_time / rxp_time``,
so 1.0 is grep's speed) and relative to the naive loop, and the peak RSS of the largest
process (``wait4``'s ``ru_maxrss``, which covers the pool's worker processes). Every command's
count is checked against grep's. The machine is shared: only ratios measured in the same run
mean anything. The default backend follows the idle cores (load average), so on a busy
machine `rxp stream -c` runs like `--workers 1`; the `--workers 2` row shows what two
processes give; the multi-worker target is checked against the better of the two.
The targets (issue 10: 1 GiB, 2 cores, default settings, `-c`):

    literal prefix:   rxp >= 0.9x grep
    inner literal:    rxp >= 0.8x grep
    no literal:       rxp >= 1.0x grep
    printing (-n, literal prefix, to a file): rxp >= 0.7x grep

ripgrep (`rg -c`, when installed) is reported beside them, with no target.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PATTERNS = {
    "literal prefix": r"Failed password for (invalid user )?[^ ]+ from ([0-9.]+)",
    "inner literal": r"^[^ ]+ [^ ]+ sshd\[[0-9]+\]: Failed password",
    "no literal": r"[0-9]+(\.[0-9]+){3} port [0-9]+",
}
TARGETS = {"literal prefix": 0.9, "inner literal": 0.8, "no literal": 1.0}
PRINT_TARGET = 0.7
NAIVE = """
import re, sys
p = re.compile(sys.argv[1].encode())
n = 0
with open(sys.argv[2], "rb") as f:
    for line in f:
        if p.search(line):
            n += 1
print(n)
"""


@dataclass
class Sample:
    seconds: float
    peak_kb: int
    output: bytes


def run(argv: list[str], env: dict[str, str] | None = None, to: Path | None = None) -> Sample:
    """Run ``argv`` with its output piped (GNU grep stops at the first match when its output
    is /dev/null), or written to the file ``to``; the output is a digest for a file."""
    start = time.perf_counter()
    if to is not None:
        with to.open("wb") as sink:
            proc = subprocess.Popen(argv, stdout=sink, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"{argv[0]} failed with {code}")
        with to.open("rb") as written:  # never held whole: a forked child's RSS starts
            # as this process's, and wait4's ru_maxrss would report it
            digest = hashlib.file_digest(written, "sha256").hexdigest().encode()
        return Sample(elapsed, int(usage.ru_maxrss), digest)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed with {proc.returncode}")
    return Sample(elapsed, int(usage.ru_maxrss), output.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=256, help="journal size in MB (issue: 1024)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive", choices=("all", "none", "noliteral"), default="noliteral")
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()

    from rxp._journal._generate import ensure_journal

    path = str(ensure_journal(args.size << 20, "short-iso", cache_dir=args.cache_dir))
    size_mb = os.path.getsize(path) / (1 << 20)
    grep_env = {**os.environ, "LC_ALL": "C"}
    script = Path(sys.executable).with_name("rxp")  # as a user runs it, not through runpy
    rxp_stream = [str(script)] if script.exists() else [sys.executable, "-m", "rxp"]
    rxp_stream.append("stream")
    rxp = [*rxp_stream, "-c"]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"file: {path} ({size_mb:.0f} MB), {os.cpu_count()} CPUs, load average {load}, "
          f"{args.runs} runs, medians")  # fmt: skip
    print(f"{'pattern':16} {'command':22} {'median s':>9} {'MB/s':>7} {'vs grep':>8} "
          f"{'vs naive':>9} {'peak RSS':>9}")  # fmt: skip
    failures = 0
    below = 0
    rg = shutil.which("rg")
    for label, pattern in PATTERNS.items():
        commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
            "grep -E -c": (["grep", "-E", "-c", pattern, path], grep_env),
            "rxp stream -c": ([*rxp, pattern, path], None),
            "rxp -c --workers 1": ([*rxp, "--workers", "1", pattern, path], None),
        }
        if rg:
            commands["rg -c"] = ([rg, "-c", "--no-config", pattern, path], None)
        if args.naive == "all" or (args.naive == "noliteral" and label == "no literal"):
            commands["naive python loop"] = ([sys.executable, "-c", NAIVE, pattern, path], None)
        medians, bad = _table(label, commands, args.runs, size_mb, None)
        failures += bad
        got = medians["grep -E -c"] / medians["rxp stream -c"]
        verdict = "ok" if got >= TARGETS[label] else "BELOW TARGET"
        below += verdict != "ok"
        print(f"  target: >= {TARGETS[label]}x grep (got {got:.2f}x): {verdict}")
    pattern = PATTERNS["literal prefix"]
    printing: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "grep -E -n > file": (["grep", "-E", "-n", pattern, path], grep_env),
        "rxp stream -n > file": ([*rxp_stream, "-n", pattern, path], None),
        # the default backend follows the load average: both choices, side by side
        "rxp -n sync > file": ([*rxp_stream, "-n", "--backend", "sync", pattern, path], None),
        "rxp -n --workers 2": ([*rxp_stream, "-n", "--workers", "2", pattern, path], None),
    }
    if rg:
        printing["rg -n > file"] = ([rg, "-n", "--no-config", "--no-heading", pattern, path], None)
    with tempfile.TemporaryDirectory() as tmp:
        medians, bad = _table("printing", printing, args.runs, size_mb, Path(tmp) / "out")
    failures += bad
    got = medians["grep -E -n > file"] / medians["rxp stream -n > file"]
    verdict = "ok" if got >= PRINT_TARGET else "BELOW TARGET"
    below += verdict != "ok"
    print(f"  target: >= {PRINT_TARGET}x grep (got {got:.2f}x): {verdict}")
    print(f"{below} target(s) not met" if below else "every target met")
    return 1 if failures else 0


def _table(
    label: str,
    commands: dict[str, tuple[list[str], dict[str, str] | None]],
    runs: int,
    size_mb: float,
    to: Path | None,
) -> tuple[dict[str, float], int]:
    """Run the commands round-robin, print their rows; (medians, commands that disagreed)."""
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            samples[name].append(run(argv, env, to))
    reference = next(iter(commands))
    expected = samples[reference][0].output
    medians = {n: statistics.median(s.seconds for s in runs) for n, runs in samples.items()}
    naive = medians.get("naive python loop")
    failures = 0
    for name, runs_of in samples.items():
        if any(s.output != expected for s in runs_of) and not name.startswith("rg"):
            print(f"  !! {name} gave {runs_of[0].output[:60]!r}, grep {expected[:60]!r}")
            failures += 1
        seconds = medians[name]
        vs_naive = f"{naive / seconds:8.2f}x" if naive else f"{'':>9}"
        peak = max(s.peak_kb for s in runs_of) / 1024
        print(f"{label:16} {name:22} {seconds:9.3f} {size_mb / seconds:7.0f} "
              f"{medians[reference] / seconds:7.2f}x {vs_naive} {peak:7.1f}MB")  # fmt: skip
    return medians, failures


if __name__ == "__main__":
    raise SystemExit(main())
