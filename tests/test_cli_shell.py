"""The process-wide CLI policies, checked as a user sees them: in a subprocess."""

from __future__ import annotations

import itertools
import subprocess

import rxp
from tests.helpers import run_rxp


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_rxp(*args, text=True)


def test_version_matches_the_package() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.split() == ["rxp", rxp.__version__]


def test_unknown_option_is_one_line_with_status_2() -> None:
    done = run("--no-such-option")
    assert done.returncode == 2
    assert done.stderr.startswith("rxp: error: ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


COMMANDS = ("explain", "test", "stream", "parse", "bench", "mine")


def test_every_command_has_help_with_examples_that_name_it() -> None:
    for command in COMMANDS:
        done = run(command, "--help")
        assert done.returncode == 0, command
        examples = done.stdout.split("Examples", 1)
        assert len(examples) == 2, f"rxp {command} --help has no examples"
        assert f"rxp {command}" in examples[1], command


def test_help_paragraphs_are_not_hard_wrapped_mid_sentence() -> None:
    # Typer keeps the docstring's own line breaks; the shell joins them so the terminal
    # wraps at its width. A line ending in a lowercase word followed by one starting in
    # lowercase inside the same paragraph is the tell of a double wrap.
    import re as stdlib_re

    for command in COMMANDS:
        done = run_rxp(command, "--help", env={"COLUMNS": "2000"}, text=True)
        head = done.stdout.split("╭", 1)[0]
        lines = [line.strip() for line in head.splitlines()]
        for before, after in itertools.pairwise(lines):
            assert not (
                stdlib_re.search(r"[a-z,]$", before) and stdlib_re.match(r"[a-z]", after)
            ), (command, before, after)
