"""The front door of ``rxp parse``: a line or a stream in, records out.

``parse_line`` reads one line; ``parse_lines`` many, one record per line in order;
``parse_stream`` reads a binary stream and also understands ``journalctl -o export`` and
``-o json`` (a multi-line entry is one record, ``_line`` where it starts), and under
``journal`` joins a ``short*`` record's indented continuation lines into its message. None of them
raises for bad input: a line that cannot be read completely gives a record with ``_error``
(plain words and the column) and ``_raw`` next to every field recovered. Only a bad request
(an unknown format, an invalid pattern) raises ``RxpError`` / ``PatternError``. A
``pattern`` gets ``timeout`` seconds per line (0: none; see ``_fallback``): a line over it
is an error record too. ``patterns`` (``(name, regex)`` pairs, in place of ``format`` or
``pattern``) are tried in order, each as ``pattern`` would be, and the first that reads a
line gives its record, ``_format`` its name (see ``_patterns``).
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from typing import BinaryIO, TypeAlias, cast

from .._errors import RxpError
from .._syntax._ast import Flavor
from ._auto import parse_journal_text, with_message
from ._formats import FORMAT_NAMES, build_parser, canonical
from ._options import Options
from ._records import LineError, Record
from ._spec import LineParser

__all__ = ["FORMATS", "Format", "NamedPatterns", "parse_line", "parse_lines", "parse_stream"]

Format: TypeAlias = str
FORMATS: tuple[str, ...] = FORMAT_NAMES
NamedPatterns: TypeAlias = Sequence[tuple[str, str]]
"""``(name, regex)`` pairs, tried in order: ``--patterns FILE``'s lines."""


def line_parser(
    format: str = "auto",
    pattern: str | None = None,
    flavor: Flavor = "re",
    timeout: float = 1.0,
    options: Options | None = None,
    patterns: NamedPatterns | None = None,
) -> LineParser:
    """The per-line parser for a format name (with its options), a pattern or named
    patterns (compiled once, in ``flavor``: Python's ``re`` or the ``regex`` package, with
    ``timeout`` seconds per line). Raises ``RxpError`` for an unknown format or option, or
    patterns given with a format, a pattern or options; ``PatternError`` for an invalid
    pattern (``_patterns.PatternSetError``, saying which, for one of ``patterns``)."""
    return _parser(format, pattern, flavor, timeout, options, patterns)[0]


def _parser(
    format: str,
    pattern: str | None,
    flavor: Flavor,
    timeout: float,
    options: Options | None,
    patterns: NamedPatterns | None = None,
) -> tuple[LineParser, bool]:
    if patterns is not None:
        if pattern is not None:
            raise RxpError("give a pattern or patterns, not both")
        if format != "auto":
            raise RxpError("give a format or patterns, not both")
        if options:
            raise RxpError("options go with a format, not with patterns")
        return _patterns_parser(tuple((n, r) for n, r in patterns), flavor, timeout), False
    if pattern is not None:
        return _pattern_parser(pattern, flavor, timeout), False
    return _format_parser(format, json.dumps(dict(options or {}), sort_keys=True), timeout)


@functools.lru_cache(maxsize=8)
def _format_parser(format: str, options: str, timeout: float) -> tuple[LineParser, bool]:
    return build_parser(format, json.loads(options), timeout)


@functools.lru_cache(maxsize=4)
def _pattern_parser(pattern: str, flavor: Flavor, timeout: float) -> LineParser:
    """One parser per pattern: compiling a long one costs seconds, and a run asks for it
    more than once (to fail early, then to read)."""
    from ._fallback import PatternParser

    return PatternParser(pattern, flavor=flavor, timeout=timeout)


@functools.lru_cache(maxsize=2)
def _patterns_parser(
    patterns: tuple[tuple[str, str], ...], flavor: Flavor, timeout: float
) -> LineParser:
    """One parser per list of patterns (hundreds cost a second to compile)."""
    from ._patterns import PatternSet

    return PatternSet(patterns, flavor=flavor, timeout=timeout)


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


def _name(format: str, pattern: str | None, patterns: NamedPatterns | None = None) -> str:
    if patterns is not None:
        return "patterns"
    return "pattern" if pattern is not None else canonical(format)


def parse_line(
    line: str | bytes,
    *,
    format: Format = "auto",
    pattern: str | None = None,
    flavor: Flavor = "re",
    line_number: int = 1,
    timeout: float = 1.0,
    options: Options | None = None,
    patterns: NamedPatterns | None = None,
) -> Record:
    """One record from one line (a trailing newline is ignored; for a document format
    such as ``xml``, the whole text). See the module docstring."""
    records = parse_lines(
        [line],
        format=format,
        pattern=pattern,
        flavor=flavor,
        start=line_number,
        timeout=timeout,
        options=options,
        patterns=patterns,
    )
    return next(records)


def parse_lines(
    lines: Iterable[str | bytes],
    *,
    format: Format = "auto",
    pattern: str | None = None,
    flavor: Flavor = "re",
    start: int = 1,
    timeout: float = 1.0,
    options: Options | None = None,
    patterns: NamedPatterns | None = None,
) -> Iterator[Record]:
    """One record per line, in order, ``_line`` counting from ``start`` (a document format
    such as ``xml``: one record for all of them). Bytes that are not UTF-8 are read with
    U+FFFD in their place and the record carries ``_error``. ``options`` are the format's
    named options (VRL's parameters), checked: an unknown one raises ``RxpError``.
    ``patterns``: ``(name, regex)`` pairs in place of a format or pattern; the first that
    reads a line gives its record, ``_format`` its name (``_patterns``)."""
    parser, document = _parser(format, pattern, flavor, timeout, options, patterns)
    numbered: Iterable[tuple[int, str | bytes]] = enumerate(lines, start)
    if document:
        numbered = [(start, _joined(lines))]
    return _records(parser, _name(format, pattern, patterns), numbered)


def _joined(lines: Iterable[str | bytes]) -> str | bytes:
    """A document's lines as one text (bytes when any line is bytes), its last newline off."""
    items = list(lines)
    if any(isinstance(item, bytes) for item in items):
        data = b"".join(i if isinstance(i, bytes) else i.encode() for i in items)
        return data.removesuffix(b"\n").removesuffix(b"\r")
    text = "".join(cast(list[str], items))
    return text.removesuffix("\n").removesuffix("\r")


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
    # VRL's lossy readers (parse_json's default, parse_xml, parse_influxdb) take bytes that
    # are not UTF-8 as U+FFFD without an error: such a parser says so with `lossy_utf8`
    lossy = getattr(parser, "lossy_utf8", False)
    for number, item in numbered:
        bad: LineError | None = None
        if isinstance(item, bytes):
            data = item.removesuffix(b"\n").removesuffix(b"\r")
            text, bad = _decode(data)
        else:
            text = item.removesuffix("\n").removesuffix("\r")
        record = _one(parser, text, number, fmt)
        if bad is not None and not (lossy and "_error" not in record):
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
    for entry in entries:
        # the entry itself is fine when its message breaks: kept as text
        fields, produced = with_message(entry_fields(entry), "journal", key="MESSAGE", strict=False)
        record = _record(entry.line, produced, fields)
        if entry.error is not None:
            record["_error"] = entry.error
            record["_raw"] = entry.raw.decode("utf-8", "backslashreplace")
        yield record


def parse_stream(
    stream: BinaryIO,
    *,
    format: Format = "auto",
    pattern: str | None = None,
    flavor: Flavor = "re",
    timeout: float = 1.0,
    options: Options | None = None,
    patterns: NamedPatterns | None = None,
) -> Iterator[Record]:
    """Records from a binary stream. Under ``journal`` (and ``auto`` when the stream starts
    like ``journalctl -o export``, ``-o json-pretty`` or ``-o json-seq``), journald entries are
    decoded by ``rxp._journal._codec``, one record each; a document format (``xml``,
    ``yaml``, ``key_value`` with ``field_delimiter="\\n"``) reads the whole stream as one
    record; everything else is read line by line."""
    _, document = _parser(format, pattern, flavor, timeout, options, patterns)  # fail early
    if document:
        yield from parse_lines([stream.read()], format=format, options=options)
        return
    head = stream.read(4096)
    rest = cast(BinaryIO, io.BufferedReader(_Prefixed(head, stream), 1 << 16))
    if pattern is None and patterns is None and format in ("journal", "auto"):
        body = head.lstrip(b"\n")
        if _EXPORT_START.match(body) or (format == "journal" and _EXPORT_FIELD.match(body)):
            yield from _journal_entries(rest, export=True)
            return
        if (format == "journal" and body[:1] in (b"{", b"\x1e")) or _JSON_PRETTY.match(body):
            yield from _journal_entries(rest, export=False)
            return
    if pattern is None and format == "journal":
        yield from _records(parse_journal_text, "journal", _join_continuations(rest))
        return
    yield from parse_lines(
        rest,
        format=format,
        pattern=pattern,
        flavor=flavor,
        timeout=timeout,
        options=options,
        patterns=patterns,
    )


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
