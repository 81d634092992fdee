"""``klog`` and ``glog``: Kubernetes klog and Google glog lines, as Vector's ``parse_klog``
and ``parse_glog`` read them.

Both write ``Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`` (glog puts the year in front of
``mmdd``). The line is trimmed of white space at both ends; the fields are ``level``
(``I``/``W``/``E``/``F`` -> ``info``/``warning``/``error``/``fatal``, any other letter is an
error), ``timestamp`` (RFC 3339; klog writes no year, so it is the current one, or the last
one for a December line read in January, as Vector guesses it), ``id`` and ``line``
(integers), ``file`` (up to the last ``:<digits>] `` of the line) and ``message``.

Vector reads the time as UTC (chrono's ``and_utc``): the log gives no zone and Vector does not
apply the local one. ``local_time=true`` reads it in the local zone (``TZ``) instead.

rxp's klog reader before Vector parity kept the timestamp as written (``0505
17:59:40.692994``) and read a structured message (``"text" key="value" ...``, from klog's
``InfoS``) into ``message`` plus one field per pair; ``keep_timestamp=true`` and
``structured=true`` bring those back.

Fast path: one regex, VRL's own. ``grammars/klog.lark`` runs only for a line it declines, to
say at which column the line stops being klog.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import NamedTuple, NoReturn

import lark

from ._grammars import parse_with
from ._logfmt import scan_pairs
from ._options import Option, Options
from ._records import LineError, Record, merge_fields
from ._scan import unquote
from ._spec import FormatSpec, LineParser
from ._time import resolve_year, to_rfc3339

__all__ = [
    "SPECS",
    "looks_like_glog",
    "looks_like_klog",
    "parse_glog",
    "parse_klog",
    "parse_klog_grammar",
]

LEVELS = {"I": "info", "W": "warning", "E": "error", "F": "fatal"}

#: Rust's ``\s`` (Unicode White_Space), which Python's ``\s`` exceeds by U+001C..U+001F.
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
WHITESPACE += "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_S = "[" + re.escape(WHITESPACE) + "]"

# VRL's REGEX_KLOG / REGEX_GLOG after the leading `^\s*` (the caller strips it). The message
# is the rest, trimmed at its end by the caller (VRL: `(?P<message>.*?)\s*$`), which keeps
# the regex linear on a line of white space.
_TAIL = rf"{_S}+(\d+){_S}(.+):(\d+)\]{_S}((?s:.*))\Z"
_KLOG = re.compile(rf"(\w)((\d\d)(\d\d){_S}(\d\d):(\d\d):(\d\d)\.(\d{{6}})){_TAIL}")
_GLOG = re.compile(rf"(\w)((\d{{4}})(\d\d)(\d\d){_S}(\d\d):(\d\d):(\d\d)\.(\d{{6}})){_TAIL}")
_QUOTED_HEAD = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_I64_MAX = (1 << 63) - 1


def _number(text: str, what: str, column: int) -> int:
    """Rust's ``str::parse::<i64>`` of the digits the regex took (``\\d`` is any Unicode
    digit there as here, but Rust's integer parser takes only ASCII ones)."""
    if not text.isascii() or int(text) > _I64_MAX:
        raise LineError(f"failed parsing {what}", column)
    return int(text)


def _moment(kind: str, parts: tuple[str, ...], stamp: str, local: bool, column: int) -> datetime:
    """The time VRL's chrono ``parse_from_str("%Y%m%d %H:%M:%S%.f")`` gives, in UTC."""
    if not all(p.isascii() for p in parts):
        raise LineError(
            f"failed parsing timestamp {stamp}: input contains invalid characters", column
        )
    if kind == "klog":
        month = int(parts[0])
        year, rest = resolve_year(month), parts
    else:
        year, rest = int(parts[0]), parts[1:]
    try:
        return datetime(
            year, int(rest[0]), int(rest[1]), int(rest[2]), int(rest[3]), int(rest[4]),
            int(rest[5]), None if local else UTC,
        )  # fmt: skip
    except ValueError:
        raise LineError(
            f"failed parsing timestamp {stamp}: input is out of range", column
        ) from None


def _structured(fields: Record, message: str) -> None:
    """klog's ``InfoS`` message (``"text" key="value" ...``): the text and one field a pair."""
    m = _QUOTED_HEAD.match(message)
    if m is None:
        return
    rest = message[m.end() :]
    pairs = scan_pairs(rest, brackets=True) if rest.strip() else None
    if pairs is None or pairs.error is None:
        fields["message"] = unquote(m.group())
        if pairs is not None:
            merge_fields(fields, pairs.fields)


class Header(NamedTuple):
    """The parts of a klog/glog line, each text with its 0-based start in the stripped line
    (for the columns of the errors): from VRL's regex or from the grammar."""

    level: str
    stamp: tuple[str, int]
    parts: tuple[str, ...]  # [year,] month, day, hour, minute, second, microsecond
    tid: tuple[str, int]
    file: str
    line: tuple[str, int]
    rest: tuple[str, int]


def _from_match(m: re.Match[str]) -> Header:
    n = len(m.groups()) - 6  # the date and time parts
    g = m.group
    return Header(
        g(1), (g(2), m.start(2)), m.groups()[2 : 2 + n], (g(3 + n), m.start(3 + n)), g(4 + n),
        (g(5 + n), m.start(5 + n)), (g(6 + n), m.start(6 + n)),
    )  # fmt: skip


def _record(kind: str, head: Header, offset: int, options: Options) -> Record:
    """VRL's object, checked in VRL's order (level, timestamp, id, line); ``offset`` is
    where the stripped line starts in the original one."""
    if head.level not in LEVELS:
        raise LineError(f'unrecognized log level "{head.level}"', offset + 1)
    fields: Record = {"level": LEVELS[head.level]}
    stamp, at = head.stamp
    if options.get("keep_timestamp"):
        fields["timestamp"] = stamp
    else:
        local = bool(options.get("local_time"))
        fields["timestamp"] = to_rfc3339(_moment(kind, head.parts, stamp, local, offset + at + 1))
    fields["id"] = _number(head.tid[0], "id", offset + head.tid[1] + 1)
    fields["file"] = head.file
    fields["line"] = _number(head.line[0], "line", offset + head.line[1] + 1)
    rest, at = head.rest
    message = rest.rstrip(WHITESPACE)
    if "\n" in message:  # VRL's `.*?` stops at a newline that only white space may follow
        column = offset + at + message.index("\n") + 1
        raise LineError(f"failed parsing {kind} message", column)
    fields["message"] = message
    if options.get("structured"):
        _structured(fields, message)
    return fields


_DEFAULTS: Options = {"keep_timestamp": False, "structured": False, "local_time": False}


def _quick(kind: str, g: tuple[str, ...]) -> Record | None:
    """The common case with the default options, straight from the regex's groups: the
    timestamp's text is built from the digits as written (they are checked by ``datetime``).
    ``None`` for anything else, which ``_record`` then reads step by step."""
    level = LEVELS.get(g[0])
    n = len(g) - 6
    tid, line, rest = g[2 + n], g[4 + n], g[5 + n]
    if level is None or not (g[1].isascii() and tid.isascii() and line.isascii()):
        return None
    if kind == "klog":
        month, day, hour, minute, second, micro = g[2:8]
        year = str(resolve_year(int(month)))
    else:
        year, month, day, hour, minute, second, micro = g[2:9]
    try:
        datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    fraction = "." + (micro[:3] if micro.endswith("000") else micro) if int(micro) else ""
    message = rest.rstrip(WHITESPACE)
    number, ident = int(line), int(tid)
    if "\n" in message or number > _I64_MAX or ident > _I64_MAX:
        return None
    return {
        "level": level,
        "timestamp": f"{year}-{month}-{day}T{hour}:{minute}:{second}{fraction}Z",
        "id": ident,
        "file": g[3 + n],
        "line": number,
        "message": message,
    }


def _read(kind: str, line: str, options: Options) -> Record:
    text = line.lstrip(WHITESPACE)
    offset = len(line) - len(text)
    m = (_KLOG if kind == "klog" else _GLOG).match(text)
    if m is None:
        _explain(kind, text, offset)
    assert m is not None
    if options is _DEFAULTS:
        quick = _quick(kind, m.groups())
        if quick is not None:
            return quick
    return _record(kind, _from_match(m), offset, options)


def _explain(kind: str, text: str, offset: int) -> NoReturn:
    """Raise the error for a line VRL's regex declines, at the column the grammar stops."""
    what = f"not a {kind} line"
    tree = parse_with("klog", text, what, offset=offset)
    date = str(tree.children[1])
    if (len(date) == 4) != (kind == "klog"):
        other = "no year: a klog line?" if kind == "glog" else "a year: a glog line?"
        raise LineError(f"{what}: the date has {other}", offset + 2)
    # the grammar reads it (the date has the other family's length, a newline in the
    # message, a file name the grammar's simpler FILE cannot hold): VRL's own words
    raise LineError(f"failed parsing {kind} message", offset + 1)


def parse_klog(line: str, options: Options | None = None) -> Record:
    """A klog line as VRL's ``parse_klog`` reads it; raises ``LineError`` with the column
    where it stops being one. ``options``: ``keep_timestamp``, ``structured``, ``local_time``."""
    return _read("klog", line, options or _DEFAULTS)


def parse_glog(line: str, options: Options | None = None) -> Record:
    """A glog line (a four-digit year before ``mmdd``) as VRL's ``parse_glog`` reads it."""
    return _read("glog", line, options or _DEFAULTS)


def parse_klog_grammar(line: str, options: Options | None = None) -> Record:
    """The same record as ``parse_klog`` (or ``parse_glog``, by the date's length), read with
    the Lark grammar: the reference the regex is tested against."""
    text = line.lstrip(WHITESPACE)
    offset = len(line) - len(text)
    tree = parse_with("klog", text, "not a klog line", offset=offset)
    toks = [t for t in tree.children if isinstance(t, lark.Token)]
    msg = [t for node in tree.children if isinstance(node, lark.Tree) for t in node.children]
    level, date, clock, tid, file, number = toks[:6]
    kind = "klog" if len(date) == 4 else "glog"
    parts = re.findall(r"\d{4}(?=\d{4}$)|\d\d", date) + re.findall(r"\d+", clock)
    rest = (str(msg[0]), _at(msg[0])) if msg else ("", len(text))
    head = Header(
        str(level), (f"{date} {clock}", 1), tuple(parts), (str(tid), _at(tid)), str(file),
        (str(number), _at(number)), rest,
    )  # fmt: skip
    return _record(kind, head, offset, options or _DEFAULTS)


def _at(token: lark.Token | lark.Tree[lark.Token]) -> int:
    return token.start_pos or 0 if isinstance(token, lark.Token) else 0


def looks_like_klog(line: str) -> bool:
    """Cheap test for ``auto``: the line opens with a klog header."""
    return line[:1] in LEVELS and line[1:5].isdigit() and _KLOG.match(line) is not None


def looks_like_glog(line: str) -> bool:
    """Cheap test for ``auto``: the line opens with a glog header (a year before ``mmdd``)."""
    return line[:1] in LEVELS and line[1:9].isdigit() and _GLOG.match(line) is not None


_OPTIONS = (
    Option("local_time", "bool", False, help="read the time in the local zone (TZ), not UTC"),
)
_KLOG_OPTIONS = (
    Option("keep_timestamp", "bool", False, help="keep the timestamp as written (no year)"),
    Option("structured", "bool", False, help='read `"text" key="value"` messages into fields'),
    *_OPTIONS,
)


def _builder(kind: str) -> FormatSpec:
    def build(options: Options) -> LineParser:
        chosen = _DEFAULTS if not any(options.values()) else options

        def run(line: str) -> tuple[Record, str]:
            return _read(kind, line, chosen), kind

        return run

    if kind == "klog":
        return FormatSpec(
            "klog", build, _KLOG_OPTIONS, summary="Kubernetes klog (Vector parse_klog)"
        )
    return FormatSpec("glog", build, _OPTIONS, summary="Google glog (Vector parse_glog)")


SPECS: tuple[FormatSpec, ...] = (_builder("klog"), _builder("glog"))
