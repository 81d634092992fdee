"""grep's pattern options as Python patterns: several patterns (``-e``, ``-f``), whole
words (``-w``), whole lines (``-x``) and NUL-terminated lines (``-z``). Pure folds over the
patterns' ASTs.

The stream engine runs one pattern over lines that end in "\\n"; grep's options become text:

- Several patterns: ``(?:P1)|(?:P2)|...``; a line matches when any pattern does. Each
  pattern keeps its meaning: a ``re`` pattern's leading flags ``(?i)`` are scoped to it
  (``(?i:...)``: ``re`` allows global flags only at the start; ``regex`` scopes an inline
  ``(?i)`` to its group by itself), its numbered references (``\\1``, ``(?(1)...)``,
  ``(?1)``) follow its groups' new numbers, and a group name an earlier pattern uses is
  renamed (``labels`` keep the names as written, for ``--json``). For ``-o``, colours and
  ``--json`` grep reports, at the leftmost position any pattern matches, the longest of
  their matches there; ``branches`` (each pattern alone, spelled for bytes) let ``_spans``
  compare them.
- ``-x``: ``^(?:P)$``.
- ``-w``: ``(?<![0-9A-Za-z_])(?:P)(?![0-9A-Za-z_])``, a match with a non-word byte or the
  line's edge on both sides. grep selects lines with the DFA of
  ``(^|[^[:alnum:]_])(P)([^[:alnum:]_]|$)``: exactly these lines, since Python backtracks
  into P for every way it can match. For ``-o`` grep tries, at each start, its longest
  match, then shorter ones, until one has non-word bytes around it; Python tries them in
  its order of preference: the same match wherever leftmost-first and leftmost-longest
  agree. Linear-time engines have no look-around: ``word_selector`` gives them grep's own
  form, and ``unguarded`` the pattern to translate for them.
- ``-z``: lines end in NUL, and "\\n" is an ordinary byte inside them. The stream engine
  swaps the two bytes in the data it scans and back in what it prints, so that every part
  which knows that lines end in "\\n" stays as it is; the pattern gets the same swap
  (``\\n`` becomes ``\\x00`` and back; ``\\s`` and the sets holding one of the two bytes are
  rewritten), so it means on the swapped bytes what it meant on the original ones. ``.``
  and ``[^a]`` then match a "\\n" inside a line, ``^`` and ``$`` hold only at its ends, as
  in ``grep -z``.

Edits are splices at node spans (as in ``_lower``), so everything else stays as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .._analysis._pcre import byte_class, known_byte_set
from .._errors import PatternError, RxpError
from .._syntax._ast import (
    Alternation,
    Backref,
    Capture,
    Class,
    ClassEscape,
    Comment,
    Concat,
    Conditional,
    Empty,
    InlineFlags,
    Literal,
    Lookaround,
    Node,
    NonCapture,
    Pattern,
    PosixClass,
    Property,
    Recursion,
    Repeat,
    Trivia,
    walk,
)
from .._syntax._flags import skipped_flag_groups
from ._lower import byte_spelling_edits, utf8

__all__ = ["WORD", "Forms", "grep_forms", "unguarded", "word_selector"]

WORD = "0-9A-Za-z_"
"""grep's word bytes under ``LC_ALL=C`` (``[[:alnum:]_]``), as a set's contents."""

_BEFORE = f"(?<![{WORD}])"
_AFTER = f"(?![{WORD}])"
_SPACE_SWAPPED = r"\x00\x09\x0b\x0c\x0d\x20"  # \s with "\n" taken for NUL
_REGEX_GLOBAL = frozenset({"V0", "V1", "b", "e", "p", "r"})  # regex: global wherever written

Edit = tuple[int, int, str]


class Forms(NamedTuple):
    """``text``: the pattern to run (str syntax, as the user's patterns). With several
    patterns, ``branches`` are each alone (with ``-w``/``-x``, numbered on their own,
    spelled for bytes), ``offsets`` how many groups of ``text`` precede each one's first,
    and ``labels`` every named group as (name as written, number in ``text``)."""

    text: str
    branches: tuple[str, ...] = ()
    offsets: tuple[int, ...] = ()
    labels: tuple[tuple[str, int], ...] = ()


def word_selector(automaton: bytes) -> bytes:
    """The ``-w`` selection for a linear-time engine, from the automaton form of the
    pattern without its guards (``unguarded``): grep's own, per line (MULTILINE)."""
    word = WORD.encode("ascii")
    return b"(?:^|[^" + word + b"\\n])(?:" + automaton + b")(?:[^" + word + b"\\n]|$)"


def unguarded(tree: Pattern) -> Pattern:
    """The ``-w`` pattern ``grep_forms`` made, parsed, without its two look-arounds."""
    body = tree.body
    assert isinstance(body, Concat) and isinstance(body.items[-1], Lookaround)
    items = (*body.items[:-3], body.items[-2])
    inner: Node = items[0] if len(items) == 1 else Concat(span=body.span, items=items)
    return Pattern(span=tree.span, text=tree.text, flavor=tree.flavor, flags=tree.flags, body=inner)


def _lead_end(tree: Pattern) -> int:
    """Where the inline flags opening the pattern end (with comments among them)."""
    body = tree.body
    first = body.branches[0] if isinstance(body, Alternation) else body
    lead = tree.span.start
    for item in first.items if isinstance(first, Concat) else (first,):
        if not isinstance(item, InlineFlags | Comment | Trivia):
            break
        lead = item.span.end
    return lead


def _leading_flags(tree: Pattern) -> list[InlineFlags]:
    lead = _lead_end(tree)
    return [n for n in walk(tree) if isinstance(n, InlineFlags) and n.span.end <= lead]


def _splice(text: str, edits: Sequence[Edit], start: int, end: int) -> str:
    """``text[start:end]`` with the edits inside it; an insertion at ``start`` belongs to
    the part before (a comment's closing newline must precede what is added after it)."""
    out: list[str] = []
    at = start
    for lo, hi, new in sorted(edits):
        if lo < start or hi > end or (lo == hi == start and start > 0):
            continue
        out += (text[at:lo], new)
        at = hi
    out.append(text[at:end])
    return "".join(out)


def _closed_comments(tree: Pattern) -> list[Edit]:
    """A verbose-mode ``#`` comment runs to the end of the line: end the last one with a
    newline, so that nothing added after the pattern falls into it."""
    return [
        (n.span.end, n.span.end, "\n")
        for n in walk(tree)
        if isinstance(n, Trivia) and "#" in n.text and not n.text.endswith("\n")
    ]


def _set_text(members: frozenset[int]) -> str:
    return byte_class(members) if members else "(?!)"


def _unswappable(tree: Pattern, node: Node, what: str) -> PatternError:
    return PatternError(
        f"with -z (lines end in NUL), rxp cannot tell how {what} treats NUL and newline",
        pattern=tree.text,
        span=(node.span.start, node.span.end),
    )


def _swap_edits(tree: Pattern) -> list[Edit]:
    """The edits that make ``tree`` mean on bytes with NUL and "\\n" swapped what it
    means on the original bytes (``-z``)."""
    edits: list[Edit] = []
    inside: set[int] = set()
    for node in walk(tree):
        if id(node) in inside:
            continue
        match node:
            case Class():
                inside.update(id(n) for n in walk(node))
                members = known_byte_set(node)
                if members is None:
                    raise _unswappable(tree, node, "this set")
                if (0 in members) != (10 in members):
                    swapped = frozenset({0: 10, 10: 0}.get(b, b) for b in members)
                    edits.append((node.span.start, node.span.end, _set_text(swapped)))
            case Literal(char="\n"):
                edits.append((node.span.start, node.span.end, "\\x00"))
            case Literal(char="\x00"):
                edits.append((node.span.start, node.span.end, "\\n"))
            case ClassEscape(letter="s" | "S" as letter):
                negated = "^" if letter == "S" else ""
                edits.append((node.span.start, node.span.end, f"[{negated}{_SPACE_SWAPPED}]"))
            case ClassEscape(letter=letter) if letter not in "dDwW":
                raise _unswappable(tree, node, f"\\{letter}")
            case Property() | PosixClass():
                raise _unswappable(tree, node, "a property")
            case _:
                pass
    return edits


class _Pattern:
    """One of several patterns, with what renumbering it needs."""

    def __init__(self, tree: Pattern, index: int) -> None:
        self.tree = tree
        self.index = index
        captures = [n for n in walk(tree) if isinstance(n, Capture)]
        self.groups = max((c.index for c in captures), default=0)
        self.names = [c for c in captures if c.name is not None]
        self.offset = 0
        self.renamed: dict[str, str] = {}

    def fail(self, node: Node, message: str) -> RxpError:
        return PatternError(
            f"{message} (pattern {self.index + 1} of several)",
            pattern=self.tree.text,
            span=(node.span.start, node.span.end),
        )

    def number(self, node: Node, n: int) -> int:
        shifted = n + self.offset
        if shifted > 99 and self.tree.flavor == "re":
            raise self.fail(node, f"group {n} would be group {shifted}: re refers to 99 at most")
        return shifted

    def name(self, name: str) -> str:
        return self.renamed.get(name, name)

    def reference_edits(self) -> list[Edit]:
        """Numbers shifted by ``offset`` and names renamed, in every group and reference."""
        edits: list[Edit] = []
        for node in walk(self.tree):
            start, end = node.span.start, node.span.end
            match node:
                case Capture(name=str(name)) if name in self.renamed:
                    edits.append((start, start + len(node.opener), f"(?P<{self.name(name)}>"))
                case Backref(target=int(n)) if self.offset:
                    shifted = self.number(node, n)
                    edits.append(
                        (start, end, f"(?:\\{shifted})" if shifted < 100 else f"\\g<{shifted}>")
                    )
                case Backref(target=str(name)) if name in self.renamed:
                    edits.append((start, end, f"(?P={self.name(name)})"))
                case Conditional(condition=int() | str() as condition):
                    raw = node.condition_raw
                    at = start + 3
                    text = self.tree.text
                    if text[start:at] != "(?(" or text[at : at + len(raw)] != raw:
                        raise self.fail(node, "this condition cannot be renumbered")
                    if isinstance(condition, int) and self.offset:
                        edits.append((at, at + len(raw), str(self.number(node, condition))))
                    elif isinstance(condition, str) and condition in self.renamed:
                        edits.append((at, at + len(raw), self.name(condition)))
                case Recursion(target=target, raw=raw):
                    if target == 0:
                        raise self.fail(node, "a recursion into the whole pattern")
                    if isinstance(target, int) and not raw.startswith(("(?+", "(?-")):
                        edits.append((start, end, f"(?{self.number(node, target)})"))
                    elif isinstance(target, str) and target in self.renamed:
                        edits.append((start, end, f"(?&{self.name(target)})"))
                case InlineFlags(on=on) | NonCapture(on=on) if self.tree.flavor == "regex":
                    self.check_local(node, on)
                case Repeat() if self.tree.flavor == "regex":
                    for _, on, _ in skipped_flag_groups(node):
                        self.check_local(node, on)
                case _:
                    pass
        return edits

    def check_local(self, node: Node, on: str) -> None:
        found = sorted(f for f in _REGEX_GLOBAL if f in on)
        if found:
            raise self.fail(node, f"the global flag {found[0]} cannot be limited to one pattern")


def _literal_length(tree: Pattern) -> int | None:
    """The length in bytes of the one string ``tree`` matches, when it is a plain string
    (``-F`` gives those); None otherwise."""
    body = tree.body
    items = body.items if isinstance(body, Concat) else () if isinstance(body, Empty) else (body,)
    if not all(isinstance(item, Literal) for item in items):
        return None
    return sum(len(utf8(item.char)) for item in items if isinstance(item, Literal))


def _wrap(head: str, body: str, *, words: bool, lines: bool) -> str:
    if lines:
        return f"{head}^(?:{body})$"
    if words:
        return f"{head}{_BEFORE}(?:{body}){_AFTER}"
    return head + body


def _alone(tree: Pattern, edits: list[Edit], *, words: bool, lines: bool) -> str:
    """One pattern with ``edits`` and the ``-w``/``-x`` guards, after its leading flags."""
    text = tree.text
    lead = _lead_end(tree)
    head, body = _splice(text, edits, 0, lead), _splice(text, edits, lead, len(text))
    return _wrap(head, body, words=words, lines=lines)


def grep_forms(
    trees: Sequence[Pattern], *, words: bool = False, lines: bool = False, null_data: bool = False
) -> Forms:
    """The pattern that selects the lines grep selects with ``trees`` (one or more) and its
    ``-w`` (ignored with ``-x``, as grep does), ``-x`` and ``-z``; see the module
    docstring. Raises ``PatternError`` for what cannot be carried over."""
    words = words and not lines
    base = [_closed_comments(t) + (_swap_edits(t) if null_data else []) for t in trees]
    if len(trees) == 1:
        return Forms(_alone(trees[0], base[0], words=words, lines=lines))
    lengths = [_literal_length(t) for t in trees]
    if all(n is not None for n in lengths):
        # Plain strings, longest first: Python's first alternative that matches is then
        # grep's longest match (-F -f lists need no pattern-by-pattern spans)
        order = sorted(range(len(trees)), key=lambda i: -(lengths[i] or 0))
        joined = "|".join(
            "(?:" + _splice(trees[i].text, base[i], 0, len(trees[i].text)) + ")" for i in order
        )
        return Forms(_wrap("", joined, words=words, lines=lines))
    patterns = [_Pattern(t, i) for i, t in enumerate(trees)]
    taken = {c.name for p in patterns for c in p.names}
    seen: set[str] = set()
    offset = 0
    for p in patterns:
        p.offset = offset
        offset += p.groups
        for capture in p.names:
            name = capture.name
            assert name is not None
            if name in seen and name not in p.renamed:
                new = f"{name}_{p.index + 1}"
                while new in taken:
                    new += "_"
                taken.add(new)
                p.renamed[name] = new
        seen.update(c.name for c in p.names if c.name is not None)
    parts: list[str] = []
    for p, edits in zip(patterns, base, strict=True):
        tree, text = p.tree, p.tree.text
        edits = edits + p.reference_edits()
        scope = ""
        if tree.flavor == "re":
            for flags in _leading_flags(tree):
                scope += flags.on
                edits.append((flags.span.start, flags.span.end, ""))
        parts.append(f"(?{scope}:" + _splice(text, edits, 0, len(text)) + ")")
    joined = "|".join(parts)
    text = _wrap("", joined, words=words, lines=lines)
    branches = tuple(
        _alone(p.tree, edits + byte_spelling_edits(p.tree), words=words, lines=lines)
        for p, edits in zip(patterns, base, strict=True)
    )
    labels = tuple(
        (c.name, c.index + p.offset) for p in patterns for c in p.names if c.name is not None
    )
    return Forms(text, branches, tuple(p.offset for p in patterns), labels)
