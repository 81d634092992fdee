"""aws_alb_log, aws_vpc_flow_log, klog, glog and cef: generate the fields, render a line the
way the writer (AWS, klog/glog, an ArcSight connector) does, and parse it back; plus the
options rxp keeps for its older readings and the usage errors of a bad option."""

from __future__ import annotations

import json
import string
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import RxpError, parse_line
from rxp._logparse._aws import VPC_DEFAULT_FORMAT, VPC_FIELDS
from rxp._logparse._cef import HEADER, _pairs_linear, _pairs_regex
from rxp._logparse._time import to_rfc3339
from tests.helpers import run_rxp
from tests.logparse.helpers import fields

SETTINGS = settings(max_examples=120, deadline=None)


# --- aws_alb_log --------------------------------------------------------------------------

token = st.text(alphabet=string.ascii_letters + string.digits + "-_/:.", min_size=1, max_size=12)
free_text = st.text(alphabet=string.ascii_letters + ' "\\/-=;()', max_size=16)
host = st.builds(
    "{}.{}.{}.{}:{}".format, *[st.integers(0, 255)] * 4, st.integers(1, 65535)
) | st.just("-")
stamp = st.datetimes(datetime(2000, 1, 1), datetime(2099, 1, 1)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
)
seconds = st.sampled_from([-1.0, 0.0]) | st.floats(0, 100).map(lambda f: round(f, 3))
status = st.from_regex(r"\A[1-5][0-9][0-9]\Z") | st.just("-")


def quoted(value: str | None) -> str:
    """An ALB quoted field: `\\` and `"` escaped with a backslash, null as `"-"`."""
    if value is None:
        return '"-"'
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bare(value: str | None) -> str:
    return "-" if value is None else value


alb_entries = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["http", "https", "h2", "ws", "wss", "grpcs"]),
        "timestamp": stamp,
        "elb": token.filter(lambda t: t != "-"),
        "client_host": host.filter(lambda h: h != "-"),
        "target_host": host,
        "request_processing_time": seconds,
        "target_processing_time": seconds,
        "response_processing_time": seconds,
        "elb_status_code": status,
        "target_status_code": status,
        "received_bytes": st.integers(0, 2**40),
        "sent_bytes": st.integers(0, 2**40),
        "request_method": st.sampled_from(["GET", "POST", "DELETE"]),
        "request_url": st.from_regex(r"\Ahttps?://[a-z.]{1,12}:[0-9]{2,3}/[a-z/?=&]{0,12}\Z"),
        "request_protocol": st.sampled_from(["HTTP/1.1", "HTTP/2.0"]),
        "user_agent": st.none() | free_text.filter(lambda t: t != "-"),
        "ssl_cipher": st.none() | token.filter(lambda t: t != "-"),
        "ssl_protocol": st.none() | st.sampled_from(["TLSv1.2", "TLSv1.3"]),
        "target_group_arn": st.none() | token.filter(lambda t: t != "-"),
        "trace_id": st.none() | token.filter(lambda t: t != "-"),
        "domain_name": st.none() | token.filter(lambda t: t != "-"),
        "chosen_cert_arn": st.none() | token.filter(lambda t: t != "-"),
        "matched_rule_priority": st.none() | st.integers(0, 50000).map(str),
        "request_creation_time": stamp,
        "actions_executed": st.none() | st.sampled_from(["forward", "waf,forward", "redirect"]),
        "redirect_url": st.none() | token.filter(lambda t: t != "-"),
        "error_reason": st.none() | st.sampled_from(["LambdaInvalidResponse", "TargetTimeout"]),
        "target_port_list": st.lists(host.filter(lambda h: h != "-"), max_size=1),
        "target_status_code_list": st.lists(st.from_regex(r"\A[1-5][0-9][0-9]\Z"), max_size=1),
        "classification": st.none() | st.sampled_from(["Acceptable", "Ambiguous"]),
        "classification_reason": st.none() | token.filter(lambda t: t != "-"),
        "traceability_id": st.none() | st.from_regex(r"\ATID_[0-9a-f]{8,32}\Z"),
    }
)


def render_alb(e: dict[str, Any]) -> str:
    def num(value: float) -> str:
        return "-1" if value == -1 else f"{value:.3f}"

    def listed(values: list[str]) -> str:
        return '"-"' if not values else f'"{values[0]}"'

    parts = [
        e["type"], e["timestamp"], e["elb"], e["client_host"], e["target_host"],
        num(e["request_processing_time"]), num(e["target_processing_time"]),
        num(e["response_processing_time"]), e["elb_status_code"], e["target_status_code"],
        str(e["received_bytes"]), str(e["sent_bytes"]),
        quoted(f"{e['request_method']} {e['request_url']} {e['request_protocol']}"),
        quoted(e["user_agent"]), bare(e["ssl_cipher"]), bare(e["ssl_protocol"]),
        bare(e["target_group_arn"]), quoted(e["trace_id"]), quoted(e["domain_name"]),
        quoted(e["chosen_cert_arn"]), bare(e["matched_rule_priority"]),
        e["request_creation_time"], quoted(e["actions_executed"]), quoted(e["redirect_url"]),
        quoted(e["error_reason"]), listed(e["target_port_list"]),
        listed(e["target_status_code_list"]), quoted(e["classification"]),
        quoted(e["classification_reason"]),
    ]  # fmt: skip
    if e["traceability_id"] is not None:
        parts.append(e["traceability_id"])
    return " ".join(parts)


@SETTINGS
@given(alb_entries)
def test_alb_entry_round_trips(entry: dict[str, Any]) -> None:
    record = parse_line(render_alb(entry), format="aws_alb_log")
    want = dict(entry)
    for key in ("target_host", "elb_status_code", "target_status_code"):
        want[key] = None if entry[key] == "-" else entry[key]
    assert fields(record) == want


@SETTINGS
@given(alb_entries, st.lists(st.sampled_from(['"-"', "x", '"new field"']), min_size=1))
def test_alb_fields_added_later_need_strict_mode_false(entry, extra) -> None:
    line = render_alb(entry) + " " + " ".join(extra)
    assert "_error" in parse_line(line, format="aws_alb_log")
    loose = parse_line(line, format="aws_alb_log", options={"strict_mode": False})
    assert "_error" not in loose
    assert fields(loose) == fields(parse_line(render_alb(entry), format="aws_alb_log"))


def test_alb_broken_line_names_the_field() -> None:
    line = "http 2018-11-30T22:23:00.186641Z app/x 1.2.3.4:5 - zero"
    record = parse_line(line, format="aws_alb_log")
    assert record["_error"] == "failed to get field `request_processing_time` at column 52"
    assert record["type"] == "http"  # what was read before the break is kept


# --- aws_vpc_flow_log ---------------------------------------------------------------------

INTEGER_KEYS = sorted(k for k, integer in VPC_FIELDS.items() if integer)
TEXT_KEYS = sorted(k for k, integer in VPC_FIELDS.items() if not integer)


@st.composite
def flow_records(draw: Any) -> tuple[str, dict[str, Any]]:
    keys = draw(st.lists(st.sampled_from(sorted(VPC_FIELDS)), min_size=1, unique=True))
    record: dict[str, Any] = {}
    for key in keys:
        if draw(st.integers(0, 5)) == 0:
            record[key] = None
        elif VPC_FIELDS[key]:
            record[key] = draw(st.integers(-(2**63), 2**63 - 1))
        else:
            record[key] = draw(token.filter(lambda t: t != "-"))
    return " ".join(keys), record


@SETTINGS
@given(flow_records())
def test_flow_log_record_round_trips(case: tuple[str, dict[str, Any]]) -> None:
    format_, want = case
    line = " ".join("-" if v is None else str(v) for v in want.values())
    options = None if format_ == VPC_DEFAULT_FORMAT else {"format": format_}
    assert fields(parse_line(line, format="aws_vpc_flow_log", options=options)) == want


# The lines of VRL's `parse_aws_vpc_flow_log` unit test (see the file's `source`)
VRL_FLOW_LOGS: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "fixtures" / "vrl_vpc_flow_logs.json").read_text("utf-8")
)["formats"]


@pytest.mark.parametrize("format_", list(VRL_FLOW_LOGS))
def test_vrl_flow_log_examples_parse(format_: str) -> None:
    for line in VRL_FLOW_LOGS[format_]:
        record = parse_line(line, format="aws_vpc_flow_log", options={"format": format_})
        assert "_error" not in record, record
        assert len(fields(record)) == len(format_.split(" "))


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("2 123 eni-1", "no item for key: `srcaddr` at column 12"),
        ("x 123", "failed to parse value as i64 (key: `version`): `x` at column 1"),
        ("2 " * 14 + "extra", "no key for value: `extra` at column 29"),
    ],
)
def test_flow_log_errors_say_which_value(line: str, error: str) -> None:
    record = parse_line(line.replace("2 2 2", "2 2 2"), format="aws_vpc_flow_log")
    assert record["_error"] == error


def test_an_unknown_flow_log_key_is_a_usage_error() -> None:
    with pytest.raises(RxpError, match="unknown key 'srcadr'"):
        parse_line("1", format="aws_vpc_flow_log", options={"format": "version srcadr"})
    proc = run_rxp(
        "parse", "--format", "aws_vpc_flow_log", "--option", "format=version version",
        stdin=b"1 1\n",
    )  # fmt: skip
    assert proc.returncode == 2
    assert "twice" in proc.stderr.decode()


# --- klog / glog --------------------------------------------------------------------------

moments = st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)).filter(
    lambda d: (d.month, d.day) != (2, 29)
)
messages = st.text(alphabet=string.ascii_letters + string.digits + ' "=:.[]/-', max_size=30)


@SETTINGS
@given(st.sampled_from("IWEF"), moments, st.integers(0, 10**9), st.integers(0, 99999), messages)
def test_glog_line_round_trips(level, when, tid, line, msg) -> None:
    text = f"{level}{when:%Y%m%d %H:%M:%S.%f} {tid:>5} dir/main.c++:{line}] {msg}"
    record = parse_line(text, format="glog")
    assert fields(record) == {
        "level": {"I": "info", "W": "warning", "E": "error", "F": "fatal"}[level],
        "timestamp": to_rfc3339(when.replace(tzinfo=UTC)),
        "id": tid,
        "file": "dir/main.c++",
        "line": line,
        "message": msg.rstrip(),
    }


@SETTINGS
@given(moments, messages)
def test_klog_line_gets_the_current_year(when, msg) -> None:
    text = f"E{when:%m%d %H:%M:%S.%f} 7 a.go:1] {msg}"
    record = parse_line(text, format="klog")
    now = datetime.now(UTC)
    year = now.year - 1 if (now.month, when.month) == (1, 12) else now.year
    assert record["timestamp"] == to_rfc3339(when.replace(year=year, tzinfo=UTC))
    assert record["message"] == msg.rstrip()
    assert parse_line(text, format="glog")["_error"] == (
        "not a glog line: the date has no year: a klog line? at column 2"
    )


def test_klog_options_bring_back_the_older_reading(zone) -> None:
    line = 'I1025 00:15:15.525108       1 c.go:116] "Pod status updated" pod="kube-system/dns"'
    old = parse_line(line, format="klog", options={"keep_timestamp": True, "structured": True})
    assert fields(old) == {
        "level": "info",
        "timestamp": "1025 00:15:15.525108",
        "id": 1,
        "file": "c.go",
        "line": 116,
        "message": "Pod status updated",
        "pod": "kube-system/dns",
    }
    zone("America/New_York")  # EDT in October: UTC-4
    assert parse_line(line, format="klog")["timestamp"].endswith("-10-25T00:15:15.525108Z")
    local = parse_line(line, format="klog", options={"local_time": True})
    assert local["timestamp"].endswith("-10-25T04:15:15.525108Z")


def test_klog_errors_and_auto() -> None:
    assert parse_line("I0505 17:59:40.69 1 a.go:1] m", format="klog")["_error"] == (
        "not a klog line: unexpected '17' at column 7"  # the time needs six fraction digits
    )
    glog = parse_line("W20240229 01:02:03.000004 9 x.cc:3] leap day")
    assert (glog["_format"], glog["timestamp"]) == ("glog", "2024-02-29T01:02:03.000004Z")
    assert parse_line("I0505 17:59:40.692994 1 a.go:1] m")["_format"] == "klog"


# --- cef ----------------------------------------------------------------------------------

header_text = st.text(alphabet=string.ascii_letters + " |\\.=", max_size=10).filter(
    lambda h: h.strip() == h and not (len(h) >= 2 and h[0] == h[-1] == '"')
)
ext_key = st.text(alphabet=string.ascii_letters + string.digits + "_.", min_size=1, max_size=8)
ext_value = st.text(alphabet=string.ascii_letters + "|\\= .\n:/", max_size=12).filter(
    lambda v: v.rstrip(" |") == v and not v.startswith(" ")
)


def cef_header(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def cef_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace("=", "\\=").replace("\n", "\\n")


@SETTINGS
@given(
    st.sampled_from(["0", "1"]),
    st.lists(header_text, min_size=6, max_size=6),
    st.dictionaries(ext_key.filter(lambda k: k not in HEADER), ext_value, max_size=5),
    st.sampled_from(["", "Sep 29 08:26:10 host ", "<13>"]),
)
def test_cef_record_round_trips(version, header, ext, prefix) -> None:
    # (an empty version would not do: VRL's header reader then takes the `|` after `CEF:` as
    # the separator before the version, and the record comes out one field short)
    header = [version, *header]
    line = prefix + "CEF:" + "|".join(cef_header(h) for h in header) + "|"
    line += " ".join(f"{k}={cef_value(v)}" for k, v in ext.items())
    record = parse_line(line, format="cef")
    assert fields(record) == {**dict(zip(HEADER, header, strict=True)), **ext}
    kept = parse_line(line, format="cef", options={"keep_prefix": True})
    assert kept.get("prefix") == (prefix.strip() or None)


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["cs1", "cs6", "cn2", "cfp1", "c6a3", "flexString2", "deviceCustomDate1"]),
        st.tuples(st.from_regex(r"\A[A-Z][a-z]{0,6}( [A-Z][a-z]{0,6})?\Z"), ext_value),
        max_size=4,
    )
)
def test_cef_custom_fields_translate_to_their_labels(custom) -> None:
    labels = {label for label, _ in custom.values()}
    pairs = [f"{k}={cef_value(v)} {k}Label={label}" for k, (label, v) in custom.items()]
    line = "CEF:0|v|p|1|id|n|5|src=1.1.1.1 " + " ".join(pairs)
    record = parse_line(line, format="cef", options={"translate_custom_fields": True})
    got = fields(record)
    assert got["src"] == "1.1.1.1"
    if len(labels) == len(custom):  # two custom fields with one label: VRL keeps either
        assert {label: got[label] for label, _ in custom.values()} == {
            label: value for label, value in custom.values()
        }
    assert not set(custom) & set(got)


def test_cef_rules_vrl_has_that_rxp_did_not() -> None:
    line = r"CEF:0|v|p|1|id|n|5|name=ext a=x\r y|b=2 c==3"
    record = parse_line(line, format="cef")
    assert record["_error"] == (
        "not a CEF record: '=' is not part of a key=value pair (could not parse the whole line)"
        " at column 43"
    )
    loose = parse_line(line, format="cef", options={"strict": False})
    assert fields(loose)["name"] == "n"  # the header wins over an extension key
    # `\r` is a newline; a key may hold `|` (VRL's key stops only at space, `=`, backslash)
    assert (loose["a"], loose["y|b"], loose["c"]) == ("x\n", "2", "=3")
    assert parse_line("CEF:0|a|b|c|d|e|f\\x|", format="cef")["_error"] == (
        "not a CEF record: the escape \\x in the header at column 18"
    )
    missing = parse_line(
        "CEF:0|v|p|1|id|n|5|cs1=x", format="cef", options={"translate_custom_fields": True}
    )
    assert missing["_error"] == "custom field with missing label or value at column 20"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab |=\\\n", max_size=40), st.booleans())
def test_cef_linear_extension_reader_agrees_with_the_regex_one(ext, strict) -> None:
    """Long lines take the linear reader; on any text both say the same."""
    line = "CEF:0|v|p|1|id|n|5|" + ext
    pos = line.index("|5|") + 2
    assert _pairs_linear(line, pos, strict) == _pairs_regex(line, pos, strict)


@pytest.mark.parametrize("hostile", ["k=" + " " * 1_000_000 + "x", "k=" + "a|" * 500_000])
def test_a_hostile_cef_line_is_read_in_linear_time(hostile: str) -> None:
    start = time.perf_counter()
    record = parse_line("CEF:0|v|p|1|id|n|5|" + hostile, format="cef")
    assert time.perf_counter() - start < 5  # a guard against quadratic time, not a benchmark
    assert record["k"] == hostile[2:].rstrip(" ")
