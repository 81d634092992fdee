"""``journal``: journald's text lines and ``journalctl -o json`` / ``-o export`` entries.

Decoding is ``rxp._journal._codec``'s (helper modules shared with ``rxp bench``): the ``short*``
lines give Vector ``parse_syslog`` names (``timestamp``, ``hostname``, ``appname``,
``procid``, ``message``); an entry gives its journald field names (``MESSAGE``, ``_PID``,
``__REALTIME_TIMESTAMP``, ...) with UTF-8 values as strings, a binary value as an array of
byte numbers (as ``journalctl -o json`` writes it) and a repeated field as an array.
"""

from __future__ import annotations

from .._journal._codec import JournalEntry, parse_short_line
from ._records import Fields, JSONValue, Record

__all__ = ["entry_fields", "parse_journal_line"]


def parse_journal_line(line: str) -> Record | None:
    """The fields of one ``short``/``short-iso``/``short-precise``/``short-full`` line, or
    ``None`` when the line is none of them."""
    found = parse_short_line(line)
    return dict(found) if found is not None else None


def _value(raw: bytes) -> JSONValue:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return list(raw)


def entry_fields(entry: JournalEntry) -> Record:
    """An export or JSON entry's fields, in input order, repeated names as arrays."""
    fields = Fields()
    for name, raw in entry.fields:
        fields.add(name, _value(raw))
    return fields.data
