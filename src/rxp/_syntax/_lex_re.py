"""The tokeniser for ``re``-flavour patterns: pattern text -> the terminals of ``regex.lark``.

Regex tokenisation is context-sensitive (inside or outside a set, VERBOSE on or off and
scoped by groups, ``{`` a quantifier or a literal), so the lexing is done here, by a scanner
that reads the pattern the way CPython's ``re._parser`` does, character for character, with an
explicit stack instead of recursion (``_re_source`` holds the reading primitives, this
module the loop over branches and groups). Following re's reading order is what makes every error
(message and position) agree with ``re.error``: the first error re meets left to right is the
first error this scanner meets, including the errors re raises while it parses (bad group
names, references to unknown or open groups, flags, repeat bounds). Errors re only finds
after parsing (look-behind width, conditional references to groups defined later, flag
arguments) are left to ``_check``.

Contract: ``scan(pattern, verbose=...)`` returns a ``ScanResult`` whose concatenated token
texts are exactly ``pattern`` (nothing is dropped: VERBOSE whitespace and comments become
``TRIVIA``, ``(?#...)`` a ``COMMENT``), and an ``EMPTY`` zero-width token stands for every
empty branch. Whitespace or comments between an item and its quantifier are folded into the
``QUANT`` token, as re applies the quantifier across them. Group numbers and names are
recorded by opener offset.
"""

from __future__ import annotations

from lark import Token

from ._re_source import (
    DIGITS,
    FLAG_LETTERS,
    MAX_NESTING,
    MAXREPEAT,
    REPEAT_CHARS,
    SPECIAL_CHARS,
    STRICT_CONDITION,
    WHITESPACE,
    Scanner,
)
from ._tokens import ScanResult

__all__ = ["scan"]


# What the last item of the current branch is, for "nothing to repeat" / "multiple repeat".
_NONE, _AT, _ITEM, _REPEAT = 0, 1, 2, 3


class _Group:
    """An open group on the scanner's stack."""

    __slots__ = (
        "capture",
        "cond",
        "count",
        "depth",
        "last",
        "last_end",
        "outermost_lookbehind",
        "pipes",
        "start",
        "verbose",
    )

    def __init__(self, start: int, verbose: bool, capture: int | None, cond: bool) -> None:
        self.outermost_lookbehind = False
        self.depth = 0
        self.start = start
        self.verbose = verbose  # VERBOSE of the enclosing branch, restored on close
        self.last = _NONE  # enclosing branch's last-item state, restored on close
        self.last_end = 0
        self.count = 0  # items in the enclosing branch before the group
        self.cond = cond
        self.pipes = 0
        self.capture = capture


def scan(pattern: str, *, verbose: bool = False) -> ScanResult:
    """The tokens of ``pattern`` (re flavour) and the group number and name of each
    capturing group by its opener's position; raises ``PatternError`` where re would."""
    s = Scanner(pattern, verbose)
    try:
        _run(s)
    except ValueError:  # int() refused a repeat count longer than it reads; so does re
        raise s.error("the repetition number is too large") from None
    return s.result


def _run(s: Scanner) -> list[Token]:
    tokens = s.tokens
    stack: list[_Group] = []
    verbose = s.verbose
    last = _NONE  # kind of the current branch's last item
    last_end = 0  # len(tokens) just after that item
    count = 0  # items in the current branch (re's ``subpattern`` length)
    branch_tokens = 0  # len(tokens) at the start of the current branch
    first = True  # the first branch at top level (global flags allowed)
    depth = 0  # re's recursion depth for the open groups
    while True:
        this = s.next
        start = s.tell()
        if this is None or this == "|" or this == ")":
            if len(tokens) == branch_tokens:
                tokens.append(Token("EMPTY", "", start))
            if this is None:
                if stack:
                    group = stack[-1]
                    raise s.error("missing ), unterminated subpattern", start - group.start)
                return tokens
            if this == "|":
                if stack and stack[-1].cond:
                    group = stack[-1]
                    group.pipes += 1
                    if group.pipes > 1:
                        raise s.error("conditional backref with more than two branches")
                s.get()
                s.emit("PIPE", start)
                last, last_end, count, branch_tokens = _NONE, len(tokens), 0, len(tokens)
                first = False
                continue
            # ")"
            if not stack:
                raise s.error("unbalanced parenthesis")
            s.get()
            s.emit("RPAR", start)
            group = stack.pop()
            depth = stack[-1].depth if stack else 0
            if group.capture is not None:
                s.closed.add(group.capture)
            if group.outermost_lookbehind:
                s.lookbehind = None
            verbose = group.verbose
            last, last_end, count = _ITEM, len(tokens), group.count + 1
            branch_tokens = -1
            continue
        s.get()
        if verbose:
            if this in WHITESPACE:
                while s.next is not None and s.next in WHITESPACE:
                    s.get()
                s.emit("TRIVIA", start)
                continue
            if this == "#":
                while True:
                    got = s.get()
                    if got is None or got == "\n":
                        break
                s.emit("TRIVIA", start)
                continue
        if this[0] == "\\":
            kind = s.escape(this, start)
            s.emit(kind, start)
            last = _AT if kind == "ANCHOR" else _ITEM
            last_end, count = len(tokens), count + 1
        elif this not in SPECIAL_CHARS:
            tokens.append(Token("CHAR", this, start))
            last, last_end, count = _ITEM, len(tokens), count + 1
        elif this == "[":
            s.charset(start)
            last, last_end, count = _ITEM, len(tokens), count + 1
        elif this in REPEAT_CHARS:
            here = s.tell()
            lo = hi = 0
            if this == "{":
                if s.next == "}":
                    tokens.append(Token("CHAR", "{", start))
                    last, last_end, count = _ITEM, len(tokens), count + 1
                    continue
                los = his = ""
                while s.next in DIGITS:
                    los += s.get() or ""
                if s.match(","):
                    while s.next in DIGITS:
                        his += s.get() or ""
                else:
                    his = los
                if not s.match("}"):
                    tokens.append(Token("CHAR", "{", start))
                    last, last_end, count = _ITEM, len(tokens), count + 1
                    s.seek(here)
                    continue
                if los:
                    lo = int(los)
                    if lo >= MAXREPEAT:
                        raise s.error("the repetition number is too large", s.tell() - start)
                if his:
                    hi = int(his)
                    if hi >= MAXREPEAT:
                        raise s.error("the repetition number is too large", s.tell() - start)
                    if hi < lo:
                        raise s.error("min repeat greater than max repeat", s.tell() - here)
            if last in (_NONE, _AT):
                raise s.error("nothing to repeat", s.tell() - here + len(this))
            if last == _REPEAT:
                raise s.error("multiple repeat", s.tell() - here + len(this))
            if not s.match("?"):
                s.match("+")
            qstart = (tokens[last_end].start_pos or 0) if last_end < len(tokens) else start
            del tokens[last_end:]
            s.emit("QUANT", qstart)
            last, last_end = _REPEAT, len(tokens)
        elif this == ".":
            tokens.append(Token("DOT", ".", start))
            last, last_end, count = _ITEM, len(tokens), count + 1
        elif this == "^" or this == "$":
            tokens.append(Token("ANCHOR", this, start))
            last, last_end, count = _AT, len(tokens), count + 1
        else:  # "("
            opened = _open_group(s, start, verbose, first and not stack, count)
            if opened is None:  # a complete token: comment, flags, named backref
                kind = tokens[-1].type
                if kind == "BACKREF":
                    last, last_end, count = _ITEM, len(tokens), count + 1
                elif kind == "INLINE_FLAGS":
                    verbose = verbose or "x" in tokens[-1].value
                continue
            group, sub_verbose = opened
            depth += 1 if group.cond else 2
            group.depth = depth
            if depth > MAX_NESTING:
                raise s.error("nesting too deep", s.tell() - start)
            group.last, group.last_end, group.count = last, last_end, count
            stack.append(group)
            verbose = sub_verbose
            last, last_end, count, branch_tokens = _NONE, len(tokens), 0, len(tokens)
            first = False


def _open_group(
    s: Scanner, start: int, verbose: bool, first: bool, count: int
) -> tuple[_Group, bool] | None:
    """From just after ``(``: emit an opener and return the group to push with its
    VERBOSE state, or emit a whole token (comment, global flags, named backreference)
    and return None."""
    capture: int | None = None
    on = off = ""
    kind = "CAPTURE_OPEN"
    cond = False
    if s.match("?"):
        char = s.get()
        if char is None:
            raise s.error("unexpected end of pattern")
        if char == "P":
            if s.match("<"):
                name = s.getuntil(">", "group name")
                s.checkgroupname(name, 1)
                capture = _open_capture(s, name, start)
            elif s.match("="):
                name = s.getuntil(")", "group name")
                s.checkgroupname(name, 1)
                gid = s.names.get(name)
                if gid is None:
                    raise s.error(f"unknown group name {name!r}", len(name) + 1)
                if gid not in s.closed:
                    raise s.error("cannot refer to an open group", len(name) + 1)
                s.check_lookbehind_group(gid)
                s.emit("BACKREF", start)
                return None
            else:
                char = s.get()
                if char is None:
                    raise s.error("unexpected end of pattern")
                raise s.error("unknown extension ?P" + char, len(char) + 2)
        elif char == ":":
            kind = "NONCAPTURE_OPEN"
        elif char == "#":
            while True:
                if s.next is None:
                    raise s.error("missing ), unterminated comment", s.tell() - start)
                if s.get() == ")":
                    break
            s.emit("COMMENT", start)
            return None
        elif char in "=!<":
            if char == "<":
                char = s.get()
                if char is None:
                    raise s.error("unexpected end of pattern")
                if char not in "=!":
                    raise s.error("unknown extension ?<" + char, len(char) + 2)
                if s.lookbehind is None:
                    s.lookbehind = s.groups
                    s.emit("LOOKAROUND_OPEN", start)
                    group = _Group(start, verbose, None, False)
                    group.outermost_lookbehind = True
                    return group, verbose
            kind = "LOOKAROUND_OPEN"
        elif char == "(":
            condname = s.getuntil(")", "group name")
            named = (
                not (condname.isdecimal() and condname.isascii())
                if STRICT_CONDITION
                else condname.isidentifier()
            )
            if named:
                s.checkgroupname(condname, 1)
                if condname not in s.names:
                    raise s.error(f"unknown group name {condname!r}", len(condname) + 1)
                gid = s.names[condname]
            else:
                try:
                    gid = int(condname)
                    if gid < 0:
                        raise ValueError
                except ValueError:
                    raise s.error(
                        f"bad character in group name {condname!r}", len(condname) + 1
                    ) from None
                if not gid:
                    raise s.error("bad group number", len(condname) + 1)
                if gid >= 1073741823:
                    raise s.error(f"invalid group reference {gid}", len(condname) + 1)
            s.check_lookbehind_group(gid)
            kind = "CONDITION_OPEN"
            cond = True
        elif char == ">":
            kind = "ATOMIC_OPEN"
        elif char in FLAG_LETTERS or char == "-":
            flags = s.flags(char, start)
            if flags is None:
                if not first or count:
                    raise s.error(
                        "global flags not at the start of the expression", s.tell() - start
                    )
                s.emit("INLINE_FLAGS", start)
                return None
            on, off = flags
            kind = "NONCAPTURE_OPEN"
        else:
            raise s.error("unknown extension ?" + char, len(char) + 1)
    else:
        capture = _open_capture(s, None, start)
    s.emit(kind, start)
    sub_verbose = (verbose or "x" in on) and "x" not in off
    return _Group(start, verbose, capture, cond), sub_verbose


def _open_capture(s: Scanner, name: str | None, start: int) -> int:
    gid = s.groups
    s.result.captures[start] = (gid, name)
    s.groups += 1
    if name is not None:
        old = s.names.get(name)
        if old is not None:
            raise s.error(
                f"redefinition of group name {name!r} as group {gid}; was group {old}",
                len(name) + 1,
            )
        s.names[name] = gid
    return gid
