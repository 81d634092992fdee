"""`rxp stream PATTERN [FILE ...]`: grep-compatible, fast, backtracking-safe log scanning.

The shell only: it reads argv, opens stdout/stderr and chooses colours; matching and
formatting live in ``rxp._stream``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ._app import app

__all__ = ["stream"]


class FlavorChoice(StrEnum):
    re = "re"
    regex = "regex"


class ColorChoice(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class BackendChoice(StrEnum):
    sync = "sync"
    thread = "thread"
    asyncio = "asyncio"
    process = "process"


class JournalChoice(StrEnum):
    export = "export"
    json = "json"


_HELP = """Search files (or stdin) line by line, as `LC_ALL=C grep -E -a` would.

Piped, the output is byte for byte grep's for the same options; on a terminal the matches
are highlighted. Lines are bytes: invalid UTF-8, NULs and CR pass through unchanged. Exit
status: 0 if a line was selected, 1 if none, 2 on an error (or lines skipped for time).
"""


_EPILOG = """\
[bold]Examples[/bold]

  rxp stream -n -C 2 'Failed password for \\S+ from (?P<ip>[0-9.]+)' auth.log

  rxp stream -c 'Failed password for' big.log        (processes on idle cores)

  journalctl -o export | rxp stream --journal export 'Failed password'

  rxp stream --json '(?P<user>\\w+)@(?P<host>\\S+)' mail.log | jq -c .data.submatches

  rxp stream --timeout 0.5 '(a+)+$' suspicious.log     (slow lines reported and skipped)
"""


@app.command(
    "stream",
    help=_HELP,
    epilog=_EPILOG,
    context_settings={"help_option_names": ["--help"]},
)
def stream(
    pattern: Annotated[str, typer.Argument(help="Python regular expression.")],
    files: Annotated[
        list[str] | None, typer.Argument(help="Files to read; stdin when none or '-'.")
    ] = None,
    line_number: Annotated[
        bool, typer.Option("-n", "--line-number", help="Prefix each line with its number.")
    ] = False,
    with_filename: Annotated[
        bool | None,
        typer.Option(
            "--with-filename/--no-filename",
            "-H/-h",
            help="Print the file name for each match (default: when several files).",
        ),
    ] = None,
    count: Annotated[
        bool, typer.Option("-c", "--count", help="Print only the number of selected lines.")
    ] = False,
    only_matching: Annotated[
        bool, typer.Option("-o", "--only-matching", help="Print each match on its own line.")
    ] = False,
    invert: Annotated[
        bool, typer.Option("-v", "--invert-match", help="Select the lines that do not match.")
    ] = False,
    max_count: Annotated[
        int | None,
        typer.Option("-m", "--max-count", metavar="NUM", help="Stop after NUM selected lines."),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option("-q", "--quiet", "--silent", help="Print nothing; exit 0 at the first match."),
    ] = False,
    ignore_case: Annotated[
        bool, typer.Option("-i", "--ignore-case", help="ASCII case-insensitive matching.")
    ] = False,
    after: Annotated[
        int | None,
        typer.Option("-A", "--after-context", metavar="NUM", help="NUM lines after each match."),
    ] = None,
    before: Annotated[
        int | None,
        typer.Option("-B", "--before-context", metavar="NUM", help="NUM lines before each match."),
    ] = None,
    context: Annotated[
        int | None,
        typer.Option("-C", "--context", metavar="NUM", help="NUM lines around each match."),
    ] = None,
    fixed_strings: Annotated[
        bool, typer.Option("-F", "--fixed-strings", help="PATTERN is a literal string.")
    ] = False,
    extended: Annotated[
        bool, typer.Option("-E", "-a", "--text", hidden=True, help="Accepted for grep.")
    ] = False,
    flavor: Annotated[
        FlavorChoice, typer.Option("--flavor", help="Python's re syntax, or the regex package's.")
    ] = FlavorChoice.re,
    color: Annotated[
        ColorChoice,
        typer.Option("--color", "--colour", help="Highlight matches (auto: on a terminal)."),
    ] = ColorChoice.auto,
    passthru: Annotated[
        bool, typer.Option("--passthru", help="Print every line, highlighting matches.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="ripgrep-style JSON Lines, with named groups.")
    ] = False,
    journal: Annotated[
        JournalChoice | None,
        typer.Option("--journal", help="Read `journalctl -o export|json` entries."),
    ] = None,
    field: Annotated[
        str, typer.Option("--field", help="Journal field to match (with --journal).")
    ] = "MESSAGE",
    backend: Annotated[
        BackendChoice | None,
        typer.Option("--backend", help="How to schedule the work (default: fastest)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Threads or processes (default: idle cores)."),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.0, help="Time budget per line in seconds (0: none)."),
    ] = 1.0,
    chunk_size: Annotated[
        int | None, typer.Option("--chunk-size", min=1, hidden=True, help="Bytes per block.")
    ] = None,
    explain_plan: Annotated[
        bool,
        typer.Option(
            "--explain-plan", help="Say which engines the pattern gets, and why; search nothing."
        ),
    ] = False,
) -> None:
    from ._stream_run import Request, run

    del extended
    for name, value in (("-m", max_count), ("-A", after), ("-B", before), ("-C", context)):
        if value is not None and value < 0:
            from .._errors import RxpError

            raise RxpError(f"{name}: invalid number {value}")
    request = Request(
        pattern=pattern,
        files=list(files or []),
        line_number=line_number,
        with_filename=with_filename,
        count=count,
        only_matching=only_matching,
        invert=invert,
        max_count=max_count,
        quiet=quiet,
        ignore_case=ignore_case,
        after=after if after is not None else context,
        before=before if before is not None else context,
        fixed_strings=fixed_strings,
        flavor=flavor.value,
        color=color.value,
        passthru=passthru,
        as_json=as_json,
        journal=journal.value if journal is not None else None,
        field=field,
        backend=backend.value if backend is not None else None,
        workers=workers,
        timeout=timeout,
        chunk=chunk_size,
        explain_plan=explain_plan,
    )
    raise typer.Exit(run(request))
