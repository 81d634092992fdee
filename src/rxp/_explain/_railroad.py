"""A railroad (syntax) diagram of a pattern as a standalone SVG, drawn as regexper draws one.

``railroad_svg(pattern)`` folds the AST into the items of ``_railroad_draw`` and prints them:

- a start and an end marker, the pattern's parts left to right between them;
- a run of literal characters is one box, its text quoted (``"Failed password"``), with
  backslash, quote and invisible characters shown as escapes (``\\n``, ``\\x00``);
- alternatives are parallel tracks, top to bottom in written order;
- a capturing group is a frame labelled ``group #N`` (``group #N: name`` when named); a
  plain non-capturing group is not drawn, only its body; lookarounds, atomic groups, branch
  resets, scoped flags, fuzzy constraints and conditionals are frames saying what they are;
- a quantifier draws a track over its item when it may be skipped and a track back under
  it when it may repeat, labelled with the count (``1+ times``, ``0 to 3 times``,
  ``exactly 2 times``, ``optional``, with ``, lazy`` or ``, possessive`` added);
- a set is a box ``one of: a-z, digit, "_"`` (``none of: ...`` when negated); escapes,
  anchors and references are boxes in words (``word boundary``, ``start of line``).

Leaves carry the sentence rxp says about them as a ``<title>`` (shown on hover). The fold
uses an explicit stack (``_trampoline``), so nesting depth is no limit; a sequence or a
choice of more than ``MAX_PARTS`` parts is cut short with a box saying how many are left out,
and a label longer than ``MAX_LABEL`` characters is cut with an ellipsis.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, assert_never

from .._syntax._ast import (
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
    Span,
    Trivia,
    Verb,
)
from .._syntax._flags import split_flags
from .._trampoline import Step, run
from ._railroad_draw import Box, Choice, Frame, Item, Loop, Seq, Skip, svg
from ._sentences import Ctx, literal_run_phrase, noun, sentence
from ._sets import range_text, setop_words
from ._words import (
    FLAG_WORDS,
    class_escape_noun,
    flag_phrase,
    fuzzy_words,
    posix_noun,
    property_noun,
)

if TYPE_CHECKING:
    from .._syntax._flags import NodeFlags

__all__ = ["MAX_LABEL", "MAX_PARTS", "railroad_svg", "repeat_label", "shown"]

MAX_LABEL = 120  # characters of pattern text in one label
MAX_PARTS = 10_000  # parts of one sequence or choice


def railroad_svg(pattern: Pattern) -> str:
    """The railroad diagram of ``pattern`` as an SVG document (see the module docstring)."""
    return svg(run(_Fold(pattern).item(pattern.body)), shown(pattern.text)[:MAX_LABEL])


def repeat_label(lo: int, hi: int | None, greed: Greed) -> str:
    """The label under a quantifier's loop: ``1+ times``, ``0 to 3 times``, ``exactly 2
    times``, ``optional``; ``, lazy`` or ``, possessive`` added when not greedy."""
    if (lo, hi) == (0, 1):
        said = "optional"
    elif hi is None:
        said = f"{lo}+ times"
    elif lo == hi:
        said = f"exactly {lo} time" + ("" if lo == 1 else "s")
    else:
        said = f"{lo} to {hi} times"
    return said if greed == "greedy" else f"{said}, {greed}"


_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f", "\v": "\\v"}


def shown(text: str, *, quoted: bool = False) -> str:
    """``text`` with every invisible character as an escape (``\\n``, ``\\x00``,
    ``\\u200b``); ``quoted``: also ``\\`` and ``"`` escaped, and quotes around it."""
    out: list[str] = []
    for ch in text:
        if quoted and (ch == "\\" or ch == '"'):
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        else:
            code = ord(ch)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
            )
    return f'"{"".join(out)}"' if quoted else "".join(out)


def _quote(chars: str) -> str:
    if len(chars) > MAX_LABEL:
        return shown(chars[:MAX_LABEL], quoted=True) + "…"
    return shown(chars, quoted=True)


def _bare(phrase: str) -> str:
    """A noun phrase without its article: "a digit (0-9)" -> "digit (0-9)"."""
    for article in ("a ", "an ", "the "):
        if phrase.startswith(article):
            return phrase[len(article) :]
    return phrase


# Scoped or inline flags after the leading ones: the flags may change inside the pattern.
_LEADING_FLAGS = re.compile(r"^(?:\(\?[a-zA-Z]+\))*")
_FLAGS_INSIDE = re.compile(r"\(\?[-aiLmsuxbefprwV]")

_SHORT = {
    "d": "digit",
    "D": "non-digit",
    "w": "word character",
    "W": "non-word character",
    "s": "whitespace",
    "S": "non-whitespace",
}

_ANCHORS = {
    "text_start": "start of text",
    "text_end": "end of text",
    "word_boundary": "word boundary",
    "not_word_boundary": "not a word boundary",
    "search_start": "start of search",
    "word_start": "start of word",
    "word_end": "end of word",
    "keep_out": "match starts here (\\K)",
}


class _Fold:
    """The fold from AST to diagram items. The flags in effect are read when a leaf first
    needs them: once for the whole pattern when nothing in it changes them on the way, else
    per node (``flags_at``, slower on huge patterns)."""

    def __init__(self, pattern: Pattern) -> None:
        self.pattern = pattern
        self.table: NodeFlags | None = None
        self.uniform: str | None = None
        self.contexts: dict[str, Ctx] = {}

    def ctx(self, node: Node) -> Ctx:
        if self.table is None and self.uniform is None:
            from .._syntax._flags import flags_at, global_flags

            rest = _LEADING_FLAGS.sub("", self.pattern.text, count=1)
            if _FLAGS_INSIDE.search(rest):
                self.table = flags_at(self.pattern)
            else:
                self.uniform = global_flags(self.pattern)
        letters = self.table.get(node, "") if self.table is not None else self.uniform or ""
        found = self.contexts.get(letters)
        if found is None:
            from .._syntax._flags import flag_set

            found = self.contexts[letters] = Ctx(self.pattern.flavor, flag_set(letters), {}, {})
        return found

    def item(self, node: Node) -> Step[Item]:
        match node:
            case Concat():
                whole: Item = yield self.sequence(node)
                return whole
            case Alternation(branches=branches):
                parts: list[Item] = []
                drawn = branches if len(branches) <= MAX_PARTS else branches[: MAX_PARTS - 1]
                for branch in drawn:
                    parts.append((yield self.item(branch)))
                return Choice.of("alternation", node.span, _capped(parts, len(branches), node))
            case Repeat(item=inner, min=lo, max=hi, greed=greed):
                part: Item = yield self.item(inner)
                again = hi is None or hi > 1
                label = repeat_label(lo, hi, greed)
                return Loop.of("repeat", node.span, part, lo == 0, again, label)
            case Fuzzy(item=inner):
                part = yield self.item(inner)
                return Frame.of("fuzzy", node.span, part, fuzzy_words(node))
            case Capture(body=body, index=index, name=name):
                label = f"group #{index}" + (f": {shown(name)}" if name else "")
                part = yield self.item(body)
                return Frame.of("capture", node.span, part, label, sentence(node, self.ctx(node)))
            case NonCapture(body=body, on=on, off=off):
                part = yield self.item(body)
                if not (on or off):
                    return part
                label = _flags_label(on, off)
                return Frame.of("scoped", node.span, part, label, flag_phrase(on, off))
            case Lookaround(body=body):
                part = yield self.item(body)
                said = sentence(node, self.ctx(node)).rstrip(":")
                return Frame.of("lookaround", node.span, part, said)
            case Atomic(body=body):
                part = yield self.item(body)
                said = sentence(node, self.ctx(node))
                return Frame.of("atomic", node.span, part, "atomic group", said)
            case BranchReset(body=body):
                part = yield self.item(body)
                said = sentence(node, self.ctx(node))
                return Frame.of("reset", node.span, part, "branch reset", said)
            case Conditional():
                whole = yield self.conditional(node)
                return whole
            case Pattern(body=body):
                whole = yield self.item(body)
                return whole
            case Empty() | Comment() | Trivia():
                return Skip(node.span)
            case Literal(char=ch):
                return self.text(node.span, ch, node)
            case (
                Dot()
                | ClassEscape()
                | Property()
                | PosixClass()
                | ClassRange()
                | ClassSetOp()
                | Class()
                | Anchor()
                | Backref()
                | Recursion()
                | Verb()
                | NamedList()
                | InlineFlags()
            ):
                return self.leaf(node)
            case _:
                assert_never(node)

    def sequence(self, node: Concat) -> Step[Item]:
        """The items left to right, each run of literals one box (verbose-mode whitespace
        and comments, which the engine skips, are not drawn and do not break a run)."""
        parts: list[Item] = []
        run_: list[Literal] = []
        left = 0  # items not drawn, past MAX_PARTS
        for at, inner in enumerate(node.items):
            if len(parts) >= MAX_PARTS - 1:
                left = sum(1 for i in node.items[at:] if not isinstance(i, Trivia | Comment))
                break
            if isinstance(inner, Trivia | Comment):
                continue
            if isinstance(inner, Literal):
                run_.append(inner)
                continue
            if run_:
                parts.append(self.run(run_))
                run_ = []
            parts.append((yield self.item(inner)))
        if run_:
            parts.append(self.run(run_))
        if left:
            parts.append(_more(left, node))
        if not parts:
            return Skip(node.span)
        return parts[0] if len(parts) == 1 else Seq.of("sequence", node.span, tuple(parts))

    def run(self, literals: list[Literal]) -> Box:
        span = Span(literals[0].span.start, literals[-1].span.end)
        return self.text(span, "".join(lit.char for lit in literals), literals[0])

    def text(self, span: Span, chars: str, first: Literal) -> Box:
        title = literal_run_phrase(chars[:MAX_LABEL], self.ctx(first))
        return Box.of("literal", span, _quote(chars), title)

    def conditional(self, node: Conditional) -> Step[Item]:
        yes = yield self.item(node.yes)
        if node.condition == "DEFINE":
            return Frame.of("conditional", node.span, yes, "definitions, never matched here")
        cond = node.condition
        if isinstance(cond, Lookaround):
            look = yield self.item(cond)
            yes = Seq.of("sequence", Span(cond.span.start, node.yes.span.end), (look, yes))
            test = "if the " + ("lookahead" if cond.ahead else "lookbehind") + " holds"
        else:
            test = f"if group {shown(str(cond))} matched"
        end = node.yes.span.end
        no = Skip(Span(end, end)) if node.no is None else (yield self.item(node.no))
        tracks = Choice.of("alternation", node.span, (yes, no))
        return Frame.of("conditional", node.span, tracks, f"{test}: upper track, else lower")

    def leaf(self, node: Node) -> Box:
        ctx = self.ctx(node)
        kind, label, title = "escape", "", ""
        match node:
            case Dot():
                label = noun(node, ctx).one
            case ClassEscape(letter=letter):
                label = _SHORT.get(letter) or _bare(noun(node, ctx).one)
                title = noun(node, ctx).one
            case Property() | PosixClass() | ClassRange() | ClassSetOp():
                kind, label = "class", self.member(node, ctx, 0)
            case Class(negated=negated, items=items):
                members = ", ".join(self.member(i, ctx, 0) for i in items) or "nothing"
                kind, label = "class", ("none of: " if negated else "one of: ") + members
                title = noun(node, ctx).one
            case Anchor(kind=which):
                kind, label, title = "anchor", _anchor(which, ctx), sentence(node, ctx)
            case Backref(target=target):
                kind, label = "reference", f"back reference to group {shown(str(target))}"
                from .._analysis._groups import group_names

                title = sentence(node, replace(ctx, names=group_names(self.pattern)))
            case Recursion(target=target):
                where = "the whole pattern" if target == 0 else f"group {shown(str(target))}"
                kind, label, title = "reference", f"recursion into {where}", sentence(node, ctx)
            case Verb(name=name):
                kind, label, title = "anchor", f"verb (*{name})", sentence(node, ctx)
            case NamedList(name=name):
                kind, label, title = "class", f"one of list {shown(name)}", sentence(node, ctx)
            case InlineFlags(on=on, off=off):
                kind, label, title = "flags", _flags_label(on, off), flag_phrase(on, off)
            case _:
                raise TypeError(f"not a leaf: {node!r}")
        if len(label) > MAX_LABEL:
            label = label[:MAX_LABEL] + "…"
        return Box.of(kind, node.span, shown(label), title)

    def member(self, item: ClassItem, ctx: Ctx, depth: int) -> str:
        """A set member in a short list: ``a-z``, ``"_"``, ``digit``."""
        match item:
            case Literal(char=ch):
                return shown(ch, quoted=True)
            case ClassRange(start=start, end=end):
                if (start.char + end.char).isalnum():
                    return range_text(item)
                return f"{shown(start.char, quoted=True)} to {shown(end.char, quoted=True)}"
            case ClassEscape(letter=letter):
                return _SHORT.get(letter) or _bare(class_escape_noun(letter, ascii_only=False).one)
            case Property(name=name, value=value, negated=negated):
                return _bare(property_noun(name, value, negated=negated).one)
            case PosixClass(name=name, negated=negated):
                return _bare(posix_noun(name, negated=negated).one)
            case Class(negated=negated, items=items):
                if depth > 8:
                    return "(…)"
                inner = ", ".join(self.member(i, ctx, depth + 1) for i in items)
                return f"({'none' if negated else 'one'} of: {inner})"
            case ClassSetOp():
                return f"({setop_words(item, ctx)})"
            case _:
                assert_never(item)


def _anchor(which: str, ctx: Ctx) -> str:
    multiline = "m" in ctx.flags
    if which == "line_start":
        return "start of line" if multiline else "start of text"
    if which == "line_end":
        return "end of line" if multiline else "end of text (or before a final \\n)"
    return _ANCHORS[which]


def _flags_label(on: str, off: str) -> str:
    """``flags: ignore case, not dotall``: each flag's name, without its explanation."""
    named = [FLAG_WORDS.get(f, f).split(":")[0] for f in split_flags(on)]
    named += ["not " + FLAG_WORDS.get(f, f).split(":")[0] for f in split_flags(off)]
    return "flags: " + ", ".join(named)


def _capped(parts: list[Item], total: int, node: Node) -> tuple[Item, ...]:
    return tuple(parts) if total <= len(parts) else (*parts, _more(total - len(parts), node))


def _more(count: int, node: Node) -> Box:
    """The box standing for what is left out of a long sequence or choice."""
    end = Span(node.span.end, node.span.end)
    return Box.of("more", end, f"… and {count} more not drawn")
