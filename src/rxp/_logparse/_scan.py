"""Balanced values: where a quoted string or a bracketed value that opens at a position ends.

This is the cheap half of the nested-value machinery: it finds the extent of a value
(``{...}``, ``[...]``, ``(...)``, ``<...>``, ``"..."``, ``'...'``) honouring backslash escapes
inside quotes and nesting of every bracket kind, without building anything. Decoding the value
is ``_nested``'s job (the Lark grammar) or ``json``'s.

Rules: ``"`` always opens a string; ``'`` opens one only where it cannot be an apostrophe (not
after a letter or digit) and only if it is closed on the line; ``<``/``>`` nest only inside a
value that opened with ``<`` (elsewhere they are comparison signs and arrows such as ``=>``).
"""

from __future__ import annotations

import json
import re

from ._records import LineError

__all__ = ["balanced_end", "is_balanced", "unquote"]

_CLOSER = {"{": "}", "[": "]", "(": ")", "<": ">"}
_OPENERS = "{[(<"
_INTERESTING = re.compile(r"[\[\](){}\"'\\<>]")
_DQ = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_SQ = re.compile(r"'[^'\\]*(?:\\.[^'\\]*)*'", re.S)


def _string_end(text: str, start: int) -> int:
    m = (_DQ if text[start] == '"' else _SQ).match(text, start)
    if m is None:
        raise LineError("unterminated quoted string", start + 1)
    return m.end()


def _is_apostrophe(text: str, at: int) -> bool:
    return at > 0 and text[at - 1].isalnum()


def balanced_end(text: str, start: int) -> int:
    """The index just past the balanced value that opens at ``text[start]``.

    ``text[start]`` must be a quote or one of ``{[(<``. Raises ``LineError`` (with the
    1-based column of the problem) for an unterminated string, a bracket closed by the wrong
    kind, or a value still open at the end of the text.
    """
    opener = text[start]
    if opener in "\"'":
        return _string_end(text, start)
    if opener not in _CLOSER:
        raise ValueError(f"not an opening bracket or quote: {opener!r}")
    stack = [_CLOSER[opener]]
    i = start + 1
    search = _INTERESTING.search
    while True:
        m = search(text, i)
        if m is None:
            raise LineError(f"{opener!r} is never closed", start + 1)
        j = m.start()
        ch = text[j]
        if ch == "\\":
            i = j + 2
        elif ch == '"':
            i = _string_end(text, j)
        elif ch == "'":
            m2 = None if _is_apostrophe(text, j) else _SQ.match(text, j)
            i = j + 1 if m2 is None else m2.end()
        elif ch in "<>" and stack[-1] != ">":
            i = j + 1
        elif ch in _OPENERS:
            stack.append(_CLOSER[ch])
            i = j + 1
        elif ch == stack[-1]:
            stack.pop()
            if not stack:
                return j + 1
            i = j + 1
        else:
            raise LineError(f"expected {stack[-1]!r} but found {ch!r}", j + 1)


def is_balanced(text: str) -> bool:
    """Whether every quote and bracket in ``text`` is closed, and nothing is closed that was
    not opened: the test for a capture that cut a nested value in the wrong place."""
    i = 0
    search = _INTERESTING.search
    n = len(text)
    while i < n:
        m = search(text, i)
        if m is None:
            return True
        j = m.start()
        ch = text[j]
        if ch == "\\":
            i = j + 2
        elif ch in "<>" or (ch == "'" and _is_apostrophe(text, j)):
            i = j + 1
        elif ch == "'":
            m2 = _SQ.match(text, j)
            if m2 is None:
                return False
            i = m2.end()
        elif ch in '"{[(':
            try:
                i = balanced_end(text, j)
            except LineError:
                return False
        else:  # a closing bracket with nothing open
            return False
    return True


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f"}
_BACKSLASH = re.compile(r"\\(.)", re.S)


def unquote(token: str) -> str:
    """The text of a quoted string (``"..."`` or ``'...'``) with backslash escapes decoded:
    JSON's escapes, and a backslash before any other character stands for that character."""
    if token[0] == '"' and "\\" not in token:
        return token[1:-1]
    if token[0] == '"':
        try:
            value = json.loads(token)
        except ValueError:
            pass
        else:
            if isinstance(value, str):
                return value
    return _BACKSLASH.sub(lambda m: _ESCAPES.get(m[1], m[1]), token[1:-1])
