"""Load a JSON Schema once: pick its draft, check it against its metaschema, wire up ``$ref``
to local files and the ``format`` checks, and compile it for the many documents to come.

The draft comes from ``$schema`` (drafts 3, 4, 6, 7, 2019-09 and 2020-12, as the ``jsonschema``
library knows them); without one, 2020-12. An unknown ``$schema`` is an error rather than a
silent fallback: a schema written for another dialect would be half-checked.

An invalid schema is reported with the schema file's own line and column, found through the
same positional loader as the documents (``_yaml``), so a schema written in YAML works too.

``$ref`` to another file is resolved relative to the referring schema file through a
``referencing.Registry`` whose retrieve function reads local files (JSON or YAML) -- never the
network: a reference that resolves to an ``http(s)`` URI is looked for under the schema's
directory when it shares the base of the root schema's ``$id``, and is an error otherwise.

``format`` is checked with the draft's ``FormatChecker``, which checks a format only when the
library it needs is installed. konfig depends on ``rfc3339-validator`` (``date-time``,
``time``), ``rfc3986-validator`` (``uri``, ``uri-reference``) and ``fqdn`` (``hostname``); the
standard library covers ``date``, ``email``, ``idn-email``, ``ipv4``, ``ipv6``, ``regex`` and
``uuid``. Other formats (``duration``, ``iri``, ``json-pointer``, ``uri-template``, ...) are
checked only where their optional library happens to be installed, as ``jsonschema`` does.
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import jsonschema.exceptions  # type: ignore[import-untyped]
import jsonschema.validators  # type: ignore[import-untyped]
import referencing
import referencing.exceptions
import referencing.jsonschema

from ._document import Source
from ._errors import KonfigError, LoadError
from ._load import load, load_text

__all__ = ["Schema", "compile_schema", "load_schema"]

DRAFTS = {
    "http://json-schema.org/draft-03/schema#": "draft 3",
    "http://json-schema.org/draft-04/schema#": "draft 4",
    "http://json-schema.org/draft-06/schema#": "draft 6",
    "http://json-schema.org/draft-07/schema#": "draft 7",
    "https://json-schema.org/draft/2019-09/schema": "draft 2019-09",
    "https://json-schema.org/draft/2020-12/schema": "draft 2020-12",
}


@dataclass(frozen=True, slots=True)
class Schema:
    """A schema ready to validate: the compiled validator, its draft's name, and the source
    it came from (for positions in the schema's own errors)."""

    source: Source
    contents: Any
    draft: str
    validator: jsonschema.protocols.Validator
    fast: Callable[[Any], bool] | None  # a yes/no verdict, when a faster engine agrees


def _normalise(uri: str) -> str:
    return uri.rstrip("#")


def load_schema(path: str, *, fast: bool = True) -> Schema:
    """Read the schema at ``path`` (JSON or YAML) and compile it (``KonfigError`` when the file
    is missing, ``LoadError`` when it does not parse or is not a valid schema)."""
    return compile_schema(load(path), base=os.path.abspath(path), fast=fast)


def compile_schema(source: Source, *, base: str | None = None, fast: bool = True) -> Schema:
    """Compile the schema in ``source`` (its first document); ``base`` is the file path that
    relative ``$ref`` resolve against (the current directory when None)."""
    doc = source.documents[0]
    contents = doc.value
    if not isinstance(contents, dict | bool):
        raise LoadError(
            "invalid schema: a schema is a mapping (or true/false)",
            file=source.name,
            line=doc.value_pos(()).line,
            column=doc.value_pos(()).column,
        )
    dialect = contents.get("$schema") if isinstance(contents, dict) else None
    if dialect is not None and (
        not isinstance(dialect, str) or _normalise(dialect) not in map(_normalise, DRAFTS)
    ):
        pos = doc.value_pos(("$schema",))
        raise LoadError(
            f"unknown $schema {dialect!r}: konfig knows drafts 3, 4, 6, 7, 2019-09 and 2020-12",
            file=source.name,
            line=pos.line,
            column=pos.column,
        )
    cls: Any = jsonschema.validators.validator_for(
        contents, default=jsonschema.Draft202012Validator
    )
    draft = next(
        (name for uri, name in DRAFTS.items() if _normalise(uri) == _normalise(dialect or "")),
        "draft 2020-12",
    )
    _check_against_metaschema(cls, source)
    base_uri = Path(base or os.path.join(os.getcwd(), "schema.json")).resolve().as_uri()
    specification = referencing.jsonschema.specification_with(
        cls.META_SCHEMA.get("$schema", ""),
        default=referencing.jsonschema.DRAFT202012,
    )
    root_id = _root_id(contents)
    registry: referencing.Registry[Any] = referencing.Registry(  # type: ignore[call-arg]
        retrieve=_retriever(base_uri, root_id, specification)
    )
    resource = specification.create_resource(contents)
    if root_id is None and isinstance(contents, dict):
        # without an $id, relative references resolve against the schema file itself
        registry = registry.with_resource(base_uri, resource)
        contents = {**contents, ("id" if draft in ("draft 3", "draft 4") else "$id"): base_uri}
    validator = cls(contents, registry=registry, format_checker=cls.FORMAT_CHECKER)
    retrieve = _retriever(base_uri, root_id, specification)
    return Schema(
        source=source,
        contents=contents,
        draft=draft,
        validator=validator,
        fast=_fast_verdict(contents, cls, retrieve) if fast else None,
    )


def _root_id(contents: Any) -> str | None:
    if not isinstance(contents, dict):
        return None
    found = contents.get("$id", contents.get("id"))
    return found if isinstance(found, str) and found else None


def _check_against_metaschema(cls: Any, source: Source) -> None:
    doc = source.documents[0]
    meta = cls(cls.META_SCHEMA)
    error = jsonschema.exceptions.best_match(meta.iter_errors(doc.value))
    if error is None:
        return
    path = tuple(error.absolute_path)
    pos = doc.value_pos(path)
    where = "/".join(str(p) for p in path)
    raise LoadError(
        f"invalid schema: {where + ': ' if where else ''}{error.message}",
        file=source.name,
        line=pos.line,
        column=pos.column,
    )


def _retriever(
    base_uri: str, root_id: str | None, specification: referencing.Specification[Any]
) -> Callable[[str], referencing.Resource[Any]]:
    """The registry's retrieve function: local files only."""
    root_dir = base_uri.rsplit("/", 1)[0] + "/"
    id_dir = root_id.split("#")[0].rsplit("/", 1)[0] + "/" if root_id else None

    def retrieve(uri: str) -> referencing.Resource[Any]:
        target = uri
        if id_dir and uri.startswith(id_dir):
            target = root_dir + uri[len(id_dir) :]
        parsed = urllib.parse.urlsplit(urllib.parse.urljoin(root_dir, target))
        if parsed.scheme != "file":
            raise KonfigError(f"$ref {uri!r}: konfig reads only local files, not the network")
        path = urllib.request.url2pathname(parsed.path)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            raise KonfigError(f"$ref target {path}: {reason}") from None
        value = load_text(path, text).documents[0].value
        return referencing.Resource.from_contents(value, default_specification=specification)

    return retrieve


# Every format name either engine knows: jsonschema-rs's own checks are replaced by the Python
# checker's verdict (True for a format the Python side does not check), so both agree.
_FORMATS = (
    "date", "date-time", "duration", "email", "hostname", "idn-email", "idn-hostname", "ipv4",
    "ipv6", "iri", "iri-reference", "json-pointer", "regex", "relative-json-pointer", "time",
    "uri", "uri-reference", "uri-template", "uuid",
)  # fmt: skip

# Keywords whose jsonschema-rs semantics differ from jsonschema's on some instances:
# ``multipleOf`` (exact decimal arithmetic there, float division here: 0.3 is a multiple of
# 0.1 for one and not the other). A schema using one is validated by jsonschema alone.
_DIVERGENT = frozenset({"multipleOf"})


def _uses(value: Any, keywords: frozenset[str]) -> bool:
    if isinstance(value, dict):
        return any(k in keywords or _uses(v, keywords) for k, v in value.items())
    if isinstance(value, list):
        return any(_uses(v, keywords) for v in value)
    return False


def _fast_verdict(
    contents: Any, cls: Any, retrieve: Callable[[str], referencing.Resource[Any]]
) -> Callable[[Any], bool] | None:
    """``jsonschema-rs``'s yes/no verdict, used to skip the Python validator on valid
    documents (about 10x faster there); failures are always explained, and decided, by
    ``jsonschema``. Its ``format`` checks are replaced by the Python checker's, and it is not
    used for schemas with a keyword where the two differ (``_DIVERGENT``) or for draft 3,
    which it does not implement. None when it is not installed or declines the schema."""
    if cls is jsonschema.Draft3Validator or _uses(contents, _DIVERGENT):
        return None
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    checker = cls.FORMAT_CHECKER

    def conforms(name: str) -> Callable[[str], bool]:
        return lambda value: bool(checker.conforms(value, name))

    def retriever(uri: str) -> Any:
        resource = retrieve(uri)
        if _uses(resource.contents, _DIVERGENT):
            raise KonfigError("divergent keyword in a referenced schema")
        return resource.contents

    try:
        validator = jsonschema_rs.validator_for(
            contents,
            formats={name: conforms(name) for name in (*_FORMATS, *checker.checkers)},
            validate_formats=True,
            retriever=retriever,
        )
    except Exception:  # declined: jsonschema alone decides
        return None
    is_valid: Callable[[Any], bool] = validator.is_valid
    return is_valid


def unresolvable(exc: referencing.exceptions.Unresolvable, schema: Schema) -> KonfigError:
    """The error for a ``$ref`` that cannot be resolved while validating."""
    seen: list[BaseException] = [exc]
    while seen:  # our retrieve function's own error, wrapped by referencing and jsonschema
        error = seen.pop()
        if isinstance(error, KonfigError):
            return KonfigError(f"{schema.source.name}: {error.message}")
        seen.extend(
            e
            for e in (error.__cause__, error.__context__, getattr(error, "_wrapped", None))
            if isinstance(e, BaseException)
        )
    return KonfigError(f"{schema.source.name}: cannot resolve $ref {exc.ref!r}")
