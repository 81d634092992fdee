"""A command's options declared once, as a table, and a reader of argv that needs no Typer
(with the small readers of flags and pattern text the commands share).

A command with a start-up budget (``rxp stream``, ``rxp explain``) lists its options as
``Option`` rows. ``_app.command_signature`` builds the Typer command from the rows (for
``--help``, completion and every error message), and ``read`` parses argv with them in the
standard library alone, so that the work starts without importing Typer, rich, click or
pydantic (~40-150 ms of each start).

``read`` accepts what Typer's parser accepts and reads it the same way: clustered short flags
(``-nc``), attached or separate values (``-m5``, ``-m 5``, ``--max-count=5``), options before,
between or after the positionals, and ``--`` to end the options. An ``append`` option may
be given again and again: its value is the list of them all, in order (``appended`` also
tells how several such options interleave, which Typer's lists cannot). Only argv it is certain of:
anything else (``--help``, an unknown option, a value Typer would reject or might convert
otherwise, too few or too many positionals) gives ``None``, and the caller hands argv to
Typer, which prints the help or the error exactly as it always has. Each command's tests hold
the two readers to the same values (``tests/stream/test_args.py``,
``tests/explain/test_args.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal, NamedTuple

__all__ = [
    "Option",
    "appended",
    "flag",
    "flag_letters",
    "number",
    "read",
    "repeated",
    "strip_final_newline",
]

Kind = Literal["flag", "switch", "int", "float", "choice", "str", "append"]


class Option(NamedTuple):
    """One option: ``flags`` set it (a ``flag`` or ``switch`` to True), ``off`` set a
    ``switch`` to False (``off[i]`` pairs with ``flags[i]``). An ``append`` option's value
    is the list of the strings given to it (None when it is not given, as Typer passes).
    ``min`` is an inclusive bound; ``choices`` the values of a ``choice``; the rest is for
    ``--help``."""

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


def flag(dest: str, flags: tuple[str, ...], help: str, *, hidden: bool = False) -> Option:
    """An on/off option that is off unless given."""
    return Option(dest, flags, "flag", help, False, hidden=hidden)


def number(dest: str, flags: tuple[str, ...], help: str) -> Option:
    """An optional integer option (None unless given)."""
    return Option(dest, flags, "int", help, metavar="NUM")


def repeated(dest: str, flags: tuple[str, ...], help: str, metavar: str) -> Option:
    """A string option that may be given several times (its value: the list given, or None)."""
    return Option(dest, flags, "append", help, metavar=metavar)


class _Unsure(Exception):
    """Raised inside ``read`` for argv that Typer should read (and perhaps reject)."""


def _digits(text: str) -> bool:
    # int() also takes " 5", "+5", "1_0" and non-ASCII digits; Typer's converters may not
    return 0 < len(text) <= 18 and text.isascii() and text.isdigit()


def _convert(option: Option, text: str) -> object:
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


def _words(
    argv: Sequence[str], options: Sequence[Option]
) -> Iterator[tuple[Option | None, bool, str]]:
    """argv as Typer's parser reads it: (option, on, its value or "") for each option
    given, (None, True, word) for each positional. Raises ``_Unsure`` for an option it
    does not know or a value missing at the end."""
    spellings: dict[str, tuple[Option, bool]] = {
        **{spelling: (o, True) for o in options for spelling in o.flags},
        **{spelling: (o, False) for o in options for spelling in o.off},
    }
    rest = list(argv)
    rest.reverse()  # a stack: pop() takes the next argument

    def take(spelling: str, attached: str | None) -> tuple[Option, bool, str]:
        option, on = spellings[spelling]
        if not option.takes_value:
            if attached is not None:
                raise _Unsure
            return option, on, ""
        if attached is None:
            if not rest:
                raise _Unsure
            attached = rest.pop()
        return option, on, attached

    while rest:
        arg = rest.pop()
        if arg == "--":
            for word in reversed(rest):
                yield None, True, word
            return
        if arg == "-" or not arg.startswith("-"):
            yield None, True, arg
        elif arg.startswith("--"):
            name, eq, attached = arg.partition("=")
            if name not in spellings:
                raise _Unsure
            yield take(name, attached if eq else None)
        else:  # a cluster of short options, the last perhaps with its value attached
            for at, letter in enumerate(arg[1:], start=2):
                spelling = "-" + letter
                if spelling not in spellings:
                    raise _Unsure
                if spellings[spelling][0].takes_value:
                    yield take(spelling, arg[at:] or None)
                    break
                yield take(spelling, None)


def _read(
    argv: Sequence[str], options: Sequence[Option], least: int, most: int | None
) -> tuple[dict[str, object], list[str]]:
    # As Typer's parser: the last spelling of an option wins, and only its value is converted
    given: dict[Option, object] = {}
    lists: dict[Option, list[str]] = {}
    positional: list[str] = []
    for option, on, word in _words(argv, options):
        if option is None:
            positional.append(word)
        elif option.kind == "append":
            lists.setdefault(option, []).append(word)
        else:
            given[option] = word if option.takes_value else on
    if len(positional) < least or (most is not None and len(positional) > most):
        raise _Unsure
    values: dict[str, object] = {o.dest: o.default for o in options}
    for option, value in given.items():
        values[option.dest] = _convert(option, value) if isinstance(value, str) else value
    for option, texts in lists.items():
        values[option.dest] = texts
    return values, positional


def appended(
    argv: Sequence[str], options: Sequence[Option], dests: Sequence[str]
) -> list[tuple[str, str]]:
    """(dest, value) for every value given to the ``append`` options named ``dests``, in
    the order of ``argv`` (``--include``/``--exclude`` mean what they mean by their order);
    empty for argv this reader cannot follow."""
    try:
        return [
            (option.dest, value)
            for option, _, value in _words(argv, options)
            if option is not None and option.dest in dests
        ]
    except _Unsure:
        return []


def read(
    argv: Sequence[str], options: Sequence[Option], *, least: int = 0, most: int | None = None
) -> tuple[dict[str, object], list[str]] | None:
    """The option values Typer's command would pass for ``argv`` (the arguments after the
    command's name), keyed by ``Option.dest``, and the positionals (between ``least`` and
    ``most`` of them); or ``None`` when Typer should read argv (see the module docstring)."""
    if "--help" in argv:
        return None
    try:
        return _read(argv, options, least, most)
    except _Unsure:
        return None


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
