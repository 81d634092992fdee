"""`rxp explain` as a user runs it: in a subprocess (and the Typer runner for the cheap cases)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_rxp

PATTERNS = [
    r"^(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - - \[(?P<ts>[^\]]+)\]",
    r"Failed password for (invalid user )?(\w+) from (\S+)",
    r"(a|b)*c{2,}?",
    r"(?x) \d+ # digits",
]


def rxp(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_rxp("explain", *args, stdin=stdin, env=env, text=True)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_json_through_the_cli_agrees_with_re(pattern: str) -> None:
    done = rxp("--json", pattern)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    flags = re.X if pattern.startswith("(?x)") else 0
    compiled = re.compile(pattern, flags)
    assert doc["schema_version"] == "2.0"
    assert doc["groups"] == compiled.groups
    assert doc["group_names"] == dict(compiled.groupindex)
    assert doc["pattern"] == pattern
    assert doc["flavor"] == "re"
    assert isinstance(doc["warnings"], list)


def test_tree_output_has_summary_then_rows_and_no_colour_in_a_pipe() -> None:
    done = rxp(r"^Failed password for (\w+)$")
    assert done.returncode == 0
    out = done.stdout
    assert "\x1b[" not in out
    assert out.index("groups") < out.index("the text `Failed password for `")
    assert "capture group 1" in out
    assert "unbounded" in out


def test_force_color_colours_and_no_color_wins() -> None:
    assert "\x1b[" in rxp("a+", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in rxp("a+", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[" not in rxp("--color", "never", "a+", env={"FORCE_COLOR": "1"}).stdout


def test_brief_is_one_line() -> None:
    done = rxp("--brief", r"\d+")
    assert done.returncode == 0
    assert done.stdout.count("\n") == 1
    assert done.stdout.startswith("Matches ")
    assert done.stdout == "Matches " + json.loads(rxp("--json", r"\d+").stdout)["summary"] + ".\n"


def test_invalid_pattern_is_an_error_with_a_caret() -> None:
    done = rxp("ab(cd")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith("rxp: error: ")
    assert lines[1].strip() == "ab(cd"
    caret = lines[2]
    assert caret.index("^") - lines[1].index("a") == 2  # under the '('
    assert done.stdout == ""


def test_invalid_pattern_with_json_is_an_error_document_on_stdout() -> None:
    done = rxp("--json", "a{3,1}")
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["position"] == 2
    assert error["span"][0] == 2
    assert error["message"]
    with pytest.raises(re.error) as raised:
        re.compile("a{3,1}")
    assert raised.value.pos == error["position"]


def test_pattern_from_a_file_drops_one_trailing_newline(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_text("a\n\n", encoding="utf-8")
    doc = json.loads(rxp("--json", "-f", str(path)).stdout)
    assert doc["pattern"] == "a\n"


def test_pattern_from_stdin_with_file_dash() -> None:
    doc = json.loads(rxp("--json", "-f", "-", stdin="(x)y\n").stdout)
    assert doc["pattern"] == "(x)y"
    assert doc["groups"] == 1


@pytest.mark.parametrize("argv", [["-"], ["--", "-"], ["--json", "--", "-"]])
def test_the_positional_is_always_a_pattern_even_a_dash(argv: list[str]) -> None:
    # grep's convention: `-` as the positional is the one-character pattern, never stdin
    done = rxp("--json", *argv, stdin="(x)y\n")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["pattern"] == "-"
    assert doc["groups"] == re.compile("-").groups


def test_double_dash_before_a_pattern_starting_with_a_dash() -> None:
    done = rxp("--json", "--", "-?\\d+")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["pattern"] == "-?\\d+"


def test_flags_options_change_the_reading() -> None:
    plain = json.loads(rxp("--json", "^a$").stdout)
    multi = json.loads(rxp("--json", "-m", "^a$").stdout)
    letters = json.loads(rxp("--json", "--flags", "mi", "^a$").stdout)
    assert "m" not in plain["flags"] and "m" in multi["flags"]
    assert {"m", "i"} <= set(letters["flags"])
    assert multi["anchored"] == {"start": "line", "end": "line"}


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    done = rxp("-f", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert done.stderr.startswith("rxp: error: cannot read pattern file")
    assert len(done.stderr.strip().splitlines()) == 1


def test_help_has_real_examples() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rxp", "explain", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "rxp explain --json" in done.stdout
    assert "--brief" in done.stdout and "--flavor" in done.stdout


def test_the_cli_prints_what_the_library_returns() -> None:
    import rxp as library

    pattern = r"(?P<key>\w+)=(?P<value>[^ ]*)"
    assert rxp_text(pattern) == library.explain(pattern).text()
    assert rxp("--brief", pattern).stdout == library.explain(pattern).brief + "\n"
    assert json.loads(rxp("--json", pattern).stdout) == json.loads(
        library.to_json(library.explain_document(pattern))
    )


def rxp_text(pattern: str) -> str:
    done = rxp(pattern)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_explain_does_not_import_pydantic_or_rich_into_a_pipe() -> None:
    code = (
        "import sys\n"
        "from rxp.cli import main\n"
        "status = main(['explain', '--', '-?[0-9]+'])\n"
        "print(status, 'pydantic' in sys.modules, 'rich' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.split() == ["0", "False", "False"], done.stderr
    assert "one or more digits (0-9)" in done.stdout


def test_svg_writes_a_railroad_diagram_and_still_explains(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    target = tmp_path / "d.svg"
    pattern = r"(?P<user>\w+)@(\w+)\.com"
    done = rxp("--svg", str(target), pattern)
    assert done.returncode == 0, done.stderr
    assert r"(?P<user>\w+)" in done.stdout  # the explanation as well
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    labels = "".join(root.itertext())
    assert all(f"group #{n}" in labels for n in range(1, re.compile(pattern).groups + 1))


def test_svg_to_stdout_replaces_the_explanation() -> None:
    import xml.etree.ElementTree as ET

    done = rxp("--svg", "-", "--", "-?[0-9]+")
    assert done.returncode == 0, done.stderr
    assert ET.fromstring(done.stdout).tag.endswith("svg")


def test_svg_to_an_unwritable_place_is_a_one_line_error(tmp_path: Path) -> None:
    done = rxp("--svg", str(tmp_path / "no" / "such" / "d.svg"), "a+")
    assert done.returncode == 2
    assert done.stderr.startswith("rxp: error: cannot write")
    assert done.stderr.count("\n") == 1
    as_json = rxp("--json", "--svg", str(tmp_path / "no" / "d.svg"), "a+")
    assert as_json.returncode == 2
    assert "cannot write" in json.loads(as_json.stdout)["error"]["message"]


def test_lint_exits_1_when_a_lint_fires_and_shows_the_fix() -> None:
    done = rxp("--lint", "a{1,}[$]")
    assert done.returncode == 1, done.stderr
    assert "prefer-plus-quantifier" in done.stdout
    fixes = [
        line.split("fix", 1)[1].strip() for line in done.stdout.splitlines() if "  fix  " in line
    ]
    assert fixes
    for fix in fixes:  # each fix is a whole pattern the engine takes
        re.compile(fix.split("  (")[0])
    doc = json.loads(rxp("--json", "--lint", "a{1,}").stdout)
    assert [lint["id"] for lint in doc["lints"]] == ["prefer-plus-quantifier"]
    assert doc["lints"][0]["fix"] == "a+"


def test_lint_exits_0_on_a_clean_pattern_and_without_the_flag() -> None:
    assert rxp("--lint", r"\d{4}-\d{2}").returncode == 0
    assert rxp("a{1,}").returncode == 0  # without --lint, findings are shown, not failed on


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"\b\d{3}-\d{4}\b", 0),
        (r"(?P<user>\w+)@(?P<host>[\w.]+)\.com", 0),
        (r"^(\w+)=\1$", re.M),
        (r"(?<=\$)\d+(?:\.\d\d)?(?!\d)", 0),
        (r"(?i)^error: .*$", 0),
    ],
)
def test_examples_and_near_misses_in_the_document_hold_on_the_engine(
    pattern: str, flags: int
) -> None:
    args = ["--json", *(["-m"] if flags & re.M else []), pattern]
    doc = json.loads(rxp(*args).stdout)
    compiled = re.compile(pattern, flags)
    assert doc["examples"], pattern
    for example in doc["examples"]:
        found = compiled.search(example["text"])
        assert found is not None and list(found.span()) == example["span"]
    for miss in doc["near_misses"]:
        assert compiled.search(miss["text"]) is None
        start, end = miss["span"]
        assert 0 <= start <= end <= len(pattern) and miss["why"]
    if doc["examples"]:
        assert f"e.g. `{doc['examples'][0]['text']}`" in doc["summary"]


def test_the_seed_example_reads_at_the_level_of_intent() -> None:
    done = rxp("--brief", r"\b\d{3}-\d{4}\b")
    example = json.loads(rxp("--json", r"\b\d{3}-\d{4}\b").stdout)["examples"][0]["text"]
    assert done.stdout == (
        "Matches a phone-number-like `DDD-DDDD` (3 digits, a hyphen, 4 digits) between word "
        f"boundaries, e.g. `{example}`.\n"
    )
