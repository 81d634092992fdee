"""key_value (with each of VRL's options), syslog, linux_authorization and ruby_hash: records
rendered from generated parts and read back, syslog_loose's own test messages (MIT, by Stephen
Wakely; the crate VRL's ``parse_syslog`` runs), VRL's unit tests that assert less than a whole
object, and the options as the command line takes them."""

from __future__ import annotations

import contextlib
import json
import string
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import RxpError, parse_line, parse_lines
from tests.helpers import run_rxp
from tests.logparse.helpers import fields

SETTINGS = settings(max_examples=120, deadline=None)


# --- key_value: render pairs with each option set, parse them back ------------------------

keys = st.text(alphabet=string.ascii_letters + string.digits + "_.@#", min_size=1, max_size=6)
values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=10
)


def quoted(text: str) -> str:
    """VRL's escapes in a ``"..."`` text: ``\\\\``, ``\\"``, ``\\n``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def needs_quotes(text: str, delims: tuple[str, ...]) -> bool:
    return (
        text == ""
        or text[0] in "'\""
        or any(c.isspace() for c in text)
        or any(d in text for d in delims)
        or "\\" in text
    )


@SETTINGS
@given(
    st.sampled_from(["=", ":", "--", "->"]),
    st.sampled_from([" ", ",", "||", ";", "\n"]),
    st.sampled_from(["lenient", "strict"]),
    st.booleans(),
    st.dictionaries(keys, st.none() | values, min_size=1, max_size=6),
    st.data(),
)
def test_key_value_reads_back_what_was_rendered_with_its_options(
    kvd, fd, ws, standalone, pairs, data
):
    if not standalone:
        pairs = {k: "" if v is None else v for k, v in pairs.items()}
    parts = []
    for key, value in pairs.items():
        k = quoted(key) if data.draw(st.booleans()) else key
        if value is None:
            parts.append(k)
            continue
        v = quoted(value) if needs_quotes(value, (fd,)) or data.draw(st.booleans()) else value
        spaced = ws == "lenient" and data.draw(st.booleans())
        parts.append(f"{k} {kvd} {v}" if spaced else f"{k}{kvd}{v}")
    pad = " " if fd != " " and data.draw(st.booleans()) else ""
    text = (pad + fd).join(parts)
    options = {
        "key_value_delimiter": kvd,
        "field_delimiter": fd,
        "whitespace": ws,
        "accept_standalone_key": standalone,
    }
    record = parse_line(text, format="key_value", options=options)
    assert "_error" not in record, (text, record)
    assert fields(record) == {k: True if v is None else v for k, v in pairs.items()}


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from("abc"), st.none() | st.sampled_from("xyz")), min_size=1))
def test_repeated_keys_group_as_vrl_groups_them(pairs):
    """An array of the values in order; a standalone repeat adds nothing; a key seen only
    standalone is true, and gives way to its first value."""
    text = " ".join(k if v is None else f"{k}={v}" for k, v in pairs)
    want: dict[str, Any] = {}
    for k in dict.fromkeys(k for k, _ in pairs):
        got = [v for key, v in pairs if key == k and v is not None]
        want[k] = True if not got else got[0] if len(got) == 1 else got
    assert fields(parse_line(text, format="logfmt")) == want


@SETTINGS
@given(st.text(alphabet="ab= \t'\"\\", max_size=16))
def test_the_fast_path_and_the_general_reader_agree(line):
    from rxp._logparse._logfmt import _simple_logfmt, read_key_value
    from rxp._logparse._records import LineError

    simple = _simple_logfmt(line)
    if simple is not None:  # where the fast path answers, the reader gives the same
        assert simple == read_key_value(line)
    else:
        with contextlib.suppress(LineError):
            read_key_value(line)


def test_an_empty_line_has_no_key_as_in_vrl() -> None:
    assert parse_line("", format="logfmt")["_error"] == "expected a key at column 1"


# --- key_value: the options at the user's level ---------------------------------------------


def test_a_newline_field_delimiter_reads_the_whole_input_as_one_record() -> None:
    proc = run_rxp(
        "parse", "-q", "--format", "key_value",
        "--option", "key_value_delimiter=:", "--option", "field_delimiter=\n",
        stdin="To: tom\nCc: bob\nSubject: \"hi there\"\n", text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [fields(r) for r in records] == [{"To": "tom", "Cc": "bob", "Subject": "hi there"}]


def test_a_bad_option_is_a_usage_error_naming_the_valid_ones() -> None:
    proc = run_rxp(
        "parse", "--format", "kv", "--option", "whitespace=loose", stdin="a=1\n", text=True
    )
    assert proc.returncode == 2
    assert "whitespace must be one of lenient, strict" in proc.stderr
    with pytest.raises(RxpError, match="brackets=true reads only the default delimiters"):
        parse_line(
            "a:1", format="key_value", options={"brackets": True, "key_value_delimiter": ":"}
        )
    with pytest.raises(RxpError, match="must not be empty"):
        parse_line("a=1", format="key_value", options={"field_delimiter": ""})


def test_brackets_is_rxps_logstash_style_reading() -> None:
    record = parse_line("a=[1, 2] b", format="kv", options={"brackets": True})
    assert fields(record) == {"a": [1, 2], "b": True}
    strict = parse_line(
        "a=[1, 2] b", format="kv", options={"brackets": True, "accept_standalone_key": False}
    )
    assert strict["_error"].startswith("a key without a value")


# --- syslog: syslog_loose's own test messages --------------------------------------------

AS_WRITTEN = {"timestamp": "as_written"}


@pytest.mark.parametrize(
    ("line", "options", "want"),
    [
        (  # parse_3164_invalid_structured_data
            '<46>Jan  5 15:33:03 plertrood-ThinkPad-X220 rsyslogd:  [software="rsyslogd" '
            'swVersion="8.32.0" x-pid="20506" x-info="http://www.rsyslog.com"] start',
            AS_WRITTEN,
            {"facility": "syslog", "severity": "info", "timestamp": "Jan  5 15:33:03",
             "hostname": "plertrood-ThinkPad-X220", "appname": "rsyslogd",
             "message": '[software="rsyslogd" swVersion="8.32.0" x-pid="20506" '
             'x-info="http://www.rsyslog.com"] start'},
        ),
        (  # parse_3164_no_tag
            '<46>Jan  5 15:33:03 plertrood-ThinkPad-X220  [software="rsyslogd"] start',
            AS_WRITTEN,
            {"facility": "syslog", "severity": "info", "timestamp": "Jan  5 15:33:03",
             "hostname": "plertrood-ThinkPad-X220", "message": '[software="rsyslogd"] start'},
        ),
        (  # parse_european_chars
            "<46>Jan 5 10:01:00 Übergröße außerplanmäßig größenordnungsmäßig",
            AS_WRITTEN,
            {"facility": "syslog", "severity": "info", "timestamp": "Jan 5 10:01:00",
             "hostname": "Übergröße", "appname": "außerplanmäßig",
             "message": "größenordnungsmäßig"},
        ),
        (  # parse_3164_timestamp (`:` alone ends the header)
            "<34>Oct 11 22:14:15 : a message",
            AS_WRITTEN,
            {"facility": "auth", "severity": "crit", "timestamp": "Oct 11 22:14:15",
             "message": "a message"},
        ),
        (  # parse_3164_host_with_space
            "<54> 1970-01-01T00:01:31+00:00 host :",
            None,
            {"facility": "lpr", "severity": "info", "timestamp": "1970-01-01T00:01:31Z",
             "hostname": "host", "message": ""},
        ),
        (  # parse_3164_3339_timestamp_host_appname_pid
            "<34>2020-10-11T22:14:15.00Z mymachine app[323]: a message",
            None,
            {"facility": "auth", "severity": "crit", "timestamp": "2020-10-11T22:14:15Z",
             "hostname": "mymachine", "appname": "app", "procid": 323, "message": "a message"},
        ),
        (  # parse_missing_pri_5424
            "1 2020-05-22T14:59:09.250-03:00 OX-XXX-MX204 OX-XXX-CONTEUDO:rpd 6589 - - "
            "bgp_listen_accept: %DAEMON-4: Connection attempt",
            None,
            {"version": 1, "timestamp": "2020-05-22T17:59:09.250Z", "hostname": "OX-XXX-MX204",
             "appname": "OX-XXX-CONTEUDO:rpd", "procid": 6589,
             "message": "bgp_listen_accept: %DAEMON-4: Connection attempt"},
        ),
        (  # parse_5424_f5_logs
            '<131>1 2025-05-09T09:56:18.906539+02:00 Host-Name.network.example appname 1234 '
            '01230456:1: [F5@1234 hostname="Host-Name.network.example" '
            'errdefs_msgno="01230456:1:"] RST sent',
            None,
            {"facility": "local0", "severity": "err", "version": 1,
             "timestamp": "2025-05-09T07:56:18.906539Z", "hostname": "Host-Name.network.example",
             "appname": "appname", "procid": 1234, "msgid": "01230456:1:",
             "F5@1234": {"hostname": "Host-Name.network.example", "errdefs_msgno": "01230456:1:"},
             "message": "RST sent"},
        ),
        (  # parse_ipv6_hostname
            "<34>1 2003-10-11T22:14:15.003Z ::FFFF:129.144.52.38 su - ID47 - bananas and peas",
            None,
            {"facility": "auth", "severity": "crit", "version": 1,
             "timestamp": "2003-10-11T22:14:15.003Z", "hostname": "::FFFF:129.144.52.38",
             "appname": "su", "msgid": "ID47", "message": "bananas and peas"},
        ),
        (  # parse_vrl: no space after the header's colon
            "<13>Feb 13 20:07:26 74794bfb6795 root[8539]:syslog message",
            AS_WRITTEN,
            {"facility": "user", "severity": "notice", "timestamp": "Feb 13 20:07:26",
             "hostname": "74794bfb6795", "appname": "root", "procid": 8539,
             "message": "syslog message"},
        ),
        (  # parse_3164_ubnt_iptables
            "<4>Jan 26 05:59:54 ubnt kernel: [WAN_LOCAL-default-D]IN=eth0 OUT= SYN URGP=0",
            AS_WRITTEN,
            {"facility": "kern", "severity": "warning", "timestamp": "Jan 26 05:59:54",
             "hostname": "ubnt", "appname": "kernel",
             "message": "[WAN_LOCAL-default-D]IN=eth0 OUT= SYN URGP=0"},
        ),
        (  # rxp's own: an RFC 6587 octet count before the message
            "34 <13>1 2020-03-13T20:45:38Z h a - - - hi",
            None,
            {"facility": "user", "severity": "notice", "version": 1,
             "timestamp": "2020-03-13T20:45:38Z", "hostname": "h", "appname": "a", "message": "hi"},
        ),
    ],
)  # fmt: skip
def test_syslog_loose_test_messages(line: str, options: Any, want: dict[str, Any]) -> None:
    record = parse_line(line, format="syslog", options=options)
    assert fields(record) == want


def test_syslog_rejects_what_syslog_loose_rejects() -> None:
    for line in [
        "I am an invalid syslog message, but I do like cheese",  # parse_exact_error
        "<134> Feb 29 14:07:19 myhostname sshd - - - this is my message",  # only in leap years
    ]:
        if "Feb 29" in line and datetime.now(UTC).year % 4 == 0:
            continue
        assert "_error" in parse_line(line, format="syslog"), line


def test_a_line_without_zone_or_year_is_read_in_tz_in_the_resolved_year(monkeypatch) -> None:
    import time

    from rxp._logparse._time import resolve_year

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        record = parse_line("<13>Jul 4 12:00:00 host app: x", format="syslog")
        year = resolve_year(7)
        assert record["timestamp"] == f"{year}-07-04T16:00:00Z"
        no_year = parse_line("<13>Jul 4 2021 12:00:00 host app: x", format="syslog")
        assert no_year["timestamp"] == "2021-07-04T16:00:00Z"
    finally:
        monkeypatch.undo()
        time.tzset()


months = st.sampled_from("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())  # noqa: SIM905
words = st.text(alphabet=string.ascii_letters + string.digits + "._-", min_size=1, max_size=8)
messages = st.text(alphabet=string.ascii_letters + string.digits + " .,=/[]{}", max_size=30).map(
    str.strip
)


@SETTINGS
@given(
    st.none() | st.integers(0, 191),
    months,
    st.integers(1, 28),
    st.times(),
    words,
    words.filter(lambda w: w != "-"),
    st.none() | st.integers(0, 2**31 - 1),
    messages.filter(lambda m: not m.startswith(("-", "["))),
)
def test_rfc3164_lines_read_back_their_parts(pri, month, day, clock, host, app, pid, msg):
    stamp = f"{month} {day:2d} {clock:%H:%M:%S}"
    tag = app if pid is None else f"{app}[{pid}]"
    line = ("" if pri is None else f"<{pri}>") + f"{stamp} {host} {tag}: {msg}"
    for fmt in ("syslog", "linux_authorization"):
        record = parse_line(line, format=fmt, options=AS_WRITTEN)
        want: dict[str, Any] = {
            "timestamp": stamp,
            "hostname": host,
            "appname": app,
            "message": msg,
        }
        if pri is not None:
            want |= {"facility": FAC[pri >> 3], "severity": SEV[pri & 7]}
        if pid is not None:
            want["procid"] = pid
        assert fields(record) == want
        assert record["_format"] == fmt


_FAC = "kern user mail daemon auth syslog lpr news uucp cron authpriv ftp ntp audit alert clockd"
FAC = [*_FAC.split(), *(f"local{i}" for i in range(8))]
SEV = "emerg alert crit err warning notice info debug".split()  # noqa: SIM905


# --- ruby_hash ---------------------------------------------------------------------------


def test_vrl_unit_tests_that_check_types_only() -> None:
    """parse_ruby_hash.rs / ruby_hash.rs tests that assert kinds, not whole values."""
    assert fields(parse_line("{ :array => [] }", format="ruby_hash")) == {"array": []}
    record = parse_line('{ :key => "foo", :number => 500 }', format="ruby_hash")
    assert record["key"] == "foo" and isinstance(record["number"], float)
    record = parse_line(
        '{ "hello" => "world", "number" => 42, "float" => 4.2, "array" => [1, 2.3], '
        '"object" => { "nope" => nil } }',
        format="ruby_hash",
    )
    assert isinstance(record["number"], float) and isinstance(record["array"], list)
    assert record["object"] == {"nope": None}
    assert parse_line('{ 42 => "hello world" }', format="ruby_hash")["42"] == "hello world"
    record = parse_line(
        '{ :colon => "hello world", :"double" => "quote", :\'simple\' => "quote" }',
        format="ruby_hash",
    )
    assert set(fields(record)) == {"colon", "double", "simple"}
    assert parse_line('{ :with_underscore => "x" }', format="ruby_hash")["with_underscore"] == "x"
    assert parse_line('{ "with-dash" => "foo" }', format="ruby_hash")["with-dash"] == "foo"
    record = parse_line('{ "with\'quote" => "and\\"double\\"quote" }', format="ruby_hash")
    assert record["with'quote"] == 'and\\"double\\"quote'  # kept as written
    record = parse_line(
        "{:hello=>\"world\",'number'=>42,\"weird\"=>'format\\'here'}", format="ruby_hash"
    )
    assert record["hello"] == "world" and isinstance(record["number"], float)


def test_ruby_hash_errors_say_where() -> None:
    assert (
        parse_line("{a: 1,}", format="ruby_hash")["_error"]
        == "expected '}' but found ',' at column 6"
    )
    assert parse_line('{a: "x}', format="ruby_hash")["_error"].startswith("expected the string's")
    assert parse_line("{a: 1} x", format="ruby_hash")["_error"] == "text after the hash at column 8"
    deep = "{a: " * 1000 + "1" + "}" * 1000
    assert "nested deeper than" in parse_line(deep, format="ruby_hash")["_error"]


ruby_text = st.text(alphabet=string.ascii_letters + string.digits + " .,:=>{}[]-", max_size=8)
ruby_values = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | ruby_text,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,5}", fullmatch=True), inner, max_size=3)
    ),
    max_leaves=10,
)


def render_ruby(value: Any, draw: Any) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return draw(st.sampled_from(['"{}"', "'{}'"])).format(value)
    if isinstance(value, list):
        return "[" + ", ".join(render_ruby(v, draw) for v in value) + "]"
    items = []
    for key, item in value.items():
        style = draw(st.sampled_from(['"{}" => ', ":{} => ", "{}: ", ':"{}"=>']))
        items.append(style.format(key) + render_ruby(item, draw))
    return "{" + ", ".join(items) + "}"


@SETTINGS
@given(
    st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), ruby_values, max_size=4),
    st.data(),
)
def test_ruby_hash_reads_back_rendered_values(obj, data):
    text = render_ruby(obj, data.draw)
    record = parse_line(text, format="ruby_hash")
    assert "_error" not in record, (text, record)
    assert fields(record) == obj


def test_every_format_of_this_family_keeps_one_record_per_line() -> None:
    lines = ["a=1", "<13>1 - - - - - - x", "{a: 1}", "not a hash"]
    for fmt in ("key_value", "logfmt", "syslog", "linux_authorization", "ruby_hash"):
        assert [r["_line"] for r in parse_lines(lines, format=fmt)] == [1, 2, 3, 4]
