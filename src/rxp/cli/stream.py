"""`rxp stream PATTERN [FILE ...]`: grep-compatible, fast, backtracking-safe log scanning.

The shell only: it reads argv, opens stdout/stderr and chooses colours; matching and
formatting live in ``rxp._stream``.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import typer

# Public but undocumented: its ``parse_args`` is the one place that sees the raw argv (see
# ``_Command``); tests/test_typer_seams.py fails loudly if a typer release reshapes it.
from typer.core import TyperCommand

from ._app import app, command_signature
from ._argv import appended
from ._stream_args import FILE_GLOBS, OPTIONS, request

__all__ = ["stream"]


_HELP = """Search files (or stdin) line by line, as `LC_ALL=C grep -E -a` would.

PATTERN is a Python regular expression; -e and -f give several (a line is selected when
any of them matches), and every argument is then a FILE. grep's -w, -x, -l, -L, -b, -z and
-Z work as in grep (see docs/stream.md).

Piped, the output is byte for byte grep's for the same options; on a terminal the matches
are highlighted. Lines are bytes: invalid UTF-8, NULs and CR pass through unchanged. Exit
status: 0 if a line was selected, 1 if none, 2 on an error (or lines skipped for time).
"""


_EPILOG = """\
[bold]Examples[/bold]

  rxp stream -n -C 2 'Failed password for \\S+ from (?P<ip>[0-9.]+)' auth.log

  rxp stream -c 'Failed password for' big.log        (processes on idle cores)

  rxp stream -w -e error -e fatal -l *.log            (files with either word)

  find . -name '*.log' -print0 | rxp stream -z -x '.*/app-[0-9]+\\.log'

  journalctl -o export | rxp stream --journal export 'Failed password'

  rxp stream --json '(?P<user>\\w+)@(?P<host>\\S+)' mail.log | jq -c .data.submatches

  rxp stream --timeout 0.5 '(a+)+$' suspicious.log     (slow lines reported and skipped)
"""


class _Command(TyperCommand):
    """Keeps the command line it parses: how ``--include`` and ``--exclude`` interleave
    decides which files are read, and Typer hands over one list per option."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta[_ARGV] = list(args)
        return super().parse_args(ctx, args)


_ARGV = "rxp.stream.argv"


def _signature() -> inspect.Signature:
    """PATTERN, FILEs, then ``OPTIONS`` in their order (the order of ``--help``)."""
    pattern = Annotated[
        str | None,
        typer.Argument(
            help="Python regular expression (with -e or -f, the first FILE).", show_default=False
        ),
    ]
    files = Annotated[
        list[str] | None, typer.Argument(help="Files to read; stdin when none or '-'.")
    ]
    signature = command_signature([("pattern", pattern, None), ("files", files, None)], OPTIONS)
    context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    return signature.replace(parameters=[context, *signature.parameters.values()])


def stream(ctx: typer.Context, **values: Any) -> None:
    # Typer reads argv for --help and for whatever ``_stream_args.read`` leaves to it
    # (``rxp.cli.run`` tries that reader first); the parameters are built from ``OPTIONS``.
    from ._stream_run import run

    values["file_globs"] = appended(ctx.meta.get(_ARGV, []), OPTIONS, FILE_GLOBS)
    raise typer.Exit(run(request(values)))


stream.__signature__ = _signature()  # type: ignore[attr-defined]
app.command(
    "stream",
    cls=_Command,
    help=_HELP,
    epilog=_EPILOG,
    context_settings={"help_option_names": ["--help"]},
)(stream)
