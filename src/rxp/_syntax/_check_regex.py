"""Semantic checks for the regex flavour: what ``regex.compile`` rejects after parsing.

The regex package checks names, escapes, repeat bounds, flag syntax and references to open
groups while it parses (the regex scanner makes those checks, in the same order). After
parsing it makes two more passes, and compiling refuses one more thing, mirrored here in the
same order:

1. the flags in effect for the whole pattern: the caller's, the global ones (``V0``/``V1``,
   ``b``, ``e``, ``p``, ``r``: turned on anywhere, they restart the parse as if given up front)
   and the inline flags at the top level, which stay on to the end of the pattern. Two
   versions, or two of ``a``/``L``/``u``, are rejected (``regex`` raises ``ValueError``
   without a position: the error points at the inline flags);
2. ``fix_groups``, in written order: backreferences and conditions must name an existing
   group ("unknown group" for a name, "invalid group reference" for a number), calls
   ``(?1)``, ``(?&name)`` must too (the messages are the other way round there) and must not
   name a number that several groups share ("ambiguous group reference"). The test of a
   fuzzy constraint (``{e<=1:...}``) is not looked at;
3. compiling: the test of a fuzzy constraint must match one character (a literal, a class
   escape other than ``\\X`` and ``\\R``, a property, ``.`` or a set). For anything else
   (``\\b``, ``\\1``, ``\\g<name>``...) ``regex.compile`` fails with ``RuntimeError:
   invalid RE code``; rxp rejects the pattern there.

Look-behind may have any width in this flavour, so it is not checked.
"""

from __future__ import annotations

from .._errors import PatternError
from .._trampoline import Step, run
from ._ast import (
    Alternation,
    Atomic,
    Backref,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
    Comment,
    Concat,
    Conditional,
    Dot,
    Empty,
    Fuzzy,
    InlineFlags,
    Literal,
    Lookaround,
    Node,
    NonCapture,
    Pattern,
    Property,
    Recursion,
    Repeat,
    Span,
    Trivia,
    children,
    walk,
)
from ._flags import flag_set, skipped_flag_groups

__all__ = ["check_regex"]

_GLOBAL = frozenset({"V0", "V1", "b", "e", "p", "r"})
_ENCODINGS = frozenset("aLu")


def check_regex(pattern: Pattern) -> None:
    """Raise ``PatternError`` where ``regex.compile`` rejects a well-formed tree."""
    _check_flags(pattern)
    _fix_groups(pattern)
    _check_fuzzy_tests(pattern)


def _error(p: Pattern, message: str, start: int, end: int | None = None) -> PatternError:
    return PatternError(message, pattern=p.text, span=(start, start + 1 if end is None else end))


def _check_flags(p: Pattern) -> None:
    flags = set(flag_set(p.flags))
    where: Span | None = None
    for node in walk(p):
        for span, on, _ in _flag_groups(node):
            if flag_set(on) & _GLOBAL:
                flags |= flag_set(on) & _GLOBAL
                where = where or span
    if {"V0", "V1"} <= flags:
        span = where or p.span
        raise _error(
            p, "VERSION0 and VERSION1 flags are mutually incompatible", span.start, span.end
        )
    # Inline flags at the top level stay on to the end of the pattern; only the end
    # result must name one encoding.
    where = None
    for item in _top_level(p.body):
        for span, on, off in _flag_groups(item):
            if not isinstance(item, NonCapture):
                flags = (flags | flag_set(on)) - flag_set(off)
                where = span if flag_set(on) & _ENCODINGS else where
    if len(flags & _ENCODINGS) > 1:
        span = where or Span(0, 0)
        raise _error(
            p, "ASCII, LOCALE and UNICODE flags are mutually incompatible", span.start, span.end
        )


def _flag_groups(node: Node) -> list[tuple[Span, str, str]]:
    """The flag groups ``node`` writes: its own, or for a quantifier the positional
    ``(?flags)`` written between the item and the quantifier (kept in ``raw``)."""
    match node:
        case InlineFlags(span=span, on=on, off=off) | NonCapture(span=span, on=on, off=off):
            return [(span, on, off)]
        case Repeat() | Fuzzy():
            return skipped_flag_groups(node)
        case _:
            return []


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


def _empty(node: Node) -> bool:
    """What regex's ``is_empty`` says of the node it builds: a conditional whose branches
    are both empty is dropped (with its group check) before ``fix_groups`` runs."""
    return run(_is_empty(node))


def _is_empty(node: Node) -> Step[bool]:
    parts: tuple[Node, ...]
    match node:
        case Empty() | Comment() | Trivia() | InlineFlags():
            return True
        case Concat(items=parts) | Alternation(branches=parts):
            pass
        case NonCapture(body=b) | Atomic(body=b) | BranchReset(body=b):
            parts = (b,)
        case Repeat(item=b) | Fuzzy(item=b):
            parts = (b,)
        case Lookaround(body=b, negated=negated):
            if negated:
                return False
            parts = (b,)
        case Conditional(condition=Lookaround() as cond, yes=yes):
            parts = (cond.body, yes)
        case Conditional(yes=yes, no=no):
            parts = (yes,) if no is None else (yes, no)
        case _:
            return False
    for part in parts:
        if not (yield _is_empty(part)):
            return False
    return True


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
    openings = _openings(p)
    tests = {id(n.test) for n in walk(p) if isinstance(n, Fuzzy) and n.test is not None}
    for node in walk(p):
        match node:
            case Backref(target=target, raw=raw, span=span) if id(node) not in tests:
                at = span.end if raw[1:2].isdigit() else span.start + 3
                number = _as_int(target)
                if number is None:
                    if target not in names:
                        raise _error(p, "unknown group", at)
                elif not 1 <= number <= count:
                    raise _error(p, "invalid group reference", at)
            case Conditional(condition=cond, span=span) if not isinstance(
                cond, Lookaround
            ) and not _empty(node):
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


def _check_fuzzy_tests(p: Pattern) -> None:
    for node in walk(p):
        if isinstance(node, Fuzzy) and node.test is not None:
            test = node.test
            if isinstance(test, Literal | Property | Dot | Class):
                continue
            if isinstance(test, ClassEscape) and test.letter not in "XR":
                continue
            span = test.span
            raise _error(p, "a fuzzy test must match one character", span.start, span.end)


def _openings(p: Pattern) -> dict[int, int]:
    """How many groups open each number. A group nested in one with the same number (a
    name reused inside itself) gets a private number in regex, so it does not count."""
    counts: dict[int, int] = {}
    stack: list[tuple[Node, frozenset[int]]] = [(p, frozenset())]
    while stack:
        node, inside = stack.pop()
        if isinstance(node, Capture):
            if node.index not in inside:
                counts[node.index] = counts.get(node.index, 0) + 1
            inside = inside | {node.index}
        stack.extend((child, inside) for child in children(node))
    return counts


def _relative(raw: str, target: int | str, captures: list[Capture], start: int) -> int | None:
    """The group a call names; relative calls count from the groups opened before them."""
    if raw[2:3] in "+-" and raw[3:4].isdigit():
        before = max((c.index for c in captures if c.span.start < start), default=0)
        offset = int(raw[3:].rstrip(")"))
        return before + offset if raw[2] == "+" else before - offset + 1
    if raw in ("(?R)", "(?0)"):
        return 0
    return _as_int(target)
