"""The flags in effect: for the whole pattern and at every node.

Flags are sets of letters (``aiLmsux``; in the regex flavour also ``b e f p r w`` and the
versions ``V0``/``V1``), shown in a canonical order with the defaults a str pattern gets
made explicit, as ``re`` does (``u`` unless ``a`` or ``L``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeAlias

from .._trampoline import Step, run
from ._ast import (
    Alternation,
    Comment,
    Concat,
    Fuzzy,
    InlineFlags,
    Node,
    NonCapture,
    Pattern,
    Repeat,
    Span,
    Trivia,
    children,
    walk,
)

__all__ = [
    "FlagSet",
    "NodeFlags",
    "flag_set",
    "flags_at",
    "format_flags",
    "global_flags",
    "raw_flag_groups",
    "skipped_flag_groups",
    "split_flags",
]

_RE_ORDER = "aiLmsux"
_REGEX_ORDER = "abefiLmprsuwx"
_GLOBAL = frozenset({"V0", "V1", "b", "e", "p", "r"})  # regex: global wherever written


FlagSet: TypeAlias = frozenset[str]


def split_flags(letters: str) -> tuple[str, ...]:
    """The flags of a letter string in written order; ``V0``/``V1`` are single flags."""
    out: list[str] = []
    i = 0
    while i < len(letters):
        step = 2 if letters[i] == "V" and i + 1 < len(letters) else 1
        out.append(letters[i : i + step])
        i += step
    return tuple(out)


def flag_set(letters: str) -> FlagSet:
    """The flags in a letter string; ``V0``/``V1`` are single flags."""
    return frozenset(split_flags(letters))


def _with(flags: FlagSet, on: str, off: str) -> FlagSet:
    added = flag_set(on)
    if added & {"V0", "V1"}:
        flags = flags - {"V0", "V1"}
    return (flags | added) - flag_set(off)


def format_flags(flags: Iterable[str], flavor: str) -> str:
    """Flag letters in canonical order (``aiLmsux``; in the regex flavour ``abefiLmprsuwx``
    then the version), with the string-pattern defaults made explicit: ``u`` unless ``a`` or
    ``L`` is on, and ``V0`` unless ``V1`` in the regex flavour."""
    present = set(flags)
    if not present & {"a", "L"}:
        present.add("u")
    order = _RE_ORDER if flavor == "re" else _REGEX_ORDER
    text = "".join(ch for ch in order if ch in present)
    if flavor == "regex":
        text += "V1" if "V1" in present else "V0"
    return text


def _leading_flags(p: Pattern) -> FlagSet:
    """Caller flags plus the inline ``(?flags)`` that open the pattern, and in the regex
    flavour the global ones (versions, ``b e p r``) written anywhere: regex restarts the
    parse with those on from the start."""
    flags = flag_set(p.flags)
    if p.flavor == "regex":
        for node in walk(p):
            groups: list[tuple[str, str]] = []
            if isinstance(node, InlineFlags | NonCapture):
                groups.append((node.on, node.off))
            elif isinstance(node, Repeat | Fuzzy):
                groups += [(on, off) for _, on, off in skipped_flag_groups(node)]
            for on, _ in groups:
                flags = _with(flags, "".join(f for f in sorted(flag_set(on) & _GLOBAL)), "")
    body = p.body
    first = body.branches[0] if isinstance(body, Alternation) else body
    items = first.items if isinstance(first, Concat) else (first,)
    for item in items:
        if isinstance(item, InlineFlags):
            flags = _with(flags, item.on, item.off)
        elif not isinstance(item, Comment | Trivia):
            break
    return flags


def raw_flag_groups(raw: str, offset: int) -> list[tuple[Span, str, str]]:
    """The positional ``(?flags)`` groups written between an item and its quantifier
    (the parser keeps them in ``Repeat.raw`` / ``Fuzzy.raw``, where the engine skips them
    to find the item the quantifier applies to): ``(span, on, off)`` each, ``offset`` being
    where ``raw`` starts in the pattern."""
    out = []
    at = raw.find("(?")
    while at >= 0:
        close = raw.find(")", at)
        text = raw[at + 2 : close] if close > 0 else ""
        on, _, off = text.partition("-")
        if close > 0 and (on + off).isalnum():
            out.append((Span(offset + at, offset + close + 1), on, off))
        at = raw.find("(?", at + 2)
    return out


def skipped_flag_groups(node: Repeat | Fuzzy) -> list[tuple[Span, str, str]]:
    """``raw_flag_groups`` of what the engine skips before ``node``'s quantifier or fuzzy
    constraint: for a constraint, the text before its ``{`` (a test after it may be a set
    holding ``(?``)."""
    raw = node.raw
    offset = node.span.end - len(raw)
    if isinstance(node, Fuzzy):
        starts = [limit.span.start for limit in node.limits]
        if node.cost is not None:
            starts.append(node.cost.span.start)
        raw = raw[: raw.rfind("{", 0, min(starts) - offset)]
    return raw_flag_groups(raw, offset)


def global_flags(p: Pattern) -> str:
    """The flags in effect for the whole pattern: the caller's plus the leading inline
    flags, as canonical letters (see ``format_flags``)."""
    return format_flags(_leading_flags(p), p.flavor)


class NodeFlags(Mapping[Node, str]):
    """Flags per node, looked up by identity: hashing a frozen node hashes its whole
    subtree, recursively, which is slow and, hundreds of groups deep, too deep."""

    __slots__ = ("_by_id",)

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[Node, str]] = {}

    def __getitem__(self, node: Node) -> str:
        found = self._by_id.get(id(node))
        if found is None or found[0] is not node:
            raise KeyError(node)
        return found[1]

    def __setitem__(self, node: Node, flags: str) -> None:
        self._by_id[id(node)] = (node, flags)

    def __iter__(self) -> Iterator[Node]:
        return (node for node, _ in self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)


def flags_at(p: Pattern) -> NodeFlags:
    """The flags in effect at every node (canonical letters), as a read-only mapping
    keyed by node identity. Scoped groups ``(?i-s:...)`` change them for their body; an
    inline ``(?i)`` later in the pattern (regex flavour) changes them from there to the end
    of the enclosing group, across ``|``."""
    out = NodeFlags()
    names: dict[FlagSet, str] = {}

    def name(flags: FlagSet) -> str:
        text = names.get(flags)
        if text is None:
            text = names[flags] = format_flags(flags, p.flavor)
        return text

    def visit(n: Node, flags: FlagSet) -> Step[FlagSet]:
        """Record ``n`` and return the flags in effect after it in its group."""
        out[n] = name(flags)
        match n:
            case InlineFlags(on=on, off=off):
                return _with(flags, on, off)
            case Concat(items=items):
                for item in items:
                    flags = yield visit(item, flags)
                return flags
            case Alternation(branches=branches):
                for b in branches:
                    flags = yield visit(b, flags)
                return flags
            case NonCapture(body=body, on=on, off=off):
                yield visit(body, _with(flags, on, off))
                return flags
            case Repeat(item=item) | Fuzzy(item=item):
                flags = yield visit(item, flags)
                for _, on, off in skipped_flag_groups(n):
                    flags = _with(flags, on, off)
                if isinstance(n, Fuzzy) and n.test is not None:
                    yield visit(n.test, flags)  # read with the flags after the skipped text
                return flags
            case _:
                for child in children(n):
                    yield visit(child, flags)
                return flags

    run(visit(p, _leading_flags(p)))
    return out


# --- anchoring -----------------------------------------------------------------------------
