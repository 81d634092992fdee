"""``json`` (Vector ``parse_json``): the whole line is one JSON value.

As VRL does, the line must be exactly one JSON value (whitespace and a leading BOM aside),
read as ``serde_json`` reads it: no ``NaN``/``Infinity``, a number out of ``f64``'s range is an
error, an integer beyond ``i64`` becomes a float, nesting deeper than 127 levels is an error.
An object's members become the record's fields; any other value (an array, a string, a
number, ``true``, ``null``) is kept under ``json``, since a record is an object.

Options, spelled as VRL's: ``max_depth`` (1-128) keeps values nested deeper than that as
their JSON text, exactly as written; ``lossy`` (default true) reads bytes that are not UTF-8
as U+FFFD without an error, ``lossy=false`` makes them an error record. ``embedded=true``
is rxp's older reading (still what ``--format auto`` does): the first JSON object or array
anywhere on the line, the text before it kept as ``prefix`` and after it as ``suffix``.
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Callable

from .._errors import RxpError
from ._options import Option, Options
from ._records import JSONValue, LineError, Record, safe_key
from ._spec import FormatSpec, LineParser

__all__ = ["SPECS", "find_json", "load_json", "may_hold_json", "parse_json"]

_OPEN = re.compile(r"[\[{]")
_DECODER = json.JSONDecoder()
_MAX_TRIES = 8
_WS = re.compile(r"[ \t\n\r]*")
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', re.DOTALL)
# the C string scanner behind json.loads (not in typeshed): (text, end) of a string's body
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_DEPTH_LIMIT = 128  # serde_json's recursion limit: the 128th level of nesting is an error
_I64 = (-(1 << 63), (1 << 63) - 1)


class _Rejected(ValueError):
    """A token ``serde_json`` refuses although Python's ``json`` would read it."""


def _constant(name: str) -> JSONValue:
    raise _Rejected(f"{name} is not JSON")


def _int(text: str) -> JSONValue:
    # serde_json: i64 when it fits, u64 above it (VRL turns that into a float), else f64
    if len(text) <= 20:
        value = int(text)
        if _I64[0] <= value <= _I64[1]:
            return value
    return _float(text)


def _float(text: str) -> JSONValue:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Rejected("number out of range")
    return value


_STRICT = json.JSONDecoder(parse_constant=_constant, parse_int=_int, parse_float=_float)


def _too_deep(text: str) -> int | None:
    """The offset where ``text`` opens its 128th level of nesting, if it does."""
    if text.count("[") + text.count("{") < _DEPTH_LIMIT:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):
        c = text[m.start()]
        if c == '"':
            continue
        if c in "[{":
            depth += 1
            if depth >= _DEPTH_LIMIT:
                return m.start()
        else:
            depth -= 1
    return None


def _error(exc: ValueError) -> LineError:
    if isinstance(exc, json.JSONDecodeError):
        return LineError(f"invalid JSON: {exc.msg.lower()}", exc.pos + 1)
    return LineError(f"invalid JSON: {exc}", 1)


def _decode(text: str, i: int) -> tuple[JSONValue, int]:
    value: JSONValue
    value, end = _STRICT.raw_decode(text, i)
    return value, end


def _end(text: str, end: int) -> None:
    end = _skip(text, end)
    if end != len(text):
        raise LineError("invalid JSON: trailing characters", end + 1)


def load_json(text: str, max_depth: int | None = None) -> JSONValue:
    """``text`` as one JSON value, as VRL's ``parse_json`` reads it (see the module
    docstring); raises ``LineError`` with the column of the break."""
    deep = _too_deep(text)
    if deep is not None:
        raise LineError("invalid JSON: recursion limit exceeded", deep + 1)
    if max_depth is None:
        text = text.removeprefix("\ufeff")  # VRL strips a BOM only on this path
        try:
            value, end = _decode(text, _skip(text, 0))
        except ValueError as exc:
            raise _error(exc) from None
    else:
        try:
            value, end = _layer(text, _skip(text, 0), max_depth)
        except ValueError as exc:
            raise _error(exc) from None
    _end(text, end)
    return value


def _layer(text: str, i: int, depth: int) -> tuple[JSONValue, int]:
    """The value at ``i`` with ``depth`` levels still to read: below them an object or an
    array is kept as its text (serde_json's ``RawValue``). Returns the value and its end."""
    c = text[i : i + 1]
    if c not in ("{", "["):
        return _decode(text, i)
    if depth == 0:
        _, end = _decode(text, i)  # checked whole, kept as written
        return text[i:end], end
    close = "}" if c == "{" else "]"
    obj: dict[str, JSONValue] = {}
    arr: list[JSONValue] = []
    i = _skip(text, i + 1)
    if text[i : i + 1] == close:
        return (obj if c == "{" else arr), i + 1
    while True:
        if c == "{":
            if text[i : i + 1] != '"':
                raise json.JSONDecodeError(
                    "Expecting property name enclosed in double quotes", text, i
                )
            key, i = _scanstring(text, i + 1, True)
            i = _skip(text, i)
            if text[i : i + 1] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
            value, i = _layer(text, _skip(text, i + 1), depth - 1)
            obj[key] = value
        else:
            value, i = _layer(text, i, depth - 1)
            arr.append(value)
        i = _skip(text, i)
        if text[i : i + 1] == close:
            return (obj if c == "{" else arr), i + 1
        if text[i : i + 1] != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
        i = _skip(text, i + 1)


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def as_record(value: JSONValue, key: str) -> Record:
    """A decoded value as a record: an object's members as fields, anything else under
    ``key`` (a record is an object)."""
    if isinstance(value, dict):
        return {safe_key(k): v for k, v in value.items()}
    return {key: value}


class _Whole:
    """The parser of ``--format json``: the line is one JSON value. ``lossy_utf8`` tells
    the reader that bytes which are not UTF-8 are not an error for this format."""

    __slots__ = ("lossy_utf8", "max_depth")

    def __init__(self, max_depth: int | None, lossy: bool) -> None:
        self.max_depth = max_depth
        self.lossy_utf8 = lossy

    def __call__(self, line: str) -> tuple[Record, str]:
        return as_record(load_json(line, self.max_depth), "json"), "json"


# --- embedded: rxp's older reading, and --format auto's --------------------------------


def find_json(line: str, start: int = 0) -> tuple[JSONValue, int, int] | None:
    """The first JSON object or array in ``line`` at or after ``start``: ``(value, begin,
    end)``; ``None`` when there is no opening bracket at all. Raises ``LineError`` at the
    first candidate's failure when no candidate decodes."""
    first: int | None = None  # where the first candidate that did not decode begins
    for tries, m in enumerate(_OPEN.finditer(line, start), 1):
        begin = m.start()
        if _PLAUSIBLE.match(line, begin):  # `[INFO]`, `{id=1}` cannot start JSON: no decode
            try:
                value, end = _DECODER.raw_decode(line, begin)
            except ValueError:  # JSONDecodeError, or an integer too long to convert
                pass
            except RecursionError:
                first = begin if first is None else first
                break
            else:
                return value, begin, end
        first = begin if first is None else first
        if tries >= _MAX_TRIES:
            break
    if first is None:
        return None
    try:  # the first candidate again, for its error (only lines that hold no JSON get here)
        _DECODER.raw_decode(line, first)
    except ValueError as exc:
        raise _decode_error(exc, first) from None
    except RecursionError:
        raise LineError("JSON nested too deeply", first + 1) from None
    raise AssertionError("a candidate decoded the second time")  # pragma: no cover


def may_hold_json(text: str) -> bool:
    """Whether any bracket in ``text`` could open a JSON object or array (``find_json``
    decodes only those)."""
    return _PLAUSIBLE.search(text) is not None


def _decode_error(exc: ValueError, begin: int) -> LineError:
    if isinstance(exc, json.JSONDecodeError):
        return _error(exc)
    return LineError(f"invalid JSON: {exc}".split(";")[0], begin + 1)


# what JSON needs right after its opening bracket; anything else cannot decode
_PLAUSIBLE = re.compile(r'\{[ \t\n\r]*["}]|\[[ \t\n\r]*["{\[\]\-0-9tfn]')


def _wrap(value: JSONValue, prefix: str, suffix: str) -> Record:
    fields = as_record(value, "json")
    for name, text in (("prefix", prefix), ("suffix", suffix)):
        if text:
            fields["json_" + name if name in fields else name] = text
    return fields


def parse_json(line: str) -> Record:
    """The first JSON object or array on ``line`` with ``prefix``/``suffix`` (the
    ``embedded`` reading); raises ``LineError`` (keeping the prefix as a field) when there
    is none or it is malformed."""
    try:
        found = find_json(line)
    except LineError as exc:
        m = _OPEN.search(line)
        head = line[: m.start() if m else 0].strip()
        exc.fields = {"prefix": head} if head else {}
        raise
    if found is None:
        raise LineError("no JSON object or array on the line", 1)
    value, begin, end = found
    return _wrap(value, line[:begin].strip(), line[end:].strip())


def _embedded(line: str) -> tuple[Record, str]:
    return parse_json(line), "json"


def _build(options: Options) -> LineParser:
    depth = options["max_depth"]
    if depth is not None and not (isinstance(depth, int) and 1 <= depth <= _DEPTH_LIMIT):
        raise RxpError(f"format json: option max_depth must be from 1 to 128, not {depth}")
    if options["embedded"]:
        if depth is not None:
            raise RxpError("format json: option max_depth does not go with embedded=true")
        return _embedded
    return _Whole(depth, bool(options["lossy"]))


SPECS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "json",
        _build,
        options=(
            Option(
                "max_depth", "int", None, help="levels to decode (1-128); deeper ones stay text"
            ),
            Option("lossy", "bool", True, help="bytes that are not UTF-8 read as U+FFFD, no error"),
            Option(
                "embedded",
                "bool",
                False,
                help="rxp: the first object or array anywhere on the line, with prefix/suffix",
            ),
        ),
        summary="one JSON value per line (Vector parse_json)",
    ),
)
