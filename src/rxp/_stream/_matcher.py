"""Compile a user's pattern into what the scanner runs: a matcher over bytes.

Lines are bytes (invalid UTF-8, NULs and CR pass through untouched), so the pattern is
compiled as a *bytes* pattern from its UTF-8 encoding. The trade-off, the same as
``LC_ALL=C grep``: ``\\w``, ``\\d``, ``\\s``, ``\\b`` and ``-i`` are ASCII-only, and ``.``
matches one byte (so ``w.rld`` does not find "wörld"). A non-ASCII character outside a set
(also written ``\\u00e9`` or ``\\N{...}``) matches its UTF-8 bytes as one unit, even under a
quantifier (``_lower.bytes_pattern``); inside a set it would match single bytes
of its encoding, so it is rejected with a hint.

A ``Matcher`` holds two compilations: ``line`` (the pattern as written, for one line at a
time) and, when ``_lower`` can make it newline-free, ``block`` (for whole
blocks, with MULTILINE). The prefilter literals come from ``_literals``.

Two engines: ``re`` (fastest; a running match can only be interrupted by a signal, so only
in a process's main thread) and the ``regex`` module (``timeout=`` on every call, works in
any thread and releases the GIL). Both are compiled from the same text with the same flags.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple, Protocol, TypeAlias, overload

from .._analysis._budget import with_room
from .._errors import PatternError
from ._hyperscan import LineSelector, compile_re2, compile_selector
from ._plan import MatcherSpec, cached_plan, char_position, errors, regex_module

__all__ = [
    "Compiled",
    "Engine",
    "MatchLike",
    "Matcher",
    "MatcherSpec",
    "Strategy",
    "compile_matcher",
]

Engine: TypeAlias = Literal["re", "regex"]
Strategy: TypeAlias = Literal["automaton", "block", "candidates", "lines"]


class MatchLike(Protocol):
    def start(self, group: int = ..., /) -> int: ...
    def end(self, group: int = ..., /) -> int: ...
    def span(self, group: int = ..., /) -> tuple[int, int]: ...


class Compiled(Protocol):
    """What the scanner needs of a compiled pattern (``re`` and ``regex`` both fit)."""

    @property
    def groups(self) -> int: ...
    @property
    def groupindex(self) -> Mapping[str, int]: ...
    def search(self, string: bytes, pos: int = ..., endpos: int = ...) -> MatchLike | None: ...
    def match(self, string: bytes, pos: int = ..., endpos: int = ...) -> MatchLike | None: ...
    def finditer(self, string: bytes, pos: int = ..., endpos: int = ...) -> Iterator[MatchLike]: ...


class Matcher(NamedTuple):
    """A compiled pattern plus what the scanner may assume about it.

    ``strategy``: ``automaton`` selects lines with ``selector`` (Hyperscan or RE2, linear
    time) and
    uses the backtracking engine only for the spans of the selected lines, falling back to
    RE2 (``linear``, linear time) for a line over budget; ``block`` runs ``block`` over whole
    blocks; ``candidates`` jumps with
    ``bytes.find`` to lines holding ``literal`` and runs ``block`` on each; ``lines`` runs
    ``line`` on each line (candidate lines only when ``literal`` is set). ``factor`` lists
    literals one of which every match contains: a block with none of them has no match.
    ``counter`` matches once per matching line (``len(counter.findall(block))`` counts them
    in C; see ``line_counting_pattern``); ``behind`` (always the ``regex`` package) does the
    same for an inner literal (see ``_counting``). ``timeout_kw`` is True for
    the ``regex`` engine (every call takes ``timeout=``)."""

    spec: MatcherSpec
    engine: Engine
    line: Compiled
    block: Compiled | None
    counter: Compiled | None
    behind: Compiled | None
    strategy: Strategy
    literal: bytes | None
    factor: tuple[bytes, ...]
    lead: bytes | None
    groups: int
    names: Mapping[str, int]
    selector: LineSelector | None = None
    linear: bytes | None = None  # the pattern for RE2 (groups kept), when ``selector`` is set
    obstacle: str | None = None  # why no linear-time engine could take the pattern
    hazards: tuple[str, ...] = ()  # exponential backtracking (see Plan.hazards)
    source: str | None = None  # the pattern run, when grep's options made it (Plan.source)
    branches: Sequence[Compiled] = ()  # several patterns: each alone (Plan.branches)
    offsets: tuple[int, ...] = ()  # the groups before each branch's first
    labels: tuple[tuple[str, int], ...] = ()  # (group name as written, number), in order

    def linear_spans(self) -> Compiled | None:
        """RE2 compiled from ``linear``: spans in linear time for a line over budget."""
        return _re2(self.linear) if self.linear is not None else None

    @property
    def timeout_kw(self) -> bool:
        return self.engine == "regex"

    def searcher(self, compiled: Compiled, timeout: float | None) -> Callable[..., Any]:
        """``compiled.search``, with the time budget bound when the engine takes one."""
        if self.engine == "regex" and timeout:
            method: Any = compiled.search
            return functools.partial(method, timeout=timeout)
        return compiled.search

    def lister(
        self, compiled: Compiled, timeout: float | None, engine: Engine | None = None
    ) -> Callable[..., list[Any]]:
        """``compiled.findall``, with the time budget bound when the engine takes one."""
        method: Any = getattr(compiled, "findall")  # noqa: B009 - not in the Protocol
        if (engine or self.engine) == "regex" and timeout:
            return functools.partial(method, timeout=timeout)
        found: Callable[..., list[Any]] = method
        return found

    def anchored(self, compiled: Compiled, timeout: float | None) -> Callable[..., Any]:
        """``compiled.match``, with the time budget bound when the engine takes one."""
        if self.engine == "regex" and timeout:
            method: Any = compiled.match
            return functools.partial(method, timeout=timeout)
        return compiled.match

    def iterator(self, compiled: Compiled, timeout: float | None) -> Callable[..., Any]:
        """``compiled.finditer``, with the time budget bound when the engine takes one."""
        if self.engine == "regex" and timeout:
            method: Any = compiled.finditer
            return functools.partial(method, timeout=timeout)
        return compiled.finditer


@functools.cache
def _re2(text: bytes) -> Compiled | None:
    compiled: Compiled | None = compile_re2(text)
    return compiled


def _compile(spec: MatcherSpec, engine: Engine, text: str, flags: int) -> Compiled:
    data = text.encode("utf-8", "surrogateescape")
    try:
        # with_room: both engines parse recursively, 490 groups deep is too deep otherwise
        if engine == "re":
            found: Compiled = with_room(re.compile, data, flags)
            return found
        module = regex_module()
        version = module.V0 if spec.flavor == "re" else 0
        compiled: Compiled = with_room(module.compile, data, flags | version)
        return compiled
    except (re.error, errors()) as exc:
        pos = getattr(exc, "pos", None)
        at = char_position(spec.text, pos) if isinstance(pos, int) else 0
        message = str(getattr(exc, "msg", exc))
        raise PatternError(
            f"{message} (patterns are matched against bytes)", pattern=spec.text, span=(at, at + 1)
        ) from None


@functools.lru_cache(maxsize=16)
def compile_matcher(spec: MatcherSpec, engine: Engine = "re") -> Matcher:
    """Compile ``spec`` for ``engine`` (cached per process). Raises ``PatternError``."""
    if spec.flavor == "regex":
        engine = "regex"
    plan = cached_plan(spec)
    flags = spec.all_flags
    line = _compile(spec, engine, plan.line, flags)
    automaton = plan.automaton
    selector = (
        compile_selector(automaton, plan.automata, plan.positions)
        if automaton is not None
        else None
    )
    block = counter = behind = None
    if plan.block is not None:
        block = _compile(spec, engine, plan.block, flags | re.MULTILINE)
        if selector is None and plan.counter is not None:
            counter = _compile(spec, engine, plan.counter, flags | re.MULTILINE)
        if selector is None and plan.behind is not None:
            behind = _compile(spec, "regex", plan.behind, flags | re.MULTILINE)
    literal = plan.literal
    # several patterns' branches serve only -o, colours and --json: compiled on first use
    branches = _Branches(spec, engine, plan.branches, flags) if plan.branches else ()
    strategy: Strategy
    if selector is not None:
        strategy = "automaton"
    elif block is None:
        strategy = "lines"
    elif literal is not None and len(literal) >= 3 and not plan.long_prefix:
        strategy = "candidates"
    else:
        strategy = "block"
    return Matcher(
        spec=spec,
        engine=engine,
        line=line,
        block=block,
        counter=counter,
        behind=behind,
        strategy=strategy,
        literal=literal,
        factor=plan.factor,
        lead=plan.lead,
        groups=line.groups,
        names=dict(line.groupindex),
        selector=selector,
        linear=plan.linear if selector is not None else None,
        obstacle=plan.obstacle,
        hazards=plan.hazards if selector is None else (),
        source=plan.source,
        branches=branches,
        offsets=plan.offsets,
        labels=plan.labels or tuple(line.groupindex.items()),
    )


class _Branches(Sequence[Compiled]):
    """Several patterns' branches (``Plan.branches``), compiled when first read."""

    def __init__(self, spec: MatcherSpec, engine: Engine, texts: tuple[str, ...], flags: int):
        self._args = (spec, engine, texts, flags)
        self._compiled: tuple[Compiled, ...] | None = None

    def _all(self) -> tuple[Compiled, ...]:
        if self._compiled is None:
            spec, engine, texts, flags = self._args
            self._compiled = tuple(_compile(spec, engine, text, flags) for text in texts)
        return self._compiled

    def __len__(self) -> int:
        return len(self._args[2])

    @overload
    def __getitem__(self, index: int) -> Compiled: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Compiled]: ...
    def __getitem__(self, index: int | slice) -> Compiled | Sequence[Compiled]:
        return self._all()[index]
