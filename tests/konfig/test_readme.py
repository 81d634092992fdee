"""The README's konfig examples, run as a user runs them (issue 13: "README gains a konfig
section with 5 examples (run as tests)").

Each ``console`` block of the README's ``## konfig`` section is one example, in the form of
``tests/test_docs_writing.py``'s blocks: a ``$ konfig ...`` line, then exactly what konfig
prints (standard output, then standard error, as a terminal shows them: konfig writes its
count line to standard error after everything else), then ``$ echo $?`` and the exit status on
the next line. The command runs from the repository's root, without a terminal (pipes), with
``NO_COLOR`` set, over the committed files in ``examples/konfig/``; output and status must
equal the block's, line for line.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import SRC

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SECTION = re.compile(r"^## konfig\n(.*?)^## ", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Example:
    command: str
    output: str
    status: int


def _examples() -> list[Example]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = SECTION.search(readme)
    assert section, "README.md has no ## konfig section"
    examples = []
    for fence in FENCE.finditer(section.group(1)):
        if fence.group(1) != "console":
            continue
        lines = fence.group(2).splitlines()
        assert lines[0].startswith("$ konfig "), lines[0]
        assert lines[-2] == "$ echo $?", f"{lines[0]}: the block must end with `$ echo $?`"
        body = lines[1:-2]
        assert not any(line.startswith("$ ") for line in body), "one command per block"
        output = "".join(line + "\n" for line in body)
        examples.append(Example(lines[0][2:], output, int(lines[-1])))
    return examples


EXAMPLES = _examples()


def test_the_readme_shows_five_konfig_examples_of_each_kind() -> None:
    assert len(EXAMPLES) >= 5
    commands = " ".join(e.command for e in EXAMPLES)
    for needed in ("validate", "generate-schema", "--format github", "--json"):
        assert needed in commands
    assert {e.status for e in EXAMPLES} >= {0, 1}  # a failure and a success at least


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.command[:60] for e in EXAMPLES])
def test_the_example_prints_what_the_readme_shows(example: Example) -> None:
    argv = shlex.split(example.command)
    assert argv[0] == "konfig"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": SRC}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "konfig", *argv[1:]],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout + done.stderr == example.output
    assert done.returncode == example.status


def test_the_example_files_are_the_ones_the_readme_links() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((examples/konfig/[^)]+)\)", readme))
    committed = {str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "konfig").iterdir()}
    assert linked == committed
