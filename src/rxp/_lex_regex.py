"""The tokeniser for ``regex``-flavour patterns: pattern text -> the terminals of
``regex.lark``, reading the text the way the ``regex`` package's ``_regex_core`` does.

The regex package differs from ``re`` in ways that change tokenisation: VERBOSE whitespace
and ``#`` comments may stand inside multi-character constructs (``a{1, 2}``, ``\\x 41``), an
inline flag like ``(?x)`` in mid-pattern applies to the rest of its group, a global flag
(``(?V1)``, ``(?r)``...) anywhere re-reads the whole pattern from the start with it, and
under VERSION1 sets nest and take the operators ``|| ~~ && --``. As in ``rxp._lex``, an
explicit stack replaces the package's recursion for groups, tokens cover the text exactly
(whitespace inside a construct stays inside its token), and the errors the package raises
while parsing are raised here with its message and position. What the package only finds
after parsing (unknown group references, unknown properties, named lists that were not
supplied) is left to ``rxp._check``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from lark import Token

from ._ast import Greed
from ._errors import PatternError
from ._lex import ScanResult

__all__ = ["scan_regex"]

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


class _Restart(Exception):
    """A global flag was met: read the pattern again from the start with it."""

    def __init__(self, flags: frozenset[str]) -> None:
        super().__init__()
        self.flags = flags


class _Frame:
    """An open group on the scanner's stack."""

    __slots__ = ("cost", "flags", "kind", "max_count", "pipes", "reset_count", "start")

    def __init__(self, kind: str, start: int, flags: frozenset[str]) -> None:
        self.kind = kind  # "group", "capture", "cond", "lookcond", "reset"
        self.cost = 0  # the package's recursion cost of this level
        self.start = start
        self.flags = flags  # flags of the enclosing sequence, restored on close
        self.pipes = 0
        self.reset_count = 0
        self.max_count = 0


class _Scanner:
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
    from ._lex import literal_char

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


_START, _ITEM, _AFTER = 0, 1, 2  # regex's sequence: empty, ends in an item, ends in a None


class _ParseError(Exception):
    """Not a fuzzy constraint after all (the package's ``ParseError``)."""


def scan_regex(
    pattern: str, *, flags: str = "", named_lists: frozenset[str] = frozenset()
) -> ScanResult:
    """The tokens of ``pattern`` (regex flavour) under ``flags`` (letters, ``V0``/``V1``);
    raises ``PatternError`` where ``regex.compile`` would while parsing. ``named_lists``
    are the names ``regex.compile`` would be given as keyword arguments: ``\\L<name>``
    of any other name is an error, as it is there."""
    letters = set(flags.replace("V0", "").replace("V1", ""))
    letters |= {v for v in ("V0", "V1") if v in flags}
    current = frozenset(letters)
    while True:
        scanner = _Scanner(pattern, current, named_lists)
        try:
            _run(scanner)
        except _Restart as restart:
            current = current | restart.flags
            continue
        return scanner.result


def _emit_trivia(s: _Scanner) -> None:
    string, length = s.string, s.length
    while s.pos < length:
        start = s.pos
        ch = string[start]
        if ch.isspace():
            while s.pos < length and string[s.pos].isspace():
                s.pos += 1
        elif ch == "#":
            end = string.find("\n", start)
            s.pos = length if end < 0 else end
        else:
            return
        s.emit("TRIVIA", start)


def _run(s: _Scanner) -> None:
    tokens = s.tokens
    stack: list[_Frame] = []
    last = _START
    last_end = 0
    branch_start = 0
    while True:
        saved = s.pos
        if s.ignore_space:
            _emit_trivia(s)
        start = s.pos
        ch = s.string[start] if start < s.length else ""
        if ch == "" or ch == ")" or ch == "|":
            if len(tokens) == branch_start:
                tokens.append(Token("EMPTY", "", start))
            frame = stack[-1] if stack else None
            if ch == "|":
                if frame is not None and frame.kind == "cond":
                    frame.pipes += 1
                    if frame.pipes > 1:
                        raise s.error("missing )", saved)
                if frame is not None and frame.kind == "reset":
                    frame.max_count = max(frame.max_count, s.group_count)
                    s.group_count = frame.reset_count
                s.pos = start + 1
                s.emit("PIPE", start)
                last, branch_start = _START, len(tokens)
                continue
            if frame is None:
                if ch == ")":
                    raise s.error("unbalanced parenthesis", saved)
                return
            if ch != ")":
                raise s.error("missing )", saved)
            s.pos = start + 1
            s.emit("RPAR", start)
            stack.pop()
            s.depth -= frame.cost
            if frame.kind == "reset":
                s.group_count = max(frame.max_count, s.group_count)
            elif frame.kind == "capture":
                s.open_groups.pop()
            s.flags = frame.flags
            s.ignore_space = "x" in s.flags
            if frame.kind == "lookcond":
                follow = _Frame("cond", frame.start, frame.flags)
                follow.cost = frame.cost
                s.depth += frame.cost
                stack.append(follow)
                last, branch_start = _START, len(tokens)
                continue
            last, last_end = _ITEM, len(tokens)
            continue
        s.pos = start + 1
        if ch == "\\":
            kind = s.escape(start, False)
            s.emit(kind, start)
            last, last_end = _ITEM, len(tokens)
        elif ch == "(":
            frame = _paren(s, start)
            if frame is None:
                if tokens and tokens[-1].start_pos == start and tokens[-1].type in _ITEM_TOKENS:
                    last, last_end = _ITEM, len(tokens)
                continue
            frame.cost = NESTING_COST.get(tokens[-1].type, 4)
            s.depth += frame.cost
            if s.depth > MAX_NESTING:
                raise s.error("nesting too deep", start)
            stack.append(frame)
            last, branch_start = _START, len(tokens)
        elif ch == ".":
            s.emit("DOT", start)
            last, last_end = _ITEM, len(tokens)
        elif ch == "[":
            s.charset(start, 0)
            last, last_end = _ITEM, len(tokens)
        elif ch == "^" or ch == "$":
            s.emit("ANCHOR", start)
            last, last_end = _ITEM, len(tokens)
        elif ch in "?*+{":
            counts = _quantifier_counts(s, ch)
            if counts is not None:
                if last == _START:
                    raise s.error("nothing to repeat", saved)
                if last == _AFTER:
                    raise s.error("multiple repeat", saved)
                suffix_at = s.pos
                suffix = s.get()
                greed: Greed = (
                    "lazy" if suffix == "?" else "possessive" if suffix == "+" else "greedy"
                )
                if greed == "greedy":
                    s.pos = suffix_at
                qstart = (tokens[last_end].start_pos or 0) if last_end < len(tokens) else start
                del tokens[last_end:]
                s.emit("QUANT", qstart)
                s.result.quants[qstart] = (counts[0], counts[1], greed)
                last, last_end = _AFTER, len(tokens)
                continue
            fuzzy = _fuzzy(s, ch) if ch == "{" else None
            if fuzzy is None:
                s.emit("CHAR", start)
                last, last_end = _ITEM, len(tokens)
            elif fuzzy:
                if last != _ITEM:
                    raise s.error("nothing for fuzzy constraint", saved)
                qstart = (tokens[last_end].start_pos or 0) if last_end < len(tokens) else start
                del tokens[last_end:]
                s.emit("FUZZY", qstart)
                last, last_end = _AFTER, len(tokens)
            else:  # a constraint that allows no error: regex ignores it
                s.emit("TRIVIA", start)
        else:
            s.emit("CHAR", start)
            last, last_end = _ITEM, len(tokens)


_ITEM_TOKENS = frozenset({"BACKREF", "RECURSION", "VERB"})


def _quantifier_counts(s: _Scanner, ch: str) -> tuple[int, int | None] | None:
    if ch == "?":
        return 0, 1
    if ch == "*":
        return 0, None
    if ch == "+":
        return 1, None
    saved = s.pos
    low = s.get_while(DIGITS)
    high: str | None
    if s.match(","):
        high = s.get_while(DIGITS)
        counts = (int(low or 0), int(high) if high else None)
    else:
        if not low:
            s.pos = saved
            return None
        counts = (int(low), int(low))
    if not s.match("}"):
        s.pos = saved
        return None
    if counts[0] >= UNLIMITED or (counts[1] is not None and counts[1] >= UNLIMITED):
        raise s.error("repeat count too big", saved)
    if counts[1] is not None and counts[0] > counts[1]:
        raise s.error("min repeat greater than max repeat", saved)
    return counts


def _fuzzy(s: _Scanner, ch: str) -> bool | None:
    """From just after ``{``: a fuzzy constraint; True when it allows errors, False when
    it does not (regex then ignores it), None when this is no constraint at all."""
    saved = s.pos
    constraints: dict[str, tuple[int, int | None] | dict[str, int]] = {}
    try:
        _fuzzy_item(s, constraints)
        while s.match(","):
            _fuzzy_item(s, constraints)
    except _ParseError:
        s.pos = saved
        return None
    if s.match(":"):
        _fuzzy_test(s)
    if not s.match("}"):
        raise s.error("expected }")
    if constraints.get("e") == (0, 0):
        return False
    return (constraints.get("s"), constraints.get("i"), constraints.get("d")) != ((0, 0),) * 3


def _fuzzy_item(
    s: _Scanner, constraints: dict[str, tuple[int, int | None] | dict[str, int]]
) -> None:
    saved = s.pos
    try:
        _cost_constraint(s, constraints)
    except _ParseError:
        s.pos = saved
        _cost_equation(s, constraints)


def _compare(s: _Scanner) -> bool | None:
    if s.match("<="):
        return True
    if s.match("<"):
        return False
    return None


def _cost_limit(s: _Scanner) -> int:
    at = s.pos
    digits = s.get_while(DIGITS)
    if not digits:
        raise s.error("bad fuzzy cost limit", at)
    return int(digits)


def _constraint(constraints: dict[str, tuple[int, int | None] | dict[str, int]], ch: str) -> str:
    if ch not in "deis" or not ch or ch in constraints:
        raise _ParseError
    return ch


def _cost_constraint(
    s: _Scanner, constraints: dict[str, tuple[int, int | None] | dict[str, int]]
) -> None:
    saved = s.pos
    ch = s.get()
    if ch and ch in ALPHA:
        name = _constraint(constraints, ch)
        inclusive = _compare(s)
        if inclusive is None:
            constraints[name] = (0, None)
            return
        at = s.pos
        cost = _cost_limit(s)
        if not inclusive:
            cost -= 1
        if not 0 <= cost <= 0xFFFFFFFF:
            raise s.error("bad fuzzy cost limit", at)
        constraints[name] = (0, cost)
    elif ch and ch in DIGITS:
        s.pos = saved
        low = _cost_limit(s)
        low_inclusive = _compare(s)
        if low_inclusive is None:
            raise _ParseError
        name = _constraint(constraints, s.get())
        high_inclusive = _compare(s)
        if high_inclusive is None:
            raise _ParseError
        at = s.pos
        high = _cost_limit(s)
        if not low_inclusive:
            low += 1
        if not high_inclusive:
            high -= 1
        if not 0 <= low <= high:
            raise s.error("bad fuzzy cost limit", at)
        constraints[name] = (low, high)
    else:
        raise _ParseError


def _cost_equation(
    s: _Scanner, constraints: dict[str, tuple[int, int | None] | dict[str, int]]
) -> None:
    if "cost" in constraints:
        raise s.error("more than one cost equation")
    cost: dict[str, int] = {}
    _cost_term(s, cost)
    while s.match("+"):
        _cost_term(s, cost)
    inclusive = _compare(s)
    if inclusive is None:
        raise _ParseError
    digits = s.get_while(DIGITS)
    if not digits:
        raise _ParseError
    limit = int(digits) - (0 if inclusive else 1)
    if not 0 <= limit <= 0xFFFFFFFF:
        raise s.error("bad fuzzy cost limit")
    constraints["cost"] = cost


def _cost_term(s: _Scanner, cost: dict[str, int]) -> None:
    coefficient = s.get_while(DIGITS)
    ch = s.get()
    if not ch or ch not in "dis":
        raise _ParseError
    if ch in cost:
        raise s.error("repeated fuzzy cost")
    cost[ch] = int(coefficient or 1)


def _fuzzy_test(s: _Scanner) -> None:
    saved = s.pos
    count = len(s.tokens)
    ch = s.get()
    if ch == "\\":
        s.escape(saved, False)
    elif ch == "[":
        s.charset(saved, 0)
    elif not ch or (ch in SPECIAL and ch != "."):
        raise s.error("expected character set", saved)
    del s.tokens[count:]


def _paren(s: _Scanner, start: int) -> _Frame | None:
    """From just after ``(`` (the package's ``parse_paren``): emit an opener and return
    the frame to push, or emit a whole token (comment, flags, reference, call, verb) and
    return None."""
    saved = s.pos
    ch = s.get(True)
    if ch == "?":
        saved2 = s.pos
        ch = s.get(True)
        if ch == "<":
            saved3 = s.pos
            ch = s.get()
            if ch and ch in "=!":
                return _open(s, "LOOKAROUND_OPEN", start, "group")
            s.pos = saved3
            return _capture(s, start, s.parse_name())
        if ch and ch in "=!":
            return _open(s, "LOOKAROUND_OPEN", start, "group")
        if ch == "P":
            at = s.pos
            ch = s.get()
            if ch == "<":
                return _capture(s, start, s.parse_name())
            if ch == "=":
                name = s.parse_name(allow_numeric=True)
                s.expect(")")
                if s.is_open_group(name):
                    raise s.error("cannot refer to an open group", at)
                s.result.targets[start] = int(name) if name.isdigit() else name
                s.emit("BACKREF", start)
                return None
            if ch == ">" or ch == "&":
                s.result.targets[start] = s.parse_name()
                s.expect(")")
                s.emit("RECURSION", start)
                return None
            s.pos = at
            raise s.error("unknown extension", at)
        if ch == "#":
            while True:
                at = s.pos
                c = s.get(True)
                if not c or c == ")":
                    break
                if c == "\\":
                    s.get(True)
            s.pos = at
            s.expect(")")
            s.emit("COMMENT", start)
            return None
        if ch == "(":
            return _conditional(s, start)
        if ch == ">":
            return _open(s, "ATOMIC_OPEN", start, "group")
        if ch == "|":
            frame = _open(s, "BRANCH_RESET_OPEN", start, "reset")
            frame.reset_count = frame.max_count = s.group_count
            return frame
        if ch == "R" or (ch and ch in DIGITS):
            group = "0" if ch == "R" else ch + s.get_while(DIGITS)
            s.expect(")")
            s.result.targets[start] = int(group)
            s.emit("RECURSION", start)
            return None
        if ch == "&":
            s.result.targets[start] = s.parse_name()
            s.expect(")")
            s.emit("RECURSION", start)
            return None
        if (ch == "+" or ch == "-") and s.peek() in DIGITS and s.peek():
            digits = s.get_while(DIGITS)
            offset = int(digits)
            number = s.group_count + offset if ch == "+" else s.group_count - offset + 1
            if number <= 0:
                raise s.error("invalid relative group number")
            s.expect(")")
            s.result.targets[start] = number
            s.emit("RECURSION", start)
            return None
        s.pos = saved2
        return _flags(s, start)
    if ch == "*":
        saved2 = s.pos
        word = s.get_while(frozenset(")>"), include=False)
        if word[:1].isalpha():
            if word not in VERBS:
                raise s.error("unknown verb", saved2)
            s.expect(")")
            s.emit("VERB", start)
            return None
    s.pos = saved
    return _capture(s, start, None)


def _open(s: _Scanner, kind: str, start: int, frame_kind: str) -> _Frame:
    s.emit(kind, start)
    return _Frame(frame_kind, start, s.flags)


def _capture(s: _Scanner, start: int, name: str | None) -> _Frame:
    group = s.open_group(name)
    if name is not None:
        s.expect(">")
    s.result.captures[start] = (group, name)
    return _open(s, "CAPTURE_OPEN", start, "capture")


def _conditional(s: _Scanner, start: int) -> _Frame:
    saved = s.pos
    ch = s.get()
    if ch == "?":
        ch = s.get()
        if ch and ch in "=!":
            return _open(s, "CONDITION_LOOKAROUND_OPEN", start, "lookcond")
        if ch == "<":
            ch = s.get()
            if ch and ch in "=!":
                return _open(s, "CONDITION_LOOKAROUND_OPEN", start, "lookcond")
        s.pos = saved
        raise s.error("expected lookaround conditional")
    s.pos = saved
    name = s.parse_name(True)
    s.expect(")")
    s.result.targets[start] = int(name) if name.isdigit() else name
    return _open(s, "CONDITION_OPEN", start, "cond")


def _flag_set(s: _Scanner) -> list[str]:
    found: list[str] = []
    while True:
        saved = s.pos
        ch = s.get()
        if ch == "V":
            ch += s.get()
        if ch in FLAG_LETTERS or ch in ("V0", "V1"):
            found.append(ch)
        else:
            s.pos = saved
            return found


def _flags(s: _Scanner, start: int) -> _Frame | None:
    on = _flag_set(s)
    off: list[str] = []
    if s.match("-"):
        off = _flag_set(s)
        if not off:
            raise s.error("bad inline flags: no flags after '-'")
    if set(off) & GLOBAL_FLAGS:
        raise s.error("bad inline flags: cannot turn off global flag")
    if set(on) & set(off):
        raise s.error("bad inline flags: flag turned on and off")
    new_global = (set(on) - s.global_flags) & GLOBAL_FLAGS
    if new_global:
        raise _Restart(s.global_flags | new_global)
    scoped = {f for f in on if f not in GLOBAL_FLAGS}
    if s.match(":"):
        frame = _open(s, "NONCAPTURE_OPEN", start, "group")
        s.flags = _apply(s.flags, scoped, set(off))
        s.ignore_space = "x" in s.flags
        return frame
    if s.match(")"):
        s.emit("INLINE_FLAGS", start)
        s.flags = _apply(s.flags, scoped, set(off))
        s.ignore_space = "x" in s.flags
        return None
    raise s.error("unknown extension")


def _apply(flags: frozenset[str], on: set[str], off: set[str]) -> frozenset[str]:
    result = (set(flags) | on) - off
    if result & {"a", "L", "u"}:
        result = (result - {"a", "L", "u"}) | (on & {"a", "L", "u"})
    return frozenset(result)
