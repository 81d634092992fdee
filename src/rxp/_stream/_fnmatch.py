"""glibc's ``fnmatch(pattern, name, 0)`` in the C locale, byte for byte: the name rules of
grep's ``--include``, ``--exclude`` and ``--exclude-dir``.

A port of glibc's matching loop (``posix/fnmatch_loop.c``, 2.36) rather than a translation
to a regex, because a malformed bracket's meaning depends on the byte it is tried on (an
unterminated ``[`` is a literal, found out only when the scan reaches the end). With flags
0, ``*`` and ``?`` match ``/`` and a leading ``.`` too; ``[!...]`` and ``[^...]`` negate;
``[[:alpha:]]``, ``[=c=]`` and ``[.c.]`` are known; a backslash quotes the next byte; ranges
compare bytes. ``tests/stream/test_inputs.py`` holds it to the C library's own ``fnmatch``.
"""

from __future__ import annotations

__all__ = ["fnmatch"]

_CLASSES: dict[bytes, frozenset[int]] = {
    name: frozenset(members)
    for name, members in {
        b"alpha": [*range(65, 91), *range(97, 123)],
        b"digit": range(48, 58),
        b"alnum": [*range(48, 58), *range(65, 91), *range(97, 123)],
        b"upper": range(65, 91),
        b"lower": range(97, 123),
        b"space": b" \t\n\r\f\v",
        b"blank": b" \t",
        b"punct": [c for c in range(33, 127) if not chr(c).isalnum()],
        b"print": range(32, 127),
        b"graph": range(33, 127),
        b"cntrl": [*range(32), 127],
        b"xdigit": b"0123456789ABCDEFabcdef",
    }.items()
}
_CLASS_MAX = 256  # glibc's CHAR_CLASS_MAX_LENGTH
_NOMATCH = (False, None)


def fnmatch(glob: bytes, name: bytes) -> bool:
    """glibc's ``fnmatch(glob, name, 0) == 0`` in the C locale, byte for byte."""
    return _fct(glob + b"\0", 0, name, 0, False)[0]


def _fct(
    pat: bytes, p: int, name: bytes, n: int, ends: bool
) -> tuple[bool, tuple[int, int] | None]:
    """Match from ``pat[p]`` and ``name[n]``. With ``ends`` (the text after a ``*``), a
    further ``*`` ends the attempt: (True, where that ``*`` and the name stand)."""
    end = len(name)
    while True:
        c = pat[p]
        p += 1
        if c == 0:
            return (n == end, None)
        if c == 0x3F:  # ?
            if n == end:
                return _NOMATCH
        elif c == 0x5C:  # backslash
            c = pat[p]
            p += 1
            if c == 0 or n == end or name[n] != c:
                return _NOMATCH
        elif c == 0x2A:  # *
            if ends:
                return (True, (p - 1, n))
            c = pat[p]
            p += 1
            while c in (0x3F, 0x2A):
                if c == 0x3F:
                    if n == end:
                        return _NOMATCH
                    n += 1
                c = pat[p]
                p += 1
            if c == 0:
                return (True, None)
            want = pat[p] if c == 0x5C else c
            p -= 1
            for at in range(n, end):
                if c != 0x5B and name[at] != want:
                    continue
                ok, rest = _fct(pat, p, name, at, True)
                if ok:
                    if rest is None:
                        return (True, None)
                    p, n = rest
                    break
            else:
                return _NOMATCH
            continue
        elif c == 0x5B:  # [
            found = _bracket(pat, p, name, n)
            if found is None:
                return _NOMATCH
            p, literal = found
            if literal and (n == end or name[n] != 0x5B):
                return _NOMATCH
        elif n == end or name[n] != c:
            return _NOMATCH
        n += 1


_BSL, _LB, _RB, _COLON, _EQ, _DOT, _DASH = b"\\[]:=.-"


def _bracket(pat: bytes, p: int, name: bytes, n: int) -> tuple[int, bool] | None:
    """A bracket expression (``pat[p]`` follows its ``[``) tried on ``name[n]``: where
    the pattern goes on, and whether the ``[`` stood for itself (it had no ``]``); None
    when it does not match. The states follow glibc's labels."""
    p_init = p
    if n == len(name):
        return None
    negate = pat[p] in (0x21, 0x5E)  # ! ^
    if negate:
        p += 1
    fn = name[n]
    c = pat[p]
    p += 1
    while True:
        state = "plain"  # glibc's normal_bracket: c is a member, perhaps a range's start
        cold = c
        if c == _BSL:
            if pat[p] == 0:
                return None
            c = pat[p]
            p += 1
        elif c == _LB and pat[p] == _COLON:  # [:class:]
            start = p
            word = bytearray()
            while True:
                if len(word) == _CLASS_MAX:
                    return None
                p += 1
                c = pat[p]
                if c == _COLON and pat[p + 1] == _RB:
                    p += 2
                    state = "done"
                    break
                if c < 0x61 or c >= 0x7A:  # no class name after all: "[" is a member
                    p, c = start, _LB
                    break
                word.append(c)
            if state == "done":
                members = _CLASSES.get(bytes(word))
                if members is None:
                    return None
                if fn in members:
                    return _skip_rest(pat, p, negate, p_init)
                c = pat[p]
                p += 1
        elif c == _LB and pat[p] == _EQ:  # [=c=]
            start = p
            if pat[p + 1] != 0 and pat[p + 2] == _EQ and pat[p + 3] == _RB:
                if fn == pat[p + 1]:
                    return _skip_rest(pat, p + 4, negate, p_init)
                state = "done"
                p += 4
                c = pat[p]
                p += 1
            else:
                p, c = start, _LB
        elif c == 0:  # no "]": the "[" is a literal
            return p_init, True
        elif c == _LB and pat[p] == _DOT:  # [.c.]
            found = _symbol(pat, p)
            if found is None:
                return None
            cold, p = found
            if not (pat[p] == _DASH and pat[p + 1] != 0) and fn == cold:
                return _skip_rest(pat, p, negate, p_init)
            c = pat[p]
            p += 1
            state = "range"
        if state == "plain":
            if not (pat[p] == _DASH and pat[p + 1] not in (0, _RB)) and c == fn:
                return _skip_rest(pat, p, negate, p_init)
            cold = c
            c = pat[p]
            p += 1
            state = "range"
        if state == "range" and c == _DASH and pat[p] != _RB:
            cend = pat[p]
            p += 1
            if cend == _LB and pat[p] == _DOT:
                found = _symbol(pat, p)
                if found is None:
                    return None
                cend, p = found
            else:
                if cend == _BSL:
                    cend = pat[p]
                    p += 1
                if cend == 0:
                    return None
            if cold <= fn <= cend:  # the C locale collates bytes in their order
                return _skip_rest(pat, p, negate, p_init)
            c = pat[p]
            p += 1
        if c == _RB:
            break
    return (p, False) if negate else None


def _symbol(pat: bytes, p: int) -> tuple[int, int] | None:
    """A collating symbol ``[.c.]`` (``pat[p]`` is its ``.``): its byte, and where the
    pattern goes on; None unless it is one byte (the C locale names no others)."""
    end = pat.find(b".]", p + 1)
    if end < 0 or pat.find(b"\0", p + 1, end) >= 0:
        return None
    if end - (p + 1) != 1:
        return None
    return pat[p + 1], end + 2


def _skip_rest(pat: bytes, p: int, negate: bool, p_init: int) -> tuple[int, bool] | None:
    """After a member matched: past the bracket's ``]`` (None if a negated one); if the
    bracket turns out to be unterminated, its ``[`` was a literal after all (glibc 2.36)."""
    while True:
        c = pat[p]
        p += 1
        if c == _RB:
            break
        if c == 0:
            return p_init, True
        if c == _BSL:
            if pat[p] == 0:
                return None
            p += 1
        elif c == _LB and pat[p] == _COLON:
            start = p
            size = 0
            while True:
                p += 1
                c = pat[p]
                size += 1
                if size == _CLASS_MAX:
                    return None
                if pat[p] == _COLON and pat[p + 1] == _RB:
                    break
                if c < 0x61 or c >= 0x7A:
                    p = start - 2
                    break
            p += 2
        elif c == _LB and pat[p] == _EQ:
            if pat[p + 1] == 0 or pat[p + 2] != _EQ or pat[p + 3] != _RB:
                return None
            p += 4
        elif c == _LB and pat[p] == _DOT:
            end = pat.find(b".]", p + 1)
            if end < 0 or pat.find(b"\0", p + 1, end) >= 0:
                return None
            p = end + 2
    return None if negate else (p, False)
