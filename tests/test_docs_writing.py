"""The written comparisons, the runbooks and the contributing guide (issue 12, points 5 and 8).

Each page exists and is about as long as promised (words outside code blocks, within 40%);
every relative link in it resolves, to a file and, when it names one, to a heading there;
every ``rxp`` command of its ``console`` blocks parses (run with ``--help`` appended, so an
unknown option or command fails); and a block that makes its own input files (a ``printf``
or ``python3 -c`` line) is run for real in a temporary folder, where each ``rxp`` command must
print the lines the page shows under it (a line ending in `` ...`` is a prefix).
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PAGES: dict[str, int | None] = {  # page -> the words the issue asks for (None: no figure)
    "docs/python-vs-bash.md": 300,
    "docs/rxp-vs-grep-awk.md": 600,
    "docs/runbooks/venv-broken.md": None,
    "docs/runbooks/wont-install.md": None,
    "CONTRIBUTING.md": None,
}
FURTHER_READING = [page for page in PAGES if page.startswith("docs/")]
SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "2>", "2>&1", "&"}
SETUP = ("printf ", "python3 -c ")  # the only commands run besides rxp

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Command:
    line: str
    shown: tuple[str, ...]  # the output the page shows under it


def _text(page: str) -> str:
    return (ROOT / page).read_text(encoding="utf-8")


def _prose(text: str) -> str:
    return FENCE.sub("", text)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    prose = _prose(path.read_text(encoding="utf-8"))
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", prose, re.MULTILINE)}


def _console_blocks(text: str) -> list[list[Command]]:
    blocks = []
    for match in FENCE.finditer(text):
        if match.group(1) != "console":
            continue
        commands: list[Command] = []
        for line in match.group(2).splitlines():
            if line.startswith("$ "):
                commands.append(Command(line[2:], ()))
            elif commands:
                last = commands[-1]
                commands[-1] = Command(last.line, (*last.shown, line))
        blocks.append(commands)
    return blocks


def _rxp_argv(line: str) -> list[str]:
    """The arguments of an ``rxp ...`` command line, up to its first pipe or redirection."""
    words = shlex.split(line, comments=True)
    for i, word in enumerate(words):
        if word in SHELL_OPERATORS:
            words = words[:i]
            break
    return words[1:]


def _rxp_commands() -> list[tuple[str, str]]:
    return [
        (page, command.line)
        for page in PAGES
        for block in _console_blocks(_text(page))
        for command in block
        if command.line.startswith("rxp ")
    ]


def _runnable_blocks() -> list[tuple[str, list[Command]]]:
    return [
        (page, block)
        for page in PAGES
        for block in _console_blocks(_text(page))
        if any(c.line.startswith(SETUP) for c in block)
    ]


@pytest.mark.parametrize("page", PAGES)
def test_the_page_exists_and_is_about_as_long_as_promised(page: str) -> None:
    words = len(_prose(_text(page)).split())
    promised = PAGES[page]
    if promised is None:
        assert words > 150, f"{page}: {words} words"
    else:
        assert 0.6 * promised <= words <= 1.4 * promised, f"{page}: {words} words, not ~{promised}"


@pytest.mark.parametrize("page", [*PAGES, "README.md"])
def test_every_relative_link_resolves(page: str) -> None:
    base = (ROOT / page).parent
    for target in LINK.findall(_prose(_text(page))):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        resolved = (base / path) if path else ROOT / page
        assert resolved.exists(), f"{page}: link to {target} does not resolve"
        if anchor:
            assert resolved.suffix == ".md", f"{page}: anchor into {target}"
            assert anchor in _anchors(resolved), f"{page}: no heading #{anchor} in {path or page}"


def test_the_readme_links_to_the_written_docs() -> None:
    readme = _text("README.md")
    links = set(LINK.findall(readme))
    assert set(FURTHER_READING) <= links, set(FURTHER_READING) - links


def test_the_pages_show_rxp_commands() -> None:
    assert len(_rxp_commands()) >= 5
    assert _runnable_blocks()


@pytest.mark.parametrize(("page", "line"), _rxp_commands())
def test_every_rxp_command_parses(page: str, line: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rxp", *_rxp_argv(line), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"{page}: `{line}`: {done.stderr}"
    assert "Usage" in done.stdout


@pytest.mark.parametrize(("page", "block"), _runnable_blocks())
def test_a_block_with_its_own_input_prints_what_the_page_shows(
    page: str, block: list[Command], tmp_path: Path
) -> None:
    shim = tmp_path / "bin" / "rxp"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m rxp "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    work = tmp_path / "work"
    work.mkdir()
    for command in block:
        if not command.line.startswith((*SETUP, "rxp ")):
            continue  # grep, awk: their output depends on the system's versions
        done = subprocess.run(
            ["bash", "-c", command.line],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        printed = (done.stdout + done.stderr).splitlines()
        for shown in command.shown:
            if shown.endswith(" ..."):
                found = any(line.startswith(shown[:-4]) for line in printed)
            else:
                found = shown in printed
            assert found, f"{page}: `{command.line}` did not print {shown!r}:\n" + "\n".join(
                printed
            )
