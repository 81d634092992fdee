"""The concurrency study's cases and statistics, with no I/O (``study.py`` runs, this judges).

A *case* is one benchmark of a suite (``BenchmarkStream/backend=thread/workers=2/pattern=
no-literal``); each non-baseline case is compared with the ``sync`` case of its group (same
work, same pattern). The numbers are benchstat's: medians with their 95 % order-statistic
interval (``rxp._bench._benchmath.summarize``) and the two-sided Mann-Whitney U test
(``u_test``). The ratio to ``sync`` gets its own interval by a percentile bootstrap (see
``bootstrap_ratio``), seeded from the case's name so the same files always give the same
document.

The stopping rule (``still_running``) is why a study can end early: a case stops once it has
``min_rounds`` samples and differs from its baseline at p < alpha; a baseline runs while any
case of its group does, and at most ``max_rounds`` times. Testing after every round is
*optional stopping*: it raises the chance of a false "significant" above alpha, which is why
the document states a conclusion only where a second, independent run (the loaded one)
agrees.
"""

from __future__ import annotations

import math
import random
import re
import statistics
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rxp._bench import parse
from rxp._bench._benchmath import ALPHA, Summary, summarize, u_test
from rxp._bench._gofmt import ParsedResult

MIN_ROUNDS = 6  # the fewest samples with a bounded 95 % interval of the median (benchmath)
RESAMPLES = 2000

_CPU_SUFFIX = re.compile(r"-\d+$")


@dataclass(frozen=True, slots=True)
class Case:
    """One benchmark of the study: ``name`` as ``rxp bench`` reports it (without the ``-N``
    CPU suffix), the ``group`` it is compared within, a short ``label`` and the name of the
    case it is compared with (``""`` for the baseline itself)."""

    name: str
    group: str
    label: str
    baseline: str = ""


@dataclass(frozen=True, slots=True)
class Suite:
    """A benchmark file of the study and the cases the study runs from it."""

    key: str
    file: str
    benchtime: str
    unit: str
    title: str
    cases: tuple[Case, ...]

    def baselines(self) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if not c.baseline)

    def compared(self) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if c.baseline)


def _stream_cases() -> tuple[Case, ...]:
    backends = (("sync", 1), ("thread", 2), ("asyncio", 2), ("process", 2))
    cases = []
    for bench, work in (("BenchmarkStream", "count"), ("BenchmarkStreamExtract", "extract")):
        for pattern in ("literal-prefix", "inner-literal", "no-literal"):
            base = f"{bench}/backend=sync/workers=1/pattern={pattern}"
            for backend, workers in backends:
                name = f"{bench}/backend={backend}/workers={workers}/pattern={pattern}"
                cases.append(
                    Case(
                        name,
                        f"{work}, {pattern}",
                        f"{backend}/{workers}",
                        "" if backend == "sync" else base,
                    )
                )
    return tuple(cases)


def _fetch_cases() -> tuple[Case, ...]:
    clients = [("sync", 1), ("thread", 16), ("asyncio", 50), ("asyncio-streams", 50)]
    clients.append(("process", 16))
    base = "BenchmarkFetch/client=sync/workers=1"
    return tuple(
        Case(
            f"BenchmarkFetch/client={c}/workers={w}",
            "fetch 50 URLs",
            f"{c}/{w}",
            "" if c == "sync" else base,
        )
        for c, w in clients
    )


STREAM = Suite(
    "stream",
    "benchmarks/bench_stream.py",
    "1x",
    "MB/s",
    "CPU-bound: one scan of the journal",
    _stream_cases(),
)
FETCH = Suite(
    "fetch",
    "benchmarks/bench_fetch.py",
    "0.5s",
    "req/s",
    "I/O-bound: fetch 50 URLs, 20 ms each",
    _fetch_cases(),
)
SUITES = {s.key: s for s in (STREAM, FETCH)}


def bench_regex(cases: Iterable[Case]) -> str:
    """A ``--bench`` pattern selecting exactly ``cases``: one top-level ``|`` alternative
    per case, each level anchored (Go's rules: levels split at ``/``, each searched)."""
    return "|".join(
        "/".join(f"^{re.escape(level)}$" for level in case.name.split("/")) for case in cases
    )


def samples(lines: Iterable[str], unit: str) -> dict[str, list[float]]:
    """Every ``unit`` value per benchmark name (CPU suffix removed), in file order; lines
    that are not results (config, ``PASS``, ``ok``, ``--- BENCH:`` logs) are ignored."""
    out: dict[str, list[float]] = {}
    for record in parse(lines):
        if isinstance(record, ParsedResult):
            for value, u in record.values:
                if u == unit:
                    out.setdefault(_CPU_SUFFIX.sub("", record.full_name), []).append(value)
    return out


def bootstrap_ratio(
    base: Sequence[float],
    this: Sequence[float],
    *,
    seed: int,
    resamples: int = RESAMPLES,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Percentile-bootstrap interval of median(this) / median(base): resample each side
    with replacement, independently, ``resamples`` times, and take the central
    ``confidence`` of the ratios. With few samples the medians of resamples take few
    values, so the interval is coarse and conservative rather than exact."""
    rng = random.Random(seed)
    ratios = sorted(
        statistics.median(rng.choices(this, k=len(this)))
        / statistics.median(rng.choices(base, k=len(base)))
        for _ in range(resamples)
    )
    tail = (1 - confidence) / 2
    lo = ratios[math.floor(tail * resamples)]
    hi = ratios[math.ceil((1 - tail) * resamples) - 1]
    return lo, hi


@dataclass(frozen=True, slots=True)
class Comparison:
    """A case against its baseline in one run; ``ratio`` > 1 means more ``unit`` (faster)."""

    case: Case
    base: Summary
    this: Summary
    ratio: float
    ratio_lo: float
    ratio_hi: float
    p: float | None  # None: every sample of both sides equal (benchstat prints p=1)
    alpha: float = ALPHA

    @property
    def significant(self) -> bool:
        return self.p is not None and self.p < self.alpha

    @property
    def verdict(self) -> str:
        """``faster``, ``slower`` or ``n.s.`` (not significant)."""
        if not self.significant:
            return "n.s."
        return "faster" if self.ratio >= 1 else "slower"


def compare(case: Case, base: Sequence[float], this: Sequence[float]) -> Comparison:
    b, t = summarize(base), summarize(this)
    lo, hi = bootstrap_ratio(base, this, seed=zlib.crc32(case.name.encode()))
    return Comparison(case, b, t, t.center / b.center, lo, hi, u_test(base, this).p)


def comparisons(suite: Suite, found: Mapping[str, Sequence[float]]) -> list[Comparison]:
    """Every case of ``suite`` with samples on both sides, in the suite's order."""
    return [
        compare(case, found[case.baseline], found[case.name])
        for case in suite.compared()
        if found.get(case.name) and found.get(case.baseline)
    ]


def _settled(case: Case, found: Mapping[str, Sequence[float]], min_rounds: int) -> bool:
    this, base = found.get(case.name, ()), found.get(case.baseline, ())
    if len(this) < min_rounds or len(base) < min_rounds:
        return False
    p = u_test(base, this).p
    return p is not None and p < ALPHA


def still_running(
    suite: Suite, found: Mapping[str, Sequence[float]], *, min_rounds: int, max_rounds: int
) -> tuple[Case, ...]:
    """The cases the next round runs. A group (a baseline and the cases compared with it)
    is open while its baseline has fewer than ``max_rounds`` samples and some case of it
    is not settled (significant after ``min_rounds``); an open group runs its baseline and
    its unsettled cases. The baseline runs in every round its group is open, and a closed
    group never reopens (nothing of it changes), so a run has at most ``max_rounds``
    rounds. A settled case may unsettle as its baseline gains samples; it then runs again."""
    running: set[str] = set()
    for base in suite.baselines():
        if len(found.get(base.name, ())) >= max_rounds:
            continue
        cases = [c for c in suite.compared() if c.baseline == base.name]
        open_cases = {c.name for c in cases if not _settled(c, found, min_rounds)}
        if open_cases:
            running |= open_cases | {base.name}
    return tuple(c for c in suite.cases if c.name in running)


def agreement(quiet: Comparison | None, loaded: Comparison | None) -> str:
    """What the two runs say together: ``faster``/``slower`` when both are significant the
    same way, ``n.s.`` when neither is, ``disagree`` otherwise, ``one run`` when a run is
    missing."""
    if quiet is None or loaded is None:
        return "one run"
    if quiet.verdict == loaded.verdict:
        return quiet.verdict
    return "disagree"
