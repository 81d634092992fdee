"""What a lint is, and the context the rule families of ``_lints`` share: flags per node,
parents, character sets, and the checking of every fix.

A fix is the whole pattern text with one span replaced. Before it is reported it must parse
(same flavour and flags) and every token outside the replaced span must read as before, in
the same place: removing ``(?:)`` from ``\\1(?:)0`` is no fix, it would make ``\\10``. When
``changes_meaning`` is False the groups (count and names) must be the same too. Checking
parses the fix, within a budget of characters per pattern: past it, lints have no fix.
"""

from __future__ import annotations

from .._errors import PatternError
from .._syntax._ast import (
    Anchor,
    Capture,
    Class,
    ClassRange,
    ClassSetOp,
    Concat,
    Flavor,
    NamedList,
    Node,
    Pattern,
    Recursion,
    Span,
    Verb,
    children,
)
from .._syntax._flags import NodeFlags, flags_at
from .._syntax._record import value
from .._syntax._unparse import _parts
from ._charsets import Chars

__all__ = ["MAX_LINTS", "Ctx", "Lint", "show"]

MAX_LINTS = 200  # a pattern with more gets the first ones, in pattern order
_FIX_BUDGET = 3000  # characters of fixes parsed per pattern, to check them
_WORK = 4000  # comparisons of alternatives per pattern


@value
class Lint:
    """A finding: ``id`` names the rule (eslint-plugin-regexp's name where it has one),
    ``span`` the part of the pattern at fault, ``message`` one line of plain English.
    ``fix`` is the whole corrected pattern, or None when there is no mechanical fix;
    ``changes_meaning`` is True when the fix would match differently (then it is a
    suggestion to review, never to apply blindly)."""

    id: str
    span: Span
    message: str
    fix: str | None
    changes_meaning: bool


def show(text: str, limit: int = 40) -> str:
    """A piece of pattern quoted for a message, shortened when long."""
    text = text.replace("\n", "\\n").replace("\t", "\\t")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"`{text}`"


_Token = tuple[int, str, str]  # offset, the type of node that prints it, its text


def _tokens(root: Node) -> list[_Token]:
    """The text pieces of the tree in order, each with where it is and who prints it."""
    out: list[_Token] = []
    stack: list[tuple[int, str | Node, str]] = [(root.span.start, root, "")]
    while stack:
        at, top, owner = stack.pop()
        if isinstance(top, str):
            out.append((at, owner, top))
            continue
        pos = at
        todo: list[tuple[int, str | Node, str]] = []
        for part in _parts(top):
            if isinstance(part, str):
                if part:
                    todo.append((pos, part, type(top).__name__))
                    pos += len(part)
            else:
                todo.append((part.span.start, part, ""))
                pos = part.span.end
        stack.extend(reversed(todo))
    return out


class Ctx:
    """One pattern being linted: its flags per node, parents, character sets, and the
    checking of fixes."""

    def __init__(self, p: Pattern) -> None:
        self.p = p
        self.text = p.text
        self.flavor: Flavor = p.flavor
        self.flags: NodeFlags = flags_at(p)
        self.parents: dict[int, Node] = {}
        self.nodes: list[Node] = []  # every node, parents before children, in written order
        self.lists: list[str] = []
        self.effects: set[int] = set()  # nodes with an effect beyond what they match
        stack: list[Node] = [p]
        while stack:
            node = stack.pop()
            self.nodes.append(node)
            below = children(node)
            for child in below:
                self.parents[id(child)] = node
            stack.extend(reversed(below))
            if isinstance(node, NamedList):
                self.lists.append(node.name)
            if isinstance(node, Capture | Verb | Recursion) or (
                isinstance(node, Anchor) and node.kind == "keep_out"
            ):
                self._mark(node)
        top = self.flags.get(p.body, "")
        # regex's full case folding lets one character match two ("ß" and "ss")
        fold_all = p.flavor == "regex" and "i" in top and ("V1" in top or "f" in top)
        self.chars = Chars(p.flavor, opaque=fold_all)
        self.budget = _FIX_BUDGET
        self.work = _WORK  # pairwise comparisons left (duplicate alternatives)
        self._tokens: list[_Token] | None = None
        self._groups: tuple[int, dict[str, int]] | None = None
        self._checks: dict[tuple[Span, str, bool], str | None] = {}

    def _mark(self, node: Node | None) -> None:
        while node is not None and id(node) not in self.effects:
            self.effects.add(id(node))
            node = self.parents.get(id(node))

    def inert(self, node: Node) -> bool:
        """Nothing inside ``node`` has an effect beyond what it matches: no capturing
        group, no backtracking verb, no ``\\K``, no recursion (which captures)."""
        return id(node) not in self.effects

    def flags_of(self, node: Node) -> str:
        return self.flags.get(node, "")

    def parent(self, node: Node) -> Node | None:
        return self.parents.get(id(node))

    def in_class(self, node: Node) -> bool:
        return isinstance(self.parent(node), Class | ClassRange | ClassSetOp)

    def neighbours(self, node: Node) -> tuple[Node | None, Node | None]:
        """The items just before and after ``node`` in its sequence (None at either end,
        or when ``node`` is not in a sequence)."""
        up = self.parent(node)
        if not isinstance(up, Concat):
            return None, None
        i = next(k for k, item in enumerate(up.items) if item is node)
        before = up.items[i - 1] if i > 0 else None
        after = up.items[i + 1] if i + 1 < len(up.items) else None
        return before, after

    # --- fixes -----------------------------------------------------------------------------

    def lint(
        self,
        rule: str,
        span: Span,
        message: str,
        edit: tuple[Span, str] | None = None,
        *,
        changes_meaning: bool = False,
        needs_fix: bool = False,
    ) -> Lint | None:
        """A lint whose fix replaces ``edit``'s span with its text, once the fix is
        checked; without a good fix the lint has ``fix=None``, or, with ``needs_fix``
        (the construct is only wrong if it can go), is not reported at all."""
        fix = None if edit is None else self._checked(edit[0], edit[1], changes_meaning)
        if fix is None and needs_fix:
            return None
        return Lint(rule, span, message, fix, changes_meaning if fix is not None else False)

    def _checked(self, span: Span, text: str, changes_meaning: bool) -> str | None:
        key = (span, text, changes_meaning)
        if key not in self._checks:
            self._checks[key] = self._check(span, text, changes_meaning)
        return self._checks[key]

    def _check(self, span: Span, text: str, changes_meaning: bool) -> str | None:
        fixed = self.text[: span.start] + text + self.text[span.end :]
        if fixed == self.text or len(fixed) > self.budget:
            return None
        self.budget -= len(fixed)
        from .._syntax._parse import parse

        try:
            q = parse(fixed, flavor=self.flavor, flags=self.p.flags, named_lists=self.lists)
        except (PatternError, RecursionError):
            return None
        if not self._same_outside(q, span, len(text)):
            return None
        if not changes_meaning and _group_facts(q) != self._group_facts():
            return None
        return fixed

    def _same_outside(self, q: Pattern, span: Span, length: int) -> bool:
        """Every token before and after the replaced span is where it was, as it was."""
        if self._tokens is None:
            self._tokens = _tokens(self.p)
        shift = length - (span.end - span.start)
        new_end = span.start + length
        before = [t for t in self._tokens if t[0] + len(t[2]) <= span.start]
        after = [(t[0] + shift, t[1], t[2]) for t in self._tokens if t[0] >= span.end]
        got = _tokens(q)
        got_before = [t for t in got if t[0] + len(t[2]) <= span.start]
        got_after = [t for t in got if t[0] >= new_end]
        return before == got_before and after == got_after

    def _group_facts(self) -> tuple[int, dict[str, int]]:
        if self._groups is None:
            self._groups = _group_facts(self.p)
        return self._groups


def _group_facts(p: Pattern) -> tuple[int, dict[str, int]]:
    from ._groups import group_count, group_names

    return group_count(p), group_names(p)
