"""``mine_vs_drain3.py --scale``: is rxp's miner linear in its input, with flat memory?

It mines a generated journal (``benchmarks/_corpus.py``'s cached, seeded short-iso journal:
sshd, kernel firewall, systemd, cron, logfmt and JSON application lines, tracebacks) of 1x,
4x and 16x ``--scale-mib`` MiB, each in a child process, and reports wall time and the child's
peak RSS (``os.wait4`` in a small launcher; on Linux the largest process of the child's
tree). Linear: time grows 16x from 1x to 16x; flat memory: peak RSS hardly grows, since the
miner's state grows with its templates, not its lines.

The child is ``python -m rxp mine --json FILE`` (with ``--format auto`` when ``rxp mine``
offers it, so headers are stripped as the issue asks), its output thrown away. Without the
command it falls back to ``rxp.mine_lines`` in a child (which keeps one assignment per line,
so its memory cannot be flat, and the report says so); without either, it says rxp is missing.
Only rxp is measured: the issue asks this of rxp alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FACTORS = (1, 4, 16)

_LIBRARY_CHILD = """
import sys, rxp
kwargs = {"format": "auto"} if sys.argv[2] == "auto" else {}
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    mining = rxp.mine_lines((line.rstrip("\\n") for line in f), **kwargs)
print(len(mining.templates))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(HERE.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _rxp(*args: str) -> list[str]:
    return [sys.executable, "-m", "rxp", *args]


def miner_command() -> tuple[list[str], list[str], str] | str:
    """The argv before and after the file that mines it, and a note on it; or why rxp
    cannot be measured."""
    env = _env()
    helped = subprocess.run(_rxp("mine", "--help"), capture_output=True, text=True, env=env)
    if helped.returncode == 0:
        fmt = ["--format", "auto"] if "--format" in helped.stdout else []
        return _rxp("mine", "--json", *fmt), [], " ".join(["rxp mine --json", *fmt])
    probe = "import inspect, rxp; print('format' in inspect.signature(rxp.mine_lines).parameters)"
    lib = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    if lib.returncode != 0:
        return "neither `rxp mine` nor rxp.mine_lines exists yet"
    form = "auto" if lib.stdout.strip() == "True" else "none"
    note = f"rxp.mine_lines (format={form}; the library keeps one assignment per line)"
    return [sys.executable, "-c", _LIBRARY_CHILD], [form], note


# Linux counts the RSS a process had before exec in its ru_maxrss (for a vfork child, the
# parent's peak): spawned straight from this process, which holds the loghub runs, a small
# miner would report this process's size. A fresh interpreter starts the miner instead and
# reports the miner's own wall time and peak RSS.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _run(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of ``argv``, its output discarded."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *argv], capture_output=True, text=True, env=_env()
    )
    try:
        seconds, status, rss_kib = done.stdout.split()
    except ValueError:
        status = "?"
    if done.returncode != 0 or status != "0":
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return float(seconds), int(rss_kib)


def _count_lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


def scale_report(base_mib: int) -> dict[str, Any]:
    """Time and peak RSS of mining 1x, 4x, 16x ``base_mib`` MiB, plus a markdown table."""
    command = miner_command()
    if isinstance(command, str):
        text = f"Scaling (1x, 4x, 16x {base_mib} MiB journal): not measured: {command}."
        print(text, file=sys.stderr)
        return {"missing": command, "markdown": text}
    before, after, note = command
    sys.path.insert(0, str(HERE))
    from _corpus import journal

    rows: list[dict[str, Any]] = []
    for factor in FACTORS:
        path = journal("short-iso", base_mib * factor)
        print(f"  scale {factor}x: {path.name} ...", file=sys.stderr, flush=True)
        try:
            seconds, rss_kib = _run([*before, str(path), *after])
        except RuntimeError as exc:
            text = f"Scaling: {note} failed at {factor}x: {exc}"
            print(text, file=sys.stderr)
            return {"error": str(exc), "markdown": text, "rows": rows}
        size = path.stat().st_size
        rows.append(
            {
                "factor": factor,
                "mib": round(size / 2**20, 1),
                "lines": (lines := _count_lines(path)),
                "seconds": round(seconds, 3),
                "lines_per_s": round(lines / seconds),
                "peak_rss_mib": round(rss_kib / 1024, 1),
            }
        )
    first, last = rows[0], rows[-1]
    time_ratio = last["seconds"] / first["seconds"]
    rss_ratio = last["peak_rss_mib"] / first["peak_rss_mib"]
    table = [
        f"Scaling: {note} on the generated short-iso journal, one run per size "
        f"(the child process's wall time and peak RSS).",
        "",
        "| Size | MiB | Lines | Seconds | Lines/s | Peak RSS MiB |",
        "|---|---|---|---|---|---|",
        *(
            f"| {r['factor']}x | {r['mib']:,} | {r['lines']:,} | {r['seconds']:,.2f} | "
            f"{r['lines_per_s']:,} | {r['peak_rss_mib']:,} |"
            for r in rows
        ),
        "",
        f"16x / 1x: time x{time_ratio:.1f} (linear: x16), peak RSS x{rss_ratio:.2f} (flat: x1).",
    ]
    return {
        "command": note,
        "rows": rows,
        "time_ratio": round(time_ratio, 2),
        "rss_ratio": round(rss_ratio, 2),
        "markdown": "\n".join(table),
    }
