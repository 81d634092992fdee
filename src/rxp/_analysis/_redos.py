"""Catastrophic-backtracking hazards found statically, each with an attack to prove it.

A backtracking engine (Python's ``re`` and ``regex``) is slow on a failing input exactly
when the pattern can match the same text along many paths; under search semantics (how
``rxp stream`` and grep use a pattern: ``re.search`` tries every start offset) the retry
at each offset is one more loop. The pattern becomes its position automaton
(``_automaton``), and ``_pumping`` finds pump words and their degree: *exponential* when
two different paths lead from a state back to itself reading the same text (``(a+)+$``,
``(\\w+\\s?)*$``), polynomial of degree ``k`` when one path chains ``k`` loops that all
read the pump (``\\s+$`` under search is 2: the retry and ``\\s+``; ``\\d+\\d+x`` is 3).
Each hazard carries an ``Attack`` (prefix, pump, suffix) that the engine itself has
rejected for a few small pump counts; ``verify`` runs it with growing counts and checks
that the time grows as the degree says.

Possessive repeats and atomic groups never give back what they matched (each is one
state, a run of one set looping on itself), anchors and one-character look-arounds guard
the edges, and repeats with a large upper bound count as unbounded for the exponential
verdict only. The analysis is bounded in size: very large patterns get no warning rather
than a slow answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Literal as L

from .._syntax._ast import (
    Atomic,
    Class,
    ClassEscape,
    Concat,
    Dot,
    Literal,
    Pattern,
    Repeat,
    Span,
    walk,
)
from .._syntax._record import value
from .._trampoline import run
from ._automaton import MAX_POSITIONS, Automaton, TooBig
from ._machine import Machine, Semantics
from ._pumping import Pumped, chain_witness, exponential_witness, hot, lead, pump, tails

if TYPE_CHECKING:  # the engine's side is imported only when a hazard needs it
    from ._attack import Attack, Evidence

__all__ = ["Hazard", "Semantics", "backtracking_warnings", "evidence", "verify"]

_CHARS_PER_LOOP = 12  # single-character pumps tried per loop
_DEGREE_WORDS = {2: "quadratic in", 3: "cubic in", 4: "quartic in"}


@value
class Hazard:
    """A part of the pattern that can make a backtracking engine slow.

    ``kind`` is "exponential" or "polynomial"; ``degree`` says how the time grows with
    the length of a failing input (2 quadratic, 3 cubic, ... or "exponential");
    ``message`` says why, in plain words. ``attack`` is an input that shows it:
    ``prefix + pump * n + suffix`` fails to match and takes time growing with ``n`` as the
    degree says (``verify`` measures it). ``search`` is true when one of the loops is
    search's retry at every start offset (anchoring the pattern at the start, or using
    ``match``/``fullmatch``, lowers the degree by one). ``semantics`` is the engine method
    the attack is for."""

    span: Span
    kind: L["exponential", "polynomial"]
    message: str
    degree: int | L["exponential"] = "exponential"
    attack: Attack | None = None
    search: bool = False
    semantics: Semantics = "search"


def backtracking_warnings(p: Pattern, *, semantics: Semantics = "search") -> tuple[Hazard, ...]:
    """The catastrophic-backtracking hazards in ``p`` under ``semantics`` (the engine
    method: ``search`` as grep and ``rxp stream`` use it, ``match`` or ``fullmatch``), in
    pattern order, at most one per part of the pattern (the worst), each with an attack
    the engine has rejected for small pump counts. Cheap: the engine runs only when a
    hazard is found, on short texts."""
    leaves = sum(isinstance(n, Literal | Dot | ClassEscape | Class) for n in walk(p))
    if leaves > MAX_POSITIONS:  # each becomes at least one state: too big to analyse
        return ()
    try:
        auto = Automaton(p)
        run(auto.build(p))
        machine = Machine(auto, semantics)
        found, loops, comp = _candidates(machine)
    except (TooBig, RecursionError):
        return ()
    return _choose(
        p, machine, found, semantics, lambda pumped: _blame(machine, pumped, loops, comp)
    )


def verify(p: Pattern, hazard: Hazard, *, budget: float = 0.15) -> bool:
    """Whether running the engine on ``hazard.attack`` with growing pump counts, within
    ``budget`` CPU seconds, shows the time growing as ``hazard.degree`` says."""
    return evidence(p, hazard, budget=budget).verified


def evidence(p: Pattern, hazard: Hazard, *, budget: float = 0.15) -> Evidence:
    """``verify``'s measurements and verdict, for reports and benchmarks."""
    from ._attack import Evidence, measure

    if hazard.attack is None:
        return Evidence(False, (), (), None, "no attack")
    return measure(p, hazard.attack, hazard.degree, hazard.semantics, budget=budget)


# --- candidates ------------------------------------------------------------------------------


def _candidates(
    machine: Machine,
) -> tuple[list[tuple[Pumped, list[int], list[int]]], list[set[int]], list[int]]:
    """Pump words worth trying, with the prefix that leads to them, and what each does;
    and the automaton's cycles (``loops``, the scan state's as an empty set) with the
    index of each state's (``comp``, -1 off every cycle)."""
    out = machine.out
    nodes = list(range(len(out)))
    comp = machine.comp
    loops = [set() if machine.scan in members else members for members in machine.loops]
    results: list[tuple[Pumped, list[int], list[int]]] = []
    opener = lead(machine)
    tried: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()

    def consider(u: list[int], w: list[int]) -> Pumped | None:
        key = (tuple(u), tuple(w))
        if key in tried or not w:
            return None
        tried.add(key)
        pumped = pump(machine, u, w)
        if pumped is None and opener is not None:  # a match at the start of the text, maybe
            u = opener + u
            pumped = pump(machine, u, w)
        if pumped is not None and (pumped.degree == "exponential" or pumped.degree >= 2):
            results.append((pumped, u, w))
        return pumped

    looping = 0
    for members in loops:
        for s in members:
            looping |= machine.masks[s]
    if not looping:
        return [], loops, comp
    hot_chars: dict[int, set[int]] = {}
    for part in machine.letters:
        if not part & looping:
            continue
        ch = machine.nice(part & looping)
        states = hot(machine, ch)
        if states:
            hot_chars[ch] = states
    for members in loops:
        if not members:
            continue
        chars = sorted(
            (ch for ch, states in hot_chars.items() if states & members),
            key=machine.pump_order.index,
        )
        if chars:
            entries = {s for s in nodes if s not in members for t, _, _ in out[s] if t in members}
            u = machine.prefix(entries)
            if u is not None:
                for ch in chars[:_CHARS_PER_LOOP]:
                    consider(u, [ch])
        if any(r.degree == "exponential" and r.blamed[0] & members for r, _, _ in results):
            continue  # a single character already shows it
        witness = exponential_witness(machine, members)
        if witness is not None:
            start = machine.prefix({witness[0]})
            if start is not None:
                consider(start, witness[1])
    _chains(machine, loops, comp, consider, results)
    return results, loops, comp


def _chains(
    machine: Machine,
    loops: list[set[int]],
    comp: list[int],
    consider: object,
    results: list[tuple[Pumped, list[int], list[int]]],
) -> None:
    """Pumps read by two loops one after the other (``(ab)+(ab)+``, or search's retry and
    ``<!--.*?-->``: the pump is ``<!--``) that no single character shows: one partner per
    loop, found by the three-copy product search."""
    assert callable(consider)
    covered = {s for pumped, _, _ in results for part in pumped.blamed for s in part}
    if machine.scan >= 0:  # search's retry as the first loop: a pump that starts a match
        for q_loop in loops:
            if q_loop and not q_loop <= covered:
                word = chain_witness(machine, machine.scan, min(q_loop), comp)
                if word is not None:
                    consider([], word)
    for p_loop in loops:
        if not p_loop or p_loop <= covered:
            continue
        p = min(p_loop)
        reach: set[int] = set()
        todo = [p]
        while todo:
            s = todo.pop()
            for t, _, _ in machine.out[s]:
                if t not in reach:
                    reach.add(t)
                    todo.append(t)
        for q_loop in loops:
            if not q_loop or q_loop is p_loop or not q_loop & reach:
                continue
            q = min(q_loop & reach)
            if not machine.masks[p] & machine.masks[q]:
                continue
            word = chain_witness(machine, p, q, comp)
            if word is not None:
                start = machine.prefix({p})
                if start is not None:
                    consider(start, word)
                break


# --- choosing and saying ---------------------------------------------------------------


def _strength(item: tuple[Pumped, list[int], list[int]]) -> tuple[int, int]:
    pumped, u, w = item
    degree = 1000 if pumped.degree == "exponential" else pumped.degree
    return (-degree, len(u) + len(w))


def _choose(
    p: Pattern,
    machine: Machine,
    found: list[tuple[Pumped, list[int], list[int]]],
    semantics: Semantics,
    blame: Callable[[Pumped], Span | None],
) -> tuple[Hazard, ...]:
    from ._attack import Attack, rejects

    alphabet = machine.auto.alphabet
    chosen: list[Hazard] = []
    for pumped, u, w in sorted(found, key=_strength):
        span = blame(pumped)
        if span is None or any(span.start < h.span.end and h.span.start < span.end for h in chosen):
            continue
        prefix, pump = "".join(alphabet[c] for c in u), "".join(alphabet[c] for c in w)
        counts = (1, 2, 3) if pumped.degree == "exponential" else (1, 2, 3, 5, 8)
        # Under search, a hazard inside the pattern (not made by the retry at every offset)
        # costs search its first attempt even when a later offset then matches (`(a|a)*$`
        # matches the empty string at the end of any text): such an attack is checked, and
        # timed, on that attempt, ``match``.
        checks: tuple[Semantics, ...] = (semantics,)
        if semantics == "search" and not pumped.scan:
            checks = ("search", "match")  # when a later offset matches: the first attempt
        suffixes = ["".join(alphabet[c] for c in tail) for tail in tails(machine, pumped, w)]
        if p.flavor == "regex":  # regex first looks for required literals: give it them
            suffixes.sort(key=len, reverse=True)
        try:
            attack, check = next(
                (
                    (a, c)
                    for c in checks
                    for a in (Attack(prefix, pump, s) for s in dict.fromkeys(suffixes))
                    if rejects(p, a, c, counts)
                ),
                (None, semantics),
            )
        except Exception:  # the engine cannot compile it here (regex's named lists)
            attack = None
        else:
            if attack is None:
                continue  # the engine matches every text this pump makes
        degree = pumped.degree
        kind: L["exponential", "polynomial"] = (
            "exponential" if degree == "exponential" else "polynomial"
        )
        message = _message(p, span, degree, pump, pumped.scan)
        chosen.append(Hazard(span, kind, message, degree, attack, pumped.scan, check))
    return tuple(sorted(chosen, key=lambda h: (h.span.start, h.span.end)))


def _blame(machine: Machine, pumped: Pumped, loops: list[set[int]], comp: list[int]) -> Span | None:
    """The part of the pattern to blame: for each blamed component, the outermost loop of
    the automaton's cycle it lies on (or the possessive or atomic construct itself)."""
    spans: list[Span] = []
    for part in pumped.blamed:
        found: list[Span] = []
        for s in part:
            owner = machine.auto.owner[s]
            if isinstance(owner, Atomic | Repeat):  # an opaque state: the construct itself
                found.append(owner.span)
            cycle = loops[comp[s]] if comp[s] >= 0 else set()
            for c in cycle:
                for t, _, origin in machine.out[c]:
                    if t in cycle and origin is not None:
                        found.append(origin.span)
        if found:
            spans.append(max(found, key=len))
    if not spans:
        return None
    return _whole(machine.auto.p, Span(min(s.start for s in spans), max(s.end for s in spans)))


def _whole(p: Pattern, span: Span) -> Span:
    """``span`` widened to whole items of the innermost sequence it spans (so that
    ``(\\d+)\\d+`` is blamed, not ``\\d+)\\d+``)."""
    best: Span | None = None
    for node in walk(p):
        if not isinstance(node, Concat):
            continue
        if not (node.span.start <= span.start and span.end <= node.span.end):
            continue
        touched = [
            i.span for i in node.items if i.span.start < span.end and span.start < i.span.end
        ]
        if len(touched) > 1 and (best is None or len(node.span) < len(best)):
            best = Span(touched[0].start, touched[-1].end)
    return span if best is None else best


def _after(p: Pattern, span: Span) -> str:
    """What the pattern wants after ``span``: the rest of the innermost sequence that goes
    on past it (``\\s+(\\d+)`` after ``\\S+`` in ``(\\S+)\\s+(\\d+)``), or nothing."""
    best: Concat | None = None
    for node in walk(p):
        if (
            isinstance(node, Concat)
            and node.span.start <= span.start
            and span.end < node.span.end
            and (best is None or len(node.span) < len(best.span))
        ):
            best = node
    if best is None:
        return ""
    rest = [i for i in best.items if i.span.start >= span.end]
    return p.text[rest[0].span.start : best.span.end] if rest else ""


def _message(p: Pattern, span: Span, degree: int | L["exponential"], pump: str, scan: bool) -> str:
    blamed = span.slice(p.text)
    after = _after(p, span)
    run = _run(pump)
    if after in ("$", "\\Z", "\\z"):
        failing = "not at the end of the " + ("line" if after == "$" else "text")
    elif after:
        shown = after if len(after) <= 20 else after[:19] + "…"
        failing = f"not followed by {'a match for ' if len(after) > 2 else ''}`{shown}`"
    else:
        failing = "that does not complete a match"
    if degree == "exponential":
        return (
            f"`{blamed}` can match {run} in exponentially many ways (a repeat inside a repeat "
            f"over overlapping characters): {run} {failing} makes the engine try them all, "
            "exponential in its length"
        )
    if scan and degree == 2:
        retry = f"retry `{blamed}` from every start position"
    elif scan:
        retry = "retry every start position and every split between the repeats"
    else:
        retry = "retry every split between the repeats"
    growth = _DEGREE_WORDS.get(degree, f"growing as the {degree}th power of")
    head = f"`{blamed}` followed by `{after}`" if after else f"`{blamed}`"
    return f"{head}: {run} {failing} makes the engine {retry}, {growth} the line's length"


def _run(pump: str) -> str:
    names = {" ": "spaces", "\t": "tabs", "\n": "newlines", "\r": "carriage returns"}
    if pump in names:
        return f"a long run of {names[pump]}"
    return f"a long run of `{pump}`" if len(pump) == 1 else f"`{pump}` repeated many times"
