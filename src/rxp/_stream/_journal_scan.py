"""Matching journald entries: the entries come from ``rxp._journal._codec`` (export or JSON
decoding), one field is matched (``MESSAGE`` by default), and each entry becomes one
record in ``short-iso`` form, so the same window and printers apply (``-n`` numbers
entries, ``-A/-B/-C`` count entries).

An entry without a usable ``__REALTIME_TIMESTAMP`` (journalctl always has one; a hand-made
or trimmed export may not) is still matched and shown, without the time column, and
marked ``untimed`` so that the caller can say so: its later neighbours are never lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .._analysis._budget import budget_of
from .._errors import RxpError
from .._journal._codec import JournalEntry, format_short_iso
from ._matcher import Matcher
from ._scan import Line
from ._spans import subs as _subs

__all__ = ["JournalRecord", "journal_records"]


@dataclass(frozen=True, slots=True)
class JournalRecord:
    """Entry ``number`` (1-based) as a line; ``error`` for a malformed entry (reported, not
    matched); ``timed_out`` when matching it exceeded the budget (skipped); ``untimed``
    says why an entry is shown without its time."""

    number: int
    line: Line
    error: str | None = None
    timed_out: bool = False
    untimed: str | None = None


def journal_records(
    entries: Iterable[JournalEntry],
    matcher: Matcher,
    *,
    field: str = "MESSAGE",
    invert: bool = False,
    timeout: float = 1.0,
    spans: bool = False,
) -> Iterator[JournalRecord]:
    """Each entry, matched on ``field`` and rendered as ``journalctl -o short-iso`` would
    (without the final newline). Spans, when asked, are those in the field's value."""
    search = matcher.searcher(matcher.line, budget_of(timeout))
    finditer = matcher.iterator(matcher.line, budget_of(timeout))
    groups = matcher.groups
    for number, entry in enumerate(entries, 1):
        untimed = None
        try:
            text = format_short_iso(entry).removesuffix(b"\n")
        except RxpError as exc:  # no time journalctl could print
            text = _without_time(entry)
            untimed = exc.message.rsplit(": ", 1)[-1] + f" (line {entry.line})"
        if entry.error is not None:
            yield JournalRecord(number, Line(number - 1, -1, text, False, ()), entry.error)
            continue
        value = entry.last(field)
        try:
            found = value is not None and search(value) is not None
            subs = _subs(finditer(value), 0, groups) if found and spans and value else ()
        except TimeoutError:
            yield JournalRecord(number, Line(number - 1, -1, text, False, ()), None, True)
            continue
        line = Line(number - 1, -1, text, found != invert, subs)
        yield JournalRecord(number, line, untimed=untimed)


_TIMES = ("_SOURCE_REALTIME_TIMESTAMP", "__REALTIME_TIMESTAMP")
_STAND_IN = b"1970-01-01T00:00:00+0000 "  # how the time 1 (µs) is shown, in UTC


def _without_time(entry: JournalEntry) -> bytes:
    """The entry's ``short-iso`` line without its time column: rendered with a stand-in
    time, which is then cut off (with as many spaces of each continuation line's indent),
    so that the rest is exactly what journalctl would print after a time."""
    fields = (*(f for f in entry.fields if f[0] not in _TIMES), (_TIMES[1], b"1"))
    shown = format_short_iso(replace(entry, fields=fields)).removesuffix(b"\n")
    assert shown.startswith(_STAND_IN)
    cut = len(_STAND_IN)
    return shown[cut:].replace(b"\n" + b" " * cut, b"\n")
