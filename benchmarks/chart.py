"""SVG bar charts from Go-format benchmark results, with interval whiskers (no plotting
library needed).

    python benchmarks/chart.py results.txt --bench '^BenchmarkStream/' --unit MB/s \\
        --group pattern --title "rxp stream, 64 MiB journal" -o docs/img/stream.svg

Names like ``BenchmarkStream/backend=thread/workers=2/pattern=no-literal`` are split into
``key=value`` parts; ``--group`` picks the key whose values make the groups of bars, the
remaining parts label the bars. Each bar is the median of its samples and its whisker the
95 % confidence interval of that median (benchstat's, ``rxp._bench._benchmath.summarize``;
fewer than 6 samples have no bounded interval and the whisker runs to the edge).

The concurrency study's chart, speed relative to ``sync`` for a quiet and a loaded run:

    python benchmarks/chart.py --study stream QUIET.txt LOADED.txt -o study-stream.svg

Each bar is the ratio of medians, its whisker the bootstrap interval of the ratio, the
dashed line is ``sync`` (1x); ``~`` marks a difference that is not significant (p >= 0.05).
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import _study_doc
from _study_files import read_run
from _study_stats import SUITES, Comparison
from rxp._bench import parse
from rxp._bench._benchmath import summarize
from rxp._bench._gofmt import ParsedResult

COLOURS = {
    "sync": "#6b7280",
    "thread": "#2563eb",
    "asyncio": "#16a34a",
    "asyncio-streams": "#65a30d",
    "process": "#dc2626",
}
FALLBACK = ("#7c3aed", "#0891b2", "#ca8a04", "#db2777")


@dataclass(frozen=True, slots=True)
class Bar:
    group: str
    label: str
    colour_key: str
    median: float
    low: float
    high: float
    light: bool = False  # drawn paler (the loaded run next to the quiet one)
    mark: str = ""  # after the value, e.g. "~" for not significant


def _parts(name: str) -> dict[str, str]:
    name = re.sub(r"-\d+$", "", name)
    parts = {}
    for part in name.split("/")[1:]:
        key, eq, value = part.partition("=")
        parts[key if eq else part] = value if eq else part
    return parts


def bars(results: Sequence[ParsedResult], pattern: str, unit: str, group: str) -> list[Bar]:
    """One bar per benchmark matching ``pattern``: median and 95 % CI of its ``unit``."""
    rx = re.compile(pattern)
    samples: dict[str, list[float]] = {}
    for result in results:
        if rx.search(result.full_name):
            for value, u in result.values:
                if u == unit:
                    samples.setdefault(result.full_name, []).append(value)
    out = []
    for name, values in samples.items():
        parts = _parts(name)
        label = " ".join(f"{k}={v}" if k != v else k for k, v in parts.items() if k != group)
        colour_key = next(iter(parts.values()), "") if parts else ""
        s = summarize(values)
        out.append(Bar(parts.get(group, ""), label, colour_key, s.center, s.lo, s.hi))
    return out


def study_bars(runs: Sequence[tuple[str, Sequence[Comparison]]]) -> list[Bar]:
    """Bars of the study: for each group and case, one bar per run (``(label,
    comparisons)``, quiet first), the ratio to ``sync`` with its bootstrap interval."""
    order: dict[tuple[str, str], list[Bar]] = {}
    for i, (run_label, comparisons) in enumerate(runs):
        for c in comparisons:
            order.setdefault((c.case.group, c.case.label), []).append(
                Bar(
                    c.case.group,
                    f"{c.case.label} · {run_label}",
                    c.case.label.split("/")[0],
                    c.ratio,
                    c.ratio_lo,
                    c.ratio_hi,
                    light=i > 0,
                    mark="" if c.significant else " ~",
                )
            )
    return [bar for members in order.values() for bar in members]


def render(
    items: Sequence[Bar],
    *,
    unit: str,
    title: str,
    note: str = "",
    reference: float | None = None,
    reference_label: str = "",
    caption: str = "median of rounds, whisker: 95% CI of the median",
    suffix: str = "",
) -> str:
    """A horizontal grouped bar chart as an SVG document."""
    width, label_w, row_h, gap, top = 920, 250, 18, 14, 56
    plot_w = width - label_w - 90
    finite = [v for b in items for v in (b.median, b.high) if math.isfinite(v)]
    top_value = max([*finite, reference or 0.0], default=1.0) or 1.0

    def x(value: float) -> float:
        value = (
            min(max(value, 0.0), top_value)
            if math.isfinite(value)
            else (top_value if value > 0 else 0.0)
        )
        return label_w + plot_w * value / top_value

    groups: dict[str, list[Bar]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    height = top + sum(len(g) * row_h + gap + 20 for g in groups.values()) + 40
    palette: dict[str, str] = {}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="12" y="24" font-size="16" font-weight="bold">{escape(title)}</text>',
        f'<text x="12" y="44" fill="#444">{escape(unit)}, {escape(caption)}'
        f"{escape(' — ' + note if note else '')}</text>",
    ]
    y = top
    for group, members in groups.items():
        out.append(f'<text x="12" y="{y + 12}" font-weight="bold">{escape(group)}</text>')
        y += 20
        for item in members:
            colour = COLOURS.get(item.colour_key) or palette.setdefault(
                item.colour_key, FALLBACK[len(palette) % len(FALLBACK)]
            )
            end, lo, hi = x(item.median), x(item.low), x(item.high)
            mid = y + row_h / 2
            opacity = ' fill-opacity="0.4"' if item.light else ""
            out += [
                f'<text x="{label_w - 8}" y="{mid + 4}" text-anchor="end">'
                f"{escape(item.label)}</text>",
                f'<rect x="{label_w}" y="{y + 2}" width="{end - label_w:.1f}" '
                f'height="{row_h - 4}" fill="{colour}"{opacity}/>',
                f'<line class="whisker" x1="{lo:.1f}" x2="{hi:.1f}" y1="{mid}" y2="{mid}" '
                f'stroke="#111" stroke-width="1.2"/>',
                f'<line x1="{lo:.1f}" x2="{lo:.1f}" y1="{mid - 4}" y2="{mid + 4}" stroke="#111"/>',
                f'<line x1="{hi:.1f}" x2="{hi:.1f}" y1="{mid - 4}" y2="{mid + 4}" stroke="#111"/>',
                f'<text x="{max(end, hi) + 4:.1f}" y="{mid + 4}" stroke="white" '
                f'stroke-width="3" paint-order="stroke">'
                f"{item.median:.3g}{escape(suffix + item.mark)}</text>",
            ]
            y += row_h
        y += gap
    if reference is not None:
        rx = x(reference)
        out += [
            f'<line x1="{rx:.1f}" x2="{rx:.1f}" y1="{top}" y2="{y}" stroke="#111" '
            f'stroke-dasharray="4 3"/>',
            f'<text x="{rx:.1f}" y="{y + 14}" text-anchor="middle">'
            f"{escape(reference_label)}</text>",
        ]
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_study(title: str, runs: Sequence[tuple[str, Sequence[Comparison]]]) -> str:
    """The study's chart: speed relative to ``sync``, one bar per run and case."""
    return render(
        study_bars(runs),
        unit="speed relative to sync (>1: faster)",
        title=title,
        reference=1.0,
        reference_label="sync = 1",
        caption="ratio of medians, whisker: 95% bootstrap CI; ~: not significant (p >= 0.05)",
        note="pale bar: loaded run",
        suffix="×",
    )


def _study_main(suite_key: str, paths: Sequence[Path], output: Path | None) -> int:
    suite = SUITES[suite_key]
    runs: list[tuple[str, Sequence[Comparison]]] = []
    for path in paths:
        file = read_run(path)
        if file is None:
            print(f"chart.py: {path} is not named as a study results file", file=sys.stderr)
            return 1
        runs.append((file.load, _study_doc.read(file, suite).comparisons))
    svg = render_study(suite.title, runs)
    _write(svg, output)
    return 0


def _write(svg: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(svg)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(svg, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("results", nargs="+", type=Path, help="Go-format result files")
    ap.add_argument("--bench", default=".", help="regex on the full benchmark name")
    ap.add_argument("--unit", default="ns/op", help="which unit to plot (MB/s, req/s, ...)")
    ap.add_argument("--group", default="pattern", help="name key whose values group the bars")
    ap.add_argument("--title", default="rxp bench")
    ap.add_argument("--note", default="", help="a caption after the unit line")
    ap.add_argument("--study", choices=("stream", "fetch"), help="the study chart of SUITE")
    ap.add_argument("-o", "--output", type=Path, help="SVG file to write (default: stdout)")
    args = ap.parse_args(argv)
    if args.study:
        return _study_main(args.study, args.results, args.output)
    results: list[ParsedResult] = []
    for path in args.results:
        lines = path.read_text(encoding="utf-8").splitlines()
        results += [r for r in parse(lines) if isinstance(r, ParsedResult)]
    items = bars(results, args.bench, args.unit, args.group)
    if not items:
        print(f"chart.py: no {args.unit} results match {args.bench!r}", file=sys.stderr)
        return 1
    _write(render(items, unit=args.unit, title=args.title, note=args.note), args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
