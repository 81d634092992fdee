"""Running one of the format grammars (``grammars/<family>.lark``, LALR, cached tables) and
translating Lark's exceptions, once, into a ``LineError`` with a 1-based column."""

from __future__ import annotations

import lark

from .._grammar import load_grammar
from ._records import LineError

__all__ = ["GRAMMAR_LIMIT", "check_length", "parse_with"]

#: Text longer than this is not given to a Lark grammar (the regex and JSON paths still run):
#: a parse tree of a 10 MB line would cost far more memory and time than the line is worth.
GRAMMAR_LIMIT = 1 << 20


def check_length(text: str, offset: int = 0) -> None:
    """Raise ``LineError`` when ``text`` is too long for the grammars."""
    if len(text) > GRAMMAR_LIMIT:
        raise LineError(
            f"too long for the grammar ({len(text):,} characters; the limit is {GRAMMAR_LIMIT:,})",
            offset + 1,
        )


def parse_with(name: str, text: str, what: str, *, offset: int = 0) -> lark.Tree[lark.Token]:
    """The tree of ``text`` under ``grammars/<name>.lark``; raises ``LineError("<what>: ...")``
    pointing at the first character the grammar could not take (``offset`` added)."""
    check_length(text, offset)
    try:
        return load_grammar(name, parser="lalr").parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        if isinstance(exc, lark.exceptions.UnexpectedEOF) or (
            isinstance(exc, lark.exceptions.UnexpectedToken) and exc.token.type == "$END"
        ):
            raise LineError(f"{what}: the line ends too early", offset + len(text) + 1) from None
        pos = getattr(exc, "pos_in_stream", None)
        pos = len(text) if pos is None else pos
        if isinstance(exc, lark.exceptions.UnexpectedToken):
            found = repr(str(exc.token)[:20])
        else:
            found = repr(text[pos]) if pos < len(text) else "the end"
        raise LineError(f"{what}: unexpected {found}", offset + pos + 1) from None
