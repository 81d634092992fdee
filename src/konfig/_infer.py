"""Inference of a JSON Schema (draft 2020-12) from example documents, as genson does: every
value seen at one place in the examples is folded into a ``_Seen`` summary, and the summary
is rendered as the schema that accepts all of them and says as much as they agree on.

The rules (``docs/konfig.md`` states them for users):

- A key present in every object seen at a place is ``required``; one present in some is an
  optional property. Array items are one place: the items of all arrays there, of all
  examples, merge into one ``items`` schema.
- Types: ``null``, ``boolean``, ``integer``, ``number``, ``string``, ``array``, ``object``. An
  integer seen beside a float is a ``number`` (a float is never narrowed to ``integer``, even
  ``1.0``). Differing scalar types become a type list (``["null", "string"]``): keywords for
  strings (``format``) only constrain strings, so one flat schema stays exact. When an array
  or an object is among the types, each structure gets its own branch of an ``anyOf`` (the
  scalars, as one branch, first), so each branch reads on its own.
- ``format`` (``_formats``) when every string at the place has it.
- ``enum`` only when asked (``enums=True``) and only for a small closed set: the scalars at a
  place take 2 to ``ENUM_MAX`` distinct values, each seen at least ``ENUM_MIN_SEEN`` times
  (a value seen once is no evidence of a closed set), and not only booleans and null.
- ``additionalProperties: false`` on every object schema when ``strict=True``.
- ``title`` and ``description`` from ``notes`` (YAML comments, ``_comments``) by place.

Contract: the schema is a pure function of the *multiset* of examples: their order, and the
order of keys inside objects, never change it (lists in it are sorted), except that when two
examples carry different notes for one place the first example's note wins. Every example
validates against the schema it was inferred from (the tests check both with jsonschema).
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeAlias, cast

from ._formats import detect_format

__all__ = [
    "DIALECT",
    "ENUM_MAX",
    "ENUM_MIN_SEEN",
    "ITEMS",
    "InferError",
    "Json",
    "Note",
    "Place",
    "infer_schema",
    "json_like",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENUM_MAX = 5
ENUM_MIN_SEEN = 2

ITEMS = None
"""The step of a ``Place`` that goes into an array's items (any index)."""

Place: TypeAlias = tuple[str | None, ...]
"""Where a value sits: object keys from the root, ``ITEMS`` for an array item."""

Json: TypeAlias = bool | int | float | str | list["Json"] | dict[str, "Json"] | None

_SCALARS = ("null", "boolean", "integer", "number", "string")


class InferError(ValueError):
    """A value with no JSON counterpart (a set, bytes, a recursive alias): the message is a
    lowercase fragment naming it and where it is."""


@dataclass(frozen=True, slots=True)
class Note:
    """A ``title`` and a ``description`` for one place (either may be None)."""

    title: str | None = None
    description: str | None = None


def json_like(value: object, where: str = "$") -> Json:
    """``value`` (as a YAML, JSON or TOML reader gives it) as JSON data: keys become strings
    (``str(key)``, as check-jsonschema does), dates and times ISO 8601 strings; raises
    ``InferError`` for what JSON cannot hold."""
    return _json_like(value, where, set())


def _json_like(value: object, where: str, open_: set[int]) -> Json:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        if id(value) in open_:
            raise InferError(f"{where}: a value that contains itself (a recursive alias)")
        open_.add(id(value))
        try:
            if isinstance(value, dict):
                return {str(k): _json_like(v, f"{where}.{k}", open_) for k, v in value.items()}
            return [_json_like(v, f"{where}[{i}]", open_) for i, v in enumerate(value)]
        finally:
            open_.discard(id(value))
    raise InferError(f"{where}: a {type(value).__name__} value has no JSON type")


def _type_of(value: Json) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _enum_key(value: Json) -> tuple[int, object] | None:
    """How ``value`` counts towards an enum: equal JSON values share a key (``1`` and
    ``1.0``), ``True`` and ``1`` do not; None for what an enum cannot list (NaN, inf)."""
    if value is None:
        return (0, None)
    if isinstance(value, bool):
        return (1, value)
    if isinstance(value, int):
        return (2, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return (2, int(value) if value.is_integer() else value)
    if isinstance(value, str):
        return (3, value)
    return None


@dataclass(slots=True)
class _Seen:
    """Everything the examples showed at one place."""

    types: set[str] = field(default_factory=set)
    scalars: Counter[tuple[int, object] | None] = field(default_factory=Counter)
    strings: set[str] = field(default_factory=set)
    objects: int = 0
    keys: dict[str, _Seen] = field(default_factory=dict)
    key_counts: Counter[str] = field(default_factory=Counter)
    items: _Seen | None = None

    def add(self, value: Json) -> None:
        kind = _type_of(value)
        self.types.add(kind)
        if isinstance(value, dict):
            self.objects += 1
            for key, inner in value.items():
                self.key_counts[key] += 1
                self.keys.setdefault(key, _Seen()).add(inner)
        elif isinstance(value, list):
            items = self.items = self.items or _Seen()
            for inner in value:
                items.add(inner)
        else:
            self.scalars[_enum_key(value)] += 1
            if isinstance(value, str):
                self.strings.add(value)


def infer_schema(
    examples: Iterable[Json],
    notes: Mapping[Place, Note] | None = None,
    *,
    enums: bool = False,
    strict: bool = False,
) -> dict[str, object]:
    """The draft 2020-12 schema every one of ``examples`` validates against (see the module
    docstring for the rules); ``{"$schema": DIALECT}`` alone (anything) for no examples."""
    seen = _Seen()
    any_example = False
    for example in examples:
        seen.add(example)
        any_example = True
    schema: dict[str, object] = {"$schema": DIALECT}
    if any_example:
        render = _Render(notes or {}, enums=enums, strict=strict)
        schema.update(render.schema(seen, ()))
    return schema


@dataclass(frozen=True, slots=True)
class _Render:
    notes: Mapping[Place, Note]
    enums: bool
    strict: bool

    def schema(self, seen: _Seen, place: Place) -> dict[str, object]:
        types = set(seen.types)
        if "number" in types:
            types.discard("integer")
        branches: list[dict[str, object]] = []
        scalars = [t for t in _SCALARS if t in types]
        if scalars:
            branches.append(self.scalar(seen, scalars))
        if "array" in types:
            branches.append(self.array(seen, place))
        if "object" in types:
            branches.append(self.object(seen, place))
        out: dict[str, object] = branches[0] if len(branches) == 1 else {"anyOf": branches}
        note = self.notes.get(place)
        if note is not None and note.title is not None:
            out["title"] = note.title
        if note is not None and note.description is not None:
            out["description"] = note.description
        return out

    def scalar(self, seen: _Seen, types: list[str]) -> dict[str, object]:
        out: dict[str, object] = {"type": types[0] if len(types) == 1 else types}
        if "string" in types:
            found = detect_format(sorted(seen.strings))
            if found is not None:
                out["format"] = found
        if self.enums:
            values = _closed_set(seen.scalars)
            if values is not None:
                out["enum"] = values
        return out

    def array(self, seen: _Seen, place: Place) -> dict[str, object]:
        out: dict[str, object] = {"type": "array"}
        if seen.items is not None and seen.items.types:
            out["items"] = self.schema(seen.items, (*place, ITEMS))
        return out

    def object(self, seen: _Seen, place: Place) -> dict[str, object]:
        out: dict[str, object] = {"type": "object"}
        if seen.keys:
            out["properties"] = {
                key: self.schema(inner, (*place, key)) for key, inner in sorted(seen.keys.items())
            }
        required = sorted(k for k, n in seen.key_counts.items() if n == seen.objects)
        if required:
            out["required"] = required
        if self.strict:
            out["additionalProperties"] = False
        return out


def _closed_set(scalars: Counter[tuple[int, object] | None]) -> list[Json] | None:
    """The values of a small closed set (module docstring), sorted; None if they are not."""
    if None in scalars or not 2 <= len(scalars) <= ENUM_MAX:
        return None
    if min(scalars.values()) < ENUM_MIN_SEEN:
        return None
    keys = [k for k in scalars if k is not None]
    if all(kind <= 1 for kind, _ in keys):  # booleans and null say nothing a type does not
        return None
    ordered = sorted(keys, key=_enum_order)
    return [cast(Json, value) for _, value in ordered]


def _enum_order(key: tuple[int, object]) -> tuple[int, float | str]:
    kind, value = key
    if isinstance(value, bool) or value is None:
        return (kind, int(bool(value)))
    if isinstance(value, int | float | str):
        return (kind, value)
    raise AssertionError(value)  # enum keys hold scalars only
