"""Lints of quantifiers: ones that do nothing (``x{1}``, ``x{0}``, ``(?:\\b)+``), ones with a
shorter spelling (``{0,}`` is ``*``, ``{2,2}`` is ``{2}``), lazy ones at the end of the
pattern, and a quantified group holding one quantifier (``(?:a{1,2})+`` is ``a+``).
Part of ``_lints``.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._syntax._ast import (
    Alternation,
    Atomic,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
    Comment,
    Concat,
    Dot,
    Empty,
    InlineFlags,
    Literal,
    Node,
    NonCapture,
    Pattern,
    Property,
    Repeat,
    Span,
    Trivia,
)
from .._syntax._width import width
from ._lints_core import Ctx, Lint, show

__all__ = ["at_end", "quantifier", "repeat_lints"]


def quantifier(lo: int, hi: int | None, greed: str = "greedy") -> str:
    """The shortest spelling of ``{lo,hi}`` with its greediness suffix."""
    if (lo, hi) == (0, None):
        core = "*"
    elif (lo, hi) == (1, None):
        core = "+"
    elif (lo, hi) == (0, 1):
        core = "?"
    elif hi is None:
        core = f"{{{lo},}}"
    elif lo == hi:
        core = f"{{{lo}}}"
    else:
        core = f"{{{lo},{hi}}}"
    return core + {"greedy": "", "lazy": "?", "possessive": "+"}[greed]


def _clean(raw: str) -> tuple[str, str] | None:
    """A quantifier written plainly: its core (``*``, ``{2,3}``) and suffix (``?``,
    ``+`` or nothing); None when trivia, comments or a fuzzy constraint are mixed in."""
    if raw[:1] in ("*", "+", "?"):
        core, rest = raw[0], raw[1:]
    elif raw[:1] == "{" and "}" in raw:
        core, rest = raw[: raw.index("}") + 1], raw[raw.index("}") + 1 :]
        if not all(c.isdigit() or c == "," for c in core[1:-1]) or core.count(",") > 1:
            return None
    else:
        return None
    return (core, rest) if rest in ("", "?", "+") else None


def _one_char(node: Node) -> bool:
    return isinstance(node, Literal | Dot | ClassEscape | Class | Property)


def _always_empty(node: Node) -> bool:
    """``node`` can always match the empty string, whatever surrounds it."""
    match node:
        case Empty() | Comment() | Trivia() | InlineFlags():
            return True
        case Concat(items=items):
            return all(_always_empty(i) for i in items)
        case Alternation(branches=branches):
            return any(_always_empty(b) for b in branches)
        case Repeat(item=item, min=lo):
            return lo == 0 or _always_empty(item)
        case NonCapture(body=body) | Atomic(body=body):
            return _always_empty(body)
        case _:
            return False


def at_end(ctx: Ctx, node: Node) -> bool:
    """Nothing can follow what ``node`` matches: it ends the pattern on every path."""
    current = node
    while True:
        up = ctx.parent(current)
        match up:
            case None | Pattern():
                return True
            case Concat(items=items):
                i = next(k for k, item in enumerate(items) if item is current)
                if not all(isinstance(x, Comment | Trivia | InlineFlags) for x in items[i + 1 :]):
                    return False
            case Alternation() | Capture() | NonCapture() | Atomic() | BranchReset():
                pass
            case _:
                return False
        current = up


def repeat_lints(ctx: Ctx, node: Node) -> Iterator[Lint | None]:
    if not isinstance(node, Repeat):
        return
    yield from _zero(ctx, node)
    yield from _useless(ctx, node)
    yield from _spelling(ctx, node)
    yield from _lazy_end(ctx, node)
    yield from _nested(ctx, node)


def _raw_span(node: Repeat) -> Span:
    return Span(node.span.end - len(node.raw), node.span.end)


def _zero(ctx: Ctx, node: Repeat) -> Iterator[Lint | None]:
    """``no-zero-quantifier``: ``x{0}`` matches nothing, the item is never used."""
    if node.max != 0:
        return
    text = node.span.slice(ctx.text)
    if ctx.inert(node.item):
        yield ctx.lint(
            "no-zero-quantifier",
            node.span,
            f"{show(text)} repeats its item zero times, so it matches nothing: remove it",
            (node.span, ""),
        )
    else:
        yield ctx.lint(
            "no-zero-quantifier",
            node.span,
            f"{show(text)} repeats its item zero times, so it matches nothing; its groups "
            "never capture (removing it would renumber them)",
        )


def _useless(ctx: Ctx, node: Repeat) -> Iterator[Lint | None]:
    """``no-useless-quantifier``: ``x{1}``, a repeated item that matches no characters,
    ``(?:a*)?`` (the item matches the empty string by itself)."""
    if node.max == 0:
        return
    text = node.span.slice(ctx.text)
    item = node.item.span.slice(ctx.text)
    if node.min == node.max == 1:
        if node.greed == "possessive" and not _one_char(node.item):
            return  # x{1}+ is an atomic group
        yield ctx.lint(
            "no-useless-quantifier",
            _raw_span(node),
            f"{show(text)} matches its item exactly once, as {show(item)} alone does: "
            "remove the quantifier",
            (_raw_span(node), ""),
        )
        return
    if width(node.item, ctx.p).max == 0:
        if node.min >= 1 and (node.greed != "possessive" or ctx.inert(node.item)):
            yield ctx.lint(
                "no-useless-quantifier",
                _raw_span(node),
                f"{show(item)} matches no characters, so repeating it changes nothing: "
                "remove the quantifier",
                (_raw_span(node), ""),
            )
        elif node.min == 0 and ctx.inert(node.item):
            yield ctx.lint(
                "no-useless-quantifier",
                node.span,
                f"{show(text)} matches no characters and may be skipped, so it always "
                "succeeds and does nothing: remove it",
                (node.span, ""),
            )
        return
    if (
        (node.min, node.max) == (0, 1)
        and node.greed == "greedy"
        and ctx.inert(node.item)
        and _always_empty(node.item)
    ):
        yield ctx.lint(
            "no-useless-quantifier",
            _raw_span(node),
            f"{show(item)} can already match the empty string, so making it optional "
            "changes nothing: remove the `?`",
            (_raw_span(node), ""),
        )


def _spelling(ctx: Ctx, node: Repeat) -> Iterator[Lint | None]:
    """``prefer-star-quantifier``, ``prefer-plus-quantifier``, ``prefer-question-quantifier``
    and ``no-useless-two-nums-quantifier``: ``{0,}`` ``{1,}`` ``{0,1}`` ``{2,2}``."""
    clean = _clean(node.raw)
    if clean is None or not clean[0].startswith("{"):
        return
    core, suffix = clean
    span = _raw_span(node)
    better = quantifier(node.min, node.max) + suffix
    if (node.min, node.max) == (0, None):
        rule, name = "prefer-star-quantifier", "`*`"
    elif (node.min, node.max) == (1, None):
        rule, name = "prefer-plus-quantifier", "`+`"
    elif (node.min, node.max) == (0, 1):
        rule, name = "prefer-question-quantifier", "`?`"
    elif node.min == node.max and node.min > 1 and "," in core:
        rule, name = "no-useless-two-nums-quantifier", show(better)
    else:
        return
    yield ctx.lint(rule, span, f"{show(node.raw)} is better written {name}", (span, better))


def _lazy_end(ctx: Ctx, node: Repeat) -> Iterator[Lint | None]:
    """``no-lazy-ends``: a lazy quantifier that ends the pattern always stops at its
    minimum, since nothing after it can ask for more."""
    if node.greed != "lazy" or node.min == node.max or not at_end(ctx, node):
        return
    if ctx.flavor == "regex" and {"r", "p"} & set(ctx.flags_of(node)):
        return  # reversed or POSIX (leftmost-longest) matching
    item = node.item.span.slice(ctx.text)
    text = node.span.slice(ctx.text)
    if node.min == 0:
        edit = (node.span, "") if ctx.inert(node.item) else None
        better = "nothing: remove it"
    else:
        written = item + ("" if node.min == 1 else quantifier(node.min, node.min))
        edit = (node.span, written)
        better = show(written)
    # finditer retries an empty match for a longer one, which a lazy end then gives
    empty = width(ctx.p).min == 0
    note = "fullmatch, or finditer after an empty match" if empty else "fullmatch"
    yield ctx.lint(
        "no-lazy-ends",
        node.span,
        f"the lazy {show(text)} ends the pattern, so it always matches its minimum "
        f"({_times(node.min)}) and is {better} (with {note} the laziness does matter)",
        edit,
        changes_meaning=empty,
    )


def _times(n: int) -> str:
    return {0: "zero times", 1: "once", 2: "twice"}.get(n, f"{n} times")


def _nested(ctx: Ctx, node: Repeat) -> Iterator[Lint | None]:
    """``no-trivially-nested-quantifier``: ``(?:a{1,2})+`` is ``a+``: the counts an outer
    and an inner quantifier allow together form one range."""
    group = node.item
    if not isinstance(group, NonCapture) or group.on or group.off:
        return
    inner = group.body
    if not isinstance(inner, Repeat) or node.greed != inner.greed or node.greed == "possessive":
        return
    if _clean(node.raw) is None or _clean(inner.raw) is None or not ctx.inert(inner.item):
        return
    w = width(inner.item, ctx.p)
    if w.max is None or w.min != w.max or w.min == 0:
        return
    a, b, c, d = inner.min, inner.max, node.min, node.max
    if a == 0 or b == 0 or d == 0:
        return  # an inner repeat that can match nothing repeats in the engine's own way
    if d is None or d > c:  # the ranges [k*a, k*b] for k = c, c+1, ... must touch
        reach = None if b is None else c * b
        if c == 0 and a > 1:
            return
        if c > 0 and reach is not None and (c + 1) * a > reach + 1:
            return
    lo = a * c
    hi = None if b is None or d is None else b * d
    better = inner.item.span.slice(ctx.text) + quantifier(lo, hi, node.greed)
    text = node.span.slice(ctx.text)
    yield ctx.lint(
        "no-trivially-nested-quantifier",
        node.span,
        f"{show(text)} repeats a single quantified item: it is {show(better)}",
        (node.span, better),
    )
