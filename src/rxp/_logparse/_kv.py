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

from ._nested import decode_value
from ._records import Fields, JSONValue, LineError, Record
from ._scan import balanced_end, unquote

__all__ = ["Pairs", "parse_kv", "parse_logfmt", "scan_pairs"]

_PAIR = re.compile(
    r'([^\s="]+)(?:(=)("[^"\\]*(?:\\.[^"\\]*)*"|\'[^\'\\]*(?:\\.[^\'\\]*)*\'|[^\s"]*))?'
)
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
    raw = text[start:end]
    opener = text[opener_at]
    if opener == "<" or (opener == "(" and "=" not in raw and ":" not in raw):
        return raw, end
    try:
        return decode_value(raw, offset=offset + start), end
    except LineError:
        return raw, end  # balanced but not structured: keep it whole


def scan_pairs(text: str, *, brackets: bool, single_quotes: bool = True, offset: int = 0) -> Pairs:
    """Read ``text`` as whitespace-separated ``key=value`` pairs and bare keys.

    Never raises: a problem (an unterminated quote, an unbalanced bracket, a stray quote
    where a key should be) ends the scan, and ``error`` says where; ``fields`` keeps every
    pair read before it. ``offset`` is added to reported columns.
    """
    fields = Fields()
    pairs = bare = 0
    bracketed = False
    pos = _SPACE.match(text).end()  # type: ignore[union-attr]
    n = len(text)
    match = _PAIR.match
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
