"""Near misses: one edit to an example that a part of the pattern rejects, and why.

Read off what wrote the example (``_example_writer``'s events): a character a leaf wrote is
swapped for one it does not accept ("the 4th character must be `-`"), a repeat loses an
iteration ("needs at least 3 digits") or gains one past its maximum, an anchor or word
boundary gets a character on its wrong side, a negative look-around gets what it forbids,
a backreference stops repeating its group, a literal goes missing. Candidates only: the
caller keeps those the engine rejects everywhere in the text. Kinds take turns, so the
first few near misses show different reasons.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import zip_longest
from typing import Final

from .._syntax._ast import (
    Anchor,
    Backref,
    Class,
    ClassEscape,
    Dot,
    Literal,
    Lookaround,
    Node,
    Pattern,
    Property,
    Repeat,
)
from ._example_chars import Leaves, is_word
from ._example_events import Assertion, Budget, Emitted, Generated, Iteration, Policy
from ._example_writer import generate

__all__ = ["mutations"]

Candidate = tuple[str, str, tuple[int, int]]  # text, why, span in the pattern

_ESCAPES: Final = {
    "d": ("a digit", "digits"),
    "D": ("a non-digit", "non-digits"),
    "w": ("a word character", "word characters"),
    "W": ("a non-word character", "non-word characters"),
    "s": ("a whitespace character", "whitespace characters"),
    "S": ("a non-whitespace character", "non-whitespace characters"),
}
_CLASSES: Final = {
    "[0-9]": ("a digit", "digits"),
    "[a-z]": ("a lowercase letter", "lowercase letters"),
    "[A-Z]": ("an uppercase letter", "uppercase letters"),
    "[a-zA-Z]": ("a letter", "letters"),
}
_NAMED: Final = {" ": "a space", "\n": "a newline", "\t": "a tab", "\r": "a carriage return"}
# What to put where a character was, by what it was: another kind of character first.
_INSTEAD: Final = {
    "digit": "xa-. ",
    "letter": "1-. ",
    "other": ".-x1 _/",
}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _quote(text: str) -> str:
    shown = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return f"`{shown}`"


def _char(ch: str) -> str:
    return _NAMED.get(ch) or _quote(ch)


def _nouns(node: Node, p: Pattern, leaves: Leaves) -> tuple[str, str] | None:
    """A leaf as "a digit" / "digits"; None for anything else."""
    text = node.span.slice(p.text)
    match node:
        case Literal(char=ch):
            one = _char(ch)
            if "i" in leaves.flags_of(node) and ch.lower() != ch.upper():
                one += " (in either case)"
            return one, f"{one} characters"
        case ClassEscape(letter=letter) if letter in _ESCAPES:
            return _ESCAPES[letter]
        case Class() if text in _CLASSES and "i" not in leaves.flags_of(node):
            return _CLASSES[text]
        case Class() | ClassEscape() | Property():
            return f"a character matching `{text}`", f"characters matching `{text}`"
        case Dot():
            if "s" in leaves.flags_of(node):
                return "a character", "characters"
            return "a character other than a newline", "characters other than newlines"
    return None


def _replacement(node: Node, old: str, leaves: Leaves) -> str | None:
    kind = "digit" if old.isdigit() else "letter" if old.isalpha() else "other"
    options = _INSTEAD[kind]
    if isinstance(node, Literal) and old.isalpha() and old.swapcase() != old:
        options = old.swapcase() + options  # a case-sensitive letter: the other case first
    for ch in options:
        if ch != old and not leaves.accepts(node, ch):
            return ch
    return None


def _span(node: Node) -> tuple[int, int]:
    return (node.span.start, node.span.end)


def _substitutions(g: Generated, p: Pattern, leaves: Leaves) -> Iterator[Candidate]:
    text = g.text
    emitted = [e for e in g.events if isinstance(e, Emitted) and not e.fuzzy]
    shared = {e.pos for e in emitted if e.look is not None}

    def rank(e: Emitted) -> int:
        """Punctuation first (the shape of the match), then what a look-around wants,
        then sets, then letters and digits written as such."""
        if isinstance(e.node, Literal) and not e.node.char.isalnum():
            return 0
        if e.look is not None:
            return 1
        return 3 if isinstance(e.node, Literal) else 2

    for e in sorted(emitted, key=rank):
        if isinstance(e.node, Backref) or len(e.text) != 1:
            continue
        if e.look is None and e.pos in shared:
            continue  # a look-ahead wrote this character too: blame that one
        nouns = _nouns(e.node, p, leaves)
        instead = _replacement(e.node, e.text, leaves)
        if nouns is None or instead is None:
            continue
        nth = _ordinal(e.pos + 1)
        changed = text[: e.pos] + instead + text[e.pos + 1 :]
        if e.look is None:
            yield changed, f"the {nth} character must be {nouns[0]}", _span(e.node)
        else:
            where = "look-ahead" if e.look.ahead else "look-behind"
            yield (
                changed,
                f"the {where} `{e.look.span.slice(p.text)}` needs {nouns[0]}",
                _span(e.look),
            )


def _visits(g: Generated) -> list[list[Iteration]]:
    found: dict[int, list[Iteration]] = {}
    for e in g.events:
        if isinstance(e, Iteration) and not e.fuzzy:
            found.setdefault(e.visit, []).append(e)
    return [marks for marks in found.values() if len(marks) == marks[0].times + 1]


def _repeat_why(node: Repeat, n: int, bound: str, p: Pattern, leaves: Leaves) -> str:
    """ "at least 3 digits", "exactly one digit", "`(?:ab)` at most 2 times"."""
    nouns = _nouns(node.item, p, leaves)
    if nouns is not None and n != 1:
        return f"{bound} {n} {nouns[1]}"
    if nouns is not None:
        one, _, rest = nouns[0].partition(" ")
        return f"{bound} one {rest}" if one in ("a", "an") else f"{bound} one {nouns[0]}"
    item = _quote(node.item.span.slice(p.text))
    return f"{item} {bound} {n} time{'s' * (n != 1)}"


def _fewer(g: Generated, p: Pattern, leaves: Leaves) -> Iterator[Candidate]:
    for marks in _visits(g):
        node = marks[0].node
        n = marks[0].times
        if n == 0 or n != node.min:
            continue
        cut_from, cut_to = marks[-2].pos, marks[-1].pos
        if cut_to <= cut_from:
            continue
        bound = "exactly" if node.max == node.min else "at least"
        why = f"needs {_repeat_why(node, n, bound, p, leaves)}"
        yield g.text[:cut_from] + g.text[cut_to:], why, _span(node)


def _more(g: Generated, p: Pattern, leaves: Leaves) -> Iterator[Candidate]:
    for marks in _visits(g):
        node = marks[0].node
        n = marks[0].times
        if node.max is None or n != node.max or n == 0:
            continue
        start, end = marks[-2].pos, marks[-1].pos
        if end <= start:
            continue
        why = f"allows {_repeat_why(node, n, 'at most', p, leaves)}"
        yield g.text[:end] + g.text[start:end] + g.text[end:], why, _span(node)


def _run(text: str, pos: int, forward: bool, ascii_only: bool) -> str:
    """The word (or non-word run) next to ``pos``, as far as 12 characters."""
    out = ""
    i = pos if forward else pos - 1
    while 0 <= i < len(text) and len(out) < 12:
        if is_word(text[i], ascii_only) != is_word(text[pos if forward else pos - 1], ascii_only):
            break
        out = out + text[i] if forward else text[i] + out
        i += 1 if forward else -1
    return out


def _anchors(g: Generated, p: Pattern, leaves: Leaves) -> Iterator[Candidate]:
    text = g.text
    start, end = g.span
    for e in g.events:
        if not isinstance(e, Assertion) or e.fuzzy or not isinstance(e.node, Anchor):
            continue
        node, pos = e.node, e.pos
        flags = leaves.flags_of(node)
        ascii_only = "a" in flags
        line = "a line" if "m" in flags else "the text"
        prev = text[pos - 1] if pos > 0 else None
        nxt = text[pos] if pos < len(text) else None
        match node.kind:
            case "line_start" | "text_start" if end > start:  # else `x` only adds a text
                where = line if node.kind == "line_start" else "the text"
                yield text[:pos] + "x" + text[pos:], f"must be at the start of {where}", _span(node)
            case "line_end" | "text_end":
                where = line if node.kind == "line_end" else "the text"
                yield text[:pos] + "x" + text[pos:], f"must be at the end of {where}", _span(node)
            case "word_boundary":
                # a word character on the side the match is not: \b is then tested between
                # two word characters (inside the match it would only change what follows)
                if pos >= end and pos > start and is_word(prev, ascii_only):
                    run = _quote(_run(text, pos, False, ascii_only))
                    why = f"a word boundary is required after {run}"
                    yield text[:pos] + "x" + text[pos:], why, _span(node)
                elif pos <= start and nxt is not None and is_word(nxt, ascii_only):
                    run = _quote(_run(text, pos, True, ascii_only))
                    why = f"a word boundary is required before {run}"
                    yield text[:pos] + "x" + text[pos:], why, _span(node)
            case "not_word_boundary":
                side = prev if prev is not None else nxt
                if side is None:
                    continue
                instead = " " if is_word(side, ascii_only) else "x"
                why = f"no word boundary is allowed here (the {_ordinal(pos + 1)} character)"
                yield text[:pos] + instead + text[pos:], why, _span(node)
            case _:
                continue


def _lookarounds(g: Generated, p: Pattern, leaves: Leaves) -> Iterator[Candidate]:
    for e in g.events:
        if not isinstance(e, Assertion) or e.fuzzy or not isinstance(e.node, Lookaround):
            continue
        look = e.node
        body = next((c.text for c in generate(p, leaves, Policy(), Budget(200), root=look.body)
                     if c.text), None)  # fmt: skip
        if body is None:
            continue
        where = "followed" if look.ahead else "preceded"
        why = f"must not be {where} by {_quote(body)}"
        yield g.text[: e.pos] + body + g.text[e.pos :], why, _span(look)


def _backrefs(g: Generated, p: Pattern) -> Iterator[Candidate]:
    for e in g.events:
        if not isinstance(e, Emitted) or not isinstance(e.node, Backref) or e.fuzzy:
            continue
        old = e.text[0]
        instead = "b" if old == "a" else "2" if old == "1" else "a" if old.isalpha() else "1"
        changed = g.text[: e.pos] + instead + g.text[e.pos + 1 :]
        target = e.node.target
        group = f"group {target}" if isinstance(target, int) else f"group `{target}`"
        why = f"must repeat the text of {group} ({_quote(e.text)})"
        yield changed, why, _span(e.node)


def _missing(g: Generated, p: Pattern, leaves: Leaves) -> Iterator[Candidate]:
    start = g.span[0]
    for e in g.events:
        if not isinstance(e, Emitted) or e.fuzzy or e.look is not None:
            continue
        if not isinstance(e.node, Literal):
            continue
        noun = _char(e.node.char)
        changed = g.text[: e.pos] + g.text[e.pos + 1 :]
        before = g.text[max(0, e.pos - 10) : e.pos]
        if e.pos == start or not before:
            why = f"must start with {noun}"
        else:
            why = f"needs {noun} after {_quote(before)}"
        yield changed, why, _span(e.node)


def mutations(p: Pattern, leaves: Leaves, made: Sequence[Generated]) -> Iterator[Candidate]:
    """Near-miss candidates from the examples ``made`` (shortest first), kinds in turn;
    texts that would be empty come last."""
    kinds: list[Iterator[Candidate]] = []
    for g in made:
        kinds += [
            _substitutions(g, p, leaves),
            _fewer(g, p, leaves),
            _anchors(g, p, leaves),
            _lookarounds(g, p, leaves),
            _backrefs(g, p),
            _missing(g, p, leaves),
            _more(g, p, leaves),
        ]
    empty: list[Candidate] = []
    for row in zip_longest(*kinds):
        for candidate in row:
            if candidate is None:
                continue
            if candidate[0]:
                yield candidate
            else:
                empty.append(candidate)
    yield from empty
