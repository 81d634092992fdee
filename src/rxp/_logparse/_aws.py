"""``aws_alb_log`` and ``aws_vpc_flow_log``: AWS Application Load Balancer access logs and VPC
Flow Logs, as Vector's ``parse_aws_alb_log`` and ``parse_aws_vpc_flow_log`` read them.

ALB: the fields of the access log entry in AWS's order, each after one space; ``-`` is
``null``; the three processing times are floats, the byte counts integers, the status codes,
``matched_rule_priority`` and both timestamps strings as written; the quoted request gives
``request_method``, ``request_url`` and ``request_protocol``; ``target_port_list`` and
``target_status_code_list`` are arrays (empty for ``"-"``); ``traceability_id`` is read when
the line has a ``TID_...`` field there. With ``strict_mode`` (VRL's default) anything after the
known fields is an error; ``strict_mode=false`` ignores fields AWS adds later.

VPC Flow Logs: space-separated values named by ``format`` (VRL's default is the version 2
field list); ``-`` is ``null``; counters, ports, protocol, times, flags and version are
integers. A key that Vector does not know, or one given twice, makes the ``format`` option a
usage error here (VRL fails every line with it).

Each field is one compiled regex (``match`` at a position), so a line costs a few dozen
C-level matches and a broken line names the field where it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeAlias

from .._errors import RxpError
from ._options import Option, Options
from ._records import JSONValue, LineError, Record
from ._spec import FormatSpec, LineParser

__all__ = [
    "SPECS",
    "VPC_DEFAULT_FORMAT",
    "VPC_FIELDS",
    "parse_aws_alb_log",
    "parse_aws_vpc_flow_log",
]

# --- ALB ----------------------------------------------------------------------------------

_I64_MAX = (1 << 63) - 1
_UNESCAPE = re.compile(r"\\(.)", re.S)
_FLOAT_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)\Z")  # what Rust's f64 parse takes

# One value's pattern (one group) for each kind of VRL's readers, after the field's space
_QUOTED = r'"([^"\\]*(?:\\.[^"\\]*)*)"'  # take_quoted1 / until_quote: `\x` is `x`
_ANYTHING = r"([^ ]+)"  # take_anything
_TIME = r"([0-9.:TZ\-]+)"
_HOST = r"([0-9a-f.:\-]+)"
_FLOAT = r"([0-9.\-]+)"
_INT = r"([0-9\-]+)"
# take_maybe_quoted_list: `"-"`, `"v"` or `v`, tried in that order and never revisited
_PORTS = r'(?>("-"|"[0-9a-f.:\-]+"|[0-9a-f.:\-]+))'
_CODES = r'(?>("-"|"[0-9]+"|[0-9]+))'


def _null(text: str) -> str | None:
    return None if text == "-" else text


def _text(raw: str) -> str | None:
    return _null(_UNESCAPE.sub(r"\1", raw) if "\\" in raw else raw)


def _float(text: str) -> float:
    if _FLOAT_TEXT.match(text) is None:
        raise ValueError(text)
    return float(text)


def _int(text: str) -> int:
    value = int(text)  # the pattern leaves digits and `-`: int() fails where Rust's parse does
    if not -_I64_MAX - 1 <= value <= _I64_MAX:
        raise ValueError(text)
    return value


def _listed(raw: str) -> list[JSONValue]:
    if raw == '"-"':
        return []
    return [raw[1:-1] if raw[0] == '"' else raw]


_Convert: TypeAlias = Callable[[str], JSONValue]

#: VRL's fields in order: name, pattern, conversion (``request`` is split in three after)
_ALB: tuple[tuple[str, str, _Convert], ...] = (
    ("timestamp", _TIME, _null),
    ("elb", _ANYTHING, _null),
    ("client_host", _HOST, _null),
    ("target_host", _HOST, _null),
    ("request_processing_time", _FLOAT, _float),
    ("target_processing_time", _FLOAT, _float),
    ("response_processing_time", _FLOAT, _float),
    ("elb_status_code", _INT, _null),
    ("target_status_code", _INT, _null),
    ("received_bytes", _INT, _int),
    ("sent_bytes", _INT, _int),
    ("request", _QUOTED, _text),
    ("user_agent", _QUOTED, _text),
    ("ssl_cipher", _ANYTHING, _null),
    ("ssl_protocol", _ANYTHING, _null),
    ("target_group_arn", _ANYTHING, _null),
    ("trace_id", _QUOTED, _text),
    ("domain_name", _QUOTED, _text),
    ("chosen_cert_arn", _QUOTED, _text),
    ("matched_rule_priority", _INT, _null),
    ("request_creation_time", _TIME, _null),
    ("actions_executed", _QUOTED, _text),
    ("redirect_url", _QUOTED, _text),
    ("error_reason", _QUOTED, _text),
    ("target_port_list", _PORTS, _listed),
    ("target_status_code_list", _CODES, _listed),
    ("classification", _QUOTED, _text),
    ("classification_reason", _QUOTED, _text),
)
_TYPE = re.compile(r"([a-z0-9]+)")
_STEPS = tuple((name, re.compile(" " + pattern, re.S), convert) for name, pattern, convert in _ALB)
_TID = r"(?>(?: (TID_[^ ]*))?)"
# the whole entry in one match: the common case costs one regex call
_ALB_LINE = re.compile(_TYPE.pattern + "".join(" " + p for _, p, _ in _ALB) + _TID, re.S)


def _fail(name: str, line: str, pos: int, fields: Record) -> LineError:
    """The error for field ``name``, at its first character (after its leading space)."""
    column = pos + (2 if line.startswith(" ", pos) else 1)
    return LineError(f"failed to get field `{name}`", column, fields)


def _put(fields: Record, name: str, value: JSONValue, line: str, pos: int) -> None:
    if name != "request":
        fields[name] = value
        return
    # VRL: method up to the first space, protocol after the last one, the url between
    method, space, rest = str(value).partition(" ") if value is not None else ("-", "", "")
    fields["request_method"] = _null(method)
    if not space:
        raise _fail("request_url", line, pos, fields)
    url, space, protocol = rest.rpartition(" ")
    fields["request_protocol"] = _null(protocol)
    if not space:
        raise _fail("request_url", line, pos, fields)
    fields["request_url"] = url


_REQUEST = 1 + [name for name, _, _ in _ALB].index("request")
_PLAN = tuple((i + 1, name, convert) for i, (name, _, convert) in enumerate(_ALB))
_BEFORE, _AFTER = _PLAN[: _REQUEST - 1], _PLAN[_REQUEST:]


def _fast(m: re.Match[str], line: str) -> Record:
    """The fields from one match of ``_ALB_LINE``; ``ValueError`` for a number Rust would not
    read (the step-wise reader then says which)."""
    g = m.groups()
    fields: Record = {"type": g[0]}
    for i, name, convert in _BEFORE:
        fields[name] = convert(g[i])
    _put(fields, "request", _text(g[_REQUEST]), line, 0)
    for i, name, convert in _AFTER:
        fields[name] = convert(g[i])
    fields["traceability_id"] = g[-1]
    return fields


def _stepwise(line: str) -> tuple[Record, int]:
    """VRL's reader one field at a time, to say where a line breaks; returns the fields and
    where they end."""
    fields: Record = {}
    m = _TYPE.match(line)
    if m is None:
        raise _fail("type", line, 0, fields)
    fields["type"] = m.group(1)
    pos = m.end()
    for name, pattern, convert in _STEPS:
        m = pattern.match(line, pos)
        try:
            value = convert(m.group(1)) if m is not None else None
        except ValueError:
            m = None
        if m is None:
            raise _fail(name, line, pos, fields)
        _put(fields, name, value, line, pos)
        pos = m.end()
    tid = None
    if line.startswith(" TID_", pos):
        end = line.find(" ", pos + 1)
        end = len(line) if end < 0 else end
        tid, pos = line[pos + 1 : end], end
    fields["traceability_id"] = tid
    return fields, pos


def parse_aws_alb_log(line: str, strict_mode: bool = True) -> Record:
    """An ALB access log entry as VRL's ``parse_aws_alb_log`` reads it; raises ``LineError``
    naming the field where the line stops being one."""
    m = _ALB_LINE.match(line)
    if m is not None and (m.end() == len(line) or not strict_mode):
        try:
            return _fast(m, line)
        except (ValueError, LineError):
            pass
    fields, pos = _stepwise(line)
    if pos < len(line) and strict_mode:
        raise LineError(f"log should be fully consumed: {line[pos:][:40]!r}", pos + 1, fields)
    return fields


# --- VPC Flow Logs ------------------------------------------------------------------------

#: Vector's fields: True for the integer ones.
VPC_FIELDS: dict[str, bool] = {
    **dict.fromkeys(
        [
            "account_id",
            "action",
            "asg_tag",
            "asg_tag_2",
            "az_id",
            "dstaddr",
            "ecs_cluster_arn",
            "ecs_cluster_name",
            "ecs_container_id",
            "ecs_container_instance_arn",
            "ecs_container_instance_id",
            "ecs_second_container_id",
            "ecs_service_name",
            "ecs_task_arn",
            "ecs_task_definition_arn",
            "ecs_task_id",
            "flow_direction",
            "instance_id",
            "instance_tag",
            "instance_tag_2",
            "interface_id",
            "interface_tag",
            "interface_tag_2",
            "interface_type",
            "log_status",
            "next_hop_az_id",
            "next_hop_interface_id",
            "next_hop_interface_type",
            "next_hop_subnet_id",
            "next_hop_vpc_id",
            "pkt_dstaddr",
            "pkt_dst_aws_service",
            "pkt_srcaddr",
            "pkt_src_aws_service",
            "region",
            "reject_reason",
            "resource_id",
            "srcaddr",
            "sublocation_id",
            "sublocation_type",
            "subnet_id",
            "type",
            "vpc_id",
        ],
        False,
    ),
    **dict.fromkeys(
        [
            "bytes",
            "dstport",
            "encryption_status",
            "end",
            "packets",
            "protocol",
            "srcport",
            "start",
            "tcp_flags",
            "traffic_path",
            "version",
        ],
        True,
    ),
}
VPC_DEFAULT_FORMAT = (
    "version account_id interface_id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log_status"
)
_RUST_I64 = re.compile(r"[+-]?[0-9]+\Z")


def vpc_format(text: str) -> tuple[tuple[str, bool], ...]:
    """The checked field list of a ``format``; ``RxpError`` for a key Vector does not know
    (or one given twice), which would fail every line."""
    keys = text.split(" ")
    for i, key in enumerate(keys):
        if key not in VPC_FIELDS:
            valid = " ".join(sorted(VPC_FIELDS))
            raise RxpError(
                f"format aws_vpc_flow_log: option format has an unknown key {key!r} "
                f"(keys are separated by one space; valid: {valid})"
            )
        if key in keys[:i]:
            raise RxpError(f"format aws_vpc_flow_log: option format names {key!r} twice")
    return tuple((key, VPC_FIELDS[key]) for key in keys)


_DEFAULT_KEYS = vpc_format(VPC_DEFAULT_FORMAT)


def parse_aws_vpc_flow_log(line: str, keys: tuple[tuple[str, bool], ...] = _DEFAULT_KEYS) -> Record:
    """A flow log record as VRL's ``parse_aws_vpc_flow_log`` reads it, its values named by
    ``keys`` (from ``vpc_format``); raises ``LineError`` at the value that breaks it."""
    values = line.split(" ")
    fields: Record = {}
    column = 1
    for (key, integer), value in zip(keys, values, strict=False):
        if value == "-":
            fields[key] = None
        elif integer:
            if _RUST_I64.match(value) is None or not -_I64_MAX - 1 <= int(value) <= _I64_MAX:
                raise LineError(
                    f"failed to parse value as i64 (key: `{key}`): `{value}`", column, fields
                )
            fields[key] = int(value)
        else:
            fields[key] = value
        column += len(value) + 1
    if len(values) > len(keys):
        extra = values[len(keys)]
        raise LineError(f"no key for value: `{extra}`", column, fields)
    if len(values) < len(keys):
        raise LineError(f"no item for key: `{keys[len(values)][0]}`", len(line) + 1, fields)
    return fields


# --- specs --------------------------------------------------------------------------------


def _alb(options: Options) -> LineParser:
    strict = bool(options["strict_mode"])

    def run(line: str) -> tuple[Record, str]:
        return parse_aws_alb_log(line, strict), "aws_alb_log"

    return run


def _vpc(options: Options) -> LineParser:
    text = options["format"]
    keys = _DEFAULT_KEYS if text is None else vpc_format(str(text))

    def run(line: str) -> tuple[Record, str]:
        return parse_aws_vpc_flow_log(line, keys), "aws_vpc_flow_log"

    return run


SPECS: tuple[FormatSpec, ...] = (
    FormatSpec(
        "aws_alb_log",
        _alb,
        (Option("strict_mode", "bool", True, help="fields after the known ones are an error"),),
        summary="AWS Application Load Balancer access log (Vector parse_aws_alb_log)",
    ),
    FormatSpec(
        "aws_vpc_flow_log",
        _vpc,
        (Option("format", "str", None, help="the space-separated field names of the records"),),
        summary="AWS VPC Flow Logs (Vector parse_aws_vpc_flow_log)",
    ),
)
