"""Run a pattern over text and describe every match: the core of ``rxp test``.

Pure: strings in, frozen values out. Spans are half-open code-point offsets into the
subject (Python string indices), exactly what ``re``/``regex`` report, so
``subject[m.start:m.end] == m.text``. Matches are those of ``finditer`` (empty matches
included, as Python finds them), or the single ``fullmatch`` when asked.

Each subject is matched under a time budget (``timeout`` seconds, 0 for none) by
``rxp._analysis._budget``: a catastrophic pattern such as ``(a+)+$`` is answered exactly by
RE2 where the pattern and subject allow it; where they do not, a subject that runs out of
time is marked ``timed_out`` (its matches unknown), which is never the same as no match.

The pattern is validated by rxp's parser first, so a syntax error carries rxp's message and
span; whatever the parser does not cover (the regex flavour) falls back to the engine's own
error, translated to ``PatternError`` at the position the engine reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, cast

from .._analysis._budget import Budgeted, Clock, OutOfTime, with_room
from .._errors import PatternError, RxpError
from .._syntax._ast import Flavor

if TYPE_CHECKING:
    from .._analysis._budget import MatchLike

__all__ = [
    "GroupInfo",
    "GroupResult",
    "MatchReport",
    "MatchResult",
    "SubjectMatches",
    "compile_pattern",
    "find_matches",
    "flag_letters",
]

Mode = Literal["search", "fullmatch"]

_FLAG_LETTERS = "aimsx"


# The regex package's compiled patterns and matches have the same API as re's (the parts
# used here); both are typed as re's.
_Compiled: TypeAlias = "re.Pattern[str]"


def _regex_module() -> Any:
    import importlib

    return importlib.import_module("regex")


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """A capture group of the pattern: its number and, if it has one, its name."""

    number: int
    name: str | None


@dataclass(frozen=True, slots=True)
class GroupResult:
    """One group in one match; ``span`` and ``value`` are None when the group did not take
    part in the match ("unset"), which is different from capturing the empty string."""

    number: int
    name: str | None
    span: tuple[int, int] | None
    value: str | None

    @property
    def is_set(self) -> bool:
        return self.span is not None


@dataclass(frozen=True, slots=True)
class MatchResult:
    """One match: ``number`` counts from 1 within its subject."""

    number: int
    span: tuple[int, int]
    text: str
    groups: tuple[GroupResult, ...]

    @property
    def start(self) -> int:
        return self.span[0]

    @property
    def end(self) -> int:
        return self.span[1]


@dataclass(frozen=True, slots=True)
class SubjectMatches:
    """A subject text and the matches found in it, in order. ``timed_out``: matching ran
    out of its time budget, so its matches are unknown (and ``matches`` is empty)."""

    number: int
    text: str
    matches: tuple[MatchResult, ...]
    timed_out: bool = False


@dataclass(frozen=True, slots=True)
class MatchReport:
    """What ``rxp test`` shows: the pattern as compiled, and each subject's matches."""

    pattern: str
    flavor: Flavor
    flags: str
    mode: Mode
    groups: tuple[GroupInfo, ...]
    subjects: tuple[SubjectMatches, ...]
    timeout: float = 1.0  # each subject's budget in seconds (0: none)

    @property
    def match_count(self) -> int:
        return sum(len(s.matches) for s in self.subjects)

    @property
    def matched(self) -> bool:
        return any(s.matches for s in self.subjects)

    @property
    def timed_out(self) -> tuple[SubjectMatches, ...]:
        """The subjects skipped for time."""
        return tuple(s for s in self.subjects if s.timed_out)


def flag_letters(letters: str) -> str:
    """Validated flag letters in a fixed order (``aimsx``)."""
    unknown = sorted(set(letters) - set(_FLAG_LETTERS))
    if unknown:
        raise RxpError(f"unknown flag {unknown[0]!r}: expected letters from {_FLAG_LETTERS!r}")
    return "".join(c for c in _FLAG_LETTERS if c in letters)


def _engine_flags(letters: str, flavor: Flavor) -> int:
    if flavor == "regex":
        engine = _regex_module()
        table = {"a": engine.A, "i": engine.I, "m": engine.M, "s": engine.S, "x": engine.X}
        return int(sum((int(table[c]) for c in letters), int(engine.V0)))
    names = {"a": re.A, "i": re.I, "m": re.M, "s": re.S, "x": re.X}
    return sum((int(names[c]) for c in letters), 0)


def _explained_error(
    pattern: str, flavor: Flavor, letters: str, fallback: PatternError
) -> PatternError:
    """rxp's parser's error for a pattern the engine rejected (its message and span read
    better), or the engine's own when the parser does not cover the case."""
    try:
        from .._syntax._parse import parse

        parse(pattern, flavor=flavor, flags=letters)
    except PatternError as exc:
        return exc
    except Exception:  # a flavour or construct the parser does not handle: the engine decides
        return fallback
    return fallback


def compile_pattern(pattern: str, *, flavor: Flavor = "re", flags: str = "") -> _Compiled:
    """The compiled pattern; ``PatternError`` (message, pattern, span) when it is invalid.

    The engine decides what is valid; for an invalid pattern rxp's parser supplies the
    message and span where it can (``rxp explain`` shows the same error)."""
    letters = flag_letters(flags)
    try:
        return _compile(pattern, flavor, letters)
    except PatternError as exc:
        raise _explained_error(pattern, flavor, letters, exc) from None


def _compile(pattern: str, flavor: Flavor, letters: str) -> _Compiled:
    bits = _engine_flags(letters, flavor)
    try:
        if flavor == "regex":
            engine = _regex_module()
            try:
                return cast("re.Pattern[str]", with_room(engine.compile, pattern, bits))
            except engine.error as exc:
                raise _pattern_error(pattern, str(exc.msg), exc.pos) from None
        try:
            compiled: _Compiled = with_room(re.compile, pattern, bits)
            return compiled
        except re.error as exc:
            raise _pattern_error(pattern, exc.msg, exc.pos) from None
    except (OverflowError, RecursionError, MemoryError) as exc:
        message = f"pattern too large or too deeply nested for the engine ({type(exc).__name__})"
        raise PatternError(message, pattern=pattern, span=(0, len(pattern))) from None


def _pattern_error(pattern: str, message: str, pos: int | None) -> PatternError:
    start = len(pattern) if pos is None else pos
    return PatternError(message, pattern=pattern, span=(start, start + 1))


def _group_infos(compiled: _Compiled) -> tuple[GroupInfo, ...]:
    names = {number: name for name, number in compiled.groupindex.items()}
    return tuple(GroupInfo(n, names.get(n)) for n in range(1, compiled.groups + 1))


def _describe(number: int, match: MatchLike, groups: Sequence[GroupInfo]) -> MatchResult:
    results = []
    for info in groups:
        start, end = match.span(info.number)
        if start < 0:
            results.append(GroupResult(info.number, info.name, None, None))
        else:
            results.append(
                GroupResult(info.number, info.name, (start, end), match.group(info.number))
            )
    start, end = match.span()
    text = match.group() or ""
    return MatchResult(number, (start, end), text, tuple(results))


def find_matches(
    pattern: str,
    subjects: str | Iterable[str],
    *,
    flavor: Flavor = "re",
    flags: str = "",
    fullmatch: bool = False,
    timeout: float = 1.0,
) -> MatchReport:
    """Every match of ``pattern`` in each subject (a string, or several).

    ``flags`` are letters from ``aimsx``; ``flavor`` picks Python's ``re`` or the ``regex``
    package. With ``fullmatch`` a subject has one match or none: the whole text. Each
    subject gets ``timeout`` seconds (0: no limit); one that runs out is ``timed_out``.
    Raises ``PatternError`` for an invalid pattern and ``RxpError`` for unknown flags.
    """
    letters = flag_letters(flags)
    compiled = compile_pattern(pattern, flavor=flavor, flags=letters)
    groups = _group_infos(compiled)
    texts = [subjects] if isinstance(subjects, str) else list(subjects)
    clock = Clock(timeout)
    runner = Budgeted(compiled, clock, flavor=flavor, source=pattern, flags=letters)
    found = []
    with clock.session():
        for index, text in enumerate(texts, 1):
            clock.start()
            try:
                if fullmatch:
                    whole = runner.fullmatch(text)
                    hits = [] if whole is None else [whole]
                else:
                    hits = runner.finditer(text)
            except OutOfTime:
                found.append(SubjectMatches(index, text, (), timed_out=True))
                continue
            matches = tuple(_describe(n, m, groups) for n, m in enumerate(hits, 1))
            found.append(SubjectMatches(index, text, matches))
    mode: Mode = "fullmatch" if fullmatch else "search"
    return MatchReport(pattern, flavor, letters, mode, groups, tuple(found), timeout)
