"""The fast path of chrono's parsing: a format made of numbers, names, literals, fractions
and offsets becomes one regular expression that takes exactly what chrono's items take
(possessive everywhere, so it never backtracks where chrono would not), and a setter per
group. Any other format, and any text the expression refuses, goes through the
item-by-item port in ``_chrono``, which also gives the reason for a refusal; a property test
holds the two to the same answers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from ._chrono import (
    DAY_SUFFIX,
    DAYS,
    I64_MAX,
    MONTH_SUFFIX,
    MONTHS,
    OUT_OF_RANGE,
    ChronoError,
    Fields,
    Item,
    compile_format,
    scan_fields,
    set_field,
    set_numeric,
)

__all__ = ["parse_fields"]


def parse_fields(text: str, fmt: str) -> Fields:
    """The fields chrono's ``parse`` gathers from ``text`` with ``fmt`` (``year``,
    ``month``, ``hour_div_12``, ``offset`` in seconds, ``weekday`` as days from Monday...).
    The whole text must be read. Raises ``ChronoError``.

    One regular expression when the format has a fast form and the text fits it, else
    ``scan_fields``."""
    fast = _fast_reader(fmt)
    if fast is not None:
        m = fast[0].fullmatch(text)
        if m is not None:
            p: Fields = {}
            for setter, value in zip(fast[1], m.groups(), strict=True):
                setter(p, value)
            return p
    return scan_fields(text, fmt)


_WS_CLASS = "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_MONTH_RX = "|".join(MONTHS)
_LONG_MONTH_RX = "|".join(f"{m}(?:{sfx})?+" for m, sfx in zip(MONTHS, MONTH_SUFFIX, strict=True))
_DAY_RX = "|".join(DAYS)
_LONG_DAY_RX = "|".join(f"{d}(?:{sfx})?+" for d, sfx in zip(DAYS, DAY_SUFFIX, strict=True))
Setter = Callable[[Fields, str | None], None]


def _numeric_setter(field: str) -> Setter:
    def run(p: Fields, text: str | None) -> None:
        assert text is not None
        if text[0] in "+-":
            value = int(text[1:])
            if value > I64_MAX:
                raise ChronoError(OUT_OF_RANGE)
            value = -value if text[0] == "-" else value
        else:
            value = int(text)
            if value > I64_MAX:
                raise ChronoError(OUT_OF_RANGE)
        set_numeric(p, field, value)

    return run


def _month_setter(p: Fields, text: str | None) -> None:
    assert text is not None
    set_numeric(p, "month", MONTHS.index(text[:3].lower()) + 1)


def _weekday_setter(p: Fields, text: str | None) -> None:
    assert text is not None
    set_field(p, "weekday", DAYS.index(text[:3].lower()))


def _ampm_setter(p: Fields, text: str | None) -> None:
    assert text is not None
    set_field(p, "hour_div_12", int(text.lower() == "pm"))


def _nano_setter(digits: int | None) -> Setter:
    def run(p: Fields, text: str | None) -> None:
        if text is not None:  # no dot: nothing read
            width = len(text) if digits is None else digits
            set_numeric(p, "nanosecond", int(text[:9]) * 10 ** (9 - min(width, 9)))

    return run


def _offset_setter(p: Fields, text: str | None) -> None:
    assert text is not None
    sign, hours, minutes = text[0], int(text[1:3]), int(text[-2:])
    seconds = hours * 3600 + minutes * 60
    set_field(p, "offset", seconds if sign == "+" else -seconds)


def _fast_piece(item: Item) -> tuple[str, Setter | None] | None:
    """The regex for one item and the setter for its group (``None``: no group), or
    ``None`` when the item has no fast form."""
    kind = item[0]
    if kind == "lit":
        return re.escape(item[1]), None
    if kind == "space":
        return _WS_CLASS + "*+", None
    if kind == "num":
        _, field, width, signed = item  # type: ignore[misc]
        digits = "[0-9]++" if width > 9 else f"[0-9]{{1,{width}}}+"
        body = f"(?>[-+][0-9]++|{digits})" if signed else digits
        return f"{_WS_CLASS}*+({body})", _numeric_setter(field)
    name = item[1]
    if name == "short_month":
        return f"((?i:{_MONTH_RX}))", _month_setter
    if name == "long_month":
        return f"((?>(?i:{_LONG_MONTH_RX})))", _month_setter
    if name == "short_weekday":
        return f"((?i:{_DAY_RX}))", _weekday_setter
    if name == "long_weekday":
        return f"((?>(?i:{_LONG_DAY_RX})))", _weekday_setter
    if name == "ampm":
        return "((?i:[ap]m))", _ampm_setter
    if name == "nano":  # a dot takes its digits (one at least); no dot, nothing
        return r"(?:\.([0-9]{1,9}+)[0-9]*+|(?!\.))", _nano_setter(None)
    if name in ("nano3", "nano6", "nano9"):
        n = name[-1]
        return rf"(?:\.([0-9]{{{n}}})|(?!\.))", _nano_setter(int(n))
    if name == "offset":
        return (
            f"{_WS_CLASS}*+([-+][0-9]{{2}}(?::|{_WS_CLASS})*+[0-5][0-9])",
            _offset_setter,
        )
    return None


@functools.lru_cache(maxsize=64)
def _fast_reader(fmt: str) -> tuple[re.Pattern[str], tuple[Setter, ...]] | None:
    """The regex reading ``fmt`` and the setter of each of its groups, or ``None``."""
    parts: list[str] = []
    setters: list[Setter] = []
    for item in compile_format(fmt):
        piece = _fast_piece(item)
        if piece is None:
            return None
        parts.append(piece[0])
        if piece[1] is not None:
            setters.append(piece[1])
    return re.compile("".join(parts), re.ASCII), tuple(setters)
