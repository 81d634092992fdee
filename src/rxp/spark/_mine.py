"""``rxp.spark.mine``: templates from every partition's lines, merged into one miner.

The miner's whole state is its fine clusters (a token shape, its count, its first lines),
and grouping them into templates depends on the counts alone, not on the order lines came
in. So each run of consecutive lines (``_runs``) is mined apart, its miner shipped to the
driver as ``_state``'s JSON, and the miners merged in line order (``Miner.merge``: counts
summed, the first examples kept, new shapes after old ones): the merged miner is the one a
single pass over the whole input builds, and its templates and ids are the same. A second
pass gives each line its template's id, from the shape of its message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._runs import Row, rows, runs

if TYPE_CHECKING:
    import pyarrow as pa

    from .._mine._miner import Miner

__all__ = ["PARTIALS_SCHEMA", "MineJob", "merged", "partial_miners", "template_ids"]

PARTIALS_SCHEMA = "file string, line long, lines long, state string"


@dataclass(frozen=True)
class MineJob:
    column: str = "value"
    format: str = "auto"  # "auto": the message of a raw line; "message": the line as it is


def _messages(job: MineJob, stream: Iterable[Row]) -> Iterator[str]:
    """Each line's message, as ``rxp mine`` reads it (UTF-8 with U+FFFD, the end dropped)."""
    texts = (row.data.decode("utf-8", "replace") for row in stream)
    if job.format == "auto":
        from .._mine._messages import messages

        return messages(texts)
    return (text.rstrip("\r\n") for text in texts)


def partial_miners(job: MineJob, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A miner per run of lines: where the run starts, its lines, its state as JSON."""
    import pyarrow as pa

    from .._mine._miner import Miner
    from .._mine._state import dump

    for run in runs(rows(batches, job.column)):
        miner = Miner()
        add = miner.add
        count = 0
        for message in _messages(job, run.rows):
            add(message)
            count += 1
        yield pa.RecordBatch.from_arrays(
            [
                pa.array([run.file], pa.string()),
                pa.array([run.first], pa.int64()),
                pa.array([count], pa.int64()),
                pa.array([dump(miner)], pa.string()),
            ],
            names=["file", "line", "lines", "state"],
        )


def merged(partials: Iterable[tuple[object, str]], into: Miner | None = None) -> Miner:
    """The partial miners (each with its sort key: where its lines start) merged in that
    order into ``into`` (a loaded state) or a new miner."""
    from .._mine._miner import Miner
    from .._mine._state import load

    miner = into if into is not None else Miner()
    for _, state in sorted(partials, key=lambda item: item[0]):  # type: ignore[arg-type, return-value]
        miner.merge(load(state, "a Spark partition's miner"))
    return miner


def template_ids(
    job: MineJob, ids: dict[tuple[str, ...], str], batches: Iterable[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Each batch with a ``template`` column: the id of its line's template (``ids``: a
    token shape to the id of the template its cluster joined)."""
    import pyarrow as pa

    from .._mine._tokens import Tokenizer

    tokenize = Tokenizer()
    for batch in batches:
        lines = list(rows([batch], job.column))
        found = [ids.get(tokenize(message)) for message in _messages(job, lines)]
        yield pa.RecordBatch.from_arrays(
            [*batch.columns, pa.array(found, pa.string())], names=[*batch.schema.names, "template"]
        )
