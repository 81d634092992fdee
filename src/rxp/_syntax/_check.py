"""Semantic checks after parsing: reject what the engine would reject, where it would.

``check(pattern)`` raises ``PatternError`` for a syntactically well-formed tree exactly where
``re.compile`` (or ``regex.compile`` for the regex flavour) rejects the pattern, with the
position ``re.error.pos`` reports wherever it reports one. The tree is walked in the order
CPython's ``re._parser`` reads the pattern, so when several things are wrong, the one re meets
first is the one reported:

1. while parsing, left to right: group names (valid identifiers, unique), backreferences
   (the group exists and is closed; not defined in the same look-behind), conditions,
   repeat bounds (``min <= max``, both below ``MAXREPEAT``), ``nothing to repeat`` and
   ``multiple repeat``, inline flags (``L`` not for str, ``a``/``u``/``L`` exclusive and
   never turned off, a flag not both on and off, global flags only at the start);
2. after parsing: the caller's flags with the global inline ones (``re``'s ``fix_flags``),
   then conditions naming a group number that does not exist;
3. when compiling: every look-behind has a fixed width.

The parser (``_lex_re``) makes the same left-to-right checks as it scans, so that an error
re meets before a later syntax error is reported first; this module stays complete on its
own so any tree, however it was built, is checked. Errors that ``re`` raises without a
position (``OverflowError``, ``ValueError``, compile-time errors) point at the construct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import assert_never

from .._errors import PatternError
from .._trampoline import Step, run
from ._ast import (
    Alternation,
    Anchor,
    Atomic,
    Backref,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
    ClassRange,
    ClassSetOp,
    Comment,
    Concat,
    Conditional,
    Dot,
    Empty,
    Fuzzy,
    InlineFlags,
    Literal,
    Lookaround,
    NamedList,
    Node,
    NonCapture,
    Pattern,
    PosixClass,
    Property,
    Recursion,
    Repeat,
    Trivia,
    Verb,
    children,
    walk,
)
from ._flags import flag_set
from ._width import width

__all__ = ["MAXCODE", "MAXGROUPS", "MAXREPEAT", "check"]

MAXREPEAT = 4294967295
MAXGROUPS = 1073741823
MAXCODE = (1 << 32) - 1
_TYPE_FLAGS = frozenset("auL")


def check(pattern: Pattern) -> None:
    """Raise ``PatternError`` if ``pattern`` is semantically invalid for its flavour."""
    if pattern.flavor == "re":
        _ReChecker(pattern).run()
    else:
        from ._check_regex import check_regex

        check_regex(pattern)


@dataclass
class _ReChecker:
    """Replays ``re._parser``'s bookkeeping over the tree, in its reading order."""

    p: Pattern
    opened: int = 0
    closed: set[int] = field(default_factory=set)
    names: dict[str, int] = field(default_factory=dict)
    lookbehind: int | None = None  # groups opened before the outermost look-behind
    forward_refs: dict[int, int] = field(default_factory=dict)  # group -> first position
    global_on: set[str] = field(default_factory=set)

    def error(self, message: str, start: int, end: int | None = None) -> PatternError:
        return PatternError(
            message, pattern=self.p.text, span=(start, start + 1 if end is None else end)
        )

    def run(self) -> None:
        run(self.visit(self.p.body, leading=True))
        self.after_parse()
        self.compile_checks()

    # --- while parsing ------------------------------------------------------------------

    def visit(self, node: Node, leading: bool = False) -> Step[None]:
        match node:
            case Concat(items=items):
                at_start = leading
                for item in items:
                    yield self.visit(item, at_start)
                    at_start = at_start and isinstance(item, InlineFlags | Comment | Trivia)
            case Alternation(branches=branches):
                for i, branch in enumerate(branches):
                    yield self.visit(branch, leading and i == 0)
            case Capture():
                yield self.capture(node)
            case Backref():
                self.backref(node)
            case Conditional():
                yield self.conditional(node)
            case Lookaround(body=body, ahead=ahead):
                saved = self.lookbehind
                if not ahead and saved is None:
                    self.lookbehind = self.opened + 1
                yield self.visit(body)
                self.lookbehind = saved
            case Repeat():
                yield self.visit(node.item)
                self.repeat(node)
            case InlineFlags(span=span, on=on, off=off):
                self.flag_letters(on, off, span.start, scoped=False)
                if not leading:
                    raise self.error(
                        "global flags not at the start of the expression", span.start, span.end
                    )
                self.global_on |= flag_set(on)
            case NonCapture(span=span, body=body, on=on, off=off):
                if on or off:
                    self.flag_letters(on, off, span.start, scoped=True)
                yield self.visit(body)
            case Atomic(body=body) | BranchReset(body=body) | Fuzzy(item=body):
                yield self.visit(body)
            case (
                Literal()
                | Dot()
                | Empty()
                | Anchor()
                | ClassEscape()
                | Property()
                | PosixClass()
                | ClassRange()
                | ClassSetOp()
                | Class()
                | Recursion()
                | Verb()
                | NamedList()
                | Comment()
                | Trivia()
                | Pattern()
            ):
                pass
            case _:
                assert_never(node)

    def name_ok(self, name: str, at: int, end: int) -> None:
        """``at`` is where the name starts, ``end`` where its terminator stands."""
        if not name:
            raise self.error("missing group name", end)
        if not name.isidentifier():
            raise self.error(f"bad character in group name {name!r}", at, end)

    def capture(self, node: Capture) -> Step[None]:
        self.opened += 1
        gid = self.opened
        if node.name is not None:
            at = node.span.start + len(node.opener) - len(node.name) - 1
            self.name_ok(node.name, at, at + len(node.name))
            old = self.names.get(node.name)
            if old is not None:
                raise self.error(
                    f"redefinition of group name {node.name!r} as group {gid}; was group {old}",
                    at,
                    at + len(node.name),
                )
            self.names[node.name] = gid
        yield self.visit(node.body)
        self.closed.add(gid)

    def lookbehind_ref(self, gid: int, at: int) -> None:
        if self.lookbehind is not None:
            if gid not in self.closed:
                raise self.error("cannot refer to an open group", at)
            if gid >= self.lookbehind:
                raise self.error(
                    "cannot refer to group defined in the same lookbehind subpattern", at
                )

    def backref(self, node: Backref) -> None:
        start, end = node.span.start, node.span.end
        if isinstance(node.target, str):  # (?P=name)
            name, at = node.target, start + 4
            self.name_ok(name, at, end - 1)
            gid = self.names.get(name)
            if gid is None:
                raise self.error(f"unknown group name {name!r}", at, end - 1)
            if gid not in self.closed:
                raise self.error("cannot refer to an open group", at, end - 1)
        else:
            gid = node.target
            if gid > self.opened:
                raise self.error(f"invalid group reference {gid}", start + 1, end)
            if gid not in self.closed:
                raise self.error("cannot refer to an open group", start, end)
        self.lookbehind_ref(gid, end)

    def conditional(self, node: Conditional) -> Step[None]:
        at = node.span.start + 3
        close = self.p.text.find(")", at)
        if close < 0:  # a lookaround condition with no ")"? cannot come from re's syntax
            close = node.span.end
        name = self.p.text[at:close]
        if not name:
            raise self.error("missing group name", close)
        if name.isidentifier():
            gid = self.names.get(name)
            if gid is None:
                raise self.error(f"unknown group name {name!r}", at, close)
        else:
            try:
                gid = int(name)
                if gid < 0:
                    raise ValueError
            except ValueError:
                raise self.error(f"bad character in group name {name!r}", at, close) from None
            if not gid:
                raise self.error("bad group number", at, close)
            if gid >= MAXGROUPS:
                raise self.error(f"invalid group reference {gid}", at, close)
            self.forward_refs.setdefault(gid, at)
        self.lookbehind_ref(gid, close + 1)
        yield self.visit(node.yes)
        if node.no is not None:
            if isinstance(node.no, Alternation):
                bar = node.no.branches[0].span.end
                yield self.visit(node.no.branches[0])
                raise self.error("conditional backref with more than two branches", bar)
            yield self.visit(node.no)

    def repeat(self, node: Repeat) -> None:
        raw_start = node.span.end - len(node.raw)
        core = node.raw if node.greed == "greedy" else node.raw[:-1]
        if core.endswith("}"):
            quant = raw_start + core.rfind("{")
            digits, close = quant + 1, raw_start + len(core) - 1
            for bound in (node.min, node.max):
                if bound is not None and bound >= MAXREPEAT:
                    raise self.error("the repetition number is too large", digits, close)
            if node.max is not None and node.max < node.min:
                raise self.error("min repeat greater than max repeat", digits, close)
        else:
            quant = raw_start + len(core) - 1
        if isinstance(node.item, Anchor | Empty):
            raise self.error("nothing to repeat", quant)
        if isinstance(node.item, Repeat):
            raise self.error("multiple repeat", quant)

    def flag_letters(self, on: str, off: str, start: int, *, scoped: bool) -> None:
        """re's ``_parse_flags``; ``start`` is where ``(?`` stands."""
        pos = start + 2
        seen: set[str] = set()
        for ch in on:
            pos += 1
            if ch == "L":
                raise self.error("bad inline flags: cannot use 'L' flag with a str pattern", pos)
            seen.add(ch)
            if ch in _TYPE_FLAGS and len(seen & _TYPE_FLAGS) > 1:
                raise self.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible", pos)
        if not scoped:
            return
        colon = pos + (1 + len(off) if off else 0)
        if "t" in on:
            raise self.error("bad inline flags: cannot turn on global flag", colon)
        pos += 1
        for ch in off:
            pos += 1
            if ch in _TYPE_FLAGS:
                raise self.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", pos)
        if "t" in off:
            raise self.error("bad inline flags: cannot turn off global flag", colon)
        if set(on) & set(off):
            raise self.error("bad inline flags: flag turned on and off", colon)

    # --- after parsing, then compiling ----------------------------------------------------

    def after_parse(self) -> None:
        flags = flag_set(self.p.flags) | self.global_on
        where = self.first_inline_flags()
        if "L" in flags:
            raise self.error("cannot use LOCALE flag with a str pattern", *where)
        if "a" in flags and "u" in flags:
            raise self.error("ASCII and UNICODE flags are incompatible", *where)
        for gid, at in self.forward_refs.items():
            if gid > self.opened:
                raise self.error(f"invalid group reference {gid}", at, at + len(str(gid)))

    def first_inline_flags(self) -> tuple[int, int]:
        found = next((n for n in walk(self.p) if isinstance(n, InlineFlags)), None)
        return (found.span.start, found.span.end) if found else (0, 0)

    def compile_checks(self) -> None:
        """re's compiler, in its order (each construct before what it contains)."""
        template = "t" in flag_set(self.p.flags) | self.global_on
        stack: list[Node] = [self.p]
        while stack:
            node = stack.pop()
            if template and isinstance(node, Repeat):
                # the deprecated TEMPLATE flag (?t) forbids any repeat
                op = {"greedy": "MAX", "lazy": "MIN", "possessive": "POSSESSIVE"}[node.greed]
                raise self.error(
                    f"internal: unsupported template operator {op}_REPEAT",
                    node.span.start,
                    node.span.end,
                )
            if isinstance(node, Lookaround) and not node.ahead:
                w = width(node.body, self.p)
                if w.min > MAXCODE:
                    raise self.error("looks too much behind", node.span.start, node.span.end)
                if w.min != w.max:
                    raise self.error(
                        "look-behind requires fixed-width pattern", node.span.start, node.span.end
                    )
            stack.extend(reversed(children(node)))
