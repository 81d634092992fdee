"""Run the concurrency study of docs/concurrency.md; one command per run:

    python benchmarks/study.py            # the quiet run (nothing else running)
    python benchmarks/study.py --load     # the loaded run: the study keeps one core busy

Each run measures the two suites, ``bench_stream.py`` (CPU-bound: sync, thread, asyncio and
process scanning a journal, per pattern class, counting and extracting) and
``bench_fetch.py`` (I/O-bound: the same four models fetching 50 slow URLs), in *rounds*: a
round is one ``rxp bench`` run over every case still open, so the rounds of all cases are
interleaved in time and a burst of load from elsewhere touches many cases a little rather
than one case entirely. A case stays open until it differs from ``sync`` at p < 0.05
(Mann-Whitney, as benchstat) after at least 6 rounds, or reaches ``--max-rounds``, or the
run's ``--budget`` is spent (see ``_study_stats``). Results go to a *new* file per suite in
``docs/concurrency/results/`` (``DATE-MACHINE-quiet-stream.txt``...; see ``_study_files``),
never over earlier data. Then the charts are drawn (``chart.py``) and the part of
``docs/concurrency.md`` between the study markers is rewritten from the newest quiet and
loaded runs (``_study_doc``). ``--render`` only redraws; ``--smoke`` is a short pipeline
check (small journal, few rounds) whose files are labelled smoke.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import FrameType

import _study_doc
import chart
from _study_files import create_results, fields_line, latest, machine_id
from _study_stats import MIN_ROUNDS, SUITES, Suite, bench_regex, samples, still_running

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "concurrency.md"
FIGURES = ROOT / "docs" / "concurrency"
RESULTS = FIGURES / "results"

# Sized for the 2-CPU machine of the committed runs: a stream round over all 24 cases takes
# about 11 s quiet (32 MiB journal) and a fetch round about 12 s, so 20 rounds fit; the
# budgets (no round starts once the next would pass them) keep a run of both suites under
# 11 minutes whatever the machine does. See "Cost" in docs/concurrency.md.
DEFAULTS = {"journal_mib": 32, "max_rounds": 20, "stream_budget": 420.0, "fetch_budget": 200.0}
SMOKE = {"journal_mib": 4, "max_rounds": 7, "stream_budget": 120.0, "fetch_budget": 100.0}

# The burner: a busy loop that also ends by itself once its parent is gone (even if the
# study is killed with SIGKILL and cannot stop it).
BURN = (
    "import os\np = os.getppid()\n"
    "while os.getppid() == p:\n    for _ in range(100_000):\n        pass\n"
)


class StudyError(Exception):
    pass


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


@contextmanager
def burner(enabled: bool) -> Iterator[subprocess.Popen[bytes] | None]:
    """One process spinning on one core for the length of the block; always stopped."""
    if not enabled:
        yield None
        return
    process = subprocess.Popen(
        [sys.executable, "-c", BURN],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C is the study's to handle; it stops the burner
    )
    print(f"study: burner started (pid {process.pid}) to keep one core busy", file=sys.stderr)
    try:
        yield process
    finally:
        process.kill()
        process.wait()
        print(f"study: burner (pid {process.pid}) stopped", file=sys.stderr)


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "?"
    return done.stdout.strip() or "?"


def run_round(
    suite: Suite, cases: Sequence[str], path: Path, env: Mapping[str, str], benchtime: str
) -> None:
    command = [
        sys.executable, "-m", "rxp", "bench", suite.file,
        "--bench", bench_regex(c for c in suite.cases if c.name in cases),
        "--benchtime", benchtime,
    ]  # fmt: skip
    with path.open("a", encoding="utf-8") as out:
        done = subprocess.run(command, stdout=out, cwd=ROOT, env=dict(env), check=False)
    if done.returncode != 0:
        raise StudyError(f"rxp bench exited with status {done.returncode}; see {path}")


def study_suite(
    suite: Suite,
    *,
    load: str,
    smoke: bool,
    settings: Mapping[str, float],
    env: Mapping[str, str],
    busy: subprocess.Popen[bytes] | None = None,
) -> Path:
    """Rounds of ``suite`` until every comparison is settled or a limit is hit."""
    max_rounds, budget = int(settings["max_rounds"]), settings[f"{suite.key}_budget"]
    benchtime = "0.1s" if smoke and suite.key == "fetch" else suite.benchtime
    path = create_results(RESULTS, date.today(), machine_id(), load, suite.key, smoke=smoke)
    start: dict[str, object] = {
        "utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "machine": machine_id(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "commit": _commit(),
        "load-before": f"{load_average():.2f}",
        "min-rounds": MIN_ROUNDS,
        "max-rounds": max_rounds,
        "budget-s": f"{budget:.0f}",
        "alpha": 0.05,
        "benchtime": benchtime,
    }
    head = [f"# rxp concurrency study (benchmarks/study.py): {suite.key}, {load} run"]
    head += [fields_line("study-start", start), f"load: {load}"]
    if suite.key == "stream":
        start["journal-mib"] = env["RXP_BENCH_JOURNAL_MIB"]
        head[1] = fields_line("study-start", start)
        head.append(f"journal-mib: {env['RXP_BENCH_JOURNAL_MIB']}")
    path.write_text("\n".join(head) + "\n", encoding="utf-8")
    print(f"study: {suite.key}, {load} run -> {path.relative_to(ROOT)}", file=sys.stderr)
    began, last, rounds, stop = time.monotonic(), 0.0, 0, "interrupted"
    found: dict[str, list[float]] = {}
    try:
        while True:
            todo = still_running(suite, found, min_rounds=MIN_ROUNDS, max_rounds=max_rounds)
            open_ = [c.name for c in todo]
            if not open_:
                full = any(len(found.get(c.name, ())) >= max_rounds for c in suite.baselines())
                stop = "max-rounds" if full else "all-significant"
                break
            if rounds and time.monotonic() - began + last > budget:
                stop = "budget"
                break
            with path.open("a", encoding="utf-8") as out:
                out.write(f"# round {rounds + 1}: {len(open_)} cases\n")
            t0 = time.monotonic()
            run_round(suite, open_, path, env, benchtime)
            last, rounds = time.monotonic() - t0, rounds + 1
            before = {n: len(found.get(n, ())) for n in open_}
            found = samples(path.read_text(encoding="utf-8").splitlines(), suite.unit)
            missing = [n for n in open_ if len(found.get(n, ())) != before[n] + 1]
            if missing:
                raise StudyError(f"round {rounds} gave no single result for {missing[0]}")
            if busy is not None and busy.poll() is not None:
                raise StudyError("the burner process ended early; the run was not loaded")
            print(
                f"study: {suite.key} round {rounds}: {len(open_)} cases in {last:.1f} s "
                f"({time.monotonic() - began:.0f} s so far)",
                file=sys.stderr,
            )
    finally:
        end = {
            "rounds": rounds,
            "seconds": f"{time.monotonic() - began:.0f}",
            "load-after": f"{load_average():.2f}",
            "stop": stop,
        }
        with path.open("a", encoding="utf-8") as out:
            out.write(fields_line("study-end", end) + "\n")
    return path


def render_all() -> None:
    """Charts and the document's generated part from the newest quiet and loaded runs."""
    parts = []
    for suite in SUITES.values():
        runs = {load: latest(RESULTS, suite.key, load) for load in ("quiet", "loaded")}
        read = {k: _study_doc.read(v, suite) if v else None for k, v in runs.items()}
        chart_path = ""
        drawn = [(k, r.comparisons) for k, r in read.items() if r is not None]
        if drawn:
            svg = FIGURES / f"study-{suite.key}.svg"
            svg.write_text(chart.render_study(suite.title, drawn), encoding="utf-8")
            chart_path = f"concurrency/{svg.name}"
        for k, v in runs.items():
            print(
                f"study: doc uses {k} {suite.key}: {v.path.name if v else 'none'}", file=sys.stderr
            )
        parts.append((suite, read["quiet"], read["loaded"], chart_path))
    body = _study_doc.render(parts, doc_dir="concurrency/results")
    DOC.write_text(_study_doc.splice(DOC.read_text(encoding="utf-8"), body), encoding="utf-8")
    print(f"study: rewrote {DOC.relative_to(ROOT)}", file=sys.stderr)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run the concurrency study (docs/concurrency.md).")
    ap.add_argument("--load", action="store_true", help="keep one core busy (the loaded run)")
    ap.add_argument("--smoke", action="store_true", help="short pipeline check, labelled smoke")
    ap.add_argument("--render", action="store_true", help="only redraw charts and document")
    ap.add_argument("--only", choices=sorted(SUITES), help="run one suite")
    ap.add_argument("--journal-mib", type=int, help="journal size for the stream suite")
    ap.add_argument("--max-rounds", type=int, help="most rounds per case")
    ap.add_argument("--budget", type=float, help="seconds per suite before no new round starts")
    args = ap.parse_args(argv)
    if args.render:
        render_all()
        return 0
    settings = dict(SMOKE if args.smoke else DEFAULTS)
    for key in ("journal_mib", "max_rounds"):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    if args.budget is not None:
        settings["stream_budget"] = settings["fetch_budget"] = args.budget
    if settings["max_rounds"] < MIN_ROUNDS:
        ap.error(f"--max-rounds must be at least {MIN_ROUNDS}")
    load = "loaded" if args.load else "quiet"
    env = {**os.environ, "RXP_BENCH_JOURNAL_MIB": str(int(settings["journal_mib"]))}
    os.environ["RXP_BENCH_JOURNAL_MIB"] = env["RXP_BENCH_JOURNAL_MIB"]
    if load == "quiet" and load_average() > 0.5:
        print(
            f"study: warning: load average {load_average():.2f}; a quiet run needs an idle machine",
            file=sys.stderr,
        )
    suites = [SUITES[args.only]] if args.only else list(SUITES.values())
    began = time.monotonic()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        if any(s.key == "stream" for s in suites):
            from _corpus import journal

            journal("short-iso")  # generated (and cached) before the clock of any round
        with burner(args.load) as busy:
            for suite in suites:
                study_suite(
                    suite, load=load, smoke=args.smoke, settings=settings, env=env, busy=busy
                )
    except KeyboardInterrupt:
        print(
            "study: interrupted; the partial results are kept, the document unchanged",
            file=sys.stderr,
        )
        return 130
    except StudyError as exc:
        print(f"study: error: {exc}", file=sys.stderr)
        return 1
    render_all()
    print(f"study: {load} run took {time.monotonic() - began:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
