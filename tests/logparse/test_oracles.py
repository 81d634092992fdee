"""rxp parse against oracles: Python's json, the logfmt package from PyPI, round trips
through encoders written here from the specs, and each format's regex fast path against its
Lark grammar (the reference) on generated lines."""

from __future__ import annotations

import json
import re
import string
from datetime import UTC, datetime, timedelta, timezone

import logfmt
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import parse_line
from rxp._logparse._audit import parse_audit, parse_audit_grammar
from rxp._logparse._cef import parse_cef, parse_cef_grammar
from rxp._logparse._klog import parse_glog, parse_klog, parse_klog_grammar
from rxp._logparse._logfmt import parse_kv, parse_kv_grammar
from rxp._logparse._records import LineError, safe_key
from rxp._logparse._syslog import FACILITIES, SEVERITIES
from tests.logparse.helpers import fields

SETTINGS = settings(max_examples=150, deadline=None)


# --- json: Python's json is the oracle ----------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)
key_text = st.text(alphabet=string.ascii_letters + "_", min_size=1, max_size=6).filter(
    lambda k: k.lstrip("_") not in {"line", "format", "error", "raw"}  # renamed: tested apart
)
objects = st.dictionaries(key_text, json_values, min_size=1, max_size=5)
prefix_text = st.text(alphabet=string.ascii_letters + " :-.0123456789", max_size=20)


@SETTINGS
@given(objects, prefix_text, prefix_text, st.booleans())
def test_json_anywhere_in_the_line_decodes_as_json_loads(obj, prefix, suffix, compact):
    text = json.dumps(obj, separators=(",", ":") if compact else None)
    record = parse_line(f"{prefix} {text} {suffix}", format="json", options={"embedded": True})
    expect = dict(obj)
    if prefix.strip():
        expect["json_prefix" if "prefix" in obj else "prefix"] = prefix.strip()
    if suffix.strip():
        expect["json_suffix" if "suffix" in obj else "suffix"] = suffix.strip()
    assert "_error" not in record
    assert fields(record) == expect


@SETTINGS
@given(objects)
def test_auto_decodes_a_journal_message_that_is_json_as_json_loads(obj):
    line = "2024-01-15T00:00:01+0000 host app[1]: " + json.dumps(obj)
    record = parse_line(line)
    assert record["_format"] == "journal+json"
    prefix = {
        "timestamp": "2024-01-15T00:00:01+0000",
        "hostname": "host",
        "appname": "app",
        "procid": 1,
        "message": json.dumps(obj),
    }
    expect = dict(prefix)
    for key, value in obj.items():
        expect[safe_key(f"message.{key}" if key in prefix else key)] = value
    assert fields(record) == expect


# --- logfmt: the logfmt package (PyPI) on the subset it reads correctly -------------------

lf_keys = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8)
lf_bare_values = st.text(
    alphabet=string.ascii_letters + string.digits + "./:-_", min_size=1, max_size=10
)
lf_quoted_values = st.text(
    alphabet=string.ascii_letters + string.digits + " .,:;=[]{}()'-", min_size=1, max_size=12
)


@SETTINGS
@given(
    st.dictionaries(
        lf_keys, st.tuples(st.booleans(), lf_bare_values, lf_quoted_values), min_size=1, max_size=6
    )
)
def test_logfmt_agrees_with_the_logfmt_package(pairs):
    parts = [f'{k}="{q}"' if quoted else f"{k}={b}" for k, (quoted, b, q) in pairs.items()]
    line = " ".join(parts)
    record = parse_line(line, format="logfmt")
    assert "_error" not in record
    assert fields(record) == logfmt.parse_line(line)


# --- logfmt: round trip through an encoder written from VRL's encode_key_value rules -------
# (quote a value holding whitespace, `"` or `=`, escaping `\\`, `"` and a newline; also
# quote the empty value, one holding a backslash, and one that starts with a quote, which
# VRL's parse_logfmt would otherwise read differently: `a= b=1` is a="b=1" when lenient)

any_value = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def encode_logfmt(pairs: dict[str, str]) -> str:
    out = []
    for key, value in pairs.items():
        quote = value == "" or value[0] in "'\"" or "\\" in value
        if quote or any(c.isspace() or c in '"=' for c in value):
            escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            value = f'"{escaped}"'
        out.append(f"{key}={value}")
    return " ".join(out)


@SETTINGS
@given(st.dictionaries(lf_keys, any_value, min_size=1, max_size=6))
def test_logfmt_round_trips_quoted_and_escaped_values(pairs):
    record = parse_line(encode_logfmt(pairs), format="logfmt")
    assert "_error" not in record
    assert fields(record) == pairs


# --- syslog: RFC 5424 lines built from the ABNF, SD values escaped as section 6.3.3 says ----
# (read as VRL's syslog_loose does: the timestamp in UTC, the message stripped of the spaces
# around it, a PROCID that reads as an i32 an integer; Python's datetime is the time oracle)

print_ascii = st.text(alphabet=[chr(c) for c in range(33, 127)], min_size=1, max_size=10)
header_words = print_ascii.filter(lambda s: s not in ("-", ":") and not s.endswith(":"))
sd_names = st.text(alphabet=string.ascii_letters + string.digits + "@.", min_size=1, max_size=8)
param_values = st.text(alphabet=string.ascii_letters + ' "\\]=[é', max_size=10)
timestamps = st.builds(
    lambda moment, digits, zone: moment.isoformat(timespec=digits).replace("+00:00", zone),
    st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(2999, 12, 30),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7, minutes=-30))]),
    ),
    st.sampled_from(["seconds", "milliseconds", "microseconds"]),
    st.sampled_from(["Z", "+00:00"]),
)


def escape_sd(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def i32_or_text(word: str) -> object:
    """Rust's ``str::parse::<i32>``, else the text (syslog_loose's ProcId)."""
    if re.fullmatch(r"[+-]?[0-9]+", word) and -(2**31) <= int(word) < 2**31:
        return int(word)
    return word


@SETTINGS
@given(
    st.integers(0, 191),
    timestamps,
    st.lists(header_words, min_size=4, max_size=4),
    st.dictionaries(
        sd_names, st.dictionaries(sd_names, param_values, min_size=1, max_size=3), max_size=3
    ),
    st.text(
        alphabet=string.printable.replace("\r", "")
        .replace("\n", "")
        .replace("\x0b", "")
        .replace("\x0c", ""),
        max_size=20,
    ),
)
def test_rfc5424_from_the_abnf_parses_back_to_its_parts(pri, timestamp, header, sd, msg):
    host, app, procid, msgid = header
    elements = "".join(
        "[" + sid + "".join(f' {k}="{escape_sd(v)}"' for k, v in params.items()) + "]"
        for sid, params in sd.items()
    )
    line = f"<{pri}>1 {timestamp} {host} {app} {procid} {msgid} {elements or '-'}"
    if msg:
        line += " " + msg
    record = parse_line(line, format="syslog")
    assert "_error" not in record, record
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(UTC)
    expect: dict[str, object] = {
        "facility": FACILITIES[pri >> 3],
        "severity": SEVERITIES[pri & 7],
        "version": 1,
        "timestamp": moment.isoformat(
            timespec="microseconds"
            if moment.microsecond % 1000
            else "milliseconds"
            if moment.microsecond
            else "seconds"
        ).replace("+00:00", "Z"),
        "hostname": host,
        "appname": app,
        "procid": i32_or_text(procid),
        "msgid": msgid,
        "message": msg.strip(" \t"),
    }
    expect.update({sid: params for sid, params in sd.items()})
    assert fields(record) == expect
    written = parse_line(line, format="syslog", options={"timestamp": "as_written"})
    assert written["timestamp"] == timestamp


# --- klog, cef, audit: regex fast path == Lark grammar ------------------------------------

words = st.text(alphabet=string.ascii_letters + string.digits + " .:=/_-", max_size=20)


@SETTINGS
@given(
    st.sampled_from("IWEF"),
    st.booleans(),
    st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)).filter(lambda d: d.month != 2),
    st.integers(0, 10**7),
    st.from_regex(r"\A[a-z_]{1,8}\.go\Z"),
    st.integers(1, 9999),
    words,
)
def test_klog_fast_path_agrees_with_the_grammar(level, glog, when, tid, file, line, msg):
    # klog writes `mmdd`, glog `yyyymmdd` (VRL's parse_klog takes only the first, parse_glog
    # only the second); Feb 29 is left out since klog's year is the current one
    date = when.strftime("%Y%m%d" if glog else "%m%d")
    text = f"{level}{date} {when:%H:%M:%S.%f} {tid:>7} {file}:{line}] {msg}"
    record = (parse_glog if glog else parse_klog)(text)
    assert record == parse_klog_grammar(text)
    assert record["message"] == msg.rstrip()  # VRL trims the message's end


# VRL trims header fields, so the generated ones have no white space at their ends
header_field = st.text(alphabet=string.ascii_letters + " |\\.=", max_size=10).filter(
    lambda h: h.strip() == h
)
# An extension key that names a header field ("name", "severity") loses to the header, as in
# VRL (tests/logparse/test_cloud.py checks it).
CEF_HEADERS = {"cefVersion", "deviceVendor", "deviceProduct", "deviceVersion"}
CEF_HEADERS |= {"deviceEventClassId", "name", "severity"}
ext_key = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=6).filter(
    lambda k: k not in CEF_HEADERS
)
# A value's trailing spaces or `|` would be part of VRL's separator before the next ` key=`
ext_value = st.text(alphabet=string.ascii_letters + "|\\= .", min_size=1, max_size=10).filter(
    lambda v: v.strip() == v and not v.endswith("|")
)


def escape_header(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def escape_ext(value: str) -> str:
    return value.replace("\\", "\\\\").replace("=", "\\=")


@SETTINGS
@given(
    st.lists(header_field, min_size=6, max_size=6),
    st.dictionaries(ext_key, ext_value, max_size=4),
)
def test_cef_escapes_round_trip_and_fast_path_agrees_with_the_grammar(header, ext):
    line = "CEF:0|" + "|".join(escape_header(h) for h in header) + "|"
    line += " ".join(f"{k}={escape_ext(v)}" for k, v in ext.items())
    record = parse_cef(line)
    names = [
        "deviceVendor",
        "deviceProduct",
        "deviceVersion",
        "deviceEventClassId",
        "name",
        "severity",
    ]
    assert [record[n] for n in names] == header
    assert {k: record[k] for k in ext} == ext
    assert record == parse_cef_grammar(line)


@SETTINGS
@given(
    st.from_regex(r"\A[A-Z_]{3,12}\Z"),
    st.dictionaries(
        st.from_regex(r"\A[a-z][a-z0-9_]{0,7}\Z"),
        st.text(alphabet=string.ascii_letters + string.digits + "/:.-", min_size=1, max_size=10),
        max_size=6,
    ),
    st.booleans(),
)
def test_audit_fast_path_agrees_with_the_grammar(type_, pairs, quoted):
    body = " ".join(f'{k}="{v}"' if quoted else f"{k}={v}" for k, v in pairs.items())
    line = f"type={type_} msg=audit(1364481363.243:24287): {body}"
    record = parse_audit(line)
    assert record == parse_audit_grammar(line)
    assert {k: record[k] for k in pairs} == pairs


# --- nested: Java toString built from generated trees -------------------------------------

atoms = st.text(alphabet=string.ascii_letters + string.digits + "._-", min_size=1, max_size=6)
names = st.from_regex(r"\A[A-Z][a-zA-Z]{0,6}\Z")
trees = st.recursive(
    atoms,
    lambda inner: st.tuples(
        names, st.dictionaries(st.from_regex(r"\A[a-z]{1,5}\Z"), inner, min_size=1, max_size=3)
    ),
    max_leaves=10,
)


def render_java(tree: object) -> str:
    if isinstance(tree, str):
        return tree
    name, members = tree  # type: ignore[misc]
    return name + "{" + ", ".join(f"{k}={render_java(v)}" for k, v in members.items()) + "}"


def expected_java(tree: object) -> object:
    if isinstance(tree, str):
        return tree
    name, members = tree  # type: ignore[misc]
    return {name: {k: expected_java(v) for k, v in members.items()}}


@SETTINGS
@given(names, st.dictionaries(st.from_regex(r"\A[a-z]{1,5}\Z"), trees, min_size=1, max_size=3))
def test_java_tostring_nesting_becomes_objects(name, members):
    tree = (name, members)
    record = parse_line(render_java(tree), format="nested")
    assert "_error" not in record
    assert fields(record) == expected_java(tree)


# --- kv: the regex/scanner fast path == grammars/logfmt.lark ----------------------------------

plain = st.text(alphabet=string.ascii_letters + string.digits + "._-", min_size=1, max_size=6)
bracket_values = st.recursive(
    plain
    | plain.map(lambda s: f"'{s}'")
    | st.text(alphabet='ab "\\}]', max_size=6).map(json.dumps),
    lambda inner: (
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
        | st.dictionaries(plain, inner, max_size=3).map(
            lambda d: "{" + ", ".join(f"{k}={v}" for k, v in d.items()) + "}"
        )
        | st.dictionaries(plain, inner, max_size=3).map(
            lambda d: "(" + ", ".join(f"{k}={v}" for k, v in d.items()) + ")"
        )
        | st.tuples(names, st.dictionaries(plain, inner, max_size=2)).map(
            lambda t: t[0] + "{" + ", ".join(f"{k}={v}" for k, v in t[1].items()) + "}"
        )
    ),
    max_leaves=8,
).filter(lambda v: v[:1] in "[{(" or v[:1].isupper())
kv_values = (
    plain
    | st.text(alphabet=string.ascii_letters + ' "\\=[]{}', max_size=8).map(json.dumps)
    | plain.map(lambda s: f"'{s} x'")
    | plain.map(lambda s: f"<{s} <{s}> {s}>")
    | bracket_values
    | st.just("")
)
kv_lines = st.lists(
    st.tuples(
        st.text(alphabet=string.ascii_letters + "@#.:", min_size=1, max_size=5),
        kv_values,
        st.booleans(),
    ),
    min_size=1,
    max_size=5,
).map(lambda pairs: " ".join(k if bare else f"{k}={v}" for k, v, bare in pairs))


@settings(max_examples=200, deadline=None)
@given(kv_lines, st.integers(0, 60))
def test_kv_fast_path_agrees_with_the_grammar(line, cut):
    assert parse_kv(line) == parse_kv_grammar(line)
    truncated = line[: max(1, len(line) - cut)]
    outcomes = []
    for parser in (parse_kv, parse_kv_grammar):
        try:
            outcomes.append(parser(truncated))
        except LineError:
            outcomes.append("error")
    assert outcomes[0] == outcomes[1]
