"""Grok ``%{COMBINEDAPACHELOG}`` on Apache combined log lines: rxp side by side with pygrok.

Both read the same generated lines (seeded: clients v4 and v6, users, methods, paths with
queries, statuses, sizes or ``-``, referrers, user agents) with the same definitions:
pygrok is given rxp's library (logstash-patterns-core's legacy files, ``grammars/grok/``)
as its custom patterns, so both expand COMBINEDAPACHELOG from the same text. rxp is timed
as ``rxp parse --grok`` runs it per line (``rxp.parse_line``'s parser: one search, the
record built from the groups), pygrok as ``Grok.match``. Each tool runs ``--runs`` times in
alternation; the medians and their ratio are printed. Before timing, the fields of both are
compared on every line (pygrok's ``None`` for a group that did not take part is the absent
key of rxp's record).

    pip install pygrok                                  # the bench extra
    python benchmarks/grok_vs_pygrok.py                 # 50,000 lines, 5 runs each
    python benchmarks/grok_vs_pygrok.py --lines 200000 --runs 7
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable

from rxp import parse_lines
from rxp._logparse._grok import grok_parser
from rxp._syntax._grok import library

EXPRESSION = "%{COMBINEDAPACHELOG}"

_METHODS = ("GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD")
_PATHS = ("/", "/index.html", "/api/v1/items", "/static/app.js", "/img/logo.png", "/search")
_AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "curl/8.4.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def apache_lines(count: int, seed: int = 16) -> list[str]:
    """``count`` Apache combined log lines, the same for a given seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        if rng.random() < 0.1:
            client = ":".join(f"{rng.randrange(65536):x}" for _ in range(8))
        else:
            client = ".".join(str(rng.randrange(1, 255)) for _ in range(4))
        user = rng.choice(("-", "-", "frank", "alice@example.com"))
        when = (
            f"{rng.randrange(1, 29):02d}/{rng.choice(_MONTHS)}/20{rng.randrange(10, 27)}:"
            f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} "
            f"{rng.choice(('+0000', '-0700', '+0530'))}"
        )
        path = rng.choice(_PATHS)
        if rng.random() < 0.3:
            path += f"?q={rng.randrange(10**6)}&page={rng.randrange(1, 9)}"
        request = f"{rng.choice(_METHODS)} {path} HTTP/1.{rng.randrange(2)}"
        status = rng.choice((200, 200, 200, 301, 304, 404, 500))
        size = "-" if rng.random() < 0.1 else str(rng.randrange(50, 10**6))
        referrer = rng.choice(('"-"', '"https://example.com/"', '"http://www.perdu.com/a?b=c"'))
        out.append(
            f'{client} - {user} [{when}] "{request}" {status} {size} {referrer} '
            f'"{rng.choice(_AGENTS)}"'
        )
    return out


def _timed(run: Callable[[str], object], lines: list[str]) -> float:
    start = time.perf_counter()
    for line in lines:
        run(line)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        import pygrok
    except ImportError:
        print("pygrok is not installed (pip install pygrok)", file=sys.stderr)
        return 2

    lines = apache_lines(args.lines)
    rxp_parse = grok_parser(EXPRESSION)
    peer = pygrok.Grok(EXPRESSION, custom_patterns=dict(library()))

    for line in lines:  # the same fields, or the timing compares different work
        ours, _ = rxp_parse(line)
        theirs = {k: v for k, v in (peer.match(line) or {}).items() if v is not None}
        if ours != theirs:
            print(f"fields differ on {line!r}:\n  rxp    {ours}\n  pygrok {theirs}")
            return 1

    def rxp_run(lines: list[str]) -> float:
        """As `rxp parse --grok` reads: every record, the per-line budget's alarm held for
        the run (outside a run, each call would install it afresh)."""
        start = time.perf_counter()
        for _ in parse_lines(lines, format="grok", options={"pattern": EXPRESSION}):
            pass
        return time.perf_counter() - start

    rxp_times: list[float] = []
    peer_times: list[float] = []
    for _ in range(args.runs):
        rxp_times.append(rxp_run(lines))
        peer_times.append(_timed(peer.match, lines))
    ours_s = statistics.median(rxp_times)
    theirs_s = statistics.median(peer_times)
    n = len(lines)
    print(f"grok {EXPRESSION} on {n:,} Apache combined lines, median of {args.runs} runs")
    print(f"  rxp     {ours_s:7.3f} s  {n / ours_s:>10,.0f} lines/s")
    print(f"  pygrok  {theirs_s:7.3f} s  {n / theirs_s:>10,.0f} lines/s")
    print(f"  rxp is {theirs_s / ours_s:.2f}x pygrok's speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
