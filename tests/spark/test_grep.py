"""``rxp.spark.grep`` selects the lines ``rxp stream`` selects, with the same matches,
spans and named groups as ``rxp stream --json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import run_rxp

from .helpers import lines_frame

LOGHUB = Path(__file__).parents[1] / "mine" / "data"
PATTERN = (
    r"(?P<verb>Failed|Accepted) (?P<how>\w+) for (?:invalid user )?(?P<user>\S+)"
    r"(?: from (?P<ip>[\d.]+))?"
)


def _local(path: Path, *args: str) -> dict[int, list[Any]]:
    done = run_rxp("stream", "--json", *args, str(path))
    messages = [json.loads(line) for line in done.stdout.splitlines()]
    return {
        m["data"]["line_number"]: m["data"]["submatches"] for m in messages if m["type"] == "match"
    }


def _as_json(sub: dict[str, Any]) -> dict[str, Any]:
    """A Spark submatch written as ``--json`` writes one (UTF-8 text here)."""
    out: dict[str, Any] = {
        "match": {"text": sub["match"]},
        "start": sub["start"],
        "end": sub["end"],
    }
    groups = sub["groups"]
    if groups:
        out["groups"] = {
            name: None if g is None else {"text": g["text"], "start": g["start"], "end": g["end"]}
            for name, g in groups.items()
        }
    return out


def test_matches_and_groups_equal_rxp_stream_json(spark: Any, tmp_path: Path) -> None:
    import rxp.spark

    path = tmp_path / "ssh.log"
    path.write_bytes((LOGHUB / "OpenSSH.log").read_bytes() + (LOGHUB / "Linux.log").read_bytes())
    rows = rxp.spark.grep(lines_frame(spark, path), PATTERN).collect()
    ours = {
        row["_line"]: [_as_json(s.asDict(recursive=True)) for s in row["submatches"]]
        for row in rows
    }
    theirs = _local(path, PATTERN)
    assert len(theirs) > 20
    assert ours == theirs


def test_ignore_case_and_invert_select_as_rxp_stream(spark: Any, tmp_path: Path) -> None:
    import rxp.spark

    path = tmp_path / "hdfs.log"
    path.write_bytes((LOGHUB / "HDFS.log").read_bytes())
    frame = lines_frame(spark, path)
    selected = rxp.spark.grep(frame, "packetresponder", ignore_case=True, invert=True)
    theirs = _local(path, "-i", "-v", "packetresponder")
    assert sorted(r["_line"] for r in selected.select("_line").collect()) == sorted(theirs)
