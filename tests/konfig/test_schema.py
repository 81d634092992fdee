"""Schemas: the draft chosen by $schema, $ref to local files, format, invalid schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from konfig._errors import LoadError
from konfig._load import load_text
from konfig._schema import load_schema
from konfig._validate import validate_source

from .conftest import write


def verdict(schema_path: str, text: str) -> bool:
    schema = load_schema(schema_path)
    problems = validate_source(load_text("v.yaml", text), schema)
    return not [p for p in problems if p.severity == "error"]


# One instance each draft judges differently from its neighbours, so the draft chosen is seen.
@pytest.mark.parametrize(
    ("dialect", "name", "schema", "instance", "valid"),
    [
        # draft 4: exclusiveMaximum is a boolean modifier of maximum
        ("http://json-schema.org/draft-04/schema#", "draft 4",
         {"maximum": 5, "exclusiveMaximum": True}, "5", False),
        # draft 6: exclusiveMaximum is a number; 1.0 is an integer (not in draft 4)
        ("http://json-schema.org/draft-06/schema#", "draft 6",
         {"exclusiveMaximum": 5, "type": "integer"}, "1.0", True),
        ("http://json-schema.org/draft-04/schema#", "draft 4", {"type": "integer"}, "1.0", False),
        # draft 7: if/then
        ("http://json-schema.org/draft-07/schema#", "draft 7",
         {"if": {"type": "string"}, "then": {"minLength": 3}}, "ab", False),
        ("http://json-schema.org/draft-06/schema#", "draft 6",
         {"if": {"type": "string"}, "then": {"minLength": 3}}, "ab", True),
        # 2019-09: dependentRequired
        ("https://json-schema.org/draft/2019-09/schema", "draft 2019-09",
         {"dependentRequired": {"a": ["b"]}}, "a: 1", False),
        ("http://json-schema.org/draft-07/schema#", "draft 7",
         {"dependentRequired": {"a": ["b"]}}, "a: 1", True),
        # 2020-12: prefixItems (items as an array is draft 2019-09's)
        ("https://json-schema.org/draft/2020-12/schema", "draft 2020-12",
         {"prefixItems": [{"type": "string"}]}, "[1]", False),
        ("https://json-schema.org/draft/2019-09/schema", "draft 2019-09",
         {"prefixItems": [{"type": "string"}]}, "[1]", True),
        (None, "draft 2020-12", {"prefixItems": [{"type": "string"}]}, "[1]", False),
    ],
)  # fmt: skip
def test_the_draft_is_chosen_by_dollar_schema(
    tmp_path: Path,
    dialect: str | None,
    name: str,
    schema: dict[str, object],
    instance: str,
    valid: bool,
) -> None:
    if dialect:
        schema = {"$schema": dialect, **schema}
    path = write(tmp_path / "s.json", json.dumps(schema))
    assert load_schema(path).draft == name
    assert verdict(path, instance) is valid


def test_ref_to_a_local_file_resolves_relative_to_the_schema(tmp_path: Path) -> None:
    write(tmp_path / "defs" / "port.yaml", "type: integer\nmaximum: 65535\n")
    write(tmp_path / "defs" / "service.json", json.dumps(
        {"type": "object", "properties": {"port": {"$ref": "port.yaml"}}}
    ))  # fmt: skip
    schema = write(tmp_path / "schema.json", json.dumps(
        {"properties": {"service": {"$ref": "defs/service.json"}}}
    ))  # fmt: skip
    assert verdict(schema, "service: {port: 80}")
    assert not verdict(schema, "service: {port: 70000}")


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("date-time", "'2024-01-02T03:04:05Z'", "'2024-13-02T03:04:05Z'"),
        ("date", "'2024-01-02'", "'2024-02-30'"),
        ("email", "a@example.com", "not-an-email"),
        ("ipv4", "10.0.0.1", "10.0.0.256"),
        ("ipv6", "'::1'", "'::g'"),
        ("uri", "https://example.com/x", "'not a uri'"),
        ("hostname", "example.com", "-bad-.example.com"),
        ("uuid", "12345678-1234-1234-1234-123456789abc", "1234"),
        ("regex", "'^a+$'", "'(unclosed'"),
    ],
)
def test_formats_are_checked(tmp_path: Path, fmt: str, good: str, bad: str) -> None:
    schema = write(tmp_path / "s.json", json.dumps({"type": "string", "format": fmt}))
    assert verdict(schema, good)
    assert not verdict(schema, bad)


def test_an_invalid_schema_reports_its_own_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "s.json", '{\n  "type": "object",\n  "properties": {\n'
                 '    "a": {"type": "strin"}\n  }\n}\n')  # fmt: skip
    with pytest.raises(LoadError) as caught:
        load_schema(path)
    assert (caught.value.line, caught.value.column) == (4, 19)
    assert "invalid schema" in caught.value.message


def test_an_invalid_yaml_schema_too(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", "type: object\nrequired: name\n")
    with pytest.raises(LoadError) as caught:
        load_schema(path)
    assert (caught.value.line, caught.value.column) == (2, 11)


def test_an_unknown_dialect_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "s.json", '{"$schema": "https://example.com/mine"}')
    with pytest.raises(LoadError, match="unknown \\$schema"):
        load_schema(path)
