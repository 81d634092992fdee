"""``influxdb`` (Vector ``parse_influxdb``): InfluxDB line protocol, one line per record.

VRL returns an array of metrics, one per field of the line, each
``{"name": "<measurement>_<field>", "tags": {...}, "timestamp": ..., "kind": "absolute",
"gauge": {"value": <float>}}`` (``tags`` only when the line has some, ``timestamp`` only when
it has one). A record is an object, so rxp keeps that array under ``metrics``: one record
per line. A blank line or a ``#`` comment gives ``{"metrics": []}``, as VRL gives ``[]``.

The grammar is the ``influxdb_line_protocol`` crate's (the one VRL uses), followed rule by
rule: backslash escapes in names (an unknown escape is kept as written), integers ``64i``,
unsigned ``10u``, floats (``1``, ``-1.5``, ``1e3``), booleans (``t``, ``TRUE``...), quoted
strings; one space between the parts. Every number becomes a float, a boolean 1.0 or 0.0;
a string field makes the line an error, as in VRL (Vector's metrics hold no strings).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

from ._records import JSONValue, LineError, Record
from ._spec import FormatSpec, LineParser

__all__ = ["SPECS", "parse_influxdb"]

_LIMIT = 65536  # the crate's limit on a string, in bytes
_INT = re.compile(r"-?[0-9]+i")
_UINT = re.compile(r"[0-9]+u")
_FLOAT = re.compile(
    r"-?[0-9]+\.[0-9]+[eE][+-]?[0-9]+|-?[0-9]+[eE][+-]?[0-9]+|-?[0-9]+\.[0-9]+|-?[0-9]+"
)
_TIMESTAMP = re.compile(r"-?[0-9]+")
_SPACES = re.compile(r" +")
_BOOLS = (
    ("true", True), ("True", True), ("TRUE", True), ("t", True), ("T", True),
    ("false", False), ("False", False), ("FALSE", False), ("f", False), ("F", False),
)  # fmt: skip
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_I64 = 1 << 63


class _Miss(Exception):
    """nom's recoverable ``Error``: this alternative does not apply here."""


def _fail(message: str, at: int) -> LineError:
    return LineError(f"invalid InfluxDB line protocol: {message}", at + 1)


def _context(text: str) -> str:
    return text if len(text) <= 10 else text[:10] + "..."


def _name(line: str, i: int, run: re.Pattern[str], escapes: str) -> tuple[str, int]:
    """A measurement, tag key or value, or field key from ``i``: a ``run`` of plain
    characters, ``\\x`` for ``x`` in ``escapes``, any other backslash kept with the character
    after it. Raises ``_Miss`` when there is none."""
    start, n = i, len(line)
    m = run.match(line, i)
    if m is not None:
        i = m.end()
        if i >= n or line[i] != "\\":  # the common case: no escape at all
            return m.group(), i
    parts: list[str] = [m.group()] if m is not None else []
    while i < n and line[i] == "\\":
        if i + 1 < n and line[i + 1] in escapes:
            parts.append(line[i + 1])
        else:
            parts.append(line[i : i + 2])  # the crate keeps an unknown escape as written
        i = min(i + 2, n)
        m = run.match(line, i)
        if m is not None:
            parts.append(m.group())
            i = m.end()
    if i == start:
        raise _Miss
    value = "".join(parts)
    if value.endswith("\\"):
        raise _fail(
            "measurements, tag keys and values, and field keys may not end with a backslash",
            start,
        )
    if len(value.encode("utf-8", "surrogatepass")) > _LIMIT:
        raise _fail("string is greater than 64KB", start)
    return value, i


_MEASUREMENT = re.compile(r"[^ \t\n\x00,\\]+")
_KEY = re.compile(r"[^ \t\n=\\]+")
_TAG_VALUE = re.compile(r"[^ \t\n,\\]+")
_KEY_ESCAPES = "\\,= "


def _tags(line: str, i: int) -> tuple[dict[str, str], int]:
    tags: dict[str, str] = {}
    start = i
    while True:
        try:
            key, i = _name(line, i, _KEY, _KEY_ESCAPES)
        except _Miss:
            got = line[i:]
            raise _fail(f"expected tag key, got {_shown(got)}", i) from None
        if line[i : i + 1] != "=":
            context = _context(line[start:])  # the crate shows the whole tag set
            raise _fail(f"tag set malformed: could not find equals sign in `{context}`", i)
        i += 1
        try:
            value, i = _name(line, i, _TAG_VALUE, _KEY_ESCAPES)
        except _Miss:
            raise _fail(f"expected tag value, got {_shown(line[i:])}", i) from None
        tags[key] = value
        if line[i : i + 1] != ",":
            return tags, i
        i += 1


def _shown(text: str) -> str:
    return f"`{_context(text)}`" if text else "end of input"


def _string(line: str, i: int) -> tuple[None, int]:
    """A quoted string field (its value is not needed: VRL refuses it)."""
    if line[i : i + 1] != '"':
        raise _Miss
    j = i + 1
    size = 0
    n = len(line)
    while j < n:
        c = line[j]
        if c == '"':
            if size > _LIMIT:
                raise _fail("string is greater than 64KB", i)
            return None, j + 1
        if c == "\\" and line[j + 1 : j + 2] in ('"', "\\"):
            j += 2
            size += 1
            continue
        j += 1
        size += len(c.encode("utf-8", "surrogatepass"))
    raise _Miss


def _value(line: str, i: int) -> tuple[float | None, int]:
    """A field value as VRL keeps it (a float; ``None`` for a string), and where it ends."""
    m = _INT.match(line, i)
    if m:
        number = int(m.group()[:-1])
        if not -_I64 <= number < _I64:
            raise _fail(f"unable to parse integer value `{m.group()[:-1]}`", i)
        return float(number), m.end()
    m = _UINT.match(line, i)
    if m:
        number = int(m.group()[:-1])
        if number >= 1 << 64:
            raise _fail(f"unable to parse unsigned integer value `{m.group()[:-1]}`", i)
        return float(number), m.end()
    m = _FLOAT.match(line, i)
    if m:
        return float(m.group()), m.end()
    try:
        return _string(line, i)
    except _Miss:
        pass
    for word, flag in _BOOLS:
        if line.startswith(word, i):
            return (1.0 if flag else 0.0), i + len(word)
    raise _Miss


def _field(line: str, i: int) -> tuple[tuple[str, float | None], int]:
    key, i = _name(line, i, _KEY, _KEY_ESCAPES)
    if line[i : i + 1] != "=":
        raise _Miss
    value, i = _value(line, i + 1)
    return (key, value), i


def _fields(line: str, i: int) -> tuple[list[tuple[str, float | None]], int]:
    try:
        first, i = _field(line, i)
    except _Miss:
        raise _fail("no fields were provided", i) from None
    fields = [first]
    if line[i : i + 1] == ",":
        i += 1  # the crate's list1 keeps the first comma even when no field follows it
        try:
            item, i = _field(line, i)
        except _Miss:
            return fields, i  # what is left is trailing content
        fields.append(item)
    while line[i : i + 1] == ",":
        try:
            item, after = _field(line, i + 1)
        except _Miss:
            break  # here the comma is left, as trailing content
        fields.append(item)
        i = after
    return fields, i


def _timestamp(nanos: int) -> str:
    """chrono's RFC 3339 (``AutoSi``) of nanoseconds since the epoch, in UTC."""
    seconds, frac = divmod(nanos, 1_000_000_000)
    moment = _EPOCH + timedelta(seconds=seconds)
    text = f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S")
    if frac:
        if frac % 1_000_000 == 0:
            text += f".{frac // 1_000_000:03d}"
        elif frac % 1000 == 0:
            text += f".{frac // 1000:06d}"
        else:
            text += f".{frac:09d}"
    return text + "Z"


def _skip_leading(line: str) -> int:
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in " \t\n":
            i += 1
        if line.startswith("#", i):
            end = line.find("\n", i)
            i = n if end < 0 else end
            continue
        return i


def parse_influxdb(line: str) -> Record:
    """One line of line protocol as ``{"metrics": [...]}`` (see the module docstring).
    Raises ``LineError`` as VRL errors."""
    i = _skip_leading(line)
    if i >= len(line):
        return {"metrics": []}
    try:
        measurement, i = _name(line, i, _MEASUREMENT, ", \\")
    except _Miss:
        raise _fail("invalid measurement was provided", i) from None
    tags: dict[str, str] | None = None
    if line[i : i + 1] == ",":
        tags, i = _tags(line, i + 1)
    m = _SPACES.match(line, i)
    if m is None:
        raise _fail(f"expected at least one space character, got {_shown(line[i:])}", i)
    fields, i = _fields(line, m.end())
    stamp: int | None = None
    m = _SPACES.match(line, i)
    if m is not None:
        t = _TIMESTAMP.match(line, m.end())
        if t is not None:
            stamp = int(t.group())
            if not -_I64 <= stamp < _I64:
                raise _fail(f"unable to parse timestamp value `{t.group()}`", t.start())
            i = t.end()
            m = _SPACES.match(line, i)
            if m is not None:
                i = m.end()
    if i != len(line):
        rest = line[i:]
        raise _fail(f"could not parse entire line, found trailing content: `{_context(rest)}`", i)
    return {"metrics": _metrics(measurement, tags, fields, stamp)}


def _metrics(
    measurement: str,
    tags: dict[str, str] | None,
    fields: list[tuple[str, float | None]],
    stamp: int | None,
) -> list[JSONValue]:
    when = _timestamp(stamp) if stamp is not None else None
    metrics: list[JSONValue] = []
    for key, value in fields:
        if value is None:
            raise LineError(
                "cannot convert InfluxDB line protocol to a metric: field set values of type "
                "string are not supported",
                1,
            )
        metric: dict[str, JSONValue] = {"name": f"{measurement}_{key}"}
        if tags is not None:
            metric["tags"] = dict(tags)
        if when is not None:
            metric["timestamp"] = when
        metric["kind"] = "absolute"
        # JSON has no infinity (a float beyond f64's range): kept as its text
        metric["gauge"] = {"value": value if math.isfinite(value) else str(value)}
        metrics.append(metric)
    return metrics


class _Parser:
    __slots__ = ("lossy_utf8",)

    def __init__(self) -> None:
        self.lossy_utf8 = True  # VRL reads the bytes lossily

    def __call__(self, line: str) -> tuple[Record, str]:
        return parse_influxdb(line), "influxdb"


def _build(options: object) -> LineParser:
    return _Parser()


SPECS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "influxdb",
        _build,
        summary="InfluxDB line protocol, metrics under `metrics` (Vector parse_influxdb)",
    ),
)
