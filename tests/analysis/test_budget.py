"""The time-budget policy (``rxp._analysis._budget``) and the ``text`` reading of the RE2
translation it relies on (``rxp._analysis._pcre``).

The oracle is Python's ``re``: wherever the translation says it applies, RE2's matches
and groups must be ``re``'s, for every call a command makes (``search`` and ``match`` from
a position, ``fullmatch``, ``finditer``), over generated patterns and subjects.
"""

from __future__ import annotations

import re
import signal
import time
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rxp._analysis._budget import (
    Alarm,
    Budgeted,
    Clock,
    Expired,
    OutOfTime,
    budget_of,
    with_room,
)
from rxp._analysis._pcre import automaton_pattern, nullable_loop, positions, text_form
from rxp._syntax._parse import parse
from tests.syntax.strategies import nested

_ATOMS = (
    ["a", "b", "ab", "A", "1", " ", ".", r"\.", r"\d", r"\D", r"\w", r"\W", r"\s", r"\S",
     "[ab]", "[^a]", "[a-c1]", "[^\\s]", "[]a]", "[-a]", "^", "$", r"\A", r"\Z", r"\b", "",
     r"\x41", r"\t", "\\n", "é", "[é]", "[^é]", "ſ", "K", "k", "(?i:k)", "(?i:a)", "(?s:.)",
     "(?m:^)", "(?m:$)", "(?x: a b )", "(?-i:b)", "x{,2}", "[\\x00-\\x1f]", "\\\\", "[a-é]",
     "(?a:\\s)"]
)  # fmt: skip
_OPENERS = ("(", "(?:", "(?P<n>", "(?i:", "(?s:", "(?m:")
_QUANTIFIERS = ("", "", "*", "+", "?", "{2}", "{0,2}", "{,3}", "*?", "+?", "{1,}?", "??")
PATTERNS = nested(
    _ATOMS,
    _OPENERS,
    _QUANTIFIERS,
    prefixes=("", "(?i)", "(?s)", "(?x)", "(?m)", "(?a)"),
    max_leaves=8,
)
# \x1c is a space to re's str patterns; é, ſ and K (Kelvin) are where Unicode and ASCII differ
SUBJECTS = st.text(alphabet="aAbB1 \t\n\x0b\x1c.-_]:[kKsSxé\u212a", max_size=14)
CALLS = ["search", "match", "fullmatch", "finditer"]


def _spans(m: Any, groups: int) -> list[tuple[int, int]] | None:
    return None if m is None else [tuple(m.span(g)) for g in range(groups + 1)]


def _twin(pattern: str) -> tuple[re.Pattern[str], Budgeted] | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compiled = re.compile(pattern)
        except re.error:
            return None
    runner = Budgeted(compiled, Clock(1.0), flavor="re", source=pattern, flags="")
    runner._translate()
    return (compiled, runner) if runner._linear is not None else None


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    PATTERNS,
    st.lists(SUBJECTS, min_size=1, max_size=4),
    st.sampled_from(CALLS),
    st.integers(0, 3),
)
def test_re2_gives_res_answer_wherever_it_applies(
    pattern: str, subjects: list[str], call: str, pos: int
) -> None:
    pair = _twin(pattern)
    assume(pair is not None)
    assert pair is not None
    compiled, runner = pair
    for subject in subjects:
        if not runner._applies(call, subject):  # type: ignore[arg-type]
            assert not subject.isascii() or call == "finditer" or subject.endswith("\n")
            continue
        at = min(pos, len(subject)) if call in ("search", "match") else 0
        got = runner._run_linear(call, subject, at)  # type: ignore[arg-type]
        if call == "finditer":
            expected = [_spans(m, compiled.groups) for m in compiled.finditer(subject)]
            assert [_spans(m, compiled.groups) for m in got] == expected, (pattern, subject)
        else:
            args = (subject,) if call == "fullmatch" else (subject, at)
            expected_one = _spans(getattr(compiled, call)(*args), compiled.groups)
            assert _spans(got, compiled.groups) == expected_one, (pattern, subject, call, at)


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("(?=a)b", "a look-ahead needs backtracking"),
        (r"(a)\1", "a backreference"),
        ("(a|)+b", "a group inside a repeat that can match empty: RE2 captures another turn"),
        (r"\Bx", "\\B differs on an empty subject"),
        ("(?i)ſ", "ſ matches s under -i: ASCII text can meet it"),
    ],
)
def test_no_translation_where_re2_could_differ(pattern: str, why: str) -> None:
    assert text_form(parse(pattern)) is None, why


def test_a_dollar_without_multiline_does_not_apply_before_a_final_newline() -> None:
    form = text_form(parse("a$"))
    assert form is not None and form.dollar
    assert form.applies("xa") and not form.applies("xa\n") and not form.applies("é a")
    multiline = text_form(parse("(?m)a$"))
    assert multiline is not None and multiline.applies("xa\n")


ATTACK = "a" * 40 + "!"


def _runner(pattern: str, seconds: float) -> Budgeted:
    return Budgeted(re.compile(pattern), Clock(seconds), flavor="re", source=pattern, flags="")


def test_a_catastrophic_pattern_gets_res_answer_at_once() -> None:
    runner = _runner("(a+)+$", 5.0)
    with runner.clock.session():
        runner.clock.start()
        start = time.monotonic()
        assert runner.search(ATTACK) is None
        found = runner.finditer(ATTACK + "aaa")
        # re gives this on a short attack at once: the same shape, moved along
        short = [m.span(1) for m in re.finditer("(a+)+$", "aaaa!aaa")]
        assert [m.span(1) for m in found] == [(s + 36, e + 36) for s, e in short]
        assert time.monotonic() - start < 4.0  # a hang guard: 2**40 steps otherwise


def test_a_pattern_only_backtracking_can_run_is_out_of_time_within_its_budget() -> None:
    runner = _runner("(?=a)(a|aa)+$", 0.2)
    with runner.clock.session():
        runner.clock.start()
        with pytest.raises(OutOfTime, match=r"matching took over 0\.2s"):
            runner.search(ATTACK)
        runner.clock.start()  # the next unit of work gets a fresh budget
        assert runner.search("aaa") is not None


def test_the_regex_flavour_uses_its_own_timeout() -> None:
    regex: Any = pytest.importorskip("regex")
    pattern = "(?=a)(a|aa)+$"
    runner = Budgeted(regex.compile(pattern), Clock(0.2), flavor="regex", source=pattern, flags="")
    runner.clock.start()
    with pytest.raises(OutOfTime):
        runner.search(ATTACK)


def test_a_look_ahead_twin_reports_res_end() -> None:
    """``(?:P)(?=LIT)`` runs on RE2 as ``(?:P)LIT``: the match ends before the literal."""
    compiled = re.compile(r"(?:(a+)+)(?=:)")
    runner = Budgeted(
        compiled, Clock(1.0), flavor="re", source=compiled.pattern, flags="",
        twin="(?:(a+)+):", tail=1,
    )  # fmt: skip
    runner._translate()
    found = runner._run_linear("match", "aaa:b", 0)
    expected = compiled.match("aaa:b")
    assert found is not None and expected is not None
    assert [found.span(g) for g in (0, 1)] == [expected.span(g) for g in (0, 1)]
    assert found.group() == "aaa"


def test_no_budget_runs_the_engine_plainly() -> None:
    runner = _runner("(a+)+$", 0)
    assert runner.search("aaa") is not None
    assert runner._linear == "untried"  # never needed a translation


def test_an_alarm_that_is_not_armed_goes_to_the_previous_handler() -> None:
    seen: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: seen.append(signum))
    try:
        alarm = Alarm()
        with alarm.installed():
            signal.raise_signal(signal.SIGALRM)  # someone else's, or one that came late
            with pytest.raises(Expired), alarm.armed(0.05):
                time.sleep(1)
        assert seen == [signal.SIGALRM]
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_an_earlier_timer_does_not_cut_a_later_deadline_short() -> None:
    """Arming again leaves a timer set for an earlier deadline running (no system call);
    when it fires, the handler waits on for the rest instead of raising."""
    alarm = Alarm()
    with alarm.installed():
        alarm.arm(0.05)
        alarm.disarm()
        alarm.arm(5.0)
        time.sleep(0.3)  # the first timer fires in here: nothing may happen
        alarm.disarm()
        alarm.arm(0.05)
        with pytest.raises(Expired):
            time.sleep(5)  # the new deadline does come


@pytest.mark.parametrize(
    ("seconds", "budget"),
    [(1.0, 1.0), (0.0, None), (float("inf"), None), (1e300, None), (-1.0, None)],
)
def test_a_budget_timers_cannot_hold_is_none(seconds: float, budget: float | None) -> None:
    assert budget_of(seconds) == budget


@pytest.mark.parametrize(
    ("pattern", "count"),
    [("q" * 5, 5), ("a+", 1), ("(?:a{100}){100}", 10_000), ("[ab]{2,7}c|d", 9), ("^$", 0)],
)
def test_positions_count_the_automaton_written_out(pattern: str, count: int) -> None:
    assert positions(parse(pattern)) == count


def test_deep_patterns_compile_with_room() -> None:
    pattern = "(" * 490 + "a" + ")" * 490

    def deep(n: int) -> Any:
        return deep(n - 1) if n else with_room(re.compile, pattern)

    assert deep(200).search("xa").span() == (1, 2)


@pytest.mark.parametrize(
    ("pattern", "subject"),
    [(r"(?:\D*|1)*", ":1"), (r"(a?|b)*", "ab"), (r"(?:x|\s*){2,}", "x y"), (r"(a*)+c", "aac")],
)
def test_a_loop_whose_body_can_match_empty_never_gets_re2_spans(pattern: str, subject: str) -> None:
    """Python's engine ends a loop at an empty iteration, RE2 does not: found by the
    property test above (`(?:\\D*|1)*` on `:1`: re 0-1, RE2 0-2). Such patterns keep re's
    spans; RE2 may still select their lines (`captures=False`: existence is the same)."""
    tree = parse(pattern)
    assert nullable_loop(tree)
    assert text_form(tree) is None
    assert automaton_pattern(tree, captures=True) is None
    assert automaton_pattern(tree, captures=False) is not None
    assert re.search(pattern, subject) is not None


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(?:\s*,\s*\w+)*", r"x*", r"(?:ab?){3}"])
def test_loops_whose_body_cannot_match_empty_keep_their_re2_twin(pattern: str) -> None:
    tree = parse(pattern)
    assert not nullable_loop(tree)
    assert text_form(tree) is not None
