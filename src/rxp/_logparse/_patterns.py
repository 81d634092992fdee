"""``rxp parse --patterns FILE``: many named patterns, the first that reads a line wins.

A pattern file is UTF-8 text, one pattern a line: ``NAME``, blanks (spaces or tabs), then
the regex, which runs to the end of the line (only the newline, ``\\n`` or ``\\r\\n``, is
not part of it: trailing blanks are kept, so a regex can end in a space). Blank lines and
lines whose first non-blank character is ``#`` are skipped. A name is
``[A-Za-z_][A-Za-z0-9_.:-]*`` (``rxp mine`` writes ``T1``, ``T17``), unique in the file.
It is the shape of grok's pattern files (``--grok-patterns``), and ``write_pattern_file``
is ``read_pattern_file``'s exact inverse, for the patterns it accepts.

Each pattern is read exactly as ``--pattern`` reads one (``_fallback.PatternParser``: the
same engine, the same structured fallback, string values), and *matches* a line when
``--pattern`` with that pattern alone would give a record without ``_error``. The patterns
are tried in file order and the first that matches gives the record, its ``_format`` the
pattern's name. A line none matches is an error record (``no pattern matches``,
``_format: "patterns"``, the line in ``_raw``). All the patterns tried on a line share one
time budget (``--timeout``); a line over it is skipped as ``--pattern`` skips one, since
which pattern would have matched first cannot be known.

Speed: a mined file holds hundreds of patterns and a failed try costs a direct search and
a fallback walk, so a line is tried only against the patterns that can match it. Each
pattern's AST gives literals every match must hold, and that the fallback walk checks
too: the run of literal characters right after a start anchor (a *prefix*) and the
longest run anywhere in the top-level sequence (a *needle*); literals under ``(?i)`` (or
after a ``^`` under ``(?m)``) give none. Patterns are bucketed by their prefix's first
character, so a line looks at one bucket (in file order, the patterns with no prefix
merged in) and skips a pattern whose prefix it does not start with or whose needle it
does not contain. The records are those of trying every pattern in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from .._analysis._budget import Clock, OutOfTime
from .._errors import PatternError, RxpError
from .._syntax import _ast as A
from .._syntax._ast import Flavor
from .._syntax._flags import flags_at
from ._fallback import PatternParser, _items
from ._records import LineError, Record
from ._timed import TIMED_OUT

__all__ = [
    "NO_MATCH",
    "PatternFile",
    "PatternSet",
    "PatternSetError",
    "read_pattern_file",
    "write_pattern_file",
]

NO_MATCH = "no pattern matches"
"""The ``_error`` of a line no pattern reads (then ``at column 1``)."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]*")
_BLANKS = " \t"


# --- the file ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PatternFile:
    """A pattern file read: ``patterns`` as ``(name, regex)`` in file order, and the line
    (1-based) each stands on."""

    patterns: tuple[tuple[str, str], ...]
    lines: tuple[int, ...]


def read_pattern_file(text: str, source: str = "patterns") -> PatternFile:
    """The patterns of a pattern file's ``text`` (see the module docstring). A bad name, a
    repeated one, or a name with no regex after it raises ``RxpError`` as
    ``source:LINE: ...``. The regexes are not compiled here (that needs the flavour):
    ``PatternSet`` does it."""
    patterns: list[tuple[str, str]] = []
    lines: list[int] = []
    first: dict[str, int] = {}
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        line = raw.removesuffix("\r").lstrip(_BLANKS)
        if not line.strip(_BLANKS) or line.startswith("#"):
            continue
        name = _name_of(line)
        regex = line[len(name) :].lstrip(_BLANKS)
        where = f"{source}:{number}"
        if not _NAME.fullmatch(name):
            raise RxpError(
                f"{where}: bad pattern name {name!r} (want a letter or _, then letters, "
                "digits or _ . : -)"
            )
        if not regex.strip(_BLANKS):
            raise RxpError(f"{where}: pattern {name} has no regex after its name")
        if name in first:
            raise RxpError(f"{where}: pattern {name} again (first on line {first[name]})")
        first[name] = number
        patterns.append((name, regex))
        lines.append(number)
    return PatternFile(tuple(patterns), tuple(lines))


def _name_of(line: str) -> str:
    """The text before the first blank of ``line`` (which starts with no blank)."""
    cut = min((i for i in (line.find(" "), line.find("\t")) if i >= 0), default=len(line))
    return line[:cut]


def write_pattern_file(patterns: Iterable[tuple[str, str]], comment: str = "") -> str:
    """The text of a pattern file holding ``patterns`` in order (``NAME REGEX`` lines), each
    line of ``comment`` first as a ``#`` line. ``read_pattern_file`` gives back exactly
    ``patterns``; what it could not (a bad or repeated name, an empty regex, one holding a
    newline or carriage return, or starting with a blank, which the reader takes for the
    separator) raises ``RxpError``."""
    out = [f"# {line}".rstrip(_BLANKS) + "\n" for line in comment.splitlines()]
    seen: set[str] = set()
    for name, regex in patterns:
        problem = _unwritable(name, regex, seen)
        if problem:
            raise RxpError(f"cannot write pattern {name!r} to a pattern file: {problem}")
        seen.add(name)
        out.append(f"{name} {regex}\n")
    return "".join(out)


def _unwritable(name: str, regex: str, seen: set[str]) -> str:
    if not _NAME.fullmatch(name):
        return "a name is a letter or _, then letters, digits or _ . : -"
    if name in seen:
        return "the name is already taken"
    if not regex.strip(_BLANKS):
        return "the regex is empty"
    if "\n" in regex or "\r" in regex:
        return "the regex holds a line break (write it as \\n or \\r)"
    if regex[0] in _BLANKS:
        return "the regex starts with a blank (write it as \\x20, \\t or [ ])"
    return ""


# --- matching ---------------------------------------------------------------------------


class PatternSetError(PatternError):
    """An invalid pattern of a set: ``index`` says which (``PatternFile.lines[index]`` is
    its line), the message starts with its name."""

    def __init__(self, message: str, *, pattern: str, span: tuple[int, int], index: int):
        super().__init__(message, pattern=pattern, span=span)
        self.index = index

    def located(self, where: str) -> PatternError:
        """The same error, its message led by ``where`` (``FILE:LINE``)."""
        return PatternError(f"{where}: {self.message}", pattern=self.pattern, span=self.span)


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    parser: PatternParser
    prefix: str  # every match starts with it ("" when unknown)
    needle: str  # every match holds it ("" when unknown)


def _literals(tree: A.Pattern | None) -> tuple[str, str]:
    """``(prefix, needle)`` of a pattern (module docstring): runs of top-level literal
    characters, the same items ``_fallback.plan`` walks, so the fallback walk checks them
    as exactly as the direct match does."""
    if tree is None:
        return "", ""
    flags = flags_at(tree)
    items = _items(tree.body)
    runs: list[tuple[int, str]] = []  # (index of the run's first item, text)
    chars: list[str] = []
    for i, node in enumerate([*items, None]):
        if isinstance(node, A.Literal) and "i" not in flags[node]:
            if not chars:
                runs.append((i, ""))
            chars.append(node.char)
            continue
        if chars:
            runs[-1] = (runs[-1][0], "".join(chars))
            chars = []
    lead = 0
    anchored = False
    for node in items:
        if not isinstance(node, A.Anchor) or node.kind not in ("text_start", "line_start"):
            break
        anchored = anchored or node.kind == "text_start" or "m" not in flags[node]
        lead += 1
    prefix = runs[0][1] if anchored and runs and runs[0][0] == lead else ""
    others = runs[1:] if prefix else runs
    return prefix, max((text for _, text in others), key=len, default="")


class PatternSet:
    """Named patterns compiled once for many lines: ``patterns(line) -> (fields, name)``
    of the first pattern that reads the line (module docstring); ``LineError`` when none
    does or the line ran out of time. Raises ``PatternSetError`` at construction for an
    invalid pattern, ``RxpError`` for no patterns or a name given twice. A pattern needs
    no named group (a template with no variables gives a record of its name alone).
    ``prefilter=False`` tries every pattern on every line (the same records, slower)."""

    def __init__(
        self,
        patterns: Sequence[tuple[str, str]],
        *,
        flavor: Flavor = "re",
        timeout: float = 1.0,
        prefilter: bool = True,
    ) -> None:
        if not patterns:
            raise RxpError("no patterns to parse with")
        self.clock = Clock(timeout)
        entries: list[_Entry] = []
        seen: set[str] = set()
        for index, (name, regex) in enumerate(patterns):
            if name in seen:
                raise RxpError(f"pattern name {name!r} given twice")
            seen.add(name)
            try:
                parser = PatternParser(regex, flavor=flavor, clock=self.clock, named=False)
            except PatternError as exc:
                message = f"pattern {name}: {exc.message}"
                raise PatternSetError(
                    message, pattern=exc.pattern, span=exc.span, index=index
                ) from None
            prefix, needle = _literals(parser.tree) if prefilter else ("", "")
            entries.append(_Entry(name, parser, prefix, needle))
        self.entries = tuple(entries)
        self.anywhere = tuple(e for e in entries if not e.prefix)
        firsts = {e.prefix[0] for e in entries if e.prefix}
        self.by_first = {
            c: tuple(e for e in entries if not e.prefix or e.prefix[0] == c) for c in firsts
        }

    def session(self) -> AbstractContextManager[Clock]:
        """Hold for a run of many lines: the time budget's alarm stays in place."""
        return self.clock.session()

    def __call__(self, line: str) -> tuple[Record, str]:
        self.clock.start()
        try:
            for entry in self.by_first.get(line[:1], self.anywhere):
                prefix = entry.prefix
                if prefix and not line.startswith(prefix):
                    continue
                needle = entry.needle
                if needle and needle not in line:
                    continue
                try:
                    fields, _ = entry.parser.read(line)
                except LineError:
                    continue
                return fields, entry.name
        except OutOfTime as exc:
            error = LineError(f"{TIMED_OUT} {exc.seconds:g}s (--timeout); skipped", 1)
        else:
            error = LineError(NO_MATCH, 1)
        error.format = "patterns"
        raise error
