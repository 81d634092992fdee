"""``rxp.spark.grep``: the rows whose line a pattern selects, with ``rxp stream``'s matches.

Each Arrow batch goes through ``rxp.scan`` as one input: the same plan, engines
(Hyperscan or RE2 select lines where the pattern allows, ``re`` gives the spans) and time
budget as ``rxp stream``. The batch is then filtered in Arrow (every input column kept,
none copied through Python) and a ``submatches`` column added: each match's text, byte
span in the line and named groups, as ``rxp stream --json`` gives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from .._syntax._ast import Flavor

__all__ = ["SUBMATCHES", "GrepJob", "grep_batches"]

SUBMATCHES = (
    "array<struct<match: string, start: long, end: long, "
    "groups: map<string, struct<text: string, start: long, end: long>>>>"
)


@dataclass(frozen=True)
class GrepJob:
    pattern: str
    column: str = "value"
    flavor: Flavor = "re"
    ignore_case: bool = False
    fixed_strings: bool = False
    invert: bool = False
    timeout: float = 1.0


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "replace")


def _arrow_type() -> pa.DataType:
    import pyarrow as pa

    group = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    return pa.list_(
        pa.struct(
            [
                ("match", pa.string()),
                ("start", pa.int64()),
                ("end", pa.int64()),
                ("groups", pa.map_(pa.string(), group)),
            ]
        )
    )


def grep_batches(job: GrepJob, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Each batch's selected rows, every column kept, with ``submatches`` added."""
    import pyarrow as pa

    from .._stream._api import scan
    from .._stream._matcher import MatcherSpec, compile_matcher

    spec = MatcherSpec(job.pattern, job.flavor, 0, job.ignore_case, job.fixed_strings)
    names = compile_matcher(spec, "re").names  # name -> group number, as --json reads them
    kind = _arrow_type()
    for batch in batches:
        values = batch.column(job.column).to_pylist()
        lines = [
            b"" if v is None else v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass")
            for v in values
        ]
        mask = [False] * len(lines)
        found: list[list[dict[str, Any]]] = []
        matches = scan(
            job.pattern,
            lines,
            flavor=job.flavor,
            ignore_case=job.ignore_case,
            fixed_strings=job.fixed_strings,
            invert=job.invert,
            timeout=job.timeout,
            on_timeout=lambda _: None,  # a line over budget is not selected
        )
        for hit in matches:
            mask[hit.line_number - 1] = True
            found.append(
                [
                    {
                        "match": _text(sub.text),
                        "start": sub.start,
                        "end": sub.end,
                        "groups": [(name, _group(sub, index)) for name, index in names.items()],
                    }
                    for sub in hit.submatches
                ]
            )
        if not found:
            continue
        kept = batch.filter(pa.array(mask))
        yield pa.RecordBatch.from_arrays(
            [*kept.columns, pa.array(found, kind)], names=[*kept.schema.names, "submatches"]
        )


def _group(sub: Any, index: int) -> dict[str, Any] | None:
    """Group ``index`` of a submatch as ``--json`` shows it: its text and span, or None."""
    span = sub.spans[index - 1] if index - 1 < len(sub.spans) else None
    if span is None:
        return None
    return {"text": _text(sub.groups[index - 1]), "start": span[0], "end": span[1]}
