"""``--from-model MODULE:CLASS``: a pydantic model defined in a module in the current
directory, its schema printed as pydantic gives it (the oracle: ``model_json_schema()``),
validation errors by location for ``konfig validate --model``, and every way of naming no
model as one ``konfig: error:`` line, exit 2."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from konfig._cli_generate import generate_schema
from konfig._model import ModelError, load_model, model_schema, validate_with_model

app = typer.Typer()
app.command("generate-schema")(generate_schema)


@app.callback()
def _group() -> None:
    """Keeps ``generate-schema`` a subcommand, as in the konfig app."""


MODELS = """\
    import datetime
    import enum
    import pydantic
    from typing_extensions import TypedDict  # pydantic's wish before Python 3.12


    class Pull(enum.Enum):
        ALWAYS = "Always"
        NEVER = "Never"


    class Image(pydantic.BaseModel):
        repository: str
        tag: str = "latest"
        pullPolicy: Pull = Pull.ALWAYS


    class Values(pydantic.BaseModel):
        \"\"\"A chart's values.\"\"\"

        replicaCount: int = pydantic.Field(1, ge=0)
        image: Image
        started: datetime.date | None = None


    class Limits(TypedDict):
        cpu: str


    NOT_A_CLASS = 3


    class Plain:
        pass
    """


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A module ``kmodels_<n>`` in a temporary current directory (a fresh name per test, so
    no cached import leaks between tests)."""
    name = f"kmodels_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(MODELS), encoding="utf-8")
    (tmp_path / "broken.py").write_text("raise RuntimeError('boom\\nsecond line')\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    yield name
    sys.modules.pop(name, None)
    sys.modules.pop("broken", None)


def test_from_model_prints_pydantics_schema_with_the_dialect(models: str) -> None:
    result = CliRunner().invoke(app, ["generate-schema", "--from-model", f"{models}:Values"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    values = load_model(f"{models}:Values")
    assert schema == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **values.model_json_schema(),
    }
    assert schema["required"] == ["image"]
    assert result.stdout == json.dumps(schema, indent=2, sort_keys=True) + "\n"


def test_a_typed_dict_goes_through_a_type_adapter(models: str) -> None:
    schema = model_schema(load_model(f"{models}:Limits"))
    assert schema["properties"] == {"cpu": {"title": "Cpu", "type": "string"}}


def test_validation_errors_come_with_their_location(models: str) -> None:
    values = load_model(f"{models}:Values")
    good = {"image": {"repository": "nginx", "pullPolicy": "Never"}, "started": "2024-03-15"}
    assert validate_with_model(values, good) == []
    bad = {"replicaCount": "3", "image": {"tag": 1.1, "pullPolicy": "Sometimes"}, "extra": 1}
    errors = validate_with_model(values, bad)
    assert [(loc, kind) for loc, _, kind in errors] == [
        (("replicaCount",), "int_type"),  # strict: "3" is no integer in a config
        (("image", "repository"), "missing"),
        (("image", "tag"), "string_type"),
        (("image", "pullPolicy"), "enum"),
    ]
    assert all(message for _, message, _ in errors)
    lax = validate_with_model(
        values, {"replicaCount": "3", "image": {"repository": "x"}}, strict=False
    )
    assert lax == []


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{m}", "expected MODULE:CLASS, got '{m}'"),
        ("{m}:", "expected MODULE:CLASS"),
        (":Values", "expected MODULE:CLASS"),
        ("no_such_module_k13:Values", "cannot import 'no_such_module_k13': ModuleNotFoundError"),
        ("broken:X", "cannot import 'broken': RuntimeError: boom second line"),
        ("{m}:Missing", "'{m}' has no attribute 'Missing'"),
        ("{m}:NOT_A_CLASS", "is not a class but a int"),
        ("{m}:Plain", "'Plain' is not a pydantic model"),
    ],
)
def test_naming_no_model_is_one_error_line_and_exit_2(models: str, spec: str, message: str) -> None:
    spec, message = spec.format(m=models), message.format(m=models)
    with pytest.raises(ModelError) as caught:
        model_schema(load_model(spec))
    assert message in str(caught.value)
    result = CliRunner().invoke(app, ["generate-schema", "--from-model", spec])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("konfig: error: ")
    assert message in line
