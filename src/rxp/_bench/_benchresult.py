"""What benchstat's projections and filters read from a result (``benchproc/extract.go``,
``sort.go``): the name's parts (``.name``, ``/key``, ``/gomaxprocs`` from ``-N``), file
configuration keys, and the ``@num`` / ``@alpha`` orders of values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "BUILTIN_ORDERS",
    "BResult",
    "Extractor",
    "Value",
    "base_name",
    "extractor",
    "fullname_extractor",
    "name_parts",
    "parse_num",
]


@dataclass(frozen=True, slots=True)
class Value:
    """One measurement, tidied (``orig_unit`` is the unit as written, "" if unchanged)."""

    value: float
    unit: str
    orig_unit: str = ""


@dataclass(frozen=True, slots=True)
class BResult:
    """A result as benchproc sees it: ``name`` without ``Benchmark``; ``config`` the
    ``(key, value, is_file_key)`` entries in benchfmt's order (``.file`` is not a file key)."""

    name: str
    config: tuple[tuple[str, str, bool], ...]
    values: tuple[Value, ...]

    def get(self, key: str) -> str:
        return next((v for k, v, _ in self.config if k == key), "")


# -- names -------------------------------------------------------------------------------------


def split_gomaxprocs(name: str) -> tuple[str, str]:
    """benchfmt ``splitGomaxprocs``: a trailing ``-digits`` is GOMAXPROCS."""
    i = len(name) - 1
    while i >= 0:
        if name[i] == "-" and i < len(name) - 1:
            return name[:i], name[i:]
        if not "0" <= name[i] <= "9":
            break
        i -= 1
    return name, ""


def base_name(name: str) -> str:
    """benchfmt ``Name.Base``."""
    slash = name.find("/")
    return name[:slash] if slash >= 0 else split_gomaxprocs(name)[0]


def name_parts(name: str) -> tuple[str, list[str]]:
    """benchfmt ``Name.Parts``: the base and the ``/...`` parts, then the ``-N`` part."""
    rest, procs = split_gomaxprocs(name)
    pieces, prev = [], 0
    for i, ch in enumerate(rest):
        if ch == "/":
            pieces.append(rest[prev:i])
            prev = i
    pieces.append(rest[prev:])
    if procs:
        pieces.append(procs)
    return pieces[0], pieces[1:]


Extractor = Callable[[BResult], str]


def extractor(key: str) -> Extractor:
    """benchproc ``newExtractor`` for ``.name``, ``.fullname``, ``/key`` or a config key."""
    if not key:
        raise ValueError("key must not be empty")
    if key == ".name":
        return lambda r: base_name(r.name)
    if key == ".fullname":
        return lambda r: r.name
    if key.startswith("/"):
        prefix, procs = key + "=", key == "/gomaxprocs"

        def name_key(r: BResult) -> str:
            _, parts = name_parts(r.name)
            if procs and parts and parts[-1][0] == "-":
                return parts[-1][1:]
            return next((p[len(prefix) :] for p in parts if p.startswith(prefix)), "")

        return name_key
    return lambda r: r.get(key)


def fullname_extractor(exclude: Sequence[str]) -> Extractor:
    """benchproc ``newExtractorFullName``: the full name without the excluded ``/key``
    parts (``.name`` excluded: the base becomes ``*``)."""
    deletes = [k + "=" for k in exclude if k.startswith("/")]
    exc_name, exc_procs = ".name" in exclude, "/gomaxprocs" in exclude
    if not deletes and not exc_name:
        return lambda r: r.name

    def extract(r: BResult) -> str:
        name = r.name
        found = exc_name or any(d in name for d in deletes) or (exc_procs and "-" in name)
        if not found:
            return name
        base, parts = name_parts(name)
        kept = [
            p
            for p in parts
            if not any(p.startswith(d) for d in deletes) and not (exc_procs and p[0] == "-")
        ]
        return ("*" if exc_name else base) + "".join(kept)

    return extract


# -- orders ------------------------------------------------------------------------------------

_NUM = re.compile(r"([0-9.]+)([kKMGTPEZY]i?)?[bB]?")
_GO_FLOAT = re.compile(
    r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?inf(?:inity)?|nan", re.I
)


def parse_num(text: str) -> float | None:
    """benchproc ``parseNum``: a float, or a number with an SI or IEC prefix."""
    if _GO_FLOAT.fullmatch(text):
        return float(text)
    m = _NUM.search(text)
    if m is not None:
        try:
            value = float(m.group(1))
        except ValueError:
            return None
        prefix = m.group(2) or ""
        exp = 1 + "KMGTPEZY".index(prefix[0].upper()) if prefix else 0
        return value * (1024.0 if prefix.endswith("i") else 1000.0) ** exp
    return None


def _num_cmp(a: str, b: str) -> int:
    x, y = parse_num(a), parse_num(b)
    if x is not None and y is not None:
        if x < y or (not math.isnan(x) and math.isnan(y)):
            return -1
        if x > y or (math.isnan(x) and not math.isnan(y)):
            return 1
        return 0
    if x is None and y is None:
        return 0
    return -1 if x is not None else 1


BUILTIN_ORDERS: dict[str, Callable[[str, str], int]] = {
    "alpha": lambda a, b: (a > b) - (a < b),
    "num": _num_cmp,
}
