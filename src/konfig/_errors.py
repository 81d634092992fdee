"""Errors konfig reports as ``konfig: error: <message>`` with exit status 2.

Bad input that stops konfig from judging a file at all (a missing file, an invalid schema, an
unresolvable ``$ref``) is a ``KonfigError``; the message is a lowercase fragment. ``LoadError``
carries a place in a source file so the shell can print the line and a caret under it.
"""

from __future__ import annotations

__all__ = ["KonfigError", "LoadError"]


class KonfigError(Exception):
    """Any error konfig reports as ``konfig: error: <message>`` with exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LoadError(KonfigError):
    """A file that cannot be read as YAML, JSON or TOML (or a schema that is not valid),
    at ``line``:``column`` (1-based; 0 when the parser gave no place) of ``file``."""

    def __init__(self, message: str, *, file: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
