"""Hostile and huge patterns on every command (stream, explain, test, parse --pattern) get
the right answer within a bound, or one clean error, never a hang, a traceback or an
unhandled MemoryError (issue 19, items 8, 9 and the deep pattern of 12).

The oracle is Python's ``re`` wherever it can answer quickly. A catastrophic pattern is
answered exactly by the linear-time engine; ``re`` answers the same shape at once on a
short attack string, so the long attack's answer must be that one moved along by the
extra length. Where no linear-time engine can take the pattern, the answer is the
documented skip: a warning, the subject or line marked as not known, and never the exit
status of "no match". Every run has a generous subprocess timeout: a hang fails it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_rxp

BOUND = 60.0  # seconds: a hang guard, not a timing assertion
COMMANDS = ["stream", "explain", "test", "parse"]


def _rxp(*args: str, stdin: bytes | None = None, traced: bool = True) -> Any:
    done = run_rxp(*args, stdin=stdin, timeout=BOUND, traced=traced)
    err = done.stderr.decode()
    assert "Traceback" not in err and "internal error" not in err, err
    assert "MemoryError" not in err, err
    return done


def _with_room(fn: Callable[[], Any]) -> Any:
    """``re`` parses recursively: 490 groups deep needs more than pytest's frames leave."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        return fn()
    finally:
        sys.setrecursionlimit(limit)


def _spans(m: re.Match[str]) -> list[list[int] | None]:
    return [None if m.start(g) < 0 else list(m.span(g)) for g in range(m.re.groups + 1)]


def _test_spans(doc: dict[str, Any]) -> list[list[list[list[int] | None]]]:
    """Per subject, per match: the span of the match and of every group, from --json."""
    return [
        [[m["span"], *(g["span"] for g in m["groups"])] for m in s["matches"]]
        for s in doc["subjects"]
    ]


# --- catastrophic patterns the linear-time engine takes: exact answers --------------------

LINEAR = ["(a+)+$", "(a|aa)+$", r"(\w+\s?)+$", "^(a+)+b", "(x+x+)+y"]


def _attacks(n: int) -> list[str]:
    """Subjects of one shape: the attack on each pattern, and lines that match after it."""
    return ["a" * n + "!", "a" * n + "!aaaa", "x" * n + "!xxy", "aaab"]


def _shifted(answer: list[list[list[list[int] | None]]], by: int) -> list[Any]:
    """The spans of an answer on the short subjects, as they fall on the long ones (every
    match of these shapes starts after the attack's run, or in a subject without one)."""
    return [
        [
            [None if s is None else [s[0] + by * (s[0] > 0), s[1] + by * (s[0] > 0)] for s in m]
            for m in subject
        ]
        for subject in answer
    ]


@pytest.mark.parametrize("pattern", LINEAR[:3])
def test_test_answers_a_catastrophic_pattern_exactly(pattern: str) -> None:
    compiled = re.compile(pattern)
    short = [[_spans(m) for m in compiled.finditer(s)] for s in _attacks(6)]
    done = _rxp("test", "--json", "--", pattern, *_attacks(40))
    doc = json.loads(done.stdout)
    assert _test_spans(doc) == _shifted(short, 34)
    assert not any(s["timed_out"] for s in doc["subjects"])
    assert done.returncode == (0 if doc["matched"] else 1)
    assert done.stderr == b""


@pytest.mark.parametrize("pattern", ["(a+)+$", "(x+x+)+y"])
def test_parse_answers_a_catastrophic_pattern_exactly(pattern: str) -> None:
    """The records on the long attack are those on the short one, where ``re`` answers at
    once (the walk's error included), but for ``_raw``."""
    named = f"(?P<x>{pattern})"

    def records(n: int) -> list[dict[str, Any]]:
        lines = "".join(s + "\n" for s in _attacks(n)).encode()
        done = _rxp("parse", "-q", "-p", named, stdin=lines)
        assert done.returncode == 0 and done.stderr == b""
        out = [json.loads(line) for line in done.stdout.splitlines()]
        for record in out:
            record.pop("_raw", None)
        return out

    long, short = records(40), records(6)
    assert long == short
    for record, subject in zip(short, _attacks(6), strict=True):
        found = re.search(named, subject)
        assert record.get("x") == (found.group("x") if found else None)


def test_stream_answers_catastrophic_patterns_exactly(tmp_path: Path) -> None:
    """``-o`` prints the matched texts, the same on the long attacks as on the short."""
    path = tmp_path / "attacks.log"
    path.write_text("".join(s + "\n" for s in _attacks(40)))
    for pattern in ["(a+)+$", r"(\w+\s?)+$", "(x+x+)+y"]:
        done = _rxp("stream", "-o", pattern, str(path))
        expected = [m.group() for s in _attacks(6) for m in re.finditer(pattern, s)]
        assert done.stdout.decode().split() == [e for e in expected if e], pattern
        assert done.returncode == (0 if any(expected) else 1)


@pytest.mark.parametrize("pattern", LINEAR[:2])
def test_explain_a_catastrophic_pattern_within_the_bound(pattern: str) -> None:
    done = _rxp("explain", pattern)
    assert done.returncode == 0 and done.stdout


# --- patterns only a backtracking engine runs: the budget, and what it skipped ------------

HOSTILE = "(?=a)(a|aa)+$"  # the look-ahead keeps it off the linear-time engines
ATTACK = "a" * 40 + "!"


def test_test_reports_a_subject_over_budget_as_not_known() -> None:
    done = _rxp("test", "--timeout", "0.2", HOSTILE, ATTACK)
    assert done.returncode == 2  # not 1: nobody knows that it does not match
    assert done.stderr.decode() == (
        "rxp: warning: subject 1: matching took over 0.2s (--timeout); its matches are not known\n"
    )
    assert done.stdout.decode().startswith("not known: matching took over 0.2s (--timeout)")
    doc = json.loads(_rxp("test", "--json", "--timeout", "0.2", HOSTILE, ATTACK, "aaa").stdout)
    first, second = doc["subjects"]
    assert first["timed_out"] and first["matches"] == []
    assert not second["timed_out"] and _test_spans(doc)[1] == [[[0, 3], [2, 3]]]
    assert doc["matched"]


def test_test_without_budget_still_answers_a_fast_subject() -> None:
    done = _rxp("test", "--timeout", "0", HOSTILE, "aab")
    assert (done.returncode, done.stderr) == (1, b"")


def test_parse_reports_a_line_over_budget_and_reads_the_others() -> None:
    lines = f"{ATTACK}\naaa\n".encode()
    done = _rxp("parse", "--timeout", "0.2", "-p", f"^(?P<x>{HOSTILE})", stdin=lines)
    assert done.returncode == 0
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["_error"] == "matching took over 0.2s (--timeout); skipped at column 1"
    assert first["_raw"] == ATTACK and "x" not in first
    assert second == {"_line": 2, "_format": "pattern", "x": "aaa"}
    err = done.stderr.decode().splitlines()
    assert err[0] == "rxp: warning: 1 line(s) not read: matching took over 0.2s (--timeout)"
    strict = _rxp("parse", "--strict", "--timeout", "0.2", "-p", f"(?P<x>{HOSTILE})", stdin=lines)
    assert strict.returncode == 1  # a record that could not be read, as --strict says


def test_stream_reports_lines_over_budget(tmp_path: Path) -> None:
    path = tmp_path / "hostile.log"
    path.write_text(f"{ATTACK}\nbbb\n")
    done = _rxp("stream", "-c", "--timeout", "0.2", HOSTILE, str(path))
    assert done.returncode == 2 and done.stdout == b"0\n"
    assert f"{path}:1: line skipped: matching took over 0.2s" in done.stderr.decode()


# --- huge patterns: whatever re accepts works, with re's answer ----------------------------

HUGE = {
    "literal-100k": ("q" * 100_000, ["x" + "q" * 100_000 + "y", "qqq", ""]),
    "nested-490": ("(" * 490 + "a" + ")" * 490, ["abca", "xyz"]),
    "alternation-490": ("(?:a|" * 490 + "b" + ")" * 490, ["cab", "xyz"]),
    "alternatives-1000": (
        "|".join(f"w{i:04d}x" for i in range(1000)),
        ["w0500x and w0999x", "w2000x"],
    ),
    "repeat-1000x1000": ("(?:a{1000}){1000}|a{65535}b?", ["a" * 70_000, "b"]),
}


def _oracle(pattern: str, subjects: list[str]) -> list[list[re.Match[str]]]:
    compiled = _with_room(lambda: re.compile(pattern))
    return [list(compiled.finditer(s)) for s in subjects]


@pytest.fixture(scope="module")
def huge_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("huge")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", list(HUGE))
def test_huge_patterns_get_res_answer(name: str, command: str, huge_files: Path) -> None:
    pattern, subjects = HUGE[name]
    expected = _oracle(pattern, subjects)
    path = huge_files / f"{name}.log"
    path.write_text("".join(s + "\n" for s in subjects))
    # the 100 kB literal is about size: its code paths are the small literals', and coverage's
    # tracer makes its runs five times slower (a minute of the suite), so they run untraced
    traced = name != "literal-100k"
    if command == "stream":
        done = _rxp("stream", "-o", "--", pattern, str(path), traced=traced)
        want = [m.group() for found in expected for m in found if m.group()]
        assert done.stdout.decode().splitlines() == want
        assert done.returncode == (0 if want else 1)
    elif command == "explain":
        done = _rxp("explain", "--", pattern, traced=traced)
        assert done.returncode == 0 and done.stdout
    elif command == "test":
        done = _rxp("test", "--json", "--", pattern, *subjects, traced=traced)
        doc = json.loads(done.stdout)
        assert _test_spans(doc) == [[_spans(m) for m in found] for found in expected]
        assert done.returncode == (0 if any(expected) else 1)
    else:
        done = _rxp("parse", "-q", "-p", f"(?P<x>{pattern})", str(path), traced=traced)
        records = [json.loads(line) for line in done.stdout.splitlines()]
        assert [r.get("x") for r in records] == [f[0].group() if f else None for f in expected]
        assert done.returncode == 0


@pytest.mark.parametrize(
    "how",
    [["--backend", b] for b in ("sync", "thread", "asyncio", "process")] + [["-F"]],
    ids=["sync", "thread", "asyncio", "process", "fixed"],
)
def test_a_deep_pattern_on_every_backend(how: list[str], huge_files: Path) -> None:
    """The ``regex`` engine (threads, asyncio) parses a pattern more deeply than ``re``."""
    pattern, subjects = HUGE["nested-490"]
    path = huge_files / "deep.log"
    path.write_text("".join(s + "\n" for s in [*subjects, pattern]))
    done = _rxp("stream", "-n", *how, "--", pattern, str(path))
    # the pattern finds the "a"s; with -F it is the text of the third line
    expected = [f"3:{pattern}"] if how == ["-F"] else ["1:abca", f"3:{pattern}"]
    assert done.stdout.decode().splitlines() == expected
    assert done.returncode == 0


# --- patterns re rejects: one clean error on every command --------------------------------

REJECTED = {
    "multiple-repeat": "a{1000}{1000}",
    "repeat-too-large": "a{4294967296}",
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", list(REJECTED))
def test_patterns_re_rejects_get_a_clean_error(name: str, command: str) -> None:
    pattern = REJECTED[name]
    with pytest.raises((re.error, OverflowError)):
        re.compile(pattern)
    argv = {
        "stream": ["stream", "-c", "--", pattern, "/dev/null"],
        "explain": ["explain", "--", pattern],
        "test": ["test", "--", pattern, "aaa"],
        "parse": ["parse", "-p", f"(?P<x>{pattern})", "/dev/null"],
    }[command]
    done = _rxp(*argv)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().startswith("rxp: error: ")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_pattern_too_deep_for_re_answers_or_fails_cleanly(command: str) -> None:
    """1,000 groups deep: ``re`` itself runs out of recursion at the top of a script. Each
    command may answer (it gives the engine room) or say no in one error; nothing else."""
    pattern = "(" * 1000 + "a" + ")" * 1000
    argv = {
        "stream": ["stream", "-c", "--", pattern, "/dev/null"],
        "explain": ["explain", "--", pattern],
        "test": ["test", "--", pattern, "a"],
        "parse": ["parse", "-p", f"(?P<x>{pattern})", "/dev/null"],
    }[command]
    done = _rxp(*argv)
    if done.returncode == 2:
        assert done.stderr.decode().startswith("rxp: error: ")
    else:
        assert done.returncode in (0, 1) and b"error" not in done.stderr
