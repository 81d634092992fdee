"""The corners of reading and of the command line that the other tests leave aside: inputs a
user will one day give konfig (a YAML alias that contains itself, keys that are numbers or
mappings, a TOML syntax error, JSON nested past Python's limit, a file that is not UTF-8,
a model that cannot be imported), each with the outcome docs/konfig.md promises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from konfig._load import load_text

from .conftest import write

OPEN = json.dumps({"type": "object"})
STRINGS = json.dumps({"type": "object", "additionalProperties": {"type": "string"}})


@pytest.fixture
def schema(tmp_path: Path) -> str:
    return write(tmp_path / "s.json", OPEN)


# -- YAML --------------------------------------------------------------------------------------


def test_keys_that_are_not_strings_are_named_by_their_type(konfig: Any, tmp_path: Path) -> None:
    text = "1: a\n1.5: b\n~: c\n? [x]\n: d\n? {k: v}\n: e\nyes: f\n"
    rows = konfig(
        "validate", write(tmp_path / "k.yaml", text), "--schema",
        write(tmp_path / "s.json", OPEN), "--json",
    ).json()  # fmt: skip
    said = [(r["line"], r["message"]) for r in rows if r["validator"] == "non-string-key"]
    tail = "it is validated as the string"
    assert said == [
        (1, f"key `1` is not a string but an integer; {tail} '1'"),
        (2, f"key `1.5` is not a string but a number; {tail} '1.5'"),
        (3, f"key `~` is not a string but null; {tail} 'null'"),
        (4, f"""key `["x"]` is not a string but a sequence; {tail} '["x"]'"""),
        (6, f"""key `{{"k": "v"}}` is not a string but a mapping; {tail} '{{"k": "v"}}'"""),
        (8, f"key `yes` is read as the boolean true (YAML 1.1); {tail} 'true'"),
    ]


def test_yaml_that_cannot_be_read_exits_2_with_its_place(konfig: Any, tmp_path: Path) -> None:
    cases = {
        "recursive.yaml": ("a: &x [*x]\n", "invalid YAML: recursive alias"),
        "deep.yaml": ("[" * 201 + "]" * 201 + "\n", "invalid YAML: nested too deeply"),
        "deeper.yaml": ("[" * 3000 + "]" * 3000 + "\n", "invalid YAML: exceeded maximum nesting"),
        "merge.yaml": ("a:\n  <<: 1\n", "invalid YAML: a merge key (<<) needs a mapping"),
    }
    schema = write(tmp_path / "s.json", OPEN)
    for name, (text, message) in cases.items():
        run = konfig("validate", write(tmp_path / name, text), "--schema", schema, "--json")
        assert run.status == 2, name
        (row,) = run.json()
        assert row["validator"] == "syntax" and row["message"].startswith(message), row


def test_sexagesimal_floats_and_yaml_1_2_numbers() -> None:
    (doc,) = load_text("t.yaml", "t: 1:30.5\n").documents
    assert doc.value == {"t": 90.5} and doc.lies[0].kind == "sexagesimal"
    text = "a: 1_000\nb: 0b11\nc: 1e3\nd: 0o17\n"
    (doc,) = load_text("t.yaml", text, yaml_version="1.2").documents
    assert doc.value == {"a": "1_000", "b": "0b11", "c": 1000.0, "d": 15}
    assert doc.numbers[("c",)] == "1e3"  # so a string schema's hint can say `1e3` was a number


def test_a_yaml_1_2_number_where_a_string_is_wanted_gets_the_quote_hint(
    konfig: Any, tmp_path: Path
) -> None:
    values = write(tmp_path / "v.yaml", "version: 1e3\n")
    strings = write(tmp_path / "s.json", STRINGS)
    run = konfig("validate", values, "--schema", strings, "--yaml-version", "1.2", "--json")
    assert run.status == 1
    assert run.json()[0]["hint"] == 'YAML read `1e3` as the number 1000.0; quote it: "1e3"'
    assert konfig("validate", values, "--schema", strings).status == 0  # YAML 1.1: a string


# -- JSON and TOML -----------------------------------------------------------------------------


def test_json_duplicates_deep_nesting_and_what_libyaml_refuses(
    konfig: Any, tmp_path: Path, schema: str
) -> None:
    dup = write(tmp_path / "d.json", '{\n  "a": 1,\n  "a": 2\n}\n')
    rows = konfig("validate", dup, "--schema", schema, "--json").json()
    assert [(r["line"], r["column"], r["validator"]) for r in rows] == [(3, 3, "duplicate-key")]
    deep = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    run = konfig("validate", deep, "--schema", schema, "--json")
    assert run.status == 2
    assert run.json()[0]["message"] == "invalid JSON: nested too deeply (more than 200 levels)"
    emoji = write(tmp_path / "e.json", '{"a": "\\ud83d\\ude00", "b": 1}')
    strings = write(tmp_path / "s2.json", STRINGS)
    rows = konfig("validate", emoji, "--schema", strings, "--json").json()
    assert [(r["line"], r["column"], r["instance_path"]) for r in rows] == [(1, 1, "/b")]


def test_toml_syntax_errors_dates_and_tables(konfig: Any, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.toml", "a = 1\nb = \n")
    run = konfig("validate", bad, "--schema", write(tmp_path / "s.json", OPEN), "--json")
    assert run.status == 2
    (row,) = run.json()
    assert (row["line"], row["column"]) == (2, 5) and row["message"].startswith("invalid TOML")
    schema = write(tmp_path / "t.json", json.dumps({
        "properties": {
            "day": {"type": "string", "format": "date"},
            "server": {"properties": {"limits": {"properties": {"cpu": {"type": "integer"}}}}},
            "list": {"items": {"type": "string"}},
        },
    }))  # fmt: skip
    text = "day = 2024-03-15\nlist = [1]\n\n[server]\nname = 'x'\n\n[server.limits]\ncpu = 'two'\n"
    rows = konfig("validate", write(tmp_path / "c.toml", text), "--schema", schema, "--json")
    assert [(r["line"], r["column"], r["instance_path"]) for r in rows.json()] == [
        (2, 1, "/list/0"),
        (8, 1, "/server/limits/cpu"),
    ]
    inline = write(tmp_path / "i.toml", "server = { limits = { cpu = 'two' } }\n")
    rows = konfig("validate", inline, "--schema", schema, "--json").json()
    assert [(r["line"], r["instance_path"]) for r in rows] == [(1, "/server/limits/cpu")]


# -- the command line --------------------------------------------------------------------------


def test_version_and_bare_konfig(konfig: Any) -> None:
    run = konfig("--version")
    assert (run.status, run.out) == (0, f"konfig {__import__('konfig').__version__}\n")
    assert konfig().status == 2  # the help, as a usage error


def test_a_file_that_is_not_utf8_and_a_schema_that_vanished(
    konfig: Any, tmp_path: Path, schema: str
) -> None:
    latin = tmp_path / "l.yaml"
    latin.write_bytes(b"name: caf\xe9\n")
    run = konfig("validate", str(latin), "--schema", schema)
    assert run.status == 2
    reason = "invalid continuation byte at byte 9"
    assert run.err == f"konfig: error: {latin}: not UTF-8 text ({reason})\n"
    bad_schema = tmp_path / "bad.json"
    bad_schema.write_bytes(b'{"type": "obj\xe9ct"}')
    run = konfig("validate", str(latin), "--schema", str(bad_schema))
    assert run.status == 2 and run.err.startswith("konfig: error: ") and run.err.count("\n") == 1


def test_model_specs_that_name_no_model(
    konfig: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    write(tmp_path / "broken_models.py", "raise RuntimeError('no database')\n")
    values = write(tmp_path / "v.yaml", "a: 1\n")
    for spec, said in [
        ("nocolon", "--model 'nocolon': expected MODULE:CLASS"),
        ("broken_models:M", "--model: cannot import broken_models: no database"),
        ("json:dumps", "--model: json:dumps is not a pydantic model class"),
    ]:
        run = konfig("validate", values, "--model", spec)
        assert (run.status, run.err) == (2, f"konfig: error: {said}\n")
    run = konfig("validate", values, "--model", "x:Y", "--schema", "s.json")
    assert run.err == "konfig: error: give --schema or --model, not both\n"


def test_model_hints_stop_where_the_model_does(
    konfig: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    write(tmp_path / "edge_models.py", (
        "from pydantic import BaseModel, ConfigDict\n"
        "class Port(BaseModel):\n    model_config = ConfigDict(extra='forbid')\n    number: int\n"
        "class Svc(BaseModel):\n    model_config = ConfigDict(extra='forbid')\n"
        "    ports: list[Port] = []\n    labels: dict[str, int] = {}\n"
    ))  # fmt: skip
    good = write(tmp_path / "good.yaml", "ports:\n  - number: 80\n")
    assert konfig("validate", good, "--model", "edge_models:Svc").status == 0
    bad = write(tmp_path / "bad.yaml", "ports:\n  - numbr: 80\nlabels:\n  a: x\nlabls: {}\n")
    rows = konfig("validate", bad, "--model", "edge_models:Svc", "--json").json()
    found = {(r["instance_path"], r["validator"], r["hint"]) for r in rows}
    assert ("/ports/0/numbr", "extra_forbidden", "") in found  # through a list: no hint
    assert ("/labls", "extra_forbidden", "did you mean `labels`?") in found
    assert ("/labels/a", "int_parsing", "") in found
