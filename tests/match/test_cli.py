"""``rxp test`` as a user runs it: a real process, exit codes, pipes, colour, JSON."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.helpers import run_rxp

ANSI = re.compile(r"\x1b\[")


def rxp(*args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    return run_rxp("test", *args, stdin=stdin, env=env)


def text(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode()


def err(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode()


def test_matches_exit_zero_and_are_marked_for_a_pipe() -> None:
    done = rxp(r"(?P<user>\w+)@(\w+)", "alice@example bob@host")
    assert done.returncode == 0
    lines = text(done).splitlines()
    assert lines[:4] == [
        "2 matches",
        "  alice@example bob@host",
        "  ^^^^^^^^^^^^^ ~~~~~~~~",
        "  1             2",
    ]
    assert any(line.split() == ["group", "1", "<user>", "0-5", "'alice'"] for line in lines)
    assert not ANSI.search(text(done))


def test_no_match_exits_one_and_errors_exit_two_with_a_caret() -> None:
    assert rxp("zzz", "abc").returncode == 1
    bad = rxp("a(b", "abc")
    assert bad.returncode == 2 and bad.stdout == b""
    assert err(bad).splitlines() == [
        "rxp: error: missing ), unterminated subpattern (at position 1)",
        "    a(b",
        "     ^^",
    ]
    assert "Traceback" not in err(bad)


def test_json_output_and_json_errors() -> None:
    done = rxp("--json", "(a)|(b)", "ab", "xyz")
    assert done.returncode == 0
    doc = json.loads(text(done))
    assert doc["match_count"] == 2 and [s["number"] for s in doc["subjects"]] == [1, 2]
    groups = doc["subjects"][0]["matches"][1]["groups"]
    assert groups[0] == {"number": 1, "name": None, "span": None, "value": None}
    failed = rxp("--json", "a(b", "x")
    assert failed.returncode == 2
    assert json.loads(text(failed))["error"]["span"] == [1, 3]
    none = rxp("--json", "q", "x")
    assert none.returncode == 1 and json.loads(text(none))["matched"] is False


def test_stdin_is_one_subject_without_its_final_newline() -> None:
    done = rxp("-m", "--json", r"^line (\w+)$", stdin=b"line one\nline two\n")
    doc = json.loads(text(done))
    assert doc["subjects"][0]["text"] == "line one\nline two"
    assert [m["groups"][0]["value"] for m in doc["subjects"][0]["matches"]] == ["one", "two"]
    bad = rxp("a", stdin=b"\xff\n")
    assert bad.returncode == 2 and err(bad).startswith("rxp: error: stdin is not UTF-8")


@pytest.mark.parametrize(
    "args, expected",
    [
        (["-i", "abc", "xABCx"], 0),
        (["abc", "xABCx"], 1),
        (["--fullmatch", "abc", "abcd"], 1),
        (["--fullmatch", "abc", "abc"], 0),
        (["-s", "a.b", "a\nb"], 0),
        (["a.b", "a\nb"], 1),
        (["-x", "a b # comment", "ab"], 0),
        (["-a", r"^\w$", "é"], 1),
        (["--flavor", "regex", r"\p{Lu}", "aB"], 0),
        (["--flavor", "re", r"\p{Lu}", "aB"], 2),
        (["--", "-1", "x-1"], 0),
    ],
)
def test_flags_and_modes(args: list[str], expected: int) -> None:
    assert rxp(*args).returncode == expected


def test_colour_only_when_forced() -> None:
    forced = rxp("a", "aab", FORCE_COLOR="1")
    assert ANSI.search(text(forced))
    assert "^^" not in text(forced)  # colours replace the marker line
    assert not ANSI.search(text(rxp("a", "aab", FORCE_COLOR="1", NO_COLOR="1")))
    assert not ANSI.search(text(rxp("--color", "never", "a", "aab", FORCE_COLOR="1")))
    assert ANSI.search(text(rxp("--color", "always", "a", "aab")))


def test_no_text_on_a_terminal_is_an_error_not_a_hang() -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "rxp", "test", "a"],
            stdin=follower,
            capture_output=True,
            timeout=60,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("rxp: error: no text to test")
