"""``konfig._infer``: the schema inferred from examples is a valid draft 2020-12 schema, every
example validates against it (jsonschema is the oracle, formats checked), it does not depend
on the order of examples or keys, and it follows the genson-style rules docs/konfig.md states.
"""

from __future__ import annotations

import copy
import datetime
import json
import random
from typing import Any

import pytest
from check_jsonschema.formats.implementations import validate_rfc3339
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from konfig._cli_generate import render_schema
from konfig._formats import FORMATS, detect_format, recognised_idioms
from konfig._infer import DIALECT, ITEMS, InferError, Note, infer_schema, json_like

# jsonschema's own checkers, plus check-jsonschema's RFC 3339 date-time (jsonschema checks
# date-time only with an optional package): a format the inference claims must hold here.
CHECKER: FormatChecker = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)
CHECKER.checks("date-time")(validate_rfc3339)

FORMATTED = [
    "2024-03-15",
    "1999-12-31",
    "2024-03-15T13:45:30Z",
    "2024-03-15T13:45:30.5+02:00",
    "192.168.0.1",
    "10.0.0.255",
    "fe80::1",
    "2001:db8::8a2e:370:7334",
    "jane@example.com",
    "https://example.com/a?b=1",
    "ftp://files.example.org",
    "123e4567-e89b-42d3-a456-426614174000",
    "1.2.3",
    "2024-13-45",
    "256.1.1.1",
]

# YAML's own line breaks (NEL, LS, PS) are left out: PyYAML writes them in a plain key and reads
# them back as a space, a round trip no reader of konfig's could fix
text = st.text(st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029"), max_size=6)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["a", "b", "c"]),
    text,
    st.sampled_from(FORMATTED),
)
keys = st.sampled_from(["name", "port", "tags", "env", "enabled", "x"]) | text.map(lambda t: t[:3])
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=20,
)


def validate(schema: dict[str, object], instance: object) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=CHECKER)
    return [e.message for e in validator.iter_errors(instance)]


@settings(max_examples=60, deadline=None)
@given(st.lists(documents, min_size=1, max_size=4), st.booleans(), st.booleans())
def test_every_example_validates_against_the_schema_inferred_from_it(
    examples: list[Any], enums: bool, strict: bool
) -> None:
    schema = infer_schema(examples, enums=enums, strict=strict)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    for example in examples:
        assert validate(schema, example) == []


def _shuffled_keys(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled_keys(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled_keys(v, rng) for v in value]
    return value


@settings(max_examples=50, deadline=None)
@given(st.lists(documents, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_the_order_of_examples_and_of_keys_does_not_change_a_byte(
    examples: list[Any], rng: random.Random
) -> None:
    first = render_schema(infer_schema(examples, enums=True, strict=True))
    again = render_schema(infer_schema(examples, enums=True, strict=True))
    reordered = [_shuffled_keys(e, rng) for e in examples]
    rng.shuffle(reordered)
    assert again == first
    assert render_schema(infer_schema(reordered, enums=True, strict=True)) == first


def test_a_key_in_every_example_is_required_one_in_some_is_optional() -> None:
    schema = infer_schema([{"name": "a", "port": 1}, {"name": "b"}])
    assert schema["required"] == ["name"]
    assert schema["properties"] == {"name": {"type": "string"}, "port": {"type": "integer"}}
    assert validate(schema, {"port": 1}) == ["'name' is a required property"]


def test_differing_scalar_types_become_a_sorted_type_list() -> None:
    schema = infer_schema([{"v": "3"}, {"v": 3}, {"v": None}])
    assert schema["properties"]["v"] == {"type": ["null", "integer", "string"]}
    assert validate(schema, {"v": True}) != []


def test_integers_stay_integers_until_a_float_is_seen() -> None:
    assert infer_schema([1, 2, -3])["type"] == "integer"
    assert infer_schema([1, 2.5])["type"] == "number"
    assert infer_schema([1.0])["type"] == "number"  # a float is never narrowed
    assert infer_schema([True, 1])["type"] == ["boolean", "integer"]  # bool is no integer


def test_structures_of_different_kinds_get_their_own_anyof_branch() -> None:
    schema = infer_schema([{"a": 1}, [1, "x"], "s", None])
    assert schema["anyOf"] == [
        {"type": ["null", "string"]},
        {"type": "array", "items": {"type": ["integer", "string"]}},
        {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
    ]


def test_the_items_of_every_array_in_every_example_merge_into_one_schema() -> None:
    examples = [
        {"env": [{"name": "A", "value": "1"}, {"name": "B"}]},
        {"env": [{"name": "C", "value": 2, "secret": True}]},
        {"env": []},
    ]
    items = infer_schema(examples)["properties"]["env"]["items"]
    assert items == {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "secret": {"type": "boolean"},
            "value": {"type": ["integer", "string"]},
        },
        "required": ["name"],
    }


def test_arrays_seen_only_empty_say_nothing_of_their_items() -> None:
    assert infer_schema([{"a": []}])["properties"]["a"] == {"type": "array"}


def test_nested_arrays_of_arrays() -> None:
    schema = infer_schema([[[1, 2], [3.5]], [[]]])
    assert schema["items"] == {"type": "array", "items": {"type": "number"}}


def test_enums_only_when_asked_and_only_for_small_closed_sets() -> None:
    examples = [{"level": v} for v in ["info", "debug", "info", "debug", "warn", "warn"]]
    assert "enum" not in infer_schema(examples)["properties"]["level"]
    level = infer_schema(examples, enums=True)["properties"]["level"]
    assert level == {"type": "string", "enum": ["debug", "info", "warn"]}
    # a value seen once is no evidence of a closed set
    assert (
        "enum"
        not in infer_schema([*examples, {"level": "error"}], enums=True)["properties"]["level"]
    )
    # six distinct values are not a small set, however often each is seen
    six = [{"n": i % 6} for i in range(12)]
    assert "enum" not in infer_schema(six, enums=True)["properties"]["n"]
    five = [{"n": i % 5} for i in range(10)]
    assert infer_schema(five, enums=True)["properties"]["n"]["enum"] == [0, 1, 2, 3, 4]
    # one constant is not a set; booleans say no more than their type
    assert "enum" not in infer_schema([{"k": "v1"}] * 3, enums=True)["properties"]["k"]
    assert "enum" not in infer_schema([True, False, True, False], enums=True)


def test_an_enum_counts_equal_json_numbers_as_one_value_and_keeps_null() -> None:
    schema = infer_schema([1, 1.0, 2, 2, None, None], enums=True)
    assert schema == {"$schema": DIALECT, "type": ["null", "number"], "enum": [None, 1, 2]}


def test_strict_closes_every_object_nested_or_in_items() -> None:
    schema = infer_schema([{"a": {"b": [{"c": 1}]}}], strict=True)
    assert schema["additionalProperties"] is False
    inner = schema["properties"]["a"]
    assert inner["additionalProperties"] is False
    assert inner["properties"]["b"]["items"]["additionalProperties"] is False
    assert validate(schema, {"a": {"b": [{"c": 1, "d": 2}]}}) != []
    assert "additionalProperties" not in json.dumps(infer_schema([{"a": {"b": 1}}]))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["2024-03-15", "1999-12-31"], "date"),
        (["2024-03-15T13:45:30Z", "2024-03-15t13:45:30.123-05:00"], "date-time"),
        (["192.168.0.1", "10.0.0.255"], "ipv4"),
        (["fe80::1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "::ffff:10.0.0.1"], "ipv6"),
        (["jane.doe@example.com"], "email"),
        (["https://example.com/path?q=1", "s3://bucket/key"], "uri"),
        (["123e4567-e89b-42d3-a456-426614174000"], "uuid"),
    ],
)
def test_a_format_is_named_when_every_value_has_it(values: list[str], expected: str) -> None:
    assert detect_format(values) == expected
    schema = infer_schema([{"v": v} for v in values])
    assert schema["properties"]["v"] == {"type": "string", "format": expected}
    for v in values:
        assert CHECKER.conforms(v, expected) or expected == "uri"


@pytest.mark.parametrize(
    "values",
    [
        ["1.2.3"],  # three parts: a version, not an address
        ["256.1.1.1"],
        ["01.2.3.4"],  # a leading zero: ipaddress (and jsonschema) refuse it
        ["192.168.0.1", "not an address"],  # every value, not most
        ["2024-13-45"],  # the shape of a date, no real day
        ["2024-03-15T13:45:30"],  # RFC 3339 needs an offset
        ["2024-02-30T13:45:30Z"],
        ["jane@localhost"],
        ["example.com/path"],  # no scheme
        ["http://bad%zzescape"],
        ["123e4567-e89b-42d3-a456-42661417400g"],
        ["dead:beef"],  # hex and colons, but no IPv6 address
        [],
    ],
)
def test_near_misses_get_no_format(values: list[str]) -> None:
    assert detect_format(values) is None


def test_every_format_regex_is_the_idiom_rxp_names_it() -> None:
    """The regexes are rxp idioms: ``rxp explain`` names each whole pattern as its idiom."""
    assert recognised_idioms() == {f.name: (f.idiom,) for f in FORMATS}


def test_notes_become_title_and_description_by_place() -> None:
    notes = {
        ("replicas",): Note(title="pods", description="How many pods to run."),
        ("env", ITEMS, "name"): Note(description="The variable."),
    }
    schema = infer_schema([{"replicas": 1, "env": [{"name": "A"}]}], notes)
    assert schema["properties"]["replicas"] == {
        "type": "integer",
        "title": "pods",
        "description": "How many pods to run.",
    }
    assert schema["properties"]["env"]["items"]["properties"]["name"]["description"] == (
        "The variable."
    )


def test_no_examples_give_the_schema_that_accepts_anything() -> None:
    assert infer_schema([]) == {"$schema": DIALECT}


def test_json_like_turns_dates_into_strings_and_keys_into_text() -> None:
    value = {"d": datetime.date(2024, 3, 15), 2: [datetime.time(13, 45)], False: None}
    assert json_like(value) == {"d": "2024-03-15", "2": ["13:45:00"], "False": None}


def test_json_like_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(InferError, match=r"\$\.a: a set value has no JSON type"):
        json_like({"a": {1, 2}})
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(InferError, match="recursive alias"):
        json_like(loop)
    shared = [1]
    assert json_like({"a": shared, "b": shared}) == {"a": [1], "b": [1]}  # an alias is fine
