"""What a release of rxp promises, checked here because GitHub is not: the licence and the
metadata, the workflow files (validated against GitHub's schema, and holding what they must
do), the changelog's Keep a Changelog shape, one version everywhere, and a lock file that
covers every declared dependency. See docs/releasing.md."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

import rxp

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _workflow(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def _steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return steps


def _runs(workflow: dict[str, Any], job: str) -> str:
    return "\n".join(step.get("run", "") for step in _steps(workflow, job))


def _uses(workflow: dict[str, Any], job: str) -> list[str]:
    return [step["uses"] for step in _steps(workflow, job) if "uses" in step]


def _readme_test_command() -> str:
    """The README's second quick-start command, the one that runs the tests."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"python -m pytest[^\n`]*", text)
    assert commands, "README.md gives no test command"
    return commands[0].strip()


# -- licence and metadata ----------------------------------------------------------------------


def test_the_licence_file_is_the_declared_one() -> None:
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    assert project["license-files"] == ["LICENSE"]


def test_project_urls_name_home_source_changelog_issues() -> None:
    urls = _pyproject()["project"]["urls"]
    assert {"Homepage", "Source", "Changelog", "Issues"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
    assert urls["Changelog"].endswith("CHANGELOG.md")


def test_the_classifiers_name_exactly_the_pythons_ci_tests() -> None:
    project = _pyproject()["project"]
    classified = sorted(
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    )
    matrix = _workflow("ci.yml")["jobs"]["test"]["strategy"]["matrix"]["python"]
    assert classified == sorted(matrix)
    assert project["requires-python"] == f">={min(matrix, key=lambda v: int(v.split('.')[1]))}"


def test_the_package_ships_its_type_marker() -> None:
    marker = Path(rxp.__file__).with_name("py.typed")
    assert marker.is_file()
    wheel = _pyproject()["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["src/rxp", "src/konfig"]  # py.typed sits inside each
    assert Path(rxp.__file__).parents[1].joinpath("konfig", "py.typed").is_file()


# -- one version -------------------------------------------------------------------------------


def test_rxp_version_prints_the_package_metadata() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rxp", "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"rxp {metadata.version('rxp')}\n"
    assert metadata.version("rxp") == rxp.__version__


def test_the_version_has_one_source() -> None:
    pyproject = _pyproject()
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "src/rxp/_cache.py"


# -- changelog ---------------------------------------------------------------------------------

_SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
_RELEASE = re.compile(r"## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})")


def test_the_changelog_keeps_a_changelog() -> None:
    lines = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Changelog"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[0] == "## [Unreleased]"
    releases = [_RELEASE.fullmatch(h) for h in headings[1:]]
    assert all(releases), [h for h, r in zip(headings[1:], releases, strict=True) if not r]
    versions = [tuple(int(p) for p in r.group(1).split(".")) for r in releases if r]
    assert versions == sorted(versions, reverse=True)
    dates = [r.group(2) for r in releases if r]
    assert dates == sorted(dates, reverse=True)
    subsections = {line[4:] for line in lines if line.startswith("### ")}
    assert subsections <= _SECTIONS, subsections - _SECTIONS
    links = dict(re.findall(r"^\[([^\]]+)\]: (\S+)$", "\n".join(lines), flags=re.M))
    names = ["Unreleased"] + [r.group(1) for r in releases if r]
    assert set(names) <= set(links), set(names) - set(links)
    if releases and releases[0]:
        # the newest release is what the package says it is, or older (a release in progress)
        newest = releases[0].group(1)
        assert tuple(int(p) for p in newest.split(".")) <= tuple(
            int(p) for p in rxp.__version__.split(".")
        )


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def test_every_release_tag_is_annotated_on_its_release_commit() -> None:
    """docs/releasing.md: `git tag -a vX.Y.Z` on the commit whose VERSION and changelog say
    X.Y.Z. Checks the tags this clone holds (a clone without tags has nothing to check)."""
    for tag in _git("tag", "--list", "v*").split():
        assert _git("cat-file", "-t", tag) == "tag", f"{tag} is a lightweight tag"
        version = tag.removeprefix("v")
        assert f'VERSION = "{version}"' in _git("show", f"{tag}:src/rxp/_cache.py"), tag
        tagged = _git("show", f"{tag}:CHANGELOG.md").splitlines()
        headings = [line for line in tagged if line.startswith("## ")]
        assert len(headings) > 1, f"{tag}: its changelog holds no release"
        newest = _RELEASE.fullmatch(headings[1])
        assert newest and newest.group(1) == version, (tag, headings[:2])
        assert f"[{version}]: " in "\n".join(tagged)


# -- workflows ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_workflows_validate_against_githubs_schema(name: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOWS / name),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_runs_the_checks_and_the_readme_test_command_with_the_coverage_gate() -> None:
    ci = _workflow("ci.yml")
    triggers = ci[True] if True in ci else ci["on"]  # YAML 1.1 reads `on` as true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    lint = _runs(ci, "lint")
    for check in ("ruff check", "ruff format --check", "mypy --strict src"):
        assert check in lint
    test = _runs(ci, "test")
    assert _readme_test_command() in test
    assert "--cov=rxp --cov=konfig" in test and "--cov-fail-under=90" in test
    assert "grep" in test and "systemd-journal-remote" in test  # .ci/run's oracles
    assert all(any(u.startswith("astral-sh/setup-uv") for u in _uses(ci, j)) for j in ci["jobs"])
    assert "--locked" in test  # uv.lock, not whatever resolves today


def test_dot_ci_run_enforces_the_same_gate() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_test_command() in run
    assert "--cov=rxp --cov=konfig" in run and "--cov-fail-under=90" in run


def test_release_builds_once_checks_tries_and_publishes_to_testpypi_first() -> None:
    release = _workflow("release.yml")
    triggers = release[True] if True in release else release["on"]
    assert triggers["push"]["tags"] == ["v*"]
    build = _runs(release, "build")
    assert "python -m build" in build
    assert "twine check" in build
    assert "rxp --version" in build and "pip install dist/*.whl" in build
    testpypi = release["jobs"]["testpypi"]
    assert testpypi["needs"] == "build"
    assert testpypi["environment"]["name"] == "testpypi"
    assert testpypi["permissions"] == {"id-token": "write"}
    publish = [s for s in testpypi["steps"] if s.get("uses", "").startswith("pypa/")]
    assert publish[0]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert publish[0]["with"]["repository-url"] == "https://test.pypi.org/legacy/"
    pypi = release["jobs"]["pypi"]
    assert pypi["environment"]["name"] == "pypi"
    assert "workflow_dispatch" in pypi["if"]  # by hand, after TestPyPI
    assert release["permissions"] == {"contents": "read"}  # id-token only where needed


# -- reproducible development ------------------------------------------------------------------


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_lock_file_covers_every_declared_dependency() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = {p["name"] for p in lock["package"]}
    project = _pyproject()["project"]
    declared = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        declared |= {_name(r) for r in extra}
    assert declared <= locked, declared - locked
    (own,) = [p for p in lock["package"] if p["name"] == "rxp"]
    assert {_name(r["name"]) for r in own["metadata"]["requires-dist"]} == declared


def test_pre_commit_runs_ruff_mypy_and_rxps_own_regex_lint() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "mypy", "rxp-lint-regexes"} <= set(hooks)
    assert "--strict" in hooks["mypy"]["entry"]
    script = hooks["rxp-lint-regexes"]["entry"].split()[-1]
    assert (ROOT / script).is_file()


def test_the_regex_lint_hook_finds_a_lint_and_passes_clean_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('import re\nrx = re.compile(r"[0-9]|[0-9]")\nok = re.compile(r"a+b")\n')
    good = tmp_path / "good.py"
    good.write_text('import re\nrx = re.compile(r"(?x) a \\  b", re.I)\n')
    script = ROOT / ".ci" / "lint_regexes.py"
    done = subprocess.run(
        [sys.executable, str(script), str(bad), str(good)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(f"{bad}:2: ")
    assert str(good) not in done.stdout
    clean = subprocess.run(
        [sys.executable, str(script), str(good)], capture_output=True, text=True, timeout=120
    )
    assert (clean.returncode, clean.stdout) == (0, "")
