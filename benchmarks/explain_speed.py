"""`rxp explain` end to end as a process, against a bare `python -c pass` in the same venv.

Runs both side by side (interleaved, so machine noise hits them alike) N times and prints
the medians and their ratio. The target (issue 2, section 5) is a ratio of at most 12.

Python caches compiled modules as ``.pyc`` files, and ``pip install`` writes them for an
installed wheel. Some sandboxes set ``PYTHONDONTWRITEBYTECODE=1``, which makes every run
recompile rxp's modules; the runs here drop that variable so that, after the warm-up run,
rxp starts as an installed rxp does.

    python benchmarks/explain_speed.py                 # 25 rounds, typical pattern
    python benchmarks/explain_speed.py -n 50 --form json
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TYPICAL = (
    r"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) \S+ (?P<user>\S+) \[(?P<ts>[^\]]+)\] "
    r'"(?P<method>GET|POST|PUT|DELETE) (?P<path>\S+) HTTP/\d\.\d" (?P<status>\d{3})'
)
TARGET = 12.0


def _time(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def _rxp_command() -> list[str]:
    script = Path(sys.executable).with_name("rxp")
    if script.exists():
        return [str(script)]
    found = shutil.which("rxp")
    return [found] if found else [sys.executable, "-m", "rxp"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=25)
    parser.add_argument("--pattern", default=TYPICAL)
    parser.add_argument("--form", choices=["tree", "brief", "json"], default="tree")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env_note = "bytecode cached"
    extra = {"tree": [], "brief": ["--brief"], "json": ["--json"]}[args.form]
    rxp = [*_rxp_command(), "explain", *extra, "--", args.pattern]
    bare = [sys.executable, "-c", "pass"]
    # warm-up: file caches, .pyc files and lark's cached parser tables
    _time(bare, env)
    _time(rxp, env)
    bare_times: list[float] = []
    rxp_times: list[float] = []
    for _ in range(args.rounds):
        bare_times.append(_time(bare, env))
        rxp_times.append(_time(rxp, env))
    bare_median = statistics.median(bare_times)
    rxp_median = statistics.median(rxp_times)
    ratio = rxp_median / bare_median
    print(f"python -c pass      median {bare_median * 1000:7.1f} ms  ({args.rounds} runs)")
    print(f"rxp explain ({args.form:<5}) median {rxp_median * 1000:7.1f} ms  ({env_note})")
    verdict = "ok" if ratio <= TARGET else "over target"
    print(f"ratio {ratio:.1f}x  (target <= {TARGET:.0f}x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
