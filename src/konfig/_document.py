"""What the readers produce: a file's documents, their values, and where each value was written.

A ``Path`` is an instance path: a tuple of mapping keys and sequence indices from the document's
root. Positions are 1-based lines and columns (columns count characters, as editors and CI
annotations do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "MAX_DEPTH",
    "TOO_DEEP",
    "Document",
    "Lie",
    "Path",
    "Pos",
    "Source",
    "TooDeep",
    "too_deep",
]

Path = tuple[str | int, ...]

MAX_DEPTH = 200
"""The most lists and mappings konfig reads nested in one another. An explicit limit, the same on
every Python: a reader that recursed until ``RecursionError`` reached a depth that depended on
the version (3.12 inlined comprehensions, so one level cost one frame where it had cost two),
and tomllib's own recursion had no guard at all. No real config comes near it; libyaml refuses
more than 1,000 levels itself."""

TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} levels)"


class TooDeep(Exception):
    """A value nested more than ``MAX_DEPTH`` levels, found by a reader without positions."""


def too_deep(value: object) -> bool:
    """Whether ``value`` holds more than ``MAX_DEPTH`` nested lists and dicts. It walks an
    explicit stack (a value that deep must not be walked by recursion); a list or dict shared
    by YAML aliases is walked again only when reached at a deeper level, and one that holds
    itself (a recursive alias) is not followed round: the readers name that error."""
    deepest: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[object, int, bool]] = [(value, 0, False)]
    while stack:
        item, level, leaving = stack.pop()
        if leaving:
            on_path.discard(id(item))
            continue
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if id(item) in on_path:
            continue
        if level >= MAX_DEPTH:
            return True
        if deepest.get(id(item), -1) >= level:
            continue
        deepest[id(item)] = level
        on_path.add(id(item))
        stack.append((item, level, True))
        stack.extend(
            (child, level + 1, False) for child in children if isinstance(child, dict | list)
        )
    return False


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
