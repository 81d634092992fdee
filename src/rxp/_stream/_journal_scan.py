"""Matching journald entries: the entries come from ``rxp._journal._codec`` (export or JSON
decoding), one field is matched (``MESSAGE`` by default), and each entry becomes one
record in ``short-iso`` form, so the same window and printers apply (``-n`` numbers
entries, ``-A/-B/-C`` count entries)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .._journal._codec import JournalEntry, format_short_iso
from ._matcher import Matcher
from ._scan import Line
from ._spans import subs as _subs

__all__ = ["JournalRecord", "journal_records"]


@dataclass(frozen=True, slots=True)
class JournalRecord:
    """Entry ``number`` (1-based) as a line; ``error`` for a malformed entry (reported, not
    matched); ``timed_out`` when matching it exceeded the budget (skipped)."""

    number: int
    line: Line
    error: str | None = None
    timed_out: bool = False


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
    search = matcher.searcher(matcher.line, timeout or None)
    finditer = matcher.iterator(matcher.line, timeout or None)
    groups = matcher.groups
    for number, entry in enumerate(entries, 1):
        text = format_short_iso(entry).removesuffix(b"\n")
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
        yield JournalRecord(number, Line(number - 1, -1, text, found != invert, subs))
