"""The automaton as a backtracking engine runs it, for the pumping analysis (``_pumping``).

On a text it does not match, a backtracking engine walks every path the automaton has
through the text, and under search semantics does so again from every start offset. The
``Machine`` is the position automaton of ``_automaton`` plus a ``start`` state before the
text and, under search semantics, a ``scan`` state that reads any character and loops (the
retry at every offset, like a leading ``(?s:.)*?``). It reads words (paths counted up to
two), finds shortest words between states, and knows the automaton's cycles. Guards
(anchors, ``\\b``, one-character look-arounds) are evaluated on character classes: the
alphabet split so that every guard is constant on each class. Every step is charged to a
budget; past it, ``TooBig``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Literal as L
from typing import TypeAlias, TypeVar

from ._automaton import Automaton, Edge, Guard, TooBig, conj, holds

__all__ = ["Machine", "Semantics", "sccs"]

Semantics: TypeAlias = L["search", "match", "fullmatch"]
_N = TypeVar("_N", bound=Hashable)
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
                        parent[nxt] = (node, self.nice(self.masks[t] & self.class_of(bit)))
                        todo.append(nxt)
        return None

    def class_of(self, bit: int) -> int:
        for c in self.classes:
            if c & bit:
                return c
        return 0

    def prefix(self, targets: set[int]) -> list[int] | None:
        """The shortest word from the start of the text to a state in ``targets``."""
        return self.path({self.start: None}, targets, None)

    def grows(self, inside: set[int]) -> bool:
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
