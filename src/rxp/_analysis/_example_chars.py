"""The characters a leaf of a pattern accepts, most readable first, for the example writer.

A leaf (a literal, ``.``, ``\\d``, a set, ``\\p{..}``) is compiled alone on the pattern's
engine with the flags in effect at it, and searched over a pool that starts with lowercase
letters, digits (``1234567890``, so cycling through them writes ``123-4567``), capitals, a
space and punctuation, then a few letters of other scripts; a leaf that accepts none of
those gets the first code point it accepts (plane by plane). The engine decides
membership, so case folding, Unicode classes and set operations mean what they mean there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .._syntax._ast import ClassRange, ClassSetOp, Literal, Node, Pattern, PosixClass
from ._engine import compile_text

__all__ = ["DIGITS", "LOWER", "READABLE", "Leaves", "fits", "is_word"]

LOWER = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "1234567890"
READABLE: Final = (
    LOWER
    + DIGITS
    + "ABCDEFGHIJKLMNOPQRSTUVWXYZ -_.,:;/@#=+*!?'\"()[]{}<>|\\$%&^~`\t\n\r\x0b\x0c"
    + "éèñçüßøåαβγδλπжяшאבا١٢٣०१中日本한"
    + "\xa0\u2028\u3000\U0001f600"
)
_planes: dict[int, str] = {}


def _plane(n: int) -> str:
    """Unicode plane ``n`` (0-16) as one string, surrogates and ASCII left out, built when
    first needed: where a leaf looks when no readable character will do."""
    found = _planes.get(n)
    if found is None:
        points = range(max(0x80, n << 16), (n + 1) << 16)
        found = _planes[n] = "".join(chr(c) for c in points if not 0xD800 <= c < 0xE000)
    return found


def is_word(ch: str | None, ascii_only: bool) -> bool:
    return ch is not None and (ch.isalnum() or ch == "_") and (ch.isascii() or not ascii_only)


def fits(ch: str, what: str, ascii_only: bool) -> bool:
    """Whether ``ch`` meets a constraint on the next character."""
    return is_word(ch, ascii_only) == (what == "word") and (what != "nl" or ch == "\n")


_Kinds = tuple[tuple[str, ...], tuple[str, ...], str | None, str | None]


class Leaves:
    """Per leaf: the readable characters it accepts, and a membership test, from the leaf
    compiled alone on the engine with the flags in effect at it (cached by identity)."""

    def __init__(self, p: Pattern, flags: Mapping[Node, str] | str) -> None:
        self.p = p
        self.flags = flags
        self._choices: dict[int, tuple[str, ...]] = {}
        self._matchers: dict[int, Any] = {}
        self._kinds: dict[tuple[int, int], tuple[tuple[str, ...], _Kinds]] = {}

    def flags_of(self, node: Node) -> str:
        return self.flags if isinstance(self.flags, str) else self.flags.get(node, "")

    def matcher(self, node: Node) -> Any:
        key = id(node)
        if key not in self._matchers:
            text = node.span.slice(self.p.text)
            if isinstance(node, ClassRange | ClassSetOp | PosixClass):
                text = f"[{text}]"
            found = compile_text(text, self.p.flavor, self.flags_of(node), keep_reverse=False)
            self._matchers[key] = found
        return self._matchers[key]

    def accepts(self, node: Node, ch: str) -> bool:
        """Whether the leaf ``node`` matches exactly ``ch``."""
        if isinstance(node, Literal) and (ch == node.char or "i" not in self.flags_of(node)):
            return ch == node.char
        found = self.matcher(node)
        return found is not None and found.fullmatch(ch) is not None

    def kinds(self, node: Node, options: tuple[str, ...]) -> _Kinds:
        """Of ``options`` (``choices(node)``, perhaps filtered): the ASCII lowercase letters
        and digits (to cycle through), the first word and the first non-word character."""
        key = (id(node), len(options))
        found = self._kinds.get(key)
        if found is None or found[0] is not options:
            letters = tuple(c for c in options[:40] if c in LOWER)
            digits = tuple(c for c in options[:40] if c in DIGITS)
            word = next((c for c in options if is_word(c, False)), None)
            other = next((c for c in options if not is_word(c, False)), None)
            found = (options, (letters, digits, word, other))
            if len(self._kinds) < 4096:
                self._kinds[key] = found
        return found[1]

    def choices(self, node: Node) -> tuple[str, ...]:
        """What the leaf accepts, most readable first; empty when nothing."""
        key = id(node)
        found = self._choices.get(key)
        if found is None:
            found = self._choices[key] = self._compute(node)
        return found

    def _compute(self, node: Node) -> tuple[str, ...]:
        if isinstance(node, Literal):
            return (node.char,)
        matcher = self.matcher(node)
        if matcher is None:
            return ()
        seen = dict.fromkeys(m for m in matcher.findall(READABLE) if m)
        if seen:
            return tuple(seen)
        for plane in range(17):
            hit = matcher.search(_plane(plane))
            if hit is not None and hit.group():
                return (hit.group(),)
        return ()
