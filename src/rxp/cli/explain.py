"""`rxp explain`: a thin shell over ``rxp.explain`` / ``rxp.explain_document``.

Reads the pattern (argument, ``-f FILE`` or stdin with ``-``), picks the output form
(tree, ``--brief``, ``--json``) and writes it. Everything heavy (the parser, the folds, rich)
is imported inside the command so that ``rxp`` starts fast. No ``from __future__ import
annotations`` here: Typer reads the signature at every start, and real annotations spare it
an ``eval`` per parameter.
"""

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from . import _options
from ._app import app

__all__ = ["explain_command"]

_EPILOG = """\
[bold]Examples[/bold]

  rxp explain '^(?P<ip>\\d{1,3}(?:\\.\\d{1,3}){3}) \\S+ (?P<user>\\S+)'

  rxp explain --brief 'Failed password for (invalid user )?(\\w+) from (\\S+)'

  rxp explain -i -m '^error: (.*)$'

  rxp explain --json '(?P<year>\\d{4})-(?P<month>\\d\\d)' | jq .width

  rxp explain --flavor regex '(?:\\p{Lu}\\p{Ll}+){e<=1}'

  rxp explain -f pattern.txt          (the file's text, minus one trailing newline)

  echo '\\bfoo\\b' | rxp explain -     (read the pattern from stdin)

  rxp explain -- '-?\\d+'              (a pattern that starts with '-')
"""


def _read_pattern(pattern: str | None, file: str | None) -> str:
    from .._errors import RxpError

    if pattern is not None and file is not None:
        raise RxpError("give the pattern as an argument or with -f/--file, not both")
    if file is None and pattern is None:
        raise RxpError("no pattern given (see 'rxp explain --help')")
    source = file if file is not None else pattern
    if source == "-":
        return _options.strip_final_newline(sys.stdin.read())
    if file is None:
        assert pattern is not None
        return pattern
    try:
        return _options.strip_final_newline(Path(file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise RxpError(f"cannot read pattern file {file!r}: {reason}") from None


@app.command(
    "explain",
    epilog=_EPILOG,
    no_args_is_help=True,
    context_settings={"ignore_unknown_options": False},
)
def explain_command(
    pattern: Annotated[
        str | None,
        typer.Argument(
            help="The regex to explain; '-' reads it from stdin. Put '--' before a "
            "pattern that starts with '-'.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file", "-f", help="Read the pattern from FILE ('-' for stdin).", metavar="FILE"
        ),
    ] = None,
    flavor: _options.Flavor = "re",
    flags: Annotated[
        str,
        typer.Option(
            "--flags",
            "-F",
            help="Flag letters as in (?aiLmsux), e.g. 'im'; the regex flavour also takes "
            "b e f p r w V0 V1.",
            metavar="LETTERS",
        ),
    ] = "",
    ignore_case: _options.IgnoreCase = False,
    multiline: _options.Multiline = False,
    dotall: _options.Dotall = False,
    verbose: _options.Verbose = False,
    ascii_only: _options.Ascii = False,
    brief: Annotated[
        bool, typer.Option("--brief", help="One sentence for the whole pattern.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="A versioned JSON document (schema in docs/explain-json.md)."),
    ] = False,
    color: Annotated[
        Literal["auto", "always", "never"],
        typer.Option("--color", help="Colour the tree: auto (on a terminal), always, never."),
    ] = "auto",
) -> None:
    """Explain a regular expression in plain English.

    Prints a summary (flavour, flags, anchoring, match length, whether it can match the
    empty string, the capture groups) and then a tree with one row per construct: the
    slice of the pattern and what it matches, read with the flags in effect.
    """
    from .._errors import RxpError, error_document

    letters = flags + _options.flag_letters(
        ignore_case=ignore_case,
        multiline=multiline,
        dotall=dotall,
        verbose=verbose,
        ascii_only=ascii_only,
    )
    if as_json:
        from .._explain._document import to_json
        from .._explain._explain import explain_document

        try:
            text = _read_pattern(pattern, file)
            document = explain_document(text, flavor=flavor, flags=letters)
        except RxpError as exc:
            sys.stdout.write(to_json(error_document(exc)) + "\n")
            raise typer.Exit(2) from None
        sys.stdout.write(to_json(document) + "\n")
        return

    from .._explain._explain import explain
    from .._explain._render import render_brief, render_lines, render_text

    result = explain(_read_pattern(pattern, file), flavor=flavor, flags=letters)
    if brief:
        sys.stdout.write(render_brief(result))
        return
    from ._console import color_enabled, is_terminal

    # On a terminal, long sentences wrap under their column; into a pipe, one line a row.
    width = None
    if is_terminal(sys.stdout):
        import shutil

        width = shutil.get_terminal_size().columns
    if not color_enabled(sys.stdout, choice=color):
        sys.stdout.write(render_text(result, width=width))
        return
    from rich.text import Text

    from ._console import console

    out = console(choice=color)
    for line in render_lines(result, width=width):
        out.print(Text.assemble(*((t, s or "") for t, s in line)), overflow="ignore", crop=False)
