"""What the Spark tests share: files written for Spark to read, and the local answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import rxp
from rxp.spark._lines import read_lines


def lines_frame(spark: Any, path: Path) -> Any:
    """``path``'s numbered lines, as ``rxp parse --engine spark`` reads them."""
    return read_lines(spark, [str(path)])[0]


def local_records(path: Path, **kwargs: Any) -> list[dict[str, Any]]:
    """The records ``rxp parse`` gives for ``path`` (the single-process oracle)."""
    with path.open("rb") as stream:
        return list(rxp.parse_stream(stream, **kwargs))


def spark_records(frame: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """The records of ``rxp.spark.parse(..., as_json=True)``, decoded."""
    import rxp.spark

    rows = rxp.spark.parse(frame, as_json=True, **kwargs).select("json").collect()
    return [json.loads(row[0]) for row in rows]


def by_line(records: list[dict[str, Any]]) -> list[str]:
    """Records as canonical JSON texts sorted by line: equal lists are equal multisets
    of records in the same line order."""
    texts = [json.dumps(r, sort_keys=True, ensure_ascii=False) for r in records]
    return [t for _, t in sorted(zip([r["_line"] for r in records], texts, strict=True))]
