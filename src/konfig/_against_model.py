"""Validate documents against a pydantic v2 model instead of a schema file.

Each ``ValidationError`` item's ``loc`` is an instance path, so its problems point at the same
file:line:col as schema errors do. pydantic inserts the names of union members and validators
into ``loc`` (``int``, ``function-after[...]``); the place used is that of the longest prefix of
``loc`` that exists in the document. ``missing`` points at the mapping that lacks the field,
``extra_forbidden`` at the unexpected key, with a "did you mean" from the model's fields.
"""

from __future__ import annotations

import difflib
from typing import Any

import pydantic

from ._document import Document, Path, Source
from ._validate import Problem, pointer

__all__ = ["validate_with_model"]


def _fields(model: type[pydantic.BaseModel], path: Path) -> list[str]:
    """The field names (and aliases) of the (sub)model at ``path``, where it can be found."""
    current: Any = model
    for part in path:
        if isinstance(part, int) or not (
            isinstance(current, type) and issubclass(current, pydantic.BaseModel)
        ):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = info.annotation
    if isinstance(current, type) and issubclass(current, pydantic.BaseModel):
        names = set(current.model_fields)
        names.update(f.alias for f in current.model_fields.values() if f.alias)
        return sorted(names)
    return []


def validate_with_model(
    source: Source, doc: Document, model: type[pydantic.BaseModel]
) -> list[Problem]:
    """The model's errors for one document, placed in the source."""
    try:
        model.model_validate(doc.value)
    except pydantic.ValidationError as exc:
        return [_problem(source, doc, model, item) for item in exc.errors(include_url=False)]
    return []


def _problem(source: Source, doc: Document, model: type[pydantic.BaseModel], item: Any) -> Problem:
    loc: Path = tuple(item["loc"])
    path: Path = ()
    for part in loc:  # the longest prefix of loc that is a real place in the document
        if (*path, part) in doc.values:
            path = (*path, part)
    kind = str(item["type"])
    hint = ""
    if kind == "extra_forbidden" and path == loc:
        pos = doc.key_pos(path)
        close = difflib.get_close_matches(str(loc[-1]), _fields(model, path[:-1]), n=1)
        hint = f"did you mean `{close[0]}`?" if close else ""
    else:
        pos = doc.value_pos(path)
    message = str(item["msg"])
    if kind == "missing":
        message = f"{str(loc[-1])!r} is a required field"
    return Problem(
        file=source.name,
        document=doc.index,
        line=pos.line,
        column=pos.column,
        instance_path=pointer(path),
        schema_path=f"{model.__name__}:" + ".".join(str(p) for p in loc),
        message=message,
        validator=kind,
        hint=hint,
    )
