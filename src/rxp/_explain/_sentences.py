"""Sentences and noun phrases for every AST node, read with the flags in effect.

``sentence(node, ctx)`` is a node's own explanation (a tree row, a JSON ``explanation``);
``noun(node, ctx)`` is the noun phrase a quantifier counts ("one or more digits (0-9)");
``inline(node, ctx, depth)`` describes a whole subtree in running prose (the brief).
``Ctx`` carries the flags in effect at each node (from ``rxp._analysis.flags_at``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import assert_never

from .._syntax._ast import (
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
    Flavor,
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
    walk,
)
from ._sets import class_noun, range_text, setop_words
from ._words import (
    Noun,
    char_noun,
    class_escape_noun,
    code,
    flag_phrase,
    fuzzy_words,
    posix_noun,
    property_noun,
    quantified,
    text_phrase,
)

__all__ = [
    "Ctx",
    "inline",
    "literal_run_phrase",
    "noun",
    "quantified",
    "sentence",
]


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a sentence needs beyond its node: the flavour, the flag letters in effect
    there, the pattern's group names (for named backreferences) and, for moving to another
    node, the flags in effect at every node (``rxp._analysis.flags_at``, keyed by identity)."""

    flavor: Flavor
    flags: frozenset[str]
    names: dict[str, int] = field(compare=False, hash=False)
    table: dict[int, frozenset[str]] = field(compare=False, hash=False)
    leading: frozenset[int] = field(default=frozenset(), compare=False, hash=False)

    @staticmethod
    def root(pattern: Pattern) -> Ctx:
        from .._analysis._groups import group_names
        from .._syntax._flags import flag_set, flags_at, global_flags

        table = {id(n): flag_set(s) for n, s in flags_at(pattern).items()}
        flags = flag_set(global_flags(pattern))
        return Ctx(pattern.flavor, flags, group_names(pattern), table, _leading(pattern))

    def at(self, node: Node) -> Ctx:
        """The context at ``node``: the same, with the flags in effect there."""
        flags = self.table.get(id(node), self.flags)
        return self if flags == self.flags else replace(self, flags=flags)

    @property
    def ascii_only(self) -> bool:
        return "a" in self.flags

    @property
    def ignore_case(self) -> bool:
        return "i" in self.flags

    @property
    def v1(self) -> bool:
        return "V1" in self.flags


def _leading(pattern: Pattern) -> frozenset[int]:
    """The inline flags that open the pattern (``(?i)abc``): they apply to all of it, where a
    later one applies from there to the end of its group."""
    body = pattern.body
    first = body.branches[0] if isinstance(body, Alternation) else body
    found: set[int] = set()
    for item in first.items if isinstance(first, Concat) else (first,):
        if isinstance(item, InlineFlags):
            found.add(id(item))
        elif not isinstance(item, Comment | Trivia):
            break
    return frozenset(found)


# --- nouns ---------------------------------------------------------------------------------


def _dot(ctx: Ctx) -> Noun:
    if "s" in ctx.flags:
        return Noun(
            "any character (newline included)", "characters of any kind (newlines included)"
        )
    return Noun("any character except a newline", "characters other than a newline")


def noun(node: Node, ctx: Ctx) -> Noun:
    """The noun phrase for a node a quantifier can count; composites get a label."""
    ctx = ctx.at(node)
    match node:
        case Literal(char=ch):
            return char_noun(ch, ignore_case=ctx.ignore_case)
        case Dot():
            return _dot(ctx)
        case ClassEscape(letter=letter):
            return class_escape_noun(letter, ascii_only=ctx.ascii_only)
        case Property(name=name, value=value, negated=negated):
            return property_noun(name, value, negated=negated)
        case PosixClass(name=name, negated=negated):
            return posix_noun(name, negated=negated)
        case Class():
            return class_noun(node, ctx)
        case Capture(index=index, name=name):
            named = f" named {code(name)}" if name else ""
            return Noun(f"capture group {index}{named}")
        case NonCapture(on=on, off=off):
            return Noun("a group" if not (on or off) else f"a group that {flag_phrase(on, off)}")
        case Atomic():
            return Noun("an atomic group")
        case BranchReset():
            return Noun("a branch reset group")
        case Lookaround(body=body, ahead=ahead, negated=negated):
            return Noun(f"a point {_look_words(ahead, negated)} {inline(body, ctx, 1)}")
        case Anchor() | Backref() | Recursion() | NamedList() | Verb():
            return Noun(sentence(node, ctx))
        case Empty():
            return Noun("nothing")
        case ClassRange():
            return Noun(
                f"a character from {range_text(node)}", f"characters from {range_text(node)}"
            )
        case ClassSetOp():
            return Noun(setop_words(node, ctx))
        case Repeat() | Fuzzy() | Concat() | Alternation() | Conditional():
            return Noun(f"({inline(node, ctx, 1)})")
        case Comment() | Trivia() | InlineFlags() | Pattern():
            return Noun(sentence(node, ctx))
        case _:
            assert_never(node)


# --- sentences -----------------------------------------------------------------------------

_ANCHORS = {
    "text_start": "the start of the text",
    "text_end": "the very end of the text",
    "word_boundary": "a word boundary (between a word character and a non-word character)",
    "not_word_boundary": "a position that is not a word boundary",
    "search_start": "the position where this search started (or the previous match ended)",
    "word_start": "the start of a word",
    "word_end": "the end of a word",
    "keep_out": "the start of the reported match: what was matched so far is kept out of it",
}


def _anchor(node: Anchor, ctx: Ctx) -> str:
    multiline = "m" in ctx.flags
    if node.kind == "line_start":
        return "the start of a line" if multiline else "the start of the text"
    if node.kind == "line_end":
        if multiline:
            return "the end of a line (just before a newline, or at the end of the text)"
        return "the end of the text (or just before a newline that ends it)"
    said = _ANCHORS[node.kind]
    if node.kind in ("word_boundary", "not_word_boundary") and ctx.ascii_only:
        said += " by ASCII rules"
    return said


_VERBS = {
    "SKIP": "if what follows fails, skip ahead: the next attempt starts here",
    "FAIL": "fail here, forcing the engine to backtrack",
    "F": "fail here, forcing the engine to backtrack",
    "PRUNE": "if what follows fails, give up this attempt instead of backtracking past here",
    "COMMIT": "if what follows fails, give up the whole search",
    "ACCEPT": "end the match successfully right here",
}


def _recursion(node: Recursion) -> str:
    target = node.target
    if target == 0:
        return "the whole pattern again, recursively"
    if isinstance(target, str):
        return f"the pattern of group {code(target)} again (a subroutine call)"
    sign = node.raw[2:3]
    if sign in "+-" and sign:
        which = "next" if sign == "+" else "previous"
        count = node.raw[3:-1]
        return f"the pattern of the {which} group ({count} along) again (a subroutine call)"
    return f"the pattern of group {target} again (a subroutine call)"


def sentence(node: Node, ctx: Ctx) -> str:
    """The node's own explanation; never empty."""
    ctx = ctx.at(node)
    match node:
        case Literal() | Dot() | ClassEscape() | Property() | PosixClass() | Class():
            return noun(node, ctx).one
        case ClassRange():
            return f"a character from {range_text(node)}"
        case ClassSetOp():
            return setop_words(node, ctx)
        case Empty():
            return "nothing (matches the empty string here)"
        case Anchor():
            return _anchor(node, ctx)
        case Backref(target=target):
            if isinstance(target, str):
                number = ctx.names.get(target)
                which = f"group {code(target)}" + (f" (group {number})" if number else "")
            else:
                which = f"group {target}"
            return f"the same text as {which} captured"
        case Recursion():
            return _recursion(node)
        case Verb(name=name):
            return f"{node.name} verb: " + _VERBS.get(name, "a backtracking control verb")
        case NamedList(name=name):
            return f"any one of the strings in the list {code(name)} given to regex.compile"
        case Comment(text=text):
            return (
                f"a comment, ignored: {code(text.strip())}" if text.strip() else "an empty comment"
            )
        case Trivia(text=text):
            if text.lstrip().startswith("#"):
                return f"a comment, ignored in verbose mode: {code(text.strip())}"
            return "whitespace, ignored in verbose mode"
        case InlineFlags(on=on, off=off):
            leading = id(node) in ctx.leading
            scope = "for the whole pattern" if leading else "from here to the end of the group"
            return f"inline flags {scope}: {flag_phrase(on, off)}"
        case Repeat(item=item, min=lo, max=hi, greed=greed):
            counted = noun(item, ctx)
            if isinstance(item, NonCapture) and not (item.on or item.off):
                # a short plain group reads better by its content: "optionally the text `x`"
                said = inline(item.body, ctx, 1)
                counted = Noun(said) if len(said) <= 60 else counted
            return quantified(counted, lo, hi, greed, captures_last=_has_capture(item))
        case Fuzzy():
            return _fuzzy(node, ctx, 2)
        case Concat():
            return inline(node, ctx, 1)
        case Alternation(branches=branches):
            return (
                f"one of {len(branches)} alternatives, tried left to right: {inline(node, ctx, 1)}"
            )
        case Capture():
            return noun(node, ctx).one
        case NonCapture(on=on, off=off):
            if on or off:
                return f"a group (not captured) that {flag_phrase(on, off)} inside it"
            return "a group (not captured)"
        case Lookaround(ahead=ahead, negated=negated):
            return _look_words(ahead, negated) + ":"
        case Atomic():
            return "an atomic group: once it has matched, the engine never backtracks into it"
        case BranchReset():
            return "a branch reset group: each alternative numbers its groups from the same start"
        case Conditional():
            return _condition(node, ctx)
        case Pattern():
            return f"the whole pattern ({node.flavor} flavour)"
        case _:
            assert_never(node)


def _fuzzy(node: Fuzzy, ctx: Ctx, depth: int) -> str:
    """A fuzzy match: its item (a plain group by its content, ``depth - 1`` deep), then
    what the constraint allows."""
    item, test = node.item, node.test
    if isinstance(item, NonCapture) and not (item.on or item.off) and depth > 0:
        thing = inline(item.body, ctx, depth - 1)
    else:
        thing = noun(item, ctx).one
    tested = noun(test, ctx).one if test is not None else None
    return f"{thing}, {fuzzy_words(node, tested)}"


def _look_words(ahead: bool, negated: bool) -> str:
    return {
        (True, False): "followed by",
        (True, True): "not followed by",
        (False, False): "preceded by",
        (False, True): "not preceded by",
    }[(ahead, negated)]


def _test(cond: int | str | Lookaround, ctx: Ctx) -> str:
    """The condition of a conditional as an "if" clause."""
    if isinstance(cond, Lookaround):
        where = _look_words(cond.ahead, cond.negated)
        return f"if the position here is {where} {inline(cond.body, ctx, 1)}"
    which = f"group {code(cond)}" if isinstance(cond, str) else f"group {cond}"
    return f"if {which} has captured something so far"


def _condition(node: Conditional, ctx: Ctx) -> str:
    if node.condition == "DEFINE":
        return "definitions only: never matched here, its groups can be called by name"
    other = "the second branch" if node.no is not None else "nothing"
    return f"{_test(node.condition, ctx)}: match the first branch, otherwise {other}"


def _has_capture(node: Node) -> bool:
    return any(isinstance(n, Capture) for n in walk(node))


# --- prose for the brief -------------------------------------------------------------------


def literal_run_phrase(chars: str, ctx: Ctx) -> str:
    """A run of literals as one phrase: "the text `abc`" (one character: its noun)."""
    if len(chars) == 1:
        return char_noun(chars, ignore_case=ctx.ignore_case).one
    return text_phrase(chars, ignore_case=ctx.ignore_case)


def inline(node: Node, ctx: Ctx, depth: int) -> str:
    """``node`` and everything under it as running prose, nested at most ``depth`` deep."""
    ctx = ctx.at(node)
    match node:
        case Concat(items=items):
            parts: list[str] = []
            run = ""
            here = ctx
            for item in items:
                if isinstance(item, Literal) and (not run or ctx.at(item) == here):
                    here = ctx.at(item)
                    run += item.char
                    continue
                if run:
                    parts.append(literal_run_phrase(run, here))
                    run = ""
                if isinstance(item, Literal):
                    here = ctx.at(item)
                    run = item.char
                elif not isinstance(item, Trivia | Comment | InlineFlags):
                    parts.append(inline(item, ctx, depth))
            if run:
                parts.append(literal_run_phrase(run, here))
            return ", then ".join(parts) if parts else "the empty string"
        case Alternation(branches=branches):
            if depth <= 0:
                return f"one of {len(branches)} alternatives"
            said = [inline(b, ctx, depth - 1) for b in branches]
            # A branch that is itself a list ("x, then y") needs a stronger separator.
            glue = "; or " if any(", " in b for b in said) else ", or "
            return "either " + glue.join(said)
        case Capture() | NonCapture() | Atomic() | BranchReset():
            label = noun(node, ctx).one
            if depth <= 0 or isinstance(node.body, Empty):
                return label
            return f"{label} ({inline(node.body, ctx, depth - 1)})"
        case Lookaround(body=body, ahead=ahead, negated=negated):
            words = "a point " + _look_words(ahead, negated)
            return words + (f" {inline(body, ctx, depth - 1)}" if depth > 0 else " something")
        case Repeat(item=item, min=lo, max=hi, greed=greed):
            thing = noun(item, ctx)
            if isinstance(item, Capture | NonCapture | Atomic) and depth > 0:
                thing = Noun(inline(item, ctx, depth - 1))
            return quantified(thing, lo, hi, greed, captures_last=_has_capture(item))
        case Fuzzy():
            return _fuzzy(node, ctx, depth)
        case Conditional(yes=yes, no=no, condition=cond):
            if cond == "DEFINE":
                return "a block of definitions"
            head = _test(cond, ctx)
            if depth <= 0:
                return f"{head}, one thing, otherwise another"
            other = inline(no, ctx, depth - 1) if no is not None else "nothing"
            return f"{head}, {inline(yes, ctx, depth - 1)}, otherwise {other}"
        case _:
            return sentence(node, ctx)
