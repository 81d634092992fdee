"""Read JSON and TOML into plain values with positions (the YAML reader's ``Document``).

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
from typing import Any

import yaml  # type: ignore[import-untyped]
import yaml.nodes  # type: ignore[import-untyped]

from ._document import TOO_DEEP, Document, Lie, Path, Pos, too_deep
from ._errors import LoadError
from ._yaml import LOADER, mark

__all__ = ["load_json", "load_toml"]

_JSON_WORDS = ("true", "false", "null")


def load_json(name: str, text: str) -> Document:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"invalid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:  # json's own guard, below MAX_DEPTH's on some Pythons
        raise _too_deep("JSON", name) from None
    if too_deep(value):
        raise _too_deep("JSON", name)
    doc = Document(index=1, value=value, values={(): Pos(1, 1)})
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        return doc  # valid JSON that libyaml rejects: values stand, positions at the start
    if node is not None:
        _json_positions(node, (), doc)
    return doc


def _too_deep(kind: str, name: str) -> LoadError:
    """A value nested more than ``MAX_DEPTH`` levels (no positions: placed at the start)."""
    return LoadError(f"invalid {kind}: {TOO_DEEP}", file=name, line=1, column=1)


def _json_positions(node: yaml.nodes.Node, path: Path, doc: Document) -> None:
    doc.values[path] = mark(node)
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
                        mark(key_node),
                        "duplicate-key",
                        f"duplicate key `{key}` (first at line {first.line}, column "
                        f"{first.column}); the last value is the one read",
                        "remove one of them",
                    )
                )
            seen[key] = mark(key_node)
            doc.keys[child] = mark(key_node)
            _json_positions(value_node, child, doc)
    elif isinstance(node, yaml.ScalarNode) and not node.style and node.value not in _JSON_WORDS:
        doc.numbers[path] = str(node.value)


# --- TOML -------------------------------------------------------------------------------------

_TOML_ERROR_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load_toml(name: str, text: str) -> Document:
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        place = _TOML_ERROR_PLACE.search(message)
        line, column = (int(place[1]), int(place[2])) if place else (0, 0)
        message = _TOML_ERROR_PLACE.sub("", message)
        raise LoadError(f"invalid TOML: {message}", file=name, line=line, column=column) from None
    except RecursionError:  # tomllib recurses once per inline array or table, unguarded
        raise _too_deep("TOML", name) from None
    if too_deep(value):
        raise _too_deep("TOML", name)
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
