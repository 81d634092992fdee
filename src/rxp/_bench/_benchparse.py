"""The filter and projection expressions of benchstat (``benchproc/internal/parse``).

Filters (``-filter``)::

    expr    = andExpr {"OR" andExpr}
    andExpr = match {"AND"? match}
    match   = "(" expr ")" | "-" match | "*" | key ":" value | key ":" "(" value {"OR" value} ")"
    value   = word | "/" regexp "/"

Projections (``-col``, ``-row``, ``-table``, ``-ignore``)::

    expr = part {","? part}
    part = key | key "@" order | key "@" "(" word {word} ")"

A word is bare (``[^-*"():@,][^ ():@,]*``) or a double-quoted Go string. Errors are Go's
``SyntaxError``: the message, the query and a caret under the offending place.

Regular expressions are Go's (RE2) as far as Python's ``re`` reads them the same: POSIX
classes such as ``[[:alpha:]]`` are translated (Python would read them as a set of letters),
and an unknown one is Go's error; other differences between the dialects are not bridged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ._gostr import RegexpError, go_quote, go_regexp, go_unquote, regexp_until

__all__ = [
    "ExprSyntaxError",
    "FilterMatch",
    "FilterNode",
    "FilterOp",
    "ProjField",
    "parse_filter",
    "parse_projection",
    "quote_word",
]


class ExprSyntaxError(ValueError):
    """benchproc ``parse.SyntaxError``: ``off`` is a code point offset into ``query``."""

    def __init__(self, query: str, off: int, msg: str) -> None:
        super().__init__(msg)
        self.query, self.off, self.msg = query, off, msg
        self.flag = ""  # the command-line flag holding the expression, set by its reader

    def __str__(self) -> str:
        pos = sum(1 for ch in self.query[: self.off] if ch.isprintable())
        return f"syntax error: {self.msg}\n\t{self.query}\n\t{'':{pos}}^"


@dataclass(frozen=True, slots=True)
class FilterMatch:
    """``key:value`` (``regexp`` None) or ``key:/regexp/``; ``off`` is the key's offset."""

    key: str
    regexp: re.Pattern[str] | None
    lit: str
    off: int

    def match(self, value: str) -> bool:
        if self.regexp is not None:
            return self.regexp.search(value) is not None
        return self.lit == value

    def __str__(self) -> str:
        if self.regexp is not None:
            return f"{quote_word(self.key)}:/{self.regexp.pattern}/"
        return f"{quote_word(self.key)}:{quote_word(self.lit)}"


@dataclass(frozen=True, slots=True)
class FilterOp:
    """AND / OR of any number of nodes (AND of none: ``*``; OR of none: ``-*``), or NOT of one."""

    op: Literal["and", "or", "not"]
    exprs: tuple[FilterNode, ...]

    def __str__(self) -> str:
        if self.op == "not":
            return f"-{self.exprs[0]}"
        if not self.exprs:
            return "*" if self.op == "and" else "-*"
        joiner = " AND " if self.op == "and" else " OR "
        return "(" + joiner.join(map(str, self.exprs)) + ")"


FilterNode = FilterMatch | FilterOp


@dataclass(frozen=True, slots=True)
class ProjField:
    """One part of a projection: the key, its order (``first``, ``fixed`` or a name) and
    the fixed values; offsets of the key and the order for error messages."""

    key: str
    order: str = "first"
    fixed: tuple[str, ...] = ()
    key_off: int = 0
    order_off: int = 0

    def __str__(self) -> str:
        if self.order == "first":
            return quote_word(self.key)
        if self.order == "fixed":
            return f"{quote_word(self.key)}@({' '.join(map(quote_word, self.fixed))})"
        return f"{quote_word(self.key)}@{quote_word(self.order)}"


# -- tokens ------------------------------------------------------------------------------------

_OPS = "():@,"


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "w" bare word, "q" quoted, "r" regexp, "A" AND, "O" OR, an operator, "" end
    off: int
    text: str
    regexp: re.Pattern[str] | None = None


@dataclass(slots=True)
class _Lexer:
    """Go's tokenizer is a value that is copied to look ahead; here ``pos`` is saved and
    restored instead. The first error wins, and every token after it is the end."""

    query: str
    pos: int = 0
    error: ExprSyntaxError | None = field(default=None)

    def fail(self, msg: str, at: int | None = None) -> _Tok:
        if self.error is None:
            self.error = ExprSyntaxError(self.query, self.pos if at is None else at, msg)
        self.pos = len(self.query)
        return _Tok("", len(self.query), "")

    def next(self, allow_regexp: bool = False) -> _Tok:
        q = self.query
        while self.pos < len(q):
            ch = q[self.pos]
            if ch in _OPS or ch in "-*":
                self.pos += 1
                return _Tok(ch, self.pos - 1, ch)
            if ch.isspace():
                self.pos += 1
            elif allow_regexp and ch == "/":
                return self._regexp()
            elif ch == '"':
                return self._quoted()
            else:
                return self._bare()
        return _Tok("", len(q), "")

    def peek(self, allow_regexp: bool = False) -> _Tok:
        saved = self.pos
        tok = self.next(allow_regexp)
        self.pos = saved
        return tok

    def _bare(self) -> _Tok:
        start, q = self.pos, self.query
        end = start
        while end < len(q) and not (q[end].isspace() or q[end] in _OPS):
            end += 1
        word, self.pos = q[start:end], end
        kind = {"AND": "A", "OR": "O"}.get(word, "w")
        return _Tok(kind, start, word)

    def _quoted(self) -> _Tok:
        start, q = self.pos, self.query
        end = start + 1
        while end < len(q) and (q[end] != '"' or q[end - 1] == "\\"):
            end += 1
        if end == len(q):
            return self.fail("missing end quote")
        word = go_unquote(q[start + 1 : end])
        if word is None:
            return self.fail("bad escape sequence")
        self.pos = end + 1
        return _Tok("q", start, word)

    def _regexp(self) -> _Tok:
        start = self.pos
        expr = regexp_until(self.query[start + 1 :], "/")
        if expr is None:
            return self.fail('missing close "/"')
        try:
            compiled = re.compile(go_regexp(expr))
        except (re.error, RegexpError) as exc:
            message = str(exc) if isinstance(exc, RegexpError) else f"{exc}"
            return self.fail(f"error parsing regexp: {message}")
        after = start + 1 + len(expr) + 1
        rest = self.query[after:]
        if rest and not (rest[0].isspace() or rest[0] in _OPS or rest[0] in "-*"):
            return self.fail(
                'regexp must be followed by space or an operator (unescaped "/"?)', after
            )
        self.pos = after
        return _Tok("r", start, expr, compiled)

    def end(self) -> None:
        tok = self.peek()
        if tok.kind != "":
            self.fail(f"unexpected {go_quote(tok.text)}", tok.off)


def quote_word(s: str) -> str:
    """A string that reads back as the word ``s`` (parse's ``quoteWord``)."""
    if not s:
        return '""'
    for i, ch in enumerate(s):
        if ch in '" \a\b' or ch in _OPS or ch.isspace() or (i == 0 and ch in "-*"):
            return go_quote(s)
    return s


# -- filters -----------------------------------------------------------------------------------


def parse_filter(query: str) -> FilterNode:
    """Parse a filter expression, or raise ``ExprSyntaxError`` (the first error found)."""
    lex = _Lexer(query)
    node = _expr(lex)
    lex.end()
    if lex.error is not None:
        raise lex.error
    assert node is not None
    return node


def _expr(lex: _Lexer) -> FilterNode | None:
    terms = []
    while True:
        terms.append(_and_expr(lex))
        if lex.peek().kind != "O":
            break
        lex.next()
    if len(terms) == 1:
        return terms[0]
    return FilterOp("or", tuple(t for t in terms if t is not None))


def _and_expr(lex: _Lexer) -> FilterNode | None:
    terms = [_match(lex)]
    while True:
        tok = lex.peek()
        if tok.kind == "A":
            lex.next()
        elif tok.kind in ("(", "-", "*", "w", "q"):
            terms.append(_match(lex))
        elif tok.kind in (")", "O", ""):
            break
        else:
            lex.fail(f"unexpected {go_quote(tok.text)}", tok.off)
            return None
    if len(terms) == 1:
        return terms[0]
    return FilterOp("and", tuple(t for t in terms if t is not None))


def _match(lex: _Lexer) -> FilterNode | None:
    tok = lex.next()
    if tok.kind == "(":
        node = _expr(lex)
        close = lex.peek()
        if close.kind != ")":
            lex.fail('missing ")"', close.off)
            return None
        lex.next()
        return node
    if tok.kind == "-":
        sub = _match(lex)
        return None if sub is None else FilterOp("not", (sub,))
    if tok.kind == "*":
        return FilterOp("and", ())
    if tok.kind in ("w", "q"):
        if lex.next().kind != ":":
            lex.fail("expected key:value", tok.off)
            return None
        val = lex.next(allow_regexp=True)
        if val.kind in ("w", "q", "r"):
            return FilterMatch(tok.text, val.regexp, "" if val.regexp else val.text, tok.off)
        if val.kind != "(":
            lex.fail("expected key:value", tok.off)
            return None
        terms: list[FilterNode] = []
        while True:
            val = lex.next(allow_regexp=True)
            if val.kind not in ("w", "q", "r"):
                lex.fail("expected value", val.off)
                return None
            terms.append(FilterMatch(tok.text, val.regexp, "" if val.regexp else val.text, tok.off))
            sep = lex.next(allow_regexp=True)
            if sep.kind == ")":
                return FilterOp("or", tuple(terms))
            if sep.kind != "O":
                lex.fail("value list must be separated by OR", sep.off)
                return None
    lex.fail("expected key:value or subexpression", tok.off)
    return None


# -- projections -------------------------------------------------------------------------------


def parse_projection(query: str) -> list[ProjField]:
    """Parse a projection expression into its fields, or raise ``ExprSyntaxError``."""
    lex = _Lexer(query)
    fields: list[ProjField] = []
    while True:
        tok = lex.peek()
        if tok.kind == "":
            break
        if tok.kind == "," and fields:
            lex.next()
        fields.append(_proj_field(lex))
    lex.end()
    if lex.error is not None:
        raise lex.error
    return fields


def _proj_field(lex: _Lexer) -> ProjField:
    key = lex.next()
    if key.kind not in ("w", "q"):
        lex.fail("expected key", key.off)
        return ProjField("")
    order_off = key.off + len(key.text)
    if lex.peek().kind != "@":
        return ProjField(key.text, key_off=key.off, order_off=order_off)
    lex.next()
    order = lex.next()
    if order.kind in ("w", "q"):
        return ProjField(key.text, order.text, key_off=key.off, order_off=order.off)
    if order.kind != "(":
        lex.fail("expected named sort order or parenthesized list", order.off)
        return ProjField(key.text)
    fixed: list[str] = []
    while True:
        tok = lex.next()
        if tok.kind in ("w", "q"):
            fixed.append(tok.text)
        elif tok.kind == ")":
            if not fixed:
                lex.fail("nothing to match", tok.off)
            break
        else:
            lex.fail("missing )", tok.off)
            break
    return ProjField(key.text, "fixed", tuple(fixed), key.off, order.off)
