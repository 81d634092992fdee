"""`rxp explain`: a thin shell over ``rxp.explain`` / ``rxp.explain_document``.

The Typer command, built from the option table ``_explain_args.OPTIONS``, for ``--help``
and usage errors; ``cli/__init__.run`` reads ordinary argv with the same table and calls
``_explain_run.run`` without Typer.
"""

import inspect
from typing import Annotated, Any

import typer

from ._app import app, command_signature
from ._explain_args import OPTIONS

__all__ = ["explain_command"]

_EPILOG = """\
[bold]Examples[/bold]

  rxp explain '^(?P<ip>\\d{1,3}(?:\\.\\d{1,3}){3}) \\S+ (?P<user>\\S+)'

  rxp explain --brief 'Failed password for (invalid user )?(\\w+) from (\\S+)'

  rxp explain -i -m '^error: (.*)$'

  rxp explain --json '(?P<year>\\d{4})-(?P<month>\\d\\d)' | jq .width

  rxp explain --flavor regex '(?:\\p{Lu}\\p{Ll}+){e<=1}'

  rxp explain --grok '%{SYSLOGBASE}'   (a grok expression, each %{...} named on its row)

  rxp explain -f pattern.txt          (the file's text, minus one trailing newline)

  echo '\\bfoo\\b' | rxp explain -f -  (read the pattern from stdin)

  rxp explain -- '-?\\d+'              (a pattern that starts with '-')
"""


def _signature() -> inspect.Signature:
    """PATTERN, then ``OPTIONS`` in their order (the order of ``--help``)."""
    pattern = Annotated[
        str | None,
        typer.Argument(
            help="The regex to explain (always a pattern, even '-'; read one from stdin "
            "with -f -). Put '--' before a pattern that starts with '-'.",
            show_default=False,
        ),
    ]
    return command_signature([("pattern", pattern, None)], OPTIONS)


def explain_command(**values: Any) -> None:
    """Explain a regular expression in plain English.

    Prints a summary (flavour, flags, anchoring, match length, whether it can match the
    empty string, the capture groups) and then a tree with one row per construct: the
    slice of the pattern and what it matches, read with the flags in effect.
    """
    # Typer reads argv for --help and for whatever ``_explain_args.read`` leaves to it
    # (``rxp.cli.run`` tries that reader first); the parameters are built from ``OPTIONS``.
    from ._explain_run import run

    raise typer.Exit(run(values))


explain_command.__signature__ = _signature()  # type: ignore[attr-defined]
app.command(
    "explain",
    epilog=_EPILOG,
    no_args_is_help=True,
    context_settings={"ignore_unknown_options": False},
)(explain_command)
