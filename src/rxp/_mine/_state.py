"""A miner saved as text and read back: ``rxp mine --state FILE``.

The state is the miner's whole memory (``_miner``): each fine cluster's shape, its count,
its first lines and the id of the template it joined, and the next id to give. Loaded, the
clusters come back in order with their ids, so the next run's new lines extend the old
templates and a template keeps its id (``Miner.templates`` votes ids by lines). Call
``Miner.templates()`` before ``dump`` so that every cluster has its id.

The text is JSON, one object::

    {"format": "rxp-mine-state", "version": 1, "kinds": [...], "next_id": 18,
     "clusters": [{"key": [...], "count": 12, "examples": [...], "template": "T3"}, ...]}

``kinds`` are the idioms the shapes' marks stand for (``_tokens.KINDS``, in order): a
shape written by a miner with other masks means something else, so such a file is refused
rather than read wrongly. ``load`` checks everything it reads and raises ``RxpError`` with
the source's name for a file that is not valid JSON, not a state (another format or
version) or not consistent (an id at or past ``next_id``, a shape twice); it never repairs.
``dump(load(text))`` is ``text`` for every ``text`` that ``dump`` wrote.
"""

from __future__ import annotations

import json
import re
from typing import Final

from .._errors import RxpError
from ._miner import EXAMPLES, Cluster, Miner
from ._tokens import KINDS

__all__ = ["FORMAT", "VERSION", "dump", "load"]

FORMAT: Final = "rxp-mine-state"
"""The ``format`` every state file names: what tells a state from other JSON."""

VERSION: Final = 1
"""The layout's version; a file of another version is refused."""

_ID: Final = re.compile(r"T([1-9][0-9]*)")
_FIELDS: Final = frozenset({"format", "version", "kinds", "next_id", "clusters"})
_CLUSTER_FIELDS: Final = frozenset({"key", "count", "examples", "template"})


def dump(miner: Miner) -> str:
    """The state of ``miner`` as JSON text: ASCII (every string escaped as JSON allows, so
    that any text, a lone surrogate included, comes back exactly), one cluster a line."""
    head = json.dumps(
        {"format": FORMAT, "version": VERSION, "kinds": list(KINDS), "next_id": miner.next_id},
        ensure_ascii=True,
    )
    rows = [
        json.dumps(
            {
                "key": list(c.key),
                "count": c.count,
                "examples": c.examples,
                "template": c.template_id,
            },
            ensure_ascii=True,
        )
        for c in miner.clusters
    ]
    # one cluster a line: a state file stays readable and diffs well
    body = ",\n".join(rows)
    return head[:-1] + ', "clusters": [' + ("\n" + body + "\n" if rows else "") + "]}\n"


class _Bad(Exception):
    """What is wrong with a state, in words; ``load`` adds the source."""


def load(text: str, source: str) -> Miner:
    """The miner saved in ``text``; ``RxpError`` (``source: ...``) if it is not a state
    ``dump`` could have written."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RxpError(f"{source}: not an rxp mine state (invalid JSON: {exc})") from None
    except RecursionError:
        raise RxpError(f"{source}: not an rxp mine state (invalid JSON: nested too deep)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RxpError(f'{source}: not an rxp mine state (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise RxpError(
            f"{source}: rxp mine state version {data.get('version')!r} is not {VERSION}, "
            "the one this rxp reads"
        )
    try:
        return _miner(data)
    except _Bad as exc:
        raise RxpError(f"{source}: broken rxp mine state: {exc}") from None


def _miner(data: dict[str, object]) -> Miner:
    extra = set(data) - _FIELDS
    if extra:
        raise _Bad(f"unknown field {sorted(extra)[0]!r}")
    if data.get("kinds") != list(KINDS):
        raise _Bad("written with other variable kinds (another version of rxp's miner)")
    next_id = data.get("next_id")
    if type(next_id) is not int or next_id < 1:
        raise _Bad("next_id is not a positive integer")
    clusters = data.get("clusters")
    if not isinstance(clusters, list):
        raise _Bad("clusters is not a list")
    miner = Miner()
    miner.next_id = next_id
    seen: set[tuple[str, ...]] = set()
    for n, item in enumerate(clusters, 1):
        cluster = _cluster(item, n, next_id)
        if cluster.key in seen:
            raise _Bad(f"cluster {n}: the same shape as an earlier one")
        seen.add(cluster.key)
        miner.restore(cluster)
    return miner


def _cluster(item: object, n: int, next_id: int) -> Cluster:
    where = f"cluster {n}"
    if not isinstance(item, dict) or set(item) != _CLUSTER_FIELDS:
        raise _Bad(f"{where}: not an object with {', '.join(sorted(_CLUSTER_FIELDS))}")
    key, count, examples, template = (item[f] for f in ("key", "count", "examples", "template"))
    if not isinstance(key, list) or not all(isinstance(t, str) for t in key):
        raise _Bad(f"{where}: key is not a list of strings")
    if type(count) is not int or count < 1:
        raise _Bad(f"{where}: count is not a positive integer")
    if (
        not isinstance(examples, list)
        or not 1 <= len(examples) <= min(count, EXAMPLES)
        or not all(isinstance(e, str) for e in examples)
    ):
        raise _Bad(f"{where}: examples are not 1 to {EXAMPLES} strings, at most count")
    if not isinstance(template, str):
        raise _Bad(f"{where}: template is not a string")
    if template:
        number = _ID.fullmatch(template)
        if number is None or int(number.group(1)) >= next_id:
            raise _Bad(f"{where}: template id {template!r} is not one of T1..T{next_id - 1}")
    cluster = Cluster(tuple(key), count)
    cluster.examples = list(examples)
    cluster.template_id = template
    return cluster
