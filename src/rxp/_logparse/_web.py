"""Web server logs: ``common_log``, ``apache_log`` and ``nginx_log``, as VRL reads them.

The regular expressions are VRL's (``src/stdlib/log_util.rs`` of vectordotdev/vrl,
MPL-2.0), rewritten for Python's ``re``: Rust's nested class ``[[\\\\"][^"]]`` is the union
of its parts (any character at all), ``$`` is ``\\Z``, and ``\\s`` / ``\\S`` are Rust's
Unicode ``White_Space`` (Python's would also count ``\\x1c``-``\\x1f``). Python's
backtracking picks the same match as Rust's leftmost-first engine, so the captures agree.
A field given as ``-`` is left out. As in VRL's ``log_fields``, ``status``, ``size``,
``pid``, ``port``... become integers (Rust's ``i64`` parse), ``request_time``, ``excess``...
floats (Rust's ``f64``, NaN refused), and ``timestamp`` is read with the
``timestamp_format`` (chrono's ``strftime``, ``_chrono``) in the local zone when it has no
offset, then written in RFC 3339 UTC. A line no expression matches, or a field that does
not convert, is an error, as in VRL.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from .._errors import RxpError
from ._chrono import bad_format
from ._options import Option, Options
from ._records import LineError, Record
from ._spec import FormatSpec, LineParser
from ._time import chrono_utc, to_rfc3339

__all__ = ["SPECS"]

CLF_TIME = "%d/%b/%Y:%T %z"
NGINX_ERROR_TIME = "%Y/%m/%d %H:%M:%S"

_WS = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# `re` answers an ordinary line at once, but VRL's lazy fields (`(?P<host>.*?)\s+` three
# times) make backtracking cost grow as (white space)^3 x length on a line that does not
# match. A line past this estimate goes to RE2, which gives the same leftmost-first match
# in linear time (and is slower on ordinary lines, hence not used for all).
BACKTRACK_BUDGET = 2_000_000


def _cheap(line: str) -> bool:
    """Whether ``re`` answers ``line`` quickly whatever it holds."""
    n = len(line)
    if n <= 64:
        return True
    spaces = n - len("".join(line.split()))
    return spaces * spaces * spaces * n <= 6 * BACKTRACK_BUDGET


def _unverbose(pattern: str) -> str:
    """``pattern`` without the white space and comments of verbose mode (RE2 has none)."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]" or (out[-1] in ("[", "[^"))
        elif c == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
                continue
        elif c in " \t\n":
            i += 1
            continue
        elif c == "#":
            end = pattern.find("\n", i)
            i = n if end < 0 else end
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _re2_text(pattern: str) -> str:
    text = _unverbose(pattern).replace(r"\Z", r"\z").replace(r"[\s\S]", "(?s:.)")
    text = text.replace(r"\#", "#").replace(r"\d", r"\p{Nd}").replace(r"\w", r"[\p{L}\p{N}_]")
    return re.sub(r"\\u([0-9a-f]{4})", r"\\x{\1}", text)


class _Rx:
    """One of VRL's expressions, compiled twice: ``re`` for ordinary lines, RE2 (when
    installed; compiled on first use) for the long or many-field ones."""

    __slots__ = ("fast", "linear", "names", "source")

    def __init__(self, pattern: str, linear: str) -> None:
        self.fast = re.compile(pattern, re.VERBOSE)
        self.source = linear
        self.linear: Any = None
        self.names: list[tuple[str, int]] = []

    def match(self, line: str) -> tuple[dict[str, str | None], Callable[[str], int]] | None:
        """The named groups of the match (``None`` for one that took no part) and a
        function giving the 0-based column of each; ``None`` when the line does not match."""
        if _cheap(line):
            m = self.fast.match(line)
            return None if m is None else (m.groupdict(), m.start)
        if self.linear is None:
            self.linear = _compile_re2(_re2_text(self.source))
            if self.linear is False:
                m = self.fast.match(line)
                return None if m is None else (m.groupdict(), m.start)
            self.names = sorted(
                ((k.decode() if isinstance(k, bytes) else k, v)
                 for k, v in self.linear.groupindex.items()),
                key=lambda kv: kv[1],
            )  # fmt: skip
        elif self.linear is False:
            m = self.fast.match(line)
            return None if m is None else (m.groupdict(), m.start)
        return self._linear(line)

    def _linear(self, line: str) -> tuple[dict[str, str | None], Callable[[str], int]] | None:
        data = line.encode("utf-8", "surrogatepass")
        hit = self.linear.match(data)
        if hit is None:
            return None
        groups: dict[str, str | None] = {}
        for name, index in self.names:
            value = hit.group(index)
            groups[name] = None if value is None else value.decode("utf-8", "surrogatepass")
        where = dict(self.names)

        def column(name: str) -> int:
            return len(data[: hit.start(where[name])].decode("utf-8", "surrogatepass"))

        return groups, column


def _compile_re2(text: str) -> Any:
    """RE2's compiled ``text``, or ``False`` without google-re2 (then ``re`` answers
    every line, however long)."""
    try:
        re2 = importlib.import_module("re2")
    except ImportError:  # pragma: no cover - google-re2 has wheels for the usual platforms
        return False
    return re2.compile(text.encode("utf-8"))


# A lookahead that only prunes: after nginx's lazy `message` comes either `,` (each optional
# part) or white space or the end, so trying other ends first is wasted work for `re`
# (three times faster with it). RE2 neither needs nor has lookaround.
PRUNE = r"(?=,|\s|\Z)"


def _expand(pattern: str) -> str:
    """VRL's pattern (verbose) with Rust's white space classes and ``ANY`` for
    ``[[\\\\"][^"]]``."""
    pattern = pattern.replace(r"[^\s,]", f"[^{_WS},]")
    pattern = pattern.replace(r"\s", f"[{_WS}]").replace(r"\S", f"[^{_WS}]")
    return pattern.replace("ANY", r"[\s\S]")


def _rx(pattern: str) -> _Rx:
    return _Rx(_expand(pattern), _expand(pattern.replace(PRUNE, "")))


_ACCESS_HEAD = r"""
    ^\s*
    (-|(?P<host>.*?))\s+
    (-|(?P<identity>.*?))\s+
    (-|(?P<user>.*?))\s+
    (-|\[(-|(?P<timestamp>[^\[]*))\])\s+
    (-|"(-|(\s*
    (?P<message>(
    (?P<method>\w+)\s+
    (?P<path>ANY*?)\s+
    (?P<protocol>ANY*?)\s*
    |ANY*?))\s*))"
    )\s+
    (-|(?P<status>\d+))\s+
"""
APACHE_COMMON = _rx(_ACCESS_HEAD + r"(-|(?P<size>\d+)) \s*\Z")
APACHE_COMBINED = _rx(
    _ACCESS_HEAD
    + r"""
    (-|(?P<size>\d+))\s+
    (-|"(-|(\s*(?P<referrer>ANY*?)")))
    \s+
    (-|"(-|(\s*(?P<agent>ANY*?)")))
    """  # VRL's `\s*$` is commented out: anything may follow
)
APACHE_ERROR = (
    _rx(r"""
    ^\s*
    (-|\[(-|(?P<timestamp>[^\[]*))\])\s+
    (-|\[(-|(?P<module>[^:]*):
    (?P<severity>[^\[]*))\])\s+
    (-|\[\s*pid\s*(-|(?P<pid>[^:]*)
    (:\s*tid\s*(?P<thread>[^\[]*))?)\])\s
    (-|\[\s*client\s*(-|(?P<client>.*:?):
    (?P<port>[^\[]*))\])\s
    (-|(?P<message>.*))
    \s*\Z
    """),
    _rx(r"""
    ^\s*
    \[(?P<timestamp>[^\]]+)\]\s+
    \[(-|(?P<module>[^:]+)):(?P<severity>[^\]]+)\]\s+
    \[pid\s+(?P<pid>\d+)(:tid\s+(?P<thread>\d+))?\]\s+
    (?P<message1>[^\[]*?:\s+([^\[]*?:\s+)?)?
    (\[client\s+(?P<client>.+?):(?P<port>\d+)\]\s+)?
    (?P<message2>.*)
    (, referer .*)?  # Rust's x flag drops these spaces too: `(,referer.*)?`
    \s*\Z
    """),
)
NGINX_COMBINED = _rx(r"""
    ^\s*
    (-|(?P<client>\S+))\s+
    \-\s+
    (-|(?P<user>\S+))\s+
    \[(?P<timestamp>.+)\]\s+
    "(?P<request>[^"]*)"\s+
    (?P<status>\d+)\s+
    (?P<size>\d+)\s+
    "(?P<referer>[^"]*)"\s+
    "(?P<agent>[^"]*)"
    (\s+"(-|(?P<compression>[^"]+))")?
    \s*\Z
""")
_NGINX_HEAD = r"""
    ^\s*
    (-|(?P<remote_addr>\S+))\s+
    \-\s+
    (-|(?P<remote_user>\S+))\s+
    \[(?P<timestamp>[^\]]+)\]\s+
    "(?P<request>[^"]*)"\s+
    (?P<status>\d+)\s+
    (?P<body_bytes_size>\d+)\s+
    "(-|(?P<http_referer>[^"]*))"\s+
    "(-|(?P<http_user_agent>[^"]+))"\s+
"""
NGINX_INGRESS = _rx(
    _NGINX_HEAD
    + r"""
    (?P<request_length>\d+)\s+
    (?P<request_time>\d+\.\d+)\s+
    \[(?P<proxy_upstream_name>[^\]]+)\]\s+
    \[(?P<proxy_alternative_upstream_name>[^\]]+)?\]\s+
    (?P<upstream_addr>\S+)\s+
    (-|(?P<upstream_response_length>\d+))\s+
    (-|(?P<upstream_response_time>\d+\.\d+))\s+
    (-|(?P<upstream_status>\d+))\s+
    (?P<req_id>\S+)
    \s*\Z
    """
)
NGINX_MAIN = _rx(
    _NGINX_HEAD
    + r"""
    "(-|(?P<http_x_forwarded_for>[^"]+))"
    \s*\Z
"""
)
NGINX_ERROR = _rx(r"""
    ^\s*
    (?P<timestamp>.+)\s+
    \[(?P<severity>\w+)\]\s+
    (?P<pid>\d+)\#
    (?P<tid>\d+):
    (\s+\*(?P<cid>\d+))?
    \s+(?P<message>.+?)(?=,|\s|\Z)
    (,\s+excess:\s+(?P<excess>[^\s,]+),?\sby\szone\s"(?P<zone>[^,]+)")?
    (,\s+client:\s+(?P<client>[^,]+))?
    (,\s+server:\s+(?P<server>[^,]*))?
    (,\s+request:\s+"(?P<request>[^"]*)")?
    (,\s+upstream:\s+"(?P<upstream>[^"]*)")?
    (,\s+host:\s+"(?P<host>[^"]*)")?
    (,\s+refer?rer:\s+"(?P<referer>[^"]*)")?
    \s*\Z
""")

INTEGERS = frozenset(
    {"status", "size", "pid", "tid", "cid", "port", "body_bytes_size", "request_length",
     "upstream_response_length", "upstream_status"}
)  # fmt: skip
FLOATS = frozenset({"excess", "request_time", "upstream_response_time"})
_RUST_I64 = re.compile(r"[+-]?[0-9]+\Z", re.ASCII)
_RUST_F64 = re.compile(
    r"[+-]?(?:inf|infinity|nan|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)\Z",
    re.ASCII | re.IGNORECASE,
)
_I64 = 2**63


def rust_i64(text: str) -> int | None:
    """Rust's ``text.parse::<i64>()``: ASCII digits with an optional sign, in range."""
    if _RUST_I64.match(text) is None:
        return None
    value = int(text)
    return value if -_I64 <= value < _I64 else None


def rust_f64(text: str) -> float | None:
    """Rust's ``text.parse::<NotNan<f64>>()``: its float grammar, NaN refused."""
    if _RUST_F64.match(text) is None:
        return None
    value = float(text)
    return None if value != value else value


class _Stamps:
    """Timestamps of one parser, the last one remembered: access logs repeat the same
    second line after line, and chrono's parse is the costly part of a line."""

    __slots__ = ("fmt", "last")

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.last: tuple[str, str | None, str] = ("", None, "")

    def rfc3339(self, text: str) -> str:
        zone = os.environ.get("TZ")
        last = self.last
        if last[0] == text and last[1] == zone and text:
            return last[2]
        try:
            moment, nano = chrono_utc(text, self.fmt)
        except ValueError as exc:
            raise ValueError(
                f"failed parsing timestamp {text} using format {self.fmt}: {exc}"
            ) from None
        out = to_rfc3339(moment, nano)
        self.last = (text, zone, out)
        return out


def _fields(groups: dict[str, str | None], column: Callable[[str], int], stamps: _Stamps) -> Record:
    """VRL's ``log_fields``: every named group that took part, typed by its name."""
    record: Record = {}
    for name, value in groups.items():
        if value is None:
            continue
        try:
            if name == "timestamp":
                record[name] = stamps.rfc3339(value)
            elif name in INTEGERS:
                number = rust_i64(value)
                if number is None:
                    raise ValueError(f"failed parsing {name}")
                record[name] = number
            elif name in FLOATS:
                real = rust_f64(value)
                if real is None:
                    raise ValueError(f"failed parsing {name}")
                record[name] = real
            else:
                record[name] = value
        except ValueError as exc:
            raise LineError(str(exc), column(name) + 1, record) from None
    return record


def _parser(fmt: str, patterns: Sequence[_Rx], timestamp_format: str, failure: str) -> LineParser:
    """The first of ``patterns`` that matches gives the fields (a conversion failure is the
    line's error, the later patterns are not tried, as in VRL's ``parse_message``)."""
    if bad_format(timestamp_format):
        raise RxpError(
            f"format {fmt}: timestamp_format {timestamp_format!r} holds a specifier chrono "
            "does not know (see https://docs.rs/chrono/latest/chrono/format/strftime/)"
        )
    stamps = _Stamps(timestamp_format)
    name = fmt

    def run(line: str) -> tuple[Record, str]:
        for pattern in patterns:
            found = pattern.match(line)
            if found is not None:
                return _fields(*found, stamps), name
        raise LineError(failure, 1)

    return run


_TIMESTAMP = Option(
    "timestamp_format",
    "str",
    CLF_TIME,
    help="chrono strftime format of the timestamp; local zone (TZ) when it has no offset",
)


def _common(options: Options) -> LineParser:
    return _parser(
        "common_log", (APACHE_COMMON,), str(options["timestamp_format"]),
        "failed parsing common log line",
    )  # fmt: skip


_APACHE: dict[str, tuple[_Rx, ...]] = {
    "common": (APACHE_COMMON,),
    "combined": (APACHE_COMBINED,),
    "error": APACHE_ERROR,
}


def _apache(options: Options) -> LineParser:
    variant = options["format"]
    if variant is None:
        raise RxpError("format apache_log needs --option format=common|combined|error")
    return _parser(
        "apache_log", _APACHE[str(variant)], str(options["timestamp_format"]),
        f"failed parsing {variant} log line",
    )  # fmt: skip


_NGINX: dict[str, _Rx] = {
    "combined": NGINX_COMBINED,
    "error": NGINX_ERROR,
    "ingress_upstreaminfo": NGINX_INGRESS,
    "main": NGINX_MAIN,
}


def _nginx(options: Options) -> LineParser:
    variant = options["format"]
    if variant is None:
        raise RxpError(
            "format nginx_log needs --option format=combined|error|ingress_upstreaminfo|main"
        )
    given = options["timestamp_format"]
    stamp = str(given) if given is not None else (
        NGINX_ERROR_TIME if variant == "error" else CLF_TIME
    )  # fmt: skip
    return _parser("nginx_log", (_NGINX[str(variant)],), stamp, "failed parsing log line")


def _spec(
    name: str, build: Callable[[Options], LineParser], options: tuple[Option, ...], summary: str
) -> FormatSpec:
    return FormatSpec(name, build, options, summary=summary)


_APACHE_FORMAT = Option(
    "format", "choice", None, ("common", "combined", "error"), "which Apache log (required)"
)
_NGINX_FORMAT = Option(
    "format",
    "choice",
    None,
    ("combined", "error", "ingress_upstreaminfo", "main"),
    "which nginx log (required)",
)
_NGINX_TIMESTAMP = Option(
    "timestamp_format",
    "str",
    None,
    help=f"chrono strftime format (default {CLF_TIME}; {NGINX_ERROR_TIME} for error)",
)

SPECS: tuple[FormatSpec, ...] = (
    _spec("common_log", _common, (_TIMESTAMP,), "Common Log Format (Vector parse_common_log)"),
    _spec(
        "apache_log",
        _apache,
        (_APACHE_FORMAT, _TIMESTAMP),
        "Apache access and error logs (Vector parse_apache_log)",
    ),
    _spec(
        "nginx_log",
        _nginx,
        (_NGINX_FORMAT, _NGINX_TIMESTAMP),
        "nginx access and error logs (Vector parse_nginx_log)",
    ),
)
