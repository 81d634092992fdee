"""The core: where each kind of error points, and the hints."""

from __future__ import annotations

from typing import Any

from konfig._load import load_text
from konfig._schema import compile_schema
from konfig._validate import Problem, validate_source

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["replicaCount", "image"],
    "properties": {
        "replicaCount": {"type": "integer"},
        "enabled": {"type": "boolean"},
        "version": {"type": "string"},
        "image": {
            "type": "object",
            "required": ["repository", "tag"],
            "properties": {"repository": {"type": "string"}, "tag": {"type": "string"}},
        },
        "ports": {"type": "array", "items": {"type": "integer", "maximum": 65535}},
        "mode": {"anyOf": [{"type": "integer"}, {"enum": ["auto", "manual"]}]},
    },
}


def check(text: str, schema: Any = SCHEMA, *, strict: bool = False) -> list[Problem]:
    import json

    compiled = compile_schema(load_text("s.json", json.dumps(schema)))
    return validate_source(load_text("values.yaml", text), compiled, strict=strict)


def places(problems: list[Problem]) -> list[tuple[int, int, str, str]]:
    return [(p.line, p.column, p.instance_path, p.validator) for p in problems]


def test_a_wrong_type_points_at_the_value() -> None:
    (p,) = check("replicaCount: '3'\nimage: {repository: r, tag: t}\n")
    assert (p.line, p.column, p.instance_path, p.validator) == (1, 15, "/replicaCount", "type")
    assert p.message == "'3' is not of type 'integer'"
    assert p.schema_path == "#/properties/replicaCount/type"


def test_every_error_is_reported_in_source_order() -> None:
    text = "replicaCount: 1\nimage:\n  repository: 5\n  tag: x\nports: [80, 70000, http]\n"
    assert places(check(text)) == [
        (3, 15, "/image/repository", "type"),
        (5, 13, "/ports/1", "maximum"),
        (5, 20, "/ports/2", "type"),
    ]


def test_a_missing_required_key_points_at_the_mapping_and_names_a_near_miss() -> None:
    text = "replicaCount: 1\nimage:\n  repository: nginx\n  tagg: latest\n"
    problems = check(text)
    required = [p for p in problems if p.validator == "required"]
    assert places(required) == [(3, 3, "/image", "required")]
    assert required[0].hint == "did you mean `tag`? `tagg` is at line 4, column 3"


def test_an_unknown_key_points_at_the_key_with_did_you_mean() -> None:
    text = "replicacount: 2\nimage: {repository: r, tag: t}\n"
    problems = check(text)
    extra = [p for p in problems if p.validator == "additionalProperties"]
    assert places(extra) == [(1, 1, "/replicacount", "additionalProperties")]
    assert extra[0].hint == "did you mean `replicaCount`?"
    missing = [p for p in problems if p.validator == "required"]
    assert missing[0].hint.startswith("did you mean `replicaCount`? `replicacount` is at line 1")


def test_a_version_read_as_a_number_says_to_quote_it() -> None:
    (p,) = check("replicaCount: 1\nimage: {repository: r, tag: t}\nversion: 1.10\n")
    assert (p.line, p.column) == (3, 10)
    assert p.hint == 'YAML read `1.10` as the number 1.1; quote it: "1.10"'


def test_a_yaml11_boolean_where_a_string_is_wanted_says_so() -> None:
    problems = check("replicaCount: 1\nimage: {repository: r, tag: t}\nversion: on\n")
    error = next(p for p in problems if p.severity == "error")
    assert error.hint == 'YAML read `on` as the boolean true; quote it: "on"'
    warning = next(p for p in problems if p.severity == "warning")
    assert (warning.validator, warning.line, warning.column) == ("yaml11-bool", 3, 10)


def test_lies_are_warnings_and_errors_when_strict() -> None:
    text = "replicaCount: 1\nimage: {repository: r, tag: t}\nenabled: yes\nenabled: no\n"
    relaxed = check(text)
    assert {p.severity for p in relaxed} == {"warning"}
    assert sorted(p.validator for p in relaxed) == ["duplicate-key", "yaml11-bool", "yaml11-bool"]
    assert {p.severity for p in check(text, strict=True)} == {"error"}


def test_any_of_is_one_error_with_the_closest_alternative() -> None:
    (p,) = check("replicaCount: 1\nimage: {repository: r, tag: t}\nmode: automatic\n")
    assert (p.validator, p.line, p.column) == ("anyOf", 3, 7)
    assert p.hint.startswith("closest alternative:")


def test_each_document_of_a_stream_is_validated_on_its_own() -> None:
    text = "replicaCount: 1\nimage: {repository: r, tag: t}\n---\nreplicaCount: x\n"
    problems = check(text)
    assert [(p.document, p.line, p.column, p.validator) for p in problems] == [
        (2, 4, 1, "required"),
        (2, 4, 15, "type"),
    ]


def test_sequences_of_mappings_in_block_style() -> None:
    schema = {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "string"}}}}
    text = "- n: a\n- n: b\n-\n  n: 3\n"
    assert places(check(text, schema)) == [(4, 6, "/2/n", "type")]
