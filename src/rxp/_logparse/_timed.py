"""The time budget of formats that run a user's pattern (``grok``, ``groks``, ``regex``).

Every pattern call such a parser makes for one line draws on one ``Clock`` (the policy of
``rxp._analysis._budget``: ``re`` under an alarm, RE2 once ``re`` has been slow, exact on
ASCII lines); a line still over budget is an error record saying so, and the run goes on.
The budget is the format's ``timeout`` option, which ``rxp parse --timeout`` fills in.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from .._analysis._budget import Budgeted, Clock, OutOfTime
from .._syntax._ast import Flavor
from ._options import Option, Options
from ._records import LineError, Record

__all__ = ["TIMED_OUT", "TIMEOUT", "TimedParser", "timeout_of"]

TIMED_OUT = "matching took over"
TIMEOUT = Option(
    "timeout", "float", 1.0, help="seconds per line for the pattern, 0 for none (rxp's own)"
)


def timeout_of(options: Options) -> float:
    value = options.get("timeout")
    return float(value) if isinstance(value, int | float) and value >= 0 else 1.0


class TimedParser:
    """A line parser whose pattern calls share one ``Clock``: ``budgeted`` wraps each
    compiled pattern, ``session`` holds the alarm for a run of lines (``_api`` enters it),
    and a line over budget raises ``LineError``."""

    def __init__(self, seconds: float) -> None:
        self.clock = Clock(seconds)
        self.read: Callable[[str], tuple[Record, str]] | None = None

    def budgeted(self, compiled: Any, flavor: Flavor | str, source: str, flags: int = 0) -> Any:
        dialect: Flavor = "regex" if flavor == "regex" else "re"
        return Budgeted(compiled, self.clock, flavor=dialect, source=source, flags=flags)

    def session(self) -> AbstractContextManager[Clock]:
        return self.clock.session()

    def __call__(self, line: str) -> tuple[Record, str]:
        assert self.read is not None
        self.clock.start()
        try:
            return self.read(line)
        except OutOfTime as exc:
            raise LineError(f"{TIMED_OUT} {exc.seconds:g}s (--timeout); skipped", 1) from None
