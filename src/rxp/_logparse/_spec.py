"""What a format is: its name, its options, and how to build its per-line parser.

Every format module declares ``SPECS``, a tuple of ``FormatSpec``; ``_formats`` finds a
format's module by name and imports only that one. A parser takes one line (or, for a
document format, the whole input) and returns ``(fields, format name)``, or raises
``LineError`` with the fields it recovered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

from ._options import Option, Options
from ._records import Record

__all__ = ["FormatSpec", "LineParser", "always", "fixed", "never", "plain"]

LineParser: TypeAlias = Callable[[str], tuple[Record, str]]


def never(options: Options) -> bool:
    """The ``document`` test of a line format: never reads the whole input as one record."""
    return False


def always(options: Options) -> bool:
    """The ``document`` test of a document format (xml, yaml, a CloudWatch message)."""
    return True


@dataclass(frozen=True)
class FormatSpec:
    """``name`` is VRL's function name without ``parse_`` (``common_log``); ``aliases`` are
    rxp's older short names (``kv``). ``build`` gets the checked options (every declared one,
    defaults filled in) and returns the parser; it raises ``RxpError`` for a combination of
    options that cannot work (a grok pattern that does not compile). ``document`` says, for
    the options given, whether the whole input is one record (``field_delimiter="\\n"``)."""

    name: str
    build: Callable[[Options], LineParser]
    options: tuple[Option, ...] = ()
    aliases: tuple[str, ...] = ()
    document: Callable[[Options], bool] = field(default=never)
    summary: str = ""


def fixed(name: str, read: Callable[[str], Record]) -> LineParser:
    """A parser that names its records ``name`` whatever they hold."""

    def run(line: str) -> tuple[Record, str]:
        return read(line), name

    return run


def plain(name: str, read: Callable[[str], Record], summary: str = "") -> FormatSpec:
    """The spec of a format without options: ``read`` on every line."""
    parser = fixed(name, read)
    return FormatSpec(name, lambda options: parser, summary=summary)
