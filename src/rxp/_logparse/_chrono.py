"""chrono's ``strftime`` parsing, ported: what Vector reads with a ``timestamp_format``.

VRL reads a timestamp with ``chrono::format::parse(StrftimeItems::new(format))`` (chrono
0.4.45, MIT/Apache-2.0): the format becomes items (``src/format/strftime.rs``), the items
consume the text left to right without backtracking (``parse.rs``, ``scan.rs``), and the
fields gathered are checked for consistency and resolved to a date and time
(``parsed.rs``). This module follows that code step by step, so its answers (and the
oddities: ``%f`` is a count of nanoseconds, not a fraction; a space in the format takes any
run of white space, none included; ``%d`` takes ``5`` as well as ``05``; ``%z`` takes
``+07:00``) are chrono's. Errors are ``ChronoError`` with chrono's own words.

``compile_format`` turns a format into items once; ``scan_fields`` reads one text item by
item; ``_chrono_fast.parse_fields`` does the same with one regex where it can, and
``_chrono_resolve`` turns the fields into a date and time.
"""

from __future__ import annotations

import functools

__all__ = [
    "ChronoError",
    "Fields",
    "Item",
    "bad_format",
    "compile_format",
    "scan_fields",
    "set_field",
    "set_numeric",
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
I64_MAX = 2**63 - 1
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

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_SUFFIX = ("uary", "ruary", "ch", "il", "", "e", "y", "ust", "tember", "ober", "ember",
                 "ember")  # fmt: skip
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_SUFFIX = ("day", "sday", "nesday", "rsday", "day", "urday", "day")
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
        if n > I64_MAX:
            raise ChronoError(OUT_OF_RANGE)
        j += 1
    if j - i < lo:
        raise ChronoError(INVALID)
    return j, n


def set_field(p: Fields, key: str, value: int) -> None:
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
    "timestamp": (-(2**63), I64_MAX),
}


def set_numeric(p: Fields, field: str, v: int) -> None:
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
        set_field(p, "hour_div_12", v // 12)
        set_field(p, "hour_mod_12", v % 12)
    elif field == "hour12":
        if not 1 <= v <= 12:
            raise ChronoError(OUT_OF_RANGE)
        set_field(p, "hour_mod_12", 0 if v == 12 else v)
    elif field == "weekday_from_sun":  # 0 = Sunday; stored as days from Monday
        if not 0 <= v <= 6:
            raise ChronoError(OUT_OF_RANGE)
        set_field(p, "weekday", (v + 6) % 7)
    elif field == "weekday_from_mon":  # 1 = Monday .. 7 = Sunday
        if not 1 <= v <= 7:
            raise ChronoError(OUT_OF_RANGE)
        set_field(p, "weekday", v - 1)
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
    set_field(p, "offset", off)
    return i


def _named(
    s: str, i: int, names: tuple[str, ...], suffixes: tuple[str, ...], long: bool
) -> tuple[int, int]:
    """A month's or weekday's name at ``i``, as chrono reads it: its first three letters in
    any case, then (``long``) the rest of the full name if it follows. ``(index, end)``."""
    low = _lower3(s, i)
    if low is None:
        if len(s) - i < 3:
            raise ChronoError(TOO_SHORT)
        raise ChronoError(INVALID)
    if low not in names:
        raise ChronoError(INVALID)
    index = names.index(low)
    i += 3
    if long:
        suffix = suffixes[index]
        if s[i : i + len(suffix)].lower() == suffix and s[i : i + len(suffix)].isascii():
            i += len(suffix)
    return index, i


def _fixed(p: Fields, name: str, s: str, i: int) -> int:
    if name in ("short_month", "long_month"):
        m, i = _named(s, i, MONTHS, MONTH_SUFFIX, name == "long_month")
        set_numeric(p, "month", m + 1)
        return i
    if name in ("short_weekday", "long_weekday"):
        d, i = _named(s, i, DAYS, DAY_SUFFIX, name == "long_weekday")
        set_field(p, "weekday", d)
        return i
    if name == "ampm":
        two = s[i : i + 2]
        if len(two) < 2:
            raise ChronoError(TOO_SHORT)
        low = two.lower() if two.isascii() else ""
        if low not in ("am", "pm"):
            raise ChronoError(INVALID)
        set_field(p, "hour_div_12", int(low == "pm"))
        return i + 2
    if name in ("nano", "nano3", "nano6", "nano9"):
        if s[i : i + 1] != ".":
            return i  # the fraction is optional: no dot, nothing read
        digits = None if name == "nano" else int(name[-1])
        i, v = _nanos(s, i + 1, digits)
        set_numeric(p, "nanosecond", v)
        return i
    if name.endswith("_nodot"):
        digits = int(name[4])
        if len(s) - i < digits:
            raise ChronoError(TOO_SHORT)
        i, v = _nanos(s, i, digits)
        set_numeric(p, "nanosecond", v)
        return i
    if name == "tz_name":  # `%Z`: skipped up to white space, never read
        n = len(s)
        while i < n and s[i] not in WHITESPACE:
            i += 1
        return i
    if name in ("offset", "offset_permissive"):
        permissive = name == "offset_permissive"
        i, off = _offset(s, _skip_ws(s, i), permissive, permissive)
        set_field(p, "offset", off)
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
            set_numeric(p, field, v)
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
