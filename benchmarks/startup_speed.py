"""rxp's start-up as a process: `rxp stream -c x EMPTYFILE` and `rxp explain PATTERN`, each
against a bare `python -c pass` in the same venv.

The three commands run interleaved (so machine noise hits them alike) N times; the medians and
the ratios to the bare interpreter are printed with the load average. The targets (issue 10,
point 4) are ratios of at most 4 for `stream` and 12 for `explain`.

As in ``explain_speed.py``, the runs drop ``PYTHONDONTWRITEBYTECODE`` so that, after the
warm-up run, modules load from their ``.pyc`` files as in an installed rxp.

    python benchmarks/startup_speed.py            # 25 rounds
    python benchmarks/startup_speed.py -n 50
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TYPICAL = (
    r"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) \S+ (?P<user>\S+) \[(?P<ts>[^\]]+)\] "
    r'"(?P<method>GET|POST|PUT|DELETE) (?P<path>\S+) HTTP/\d\.\d" (?P<status>\d{3})'
)
TARGETS = {"stream": 4.0, "explain": 12.0}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run of ``argv``."""
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: `stream` found nothing, as expected
        raise SystemExit(f"{argv} failed with status {done.returncode}")
    return elapsed, _cpu() - cpu


def _rxp_command() -> list[str]:
    script = Path(sys.executable).with_name("rxp")
    if script.exists():
        return [str(script)]
    found = shutil.which("rxp")
    return [found] if found else [sys.executable, "-m", "rxp"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--rounds", type=int, default=25)
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.NamedTemporaryFile(suffix=".log") as empty:
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "stream": [*_rxp_command(), "stream", "-c", "x", empty.name],
            "explain": [*_rxp_command(), "explain", "--", TYPICAL],
        }
        for argv in commands.values():  # warm-up: file caches, .pyc files, parser tables
            _time(argv, env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                times[name].append(_time(argv, env))
    wall = {name: statistics.median(t[0] for t in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(t[1] for t in runs) for name, runs in times.items()}
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.rounds} interleaved runs each, bytecode cached, load average {load}")
    print("medians; the ratios are to python -c pass (CPU: user + system, less hurt by load)")
    bare = "python -c pass"
    print(f"{bare:<16} wall {wall[bare] * 1000:6.1f} ms          cpu {cpu[bare] * 1000:6.1f} ms")
    for name, target in TARGETS.items():
        ratio = wall[name] / wall[bare]
        verdict = "ok" if ratio <= target else "over target"
        print(
            f"rxp {name:<12} wall {wall[name] * 1000:6.1f} ms {ratio:5.1f}x  "
            f"cpu {cpu[name] * 1000:6.1f} ms {cpu[name] / cpu[bare]:5.1f}x  "
            f"(target <= {target:.0f}x: {verdict})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
