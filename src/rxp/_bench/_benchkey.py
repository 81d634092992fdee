"""benchproc's projections as data: fields, interned keys, their order and headers
(``projection.go``, ``key.go``, ``sort.go``, ``keyheader.go``, ``nonsingular.go``).

A key's values are indexed by field; trailing empty values are trimmed so a key made before
``.config`` grew a field equals one made after. Observation orders are recorded for the
top-level fields only (as Go does): ``.config``'s values therefore sort as strings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ._benchresult import BResult

__all__ = [
    "Field",
    "Key",
    "KeyHeaderNode",
    "Projection",
    "key_header",
    "non_singular_fields",
    "sort_keys",
]


@dataclass(eq=False, slots=True)
class Field:
    """A field of a projection; ``.config`` is a tuple field whose ``sub`` fields grow as
    new configuration keys are seen. ``idx`` is -1 for the root and tuple fields."""

    name: str
    proj: Projection | None = None
    idx: int = -1
    is_tuple: bool = False
    sub: list[Field] = field(default_factory=list)
    cmp: Callable[[str, str], int] = lambda a, b: 0
    order: dict[str, int] | None = None


class Key:
    """An interned tuple of field values (trailing empty values trimmed)."""

    __slots__ = ("proj", "vals")

    def __init__(self, proj: Projection, vals: tuple[str, ...]) -> None:
        self.proj, self.vals = proj, vals

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and other.proj is self.proj and other.vals == self.vals

    def __hash__(self) -> int:
        return hash(self.vals)

    def get(self, f: Field) -> str:
        return self.vals[f.idx] if f.idx < len(self.vals) else ""

    def _string(self, keys: bool) -> str:
        out = []
        for f in self.proj.flattened_fields():
            val = self.get(f)
            if val:
                out.append(f"{f.name}:{val}" if keys else val)
        return " ".join(out)

    def __str__(self) -> str:
        return self._string(True)

    def __repr__(self) -> str:
        return f"Key({self})"

    def string_values(self) -> str:
        return self._string(False)


class Projection:
    """Fields, the functions that fill them from a result, and the keys made so far."""

    def __init__(self) -> None:
        self.root = Field("", self)
        self.n_fields = 0
        self.unit_field: Field | None = None
        self.project_fns: list[Callable[[BResult, list[str]], None]] = []
        self.row: list[str] = []
        self.keys: dict[tuple[str, ...], Key] = {}

    def add_field(self, group: Field, name: str) -> Field:
        f = Field(name, self, self.n_fields)
        self.n_fields += 1
        group.sub.append(f)
        self.row.append("")
        return f

    def fields(self) -> list[Field]:
        return self.root.sub

    def flattened_fields(self) -> list[Field]:
        out: list[Field] = []

        def walk(f: Field) -> None:
            if f.idx != -1:
                out.append(f)
            for sub in f.sub:
                walk(sub)

        walk(self.root)
        return out

    def _populate(self, r: BResult) -> None:
        self.row[:] = [""] * len(self.row)
        for fn in self.project_fns:
            fn(r, self.row)

    def _intern(self) -> Key:
        vals = list(self.row)
        while vals and vals[-1] == "":
            vals.pop()
        t = tuple(vals)
        key = self.keys.get(t)
        if key is None:
            for f in self.fields():
                if f.order is not None:
                    f.order.setdefault(t[f.idx] if f.idx < len(t) else "", len(f.order))
            key = self.keys[t] = Key(self, t)
        return key

    def project(self, r: BResult) -> Key:
        self._populate(r)
        return self._intern()

    def project_values(self, r: BResult) -> list[Key]:
        """One key per value of ``r``, differing in ``.unit`` if the projection has it."""
        self._populate(r)
        if self.unit_field is None:
            key = self._intern()
            return [key] * len(r.values)
        out = []
        for v in r.values:
            self.row[self.unit_field.idx] = v.unit
            out.append(self._intern())
        return out


def sort_keys(keys: list[Key]) -> list[Key]:
    """benchproc ``SortKeys``: by each flattened field's order, equal-ranked but different
    values by their strings."""
    if not keys:
        return keys
    flat = keys[0].proj.flattened_fields()

    def cmp(a: Key, b: Key) -> int:
        for f in flat:
            x, y = a.get(f), b.get(f)
            if x != y:
                c = f.cmp(x, y)
                if c != 0:
                    return -1 if c < 0 else 1
                return -1 if x < y else 1
        return 0

    return sorted(keys, key=functools.cmp_to_key(cmp))


def non_singular_fields(keys: Sequence[Key]) -> list[Field]:
    """The fields in which at least two of ``keys`` differ."""
    if len(keys) <= 1:
        return []
    return [
        f
        for f in keys[0].proj.flattened_fields()
        if any(k.get(f) != keys[0].get(f) for k in keys[1:])
    ]


@dataclass(slots=True)
class KeyHeaderNode:
    """A run of keys sharing the values of fields 0..``field``."""

    field: int
    value: str
    start: int
    len: int
    children: list[KeyHeaderNode]


def key_header(keys: Sequence[Key]) -> list[KeyHeaderNode]:
    """benchproc ``NewKeyHeader``: the forest of common prefixes, top level first."""
    if not keys:
        return []
    fields = keys[0].proj.flattened_fields()

    def walk(parent: KeyHeaderNode) -> None:
        level = parent.field + 1
        if level == len(fields):
            return
        node: KeyHeaderNode | None = None
        for j, key in enumerate(keys[parent.start : parent.start + parent.len]):
            val = key.get(fields[level])
            if node is not None and val == node.value:
                node.len += 1
            else:
                node = KeyHeaderNode(level, val, parent.start + j, 1, [])
                parent.children.append(node)
        for child in parent.children:
            walk(child)

    root = KeyHeaderNode(-1, "", 0, len(keys), [])
    walk(root)
    return root.children
