"""The idiom rules, one per name, and their order: ``RULES``.

A rule is ``rule(seq, i) -> end | None``: whether the items ``seq[i:end]`` of a lowered
sequence (``_slots``) spell the idiom. Rules are combinators over slot predicates
(``_idiom_kit``), with a procedure where a shape is irregular (phone numbers, IPv6). They look
at character sets and counts only; literal text matters only for word lists (log levels,
HTTP methods), compared case-insensitively. The rules over digits live in ``_idiom_numbers``,
those over text, names and places here. ``docs/idioms.md`` says what each accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal as L
from typing import TypeAlias

from ._ascii_sets import (
    DIGITS,
    HEX,
    LETTERS,
    SPACE,
    WORD,
    bits,
    members,
)
from ._idiom_kit import (
    HEX_LOWER,
    HEX_UPPER,
    PRINTABLE,
    Rule,
    alphabet,
    alt,
    chain,
    exactly,
    item_at,
    lit,
    no_space,
    one,
    opt,
    run_of,
    single_any,
    slot_at,
    slots_in,
    whole,
    within,
)
from ._idiom_numbers import (
    clf,
    colon,
    decimal,
    dot,
    hex_color,
    hex_number,
    integer,
    ipv4,
    ipv6,
    iso_date,
    iso_datetime,
    mac,
    phone,
    semver,
    space,
    syslog,
    time_of_day,
    uuid,
)
from ._slots import (
    Choice,
    Item,
    Loop,
    Mark,
    Opaque,
    Seq,
    Slot,
    item_width,
    leaf_slots,
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

# --- text ------------------------------------------------------------------------------------


def _word_list(words: frozenset[str]) -> Rule:
    """An alternation whose every branch can spell one of ``words`` (any case), two or more
    of them in all."""

    def rule(seq: Seq, i: int) -> int | None:
        item = item_at(seq, i)
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
    q = slot_at(seq, i)
    if q is None or not exactly(q, 1) or q.chars not in (bits('"'), bits("'"), bits("`")):
        return None

    def closes(item: Item) -> bool:
        return isinstance(item, Slot) and item.chars == q.chars and exactly(item, 1)

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
    return j + 1 if within(PRINTABLE & ~q.chars & ~bits("\\"), union) else None


def _key_value(seq: Seq, i: int) -> int | None:
    keyish = WORD | bits(".-")
    j = i
    head = slot_at(seq, j)
    if head is not None and within(head.chars, keyish) and head.chars & LETTERS and head.max == 1:
        j += 1
    key = slot_at(seq, j)
    if key is None or not within(key.chars, keyish) or key.max is not None:
        return None
    if not (alphabet(key.chars) or (j > i and head is not None and alphabet(head.chars))):
        return None
    pad = opt(one(lambda s: within(s.chars, SPACE) and s.min == 0))
    after_key = pad(seq, j + 1)
    assert after_key is not None
    sep = slot_at(seq, after_key)
    if sep is None or not exactly(sep, 1) or sep.chars not in (bits("="), bits(":")):
        return None
    start = pad(seq, after_key + 1)
    if start is None:
        return None
    start = opt(space)(seq, start) if sep.chars == bits(":") else start
    assert start is not None

    def broad(s: Slot) -> bool:
        wide = s.max is None and s.chars & DIGITS == DIGITS and alphabet(s.chars)
        return wide and (sep.chars == bits("=") or not within(s.chars, WORD))

    value = alt(_quoted, one(broad))
    end = value(seq, start)
    if end is None:
        item = item_at(seq, start)
        if isinstance(item, Choice) and all(whole(value, b) for b in item.branches):
            end = start + 1
    return end


def _trailing_space(seq: Seq, i: int) -> int | None:
    s = slot_at(seq, i)
    if s is None or not within(s.chars, SPACE) or not s.chars & bits(" \t") or s.max is not None:
        return None
    end = item_at(seq, i + 1)
    if isinstance(end, Mark) and end.kind in ("line_end", "text_end"):
        return i + 2
    return None


# --- names and places ------------------------------------------------------------------------


def _hosty(s: Slot) -> bool:
    return within(s.chars, LETTERS | DIGITS | bits("-_."))


def _has_ipv4(item: Item) -> bool:
    """An alternation with an IPv4 address for a branch (``IPV4|HOSTNAME``): two idioms."""
    if not isinstance(item, Choice):
        return False
    for branch in item.branches:
        own = tuple(x for x in branch if not isinstance(x, Mark))
        if own and ipv4(own, 0) == len(own):
            return True
    return False


def _hostname(seq: Seq, i: int) -> int | None:
    if dot(seq, i) is not None:
        return None
    end = run_of(_hosty, marks=True)(seq, i)
    end = next((k for k in range(i, end) if _has_ipv4(seq[k])), end)
    while end > i and dot(seq, end - 1) is not None:
        end -= 1
    leaves = slots_in(seq, i, end)
    dots = any(s.chars == bits(".") for s in leaves)
    label = any(s.chars & bits("-") and alphabet(s.chars) for s in leaves)
    return end if dots and label else None


def _not_at(s: Slot) -> bool:
    """A broad run that stops at ``@`` (``[^@]+``, ``[^@\\s]+``, ``\\S+``)."""
    return s.max is None and alphabet(s.chars) and (no_space(s) or not s.chars & bits("@"))


def _email(seq: Seq, i: int) -> int | None:
    first = slot_at(seq, i)
    if first is None or not _not_at(first):
        return None

    def local(s: Slot) -> bool:
        plain = within(s.chars, WORD | bits(".+-%"))
        return (no_space(s) and s.chars != bits("@") and plain) or _not_at(s)

    at = run_of(local)(seq, i + 1)
    if lit("@")(seq, at) is None:
        return None

    def domain(s: Slot) -> bool:
        return (no_space(s) and within(s.chars, WORD | bits(".-"))) or _not_at(s)

    end = run_of(domain)(seq, at + 1)
    leaves = slots_in(seq, at + 1, end)
    if not any(alphabet(s.chars) for s in leaves):
        return None
    dotted = any(s.chars == bits(".") for s in leaves) or any(
        s.max is None and s.chars & bits(".") for s in leaves
    )
    return end if dotted else None


_STOPS = bits("\"'<>`")


def _url(seq: Seq, i: int) -> int | None:
    scheme = run_of(lambda s: within(s.chars, WORD | bits("+.-")))(seq, i)
    if scheme == i or not any(s.chars & LETTERS for s in slots_in(seq, i, scheme)):
        return None
    j = chain(colon, lit("/", 2, 2))(seq, scheme)
    if j is None:
        return None
    host = item_at(seq, j)
    if host is None or isinstance(host, Mark | Opaque):
        return None

    def rest(s: Slot) -> bool:
        if no_space(s):
            return not within(s.chars, _STOPS)
        return single_any(s)  # the "." of [^\s/$.?#].\S*

    end = run_of(rest, marks=True)(seq, j + 1)
    if sum(item_width(x)[0] for x in seq[j:end]) < 1:
        return None
    return end


def _path_char(s: Slot) -> bool:
    if s.chars & SPACE:  # a segment class such as [^/]+, or the "." of \\.
        wide = s.max is None and alphabet(s.chars) and not s.chars & bits("/")
        return wide or single_any(s)
    plain = within(s.chars, WORD | bits("/.-~%+@:,=$!\\"))
    return plain or (s.max is None and alphabet(s.chars))


def _unix_path(seq: Seq, i: int) -> int | None:
    item = item_at(seq, i)
    head = item.body[0] if isinstance(item, Loop) and item.body else item
    if not (isinstance(head, Slot) and head.chars == bits("/") and head.min >= 1):
        return None
    end = run_of(_path_char)(seq, i)
    segment = any(
        s.max is None and alphabet(s.chars) and s.chars != bits("/") for s in slots_in(seq, i, end)
    )
    return end if segment else None


# --- gates: what the first item of each idiom can be, checked before the rule runs -----------

Gate: TypeAlias = Callable[[Item], bool]
_NUMERIC_START = DIGITS | bits("+-(vV:") | HEX_LOWER | HEX_UPPER


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
    ("iso-datetime", iso_datetime, _digit_start),
    ("syslog-timestamp", syslog, _wordy),
    ("clf-timestamp", clf, _digit_start),
    ("url", _url, _wordy),
    ("email", _email, _slot_gate(LETTERS)),
    ("uuid", uuid, _slot_gate(HEX)),
    ("mac-address", mac, _slot_gate(HEX)),
    ("ipv6", ipv6, _numeric),
    ("ipv4", ipv4, _slot_gate(DIGITS)),
    ("semver", semver, _digit_start),
    ("iso-date", iso_date, _slot_gate(DIGITS)),
    ("time-of-day", time_of_day, _slot_gate(DIGITS)),
    ("phone-like", phone, _digit_start),
    ("hex-color", hex_color, _slot_gate(bits("#"))),
    ("hostname", _hostname, _wordy),
    ("unix-path", _unix_path, _slot_gate(bits("/"), structures=True)),
    ("quoted-string", _quoted, _slot_gate(bits("\"'`"))),
    ("key-value", _key_value, _slot_gate(LETTERS)),
    ("log-level", _word_list(_LEVELS), _is_choice),
    ("http-method", _word_list(_METHODS), _is_choice),
    ("decimal", decimal, _numeric),
    ("hex", hex_number, _slot_gate(HEX)),
    ("integer", integer, _digit_start),
    ("trailing-whitespace", _trailing_space, _slot_gate(SPACE)),
)
"""Every rule with its name and gate, most specific first."""
