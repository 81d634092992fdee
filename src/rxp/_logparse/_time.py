"""Timestamps as Vector writes them: RFC 3339 in UTC, read in the local zone when the log
gives none, and in the current year when it gives no year.

Vector turns a parsed timestamp into a UTC ``DateTime`` and writes it with chrono's
``to_rfc3339_opts(SecondsFormat::AutoSi, true)``: ``2000-10-10T20:55:36Z``, with a fraction
only when there is one, in groups of 3, 6 or 9 digits (``.5`` is written ``.500``). A time
without a zone is read in the local zone: ``TZ`` when it names one, else the system's.
``timestamp_format`` options use chrono's ``strftime`` spelling (``%d/%b/%Y:%T %z``, ``%+``),
read by ``parse_chrono`` (a datetime, as written) and ``chrono_utc`` (the instant, as VRL's
``TimeZone::datetime_from_str`` finds it), both on the port of chrono in ``_chrono``,
``_chrono_fast`` and ``_chrono_resolve``.
Python's datetime stops at microseconds and at years 1 to 9999: ``chrono_utc`` keeps the
nanoseconds beside it, and a year outside that range is an error where chrono would go on.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from ._chrono import NOT_ENOUGH, OUT_OF_RANGE, ChronoError
from ._chrono_fast import parse_fields as _parse_fields
from ._chrono_resolve import naive_datetime

__all__ = [
    "ChronoError",
    "chrono_utc",
    "local_zone",
    "parse_chrono",
    "resolve_year",
    "to_rfc3339",
    "to_utc",
]


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


def to_rfc3339(moment: datetime, nanosecond: int | None = None) -> str:
    """chrono's ``to_rfc3339_opts(SecondsFormat::AutoSi, true)`` of ``moment`` in UTC.
    ``nanosecond``, when given, is the whole fraction of the second in nanoseconds (it
    replaces ``moment.microsecond``; 1e9 and over is a leap second, written ``:60``)."""
    utc = to_utc(moment)
    nano = utc.microsecond * 1000 if nanosecond is None else nanosecond
    second = utc.second
    if nano >= 1_000_000_000:
        second, nano = second + 1, nano - 1_000_000_000
    text = (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{second:02d}"
    )
    if nano:
        if nano % 1_000_000 == 0:
            text += f".{nano // 1_000_000:03d}"
        elif nano % 1000 == 0:
            text += f".{nano // 1000:06d}"
        else:
            text += f".{nano:09d}"
    return text + "Z"


def resolve_year(month: int, now: datetime | None = None) -> int:
    """The year of a date written without one, as Vector's syslog reader guesses it: the
    current year, or the previous one for a December line read in January."""
    today = now or datetime.now(UTC)
    return today.year - 1 if today.month == 1 and month == 12 else today.year


def _with_micro(moment: datetime, nano: int) -> datetime:
    return moment.replace(microsecond=min(nano, 999_999_999) // 1000)


def _shifted(moment: datetime, offset: int) -> datetime:
    """The UTC instant of local ``moment`` at ``offset`` seconds east (chrono's
    ``FixedOffset::east_opt``: under a day)."""
    if not -86_400 < offset < 86_400:
        raise ChronoError(OUT_OF_RANGE)
    try:
        return (moment - timedelta(seconds=offset)).replace(tzinfo=UTC)
    except OverflowError:
        raise ChronoError(OUT_OF_RANGE) from None


def _local_offsets(moment: datetime) -> tuple[int, int]:
    """The local zone's offsets (seconds east) for naive ``moment`` read before and after a
    shift of the clocks (``fold`` 0 and 1): equal unless the time is skipped or repeated."""
    zone = local_zone()
    both = []
    for fold in (0, 1):
        local = moment.replace(fold=fold)
        aware = local.replace(tzinfo=zone) if zone is not None else local.astimezone()
        delta = aware.utcoffset()
        both.append(int(delta.total_seconds()) if delta is not None else 0)
    return both[0], both[1]


def _offset_at(instant: datetime) -> int:
    """The local zone's offset (seconds east) at the UTC ``instant``."""
    zone = local_zone()
    local = instant.astimezone(zone) if zone is not None else instant.astimezone()
    delta = local.utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def chrono_utc(text: str, fmt: str) -> tuple[datetime, int]:
    """``text`` read with chrono's format ``fmt`` as VRL's ``datetime_from_str`` reads it,
    falling back to ``DateTime::parse_from_str`` as ``log_util::parse_time`` does: the UTC
    instant (aware, microseconds filled in) and its fraction in nanoseconds. A time with an
    offset is read at that offset, a ``%s`` timestamp is the instant it counts, any other
    time is local (``TZ``), and a local time the clocks skip or repeat is an error, as in
    chrono. Raises ``ChronoError`` (a ``ValueError``) with chrono's reason."""
    p = _parse_fields(text, fmt)
    offset = p.get("offset")
    try:
        if offset is not None:
            moment, nano = naive_datetime(p, offset)
            return _with_micro(_shifted(moment, offset), nano), nano
        stamp = p.get("timestamp")
        if stamp is None:
            moment, nano = naive_datetime(p, 0)
            before, after = _local_offsets(moment)
            if before != after:  # skipped or repeated: chrono cannot choose
                raise ChronoError(NOT_ENOUGH)
            return _with_micro(_shifted(moment, before), nano), nano
        try:
            instant = datetime.fromtimestamp(stamp, UTC)
        except (OverflowError, OSError, ValueError):
            raise ChronoError(OUT_OF_RANGE) from None
        guessed = _offset_at(instant)
        moment, nano = naive_datetime(p, guessed)
        before, after = _local_offsets(moment)
        if before == after == guessed:
            return _with_micro(_shifted(moment, guessed), nano), nano
        moment, nano = naive_datetime(p, 0)  # parse_from_str: a timestamp is UTC
        return _with_micro(_shifted(moment, 0), nano), nano
    except ChronoError:
        raise
    except (OverflowError, ValueError):  # past Python's years 1 to 9999
        raise ChronoError(OUT_OF_RANGE) from None


def parse_chrono(text: str, fmt: str) -> datetime:
    """``text`` read with chrono's ``strftime`` format ``fmt``, as written: aware when the
    text gives an offset (``%z``, ``%+``) or a ``%s`` timestamp (UTC), else naive (the
    caller reads it in the local zone, see ``to_utc``). Microsecond precision (a leap
    second reads as 59.999999). Raises ``ChronoError`` (a ``ValueError``) with chrono's
    reason: ``input contains invalid characters``, ``trailing input``, ..."""
    p = _parse_fields(text, fmt)
    offset = p.get("offset")
    try:
        if offset is not None:
            if not -86_400 < offset < 86_400:
                raise ChronoError(OUT_OF_RANGE)
            moment, nano = naive_datetime(p, offset)
            return _with_micro(moment, nano).replace(tzinfo=timezone(timedelta(seconds=offset)))
        if "timestamp" in p:
            moment, nano = naive_datetime(p, 0)
            return _with_micro(moment, nano).replace(tzinfo=UTC)
        moment, nano = naive_datetime(p, 0)
        return _with_micro(moment, nano)
    except ChronoError:
        raise
    except (OverflowError, ValueError):  # past Python's years 1 to 9999
        raise ChronoError(OUT_OF_RANGE) from None
