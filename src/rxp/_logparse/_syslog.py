"""``syslog`` and ``linux_authorization``: Vector's ``parse_syslog``, as its syslog_loose reads.

VRL hands the line to the ``syslog_loose`` crate (0.22), which tries RFC 5424 and then RFC 3164,
each loosely; this module follows its parsers step by step:

- RFC 5424: ``<PRI>`` (optional) VERSION, an RFC 3339 timestamp (``-``: none, as syslog_loose
  0.23 reads it), HOSTNAME, APP-NAME, PROCID, MSGID (``-``: left out), then structured data,
  which must be there (``-`` or ``[...]``); an element that does not parse is dropped, the rest
  of the line is ``message``.
- RFC 3164: ``<PRI>`` (optional), a timestamp (``Jun 8 11:54:08``, ``Dec 28 2020 16:49:07`` or
  RFC 3339), then up to two words: ``host app[pid]:``, ``host app:``, ``app[pid]:``, or one word
  that is the host; a ``:`` ends the header, structured data with parameters is read, and the
  rest is ``message``.

Fields: ``message`` (always), ``hostname``, ``severity`` and ``facility`` by name (a PRI over 191
gives no facility), ``version`` (5424, an integer), ``appname``, ``msgid``, ``timestamp`` (RFC 3339
in UTC: a time without a zone is read in the local zone, ``TZ``, and one without a year in the
year ``resolve_year`` gives), ``procid`` (an integer when it reads as a 32-bit one), and each
structured-data element as an object under its SD-ID (``\\"``, ``\\\\``, ``\\]`` and ``\\n``
decoded). ``timestamp=as_written`` keeps the timestamp's text instead (rxp's older answer).
An RFC 6587 octet count before the message (``123 <34>1 ...``) is skipped: rxp's own addition.

``grammars/syslog.lark`` (strict RFC 5424) is run only on a ``<PRI>VERSION`` line that neither
parser reads, to say in which column it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from os import environ

from ._grammars import parse_with
from ._options import Option, Options
from ._records import JSONValue, LineError, Record
from ._spec import FormatSpec, LineParser
from ._time import local_zone, resolve_year, to_utc

__all__ = ["FACILITIES", "SEVERITIES", "SPECS", "parse_rfc3164", "parse_syslog"]

FACILITIES = (
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
    "authpriv", "ftp", "ntp", "audit", "alert", "clockd",
    "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
)  # fmt: skip
SEVERITIES = ("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug")

# Rust's char::is_whitespace, which syslog_loose's words stop at (Python's \s also has \x1c-\x1f)
_WS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WORD = f"[^{_WS}]+"
_PRI = re.compile(r"<([0-9]+)>")
_OCTETS = re.compile(r"[0-9]+ (?=<[0-9])")
_HEAD5424 = re.compile(
    rf"([0-9]+)[ \t]+([^ ]+) [ \t]*({_WORD})[ \t]+({_WORD})[ \t]+({_WORD})[ \t]+({_WORD})[ \t]*"
)
_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]+))?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))\Z"
)
_NO_YEAR = re.compile(r"([A-Za-z]{3})[ \t]+([0-9]+)[ \t]+([0-9]+):([0-9]+):([0-9]+):?")
_WITH_YEAR = re.compile(
    r"([A-Za-z]{3})[ \t]+([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+):([0-9]+):([0-9]+):?"
)
_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES.split(), 1)}
_SPACE0 = re.compile(r"[ \t]*")
_PARAM = r'[^\]=]+=[ \t]*"(?:[^"\\]|\\.)*"'
_STRICT_SD = re.compile(rf"\[([^\]={_WS}]++)[ \t]*((?:{_PARAM}(?: {_PARAM})*)?)\]", re.S)
_LOOSE_SD = re.compile(r"\[[^\]]*\]")
_SD_PARAM = re.compile(r'(?:^| )([^\]=]+)=[ \t]*"((?:[^"\\]|\\.)*)"', re.S)
_SD_ESCAPE = re.compile(r'\\([n"\]\\])')
_HOST = re.compile(rf" ({_WORD})")
_TAG = re.compile(rf" ([^{_WS}:]+)")
_SYSTAG = re.compile(r"([^\s:\[]*)\[([^\]]+)\]\Z")
_PID = re.compile(r"[+-]?[0-9]+\Z")

# (the moment in UTC to the second, naive; nanoseconds; the text as written)
Stamp = tuple[datetime, int, str] | None


def _rfc3339(text: str) -> Stamp:
    """chrono's ``DateTime::parse_from_rfc3339``, or ``None``."""
    m = _RFC3339.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = map(int, m.group(1, 2, 3, 4, 5, 6))
    nanos = int((m[7] or "0")[:9].ljust(9, "0"))
    leap = second == 60
    offset = timedelta(0)
    if m[9]:
        hours, minutes = int(m[10]), int(m[11])
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes) * (1 if m[9] == "+" else -1)
    try:
        moment = datetime(year, month, day, hour, minute, 59 if leap else second)
        utc = moment - offset if offset else moment  # naive, in UTC
    except (ValueError, OverflowError):
        return None
    return utc, nanos + (1_000_000_000 if leap else 0), text


@lru_cache(maxsize=4096)  # a log's lines share their seconds; TZ is part of the key
def _local(naive: datetime, strict: bool, tz: str | None) -> datetime | None:
    """``naive`` read in the local zone ``tz`` names, in UTC (naive); ``None`` when ``strict``
    and the local clock never showed that time (a DST gap: chrono's ``earliest()`` finds
    nothing)."""
    if strict:
        zone = local_zone()
        if zone is not None:
            utc = naive.replace(tzinfo=zone).astimezone(UTC)
            if utc.astimezone(zone).replace(tzinfo=None) != naive:
                return None
            return utc.replace(tzinfo=None)
    return to_utc(naive).replace(tzinfo=None)


def _timestamp3164(text: str, pos: int) -> tuple[Stamp, int] | None:
    """syslog_loose's ``timestamp_3164``: no year, with a year, or RFC 3339."""
    m = _NO_YEAR.match(text, pos)
    if m is not None and m[1].lower() in _MONTHS:
        month = _MONTHS[m[1].lower()]
        day, hour, minute, second = (int(m[i]) for i in range(2, 6))
        try:
            naive = datetime(resolve_year(month), month, day, hour, minute, second)
        except (ValueError, OverflowError):
            naive = None
        moment = _local(naive, True, environ.get("TZ")) if naive is not None else None
        if moment is not None:
            return (moment, 0, m[0].rstrip(":")), m.end()
    m = _WITH_YEAR.match(text, pos)
    if m is not None and m[1].lower() in _MONTHS:
        day, year, hour, minute, second = (int(m[i]) for i in range(2, 7))
        try:
            naive = datetime(year, _MONTHS[m[1].lower()], day, hour, minute, second)
        except (ValueError, OverflowError):
            naive = None
        if naive is not None:
            moment = _local(naive, False, environ.get("TZ"))
            assert moment is not None
            return (moment, 0, m[0].rstrip(":")), m.end()
    end = text.find(" ", pos)
    if end < 0:
        return None
    stamp = _rfc3339(text[pos:end])
    return (stamp, end) if stamp is not None else None


def _text(stamp: Stamp) -> str:
    """chrono's ``to_rfc3339_opts(SecondsFormat::AutoSi, true)``, nanoseconds kept."""
    assert stamp is not None
    m, nanos, _ = stamp
    text = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
    if nanos >= 1_000_000_000:  # a leap second
        text, nanos = text[:-2] + "60", nanos - 1_000_000_000
    if nanos:
        if nanos % 1_000_000 == 0:
            text += f".{nanos // 1_000_000:03d}"
        elif nanos % 1000 == 0:
            text += f".{nanos // 1000:06d}"
        else:
            text += f".{nanos:09d}"
    return text + "Z"


def _pri(text: str) -> tuple[int | None, int]:
    m = _PRI.match(text)
    if m is None or int(m[1]) > 255:  # syslog_loose reads PRI as a u8
        return None, 0
    return int(m[1]), m.end()


def _field(word: str) -> str | None:
    return None if word == "-" else word


def _procid(word: str) -> JSONValue:
    if _PID.match(word):
        value = int(word)
        if -(2**31) <= value < 2**31:
            return value
    return word


def _unescape(e: re.Match[str]) -> str:
    return "\n" if e[1] == "n" else e[1]


def _params(body: str) -> dict[str, JSONValue]:
    return {
        name: _SD_ESCAPE.sub(_unescape, value) if "\\" in value else value
        for name, value in _SD_PARAM.findall(body)
    }


def _structured(text: str, pos: int, *, loose: bool) -> tuple[list[tuple[str, Record]], int] | None:
    """``-``, or one or more elements: 5424 (``loose``) drops an element it cannot read and
    keeps one without parameters; 3164 stops at either."""
    if text.startswith("-", pos):
        return [], pos + 1
    elements: list[tuple[str, Record]] = []
    start = pos
    while True:
        m = _STRICT_SD.match(text, pos)
        if m is not None and (loose or m[2]):
            elements.append((m[1], _params(m[2])))
        elif loose and (m := _LOOSE_SD.match(text, pos)) is not None:
            pass
        else:
            break
        pos = m.end()
    return (elements, pos) if pos > start else None


def _record(
    pri: int | None,
    version: int | None,
    stamp: Stamp,
    host: str | None,
    app: str | None,
    procid: str | None,
    msgid: str | None,
    elements: list[tuple[str, Record]],
    message: str,
    as_written: bool,
) -> Record:
    """The object VRL builds (``message_to_value``), keys in its order of insertion."""
    fields: Record = {"message": message}
    if host is not None:
        fields["hostname"] = host
    if pri is not None:
        fields["severity"] = SEVERITIES[pri & 7]
        if pri >> 3 < len(FACILITIES):
            fields["facility"] = FACILITIES[pri >> 3]
    if version is not None:
        fields["version"] = version
    if app is not None:
        fields["appname"] = app
    if msgid is not None:
        fields["msgid"] = msgid
    if stamp is not None:
        fields["timestamp"] = stamp[2] if as_written else _text(stamp)
    if procid is not None:
        fields["procid"] = _procid(procid)
    for sd_id, params in elements:
        fields[sd_id] = params
    return fields


def _rfc5424(text: str, as_written: bool) -> Record | None:
    pri, pos = _pri(text)
    m = _HEAD5424.match(text, pos)
    if m is None or int(m[1]) >= 2**32:
        return None
    stamp: Stamp = None
    if m[2] != "-":
        stamp = _rfc3339(m[2])
        if stamp is None:
            return None
    host, app, procid, msgid = m[3], m[4], m[5], m[6]
    if host.endswith(":") or ":" in (app, procid, msgid):  # words hold no whitespace
        return None  # a host ending in ':' stops before the colon, and no space follows
    sd = _structured(text, m.end(), loose=True)
    if sd is None:
        return None
    elements, pos = sd
    message = text[_SPACE0.match(text, pos).end() :]  # type: ignore[union-attr]
    return _record(
        pri, int(m[1]), stamp, _field(host), _field(app), _field(procid), _field(msgid),
        elements, message, as_written,
    )  # fmt: skip


_Word = str | None  # a header word: its text, or None for `-`


def _host_and_tag(
    first: _Word | bool, second: _Word | bool
) -> tuple[str | None, str | None, str | None]:
    """syslog_loose's ``resolve_host_and_tag``: (hostname, appname, procid) from the one or
    two words after the timestamp (``False``: no word)."""
    if first is not False and isinstance(second, str):
        tag = _SYSTAG.match(second)
        host = first if isinstance(first, str) else None
        return (host, tag[1], tag[2]) if tag else (host, second, None)
    if isinstance(first, str) and second is False:
        tag = _SYSTAG.match(first)
        return (None, tag[1], tag[2]) if tag else (first, None, None)
    return None, None, None


# The common BSD line, `<PRI>Mmm dd hh:mm:ss host app[pid]: message`, in one match: where it
# matches, syslog_loose's steps below give the same fields (no colon in the host, a message
# that starts with neither `-`, `[` nor a space, which the steps would read further).
_COMMON3164 = re.compile(
    r"(?:<([0-9]{1,3})>)?(([A-Za-z]{3}) ([ 0-9]?[0-9]) ([0-9]{2}):([0-9]{2}):([0-9]{2})) "
    r"([^\s:\[\]]+) ([^\s:\[\]]+)(?:\[([0-9]{1,9})\])?: ([^-\[ \t].*|)\Z",
    re.S,
)


@lru_cache(maxsize=4096)
def _no_year(
    month: int, day: int, clock: tuple[int, int, int], year: int, tz: str | None
) -> str | None:
    try:
        naive = datetime(year, month, day, *clock)
    except ValueError:
        return None
    moment = _local(naive, True, tz)
    return None if moment is None else _text((moment, 0, ""))


def _common3164(text: str, as_written: bool) -> Record | None:
    m = _COMMON3164.match(text)
    if m is None or m[3].lower() not in _MONTHS or m[8] == "-" or m[9] == "-":
        return None
    month = _MONTHS[m[3].lower()]
    clock = (int(m[5]), int(m[6]), int(m[7]))
    stamp = _no_year(month, int(m[4]), clock, resolve_year(month), environ.get("TZ"))
    if stamp is None:
        return None
    fields: Record = {"message": m[11], "hostname": m[8]}
    if m[1] is not None:
        pri = int(m[1])
        fields["severity"] = SEVERITIES[pri & 7]
        if pri >> 3 < len(FACILITIES):
            fields["facility"] = FACILITIES[pri >> 3]
    fields["appname"] = m[9]
    fields["timestamp"] = m[2] if as_written else stamp
    if m[10] is not None:
        fields["procid"] = int(m[10])
    return fields


def _rfc3164(text: str, as_written: bool) -> Record | None:
    common = _common3164(text, as_written)
    if common is not None:
        return common
    pri, pos = _pri(text)
    pos = _SPACE0.match(text, pos).end()  # type: ignore[union-attr]
    found = _timestamp3164(text, pos)
    if found is None:
        return None
    stamp, pos = found
    first: _Word | bool = False
    m = _HOST.match(text, pos)
    if m is not None and m[1] != ":":  # a lone `:` is the header's end, not a field
        word = m[1]
        if word.endswith(":"):  # the colon is the separator, left for below ("-:" is "-")
            first, pos = word[:-1], m.end() - 1
        else:
            first, pos = _field(word), m.end()
    second: _Word | bool = False
    m = _TAG.match(text, pos)
    if m is not None:
        second, pos = _field(m[1]), m.end()
    pos = _SPACE0.match(text, pos).end()  # type: ignore[union-attr]
    if text.startswith(":", pos):
        pos = _SPACE0.match(text, pos + 1).end()  # type: ignore[union-attr]
    sd = _structured(text, pos, loose=False)
    elements: list[tuple[str, Record]] = []
    if sd is not None:
        elements, pos = sd
        pos = _SPACE0.match(text, pos).end()  # type: ignore[union-attr]
    host, app, procid = _host_and_tag(first, second)
    return _record(pri, None, stamp, host, app, procid, None, elements, text[pos:], as_written)


def _prepared(line: str) -> str:
    text = line.strip(_WS)
    m = _OCTETS.match(text) if text[:1].isdigit() else None
    return text[m.end() :] if m is not None else text


def parse_rfc3164(line: str, *, as_written: bool = False) -> Record | None:
    """A BSD syslog line as syslog_loose reads one, or ``None`` when it is not one."""
    return _rfc3164(_prepared(line), as_written)


_LOOKS_5424 = re.compile(r"<[0-9]{1,3}>[1-9]")


def parse_syslog(line: str, *, as_written: bool = False) -> Record:
    """RFC 5424, else RFC 3164, as VRL's ``parse_syslog``; raises ``LineError``."""
    text = _prepared(line)
    fields = _common3164(text, as_written) or _rfc5424(text, as_written)
    if fields is None:
        fields = _rfc3164(text, as_written)
    if fields is not None:
        return fields
    if _LOOKS_5424.match(text):  # say where it breaks, when the strict grammar can
        offset = len(line) - len(line.lstrip(_WS)) + len(line.strip(_WS)) - len(text)
        parse_with("syslog", text, "not an RFC 5424 syslog message", offset=offset)
    raise LineError("not a syslog message (RFC 5424 or RFC 3164)", 1)


def _parser(name: str) -> Callable[[Options], LineParser]:
    def build(options: Options) -> LineParser:
        as_written = options["timestamp"] == "as_written"
        return lambda line: (parse_syslog(line, as_written=as_written), name)

    return build


_OPTIONS = (
    Option(
        "timestamp",
        "choice",
        "rfc3339",
        choices=("rfc3339", "as_written"),
        help="rfc3339: in UTC, as VRL; as_written: the timestamp's text as the line has it",
    ),
)

SPECS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "syslog",
        _parser("syslog"),
        _OPTIONS,
        summary="RFC 5424 and RFC 3164 syslog (Vector parse_syslog)",
    ),
    FormatSpec(
        "linux_authorization",
        _parser("linux_authorization"),
        _OPTIONS,
        summary="/var/log/auth.log and /var/log/secure lines (Vector parse_linux_authorization)",
    ),
)
