"""YAML examples for ``konfig generate-schema``: each document's value and the notes
(``title``, ``description``) its comments give the keys.

PyYAML drops comments, but its composer keeps where every node starts and ends, so the
comments are read back from the source lines around a key's node:

- ``description``: the block of whole-line comments directly above a key (no blank line
  between), written at the indentation of the key's line (so a commented-out block that
  belongs to the key *before*, indented under it, is not taken for the next key's text),
  and below the end of the previous key's value (a ``#`` line inside a quoted or block
  scalar is text, not a comment).
  ``#`` and the spaces after it are stripped; lines are joined with a space. Only for keys
  that start their line (block mappings; a key after ``- `` counts).
- ``title``: a comment at the end of the key's own line (``replicas: 3  # how many pods``),
  after the value when the value ends on that line, after the ``:`` when the value starts
  below.

Values are constructed by PyYAML's safe constructor (libyaml when present), except that
timestamps stay strings as written: JSON has no dates, and a schema for
``date: 2024-03-15`` must say ``string`` (with ``format: date``), as check-jsonschema reads
it. Every document of a multi-document stream is one example.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml  # type: ignore[import-untyped]

from ._document import TooDeep, too_deep
from ._infer import ITEMS, Note, Place

__all__ = ["YamlDocument", "yaml_documents"]

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader with timestamps read as the strings they are written as."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """One document of a YAML stream: its ``value`` and the ``notes`` of its keys by place."""

    value: object
    notes: dict[Place, Note]


def yaml_documents(text: str) -> list[YamlDocument]:
    """Every document in ``text``; raises ``yaml.YAMLError`` (with marks) for bad YAML and
    ``TooDeep`` for a document nested more than ``MAX_DEPTH`` levels."""
    lines = text.splitlines()
    loader = _Loader(text)
    out: list[YamlDocument] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            value = loader.construct_document(node)  # merges ``<<`` keys into the node
            if too_deep(value):  # before the notes, which recurse once per level
                raise TooDeep
            notes: dict[Place, Note] = {}
            _collect(node, (), lines, notes, set())
            out.append(YamlDocument(value, notes))
    finally:
        loader.dispose()
    return out


def _collect(
    node: yaml.Node, place: Place, lines: list[str], notes: dict[Place, Note], open_: set[int]
) -> None:
    """Record the notes of every key under ``node`` (first seen wins for a place)."""
    if id(node) in open_:  # a recursive alias: the value check reports it
        return
    open_.add(id(node))
    if isinstance(node, yaml.MappingNode):
        floor = 0  # the first row a comment above the next key may be on
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = _key_text(key_node)
            inner = (*place, key)
            note = _note(key_node, value_node, lines, floor)
            end = value_node.end_mark  # a block scalar ends at column 0 of the row after it
            floor = max(floor, end.line if end.column == 0 else end.line + 1)
            if note is not None and inner not in notes:
                notes[inner] = note
            _collect(value_node, inner, lines, notes, open_)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _collect(item, (*place, ITEMS), lines, notes, open_)
    open_.discard(id(node))


def _key_text(node: yaml.ScalarNode) -> str:
    """The key as the value's dict holds it, turned into a string as ``json_like`` does."""
    if node.tag == "tag:yaml.org,2002:str":
        return str(node.value)
    loader = _Loader("")
    try:
        return str(loader.construct_object(node))
    finally:
        loader.dispose()


def _note(key: yaml.Node, value: yaml.Node, lines: list[str], floor: int) -> Note | None:
    """The note of one key; comment lines above it count from row ``floor`` on (before it,
    a ``#`` may be text inside the previous value, a quoted or block scalar)."""
    row, col = key.start_mark.line, key.start_mark.column
    if row >= len(lines):
        return None
    line = lines[row]
    description = None
    if not line[:col].replace("-", " ").strip():  # the key starts its line
        description = _comment_above(lines[floor:row], len(line) - len(line.lstrip()))
    title = _comment_after(key, value, lines)
    if title is None and description is None:
        return None
    return Note(title, description)


def _comment_above(above_rows: list[str], indent: int) -> str | None:
    texts: list[str] = []
    for above in reversed(above_rows):
        stripped = above.lstrip()
        if not stripped.startswith("#") or len(above) - len(stripped) != indent:
            break
        texts.append(stripped.lstrip("#").strip())
    text = " ".join(t for t in reversed(texts) if t)
    return text or None


def _comment_after(key: yaml.Node, value: yaml.Node, lines: list[str]) -> str | None:
    row = key.start_mark.line
    if value.end_mark.line == row and value.end_mark.index > key.end_mark.index:
        rest = lines[row][value.end_mark.column :]
    elif value.start_mark.line > row or value.end_mark.index == key.end_mark.index:
        rest = lines[row][key.end_mark.column :].lstrip()
        rest = rest[1:] if rest.startswith(":") else rest
    else:
        return None
    rest = rest.strip()
    if not rest.startswith("#"):
        return None
    return rest.lstrip("#").strip() or None
