"""``audit``: Linux audit records (``/var/log/audit/audit.log``, ``ausearch --raw``).

``type=SYSCALL msg=audit(1364481363.243:24287): arch=c000003e ... key="sshd_config"`` gives
``type``, ``timestamp`` (seconds since the epoch, as written), ``serial`` (integer), ``node``
when present, and every ``key=value`` as a field (double quotes removed). A user-space record's
``msg='op=PAM:session_open acct="root" res=success'`` becomes a nested object. Enriched
logs' GS (0x1d) separator counts as a space. Fast path: one regex plus the ``kv`` scanner;
``grammars/audit.lark`` runs only for records they decline.
"""

from __future__ import annotations

import re

import lark

from ._grammars import parse_with
from ._logfmt import scan_pairs
from ._records import Fields, JSONValue, Record, merge_fields
from ._spec import FormatSpec, plain

__all__ = ["SPECS", "looks_like_audit", "parse_audit", "parse_audit_grammar"]

_AUDIT = re.compile(r"(?:node=(\S+) )?type=(\S+) msg=audit\((\d+\.\d+):(\d+)\) ?:(.*)\Z", re.S)


def _nested_msg(value: JSONValue) -> JSONValue:
    if isinstance(value, str) and "=" in value:
        inner = scan_pairs(value, brackets=False, single_quotes=False)
        if inner.error is None and inner.pairs:
            return inner.fields
    return value


def _head(node: str | None, type_: str, stamp: str, serial: str) -> Record:
    fields: Record = {}
    if node is not None:
        fields["node"] = node
    fields["type"] = type_
    fields["timestamp"] = stamp
    fields["serial"] = int(serial)
    return fields


def parse_audit(line: str) -> Record:
    """An audit record; raises ``LineError`` (with what was read) at the failing column."""
    m = _AUDIT.match(line)
    if m is None:
        return parse_audit_grammar(line)
    fields = _head(m[1], m[2], m[3], m[4])
    body = m[5]
    pairs = scan_pairs(body, brackets=False, offset=m.start(5))
    if pairs.error is not None:
        return parse_audit_grammar(line)
    body_fields = pairs.fields
    if "msg" in body_fields:
        body_fields["msg"] = _nested_msg(body_fields["msg"])
    merge_fields(fields, body_fields)
    return fields


def parse_audit_grammar(line: str) -> Record:
    """The same record as ``parse_audit``, read with the Lark grammar (the reference)."""
    tree = parse_with("audit", line, "not an audit record")
    node: str | None = None
    tokens: list[str] = []
    body = Fields()
    for child in tree.children:
        if isinstance(child, lark.Token):
            tokens.append(str(child))
        elif child.data == "node":
            node = str(child.children[0])
        else:
            key, *rest = (str(c) for c in child.children)
            if not rest:  # a bare word
                body.add(key, True)
                continue
            raw = rest[1] if len(rest) > 1 else ""
            value: JSONValue = raw[1:-1] if raw[:1] in ('"', "'") else raw
            body.add(key, _nested_msg(value) if key == "msg" else value)
    fields = _head(node, tokens[0], tokens[1], tokens[2])
    merge_fields(fields, body.data)
    return fields


def looks_like_audit(line: str) -> bool:
    """Cheap test for ``auto``."""
    return "msg=audit(" in line and _AUDIT.match(line) is not None


SPECS: tuple[FormatSpec, ...] = (plain("audit", parse_audit, "Linux audit records"),)
