"""The core: documents (values with positions) and a schema in, a list of ``Problem`` out.

Pure: no files, no terminal. Every problem points at a place a person can act on -- the
offending value's node; for ``required``, the mapping that lacks the key; for
``additionalProperties: false``, each unexpected key's own node -- and says what to do where it
can: "did you mean `replicaCount`?" for an unknown key close to a known one (and for a missing
required key next to a near miss), "quote it" for a number where the schema wants a string,
"--yaml-version 1.2" for a workflow's ``on:`` that YAML 1.1 read as the key ``true``.

All errors are reported, not just the first (``iter_errors``). ``anyOf``/``oneOf`` failures are
reported once, at the instance, with the closest alternative's error (``best_match`` over the
branches' errors) as a hint instead of every branch's noise.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema.exceptions  # type: ignore[import-untyped]
import referencing.exceptions

from ._document import Document, Lie, Path, Source
from ._errors import KonfigError
from ._schema import Schema, unresolvable

__all__ = ["Problem", "lies", "pointer", "validate_document", "validate_source"]

_MAX_MESSAGE = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, at ``line``:``column`` (1-based) of document ``document`` (1-based) of
    ``file``. ``instance_path`` and ``schema_path`` are JSON Pointers (``/image/tag``,
    ``#/properties/image/properties/tag/type``); ``severity`` is ``error`` or ``warning``."""

    file: str
    document: int
    line: int
    column: int
    instance_path: str
    schema_path: str
    message: str
    validator: str
    severity: str = "error"
    hint: str = ""


def pointer(path: Iterable[object]) -> str:
    """The JSON Pointer (RFC 6901) of ``path``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _shorten(message: str) -> str:
    if len(message) <= _MAX_MESSAGE:
        return message
    half = _MAX_MESSAGE // 2 - 2
    return f"{message[:half]} ... {message[-half:]}"


def lies(source: Source, doc: Document, *, strict: bool) -> list[Problem]:
    """The document's YAML lies as warnings (errors when ``strict``)."""
    return [_lie_problem(source, doc, lie, strict=strict) for lie in doc.lies]


def _lie_problem(source: Source, doc: Document, lie: Lie, *, strict: bool) -> Problem:
    return Problem(
        file=source.name,
        document=doc.index,
        line=lie.pos.line,
        column=lie.pos.column,
        instance_path=pointer(lie.path),
        schema_path="",
        message=lie.message,
        validator=lie.kind,
        severity="error" if strict else "warning",
        hint=lie.hint,
    )


def validate_source(source: Source, schema: Schema, *, strict: bool = False) -> list[Problem]:
    """Every problem of every document of ``source``, in document and source order."""
    found: list[Problem] = []
    for doc in source.documents:
        found.extend(lies(source, doc, strict=strict))
        found.extend(validate_document(source, doc, schema))
    return sorted(found, key=lambda p: (p.document, p.line, p.column, p.severity != "error"))


def validate_document(source: Source, doc: Document, schema: Schema) -> list[Problem]:
    """The schema's errors for one document (the lies are ``lies``'s)."""
    if schema.fast is not None:
        try:
            if schema.fast(doc.value):
                return []
        except Exception:
            pass
    try:
        errors = list(schema.validator.iter_errors(doc.value))
    except referencing.exceptions.Unresolvable as exc:
        raise unresolvable(exc, schema) from None
    except re.error as exc:  # a `pattern` in ECMA 262 syntax Python's re cannot run (\p{L})
        raise KonfigError(
            f"{schema.source.name}: pattern {exc.pattern!r} is not a regular expression "
            f"Python can run ({exc.msg}); konfig runs patterns with Python's re"
        ) from None
    seen: set[tuple[str, str, int, int]] = set()
    problems: list[Problem] = []
    for error in errors:
        for problem in _problems(source, doc, error):
            key = (problem.instance_path, problem.message, problem.line, problem.column)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    return problems


def _problems(
    source: Source, doc: Document, error: jsonschema.exceptions.ValidationError
) -> Iterator[Problem]:
    path: Path = tuple(error.absolute_path)
    schema_path = "#" + pointer(error.absolute_schema_path)
    kind = str(error.validator)

    def problem(at: Path, message: str, hint: str = "", *, key: bool = False) -> Problem:
        pos = doc.key_pos(at) if key else doc.value_pos(at)
        return Problem(
            file=source.name,
            document=doc.index,
            line=pos.line,
            column=pos.column,
            instance_path=pointer(at),
            schema_path=schema_path,
            message=_shorten(message),
            validator=kind,
            hint=hint,
        )

    if kind == "additionalProperties" and isinstance(error.instance, dict):
        extras = _unexpected(error.instance, error.schema)
        if extras:
            known = _known_keys(error.schema)
            for extra in extras:
                word = doc.bool_keys.get((*path, extra))
                hint = (
                    _yaml11_key_hint(word, extra)
                    if word is not None and word in known
                    else _did_you_mean(extra, known)
                )
                yield problem(
                    (*path, extra),
                    f"unexpected key {extra!r} (additional properties are not allowed)",
                    hint,
                    key=True,
                )
            return
    if kind == "required" and isinstance(error.instance, dict):
        missing = next(
            (
                k
                for k in error.validator_value
                if k not in error.instance and error.message.startswith(repr(k))
            ),
            None,
        )
        if missing is not None:
            yield problem(path, error.message, _near_miss(missing, error.instance, doc, path))
            return
    if kind in ("anyOf", "oneOf") and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        hint = ""
        if best is not None:
            where = pointer(best.absolute_path)
            hint = f"closest alternative: {where[1:] + ': ' if where else ''}{best.message}"
        yield problem(path, error.message, _shorten(hint))
        return
    yield problem(path, error.message, _type_hint(error, doc, path))


def _type_hint(error: jsonschema.exceptions.ValidationError, doc: Document, path: Path) -> str:
    """For a ``type`` error on a string the YAML read as something else, what happened."""
    if error.validator != "type":
        return ""
    wanted = error.validator_value
    wants_string = wanted == "string" or (isinstance(wanted, list) and "string" in wanted)
    if not wants_string:
        return ""
    text = doc.numbers.get(path)
    if text is not None:
        return f'YAML read `{text}` as the number {error.instance!r}; quote it: "{text}"'
    if isinstance(error.instance, bool):
        for lie in doc.lies:
            if lie.path == path and lie.kind == "yaml11-bool":
                word = lie.message.split("`")[1]
                return (
                    f"YAML read `{word}` as the boolean {str(error.instance).lower()}; "
                    f'quote it: "{word}"'
                )
    return ""


def _known_keys(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    properties = schema.get("properties")
    return sorted(properties) if isinstance(properties, dict) else []


def _unexpected(instance: dict[str, Any], schema: Any) -> list[str]:
    """The keys ``additionalProperties`` rejects: in neither ``properties`` nor matched by a
    ``patternProperties`` regex (the library's own rule)."""
    if not isinstance(schema, dict):
        return []
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in properties and not any(re.search(p, key) for p in patterns)
    ]


def _did_you_mean(word: str, candidates: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"did you mean `{close[0]}`?" if close else ""


def _near_miss(missing: str, instance: dict[str, Any], doc: Document, path: Path) -> str:
    """For a missing required key, a key of the mapping that looks like a misspelling of it."""
    for key in instance:
        if doc.bool_keys.get((*path, key)) == missing:
            pos = doc.key_pos((*path, key))
            return _yaml11_key_hint(missing, key, f" (line {pos.line}, column {pos.column})")
    others = [k for k in instance if isinstance(k, str)]
    close = difflib.get_close_matches(missing, others, n=1, cutoff=0.6)
    if not close:
        lowered = {k.lower(): k for k in others}
        close = [lowered[missing.lower()]] if missing.lower() in lowered else []
    if not close:
        return ""
    pos = doc.key_pos((*path, close[0]))
    return f"did you mean `{missing}`? `{close[0]}` is at line {pos.line}, column {pos.column}"


def _yaml11_key_hint(word: str, key: str, where: str = "") -> str:
    """Why a key written ``on:`` is missing (or unexpected as ``true``): YAML 1.1 read it as a
    boolean, where GitHub Actions, a YAML 1.2 reader, reads the string."""
    return (
        f"YAML 1.1 reads the key `{word}`{where} as the boolean {key}; GitHub Actions reads "
        f'YAML 1.2, where it is `{word}`: give --yaml-version 1.2 (or quote it: "{word}")'
    )
