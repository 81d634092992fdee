"""Oracles: konfig's verdict on an instance written out as YAML equals the ``jsonschema``
library's on the instance itself, and ``check-jsonschema``'s on the same file (a sample)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from konfig._load import load_text
from konfig._schema import compile_schema
from konfig._validate import validate_source

from .conftest import check_jsonschema_invalid, konfig_invalid

KEYS = ["name", "port", "tags", "enabled", "mode", "a", "b"]

SCHEMAS: list[dict[str, Any]] = [
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "pattern": "^[a-z]+$"},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            "enabled": {"type": "boolean"},
            "mode": {"enum": ["auto", "manual", 1, None]},
        },
    },
    {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": ["object", "array"],
        "items": {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 3}]},
        "if": {"type": "object", "required": ["a"]},
        "then": {"properties": {"b": {"const": True}}, "required": ["b"]},
        "maxProperties": 3,
    },
    {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "oneOf": [
            {"type": "object", "properties": {"port": {"type": "integer"}}},
            {"type": "array", "minItems": 2, "items": {"type": "number", "maximum": 10}},
            {"type": "integer", "multipleOf": 3},
        ],
    },
    {
        "type": "object",
        "properties": {"port": {"type": "number", "multipleOf": 0.5, "exclusiveMinimum": 0}},
        "patternProperties": {"^[ab]$": {"type": "string", "format": "ipv4"}},
        "additionalProperties": {"type": ["array", "null"], "contains": {"type": "boolean"}},
        "unevaluatedProperties": False,
    },
]

safe_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | safe_text
    | st.sampled_from(["auto", "manual", "10.0.0.1", "abc", ""])
)
instances = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | safe_text, inner, max_size=5)
    ),
    max_leaves=12,
)


def konfig_valid(schema: dict[str, Any], text: str) -> bool:
    compiled = compile_schema(load_text("s.json", json.dumps(schema)))
    problems = validate_source(load_text("v.yaml", text), compiled)
    return not [p for p in problems if p.severity == "error"]


def library_valid(schema: dict[str, Any], instance: Any) -> bool:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return bool(cls(schema, format_checker=cls.FORMAT_CHECKER).is_valid(instance))


@pytest.mark.parametrize("index", range(len(SCHEMAS)))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances)
def test_verdicts_equal_the_jsonschema_library_s(index: int, instance: Any) -> None:
    schema = SCHEMAS[index]
    text = yaml.safe_dump(instance, allow_unicode=True)
    read = yaml.safe_load(text)  # the instance, but for what YAML cannot keep (a NEL in a key)
    assert konfig_valid(schema, text) == library_valid(schema, read), text


# check-jsonschema reads YAML 1.2 (ruamel.yaml): strings are kept to letters, which both YAML
# versions read alike once safe_dump has quoted the 1.1 words (yes, no, null...)
letters = st.text(st.sampled_from("abcxyzNOYESon"), max_size=5)
plain = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 70000) | letters,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | letters, inner, max_size=4)
    ),
    max_leaves=8,
)


@settings(
    max_examples=1, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(plain, min_size=6, max_size=6))
def test_verdicts_equal_check_jsonschema_s_on_a_sample(tmp_path: Path, batch: list[Any]) -> None:
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(SCHEMAS[0]), encoding="utf-8")
    files = []
    for i, instance in enumerate(batch):
        path = tmp_path / f"v{i}.yaml"
        path.write_text(yaml.safe_dump(instance), encoding="utf-8")
        files.append(str(path))
    assert konfig_invalid(schema_path, files) == check_jsonschema_invalid(schema_path, files)
