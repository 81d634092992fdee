"""What a pattern's AST says about running it, as a ``Plan`` of texts, cached on disk.

``plan_of(spec)`` validates the pattern as the user wrote it (``PatternError`` at the
character position) and reads everything ``_matcher`` compiles off the AST: the pattern
spelled for bytes, the newline-free forms for whole blocks (``_lower``), the counting forms
(``_counting``), the prefilter literals (``_literals``), the forms for the linear-time
engines (``rxp._analysis._pcre``) and why none fits (``rxp._analysis._linear``). A plan holds only
strings, so ``cached_plan`` keeps it in the user's cache directory, keyed by rxp's and
Python's versions and the spec: a later run with the same pattern needs neither the parser
(lark) nor the AST. The AST-reading modules are imported only when a plan is computed.
"""

from __future__ import annotations

import functools
import importlib
import marshal
import os
import re
import sys
import zlib
from typing import TYPE_CHECKING, Any, NamedTuple

from .._analysis._budget import with_room
from .._cache import VERSION, cache_dir, write_atomically
from .._errors import PatternError, RxpError
from ._hyperscan import HYPERSCAN_POSITIONS

if TYPE_CHECKING:
    from .._syntax._ast import Flavor, Pattern

__all__ = [
    "MatcherSpec",
    "Plan",
    "cached_plan",
    "char_position",
    "errors",
    "plan_of",
    "regex_module",
    "validate",
]

PLAN_FORMAT = 7  # bump when Plan's fields or their meaning change


@functools.cache
def regex_module() -> Any:
    """The regex package (no type stubs; its API is re's plus ``timeout=``), imported on
    first use: the ``re`` engine's runs never pay for it."""
    return importlib.import_module("regex")


class MatcherSpec(NamedTuple):
    """Everything needed to rebuild a matcher in another process (it pickles). ``more``,
    ``words``, ``lines`` and ``null_data`` are grep's further patterns (``-e``, ``-f``),
    ``-w``, ``-x`` and ``-z``: the engine then runs the pattern ``_patterns`` makes."""

    pattern: str
    flavor: Flavor = "re"
    flags: int = 0
    ignore_case: bool = False
    fixed_strings: bool = False
    more: tuple[str, ...] = ()
    words: bool = False
    lines: bool = False
    null_data: bool = False

    @property
    def text(self) -> str:
        """The (first) pattern's text handed to the engine (``-F`` escapes it)."""
        return re.escape(self.pattern) if self.fixed_strings else self.pattern

    @property
    def texts(self) -> tuple[str, ...]:
        """Every pattern's text, as ``text``."""
        more = tuple(re.escape(p) if self.fixed_strings else p for p in self.more)
        return (self.text, *more)

    @property
    def grep_forms(self) -> bool:
        """Whether grep's options change the pattern (see ``_patterns``)."""
        return bool(self.more) or self.words or self.lines or self.null_data

    def alone(self, text: str) -> MatcherSpec:
        """The spec of ``text`` as one plain pattern, with this one's flavour and flags."""
        return MatcherSpec(text, self.flavor, self.flags, self.ignore_case)

    @property
    def all_flags(self) -> int:
        return self.flags | (re.IGNORECASE if self.ignore_case else 0)


class Plan(NamedTuple):
    """All that the AST says about how to run a pattern, as texts (it pickles, and a run
    that has it needs neither the parser nor the AST): ``line`` is the pattern for one
    line, ``block``/``counter``/``behind`` the rewritten forms for whole blocks (see
    ``_lower`` and ``_counting``), ``automaton``/``linear`` the forms for Hyperscan and RE2
    (see ``rxp._analysis._pcre``; ``positions`` sizes the automaton), ``obstacle`` why no
    linear-time engine can take it, ``hazards``
    the exponential-backtracking warnings (``rxp._analysis._redos``), which matter only
    when no linear-time engine takes the pattern (``Matcher.hazards``)."""

    line: str
    block: str | None = None
    counter: str | None = None
    behind: str | None = None
    factor: tuple[bytes, ...] = ()
    literal: bytes | None = None
    lead: bytes | None = None
    long_prefix: bool = False  # every match starts with the same 3 or more bytes
    automaton: bytes | None = None
    linear: bytes | None = None
    positions: int = 0
    obstacle: str | None = None
    hazards: tuple[str, ...] = ()  # exponential backtracking, for a backtracking engine
    source: str | None = None  # the pattern run, when grep's options made it (_patterns)
    branches: tuple[str, ...] = ()  # several patterns: each alone, for their spans
    offsets: tuple[int, ...] = ()  # the groups before each branch's first
    labels: tuple[tuple[str, int], ...] = ()  # several patterns: (group name, number)
    automata: tuple[bytes, ...] = ()  # several patterns: ``automaton``'s alternatives


def _parse(spec: MatcherSpec) -> Pattern | None:
    """The AST, or None when rxp's parser does not handle this flavour yet."""
    from .._syntax._parse import parse

    try:
        return parse(spec.text, flavor=spec.flavor, flags=spec.all_flags)
    except PatternError:
        raise
    except RxpError:
        return None


def _byte_hazards(tree: Pattern) -> None:
    from .._syntax._ast import Class, walk
    from .._syntax._ast import Literal as LiteralNode

    for node in walk(tree):
        if not isinstance(node, Class):
            continue
        for item in walk(node):
            if isinstance(item, LiteralNode) and ord(item.char) > 0x7F:
                raise PatternError(
                    f"non-ASCII {item.char!r} in a set would match single bytes of its UTF-8 "
                    f"encoding (lines are bytes); use an alternation instead: (?:{item.char}|...)",
                    pattern=tree.text,
                    span=(item.span.start, item.span.end),
                )


def errors() -> type[Exception]:
    """regex's error class when regex is loaded, else re's (nothing else can raise)."""
    loaded = sys.modules.get("regex")
    found: type[Exception] = loaded.error if loaded is not None else re.error
    return found


def char_position(text: str, byte_pos: int) -> int:
    return len(text.encode("utf-8", "surrogateescape")[:byte_pos].decode("utf-8", "replace"))


def validate(spec: MatcherSpec) -> Pattern | None:
    """Check the pattern as the user wrote it (str semantics, so error positions are in
    characters); return its AST when rxp's parser handles the flavour."""
    tree = _parse(spec)
    module: Any = re if spec.flavor == "re" else regex_module()
    try:
        with_room(module.compile, spec.text, spec.all_flags)
    except (re.error, errors()) as exc:
        pos = getattr(exc, "pos", None) or 0
        message = str(getattr(exc, "msg", exc))
        raise PatternError(message, pattern=spec.text, span=(pos, pos + 1)) from None
    if tree is not None:
        _byte_hazards(tree)
    return tree


def plan_of(spec: MatcherSpec) -> Plan:
    """Validate ``spec`` (raises ``PatternError``) and read its plan off the AST."""
    if spec.grep_forms:
        return _grep_plan(spec)
    tree = validate(spec)
    if tree is None:
        return Plan(line=spec.text)
    return _tree_plan(spec, tree)


def _grep_plan(spec: MatcherSpec) -> Plan:
    """The plan of the pattern grep's options make of ``spec``'s patterns (``_patterns``),
    each validated as written first, so that an error points into the user's text."""
    from ._patterns import grep_forms

    trees = []
    for text in spec.texts:
        tree = validate(spec.alone(text))
        if tree is None:
            raise RxpError("-e, -f, -w, -x and -z need a pattern rxp's parser reads")
        trees.append(tree)
    forms = grep_forms(trees, words=spec.words, lines=spec.lines, null_data=spec.null_data)
    combined = spec.alone(forms.text)
    tree = validate(combined)
    assert tree is not None
    plain = len(trees) > 1 and not (spec.words or spec.lines)
    plan = _tree_plan(combined, tree, words=spec.words and not spec.lines, several=plain)
    return plan._replace(
        source=forms.text,
        branches=forms.branches,
        offsets=forms.offsets,
        labels=forms.labels,
        # RE2's spans of the alternation would be leftmost-first across the patterns
        linear=None if forms.branches else plan.linear,
    )


def _tree_plan(
    spec: MatcherSpec, tree: Pattern, *, words: bool = False, several: bool = False
) -> Plan:
    """The plan of ``tree``, the AST of ``spec.text``. With ``words`` it is a ``-w``
    pattern of ``_patterns``: linear-time engines get grep's form of it, which needs no
    look-around, and no RE2 spans (RE2 has no look-around). With ``several`` it is the
    alternation of several patterns: their automaton forms are also given one by one."""
    from .._analysis._linear import backtracking_obstacle
    from .._analysis._pcre import automaton_pattern, positions
    from .._analysis._redos import backtracking_warnings
    from .._syntax._ast import Alternation
    from .._syntax._record import replace
    from .._syntax._width import can_match_empty
    from ._counting import behind_counting_pattern
    from ._literals import lead_in, literal_prefix, required_factor
    from ._lower import block_pattern, bytes_pattern, line_counting_pattern, node_flags
    from ._patterns import unguarded, word_selector

    fold = bool(spec.all_flags & re.IGNORECASE)
    block = block_pattern(tree)
    found = required_factor(tree, ignore_case=fold)
    factor = tuple(sorted(found)) if found and not any(b"\n" in f for f in found) else ()
    literal = factor[0] if len(factor) == 1 else None
    prefix = literal_prefix(tree, ignore_case=fold)
    selected = unguarded(tree) if words else tree
    obstacle = backtracking_obstacle(selected) if spec.flavor == "re" else None
    why = obstacle.reason if obstacle is not None else None
    size = positions(selected)
    automaton = None
    if spec.flavor == "re" and _long_literal(literal, size):
        # Too long for Hyperscan, and RE2's DFA gives up on a long literal inside a run of
        # its own bytes (a state per position): its NFA then pays the literal's length per
        # byte (~50 s for 100 kB). re's search for a literal is linear.
        why = f"a literal this long ({size:,} characters)"
    elif spec.flavor == "re":
        automaton = automaton_pattern(selected, flags=node_flags(selected))
    if words and automaton is not None:
        automaton = word_selector(automaton)
    automata: tuple[bytes, ...] = ()
    if several and automaton is not None and isinstance(tree.body, Alternation):
        parts = [automaton_pattern(replace(tree, body=b)) for b in tree.body.branches]
        automata = tuple(part for part in parts if part is not None)
        if len(automata) != len(parts):
            automata = ()
    return Plan(
        line=bytes_pattern(tree),
        block=block,
        counter=line_counting_pattern(tree) if block is not None else None,
        behind=(
            behind_counting_pattern(tree, literal)
            if block is not None and literal is not None
            else None
        ),
        factor=factor,
        literal=literal,
        lead=lead_in(tree, literal, ignore_case=fold) if literal is not None else None,
        long_prefix=prefix is not None and len(prefix) >= 3,
        automaton=automaton,
        # RE2 iterates empty matches inside a repeat differently from re: a pattern that
        # can match empty gets no RE2 spans (a line over budget is then reported)
        linear=(
            automaton_pattern(tree, captures=True, flags=node_flags(tree))
            if automaton is not None and not words and not can_match_empty(tree)
            else None
        ),
        positions=size,
        obstacle=why,
        hazards=tuple(h.message for h in backtracking_warnings(tree) if h.kind == "exponential"),
        automata=automata,
    )


def _long_literal(literal: bytes | None, size: int) -> bool:
    """Whether the pattern is one literal (its ``size`` positions all in ``literal``) too
    long for Hyperscan."""
    return size > HYPERSCAN_POSITIONS and literal is not None and len(literal) >= size


def _key(spec: MatcherSpec) -> str:
    return repr((PLAN_FORMAT, VERSION, sys.version_info[:2], spec))


def _plan_file(key: str) -> str:
    # crc32 only names the file (hashlib's import costs ~3 ms); the key is stored with the
    # plan and compared, so two specs sharing a name only cost a recomputation
    digest = zlib.crc32(key.encode("utf-8", "surrogatepass"))
    return os.path.join(cache_dir(), "plans", f"{digest:08x}.plan")


def cached_plan(spec: MatcherSpec) -> Plan:
    """``plan_of(spec)``, from the cache directory when an earlier run computed it. A
    missing, unreadable or foreign cache file only means the plan is computed again."""
    key = _key(spec)
    path = _plan_file(key)
    try:
        with open(path, "rb") as file:
            stored_key, fields = marshal.load(file)
        if stored_key == key:
            return Plan(*fields)
    except (OSError, EOFError, TypeError, ValueError):
        pass
    plan = plan_of(spec)
    # marshal: a plan is strings, bytes, tuples, bools and None, and marshal is built in
    # (pickle's import costs ~3 ms of a start)
    write_atomically(path, marshal.dumps((key, tuple(plan))))
    return plan
