"""The Typer application every ``rxp`` sub-command registers itself on."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__

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
    if value:
        typer.echo(f"rxp {__version__}")
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
