"""The engine a pattern runs on, for analyses that check their claims against it.

``engine_for(p)`` compiles the whole pattern with the flags it was parsed with, on ``re`` or
``regex`` as its flavour says; ``leaf_matcher`` compiles one character-matching leaf with
the flags in effect at it. ``Engine.span`` is ``search(text).span()`` with a time limit:
``regex`` takes a ``timeout``; ``re`` cannot be interrupted, so a ``re`` pattern with a
backtracking hazard is run on ``regex`` VERSION0 instead (which follows ``re``'s rules), and
only when both flavours parse it into the same tree (the same constructs, hence the same
meaning). Where neither is safe there is no engine, and nothing can be checked.

The ``regex`` package is imported on first use only.
"""

from __future__ import annotations

import re
import time
import warnings
from typing import Any, Final, Literal

from .._syntax._ast import Comment, Flavor, Pattern, Trivia, children, walk

__all__ = ["UNKNOWN", "Engine", "compile_text", "engine_for"]

UNKNOWN: Final = "unknown"
"""What ``Engine.span`` says when it cannot tell: out of time, or (``regex`` standing in
for ``re``) a text where the two engines may differ."""

_GIVE_UP: Final = 2
_RE_LETTERS: Final = "aimsux"
_REGEX_LETTERS: Final = "abefimpsuwx"


def _bits(module: Any, letters: str, flavor: Flavor, *, keep_reverse: bool) -> int | None:
    """Engine flag bits for canonical flag letters; None when the engine cannot take them
    on a str pattern (LOCALE)."""
    bits = 0
    rest = letters
    for version in ("V0", "V1"):
        if version in rest:
            rest = rest.replace(version, "")
            if flavor == "regex":
                bits |= int(getattr(module, version))
    allowed = _REGEX_LETTERS if flavor == "regex" else _RE_LETTERS
    for letter in rest:
        if letter == "r" and flavor == "regex":
            if keep_reverse:
                bits |= int(module.REVERSE)
        elif letter in allowed:
            bits |= int(getattr(module, letter.upper()))
        elif letter != "d":  # DEBUG prints; everything else is LOCALE or unknown
            return None
    return bits


def _regex_module() -> Any:
    import importlib

    return importlib.import_module("regex")  # no type stubs: an Any by design


def compile_text(
    text: str, flavor: Flavor, letters: str, *, keep_reverse: bool = True
) -> Any | None:
    """``text`` compiled on the flavour's engine with canonical flag ``letters``, or None
    when the engine rejects it. ``keep_reverse=False`` drops the regex flavour's REVERSE
    flag (a single-character leaf means the same either way, and lists its matches in
    text order without it)."""
    module: Any = _regex_module() if flavor == "regex" else re
    bits = _bits(module, letters, flavor, keep_reverse=keep_reverse)
    if bits is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return module.compile(text, bits)
        except (re.error, ValueError, TypeError, OverflowError, RecursionError, MemoryError):
            return None
        except Exception as exc:  # regex.error is not a subclass of re.error
            if type(exc).__name__ == "error":
                return None
            raise


class Engine:
    """A compiled pattern and a deadline. ``regex`` patterns (and ``re`` patterns with a
    backtracking hazard, run on ``regex`` VERSION0) are searched under a timeout; after
    ``_GIVE_UP`` searches that ran out of time the engine counts as out of time too (the
    pattern is hostile to it: more tries would only spend the budget)."""

    __slots__ = ("compiled", "deadline", "engine_name", "stand_in", "timed", "unknowns")

    def __init__(
        self, compiled: Any, timed: bool, deadline: float, engine_name: Literal["re", "regex"]
    ) -> None:
        self.compiled = compiled
        self.timed = timed
        self.deadline = deadline
        self.engine_name = engine_name
        self.stand_in: str | None = None  # the re pattern's text when regex stands in for re
        self.unknowns = 0

    def _differs(self, text: str) -> bool:
        """Whether regex VERSION0, standing in for re, could answer differently on ``text``:
        beyond printable ASCII their classes differ (``\\w`` takes combining marks in
        regex, ``\\s`` takes ``\\x1c`` in re), and re's ``\\B`` never matches an empty
        text (until Python 3.14)."""
        if not text:
            return self.stand_in is not None and "\\B" in self.stand_in
        return not (text.isascii() and all(c.isprintable() or c in "\t\n\r" for c in text))

    def span(self, text: str, limit: float = 0.05) -> tuple[int, int] | str | None:
        """``search(text).span()``, None when nothing matches, ``UNKNOWN`` when out of time
        (the deadline passed, or this search took longer than ``limit`` seconds)."""
        left = self.deadline - time.perf_counter()
        if left <= 0 or (self.stand_in is not None and self._differs(text)):
            return UNKNOWN
        try:
            if self.timed:
                found = self.compiled.search(text, timeout=min(left, limit))
            else:
                found = self.compiled.search(text)
        except (TimeoutError, RecursionError, MemoryError):  # regex: (?R) can run out of memory
            self.unknowns += 1
            return UNKNOWN
        if found is None:
            return None
        start, end = found.span()
        return (int(start), int(end))

    def out_of_time(self) -> bool:
        return self.unknowns >= _GIVE_UP or time.perf_counter() >= self.deadline

    def restart(self, seconds: float) -> None:
        """A new deadline, ``seconds`` from now, and a fresh count of searches that ran out
        of time."""
        self.deadline = time.perf_counter() + seconds
        self.unknowns = 0


def engine_for(p: Pattern, *, hazardous: bool, seconds: float) -> Engine | None:
    """The engine to check ``p`` on, with ``seconds`` to spend; None when there is none
    that is both right and interruptible (see the module's docstring)."""
    if p.flavor == "regex":
        compiled, timed = compile_text(p.text, "regex", p.flags), True
    elif not hazardous:
        compiled, timed = compile_text(p.text, "re", p.flags), False
    elif _same_tree_in_regex(p):
        compiled, timed = compile_text(p.text, "regex", p.flags.replace("V1", "") + "V0"), True
    else:
        return None
    if compiled is None:
        return None
    name: Literal["re", "regex"] = "regex" if timed else "re"
    engine = Engine(compiled, timed, time.perf_counter() + seconds, name)
    if timed and p.flavor == "re":
        engine.stand_in = p.text
    return engine


def _same_tree_in_regex(p: Pattern) -> bool:
    """Whether the regex flavour reads ``p`` as the same constructs (then ``regex``
    VERSION0 matches what ``re`` matches)."""
    from .._errors import RxpError
    from .._syntax._parse import parse

    try:
        other = parse(p.text, flavor="regex", flags=p.flags.replace("V1", ""))
    except (RxpError, RecursionError, ValueError):
        return False
    return _shape(other) == _shape(p)


def _shape(p: Pattern) -> list[object]:
    """The constructs of ``p`` in order: leaves as they are, the rest by kind and span
    (the same text at the same place); verbose-mode whitespace and comments left out."""
    return [
        (type(n).__name__, n.span) if children(n) else n
        for n in walk(p.body)
        if not isinstance(n, Trivia | Comment)
    ]
