"""`rxp test`: run a pattern over sample text and show every match, its span and groups.

A thin shell over ``rxp.find_matches``: reads the subjects (arguments, or stdin), picks the
output (highlighted text and tables, or ``--json``) and sets the exit status (0 matched,
1 no match, 2 error). The core and rich are imported inside the command (startup time).
"""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from . import _options
from ._app import app

__all__ = ["test_command"]

_EPILOG = """\
[bold]Examples[/bold]

  rxp test '(?P<user>\\w+)@(?P<host>[\\w.]+)' 'alice@example.com, bob@host'

  rxp test -i 'failed password for (\\S+)' 'Failed password for root' 'FAILED PASSWORD FOR x'

  journalctl -n 50 | rxp test -m '^.*sshd.*$'      (stdin is one subject)

  rxp test --fullmatch '\\d{4}-\\d\\d-\\d\\d' 2024-01-15

  rxp test --json '(a)|(b)' 'ab' | jq '.subjects[0].matches[].groups'

  rxp test --flavor regex '\\p{Lu}\\w+' 'Hello World'

  rxp test -- '-\\d+' 'x -12'        (a pattern that starts with '-')
"""


def _read_stdin() -> str:
    from .._errors import RxpError
    from ._console import is_terminal

    if is_terminal(sys.stdin):
        raise RxpError("no text to test: give TEXT arguments or pipe the text on stdin")
    from ._output import read_stdin

    data = read_stdin()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RxpError(
            f"stdin is not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); "
            "rxp test works on text (use 'rxp stream' for arbitrary bytes)"
        ) from None
    return _options.strip_final_newline(text)


_HELP = (
    "Test a regex against text: every match highlighted, then its span and groups.\n\n"
    "Each TEXT argument is a separate subject; with none, stdin is read as one subject. "
    "Adjacent matches are told apart by alternating colours or, without colour, by a marker "
    "line (^^^ under odd-numbered matches, ~~~ under even ones, | for an empty match) with "
    "the match numbers under it.\n\n"
    "Each subject gets a time budget (--timeout): a pattern that backtracks catastrophically "
    "is answered by a linear-time engine (RE2) where it can be; a subject still over budget is "
    "reported as not known, never as no match.\n\n"
    "Exit status: 0 if anything matched, 1 if nothing did, 2 on error (or when nothing "
    "matched and a subject ran out of time)."
)


@app.command("test", help=_HELP, epilog=_EPILOG, no_args_is_help=True)
def test_command(
    pattern: Annotated[
        str,
        typer.Argument(
            help="The regex. Put '--' before a pattern that starts with '-'.",
            show_default=False,
        ),
    ],
    texts: Annotated[
        list[str] | None,
        typer.Argument(
            help="Subject texts, each tested on its own; none reads one subject from stdin "
            "(without its final newline).",
            show_default=False,
            metavar="TEXT",
        ),
    ] = None,
    flavor: _options.Flavor = "re",
    ignore_case: _options.IgnoreCase = False,
    multiline: _options.Multiline = False,
    dotall: _options.Dotall = False,
    verbose: _options.Verbose = False,
    ascii_only: _options.Ascii = False,
    fullmatch: Annotated[
        bool,
        typer.Option("--fullmatch", help="Match the whole subject (re.fullmatch), not search."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The matches as JSON (shape in docs/test-json.md).")
    ] = False,
    color: Annotated[
        Literal["auto", "always", "never"],
        typer.Option("--color", help="Highlight matches: auto (on a terminal), always, never."),
    ] = "auto",
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.0, help="Time budget per subject in seconds (0: none)."),
    ] = 1.0,
) -> None:
    """Test a regex against text (the help text is ``_HELP``)."""
    import json

    from .._errors import RxpError, error_document
    from .._match._render import render_lines, render_text, report_document
    from .._match._report import find_matches
    from ._output import diagnose, write_utf8

    letters = _options.flag_letters(
        ignore_case=ignore_case,
        multiline=multiline,
        dotall=dotall,
        verbose=verbose,
        ascii_only=ascii_only,
    )
    try:
        subjects = list(texts) if texts else [_read_stdin()]
        report = find_matches(
            pattern, subjects, flavor=flavor, flags=letters, fullmatch=fullmatch, timeout=timeout
        )
    except RxpError as exc:
        if not as_json:
            raise
        write_utf8(json.dumps(error_document(exc), ensure_ascii=False))
        raise typer.Exit(2) from None
    for skipped in report.timed_out:
        diagnose(
            f"rxp: warning: subject {skipped.number}: matching took over {timeout:g}s "
            "(--timeout); its matches are not known"
        )
    # as grep: an answer that is not known never reads as "no match"
    status = 0 if report.matched else 2 if report.timed_out else 1
    if as_json:
        write_utf8(json.dumps(report_document(report), ensure_ascii=False))
        raise typer.Exit(status)
    from ._console import color_enabled

    if not color_enabled(sys.stdout, choice=color):
        sys.stdout.write(render_text(report))
        raise typer.Exit(status)
    from rich.text import Text

    from ._console import console

    out = console(choice=color)
    for line in render_lines(report, colour=True):
        out.print(Text.assemble(*((t, s or "") for t, s in line)), overflow="ignore", crop=False)
    raise typer.Exit(status)
