"""chrono's field resolution (``src/format/parsed.rs``, chrono 0.4.45, MIT/Apache-2.0):
the fields ``_chrono`` gathered are checked against each other and turned into a date and a
time, or refused with chrono's reason (``no possible date and time matching input`` for a
Tuesday that is a Wednesday, ``input is not enough...`` for a date without a time).

Python's ``date`` stands in for chrono's ``NaiveDate``: years 1 to 9999 only, where chrono
goes much further; a year outside is ``input is out of range``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ._chrono import IMPOSSIBLE, NOT_ENOUGH, OUT_OF_RANGE, ChronoError, Fields, set_numeric

__all__ = ["naive_datetime"]


def _resolve_year(y: int | None, q: int | None, r: int | None) -> int | None:
    if q is None and r is None:
        return y
    if y is not None and (r is None or 0 <= r <= 99):
        if y < 0:
            raise ChronoError(IMPOSSIBLE)
        if (q if q is not None else y // 100) == y // 100 and (
            r if r is not None else y % 100
        ) == y % 100:
            return y
        raise ChronoError(IMPOSSIBLE)
    if y is None and q is not None and r is not None and 0 <= r <= 99:
        if q < 0:
            raise ChronoError(IMPOSSIBLE)
        return q * 100 + r
    if y is None and q is None and r is not None and 0 <= r <= 99:
        return r + (2000 if r < 70 else 1900)
    if y is None and q is not None and r is None:
        raise ChronoError(NOT_ENOUGH)
    raise ChronoError(OUT_OF_RANGE)


def _date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise ChronoError(OUT_OF_RANGE) from None


def _from_yo(y: int, ordinal: int) -> date:
    first = _date(y, 1, 1)
    try:
        result = first + timedelta(days=ordinal - 1)
    except OverflowError:
        raise ChronoError(OUT_OF_RANGE) from None
    if result.year != y:
        raise ChronoError(OUT_OF_RANGE)
    return result


def _weeks_from(d: date, start: int) -> int:
    """chrono's ``weeks_from``: weeks of the year begun on weekday ``start`` (0 = Monday)."""
    return (d.timetuple().tm_yday - (d.weekday() - start) % 7 + 6) // 7


def _week_date(year: int, week: int, weekday: int, start: int) -> date:
    first = _date(year, 1, 1)
    first_week_start = 1 + (start - first.weekday()) % 7
    ordinal = first_week_start + (week - 1) * 7 + (weekday - start) % 7
    if ordinal <= 0:
        raise ChronoError(IMPOSSIBLE)
    try:
        return _from_yo(year, ordinal)
    except ChronoError:
        raise ChronoError(IMPOSSIBLE) from None


_WEEKISH = frozenset(
    ("weekday", "ordinal", "week_from_sun", "week_from_mon", "isoweek", "isoyear",
     "isoyear_div_100", "isoyear_mod_100", "quarter")
)  # fmt: skip


def _to_date(p: Fields) -> date:
    year = _resolve_year(p.get("year"), p.get("year_div_100"), p.get("year_mod_100"))
    iso = _resolve_year(p.get("isoyear"), p.get("isoyear_div_100"), p.get("isoyear_mod_100"))
    month, day = p.get("month"), p.get("day")
    if year is not None and month is not None and day is not None:
        d = _date(year, month, day)
        if p.keys().isdisjoint(_WEEKISH):
            return d  # the common case: nothing else to agree with
    elif year is not None and "ordinal" in p:
        d = _from_yo(year, p["ordinal"])
    elif year is not None and "week_from_sun" in p and "weekday" in p:
        d = _week_date(year, p["week_from_sun"], p["weekday"], 6)
    elif year is not None and "week_from_mon" in p and "weekday" in p:
        d = _week_date(year, p["week_from_mon"], p["weekday"], 0)
    else:
        if iso is None or "isoweek" not in p or "weekday" not in p:
            raise ChronoError(NOT_ENOUGH)
        try:
            d = date.fromisocalendar(iso, p["isoweek"], p["weekday"] + 1)
        except ValueError:
            raise ChronoError(OUT_OF_RANGE) from None
    if not _agrees(p, d):
        raise ChronoError(IMPOSSIBLE)
    return d


def _agrees(p: Fields, d: date) -> bool:
    """Every field given agrees with ``d`` (chrono's ``verify_*`` and the quarter check)."""
    y = d.year
    iso_year, iso_week, iso_day = d.isocalendar()
    want = {
        "year": y,
        "year_div_100": y // 100,
        "year_mod_100": y % 100,
        "month": d.month,
        "day": d.day,
        "isoyear": iso_year,
        "isoyear_div_100": iso_year // 100,
        "isoyear_mod_100": iso_year % 100,
        "isoweek": iso_week,
        "weekday": iso_day - 1,
        "ordinal": d.timetuple().tm_yday,
        "week_from_sun": _weeks_from(d, 6),
        "week_from_mon": _weeks_from(d, 0),
        "quarter": (d.month - 1) // 3 + 1,
    }
    return all(p.get(k, v) == v for k, v in want.items())


def _to_time(p: Fields) -> tuple[int, int, int, int]:
    """(hour, minute, second, nanosecond); a leap second is 59 with 1e9 ns more."""
    if "hour_div_12" not in p or "hour_mod_12" not in p or "minute" not in p:
        raise ChronoError(NOT_ENOUGH)
    second = p.get("second")
    s = 0 if second is None else second
    nano = 0
    if s == 60:
        s, nano = 59, 1_000_000_000
    if "nanosecond" in p:
        if second is None:
            raise ChronoError(NOT_ENOUGH)
        nano += p["nanosecond"]
    return p["hour_div_12"] * 12 + p["hour_mod_12"], p["minute"], s, nano


_EPOCH = datetime(1970, 1, 1)


def naive_datetime(p: Fields, offset: int) -> tuple[datetime, int]:
    """chrono's ``to_naive_datetime_with_offset``: the local date and time the fields give
    (``offset`` seconds east of UTC relates them to a ``%s`` timestamp), as a datetime
    without microseconds and the nanoseconds (over 1e9 for a leap second)."""
    try:
        d: date | None = _to_date(p)
        date_error = ""
    except ChronoError as exc:
        d, date_error = None, exc.kind
    try:
        t: tuple[int, int, int, int] | None = _to_time(p)
        time_error = ""
    except ChronoError as exc:
        t, time_error = None, exc.kind
    stamp = p.get("timestamp")
    if d is not None and t is not None:
        moment = datetime(d.year, d.month, d.day, t[0], t[1], t[2])
        if stamp is not None:
            local = (moment - _EPOCH) // timedelta(seconds=1) - offset
            if stamp != local and not (t[3] >= 1_000_000_000 and stamp == local + 1):
                raise ChronoError(IMPOSSIBLE)
        return moment, t[3]
    if stamp is None:
        raise ChronoError(date_error or time_error)
    for kind in (OUT_OF_RANGE, IMPOSSIBLE):
        if kind in (date_error, time_error):
            raise ChronoError(kind)
    try:
        moment = _EPOCH + timedelta(seconds=stamp + offset)
    except OverflowError:
        raise ChronoError(OUT_OF_RANGE) from None
    q = dict(p)
    if q.get("second") == 60:
        if moment.second == 0:
            moment -= timedelta(seconds=1)
        elif moment.second != 59:
            raise ChronoError(IMPOSSIBLE)
    else:
        set_numeric(q, "second", moment.second)
    set_numeric(q, "year", moment.year)
    set_numeric(q, "ordinal", moment.timetuple().tm_yday)
    set_numeric(q, "hour", moment.hour)
    set_numeric(q, "minute", moment.minute)
    d = _to_date(q)
    t = _to_time(q)
    return datetime(d.year, d.month, d.day, t[0], t[1], t[2]), t[3]
