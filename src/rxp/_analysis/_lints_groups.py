"""Lints of groups, alternations, assertions and inline flags: empty alternatives and
groups, duplicate alternatives, single characters that want to be a set, groups that group
nothing, assertions that always or never hold, and flags switched on mid-pattern.
Part of ``_lints``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from .._syntax._ast import (
    Alternation,
    Anchor,
    Atomic,
    Backref,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
    ClassRange,
    ClassSetOp,
    Comment,
    Concat,
    Conditional,
    Dot,
    Empty,
    InlineFlags,
    Literal,
    Lookaround,
    Node,
    NonCapture,
    Pattern,
    PosixClass,
    Property,
    Repeat,
    Span,
    Trivia,
)
from ._charsets import CharSet, union
from ._lints_classes import class_char
from ._lints_core import Ctx, Lint, show
from ._lints_quantifiers import at_end

__all__ = ["node_lints"]

_MAX_UNION = 256  # single-character alternatives pooled to find ones already covered
_GLOBAL_FLAGS = frozenset("Vbepr")  # regex flags that apply to the whole pattern


def node_lints(ctx: Ctx, node: Node) -> Iterator[Lint | None]:
    match node:
        case Alternation():
            yield from _empty_alternative(ctx, node)
            yield from _dupe_alternatives(ctx, node)
            yield from _prefer_class(ctx, node)
        case Capture() | Atomic() | BranchReset():
            yield from _empty_group(ctx, node)
        case NonCapture():
            yield from _empty_group(ctx, node)
            yield from _useless_group(ctx, node)
        case Anchor() | Lookaround():
            yield from _assertion(ctx, node)
        case InlineFlags():
            yield from _inline_flags(ctx, node)
        case _:
            pass


def _blank(node: Node) -> bool:
    """Nothing but verbose whitespace and comments, or nothing at all."""
    if isinstance(node, Concat):
        return all(isinstance(i, Comment | Trivia) for i in node.items)
    return isinstance(node, Empty | Comment | Trivia)


def _order_free(ctx: Ctx, node: Node) -> bool:
    """Which alternative is tried first matters (not so under regex's POSIX or reversed
    matching, which the rules that reorder or drop alternatives leave alone)."""
    return ctx.flavor == "re" or not {"p", "r"} & set(ctx.flags_of(node))


# --- alternatives ----------------------------------------------------------------------------


def _empty_alternative(ctx: Ctx, node: Alternation) -> Iterator[Lint | None]:
    """``no-empty-alternative``: ``a|`` is ``(?:a)?``, ``|a`` is ``(?:a)??``."""
    branches = node.branches
    empties = [i for i, b in enumerate(branches) if _blank(b)]
    if not empties:
        return
    edit = None
    only = empties[0]
    if len(empties) == 1 and only in (0, len(branches) - 1) and _order_free(ctx, node):
        rest = branches[1:] if only == 0 else branches[:-1]
        body = ctx.text[rest[0].span.start : rest[-1].span.end]
        mark = "??" if only == 0 else "?"
        up = ctx.parent(node)
        if not isinstance(up, BranchReset):
            edit = (node.span, f"(?:{body}){mark}")
            if (
                isinstance(up, NonCapture)
                and not up.on
                and not up.off
                and not isinstance(ctx.parent(up), Repeat)
            ):
                edit = (up.span, f"(?:{body}){mark}")
    for i in empties:
        b = branches[i].span
        bar = Span(b.start - 1, b.start) if i > 0 else Span(b.end, b.end + 1)
        yield ctx.lint(
            "no-empty-alternative",
            bar,
            "an empty alternative: it matches the empty string, which `?` after the group "
            "says more plainly",
            edit,
        )


def _sequence(ctx: Ctx, node: Node) -> list[CharSet] | None:
    """The characters of a fixed string of one-character constructs, position by
    position; None for anything else."""
    items = node.items if isinstance(node, Concat) else (node,)
    out: list[CharSet] = []
    for item in items:
        if isinstance(item, Comment | Trivia | Empty):
            continue
        found = ctx.chars.of(item, ctx.flags_of(item))
        if found is None:
            return None
        out.append(found)
    return out


def _dupe_alternatives(ctx: Ctx, node: Alternation) -> Iterator[Lint | None]:
    """``no-dupe-disjunctions``: an alternative that matches nothing an earlier one does
    not match first (``a|a``, ``.|a``, ``[ab]|a``), or, at the end of the pattern, that an
    earlier one always cuts short (``a|ab``)."""
    if not _order_free(ctx, node):
        return
    branches = node.branches
    text = ctx.text
    ending = at_end(ctx, node)
    seen: dict[tuple[str, str], int] = {}
    seqs: list[list[CharSet] | None] = []
    pooled: CharSet | None = None
    pooled_count = 0
    reasons: dict[int, str] = {}
    for i, b in enumerate(branches):
        simple = ctx.inert(b) and not _blank(b)
        wanted = ctx.work > 0 or not isinstance(b, Concat)  # for pairs, or for the pool
        mine = _sequence(ctx, b) if simple and wanted else None
        seqs.append(mine)
        here = b.span.slice(text)
        if not simple:
            continue
        key = (here, ctx.flags_of(b))
        if key in seen:
            reasons[i] = f"{show(here)} repeats an earlier alternative: it can never match"
            continue
        seen[key] = i
        if mine is None:
            continue
        if len(mine) == 1 and pooled is not None and ctx.chars.covers([pooled], mine[0]):
            reasons[i] = (
                f"{show(here)} is already matched by the earlier alternatives: it is never needed"
            )
            continue
        for j in range(i):
            theirs = seqs[j]
            if ctx.work <= 0:
                break
            if not theirs or j in reasons:
                continue  # an empty one ends the match early only if it may be empty
            ctx.work -= 1
            same = len(theirs) == len(mine)
            if (same or (ending and len(theirs) < len(mine))) and all(
                ctx.chars.covers([t], m) for t, m in zip(theirs, mine, strict=False)
            ):
                earlier = show(branches[j].span.slice(text))
                reasons[i] = (
                    f"{show(here)} matches nothing that the earlier alternative {earlier} "
                    "does not match first: it is never needed"
                    if same
                    else f"{show(here)} is never reached: the earlier alternative {earlier} "
                    "always matches first, and nothing follows it in the pattern"
                )
                break
        if len(mine) == 1 and pooled_count < _MAX_UNION:
            pooled = mine[0] if pooled is None else union([pooled, mine[0]])
            pooled_count += 1
    if not reasons:
        return
    kept = [b.span.slice(text) for i, b in enumerate(branches) if i not in reasons]
    edit = (node.span, "|".join(kept))
    for i in sorted(reasons):
        yield ctx.lint("no-dupe-disjunctions", branches[i].span, reasons[i], edit)


def _class_text(ctx: Ctx, node: Node) -> str | None:
    """``node``, a one-character construct, as members of a set; None if it has none."""
    match node:
        case Literal(char=ch):
            return class_char(ch)
        case ClassEscape(letter=letter) if letter in "dDwWsS":
            return "\\" + letter
        case Property(raw=raw):
            return raw
        case Class(negated=False, items=items):
            parts = []
            for item in items:
                match item:
                    case Literal(char=ch):
                        parts.append(class_char(ch))
                    case ClassRange(start=lo, end=hi):
                        parts.append(class_char(lo.char) + "-" + class_char(hi.char))
                    case ClassEscape() | Property() | PosixClass():
                        parts.append(item.span.slice(ctx.text))
                    case Class() | ClassSetOp():
                        return None
            return "".join(parts)
        case _:
            return None


def _prefer_class(ctx: Ctx, node: Alternation) -> Iterator[Lint | None]:
    """``prefer-character-class``: three or more single-character alternatives in a row
    (two, when they overlap) are one set: ``a|b|c`` is ``[abc]``."""
    if ctx.chars.opaque:
        return  # regex full case folding: a set member may match two characters
    runs: list[list[tuple[Node, str, CharSet]]] = [[]]
    for b in node.branches:
        core = [i for i in (b.items if isinstance(b, Concat) else (b,)) if not _blank(i)]
        one = core[0] if len(core) == 1 else None
        written = None if one is None else _class_text(ctx, one)
        found = None if one is None else ctx.chars.of(one, ctx.flags_of(one))
        if written is None or found is None:
            runs.append([])
        else:
            runs[-1].append((b, written, found))
    for run in runs:
        overlap = any(not ctx.chars.disjoint(x[2], y[2]) for x, y in pairwise(run))
        if len(run) < 3 and not (len(run) == 2 and overlap):
            continue
        span = Span(run[0][0].span.start, run[-1][0].span.end)
        merged = "[" + "".join(dict.fromkeys(written for _, written, _ in run)) + "]"
        yield ctx.lint(
            "prefer-character-class",
            span,
            f"{show(span.slice(ctx.text))} are single characters: the set {show(merged)} "
            "matches the same, faster and without backtracking",
            (span, merged),
        )


# --- groups ----------------------------------------------------------------------------------


def _empty_group(
    ctx: Ctx, node: Capture | NonCapture | Atomic | BranchReset
) -> Iterator[Lint | None]:
    """``no-empty-group``: ``()``, ``(?:)``, ``(?:|)`` match only the empty string."""
    body = node.body
    if not (_blank(body) or (isinstance(body, Alternation) and all(map(_blank, body.branches)))):
        return
    text = node.span.slice(ctx.text)
    if isinstance(node, Capture):
        yield ctx.lint(
            "no-empty-group",
            node.span,
            f"the group {show(text)} is empty: it always captures the empty string",
        )
        return
    up = ctx.parent(node)
    whole = up if isinstance(up, Repeat) else node
    yield ctx.lint(
        "no-empty-group",
        node.span,
        f"the group {show(text)} is empty and matches nothing: remove it",
        (whole.span, ""),
        needs_fix=True,
    )


_QUANTIFIABLE = (
    Literal,
    Dot,
    ClassEscape,
    Class,
    Property,
    Backref,
    Capture,
    NonCapture,
    Atomic,
    BranchReset,
)


_WHOLE = Pattern | Capture | NonCapture | Atomic | Lookaround | Alternation  # holds it alone


def _useless_group(ctx: Ctx, node: NonCapture) -> Iterator[Lint | None]:
    """``no-useless-non-capturing-group``: ``(?:abc)``, ``(?:a)+``, ``x|(?:a|b)``."""
    body = node.body
    if node.on or node.off or _blank(body):
        return
    if isinstance(body, Concat) and any(isinstance(i, InlineFlags) for i in body.items):
        return  # regex: the group bounds where the flags apply
    up = ctx.parent(node)
    if isinstance(up, Repeat):
        fits = isinstance(body, _QUANTIFIABLE)
    elif isinstance(body, Alternation):
        fits = isinstance(up, _WHOLE)
    else:
        fits = isinstance(up, _WHOLE | Concat | Conditional)
    if not fits:
        return
    inner = body.span.slice(ctx.text)
    yield ctx.lint(
        "no-useless-non-capturing-group",
        node.span,
        f"the group {show(node.span.slice(ctx.text))} groups nothing that needs it: "
        f"write {show(inner)}",
        (node.span, inner),
        needs_fix=True,
    )


# --- assertions ------------------------------------------------------------------------------


def _consumes(ctx: Ctx, node: Node | None) -> CharSet | None:
    """The characters ``node`` surely reads one of, when it reads at least one and it is
    all the same which (a one-character construct, repeated or grouped)."""
    while node is not None:
        match node:
            case Repeat(item=item, min=lo) if lo >= 1:
                node = item
            case Capture(body=body) | NonCapture(body=body, on="", off=""):
                node = body
            case _:
                return ctx.chars.of(node, ctx.flags_of(node))
    return None


def _near(ctx: Ctx, node: Node) -> tuple[Node | None, Node | None]:
    """The nearest items before and after ``node`` in its sequence, skipping comments."""
    up = ctx.parent(node)
    if not isinstance(up, Concat):
        return None, None
    items = [i for i in up.items if not isinstance(i, Comment | Trivia)]
    k = next(i for i, item in enumerate(items) if item is node)
    return (items[k - 1] if k > 0 else None), (items[k + 1] if k + 1 < len(items) else None)


_NEWLINE = CharSet(((10, 10),))


def _verdict(ctx: Ctx, node: Anchor | Lookaround) -> bool | None:
    """True when the assertion always holds where it stands, False when it never does,
    None when that depends on the text."""
    before, after = _near(ctx, node)
    prev, nxt = _consumes(ctx, before), _consumes(ctx, after)
    flags = ctx.flags_of(node)
    chars = ctx.chars
    if isinstance(node, Lookaround):
        look = _consumes(ctx, node.body) if ctx.inert(node.body) else None
        side = nxt if node.ahead else prev
        if look is None or side is None:
            return None
        # case folding widens a set: a covered set stays covered only if both fold
        neighbour = after if node.ahead else before
        near = neighbour is not None and "i" in ctx.flags_of(neighbour)
        if near and "i" not in flags:
            return None
        if chars.covers([look], side):
            return not node.negated
        if not near and "i" not in flags and chars.disjoint(look, side):
            return node.negated
        return None
    if ctx.flavor == "regex" and "w" in flags:
        return None  # regex WORD: Unicode word and line boundaries
    multiline = "m" in flags
    word = chars.escape("w", flags)
    nonword = chars.escape("W", flags)
    match node.kind:
        case "word_boundary" | "not_word_boundary" if prev is not None and nxt is not None:
            differ = (chars.covers([word], prev) and chars.covers([nonword], nxt)) or (
                chars.covers([nonword], prev) and chars.covers([word], nxt)
            )
            alike = (chars.covers([word], prev) and chars.covers([word], nxt)) or (
                chars.covers([nonword], prev) and chars.covers([nonword], nxt)
            )
            if differ or alike:
                return differ == (node.kind == "word_boundary")
        case "line_start" if prev is not None:
            if not multiline or chars.disjoint(prev, _NEWLINE):
                return False
            if chars.covers([_NEWLINE], prev):
                return True
        case "line_end" if nxt is not None:
            if chars.disjoint(nxt, _NEWLINE):
                return False
            if multiline and chars.covers([_NEWLINE], nxt):
                return True
        case "text_start" if prev is not None:
            return False
        case "text_end" if nxt is not None:
            return False
        case _:
            pass
    return None


def _assertion(ctx: Ctx, node: Anchor | Lookaround) -> Iterator[Lint | None]:
    """``no-useless-assertions``: ``#\\bfoo`` (always holds), ``a\\bb`` and ``$a`` (never
    hold), ``(?=\\w)\\d`` (always holds)."""
    verdict = _verdict(ctx, node)
    if verdict is None:
        return
    text = node.span.slice(ctx.text)
    if verdict:
        yield ctx.lint(
            "no-useless-assertions",
            node.span,
            f"{show(text)} always holds here, given the characters around it: remove it",
            (node.span, "") if ctx.inert(node) else None,
        )
    else:
        yield ctx.lint(
            "no-useless-assertions",
            node.span,
            f"{show(text)} can never hold here, given the characters around it, so this "
            "part of the pattern never matches",
        )


# --- flags -----------------------------------------------------------------------------------


def _inline_flags(ctx: Ctx, node: InlineFlags) -> Iterator[Lint | None]:
    """``no-inline-flags-mid-pattern`` (regex flavour): ``a(?i)b`` applies from there to the
    end of the group, where Python's ``re`` rejects it (3.11) or applied it to the whole
    pattern (before); a scoped group ``a(?i:b)`` says the same in both."""
    if ctx.flavor != "regex" or _GLOBAL_FLAGS & set(node.on + node.off):
        return
    up = ctx.parent(node)
    if not isinstance(up, Concat):
        return
    items = up.items
    k = next(i for i, item in enumerate(items) if item is node)
    top = ctx.parent(up)
    first = isinstance(top, Pattern) or (
        isinstance(top, Alternation)
        and top.branches[0] is up
        and isinstance(ctx.parent(top), Pattern)
    )
    if first and all(isinstance(i, Comment | Trivia | InlineFlags) for i in items[:k]):
        return  # at the start: global, as re has it
    letters = node.on + ("-" + node.off if node.off else "")
    edit = None
    if not isinstance(top, Alternation) and k + 1 < len(items):
        rest = ctx.text[items[k + 1].span.start : up.span.end]
        edit = (Span(node.span.start, up.span.end), f"(?{letters}:{rest})")
    yield ctx.lint(
        "no-inline-flags-mid-pattern",
        node.span,
        f"{show(node.span.slice(ctx.text))} in mid-pattern applies to the end of its group "
        "in regex but is an error in Python's re: use a scoped group "
        f"{show('(?' + letters + ':...)')}",
        edit,
    )
