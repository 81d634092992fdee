"""What the readers produce: a file's documents, their values, and where each value was written.

A ``Path`` is an instance path: a tuple of mapping keys and sequence indices from the document's
root. Positions are 1-based lines and columns (columns count characters, as editors and CI
annotations do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["Document", "Lie", "Path", "Pos", "Source"]

Path = tuple[str | int, ...]


class Pos(NamedTuple):
    """A 1-based line and column (columns count characters); a tuple, as one is made for
    each node of every document (a frozen dataclass costs twice as much to build)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Lie:
    """A place where the value read differs from what the author probably meant."""

    path: Path
    pos: Pos
    kind: str  # duplicate-key, yaml11-bool, sexagesimal, octal, non-string-key
    message: str
    hint: str


@dataclass(slots=True)
class Document:
    """One document of a file: its value, and where each part of it was written.

    ``values[path]`` is the position of the value at ``path``; ``keys[path]`` the position of
    the key that leads to it (absent for sequence items and the root); ``numbers[path]`` the
    source text of a number (so the validator can say ``1.10`` was read as 1.1);
    ``bool_keys[path]`` the word of a key YAML 1.1 read as a boolean (``on:`` in a GitHub
    workflow, so the validator can say why `on` is missing)."""

    index: int
    value: Any
    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)
    numbers: dict[Path, str] = field(default_factory=dict)
    bool_keys: dict[Path, str] = field(default_factory=dict)
    lies: list[Lie] = field(default_factory=list)

    def value_pos(self, path: Path) -> Pos:
        """The position of the value at ``path``, or of its nearest ancestor that has one."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Pos(1, 1))

    def key_pos(self, path: Path) -> Pos:
        """The position of the key leading to ``path`` (its value's when it has no key)."""
        return self.keys.get(path) or self.value_pos(path)


@dataclass(frozen=True, slots=True)
class Source:
    """A file's name, its text and its documents."""

    name: str
    text: str
    documents: tuple[Document, ...]

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) of the text, without its newline; '' past the end."""
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else ""
