"""Timestamps as Vector writes them: RFC 3339 in UTC, read in the local zone when the log
gives none, and in the current year when it gives no year.

Vector turns a parsed timestamp into a UTC ``DateTime`` and writes it with chrono's
``to_rfc3339_opts(SecondsFormat::AutoSi, true)``: ``2000-10-10T20:55:36Z``, with a fraction
only when there is one, in groups of 3, 6 or 9 digits (``.5`` is written ``.500``). A time
without a zone is read in the local zone: ``TZ`` when it names one, else the system's.
``timestamp_format`` options use chrono's ``strftime`` spelling (``%d/%b/%Y:%T %z``, ``%+``),
read by ``parse_chrono``.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, tzinfo

__all__ = ["local_zone", "parse_chrono", "resolve_year", "to_rfc3339", "to_utc"]


def local_zone() -> tzinfo | None:
    """The zone ``TZ`` names (``Europe/Berlin``, ``UTC``), or ``None`` for the system's."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return None  # a POSIX rule such as `EST5EDT`: the C library reads it (time.tzset)


def to_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is read in the local zone first."""
    if moment.tzinfo is None:
        zone = local_zone()
        moment = moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
    return moment.astimezone(UTC)


def to_rfc3339(moment: datetime) -> str:
    """chrono's ``to_rfc3339_opts(SecondsFormat::AutoSi, true)`` of ``moment`` in UTC."""
    utc = to_utc(moment)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    micro = utc.microsecond
    if micro:
        text += f".{micro // 1000:03d}" if micro % 1000 == 0 else f".{micro:06d}"
    return text + "Z"


def resolve_year(month: int, now: datetime | None = None) -> int:
    """The year of a date written without one, as Vector's syslog reader guesses it: the
    current year, or the previous one for a December line read in January."""
    today = now or datetime.now(UTC)
    return today.year - 1 if today.month == 1 and month == 12 else today.year


# chrono's specifiers that Python's strptime spells differently or lacks
_CHRONO = re.compile(r"%([-_0^#]?)(\.?\d?f|:z|::z|[A-Za-z%+])")
_SIMPLE = {
    "T": "%H:%M:%S",
    "D": "%m/%d/%y",
    "F": "%Y-%m-%d",
    "R": "%H:%M",
    "e": "%d",
    "k": "%H",
    "l": "%I",
    "h": "%b",
    "P": "%p",
    ":z": "%z",
}


def _translate(fmt: str) -> str | None:
    """The Python ``strptime`` format for a chrono one, or ``None`` when it needs more."""
    parts: list[str] = []
    last = 0
    for m in _CHRONO.finditer(fmt):
        parts.append(fmt[last : m.start()].replace("%", "%%"))
        spec = m.group(2)
        if spec in ("+", "s") or (spec.endswith("f") and spec != "f") or spec == "::z":
            return None
        parts.append(_SIMPLE.get(spec, "%" + spec))
        last = m.end()
    parts.append(fmt[last:].replace("%", "%%"))
    return "".join(parts)


def parse_chrono(text: str, fmt: str) -> datetime:
    """``text`` read with chrono's ``strftime`` format ``fmt``: aware when the text gives a
    zone, else naive (the caller reads it in the local zone). ``%+`` is RFC 3339 / ISO 8601,
    ``%s`` seconds since the epoch, ``%.f`` / ``%.3f`` an optional fraction. Raises
    ``ValueError`` with a reason."""
    if fmt == "%+":
        return datetime.fromisoformat(text.replace("z", "Z"))
    if fmt == "%s":
        return datetime.fromtimestamp(int(text), UTC)
    python = _translate(fmt)
    if python is None:
        python = re.sub(r"%\.\d?f", "%f", fmt.replace("%T", "%H:%M:%S"))
        if "%f" in python:
            python = python.replace("%f", ".%f")
            try:
                return datetime.strptime(text, python)
            except ValueError:
                return datetime.strptime(text, python.replace(".%f", ""))
        raise ValueError(f"unsupported format {fmt}")
    moment = datetime.strptime(text, python)
    return moment
