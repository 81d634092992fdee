"""``nested``: balanced structures (Java toString, protobuf text, NSError, Ruby hashes, ...)
read with ``grammars/nested.lark`` and folded into JSON values.

Contract of the fold: a container whose entries are all positional becomes an array; one with
any ``key=value`` (``key: value``, ``key => value``, ``Name{...}``) entry becomes an object, its
positional entries kept in order under ``"@values"``. ``Name{...}`` is ``{"Name": {...}}`` as a
value, and the entry ``Name`` of its container when it stands alone (protobuf's ``key {...}``).
Atoms keep their exact source text; quoted strings are unquoted with escapes decoded; a repeated
key collects its values into an array.
"""

from __future__ import annotations

import json
import re

import lark

from .._grammar import load_grammar
from ._grammars import GRAMMAR_LIMIT, check_length
from ._nested_fast import body_record, fast_nested, fast_value
from ._records import Fields, JSONValue, LineError, Record
from ._scan import structure_error, unquote
from ._spec import FormatSpec, plain

__all__ = ["POSITIONAL", "SPECS", "decode_value", "lark_nested", "lark_value", "parse_nested"]

POSITIONAL = "@values"
_KEY_OP = re.compile(r"[ \t]*(?:=>|=|:)$")


def _parser() -> lark.Lark:
    return load_grammar("nested", parser="lalr")


def _lark_error(exc: lark.exceptions.UnexpectedInput, text: str, offset: int) -> LineError:
    pos = getattr(exc, "pos_in_stream", None)
    pos = len(text) if pos is None else pos
    if isinstance(exc, lark.exceptions.UnexpectedEOF):
        return LineError("a bracket is still open at the end of the value", offset + len(text) + 1)
    if isinstance(exc, lark.exceptions.UnexpectedToken):
        tok = exc.token
        if tok.type == "$END":
            return LineError("a bracket is still open at the end", offset + len(text) + 1)
        return LineError(f"unexpected {str(tok)!r}", offset + pos + 1)
    char = text[pos] if pos < len(text) else "end of text"
    return LineError(f"unexpected {char!r}", offset + pos + 1)


def _body(tree: lark.Tree[lark.Token], text: str) -> JSONValue:
    pairs = Fields()
    items: list[JSONValue] = []
    has_pairs = False
    for entry in tree.children:
        assert isinstance(entry, lark.Tree)
        kind = entry.data
        kids = entry.children
        if kind == "pair":
            key = _KEY_OP.sub("", str(kids[0]))
            pairs.add(key, _value(kids[1], text) if len(kids) > 1 else "")
            has_pairs = True
        elif kind == "qpair":
            qkey = str(kids[0])
            key = unquote(qkey) if qkey[0] in "\"'" else qkey
            pairs.add(key, _value(kids[2], text) if len(kids) > 2 else "")
            has_pairs = True
        else:
            node = kids[0]
            if isinstance(node, lark.Tree) and node.data == "tagged":
                pairs.add(str(node.children[0]), _value(node.children[1], text))
                has_pairs = True
            else:
                items.append(_value(node, text))
    if not has_pairs:
        return items
    out = pairs.data
    if items:
        out[POSITIONAL] = items
    return out


def _value(node: lark.Tree[lark.Token] | lark.Token, text: str) -> JSONValue:
    if isinstance(node, lark.Token):  # a lone quoted key reused as a value cannot happen
        return str(node)
    kind = node.data
    kids = node.children
    if kind == "atom":
        first, last = kids[0], kids[-1]
        assert isinstance(first, lark.Token) and isinstance(last, lark.Token)
        assert first.start_pos is not None and last.end_pos is not None
        return text[first.start_pos : last.end_pos]
    if kind in ("dq", "sq"):
        return unquote(str(kids[0]))
    if kind == "tagged":
        return {str(kids[0]): _value(kids[1], text)}
    if kind in ("brace", "bracket", "paren"):
        body = kids[0]
        assert isinstance(body, lark.Tree)
        return _body(body, text)
    raise AssertionError(f"unknown node {kind}")


def _precheck(text: str, offset: int) -> None:
    """Refuse, in linear time and before Lark sees it, text whose brackets or quotes cannot
    balance or that nests too deeply (``_scan.structure_error`` reads the grammar's tokens),
    then text too long for the grammar."""
    error = structure_error(text, offset=offset)
    if error is not None:
        raise error
    check_length(text, offset)


def parse_nested(text: str, *, offset: int = 0) -> Record:
    """The entries of ``text`` as an object (positional ones under ``"@values"``).

    Raises ``LineError`` with the 1-based column (``offset`` added) where the grammar
    stopped: an unbalanced bracket, a stray closing bracket, an unterminated quote.
    """
    if len(text) <= GRAMMAR_LIMIT:  # the hand-written reader first; Lark when it cannot tell
        fast = fast_nested(text)  # (never a value where the pre-check would refuse)
        if fast is not None:
            return fast
    _precheck(text, offset)
    return lark_nested(text, offset=offset)


def lark_nested(text: str, *, offset: int = 0) -> Record:
    """``parse_nested`` through the grammar alone: the reference ``_nested_fast`` must equal,
    and the one that words the errors."""
    try:
        tree = _parser().parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        raise _lark_error(exc, text, offset) from None
    body = tree.children[0]
    assert isinstance(body, lark.Tree)
    return body_record(_body(body, text))


def decode_value(text: str, *, offset: int = 0) -> JSONValue:
    """One balanced value (``{...}``, ``[...]``, ``(...)``, ``Name{...}``) decoded: as JSON
    when it is JSON, else through the nested grammar. Raises ``LineError`` when neither reads
    it."""
    if text[:1] in ("{", "["):
        try:
            value: JSONValue = json.loads(text)
            return value
        except ValueError:
            pass
    if len(text) <= GRAMMAR_LIMIT:
        fast = fast_value(text)  # the hand-written reader first, as in `parse_nested`
        if fast is not None:
            return fast
    _precheck(text, offset)
    return lark_value(text, offset=offset)


def lark_value(text: str, *, offset: int = 0) -> JSONValue:
    """``decode_value``'s grammar half through Lark alone (the reference, as ``lark_nested``)."""
    try:
        tree = _parser().parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        raise _lark_error(exc, text, offset) from None
    body = tree.children[0]
    assert isinstance(body, lark.Tree)
    if len(body.children) == 1:
        entry = body.children[0]
        assert isinstance(entry, lark.Tree)
        if entry.data == "item":
            return _value(entry.children[0], text)
    return _body(body, text)


SPECS: tuple[FormatSpec, ...] = (
    plain("nested", parse_nested, "balanced structures: Java toString, protobuf text, Ruby hashes"),
)
