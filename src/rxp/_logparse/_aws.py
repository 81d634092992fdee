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

_QUOTED = re.compile(r' "((?:[^"\\]|\\.)*)"', re.S)  # VRL's until_quote: `\x` is `x`
_UNESCAPE = re.compile(r"\\(.)", re.S)
_ANYTHING = re.compile(r" ([^ ]+)")


def _chars(cls: str) -> re.Pattern[str]:
    return re.compile(rf" ([{cls}]+)")


_TIME = _chars(r"0-9.:TZ\-")
_HOST = _chars(r"0-9a-f.:\-")
_FLOAT = _chars(r"0-9.\-")
_INT = _chars(r"0-9\-")
_TYPE = re.compile(r"[a-z0-9]+")
_FLOAT_TEXT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)\Z")  # what Rust's f64 parse takes
_I64_MAX = (1 << 63) - 1


def _null(text: str) -> str | None:
    return None if text == "-" else text


def _quoted(line: str, pos: int) -> tuple[str, int] | None:
    m = _QUOTED.match(line, pos)
    if m is None:
        return None
    text = m.group(1)
    return (_UNESCAPE.sub(r"\1", text) if "\\" in text else text), m.end()


def _list(cls: str) -> Callable[[str, int], tuple[JSONValue, int] | None]:
    """VRL's take_maybe_quoted_list: ``"-"`` -> ``[]``, ``"v"`` or ``v`` -> ``[v]``."""
    quoted = re.compile(rf' "([{cls}]+)"')
    bare = re.compile(rf" ([{cls}]+)")

    def read(line: str, pos: int) -> tuple[JSONValue, int] | None:
        if line.startswith(' "-"', pos):
            return [], pos + 4
        m = quoted.match(line, pos) or bare.match(line, pos)
        return ([m.group(1)], m.end()) if m else None

    return read


def _field(
    pattern: re.Pattern[str], convert: Callable[[str], JSONValue] = _null
) -> Callable[[str, int], tuple[JSONValue, int] | None]:
    def read(line: str, pos: int) -> tuple[JSONValue, int] | None:
        m = pattern.match(line, pos)
        if m is None:
            return None
        return convert(m.group(1)), m.end()

    return read


def _float(text: str) -> float:
    if _FLOAT_TEXT.match(text) is None:
        raise ValueError(text)
    return float(text)


def _int(text: str) -> int:
    value = int(text)  # the pattern leaves digits and `-`: int() fails where Rust's parse does
    if not -_I64_MAX - 1 <= value <= _I64_MAX:
        raise ValueError(text)
    return value


def _quoted_field(line: str, pos: int) -> tuple[JSONValue, int] | None:
    found = _quoted(line, pos)
    return None if found is None else (_null(found[0]), found[1])


_Reader: TypeAlias = Callable[[str, int], tuple[JSONValue, int] | None]

_BEFORE_REQUEST: tuple[tuple[str, _Reader], ...] = (
    ("timestamp", _field(_TIME)),
    ("elb", _field(_ANYTHING)),
    ("client_host", _field(_HOST)),
    ("target_host", _field(_HOST)),
    ("request_processing_time", _field(_FLOAT, _float)),
    ("target_processing_time", _field(_FLOAT, _float)),
    ("response_processing_time", _field(_FLOAT, _float)),
    ("elb_status_code", _field(_INT)),
    ("target_status_code", _field(_INT)),
    ("received_bytes", _field(_INT, _int)),
    ("sent_bytes", _field(_INT, _int)),
)
_AFTER_REQUEST: tuple[tuple[str, _Reader], ...] = (
    ("user_agent", _quoted_field),
    ("ssl_cipher", _field(_ANYTHING)),
    ("ssl_protocol", _field(_ANYTHING)),
    ("target_group_arn", _field(_ANYTHING)),
    ("trace_id", _quoted_field),
    ("domain_name", _quoted_field),
    ("chosen_cert_arn", _quoted_field),
    ("matched_rule_priority", _field(_INT)),
    ("request_creation_time", _field(_TIME)),
    ("actions_executed", _quoted_field),
    ("redirect_url", _quoted_field),
    ("error_reason", _quoted_field),
    ("target_port_list", _list(r"0-9a-f.:\-")),
    ("target_status_code_list", _list(r"0-9")),
    ("classification", _quoted_field),
    ("classification_reason", _quoted_field),
)


def _fail(name: str, pos: int, fields: Record) -> LineError:
    return LineError(f"failed to get field `{name}`", pos + 1, fields)


def _read_fields(
    line: str, pos: int, readers: tuple[tuple[str, _Reader], ...], fields: Record
) -> int:
    for name, read in readers:
        try:
            found = read(line, pos)
        except ValueError:
            found = None
        if found is None:
            raise _fail(name, pos, fields)
        fields[name], pos = found
    return pos


def parse_aws_alb_log(line: str, strict_mode: bool = True) -> Record:
    """An ALB access log entry as VRL's ``parse_aws_alb_log`` reads it; raises ``LineError``
    naming the field where the line stops being one."""
    fields: Record = {}
    m = _TYPE.match(line)
    if m is None:
        raise _fail("type", 0, fields)
    fields["type"] = _null(m.group())
    pos = _read_fields(line, m.end(), _BEFORE_REQUEST, fields)
    found = _quoted(line, pos)
    if found is None:
        raise _fail("request", pos, fields)
    request, end = found
    method, space, rest = request.partition(" ")
    fields["request_method"] = _null(method)
    if not space:
        raise _fail("request_url", pos, fields)
    url, space, protocol = rest.rpartition(" ")
    fields["request_protocol"] = _null(protocol)
    if not space:
        raise _fail("request_url", pos, fields)
    fields["request_url"] = url
    pos = _read_fields(line, end, _AFTER_REQUEST, fields)
    tid = None
    if line.startswith(" TID_", pos):
        m = _ANYTHING.match(line, pos)
        assert m is not None
        tid, pos = m.group(1), m.end()
    fields["traceability_id"] = tid
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
