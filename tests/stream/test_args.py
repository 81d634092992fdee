"""`rxp stream`'s two readers of argv agree: the fast one (`_stream_args.read`, no Typer) takes
only what Typer takes, and gives the same `Request`; a search starts without Typer."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp._errors import RxpError
from rxp.cli import _stream_run
from rxp.cli._stream_args import OPTIONS, read, request
from rxp.cli._stream_run import Request
from tests.helpers import (
    argv_strategy,
    assert_command_matches_table,
    option_words_strategy,
    typer_command,
)

Outcome = Request | str | None  # a Request, an RxpError's message, or None: a usage error


def by_typer(argv: Sequence[str]) -> Outcome:
    """The Request Typer's command passes to the search for ``rxp stream ARGV``."""
    import typer

    seen: list[Request] = []

    def capture(req: Request, **_: object) -> int:
        seen.append(req)
        return 0

    original = _stream_run.run
    _stream_run.run = capture  # type: ignore[assignment]
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            typer_command("stream").main(
                args=["stream", *argv], prog_name="rxp", standalone_mode=False
            )
    except typer.TyperException:
        return None
    except RxpError as exc:
        return exc.message
    finally:
        _stream_run.run = original
    assert len(seen) == 1
    return seen[0]


def by_fast_reader(argv: Sequence[str]) -> Outcome:
    values = read(argv)
    if values is None:
        return None
    try:
        return request(values)
    except RxpError as exc:
        return exc.message


def test_the_typer_command_has_exactly_the_table_s_options() -> None:
    assert_command_matches_table("stream", OPTIONS)


command_lines = argv_strategy(OPTIONS, ["a+b", "x", "file.log", "-", "", "é"])
option_words = option_words_strategy(OPTIONS)


@settings(max_examples=300, deadline=None)
@given(command_lines)
def test_the_fast_reader_takes_only_what_typer_takes_and_reads_it_alike(argv: list[str]) -> None:
    fast = by_fast_reader(argv)
    if fast is not None:
        assert by_typer(argv) == fast


@settings(max_examples=150, deadline=None)
@given(
    st.lists(option_words(odd=False), max_size=5).map(lambda ws: [w for ow in ws for w in ow]),
    st.lists(st.sampled_from(["p", "f1", "f2", "-"]), min_size=1, max_size=3),
)
def test_plain_command_lines_never_need_typer(options: list[str], positional: list[str]) -> None:
    # accepted by both alike, or rejected by both (a bound: Typer then prints the error)
    argv = [*options, *positional]
    assert by_fast_reader(argv) == by_typer(argv)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["-nc", "x", "f"], Request("x", ["f"], line_number=True, count=True)),
        (["-m5", "x"], Request("x", [], max_count=5)),
        (["x", "f", "-C", "2"], Request("x", ["f"], after=2, before=2)),
        (["--max-count=5", "-A1", "x"], Request("x", [], max_count=5, after=1)),
        (["-H", "-h", "--", "-n", "f"], Request("-n", ["f"], with_filename=False)),
        (["--color", "never", "-", "f"], Request("-", ["f"], color="never")),
        (["-e", "a", "-e", "b", "f"], Request(None, ["f"], regexp=("a", "b"))),
        (["--regexp=-v", "-ebz", "x"], Request(None, ["x"], regexp=("-v", "bz"))),
        (
            ["-wx", "-f", "p", "x", "-f-"],
            Request(None, ["x"], word_regexp=True, line_regexp=True, pattern_file=("p", "-")),
        ),
        (["-l", "-L", "x"], Request("x", [], list_files=False)),
        (["-bzZ", "x", "f"], Request("x", ["f"], byte_offset=True, null_data=True, null=True)),
        (  # --include and --exclude keep their interleaving: the last match wins (grep)
            ["--exclude=a*", "-r", "--include", "*.log", "x", "--exclude", "b*"],
            Request(
                "x", [], recursive=True, file_globs=((False, "a*"), (True, "*.log"), (False, "b*"))
            ),
        ),
    ],
)
def test_grep_style_command_lines(argv: list[str], expected: Request) -> None:
    assert by_fast_reader(argv) == expected == by_typer(argv)


@pytest.mark.parametrize(
    "argv", [["--help"], ["x", "--help"], ["--", "--help"], [], ["-n"], ["--wokers", "2", "x"]]
)
def test_help_and_doubtful_command_lines_go_to_typer(argv: list[str]) -> None:
    assert read(argv) is None


def test_no_pattern_at_all_is_an_error_either_way() -> None:
    assert read(["-w", "--"]) is None
    assert by_typer(["-w"]) == "no pattern: give PATTERN, -e PATTERN or -f FILE"


def test_a_search_imports_neither_typer_nor_rich_nor_pydantic(tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    # Only what the search itself imports counts: a tool that runs the interpreter (coverage
    # under ``pytest --cov`` measures subprocesses) may have loaded some of these already.
    code = (
        "import sys\n"
        "before = {m.split('.')[0] for m in sys.modules}\n"
        "from rxp.cli import main\n"
        f"status = main(['stream', '-c', 'x', {str(empty)!r}])\n"
        "heavy = ('typer', 'rich', 'click', 'pydantic', 'asyncio', 'multiprocessing',\n"
        "         'concurrent', 'regex')\n"
        "loaded = sorted(({m.split('.')[0] for m in sys.modules} - before) & set(heavy))\n"
        "print(status, *loaded, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.split() == ["1"], done.stderr
    assert done.stdout == "0\n"
