"""Pattern text -> tokens -> grammar -> a lossless, typed, validated AST, and back to text.

The first stage of rxp's pipeline and the bottom of its layers: ``_parse.parse`` runs a
flavour's scanner (``_lex_re`` over ``_re_source``, ``_lex_regex`` over ``_regex_source``),
the LALR grammar (``grammars/regex.lark``) and the fold into ``_ast`` nodes, then the checks
(``_check``, ``_check_regex``) that make it accept exactly what ``re``/``regex`` accept, with
the facts those checks need (``_flags``, ``_width``). ``_unparse`` prints a tree back.
Imports only ``rxp._errors``, ``rxp._grammar`` and ``rxp._trampoline`` from outside.
"""

import sys as _sys

if "lark" not in _sys.modules and "regex" not in _sys.modules:
    # lark probes for the regex package when first imported, for an option rxp never uses
    # (~6 ms of a start): hide it for that one import, so ``import regex`` elsewhere works
    _sys.modules["regex"] = None  # type: ignore[assignment]
    try:
        import lark  # noqa: F401
    finally:
        del _sys.modules["regex"]
