"""Sentences and noun phrases for every AST node, read with the flags in effect.

``sentence(node, ctx)`` is a node's own explanation (a tree row, a JSON ``explanation``);
``noun(node, ctx)`` is the noun phrase a quantifier counts ("one or more digits (0-9)");
``inline(node, ctx, depth)`` describes a whole subtree in running prose (the brief).
``Ctx`` carries the flags in effect at each node (from ``rxp._analysis.flags_at``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import assert_never

from ._ast import (
    Alternation,
    Anchor,
    Atomic,
    Backref,
    BranchReset,
    Capture,
    Class,
    ClassEscape,
    ClassItem,
    ClassRange,
    ClassSetOp,
    Comment,
    Concat,
    Conditional,
    Dot,
    Empty,
    Flavor,
    Fuzzy,
    Greed,
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
from ._explain_words import (
    Noun,
    char_name,
    char_noun,
    class_escape_noun,
    code,
    flag_phrase,
    posix_noun,
    property_noun,
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
        from ._analysis import flag_set, flags_at, global_flags, group_names

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


# --- quantities ----------------------------------------------------------------------------


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def quantified(
    thing: Noun, lo: int, hi: int | None, greed: Greed, *, captures_last: bool = False
) -> str:
    """``thing`` under a quantifier: "one or more digits (0-9)", "between 2 and 5 times,
    as few as possible", "optionally a space"."""
    many = thing.many
    if hi == lo:
        if lo == 1:
            head = f"{thing.one} (exactly once)"
        elif lo == 0:
            head = f"{thing.one}, zero times (so it matches nothing here)"
        elif many:
            head = f"exactly {lo} {many}"
        else:
            head = f"{thing.one}, exactly {_times(lo)}"
    elif lo == 0 and hi == 1:
        head = f"optionally {thing.one}"
    elif hi is None:
        count = {0: "zero or more", 1: "one or more"}.get(lo, f"at least {lo}")
        if many:
            head = f"{count} {many}"
        else:
            times = f"at least {_times(lo)}" if lo > 1 else f"{count} times"
            head = f"{thing.one}, {times}"
    elif lo == 0:
        head = f"at most {hi} {many}" if many else f"{thing.one}, at most {_times(hi)}"
    else:
        head = (
            f"between {lo} and {hi} {many}" if many else f"{thing.one}, between {lo} and {hi} times"
        )
    if greed == "lazy":
        head += ", preferring to skip it" if (lo, hi) == (0, 1) else ", as few as possible"
    elif greed == "possessive":
        head += ", as many as possible and never giving any back"
    if captures_last and hi != 1 and hi != 0:
        head += " (only the last repetition is captured)"
    return head


# --- nouns ---------------------------------------------------------------------------------

_NAMED_SETS: dict[frozenset[str], Noun] = {
    frozenset({"0-9"}): Noun("a digit (0-9)", "digits (0-9)"),
    frozenset({"a-z"}): Noun("a lowercase letter (a-z)", "lowercase letters (a-z)"),
    frozenset({"A-Z"}): Noun("an uppercase letter (A-Z)", "uppercase letters (A-Z)"),
    frozenset({"a-z", "A-Z"}): Noun("a letter (a-z, A-Z)", "letters (a-z, A-Z)"),
    frozenset({"a-z", "A-Z", "0-9"}): Noun(
        "a letter or digit (a-z, A-Z, 0-9)", "letters or digits (a-z, A-Z, 0-9)"
    ),
    frozenset({"0-9", "a-f"}): Noun(
        "a lowercase hex digit (0-9, a-f)", "lowercase hex digits (0-9, a-f)"
    ),
    frozenset({"0-9", "A-F"}): Noun(
        "an uppercase hex digit (0-9, A-F)", "uppercase hex digits (0-9, A-F)"
    ),
    frozenset({"0-9", "a-f", "A-F"}): Noun(
        "a hex digit (0-9, a-f, A-F)", "hex digits (0-9, a-f, A-F)"
    ),
    frozenset({"a-z", "A-Z", "0-9", "_"}): Noun(
        "a word character (a-z, A-Z, 0-9 or _)", "word characters (a-z, A-Z, 0-9 or _)"
    ),
}


def _range_text(item: ClassRange) -> str:
    a, b = item.start.char, item.end.char
    if all(c.isascii() and c.isprintable() and c != " " for c in a + b):
        return f"{a}-{b}"
    return f"{_short(a)} to {_short(b)}"


def _short(ch: str) -> str:
    """A range end: the character itself where visible, and its code point unless ASCII."""
    point = f"U+{ord(ch):04X}"
    if ch.isprintable() and not ch.isspace():
        return ch if ch.isascii() else f"{ch} ({point})"
    return point


_SHORT_ESCAPES = {
    "d": "digits",
    "D": "non-digits",
    "w": "word characters",
    "W": "non-word characters",
    "s": "whitespace",
    "S": "non-whitespace",
}


def _item_words(item: ClassItem, ctx: Ctx) -> str:
    """A set member as a short list entry ("a-z", "`_`", "digits"): the member's own row
    below the set says the rest."""
    match item:
        case Literal(char=ch):
            return code(ch) if ch.isprintable() and not ch.isspace() else char_name(ch)
        case ClassRange():
            return _range_text(item)
        case ClassEscape(letter=letter):
            if letter in _SHORT_ESCAPES:
                return _SHORT_ESCAPES[letter]
            found = class_escape_noun(letter, ascii_only=ctx.ascii_only)
            return found.many or found.one
        case Property(name=name, value=value, negated=negated):
            found = property_noun(name, value, negated=negated)
            return found.many or found.one
        case PosixClass(name=name, negated=negated):
            found = posix_noun(name, negated=negated)
            return found.many or found.one
        case Class(items=members, negated=negated):
            listed = _join(tuple(_item_words(i, ctx) for i in members), "or")
            return f"anything but {listed}" if negated else listed
        case ClassSetOp():
            return f"({_setop_words(item, ctx)})"
        case _:
            assert_never(item)


_SETOP_WORDS = {
    "--": "{left} except {right}",
    "&&": "{left} that are also {right}",
    "||": "{left} or {right}",
    "~~": "either {left} or {right} but not both",
}


def _setop_words(item: ClassSetOp, ctx: Ctx) -> str:
    """A set operation as a plural phrase: "letters (POSIX alpha) except `a` or `e`"."""
    left = _join(tuple(_item_words(i, ctx) for i in item.left), "or")
    right = _join(tuple(_item_words(i, ctx) for i in item.right), "or")
    only = item.right[0] if len(item.right) == 1 else None
    if item.op == "&&" and isinstance(only, Class) and only.negated:
        listed = _join(tuple(_item_words(i, ctx) for i in only.items), "or")
        return f"{left} that are not {listed}"
    return _SETOP_WORDS[item.op].format(left=left, right=right)


def _join(parts: tuple[str, ...], word: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def _class_noun(node: Class, ctx: Ctx) -> Noun:
    items = node.items
    case = " (ignoring case)" if ctx.ignore_case and _has_cased(items) else ""
    keys = frozenset(
        _range_text(i) if isinstance(i, ClassRange) else (i.char if isinstance(i, Literal) else "")
        for i in items
    )
    if len(items) == 1 and isinstance(items[0], ClassSetOp):
        words = _setop_words(items[0], ctx)
        if node.negated:
            return Noun(f"a character that is not among {words}", f"characters not among {words}")
        return Noun(f"a character among {words}", f"characters among {words}")
    if node.negated and _letters_idiom(items):
        if ctx.ascii_only:
            return Noun("a letter (a-z, A-Z)", "letters (a-z, A-Z)")
        return Noun(
            "a letter (any Unicode letter: a word character but not a digit or _)",
            "letters (Unicode letters: word characters but not digits or _)",
        )
    if not node.negated and "" not in keys and keys in _NAMED_SETS and len(keys) == len(items):
        found = _NAMED_SETS[keys]
        return Noun(found.one + case, (found.many or found.one) + case)
    if len(items) == 1 and not node.negated:
        only = items[0]
        if isinstance(only, Literal):
            return char_noun(only.char, ignore_case=ctx.ignore_case)
        if isinstance(only, ClassEscape | Property | PosixClass):
            return noun(only, ctx)
    listed = _join(tuple(_item_words(i, ctx) for i in items), "or")
    if not items:
        return Noun("nothing (an empty set never matches)")
    if node.negated:
        return Noun(f"any character except {listed}{case}", f"characters other than {listed}{case}")
    return Noun(f"a character from {listed}{case}", f"characters from {listed}{case}")


def _has_cased(items: tuple[ClassItem, ...]) -> bool:
    """Whether case-insensitive matching can change what the set matches."""
    for item in items:
        if isinstance(item, Literal) and item.char.lower() != item.char.upper():
            return True
        if isinstance(item, ClassRange):
            lo, hi = ord(item.start.char), ord(item.end.char)
            if any(chr(c).lower() != chr(c).upper() for c in range(lo, min(hi, lo + 512) + 1)):
                return True
        if isinstance(item, Class | ClassSetOp):
            return True
    return False


def _letters_idiom(items: tuple[ClassItem, ...]) -> bool:
    """``[^\\W\\d_]``: not a non-word character, not a digit, not ``_``: a letter."""
    words = {
        i.letter if isinstance(i, ClassEscape) else (i.char if isinstance(i, Literal) else "?")
        for i in items
    }
    return len(items) == 3 and words == {"W", "d", "_"}


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
            return _class_noun(node, ctx)
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
                f"a character from {_range_text(node)}", f"characters from {_range_text(node)}"
            )
        case ClassSetOp():
            return Noun(_setop_words(node, ctx))
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


def _costs(text: str) -> list[tuple[str, int]]:
    """``2i+2d+1s`` as [("i", 2), ("d", 2), ("s", 1)]; empty if it is not that form."""
    out: list[tuple[str, int]] = []
    for term in text.replace(" ", "").split("+"):
        count, letter = term[:-1], term[-1:]
        if letter not in "ids" or not letter or (count and not count.isdigit()):
            return []
        out.append((letter, int(count or "1")))
    return out


def _fuzzy(constraints: str) -> str:
    kinds = {"e": "errors", "i": "insertions", "d": "deletions", "s": "substitutions"}
    parts = []
    for part in constraints.split(","):
        part = part.strip()
        op = "<=" if "<=" in part else ("<" if "<" in part else "")
        key, _, bound = part.partition(op) if op else (part, "", "")
        key = key.strip()
        if key in kinds and bound.strip().isdigit():
            limit = int(bound) - (1 if op == "<" else 0)
            word = kinds[key] if limit != 1 else kinds[key][:-1]
            parts.append(f"at most {limit} {word}")
        elif key in kinds and not op:
            parts.append(f"any number of {kinds[key]}")
        elif op == "<=" and bound.strip().isdigit() and _costs(key):
            costs = ", ".join(f"{kinds[k][:-1]} {c}" for k, c in _costs(key))
            parts.append(f"errors costing at most {bound.strip()} in all ({costs})")
        else:
            parts.append(f"the constraint {code(part)}")
    return ", ".join(parts)


def sentence(node: Node, ctx: Ctx) -> str:
    """The node's own explanation; never empty."""
    ctx = ctx.at(node)
    match node:
        case Literal() | Dot() | ClassEscape() | Property() | PosixClass() | Class():
            return noun(node, ctx).one
        case ClassRange():
            return f"a character from {_range_text(node)}"
        case ClassSetOp():
            return _setop_words(node, ctx)
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
        case Fuzzy(item=item, constraints=constraints):
            if isinstance(item, NonCapture) and not (item.on or item.off):
                thing = inline(item.body, ctx, 1)
            else:
                thing = noun(item, ctx).one
            return f"{thing}, allowing {_fuzzy(constraints)}"
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
