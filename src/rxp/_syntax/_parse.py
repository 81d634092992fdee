"""Pattern text -> lossless, typed AST (``_ast``), for the ``re`` and ``regex`` flavours.

``parse`` runs three steps: the flavour's scanner turns the text into the terminals of
``grammars/regex.lark`` (raising ``PatternError`` at the position Python's ``re`` reports for
the same mistake), the grammar's LALR parser (tables cached by ``rxp._grammar``) builds the
structure, and a loop with an explicit stack folds Lark's tree into AST nodes, so that no
input, however deeply nested, reaches Python's recursion limit. The tree then goes through
``_check.check`` for the semantic checks re makes after parsing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any, Final

from lark import Token
from lark.lexer import Lexer

from .._errors import RxpError
from .._grammar import load_grammar
from . import _ast as A
from ._fold import fold

__all__ = ["Flavor", "normalize_flags", "parse"]

Flavor = A.Flavor

_RE_BITS: Final = {"i": 2, "L": 4, "m": 8, "s": 16, "u": 32, "x": 64, "a": 256}
_REGEX_BITS: Final = {
    "i": 2,
    "L": 4,
    "m": 8,
    "s": 16,
    "u": 32,
    "x": 64,
    "a": 128,
    "V1": 256,
    "d": 512,
    "r": 1024,
    "w": 2048,
    "b": 4096,
    "V0": 8192,
    "f": 16384,
    "e": 32768,
    "p": 65536,
}
_ORDER: Final = "abdefiLmprsuwx"


class _TokenFeed(Lexer):
    """Lark's lexer slot: the scanner has already produced the tokens, this hands them on."""

    def __init__(self, lexer_conf: Any) -> None:
        del lexer_conf

    def lex(self, data: Any, *_: Any) -> Iterator[Token]:
        tokens: list[Token] = data
        return iter(tokens)


def _parser() -> Any:
    return load_grammar("regex", parser="lalr", lexer=_TokenFeed)


def normalize_flags(flags: str | int, flavor: Flavor) -> str:
    """The caller's flags as letters in a fixed order (``V0``/``V1`` last): from letters
    like ``"imx"`` / ``"V1i"`` or from an int of ``re``/``regex`` flag bits."""
    bits = _REGEX_BITS if flavor == "regex" else _RE_BITS
    letters: set[str] = set()
    if isinstance(flags, int):
        rest = flags
        for letter, bit in bits.items():
            if rest & bit:
                letters.add(letter)
                rest &= ~bit
        if rest:
            raise RxpError(f"unknown flag bits {rest:#x} for the {flavor} flavour")
    else:
        text = flags
        while text:
            if text[:2] in ("V0", "V1") and flavor == "regex":
                letters.add(text[:2])
                text = text[2:]
                continue
            if text[0] not in bits:
                raise RxpError(f"unknown flag {text[0]!r} for the {flavor} flavour")
            letters.add(text[0])
            text = text[1:]
    ordered = "".join(c for c in _ORDER if c in letters)
    return ordered + "".join(v for v in ("V0", "V1") if v in letters)


def parse(
    pattern: str,
    *,
    flavor: Flavor = "re",
    flags: str | int = 0,
    named_lists: Collection[str] = (),
) -> A.Pattern:
    """Parse ``pattern`` into its AST.

    ``flags`` are letters (``"imsx"``; in the regex flavour also ``"V0"``/``"V1"``) or an int
    of ``re``/``regex`` flag bits; VERBOSE changes how the text is tokenised, VERSION1 enables
    set operations. ``named_lists`` (regex flavour) are the names of the lists the pattern
    would be compiled with (``regex.compile(p, names=[...])``); like ``regex``, a
    ``\\L<name>`` naming no supplied list is an error. Raises ``PatternError`` (message,
    pattern, span) where the engine would reject the pattern; ``span[0]`` agrees with
    ``re.error.pos`` (``regex.error.pos``) wherever the engine reports one.
    """
    from ._check import check

    letters = normalize_flags(flags, flavor)
    if flavor == "regex":
        from ._lex_regex import scan_regex

        scanned = scan_regex(pattern, flags=letters, named_lists=frozenset(named_lists))
    else:
        from ._lex_re import scan

        scanned = scan(pattern, verbose="x" in letters)
    parser = _parser()
    tree = parser.parse(scanned.tokens)
    body = fold(tree, pattern, scanned, parser.parse)
    root = A.Pattern(
        span=A.Span(0, len(pattern)), text=pattern, flavor=flavor, flags=letters, body=body
    )
    check(root)
    return root
