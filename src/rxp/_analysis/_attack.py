"""Attacks on the engine: a text ``prefix + pump * n + suffix`` run through ``re`` or
``regex``, to check that it fails to match and to measure how the time grows with ``n``.

``rejects`` is the cheap oracle (a few small ``n``); ``measure`` is the proof: it grows
``n`` (by one pump at a time for an exponential attack, doubling for a polynomial one),
times each run in thread CPU time (a shared machine's other work does not count) taking
the minimum of repeats, stops as soon as one run takes a few milliseconds or the budget
is spent, and reads the growth off the last two sizes. A run can never hang: ``regex``
gets a ``timeout``; ``re`` gets a CPU-time alarm (``SIGVTALRM``) when called from the main
thread, and elsewhere no run is started whose time, extrapolated from the last ones,
would pass the per-run cap.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from typing import Any
from typing import Literal as L

from .._syntax._ast import Pattern
from .._syntax._flags import split_flags
from .._syntax._record import value

__all__ = ["Attack", "Evidence", "compiled", "measure", "rejects"]

_RE_FLAGS = {"a": re.A, "i": re.I, "L": re.L, "m": re.M, "s": re.S, "u": re.U, "x": re.X}
_REGEX_FLAGS = {
    "V0": "V0",
    "V1": "V1",
    "a": "A",
    "b": "B",
    "e": "E",
    "f": "F",
    "i": "I",
    "L": "L",
    "m": "M",
    "p": "P",
    "r": "R",
    "s": "S",
    "u": "U",
    "w": "W",
    "x": "X",
}
_SLOW_RUN = 0.004  # a run this long (CPU seconds) is measurable: stop growing
_FLOOR = 0.00005  # shorter runs are mostly call overhead: no ratio from them
_MAX_TEXT = 1 << 20
_cache: dict[tuple[str, str, str], Any] = {}


@value
class Attack:
    """A text that makes the engine slow: ``prefix + pump * n + suffix``."""

    prefix: str
    pump: str
    suffix: str

    def text(self, n: int) -> str:
        return self.prefix + self.pump * n + self.suffix


@value
class Evidence:
    """What the engine did: the pump counts tried, the CPU seconds each took (the
    minimum of repeats), ``growth`` (the time ratio between the last size and half of
    it, None when no two runs were long enough to compare), and the verdict."""

    verified: bool
    sizes: tuple[int, ...]
    seconds: tuple[float, ...]
    growth: float | None
    reason: str


class _Slow(Exception):
    """A run passed its cap."""


class _Matched(Exception):
    """The attack text matched: it proves nothing."""


def compiled(p: Pattern) -> Any:
    """``p`` compiled by its engine with its flags (cached)."""
    key = (p.text, p.flavor, p.flags)
    found = _cache.get(key)
    if found is None:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if p.flavor == "re":
                bits = 0
                for f in split_flags(p.flags):
                    bits |= _RE_FLAGS.get(f, 0)
                found = re.compile(p.text, bits)
            else:
                import importlib

                regex = importlib.import_module("regex")
                bits = 0
                for f in split_flags(p.flags):
                    name = _REGEX_FLAGS.get(f)
                    bits |= getattr(regex, name) if name else 0
                found = regex.compile(p.text, bits)
        if len(_cache) > 256:
            _cache.clear()
        _cache[key] = found
    return found


def _runner(p: Pattern, semantics: str) -> Callable[[str, float], tuple[float, bool]]:
    """A function running the engine on a text with a cap (CPU seconds): the time taken
    and whether it matched; raises ``_Slow`` past the cap."""
    method = getattr(compiled(p), semantics)
    clock = time.thread_time
    if p.flavor == "regex":

        def run_regex(text: str, cap: float) -> tuple[float, bool]:
            start = clock()
            try:
                found = method(text, timeout=cap)
            except TimeoutError:
                raise _Slow from None
            return clock() - start, found is not None

        return run_regex
    alarm = _alarm()

    def run_re(text: str, cap: float) -> tuple[float, bool]:
        start = clock()
        if alarm is None:
            found = method(text)
        else:
            with alarm(cap):
                found = method(text)
        return clock() - start, found is not None

    return run_re


def _alarm() -> Callable[[float], Any] | None:
    """A context manager raising ``_Slow`` in the running code after that many CPU
    seconds, or None where signals cannot be used (not the main thread, no
    ``setitimer``, or someone else's timer running)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    if not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_VIRTUAL)[0]:
        return None
    from contextlib import contextmanager

    def ring(signum: int, frame: object) -> None:
        raise _Slow

    @contextmanager
    def within(cap: float) -> Any:
        previous = signal.signal(signal.SIGVTALRM, ring)
        signal.setitimer(signal.ITIMER_VIRTUAL, max(cap, 0.001))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, previous)

    return within


def rejects(
    p: Pattern, attack: Attack, semantics: str, counts: tuple[int, ...] = (1, 2, 3)
) -> bool:
    """Whether the engine finds no match in ``attack.text(n)`` for each of ``counts``
    (a run so slow that it passes 50 ms counts as no match found)."""
    run = _runner(p, semantics)
    for n in counts:
        try:
            if run(attack.text(n), 0.05)[1]:
                return False
        except _Slow:
            continue
    return True


def measure(
    p: Pattern,
    attack: Attack,
    degree: int | L["exponential"],
    semantics: str,
    *,
    budget: float = 0.15,
) -> Evidence:
    """Run the attack with growing ``n`` within ``budget`` CPU seconds (and eight times
    that in wall time, for a starved process) and decide whether the time grows as
    ``degree`` says: for an exponential attack, the last run at least 32 times as long as
    the one at half its ``n``; for degree ``d``, doubling ``n`` at least
    ``max(2.6, 0.7 * 2 ** (d - 1))`` times as long (linear gives 2)."""
    import gc

    run = _runner(p, semantics)
    cap = max(budget / 3, 0.02)
    clock, wall = time.thread_time, time.perf_counter
    started, deadline = clock(), wall() + 8 * budget
    times: dict[int, float] = {}

    def room(cost: float = 0.0) -> bool:
        return clock() - started + cost < budget and wall() + cost < deadline

    def left() -> bool:
        return room()

    def timed(n: int, repeats: int = 3) -> float:
        best = math.inf
        for _ in range(repeats):
            try:
                took, matched = run(attack.text(n), cap)
            except _Slow:
                took, matched = cap, False
            if matched:
                raise _Matched
            best = min(best, took)
            if took >= _SLOW_RUN or not left():
                break
        times[n] = min(best, times.get(n, math.inf))
        return times[n]

    enabled = gc.isenabled()
    gc.disable()
    try:
        if degree == "exponential":
            _grow_by_steps(attack, timed, left, cap)
        else:
            _grow_by_doubling(attack, timed, left, cap, degree)
    except _Matched:
        return Evidence(False, (), (), None, "the attack text matched")
    finally:
        if enabled:
            gc.enable()
    return _verdict(times, degree, timed, room)


def _grow_by_steps(
    attack: Attack, timed: Callable[[int], float], left: Callable[[], bool], cap: float
) -> None:
    """One pump more at a time (several while the runs are quick), never starting a run
    that the growth seen so far says would pass ``cap``."""
    n, step, previous = 1, 1, 0.0
    while left() and len(attack.text(n)) < _MAX_TEXT:
        took = timed(n)
        if took >= _SLOW_RUN:
            break
        per_pump = (took / previous) ** (1 / step) if previous > _FLOOR else 1.0
        step = 1 if took > _SLOW_RUN / 10 else max(1, n // 4)
        while step > 1 and took * per_pump**step > cap:
            step //= 2
        if took * per_pump**step > cap:
            break
        previous = took
        n += step


def _grow_by_doubling(
    attack: Attack,
    timed: Callable[[int], float],
    left: Callable[[], bool],
    cap: float,
    degree: int,
) -> None:
    n = 2
    while left() and len(attack.text(n)) < _MAX_TEXT:
        took = timed(n)
        if took >= _SLOW_RUN or took * 2**degree > cap:
            break
        n *= 2


def _verdict(
    times: dict[int, float],
    degree: int | L["exponential"],
    timed: Callable[..., float],
    room: Callable[[float], bool],
) -> Evidence:
    sizes = tuple(sorted(times))
    if not sizes:
        return Evidence(False, (), (), None, "no run within the budget")
    top = sizes[-1]
    # an exponential attack's run at half the size is mostly call overhead: compare with
    # the floor instead, which only understates the growth
    floor = _FLOOR if degree == "exponential" else 0.0
    halves = [n for n in sizes if n <= top // 2 and max(times[n], floor) >= _FLOOR]
    if times[top] < _SLOW_RUN / 4 or not halves:
        return Evidence(
            False, sizes, tuple(times[n] for n in sizes), None, "no run was long enough to compare"
        )
    half = halves[-1]
    for _ in range(2):  # firm up both minima, interleaved, against a noisy neighbour
        if room(times[half] + times[top]):
            timed(half, 1)
            timed(top, 1)
    ratio = times[top] / max(times[half], floor)
    if degree == "exponential":
        needed = 32.0
        ok = ratio >= needed
    else:
        needed = max(2.6, 0.7 * 2 ** (degree - 1)) ** math.log2(top / half)
        ok = ratio >= needed
    reason = (
        f"{times[top] * 1e3:.2f} ms at n={top}, {ratio:.1f}x the time at n={half} "
        f"(needed {needed:.1f}x)"
    )
    return Evidence(ok, sizes, tuple(times[n] for n in sizes), ratio, reason)
