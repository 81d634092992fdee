"""``auto``'s recognition of the web and cloud formats: access and error logs of Apache and
nginx, AWS ALB access logs and VPC Flow Logs.

One compiled regex looks at the start of the line and names the family; the family's
readings that can apply, built with fixed options, are all tried and the one with the most
fields wins (Apache's combined, nginx's main, combined and ingress formats, the Common Log
Format), so ``auto`` never picks a reading that drops fields another would keep. A line the family's
parsers all refuse is left to the rest of ``auto``.
"""

from __future__ import annotations

import functools
import re

from ._formats import build_parser
from ._records import JSONValue, LineError, Record
from ._spec import LineParser

__all__ = ["sniff", "weight"]

_START = re.compile(
    r"""(?:
      (?P<access>[^ \[]+\ [^ ]+\ [^ ]+\ \[[^\]]{1,64}\]\ ")
    | (?P<apache_error>\[(?:[A-Z][a-z]{2}\ [A-Z][a-z]{2}\ [ \d]\d\ \d\d:\d\d:\d\d
                         |\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\ [+-]\d{4}\]\ \[))
    | (?P<nginx_error>\d{4}/\d\d/\d\d\ \d\d:\d\d:\d\d\ \[[a-z]+\]\ )
    | (?P<alb>(?:https?|h2|grpcs|wss?)\ \d{4}-\d\d-\d\dT)
    | (?P<vpc>\d{1,2}\ (?:\d{12}|unknown|-)\ (?:eni-[0-9a-f]+|-)\ )
    )""",
    re.X,
)

# per family: (format, options); every reading that can apply is tried and the one with the
# most fields wins, the first on a tie (Apache's combined keeps `identity`, nginx's `-` values)
_READINGS: dict[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...]] = {
    # an access line that ends in a quoted string: combined (Apache, nginx); nginx's main
    # adds a third quoted string (8 quotes)
    "quoted": (
        ("apache_log", (("format", "combined"),)),
        ("nginx_log", (("format", "combined"),)),
    ),
    "main": (
        ("apache_log", (("format", "combined"),)),
        ("nginx_log", (("format", "main"),)),
        ("nginx_log", (("format", "combined"),)),
    ),
    # one that ends in the size: common; nginx's ingress format ends in a request id
    "access": (("common_log", ()), ("nginx_log", (("format", "ingress_upstreaminfo"),))),
    # Apache's combined also takes a bare `-` for the referrer and the agent
    "dashed": (("common_log", ()), ("apache_log", (("format", "combined"),))),
    "apache_error": (  # Apache's own error-log time, then VRL's default
        ("apache_log", (("format", "error"), ("timestamp_format", "%a %b %d %T%.f %Y"))),
        ("apache_log", (("format", "error"),)),
    ),
    "nginx_error": (("nginx_log", (("format", "error"),)),),
    "alb": (("aws_alb_log", ()),),
    "vpc": (("aws_vpc_flow_log", ()),),
}


@functools.cache
def _parsers(family: str) -> tuple[LineParser, ...]:
    return tuple(build_parser(name, dict(options))[0] for name, options in _READINGS[family])


def sniff(line: str) -> tuple[Record, str] | None:
    """``(fields, format)`` when the line starts like one of these formats and one of its
    readings takes it; else ``None``."""
    m = _START.match(line)
    if m is None:
        return None
    family = m.lastgroup
    assert family is not None
    if family == "access" and line.endswith('"'):
        # VRL's lazy expressions are slow to fail (the common one takes 80x longer on a
        # combined line than to match one), so only the readings that can apply are tried
        family = "main" if line.count('"') >= 8 else "quoted"
    elif family == "access" and line.endswith(" -"):
        family = "dashed"
    best: tuple[Record, str] | None = None
    for parser in _parsers(family):
        try:
            found = parser(line)
        except LineError:
            continue
        if best is None or weight(found[0]) > weight(best[0]):
            best = found
    return best


def weight(fields: Record) -> int:
    """How many fields say something: a ``-``, empty or null value is a log's "absent" (VRL's
    Apache reading drops such fields, its nginx one keeps ``-`` as text)."""
    return sum(1 for value in fields.values() if value not in _ABSENT)


_ABSENT: tuple[JSONValue, ...] = ("-", "", None)
