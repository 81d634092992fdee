"""AST -> pattern text: a fold that prints every construct as it was written.

Contract: ``unparse(parse(p)) == p`` for every valid pattern ``p`` of either flavour
(VERBOSE whitespace and comments included). The fold keeps an explicit work stack, so a
tree of any depth prints without touching Python's recursion limit.
"""

from __future__ import annotations

from typing import assert_never

from . import _ast as A

__all__ = ["unparse"]


def _flags(on: str, off: str) -> str:
    return on + ("-" + off if off else "")


def _parts(node: A.Node) -> tuple[str | A.Node, ...]:
    """What ``node`` prints as: text and child nodes, in written order."""
    match node:
        case A.Pattern(body=body):
            return (body,)
        case A.Literal(raw=raw) | A.Anchor(raw=raw) | A.Property(raw=raw):
            return (raw,)
        case A.Backref(raw=raw) | A.Recursion(raw=raw):
            return (raw,)
        case A.Dot():
            return (".",)
        case A.Empty():
            return ()
        case A.ClassEscape(letter=letter):
            return ("\\" + letter,)
        case A.PosixClass(name=name, negated=negated):
            return ("[:" + ("^" if negated else "") + name + ":]",)
        case A.ClassRange(start=start, end=end):
            return (start, "-", end)
        case A.ClassSetOp(op=op, left=left, right=right):
            return (*left, op, *right)
        case A.Class(negated=negated, items=items):
            return ("[^" if negated else "[", *items, "]")
        case A.Verb(name=name):
            return ("(*" + name + ")",)
        case A.NamedList(name=name, raw=raw):
            return (raw or "\\L<" + name + ">",)
        case A.Comment(text=text):
            return ("(?#" + text + ")",)
        case A.Trivia(text=text):
            return (text,)
        case A.InlineFlags(on=on, off=off):
            return ("(?" + _flags(on, off) + ")",)
        case A.Repeat(item=item, raw=raw) | A.Fuzzy(item=item, raw=raw):
            return (item, raw)
        case A.Concat(items=items):
            return items
        case A.Alternation(branches=branches):
            out: list[str | A.Node] = [branches[0]]
            for branch in branches[1:]:
                out += ("|", branch)
            return tuple(out)
        case A.Capture(opener=opener, body=body):
            return (opener, body, ")")
        case A.NonCapture(on=on, off=off, body=body):
            return ("(?" + _flags(on, off) + ":", body, ")")
        case A.Lookaround():
            return (_look_opener(node), node.body, ")")
        case A.Atomic(body=body):
            return ("(?>", body, ")")
        case A.BranchReset(body=body):
            return ("(?|", body, ")")
        case A.Conditional(condition=condition, yes=yes, no=no):
            head: tuple[str | A.Node, ...]
            if isinstance(condition, A.Lookaround):
                head = ("(?", condition)
            else:
                head = ("(?(" + node.condition_raw + ")",)
            tail: tuple[str | A.Node, ...] = (")",) if no is None else ("|", no, ")")
            return (*head, yes, *tail)
        case _:
            assert_never(node)


def _look_opener(node: A.Lookaround) -> str:
    if node.opener:
        return node.opener
    return "(?" + ("" if node.ahead else "<") + ("!" if node.negated else "=")


def unparse(node: A.Node) -> str:
    """The pattern text ``node`` was parsed from."""
    out: list[str] = []
    stack: list[str | A.Node] = [node]
    while stack:
        top = stack.pop()
        if isinstance(top, str):
            out.append(top)
        else:
            stack.extend(reversed(_parts(top)))
    return "".join(out)
