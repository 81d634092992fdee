"""`rxp explain`'s two readers of argv agree: the fast one (`_explain_args.read`, no Typer)
takes only what Typer takes and gives the same values; an explanation starts without Typer."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rxp.cli import _explain_run
from rxp.cli._explain_args import OPTIONS, read
from tests.helpers import (
    argv_strategy,
    assert_command_matches_table,
    option_words_strategy,
    typer_command,
)

Values = dict[str, object] | None  # what the command would run with, or None: a usage error


def _plain(values: Mapping[str, object]) -> dict[str, object]:
    # Typer gives a choice as its enum member; the fast reader as the plain string
    return {k: getattr(v, "value", v) for k, v in values.items()}


def by_typer(argv: Sequence[str]) -> Values:
    import typer

    seen: list[dict[str, object]] = []

    def capture(values: Mapping[str, object]) -> int:
        seen.append(_plain(values))
        return 0

    original = _explain_run.run
    _explain_run.run = capture  # type: ignore[assignment]
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            typer_command("explain").main(
                args=["explain", *argv], prog_name="rxp", standalone_mode=False
            )
    except typer.TyperException:
        return None
    finally:
        _explain_run.run = original
    assert len(seen) == 1
    return seen[0]


def by_fast_reader(argv: Sequence[str]) -> Values:
    values = read(argv)
    return None if values is None else _plain(values)


def test_the_typer_command_has_exactly_the_table_s_options() -> None:
    assert_command_matches_table("explain", OPTIONS)


command_lines = argv_strategy(OPTIONS, ["a+b", "x", "-", "", "é", "(?P<n>\\d+)"])
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
    st.sampled_from(["p", "-", "a|b", "é+"]),
)
def test_plain_command_lines_never_need_typer(options: list[str], pattern: str) -> None:
    argv = [*options, "--", pattern]
    fast = by_fast_reader(argv)
    assert fast is not None
    assert fast == by_typer(argv)
    assert fast["pattern"] == pattern


@pytest.mark.parametrize("argv", [["--help"], ["x", "--help"], [], ["a", "b"], ["--nope", "x"]])
def test_help_and_doubtful_command_lines_go_to_typer(argv: list[str]) -> None:
    assert read(argv) is None


def test_an_ordinary_explanation_never_imports_typer() -> None:
    code = (
        "import sys, rxp.cli; rxp.cli.main(['explain', '--json', '-i', r'\\d+']);"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('typer', 'click', 'pydantic', 'rich'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "[]"
    assert '"flags": "iu"' in done.stdout
