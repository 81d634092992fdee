"""The tokeniser for ``re``-flavour patterns: pattern text -> the terminals of ``regex.lark``.

Regex tokenisation is context-sensitive (inside or outside a set, VERBOSE on or off and
scoped by groups, ``{`` a quantifier or a literal), so the lexing is done here, by a scanner
that reads the pattern the way CPython's ``re._parser`` does, character for character, with an
explicit stack instead of recursion. Following re's reading order is what makes every error
(message and position) agree with ``re.error``: the first error re meets left to right is the
first error this scanner meets, including the errors re raises while it parses (bad group
names, references to unknown or open groups, flags, repeat bounds). Errors re only finds
after parsing (look-behind width, conditional references to groups defined later, flag
arguments) are left to ``rxp._check``.

Contract: ``scan(pattern, verbose=...)`` returns the token list; the concatenated token
texts are exactly ``pattern`` (nothing is dropped: VERBOSE whitespace and comments become
``TRIVIA``, ``(?#...)`` a ``COMMENT``), and an ``EMPTY`` zero-width token stands for every
empty branch. Whitespace or comments between an item and its quantifier are folded into the
``QUANT`` token, as re applies the quantifier across them.
"""

from __future__ import annotations

import sys
import unicodedata

from lark import Token

from ._ast import Greed
from ._errors import PatternError

__all__ = ["MAXREPEAT", "MAX_NESTING", "ScanResult", "literal_char", "scan"]

MAXREPEAT = 4294967295
# re parses groups recursively and fails with RecursionError on deep nesting: about two
# Python frames per group (one per conditional), ~990 in all from a shallow stack. Past the
# same budget rxp reports "nesting too deep" instead (and keeps every later fold shallow).
MAX_NESTING = 990

SPECIAL_CHARS = frozenset(".\\[{()*+?^$|")
REPEAT_CHARS = frozenset("*+?{")
DIGITS = frozenset("0123456789")
OCTDIGITS = frozenset("01234567")
HEXDIGITS = frozenset("0123456789abcdefABCDEF")
ASCIILETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
WHITESPACE = frozenset(" \t\n\r\v\f")
CONTROL_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
ANCHOR_ESCAPES = frozenset("AZbB")
CLASS_ESCAPES = frozenset("dDsSwW")
# TEMPLATE ("t") is a global-only inline flag until Python 3.13 removed it.
FLAG_LETTERS = frozenset("aiLmsux" + ("t" if sys.version_info < (3, 13) else ""))
# Python 3.12 made a conditional's group reference either ASCII digits or an identifier.
STRICT_CONDITION = sys.version_info >= (3, 12)
TYPE_FLAGS = frozenset("auL")


class ScanResult:
    """A scanner's output: the tokens, and what it learnt about some of them, keyed by the
    token's start offset (the parser reads values from here where the raw text alone does
    not settle them: group numbers, and in the regex flavour quantifier bounds, reference
    targets and names written with VERBOSE whitespace inside)."""

    __slots__ = ("captures", "chars", "quants", "targets", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.captures: dict[int, tuple[int, str | None]] = {}
        self.quants: dict[int, tuple[int, int | None, Greed]] = {}
        self.targets: dict[int, int | str] = {}
        self.chars: dict[int, str] = {}


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


class _Scanner:
    """A port of ``re._parser``'s ``Tokenizer`` and ``_parse`` emitting tokens."""

    def __init__(self, pattern: str, verbose: bool) -> None:
        self.string = pattern
        self.length = len(pattern)
        self.index = 0
        self.next: str | None = None
        self.tokens: list[Token] = []
        self.verbose = verbose
        self.groups = 1  # re's state.groups: next group number
        self.closed: set[int] = set()
        self.names: dict[str, int] = {}
        self.lookbehind: int | None = None
        self.result = ScanResult(self.tokens)
        self._advance()

    # --- re's Tokenizer -------------------------------------------------------------------

    def _advance(self) -> None:
        index = self.index
        if index >= self.length:
            self.next = None
            return
        char = self.string[index]
        if char == "\\":
            index += 1
            if index >= self.length:
                raise PatternError(
                    "bad escape (end of pattern)",
                    pattern=self.string,
                    span=(self.length - 1, self.length),
                )
            char += self.string[index]
        self.index = index + 1
        self.next = char

    def match(self, char: str) -> bool:
        if char == self.next:
            self._advance()
            return True
        return False

    def get(self) -> str | None:
        this = self.next
        self._advance()
        return this

    def getwhile(self, n: int, charset: frozenset[str]) -> str:
        result = ""
        for _ in range(n):
            c = self.next
            if c not in charset:
                break
            result += c
            self._advance()
        return result

    def getuntil(self, terminator: str, name: str) -> str:
        result = ""
        while True:
            c = self.next
            self._advance()
            if c is None:
                if not result:
                    raise self.error("missing " + name)
                raise self.error(f"missing {terminator}, unterminated name", len(result))
            if c == terminator:
                if not result:
                    raise self.error("missing " + name, 1)
                return result
            result += c

    def tell(self) -> int:
        return self.index - len(self.next or "")

    def seek(self, index: int) -> None:
        self.index = index
        self._advance()

    def error(self, message: str, offset: int = 0, end: int | None = None) -> PatternError:
        here = self.tell()
        start = here - offset
        stop = end if end is not None else (here if offset > 0 else start + 1)
        return PatternError(message, pattern=self.string, span=(start, stop))

    def checkgroupname(self, name: str, offset: int) -> None:
        if not name.isidentifier():
            raise self.error(f"bad character in group name {name!r}", len(name) + offset)

    # --- emitting -------------------------------------------------------------------------

    def emit(self, kind: str, start: int) -> None:
        end = self.tell()
        self.tokens.append(Token(kind, self.string[start:end], start))

    # --- escapes --------------------------------------------------------------------------

    def escape_common(self, escape: str, start: int) -> str | None:
        """Shared part of re's ``_escape``/``_class_escape`` for \\x \\u \\U \\N; the token
        kind, or None when ``escape`` is none of them."""
        c = escape[1]
        if c == "x":
            escape += self.getwhile(2, HEXDIGITS)
            if len(escape) != 4:
                raise self.error(f"incomplete escape {escape}", len(escape))
            return "HEX"
        if c == "u":
            escape += self.getwhile(4, HEXDIGITS)
            if len(escape) != 6:
                raise self.error(f"incomplete escape {escape}", len(escape))
            return "UNICODE"
        if c == "U":
            escape += self.getwhile(8, HEXDIGITS)
            if len(escape) != 10:
                raise self.error(f"incomplete escape {escape}", len(escape))
            if int(escape[2:], 16) > 0x10FFFF:
                raise self.error(f"bad escape {escape}", len(escape))
            return "UNICODE_LONG"
        if c == "N":
            if not self.match("{"):
                raise self.error("missing {")
            charname = self.getuntil("}", "character name")
            try:
                if len(unicodedata.lookup(charname)) != 1:
                    raise KeyError(charname)
            except KeyError:
                raise self.error(
                    f"undefined character name {charname!r}", len(charname) + 4
                ) from None
            return "NAMED_CHAR"
        return None

    def class_escape(self, escape: str, start: int) -> str:
        """re's ``_class_escape``: the token kind of an escape inside a set."""
        c = escape[1]
        if c in CONTROL_ESCAPES or c == "b":
            return "CONTROL"
        if c == "\\":
            return "ESCAPED"
        if c in CLASS_ESCAPES:
            return "CLASS_ESCAPE"
        kind = self.escape_common(escape, start)
        if kind is not None:
            return kind
        if c in OCTDIGITS:
            escape += self.getwhile(2, OCTDIGITS)
            if int(escape[1:], 8) > 0o377:
                raise self.error(
                    f"octal escape value {escape} outside of range 0-0o377", len(escape)
                )
            return "OCTAL"
        if c in DIGITS or c in ASCIILETTERS:
            raise self.error(f"bad escape {escape}", len(escape))
        return "ESCAPED"

    def escape(self, escape: str, start: int) -> str:
        """re's ``_escape``: the token kind of an escape outside a set."""
        c = escape[1]
        if c in ANCHOR_ESCAPES:
            return "ANCHOR"
        if c in CLASS_ESCAPES:
            return "CLASS_ESCAPE"
        if c in CONTROL_ESCAPES:
            return "CONTROL"
        if c == "\\":
            return "ESCAPED"
        kind = self.escape_common(escape, start)
        if kind is not None:
            return kind
        if c == "0":
            self.getwhile(2, OCTDIGITS)
            return "OCTAL"
        if c in DIGITS:
            if self.next in DIGITS:
                escape += self.get() or ""
                if escape[1] in OCTDIGITS and escape[2] in OCTDIGITS and self.next in OCTDIGITS:
                    escape += self.get() or ""
                    if int(escape[1:], 8) > 0o377:
                        raise self.error(
                            f"octal escape value {escape} outside of range 0-0o377",
                            len(escape),
                        )
                    return "OCTAL"
            group = int(escape[1:])
            if group < self.groups:
                if group not in self.closed:
                    raise self.error("cannot refer to an open group", len(escape))
                self.check_lookbehind_group(group)
                return "BACKREF"
            raise self.error(f"invalid group reference {group}", len(escape) - 1)
        if c in ASCIILETTERS:
            raise self.error(f"bad escape {escape}", len(escape))
        return "ESCAPED"

    def check_lookbehind_group(self, gid: int) -> None:
        if self.lookbehind is not None:
            if gid not in self.closed:
                raise self.error("cannot refer to an open group")
            if gid >= self.lookbehind:
                raise self.error("cannot refer to group defined in the same lookbehind subpattern")

    # --- sets -----------------------------------------------------------------------------

    def charset(self, here: int) -> None:
        """From just after ``[``: emit the set's tokens up to and including ``]``."""
        self.match("^")
        self.emit("CLASS_OPEN", here)
        tokens = self.tokens
        empty = True
        while True:
            start = self.tell()
            this = self.get()
            if this is None:
                raise self.error("unterminated character set", self.tell() - here)
            if this == "]" and not empty:
                self.emit("CLASS_CLOSE", start)
                return
            empty = False
            kind1 = self.class_escape(this, start) if this[0] == "\\" else "CHAR"
            end1 = self.tell()
            if self.match("-"):
                dash = end1
                start2 = self.tell()
                that = self.get()
                if that is None:
                    raise self.error("unterminated character set", self.tell() - here)
                if that == "]":
                    tokens.append(Token(kind1, self.string[start:end1], start))
                    tokens.append(Token("CHAR", "-", dash))
                    self.emit("CLASS_CLOSE", start2)
                    return
                kind2 = self.class_escape(that, start2) if that[0] == "\\" else "CHAR"
                width = len(this) + 1 + len(that)
                if kind1 == "CLASS_ESCAPE" or kind2 == "CLASS_ESCAPE":
                    raise self.error(f"bad character range {this}-{that}", width)
                lo = literal_char(kind1, self.string[start:end1])
                hi = literal_char(kind2, self.string[start2 : self.tell()])
                if hi < lo:
                    raise self.error(f"bad character range {this}-{that}", width)
                tokens.append(Token(kind1, self.string[start:end1], start))
                tokens.append(Token("RANGE_DASH", "-", dash))
                self.emit(kind2, start2)
            else:
                tokens.append(Token(kind1, self.string[start:end1], start))

    # --- groups ---------------------------------------------------------------------------

    def flags(self, char: str, start: int) -> tuple[str, str] | None:
        """re's ``_parse_flags`` from the first flag letter; None for global flags."""
        on = off = ""
        if char != "-":
            while True:
                if char == "L":
                    raise self.error("bad inline flags: cannot use 'L' flag with a str pattern")
                on += char
                if char in TYPE_FLAGS and any(f in TYPE_FLAGS and f != char for f in on):
                    raise self.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible")
                got = self.get()
                if got is None:
                    raise self.error("missing -, : or )")
                char = got
                if char in ")-:":
                    break
                if char not in FLAG_LETTERS:
                    message = "unknown flag" if char.isalpha() else "missing -, : or )"
                    raise self.error(message, len(char))
        if char == ")":
            return None
        if "t" in on:
            raise self.error("bad inline flags: cannot turn on global flag", 1)
        if char == "-":
            got = self.get()
            if got is None:
                raise self.error("missing flag")
            char = got
            if char not in FLAG_LETTERS:
                message = "unknown flag" if char.isalpha() else "missing flag"
                raise self.error(message, len(char))
            while True:
                if char in TYPE_FLAGS:
                    raise self.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'")
                off += char
                got = self.get()
                if got is None:
                    raise self.error("missing :")
                char = got
                if char == ":":
                    break
                if char not in FLAG_LETTERS:
                    message = "unknown flag" if char.isalpha() else "missing :"
                    raise self.error(message, len(char))
        if "t" in off:
            raise self.error("bad inline flags: cannot turn off global flag", 1)
        if set(on) & set(off):
            raise self.error("bad inline flags: flag turned on and off", 1)
        return on, off


def literal_char(kind: str, raw: str) -> str:
    """The character a literal token stands for (``raw`` is exactly as written)."""
    if kind == "CHAR":
        return raw
    if kind == "ESCAPED":
        return raw[1]
    if kind == "CONTROL":
        return CONTROL_ESCAPES.get(raw[1], "\b")
    if kind in ("HEX", "UNICODE", "UNICODE_LONG"):
        return chr(int(raw[2:], 16))
    if kind == "NAMED_CHAR":
        return unicodedata.lookup(raw[3:-1])
    if kind == "OCTAL":
        return chr(int(raw[1:], 8))
    raise ValueError(f"not a literal token: {kind}")


def scan(pattern: str, *, verbose: bool = False) -> ScanResult:
    """The tokens of ``pattern`` (re flavour) and the group number and name of each
    capturing group by its opener's position; raises ``PatternError`` where re would."""
    s = _Scanner(pattern, verbose)
    _run(s)
    return s.result


def _run(s: _Scanner) -> list[Token]:
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
    s: _Scanner, start: int, verbose: bool, first: bool, count: int
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


def _open_capture(s: _Scanner, name: str | None, start: int) -> int:
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
