"""`rxp stream --json` (ripgrep's shapes), `--journal`, `--passthru`, colours, and lograg."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rxp._journal._generate import write_journal
from tests.stream.helpers import GREP, grep, rxp


def _messages(stdout: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def _raw(data: dict[str, str]) -> bytes:
    return data["text"].encode() if "text" in data else base64.b64decode(data["bytes"])


lines = st.lists(
    st.lists(
        st.sampled_from([b"ab", b"12", b" ", b"\xff", b"\xc3\xa9", b"\x00", b"x"]), max_size=6
    ).map(b"".join),
    max_size=12,
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=lines, final=st.booleans())
def test_json_lines_follow_ripgrep_and_python_re(
    tmp_path: Path, content: list[bytes], final: bool
) -> None:
    data = b"\n".join(content) + (b"\n" if final and content else b"")
    path = tmp_path / "in.log"
    path.write_bytes(data)
    pattern = r"(?P<word>[a-z]+)(?P<num>[0-9]+)?"
    got = rxp(["stream", "--json", "-C", "1", pattern, str(path)])
    messages = _messages(got.stdout)
    kinds = [m["type"] for m in messages]
    assert kinds[0] == "begin" and kinds[-2:] == ["end", "summary"]
    assert set(kinds[1:-2]) <= {"match", "context"}
    rx = re.compile(pattern.encode())
    offsets = [0]
    split = data.split(b"\n")
    for line in split:
        offsets.append(offsets[-1] + len(line) + 1)
    matched = 0
    for message in messages[1:-2]:
        body = message["data"]
        assert isinstance(body, dict)
        number = body["line_number"]
        raw = _raw(body["lines"])
        line = split[number - 1]
        assert raw.rstrip(b"\n") == line
        assert body["absolute_offset"] == offsets[number - 1]
        if message["type"] == "match":
            matched += 1
            expected = [(m.start(), m.end(), m.group("word")) for m in rx.finditer(line)]
            subs = body["submatches"]
            assert [(s["start"], s["end"], _raw(s["groups"]["word"])) for s in subs] == expected
            assert all(_raw(s["match"]) == line[s["start"] : s["end"]] for s in subs)
        else:
            assert rx.search(line) is None
    end = messages[-2]["data"]
    assert isinstance(end, dict)
    assert end["stats"]["matched_lines"] == matched
    assert end["stats"]["bytes_searched"] == len(data)
    assert got.status == (0 if matched else 1)


def test_json_carries_invalid_utf8_as_base64(tmp_path: Path) -> None:
    path = tmp_path / "bin.log"
    path.write_bytes(b"ok \xff\xfe end\n")
    messages = _messages(rxp(["stream", "--json", "ok", str(path)]).stdout)
    match = messages[1]["data"]
    assert isinstance(match, dict)
    assert match["lines"] == {"bytes": base64.b64encode(b"ok \xff\xfe end\n").decode()}
    assert match["submatches"] == [{"match": {"text": "ok"}, "start": 0, "end": 2}]


@pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")
@pytest.mark.parametrize("form", ["export", "json"])
def test_journal_entries_print_as_short_iso(tmp_path: Path, form: str) -> None:
    # The generator writes the same entries as short-iso text: grep over that text is the
    # oracle (the pattern only occurs in single-line MESSAGE values).
    short = tmp_path / "j.log"
    source = tmp_path / f"j.{form}"
    with short.open("wb") as f:
        write_journal(f, size=400_000, form="short-iso", seed=3)
    with source.open("wb") as f:
        write_journal(f, size=10_000_000, form=form, seed=3)
    count = short.read_bytes().count(b"\n")
    expected = grep(["-m", "300", "Failed password for invalid", str(short)])
    got = rxp(
        ["stream", "--journal", form, "-m", "300", "Failed password for invalid", str(source)]
    )
    assert expected.stdout and count > 300
    assert (got.status, got.stdout) == (expected.status, expected.stdout)
    none = rxp(["stream", "--journal", form, "-c", "--field", "_HOSTNAME", "^nohost$", str(source)])
    assert (none.status, none.stdout) == (1, b"0\n")


def test_passthru_prints_every_line_and_color_marks_matches(tmp_path: Path) -> None:
    path = tmp_path / "p.log"
    path.write_bytes(b"one\ntwo x\nthree\n")
    assert rxp(["stream", "--passthru", "x", str(path)]).stdout == b"one\ntwo x\nthree\n"
    colored = rxp(["stream", "--passthru", "--color", "always", "-n", "x", str(path)]).stdout
    assert b"\x1b[01;31m\x1b[Kx\x1b[m\x1b[K" in colored
    assert colored.count(b"\n") == 3
    assert b"\x1b" not in rxp(["stream", "--color", "auto", "x", str(path)]).stdout  # a pipe


def test_pattern_errors_are_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.log"
    path.write_bytes(b"x\n")
    got = rxp(["stream", "a(b", str(path)])
    assert got.status == 2
    assert got.stderr.startswith("rxp: error: missing ), unterminated subpattern")
    assert "^" in got.stderr and "Traceback" not in got.stderr
    hint = rxp(["stream", "[é]", str(path)])
    assert hint.status == 2 and "(?:é|" in hint.stderr


def _lograg(*args: str) -> subprocess.CompletedProcess[bytes]:
    code = "import sys; from rxp.cli.lograg import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=60)


@pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")
def test_lograg_prints_grep_n_lines(tmp_path: Path) -> None:
    path = tmp_path / "auth.log"
    path.write_bytes(b"sshd: Failed password\ncron: ok\r\nsshd: Failed again\xff")
    done = _lograg(str(path), "Failed")
    assert done.returncode == 0
    assert done.stdout == grep(["-n", "Failed", str(path)]).stdout
    assert _lograg(str(path), "nothing").returncode == 1


def test_lograg_errors_are_one_line(tmp_path: Path) -> None:
    missing = _lograg(str(tmp_path / "missing.log"), "x")
    assert missing.returncode == 2
    message = f"lograg: error: {tmp_path / 'missing.log'}: No such file or directory\n"
    assert missing.stderr.decode() == message
    bad = _lograg(str(tmp_path), "(")
    assert bad.returncode == 2
    assert bad.stderr.count(b"\n") == 1 and bad.stderr.startswith(b"lograg: error: invalid regex")
    usage = _lograg("only-one")
    assert usage.returncode == 2 and usage.stderr.startswith(b"lograg: error:")


def test_colour_follows_the_terminal_policy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.log"
    path.write_bytes(b"a x b\n")
    monkeypatch.setenv("FORCE_COLOR", "1")  # what a terminal gets under --color auto
    assert rxp(["stream", "x", str(path)]).stdout == b"a \x1b[01;31m\x1b[Kx\x1b[m\x1b[K b\n"
    assert rxp(["stream", "--color", "never", "x", str(path)]).stdout == b"a x b\n"
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")
    assert b"\x1b" not in rxp(["stream", "--color", "auto", "x", str(path)]).stdout


@pytest.mark.skipif(GREP is None, reason="GNU grep is the oracle")
@pytest.mark.parametrize("options", [["-n"], ["-c"], ["-C", "1", "-H"], ["-o", "-v"]])
def test_stdin_is_read_as_grep_reads_it(options: list[str]) -> None:
    data = b"one a\ntwo\n\xff three a\r\nfour" * 3
    done = subprocess.run(
        [sys.executable, "-m", "rxp", "stream", *options, "a", "-"],
        input=data,
        capture_output=True,
        timeout=60,
    )
    expected = subprocess.run(
        ["grep", "-a", *options, "a"], input=data, capture_output=True, env={"LC_ALL": "C"}
    )
    assert (done.returncode, done.stdout) == (expected.returncode, expected.stdout)
