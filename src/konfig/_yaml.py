"""Read YAML, JSON and TOML documents into plain values, with the place of every value.

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

Documents of a ``---`` stream are numbered from 1, as a person counts them. An empty file is one
document whose value is ``null`` (what ``yaml.safe_load`` returns).

JSON goes through ``json`` for the values (exact JSON semantics: ``1e3`` is a number, ``\\/``
and surrogate-pair escapes decode as JSON says) and through the same composer for the positions
(JSON is YAML flow syntax); where libyaml rejects valid JSON (a surrogate-pair escape), the
values stand and positions fall back to the document's start. JSON syntax errors come from
``json.JSONDecodeError``'s line and column.

TOML goes through ``tomllib``, which gives no positions: a value's line is found by a plain
scan of the source for its key (under its ``[table]`` header when there is one), so a key
written in an inline table or as a dotted key may be placed at its table's line. Dates and times
become ISO strings, as JSON has no such type.
"""

from __future__ import annotations

import datetime
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml  # type: ignore[import-untyped]
import yaml.constructor  # type: ignore[import-untyped]
import yaml.nodes  # type: ignore[import-untyped]

from ._errors import LoadError

__all__ = ["Document", "Lie", "Path", "Pos", "Source", "load", "load_text"]

Path = tuple[str | int, ...]

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_MERGE = _TAG + "merge"
_BOOL_WORDS = frozenset({"yes", "no", "on", "off", "y", "n"})
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_OCTAL = re.compile(r"[-+]?0[0-9_]+")
_JSON_WORDS = ("true", "false", "null")
_MAX_NODES_PER_CHAR = 50
_NOT_A_NUMBER = object()  # alias expansion beyond this is a "billion laughs" file


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
    source text of a number (so the validator can say ``1.10`` was read as 1.1)."""

    index: int
    value: Any
    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)
    numbers: dict[Path, str] = field(default_factory=dict)
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


def kind_of(name: str) -> str:
    """``json``, ``toml`` or ``yaml``, from the file name's suffix (YAML by default, as
    Helm's and most CI configs are)."""
    lower = name.lower()
    if lower.endswith(".json"):
        return "json"
    if lower.endswith(".toml"):
        return "toml"
    return "yaml"


def load_text(
    name: str, text: str, kind: str | None = None, *, yaml_version: str = "1.1"
) -> Source:
    """Parse ``text`` (from a file called ``name``) into a Source; ``LoadError`` on a syntax
    error, with its place. ``yaml_version`` "1.2" reads plain scalars as YAML 1.2's core
    schema does (``on``, ``no``, ``1:30`` and ``1_000`` are strings, ``0755`` is 755), for
    consumers with a YAML 1.2 parser (GitHub Actions, check-jsonschema's ruamel.yaml)."""
    kind = kind or kind_of(name)
    if kind == "json":
        docs: tuple[Document, ...] = (_load_json(name, text),)
    elif kind == "toml":
        docs = (_load_toml(name, text),)
    else:
        docs = tuple(_load_yaml(name, text, yaml_version == "1.2"))
    return Source(name=name, text=text, documents=docs)


def load(path: str, *, yaml_version: str = "1.1") -> Source:
    """Read and parse the file at ``path`` (``KonfigError`` when it cannot be read)."""
    from ._errors import KonfigError

    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise KonfigError(f"{path}: {reason}") from None
    except UnicodeDecodeError as exc:
        raise KonfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return load_text(path, text, yaml_version=yaml_version)


# --- YAML -------------------------------------------------------------------------------------


def _mark(node: yaml.nodes.Node) -> Pos:
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


def _load_yaml(name: str, text: str, core12: bool = False) -> Iterator[Document]:
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.YAMLError as exc:
        raise _syntax_error(name, exc) from None
    if not nodes:
        yield Document(index=1, value=None, values={(): Pos(1, 1)})
        return
    budget = _MAX_NODES_PER_CHAR * (len(text) + 100)
    for index, node in enumerate(nodes, start=1):
        builder = _Builder(name, budget, core12=core12)
        doc = Document(index=index, value=None)
        try:
            doc.value = builder.build(node, (), doc)
        except RecursionError:
            raise LoadError(
                "invalid YAML: nested too deeply", file=name, **_at(_mark(node))
            ) from None
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
                "invalid YAML: too many alias expansions", file=self.name, **_at(_mark(node))
            )
        mark = node.start_mark
        doc.values[path] = Pos(mark.line + 1, mark.column + 1)
        if node.__class__ is yaml.ScalarNode:
            if node.tag == _STR and (node.style or node.value.lower() not in _BOOL_WORDS):
                return node.value  # the common case, first
            return self._scalar(node, path, doc)
        if id(node) in self.active:
            raise LoadError("invalid YAML: recursive alias", file=self.name, **_at(_mark(node)))
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
                doc.lies.append(_bool_lie(path, _mark(node), text, as_string=True))
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            if text.lower() in _BOOL_WORDS:
                doc.lies.append(_bool_lie(path, _mark(node), text, as_string=self.core12))
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
                doc.lies.append(_sexagesimal_lie(path, _mark(node), text, value))
            elif _OCTAL.fullmatch(text):
                doc.lies.append(
                    Lie(
                        path,
                        _mark(node),
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
                doc.lies.append(_sexagesimal_lie(path, _mark(node), text, value))
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
                    _mark(node),
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
                    _mark(node),
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
            mark = key_node.start_mark
            key_pos = Pos(mark.line + 1, mark.column + 1)
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
                        **_at(_mark(source)),
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
        doc.lies.append(
            Lie(
                (*path, key),
                _mark(node),
                "non-string-key",
                f"key `{node.value if isinstance(node, yaml.ScalarNode) else key}` is not a "
                f"string but {_type_name(value)}; it is validated as the string {key!r}",
                f'quote it ("{key}")',
            )
        )
        return key


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


# --- JSON -------------------------------------------------------------------------------------


def _load_json(name: str, text: str) -> Document:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise LoadError("invalid JSON: nested too deeply", file=name, line=1, column=1) from None
    doc = Document(index=1, value=value, values={(): Pos(1, 1)})
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return doc  # valid JSON that libyaml rejects: values stand, positions at the start
    if node is not None:
        _json_positions(node, (), doc)
    return doc


def _json_positions(node: yaml.nodes.Node, path: Path, doc: Document) -> None:
    doc.values[path] = _mark(node)
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _json_positions(item, (*path, i), doc)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, Pos] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                first = seen[key]
                doc.lies.append(
                    Lie(
                        child,
                        _mark(key_node),
                        "duplicate-key",
                        f"duplicate key `{key}` (first at line {first.line}, column "
                        f"{first.column}); the last value is the one read",
                        "remove one of them",
                    )
                )
            seen[key] = _mark(key_node)
            doc.keys[child] = _mark(key_node)
            _json_positions(value_node, child, doc)
    elif isinstance(node, yaml.ScalarNode) and not node.style and node.value not in _JSON_WORDS:
        doc.numbers[path] = str(node.value)


# --- TOML -------------------------------------------------------------------------------------

_TOML_ERROR_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _load_toml(name: str, text: str) -> Document:
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        place = _TOML_ERROR_PLACE.search(message)
        line, column = (int(place[1]), int(place[2])) if place else (0, 0)
        message = _TOML_ERROR_PLACE.sub("", message)
        raise LoadError(f"invalid TOML: {message}", file=name, line=line, column=column) from None
    doc = Document(index=1, value=None, values={(): Pos(1, 1)})
    doc.value = _toml_plain(value, (), doc, text.splitlines())
    return doc


def _toml_plain(value: Any, path: Path, doc: Document, lines: list[str]) -> Any:
    if path:
        doc.values[path] = _toml_line(path, lines)
    if isinstance(value, dict):
        return {k: _toml_plain(v, (*path, k), doc, lines) for k, v in value.items()}
    if isinstance(value, list):
        return [_toml_plain(v, (*path, i), doc, lines) for i, v in enumerate(value)]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return value


def _toml_line(path: Path, lines: list[str]) -> Pos:
    """The line of ``path``'s key: the first ``key =`` after its table's header, else the
    first anywhere, else the table header, else line 1 (see the module's docstring)."""
    keys = [str(p) for p in path if isinstance(p, str)]
    if not keys:
        return Pos(1, 1)
    header = re.compile(
        r"\s*\[\[?\s*" + r"\s*\.\s*".join(_toml_key_re(k) for k in keys[:-1]) + r"\s*\]\]?"
    )
    table = re.compile(r"\s*\[\[?\s*" + r"\s*\.\s*".join(_toml_key_re(k) for k in keys))
    key = re.compile(r"(\s*)" + _toml_key_re(keys[-1]) + r"\s*[=.]")
    start = 0
    if len(keys) > 1:
        start = next((i + 1 for i, line in enumerate(lines) if header.match(line)), 0)
    for i in [*range(start, len(lines)), *range(0, start)]:
        found = key.match(lines[i])
        if found:
            return Pos(i + 1, len(found[1]) + 1)
    for i, line in enumerate(lines):
        if table.match(line):
            return Pos(i + 1, 1)
    return Pos(1, 1)


def _toml_key_re(key: str) -> str:
    escaped = re.escape(key)
    return f"(?:{escaped}|\"{escaped}\"|'{escaped}')"
