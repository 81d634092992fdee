"""``key_value`` (alias ``kv``) and ``logfmt``: Vector's ``parse_key_value`` and ``parse_logfmt``.

``read_key_value`` follows VRL's nom parser step by step, options included
(``key_value_delimiter``, ``field_delimiter``, ``whitespace``, ``accept_standalone_key``):
a key or value is ``'...'`` or ``"..."`` when the quote closes right before a delimiter
(or the end), else the text up to the next delimiter, trimmed; quoted text has ``\\n``,
``\\\\`` and ``\\"`` decoded and every other backslash kept; a standalone key is ``true``;
a repeated key collects its values into an array, a repeated standalone key adds nothing.
Text left over that is not whitespace is an error, as is a line with no key at all.
``logfmt`` is ``key_value`` with its defaults. A line with no quote, tab or spaced ``=``
(the common case) is read with ``str.split``, which gives the same pairs.

``scan_pairs`` is rxp's own older reader, kept for ``auto`` (and ``klog``, ``audit``) and for
``key_value --option brackets=true``: Logstash's kv filter style, where bracketed values are
kept whole (``k=[a, b]``, ``k={...}``, ``k=(...)``, ``k=<...>``, tagged ``User{id=2}``) and
the structured ones decoded (``{...}``/``[...]`` as JSON or else through the nested grammar,
``(...)`` when it holds ``key=value`` pairs), single quotes allowed, and an unterminated quote
an error. Its reference is ``grammars/logfmt.lark``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lark

from .._errors import RxpError
from ._grammars import parse_with
from ._nested import decode_value
from ._options import Option, Options
from ._records import RESERVED, Fields, JSONValue, LineError, Record, safe_key
from ._scan import balanced_end, unquote
from ._spec import FormatSpec, LineParser

__all__ = [
    "SPECS",
    "Pairs",
    "parse_kv",
    "parse_kv_grammar",
    "parse_logfmt",
    "read_key_value",
    "scan_pairs",
]

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


def parse_kv(line: str) -> Record:
    """rxp's Logstash-style ``key_value`` (``brackets=true``): bracketed values kept whole and
    decoded, single quotes, an unterminated quote an error; raises ``LineError``."""
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


# --- VRL's parse_key_value ----------------------------------------------------------------

# Rust's `char::is_whitespace` (Unicode White_Space): what `str::trim` removes. Python's
# `str.strip()` would also remove U+001C..U+001F, which Rust keeps.
_RUST_WS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_VRL_ESCAPE = re.compile(r'\\([n\\"])')


def _vrl_unescape(text: str) -> str:
    """VRL's ``escape_str``: ``\\n``, ``\\\\``, ``\\"`` decoded, any other backslash kept."""
    if "\\" not in text:
        return text
    return _VRL_ESCAPE.sub(lambda m: "\n" if m[1] == "n" else m[1], text)


class _KeyValueReader:
    """One set of options, compiled: ``read(text)`` gives ``(pairs, end, error)``, the
    ``(key, value)`` pairs in input order (``True`` for a standalone key)."""

    def __init__(self, kv_delim: str, field_delim: str, strict: bool, standalone: bool) -> None:
        self.kv = kv_delim
        self.fd = field_delim
        self.strict = strict
        self.standalone = standalone
        # the end of a quoted text: the closing quote or a backslash escaping the next char
        self._stop = {q: re.compile(r"[\\" + q + "]") for q in "'\""}

    def _delimiter(self, text: str, pos: int, delim: str) -> int:
        """``parse_field_delimiter``: the end of ``delim`` at ``pos`` (``" "``: one or more
        spaces; anything else: spaces, then ``delim``), or -1."""
        n = len(text)
        if delim == " ":
            end = pos
            while end < n and text[end] == " ":
                end += 1
            return end if end > pos else -1
        while pos < n and text[pos] == " ":
            pos += 1
        return pos + len(delim) if text.startswith(delim, pos) else -1

    @staticmethod
    def _space0(text: str, pos: int) -> int:
        n = len(text)
        while pos < n and text[pos] in " \t":
            pos += 1
        return pos

    def _quoted(self, text: str, pos: int, quote: str, term: str) -> tuple[str, int] | None:
        """``parse_delimited``: ``quote``...``quote`` (backslash escapes any character), then
        ``term`` or the end must follow; the decoded text and where it ends."""
        if not text.startswith(quote, pos):
            return None
        n = len(text)
        stop = self._stop[quote].search
        i = pos + 1
        while True:
            m = stop(text, i)
            if m is None:
                return None
            i = m.start()
            if text[i] == quote:
                break
            if i + 1 >= n:
                return None  # a backslash at the very end
            i += 2
        end = i + 1
        after = self._space0(text, end)
        if after != n and self._delimiter(text, end, term) < 0:
            return None
        return _vrl_unescape(text[pos + 1 : i]), end

    @staticmethod
    def _bare(text: str, pos: int, delim: str) -> tuple[str, int]:
        """``parse_undelimited``: the text up to ``delim`` (or the end), trimmed."""
        end = text.find(delim, pos)
        if end < 0:
            end = len(text)
        return text[pos:end].strip(_RUST_WS), end

    def _key(self, text: str, pos: int) -> tuple[str, int] | None:
        kv, fd = self.kv, self.fd
        found: tuple[str, int] | None = None
        terms = (kv, fd) if self.standalone else (kv,)
        for quote in "'\"":
            for term in terms:
                found = self._quoted(text, pos, quote, term)
                if found is not None:
                    return found if found[0] else None
        key, end = self._bare(text, pos, kv)
        if not self.standalone:
            return (key, end) if key else None
        if key and fd not in key:
            return key, end
        key, end = self._bare(text, pos, fd)
        return (key, end) if key else None

    def _value(self, text: str, pos: int) -> tuple[str, int]:
        for quote in "'\"":
            found = self._quoted(text, pos, quote, self.fd)
            if found is not None:
                return found
        return self._bare(text, pos, self.fd)

    def _pair(self, text: str, pos: int) -> tuple[str, JSONValue, int] | None:
        found = self._key(text, self._space0(text, pos))
        if found is None:
            return None
        key, pos = found
        kv = self.kv
        if self.strict:
            paired = text.startswith(kv, pos)
            if paired:
                pos += len(kv)
        else:
            at = self._space0(text, pos)
            paired = text.startswith(kv, at)
            if paired:
                pos = self._space0(text, at + len(kv))
        if not paired and not self.standalone:
            return None
        value, pos = self._value(text, pos)
        return key, (value if paired else True), pos

    def read(self, text: str) -> tuple[list[tuple[str, JSONValue]], int, bool]:
        """The pairs, where reading stopped, and whether the rest is more than whitespace."""
        pairs: list[tuple[str, JSONValue]] = []
        first = self._pair(text, 0)
        if first is None:
            return pairs, 0, True
        pairs.append(first[:2])
        pos = first[2]
        while True:
            after = self._delimiter(text, pos, self.fd)
            if after < 0:
                break
            found = self._pair(text, after)
            if found is None:
                break
            pairs.append(found[:2])
            pos = found[2]
        return pairs, pos, bool(text[pos:].strip(_RUST_WS))


def _collect(pairs: list[tuple[str, JSONValue]]) -> Record:
    """VRL's grouping: a repeated key's values become an array; a standalone key (``true``)
    adds nothing to a key that has a value, and gives way to the first value that comes."""
    fields: Record = dict(pairs)
    if len(fields) == len(pairs) and not any(key in RESERVED for key in fields):
        return fields  # the common case: every key once
    fields = {}
    for key, value in pairs:
        if key in RESERVED:
            key = safe_key(key)
        if key not in fields:
            fields[key] = value
            continue
        if value is True:
            continue
        old = fields[key]
        if old is True:
            fields[key] = value
        elif isinstance(old, list):
            old.append(value)
        else:
            fields[key] = [old, value]
    return fields


# A line the default options read as `str.split` would: no quote, no whitespace but spaces,
# no space next to a `=`. With double quotes, `_QUOTED_LINE` says whether every quote opens a
# value right after `=` and closes before a space or the end: then each pair is one match.
_NOT_SIMPLE = re.compile(r"[\"']|[^\S ]| =|= ")
_NOT_QUOTED = re.compile(r"'|[^\S ]| =|= ")
_PAIR = r'[^ ="]+(?:=(?:"(?:[^"\\]|\\.)*+"(?= |\Z)|[^ "]*+))?'
_QUOTED_LINE = re.compile(rf" *(?:{_PAIR}(?: +{_PAIR})*)? *", re.S)
_QUOTED_PAIR = re.compile(r'([^ ="]+)(?:(=)(?:"((?:[^"\\]|\\.)*+)"|([^ "]*+)))?', re.S)


def _simple_logfmt(line: str) -> Record | None:
    if _NOT_SIMPLE.search(line) is not None:
        return _quoted_logfmt(line)
    pairs: list[tuple[str, JSONValue]] = []
    for token in line.split(" "):
        if not token:
            continue
        key, eq, value = token.partition("=")
        if not key:  # `=x`: no key before the `=`, so the whole token is a standalone key
            pairs.append((token, True))
        elif eq:
            pairs.append((key, value))
        else:
            pairs.append((key, True))
    return _collect(pairs) if pairs else None


def _quoted_logfmt(line: str) -> Record | None:
    if _NOT_QUOTED.search(line) is not None or _QUOTED_LINE.fullmatch(line) is None:
        return None
    pairs: list[tuple[str, JSONValue]] = [
        (key, (_vrl_unescape(quoted) if quoted else bare) if eq else True)
        for key, eq, quoted, bare in _QUOTED_PAIR.findall(line)
    ]
    return _collect(pairs) if pairs else None


_DEFAULT = _KeyValueReader("=", " ", strict=False, standalone=True)


def read_key_value(
    text: str,
    key_value_delimiter: str = "=",
    field_delimiter: str = " ",
    whitespace: str = "lenient",
    accept_standalone_key: bool = True,
) -> Record:
    """VRL's ``parse_key_value`` of ``text``; raises ``LineError`` (with the pairs read)."""
    reader = _KeyValueReader(
        key_value_delimiter, field_delimiter, whitespace == "strict", accept_standalone_key
    )
    return _read(reader, text)


def _read(reader: _KeyValueReader, text: str) -> Record:
    pairs, end, rest = reader.read(text)
    if not pairs:
        raise LineError("expected a key", end + 1)
    if rest:
        raise LineError("could not parse the whole line", end + 1, _collect(pairs))
    return _collect(pairs)


def parse_logfmt(line: str) -> Record:
    """Vector's ``parse_logfmt`` (``key_value`` with its defaults); raises ``LineError``."""
    simple = _simple_logfmt(line)
    return simple if simple is not None else _read(_DEFAULT, line)


def _build_key_value(options: Options) -> LineParser:
    kv = str(options["key_value_delimiter"])
    fd = str(options["field_delimiter"])
    standalone = bool(options["accept_standalone_key"])
    if not kv or not fd:
        raise RxpError(
            "format key_value: key_value_delimiter and field_delimiter must not be empty"
        )
    if options["brackets"]:
        if (kv, fd) != ("=", " "):
            raise RxpError(
                "format key_value: brackets=true reads only the default delimiters "
                "(key_value_delimiter='=', field_delimiter=' ')"
            )

        def brackets(line: str) -> tuple[Record, str]:
            result = scan_pairs(line, brackets=True)
            error = result.error
            if error is None and not standalone and result.bare:
                error = LineError("a key without a value (accept_standalone_key=false)", 1)
            if error is not None:
                error.fields = result.fields
                raise error
            return result.fields, "key_value"

        return brackets
    if (kv, fd, options["whitespace"], standalone) == ("=", " ", "lenient", True):
        return lambda line: (parse_logfmt(line), "key_value")
    reader = _KeyValueReader(kv, fd, options["whitespace"] == "strict", standalone)
    return lambda text: (_read(reader, text), "key_value")


def _logfmt_parser(options: Options) -> LineParser:
    return lambda line: (parse_logfmt(line), "logfmt")


_KEY_VALUE_OPTIONS = (
    Option("key_value_delimiter", "str", "=", help="the text between a key and its value"),
    Option(
        "field_delimiter",
        "str",
        " ",
        help="the text between pairs (with a newline in it, the whole input is one record)",
    ),
    Option(
        "whitespace",
        "choice",
        "lenient",
        choices=("lenient", "strict"),
        help="lenient: spaces around key_value_delimiter are ignored; strict: they are text",
    ),
    Option(
        "accept_standalone_key",
        "bool",
        True,
        help="a key without a delimiter is true (else an error)",
    ),
    Option(
        "brackets",
        "bool",
        False,
        help="rxp's own: Logstash-style bracketed values kept whole and decoded, single quotes",
    ),
)

SPECS: tuple[FormatSpec, ...] = (
    FormatSpec("logfmt", _logfmt_parser, summary="key=value pairs (Vector parse_logfmt)"),
    FormatSpec(
        "key_value",
        _build_key_value,
        _KEY_VALUE_OPTIONS,
        aliases=("kv",),
        document=lambda options: "\n" in str(options["field_delimiter"]),
        summary="key=value pairs with VRL's options (Vector parse_key_value)",
    ),
)
