"""chrono's ``strftime`` parsing, ported: what Vector reads with a ``timestamp_format``.

VRL reads a timestamp with ``chrono::format::parse(StrftimeItems::new(format))`` (chrono
0.4.45, MIT/Apache-2.0): the format becomes items (``src/format/strftime.rs``), the items
consume the text left to right without backtracking (``parse.rs``, ``scan.rs``), and the
fields gathered are checked for consistency and resolved to a date and time
(``parsed.rs``). This module follows that code step by step, so its answers (and the
oddities: ``%f`` is a count of nanoseconds, not a fraction; a space in the format takes any
run of white space, none included; ``%d`` takes ``5`` as well as ``05``; ``%z`` takes
``+07:00``) are chrono's. Errors are ``ChronoError`` with chrono's own words.

``compile_format`` turns a format into items once; ``parse_fields`` reads one text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "ChronoError",
    "Fields",
    "Item",
    "compile_format",
    "naive_datetime",
    "parse_fields",
    "scan_fields",
]

# chrono's ParseErrorKind, as its Display writes them
OUT_OF_RANGE = "input is out of range"
IMPOSSIBLE = "no possible date and time matching input"
NOT_ENOUGH = "input is not enough for unique date and time"
INVALID = "input contains invalid characters"
TOO_SHORT = "premature end of input"
TOO_LONG = "trailing input"
BAD_FORMAT = "bad or unsupported format string"

# Rust's char::is_whitespace (Unicode White_Space), which str::trim_start uses
WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_I64_MAX = 2**63 - 1
_I32 = (-(2**31), 2**31 - 1)


class ChronoError(ValueError):
    """A text the format does not read, or a format chrono rejects; ``kind`` is chrono's
    message (``input contains invalid characters``)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


# An item: ("lit", text) | ("space", "") | ("num", field, width, signed) | ("fixed", name)
# | ("error", "")
Item = tuple[str, str] | tuple[str, str, int, bool]


def _num(field: str, width: int, signed: bool = False) -> Item:
    return ("num", field, width, signed)


_NUMERIC: dict[str, Item] = {
    "C": _num("year_div_100", 2),
    "G": _num("isoyear", 4, True),
    "H": _num("hour", 2),
    "I": _num("hour12", 2),
    "M": _num("minute", 2),
    "S": _num("second", 2),
    "U": _num("week_from_sun", 2),
    "V": _num("isoweek", 2),
    "W": _num("week_from_mon", 2),
    "Y": _num("year", 4, True),
    "d": _num("day", 2),
    "e": _num("day", 2),
    "f": _num("nanosecond", 9),
    "g": _num("isoyear_mod_100", 2),
    "j": _num("ordinal", 3),
    "k": _num("hour", 2),
    "l": _num("hour12", 2),
    "m": _num("month", 2),
    "q": _num("quarter", 1),
    "s": _num("timestamp", 10**9),
    "u": _num("weekday_from_mon", 1),
    "w": _num("weekday_from_sun", 1),
    "y": _num("year_mod_100", 2),
}
_FIXED: dict[str, Item] = {
    "A": ("fixed", "long_weekday"),
    "B": ("fixed", "long_month"),
    "Z": ("fixed", "tz_name"),
    "a": ("fixed", "short_weekday"),
    "b": ("fixed", "short_month"),
    "h": ("fixed", "short_month"),
    "P": ("fixed", "ampm"),
    "p": ("fixed", "ampm"),
    "z": ("fixed", "offset"),
    "+": ("fixed", "rfc3339"),
}


def _lit(text: str) -> Item:
    return ("lit", text)


_SPACE: Item = ("space", "")
_T = [_NUMERIC["H"], _lit(":"), _NUMERIC["M"], _lit(":"), _NUMERIC["S"]]
_COMPOSITE: dict[str, list[Item]] = {
    "D": [_NUMERIC["m"], _lit("/"), _NUMERIC["d"], _lit("/"), _NUMERIC["y"]],
    "x": [_NUMERIC["m"], _lit("/"), _NUMERIC["d"], _lit("/"), _NUMERIC["y"]],
    "F": [_NUMERIC["Y"], _lit("-"), _NUMERIC["m"], _lit("-"), _NUMERIC["d"]],
    "R": [_NUMERIC["H"], _lit(":"), _NUMERIC["M"]],
    "T": _T,
    "X": _T,
    "c": [
        _FIXED["a"],
        _SPACE,
        _FIXED["b"],
        _SPACE,
        _NUMERIC["e"],
        _SPACE,
        *_T,
        _SPACE,
        _NUMERIC["Y"],
    ],
    "r": [
        _NUMERIC["I"],
        _lit(":"),
        _NUMERIC["M"],
        _lit(":"),
        _NUMERIC["S"],
        _SPACE,
        _FIXED["p"],
    ],
    "v": [_NUMERIC["e"], _lit("-"), _FIXED["b"], _lit("-"), _NUMERIC["Y"]],
    "n": [_SPACE],
    "t": [_SPACE],
    "%": [_lit("%")],
}
_DOTTED = {".f": "nano", ".3f": "nano3", ".6f": "nano6", ".9f": "nano9"}
_UNDOTTED = {"3f": "nano3_nodot", "6f": "nano6_nodot", "9f": "nano9_nodot"}
_ERROR: Item = ("error", "")


def _specifier(fmt: str, i: int) -> tuple[list[Item], int]:
    """The items of the specifier whose ``%`` is at ``fmt[i]``, and where the next starts."""
    n = len(fmt)
    j = i + 1
    if j >= n:
        return [_ERROR], n
    pad = fmt[j] in "-0_"
    alternate = fmt[j] == "#"
    if pad or alternate:
        j += 1
        if j >= n:
            return [_ERROR], n
    spec = fmt[j]
    j += 1
    if alternate:  # chrono's HAVE_ALTERNATES: only `%#z`, the permissive offset
        return ([("fixed", "offset_permissive")] if spec == "z" else [_ERROR]), j
    items: list[Item]
    if spec in _NUMERIC:
        items = [_NUMERIC[spec]]
    elif spec in _FIXED:
        items = [_FIXED[spec]]
    elif spec in _COMPOSITE:
        items = _COMPOSITE[spec]
    elif spec == ":":
        if fmt.startswith("::z", j):
            items, j = [("fixed", "offset")], j + 3
        elif fmt.startswith(":z", j):
            items, j = [("fixed", "offset")], j + 2
        elif fmt.startswith("z", j):
            items, j = [("fixed", "offset")], j + 1
        else:
            items = [_ERROR]
    elif spec == ".":
        for text, name in _DOTTED.items():
            if fmt.startswith(text[1:], j):
                return [("fixed", name)], j + len(text) - 1
        return [_ERROR], min(j + 1, n)
    elif spec in "369":
        if fmt.startswith("f", j):
            items, j = [("fixed", _UNDOTTED[spec + "f"])], j + 1
        else:
            items = [_ERROR]
    else:
        items = [_ERROR]
    if pad and not (len(items) == 1 and items[0][0] == "num" and spec in _NUMERIC):
        items = [_ERROR]  # a padding modifier only on a single numeric item
    return items, j


@functools.lru_cache(maxsize=64)
def compile_format(fmt: str) -> tuple[Item, ...]:
    """chrono's ``StrftimeItems`` of ``fmt``: runs of white space are one ``space`` item,
    other text ``lit`` items, each specifier its items (``%T`` three numbers and two
    literals). A specifier chrono does not know is an ``error`` item, which fails the parse
    when it is reached, as in chrono."""
    items: list[Item] = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "%":
            more, i = _specifier(fmt, i)
            items.extend(more)
        elif c in WHITESPACE:
            while i < n and fmt[i] in WHITESPACE:
                i += 1
            items.append(_SPACE)
        else:
            j = i
            while j < n and fmt[j] != "%" and fmt[j] not in WHITESPACE:
                j += 1
            items.append(("lit", fmt[i:j]))
            i = j
    return tuple(items)


def bad_format(fmt: str) -> bool:
    """Whether ``fmt`` holds a specifier chrono rejects (every parse with it fails)."""
    return _ERROR in compile_format(fmt)


Fields = dict[str, int]

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_SUFFIX = ("uary", "ruary", "ch", "il", "", "e", "y", "ust", "tember", "ober", "ember",
                 "ember")  # fmt: skip
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_SUFFIX = ("day", "sday", "nesday", "rsday", "day", "urday", "day")
_ASCII_LOWER = {chr(c): chr(c | 32) for c in range(65, 91)}


def _lower3(s: str, i: int) -> str | None:
    """The three characters at ``i``, ASCII letters lower-cased (chrono's ``| 32`` on bytes)."""
    part = s[i : i + 3]
    if len(part) < 3 or not part.isascii():
        return None
    return "".join(_ASCII_LOWER.get(ch, ch) for ch in part)


def _skip_ws(s: str, i: int) -> int:
    n = len(s)
    while i < n and s[i] in WHITESPACE:
        i += 1
    return i


def _number(s: str, i: int, lo: int, hi: int) -> tuple[int, int]:
    """chrono's ``scan::number``: ``lo`` to ``hi`` ASCII digits at ``i``, checked in i64."""
    if len(s) - i < lo:  # chrono compares byte lengths; close enough for ASCII digits
        raise ChronoError(TOO_SHORT)
    n = 0
    j = i
    end = min(len(s), i + hi)
    while j < end:
        c = s[j]
        if not ("0" <= c <= "9"):
            break
        n = n * 10 + (ord(c) - 48)
        if n > _I64_MAX:
            raise ChronoError(OUT_OF_RANGE)
        j += 1
    if j - i < lo:
        raise ChronoError(INVALID)
    return j, n


def _set(p: Fields, key: str, value: int) -> None:
    old = p.get(key)
    if old is None:
        p[key] = value
    elif old != value:
        raise ChronoError(IMPOSSIBLE)


_RANGES: dict[str, tuple[int, int]] = {
    "year": _I32,
    "isoyear": _I32,
    "year_div_100": (0, _I32[1]),
    "isoyear_div_100": (0, _I32[1]),
    "year_mod_100": (0, 99),
    "isoyear_mod_100": (0, 99),
    "quarter": (1, 4),
    "month": (1, 12),
    "week_from_sun": (0, 53),
    "week_from_mon": (0, 53),
    "isoweek": (1, 53),
    "ordinal": (1, 366),
    "day": (1, 31),
    "minute": (0, 59),
    "second": (0, 60),
    "nanosecond": (0, 999_999_999),
    "timestamp": (-(2**63), _I64_MAX),
}


def _set_numeric(p: Fields, field: str, v: int) -> None:
    """chrono's ``Parsed::set_*`` for one numeric item: range check, then consistency."""
    bounds = _RANGES.get(field)
    if bounds is not None:  # the common case first, inline: it runs for every field
        if not bounds[0] <= v <= bounds[1]:
            raise ChronoError(OUT_OF_RANGE)
        old = p.get(field)
        if old is None:
            p[field] = v
        elif old != v:
            raise ChronoError(IMPOSSIBLE)
    elif field == "hour":
        if not 0 <= v <= 23:
            raise ChronoError(OUT_OF_RANGE)
        _set(p, "hour_div_12", v // 12)
        _set(p, "hour_mod_12", v % 12)
    elif field == "hour12":
        if not 1 <= v <= 12:
            raise ChronoError(OUT_OF_RANGE)
        _set(p, "hour_mod_12", 0 if v == 12 else v)
    elif field == "weekday_from_sun":  # 0 = Sunday; stored as days from Monday
        if not 0 <= v <= 6:
            raise ChronoError(OUT_OF_RANGE)
        _set(p, "weekday", (v + 6) % 7)
    elif field == "weekday_from_mon":  # 1 = Monday .. 7 = Sunday
        if not 1 <= v <= 7:
            raise ChronoError(OUT_OF_RANGE)
        _set(p, "weekday", v - 1)
    else:  # pragma: no cover - every numeric field is one of the above
        raise AssertionError(field)


def _offset(s: str, i: int, zulu: bool, missing_minutes: bool) -> tuple[int, int]:
    """chrono's ``scan::timezone_offset`` with ``colon_or_space`` between hours and
    minutes (the sign ``−``, U+2212, allowed)."""
    if zulu and s[i : i + 1] in ("Z", "z"):
        return i + 1, 0
    sign = s[i : i + 1]
    if not sign:
        raise ChronoError(TOO_SHORT)
    if sign not in "+-\u2212":
        raise ChronoError(INVALID)
    i += 1
    h = s[i : i + 2]
    if len(h) < 2:
        raise ChronoError(TOO_SHORT)
    if not (h.isascii() and h.isdigit()):
        raise ChronoError(INVALID)
    i += 2
    n = len(s)
    while i < n and (s[i] == ":" or s[i] in WHITESPACE):
        i += 1
    m = s[i : i + 2]
    if len(m) == 2:
        if not (m.isascii() and m.isdigit()):
            raise ChronoError(INVALID)
        if m[0] > "5":
            raise ChronoError(OUT_OF_RANGE)
        minutes = int(m)
        i += 2
    elif missing_minutes:
        minutes = 0
        if len(m) == 1:  # chrono: a lone byte left after the hours is too short
            raise ChronoError(TOO_SHORT)
    else:
        raise ChronoError(TOO_SHORT)
    seconds = int(h) * 3600 + minutes * 60
    return i, -seconds if sign != "+" else seconds


def _nanos(s: str, i: int, digits: int | None) -> tuple[int, int]:
    """``%.f`` (``digits`` None: 1 to 9 digits, more skipped) or ``%.3f``-style fixed
    widths, at ``i`` (after the dot when there is one)."""
    if digits is None:
        j, v = _number(s, i, 1, 9)
        v *= 10 ** (9 - (j - i))
        while j < len(s) and "0" <= s[j] <= "9":
            j += 1
        return j, v
    j, v = _number(s, i, digits, digits)
    return j, v * 10 ** (9 - digits)


def _rfc3339(p: Fields, s: str, i: int) -> int:
    """``%+``: chrono's relaxed RFC 3339 (``T``, ``t`` or a space between date and time,
    white space allowed between parts, ``UTC`` or ``Z`` or an offset with or without a
    colon)."""
    date_items: tuple[Item, ...] = (
        _NUMERIC["Y"], _SPACE, _lit("-"), _NUMERIC["m"], _SPACE, _lit("-"), _NUMERIC["d"],
    )  # fmt: skip
    time_items: tuple[Item, ...] = (
        _NUMERIC["H"], _SPACE, _lit(":"), _NUMERIC["M"], _SPACE, _lit(":"), _NUMERIC["S"],
        ("fixed", "nano"), _SPACE,
    )  # fmt: skip
    i = _run(p, s, i, date_items)
    sep = s[i : i + 1]
    if not sep:
        raise ChronoError(TOO_SHORT)
    if sep not in "tT ":
        raise ChronoError(INVALID)
    i = _run(p, s, i + 1, time_items)
    i = _skip_ws(s, i)
    if s[i : i + 3].isascii() and s[i : i + 3].upper() == "UTC":
        i, off = i + 3, 0
    else:
        i, off = _offset(s, i, True, False)
    _set(p, "offset", off)
    return i


def _fixed(p: Fields, name: str, s: str, i: int) -> int:
    if name in ("short_month", "long_month"):
        low = _lower3(s, i)
        if low is None:
            if len(s) - i < 3:
                raise ChronoError(TOO_SHORT)
            raise ChronoError(INVALID)
        if low not in _MONTHS:
            raise ChronoError(INVALID)
        m = _MONTHS.index(low)
        i += 3
        if name == "long_month":
            suffix = _MONTH_SUFFIX[m]
            if s[i : i + len(suffix)].lower() == suffix and s[i : i + len(suffix)].isascii():
                i += len(suffix)
        _set_numeric(p, "month", m + 1)
        return i
    if name in ("short_weekday", "long_weekday"):
        low = _lower3(s, i)
        if low is None:
            if len(s) - i < 3:
                raise ChronoError(TOO_SHORT)
            raise ChronoError(INVALID)
        if low not in _DAYS:
            raise ChronoError(INVALID)
        d = _DAYS.index(low)
        i += 3
        if name == "long_weekday":
            suffix = _DAY_SUFFIX[d]
            if s[i : i + len(suffix)].lower() == suffix and s[i : i + len(suffix)].isascii():
                i += len(suffix)
        _set(p, "weekday", d)
        return i
    if name == "ampm":
        two = s[i : i + 2]
        if len(two) < 2:
            raise ChronoError(TOO_SHORT)
        low = two.lower() if two.isascii() else ""
        if low not in ("am", "pm"):
            raise ChronoError(INVALID)
        _set(p, "hour_div_12", int(low == "pm"))
        return i + 2
    if name in ("nano", "nano3", "nano6", "nano9"):
        if s[i : i + 1] != ".":
            return i  # the fraction is optional: no dot, nothing read
        digits = None if name == "nano" else int(name[-1])
        i, v = _nanos(s, i + 1, digits)
        _set_numeric(p, "nanosecond", v)
        return i
    if name.endswith("_nodot"):
        digits = int(name[4])
        if len(s) - i < digits:
            raise ChronoError(TOO_SHORT)
        i, v = _nanos(s, i, digits)
        _set_numeric(p, "nanosecond", v)
        return i
    if name == "tz_name":  # `%Z`: skipped up to white space, never read
        n = len(s)
        while i < n and s[i] not in WHITESPACE:
            i += 1
        return i
    if name in ("offset", "offset_permissive"):
        permissive = name == "offset_permissive"
        i, off = _offset(s, _skip_ws(s, i), permissive, permissive)
        _set(p, "offset", off)
        return i
    if name == "rfc3339":
        return _rfc3339(p, s, i)
    raise AssertionError(name)  # pragma: no cover


def _run(p: Fields, s: str, i: int, items: tuple[Item, ...]) -> int:
    """chrono's ``parse_internal``: each item consumes from ``i``; returns where it stopped."""
    for item in items:
        kind = item[0]
        if kind == "lit":
            text = item[1]
            if s.startswith(text, i):
                i += len(text)
            elif len(s) - i < len(text):
                raise ChronoError(TOO_SHORT)
            else:
                raise ChronoError(INVALID)
        elif kind == "space":
            i = _skip_ws(s, i)
        elif kind == "num":
            _, field, width, signed = item  # type: ignore[misc]
            i = _skip_ws(s, i)
            c = s[i : i + 1]
            if signed and c in ("-", "+"):
                i, v = _number(s, i + 1, 1, 10**9)
                if c == "-":
                    v = -v
            else:
                i, v = _number(s, i, 1, width)
            _set_numeric(p, field, v)
        elif kind == "fixed":
            i = _fixed(p, item[1], s, i)
        else:
            raise ChronoError(BAD_FORMAT)
    return i


def scan_fields(text: str, fmt: str) -> Fields:
    """``parse_fields`` by the item-by-item port alone (the reference for the fast path)."""
    p: Fields = {}
    if _run(p, text, 0, compile_format(fmt)) != len(text):
        raise ChronoError(TOO_LONG)
    return p


def parse_fields(text: str, fmt: str) -> Fields:
    """The fields chrono's ``parse`` gathers from ``text`` with ``fmt`` (``year``,
    ``month``, ``hour_div_12``, ``offset`` in seconds, ``weekday`` as days from Monday...).
    The whole text must be read. Raises ``ChronoError``.

    A format made of numbers, names, literals, fractions and offsets is read by one
    regular expression that takes exactly what chrono's items take (possessive, so it
    never backtracks where chrono would not); anything else, and any text it refuses, goes
    through the item-by-item port, which also gives the reason for a refusal."""
    fast = _fast_reader(fmt)
    if fast is not None:
        m = fast[0].fullmatch(text)
        if m is not None:
            p: Fields = {}
            for setter, value in zip(fast[1], m.groups(), strict=True):
                setter(p, value)
            return p
    return scan_fields(text, fmt)


# -- the fast path: one regex per format -----------------------------------------------

_WS_CLASS = "[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_MONTH_RX = "|".join(_MONTHS)
_LONG_MONTH_RX = "|".join(f"{m}(?:{sfx})?+" for m, sfx in zip(_MONTHS, _MONTH_SUFFIX, strict=True))
_DAY_RX = "|".join(_DAYS)
_LONG_DAY_RX = "|".join(f"{d}(?:{sfx})?+" for d, sfx in zip(_DAYS, _DAY_SUFFIX, strict=True))
Setter = Callable[[Fields, str | None], None]


def _numeric_setter(field: str) -> Setter:
    def run(p: Fields, text: str | None) -> None:
        assert text is not None
        if text[0] in "+-":
            value = int(text[1:])
            if value > _I64_MAX:
                raise ChronoError(OUT_OF_RANGE)
            value = -value if text[0] == "-" else value
        else:
            value = int(text)
            if value > _I64_MAX:
                raise ChronoError(OUT_OF_RANGE)
        _set_numeric(p, field, value)

    return run


def _month_setter(p: Fields, text: str | None) -> None:
    assert text is not None
    _set_numeric(p, "month", _MONTHS.index(text[:3].lower()) + 1)


def _weekday_setter(p: Fields, text: str | None) -> None:
    assert text is not None
    _set(p, "weekday", _DAYS.index(text[:3].lower()))


def _ampm_setter(p: Fields, text: str | None) -> None:
    assert text is not None
    _set(p, "hour_div_12", int(text.lower() == "pm"))


def _nano_setter(digits: int | None) -> Setter:
    def run(p: Fields, text: str | None) -> None:
        if text is not None:  # no dot: nothing read
            width = len(text) if digits is None else digits
            _set_numeric(p, "nanosecond", int(text[:9]) * 10 ** (9 - min(width, 9)))

    return run


def _offset_setter(p: Fields, text: str | None) -> None:
    assert text is not None
    sign, hours, minutes = text[0], int(text[1:3]), int(text[-2:])
    seconds = hours * 3600 + minutes * 60
    _set(p, "offset", seconds if sign == "+" else -seconds)


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


# -- resolution (chrono's parsed.rs) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Naive:
    """A date and time without a zone; ``nano`` may reach 1.999... s (a leap second)."""

    moment: datetime  # microsecond always 0
    nano: int


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
        _set_numeric(q, "second", moment.second)
    _set_numeric(q, "year", moment.year)
    _set_numeric(q, "ordinal", moment.timetuple().tm_yday)
    _set_numeric(q, "hour", moment.hour)
    _set_numeric(q, "minute", moment.minute)
    d = _to_date(q)
    t = _to_time(q)
    return datetime(d.year, d.month, d.day, t[0], t[1], t[2]), t[3]
