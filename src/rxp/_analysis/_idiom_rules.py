"""The idiom rules: one function per name, reading a lowered sequence (``_slots``).

A rule is ``rule(seq, i) -> end | None``: whether the items ``seq[i:end]`` spell the idiom.
Rules are small combinators over slot predicates (``_one``, ``_chain``, ``_opt``), with a
procedure where a shape is irregular (phone numbers, IPv6). They look at character sets and
counts only; literal text matters only for word lists (log levels, HTTP methods), compared
case-insensitively. ``docs/idioms.md`` is the reference for what each accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal as L
from typing import TypeAlias

from ._slots import (
    DIGITS,
    HEX,
    LETTERS,
    LOWER,
    SPACE,
    UPPER,
    WORD,
    Choice,
    Item,
    Loop,
    Mark,
    Opaque,
    Seq,
    Slot,
    bits,
    item_width,
    leaf_slots,
    members,
)

__all__ = ["RULES", "Gate", "IdiomName", "Rule"]

IdiomName: TypeAlias = L[
    "iso-datetime",
    "syslog-timestamp",
    "clf-timestamp",
    "url",
    "email",
    "uuid",
    "mac-address",
    "ipv6",
    "ipv4",
    "semver",
    "iso-date",
    "time-of-day",
    "phone-like",
    "hex-color",
    "hostname",
    "unix-path",
    "quoted-string",
    "key-value",
    "log-level",
    "http-method",
    "decimal",
    "hex",
    "integer",
    "trailing-whitespace",
]

Rule: TypeAlias = Callable[[Seq, int], "int | None"]
_Pred: TypeAlias = Callable[[Slot], bool]

_HEX_LOWER = bits("abcdef")
_HEX_UPPER = bits("ABCDEF")
_PRINTABLE = sum(1 << c for c in range(32, 127))


# --- sets and slots --------------------------------------------------------------------------


def _within(chars: int, allowed: int) -> bool:
    return chars & ~allowed == 0


def _cased(chars: int, text: str) -> bool:
    """``chars`` is exactly the characters of ``text``, or those in either case."""
    return chars == bits(text) or chars == bits(text.lower() + text.upper())


def _letters(chars: int) -> bool:
    """Holds a whole alphabet (a-z or A-Z): a letter class, not a few letters."""
    return chars & LOWER == LOWER or chars & UPPER == UPPER


def _hexfield(s: Slot) -> bool:
    c = s.chars
    return (
        _within(c, HEX)
        and c & DIGITS == DIGITS
        and (c & _HEX_LOWER == _HEX_LOWER or c & _HEX_UPPER == _HEX_UPPER)
    )


def _digits(s: Slot) -> bool:
    return _within(s.chars, DIGITS)


def _fixed(s: Slot, n: int) -> bool:
    return s.min == s.max == n


def _at(seq: Seq, j: int) -> Item | None:
    return seq[j] if 0 <= j < len(seq) else None


def _slot_at(seq: Seq, j: int) -> Slot | None:
    item = _at(seq, j)
    return item if isinstance(item, Slot) else None


# --- combinators -----------------------------------------------------------------------------


def _one(pred: _Pred) -> Rule:
    def rule(seq: Seq, j: int) -> int | None:
        s = _slot_at(seq, j)
        return j + 1 if s is not None and pred(s) else None

    return rule


def _lit(text: str, lo: int = 1, hi: int = 1) -> Rule:
    return _one(lambda s: _cased(s.chars, text) and s.min == lo and s.max == hi)


def _skip_marks(seq: Seq, j: int) -> int:
    while isinstance(_at(seq, j), Mark):
        j += 1
    return j


def _chain(*parts: Rule) -> Rule:
    """The parts one after another; zero-width marks between parts are taken along, those
    after the last part that consumed something are not."""

    def rule(seq: Seq, j: int) -> int | None:
        end = j
        for k, part in enumerate(parts):
            probe = _skip_marks(seq, end) if k else end
            got = part(seq, probe)
            if got is None:
                return None
            if got > probe:
                end = got
        return end

    return rule


def _whole(part: Rule, body: Seq) -> bool:
    return part(body, 0) == len(body)


def _opt(part: Rule) -> Rule:
    """``part``, or an optional group ``(?:part)?`` holding exactly it, or nothing."""

    def rule(seq: Seq, j: int) -> int | None:
        got = part(seq, j)
        if got is not None:
            return got
        item = _at(seq, j)
        if isinstance(item, Loop) and item.min == 0 and _whole(part, item.body):
            return j + 1
        return j

    return rule


def _many(part: Rule) -> Rule:
    """Any number of ``part`` written out, or as a repeated group ``(?:part)*``."""

    def rule(seq: Seq, j: int) -> int | None:
        while True:
            got = part(seq, j)
            if got is None or got <= j:
                item = _at(seq, j)
                if isinstance(item, Loop) and _whole(part, item.body):
                    j += 1
                    continue
                return j
            j = got

    return rule


def _alt(*parts: Rule) -> Rule:
    def rule(seq: Seq, j: int) -> int | None:
        ends = [e for e in (p(seq, j) for p in parts) if e is not None]
        return max(ends) if ends else None

    return rule


def _run(ok: _Pred, marks: bool = False, opaque: bool = False) -> Callable[[Seq, int], int]:
    """How far items whose every slot passes ``ok`` go from ``j`` (structures included;
    with ``opaque``, structures may hold unmodelled parts, such as a non-ASCII letter)."""

    def rule(seq: Seq, j: int) -> int:
        while j < len(seq):
            item = seq[j]
            if isinstance(item, Mark):
                if not marks:
                    break
            elif isinstance(item, Slot):
                if not ok(item):
                    break
            else:
                leaves = leaf_slots((item,), skip_opaque=opaque)
                if not leaves or not all(ok(s) for s in leaves):
                    break
            j += 1
        while marks and j > 0 and isinstance(seq[j - 1], Mark):
            j -= 1
        return j

    return rule


def _leaves(seq: Seq, i: int, end: int) -> list[Slot]:
    return leaf_slots(seq[i:end]) or []


# --- numbers and addresses -------------------------------------------------------------------

_sign = _one(lambda s: _within(s.chars, bits("+-")) and s.max == 1)
_dot = _lit(".")
_octet = _one(lambda s: _digits(s) and s.min >= 1 and (s.max is None or s.max <= 3))
_short_octet = _one(lambda s: _digits(s) and s.min >= 1 and s.max is not None and s.max <= 3)
_maybe_dot = _one(lambda s: s.chars == bits(".") and s.max == 1)
_ipv4 = _alt(
    _chain(_octet, _dot, _octet, _dot, _octet, _dot, _octet),
    # ((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.?\b){4}: the dot optional between bounded fields
    _chain(*([_short_octet, _maybe_dot] * 3), _short_octet),
)

_number = _one(lambda s: s.chars == DIGITS and s.min >= 1 and (s.max is None or s.max > s.min))
_integer = _chain(_opt(_sign), _number, _many(_chain(_lit(","), _one(lambda s: _fixed(s, 3)))))


_point = _one(lambda s: _fixed(s, 1) and s.chars in (bits("."), bits(".,")))
_fraction_digits = _one(lambda s: s.chars == DIGITS and s.min >= 1)
_exponent = _chain(
    _one(lambda s: _fixed(s, 1) and s.chars != 0 and _within(s.chars, bits("eE"))),
    _opt(_sign),
    _fraction_digits,
)


def _decimal(seq: Seq, i: int) -> int | None:
    """``-?\\d+\\.\\d+``, ``\\d*\\.?\\d+``, ``\\d+(?:\\.\\d+)?`` with an optional exponent, or an
    alternation of such numbers where one has a fraction (``\\d+(?:\\.\\d+)?|\\.\\d+``)."""
    j = _opt(_sign)(seq, i)
    assert j is not None
    item = _at(seq, j)
    if isinstance(item, Choice):
        bare = _chain(_point, _fraction_digits)
        fractional = [_whole(_alt(_decimal, bare), b) for b in item.branches]
        whole_numbers = [
            f or _whole(_integer, b) for f, b in zip(fractional, item.branches, strict=False)
        ]
        if any(fractional) and all(whole_numbers):
            return _opt(_exponent)(seq, j + 1)
        return None
    if isinstance(item, Loop) and (item.min, item.max) == (0, 1):  # ([0-9]*[.])?[0-9]+
        lead = _chain(_one(lambda s: s.chars == DIGITS), _point)
        if _whole(lead, item.body) and _fraction_digits(seq, j + 1) is not None:
            return _opt(_exponent)(seq, j + 2)
        return None
    whole = item if isinstance(item, Slot) and item.chars == DIGITS else None
    if whole is None:
        return None
    tail = _chain(_point, _fraction_digits)
    maybe_point = _one(lambda s: s.chars == bits(".") and s.min == 0 and s.max == 1)
    end = _alt(tail, _chain(maybe_point, _fraction_digits))(seq, j + 1)
    if end is None:
        after = _at(seq, j + 1)
        if not (isinstance(after, Loop) and after.min == 0 and _whole(tail, after.body)):
            return None
        end = j + 2
    last = leaf_slots(seq[j + 1 : end]) or [whole]
    if not any(s.max is None or s.max > s.min for s in (whole, last[-1])):
        return None  # \d\.\d: a version or a fixed format, not a number
    return _opt(_exponent)(seq, end)


_hex_prefix = _chain(_lit("0"), _one(lambda s: _fixed(s, 1) and _cased(s.chars, "x")))
_hex = _chain(_opt(_hex_prefix), _one(lambda s: _hexfield(s) and s.min >= 1 and (s.max or 2) >= 2))
_hex_color = _chain(
    _lit("#"),
    _one(lambda s: _hexfield(s) and s.min in (3, 4, 6, 8) and s.max in (3, 4, 6, 8)),
)


def _hexn(n: int) -> Rule:
    return _one(lambda s: _hexfield(s) and _fixed(s, n))


_dash = _one(lambda s: s.chars == bits("-") and s.max == 1)
_uuid = _chain(_hexn(8), _dash, _hexn(4), _dash, _hexn(4), _dash, _hexn(4), _dash, _hexn(12))
_mac_sep = _one(lambda s: _fixed(s, 1) and s.chars in (bits(":"), bits("-"), bits(":-")))
_mac = _alt(
    _chain(*([_hexn(2), _mac_sep] * 5), _hexn(2)),
    _chain(_hexn(4), _dot, _hexn(4), _dot, _hexn(4)),
)

_V6 = HEX | bits(":.")


def _ipv6(seq: Seq, i: int) -> int | None:
    first = _slot_at(seq, i)
    if (
        first is not None
        and _within(first.chars, _V6)
        and first.chars & bits(":")
        and _hexfield(Slot(first.span, first.chars & HEX, 1, 1))
        and (first.max is None or first.max >= 15)
    ):
        return i + 1
    end = _run(lambda s: _within(s.chars, _V6), marks=True)(seq, i)
    while end > i and (_lit(":", 1, 1)(seq, end - 1) or _lit(":", 2, 2)(seq, end - 1)):
        end -= 1
    leaves = _leaves(seq, i, end)
    colons = sum(s.max or 2 for s in leaves if s.chars == bits(":"))
    groups = [s for s in leaves if _hexfield(s)]
    if colons < 2 or not groups or any(s.max is None or s.max > 4 for s in groups):
        return None
    return end if any(s.max in (3, 4) for s in groups) else None


def _semver(seq: Seq, i: int) -> int | None:
    part = _one(lambda s: s.chars == DIGITS and s.min >= 1 and s.max is None)
    v = _opt(_one(lambda s: _cased(s.chars, "v") and s.max == 1))
    end = _chain(v, part, _dot, part, _dot, part)(seq, i)
    if end is None:
        return None
    for lead in "-+":  # (?:-pre.release)? (?:+build)?
        item = _at(seq, end)
        if isinstance(item, Loop) and item.min == 0 and item.body:
            head = item.body[0]
            if isinstance(head, Slot) and head.chars == bits(lead):
                end += 1
    return end


def _single(ch: str) -> _Pred:
    return lambda s: s.chars == bits(ch) and s.max == 1


def _phone(seq: Seq, i: int) -> int | None:
    """Groups of 3 or 4 digits split by ``-``, ``.``, spaces or an area code's parentheses,
    the last one 4 digits, after an optional country code (``+1``)."""
    sep = _one(lambda s: _within(s.chars, bits("-.") | SPACE) and s.max == 1)
    opening, closing = (_one(_single(c)) for c in "()")
    plus = _one(lambda s: s.chars == bits("+") and s.max == 1)(seq, i)
    j = i if plus is None else plus
    groups: list[Slot] = []
    end = j
    while True:
        k = opening(seq, j) or j
        group = _slot_at(seq, k)
        if group is None or not _digits(group) or group.max is None or group.max > 4:
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
    if not 2 <= len(groups) <= 3 or not _fixed(groups[-1], 4):
        return None
    if any(g.min < 3 for g in groups) or not any(_fixed(g, 3) for g in groups):
        return None
    return end


# --- dates and times -------------------------------------------------------------------------

_colon = _lit(":")
_year = _one(lambda s: _digits(s) and s.min >= 2 and s.max == 4)
_iso_date = _chain(
    _year,
    _lit("-"),
    _one(lambda s: _digits(s) and 1 <= s.min <= 2 and s.max == 2),
    _lit("-"),
    _one(lambda s: _digits(s) and 1 <= s.min <= 2 and s.max == 2),
)
_fraction = _chain(
    _one(lambda s: _fixed(s, 1) and s.chars & bits(".,") != 0 and _within(s.chars, bits(".,:"))),
    _one(lambda s: _digits(s) and s.min >= 1),
)
_hour = _one(lambda s: _digits(s) and s.min >= 1 and s.max == 2)
_hm = _one(lambda s: s.chars == bits(":") and s.max == 1)  # ":", or ":?" as ISO 8601 allows
_field = _one(lambda s: _digits(s) and s.min >= 1 and (s.max is None or s.max <= 2))
_time = _alt(
    _chain(_hour, _colon, _hour, _opt(_chain(_colon, _hour, _opt(_fraction))), _opt(_fraction)),
    _chain(_field, _colon, _field, _colon, _field, _opt(_fraction)),
)
_iso_time = _alt(
    _time, _chain(_hour, _hm, _hour, _opt(_chain(_hm, _hour, _opt(_fraction))), _opt(_fraction))
)


_offset = _alt(
    _one(lambda s: _cased(s.chars, "Z") and s.max == 1),
    _chain(
        _one(lambda s: s.chars == bits("+-") and _fixed(s, 1)),
        _one(lambda s: _digits(s) and s.min >= 1 and s.max in (2, 4)),
        _opt(_chain(_opt(_hm), _one(lambda s: _digits(s) and _fixed(s, 2)))),
    ),
)


def _zone(seq: Seq, j: int) -> int:
    """An optional UTC offset: ``Z``, ``+0200``, ``[+-]\\d{2}:?\\d{2}``, or a choice of them."""
    got = _offset(seq, j)
    if got is not None:
        return got
    item = _at(seq, j)
    if isinstance(item, Loop) and item.min == 0 and item.max == 1 and len(item.body) == 1:
        item = item.body[0]
    if isinstance(item, Choice) and all(_whole(_offset, b) for b in item.branches):
        return j + 1
    if isinstance(item, Loop) and item.min == 0 and _whole(_offset, item.body):
        return j + 1
    return j


_date_time_sep = _one(
    lambda s: (
        _fixed(s, 1)
        and (
            _within(s.chars, SPACE) or (s.chars & bits("T") != 0 and _within(s.chars, bits("Tt ")))
        )
    ),
)
_iso_datetime = _chain(_iso_date, _date_time_sep, _iso_time, _zone)
_space = _one(lambda s: _within(s.chars, SPACE) and s.min >= 1)


def _month(seq: Seq, i: int) -> int | None:
    s = _slot_at(seq, i)
    if s is not None and s.chars == WORD and (s.max is None or _fixed(s, 3)):
        return i + 1
    end = _run(lambda s: _within(s.chars, LETTERS), opaque=True)(seq, i)
    if end == i or isinstance(seq[i], Opaque):
        return None
    lo = sum(item_width(x)[0] for x in seq[i:end])
    tops = [item_width(x)[1] for x in seq[i:end]]
    top = None if None in tops else sum(t for t in tops if t is not None)
    return end if lo >= 1 and (top is None or top >= 3) else None


def _day(seq: Seq, i: int) -> int | None:
    """A day of the month: digits, or space-padded (``[ 0-9]\\d``)."""
    first = _slot_at(seq, i)
    if first is None or not first.chars & DIGITS or not _within(first.chars, DIGITS | bits(" ")):
        return None
    if _digits(first):
        return i + 1
    second = _slot_at(seq, i + 1)
    if second is not None and _digits(second) and (second.max or 3) <= 2:
        return i + 2
    return None


_syslog = _chain(_month, _space, _day, _space, _time)
_clf = _chain(  # 10/Oct/2000:13:55:36 -0700, Apache's and nginx's %t
    _one(lambda s: _digits(s) and s.min >= 1 and s.max == 2),
    _lit("/"),
    _month,
    _lit("/"),
    _year,
    _colon,
    _time,
    _opt(_chain(_one(lambda s: s.chars == bits(" ") and s.min == 1), _offset)),
)


# --- text ------------------------------------------------------------------------------------


def _word_list(words: frozenset[str]) -> Rule:
    """An alternation whose every branch can spell one of ``words`` (any case), two or more
    of them in all."""

    def rule(seq: Seq, i: int) -> int | None:
        item = _at(seq, i)
        if not isinstance(item, Choice):
            return None
        seen: set[str] = set()
        for branch in item.branches:
            spelled = _spellings(branch)
            if spelled is None or not spelled & words:
                return None
            seen |= spelled & words
        return i + 1 if len(seen) >= 2 else None

    return rule


def _spellings(seq: Seq, limit: int = 256) -> set[str] | None:
    """Every string ``seq`` matches, lower-cased, when there are few and all are letters."""
    out = {""}
    for item in seq:
        step: set[str]
        match item:
            case Slot(chars=chars, min=lo, max=hi):
                letters = {c.lower() for c in members(chars)}
                if len(letters) != 1 or hi is None or hi > 12:
                    return None
                (ch,) = letters
                step = {ch * n for n in range(lo, hi + 1)}
            case Choice(branches=branches):
                step = set()
                for b in branches:
                    found = _spellings(b, limit)
                    if found is None:
                        return None
                    step |= found
            case Loop(body=body, min=lo, max=hi):
                inner = _spellings(body, limit)
                if inner is None or hi is None or hi > 3:
                    return None
                step, level = set(), {""}
                for n in range(hi + 1):
                    if n >= lo:
                        step |= level
                    level = {a + b for a in level for b in inner}
            case Mark():
                continue
            case Opaque():
                return None
        out = {a + b for a in out for b in step}
        if len(out) > limit:
            return None
    return out


_LEVELS = frozenset[str]().union(
    ("trace", "debug", "dbg", "verbose", "fine", "finer", "finest", "config"),
    ("info", "inf", "information", "notice"),
    ("warn", "warning", "wrn", "error", "err", "severe"),
    ("crit", "critical", "alert", "emerg", "emergency", "fatal", "panic"),
)
_METHODS = frozenset(
    ("get", "head", "post", "put", "delete", "connect", "options", "trace", "patch")
)


def _quoted(seq: Seq, i: int) -> int | None:
    q = _slot_at(seq, i)
    if q is None or not _fixed(q, 1) or q.chars not in (bits('"'), bits("'"), bits("`")):
        return None

    def closes(item: Item) -> bool:
        return isinstance(item, Slot) and item.chars == q.chars and _fixed(item, 1)

    j = i + 1
    while j < len(seq) and not closes(seq[j]):
        j += 1
        if j - i > 4:
            return None
    if j >= len(seq) or j == i + 1:
        return None
    leaves = leaf_slots(seq[i + 1 : j])
    if leaves is None or not any(item_width(x)[1] is None for x in seq[i + 1 : j]):
        return None
    union = 0
    for s in leaves:
        union |= s.chars
    return j + 1 if _within(_PRINTABLE & ~q.chars & ~bits("\\"), union) else None


def _key_value(seq: Seq, i: int) -> int | None:
    keyish = WORD | bits(".-")
    j = i
    head = _slot_at(seq, j)
    if head is not None and _within(head.chars, keyish) and head.chars & LETTERS and head.max == 1:
        j += 1
    key = _slot_at(seq, j)
    if key is None or not _within(key.chars, keyish) or key.max is not None:
        return None
    if not (_letters(key.chars) or (j > i and head is not None and _letters(head.chars))):
        return None
    pad = _opt(_one(lambda s: _within(s.chars, SPACE) and s.min == 0))
    after_key = pad(seq, j + 1)
    assert after_key is not None
    sep = _slot_at(seq, after_key)
    if sep is None or not _fixed(sep, 1) or sep.chars not in (bits("="), bits(":")):
        return None
    start = pad(seq, after_key + 1)
    if start is None:
        return None
    start = _opt(_space)(seq, start) if sep.chars == bits(":") else start
    assert start is not None

    def broad(s: Slot) -> bool:
        wide = s.max is None and s.chars & DIGITS == DIGITS and _letters(s.chars)
        return wide and (sep.chars == bits("=") or not _within(s.chars, WORD))

    value = _alt(_quoted, _one(broad))
    end = value(seq, start)
    if end is None:
        item = _at(seq, start)
        if isinstance(item, Choice) and all(_whole(value, b) for b in item.branches):
            end = start + 1
    return end


def _trailing_space(seq: Seq, i: int) -> int | None:
    s = _slot_at(seq, i)
    if s is None or not _within(s.chars, SPACE) or not s.chars & bits(" \t") or s.max is not None:
        return None
    end = _at(seq, i + 1)
    if isinstance(end, Mark) and end.kind in ("line_end", "text_end"):
        return i + 2
    return None


# --- names and places ------------------------------------------------------------------------


def _hosty(s: Slot) -> bool:
    return _within(s.chars, LETTERS | DIGITS | bits("-_."))


def _has_ipv4(item: Item) -> bool:
    """An alternation with an IPv4 address for a branch (``IPV4|HOSTNAME``): two idioms."""
    if not isinstance(item, Choice):
        return False
    for branch in item.branches:
        own = tuple(x for x in branch if not isinstance(x, Mark))
        if own and _ipv4(own, 0) == len(own):
            return True
    return False


def _hostname(seq: Seq, i: int) -> int | None:
    if _dot(seq, i) is not None:
        return None
    end = _run(_hosty, marks=True)(seq, i)
    end = next((k for k in range(i, end) if _has_ipv4(seq[k])), end)
    while end > i and _dot(seq, end - 1) is not None:
        end -= 1
    leaves = _leaves(seq, i, end)
    dots = any(s.chars == bits(".") for s in leaves)
    label = any(s.chars & bits("-") and _letters(s.chars) for s in leaves)
    return end if dots and label else None


def _no_space(s: Slot) -> bool:
    return s.chars & SPACE == 0


def _email(seq: Seq, i: int) -> int | None:
    first = _slot_at(seq, i)
    if first is None or not _no_space(first) or not _letters(first.chars) or first.max is not None:
        return None

    def local(s: Slot) -> bool:
        plain = _within(s.chars, WORD | bits(".+-%"))
        return _no_space(s) and s.chars != bits("@") and (plain or s.max is None)

    at = _run(local)(seq, i + 1)
    if _lit("@")(seq, at) is None:
        return None

    def domain(s: Slot) -> bool:
        plain = _within(s.chars, WORD | bits(".-"))
        return _no_space(s) and (plain or (s.max is None and _letters(s.chars)))

    end = _run(domain)(seq, at + 1)
    leaves = _leaves(seq, at + 1, end)
    if not any(_letters(s.chars) for s in leaves):
        return None
    dotted = any(s.chars == bits(".") for s in leaves) or any(
        s.max is None and s.chars & bits(".") for s in leaves
    )
    return end if dotted else None


_STOPS = bits("\"'<>`")


def _url(seq: Seq, i: int) -> int | None:
    scheme = _run(lambda s: _within(s.chars, WORD | bits("+.-")))(seq, i)
    if scheme == i or not any(s.chars & LETTERS for s in _leaves(seq, i, scheme)):
        return None
    j = _chain(_colon, _lit("/", 2, 2))(seq, scheme)
    if j is None:
        return None
    host = _at(seq, j)
    if host is None or isinstance(host, Mark | Opaque):
        return None

    def rest(s: Slot) -> bool:
        if _no_space(s):
            return not _within(s.chars, _STOPS)
        return _single_any(s)  # the "." of [^\s/$.?#].\S*

    end = _run(rest, marks=True)(seq, j + 1)
    if sum(item_width(x)[0] for x in seq[j:end]) < 1:
        return None
    return end


def _single_any(s: Slot) -> bool:
    """One character of (almost) any kind: ``.``."""
    return s.max == 1 and bin(s.chars).count("1") > 64


def _path_char(s: Slot) -> bool:
    if s.chars & SPACE:  # a segment class such as [^/]+, or the "." of \\.
        wide = s.max is None and _letters(s.chars) and not s.chars & bits("/")
        return wide or _single_any(s)
    plain = _within(s.chars, WORD | bits("/.-~%+@:,=$!\\"))
    return plain or (s.max is None and _letters(s.chars))


def _unix_path(seq: Seq, i: int) -> int | None:
    item = _at(seq, i)
    head = item.body[0] if isinstance(item, Loop) and item.body else item
    if not (isinstance(head, Slot) and head.chars == bits("/") and head.min >= 1):
        return None
    end = _run(_path_char)(seq, i)
    segment = any(
        s.max is None and _letters(s.chars) and s.chars != bits("/") for s in _leaves(seq, i, end)
    )
    return end if segment else None


# --- gates: what the first item of each idiom can be, checked before the rule runs -----------

Gate: TypeAlias = Callable[[Item], bool]
_NUMERIC_START = DIGITS | bits("+-(vV:") | _HEX_LOWER | _HEX_UPPER


def _slot_gate(allowed: int, structures: bool = False) -> Gate:
    """The first item is a slot meeting ``allowed`` (or, with ``structures``, a choice or
    a loop)."""

    def gate(item: Item) -> bool:
        if isinstance(item, Slot):
            return item.chars & allowed != 0
        return structures and isinstance(item, Choice | Loop)

    return gate


_numeric = _slot_gate(_NUMERIC_START, structures=True)
_digit_start = _slot_gate(DIGITS | bits("+-(vV"))
_wordy = _slot_gate(LETTERS, structures=True)


def _is_choice(item: Item) -> bool:
    return isinstance(item, Choice)


RULES: tuple[tuple[IdiomName, Rule, Gate], ...] = (
    ("iso-datetime", _iso_datetime, _digit_start),
    ("syslog-timestamp", _syslog, _wordy),
    ("clf-timestamp", _clf, _digit_start),
    ("url", _url, _wordy),
    ("email", _email, _slot_gate(LETTERS)),
    ("uuid", _uuid, _slot_gate(HEX)),
    ("mac-address", _mac, _slot_gate(HEX)),
    ("ipv6", _ipv6, _numeric),
    ("ipv4", _ipv4, _slot_gate(DIGITS)),
    ("semver", _semver, _digit_start),
    ("iso-date", _iso_date, _slot_gate(DIGITS)),
    ("time-of-day", _time, _slot_gate(DIGITS)),
    ("phone-like", _phone, _digit_start),
    ("hex-color", _hex_color, _slot_gate(bits("#"))),
    ("hostname", _hostname, _wordy),
    ("unix-path", _unix_path, _slot_gate(bits("/"), structures=True)),
    ("quoted-string", _quoted, _slot_gate(bits("\"'`"))),
    ("key-value", _key_value, _slot_gate(LETTERS)),
    ("log-level", _word_list(_LEVELS), _is_choice),
    ("http-method", _word_list(_METHODS), _is_choice),
    ("decimal", _decimal, _numeric),
    ("hex", _hex, _slot_gate(HEX)),
    ("integer", _integer, _digit_start),
    ("trailing-whitespace", _trailing_space, _slot_gate(SPACE)),
)
"""Every rule with its name and gate, most specific first."""
