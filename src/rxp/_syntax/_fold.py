"""Lark's parse tree -> AST nodes (``_ast``), for both flavours.

``fold(tree, text, scanned, parse_tokens)`` works bottom up with an explicit stack, so a tree
of any depth folds without touching Python's recursion limit. Terminals become leaves by their
type (a ``CHAR`` is a ``Literal``, an ``ANCHOR`` an ``Anchor``...), rules by their name (named after
the node they build); values the scanner worked out (group numbers, quantifier bounds,
reference targets, characters, fuzzy constraints) win over re-reading the raw text. The test
of a fuzzy constraint (``{e<=1:[a-z]}``) is tokenised by the scanner but stands outside the
token stream (it is inside the ``FUZZY`` token); ``parse_tokens`` parses its tokens on their
own with the same grammar, and the result folds like any other subtree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from lark import Token, Tree

from . import _ast as A
from ._tokens import ScanResult, literal_char

__all__ = ["fold"]


_LITERAL_KINDS: Final[dict[str, A.LiteralKind]] = {
    "CHAR": "plain",
    "ESCAPED": "escape",
    "CONTROL": "control",
    "HEX": "hex",
    "UNICODE": "unicode",
    "UNICODE_LONG": "unicode_long",
    "NAMED_CHAR": "named",
    "OCTAL": "octal",
}

_ANCHORS: Final[dict[str, A.AnchorKind]] = {
    "^": "line_start",
    "$": "line_end",
    "\\A": "text_start",
    "\\Z": "text_end",
    "\\z": "text_end",
    "\\b": "word_boundary",
    "\\B": "not_word_boundary",
    "\\G": "search_start",
    "\\m": "word_start",
    "\\M": "word_end",
    "\\<": "word_start",
    "\\>": "word_end",
    "\\K": "keep_out",
}


def _span(token: Token) -> A.Span:
    start: int = token.start_pos or 0
    return A.Span(start, start + len(token.value))


def _literal(token: Token, chars: dict[int, str]) -> A.Literal:
    kind = token.type
    raw: str = token.value
    span = _span(token)
    char = chars.get(span.start)
    if char is None:
        char = literal_char(kind, raw)
    return A.Literal(span=span, char=char, raw=raw, kind=_LITERAL_KINDS[kind])


def _split_flags(letters: str) -> tuple[str, str]:
    on, _, off = letters.partition("-")
    return on, off


def _leaf(token: Token, scanned: ScanResult) -> A.Node:
    """The node a terminal becomes (values the scanner worked out win over the raw text)."""
    targets = scanned.targets
    kind = token.type
    raw: str = token.value
    if kind in _LITERAL_KINDS:
        return _literal(token, scanned.chars)
    span = _span(token)
    match kind:
        case "EMPTY":
            return A.Empty(span=span)
        case "DOT":
            return A.Dot(span=span)
        case "ANCHOR":
            return A.Anchor(span=span, kind=_ANCHORS[raw], raw=raw)
        case "CLASS_ESCAPE":
            return A.ClassEscape(span=span, letter=raw[1])
        case "BACKREF":
            target = targets.get(span.start)
            if target is None:
                target = _backref_target(raw)
            return A.Backref(span=span, target=target, raw=raw)
        case "COMMENT":
            return A.Comment(span=span, text=raw[3:-1])
        case "TRIVIA":
            return A.Trivia(span=span, text=raw)
        case "INLINE_FLAGS":
            on, off = _split_flags(raw[2:-1])
            return A.InlineFlags(span=span, on=on, off=off)
        case "PROPERTY":
            return _property(span, raw)
        case "POSIX_CLASS":
            negated = raw[2] == "^"
            return A.PosixClass(span=span, name=raw[3 if negated else 2 : -2], negated=negated)
        case "RECURSION":
            target = targets.get(span.start)
            if target is None:
                target = _recursion_target(raw)
            return A.Recursion(span=span, target=target, raw=raw)
        case "VERB":
            return A.Verb(span=span, name=raw[2:-1])
        case "NAMED_LIST":
            name = str(targets.get(span.start, raw[3:-1]))
            written = "" if raw == "\\L<" + name + ">" else raw
            return A.NamedList(span=span, name=name, raw=written)
    raise AssertionError(f"unexpected token {kind}")


def _backref_target(raw: str) -> int | str:
    if raw.startswith("(?P="):
        return raw[4:-1]
    if raw.startswith("(?P>") or raw.startswith("(?&"):
        return raw[raw.index(">" if raw[2] == "P" else "&") + 1 : -1]
    if raw[1] == "g" or raw[1] == "k":
        inner = raw[3:-1]
        return int(inner) if inner.isdecimal() and inner.isascii() else inner
    return int(raw[1:])


def _recursion_target(raw: str) -> int | str:
    inner = raw[2:-1]
    if inner == "R":
        return 0
    if inner.startswith("&"):
        return inner[1:]
    if inner.startswith("P>"):
        return inner[2:]
    try:
        return int(inner)
    except ValueError:
        return inner


def _property(span: A.Span, raw: str) -> A.Property:
    # Under VERBOSE the regex flavour lets whitespace stand inside: ``\p {^ L }``.
    negated = raw[1] == "P"
    body = raw[2:].strip()
    if body.startswith("{"):
        body = body[1:-1].strip()
    if body.startswith("^"):
        negated = not negated
        body = body[1:].strip()
    name, sep, value = body.partition("=")
    if not sep:
        name, sep, value = body.partition(":")
    return A.Property(
        span=span,
        negated=negated,
        name=name.strip(),
        value=value.strip() if sep else None,
        raw=raw,
    )


def _quantifier(raw: str) -> tuple[int, int | None, A.Greed]:
    greed: A.Greed = "greedy"
    core = raw
    if len(core) >= 2 and core[-1] in "?+" and core[-2] in "*+?}":
        greed = "lazy" if core[-1] == "?" else "possessive"
        core = core[:-1]
    last = core[-1]
    if last == "*":
        return 0, None, greed
    if last == "+":
        return 1, None, greed
    if last == "?":
        return 0, 1, greed
    inner = core[core.rindex("{") + 1 : -1]
    lo, comma, hi = inner.partition(",")
    low = int(lo) if lo else 0
    if not comma:
        return low, low, greed
    return low, int(hi) if hi else None, greed


def _start(child: A.Node | Token) -> int:
    return child.span.start if not isinstance(child, Token) else child.start_pos or 0


def _end(child: A.Node | Token) -> int:
    if isinstance(child, Token):
        return (child.start_pos or 0) + len(child.value)
    return child.span.end


Item = A.Node | Token | tuple[A.ClassItem, ...]


ParseTokens = Callable[[list[Token]], Tree[Token]]


class _Context:
    __slots__ = ("parse_tokens", "scanned", "text")

    def __init__(self, text: str, scanned: ScanResult, parse_tokens: ParseTokens) -> None:
        self.text = text
        self.scanned = scanned
        self.parse_tokens = parse_tokens


def fold(root: Tree[Token], text: str, scanned: ScanResult, parse_tokens: ParseTokens) -> A.Node:
    """Lark's tree for ``text`` -> AST, bottom up with an explicit stack (no recursion).
    ``parse_tokens`` is the parser, for the tests of fuzzy constraints."""
    ctx = _Context(text, scanned, parse_tokens)
    done: dict[int, Item] = {}
    stack: list[tuple[Tree[Token], bool]] = [(root, False)]
    while stack:
        tree, ready = stack.pop()
        if not ready:
            stack.append((tree, True))
            stack.extend((c, False) for c in tree.children if isinstance(c, Tree))
            continue
        kids: list[Item] = []
        for c in tree.children:
            if isinstance(c, Tree):
                kids.append(done.pop(id(c)))
            elif isinstance(c, Token) and c.type in _KEEP_TOKENS:
                kids.append(c)
            else:
                kids.append(_leaf(c, scanned))
        done[id(tree)] = _RULES[tree.data](kids, ctx)
    result = done[id(root)]
    assert not isinstance(result, (Token, tuple))
    return result


_KEEP_TOKENS: Final = frozenset(
    {
        "PIPE",
        "RPAR",
        "QUANT",
        "FUZZY",
        "CAPTURE_OPEN",
        "NONCAPTURE_OPEN",
        "LOOKAROUND_OPEN",
        "ATOMIC_OPEN",
        "BRANCH_RESET_OPEN",
        "CONDITION_OPEN",
        "CONDITION_LOOKAROUND_OPEN",
        "CLASS_OPEN",
        "CLASS_CLOSE",
        "RANGE_DASH",
        "UNION_OP",
        "SYMMETRIC_OP",
        "INTERSECTION_OP",
        "DIFFERENCE_OP",
    }
)


def _node(item: Item) -> A.Node:
    assert not isinstance(item, Token | tuple)
    return item


def _tok(item: Item) -> Token:
    assert isinstance(item, Token)
    return item


def _r_start(kids: list[Item], ctx: _Context) -> Item:
    return kids[0]


def _r_alternation(kids: list[Item], ctx: _Context) -> Item:
    branches = tuple(_node(k) for k in kids[::2])
    return A.Alternation(
        span=A.Span(branches[0].span.start, branches[-1].span.end), branches=branches
    )


def _r_concat(kids: list[Item], ctx: _Context) -> Item:
    items = tuple(_node(k) for k in kids)
    return A.Concat(span=A.Span(items[0].span.start, items[-1].span.end), items=items)


def _r_repeat(kids: list[Item], ctx: _Context) -> Item:
    item, quant = _node(kids[0]), _tok(kids[1])
    known = ctx.scanned.quants.get(_start(quant))
    low, high, greed = _quantifier(quant.value) if known is None else known
    return A.Repeat(
        span=A.Span(item.span.start, _end(quant)),
        item=item,
        min=low,
        max=high,
        greed=greed,
        raw=quant.value,
    )


def _r_fuzzy(kids: list[Item], ctx: _Context) -> Item:
    item, token = _node(kids[0]), _tok(kids[1])
    found = ctx.scanned.fuzzies[_start(token)]
    test = None
    if found.test:
        tree = ctx.parse_tokens(list(found.test))
        test = fold(tree, ctx.text, ctx.scanned, ctx.parse_tokens)
    return A.Fuzzy(
        span=A.Span(item.span.start, _end(token)),
        item=item,
        limits=found.limits,
        cost=found.cost,
        test=test,
        raw=token.value,
    )


def _group_span(kids: list[Item]) -> A.Span:
    return A.Span(_start(_tok(kids[0])), _end(_tok(kids[-1])))


def _r_capture(kids: list[Item], ctx: _Context) -> Item:
    opener: str = _tok(kids[0]).value
    index, name = ctx.scanned.captures[_start(_tok(kids[0]))]
    return A.Capture(
        span=_group_span(kids), body=_node(kids[1]), index=index, name=name, opener=opener
    )


def _r_non_capture(kids: list[Item], ctx: _Context) -> Item:
    on, off = _split_flags(_tok(kids[0]).value[2:-1])
    return A.NonCapture(span=_group_span(kids), body=_node(kids[1]), on=on, off=off)


def _lookaround(span: A.Span, body: A.Node, opener: str) -> A.Lookaround:
    # The regex flavour lets VERBOSE whitespace stand inside the opener: ``(?< =``.
    canonical = "".join(c for c in opener if c in "(?<=!")
    return A.Lookaround(
        span=span,
        body=body,
        ahead=canonical[2] != "<",
        negated=canonical[-1] == "!",
        opener="" if canonical == opener else opener,
    )


def _r_lookaround(kids: list[Item], ctx: _Context) -> Item:
    return _lookaround(_group_span(kids), _node(kids[1]), _tok(kids[0]).value)


def _r_atomic(kids: list[Item], ctx: _Context) -> Item:
    return A.Atomic(span=_group_span(kids), body=_node(kids[1]))


def _r_branch_reset(kids: list[Item], ctx: _Context) -> Item:
    return A.BranchReset(span=_group_span(kids), body=_node(kids[1]))


def _r_conditional(kids: list[Item], ctx: _Context) -> Item:
    opener = _tok(kids[0])
    condition: int | str | A.Lookaround
    if len(kids) == 5:  # (?(?=look)yes|no)
        look_start = _start(opener) + 2
        raw: str = opener.value[2:]
        condition = _lookaround(A.Span(look_start, _end(_tok(kids[2]))), _node(kids[1]), raw)
        condition_raw = condition.span.slice(ctx.text)
        body = _node(kids[3])
    else:
        condition_raw = opener.value[3:-1]
        known = ctx.scanned.targets.get(_start(opener))
        condition = _condition_target(condition_raw) if known is None else known
        body = _node(kids[1])
    yes, no = body, None
    if isinstance(body, A.Alternation) and len(body.branches) == 2:
        yes, no = body.branches
    return A.Conditional(
        span=_group_span(kids), condition=condition, condition_raw=condition_raw, yes=yes, no=no
    )


def _condition_target(raw: str) -> int | str:
    try:
        return int(raw)
    except ValueError:
        return raw


def _items(item: Item) -> tuple[A.ClassItem, ...]:
    if isinstance(item, tuple):
        return item
    node = _node(item)
    assert isinstance(node, A.ClassSetOp)
    return (node,)


_CLASS_ITEM_TYPES: Final = (
    A.Literal,
    A.ClassRange,
    A.ClassEscape,
    A.Property,
    A.PosixClass,
    A.Class,
    A.ClassSetOp,
)


def _r_set_items(kids: list[Item], ctx: _Context) -> Item:
    out: list[A.ClassItem] = []
    for k in kids:
        node = _node(k)
        assert isinstance(
            node,
            A.Literal
            | A.ClassRange
            | A.ClassEscape
            | A.Property
            | A.PosixClass
            | A.Class
            | A.ClassSetOp,
        )
        out.append(node)
    return tuple(out)


def _r_class_range(kids: list[Item], ctx: _Context) -> Item:
    lo, hi = _node(kids[0]), _node(kids[2])
    assert isinstance(lo, A.Literal) and isinstance(hi, A.Literal)
    return A.ClassRange(span=A.Span(lo.span.start, hi.span.end), start=lo, end=hi)


def _r_class_set_op(kids: list[Item], ctx: _Context) -> Item:
    left, op, right = _items(kids[0]), _tok(kids[1]), _items(kids[2])
    start = left[0].span.start if left else _start(op)
    end = right[-1].span.end if right else _end(op)
    operator = op.value
    assert operator in ("--", "&&", "||", "~~")
    return A.ClassSetOp(span=A.Span(start, end), op=operator, left=left, right=right)


def _r_class(kids: list[Item], ctx: _Context) -> Item:
    opener = _tok(kids[0])
    return A.Class(
        span=_group_span(kids),
        negated=opener.value.endswith("^"),
        items=_items(kids[1]),
    )


_RULES: Final[dict[str, Callable[[list[Item], _Context], Item]]] = {
    "start": _r_start,
    "alternation": _r_alternation,
    "concat": _r_concat,
    "repeat": _r_repeat,
    "fuzzy": _r_fuzzy,
    "capture": _r_capture,
    "non_capture": _r_non_capture,
    "lookaround": _r_lookaround,
    "atomic": _r_atomic,
    "branch_reset": _r_branch_reset,
    "conditional": _r_conditional,
    "class": _r_class,
    "set_items": _r_set_items,
    "class_range": _r_class_range,
    "class_set_op": _r_class_set_op,
}
