"""Balanced values: where a quoted string or a bracketed value that opens at a position ends.

This is the cheap half of the nested-value machinery: it finds the extent of a value
(``{...}``, ``[...]``, ``(...)``, ``<...>``, ``"..."``, ``'...'``) honouring backslash escapes
inside quotes and nesting of every bracket kind, without building anything. Decoding the value
is ``_nested``'s job (the Lark grammar) or ``json``'s.

Rules: ``"`` always opens a string; ``'`` opens one only where it cannot be an apostrophe (not
after a letter or digit) and only if it is closed on the line; ``<``/``>`` nest only inside a
value that opened with ``<`` (elsewhere they are comparison signs and arrows such as ``=>``).

Linear time, whatever the text: one compiled regex finds the next character that matters
and swallows a whole run of opening brackets or a whole double-quoted string at once, so
Python touches each interesting token once (a 1 MB line of ``{`` is one token). A ``'``
that fails to close means no later ``'`` can close either (every one after it was escaped,
or it would have closed the first), so it is tried once. ``balanced_end`` can record, in a
``memo``, the answer for every opener it passed: the fallback asks from many starts on one
line, and never scans the same value twice.
"""

from __future__ import annotations

import json
import re

from ._records import LineError

__all__ = [
    "MAX_DEPTH",
    "Memo",
    "balanced_end",
    "is_balanced",
    "string_body",
    "structure_error",
    "unquote",
]

#: Deeper nesting than this is an error rather than a value (Python's recursion, which folds
#: a parse tree, would give up near 1000; no log line nests this deep on purpose).
MAX_DEPTH = 256

_CLOSER = {"{": "}", "[": "]", "(": ")", "<": ">"}
_OPENERS = "{[(<"
# possessive (`*+`): the alternatives start differently, so a failed attempt never needs
# to give characters back, and failing costs one pass, not a search of every split
_DQ_TEXT = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_SQ_TEXT = r"(?<![^\W_])'[^'\\]*+(?:\\.[^'\\]*+)*+'"  # not after a letter or digit
_APOSTROPHE = r"(?<=[^\W_])'"


def _tokens(*, escapes: bool, angles: bool, strings: bool) -> re.Pattern[str]:
    """The scanner's token regex. Its first alternative skips, in C, a stretch that is
    balanced as it stands: plain characters, whole strings, escape pairs and bracketed
    values with no bracket inside (``[x]``, ``{"a":1}``); then a run of openers; then one
    special character. ``escapes``: a backslash and the next character are a pair outside
    strings; ``angles``: ``<`` and ``>`` are special (inside a ``<`` value); ``strings``:
    ``'`` may open a string."""
    special = r"\[\](){}\"'" + ("\\\\" if escapes else "") + ("<>" if angles else "")
    units = [_DQ_TEXT]
    if strings:
        units.append(_SQ_TEXT)
    if escapes:
        units.append(r"\\.")
    units.append(f"[^{special}]++")
    if strings:
        units.append(_APOSTROPHE)
    unit = "|".join(units)
    flat = "|".join(rf"\{o}(?:{unit})*+\{c}" for o, c in ("[]", "{}", "()"))
    return re.compile(rf"(?:{flat}|{unit})++|([{{\[(]+)|[\])}}\"'\\<>]", re.S)


# [angles][strings], for ``balanced_end``; one for ``structure_error`` (the grammar's tokens:
# ``\`` and ``<>`` are word characters there, and an unclosed ``'`` is an error)
_TOKENS = {
    (a, q): _tokens(escapes=True, angles=a, strings=q) for a in (False, True) for q in (False, True)
}
_GRAMMAR_TOKEN = _tokens(escapes=False, angles=False, strings=True)
_INTERESTING = re.compile(r"[\[\](){}\"'\\<>]")
_DQ = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_SQ = re.compile(r"'[^'\\]*(?:\\.[^'\\]*)*'", re.S)

Memo = dict[int, "int | LineError"]


_BODY = {
    '"': re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.S),
    "'": re.compile(r"[^'\\]*(?:\\.[^'\\]*)*", re.S),
}


def string_body(text: str, start: int, end: int, quote: str) -> bool:
    """Whether ``text[start:end]`` can be the inside of a ``quote``-quoted string: no
    unescaped ``quote`` in it, no lone backslash at its end (which would escape the closing
    quote), and the quote before it not itself escaped."""
    if _BODY[quote].fullmatch(text, start, end) is None:
        return False
    k = start - 1
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return (start - 1 - k) % 2 == 0


def _string_end(text: str, start: int) -> int:
    m = (_DQ if text[start] == '"' else _SQ).match(text, start)
    if m is None:
        raise LineError("unterminated quoted string", start + 1)
    return m.end()


def _is_apostrophe(text: str, at: int) -> bool:
    return at > 0 and text[at - 1].isalnum()


def _fail(memo: Memo | None, stack: list[int], error: LineError) -> LineError:
    if memo is not None:
        for pos in stack:
            memo[pos] = error
    return error


def balanced_end(text: str, start: int, memo: Memo | None = None) -> int:
    """The index just past the balanced value that opens at ``text[start]``.

    ``text[start]`` must be a quote or one of ``{[(<``. Raises ``LineError`` (with the
    1-based column of the problem) for an unterminated string, a bracket closed by the wrong
    kind, a value still open at the end of the text, or one nested deeper than
    ``MAX_DEPTH``. With ``memo`` (one dict per text), the answers for every bracket opened on
    the way are kept there and reused.
    """
    opener = text[start]
    if opener in "\"'":
        return _string_end(text, start)
    if opener not in _CLOSER:
        raise ValueError(f"not an opening bracket or quote: {opener!r}")
    if memo is not None and start in memo:
        known = memo[start]
        if isinstance(known, LineError):  # a fresh one: callers attach their fields to it
            raise type(known)(known.message, known.column)
        return known
    stack = [start]  # positions of the open brackets
    i = start + 1
    strings = True
    while True:  # one finditer per mode: restarted when `<>` or `'` change meaning
        angle = text[stack[-1]] == "<"
        specials = "])}\"'<>" if angle else "])}\"'"
        for m in _TOKENS[angle, strings].finditer(text, i):
            j, i = m.span()
            ch = text[j]
            if m.lastindex:  # a run of openers
                if memo is not None and j in memo:
                    known = memo[j]
                    if isinstance(known, _NeverClosed):  # then neither is anything around it
                        raise _never_closed(text, stack, memo, start) from None
                    if isinstance(known, LineError):
                        raise _fail(memo, stack, LineError(known.message, known.column))
                    i = known
                    break
                room = MAX_DEPTH - len(stack)
                if i - j > room:
                    raise LineError(f"nested deeper than {MAX_DEPTH} levels", j + room + 1)
                stack.extend(range(j, i))
                if angle:
                    break
                continue
            if i - j > 1 or ch not in specials:
                continue  # a balanced stretch
            if ch == '"':
                raise _fail(memo, stack, LineError("unterminated quoted string", j + 1))
            if ch == "'":
                if _is_apostrophe(text, j):
                    continue
                strings = False  # unclosed: no later `'` can close either (docstring)
                break
            top = text[stack[-1]]
            if ch == "<":
                stack.append(j)
                if len(stack) > MAX_DEPTH:
                    raise LineError(f"nested deeper than {MAX_DEPTH} levels", j + 1)
                continue
            if ch == _CLOSER[top]:
                pos = stack.pop()
                if memo is not None:
                    memo[pos] = i
                if not stack:
                    return i
                if (text[stack[-1]] == "<") != angle:
                    break
                continue
            error = LineError(f"expected {_CLOSER[top]!r} but found {ch!r}", j + 1)
            raise _fail(memo, stack, error)
        else:
            raise _never_closed(text, stack, memo, start)


class _NeverClosed(LineError):
    """A value still open at the end of the text (the memo tells it from other errors:
    everything around such a value is never closed either)."""


def _never_closed(text: str, stack: list[int], memo: Memo | None, start: int) -> LineError:
    if memo is not None:  # each still open: never closed, in its own words
        for pos in stack:
            memo[pos] = _NeverClosed(f"{text[pos]!r} is never closed", pos + 1)
    return _NeverClosed(f"{text[start]!r} is never closed", start + 1)


def structure_error(text: str, *, offset: int = 0, max_depth: int = MAX_DEPTH) -> LineError | None:
    """Why ``text`` cannot be read by ``grammars/nested.lark`` for its brackets and quotes
    alone (a bracket never closed, closed by the wrong kind, or with nothing open, a
    quoted string never closed, nesting deeper than ``max_depth``), or ``None``.

    The tokens are the grammar's: ``\\`` and ``<>`` are plain characters outside strings,
    ``'`` opens a string unless it follows a letter or digit. A linear scan run before the
    grammar, so that a hostile line (a megabyte of ``{``) is refused in milliseconds instead
    of being fed token by token to the LALR parser.
    """
    stack: list[int] = []
    for m in _GRAMMAR_TOKEN.finditer(text):
        j, i = m.span()
        ch = text[j]
        if m.lastindex:  # a run of openers
            room = max_depth - len(stack)
            if i - j > room:
                return LineError(f"nested deeper than {max_depth} levels", offset + j + room + 1)
            stack.extend(range(j, i))
            continue
        if i - j > 1 or ch not in "])}\"'":
            continue
        if ch == '"' or (ch == "'" and not _is_apostrophe(text, j)):
            return LineError("unterminated quoted string", offset + j + 1)
        if ch == "'":
            continue
        if not stack:
            return LineError(f"unexpected {ch!r}", offset + j + 1)
        top = text[stack.pop()]
        if ch != _CLOSER[top]:
            return LineError(f"expected {_CLOSER[top]!r} but found {ch!r}", offset + j + 1)
    if stack:  # Lark's words for it, at the end where it noticed
        return LineError("a bracket is still open at the end", offset + len(text) + 1)
    return None


def is_balanced(
    text: str, start: int = 0, end: int | None = None, memo: Memo | None = None
) -> bool:
    """Whether every quote and bracket in ``text[start:end]`` is closed, and nothing is
    closed that was not opened: the test for a capture that cut a nested value in the wrong
    place. With ``memo`` (``balanced_end``'s, for the whole ``text``), values already
    measured are not scanned again. ``<``/``>`` never count here."""
    n = len(text) if end is None else end
    i = start
    if start > 0 and start < n and text[start] == "'":  # no apostrophe at the very start
        m2 = _SQ.match(text, start, n)
        if m2 is None:
            return False
        i = m2.end()
    tokens = _TOKENS[False, True]
    while i < n:
        for m in tokens.finditer(text, i, n):
            j, i = m.span()
            if m.lastindex:  # a bracket opens: its value must close inside the span
                try:
                    i = balanced_end(text, j, memo)
                except LineError:
                    return False
                if i > n:
                    return False
                break
            ch = text[j]
            if i - j > 1 or ch not in "])}\"'":
                continue  # a balanced stretch, a lone backslash at the end
            if ch == "'" and _is_apostrophe(text, j):
                continue
            return False  # a closer with nothing open, a quote never closed
        else:
            return True
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
