"""What the commands that compile a pattern (``explain``, ``test``) share: one definition of
each option, so spelling and help stay the same. (How they read text, ``flag_letters`` and
``strip_final_newline``, is in ``_argv``: ``rxp explain`` reads its argv without Typer.)"""

from typing import Annotated, Literal

import typer

from ._argv import flag_letters, strip_final_newline

__all__ = [
    "Ascii",
    "Dotall",
    "Flavor",
    "IgnoreCase",
    "Multiline",
    "Verbose",
    "flag_letters",
    "strip_final_newline",
]

Flavor = Annotated[
    Literal["re", "regex"],
    typer.Option("--flavor", help="Which engine: Python's re or the regex package."),
]
IgnoreCase = Annotated[bool, typer.Option("-i", "--ignore-case", help="re.IGNORECASE")]
Multiline = Annotated[bool, typer.Option("-m", "--multiline", help="re.MULTILINE")]
Dotall = Annotated[bool, typer.Option("-s", "--dotall", help="re.DOTALL")]
Verbose = Annotated[bool, typer.Option("-x", "--verbose", help="re.VERBOSE")]
Ascii = Annotated[bool, typer.Option("-a", "--ascii", help="re.ASCII")]
