"""``syslog``: RFC 5424 and RFC 3164 (BSD) messages, with Vector's ``parse_syslog`` fields.

Fields: ``facility`` and ``severity`` by name, ``version`` (5424), ``timestamp`` (as written),
``hostname``, ``appname``, ``procid`` (an integer when it is digits), ``msgid`` (5424),
``message``; each RFC 5424 SD-ELEMENT becomes a nested object under its SD-ID, its
PARAM-VALUEs unescaped (``\\"``, ``\\\\``, ``\\]``). NILVALUE (``-``) fields are left out.
As Vector (syslog_loose) does, a space after a PARAM-NAME's ``=`` is tolerated.

Fast path: one compiled regex per form. Structured data holding a backslash, or a 5424 line
the regex declines, goes through ``grammars/syslog.lark``, which also gives the column of a
malformed line.
"""

from __future__ import annotations

import re

import lark

from ._grammars import parse_with
from ._records import JSONValue, LineError, Record, safe_key
from ._spec import FormatSpec, plain

__all__ = ["FACILITIES", "SEVERITIES", "SPECS", "parse_rfc3164", "parse_rfc5424", "parse_syslog"]

FACILITIES = (
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
    "authpriv", "ftp", "ntp", "audit", "alert", "clockd",
    "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
)  # fmt: skip
SEVERITIES = ("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug")

_NAME = r'[^= \]"]+'
_ELEMENT = rf'\[{_NAME}(?: {_NAME}= ?"[^"\\]*")*\]'
_RFC5424 = re.compile(
    r"<(\d{1,3})>([1-9]\d{0,2}) (\S+) (\S+) (\S+) (\S+) (\S+) "
    rf"(-|(?:{_ELEMENT})+)(?: (.*))?\Z",
    re.S,
)
_SD_ELEMENT = re.compile(rf'\[({_NAME})((?: {_NAME}= ?"[^"\\]*")*)\]')
_SD_PARAM = re.compile(r' ([^= \]"]+)= ?"([^"\\]*)"')
_SD_UNESCAPE = re.compile(r'\\(["\\\]])')
_RFC3164 = re.compile(
    r"(?:<(\d{1,3})>)?"
    r"([A-Z][a-z]{2} [ \d]\d(?: \d{4})? \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\S+) "
    r"(?:(\S+) )?([^\s:\[]+)(?:\[([^\]]*)\])?: ?(.*)\Z",
    re.S,
)
_RFC3164_BARE = re.compile(
    r"(?:<(\d{1,3})>)?"
    r"([A-Z][a-z]{2} [ \d]\d(?: \d{4})? \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\S+) "
    r"(\S+) ?(.*)\Z",
    re.S,
)


def _pri(fields: Record, pri: str | None, column: int) -> None:
    if pri is None:
        return
    value = int(pri)
    if value > 191:
        raise LineError(f"priority {value} is out of range (0 to 191)", column)
    fields["facility"] = FACILITIES[value >> 3]
    fields["severity"] = SEVERITIES[value & 7]


def _put(fields: Record, key: str, value: str | None) -> None:
    if value is not None and value != "-":
        fields[key] = int(value) if key == "procid" and value.isdigit() else value


def _message(fields: Record, text: str | None) -> None:
    if text:
        fields["message"] = text[1:] if text[0] == "\ufeff" else text


_HEAD = ("timestamp", "hostname", "appname", "procid", "msgid")


def _header(fields: Record, pri: str, version: str, head: tuple[str, ...]) -> None:
    _pri(fields, pri, 2)
    fields["version"] = int(version)
    for key, value in zip(_HEAD, head, strict=True):
        _put(fields, key, value)


def _fast5424(line: str) -> Record | None:
    m = _RFC5424.match(line)
    if m is None:
        return None
    fields: Record = {}
    _header(fields, m[1], m[2], (m[3], m[4], m[5], m[6], m[7]))
    if m[8] != "-":
        for element in _SD_ELEMENT.finditer(m[8]):
            params: dict[str, JSONValue] = dict(_SD_PARAM.findall(element[2]))
            fields[safe_key(element[1])] = params
    _message(fields, m[9])
    return fields


def _lark5424(line: str) -> Record:
    tree = parse_with("syslog", line, "not an RFC 5424 syslog message")
    kids = tree.children
    fields: Record = {}
    head = tuple(str(t.children[0]) for t in kids[2:7] if isinstance(t, lark.Tree))
    _header(fields, str(kids[0])[1:-1], str(kids[1]), head)
    sd = kids[7]
    assert isinstance(sd, lark.Tree)
    for element in sd.children:
        if not isinstance(element, lark.Tree):
            continue  # NILVALUE
        sd_id, *params = element.children
        values: dict[str, JSONValue] = {}
        for param in params:
            assert isinstance(param, lark.Tree)
            name, value = param.children
            values[str(name)] = _SD_UNESCAPE.sub(r"\1", str(value)[1:-1])
        fields[safe_key(str(sd_id))] = values
    if len(kids) > 8 and isinstance(kids[8], lark.Tree) and kids[8].children:
        _message(fields, str(kids[8].children[0]))
    return fields


def parse_rfc5424(line: str) -> Record:
    """An RFC 5424 message; raises ``LineError`` with the column where it stops being one."""
    fields = _fast5424(line)
    return fields if fields is not None else _lark5424(line)


def parse_rfc3164(line: str) -> Record | None:
    """A BSD syslog line (``<PRI>`` optional), or ``None`` when it is not one."""
    m = _RFC3164.match(line)
    fields: Record = {}
    if m is not None:
        _pri(fields, m[1], 2)
        fields["timestamp"] = m[2]
        _put(fields, "hostname", m[3])
        fields["appname"] = m[4]
        _put(fields, "procid", m[5])
        _message(fields, m[6])
        return fields
    m = _RFC3164_BARE.match(line)
    if m is None:
        return None
    _pri(fields, m[1], 2)
    fields["timestamp"] = m[2]
    fields["hostname"] = m[3]
    _message(fields, m[4])
    return fields


_IS_5424 = re.compile(r"<\d{1,3}>[1-9]")


def parse_syslog(line: str) -> Record:
    """RFC 5424 when the line starts ``<PRI>VERSION``, else RFC 3164; raises ``LineError``."""
    if _IS_5424.match(line):
        return parse_rfc5424(line)
    fields = parse_rfc3164(line)
    if fields is None:
        raise LineError("not a syslog message (RFC 5424 or RFC 3164)", 1)
    return fields


SPECS: tuple[FormatSpec, ...] = (
    plain("syslog", parse_syslog, "RFC 5424 and RFC 3164 syslog (Vector parse_syslog)"),
)
