"""benchmath's assumptions: what benchstat says of one table cell and of one comparison.

``assume=nothing`` (every unit without metadata): the median, its order-statistic interval
(a warning when a bound is infinite: too few samples), and the Mann-Whitney U test with its
warnings (every value equal; too few samples for any p to reach alpha). ``assume=exact``
(``Unit x assume=exact`` lines): the mode, the range as the interval with a warning unless
every value is equal, and comparisons that always count (p = 0, shown without ``p=``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._benchmath import Summary, samples_for_ci, samples_for_test, summarize, u_test
from ._benchunit import go_float

__all__ = ["Comparison", "compare_samples", "summarize_cell"]


def summarize_cell(values: Sequence[float], exact: bool, confidence: float) -> Summary:
    """``Assumption.Summary`` with its warnings: for ``assume=exact`` units the mode, the
    range as the interval and a warning unless every value is equal; otherwise the median
    and its interval, with a warning when a bound is infinite."""
    xs = sorted(values)
    if exact:
        mode, count, best = xs[0], 0, 0
        for i, x in enumerate(xs):
            count = count + 1 if i and x == xs[i - 1] else 1
            if count > best:
                mode, best = x, count
        warnings: tuple[str, ...] = ()
        if best != len(xs):
            low, high = go_float(xs[0]), go_float(xs[-1])
            warnings = (f"exact distribution expected, but values range from {low} to {high}",)
        return Summary(mode, xs[0], xs[-1], len(xs), warnings)
    summary = summarize(xs, confidence)
    if summary.bounded:
        return summary
    op, need = samples_for_ci(confidence)
    why = f"need {op} {need} samples for confidence interval at level {go_float(confidence)}"
    return Summary(summary.center, summary.lo, summary.hi, summary.n, (why,))


@dataclass(frozen=True, slots=True)
class Comparison:
    """benchmath ``Comparison``: the p-value (0 for exact units), the sizes, the alpha the
    delta is judged at and the warnings."""

    p: float
    n1: int
    n2: int
    alpha: float
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        head = f"p={self.p:.3f} " if self.p != 0 else ""
        return head + (f"n={self.n1}" if self.n1 == self.n2 else f"n={self.n1}+{self.n2}")

    def format_delta(self, old: float, new: float) -> str:
        """``~`` unless p <= alpha (p equal to alpha is a change, as in benchstat)."""
        if self.p > self.alpha:
            return "~"
        if old == new:
            return "0.00%"
        if old == 0:
            return "?"
        return f"{(new / old - 1.0) * 100.0:+.2f}%"


def compare_samples(
    old: Sequence[float], new: Sequence[float], exact: bool, alpha: float
) -> Comparison:
    """``Assumption.Compare``: exact units always differ (p = 0, alpha 0); otherwise the U
    test, p = 1 with a warning when every value is equal, and a warning when p > alpha with
    too few samples on both sides for any difference to be detectable."""
    if exact:
        return Comparison(0.0, len(old), len(new), 0.0)
    test = u_test(old, new)
    if test.p is None:
        return Comparison(1.0, test.n1, test.n2, alpha, ("all samples are equal",))
    warnings: tuple[str, ...] = ()
    if test.p > alpha:
        op, need = samples_for_test(alpha)
        if test.n1 < need and test.n2 < need:
            why = (
                f"need {op} {need} samples to detect a difference at alpha level {go_float(alpha)}"
            )
            warnings = (why,)
    return Comparison(test.p, test.n1, test.n2, alpha, warnings)
