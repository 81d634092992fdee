"""The message of a raw log line: what ``rxp mine --format auto`` mines.

A raw line carries a header (a time, a host, a level, a component) before the event's own
words, and the header must go: its time varies on every line and its component splits an
event in two. rxp's own parsers read the line first when it opens as one they know (a
journald or syslog text line, JSON, ``<PRI>`` syslog): its ``message`` (or ``msg``) field
is its message. A line
they read only as text gets the common header shape taken off: leading tokens that are
times, numbers, bracketed fields or short capitals, up to a log level within the first
tokens, then the component after the level (``dfs.DataNode$PacketResponder:``,
``[main]``), a bracketed context and a ``-``; with no level, the leading time and number
tokens, and a program name followed by `` - ``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

from .._journal._codec import parse_short_line
from .._logparse import Format, parse_lines

__all__ = ["message_of", "messages"]

# what a line that rxp's parsers read as more than text opens with: JSON, a syslog
# priority, a syslog or ISO time then a host and a program
_MAYBE_HEADED: Final = re.compile(
    r"\s*[{\[<]|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d |\d{4}-\d\d-\d\dT\S+ \S+ \S+: "
)
_FIELDS: Final = ("message", "msg", "MESSAGE", "log", "content")
_LEVELS: Final = frozenset(
    [
        "trace",
        "debug",
        "dbg",
        "fine",
        "info",
        "inf",
        "information",
        "notice",
        "warn",
        "warning",
        "wrn",
        "error",
        "err",
        "severe",
        "crit",
        "critical",
        "alert",
        "emerg",
        "emergency",
        "fatal",
        "panic",
    ]
)
_TOKEN: Final = re.compile(r"[^\s|]+")
_LEVEL_TOKEN: Final = re.compile(r"[\[(<]?([A-Za-z]+)[\])>]?:?")
_HEADERISH: Final = re.compile(r"[^A-Za-z]*|.*\d.*|[A-Z][a-z]{2}|[A-Z]{1,8}")
_COMPONENT: Final = re.compile(
    r"\[.*\]:?|[\w.$@/-]+(?:\[[^\]]*\])?:|[A-Za-z_][\w$-]*(?:\.[A-Za-z_][\w$-]*){2,}"
)
_PUNCT: Final = "[](){}<>,;:-"
_DATE_WORDS: Final = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul"
    r"|Aug|Sep|Oct|Nov|Dec)"
)
_MOST_HEADER_TOKENS: Final = 10


def messages(lines: Iterable[str]) -> Iterator[str]:
    """Each line's message, in order (see the module docstring)."""
    for line in lines:
        line = line.rstrip("\r\n")
        yield _headed(line) if _MAYBE_HEADED.match(line) else message_of(line)


def _headed(line: str) -> str:
    """The message rxp's parsers find in a line that may be journald or syslog text
    (``parse_short_line``, the journal format's reader), JSON or ``<PRI>`` syslog."""
    if line[:1].isalnum():
        fields = parse_short_line(line)
        if fields is not None:
            message = dict(fields).get("message")
            return message if isinstance(message, str) else message_of(line)
        return message_of(line)
    stripped = line.lstrip()
    fmt: Format = "json" if stripped.startswith(("{", "[")) else "syslog"
    record = next(parse_lines([line], format=fmt))
    if "_error" not in record:
        for field in _FIELDS:
            value = record.get(field)
            if isinstance(value, str):
                return value
    return message_of(line)


def _is_level(word: str) -> bool:
    """A log level's name, or logcat's one capital (``D``, ``I``, ``W``, ``E``, ...)."""
    return word.lower() in _LEVELS or word in ("V", "D", "I", "W", "E", "F")


def message_of(line: str) -> str:
    """A text line with its header taken off (the line itself if it has none)."""
    tokens = list(_TOKEN.finditer(line))
    for i, token in enumerate(tokens[:_MOST_HEADER_TOKENS]):
        level = _LEVEL_TOKEN.fullmatch(token.group())
        if level is not None and _is_level(level.group(1)):
            rest = tokens[i + 1 :]
            if rest and _COMPONENT.fullmatch(rest[0].group()):
                rest = rest[1:]
            if rest and rest[0].group().startswith("["):  # a bracketed context: [req-1 ...]
                close = next((j for j, t in enumerate(rest) if t.group().endswith("]")), None)
                if close is not None and close + 1 < len(rest):
                    rest = rest[close + 1 :]
            if rest and rest[0].group() == "-":
                rest = rest[1:]
            return line[rest[0].start() :] if rest else line
        if not _HEADERISH.fullmatch(token.group().strip(_PUNCT)):
            break
    start = 0
    for k, token in enumerate(tokens):
        text = token.group()
        if not (any(c.isdigit() for c in text) or _DATE_WORDS.fullmatch(text.strip(_PUNCT))):
            # a program (and its tags) before a lone "-": ``chrome.exe *64 - ...``
            near = range(k + 1, min(k + 3, len(tokens)))
            dash = next((j for j in near if tokens[j].group() == "-"), None)
            if dash is not None and dash + 1 < len(tokens):
                start = tokens[dash].end()
            break
        start = token.end()
    return line[start:].lstrip() or line
