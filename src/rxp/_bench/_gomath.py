"""Go's ``math.Log`` and ``math.Exp`` as they run on amd64, for benchstat's geomeans.

benchstat's CSV prints a geomean with all 17 digits (``fmt.Sprint``), and go-moremath's
``GeoMean`` is ``Exp`` of a running mean of ``Log``s: C's ``log``/``exp`` differ from Go's in
the last bit often enough to show. These are ports of Go's assembly (``log_amd64.s``, the
FreeBSD algorithm; ``exp_amd64.s`` on a CPU with FMA, the path every x86-64 CPU of the last
decade takes); a fused multiply-add is computed exactly with fractions and rounded once.
Go on a CPU without FMA, or on arm64, can differ from these in the last digit.
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction

__all__ = ["go_exp", "go_log"]

_LN2HI = 6.93147180369123816490e-01
_LN2LO = 1.90821492927058770002e-10
_L = (
    6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
    2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
    1.479819860511658591e-01,
)  # fmt: skip


def _bits(x: float) -> int:
    return int(struct.unpack("<Q", struct.pack("<d", x))[0])


def _from_bits(b: int) -> float:
    return float(struct.unpack("<d", struct.pack("<Q", b & (2**64 - 1)))[0])


def go_log(x: float) -> float:
    """``math.Log`` (``archLog`` on amd64)."""
    if x == 0:
        return -math.inf
    if x < 0 or math.isnan(x):
        return math.nan
    if math.isinf(x):
        return x
    b = _bits(x)
    f1 = _from_bits((b & 0x000FFFFFFFFFFFFF) | 0x3FE0000000000000)
    k = float(((b >> 52) & 0x7FF) - 0x3FE)
    if f1 < 7.07106781186547524401e-01:
        k -= 1.0
        f1 *= 2.0
    f = f1 - 1.0
    s = f / (2.0 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (_L[0] + s4 * (_L[2] + s4 * (_L[4] + s4 * _L[6])))
    t2 = s4 * (_L[1] + s4 * (_L[3] + s4 * _L[5]))
    r = t1 + t2
    hfsq = 0.5 * f * f
    return k * _LN2HI - ((hfsq - (s * (hfsq + r) + k * _LN2LO)) - f)


def _fma(a: float, b: float, c: float) -> float:
    """``a * b + c`` rounded once."""
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    return float(exact) if exact else a * b + c


_LOG2E = 1.4426950408889634073599246810018920
_LN2U = 0.69314718055966295651160180568695068359375
_LN2L = 0.28235290563031577122588448175013436025525412068e-12
_TAYLOR = (
    2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
    8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0,
)  # fmt: skip


def go_exp(x: float) -> float:
    """``math.Exp`` (``archExp`` on amd64, its FMA path)."""
    if math.isnan(x) or x == math.inf:
        return x
    if x == -math.inf:
        return 0.0
    if x > 7.09782712893384e02:
        return math.inf
    k = round(_LOG2E * x)  # CVTSD2SL rounds to nearest, ties to even
    kf = float(k)
    x = _fma(-kf, _LN2U, x)
    x = _fma(-kf, _LN2L, x)
    x *= 0.0625
    acc = _TAYLOR[0]
    for c in _TAYLOR[1:]:
        acc = _fma(acc, x, c)
    x *= acc
    for _ in range(3):
        x *= x + 2.0
    x = _fma(x, x + 2.0, 1.0)
    biased = k + 0x3FF
    if biased >= 0x7FF:
        return math.inf
    if biased > 0:
        return x * _from_bits(biased << 52)
    if biased < -52:
        return 0.0
    return x * _from_bits((biased + 0x3FE) << 52) * _from_bits(1 << 52)
