"""konfig validate as users run it: formats, exit statuses, chart directories, bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import SRC, run_konfig, write

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "replicaCount": {"type": "integer"},
        "image": {"type": "object", "properties": {"tag": {"type": "string"}}},
        "enabled": {"type": "boolean"},
    },
}
VALUES = "replicaCount: '3'\nimage:\n  tag: 1.10\nenabled: no\nreplicas: 2\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    return (
        write(tmp_path / "values.yaml", VALUES),
        write(tmp_path / "schema.json", json.dumps(SCHEMA, indent=2)),
    )


def test_text_is_compiler_style_with_the_line_a_caret_and_the_schema_path(
    konfig: Any, files: tuple[str, str]
) -> None:
    values, schema = files
    run = konfig("validate", values, "--schema", schema)
    assert run.status == 1
    lines = run.out.splitlines()
    assert lines[:4] == [
        f"{values}:1:15: error: replicaCount: '3' is not of type 'integer'",
        "    replicaCount: '3'",
        "                  ^",
        "  schema: #/properties/replicaCount/type",
    ]
    assert f"{values}:3:8: error: image.tag: 1.1 is not of type 'string'" in lines
    assert f"{values}:4:10: warning: enabled: `no` is read as the boolean false" in run.out
    assert f"{values}:5:1: error: replicas: unexpected key 'replicas'" in run.out
    assert "  hint: did you mean `replicaCount`?" in lines
    assert "\033[" not in run.out
    assert run.err == "3 errors, 1 warning in 1 file\n"


def test_json_output_is_an_array_of_problems(konfig: Any, files: tuple[str, str]) -> None:
    values, schema = files
    run = konfig("validate", values, "--schema", schema, "--json")
    assert run.status == 1
    rows = run.json()
    assert [(r["line"], r["column"], r["validator"], r["severity"]) for r in rows] == [
        (1, 15, "type", "error"),
        (3, 8, "type", "error"),
        (4, 10, "yaml11-bool", "warning"),
        (5, 1, "additionalProperties", "error"),
    ]
    assert set(rows[0]) >= {"file", "document", "line", "column", "instance_path",
                            "schema_path", "message", "validator", "severity"}  # fmt: skip
    assert rows[0]["instance_path"] == "/replicaCount"
    assert rows[0]["document"] == 1
    assert konfig("validate", values, "--schema", schema, "--format", "json").json() == rows


ANNOTATION = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=[^:]+::(.+)$")


def test_github_annotations(konfig: Any, files: tuple[str, str]) -> None:
    values, schema = files
    run = konfig("validate", values, "--schema", schema, "--format", "github")
    assert run.status == 1
    found = [ANNOTATION.match(line) for line in run.out.splitlines()]
    assert all(found), run.out
    assert [(m[1], m[2], m[3], m[4]) for m in found if m] == [
        ("error", values, "1", "15"),
        ("error", values, "3", "8"),
        ("warning", values, "4", "10"),
        ("error", values, "5", "1"),
    ]
    assert "%0Adid you mean `replicaCount`?" in run.out  # the hint, escaped onto a new line


def test_strict_turns_lies_into_errors(konfig: Any, tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "enabled: yes\n")
    schema = write(tmp_path / "s.json", '{"type": "object"}')
    assert konfig("validate", values, "--schema", schema).status == 0
    strict = konfig("validate", values, "--schema", schema, "--strict", "--json")
    assert strict.status == 1
    assert [r["severity"] for r in strict.json()] == ["error"]


def test_valid_files_exit_0_quietly(konfig: Any, tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "replicaCount: 3\n")
    schema = write(tmp_path / "s.json", json.dumps(SCHEMA))
    run = konfig("validate", values, values, "--schema", schema)
    assert (run.status, run.out, run.err) == (0, "", "2 files valid\n")


def test_multi_document_problems_name_their_document(konfig: Any, tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "replicaCount: 1\n---\nreplicaCount: x\n")
    schema = write(tmp_path / "s.json", json.dumps(SCHEMA))
    run = konfig("validate", values, "--schema", schema)
    assert run.out.startswith(f"{values}:3:15: error: document 2: replicaCount:")


def test_a_chart_directory_uses_values_schema_json(konfig: Any, tmp_path: Path) -> None:
    chart = tmp_path / "mychart"
    write(chart / "Chart.yaml", "apiVersion: v2\nname: mychart\nversion: 0.1.0\n")
    write(chart / "values.yaml", "replicaCount: three\n")
    write(chart / "values.schema.json", json.dumps(SCHEMA))
    run = konfig("validate", str(chart), "--json")
    assert run.status == 1
    assert [(r["file"], r["line"]) for r in run.json()] == [(str(chart / "values.yaml"), 1)]


def test_a_chart_without_a_schema_is_an_error(konfig: Any, tmp_path: Path) -> None:
    write(tmp_path / "c" / "values.yaml", "a: 1\n")
    run = konfig("validate", str(tmp_path / "c"))
    assert run.status == 2
    assert run.err.startswith("konfig: error: ") and "values.schema.json" in run.err
    assert len(run.err.splitlines()) == 1


def test_bad_yaml_exits_2_with_its_place_and_a_caret(konfig: Any, tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "a: 1\nb: [1, 2\nc: 3\n")
    schema = write(tmp_path / "s.json", "{}")
    run = konfig("validate", values, "--schema", schema)
    assert run.status == 2
    head, line, caret = run.out.splitlines()[:3]
    assert head.startswith(f"{values}:3:2: error: invalid YAML: ")
    assert (line, caret) == ("    c: 3", "     ^")


def test_an_invalid_schema_exits_2_with_the_schema_s_place(konfig: Any, tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "a: 1\n")
    schema = write(tmp_path / "s.json", '{\n  "minimum": "five"\n}\n')
    run = konfig("validate", values, "--schema", schema)
    assert run.status == 2
    assert run.err.splitlines()[0] == (
        f"konfig: error: {schema}:2:14: invalid schema: minimum: 'five' is not of type 'number'"
    )
    assert run.err.splitlines()[2] == "                 ^"


def test_a_missing_file_exits_2_and_the_others_are_still_checked(
    konfig: Any, tmp_path: Path
) -> None:
    good = write(tmp_path / "v.yaml", "replicaCount: x\n")
    schema = write(tmp_path / "s.json", json.dumps(SCHEMA))
    run = konfig("validate", str(tmp_path / "nope.yaml"), good, "--schema", schema, "--json")
    assert run.status == 2
    assert (
        run.err.splitlines()[0]
        == f"konfig: error: {tmp_path / 'nope.yaml'}: no such file or directory"
    )
    assert len(run.json()) == 1


def test_a_missing_schema_and_usage_errors_exit_2(konfig: Any, tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "a: 1\n")
    run = konfig("validate", values, "--schema", str(tmp_path / "none.json"))
    assert run.status == 2 and run.err.startswith("konfig: error: ")
    for argv in (["validate", values], ["validate", values, "--format", "xml"],
                 ["validate", values, "--schema", "s", "--model", "m:C"]):  # fmt: skip
        run = konfig(*argv)
        assert run.status == 2, argv
        assert run.err.startswith("konfig: error: "), run.err


def test_stdin(tmp_path: Path) -> None:
    schema = write(tmp_path / "s.json", json.dumps(SCHEMA))
    done = run_konfig("validate", "-", "--schema", schema, input="replicaCount: x\n")
    assert done.returncode == 1
    assert done.stdout.startswith("<stdin>:1:15: error:")


def test_model_errors_map_to_lines(
    konfig: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "kmodels.py", (
        "from pydantic import BaseModel, ConfigDict\n"
        "class Image(BaseModel):\n    model_config = ConfigDict(extra='forbid')\n"
        "    repository: str\n    tag: str\n"
        "class Values(BaseModel):\n    replicaCount: int\n    image: Image\n"
    ))  # fmt: skip
    values = write(tmp_path / "v.yaml", "replicaCount: many\nimage:\n  repository: r\n  tagg: x\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    run = konfig("validate", values, "--model", "kmodels:Values", "--json")
    assert run.status == 1
    rows = [(r["line"], r["column"], r["instance_path"], r["validator"]) for r in run.json()]
    assert rows == [
        (1, 15, "/replicaCount", "int_parsing"),
        (3, 3, "/image", "missing"),
        (4, 3, "/image/tagg", "extra_forbidden"),
    ]
    assert run.json()[2]["hint"] == "did you mean `tag`?"
    assert konfig("validate", values, "--model", "kmodels:Nope").status == 2


def test_closed_stdout_is_quiet(tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "replicaCount: x\n" * 1)
    schema = write(tmp_path / "s.json", json.dumps(SCHEMA))
    many = [values] * 2000
    code = (
        f"import sys; sys.path.insert(0, {SRC!r}); from konfig.cli import main; "
        "raise SystemExit(main(sys.argv[1:]))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "validate", *many, "--schema", schema],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert err == b""
    assert proc.returncode != 0


def test_colour_only_when_forced(tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "replicaCount: x\n")
    schema = write(tmp_path / "s.json", json.dumps(SCHEMA))
    plain = run_konfig("validate", values, "--schema", schema)
    assert "\033[" not in plain.stdout
    import os

    env = {**os.environ, "PYTHONPATH": SRC, "FORCE_COLOR": "1"}
    coloured = subprocess.run(
        [sys.executable, "-m", "konfig", "validate", values, "--schema", schema],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert "\033[1;31merror:" in coloured.stdout


def test_generate_schema_is_registered(konfig: Any) -> None:
    run = konfig("--help")
    assert "generate-schema" in run.out and "validate" in run.out
    bare = konfig()
    assert bare.status == 2
    assert bare.out.count("Usage:") == 1


VENDORED = Path(__import__("check_jsonschema").__file__).parent / "builtin_schemas" / "vendor"
WORKFLOWS = sorted((Path(__file__).resolve().parents[2] / ".github" / "workflows").glob("*.yml"))


def test_this_repository_s_workflows_against_the_schema_check_jsonschema_vendors(
    konfig: Any,
) -> None:
    """A real config and a real, large draft-07 schema: GitHub reads ``on:`` as a string
    (YAML 1.2), so ``--yaml-version 1.2`` passes where YAML 1.1 sees the key ``true``."""
    assert WORKFLOWS
    schema = str(VENDORED / "github-workflows.json")
    files = [str(w) for w in WORKFLOWS]
    assert konfig("validate", *files, "--schema", schema, "--yaml-version", "1.2").status == 0
    run = konfig("validate", *files, "--schema", schema, "--json")
    assert run.status == 1
    assert {r["instance_path"] for r in run.json() if r["severity"] == "error"} == {"", "/true"}


def test_an_unresolvable_ref_exits_2_with_one_line(konfig: Any, tmp_path: Path) -> None:
    values = write(tmp_path / "v.yaml", "port: 80\n")
    schema = write(tmp_path / "s.json", '{"properties": {"port": {"$ref": "missing.json"}}}')
    run = konfig("validate", values, "--schema", schema)
    assert run.status == 2
    missing = tmp_path / "missing.json"
    assert run.err == f"konfig: error: {schema}: $ref target {missing}: no such file or directory\n"


def test_toml_and_json_files_by_suffix(konfig: Any, tmp_path: Path) -> None:
    schema = write(tmp_path / "s.json", json.dumps(SCHEMA))
    toml = write(tmp_path / "c.toml", "replicaCount = 2\n\n[image]\ntag = 3\n")
    js = write(tmp_path / "c.json", '{\n  "replicaCount": 2,\n  "image": {"tag": 3}\n}\n')
    rows = konfig("validate", toml, js, "--schema", schema, "--json").json()
    assert [(r["file"], r["line"], r["column"], r["instance_path"]) for r in rows] == [
        (toml, 4, 1, "/image/tag"),
        (js, 3, 20, "/image/tag"),
    ]
