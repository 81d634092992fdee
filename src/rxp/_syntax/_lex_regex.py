"""The tokeniser for ``regex``-flavour patterns: pattern text -> the terminals of
``regex.lark``, reading the text the way the ``regex`` package's ``_regex_core`` does.

The regex package differs from ``re`` in ways that change tokenisation: VERBOSE whitespace
and ``#`` comments may stand inside multi-character constructs (``a{1, 2}``, ``\\x 41``), an
inline flag like ``(?x)`` in mid-pattern applies to the rest of its group, a global flag
(``(?V1)``, ``(?r)``...) anywhere re-reads the whole pattern from the start with it, and
under VERSION1 sets nest and take the operators ``|| ~~ && --``. As in ``_lex_re``, an
explicit stack replaces the package's recursion for groups, tokens cover the text exactly
(whitespace inside a construct stays inside its token), and the errors the package raises
while parsing are raised here with its message and position. What the package only finds
after parsing (unknown group references, unknown properties, named lists that were not
supplied) is left to ``_check``.
"""

from __future__ import annotations

from lark import Token

from ._ast import Greed
from ._regex_fuzzy import fuzzy
from ._regex_source import (
    DIGITS,
    FLAG_LETTERS,
    GLOBAL_FLAGS,
    MAX_NESTING,
    NESTING_COST,
    UNLIMITED,
    VERBS,
    Scanner,
)
from ._tokens import ScanResult

__all__ = ["scan_regex"]


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


_START, _ITEM, _AFTER = 0, 1, 2  # regex's sequence: empty, ends in an item, ends in a None


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
        scanner = Scanner(pattern, current, named_lists)
        try:
            _run(scanner)
        except _Restart as restart:
            current = current | restart.flags
            continue
        except ValueError:  # int() refused a number longer than it reads; so does regex
            raise scanner.error("number too long", scanner.pos) from None
        return scanner.result


def _emit_trivia(s: Scanner) -> None:
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


def _run(s: Scanner) -> None:
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
            found = fuzzy(s) if ch == "{" else None
            if found is None:
                s.emit("CHAR", start)
                last, last_end = _ITEM, len(tokens)
            elif found.allows_errors:
                if last != _ITEM:
                    raise s.error("nothing for fuzzy constraint", saved)
                qstart = (tokens[last_end].start_pos or 0) if last_end < len(tokens) else start
                del tokens[last_end:]
                s.emit("FUZZY", qstart)
                s.result.fuzzies[qstart] = found
                last, last_end = _AFTER, len(tokens)
            else:  # a constraint that allows no error: regex ignores it
                s.emit("TRIVIA", start)
        else:
            s.emit("CHAR", start)
            last, last_end = _ITEM, len(tokens)


_ITEM_TOKENS = frozenset({"BACKREF", "RECURSION", "VERB"})


def _quantifier_counts(s: Scanner, ch: str) -> tuple[int, int | None] | None:
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


def _paren(s: Scanner, start: int) -> _Frame | None:
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
            # regex keeps the number as text until it checks it against the groups.
            s.result.targets[start] = int(group) if len(group) < 30 else 10**30
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


def _open(s: Scanner, kind: str, start: int, frame_kind: str) -> _Frame:
    s.emit(kind, start)
    return _Frame(frame_kind, start, s.flags)


def _capture(s: Scanner, start: int, name: str | None) -> _Frame:
    group = s.open_group(name)
    if name is not None:
        s.expect(">")
    s.result.captures[start] = (group, name)
    return _open(s, "CAPTURE_OPEN", start, "capture")


def _conditional(s: Scanner, start: int) -> _Frame:
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


def _flag_set(s: Scanner) -> list[str]:
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


def _flags(s: Scanner, start: int) -> _Frame | None:
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
