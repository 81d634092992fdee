"""A port of the ``regex`` package's ``Source`` and its routines for names, escapes,
properties and sets, for rxp's regex-flavour scanner.

``Scanner`` reads the text as ``_regex_core`` does: under VERBOSE every read skips whitespace
and ``#`` comments first (so they may stand inside ``a{1, 2}`` or ``\\x 41``), except inside a
set and for the character after a backslash. It emits tokens covering the text exactly and
records the values it computes (characters, reference targets) in the ``ScanResult``.
``_lex_regex`` drives it over groups and branches.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from lark import Token

from .._errors import PatternError
from ._tokens import ScanResult, literal_char

__all__ = ["MAX_NESTING", "NESTING_COST", "Scanner"]

UNLIMITED = 0xFFFFFFFF
# The regex package parses (and compiles) nested groups and sets recursively and fails with
# RecursionError at about 985 Python frames; each construct costs a known number of frames
# per level, so past the same budget rxp reports "nesting too deep".
MAX_NESTING = 985
NESTING_COST = {
    "CAPTURE_OPEN": 3,
    "BRANCH_RESET_OPEN": 3,
    "NONCAPTURE_OPEN": 5,
    "CLASS_OPEN": 7,
}  # every other group: 4
ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS = frozenset("0123456789")
ALNUM = ALPHA | DIGITS
OCT_DIGITS = frozenset("01234567")
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
SPECIAL = frozenset("()|?*+{^$.[\\#")
NAMED_CHAR_PART = ALNUM | frozenset(" -")
PROPERTY_NAME_PART = ALNUM | frozenset(" &_-.")
PROPERTY_VALUE_PART = ALNUM | frozenset(" &_-./")
SET_OPS = (("||", "UNION_OP"), ("~~", "SYMMETRIC_OP"), ("&&", "INTERSECTION_OP"))
FLAG_LETTERS = frozenset("abefiLmprsuwx")
GLOBAL_FLAGS = frozenset({"V0", "V1", "b", "e", "p", "r", "d"})
HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
POSITION_ESCAPES = frozenset("AbBKmMZz")
CHARSET_ESCAPES = frozenset("dDhsSwW")
CHARACTER_ESCAPES = frozenset("abfnrtv")
VERBS = frozenset({"FAIL", "F", "PRUNE", "SKIP"})


class Scanner:
    def __init__(self, pattern: str, flags: frozenset[str], named_lists: frozenset[str]) -> None:
        self.named_lists = named_lists
        self.string = pattern
        self.length = len(pattern)
        self.pos = 0
        self.flags = flags
        self.global_flags = flags & GLOBAL_FLAGS
        self.tokens: list[Token] = []
        self.result = ScanResult(self.tokens)
        self.group_count = 0
        self.group_index: dict[str, int] = {}
        self.group_name: dict[int, str] = {}
        self.open_groups: list[int] = []
        self.ignore_space = "x" in flags
        self.depth = 0  # the package's recursion cost of what is open

    # --- the package's Source, with VERBOSE skipping --------------------------------------

    @property
    def v1(self) -> bool:
        return "V1" in self.flags

    def skip(self, pos: int, ignore: bool) -> int:
        if not ignore:
            return pos
        string, length = self.string, self.length
        while pos < length:
            ch = string[pos]
            if ch.isspace():
                pos += 1
            elif ch == "#":
                end = string.find("\n", pos)
                pos = length if end < 0 else end
            else:
                break
        return pos

    def get(self, override: bool = False, ignore: bool | None = None) -> str:
        skip = (self.ignore_space if ignore is None else ignore) and not override
        pos = self.skip(self.pos, skip)
        if pos >= self.length:
            self.pos = pos
            return ""
        self.pos = pos + 1
        return self.string[pos]

    def peek(self) -> str:
        pos = self.skip(self.pos, self.ignore_space)
        return self.string[pos] if pos < self.length else ""

    def match(self, text: str, ignore: bool | None = None) -> bool:
        skip = self.ignore_space if ignore is None else ignore
        pos = self.pos
        for c in text:
            pos = self.skip(pos, skip)
            if pos >= self.length or self.string[pos] != c:
                return False
            pos += 1
        self.pos = pos
        return True

    def expect(self, text: str, ignore: bool | None = None) -> None:
        if not self.match(text, ignore):
            raise self.error(f"missing {text}")

    def get_while(
        self, chars: frozenset[str], include: bool = True, keep_spaces: bool = False
    ) -> str:
        skip = self.ignore_space and not keep_spaces
        out = []
        pos = self.pos
        while True:
            pos = self.skip(pos, skip)
            if pos >= self.length or (self.string[pos] in chars) != include:
                break
            out.append(self.string[pos])
            pos += 1
        self.pos = pos
        return "".join(out)

    def error(self, message: str, pos: int | None = None) -> PatternError:
        at = self.pos if pos is None else pos
        return PatternError(message, pattern=self.string, span=(at, at + 1))

    def emit(self, kind: str, start: int) -> None:
        self.tokens.append(Token(kind, self.string[start : self.pos], start))

    # --- names and groups -------------------------------------------------------------------

    def parse_name(self, allow_numeric: bool = False) -> str:
        name = self.get_while(frozenset(")>"), include=False)
        if not name:
            raise self.error("missing group name")
        if name.isdigit():
            if not allow_numeric or int(name) < 1:
                raise self.error("bad character in group name")
        elif not name.isidentifier():
            raise self.error("bad character in group name")
        return name

    def open_group(self, name: str | None) -> int:
        group = self.group_index.get(name) if name is not None else None
        if group is None:
            while True:
                self.group_count += 1
                if name is None or self.group_count not in self.group_name:
                    break
            group = self.group_count
            if name:
                self.group_index[name] = group
                self.group_name[group] = name
        self.open_groups.append(group)
        return group

    def is_open_group(self, name: str) -> bool:
        if self.v1:
            return False
        group = int(name) if name.isdigit() else self.group_index.get(name)
        return group in self.open_groups

    # --- escapes ----------------------------------------------------------------------------

    def escape(self, start: int, in_set: bool) -> str:
        """From just after a backslash: the token kind of the escape."""
        ch = self.get(ignore=False)
        if not ch:
            raise self.error("bad escape (end of pattern)")
        if ch in HEX_ESCAPES:
            saved = self.pos
            digits = ""
            for _ in range(HEX_ESCAPES[ch]):
                c = self.get()
                if c not in HEX_DIGITS or not c:
                    raise self.error(f"incomplete escape \\{ch}{digits}", saved)
                digits += c
            if int(digits, 16) >= 0x110000:
                raise self.error(f"bad hex escape \\{ch}{digits}", saved)
            self.result.chars[start] = chr(int(digits, 16))
            return {"x": "HEX", "u": "UNICODE", "U": "UNICODE_LONG"}[ch]
        if ch == "g" and not in_set:
            saved = self.pos
            try:
                self.expect("<")
                name = self.parse_name(True)
                self.expect(">")
                if self.is_open_group(name):
                    raise self.error("cannot refer to an open group")
                self.result.targets[start] = int(name) if name.isdigit() else name
                return "BACKREF"
            except PatternError:
                self.pos = saved
            return "ESCAPED"
        if ch == "G" and not in_set:
            return "ANCHOR"
        if ch == "L" and not in_set:
            self.expect("<")
            name = self.parse_name(True)
            self.expect(">")
            if name not in self.named_lists:
                raise self.error("undefined named list")
            self.result.targets[start] = name
            return "NAMED_LIST"
        if ch == "N":
            saved = self.pos
            if self.match("{"):
                name = self.get_while(NAMED_CHAR_PART, keep_spaces=True)
                if self.match("}"):
                    try:
                        if len(unicodedata.lookup(name)) != 1:
                            raise KeyError(name)
                    except KeyError:
                        raise self.error("undefined character name") from None
                    return "NAMED_CHAR"
            self.pos = saved
            return "ESCAPED"
        if ch in "pP":
            return self.property_escape()
        if ch in "RX" and not in_set:
            return "CLASS_ESCAPE"
        if ch in ALPHA:
            if not in_set and ch in POSITION_ESCAPES:
                return "ANCHOR"
            if ch in CHARSET_ESCAPES:
                return "CLASS_ESCAPE"
            if ch in CHARACTER_ESCAPES:
                return "CONTROL"
            raise self.error(f"bad escape \\{ch}")
        if ch in DIGITS:
            return self.numeric_escape(ch, in_set, start)
        return "ESCAPED"

    def numeric_escape(self, ch: str, in_set: bool, start: int) -> str:
        if in_set or ch == "0":
            digits = [ch]
            saved = self.pos
            c = self.get()
            while len(digits) < 3 and c in OCT_DIGITS and c:
                digits.append(c)
                saved = self.pos
                c = self.get()
            self.pos = saved
            if all(d in OCT_DIGITS for d in digits):
                self.result.chars[start] = chr(int("".join(digits), 8) & self.octal_mask)
                return "OCTAL"
            if digits[0] in OCT_DIGITS:
                raise self.error("incomplete escape \\" + "".join(digits))
            raise self.error("bad escape \\" + digits[0])
        number = ch
        saved = self.pos
        c = self.get()
        if c and c in DIGITS:
            number += c
            saved = self.pos
            c = self.get()
            if all(d in OCT_DIGITS for d in number) and c and c in OCT_DIGITS:
                self.result.chars[start] = chr(int(number + c, 8) & self.octal_mask)
                return "OCTAL"
        self.pos = saved
        if self.is_open_group(number):
            raise self.error("cannot refer to an open group")
        self.result.targets[start] = int(number)
        return "BACKREF"

    @property
    def octal_mask(self) -> int:
        return 0xFF if self.flags & {"a", "L"} else 0x1FF

    def property_escape(self) -> str:
        saved = self.pos
        ch = self.get()
        if ch == "{":
            self.match("^")
            prop_name, name = self.property_name()
            if self.match("}"):
                self.check_property(prop_name, name, posix=False)
                return "PROPERTY"
        elif ch and ch in "CLMNPSZ":
            self.check_property(None, ch, posix=False)
            return "PROPERTY"
        self.pos = saved
        return "ESCAPED"

    def property_name(self) -> tuple[str | None, str]:
        name = self.get_while(PROPERTY_NAME_PART)
        saved = self.pos
        ch = self.get()
        prop_name: str | None = None
        if ch and ch in ":=":
            value = self.get_while(PROPERTY_VALUE_PART).strip()
            if value:
                prop_name, name = name, value
                saved = self.pos
        self.pos = saved
        return prop_name, name

    def check_property(self, prop_name: str | None, name: str, *, posix: bool) -> None:
        """Unknown property names are an error the package raises while parsing; the
        names come from its Unicode property database."""
        import importlib

        _regex_core: Any = importlib.import_module("regex._regex_core")
        try:
            _regex_core.lookup_property(prop_name, name, True, posix=posix)
        except _regex_core.error as exc:
            raise self.error(exc.msg) from None

    # --- sets --------------------------------------------------------------------------------

    def charset(self, start: int, depth: int) -> None:
        """From just after ``[``: the set's tokens up to and including ``]``."""
        if depth > MAX_NESTING:
            raise self.error("nesting too deep", start)
        self.depth += NESTING_COST["CLASS_OPEN"]
        if self.depth > MAX_NESTING:
            raise self.error("nesting too deep", start)
        saved_ignore = self.ignore_space
        self.ignore_space = False
        self.match("^")
        self.emit("CLASS_OPEN", start)
        if self.v1:
            self.set_ops(depth)
        else:
            self.set_imp_union(depth)
        close = self.pos
        if not self.match("]"):
            raise self.error("missing ]")
        self.emit("CLASS_CLOSE", close)
        self.ignore_space = saved_ignore
        self.depth -= NESTING_COST["CLASS_OPEN"]

    def set_ops(self, depth: int) -> None:
        self.set_imp_union(depth)
        while True:
            op_start = self.pos
            for text, kind in (*SET_OPS, ("--", "DIFFERENCE_OP")):
                if self.match(text, ignore=False):
                    self.emit(kind, op_start)
                    break
            else:
                return
            self.set_imp_union(depth)

    def set_imp_union(self, depth: int) -> None:
        self.set_member(depth)
        while True:
            if self.string.startswith("]", self.pos):
                return
            if self.v1 and any(
                self.string.startswith(op, self.pos) for op in ("||", "~~", "&&", "--")
            ):
                return
            self.set_member(depth)

    def set_member(self, depth: int) -> None:
        start = self.pos
        kind = self.set_item(depth)
        end1 = self.pos
        if kind not in _CHAR_KINDS or not self.string.startswith("-", self.pos):
            return
        if self.v1 and self.string.startswith("--", self.pos):
            return
        self.pos += 1
        if self.string.startswith("]", self.pos):
            self.tokens.append(Token("CHAR", "-", end1))
            return
        start2 = self.pos
        count = len(self.tokens)
        kind2 = self.set_item(depth)
        if kind2 not in _CHAR_KINDS:
            self.tokens.insert(count, Token("CHAR", "-", end1))
            return
        lo = _char(kind, self.string[start:end1])
        hi = _char(kind2, self.string[start2 : self.pos])
        if lo > hi:
            raise self.error("bad character range")
        self.tokens.insert(count, Token("RANGE_DASH", "-", end1))

    def set_item(self, depth: int) -> str:
        start = self.pos
        if self.match("\\", ignore=False):
            kind = self.escape(start, True)
            self.emit(kind, start)
            return kind
        if self.match("[:", ignore=False):
            self.match("^", ignore=False)
            prop_name, name = self.property_name()
            if self.match(":]", ignore=False):
                self.check_property(prop_name, name, posix=True)
                self.emit("POSIX_CLASS", start)
                return "POSIX_CLASS"
            self.pos = start
        if self.v1 and self.match("[", ignore=False):
            self.charset(start, depth + 1)
            return "CLASS"
        ch = self.get(ignore=False)
        if not ch:
            raise self.error("unterminated character set")
        self.emit("CHAR", start)
        return "CHAR"


_CHAR_KINDS = frozenset(
    {"CHAR", "ESCAPED", "CONTROL", "HEX", "UNICODE", "UNICODE_LONG", "NAMED_CHAR", "OCTAL"}
)


def _char(kind: str, raw: str) -> int:
    if kind == "ESCAPED":
        return ord(raw[1])
    if kind == "CONTROL":
        return ord(
            {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}[raw[1]]
        )
    if kind in ("HEX", "UNICODE", "UNICODE_LONG"):
        return int("".join(c for c in raw[2:] if c in HEX_DIGITS), 16)
    if kind == "OCTAL":
        return int(raw[1:], 8) & 0x1FF
    return ord(literal_char(kind, raw))
