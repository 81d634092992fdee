"""`rxp explain`'s options, declared once as a table (``_argv.Option``).

``cli/explain.py`` builds the Typer command from ``OPTIONS``; ``read`` parses argv with the
same table without Typer (see ``_argv``), so an explanation starts without importing Typer,
click or pydantic (~40 ms, a fifth of ``rxp explain``'s start). ``tests/explain/test_args.py``
holds the two readers to the same values.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._argv import Option, flag
from ._argv import read as read_argv

__all__ = ["OPTIONS", "read"]

OPTIONS: tuple[Option, ...] = (
    Option(
        "file",
        ("--file", "-f"),
        "str",
        "Read the pattern from FILE ('-' for stdin).",
        metavar="FILE",
    ),
    Option(
        "grok",
        ("--grok",),
        "str",
        "Explain a grok expression ('%{SYSLOGLINE}'): the regex it expands to, each "
        "%{NAME:field} named on the row it became.",
        metavar="EXPR",
    ),
    Option(
        "grok_patterns",
        ("--grok-patterns",),
        "str",
        "Custom grok definitions for --grok, one 'NAME REGEX' per line.",
        metavar="FILE",
    ),
    Option(
        "flavor",
        ("--flavor",),
        "choice",
        "Which engine: Python's re or the regex package.",
        "re",
        choices=("re", "regex"),
    ),
    Option(
        "flags",
        ("--flags", "-F"),
        "str",
        "Flag letters as in (?aiLmsux), e.g. 'im'; the regex flavour also takes b e f p r w V0 V1.",
        "",
        metavar="LETTERS",
    ),
    flag("ignore_case", ("-i", "--ignore-case"), "re.IGNORECASE"),
    flag("multiline", ("-m", "--multiline"), "re.MULTILINE"),
    flag("dotall", ("-s", "--dotall"), "re.DOTALL"),
    flag("verbose", ("-x", "--verbose"), "re.VERBOSE"),
    flag("ascii_only", ("-a", "--ascii"), "re.ASCII"),
    flag("brief", ("--brief",), "One sentence for the whole pattern."),
    flag("as_json", ("--json",), "A versioned JSON document (schema in docs/explain-json.md)."),
    flag(
        "lint",
        ("--lint",),
        "Exit with status 1 when a lint fires (for CI and pre-commit); lints are always shown.",
    ),
    Option(
        "svg",
        ("--svg",),
        "str",
        "Also write a railroad diagram of the pattern to FILE, as SVG ('-': to stdout, "
        "instead of the explanation).",
        metavar="FILE",
    ),
    Option(
        "color",
        ("--color",),
        "choice",
        "Colour the tree: auto (on a terminal), always, never.",
        "auto",
        choices=("auto", "always", "never"),
    ),
)


def read(argv: Sequence[str]) -> dict[str, object] | None:
    """The values Typer's ``rxp explain`` command would pass for ``argv`` (the arguments
    after ``explain``), keyed by ``Option.dest`` plus ``pattern``; or ``None`` when Typer
    should read argv (no arguments at all: the help)."""
    if not argv:
        return None
    found = read_argv(argv, OPTIONS, most=1)
    if found is None:
        return None
    values, positional = found
    values["pattern"] = positional[0] if positional else None
    return values
