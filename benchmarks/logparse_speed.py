"""Throughput of ``rxp parse``, each figure next to its baseline, measured in the same run.

    .venv/bin/python benchmarks/logparse_speed.py [--lines 200000] [--repeat 5]
        [--journal-mib 1024] [--journal-runs 3] [--skip-journal]

(a) **Mixed lines, ``--format auto``.** ``--lines`` lines drawn (seeded) from every format
family rxp reads: journald short-iso (plain, logfmt and JSON messages), syslog RFC 3164 and
5424, logfmt, JSON, klog, CEF, Apache/nginx combined access, AWS ALB, VPC flow, sshd auth
lines, glog, ``key=value`` with brackets, nested values, plain text. Three ways to read
them, interleaved so machine noise hits them alike, medians of ``--repeat`` runs, one core:

- ``rxp auto``: ``rxp.parse_lines(lines, format="auto")``, every record;
- ``rxp auto + JSON out``: the same plus the JSON Lines encoding ``rxp parse`` writes
  (its encoder: orjson, ``json`` where orjson declines);
- ``naive baseline``: per line, one prefix test, then one ``json.loads`` or one compiled
  regex (``re.match``) of the family the prefix suggests, ``groupdict()`` as the record:
  the least a parser can do, and nothing for structure inside messages.

Targets (issue 16): ``rxp auto`` >= 50,000 lines/s per core and >= 2x the baseline.

(b) **A 1 GiB journal with ``--workers 2`` against one worker**: ``rxp parse`` as a user
runs it (``python -m rxp parse FILE > /dev/null``), medians of ``--journal-runs`` runs,
wall time and peak RSS of the whole process tree (the parent and its workers, from
``wait4``/``getrusage``). The journal is ``benchmarks/_corpus.py``'s cached short-iso one
(``RXP_BENCH_CACHE`` picks the cache folder). Target: >= 1.6x with 2 workers, memory flat
(peak RSS independent of the file's size). Needs two idle cores to mean anything.

(c) **Grok**: when ``benchmarks/grok_vs_pygrok.py`` exists (the grok work), it runs last,
with its own figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rxp import parse_lines

HERE = Path(__file__).resolve().parent

# --- (a) the mixed corpus ----------------------------------------------------------------

_HOSTS = ["web1", "db-2", "cache03", "edge-fra1"]
_USERS = ["root", "alice", "bob", "deploy"]
_PATHS = ["/", "/api/v1/users", "/static/app.js", "/login?next=%2Fhome", "/healthz"]
_AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
    "curl/8.4.0",
    "Go-http-client/1.1",
]


def _ip(rng: random.Random) -> str:
    return ".".join(str(rng.randint(1, 254)) for _ in range(4))


def _families(rng: random.Random) -> list[Callable[[], str]]:
    """One line maker per format family."""

    def short_iso() -> str:
        return (
            f"2024-01-15T10:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}+0000 "
            f"{rng.choice(_HOSTS)} systemd[1]: Started Session {rng.randint(1, 9999)} of user "
            f"{rng.choice(_USERS)}."
        )

    def journal_logfmt() -> str:
        return (
            f"2024-01-15T10:00:{rng.randint(0, 59):02d}+0000 {rng.choice(_HOSTS)} "
            f'app[{rng.randint(100, 999)}]: level=info msg="request done" '
            f"status={rng.choice([200, 404, 500])} dur_ms={rng.randint(1, 900)}"
        )

    def journal_json() -> str:
        body = {"level": "warn", "msg": "slow query", "ms": rng.randint(100, 5000)}
        return f"2024-01-15T10:00:00+0000 {rng.choice(_HOSTS)} api[7]: {json.dumps(body)}"

    def rfc3164() -> str:
        return (
            f"<{rng.randint(0, 191)}>Jan 15 10:00:{rng.randint(0, 59):02d} "
            f"{rng.choice(_HOSTS)} cron[{rng.randint(100, 999)}]: (root) CMD (run-parts)"
        )

    def rfc5424() -> str:
        return (
            f"<165>1 2024-01-15T10:00:00.{rng.randint(0, 999):03d}Z {rng.choice(_HOSTS)} "
            f'evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="App"] An application event'
        )

    def logfmt() -> str:
        return (
            f"ts=2024-01-15T10:00:00Z level={rng.choice(['info', 'debug', 'error'])} "
            f'user={rng.choice(_USERS)} msg="cache miss" key=k{rng.randint(0, 99999)}'
        )

    def json_line() -> str:
        return json.dumps(
            {
                "ts": "2024-01-15T10:00:00Z",
                "level": "info",
                "user": rng.choice(_USERS),
                "req": {"path": rng.choice(_PATHS), "status": 200},
            }
        )

    def klog() -> str:
        return (
            f"I0115 10:00:{rng.randint(0, 59):02d}.{rng.randint(0, 999999):06d}    "
            f"{rng.randint(1, 99)} reflector.go:{rng.randint(1, 999)}] Listing and watching "
            "*v1.Pod from k8s.io/client-go"
        )

    def cef() -> str:
        return (
            "CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|"
            f"src={_ip(rng)} dst={_ip(rng)} spt={rng.randint(1, 65535)}"
        )

    def access() -> str:
        return (
            f"{_ip(rng)} - {rng.choice(['-', 'frank'])} [15/Jan/2024:10:00:00 +0000] "
            f'"GET {rng.choice(_PATHS)} HTTP/1.1" {rng.choice([200, 304, 404])} '
            f'{rng.randint(0, 99999)} "https://example.com/" "{rng.choice(_AGENTS)}"'
        )

    def alb() -> str:
        return (
            f"http 2024-01-15T10:00:00.000000Z app/my-lb/50dc6c495c0c9188 {_ip(rng)}:2817 "
            f"10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "
            f'"GET http://www.example.com:80{rng.choice(_PATHS)} HTTP/1.1" "curl/7.46.0" - - '
            "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "  # noqa: E501
            '"Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2024-01-15T10:00:00.000000Z '
            '"forward" "-" "-" "10.0.0.1:80" "200" "-" "-"'
        )

    def vpc_flow() -> str:
        return (
            f"2 123456789010 eni-1235b8ca123456789 {_ip(rng)} {_ip(rng)} "
            f"{rng.randint(1, 65535)} 443 6 {rng.randint(1, 99)} {rng.randint(40, 99999)} "
            f"1705312800 1705312860 {rng.choice(['ACCEPT', 'REJECT'])} OK"
        )

    def sshd() -> str:
        return (
            f"Jan 15 10:00:{rng.randint(0, 59):02d} {rng.choice(_HOSTS)} "
            f"sshd[{rng.randint(1000, 9999)}]: Failed password for invalid user "
            f"{rng.choice(_USERS)} from {_ip(rng)} port {rng.randint(1024, 65535)} ssh2"
        )

    def glog() -> str:
        return (
            f"E0115 10:00:00.{rng.randint(0, 999999):06d} {rng.randint(1, 99999)} "
            f"server.cc:{rng.randint(1, 999)}] connection reset by peer"
        )

    def kernel_kv() -> str:
        return (
            f"[UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:00:00:01 SRC={_ip(rng)} DST={_ip(rng)} "
            f"LEN=60 PROTO=TCP SPT={rng.randint(1, 65535)} DPT=22"
        )

    def nested() -> str:
        return f"User{{id={rng.randint(1, 999)}, name=bob, roles=[admin, dev], meta={{a=1}}}}"

    def text() -> str:
        return f"plain message number {rng.randint(0, 10**6)} with nothing structured"

    return [
        short_iso, journal_logfmt, journal_json, rfc3164, rfc5424, logfmt, json_line, klog,
        cef, access, alb, vpc_flow, sshd, glog, kernel_kv, nested, text,
    ]  # fmt: skip


def mixed_lines(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    makers = _families(rng)
    return [rng.choice(makers)() for _ in range(count)]


# --- the naive baseline: one prefix test, then one json.loads or one regex ----------------

_SYSLOG = re.compile(
    r"<(?P<pri>\d+)>(?:1 (?P<ts>\S+) (?P<host>\S+) (?P<app>\S+) \S+ \S+ (?P<msg>.*)"
    r"|(?P<ts3>\w{3} +\d+ [\d:]+) (?P<host3>\S+) (?P<tag>[^:]+): (?P<msg3>.*))"
)
_JOURNAL = re.compile(
    r"(?P<ts>\S+) (?P<host>\S+) (?P<ident>[^\[:]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)"
)
_KLOG = re.compile(
    r"(?P<lvl>[IWEF])(?P<ts>\d{4} [\d:.]+) +(?P<tid>\d+) (?P<file>[^:]+):(?P<line>\d+)\] (?P<msg>.*)"  # noqa: E501
)
_CEF = re.compile(
    r"CEF:(?P<v>\d+)\|(?P<vendor>[^|]*)\|(?P<product>[^|]*)\|(?P<ver>[^|]*)\|(?P<sig>[^|]*)\|(?P<name>[^|]*)\|(?P<sev>[^|]*)\|(?P<ext>.*)"
)
_ACCESS = re.compile(
    r'(?P<host>\S+) \S+ (?P<user>\S+) \[(?P<ts>[^\]]+)\] "(?P<req>[^"]*)" (?P<status>\d+) (?P<size>\S+)(?: "(?P<ref>[^"]*)" "(?P<agent>[^"]*)")?'  # noqa: E501
)
_KV = re.compile(r'(\w+)=("[^"]*"|\S*)')
_WORDS = re.compile(r"(?P<first>\S+) (?P<rest>.*)")


def naive(line: str) -> dict[str, object]:
    first = line[:1]
    if first == "{":
        try:
            value = json.loads(line)
        except ValueError:
            return {"message": line}
        return value if isinstance(value, dict) else {"json": value}
    if first == "<":
        m = _SYSLOG.match(line)
    elif line.startswith("CEF:"):
        m = _CEF.match(line)
    elif first in "IWEF" and line[1:2].isdigit():
        m = _KLOG.match(line)
    elif first.isdigit() and line[4:5] == "-":
        m = _JOURNAL.match(line)
    elif first.isdigit() and line[1:2] in ".0123456789":
        m = _ACCESS.match(line)
    elif "=" in line:
        return dict(_KV.findall(line))
    else:
        m = _WORDS.match(line)
    return m.groupdict() if m is not None else {"message": line}


def _naive(lines: list[str]) -> int:
    n = 0
    for line in lines:
        naive(line)
        n += 1
    return n


def _auto(lines: list[str]) -> int:
    n = 0
    for _ in parse_lines(lines, format="auto"):
        n += 1
    return n


def _auto_json(lines: list[str]) -> int:
    from rxp._logparse._jsonl import encoder

    encode = encoder()  # what `rxp parse` writes each record with
    n = 0
    for record in parse_lines(lines, format="auto"):
        encode(record)
        n += 1
    return n


def mixed(count: int, repeat: int) -> None:
    lines = mixed_lines(count)
    cases: dict[str, Callable[[list[str]], int]] = {
        "rxp auto": _auto,
        "rxp auto + JSON out": _auto_json,
        "naive baseline": _naive,
    }
    for fn in cases.values():  # warm caches (grammar tables, regexes)
        fn(lines[:2000])
    rates: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            start = time.perf_counter()
            done = fn(lines)
            rates[name].append(done / (time.perf_counter() - start))
    formats: dict[str, int] = {}
    for record in parse_lines(lines, format="auto"):
        key = str(record["_format"])
        formats[key] = formats.get(key, 0) + 1
    print(f"(a) mixed lines, every family: {len(lines):,} lines, median of {repeat}, one core")
    print("    formats chosen: " + ", ".join(f"{k} {v:,}" for k, v in sorted(formats.items())))
    base = statistics.median(rates["naive baseline"])
    for name, values in rates.items():
        med = statistics.median(values)
        print(f"    {name:<22} {med:>10,.0f} lines/s   x{med / base:4.2f} vs naive")
    auto = statistics.median(rates["rxp auto"])
    print(
        f"    target >= 50,000 lines/s per core: {'met' if auto >= 50_000 else 'NOT met'}; "
        f">= 2x naive: {'met' if auto >= 2 * base else 'NOT met'} (x{auto / base:.2f})"
    )
    print("    per family (2,000 lines each, one run): rxp auto / naive, lines/s")
    rng = random.Random(1)
    for maker in _families(rng):
        sample = [maker() for _ in range(2000)]
        fast = 2000 / _timed(_auto, sample)
        slow = 2000 / _timed(_naive, sample)
        print(f"      {maker.__name__:<16} {fast:>10,.0f} {slow:>10,.0f}")


def _timed(fn: Callable[[list[str]], int], lines: list[str]) -> float:
    start = time.perf_counter()
    fn(lines)
    return time.perf_counter() - start


# --- (b) the journal with --workers -----------------------------------------------------


def _run_tree(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of ``argv`` and every process it waited for."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(HERE.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    # Linux: a waited-for child's ru_maxrss is the largest of it and the children it
    # reaped (its workers), so this is the largest single process of the tree
    return elapsed, usage.ru_maxrss


def journal(mib: int, runs: int) -> None:
    sys.path.insert(0, str(HERE))
    from _corpus import journal as cached_journal

    path = cached_journal("short-iso", mib)
    size = path.stat().st_size
    base = [sys.executable, "-m", "rxp", "parse", "-q", str(path)]
    cases = {"1 worker": base, "--workers 2": [*base, "--workers", "2"]}
    times: dict[str, list[float]] = {name: [] for name in cases}
    peaks: dict[str, int] = {name: 0 for name in cases}
    for _ in range(runs):
        for name, argv in cases.items():
            elapsed, peak = _run_tree(argv)
            times[name].append(elapsed)
            peaks[name] = max(peaks[name], peak)
    print(f"(b) journal {size / 2**20:,.0f} MiB ({path.name}), median of {runs} runs, wall time")
    one = statistics.median(times["1 worker"])
    for name in cases:
        med = statistics.median(times[name])
        print(
            f"    {name:<12} {med:8.1f} s  {size / 2**20 / med:7.1f} MiB/s  x{one / med:4.2f}  "
            f"peak RSS {peaks[name] / 1024:7.1f} MiB (largest process)"
        )
    two = one / statistics.median(times["--workers 2"])
    print(f"    target >= 1.6x with 2 workers: {'met' if two >= 1.6 else 'NOT met'} (x{two:.2f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--journal-mib", type=int, default=1024)
    ap.add_argument("--journal-runs", type=int, default=3)
    ap.add_argument("--skip-journal", action="store_true")
    args = ap.parse_args()
    mixed(args.lines, args.repeat)
    if not args.skip_journal:
        journal(args.journal_mib, args.journal_runs)
    grok = HERE / "grok_vs_pygrok.py"
    if grok.exists():  # the grok comparison, when that work has landed
        print("(c) grok vs pygrok (benchmarks/grok_vs_pygrok.py)")
        sys.stdout.flush()
        subprocess.run([sys.executable, str(grok)], check=False)


if __name__ == "__main__":
    main()
