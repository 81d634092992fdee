"""journald entries: decode ``journalctl -o export`` and ``-o json`` streams, encode them back.

Pure functions over bytes; the only I/O is reading from a binary stream the caller opened.
Rendering to the ``short*`` text forms, and parsing those forms, live in ``_text``
and are re-exported here.

Contracts:

- An entry's ``fields`` keep the input order; a name may repeat (journald allows it).
- ``line`` is the 1-based line of the input where the entry starts, counting every newline
  byte before it, those inside binary-safe values included.
- ``raw`` is the entry's exact input bytes: for export, its fields each with their newline
  (not the blank separator line); for JSON, the object's line(s) with their newline.
- Malformed input is never dropped silently: the decoder yields an entry whose ``error``
  says what is wrong and where (``line N: ...``), whose ``raw`` holds the bytes it covers
  (up to the next blank line, where export decoding resynchronises), and whose ``fields``
  hold what could be read. With ``strict=True`` it raises ``RxpError`` instead.
- ``-o json`` prints ``null`` for a value it did not include (over 4096 bytes without
  ``--all``); such names are listed in ``omitted``, never turned into empty values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .._errors import RxpError
from ._text import (
    format_short,
    format_short_iso,
    is_printable,
    parse_short_line,
)

__all__ = [
    "JournalEntry",
    "format_export",
    "format_json",
    "format_short",
    "format_short_iso",
    "iter_export",
    "iter_json",
    "parse_short_line",
]

_BLOCK = 1 << 20
_MAX_BINARY = 768 << 20  # systemd-journal-remote's DATA_SIZE_MAX: beyond it, garbage
_MAX_LINE = 64 << 20  # a longer text line is not export data: stop reading, report it
_RESYNC = 1 << 20  # a broken entry with no blank line in sight is cut in pieces of this size
_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]{0,254}\Z")


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One journal entry: its fields in input order, and where it came from."""

    fields: tuple[tuple[str, bytes], ...]
    line: int = 1
    raw: bytes = b""
    error: str | None = None
    omitted: tuple[str, ...] = ()

    def get(self, name: str) -> bytes | None:
        """The first value of ``name``, or None."""
        for key, value in self.fields:
            if key == name:
                return value
        return None

    def get_all(self, name: str) -> list[bytes]:
        """Every value of ``name``, in order."""
        return [value for key, value in self.fields if key == name]

    def last(self, name: str) -> bytes | None:
        """The last value of ``name`` (what journalctl's short forms display), or None."""
        found = None
        for key, value in self.fields:
            if key == name:
                found = value
        return found


# --- export ------------------------------------------------------------------------------


class _Buffer:
    """Bytes read so far from the stream; ``drop`` forgets what lies before an offset."""

    __slots__ = ("block", "data", "eof", "stream")

    def __init__(self, stream: BinaryIO, block: int) -> None:
        self.stream = stream
        self.block = block
        self.data = b""
        self.eof = False

    def more(self, want: int = 0) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(max(want, self.block))
        if not chunk:
            self.eof = True
            return False
        self.data += chunk
        return True

    def ensure(self, end: int) -> bool:
        """Make ``data[:end]`` available; False when the stream ends first."""
        while len(self.data) < end:
            if not self.more(min(end - len(self.data), 64 << 20)):
                return False
        return True

    def drop(self, upto: int) -> None:
        self.data = self.data[upto:]


class _Names:
    """Field names seen so far, validated once each (there are a few dozen in a journal)."""

    __slots__ = ("known",)

    def __init__(self) -> None:
        self.known: dict[bytes, str] = {}

    def __call__(self, name: bytes) -> str | None:
        found = self.known.get(name)
        if found is None and _NAME.match(name):
            found = self.known[name] = name.decode("ascii")
        return found


def iter_export(
    stream: BinaryIO, *, strict: bool = False, block_size: int = _BLOCK
) -> Iterator[JournalEntry]:
    """Decode the Journal Export Format (https://systemd.io/JOURNAL_EXPORT_FORMATS/).

    Streams in blocks of ``block_size`` (1 MiB): memory holds about two blocks plus the
    current entry. Text fields
    are ``NAME=value\\n``; binary-safe fields ``NAME\\n`` + 64-bit little-endian length +
    bytes + ``\\n``; a blank line ends an entry (the last one may end at end of input).
    Blank lines between entries are skipped.
    """
    buf = _Buffer(stream, max(1, block_size))
    names = _Names()
    line = 1
    pos = 0
    while True:
        data = buf.data
        while pos < len(data) and data[pos] == 0x0A:
            pos += 1
            line += 1
        if pos >= len(data):
            buf.drop(pos)
            pos = 0
            if not buf.more():
                return
            continue
        if pos > buf.block:
            buf.drop(pos)
            pos = 0
        end = buf.data.find(b"\n\n", pos)
        while end < 0 and not buf.eof and len(buf.data) - pos < _MAX_LINE:
            scan = max(pos, len(buf.data) - 1)
            buf.more()
            end = buf.data.find(b"\n\n", scan)
        entry = None
        if end >= 0 or buf.eof:  # else no blank line in sight: read field by field
            entry, after = _fast_entry(buf.data, pos, end, line, names)
        if entry is None:
            entry, after = _slow_entry(buf, pos, line, names)
        pos = after
        if strict and entry.error is not None:
            raise RxpError(f"journal export: {entry.error}")
        line += entry.raw.count(b"\n")
        yield entry


def _fast_entry(
    data: bytes, start: int, end: int, line: int, names: _Names
) -> tuple[JournalEntry | None, int]:
    """An entry made only of text fields, or None to let ``_slow_entry`` read it."""
    stop = len(data) if end < 0 else end + 1
    raw = data[start:stop]
    lines = raw.split(b"\n")
    if lines[-1]:  # the input ended without a newline
        return None, start
    del lines[-1]
    fields = []
    for item in lines:
        key, eq, value = item.partition(b"=")
        name = names(key) if eq else None
        if name is None:
            return None, start
        fields.append((name, value))
    return JournalEntry(tuple(fields), line, raw), stop


def _slow_entry(buf: _Buffer, start: int, line: int, names: _Names) -> tuple[JournalEntry, int]:
    """Read one entry field by field, binary-safe fields included."""
    fields: list[tuple[str, bytes]] = []
    pos = start
    at_line = line
    while True:
        nl = buf.data.find(b"\n", pos)
        while nl < 0 and len(buf.data) - pos < _MAX_LINE:
            scan = len(buf.data)
            if not buf.more():
                break
            nl = buf.data.find(b"\n", scan)
        if nl < 0:
            if not buf.eof:
                error = f"line {at_line}: line longer than {_MAX_LINE >> 20} MiB"
                return _broken(buf, start, pos, line, fields, error)
            if pos == len(buf.data):
                return JournalEntry(tuple(fields), line, buf.data[start:pos]), pos
            error = f"line {at_line}: field without newline at end of input"
            return _broken(buf, start, pos, line, fields, error)
        if nl == pos:  # the blank line that ends the entry
            return JournalEntry(tuple(fields), line, buf.data[start:pos]), pos
        text = buf.data[pos:nl]
        key, eq, value = text.partition(b"=")
        name = names(key)
        if name is None:
            what = "field name" if eq else "line (neither NAME=value nor a binary field name)"
            shown = key if eq else text
            error = f"line {at_line}: invalid {what} {shown[:60]!r}"
            return _broken(buf, start, pos, line, fields, error)
        if eq:
            fields.append((name, value))
            pos = nl + 1
            at_line += 1
            continue
        head = nl + 1
        if not buf.ensure(head + 8):
            error = f"line {at_line}: binary field {name} truncated before its length"
            return _broken(buf, start, len(buf.data), line, fields, error)
        size = int.from_bytes(buf.data[head : head + 8], "little")
        body = head + 8
        if size > _MAX_BINARY:
            error = f"line {at_line}: binary field {name} has an implausible length ({size})"
            return _broken(buf, start, pos, line, fields, error)
        if not buf.ensure(body + size + 1):  # the input ends inside the value
            error = f"line {at_line}: binary field {name} truncated ({size} bytes announced)"
            return _broken(buf, start, len(buf.data), line, fields, error)
        if buf.data[body + size] != 0x0A:
            error = f"line {at_line}: binary field {name} not followed by a newline"
            return _broken(buf, start, pos, line, fields, error)
        value = buf.data[body : body + size]
        fields.append((name, value))
        at_line += buf.data.count(b"\n", pos, body + size + 1)
        pos = body + size + 1


def _broken(
    buf: _Buffer, start: int, pos: int, line: int, fields: list[tuple[str, bytes]], error: str
) -> tuple[JournalEntry, int]:
    """Resynchronise at the next blank line; everything up to it becomes the broken entry.
    With no blank line within ``_RESYNC`` bytes, the entry ends at the last newline before
    that (memory stays bounded; the rest is reported as further broken entries)."""
    end = buf.data.find(b"\n\n", pos, pos + _RESYNC)
    while end < 0 and len(buf.data) < pos + _RESYNC + 2 and buf.more():
        end = buf.data.find(b"\n\n", max(pos, len(buf.data) - 1), pos + _RESYNC)
    if end >= 0:
        stop = end + 1
    elif buf.eof and len(buf.data) <= pos + _RESYNC:
        stop = len(buf.data)
    else:
        cut = buf.data.rfind(b"\n", pos, pos + _RESYNC)
        stop = cut + 1 if cut >= 0 else pos + _RESYNC
    raw = buf.data[start:stop]
    return JournalEntry(tuple(fields), line, raw, error), stop


# --- json --------------------------------------------------------------------------------


def iter_json(stream: BinaryIO, *, strict: bool = False) -> Iterator[JournalEntry]:
    """Decode ``journalctl -o json`` (one object per line), ``-o json-seq`` (RS-prefixed)
    and ``-o json-pretty`` (an object over several lines, from ``{`` to ``}`` at column 0).

    Values: a string (UTF-8), an array of byte numbers (binary), an array of those for a
    repeated field, or null (omitted by journalctl). Blank lines are skipped.
    """
    line = 0
    pending: list[bytes] = []
    start = 0
    for text in stream:
        line += 1
        if pending:
            pending.append(text)
            if text.rstrip(b"\r\n") == b"}":
                raw = b"".join(pending)
                pending = []
                yield _check(_json_entry(raw, start), strict)
            continue
        body = text.strip()
        if not body or body == b"\x1e":
            continue
        if body in (b"{", b"\x1e{"):
            pending, start = [text], line
            continue
        yield _check(_json_entry(text, line), strict)
    if pending:
        yield _check(_json_entry(b"".join(pending), start), strict)


def _check(entry: JournalEntry, strict: bool) -> JournalEntry:
    if strict and entry.error is not None:
        raise RxpError(f"journal json: {entry.error}")
    return entry


def _json_entry(raw: bytes, line: int) -> JournalEntry:
    try:
        document = json.loads(raw.lstrip(b"\x1e"))
    except (ValueError, RecursionError) as exc:
        where = f" (column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        return JournalEntry((), line, raw, f"line {line}: invalid JSON: {reason}{where}")
    if not isinstance(document, dict):
        return JournalEntry((), line, raw, f"line {line}: expected a JSON object")
    fields: list[tuple[str, bytes]] = []
    omitted: list[str] = []
    for name, value in document.items():
        if value is None:
            omitted.append(name)
        elif isinstance(value, list) and value and not all(isinstance(v, int) for v in value):
            fields.extend((name, _json_value(v)) for v in value)
        else:
            fields.append((name, _json_value(value)))
    return JournalEntry(tuple(fields), line, raw, None, tuple(omitted))


def _json_value(value: object) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, list) and all(isinstance(v, int) and 0 <= v <= 255 for v in value):
        return bytes(value)
    # Not something journalctl writes; keep its JSON text rather than lose it.
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


# --- encoders ----------------------------------------------------------------------------


def format_export(entry: JournalEntry) -> bytes:
    """The entry in the export format, blank line included. As ``journalctl -o export``
    does, a value that is not printable UTF-8 without newlines is written binary-safe."""
    out = []
    for name, value in entry.fields:
        key = name.encode("ascii")
        if is_printable(value, newline=False):
            out.append(b"%s=%s\n" % (key, value))
        else:
            out.append(b"%s\n%s%s\n" % (key, len(value).to_bytes(8, "little"), value))
    out.append(b"\n")
    return b"".join(out)


def format_json(entry: JournalEntry, *, show_all: bool = True) -> bytes:
    """The entry as one ``journalctl -o json`` line (newline included): printable values as
    strings, others as byte arrays, repeated names as arrays; without ``show_all`` values
    of 4096 bytes or more are ``null`` as journalctl prints them without ``--all``.

    Field order follows the entry (journalctl's own order is its hash table's)."""
    grouped: dict[str, list[object]] = {}
    for name, value in entry.fields:
        item: object
        if not show_all and len(value) >= 4096:
            item = None
        elif is_printable(value, newline=True):
            item = value.decode("utf-8")
        else:
            item = list(value)
        grouped.setdefault(name, []).append(item)
    for name in entry.omitted:
        grouped.setdefault(name, []).append(None)
    document = {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
