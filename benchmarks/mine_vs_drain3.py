"""Log-template mining on the loghub 2k samples: rxp's miner side by side with Drain3.

For each of the 8 systems in ``../shared/data/loghub`` (issue 14) it reads the labelled
``X_2k.log_structured.csv`` (``Content``, ``EventId``) and the raw ``X_2k.log``, groups the
messages with each tool, and prints grouping accuracy (GA, ``benchmarks/_ga.py``) and wall time:

- **Drain3 default**: ``TemplateMiner`` with ``TemplateMinerConfig()`` as constructed, no ini
  (no masking, sim_th 0.4, depth 4), fed the ``Content`` lines.
- **Drain3 masked**: the configuration of Drain3's example ``examples/drain3.ini`` (its
  recommended masking of IDs, IPs, hex sequences, numbers and commands, mask ``<:X:>``,
  sim_th 0.4, depth 4, max_children 100, max_clusters 1024, ``_`` as an extra delimiter).
- **rxp (content)**: ``rxp.mine_lines(contents)``; **rxp (raw)**: ``rxp.mine_lines(raw_lines,
  format="auto")``, the raw log lines with their headers stripped by rxp's own parsers.

A line's Drain3 group is the cluster ``add_log_message`` put it in; rxp's is its entry of
``Mining.assignments``. Each tool runs ``--repeat`` times per system, the tools in turn within
each round, in this one process; the median is reported. The 16,000 ``Content`` lines of the 8
systems, concatenated and repeated to ``--concat-lines``, give the lines-per-second comparison.
``--scale`` times ``rxp mine --json`` (a child process, peak RSS from ``wait4``) on a generated
journal of 1x, 4x and 16x ``--scale-mib`` MiB. Until rxp's miner exists its columns read
"missing", with the reason; no number is ever made up.

    pip install drain3                                   # the bench extra
    python benchmarks/mine_vs_drain3.py                  # markdown tables on stdout
    python benchmarks/mine_vs_drain3.py --repeat 5 --json
    python benchmarks/mine_vs_drain3.py --out /tmp/mine-table.md --scale --scale-mib 1024
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _ga import grouping_accuracy  # noqa: E402
from _mine_scale import scale_report  # noqa: E402

SYSTEMS = ("HDFS", "Apache", "Linux", "OpenSSH", "Spark", "Zookeeper", "Proxifier", "HealthApp")
DEFAULT_DATA = Path("/work/shared/data/loghub")

# The masking list of Drain3's examples/drain3.ini, copied verbatim (its JSON text) from
# https://github.com/logpai/Drain3/blob/master/examples/drain3.ini
# Drain3: MIT License, Copyright (c) 2020-2022 International Business Machines and the
# Drain3 project contributors.
DRAIN3_EXAMPLE_MASKING = r"""[
          {"regex_pattern":"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "mask_with": "ID"},
          {"regex_pattern":"((?<=[^A-Za-z0-9])|^)(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})((?=[^A-Za-z0-9])|$)", "mask_with": "IP"},
          {"regex_pattern":"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "mask_with": "SEQ"},
          {"regex_pattern":"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "mask_with": "SEQ"},
          {"regex_pattern":"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "mask_with": "HEX"},
          {"regex_pattern":"((?<=[^A-Za-z0-9])|^)([\\-\\+]?\\d+)((?=[^A-Za-z0-9])|$)", "mask_with": "NUM"},
          {"regex_pattern":"(?<=executed cmd )(\".+?\")", "mask_with": "CMD"}
          ]"""  # noqa: E501
# ... and its [MASKING] and [DRAIN] settings ([SNAPSHOT] does not apply without persistence;
# [PROFILING] is left off: it prints a report and costs time)
DRAIN3_EXAMPLE_SETTINGS = {
    "mask_prefix": "<:",
    "mask_suffix": ":>",
    "drain_sim_th": 0.4,
    "drain_depth": 4,
    "drain_max_children": 100,
    "drain_max_clusters": 1024,
    "drain_extra_delimiters": ["_"],
}

Groups = Sequence[Hashable]


@dataclass(frozen=True)
class System:
    """One loghub system: its messages, their true event ids, and the raw lines (same order)."""

    name: str
    contents: list[str]
    truth: list[str]
    raw: list[str]


@dataclass
class Tool:
    """A column of the table: how it groups a list of lines, and which lines it reads."""

    key: str
    label: str
    short: str  # in the templates column's heading
    reads: str  # "contents" or "raw"
    run: Callable[[list[str]], Groups] | None
    missing: str = ""  # why ``run`` is None
    errors: dict[str, str] = field(default_factory=dict)  # system -> what went wrong


def load_system(data: Path, name: str) -> System:
    """The structured CSV (csv module, ``Content`` and ``EventId``) and the raw log of ``name``."""
    with (data / name / f"{name}_2k.log_structured.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    raw_text = (data / name / f"{name}_2k.log").read_text(encoding="utf-8", errors="replace")
    raw = raw_text.splitlines()  # CRLF and CR endings both occur in these files
    if len(raw) != len(rows):
        raise SystemExit(f"{name}: {len(raw)} raw lines but {len(rows)} labelled rows")
    return System(name, [r["Content"] for r in rows], [r["EventId"] for r in rows], raw)


# -- the tools -----------------------------------------------------------------------------


def drain3_tools() -> list[Tool]:
    """Drain3's default and its example configuration; a fresh miner for every run."""
    try:
        from drain3 import TemplateMiner
        from drain3.masking import MaskingInstruction
        from drain3.template_miner_config import TemplateMinerConfig
    except ImportError:
        raise SystemExit("drain3 is not installed: pip install drain3 (the bench extra)") from None

    def masked_config() -> Any:
        config = TemplateMinerConfig()
        for name, value in DRAIN3_EXAMPLE_SETTINGS.items():
            setattr(config, name, value)
        config.masking_instructions = [
            MaskingInstruction(m["regex_pattern"], m["mask_with"])
            for m in json.loads(DRAIN3_EXAMPLE_MASKING)
        ]
        return config

    def runner(make_config: Callable[[], Any]) -> Callable[[list[str]], Groups]:
        def run(lines: list[str]) -> Groups:
            miner = TemplateMiner(config=make_config())
            return [miner.add_log_message(line)["cluster_id"] for line in lines]

        return run

    return [
        Tool("drain3_default", "Drain3 default", "D3", "contents", runner(TemplateMinerConfig)),
        Tool("drain3_masked", "Drain3 masked", "D3 masked", "contents", runner(masked_config)),
    ]


def rxp_tools() -> list[Tool]:
    """rxp's miner on the messages and on the raw lines, or the reason it cannot run."""
    content = Tool("rxp_content", "rxp (content)", "rxp", "contents", None)
    raw = Tool("rxp_raw", "rxp (raw)", "rxp raw", "raw", None)
    try:
        from rxp import mine_lines
    except ImportError as exc:
        why = str(exc).split(" (")[0]  # without the module's path
        content.missing = raw.missing = f"`from rxp import mine_lines` failed ({why})"
        return [content, raw]

    def assignments(mining: Any, lines: list[str]) -> Groups:
        got = list(mining.assignments)
        if len(got) != len(lines):
            raise ValueError(f"{len(got)} assignments for {len(lines)} lines")
        return got

    content.run = lambda lines: assignments(mine_lines(lines), lines)
    params = inspect.signature(mine_lines).parameters
    takes_format = "format" in params or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
    )
    if takes_format:
        raw.run = lambda lines: assignments(mine_lines(lines, format="auto"), lines)
    else:
        raw.missing = "rxp.mine_lines has no format= keyword, so raw lines cannot be read"
    return [content, raw]


# -- measuring -----------------------------------------------------------------------------


@dataclass
class Result:
    """One tool on one input: its groups (from the first run) and every run's wall time."""

    groups: Groups
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(
    tools: list[Tool], inputs: dict[str, list[str]], repeat: int, where: str
) -> dict[str, Result]:
    """Run every runnable tool ``repeat`` times on its input, in turn within each round."""
    results: dict[str, Result] = {}
    for _ in range(repeat):
        for tool in tools:
            if tool.run is None or where in tool.errors:
                continue
            lines = inputs[tool.reads]
            start = time.perf_counter()
            try:
                groups = tool.run(lines)
            except Exception as exc:  # rxp's miner is new: report, keep the other columns
                tool.errors[where] = f"{type(exc).__name__}: {exc}"
                results.pop(tool.key, None)
                continue
            elapsed = time.perf_counter() - start
            if tool.key in results:
                results[tool.key].seconds.append(elapsed)
            else:
                results[tool.key] = Result(groups, [elapsed])
    return results


def _cell(result: Result | None, lines: int) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "seconds": [round(t, 6) for t in result.seconds],
        "median_s": round(result.median, 6),
        "lines_per_s": round(lines / result.median),
    }


def run_systems(
    data: Path, tools: list[Tool], repeat: int, systems: tuple[str, ...] = SYSTEMS
) -> list[dict[str, Any]]:
    """GA, template counts and times of every tool on every system."""
    rows = []
    for name in systems:
        system = load_system(data, name)
        print(f"  {name} ...", file=sys.stderr, flush=True)
        inputs = {"contents": system.contents, "raw": system.raw}
        results = measure(tools, inputs, repeat, name)
        cells: dict[str, Any] = {}
        for tool in tools:
            result = results.get(tool.key)
            cell = _cell(result, len(system.truth))
            if result is not None and cell is not None:
                cell["ga"] = round(grouping_accuracy(system.truth, result.groups), 4)
                cell["templates"] = len(set(result.groups))
            cells[tool.key] = cell
        rows.append(
            {
                "system": name,
                "lines": len(system.truth),
                "true_templates": len(set(system.truth)),
                "results": cells,
            }
        )
    return rows


def means(rows: list[dict[str, Any]], tools: list[Tool]) -> dict[str, Any]:
    """Mean GA over the systems (only when a tool has all of them) and overall lines/s."""
    out: dict[str, Any] = {}
    for tool in tools:
        cells = [row["results"][tool.key] for row in rows]
        if any(cell is None for cell in cells):
            out[tool.key] = None
            continue
        lines = sum(row["lines"] for row in rows)
        seconds = sum(cell["median_s"] for cell in cells)
        out[tool.key] = {
            "ga": round(statistics.mean(cell["ga"] for cell in cells), 4),
            "median_s": round(seconds, 6),
            "lines_per_s": round(lines / seconds),
        }
    return out


def run_concat(
    data: Path, tools: list[Tool], repeat: int, target: int, systems: tuple[str, ...] = SYSTEMS
) -> dict[str, Any]:
    """Every system's messages in one input, repeated to about ``target`` lines: one
    steady-state rate per tool (the 2k samples alone take milliseconds)."""
    one = [line for name in systems for line in load_system(data, name).contents]
    copies = max(1, round(target / len(one)))
    lines = one * copies
    print(f"  concatenation: {len(lines):,} lines ...", file=sys.stderr, flush=True)
    readers = [tool for tool in tools if tool.reads == "contents"]
    results = measure(readers, {"contents": lines}, repeat, "concatenation")
    return {
        "lines": len(lines),
        "copies": copies,
        "results": {t.key: _cell(results.get(t.key), len(lines)) for t in readers},
    }


# -- reporting -----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    from importlib.metadata import version

    import rxp

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cpus": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "drain3": version("drain3"),
        "rxp": rxp.__version__,
        "commit": commit or None,
    }


def _ga(cell: dict[str, Any] | None) -> str:
    return "—" if cell is None else f"{cell['ga']:.3f}"


def _rate(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return "—"
    return f"{cell['lines_per_s']:,} ({cell['median_s'] * 1000:,.1f} ms)"


def markdown(report: dict[str, Any], tools: list[Tool]) -> str:
    """The tables and notes, as docs/mine.md shows them."""
    m = report["machine"]
    out = [
        f"Measured {m['date']} on {m['cpu']} ({m['cpus']} CPUs), Python {m['python']}, "
        f"drain3 {m['drain3']}, rxp {m['rxp']} ({m['commit'] or 'no commit'}); wall time is "
        f"the median of {report['repeat']} runs, lines/s = lines / median. The mean row: the "
        "mean GA over the systems, and all their lines over the sum of the medians.",
        "",
    ]
    labels = [t.label for t in tools]
    head = ["System", "Lines", "Templates (true / " + " / ".join(t.short for t in tools) + ")"]
    head += [f"{label} GA" for label in labels] + [f"{label} lines/s (ms)" for label in labels]
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in report["systems"]:
        cells = [row["results"][t.key] for t in tools]
        counts = " / ".join(["—" if c is None else str(c["templates"]) for c in cells])
        line = [row["system"], f"{row['lines']:,}", f"{row['true_templates']} / {counts}"]
        line += [_ga(c) for c in cells] + [_rate(c) for c in cells]
        out.append("| " + " | ".join(line) + " |")
    mean = [report["mean"][t.key] for t in tools]
    lines = sum(row["lines"] for row in report["systems"])
    total = ["**Mean**", f"{lines:,}", "", *map(_ga, mean), *map(_rate, mean)]
    out.append("| " + " | ".join(total) + " |")
    concat = report["concat"]
    readers = [t for t in tools if t.reads == "contents"]
    out += [
        "",
        f"The 8 systems' messages concatenated ({concat['lines'] // concat['copies']:,} lines) "
        f"and repeated {concat['copies']} times, so the rates are steady:",
        "",
        "| Input | Lines | " + " | ".join(f"{t.label} lines/s (ms)" for t in readers) + " |",
        "|" + "---|" * (2 + len(readers)),
        f"| 8 systems' Content x{concat['copies']} | {concat['lines']:,} | "
        + " | ".join(_rate(concat["results"][t.key]) for t in readers)
        + " |",
        "",
        verdict(concat),
    ]
    notes = [f"- {t.label}: not measured: {t.missing}." for t in tools if t.missing]
    for tool in tools:
        notes += [f"- {tool.label} on {where}: failed: {err}" for where, err in tool.errors.items()]
    if notes:
        out += ["", *notes]
    if report.get("scale"):
        out += ["", report["scale"]["markdown"]]
    return "\n".join(out) + "\n"


def verdict(concat: dict[str, Any]) -> str:
    """The issue's speed target: rxp at least Drain3's lines/s on the concatenation."""
    rxp = concat["results"].get("rxp_content")
    drains = [concat["results"][k] for k in ("drain3_default", "drain3_masked")]
    if rxp is None:
        return "Target (rxp >= Drain3's lines/s on the concatenation): not measured, rxp missing."
    fastest = max((d["lines_per_s"] for d in drains if d is not None), default=0)
    if not fastest:
        return "Target (rxp >= Drain3's lines/s on the concatenation): Drain3 not measured."
    ratio = rxp["lines_per_s"] / fastest
    return (
        f"Target (rxp >= the faster Drain3's lines/s on the concatenation): "
        f"{'met' if ratio >= 1 else 'NOT met'} (x{ratio:.2f})."
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the loghub 2k folder")
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool and input (median)")
    ap.add_argument("--concat-lines", type=int, default=200_000, help="size of the concatenation")
    ap.add_argument("--json", action="store_true", help="one JSON document instead of markdown")
    ap.add_argument("--out", type=Path, help="also write the markdown to this file")
    ap.add_argument("--scale", action="store_true", help="also time rxp on 1x/4x/16x a journal")
    ap.add_argument("--scale-mib", type=int, default=4, help="the 1x journal size (issue: 1024)")
    ap.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help="comma-separated loghub systems under --data (default: the 8 shipped in ../shared)",
    )
    args = ap.parse_args(argv)
    systems = tuple(s for s in args.systems.split(",") if s)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    for name in systems:
        if not (args.data / name / f"{name}_2k.log_structured.csv").is_file():
            ap.error(f"no {name}/{name}_2k.log_structured.csv under {args.data}")
    tools = drain3_tools() + rxp_tools()
    for tool in tools:
        if tool.missing:
            print(f"{tool.label}: not measured: {tool.missing}", file=sys.stderr)
    report: dict[str, Any] = {"machine": machine(), "repeat": args.repeat}
    report["tools"] = {t.key: {"label": t.label, "reads": t.reads} for t in tools}
    report["systems"] = run_systems(args.data, tools, args.repeat, systems)
    report["mean"] = means(report["systems"], tools)
    report["concat"] = run_concat(args.data, tools, args.repeat, args.concat_lines, systems)
    report["scale"] = scale_report(args.scale_mib) if args.scale else None
    for tool in tools:  # after the runs: errors are found while running
        report["tools"][tool.key].update(missing=tool.missing or None, errors=tool.errors)
    text = markdown(report, tools)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
