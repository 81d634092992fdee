"""What a scanner hands the parser: the terminals of ``grammars/regex.lark`` and the values
it worked out for some of them.

Both flavours' scanners (``_lex_re`` for ``re``, ``_lex_regex`` for ``regex``) return a
``ScanResult``; ``_parse`` feeds its tokens to the LALR parser and reads the values while
folding the tree into AST nodes.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from lark import Token

from ._ast import Greed

if TYPE_CHECKING:
    from ._regex_fuzzy import Constraint

__all__ = ["CONTROL_ESCAPES", "ScanResult", "literal_char"]

CONTROL_ESCAPES = {"a": "\a", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


class ScanResult:
    """A scanner's output: the tokens, and what it learnt about some of them, keyed by the
    token's start offset (the parser reads values from here where the raw text alone does
    not settle them: group numbers, and in the regex flavour quantifier bounds, reference
    targets, names written with VERBOSE whitespace inside and fuzzy constraints)."""

    __slots__ = ("captures", "chars", "fuzzies", "quants", "targets", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.captures: dict[int, tuple[int, str | None]] = {}
        self.quants: dict[int, tuple[int, int | None, Greed]] = {}
        self.targets: dict[int, int | str] = {}
        self.chars: dict[int, str] = {}
        self.fuzzies: dict[int, Constraint] = {}


def literal_char(kind: str, raw: str) -> str:
    """The character a literal token stands for (``raw`` is exactly as written)."""
    if kind == "CHAR":
        return raw
    if kind == "ESCAPED":
        return raw[1]
    if kind == "CONTROL":
        return CONTROL_ESCAPES.get(raw[1], "\b")
    if kind in ("HEX", "UNICODE", "UNICODE_LONG"):
        return chr(int(raw[2:], 16))
    if kind == "NAMED_CHAR":
        return unicodedata.lookup(raw[3:-1])
    if kind == "OCTAL":
        return chr(int(raw[1:], 8))
    raise ValueError(f"not a literal token: {kind}")
