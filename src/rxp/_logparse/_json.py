"""``json``: a JSON object or array anywhere in the line, after a prefix or before a suffix.

An object's members become the record's fields (as Vector's ``parse_json``); an array is kept
under ``json``. Non-blank text before the value is kept as ``prefix`` and after it as
``suffix`` (stripped), so nothing on the line is lost. ``json.loads`` is the decoder.
"""

from __future__ import annotations

import json
import re

from ._records import JSONValue, LineError, Record, safe_key
from ._spec import FormatSpec, plain

__all__ = ["SPECS", "find_json", "parse_json"]

_OPEN = re.compile(r"[\[{]")
_DECODER = json.JSONDecoder()
_MAX_TRIES = 8


def find_json(line: str, start: int = 0) -> tuple[JSONValue, int, int] | None:
    """The first JSON object or array in ``line`` at or after ``start``: ``(value, begin,
    end)``; ``None`` when there is no opening bracket at all. Raises ``LineError`` at the
    first candidate's failure when no candidate decodes."""
    first_error: LineError | None = None
    tries = 0
    for m in _OPEN.finditer(line, start):
        begin = m.start()
        try:
            value, end = _DECODER.raw_decode(line, begin)
        except json.JSONDecodeError as exc:
            if first_error is None:
                first_error = LineError(f"invalid JSON: {exc.msg.lower()}", exc.pos + 1)
            tries += 1
            if tries >= _MAX_TRIES:
                break
            continue
        except RecursionError:
            first_error = first_error or LineError("JSON nested too deeply", begin + 1)
            break
        return value, begin, end
    if first_error is not None:
        raise first_error
    return None


def _wrap(value: JSONValue, prefix: str, suffix: str) -> Record:
    fields: Record = {}
    if isinstance(value, dict):
        for key, item in value.items():
            fields[safe_key(key)] = item
    else:
        fields["json"] = value
    for name, text in (("prefix", prefix), ("suffix", suffix)):
        if text:
            fields["json_" + name if name in fields else name] = text
    return fields


def parse_json(line: str) -> Record:
    """The first JSON object or array on ``line`` with ``prefix``/``suffix``; raises
    ``LineError`` (keeping the prefix as a field) when there is none or it is malformed."""
    try:
        found = find_json(line)
    except LineError as exc:
        m = _OPEN.search(line)
        head = line[: m.start() if m else 0].strip()
        exc.fields = {"prefix": head} if head else {}
        raise
    if found is None:
        raise LineError("no JSON object or array on the line", 1)
    value, begin, end = found
    return _wrap(value, line[:begin].strip(), line[end:].strip())


SPECS: tuple[FormatSpec, ...] = (
    plain("json", parse_json, "a JSON object or array (Vector parse_json)"),
)
