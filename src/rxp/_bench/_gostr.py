"""Go's quoted strings and regular expressions, as benchstat's expression syntax reads them.

``go_unquote`` / ``go_quote`` are ``strconv.Unquote`` / ``strconv.Quote`` for double-quoted
strings; ``regexp_until`` is benchproc's scan for a regexp's closing ``/``; ``go_regexp``
turns RE2's POSIX classes (``[[:alpha:]]``) into what Python's ``re`` reads the same way.
"""

from __future__ import annotations

import re

from ._select import top_level

__all__ = ["RegexpError", "go_quote", "go_regexp", "go_unquote", "regexp_until"]


def regexp_until(text: str, delim: str) -> str | None:
    """benchproc's ``regexpParseUntil``: the regexp before ``delim`` at its top level."""
    return next((text[:i] for i in top_level(text) if text.startswith(delim, i)), None)


class RegexpError(ValueError):
    pass


_POSIX = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9", "graph": "!-~", "lower": "a-z",
    "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z",
    "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
}  # fmt: skip
_POSIX_CLASS = re.compile(r"\[:(\^?)([a-z]*):\]")


def go_regexp(expr: str) -> str:
    """RE2's POSIX classes inside brackets, for Python's ``re`` (negated ones refused)."""

    def posix(m: re.Match[str]) -> str:
        if m.group(2) not in _POSIX or m.group(1):
            raise RegexpError(f"invalid character class range: `{m.group()}`")
        return _POSIX[m.group(2)]

    return _POSIX_CLASS.sub(posix, expr)


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPES |= {"\\": "\\", '"': '"'}


def go_unquote(body: str) -> str | None:
    """The inside of a double-quoted Go string literal, or None (``strconv.Unquote``)."""
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\n":
            return None
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        esc = body[i + 1 : i + 2]
        if esc in _ESCAPES:
            out.append(_ESCAPES[esc])
            i += 2
            continue
        width = {"x": 2, "u": 4, "U": 8}.get(esc)
        digits = body[i + 2 : i + 2 + (width or 0)] if width else body[i + 1 : i + 4]
        base = 16 if width else 8
        valid = "0123456789abcdefABCDEF" if width else "01234567"
        if len(digits) != (width or 3) or any(d not in valid for d in digits):
            return None
        code = int(digits, base)
        if code > (0xFF if esc in "x01234567" else 0x10FFFF) or 0xD800 <= code < 0xE000:
            return None
        out.append(chr(code))
        i += 2 + (width or 2)
    return "".join(out)


def go_quote(s: str) -> str:
    """``strconv.Quote``: printable characters kept, the rest escaped."""
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append("\\" + "abfnrtv"["\a\b\f\n\r\t\v".index(ch)])
        elif ch.isprintable() and (ch == " " or not ch.isspace()):
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out) + '"'
