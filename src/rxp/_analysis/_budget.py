"""One time-budget policy for running a user's pattern on text nobody vetted, shared by
``rxp stream``, ``rxp test`` and ``rxp parse --pattern``: the fastest exact engine, a
linear-time one where the pattern allows it, and otherwise a budget that says what it
skipped.

A backtracking engine (``re``, ``regex``) is exact and usually fastest, but a pattern such
as ``(a+)+$`` takes it exponential time on ``aaa...a!``. So a call runs under a budget:

- ``re`` can only be stopped by a signal, so in a process's main thread the budget is a
  SIGALRM interval timer (``Alarm``; ``re`` checks for signals while it matches). The
  ``regex`` package takes ``timeout=`` on every call and works in any thread.
- ``Budgeted`` runs one compiled pattern: first on the backtracking engine for a short
  slice (``FIRST_SLICE``); if that is not enough, the pattern is translated once to RE2
  (``rxp._analysis._pcre``, the ``text`` reading), which answers in time linear in the
  subject whenever the pattern has no construct that needs backtracking and the subject
  is one the translation is exact for (ASCII); from then on RE2 answers every such
  subject at once. Where RE2 cannot answer, the backtracking engine gets the rest of the
  budget, and a call that runs out raises ``OutOfTime``: the caller reports the subject as
  skipped, never as "no match".
- A ``Clock`` is the budget of one unit of work (a subject, a line) shared by every call
  made for it; ``seconds == 0`` means no budget.

Off the main thread a ``re`` pattern cannot be interrupted: RE2 answers where it can and
``re`` runs unbounded otherwise. ``rxp stream`` applies the same policy with its own
precomputed plan (``rxp._stream``): linear-time selection where the pattern allows it,
``Alarm`` or ``timeout=`` per line otherwise.

Nothing heavy is imported here: the parser and the translation load only when a pattern
has been slow once.
"""

from __future__ import annotations

import importlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

if TYPE_CHECKING:
    from .._syntax._ast import Flavor

    class MatchLike(Protocol):
        """What callers read of a match, from ``re``, ``regex`` or RE2 alike (a Protocol
        for the type checker only: defining one costs start-up time)."""

        def span(self, group: int | str = ..., /) -> tuple[int, int]: ...
        def start(self, group: int | str = ..., /) -> int: ...
        def end(self, group: int | str = ..., /) -> int: ...
        def group(self, group: int | str = ..., /) -> Any: ...
        def groupdict(self) -> dict[str, Any]: ...


__all__ = [
    "FIRST_SLICE",
    "Alarm",
    "Budgeted",
    "Clock",
    "Expired",
    "OutOfTime",
    "alarm_usable",
    "budget_of",
    "compile_re2",
    "with_room",
]

FIRST_SLICE: Final = 0.05
"""Seconds a call gets on the backtracking engine before RE2 is tried (when it can be)."""

_ROOM: Final = 20_000
_EARLY: Final = 0.001  # seconds: a timer's signal this early is an earlier arming's
_FOREVER: Final = 1e7  # seconds (~4 months); a budget this long is none (timers overflow)


def budget_of(seconds: float) -> float | None:
    """A budget in seconds as the engines take it: None for no budget (0, or one so long,
    ``inf`` included, that timers cannot hold it)."""
    return seconds if 0 < seconds < _FOREVER else None


class Expired(Exception):
    """Raised inside an armed ``Alarm`` when its time is up."""


class OutOfTime(Exception):
    """A call ran out of its ``Clock``'s budget and no linear-time engine could answer."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"matching took over {seconds:g}s")
        self.seconds = seconds


def alarm_usable() -> bool:
    """Whether SIGALRM can bound a ``re`` call here: in the main thread, on a system with
    interval timers."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class Alarm:
    """SIGALRM as a budget. ``installed()`` puts the handler in place for a run (setting a
    handler costs ~10 µs, too much per line); ``arm(seconds)`` sets a deadline for one
    call, ``disarm()`` clears it.

    A parse makes a call per line, so arming costs no system call when it can: a timer
    already set to fire before the new deadline is left to fire, and the handler, seeing
    the deadline not yet reached, sets the timer again for the rest. So the handler raises
    ``Expired`` only while armed and past the deadline, and a signal that comes while
    nothing is armed goes to the previous handler."""

    __slots__ = ("_deadline", "_previous", "_timer")

    def __init__(self) -> None:
        self._deadline: float | None = None
        self._timer: float | None = None  # when the interval timer is set to fire
        self._previous: Any = None

    def _set(self, seconds: float, at: float | None) -> None:
        self._timer = at
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self._timer = None
        deadline = self._deadline
        if deadline is None:
            previous = self._previous
            if callable(previous):
                previous(signum, frame)
            return
        left = deadline - time.monotonic()
        if left > _EARLY:  # the timer was set for an earlier deadline
            self._set(left, deadline)
            return
        self._deadline = None
        raise Expired

    @contextmanager
    def installed(self) -> Iterator[None]:
        self._previous = signal.signal(signal.SIGALRM, self._handle)
        try:
            yield
        finally:
            self._deadline = None
            self._set(0, None)
            signal.signal(signal.SIGALRM, self._previous)

    def arm(self, seconds: float) -> None:
        now = time.monotonic()
        deadline = self._deadline = now + seconds
        timer = self._timer
        if timer is None or timer <= now or timer > deadline:
            self._set(seconds, deadline)

    def disarm(self) -> None:
        self._deadline = None

    @contextmanager
    def armed(self, seconds: float) -> Iterator[None]:
        """``arm`` for the block, then ``disarm`` and stop the timer."""
        self.arm(seconds)
        try:
            yield
        finally:
            self._deadline = None
            self._set(0, None)


class Clock:
    """The budget of one unit of work (a subject, a line): ``start()`` it for each unit;
    every call made for the unit draws on it. ``seconds == 0``: no budget. Use it inside
    ``session()``, which installs the alarm when one is usable."""

    __slots__ = ("alarm", "deadline", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = budget_of(seconds) or 0.0
        self.deadline = 0.0
        self.alarm: Alarm | None = None

    @contextmanager
    def session(self) -> Iterator[Clock]:
        if self.seconds <= 0 or self.alarm is not None or not alarm_usable():
            yield self
            return
        alarm = Alarm()
        with alarm.installed():
            self.alarm = alarm
            try:
                yield self
            finally:
                self.alarm = None

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


class _Found:
    """A match RE2 found on an ASCII subject, read like ``re.Match`` (spans in bytes are
    spans in characters). ``tail``: bytes RE2 matched past the end ``re`` reports (a
    literal that ``re``'s pattern only looks ahead at)."""

    __slots__ = ("_names", "_spans", "_subject")

    def __init__(self, subject: str, spans: list[tuple[int, int]], names: Mapping[str, int]):
        self._subject = subject
        self._spans = spans
        self._names = names

    def _index(self, group: int | str) -> int:
        return self._names[group] if isinstance(group, str) else group

    def span(self, group: int | str = 0, /) -> tuple[int, int]:
        return self._spans[self._index(group)]

    def start(self, group: int | str = 0, /) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0, /) -> int:
        return self.span(group)[1]

    def group(self, group: int | str = 0, /) -> str | None:
        start, end = self.span(group)
        return None if start < 0 else self._subject[start:end]

    def groupdict(self) -> dict[str, str | None]:
        return {name: self.group(index) for name, index in self._names.items()}


def compile_re2(text: bytes) -> Any | None:
    """``text`` compiled by RE2 as ``re`` reads a bytes pattern (latin-1: one byte, one
    character), or None when RE2 is not installed or refuses it (too large, say)."""
    try:
        re2: Any = importlib.import_module("re2")  # no type stubs
    except ImportError:
        return None
    options = re2.Options()
    options.log_errors = False
    options.encoding = re2.Options.Encoding.LATIN1
    try:
        return re2.compile(text, options)
    except re2.error:
        return None


def with_room(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` with room for deep recursion: ``re`` and ``regex`` parse a pattern
    recursively, and a pattern nested 490 groups deep (which ``re`` compiles at the top of
    a script) runs out of Python's default limit under a command line's own frames."""
    limit = sys.getrecursionlimit()
    if limit >= _ROOM:
        return fn(*args)
    sys.setrecursionlimit(_ROOM)
    try:
        return fn(*args)
    finally:
        if sys.getrecursionlimit() == _ROOM:  # unless someone else changed it meanwhile
            sys.setrecursionlimit(limit)


_UNTRIED: Final = "untried"
Method = Literal["search", "match", "fullmatch", "finditer"]


class Budgeted:
    """A compiled pattern (``re`` or ``regex``, for ``str`` subjects) run under a
    ``Clock`` with the policy of the module docstring. ``source`` and ``flags`` (letters
    or ``re`` bits, as ``rxp._syntax._parse.parse`` takes them) are the pattern for the
    RE2 translation;
    ``twin`` is another text to translate instead, whose match runs ``tail`` characters
    past the end of ``compiled``'s (``(?:P)LIT`` for ``(?:P)(?=LIT)``)."""

    def __init__(
        self,
        compiled: Any,
        clock: Clock,
        *,
        flavor: Flavor,
        source: str,
        flags: str | int,
        twin: str | None = None,
        tail: int = 0,
    ) -> None:
        self.compiled = compiled
        self.clock = clock
        self.flavor = flavor
        self.source = twin if twin is not None else source
        self.flags = flags
        self.tail = tail
        # RE2's compiled twin, None when there is none (never for the regex flavour)
        self._linear: Any = _UNTRIED if flavor == "re" else None
        self._dollar = False
        self._empty = True
        self._names: Mapping[str, int] = dict(compiled.groupindex)

    # --- the calls ------------------------------------------------------------------------

    def search(self, subject: str, pos: int = 0) -> MatchLike | None:
        found: MatchLike | None = self._call("search", subject, pos)
        return found

    def match(self, subject: str, pos: int = 0) -> MatchLike | None:
        found: MatchLike | None = self._call("match", subject, pos)
        return found

    def fullmatch(self, subject: str) -> MatchLike | None:
        found: MatchLike | None = self._call("fullmatch", subject, 0)
        return found

    def finditer(self, subject: str) -> list[MatchLike]:
        """Every match, as ``list(compiled.finditer(subject))``."""
        found: list[MatchLike] = self._call("finditer", subject, 0)
        return found

    # --- the policy -----------------------------------------------------------------------

    def _call(self, method: Method, subject: str, pos: int) -> Any:
        clock = self.clock
        alarm = clock.alarm
        if alarm is not None and self._linear is _UNTRIED:
            # the common case, kept short (it runs once per line of a parse): re, in the
            # main thread, never slow on this pattern yet, gets the first slice
            left = clock.deadline - time.monotonic()
            if left > 0:
                alarm.arm(left if left < FIRST_SLICE else FIRST_SLICE)
                try:
                    return self._backtrack(method, subject, pos, None)
                except Expired:
                    pass
                finally:
                    alarm.disarm()
            return self._after_first(method, subject, pos, alarm)
        return self._policy(method, subject, pos)

    def _policy(self, method: Method, subject: str, pos: int) -> Any:
        """Every case but the common one (see ``_call``)."""
        clock = self.clock
        if clock.seconds <= 0:
            return self._backtrack(method, subject, pos, None)
        if self.flavor == "regex":
            return self._regex(method, subject, pos)
        alarm = clock.alarm
        if alarm is None and alarm_usable():
            with clock.session():
                return self._call(method, subject, pos)
        if self._linear is _UNTRIED:
            self._translate()  # nothing can stop re here: RE2 first where it can answer
        if self._applies(method, subject):
            return self._run_linear(method, subject, pos)
        if alarm is None:
            return self._backtrack(method, subject, pos, None)
        return self._timed(method, subject, pos, alarm)

    def _after_first(self, method: Method, subject: str, pos: int, alarm: Alarm) -> Any:
        """The first slice ran out: RE2 if it can answer, else re for the rest."""
        self._translate()
        if self._applies(method, subject):
            return self._run_linear(method, subject, pos)
        return self._timed(method, subject, pos, alarm)

    def _timed(self, method: Method, subject: str, pos: int, alarm: Alarm) -> Any:
        left = self.clock.left()
        if left > 0:
            alarm.arm(left)
            try:
                return self._backtrack(method, subject, pos, None)
            except Expired:
                pass
            finally:
                alarm.disarm()
        raise OutOfTime(self.clock.seconds)

    def _regex(self, method: Method, subject: str, pos: int) -> Any:
        left = self.clock.left()
        if left > 0:
            try:
                return self._backtrack(method, subject, pos, left)
            except TimeoutError:
                pass
        raise OutOfTime(self.clock.seconds)

    def _backtrack(self, method: Method, subject: str, pos: int, timeout: float | None) -> Any:
        compiled = self.compiled
        if timeout is None and method == "search":  # a parse's every line
            return compiled.search(subject, pos)
        extra = {} if timeout is None else {"timeout": timeout}
        if method == "finditer":
            return list(compiled.finditer(subject, **extra))
        if method == "fullmatch":
            return compiled.fullmatch(subject, **extra)
        return getattr(compiled, method)(subject, pos, **extra)

    # --- RE2 ------------------------------------------------------------------------------

    def _translate(self) -> None:
        """Build RE2's twin once (None when the pattern has none)."""
        self._linear = None
        if self.flavor != "re":
            return
        try:
            from .._syntax._parse import parse
            from .._syntax._width import can_match_empty
            from ._pcre import text_form

            tree = with_room(lambda: parse(self.source, flavor="re", flags=self.flags))
            form = text_form(tree)
            if form is None:
                return
            self._dollar = form.dollar
            self._empty = can_match_empty(tree)
            self._linear = compile_re2(form.pattern)
        except Exception:  # the parser or translation cannot take it: no twin, no harm
            self._linear = None

    def _applies(self, method: Method, subject: str) -> bool:
        if self._linear is None or self._linear is _UNTRIED:
            return False
        if method == "finditer" and self._empty:
            return False  # empty matches are iterated differently
        return subject.isascii() and not (self._dollar and subject.endswith("\n"))

    def _found(self, subject: str, hit: Any) -> _Found:
        count = self.compiled.groups
        spans = [hit.span(g) for g in range(count + 1)]
        if self.tail:
            start, end = spans[0]
            spans[0] = (start, end - self.tail)
        return _Found(subject, spans, self._names)

    def _run_linear(self, method: Method, subject: str, pos: int) -> Any:
        data = subject.encode("ascii")
        linear = self._linear
        if method == "finditer":
            out: list[MatchLike] = []
            at = 0
            while at <= len(data):
                hit = linear.search(data, at)
                if hit is None:
                    break
                out.append(self._found(subject, hit))
                at = hit.end()  # a match is never empty here (see _applies)
            return out
        if method == "fullmatch":
            hit = linear.fullmatch(data)
        else:
            hit = getattr(linear, method)(data, pos)
        return None if hit is None else self._found(subject, hit)
