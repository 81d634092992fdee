"""`rxp stream`'s options, declared once, and a grep-style reader of them that needs no Typer.

``OPTIONS`` is the one list of the command's options: ``cli/stream.py`` builds the Typer
command from it (for ``--help``, completion and every error message), and ``read`` parses
argv with it in the standard library alone, so that a search starts without importing Typer,
rich, click or pydantic (~150 ms of each start).

``read`` accepts what Typer's parser accepts and reads it the same way: clustered short flags
(``-nc``), attached or separate values (``-m5``, ``-m 5``, ``--max-count=5``), options before,
between or after the PATTERN and FILEs, and ``--`` to end the options. Only argv it is certain
of: anything else (``--help``, an unknown option, a value Typer would reject or might convert
otherwise, a missing PATTERN) gives ``None``, and the caller hands argv to Typer, which prints
the help or the error exactly as it always has. ``tests/stream/test_args.py`` holds the two
readers to the same ``Request``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from ._stream_run import Request

__all__ = ["OPTIONS", "StreamOption", "read", "request"]

Kind = Literal["flag", "switch", "int", "float", "choice", "str"]


class StreamOption(NamedTuple):
    """One option: ``flags`` set it (a ``flag`` or ``switch`` to True), ``off`` set a
    ``switch`` to False (``off[i]`` pairs with ``flags[i]``). ``min`` is an inclusive bound;
    ``choices`` the values of a ``choice``; the rest is for ``--help``."""

    dest: str
    flags: tuple[str, ...]
    kind: Kind
    help: str
    default: object = None
    off: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    min: int | float | None = None
    metavar: str | None = None
    hidden: bool = False

    @property
    def takes_value(self) -> bool:
        return self.kind not in ("flag", "switch")


def _flag(dest: str, flags: tuple[str, ...], help: str, *, hidden: bool = False) -> StreamOption:
    return StreamOption(dest, flags, "flag", help, False, hidden=hidden)


def _number(dest: str, flags: tuple[str, ...], help: str) -> StreamOption:
    return StreamOption(dest, flags, "int", help, metavar="NUM")


OPTIONS: tuple[StreamOption, ...] = (
    _flag("line_number", ("-n", "--line-number"), "Prefix each line with its number."),
    StreamOption(
        "with_filename",
        ("--with-filename", "-H"),
        "switch",
        "Print the file name for each match (default: when several files).",
        off=("--no-filename", "-h"),
    ),
    _flag("count", ("-c", "--count"), "Print only the number of selected lines."),
    _flag("only_matching", ("-o", "--only-matching"), "Print each match on its own line."),
    _flag("invert", ("-v", "--invert-match"), "Select the lines that do not match."),
    _number("max_count", ("-m", "--max-count"), "Stop after NUM selected lines."),
    _flag("quiet", ("-q", "--quiet", "--silent"), "Print nothing; exit 0 at the first match."),
    _flag("ignore_case", ("-i", "--ignore-case"), "ASCII case-insensitive matching."),
    _number("after", ("-A", "--after-context"), "NUM lines after each match."),
    _number("before", ("-B", "--before-context"), "NUM lines before each match."),
    _number("context", ("-C", "--context"), "NUM lines around each match."),
    _flag("fixed_strings", ("-F", "--fixed-strings"), "PATTERN is a literal string."),
    _flag("extended", ("-E", "-a", "--text"), "Accepted for grep.", hidden=True),
    StreamOption(
        "flavor",
        ("--flavor",),
        "choice",
        "Python's re syntax, or the regex package's.",
        "re",
        choices=("re", "regex"),
    ),
    StreamOption(
        "color",
        ("--color", "--colour"),
        "choice",
        "Highlight matches (auto: on a terminal).",
        "auto",
        choices=("auto", "always", "never"),
    ),
    _flag("passthru", ("--passthru",), "Print every line, highlighting matches."),
    _flag("as_json", ("--json",), "ripgrep-style JSON Lines, with named groups."),
    StreamOption(
        "journal",
        ("--journal",),
        "choice",
        "Read `journalctl -o export|json` entries.",
        choices=("export", "json"),
    ),
    StreamOption(
        "field", ("--field",), "str", "Journal field to match (with --journal).", "MESSAGE"
    ),
    StreamOption(
        "backend",
        ("--backend",),
        "choice",
        "How to schedule the work (default: fastest).",
        choices=("sync", "thread", "asyncio", "process"),
    ),
    StreamOption(
        "workers", ("--workers",), "int", "Threads or processes (default: idle cores).", min=1
    ),
    StreamOption(
        "timeout",
        ("--timeout",),
        "float",
        "Time budget per line in seconds (0: none).",
        1.0,
        min=0.0,
    ),
    StreamOption("chunk_size", ("--chunk-size",), "int", "Bytes per block.", min=1, hidden=True),
    _flag(
        "explain_plan",
        ("--explain-plan",),
        "Say which engines the pattern gets, and why; search nothing.",
    ),
)

# spelling -> (option, the value a flag or switch spelling sets)
_SPELLINGS: dict[str, tuple[StreamOption, bool]] = {
    **{flag: (o, True) for o in OPTIONS for flag in o.flags},
    **{flag: (o, False) for o in OPTIONS for flag in o.off},
}


class _Unsure(Exception):
    """Raised inside ``read`` for argv that Typer should read (and perhaps reject)."""


def _digits(text: str) -> bool:
    # int() also takes " 5", "+5", "1_0" and non-ASCII digits; Typer's converters may not
    return 0 < len(text) <= 18 and text.isascii() and text.isdigit()


def _convert(option: StreamOption, text: str) -> object:
    value: object
    if option.kind == "int":
        if not _digits(text.removeprefix("-")):
            raise _Unsure
        value = int(text)
    elif option.kind == "float":
        whole, _, fraction = text.partition(".")
        if not _digits(whole) or not (fraction == "" or _digits(fraction)) or text.endswith("."):
            raise _Unsure
        value = float(text)
    elif option.kind == "choice":
        if text not in option.choices:
            raise _Unsure
        value = text
    else:
        value = text
    if option.min is not None and value < option.min:  # type: ignore[operator]
        raise _Unsure
    return value


def _read(argv: Sequence[str]) -> dict[str, object]:
    # As Typer's parser: the last spelling of an option wins, and only its value is converted
    given: dict[StreamOption, object] = {}
    positional: list[str] = []
    rest = list(argv)
    rest.reverse()  # a stack: pop() takes the next argument

    def take(spelling: str, attached: str | None) -> None:
        option, on = _SPELLINGS[spelling]
        if not option.takes_value:
            if attached is not None:
                raise _Unsure
            given[option] = on
            return
        if attached is None:
            if not rest:
                raise _Unsure
            attached = rest.pop()
        given[option] = attached

    while rest:
        arg = rest.pop()
        if arg == "--":
            positional.extend(reversed(rest))
            break
        if arg == "-" or not arg.startswith("-"):
            positional.append(arg)
        elif arg.startswith("--"):
            name, eq, attached = arg.partition("=")
            if name not in _SPELLINGS:
                raise _Unsure
            take(name, attached if eq else None)
        else:  # a cluster of short options, the last perhaps with its value attached
            for at, letter in enumerate(arg[1:], start=2):
                spelling = "-" + letter
                if spelling not in _SPELLINGS:
                    raise _Unsure
                if _SPELLINGS[spelling][0].takes_value:
                    take(spelling, arg[at:] or None)
                    break
                take(spelling, None)
    if not positional:
        raise _Unsure
    values: dict[str, object] = {o.dest: o.default for o in OPTIONS}
    for option, value in given.items():
        values[option.dest] = _convert(option, value) if isinstance(value, str) else value
    values["pattern"], values["files"] = positional[0], positional[1:]
    return values


def read(argv: Sequence[str]) -> dict[str, object] | None:
    """The values Typer's ``rxp stream`` command would pass for ``argv`` (the arguments
    after ``stream``), keyed by ``StreamOption.dest`` plus ``pattern`` and ``files``; or
    ``None`` when Typer should read argv (see the module docstring)."""
    if "--help" in argv:
        return None
    try:
        return _read(argv)
    except _Unsure:
        return None


def request(values: Mapping[str, object]) -> Request:
    """The search a command line asks for, from either reader's values. Choices may come as
    Typer's enum members; they are kept as their plain string values."""
    from .._errors import RxpError
    from ._stream_run import Request

    def number(name: str) -> int | None:
        value = values[name]
        assert value is None or isinstance(value, int)
        return value

    def text(name: str) -> str | None:
        value = values[name]
        return None if value is None else str(value)

    for flag, name in (("-m", "max_count"), ("-A", "after"), ("-B", "before"), ("-C", "context")):
        value = number(name)
        if value is not None and value < 0:
            raise RxpError(f"{flag}: invalid number {value}")
    after, before, context = number("after"), number("before"), number("context")
    files = values["files"]
    assert files is None or isinstance(files, (list, tuple))
    return Request(
        pattern=str(values["pattern"]),
        files=[str(f) for f in files or ()],
        line_number=bool(values["line_number"]),
        with_filename=None if values["with_filename"] is None else bool(values["with_filename"]),
        count=bool(values["count"]),
        only_matching=bool(values["only_matching"]),
        invert=bool(values["invert"]),
        max_count=number("max_count"),
        quiet=bool(values["quiet"]),
        ignore_case=bool(values["ignore_case"]),
        after=after if after is not None else context,
        before=before if before is not None else context,
        fixed_strings=bool(values["fixed_strings"]),
        flavor=text("flavor") or "re",
        color=text("color") or "auto",
        passthru=bool(values["passthru"]),
        as_json=bool(values["as_json"]),
        journal=text("journal"),
        field=str(values["field"]),
        backend=text("backend"),
        workers=number("workers"),
        timeout=float(values["timeout"]),  # type: ignore[arg-type]
        chunk=number("chunk_size"),
        explain_plan=bool(values["explain_plan"]),
    )
