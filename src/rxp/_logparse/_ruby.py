"""``ruby_hash``: Vector's ``parse_ruby_hash``, a Ruby hash's ``inspect`` text as an object.

Read as VRL's nom parser (``src/parsing/ruby_hash.rs``) reads it, quirks included, so the record
is the object VRL returns:

- the text starts with ``{`` (no space before it); only whitespace may follow the closing ``}``;
- keys: ``"..."``, ``'...'``, a bare word of ASCII letters, digits and ``_``, or a symbol
  (``:word``, ``:"..."``, ``:'...'``), each followed by ``=>`` or ``:``, spaces allowed around;
- values: ``nil`` (``null``), hashes, arrays, symbols (their name, as a string), strings,
  numbers (always floats, as VRL's ``Value::Float``: ``42`` is ``42.0``), ``true``/``false``;
- strings keep their backslashes as written (VRL does not decode them); a backslash escapes
  ``\\\\`` and the quote anywhere, any other character only right after plain text.

Anything else (a trailing comma, an unclosed string, text after the hash) is an error at the
column where the parser stopped. The parser is a hand-written recursive descent over the same
rules (nom's ``cut`` makes every failure after an opening bracket final, so no backtracking is
needed); nesting deeper than ``MAX_DEPTH`` is an error rather than a ``RecursionError``.
"""

from __future__ import annotations

import math
import re

from ._records import JSONValue, LineError, Record, safe_key
from ._spec import FormatSpec, plain

__all__ = ["MAX_DEPTH", "SPECS", "parse_ruby_hash"]

MAX_DEPTH = 200
# Rust's char::is_whitespace, what `str::trim` removes after the hash
_RUST_WS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SP = re.compile(r"[ \t\r\n]*")
_SYMBOL = re.compile(r"[A-Za-z0-9_]+")
# nom's recognize_float; `cut` after the exponent's `e` makes `1e` an error, not `1`
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?([0-9]*))?")
_SPECIAL = re.compile(r"nan|infinity|inf", re.I)


class _Reader:
    __slots__ = ("n", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)

    def fail(self, what: str, pos: int) -> LineError:
        found = repr(self.text[pos]) if pos < self.n else "the end"
        return LineError(f"expected {what} but found {found}", pos + 1)

    def space(self, pos: int) -> int:
        return _SP.match(self.text, pos).end()  # type: ignore[union-attr]

    def inner(self, pos: int, quote: str) -> int:
        """``parse_inner_str``: where the text of a string opened before ``pos`` ends (at its
        closing quote, or ``pos`` when nom's ``escaped`` gives up and ``opt`` yields "")."""
        text, n, i = self.text, self.n, pos
        while i < n:
            j, runs = i, 0
            while True:  # many1((plain text, opt(backslash + a char that is not \ or quote)))
                k = j
                while k < n and text[k] != "\\" and text[k] != quote:
                    k += 1
                if k == j:
                    break
                runs += 1
                j = k
                if j + 1 < n and text[j] == "\\" and text[j + 1] not in ("\\", quote):
                    j += 2
            if runs:
                i = j
                continue
            if text[i] != "\\":
                return i
            if i + 1 >= n or text[i + 1] not in ("\\", quote):
                return pos  # escaped fails: opt gives the empty string
            i += 2
        return n

    def string(self, pos: int) -> tuple[str, int] | None:
        """``parse_str``: a quoted string from ``pos``, raw; ``None`` when no quote opens."""
        quote = self.text[pos : pos + 1]
        if quote not in ("'", '"'):
            return None
        end = self.inner(pos + 1, quote)
        if not self.text.startswith(quote, end):
            raise self.fail("the string's closing " + quote, end)
        return self.text[pos + 1 : end], end + 1

    def symbol(self, pos: int) -> tuple[str, int] | None:
        m = _SYMBOL.match(self.text, pos)
        return (m[0], m.end()) if m is not None else None

    def colon_key(self, pos: int) -> tuple[str, int] | None:
        if not self.text.startswith(":", pos):
            return None
        return self.string(pos + 1) or self.symbol(pos + 1)

    def key(self, pos: int) -> tuple[str, int] | None:
        return self.string(pos) or self.symbol(pos) or self.colon_key(pos)

    def number(self, pos: int) -> tuple[float, int] | None:
        m = _FLOAT.match(self.text, pos)
        if m is not None:
            if m[1] == "":
                raise self.fail("the exponent's digits", m.end())
            number = float(m[0])
            if math.isinf(number):
                raise LineError(f"{m[0]} is too large for a number", pos + 1)
            return number, m.end()
        m = _SPECIAL.match(self.text, pos)
        if m is not None:  # VRL's NotNan panics on nan; JSON has no infinity either
            raise LineError(f"{m[0]} is not a number JSON can hold", pos + 1)
        return None

    def value(self, pos: int, depth: int) -> tuple[JSONValue, int] | None:
        pos = self.space(pos)
        text = self.text
        if text.startswith("nil", pos):
            return None, pos + 3
        if text.startswith("{", pos):
            return self.hash(pos, depth + 1)
        if text.startswith("[", pos):
            return self.array(pos, depth + 1)
        found: tuple[JSONValue, int] | None = self.colon_key(pos) or self.string(pos)
        if found is None:
            found = self.number(pos)
        if found is None:
            if text.startswith("true", pos):
                return True, pos + 4
            if text.startswith("false", pos):
                return False, pos + 5
        return found

    def _starts_value(self, pos: int) -> bool:
        """Whether a value starts at ``pos`` (after spaces), as parse_value's alternatives
        would see it, without reading it."""
        pos = self.space(pos)
        text = self.text
        if pos >= self.n:
            return False
        if text[pos] in "{['\"" or text.startswith(("nil", "true", "false"), pos):
            return True
        if text[pos] == ":":
            return self.colon_key(pos) is not None
        return _FLOAT.match(text, pos) is not None or _SPECIAL.match(text, pos) is not None

    def _deeper(self, pos: int, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise LineError(f"nested deeper than {MAX_DEPTH} levels", pos + 1)

    def hash(self, pos: int, depth: int) -> tuple[Record, int]:
        self._deeper(pos, depth)
        fields: Record = {}
        pos += 1
        while True:
            found = self.key(self.space(pos))
            if found is None:
                break
            key, after = found
            after = self.space(after)
            if self.text.startswith("=>", after):
                after += 2
            elif self.text.startswith(":", after):
                after += 1
            else:
                raise self.fail("'=>' or ':'", after)
            item = self.value(after, depth)
            if item is None:
                raise self.fail("a value", self.space(after))
            fields[key] = item[0]
            pos = self.space(item[1])
            if not self.text.startswith(",", pos):
                break
            if self.key(self.space(pos + 1)) is None:
                break  # separated_list0 gives back the comma: `}` is expected there
            pos += 1
        pos = self.space(pos)
        if not self.text.startswith("}", pos):
            raise self.fail("'}'", pos)
        return fields, pos + 1

    def array(self, pos: int, depth: int) -> tuple[list[JSONValue], int]:
        self._deeper(pos, depth)
        items: list[JSONValue] = []
        pos += 1
        while True:
            item = self.value(pos, depth)
            if item is None:
                break
            items.append(item[0])
            pos = self.space(item[1])
            if not self.text.startswith(",", pos) or self._starts_value(pos + 1) is False:
                break
            pos += 1
        pos = self.space(pos)
        if not self.text.startswith("]", pos):
            raise self.fail("']'", pos)
        return items, pos + 1


def parse_ruby_hash(text: str) -> Record:
    """VRL's ``parse_ruby_hash`` of ``text``; raises ``LineError`` with the column."""
    reader = _Reader(text)
    if not text.startswith("{"):
        raise reader.fail("'{'", 0)
    fields, end = reader.hash(0, 1)
    record = {safe_key(key): value for key, value in fields.items()}
    rest = text[end:]
    if rest.strip(_RUST_WS):
        column = end + len(rest) - len(rest.lstrip(_RUST_WS)) + 1
        raise LineError("text after the hash", column, record)
    return record


SPECS: tuple[FormatSpec, ...] = (
    plain("ruby_hash", parse_ruby_hash, "a Ruby hash's inspect text (Vector parse_ruby_hash)"),
)
