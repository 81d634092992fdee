"""The front door of ``rxp parse``: a line or a stream in, records out.

``parse_line`` reads one line; ``parse_lines`` many, one record per line in order;
``parse_stream`` reads a binary stream and also understands ``journalctl -o export`` and
``-o json`` (a multi-line entry is one record, ``_line`` where it starts), and under
``journal`` joins a ``short*`` record's indented continuation lines into its message. None of them
raises for bad input: a line that cannot be read completely gives a record with ``_error``
(plain words and the column) and ``_raw`` next to every field recovered. Only a bad request
(an unknown format, an invalid pattern) raises ``RxpError`` / ``PatternError``. A
``pattern`` gets ``timeout`` seconds per line (0: none; see ``_fallback``): a line over it
is an error record too.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from typing import BinaryIO, Literal, TypeAlias, cast

from .._errors import RxpError
from .._syntax._ast import Flavor
from ._audit import parse_audit
from ._auto import parse_auto, structure
from ._cef import parse_cef
from ._json import parse_json
from ._klog import parse_klog
from ._logfmt import parse_kv, parse_logfmt
from ._nested import parse_nested
from ._records import LineError, Record, merge_fields
from ._syslog import parse_syslog

__all__ = ["FORMATS", "Format", "parse_line", "parse_lines", "parse_stream"]

Format: TypeAlias = Literal[
    "auto", "logfmt", "kv", "json", "syslog", "journal", "klog", "cef", "audit", "nested"
]
FORMATS: tuple[str, ...] = (
    "auto", "logfmt", "kv", "json", "syslog", "journal", "klog", "cef", "audit", "nested",
)  # fmt: skip

LineParser: TypeAlias = Callable[[str], tuple[Record, str]]


_MARKER = re.compile(r"-- .* --\Z")


def _journal_line(line: str) -> tuple[Record, str]:
    from ._journal import parse_journal_line

    fields = parse_journal_line(line)
    if fields is None and _MARKER.match(line):  # `-- Boot 3f2c... --`, `-- No entries --`
        return {"marker": line[3:-3]}, "journal"
    if fields is None:
        raise LineError("not a journald short, short-iso, short-precise or short-full line", 1)
    message = fields.get("message")
    if isinstance(message, str) and message:
        try:
            sub = structure(message, offset=len(line) - len(message))
        except LineError as exc:
            merge_fields(fields, exc.fields)
            exc.fields = fields
            raise
        if sub is not None:
            merge_fields(fields, sub[0])
            return fields, "journal+" + sub[1]
    return fields, "journal"


def _fixed(name: str, fn: Callable[[str], Record]) -> LineParser:
    def run(line: str) -> tuple[Record, str]:
        return fn(line), name

    return run


_PARSERS: dict[str, LineParser] = {
    "auto": parse_auto,
    "logfmt": _fixed("logfmt", parse_logfmt),
    "kv": _fixed("kv", parse_kv),
    "json": _fixed("json", parse_json),
    "syslog": _fixed("syslog", parse_syslog),
    "journal": _journal_line,
    "klog": _fixed("klog", parse_klog),
    "cef": _fixed("cef", parse_cef),
    "audit": _fixed("audit", parse_audit),
    "nested": _fixed("nested", parse_nested),
}


def line_parser(
    format: str = "auto", pattern: str | None = None, flavor: Flavor = "re", timeout: float = 1.0
) -> LineParser:
    """The per-line parser for a format name or a pattern (compiled once, in ``flavor``:
    Python's ``re`` or the ``regex`` package, with ``timeout`` seconds per line). Raises
    ``RxpError`` for an unknown format, ``PatternError`` for an invalid pattern."""
    if pattern is not None:
        return _pattern_parser(pattern, flavor, timeout)
    try:
        return _PARSERS[format]
    except KeyError:
        raise RxpError(f"unknown format {format!r} (choose from {', '.join(FORMATS)})") from None


@functools.lru_cache(maxsize=4)
def _pattern_parser(pattern: str, flavor: Flavor, timeout: float) -> LineParser:
    """One parser per pattern: compiling a long one costs seconds, and a run asks for it
    more than once (to fail early, then to read)."""
    from ._fallback import PatternParser

    return PatternParser(pattern, flavor=flavor, timeout=timeout)


def _decode(data: bytes) -> tuple[str, LineError | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        column = len(data[: exc.start].decode("utf-8", errors="replace")) + 1
        return text, LineError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", column)


def _record(number: int, fmt: str, fields: Record) -> Record:
    record: Record = {"_line": number, "_format": fmt}
    record.update(fields)
    return record


def _failed(number: int, fmt: str, error: LineError, raw: str) -> Record:
    record = _record(number, fmt, error.fields)
    record["_error"] = error.describe()
    record["_raw"] = raw
    return record


def _one(parser: LineParser, text: str, number: int, fmt: str) -> Record:
    try:
        fields, produced = parser(text)
    except LineError as exc:
        return _failed(number, exc.format or fmt, exc, text)
    except RecursionError:
        return _failed(number, fmt, LineError("nested too deeply to read", 1), text)
    except Exception as exc:  # a bug must cost one record's fields, never the line or the run
        error = LineError(f"internal error ({type(exc).__name__}: {exc}); please report it", 1)
        return _failed(number, fmt, error, text)
    return _record(number, produced, fields)


def _name(format: str, pattern: str | None) -> str:
    return "pattern" if pattern is not None else format


def parse_line(
    line: str | bytes,
    *,
    format: Format | str = "auto",
    pattern: str | None = None,
    flavor: Flavor = "re",
    line_number: int = 1,
    timeout: float = 1.0,
) -> Record:
    """One record from one line (a trailing newline is ignored). See the module docstring."""
    records = parse_lines(
        [line], format=format, pattern=pattern, flavor=flavor, start=line_number, timeout=timeout
    )
    return next(records)


def parse_lines(
    lines: Iterable[str | bytes],
    *,
    format: Format | str = "auto",
    pattern: str | None = None,
    flavor: Flavor = "re",
    start: int = 1,
    timeout: float = 1.0,
) -> Iterator[Record]:
    """One record per line, in order, ``_line`` counting from ``start``. Bytes that are not
    UTF-8 are read with U+FFFD in their place and the record carries ``_error``."""
    parser = line_parser(format, pattern, flavor, timeout)
    return _records(parser, _name(format, pattern), enumerate(lines, start))


def _records(
    parser: LineParser, fmt: str, numbered: Iterable[tuple[int, str | bytes]]
) -> Iterator[Record]:
    # a pattern's time budget keeps its alarm in place for the whole run (see _fallback)
    session = getattr(parser, "session", None)
    with session() if session is not None else nullcontext():
        yield from _numbered_records(parser, fmt, numbered)


def _numbered_records(
    parser: LineParser, fmt: str, numbered: Iterable[tuple[int, str | bytes]]
) -> Iterator[Record]:
    for number, item in numbered:
        bad: LineError | None = None
        if isinstance(item, bytes):
            data = item.rstrip(b"\n").removesuffix(b"\r")
            text, bad = _decode(data)
        else:
            text = item.rstrip("\n").removesuffix("\r")
        record = _one(parser, text, number, fmt)
        if bad is not None:
            record.setdefault("_error", bad.describe())
            record["_raw"] = data.decode("utf-8", "backslashreplace")
        yield record


_EXPORT_START = re.compile(rb"(?:__CURSOR|__REALTIME_TIMESTAMP|__SEQNUM|__SEQNUM_ID)=")
_EXPORT_FIELD = re.compile(rb"[A-Z_][A-Z0-9_]*(?:=|\n)")
# `journalctl -o json-pretty` / `-o json-seq`: an entry over several lines, or RS-prefixed
_JSON_PRETTY = re.compile(rb'\x1e?\{\s*\n\s*"__CURSOR"|\x1e\{"__CURSOR"')


def _journal_entries(stream: BinaryIO, export: bool) -> Iterator[Record]:
    from .._journal._codec import iter_export, iter_json
    from ._journal import entry_fields

    entries = iter_export(stream) if export else iter_json(stream)
    kind = "journal"
    for entry in entries:
        fields = entry_fields(entry)
        message = fields.get("MESSAGE")
        produced = kind
        if isinstance(message, str) and message:
            try:
                sub = structure(message)
            except LineError:
                sub = None  # the entry itself is fine; its message just is not structured
            if sub is not None:
                merge_fields(fields, sub[0])
                produced = f"{kind}+{sub[1]}"
        record = _record(entry.line, produced, fields)
        if entry.error is not None:
            record["_error"] = entry.error
            record["_raw"] = entry.raw.decode("utf-8", "backslashreplace")
        yield record


def parse_stream(
    stream: BinaryIO,
    *,
    format: Format | str = "auto",
    pattern: str | None = None,
    flavor: Flavor = "re",
    timeout: float = 1.0,
) -> Iterator[Record]:
    """Records from a binary stream. Under ``journal`` (and ``auto`` when the stream starts
    like ``journalctl -o export``, ``-o json-pretty`` or ``-o json-seq``), journald entries are
    decoded by ``rxp._journal._codec``, one record each; everything else is read line by line."""
    line_parser(format, pattern, flavor, timeout)  # fail early on a bad request
    head = stream.read(4096)
    rest = cast(BinaryIO, io.BufferedReader(_Prefixed(head, stream), 1 << 16))
    if pattern is None and format in ("journal", "auto"):
        body = head.lstrip(b"\n")
        if _EXPORT_START.match(body) or (format == "journal" and _EXPORT_FIELD.match(body)):
            yield from _journal_entries(rest, export=True)
            return
        if (format == "journal" and body[:1] in (b"{", b"\x1e")) or _JSON_PRETTY.match(body):
            yield from _journal_entries(rest, export=False)
            return
    if pattern is None and format == "journal":
        yield from _records(_journal_line, "journal", _join_continuations(rest))
        return
    yield from parse_lines(rest, format=format, pattern=pattern, flavor=flavor, timeout=timeout)


def _join_continuations(lines: Iterable[bytes]) -> Iterator[tuple[int, str | bytes]]:
    """``(first line number, text)`` per journald record: journalctl prints a multi-line
    message's further lines indented to the column where the message starts, so a line
    indented exactly that far that is not itself a record joins the one above (with a
    newline, the indentation removed). Anything else passes through alone."""
    from ._journal import parse_journal_line

    start = 0
    parts: list[str] = []
    indent = ""
    for number, raw in enumerate(lines, 1):
        data = raw.rstrip(b"\n").removesuffix(b"\r")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if (
            parts
            and text is not None
            and indent
            and text.startswith(indent)
            and parse_journal_line(text) is None
        ):
            parts.append(text[len(indent) :])
            continue
        if parts:
            yield start, "\n".join(parts)
            parts = []
        fields = parse_journal_line(text) if text is not None else None
        message = fields.get("message") if fields is not None else None
        if text is None or not isinstance(message, str):
            yield number, raw
            continue
        start, parts, indent = number, [text], " " * (len(text) - len(message))
    if parts:
        yield start, "\n".join(parts)


class _Prefixed(io.RawIOBase):
    """``head`` followed by the rest of ``stream``: lets us peek at the start of a pipe."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
