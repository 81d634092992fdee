"""The Typer application every ``rxp`` sub-command registers itself on."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer

from .. import __version__
from ._argv import Option

app = typer.Typer(
    name="rxp",
    help=(
        "rxp: a regex workbench and log parsing engine.\n\n"
        "Explain a regex in plain English, test it against text, stream it over huge logs "
        "as grep would, parse structured records out of log lines, and benchmark it all."
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _print_version(value: bool) -> None:
    """The installed distribution's version, from its metadata (built from
    ``rxp._cache.VERSION``, the one source); ``rxp.__version__`` when rxp runs from a
    source tree that is not installed."""
    if value:
        from importlib import metadata

        try:
            version = metadata.version("rxp")
        except metadata.PackageNotFoundError:
            version = __version__
        typer.echo(f"rxp {version}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Show rxp's version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """rxp: a regex workbench and log parsing engine."""


def _parameter(option: Option) -> inspect.Parameter:
    """``option`` as Typer reads a parameter of a function: its type, ``typer.Option`` and
    default (a choice is a ``StrEnum``, which ``--help`` shows as ``<re|regex>``)."""
    base: Any
    default = option.default
    if option.kind == "choice":
        choices: Any = StrEnum  # built from the table: mypy wants a literal class here
        base = choices(option.dest.title() + "Choice", {c: c for c in option.choices})
        default = None if default is None else base(default)
    else:
        kinds = {"flag": bool, "switch": bool, "int": int, "float": float, "str": str}
        base = list[str] if option.kind == "append" else kinds[option.kind]
    if option.default is None:
        base = base | None
    decls = option.flags
    if option.kind == "switch":
        decls = tuple(f"{on}/{off}" for on, off in zip(option.flags, option.off, strict=True))
    info = typer.Option(
        *decls, help=option.help, metavar=option.metavar, hidden=option.hidden, min=option.min
    )
    return inspect.Parameter(
        option.dest,
        inspect.Parameter.KEYWORD_ONLY,
        default=default,
        annotation=Annotated[base, info],
    )


def command_signature(
    arguments: Sequence[tuple[str, Any, object]], options: Sequence[Option]
) -> inspect.Signature:
    """The signature Typer reads for a command whose options are a table (``_argv``): the
    positional ``arguments`` as (name, annotation, default; ``inspect.Parameter.empty`` for
    none), then ``options`` in their order (the order of ``--help``)."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    return inspect.Signature(
        [
            *(
                inspect.Parameter(name, keyword, default=default, annotation=annotation)
                for name, annotation, default in arguments
            ),
            *(_parameter(option) for option in options),
        ]
    )
