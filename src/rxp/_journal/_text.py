"""journald's ``short*`` text forms: render an entry as journalctl does, parse such a line back.

The renderer follows systemd's ``output_short`` (src/shared/logs-show.c, systemd 252) for a
reader that is not a terminal (full width, no colour):

- timestamp from ``_SOURCE_REALTIME_TIMESTAMP`` when valid, else ``__REALTIME_TIMESTAMP``;
- `` HOST`` from ``_HOSTNAME``; `` IDENT`` from ``SYSLOG_IDENTIFIER``, else ``_COMM``, else
  `` unknown``; ``[PID]`` from ``_PID``, else ``SYSLOG_PID``; a field is shown only when it
  is printable UTF-8 under 300 bytes; when a name repeats, the last value wins;
- the message has tabs expanded to 8 spaces and ANSI colour (``ESC [ ... m``) and OSC
  (``ESC ] ... BEL``) sequences stripped; if it is not printable it becomes
  ``[NB blob data]``; further lines are indented to the column where the message starts
  (that column does not count the word ``unknown``, as in journalctl);
- an entry without ``MESSAGE`` renders as nothing (journalctl skips it).

Times are shown in ``tz`` (UTC unless told), as ``journalctl --utc`` or ``TZ=...`` would.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, TypeAlias

from .._errors import RxpError

if TYPE_CHECKING:
    from ._codec import JournalEntry

__all__ = [
    "ShortMode",
    "format_bytes",
    "format_short",
    "format_short_iso",
    "is_printable",
    "parse_short_line",
    "strip_tab_ansi",
]

ShortMode: TypeAlias = Literal[
    "short", "short-iso", "short-iso-precise", "short-precise", "short-full", "short-unix"
]

_PRINT_CHAR_THRESHOLD = 300
_USEC_INFINITY = (1 << 64) - 1
_FORMATTABLE_MAX = 253402300799999999  # 9999-12-31 23:59:59.999999 UTC

_ASCII_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")
_ASCII_CONTROL_NO_NL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_NONCHARS = "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, 0x110000, 0x10000))
_UNICODE_BAD = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef{_NONCHARS}]")


def is_printable(value: bytes, *, newline: bool = True) -> bool:
    """systemd's ``utf8_is_printable``: valid UTF-8 with no control characters (tab
    allowed, newline allowed when ``newline``) and no Unicode non-characters."""
    if value.isascii():
        pattern = _ASCII_CONTROL if newline else _ASCII_CONTROL_NO_NL
        return pattern.search(value) is None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if not newline and "\n" in text:
        return False
    return _UNICODE_BAD.search(text) is None


def format_bytes(size: int) -> str:
    """systemd's ``FORMAT_BYTES``: ``512B``, ``1.5K``, ``2.0M`` (IEC factors, one decimal
    digit truncated, no ``B`` after a prefix)."""
    table = [(s, 1024 ** (6 - i)) for i, s in enumerate("EPTGMK")]
    for i, (suffix, factor) in enumerate(table):
        if size >= factor:
            if i != len(table) - 1:
                tenth = (size // table[i + 1][1] * 10 // 1024) % 10
            else:
                tenth = (size * 10 // factor) % 10
            return f"{size // factor}.{tenth}{suffix}"
    return f"{size}B"


def strip_tab_ansi(message: bytes) -> bytes:
    """systemd's ``strip_tab_ansi``: tabs become 8 spaces; ANSI colour sequences
    (``ESC [`` digits and ``;`` ``m``) and OSC sequences (``ESC ]`` printable ASCII ``BEL``)
    are removed; anything else, truncated sequences included, is left as it is."""
    if b"\x1b" not in message:
        return message.replace(b"\t", b" " * 8)
    out = bytearray()
    i, n = 0, len(message)
    while i < n:
        c = message[i]
        if c == 0x09:
            out += b" " * 8
        elif c != 0x1B or i + 1 >= n:
            out.append(c)
        else:
            kind = message[i + 1]
            j = i + 2
            if kind == 0x5B:  # [
                while j < n and message[j] in b"0123456789;":
                    j += 1
                if j < n and message[j] == 0x6D:  # m
                    i = j + 1
                    continue
            elif kind == 0x5D:  # ]
                while j < n and 0x20 <= message[j] <= 0x7E:
                    j += 1
                if j < n and message[j] == 0x07:
                    i = j + 1
                    continue
            out += message[i : i + 2]
            i += 2
            continue
        i += 1
    return bytes(out)


@lru_cache(maxsize=8192)  # host names, identifiers and pids repeat
def _shown(value: bytes) -> bool:
    return len(value) < _PRINT_CHAR_THRESHOLD and is_printable(value, newline=True)


_SHORT_FIELDS = frozenset(
    {"_PID", "_COMM", "MESSAGE", "_HOSTNAME", "SYSLOG_PID", "SYSLOG_IDENTIFIER",
     "_SOURCE_REALTIME_TIMESTAMP", "__REALTIME_TIMESTAMP"}
)  # fmt: skip


def _realtime(entry: JournalEntry, got: dict[str, bytes]) -> int:
    for name in ("_SOURCE_REALTIME_TIMESTAMP", "__REALTIME_TIMESTAMP"):
        value = got.get(name)
        if value is not None and value.isdigit() and value.isascii():
            usec = int(value)
            if 0 < usec < _USEC_INFINITY:
                if usec > _FORMATTABLE_MAX:
                    raise RxpError(
                        f"journal entry at line {entry.line}: timestamp cannot be printed"
                    )
                return usec
    raise RxpError(f"journal entry at line {entry.line}: no valid __REALTIME_TIMESTAMP")


@lru_cache(maxsize=4096)
def _second(seconds: int, mode: ShortMode, tz: tzinfo) -> str:
    moment = datetime.fromtimestamp(seconds, tz)
    if mode in ("short-iso", "short-iso-precise"):
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "\0" + moment.strftime("%z")
    if mode == "short-full":
        return moment.strftime("%a %Y-%m-%d %H:%M:%S %Z")
    return moment.strftime("%b %d %H:%M:%S")


def _timestamp(usec: int, mode: ShortMode, tz: tzinfo) -> bytes:
    seconds, micro = divmod(usec, 1_000_000)
    if mode == "short-unix":
        return b"%10d.%06d" % (seconds, micro)
    text = _second(seconds, mode, tz)
    if mode == "short-iso":
        text = text.replace("\0", "")
    elif mode == "short-iso-precise":
        text = text.replace("\0", f".{micro:06d}")
    elif mode == "short-precise":
        text = f"{text}.{micro:06d}"
    return text.encode("ascii")


def format_short(entry: JournalEntry, mode: ShortMode = "short-iso", *, tz: tzinfo = UTC) -> bytes:
    """The entry as journalctl prints it in ``mode``, newline included (see module doc)."""
    got: dict[str, bytes] = {}  # the last value of each name wins, as in journalctl
    for name, value in entry.fields:
        if name in _SHORT_FIELDS:
            got[name] = value
    message = got.get("MESSAGE")
    if message is None:
        return b""
    message = strip_tab_ansi(message)
    head = _timestamp(_realtime(entry, got), mode, tz)
    out = [head]
    width = len(head)
    host = got.get("_HOSTNAME")
    if host is not None and _shown(host):
        out += (b" ", host)
        width += len(host) + 1
    ident = got.get("SYSLOG_IDENTIFIER")
    if ident is None or not _shown(ident):
        ident = got.get("_COMM")
    if ident is not None and _shown(ident):
        out += (b" ", ident)
        width += len(ident) + 1
    else:
        out.append(b" unknown")
    pid = got.get("_PID")
    if pid is None or not _shown(pid):
        pid = got.get("SYSLOG_PID")
    if pid is not None and _shown(pid):
        out += (b"[", pid, b"]")
        width += len(pid) + 2
    out.append(b": ")
    if not is_printable(message, newline=True):
        out.append(b"[%s blob data]\n" % format_bytes(len(message)).encode())
        return b"".join(out)
    if b"\n" not in message:
        out += (message, b"\n")
        return b"".join(out)
    if message.endswith(b"\n"):
        message = message[:-1]
    indent = b"\n" + b" " * (width + 2)
    out += (message.replace(b"\n", indent), b"\n")
    return b"".join(out)


def format_short_iso(entry: JournalEntry, *, tz: tzinfo = UTC) -> bytes:
    """``journalctl -o short-iso`` for one entry: ``2024-01-15T10:23:45+0000 host ident[pid]:
    message\\n`` (continuation lines indented); ``b""`` for an entry without MESSAGE."""
    return format_short(entry, "short-iso", tz=tz)


# --- parsing the short forms ---------------------------------------------------------------

_STAMP = (
    r"(?P<timestamp>"
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:[+-]\d\d:?\d\d|Z)"  # short-iso(-precise)
    r"|[A-Z][a-z]{2} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,9})? [A-Za-z0-9+_/-]+"  # short-full
    r"|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d{1,9})?"  # short, short-precise
    r"|\d+\.\d{6}"  # short-unix
    r")"
)
_TAIL = r" (?P<appname>[^\s\[]*[^\s\[:])(?:\[(?P<procid>[^\]]*)\])?: ?(?P<message>.*)\Z"
_WITH_HOST = re.compile(_STAMP + r" (?P<hostname>[^\s:\[\]]+)" + _TAIL, re.DOTALL)
_NO_HOST = re.compile(_STAMP + _TAIL, re.DOTALL)


def parse_short_line(line: str) -> dict[str, str | int] | None:
    """Fields of one ``short``, ``short-precise``, ``short-iso``, ``short-iso-precise``,
    ``short-full`` or ``short-unix`` line, named as Vector's ``parse_syslog``: ``timestamp``
    (as written), ``hostname`` (absent when journalctl printed none), ``appname``,
    ``procid`` (an int when numeric; absent when not printed) and ``message``.

    None for anything else: a continuation line of a multi-line message, ``-- Boot ... --``.
    """
    line = line.rstrip("\r\n")
    found = _WITH_HOST.match(line) or _NO_HOST.match(line)
    if found is None:
        return None
    record: dict[str, str | int] = {"timestamp": found["timestamp"]}
    if found.re is _WITH_HOST:
        record["hostname"] = found["hostname"]
    record["appname"] = found["appname"]
    procid = found["procid"]
    if procid is not None:
        record["procid"] = int(procid) if procid.isdigit() and procid.isascii() else procid
    record["message"] = found["message"]
    return record
