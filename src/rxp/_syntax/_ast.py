"""The regex AST: one frozen dataclass per construct, every construct kept as written.

Invariants (the parser guarantees them, every fold may rely on them):

- Every node carries ``span`` first: half-open code-point offsets into the pattern text.
  ``pattern[node.span.start:node.span.end]`` is exactly the text the node was parsed from.
- The tree is lossless: ``unparse(parse(p)) == p`` for every valid pattern, verbose-mode
  whitespace and comments included (they are ``Trivia`` nodes).
- A ``Concat`` has two or more items; an ``Alternation`` has two or more branches, each of
  which may be ``Empty``. A group with nothing inside has ``Empty`` as its body.
- ``Capture.index`` is the group number Python assigns (left to right by opening
  parenthesis; inside a branch reset, numbers restart for each branch).

Folds dispatch with ``match`` over the ``Node`` union and end in ``assert_never`` so that a
new node type is a type error until every fold handles it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias
from typing import Literal as L

from ._record import record

__all__ = [
    "LEAF_TYPES",
    "Alternation",
    "Anchor",
    "AnchorKind",
    "Atomic",
    "Backref",
    "BranchReset",
    "Capture",
    "Class",
    "ClassEscape",
    "ClassItem",
    "ClassRange",
    "ClassSetOp",
    "Comment",
    "Concat",
    "Conditional",
    "Dot",
    "Empty",
    "Flavor",
    "Fuzzy",
    "FuzzyCost",
    "FuzzyKind",
    "FuzzyLimit",
    "Greed",
    "InlineFlags",
    "Literal",
    "LiteralKind",
    "Lookaround",
    "NamedList",
    "Node",
    "NonCapture",
    "Pattern",
    "PosixClass",
    "Property",
    "Recursion",
    "Repeat",
    "Span",
    "Trivia",
    "Verb",
    "children",
    "walk",
]

Flavor: TypeAlias = L["re", "regex"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open range ``[start, end)`` of code-point offsets into the pattern."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


# --- leaves ------------------------------------------------------------------------------

LiteralKind: TypeAlias = L[
    "plain",  # the character itself: a
    "escape",  # a backslash before a character that stands for itself: \. \\ \-
    "control",  # \a \f \n \r \t \v
    "hex",  # \xhh
    "unicode",  # \uhhhh
    "unicode_long",  # \Uhhhhhhhh
    "named",  # \N{EM DASH}
    "octal",  # \0, \012, \141
]


@record
class Literal:
    """One character. ``char`` is the character matched; ``raw`` is how it was written."""

    span: Span
    char: str
    raw: str
    kind: LiteralKind


@record
class Dot:
    """``.``: any character but newline, or any character under DOTALL."""

    span: Span


@record
class Empty:
    """Matches the empty string: an empty pattern, branch or group body."""

    span: Span


AnchorKind: TypeAlias = L[
    "line_start",  # ^
    "line_end",  # $
    "text_start",  # \A
    "text_end",  # \Z (\z also, in the regex flavour)
    "word_boundary",  # \b
    "not_word_boundary",  # \B
    "search_start",  # \G (regex)
    "word_start",  # \m (regex)
    "word_end",  # \M (regex)
    "keep_out",  # \K (regex): forget what was matched so far
]


@record
class Anchor:
    """A zero-width assertion written as a single token (``^``, ``$``, ``\\b``, ...)."""

    span: Span
    kind: AnchorKind
    raw: str


@record
class ClassEscape:
    """``\\d \\D \\w \\W \\s \\S`` (and, in the regex flavour, ``\\h``, ``\\X`` etc.).
    ``letter`` is the letter after the backslash; upper case means negated."""

    span: Span
    letter: str


@record
class Property:
    """``\\p{Name}``, ``\\p{Name=Value}``, ``\\P{...}``, ``\\pL`` (regex flavour)."""

    span: Span
    negated: bool
    name: str
    value: str | None
    raw: str


@record
class PosixClass:
    """``[:alpha:]`` or ``[:^alpha:]`` inside a set (regex flavour)."""

    span: Span
    name: str
    negated: bool


@record
class ClassRange:
    """``a-z`` inside a set."""

    span: Span
    start: Literal
    end: Literal


@record
class ClassSetOp:
    """A V1 set operation inside a set: ``--`` difference, ``&&`` intersection, ``||``
    union, ``~~`` symmetric difference (regex flavour, VERSION1)."""

    span: Span
    op: L["--", "&&", "||", "~~"]
    left: tuple[ClassItem, ...]
    right: tuple[ClassItem, ...]


@record
class Class:
    """A character set ``[...]`` / ``[^...]``. ``items`` are in written order; a leading
    ``]`` is a ``Literal`` item."""

    span: Span
    negated: bool
    items: tuple[ClassItem, ...]


ClassItem: TypeAlias = (
    Literal | ClassRange | ClassEscape | Property | PosixClass | Class | ClassSetOp
)


@record
class Backref:
    """A backreference: ``\\1``, ``(?P=name)``, and in the regex flavour ``\\g<name>``,
    ``\\g<1>``, ``(?P=name)``. ``target`` is the group number or name as written."""

    span: Span
    target: int | str
    raw: str


@record
class Recursion:
    """``(?R)``, ``(?0)``, ``(?1)``, ``(?+1)``, ``(?-1)``, ``(?&name)``, ``(?P>name)``
    (regex flavour). ``target`` is 0 for the whole pattern."""

    span: Span
    target: int | str
    raw: str


@record
class Verb:
    """A backtracking control verb: ``(*SKIP)``, ``(*FAIL)``/``(*F)``, ``(*PRUNE)``."""

    span: Span
    name: str


@record
class NamedList:
    """``\\L<name>``: any string of the named list passed to ``regex.compile`` (regex).
    ``raw`` is empty, or, when the text differs from ``\\L<name>`` (VERBOSE whitespace
    inside it), that text as written."""

    span: Span
    name: str
    raw: str = ""


@record
class Comment:
    """``(?#...)``; ``text`` is what stands between ``(?#`` and ``)``."""

    span: Span
    text: str


@record
class Trivia:
    """Whitespace or a ``#`` comment ignored under VERBOSE, kept so printing is lossless."""

    span: Span
    text: str


@record
class InlineFlags:
    """``(?aiLmsux)`` at the start of the pattern (global), or in the regex flavour also
    ``(?-i)``/``(?V1)`` later on (they then apply to the end of the enclosing group).
    ``on``/``off`` hold the flag letters as written (in the regex flavour under VERBOSE,
    with any whitespace written between them)."""

    span: Span
    on: str
    off: str


# --- composites ----------------------------------------------------------------------------

Greed: TypeAlias = L["greedy", "lazy", "possessive"]


@record
class Repeat:
    """``item`` quantified. ``max`` is None when unbounded. ``raw`` is the quantifier as
    written (``*``, ``{,3}``, ``{2,}?``, ...), including anything the engine skips between
    the item and the quantifier (verbose-mode whitespace and ``#`` comments, ``(?#...)``
    comments, and in the regex flavour whitespace inside the braces and a fuzzy constraint
    that allows no error), so printing gives back ``unparse(item) + raw``."""

    span: Span
    item: Node
    min: int
    max: int | None
    greed: Greed
    raw: str


FuzzyKind: TypeAlias = L[
    "e",  # an error of any kind
    "i",  # an insertion: a character in the text that the pattern does not have
    "d",  # a deletion: a character of the pattern missing from the text
    "s",  # a substitution: a character of the pattern matched by a different one
]


@record
class FuzzyLimit:
    """One limit of a fuzzy constraint: ``e<=1``, ``i<2``, ``1<=s<=3`` or a bare ``d``.
    Errors of ``kind`` may occur ``min`` to ``max`` times, both inclusive (an exclusive
    ``<`` is folded in: ``e<2`` has ``max`` 1); ``min`` is 0 when not written, ``max`` None
    when unbounded (a bare letter). ``span`` is where it is written. Not a ``Node``."""

    span: Span
    kind: FuzzyKind
    min: int
    max: int | None


@record
class FuzzyCost:
    """The cost equation of a fuzzy constraint: ``2i+2d+1s<=4``. ``i``, ``d`` and ``s`` are
    what one insertion, deletion or substitution costs, None for a kind the equation does
    not name (the engine then charges 0 for it, and allows it only if a limit of its own
    does); the errors together may cost at most ``max`` (inclusive: ``<5`` is ``max`` 4).
    Not a ``Node``."""

    span: Span
    i: int | None
    d: int | None
    s: int | None
    max: int


@record
class Fuzzy:
    """``item{e<=1}`` and the other fuzzy constraints (regex flavour): ``item`` matched
    with errors. ``limits`` are the limits in written order (at most one per kind), ``cost``
    the cost equation if there is one (at least one of the two is there), ``test`` what
    follows a ``:`` (``{e<=1:[a-z]}``): a node matching one character (a ``Literal``,
    ``ClassEscape``, ``Property``, ``Dot`` or ``Class``; the checker rejects anything else,
    as ``regex`` cannot compile it) that every inserted or substituted character must
    match. ``raw`` is the whole suffix as written, anything the engine skips before the
    ``{`` included, so printing gives back ``unparse(item) + raw``. Where the engine's
    defaults fill in what is not written, ``rxp._syntax._fuzzy_limits`` says."""

    span: Span
    item: Node
    limits: tuple[FuzzyLimit, ...]
    cost: FuzzyCost | None
    test: Node | None
    raw: str


@record
class Concat:
    """Two or more items matched one after another."""

    span: Span
    items: tuple[Node, ...]


@record
class Alternation:
    """Two or more branches separated by ``|``; the first that leads to a match wins."""

    span: Span
    branches: tuple[Node, ...]


@record
class Capture:
    """A capturing group: ``(...)``, ``(?P<name>...)`` (and ``(?<name>...)``,
    ``(?'name'...)`` in the regex flavour). ``opener`` is the text up to the body."""

    span: Span
    body: Node
    index: int
    name: str | None
    opener: str


@record
class NonCapture:
    """``(?:...)``, or with scoped flags ``(?i-s:...)``; ``on``/``off`` hold those letters."""

    span: Span
    body: Node
    on: str
    off: str


@record
class Lookaround:
    """``(?=...)``, ``(?!...)``, ``(?<=...)``, ``(?<!...)``. ``opener`` is empty, or, when
    the text up to the body differs from those four (VERBOSE whitespace inside it, regex
    flavour: ``(?< =...)``), that text as written."""

    span: Span
    body: Node
    ahead: bool
    negated: bool
    opener: str = ""


@record
class Atomic:
    """``(?>...)``: once matched, never backtracked into."""

    span: Span
    body: Node


@record
class BranchReset:
    """``(?|...)``: each branch numbers its groups from the same start (regex flavour)."""

    span: Span
    body: Node


@record
class Conditional:
    """``(?(1)yes|no)``, ``(?(name)yes|no)``; regex flavour also ``(?(DEFINE)...)`` (condition
    ``"DEFINE"``) and a lookaround as condition. ``no`` is None when there is no ``|``.
    ``condition_raw`` is the text between ``(?(`` and ``)`` (or the lookaround's text)."""

    span: Span
    condition: int | str | Lookaround
    condition_raw: str
    yes: Node
    no: Node | None


@record
class Pattern:
    """The root: the whole pattern text, the flavour it was parsed as, the flags passed by
    the caller (letters of ``aiLmsux``, plus ``V0``/``V1``/``b``/``e``/``f``/``p``/``r``/``w``
    letters in the regex flavour) and the body."""

    span: Span
    text: str
    flavor: Flavor
    flags: str
    body: Node


Node: TypeAlias = (
    Literal
    | Dot
    | Empty
    | Anchor
    | ClassEscape
    | Property
    | PosixClass
    | ClassRange
    | ClassSetOp
    | Class
    | Backref
    | Recursion
    | Verb
    | NamedList
    | Comment
    | Trivia
    | InlineFlags
    | Repeat
    | Fuzzy
    | Concat
    | Alternation
    | Capture
    | NonCapture
    | Lookaround
    | Atomic
    | BranchReset
    | Conditional
    | Pattern
)


# the nodes that never have children
LEAF_TYPES: tuple[type[Node], ...] = (
    Literal,
    Dot,
    Empty,
    Anchor,
    ClassEscape,
    Property,
    PosixClass,
    Backref,
    Recursion,
    Verb,
    NamedList,
    Comment,
    Trivia,
    InlineFlags,
)


def _conditional_children(node: Conditional) -> tuple[Node, ...]:
    head: tuple[Node, ...] = (node.condition,) if isinstance(node.condition, Lookaround) else ()
    return (*head, node.yes) if node.no is None else (*head, node.yes, node.no)


def _no_children(node: Node) -> tuple[Node, ...]:
    return ()


# children() is the hottest function of every fold (a 100 kB literal is 100k nodes, each
# visited by a dozen folds): one dict lookup on the node's type, not a chain of match cases.
_CHILDREN: dict[type[Node], Callable[[Any], tuple[Node, ...]]] = {
    Pattern: lambda n: (n.body,),
    Repeat: lambda n: (n.item,),
    Fuzzy: lambda n: (n.item,) if n.test is None else (n.item, n.test),
    Concat: lambda n: n.items,
    Alternation: lambda n: n.branches,
    Capture: lambda n: (n.body,),
    NonCapture: lambda n: (n.body,),
    Lookaround: lambda n: (n.body,),
    Atomic: lambda n: (n.body,),
    BranchReset: lambda n: (n.body,),
    Conditional: _conditional_children,
    Class: lambda n: n.items,
    ClassSetOp: lambda n: (*n.left, *n.right),
    ClassRange: lambda n: (n.start, n.end),
    **dict.fromkeys(LEAF_TYPES, _no_children),
}


def children(node: Node) -> tuple[Node, ...]:
    """The direct children of ``node`` in written order."""
    try:
        return _CHILDREN[type(node)](node)
    except KeyError:
        raise TypeError(f"not an AST node: {node!r}") from None


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, in written order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
