"""Strings a pattern should match, written from its AST (candidates: ``_examples`` checks
each on the engine before anyone sees it).

A backtracking *writer*: where a matcher reads text against the pattern, this writes text
for it, left to right, with an explicit stack of choices (which branch, how many
repetitions, which character), so any nesting depth is fine and the work is bounded by a
step budget. A ``Policy`` orders the choices: the first candidate takes repeats at their
minimum and the first branch; later ones take more repetitions and other branches.
Characters are readable (``_example_chars``): letters and digits cycle, so that
``\\d{3}-\\d{4}`` gives ``123-4567`` and ``\\w+@\\w+`` gives ``abc@def``.

Context is handled as it is written: a backreference copies its group's text; ``\\b``,
``\\B`` and ``$`` (MULTILINE) constrain the next character; ``$``/``\\Z`` end the text; a
look-ahead writes its body and rewinds, leaving those characters *forced* for what follows
(or as text after the match); a look-behind is tested against the text so far, or, at the
start of the match, written as context before it. Each candidate records ``events`` (which
node wrote which character, repeat boundaries, assertions) for ``_near_misses``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final, NamedTuple
from typing import Literal as L

from .._syntax._ast import (
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
    Trivia,
    Verb,
    walk,
)
from ._engine import compile_text
from ._example_chars import Leaves, fits, is_word
from ._example_events import (
    Assertion,
    Budget,
    Emitted,
    Event,
    Generated,
    Iteration,
    Policy,
)

__all__ = ["MAX_TEXT", "generate"]

MAX_TEXT: Final = 2000  # longest candidate written
_MAX_DEPTH: Final = 3  # recursion (?R) unfolded at most this deep


# --- the writer ----------------------------------------------------------------------------


class _Cons(NamedTuple):
    head: Any
    tail: _Cons | None


class _Branch(NamedTuple):
    node: Alternation
    k: int


class _Count(NamedTuple):
    node: Repeat
    k: int


class _Mark(NamedTuple):
    visit: int
    node: Repeat
    nth: int
    times: int


class _CaptureEnd(NamedTuple):
    node: Capture
    begin: int


class _LookEnd(NamedTuple):
    begin: int
    outer: Lookaround | None


class _Restore(NamedTuple):
    """Leave a fuzzy group or a recursion."""

    fuzzy: int
    depth: int


_Need = tuple[int, L["word", "nonword", "nl"], bool]  # position, what, ASCII-only


class _State(NamedTuple):
    """Where the writer is: immutable, so a choice point keeps its state for free (a
    named tuple: ``_replace`` is several times cheaper than ``dataclasses.replace``)."""

    todo: _Cons | None
    text: str = ""
    start: int = 0
    ahead: str = ""  # characters forced by a look-ahead, not yet written
    end_at: int | None = None  # the text must end here ($, \Z)
    needs: tuple[_Need, ...] = ()  # constraints on characters not yet known
    groups: tuple[tuple[int, str | None, str], ...] = ()  # (index, name, text), latest first
    letters: int = 0
    digits: int = 0
    events: _Cons | None = None
    serial: int = 0
    depth: int = 0
    fuzzy: int = 0
    look: Lookaround | None = None


def _push(todo: _Cons | None, *items: Any) -> _Cons | None:
    for item in reversed(items):
        todo = _Cons(item, todo)
    return todo


def _log(s: _State, event: Event) -> _Cons:
    return _Cons(event, s.events)


def _counts(node: Repeat, policy: Policy) -> tuple[int, ...]:
    lo, hi = node.min, node.max
    top = lo + 3 if hi is None else min(hi, lo + 3)
    step = 1 if hi is not None and hi - lo <= 2 else 2
    target = lo + policy.more * step
    if hi is not None:
        target = min(target, hi)
    rest = tuple(c for c in range(lo, top + 1) if c != target)
    return (target, *rest)


class _Writer:
    def __init__(self, p: Pattern, leaves: Leaves, policy: Policy) -> None:
        self.p = p
        self.leaves = leaves
        self.policy = policy
        self._bodies: dict[int | str, Node] | None = None
        self._behind: dict[int, Any] = {}
        # look-arounds and conditionals: two tries per character
        self.rich = any(x in p.text for x in ("(?=", "(?!", "(?<", "(?("))

    # --- helpers -------------------------------------------------------------------------

    def body_of(self, target: int | str) -> Node | None:
        if target == 0:
            return self.p.body
        if self._bodies is None:
            self._bodies = {}
            for n in walk(self.p):
                if isinstance(n, Capture):
                    self._bodies.setdefault(n.index, n.body)
                    if n.name is not None:
                        self._bodies.setdefault(n.name, n.body)
        return self._bodies.get(target)

    def put(self, s: _State, chars: str, node: Node | None) -> _State | None:
        """``s`` with ``chars`` written next (checked against forced characters, the
        constraints on what comes next and the end of the text); None if they clash."""
        pos = len(s.text)
        k = min(len(s.ahead), len(chars))
        if chars[:k] != s.ahead[:k]:
            return None
        if pos + len(chars) > MAX_TEXT or (s.end_at is not None and pos + len(chars) > s.end_at):
            return None
        needs = []
        for at, what, ascii_only in s.needs:
            if pos <= at < pos + len(chars):
                if not fits(chars[at - pos], what, ascii_only):
                    return None
            else:
                needs.append((at, what, ascii_only))
        events = s.events
        if node is not None:
            events = _Cons(Emitted(pos, chars, node, s.look, s.fuzzy > 0), events)
        return s._replace(text=s.text + chars, ahead=s.ahead[k:], needs=tuple(needs), events=events)

    def need(self, s: _State, what: L["word", "nonword", "nl"], ascii_only: bool) -> _State | None:
        """``s`` with the next character constrained (checked now when already forced)."""
        at = len(s.text)
        if s.ahead:
            return s if fits(s.ahead[0], what, ascii_only) else None
        return s._replace(needs=(*s.needs, (at, what, ascii_only)))

    def finish(self, s: _State) -> Generated | None:
        text = s.text + s.ahead
        if s.end_at is not None and len(text) != s.end_at:
            return None
        wanted = {what for at, what, _ in s.needs if at == len(text)}
        if "word" in wanted:
            if len(wanted) > 1 or s.end_at is not None:
                return None
            text += "a"
        events: list[Event] = []
        cell = s.events
        while cell is not None:
            events.append(cell.head)
            cell = cell.tail
        return Generated(text, (s.start, len(s.text)), tuple(reversed(events)))

    # --- the search ----------------------------------------------------------------------

    def run(
        self, root: Node, budget: Budget, look: Lookaround | None = None
    ) -> Iterator[Generated]:
        """Candidates in the policy's order, until ``budget`` steps are spent."""
        shift = self.policy.shift
        stack = [_State(_Cons(root, None), letters=shift, digits=shift, look=look)]
        while stack and budget.left > 0:
            budget.left -= 1
            s = stack.pop()
            if s.todo is None:
                done = self.finish(s)
                if done is not None:
                    yield done
                continue
            nexts = self.step(s.todo.head, s._replace(todo=s.todo.tail))
            stack.extend(reversed(nexts))

    def step(self, action: Any, s: _State) -> list[_State]:
        match action:
            case _Branch(node=node, k=k):
                branches = node.branches
                if k >= len(branches):
                    return []
                pick = branches[(self.policy.branch + k) % len(branches)]
                later = s._replace(todo=_Cons(_Branch(node, k + 1), s.todo))
                return [s._replace(todo=_Cons(pick, s.todo)), later]
            case _Count(node=node, k=k):
                counts = _counts(node, self.policy)
                if k >= len(counts) or counts[k] > MAX_TEXT:
                    return []
                n, visit = counts[k], s.serial
                items: list[Any] = []
                for i in range(n):
                    items += [_Mark(visit, node, i, n), node.item]
                todo = _push(s.todo, *items, _Mark(visit, node, n, n))
                later = s._replace(todo=_Cons(_Count(node, k + 1), s.todo))
                return [s._replace(todo=todo, serial=visit + 1), later]
            case _Mark(visit=visit, node=node, nth=nth, times=times):
                event = Iteration(visit, node, nth, times, len(s.text), s.fuzzy > 0)
                return [s._replace(events=_log(s, event))]
            case _CaptureEnd(node=node, begin=begin):
                got = (node.index, node.name, s.text[begin:])
                return [s._replace(groups=(got, *s.groups))]
            case _LookEnd(begin=begin, outer=outer):
                written = s.text[begin:]
                return [s._replace(text=s.text[:begin], ahead=written + s.ahead, look=outer)]
            case _Restore(fuzzy=fuzzy, depth=depth):
                return [s._replace(fuzzy=fuzzy, depth=depth)]
            case _:
                return self.node(action, s)

    def node(self, n: Node, s: _State) -> list[_State]:
        match n:
            case Literal() | Dot() | ClassEscape() | Class() | Property() | PosixClass():
                return self.leaf(n, s)
            case ClassRange() | ClassSetOp():
                return self.leaf(n, s)
            case Empty() | Comment() | Trivia() | InlineFlags():
                return [s]
            case Verb(name=name):
                return [] if name in ("FAIL", "F") else [s]
            case NamedList():
                return []
            case Anchor():
                return self.anchor(n, s)
            case Backref(target=target):
                found = next((t for i, name, t in s.groups if target in (i, name)), None)
                if found is None:
                    return []
                done = self.put(s, found, n) if found else s
                return [] if done is None else [done]
            case Recursion(target=target):
                body = self.body_of(target)
                if body is None or s.depth >= _MAX_DEPTH:
                    return []
                todo = _push(s.todo, body, _Restore(s.fuzzy, s.depth))
                return [s._replace(todo=todo, depth=s.depth + 1)]
            case Repeat():
                return [s._replace(todo=_Cons(_Count(n, 0), s.todo))]
            case Fuzzy(item=item):
                todo = _push(s.todo, item, _Restore(s.fuzzy, s.depth))
                return [s._replace(todo=todo, fuzzy=s.fuzzy + 1)]
            case Concat(items=items):
                return [s._replace(todo=_push(s.todo, *items))]
            case Alternation():
                return [s._replace(todo=_Cons(_Branch(n, 0), s.todo))]
            case Capture(body=body):
                todo = _push(s.todo, body, _CaptureEnd(n, len(s.text)))
                return [s._replace(todo=todo)]
            case NonCapture(body=body) | Atomic(body=body) | BranchReset(body=body):
                return [s._replace(todo=_Cons(body, s.todo))]
            case Lookaround():
                return self.lookaround(n, s)
            case Conditional():
                return self.conditional(n, s)
            case Pattern(body=body):
                return [s._replace(todo=_Cons(body, s.todo))]
        raise AssertionError(f"not a node: {n!r}")

    def conditional(self, n: Conditional, s: _State) -> list[_State]:
        cond = n.condition
        no = [s._replace(todo=_Cons(n.no, s.todo))] if n.no is not None else [s]
        if isinstance(cond, Lookaround):
            yes = s._replace(todo=_push(s.todo, cond, n.yes))
            return [yes, *no]
        if cond == "DEFINE":
            return [s]
        if any(cond in (i, name) for i, name, _ in s.groups):
            return [s._replace(todo=_Cons(n.yes, s.todo))]
        return no

    def leaf(self, n: Node, s: _State) -> list[_State]:
        if s.ahead:
            ch = s.ahead[0]
            if not self.leaves.accepts(n, ch):
                return []
            done = self.put(s, ch, n)
            return [] if done is None else [done]
        options = self.leaves.choices(n)
        pos = len(s.text)
        wanted = [(what, a) for at, what, a in s.needs if at == pos]
        if wanted:
            options = tuple(c for c in options if all(fits(c, w, a) for w, a in wanted))
        if not options:
            return []
        letters, digits, word, other = self.leaves.kinds(n, options)
        counter = ""
        if len(letters) > 1:
            first, counter = letters[s.letters % len(letters)], "letters"
        elif len(digits) > 1:
            first, counter = digits[s.digits % len(digits)], "digits"
        else:
            first = options[0]
        ordered = [first]
        if self.rich:  # a second try, of the other kind, for what only the engine sees
            second = other if is_word(first, False) else word
            if second is None:
                second = next((c for c in options[:2] if c != first), None)
            if second is not None:
                ordered.append(second)
        out = []
        for c in ordered:
            done = self.put(s, c, n)
            if done is not None:
                if counter == "letters":
                    done = done._replace(letters=done.letters + 1)
                elif counter == "digits":
                    done = done._replace(digits=done.digits + 1)
                out.append(done)
        return out

    def anchor(self, n: Anchor, s: _State) -> list[_State]:
        flags = self.leaves.flags_of(n)
        ascii_only = "a" in flags
        pos = len(s.text)
        prev = s.text[-1] if s.text else None
        before = s
        s = s._replace(events=_log(s, Assertion(pos, n, s.fuzzy > 0)))
        done: _State | None = s
        extend: list[str] = []
        match n.kind:
            case "line_start":
                if not (pos == 0 or ("m" in flags and prev == "\n")):
                    done = None
                    extend = ["\n"] if "m" in flags else []
            case "text_start" | "search_start":
                done = s if pos == 0 else None
            case "line_end" if "m" in flags:
                done = self.need(s, "nl", ascii_only)
            case "line_end" | "text_end":
                final = pos + 1 if s.ahead == "\n" and n.kind == "line_end" else pos
                ok = s.end_at in (None, final) and (not s.ahead or final == pos + 1)
                done = s._replace(end_at=final) if ok else None
            case "word_boundary":
                word = is_word(prev, ascii_only)
                done = self.need(s, "nonword" if word else "word", ascii_only)
                extend = ["a"]
            case "not_word_boundary":
                word = is_word(prev, ascii_only)
                done = self.need(s, "word" if word else "nonword", ascii_only)
                extend = ["a", " "]
            case "word_start":
                word = is_word(prev, ascii_only)
                done = None if word else self.need(s, "word", ascii_only)
                extend = [" "]
            case "word_end":
                word = is_word(prev, ascii_only)
                done = self.need(s, "nonword", ascii_only) if word else None
                extend = ["a"]
            case "keep_out":
                done = s._replace(start=pos)
        out = [done] if done is not None else []
        if pos == s.start and pos < 2 and s.end_at is None and not s.ahead:
            for ch in extend:  # context before the match: a line break, a word, a space
                moved = self.put(before, ch, None)
                if moved is not None:
                    out.append(moved._replace(start=pos + 1, todo=_Cons(n, s.todo)))
        return out

    def lookaround(self, n: Lookaround, s: _State) -> list[_State]:
        pos = len(s.text)
        if n.ahead and not n.negated:
            todo = _push(s.todo, n.body, _LookEnd(pos, s.look))
            return [s._replace(todo=todo, look=n)]
        if n.negated:
            s = s._replace(events=_log(s, Assertion(pos, n, s.fuzzy > 0)))
            if n.ahead:
                return [s]
        key = id(n)
        if key not in self._behind:
            text = n.span.slice(self.p.text)
            self._behind[key] = compile_text(text, self.p.flavor, self.leaves.flags_of(n))
        check = self._behind[key]
        try:
            holds = None if check is None else check.match(s.text, pos) is not None
        except (MemoryError, RecursionError):  # regex: (?R) in a look-behind exhausts it
            return []  # no example down this path
        out = [s] if holds is not False else []
        if n.negated or holds or pos != s.start or s.ahead:
            return out
        # a positive look-behind at the start of the match: write its text before it
        sub = _Writer(self.p, self.leaves, self.policy)
        sub._bodies = self._bodies
        seen = set()
        for got in sub.run(n.body, Budget(200), n):
            if got.text in seen or not got.text:
                continue
            seen.add(got.text)
            moved = self.put(s, got.text, None)
            if moved is None:
                continue
            events = moved.events
            for e in got.events:
                events = _Cons(e._replace(pos=e.pos + pos), events)
            out.append(moved._replace(start=len(moved.text), events=events))
            if len(seen) >= 3:
                break
        return out


def generate(
    p: Pattern, leaves: Leaves, policy: Policy, budget: Budget, *, root: Node | None = None
) -> Iterator[Generated]:
    """Candidate matches of ``p`` (or of its part ``root``) in ``policy``'s order, while
    ``budget`` lasts (each step of the writer spends one)."""
    return _Writer(p, leaves, policy).run(p.body if root is None else root, budget)
