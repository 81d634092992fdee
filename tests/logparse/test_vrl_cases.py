"""VRL's own test cases for its ``parse_*`` functions (``tests/logparse/vrl/``, MPL-2.0, see
its README): every record rxp gives, less its ``_`` metadata, equals the object VRL returns,
with the same JSON types; where VRL returns an error, the record has ``_error``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from rxp import parse_line
from tests.helpers import run_rxp
from tests.logparse.helpers import fields, typed

TABLES = sorted((Path(__file__).parent / "vrl").glob("parse_*.json"))


def _load(path: Path) -> dict[str, Any]:
    table: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return table


def _cases() -> Iterator[Any]:
    for path in TABLES:
        table = _load(path)
        for case in table["cases"]:
            yield pytest.param(table["format"], case, id=f"{path.stem}:{case['name']}")


def _with_year(value: Any) -> Any:
    """``{{year}}`` in VRL's expected values: the current year."""
    if isinstance(value, str):
        return value.replace("{{year}}", str(datetime.now(UTC).year))
    if isinstance(value, list):
        return [_with_year(v) for v in value]
    if isinstance(value, dict):
        return {k: _with_year(v) for k, v in value.items()}
    return value


def test_every_table_names_its_function_and_has_cases() -> None:
    assert len(TABLES) >= 1
    for path in TABLES:
        table = _load(path)
        assert table["function"] == path.stem
        assert table["cases"], path
        for case in table["cases"]:
            assert ("want" in case) != ("error" in case), (path.stem, case["name"])
        for left in table.get("not_expressed", []):
            assert left["why"], (path.stem, left)


@pytest.mark.parametrize(("fmt", "case"), list(_cases()))
def test_vrl_case(fmt: str, case: dict[str, Any], zone: Any) -> None:
    zone(case.get("tz", "UTC"))
    record = parse_line(case["input"], format=fmt, options=case.get("options"))
    if "error" in case:
        assert "_error" in record, (record, "VRL: " + case["error"])
        assert record["_raw"] == case["input"].removesuffix("\n")
        return
    assert "_error" not in record, record
    got = fields(record)
    assert typed(got) == typed(_with_year(case["want"]))


def _cli_args(options: dict[str, Any]) -> list[str]:
    args = []
    for key, value in options.items():
        text = value if isinstance(value, str) else json.dumps(value)
        args += ["--option", f"{key}={text}"]
    return args


@pytest.mark.parametrize("path", TABLES, ids=[p.stem for p in TABLES])
def test_the_command_line_gives_the_same_record(path: Path) -> None:
    """One case per function through ``rxp parse --format NAME --option KEY=VALUE``: the
    one with the most options, so their reading from text is checked too."""
    table = _load(path)
    good = [c for c in table["cases"] if "want" in c and c.get("tz", "UTC") == "UTC"]
    if not good:
        pytest.fail(f"{path.stem} has no successful UTC case to run through the CLI")
    case = max(good, key=lambda c: len(c.get("options", {})))
    proc = run_rxp(
        "parse", "-q", "--format", table["format"], *_cli_args(case.get("options", {})),
        stdin=case["input"].encode(), env={"TZ": "UTC"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) >= 1
    got = fields(records[0])
    assert typed(got) == typed(_with_year(case["want"]))
