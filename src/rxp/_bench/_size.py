"""Sizes as people write them: ``256MiB``, ``1GiB``, ``10MB``, ``4096`` (bytes)."""

from __future__ import annotations

import re

from .._errors import RxpError

__all__ = ["format_size", "parse_size"]

_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "m": 1000**2,
    "mb": 1000**2,
    "g": 1000**3,
    "gb": 1000**3,
    "t": 1000**4,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*")


def parse_size(text: str) -> int:
    """Bytes in ``text``: SI units (``kB``, ``MB``, ``GB``: powers of 1000) and binary units
    (``KiB``, ``MiB``, ``GiB``: powers of 1024), case-insensitive; a bare number is bytes.
    Raises ``RxpError`` for anything else or for zero."""
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise RxpError(f"invalid size {text!r}: expected a number with a unit such as 256MiB")
    size = int(float(match.group(1)) * _UNITS[unit])
    if size <= 0:
        raise RxpError(f"invalid size {text!r}: must be more than zero bytes")
    return size


def format_size(size: int) -> str:
    """The shortest exact binary form (``1GiB``), else bytes."""
    for unit, factor in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return f"{size}B"
