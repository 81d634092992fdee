"""Pydantic models named on the command line as ``MODULE:CLASS`` (``--from-model`` of
``konfig generate-schema``, ``--model`` of ``konfig validate``): importing them, their JSON
Schema, and validating a document against them with errors by location.

The module is imported with the current directory first on ``sys.path``, as ``python -m``
and uvicorn's ``MODULE:APP`` do, so a model beside the configs needs no installing. Any
failure to name a model (a bad spelling, an import that raises, an attribute that is not a
model) is a ``ModelError`` with a one-line message; the CLI prints it as ``konfig: error:``.

A ``pydantic.BaseModel`` subclass is the usual target; pydantic dataclasses and
``TypedDict``s work too, through ``pydantic.TypeAdapter``.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from typing import Any

__all__ = ["ModelError", "load_model", "model_schema", "validate_with_model"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class ModelError(ValueError):
    """``MODULE:CLASS`` names no usable model; the message is a lowercase fragment."""


def load_model(spec: str) -> type[Any]:
    """The class ``spec`` (``MODULE:CLASS``, CLASS possibly dotted) names."""
    module_name, colon, attr = spec.partition(":")
    if not colon or not module_name or not attr:
        raise ModelError(f"expected MODULE:CLASS, got {spec!r}")
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # the user's module may raise anything while importing
        raise ModelError(f"cannot import {module_name!r}: {_one_line(exc)}") from None
    target: object = module
    for part in attr.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ModelError(f"{module_name!r} has no attribute {attr!r}") from None
    if not isinstance(target, type):
        raise ModelError(f"{spec!r} is not a class but a {type(target).__name__}")
    return target


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _adapter(model: type[Any]) -> Any:
    import pydantic

    try:
        return pydantic.TypeAdapter(model)
    except Exception as exc:  # pydantic reports unsupported types with several classes
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"{model.__qualname__!r} is not a pydantic model: {first}") from None


def model_schema(model: type[Any]) -> dict[str, object]:
    """The model's JSON Schema (pydantic's ``model_json_schema()``, draft 2020-12) with
    ``$schema`` set, so it reads the same as the schemas ``generate-schema`` infers."""
    import pydantic

    if issubclass(model, pydantic.BaseModel):
        try:
            schema: dict[str, object] = model.model_json_schema()
        except pydantic.PydanticUserError as exc:
            first = str(exc).strip().splitlines()[0]
            raise ModelError(f"{model.__qualname__!r} has no JSON schema: {first}") from None
    else:
        schema = _adapter(model).json_schema()
    return {"$schema": _DIALECT, **schema}


def validate_with_model(
    model: type[Any], data: object, *, strict: bool = True
) -> list[tuple[tuple[str | int, ...], str, str]]:
    """The errors of ``data`` against ``model``: ``(location, message, error type)`` each,
    the location a path of keys and indexes into ``data``; empty when it is valid.

    The data goes through JSON (``model_validate_json``), strict by default: in JSON mode
    strict pydantic still reads dates, UUIDs and enums from strings (all a config file has),
    but no longer turns ``"3"`` into ``3`` or ``1`` into ``True``, the lies a config check
    exists to catch. ``data`` must be JSON data (``_infer.json_like``)."""
    import pydantic

    text = json.dumps(data)
    try:
        if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
            model.model_validate_json(text, strict=strict)
        else:
            _adapter(model).validate_json(text, strict=strict)
    except pydantic.ValidationError as exc:
        return [(tuple(e["loc"]), str(e["msg"]), str(e["type"])) for e in exc.errors()]
    return []
