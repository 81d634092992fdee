"""A port of CPython's ``re._parser`` reading primitives for rxp's ``re``-flavour scanner.

``Scanner`` keeps re's ``Tokenizer`` (one character, or a backslash and the character after
it, at a time, looking one token ahead exactly as re does: that look-ahead decides which error
re reports first) and re's routines for escapes, sets and inline flags, emitting tokens
instead of building re's intermediate code. ``_lex_re`` drives it over groups and branches.
"""

from __future__ import annotations

import sys
import unicodedata

from lark import Token

from .._errors import PatternError
from ._tokens import CONTROL_ESCAPES, ScanResult, literal_char

__all__ = ["MAXREPEAT", "MAX_NESTING", "Scanner"]

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
ANCHOR_ESCAPES = frozenset("AZbB")
CLASS_ESCAPES = frozenset("dDsSwW")
# TEMPLATE ("t") is a global-only inline flag until Python 3.13 removed it.
FLAG_LETTERS = frozenset("aiLmsux" + ("t" if sys.version_info < (3, 13) else ""))
# Python 3.12 made a conditional's group reference either ASCII digits or an identifier.
STRICT_CONDITION = sys.version_info >= (3, 12)
TYPE_FLAGS = frozenset("auL")


class Scanner:
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
