"""``logfmt`` and ``kv``: ``key=value`` pairs separated by whitespace.

Both follow Vector's ``parse_logfmt`` / ``parse_key_value`` output: values are strings, a
bare key is ``true``, ``key=`` is the empty string, a repeated key collects its values into an
array in input order. Quoted values (``"..."``, and in ``kv`` also ``'...'``) have their
backslash escapes decoded. Keys may hold any character but whitespace, ``=`` and ``"``.

``kv`` also keeps bracketed values whole as Logstash's kv filter does (``k=[a, b]``,
``k={...}``, ``k=(...)``, ``k=<...>``) and decodes the structured ones: ``{...}`` and ``[...]``
as JSON or else through the nested grammar, ``(...)`` when it holds ``key=value`` pairs;
``<...>`` keeps its text. The fast path is one compiled regex per pair; the Lark grammar runs
only for bracketed values that are not JSON.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lark

from ._grammars import parse_with
from ._nested import decode_value
from ._records import Fields, JSONValue, LineError, Record
from ._scan import balanced_end, unquote
from ._spec import FormatSpec, fixed, plain

__all__ = ["SPECS", "Pairs", "parse_kv", "parse_kv_grammar", "parse_logfmt", "scan_pairs"]

_DQ = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_SQ = r"'[^'\\]*(?:\\.[^'\\]*)*'"
# key, then optionally `=` and a quoted or bare value (logfmt: `'` is an ordinary character)
_PAIR_LOGFMT = re.compile(rf'([^\s="]+)(?:(=)({_DQ}|[^\s"]*))?')
_PAIR_KV = re.compile(rf'([^\s="]+)(?:(=)({_DQ}|{_SQ}|(?:[^\s"\'][^\s"]*)?))?')
_SPACE = re.compile(r"[ \t\x1d]*")
_TAGGED = re.compile(r"[\w.$@\-]+[{\[(]")


@dataclass(frozen=True, slots=True)
class Pairs:
    """What one pass over ``key=value`` text found: the fields, how many were ``key=value``
    and how many bare words, and the error that stopped it (``None`` when all was read)."""

    fields: Record
    pairs: int
    bare: int
    error: LineError | None
    bracketed: bool = False


def _bracketed(text: str, start: int, opener_at: int, offset: int) -> tuple[JSONValue, int]:
    """The value from ``start`` to the bracket opened at ``opener_at`` and closed in balance
    (``start < opener_at`` for a tagged value such as ``User{id=2}``), and its end."""
    end = balanced_end(text, opener_at)
    return _decode_bracketed(text[start:end], text[opener_at], offset + start), end


def _decode_bracketed(raw: str, opener: str, offset: int) -> JSONValue:
    """A whole bracketed value: decoded where it is structured, else its text."""
    if opener == "<" or (opener == "(" and "=" not in raw and ":" not in raw):
        return raw
    try:
        return decode_value(raw, offset=offset)
    except LineError:
        return raw  # balanced but not structured: keep it whole


# Lines with no quote, no bracket and no whitespace but space, tab and GS are split with
# str.split: the common case (kernel and app kv lines) without one regex call per pair.
_NEEDS_SCAN = re.compile(r"[\"'{\[(<]|[^\S \t\x1d]")


def _simple_pairs(text: str) -> Pairs | None:
    fields = Fields()
    add = fields.add
    pairs = bare = 0
    for token in text.split():
        key, eq, value = token.partition("=")
        if not key:
            return None  # `=value`: let the scanner say where
        if eq:
            add(key, value)
            pairs += 1
        else:
            add(key, True)
            bare += 1
    return Pairs(fields.data, pairs, bare, None)


def scan_pairs(text: str, *, brackets: bool, single_quotes: bool = True, offset: int = 0) -> Pairs:
    """Read ``text`` as whitespace-separated ``key=value`` pairs and bare keys.

    Never raises: a problem (an unterminated quote, an unbalanced bracket, a stray quote
    where a key should be) ends the scan, and ``error`` says where; ``fields`` keeps every
    pair read before it. ``offset`` is added to reported columns.
    """
    if _NEEDS_SCAN.search(text) is None:
        simple = _simple_pairs(text)
        if simple is not None:
            return simple
    fields = Fields()
    pairs = bare = 0
    bracketed = False
    pos = _SPACE.match(text).end()  # type: ignore[union-attr]
    n = len(text)
    match = (_PAIR_KV if single_quotes else _PAIR_LOGFMT).match
    while pos < n:
        m = match(text, pos)
        if m is None:
            ch = text[pos]
            what = "a quote" if ch == '"' else repr(ch)
            err = LineError(f"expected a key but found {what}", offset + pos + 1)
            return Pairs(fields.data, pairs, bare, err)
        key = m.group(1)
        if m.group(2) is None:
            fields.add(key, True)
            bare += 1
            end = m.end()
        else:
            raw = m.group(3)
            vstart = m.start(3)
            end = m.end()
            value: JSONValue
            first = text[vstart] if vstart < n else " "  # never "": `"" in s` is always true
            tagged = _TAGGED.match(raw) if brackets and first not in "{[(<\"'" else None
            if brackets and (first in "{[(<" or tagged):
                try:
                    opener = vstart + (tagged.end() - 1 if tagged else 0)
                    value, end = _bracketed(text, vstart, opener, offset)
                    bracketed = True
                except LineError as exc:
                    exc.column += offset
                    fields.add(key, text[vstart:])
                    return Pairs(fields.data, pairs + 1, bare, exc)
            elif raw[:1] == '"' or (raw[:1] == "'" and single_quotes):
                value = unquote(raw)
                bracketed = bracketed or raw[0] == "'"
            elif first == '"' or (first == "'" and single_quotes):
                err = LineError("unterminated quoted value", offset + vstart + 1)
                fields.add(key, text[vstart + 1 :])
                return Pairs(fields.data, pairs + 1, bare, err)
            else:
                value = raw
            fields.add(key, value)
            pairs += 1
        nxt = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        if nxt == end and end < n:  # a value runs straight into a quote: `a=b"c`
            err = LineError("expected a space before the next key", offset + end + 1)
            return Pairs(fields.data, pairs, bare, err)
        pos = nxt
    return Pairs(fields.data, pairs, bare, None, bracketed)


def parse_logfmt(line: str) -> Record:
    """Vector's ``parse_logfmt``: raises ``LineError`` (with the fields read so far)."""
    result = scan_pairs(line, brackets=False, single_quotes=False)
    if result.error is not None:
        result.error.fields = result.fields
        raise result.error
    return result.fields


def parse_kv(line: str) -> Record:
    """Vector's ``parse_key_value`` with Logstash's bracket handling; raises ``LineError``."""
    result = scan_pairs(line, brackets=True)
    if result.error is not None:
        result.error.fields = result.fields
        raise result.error
    return result.fields


def _first_last(node: lark.Tree[lark.Token]) -> tuple[lark.Token, lark.Token]:
    tokens = [t for t in node.scan_values(lambda v: isinstance(v, lark.Token))]
    return tokens[0], tokens[-1]


def parse_kv_grammar(line: str) -> Record:
    """The same record as ``parse_kv``, read with ``grammars/logfmt.lark`` (the reference);
    raises ``LineError`` with the column where the grammar stops."""
    tree = parse_with("logfmt", line, "not key=value text")
    fields = Fields()
    for pair in tree.children:
        assert isinstance(pair, lark.Tree)
        key, *rest = pair.children
        if not rest:
            fields.add(str(key), True)
            continue
        if len(rest) == 1:
            fields.add(str(key), "")
            continue
        value = rest[1]
        assert isinstance(value, lark.Tree)
        if value.data in ("dq", "sq"):
            fields.add(str(key), unquote(str(value.children[0])))
        elif value.data == "bare":
            fields.add(str(key), str(value.children[0]))
        else:
            first, last = _first_last(value)
            assert first.start_pos is not None and last.end_pos is not None
            group = value.children[-1]
            assert isinstance(group, lark.Tree)
            opener = str(group.children[0])
            raw = line[first.start_pos : last.end_pos]
            fields.add(str(key), _decode_bracketed(raw, opener, first.start_pos))
    return fields.data


_KV = fixed("key_value", parse_kv)
SPECS: tuple[FormatSpec, ...] = (
    plain("logfmt", parse_logfmt, "key=value pairs (Vector parse_logfmt)"),
    FormatSpec(
        "key_value",
        lambda options: _KV,
        aliases=("kv",),
        summary="key=value pairs (Vector parse_key_value)",
    ),
)
