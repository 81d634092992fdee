"""benchstat's statistics (``golang.org/x/perf/benchmath``, default assumption "nothing").

``rxp bench compare`` must print the numbers Go's ``benchstat`` prints, so this module
follows benchmath and the parts of ``github.com/aclements/go-moremath/stats`` it calls, rule
for rule, with the same limits:

- **centre**: the median, by moremath's ``Sample.Quantile`` (the R8 estimator, which for
  q = 0.5 is the usual median, computed with the same floating-point steps);
- **spread**: moremath's ``QuantileCI(n, 0.5, 0.95)``: starting from the middle, widen the
  order-statistic interval one binomial term at a time, taking the left term on a tie,
  until it holds >= 95 % (n <= 30); above 30 samples, the normal approximation with its
  one-step right-biased shrink. Too few samples for a bound give +-inf (``± ∞``);
- **test**: moremath's two-sided ``MannWhitneyUTest``: the exact U distribution up to 50
  samples a side without ties (counted exactly, as ``scipy.stats.mannwhitneyu(method="exact")``
  does), the exact
  distribution *given the tie pattern* up to 25 a side with ties (moremath's ``makeUmemo``
  counting, ported below because SciPy has no exact tie-aware U distribution beyond
  brute-force permutation), otherwise the normal approximation with tie and continuity
  correction (SciPy's asymptotic formula, with moremath's rounding: see ``_normal_p``).
  Two-sided p = 2 * CDF(min(U1, U2)), or 1 when U1 = U2. A change is significant when p <= alpha;
- **geomean**: moremath's ``GeoMean`` (a running mean of Go's logs), NaN when any value <= 0.

SciPy (``scipy.special``) is imported lazily, only for the normal approximations.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .._errors import RxpError
from ._gomath import go_exp, go_log

__all__ = [
    "ALPHA",
    "CONFIDENCE",
    "Summary",
    "UTest",
    "geomean",
    "median_ci_orders",
    "summarize",
    "u_test",
]

ALPHA = 0.05
CONFIDENCE = 0.95
EXACT_LIMIT = 50  # moremath MannWhitneyExactLimit
TIES_EXACT_LIMIT = 25  # moremath MannWhitneyTiesExactLimit
_CI_APPROX_THRESHOLD = 30  # moremath quantileCIApproxThreshold

# For 21 <= n <= 30 moremath's walk meets two mathematically equal binomial terms, and which
# one its float ``exp(lgamma)`` coefficients make larger is noise of Go's own Lgamma (glibc's
# differs at n = 24 and 29). These are the orders Go's QuantileCI(n, 0.5, 0.95) returns
# (recorded from the real go-moremath); the walk below reproduces every other size.
_GO_NOISE_ORDERS = {
    21: (6, 16), 22: (6, 16), 23: (7, 17), 24: (8, 18), 25: (8, 18),
    26: (8, 19), 27: (8, 19), 28: (9, 20), 29: (9, 20), 30: (10, 21),
}  # fmt: skip


def _special() -> Any:
    """``scipy.special`` (``ndtr``, ``ndtri``: what ``scipy.stats.norm`` computes with), only
    for the normal approximations (more than 30 samples for an interval, more than 50 or 25
    a side for a test); importing it costs about a second, ``scipy.stats`` twice that."""
    try:
        return importlib.import_module("scipy.special")
    except ImportError:
        raise RxpError(
            "rxp bench compare needs SciPy for its statistics: pip install 'rxp[bench]'"
        ) from None


# -- centre and confidence interval --------------------------------------------------------


def _binom_pmf(n: int, k: int) -> float:
    """P(Binomial(n, 1/2) = k), exactly rounded (n <= 30 here)."""
    if k < 0 or k > n:
        return 0.0
    return math.comb(n, k) / (1 << n)


@cache
def median_ci_orders(n: int, confidence: float = CONFIDENCE) -> tuple[int, int, float]:
    """``QuantileCI(n, 0.5, confidence)``: 1-based orders ``(lo, hi)`` of the interval's
    bounds and its coverage; ``lo < 1`` or ``hi > n`` mean that bound is infinite."""
    if confidence >= 1:
        return 0, n + 1, 1.0
    if confidence == CONFIDENCE and n in _GO_NOISE_ORDERS:
        lo, hi = _GO_NOISE_ORDERS[n]
        return lo, hi, sum(_binom_pmf(n, k) for k in range(lo, hi))
    if n <= _CI_APPROX_THRESHOLD:
        x = math.ceil((n + 1) * 0.5) - 1
        accum = _binom_pmf(n, x)
        lo, hi = x, x + 1
        lp, rp = _binom_pmf(n, lo - 1), _binom_pmf(n, hi)
        while accum < confidence and (lp > 0 or rp > 0):
            if lp >= rp:  # left bias
                accum += lp
                lo -= 1
                lp = _binom_pmf(n, lo - 1)
            else:
                accum += rp
                hi += 1
                rp = _binom_pmf(n, hi)
    else:
        special = _special()
        loc, scale = n * 0.5, math.sqrt(n * 0.25)  # scipy.stats.norm(loc, scale), unrolled
        l1 = float(special.ndtri((1 - confidence) / 2)) * scale + loc
        r1 = 2 * (n * 0.5) - l1
        lo = math.floor(math.floor(l1 - 0.5) + 0.5) + 1
        hi = math.floor(math.ceil(r1 - 0.5) + 0.5) + 1

        def cdf(x: float) -> float:
            return float(special.ndtr((x - loc) / scale))

        def cover(a: int, b: int) -> float:
            return cdf(b - 0.5) - cdf(a - 0.5)

        accum = cover(lo, hi)
        biased = cover(lo, hi - 1)
        if confidence <= biased < accum:
            accum, hi = biased, hi - 1
        if lo <= 0 and hi >= n + 1:
            accum = 1.0
    return max(lo, 0), min(hi, n + 1), accum


def _median(xs: Sequence[float]) -> float:
    """moremath ``Sample.Quantile(0.5)`` on sorted ``xs`` (R8)."""
    n = 1 / 3.0 + 0.5 * (len(xs) + 1 / 3.0)
    frac, kf = math.modf(n)
    k = int(kf)
    if k <= 0:
        return xs[0]
    if k >= len(xs):
        return xs[-1]
    return xs[k - 1] + frac * (xs[k] - xs[k - 1])


@dataclass(frozen=True, slots=True)
class Summary:
    """The median of ``n`` samples and the bounds of its confidence interval (+-inf when
    there are too few samples for one)."""

    center: float
    lo: float
    hi: float
    n: int
    warnings: tuple[str, ...] = ()  # benchmath's, set by ``_assume``

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.lo) and math.isfinite(self.hi)

    def pct_range(self) -> str:
        """benchmath ``Summary.PctRangeString``: ``∞``, ``?`` (bounds of another sign than
        the centre), or the larger distance to a bound in % of the centre."""
        if not self.bounded:
            return "∞"
        sign = _sign(self.center)
        if sign != _sign(self.lo) or sign != _sign(self.hi):
            return "?"
        if self.center == 0:
            return "0%"
        v = max(self.hi / self.center - 1, 1 - self.lo / self.center)
        return f"{100 * v:.0f}%"


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def summarize(values: Sequence[float], confidence: float = CONFIDENCE) -> Summary:
    """benchmath ``AssumeNothing.Summary``: median and its order-statistic interval."""
    xs = sorted(values)
    lo_order, hi_order, _ = median_ci_orders(len(xs), confidence)
    lo = xs[lo_order - 1] if lo_order >= 1 else -math.inf
    hi = xs[hi_order - 1] if hi_order - 1 < len(xs) else math.inf
    return Summary(_median(xs), lo, hi, len(xs))


def samples_for_ci(confidence: float = CONFIDENCE) -> tuple[str, int]:
    """benchmath ``medianSamples``: fewest samples with both bounds finite."""
    for n in range(2, 51):
        lo, hi, _ = median_ci_orders(n, confidence)
        if lo > 0 and hi <= n:
            return ">=", n
    return ">", 50


# -- Mann-Whitney U test -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UTest:
    """Two-sided U test result; ``p`` is None when every sample of both sides is equal
    (moremath's ``ErrSamplesEqual``: benchstat then reports p = 1 with a note)."""

    p: float | None
    n1: int
    n2: int


def _ranks(x1: Sequence[float], x2: Sequence[float]) -> tuple[float, list[int]]:
    """U1 (mid-ranks for ties) and the tie-group sizes T in increasing value order.

    Each tie group takes its first sample whatever it compares to: NaN equals nothing, not
    even itself, so a group that waited for its first sample to equal itself would never
    end (the reader refuses NaN; this loop does not rely on it)."""
    labelled = sorted([(v, 1) for v in x1] + [(v, 2) for v in x2])
    r1 = 0.0
    ties: list[int] = []
    i = 0
    while i < len(labelled):
        first, value, in_x1 = i + 1, labelled[i][0], int(labelled[i][1] == 1)
        i += 1
        while i < len(labelled) and labelled[i][0] == value:
            in_x1 += labelled[i][1] == 1
            i += 1
        if in_x1:
            r1 += (i + first) / 2 * in_x1
        ties.append(i - first + 1)
    n1 = len(x1)
    return r1 - n1 * (n1 + 1) / 2, ties


def u_test(x1: Sequence[float], x2: Sequence[float]) -> UTest:
    """moremath ``MannWhitneyUTest(x1, x2, LocationDiffers)``."""
    n1, n2 = len(x1), len(x2)
    if n1 == 0 or n2 == 0:
        raise ValueError("u_test needs samples on both sides")
    u1, ties = _ranks(x1, x2)
    if len(ties) == 1:
        return UTest(None, n1, n2)
    has_ties = any(t > 1 for t in ties)
    limit = TIES_EXACT_LIMIT if has_ties else EXACT_LIMIT
    u2 = n1 * n2 - u1
    if n1 > limit or n2 > limit:
        return UTest(_normal_p(u1, n1, n2, ties), n1, n2)
    if u1 == u2:
        return UTest(1.0, n1, n2)
    u_small = min(u1, u2)
    if not has_ties:
        count = sum(_u_counts(n1, n2)[: int(u_small) + 1])
        return UTest(2 * count / math.comb(n1 + n2, n1), n1, n2)
    count = tied_u_count(round(2 * u_small), n1, tuple(ties))
    return UTest(2 * count / math.comb(n1 + n2, n1), n1, n2)


def _normal_p(u1: float, n1: int, n2: int, ties: Sequence[int]) -> float:
    """moremath's normal approximation, with tie and continuity correction: the formula of
    ``scipy.stats.mannwhitneyu(method="asymptotic")``, but p = 2 * min(Phi(z), 1 - Phi(z))
    from U1 as moremath computes it, so a far tail rounds to p = 0 where moremath's does
    (benchstat then prints no ``p=``)."""
    n = n1 + n2
    t = sum(k * k * k - k for k in ties)
    sigma = math.sqrt(n1 * n2 * ((n + 1) - t / (n * (n - 1))) / 12)
    numer = u1 - n1 * n2 / 2
    numer -= _sign(numer) * 0.5
    cdf = float(_special().ndtr(numer / sigma))
    return 2 * min(cdf, 1 - cdf)


@cache
def _u_counts(m: int, n: int) -> list[int]:
    """How many of the C(m+n, m) orderings of two tie-free samples give each U = 0..mn: the
    coefficients of the Gaussian binomial [m+n, m]_q = prod (1 - q^(n+i)) / (1 - q^i), exact
    integers (the distribution ``scipy.stats.mannwhitneyu(method="exact")`` uses)."""
    size = m * n + 1
    poly = [1] + [0] * (size - 1)
    for i in range(1, m + 1):
        k = n + i  # times (1 - q^k), then divided by (1 - q^i): a running sum with stride i
        for j in range(size - 1, k - 1, -1):
            poly[j] -= poly[j - k]
        for j in range(i, size):
            poly[j] += poly[j - i]
    return poly


def _go_div(a: int, b: int) -> int:
    """Go's integer division truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _comb(n: int, k: int) -> int:
    return math.comb(n, k) if 0 <= k <= n else 0


def tied_u_count(two_u: int, n1: int, t: tuple[int, ...]) -> int:
    """How many of the C(N, n1) ways to pick x1's positions among tie groups of sizes
    ``t`` (ascending values) give 2*U1 <= ``two_u``: moremath's ``makeUmemo`` (Cheung &
    Klotz 1997), with exact integer counts where moremath uses floats."""
    k_groups = len(t)
    a = [0] * (k_groups + 1)
    a[1] = t[0]
    for k in range(2, k_groups + 1):
        a[k] = a[k - 1] + t[k - 2] + t[k - 1]

    def two_u_min(n: int, tt: Sequence[int]) -> int:
        total, left = -n * n, n
        for k in range(1, len(tt) + 1):
            take = min(left, tt[k - 1])
            total += take * a[k]
            left -= take
        return total

    def two_u_max(n: int, tt: Sequence[int]) -> int:
        total, left = -n * n, n
        for k in range(len(tt), 0, -1):
            take = min(left, tt[k - 1])
            total += take * a[k]
            left -= take
        return total

    keys: list[set[tuple[int, int]]] = [set() for _ in range(k_groups + 1)]
    keys[k_groups] = {(n1, two_u)}
    tsum = sum(t)
    for k in range(k_groups - 1, 1, -1):
        tsum -= t[k]
        for n1_next, two_u_next in keys[k + 1]:
            for rk in range(max(0, n1_next - tsum), min(n1_next, t[k]) + 1):
                two_u_k = two_u_next - rk * (a[k + 1] - 2 * n1_next + rk)
                n1_k = n1_next - rk
                if two_u_min(n1_k, t[:k]) <= two_u_k <= two_u_max(n1_k, t[:k]):
                    keys[k].add((n1_k, two_u_k))

    counts: dict[tuple[int, int], int] = {}
    n_2 = t[0] + t[1]
    for n1_2, two_u_2 in keys[2]:
        high = _go_div(two_u_2 - n1_2 * (t[0] - n1_2), n_2)
        counts[(n1_2, two_u_2)] = sum(
            _comb(t[0], n1_2 - r2) * _comb(t[1], r2) for r2 in range(max(0, n1_2 - t[0]), high + 1)
        )
    tsum = t[0]
    for k in range(3, k_groups + 1):
        tsum += t[k - 2]
        level: dict[tuple[int, int], int] = {}
        for n1_k, two_u_k in keys[k]:
            total = 0
            for rk in range(max(0, n1_k - tsum), min(n1_k, t[k - 1]) + 1):
                two_u_prev = two_u_k - rk * (a[k] - 2 * n1_k + rk)
                n1_prev = n1_k - rk
                x = counts.get((n1_prev, two_u_prev))
                if x is None:
                    x = _comb(tsum, n1_prev) if two_u_max(n1_prev, t[: k - 1]) < two_u_prev else 0
                total += x * _comb(t[k - 1], rk)
            level[(n1_k, two_u_k)] = total
        counts = level
    return counts[(n1, two_u)]


def samples_for_test(alpha: float = ALPHA) -> tuple[str, int]:
    """benchmath ``uTestSamples``: fewest samples a side whose best p reaches alpha
    (the smallest two-sided p for n vs n is 2 / C(2n, n))."""
    for n in range(1, 10):
        if 2 / math.comb(2 * n, n) <= alpha:
            return ">=", n
    return ">", 10


def geomean(xs: Sequence[float]) -> float:
    """moremath ``GeoMean``: NaN when empty or when any value is <= 0. Go's own ``Log``
    and ``Exp`` (``_gomath``), so the 17 digits of benchstat's CSV geomeans are the same."""
    if not xs:
        return math.nan
    m = 0.0
    for i, x in enumerate(xs):
        if x <= 0:
            return math.nan
        m += (go_log(x) - m) / (i + 1)
    return go_exp(m)
