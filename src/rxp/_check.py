"""Semantic checks after parsing (placeholder: the checks helper replaces this module).

``check(pattern)`` raises ``PatternError`` exactly where ``re.compile`` (or ``regex.compile``
for the regex flavour) would reject a syntactically well-formed pattern.
"""

from __future__ import annotations

from ._ast import Pattern


def check(pattern: Pattern) -> None:
    """Raise ``PatternError`` if ``pattern`` is semantically invalid for its flavour."""
    del pattern
