"""An SVG bar chart from Go-format benchmark results (no plotting library needed).

    python benchmarks/chart.py results.txt --bench '^BenchmarkStream/' --unit MB/s \\
        --group pattern --title "rxp stream, 64 MiB journal" -o docs/img/stream.svg

Names like ``BenchmarkStream/backend=thread/workers=2/pattern=no-literal`` are split into
``key=value`` parts; ``--group`` picks the key whose values make the groups of bars, the
remaining parts label the bars. Each bar is the median over the ``--count`` rounds; the thin
line across it spans the minimum to the maximum round.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from rxp._bench import parse
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


def _parts(name: str) -> dict[str, str]:
    name = re.sub(r"-\d+$", "", name)
    parts = {}
    for part in name.split("/")[1:]:
        key, eq, value = part.partition("=")
        parts[key if eq else part] = value if eq else part
    return parts


def bars(results: Sequence[ParsedResult], pattern: str, unit: str, group: str) -> list[Bar]:
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
        out.append(
            Bar(
                group=parts.get(group, ""),
                label=label,
                colour_key=colour_key,
                median=statistics.median(values),
                low=min(values),
                high=max(values),
            )
        )
    return out


def render(items: Sequence[Bar], *, unit: str, title: str, note: str = "") -> str:
    """A horizontal grouped bar chart as an SVG document."""
    width, label_w, row_h, gap, top = 920, 250, 18, 14, 56
    plot_w = width - label_w - 90
    top_value = max((b.high for b in items), default=1.0) or 1.0
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
        f'<text x="12" y="44" fill="#444">{escape(unit)}, median of rounds '
        f"(line: min to max){escape(' — ' + note if note else '')}</text>",
    ]
    y = top
    for group, members in groups.items():
        out.append(f'<text x="12" y="{y + 12}" font-weight="bold">{escape(group)}</text>')
        y += 20
        for item in members:
            colour = COLOURS.get(item.colour_key) or palette.setdefault(
                item.colour_key, FALLBACK[len(palette) % len(FALLBACK)]
            )
            length = plot_w * item.median / top_value
            lo = label_w + plot_w * item.low / top_value
            hi = label_w + plot_w * item.high / top_value
            mid = y + row_h / 2
            out += [
                f'<text x="{label_w - 8}" y="{mid + 4}" text-anchor="end">'
                f"{escape(item.label)}</text>",
                f'<rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{row_h - 4}" '
                f'fill="{colour}"/>',
                f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{mid}" y2="{mid}" stroke="#111" '
                f'stroke-opacity="0.45" stroke-width="1"/>',
                f'<text x="{label_w + length + 4:.1f}" y="{mid + 4}" stroke="white" '
                f'stroke-width="3" paint-order="stroke">{item.median:.4g}</text>',
            ]
            y += row_h
        y += gap
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("results", nargs="+", type=Path, help="Go-format result files")
    ap.add_argument("--bench", default=".", help="regex on the full benchmark name")
    ap.add_argument("--unit", default="ns/op", help="which unit to plot (MB/s, req/s, ...)")
    ap.add_argument("--group", default="pattern", help="name key whose values group the bars")
    ap.add_argument("--title", default="rxp bench")
    ap.add_argument("--note", default="", help="a caption after the unit line")
    ap.add_argument("-o", "--output", type=Path, help="SVG file to write (default: stdout)")
    args = ap.parse_args(argv)
    results: list[ParsedResult] = []
    for path in args.results:
        lines = path.read_text(encoding="utf-8").splitlines()
        results += [r for r in parse(lines) if isinstance(r, ParsedResult)]
    items = bars(results, args.bench, args.unit, args.group)
    if not items:
        print(f"chart.py: no {args.unit} results match {args.bench!r}", file=sys.stderr)
        return 1
    svg = render(items, unit=args.unit, title=args.title, note=args.note)
    if args.output is None:
        sys.stdout.write(svg)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(svg, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
