"""``rxp.mine_lines``: the miner for code that imports rxp rather than running its CLI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from ._miner import Miner
from ._model import Mining

__all__ = ["mine_lines"]


def mine_lines(lines: Iterable[str], *, format: Literal["message", "auto"] = "message") -> Mining:
    """Group ``lines`` into templates, one pass.

    ``format="message"`` (the default) takes each line as a log message; ``"auto"`` first
    finds the message in a raw log line with rxp's parsers (a syslog or journald header, a
    JSON ``message``, a level and a component before it) and mines that. A trailing newline
    is ignored. The result holds every template, most lines first, and the id of each
    line's template in input order.
    """
    miner = Miner()
    if format == "auto":
        from ._messages import messages

        indices = [miner.add(m) for m in messages(lines)]
    else:
        indices = [miner.add(line.rstrip("\r\n")) for line in lines]
    templates, ids = miner.templates()
    return Mining(templates=templates, assignments=tuple(ids[i] for i in indices))
