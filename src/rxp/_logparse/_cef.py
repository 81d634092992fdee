"""``cef``: ArcSight Common Event Format, with Vector's ``parse_cef`` field names.

Header fields: ``cefVersion``, ``deviceVendor``, ``deviceProduct``, ``deviceVersion``,
``deviceEventClassId``, ``name``, ``severity`` (strings, ``\\|`` and ``\\\\`` unescaped); each
extension ``key=value`` becomes a field, a value running up to the next `` key=`` (so it may
hold spaces) with ``\\=``, ``\\\\``, ``\\n``, ``\\r`` unescaped. Text before ``CEF:`` (a syslog
prefix) is kept as ``prefix``. The header is read by one regex; ``grammars/cef.lark`` runs when
it declines, to give the column.
"""

from __future__ import annotations

import re

import lark

from ._grammars import parse_with
from ._records import LineError, Record, merge_fields
from ._spec import FormatSpec, plain

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
_F = r"([^|\\]*(?:\\.[^|\\]*)*)\|"
_CEF = re.compile(rf"(.*?)CEF:(\d+)\|{_F * 6}(.*)\Z", re.S)
_EXT_KEY = re.compile(r"(?:^|(?<=[ \t]))([\w.\[\]\-]+)=")
_HEADER_ESC = re.compile(r"\\([|\\])")
_EXT_ESC = re.compile(r"\\([=\\nr])")
_EXT_MAP = {"n": "\n", "r": "\r", "=": "=", "\\": "\\"}


def extension_fields(text: str) -> Record:
    """The extension's ``key=value`` pairs; a value ends only where the next key starts."""
    out: Record = {}
    keys = list(_EXT_KEY.finditer(text))
    for i, m in enumerate(keys):
        end = keys[i + 1].start() if i + 1 < len(keys) else len(text)
        value = text[m.end() : end].rstrip(" \t")
        out[m.group(1)] = _EXT_ESC.sub(lambda e: _EXT_MAP[e[1]], value)
    return out


def _build(prefix: str, version: str, header: list[str], extension: str) -> Record:
    fields: Record = {"cefVersion": version}
    for key, value in zip(HEADER[1:], header, strict=False):
        fields[key] = _HEADER_ESC.sub(r"\1", value)
    if prefix.strip():
        fields["prefix"] = prefix.strip()
    merge_fields(fields, extension_fields(extension))
    return fields


def parse_cef_grammar(line: str) -> Record:
    """The same record as ``parse_cef``, read with the Lark grammar (the reference)."""
    tree = parse_with("cef", line, "not a CEF record")
    prefix = version = extension = ""
    header: list[str] = []
    for node in tree.children:
        if isinstance(node, lark.Token):
            if node.type == "PREFIX":
                prefix = str(node)
            else:
                version = str(node)
        elif node.data == "field":
            header.append(str(node.children[0]) if node.children else "")
        else:
            extension = str(node.children[0])
    return _build(prefix, version, header, extension)


def parse_cef(line: str) -> Record:
    """A CEF record (after any prefix); raises ``LineError`` with the column."""
    m = _CEF.match(line)
    if m is None:
        if "CEF:" not in line:
            raise LineError("not a CEF record: no 'CEF:' marker", 1)
        return parse_cef_grammar(line)
    groups = m.groups()
    return _build(groups[0], groups[1], list(groups[2:8]), groups[8])


SPECS: tuple[FormatSpec, ...] = (
    plain("cef", parse_cef, "ArcSight Common Event Format (Vector parse_cef)"),
)
