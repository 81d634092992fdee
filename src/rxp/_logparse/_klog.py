"""``klog``: Kubernetes klog and Google glog lines, with Vector's ``parse_klog`` fields.

Fields: ``level`` (``info``, ``warning``, ``error``, ``fatal``), ``timestamp`` (as written:
klog has no year, so none is invented), ``id`` (thread id, integer), ``file``, ``line``
(integer), ``message``. A structured klog message (``"text" key="value" ...``, from
``InfoS``/``ErrorS``) gives ``message`` = the quoted text and the pairs as fields.
Fast path: one regex; ``grammars/klog.lark`` runs only for lines it declines, to say where
the line stops being klog.
"""

from __future__ import annotations

import re

import lark

from ._grammars import parse_with
from ._logfmt import scan_pairs
from ._records import Record, merge_fields
from ._scan import unquote
from ._spec import FormatSpec, plain

__all__ = ["SPECS", "looks_like_klog", "parse_klog", "parse_klog_grammar"]

LEVELS = {"I": "info", "W": "warning", "E": "error", "F": "fatal"}
_KLOG = re.compile(
    r"([IWEF])((?:\d{4})?\d{4}) (\d\d:\d\d:\d\d(?:\.\d+)?) +(\d+) ([^:\s\]]+):(\d+)\](.*)\Z", re.S
)
_QUOTED_HEAD = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def _build(level: str, date: str, time: str, tid: str, file: str, line: str, msg: str) -> Record:
    fields: Record = {
        "level": LEVELS[level],
        "timestamp": f"{date} {time}",
        "id": int(tid),
        "file": file,
        "line": int(line),
    }
    if msg.startswith(" "):
        msg = msg[1:]
    m = _QUOTED_HEAD.match(msg)
    if m is not None:  # structured: "message" k=v ...
        rest = msg[m.end() :]
        pairs = scan_pairs(rest, brackets=True) if rest.strip() else None
        if pairs is None or pairs.error is None:
            fields["message"] = unquote(m.group())
            if pairs is not None:
                merge_fields(fields, pairs.fields)
            return fields
    if msg:
        fields["message"] = msg
    return fields


def parse_klog_grammar(line: str) -> Record:
    """The same record as ``parse_klog``, read with the Lark grammar (the reference)."""
    tree = parse_with("klog", line, "not a klog line")
    toks = [str(t) for t in tree.children if isinstance(t, lark.Token)]
    msg_nodes = [t for t in tree.children if isinstance(t, lark.Tree)]
    msg = str(msg_nodes[0].children[0]) if msg_nodes else ""
    level, date, time, tid, file, number = toks[:6]
    return _build(level, date, time, tid, file, number, msg)


def parse_klog(line: str) -> Record:
    """A klog/glog line; raises ``LineError`` with the column where it stops being one."""
    m = _KLOG.match(line)
    if m is None:
        return parse_klog_grammar(line)
    return _build(*m.groups())


def looks_like_klog(line: str) -> bool:
    """Cheap test for ``auto``: the line opens with a klog header."""
    return line[:1] in LEVELS and line[1:2].isdigit() and _KLOG.match(line) is not None


SPECS: tuple[FormatSpec, ...] = (plain("klog", parse_klog, "Kubernetes klog (Vector parse_klog)"),)
