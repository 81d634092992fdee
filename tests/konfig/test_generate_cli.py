"""``konfig generate-schema`` as a user runs it: files in (YAML streams, JSON, TOML), a stable
schema out, comments carried into it, bad input as one ``konfig: error:`` line and exit 2.
check-jsonschema, the peer, must accept every example against the schema printed.

The command is run through a one-command Typer app here, so these tests do not depend on the
konfig app that registers it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from konfig._cli_generate import generate_schema, render_schema
from konfig._comments import yaml_documents
from konfig._infer import ITEMS, Note, infer_schema

from .test_infer import documents

app = typer.Typer()
app.command("generate-schema")(generate_schema)


@app.callback()
def _group() -> None:
    """Keeps ``generate-schema`` a subcommand, as in the konfig app."""


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, ["generate-schema", *args], input=stdin)


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


VALUES = """\
    # Default values for the chart.

    # How many pods to run;
    # one is enough for a test.
    replicaCount: 1  # replicas
    image:
      repository: nginx
      # An image tag: quoted, or YAML reads 1.10 as 1.1.
      tag: "1.25"
    service:
      type: ClusterIP
      port: 80
    resources: {}
      # limits:
      #   cpu: 100m
    nodeSelector: {}
    started: 2024-03-15
    ingress:
      hosts:
        # the host name
        - host: chart.example.com
          paths: [/]
    ---
    replicaCount: 3
    image:
      repository: registry.example.com/nginx
      tag: "1.26"
      pullPolicy: Always
    service:
      type: NodePort
      port: 30080
    started: 2025-01-02
    """


def test_a_multi_document_stream_is_one_example_per_document(tmp_path: Path) -> None:
    values = write(tmp_path / "values.yaml", VALUES)
    result = run(str(values))
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["image", "replicaCount", "service", "started"]
    assert schema["properties"]["image"]["required"] == ["repository", "tag"]
    assert schema["properties"]["started"] == {"type": "string", "format": "date"}
    assert schema["properties"]["replicaCount"] == {
        "type": "integer",
        "title": "replicas",
        "description": "How many pods to run; one is enough for a test.",
    }
    assert schema["properties"]["image"]["properties"]["tag"]["description"] == (
        "An image tag: quoted, or YAML reads 1.10 as 1.1."
    )
    hosts = schema["properties"]["ingress"]["properties"]["hosts"]["items"]
    assert hosts["properties"]["host"]["description"] == "the host name"
    # the commented-out block under resources is not nodeSelector's description
    assert "description" not in schema["properties"]["nodeSelector"]
    assert "Default values" not in result.stdout  # a header apart by a blank line


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents, min_size=1, max_size=3))
def test_a_yaml_stream_infers_what_its_documents_do(examples: list[Any]) -> None:
    """PyYAML's dumper is the oracle for the reading: each document of the stream it
    writes is one example, read back as the value it was made from."""
    stream = yaml.safe_dump_all(examples, allow_unicode=True)
    assert [d.value for d in yaml_documents(stream)] == examples
    result = run("-", stdin=stream)
    assert result.exit_code == 0, result.output
    assert result.stdout == render_schema(infer_schema(examples))


def test_comments_give_descriptions_and_titles_by_place() -> None:
    (doc,) = yaml_documents(
        textwrap.dedent("""\
        a:   # after the colon
          # above b
          b: [1, 2]  # after a flow value
        c: {x: 1}
        "quoted key": 'v'  # quoted
        env:
          # above the item's first key
          - name: A
            # above value
            value: x
        script: |
          echo
        # a comment after a block scalar
        quoted: "text
        # inside the scalar"
        last: 1
        """)
    )
    assert doc.notes == {
        ("a",): Note(title="after the colon"),
        ("a", "b"): Note(title="after a flow value", description="above b"),
        ("quoted key",): Note(title="quoted"),
        ("env", ITEMS, "name"): Note(description="above the item's first key"),
        ("env", ITEMS, "value"): Note(description="above value"),
        ("quoted",): Note(description="a comment after a block scalar"),
    }


def test_the_first_example_with_a_comment_for_a_place_wins(tmp_path: Path) -> None:
    one = write(tmp_path / "one.yaml", "# first\nk: 1\n")
    two = write(tmp_path / "two.yaml", "# second\nk: 2\n")
    forward = json.loads(run(str(one), str(two)).stdout)
    backward = json.loads(run(str(two), str(one)).stdout)
    assert forward["properties"]["k"]["description"] == "first"
    assert backward["properties"]["k"]["description"] == "second"


def test_json_toml_and_yaml_examples_merge(tmp_path: Path) -> None:
    write(tmp_path / "a.json", '{"name": "x", "port": 8080, "when": "2024-03-15T10:00:00Z"}')
    write(tmp_path / "b.toml", 'name = "y"\nport = 8081.5\nwhen = 2024-03-16T10:00:00Z\n')
    write(tmp_path / "c.yml", "name: z\nwhen: 2024-03-17T10:00:00Z\ndebug: true\n")
    paths = [str(tmp_path / n) for n in ("a.json", "b.toml", "c.yml")]
    schema = json.loads(run(*paths, "--strict").stdout)
    assert schema == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "additionalProperties": False,
        "properties": {
            "debug": {"type": "boolean"},
            "name": {"type": "string"},
            "port": {"type": "number"},
            "when": {"format": "date-time", "type": "string"},
        },
        "required": ["name", "when"],
        "type": "object",
    }


def test_output_is_byte_identical_sorted_and_the_same_in_a_file(tmp_path: Path) -> None:
    values = write(tmp_path / "values.yaml", VALUES)
    first, second = run(str(values), "--enums"), run(str(values), "--enums")
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    assert first.stdout == json.dumps(json.loads(first.stdout), indent=2, sort_keys=True) + "\n"
    out = tmp_path / "schema.json"
    result = run(str(values), "--enums", "--out", str(out))
    assert (result.exit_code, result.stdout) == (0, "")
    assert out.read_text(encoding="utf-8") == first.stdout


def test_standard_input_is_read_as_yaml() -> None:
    result = run("-", stdin="a: 1\n---\na: x\n")
    assert json.loads(result.stdout)["properties"]["a"] == {"type": ["integer", "string"]}


def test_check_jsonschema_accepts_every_example_against_the_schema(tmp_path: Path) -> None:
    """The peer reads the same files (YAML through ruamel, timestamps as strings) and checks
    formats: it must agree that every example is valid."""
    docs = VALUES.split("    ---\n")
    files = [write(tmp_path / f"v{i}.yaml", doc) for i, doc in enumerate(docs)]
    files.append(write(tmp_path / "w.yaml", "replicaCount: 2\nstarted: 2024-02-29\n"))
    schema = tmp_path / "schema.json"
    result = run(*map(str, files), "--strict", "--enums", "--out", str(schema))
    assert result.exit_code == 0, result.output
    peer = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert peer.returncode == 0, peer.stdout + peer.stderr
    bad = write(tmp_path / "bad.yaml", "replicaCount: '3'\nstarted: 2024-02-30\nextra: 1\n")
    peer = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert peer.returncode == 1  # the schema says something: it is not the empty schema


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({}, [], "generate-schema needs at least one example file (or --from-model)"),
        ({}, ["missing.yaml"], "missing.yaml: no such file or directory"),
        ({"bad.yaml": "a: [1\n"}, ["bad.yaml"], "bad.yaml:2:1: invalid YAML: "),
        ({"bad.json": '{"a": }'}, ["bad.json"], "bad.json:1:7: invalid JSON: Expecting value"),
        ({"bad.toml": "a = \n"}, ["bad.toml"], "bad.toml: invalid TOML: Invalid value"),
        ({"set.yaml": "a: !!set {x}\n"}, ["set.yaml"], "set.yaml: document 1: $.a: a set"),
        ({"loop.yaml": "a: &x [*x]\n"}, ["loop.yaml"], "recursive alias"),
        ({"l.bin": "\udcff"}, ["l.bin"], "l.bin: not UTF-8 text (invalid start byte at byte 0)"),
        ({"d.json": "[" * 5000 + "]" * 5000}, ["d.json"], "d.json: nested too deeply"),
        ({"d.yaml": "- " * 900 + "1\n"}, ["d.yaml"], "nested too deeply"),
        ({"a.yaml": "a: 1\n"}, ["a.yaml", "--from-model", "m:C"], "--from-model takes no"),
        ({}, ["--from-model", "nocolon"], "expected MODULE:CLASS, got 'nocolon'"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    args: list[str],
    message: str,
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("konfig: error: ")
    assert message in line
