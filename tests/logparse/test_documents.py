"""``json`` (VRL's whole-value reading, ``max_depth``, ``lossy``, rxp's ``embedded``), the
document formats ``xml``, ``yaml``, ``aws_cloudwatch_log_subscription_message`` and the
``influxdb`` line protocol, against oracles: Python's ``json``, ``yaml.safe_load`` where YAML
1.1 and serde_yaml agree, ``xml.etree`` for the tree, and round trips through text rendered
from generated values. VRL's own cases are in ``vrl/parse_*.json`` (test_vrl_cases.py)."""

from __future__ import annotations

import io
import json
import string
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rxp import RxpError, parse_line, parse_lines, parse_stream
from tests.helpers import run_rxp
from tests.logparse.helpers import META, fields, typed

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
VRL = Path(__file__).parent / "vrl"
DOCUMENT_FORMATS = ("xml", "yaml", "aws_cloudwatch_log_subscription_message")


# --- the VRL tables: a value that is not an object is wrapped under a documented key ------


@pytest.mark.parametrize(
    ("table", "key"),
    [("parse_json", "json"), ("parse_yaml", "yaml"), ("parse_influxdb", "metrics")],
)
def test_a_vrl_value_that_is_not_an_object_is_wrapped_under_its_documented_key(
    table: str, key: str
) -> None:
    cases = json.loads((VRL / f"{table}.json").read_text("utf-8"))["cases"]
    wrapped = [c for c in cases if "wrapped" in c]
    assert wrapped
    for case in wrapped:
        assert case["wrapped"] == key
        assert not isinstance(case["vrl"], dict)
        assert case["want"] == {key: case["vrl"]}


# --- json ---------------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=16,
)


def as_record(value: Any, key: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return {("_" + k if k in META else k): v for k, v in value.items()}
    return {key: value}


@SETTINGS
@given(values, st.booleans())
def test_json_reads_any_json_value_as_json_loads_does(value: Any, compact: bool) -> None:
    text = json.dumps(value, separators=(",", ":") if compact else None)
    record = parse_line(text, format="json")
    assert "_error" not in record, record
    assert typed(fields(record)) == typed(as_record(json.loads(text), "json"))


def _truncated(value: Any, depth: int) -> Any:
    """``value`` with containers below ``depth`` levels as their JSON text (as dumped)."""
    if isinstance(value, dict | list) and depth == 0:
        return json.dumps(value)
    if isinstance(value, dict):
        return {k: _truncated(v, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_truncated(v, depth - 1) for v in value]
    return value


@SETTINGS
@given(values, st.integers(min_value=1, max_value=4))
def test_json_max_depth_keeps_deeper_values_as_their_text(value: Any, depth: int) -> None:
    record = parse_line(json.dumps(value), format="json", options={"max_depth": depth})
    assert "_error" not in record, record
    assert typed(fields(record)) == typed(as_record(_truncated(value, depth), "json"))


def test_json_is_read_as_serde_json_reads_it() -> None:
    assert fields(parse_line('{"n": 18446744073709551615}', format="json")) == {
        "n": 1.8446744073709552e19
    }
    assert fields(parse_line("  [1]  ", format="json")) == {"json": [1]}
    for bad in ("NaN", '{"a": Infinity}', "1e400", "[1] x", "", '{"a": 1,}', "'a'"):
        record = parse_line(bad, format="json")
        assert record["_error"].startswith("invalid JSON"), bad
    ok = "[" * 127 + "]" * 127
    assert "_error" not in parse_line(ok, format="json")
    deep = parse_line("[" * 128 + "]" * 128, format="json")
    assert deep["_error"] == "invalid JSON: recursion limit exceeded at column 128"


def test_json_invalid_utf8_is_no_error_when_lossy_as_vrl_default() -> None:
    """VRL's parse_invalid_utf8_* cases: the bytes 22 f5 22."""
    record = parse_line(b'"\xf5"', format="json")
    assert fields(record) == {"json": "\ufffd"} and "_error" not in record
    assert fields(parse_line(b'"\xf5"', format="json", options={"lossy": True})) == {
        "json": "\ufffd"
    }
    strict = parse_line(b'"\xf5"', format="json", options={"lossy": False})
    assert strict["_error"] == "invalid UTF-8 (byte 0xf5) at column 2"
    assert strict["_raw"] == '"\\xf5"'


def test_json_max_depth_out_of_range_is_a_bad_request() -> None:
    """VRL's invalid_input_max_depth: rxp refuses the option before reading anything."""
    for depth in (0, 129):
        with pytest.raises(RxpError, match="max_depth must be from 1 to 128"):
            parse_line('{"top_layer": "finish"}', format="json", options={"max_depth": depth})
    proc = run_rxp("parse", "--format", "json", "--option", "max_depth=129", stdin=b"{}\n")
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("rxp: error: format json: option max_depth")


def test_json_embedded_keeps_rxps_older_reading_and_auto_is_unchanged() -> None:
    line = 'INFO payload={"a": 1} (3ms)'
    assert "_error" in parse_line(line, format="json")  # VRL: not one JSON value
    assert fields(parse_line(line, format="json", options={"embedded": True})) == {
        "a": 1,
        "prefix": "INFO payload=",
        "suffix": "(3ms)",
    }
    auto = parse_line(line)
    assert auto["_format"] == "json" and fields(auto)["a"] == 1
    with pytest.raises(RxpError, match="does not go with embedded"):
        parse_line("{}", format="json", options={"embedded": True, "max_depth": 2})


# --- xml ----------------------------------------------------------------------------------

names = st.sampled_from(["a", "b", "c", "item", "x-y", "n_1"])
texts = st.text(alphabet=string.ascii_letters + "<>&'\" ", min_size=1, max_size=8).filter(
    lambda t: t.strip() == t and t not in ("true", "false", "null")
)
attrs = st.dictionaries(
    names, st.text(alphabet=string.ascii_letters + '<&" ', max_size=5), max_size=2
)
elements = st.recursive(
    st.tuples(names, attrs, texts.map(lambda t: [t])),
    lambda inner: st.tuples(names, attrs, st.lists(inner, min_size=1, max_size=3)),
    max_leaves=8,
)


def _render(node: Any) -> str:
    name, attributes, children = node
    head = name + "".join(f" {k}={quoteattr(v)}" for k, v in attributes.items())
    body = "".join(escape(c) if isinstance(c, str) else _render(c) for c in children)
    return f"<{head}>{body}</{name}>"


def _reference(element: ET.Element) -> Any:
    """VRL's process_node rules again, over xml.etree's tree (defaults, numbers off)."""
    children = list(element)
    if element.attrib or len(children) + bool(element.text) != 1:
        out: dict[str, Any] = {"@" + k: v for k, v in element.attrib.items()}
        items: list[tuple[str, Any]] = [("text", element.text)] if element.text else []
        items += [(c.tag, _reference(c)) for c in children]
        for key, value in items:
            if key not in out:
                out[key] = value
            elif isinstance(out[key], list):
                out[key].append(value)
            else:
                out[key] = [out[key], value]
        return out
    if children:
        return {children[0].tag: _reference(children[0])}
    return element.text


@SETTINGS
@given(elements)
def test_xml_gives_the_tree_xml_etree_reads(node: Any) -> None:
    text = _render(node)
    root = ET.fromstring(text)
    record = parse_line(text, format="xml", options={"parse_number": False})
    assert "_error" not in record, record
    assert fields(record) == {root.tag: _reference(root)}


def test_xml_reads_namespaces_cdata_and_entities_as_roxmltree_does() -> None:
    doc = '<r xmlns:p="urn:x"><p:a p:k="1">x &amp; <![CDATA[<y>]]></p:a></r>'
    assert fields(parse_line(doc, format="xml")) == {"r": {"a": {"@k": "1", "text": "x & <y>"}}}
    # a comment is a child: two children, so no flattening (text kept under text_key)
    assert fields(parse_line("<a>1<!-- c --></a>", format="xml")) == {"a": {"text": 1}}
    assert fields(
        parse_line("<a><b>-1.5e3</b><b>NaN</b><b>9223372036854775808</b></a>", format="xml")
    ) == {"a": {"b": [-1500.0, 0.0, 9.223372036854776e18]}}
    assert fields(parse_line("<a>inf</a>", format="xml")) == {"a": "inf"}  # JSON has no infinity
    assert fields(parse_line('<a x="1"/>', format="xml", options={"attr_prefix": "_"})) == {
        "a": {"_x": "1"}
    }


def test_xml_billion_laughs_is_an_error_at_once() -> None:
    lol = ['<!ENTITY lol "lol">']
    for i in range(1, 10):
        lol.append(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">')
    doc = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(lol) + "\n]>\n<lolz>&lol9;</lolz>"
    start = time.perf_counter()
    record = parse_line(doc, format="xml")
    assert time.perf_counter() - start < 1.0
    assert record["_error"].startswith("invalid XML: entity declarations are not read")
    assert record["_raw"] == doc


def test_xml_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    for doc in (
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>',
        f'<!DOCTYPE r SYSTEM "file://{secret}"><r>&x;</r>',
        f'<!DOCTYPE r [<!ENTITY % p SYSTEM "file://{secret}"> %p;]><r/>',
    ):
        record = parse_line(doc, format="xml")
        assert "_error" in record, record
        assert "TOP SECRET" not in json.dumps(fields(record))


def test_xml_invalid_utf8_is_read_lossily_as_vrl_does() -> None:
    record = parse_line(b"<a>caf\xe9</a>", format="xml")
    assert fields(record) == {"a": "caf\ufffd"} and "_error" not in record


# --- yaml ---------------------------------------------------------------------------------

words = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=8).filter(
    lambda t: t.strip() == t
)
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | words,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=16,
)


@SETTINGS
@given(yaml_values, st.booleans())
def test_yaml_reads_what_yaml_safe_load_reads_where_yaml_1_1_and_serde_agree(
    value: Any, flow: bool
) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow)
    record = parse_line(text, format="yaml")
    assert "_error" not in record, record
    assert typed(fields(record)) == typed(as_record(yaml.safe_load(text), "yaml"))


def test_yaml_scalars_follow_serde_yaml_not_yaml_1_1() -> None:
    doc = (
        "a: yes\nb: on\nc: 0o17\nd: 0x1f\ne: 1_000\nf: 2001-12-14\ng: 012\nh: 1e3\n"
        "i: .inf\nj: ~\nk: TRUE\nl:\nm: -0b11\n1: int key\nn: !!binary aGk=\n"
    )
    assert typed(fields(parse_line(doc, format="yaml"))) == typed(
        {"a": "yes", "b": "on", "c": 15, "d": 31, "e": "1_000", "f": "2001-12-14", "g": "012",
         "h": 1000.0, "i": ".inf", "j": None, "k": True, "l": None, "m": -3, "1": "int key",
         "n": "aGk="}
    )  # fmt: skip
    merge = "base: &b {x: 1}\nuse:\n  <<: *b\n"
    assert fields(parse_line(merge, format="yaml")) == {"base": {"x": 1}, "use": {"<<": {"x": 1}}}


def test_yaml_alias_bombs_and_recursion_are_errors_at_once() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    bomb = parse_line("\n".join(lines), format="yaml")
    assert time.perf_counter() - start < 2.0
    assert bomb["_error"].startswith("invalid YAML: repetition limit exceeded")
    assert parse_line("&a [*a]", format="yaml")["_error"].startswith("invalid YAML: recursion")
    assert parse_line("a: 1\n---\nb: 2\n", format="yaml")["_error"].startswith("invalid YAML")
    assert parse_line("[[1]]: x", format="yaml")["_error"].startswith("invalid YAML")
    assert parse_line("!custom x", format="yaml")["_error"].startswith("invalid YAML")


# --- aws_cloudwatch_log_subscription_message ----------------------------------------------

AWS = "aws_cloudwatch_log_subscription_message"
events = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.text(alphabet=string.digits, min_size=1, max_size=20),
            "timestamp": st.integers(0, 4_102_444_800_000),
            "message": st.text(max_size=20),
        }
    ),
    max_size=3,
)
messages = st.fixed_dictionaries(
    {
        "messageType": st.sampled_from(["DATA_MESSAGE", "CONTROL_MESSAGE"]),
        "owner": st.text(alphabet=string.digits, max_size=12),
        "logGroup": st.text(max_size=10),
        "logStream": st.text(max_size=10),
        "subscriptionFilters": st.lists(st.text(max_size=6), max_size=2),
        "logEvents": events,
    }
)


def _rfc3339(ms: int) -> str:
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{ms % 1000:03d}" if ms % 1000 else "") + "Z"


@SETTINGS
@given(messages, st.booleans())
def test_cloudwatch_message_round_trip(message: dict[str, Any], pretty: bool) -> None:
    text = json.dumps(message, indent=2 if pretty else None)
    record = parse_line(text, format=AWS)
    assert fields(record) == {
        "owner": message["owner"],
        "message_type": message["messageType"],
        "log_group": message["logGroup"],
        "log_stream": message["logStream"],
        "subscription_filters": message["subscriptionFilters"],
        "log_events": [
            {"id": e["id"], "timestamp": _rfc3339(e["timestamp"]), "message": e["message"]}
            for e in message["logEvents"]
        ],
    }


def test_cloudwatch_message_is_checked_as_vrls_serde_structs() -> None:
    good = {
        "messageType": "DATA_MESSAGE", "owner": "1", "logGroup": "g", "logStream": "s",
        "subscriptionFilters": [], "logEvents": [{"id": "1", "timestamp": 0, "message": "m"}],
    }  # fmt: skip
    assert "_error" not in parse_line(json.dumps(good), format=AWS)
    bad = [
        {**good, "extra": 1},
        {k: v for k, v in good.items() if k != "owner"},
        {**good, "messageType": "OTHER"},
        {**good, "logEvents": [{"id": 1, "timestamp": 0, "message": "m"}]},
        {**good, "logEvents": [{"id": "1", "timestamp": 1.5, "message": "m"}]},
        {**good, "logEvents": [{"id": "1", "timestamp": 0, "message": "m", "x": 0}]},
        [good],
    ]
    for item in bad:
        assert "_error" in parse_line(json.dumps(item), format=AWS), item
    twice = json.dumps(good)[:-1] + ', "owner": "2"}'
    assert "duplicate field `owner`" in parse_line(twice, format=AWS)["_error"]


# --- influxdb -----------------------------------------------------------------------------

idents = st.text(alphabet=string.ascii_letters + string.digits + ",= \\_", min_size=1, max_size=6)
field_values = st.one_of(
    st.integers(-(2**63), 2**63 - 1).map(lambda n: (f"{n}i", float(n))),
    st.integers(0, 2**64 - 1).map(lambda n: (f"{n}u", float(n))),
    st.floats(allow_nan=False, allow_infinity=False, width=64).map(lambda f: (repr(f), f)),
    st.sampled_from([("t", 1.0), ("TRUE", 1.0), ("False", 0.0), ("f", 0.0)]),
)


KEY_SPECIAL = ",= \\"


def _escaped(text: str, special: str = KEY_SPECIAL) -> str:
    return "".join("\\" + c if c in special else c for c in text)


def _influx_float(text: str) -> str:
    """A Python float repr in line protocol's grammar (``1e-05`` and ``1.0`` are fine)."""
    return text.replace("e+", "e")


def _nanos_text(ns: int) -> str:
    seconds, frac = divmod(ns, 10**9)
    base = (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)).strftime(
        "%Y-%m-%dT%H:%M:%S"
    )
    if frac == 0:
        return base + "Z"
    digits = f"{frac:09d}"
    for width in (3, 6, 9):
        if digits[width:].strip("0") == "":
            return f"{base}.{digits[:width]}Z"
    raise AssertionError


@SETTINGS
@given(
    idents.filter(lambda m: not m.startswith("#") and not m.endswith("\\")),
    st.dictionaries(
        idents.filter(lambda k: not k.endswith("\\")),
        idents.filter(lambda v: not v.endswith("\\")),
        max_size=3,
    ),
    st.lists(
        st.tuples(idents.filter(lambda k: not k.endswith("\\")), field_values),
        min_size=1,
        max_size=3,
    ),
    st.none() | st.integers(-(2**62), 2**62),
)
def test_influxdb_round_trip(
    measurement: str, tags: dict[str, str], values: list[Any], stamp: int | None
) -> None:
    line = _escaped(measurement, ", \\")
    if tags:
        line += "," + ",".join(f"{_escaped(k)}={_escaped(v)}" for k, v in tags.items())
    line += " " + ",".join(f"{_escaped(k)}={_influx_float(text)}" for k, (text, _) in values)
    if stamp is not None:
        line += f" {stamp}"
    record = parse_line(line, format="influxdb")
    assert "_error" not in record, (line, record)
    want = []
    for key, (_, number) in values:
        metric: dict[str, Any] = {"name": f"{measurement}_{key}"}
        if tags:
            metric["tags"] = tags
        if stamp is not None:
            metric["timestamp"] = _nanos_text(stamp)
        metric.update(kind="absolute", gauge={"value": number})
        want.append(metric)
    assert typed(fields(record)) == typed({"metrics": want})


@pytest.mark.parametrize(
    ("line", "error"),
    [  # the influxdb_line_protocol crate's own messages for these lines
        ("measurement", "expected at least one space character, got end of input"),
        (",", "invalid measurement was provided"),
        ("J,#", "tag set malformed: could not find equals sign in `#`"),
        ("J,", "expected tag key, got end of input"),
        ("testmeasure, bar=1i", "expected tag key, got ` bar=1i`"),
        ("testmeasure,foo= sed=1i", "expected tag value, got ` sed=1i`"),
        (
            "testmeasure,foo=f bar=1i,baz=",
            "could not parse entire line, found trailing content: `baz=`",
        ),
        ("\x1b# /", "no fields were provided"),
        (
            ":\x14\\",
            "measurements, tag keys and values, and field keys may not end with a backslash",
        ),
        (
            "m f=3.0 188888888888888888888888",
            "unable to parse timestamp value `188888888888888888888888`",
        ),
        ("m f=66666666666666666666668i", "unable to parse integer value `66666666666666666666668`"),
        ("m f=1 ", "could not parse entire line, found trailing content: ` `"),
    ],
)
def test_influxdb_errors_are_the_crates(line: str, error: str) -> None:
    record = parse_line(line, format="influxdb")
    assert record["_error"].startswith(f"invalid InfluxDB line protocol: {error} at column"), record


def test_influxdb_details() -> None:
    assert fields(parse_line("  # a comment", format="influxdb")) == {"metrics": []}
    assert fields(parse_line("", format="influxdb")) == {"metrics": []}
    got = fields(parse_line("w\\ x,t\\=1=a\\qb f\\,g=-1.5e3,h=1e3 -1", format="influxdb"))
    ts = "1969-12-31T23:59:59.999999999Z"
    assert got == {
        "metrics": [
            {"name": "w x_f,g", "tags": {"t=1": "a\\qb"}, "timestamp": ts, "kind": "absolute",
             "gauge": {"value": -1500.0}},
            {"name": "w x_h", "tags": {"t=1": "a\\qb"}, "timestamp": ts, "kind": "absolute",
             "gauge": {"value": 1000.0}},
        ]
    }  # fmt: skip
    many = list(parse_lines(["cpu a=1i", "bad", "cpu b=2"], format="influxdb"))
    assert [("_error" in r) for r in many] == [False, True, False]


# --- document formats end to end ----------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.lists(st.binary(max_size=12), max_size=5), st.sampled_from(DOCUMENT_FORMATS))
def test_any_bytes_give_exactly_one_record_for_a_document_format(
    chunks: list[bytes], fmt: str
) -> None:
    records = list(parse_stream(io.BytesIO(b"\n".join(chunks)), format=fmt))
    assert len(records) == 1
    record = records[0]
    assert record["_line"] == 1 and record["_format"] == fmt
    assert ("_error" in record) == ("_raw" in record)
    assert "internal error" not in str(record.get("_error", ""))
    json.dumps(record)


def test_cli_reads_a_whole_xml_file_as_one_record(tmp_path: Path) -> None:
    path = tmp_path / "note.xml"
    path.write_text('<?xml version="1.0"?>\n<note id="7">\n  <to>Tove</to>\n  <n>2</n>\n</note>\n')
    proc = run_rxp("parse", "-q", "--format", "xml", str(path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"_line": 1, "_format": "xml", "note": {"@id": "7", "to": "Tove", "n": 2}}
    ]
    proc = run_rxp("parse", "-q", "--format", "yaml", "--option", "x=1", str(path))
    assert proc.returncode == 2 and b"has no option 'x'" in proc.stderr
