"""Semantic checks for the regex flavour: what ``regex.compile`` rejects after parsing.

The regex package checks names, escapes, repeat bounds, flag syntax and references to open
groups while it parses (the regex scanner makes those checks, in the same order). After
parsing it makes two more passes, mirrored here in the same order:

1. the flags in effect for the whole pattern: the caller's, the global ones (``V0``/``V1``,
   ``b``, ``e``, ``p``, ``r``: turned on anywhere, they restart the parse as if given up front)
   and the inline flags at the top level, which stay on to the end of the pattern. Two
   versions, or two of ``a``/``L``/``u``, are rejected (``regex`` raises ``ValueError``
   without a position: the error points at the inline flags);
2. ``fix_groups``, in written order: backreferences and conditions must name an existing
   group ("unknown group" for a name, "invalid group reference" for a number), calls
   ``(?1)``, ``(?&name)`` must too (the messages are the other way round there) and must not
   name a number that several groups share ("ambiguous group reference").

Look-behind may have any width in this flavour, so it is not checked.
"""

from __future__ import annotations

from ._analysis import flag_set
from ._ast import (
    Alternation,
    Backref,
    Capture,
    Concat,
    Conditional,
    InlineFlags,
    Lookaround,
    Node,
    NonCapture,
    Pattern,
    Recursion,
    walk,
)
from ._errors import PatternError

__all__ = ["check_regex"]

_GLOBAL = frozenset({"V0", "V1", "b", "e", "p", "r"})
_ENCODINGS = frozenset("aLu")


def check_regex(pattern: Pattern) -> None:
    """Raise ``PatternError`` where ``regex.compile`` rejects a well-formed tree."""
    _check_flags(pattern)
    _fix_groups(pattern)


def _error(p: Pattern, message: str, start: int, end: int | None = None) -> PatternError:
    return PatternError(message, pattern=p.text, span=(start, start + 1 if end is None else end))


def _check_flags(p: Pattern) -> None:
    nodes = list(walk(p))
    flags = set(flag_set(p.flags))
    where: Node | None = None
    for node in nodes:
        if isinstance(node, InlineFlags | NonCapture) and flag_set(node.on) & _GLOBAL:
            flags |= flag_set(node.on) & _GLOBAL
            where = where or node
    if {"V0", "V1"} <= flags:
        span = where.span if where else p.span
        raise _error(
            p, "VERSION0 and VERSION1 flags are mutually incompatible", span.start, span.end
        )
    # Inline flags at the top level stay on to the end of the pattern.
    for item in _top_level(p.body):
        if isinstance(item, InlineFlags):
            flags = (flags | flag_set(item.on)) - flag_set(item.off)
            if len(flags & _ENCODINGS) > 1:
                raise _error(
                    p,
                    "ASCII, LOCALE and UNICODE flags are mutually incompatible",
                    item.span.start,
                    item.span.end,
                )
    if len(flags & _ENCODINGS) > 1:
        raise _error(p, "ASCII, LOCALE and UNICODE flags are mutually incompatible", 0, 0)


def _top_level(body: Node) -> list[Node]:
    """The items of the pattern outside any group, in written order."""
    out: list[Node] = []
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, Concat):
            stack.extend(reversed(node.items))
        elif isinstance(node, Alternation):
            stack.extend(reversed(node.branches))
        else:
            out.append(node)
    return out


def _as_int(target: int | str) -> int | None:
    if isinstance(target, int):
        return target
    try:
        return int(target)
    except ValueError:
        return None


def _fix_groups(p: Pattern) -> None:
    captures = [n for n in walk(p) if isinstance(n, Capture)]
    count = max((c.index for c in captures), default=0)
    names = {c.name: c.index for c in reversed(captures) if c.name}
    openings: dict[int, int] = {}
    for c in captures:
        openings[c.index] = openings.get(c.index, 0) + 1
    for node in walk(p):
        match node:
            case Backref(target=target, raw=raw, span=span):
                at = span.end if raw[1:2].isdigit() else span.start + 3
                number = _as_int(target)
                if number is None:
                    if target not in names:
                        raise _error(p, "unknown group", at)
                elif not 1 <= number <= count:
                    raise _error(p, "invalid group reference", at)
            case Conditional(condition=cond, span=span) if not isinstance(cond, Lookaround):
                at = span.start + 3
                number = _as_int(cond)
                if number is None:
                    if cond not in names and cond != "DEFINE":
                        raise _error(p, "unknown group", at)
                elif not 0 <= number <= count:
                    raise _error(p, "invalid group reference", at)
            case Recursion(target=target, raw=raw, span=span):
                at = span.start + (3 if raw.startswith("(?P") else 2)
                number = _relative(raw, target, captures, span.start)
                if number is None:
                    if target not in names:
                        raise _error(p, "invalid group reference", at)
                    number = names[str(target)]
                if not 0 <= number <= count:
                    raise _error(p, "unknown group", at)
                if number > 0 and openings.get(number, 0) > 1:
                    raise _error(p, "ambiguous group reference", at)
            case _:
                pass


def _relative(raw: str, target: int | str, captures: list[Capture], start: int) -> int | None:
    """The group a call names; relative calls count from the groups opened before them."""
    if raw[2:3] in "+-" and raw[3:4].isdigit():
        before = max((c.index for c in captures if c.span.start < start), default=0)
        offset = int(raw[3:].rstrip(")"))
        return before + offset if raw[2] == "+" else before - offset + 1
    if raw in ("(?R)", "(?0)"):
        return 0
    return _as_int(target)
