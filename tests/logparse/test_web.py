"""``common_log``, ``apache_log``, ``nginx_log``: generated fields rendered as each server
writes them read back as those fields; the two engines behind VRL's expressions (``re``
for ordinary lines, RE2 for long ones) give the same records; Rust's number parsing and
the bad requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import RxpError, parse_line
from rxp._logparse import _web
from rxp._logparse._formats import build_parser
from rxp._logparse._web import rust_f64, rust_i64
from tests.helpers import run_rxp
from tests.logparse.helpers import fields

SETTINGS = settings(max_examples=120, deadline=None)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# --- generated lines ------------------------------------------------------------------------

token = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.:_", min_size=1, max_size=12)
maybe = st.none() | token  # None: written `-`, left out of the record
moments = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda m: timezone(timedelta(minutes=m))
)
methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"])
paths = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/._-?=&%", max_size=20).map(
    lambda p: "/" + p
)
protocols = st.sampled_from(["HTTP/1.0", "HTTP/1.1", "HTTP/2.0"])
statuses = st.integers(min_value=100, max_value=599)
sizes = st.none() | st.integers(min_value=0, max_value=2**40)
quoted = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789 /.;:()_-,", max_size=30).map(
    str.strip
)


def _dash(value: object) -> str:
    return "-" if value is None else str(value)


def _clf_time(moment: datetime, tz: timezone) -> tuple[str, str]:
    aware = moment.replace(tzinfo=tz)
    return aware.strftime("%d/%b/%Y:%H:%M:%S %z"), _rfc3339(aware)


def _rfc3339(aware: datetime) -> str:
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def access_lines(draw: st.DrawFn, combined: bool) -> tuple[str, dict[str, Any]]:
    host, identity, user = draw(maybe), draw(maybe), draw(maybe)
    stamp, want_stamp = _clf_time(draw(moments), draw(offsets))
    method, path, protocol = draw(methods), draw(paths), draw(protocols)
    status, size = draw(statuses), draw(sizes)
    line = (
        f'{_dash(host)} {_dash(identity)} {_dash(user)} [{stamp}] "{method} {path} {protocol}" '
        f"{status} {_dash(size)}"
    )
    want: dict[str, Any] = {"host": host, "identity": identity, "user": user}
    want.update(timestamp=want_stamp, message=f"{method} {path} {protocol}", method=method)
    want.update(path=path, protocol=protocol, status=status, size=size)
    if combined:
        referrer, agent = draw(quoted), draw(quoted)
        line += f' "{referrer}" "{agent}"'
        # VRL's combined expression ends after the agent with nothing anchoring it, so its
        # `"-` alternative wins for an agent that starts with `-`: no agent at all
        want.update(referrer=referrer, agent=None if agent.startswith("-") else agent)
    return line, {k: v for k, v in want.items() if v is not None}


@SETTINGS
@given(access_lines(combined=False))
def test_a_common_line_reads_back(case: tuple[str, dict[str, Any]]) -> None:
    line, want = case
    assert fields(parse_line(line, format="common_log")) == want
    assert fields(parse_line(line, format="apache_log", options={"format": "common"})) == want


@SETTINGS
@given(access_lines(combined=True))
def test_a_combined_line_reads_back(case: tuple[str, dict[str, Any]]) -> None:
    line, want = case
    got = fields(parse_line(line, format="apache_log", options={"format": "combined"}))
    assert got == want


@SETTINGS
@given(
    st.sampled_from(["combined", "main", "ingress_upstreaminfo"]),
    maybe, maybe, moments, offsets, methods, paths, statuses,
    st.integers(min_value=0, max_value=10**9), quoted, quoted, maybe,
    st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**5),
)  # fmt: skip
def test_an_nginx_access_line_reads_back(
    variant: str, addr: str | None, user: str | None, moment: datetime, tz: timezone,
    method: str, path: str, status: int, size: int, referer: str, agent: str,
    extra: str | None, length: int, millis: int,
) -> None:  # fmt: skip
    stamp, want_stamp = _clf_time(moment, tz)
    request = f"{method} {path} HTTP/1.1"
    head = (
        f'{_dash(addr)} - {_dash(user)} [{stamp}] "{request}" {status} {size} "{referer}" "{agent}"'
    )
    if variant == "combined":
        line = head + ("" if extra is None else f' "{extra}"')
        want = {"client": addr, "user": user, "timestamp": want_stamp, "request": request,
                "status": status, "size": size, "referer": referer, "agent": agent,
                "compression": extra}  # fmt: skip
    else:
        want = {"remote_addr": addr, "remote_user": user, "timestamp": want_stamp,
                "request": request, "status": status, "body_bytes_size": size,
                "http_referer": None if referer == "-" else referer,
                "http_user_agent": None if agent == "-" else agent}  # fmt: skip
        if variant == "main":
            line = head + f' "{_dash(extra)}"'
            want["http_x_forwarded_for"] = extra
        else:
            seconds = f"{millis / 1000:.3f}"
            line = (
                f"{head} {length} {seconds} [svc-{size}] [] {_dash(extra)} {length} {seconds}"
                f" {status} req{size}"
            )
            want.update(request_length=length, request_time=float(seconds),
                        proxy_upstream_name=f"svc-{size}", upstream_addr=_dash(extra),
                        upstream_response_length=length, upstream_response_time=float(seconds),
                        upstream_status=status, req_id=f"req{size}")  # fmt: skip
        if agent == "":
            return  # `"(-|(?P<http_user_agent>[^"]+))"` needs a character: VRL refuses `""`
    got = fields(parse_line(line, format="nginx_log", options={"format": variant}))
    assert got == {k: v for k, v in want.items() if v is not None}


@SETTINGS
@given(
    moments, st.sampled_from(["error", "warn", "notice", "info", "crit"]),
    st.integers(0, 99999), st.integers(0, 99999), st.none() | st.integers(0, 10**8),
    quoted.filter(lambda s: s and "," not in s), st.none() | token, st.none() | token,
)  # fmt: skip
def test_an_nginx_error_line_reads_back(
    moment: datetime, severity: str, pid: int, tid: int, cid: int | None, message: str,
    client: str | None, host: str | None,
) -> None:  # fmt: skip
    line = f"{moment:%Y/%m/%d %H:%M:%S} [{severity}] {pid}#{tid}:"
    line += "" if cid is None else f" *{cid}"
    line += f" {message}"
    line += "" if client is None else f", client: {client}"
    line += "" if host is None else f', host: "{host}"'
    want = {"timestamp": _rfc3339(moment.replace(tzinfo=UTC)), "severity": severity,
            "pid": pid, "tid": tid, "cid": cid, "message": message, "client": client,
            "host": host}  # fmt: skip
    got = fields(parse_line(line, format="nginx_log", options={"format": "error"}))
    assert got == {k: v for k, v in want.items() if v is not None}


@SETTINGS
@given(
    moments, offsets, token, token, st.integers(1, 99999), st.none() | st.integers(1, 99999),
    st.none() | token, st.integers(1, 65535), quoted.filter(lambda s: s and s[0] != "-"),
)  # fmt: skip
def test_an_apache_error_line_reads_back(
    moment: datetime, tz: timezone, module: str, severity: str, pid: int, tid: int | None,
    client: str | None, port: int, message: str,
) -> None:  # fmt: skip
    module, severity = module.replace(":", "") or "m", severity.replace(":", "") or "x"
    stamp, want_stamp = _clf_time(moment, tz)
    line = f"[{stamp}] [{module}:{severity}] [pid {pid}" + ("" if tid is None else f":tid {tid}")
    line += "] " + ("-" if client is None else f"[client {client}:{port}]") + f" {message}"
    want = {"timestamp": want_stamp, "module": module, "severity": severity, "pid": pid,
            "thread": None if tid is None else str(tid), "client": client,
            "port": None if client is None else port, "message": message}  # fmt: skip
    got = fields(parse_line(line, format="apache_log", options={"format": "error"}))
    assert got == {k: v for k, v in want.items() if v is not None}


# --- the two engines agree ----------------------------------------------------------------

VARIANTS = [
    ("common_log", {}), ("apache_log", {"format": "combined"}),
    ("apache_log", {"format": "error"}), ("nginx_log", {"format": "combined"}),
    ("nginx_log", {"format": "error"}), ("nginx_log", {"format": "ingress_upstreaminfo"}),
    ("nginx_log", {"format": "main"}),
]  # fmt: skip
pieces = st.sampled_from(
    ["-", " ", "  ", "[", "]", '"', ":", ",", "#", "*", "1", "42", "0.5", "a", "pid", "tid",
     "client", "[10/Oct/2000:13:55:36 -0700]", '"GET / HTTP/1.1"', "2021/04/01 13:02:31",
     "[error]", "31#31:", ", client: ", ', host: "', "é", "\t", "\u3000"]
)  # fmt: skip


def _outcome(parser: Any, line: str) -> Any:
    try:
        return parser(line)
    except Exception as exc:  # LineError, compared by its words and column
        return (type(exc).__name__, str(exc), getattr(exc, "column", None))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VARIANTS), st.lists(pieces, max_size=40), access_lines(combined=True))
def test_re2_reads_every_line_as_re_does(variant: Any, parts: list[str], good: Any) -> None:
    parser, _ = build_parser(*variant)
    for line in ("".join(parts), good[0], good[0][: len(parts) * 3] + "".join(parts)):
        fast = _outcome(parser, line)
        cheap = _web._cheap
        _web._cheap = lambda line: False
        try:
            linear = _outcome(parser, line)
        finally:
            _web._cheap = cheap
        assert fast == linear, line


@pytest.mark.parametrize("variant", VARIANTS, ids=[json.dumps(v) for v in VARIANTS])
def test_a_hostile_line_goes_to_the_linear_engine_and_gets_an_error(variant: Any) -> None:
    for line in ["a " * 50_000, "- - [" + "a] " * 20_000, '"' * 1000 + " " * 40]:
        assert not _web._cheap(line)
        record = parse_line(line, format=variant[0], options=variant[1])
        assert "_error" in record and record["_raw"] == line


# --- typed fields, as Rust parses them -------------------------------------------------------


def test_integers_are_rust_i64() -> None:
    assert rust_i64("200") == 200 and rust_i64("+7") == 7 and rust_i64("-7") == -7
    assert rust_i64(str(2**63 - 1)) == 2**63 - 1 and rust_i64(str(2**63)) is None
    assert rust_i64("\u0663") is None and rust_i64("1_0") is None and rust_i64(" 1") is None
    assert rust_i64("") is None


def test_floats_are_rust_f64_without_nan() -> None:
    assert rust_f64("0.050") == 0.05 and rust_f64("5.") == 5.0 and rust_f64(".5") == 0.5
    assert rust_f64("1e3") == 1000.0 and rust_f64("inf") == float("inf")
    assert rust_f64("NaN") is None and rust_f64("1_0.5") is None and rust_f64("\u0663.5") is None


def test_a_field_that_does_not_convert_is_the_error_with_its_column() -> None:
    line = "[01/Mar/2021:12:00:19 +0000] [ab:alert] [pid x4803] - boom"
    record = parse_line(line, format="apache_log", options={"format": "error"})
    assert record["_error"].startswith("failed parsing pid")
    assert str(line.index("x4803") + 1) in record["_error"]


def test_a_timestamp_that_does_not_read_says_why() -> None:
    record = parse_line("- - - [1234] - - -", format="common_log")
    assert "failed parsing timestamp 1234 using format %d/%b/%Y:%T %z" in record["_error"]
    assert "input contains invalid characters" in record["_error"]


def test_a_time_without_offset_is_read_in_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    record = parse_line("2021/04/01 13:02:31 [error] 31#31: boom", format="nginx_log",
                        options={"format": "error"})  # fmt: skip
    assert record["timestamp"] == "2021-04-01T04:02:31Z"


# --- bad requests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "options", "words"),
    [
        ("apache_log", {}, "format=common|combined|error"),
        ("nginx_log", {}, "format=combined|error|ingress_upstreaminfo|main"),
        ("apache_log", {"format": "json"}, "one of common, combined, error"),
        ("common_log", {"timestamp_format": "%Q"}, "timestamp_format"),
        ("common_log", {"format": "common"}, "no option 'format'"),
    ],
)
def test_a_bad_request_is_an_rxp_error(fmt: str, options: dict[str, Any], words: str) -> None:
    with pytest.raises(RxpError) as caught:
        build_parser(fmt, options)
    assert words in str(caught.value)


def test_the_command_line_reads_nginx_error_logs_and_refuses_a_missing_format() -> None:
    line = "2021/04/01 13:02:31 [error] 31#31: *1 boom, client: 172.17.0.1\n"
    proc = run_rxp("parse", "-q", "--format", "nginx_log", "--option", "format=error",
                   stdin=line.encode(), env={"TZ": "UTC"})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout.splitlines()[0])
    assert fields(record) == {"timestamp": "2021-04-01T13:02:31Z", "severity": "error",
                              "pid": 31, "tid": 31, "cid": 1, "message": "boom",
                              "client": "172.17.0.1"}  # fmt: skip
    proc = run_rxp("parse", "--format", "apache_log", stdin=b"x\n")
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("rxp: error:") and b"format=" in proc.stderr
