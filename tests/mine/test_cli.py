"""``rxp mine`` as a user runs it, in a subprocess: the listing, ``--json`` and ``--lines``,
``--patterns-out``, ``--state``, bytes that are not UTF-8, and the exit statuses. The oracle
for every regex is Python's ``re`` on the lines themselves."""

from __future__ import annotations

import json
import os
import re
from array import array
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp.cli import mine as mine_cli
from tests.helpers import run_rxp

DATA = Path(__file__).parent / "data"
SYSTEMS = sorted(p.stem for p in DATA.glob("*.log"))
ERROR = re.compile(r"rxp: error: .+\n\Z")


def raw_lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8", errors="replace", newline="\n") as f:
        return [line.rstrip("\r\n") for line in f]


def records(stdout: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def mine_json(*args: str, stdin: bytes | None = None) -> list[dict[str, Any]]:
    done = run_rxp("mine", "--json", *args, stdin=stdin)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    return records(done.stdout)


def pattern_file(path: Path) -> dict[str, str]:
    """``NAME REGEX`` lines, as ``rxp parse --patterns`` reads them."""
    patterns = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, regex = line.partition(" ")
            assert name not in patterns
            patterns[name] = regex
    return patterns


# --- --json and --lines ---------------------------------------------------------------------


@pytest.mark.parametrize("format", ["message", "auto"])
def test_every_line_matches_its_template_the_pattern_file_and_rxp_parse(
    format: str, tmp_path: Path
) -> None:
    paths = [DATA / f"{system}.log" for system in SYSTEMS]
    patterns_out = tmp_path / "mined.patterns"
    out = mine_json(
        "--lines", "--format", format, "--patterns-out", str(patterns_out), *map(str, paths)
    )
    templates = {r["id"]: r for r in out if r["type"] == "template"}
    lines = [r for r in out if r["type"] == "line"]
    assert out[: len(templates)] == list(templates.values())  # templates first
    text = [line for path in paths for line in raw_lines(path)]
    assert [r["line"] for r in lines] == list(range(1, len(text) + 1))
    patterns = pattern_file(patterns_out)
    assert sorted(patterns) == sorted(templates)
    # the most specific template first: the most constant text
    constant = [len("".join(templates[n]["template"].replace("<*>", "").split())) for n in patterns]
    assert constant == sorted(constant, reverse=True)
    for record in lines:
        line = text[record["line"] - 1]
        # the template's regex reads the message; the pattern file's, the raw line
        assert re.fullmatch(patterns[record["template"]], line)
        if format == "message":
            assert re.fullmatch(templates[record["template"]]["regex"], line)
    counts = [t["count"] for t in templates.values()]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == len(text)
    for template in templates.values():
        assert set(template) == {"type", "id", "template", "regex", "groups", "count", "examples"}
        assert list(re.compile(template["regex"]).groupindex) == template["groups"]
        assert 1 <= len(template["examples"]) <= 3
        for example in template["examples"]:
            assert re.fullmatch(template["regex"], example)
        assert sum(r["template"] == template["id"] for r in lines) == template["count"]
    _parse_reads(patterns_out, [str(p) for p in paths], [r["template"] for r in lines], text)


def _parse_reads(patterns_out: Path, paths: list[str], mined: list[str], text: list[str]) -> None:
    """``rxp parse --patterns`` reads the logs with the pattern file ``rxp mine`` wrote."""
    from rxp._logparse._scan import is_balanced

    done = run_rxp("parse", "-q", "--patterns", str(patterns_out), *paths)
    parsed = records(done.stdout)
    assert len(parsed) == len(mined)
    patterns = pattern_file(patterns_out)
    unread = elsewhere = 0
    for record, template, line in zip(parsed, mined, text, strict=True):
        if "_error" not in record:  # read by a mined pattern (the first that matches)
            assert re.fullmatch(patterns[str(record["_format"])], line)
            elsewhere += record["_format"] != template
            continue
        # a line is refused only where its template's match cuts a bracket or a quote,
        # which rxp parse's structured fallback does not trust (docs/parse.md, "--pattern P
        # and the fallback")
        unread += 1
        match = re.fullmatch(patterns[template], line)
        assert match is not None
        assert not all(is_balanced(v) for v in match.groupdict().values() if v is not None)
    print(f"{unread} lines unread, {elsewhere} read by another template, of {len(text)}")
    assert unread + elsewhere <= len(text) // 100


def test_the_library_and_the_command_agree() -> None:
    import rxp

    path = DATA / "HDFS.log"
    mining = rxp.mine_lines(raw_lines(path), format="auto")
    out = mine_json("--lines", "--format", "auto", str(path))
    assert [r["template"] for r in out if r["type"] == "line"] == list(mining.assignments)
    assert [(r["id"], r["regex"]) for r in out if r["type"] == "template"] == [
        (t.id, t.regex) for t in mining.templates
    ]


def test_lines_are_numbered_on_across_files_and_stdin() -> None:
    a, b = DATA / "Apache.log", DATA / "HDFS.log"
    out = mine_json("--lines", str(a), "-", str(b), stdin=b"stdin line 1\nstdin line 2\n")
    lines = [r for r in out if r["type"] == "line"]
    assert [r["line"] for r in lines] == list(range(1, 403))
    examples = {r["id"]: r["examples"] for r in out if r["type"] == "template"}
    assert "stdin line 1" in examples[lines[200]["template"]]


def test_lines_held_on_disk_come_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    n = 70_000  # more than one spilled chunk
    path.write_bytes(
        b"".join(b"job %d %s\n" % (i, b"ok" if i % 3 else b"failed") for i in range(n))
    )
    out = mine_json("--lines", str(path))
    ids = {r["id"]: r for r in out if r["type"] == "template"}
    lines = [r for r in out if r["type"] == "line"]
    assert [r["line"] for r in lines] == list(range(1, n + 1))
    failed = {r["template"] for r in lines[::3]}
    assert len(failed) == 1
    assert ids[failed.pop()]["template"] == "job <*> failed"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), max_size=60), st.integers(1, 9))
def test_the_spill_gives_back_what_it_was_given(values: list[int], chunk: int) -> None:
    saved = mine_cli._SPILL
    mine_cli._SPILL = chunk
    spill = mine_cli._Spill()
    try:
        for start in range(0, len(values), 4):
            spill.extend(array("I", values[start : start + 4]))
        assert [v for part in spill.chunks() for v in part] == values
    finally:
        spill.close()
        mine_cli._SPILL = saved


def test_lines_goes_with_json() -> None:
    done = run_rxp("mine", "--lines", str(DATA / "HDFS.log"))
    assert done.returncode == 2
    assert ERROR.match(done.stderr.decode())


# --- the listing ------------------------------------------------------------------------------


def test_piped_the_listing_is_plain_text_in_the_order_of_the_json() -> None:
    path = str(DATA / "OpenSSH.log")
    done = run_rxp("mine", "--format", "auto", path, text=True)
    assert done.returncode == 0
    assert "\x1b" not in done.stdout
    templates = mine_json("--format", "auto", path)
    blocks = done.stdout.split("\n\n")
    assert blocks[0] == f"{len(templates)} templates from 200 lines"
    assert len(blocks) == len(templates) + 1
    for block, template in zip(blocks[1:], templates, strict=True):
        head, regex, example = block.strip("\n").split("\n")
        count = template["count"]
        noun = "line" if count == 1 else "lines"
        assert head == f"{template['id']}  {count} {noun}  {template['template']}"
        assert regex == f"    regex    {template['regex']}"
        assert example == f"    example  {template['examples'][0]}"


@pytest.mark.parametrize(
    ("env", "styled"),
    [({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False), ({}, False)],
)
def test_colour_follows_no_color_and_force_color(env: dict[str, str], styled: bool) -> None:
    done = run_rxp("mine", str(DATA / "Zookeeper.log"), env=env, text=True)
    assert done.returncode == 0
    assert ("\x1b[" in done.stdout) is styled
    if styled:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)
        assert plain == run_rxp("mine", str(DATA / "Zookeeper.log"), text=True).stdout


def test_help_documents_the_options() -> None:
    done = run_rxp("mine", "--help", env={"COLUMNS": "200"}, text=True)
    assert done.returncode == 0
    for option in ("--format", "--json", "--lines", "--patterns-out", "--state", "Examples"):
        assert option in done.stdout


# --- bytes, line ends, statuses ---------------------------------------------------------------


def test_bytes_that_are_not_utf8_and_crlf_are_read_not_fatal() -> None:
    data = b"bad \xff\xfe byte 1\r\nbad \xc3 byte 2\r\nlone\rcr 3\n\n"
    out = mine_json("--lines", stdin=data)
    lines = [r for r in out if r["type"] == "line"]
    assert [r["line"] for r in lines] == [1, 2, 3, 4]  # a lone CR does not end a line
    examples = [e for r in out if r["type"] == "template" for e in r["examples"]]
    assert "bad \ufffd\ufffd byte 1" in examples
    assert "lone\rcr 3" in examples
    assert not any(e.endswith("\r") for e in examples)


@pytest.mark.parametrize("args", [["-"], ["--json", "--format", "auto"]])
def test_no_lines_is_exit_1_and_no_output(args: list[str]) -> None:
    done = run_rxp("mine", *args, stdin=b"")
    assert (done.returncode, done.stdout, done.stderr) == (1, b"", b"")


def test_a_missing_file_is_an_error_and_the_others_are_mined(tmp_path: Path) -> None:
    done = run_rxp("mine", "--json", str(tmp_path / "missing.log"), str(DATA / "HDFS.log"))
    assert done.returncode == 2
    assert (
        done.stderr.decode()
        == f"rxp: error: {tmp_path / 'missing.log'}: No such file or directory\n"
    )
    assert sum(r["count"] for r in records(done.stdout)) == 200


@pytest.mark.parametrize("args", [["--format", "json"], ["--nope"], ["--state"]])
def test_usage_errors_are_one_line_and_exit_2(args: list[str]) -> None:
    done = run_rxp("mine", *args, str(DATA / "HDFS.log"), stdin=b"")
    assert done.returncode == 2
    assert ERROR.match(done.stderr.decode()), done.stderr
    assert b"Traceback" not in done.stderr


# --- --patterns-out ----------------------------------------------------------------------------


def test_a_pattern_file_is_one_line_a_pattern_whatever_the_lines_hold(tmp_path: Path) -> None:
    out_file = tmp_path / "p"
    data = b'{"message": "two\\nlines 12"}\n{"message": "two\\nlines 13"}\nx\ry 1\n'
    for format in ("message", "auto"):
        done = run_rxp("mine", "--format", format, "--patterns-out", str(out_file), stdin=data)
        assert done.returncode == 0, done.stderr
        patterns = pattern_file(out_file)
        assert all("\r" not in r and "\n" not in r for r in patterns.values())
        assert any(re.fullmatch(r, "x\ry 1") for r in patterns.values())
    # auto read the JSON's message, its newline escaped in the file and matched again
    assert any(re.fullmatch(r, "two\nlines 12") for r in patterns.values())


def test_an_unwritable_pattern_file_is_an_error_before_any_work(tmp_path: Path) -> None:
    done = run_rxp("mine", "--patterns-out", str(tmp_path / "no" / "p"), str(DATA / "HDFS.log"))
    assert done.returncode == 2
    assert ERROR.match(done.stderr.decode())
    assert done.stdout == b""


# --- --state ---------------------------------------------------------------------------------


def _line_groups(out: list[dict[str, Any]]) -> list[str]:
    return [r["template"] for r in out if r["type"] == "line"]


def test_ids_stay_across_runs_and_two_runs_group_as_one(tmp_path: Path) -> None:
    lines = raw_lines(DATA / "Linux.log")
    first = tmp_path / "first.log"
    second = tmp_path / "second.log"
    first.write_text("\n".join(lines[:100]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[100:]) + "\n", encoding="utf-8")
    state = tmp_path / "linux.mine"
    one = mine_json("--format", "auto", "--lines", "--state", str(state), str(first))
    assert json.loads(state.read_text())["format"] == "rxp-mine-state"
    two = mine_json("--format", "auto", "--lines", "--state", str(state), str(second))
    both = mine_json("--format", "auto", "--lines", str(first), str(second))
    before = {r["template"]: r["id"] for r in one if r["type"] == "template"}
    after = [r for r in two if r["type"] == "template"]
    shared = [r for r in after if r["template"] in before]
    assert shared
    assert [r["id"] for r in shared] == [before[r["template"]] for r in shared]

    # the second run's templates are those of one run over both files, and its lines
    # are grouped the same
    def shown(out: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [(r["template"], r["regex"], r["count"]) for r in out if r["type"] == "template"]

    assert shown(two) == shown(both)
    pairs = set(zip(_line_groups(two), _line_groups(both)[100:], strict=True))
    assert len(pairs) == len({a for a, _ in pairs}) == len({b for _, b in pairs})


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b'{"format": "rxp-mine-state", "version": 1',
        b'{"format": "rxp-mine-state", "version": 99, "kinds": [], "next_id": 1, "clusters": []}',
        b'{"snapshot": "drain3"}',
        b"[1, 2, 3]",
        b"\xff\xfe\x00",
    ],
    ids=["empty", "brace", "truncated", "version 99", "foreign", "list", "not utf-8"],
)
def test_a_file_that_is_not_a_state_is_an_error_and_left_as_it_was(
    content: bytes, tmp_path: Path
) -> None:
    state = tmp_path / "app.mine"
    state.write_bytes(content)
    os.utime(state, (1_000_000, 1_000_000))
    done = run_rxp("mine", "--state", str(state), str(DATA / "HDFS.log"))
    assert done.returncode == 2
    message = done.stderr.decode()
    assert message.startswith(f"rxp: error: {state}: ")
    assert ERROR.match(message)
    assert done.stdout == b""
    assert state.read_bytes() == content
    assert state.stat().st_mtime == 1_000_000
    assert [p.name for p in tmp_path.iterdir()] == ["app.mine"]  # no temporary left


def test_a_state_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-directory"
    folder.mkdir()
    done = run_rxp("mine", "--state", str(folder), str(DATA / "HDFS.log"))
    assert done.returncode == 2
    assert done.stderr.decode().startswith(f"rxp: error: {folder}: cannot read the state: ")
    assert folder.is_dir()


def test_a_run_with_an_unreadable_input_does_not_save_the_state(tmp_path: Path) -> None:
    state = tmp_path / "s.mine"
    done = run_rxp("mine", "--state", str(state), str(DATA / "HDFS.log"), str(tmp_path / "gone"))
    assert done.returncode == 2
    assert not state.exists()
    assert "not saved" in done.stderr.decode()


def test_the_state_keeps_its_permissions(tmp_path: Path) -> None:
    state = tmp_path / "s.mine"
    assert run_rxp("mine", "--state", str(state), str(DATA / "HDFS.log")).returncode == 0
    state.chmod(0o640)
    assert run_rxp("mine", "--state", str(state), str(DATA / "HDFS.log")).returncode == 0
    assert state.stat().st_mode & 0o777 == 0o640
    counts = [c["count"] for c in json.loads(state.read_text())["clusters"]]
    assert sum(counts) == 400
