"""Examples a pattern matches and near misses it rejects, each checked on the engine.

``examples(p)`` gives a few strings written from the AST (``_example_writer``): the shortest
first, then ones with more repetitions and other branches, each with the span
``search`` finds. ``near_misses(p)`` gives strings one edit away from an example that the
pattern rejects anywhere in them (``_near_misses``), each saying why and pointing at the
part of the pattern that rejects it.

Nothing is returned unchecked: every example is searched on the engine (``re`` or
``regex``, with the pattern's flags) and must match with exactly its span; every near miss
must not match at all. What cannot be checked (no engine fits, time ran out) is left out,
so the answer may be shorter than asked, or empty. The work is bounded: a step budget for
writing candidates, a few engine runs per answer, and a deadline for all of them (``regex``
searches carry a timeout; ``re`` patterns with a backtracking hazard run on ``regex``, see
``_engine``).
"""

from __future__ import annotations

from typing import Final, NamedTuple

from .._syntax._ast import Alternation, Backref, Node, Pattern, Repeat, children
from .._syntax._flags import flag_set, flags_at, format_flags
from .._syntax._record import value
from .._syntax._width import width
from ._engine import Engine, engine_for
from ._example_chars import Leaves
from ._example_events import Budget, Generated, Policy
from ._example_writer import MAX_TEXT, generate

__all__ = ["Example", "NearMiss", "examples", "near_misses"]

_SECONDS: Final = 0.25  # for all engine runs of one pattern
_TRIES: Final = 12  # candidates checked per policy before moving on
_STEPS: Final = 6000  # steps of the writer for all policies together
_LOOP: Final = 10  # a repeat with a higher maximum counts as a loop
_REDOS_LEAVES: Final = 300  # larger patterns are not given to _redos
_POLICIES: Final = (
    Policy(0, 0),
    Policy(1, 0),
    Policy(1, 1),
    Policy(0, 0, 4),
    Policy(2, 2),
    Policy(0, 1),
    Policy(1, 0, 2),
    Policy(0, 2, 7),
)


@value
class Example:
    """A string the pattern matches; ``span`` is ``search(text).span()``."""

    text: str
    span: tuple[int, int]


@value
class NearMiss:
    """A string the pattern does not match anywhere, one edit from an example; ``why``
    says what is missing ("the 4th character must be `-`") and ``span`` is the part of the
    pattern that rejects it."""

    text: str
    why: str
    span: tuple[int, int]


class _Found(NamedTuple):
    examples: tuple[tuple[Example, Generated], ...]
    engine: Engine | None
    leaves: Leaves


def _hazardous(p: Pattern, known: bool | None) -> bool:
    """Whether ``re`` could take super-linear time on a short text for ``p``. Only a loop
    with something ambiguous inside (another repeat, an alternation, a backreference) or
    three loops or more can be slow on texts as short as examples; for those ``known``
    (what the caller learnt from ``_redos``) decides, or ``_redos`` when it is None, if the
    pattern is small enough for it to answer quickly; larger ones count as hazardous."""
    if not any(c in p.text for c in "*+{"):
        return False  # no repeats: backtracking is bounded by the pattern's size
    maybe, loops, leaves = False, 0, 0
    todo: list[tuple[Node, bool]] = [(p.body, False)]
    while todo:
        node, looped = todo.pop()
        kids = children(node)
        leaves += not kids
        if isinstance(node, Repeat):
            many = node.max is None or node.max > 1
            loops += node.max is None or node.max > _LOOP
            maybe = maybe or (looped and node.max != node.min)
            todo.append((node.item, looped or many))
            continue
        maybe = maybe or (looped and isinstance(node, Alternation | Backref))
        todo.extend((kid, looped) for kid in kids)
    if not maybe and loops < 3:
        return False
    if leaves > _REDOS_LEAVES:
        return True
    if known is not None:
        return known
    from ._redos import backtracking_warnings

    return bool(backtracking_warnings(p))


def _shortest(p: Pattern) -> int:
    """About how long the shortest match is (at most ``MAX_TEXT``); exact only when a
    counted repeat could make it longer than the pattern."""
    if "{" not in p.text:
        return min(len(p.text), MAX_TEXT)
    return min(width(p).min, MAX_TEXT)


def _flags(p: Pattern) -> Leaves:
    if "(?" in p.text:
        return Leaves(p, flags_at(p))
    return Leaves(p, format_flags(flag_set(p.flags), p.flavor))


def _find(p: Pattern, count: int, known: bool | None) -> _Found:
    leaves = _flags(p)
    if count <= 0:
        return _Found((), None, leaves)
    hazardous = p.flavor == "re" and _hazardous(p, known)
    engine = engine_for(p, hazardous=hazardous, seconds=_SECONDS)
    if engine is None:
        return _Found((), None, leaves)
    found: list[tuple[Example, Generated]] = []
    seen: set[str] = set()
    per_policy = _STEPS // 3 + 4 * _shortest(p)  # a long example takes more steps
    budget = Budget(per_policy * 3)
    for policy in _POLICIES:
        if len(found) >= count or engine.out_of_time() or budget.left <= 0:
            break
        mine = Budget(min(budget.left, per_policy))
        for tries, candidate in enumerate(generate(p, leaves, policy, mine), 1):
            if candidate.text in seen:
                break  # this policy leads where an earlier one did: try the next
            if engine.span(candidate.text) == candidate.span:
                seen.add(candidate.text)
                found.append((Example(candidate.text, candidate.span), candidate))
                break
            if tries >= _TRIES or engine.out_of_time():
                break
        budget.left -= per_policy - mine.left
    return _Found(tuple(found), engine, leaves)


_last: tuple[Pattern, int, _Found] | None = None  # examples and near misses share the work


def _found(p: Pattern, count: int, known: bool | None) -> _Found:
    global _last
    if _last is not None and _last[0] is p and _last[1] >= count:
        cached = _last[2]
        return _Found(cached.examples[:count], cached.engine, cached.leaves)
    result = _find(p, count, known)
    _last = (p, count, result)
    return result


def examples(
    pattern: Pattern, *, count: int = 3, hazardous: bool | None = None
) -> tuple[Example, ...]:
    """Up to ``count`` strings ``pattern`` matches, the shortest first, each verified on
    the engine: ``search(text).span() == span``. Fewer (even none) when no more could be
    written and verified within budget.

    ``hazardous``: whether ``_redos`` found a backtracking hazard in ``pattern``, when the
    caller already asked it (None: asked here when it matters). A ``re`` pattern with one
    is checked on ``regex`` under a timeout (``_engine``)."""
    return tuple(example for example, _ in _found(pattern, count, hazardous).examples)


def near_misses(
    pattern: Pattern, *, count: int = 3, hazardous: bool | None = None
) -> tuple[NearMiss, ...]:
    """Up to ``count`` strings one edit from an example that ``pattern`` does not match
    anywhere, each verified on the engine, with why and the span of the part of the pattern
    that rejects it; at most one per ``why``. ``hazardous`` as for ``examples`` (the two
    share their work when called one after the other on the same tree)."""
    from ._near_misses import mutations

    if count <= 0:
        return ()
    found = _found(pattern, max(count, 3), hazardous)
    engine = found.engine
    if engine is None:
        return ()
    engine.restart(_SECONDS)
    out: list[NearMiss] = []
    seen = {example.text for example, _ in found.examples}
    tries = 0
    said: set[str] = set()
    for text, why, span in mutations(pattern, found.leaves, [g for _, g in found.examples]):
        if text in seen or why in said:
            continue  # one near miss per reason
        seen.add(text)
        tries += 1
        if engine.span(text) is None:
            said.add(why)
            out.append(NearMiss(text, why, span))
            if len(out) >= count:
                break
        if tries >= 40 or engine.out_of_time():
            break
    return tuple(out)
