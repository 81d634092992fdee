"""Idiom rules over digits: numbers, addresses, dates and times (see ``docs/idioms.md``).
Each is a rule as ``_idiom_kit`` defines it."""

from __future__ import annotations

from ._ascii_sets import (
    DIGITS,
    HEX,
    LETTERS,
    SPACE,
    WORD,
    bits,
)
from ._idiom_kit import (
    Rule,
    alt,
    cased,
    chain,
    digit_slot,
    exactly,
    hexfield,
    item_at,
    lit,
    many,
    one,
    opt,
    run_of,
    single,
    slot_at,
    slots_in,
    whole,
    within,
)
from ._slots import (
    Choice,
    Loop,
    Opaque,
    Seq,
    Slot,
    item_width,
    leaf_slots,
)

__all__ = [
    "clf",
    "colon",
    "decimal",
    "dot",
    "hex_color",
    "hex_number",
    "integer",
    "ipv4",
    "ipv6",
    "iso_date",
    "iso_datetime",
    "mac",
    "phone",
    "semver",
    "sign",
    "space",
    "syslog",
    "time_of_day",
    "uuid",
]

# --- numbers and addresses -------------------------------------------------------------------

sign = one(lambda s: within(s.chars, bits("+-")) and s.max == 1)
dot = lit(".")
_octet = one(lambda s: digit_slot(s) and s.min >= 1 and (s.max is None or s.max <= 3))
_short_octet = one(lambda s: digit_slot(s) and s.min >= 1 and s.max is not None and s.max <= 3)
_maybe_dot = one(lambda s: s.chars == bits(".") and s.max == 1)
ipv4 = alt(
    chain(_octet, dot, _octet, dot, _octet, dot, _octet),
    # ((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.?\b){4}: the dot optional between bounded fields
    chain(*([_short_octet, _maybe_dot] * 3), _short_octet),
)

_number = one(lambda s: s.chars == DIGITS and s.min >= 1 and (s.max is None or s.max > s.min))
integer = chain(opt(sign), _number, many(chain(lit(","), one(lambda s: exactly(s, 3)))))


_point = one(lambda s: exactly(s, 1) and s.chars in (bits("."), bits(".,")))
_fraction_digits = one(lambda s: s.chars == DIGITS and s.min >= 1)
_exponent = chain(
    one(lambda s: exactly(s, 1) and s.chars != 0 and within(s.chars, bits("eE"))),
    opt(sign),
    _fraction_digits,
)


def decimal(seq: Seq, i: int) -> int | None:
    """``-?\\d+\\.\\d+``, ``\\d*\\.?\\d+``, ``\\d+(?:\\.\\d+)?`` with an optional exponent, or an
    alternation of such numbers where one has a fraction (``\\d+(?:\\.\\d+)?|\\.\\d+``)."""
    j = opt(sign)(seq, i)
    assert j is not None
    item = item_at(seq, j)
    if isinstance(item, Choice):
        bare = chain(_point, _fraction_digits)
        fractional = [whole(alt(decimal, bare), b) for b in item.branches]
        whole_numbers = [
            f or whole(integer, b) for f, b in zip(fractional, item.branches, strict=False)
        ]
        if any(fractional) and all(whole_numbers):
            return opt(_exponent)(seq, j + 1)
        return None
    if isinstance(item, Loop) and (item.min, item.max) == (0, 1):  # ([0-9]*[.])?[0-9]+
        lead = chain(one(lambda s: s.chars == DIGITS), _point)
        if whole(lead, item.body) and _fraction_digits(seq, j + 1) is not None:
            return opt(_exponent)(seq, j + 2)
        return None
    int_part = item if isinstance(item, Slot) and item.chars == DIGITS else None
    if int_part is None:
        return None
    tail = chain(_point, _fraction_digits)
    maybe_point = one(lambda s: s.chars == bits(".") and s.min == 0 and s.max == 1)
    end = alt(tail, chain(maybe_point, _fraction_digits))(seq, j + 1)
    if end is None:
        after = item_at(seq, j + 1)
        if not (isinstance(after, Loop) and after.min == 0 and whole(tail, after.body)):
            return None
        end = j + 2
    last = leaf_slots(seq[j + 1 : end]) or [int_part]
    if not any(s.max is None or s.max > s.min for s in (int_part, last[-1])):
        return None  # \d\.\d: a version or a fixed format, not a number
    return opt(_exponent)(seq, end)


_hex_prefix = chain(lit("0"), one(lambda s: exactly(s, 1) and cased(s.chars, "x")))
hex_number = chain(
    opt(_hex_prefix), one(lambda s: hexfield(s) and s.min >= 1 and (s.max or 2) >= 2)
)
hex_color = chain(
    lit("#"),
    one(lambda s: hexfield(s) and s.min in (3, 4, 6, 8) and s.max in (3, 4, 6, 8)),
)


def _hexn(n: int) -> Rule:
    return one(lambda s: hexfield(s) and exactly(s, n))


_dash = one(lambda s: s.chars == bits("-") and s.max == 1)
uuid = chain(_hexn(8), _dash, _hexn(4), _dash, _hexn(4), _dash, _hexn(4), _dash, _hexn(12))
_mac_sep = one(lambda s: exactly(s, 1) and s.chars in (bits(":"), bits("-"), bits(":-")))
mac = alt(
    chain(*([_hexn(2), _mac_sep] * 5), _hexn(2)),
    chain(_hexn(4), dot, _hexn(4), dot, _hexn(4)),
)

_V6 = HEX | bits(":.")


def ipv6(seq: Seq, i: int) -> int | None:
    first = slot_at(seq, i)
    if (
        first is not None
        and within(first.chars, _V6)
        and first.chars & bits(":")
        and hexfield(Slot(first.span, first.chars & HEX, 1, 1))
        and (first.max is None or first.max >= 15)
    ):
        return i + 1
    end = run_of(lambda s: within(s.chars, _V6), marks=True)(seq, i)
    while end > i and (lit(":", 1, 1)(seq, end - 1) or lit(":", 2, 2)(seq, end - 1)):
        end -= 1
    leaves = slots_in(seq, i, end)
    colons = sum(s.max or 2 for s in leaves if s.chars == bits(":"))
    groups = [s for s in leaves if hexfield(s)]
    if colons < 2 or not groups or any(s.max is None or s.max > 4 for s in groups):
        return None
    return end if any(s.max in (3, 4) for s in groups) else None


def semver(seq: Seq, i: int) -> int | None:
    part = one(lambda s: s.chars == DIGITS and s.min >= 1 and s.max is None)
    v = opt(one(lambda s: cased(s.chars, "v") and s.max == 1))
    end = chain(v, part, dot, part, dot, part)(seq, i)
    if end is None:
        return None
    for lead in "-+":  # (?:-pre.release)? (?:+build)?
        item = item_at(seq, end)
        if isinstance(item, Loop) and item.min == 0 and item.body:
            head = item.body[0]
            if isinstance(head, Slot) and head.chars == bits(lead):
                end += 1
    return end


def phone(seq: Seq, i: int) -> int | None:
    """Groups of 3 or 4 digits split by ``-``, ``.``, spaces or an area code's parentheses,
    the last one 4 digits, after an optional country code (``+1``)."""
    sep = one(lambda s: within(s.chars, bits("-.") | SPACE) and s.max == 1)
    opening, closing = (one(single(c)) for c in "()")
    plus = one(lambda s: s.chars == bits("+") and s.max == 1)(seq, i)
    j = i if plus is None else plus
    groups: list[Slot] = []
    end = j
    while True:
        k = opening(seq, j) or j
        group = slot_at(seq, k)
        if group is None or not digit_slot(group) or group.max is None or group.max > 4:
            break
        groups.append(group)
        closed = closing(seq, k + 1)
        end = k + 1 if closed is None else closed
        nxt = sep(seq, end)
        if nxt is None and closed is None:
            break  # "(555)123-4567": only a parenthesis may stand alone between groups
        j = end if nxt is None else nxt
    if (
        groups
        and groups[0].max is not None
        and groups[0].max <= 3
        and (plus is not None or len(groups) >= 4)
    ):
        groups = groups[1:]  # a country code
    if not 2 <= len(groups) <= 3 or not exactly(groups[-1], 4):
        return None
    if any(g.min < 3 for g in groups) or not any(exactly(g, 3) for g in groups):
        return None
    return end


# --- dates and times -------------------------------------------------------------------------

colon = lit(":")
_year = one(lambda s: digit_slot(s) and s.min >= 2 and s.max == 4)
iso_date = chain(
    _year,
    lit("-"),
    one(lambda s: digit_slot(s) and 1 <= s.min <= 2 and s.max == 2),
    lit("-"),
    one(lambda s: digit_slot(s) and 1 <= s.min <= 2 and s.max == 2),
)
_fraction = chain(
    one(lambda s: exactly(s, 1) and s.chars & bits(".,") != 0 and within(s.chars, bits(".,:"))),
    one(lambda s: digit_slot(s) and s.min >= 1),
)
_hour = one(lambda s: digit_slot(s) and s.min >= 1 and s.max == 2)
_hm = one(lambda s: s.chars == bits(":") and s.max == 1)  # ":", or ":?" as ISO 8601 allows
_field = one(lambda s: digit_slot(s) and s.min >= 1 and (s.max is None or s.max <= 2))
time_of_day = alt(
    chain(_hour, colon, _hour, opt(chain(colon, _hour, opt(_fraction))), opt(_fraction)),
    chain(_field, colon, _field, colon, _field, opt(_fraction)),
)
_iso_time = alt(
    time_of_day, chain(_hour, _hm, _hour, opt(chain(_hm, _hour, opt(_fraction))), opt(_fraction))
)


_offset = alt(
    one(lambda s: cased(s.chars, "Z") and s.max == 1),
    chain(
        one(lambda s: s.chars == bits("+-") and exactly(s, 1)),
        one(lambda s: digit_slot(s) and s.min >= 1 and s.max in (2, 4)),
        opt(chain(opt(_hm), one(lambda s: digit_slot(s) and exactly(s, 2)))),
    ),
)


def _zone(seq: Seq, j: int) -> int:
    """An optional UTC offset: ``Z``, ``+0200``, ``[+-]\\d{2}:?\\d{2}``, or a choice of them."""
    got = _offset(seq, j)
    if got is not None:
        return got
    item = item_at(seq, j)
    if isinstance(item, Loop) and item.min == 0 and item.max == 1 and len(item.body) == 1:
        item = item.body[0]
    if isinstance(item, Choice) and all(whole(_offset, b) for b in item.branches):
        return j + 1
    if isinstance(item, Loop) and item.min == 0 and whole(_offset, item.body):
        return j + 1
    return j


_date_time_sep = one(
    lambda s: (
        exactly(s, 1)
        and (within(s.chars, SPACE) or (s.chars & bits("T") != 0 and within(s.chars, bits("Tt "))))
    ),
)
iso_datetime = chain(iso_date, _date_time_sep, _iso_time, _zone)
space = one(lambda s: within(s.chars, SPACE) and s.min >= 1)


def _month(seq: Seq, i: int) -> int | None:
    s = slot_at(seq, i)
    if s is not None and s.chars == WORD and (s.max is None or exactly(s, 3)):
        return i + 1
    end = run_of(lambda s: within(s.chars, LETTERS), opaque=True)(seq, i)
    if end == i or isinstance(seq[i], Opaque):
        return None
    lo = sum(item_width(x)[0] for x in seq[i:end])
    tops = [item_width(x)[1] for x in seq[i:end]]
    top = None if None in tops else sum(t for t in tops if t is not None)
    return end if lo >= 1 and (top is None or top >= 3) else None


def _day(seq: Seq, i: int) -> int | None:
    """A day of the month: digits, or space-padded (``[ 0-9]\\d``)."""
    first = slot_at(seq, i)
    if first is None or not first.chars & DIGITS or not within(first.chars, DIGITS | bits(" ")):
        return None
    if digit_slot(first):
        return i + 1
    second = slot_at(seq, i + 1)
    if second is not None and digit_slot(second) and (second.max or 3) <= 2:
        return i + 2
    return None


syslog = chain(_month, space, _day, space, time_of_day)
clf = chain(  # 10/Oct/2000:13:55:36 -0700, Apache's and nginx's %t
    one(lambda s: digit_slot(s) and s.min >= 1 and s.max == 2),
    lit("/"),
    _month,
    lit("/"),
    _year,
    colon,
    time_of_day,
    opt(chain(one(lambda s: s.chars == bits(" ") and s.min == 1), _offset)),
)
