"""Pumping the position automaton: the words on which a backtracking engine is slow.

On a text it does not match, a backtracking engine walks every path the automaton has
through the text, and under search semantics does so again from every start offset. The
``Machine`` is the automaton as the engine runs it: the positions of ``_automaton`` plus a
``start`` state before the text and, under search semantics, a ``scan`` state that reads
any character and loops (the retry at every offset, like a leading ``(?s:.)*?``).

For a pump word ``w``, ``Machine.pump`` builds the transfer graph: an edge ``s -> t`` for
each path from ``s`` to ``t`` reading ``w``. The number of paths through ``w * n`` grows
exponentially when a strongly connected component of that graph has two ways round
(Weber and Seidl's EDA), and otherwise as ``n ** (k - 1)``, ``k`` being the most cyclic
components one path passes through (IDA); walking each path costs up to ``n`` steps, so
the engine's time on a failing text grows as ``n ** k``: the *degree*. Candidate pumps are
single characters of the loops' sets and the witnesses of two product searches (two copies
of the automaton parting and meeting again; three copies chaining two loops).
Guards (anchors, ``\\b``, one-character look-arounds) are evaluated on character classes:
the alphabet split so that every guard is constant on each class.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal as L
from typing import TypeAlias, TypeVar

from ._automaton import Automaton, Edge, Guard, TooBig, conj, holds

__all__ = ["Machine", "Pumped", "Semantics", "sccs"]

Semantics: TypeAlias = L["search", "match", "fullmatch"]
_N = TypeVar("_N", bound=Hashable)
_Pair: TypeAlias = tuple[int, int, int]  # two states and the bit of the last character
_Quad: TypeAlias = tuple[int, int, int, int]  # three states and the bit of the last character
_MAX_CLASSES = 24
_BUDGET = 400_000  # steps of all product searches and pumps, per pattern
_PUMP_ORDER = (
    "abcdefghijklmnopqrstuvwxyz1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZ _-.,:;=/@!#%&~+*?'\"<>"
    "()[]{}|\\^$`\t\n\r"
)
_KILLER_ORDER = "!#%&~;,=@/\"'<>?|^`:+*()[]{}$\\xyzXYZ.-_ 0123456789\t\n\r"


def sccs(nodes: Sequence[_N], nexts: Mapping[_N, Sequence[_N]]) -> Iterator[list[_N]]:
    """Tarjan's strongly connected components, iteratively; each is yielded after every
    component reachable from it."""
    index: dict[_N, int] = {}
    low: dict[_N, int] = {}
    on_stack: set[_N] = set()
    stack: list[_N] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            succ = nexts.get(v, ())
            if i < len(succ):
                work.append((v, i + 1))
                w = succ[i]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                yield component


@dataclass(frozen=True, slots=True)
class Pumped:
    """What pumping ``w`` after ``u`` does: ``degree`` (2, 3, ... or "exponential"; 1 is
    linear), the components of the transfer graph to blame (positions only, in path
    order), whether search's retry is one of them, and every state the pumping reaches."""

    degree: int | L["exponential"]
    blamed: tuple[frozenset[int], ...]
    scan: bool
    reached: frozenset[int]


class Machine:
    """The automaton with its start state and, under search semantics, the scan state."""

    def __init__(self, auto: Automaton, semantics: Semantics) -> None:
        self.auto = auto
        n = len(auto.masks)
        self.scan = n if semantics == "search" else -1
        self.start = n + 1 if semantics == "search" else n
        entry: list[Edge] = [(t, g, None) for t, g in auto.initial]
        self.out: list[list[Edge]] = list(auto.out)
        self.masks = list(auto.masks)
        finals: list[list[Guard]] = [[] for _ in range(n)]
        for s, g in auto.final:
            finals[s].append(g)
        if self.scan >= 0:
            self.out.append([(self.scan, None, None), *entry])
            self.masks.append(auto.full)
            finals.append(list(auto.empty))
        self.out.append(entry + ([(self.scan, None, None)] if self.scan >= 0 else []))
        self.masks.append(0)
        finals.append(list(auto.empty))
        if semantics == "fullmatch":
            at_end: Guard = ((auto.full, True, 0, True),)
            finals = [[conj(g, at_end) for g in gs] for gs in finals]
        self.finals = [[g for g in gs if g != ()] for gs in finals]
        self.budget = _BUDGET
        self.classes = self._classes()
        self._kinds: dict[int, list[int]] = {}
        self.pump_order = _order(auto.alphabet, _PUMP_ORDER)
        self.killer_order = _order(auto.alphabet, _KILLER_ORDER)
        self.letters = self._letters()
        self._cycles()
        rank = {ch: i for i, ch in enumerate(self.killer_order)}
        self.killer_reps = sorted(
            (min(_bits(part), key=rank.__getitem__) for part in self.letters), key=rank.__getitem__
        )

    def _classes(self) -> list[int]:
        """The alphabet split so that every guard is constant on each part."""
        cuts: set[int] = set()
        for edges in self.out:
            for _, g, _ in edges:
                if g is not None:
                    cuts |= {m for before, _, after, _ in g for m in (before, after)}
        for gs in self.finals:
            for g in gs:
                if g is not None:
                    cuts |= {m for before, _, after, _ in g for m in (before, after)}
        parts = [self.auto.full]
        for cut in cuts:
            parts = [q for p in parts for q in (p & cut, p & ~cut) if q]
            if len(parts) > _MAX_CLASSES:
                raise TooBig
        return parts

    def _letters(self) -> list[int]:
        """The alphabet split by the guards and the sets of the positions (coarsely past
        64 parts): characters in one part are alike to the automaton."""
        parts = list(self.classes)
        for cut in sorted(set(self.masks)):
            if not cut:
                continue
            split = [q for part in parts for q in (part & cut, part & ~cut) if q]
            if len(split) > 64:
                break
            parts = split
        return parts

    # --- steps ---------------------------------------------------------------------------

    def spend(self, steps: int) -> None:
        self.budget -= steps
        if self.budget < 0:
            raise TooBig

    def nice(self, mask: int, order: list[int] | None = None) -> int:
        """The most readable character (an alphabet index) in ``mask``."""
        for i in self.pump_order if order is None else order:
            if mask >> i & 1:
                return i
        raise ValueError("empty mask")

    def kinds(self, mask: int) -> list[int]:
        """The classes (as representative bits) that meet ``mask``."""
        found = self._kinds.get(mask)
        if found is None:
            found = self._kinds[mask] = [c & -c for c in self.classes if c & mask]
        return found

    def accepts(
        self, states: Iterator[int] | Sequence[int], before: int | None, after: int | None
    ) -> bool:
        return any(holds(g, before, after) for s in states for g in self.finals[s])

    def advance(self, config: dict[int, int], before: int | None, ch: int) -> dict[int, int]:
        bit = 1 << ch
        new: dict[int, int] = {}
        for s, k in config.items():
            edges = self.out[s]
            self.spend(len(edges))
            for t, g, _ in edges:
                if self.masks[t] & bit and holds(g, before, bit):
                    new[t] = min(2, new.get(t, 0) + k)
        return new

    def read(
        self, config: dict[int, int], before: int | None, word: Sequence[int]
    ) -> dict[int, int] | None:
        """The states after reading ``word`` from ``config`` (paths counted up to 2), or
        None when a match ends on the way (the text would match)."""
        for ch in word:
            if self.accepts(list(config), before, 1 << ch):
                return None
            config = self.advance(config, before, ch)
            before = 1 << ch
        return config

    # --- searches for witnesses ------------------------------------------------------------

    def path(
        self, sources: dict[int, int | None], targets: set[int], inside: set[int] | None
    ) -> list[int] | None:
        """The shortest word leading from one of ``sources`` (state -> bit of the character
        before, None at the start of the text) to a state in ``targets``, staying in
        ``inside`` when given; [] when a source is a target."""
        parent: dict[tuple[int, int | None], tuple[tuple[int, int | None], int] | None] = {}
        todo = []
        for s, before in sources.items():
            parent[(s, before)] = None
            todo.append((s, before))
        for node in todo:  # breadth first: todo grows while we walk it
            s, before = node
            if s in targets:
                word = []
                while (step := parent[node]) is not None:
                    node, ch = step
                    word.append(ch)
                return word[::-1]
            self.spend(len(self.out[s]))
            for t, g, _ in self.out[s]:
                if inside is not None and t not in inside:
                    continue
                for bit in self.kinds(self.masks[t]):
                    nxt = (t, bit)
                    if nxt not in parent and holds(g, before, bit):
                        parent[nxt] = (node, self.nice(self.masks[t] & self._class_of(bit)))
                        todo.append(nxt)
        return None

    def _class_of(self, bit: int) -> int:
        for c in self.classes:
            if c & bit:
                return c
        return 0

    def prefix(self, targets: set[int]) -> list[int] | None:
        """The shortest word from the start of the text to a state in ``targets``."""
        return self.path({self.start: None}, targets, None)

    def exponential_witness(self, component: set[int]) -> tuple[int, list[int]] | None:
        """A state of ``component`` and a word on which two different paths lead from it
        back to it, or None."""
        masks = self.masks
        for s in sorted(component):
            edges = [(t, g) for t, g, _ in self.out[s] if t in component]
            for before in self.kinds(masks[s]):
                parent: dict[_Pair, tuple[_Pair, int] | None] = {}
                first: dict[_Pair, int] = {}
                todo: list[_Pair] = []

                for i, (t1, g1) in enumerate(edges):
                    for t2, g2 in edges[i + 1 :]:
                        both = masks[t1] & masks[t2]
                        for bit in self.kinds(both):
                            key = (min(t1, t2), max(t1, t2), bit)
                            if key in parent or not holds(g1, before, bit):
                                continue
                            if not holds(g2, before, bit):
                                continue
                            parent[key] = None
                            first[key] = self.nice(both & self._class_of(bit))
                            if t1 == t2 and (found := self._met(parent, first, key, s, component)):
                                return found
                            todo.append(key)
                for key in todo:
                    x, y, bit = key
                    self.spend(len(self.out[x]) * len(self.out[y]))
                    for tx, gx, _ in self.out[x]:
                        if tx not in component:
                            continue
                        for ty, gy, _ in self.out[y]:
                            both = masks[tx] & masks[ty]
                            if ty not in component or not both:
                                continue
                            for nbit in self.kinds(both):
                                nxt = (min(tx, ty), max(tx, ty), nbit)
                                if nxt in parent or not holds(gx, bit, nbit):
                                    continue
                                if not holds(gy, bit, nbit):
                                    continue
                                parent[nxt] = (key, self.nice(both & self._class_of(nbit)))
                                if tx == ty and (
                                    found := self._met(parent, first, nxt, s, component)
                                ):
                                    return found
                                todo.append(nxt)
        return None

    def _met(
        self,
        parent: dict[_Pair, tuple[_Pair, int] | None],
        first: dict[_Pair, int],
        key: _Pair,
        s: int,
        component: set[int],
    ) -> tuple[int, list[int]] | None:
        """The two copies meet at ``key``: ``s`` and the word of the way round, or None
        when the meeting state cannot get back to ``s``."""
        word: list[int] = []
        node = key
        while (step := parent[node]) is not None:
            node, ch = step
            word.append(ch)
        word.append(first[node])
        back = self.path({key[0]: key[2]}, {s}, component)
        return None if back is None else (s, word[::-1] + back)

    def chain_witness(self, p: int, q: int, comp: list[int]) -> list[int] | None:
        """A word on which ``p`` loops, leads to ``q``, and ``q`` loops, or None."""
        masks = self.masks
        parent: dict[_Quad, tuple[_Quad, int] | None] = {}
        todo: list[_Quad] = []
        for bit in self.kinds(masks[p] & masks[q]):
            parent[(p, p, q, bit)] = None
            todo.append((p, p, q, bit))
        for key in todo:
            x, y, z, bit = key
            if (x, y, z) == (p, q, q) and parent[key] is not None:
                word = []
                node = key
                while (step := parent[node]) is not None:
                    node, ch = step
                    word.append(ch)
                return word[::-1]
            self.spend(len(self.out[x]) * len(self.out[y]))
            for tx, gx, _ in self.out[x]:
                if comp[tx] != comp[p]:
                    continue
                for ty, gy, _ in self.out[y]:
                    both = masks[tx] & masks[ty]
                    if not both:
                        continue
                    for tz, gz, _ in self.out[z]:
                        every = both & masks[tz]
                        if comp[tz] != comp[q] or not every:
                            continue
                        for nbit in self.kinds(every):
                            nxt = (tx, ty, tz, nbit)
                            if (
                                nxt not in parent
                                and holds(gx, bit, nbit)
                                and holds(gy, bit, nbit)
                                and holds(gz, bit, nbit)
                            ):
                                parent[nxt] = (key, self.nice(every & self._class_of(nbit)))
                                todo.append(nxt)
        return None

    def hot(self, ch: int) -> set[int]:
        """The states on which a run of ``ch`` alone could be slow, a cheap filter before
        ``pump``: the loops that read ``ch`` and lie on a chain of two such loops (search's
        retry counts) or have two ways round, in the graph of the states reading ``ch``."""
        bit = 1 << ch
        nodes = [s for s, m in enumerate(self.masks) if m & bit]
        self.spend(len(nodes))
        nexts: dict[int, list[int]] = {}
        for s in nodes:
            nexts[s] = [t for t, g, _ in self.out[s] if self.masks[t] & bit and holds(g, bit, bit)]
        down: dict[int, int] = {}  # component -> most loops on a path from it
        comp_of: dict[int, int] = {}
        parts: list[list[int]] = []
        weights: list[int] = []
        hot: set[int] = set()
        for n, part in enumerate(sccs(nodes, nexts)):
            inside = set(part)
            parts.append(part)
            for s in part:
                comp_of[s] = n
            if any(sum(1 for t in nexts[s] if t in inside) > 1 for s in part):
                hot |= inside  # two ways round: exponential
            cyclic = any(t in inside for s in part for t in nexts[s])
            weights.append(1 if cyclic and self._grows(inside) else 0)
            after = [down[comp_of[t]] for s in part for t in nexts[s] if comp_of[t] != n]
            down[n] = weights[n] + max(after, default=0)
        up = [weights[n] for n in range(len(parts))]  # most loops on a path to it
        for n in reversed(range(len(parts))):  # components in topological order
            for s in parts[n]:
                for t in nexts[s]:
                    m = comp_of[t]
                    if m != n:
                        up[m] = max(up[m], up[n] + weights[m])
        for n, part in enumerate(parts):
            if weights[n] and up[n] + down[n] - weights[n] >= 2:
                hot |= set(part)
        return hot

    # --- pumping ---------------------------------------------------------------------------

    def _not_last_newline(self, config: dict[int, int], before: int | None, ch: int) -> list[int]:
        """``[ch]``, or when ``ch`` is a newline that a ``$`` could take for the end of
        the text (``$`` also matches before a final newline), ``ch`` and one more."""
        if not self.auto.newline >> ch & 1 or not self.accepts(list(config), before, None):
            return [ch]
        return [ch, next(c for c in self.killer_reps if not self.auto.newline >> c & 1)]

    def lead(self) -> list[int] | None:
        """A character no match can start with (or end at): after it, only search's
        retry is alive. Put before a pump, it keeps anchored alternatives from matching
        the run (``^\\s+|\\s+$``)."""
        if self.scan < 0:
            return None
        return self._kill({self.start: 1}, None, 1)

    def pump(self, u: Sequence[int], w: Sequence[int]) -> Pumped | None:
        """The transfer graph of ``w`` after ``u``, read for its degree; None when the
        text ``u + w * n`` would match (no attack with this pump)."""
        config = self.read({self.start: 1}, None, u)
        if not config:
            return None
        config = self.read(config, 1 << u[-1] if u else None, w)
        if not config:
            return None
        last = 1 << w[-1]
        rows: dict[int, dict[int, int]] = {}
        todo = list(config)
        while todo:
            s = todo.pop()
            if s in rows:
                continue
            row = self.read({s: 1}, last, w)
            if row is None:
                return None
            rows[s] = row
            todo.extend(t for t in row if t not in rows)
        return self._degree(rows)

    def _degree(self, rows: dict[int, dict[int, int]]) -> Pumped:
        nodes = sorted(rows)
        nexts = {s: sorted(rows[s]) for s in nodes}
        best: dict[int, tuple[int, list[int]]] = {}  # component -> (weight, chain)
        comp_of: dict[int, int] = {}
        exponential: list[frozenset[int]] = []
        members: list[list[int]] = []
        for n, component in enumerate(sccs(nodes, nexts)):
            members.append(component)
            inside = set(component)
            for s in component:
                comp_of[s] = n
            cyclic = any(t in inside for s in component for t in rows[s])
            if any(sum(k for t, k in rows[s].items() if t in inside) > 1 for s in component):
                exponential.append(frozenset(inside))
            weight = 1 if cyclic and self._grows(inside) else 0
            after = [best[comp_of[t]] for s in component for t in rows[s] if comp_of[t] != n]
            tail = max(after, key=lambda x: x[0], default=(0, []))
            best[n] = (weight + tail[0], ([n] if weight else []) + tail[1])
        reached = frozenset(nodes)
        if exponential:
            blamed = tuple(frozenset(s for s in c if s < len(self.auto.masks)) for c in exponential)
            return Pumped("exponential", blamed, False, reached)
        degree, chain = max(best.values(), key=lambda x: x[0])
        positions = len(self.auto.masks)
        blamed = tuple(frozenset(s for s in members[c] if s < positions) for c in chain)
        scan = any(self.scan in members[c] for c in chain)
        return Pumped(degree, tuple(b for b in blamed if b), scan, reached)

    def _grows(self, inside: set[int]) -> bool:
        """Whether the automaton's cycles through ``inside`` can go round without bound
        (large finite bounds like ``{1,100}`` cap the work per start)."""
        return any(self.comp[s] in self.unbounded for s in inside)

    def _cycles(self) -> None:
        """The automaton's cycles: ``loops`` (its strongly connected components that have
        an edge inside), ``comp`` (the index of each state's, -1 off every cycle) and
        ``unbounded`` (those a repeat without a large finite bound goes round)."""
        nodes = list(range(len(self.out)))
        self.comp = [-1] * len(nodes)
        self.loops: list[set[int]] = []
        self.unbounded: set[int] = set()
        bounded = self.auto.bounded
        for component in sccs(nodes, {s: [t for t, _, _ in self.out[s]] for s in nodes}):
            inside = set(component)
            edges = [o for s in component for t, _, o in self.out[s] if t in inside]
            if not edges:
                continue
            n = len(self.loops)
            for s in inside:
                self.comp[s] = n
            self.loops.append(inside)
            if self.scan in inside or any(o is not None and id(o) not in bounded for o in edges):
                self.unbounded.add(n)

    def tails(self, pumped: Pumped, w: Sequence[int]) -> list[list[int]]:
        """Suffixes to try after the pumps, most likely to make the text fail first: a
        few characters that leave no match attempt alive and end none (search's retry
        goes on past them, but later starts are the engine's to check), the end of the
        text, and the first followed by the shortest way the blamed part could have
        ended a match (so an engine that first looks for a required literal still runs)."""
        config = {s: 1 for s in pumped.reached if s != self.scan}
        before = 1 << w[-1]
        out: list[list[int]] = []
        killer = self._kill(config, before, 3)
        if killer is not None:
            out.append(killer)
        if not self.accepts(list(config), before, None):
            out.insert(1 if killer is not None and len(killer) == 1 else 0, [])
        if out and out[0] and pumped.blamed:
            ends = {s for s in range(len(self.finals)) if self.finals[s]}
            finish = self.path({s: before for s in pumped.blamed[-1]}, ends, None)
            if finish:
                out.append(out[0] + finish)
        return out

    def _kill(self, config: dict[int, int], before: int | None, depth: int) -> list[int] | None:
        """The shortest word (up to ``depth`` characters, the most readable) after which
        no state of ``config`` is alive, ending no match on the way."""
        taken = 0
        for s in config:
            for t, _, _ in self.out[s]:
                if t != self.scan:
                    taken |= self.masks[t]
        alive: list[tuple[int, dict[int, int]]] = []
        for ch in self.killer_reps:
            bit = 1 << ch
            if self.accepts(list(config), before, bit):
                continue
            if not bit & taken:
                return self._not_last_newline(config, before, ch)
            nxt = self.advance(config, before, ch)
            nxt.pop(self.scan, None)
            if not nxt:
                return self._not_last_newline(config, before, ch)
            if len(alive) < depth:
                alive.append((ch, nxt))
        if depth > 1:
            for ch, nxt in alive:
                rest = self._kill(nxt, 1 << ch, depth - 1)
                if rest is not None:
                    return [ch, *rest]
        return None


def _bits(mask: int) -> list[int]:
    """The indices of the bits set in ``mask``."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _order(alphabet: list[str], preferred: str) -> list[int]:
    """Alphabet indices, the ``preferred`` characters first."""
    where = {ch: i for i, ch in enumerate(alphabet)}
    first = [where[ch] for ch in preferred if ch in where]
    taken = set(first)
    rest = [i for i in range(len(alphabet)) if i not in taken]
    return first + rest
