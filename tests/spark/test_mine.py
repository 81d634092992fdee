"""Mining partitions apart and merging the miners gives the whole input's templates: the
same ids, templates, regexes, counts and examples, and the same template on every line
(grouping accuracy 1.0, exactly)."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rxp import mine_lines
from rxp._mine._miner import Miner
from rxp._mine._tokens import Tokenizer

DATA = Path(__file__).parents[1] / "mine" / "data"  # loghub samples: see its README.md
SAMPLES = sorted(DATA.glob("*.log"))
LINES = [line for path in SAMPLES for line in path.read_text(encoding="utf-8").splitlines()]


@functools.cache
def _whole() -> Any:
    """The lines mined in one go: the same for every example below."""
    return mine_lines(LINES, format="message")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, len(LINES)), max_size=6))
def test_merged_miners_of_consecutive_parts_are_the_whole_inputs(cuts: list[int]) -> None:
    whole = _whole()
    bounds = [0, *sorted(cuts), len(LINES)]
    merged = Miner()
    for start, end in itertools.pairwise(bounds):
        part = Miner()
        for line in LINES[start:end]:
            part.add(line)
        merged.merge(part)
    templates, _ = merged.templates()
    assert templates == whole.templates
    ids = {c.key: c.template_id for c in merged.clusters}
    tokenize = Tokenizer()
    assert tuple(ids[tokenize(line)] for line in LINES) == whole.assignments


def test_spark_mining_equals_mining_the_whole_input(spark: Any) -> None:
    import rxp.spark
    from rxp.spark._lines import read_lines

    lines, inputs = read_lines(spark, [str(p) for p in SAMPLES])
    mined = rxp.spark.mine(lines, order=inputs.order)
    whole = mine_lines(LINES, format="auto")
    assert mined.templates == whole.templates
    assert mined.count == len(LINES)
    rows = mined.lines.select("_file", "_line", "template").collect()
    rows.sort(key=lambda r: (inputs.order[r["_file"]], r["_line"]))
    assert tuple(r["template"] for r in rows) == whole.assignments
