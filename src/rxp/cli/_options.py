"""What the commands that compile a pattern (``explain``, ``test``) share: one definition of
each option, so spelling and help stay the same, and how they read text from a file or stdin."""

from typing import Annotated, Literal

import typer

Flavor = Annotated[
    Literal["re", "regex"],
    typer.Option("--flavor", help="Which engine: Python's re or the regex package."),
]
IgnoreCase = Annotated[bool, typer.Option("-i", "--ignore-case", help="re.IGNORECASE")]
Multiline = Annotated[bool, typer.Option("-m", "--multiline", help="re.MULTILINE")]
Dotall = Annotated[bool, typer.Option("-s", "--dotall", help="re.DOTALL")]
Verbose = Annotated[bool, typer.Option("-x", "--verbose", help="re.VERBOSE")]
Ascii = Annotated[bool, typer.Option("-a", "--ascii", help="re.ASCII")]


def flag_letters(
    *, ignore_case: bool, multiline: bool, dotall: bool, verbose: bool, ascii_only: bool
) -> str:
    """The letters of ``(?aimsx)`` for the flag options that are set."""
    chosen = (
        ("a", ascii_only),
        ("i", ignore_case),
        ("m", multiline),
        ("s", dotall),
        ("x", verbose),
    )
    return "".join(letter for letter, on in chosen if on)


def strip_final_newline(text: str) -> str:
    """Text as typed: without the one newline (``\\n`` or ``\\r\\n``) that ends the last line
    of a file or of ``echo``'s output."""
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text
