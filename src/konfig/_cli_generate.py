"""``konfig generate-schema``: the shell around ``_infer`` (read the example files, print
the schema) and ``_model`` (``--from-model``).

``generate_schema`` is a plain function with Typer annotations; the konfig app registers it.
Reading files happens here and only here: a ``.json`` file is one JSON document, a ``.toml``
file one TOML document, anything else (and ``-``, standard input) a YAML stream, each of its
documents one example (YAML also gives the comments, ``_comments``). Bad input (a missing
file, bad syntax, a value JSON cannot hold, a model that cannot be loaded) is one line
``konfig: error: ...`` on stderr and exit status 2.

The schema is printed as JSON with sorted keys and two-space indentation, so the same input
gives the same bytes (``_infer``'s contract makes it independent of key order too).
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path
from typing import Annotated

import typer
import yaml  # type: ignore[import-untyped]

from ._comments import yaml_documents
from ._document import TOO_DEEP, TooDeep, too_deep
from ._infer import InferError, Json, Note, Place, infer_schema, json_like
from ._model import ModelError, load_model, model_schema

__all__ = ["generate_schema", "render_schema"]


class _BadInput(Exception):
    """One line for ``konfig: error:``."""


def render_schema(schema: dict[str, object]) -> str:
    """The schema as ``generate-schema`` prints it: stable bytes, a final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate_schema(
    examples: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Example documents: YAML (every document of a stream), JSON (.json), "
            "TOML (.toml); - reads YAML from standard input.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Write the schema to FILE instead of stdout.", metavar="FILE"
        ),
    ] = None,
    enums: Annotated[
        bool,
        typer.Option(
            "--enums",
            help="Emit enum for small closed sets of values (2 to 5 "
            "distinct, each seen at least twice).",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Set additionalProperties: false on every object."),
    ] = False,
    from_model: Annotated[
        str | None,
        typer.Option(
            "--from-model",
            metavar="MODULE:CLASS",
            help="Print the JSON Schema of a pydantic model instead (MODULE "
            "imported with the current directory on sys.path).",
        ),
    ] = None,
) -> None:
    """Infer a JSON Schema (draft 2020-12) from example documents."""
    try:
        try:
            schema = _schema(examples or [], enums=enums, strict=strict, from_model=from_model)
            text = render_schema(schema)
        except RecursionError:  # the folds recurse once per level of nesting
            raise _BadInput("the examples are nested too deeply for a schema") from None
        if out is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            _write(out, text)
    except (_BadInput, ModelError) as exc:
        sys.stderr.write(f"konfig: error: {exc}\n")
        raise typer.Exit(2) from None


def _schema(
    examples: list[Path], *, enums: bool, strict: bool, from_model: str | None
) -> dict[str, object]:
    if from_model is not None:
        if examples or enums or strict:
            raise _BadInput("--from-model takes no examples, --enums or --strict")
        return model_schema(load_model(from_model))
    if not examples:
        raise _BadInput("generate-schema needs at least one example file (or --from-model)")
    values: list[Json] = []
    notes: dict[Place, Note] = {}
    for path in examples:
        for index, (value, found) in enumerate(_read(path), start=1):  # as validate counts
            try:
                values.append(json_like(value))
            except InferError as exc:
                raise _BadInput(f"{path}: document {index}: {exc}") from None
            for place, note in found.items():
                notes.setdefault(place, note)  # the first example's comment wins
    return infer_schema(values, notes, enums=enums, strict=strict)


def _read(path: Path) -> list[tuple[object, dict[Place, Note]]]:
    """The examples in one file, each with the notes of its comments (YAML only)."""
    name = str(path)
    try:
        raw = sys.stdin.buffer.read() if name == "-" else path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as exc:  # worded as `konfig validate` words it
        raise _BadInput(f"{name}: {(exc.strerror or str(exc)).lower()}") from None
    except UnicodeDecodeError as exc:
        raise _BadInput(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    suffix = path.suffix.lower() if name != "-" else ""
    try:
        if suffix in (".json", ".toml"):
            value = json.loads(text) if suffix == ".json" else tomllib.loads(text)
            if too_deep(value):
                raise TooDeep
            return [(value, {})]
        return [(d.value, d.notes) for d in yaml_documents(text)]  # it measures each depth
    except json.JSONDecodeError as exc:
        raise _BadInput(f"{name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except tomllib.TOMLDecodeError as exc:
        raise _BadInput(f"{name}: invalid TOML: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        raise _BadInput(_yaml_message(name, exc)) from None
    except yaml.YAMLError as exc:
        raise _BadInput(f"{name}: invalid YAML: {' '.join(str(exc).split())}") from None
    except (TooDeep, RecursionError):  # json's and tomllib's own guards, or MAX_DEPTH
        raise _BadInput(f"{name}: {TOO_DEEP}") from None


def _yaml_message(name: str, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
    problem = exc.problem or exc.context or "invalid YAML"
    return f"{where}: invalid YAML: {problem}"


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _BadInput(f"{path}: cannot write: {exc.strerror or exc}") from None
