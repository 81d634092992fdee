"""``--format auto`` on mixed input (access and error logs, AWS logs, syslog, journald, klog,
glog, JSON, logfmt, CEF interleaved): each line gets the format it is written in, and auto
never picks a reading that keeps fewer fields than another format that reads the line (a
field that says something: a ``-``, empty or null value is a log's "absent", which VRL's
Apache reading drops and its nginx reading keeps as text)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rxp import parse_line, parse_lines
from rxp._logparse._sniff import weight
from tests.logparse.helpers import fields

# one line per family, written from each format's documentation, and the format it is in
MIXED: list[tuple[str, str]] = [
    ('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 '
     '"http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"', "apache_log"),
    ('127.0.0.1 bob frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
     "common_log"),
    ("[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] "
     "[client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico",
     "apache_log"),
    ('2019/10/30 23:26:34 [error] 10#10: *9 open() "/usr/share/nginx/html/favicon.ico" failed '
     '(2: No such file or directory), client: 172.17.0.1, server: localhost, request: '
     '"GET /favicon.ico HTTP/1.1", host: "localhost:8081"', "nginx_log"),
    ('http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 '
     '- 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" '
     '"curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/'
     'my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 '
     '2018-11-30T22:22:48.364000Z "forward" "-" "-" "-" "-" "-" "-"', "aws_alb_log"),
    ("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 "
     "1418530010 1418530070 ACCEPT OK", "aws_vpc_flow_log"),
    ("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed",
     "syslog"),
    ("2024-01-15T10:00:00+0000 web-1 sshd[2156]: Accepted publickey for ubuntu from 10.0.0.1 "
     "port 53012 ssh2", "journal"),
    ("I0505 17:59:40.692994   28133 klog.go:70] hello from klog", "klog"),
    ("I20210131 14:48:54.411655 15520 main.c++:9] Hello world!", "glog"),
    ('{"level":"info","msg":"json line","n":1}', "json"),
    ('level=info msg="logfmt line" n=1', "logfmt"),
    ("CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1 "
     "dst=2.1.2.2 spt=1232", "cef"),
]  # fmt: skip

# the formats that read a whole log line into named fields, with the options they need
READERS: list[tuple[str, dict[str, Any]]] = [
    ("common_log", {}),
    ("apache_log", {"format": "common"}),
    ("apache_log", {"format": "combined"}),
    ("apache_log", {"format": "error"}),
    ("apache_log", {"format": "error", "timestamp_format": "%a %b %d %T%.f %Y"}),  # Apache's own
    ("nginx_log", {"format": "combined"}),
    ("nginx_log", {"format": "main"}),
    ("nginx_log", {"format": "ingress_upstreaminfo"}),
    ("nginx_log", {"format": "error"}),
    ("aws_alb_log", {}),
    ("aws_vpc_flow_log", {}),
    ("syslog", {}),
    ("linux_authorization", {}),
    ("klog", {}),
    ("glog", {}),
    ("cef", {}),
    ("audit", {}),
]

VRL = Path(__file__).parent / "vrl"


# VRL's "empty" Apache error case: the Common Log Format reads its bracketed date as host,
# identity and user, which is no reading of the line at all
NOT_A_READING = {"[Tue Oct 10 16:55:36 2000] - - - -"}


def _vrl_lines() -> list[str]:
    """The inputs of VRL's successful cases for the line formats in READERS."""
    names = {name for name, _ in READERS}
    lines = []
    for path in sorted(VRL.glob("parse_*.json")):
        table = json.loads(path.read_text("utf-8"))
        if table["format"] in names:
            lines += [
                c["input"]
                for c in table["cases"]
                if "want" in c and "\n" not in c["input"] and c["input"] not in NOT_A_READING
            ]
    return lines


def test_interleaved_lines_each_get_their_own_format() -> None:
    lines = [line for line, _ in MIXED] * 3
    records = list(parse_lines(lines))
    assert [r["_line"] for r in records] == list(range(1, len(lines) + 1))
    for record, (_, fmt) in zip(records, MIXED * 3, strict=True):
        assert "_error" not in record, record
        assert str(record["_format"]).split("+")[0] == fmt, record


@pytest.mark.parametrize("line", [line for line, _ in MIXED] + _vrl_lines())
def test_auto_keeps_at_least_the_fields_of_every_format_that_reads_the_line(line: str) -> None:
    auto = parse_line(line)
    chosen = str(auto["_format"])
    for name, options in READERS:
        other = parse_line(line, format=name, options=options)
        if "_error" in other:
            continue
        assert weight(fields(auto)) >= weight(fields(other)), (chosen, name, options, auto, other)


@pytest.mark.parametrize(("line", "fmt"), MIXED)
def test_auto_gives_the_record_its_chosen_format_gives(line: str, fmt: str) -> None:
    auto = parse_line(line)
    readings = [parse_line(line, format=n, options=o) for n, o in READERS if n == fmt]
    readings = [r for r in readings if "_error" not in r] or [parse_line(line, format=fmt)]
    assert fields(auto) in [fields(r) for r in readings]


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("User{id=42, name=bob}", {"User": {"id": "42", "name": "bob"}}),
        ("Point(x=1, y=2)", {"Point": {"x": "1", "y": "2"}}),
        ("A{x=1} b=C{y=2}", {"A": {"x": "1"}, "b": {"C": {"y": "2"}}}),
    ],
)
def test_a_line_that_opens_with_a_tagged_value_is_nested_not_logfmt(
    line: str, want: object
) -> None:
    """Java's toString and Python's repr: `id=42,` inside `User{...}` is not a logfmt pair
    (it read as the key `User{id` before)."""
    record = parse_line(line)
    assert record["_format"] == "nested"
    assert fields(record) == want


def test_json_after_a_tag_is_still_json() -> None:
    record = parse_line('User{"a":1}')
    assert (record["_format"], record["a"]) == ("json", 1)
