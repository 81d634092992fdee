"""The official JSON-Schema-Test-Suite (drafts 4 to 2020-12, required cases) with every
instance written out as a YAML file: konfig's verdict equals the suite's wherever YAML can carry
the JSON instance unchanged and the schema needs no network (``http://localhost:1234``).

One deliberate difference: konfig checks ``format`` in every draft (as check-jsonschema does),
where 2019-09 and 2020-12 make it an annotation by default, so their ``format.json`` cases,
which test that default, are left out. A ``pattern`` in ECMA 262 syntax that Python's ``re``
cannot run (``\\p{Letter}``) makes konfig stop with exit 2 rather than guess."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from konfig._errors import KonfigError
from konfig._load import load_text
from konfig._schema import compile_schema
from konfig._validate import validate_source

DATA = Path(__file__).with_name("data") / "json-schema-test-suite.json.gz"
SUITE: dict[str, dict[str, list[dict[str, Any]]]] = json.loads(gzip.decompress(DATA.read_bytes()))
DIALECTS = {
    "draft4": "http://json-schema.org/draft-04/schema#",
    "draft6": "http://json-schema.org/draft-06/schema#",
    "draft7": "http://json-schema.org/draft-07/schema#",
    "draft2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
}


def _typed(value: Any) -> Any:
    """``value`` with its JSON types spelled out (so 1 and 1.0, or True and 1, differ)."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def _cases(draft: str) -> list[tuple[str, Any, str, bool]]:
    cases = []
    for name, groups in sorted(SUITE[draft].items()):
        if name == "format.json" and draft in ("draft2019-09", "draft2020-12"):
            continue  # an annotation only, by default, from 2019-09 on; konfig asserts it
        for group in groups:
            schema = group["schema"]
            if "localhost:1234" in json.dumps(schema):
                continue  # remote references: konfig never fetches
            if isinstance(schema, dict) and "$schema" not in schema:
                schema = {"$schema": DIALECTS[draft], **schema}
            for test in group["tests"]:
                text = yaml.safe_dump(test["data"], allow_unicode=True)
                if _typed(yaml.safe_load(text)) != _typed(test["data"]):
                    continue  # YAML cannot carry this instance unchanged
                label = f"{name}: {group['description']}: {test['description']}"
                cases.append((label, schema, text, test["valid"]))
    return cases


@pytest.mark.parametrize("draft", sorted(DIALECTS))
def test_konfig_agrees_with_the_suite(draft: str) -> None:
    compiled: dict[str, Any] = {}
    wrong, refused = [], []
    cases = _cases(draft)
    for label, schema, text, valid in cases:
        key = json.dumps(schema, sort_keys=True)
        if key not in compiled:
            compiled[key] = compile_schema(load_text("schema.json", key))
        try:
            problems = validate_source(load_text("instance.yaml", text), compiled[key])
        except KonfigError as exc:  # an ECMA 262 pattern Python's re cannot run
            assert "is not a regular expression Python can run" in exc.message
            refused.append(label)
            continue
        if (not [p for p in problems if p.severity == "error"]) != valid:
            wrong.append(label)
    assert len(cases) > 500
    assert len(refused) < 10, refused
    assert wrong == []
