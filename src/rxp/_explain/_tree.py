"""The explanation tree as a person reads it: one row per construct, with runs of literals
merged into one "the text `...`" row, a group's sequence shown directly under the group, and
a quantifier folded into the row of what it repeats.

Contract: every row's ``text`` is ``pattern.text[span.start:span.end]`` and every child's span
lies within its parent's.
"""

from __future__ import annotations

from typing import assert_never

from .._syntax._ast import (
    LEAF_TYPES,
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
    Span,
    Trivia,
    Verb,
)
from ._annotate import node_kind
from ._model import ExplainedNode
from ._sentences import Ctx, literal_run_phrase, noun, quantified, sentence
from ._words import Noun

__all__ = ["display_tree"]

_LEAVES = (*LEAF_TYPES, ClassRange, Class)  # what a row shows whole


def display_tree(pattern: Pattern, ctx: Ctx) -> ExplainedNode:
    """The root row stands for the whole pattern; its children are the top-level rows."""
    text = pattern.text

    def row(
        span: Span, kind: str, said: str, kids: tuple[ExplainedNode, ...] = ()
    ) -> ExplainedNode:
        return ExplainedNode(
            span=span, kind=kind, text=span.slice(text), sentence=said, children=kids
        )

    def items(body: Node) -> tuple[ExplainedNode, ...]:
        """The rows for a sequence: literal runs merged (across verbose-mode whitespace,
        which gets no row of its own), each other item its own row."""
        if isinstance(body, Empty) or _blank(body):
            return ()
        if not isinstance(body, Concat):
            return (show(body),)
        out: list[ExplainedNode] = []
        run: list[Literal] = []

        def flush() -> None:
            if len(run) >= 2:
                span = Span(run[0].span.start, run[-1].span.end)
                chars = "".join(lit.char for lit in run)
                out.append(row(span, "text", literal_run_phrase(chars, ctx.at(run[0]))))
            elif run:
                out.append(show(run[0]))
            run.clear()

        same: list[Node] = []

        def flush_same() -> None:
            if len(same) >= 2:
                span = Span(same[0].span.start, same[-1].span.end)
                said = quantified(noun(same[0], ctx), len(same), len(same), "greedy")
                out.append(row(span, node_kind(same[0]), said))
            elif same:
                out.append(show(same[0]))
            same.clear()

        for item in body.items:
            if _blank(item):
                continue
            if not (same and _twin(same[-1], item, text, ctx)):
                flush_same()
            if isinstance(item, Literal):
                if run and ctx.at(item).flags != ctx.at(run[0]).flags:
                    flush()
                run.append(item)
                continue
            flush()
            if isinstance(item, _TWINS):
                same.append(item)
            else:
                out.append(show(item))
        flush_same()
        flush()
        return tuple(out)

    def branch(node: Node) -> ExplainedNode:
        """An alternative: one row, or a sequence row over several."""
        parts = items(node)
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return row(node.span, "empty", sentence(node, ctx))
        return row(node.span, node_kind(node), "all of these, in order", parts)

    def body_rows(node: Node) -> tuple[ExplainedNode, ...]:
        match node:
            case Capture(body=b) | NonCapture(body=b) | Atomic(body=b) | BranchReset(body=b):
                return items(b)
            case Lookaround(body=b):
                return items(b)
            case Class(items=members) if _expand(node, ctx):
                return tuple(show(m) for m in members)
            case ClassSetOp(left=left, right=right):
                return tuple(show(m) for m in (*left, *right))
            case ClassRange() | Class():
                return ()
            case _:
                return (show(node),)

    def show(node: Node) -> ExplainedNode:
        kind = node_kind(node)
        match node:
            case Class():
                return row(node.span, kind, sentence(node, ctx), body_rows(node))
            case ClassSetOp():
                return row(node.span, kind, sentence(node, ctx), body_rows(node))
            case Repeat(item=item) | Fuzzy(item=item):
                leaf = isinstance(item, _LEAVES) and not isinstance(item, Class)
                return row(node.span, kind, sentence(node, ctx), () if leaf else body_rows(item))
            case Lookaround(body=b):
                if isinstance(b, _LEAVES) and not isinstance(b, Class | Empty):
                    look = sentence(node, ctx).rstrip(":")
                    return row(node.span, kind, f"{look} {noun(b, ctx).one}")
                return row(node.span, kind, sentence(node, ctx), body_rows(node))
            case Capture() | NonCapture() | Atomic() | BranchReset():
                return row(node.span, kind, sentence(node, ctx), body_rows(node))
            case Concat():
                return branch(node)
            case Alternation(branches=branches):
                said = f"one of these {len(branches)} alternatives, tried left to right"
                return row(node.span, kind, said, tuple(branch(b) for b in branches))
            case Conditional(condition=cond, yes=yes, no=no):
                parts: list[ExplainedNode] = []
                if isinstance(cond, Lookaround):
                    parts.append(show(cond))
                parts.append(_prefixed("then", branch(yes)))
                if no is not None:
                    parts.append(_prefixed("otherwise", branch(no)))
                return row(node.span, kind, sentence(node, ctx), tuple(parts))
            case Pattern(body=body):
                top = items(body) or (show(body),)
                return row(node.span, kind, sentence(node, ctx), top)
            case (
                Literal()
                | Dot()
                | Empty()
                | Anchor()
                | ClassEscape()
                | Property()
                | PosixClass()
                | ClassRange()
                | Backref()
                | Recursion()
                | Verb()
                | NamedList()
                | Comment()
                | Trivia()
                | InlineFlags()
            ):
                return row(node.span, kind, sentence(node, ctx))
            case _:
                assert_never(node)

    return show(pattern)


_TWINS = (ClassEscape, Class, Dot, Property, PosixClass)


def _twin(a: Node, b: Node, text: str, ctx: Ctx) -> bool:
    """``b`` repeats ``a`` exactly (``\\d\\d``), so the two read as "exactly 2 digits"."""
    return (
        isinstance(b, _TWINS)
        and a.span.slice(text) == b.span.slice(text)
        and ctx.at(a).flags == ctx.at(b).flags
    )


def _blank(node: Node) -> bool:
    """Verbose-mode whitespace: ignored by the engine, so it gets no row."""
    return isinstance(node, Trivia) and not node.text.strip()


def _prefixed(word: str, node: ExplainedNode) -> ExplainedNode:
    return ExplainedNode(
        span=node.span,
        kind=node.kind,
        text=node.text,
        sentence=f"{word}: {node.sentence}",
        children=node.children,
    )


def _expand(node: Class, ctx: Ctx) -> bool:
    """List a set's members as rows when there are several and no single name covers them."""
    if len(node.items) < 2:
        return any(isinstance(i, Class | ClassSetOp) for i in node.items)
    said: Noun = noun(node, ctx)
    return said.one.startswith(
        ("a character from", "any character except", "one of", "a character that")
    )
