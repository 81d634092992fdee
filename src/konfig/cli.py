"""konfig's command line: the shell around the pure core (``_yaml`` -> ``_validate`` ->
``_report``).

Only this module reads argv, files and the environment and writes to the terminal. ``main`` owns
the process-wide policies, as rxp's does: one-line ``konfig: error: ...`` with exit status 2
for usage errors and unreadable input (never a traceback), colour only on a terminal
(``NO_COLOR``/``FORCE_COLOR`` honoured), a quiet exit when stdout is a closed pipe.
"""

from __future__ import annotations

import enum
import importlib
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pydantic
import typer
import typer.main

from . import __version__
from ._against_model import validate_with_model
from ._cli_generate import generate_schema
from ._document import Source
from ._errors import KonfigError, LoadError
from ._load import load_text
from ._report import render_github, render_json, render_text, summary
from ._schema import Schema, load_schema
from ._validate import Problem, lies, validate_document

__all__ = ["app", "main"]

app = typer.Typer(
    name="konfig",
    help="Validate YAML, JSON and TOML configs against JSON Schema, with errors that point at "
    "the line to fix.",
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class YamlVersion(enum.StrEnum):
    v11 = "1.1"
    v12 = "1.2"


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"konfig {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Validate configs against JSON Schema; infer schemas from examples."""


@app.command()
def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Files to validate (YAML; JSON by .json, TOML by .toml; - for stdin), or a "
            "Helm chart directory (its values.yaml against its values.schema.json).",
            show_default=False,
            metavar="FILE",
        ),
    ],
    schema: Annotated[
        Path | None,
        typer.Option(
            "--schema", "-s", help="The JSON Schema (a JSON or YAML file).", show_default=False
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="Validate against a pydantic v2 model instead: MODULE:CLASS (imported with the "
            "current directory on sys.path).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Report YAML's lies (duplicate keys, yes/no, 0755...) as errors."
        ),
    ] = False,
    yaml_version: Annotated[
        YamlVersion,
        typer.Option(
            "--yaml-version",
            help="Read YAML as 1.1 (PyYAML, Helm: `no` is false) or 1.2 (GitHub Actions: `on` "
            "and `no` are strings).",
        ),
    ] = YamlVersion.v11,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    output: Annotated[
        Format,
        typer.Option("--format", help="text (compiler style), json, or github (annotations)."),
    ] = Format.text,
) -> None:
    """Validate FILE... against --schema SCHEMA (or --model MODULE:CLASS).

    Exit status: 0 valid, 1 invalid, 2 usage error or unreadable input.

        konfig validate values.yaml --schema values.schema.json
        konfig validate charts/mychart
        konfig validate config/*.yaml --schema schema.json --format github
    """
    fmt = Format.json if as_json else output
    status = _run(files, schema, model, strict=strict, fmt=fmt, yaml_version=yaml_version.value)
    raise typer.Exit(status)


app.command("generate-schema")(generate_schema)


@dataclass(frozen=True, slots=True)
class _Job:
    file: str
    schema: str | None  # None: the --model


def _jobs(files: Sequence[Path], schema: Path | None, model: str | None) -> list[_Job]:
    if schema is not None and model is not None:
        raise KonfigError("give --schema or --model, not both")
    jobs = []
    for path in files:
        if path.is_dir():
            values, chart_schema = path / "values.yaml", path / "values.schema.json"
            if schema is None and model is None and not chart_schema.is_file():
                raise KonfigError(
                    f"{path}: no values.schema.json in this chart (Helm validates values.yaml "
                    "only against that file); give --schema"
                )
            chosen = str(schema) if schema is not None else (None if model else str(chart_schema))
            jobs.append(_Job(str(values), chosen))
        elif schema is None and model is None:
            raise KonfigError(f"{path}: give --schema SCHEMA or --model MODULE:CLASS")
        else:
            jobs.append(_Job(str(path), None if schema is None else str(schema)))
    return jobs


def _import_model(spec: str) -> type[pydantic.BaseModel]:
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise KonfigError(f"--model {spec!r}: expected MODULE:CLASS")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise KonfigError(f"--model: cannot import {module_name}: {exc}") from None
    found: Any = getattr(module, class_name, None)
    if not (isinstance(found, type) and issubclass(found, pydantic.BaseModel)):
        raise KonfigError(f"--model: {spec} is not a pydantic model class")
    return found


def _read(name: str) -> tuple[str, str]:
    """The display name and text of a file (``-``: stdin)."""
    if name == "-":
        return "<stdin>", sys.stdin.read()
    try:
        with open(name, encoding="utf-8-sig") as handle:
            return name, handle.read()
    except OSError as exc:
        raise KonfigError(f"{name}: {(exc.strerror or str(exc)).lower()}") from None
    except UnicodeDecodeError as exc:
        raise KonfigError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _syntax_problem(exc: LoadError) -> Problem:
    return Problem(
        file=exc.file,
        document=0,
        line=exc.line,
        column=exc.column,
        instance_path="",
        schema_path="",
        message=exc.message,
        validator="syntax",
    )


def _color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _schema_error(exc: LoadError) -> KonfigError:
    """A schema that does not load, as one ``konfig: error:`` line and its source line."""
    where = f"{exc.file}:{exc.line}:{exc.column}: " if exc.line else f"{exc.file}: "
    message = where + exc.message
    try:
        with open(exc.file, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    if 0 < exc.line <= len(lines):
        line = lines[exc.line - 1]
        pad = "".join(c if c == "\t" else " " for c in line[: exc.column - 1])
        message += f"\n    {line}\n    {pad}^"
    return KonfigError(message)


def _run(
    files: Sequence[Path],
    schema: Path | None,
    model: str | None,
    *,
    strict: bool,
    fmt: Format,
    yaml_version: str = "1.1",
) -> int:
    """Validate every file, print as ``fmt`` asks, and return the exit status."""
    jobs = _jobs(files, schema, model)
    the_model = _import_model(model) if model is not None else None
    schemas: dict[str, Schema] = {}
    for job in jobs:  # each schema compiled once, and checked before any file is read
        if job.schema is not None and job.schema not in schemas:
            try:
                schemas[job.schema] = load_schema(job.schema)
            except LoadError as exc:
                raise _schema_error(exc) from None
    color = _color() and fmt is Format.text
    status = 0
    collected: list[Problem] = []
    checked = errors = warnings = 0
    for job in jobs:
        try:
            name, text = _read(job.file)
        except KonfigError as exc:
            sys.stderr.write(f"konfig: error: {exc.message}\n")
            status = 2
            continue
        source: Source | None
        try:
            source = load_text(name, text, yaml_version=yaml_version)
        except LoadError as exc:
            source, found = None, [_syntax_problem(exc)]
            status = 2
        if source is not None:
            found = _check(source, job, schemas, the_model, strict=strict)
        checked += 1
        errors += sum(p.severity == "error" for p in found)
        warnings += sum(p.severity != "error" for p in found)
        if errors and status == 0:
            status = 1
        if fmt is Format.json:
            collected.extend(found)
        elif fmt is Format.github:
            sys.stdout.write(render_github(found))
        elif found:
            multi = {name} if source is not None and len(source.documents) > 1 else set()
            sys.stdout.write(render_text(found, {name: text}, multi=multi, color=color))
    if fmt is Format.json:
        sys.stdout.write(render_json(collected))
    elif fmt is Format.text and checked:
        sys.stderr.write(summary(errors, warnings, checked))
    return status


def _check(
    source: Source,
    job: _Job,
    schemas: dict[str, Schema],
    model: type[pydantic.BaseModel] | None,
    *,
    strict: bool,
) -> list[Problem]:
    found: list[Problem] = []
    for doc in source.documents:
        found.extend(lies(source, doc, strict=strict))
        if job.schema is None:
            assert model is not None
            found.extend(validate_with_model(source, doc, model))
            continue
        found.extend(validate_document(source, doc, schemas[job.schema]))
    return sorted(found, key=lambda p: (p.document, p.line, p.column))


def _restore_sigpipe() -> None:
    # as grep: a reader that goes away (``| head``) ends us at once and quietly
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point for ``konfig``."""
    _restore_sigpipe()
    args = list(sys.argv[1:] if argv is None else argv)
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="konfig", standalone_mode=False)
    except KonfigError as exc:
        sys.stderr.write(f"konfig: error: {exc.message}\n")
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return 130
    except typer.TyperException as exc:  # click's exceptions, as vendored by typer
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__.startswith("NoArgsIsHelp"):
            return 2  # typer has printed the help
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        sys.stderr.write(f"konfig: error: {message}{hint}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 141
    return result if isinstance(result, int) else 0


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
