"""``cef``: ArcSight Common Event Format, as Vector's ``parse_cef`` reads it.

``<anything>CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class
ID|Name|Severity|Extension``. Everything before the first ``CEF:`` is ignored. The seven
header fields (``cefVersion`` ... ``severity``) are trimmed, with ``\\|`` and ``\\\\``
unescaped (another escape is an error). The extension is ``key=value`` pairs: a key follows
one or more spaces or pipes and holds no space, ``=`` or backslash; a value runs up to the next
such `` key=`` (so it keeps its inner spaces), with ``\\=`` -> ``=``, ``\\\\`` -> ``\\``,
``\\n`` and ``\\r`` -> a newline, and any other backslash kept. The last value loses its
trailing spaces; any value (and header field) written in double quotes loses them. A header
name wins over an extension key of the same name; a repeated key keeps its last value.
Every value is a string.

Options, VRL's: ``strict`` (default true): an unescaped ``=`` in a value, or anything left
that no pair reads, is an error; with false, ``=`` is part of the value and the leftover is
dropped. ``translate_custom_fields`` (default false): ``cs1Label=Rule cs1=x`` becomes
``Rule: x`` for the CEF custom fields (``cs1``..``cs6``, ``cn1``..``cn3``, ``cfp1``..,
``c6a1``.., ``deviceCustomDate1``.., ``flexString1``..).

rxp's reader before Vector parity kept the text before ``CEF:`` as ``prefix``;
``keep_prefix=true`` brings that back.

One pass with two compiled regexes; ``grammars/cef.lark`` is the reference grammar of the
header that the tests hold this reader to.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TypeAlias

import lark

from ._grammars import parse_with
from ._klog import WHITESPACE
from ._options import Option, Options
from ._records import LineError, Record, safe_key
from ._spec import FormatSpec, LineParser

__all__ = ["HEADER", "SPECS", "parse_cef", "parse_cef_grammar"]

HEADER = (
    "cefVersion",
    "deviceVendor",
    "deviceProduct",
    "deviceVersion",
    "deviceEventClassId",
    "name",
    "severity",
)
_HEADER_SET = frozenset(HEADER)

_HVALUE = re.compile(r"(?:[^\\|]|\\[\\|])*")
_HEADER_ESC = re.compile(r"\\([\\|])")
# seven fields, the first not empty (VRL would take a `|` there as a separator) and the last
# followed by the `|` that opens the extension
_F = r"([^\\|]*(?:\\[\\|][^\\|]*)*)"
_HEADER7 = re.compile(r"(?=[^|])" + r"\|".join([_F] * 7) + r"(?=\|)")
# VRL's parse_key: one or more spaces or pipes (taken greedily, never given back), then a key
_KEY = r"[ |]++([^ =\\]+)="
# a value: escapes, else any character that does not start ` key=` (nor `=`, when strict)
_ESC = r"\\[=\\nr]|\\(?!\Z)"
# (runs of plain characters in one step; the look-ahead only at a space or a pipe)
_SEP = r"(?![ |]++[^ =\\]+=)[ |]"
_PAIR_STRICT = re.compile(rf"{_KEY}((?:[^\\= |]+|{_ESC}|{_SEP})*)", re.S)
_PAIR_LOOSE = re.compile(rf"{_KEY}((?:[^\\ |]+|{_ESC}|{_SEP})*)", re.S)
# for _pairs_linear: the characters that end a key, the runs before one, a value's text
_STOP = re.compile(r"[ =\\]")
_RUN = re.compile(r"[ |]+")
_VALUE_STRICT = re.compile(r"(?:[^\\=]+|\\[=\\nr]|\\(?!\Z))*", re.S)
_VALUE_LOOSE = re.compile(r"(?:[^\\]+|\\[=\\nr]|\\(?!\Z))*", re.S)
_EXT_ESC = re.compile(r"\\([=\\nr]?)")
_EXT_MAP = {"=": "=", "\\": "\\", "n": "\n", "r": "\n", "": "\\"}

# VRL's build_map: each custom field's label key and value key
_CUSTOM = [
    *(f"c6a{i}" for i in range(1, 5)),
    *(f"cfp{i}" for i in range(1, 5)),
    *(f"cn{i}" for i in range(1, 4)),
    *(f"cs{i}" for i in range(1, 7)),
    "deviceCustomDate1",
    "deviceCustomDate2",
    "flexDate1",
    "flexString1",
    "flexString2",
]
_CUSTOM_KEYS: dict[str, tuple[int, int]] = {}
for _i, _name in enumerate(_CUSTOM):
    _CUSTOM_KEYS[_name + "Label"] = (_i, 0)
    _CUSTOM_KEYS[_name] = (_i, 1)


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1]
    return value


def _header(line: str, pos: int) -> tuple[list[str], int]:
    """The seven header values from ``pos`` (just after ``CEF:``) and where they end: each
    after at most one ``|``, empty when another ``|`` (or the end) follows at once."""
    m = _HEADER7.match(line, pos)
    if m is not None:  # the common case in one match
        return [_field(raw) for raw in m.groups()], m.end()
    values: list[str] = []
    n = len(line)
    for _ in range(7):
        if pos < n and line[pos] == "|":
            pos += 1
        m = _HVALUE.match(line, pos)
        end = m.end()  # type: ignore[union-attr]
        if end < n and line[end] == "\\":
            what = "a backslash at the end" if end + 1 == n else f"the escape \\{line[end + 1]}"
            raise LineError(f"not a CEF record: {what} in the header", end + 1)
        values.append(_field(line[pos:end]))
        pos = end
    return values, pos


def _field(raw: str) -> str:
    value = _HEADER_ESC.sub(r"\1", raw) if "\\" in raw else raw
    if value and (value[0] in WHITESPACE or value[-1] in WHITESPACE):
        value = value.strip(WHITESPACE)
    return _unquoted(value) if value[:1] == '"' else value


_Pair: TypeAlias = tuple[str, str, int]
#: Lines longer than this read their extension with ``_pairs_linear``
LONG = 1024


def _pairs_regex(line: str, pos: int, strict: bool) -> tuple[list[_Pair], int]:
    """VRL's ``many1(parse_key_value)`` from ``pos``, one regex match a pair: the pairs
    (key, raw value, column of the key) and where they stop. The value's look-ahead for the
    next `` key=`` makes a long run of spaces or ``a|a|...`` quadratic, hence ``LONG``."""
    pair = _PAIR_STRICT if strict else _PAIR_LOOSE
    n = len(line)
    pairs: list[_Pair] = []
    while True:
        m = pair.match(line, pos)
        if m is None:
            break
        end = m.end()
        if end < n and line[end] == "\\":  # a backslash at the very end: VRL drops this pair
            break
        pairs.append((m.group(1), m.group(2), m.start(1) + 1))
        pos = end
        if end < n and line[end] == "=":  # strict: an unescaped `=` ends the pairs
            break
    return pairs, pos


def _pairs_linear(line: str, pos: int, strict: bool) -> tuple[list[_Pair], int]:
    """The same as ``_pairs_regex`` in linear time: first every run of spaces and pipes that
    a `` key=`` follows (a key runs to the first space, ``=`` or backslash, so one sorted list
    of those answers each run by bisection), then each value up to the next such run."""
    n = len(line)
    stops = [m.start() for m in _STOP.finditer(line, pos)]
    starts: list[int] = []  # where a key's run of spaces and pipes starts
    keys: list[tuple[int, int]] = []  # the key's span
    for m in _RUN.finditer(line, pos):
        q = m.end()
        i = bisect_left(stops, q)
        if i < len(stops) and stops[i] > q and line[stops[i]] == "=":
            starts.append(m.start())
            keys.append((q, stops[i]))
    value = _VALUE_STRICT if strict else _VALUE_LOOSE
    pairs: list[_Pair] = []
    i = bisect_left(starts, pos)
    while i < len(starts) and starts[i] == pos:
        k0, k1 = keys[i]
        v = k1 + 1
        j = bisect_left(starts, v)  # (a key may hold a `|` that starts another run)
        nxt = starts[j] if j < len(starts) else n
        end = value.match(line, v, nxt).end()  # type: ignore[union-attr]
        if end < nxt and line[end] == "\\":
            if end + 1 >= n:  # a backslash at the very end: VRL drops this pair
                break
            end += 1  # a backslash before the next key's run stays in the value
        pairs.append((line[k0:k1], line[v:end], k0 + 1))
        pos = end
        if end < n and line[end] == "=":  # strict: an unescaped `=` ends the pairs
            break
        i = j
    return pairs, pos


def _extension(line: str, pos: int, strict: bool) -> list[_Pair]:
    """The extension's pairs (key, value, column of the key) from ``pos`` (a ``|``)."""
    read = _pairs_linear if len(line) > LONG else _pairs_regex
    pairs, pos = read(line, pos, strict)
    if not pairs:
        pos += 1  # VRL's `tag("|")`: the extension is empty
    rest = line[pos:]
    if strict and rest.strip(WHITESPACE):
        raise LineError(
            f"not a CEF record: {rest[:1]!r} is not part of a key=value pair "
            "(could not parse the whole line)",
            pos + 1,
        )
    if pairs:
        key, value, column = pairs[-1]
        pairs[-1] = (key, value.rstrip(" "), column)
    return pairs


def _value(raw: str) -> str:
    text = _EXT_ESC.sub(lambda e: _EXT_MAP[e[1]], raw) if "\\" in raw else raw
    return _unquoted(text)


def _translated(fields: Record, custom: list[tuple[str, str, int]]) -> None:
    """VRL's ``translate_custom_fields``: each label becomes the key of its value."""
    slots: dict[int, list[tuple[str, int] | None]] = {}
    for key, value, column in custom:
        index, which = _CUSTOM_KEYS[key]
        slot = slots.setdefault(index, [None, None])
        if slot[which] is not None:
            kind = "value" if which else "label"
            raise LineError(f"custom field with duplicate {kind}", column, fields)
        slot[which] = (value, column)
    for label, given in slots.values():
        if label is None:
            assert given is not None
            raise LineError("custom field with missing label or value", given[1], fields)
        fields[safe_key(label[0])] = given[0] if given is not None else None


def parse_cef(
    line: str,
    *,
    strict: bool = True,
    translate_custom_fields: bool = False,
    keep_prefix: bool = False,
) -> Record:
    """A CEF record as VRL's ``parse_cef`` reads it; raises ``LineError`` with the column."""
    start = line.find("CEF:")
    if start < 0:
        raise LineError("not a CEF record: no 'CEF:' marker", 1)
    header, pos = _header(line, start + 4)
    if pos >= len(line):
        raise LineError("not a CEF record: the line ends too early", len(line) + 1)
    pairs = _extension(line, pos, strict)
    fields: Record = {}
    if keep_prefix and line[:start].strip():
        fields["prefix"] = line[:start].strip()
    fields.update(zip(HEADER, header, strict=True))
    custom: list[tuple[str, str, int]] = []
    for key, raw, column in pairs:
        value = _value(raw)
        if translate_custom_fields and key in _CUSTOM_KEYS:
            custom.append((key, value, column))
        elif key not in _HEADER_SET:  # the header's own fields are written last in VRL
            fields[safe_key(key)] = value
    if translate_custom_fields:
        _translated(fields, custom)
    return fields


def parse_cef_grammar(line: str) -> Record:
    """The same record as ``parse_cef`` (default options), its header read with the Lark
    grammar: the reference the hand-written reader is tested against."""
    start = line.find("CEF:")
    tree = parse_with("cef", line[start:] if start >= 0 else line, "not a CEF record")
    header: list[str] = []
    extension = "|"  # the header's closing pipe, where VRL's extension starts
    for node in tree.children:
        if isinstance(node, lark.Tree) and node.data == "field":
            raw = str(node.children[0]) if node.children else ""
            header.append(_unquoted(_HEADER_ESC.sub(r"\1", raw).strip(WHITESPACE)))
        elif isinstance(node, lark.Tree):
            extension += str(node.children[0])
    fields: Record = dict(zip(HEADER, header, strict=True))
    for key, raw, _ in _extension(extension, 0, True):
        if key not in _HEADER_SET:
            fields[safe_key(key)] = _value(raw)
    return fields


def _build(options: Options) -> LineParser:
    strict = bool(options["strict"])
    translate = bool(options["translate_custom_fields"])
    keep = bool(options["keep_prefix"])

    def run(line: str) -> tuple[Record, str]:
        return parse_cef(
            line, strict=strict, translate_custom_fields=translate, keep_prefix=keep
        ), "cef"

    return run


SPECS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "cef",
        _build,
        (
            Option("strict", "bool", True, help="an unescaped `=` or unread text is an error"),
            Option("translate_custom_fields", "bool", False, help="`csNLabel=L csN=v` -> `L: v`"),
            Option("keep_prefix", "bool", False, help="keep the text before `CEF:` as `prefix`"),
        ),
        summary="ArcSight Common Event Format (Vector parse_cef)",
    ),
)
