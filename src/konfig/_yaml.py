"""Read YAML into plain values, with the place of every value and key, and find YAML's lies.

Why PyYAML's composer (``CSafeLoader`` when libyaml is there): its nodes carry start marks
(line, column) and keep every key/value pair as written, duplicates included, and its resolver
applies YAML 1.1's implicit types -- the semantics that Helm (go-yaml v2 through
sigs.k8s.io/yaml) and every ``yaml.safe_load`` user actually get. So konfig validates the values
the consumer of the file will read, and can still see each place where those values differ from
what the author probably meant ("YAML's lies"): it builds the Python values from the nodes
itself, keeping, for each instance path (a tuple of keys and indices), the position of the value
node and of its key node. ruamel.yaml also has positions, but its round-trip loader is
YAML 1.2 (``no`` is a string there), so it would validate something Helm never reads, and it is
several times slower.

Lies found here (warnings; errors with ``--strict``): duplicate keys (PyYAML keeps the last
silently), YAML 1.1 booleans written ``yes``/``no``/``on``/``off``/``y``/``n``, sexagesimal
(``1:30``) and octal-looking (``0755``) integers, and keys that are not strings. The last lie,
a number where the schema wants a string (``version: 1.10`` read as 1.1), needs the schema: the
loader keeps the source text of every number in ``Document.numbers`` for the validator.

``core12`` reads plain scalars as YAML 1.2's core schema does instead (``--yaml-version 1.2``),
for consumers with a YAML 1.2 parser; the lies are still reported, from the other side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml  # type: ignore[import-untyped]
import yaml.constructor  # type: ignore[import-untyped]
import yaml.nodes  # type: ignore[import-untyped]

from ._document import MAX_DEPTH, TOO_DEEP, Document, Lie, Path, Pos
from ._errors import LoadError

__all__ = ["LOADER", "load_yaml", "mark"]

try:
    LOADER: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    LOADER = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MERGE = _TAG + "merge"
_BOOL_WORDS = frozenset({"yes", "no", "on", "off", "y", "n"})
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_OCTAL = re.compile(r"[-+]?0[0-9_]+")
# YAML 1.2 core schema numbers that YAML 1.1 reads as strings: `1e3`, `1.0e3`, `-.5`, `089`
# (no sign on the exponent, a signed leading dot, a decimal with a leading 0) and `0o17`
_CORE12_INT = re.compile(r"[-+]?[0-9]+")
_CORE12_OCTAL = re.compile(r"0o[0-7]+")
_CORE12_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_MAX_NODES_PER_CHAR = 50  # alias expansion beyond this is a "billion laughs" file
_NOT_A_NUMBER = object()


def mark(node: yaml.nodes.Node) -> Pos:
    """The node's 1-based line and column."""
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1)


def _syntax_error(name: str, exc: yaml.YAMLError) -> LoadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{problem} ({context})" if context and context != problem else problem
    if mark is None:
        return LoadError(f"invalid YAML: {message}", file=name)
    return LoadError(
        f"invalid YAML: {message}", file=name, line=mark.line + 1, column=mark.column + 1
    )


def load_yaml(name: str, text: str, *, core12: bool = False) -> Iterator[Document]:
    try:
        nodes = list(yaml.compose_all(text, Loader=LOADER))
    except yaml.YAMLError as exc:
        raise _syntax_error(name, exc) from None
    if not nodes:
        yield Document(index=1, value=None, values={(): Pos(1, 1)})
        return
    budget = _MAX_NODES_PER_CHAR * (len(text) + 100)
    for index, node in enumerate(nodes, start=1):
        builder = _Builder(name, budget, core12=core12)
        doc = Document(index=index, value=None)
        doc.value = builder.build(node, (), doc)
        yield doc


def _at(pos: Pos) -> dict[str, int]:
    return {"line": pos.line, "column": pos.column}


class _Builder:
    """Builds plain values from one document's nodes, recording positions and lies."""

    def __init__(self, name: str, budget: int, *, core12: bool = False) -> None:
        self.name = name
        self.budget = budget
        self.active: set[int] = set()
        self.scalars = yaml.constructor.SafeConstructor()
        self.core12 = core12

    def build(self, node: yaml.nodes.Node, path: Path, doc: Document) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise LoadError(
                "invalid YAML: too many alias expansions", file=self.name, **_at(mark(node))
            )
        start = node.start_mark
        doc.values[path] = Pos(start.line + 1, start.column + 1)
        if node.__class__ is yaml.ScalarNode:
            if node.tag == _STR and (
                node.style or (not self.core12 and node.value.lower() not in _BOOL_WORDS)
            ):
                return node.value  # the common case, first
            return self._scalar(node, path, doc)
        if id(node) in self.active:
            raise LoadError("invalid YAML: recursive alias", file=self.name, **_at(mark(node)))
        if len(path) >= MAX_DEPTH:  # aliases count: their values are copied in at ``path``
            raise LoadError(f"invalid YAML: {TOO_DEEP}", file=self.name, **_at(mark(node)))
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i), doc) for i, item in enumerate(node.value)]
            return self._mapping(node, path, doc)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: Path, doc: Document) -> Any:
        tag = node.tag
        text = node.value
        plain = not node.style
        if tag == _TAG + "str":
            if plain and text.lower() in _BOOL_WORDS:
                doc.lies.append(_bool_lie(path, mark(node), text, as_string=True))
            elif plain and self.core12:
                return _core12_only_number(text, path, doc)
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if text.lower() in _BOOL_WORDS:
                doc.lies.append(_bool_lie(path, mark(node), text, as_string=self.core12))
                if self.core12:
                    return text
            return self.scalars.construct_yaml_bool(node)
        if self.core12 and tag in (_TAG + "int", _TAG + "float"):
            found = self._core12_number(node, path, doc)
            if found is not _NOT_A_NUMBER:
                return found
        if tag == _TAG + "int":
            value = self.scalars.construct_yaml_int(node)
            doc.numbers[path] = text
            if _SEXAGESIMAL.fullmatch(text):
                doc.lies.append(_sexagesimal_lie(path, mark(node), text, value))
            elif _OCTAL.fullmatch(text):
                doc.lies.append(
                    Lie(
                        path,
                        mark(node),
                        "octal",
                        f"`{text}` is read as the octal number {value} (YAML 1.1); "
                        f"YAML 1.2 reads it as {int(text.replace('_', ''), 10)}",
                        f'quote it ("{text}") if it is a string, or write 0o{value:o}',
                    )
                )
            return value
        if tag == _TAG + "float":
            value = self.scalars.construct_yaml_float(node)
            doc.numbers[path] = text
            if _SEXAGESIMAL.fullmatch(text):
                doc.lies.append(_sexagesimal_lie(path, mark(node), text, value))
            return value
        # timestamps, binary and application tags: the text as written (JSON has no such
        # types; sigs.k8s.io/yaml, which Helm uses, turns them into strings too)
        return text

    def _core12_number(self, node: yaml.ScalarNode, path: Path, doc: Document) -> Any:
        """What YAML 1.2's core schema makes of a scalar YAML 1.1 read as a number:
        sexagesimal, binary and ``_``-separated numbers are strings, ``0755`` is decimal."""
        text = node.value
        if _SEXAGESIMAL.fullmatch(text):
            doc.lies.append(
                Lie(
                    path,
                    mark(node),
                    "sexagesimal",
                    f"`{text}` is read as a string (YAML 1.2); YAML 1.1 reads it as a base-60 "
                    "number",
                    f'quote it ("{text}")',
                )
            )
            return text
        if "_" in text or text.lstrip("+-").startswith("0b"):
            return text
        if _OCTAL.fullmatch(text):
            value = int(text, 10)
            doc.numbers[path] = text
            doc.lies.append(
                Lie(
                    path,
                    mark(node),
                    "octal",
                    f"`{text}` is read as {value} (YAML 1.2); YAML 1.1 reads it as the octal "
                    f"number {int(text, 8)}",
                    f'quote it ("{text}") if it is a string, or write 0o{text.lstrip("0")}',
                )
            )
            return value
        return _NOT_A_NUMBER

    def _mapping(self, node: yaml.nodes.Node, path: Path, doc: Document) -> dict[str, Any]:
        if any(k.tag == _MERGE for k, _ in node.value):
            pairs = list(self._merged(node, path))
        else:
            pairs = [(k, v, True) for k, v in node.value]
        seen: dict[str, Pos] = {}
        result: dict[str, Any] = {}
        keys = doc.keys
        for key_node, value_node, explicit in pairs:
            if key_node.__class__ is yaml.ScalarNode and key_node.tag == _STR:
                key = key_node.value
            else:
                key = self._key(key_node, path, doc)
            child = (*path, key)
            start = key_node.start_mark
            key_pos = Pos(start.line + 1, start.column + 1)
            if explicit:
                if key in seen:
                    first = seen[key]
                    doc.lies.append(
                        Lie(
                            child,
                            key_pos,
                            "duplicate-key",
                            f"duplicate key `{key}` (first at line {first.line}, column "
                            f"{first.column}); the last value is the one read",
                            "remove one of them",
                        )
                    )
                seen[key] = key_pos
            keys[child] = key_pos
            result[key] = self.build(value_node, child, doc)
        return result

    def _merged(
        self, node: yaml.nodes.Node, path: Path
    ) -> Iterator[tuple[yaml.nodes.Node, yaml.nodes.Node, bool]]:
        """The pairs of a mapping with ``<<`` merge keys expanded as PyYAML does: merged
        pairs first (the first source wins among them), then the explicit ones."""
        explicit = []
        merged: list[tuple[yaml.nodes.Node, yaml.nodes.Node, bool]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _TAG + "merge":
                explicit.append((key_node, value_node, True))
                continue
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in reversed(sources):
                if not isinstance(source, yaml.MappingNode):
                    raise LoadError(
                        "invalid YAML: a merge key (<<) needs a mapping or a list of mappings",
                        file=self.name,
                        **_at(mark(source)),
                    )
                merged.extend((k, v, False) for k, v, _ in self._merged(source, path))
        yield from merged
        yield from explicit

    def _key(self, node: yaml.nodes.Node, path: Path, doc: Document) -> str:
        if isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "str":
            return str(node.value)
        scratch = Document(index=doc.index, value=None)
        value = self.build(node, (), scratch)
        key = _json_key(value)
        if isinstance(value, str):  # YAML 1.2 read it as a string (``on:`` in a workflow)
            return key
        word = node.value if isinstance(node, yaml.ScalarNode) and not node.style else ""
        if isinstance(value, bool) and word.lower() in _BOOL_WORDS:  # `on:`, YAML 1.2's "on"
            doc.bool_keys[(*path, key)] = word
            doc.lies.append(
                Lie(
                    (*path, key),
                    mark(node),
                    "non-string-key",
                    f"key `{word}` is read as the boolean {key} (YAML 1.1); it is validated as "
                    f"the string {key!r}",
                    f'quote it ("{word}"), or, for a YAML 1.2 reader such as GitHub Actions, '
                    "give --yaml-version 1.2",
                )
            )
            return key
        doc.lies.append(
            Lie(
                (*path, key),
                mark(node),
                "non-string-key",
                f"key `{node.value if isinstance(node, yaml.ScalarNode) else key}` is not a "
                f"string but {_type_name(value)}; it is validated as the string {key!r}",
                f'quote it ("{key}")',
            )
        )
        return key


def _core12_only_number(text: str, path: Path, doc: Document) -> Any:
    """A plain scalar YAML 1.1 reads as a string, as YAML 1.2's core schema reads it."""
    if _CORE12_INT.fullmatch(text):
        value: Any = int(text, 10)
    elif _CORE12_OCTAL.fullmatch(text):
        value = int(text[2:], 8)
    elif _CORE12_FLOAT.fullmatch(text):
        value = float(text)
    else:
        return text
    doc.numbers[path] = text
    return value


def _bool_lie(path: Path, pos: Pos, text: str, *, as_string: bool) -> Lie:
    truth = text.lower() in {"yes", "on", "y"}
    if as_string:
        message = (
            f"`{text}` is read as the string {text!r} here, but YAML 1.1 readers such as "
            f"Helm's go-yaml read it as the boolean {str(truth).lower()}"
        )
    else:
        message = (
            f"`{text}` is read as the boolean {str(truth).lower()} (YAML 1.1); "
            f"YAML 1.2 reads it as the string {text!r}"
        )
    return Lie(
        path,
        pos,
        "yaml11-bool",
        message,
        f'write {str(truth).lower()} for a boolean, or quote it ("{text}") for a string',
    )


def _sexagesimal_lie(path: Path, pos: Pos, text: str, value: object) -> Lie:
    return Lie(
        path,
        pos,
        "sexagesimal",
        f"`{text}` is read as the base-60 number {value} (YAML 1.1)",
        f'quote it ("{text}") if it is a time or a string',
    )


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, list):
        return "a sequence"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _json_key(value: object) -> str:
    """The string a non-string key becomes, spelled as JSON spells the value
    (``true``, ``null``, ``1``), as sigs.k8s.io/yaml converts keys."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)
