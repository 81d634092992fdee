"""konfig on real configs (issue 13, "Done when"): a Helm chart's values with its
``values.schema.json``, and this repository's GitHub workflows against the schema that
check-jsonschema vendors, each held to check-jsonschema's verdict.

The chart (``data/chart``) is shaped as bitnami's charts are (image.registry/repository/tag/
pullPolicy, service.type as an enum, ingress.hosts as an array of objects, resources,
``additionalProperties: false`` where such charts use it). Its values are valid; each broken
copy makes one mistake a person makes, and must fail at the place the mistake is, with the
keyword that catches it, while check-jsonschema (run once over all the copies) agrees that
the copy is invalid.

check-jsonschema reads YAML 1.2 (ruamel.yaml), konfig YAML 1.1 by default, as Helm does: where
the two readings differ (``enabled: no``), konfig's default verdict is Helm's and its
``--yaml-version 1.2`` verdict is check-jsonschema's.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest

from .conftest import check_jsonschema_invalid, run_konfig

DATA = Path(__file__).parent / "data"
CHART = DATA / "chart"
WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
GITHUB_SCHEMA = resources.files("check_jsonschema.builtin_schemas.vendor") / "github-workflows.json"


@dataclass(frozen=True)
class Mistake:
    name: str
    old: str  # a line of values.yaml (unique) ...
    new: str  # ... and what the mistake makes of it
    at: str  # where the error must point: the start of the first occurrence of this text
    validator: str


MISTAKES = [
    Mistake("quoted-integer", "replicaCount: 2", 'replicaCount: "2"', '"2"', "type"),
    Mistake(
        "typo-in-key", "replicaCount: 2", "replicaCont: 2", "replicaCont", "additionalProperties"
    ),
    Mistake(
        "enum-typo", "pullPolicy: IfNotPresent", "pullPolicy: IfNotPresnt", "IfNotPresnt", "enum"
    ),
    Mistake("unquoted-tag", 'tag: "1.27.3"', "tag: 1.27", "1.27", "type"),
    Mistake("port-out-of-range", "port: 80", "port: 80800", "80800", "maximum"),
    Mistake("service-type-case", "type: ClusterIP", "type: Clusterip", "Clusterip", "enum"),
    Mistake(
        "string-boolean",
        "enabled: false\n  className",
        'enabled: "false"\n  className',
        '"false"',
        "type",
    ),
    Mistake("path-without-slash", "- path: /", "- path: api", "api", "pattern"),
    Mistake("memory-unit", "memory: 256Mi", "memory: 256MB", "256MB", "pattern"),
    Mistake(
        "percentage",
        "targetCPUUtilizationPercentage: 80",
        "targetCPUUtilizationPercentage: 180",
        "180",
        "maximum",
    ),
    Mistake(
        "outdented-key",
        "  pullSecrets: []",
        "pullSecrets: []",
        "pullSecrets",
        "additionalProperties",
    ),
    Mistake(
        "annotation-number",
        "cert-manager.io/cluster-issuer: letsencrypt",
        "cert-manager.io/cluster-issuer: 1",
        "1\n",
        "type",
    ),
    Mistake(
        "missing-paths",
        "      paths:\n        - path: /",
        "      routes:\n        - path: /",
        "host: web",
        "required",
    ),
    Mistake("string-list", "  pullSecrets: []", "  pullSecrets: regcred", "regcred", "type"),
]


def _position(text: str, at: str) -> tuple[int, int]:
    offset = text.index(at)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each mistake's copy of the chart's values, one file each."""
    values = (CHART / "values.yaml").read_text(encoding="utf-8")
    root = tmp_path_factory.mktemp("broken")
    copies = {}
    for mistake in MISTAKES:
        assert values.count(mistake.old) == 1, mistake.name
        path = root / f"{mistake.name}.yaml"
        path.write_text(values.replace(mistake.old, mistake.new), encoding="utf-8")
        copies[mistake.name] = path
    return copies


def test_the_chart_s_values_are_valid_as_helm_reads_the_chart() -> None:
    done = run_konfig("validate", str(CHART))
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
    assert check_jsonschema_invalid(CHART / "values.schema.json", [CHART / "values.yaml"]) == set()


def test_each_mistake_fails_at_its_place_and_check_jsonschema_agrees(
    broken: dict[str, Path],
) -> None:
    schema = CHART / "values.schema.json"
    files = list(broken.values())
    assert check_jsonschema_invalid(schema, files) == {str(f) for f in files}
    done = run_konfig("validate", *map(str, files), "--schema", str(schema), "--json")
    assert done.returncode == 1, done.stderr
    found = json.loads(done.stdout)
    for mistake in MISTAKES:
        path = broken[mistake.name]
        errors = [p for p in found if p["file"] == str(path) and p["severity"] == "error"]
        where = _position(path.read_text(encoding="utf-8"), mistake.at)
        assert errors, mistake.name
        first = errors[0]
        got = (first["line"], first["column"], first["validator"])
        assert got == (*where, mistake.validator), (mistake.name, errors)


def test_a_chart_directory_with_a_broken_value_is_reported_against_its_own_schema(
    tmp_path: Path,
) -> None:
    chart = tmp_path / "web"
    shutil.copytree(CHART, chart)
    values = chart / "values.yaml"
    values.write_text(
        values.read_text(encoding="utf-8").replace("replicaCount: 2", "replicas: 2"),
        encoding="utf-8",
    )
    done = run_konfig("validate", str(chart))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{values}:5:1: error: replicas: unexpected key 'replicas'")
    assert "hint: did you mean `replicaCount`?" in done.stdout


def test_yaml_1_1_no_is_helm_s_false_and_check_jsonschema_s_string(tmp_path: Path) -> None:
    values = (CHART / "values.yaml").read_text(encoding="utf-8")
    path = tmp_path / "no.yaml"
    path.write_text(values.replace("enabled: false\n  className", "enabled: no\n  className"))
    schema = str(CHART / "values.schema.json")
    as_helm = run_konfig("validate", str(path), "--schema", schema, "--json")
    assert as_helm.returncode == 0  # Helm reads false: valid, with a warning
    assert [p["validator"] for p in json.loads(as_helm.stdout)] == ["yaml11-bool"]
    as_12 = run_konfig("validate", str(path), "--schema", schema, "--yaml-version", "1.2")
    assert as_12.returncode == 1
    # check-jsonschema reads the string
    assert check_jsonschema_invalid(schema, [path]) == {str(path)}


# -- GitHub workflows against check-jsonschema's vendored schema ---------------------------


def _workflows(tmp_path: Path) -> tuple[list[Path], Path]:
    """This repository's workflows, and a broken copy of ci.yml (a job without runs-on)."""
    ci = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    assert ci.count("    runs-on: ubuntu-latest\n") == 2
    broken = tmp_path / "broken.yml"
    broken.write_text(ci.replace("    runs-on: ubuntu-latest\n", "    run-on: ubuntu-latest\n", 1))
    return sorted(WORKFLOWS.glob("*.yml")), broken


def test_workflows_get_check_jsonschema_s_verdict_when_read_as_yaml_1_2(tmp_path: Path) -> None:
    workflows, broken = _workflows(tmp_path)
    files = [*workflows, broken]
    peer = check_jsonschema_invalid(str(GITHUB_SCHEMA), files)
    assert peer == {str(broken)}
    done = run_konfig(
        "validate", *map(str, files), "--schema", str(GITHUB_SCHEMA), "--yaml-version", "1.2",
        "--json",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    ours = {p["file"] for p in json.loads(done.stdout) if p["severity"] == "error"}
    assert ours == peer
    (error,) = [p for p in json.loads(done.stdout) if p["file"] == str(broken)]
    assert error["instance_path"] == "/jobs/lint"  # the job that lacks runs-on ...
    assert error["hint"].endswith("'runs-on' is a required property")  # ... and why
    lines = broken.read_text(encoding="utf-8").splitlines()
    assert lines[error["line"] - 2] == "  lint:"  # at the job's first key


def test_a_workflow_read_as_yaml_1_1_says_to_read_it_as_yaml_1_2() -> None:
    """YAML 1.1 reads `on:` as the key true, so the workflow lacks `on`; konfig says why."""
    ci = WORKFLOWS / "ci.yml"
    done = run_konfig("validate", str(ci), "--schema", str(GITHUB_SCHEMA), "--json")
    assert done.returncode == 1
    problems = json.loads(done.stdout)
    required = next(p for p in problems if p["validator"] == "required")
    assert required["message"] == "'on' is a required property"
    assert "--yaml-version 1.2" in required["hint"]
    assert "`on` (line 5, column 1)" in required["hint"]
    extra = next(p for p in problems if p["validator"] == "additionalProperties")
    assert (extra["line"], extra["column"], extra["instance_path"]) == (5, 1, "/true")
    assert "--yaml-version 1.2" in extra["hint"]
    lie = next(p for p in problems if p["validator"] == "non-string-key")
    assert lie["severity"] == "warning" and 'quote it ("on")' in lie["hint"]
