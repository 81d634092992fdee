"""check-jsonschema and the ``jsonschema`` library as oracles, file by file, on generated
instances (issue 13, "Done when": the same verdicts on generated instances, hypothesis).

check-jsonschema starts a Python process per run, so each hypothesis example is a *batch*:
N instances written as N YAML files, check-jsonschema run once over all of them, konfig once
(twice: as YAML 1.1 and as 1.2), and the per-file verdicts compared.

The two tools read YAML differently, on purpose: check-jsonschema with ruamel.yaml (YAML 1.2),
konfig as YAML 1.1 by default (as Helm and ``yaml.safe_load`` do). The strings generated
include the words where the versions part (``1e3``, ``0o17``, ``-.5``, ``089``: numbers to
YAML 1.2, strings to 1.1; ``on``/``no``/``1:30``/``0755``, which ``safe_dump`` quotes). So the
oracles are paired by reading: konfig's default verdict must equal the ``jsonschema`` library's
on what ``yaml.safe_load`` reads, and konfig's ``--yaml-version 1.2`` verdict must equal
check-jsonschema's. Keys are kept to plain words: a key such as ``1e3`` becomes the string
"1000.0" in check-jsonschema (``str`` of the float) and stays "1e3" in konfig.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .conftest import check_jsonschema_invalid, konfig_invalid
from .test_oracle import KEYS, SCHEMAS

BATCH = 60  # one generated batch a schema (max_examples=1): each batch is 3 process runs
# words YAML 1.1 and 1.2 read differently, JSON-Schema-relevant strings, and plain letters
WORDS = [
    *("1e3", "1.0e3", "0o17", "-.5", "089", "12e03"),  # plain, and numbers only to YAML 1.2
    *("on", "no", "Yes", "1:30", "0755", "0x1F", "null", "~", "True", "1.10", "2024-01-02"),
    *("auto", "manual", "10.0.0.1", "256.0.0.1", "abc", "ab", "a-b", ""),
]
strings = st.sampled_from(WORDS) | st.text(st.sampled_from("abcxyz019.:-"), max_size=5)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-1000, 70000)
    | st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 2))
    | strings
)
keys = st.sampled_from([*KEYS, "x", "yy", "key"])
instances = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=10,
)


# a batch every run checks: values whose verdict turns on the YAML version, for each schema
# (`port: 089` is the string '089' to YAML 1.1 and the integer 89 to YAML 1.2, and so on)
PARTING = [
    {"name": "abc", "port": "089"},
    {"name": "abc", "tags": ["1e3", "0o17"]},
    {"name": "abc", "mode": "-.5"},
    ["1e3", "12e03"],
    ["089", "0o17", "-.5"],
    {"port": "1.0e3"},
    {"port": "0o17"},
    {"a": "1e3", "b": None},
    "089",
    "1e3",
]


def _library_invalid(schema: dict[str, Any], texts: dict[str, str]) -> set[str]:
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return {name for name, text in texts.items() if not validator.is_valid(yaml.safe_load(text))}


@pytest.mark.parametrize("index", range(len(SCHEMAS)))
@settings(
    max_examples=1,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(instances, min_size=BATCH, max_size=BATCH))
@example(batch=PARTING)
def test_per_file_verdicts_equal_check_jsonschema_s_and_the_library_s(
    tmp_path_factory: pytest.TempPathFactory, index: int, batch: list[Any]
) -> None:
    root = tmp_path_factory.mktemp("batch")
    schema = root / "schema.json"
    schema.write_text(json.dumps(SCHEMAS[index]), encoding="utf-8")
    texts = {}
    for i, instance in enumerate(batch):
        path = root / f"i{i:03}.yaml"
        texts[str(path)] = yaml.safe_dump(instance)
        path.write_text(texts[str(path)], encoding="utf-8")
    files = sorted(texts)
    assert konfig_invalid(schema, files) == _library_invalid(SCHEMAS[index], texts)
    peer = check_jsonschema_invalid(schema, files)
    assert konfig_invalid(schema, files, "--yaml-version", "1.2") == peer
