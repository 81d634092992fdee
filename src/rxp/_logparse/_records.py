"""The record shape every parser returns, and the reserved keys.

A record is a JSON object (``dict[str, JSONValue]``). Extracted fields sit at the top level;
nested values are nested objects and arrays. Reserved keys start with ``_`` and are always
lower case:

- ``_line``: the 1-based line where the record starts;
- ``_format``: which parser produced it (``"logfmt"``, ``"journal+json"``, ``"pattern"``, ...);
- ``_error``: present only when the record could not be parsed completely: plain words and
  the 1-based column;
- ``_raw``: the original text, present exactly when ``_error`` is.

An extracted key that collides with a reserved key gets one more leading underscore
(``_line`` from the log becomes ``__line``), so nothing is silently overwritten.
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = [
    "RESERVED",
    "Fields",
    "JSONValue",
    "LineError",
    "Record",
    "merge_fields",
    "safe_key",
]

JSONValue: TypeAlias = bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"] | None
Record: TypeAlias = dict[str, JSONValue]

RESERVED = frozenset({"_line", "_format", "_error", "_raw"})


class LineError(Exception):
    """A line that one parser could not read completely.

    ``column`` is 1-based; ``fields`` holds what was recovered before the failure, so the
    caller can still return it alongside ``_error`` and ``_raw``.
    """

    def __init__(self, message: str, column: int, fields: Record | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.fields: Record = fields if fields is not None else {}
        self.format: str | None = None  # which parser failed, when the caller picked one

    def describe(self) -> str:
        return f"{self.message} at column {self.column}"


def safe_key(key: str) -> str:
    """``key`` itself, or with extra leading underscores while it names a reserved key."""
    while key in RESERVED:
        key = "_" + key
    return key


class Fields:
    """Builds a record's fields in input order; a repeated key turns its value into an
    array of every value given for it (as Vector's ``parse_key_value`` and ``parse_logfmt``)."""

    __slots__ = ("_repeated", "data")

    def __init__(self) -> None:
        self.data: Record = {}
        self._repeated: set[str] = set()

    def add(self, key: str, value: JSONValue) -> None:
        if key in RESERVED:
            key = safe_key(key)
        data = self.data
        if key not in data:
            data[key] = value
            return
        old = data[key]
        if key in self._repeated and isinstance(old, list):
            old.append(value)
        else:
            data[key] = [old, value]
            self._repeated.add(key)


def merge_fields(into: Record, extra: Record) -> None:
    """Add ``extra``'s fields to ``into``; keys ``into`` already has are kept as they are and
    the newcomer is stored as ``message.<key>``, so nothing is lost."""
    for key, value in extra.items():
        if key in into:
            key = f"message.{key}"
        if key in RESERVED:
            key = safe_key(key)
        into[key] = value
