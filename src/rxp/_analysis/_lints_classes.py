"""Lints of character sets and escapes: obscure and useless ranges, duplicate members,
escapes that do nothing, ``[\\b]``, ``[0-9]`` under ASCII, and the set syntax Python's
``re`` warns about. Part of ``_lints``; each function takes the context and one node.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from .._syntax._ast import (
    Class,
    ClassItem,
    ClassRange,
    ClassSetOp,
    Literal,
    Node,
    Span,
)
from ._charsets import CharSet
from ._lints_core import Ctx, Lint, show

__all__ = ["class_char", "class_lints", "literal_lints"]

_MAX_ITEMS = 64  # sets with more members are not checked for duplicates
_SPECIAL = frozenset(".^$*+?{}[]\\|()")  # what an escape outside a set may be needed for
_IN_SET_ALWAYS = frozenset("\\][")
_DOUBLED = frozenset("-&~|")  # doubled inside a set: a V1 operator, a FutureWarning in re


def class_char(ch: str) -> str:
    """``ch`` written to stand for itself inside a set, in either flavour and any mode."""
    if ch in "\\]^-[&~|":
        return "\\" + ch
    if ch.isascii() and ch.isprintable():
        return ch
    code = ord(ch)
    if ch.isprintable() and not ch.isspace():
        return ch
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _visible(ch: str) -> str:
    if ch == "`":
        return "the backtick"
    if ch.isprintable() and not ch.isspace():
        return show(ch)
    return f"U+{ord(ch):04X}"


def literal_lints(ctx: Ctx, node: Node) -> Iterator[Lint | None]:
    """``no-useless-escape`` outside sets."""
    if not isinstance(node, Literal) or node.kind != "escape" or ctx.in_class(node):
        return
    ch = node.char
    flags = ctx.flags_of(node)
    if ch in _SPECIAL or ("x" in flags and (ch.isspace() or ch == "#")):
        return
    yield ctx.lint(
        "no-useless-escape",
        node.span,
        f"{show(node.raw)} needs no backslash here: {show(ch)} is not special outside a set",
        (node.span, ch),
    )


def class_lints(ctx: Ctx, node: Node) -> Iterator[Lint | None]:
    """Every set rule, for a set that is not itself a member of a set."""
    if not isinstance(node, Class) or ctx.in_class(node):
        return
    for sub in _sets_within(node):
        yield from _escapes(ctx, sub)
        yield from _ranges(ctx, sub)
        yield from _duplicates(ctx, sub)
        yield from _backspace(ctx, sub)
    yield from _prefer_escape(ctx, node)
    if ctx.flavor == "re":
        yield from _future_syntax(ctx, node)


def _sets_within(node: Class) -> Iterator[Class]:
    """The set and the sets nested in it (regex VERSION1), outermost first."""
    todo: list[ClassItem] = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, Class):
            yield item
            todo.extend(reversed(item.items))
        elif isinstance(item, ClassSetOp):
            todo.extend(reversed((*item.left, *item.right)))


# --- escapes ---------------------------------------------------------------------------------


def _escapes(ctx: Ctx, node: Class) -> Iterator[Lint | None]:
    """``no-useless-escape`` inside a set: ``[\\.]``, ``[\\$]``, ``[a\\-]``."""
    items = node.items
    for i, item in enumerate(items):
        if not isinstance(item, Literal) or item.kind != "escape":
            continue
        ch = item.char
        prev = items[i - 1] if i > 0 else None
        after = items[i + 1] if i + 1 < len(items) else None
        needed = (
            ch in _IN_SET_ALWAYS
            or (ch == "^" and i == 0)
            or (ch == "-" and 0 < i < len(items) - 1)
            or (ch in _DOUBLED and (_starts_with(prev, ch) or _starts_with(after, ch)))
            or (ch.isspace() and "x" in ctx.flags_of(item))  # kept visible in verbose
        )
        if needed:
            continue
        yield ctx.lint(
            "no-useless-escape",
            item.span,
            f"{show(item.raw)} needs no backslash inside a set: {show(ch)} stands for itself",
            (item.span, ch),
        )


def _starts_with(item: ClassItem | None, ch: str) -> bool:
    if isinstance(item, Literal):
        return item.char == ch
    if isinstance(item, ClassRange):
        return item.start.char == ch or item.end.char == ch
    return False


def _backspace(ctx: Ctx, node: Class) -> Iterator[Lint | None]:
    """``no-escape-backspace``: ``[\\b]`` is a backspace, not a word boundary."""
    for item in node.items:
        if isinstance(item, Literal) and item.raw == "\\b":
            yield ctx.lint(
                "no-escape-backspace",
                item.span,
                "`\\b` inside a set is the backspace character (U+0008), not a word "
                "boundary; write `\\x08` if a backspace is meant",
                (item.span, "\\x08"),
            )


# --- ranges ----------------------------------------------------------------------------------


def _group(ch: str) -> str:
    if "0" <= ch <= "9":
        return "digit"
    if "a" <= ch <= "z":
        return "lower"
    if "A" <= ch <= "Z":
        return "upper"
    return ""


_ESCAPED_KINDS = frozenset({"hex", "unicode", "unicode_long", "octal", "named", "control"})


def _obscure(r: ClassRange) -> bool:
    """Not obviously a run of related characters: ``A-z``, ``!-$``, ``A-\\x43``; but
    digits or letters of one case, both ends escaped alike (``\\x00-\\x1f``), or two
    non-ASCII letters (``à-ÿ``, ``一-龥``) are clear."""
    a, b = r.start, r.end
    if a.char == b.char:
        return False
    escaped = (a.kind in _ESCAPED_KINDS, b.kind in _ESCAPED_KINDS)
    if escaped == (True, True):
        return not (a.kind == b.kind or a.char == "\0")
    if escaped != (False, False):
        return True
    if _group(a.char) and _group(a.char) == _group(b.char):
        return False
    if not a.char.isascii() and not b.char.isascii():
        return not (a.char.isalnum() and b.char.isalnum())
    return True


def _spelled(lo: int, hi: int) -> str | None:
    """The characters of ``lo..hi`` written out, runs of digits or letters as ranges;
    None when that takes too many pieces."""
    pieces: list[str] = []
    c = lo
    while c <= hi:
        group = _group(chr(c))
        end = c
        while group and end + 1 <= hi and _group(chr(end + 1)) == group:
            end += 1
        if end - c >= 2:
            pieces.append(f"{chr(c)}-{chr(end)}")
        else:
            pieces.extend(class_char(chr(k)) for k in range(c, end + 1))
        c = end + 1
        if len(pieces) > 12:
            return None
    return "".join(pieces)


def _ranges(ctx: Ctx, node: Class) -> Iterator[Lint | None]:
    """``no-useless-range`` (``a-a``, ``a-b``) and ``no-obscure-range`` (``A-z``)."""
    for item in node.items:
        if not isinstance(item, ClassRange):
            continue
        lo, hi = ord(item.start.char), ord(item.end.char)
        text = item.span.slice(ctx.text)
        if hi - lo <= 1:
            written = item.start.raw + ("" if lo == hi else item.end.raw)
            what = "one character" if lo == hi else "two characters"
            yield ctx.lint(
                "no-useless-range",
                item.span,
                f"the range {show(text)} holds just {what}: write {show(written)}",
                (item.span, written),
            )
        elif _obscure(item):
            inside = [chr(c) for c in range(lo, min(hi, lo + 200) + 1)]
            odd = [c for c in inside if not _group(c)]
            listed = ", ".join(_visible(c) for c in odd[:6]) + (", ..." if len(odd) > 6 else "")
            spelled = _spelled(lo, hi)
            extra = f"; it includes {listed}" if odd and len(odd) < len(inside) else ""
            yield ctx.lint(
                "no-obscure-range",
                item.span,
                f"the range {show(text)} spans {hi - lo + 1} characters that are not "
                f"obviously related{extra}: list them, or use ranges of digits or letters",
                None if spelled is None else (item.span, spelled),
            )


# --- duplicates ------------------------------------------------------------------------------


def _duplicates(ctx: Ctx, node: Class) -> Iterator[Lint | None]:
    """``no-dupe-characters-character-class``: members already matched by the others."""
    items = node.items
    if len(items) < 2 or len(items) > _MAX_ITEMS:
        return
    flags = ctx.flags_of(node)
    sets = [ctx.chars.of(item, flags) for item in items]
    kept = [s is not None for s in sets]
    redundant: list[int] = []
    for i in reversed(range(len(items))):
        mine = sets[i]
        if mine is None:
            continue
        others = [s for j, s in enumerate(sets) if j != i and kept[j] and s is not None]
        if ctx.chars.covers(others, mine):
            kept[i] = False
            redundant.append(i)
    if not redundant:
        return
    opener = ctx.text[node.span.start : items[0].span.start]
    body = "".join(item.span.slice(ctx.text) for i, item in enumerate(items) if kept[i])
    contiguous = all(a.span.end == b.span.start for a, b in pairwise(items))
    closer = ctx.text[items[-1].span.end : node.span.end]
    edit = (node.span, opener + body + closer) if contiguous else None
    for i in sorted(redundant):
        item = items[i]
        mine = sets[i]
        assert mine is not None
        by = next(
            (
                other.span.slice(ctx.text)
                for j, other in enumerate(items)
                if j != i and kept[j] and _covers_alone(ctx, sets[j], mine)
            ),
            None,
        )
        text = item.span.slice(ctx.text)
        if by == text:
            message = f"{show(text)} appears twice in this set: the second can go"
        else:
            where = show(by) if by is not None else "the other members"
            message = f"{show(text)} is already matched by {where} in this set: it can go"
        yield ctx.lint("no-dupe-characters-character-class", item.span, message, edit)


def _covers_alone(ctx: Ctx, big: CharSet | None, small: CharSet) -> bool:
    return big is not None and ctx.chars.covers([big], small)


# --- shorter spellings (under ASCII only) ------------------------------------------------


def _is_range(item: ClassItem, lo: str, hi: str) -> bool:
    return isinstance(item, ClassRange) and item.start.char == lo and item.end.char == hi


def _prefer_escape(ctx: Ctx, node: Class) -> Iterator[Lint | None]:
    """``prefer-d`` / ``prefer-w``: ``[0-9]`` is ``\\d`` and ``[a-zA-Z0-9_]`` is ``\\w``
    only under the ASCII flag (otherwise they also match other scripts' digits and
    letters), so only then is there a lint."""
    if "a" not in ctx.flags_of(node):
        return
    items = node.items
    digits = [i for i in items if _is_range(i, "0", "9")]
    word = any(_is_range(i, "a", "z") for i in items) and any(_is_range(i, "A", "Z") for i in items)
    underscore = any(isinstance(i, Literal) and i.char == "_" for i in items)
    text = node.span.slice(ctx.text)
    if len(items) == 4 and word and digits and underscore:
        escape = "\\W" if node.negated else "\\w"
        yield ctx.lint(
            "prefer-w",
            node.span,
            f"{show(text)} is {show(escape)} under the ASCII flag: write {show(escape)}",
            (node.span, escape),
        )
        return
    if not digits:
        return
    if len(items) == 1:
        escape = "\\D" if node.negated else "\\d"
        yield ctx.lint(
            "prefer-d",
            node.span,
            f"{show(text)} is {show(escape)} under the ASCII flag: write {show(escape)}",
            (node.span, escape),
        )
    else:
        yield ctx.lint(
            "prefer-d",
            digits[0].span,
            "`0-9` is `\\d` under the ASCII flag: write `\\d`",
            (digits[0].span, "\\d"),
        )


# --- what re warns about ---------------------------------------------------------------------


def _future_syntax(ctx: Ctx, node: Class) -> Iterator[Lint | None]:
    """``no-future-set-syntax``: ``[[``, ``--``, ``&&``, ``~~`` and ``||`` inside a set make
    Python's ``re`` emit a FutureWarning (they may become nested sets and set operations,
    as in ``regex`` VERSION1); escaping the character keeps the meaning and the silence."""
    text = ctx.text
    items = node.items
    spots: list[tuple[Span, str, str]] = []
    if not node.negated and items and isinstance(items[0], Literal) and items[0].raw == "[":
        spots.append((items[0].span, "[[", "a nested set"))
    for i, item in enumerate(items):
        first = item.start if isinstance(item, ClassRange) else item
        if (
            i > 0
            and isinstance(first, Literal)
            and first.raw in _DOUBLED
            and text[first.span.end : first.span.end + 1] == first.raw
        ):
            spots.append((first.span, first.raw * 2, "a set operation"))
        if isinstance(item, ClassRange) and item.end.raw == "-":
            spots.append((item.end.span, "--", "a set difference"))
    for span, seen, what in spots:
        raw = span.slice(text)
        yield ctx.lint(
            "no-future-set-syntax",
            span,
            f"Python's re warns (FutureWarning) that {show(seen)} may become {what} in a "
            f"future version: escape it as {show(chr(92) + raw)}",
            (span, "\\" + raw),
        )
