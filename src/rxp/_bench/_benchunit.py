"""benchstat's units (``golang.org/x/perf/benchunit``), and Go's ``%v`` for a float.

- ``tidy_unit``: ``ns`` -> ``sec`` and ``MB`` -> ``B`` in a unit's numerator, with the factor
  that converts a value, so that scaling never makes "µns/op" (benchstat normalises before
  it prints anything);
- ``is_binary`` (benchunit ``ClassOf``): bytes in the numerator scale by 1024 (``Ki``, ``Mi``)
  and everything else by 1000 (``k``, ``M``, ``µ``, ``n``);
- ``common_scale`` / ``scale``: one prefix for a whole table row, chosen by the smallest
  non-zero value, with at least four significant digits for it;
- ``go_float``: ``fmt.Sprint(float64)``, which benchstat uses in CSV cells and warnings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Scaler", "common_scale", "go_float", "is_binary", "scale", "tidy", "tidy_unit"]


def _tokens(unit: str) -> Iterator[tuple[int, str, bool]]:
    """benchunit's parser: (offset, token, in the denominator). ``*`` returns to the
    numerator, ``/`` enters the denominator, ``-`` and white space only separate."""
    denom, i, n = False, 0, len(unit)
    while i < n:
        ch = unit[i]
        if ch == "*":
            denom, i = False, i + 1
        elif ch == "/":
            denom, i = True, i + 1
        elif ch == "-" or ch.isspace():
            i += 1
        else:
            j = i
            while j < n and not (unit[j] in "*/-" or unit[j].isspace()):
                j += 1
            yield i, unit[i:j], denom
            i = j


def tidy_unit(unit: str) -> tuple[str, float]:
    """benchunit ``tidyUnit``: the tidied unit and the factor from ``unit`` to it."""
    fast = {"ns/op": ("sec/op", 1e-9), "MB/s": ("B/s", 1e6)}
    if unit in fast:
        return fast[unit]
    if "ns" not in unit and "MB" not in unit:
        return unit, 1.0
    factor, edits = 1.0, []
    for pos, tok, denom in _tokens(unit):
        if denom:
            continue
        if tok == "ns":
            edits.append((pos, 2, "sec"))
            factor /= 1e9
        elif tok == "MB":
            edits.append((pos, 2, "B"))
            factor *= 1e6
    for pos, length, text in reversed(edits):
        unit = unit[:pos] + text + unit[pos + length :]
    return unit, factor


def tidy(value: float, unit: str) -> tuple[float, str]:
    """benchunit ``Tidy``: the value and unit in base units."""
    tidied, factor = tidy_unit(unit)
    return value * factor, tidied


def is_binary(unit: str) -> bool:
    """benchunit ``ClassOf``: ``B``, ``MB`` or ``bytes`` in the numerator."""
    return any(tok in ("B", "MB", "bytes") and not d for _, tok, d in _tokens(unit))


@dataclass(frozen=True, slots=True)
class Scaler:
    """benchunit ``Scaler``: digits after the point, the factor, the prefix."""

    prec: int
    factor: float
    prefix: str

    def format(self, value: float) -> str:
        return f"{value / self.factor:.{self.prec}f}{self.prefix}"


@dataclass(frozen=True, slots=True)
class _Factor:
    factor: float
    prefix: str
    t100: float  # smallest value shown as 100.0 (1 decimal)
    t10: float
    t1: float


_SI = [
    _Factor(10.0**e, p, float(f"99.995e{e}"), float(f"9.9995e{e}"), float(f".99995e{e}"))
    for e, p in zip(range(12, -10, -3), ["T", "G", "M", "k", "", "m", "µ", "n"], strict=True)
]
_IEC = [
    _Factor(
        2.0**e,
        p,
        float.fromhex(f"0x1.8ffae147ae148p{6 + e}"),
        float.fromhex(f"0x1.3ffbe76c8b439p{3 + e}"),
        float.fromhex(f"0x1.fff972474538fp{e - 1}"),
    )
    for e, p in zip(range(40, -10, -10), ["Ti", "Gi", "Mi", "Ki", ""], strict=True)
]
_SIGFIGS = [float(f"9.9995e{e}") for e in range(-1, -9, -1)]


def common_scale(values: Iterable[float], binary: bool) -> Scaler:
    """benchunit ``CommonScale``: the scale of the smallest non-zero magnitude."""
    smallest = min((abs(v) for v in values if v != 0), default=0.0)
    if smallest == 0:
        return Scaler(3, 1.0, "")
    factors = _IEC if binary else _SI
    for f in factors:
        if smallest >= f.t100:
            return Scaler(1, f.factor, f.prefix)
        if smallest >= f.t10:
            return Scaler(2, f.factor, f.prefix)
        if smallest >= f.t1:
            return Scaler(3, f.factor, f.prefix)
    last = factors[-1]
    val = smallest / last.factor
    for i, thresh in enumerate(_SIGFIGS):
        if val >= thresh or i == len(_SIGFIGS) - 1:
            return Scaler(i + 3, last.factor, last.prefix)
    raise AssertionError("unreachable")


def scale(value: float, binary: bool) -> str:
    """benchunit ``Scale``."""
    return common_scale([value], binary).format(value)


def go_float(x: float) -> str:
    """Go's ``fmt.Sprint(x)`` for a float64: the shortest digits that read back as ``x``,
    in ``%e`` form (two exponent digits at least) when the exponent is < -4 or >= 6
    (strconv's ``'g'`` with the shortest precision)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    sign, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    assert isinstance(exponent, int)
    ds = "".join(map(str, digits))
    exp = len(ds) + exponent - 1
    head = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
        return f"{head}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp < 0:
        return f"{head}0.{'0' * (-exp - 1)}{ds}"
    if len(ds) <= exp + 1:
        return head + ds + "0" * (exp + 1 - len(ds))
    return f"{head}{ds[: exp + 1]}.{ds[exp + 1 :]}"
